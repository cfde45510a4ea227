"""The world of a sample: its cities and employees, their latent traits and the planted facts.

:func:`prepare` builds everything the fact tables (:mod:`asn_eval.sample.facts`) are generated
from: the cities' structure (:mod:`asn_eval.sample.city`), their employees
(:mod:`asn_eval.sample.people`), each employee's latent work performance and behaviour, the facts
planted for analytics to find, and the static tables ``opd``, ``pegawai``, ``survei`` (public
satisfaction) and ``organisasi`` (each OPD's own predikat).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from asn_eval.errors import UsageError
from asn_eval.input import vocab
from asn_eval.input.periode import periode_dtype
from asn_eval.sample import catalogue as cat
from asn_eval.sample.city import Registry, allocate, build_city
from asn_eval.sample.codes import ATAS, BAWAH, BIAS, HEAD, KEPSEK, LENIENT, SEVERE, stream
from asn_eval.sample.people import describe, relate

CITY_SIZE = 2_500
"""Employees per city when a sample is larger than one city."""

MAX_SINGLE_CITY = 5_000
"""Up to this many employees the sample is one city."""

MIN_PEGAWAI = 100
"""The smallest city that still has every kind of OPD and every planted fact."""

IKM_OFFSET = np.array([0.05, 0.0, -0.1, 0.25, 0.0, 0.05, 0.1, -0.15, -0.1])
"""How each IKM element U1 … U9 tends to be answered relative to the unit's mean."""


@dataclass
class World:
    """Everything generated before the fact tables, shared by every chunk.

    Attributes
    ----------
    seed, tahun, plant, n
        The sample's arguments (``n``: employees).
    periodes : list of str
        ``{tahun}-TW1`` … ``{tahun}-TW4`` and ``{tahun}``.
    opd, pegawai, survei, organisasi : DataFrame
        The static tables.
    instansi : DataFrame
        One row per city (``kode_instansi``, ``nama_instansi``) when the sample is several
        instansi; empty otherwise.
    city_names : list of str
        ``Kota …``, one per city.
    arrays : dict of str to ndarray
        One entry per employee: structure, person, relations, latent traits, planted marks.
    planted : dict
        The facts planted so far (the fact tables add contradictions and missing realisations).
    nip_dtype, periode_dtype : CategoricalDtype
        Categories of every NIP and of the periods.
    working_days : ndarray of datetime64[D]
        The year's working days.
    """

    seed: int
    tahun: int
    plant: bool
    n: int
    periodes: list[str]
    opd: pd.DataFrame
    pegawai: pd.DataFrame
    city_names: list[str]
    arrays: dict[str, np.ndarray]
    survei: pd.DataFrame = field(default_factory=pd.DataFrame)
    organisasi: pd.DataFrame = field(default_factory=pd.DataFrame)
    instansi: pd.DataFrame = field(default_factory=pd.DataFrame)
    planted: dict[str, Any] = field(default_factory=dict)
    nip_dtype: pd.CategoricalDtype | None = None
    periode_dtype: pd.CategoricalDtype | None = None
    working_days: np.ndarray = field(default_factory=lambda: np.array([], "datetime64[D]"))


def prepare(
    n_pegawai: int, seed: int, tahun: int, plant: bool, instansi: int | None = None
) -> World:
    """Build the world of a sample: everything the fact tables are generated from.

    Parameters
    ----------
    n_pegawai, seed, tahun, plant, instansi
        As in :func:`asn_eval.sample.generator.generate`.

    Returns
    -------
    World
        The cities, their employees with latent traits and planted facts, the static tables
        (``opd``, ``pegawai``, ``survei``, ``organisasi``) and the year's working days.

    Raises
    ------
    UsageError
        For fewer than :data:`MIN_PEGAWAI` employees (per instansi) or a year outside 1990–2100.
    """
    world = _build_world(int(n_pegawai), int(seed), int(tahun), bool(plant), instansi)
    world.arrays["nip"] = world.arrays["nip"].astype(object)
    world.nip_dtype = pd.CategoricalDtype(pd.Index(world.arrays["nip"], dtype="str"))
    world.periode_dtype = periode_dtype(world.periodes)
    start = np.datetime64(f"{tahun}-01-01")
    days = np.arange(start, np.datetime64(f"{tahun + 1}-01-01"))
    holidays = [f"{tahun}-{md}" for md in ("01-01", "05-01", "06-01", "08-17", "12-25")]
    world.working_days = days[np.is_busday(days, holidays=holidays)]
    return world


