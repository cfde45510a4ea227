"""Hostile text in every free-text field: what people (or an attacker) can type into a cell.

Shared by the workbook tests (``test_spreadsheet.py``) and the figure and page tests
(``test_literal_text.py``, ``test_literal_pages.py``). The values are formulas (live, a link, a
DDE command), texts that Excel reads as formulas (``+``, ``-``, ``@``), control characters,
an address, mathtext (valid and not) and markup. Tables are written as CSV with every field
quoted, so a carriage return inside a value is part of the value, as a careful export writes it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from conftest import tiny_tables

HOSTILE = (
    '=HYPERLINK("http://x.example","klik")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(1)",
    "\tTAB",
    "\rCR",
    "http://evil.example/",
    "$\\undefinedcmd{x}$",
    "<b>x</b>",
    "$\\alpha$ <b>x</b>",
    "tab\tdi tengah",
    "cr\rdi tengah",
    "_x0041_",  # Excel's escape for "A": must stay these seven characters
)
"""Hostile texts, exactly as typed."""

FREE_TEXT = (
    ("opd", "nama_opd"),
    ("pegawai", "nama"),
    ("pegawai", "unit_kerja"),
    ("pegawai", "jabatan"),
    ("skp", "rhk"),
    ("skp", "indikator"),
    ("skp", "satuan"),
    ("skp", "umpan_balik"),
    ("perilaku", "umpan_balik"),
    ("survei", "unit_layanan"),
    ("aktivitas", "uraian"),
)
"""Every free-text column of the input contract (table, column)."""


def hostile_tables(
    value: Callable[[int, str, str], str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Return the tiny valid dataset with hostile text in every free-text field.

    Parameters
    ----------
    value : callable, optional
        ``value(i, table, column)`` gives row ``i``'s text; by default the hostile values in
        turn, each column starting further along, so that every value lands in several fields.

    Returns
    -------
    dict of str to DataFrame
        Raw tables (text, as they would be in files).
    """
    tables = tiny_tables()
    for offset, (table, column) in enumerate(FREE_TEXT):
        frame = tables[table]
        frame[column] = [
            value(i, table, column) if value else HOSTILE[(offset * 3 + i) % len(HOSTILE)]
            for i in range(len(frame))
        ]
    return tables


def write_quoted(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    """Write each table as ``<name>.csv`` with every field quoted; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, quoting=csv.QUOTE_ALL)
    return folder
