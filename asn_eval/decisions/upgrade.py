"""Making a file a decisions store: creating it, migrating an older file once, or refusing it.

:func:`install` runs in one ``BEGIN IMMEDIATE`` transaction on a writable connection, so two
processes opening the same new (or old) file at once create (or migrate) it exactly once.
:func:`check_version` does the same checks without writing, for a read-only connection (a
version 2 file is read as it is). Neither ever recreates a missing trigger of a version 2 or 3
file: that is a sign of tampering, reported by :func:`asn_eval.decisions.chain.verify`; a version
2 file whose chain is not intact is not migrated (so as not to bless the edit) and is refused by
its verdict when opened.
"""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

from asn_eval.decisions.chain import event_hash, genesis_hash, now, verify
from asn_eval.decisions.schema import (
    EVENT_FIELDS,
    EVENT_TRIGGERS,
    INDEXES,
    READABLE_VERSION,
    SCHEMA_VERSION,
    V1_TRIGGERS,
    create_statements,
    events_statements,
    tables_in,
    triggers_in,
)
from asn_eval.errors import StoreError

__all__ = ["check_version", "install", "now", "version_of"]

CREATED = "dibuat baru"
"""The genesis note of a store created by this version."""


def version_of(conn: sqlite3.Connection, path: Path) -> int | None:
    """Return the file's schema version, None for an empty file; refuse a foreign one.

    Parameters
    ----------
    conn : sqlite3.Connection
        The file, open.
    path : Path
        The file, for messages.

    Returns
    -------
    int or None

    Raises
    ------
    StoreError
        Another program's database, an unreadable version, a newer version.
    """
    tables = tables_in(conn)
    if not tables:
        return None
    if not {"versi_skema", "keputusan"} <= tables:
        raise StoreError(
            f"{path}: bukan berkas keputusan asn-eval (basis data SQLite lain); periksa nama "
            "berkasnya, atau pakai --keputusan BERKAS_LAIN"
        )
    values = [r[0] for r in conn.execute("SELECT versi FROM versi_skema")]
    if not values or not all(isinstance(v, int) and 0 < v < 1000 for v in values):
        raise StoreError(
            f"{path}: versi berkas keputusan tidak terbaca (rusak atau diubah di luar asn-eval); "
            "pulihkan salinan cadangannya"
        )
    version = max(values)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: berkas keputusan dibuat oleh asn-eval yang lebih baru (versi skema "
            f"{version}, dikenal {SCHEMA_VERSION}); perbarui asn-eval"
        )
    return version


def check_version(conn: sqlite3.Connection, path: Path) -> int:
    """Refuse, without writing, a file that cannot be read as a decisions store.

    Parameters
    ----------
    conn : sqlite3.Connection
        The file, open read-only.
    path : Path
        The file, for messages.

    Returns
    -------
    int
        Its schema version: :data:`~asn_eval.decisions.schema.SCHEMA_VERSION`, or 2 (read as
        it is: no objections in it yet, nothing can be recorded through this connection).

    Raises
    ------
    StoreError
        Empty, not a decisions file, unreadable version, a newer version, or a version 1 file
        (it must be migrated by a process that can write it).
    """
    version = version_of(conn, path)
    if version is None:
        raise StoreError(f"{path}: berkas kosong, bukan berkas keputusan asn-eval")
    if version < READABLE_VERSION:
        raise StoreError(
            f"{path}: berkas keputusan versi {version} belum berantai hash dan tidak bisa "
            "dimigrasi karena hanya dibuka untuk dibaca; buka sekali dengan izin menulis "
            "(asn-eval reports, app, atau decisions import), lalu periksa lagi"
        )
    return version


def install(conn: sqlite3.Connection, path: Path) -> int:
    """Create a new file's tables, or migrate an older file once; leave a current one alone.

    Parameters
    ----------
    conn : sqlite3.Connection
        The file, open for writing in autocommit mode.
    path : Path
        The file, for messages.

    Returns
    -------
    int
        The file's version now: :data:`~asn_eval.decisions.schema.SCHEMA_VERSION`, or 2 for a
        version 2 file whose chain is not intact (left as it is, for its verdict to refuse it).

    Raises
    ------
    StoreError
        Not a decisions file, a newer version, or a version 1 file whose guard triggers are
        gone (it may have been edited; it is not migrated, so as not to bless the edit).
    """
    conn.execute("PRAGMA foreign_keys = OFF")  # the migration rebuilds a self-referencing table
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = version_of(conn, path)
        if version is None:
            _create(conn, CREATED, 0, 0)
            version = SCHEMA_VERSION
        elif version < READABLE_VERSION:
            _migrate(conn, path, version)
            version = SCHEMA_VERSION
        elif version < SCHEMA_VERSION and verify(conn).intact:
            _rebuild(conn, path, version)
            version = SCHEMA_VERSION
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return version


