"""Finding the files of a dataset and reading them into cells: CSV, Excel and Parquet.

A dataset is a folder with one file per table (``pegawai.csv``, ``pegawai.xlsx``,
``pegawai.parquet``), or one workbook whose sheets are the tables. Files are only ever opened
for reading. This module turns a file into a :class:`Grid` of cells as a spreadsheet shows them,
before any header is chosen: the bytes decoded one way (or the lines that do not decode refused),
Excel's cell types kept (a number stays a number, so a NIP typed as a number can be recognised),
and formula cells that carry no stored value marked, never read as empty. Where the header is and
what the columns mean is decided in :mod:`asn_eval.input.layout`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import os
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asn_eval.input.contract import TABLES, table_for_name
from asn_eval.input.limits import Limits, check_file, read_part, verify_archive
from asn_eval.input.parquet_frames import parquet_frame
from asn_eval.input.problems import Problem

__all__ = [
    "MANIFEST",
    "Grid",
    "Source",
    "csv_head",
    "discover",
    "fingerprint",
    "is_store",
    "read_grid",
]

MANIFEST = "asn-eval-store.json"
"""The file name of a store's manifest (:mod:`asn_eval.input.store`): a folder holding it is a
store, read as a whole, not discovered file by file."""

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

HEAD_ROWS = 40
"""How many rows from the top are searched for the header (title rows, blank rows, the header)."""

MAX_COMPUTED_FORMULAS = 20_000
"""Formula cells without a stored value that are computed; more are refused (save in Excel)."""

_SEPARATORS = (";", ",", "\t", "|")


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
class Grid:
    """A file or sheet as cells, before a header is chosen.

    Parameters
    ----------
    source : Source
        Where the cells come from.
    head : list of list
        The first :data:`HEAD_ROWS` rows as cells (``None`` for an empty cell); row ``i`` is
        spreadsheet row ``i + 1``.
    body : callable
        ``body(start)`` returns the rows from 0-based row ``start`` on as a DataFrame with integer
        column labels ``0 … n-1`` and an index holding each row's 0-based position in the file;
        None when the file turns out not to be decodable (``problems`` then says why).
    merged : list of tuple
        Merged ranges ``((row0, col0), (row1, col1))``, 0-based and inclusive (Excel only).
    formulas : dict
        ``(row, col)`` (0-based) to the formula text, for formula cells without a stored value.
    typed : bool
        True when cells keep the spreadsheet's types (Excel, Parquet): a number is a number.
    problems : list of Problem
        What reading found: undecodable lines, NUL bytes.
    frame : DataFrame, optional
        For Parquet (and tables given in memory): the table with its own column names; there is
        no header to find.
    compute : callable, optional
        ``compute(cells)`` returns the values of formula cells, for workbooks.
    percent : set of tuple
        ``(row, col)`` (0-based) of cells formatted as a percentage: Excel stores 0.856 and
        shows 85.6 %.
    separator : str, optional
        The field separator of a CSV file.
    """

    source: Source
    head: list[list[object]] = field(default_factory=list)
    body: object = None
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    percent: set[tuple[int, int]] = field(default_factory=set)
    typed: bool = False
    problems: list[Problem] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    compute: object = None
    separator: str | None = None


def _sheet_names(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(path)) as workbook:
        return list(workbook.sheet_names)


def is_store(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a store written by :func:`~asn_eval.input.store.write_store`.

    Parameters
    ----------
    path : str or path-like
        A folder or file.

    Returns
    -------
    bool
        True when it is a folder holding :data:`MANIFEST`.
    """
    return (Path(path) / MANIFEST).is_file()


