"""Finding and reading the files of a dataset: CSV, Excel and Parquet, one file or one workbook.

A dataset is a folder with one file per table (``pegawai.csv``, ``pegawai.xlsx``,
``pegawai.parquet``), or one workbook whose sheets are the tables. Files are only ever opened
for reading. Headers are mapped to the contract's column names here; values are parsed in
:mod:`asn_eval.input.validation`.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asn_eval.input.contract import TABLES, column_lookup, table_for_name
from asn_eval.input.problems import Problem
from asn_eval.input.vocab import match_key

__all__ = ["RawTable", "Source", "discover", "fingerprint", "read_frame", "read_table"]

SUFFIXES = {
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".xls": "excel",
    ".ods": "excel",
    ".parquet": "parquet",
    ".pq": "parquet",
}


@dataclass(frozen=True)
class Source:
    """Where one table comes from.

    Parameters
    ----------
    table : str
        The table's canonical name.
    path : Path
        The file.
    sheet : str, optional
        The sheet, when the table is one sheet of a workbook.
    """

    table: str
    path: Path
    sheet: str | None = None

    @property
    def label(self) -> str:
        """How the source is named in messages: ``pegawai.csv`` or ``data.xlsx[pegawai]``."""
        return f"{self.path.name}[{self.sheet}]" if self.sheet else self.path.name

    @property
    def format(self) -> str:
        """``csv``, ``excel`` or ``parquet``."""
        return SUFFIXES[self.path.suffix.lower()]


@dataclass
class RawTable:
    """One table as read, before its values are parsed.

    Parameters
    ----------
    source : Source
        Where it was read from.
    frame : DataFrame
        Columns renamed to canonical names; unknown columns kept under their own header.
    headers : dict
        Canonical name to the header as the user wrote it (for messages).
    first_row : int
        The spreadsheet row number of the frame's first row (2 below a header row).
    """

    source: Source
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    first_row: int = 2


def _sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(path)) as workbook:
        return list(workbook.sheet_names)


def discover(path: Path) -> tuple[dict[str, Source], list[Problem]]:
    """Find the file (or sheet) that holds each table of a dataset.

    Parameters
    ----------
    path : Path
        A dataset folder, or one workbook whose sheets are the tables.

    Returns
    -------
    sources : dict
        Table name to its Source, for the tables found.
    problems : list of Problem
        Missing folder, required tables not found, a table found twice, unreadable workbooks.
    """
    problems: list[Problem] = []
    if not path.exists():
        return {}, [Problem(str(path), None, None, "folder atau berkas data tidak ditemukan")]
    files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
    candidates: list[Source] = []
    for file in files:
        if file.name.startswith((".", "~$")) or file.suffix.lower() not in SUFFIXES:
            continue
        table = table_for_name(file.stem)
        if table is not None and not (path.is_file()):
            candidates.append(Source(table, file))
        elif SUFFIXES[file.suffix.lower()] == "excel":
            try:
                sheets = _sheet_names(file)
            except Exception as error:
                problems.append(
                    Problem(file.name, None, None, f"buku kerja tidak bisa dibaca: {error}")
                )
                continue
            for sheet in sheets:
                sheet_table = table_for_name(sheet)
                if sheet_table is not None:
                    candidates.append(Source(sheet_table, file, sheet))
        elif path.is_file():
            problems.append(
                Problem(file.name, None, None, "nama berkas bukan nama tabel yang dikenal")
            )
    sources: dict[str, Source] = {}
    for source in candidates:
        if source.table in sources:
            problems.append(
                Problem(
                    source.label,
                    None,
                    None,
                    f"tabel {source.table} juga ada di {sources[source.table].label}; "
                    "simpan satu tabel di satu tempat saja",
                )
            )
        else:
            sources[source.table] = source
    for table in TABLES.values():
        if table.required and table.name not in sources:
            problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    f"tabel wajib '{table.name}' tidak ditemukan (berkas {table.name}.csv, "
                    f".xlsx atau .parquet, atau lembar '{table.name}' dalam buku kerja)",
                )
            )
    return sources, problems


def fingerprint(sources: dict[str, Source]) -> str:
    """Hash the content of every file behind ``sources``.

    Parameters
    ----------
    sources : dict
        Table name to Source.

    Returns
    -------
    str
        A hex digest that changes whenever any byte of any input file changes.
    """
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted({s.path for s in sources.values()}):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                digest.update(chunk)
    for table, source in sorted(sources.items()):
        digest.update(f"{table}={source.label}".encode())
    return digest.hexdigest()


def _sniff_csv(path: Path) -> tuple[str, str]:
    raw = path.open("rb").read(1 << 16)
    encoding = "utf-8-sig"
    try:
        sample = raw.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
        sample = raw.decode(encoding, errors="replace")
    first_line = sample.splitlines()[0] if sample else ""
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    return max(counts, key=counts.__getitem__) if any(counts.values()) else ",", encoding


def _read_frame(source: Source) -> pd.DataFrame:
    if source.format == "parquet":
        return pd.read_parquet(source.path)
    if source.format == "excel":
        frame = pd.read_excel(
            source.path, sheet_name=source.sheet or 0, engine="calamine", dtype=object
        )
        return frame.dropna(how="all")
    sep, encoding = _sniff_csv(source.path)
    try:
        return pd.read_csv(
            source.path,
            sep=sep,
            encoding=encoding,
            dtype=str,
            engine="pyarrow",
            keep_default_na=False,
            na_values=[""],
        )
    except Exception:
        return pd.read_csv(
            source.path,
            sep=sep,
            encoding=encoding,
            dtype=str,
            engine="python",
            keep_default_na=False,
            na_values=[""],
            quoting=csv.QUOTE_MINIMAL,
        )


def read_table(source: Source) -> tuple[RawTable | None, list[Problem]]:
    """Read one table and map its headers to the contract's column names.

    Parameters
    ----------
    source : Source
        The table's file or sheet.

    Returns
    -------
    raw : RawTable or None
        The table, or None when it could not be read at all.
    problems : list of Problem
        Unreadable file, two headers for one column, required columns missing.
    """
    try:
        frame = _read_frame(source)
    except Exception as error:  # any reader failure is a problem of the user's file
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return None, [Problem(source.label, None, None, f"berkas tidak bisa dibaca: {reason}")]
    return read_frame(source, frame)


def read_frame(source: Source, frame: pd.DataFrame) -> tuple[RawTable | None, list[Problem]]:
    """Map the headers of a table already in memory to the contract's column names.

    Parameters
    ----------
    source : Source
        What to call the table in messages.
    frame : DataFrame
        The table as read (row numbers follow its index: index 0 is spreadsheet row 2).

    Returns
    -------
    raw : RawTable
        The table with canonical column names.
    problems : list of Problem
        Two headers for one column, required columns missing, an empty required table.
    """
    table = TABLES[source.table]
    lookup = column_lookup(table)
    problems: list[Problem] = []
    headers: dict[str, str] = {}
    renames: dict[str, str] = {}
    for header in frame.columns:
        name = lookup.get(_key(header))
        if name is None:
            continue
        if name in headers:
            problems.append(
                Problem(
                    source.label,
                    1,
                    str(header),
                    f"kolom ini dan kolom '{headers[name]}' sama-sama berarti {name}",
                )
            )
            continue
        headers[name] = str(header)
        renames[header] = name
    frame = frame.rename(columns=renames)
    missing = [c for c in table.required_columns if c not in headers]
    for name in missing:
        aliases = ", ".join(table.column(name).aliases[:3])
        hint = f" (atau {aliases})" if aliases else ""
        problems.append(Problem(source.label, 1, name, f"kolom wajib tidak ada{hint}"))
    if frame.empty and table.required:
        problems.append(Problem(source.label, None, None, f"tabel {table.name} kosong"))
    first_row = 1 if source.format == "parquet" else 2
    return RawTable(source, frame, headers, first_row), problems


def _key(header: object) -> str:
    return match_key(str(header))
