"""Writing files so that a reader never sees half of one: write aside, then rename into place.

Every file and folder the package writes goes through here. A file is written to a temporary
name in its own folder and renamed over the target with :func:`os.replace` (atomic on one file
system); a set of files is written into a staging folder and moved in only once all are complete;
a whole folder is swapped in with renames. A failure leaves the destination as it was.

When the disk says no (full, no permission, read-only, a folder where a file should go) the
:class:`OSError` becomes a :class:`asn_eval.errors.WriteError` whose one-line message names the
file the caller asked for, never the hidden temporary, says why in words and what to do
(:func:`write_error`). The temporary is removed on every exception, Ctrl-C included.

Temporary names carry their owner (this machine and process id, :func:`_unique`). A run that was
killed (SIGKILL, power cut) cannot clean up after itself, so the next writer in the same folder
removes what dead owners left there (:func:`remove_stale`); what a live run is using is never
touched.
"""

from __future__ import annotations

import contextlib
import errno as errnos
import hashlib
import os
import re
import secrets
import shutil
import socket
import threading
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from asn_eval.errors import WriteError

__all__ = [
    "atomic_path",
    "discard",
    "move_into",
    "new_staging",
    "remove_stale",
    "replace_folder",
    "staging_folder",
    "write_error",
    "write_text",
    "writing",
]

_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]
_OWNED = re.compile(r"(?P<host>[0-9a-f]{8})-(?P<pid>\d+)-\d+-[0-9a-f]{8}")
_OLD = re.compile(r"\.(?P<name>.+)\.lama-" + _OWNED.pattern)
_STALE_PREFIXES = (".", "asn-eval-")

# errno → (why, in words; what to do). Sources: errno(3), and what a user can change.
_FULL = "Kosongkan ruang lalu jalankan lagi."
_ELSEWHERE = "Pilih folder lain yang bisa ditulis, atau minta izin menulis di sana."
_REASONS: dict[int, tuple[str, str]] = {
    errnos.ENOSPC: ("disk penuh", _FULL),
    errnos.EDQUOT: ("kuota disk habis", _FULL),
    errnos.EFBIG: ("berkas terlalu besar untuk disk ini", "Pilih folder di disk lain."),
    errnos.EACCES: ("tidak ada izin menulis", _ELSEWHERE),
    errnos.EPERM: ("tidak diizinkan", _ELSEWHERE),
    errnos.EROFS: ("disk hanya-baca", "Pilih folder lain yang bisa ditulis."),
    errnos.EISDIR: ("sudah ada folder dengan nama itu", "Pindahkan folder atau pilih nama lain."),
    errnos.ENAMETOOLONG: ("nama terlalu panjang", "Pilih nama atau folder yang lebih pendek."),
    errnos.EIO: ("galat perangkat (disk rusak atau terlepas?)", "Periksa disk lalu jalankan lagi."),
    errnos.ENOENT: ("foldernya hilang saat ditulis", "Jalankan lagi."),
}


def _unique() -> str:
    """Return a name part no other writer (process or thread) can be using now.

    It starts with this machine (8 hex digits of its host name) and process id, so
    :func:`remove_stale` can tell whether its owner still runs.
    """
    return f"{_HOST}-{os.getpid()}-{threading.get_ident()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (on this machine); unknown counts as alive."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, as another user's
        return True
    return True


