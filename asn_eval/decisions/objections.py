"""Objections (keberatan) to a predikat and their answers, kept in the decisions store.

An employee who disagrees with their result files an objection (or someone files it for them):
it names the employee, the period, the scheme, the predikat contested (the one in force when
filed), the grounds and who filed it. An evaluator answers it once: the predikat is kept
(``tetap``) or changed (``diubah``) to another predikat of the scheme. A changed answer is a
calibration decision: :meth:`DecisionStore.current` and :meth:`DecisionStore.apply` treat it as
they treat an ``usulan`` (the latest not withdrawn wins; it can be withdrawn the same way), and
its reason reads ``Keberatan #12 dikabulkan: …``. A kept answer closes the objection and
changes nothing.

Both are events of the decisions file's one table, in its one hash chain
(:mod:`~asn_eval.decisions.schema`: ``keberatan`` and ``jawaban``), so an objection or an answer
changed behind the triggers' back is caught by ``asn-eval decisions verify`` like a decision.

Source of the rules: issue 14 of the project (an objection without grounds is refused; every
objection is answered, kept or changed, and the new predikat counts as a calibration decision),
and the field rules of :mod:`~asn_eval.decisions.rules` (issue 12).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from asn_eval.decisions.chain import append_event
from asn_eval.decisions.rules import (
    NO_PREDIKAT,
    Roster,
    Vocabulary,
    clean_nip,
    clean_periode,
    clean_reason,
    clean_text,
    scheme_key,
    vocabulary_of,
)
from asn_eval.decisions.schema import SCHEMA_VERSION
from asn_eval.errors import StoreError, UsageError
from asn_eval.input.vocab import match_key
from asn_eval.scoring.scheme import Scheme

if TYPE_CHECKING:
    from asn_eval.decisions.store import Decision

__all__ = [
    "ANSWERED",
    "CHANGED",
    "KEPT",
    "OBJECTION_COLUMNS",
    "OPEN",
    "Answer",
    "Objection",
    "ObjectionMethods",
    "Recorded",
    "granted",
    "is_granted",
]

OPEN, ANSWERED = "terbuka", "dijawab"
"""An objection's ``status``: not answered yet, or answered."""

KEPT, CHANGED = "tetap", "diubah"
"""An answer's outcome (``hasil``): the predikat kept, or changed."""

OBJECTION_COLUMNS = [
    "id",
    "waktu",
    "nip",
    "periode",
    "skema",
    "kode_opd",
    "predikat_keberatan",
    "alasan_keberatan",
    "diajukan_oleh",
    "status",
    "id_jawaban",
    "waktu_jawaban",
    "hasil",
    "predikat_sesudah",
    "ditarik",
    "jawaban",
    "dijawab_oleh",
    "umur_hari",
]
"""Columns of :meth:`DecisionStore.objections` (headers and meanings in :mod:`asn_eval.columns`)."""


def granted(objection_id: object, answer: object) -> str:
    """Return the calibration reason of a changed answer, as reports and sheets show it.

    Parameters
    ----------
    objection_id : int
        The objection's id.
    answer : str
        The evaluator's answer.

    Returns
    -------
    str

    Examples
    --------
    >>> granted(12, "bukti capaian diterima")
    'Keberatan #12 dikabulkan: bukti capaian diterima'
    """
    return f"Keberatan #{objection_id} dikabulkan: {answer}"


_GRANTED = re.compile(r"^Keberatan #\d+ dikabulkan: ")


def is_granted(reason: object) -> bool:
    """Tell whether a calibration reason is one :func:`granted` wrote (a change on objection).

    Parameters
    ----------
    reason : str
        ``alasan_kalibrasi`` of a row of :meth:`DecisionStore.apply`.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_granted(granted(12, "bukti diterima")), is_granted("capaian program 140 %")
    (True, False)
    """
    return isinstance(reason, str) and _GRANTED.match(reason) is not None


