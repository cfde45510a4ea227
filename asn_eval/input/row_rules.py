"""Rules within one table that span its rows: days, ratings, activities and RHK.

Step 3 of :func:`asn_eval.input.validation.check_dataset` for what lies inside one table (its
references to other tables aside): attendance days within the working days, self-ratings by the
rated employee, a day's activities within 1,440 minutes, an activity's RHK planned in the
employee's SKP, one kind (utama or tambahan) per RHK, achievements far above any cap; and monthly
attendance rows summed into their quarter. Rows are grouped by key with
:mod:`asn_eval.input.groups`, without hashing where the rows come in key order.

:func:`row_rules` checks one table as soon as it is parsed (with
:func:`~asn_eval.input.validation.check_table`); :func:`activity_rhk` needs the SKP as well.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from asn_eval.input.cells import TableInCheck, display
from asn_eval.input.codes import codes_in, gather
from asn_eval.input.groups import (
    BLOCK_ROWS,
    DENSE_SPAN,
    flagged,
    key_runs,
    row_groups,
    run_totals,
)
from asn_eval.input.groups import first_rows as _first_rows
from asn_eval.input.layout import RawTable
from asn_eval.input.problems import Problem

__all__ = ["IMPLAUSIBLE_ACHIEVEMENT", "MONTHLY_SUMS", "activity_rhk", "row_rules", "sum_months"]


def _equal(a: pd.Series, b: pd.Series) -> pd.Series:
    """Compare two categorical columns value by value, whatever their categories."""
    left = a.array.codes
    if a.cat.categories.equals(b.cat.categories):
        right = b.array.codes
    else:  # b's codes in a's categories (-1 where a has no such value)
        right = codes_in(b, a.cat.categories, left.dtype)
    return pd.Series((left == right) & (left >= 0), index=a.index)  # missing equals nothing


def row_rules(table: TableInCheck) -> list[Problem]:
    """Check the rules that span rows within one table and need no other table.

    Parameters
    ----------
    table : TableInCheck
        The table being checked (typed frame).

    Returns
    -------
    list of Problem
        Attendance days above ``hari_kerja`` (their sum: a warning), self-ratings by someone
        else and ratings without a rater, days of activities above 1,440 minutes, an RHK
        written both utama and tambahan, achievements above 1,000 % (warnings). The rules are
        those of ``data/README.md``; :func:`activity_rhk` is the one that needs the SKP too.
    """
    name = table.spec.name
    problems: list[Problem] = []
    if name == "kehadiran":
        t = table
        f = t.frame
        days = ("hadir", "sakit", "izin", "cuti", "tanpa_keterangan")
        for column in days:
            if column in f:
                over = (f[column] > f["hari_kerja"]).fillna(False)
                problems += t.problems(over, column, "melebihi hari_kerja", f[column])
        parts = [c for c in days if c in f]
        if len(parts) > 1:
            total = f[parts].fillna(0).sum(axis=1)
            over = (total > f["hari_kerja"]).fillna(False)
            problems += t.problems(
                over,
                "hari_kerja",
                f"{' + '.join(c.replace('_', ' ') for c in parts)} melebihi hari kerja",
                f["hari_kerja"],
                "peringatan",
            )
    if name == "perilaku":
        t = table
        f = t.frame
        self_rating = (f["peran_penilai"] == "diri").fillna(False).to_numpy(dtype=bool)
        role = f["peran_penilai"].notna().to_numpy()
        if "nip_penilai" in f:
            no_rater = f["nip_penilai"].isna().to_numpy()
            missing = no_rater & ~self_rating & role
            if "nip_penilai" in t.refused:  # refused cells were reported already
                missing &= ~t.refused["nip_penilai"]
            same = _equal(f["nip_penilai"], f["nip"]).to_numpy()
            other = self_rating & ~no_rater & ~same
            problems += t.problems(
                other,
                "nip_penilai",
                "penilaian diri harus oleh pegawai itu sendiri",
                f["nip_penilai"],
            )
            rates_self = ~self_rating & same
            problems += t.problems(
                rates_self,
                "nip_penilai",
                "penilai sama dengan yang dinilai, tetapi peran bukan diri",
                f["nip_penilai"],
            )
        else:
            missing = ~self_rating & role
        problems += t.problems(missing, "nip_penilai", "wajib diisi kecuali peran_penilai = diri")
    if name == "aktivitas":
        problems += _daily_minutes(table)
    if name == "skp":
        t = table
        f = t.frame
        problems += _implausible_achievement(t)
        if _one_kind_per_rhk(f):
            return problems
        rhk = row_groups(f, ["periode", "nip", "rhk_id"])
        each_rhk = pd.CategoricalDtype(pd.RangeIndex(rhk.max(initial=-1) + 1))
        by_rhk = pd.Categorical.from_codes(rhk, dtype=each_rhk, validate=False)
        kinds = row_groups(  # the same groups as (periode, nip, rhk_id, jenis_rhk), no hashing
            pd.DataFrame({"rhk": by_rhk, "jenis_rhk": f["jenis_rhk"]}), ["rhk", "jenis_rhk"]
        )
        first_of_kind = _first_rows(kinds)
        kinds_per_rhk = np.bincount(rhk[first_of_kind], minlength=rhk.max(initial=-1) + 1)
        first = np.zeros(len(f), dtype=bool)
        first[first_of_kind] = True
        mixed = first & (kinds_per_rhk[rhk] > 1) & f["jenis_rhk"].notna().to_numpy()
        problems += t.problems(
            mixed, "jenis_rhk", "RHK yang sama ditulis sebagai utama dan tambahan", f["jenis_rhk"]
        )
    return problems


def activity_rhk(tables: dict[str, TableInCheck]) -> list[Problem]:
    """Check that each activity's RHK is planned in that employee's SKP (in any period).

    Parameters
    ----------
    tables : dict
        Table name to the table being checked (typed frames).

    Returns
    -------
    list of Problem
        Activities whose RHK is not in the employee's SKP; none without both tables.
    """
    if (
        "aktivitas" not in tables
        or "skp" not in tables
        or "rhk_id" not in tables["aktivitas"].frame
    ):
        return []
    return _activity_rhk(tables["aktivitas"], tables["skp"].frame)


def _daily_minutes(t: TableInCheck) -> list[Problem]:
    """Activities of one employee on one day adding up to more than a day (1,440 minutes).

    Rows in (employee, day) order, or (day, employee), are added up day by day, block by block
    (:func:`~asn_eval.input.groups.run_totals`); other rows are numbered by their day first.
    """
    f = t.frame
    if not len(f):
        return []
    minutes = f["durasi_menit"].to_numpy("float64")  # the column itself where it is float64
    read = t.raw.frame.get("durasi_menit")  # whole minutes where read from an integer column
    small = (np.int8, np.int16, np.int32, np.uint8, np.uint16)  # |minutes| ≤ 2³¹
    whole = read is not None and read.dtype in small and len(read) == len(minutes)
    found = run_totals(f, ["nip", "tanggal"], minutes, 1440, whole=whole)
    if found is not None:
        first_of_day, totals = found
    else:  # rows not in key order: number the days
        day = row_groups(f, ["nip", "tanggal"])
        first_of_day = _first_rows(day)
        totals = np.bincount(day, weights=np.nan_to_num(minutes))[day[first_of_day]]
        first_of_day, totals = first_of_day[totals > 1440], totals[totals > 1440]
    if not len(first_of_day):
        return []
    mask = np.zeros(len(f), dtype=bool)
    mask[first_of_day] = True
    daily = np.full(len(f), np.nan)
    daily[first_of_day] = totals
    return t.problems(mask, "durasi_menit", "total durasi hari ini melebihi 1.440 menit", daily)


def _one_kind_per_rhk(f: pd.DataFrame) -> bool:
    """Whether rows sorted by (periode, nip, rhk_id) keep one jenis_rhk along each RHK's run."""
    starts = key_runs(f, ["periode", "nip", "rhk_id"])
    if starts is None or not isinstance(f["jenis_rhk"].dtype, pd.CategoricalDtype):
        return False
    kind = f["jenis_rhk"].array.codes
    changed = np.flatnonzero(kind[1:] != kind[:-1]) + 1
    return not len(changed) or bool(np.isin(changed, starts).all())


