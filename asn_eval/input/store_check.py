"""Checking a partitioned store one agency at a time, within bounded memory.

A store (:mod:`asn_eval.input.store`) is checked with the very rules of a dataset folder
(:func:`~asn_eval.input.validation.check_dataset`), but never whole:

1. the tables every other one refers to (``instansi``, ``opd``, ``pegawai``) are checked
   together: keys, NIP rules, supervisor and OPD cycles, references between them;
2. then each agency's partitions of every other table (``skp``, ``perilaku``, ``aktivitas``, …,
   all periods), with the ``opd`` table and only the ``pegawai`` rows those partitions name (the
   agency's employees, and raters or approvers from other agencies): a reference to an employee is
   then a join on the NIP column, and a reference to an agency a join on ``kode_opd``. Problems of
   the borrowed ``opd`` and ``pegawai`` rows were reported in step 1 and are not repeated.

Memory is bounded by ``pegawai`` and the largest agency's partitions, not by the dataset. Every
problem names the store's file and its row (row 1 is the file's first row, as for any Parquet
input) and the column: ``store/skp/kode_opd=DINKES/periode=2025-TW1/part-0.parquet:3:target``.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads

from asn_eval.input.contract import TABLES
from asn_eval.input.layout import read_frame
from asn_eval.input.problems import Problem
from asn_eval.input.readers import Source
from asn_eval.input.store import read_manifest
from asn_eval.input.validation import check_dataset

__all__ = ["validate_store"]

REFERRED = ("instansi", "opd", "pegawai")
"""Tables checked whole, first: every agency's partitions refer to them."""


@dataclass
class Part:
    """Rows of one table gathered from store files, and where each row lives."""

    frame: pd.DataFrame
    files: np.ndarray
    rows: np.ndarray


def _fragments(root: Path, name: str, entry: dict) -> list[tuple[dict, pads.Fragment]]:
    """Each data file of a table with its partition values (``{"kode_opd": "DINKES", …}``)."""
    data = pads.dataset(
        root / name, format="parquet", partitioning="hive" if entry["partisi"] else None
    )
    found = []
    for fragment in data.get_fragments():
        keys = pads.get_partition_keys(fragment.partition_expression) if entry["partisi"] else {}
        keys.update({c: None for c in entry["partisi"] if c not in keys})  # the null partition
        found.append((keys, fragment))
    return found


def _read_part(root: Path, name: str, entry: dict, pieces: list) -> Part:
    """Read some files of a table as plain values (text, numbers, dates), helper columns off."""
    frames, files, rows = [], [], []
    own = [c["nama"] for c in entry["kolom"]]
    for keys, fragment in pieces:
        table = fragment.to_table()
        for column in entry["partisi"]:
            if column in own and column not in table.column_names:
                value = pa.repeat(pa.scalar(keys.get(column), pa.string()), table.num_rows)
                table = table.append_column(column, value)
        table = table.select([c for c in own if c in table.column_names])
        for i, field in enumerate(table.schema):
            if pa.types.is_dictionary(field.type):
                table = table.set_column(i, field.name, pc.cast(table.column(i), pa.string()))
        frames.append(table.to_pandas())
        label = Path(fragment.path).relative_to(root.parent).as_posix()
        files.append(np.full(table.num_rows, label, dtype=object))
        rows.append(np.arange(1, table.num_rows + 1))
    if not frames:
        return Part(pd.DataFrame(columns=own), np.array([], dtype=object), np.array([], dtype=int))
    frame = pd.concat(frames, ignore_index=True)
    return Part(frame[[c for c in own if c in frame]], np.concatenate(files), np.concatenate(rows))


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


def _nips(frame: pd.DataFrame, table: str) -> set[str]:
    """Every NIP a table's rows name (the employee, the rater, the approver, …)."""
    found: set[str] = set()
    for column in TABLES[table].columns:
        if column.kind == "nip" and column.name in frame:
            found.update(str(nip) for nip in frame[column.name].dropna().unique())
    return found


def validate_store(path: str | os.PathLike[str]) -> list[Problem]:
    """Check a store agency by agency and return every problem found.

    Parameters
    ----------
    path : str or path-like
        The store folder (``asn-eval convert``'s ``--out``).

    Returns
    -------
    list of Problem
        Errors and warnings, each naming the store's file, its row and column, in file and row
        order; empty when the store is clean.

    Raises
    ------
    DataError
        When the manifest cannot be read.
    """
    root = Path(path)
    manifest = read_manifest(root)
    tables = manifest["tabel"]
    referred = {
        name: _read_part(root, name, tables[name], _fragments(root, name, tables[name]))
        for name in REFERRED
        if name in tables
    }
    problems = _check(referred, set(referred), root)
    pegawai = referred.get("pegawai")
    nips = pegawai.frame["nip"].astype("str") if pegawai is not None else pd.Series([], dtype=str)
    units: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for name, entry in tables.items():
        if name in REFERRED:
            continue
        for keys, fragment in _fragments(root, name, entry):
            agency = tuple(keys.get(c) for c in ("kode_instansi", "kode_opd"))
            units[agency][name].append((keys, fragment))
    for agency in sorted(units, key=lambda k: tuple("" if v is None else v for v in k)):
        parts = {
            name: _read_part(root, name, tables[name], pieces)
            for name, pieces in units[agency].items()
        }
        named = set().union(*(_nips(part.frame, name) for name, part in parts.items()))
        borrowed = {n: p for n, p in referred.items() if n != "pegawai"}
        if pegawai is not None:
            borrowed["pegawai"] = _take(pegawai, nips.isin(named).to_numpy())
        problems += _check({**borrowed, **parts}, set(parts), root)
    return sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
