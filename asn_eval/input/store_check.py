"""Checking a partitioned store a few agencies at a time, within bounded memory, on Dask or not.

A store (:mod:`asn_eval.input.store`) is checked with the very rules of a dataset folder
(:func:`~asn_eval.input.validation.check_dataset`), but never whole:

1. the tables every other one refers to (``instansi``, ``opd``, ``pegawai``) are checked
   together: keys, NIP rules, supervisor and OPD cycles, references between them;
2. then the partitions of every other table (``skp``, ``perilaku``, ``aktivitas``, …, all
   periods) in groups of whole agencies, with the ``opd`` table and only the ``pegawai`` rows
   those partitions name (the agencies' employees, and raters or approvers from other agencies):
   a reference to an employee is then a join on the NIP column, and a reference to an agency a
   join on ``kode_opd``. Problems of the borrowed ``opd`` and ``pegawai`` rows were reported in
   step 1 and are not repeated.

Every rule that spans rows reads one employee's rows (a key holds ``nip``; daily totals, RHK
plans) or one agency's (a key holds ``kode_opd``), so checking whole agencies finds what
checking the whole store finds, **provided each row lies in its own employee's partition**. A
row moved by hand into another agency's folder would escape its duplicates there, so that is a
check of its own: a row of a table partitioned through its employee (``skp``, ``aktivitas``, …)
must lie in the ``kode_opd`` (and ``kode_instansi``) of its NIP's ``pegawai`` row.

The groups (:data:`GROUP_BYTES` of Parquet each at most) run one after the other, or as Dask
tasks on a cluster (:func:`validate_store` with a client): problems are gathered and sorted the
same way, so the output is identical. Memory is bounded by ``pegawai`` and the largest group.
Every problem names the store's file and its row (row 1 is the file's first row, as for any
Parquet input) and the column: ``store/skp/kode_opd=DINKES/periode=2025-TW1/part-0.parquet:3:
target``.
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from asn_eval.cluster import map_tasks
from asn_eval.input.contract import TABLES
from asn_eval.input.layout import read_frame
from asn_eval.input.problems import Problem
from asn_eval.input.readers import Source
from asn_eval.input.store import HIVE_NULL, ORDER, data_files, read_manifest
from asn_eval.input.validation import check_dataset

__all__ = ["GROUP_BYTES", "validate_store"]

REFERRED = ("instansi", "opd", "pegawai")
"""Tables checked whole, first: every agency's partitions refer to them."""

READERS = 4
"""Threads reading a group's files (a province's store holds 10⁵ small files)."""

GROUP_BYTES = 32 << 20
"""Parquet bytes of one group of agencies checked together (about 1.5 M rows, 0.5 GB checked)."""

GROUPS = 8
"""Groups at least, when there are agencies enough: work for the Dask workers. The groups do not
depend on the cluster, so a check with and without Dask reads the same rows together."""

Piece = tuple[dict, str]
"""One data file of a table: its partition values (``{"kode_opd": "DINKES", …}``) and path."""


@dataclass
class Part:
    """Rows of one table gathered from store files, and where each row lives."""

    frame: pd.DataFrame
    files: np.ndarray
    rows: np.ndarray
    owners: pd.DataFrame | None = None  # agency columns of each row's partition, when added
    problems: list[Problem] = field(default_factory=list)  # files unreadable or not its shape


def _fragments(root: Path, name: str, entry: dict) -> list[Piece]:
    """Each data file of a table with its partition values (its hive folders), in path order.

    Listed without opening a file, as pyarrow would list them (names starting with ``.`` or
    ``_`` skipped): one that cannot be read is reported by :func:`_read_part`.
    """
    folder = root / name
    found = []
    for path in data_files(folder):
        keys: dict = {}
        for step in path.relative_to(folder).parts[:-1]:
            column, equals, value = step.partition("=")
            if equals:
                keys[column] = None if value == HIVE_NULL else unquote(value)
        keys.update({c: None for c in entry["partisi"] if c not in keys})  # the null partition
        found.append((keys, str(path)))
    return found


REWRITE = "buat ulang penyimpanan dengan asn-eval convert dari data sumbernya"
"""How to repair a store file that was changed by hand."""


