"""The fact tables: SKP, behaviour ratings, attendance, activity log and official results.

Generated in fixed chunks of employees (:data:`CHUNK`), each with its own random stream derived
from the seed, so a million employees stream to Parquet within bounded memory. Each table
follows the employees' latent traits and the planted facts of the world
(:mod:`asn_eval.sample.world`): ``skp`` (plans, indicators, realisations and the supervisor's
rating per RHK), ``perilaku`` (multi-source ratings of the seven BerAKHLAK values), ``kehadiran``
(attendance), ``aktivitas`` (the daily activity log) and ``penilaian`` (the official results,
their predikat from the national scheme's matrix).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from asn_eval.input import vocab
from asn_eval.sample import catalogue as cat
from asn_eval.sample.codes import (
    ATAS,
    ATASAN,
    BAWAH,
    BAWAHAN,
    BIAS,
    DIRI,
    LENIENT,
    NORMAL,
    REKAN,
    SESUAI,
    SEVERE,
    Interner,
    stream,
)
from asn_eval.sample.world import World
from asn_eval.scoring.scheme import load_scheme

CHUNK = 50_000
"""Employees per chunk of the fact tables.

Each chunk draws from its own random stream, derived from the seed and the chunk's index, so the
data depend only on (n_pegawai, seed, tahun, plant): this is a fixed part of what a seed means,
not a tuning knob (changing it would change the data, not just the memory used).
"""

FACT_TABLES = ("skp", "perilaku", "kehadiran", "aktivitas", "penilaian")

VALUE_OFFSET = np.array([0.05, 0.0, -0.05, 0.05, 0.1, -0.1, 0.0])
"""Small differences between the BerAKHLAK values, in their vocabulary order."""

PREDIKAT_SCHEME = "permenpan-6-2022"
"""The scheme whose predikat matrix gives the official results (DOMAIN.md §2)."""


@cache
def predikat_matrix() -> np.ndarray:
    """Return the national predikat matrix as codes: rows hasil kerja, columns perilaku.

    Returns
    -------
    ndarray of int, shape (3, 3)
        Positions in ``vocab.PREDIKAT.values`` by level codes (``vocab.LEVEL`` order).

    Examples
    --------
    >>> predikat_matrix().tolist()
    [[0, 2, 2], [1, 3, 3], [1, 3, 4]]
    """
    matrix = load_scheme(PREDIKAT_SCHEME).matrix
    levels, labels = vocab.LEVEL.values, vocab.PREDIKAT.values
    return np.array([[labels.index(matrix[h][p]) for p in levels] for h in levels])


# --- SKP templates as arrays ---------------------------------------------------------------------


def _flatten_templates() -> dict[str, np.ndarray]:
    """Flatten the RHK templates into arrays indexed by template, and by template and aspect."""
    templates = [t for fam in cat.FAMILIES for t in cat.RHK[fam]] + list(cat.TAMBAHAN)
    family_of = [f for f, fam in enumerate(cat.FAMILIES) for _ in cat.RHK[fam]]
    fmax = max(len(v) for v in cat.RHK.values())
    by_family = np.full((len(cat.FAMILIES), fmax), -1)
    i = 0
    for f, fam in enumerate(cat.FAMILIES):
        by_family[f, : len(cat.RHK[fam])] = np.arange(i, i + len(cat.RHK[fam]))
        i += len(cat.RHK[fam])
    indicator = Interner()
    satuan = Interner()
    t = len(templates)
    ind = np.zeros((t, 4), dtype=np.int32)
    sat = np.zeros((t, 4), dtype=np.int32)
    turun = np.zeros((t, 4), dtype=bool)
    target = np.zeros((t, 4, 2))
    for k, (_, kuan, kual, waktu) in enumerate(templates):
        aspects = (kuan, kual, waktu, cat.BIAYA)  # in the order of vocab.ASPEK
        ind[k] = [indicator(aspect[0]) for aspect in aspects]
        sat[k] = [satuan(aspect[1]) for aspect in aspects]
        turun[k] = [False, False, waktu[3] == "turun", True]
        target[k] = [(kuan[2], kuan[3]), (kual[2], kual[2]), (waktu[2], waktu[2]), (5, 50)]
    capped = np.isin(np.asarray(satuan.values), ["%", "nilai"])
    return {
        "rhk": np.asarray([tpl[0] for tpl in templates], dtype=object),
        "family_of": np.asarray(family_of),
        "by_family": by_family,
        "n_by_family": (by_family >= 0).sum(axis=1),
        "first_tambahan": np.asarray(len(family_of)),
        "indicator": indicator.array(),
        "satuan": satuan.array(),
        "ind": ind,
        "sat": sat,
        "turun": turun,
        "target": target,
        "capped": capped,
    }


_TPL = _flatten_templates()
_ACT_TEXT = np.asarray([t for fam in cat.FAMILIES for t in cat.AKTIVITAS[fam]], dtype=object)
_ACT_START = np.cumsum([0] + [len(cat.AKTIVITAS[f]) for f in cat.FAMILIES])[:-1]
_ACT_COUNT = np.asarray([len(cat.AKTIVITAS[f]) for f in cat.FAMILIES])
_RHK_IDS = [f"RHK-{i}" for i in range(1, 5)]


def _level(achievement: np.ndarray, style: np.ndarray, coin: np.ndarray) -> np.ndarray:
    """Return the level a supervisor gives for a mean achievement (%), by the supervisor's style.

    Fair supervisors round borderline cases up: 105–110 % is Di Atas half the time, 80–90 % is
    Sesuai. Lenient ones give Di Atas from 98 %; severe ones only from 115 %, Di Bawah below 90 %.
    """
    up = np.select([style == LENIENT, style == SEVERE], [98.0, 115.0], 110.0)
    border = np.where(style == NORMAL, 105.0, up)
    down = np.select([style == LENIENT, style == SEVERE], [75.0, 90.0], 80.0)
    atas = (achievement >= up) | ((achievement >= border) & (coin < 0.5))
    return np.select([atas, achievement < down], [ATAS, BAWAH], SESUAI).astype(np.int8)


@dataclass
class _Chunk:
    """One chunk of employees ``lo … hi`` and what its tables need from each other."""

    world: World
    lo: int
    hi: int
    rng: np.random.Generator
    global_nips: bool

    @property
    def size(self) -> int:
        return self.hi - self.lo

    def nip(self, index: np.ndarray) -> pd.Categorical:
        """NIPs of global employee positions (-1 for none) as a categorical."""
        nips = self.world.arrays["nip"]
        if self.global_nips:
            return pd.Categorical.from_codes(index, dtype=self.world.nip_dtype)
        if len(index) and index.min() >= self.lo and index.max() < self.hi:
            return pd.Categorical.from_codes(
                index - self.lo, categories=pd.Index(nips[self.lo : self.hi], dtype="str")
            )
        present = index >= 0
        used = np.zeros(len(nips), dtype=bool)
        used[index[present]] = True  # a mask and a running count instead of sorting the rows
        uniques = np.flatnonzero(used)
        codes = np.where(present, np.cumsum(used)[np.maximum(index, 0)] - 1, -1).astype(np.int32)
        return pd.Categorical.from_codes(codes, categories=pd.Index(nips[uniques], dtype="str"))

    def periode(self, codes: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, dtype=self.world.periode_dtype)


def _skp(ch: _Chunk) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Plans, indicators and realisations of one chunk, with the evidence each rating follows."""
    a, rng = ch.world.arrays, ch.rng
    e_n = ch.size
    emp = np.arange(ch.lo, ch.hi)
    fam = a["family"][emp]
    # 2–4 RHK: 1–3 utama from the family's templates, plus one tambahan (always after one utama).
    n_utama = rng.choice([1, 2, 3], size=e_n, p=[0.25, 0.45, 0.30])
    n_utama = np.minimum(n_utama, _TPL["n_by_family"][fam])
    tambahan = (rng.random(e_n) < 0.35) | (n_utama == 1)
    n_rhk = n_utama + tambahan
    by_family = _TPL["by_family"][fam]
    keys = np.where(by_family >= 0, rng.random(by_family.shape), 2.0)
    utama = np.take_along_axis(by_family, np.argsort(keys, axis=1), axis=1)[:, :3]
    extra = _TPL["first_tambahan"] + rng.integers(0, len(cat.TAMBAHAN), e_n)
    slot = np.arange(4)[None, :]
    tpl = np.where(slot < n_utama[:, None], np.pad(utama, ((0, 0), (0, 1))), extra[:, None])
    valid = slot < n_rhk[:, None]
    r_emp, r_slot = np.nonzero(valid)
    r_tpl = tpl[r_emp, r_slot]
    r_utama = r_slot < n_utama[r_emp]
    n_r = len(r_emp)
    # Indicators: kuantitas and kualitas always, waktu mostly, biaya for about one RHK in ten.
    has = np.c_[np.ones((n_r, 2), bool), rng.random(n_r) < 0.85, rng.random(n_r) < 0.10]
    p_rhk, p_aspect = np.nonzero(has)
    p_emp = r_emp[p_rhk]
    p_tpl = r_tpl[p_rhk]
    n_p = len(p_rhk)
    lo, hi = _TPL["target"][p_tpl, p_aspect, 0], _TPL["target"][p_tpl, p_aspect, 1]
    turun = _TPL["turun"][p_tpl, p_aspect]
    capped = _TPL["capped"][_TPL["sat"][p_tpl, p_aspect]]
    t_q = np.select(
        [p_aspect == 0, p_aspect == 3, capped],
        [
            rng.integers(lo.astype(int), hi.astype(int) + 1),
            rng.integers(5, 51, n_p) * 1_000_000.0,
            np.minimum(lo + rng.choice([-5, 0, 0, 5], n_p), 95),
        ],
        np.maximum(1, np.rint(lo * rng.choice([0.8, 1.0, 1.0, 1.25], n_p))),
    ).astype(float)
    # Realisations per quarter from the employee's latent performance.
    level = 1.035 + 0.06 * a["perf"][emp]
    level_q = level[:, None] * np.exp(rng.normal(0, 0.025, (e_n, 4)))
    contra_q = a["contra_q"][emp]
    contra_kind = a["contra_kind"][emp]
    has_contra = contra_q >= 0
    rows_c = np.flatnonzero(has_contra)
    level_q[rows_c, contra_q[rows_c]] = np.where(contra_kind[rows_c] == ATAS, 0.66, 1.4)
    sigma = np.array([0.07, 0.04, 0.06, 0.04])[p_aspect]
    ach = level_q[p_emp] * np.exp(sigma[:, None] * rng.standard_normal((n_p, 4)))
    t = t_q[:, None]
    real = np.where(turun[:, None], t / ach, t * ach)
    real = np.where(
        (p_aspect == 0)[:, None],
        np.rint(real),
        np.where((p_aspect == 3)[:, None], np.round(real, -3), np.round(real, 1)),
    )
    real = np.where(capped[:, None], np.minimum(real, 100.0), real)
    summed = (p_aspect == 0) | (p_aspect == 3)
    target = np.c_[np.repeat(t, 4, axis=1), np.where(summed, 4 * t_q, t_q)]
    year = np.where(summed, real.sum(axis=1), np.round(real.mean(axis=1), 2))
    real = np.c_[real, year]
    # Planted: some indicators not reported yet in TW4 (so the year is open too).
    missing_real = a["miss_realisasi"][emp][p_emp] & (rng.random(n_p) < 0.6)
    real[missing_real, 3] = np.nan
    real[missing_real, 4] = np.nan
    # Achievement per indicator, capped at 150 %; means per RHK and per employee, by period.
    with np.errstate(divide="ignore", invalid="ignore"):
        achieved = np.where(turun[:, None], target / real, real / target) * 100.0
    achieved = np.minimum(achieved, 150.0)
    style = np.where(a["sup"][emp] >= 0, a["rater_kind"][np.maximum(a["sup"][emp], 0)], NORMAL)
    present = ~np.isnan(achieved)
    filled = np.where(present, achieved, 0.0)
    rhk_mean = _group_mean(p_rhk, filled, present, n_r)
    emp_mean = _group_mean(p_emp, filled, present, e_n)
    rating = _level(rhk_mean, style[r_emp][:, None], rng.random((n_r, 5)))
    given = _level(emp_mean, style[:, None], rng.random((e_n, 5)))
    # Di Atas needs every utama RHK at least Sesuai (PermenPAN-RB 6/2022).
    utama_below = np.zeros((e_n, 5), dtype=bool)
    np.logical_or.at(utama_below, r_emp[r_utama], rating[r_utama] == BAWAH)
    given = np.where((given == ATAS) & utama_below, SESUAI, given).astype(np.int8)
    # Planted contradictions hold only where the indicators really say the opposite.
    contra = np.zeros((e_n, 5), dtype=bool)
    q = np.where(has_contra, contra_q, 0)
    at_q = emp_mean[np.arange(e_n), q]
    holds = has_contra & np.where(contra_kind == ATAS, at_q < 80.0, at_q >= 115.0)
    contra[np.flatnonzero(holds), q[holds]] = True
    given = np.where(contra, contra_kind[:, None], given).astype(np.int8)
    rating = np.where(contra[r_emp], contra_kind[r_emp][:, None], rating).astype(np.int8)
    rating_shown = np.where((rng.random((n_r, 5)) < 0.08) & ~contra[r_emp], -1, rating)
    feedback = np.where(rng.random((n_r, 5)) < 0.15, rating * 2 + rng.integers(0, 2, (n_r, 5)), -1)
    # Rows: employee → period → RHK → indicator; the planted gaps dropped.
    per_emp = np.bincount(p_emp, minlength=e_n)
    first_row = np.cumsum(per_emp) - per_emp
    out_emp = np.repeat(np.arange(e_n), 5 * per_emp)
    offset = np.arange(len(out_emp)) - np.repeat(5 * first_row, 5 * per_emp)
    period = offset // per_emp[out_emp]
    row = first_row[out_emp] + offset % per_emp[out_emp]
    keep = a["miss_skp_q"][emp][out_emp] != period
    out_emp, period, row = out_emp[keep], period[keep], row[keep]
    rhk = p_rhk[row]
    is_first = np.r_[True, p_rhk[1:] != p_rhk[:-1]][row]
    fb = np.where(is_first, feedback[rhk, period], -1)
    fb_texts = [t for pair in cat.FEEDBACK_SKP for t in pair]
    frame = pd.DataFrame(
        {
            "periode": ch.periode(period),
            "nip": ch.nip(out_emp + ch.lo),
            "rhk_id": pd.Categorical.from_codes(r_slot[rhk], categories=_RHK_IDS),
            "rhk": pd.Categorical.from_codes(p_tpl[row], categories=_TPL["rhk"]),
            "jenis_rhk": pd.Categorical.from_codes(
                (~r_utama[rhk]).astype(np.int8), dtype=vocab.JENIS_RHK.dtype
            ),
            "aspek": pd.Categorical.from_codes(p_aspect[row], dtype=vocab.ASPEK.dtype),
            "indikator": pd.Categorical.from_codes(
                _TPL["ind"][p_tpl[row], p_aspect[row]], categories=_TPL["indicator"]
            ),
            "target": target[row, period],
            "realisasi": real[row, period],
            "satuan": pd.Categorical.from_codes(
                _TPL["sat"][p_tpl[row], p_aspect[row]], categories=_TPL["satuan"]
            ),
            "arah": pd.Categorical.from_codes(turun[row].astype(np.int8), dtype=vocab.ARAH.dtype),
            "rating_atasan": pd.Categorical.from_codes(
                rating_shown[rhk, period], dtype=vocab.LEVEL.dtype
            ),
            "umpan_balik": pd.Categorical.from_codes(fb, categories=fb_texts),
        }
    )
    evidence = {"capaian": emp_mean, "given": given, "contra": contra, "n_rhk": n_rhk}
    return frame, evidence


