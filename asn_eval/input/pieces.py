"""Reading one large table file in pieces, each read exactly as the whole file's rows are.

A year of daily activity logs for a million employees is 188 M rows: read whole, its cells alone
take tens of GB. This module reads a CSV or Parquet file a few hundred thousand rows at a time
(:data:`PIECE_ROWS`) and gives each piece as the :class:`~asn_eval.input.layout.RawTable` the
whole file's read would hold for those rows: the same header found in the file's first rows
(:func:`~asn_eval.input.layout.read_table` on a grid whose ``head`` is the file's and whose
``body`` is the piece), the same columns and cell values, and each row's number as the file
shows it. What the whole file's read decides from its last rows (a total or signature block
below the table) is decided on the last piece, which always holds more than the rows looked at.

A file that cannot be read this way raises :class:`~asn_eval.errors.ReadWhole` saying why:
a CSV that is not UTF-8 (it is decoded whole, line by line), one pyarrow's reader refuses (rows
of uneven width are read by a slower reader), a table whose middle rows look like a footer, a
Parquet column of an unknown name kept as categories. Those are hand-made files, small by
nature; the caller reads the dataset whole then.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from asn_eval.errors import ReadWhole
from asn_eval.input.forms import spec_of
from asn_eval.input.layout import RawTable, date_headers, find_header, read_frame, read_table
from asn_eval.input.parquet_frames import in_seconds, read_by_pandas
from asn_eval.input.problems import Problem
from asn_eval.input.readers import Grid, Source, csv_head

__all__ = ["FOOTER_ROWS", "PIECE_ROWS", "Piece", "read_pieces"]

PIECE_ROWS = 500_000
"""Rows of a piece (about 150 MB of cells for the widest table)."""

FOOTER_ROWS = 60
"""Rows at the end of a table searched for a total or signature block (as the whole read)."""

HEAD_BYTES = 1 << 20
"""Bytes of a CSV file read for its header, separator and title rows (as the whole read)."""

CSV_BLOCK = 1 << 22
"""Bytes pyarrow's CSV reader parses at a time."""


@dataclass
class Piece:
    """One piece of a table as read.

    Attributes
    ----------
    raw : RawTable or None
        Its rows (``raw.rows``: the row numbers the file shows); None when the file cannot be
        read at all (then ``problems`` says why, as the whole read does).
    problems : list of Problem
        What reading found. The last piece's are the whole file's (the header's problems, and
        the warning for a footer left out).
    last : bool
        Whether this is the file's last piece.
    """

    raw: RawTable | None
    problems: list[Problem]
    last: bool


def read_pieces(source: Source, rows: int = PIECE_ROWS) -> Iterator[Piece]:
    """Read a CSV or Parquet table file in pieces of about ``rows`` rows.

    Parameters
    ----------
    source : Source
        A table's file (not a workbook's sheet).
    rows : int
        Rows per piece; the last piece of a CSV file takes up to :data:`FOOTER_ROWS` more, so it
        holds every row a footer is looked for in.

    Yields
    ------
    Piece
        In file order; exactly one is ``last``.

    Raises
    ------
    ReadWhole
        When the file cannot be read in pieces exactly as it is read whole.
    """
    if source.sheet is not None or source.format == "excel":
        raise ReadWhole(f"{source.label}: buku kerja dibaca utuh")
    rows = max(int(rows), 1)
    if source.format == "parquet":
        yield from _parquet_pieces(source, rows)
    else:
        yield from _csv_pieces(source, rows)


# --- Parquet -------------------------------------------------------------------------------------


def _parquet_pieces(source: Source, rows: int) -> Iterator[Piece]:
    try:
        file = pq.ParquetFile(source.path)
        nulls = _null_columns(file)
        schema = file.schema_arrow
        dates = (
            set() if read_by_pandas(schema) else date_headers(spec_of(source.table))(schema.names)
        )
        batches = file.iter_batches(batch_size=rows)
        first = 1
        pending: pd.DataFrame | None = None
        for batch in batches:
            frame = _parquet_frame(pa.Table.from_batches([batch], schema), nulls, dates)
            if pending is not None:
                yield _parquet_piece(source, pending, first, last=False)
                first += len(pending)
            pending = frame
        if pending is None:
            pending = _parquet_frame(schema.empty_table(), nulls, dates)
    except ReadWhole:
        raise
    except Exception as error:  # the whole read says what is wrong with the file
        raise ReadWhole(f"{source.label}: {error}") from None
    yield _parquet_piece(source, pending, first, last=True)


def _null_columns(file: pq.ParquetFile) -> set[str]:
    """Integer and true/false columns with a missing value anywhere in the file (metadata).

    pandas reads such a column as float (or object) when the whole file is read; a piece
    without missing values would come out as integers. A column without statistics is counted.
    """
    found = set()
    schema = file.schema_arrow
    meta = file.metadata
    for i, field in enumerate(schema):
        if not (pa.types.is_integer(field.type) or pa.types.is_boolean(field.type)):
            continue
        for group in range(meta.num_row_groups):
            column = meta.row_group(group).column(i)
            stats = column.statistics
            if stats is None or not stats.has_null_count or stats.null_count > 0:
                found.add(field.name)
                break
    return found


def _parquet_frame(table: pa.Table, nulls: set[str], dates: set[str]) -> pd.DataFrame:
    """Convert a Parquet piece as the whole file's rows are converted (:func:`read_table`)."""
    frame = table.to_pandas()
    for name in dates:  # in whole seconds, as the whole file's date columns
        seconds = in_seconds(table[name])
        if seconds is not None:
            frame[name] = seconds.set_axis(frame.index)
    for name in nulls:
        dtype = frame[name].dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "iu":  # not pandas' own Int64
            frame[name] = frame[name].astype("float64")
        elif isinstance(dtype, np.dtype) and dtype.kind == "b":
            frame[name] = frame[name].astype(object)
    return frame


