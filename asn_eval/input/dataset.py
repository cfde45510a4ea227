"""A loaded dataset: typed tables, the warnings found, and a content-keyed cache.

``load(path)`` reads like the pipeline it is: find the files → fingerprint them → reuse the cache
or read, parse and check every table → keep the result in the cache → return a :class:`Dataset`.
Input files are only ever read.

The cache is written off the loading path: in a thread of its own, after ``load`` has returned
(:func:`wait_for_cache`). The process waits for it before it exits; a load of the same files in the
same process waits for it too, then reads it.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pyarrow.feather import write_feather

from asn_eval.atomic import staging_folder
from asn_eval.errors import DataError, MissingTableError
from asn_eval.input.codes import writable_codes
from asn_eval.input.contract import TABLES
from asn_eval.input.layout import RawTable, read_frame, read_table
from asn_eval.input.limits import Limits
from asn_eval.input.nip import all_bare
from asn_eval.input.periode import Periode, available_periodes, sort_periode
from asn_eval.input.problems import Problem
from asn_eval.input.readers import Source, discover, fingerprint, is_store
from asn_eval.input.validation import DatasetCheck, check_dataset
from asn_eval.version import __version__

__all__ = [
    "Dataset",
    "Limits",
    "abandon_cache_writes",
    "cache_dir",
    "load",
    "validate",
    "wait_for_cache",
]

CACHE_FORMAT = 6
"""Bumped whenever the cached form of a dataset changes meaning."""

CACHE_COMPRESSION = "lz4"
"""How cached tables are compressed. The cache is Arrow's own file format (Feather v2): written and
read back without Parquet's encoding, a third of the time at the same content, values and dtypes
kept exactly (dates stay in seconds)."""


@dataclass
class Dataset:
    """One evaluation dataset: typed tables of the input contract.

    Parameters
    ----------
    tables : dict
        Table name to DataFrame, with the contract's column names and dtypes. NIP columns share
        one categorical dtype whose categories are ``pegawai.nip``; ``kode_opd`` columns share one
        whose categories are ``opd.kode_opd``; ``periode`` columns share one ordered by time.
    warnings : list of Problem
        Warnings found while checking (the dataset has no errors).
    source : Path
        The folder or workbook it was loaded from.
    fingerprint : str
        Hash of the input files' content.
    scope : list of str, optional
        For a part of a dataset (:meth:`subset`), the periods of the whole: a part covers the same
        evaluation periods even where it has no rows.

    Examples
    --------
    >>> ds = load("data/sample")  # doctest: +SKIP
    >>> ds.pegawai.shape[0], ds.periodes  # doctest: +SKIP
    (2500, ['2025-TW1', '2025-TW2', '2025-TW3', '2025-TW4', '2025'])
    """

    tables: dict[str, pd.DataFrame]
    warnings: list[Problem] = field(default_factory=list)
    source: Path = Path()
    fingerprint: str = ""
    scope: list[str] | None = None

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(frame):,}" for name, frame in self.tables.items())
        return f"Dataset({self.source}, {sizes}, {len(self.warnings)} peringatan)"

    @classmethod
    def from_frames(cls, frames: dict[str, pd.DataFrame]) -> Dataset:
        """Check tables held in memory, as if each had been read from ``<name>.csv``.

        Parameters
        ----------
        frames : dict
            Table name to DataFrame, with contract column names (or accepted aliases).

        Returns
        -------
        Dataset
            The typed, checked tables.

        Raises
        ------
        DataError
            When the tables have errors.

        Examples
        --------
        >>> ds = Dataset.from_frames({
        ...     "opd": pd.DataFrame({"kode_opd": ["BKPSDM"], "nama_opd": ["BKPSDM"]}),
        ...     "pegawai": pd.DataFrame({"nip": ["19660801 198803 1 001"], "nama": ["Budi"],
        ...                              "kode_opd": ["BKPSDM"], "jabatan": ["Kepala Badan"],
        ...                              "jenis_jabatan": ["JPT"]})})
        >>> ds.pegawai["nip"].tolist()
        ['196608011988031001']
        """
        raws: dict[str, RawTable] = {}
        problems: list[Problem] = []
        for name, frame in frames.items():
            raw, found = read_frame(Source(name, Path(f"{name}.csv")), frame.reset_index(drop=True))
            problems += found
            if raw is not None:
                raws[name] = raw
        for table in TABLES.values():
            if table.required and table.name not in frames:
                problems.append(Problem(f"{table.name}.csv", None, None, "tabel wajib tidak ada"))
        if not any(p.is_error for p in problems):
            tables, found = check_dataset(raws)
            problems += found
        if any(p.is_error for p in problems):
            raise DataError(problems)
        return cls(tables, problems, Path("<memori>"), "")

    def has(self, table: str) -> bool:
        """Whether the dataset has ``table`` with at least one row.

        Parameters
        ----------
        table : str
            Table name.

        Returns
        -------
        bool
            True when present and not empty.
        """
        return table in self.tables and not self.tables[table].empty

    def require(self, table: str, purpose: str) -> pd.DataFrame:
        """Return ``table``, or raise a clear error naming what needed it.

        Parameters
        ----------
        table : str
            Table name.
        purpose : str
            What needs the table, in Bahasa Indonesia (e.g. ``"analisis kehadiran"``).

        Returns
        -------
        DataFrame
            The table.

        Raises
        ------
        MissingTableError
            When the dataset has no such table.
        """
        if not self.has(table):
            raise MissingTableError(
                f"{purpose} membutuhkan tabel '{table}', yang tidak ada di data ini"
            )
        return self.tables[table]

    def __getattr__(self, name: str) -> pd.DataFrame:
        """Give every table of the contract as an attribute, e.g. ``ds.pegawai`` or ``ds.skp``."""
        if name in TABLES:
            return self.require(name, f"'{name}'")
        raise AttributeError(name)

    def subset(self, *, kode_opd: list[str] | None = None, nip: list[str] | None = None) -> Dataset:
        """Return the part of the dataset about some agencies or employees.

        Parameters
        ----------
        kode_opd : list of str, optional
            Keep these agencies, their employees and everything about them.
        nip : list of str, optional
            Keep these employees (and their agencies).

        Returns
        -------
        Dataset
            Same dtypes (the shared categoricals keep all their categories), fewer rows. Ratings
            given *by* a kept employee to someone outside are dropped with the ratee.
        """
        pegawai = self.pegawai
        keep = pd.Series(True, index=pegawai.index)
        if kode_opd is not None:
            keep &= pegawai["kode_opd"].isin(kode_opd)
        if nip is not None:
            keep &= pegawai["nip"].isin(nip)
        nips = pegawai.loc[keep, "nip"]
        opds = set(pegawai.loc[keep, "kode_opd"].dropna()) | set(kode_opd or [])
        tables = {}
        for name, frame in self.tables.items():
            if name == "pegawai":
                tables[name] = frame[keep]
            elif "nip" in frame:
                tables[name] = frame[frame["nip"].isin(nips)]
            elif name == "opd":
                tables[name] = frame[frame["kode_opd"].isin(opds)]
            elif "kode_opd" in frame:
                tables[name] = frame[frame["kode_opd"].isin(opds)]
            else:
                tables[name] = frame
        return Dataset(tables, self.warnings, self.source, self.fingerprint, self.periodes)

    @property
    def periodes(self) -> list[Periode]:
        """Every period that appears in any table (of the whole, for a subset), oldest first."""
        if self.scope is not None:
            return sort_periode(self.scope)
        found: set[str] = set()
        for frame in self.tables.values():
            if "periode" in frame:
                found.update(frame["periode"].dropna().unique())
        return sort_periode(found)

    @property
    def available_periodes(self) -> list[Periode]:
        """Every period this data can be evaluated for: its own, and the year of each quarter."""
        return available_periodes(self.periodes)

    def built_from(self, periode: Periode) -> list[Periode]:
        """List the quarters a year is evaluated from when no table has rows for the year itself.

        Parameters
        ----------
        periode : Periode
            A period of this data (:meth:`periode`).

        Returns
        -------
        list of Periode
            The year's quarters in the data; empty for a quarter or a year with rows of its own.
        """
        own = set(self.periodes)
        if not periode.is_year or periode in own:
            return []
        return [q for q in periode.quarters if q in own]

    def periode(self, value: object) -> Periode:
        """Read a period asked for and check this data has something for it.

        Parameters
        ----------
        value : str, int or Periode
            As written (``"2025-TW2"``, ``"2025 tw ii"``, ``2025``).

        Returns
        -------
        Periode

        Raises
        ------
        PeriodeError
            When it cannot be read or the data has nothing for it; the message lists
            :attr:`available_periodes`.
        """
        return Periode.of(value, self.periodes)


def cache_dir() -> Path:
    """Return the folder where loaded datasets are cached.

    Returns
    -------
    Path
        ``$ASN_EVAL_CACHE`` when set, else ``$XDG_CACHE_HOME/asn-eval`` or ``~/.cache/asn-eval``.
    """
    if os.environ.get("ASN_EVAL_CACHE"):
        return Path(os.environ["ASN_EVAL_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "asn-eval"


def _cache_key(digest: str) -> str:
    return f"{digest}-v{CACHE_FORMAT}-{__version__}"


def _problem_to_json(problem: Problem) -> dict[str, object]:
    value = problem.value
    return {**problem.__dict__, "value": None if value is None else str(value)}


def _shared_kind(table: str, column: str) -> str | None:
    """Which shared categorical a column holds: ``nip``, ``kode_opd``, ``periode`` or None."""
    spec = TABLES[table].find(column)
    if spec is None:
        return None
    if spec.kind == "nip":
        return "nip"
    if column in ("kode_opd", "induk"):
        return "kode_opd"
    return "periode" if spec.kind == "periode" else None


def _read_cache(folder: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]] | None:
    """Read a cache entry: shared categoricals come back from their codes, without re-hashing."""
    meta_path = folder / "meta.json"
    if not meta_path.exists():
        return None
    try:
        meta = json.loads(meta_path.read_text())
        dtypes = {}
        for kind, ordered in (("nip", False), ("kode_opd", False), ("periode", True)):
            values = pd.read_feather(folder / f"_kategori_{kind}.arrow")["nilai"]
            categories = pd.Index(values.to_numpy(), dtype="str")
            dtypes[kind] = pd.CategoricalDtype(categories, ordered=ordered)
        tables = {}
        for name in meta["tables"]:
            frame = pd.read_feather(folder / f"{name}.arrow")
            for column in frame.columns:
                kind = _shared_kind(name, column)
                if kind is not None:
                    codes = writable_codes(frame[column].to_numpy())  # a user may set a cell
                    frame[column] = pd.Categorical.from_codes(
                        codes, dtype=dtypes[kind], validate=False
                    )
                elif isinstance(frame[column].dtype, pd.CategoricalDtype):
                    values = frame[column].array
                    frame[column] = pd.Categorical.from_codes(
                        writable_codes(values.codes), dtype=values.dtype, validate=False
                    )
            tables[name] = frame
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return None
    return tables, [Problem(**p) for p in meta["problems"]]


def _write_cache(
    folder: Path,
    tables: dict[str, pd.DataFrame],
    problems: list[Problem],
    stop: threading.Event | None = None,
) -> None:
    """Write the cache entry into a temporary folder, then move it into place in one step.

    Columns of the shared categoricals (NIPs, OPD codes, periods) are stored as their integer
    codes, and each category list once, so a reload rebuilds them without hashing millions of
    strings. When ``stop`` is set, the write ends before its next table, leaving nothing behind.
    """
    dtypes: dict[str, pd.CategoricalDtype] = {}
    with staging_folder(folder.parent, prefix=".tmp-") as staging:
        staging.chmod(0o700)  # a copy of everyone's data: for this user only
        for name, frame in tables.items():
            if stop is not None and stop.is_set():
                return  # the staging folder goes with what was written
            stored = {}
            for column in frame.columns:
                kind = _shared_kind(name, column)
                if kind is not None:
                    dtypes.setdefault(kind, frame[column].dtype)
                    # a Series over the codes: an array would be copied into the frame
                    stored[column] = pd.Series(frame[column].array.codes, frame.index, copy=False)
            # the table write_feather would make, converted in this thread: pyarrow's pool of
            # conversion threads took longer than the conversion itself
            table = pa.Table.from_pandas(frame.assign(**stored), preserve_index=None, nthreads=1)
            write_feather(table, staging / f"{name}.arrow", compression=CACHE_COMPRESSION)
        for kind in ("nip", "kode_opd", "periode"):
            categories = dtypes[kind].categories if kind in dtypes else pd.Index([], dtype="str")
            write_feather(
                pd.DataFrame({"nilai": categories.astype("str")}),
                staging / f"_kategori_{kind}.arrow",
                compression=CACHE_COMPRESSION,
            )
        meta = {"tables": list(tables), "problems": [_problem_to_json(p) for p in problems]}
        (staging / "meta.json").write_text(json.dumps(meta))
        with contextlib.suppress(OSError):  # another process cached the same content first
            staging.rename(folder)


_writes: dict[Path, tuple[threading.Thread, threading.Event]] = {}
"""Cache entries being written by this process, each by its own thread."""
_failures: list[Exception] = []
"""Errors of finished writes not yet reported by :func:`wait_for_cache`."""
_writes_lock = threading.Lock()


def _write_cache_later(
    folder: Path, tables: dict[str, pd.DataFrame], problems: list[Problem]
) -> None:
    """Start writing a cache entry in a thread of its own (not a daemon: the process waits for it).

    The thread gets shallow copies of the frames: with pandas' copy-on-write, a change the
    caller makes to a table afterwards copies that table's data rather than the cache's.
    """
    frames = {name: frame.copy(deep=False) for name, frame in tables.items()}
    stop = threading.Event()

    def write() -> None:
        try:
            _write_cache(folder, frames, list(problems), stop)
        except Exception as error:  # a full or read-only cache folder only costs speed
            cause: BaseException | None = error
            for _ in range(8):  # kept without its frames, which would hold the tables
                if cause is None:
                    break
                cause.__traceback__ = None
                cause = cause.__cause__ or cause.__context__
            with _writes_lock:
                _failures.append(error)
        finally:
            with _writes_lock:
                if _writes.get(folder, (None,))[0] is threading.current_thread():
                    del _writes[folder]

    thread = threading.Thread(target=write, name=f"asn-eval-cache-{folder.name}", daemon=False)
    with _writes_lock:
        _writes[folder] = (thread, stop)
    thread.start()


def _wait_for_write(folder: Path) -> None:
    """Wait for this process's write of the cache entry ``folder``, if one is under way."""
    with _writes_lock:
        thread, _ = _writes.get(folder, (None, None))
    if thread is not None:
        thread.join()


