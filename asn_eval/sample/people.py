"""The employees of a city: who they are, and who rates whom.

:func:`describe` gives everyone of a laid-out city (:mod:`asn_eval.sample.city`) their status
(PNS or PPPK), sex, dates, NIP, jenjang, golongan and a name with academic titles from
``catalogue/nama.toml``; :func:`relate` picks the peers and subordinates who rate them in the
year's multi-source behaviour review.
"""

from __future__ import annotations

import numpy as np

from asn_eval.sample import catalogue as cat
from asn_eval.sample.codes import ADM, FUNGSIONAL, GURU, HEAD, JPT, KEPSEK, PELAKSANA, PENGAWAS, PGW


def describe(a: dict[str, np.ndarray], tahun: int, rng: np.random.Generator) -> None:
    """Give everyone status, sex, birth and appointment dates, a NIP, jenjang, golongan and name.

    Parameters
    ----------
    a : dict of str to ndarray
        The employees' arrays (from :func:`~asn_eval.sample.city.build_city`); ``nip``,
        ``female``, ``pppk``, ``tenure``, ``jenjang``, ``golongan`` and ``nama`` are added.
    tahun : int
        The evaluation year.
    rng : numpy.random.Generator
        The random stream shared with :func:`relate`.
    """
    n = len(a["role"])
    role, jenis, jf = a["role"], a["jenis"], a["jf"]
    health = np.isin(jf, [cat.JF_INDEX[j] for j in cat.HEALTH_JF])
    teacher = role == GURU
    staff = (role == FUNGSIONAL) | (role == PELAKSANA) | teacher
    p_pppk = np.where(teacher, 0.30, np.where(health & staff, 0.25, np.where(staff, 0.06, 0.0)))
    pppk = rng.random(n) < p_pppk
    # Sex: teachers and health staff are mostly women; midwives all are.
    p_female = np.select(
        [jf == cat.JF_INDEX["Bidan"], teacher | health, staff], [1.0, 0.72, 0.45], 0.3
    )
    female = rng.random(n) < p_female
    # Years of service by post, then age at appointment; born 1965 … 2001.
    lo = np.select([jenis == JPT, jenis == ADM, jenis == PGW, role == KEPSEK], [22, 15, 10, 12], 1)
    hi = np.select([jenis == JPT, jenis == ADM, jenis == PGW, role == KEPSEK], [33, 30, 28, 30], 33)
    hi = np.where(pppk, 4, hi)
    lo = np.where(pppk, 1, lo)
    tenure = rng.integers(lo, hi + 1)
    age0 = np.where(pppk, rng.normal(29, 5, n), rng.normal(25.5, 3.5, n))
    age0 = np.clip(np.rint(age0), 19, 40).astype(np.int64)
    tmt_year = tahun - tenure
    # Appointed at 19–40 years of age (20–39 calendar years after birth), never this year.
    birth_year = np.clip(tmt_year - age0, 1965, min(2001, tahun - 21))
    tmt_year = np.clip(tmt_year, birth_year + 20, np.minimum(birth_year + 39, tahun - 1))
    tenure = tahun - tmt_year
    birth = birth_year * 10_000 + rng.integers(1, 13, n) * 100 + rng.integers(1, 29, n)
    tmt = tmt_year * 100 + rng.integers(1, 13, n)
    base = birth.astype(np.int64) * 10**10 + tmt * 10**4 + np.where(female, 2, 1) * 1000
    order = np.argsort(base, kind="stable")
    sorted_base = base[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_base)) + 1]
    run = np.repeat(starts, np.diff(np.r_[starts, n]))
    seq = np.empty(n, dtype=np.int64)
    seq[order] = np.arange(n) - run + 1
    a["nip"] = (base + seq).astype("U18")
    a["female"] = female
    a["pppk"] = pppk
    a["tenure"] = tenure
    # Jenjang of functional posts from the track and years of service.
    track = np.array([cat.JF_TRACK[j] for j in cat.JF_NAMES])
    skilled = (jf >= 0) & (rng.random(n) < track[np.maximum(jf, 0)])
    ahli = np.select(
        [tenure < 8, tenure < 16, tenure < 28], [0, 1, 2], np.where(rng.random(n) < 0.03, 3, 2)
    )
    terampil = np.select([tenure < 6, tenure < 14], [4, 5], 6)
    jenjang = np.where(skilled, terampil, ahli)
    jenjang = np.where(pppk, np.where(skilled, 4, 0), jenjang)
    a["jenjang"] = np.where(jf >= 0, jenjang, -1)
    # Golongan: positions in vocab.GOLONGAN.values (I/a = 0 … IV/e = 16, PPPK I = 17 …).
    g_lo = np.select(
        [jenis == JPT, jenis == ADM, jenis == PGW, role == PELAKSANA],
        [13, 11, 10, np.where(rng.random(n) < 0.4, 8, 4)],
        np.array([8, 10, 12, 15, 6, 8, 10])[np.maximum(jenjang, 0)],
    )
    g_span = np.select(
        [jenis == JPT, jenis == ADM, jenis == PGW, role == PELAKSANA],
        [2, 2, 2, 0],
        np.array([1, 1, 2, 1, 1, 1, 1])[np.maximum(jenjang, 0)],
    )
    golongan = g_lo + np.minimum(g_span, rng.integers(0, 3, n))
    golongan = np.where(role == PELAKSANA, np.minimum(golongan + tenure // 5, 11), golongan)
    pppk_grade = np.select([role == PELAKSANA, skilled], [21, 23], 25)  # PPPK V, VII, IX
    a["golongan"] = np.where(pppk, pppk_grade, golongan)
    # Names, with academic titles by profession (the first group that applies).
    groups = [
        ("dokter", jf == cat.JF_INDEX["Dokter"]),
        ("dokter_gigi", jf == cat.JF_INDEX["Dokter Gigi"]),
        ("perawat", jf == cat.JF_INDEX["Perawat"]),
        ("bidan", jf == cat.JF_INDEX["Bidan"]),
        ("apoteker", jf == cat.JF_INDEX["Apoteker"]),
        ("kesehatan", health),
        ("guru", jf == cat.JF_INDEX["Guru"]),
        ("pimpinan", role <= PENGAWAS),
        ("fungsional", role == FUNGSIONAL),
    ]
    group = np.select(
        [applies for _, applies in groups],
        [cat.GELAR_GROUPS.index(name) for name, _ in groups],
        cat.GELAR_GROUPS.index("pelaksana"),
    )
    gelar = np.asarray(cat.GELAR, dtype=object)[group, rng.integers(0, 6, n)]  # (n, 2)
    sd = np.dtypes.StringDType()
    first = np.where(
        female,
        np.asarray(cat.FEMALE, dtype=sd)[rng.integers(0, len(cat.FEMALE), n)],
        np.asarray(cat.MALE, dtype=sd)[rng.integers(0, len(cat.MALE), n)],
    )
    last = np.where(
        female,
        np.asarray(cat.LAST_FEMALE, dtype=sd)[rng.integers(0, len(cat.LAST_FEMALE), n)],
        np.asarray(cat.LAST_MALE, dtype=sd)[rng.integers(0, len(cat.LAST_MALE), n)],
    )
    prefix, suffix = gelar[:, 0].astype(sd), gelar[:, 1].astype(sd)
    a["nama"] = np.strings.add(
        np.strings.add(np.strings.add(prefix, first), " "), np.strings.add(last, suffix)
    )


def relate(a: dict[str, np.ndarray], rng: np.random.Generator) -> None:
    """Pick two peers per employee (same unit, else same OPD) and up to two rating subordinates.

    Parameters
    ----------
    a : dict of str to ndarray
        The employees' arrays; ``peers`` and ``bawahan`` (positions, -1 for none, two columns)
        and ``n_direct`` (direct subordinates) are added.
    rng : numpy.random.Generator
        The random stream shared with :func:`describe`.
    """
    n = len(a["role"])
    # Peer groups: staff of one unit; an OPD's administrators; its pengawas and principals;
    # the heads of one city. A group of one falls back to the whole OPD.
    opd = a["opd"].astype(np.int64)
    peer = a["peer"].astype(np.int64)
    span = int(peer.max()) + 1
    key = opd * span + peer
    key = np.where(a["role"] == HEAD, -1 - a["city"].astype(np.int64), key)
    key = np.where(_group_sizes(key) < 2, (int(opd.max()) + 1) * span + opd, key)
    peers = np.full((n, 2), -1, dtype=np.int32)
    order = np.lexsort((rng.random(n), key))
    skey = key[order]
    starts = np.r_[0, np.flatnonzero(np.diff(skey)) + 1]
    lengths = np.diff(np.r_[starts, n])
    start = np.repeat(starts, lengths)
    g = np.repeat(lengths, lengths)
    pos = np.arange(n) - start
    k1 = 1 + np.floor(rng.random(n) * np.maximum(g - 1, 1)).astype(np.int64)
    k2 = 1 + np.floor(rng.random(n) * np.maximum(g - 2, 1)).astype(np.int64)
    k2 = np.where(k2 >= k1, k2 + 1, k2)
    first = order[start + (pos + k1) % np.maximum(g, 1)]
    second = order[start + (pos + k2) % np.maximum(g, 1)]
    peers[order, 0] = np.where(g >= 2, first, -1)
    peers[order, 1] = np.where(g >= 3, second, -1)
    a["peers"] = peers
    # Two direct subordinates, at random, rate each supervisor in the year review.
    sup = a["sup"].astype(np.int64)
    has = np.flatnonzero(sup >= 0)
    order = has[np.lexsort((rng.random(len(has)), sup[has]))]
    ssup = sup[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ssup)) + 1] if len(order) else np.array([], int)
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    bawahan = np.full((n, 2), -1, dtype=np.int32)
    pick = rank < 2
    bawahan[ssup[pick], rank[pick]] = order[pick]
    a["bawahan"] = bawahan
    a["n_direct"] = np.bincount(sup[has], minlength=n).astype(np.int32)


def _group_sizes(key: np.ndarray) -> np.ndarray:
    """Return, for each element, how many elements share its key."""
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return counts[inverse]
