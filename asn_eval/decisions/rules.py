"""What a decision must hold before it is recorded: the field rules of the decisions store.

Sources: issue 12 of the project (a predikat outside the scheme broke every report of its period;
a decision filed under another agency than the employee's; reasons of ``.`` or an invisible
character accepted) and DOMAIN.md (the predikat of a scheme; the employee's agency is
``pegawai.kode_opd``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from asn_eval.errors import SchemeError, UsageError
from asn_eval.input.periode import parse_periode
from asn_eval.input.vocab import PREDIKAT, match_key
from asn_eval.scoring.scheme import Scheme, load_scheme

__all__ = [
    "MIN_REASON_LETTERS",
    "NO_PREDIKAT",
    "REASON_RULE",
    "Roster",
    "Vocabulary",
    "clean_nip",
    "clean_periode",
    "clean_reason",
    "clean_text",
    "escaped",
    "scheme_key",
    "vocabulary_of",
]

MIN_REASON_LETTERS = 3
"""Letters a reason must hold, punctuation, digits, spaces and invisible characters not counted."""

REASON_RULE = (
    f"paling sedikit {MIN_REASON_LETTERS} huruf (tanda baca, angka, spasi dan karakter tak "
    "terlihat tidak dihitung)"
)
"""The reason rule as said in messages."""

NO_PREDIKAT = "(tidak ada)"
"""What ``sebelum`` holds for an employee the computation gave no predikat."""

_NIP_NOISE = re.compile(r"[\s.\-]")
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _visible(text: str) -> str:
    """Return ``text`` without control, format (zero-width) and unassigned characters."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)


def escaped(value: object) -> str:
    r"""Return text with its invisible characters written out, for a message (``\u200b``).

    Parameters
    ----------
    value : object
        Text from a file or a form.

    Returns
    -------
    str
        The text, control and format characters shown as ``\uXXXX``.

    Examples
    --------
    >>> escaped("ok\u200b")
    'ok\\u200b'
    """
    return "".join(ch if _visible(ch) else f"\\u{ord(ch):04x}" for ch in str(value))


def clean_text(value: object, what: str) -> str:
    """Return ``value`` stripped, or raise when nothing visible is left.

    Parameters
    ----------
    value : object
        A field as given.
    what : str
        Its name in the message.

    Returns
    -------
    str
        The text, without surrounding spaces and invisible characters.

    Raises
    ------
    UsageError
        When it is missing, blank or invisible only (a zero-width space).
    """
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    if not _visible(text).strip():
        raise UsageError(f"{what} wajib diisi")
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or not _visible(text[start])):
        start += 1
    while end > start and (text[end - 1].isspace() or not _visible(text[end - 1])):
        end -= 1
    return text[start:end]


def clean_reason(value: object, what: str = "alasan") -> str:
    """Return a reason that says something: at least :data:`MIN_REASON_LETTERS` letters.

    Parameters
    ----------
    value : object
        The reason as typed.
    what : str, default "alasan"
        Its name in the message.

    Returns
    -------
    str
        The reason stripped.

    Raises
    ------
    UsageError
        When it has fewer letters (``.``, ``-``, ``123``, a zero-width space); the message says
        the rule.

    Examples
    --------
    >>> clean_reason("  capaian 140 % ")
    'capaian 140 %'
    """
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    letters = sum(ch.isalpha() for ch in unicodedata.normalize("NFKC", _visible(text)))
    if letters < MIN_REASON_LETTERS:
        raise UsageError(f"{what} wajib diisi dengan {REASON_RULE}")
    return clean_text(text, what)


def scheme_key(value: Scheme | str) -> str:
    """Return what the ``skema`` column holds: a scheme's content key, or a name as given."""
    return value.key if isinstance(value, Scheme) else clean_text(value, "skema")


def clean_nip(value: object) -> str:
    """Return a NIP as 18 bare digits, or raise :class:`UsageError`."""
    nip = _NIP_NOISE.sub("", clean_text(value, "NIP"))
    if len(nip) != 18 or not nip.isdigit():
        raise UsageError(f"NIP harus 18 angka ({value})")
    return nip


def clean_periode(value: object) -> str:
    """Return a period in canonical form, or raise :class:`UsageError`."""
    periode = parse_periode(value)
    if periode is None:
        raise UsageError(f"periode tidak dikenal: {value}")
    return periode


