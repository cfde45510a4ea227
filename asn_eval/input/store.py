"""The partitioned store: a checked dataset as hive-partitioned Parquet, read by every command.

``asn-eval convert DIR --out STORE`` checks a dataset folder once (the large tables in pieces,
a group of agencies at a time: :mod:`asn_eval.input.streamed`), then writes each
table under ``STORE/<table>/`` as Parquet files partitioned the hive way
(``kode_opd=DINKES/periode=2025-TW1/part-0.parquet``), the layout pyarrow and Dask read
natively. A table that names no agency itself (``skp``, ``perilaku``, ``aktivitas``, …) is
partitioned by its employee's ``kode_opd`` (taken from ``pegawai``), and by ``kode_instansi``
first when the dataset has it. Beside the tables:

- ``asn-eval-store.json``, the manifest: store format, package version, the source's name and
  content fingerprint, and per table its row count, partition columns and columns with their
  dtypes; also the dataset's warnings and every file of the store with its size;
- ``_kategori/``: the category lists of the shared categoricals (NIPs, OPD codes, periods) and of
  every other categorical column, so :func:`read_store` returns exactly the dtypes of
  :func:`asn_eval.load` (Parquet files hold the values as text, dictionary-encoded);
- the source's ``profil.toml`` (and its logo), so reports made from the store carry the city's
  letterhead.

Each row keeps its position in the loaded table (``_urutan``), so the tables come back in the
order of the source files. The whole store is written into a staging folder and put in place
with renames: a reader never sees half a store.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import sys
import time
import tomllib
from collections.abc import Collection
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from asn_eval.atomic import replace_folder, staging_folder
from asn_eval.city_profile import PROFILE_FILE
from asn_eval.cluster import dask_client
from asn_eval.errors import DataError, ReadWhole, UsageError
from asn_eval.formatting import duration, integer
from asn_eval.input.contract import TABLES
from asn_eval.input.dataset import Dataset, Limits, load
from asn_eval.input.groups import run_dictionaries, runs
from asn_eval.input.problems import Problem
from asn_eval.input.readers import MANIFEST, is_store
from asn_eval.streams import say
from asn_eval.version import __version__

__all__ = [
    "MANIFEST",
    "ORDER",
    "STORE_FORMAT",
    "convert",
    "is_store",
    "partition_columns",
    "read_manifest",
    "read_store",
    "run_convert",
    "write_store",
]

STORE_FORMAT = 1
"""Bumped whenever the layout of a store changes meaning."""

ORDER = "_urutan"
"""Column holding each row's position in the loaded table (0, 1, …)."""

CATEGORIES = "_kategori"
"""Folder of the category lists (files starting with ``_`` are skipped by pyarrow and Dask)."""

SHARED = ("nip", "kode_opd", "periode")
"""The shared categoricals: every NIP column, every OPD column, every period column."""

HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
"""A partition folder's value for a missing key (pyarrow's and Hive's)."""


def shared_kind(table: str, column: str) -> str | None:
    """Which shared categorical a column of the contract holds.

    Parameters
    ----------
    table, column : str
        A table of the contract and one of its columns.

    Returns
    -------
    str or None
        ``"nip"``, ``"kode_opd"``, ``"periode"``, or None for any other column.
    """
    spec = TABLES[table].find(column) if table in TABLES else None
    if spec is None:
        return None
    if spec.kind == "nip":
        return "nip"
    if column in ("kode_opd", "induk"):
        return "kode_opd"
    return "periode" if spec.kind == "periode" else None


def partition_columns(table: str, columns: list[str], pegawai: list[str]) -> list[str]:
    """Return the columns a table is partitioned by, in folder order.

    Parameters
    ----------
    table : str
        Table name.
    columns : list of str
        The table's columns.
    pegawai : list of str
        The columns of ``pegawai`` (a table of employees takes its agency from there).

    Returns
    -------
    list of str
        ``kode_instansi`` (when the dataset has it), ``kode_opd``, then ``periode``, each where
        the table has it or reaches it through ``nip``. ``opd`` and ``instansi``, the tables
        every partition's check refers to, are kept whole (partitioned by instansi only).

    Examples
    --------
    >>> partition_columns("skp", ["periode", "nip", "rhk"], ["nip", "kode_opd"])
    ['kode_opd', 'periode']
    >>> partition_columns("opd", ["kode_opd", "nama_opd"], ["nip", "kode_opd"])
    []
    """
    through = "nip" in columns and table != "pegawai"
    found = []
    for column in ("kode_instansi", "kode_opd"):
        if table in ("opd", "instansi") and column == "kode_opd":
            continue
        if table == "instansi":
            continue
        if column in columns or (through and column in pegawai):
            found.append(column)
    if "periode" in columns and table not in ("opd", "instansi", "pegawai"):
        found.append("periode")
    return found