def wait_for_cache() -> list[Exception]:
    """Wait until every cache entry this process started writing is written.

    :func:`load` writes the cache in a thread of its own, after it has returned; the process
    waits for it anyway before it exits. Call this to time a load with its cache, or before
    looking into :func:`cache_dir`.

    Returns
    -------
    list of Exception
        Why writes finished since the last call failed (an ``OSError``: the cache folder is
        full or cannot be written, which only costs speed); empty when all were written.

    Examples
    --------
    >>> wait_for_cache()
    []
    """
    while True:
        with _writes_lock:
            pending = [thread for thread, _ in _writes.values()]
        if not pending:
            break
        for thread in pending:
            thread.join()
    with _writes_lock:
        failures = _failures.copy()
        _failures.clear()
    return failures


def abandon_cache_writes() -> None:
    """Stop the cache writes under way (before their next table) and wait for them to end.

    For a command stopped by Ctrl-C or SIGTERM, which should end at once: nothing half-written
    is left, and the next load writes the cache again.
    """
    with _writes_lock:
        writes = list(_writes.values())
    for _, stop in writes:
        stop.set()
    for thread, _ in writes:
        thread.join()


def _reading_order(sources: dict[str, Source]) -> list[str]:
    """Order the tables to read so that checking waits least for reading.

    ``pegawai`` first (quick to read, long to check), then the largest files first: each is
    checked while the smaller ones are read, and the last to be read is quick to check. Sheets
    of a workbook are read in the workbook's order (one refused stops the rest).
    """
    if any(source.sheet for source in sources.values()):
        return list(sources)
    size = {table: source.path.stat().st_size for table, source in sources.items()}
    return sorted(sources, key=lambda table: (table != "pegawai", -size[table]))


