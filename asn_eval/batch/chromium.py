"""The Chromium that prints PDFs: where it is, how it is started, what it may load.

Kept apart from :mod:`asn_eval.batch.publish` (which loads nbconvert, a few seconds) so a job
that only prints, such as the employee sheets (:mod:`asn_eval.batch.sheets`), starts at once.
"""

from __future__ import annotations

import os
import shutil

from asn_eval.errors import UsageError

__all__ = ["CHROMIUM_ARGS", "CHROMIUM_ENV", "LOCAL_SCHEMES", "find_chromium", "require_chromium"]

CHROMIUM_ENV = "ASN_EVAL_CHROMIUM"
"""Environment variable naming the Chromium program (a path or a name on the ``PATH``)."""

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""How every browser of the package is started: headless, nothing fetched in the background."""

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
"""What a printed page may load; any other request is aborted."""


def find_chromium() -> str | None:
    """Return the Chromium program to print with, or None when there is none.

    ``$ASN_EVAL_CHROMIUM`` (a path or a program name) wins; otherwise ``chromium`` on the
    ``PATH`` (Debian's ``/usr/bin/chromium``).

    Returns
    -------
    str or None
        The program's path.
    """
    override = os.environ.get(CHROMIUM_ENV)
    return shutil.which(override) if override else shutil.which("chromium")


def require_chromium(chromium: str | None = None) -> str:
    """Return the Chromium program's path, or say how to install it.

    Parameters
    ----------
    chromium : str, optional
        A program given by the caller; by default :func:`find_chromium`.

    Returns
    -------
    str

    Raises
    ------
    UsageError
        When no Chromium can be run (exit 2, before any work).
    """
    program = chromium or find_chromium()
    if program is None or shutil.which(program) is None:
        where = os.environ.get(CHROMIUM_ENV) or chromium
        shown = f" ({where} tidak bisa dijalankan)" if where else ""
        raise UsageError(
            f"Chromium untuk mencetak PDF tidak ditemukan{shown}. Pasang dengan "
            f"`sudo apt-get install chromium`, atau tunjuk programnya dengan {CHROMIUM_ENV}."
        )
    return str(shutil.which(program))