def _group_mean(group: np.ndarray, values: np.ndarray, present: np.ndarray, n: int) -> np.ndarray:
    """Mean of ``values`` (rows × periods) by row group, over present cells only."""
    out = np.full((n, values.shape[1]), np.nan)
    for p in range(values.shape[1]):
        total = np.bincount(group, weights=values[:, p], minlength=n)
        count = np.bincount(group, weights=present[:, p], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, p] = total / count
    return out


def _perilaku(ch: _Chunk) -> tuple[pd.DataFrame, np.ndarray]:
    """Multi-source behaviour ratings; returns them and each supervisor's mean score."""
    a, rng = ch.world.arrays, ch.rng
    e_n = ch.size
    emp = np.arange(ch.lo, ch.hi)
    sup = a["sup"][emp]
    peers, bawahan = a["peers"][emp], a["bawahan"][emp]
    raters, roles, periods, ratees = [], [], [], []
    for p in range(5):
        sources = [(sup, ATASAN), (np.full(e_n, -2), DIRI)]
        if p == 4:
            sources += [
                (peers[:, 0], REKAN),
                (peers[:, 1], REKAN),
                (bawahan[:, 0], BAWAHAN),
                (bawahan[:, 1], BAWAHAN),
            ]
        for who, role in sources:
            ok = (who >= 0) | (role == DIRI)
            if p < 4:
                ok &= a["miss_perilaku_q"][emp] != p
            raters.append(who[ok])
            roles.append(np.full(int(ok.sum()), role, dtype=np.int8))
            periods.append(np.full(int(ok.sum()), p, dtype=np.int8))
            ratees.append(np.flatnonzero(ok))
    rater = np.concatenate(raters)
    role = np.concatenate(roles)
    period = np.concatenate(periods)
    ratee = np.concatenate(ratees)
    # Rows: employee → period → rater, then the seven values.
    order = np.lexsort((role, period, ratee))
    rater, role, period, ratee = rater[order], role[order], period[order], ratee[order]
    n_src = len(rater)
    value = np.tile(np.arange(7), n_src)
    rater, role, period, ratee = (np.repeat(x, 7) for x in (rater, role, period, ratee))
    bias = np.where(rater >= 0, a["rater_bias"][np.maximum(rater, 0)], 0.0)
    kind = np.where((role == ATASAN) & (rater >= 0), a["rater_kind"][np.maximum(rater, 0)], 0)
    bias = bias + np.select([kind == LENIENT, kind == SEVERE], [BIAS, -BIAS], 0.0)
    bias = bias + np.where(role == DIRI, 0.3, 0.0)
    trait = a["beh"][emp][:, None] + VALUE_OFFSET[None, :] + rng.normal(0, 0.15, (e_n, 7))
    drift = rng.normal(0, 0.08, (e_n, 5))
    mu = trait[ratee, value] + drift[ratee, period] + bias
    score = np.clip(np.rint(mu + rng.normal(0, 0.45, len(mu))), 1, 5).astype(np.int8)
    total = np.zeros((e_n, 5))
    count = np.zeros((e_n, 5))
    atasan = role == ATASAN
    np.add.at(total, (ratee[atasan], period[atasan]), score[atasan])
    np.add.at(count, (ratee[atasan], period[atasan]), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sup_mean = total / count
    feedback = np.where(atasan & (rng.random(len(score)) < 0.05), score - 1, -1)
    frame = pd.DataFrame(
        {
            "periode": ch.periode(period),
            "nip": ch.nip(ratee + ch.lo),
            "nip_penilai": ch.nip(np.where(role == DIRI, -1, rater)),
            "peran_penilai": pd.Categorical.from_codes(role, dtype=vocab.PERAN_PENILAI.dtype),
            "nilai_inti": pd.Categorical.from_codes(value, dtype=vocab.NILAI_INTI.dtype),
            "skor": score,
            "umpan_balik": pd.Categorical.from_codes(feedback, categories=cat.FEEDBACK_PERILAKU),
        }
    )
    return frame, sup_mean


def _kehadiran(ch: _Chunk) -> pd.DataFrame:
    """Working days, presence, lateness, absence and leave per employee and period."""
    a, rng = ch.world.arrays, ch.rng
    e_n = ch.size
    days = ch.world.working_days
    per_quarter = np.array(
        [(days.astype("datetime64[M]").astype(int) % 12 // 3 == q).sum() for q in range(4)]
    )
    cuti = np.minimum(rng.poisson(2.5, (e_n, 4)), 12)
    izin = rng.poisson(1.0, (e_n, 4))
    careless = rng.random(e_n) < 0.05
    tk = rng.poisson(np.where(careless, 1.5, 0.08)[:, None], (e_n, 4))
    hari = np.broadcast_to(per_quarter, (e_n, 4))
    cuti = np.minimum(cuti, hari)
    tk = np.minimum(tk, hari - cuti)
    hadir = np.maximum(hari - cuti - tk - izin, 0)
    late_rate = rng.lognormal(np.log(2.0), 1.0, e_n) * (1.3 - 0.3 * (a["beh"][ch.lo : ch.hi] - 4))
    late = rng.poisson(np.maximum(late_rate, 0)[:, None] * hadir)
    table = np.stack([hari, hadir, late, tk, cuti], axis=-1)  # (e, 4, 5)
    table = np.concatenate([table, table.sum(axis=1, keepdims=True)], axis=1)
    keep = ~a["no_kehadiran"][ch.lo : ch.hi]
    emp = np.repeat(np.flatnonzero(keep), 5)
    period = np.tile(np.arange(5), int(keep.sum()))
    values = table[keep].reshape(-1, 5)
    return pd.DataFrame(
        {
            "periode": ch.periode(period),
            "nip": ch.nip(emp + ch.lo),
            "hari_kerja": values[:, 0].astype(np.int16),
            "hadir": values[:, 1].astype(np.int16),
            "terlambat_menit": values[:, 2].astype(np.int32),
            "tanpa_keterangan": values[:, 3].astype(np.int16),
            "cuti": values[:, 4].astype(np.int16),
        }
    )


def _aktivitas(ch: _Chunk, n_rhk: np.ndarray) -> pd.DataFrame:
    """Log daily activity: entries on a share of working days, approved by the supervisor."""
    a, rng = ch.world.arrays, ch.rng
    e_n = ch.size
    days = ch.world.working_days
    rate = rng.uniform(0.4, 0.95, e_n)
    reported = rng.random((e_n, len(days)), dtype=np.float32) < rate[:, None].astype(np.float32)
    emp, day = np.nonzero(reported)
    double = rng.random(len(emp)) < 0.08
    emp, day, double = (
        np.repeat(emp, 1 + double),
        np.repeat(day, 1 + double),
        np.repeat(double, 1 + double),
    )
    n = len(emp)
    minutes = np.where(double, rng.integers(2, 9, n), rng.integers(2, 17, n)) * 30
    fam = a["family"][ch.lo : ch.hi][emp]
    text = _ACT_START[fam] + (rng.random(n) * _ACT_COUNT[fam]).astype(np.int64)
    rhk = (rng.random(n) * n_rhk[emp]).astype(np.int8)
    # Mostly approved; some rejected; a backlog of pending entries in the last weeks.
    late = day >= len(days) - 15
    u = rng.random(n)
    status = np.select([u < np.where(late, 0.55, 0.006), u > 0.97], [2, 1], 0).astype(np.int8)
    sup = a["sup"][ch.lo : ch.hi][emp]
    approver = np.where(status == 2, -1, sup)
    return pd.DataFrame(
        {
            "tanggal": days[day].astype("datetime64[s]"),
            "nip": ch.nip(emp + ch.lo),
            "uraian": pd.Categorical.from_codes(text, categories=_ACT_TEXT),
            "durasi_menit": minutes.astype(np.int16),
            "rhk_id": pd.Categorical.from_codes(rhk, categories=_RHK_IDS),
            "status": pd.Categorical.from_codes(status, dtype=vocab.STATUS_AKTIVITAS.dtype),
            "nip_penyetuju": ch.nip(approver),
        }
    )


def _penilaian(ch: _Chunk, evidence: dict[str, np.ndarray], sup_mean: np.ndarray) -> pd.DataFrame:
    """Results as the official system gives them: levels that mostly follow the evidence."""
    a = ch.world.arrays
    e_n = ch.size
    emp = np.arange(ch.lo, ch.hi)
    hasil = evidence["given"].astype(np.int64)
    beh = a["beh"][emp][:, None]
    no_sup = np.isnan(sup_mean)
    basis = np.where(no_sup, beh + 0.05, sup_mean)
    perilaku = np.select([basis >= 4.5, basis >= 3.0], [ATAS, SESUAI], BAWAH)
    # The planted curve OPD: a third Sangat Baik, everyone else Baik.
    member = a["curve_member"][emp][:, None]
    sb = a["curve_sb"][emp][:, None]
    hasil = np.where(sb, ATAS, np.where(member, SESUAI, hasil))
    perilaku = np.where(sb, ATAS, np.where(member, np.maximum(perilaku, SESUAI), perilaku))
    predikat = predikat_matrix()[hasil, perilaku]
    # Periods whose SKP or behaviour ratings are missing have no official result.
    keep = np.ones((e_n, 5), dtype=bool)
    for name in ("miss_skp_q", "miss_perilaku_q"):
        q = a[name][emp]
        rows = np.flatnonzero(q >= 0)
        keep[rows, q[rows]] = False
    e, p = np.nonzero(keep)
    return pd.DataFrame(
        {
            "periode": ch.periode(p),
            "nip": ch.nip(e + ch.lo),
            "rating_hasil_kerja": pd.Categorical.from_codes(hasil[e, p], dtype=vocab.LEVEL.dtype),
            "rating_perilaku": pd.Categorical.from_codes(perilaku[e, p], dtype=vocab.LEVEL.dtype),
            "predikat": pd.Categorical.from_codes(predikat[e, p], dtype=vocab.PREDIKAT.dtype),
        }
    )


def _facts(world: World, k: int, global_nips: bool) -> dict[str, pd.DataFrame]:
    """Generate the fact tables of chunk ``k``; record what it planted in ``world.planted``."""
    lo, hi = k * CHUNK, min(world.n, (k + 1) * CHUNK)
    ch = _Chunk(world, lo, hi, stream(world.seed, 2, k), global_nips)
    skp, evidence = _skp(ch)
    perilaku, sup_mean = _perilaku(ch)
    tables = {
        "skp": skp,
        "perilaku": perilaku,
        "kehadiran": _kehadiran(ch),
        "aktivitas": _aktivitas(ch, evidence["n_rhk"]),
        "penilaian": _penilaian(ch, evidence, sup_mean),
    }
    if world.plant:
        nips = world.arrays["nip"]
        e, p = np.nonzero(evidence["contra"])
        level_names = vocab.LEVEL.values
        world.planted["contradictions"] += [
            {
                "nip": nips[lo + i],
                "periode": world.periodes[q],
                "rating_hasil_kerja": level_names[int(evidence["given"][i, q])],
                "capaian": round(float(evidence["capaian"][i, q]), 1),
            }
            for i, q in zip(e.tolist(), p.tolist(), strict=True)
        ]
        empty = skp[skp["realisasi"].isna() & (skp["periode"] == world.periodes[3])]
        world.planted["missing"]["realisasi"] += [
            {"nip": n, "periode": world.periodes[3], "rhk_id": r, "indikator": i}
            for n, r, i in zip(
                empty["nip"].astype(str),
                empty["rhk_id"].astype(str),
                empty["indikator"].astype(str),
                strict=True,
            )
        ]
    return tables


def chunks(world: World, global_nips: bool) -> Iterator[dict[str, pd.DataFrame]]:
    """Generate the fact tables chunk after chunk of :data:`CHUNK` employees.

    Parameters
    ----------
    world : World
        The sample's world (:func:`asn_eval.sample.world.prepare`); what each chunk plants is
        added to ``world.planted``.
    global_nips : bool
        True: NIP columns are categoricals over every NIP of the sample, as one in-memory table
        needs; False: over the NIPs the chunk uses, as a file written chunk by chunk needs.

    Yields
    ------
    dict of str to DataFrame
        The chunk's rows of each fact table (:data:`FACT_TABLES`).
    """
    for k in range(-(-world.n // CHUNK)):
        yield _facts(world, k, global_nips)
