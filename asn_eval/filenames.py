"""File names made from data values (an agency code, a period): safe on every file system.

A value from the data can hold anything its source allowed: ``DINSOS/P3A`` would be a folder,
``..`` a way out of the output folder, ``CON`` a device on Windows. :func:`file_stem` turns such a
value into a stem that is one plain file name; when the stem is not the value itself, a short
hash of the value is added, so two values never share a stem (``DINSOS/P3A`` and ``DINSOS_P3A``).
:func:`file_stems` gives each of a set of values its own stem, also where letter case is ignored
(Windows, macOS). The original value is what a reader sees (manifest, index page, report); the stem
only names the file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from asn_eval.errors import UsageError

__all__ = ["MAX_STEM_BYTES", "file_stem", "file_stems"]

MAX_STEM_BYTES = 100
"""Longest stem in UTF-8 bytes, hash included: room for suffixes and temporary names (255)."""

_HASH_CHARS = 8
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{name}{n}" for name in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]


def _clean(value: str) -> str:
    """Keep letters, digits, ``-``, ``_`` and ``.``; write ``_`` for anything else."""
    kept = "".join(
        c if (c.isalnum() or c in "-_.") and c.isprintable() and not c.isspace() else "_"
        for c in unicodedata.normalize("NFC", value)
    )
    # A leading dot hides the file (and "." and ".." are folders); a trailing one is dropped by
    # Windows, so "DLH." would be "DLH" there.
    kept = re.sub(r"^\.|\.$", "_", kept)
    if not kept:
        return "_"
    if kept.split(".")[0].upper() in _WINDOWS_RESERVED:  # "NUL" and "nul.x" alike
        return "_" + kept
    return kept


def _truncate(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` UTF-8 bytes, at a character boundary."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def file_stem(value: object, *, hashed: bool = False) -> str:
    r"""Turn a data value into a file-name stem that is safe on every common file system.

    Letters (any script), digits, ``-``, ``_`` and ``.`` are kept; every other character
    (``/ \ : * ? " < > |``, whitespace, control characters) becomes ``_``. The stem never is
    ``.``, ``..`` or empty, never starts with a dot, never is a name Windows reserves (``CON``,
    ``NUL``, ``COM1`` …) and is at most :data:`MAX_STEM_BYTES` UTF-8 bytes long. When it is not
    the value itself, ``-`` and eight hex digits of the value's SHA-256 are added, so two values
    never share a stem.

    Parameters
    ----------
    value : object
        The value (an agency code, a period …); ``str(value)`` is used.
    hashed : bool, default False
        Add the hash even when the value is safe as it is (to tell apart values that a file
        system would take as one, such as ``DLH`` and ``dlh``).

    Returns
    -------
    str
        The stem; add the suffix (``.html`` …) to it.

    Examples
    --------
    >>> file_stem("DLH")
    'DLH'
    >>> file_stem("DINSOS/P3A")
    'DINSOS_P3A-dc18735d'
    >>> file_stem("DINSOS_P3A")
    'DINSOS_P3A'
    >>> file_stem("..")
    '__-5ec1f7e7'
    """
    text = str(value)
    stem = _clean(text)
    if stem == text and not hashed and len(stem.encode("utf-8")) <= MAX_STEM_BYTES:
        return stem
    tail = "-" + _hash(text)
    head = _truncate(stem, MAX_STEM_BYTES - len(tail))
    return head + tail


def file_stems(values: Iterable[object], *, reserved: Iterable[str] = ()) -> dict[str, str]:
    """Give each value its own safe stem, distinct even where a file system ignores case.

    Each value gets :func:`file_stem`; values whose stems would be the same but for letter case
    (``DLH`` and ``dlh``), or that would take a ``reserved`` name, get the hashed form.

    Parameters
    ----------
    values : iterable
        The values (``str`` of each is used); repeats are given once.
    reserved : iterable of str
        Stems already taken by other files in the same folder (``index``, ``ikhtisar-kota``).

    Returns
    -------
    dict of str to str
        Value → stem, in the order of ``values``.

    Raises
    ------
    UsageError
        In the (practically impossible) case that two values still share a stem.

    Examples
    --------
    >>> file_stems(["DLH", "dlh", "DINKES"])
    {'DLH': 'DLH-de7ecffa', 'dlh': 'dlh-a66f937e', 'DINKES': 'DINKES'}
    """
    texts = list(dict.fromkeys(str(v) for v in values))
    taken = {name.casefold() for name in reserved}
    plain = {text: file_stem(text) for text in texts}
    counts = Counter(stem.casefold() for stem in plain.values())
    stems = {
        text: file_stem(text, hashed=True)
        if counts[stem.casefold()] > 1 or stem.casefold() in taken
        else stem
        for text, stem in plain.items()
    }
    shared = Counter(stem.casefold() for stem in stems.values())
    clashes = [t for t, s in stems.items() if shared[s.casefold()] > 1 or s.casefold() in taken]
    if clashes:
        raise UsageError(f"nilai ini menghasilkan nama berkas yang sama: {', '.join(clashes)}")
    return stems