def remove_stale(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporaries and staging folders that killed writers left in ``folder``.

    Only names this module makes are considered (hidden, or starting with ``asn-eval-``, and
    carrying :func:`_unique`), and only those of a process of this machine that no longer exists;
    another live run's are left alone. A folder set aside by :func:`replace_folder` whose
    replacement never arrived is put back instead of removed.

    Parameters
    ----------
    folder : path
        The folder to tidy (not recursive). A folder that cannot be read is left as it is.

    Returns
    -------
    list of Path
        What was removed or put back.
    """
    folder = Path(folder)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    tidied = []
    for entry in entries:
        owner = _OWNED.search(entry.name)
        if (
            not entry.name.startswith(_STALE_PREFIXES)
            or owner is None
            or owner["host"] != _HOST
            or _alive(int(owner["pid"]))
        ):
            continue
        path = Path(entry.path)
        old = _OLD.fullmatch(entry.name)
        with contextlib.suppress(OSError):
            if old is not None and not (folder / old["name"]).exists():
                path.rename(folder / old["name"])  # killed between the two renames: undo
            elif entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path)
            else:
                path.unlink()
            tidied.append(path)
    return tidied


def _blocking_file(path: Path) -> Path | None:
    """Return the first of ``path``'s folders (or itself) that is there but is not a folder."""
    for parent in (*reversed(path.parents), path):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def write_error(path: str | os.PathLike[str], error: OSError) -> WriteError:
    """Turn an operating system error while writing ``path`` into one clear line.

    Parameters
    ----------
    path : path
        The file (or folder) the user asked for, as they wrote it: the line names it.
    error : OSError
        What the system said (its ``errno`` picks the words: disk full ``ENOSPC``/``EDQUOT``,
        permission ``EACCES``/``EPERM``, read-only ``EROFS``, a folder in the way ``EISDIR``, a
        file in the way ``ENOTDIR``/``EEXIST`` …).

    Returns
    -------
    WriteError
        ``gagal menulis PATH: WHY (system's words). WHAT TO DO.``, with ``errno`` and
        ``filename`` set.

    Examples
    --------
    >>> import errno
    >>> error = write_error("out/hasil.xlsx", OSError(errno.ENOSPC, ""))
    >>> print(error)  # doctest: +NORMALIZE_WHITESPACE
    gagal menulis out/hasil.xlsx: disk penuh (No space left on device).
    Kosongkan ruang lalu jalankan lagi.
    """
    number = error.errno
    if number:
        said = os.strerror(number)
    else:
        said = error.strerror or str(error) or type(error).__name__
    reason, advice = _REASONS.get(number or -1, ("", ""))
    if number in (errnos.ENOTDIR, errnos.EEXIST):
        blocking = _blocking_file(Path(path))
        if blocking is not None:
            reason, advice = f"{blocking} adalah berkas, bukan folder", "Pilih folder lain."
    text = f"gagal menulis {path}: {reason} ({said})" if reason else f"gagal menulis {path}: {said}"
    return WriteError(text + (f". {advice}" if advice else ""), number, str(path))


def _unwound(error: BaseException, limit: int = 12) -> Iterator[BaseException]:
    """Yield ``error``, its causes, contexts and the exceptions its args wrap (≤ ``limit``)."""
    pending: list[BaseException | None] = [error]
    seen = 0
    while pending and seen < limit:
        found = pending.pop(0)
        seen += 1
        if found is None:
            continue
        yield found
        pending += [found.__cause__, found.__context__]
        pending += [a for a in getattr(found, "args", ()) if isinstance(a, BaseException)]


def _os_error_in(error: BaseException) -> OSError | None:
    """Find the OSError behind ``error``: itself, its cause or context, or one it wraps."""
    return next((e for e in _unwound(error) if isinstance(e, OSError)), None)


def _close_abandoned(error: BaseException) -> None:
    """Close the zip archives a failed writer left open in the frames ``error`` unwound.

    xlsxwriter's ``close`` leaves its ``ZipFile`` half-written when the disk fails; closed later
    by the garbage collector, it prints a traceback ("Exception ignored in ZipFile.__del__").
    Closing it here, quietly, leaves nothing to say later.
    """
    for found in _unwound(error):
        trace = found.__traceback__
        while trace is not None:
            for value in trace.tb_frame.f_locals.values():
                if isinstance(value, zipfile.ZipFile) and value.mode != "r":
                    with contextlib.suppress(Exception):
                        value.close()
            trace = trace.tb_next


def _within(name: str | None, folder: Path) -> Path | None:
    """``name`` relative to ``folder`` when it lies there (None otherwise)."""
    if not name:
        return None
    try:
        return Path(os.path.abspath(name)).relative_to(os.path.abspath(folder))
    except ValueError:
        return None


@contextlib.contextmanager
def writing(
    path: str | os.PathLike[str], shown: str | os.PathLike[str] | None = None
) -> Iterator[Path]:
    """Write ``path`` in the block; an OSError while doing so becomes a :class:`WriteError`.

    Use it around a writer that does not say which file failed (pandas ``to_parquet``,
    xlsxwriter's ``close``, ``nbformat.write``). An error about another file is left as it is.

    Parameters
    ----------
    path : path
        The file being written.
    shown : path, optional
        The name the user knows it by (e.g. its final place, when ``path`` is in a staging
        folder); default ``path``.

    Yields
    ------
    Path
        ``path``.
    """
    path = Path(path)
    try:
        yield path
    except WriteError:
        raise
    except Exception as error:
        found = _os_error_in(error)
        about = None if found is None else found.filename
        if found is None or (
            about is not None
            and _within(about, path.parent) is None
            and _within(str(path), Path(about)) is None
        ):
            raise
        _close_abandoned(error)
        raise write_error(shown if shown is not None else path, found) from error


def _renamed(error: WriteError, staging: Path, shown: Path) -> WriteError:
    """Name the file of ``error`` at its final place instead of in the staging folder."""
    inside = _within(error.filename, staging)
    if inside is None:
        return error
    target = shown / inside if str(inside) != "." else shown
    return write_error(target, OSError(error.errno, os.strerror(error.errno or 0)))


@contextlib.contextmanager
def _folder_made(folder: Path, shown: Path) -> Iterator[None]:
    """Make ``folder`` (and missing parents) for the block; if the block fails, remove them again.

    Only folders this call made, and only while empty: a failed write leaves no trace. An error
    names ``shown``.
    """
    missing = [p for p in (folder, *folder.parents) if not os.path.lexists(p)]
    with writing(folder, shown=shown):
        folder.mkdir(parents=True, exist_ok=True)
    try:
        yield
    except BaseException:
        for made in missing:  # the deepest first
            with contextlib.suppress(OSError):
                made.rmdir()
        raise


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    Parameters
    ----------
    target : path
        The file to write. Its folder is created if needed.

    Yields
    ------
    Path
        Where to write (same folder and suffix as ``target``, a hidden unique name).

    Raises
    ------
    WriteError
        When the file cannot be written (disk full, no permission, read-only, a folder in the
        way…); the message names ``target``. The temporary is gone, ``target`` is as it was.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "a.txt") as partial:
    ...     _ = partial.write_text("halo")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt']
    >>> import shutil; shutil.rmtree(folder)
    """
    target = Path(target)
    # A fresh name, not a file made by mkstemp: the writer creates it with the user's usual
    # permissions (umask), so a replaced file is as readable as any other the user writes.
    partial = target.with_name(f".{target.stem}.{_unique()}.tmp{target.suffix}")
    with _folder_made(target.parent, target):
        remove_stale(target.parent)
        try:
            with writing(partial, shown=target):
                yield partial
            with writing(target):
                os.replace(partial, target)
        finally:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)


def write_text(target: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text to ``target`` atomically.

    Parameters
    ----------
    target : path
        The file.
    text : str
        Its whole content.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    WriteError
        As :func:`atomic_path`.
    """
    with atomic_path(target) as partial:
        partial.write_text(text, encoding="utf-8")
    return Path(target)


