"""Checking a dataset folder, and converting it to a store, in bounded memory.

A folder load reads every table whole: a year of a million employees needs about 30 GB. Here
the large per-employee tables (:data:`STREAMED`: SKP rows, behaviour ratings, daily activity
logs, official results) are read in pieces (:mod:`asn_eval.input.pieces`), and checked in
groups of whole agencies, with the very code of a folder load
(:func:`~asn_eval.input.validation.check_dataset`):

1. **whole**: the tables everything refers to (``instansi``, ``opd``, ``pegawai``) and the small
   per-period ones (``kehadiran``, whose monthly rows are summed across rows, ``survei``,
   ``organisasi``) are read and checked together, as a folder load does;
2. **pieces**: each streamed file is read a piece at a time; each row goes to the group of its
   employee's agency (``nip`` → ``pegawai.kode_opd``; a NIP not in ``pegawai`` to a group of its
   own), spooled to disk as read (cells as text, with its row number). What a file decides from
   all its rows is gathered on the way: the unique values of its number columns (their decimal
   convention is the file's, not a piece's);
3. **groups**: each group's rows of every streamed table are checked together, with ``opd`` and
   the ``pegawai`` rows they name. Every rule that spans rows reads one employee's rows (keys
   hold ``nip``; daily totals, RHK plans, mixed RHK kinds), so a group finds exactly what the
   whole folder's check finds about its rows, under the same file names and row numbers. The
   groups run one after the other, or as Dask tasks (``--dask``).

The problems are the folder load's, in its order: :func:`validate_in_pieces` equals
:func:`asn_eval.validate` on the folder; :func:`convert_in_pieces` writes, group by group, the
store :func:`~asn_eval.input.store.write_store` writes from the loaded folder (each row's
position, the category lists in order of first appearance). A dataset that cannot be read this
way (:class:`~asn_eval.errors.ReadWhole`: a workbook, a CSV not in UTF-8, NIPs that
arrived as numbers, dates as Excel serial numbers …) is read whole by the caller, as before.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from asn_eval.atomic import replace_folder, staging_folder
from asn_eval.cluster import PARTS_PER_WORKER, map_tasks, worker_count
from asn_eval.errors import DataError, ReadWhole
from asn_eval.input import store
from asn_eval.input.calendar import parse_dates
from asn_eval.input.cells import Uniques
from asn_eval.input.codes import gather
from asn_eval.input.contract import TABLES
from asn_eval.input.groups import run_dictionaries, runs
from asn_eval.input.layout import RawTable, read_table
from asn_eval.input.limits import Limits
from asn_eval.input.nip import read_nips
from asn_eval.input.periode import periode_dtype
from asn_eval.input.pieces import PIECE_ROWS, read_pieces
from asn_eval.input.problems import Problem
from asn_eval.input.readers import Source, discover, fingerprint
from asn_eval.input.validation import check_dataset
from asn_eval.streams import say
from asn_eval.version import __version__

__all__ = [
    "GROUP_ROWS",
    "STREAMED",
    "convert_in_pieces",
    "run_job",
    "validate_in_pieces",
    "validate_on_cluster",
]

STREAMED = ("skp", "perilaku", "aktivitas", "penilaian")
"""Tables read in pieces: rows per employee and period (290 of the 320 M rows of a million
employees' year). The others hold at most one row per employee, respondent or OPD and period."""

GROUP_ROWS = 2_000_000
"""Streamed rows checked together in one group (about 0.6 GB while checked)."""

SPOOL = pa.ipc.IpcWriteOptions(compression="lz4")
"""The spool's Arrow streams, compressed: a million employees' cells are some 15 GB as they are."""

ROW, POSITION, HEADER = "\x1fbaris", "\x1fposisi", "\x1fkepala:"
"""Spool columns beside a row's cells: its row number, its position in the loaded table, and the
header of a cell gathered from several columns (the wide behaviour form)."""


@dataclass
class Layout:
    """How a streamed table's rows read, the same for every piece, and what its pieces found."""

    source: Source
    headers: dict[str, str] = field(default_factory=dict)
    typed: bool = False
    hint: str | None = None
    schema: pa.Schema | None = None
    numbers: dict[str, pd.Index] = field(default_factory=dict)
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Job:
    """One group's check (and write), as a task: everything it needs besides its spool files."""

    index: int
    spools: dict[str, str]
    layouts: dict[str, Layout]
    referred: dict[str, RawTable]
    owners: pd.DataFrame
    pegawai_columns: list[str]
    root: str | None


@dataclass
class Found:
    """What one group's check found (and, written, what the manifest needs)."""

    problems: list[Problem]
    rows: dict[str, int] = field(default_factory=dict)
    firsts: dict[str, dict[str, pd.Series]] = field(default_factory=dict)
    periodes: set[str] = field(default_factory=set)
    empty: dict[str, pd.DataFrame] = field(default_factory=dict)


# --- steps 1 and 2: the whole tables, then the pieces --------------------------------------------


@dataclass
class Plan:
    """A dataset checked whole where it must be, its streamed tables spooled by group."""

    source: Path
    sources: dict[str, Source]
    problems: list[Problem]
    raws: dict[str, RawTable] = field(default_factory=dict)
    typed: dict[str, pd.DataFrame] = field(default_factory=dict)
    checked: list[Problem] = field(default_factory=list)
    layouts: dict[str, Layout] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    named: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    spools: dict[int, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    agency: pd.Series | None = None
    written: dict[str, dict] = field(default_factory=dict)
    periodes: set[str] = field(default_factory=set)

    @property
    def stopped(self) -> bool:
        """Whether reading found errors: the tables are then not checked (as a folder load)."""
        return any(p.is_error for p in self.problems)


def _plan(
    path: Path, work: Path, parts: int, limits: Limits | None, rows: int, root: Path | None
) -> Plan:
    """Read and check the whole tables, then read the streamed ones in pieces into the spool.

    The whole tables are written into the store at ``root`` as soon as checked clean (when
    converting); only ``instansi``, ``opd`` and ``pegawai`` are kept for the groups.
    """
    sources, problems = discover(path, limits)
    plan = Plan(path, sources, problems)
    if plan.stopped:
        return plan
    for name in STREAMED:
        if name in sources and (sources[name].sheet or sources[name].format == "excel"):
            raise ReadWhole(f"{sources[name].label}: buku kerja dibaca utuh")
    read: dict[str, list[Problem]] = {}
    refused: set[Path] = set()  # a workbook refused whole: its other sheets are not read
    for name, source in sources.items():
        if name in STREAMED or source.path in refused:
            continue
        raw, read[name] = read_table(source)
        if source.sheet and any(p.is_error and p.file == source.path.name for p in read[name]):
            refused.add(source.path)
        if raw is not None:
            plan.raws[name] = raw
    if not any(p.is_error for found in read.values() for p in found):
        plan.typed, plan.checked = check_dataset(plan.raws)
        plan.groups = _agency_groups(plan, _estimate(sources), parts)
        _keep_referred(plan, root)
    for name, source in sources.items():
        if name in STREAMED:
            layout = plan.layouts[name] = Layout(source)
            _spool(plan, layout, work, rows, spool=bool(plan.groups) and not _failed(read))
            read[name] = layout.problems
    plan.problems += [p for name in sources for p in read.get(name, [])]
    return plan


def _keep_referred(plan: Plan, root: Path | None) -> None:
    """Write the whole tables (when converting, and clean); keep only what the groups need."""
    pegawai = plan.typed["pegawai"]
    for name, frame in plan.typed.items():
        if "periode" in frame:
            plan.periodes.update(str(p) for p in frame["periode"].dropna().unique())
        if root is not None and not any(p.is_error for p in plan.checked):
            plan.written[name] = store._write_table(root, name, frame, pegawai)
    kept = ("instansi", "opd", "pegawai")
    plan.typed = {n: f for n, f in plan.typed.items() if n in kept}
    plan.raws = {n: r for n, r in plan.raws.items() if n in kept}


def _failed(read: dict[str, list[Problem]]) -> bool:
    return any(p.is_error for found in read.values() for p in found)


def _estimate(sources: dict[str, Source]) -> int:
    """Rows of the streamed files, about (Parquet metadata; a CSV line is some 100 bytes)."""
    total = 0
    for name in STREAMED:
        if name in sources:
            path = sources[name].path
            if sources[name].format == "parquet":
                total += pq.ParquetFile(path).metadata.num_rows
            else:
                total += path.stat().st_size // 100
    return total


def _agency_groups(plan: Plan, rows: int, parts: int) -> dict[str, int]:
    """Each agency's group: whole agencies, balanced by employees, about :data:`GROUP_ROWS`."""
    pegawai, opd = plan.typed.get("pegawai"), plan.typed.get("opd")
    if pegawai is None or opd is None:
        return {}
    codes = [str(c) for c in opd["kode_opd"].dropna()]
    counts = pegawai["kode_opd"].astype("str").value_counts()
    wanted = max(parts, math.ceil(rows / GROUP_ROWS), 1)
    loads = [0] * max(1, min(wanted, len(codes)))
    groups = {}
    for size, code in sorted(
        ((int(counts.get(c, 0)), c) for c in codes), key=lambda t: (-t[0], t[1])
    ):
        lightest = min(range(len(loads)), key=loads.__getitem__)
        groups[code] = lightest
        loads[lightest] += size
    return groups


def _spool(plan: Plan, layout: Layout, work: Path, rows: int, spool: bool) -> None:
    """Read one streamed table in pieces; spool each piece's rows by group (when ``spool``)."""
    writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
    try:
        for piece in read_pieces(layout.source, rows):
            raw = piece.raw
            if raw is None or any(p.is_error for p in piece.problems) or not spool:
                if piece.last:
                    layout.problems = piece.problems
                spool = spool and raw is not None and not any(p.is_error for p in piece.problems)
                continue
            layout.headers, layout.typed, layout.hint = raw.headers, raw.typed, raw.decimal_hint
            _whole_conditions(raw)
            _collect_numbers(layout, raw)
            group = _row_groups(plan, raw)
            table = _spool_table(raw, layout.rows)
            if layout.schema is None:
                layout.schema = table.schema
            table = table.cast(layout.schema)
            for index, rows_of_group in _runs(group, table):
                if index not in writers:
                    target = work / f"{layout.source.table}-{index}.arrows"
                    writers[index] = pa.ipc.new_stream(str(target), layout.schema, options=SPOOL)
                    plan.spools[index][layout.source.table] = str(target)
                writers[index].write_table(rows_of_group)
            layout.rows += len(raw.frame)
            if piece.last:
                layout.problems = piece.problems
    finally:
        for writer in writers.values():
            writer.close()


def _whole_conditions(raw: RawTable) -> None:
    """Refuse the pieces when the whole file's check says something of all its rows at once.

    Dates written as Excel serial numbers are said once for the whole column, listing its rows
    (so are NIPs whose digits were lost, found in :func:`_row_groups`): such a file is read
    whole.
    """
    for column in TABLES[raw.source.table].columns:
        values = raw.frame.get(column.name)
        if column.kind != "date" or values is None:
            continue
        if not pd.api.types.is_datetime64_any_dtype(values.dtype):
            if parse_dates(list(Uniques.of(values).values))[1].any():
                raise ReadWhole(f"{raw.source.label}: tanggal sebagai nomor seri Excel")


def _collect_numbers(layout: Layout, raw: RawTable) -> None:
    for column in TABLES[raw.source.table].columns:
        values = raw.frame.get(column.name)
        if column.kind not in ("number", "integer") or values is None:
            continue
        if not pd.api.types.is_numeric_dtype(values.dtype):  # the file's values, in order met
            found = Uniques.of(values).values
            seen = layout.numbers.get(column.name)
            layout.numbers[column.name] = (
                found if seen is None else seen.append(found[~found.isin(seen)])
            )


def _row_groups(plan: Plan, raw: RawTable) -> np.ndarray:
    """Each row's group (its employee's agency's), and the NIPs each group's rows name."""
    if plan.agency is None:
        pegawai = plan.typed["pegawai"]
        agency = pd.Series(
            pegawai["kode_opd"].astype(object).to_numpy(), index=pegawai["nip"].astype(object)
        )
        plan.agency = agency[~agency.index.duplicated()]
    unknown = max(plan.groups.values(), default=0) + 1
    group = np.full(len(raw.frame), unknown, dtype=np.int64)
    named = []
    for column in TABLES[raw.source.table].columns:
        if column.kind != "nip" or column.name not in raw.frame:
            continue
        uniques = Uniques.of(raw.frame[column.name])
        nips, lost = read_nips(uniques.values, raw.typed)
        if lost.any():  # said once for the whole column, listing its rows
            raise ReadWhole(f"{raw.source.label}: NIP yang kehilangan angka")
        named.append((uniques.codes, np.append(np.asarray(nips, dtype=object), None)))
        if column.name == "nip":
            codes = plan.agency.reindex(pd.Index(nips, dtype=object)).to_numpy(dtype=object)
            per_value = np.array([plan.groups.get(c, unknown) for c in codes], dtype=np.int64)
            group = gather(np.append(per_value, unknown), uniques.codes)
    for codes, nips in named:  # each (group, NIP) pair once, as one number
        width = len(nips)  # the last is None: a missing cell's code -1
        pairs = pd.unique(group * width + codes % width)
        for index, found in _split(pairs // width, pairs % width):
            plan.named[index].update(n for n in nips[found] if n is not None)
    return group


def _split(keys: np.ndarray, values: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """Group ``values`` by ``keys`` (both shape (n,)): each key once, in key order."""
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    return [(int(keys[a]), values[a:b]) for a, b in runs(keys)]


def _runs(group: np.ndarray, table: pa.Table) -> list[tuple[int, pa.Table]]:
    """Split a piece's rows by group, each group's rows in file order.

    One sort, not a pass over the piece per group: a national dataset has a hundred groups. A
    text column gets a dictionary of each group's own values (:func:`run_dictionaries`): the
    piece's dictionary names every employee of the piece.
    """
    order = np.argsort(group, kind="stable")
    if (order[1:] < order[:-1]).any():
        table = table.take(pa.array(order))
    table = table.combine_chunks()
    ordered = group[order]
    spans = runs(ordered)
    coded = {}
    for i, field_ in enumerate(table.schema):
        if pa.types.is_dictionary(field_.type) and spans:
            values = table.column(i).chunk(0)
            codes = values.indices.fill_null(-1).to_numpy()
            coded[i] = run_dictionaries(codes, values.dictionary, spans)
    parts = []
    for j, (a, b) in enumerate(spans):
        part = table.slice(a, b - a)
        for i, pieces in coded.items():
            part = part.set_column(i, part.field(i), pieces[j])
        parts.append((int(ordered[a]), part))
    return parts


def _spool_table(raw: RawTable, offset: int) -> pa.Table:
    """Turn a piece's cells into Arrow, with each row's number, position and gathered headers."""
    table = pa.Table.from_pandas(raw.frame, preserve_index=False)
    for i, field_ in enumerate(table.schema):
        if pa.types.is_dictionary(field_.type):
            table = table.set_column(
                i, field_.name, table.column(i).cast(pa.dictionary(pa.int32(), pa.string()))
            )
    table = table.append_column(ROW, pa.array(np.asarray(raw.rows, dtype=np.int64)))
    positions = np.arange(offset, offset + len(raw.frame), dtype=np.int64)
    table = table.append_column(POSITION, pa.array(positions))
    for name, headers in raw.cell_headers.items():
        table = table.append_column(HEADER + name, pa.array(headers, pa.string()))
    return table


# --- step 3: the groups --------------------------------------------------------------------------


def _jobs(plan: Plan, root: Path | None) -> list[Job]:
    """One job per group holding rows, with the ``pegawai`` rows its rows name."""
    raws = plan.raws
    pegawai = plan.typed["pegawai"]
    nips = pegawai["nip"].astype(object)
    lost = nips.isna().to_numpy()  # their cells are named in a message about an unknown NIP
    owners = pegawai[[c for c in ("nip", "kode_instansi", "kode_opd") if c in pegawai]]
    jobs = []
    if not plan.spools and any(t.schema is not None for t in plan.layouts.values()):
        plan.spools[0] = {}  # streamed tables without rows: checked (and typed) all the same
    for index in sorted(plan.spools):
        wanted = nips.isin(plan.named.get(index, set())).to_numpy() | lost
        referred = {n: raws[n] for n in ("instansi", "opd") if n in raws}
        referred["pegawai"] = _rows_of(raws["pegawai"], wanted)
        mine = owners[wanted].astype(object).astype({"nip": str}).reset_index(drop=True)
        jobs.append(
            Job(
                index,
                plan.spools[index],
                plan.layouts,
                referred,
                mine,
                list(pegawai.columns),
                None if root is None else str(root),
            )
        )
    return jobs


def _rows_of(raw: RawTable, mask: np.ndarray) -> RawTable:
    """Return the rows of ``mask``; categorical cells keep only their own categories."""
    frame = raw.frame[mask].reset_index(drop=True)
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].cat.remove_unused_categories()
    return RawTable(
        raw.source,
        frame,
        raw.headers,
        raw.rows[mask],
        {k: v[mask] for k, v in raw.cell_headers.items()},
        raw.typed,
        raw.decimal_hint,
    )


def _read_spool(layout: Layout, path: str | None) -> tuple[RawTable, np.ndarray]:
    """Read a group's rows of a streamed table as the raw table a folder load reads for them."""
    if path is None:
        assert layout.schema is not None
        table = layout.schema.empty_table()
    else:
        with pa.ipc.open_stream(path) as reader:
            table = reader.read_all()
    rows = table.column(ROW).to_numpy()
    positions = table.column(POSITION).to_numpy()
    cells = {
        name.removeprefix(HEADER): table.column(name).to_numpy(zero_copy_only=False)
        for name in table.column_names
        if name.startswith(HEADER)
    }
    own = [c for c in table.column_names if not c.startswith("\x1f")]
    frame = table.select(own).to_pandas()
    raw = RawTable(
        layout.source,
        frame,
        layout.headers,
        pd.Index(rows),
        cells,
        layout.typed,
        layout.hint,
        layout.numbers,
    )
    return raw, positions


def run_job(job: Job) -> Found:
    """Check one group's rows (and write them into the store at ``job.root`` when clean).

    Parameters
    ----------
    job : Job
        The group: its spool files, the streamed tables' layouts, the referred tables.

    Returns
    -------
    Found
        The problems about its streamed rows (as a folder load names them); when written, each
        table's rows, the first position of each category and the periods met.
    """
    raws = dict(job.referred)
    positions = {}
    for name, layout in job.layouts.items():
        if layout.schema is not None:
            raws[name], positions[name] = _read_spool(layout, job.spools.get(name))
    tables, problems = check_dataset(raws)
    labels = {layout.source.label for layout in job.layouts.values()}
    found = Found([p for p in problems if p.file in labels])
    found.empty = {name: tables[name].iloc[:0] for name in positions}
    if job.root is None or any(p.is_error for p in found.problems):
        return found  # (the borrowed pegawai rows' own problems were reported whole)
    for name, frame in tables.items():
        if "periode" in frame:
            found.periodes.update(str(p) for p in frame["periode"].dropna().unique())
        if name not in positions:
            continue
        found.rows[name] = len(frame)
        found.firsts[name] = _first_positions(name, frame, positions[name])
        if len(frame):
            _write_rows(Path(job.root), name, frame, positions[name], job)
    return found


def _first_positions(name: str, frame: pd.DataFrame, positions: np.ndarray) -> dict:
    """Each category's first position in the loaded table, per non-shared categorical column."""
    firsts = {}
    for column in frame.columns:
        dtype = frame[column].dtype
        spec = TABLES[name].find(column)
        if not isinstance(dtype, pd.CategoricalDtype) or store.shared_kind(name, column):
            continue
        if spec is not None and spec.kind == "label":
            continue  # a fixed list, the same in every group
        codes = frame[column].cat.codes.to_numpy()
        kept = codes >= 0
        first = pd.Series(positions[kept]).groupby(codes[kept]).min()
        firsts[column] = pd.Series(first.to_numpy(), index=dtype.categories[first.index])
    return firsts


def _write_rows(
    root: Path, name: str, frame: pd.DataFrame, positions: np.ndarray, job: Job
) -> None:
    """Write a group's rows of a table into its partitions, as the store writes a whole table."""
    parts = store.partition_columns(name, list(frame.columns), job.pegawai_columns)
    keys = store.partition_keys(frame, parts, job.owners)
    store.write_partitions(root / name, frame, keys, positions.astype(np.int64))


def _run_jobs(jobs: list[Job], client: object | None) -> list[Found]:
    return map_tasks(run_job, jobs, client=client)


def _parts(client: object | None) -> int:
    """Return the groups to plan at least: :data:`PARTS_PER_WORKER` a worker (none without)."""
    return 0 if client is None else PARTS_PER_WORKER * worker_count(client)


def _ordered(plan: Plan, found: list[Found]) -> list[Problem]:
    """Order problems as a folder load: discovery and reading, then checking (sorted)."""
    checked = plan.checked + [p for f in found for p in f.problems]
    checked.sort(key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
    return plan.problems + checked


def validate_in_pieces(
    path: str | os.PathLike[str],
    *,
    client: object | None = None,
    limits: Limits | None = None,
    rows: int = PIECE_ROWS,
) -> list[Problem]:
    """Check a dataset folder in pieces and groups; return the folder load's problems.

    Parameters
    ----------
    path : str or path-like
        A dataset folder of CSV or Parquet files.
    client : distributed.Client, optional
        Check the groups as Dask tasks (the workers must see the system's temporary folder).
    limits : Limits, optional
        As for :func:`asn_eval.load`.
    rows : int
        Rows per piece (:data:`~asn_eval.input.pieces.PIECE_ROWS`).

    Returns
    -------
    list of Problem
        Exactly :func:`asn_eval.validate`'s for the folder, in its order.

    Raises
    ------
    ReadWhole
        When the folder must be read whole (a workbook, a CSV not in UTF-8, …).
    """
    with tempfile.TemporaryDirectory(prefix="asn-eval-periksa-") as work:
        parts = _parts(client)
        plan = _plan(Path(path), Path(work), parts, limits, rows, None)
        if plan.stopped:
            return plan.problems
        return _ordered(plan, _run_jobs(_jobs(plan, None), client))


def convert_in_pieces(
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    client: object | None = None,
    limits: Limits | None = None,
    rows: int = PIECE_ROWS,
) -> dict:
    """Check a dataset folder in pieces and groups and write it as a store, as :func:`convert`.

    Parameters
    ----------
    source : str or path-like
        A dataset folder of CSV or Parquet files.
    out : str or path-like
        The store folder; replaced only once the new one is complete.
    client : distributed.Client, optional
        Check and write the groups as Dask tasks (the workers must see ``out``'s folder).
    limits : Limits, optional
        As for :func:`asn_eval.load`.
    rows : int
        Rows per piece (:data:`~asn_eval.input.pieces.PIECE_ROWS`).

    Returns
    -------
    dict
        The manifest, as :func:`~asn_eval.input.store.write_store` writes it for the loaded
        folder.

    Raises
    ------
    DataError
        When the data has errors: the folder load's problems; nothing is written.
    ReadWhole
        When the folder must be read whole (nothing is written).
    WriteError
        When the store cannot be written.
    """
    source, out = Path(source), Path(out)
    with staging_folder(out.parent, shown=out) as staging:
        work = staging / "spool"
        work.mkdir()
        root = staging / out.name
        root.mkdir()
        plan = _plan(source, work, _parts(client), limits, rows, root)
        if plan.stopped or any(p.is_error for p in plan.checked):
            found = [] if plan.stopped else _run_jobs(_jobs(plan, None), client)
            raise DataError(_ordered(plan, found) if not plan.stopped else plan.problems)
        found = _run_jobs(_jobs(plan, root), client)
        problems = _ordered(plan, found)
        if any(p.is_error for p in problems):
            raise DataError(problems)
        shutil.rmtree(work)
        manifest = _write(plan, found, root, problems)
        replace_folder(root, out)
    return manifest


def _write(plan: Plan, found: list[Found], root: Path, warnings: list[Problem]) -> dict:
    """Write the whole tables, the category lists and the manifest beside the groups' rows."""
    pegawai = plan.typed["pegawai"]
    periodes: set[str] = set().union(plan.periodes, *(f.periodes for f in found))
    entries = {}
    for name in TABLES:
        if name in plan.written:
            entries[name] = plan.written[name]
        elif name in plan.layouts and plan.layouts[name].schema is not None:
            entries[name] = _streamed_entry(root, name, plan, found)
    dtypes = {
        "nip": pd.Index(pegawai["nip"].to_numpy(), dtype="str"),
        "kode_opd": pd.Index(plan.typed["opd"]["kode_opd"].to_numpy(), dtype="str"),
        "periode": periode_dtype(periodes).categories,
    }
    for kind in store.SHARED:
        store._write_categories(root, kind, dtypes[kind])
    store._copy_profile(plan.source, root)
    manifest = {
        "format": store.STORE_FORMAT,
        "asn_eval": __version__,
        "sumber": plan.source.name,
        "sidik": fingerprint(plan.sources),
        "dibuat": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "tabel": entries,
        "peringatan": [store._problem_json(p) for p in warnings],
        "berkas": store._files(root),
    }
    (root / store.MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def _streamed_entry(root: Path, name: str, plan: Plan, found: list[Found]) -> dict:
    """Make the manifest entry of a streamed table the groups wrote; write its category lists."""
    empty = next(f.empty[name] for f in found if name in f.empty)
    rows = sum(f.rows.get(name, 0) for f in found)
    if not rows:  # no rows at all: written as the store writes an empty table
        return store._write_table(root, name, empty, plan.typed["pegawai"])
    parts = store.partition_columns(name, list(empty.columns), list(plan.typed["pegawai"].columns))
    columns = []
    for column in empty.columns:
        dtype = empty[column].dtype
        kind = store.shared_kind(name, column) if isinstance(dtype, pd.CategoricalDtype) else None
        entry = {"nama": str(column), "dtype": str(dtype), "kategori": kind}
        if kind is None and isinstance(dtype, pd.CategoricalDtype):
            entry["kategori"] = f"{name}.{column}"
            entry["urut"] = bool(dtype.ordered)
            store._write_categories(
                root, f"{name}.{column}", _categories(name, column, empty, found)
            )
        columns.append(entry)
    added = [c for c in parts if c not in empty.columns]
    return {"baris": rows, "partisi": parts, "tambahan": added, "kolom": columns}


def _categories(name: str, column: str, empty: pd.DataFrame, found: list[Found]) -> pd.Index:
    """Return a column's categories as the whole table's: fixed, or in order of appearance."""
    spec = TABLES[name].find(column)
    if spec is not None and spec.kind == "label":
        return empty[column].dtype.categories
    firsts = [f.firsts[name][column] for f in found if column in f.firsts.get(name, {})]
    if not firsts:
        return pd.Index([], dtype="str")
    merged = pd.concat(firsts)
    merged = merged.groupby(level=0).min().sort_values(kind="stable")
    return pd.Index(merged.index, dtype="str")


def validate_on_cluster(
    path: str | os.PathLike[str], spec: str, *, cache: bool = True
) -> list[Problem]:
    """Check a store or a dataset folder on a Dask cluster (``asn-eval validate --dask``).

    Parameters
    ----------
    path : str or path-like
        A store (checked a group of agencies per task,
        :func:`~asn_eval.input.store_check.validate_store`) or a folder (read in pieces here,
        its groups checked as tasks, :func:`validate_in_pieces`). A folder that must be read
        whole (a workbook …) is checked as without ``--dask``, in this process (said on stderr).
    spec : str
        ``local``, ``local:N`` or ``tcp://host:port`` (:func:`asn_eval.cluster.parse_dask`).
    cache : bool
        Reuse an earlier check of identical files, for a folder read whole.

    Returns
    -------
    list of Problem
        The same problems, in the same order, as :func:`asn_eval.validate`.
    """
    from asn_eval.cluster import dask_client
    from asn_eval.input.dataset import validate
    from asn_eval.input.store_check import validate_store

    if not store.is_store(path) and not Path(path).is_dir():
        return validate(path, cache=cache)  # a workbook: small by nature, read whole
    with dask_client(spec) as client:
        if store.is_store(path):
            return validate_store(path, client)
        if Path(path).is_dir():
            try:
                return validate_in_pieces(path, client=client)
            except ReadWhole as reason:
                say(f"Catatan: {reason}; data diperiksa utuh di proses ini", sys.stderr)
    return validate(path, cache=cache)