def bare_nips(pegawai: RawTable) -> pd.CategoricalDtype | None:
    """Return the dtype the checked NIP columns will share, when the read employees say it.

    That is when every NIP of ``pegawai`` is written as 18 bare digits, once each, so that
    reading them changes none (:func:`~asn_eval.input.nip.read_nips`); None otherwise.

    Parameters
    ----------
    pegawai : RawTable
        The employees' table as read.

    Returns
    -------
    CategoricalDtype or None
        The employees' NIPs in their rows' order: the dtype
        :func:`~asn_eval.input.validation.check_dataset` gives every NIP column.
    """
    values = pegawai.frame.get("nip")
    if values is None or not len(values):
        return None
    kind = values.cat.categories.dtype if isinstance(values.dtype, pd.CategoricalDtype) else None
    if not isinstance(kind or values.dtype, pd.StringDtype):  # text, not numbers
        return None
    if isinstance(values.dtype, pd.StringDtype):
        text = pd.Index(values.array)  # the column's own text, not a copy
    else:
        text = pd.Index(values.to_numpy(), dtype="str")
    if not all_bare(text):  # a missing NIP is not bare
        return None
    try:
        return pd.CategoricalDtype(text)  # hashed once: the lookups into it reuse the table
    except ValueError:  # a NIP written twice
        return None