def _parquet_piece(source: Source, frame: pd.DataFrame, first: int, last: bool) -> Piece:
    raw, problems = read_frame(source, frame, first_row=first)
    if raw is not None:
        known = {c.name for c in spec_of(source.table).columns}
        odd = [
            c
            for c in raw.frame
            if c not in known and isinstance(raw.frame[c].dtype, pd.CategoricalDtype)
        ]
        if odd:  # kept as categories, whose list and order are the whole file's
            raise ReadWhole(f"{source.label}: kolom {odd[0]} berkategori")
    return Piece(raw, problems, last)


# --- CSV -----------------------------------------------------------------------------------------


def _csv_start(source: Source) -> tuple[Grid, list[int]]:
    """Read a CSV file's first rows and separator as :func:`~.readers.read_grid` does."""
    path = source.path
    with path.open("rb") as handle:
        start = handle.read(HEAD_BYTES + len(codecs.BOM_UTF8))
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadWhole(f"{source.label}: UTF-16")
    utf8 = start.removeprefix(codecs.BOM_UTF8)
    head_bytes = utf8[:HEAD_BYTES]
    if path.stat().st_size - (len(start) - len(utf8)) > len(head_bytes):
        head_bytes = head_bytes[: head_bytes.rfind(b"\n") + 1]
    if _has_nul(source):
        raise ReadWhole(f"{source.label}: byte NUL")
    try:
        head = head_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise ReadWhole(f"{source.label}: bukan UTF-8") from None
    grid = Grid(source)
    return grid, csv_head(grid, head)


def _has_nul(source: Source) -> bool:
    with source.path.open("rb") as handle:
        while chunk := handle.read(1 << 24):
            if b"\x00" in chunk:
                return True
    return False


def _csv_batches(source: Source, skip: int, separator: str) -> Iterator[pa.RecordBatch]:
    """Read a CSV file's rows after ``skip`` lines, as :func:`~.readers.read_grid` reads them.

    The options of its ``pandas.read_csv(engine="pyarrow")``: every cell text, an empty cell
    missing, blank lines kept (their row numbers count).
    """
    reader = pacsv.open_csv(
        source.path,
        read_options=pacsv.ReadOptions(
            skip_rows=skip, autogenerate_column_names=True, block_size=CSV_BLOCK
        ),
        parse_options=pacsv.ParseOptions(delimiter=separator, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            null_values=[""], strings_can_be_null=True, default_column_type=pa.large_string()
        ),
    )
    yield from reader


def _csv_pieces(source: Source, rows: int) -> Iterator[Piece]:
    grid, lines_after = _csv_start(source)
    table = spec_of(source.table)
    if not any(v is not None for row in grid.head for v in row):  # empty: said by the whole read
        raw, problems = read_table(source, grid)
        yield Piece(raw, problems, last=True)
        return
    _, end, _ = find_header(grid.head, table, grid.merged)
    skip = lines_after[end - 1] if end else 0
    buffered: list[pa.RecordBatch] = []
    count, first = 0, end
    try:
        for batch in _csv_batches(source, skip, grid.separator or ","):
            buffered.append(batch)
            count += batch.num_rows
            while count > rows + FOOTER_ROWS:  # the last piece keeps the rows a footer is in
                held = pa.Table.from_batches(buffered)
                yield _csv_piece(source, grid, held.slice(0, rows), first, end, last=False)
                buffered, count, first = held.slice(rows).to_batches(), count - rows, first + rows
    except ReadWhole:
        raise
    except Exception as error:  # not UTF-8 after all, or rows pyarrow refuses
        raise ReadWhole(f"{source.label}: {str(error).splitlines()[0]}") from None
    held = pa.Table.from_batches(buffered) if buffered else None
    yield _csv_piece(source, grid, held, first, end, last=True, alone=first == end)


def _csv_piece(
    source: Source,
    grid: Grid,
    cells: pa.Table | None,
    first: int,
    end: int,
    *,
    last: bool,
    alone: bool = False,
) -> Piece:
    """Lay out one piece as the whole file's rows ``first …`` are laid out."""
    frame = pd.DataFrame() if cells is None else cells.to_pandas()
    frame.columns = range(frame.shape[1])
    frame.index = pd.RangeIndex(first, first + len(frame))

    def body(start: int) -> pd.DataFrame:
        if start != end:
            raise ReadWhole(f"{source.label}: judul kolom tidak ditemukan sama")
        return frame

    piece = Grid(source, head=grid.head, body=body, separator=grid.separator)
    raw, problems = read_table(source, piece)
    filled = np.flatnonzero(frame.notna().any(axis=1).to_numpy()) if frame.shape[1] else []
    if raw is not None and not alone and len(filled):
        kept = len(raw.frame) and int(raw.rows[-1]) == first + int(filled[-1]) + 1
        if not kept and not last:  # a total or signature block amid the rows
            raise ReadWhole(f"{source.label}: baris jumlah atau tanda tangan di tengah tabel")
        if last and len(filled) <= FOOTER_ROWS:
            raise ReadWhole(f"{source.label}: bagian akhir tabel hampir kosong")
    elif raw is not None and not alone:
        raise ReadWhole(f"{source.label}: {len(frame)} baris kosong berturut-turut")
    return Piece(raw, problems, last)
