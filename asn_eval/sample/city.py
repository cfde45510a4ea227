"""The structure of one city: its OPD, their units and posts, and the supervisor chain.

:func:`build_city` lays out one city of a given size from the template in ``catalogue/opd.toml``:
about 30 OPD with Puskesmas under the Dinas Kesehatan, 40–50 % teachers in the schools of the
Dinas Pendidikan, 15–25 % health staff, and a supervisor chain from every employee up to the
Sekretaris Daerah. Employees are rows of parallel arrays (:class:`Parts`); texts shared by all
cities (unit names, jabatan titles, OPD rows) are coded in a :class:`Registry`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from asn_eval.sample import catalogue as cat
from asn_eval.sample.codes import (
    ADM,
    ADMIN,
    FUN,
    FUNGSIONAL,
    GURU,
    HEAD,
    KEPSEK,
    PEER_ADMIN,
    PEER_HEAD,
    PEER_KEPSEK,
    PEER_PENGAWAS,
    PEER_STAFF,
    PELAKSANA,
    PENGAWAS,
    PGW,
    PLK,
    Interner,
)

KELURAHAN_PER_KECAMATAN = 3
"""Kelurahan units of each Kecamatan."""


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainders).

    Parameters
    ----------
    total : int
        The number to split.
    weights : ndarray of float
        Relative weights, one per part.

    Returns
    -------
    ndarray of int
        One count per weight, summing to ``total`` (zeros when ``total`` is not positive).

    Examples
    --------
    >>> allocate(10, np.array([1.0, 1.0, 1.0])).tolist()
    [4, 3, 3]
    """
    weights = np.asarray(weights, dtype=float)
    if total <= 0 or len(weights) == 0:
        return np.zeros(len(weights), dtype=np.int64)
    share = weights / weights.sum() * total
    counts = np.floor(share).astype(np.int64)
    rest = int(total - counts.sum())
    if rest > 0:
        counts[np.argsort(-(share - counts), kind="stable")[:rest]] += 1
    return counts


@dataclass
class Parts:
    """Employees of one OPD (or one city) as parallel arrays, appended piece by piece."""

    columns: dict[str, list[np.ndarray]] = field(default_factory=dict)
    size: int = 0

    def add(self, **arrays: np.ndarray | int) -> np.ndarray:
        """Append members; scalars are broadcast.

        Parameters
        ----------
        **arrays : ndarray or int
            One value or array per column, all arrays of the same length.

        Returns
        -------
        ndarray of int
            The new members' positions.
        """
        n = max(np.size(a) for a in arrays.values())
        for name, values in arrays.items():
            self.columns.setdefault(name, []).append(np.broadcast_to(np.asarray(values), (n,)))
        positions = np.arange(self.size, self.size + n)
        self.size += n
        return positions

    def concat(self) -> dict[str, np.ndarray]:
        """Return every column as one array."""
        return {name: np.concatenate(parts) for name, parts in self.columns.items()}


@dataclass
class Registry:
    """Codes shared by all cities: unit names, jabatan titles, OPD rows."""

    units: Interner = field(default_factory=Interner)
    titles: Interner = field(default_factory=Interner)
    opd_rows: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    opd_base: list[str] = field(default_factory=list)  # the code without the city prefix
    opd_city: list[int] = field(default_factory=list)
    layanan: list[tuple[int, str]] = field(default_factory=list)  # (opd row, unit_layanan)


