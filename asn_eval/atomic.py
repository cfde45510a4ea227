"""Writing files so that a reader never sees half of one: write aside, then rename into place.

Every file and folder the package writes goes through here. A file is written to a temporary
name in its own folder and renamed over the target with :func:`os.replace` (atomic on one file
system); a set of files is written into a staging folder and moved in only once all are complete;
a whole folder is swapped in with renames. A failure leaves the destination as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["atomic_path", "move_into", "replace_folder", "staging_folder", "write_text"]


def _unique() -> str:
    """Return a name part no other writer (process or thread) can be using now."""
    return f"{os.getpid()}-{threading.get_ident()}-{secrets.token_hex(4)}"


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

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "a.txt") as partial:
    ...     _ = partial.write_text("halo")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt']
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A fresh name, not a file made by mkstemp: the writer creates it with the user's usual
    # permissions (umask), so a replaced file is as readable as any other the user writes.
    partial = target.with_name(f".{target.stem}.{_unique()}.tmp{target.suffix}")
    try:
        yield partial
        os.replace(partial, target)
    finally:
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
    """
    with atomic_path(target) as partial:
        partial.write_text(text, encoding="utf-8")
    return Path(target)


@contextlib.contextmanager
def staging_folder(folder: str | os.PathLike[str], prefix: str = ".sementara-") -> Iterator[Path]:
    """Yield an empty staging folder inside ``folder``, removed afterwards whatever happens.

    Write a set of files there, then :func:`move_into` ``folder`` once all are complete.

    Parameters
    ----------
    folder : path
        The destination (created if needed); staging inside it keeps one file system.
    prefix : str
        Name prefix of the staging folder (hidden).

    Yields
    ------
    Path
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f"{prefix}{_unique()}"
    staging.mkdir()  # with the user's usual permissions: it may become a folder of theirs
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def move_into(staging: Path, folder: Path, names: Iterable[str]) -> list[Path]:
    """Move finished files from a staging folder into ``folder``, each with one rename.

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
    """
    moved = []
    for name in names:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, target)
        moved.append(target)
    return moved


def replace_folder(staging: Path, out: Path) -> None:
    """Put a finished folder in place of ``out`` with renames only (the old one is removed).

    Parameters
    ----------
    staging : Path
        The finished folder, on the same file system as ``out``.
    out : Path
        The folder to replace (need not exist).
    """
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