IMPLAUSIBLE_ACHIEVEMENT = 10.0
"""An indicator achieving more than 1,000 % is warned: far above any scheme's cap (DOMAIN.md caps
capaian at 100–120 %), it is most often a misread number (a thousands separator, a unit)."""


def _implausible_achievement(t: TableInCheck) -> list[Problem]:
    f = t.frame
    if "realisasi" not in f:
        return []
    target = f["target"].to_numpy("float64", na_value=np.nan)
    real = f["realisasi"].to_numpy("float64", na_value=np.nan)
    down = (
        (f["arah"] == "turun").fillna(False).to_numpy() if "arah" in f else np.zeros(len(f), bool)
    )

    def high(part: slice) -> np.ndarray:
        ratio = np.where(down[part], target[part] / real[part], real[part] / target[part])
        return np.isfinite(ratio) & (ratio > IMPLAUSIBLE_ACHIEVEMENT) & (target[part] > 0)

    with np.errstate(divide="ignore", invalid="ignore"):
        if (odd := flagged(len(f), high)) is None:
            return []
        rows = np.flatnonzero(odd)
        ratio = np.where(down[rows], target[rows] / real[rows], real[rows] / target[rows])
    return [
        Problem(
            p.file,
            p.row,
            p.column,
            f"capaian {share * 100:,.0f} % (realisasi {display(real[row])} dari target "
            f"{display(target[row])}) jauh di atas batas mana pun; periksa angkanya (pemisah "
            "ribuan, satuan)".replace(",", "."),
            None,
            "peringatan",
        )
        for row, share, p in zip(rows, ratio, t.problems(odd, "realisasi", ""), strict=True)
    ]