def _create(conn: sqlite3.Connection, catatan: str, dimigrasi: int, sampai_id: int) -> str:
    """Create the current tables and the genesis record; return the genesis hash."""
    for statement in create_statements():
        conn.execute(statement)
    dibuat, nonce = now(), secrets.token_hex(16)
    origin = genesis_hash(dibuat, nonce, catatan, dimigrasi, sampai_id)
    conn.execute(
        "INSERT INTO asal (id, dibuat, nonce, catatan, dimigrasi, sampai_id, hash) "
        "VALUES (0, ?, ?, ?, ?, ?, ?)",
        (dibuat, nonce, catatan, dimigrasi, sampai_id, origin),
    )
    conn.execute(
        "INSERT INTO versi_skema (versi, dipasang) VALUES (?, ?)", (SCHEMA_VERSION, dibuat)
    )
    return origin


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Chain a version 1 file's events, in one transaction, and record that it was done."""
    found = triggers_in(conn)
    gone = [name for name in V1_TRIGGERS if name not in found]
    if gone:
        raise StoreError(
            f"{path}: berkas keputusan versi {version} tanpa pemicu pelindung "
            f"({', '.join(gone)}): mungkin diubah di luar asn-eval, jadi tidak dimigrasi; "
            "pulihkan salinan cadangannya"
        )
    columns = ", ".join(EVENT_FIELDS)
    rows = conn.execute(f"SELECT {columns} FROM keputusan ORDER BY id").fetchall()
    _set_aside(conn, "keputusan_v1")
    last = int(rows[-1][0]) if rows else 0
    span = f"#{rows[0][0]}–#{last}" if rows else "tidak ada"
    catatan = (
        f"dimigrasi dari versi {version} pada {now()}: {len(rows)} keputusan ({span}) dirantai "
        "saat migrasi; keutuhannya sebelum migrasi tidak bisa dibuktikan"
    )
    previous = _create(conn, catatan, len(rows), last)
    placeholders = ", ".join("?" * (len(EVENT_FIELDS) + 1))
    chained = []
    for row in rows:
        previous = event_hash(previous, row)
        chained.append((*row, previous))
    conn.executemany(f"INSERT INTO keputusan ({columns}, hash) VALUES ({placeholders})", chained)
    conn.execute("DROP TABLE keputusan_v1")
    problems = conn.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise StoreError(f"{path}: rujukan antarkeputusan rusak; berkas tidak dimigrasi")


def _set_aside(conn: sqlite3.Connection, name: str) -> None:
    """Rename the events table to ``name``, without its triggers and indexes (names reused)."""
    for trigger in EVENT_TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for index in INDEXES:
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    conn.execute(f"ALTER TABLE keputusan RENAME TO {name}")


def _rebuild(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Give an intact version 2 file the version 3 table: every row copied with its own hash.

    SQLite cannot alter a CHECK, so the events table is rebuilt: set aside, created anew with its
    indexes and its two guard triggers exactly as :data:`~asn_eval.decisions.schema.TRIGGERS`
    has them, filled with the same rows (ids, fields, hashes), the old one dropped. The genesis
    record is untouched, so the chain and any head printed before still verify; the largest id
    ever given (``sqlite_sequence``) is carried over.
    """
    columns = ", ".join((*EVENT_FIELDS, "hash"))
    rows = conn.execute(f"SELECT {columns} FROM keputusan ORDER BY id").fetchall()
    sequence = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'keputusan'").fetchone()
    _set_aside(conn, f"keputusan_v{version}")
    for statement in events_statements():
        conn.execute(statement)
    placeholders = ", ".join("?" * (len(EVENT_FIELDS) + 1))
    conn.executemany(f"INSERT INTO keputusan ({columns}) VALUES ({placeholders})", rows)
    conn.execute(f"DROP TABLE keputusan_v{version}")
    if sequence is not None:
        conn.execute("DELETE FROM sqlite_sequence WHERE name = 'keputusan'")
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('keputusan', ?)", sequence)
    conn.execute("INSERT INTO versi_skema (versi, dipasang) VALUES (?, ?)", (SCHEMA_VERSION, now()))
    problems = conn.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise StoreError(f"{path}: rujukan antarkeputusan rusak; berkas tidak dimigrasi")
