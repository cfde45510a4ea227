"""Calibration decisions and objections to a predikat, kept in an append-only, tamper-evident file.

In the calibration forum the evaluators may move an employee's predikat (``Baik`` → ``Sangat
Baik``) and must say why. Each decision is an event in one table that only ever grows: a decision
is never changed or deleted; withdrawing it (``tarik``) is a new event that refers to it. The
decisions in force are, per NIP, period and scheme, the latest decision not withdrawn.

An employee who disagrees with their predikat files an objection (``keberatan``: the period, the
predikat contested, the grounds, who filed it); an evaluator answers it once (``jawaban``): the
predikat kept (``tetap``), or changed (``diubah``), and a changed answer is a calibration decision
like any other (:mod:`~asn_eval.decisions.objections`). Objections and answers are events of the
same table and chain.

Every event carries a SHA-256 hash chaining it to the one before and, through the first, to the
store's genesis record (:mod:`~asn_eval.decisions.chain`); opening a store verifies the whole
chain and refuses one that was changed behind the triggers' back (``asn-eval decisions verify``
says which event). A decision is checked before it is recorded: an employee of the data, filed
under their own agency, a predikat of the scheme, a reason with letters in it
(:mod:`~asn_eval.decisions.rules`).

The file is in WAL mode with a generous busy timeout, so several reviewers (processes, or threads
of one app) can write at the same time: each write is one short ``BEGIN IMMEDIATE`` transaction and
waits its turn instead of failing. The data folder is never written to: :func:`default_path` puts
the file under the user's data directory.

Modules: ``store`` (:class:`DecisionStore`), ``objections`` (its objection methods, the
objections table), ``chain`` (hashes, verification, the head), ``schema`` (tables and triggers),
``upgrade`` (creation, the migrations of versions 1 and 2), ``connection`` (opening the file, its
faults), ``rules`` (what a decision must hold), ``sheet`` (the audit workbook, decisions from a
spreadsheet), ``objection_sheet`` (objections and answers from a spreadsheet), ``commands``
(``asn-eval decisions …``).

Examples
--------
>>> with DecisionStore("keputusan.sqlite", pegawai=ds) as store:  # doctest: +SKIP
...     store.record(nip="196608011988031001", periode="2025", skema="permenpan-6-2022",
...                  kode_opd="DINKES", sebelum="Baik", sesudah="Sangat Baik",
...                  alasan="capaian program imunisasi 140 %", oleh="Forum BKPSDM")
...     hasil = store.apply(asn_eval.score(ds, "2025"), skema="permenpan-6-2022")
...     nomor = store.file_objection(nip="199003152015031003", periode="2025",
...                                  skema="permenpan-6-2022", kode_opd="PKM1", sebelum="Baik",
...                                  alasan="target RHK 2 tercapai, bukti belum dibaca",
...                                  oleh="Andi Pratama")
...     store.answer_objection(nomor, sesudah="Sangat Baik", alasan="bukti diterima",
...                            oleh="Tim Penilai Kinerja")
...     store.objections(open_only=True)  # what is still waiting for an answer
"""

from __future__ import annotations

from asn_eval.decisions.chain import Head, Verdict
from asn_eval.decisions.connection import BUSY_TIMEOUT_S
from asn_eval.decisions.objections import (
    ANSWERED,
    CHANGED,
    KEPT,
    OBJECTION_COLUMNS,
    OPEN,
    Answer,
    Objection,
    Recorded,
)
from asn_eval.decisions.rules import MIN_REASON_LETTERS, NO_PREDIKAT, REASON_RULE
from asn_eval.decisions.schema import SCHEMA_VERSION
from asn_eval.decisions.store import (
    CURRENT_COLUMNS,
    FILE_NAME_ENV,
    HISTORY_COLUMNS,
    Decision,
    DecisionStore,
    default_path,
)

__all__ = [
    "ANSWERED",
    "BUSY_TIMEOUT_S",
    "CHANGED",
    "CURRENT_COLUMNS",
    "FILE_NAME_ENV",
    "HISTORY_COLUMNS",
    "KEPT",
    "MIN_REASON_LETTERS",
    "NO_PREDIKAT",
    "OBJECTION_COLUMNS",
    "OPEN",
    "REASON_RULE",
    "SCHEMA_VERSION",
    "Answer",
    "Decision",
    "DecisionStore",
    "Head",
    "Objection",
    "Recorded",
    "Verdict",
    "default_path",
]
