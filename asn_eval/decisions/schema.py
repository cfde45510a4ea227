"""The decisions file's tables, the triggers that keep them append-only, and the migrations.

Version 3 (this one) holds four kinds of event (``jenis``) in one table ``keputusan``:

- ``usulan``: a calibration decision, ``predikat_sebelum`` → ``predikat_sesudah`` (they differ);
- ``tarik``: the withdrawal of an ``usulan`` or of a changed ``jawaban`` (``merujuk``: its id);
- ``keberatan``: an objection, filed by or for the employee (``oleh``) with its grounds
  (``alasan``) against ``predikat_sebelum``, the predikat in force when filed (no ``sesudah``);
- ``jawaban``: the evaluator's answer to an objection (``merujuk``: its id; one answer per
  objection), with the predikat in force then (``sebelum``) and the outcome (``sesudah``): the
  same predikat (kept, ``tetap``) or another one (changed, ``diubah``: a calibration decision).

Every event is chained to the previous one by a SHA-256 hash (see
:mod:`asn_eval.decisions.chain`): the table ``asal`` holds the store's genesis record (a random
nonce, the creation time, and a note saying whether the store was created or migrated), and each
row of ``keputusan`` carries its ``hash``. Ids come from ``AUTOINCREMENT``, so SQLite keeps the
largest id ever given in ``sqlite_sequence`` and a deleted last event leaves a trace there.

Version 2 (the chain, ``usulan`` and ``tarik`` only) differs only in the table's CHECK, which
SQLite cannot alter: it is migrated once, in one transaction, by the first process that opens
the file for writing (the table rebuilt with every row and hash unchanged, the genesis untouched),
and read as it is by a process that may not write. Version 1 (no chain) is migrated once, the
same way, straight to version 3: the events are copied in id order with their hashes, and the
genesis note records the migration (when, how many events, up to which id). Before that
migration nothing vouches for those events, and the note says so.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

__all__ = [
    "EVENT_FIELDS",
    "EVENT_TRIGGERS",
    "INDEXES",
    "KINDS",
    "READABLE_VERSION",
    "SCHEMA_VERSION",
    "TRIGGERS",
    "create_statements",
    "events_statements",
    "tables_in",
    "triggers_in",
]

SCHEMA_VERSION = 3
"""Version of the file's tables; a file written by a newer version is refused, not guessed at."""

READABLE_VERSION = 2
"""The oldest version read without migrating it (a read-only file of version 2 is read as it is;
version 1 has no chain to verify and must be migrated by a process that can write)."""

KINDS = ("usulan", "tarik", "keberatan", "jawaban")
"""The kinds of event (``jenis``), see the module docstring."""

EVENT_FIELDS = (
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
)
"""Every field of an event, in the order its hash covers them."""

_VERSIONS = """
CREATE TABLE IF NOT EXISTS versi_skema (
    versi    INTEGER PRIMARY KEY,
    dipasang TEXT NOT NULL
)
"""

_GENESIS = """
CREATE TABLE IF NOT EXISTS asal (
    id        INTEGER PRIMARY KEY CHECK (id = 0),
    dibuat    TEXT NOT NULL,
    nonce     TEXT NOT NULL,
    catatan   TEXT NOT NULL,
    dimigrasi INTEGER NOT NULL,
    sampai_id INTEGER NOT NULL,
    hash      TEXT NOT NULL
)
"""

_EVENTS = """
CREATE TABLE IF NOT EXISTS {name} (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    waktu            TEXT NOT NULL,
    jenis            TEXT NOT NULL CHECK (jenis IN ('usulan', 'tarik', 'keberatan', 'jawaban')),
    nip              TEXT NOT NULL,
    periode          TEXT NOT NULL,
    skema            TEXT NOT NULL,
    kode_opd         TEXT NOT NULL,
    predikat_sebelum TEXT,
    predikat_sesudah TEXT,
    alasan           TEXT NOT NULL CHECK (length(trim(alasan)) > 0),
    oleh             TEXT NOT NULL CHECK (length(trim(oleh)) > 0),
    merujuk          INTEGER REFERENCES keputusan (id),
    hash             TEXT NOT NULL CHECK (length(hash) = 64),
    CHECK (
        (jenis = 'usulan' AND merujuk IS NULL
            AND predikat_sebelum IS NOT NULL AND predikat_sesudah IS NOT NULL
            AND predikat_sebelum <> predikat_sesudah)
        OR (jenis = 'tarik' AND merujuk IS NOT NULL)
        OR (jenis = 'keberatan' AND merujuk IS NULL
            AND predikat_sebelum IS NOT NULL AND predikat_sesudah IS NULL)
        OR (jenis = 'jawaban' AND merujuk IS NOT NULL
            AND predikat_sebelum IS NOT NULL AND predikat_sesudah IS NOT NULL)
    )
)
"""

