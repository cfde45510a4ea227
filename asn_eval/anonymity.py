"""Pseudonyms for employees, so reports and slides can be shown without names or NIPs.

A pseudonym is derived from the NIP with a keyed hash (HMAC-SHA256): the same key gives the same
pseudonym in every report of a batch, and without the key nobody can go from the pseudonym back
to a NIP by trying the (small, structured) space of NIPs.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

import pandas as pd

__all__ = ["Pseudonyms", "new_key"]


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
