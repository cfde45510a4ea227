"""Where a decisions file lives, opening it, and what its faults are called.

When no file is named, :func:`default_path` gives one per data folder, outside it.

A decisions file may be anything by the time it is opened: not SQLite at all, truncated by a full
disk, damaged pages, written by a newer asn-eval, on a read-only disk or folder. Each becomes one
line in Bahasa Indonesia naming the file and what to do, never a raw ``sqlite3`` error:

- :class:`~asn_eval.errors.StoreError` (exit 2) when the file cannot be trusted or read as a
  decisions store: not a database, damaged (``PRAGMA quick_check``), a newer version, an older
  one that cannot be migrated, missing; restore a copy or name another file;
- :class:`~asn_eval.errors.WriteError` (exit 1) when the file is sound but cannot be written now:
  read-only file, folder or disk, disk full, held by another writer for longer than the wait.

Files are opened in one of three ways (``access``): ``write`` (create, migrate and record;
the app and ``decisions import``), ``read`` (never writes, not even the WAL switch; ``verify``,
``history``, ``export``), ``auto`` (write when the file can be written, else read; reports).
A read-only file is opened with SQLite's ``mode=ro`` URI; on a read-only folder where a WAL file's
shared-memory index cannot be created it is opened ``immutable`` (nobody can be writing there).
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

from asn_eval.errors import StoreError, WriteError

__all__ = [
    "BUSY_TIMEOUT_S",
    "FILE_NAME_ENV",
    "Access",
    "connect",
    "default_path",
    "fault",
    "use_wal",
]

Access = Literal["write", "read", "auto"]
T = TypeVar("T")

BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another writer's transaction before giving up."""

_RESTORE = "pulihkan salinan cadangannya, atau pakai --keputusan BERKAS_LAIN"

FILE_NAME_ENV = "ASN_EVAL_DECISIONS"
"""Environment variable naming the decisions file to use instead of :func:`default_path`'s."""


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


def fault(error: sqlite3.Error | OSError, path: Path) -> Exception:
    """Return the error to raise for a failure of SQLite or the disk on a decisions file.

    Parameters
    ----------
    error : sqlite3.Error or OSError
        What SQLite or the operating system said.
    path : Path
        The decisions file.

    Returns
    -------
    StoreError or WriteError
        One line naming ``path``: :class:`StoreError` for a file that is not a sound decisions
        store, :class:`WriteError` for one that cannot be written now.
    """
    said = str(error).lower()
    name = str(path)
    if isinstance(error, OSError):
        code = error.errno or errno.EIO
        reason = os.strerror(code) if error.errno else str(error)
        return WriteError(
            f"{name}: berkas keputusan tidak bisa dibuat atau ditulis ({reason}); pilih folder "
            "yang bisa ditulis dengan --keputusan BERKAS",
            code,
            name,
        )
    if "not a database" in said or "file is encrypted" in said:
        return StoreError(
            f"{name}: bukan berkas keputusan asn-eval (bukan basis data SQLite, atau awal "
            f"berkasnya rusak); periksa nama berkas, {_RESTORE}"
        )
    if "malformed" in said or "corrupt" in said or "disk i/o error" in said:
        return StoreError(f"{name}: berkas keputusan rusak ({_one_line(error)}); {_RESTORE}")
    if "readonly" in said or "read-only" in said or "unable to open" in said:
        return WriteError(
            f"{name}: berkas keputusan hanya-baca (berkas, folder atau disknya), keputusan tidak "
            "bisa dicatat; beri izin menulis, atau salin berkasnya ke folder yang bisa ditulis "
            "dan pakai --keputusan SALINAN",
            errno.EROFS,
            name,
        )
    if "full" in said:
        return WriteError(
            f"{name}: disk penuh, keputusan tidak dicatat (berkas tetap utuh); kosongkan ruang "
            "lalu coba lagi",
            errno.ENOSPC,
            name,
        )
    if "locked" in said or "busy" in said:
        return WriteError(
            f"{name}: berkas keputusan dikunci proses lain lebih dari {BUSY_TIMEOUT_S:.0f} dtk; "
            "coba lagi sebentar lagi",
            errno.EBUSY,
            name,
        )
    return StoreError(
        f"{name}: berkas keputusan tidak bisa dipakai ({_one_line(error)}); {_RESTORE}"
    )


