"""Problems found in a user's data: what, where, and how serious.

Every message names the file, the row as a spreadsheet shows it, and the column, so an evaluator
can open the file and go straight to the cell: ``pegawai.csv:14:nip: NIP harus 18 angka (1966)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

__all__ = ["Problem", "problems_frame"]

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