def new_staging(
    folder: str | os.PathLike[str], prefix: str = ".sementara-", *, private: bool = False
) -> Path:
    """Make an empty staging folder in ``folder`` for a long job; the caller removes it.

    For work that outlives one block (a report batch, a kernel's sockets). Staging folders that
    killed runs left in ``folder`` are removed first (:func:`remove_stale`); if this run is
    killed in turn, the next one removes its folder.

    Parameters
    ----------
    folder : path
        Where (created if needed).
    prefix : str
        Name prefix (hidden with a dot, or ``asn-eval-…`` in the system's temporary folder).
    private : bool
        Readable by this user only (for copies of everyone's data).

    Returns
    -------
    Path
        The new folder; remove it with ``shutil.rmtree`` when done.

    Raises
    ------
    WriteError
        When it cannot be made (naming ``folder``).
    """
    folder = Path(folder)
    with writing(folder):
        folder.mkdir(parents=True, exist_ok=True)
    remove_stale(folder)
    staging = folder / f"{prefix}{_unique()}"
    with writing(folder):
        staging.mkdir(mode=0o700 if private else 0o777)
    return staging


@contextlib.contextmanager
def staging_folder(
    folder: str | os.PathLike[str],
    prefix: str = ".sementara-",
    shown: str | os.PathLike[str] | None = None,
) -> Iterator[Path]:
    """Yield an empty staging folder inside ``folder``, removed afterwards whatever happens.

    Write a set of files there, then :func:`move_into` ``folder`` once all are complete. Staging
    folders and temporaries left in ``folder`` by killed runs are removed first
    (:func:`remove_stale`).

    Parameters
    ----------
    folder : path
        The destination (created if needed); staging inside it keeps one file system.
    prefix : str
        Name prefix of the staging folder (hidden).
    shown : path, optional
        Where the staged files end up, to name them in errors (default ``folder``).

    Yields
    ------
    Path

    Raises
    ------
    WriteError
        When the folder cannot be made or a file in it cannot be written (see :func:`writing`);
        the message names the file at its final place.
    """
    folder = Path(folder)
    base = Path(shown) if shown is not None else folder
    staging = folder / f"{prefix}{_unique()}"
    with _folder_made(folder, base):
        remove_stale(folder)
        with writing(base):
            staging.mkdir()  # with the user's usual permissions: it may become a folder of theirs
        try:
            yield staging
        except WriteError as error:
            renamed = _renamed(error, staging, base)
            if renamed is error:
                raise
            raise renamed from error
        except Exception as error:
            found = _os_error_in(error)
            inside = None if found is None else _within(found.filename, staging)
            if found is None or (found.filename is not None and inside is None):
                raise
            _close_abandoned(error)
            raise write_error(base / inside if inside else base, found) from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def move_into(staging: Path, folder: Path, names: Iterable[str]) -> list[Path]:
    """Move finished files from a staging folder into ``folder``: all of them, or none.

    Each file takes one rename, so a reader sees the old file or the new one, never neither. If
    one cannot be moved (a protected file in the way), those already moved are put back as they
    were (when the file system allows hard links; otherwise the new ones stay).

    Parameters
    ----------
    staging : Path
        Where the files were written (:func:`staging_folder`).
    folder : Path
        The destination.
    names : iterable of str
        File names, relative to both folders (sub-folders of ``folder`` are created).

    Returns
    -------
    list of Path
        The files in their place.

    Raises
    ------
    WriteError
        Naming the file that could not be put in place (a folder of that name, no permission…).
    """
    names = list(names)
    for name in names:
        if (folder / name).is_dir() and not (folder / name).is_symlink():
            raise write_error(folder / name, IsADirectoryError(errnos.EISDIR, "", name))
    done: list[tuple[Path, Path | None, bool]] = []
    mark = _unique()
    try:
        for number, name in enumerate(names):
            target = folder / name
            with writing(target):
                target.parent.mkdir(parents=True, exist_ok=True)
                existed, backup = os.path.lexists(target), None
                if existed:
                    backup = staging / f".lama-{mark}-{number}"
                    try:
                        os.link(target, backup)  # the old file stays in place meanwhile
                    except OSError:
                        backup = None
                os.replace(staging / name, target)
            done.append((target, backup, existed))
    except BaseException:
        for target, backup, existed in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                elif not existed:
                    target.unlink()
        raise
    for _, backup, _ in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()
    return [target for target, _, _ in done]