def discover(path: Path, limits: Limits | None = None) -> tuple[dict[str, Source], list[Problem]]:
    """Find the file (or sheet) that holds each table of a dataset.

    Every file that may hold a table is checked before anything is read from it
    (:func:`asn_eval.input.limits.check_file`): its size, a workbook's parts, a Parquet file's
    metadata, and links leading out of the folder.

    Parameters
    ----------
    path : Path
        A dataset folder, or one workbook whose sheets are the tables.
    limits : Limits, optional
        How big a file may be; :meth:`Limits.from_env` when None.

    Returns
    -------
    sources : dict
        Table name to its Source, for the tables found.
    problems : list of Problem
        Missing folder, required tables not found, a table found twice, unreadable workbooks,
        files over a limit, links out of the folder.
    """
    problems: list[Problem] = []
    if not path.exists():
        return {}, [Problem(str(path), None, None, "folder atau berkas data tidak ditemukan")]
    limits = Limits.from_env() if limits is None else limits
    folder = None if path.is_file() else path
    files = [path] if folder is None else sorted(path.iterdir())
    candidates: list[Source] = []
    refused: set[str | None] = set()  # the tables of refused files (None: a workbook's sheets)
    for file in files:
        if file.name.startswith((".", "~$")) or file.suffix.lower() not in SUFFIXES:
            continue
        if not (file.is_file() or file.is_symlink()):
            continue  # a folder named like a file
        if refusals := check_file(file, limits, folder):
            problems += refusals
            refused.add(None if folder is None else table_for_name(file.stem))
            continue
        table = table_for_name(file.stem)
        if table is not None and not (path.is_file()):
            candidates.append(Source(table, file))
        elif SUFFIXES[file.suffix.lower()] == "excel":
            try:
                sheets = _sheet_names(file)
            except Exception as error:
                problems.append(
                    verify_archive(file)
                    or Problem(file.name, None, None, f"buku kerja tidak bisa dibaca: {error}")
                )
                refused.add(None)
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
        if table.required and table.name not in sources and not refused & {table.name, None}:
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
    digest = hashlib.sha256()  # hardware-accelerated on current CPUs: twice blake2b's speed
    buffer = bytearray(1 << 22)  # one buffer for every read: no fresh memory per chunk
    for path in sorted({s.path for s in sources.values()}):
        digest.update(path.name.encode())
        with path.open("rb") as handle, memoryview(buffer) as view:
            while size := handle.readinto(buffer):
                digest.update(view[:size])
    for table, source in sorted(sources.items()):
        digest.update(f"{table}={source.label}".encode())
    return digest.hexdigest()


# --- CSV -----------------------------------------------------------------------------------------


def _lines_with(data: bytes, needle: bytes) -> list[int]:
    """1-based numbers of the lines of ``data`` that contain ``needle``."""
    found, start = [], 0
    while (at := data.find(needle, start)) >= 0:
        found.append(data.count(b"\n", 0, at) + 1)
        start = data.find(b"\n", at) + 1 or len(data)
    return sorted(set(found))


def _rows_text(rows: list[int], limit: int = 8) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (f" dan {len(rows) - limit:,} lainnya" if len(rows) > limit else "")


