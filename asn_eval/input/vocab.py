"""The domain's vocabularies: levels, predikat, core values, codes, and their loose spellings.

Every closed set of labels the workbench knows lives here, once, with its canonical spelling
(as written in ``shared/spec/DATA.md``) and the looser forms Indonesian exports use. Matching is
case-insensitive and ignores spaces, dots, dashes, slashes and underscores, so
``"Di Atas Ekspektasi"``, ``"di atas"`` and ``"DI_ATAS"`` are the same level.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "ARAH",
    "ASPEK",
    "GOLONGAN",
    "JENIS_JABATAN",
    "JENIS_KELAMIN",
    "JENIS_OPD",
    "JENIS_RHK",
    "LEVEL",
    "NILAI_INTI",
    "PERAN_PENILAI",
    "PREDIKAT",
    "PREDIKAT_ORGANISASI",
    "STATUS_AKTIVITAS",
    "STATUS_PEGAWAI",
    "Vocabulary",
    "match_key",
]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def match_key(text: str) -> str:
    """Reduce a label or header to the key used for matching.

    Parameters
    ----------
    text : str
        A label or column header as a user wrote it.

    Returns
    -------
    str
        Lower case, with everything but letters and digits removed.

    Examples
    --------
    >>> match_key("Di_Atas Ekspektasi")
    'diatasekspektasi'
    """
    return _NON_ALNUM.sub("", str(text).lower())


@dataclass(frozen=True)
class Vocabulary:
    """A closed, ordered set of labels with the loose spellings that map to each.

    Parameters
    ----------
    name : str
        Short name used in messages.
    values : tuple of str
        Canonical labels, ordered worst to best where order means something.
    aliases : mapping of str to str
        Extra spellings (any case or punctuation) and the canonical label they stand for.
    ordered : bool
        Whether the order of ``values`` is a ranking.
    """

    name: str
    values: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)
    ordered: bool = False

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {match_key(v): v for v in self.values}
        for alias, canonical in self.aliases.items():
            if canonical not in self.values:
                raise ValueError(f"alias {alias!r} points to unknown {canonical!r}")
            lookup[match_key(alias)] = canonical
        object.__setattr__(self, "_lookup", lookup)

    @property
    def dtype(self) -> pd.CategoricalDtype:
        """The categorical dtype that holds this vocabulary."""
        return pd.CategoricalDtype(list(self.values), ordered=self.ordered)

    def canonical(self, text: object) -> str | None:
        """Return the canonical label for ``text``, or None when it is not in the vocabulary.

        Parameters
        ----------
        text : object
            A label as written by a user.

        Returns
        -------
        str or None
            The canonical label.

        Examples
        --------
        >>> LEVEL.canonical("DI_ATAS")
        'Di Atas Ekspektasi'
        """
        if text is None or (isinstance(text, float) and pd.isna(text)):
            return None
        return self._lookup.get(match_key(str(text)))  # type: ignore[attr-defined]

    def normalise(self, values: Iterable[object]) -> list[str | None]:
        """Map many labels at once; unknown labels become None.

        Parameters
        ----------
        values : iterable
            Labels as written by users.

        Returns
        -------
        list of str or None
            Canonical labels, position by position.
        """
        return [self.canonical(v) for v in values]


def _level_aliases() -> dict[str, str]:
    aliases = {}
    for level in ("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"):
        short = level.removesuffix(" Ekspektasi")
        aliases[short] = level
    aliases.update({"diatas": "Di Atas Ekspektasi", "dibawah": "Di Bawah Ekspektasi"})
    aliases.update({"above": "Di Atas Ekspektasi", "meets": "Sesuai Ekspektasi"})
    aliases.update({"below": "Di Bawah Ekspektasi"})
    return aliases


LEVEL = Vocabulary(
    "tingkat",
    ("Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Di Atas Ekspektasi"),
    _level_aliases(),
    ordered=True,
)
"""Rating levels of hasil kerja and perilaku, worst first."""

PREDIKAT = Vocabulary(
    "predikat",
    ("Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"),
    {"Kurang": "Kurang/Misconduct", "Misconduct": "Kurang/Misconduct"},
    ordered=True,
)
"""Predikat kinerja pegawai (PermenPAN-RB 6/2022), worst first."""

PREDIKAT_ORGANISASI = Vocabulary(
    "predikat organisasi",
    ("Sangat Kurang", "Kurang", "Butuh Perbaikan", "Baik", "Istimewa"),
    ordered=True,
)
"""Predikat kinerja organisasi, worst first."""

NILAI_INTI = Vocabulary(
    "nilai inti BerAKHLAK",
    (
        "Berorientasi Pelayanan",
        "Akuntabel",
        "Kompeten",
        "Harmonis",
        "Loyal",
        "Adaptif",
        "Kolaboratif",
    ),
    {"Pelayanan": "Berorientasi Pelayanan", "Orientasi Pelayanan": "Berorientasi Pelayanan"},
)
"""The seven BerAKHLAK core values, in the acronym's order."""

