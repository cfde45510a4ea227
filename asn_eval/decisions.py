"""Calibration decisions taken in an evaluation forum, kept in an append-only SQLite file.

In the calibration forum the evaluators may move an employee's predikat (``Baik`` → ``Sangat
Baik``) and must say why. Each decision is an event in one table that only ever grows: a decision
is never changed or deleted; withdrawing it (``tarik``) is a new event that refers to it. The
decisions in force are, per NIP, period and scheme, the latest decision not withdrawn.

The file is in WAL mode with a generous busy timeout, so several reviewers (processes, or threads
of one app) can write at the same time: each write is one short ``BEGIN IMMEDIATE`` transaction and
waits its turn instead of failing. The data folder is never written to: :func:`default_path` puts
the file under the user's data directory.

Examples
--------
>>> with DecisionStore("keputusan.sqlite") as store:  # doctest: +SKIP
...     store.record(nip="196608011988031001", periode="2025", skema="permenpan-6-2022",
...                  kode_opd="DINKES", sebelum="Baik", sesudah="Sangat Baik",
...                  alasan="capaian program imunisasi 140 %", oleh="Forum BKPSDM")
...     hasil = store.apply(asn_eval.score(ds, "2025"), skema="permenpan-6-2022")
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import pandas as pd

from asn_eval.atomic import atomic_path
from asn_eval.errors import UsageError
from asn_eval.input.periode import parse_periode
from asn_eval.input.vocab import match_key
from asn_eval.scoring.scheme import Scheme
from asn_eval.spreadsheet import excel_writer

__all__ = ["CURRENT_COLUMNS", "HISTORY_COLUMNS", "SCHEMA_VERSION", "DecisionStore", "default_path"]

SCHEMA_VERSION = 1
"""Version of the file's tables; a file written by a newer version is refused, not guessed at."""

BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another writer's transaction before giving up."""

FILE_NAME_ENV = "ASN_EVAL_DECISIONS"
"""Environment variable naming the decisions file to use instead of :func:`default_path`'s."""

HISTORY_COLUMNS = [
    "id",
    "waktu",
    "jenis",
    "nip",
    "periode",
    "skema",
    "kode_opd",
    "predikat_sebelum",
    "predikat_sesudah",
    "alasan",
    "oleh",
    "merujuk",
    "status",
]
"""Columns of :meth:`DecisionStore.history`."""

CURRENT_COLUMNS = [
    "id",
    "waktu",
    "nip",
    "periode",
    "skema",
    "kode_opd",
    "predikat_sebelum",
    "predikat_sesudah",
    "alasan",
    "oleh",
]
"""Columns of :meth:`DecisionStore.current`."""

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS versi_skema (
    versi    INTEGER PRIMARY KEY,
    dipasang TEXT NOT NULL
)
""",
    """
CREATE TABLE IF NOT EXISTS keputusan (
    id               INTEGER PRIMARY KEY,
    waktu            TEXT NOT NULL,
    jenis            TEXT NOT NULL CHECK (jenis IN ('usulan', 'tarik')),
    nip              TEXT NOT NULL,
    periode          TEXT NOT NULL,
    skema            TEXT NOT NULL,
    kode_opd         TEXT NOT NULL,
    predikat_sebelum TEXT,
    predikat_sesudah TEXT,
    alasan           TEXT NOT NULL CHECK (length(trim(alasan)) > 0),
    oleh             TEXT NOT NULL CHECK (length(trim(oleh)) > 0),
    merujuk          INTEGER REFERENCES keputusan (id),
    CHECK (
        (jenis = 'usulan' AND merujuk IS NULL
            AND predikat_sebelum IS NOT NULL AND predikat_sesudah IS NOT NULL
            AND predikat_sebelum <> predikat_sesudah)
        OR (jenis = 'tarik' AND merujuk IS NOT NULL)
    )
)
""",
    """
CREATE INDEX IF NOT EXISTS keputusan_pegawai ON keputusan (nip, periode, skema)
""",
    """
CREATE INDEX IF NOT EXISTS keputusan_opd ON keputusan (kode_opd, periode)
""",
    """
CREATE UNIQUE INDEX IF NOT EXISTS keputusan_tarik_sekali
    ON keputusan (merujuk) WHERE jenis = 'tarik'