def _read_file(path: str) -> pa.Table | str:
    """Read one store file, or say why it cannot be read (not Parquet, cut short, …)."""
    try:
        return pq.ParquetFile(path).read()
    except (pa.ArrowException, OSError) as error:
        return str(error).split("\n")[0]


def _shape(label: str, table: pa.Table, entry: dict, own: list[str]) -> list[Problem]:
    """Compare a file's columns with its table's: one missing is an error, one more a warning."""
    written = [c for c in own if c not in entry["partisi"]]
    found = [
        Problem(label, None, c, f"kolom wajib tidak ada di berkas ini; {REWRITE}")
        for c in written
        if c not in table.column_names
    ]
    found += [
        Problem(label, None, c, "kolom ini bukan kolom tabelnya; diabaikan", level="peringatan")
        for c in table.column_names
        if c not in own and c != ORDER and c not in entry["tambahan"]
    ]
    return found


def _read_part(root: Path, entry: dict, pieces: list[Piece]) -> Part:
    """Read some files of a table as plain values (text, numbers, dates), helper columns off.

    A file that cannot be read, or lacks a column of its table, is reported (``file``, no row)
    and its rows left out: a file changed by hand is never read half.
    """
    tables, labels, counts, kept, problems = [], [], [], [], []
    own = [c["nama"] for c in entry["kolom"]]
    with ThreadPoolExecutor(READERS) as pool:  # small files: their reads overlap
        read = list(pool.map(lambda piece: _read_file(piece[1]), pieces))
    for (keys, path), table in zip(pieces, read, strict=True):
        label = Path(path).relative_to(root.parent).as_posix()
        if isinstance(table, str):
            problems.append(
                Problem(label, None, None, f"berkas Parquet tidak dapat dibaca; {REWRITE}", table)
            )
            continue
        found = _shape(label, table, entry, own)
        problems += found
        if any(p.is_error for p in found):
            continue
        for column in entry["partisi"]:
            if column in own and column not in table.column_names:
                value = pa.repeat(pa.scalar(keys.get(column), pa.string()), table.num_rows)
                table = table.append_column(column, value)
        table = table.select([c for c in own if c in table.column_names])
        for i, field_ in enumerate(table.schema):  # text as written, dictionary-coded or not
            if pa.types.is_dictionary(field_.type) or pa.types.is_large_string(field_.type):
                table = table.set_column(i, field_.name, pc.cast(table.column(i), pa.string()))
        tables.append(table)
        labels.append(label)
        counts.append(table.num_rows)
        kept.append(keys)
    if not tables:
        empty = pd.DataFrame(columns=own)
        return Part(empty, np.array([], dtype=object), np.array([], dtype=int), None, problems)
    frame = pa.concat_tables(_alike(tables), promote_options="default").to_pandas()
    files = np.repeat(np.array(labels, dtype=object), counts)
    starts = np.repeat(np.cumsum([0, *counts[:-1]]), counts)
    rows = np.arange(len(frame)) - starts + 1
    owners = None
    if entry["tambahan"]:
        owners = pd.DataFrame(
            {
                c: np.repeat(np.array([k.get(c) for k in kept], dtype=object), counts)
                for c in entry["tambahan"]
            }
        )
    return Part(frame[[c for c in own if c in frame]], files, rows, owners, problems)


def _alike(tables: list[pa.Table]) -> list[pa.Table]:
    """Give a column the same type in every file, when a file was rewritten by another tool.

    Numbers of different widths become the widest (``int64``, or ``double`` when one is);
    other mixes (text where the others hold numbers or dates) are read as text in every file,
    so each cell is then parsed and refused as a text file's cell would be, with its row.
    """
    kinds: dict[str, set[pa.DataType]] = defaultdict(set)
    for table in tables:
        for column in table.schema:
            if not pa.types.is_null(column.type):
                kinds[column.name].add(column.type)
    wanted = {}
    for name, types in kinds.items():
        if len(types) < 2:
            continue
        if all(pa.types.is_integer(t) for t in types):
            wanted[name] = pa.int64()
        elif all(pa.types.is_integer(t) or pa.types.is_floating(t) for t in types):
            wanted[name] = pa.float64()
        else:
            wanted[name] = pa.string()
    if not wanted:
        return tables
    out = []
    for table in tables:
        for i, column in enumerate(table.schema):
            if column.name in wanted and column.type != wanted[column.name]:
                cast = pc.cast(table.column(i), wanted[column.name])
                table = table.set_column(i, column.name, cast)
        out.append(table)
    return out