def _one_line(said: object) -> str:
    """Return what SQLite said on one line, cut to a readable length."""
    text = " ".join(part.strip(" *") for part in str(said).splitlines() if part.strip(" *"))
    return text if len(text) <= 120 else text[:119] + "…"


def _uri(path: Path, **options: str) -> str:
    query = urllib.parse.urlencode(options)
    return f"file:{urllib.parse.quote(str(path.resolve()))}?{query}"


def _open(path: Path, access: Access) -> tuple[sqlite3.Connection, bool]:
    """Open the connection (nothing read yet) and say whether it may write."""
    can_write = not path.exists() or (_writable(path) and _writable(path.parent))
    if access == "write" and not can_write:
        raise fault(sqlite3.OperationalError("attempt to write a readonly database"), path)
    if access == "read" or not can_write:
        if not path.is_file():
            raise StoreError(f"{path}: berkas keputusan tidak ditemukan")
        immutable = not _writable(path.parent) and not _has_wal(path)
        options = {"mode": "ro", **({"immutable": "1"} if immutable else {})}
        target, uri = _uri(path, **options), True
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise fault(error, path) from None
        target, uri = str(path), False
    try:
        conn = sqlite3.connect(
            target,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
            check_same_thread=False,
            uri=uri,
        )
    except sqlite3.Error as error:
        raise fault(error, path) from None
    return conn, not uri


def _writable(path: Path) -> bool:
    """Whether ``path`` can be written (a read-only mount or an immutable file cannot)."""
    return os.access(path, os.W_OK)


def _has_wal(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def connect(path: Path, access: Access) -> tuple[sqlite3.Connection, bool]:
    """Open a decisions file and check that SQLite can read all of it.

    Parameters
    ----------
    path : Path
        The file; created (with its folder) when missing and ``access`` is ``write`` or ``auto``.
    access : {"write", "read", "auto"}
        See the module docstring.

    Returns
    -------
    conn : sqlite3.Connection
        In autocommit mode (callers open their own transactions); a writable one is switched to
        WAL by :func:`use_wal` once the file is known to be a decisions store.
    writable : bool
        Whether the connection may write.

    Raises
    ------
    StoreError
        Missing (``read``), not a database, damaged, truncated.
    WriteError
        ``write`` on a file, folder or disk that cannot be written, or the WAL switch refused.
    """
    conn, writable = _open(path, access)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        checked = _patiently(lambda: conn.execute("PRAGMA quick_check(1)").fetchone())
        if checked is None or checked[0] != "ok":
            detail = _one_line(checked[0]) if checked else "tidak ada jawaban"
            raise StoreError(f"{path}: berkas keputusan rusak ({detail}); {_RESTORE}")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as error:
        conn.close()
        raise fault(error, path) from None
    except BaseException:
        conn.close()
        raise
    return conn, writable


def use_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Switch a writable connection to WAL (several writers), once the file is known to be ours.

    Waits out another process doing the same on a fresh file. Called only after the file was
    found empty or a decisions store, so another program's database is never converted.

    Parameters
    ----------
    conn : sqlite3.Connection
        A connection opened writable by :func:`connect`.
    path : Path
        The file, for messages.

    Raises
    ------
    StoreError
        When WAL is impossible there (a network share).
    WriteError
        When the disk refuses.
    """
    try:
        mode = _patiently(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as error:
        raise fault(error, path) from None
    if str(mode).lower() != "wal":
        raise StoreError(
            f"{path}: berkas keputusan tidak bisa memakai mode WAL (mode {mode}); simpan di "
            "disk lokal"
        )


def _patiently(call: Callable[[], T]) -> T:
    """Run ``call``, retrying for :data:`BUSY_TIMEOUT_S` while SQLite says the file is locked.

    Changing the journal mode needs an exclusive lock and SQLite reports "database is locked" at
    once, without its busy handler, while another connection holds one (and a reader meets the
    same while another process switches a fresh file to WAL); two app sessions opening a new
    file together meet exactly that.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return call()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)
