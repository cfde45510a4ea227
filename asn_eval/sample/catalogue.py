"""The sample's catalogues: domain texts and templates, read from the data files in ``catalogue/``.

=========================== ======================================================================
``opd.toml``                the city template: OPD, units and posts, Kecamatan, Puskesmas, schools
``jabatan.toml``            jenjang of functional posts, pelaksana titles
``jabatan_fungsional.csv``  functional posts: skilled-track share, health staff or not
``rhk.toml``                SKP templates: RHK and their indicators, by family of posts
``aktivitas.toml``          daily activities, by family of posts
``umpan_balik.toml``        supervisors' feedback texts
``nama.toml``               personal names and academic titles
``tempat.toml``             names of cities, kecamatan and places
``ekinerja.toml``           the longer label forms e-Kinerja exports write
=========================== ======================================================================

Each file is read once, when this module is imported, into the constants below. The order of
entries in the files is part of what a seed means: draws pick entries by position.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from asn_eval.input import vocab
from asn_eval.sample.codes import ADM, ADMIN, JPT, PENGAWAS, PGW


def read_toml(name: str) -> dict[str, Any]:
    """Read one TOML catalogue.

    Parameters
    ----------
    name : str
        The file's name in ``catalogue/``, e.g. ``"opd.toml"``.

    Returns
    -------
    dict
        The parsed file, tables in the order they appear.
    """
    return tomllib.loads(_text(name))


def read_csv(name: str) -> list[dict[str, str]]:
    """Read one CSV catalogue (UTF-8, a header row).

    Parameters
    ----------
    name : str
        The file's name in ``catalogue/``, e.g. ``"jabatan_fungsional.csv"``.

    Returns
    -------
    list of dict
        One dict per row, by column name, values as text.
    """
    return list(csv.DictReader(io.StringIO(_text(name), newline="")))


def _text(name: str) -> str:
    return (resources.files("asn_eval.sample") / "catalogue" / name).read_text(encoding="utf-8")


# --- the city template (opd.toml) ---------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A sub-unit of an OPD: its leader's post and where its staff sit."""

    name: str
    leader: str | None  # the leader's jabatan; None: staff report to the parent's leader
    kind: int = ADMIN  # ADMIN or PENGAWAS
    parent: int = -1  # index of the parent unit; -1 is the head of the OPD
    weight: float = 1.0  # share of the OPD's staff
    staff: str = "any"  # "any", "fungsional" or "pelaksana"


@dataclass(frozen=True)
class OpdSpec:
    """One kind of OPD of the city template (see ``opd.toml`` for the fields)."""

    code: str
    name: str
    jenis: str
    family: str
    weight: float
    priority: int
    fungsional: float
    jf: tuple[tuple[str, float], ...]
    units: tuple[Unit, ...]
    head: str
    head_jenis: int = JPT
    layanan: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schools:
    """The schools of the Dinas Pendidikan: posts, unit names and the Bidang above them."""

    head: str  # the principal's jabatan
    unit: str  # template of a school's name: {jenjang}, {nomor}
    clerks: tuple[str, ...]  # titles of an SMP's clerks
    bidang: Mapping[str, str]  # the Bidang each jenjang (SD, SMP) reports to


_KINDS = {"administrator": ADMIN, "pengawas": PENGAWAS}
_HEAD_JENIS = {"jpt": JPT, "administrator": ADM, "pengawas": PGW}


def _units(entries: Sequence[Mapping[str, Any]]) -> tuple[Unit, ...]:
    """Build units from catalogue entries, each parent found by its name."""
    names = [entry["name"] for entry in entries]
    return tuple(
        Unit(
            entry["name"],
            entry.get("leader"),
            _KINDS[entry.get("kind", "administrator")],
            names.index(entry["parent"]) if "parent" in entry else -1,
            float(entry.get("weight", 1.0)),
            entry.get("staff", "any"),
        )
        for entry in entries
    )


def _dinas_units(layout: Mapping[str, Any], jenis: str, bidang: Sequence[str]) -> list[dict]:
    """Lay out a Dinas or Badan: a Sekretariat with two Subbagian, and Bidang each with a Seksi.

    Units are listed in the order they open as the OPD grows (one leader per five employees).
    """
    seksi = layout["seksi_name"][jenis]
    entries = [dict(layout["sekretariat"])]
    for i, name in enumerate(bidang):
        fill = {"bidang": name, "seksi": seksi}
        for part in ("bidang", "seksi"):
            entries.append({k: _fill(v, fill) for k, v in layout[part].items()})
        if i < len(layout["subbagian"]):
            entries.append(dict(layout["subbagian"][i]))
    return entries