def _city_sizes(n: int) -> np.ndarray:
    """Split ``n`` employees into cities: one up to MAX_SINGLE_CITY, else of about CITY_SIZE."""
    k = 1 if n <= MAX_SINGLE_CITY else -(-n // CITY_SIZE)
    return allocate(n, np.ones(k))


def _build_world(n: int, seed: int, tahun: int, plant: bool, instansi: int | None) -> World:
    """Lay out the cities, describe and relate their employees, plant facts, build the tables.

    With ``instansi``, the cities are that many instansi of equal size, each with OPD codes of its
    own (every one has a ``DINKES``): they are built with qualified codes (``KOTA-SUKAMAJU/DINKES``,
    as the loader gives them, and as the planted facts name them), then split into
    ``kode_instansi`` and the OPD's own code (:func:`_split_instansi`).
    """
    if instansi is not None and instansi < 1:
        raise UsageError(f"instansi paling sedikit 1 (diminta {instansi})")
    if n < MIN_PEGAWAI * (instansi or 1):
        each = " per instansi" if instansi else ""
        raise UsageError(f"n_pegawai paling sedikit {MIN_PEGAWAI}{each} (diminta {n})")
    if not 1990 <= tahun <= 2100:
        raise UsageError(f"tahun harus antara 1990 dan 2100 (diminta {tahun})")
    sizes = _city_sizes(n) if instansi is None else allocate(n, np.ones(instansi))
    codes: list[str] = []
    reg = Registry()
    multi = len(sizes) > 1
    width = max(2, len(str(len(sizes))))
    city_names = []
    pieces = []
    offset = 0
    for c, size in enumerate(sizes):
        base = cat.CITY_NAMES[c % len(cat.CITY_NAMES)]
        name = base if c < len(cat.CITY_NAMES) else f"{base} {c // len(cat.CITY_NAMES) + 1}"
        city_names.append(f"Kota {name}")
        prefix = f"K{c + 1:0{width}d}-" if multi else ""
        suffix = f" Kota {name}" if multi else ""
        if instansi is not None:
            codes.append("KOTA-" + "-".join(name.upper().split()))
            prefix, suffix = codes[-1] + "/", ""
        piece = build_city(int(size), c, prefix, suffix, stream(seed, 1, c), reg)
        piece["sup"] = np.where(piece["sup"] >= 0, piece["sup"] + offset, -1)
        offset += len(piece["sup"])
        pieces.append(piece)
    arrays = {k: np.concatenate([p[k] for p in pieces]) for k in pieces[0]}
    arrays["sup"] = arrays["sup"].astype(np.int32)
    arrays["opd"] = arrays["opd"].astype(np.int32)
    rng = stream(seed, 0)
    describe(arrays, tahun, rng)
    opd = pd.DataFrame(reg.opd_rows, columns=["kode_opd", "nama_opd", "jenis", "induk"])
    opd["jenis"] = opd["jenis"].astype(vocab.JENIS_OPD.dtype)
    arrays["opd_base"] = np.asarray(reg.opd_base, dtype=object)
    arrays["opd_city"] = np.asarray(reg.opd_city)
    relate(arrays, rng)
    world = World(
        seed,
        tahun,
        plant,
        n,
        [f"{tahun}-TW{q}" for q in range(1, 5)] + [str(tahun)],
        opd,
        pd.DataFrame(),
        city_names,
        arrays,
    )
    _latent(world, rng)
    _plant(world, stream(seed, 3))
    world.pegawai = _pegawai_table(world, reg)
    world.survei = _survei(world, reg, stream(seed, 4))
    world.organisasi = _organisasi(world, stream(seed, 5))
    if instansi is not None:
        _split_instansi(world, codes)
    return world


def _split_instansi(world: World, codes: list[str]) -> None:
    """Write qualified OPD codes as the contract has them: ``kode_instansi`` and the own code."""
    world.instansi = pd.DataFrame(
        {"kode_instansi": codes, "nama_instansi": [f"Pemerintah {c}" for c in world.city_names]}
    )
    world.planted["instansi"] = dict(zip(codes, world.city_names, strict=True))

    def split(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
        qualified = frame["kode_opd"].astype("str")
        frame = frame.copy()
        where = frame.columns.get_loc("kode_opd")
        kode = qualified.str.split("/", n=1).str[0].astype("category")
        frame.insert(where, "kode_instansi", kode)
        for column in columns:
            own = frame[column].astype("str").str.split("/", n=1).str[1]
            categorical = isinstance(frame[column].dtype, pd.CategoricalDtype)
            frame[column] = own.astype("category") if categorical else own
        return frame

    world.opd = split(world.opd, "kode_opd", "induk")
    world.pegawai = split(world.pegawai, "kode_opd")
    world.survei = split(world.survei, "kode_opd")
    world.organisasi = split(world.organisasi, "kode_opd")


def _latent(world: World, rng: np.random.Generator) -> None:
    """Latent work performance, behaviour, and each rater's (fair) bias."""
    a = world.arrays
    n = world.n
    perf = rng.standard_normal(n)
    a["perf"] = perf
    a["beh"] = 4.21 + 0.36 * (0.6 * perf + 0.8 * rng.standard_normal(n))
    a["rater_bias"] = np.clip(rng.normal(0.0, 0.07, n), -0.15, 0.15)
    a["rater_kind"] = np.zeros(n, dtype=np.int8)
    for name in ("contra_q", "contra_kind", "miss_perilaku_q", "miss_skp_q"):
        a[name] = np.full(n, -1, dtype=np.int8)
    for name in ("no_kehadiran", "miss_realisasi", "curve_member", "curve_sb"):
        a[name] = np.zeros(n, dtype=bool)
    a["poor_unit"] = np.zeros(0, dtype=np.int64)


def _plant(world: World, rng: np.random.Generator) -> None:
    """Choose, city by city, who and what carries each planted fact, and record it."""
    a = world.arrays
    nips = a["nip"]
    codes = world.opd["kode_opd"].to_numpy()
    planted: dict[str, Any] = {
        "kota": world.city_names,
        "n_pegawai": world.n,
        "seed": world.seed,
        "tahun": world.tahun,
        "plant": world.plant,
        "lenient_raters": [],
        "severe_raters": [],
        "curve_opds": [],
        "poor_ikm_units": [],
        "contradictions": [],
        "missing": {"perilaku": [], "skp": [], "realisasi": [], "kehadiran": []},
    }
    world.planted = planted
    if not world.plant:
        return
    city = a["city"]
    bounds = np.r_[0, np.flatnonzero(np.diff(city)) + 1, world.n]
    opd_base = a["opd_base"]
    opd_city = a["opd_city"]
    opd_sizes = np.bincount(a["opd"], minlength=len(codes))
    poor_units = []
    for c in range(len(bounds) - 1):
        people = np.arange(bounds[c], bounds[c + 1])
        opd = a["opd"][people]
        city_opds = np.flatnonzero(opd_city == c)
        # 3. an OPD over its distribution curve
        options = [
            o
            for code in cat.CURVE_CANDIDATES
            for o in city_opds
            if opd_base[o] == code and opd_sizes[o] >= 6
        ]
        if not options:
            small = [
                o for o in city_opds if opd_base[o] not in ("SETDA", "DISDIK", "DINKES", "PKM")
            ]
            options = [max(small, key=lambda o: opd_sizes[o])]
        curve = int(options[int(rng.integers(0, min(3, len(options))))])
        members = people[opd == curve]
        sb = rng.permutation(members)[: max(1, round(0.33 * len(members)))]
        a["curve_member"][members] = True
        a["curve_sb"][sb] = True
        planted["curve_opds"].append(
            {
                "kode_opd": codes[curve],
                "predikat_organisasi": "Butuh Perbaikan",
                "n_pegawai": len(members),
                "sangat_baik": nips[np.sort(sb)].tolist(),
            }
        )
        # 1–2. a lenient and a severe rater, each with at least eight direct subordinates
        direct = a["n_direct"][people]
        ok = (direct >= 8) & (direct <= 30) & (opd != curve) & (a["role"][people] != HEAD)
        ok &= opd_sizes[opd] >= 3 * direct
        candidates = people[ok]
        if len(candidates) < 2:
            candidates = people[(direct >= 8) & (opd != curve)]
        chosen: list[int] = []
        for kind, bias, team_beh, key in (
            (LENIENT, BIAS, 3.3, "lenient_raters"),
            (SEVERE, -BIAS, 4.6, "severe_raters"),
        ):
            pool = [int(p) for p in candidates if all(a["opd"][p] != a["opd"][q] for q in chosen)]
            if not pool:  # a small city: another team of the same OPD
                pool = [
                    int(p)
                    for p in candidates
                    if all(p != q and a["sup"][p] != q and a["sup"][q] != p for q in chosen)
                ]
            if not pool:
                continue
            rater = pool[int(rng.integers(0, len(pool)))]
            chosen.append(rater)
            a["rater_kind"][rater] = kind
            team = people[a["sup"][people] == rater]
            a["beh"][team] = team_beh + rng.normal(0, 0.12, len(team))
            planted[key].append(
                {
                    "nip_penilai": nips[rater],
                    "kode_opd": codes[a["opd"][rater]],
                    "bias": bias,
                    "bawahan": nips[team].tolist(),
                }
            )
        # 4. a Puskesmas whose public rates it poorly
        pkm = [o for o in city_opds if opd_base[o] == "PKM"]
        if pkm:
            poor = int(pkm[int(rng.integers(0, len(pkm)))])
            poor_units.append(poor)
        # 5–6. contradictions and missing data, among employees not planted otherwise
        special = a["curve_member"][people] | np.isin(people, chosen)
        special |= np.isin(a["sup"][people], chosen) | (a["sup"][people] < 0)
        free = people[~special]
        free = free[rng.permutation(len(free))]
        k_contra = max(1, round(0.012 * len(people)))
        k_missing = max(2, round(0.0015 * len(people)))
        k_real = max(2, round(0.004 * len(people)))
        take = np.split(
            free[: k_contra + 3 * k_missing + k_real],
            np.cumsum([k_contra, k_missing, k_missing, k_missing]),
        )
        contra, miss_p, miss_s, miss_k, miss_r = take
        a["contra_q"][contra] = rng.integers(0, 3, len(contra))
        a["contra_kind"][contra] = np.where(np.arange(len(contra)) % 2 == 0, ATAS, BAWAH)
        a["miss_perilaku_q"][miss_p] = rng.integers(0, 4, len(miss_p))
        a["miss_skp_q"][miss_s] = rng.integers(0, 4, len(miss_s))
        a["no_kehadiran"][miss_k] = True
        a["miss_realisasi"][miss_r] = True
        for key, who, q in (
            ("perilaku", miss_p, a["miss_perilaku_q"]),
            ("skp", miss_s, a["miss_skp_q"]),
        ):
            planted["missing"][key] += [
                {"nip": nips[p], "periode": world.periodes[q[p]]} for p in np.sort(who)
            ]
        planted["missing"]["kehadiran"] += nips[np.sort(miss_k)].tolist()
    # Boost the curve OPD's favoured employees so their evidence supports the label.
    sb = a["curve_sb"]
    a["perf"][sb] += 1.5
    a["beh"][sb] = np.maximum(a["beh"][sb], 4.6)
    a["poor_unit"] = np.asarray(poor_units, dtype=np.int64)


def _pegawai_table(world: World, reg: Registry) -> pd.DataFrame:
    """Build the pegawai table: one row per employee with OPD, unit, jabatan and supervisor."""
    a = world.arrays
    n = world.n
    titles = reg.titles.array()
    jf_titles = np.asarray([f"{j} {k}" for j in cat.JF_NAMES for k in cat.JENJANG], dtype=object)
    jabatan = np.where(
        (a["jf"] >= 0) & (a["role"] != KEPSEK),
        jf_titles[np.maximum(a["jf"], 0) * len(cat.JENJANG) + np.maximum(a["jenjang"], 0)],
        titles[np.maximum(a["title"], 0)],
    )
    sup = a["sup"]
    nip = pd.Series(a["nip"], dtype="str")
    frame = pd.DataFrame(
        {
            "nip": nip,
            "nama": pd.Series(a["nama"], dtype="str"),
            "kode_opd": pd.Categorical.from_codes(a["opd"], categories=world.opd["kode_opd"]),
            "unit_kerja": pd.Categorical.from_codes(a["unit"], categories=reg.units.values),
            "jabatan": pd.Categorical(jabatan),
            "jenis_jabatan": pd.Categorical.from_codes(a["jenis"], dtype=vocab.JENIS_JABATAN.dtype),
            "golongan": pd.Categorical.from_codes(a["golongan"], dtype=vocab.GOLONGAN.dtype),
            "status": pd.Categorical.from_codes(
                a["pppk"].astype(np.int8), dtype=vocab.STATUS_PEGAWAI.dtype
            ),
            "nip_atasan": pd.Categorical.from_codes(
                sup, categories=pd.Index(a["nip"], dtype="str")
            ),
            "jenis_kelamin": pd.Categorical.from_codes(
                a["female"].astype(np.int8), dtype=vocab.JENIS_KELAMIN.dtype
            ),
        }
    )
    frame["nip_atasan"] = frame["nip_atasan"].cat.remove_unused_categories()
    assert len(frame) == n
    return frame


def _survei(world: World, reg: Registry, rng: np.random.Generator) -> pd.DataFrame:
    """Public-satisfaction answers: 60–150 respondents per service unit and quarter."""
    if not reg.layanan:
        return pd.DataFrame()
    unit_opd = np.array([o for o, _ in reg.layanan])
    unit_name = pd.Index([u for _, u in reg.layanan]).unique()
    unit_code = unit_name.get_indexer([u for _, u in reg.layanan])
    n_units = len(unit_opd)
    # Most units rate B, about a fifth A; a planted Puskesmas rates D.
    mean = rng.uniform(3.2, 3.45, n_units)
    best = rng.permutation(n_units)[: max(1, round(0.2 * n_units))]
    mean[best] = rng.uniform(3.7, 3.85, len(best))
    poor = np.isin(unit_opd, world.arrays["poor_unit"])
    mean[poor] = 2.3
    cells = np.arange(n_units * 4)  # (unit, quarter)
    counts = rng.integers(60, 151, len(cells))
    rows = np.repeat(cells, counts)
    unit = rows // 4
    quarter = rows % 4
    respondent = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    cell_mean = mean[unit] + np.where(poor[unit], 0.0, rng.normal(0, 0.04, len(cells))[rows])
    person = rng.normal(0, 0.3, len(rows))
    latent = cell_mean[:, None] + IKM_OFFSET[None, :] * (~poor[unit])[:, None] + person[:, None]
    answers = np.clip(np.rint(latent + rng.normal(0, 0.45, latent.shape)), 1, 4).astype(np.int8)
    frame = pd.DataFrame(
        {
            "periode": pd.Categorical.from_codes(quarter, dtype=periode_dtype(world.periodes)),
            "kode_opd": pd.Categorical.from_codes(unit_opd[unit], categories=world.opd["kode_opd"]),
            "unit_layanan": pd.Categorical.from_codes(unit_code[unit], categories=unit_name),
            "responden": pd.Categorical.from_codes(
                respondent, categories=[f"R-{i + 1:04d}" for i in range(int(counts.max()))]
            ),
        }
    )
    for u in range(9):
        frame[f"u{u + 1}"] = answers[:, u]
    if world.plant:
        for o in np.flatnonzero(poor):
            world.planted["poor_ikm_units"].append(
                {
                    "kode_opd": world.opd["kode_opd"].iloc[unit_opd[o]],
                    "unit_layanan": str(unit_name[unit_code[o]]),
                    "mean_answer": 2.3,
                }
            )
    return frame


def _organisasi(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """Each OPD's predikat and achievement per period: Istimewa, except a planted one."""
    n_opd = len(world.opd)
    capaian = rng.uniform(100.0, 115.0, (n_opd, 4))
    predikat = np.full(n_opd, vocab.PREDIKAT_ORGANISASI.values.index("Istimewa"))
    planted = [c["kode_opd"] for c in world.planted["curve_opds"]]
    bad = world.opd["kode_opd"].isin(planted).to_numpy()
    capaian[bad] = rng.uniform(68.0, 78.0, (int(bad.sum()), 4))
    predikat[bad] = vocab.PREDIKAT_ORGANISASI.values.index("Butuh Perbaikan")
    capaian = np.round(np.c_[capaian, capaian.mean(axis=1)], 2)
    return pd.DataFrame(
        {
            "periode": pd.Categorical.from_codes(
                np.tile(np.arange(5), n_opd), dtype=periode_dtype(world.periodes)
            ),
            "kode_opd": pd.Categorical.from_codes(
                np.repeat(np.arange(n_opd), 5), categories=world.opd["kode_opd"]
            ),
            "predikat_organisasi": pd.Categorical.from_codes(
                np.repeat(predikat, 5), dtype=vocab.PREDIKAT_ORGANISASI.dtype
            ),
            "capaian": capaian.ravel(),
        }
    )