GRANTED_SQL = "'Keberatan #' || {alias}.merujuk || ' dikabulkan: ' || {alias}.alasan"
""":func:`granted` in SQL, for a ``jawaban`` row under the alias ``{alias}``."""

CHANGED_SQL = "({alias}.jenis = 'jawaban' AND {alias}.predikat_sesudah <> {alias}.predikat_sebelum)"
"""True for a changed answer (a calibration decision) under the alias ``{alias}``."""


@dataclass(frozen=True)
class Answer:
    """An answer to record (see :meth:`DecisionStore.answer_objection` for each field).

    ``objection_id`` is ignored (may be None) when the answer is an :class:`Objection`'s own.
    """

    alasan: str
    oleh: str
    sesudah: str | None = None
    sebelum: str | None = None
    objection_id: int | None = None
    skema: Scheme | None = None


@dataclass(frozen=True)
class Objection:
    """An objection to record (see :meth:`DecisionStore.file_objection` for each field).

    ``answer``, when given, answers it in the same transaction (a sheet row holding both).
    """

    nip: str
    periode: str
    skema: Scheme | str
    kode_opd: str
    sebelum: str
    alasan: str
    oleh: str
    answer: Answer | None = None


@dataclass(frozen=True)
class Recorded:
    """The ids :meth:`DecisionStore.record_batch` gave, in the order given.

    Attributes
    ----------
    decisions, objections, answers : list of int
        ``answers`` holds the answers of :attr:`Objection.answer` first (in their objections'
        order), then those given as answers.
    """

    decisions: list[int] = field(default_factory=list)
    objections: list[int] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


def _name_of(skema: object) -> str:
    """Return a scheme's name from a :class:`Scheme`, a name or a content key (``nama@…``)."""
    return skema.nama if isinstance(skema, Scheme) else str(skema).split("@")[0].strip()


def _predikat(vocabulary: Vocabulary, value: object, what: str) -> str:
    """Return a predikat in the scheme's spelling, or :data:`NO_PREDIKAT`."""
    text = clean_text(value, what)
    if match_key(text) == match_key(NO_PREDIKAT):
        return NO_PREDIKAT
    return vocabulary.canonical(text, what)