def _take(part: Part, mask: np.ndarray) -> Part:
    return Part(part.frame[mask].reset_index(drop=True), part.files[mask], part.rows[mask])


def _check(parts: dict[str, Part], report: set[str], root: Path) -> list[Problem]:
    """Check parts as one dataset; place each problem of the tables in ``report`` in its file."""
    raws, problems = {}, []
    for name, part in parts.items():
        raw, found = read_frame(Source(name, Path(name)), part.frame, first_row=0)
        problems += found
        if raw is not None:
            raws[name] = raw
    if not any(p.is_error and p.file in report for p in problems):
        problems += check_dataset(raws)[1]
    placed = []
    for problem in problems:
        if problem.file not in report:
            continue
        part = parts[problem.file]
        if problem.row is None or not 0 <= problem.row < len(part.rows):
            file, row = f"{root.name}/{problem.file}", None
        else:
            file, row = str(part.files[problem.row]), int(part.rows[problem.row])
        placed.append(
            Problem(file, row, problem.column, problem.message, problem.value, problem.level)
        )
    return placed


def _misplaced(part: Part, pegawai: Part) -> list[Problem]:
    """Rows lying in another agency's partition than their employee's (``nip`` → ``pegawai``)."""
    if part.owners is None or "nip" not in part.frame or not len(part.frame):
        return []
    people = pegawai.frame.drop_duplicates("nip").set_index("nip")
    nips = part.frame["nip"].astype(object)
    known = nips.isin(people.index).to_numpy()  # an unknown NIP is reported as such already
    problems = []
    for column in part.owners.columns:
        if column not in people:
            continue
        wanted = people[column].astype(object).reindex(nips).to_numpy()
        found = part.owners[column].to_numpy(dtype=object)
        both = pd.isna(wanted) & pd.isna(found)
        wrong = known & ~both & (pd.Series(wanted) != pd.Series(found)).to_numpy()
        for i in np.flatnonzero(wrong):
            problems.append(
                Problem(
                    str(part.files[i]),
                    int(part.rows[i]),
                    "nip",
                    f"baris ini ada di partisi {column}={found[i]}, padahal pegawainya di "
                    f"{column} {wanted[i]} (tabel pegawai); buat ulang penyimpanan dengan "
                    "asn-eval convert",
                    nips.iloc[i],
                )
            )
    return problems


def _nips(frame: pd.DataFrame, table: str) -> set[str]:
    """Every NIP a table's rows name (the employee, the rater, the approver, …)."""
    found: set[str] = set()
    for column in TABLES[table].columns:
        if column.kind == "nip" and column.name in frame:
            found.update(str(nip) for nip in frame[column.name].dropna().unique())
    return found


def _referred(root: Path, tables: dict) -> dict[str, Part]:
    return {
        name: _read_part(root, tables[name], _fragments(root, name, tables[name]))
        for name in REFERRED
        if name in tables
    }


@functools.lru_cache(maxsize=2)
def _referred_cached(root: str, stamp: tuple) -> tuple[dict, dict[str, Part]]:
    """Read the manifest and referred tables once per worker process (keyed by their files)."""
    tables = read_manifest(Path(root))["tabel"]
    return tables, _referred(Path(root), tables)


def _stamp(root: Path) -> tuple:
    """Name, size and time of every file of the referred tables and of the manifest."""
    paths = [root / "asn-eval-store.json"]
    paths += [p for name in REFERRED for p in sorted((root / name).rglob("*.parquet"))]
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths if p.exists())


Found = tuple[list[Problem], list[Problem]]
"""What a group's check found: its files' reading problems, then the rules' problems."""


def _reading(parts: dict[str, Part]) -> list[Problem]:
    return [p for part in parts.values() for p in part.problems]