def _fill(value: Any, fill: Mapping[str, str]) -> Any:
    """Fill the ``{placeholders}`` of a text; other values are returned as they are."""
    return value.format(**fill) if isinstance(value, str) else value


def _opd(entry: Mapping[str, Any], layout: Mapping[str, Any]) -> OpdSpec:
    """Build one kind of OPD from its ``opd.toml`` entry (a Dinas or Badan as ``layout``)."""
    if "bidang" in entry:
        units = _units(_dinas_units(layout, entry["jenis"], entry["bidang"]))
        head = entry.get("head", layout["head"].format(name=entry["name"]))
    else:
        units = _units(entry.get("units", []))
        head = entry["head"]
    return OpdSpec(
        entry["code"],
        entry["name"],
        entry["jenis"],
        entry["family"],
        float(entry["weight"]),
        int(entry["priority"]),
        float(entry["fungsional"]),
        tuple((name, float(weight)) for name, weight in entry["jf"].items()),
        units,
        head,
        _HEAD_JENIS[entry.get("head_jenis", "jpt")],
        tuple(entry.get("layanan", ())),
    )


_CITY = read_toml("opd.toml")

OPD_TEMPLATE: tuple[OpdSpec, ...] = tuple(_opd(e, _CITY["dinas"]) for e in _CITY["opd"])
"""The OPD of a city, in the order their rows are written."""

KECAMATAN = _opd({**_CITY["kecamatan"], "units": []}, _CITY["dinas"])
"""The template of a Kecamatan; its units come from :func:`kecamatan_units`."""

PUSKESMAS = _opd(_CITY["puskesmas"], _CITY["dinas"])
"""The template of a Puskesmas."""

SCHOOLS = Schools(
    _CITY["sekolah"]["head"],
    _CITY["sekolah"]["unit"],
    tuple(_CITY["sekolah"]["tata_usaha"]),
    dict(_CITY["sekolah"]["bidang"]),
)
"""Posts and names of the schools of the Dinas Pendidikan."""

CURVE_CANDIDATES: tuple[str, ...] = tuple(_CITY["planted"]["curve_candidates"])
"""OPD a planted distribution-curve violation may be placed in, in order of preference."""


def kecamatan_units(kelurahan: Sequence[str]) -> tuple[Unit, ...]:
    """Return the units of one Kecamatan, its Kelurahan unit repeated for each kelurahan.

    Parameters
    ----------
    kelurahan : sequence of str
        The kecamatan's kelurahan, in order.

    Returns
    -------
    tuple of Unit
        The units in the order they open.

    Examples
    --------
    >>> [u.name for u in kecamatan_units(["Melati"])][:4]
    ['Sekretariat Kecamatan', 'Seksi Pemerintahan', 'Kelurahan Melati', 'Seksi Pelayanan Umum']
    """
    entries = []
    for entry in _CITY["kecamatan"]["units"]:
        if "{kelurahan}" in entry["name"]:
            entries += [
                {k: _fill(v, {"kelurahan": p}) for k, v in entry.items()} for p in kelurahan
            ]
        else:
            entries.append(entry)
    return _units(entries)


# --- posts (jabatan.toml, jabatan_fungsional.csv) ---------------------------------------------

_JABATAN = read_toml("jabatan.toml")
_FUNGSIONAL = read_csv("jabatan_fungsional.csv")

JF_TRACK: dict[str, float] = {row["name"]: float(row["skilled_share"]) for row in _FUNGSIONAL}
"""Functional posts: name → share of the skilled track (Terampil, Mahir, Penyelia)."""

JF_NAMES = tuple(JF_TRACK)
JF_INDEX = {name: i for i, name in enumerate(JF_NAMES)}

HEALTH_JF = frozenset(row["name"] for row in _FUNGSIONAL if row["health"] == "1")
"""Functional posts of health staff."""

JENJANG: tuple[str, ...] = tuple(_JABATAN["jenjang"])
"""Levels of a functional post: four of the expert track, then three of the skilled one."""

PELAKSANA_TITLES: tuple[tuple[str, float], ...] = tuple(
    (title, float(weight)) for title, weight in _JABATAN["pelaksana"].items()
)
"""Titles of administrative staff with their relative weight."""

# --- SKP and activity templates (rhk.toml, aktivitas.toml, umpan_balik.toml) -------------------

Rhk = tuple[str, tuple[str, str, int, int], tuple[str, str, int], tuple[str, str, int, str]]
"""One RHK: (text, kuantitas (indicator, satuan, target low, target high per quarter),
kualitas (indicator, satuan, target), waktu (indicator, satuan, target, arah))."""


