"""Making a file a decisions store: creating it, migrating a version 1 file once, or refusing it.

:func:`install` runs in one ``BEGIN IMMEDIATE`` transaction on a writable connection, so two
processes opening the same new (or old) file at once create (or migrate) it exactly once.
:func:`check_version` does the same checks without writing, for a read-only connection. Neither
ever recreates a missing trigger of a version 2 file: that is a sign of tampering, reported by
:func:`asn_eval.decisions.chain.verify`.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from asn_eval.decisions.chain import event_hash, genesis_hash
from asn_eval.decisions.schema import (
    EVENT_FIELDS,
    SCHEMA_VERSION,
    V1_TRIGGERS,
    create_statements,
    tables_in,
    triggers_in,
)
from asn_eval.errors import StoreError

__all__ = ["check_version", "install", "now", "version_of"]

CREATED = "dibuat baru"
"""The genesis note of a store created by this version."""


def now() -> str:
    """Return the current UTC time as stored in the file (ISO 8601, microseconds)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


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


def check_version(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, without writing, a file that is not a current decisions store.

    Parameters
    ----------
    conn : sqlite3.Connection
        The file, open read-only.
    path : Path
        The file, for messages.

    Raises
    ------
    StoreError
        Empty, not a decisions file, unreadable version, a newer version, or a version 1 file
        (it must be migrated by a process that can write it).
    """
    version = version_of(conn, path)
    if version is None:
        raise StoreError(f"{path}: berkas kosong, bukan berkas keputusan asn-eval")
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{path}: berkas keputusan versi {version} belum berantai hash dan tidak bisa "
            "dimigrasi karena hanya dibuka untuk dibaca; buka sekali dengan izin menulis "
            "(asn-eval reports, app, atau decisions import), lalu periksa lagi"
        )


def install(conn: sqlite3.Connection, path: Path) -> None:
    """Create a new file's tables, or migrate a version 1 file; leave a version 2 file alone.

    Parameters
    ----------
    conn : sqlite3.Connection
        The file, open for writing in autocommit mode.
    path : Path
        The file, for messages.

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
        elif version < SCHEMA_VERSION:
            _migrate(conn, path, version)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _create(conn: sqlite3.Connection, catatan: str, dimigrasi: int, sampai_id: int) -> str:
    """Create the version 2 tables and the genesis record; return the genesis hash."""
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
    for name in (*V1_TRIGGERS, "keputusan_pegawai", "keputusan_opd", "keputusan_tarik_sekali"):
        kind = "TRIGGER" if name in V1_TRIGGERS else "INDEX"
        conn.execute(f"DROP {kind} IF EXISTS {name}")
    conn.execute("ALTER TABLE keputusan RENAME TO keputusan_v1")
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
