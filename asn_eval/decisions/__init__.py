"""Calibration decisions taken in an evaluation forum, kept in an append-only, tamper-evident file.

In the calibration forum the evaluators may move an employee's predikat (``Baik`` → ``Sangat
Baik``) and must say why. Each decision is an event in one table that only ever grows: a decision
is never changed or deleted; withdrawing it (``tarik``) is a new event that refers to it. The
decisions in force are, per NIP, period and scheme, the latest decision not withdrawn.

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

Modules: ``store`` (:class:`DecisionStore`), ``chain`` (hashes, verification, the head),
``schema`` (tables and triggers), ``upgrade`` (creation, the version 1 migration),
``connection`` (opening the file, its faults), ``rules`` (what a decision must hold), ``sheet``
(the audit workbook, decisions from a spreadsheet), ``commands`` (``asn-eval decisions …``).

Examples
--------
>>> with DecisionStore("keputusan.sqlite", pegawai=ds) as store:  # doctest: +SKIP
...     store.record(nip="196608011988031001", periode="2025", skema="permenpan-6-2022",
...                  kode_opd="DINKES", sebelum="Baik", sesudah="Sangat Baik",
...                  alasan="capaian program imunisasi 140 %", oleh="Forum BKPSDM")
...     hasil = store.apply(asn_eval.score(ds, "2025"), skema="permenpan-6-2022")
"""

from __future__ import annotations

from asn_eval.decisions.chain import Head, Verdict
from asn_eval.decisions.connection import BUSY_TIMEOUT_S
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
    "BUSY_TIMEOUT_S",
    "CURRENT_COLUMNS",
    "FILE_NAME_ENV",
    "HISTORY_COLUMNS",
    "MIN_REASON_LETTERS",
    "NO_PREDIKAT",
    "REASON_RULE",
    "SCHEMA_VERSION",
    "Decision",
    "DecisionStore",
    "Head",
    "Verdict",
    "default_path",
]