MONTHLY_SUMS = (
    "hari_kerja",
    "hadir",
    "sakit",
    "izin",
    "cuti",
    "tanpa_keterangan",
    "terlambat_menit",
)
"""Attendance columns that add up from months to their quarter."""


def sum_months(table: TableInCheck) -> list[Problem]:
    """Sum monthly attendance rows into the quarter each month belongs to.

    Attendance machines export one row per employee per month; the contract's periods are
    quarters and years. Rows of the same employee and quarter are added up (the columns of
    :data:`MONTHLY_SUMS`); the summed row keeps its first month's row number. The same month twice
    for one employee is an error; a quarter with fewer than three months is warned.

    Parameters
    ----------
    table : TableInCheck
        The kehadiran table, typed, with ``table.months`` (``"2025-01"`` per monthly row, None
        for a row written per quarter or year).

    Returns
    -------
    list of Problem
        A warning saying which months were summed, warnings for incomplete quarters, errors for
        repeated months. ``table.frame`` and ``table.raw`` are replaced by the summed table.
    """
    f = table.frame
    months = pd.Series(table.months, index=f.index)
    monthly = months.notna().to_numpy()
    problems: list[Problem] = []
    key = pd.DataFrame({"nip": f["nip"].astype(object), "bulan": months})
    repeated = monthly & key.duplicated(keep="first").to_numpy()
    problems += table.problems(
        repeated, "periode", "bulan yang sama ditulis dua kali untuk pegawai ini", months
    )
    group = pd.Series(
        row_groups(pd.DataFrame({"p": f["periode"], "n": f["nip"]}), ["p", "n"]), index=f.index
    )
    group[~monthly] = -1 - np.arange(int((~monthly).sum()))  # rows per quarter/year stay alone
    codes = pd.factorize(group)[0]
    first = _first_rows(codes)
    summed = f.iloc[first].reset_index(drop=True)
    for column in MONTHLY_SUMS:
        if column in f:
            totals = pd.Series(f[column].to_numpy("float64", na_value=np.nan)).groupby(codes)
            summed[column] = totals.sum(min_count=1).to_numpy()
            if column != "terlambat_menit":
                summed[column] = summed[column].astype(f[column].dtype)
    per_quarter = key[monthly].assign(p=f["periode"][monthly].astype(str))
    spans = per_quarter.groupby("p")["bulan"].agg(lambda m: sorted(set(m)))
    counts = per_quarter.groupby(["p", "nip"], observed=True)["bulan"].nunique()
    incomplete = counts[counts < 3]
    said = ", ".join(f"{p} ({m[0]} … {m[-1]})" for p, m in spans.items())
    problems.append(
        Problem(
            table.raw.source.label,
            None,
            table.header("periode"),
            f"{int(monthly.sum()):,} baris bulanan dijumlahkan per triwulan: {said}",
            level="peringatan",
        )
    )
    for periode, group in incomplete.groupby(level=0):
        nips = [str(nip) for _, nip in group.index[:3]]
        more = f" dan {len(group) - 3:,} lainnya" if len(group) > 3 else ""
        problems.append(
            Problem(
                table.raw.source.label,
                None,
                table.header("periode"),
                f"triwulan {periode} kurang dari tiga bulan untuk {len(group):,} pegawai "
                f"(NIP {', '.join(nips)}{more}); jumlahnya hanya dari bulan yang ada",
                level="peringatan",
            )
        )
    raw = table.raw
    table.raw = RawTable(
        raw.source, summed, raw.headers, raw.rows[first], {}, raw.typed, raw.decimal_hint
    )
    table.refused = {c: m[first] for c, m in table.refused.items()}
    table.frame = summed
    table.months = None
    return problems