def _check_group(
    root: Path, tables: dict, referred: dict[str, Part], group: dict[str, list[Piece]]
) -> Found:
    """Check a group of agencies' partitions (every table but the referred ones) together."""
    parts = {name: _read_part(root, tables[name], pieces) for name, pieces in group.items()}
    reading = _reading(parts)
    if any(p.is_error for p in reading):  # as a folder load: not checked when not all read
        return reading, []
    named = set().union(*(_nips(part.frame, name) for name, part in parts.items()))
    borrowed = {n: p for n, p in referred.items() if n != "pegawai"}
    pegawai = referred.get("pegawai")
    problems: list[Problem] = []
    if pegawai is not None:
        nips = pegawai.frame["nip"].astype("str")
        borrowed["pegawai"] = _take(pegawai, nips.isin(named).to_numpy())
        for part in parts.values():
            problems += _misplaced(part, borrowed["pegawai"])
    return reading, problems + _check({**borrowed, **parts}, set(parts), root)


def _check_group_task(root: str, group: dict[str, list[Piece]]) -> Found:
    """One Dask task: a group of agencies, with the referred tables its worker read once."""
    tables, referred = _referred_cached(root, _stamp(Path(root)))
    return _check_group(Path(root), tables, referred, group)


def _groups(root: Path, tables: dict) -> list[dict[str, list[Piece]]]:
    """Whole agencies' partitions in groups of about equal Parquet bytes (≤ :data:`GROUP_BYTES`).

    Agencies in code order; a group is closed when it reaches its share of the store (a
    :data:`GROUPS`-th of it, at most :data:`GROUP_BYTES`).
    """
    units: dict[tuple, dict[str, list[Piece]]] = defaultdict(lambda: defaultdict(list))
    sizes: dict[tuple, int] = defaultdict(int)
    for name, entry in tables.items():
        if name in REFERRED:
            continue
        for keys, path in _fragments(root, name, entry):
            agency = tuple(keys.get(c) for c in ("kode_instansi", "kode_opd"))
            units[agency][name].append((keys, path))
            sizes[agency] += Path(path).stat().st_size
    share = min(GROUP_BYTES, max(1, sum(sizes.values()) // GROUPS))
    groups: list[dict[str, list[Piece]]] = []
    filled = share
    for agency in sorted(units, key=lambda k: tuple("" if v is None else v for v in k)):
        if filled >= share:
            groups.append(defaultdict(list))
            filled = 0
        for name, pieces in units[agency].items():
            groups[-1][name].extend(pieces)
        filled += sizes[agency]
    return [dict(g) for g in groups]


def validate_store(path: str | os.PathLike[str], client: object | None = None) -> list[Problem]:
    """Check a store group of agencies by group and return every problem found.

    Parameters
    ----------
    path : str or path-like
        The store folder (``asn-eval convert``'s ``--out``).
    client : distributed.Client, optional
        Check the groups as Dask tasks on this cluster (:func:`asn_eval.cluster.dask_client`);
        each worker reads the referred tables once. The workers must see ``path``.

    Returns
    -------
    list of Problem
        Errors and warnings, each naming the store's file, its row and column, in file and row
        order; empty when the store is clean. The same with or without ``client``. When a file
        cannot be read or lacks a column of its table (changed by another tool), only such
        problems are given: what follows from a file not read would bury them (a folder load
        stops at a file it cannot read the same way).

    Raises
    ------
    DataError
        When the manifest cannot be read.
    """
    root = Path(path)
    tables = read_manifest(root)["tabel"]
    referred = _referred(root, tables)
    reading = _reading(referred)
    problems = [] if any(p.is_error for p in reading) else _check(referred, set(referred), root)
    groups = _groups(root, tables)
    if client is None:  # here: the referred tables already read above
        found = [_check_group(root, tables, referred, group) for group in groups]
    else:  # each worker reads them once (_referred_cached)
        found = map_tasks(_check_group_task, [str(root)] * len(groups), groups, client=client)
    for read, checked in found:
        reading += read
        problems += checked
    if any(p.is_error for p in reading):  # a file not read: what follows from it is not said
        problems = []
    problems += reading
    return sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