def _rhk(entry: Mapping[str, Any]) -> Rhk:
    kuantitas, kualitas, waktu = entry["kuantitas"], entry["kualitas"], entry["waktu"]
    return (entry["rhk"], tuple(kuantitas), tuple(kualitas), tuple(waktu))


_SKP = read_toml("rhk.toml")

RHK: dict[str, tuple[Rhk, ...]] = {
    family: tuple(_rhk(e) for e in entries) for family, entries in _SKP["utama"].items()
}
"""Main RHK by family of posts."""

TAMBAHAN: tuple[Rhk, ...] = tuple(_rhk(e) for e in _SKP["tambahan"])
"""Additional RHK, open to anyone."""

BIAYA: tuple[str, str] = (_SKP["biaya"][0], _SKP["biaya"][1])
"""The biaya indicator and its satuan."""

FAMILIES = tuple(RHK)
"""Families of posts, in the order of their codes."""

FAMILY_INDEX = {name: i for i, name in enumerate(FAMILIES)}

AKTIVITAS: dict[str, tuple[str, ...]] = {
    family: tuple(texts) for family, texts in read_toml("aktivitas.toml").items()
}
"""Daily activities by family of posts."""

_FEEDBACK = read_toml("umpan_balik.toml")

FEEDBACK_SKP: tuple[tuple[str, str], ...] = tuple(
    (_FEEDBACK["skp"][level][0], _FEEDBACK["skp"][level][1]) for level in vocab.LEVEL.values
)
"""Feedback on an RHK: two texts per rating, in the order of ``vocab.LEVEL``."""

FEEDBACK_PERILAKU: tuple[str, ...] = tuple(_FEEDBACK["perilaku"])
"""Feedback on a behaviour score, by score 1 … 5."""

# --- names (nama.toml, tempat.toml) ------------------------------------------------------------

_NAMA = read_toml("nama.toml")
MALE: tuple[str, ...] = tuple(_NAMA["male"])
FEMALE: tuple[str, ...] = tuple(_NAMA["female"])
LAST_MALE: tuple[str, ...] = tuple(_NAMA["last_male"])
LAST_FEMALE: tuple[str, ...] = tuple(_NAMA["last_female"])

GELAR_GROUPS = (
    "pelaksana",
    "fungsional",
    "pimpinan",
    "guru",
    "dokter",
    "dokter_gigi",
    "perawat",
    "bidan",
    "apoteker",
    "kesehatan",
)
"""Groups of posts with their own academic titles, in the order of their codes."""

GELAR: tuple[tuple[tuple[str, str], ...], ...] = tuple(
    tuple((before, after) for before, after in _NAMA["gelar"][group]) for group in GELAR_GROUPS
)
"""Academic titles by group: six (before, after) pairs, drawn uniformly."""

_TEMPAT = read_toml("tempat.toml")
CITY_NAMES: tuple[str, ...] = tuple(_TEMPAT["kota"])
KECAMATAN_NAMES: tuple[str, ...] = tuple(_TEMPAT["kecamatan"])
PLACE_NAMES: tuple[str, ...] = tuple(_TEMPAT["tempat"])

# --- e-Kinerja label forms (ekinerja.toml) -----------------------------------------------------

EKINERJA_FORMS: dict[str, dict[str, str]] = read_toml("ekinerja.toml")
"""Longer label forms by vocabulary (``jenis_kelamin``, ``peran_penilai``, ``predikat``)."""


def _check() -> None:
    """Fail early, with the file to fix, when the catalogues do not fit together."""
    problems = []
    for spec in (*OPD_TEMPLATE, KECAMATAN, PUSKESMAS):
        if spec.family not in RHK:
            problems.append(f"opd.toml: {spec.code}: family {spec.family!r} not in rhk.toml")
        problems += [
            f"opd.toml: {spec.code}: {name!r} not in jabatan_fungsional.csv"
            for name, _ in spec.jf
            if name not in JF_INDEX
        ]
    if set(AKTIVITAS) != set(RHK):
        problems.append("aktivitas.toml: families differ from rhk.toml")
    if "pimpinan" not in RHK or "guru" not in RHK:
        problems.append("rhk.toml: families 'pimpinan' and 'guru' are required")
    if "Guru" not in JF_INDEX or len(JENJANG) != 7:
        problems.append("jabatan: 'Guru' and seven jenjang are required")
    if any(len(pair) != 2 for pair in FEEDBACK_SKP) or len(FEEDBACK_PERILAKU) != 5:
        problems.append("umpan_balik.toml: two texts per rating and five per score")
    if any(len(group) != 6 for group in GELAR):
        problems.append("nama.toml: six [before, after] pairs per gelar group")
    if problems:
        raise ValueError("katalog data contoh tidak cocok: " + "; ".join(problems))


_check()
