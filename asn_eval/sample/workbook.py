"""The sample as one Excel workbook in the style of an e-Kinerja export.

A sheet per table, headers as e-Kinerja writes them ("NIP Pegawai", "Unit Kerja" …: the first
alias of each column in the input contract), NIPs with spaces and labels in the mixed forms the
loader accepts (upper case, short levels, the longer forms of ``catalogue/ekinerja.toml``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from asn_eval.input import vocab
from asn_eval.input.contract import TABLES
from asn_eval.input.nip import format_nip
from asn_eval.sample import catalogue as cat
from asn_eval.sample.codes import stream
from asn_eval.spreadsheet import table_workbook

EXCEL_MAX_ROWS = 1_048_575
"""Data rows an Excel sheet can hold below its header row."""


def _excel_header(table: str, column: str) -> str:
    """Return the e-Kinerja header of a column: its first alias in the contract, or its name."""
    spec = TABLES[table].column(column)
    return spec.aliases[0] if spec.aliases else column


def _excel_values(
    table: str, column: str, series: pd.Series, rng: np.random.Generator
) -> np.ndarray | pd.Series:
    """Return one column's cells as e-Kinerja exports write them, in forms the loader accepts.

    Texts come as an object array (None where missing), numbers and dates in their own dtype
    (NaN or NaT where missing), as :func:`asn_eval.spreadsheet.table_workbook` takes them.
    """
    spec = TABLES[table].column(column)
    n = len(series)
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = [str(c) for c in series.cat.categories]
        variants = [[c] for c in categories]
        if spec.kind == "nip":
            formatted = format_nip(pd.Series(categories, dtype="str")).tolist()
            variants = [[f] for f in formatted]
        elif spec.labels is vocab.LEVEL:
            variants = [[c, c.upper(), c.removesuffix(" Ekspektasi")] for c in categories]
        elif spec.kind == "periode":
            variants = [[c, c.replace("-", " ")] for c in categories]
        elif spec.labels is vocab.PREDIKAT:
            short = cat.EKINERJA_FORMS["predikat"]
            variants = [[c, short.get(c, c.upper())] for c in categories]
        elif spec.labels is vocab.JENIS_KELAMIN:
            variants = [[c, cat.EKINERJA_FORMS["jenis_kelamin"][c]] for c in categories]
        elif spec.labels is vocab.PERAN_PENILAI:
            variants = [[c, cat.EKINERJA_FORMS["peran_penilai"][c]] for c in categories]
        width = max((len(v) for v in variants), default=1)
        table_ = np.empty((len(categories) + 1, width), dtype=object)
        for i, v in enumerate(variants):
            table_[i] = (v * width)[:width]
        table_[-1] = None
        codes = series.cat.codes.to_numpy().astype(np.int64)
        codes = np.where(codes < 0, len(categories), codes)
        pick = rng.choice(width, n, p=[0.7] + [0.3 / (width - 1)] * (width - 1)) if width > 1 else 0
        return table_[codes, pick]
    if pd.api.types.is_datetime64_any_dtype(series.dtype) or pd.api.types.is_numeric_dtype(
        series.dtype
    ):
        return series.to_numpy()
    values = series.astype(object)
    if spec.kind == "nip":
        values = format_nip(series.astype("str"))
    return values.where(series.notna(), None).to_numpy(dtype=object)


def write_workbook(path: Path, tables: dict[str, pd.DataFrame], seed: int) -> None:
    """Write all tables as sheets of one workbook (bold headers, the header row frozen).

    Parameters
    ----------
    path : Path
        The ``.xlsx`` file to write.
    tables : dict of str to DataFrame
        One sheet per table, in this order.
    seed : int
        The sample's seed: which cells get a loose label form is drawn from it.
    """
    rng = stream(seed, 9)
    sheets = {}
    for name, frame in tables.items():
        headers = [_excel_header(name, c) for c in frame.columns]
        sheets[name] = (headers, [_excel_values(name, c, frame[c], rng) for c in frame.columns])
    table_workbook(path, sheets, date_format="dd/mm/yyyy")


def estimate_rows(n: int) -> int:
    """Estimate (a little above) the aktivitas rows of ``n`` employees: the largest table.

    Parameters
    ----------
    n : int
        Employees of the sample.

    Returns
    -------
    int
        An upper estimate of the rows, to refuse a workbook before generating anything.
    """
    return int(n * 262 * 0.675 * 1.08 * 1.02)


def too_big(table: str, rows: int) -> str:
    """Explain, in Bahasa Indonesia, that a table does not fit an Excel sheet.

    Parameters
    ----------
    table : str
        The table's name.
    rows : int
        Its (estimated) number of rows.

    Returns
    -------
    str
        The message for the user.
    """

    def number(value: int) -> str:
        return f"{value:,}".replace(",", ".")

    return (
        f"tabel {table} berisi sekitar {number(rows)} baris, melebihi batas satu lembar Excel "
        f"({number(EXCEL_MAX_ROWS)} baris data); buku kerja tidak dibuat. Kurangi n_pegawai "
        "atau tulis tanpa buku kerja (format='parquet' untuk data besar)"
    )