@dataclass(frozen=True)
class Vocabulary:
    """The predikat a scheme gives, and how loose spellings map to them.

    Attributes
    ----------
    nama : str
        The scheme's name, for messages.
    labels : tuple of str
        Its predikat, best first.
    """

    nama: str
    labels: tuple[str, ...]

    def canonical(self, value: object, what: str) -> str:
        """Return the scheme's spelling of a predikat (``sangat baik`` → ``Sangat Baik``).

        Parameters
        ----------
        value : object
            The predikat as written.
        what : str
            The field's name in messages.

        Returns
        -------
        str

        Raises
        ------
        UsageError
            When the scheme has no such predikat; the message lists those it has.
        """
        text = clean_text(value, what)
        lookup = {match_key(label): label for label in self.labels}
        for alias, label in PREDIKAT.aliases.items():  # "Kurang" for "Kurang/Misconduct"
            if label in self.labels:
                lookup.setdefault(match_key(alias), label)
        found = lookup.get(match_key(text))
        if found is None:
            raise UsageError(
                f"{what} {text!r} tidak ada di skema {self.nama}; yang sah: "
                f"{', '.join(self.labels)}"
            )
        return found


def vocabulary_of(skema: Scheme | str) -> Vocabulary:
    """Return the predikat vocabulary of a scheme, or of a shipped scheme named ``skema``.

    Parameters
    ----------
    skema : Scheme or str
        A loaded scheme, or the name (or content key ``nama@…``) of a shipped one.

    Returns
    -------
    Vocabulary

    Raises
    ------
    UsageError
        When ``skema`` names no shipped scheme (pass the loaded :class:`Scheme` instead).
    """
    if isinstance(skema, Scheme):
        return Vocabulary(skema.nama, tuple(skema.labels))
    return _shipped_vocabulary(clean_text(skema, "skema").split("@")[0])


@functools.lru_cache(maxsize=32)
def _shipped_vocabulary(name: str) -> Vocabulary:
    """Return the vocabulary of a shipped scheme (read once per name)."""
    try:
        skema = load_scheme(name)
    except SchemeError:
        raise UsageError(
            f"skema {name!r} bukan skema bawaan: predikatnya tidak diketahui (berikan skema "
            "yang sudah dimuat)"
        ) from None
    return Vocabulary(skema.nama, tuple(skema.labels))


class Roster:
    """Each employee's agency, to check that a decision is filed under the employee's OPD.

    Parameters
    ----------
    pegawai : DataFrame, Dataset or mapping
        ``pegawai`` with columns ``nip`` and ``kode_opd``, a dataset (its ``pegawai``), or a
        mapping NIP → kode OPD.
    """

    def __init__(self, pegawai: object) -> None:
        if isinstance(pegawai, Mapping):
            pairs = dict(pegawai)
        else:
            frame = getattr(pegawai, "pegawai", pegawai)
            if not isinstance(frame, pd.DataFrame) or not {"nip", "kode_opd"} <= set(frame):
                raise UsageError("daftar pegawai harus tabel dengan kolom nip dan kode_opd")
            pairs = dict(
                zip(frame["nip"].astype("str"), frame["kode_opd"].astype("str"), strict=True)
            )
        self._agency = {str(k): str(v) for k, v in pairs.items()}

    def __len__(self) -> int:
        return len(self._agency)

    def agency(self, nip: str) -> str | None:
        """Return the employee's kode OPD, or None when the NIP is not in ``pegawai``."""
        return self._agency.get(nip)

    def check(self, nip: str, kode_opd: str) -> None:
        """Refuse a NIP outside ``pegawai``, or an agency that is not the employee's.

        Parameters
        ----------
        nip : str
            18 digits.
        kode_opd : str
            The agency the decision is filed under.

        Raises
        ------
        UsageError
            Naming the NIP and, for a wrong agency, the employee's own.
        """
        actual = self.agency(nip)
        if actual is None:
            raise UsageError(f"NIP {nip} tidak ada di tabel pegawai")
        if actual != kode_opd:
            raise UsageError(
                f"kode OPD {kode_opd} bukan OPD pegawai {nip} (menurut tabel pegawai: {actual})"
            )
