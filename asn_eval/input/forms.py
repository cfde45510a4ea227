"""Forms read by the dataset's loader without being part of a dataset.

A form is a table a person fills in and hands to a command, such as the sheet of decisions a
calibration forum took on paper or the sheet of objections employees filed and their answers
(``asn-eval decisions import``, :func:`forms_in` says which a file holds). It is read exactly as a
dataset's
tables are: header found among title rows, NIPs as typed (``'1980…``, ``NIP. 1980 …``), periods as
written (``TW I 2025``), total and signature rows left out, every refusal said as
``file:row:column`` (:func:`read_form`). Its columns are declared here with the same
:class:`~asn_eval.input.contract.Table` as the dataset's contract.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from asn_eval.input.contract import TABLES, Column, Table
from asn_eval.input.problems import Problem
from asn_eval.input.vocab import match_key

__all__ = ["FORMS", "OBJECTION_HEADERS", "Form", "forms_in", "read_form", "spec_of"]

FORMS: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "keputusan",
            (
                replace(TABLES["pegawai"].column("nip"), description="NIP pegawai"),
                TABLES["skp"].column("periode"),
                Column(
                    "predikat",
                    "text",
                    True,
                    ("Predikat Kalibrasi", "Predikat Baru", "Predikat Sesudah", "Predikat Forum"),
                    description="predikat yang diputuskan forum (kosakata skema yang dipakai)",
                ),
                Column(
                    "alasan",
                    "text",
                    True,
                    ("Alasan Kalibrasi", "Alasan Keputusan", "Dasar Keputusan", "Keterangan"),
                    description="alasan keputusan, paling sedikit 3 huruf",
                ),
                Column(
                    "oleh",
                    "text",
                    False,
                    ("Diputuskan Oleh", "Pemutus", "Forum"),
                    description="yang memutuskan (bawaan: --oleh)",
                ),
                replace(
                    TABLES["pegawai"].column("kode_opd"),
                    required=False,
                    description="OPD pegawai; bila diisi harus sama dengan tabel pegawai",
                ),
            ),
            key=("nip", "periode"),
            aliases=("keputusan kalibrasi", "kalibrasi"),
            description="satu baris per keputusan kalibrasi forum (asn-eval decisions import)",
        ),
        Table(
            "keberatan",
            (
                replace(TABLES["pegawai"].column("nip"), description="NIP pegawai"),
                TABLES["skp"].column("periode"),
                Column(
                    "alasan_keberatan",
                    "text",
                    False,
                    ("Alasan Keberatan", "Keberatan", "Dasar Keberatan", "Isi Keberatan"),
                    description="alasan keberatan pegawai, paling sedikit 3 huruf; kosong bila "
                    "baris ini hanya menjawab keberatan yang masih terbuka",
                ),
                Column(
                    "diajukan_oleh",
                    "text",
                    False,
                    ("Diajukan Oleh", "Pengaju", "Yang Mengajukan"),
                    description="pegawai atau yang mewakilinya (wajib bila ada alasan keberatan)",
                ),
                replace(
                    TABLES["pegawai"].column("kode_opd"),
                    required=False,
                    description="OPD pegawai; bila diisi harus sama dengan tabel pegawai",
                ),
                Column(
                    "jawaban",
                    "text",
                    False,
                    ("Jawaban", "Tanggapan", "Jawaban Keberatan"),
                    description="jawaban penilai, paling sedikit 3 huruf; kosong bila belum "
                    "dijawab",
                ),
                Column(
                    "hasil",
                    "text",
                    False,
                    ("Hasil", "Keputusan Keberatan", "Hasil Keberatan"),
                    description="tetap (juga: ditolak) atau diubah (juga: dikabulkan, diterima)",
                ),
                Column(
                    "predikat_baru",
                    "text",
                    False,
                    ("Predikat Baru", "Predikat Sesudah"),
                    description="predikat sesudah jawaban; wajib bila hasilnya diubah",
                ),
                Column(
                    "dijawab_oleh",
                    "text",
                    False,
                    ("Dijawab Oleh", "Penjawab"),
                    description="penilai yang menjawab (bawaan: --oleh)",
                ),
            ),
            key=("nip", "periode"),
            aliases=("keberatan pegawai", "keberatan kinerja"),
            description="satu baris per keberatan pegawai, dengan jawabannya bila sudah dijawab "
            "(asn-eval decisions import)",
        ),
    )
}
"""Forms read by the loader but not part of a dataset, by name."""

OBJECTION_HEADERS = ("alasan_keberatan", "diajukan_oleh", "jawaban", "hasil", "dijawab_oleh")
"""Columns only an objection sheet has: a file with one of them is read as ``keberatan``."""


def spec_of(name: str) -> Table:
    """Return the contract of a dataset table or of a form, by name.

    Parameters
    ----------
    name : str
        A name of :data:`~asn_eval.input.contract.TABLES` or :data:`FORMS`.

    Returns
    -------
    Table
        Its columns and keys.

    Raises
    ------
    KeyError
        When neither has that name.

    Examples
    --------
    >>> spec_of("keputusan").required_columns
    ['nip', 'periode', 'predikat', 'alasan']
    """
    return TABLES[name] if name in TABLES else FORMS[name]


@dataclass
class Form:
    """A form as read: typed columns, and where each row stands in the file.

    Attributes
    ----------
    frame : DataFrame
        One row per filled row of the file, columns by their contract names (unknown columns kept
        as text); a RangeIndex.
    rows : ndarray of int
        The spreadsheet row number of each frame row (the header is row 1 when it is on top).
    label : str
        The file as named in messages (``keputusan.xlsx``).
    headers : dict
        Contract name to the header as the user wrote it.
    spec : Table, optional
        The form's contract: a column the file lacks is named by its first header alias.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    label: str
    headers: dict[str, str] = field(default_factory=dict)
    spec: Table | None = None

    def problem(
        self, position: int, column: str | None, message: str, value: object = None
    ) -> Problem:
        """Return an error about one row, named ``file:row:column`` as the user wrote them.

        Parameters
        ----------
        position : int
            The row's position in :attr:`frame`.
        column : str or None
            The column's contract name.
        message : str
            What is wrong, in Bahasa Indonesia.
        value : object, optional
            The value shown in parentheses.

        Returns
        -------
        Problem
        """
        header = self.headers.get(column) or self._header(column) if column else None
        return Problem(self.label, int(self.rows[position]), header, message, value)

    def _header(self, column: str) -> str:
        """Name a column the file lacks as a person writes its header (``Dijawab Oleh``)."""
        known = {c.name: c for c in self.spec.columns} if self.spec is not None else {}
        found = known.get(column)
        return found.aliases[0] if found is not None and found.aliases else column


