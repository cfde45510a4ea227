"""Every exception the package raises on purpose, in one place.

The command line turns each into a message in Bahasa Indonesia and an exit code, never a
traceback: :class:`UsageError` and its kinds, :class:`DataError`, :class:`MissingTableError` and
:class:`StoreError` exit with 2 (the input or the command is wrong), :class:`BatchError` and
:class:`WriteError` with 1 (could not finish). Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asn_eval.input.problems import Problem

__all__ = [
    "AsnEvalError",
    "BatchError",
    "DataError",
    "MissingTableError",
    "PeriodeError",
    "ProfileError",
    "ReadWhole",
    "SchemeError",
    "StoreError",
    "UsageError",
    "WriteError",
]


class AsnEvalError(Exception):
    """Base of every error this package raises on purpose."""


class UsageError(AsnEvalError, ValueError):
    """A request that cannot be carried out as asked; the message says what to change.

    For example a sample size out of range, or an agency code that is not in the data. Messages are
    in Bahasa Indonesia; the command line shows them without a traceback.
    """


class PeriodeError(UsageError):
    """A period that cannot be read, or that the data has nothing for.

    Parameters
    ----------
    message : str
        What was wrong, in Bahasa Indonesia.
    available : sequence of str, optional
        The periods the data can be evaluated for (listed in the message, so the user can pick
        one); None when no dataset is known yet.
    """

    def __init__(self, message: str, available: Sequence[str] | None = None) -> None:
        self.available = None if available is None else [str(p) for p in available]
        if self.available is not None:
            listed = ", ".join(self.available) or "tidak ada"
            message = f"{message}; yang ada: {listed}"
        super().__init__(message)


class SchemeError(UsageError):
    """A scheme file that cannot be used; the message names the file and the key."""


class ProfileError(UsageError):
    """A city profile (``profil.toml``) that cannot be used; each problem names its key."""


class StoreError(AsnEvalError):
    """The decisions store cannot be trusted or read: damaged, tampered with, or not a store.

    The message names the file and says what to do (restore a copy, run
    ``asn-eval decisions verify``). The command line exits with 2.
    """


class ReadWhole(AsnEvalError):
    """A data file that cannot be read in pieces exactly as it is read whole.

    Raised by :mod:`asn_eval.input.pieces` (a workbook, a CSV not in UTF-8, …); the message
    says which file and why, in Bahasa Indonesia. ``convert`` and ``validate --dask`` then read
    the dataset whole, as before. Never an error of the data itself.
    """


class MissingTableError(AsnEvalError, LookupError, AttributeError):
    """Raised when an analysis needs an optional table that the dataset does not have."""


class BatchError(AsnEvalError, RuntimeError):
    """The report batch itself could not run (no kernel would start); no report was judged."""


class WriteError(AsnEvalError, OSError):
    """A file or folder could not be written: disk full, no permission, read-only, in the way.

    Raised by :mod:`asn_eval.atomic` for every file the package writes. The message is one line in
    Bahasa Indonesia that names the file the caller asked for (never a hidden temporary), says why
    and what to do, e.g. ``gagal menulis reports/2025/hasil.xlsx: disk penuh (No space left on
    device). Kosongkan ruang lalu jalankan lagi.`` It is an :class:`OSError`, so code that catches
    those still does; ``errno`` and ``filename`` are the failure's. The command line exits with 1.

    Parameters
    ----------
    message : str
        The whole line.
    errno : int, optional
        The operating system's error number (``errno.ENOSPC`` …).
    filename : str, optional
        The file or folder named in the message.
    """

    def __init__(self, message: str, errno: int | None = None, filename: str | None = None) -> None:
        super().__init__(message)
        self.errno = errno
        self.filename = filename

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[type[WriteError], tuple[str, int | None, str | None]]:
        return (type(self), (str(self.args[0]), self.errno, self.filename))


class DataError(AsnEvalError):
    """Raised when a dataset has errors and cannot be used.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, errors and warnings.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        lines = "\n".join(str(p) for p in errors[:20])
        more = f"\n… dan {len(errors) - 20} galat lain" if len(errors) > 20 else ""
        super().__init__(f"data tidak sah: {len(errors)} galat\n{lines}{more}")