def _activity_rhk(t: TableInCheck, skp: pd.DataFrame) -> list[Problem]:
    """Check that an activity's RHK is planned in that employee's SKP (in any period).

    The pairs (NIP, RHK) planned are marked in a table indexed by the activity table's own
    category codes, ``nip * width + rhk``, so each activity row is one lookup by its codes. Code
    -1 needs no shifting: the lookup wraps around (:func:`~asn_eval.input.codes.gather`), so a
    missing NIP lands on the table's last row, kept for it, and a missing RHK on the row before's
    last column, kept for it (an activity without an RHK is not this rule's to report).
    """
    f = t.frame
    nips, rhks = f["nip"].cat.categories, f["rhk_id"].cat.categories
    # rows: the activities' NIPs, then a NIP of the SKP no activity names, then a missing NIP;
    # columns: the activities' RHKs, then one for a missing RHK and an RHK no activity names
    rows, width = len(nips) + 2, len(rhks) + 1
    if rows * width > DENSE_SPAN * max(len(f), 1024):
        return _activity_rhk_hashed(t, skp)
    index = np.dtype(np.int32 if rows * width < 2**31 else np.int64)
    row = nips.get_indexer(skp["nip"].cat.categories.astype("str"))
    row = np.append(np.where(row >= 0, row, len(nips)), rows - 1).astype(index) * width
    column = rhks.get_indexer(skp["rhk_id"].cat.categories.astype("str"))
    column = np.append(np.where(column >= 0, column, len(rhks)), len(rhks)).astype(index)
    planned = np.zeros(rows * width, dtype=bool)
    at = np.empty(min(len(skp), BLOCK_ROWS), dtype=index)  # reused block by block
    planned_nip, planned_rhk = skp["nip"].array.codes, skp["rhk_id"].array.codes
    for start in range(0, len(skp), BLOCK_ROWS):
        block = slice(start, min(start + BLOCK_ROWS, len(skp)))
        here = at[: block.stop - start]
        gather(row, planned_nip[block], out=here)
        here += gather(column, planned_rhk[block])
        planned[here] = True
    unplanned = ~planned
    unplanned[len(rhks) :: width] = False  # a missing RHK (its column, or the wrap into it)
    nip, rhk = f["nip"].array.codes, f["rhk_id"].array.codes
    at = np.empty(min(len(f), BLOCK_ROWS), dtype=index)

    def outside(part: slice) -> np.ndarray:
        here = at[: part.stop - part.start]
        np.multiply(nip[part], width, out=here, dtype=index)  # code -1: wraps to the last row
        here += rhk[part]  # code -1: wraps to the previous row's last column
        return np.take(unplanned, here, mode="wrap")

    mask = flagged(len(f), outside)
    message = "RHK ini tidak ada di SKP pegawai tersebut"
    return t.problems(mask, "rhk_id", message, f["rhk_id"])


def _activity_rhk_hashed(t: TableInCheck, skp: pd.DataFrame) -> list[Problem]:
    """:func:`_activity_rhk` for more pairs than a table holds: the pairs are hashed."""
    f = t.frame
    names = [skp["nip"].cat.categories.astype("str"), f["nip"].cat.categories.astype("str")]
    nips = pd.Index(pd.unique(np.concatenate(names)))
    rhks = pd.Index(skp["rhk_id"].cat.categories.astype("str"))
    width = len(rhks) + 1
    planned = codes_in(skp["nip"], nips) * width + codes_in(skp["rhk_id"], rhks)
    rhk = codes_in(f["rhk_id"], rhks)
    pairs = codes_in(f["nip"], nips) * width + rhk
    in_plan = pd.Series(pairs).isin(pd.unique(planned)).to_numpy()
    known = (rhk >= 0) & in_plan
    given = f["rhk_id"].notna().to_numpy()
    message = "RHK ini tidak ada di SKP pegawai tersebut"
    return t.problems(given & ~known, "rhk_id", message, f["rhk_id"])
