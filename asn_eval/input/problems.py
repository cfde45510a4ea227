"""Problems found in a user's data: what, where, and how serious.

Every message names the file, the row as a spreadsheet shows it, and the column, so an evaluator
can open the file and go straight to the cell: ``pegawai.csv:14:nip: NIP harus 18 angka (1966)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

__all__ = ["Problem", "problems_frame", "write_problems"]

Level = Literal["galat", "peringatan"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a look) in the input.

    Parameters
    ----------
    file : str
        The file (or ``file[sheet]``) as the user knows it.
    row : int, optional
        The row number as a spreadsheet shows it (the header is row 1).
    column : str, optional
        The column, as the user's header names it.
    message : str
        What is wrong, in Bahasa Indonesia.
    value : object, optional
        The offending value, shown in parentheses.
    level : str
        ``"galat"`` (an error: the dataset cannot be scored) or ``"peringatan"`` (a warning).
    """

    file: str
    row: int | None
    column: str | None
    message: str
    value: object = None
    level: Level = "galat"

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.level == "galat"

    def __str__(self) -> str:
        place = ":".join(str(p) for p in (self.file, self.row, self.column) if p is not None)
        shown = "" if self.value is None or self.value == "" else f" ({self.value})"
        prefix = "" if self.is_error else "peringatan: "
        return f"{place}: {prefix}{self.message}{shown}"


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Return problems as a tidy table, one row each.

    Parameters
    ----------
    problems : iterable of Problem
        Problems to tabulate.

    Returns
    -------
    DataFrame
        Columns ``berkas``, ``baris``, ``kolom``, ``pesan``, ``nilai``, ``tingkat``.
    """
    rows = [
        (p.file, p.row, p.column, p.message, None if p.value is None else str(p.value), p.level)
        for p in problems
    ]
    frame = pd.DataFrame(rows, columns=["berkas", "baris", "kolom", "pesan", "nilai", "tingkat"])
    frame["baris"] = frame["baris"].astype("Int64")
    return frame


def write_problems(
    path: str | os.PathLike[str],
    problems: Iterable[Problem],
    *,
    data: str | os.PathLike[str] | None = None,
) -> Path:
    """Save problems as a workbook people read and print (``.xlsx``) or as CSV (any other name).

    Parameters
    ----------
    path : str or path
        ``masalah.xlsx``: a ``masalah`` sheet under Indonesian headers (text as typed, never a
        formula), ``kolom`` and ``tentang`` (data folder's name, counts, when, by what), printed
        A4 landscape. ``masalah.csv``: the columns of :func:`problems_frame`. Replaced at once.
    problems : iterable of Problem
        What :func:`asn_eval.input.dataset.validate` found.
    data : str or path, optional
        The data folder checked; its ``profil.toml`` gives the government and time zone (a
        profile that cannot be read is left out: the problems are saved all the same).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    WriteError
        When the file cannot be written.
    """
    from asn_eval.atomic import atomic_path
    from asn_eval.city_profile import load_profile
    from asn_eval.errors import ProfileError
    from asn_eval.formatting import integer
    from asn_eval.spreadsheet import about_rows, people_workbook

    path = Path(path)
    frame = problems_frame(problems)
    with atomic_path(path) as temporary:
        if path.suffix.lower() != ".xlsx":
            frame.to_csv(temporary, index=False)
            return path
        try:
            profil = load_profile(data)
        except ProfileError:
            profil = None
        errors = int((frame["tingkat"] == "galat").sum())
        counts = [("Galat", integer(errors)), ("Peringatan", integer(len(frame) - errors))]
        title = "Masalah data" + (f" {Path(data).name}" if data is not None else "")
        zona = profil.zona_waktu if profil is not None else "WIB"
        about = about_rows(data=data, profil=profil, more=counts)
        with people_workbook(temporary, title, about=about, zona=zona) as book:
            book.table("masalah", frame, freeze_cols=1)
    return path