def replace_folder(staging: Path, out: Path) -> None:
    """Put a finished folder in place of ``out`` with renames only (the old one is removed).

    Parameters
    ----------
    staging : Path
        The finished folder, on the same file system as ``out``.
    out : Path
        The folder to replace (need not exist).

    Raises
    ------
    WriteError
        When ``out`` cannot be replaced (no permission, read-only…); ``out`` is as it was.
    """
    with writing(out):
        if not out.exists():
            staging.rename(out)
            return
        old = out.parent / f".{out.name}.lama-{_unique()}"
        out.rename(old)
        try:
            staging.rename(out)
        except OSError:
            old.rename(out)
            raise
    shutil.rmtree(old, ignore_errors=True)


def discard(folder: Path, names: Iterable[str]) -> list[Path]:
    """Remove files an earlier run left in ``folder`` that this run does not write.

    A file of another run beside this run's files would be read as this run's (an old
    ``hasil.xlsx`` beside a new ``hasil.parquet``). Call it before :func:`move_into`, so that an
    interrupted run leaves the old files without it, never the new ones with it.

    Parameters
    ----------
    folder : Path
        The destination folder (need not exist).
    names : iterable of str
        File names relative to ``folder``; those not there are skipped.

    Returns
    -------
    list of Path
        The files removed.

    Raises
    ------
    WriteError
        Naming a file that could not be removed (no permission…).
    """
    removed = []
    for name in names:
        path = folder / name
        if path.is_file() or path.is_symlink():
            with writing(path):
                path.unlink()
            removed.append(path)
    return removed
