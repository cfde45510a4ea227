"""Where a table sits on its sheet: the header, title rows, footer rows and the wide form.

Recaps and exports rarely start with their header on row 1. This module finds the header row (or
a two-row header whose parent cell spans several children) within the first rows, skips the
title and blank rows above it, takes a missing constant column from a title line such as
``Periode: Triwulan I 2025``, leaves out total and signature rows below the data, computes formula
cells that carry no stored value, and turns a behaviour questionnaire exported wide (one column per
core value) into long rows. Each of these is said in one warning, never silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from asn_eval.formatting import number
from asn_eval.input.contract import Table, column_lookup
from asn_eval.input.forms import spec_of
from asn_eval.input.periode import periode_from_title
from asn_eval.input.problems import Problem
from asn_eval.input.readers import MAX_COMPUTED_FORMULAS, Grid, Source, read_grid
from asn_eval.input.vocab import NILAI_INTI, match_key

__all__ = ["RawTable", "date_headers", "holds_numbers", "read_frame", "read_table"]

TOTAL_WORDS = re.compile(
    r"^(jumlah|total|sub ?total|rata|rerata|nilai rata|nrr|nilai ikm|ikm|indeks|mutu|"
    r"kinerja unit|nilai interval|nilai konversi|konversi|keterangan|catatan|sumber|"
    r"tanggal cetak|dicetak)",
)
"""How the first cell of a total or average row below a table begins (lower case)."""

SIGNATURE_WORDS = re.compile(
    r"^(mengetahui|disetujui|dibuat|kepala|nip\b|ttd|an\.? kepala|plt\.?|plh\.?|pj\.?\b)"
    r"|^[^\d,]{2,40},\s*\d{1,2}\s+[a-z]+\s+\d{4}$"  # the place and date: "Pariaman, 31 Maret 2025"
)
"""How the first cell of a signature row begins; such a row holds one or two cells only (a
data row whose NIP is written ``NIP. 1966…`` is not a signature)."""

VALUE_CHILDREN = frozenset({"jumlah", "nilai", "angka", "volume", "besaran", "kuantitas"})
"""Children of a two-row header that mean the parent's own value (``Target`` over ``Jumlah``)."""

YEAR_HEADERS = frozenset({"tahun", "thn", "tahunanggaran"})
"""Header keys of a separate year column next to a period written without its year."""

_TITLE_FIELD = re.compile(r"^\s*([^:]{1,40}?)\s*:\s*(.+?)\s*$")


@dataclass
class RawTable:
    """One table as read, before its values are parsed.

    Parameters
    ----------
    source : Source
        Where it was read from.
    frame : DataFrame
        Columns renamed to canonical names; unknown columns kept under their own header; a
        RangeIndex.
    headers : dict
        Canonical name to the header as the user wrote it (for messages).
    rows : Index of int
        The spreadsheet row number of each frame row (a RangeIndex, costing no memory, when the
        rows follow each other).
    cell_headers : dict
        Canonical name to the header of each row's cell, where one column was gathered from
        several (the wide behaviour form).
    typed : bool
        Whether cells kept the spreadsheet's types (Excel, Parquet).
    decimal_hint : str, optional
        ``"id"`` for a CSV separated by ``;``, as Excel writes it where the comma is the decimal
        separator; used only when no value of the file shows its decimal separator.
    numbers : dict, optional
        When this is one piece of a larger table (:mod:`asn_eval.input.pieces`): the unique
        values of each of the whole table's number columns, in order of appearance, so the
        piece's numbers are read as the whole file's are (its decimal convention decided by
        every value, not by the piece's).
    floats : dict
        Number columns of a typed file already converted to floats where the file was read
        (a Parquet file's reading thread), taken by the parsing of that column.
    """

    source: Source
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)
    rows: pd.Index = field(default_factory=lambda: pd.RangeIndex(0))
    cell_headers: dict[str, np.ndarray] = field(default_factory=dict)
    typed: bool = False
    decimal_hint: str | None = None
    numbers: dict[str, pd.Index] | None = None
    floats: dict[str, pd.Series] = field(default_factory=dict)