""",
    """
CREATE TRIGGER IF NOT EXISTS keputusan_tidak_diubah BEFORE UPDATE ON keputusan
BEGIN
    SELECT RAISE(ABORT, 'keputusan tidak boleh diubah; catat keputusan baru');
END
""",
    """
CREATE TRIGGER IF NOT EXISTS keputusan_tidak_dihapus BEFORE DELETE ON keputusan
BEGIN
    SELECT RAISE(ABORT, 'keputusan tidak boleh dihapus; tarik dengan keputusan baru');
END
""",
)
"""Statements creating the tables, indexes and the triggers that keep the table append-only."""

_NIP_NOISE = re.compile(r"[\s.\-]")

_WITHDRAWN = "EXISTS (SELECT 1 FROM keputusan t WHERE t.jenis = 'tarik' AND t.merujuk = k.id)"


def default_path(data_dir: str | os.PathLike[str]) -> Path:
    """Return where the decisions about a data folder are kept when no file is named.

    The data folder itself is never written to. The file is ``$ASN_EVAL_DECISIONS`` when set,
    else ``keputusan/<sidik>.sqlite`` under ``$XDG_DATA_HOME/asn-eval`` (by default
    ``~/.local/share/asn-eval``), where ``<sidik>`` is the first 16 hex digits of the SHA-256 of
    the folder's resolved path: one file per data folder.

    Parameters
    ----------
    data_dir : str or path
        The data folder the decisions are about.

    Returns
    -------
    Path
        The decisions file (it may not exist yet; :class:`DecisionStore` creates it).
    """
    if os.environ.get(FILE_NAME_ENV):
        return Path(os.environ[FILE_NAME_ENV]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    digest = hashlib.sha256(str(Path(data_dir).expanduser().resolve()).encode()).hexdigest()
    return base / "asn-eval" / "keputusan" / f"{digest[:16]}.sqlite"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _text(value: object, what: str) -> str:
    """Return ``value`` stripped, or raise when it is missing or blank."""
    text = "" if value is None else str(value).strip()
    if not text:
        raise UsageError(f"{what} wajib diisi")
    return text


def _scheme_key(value: Scheme | str) -> str:
    """Return what the ``skema`` column holds: a scheme's content key, or a name as given."""
    return value.key if isinstance(value, Scheme) else _text(value, "skema")


def _nip(value: object) -> str:
    """Return a NIP as 18 bare digits, or raise."""
    nip = _NIP_NOISE.sub("", _text(value, "NIP"))
    if len(nip) != 18 or not nip.isdigit():
        raise UsageError(f"NIP harus 18 angka ({value})")
    return nip


def _periode(value: object) -> str:
    """Return a period in canonical form, or raise."""
    periode = parse_periode(value)
    if periode is None:
        raise UsageError(f"periode tidak dikenal: {value}")
    return periode