def _read_and_check(
    sources: dict[str, Source], problems: list[Problem]
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read every table, check each on its own, then what spans them.

    The files are read two at a time by threads of their own, the largest first
    (:func:`_reading_order`), and each table is checked here as soon as it is read: reading
    (pyarrow decodes on threads of its own) and checking overlap, and a smaller table is checked
    while a larger one is still being read. The employees are read first; once they are, a Parquet
    file's NIP columns naming only their NIPs are read in the dtype every NIP column is given
    (:func:`bare_nips`). The sheets of a workbook are read one after another, in its order. The
    result is the one of reading everything first, in the order of ``sources``: when a file
    cannot be read, only the problems found by reading.
    """
    refused: set[Path] = set()  # a workbook refused whole: its other sheets are not read
    nips: list[pd.CategoricalDtype] = []  # the employees' NIPs, once read
    readers = 1 if any(source.sheet for source in sources.values()) else 2
    employees = threading.Event()  # set once the employees are read (or not awaited)
    if "pegawai" not in sources or readers == 1:  # one reader reads in order anyway
        employees.set()

    def read(source: Source) -> tuple[RawTable | None, list[Problem]]:
        if source.table != "pegawai":
            employees.wait()
        try:
            if source.path in refused:  # read in order, by one thread: earlier sheets are done
                return None, []
            raw, found = read_table(source, nips=nips[0] if nips else None)
            if source.sheet and any(p.is_error and p.file == source.path.name for p in found):
                refused.add(source.path)
            if source.table == "pegawai" and raw is not None and (known := bare_nips(raw)):
                nips.append(known)
            return raw, found
        finally:
            if source.table == "pegawai":
                employees.set()

    read_problems: dict[str, list[Problem]] = {}
    check = DatasetCheck()
    order = _reading_order(sources)
    # one reader takes the employees, the largest file and the next; the other the rest, which
    # are checked while the largest is read
    shares = [order[:3], order[3:]] if readers == 2 else [order]
    pools = [ThreadPoolExecutor(1, thread_name_prefix="asn-eval-baca") for _ in shares]
    try:
        reads = {
            pool.submit(read, sources[t]): t
            for pool, s in zip(pools, shares, strict=True)
            for t in s
        }
        for future in as_completed(reads):  # the employees first: the others wait for them
            raw, read_problems[reads[future]] = future.result()
            unreadable = any(p.is_error for found in read_problems.values() for p in found)
            if raw is not None and not unreadable:
                check.add(raw)
    finally:
        for pool in pools:
            pool.shutdown(cancel_futures=True)  # stopped (Ctrl-C): no more files are read
    for table in sources:
        problems += read_problems[table]
    if any(p.is_error for p in problems):
        return {}, problems
    tables, found = check.finish()
    return tables, problems + found


def _check(
    path: Path, use_cache: bool, limits: Limits | None
) -> tuple[dict[str, pd.DataFrame], list[Problem], str]:
    sources, problems = discover(path, limits)
    if any(p.is_error for p in problems):
        return {}, problems, ""
    digest = fingerprint(sources)
    folder = cache_dir() / _cache_key(digest)
    if use_cache:
        _wait_for_write(folder)  # this very entry being written by this process: then read it
        if (cached := _read_cache(folder)) is not None:
            return cached[0], cached[1], digest
    tables, problems = _read_and_check(sources, problems)
    if use_cache and not any(p.is_error for p in problems):
        _write_cache_later(folder, tables, problems)  # off the loading path
    return tables, problems, digest


def load(
    path: str | os.PathLike[str], *, cache: bool = True, limits: Limits | None = None
) -> Dataset:
    """Load, parse and check a dataset.

    Parameters
    ----------
    path : str or path-like
        A dataset folder (one file per table), one workbook with a sheet per table, or a
        store written by ``asn-eval convert`` (:mod:`asn_eval.input.store`).
    cache : bool, default True
        Reuse (and keep) the checked tables in :func:`cache_dir`, keyed by the files' content.
    limits : Limits, optional
        How big an input file may be (size on disk, a workbook's parts unpacked, a Parquet
        file's rows); :meth:`Limits.from_env` when None. A file over a limit, or a link
        leading out of the data folder, is an error naming the file.

    Returns
    -------
    Dataset
        The typed tables and any warnings.

    Raises
    ------
    DataError
        When the data has errors; ``error.problems`` lists every one of them.
    UsageError
        When a limit set in the environment is not a positive number.

    Examples
    --------
    >>> import asn_eval
    >>> ds = asn_eval.load("data/sample")  # doctest: +SKIP
    """
    path = Path(path)
    if is_store(path):  # a store is read, not parsed: it was checked when written
        from asn_eval.input import store

        return store.read_store(path)
    tables, problems, digest = _check(path, cache, limits)
    if any(p.is_error for p in problems):
        raise DataError(problems)
    return Dataset(tables, problems, path, digest)


def validate(
    path: str | os.PathLike[str], *, cache: bool = True, limits: Limits | None = None
) -> list[Problem]:
    """Check a dataset and return every problem found, without raising.

    Parameters
    ----------
    path : str or path-like
        A dataset folder or workbook.
    cache : bool, default True
        Reuse the result of an earlier check of identical files.
    limits : Limits, optional
        How big an input file may be; :meth:`Limits.from_env` when None (see :func:`load`).

    Returns
    -------
    list of Problem
        Errors and warnings; empty when the data is clean.

    Raises
    ------
    UsageError
        When a limit set in the environment is not a positive number.

    Examples
    --------
    >>> import asn_eval
    >>> [str(p) for p in asn_eval.validate("no/such/folder")]
    ['no/such/folder: folder atau berkas data tidak ditemukan']
    """
    if is_store(path):
        from asn_eval.input import store_check

        return store_check.validate_store(path)
    return _check(Path(path), cache, limits)[1]