def _as_arrow(values: pd.Series) -> pa.Array:
    """Return one column as Arrow; a categorical as plain text.

    Parquet dictionary-encodes text per file, where an Arrow dictionary would copy all its
    categories (a million NIPs) into every partition's file.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        array = pa.array(values, from_pandas=True)
        return array.dictionary_decode() if pa.types.is_dictionary(array.type) else array
    return pa.array(values, from_pandas=True)


Key = tuple[np.ndarray, np.ndarray]
"""A partition column: each row's code (-1 when missing) and the text of each code."""


def _key(values: pd.Series) -> Key:
    """Return a column's codes and their texts (a categorical's own codes: nothing hashed)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        texts = values.cat.categories.astype("str").to_numpy(dtype=object)
        return values.cat.codes.to_numpy().astype(np.int64), texts
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object).astype(str).astype(object)


def _owner_keys(frame: pd.DataFrame, pegawai: pd.DataFrame, wanted: list[str]) -> dict[str, Key]:
    """Return the agency columns of each row's employee (``nip`` → ``pegawai.kode_opd``, …).

    Looked up once per distinct NIP, not per row (a year's activity log names each employee
    some 190 times).
    """
    nip_codes, nips = _key(frame["nip"])
    keys = pegawai["nip"].astype("str").to_numpy()
    out = {}
    for column in wanted:
        lookup = pd.Series(pegawai[column].astype("str").to_numpy(), index=keys)
        lookup = lookup[~lookup.index.duplicated()]
        per_nip = lookup.reindex(pd.Index(nips, dtype=object)).to_numpy(dtype=object)
        codes, texts = pd.factorize(per_nip, use_na_sentinel=True)
        per_row = np.where(nip_codes >= 0, np.append(codes, -1)[nip_codes], -1)
        out[column] = (per_row.astype(np.int64), np.asarray(texts, dtype=object))
    return out


def partition_keys(frame: pd.DataFrame, parts: list[str], pegawai: pd.DataFrame) -> dict[str, Key]:
    """Return the partition columns of a table's rows, in folder order.

    Parameters
    ----------
    frame : DataFrame, shape (n, k)
        The rows.
    parts : list of str
        :func:`partition_columns`; one not in ``frame`` is its employee's (through ``nip``).
    pegawai : DataFrame
        Employees: ``nip`` and the agency columns wanted.

    Returns
    -------
    dict of str to (ndarray, ndarray)
        Per column, each row's code (-1 when missing) and the text of each code.
    """
    added = [c for c in parts if c not in frame.columns]
    owners = _owner_keys(frame, pegawai, added) if added else {}
    return {c: owners[c] if c in owners else _key(frame[c]) for c in parts}


def write_partitions(
    folder: Path, frame: pd.DataFrame, keys: dict[str, Key], order: np.ndarray
) -> int:
    """Write a table's rows as hive partitions under ``folder``, one ``part-0.parquet`` each.

    The layout ``pyarrow.dataset.write_dataset`` writes (the same folder names, values
    URI-escaped, a missing value as ``__HIVE_DEFAULT_PARTITION__``), made here because it writes
    a categorical as Arrow dictionary codes: each file gets a dictionary of the values it holds,
    and nothing is hashed again (text decoded and re-encoded per row was most of ``convert``).

    Parameters
    ----------
    folder : Path
        The table's folder in the store.
    frame : DataFrame, shape (n, k)
        The rows; its partition columns are not written into the files (they are the folders).
    keys : dict of str to (ndarray, ndarray)
        The partition columns in folder order: each row's code and the text of each code.
    order : ndarray of int64, shape (n,)
        Each row's position in the loaded table, written as :data:`ORDER`.

    Returns
    -------
    int
        Files written.
    """
    combined = np.zeros(len(frame), dtype=np.int64)
    for codes, texts in keys.values():
        combined = combined * (len(texts) + 1) + (codes + 1)
    partition, _ = pd.factorize(combined)
    count = int(partition.max()) + 1 if len(partition) else 0
    if count <= np.iinfo(np.uint16).max:  # a radix sort
        partition = partition.astype(np.uint16)
    if len(order) and not (np.diff(order) > 0).all():
        sort = np.lexsort((order, partition))
    else:
        sort = np.argsort(partition, kind="stable")  # rows keep their order within a file
    files = runs(partition[sort])
    columns: dict[str, object] = {}
    for column in frame.columns:
        if column in keys:
            continue
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            texts = pa.array(
                values.cat.categories.astype("str").to_numpy(dtype=object), pa.string()
            )
            columns[column] = run_dictionaries(values.cat.codes.to_numpy()[sort], texts, files)
        else:
            columns[column] = _as_arrow(values.iloc[sort])
    columns[ORDER] = pa.array(order[sort].astype(np.int64))
    for i, (start, end) in enumerate(files):
        row = sort[start]
        path = folder.joinpath(
            *(
                f"{name}={quote(str(texts[codes[row]]), safe='') if codes[row] >= 0 else HIVE_NULL}"
                for name, (codes, texts) in keys.items()
            )
        )
        path.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for column, values in columns.items():
            if isinstance(values, list):  # a dictionary of each file's own values
                arrays[column] = values[i]
            else:
                arrays[column] = values.slice(start, end - start)
        # Without Arrow's schema, the codes read back as plain text, as any Parquet file's do.
        pq.write_table(pa.table(arrays), path / "part-0.parquet", store_schema=False)
    return count


def _categories_file(root: Path, name: str) -> Path:
    return root / CATEGORIES / f"{name}.parquet"


def _write_categories(root: Path, name: str, categories: pd.Index) -> None:
    path = _categories_file(root, name)
    path.parent.mkdir(exist_ok=True)
    pq.write_table(pa.table({"nilai": pa.array(categories.astype("str"), pa.string())}), path)


def _read_categories(root: Path, name: str, ordered: bool) -> pd.CategoricalDtype:
    path = _categories_file(root, name)
    return _categories(os.fspath(path), path.stat().st_mtime_ns, ordered)


@functools.lru_cache(maxsize=256)
def _categories(path: str, changed: int, ordered: bool) -> pd.CategoricalDtype:
    """Read a category list once per process and file version (a worker's tasks share it)."""
    values = pq.read_table(path).column("nilai").to_numpy()
    return pd.CategoricalDtype(pd.Index(values, dtype="str"), ordered=ordered)


def _write_table(root: Path, name: str, frame: pd.DataFrame, pegawai: pd.DataFrame) -> dict:
    """Write one table under ``root/name``; return its manifest entry."""
    parts = partition_columns(name, list(frame.columns), list(pegawai.columns))
    added = [c for c in parts if c not in frame.columns]
    columns = []
    for column in frame.columns:
        dtype = frame[column].dtype
        kind = shared_kind(name, column) if isinstance(dtype, pd.CategoricalDtype) else None
        entry = {"nama": str(column), "dtype": str(dtype), "kategori": kind}
        if kind is None and isinstance(dtype, pd.CategoricalDtype):
            entry["kategori"] = f"{name}.{column}"
            entry["urut"] = bool(dtype.ordered)
            _write_categories(root, f"{name}.{column}", dtype.categories)
        columns.append(entry)
    folder = root / name
    order = np.arange(len(frame), dtype=np.int64)
    if parts and len(frame):
        folder.mkdir()
        write_partitions(folder, frame, partition_keys(frame, parts, pegawai), order)
    else:
        folder.mkdir()
        arrays = {column: _as_arrow(frame[column]) for column in frame.columns}
        arrays[ORDER] = pa.array(order)
        pq.write_table(pa.table(arrays), folder / "part-0.parquet")
    return {"baris": len(frame), "partisi": parts, "tambahan": added, "kolom": columns}


def _copy_profile(source: Path, root: Path) -> None:
    """Copy the source's ``profil.toml`` (and the logo it names) into the store."""
    folder = source if source.is_dir() else source.parent
    profile = folder / PROFILE_FILE
    if not profile.is_file():
        return
    shutil.copyfile(profile, root / PROFILE_FILE)
    try:
        logo = tomllib.loads(profile.read_text(encoding="utf-8")).get("logo")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return  # the loader reports a bad profile when a command reads it
    if isinstance(logo, str) and (folder / logo).is_file() and Path(logo).name == logo:
        shutil.copyfile(folder / logo, root / logo)


def data_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` that pyarrow reads as data, in path order.

    Parameters
    ----------
    folder : Path
        A table's folder in a store.

    Returns
    -------
    list of Path
        Files at any depth, whatever their name (a file put there by hand is read too), but
        none under a name starting with ``.`` or ``_`` (pyarrow's ``ignore_prefixes``).
    """
    found = []
    for path in folder.rglob("*"):
        steps = path.relative_to(folder).parts
        if path.is_file() and not any(s.startswith((".", "_")) for s in steps):
            found.append(path)
    return sorted(found)


def _files(root: Path) -> dict[str, int]:
    """Every file of a store's tables and category lists (relative path → size in bytes).

    In path order; a file added by hand counts as a change as much as one edited.
    """
    paths = sorted(root.glob(f"{CATEGORIES}/*.parquet"))
    tables = [f for f in sorted(root.iterdir()) if f.is_dir() and not f.name.startswith((".", "_"))]
    paths += [path for folder in tables for path in data_files(folder)]
    return {path.relative_to(root).as_posix(): path.stat().st_size for path in sorted(paths)}


def write_store(dataset: Dataset, out: str | os.PathLike[str]) -> dict:
    """Write a checked dataset as a partitioned store, replacing ``out`` in one step.

    Parameters
    ----------
    dataset : Dataset
        A dataset as :func:`asn_eval.load` returns it (shared categoricals in place).
    out : str or path-like
        The store folder; an existing one is replaced only once the new one is complete.

    Returns
    -------
    dict
        The manifest (also written as ``out/asn-eval-store.json``).

    Raises
    ------
    WriteError
        When the store cannot be written (nothing at ``out`` has changed then).
    """
    out = Path(out)
    pegawai = dataset.tables["pegawai"]
    with staging_folder(out.parent, shown=out) as staging:
        root = staging / out.name
        root.mkdir()
        tables = {}
        for name, frame in dataset.tables.items():
            tables[name] = _write_table(root, name, frame, pegawai)
        for kind in SHARED:
            dtype = next(
                (
                    frame[column].dtype
                    for name, frame in dataset.tables.items()
                    for column in frame.columns
                    if shared_kind(name, column) == kind
                    and isinstance(frame[column].dtype, pd.CategoricalDtype)
                ),
                None,
            )
            categories = dtype.categories if dtype is not None else pd.Index([], dtype="str")
            _write_categories(root, kind, categories)
        _copy_profile(dataset.source, root)
        manifest = {
            "format": STORE_FORMAT,
            "asn_eval": __version__,
            "sumber": dataset.source.name,
            "sidik": dataset.fingerprint,
            "dibuat": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "tabel": tables,
            "peringatan": [_problem_json(p) for p in dataset.warnings],
            "berkas": _files(root),
        }
        (root / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        replace_folder(root, out)
    return manifest


def convert(
    source: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    cache: bool = True,
    limits: Limits | None = None,
    client: object | None = None,
) -> dict:
    """Check a dataset folder (or workbook), then write it as a store.

    A folder of CSV or Parquet files is read in pieces and checked a group of agencies at a
    time (:func:`~asn_eval.input.streamed.convert_in_pieces`): memory follows the largest group,
    not the dataset. A workbook, or a folder holding a file that must be read whole
    (:class:`~asn_eval.errors.ReadWhole`, said on stderr), is loaded whole. Either way
    the store, and every problem, are those of :func:`asn_eval.load`.

    Parameters
    ----------
    source : str or path-like
        The dataset folder or workbook.
    out : str or path-like
        The store folder to write.
    cache, limits
        As for :func:`asn_eval.load` (the cache serves a workbook or a folder read whole).
    client : distributed.Client, optional
        Check and write the groups as Dask tasks (the workers must see ``out``'s folder).

    Returns
    -------
    dict
        The store's manifest.

    Raises
    ------
    DataError
        When the data has errors (every problem listed; nothing is written).
    WriteError
        When the store cannot be written.

    Examples
    --------
    >>> convert("data/sample", "data/sample-store")["tabel"]["pegawai"]["baris"]  # doctest: +SKIP
    2500
    """
    from asn_eval.input.streamed import convert_in_pieces

    if Path(source).is_dir() and not is_store(source):
        try:
            return convert_in_pieces(source, out, client=client, limits=limits)
        except ReadWhole as reason:
            say(f"Catatan: {reason}; data dibaca utuh (memori sebesar seluruh data)", sys.stderr)
    return write_store(load(source, cache=cache, limits=limits), out)


def run_convert(args: argparse.Namespace) -> int:
    """Run ``asn-eval convert DIR --out STORE`` (registered by :mod:`asn_eval.cli`).

    Parameters
    ----------
    args : argparse.Namespace
        ``data`` (the folder or workbook), ``out`` (the store) and ``dask`` (a cluster for the
        groups' checks, or None).

    Returns
    -------
    int
        0 when written. Data with errors raise :class:`DataError` (the command lists every
        problem and exits 2, nothing written).

    Raises
    ------
    UsageError
        When ``out`` is the data folder or holds it.
    """
    if Path(args.data).resolve().is_relative_to(Path(args.out).resolve()):
        raise UsageError(f"--out {args.out} akan menimpa data sumber; pilih folder lain")
    started = time.perf_counter()
    spec = getattr(args, "dask", None)
    with contextlib.nullcontext() if spec is None else dask_client(spec) as client:
        manifest = convert(args.data, args.out, client=client)
    rows = ", ".join(f"{name} {integer(t['baris'])}" for name, t in manifest["tabel"].items())
    say(f"Penyimpanan ditulis ke {args.out} ({duration(time.perf_counter() - started)}): {rows}")
    say(f"Pakai di tempat folder data, mis. asn-eval score {args.out} --periode …")
    return 0


def _problem_json(problem: Problem) -> dict:
    value = problem.value
    return {**problem.__dict__, "value": None if value is None else str(value)}


def read_manifest(path: str | os.PathLike[str]) -> dict:
    """Read a store's manifest.

    Parameters
    ----------
    path : str or path-like
        The store folder.

    Returns
    -------
    dict
        See :func:`write_store`.

    Raises
    ------
    DataError
        When the manifest cannot be read or is of another store format.
    """
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataError([Problem(MANIFEST, None, None, f"tidak bisa dibaca: {error}")]) from None
    if manifest.get("format") != STORE_FORMAT:
        message = (
            f"format penyimpanan {manifest.get('format')} tidak dikenal (versi ini membaca "
            f"format {STORE_FORMAT}); buat ulang dengan asn-eval convert"
        )
        raise DataError([Problem(MANIFEST, None, None, message)])
    return manifest


def _restore(values: pd.Series, dtype: pd.CategoricalDtype) -> pd.Series:
    """Give a column read back its categorical dtype, through the categories only."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    found = np.append(dtype.categories.get_indexer(values.cat.categories.astype("str")), -1)
    mapped = found[values.cat.codes.to_numpy()]  # a missing value's code -1 takes the last
    return pd.Series(pd.Categorical.from_codes(mapped, dtype=dtype), index=values.index)


def read_table(
    root: Path,
    name: str,
    entry: dict,
    columns: list[str] | None = None,
    kode_opd: list[str] | None = None,
) -> pa.Table:
    """Read one table of a store as Arrow, every fragment, text columns as dictionaries.

    Parameters
    ----------
    root : Path
        The store folder.
    name : str
        Table name.
    entry : dict
        The table's manifest entry.
    columns : list of str, optional
        Read only these (and nothing else); all columns when None.
    kode_opd : list of str, optional
        Read only these agencies' partitions (a table partitioned by ``kode_opd``; others are
        read whole).

    Returns
    -------
    pyarrow.Table
        Rows in fragment order; the partition columns as dictionary text.
    """
    texts = [c["nama"] for c in entry["kolom"] if c["kategori"] or c["dtype"] == "str"]
    fmt = pads.ParquetFileFormat(read_options={"dictionary_columns": texts})
    partitioning = None
    if entry["partisi"] and entry["baris"]:
        schema = pa.schema([(c, pa.dictionary(pa.int32(), pa.string())) for c in entry["partisi"]])
        partitioning = pads.partitioning(schema, flavor="hive", dictionaries="infer")
    if kode_opd is not None and "kode_opd" in (entry["partisi"] or []) and entry["baris"]:
        # Only the agencies' folders are listed: a store of a province holds 10⁵ files, and
        # discovering them all for every task would cost more than reading its part.
        files = [
            str(f) for folder in _agency_folders(root / name, kode_opd) for f in _parquet(folder)
        ]
        if not files:
            return read_table(root, name, entry, columns, kode_opd=None).slice(0, 0)
        data = pads.dataset(
            files, format=fmt, partitioning=partitioning, partition_base_dir=str(root / name)
        )
        return data.to_table(columns=columns)
    data = pads.dataset(root / name, format=fmt, partitioning=partitioning)
    return data.to_table(columns=columns)


def _agency_folders(folder: Path, kode_opd: list[str]) -> list[Path]:
    """List the ``kode_opd=…`` partition folders of some agencies in a table's folder (hive).

    They sit under ``kode_instansi=…`` folders when the dataset has instansi; a code with no
    folder (an agency without rows in this table) is skipped.
    """
    names = [f"kode_opd={quote(code, safe='')}" for code in kode_opd]
    parents = [folder]
    if next(folder.glob("kode_instansi=*"), None) is not None:
        parents = sorted(folder.glob("kode_instansi=*"))
    return [p / n for p in parents for n in names if (p / n).is_dir()]


def _parquet(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.parquet"))


def _table_frame(
    root: Path, name: str, entry: dict, shared: dict, kode_opd: list[str] | None = None
) -> pd.DataFrame:
    table = read_table(root, name, entry, kode_opd=kode_opd)
    order = table.column(ORDER).to_numpy()
    frame = table.drop_columns([ORDER, *entry["tambahan"]]).to_pandas()
    if len(frame) and len(frame) == entry["baris"]:  # every row: placed back by position
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        frame = frame.take(position).reset_index(drop=True)
    elif len(frame):  # some agencies' rows: in the source's order
        frame = frame.take(np.argsort(order, kind="stable")).reset_index(drop=True)
    out = {}
    for column in entry["kolom"]:
        values, kind, dtype = frame[column["nama"]], column["kategori"], column["dtype"]
        if kind in shared:
            out[column["nama"]] = _restore(values, shared[kind])
        elif kind:
            ordered = column.get("urut", False)
            out[column["nama"]] = _restore(values, _read_categories(root, kind, ordered))
        elif str(values.dtype) != dtype:
            out[column["nama"]] = values.astype(dtype)
        else:
            out[column["nama"]] = values
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def read_store(
    path: str | os.PathLike[str],
    kode_opd: list[str] | None = None,
    tables: Collection[str] | None = None,
    verify: bool = True,
) -> Dataset:
    """Read a store back as the :class:`Dataset` its source folder loads as.

    Parameters
    ----------
    path : str or path-like
        The store folder.
    kode_opd : list of str, optional
        Read only these agencies' partitions (a Dask task's part: its memory is its part's);
        then take :meth:`Dataset.subset` of the same agencies for their employees' rows only.
    tables : collection of str, optional
        Read only these tables (e.g. ``opd`` and ``pegawai``: what a Dask client needs to split
        the work, a few MB where the whole store is GBs); the dataset then covers the store's
        periods all the same (:attr:`Dataset.periodes`).
    verify : bool
        Check that no file changed since the store was written (listing every file). A Dask
        task reading its part passes False: its client checked the store once for all tasks.

    Returns
    -------
    Dataset
        The same tables (rows in the source's order, the same dtypes, the shared categoricals
        shared again), the source's warnings, and its fingerprint.

    Raises
    ------
    DataError
        When the manifest cannot be read, or when files changed since the store was written
        and the check of :func:`~asn_eval.input.store_check.validate_store` finds errors.
    """
    root = Path(path)
    manifest = read_manifest(root)
    if verify and _files(root) != manifest["berkas"]:  # changed since convert: checked again
        from asn_eval.input.store_check import validate_store

        problems = validate_store(root)
        if any(p.is_error for p in problems):
            raise DataError(problems)
    shared = {kind: _read_categories(root, kind, kind == "periode") for kind in SHARED}
    read = {
        name: _table_frame(root, name, entry, shared, kode_opd)
        for name, entry in manifest["tabel"].items()
        if tables is None or name in tables
    }
    warnings = [Problem(**p) for p in manifest["peringatan"]]
    scope = None if tables is None else list(shared["periode"].categories)
    return Dataset(read, warnings, root, manifest["sidik"], scope)
