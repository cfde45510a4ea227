"""Pseudonyms for employees, so reports, slides and the app can be shown without names or NIPs.

A pseudonym is derived from the NIP with a keyed hash (HMAC-SHA256): the same key gives the same
pseudonym in every report of a batch, and without the key nobody can go from the pseudonym back
to a NIP by trying the (small, structured) space of NIPs.

Tables are pseudonymised by their columns (an employee's ``nip``/``nama``, a rater's
``nip_penilai``, a supervisor's ``nip_atasan``, …). Text that people wrote (a forum's reasons,
raters' feedback, a recorder's name) can still name someone, so :meth:`Masking.text` replaces any
NIP of the city (``199001012015031001`` or ``19900101 201503 1 001``) by its code and any
employee's name (with or without titles) by the pseudonym name: the review app's presentation
mode passes everything it shows through it, and an employee's sheet passes its free text through
it keeping only its own employee (:mod:`asn_eval.reporting.employee`). On a page
(:meth:`Masking.markup`) a pseudonym code is also kept on one line: ``P-3JP6QR`` would otherwise
break after its hyphen in a narrow column or a sentence.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import re
import secrets
from collections.abc import Iterable

import pandas as pd

__all__ = ["CODE_CLASS", "NAME_HIDDEN", "PAIRS", "Masking", "Pseudonyms", "new_key"]


def new_key() -> str:
    """Return a fresh random key (hex) for one batch of pseudonyms.

    Returns
    -------
    str
        64 hex digits.
    """
    return secrets.token_hex(32)


class Pseudonyms:
    """Stable pseudonyms for NIPs under one key.

    Parameters
    ----------
    key : str
        The batch key (:func:`new_key`).

    Examples
    --------
    >>> p = Pseudonyms("00" * 32)
    >>> p.code("199001012015031001") == p.code("199001012015031001")
    True
    >>> p.name("199001012015031001").startswith("Pegawai ")
    True
    """

    def __init__(self, key: str) -> None:
        self._key = bytes.fromhex(key)
        self._memo: dict[str, str] = {}

    def code(self, nip: str) -> str:
        """Return the pseudonym code of one NIP, e.g. ``P-7K3QX2``.

        Parameters
        ----------
        nip : str
            The NIP.

        Returns
        -------
        str
            ``P-`` and six letters or digits (no 0/O or 1/I, to read aloud in a forum).
        """
        nip = str(nip)
        found = self._memo.get(nip)
        if found is None:
            digest = hmac.new(self._key, nip.encode(), hashlib.sha256).digest()
            alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
            number = int.from_bytes(digest[:8], "big")
            letters = []
            for _ in range(6):
                number, rest = divmod(number, len(alphabet))
                letters.append(alphabet[rest])
            found = "P-" + "".join(letters)
            self._memo[nip] = found
        return found

    def name(self, nip: str) -> str:
        """Return the display name used instead of an employee's name.

        Parameters
        ----------
        nip : str
            The NIP.

        Returns
        -------
        str
            ``Pegawai`` and the pseudonym code without its prefix.
        """
        return "Pegawai " + self.code(nip)[2:]

    def frame(self, frame: pd.DataFrame, pairs: Iterable[tuple[str, str]]) -> pd.DataFrame:
        """Replace NIP and name columns of a frame by pseudonyms.

        Parameters
        ----------
        frame : DataFrame
            Any table.
        pairs : iterable of (str, str)
            ``(nip_column, name_column)`` pairs; a name column may be absent from the frame.

        Returns
        -------
        DataFrame
            A copy with each NIP column replaced by codes and each name column by display names.
        """
        out = frame.copy()
        for nip_column, name_column in pairs:
            if nip_column not in out:
                continue
            nips = out[nip_column].astype("str")
            unique = nips.dropna().unique()
            if name_column in out:
                out[name_column] = nips.map({nip: self.name(nip) for nip in unique})
            out[nip_column] = nips.map({nip: self.code(nip) for nip in unique})
        return out


PAIRS = (
    ("nip", "nama"),
    ("nip_penilai", "nama_penilai"),
    ("nip_atasan", "nama_atasan"),
    ("nip_penyetuju", "nama_penyetuju"),
)
"""``(nip column, name column)`` pairs a table may hold; each NIP column becomes codes and its
name column pseudonym names."""

NAME_HIDDEN = "(nama disamarkan)"
"""Written for a name shared by several employees (it cannot be given one pseudonym)."""

CODE_CLASS = "asn-kode"
"""Class of the ``span`` around a pseudonym code on the page (styled ``white-space: nowrap``)."""

# 18 digits, or written in groups: 19900101 201503 1 001 (date of birth, appointment, sex, serial).
_NIP = re.compile(r"(?<!\d)(\d{8})[ .]?(\d{6})[ .]?(\d)[ .]?(\d{3})(?!\d)")
_WORD = re.compile(r"[^\s<>\"'=&;,()]+")
# A pseudonym code as asn_eval.anonymity writes it, and the tags of an HTML text.
_CODE = re.compile(r"(?<![\w-])P-[2-9A-HJ-NP-Z]{6}(?![\w-])")
_TAG = re.compile(r"(<[^>]*>)")


class Masking:
    """Replace the city's NIPs and names by the session's pseudonyms, in tables and in text.

    Parameters
    ----------
    pseudonyms : Pseudonyms
        The session's pseudonyms (:meth:`asn_eval.reporting.results.CityResults.pseudonyms`).
    pegawai : DataFrame
        The ``pegawai`` table (``nip``, ``nama``): whose NIPs and names are hidden.

    Examples
    --------
    >>> people = pd.DataFrame({"nip": ["199001012015031001"], "nama": ["Sari Dewi, S.E."]})
    >>> masking = Masking(Pseudonyms("00" * 32), people)
    >>> shown = masking.text("Sari Dewi (19900101 201503 1 001) setuju")
    >>> "Sari" in shown or "1990" in shown
    False
    """

    def __init__(self, pseudonyms: Pseudonyms, pegawai: pd.DataFrame) -> None:
        self._pseudonyms = pseudonyms
        nips = pegawai["nip"].astype("str").tolist()
        names = pegawai["nama"].astype("str").tolist()
        self._nips = set(nips)
        owners: dict[str, set[str]] = {}
        for nip, name in zip(nips, names, strict=True):
            for form in _forms(name):
                owners.setdefault(form, set()).add(nip)
        # Names by their first word, longest first: a text is read word by word, not name by name.
        self._names: dict[str, list[tuple[str, str]]] = {}
        for form in sorted(owners, key=len, reverse=True):
            found = owners[form]
            shown = pseudonyms.name(next(iter(found))) if len(found) == 1 else NAME_HIDDEN
            first = _WORD.match(form)
            if first is not None:
                self._names.setdefault(first.group(0), []).append((form, shown, found))

    def code(self, nip: object) -> str:
        """Return the pseudonym code shown for a NIP (``P-7K3QX2``)."""
        return self._pseudonyms.code(str(nip))

    def name(self, nip: object) -> str:
        """Return the pseudonym name shown for a NIP (``Pegawai 7K3QX2``)."""
        return self._pseudonyms.name(str(nip))

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of a table with every NIP and name pseudonymised.

        The columns of :data:`PAIRS` are replaced through the NIP (a name column without its NIP
        column is hidden by :meth:`text`); every other text column goes through :meth:`text`.

        Parameters
        ----------
        frame : DataFrame
            Any table.

        Returns
        -------
        DataFrame
            Same shape and columns.
        """
        out = self._pseudonyms.frame(frame, PAIRS)
        replaced = {c for pair in PAIRS if pair[0] in frame for c in pair}
        for column in out.columns:
            if column in replaced:
                continue
            values = out[column]
            if pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values):
                out[column] = values.map(lambda v: self.text(v) if isinstance(v, str) else v)
        return out

    def text(self, value: str, keep: str | None = None) -> str:
        """Replace every NIP and name of the city in a text (plain or HTML) by a pseudonym.

        Parameters
        ----------
        value : str
            Any text; names are recognised as written and as HTML writes them (``&#x27;``).
        keep : str, optional
            A NIP whose own NIP and name stay as written (an employee's sheet names its
            employee, and nobody else).

        Returns
        -------
        str
            A NIP (18 digits, or grouped ``8 6 1 3``) becomes its code; a full name (with or
            without its titles) becomes the pseudonym name, or :data:`NAME_HIDDEN` when several
            employees share it.
        """

        def nip(match: re.Match[str]) -> str:
            digits = "".join(match.groups())
            if digits not in self._nips or digits == keep:
                return match.group(0)
            return self.code(digits)

        value = _NIP.sub(nip, value)
        parts: list[str] = []
        done = 0
        for word in _WORD.finditer(value):
            start = word.start()
            if start < done:
                continue
            for form, shown, owners in self._names.get(word.group(0), ()):
                end = start + len(form)
                if value.startswith(form, start) and not _continues(value, end):
                    if owners != {keep}:  # a name shared with the kept one is hidden too
                        parts += [value[done:start], shown]
                    else:
                        parts.append(value[done:start] + form)
                    done = end
                    break
        parts.append(value[done:])
        return "".join(parts)

    def markup(self, value: str) -> str:
        """Return HTML as :meth:`text` does, with every pseudonym code kept on one line.

        Parameters
        ----------
        value : str
            HTML whose text its maker escaped.

        Returns
        -------
        str
            Each code in the text (never inside a tag) is wrapped in
            ``<span class='asn-kode'>`` (:data:`CODE_CLASS`); its text is unchanged, so it is
            copied and found as written.

        Examples
        --------
        >>> people = pd.DataFrame({"nip": ["199001012015031001"], "nama": ["Sari Dewi"]})
        >>> masking = Masking(Pseudonyms("00" * 32), people)
        >>> code = masking.code("199001012015031001")
        >>> masking.markup("<td>199001012015031001</td>") == (
        ...     f"<td><span class='asn-kode'>{code}</span></td>"
        ... )
        True
        >>> masking.markup(masking.markup(f"<p>{code}</p>")) == masking.markup(f"<p>{code}</p>")
        True
        """
        opening = f"<span class='{CODE_CLASS}'>"
        parts = _TAG.split(self.text(value))
        for i in range(0, len(parts), 2):  # the text between tags, once (shown again: unchanged)
            if i == 0 or parts[i - 1] != opening:
                parts[i] = _CODE.sub(rf"{opening}\g<0></span>", parts[i])
        return "".join(parts)


def _forms(name: str) -> list[str]:
    """List the ways a name appears: as written, without titles, both as HTML escapes them."""
    name = " ".join(name.split())
    bare = name.split(",")[0].strip()
    forms = {name, bare} if bare else {name}
    forms |= {html.escape(f) for f in forms}
    return [f for f in forms if f]


def _continues(text: str, end: int) -> bool:
    """Whether the word at ``end`` goes on (``Sari`` inside ``Sariwangi`` is not a name)."""
    return end < len(text) and (text[end].isalnum() or text[end] == "_")