_INDEXES = (
    "CREATE INDEX IF NOT EXISTS keputusan_pegawai ON keputusan (nip, periode, skema)",
    "CREATE INDEX IF NOT EXISTS keputusan_opd ON keputusan (kode_opd, periode)",
    "CREATE UNIQUE INDEX IF NOT EXISTS keputusan_tarik_sekali ON keputusan (merujuk) "
    "WHERE jenis = 'tarik'",
    "CREATE UNIQUE INDEX IF NOT EXISTS keputusan_jawab_sekali ON keputusan (merujuk) "
    "WHERE jenis = 'jawaban'",
)

INDEXES = ("keputusan_pegawai", "keputusan_opd", "keputusan_tarik_sekali", "keputusan_jawab_sekali")
"""The indexes of the events table, by name (a migration drops them with the old table's)."""


def _guard(name: str, table: str, event: str, message: str) -> str:
    return (
        f"CREATE TRIGGER {name} BEFORE {event} ON {table}\n"
        f"BEGIN\n    SELECT RAISE(ABORT, '{message}');\nEND"
    )


TRIGGERS: dict[str, str] = {
    name: _guard(name, table, event, message)
    for name, table, event, message in (
        (
            "keputusan_tidak_diubah",
            "keputusan",
            "UPDATE",
            "keputusan tidak boleh diubah; catat keputusan baru",
        ),
        (
            "keputusan_tidak_dihapus",
            "keputusan",
            "DELETE",
            "keputusan tidak boleh dihapus; tarik dengan keputusan baru",
        ),
        ("asal_tidak_diubah", "asal", "UPDATE", "asal berkas keputusan tidak boleh diubah"),
        ("asal_tidak_dihapus", "asal", "DELETE", "asal berkas keputusan tidak boleh dihapus"),
        ("versi_tidak_diubah", "versi_skema", "UPDATE", "versi berkas tidak boleh diubah"),
        ("versi_tidak_dihapus", "versi_skema", "DELETE", "versi berkas tidak boleh dihapus"),
    )
}
"""The triggers of a version 2 or 3 file (the same), by name, with their exact SQL: one missing or
different is a sign that someone edited the file around them (never recreated silently; a
migration recreates only the two on the events table it rebuilds, exactly as they were)."""

EVENT_TRIGGERS = ("keputusan_tidak_diubah", "keputusan_tidak_dihapus")
"""The triggers on the events table (the others guard ``asal`` and ``versi_skema``)."""

V1_TRIGGERS = EVENT_TRIGGERS
"""The triggers a version 1 file must still have to be migrated."""


def create_statements(events_table: str = "keputusan") -> list[str]:
    """Return the statements that create a version 3 file's tables, indexes and triggers.

    Parameters
    ----------
    events_table : str, default "keputusan"
        Name of the events table to create.

    Returns
    -------
    list of str
        In order; the indexes and triggers only when ``events_table`` is ``keputusan``.
    """
    statements = [_VERSIONS, _GENESIS, _EVENTS.format(name=events_table)]
    if events_table == "keputusan":
        statements += [*_INDEXES, *TRIGGERS.values()]
    return statements


def events_statements() -> list[str]:
    """Return the statements that create the version 3 events table with its indexes and triggers.

    Used by the migrations, which rebuild only that table (``asal`` and ``versi_skema`` and their
    triggers stay as they are).

    Returns
    -------
    list of str
        The table, its indexes, and the triggers of :data:`EVENT_TRIGGERS`, in order.
    """
    return [
        _EVENTS.format(name="keputusan"),
        *_INDEXES,
        *(TRIGGERS[name] for name in EVENT_TRIGGERS),
    ]


def triggers_in(conn: sqlite3.Connection) -> dict[str, str]:
    """Return the triggers the file has, by name, with their SQL.

    Parameters
    ----------
    conn : sqlite3.Connection
        An open decisions file.

    Returns
    -------
    dict of str to str
    """
    rows: Iterable[tuple[str, str]] = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
    ).fetchall()
    return {name: sql or "" for name, sql in rows}


def tables_in(conn: sqlite3.Connection) -> set[str]:
    """Return the names of the file's tables.

    Parameters
    ----------
    conn : sqlite3.Connection
        An open SQLite file.

    Returns
    -------
    set of str
    """
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
