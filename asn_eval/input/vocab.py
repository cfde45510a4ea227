"""The domain's vocabularies: levels, predikat, core values, codes, and their loose spellings.

Every closed set of labels the workbench knows lives here, once, with its canonical spelling
(as written in ``shared/spec/DATA.md``) and the looser forms Indonesian exports use. Matching is
case-insensitive and ignores spaces, dots, dashes, slashes and underscores, so
``"Di Atas Ekspektasi"``, ``"di atas"`` and ``"DI_ATAS"`` are the same level.

Two sets are also written with words around their codes: a golongan with its pangkat
(``Penata Tk.I (III/d)``, read by :func:`golongan_of`, which :data:`GOLONGAN` uses) and an IKM
answer with the questionnaire's words (``c. Sesuai``, read by :func:`ikm_answers`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "ARAH",
    "ASPEK",
    "GOLONGAN",
    "IKM_ANSWERS",
    "JENIS_JABATAN",
    "JENIS_KELAMIN",
    "JENIS_OPD",
    "JENIS_RHK",
    "LEVEL",
    "NILAI_INTI",
    "PANGKAT",
    "PERAN_PENILAI",
    "PREDIKAT",
    "PREDIKAT_ORGANISASI",
    "STATUS_AKTIVITAS",
    "STATUS_PEGAWAI",
    "Vocabulary",
    "code_lookup",
    "golongan_of",
    "ikm_answers",
    "match_key",
    "meant_by",
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


def code_lookup(entries: list[tuple[str, str, str | None, str]]) -> dict[str, tuple[str, ...]]:
    """How codes may be written, to the codes they may mean (read with :func:`meant_by`).

    A code written exactly as in its table means that code; a code or name written loosely
    (other case, spaces or punctuation: ``dinsos p3a``, ``Dinas Sosial``, ``kab mkm``) means
    every code whose code or name has that :func:`match_key`: one, or several (ambiguous).

    Parameters
    ----------
    entries : list of (scope, code, name, meant)
        Each code of a table: the scope it is unique in (``""``, or an instansi code and a
        separator), the code as written there, its name (None: none), and what it means.

    Returns
    -------
    dict
        Lookup key to the codes meant, sorted.

    Examples
    --------
    >>> lookup = code_lookup([("", "KAB-MKM", None, "KAB-MKM"), ("", "KAB_MKM", None, "KAB_MKM")])
    >>> meant_by("KAB-MKM", lookup), meant_by("kab mkm", lookup), meant_by("x", lookup)
    (('KAB-MKM',), ('KAB-MKM', 'KAB_MKM'), ())
    """
    loose: dict[str, set[str]] = {}
    for scope, code, name, meant in entries:
        for form in (name, code):
            if isinstance(form, str) and match_key(form):
                loose.setdefault("~" + scope + match_key(form), set()).add(meant)
    out = {key: tuple(sorted(found)) for key, found in loose.items()}
    out.update({"=" + scope + code.strip(): (meant,) for scope, code, _, meant in entries})
    return out


def meant_by(written: str, lookup: dict[str, tuple[str, ...]], scope: str = "") -> tuple[str, ...]:
    """Return the codes a value written within ``scope`` may mean (see :func:`code_lookup`).

    Parameters
    ----------
    written : str
        A code or name as written (spaces around it do not count).
    lookup : dict
        From :func:`code_lookup`.
    scope : str, default ""
        The scope it is written in.

    Returns
    -------
    tuple of str
        Empty when nothing matches, one code, or several when the loose form is ambiguous.
    """
    text = written.strip()
    if not text:
        return ()
    return lookup.get("=" + scope + text) or lookup.get("~" + scope + match_key(text), ())


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
    reader : callable, optional
        Reads the longer forms no spelling covers (e.g. a golongan with its pangkat): called with
        the text when no spelling matches, returns a canonical label or None.
    """

    name: str
    values: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)
    ordered: bool = False
    reader: Callable[[str], str | None] | None = None

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
        found = self._lookup.get(match_key(str(text)))  # type: ignore[attr-defined]
        if found is None and self.reader is not None:
            found = self.reader(str(text))
        return found

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


_CODES = Vocabulary("golongan", *_golongan())  # the codes alone, without pangkat names