def read_form(path: str | os.PathLike[str], name: str) -> tuple[Form | None, list[Problem]]:
    """Read a form (CSV, Excel or Parquet) through the dataset's loader.

    An Excel workbook is read from its sheet named like the form (``keputusan``) or else its
    first sheet.

    Parameters
    ----------
    path : str or path
        The file.
    name : str
        The form's name in :data:`FORMS`.

    Returns
    -------
    form : Form or None
        The typed rows; None when the file could not be read at all.
    problems : list of Problem
        A file over the size limits (:mod:`asn_eval.input.limits`; then nothing is read), every
        cell refused, required cell missing or key repeated (``file:row:column``), and the
        loader's warnings (title and total rows skipped).
    """
    from asn_eval.input.layout import read_table
    from asn_eval.input.limits import Limits, check_file
    from asn_eval.input.readers import SUFFIXES, Source
    from asn_eval.input.validation import check_table

    file = Path(path)
    if file.suffix.lower() not in SUFFIXES:
        return None, [Problem(file.name, None, None, "bukan berkas CSV, Excel atau Parquet")]
    if not file.is_file():
        return None, [Problem(str(file), None, None, "berkas tidak ditemukan")]
    refused = check_file(file, Limits.from_env())  # a form is as hostile as any data file
    if refused:
        return None, refused
    source = Source(name, file, _sheet_for(file, FORMS[name]))
    raw, problems = read_table(source)
    if raw is None or any(p.is_error for p in problems):
        return None, problems
    table, found = check_table(raw)
    problems = sorted(problems + found, key=lambda p: (p.row or 0, p.column or "", p.message))
    frame = table.frame.reset_index(drop=True)
    form = Form(frame, np.asarray(raw.rows), source.label, dict(raw.headers), FORMS[name])
    return form, problems


def forms_in(path: str | os.PathLike[str]) -> list[str]:
    """Return which forms a file for ``asn-eval decisions import`` holds: decisions, objections.

    A workbook with a sheet named like a form (``keputusan``, ``kalibrasi``; ``keberatan``) holds
    those forms (both when it has both sheets). Otherwise the headers decide (of a CSV or
    Parquet file, or of a workbook's first sheet): any column of :data:`OBJECTION_HEADERS`
    (``Alasan Keberatan``, ``Jawaban``, …) makes it ``keberatan``, else it is ``keputusan``.

    Parameters
    ----------
    path : str or path
        The file.

    Returns
    -------
    list of str
        ``["keputusan"]``, ``["keberatan"]`` or both, in that order. A file that cannot be read
        is ``["keputusan"]`` (reading it says why).
    """
    from asn_eval.input.layout import read_table
    from asn_eval.input.limits import Limits, check_file
    from asn_eval.input.readers import SUFFIXES, Source

    file = Path(path)
    if file.suffix.lower() not in SUFFIXES or not file.is_file():
        return ["keputusan"]
    named = [name for name in ("keputusan", "keberatan") if _sheet_for(file, FORMS[name])]
    if named:
        return named
    if check_file(file, Limits.from_env()):
        return ["keputusan"]
    raw, _ = read_table(Source("keberatan", file, None))
    if raw is not None and any(name in raw.headers for name in OBJECTION_HEADERS):
        return ["keberatan"]
    return ["keputusan"]


def _sheet_for(file: Path, form: Table) -> str | None:
    """Return the sheet of a workbook named like ``form``, or None (the first sheet)."""
    from asn_eval.input.readers import SUFFIXES

    if SUFFIXES[file.suffix.lower()] != "excel":
        return None
    from python_calamine import CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(str(file)) as workbook:
            sheets = list(workbook.sheet_names)
    except Exception:  # unreadable: read_table says so, naming the file
        return None
    names = {match_key(n) for n in (form.name, *form.aliases)}
    return next((s for s in sheets if match_key(s) in names), None)