def _members(
    parts: Parts,
    spec: cat.OpdSpec,
    n: int,
    opd: int,
    display: str,
    rng: np.random.Generator,
    reg: Registry,
) -> dict[str, int]:
    """Add the ``n`` employees of one OPD: its head, unit leaders and staff.

    Returns the position of the head and of each active unit's leader, by unit name.
    """
    head = int(
        parts.add(
            role=HEAD,
            jenis=spec.head_jenis,
            title=reg.titles(spec.head),
            unit=reg.units(display),
            opd=opd,
            sup=-1,
            jf=-1,
            family=cat.FAMILY_INDEX["pimpinan"],
            peer=PEER_HEAD,
        )[0]
    )
    budget = max(0, (n - 1) // 5)
    active: list[int] = []
    leader_at: dict[int, int] = {}
    for i, unit in enumerate(spec.units):
        if unit.parent >= 0 and unit.parent not in active:
            continue
        if unit.leader is not None:
            if budget == 0:
                continue
            budget -= 1
            sup = leader_at.get(unit.parent, head)
            leader_at[i] = int(
                parts.add(
                    role=ADMIN if unit.kind == ADMIN else PENGAWAS,
                    jenis=ADM if unit.kind == ADMIN else PGW,
                    title=reg.titles(unit.leader),
                    unit=reg.units(unit.name),
                    opd=opd,
                    sup=sup,
                    jf=-1,
                    family=cat.FAMILY_INDEX["pimpinan"],
                    peer=PEER_ADMIN if unit.kind == ADMIN else PEER_PENGAWAS,
                )[0]
            )
        active.append(i)
    staff = n - 1 - len(leader_at)
    n_fun = int(rng.binomial(staff, spec.fungsional)) if staff > 0 else 0
    for kind, count in ((FUNGSIONAL, n_fun), (PELAKSANA, staff - n_fun)):
        if count <= 0:
            continue
        wanted = "fungsional" if kind == FUNGSIONAL else "pelaksana"
        eligible = [i for i in active if spec.units[i].staff in ("any", wanted)] or active
        if eligible:
            counts = allocate(count, np.array([spec.units[i].weight for i in eligible]))
            unit_code = np.repeat([reg.units(spec.units[i].name) for i in eligible], counts)
            sup = np.repeat(
                [leader_at.get(i, leader_at.get(spec.units[i].parent, head)) for i in eligible],
                counts,
            )
        else:  # a small OPD: everyone reports to the head
            unit_code = np.full(count, reg.units(display))
            sup = np.full(count, head)
        family = cat.FAMILY_INDEX[spec.family]
        if kind == PELAKSANA and spec.family.startswith("kesehatan"):
            family = cat.FAMILY_INDEX["umum"]
        if kind == FUNGSIONAL:
            codes = np.array([cat.JF_INDEX[name] for name, _ in spec.jf])
            weights = np.array([w for _, w in spec.jf])
            jf, title = rng.choice(codes, size=count, p=weights / weights.sum()), -1
        else:
            codes = np.array([reg.titles(t) for t, _ in cat.PELAKSANA_TITLES])
            weights = np.array([w for _, w in cat.PELAKSANA_TITLES])
            jf, title = -1, rng.choice(codes, size=count, p=weights / weights.sum())
        # Staff of one unit are each other's peers: the unit's code keys the group.
        parts.add(
            role=np.full(count, kind),
            jenis=FUN if kind == FUNGSIONAL else PLK,
            title=title,
            unit=unit_code,
            opd=opd,
            sup=sup,
            jf=jf,
            family=family,
            peer=PEER_STAFF + unit_code,
        )
    return {spec.units[i].name: pos for i, pos in leader_at.items()} | {"": head}


def _schools(
    parts: Parts,
    opd: int,
    leaders: dict[str, int],
    teachers: int,
    rng: np.random.Generator,
    reg: Registry,
) -> None:
    """Add the SD and SMP of the Dinas Pendidikan: a principal, teachers and (SMP) two clerks."""
    n_smp = max(1, round(teachers * 0.3 / 32))
    smp_teachers = max(2 * n_smp, round(teachers * 0.3))
    sd_teachers = teachers - smp_teachers
    n_sd = max(1, round(sd_teachers / 11))
    kepsek_title = reg.titles(cat.SCHOOLS.head)
    clerk_titles = np.array([reg.titles(t) for t in cat.SCHOOLS.clerks])
    guru = cat.JF_INDEX["Guru"]
    for level, n_school, total, clerks in (
        ("SD", n_sd, sd_teachers, 0),
        ("SMP", n_smp, smp_teachers, 2),
    ):
        if total <= 0:
            continue
        sizes = allocate(total, rng.uniform(0.7, 1.3, n_school))
        sizes = sizes[sizes > 0]
        units = np.array(
            [
                reg.units(cat.SCHOOLS.unit.format(jenjang=level, nomor=i))
                for i in range(1, len(sizes) + 1)
            ]
        )
        kepsek = parts.add(
            role=np.full(len(sizes), KEPSEK),
            jenis=FUN,
            title=kepsek_title,
            unit=units,
            opd=opd,
            sup=leaders.get(cat.SCHOOLS.bidang[level], leaders[""]),
            jf=guru,
            family=cat.FAMILY_INDEX["pimpinan"],
            peer=PEER_KEPSEK,
        )
        unit = np.repeat(units, sizes - 1)
        parts.add(
            role=np.full(len(unit), GURU),
            jenis=FUN,
            title=-1,
            unit=unit,
            opd=opd,
            sup=np.repeat(kepsek, sizes - 1),
            jf=guru,
            family=cat.FAMILY_INDEX["guru"],
            peer=PEER_STAFF + unit,
        )
        if clerks:
            unit = np.repeat(units, clerks)
            parts.add(
                role=np.full(len(unit), PELAKSANA),
                jenis=PLK,
                title=rng.choice(clerk_titles, len(unit)),
                unit=unit,
                opd=opd,
                sup=np.repeat(kepsek, clerks),
                jf=-1,
                family=cat.FAMILY_INDEX["umum"],
                peer=PEER_STAFF + unit,
            )


def build_city(
    size: int, city: int, prefix: str, suffix: str, rng: np.random.Generator, reg: Registry
) -> dict[str, np.ndarray]:
    """Lay out one city of ``size`` employees: its OPD, units, posts and supervisor chain.

    Parameters
    ----------
    size : int
        Employees of the city.
    city : int
        The city's number (0 for the first).
    prefix, suffix : str
        Added to OPD codes (``"K01-"``) and names (``" Kota Sukamaju"``) when the sample is
        several cities; empty otherwise.
    rng : numpy.random.Generator
        The city's random stream.
    reg : Registry
        Codes shared by all cities; the city's OPD rows are appended to it.

    Returns
    -------
    dict of str to ndarray
        One entry per employee: ``role``, ``jenis``, ``title``, ``unit``, ``opd``, ``sup``
        (position of the supervisor in the city, -1 for the Sekretaris Daerah), ``jf``,
        ``family``, ``peer`` and ``city``.
    """
    teachers = round(size * rng.uniform(0.43, 0.47))
    n_smp_clerks = 2 * max(1, round(teachers * 0.3 / 32))
    health = round(size * rng.uniform(0.17, 0.21))
    n_pkm = int(np.clip(round(size / 370) + rng.integers(-1, 2), 1, 8))
    dinkes_office = max(4, round(health * 0.15))
    pkm_sizes = np.maximum(allocate(health - dinkes_office, rng.uniform(0.8, 1.2, n_pkm)), 4)
    if size >= 1500:
        n_kec = int(rng.integers(4, 6))
    else:
        n_kec = int(np.clip(size // 300, 1, 4))
    rest = size - teachers - n_smp_clerks - dinkes_office - int(pkm_sizes.sum())
    others = sorted(
        [s for s in cat.OPD_TEMPLATE if s.code != "DINKES"], key=lambda s: s.priority
    )  # stable: template order within a priority
    per_kec = KELURAHAN_PER_KECAMATAN
    kec_names = rng.choice(cat.KECAMATAN_NAMES, n_kec, replace=False)
    places = rng.choice(
        cat.PLACE_NAMES, min(len(cat.PLACE_NAMES), n_pkm + per_kec * n_kec), replace=False
    )
    kecamatan = []
    for k, name in enumerate(kec_names):
        kel = places[n_pkm + per_kec * k : n_pkm + per_kec * (k + 1)]
        kecamatan.append(
            replace(
                cat.KECAMATAN,
                code=f"{cat.KECAMATAN.code}-{k + 1:02d}",
                name=f"{cat.KECAMATAN.name} {name}",
                units=cat.kecamatan_units(kel),
                priority=3 if k < 2 else 4,
            )
        )
    pool = [s for s in others if s.priority <= 3] + kecamatan[:2]
    pool += [s for s in others if s.priority > 3] + kecamatan[2:]
    pool.sort(key=lambda s: s.priority)
    keep = int(np.clip(rest // 6, 4, len(pool)))
    chosen = pool[:keep]
    weights = np.array([s.weight for s in chosen]) * rng.uniform(0.85, 1.15, len(chosen))
    sizes = allocate(rest - 3 * keep, weights) + 3
    by_code = dict(zip([s.code for s in chosen], sizes.tolist(), strict=True))

    parts = Parts()
    heads: dict[str, int] = {}
    base_code = {"kecamatan": cat.KECAMATAN.code, "upt": cat.PUSKESMAS.code}

    def add_opd(spec: cat.OpdSpec, n: int, induk: str | None = None) -> dict[str, int]:
        row = len(reg.opd_rows)
        name = spec.name + suffix
        reg.opd_rows.append((prefix + spec.code, name, spec.jenis, induk and prefix + induk))
        reg.opd_base.append(base_code.get(spec.jenis, spec.code))
        reg.opd_city.append(city)
        for layanan in spec.layanan:
            unit = name if spec.jenis == "upt" else layanan
            if spec.jenis == "kecamatan":
                unit = f"{layanan} {spec.name.removeprefix(cat.KECAMATAN.name + ' ')}"
            reg.layanan.append((row, unit))
        leaders = _members(parts, spec, n, row, name, rng, reg)
        heads[spec.code] = leaders[""]
        return leaders

    # OPD rows in the usual order: Sekretariat, Inspektorat, Dinas, Badan, Kecamatan, UPT.
    for spec in (*cat.OPD_TEMPLATE, *kecamatan):
        if spec.code == "DINKES":
            add_opd(spec, dinkes_office)
        elif spec.code in by_code:
            leaders = add_opd(spec, by_code[spec.code])
            if spec.code == "DISDIK":
                _schools(parts, len(reg.opd_rows) - 1, leaders, teachers, rng, reg)
    for k, n in enumerate(pkm_sizes):
        spec = replace(
            cat.PUSKESMAS,
            code=f"{cat.PUSKESMAS.code}-{k + 1:02d}",
            name=f"{cat.PUSKESMAS.name} {places[k]}",
        )
        add_opd(spec, int(n), induk="DINKES")

    arrays = parts.concat()
    sup = arrays["sup"].astype(np.int64)
    role = arrays["role"]
    is_head = role == HEAD
    sekda = heads["SETDA"]
    sup[is_head] = sekda
    pkm_heads = [heads[c] for c in heads if c.startswith(f"{cat.PUSKESMAS.code}-")]
    sup[pkm_heads] = heads["DINKES"]
    sup[sekda] = -1
    arrays["sup"] = sup
    arrays["city"] = np.full(parts.size, city)
    return arrays