PANGKAT: Mapping[str, str] = {
    "Juru Muda": "I/a",
    "Juru Muda Tingkat I": "I/b",
    "Juru": "I/c",
    "Juru Tingkat I": "I/d",
    "Pengatur Muda": "II/a",
    "Pengatur Muda Tingkat I": "II/b",
    "Pengatur": "II/c",
    "Pengatur Tingkat I": "II/d",
    "Penata Muda": "III/a",
    "Penata Muda Tingkat I": "III/b",
    "Penata": "III/c",
    "Penata Tingkat I": "III/d",
    "Pembina": "IV/a",
    "Pembina Tingkat I": "IV/b",
    "Pembina Utama Muda": "IV/c",
    "Pembina Utama Madya": "IV/d",
    "Pembina Utama": "IV/e",
}
"""Pangkat of each PNS golongan ruang (PP 99/2000, susunan pangkat dan golongan ruang PNS)."""

_TINGKAT = re.compile(r"\bt(?:k|ingkat)\b\.?\s*(?:i|1)\b", re.IGNORECASE)
_PANGKAT_KEYS = {match_key(_TINGKAT.sub("tingkat i", p)): g for p, g in PANGKAT.items()}
# A code inside a longer text needs its slash: III/d, iii / D, 3/d.
_CODE_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])(IV|III|II|I|[1-4])\s*/\s*([a-e])(?![A-Za-z])", re.I)
_PARTS = re.compile(r"\s*[,;()\[\]]\s*|\s+[-–—]\s+")
_TRIM = " ,;:()[]-–—"


def _pangkat(text: str) -> str | None:
    """Return the golongan of a pangkat name (``Penata Tk.I`` → ``III/d``), or None."""
    return _PANGKAT_KEYS.get(match_key(_TINGKAT.sub("tingkat i", text)))


_GOLONGAN_WORD = re.compile(r"(?i)\b(?:golongan|gol)\b\.?(?:\s*/?\s*ruang\b)?")


def golongan_of(text: object) -> str | None:
    """Return the golongan of a cell as SIMPEG writes it: a code, a pangkat, or both.

    Read: the code alone in any spelling the vocabulary knows (``III/d``, ``III / d``, ``3d``,
    ``IIId``, ``PPPK IX``); the pangkat name alone (``Penata Tk.I``, with ``Tk.I``, ``Tk. I``,
    ``TK I`` and ``Tingkat I`` the same); the pangkat with the code before or after it,
    separated by a comma, a dash or in brackets (``Pembina Utama Muda, IV/c``,
    ``Penata Tk.I (III/d)``, ``III/d - Penata Tk.I``). Pangkat names are those of
    PP 99/2000 (:data:`PANGKAT`).

    Strict about meaning: a pangkat and a code that disagree (``Penata, III/d``; Penata is
    III/c) give None, as does any text besides them.

    Parameters
    ----------
    text : object
        The cell.

    Returns
    -------
    str or None
        A canonical golongan (``"III/d"``, ``"PPPK IX"``); None when the cell is not one.

    Examples
    --------
    >>> golongan_of("Penata Tk.I (III/d)"), golongan_of("Pembina Utama Muda, IV/c")
    ('III/d', 'IV/c')
    >>> golongan_of("Penata Muda Tingkat I"), golongan_of("Penata, III/d")
    ('III/b', None)
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    text = _GOLONGAN_WORD.sub(" ", str(text)).strip()  # "Gol. III/a", "PPPK Golongan IX"
    found = _CODES.canonical(text) or _pangkat(text)
    if found is not None:
        return found
    codes = list(_CODE_IN_TEXT.finditer(text))
    if len(codes) == 1:
        code = _CODES.canonical(codes[0].group(1) + codes[0].group(2))
        rest = (text[: codes[0].start()] + " " + text[codes[0].end() :]).strip(_TRIM)
        return code if not rest or _pangkat(rest) == code else None
    parts = [p for p in _PARTS.split(text) if p.strip(_TRIM)]
    if len(parts) != 2:  # "Penata, IIId", "IIId - Penata"
        return None
    readings = [(_CODES.canonical(p), _pangkat(p)) for p in parts]
    for (code, _), (_, pangkat) in (readings, readings[::-1]):
        if code is not None and pangkat is not None:
            return code if code == pangkat else None
    return None


GOLONGAN = Vocabulary("golongan", *_golongan(), reader=golongan_of)
"""Civil-service ranks (I/a … IV/e) and PPPK grades (PPPK I … PPPK XVII).