class ObjectionMethods:
    """The objection methods of :class:`~asn_eval.decisions.store.DecisionStore` (mixed in).

    They use the store's connection, scope, roster and WHERE clause; see that class.
    """

    # What the store provides (declared here for the reader; defined by DecisionStore).
    path: Path
    _roster: Roster | None
    _version: int
    _transaction: Callable[..., AbstractContextManager[sqlite3.Connection]]
    _where: Callable[..., tuple[str, list[object]]]
    _check_scope: Callable[[str, str], None]
    _checked: Callable[[Decision], tuple[object, ...]]

    # -- writing ----------------------------------------------------------------------------

    def file_objection(
        self,
        *,
        nip: str,
        periode: str,
        skema: Scheme | str,
        kode_opd: str,
        sebelum: str,
        alasan: str,
        oleh: str,
    ) -> int:
        """File an objection to the predikat in force for one employee and period.

        Parameters
        ----------
        nip, periode, skema, kode_opd : str
            As for :meth:`record`: an employee of the store's ``pegawai``, filed under their own
            agency, within the store's scope.
        sebelum : str
            The predikat in force now (calibrated where a decision applies, else computed; or
            :data:`~asn_eval.decisions.rules.NO_PREDIKAT`): the one contested. The caller
            computes it, as for :meth:`record`.
        alasan : str
            The grounds: at least 3 letters (:data:`~asn_eval.decisions.rules.REASON_RULE`).
        oleh : str
            Who filed it: the employee, or who represents them.

        Returns
        -------
        int
            The objection's id.

        Raises
        ------
        UsageError
            No grounds (blank, punctuation or invisible characters only), nobody filing, a field
            invalid, the NIP not an employee or the agency not theirs, ``sebelum`` not the
            scheme's, out of scope, no ``pegawai``, or an objection of the same employee, period
            and scheme still open (its number said: answer it first).
        StoreError, WriteError
            When the file fails.
        """
        objection = Objection(nip, periode, skema, kode_opd, sebelum, alasan, oleh)
        return self.file_many([objection])[0]

    def answer_objection(
        self,
        objection_id: int,
        *,
        alasan: str,
        oleh: str,
        sesudah: str | None = None,
        sebelum: str | None = None,
        skema: Scheme | None = None,
    ) -> int:
        """Answer an open objection: the predikat kept, or changed (a calibration decision).

        Parameters
        ----------
        objection_id : int
            The objection's id.
        alasan : str
            The answer: at least 3 letters, as for :meth:`record`.
        oleh : str
            The evaluator who answered.
        sesudah : str, optional
            The predikat after the answer; None or the predikat in force → kept (``tetap``),
            another predikat of the scheme → changed (``diubah``).
        sebelum : str, optional
            The predikat in force now; by default the one contested when filing.
        skema : Scheme, optional
            The loaded scheme, needed for the vocabulary of a scheme not shipped with asn-eval
            (its name must be the objection's).

        Returns
        -------
        int
            The answer's id.

        Raises
        ------
        UsageError
            An unknown id, an id that is not an objection, an objection already answered (the
            answer's id said), an empty answer, nobody answering, a predikat not the scheme's,
            or an objection outside the store's scope.
        StoreError, WriteError
            When the file fails.
        """
        answer = Answer(alasan, oleh, sesudah, sebelum, objection_id, skema)
        return self.answer_many([answer])[0]

    def file_many(self, objections: Iterable[Objection]) -> list[int]:
        """File several objections (and the answers they hold) in one transaction: all or none.

        Parameters
        ----------
        objections : iterable of Objection
            Each checked as by :meth:`file_objection`; its ``answer``, when given, as by
            :meth:`answer_objection`.

        Returns
        -------
        list of int
            The objections' ids, in order.

        Raises
        ------
        UsageError
            For the first one that breaks a rule (its position said when there are several).
        """
        return self.record_batch(objections=objections).objections

    def answer_many(self, answers: Iterable[Answer]) -> list[int]:
        """Answer several objections in one transaction: all of them, or none.

        Parameters
        ----------
        answers : iterable of Answer
            Each checked as by :meth:`answer_objection`.

        Returns
        -------
        list of int
            The answers' ids, in order.
        """
        return self.record_batch(answers=answers).answers

    def record_batch(
        self,
        *,
        decisions: Iterable[Decision] = (),
        objections: Iterable[Objection] = (),
        answers: Iterable[Answer] = (),
    ) -> Recorded:
        """Record decisions, objections and answers in one transaction: all of them, or none.

        Parameters
        ----------
        decisions : iterable of Decision
            Checked as by :meth:`record`; recorded first.
        objections : iterable of Objection
            Then these, each followed by its own answer when it holds one.
        answers : iterable of Answer
            Then these (each names its objection, which may be filed above).

        Returns
        -------
        Recorded
            The ids given.

        Raises
        ------
        UsageError
            For the first event that breaks a rule, naming its kind and position when the batch
            holds several; nothing is recorded then.
        """
        decisions, objections, answers = list(decisions), list(objections), list(answers)
        several = len(decisions) + len(objections) + len(answers) > 1

        def where(what: str, position: int, error: UsageError) -> UsageError:
            return UsageError(f"{what} ke-{position}: {error}") if several else error

        decided = []
        for position, decision in enumerate(decisions, 1):
            try:
                decided.append(self._checked(decision))
            except UsageError as error:
                raise where("keputusan", position, error) from None
        filed = []
        for position, objection in enumerate(objections, 1):
            try:
                filed.append(self._checked_objection(objection))
                if objection.answer is not None:
                    _answer_fields(objection.answer)
            except UsageError as error:
                raise where("keberatan", position, error) from None
        for position, answer in enumerate(answers, 1):
            try:
                _answer_fields(answer)
            except UsageError as error:
                raise where("jawaban", position, error) from None
        filed_ids: list[int] = []
        answered_ids: list[int] = []
        with self._transaction(write=True) as conn:
            if (filed or answers) and self._version < SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: berkas keputusan versi {self._version} belum bisa mencatat "
                    "keberatan (rantainya tidak utuh, jadi tidak dimigrasi); periksa dengan "
                    "asn-eval decisions verify"
                )
            decided_ids = [append_event(conn, "usulan", *row) for row in decided]
            for position, (objection, row) in enumerate(zip(objections, filed, strict=True), 1):
                try:
                    filed_ids.append(self._file(conn, row))
                    if objection.answer is not None:
                        answered_ids.append(self._answer(conn, objection.answer, filed_ids[-1]))
                except UsageError as error:
                    raise where("keberatan", position, error) from None
            for position, answer in enumerate(answers, 1):
                try:
                    answered_ids.append(self._answer(conn, answer, answer.objection_id))
                except UsageError as error:
                    raise where("jawaban", position, error) from None
        return Recorded(decided_ids, filed_ids, answered_ids)

    def _checked_objection(self, o: Objection) -> tuple[object, ...]:
        """Return an objection's stored fields (after ``jenis``), or raise on the first rule."""
        sebelum = _predikat(vocabulary_of(o.skema), o.sebelum, "predikat yang dipersoalkan")
        nip = clean_nip(o.nip)
        kode_opd = clean_text(o.kode_opd, "kode OPD")
        row = (
            nip,
            clean_periode(o.periode),
            scheme_key(o.skema),
            kode_opd,
            sebelum,
            None,
            clean_reason(o.alasan, "alasan keberatan"),
            clean_text(o.oleh, "yang mengajukan keberatan (oleh)"),
            None,
        )
        roster = self._roster
        if roster is None:
            raise UsageError(
                "keberatan tidak bisa dicatat tanpa daftar pegawai untuk memeriksa NIP dan "
                "OPD-nya (buka dengan DecisionStore(..., pegawai=dataset))"
            )
        roster.check(nip, kode_opd)
        self._check_scope(kode_opd, "keberatan")
        return row

    def _file(self, conn: sqlite3.Connection, row: tuple[object, ...]) -> int:
        """Append a checked objection, refused while another of the same case is open."""
        nip, periode, skema = row[0], row[1], str(row[2])
        name = _name_of(skema)
        found = conn.execute(
            "SELECT o.id FROM keputusan o WHERE o.jenis = 'keberatan' AND o.nip = ? "
            "AND o.periode = ? AND (o.skema = ? OR substr(o.skema, 1, length(?) + 1) = ? || '@') "
            "AND NOT EXISTS (SELECT 1 FROM keputusan j WHERE j.jenis = 'jawaban' "
            "AND j.merujuk = o.id) ORDER BY o.id LIMIT 1",
            (nip, periode, name, name, name),
        ).fetchone()
        if found is not None:
            raise UsageError(
                f"pegawai {nip} sudah punya keberatan terbuka untuk periode {periode} "
                f"(keberatan #{found[0]}): jawab keberatan itu dulu"
            )
        return append_event(conn, "keberatan", *row)

    def _answer(self, conn: sqlite3.Connection, a: Answer, objection_id: object) -> int:
        """Check an answer against its objection in the file, then append it."""
        try:
            wanted = int(objection_id)
        except (TypeError, ValueError):
            raise UsageError(f"nomor keberatan harus bilangan bulat ({objection_id})") from None
        found = conn.execute(
            "SELECT jenis, nip, periode, skema, kode_opd, predikat_sebelum, "
            "(SELECT j.id FROM keputusan j WHERE j.jenis = 'jawaban' AND j.merujuk = k.id) "
            "FROM keputusan k WHERE id = ?",
            (wanted,),
        ).fetchone()
        if found is None:
            raise UsageError(f"keberatan {wanted} tidak ada")
        jenis, nip, periode, skema, kode_opd, contested, answered = found
        if jenis != "keberatan":
            raise UsageError(f"{wanted} bukan keberatan (jenisnya {jenis}); tidak bisa dijawab")
        self._check_scope(kode_opd, f"menjawab keberatan {wanted}")
        if answered is not None:
            raise UsageError(f"keberatan {wanted} sudah dijawab (jawaban #{answered})")
        if a.skema is not None and a.skema.nama != _name_of(skema):
            raise UsageError(
                f"keberatan {wanted} tentang skema {_name_of(skema)}, bukan {a.skema.nama}"
            )
        vocabulary = vocabulary_of(a.skema if a.skema is not None else skema)
        before = contested if a.sebelum is None else a.sebelum
        sebelum = _predikat(vocabulary, before, "predikat yang berlaku")
        sesudah = (
            sebelum if a.sesudah is None else _predikat(vocabulary, a.sesudah, "predikat sesudah")
        )
        if sesudah == NO_PREDIKAT and sebelum != NO_PREDIKAT:
            raise UsageError("predikat sesudah harus predikat skema, bukan (tidak ada)")
        reason, who = _answer_fields(a)
        row = (nip, periode, skema, kode_opd, sebelum, sesudah, reason, who, wanted)
        return append_event(conn, "jawaban", *row)

    # -- reading ----------------------------------------------------------------------------

    def objections(
        self,
        *,
        periode: str | None = None,
        skema: Scheme | str | None = None,
        kode_opd: str | None = None,
        nip: str | None = None,
        open_only: bool = False,
        now: datetime | pd.Timestamp | str | None = None,
    ) -> pd.DataFrame:
        """Return the objections, each with its answer when answered, oldest first.

        Parameters
        ----------
        periode, skema, kode_opd, nip : str, optional
            Keep only objections about this period, scheme (a :class:`Scheme`: its content key
            or its bare name, as :meth:`current`), agency or employee.
        open_only : bool, default False
            Keep only those not answered yet.
        now : datetime, optional
            The moment an open objection's age is counted to (naive = UTC); default the
            current time.

        Returns
        -------
        DataFrame
            Columns :data:`OBJECTION_COLUMNS`: the objection (``id``, ``waktu`` filed (UTC),
            ``nip``, ``periode``, ``skema``, ``kode_opd``, ``predikat_keberatan`` the predikat
            contested, ``alasan_keberatan``, ``diajukan_oleh``), ``status`` (``terbuka`` or
            ``dijawab``), the answer (``id_jawaban`` Int64, ``waktu_jawaban`` UTC, ``hasil``
            ``tetap`` or ``diubah``, ``predikat_sesudah``, ``jawaban``, ``dijawab_oleh``;
            missing while open), ``ditarik`` (bool: a changed answer since withdrawn, so its
            ``predikat_sesudah`` no longer applies; False otherwise) and ``umur_hari`` (int:
            whole days from filing to the answer, or to ``now`` while open).
        """
        with self._transaction(write=False) as conn:
            return self._objections(
                conn,
                periode=periode,
                skema=skema,
                kode_opd=kode_opd,
                nip=nip,
                open_only=open_only,
                now=now,
            )

    def _objections(
        self,
        conn: sqlite3.Connection,
        *,
        open_only: bool = False,
        now: object = None,
        **filters: Scheme | str | None,
    ) -> pd.DataFrame:
        """Return :meth:`objections` read in the caller's transaction."""
        where, params = self._where("o", **filters)
        where = f"{where} AND" if where else " WHERE"
        sql = (
            "SELECT o.id, o.waktu, o.nip, o.periode, o.skema, o.kode_opd, o.predikat_sebelum, "
            "o.alasan, o.oleh, j.id, j.waktu, j.predikat_sebelum, j.predikat_sesudah, j.alasan, "
            "j.oleh, EXISTS (SELECT 1 FROM keputusan t WHERE t.jenis = 'tarik' "
            "AND t.merujuk = j.id) FROM keputusan o LEFT JOIN keputusan j ON j.jenis = 'jawaban' "
            f"AND j.merujuk = o.id{where} o.jenis = 'keberatan'"
            f"{' AND j.id IS NULL' if open_only else ''} ORDER BY o.id"
        )
        return objection_frame(conn.execute(sql, params).fetchall(), now)


