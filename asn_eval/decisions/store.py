"""The store of calibration decisions: one append-only, hash-chained SQLite file.

See the package docstring for what a decision is; :mod:`~asn_eval.decisions.chain` for the chain,
:mod:`~asn_eval.decisions.connection` for how the file is opened and its faults named,
:mod:`~asn_eval.decisions.objections` for objections and their answers (methods of the store).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import pandas as pd

from asn_eval.decisions.chain import Head, Verdict, append_event, find_head, verify
from asn_eval.decisions.connection import (
    FILE_NAME_ENV,
    Access,
    connect,
    default_path,
    fault,
    use_wal,
)
from asn_eval.decisions.objections import (
    CHANGED_SQL,
    GRANTED_SQL,
    ObjectionMethods,
)
from asn_eval.decisions.rules import (
    NO_PREDIKAT,
    Roster,
    clean_nip,
    clean_periode,
    clean_reason,
    clean_text,
    scheme_key,
    vocabulary_of,
)
from asn_eval.decisions.schema import EVENT_FIELDS
from asn_eval.decisions.upgrade import check_version, install, version_of
from asn_eval.errors import StoreError, UsageError
from asn_eval.input.vocab import match_key
from asn_eval.scoring.scheme import Scheme

__all__ = [
    "CURRENT_COLUMNS",
    "FILE_NAME_ENV",
    "HISTORY_COLUMNS",
    "Decision",
    "DecisionStore",
    "default_path",
]

HISTORY_COLUMNS = [*EVENT_FIELDS, "status"]
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

_WITHDRAWN = "EXISTS (SELECT 1 FROM keputusan t WHERE t.jenis = 'tarik' AND t.merujuk = k.id)"
_ANSWERED = "EXISTS (SELECT 1 FROM keputusan j WHERE j.jenis = 'jawaban' AND j.merujuk = k.id)"
_DECISION = f"(k.jenis = 'usulan' OR {CHANGED_SQL.format(alias='k')})"
"""A calibration decision: an ``usulan``, or a changed answer to an objection."""


@dataclass(frozen=True)
class Decision:
    """One decision to record (see :meth:`DecisionStore.record` for each field)."""

    nip: str
    periode: str
    skema: Scheme | str
    kode_opd: str
    sebelum: str
    sesudah: str
    alasan: str
    oleh: str


class DecisionStore(ObjectionMethods):
    """Calibration decisions and objections about predikat, in one append-only, hash-chained file.

    Parameters
    ----------
    path : str or path
        The SQLite file; with ``access="write"`` it and its folder are created when missing, and
        an older file is migrated once (see :mod:`asn_eval.decisions.upgrade`).
    kode_opd : str or iterable of str, optional
        Restrict the store to these agencies: reading returns only their decisions and recording
        or withdrawing a decision of another agency is refused. None (default) for all agencies.
    pegawai : DataFrame, Dataset or mapping, optional
        The employees (``nip`` → ``kode_opd``) a decision is checked against; required to record
        (:meth:`record` refuses without it), not to read.
    access : {"write", "read", "auto"}, default "write"
        ``read`` never writes the file (verify, history, export); ``auto`` writes only when the
        file can be written (reports). See :mod:`asn_eval.decisions.connection`.
    allow_broken : bool, default False
        Open a file whose chain is broken instead of refusing it (to show or export it for an
        audit); :attr:`verdict` then says what is wrong.

    Raises
    ------
    StoreError
        (Exit 2.) The file is not a sound, trustworthy decisions store: missing (``read``), not a
        database, damaged, from a newer version, or its chain broken (a decision changed,
        removed or inserted, a guard trigger gone); the message names the file, the first broken
        event and what to do.
    WriteError
        (Exit 1.) ``write`` on a read-only file, folder or disk.

    Notes
    -----
    Objections and their answers: :meth:`file_objection`, :meth:`answer_objection`,
    :meth:`objections` (:mod:`asn_eval.decisions.objections`). A version 2 file opened read-only
    is read as it is (it holds no objection; nothing can be recorded through it).

    Opening verifies the whole chain (about 10 µs per event). One connection serves the store,
    shared by threads under a lock (ipywidgets callbacks may run on other threads). A child
    process must open its own store; one inherited through ``fork`` is left alone and a new
    connection opened. Use ``with DecisionStore(path) as store:`` or call :meth:`close`.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        kode_opd: str | Iterable[str] | None = None,
        pegawai: object = None,
        access: Access = "write",
        allow_broken: bool = False,
    ) -> None:
        self.path = Path(path).expanduser()
        if kode_opd is None:
            self._scope: tuple[str, ...] | None = None
        else:
            codes = [kode_opd] if isinstance(kode_opd, str) else list(kode_opd)
            self._scope = tuple(sorted({clean_text(c, "kode OPD") for c in codes}))
            if not self._scope:
                raise UsageError("cakupan OPD kosong: sebut paling sedikit satu kode OPD")
        self._roster = None if pegawai is None else Roster(pegawai)
        self._access: Access = access
        self._allow_broken = allow_broken
        self._lock = threading.RLock()
        self._abandoned: list[sqlite3.Connection] = []
        self._conn: sqlite3.Connection | None = None
        self._writable = False
        self._version = 0
        self._pid = os.getpid()
        self.verdict: Verdict
        """What verifying the chain found when the store was opened."""
        self._conn = self._connect()

    # -- connection -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn, writable = connect(self.path, self._access)
        try:
            if writable:
                version_of(conn, self.path)  # another program's file is refused untouched
                use_wal(conn, self.path)
                version = install(conn, self.path)
            else:
                version = check_version(conn, self.path)
            conn.execute("BEGIN")
            try:
                verdict = verify(conn)
            finally:
                conn.execute("COMMIT")
        except sqlite3.Error as error:
            conn.close()
            raise fault(error, self.path) from None
        except BaseException:
            conn.close()
            raise
        if not verdict.intact and not self._allow_broken:
            conn.close()
            raise StoreError(broken_message(self.path, verdict))
        self._writable = writable
        self._version = version
        self.verdict = verdict
        return conn

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
        """Run a block in one transaction: ``BEGIN IMMEDIATE`` to write, a snapshot to read.

        SQLite's errors (a full disk, a file damaged since it was opened) leave as
        :class:`StoreError` or :class:`WriteError` naming the file, the transaction rolled back.
        """
        with self._connection() as conn:
            if write and not self._writable:
                raise fault(sqlite3.OperationalError("readonly database"), self.path)
            try:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise fault(error, self.path) from None

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

    @property
    def writable(self) -> bool:
        """Whether decisions can be recorded (False when opened read-only)."""
        return self._writable

    def _check_scope(self, kode_opd: str, action: str) -> None:
        if self._scope is not None and kode_opd not in self._scope:
            raise UsageError(
                f"{action} untuk OPD {kode_opd} tidak diizinkan: penyimpanan ini hanya untuk "
                f"{', '.join(self._scope)}"
            )

    # -- the chain --------------------------------------------------------------------------

    def verify(self) -> Verdict:
        """Verify the chain again, now (another process may have written since opening).

        Returns
        -------
        Verdict
            See :func:`asn_eval.decisions.chain.verify`.
        """
        with self._transaction(write=False) as conn:
            return verify(conn)

    def head(self) -> Head:
        """Return the chain's end now: the number of events and the last hash.

        Returns
        -------
        Head
            Printed by ``asn-eval decisions verify``, ``history`` and the export; check the file
            against it later with ``verify --sampai``.
        """
        with self._transaction(write=False) as conn:
            return _head(conn)

    def find_head(self, printed: str) -> tuple[int, str] | None:
        """Return where a head printed earlier stands in the chain, or None when it is gone.

        Parameters
        ----------
        printed : str
            The hash as printed (its first 16 hex digits, or more).

        Returns
        -------
        tuple of (int, str) or None
            The number of events the chain held then and the full hash.
        """
        with self._transaction(write=False) as conn:
            return find_head(conn, printed)

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
            The employee's NIP (spaces, dots and dashes are removed; 18 digits remain); must be
            in the ``pegawai`` the store was opened with.
        periode : str
            The period, e.g. ``"2025"`` or ``"2025 tw 2"`` (stored as ``"2025-TW2"``).
        skema : Scheme or str
            The scheme the predikat was computed under. A :class:`~asn_eval.scoring.scheme.Scheme`
            is stored by its content key (``permenpan-6-2022@3f2a9c1b``), so the decision applies
            only to results of the same rules; a shipped scheme's name applies to any scheme of
            that name.
        kode_opd : str
            The employee's agency, as in ``pegawai`` (issue 12: a decision under another agency
            was accepted).
        sebelum, sesudah : str
            The predikat before (as computed, or :data:`~asn_eval.decisions.rules.NO_PREDIKAT`)
            and after the decision; both in the scheme's vocabulary (any case and spacing,
            stored as the scheme spells them), and they must differ.
        alasan : str
            Why: at least 3 letters (:data:`~asn_eval.decisions.rules.REASON_RULE`).
        oleh : str
            Who decided (a person or the forum).

        Returns
        -------
        int
            The decision's id.

        Raises
        ------
        UsageError
            When a field is missing or blank, the NIP or period is not valid, the NIP is not an
            employee or the agency not theirs, a predikat is not the scheme's, the predikat does
            not change, the reason has too few letters, the agency is outside this store's
            scope, or the store was opened without ``pegawai``.
        StoreError, WriteError
            When the file fails (see the class).
        """
        decision = Decision(nip, periode, skema, kode_opd, sebelum, sesudah, alasan, oleh)
        return self.record_many([decision])[0]

    def record_many(self, decisions: Iterable[Decision]) -> list[int]:
        """Record several decisions in one transaction: all of them, or none.

        Parameters
        ----------
        decisions : iterable of Decision
            Each checked as by :meth:`record`.

        Returns
        -------
        list of int
            Their ids, in order.

        Raises
        ------
        UsageError
            For the first decision that breaks a rule (the message names its position when there
            are several); nothing is recorded then.
        """
        decisions = list(decisions)
        rows = []
        for position, decision in enumerate(decisions, 1):
            try:
                rows.append(self._checked(decision))
            except UsageError as error:
                if len(decisions) == 1:
                    raise
                raise UsageError(f"keputusan ke-{position}: {error}") from None
        with self._transaction(write=True) as conn:
            return [append_event(conn, "usulan", *row) for row in rows]

    def _checked(self, d: Decision) -> tuple[object, ...]:
        """Return a decision's stored fields, or raise on the first rule it breaks."""
        vocabulary = vocabulary_of(d.skema)
        sesudah = vocabulary.canonical(d.sesudah, "predikat sesudah")
        sebelum_text = clean_text(d.sebelum, "predikat sebelum")
        sebelum = (
            NO_PREDIKAT
            if match_key(sebelum_text) == match_key(NO_PREDIKAT)
            else vocabulary.canonical(sebelum_text, "predikat sebelum")
        )
        if sebelum == sesudah:
            raise UsageError(
                f"predikat sesudah sama dengan sebelum ({sesudah}): tidak ada perubahan"
            )
        nip = clean_nip(d.nip)
        kode_opd = clean_text(d.kode_opd, "kode OPD")
        row = (
            nip,
            clean_periode(d.periode),
            scheme_key(d.skema),
            kode_opd,
            sebelum,
            sesudah,
            clean_reason(d.alasan),
            clean_text(d.oleh, "nama yang memutuskan (oleh)"),
            None,
        )
        if self._roster is None:
            raise UsageError(
                "keputusan tidak bisa dicatat tanpa daftar pegawai untuk memeriksa NIP dan OPD-nya "
                "(buka dengan DecisionStore(..., pegawai=dataset))"
            )
        self._roster.check(nip, kode_opd)
        self._check_scope(kode_opd, "keputusan")
        return row

    def withdraw(self, decision_id: int, *, alasan: str, oleh: str) -> int:
        """Withdraw a decision by recording a ``tarik`` event that refers to it.

        Parameters
        ----------
        decision_id : int
            The id of a decision not yet withdrawn: an ``usulan``, or the answer to an objection
            that changed the predikat (the objection stays answered; the calibration goes).
        alasan : str
            Why: at least 3 letters, as for :meth:`record`.
        oleh : str
            Who withdrew it.

        Returns
        -------
        int
            The id of the withdrawal event.

        Raises
        ------
        UsageError
            When the reason or name is blank, the id is not a decision (a withdrawal, an
            objection, an answer that kept the predikat), it was already withdrawn, or it belongs
            to an agency outside this store's scope.
        """
        reason = clean_reason(alasan)
        who = clean_text(oleh, "nama yang menarik (oleh)")
        try:
            wanted = int(decision_id)
        except (TypeError, ValueError):
            raise UsageError(f"nomor keputusan harus bilangan bulat ({decision_id})") from None
        with self._transaction(write=True) as conn:
            found = conn.execute(
                f"SELECT jenis, nip, periode, skema, kode_opd, {_WITHDRAWN}, {_DECISION} "
                "FROM keputusan k WHERE id = ?",
                (wanted,),
            ).fetchone()
            if found is None:
                raise UsageError(f"keputusan {wanted} tidak ada")
            jenis, nip, periode, skema, kode_opd, withdrawn, decision = found
            if not decision:
                what = {
                    "tarik": "penarikan",
                    "keberatan": "keberatan (jawab keberatan itu: tetap atau diubah)",
                    "jawaban": "jawaban yang mempertahankan predikat (tidak ada yang diubah)",
                }.get(jenis, jenis)
                raise UsageError(f"{wanted} adalah {what}, bukan keputusan; tidak bisa ditarik")
            self._check_scope(kode_opd, f"menarik keputusan {wanted}")
            if withdrawn:
                raise UsageError(f"keputusan {wanted} sudah ditarik")
            row = (nip, periode, skema, kode_opd, None, None, reason, who, wanted)
            return append_event(conn, "tarik", *row)

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
            ("periode", None if periode is None else clean_periode(periode)),
            ("skema", None if skema is None else str(skema).strip()),
            ("kode_opd", None if kode_opd is None else str(kode_opd).strip()),
            ("nip", None if nip is None else "".join(str(nip).split()).replace(".", "")),
        ):
            if value is not None:
                terms.append(f"{alias}.{column} = ?")
                params.append(value)
        return (" WHERE " + " AND ".join(terms)) if terms else "", params

    def _history(
        self, conn: sqlite3.Connection, *, hashes: bool = False, **filters: str | None
    ) -> pd.DataFrame:
        where, params = self._where("k", **filters)
        extra = ", k.hash" if hashes else ""
        sql = (
            "SELECT k.id, k.waktu, k.jenis, k.nip, k.periode, k.skema, k.kode_opd, "
            "k.predikat_sebelum, k.predikat_sesudah, k.alasan, k.oleh, k.merujuk, "
            f"CASE WHEN {_DECISION} THEN CASE WHEN {_WITHDRAWN} THEN 'ditarik' ELSE 'berlaku' END "
            f"WHEN k.jenis = 'keberatan' THEN CASE WHEN {_ANSWERED} THEN 'dijawab' "
            f"ELSE 'terbuka' END END AS status{extra} FROM keputusan k{where} ORDER BY k.id"
        )
        columns = HISTORY_COLUMNS + (["hash"] if hashes else [])
        return _typed(pd.DataFrame(conn.execute(sql, params).fetchall(), columns=columns))

    def _current(self, conn: sqlite3.Connection, **filters: str | None) -> pd.DataFrame:
        # The latest decision per (nip, periode, skema) is chosen among all agencies, then the
        # filters apply: an older decision of one agency never shows when a newer one exists.
        # A changed answer to an objection is a decision; its reason says so.
        where, params = self._where("c", **filters)
        columns = ", ".join(f"c.{c}" for c in CURRENT_COLUMNS)
        reason = f"CASE WHEN k.jenis = 'jawaban' THEN {GRANTED_SQL.format(alias='k')} END"
        sql = (
            f"SELECT {columns} FROM (SELECT k.id, k.waktu, k.nip, k.periode, k.skema, "
            "k.kode_opd, k.predikat_sebelum, k.predikat_sesudah, "
            f"coalesce({reason}, k.alasan) AS alasan, k.oleh, row_number() OVER ("
            "PARTITION BY k.nip, k.periode, k.skema ORDER BY k.id DESC) AS urutan "
            f"FROM keputusan k WHERE {_DECISION} AND NOT {_WITHDRAWN}) c"
            f"{where}{' AND' if where else ' WHERE'} c.urutan = 1 ORDER BY c.id"
        )
        return _typed(pd.DataFrame(conn.execute(sql, params).fetchall(), columns=CURRENT_COLUMNS))

    def history(
        self, *, periode: str | None = None, kode_opd: str | None = None, nip: str | None = None
    ) -> pd.DataFrame:
        """Return every event (decisions, withdrawals, objections, answers), oldest first.

        Parameters
        ----------
        periode, kode_opd, nip : str, optional
            Keep only events about this period, agency or employee.

        Returns
        -------
        DataFrame
            Columns :data:`HISTORY_COLUMNS`. ``waktu`` is a UTC timestamp; a withdrawal carries the
            identity of the decision it refers to (``merujuk``) and no predikat; an answer refers
            to its objection. ``status`` of a decision (an ``usulan``, or an answer that changed
            the predikat) is ``ditarik`` when withdrawn, else ``berlaku`` (it may still be
            superseded by a later decision for the same employee: see :meth:`current`); of an
            objection ``terbuka`` or ``dijawab``; empty for a withdrawal and an answer that kept
            the predikat.
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

        A decision is an ``usulan`` or an answer to an objection that changed the predikat (its
        ``alasan`` then reads ``Keberatan #12 dikabulkan: <the answer>``).

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
            ``alasan_kalibrasi`` (missing where no decision applies). Given the
            :class:`Scheme`, ``angka_kredit`` of a calibrated row follows its calibrated
            predikat (PermenPAN-RB 1/2023 counts the final predikat). An objection answered
            with another predikat is such a decision (:meth:`current`); one answered with the
            same predikat, or still open, changes nothing here.

        Raises
        ------
        UsageError
            When ``hasil`` lacks a needed column, was scored under another scheme, or a decision
            names a predikat the scheme does not have (withdraw that decision).
        """
        missing = [c for c in ("nip", "periode", "predikat") if c not in hasil.columns]
        if missing:
            raise UsageError(f"hasil penilaian tanpa kolom {', '.join(missing)}")
        name = skema.nama if isinstance(skema, Scheme) else clean_text(skema, "skema")
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
        if applies.any() and isinstance(skema, Scheme) and "angka_kredit" in out:
            # Angka kredit follow the predikat in force (PermenPAN-RB 1/2023: the final one).
            from asn_eval.input.periode import Periode
            from asn_eval.scoring.score import credit_points

            for value in out.loc[applies, "periode"].astype("str").unique():
                mine = applies & (out["periode"].astype("str") == value).to_numpy()
                rows = out.loc[mine]
                points = credit_points(skema, rows, rows["predikat_kalibrasi"], Periode(value))
                out.loc[mine, "angka_kredit"] = points
        return out

    def export_xlsx(
        self,
        path: str | os.PathLike[str],
        *,
        periode: str | None = None,
        kode_opd: str | None = None,
        zona: str = "WIB",
    ) -> Path:
        """Write the decisions in force, objections, history and the chain's state to a workbook.

        Parameters
        ----------
        path : str or path
            The workbook to write; replaced at once (written beside it first), never half-written.
        periode, kode_opd : str, optional
            Keep only decisions about this period or agency.
        zona : {"WIB", "WITA", "WIT"}
            The time zone times are written in (the city's, :mod:`asn_eval.city_profile`).

        Returns
        -------
        Path
            The workbook written, with sheets ``berlaku``, ``keberatan`` (:meth:`objections`,
            their ages counted to the export), ``riwayat`` (each event with its hash) and
            ``keutuhan`` (the chain verified as the export was read: intact or what is broken,
            the head to check the file against later, how the store began); NIPs are text,
            every text cell is text (never a formula), the header row frozen and filtered.
        """
        from asn_eval.decisions.sheet import write_export

        with self._transaction(write=False) as conn:
            current = self._current(conn, periode=periode, kode_opd=kode_opd)
            history = self._history(conn, hashes=True, periode=periode, kode_opd=kode_opd)
            objections = self._objections(conn, periode=periode, kode_opd=kode_opd)
            verdict = verify(conn)
        return write_export(
            Path(path).expanduser(),
            self.path,
            current,
            history,
            verdict,
            zona=zona,
            objections=objections,
        )


def broken_message(path: Path, verdict: Verdict) -> str:
    """Return the one line that refuses a store whose chain is broken.

    Parameters
    ----------
    path : Path
        The file.
    verdict : Verdict
        What :func:`~asn_eval.decisions.chain.verify` found.

    Returns
    -------
    str
    """
    return (
        f"{path}: berkas keputusan tidak utuh, {verdict.problem}; keputusannya tidak dipakai. "
        f"Periksa dengan asn-eval decisions verify {path} lalu pulihkan salinan cadangannya"
    )


def _head(conn: sqlite3.Connection) -> Head:
    count, last = conn.execute(
        "SELECT count(*), (SELECT hash FROM keputusan ORDER BY id DESC LIMIT 1) FROM keputusan"
    ).fetchone()
    if last is None:
        last = conn.execute("SELECT hash FROM asal").fetchone()[0]
    return Head(int(count), last)


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