Besides the codes' spellings, a cell with the pangkat is read by :func:`golongan_of`.
"""

IKM_ANSWERS: Mapping[int, tuple[str, str, str, str]] = {
    1: ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    2: ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    3: ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    4: ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    5: ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    6: ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    7: (
        "Tidak sopan dan ramah",
        "Kurang sopan dan ramah",
        "Sopan dan ramah",
        "Sangat sopan dan ramah",
    ),
    8: (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    ),
    9: ("Buruk", "Cukup", "Baik", "Sangat baik"),
}
"""Answer words a–d (1–4) of each IKM element U1 … U9, worst first (PermenPAN-RB 14/2017)."""

_ANSWER_KEYS = {
    element: {match_key(word): score for score, word in enumerate(words, start=1)}
    for element, words in IKM_ANSWERS.items()
}


def _shared_scale() -> dict[str, int]:
    """Answer words with the same score in every element that uses them (``Sesuai`` is 3)."""
    scores: dict[str, set[int]] = {}
    for keys in _ANSWER_KEYS.values():
        for key, score in keys.items():
            scores.setdefault(key, set()).add(score)
    return {key: next(iter(found)) for key, found in scores.items() if len(found) == 1}


_SHARED_KEYS = _shared_scale()
"""Many forms print one scale (Tidak sesuai … Sangat sesuai) under every element."""
# "c", "c.", "c)", "(c)", "3", "3 -", "3 (Sesuai)", then the words, if any.
_ANSWER = re.compile(
    r"^\s*(?:\(\s*(?P<wrapped>[1-4a-d])\s*\)|(?P<mark>[1-4a-d])(?=[\s.):\-–]|$)[.):\-–]?)?"
    r"\s*[.):\-–]?\s*(?P<words>.*?)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_LETTERS = {"a": 1, "b": 2, "c": 3, "d": 4}


def _answer(value: object, words: Mapping[str, int]) -> int | None:
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        return int(number) if number in (1.0, 2.0, 3.0, 4.0) else None
    if not isinstance(value, str):
        return None
    if re.fullmatch(r"\s*[1-4](?:[.,]0+)?\s*", value):
        return int(value.strip()[0])
    match = _ANSWER.match(value)
    if match is None:
        return None
    mark = (match.group("wrapped") or match.group("mark") or "").lower()
    given = _LETTERS.get(mark) or (int(mark) if mark else None)
    key = match_key(match.group("words").replace("&", " dan "))
    said = words.get(key, _SHARED_KEYS.get(key))
    if key and said is None:
        return None  # words that are not this element's answers
    if given is not None and said is not None and given != said:
        return None  # "c. Sangat sesuai": the letter and the words disagree
    return given if given is not None else said


def ikm_answers(values: Sequence[object], element: int) -> list[int | None]:
    """Read the answers to one IKM element as the questionnaire records them.

    Read: the score ``1``–``4`` (``3``, ``3.0``, ``"3"``); the option letter ``a``–``d`` (any
    case, ``c``, ``c.``, ``c)``, ``(c)``); the option's words alone (``Sangat sesuai``); letter
    or score with the words (``c. Sesuai``, ``d. Gratis``, ``3 - Sesuai``, ``3 (Sesuai)``).
    Option a is 1, d is 4. The words of each element are those of the questionnaire of
    PermenPAN-RB 14/2017 (:data:`IKM_ANSWERS`), matched without regard to case or punctuation
    (``&`` is ``dan``). Many forms print one scale under every element (``c. Sesuai`` under
    U2), so another element's words are read too, with the score they have wherever they
    appear.

    Strict about meaning: a letter or score and words that disagree (``c. Sangat sesuai``,
    ``b. Baik``), words that are no element's answer, and anything else give None.

    Parameters
    ----------
    values : sequence
        The answers as written, typically a column's unique values; length n.
    element : int
        The element, 1–9 (U1 Persyaratan … U9 Sarana dan Prasarana).

    Returns
    -------
    list of int or None
        Scores 1–4, position by position (length n); None where unreadable.

    Raises
    ------
    ValueError
        When ``element`` is not 1–9.

    Examples
    --------
    >>> ikm_answers([3, "c", "(d)", "c. Sesuai", "Sangat sesuai", "3 - Sesuai"], 1)
    [3, 3, 4, 3, 4, 3]
    >>> ikm_answers(["d. Gratis", "c. Sangat sesuai", "e", 5], 4)
    [4, None, None, None]
    """
    if element not in _ANSWER_KEYS:
        raise ValueError(f"unsur IKM harus 1–9, bukan {element!r}")
    words = _ANSWER_KEYS[element]
    return [_answer(v, words) for v in values]