PERAN_PENILAI = Vocabulary(
    "peran penilai",
    ("diri", "atasan", "rekan", "bawahan"),
    {
        "diri sendiri": "diri",
        "self": "diri",
        "penilaian diri": "diri",
        "atasan langsung": "atasan",
        "pejabat penilai": "atasan",
        "supervisor": "atasan",
        "rekan kerja": "rekan",
        "sejawat": "rekan",
        "peer": "rekan",
        "subordinate": "bawahan",
    },
)
"""Who gave a behaviour rating."""

JENIS_JABATAN = Vocabulary(
    "jenis jabatan",
    ("JPT", "Administrator", "Pengawas", "Fungsional", "Pelaksana"),
    {
        "Jabatan Pimpinan Tinggi": "JPT",
        "Pimpinan Tinggi": "JPT",
        "JPT Pratama": "JPT",
        "Jabatan Administrator": "Administrator",
        "Jabatan Pengawas": "Pengawas",
        "Jabatan Fungsional": "Fungsional",
        "JF": "Fungsional",
        "JFT": "Fungsional",
        "Jabatan Pelaksana": "Pelaksana",
        "JFU": "Pelaksana",
    },
)
"""Position types."""

JENIS_OPD = Vocabulary(
    "jenis OPD",
    ("sekretariat", "dinas", "badan", "inspektorat", "kecamatan", "upt"),
    {"Unit Pelaksana Teknis": "upt", "puskesmas": "upt", "sekolah": "upt"},
)
"""Kinds of agency."""

JENIS_RHK = Vocabulary(
    "jenis RHK", ("utama", "tambahan"), {"main": "utama", "additional": "tambahan"}
)
"""Main or additional planned result."""

ASPEK = Vocabulary("aspek", ("kuantitas", "kualitas", "waktu", "biaya"))
"""Indicator aspects."""

ARAH = Vocabulary(
    "arah",
    ("naik", "turun"),
    {"lebih tinggi lebih baik": "naik", "lebih rendah lebih baik": "turun", "+": "naik"},
)
"""Whether a higher (naik) or lower (turun) realisation is better."""

STATUS_PEGAWAI = Vocabulary("status pegawai", ("PNS", "PPPK"), {"P3K": "PPPK"})
"""Employment status."""

JENIS_KELAMIN = Vocabulary(
    "jenis kelamin",
    ("L", "P"),
    {"Laki-laki": "L", "Laki laki": "L", "Pria": "L", "Perempuan": "P", "Wanita": "P"},
)
"""Recorded sex."""

STATUS_AKTIVITAS = Vocabulary(
    "status aktivitas",
    ("disetujui", "ditolak", "menunggu"),
    {
        "setuju": "disetujui",
        "approved": "disetujui",
        "tolak": "ditolak",
        "rejected": "ditolak",
        "pending": "menunggu",
        "belum diperiksa": "menunggu",
    },
)
"""Approval status of an activity-log entry."""


def _golongan() -> tuple[tuple[str, ...], dict[str, str]]:
    romans = ["I", "II", "III", "IV"]
    letters = {"I": "abcd", "II": "abcd", "III": "abcd", "IV": "abcde"}
    values: list[str] = []
    aliases: dict[str, str] = {}
    for number, roman in enumerate(romans, start=1):
        for letter in letters[roman]:
            label = f"{roman}/{letter}"
            values.append(label)
            aliases[f"{number}{letter}"] = label
    pppk = [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
        "XI",
        "XII",
        "XIII",
        "XIV",
        "XV",
        "XVI",
        "XVII",
    ]
    for number, roman in enumerate(pppk, start=1):
        label = f"PPPK {roman}"
        values.append(label)
        aliases[roman] = label
        aliases[f"PPPK {number}"] = label
    return tuple(values), aliases


GOLONGAN = Vocabulary("golongan", *_golongan())
"""Civil-service ranks (I/a … IV/e) and PPPK grades (PPPK I … PPPK XVII)."""