# --- the header ----------------------------------------------------------------------------------


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _numeric(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    text = _text(value)
    return bool(text and re.fullmatch(r"[\d\s.,'%+-]+", text) and re.search(r"\d", text))


def _wide_values(table: Table) -> bool:
    return table.name == "perilaku"


def _meaning(header: str | None, lookup: dict[str, str], table: Table) -> str | None:
    """Return the column a header stands for (``nilai:<value>`` for a wide core value)."""
    if header is None:
        return None
    key = match_key(header)
    if key in lookup:
        return lookup[key]
    if _wide_values(table) and (value := _core_value(header)) is not None:
        return f"nilai:{value}"
    return None


def _core_value(header: str) -> str | None:
    """Find the core value a wide questionnaire column names, as forms write it.

    ``Akuntabel``, ``1. Berorientasi Pelayanan``, ``Penilaian Perilaku [Akuntabel]`` (a Google
    Form grid) and ``Akuntabel (A)`` all name one of the seven BerAKHLAK values.
    """
    bracket = re.search(r"\[([^\]]+)\]", header)
    text = bracket.group(1) if bracket else header
    text = re.sub(r"^\s*\d+\s*[.)]\s*|\s*\([^)]*\)\s*$", "", text)
    return NILAI_INTI.canonical(text)


def _header_names(
    head: list[list[object]],
    row: int,
    two: bool,
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    lookup: dict[str, str],
    table: Table,
) -> list[str | None]:
    """Header text per column for a header on ``row`` (and ``row + 1`` when ``two``)."""
    width = max(len(r) for r in head[row : row + 1 + two])
    parent = [_text(head[row][c]) if c < len(head[row]) else None for c in range(width)]
    if not two:
        return parent
    child = [_text(head[row + 1][c]) if c < len(head[row + 1]) else None for c in range(width)]
    spread = list(parent)
    spans = [(c0, c1) for (r0, c0), (_r1, c1) in merged if r0 == row and c1 > c0]
    for c0, c1 in spans:
        for c in range(c0 + 1, min(c1, width - 1) + 1):
            spread[c] = parent[c0]
    if not spans:  # a CSV: a parent reaches right over the children written under it
        for c in range(1, width):
            if spread[c] is None and child[c] and spread[c - 1] and child[c - 1]:
                spread[c] = spread[c - 1]
    names: list[str | None] = []
    for c in range(width):
        options = [f"{spread[c]} {child[c]}" if spread[c] and child[c] else None, child[c]]
        # the parent alone: over no child, or over a child that only says "the amount"
        value_child = child[c] is None or match_key(child[c]) in VALUE_CHILDREN
        options.append(spread[c] if value_child else None)
        named = [o for o in options if o and _meaning(o, lookup, table)]
        names.append(named[0] if named else (options[0] or child[c] or spread[c]))
    return names


def _score(names: list[str | None], lookup: dict[str, str], table: Table) -> int:
    return len({m for n in names if (m := _meaning(n, lookup, table)) is not None})


def find_header(
    head: list[list[object]],
    table: Table,
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = (),
) -> tuple[int, int, list[str | None]]:
    """Find the header within the first rows of a sheet.

    The header is the row whose cells name the most columns of ``table`` (earliest on a tie); a
    row under it that holds only words and names more columns when joined to its parent (``Tidak
    Hadir`` over ``S | I | C | TK``) makes it a two-row header.

    Parameters
    ----------
    head : list of list
        The first rows of the sheet, cells as read (``None`` for empty).
    table : Table
        The table expected on the sheet.
    merged : list of tuple
        Merged ranges ``((row0, col0), (row1, col1))``, 0-based inclusive.

    Returns
    -------
    start, end : int
        0-based first header row and the first row after the header.
    names : list of str or None
        The header text per column (parent and child joined where that names a column).
    """
    lookup = column_lookup(table)
    best = (0, 0, 1, _header_names(head, 0, False, [], lookup, table) if head else [])
    for row in range(len(head)):
        if not any(_text(v) for v in head[row]):
            continue
        names = _header_names(head, row, False, merged, lookup, table)
        score, end = _score(names, lookup, table), row + 1
        below = [v for v in head[row + 1] if _text(v)] if row + 1 < len(head) else []
        if below and not any(_numeric(v) or not isinstance(v, str) for v in below):
            two = _header_names(head, row, True, merged, lookup, table)
            alone = _score(
                _header_names(head, row + 1, False, merged, lookup, table), lookup, table
            )
            # the row above must add columns: a title line over a header is not its parent
            if (two_score := _score(two, lookup, table)) > max(score, alone):
                names, score, end = two, two_score, row + 2
        if score > best[0]:
            best = (score, row, end, names)
    return best[1], best[2], best[3]


# --- title, footer, formulas, wide form -----------------------------------------------------------


def _line(row: list[object]) -> str:
    return " ".join(t for v in row if (t := _text(v)))


def _title_constants(
    titles: list[tuple[int, str]], missing: list[str], lookup: dict[str, str]
) -> dict[str, tuple[object, int, str]]:
    """Columns taken from title lines: name to (value, row, line)."""
    found: dict[str, tuple[object, int, str]] = {}
    for row, line in titles:
        if "periode" in missing and "periode" not in found:
            if (periode := periode_from_title(line)) is not None:
                found["periode"] = (periode, row, line)
                continue
        match = _TITLE_FIELD.match(line)
        if match and (name := lookup.get(match_key(match.group(1)))) in missing:
            if name != "periode":
                found.setdefault(name, (match.group(2), row, line))
    return found


def _footer_start(frame: pd.DataFrame) -> int | None:
    """Position of the first total/average/signature row of the trailing block, or None."""
    tail = frame.iloc[-60:]
    firsts, counts = [], []
    for values in tail.itertuples(index=False):
        texts = [t for v in values if (t := _text(v))]
        firsts.append(texts[0].lower().lstrip("*-#:. ") if texts else "")
        counts.append(len(texts))
    start = None
    for i in range(len(tail) - 1, -1, -1):
        words = isinstance(_first_value(tail.iloc[i]), str) and (
            TOTAL_WORDS.match(firsts[i]) or (SIGNATURE_WORDS.match(firsts[i]) and counts[i] <= 2)
        )
        if words:
            start = i
        elif counts[i] > 2:
            break
    if start is None or (start == 0 and len(frame) == len(tail)):
        return None
    return len(frame) - len(tail) + start


def _first_value(row: pd.Series) -> object:
    for value in row:
        if _text(value):
            return value
    return None


def _formulas(
    grid: Grid, frame: pd.DataFrame, columns: dict[int, str], headers: dict[str, str]
) -> list[Problem]:
    """Put computed values into formula cells without a stored value, or refuse those cells."""
    from openpyxl.utils import get_column_letter

    label = grid.source.label
    cells = [
        (r, c) for (r, c) in sorted(grid.formulas) if c in columns and r in frame.index
    ]  # fmt: skip
    if not cells:
        return []
    computed: dict = {}
    reason = "buka berkas di Excel dan simpan ulang agar nilainya tersimpan"
    if len(cells) <= MAX_COMPUTED_FORMULAS and grid.compute is not None:
        try:
            computed = grid.compute(cells)
        except Exception as error:  # a formula the library cannot compute
            reason = f"tidak dapat dihitung ({str(error).splitlines()[0][:80]}); {reason}"
    problems = []
    for r, c in cells:
        name = columns[c]
        if (r, c) in computed:
            frame.at[r, name] = computed[(r, c)]
            continue
        problems.append(
            Problem(
                label,
                r + 1,
                headers.get(name, name),
                f"rumus tanpa nilai tersimpan ({grid.formulas[(r, c)]}); {reason}",
            )
        )
    if computed:
        (r, c) = next(cell for cell in cells if cell in computed)
        example = f"{get_column_letter(c + 1)}{r + 1} {grid.formulas[(r, c)]} = {computed[(r, c)]}"
        problems.append(
            Problem(
                label,
                None,
                None,
                f"{len(computed):,} sel berisi rumus tanpa nilai tersimpan; nilainya dihitung "
                f"(mis. {example}). Simpan ulang berkas di Excel agar nilainya tersimpan",
                level="peringatan",
            )
        )
    return problems


def _percentages(
    grid: Grid, frame: pd.DataFrame, columns: dict[int, str], table: Table
) -> list[Problem]:
    """Read number cells formatted as a percentage as the sheet shows them (0.856 is 85.6 %)."""
    kinds = {c.name: c.kind for c in table.columns}
    cells = [
        (r, c) for (r, c) in sorted(grid.percent)
        if r in frame.index and kinds.get(columns.get(c, "")) in ("number", "integer")
    ]  # fmt: skip
    changed = []
    for r, c in cells:
        value = frame.at[r, columns[c]]
        if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
            frame.at[r, columns[c]] = round(value * 100, 10)
            changed.append((r, c, value))
    if not changed:
        return []
    r, c, value = changed[0]
    note = (
        f"{number(len(changed), 0)} sel berformat persen dibaca seperti tampilannya (mis. baris "
        f"{r + 1}: {number(value, 4)} ditampilkan {number(value * 100, 2)} %)"
    )
    return [Problem(grid.source.label, None, None, note, level="peringatan")]


def _melt_wide(raw: RawTable, wide: dict[str, str]) -> RawTable:
    """One row per rater becomes one row per rater and core value (``nilai_inti``, ``skor``)."""
    frame = raw.frame
    names = list(wide)
    n, k = len(frame), len(names)
    positions = np.repeat(np.arange(n), k)
    long = frame.drop(columns=names).iloc[positions].reset_index(drop=True)
    long["nilai_inti"] = np.tile([wide[c] for c in names], n)
    long["skor"] = frame[names].to_numpy(dtype=object).reshape(-1)
    headers = {**raw.headers, "nilai_inti": "nilai inti (judul kolom)"}
    headers["skor"] = "skor"
    return RawTable(
        raw.source,
        long,
        headers,
        raw.rows[positions],
        {"skor": np.tile(np.asarray(names, dtype=object), n)},
        raw.typed,
        raw.decimal_hint,
    )


def _without_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop rows with no value at all (blank lines), keeping every other row's number."""
    if not frame.shape[1]:
        return frame
    candidates = frame[0].isna().to_numpy()  # a blank row is blank in its first column too
    if not candidates.any():
        return frame
    blank = candidates.copy()
    blank[candidates] = frame[candidates].isna().all(axis=1).to_numpy()
    return frame[~blank] if blank.any() else frame


def _layout(grid: Grid) -> tuple[RawTable | None, list[Problem]]:
    source = grid.source
    table = spec_of(source.table)
    lookup = column_lookup(table)
    label = source.label
    problems: list[Problem] = []
    if not any(_text(v) for row in grid.head for v in row):  # nothing at all, not even a header
        if table.required:
            return None, [Problem(label, None, None, f"tabel {table.name} kosong")]
        note = f"berkas kosong; tabel {table.name} dianggap tidak ada"
        return None, [Problem(label, None, None, note, level="peringatan")]
    start, end, names = find_header(grid.head, table, grid.merged)
    body = grid.body(end)
    if body is None:
        return None, problems
    if body.shape[1] < len(names):  # a header without data rows, or short rows at the end
        body = body.reindex(columns=range(len(names)))
    body = _without_blank_rows(body)
    columns: dict[int, str] = {}
    headers: dict[str, str] = {}
    wide: dict[str, str] = {}
    for position, header in enumerate(names):
        meaning = _meaning(header, lookup, table)
        if position >= body.shape[1]:
            continue
        if meaning is None:
            if header is None and body[position].isna().all():
                continue
            shown = header or f"kolom {position + 1}"
            while shown in headers.values() or shown in columns.values():
                shown += "'"
            columns[position] = shown
        elif meaning in headers or meaning in wide.values():
            problems.append(
                Problem(
                    label,
                    end,
                    header,
                    f"kolom ini dan kolom '{headers.get(meaning, meaning)}' sama-sama berarti "
                    f"{meaning.removeprefix('nilai:')}",
                )
            )
        elif meaning.startswith("nilai:"):
            columns[position] = header
            wide[header] = meaning.removeprefix("nilai:")
        else:
            columns[position] = meaning
            headers[meaning] = str(header)
    body = body[list(columns)].rename(columns=columns)
    if start > 0 or end - start > 1:
        rows = f"{start + 1}–{end}" if end - start > 1 else f"{end}"
        problems.append(
            Problem(
                label,
                None,
                None,
                f"judul kolom dibaca dari baris {rows}"
                + (f"; baris 1–{start} di atasnya (judul laporan) dilewati" if start else ""),
                level="peringatan",
            )
        )
    footer = _footer_start(body) if len(body) else None
    if footer is not None:
        dropped = body.iloc[footer:]
        shown = "; ".join(
            str(_first_value(r))[:40] for _, r in dropped.head(3).iterrows() if _first_value(r)
        )
        first, last = int(dropped.index[0]) + 1, int(dropped.index[-1]) + 1
        where = f"baris {first}–{last} adalah baris" if last > first else f"baris {first} adalah"
        problems.append(
            Problem(
                label,
                first,
                None,
                f"{where} jumlah, rekap atau tanda tangan di bawah tabel ({shown}); tidak dibaca "
                "sebagai data",
                level="peringatan",
            )
        )
        body = body.iloc[:footer]
    problems += _formulas(grid, body, {p: n for p, n in columns.items()}, headers)
    problems += _percentages(grid, body, columns, table)
    titles = [(r + 1, line) for r in range(start) if (line := _line(grid.head[r]))]
    year = next((c for c in body.columns if match_key(c) in YEAR_HEADERS), None)
    if year is not None and "periode" in {c.name for c in table.columns}:
        body = body.rename(columns={year: "tahun"})
        headers["tahun"] = year
        if "periode" not in headers:
            body = body.rename(columns={"tahun": "periode"})
            headers["periode"] = headers.pop("tahun")
    missing = [c.name for c in table.columns if c.name not in headers]
    for name, (value, row, line) in _title_constants(titles, missing, lookup).items():
        body[name] = value
        headers[name] = f"{name} (judul baris {row})"
        problems.append(
            Problem(
                label,
                row,
                None,
                f"kolom {name} tidak ada; diambil dari judul baris {row} ({line}): {value}",
                level="peringatan",
            )
        )
    rows = body.index + 1
    hint = "id" if grid.separator == ";" else None
    raw = RawTable(source, body.reset_index(drop=True), headers, rows, {}, grid.typed, hint)
    if wide and not {"nilai_inti", "skor"} & set(headers):
        raw = _melt_wide(raw, wide)
        problems.append(
            Problem(
                label,
                None,
                None,
                f"bentuk lebar: {len(wide)} kolom nilai inti dibaca sebagai baris "
                "(nilai_inti, skor)",
                level="peringatan",
            )
        )
    problems += _missing(raw, table, end)
    return raw, problems


def _missing(raw: RawTable, table: Table, header_row: int) -> list[Problem]:
    problems = []
    for name in table.required_columns:
        if name in raw.headers:
            continue
        aliases = ", ".join(table.column(name).aliases[:3])
        hint = f" (atau {aliases})" if aliases else ""
        problems.append(Problem(raw.source.label, header_row, name, f"kolom wajib tidak ada{hint}"))
    if raw.frame.empty and table.required:
        problems.append(Problem(raw.source.label, None, None, f"tabel {table.name} kosong"))
    elif raw.frame.empty:
        note = f"tabel {table.name} tidak berisi baris data"
        problems.append(Problem(raw.source.label, None, None, note, level="peringatan"))
    return problems


def holds_numbers(dtype: object) -> bool:
    """Tell whether a column's dtype holds numbers (not true/false), to be read as they are.

    Parameters
    ----------
    dtype : dtype
        A column's dtype, as read.

    Returns
    -------
    bool
    """
    return is_numeric_dtype(dtype) and not is_bool_dtype(dtype)


def date_headers(table: Table) -> Callable[[list[str]], set[str]]:
    """Tell which headers of a file :func:`read_frame` will name as the table's date columns.

    Parameters
    ----------
    table : Table
        The table's contract.

    Returns
    -------
    callable
        Given a file's headers, the first header of each date column (a Parquet file's dates
        are read in whole seconds, :func:`~asn_eval.input.parquet_frames.parquet_frame`).
    """
    return partial(_first_headers, column_lookup(table), _names(table, "date"))


def _names(table: Table, kind: str) -> frozenset[str]:
    return frozenset(column.name for column in table.columns if column.kind == kind)


def _first_headers(lookup: dict[str, str], names: frozenset[str], headers: list[str]) -> set[str]:
    """Pick the first header of each of the columns ``names`` (a column's first is its own)."""
    found: dict[str, str] = {}
    for header in headers:
        name = lookup.get(match_key(str(header)))
        if name in names and name not in found:
            found[name] = header
    return set(found.values())


def _nip_headers(
    table: Table, nips: pd.CategoricalDtype
) -> Callable[[list[str]], dict[str, pd.CategoricalDtype]]:
    """Give the employees' NIP dtype to the headers of a table's NIP columns."""
    pick = partial(_first_headers, column_lookup(table), _names(table, "nip"))
    return lambda headers: dict.fromkeys(pick(headers), nips)


def read_table(
    source: Source, grid: Grid | None = None, *, nips: pd.CategoricalDtype | None = None
) -> tuple[RawTable | None, list[Problem]]:
    """Read one table: its cells, its header, and the rows that are data.

    Parameters
    ----------
    source : Source
        The table's file or sheet.
    grid : Grid, optional
        Its cells, when already read: a piece of a large CSV file (the file's first rows as
        ``head``, the piece's rows as ``body``; :mod:`asn_eval.input.pieces`). Read from
        ``source`` when None.
    nips : CategoricalDtype, optional
        The employees' NIPs, when read before: a Parquet file's NIP columns naming only these
        come with this dtype (:func:`~asn_eval.input.parquet_frames.parquet_frame`).

    Returns
    -------
    raw : RawTable or None
        The table, or None when it could not be read at all.
    problems : list of Problem
        Unreadable file or lines, two headers for one column, required columns missing, formula
        cells that cannot be computed; warnings for skipped title and footer rows, computed
        formulas, columns taken from a title line, the wide form.
    """
    if grid is None:
        table = spec_of(source.table)
        known = None if nips is None else _nip_headers(table, nips)
        grid = read_grid(source, date_headers(table), known)
    if any(p.is_error for p in grid.problems):
        return None, grid.problems
    if grid.frame is not None:
        raw, problems = read_frame(source, grid.frame, first_row=1)
        if raw is not None:  # numbers as the parsing will want them, while the reading is here
            for column in spec_of(source.table).columns:
                if column.kind == "number" and column.name in raw.frame:
                    values = raw.frame[column.name]
                    if holds_numbers(values.dtype):
                        raw.floats[column.name] = values.astype("float64")
        return raw, grid.problems + problems
    raw, problems = _layout(grid)
    if any(p.is_error for p in grid.problems):
        return None, grid.problems
    return raw, grid.problems + problems


def read_frame(
    source: Source, frame: pd.DataFrame, *, first_row: int = 2
) -> tuple[RawTable | None, list[Problem]]:
    """Map the headers of a table already in memory (or Parquet) to the contract's names.

    Parameters
    ----------
    source : Source
        What to call the table in messages.
    frame : DataFrame
        The table, one row per record in order.
    first_row : int, default 2
        The row number of the frame's first row (2 under a header row; 1 for Parquet).

    Returns
    -------
    raw : RawTable
        The table with canonical column names.
    problems : list of Problem
        Two headers for one column, required columns missing, an empty required table.
    """
    table = spec_of(source.table)
    lookup = column_lookup(table)
    problems: list[Problem] = []
    headers: dict[str, str] = {}
    renames: dict[str, str] = {}
    for header in frame.columns:
        name = lookup.get(match_key(str(header)))
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
    frame = frame.rename(columns=renames).reset_index(drop=True)
    rows = pd.RangeIndex(first_row, first_row + len(frame))
    raw = RawTable(source, frame, headers, rows, {}, typed=True)
    return raw, problems + _missing(raw, table, 1)