def decode(data: bytes, label: str) -> tuple[str | None, list[Problem]]:
    """Decode a text file one way, or say which lines cannot be decoded.

    The rule (written in ``data/README.md``): a byte-order mark decides (UTF-8, UTF-16); else the
    file is UTF-8 when every line is; else Windows-1252 (old Excel on Windows) when no line is
    UTF-8 with characters outside ASCII; a file that mixes the two is refused line by line. NUL
    bytes are refused with their lines.

    Parameters
    ----------
    data : bytes
        The file's content.
    label : str
        The file's name for messages.

    Returns
    -------
    text : str or None
        The decoded text, None when the file was refused.
    problems : list of Problem
        Errors for NUL bytes and undecodable lines; a warning when read as Windows-1252.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return _no_nul(data.decode("utf-16"), label)
        except UnicodeDecodeError as error:
            return None, [Problem(label, None, None, f"berkas UTF-16 rusak: {error.reason}")]
    data = data.removeprefix(codecs.BOM_UTF8)
    if b"\x00" in data:
        rows = _lines_with(data, b"\x00")
        message = (
            "berisi byte NUL (\\x00), tanda berkas rusak atau bukan teks; buka di Excel dan "
            "simpan ulang sebagai CSV UTF-8"
        )
        return None, [Problem(label, row, None, message) for row in rows]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    bad, utf8_lines = [], 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
        except UnicodeDecodeError:
            bad.append(number)
    if utf8_lines == 0:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            note = "berkas dibaca sebagai Windows-1252 (bukan UTF-8); periksa huruf beraksen"
            return text, [Problem(label, None, None, note, level="peringatan")]
    message = (
        "baris ini bukan UTF-8 seperti baris lain di berkas ini (pengodean bercampur); "
        "ketik ulang huruf beraksennya atau simpan ulang berkas sebagai CSV UTF-8"
    )
    return None, [Problem(label, row, None, message) for row in bad]


def _no_nul(text: str, label: str) -> tuple[str | None, list[Problem]]:
    if "\x00" not in text:
        return text, []
    rows = [i for i, line in enumerate(text.split("\n"), start=1) if "\x00" in line]
    return None, [Problem(label, r, None, "berisi karakter NUL (\\x00)") for r in rows]


def sniff_separator(lines: list[str]) -> str:
    """Choose the field separator that splits most of the first lines into the same fields.

    Title rows above a header have fewer fields than the table, so the separator is the one whose
    most common field count (above one) is shared by the most lines.

    Parameters
    ----------
    lines : list of str
        The first lines of the file.

    Returns
    -------
    str
        ``;``, ``,``, tab or ``|``; ``,`` when nothing splits.
    """
    best, best_score = ",", (0, 0)
    for sep in _SEPARATORS:
        counts = Counter(len(r) for r in csv.reader(lines, delimiter=sep) if len(r) > 1)
        if not counts:
            continue
        width, lines_with_width = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = (lines_with_width, width)
        if score > best_score:
            best, best_score = sep, score
    return best


def csv_head(grid: Grid, head: str) -> list[int]:
    """Read a CSV file's separator and first :data:`HEAD_ROWS` rows into ``grid``.

    Parameters
    ----------
    grid : Grid
        The file's grid; its ``separator`` and ``head`` are set.
    head : str
        The file's first MiB of text, ending on a whole line.

    Returns
    -------
    list of int
        For each row of ``grid.head``, the physical line it ends on: the lines to skip to read
        from the row after it (a quoted cell may span lines).
    """
    first_lines = head[: 1 << 16].splitlines()[:HEAD_ROWS]
    grid.separator = sniff_separator(first_lines)
    reader = csv.reader(io.StringIO(head), delimiter=grid.separator)
    lines_after: list[int] = []
    for row in reader:
        grid.head.append([cell if cell.strip() else None for cell in row])
        lines_after.append(reader.line_num)
        if len(grid.head) >= HEAD_ROWS:
            break
    return lines_after


def _csv_grid(source: Source) -> Grid:
    data = source.path.read_bytes()
    grid = Grid(source)
    utf8 = data.removeprefix(codecs.BOM_UTF8)
    head_bytes = utf8[: 1 << 20]
    if len(utf8) > len(head_bytes):
        head_bytes = head_bytes[: head_bytes.rfind(b"\n") + 1]
    try:  # the common case: UTF-8, checked whole by pyarrow as it reads (no second pass here)
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "not plain UTF-8")
        head = head_bytes.decode("utf-8")
        encoded: bytes = utf8
    except UnicodeDecodeError:
        text, grid.problems = decode(data, source.label)
        if text is None:
            return grid
        head, encoded = text[: 1 << 20], text.encode("utf-8")
    lines_after = csv_head(grid, head)
    sep = grid.separator

    def read(start: int, content: bytes) -> pd.DataFrame:
        skip = lines_after[start - 1] if start else 0
        width = max((len(r) for r in grid.head[start:]), default=1)
        options = dict(
            sep=sep,
            header=None,
            skiprows=skip,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
        )
        try:
            return pd.read_csv(io.BytesIO(content), engine="pyarrow", **options)
        except Exception as error:
            if "utf8" in str(error).lower().replace("-", ""):
                raise UnicodeDecodeError("utf-8", b"", 0, 1, str(error)) from error
            return pd.read_csv(
                io.BytesIO(content),
                engine="python",
                names=range(width),
                quoting=csv.QUOTE_MINIMAL,
                **options,
            )

    def body(start: int) -> pd.DataFrame | None:
        try:
            frame = read(start, encoded)
        except UnicodeDecodeError:  # not UTF-8 after all: decode one way, or refuse the lines
            text, problems = decode(data, source.label)
            grid.problems += problems
            if text is None:
                return None
            frame = read(start, text.encode("utf-8"))
        frame.columns = range(frame.shape[1])
        frame.index = pd.RangeIndex(start, start + len(frame))
        return frame

    grid.body = body
    return grid


# --- Excel ---------------------------------------------------------------------------------------


def _sheet_part(archive: zipfile.ZipFile, sheet: str | None) -> str | None:
    """Find a sheet's XML inside an .xlsx archive (the first sheet when ``sheet`` is None)."""
    from defusedxml import ElementTree as ET

    book = ET.fromstring(read_part(archive, "xl/workbook.xml"))
    rels = ET.fromstring(read_part(archive, "xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for entry in book.iter():
        if not entry.tag.endswith("}sheet") or (sheet is not None and entry.get("name") != sheet):
            continue
        rid = next((v for k, v in entry.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _has_formulas(path: Path, sheet: str | None) -> bool:
    """Whether a sheet of an .xlsx/.xlsm file holds a formula: a fast scan of its XML.

    The letter ``f`` followed by ``>`` occurs in sheet XML only in a formula element (``<f>``,
    ``</f>``, ``</x:f>``), so one byte search per chunk decides; a false alarm only costs the
    slower exact look that follows.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return True
            with archive.open(part) as handle:
                tail = b""
                while chunk := handle.read(1 << 22):
                    text = tail + chunk
                    at = text.find(b"f>")
                    while at > 0:
                        if text[at - 1 : at] in (b"<", b"/", b":"):
                            return True
                        at = text.find(b"f>", at + 2)
                    tail = chunk[-2:]
    except (OSError, KeyError, zipfile.BadZipFile, SyntaxError):
        return True  # cannot tell cheaply: look exactly
    return False


_QUOTED = re.compile(r'"[^"]*"|\\.')


def _percent_styles(archive: zipfile.ZipFile) -> set[int]:
    """Find the cell styles (indexes into ``cellXfs``) whose number format is a percentage."""
    from defusedxml import ElementTree as ET

    try:
        styles = ET.fromstring(read_part(archive, "xl/styles.xml"))
    except KeyError:
        return set()
    percent = {9, 10}  # Excel's built-in 0% and 0.00%
    for element in styles.iter():
        if element.tag.endswith("}numFmt") and "%" in _QUOTED.sub(
            "", element.get("formatCode", "")
        ):
            percent.add(int(element.get("numFmtId", "-1")))
    xfs = next((e for e in styles.iter() if e.tag.endswith("}cellXfs")), [])
    return {i for i, xf in enumerate(xfs) if int(xf.get("numFmtId", "0")) in percent}


def _percent_cells(source: Source) -> set[tuple[int, int]]:
    """Find the cells of a sheet formatted as a percentage (when the workbook has such a style)."""
    if source.path.suffix.lower() not in (".xlsx", ".xlsm"):
        return set()
    from openpyxl.utils import column_index_from_string

    try:
        with zipfile.ZipFile(source.path) as archive:
            styles = _percent_styles(archive)
            part = _sheet_part(archive, source.sheet) if styles else None
            if part is None:
                return set()
            xml = read_part(archive, part)
    except (OSError, KeyError, zipfile.BadZipFile, SyntaxError):
        return set()
    wanted = b"|".join(str(i).encode() for i in sorted(styles))
    cell = re.compile(rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"[^>]*?\ss="(?:' + wanted + rb')"')
    return {
        (int(m.group(2)) - 1, column_index_from_string(m.group(1).decode()) - 1)
        for m in cell.finditer(xml)
    }


def _formula_cells(source: Source, values: list[list[object]]) -> dict[tuple[int, int], str]:
    """Find formula cells whose stored value is missing (calamine reads them as empty).

    Only for a workbook whose parts :func:`verify_archive` found to be what they declare.
    """
    import openpyxl

    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(source.path, read_only=True, data_only=False)
    try:
        sheet = workbook[source.sheet] if source.sheet else workbook.worksheets[0]
        for row in sheet.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) != "f":
                    continue
                r, c = cell.row - 1, cell.column - 1
                stored = values[r][c] if r < len(values) and c < len(values[r]) else ""
                if stored == "" or stored is None:
                    found[(r, c)] = str(cell.value)
    finally:
        workbook.close()
    return found


def _compute_formulas(path: Path, sheet: str, cells: list[tuple[int, int]]) -> dict:
    """Compute formula cells with the ``formulas`` library (Excel's own semantics).

    Returns a mapping of ``(row, col)`` to the computed value; cells that cannot be computed, or
    that compute to an Excel error, are left out.
    """
    from openpyxl.utils import get_column_letter

    with (
        warnings.catch_warnings(),
        contextlib.redirect_stderr(io.StringIO()),
        contextlib.redirect_stdout(io.StringIO()),
    ):
        warnings.simplefilter("ignore")  # the library's own SyntaxWarnings and progress bar
        import formulas

        model = formulas.ExcelModel().loads(str(path)).finish()
        solution = model.calculate()
    by_address = {}
    for key, value in solution.items():
        name = str(key).upper()
        if "!" not in name:
            continue
        book_sheet, address = name.rsplit("!", 1)
        if book_sheet.strip("'").rsplit("]", 1)[-1] != sheet.upper():
            continue
        by_address[address.replace("$", "")] = value
    out = {}
    for r, c in cells:
        value = by_address.get(f"{get_column_letter(c + 1)}{r + 1}")
        if value is None:
            continue
        item = getattr(value, "value", value)
        with contextlib.suppress(Exception):
            item = item[0][0]
        if isinstance(item, str | bool) or item is None:
            if isinstance(item, str) and not item.startswith("#"):
                out[(r, c)] = item
            continue
        with contextlib.suppress(TypeError, ValueError):
            number = float(item)
            if number == number:  # not NaN
                out[(r, c)] = int(number) if number.is_integer() else number
    return out


def _excel_grid(source: Source) -> Grid:
    from python_calamine import CalamineWorkbook

    try:
        with CalamineWorkbook.from_path(str(source.path)) as workbook:
            sheet = (
                workbook.get_sheet_by_name(source.sheet)
                if source.sheet
                else workbook.get_sheet_by_index(0)
            )
            values = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
            sheet_name = sheet.name
    except Exception:  # calamine stops at a part larger than declared: name it
        if (refusal := verify_archive(source.path)) is not None:
            return Grid(source, problems=[refusal])
        raise
    grid = Grid(source, typed=True, merged=merged)
    if source.path.suffix.lower() in (".xlsx", ".xlsm") and _has_formulas(
        source.path, source.sheet
    ):  # openpyxl and formulas unpack whole parts: only parts that are what they declare
        if (refusal := verify_archive(source.path)) is not None:
            return Grid(source, problems=[refusal])
        grid.formulas = _formula_cells(source, values)
    grid.percent = _percent_cells(source)
    width = max((len(r) for r in values), default=0)
    grid.head = [[None if v == "" else v for v in row] for row in values[:HEAD_ROWS]]

    def body(start: int) -> pd.DataFrame:
        frame = pd.DataFrame(values[start:], columns=range(width), dtype=object)
        frame = frame.mask(frame.eq(""))  # an empty cell is missing, as in a CSV
        frame.index = pd.RangeIndex(start, start + len(frame))
        return frame

    grid.body = body
    grid.compute = lambda cells: _compute_formulas(source.path, sheet_name, cells)
    return grid


def read_grid(
    source: Source,
    seconds: Callable[[list[str]], Collection[str]] | None = None,
    categories: Callable[[list[str]], dict[str, pd.CategoricalDtype]] | None = None,
) -> Grid:
    """Read one file or sheet into cells.

    Parameters
    ----------
    source : Source
        The table's file or sheet.
    seconds : callable, optional
        For a Parquet file: given its column names, the timestamp columns to read in whole
        seconds (:func:`~asn_eval.input.parquet_frames.parquet_frame`).
    categories : callable, optional
        For a Parquet file: given its column names, dtypes for some of its text columns
        (:func:`~asn_eval.input.parquet_frames.parquet_frame`).

    Returns
    -------
    Grid
        The cells; ``grid.problems`` holds what made the file unreadable (then ``grid.body`` and
        ``grid.frame`` are None).
    """
    try:
        if source.format == "parquet":
            return Grid(source, typed=True, frame=parquet_frame(source.path, seconds, categories))
        if source.format == "excel":
            return _excel_grid(source)
        return _csv_grid(source)
    except Exception as error:  # any reader failure is a problem of the user's file
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        if _is_xml_entity_refusal(error):
            reason = "memakai entitas XML buatan (DTD), yang tidak pernah ada di buku kerja asli"
        return Grid(
            source,
            problems=[Problem(source.label, None, None, f"berkas tidak bisa dibaca: {reason}")],
        )


def _is_xml_entity_refusal(error: BaseException) -> bool:
    """Whether an XML entity was refused: declared (defusedxml) or unknown (calamine)."""
    from defusedxml import DefusedXmlException

    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DefusedXmlException) or "unrecognized entity" in str(error):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False