def _answer_fields(a: Answer) -> tuple[str, str]:
    """Return an answer's text and who gave it, or raise when either is empty."""
    return clean_reason(a.alasan, "jawaban"), clean_text(a.oleh, "yang menjawab (oleh)")


def objection_frame(rows: list[tuple[object, ...]], now: object = None) -> pd.DataFrame:
    """Return :meth:`ObjectionMethods.objections`' frame from its query's rows.

    Parameters
    ----------
    rows : list of tuple
        Per objection: its id, waktu, nip, periode, skema, kode_opd, predikat_sebelum, alasan,
        oleh, then its answer's id, waktu, predikat_sebelum, predikat_sesudah, alasan, oleh
        (None while open), then whether that answer was withdrawn (0 or 1).
    now : datetime, optional
        See :meth:`ObjectionMethods.objections`.

    Returns
    -------
    DataFrame
        Columns :data:`OBJECTION_COLUMNS`, typed.
    """
    raw = pd.DataFrame(
        rows,
        columns=[
            "id",
            "waktu",
            "nip",
            "periode",
            "skema",
            "kode_opd",
            "predikat_keberatan",
            "alasan_keberatan",
            "diajukan_oleh",
            "id_jawaban",
            "waktu_jawaban",
            "sebelum_jawaban",
            "predikat_sesudah",
            "jawaban",
            "dijawab_oleh",
            "ditarik",
        ],
        dtype=object,
    )
    moment = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    if moment.tzinfo is None:
        moment = moment.tz_localize("UTC")
    frame = pd.DataFrame({"id": raw["id"].astype("int64")})
    frame["waktu"] = _utc(raw["waktu"])
    for column in ("nip", "periode", "skema", "kode_opd"):
        frame[column] = raw[column].astype("str")
    for column in ("predikat_keberatan", "alasan_keberatan", "diajukan_oleh"):
        frame[column] = raw[column].astype("str")
    answered = raw["id_jawaban"].notna()
    frame["status"] = pd.Series(
        [ANSWERED if a else OPEN for a in answered], index=frame.index, dtype="str"
    )
    frame["id_jawaban"] = raw["id_jawaban"].astype("Int64")
    frame["waktu_jawaban"] = _utc(raw["waktu_jawaban"])
    kept = raw["predikat_sesudah"] == raw["sebelum_jawaban"]
    outcome = [(KEPT if k else CHANGED) if a else None for a, k in zip(answered, kept, strict=True)]
    frame["hasil"] = pd.Series(outcome, index=frame.index, dtype=object).astype("str")
    for column in ("predikat_sesudah", "jawaban", "dijawab_oleh"):
        frame[column] = raw[column].astype("str")
    frame["ditarik"] = raw["ditarik"].fillna(0).astype("bool")
    end = frame["waktu_jawaban"].where(answered, moment)
    age = (end - frame["waktu"]) // pd.Timedelta(days=1)
    frame["umur_hari"] = age.clip(lower=0).astype("int64")
    return frame[OBJECTION_COLUMNS]


def _utc(values: pd.Series) -> pd.Series:
    """Return ISO 8601 times read from the file as UTC timestamps (NaT where missing)."""
    times = pd.to_datetime(values, utc=True, format="ISO8601")
    return times.astype("datetime64[us, UTC]")