class DecisionStore:
    """Calibration decisions about predikat, in one append-only SQLite file.

    Parameters
    ----------
    path : str or path
        The SQLite file; it and its folder are created when missing.
    kode_opd : str or iterable of str, optional
        Restrict the store to these agencies: reading returns only their decisions and recording
        or withdrawing a decision of another agency is refused. None (default) for all agencies.

    Raises
    ------
    UsageError
        When the file cannot be used (written by a newer version, or WAL mode is impossible
        there, e.g. on a network share).

    Notes
    -----
    One connection serves the store, shared by threads under a lock (ipywidgets callbacks may run
    on other threads). A child process must open its own store; one inherited through ``fork``
    is left alone and a new connection opened. Use ``with DecisionStore(path) as store:`` or call
    :meth:`close`.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, kode_opd: str | Iterable[str] | None = None
    ) -> None:
        self.path = Path(path).expanduser()
        if kode_opd is None:
            self._scope: tuple[str, ...] | None = None
        else:
            codes = [kode_opd] if isinstance(kode_opd, str) else list(kode_opd)
            self._scope = tuple(sorted({_text(c, "kode OPD") for c in codes}))
            if not self._scope:
                raise UsageError("cakupan OPD kosong: sebut paling sedikit satu kode OPD")
        self._lock = threading.RLock()
        self._abandoned: list[sqlite3.Connection] = []
        self._conn: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._conn = self._connect()

    # -- connection -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            mode = self._journal_wal(conn)
            if str(mode).lower() != "wal":
                raise UsageError(
                    f"{self.path}: berkas keputusan tidak bisa memakai mode WAL (mode {mode}); "
                    "simpan di disk lokal"
                )
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._install(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _journal_wal(conn: sqlite3.Connection) -> str:
        """Switch to WAL, waiting out another process doing the same on a fresh file.

        Changing the journal mode needs an exclusive lock and SQLite reports "database is
        locked" at once, without its busy handler, while another connection holds one; two
        app sessions opening a new file together meet exactly that.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _install(self, conn: sqlite3.Connection) -> None:
        """Create the tables (once) and check the file's schema version."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            found = conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'versi_skema'"
            ).fetchone()
            version = (
                conn.execute("SELECT max(versi) FROM versi_skema").fetchone()[0] if found else None
            )
            if version is not None and version > SCHEMA_VERSION:
                raise UsageError(
                    f"{self.path}: berkas keputusan dibuat oleh asn-eval yang lebih baru "
                    f"(versi skema {version}, dikenal {SCHEMA_VERSION}); perbarui asn-eval"
                )
            for statement in _SCHEMA:
                conn.execute(statement)
            if version is None:
                conn.execute(
                    "INSERT INTO versi_skema (versi, dipasang) VALUES (?, ?)",
                    (SCHEMA_VERSION, _now()),
                )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._conn is None:
                raise UsageError("penyimpanan keputusan sudah ditutup")
            if os.getpid() != self._pid:
                # Inherited through fork: never use or close the parent's connection here.
                self._abandoned.append(self._conn)
                self._pid = os.getpid()
                self._conn = self._connect()
            yield self._conn

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[sqlite3.Connection]:
        """Run a block in one transaction: ``BEGIN IMMEDIATE`` to write, a snapshot to read."""
        with self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        with self._lock:
            if self._conn is not None and os.getpid() == self._pid:
                self._conn.close()
            self._conn = None

    def __enter__(self) -> DecisionStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        scope = "" if self._scope is None else f", kode_opd={list(self._scope)!r}"
        return f"DecisionStore({str(self.path)!r}{scope})"

    @property
    def scope(self) -> tuple[str, ...] | None:
        """The agencies this store is restricted to, or None for all."""
        return self._scope

    def _check_scope(self, kode_opd: str, action: str) -> None:
        if self._scope is not None and kode_opd not in self._scope:
            raise UsageError(
                f"{action} untuk OPD {kode_opd} tidak diizinkan: penyimpanan ini hanya untuk "
                f"{', '.join(self._scope)}"
            )

    # -- writing ----------------------------------------------------------------------------

    def record(
        self,
        *,
        nip: str,
        periode: str,
        skema: Scheme | str,
        kode_opd: str,
        sebelum: str,
        sesudah: str,
        alasan: str,
        oleh: str,
    ) -> int:
        """Record a decision to change one employee's predikat.

        Parameters
        ----------
        nip : str
            The employee's NIP (spaces, dots and dashes are removed; 18 digits remain).
        periode : str
            The period, e.g. ``"2025"`` or ``"2025 tw 2"`` (stored as ``"2025-TW2"``).
        skema : Scheme or str
            The scheme the predikat was computed under. A :class:`~asn_eval.scoring.scheme.Scheme`
            is stored by its content key (``permenpan-6-2022@3f2a9c1b``), so the decision applies
            only to results of the same rules; a name applies to any scheme of that name.
        kode_opd : str
            The employee's agency.
        sebelum, sesudah : str
            The predikat before (as computed) and after the decision; they must differ.
        alasan : str
            Why; mandatory.
        oleh : str
            Who decided (a person or the forum).

        Returns
        -------
        int
            The decision's id.

        Raises
        ------
        UsageError
            When a field is missing or blank, the NIP or period is not valid, the predikat does
            not change, or the agency is outside this store's scope.
        """
        row = (
            _nip(nip),
            _periode(periode),
            _scheme_key(skema),
            _text(kode_opd, "kode OPD"),
            _text(sebelum, "predikat sebelum"),
            _text(sesudah, "predikat sesudah"),
            _text(alasan, "alasan"),
            _text(oleh, "nama yang memutuskan (oleh)"),
        )
        if match_key(row[4]) == match_key(row[5]):
            raise UsageError(
                f"predikat sesudah sama dengan sebelum ({row[5]}): tidak ada perubahan"
            )
        self._check_scope(row[3], "keputusan")
        with self._transaction(write=True) as conn:
            cursor = conn.execute(
                "INSERT INTO keputusan (waktu, jenis, nip, periode, skema, kode_opd, "
                "predikat_sebelum, predikat_sesudah, alasan, oleh) "
                "VALUES (?, 'usulan', ?, ?, ?, ?, ?, ?, ?, ?)",
                (_now(), *row),
            )
            return int(cursor.lastrowid)

    def withdraw(self, decision_id: int, *, alasan: str, oleh: str) -> int:
        """Withdraw a decision by recording a ``tarik`` event that refers to it.

        Parameters
        ----------
        decision_id : int
            The id of a decision (``usulan``) not yet withdrawn.
        alasan : str
            Why; mandatory.
        oleh : str
            Who withdrew it.

        Returns
        -------
        int
            The id of the withdrawal event.

        Raises
        ------
        UsageError
            When the reason or name is blank, the id is not a decision, it was already withdrawn,
            or it belongs to an agency outside this store's scope.
        """
        reason = _text(alasan, "alasan")
        who = _text(oleh, "nama yang menarik (oleh)")
        try:
            wanted = int(decision_id)
        except (TypeError, ValueError):
            raise UsageError(f"nomor keputusan harus bilangan bulat ({decision_id})") from None
        with self._transaction(write=True) as conn:
            found = conn.execute(
                f"SELECT jenis, nip, periode, skema, kode_opd, {_WITHDRAWN} "
                "FROM keputusan k WHERE id = ?",
                (wanted,),
            ).fetchone()
            if found is None:
                raise UsageError(f"keputusan {wanted} tidak ada")
            jenis, nip, periode, skema, kode_opd, withdrawn = found
            if jenis != "usulan":
                raise UsageError(f"{wanted} adalah penarikan, bukan keputusan; tidak bisa ditarik")
            self._check_scope(kode_opd, f"menarik keputusan {wanted}")
            if withdrawn:
                raise UsageError(f"keputusan {wanted} sudah ditarik")
            cursor = conn.execute(
                "INSERT INTO keputusan (waktu, jenis, nip, periode, skema, kode_opd, alasan, oleh, "
                "merujuk) VALUES (?, 'tarik', ?, ?, ?, ?, ?, ?, ?)",
                (_now(), nip, periode, skema, kode_opd, reason, who, wanted),
            )
            return int(cursor.lastrowid)

    # -- reading ----------------------------------------------------------------------------

    def _where(
        self,
        alias: str,
        *,
        periode: str | None = None,
        skema: Scheme | str | None = None,
        kode_opd: str | None = None,
        nip: str | None = None,
    ) -> tuple[str, list[object]]:
        """Return a WHERE clause (with the scope) and its parameters."""
        terms: list[str] = []
        params: list[object] = []
        if self._scope is not None:
            terms.append(f"{alias}.kode_opd IN ({', '.join('?' * len(self._scope))})")
            params.extend(self._scope)
        if isinstance(skema, Scheme):  # its content key, or its bare name (any content)
            terms.append(f"{alias}.skema IN (?, ?)")
            params.extend([skema.key, skema.nama])
            skema = None
        for column, value in (
            ("periode", None if periode is None else _periode(periode)),
            ("skema", None if skema is None else str(skema).strip()),
            ("kode_opd", None if kode_opd is None else str(kode_opd).strip()),
            ("nip", None if nip is None else _NIP_NOISE.sub("", str(nip))),
        ):
            if value is not None:
                terms.append(f"{alias}.{column} = ?")
                params.append(value)
        return (" WHERE " + " AND ".join(terms)) if terms else "", params

    def _history(self, conn: sqlite3.Connection, **filters: str | None) -> pd.DataFrame:
        where, params = self._where("k", **filters)
        sql = (
            "SELECT k.id, k.waktu, k.jenis, k.nip, k.periode, k.skema, k.kode_opd, "
            "k.predikat_sebelum, k.predikat_sesudah, k.alasan, k.oleh, k.merujuk, "
            f"CASE WHEN k.jenis = 'usulan' THEN CASE WHEN {_WITHDRAWN} THEN 'ditarik' "
            f"ELSE 'berlaku' END END AS status FROM keputusan k{where} ORDER BY k.id"
        )
        return _typed(pd.DataFrame(conn.execute(sql, params).fetchall(), columns=HISTORY_COLUMNS))

    def _current(self, conn: sqlite3.Connection, **filters: str | None) -> pd.DataFrame:
        # The latest decision per (nip, periode, skema) is chosen among all agencies, then the
        # filters apply: an older decision of one agency never shows when a newer one exists.
        where, params = self._where("c", **filters)
        columns = ", ".join(f"c.{c}" for c in CURRENT_COLUMNS)
        sql = (
            f"SELECT {columns} FROM (SELECT k.*, row_number() OVER ("
            "PARTITION BY k.nip, k.periode, k.skema ORDER BY k.id DESC) AS urutan "
            f"FROM keputusan k WHERE k.jenis = 'usulan' AND NOT {_WITHDRAWN}) c"
            f"{where}{' AND' if where else ' WHERE'} c.urutan = 1 ORDER BY c.id"
        )
        return _typed(pd.DataFrame(conn.execute(sql, params).fetchall(), columns=CURRENT_COLUMNS))

    def history(
        self, *, periode: str | None = None, kode_opd: str | None = None, nip: str | None = None
    ) -> pd.DataFrame:
        """Return every event (decisions and withdrawals), oldest first.

        Parameters
        ----------
        periode, kode_opd, nip : str, optional
            Keep only events about this period, agency or employee.

        Returns
        -------
        DataFrame
            Columns :data:`HISTORY_COLUMNS`. ``waktu`` is a UTC timestamp; a withdrawal carries the
            identity of the decision it refers to (``merujuk``) and no predikat. ``status`` of a
            decision is ``ditarik`` when withdrawn, else ``berlaku`` (it may still be superseded
            by a later decision for the same employee: see :meth:`current`); empty for a
            withdrawal.
        """
        with self._transaction(write=False) as conn:
            return self._history(conn, periode=periode, kode_opd=kode_opd, nip=nip)

    def current(
        self,
        *,
        periode: str | None = None,
        skema: Scheme | str | None = None,
        kode_opd: str | None = None,
    ) -> pd.DataFrame:
        """Return the decisions in force: per NIP, period and scheme the latest not withdrawn.

        Parameters
        ----------
        periode, skema, kode_opd : str, optional
            Keep only decisions about this period, scheme or agency.

        Returns
        -------
        DataFrame
            Columns :data:`CURRENT_COLUMNS`, oldest decision first.
        """
        with self._transaction(write=False) as conn:
            return self._current(conn, periode=periode, skema=skema, kode_opd=kode_opd)

    # -- using ------------------------------------------------------------------------------

    def apply(self, hasil: pd.DataFrame, *, skema: Scheme | str) -> pd.DataFrame:
        """Return scored results with the decisions in force applied next to the computed predikat.

        Parameters
        ----------
        hasil : DataFrame
            Output of :func:`asn_eval.score` (at least ``nip``, ``periode`` and ``predikat``).
        skema : str
            The scheme ``hasil`` was scored under; only decisions about it apply.

        Returns
        -------
        DataFrame
            A copy of ``hasil`` with ``predikat`` unchanged and three more columns:
            ``predikat_kalibrasi`` (the decision's predikat where one is in force, else the
            computed one; same dtype as ``predikat``), ``dikalibrasi`` (bool) and
            ``alasan_kalibrasi`` (missing where no decision applies).

        Raises
        ------
        UsageError
            When ``hasil`` lacks a needed column, was scored under another scheme, or a decision
            names a predikat the scheme does not have (withdraw that decision).
        """
        missing = [c for c in ("nip", "periode", "predikat") if c not in hasil.columns]
        if missing:
            raise UsageError(f"hasil penilaian tanpa kolom {', '.join(missing)}")
        name = skema.nama if isinstance(skema, Scheme) else _text(skema, "skema")
        if "skema" in hasil.columns:
            others = set(hasil["skema"].dropna().astype("str")) - {name}
            if others:
                raise UsageError(
                    f"hasil dinilai dengan skema {', '.join(sorted(others))}, bukan {name}"
                )
        out = hasil.copy()
        nip = out["nip"].astype("str")
        periode = out["periode"].astype("str")
        # A content-keyed and a name-only decision about one person: the later one counts.
        decisions = self.current(skema=skema).drop_duplicates(["nip", "periode"], keep="last")
        key = pd.MultiIndex.from_arrays([nip, periode])
        found = decisions.set_index(["nip", "periode"]).reindex(key)
        applies = found["id"].notna().to_numpy()

        predikat = out["predikat"]
        calibrated = predikat.copy()
        if applies.any():
            labels = found.loc[applies, "predikat_sesudah"].astype("str")
            if isinstance(predikat.dtype, pd.CategoricalDtype):
                known = {match_key(c): c for c in predikat.dtype.categories}
                mapped = labels.map(lambda label: known.get(match_key(label)))
                if mapped.isna().any():
                    bad = found.loc[applies].loc[mapped.isna().to_numpy()].iloc[0]
                    raise UsageError(
                        f"keputusan {int(bad['id'])} (NIP {bad.name[0]}) memberi predikat "
                        f"{bad['predikat_sesudah']!r} yang tidak ada di skema {name} "
                        f"({', '.join(map(str, predikat.dtype.categories))}); tarik keputusan itu"
                    )
                labels = mapped
            values = calibrated.astype(object).to_numpy(copy=True)
            values[applies] = labels.to_numpy(dtype=object)
            calibrated = pd.Series(values, index=out.index).astype(predikat.dtype)
        out["predikat_kalibrasi"] = calibrated
        out["dikalibrasi"] = applies
        out["alasan_kalibrasi"] = pd.Series(
            found["alasan"].to_numpy(), index=out.index, dtype="str"
        )
        return out

    def export_xlsx(
        self,
        path: str | os.PathLike[str],
        *,
        periode: str | None = None,
        kode_opd: str | None = None,
    ) -> Path:
        """Write the decisions in force and the whole history to an Excel workbook.

        Parameters
        ----------
        path : str or path
            The workbook to write; replaced at once (written beside it first), never half-written.
        periode, kode_opd : str, optional
            Keep only decisions about this period or agency.

        Returns
        -------
        Path
            The workbook written, with sheets ``berlaku`` and ``riwayat``; NIPs are text, the
            header row is frozen and filtered.
        """
        target = Path(path).expanduser()
        with self._transaction(write=False) as conn:
            current = self._current(conn, periode=periode, kode_opd=kode_opd)
            history = self._history(conn, periode=periode, kode_opd=kode_opd)
        with atomic_path(target) as temp, excel_writer(temp) as writer:
            _write_sheet(writer, "berlaku", current)
            _write_sheet(writer, "riwayat", history)
        return target


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Give a frame read from the file its dtypes (ids int, waktu UTC time, text str)."""
    for column in frame.columns:
        if column == "id":
            frame[column] = frame[column].astype("int64")
        elif column == "merujuk":
            frame[column] = frame[column].astype("Int64")
        elif column == "waktu":
            times = pd.to_datetime(frame[column], utc=True, format="ISO8601")
            frame[column] = times.astype("datetime64[us, UTC]")
        else:
            frame[column] = frame[column].astype("str")
    return frame


def _write_sheet(writer: pd.ExcelWriter, name: str, frame: pd.DataFrame) -> None:
    """Write one sheet: text NIPs, readable times, frozen and filtered header."""
    frame = frame.copy()
    if "waktu" in frame:
        frame["waktu"] = frame["waktu"].dt.strftime("%Y-%m-%d %H:%M:%S UTC")
    frame.to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    text = writer.book.add_format({"num_format": "@"})
    for i, column in enumerate(frame.columns):
        values = frame[column].dropna().astype("str")
        width = max([len(column), *values.head(500).str.len().tolist()]) + 2
        sheet.set_column(i, i, min(max(width, 8), 60), text if column == "nip" else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
