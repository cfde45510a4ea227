"""Scoring schemes as data: reading, checking and listing scheme files (TOML).

A scheme says how evidence becomes a label: the thresholds of the rating levels, the weights of
rater roles, the predikat matrix, the organisation's distribution curve, and, for numeric schemes,
the weighted components and the bands of the total. Shipped schemes live in
``asn_eval/scoring/schemes/``; a user copies one, edits it and passes its path. A scheme may start
from another with ``dasar = "name"`` and change only what differs (a table is merged key by key; a
list, such as ``[[komponen]]``, replaces the base's list whole). Every problem in a scheme
file is reported with the file and the key.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from asn_eval.errors import SchemeError
from asn_eval.input.vocab import (
    ASPEK,
    JENIS_RHK,
    LEVEL,
    NILAI_INTI,
    PERAN_PENILAI,
    PREDIKAT_ORGANISASI,
)

__all__ = [
    "COMPONENT_DEFAULTS",
    "COMPONENT_KINDS",
    "DEFAULTS",
    "DEFAULT_SCHEME",
    "Component",
    "Scheme",
    "list_schemes",
    "load_scheme",
]

DEFAULT_SCHEME = "permenpan-6-2022"

COMPONENT_KINDS = ("indikator", "perilaku", "kehadiran", "disiplin", "ikm", "aktivitas")
"""What a component of a numeric scheme can measure (each scored 0–100 or more)."""

DEFAULTS: dict[str, dict[str, Any]] = {
    "hasil_kerja": {"pakai_rating_diberikan": True},
    "perilaku": {"pakai_rating_diberikan": True},
}
"""Values of optional scheme keys when a file leaves them out (every other key is required)."""

COMPONENT_DEFAULTS: dict[str, dict[str, Any]] = {
    "indikator": {"metode": "capaian", "capaian_maks": float("inf")},
    "perilaku": {"skala": 20.0, "nilai_inti": list(NILAI_INTI.values)},
    "disiplin": {"potong_tanpa_keterangan": 5.0, "potong_per_jam_terlambat": 1.0},
}
"""Values of optional component keys: an indicator's achievement is not capped beyond the
scheme's own cap, a behaviour mean 1–5 is scaled by 20 to 0–100 and takes every core value, and
discipline loses 5 points per day absent without leave and 1 point per hour late (PP 30/2019
practice, DOMAIN.md §4)."""


@dataclass(frozen=True)
class Component:
    """One weighted part of a numeric scheme.

    Parameters
    ----------
    nama : str
        Name shown in results, e.g. ``"kualitas kerja"``.
    jenis : str
        What it measures: one of :data:`COMPONENT_KINDS`.
    bobot : float
        Weight in the total.
    wajib : bool
        When True an employee without this evidence gets no total; otherwise the other
        components' weights are scaled up and ``catatan`` says so.
    options : dict
        The kind's settings (filters such as ``aspek`` or ``nilai_inti``, ``metode``, penalties).
    """

    nama: str
    jenis: str
    bobot: float
    wajib: bool = True
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scheme:
    """A checked scoring scheme.

    Parameters
    ----------
    nama : str
        Short name, used on the command line (``--skema``).
    judul : str
        One line describing it.
    jenis : str
        ``"matriks"`` (two levels → predikat through a matrix) or ``"angka"`` (weighted total →
        predikat through bands).
    settings : dict
        The whole scheme as read (after ``dasar`` was merged in).
    path : Path
        The file it was read from.
    """

    nama: str
    judul: str
    jenis: str
    settings: dict[str, Any]
    path: Path | None = None

    def __repr__(self) -> str:
        return f"Scheme({self.nama!r}, {self.jenis})"

    @classmethod
    def from_settings(cls, settings: dict[str, Any], path: Path | None = None) -> Scheme:
        """Check a scheme's settings (as read from its file, ``dasar`` merged) and make a Scheme.

        What a batch's kernels and the app use to rebuild a scheme from its content, without
        reading the file again.

        Parameters
        ----------
        settings : dict
            The scheme's keys and values.
        path : Path, optional
            The file it came from, for messages.

        Returns
        -------
        Scheme

        Raises
        ------
        SchemeError
            When a key is missing, unknown or out of range.
        """
        _check(settings, path.name if path else str(settings.get("nama", "skema")))
        filled = _merge(DEFAULTS, settings)
        return cls(
            settings["nama"],
            settings.get("judul", settings["nama"]),
            settings["jenis"],
            filled,
            path,
        )

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the scheme's content (not its file name): what caches and decisions key on."""
        text = json.dumps(self.settings, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def key(self) -> str:
        """Name and content together, e.g. ``permenpan-6-2022@3f2a9c1b``.

        Two files with the same ``nama`` but other numbers have other keys.
        """
        return f"{self.nama}@{self.digest[:8]}"

    @property
    def hasil_di_atas(self) -> float:
        """Lowest achievement (%) of an RHK above expectation (``hasil_kerja.batas_di_atas``)."""
        return float(self.hasil_kerja["batas_di_atas"])

    @property
    def hasil_sesuai(self) -> float:
        """Lowest achievement (%) of an RHK meeting expectation (``hasil_kerja.batas_sesuai``)."""
        return float(self.hasil_kerja["batas_sesuai"])

    @property
    def perilaku_di_atas(self) -> float:
        """Lowest behaviour score (1–5) above expectation (``perilaku.batas_di_atas``)."""
        return float(self.perilaku["batas_di_atas"])

    @property
    def perilaku_sesuai(self) -> float:
        """Lowest behaviour score (1–5) meeting expectation (``perilaku.batas_sesuai``)."""
        return float(self.perilaku["batas_sesuai"])

    @property
    def hasil_kerja(self) -> dict[str, Any]:
        """Settings of the rating hasil kerja."""
        return self.settings["hasil_kerja"]

    @property
    def perilaku(self) -> dict[str, Any]:
        """Settings of the rating perilaku."""
        return self.settings["perilaku"]

    @property
    def matrix(self) -> dict[str, dict[str, str]]:
        """Predikat by rating hasil kerja, then rating perilaku."""
        return self.settings["predikat"]

    @property
    def kurva(self) -> dict[str, list[dict[str, Any]]]:
        """Distribution-curve rules by organisation predikat."""
        return self.settings.get("kurva", {})

    @property
    def national_shares(self) -> dict[str, float]:
        """Predikat shares of the national tabulation this scheme compares with (may be empty).

        From the scheme file's ``[nasional.porsi]`` (the national scheme: e-Kinerja 2022–2024,
        DOMAIN.md §2); a reference shown beside a city's shares, never a rule.
        """
        return {k: float(v) for k, v in self.settings.get("nasional", {}).get("porsi", {}).items()}

    @property
    def components(self) -> list[Component]:
        """The weighted components of a numeric scheme (empty for a matrix scheme)."""
        found = []
        for item in self.settings.get("komponen", []):
            options = {
                k: v for k, v in item.items() if k not in ("nama", "jenis", "bobot", "wajib")
            }
            defaults = dict(COMPONENT_DEFAULTS.get(item["jenis"], {}))
            if item["jenis"] == "perilaku":
                defaults["bobot_peran"] = self.perilaku["bobot_peran"]
            found.append(
                Component(
                    item["nama"],
                    item["jenis"],
                    float(item["bobot"]),
                    bool(item.get("wajib", True)),
                    {**defaults, **options},
                )
            )
        return found

    @property
    def bands(self) -> list[tuple[str, float]]:
        """Bands of a numeric scheme's total, best first: (label, lowest total)."""
        return [(b["predikat"], float(b["min"])) for b in self.settings.get("pita", [])]

    @property
    def labels(self) -> list[str]:
        """Predikat labels this scheme gives, best first."""
        if self.jenis == "angka":
            return [label for label, _ in self.bands]
        order = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"]
        given = {p for row in self.matrix.values() for p in row.values()}
        return [p for p in order if p in given] + sorted(given - set(order))


def _shipped() -> dict[str, Path]:
    folder = resources.files("asn_eval.scoring") / "schemes"
    return {Path(p.name).stem: Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml")}


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and value and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemeError(f"skema tidak ditemukan: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SchemeError(f"{path.name}: bukan TOML yang sah: {error}") from None
    base = data.pop("dasar", None)
    if base is None:
        return data
    if not isinstance(base, str):
        raise SchemeError(f"{path.name}: kunci 'dasar' harus nama skema")
    if base in seen:
        raise SchemeError(f"{path.name}: 'dasar' melingkar: {' → '.join((*seen, base))}")
    return _merge(_read(_resolve(base, path.parent), (*seen, base)), data)


def _resolve(name: str | Path, relative_to: Path | None = None) -> Path:
    text = str(name)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(text)
        if not path.is_absolute() and relative_to is not None and not path.exists():
            path = relative_to / path
        return path
    shipped = _shipped()
    if text not in shipped:
        names = ", ".join(sorted(shipped))
        raise SchemeError(f"skema '{text}' tidak dikenal; yang tersedia: {names}")
    return shipped[text]


class _Checker:
    """Collects every problem of one scheme file, each naming its key."""

    def __init__(self, file: str, data: dict[str, Any]) -> None:
        self.file = file
        self.data = data
        self.problems: list[str] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(f"{self.file}: kunci '{key}': {message}")

    def get(self, key: str) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def number(self, key: str, low: float, high: float, required: bool = True) -> None:
        value = self.get(key)
        if value is None:
            if required:
                self.fail(key, "wajib ada")
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"harus angka (ditulis: {value!r})")
        elif not low <= value <= high:
            self.fail(key, f"harus antara {low:g} dan {high:g} (ditulis: {value})")

    def choice(self, key: str, allowed: tuple[str, ...] | list[str], value: Any = None) -> None:
        value = self.get(key) if value is None else value
        if value not in allowed:
            self.fail(key, f"harus salah satu dari {', '.join(allowed)} (ditulis: {value!r})")

    def names(self, key: str, allowed: tuple[str, ...] | list[str], value: Any = None) -> None:
        value = self.get(key) if value is None else value
        if value is None:
            return
        if not isinstance(value, list) or not value:
            self.fail(key, 'harus daftar, mis. ["a", "b"]')
            return
        for item in value:
            if item not in allowed:
                self.fail(key, f"'{item}' tidak dikenal; yang sah: {', '.join(allowed)}")

    def weights(self, key: str, allowed: tuple[str, ...], value: Any = None) -> None:
        value = self.get(key) if value is None else value
        if value is None:
            return
        if not isinstance(value, dict):
            self.fail(key, "harus tabel nama = bobot")
            return
        for name, weight in value.items():
            if name not in allowed:
                self.fail(f"{key}.{name}", f"tidak dikenal; yang sah: {', '.join(allowed)}")
            elif isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
                self.fail(f"{key}.{name}", f"bobot harus angka ≥ 0 (ditulis: {weight!r})")
        if not any(isinstance(w, int | float) and w > 0 for w in value.values()):
            self.fail(key, "paling tidak satu bobot harus lebih dari 0")

    def unknown(self, key: str, allowed: set[str]) -> None:
        value = self.get(key) if key else self.data
        if isinstance(value, dict):
            for name in value:
                if name not in allowed:
                    where = f"{key}.{name}" if key else name
                    self.fail(where, f"tidak dikenal; yang sah: {', '.join(sorted(allowed))}")


_TOP = {
    "nama",
    "judul",
    "jenis",
    "sumber",
    "hasil_kerja",
    "perilaku",
    "predikat",
    "kurva",
    "angka_kredit",
    "komponen",
    "pita",
    "bobot_jika_360",
    "ikm",
    "nasional",
}
_HASIL = {
    "capaian_maks",
    "batas_di_atas",
    "batas_sesuai",
    "mayoritas",
    "utama_di_bawah_maks",
    "pakai_rating_diberikan",
}
_PERILAKU = {"bobot_peran", "batas_di_atas", "batas_sesuai", "pakai_rating_diberikan"}
_COMPONENT_KEYS = {
    "indikator": {"aspek", "jenis_rhk", "metode", "capaian_maks"},
    "perilaku": {"nilai_inti", "bobot_peran", "unsur", "unsur_struktural", "skala"},
    "kehadiran": set(),
    "disiplin": {"potong_tanpa_keterangan", "potong_per_jam_terlambat"},
    "ikm": set(),
    "aktivitas": set(),
}


def _check(data: dict[str, Any], file: str) -> None:
    c = _Checker(file, data)
    c.unknown("", _TOP)
    if not isinstance(data.get("nama"), str) or not data.get("nama"):
        c.fail("nama", "wajib ada (teks)")
    c.choice("jenis", ("matriks", "angka"))
    c.unknown("hasil_kerja", _HASIL)
    c.number("hasil_kerja.capaian_maks", 100, 1000)
    c.number("hasil_kerja.batas_di_atas", 0, 1000)
    c.number("hasil_kerja.batas_sesuai", 0, 1000)
    c.number("hasil_kerja.mayoritas", 0, 1)
    c.number("hasil_kerja.utama_di_bawah_maks", 0, 1)
    if (c.get("hasil_kerja.batas_sesuai") or 0) > (c.get("hasil_kerja.batas_di_atas") or 0):
        c.fail("hasil_kerja.batas_sesuai", "tidak boleh lebih besar dari batas_di_atas")
    c.unknown("perilaku", _PERILAKU)
    c.weights("perilaku.bobot_peran", PERAN_PENILAI.values)
    if c.get("perilaku.bobot_peran") is None:
        c.fail("perilaku.bobot_peran", "wajib ada")
    c.number("perilaku.batas_di_atas", 1, 5)
    c.number("perilaku.batas_sesuai", 1, 5)
    matrix = c.get("predikat")
    if not isinstance(matrix, dict):
        c.fail("predikat", "wajib ada: matriks hasil kerja × perilaku")
    else:
        for hasil in LEVEL.values:
            for perilaku in LEVEL.values:
                if not isinstance(c.get(f"predikat.{hasil}"), dict) or not isinstance(
                    matrix[hasil].get(perilaku), str
                ):
                    c.fail(f'predikat."{hasil}"."{perilaku}"', "wajib ada (teks predikat)")
        c.unknown("predikat", set(LEVEL.values))
    kurva = c.get("kurva") or {}
    if not isinstance(kurva, dict):
        c.fail("kurva", "harus tabel per predikat organisasi")
        kurva = {}
    for org, rules in kurva.items():
        c.choice(f"kurva.{org}", PREDIKAT_ORGANISASI.values, org)
        for i, rule in enumerate(rules if isinstance(rules, list) else []):
            key = f"kurva.{org}[{i}]"
            if not isinstance(rule, dict) or not rule.get("predikat"):
                c.fail(key, "harus berisi predikat = [...] dan min, maks atau min_orang")
                continue
            if not {"min", "maks", "min_orang"} & set(rule):
                c.fail(key, "perlu min, maks atau min_orang")
            for bound in ("min", "maks"):
                value = rule.get(bound)
                if value is not None and not (isinstance(value, int | float) and 0 <= value <= 1):
                    c.fail(f"{key}.{bound}", f"harus porsi 0–1 (ditulis: {value!r})")
    if data.get("jenis") == "angka":
        _check_numeric(c, data)
    if c.problems:
        raise SchemeError("\n".join(c.problems))


def _check_numeric(c: _Checker, data: dict[str, Any]) -> None:
    components = data.get("komponen")
    if not isinstance(components, list) or not components:
        c.fail("komponen", "skema angka perlu paling tidak satu [[komponen]]")
        components = []
    for i, item in enumerate(components):
        key = f"komponen[{i}]"
        if not isinstance(item, dict):
            c.fail(key, "harus tabel")
            continue
        kind = item.get("jenis")
        c.choice(f"{key}.jenis", COMPONENT_KINDS, kind)
        if not isinstance(item.get("nama"), str):
            c.fail(f"{key}.nama", "wajib ada (teks)")
        weight = item.get("bobot")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
            c.fail(f"{key}.bobot", f"harus angka > 0 (ditulis: {weight!r})")
        allowed = {"nama", "jenis", "bobot", "wajib"} | _COMPONENT_KEYS.get(kind, set())
        for name in item:
            if name not in allowed:
                c.fail(f"{key}.{name}", f"tidak dikenal untuk komponen {kind}")
        if "aspek" in item:
            c.names(f"{key}.aspek", ASPEK.values, item["aspek"])
        if "jenis_rhk" in item:
            c.names(f"{key}.jenis_rhk", JENIS_RHK.values, item["jenis_rhk"])
        if "nilai_inti" in item:
            c.names(f"{key}.nilai_inti", NILAI_INTI.values, item["nilai_inti"])
        if "metode" in item:
            c.choice(f"{key}.metode", ("capaian", "pp46"), item["metode"])
        if "bobot_peran" in item:
            c.weights(f"{key}.bobot_peran", PERAN_PENILAI.values, item["bobot_peran"])
        for element, values in (item.get("unsur") or {}).items():
            c.names(f"{key}.unsur.{element}", NILAI_INTI.values, values)
    bands = data.get("pita")
    if not isinstance(bands, list) or not bands:
        c.fail("pita", "skema angka perlu [[pita]] dengan predikat dan min, dari yang terbaik")
        return
    lows = []
    for i, band in enumerate(bands):
        if not isinstance(band, dict) or not isinstance(band.get("predikat"), str):
            c.fail(f"pita[{i}].predikat", "wajib ada (teks)")
            continue
        low = band.get("min")
        if isinstance(low, bool) or not isinstance(low, int | float):
            c.fail(f"pita[{i}].min", f"harus angka (ditulis: {low!r})")
        else:
            lows.append(low)
    if lows != sorted(lows, reverse=True):
        c.fail("pita", "urutkan dari predikat terbaik (min terbesar) ke terburuk")


def load_scheme(name: str | Path = DEFAULT_SCHEME) -> Scheme:
    """Read and check a scheme by shipped name or by file path.

    Parameters
    ----------
    name : str or Path
        A shipped scheme's name (see :func:`list_schemes`) or the path of a ``.toml`` file.

    Returns
    -------
    Scheme
        The checked scheme.

    Raises
    ------
    SchemeError
        When the file is missing, not TOML, or any key is missing, unknown or out of range; the
        message lists every problem with the file and the key.

    Examples
    --------
    >>> load_scheme("permenpan-6-2022").matrix["Di Atas Ekspektasi"]["Di Atas Ekspektasi"]
    'Sangat Baik'
    """
    if isinstance(name, Scheme):
        return name
    path = _resolve(name)
    return Scheme.from_settings(_read(path), path)


def list_schemes() -> list[Scheme]:
    """Return every shipped scheme, checked.

    Returns
    -------
    list of Scheme
        Sorted by name, the national scheme first.
    """
    names = sorted(_shipped(), key=lambda n: (n != DEFAULT_SCHEME, n))
    return [load_scheme(n) for n in names]
