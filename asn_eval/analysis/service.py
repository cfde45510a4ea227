"""Public service: survey results beside how staff are rated, and the daily activity log per OPD.

``ikm_vs_service`` sets each service unit's IKM beside the *Berorientasi Pelayanan* score its
OPD's staff received, and flags units the public rates poorly while the staff are rated well.
``activity_by_opd`` summarises the daily activity log (``aktivitas``) per OPD: how regularly
staff report, how much is approved, and how old the pending backlog is. Both are vectorised over
category codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from asn_eval.formatting import number
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode, periode_mask
from asn_eval.scoring.ikm import MUTU, POOR_GRADES, ikm

__all__ = [
    "ACTIVITY_COLUMNS",
    "IKM_SERVICE_COLUMNS",
    "activity_by_opd",
    "ikm_vs_service",
    "service_scores",
    "service_table",
    "service_units",
]

PELAYANAN = "Berorientasi Pelayanan"
"""The BerAKHLAK core value about serving the public."""

IKM_SERVICE_COLUMNS = [
    "kode_opd",
    "unit_layanan",
    "n_responden",
    "ikm",
    "mutu",
    "skor_pelayanan",
    "n_pegawai",
    "tidak_sejalan",
    "catatan",
]
"""Columns of :func:`ikm_vs_service`."""

ACTIVITY_COLUMNS = [
    "kode_opd",
    "n_pegawai",
    "n_aktivitas",
    "porsi_hari_lapor",
    "porsi_disetujui",
    "n_menunggu",
    "umur_menunggu_maks",
    "jam_per_hari",
]
"""Columns of :func:`activity_by_opd`."""


_MUTU_LABEL = {grade: label for grade, label, _ in MUTU}


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _positions(data: Dataset, nip: pd.Series) -> np.ndarray:
    """Row positions in ``pegawai`` of each NIP in ``nip`` (-1 for NIPs not there)."""
    pegawai_nip = data.pegawai["nip"]
    categories = pegawai_nip.cat.categories
    position = np.full(len(categories) + 1, -1, dtype=np.int64)
    position[pegawai_nip.cat.codes.to_numpy()] = np.arange(len(pegawai_nip))
    if isinstance(nip.dtype, pd.CategoricalDtype) and nip.cat.categories.equals(categories):
        return position[nip.cat.codes.to_numpy().astype(np.int64)]
    index = categories.get_indexer(nip.astype("str"))
    return position[index]  # -1 reads the trailing -1


def ikm_vs_service(data: Dataset, periode: str) -> pd.DataFrame:
    """Set each service unit's IKM beside the service score its OPD's staff received.

    The data links staff to OPDs, not to service units, so every unit of an OPD (e.g. the two
    counters of Disdukcapil) shares the same staff and the same ``skor_pelayanan``.

    Parameters
    ----------
    data : Dataset
        A loaded dataset.
    periode : str
        ``2025-TW1`` … ``2025-TW4`` or ``2025`` (a year without rows of its own takes its
        quarters, for the survey and the ratings alike).

    Returns
    -------
    DataFrame
        One row per ``kode_opd`` and ``unit_layanan`` of :func:`asn_eval.scoring.ikm.ikm`:
        ``n_responden``, ``ikm``, ``mutu``; ``skor_pelayanan``, the mean over the OPD's staff of
        each one's mean *Berorientasi Pelayanan* score from raters other than themselves, and
        ``n_pegawai``, the staff with such a score; ``tidak_sejalan``, True when the unit's mutu
        is C or D while ``skor_pelayanan`` is at or above the city median (the median over OPDs
        of their ``skor_pelayanan``); and ``catatan`` explaining poor units. Empty (with the
        columns) without a ``survei`` table.
    """
    units = service_units(data, periode)
    if units.empty:
        return _empty(IKM_SERVICE_COLUMNS)
    opd_sum, opd_count = service_scores(data, periode)
    return service_table(units, opd_sum, opd_count, data.pegawai["kode_opd"].dtype)


def service_units(data: Dataset, periode: str) -> pd.DataFrame:
    """IKM per service unit of the period (:func:`asn_eval.scoring.ikm.ikm`), or no rows.

    Parameters
    ----------
    data : Dataset
        A dataset or a part of one (whole agencies: a unit belongs to one).
    periode : str
        As for :func:`ikm_vs_service`.

    Returns
    -------
    DataFrame
        ``kode_opd``, ``unit_layanan``, ``n_responden``, ``ikm``, ``mutu``; empty without a
        ``survei`` table.
    """
    if not data.has("survei"):
        return _empty(IKM_SERVICE_COLUMNS[:5])
    return ikm(data.survei, periode)[["kode_opd", "unit_layanan", "n_responden", "ikm", "mutu"]]


def service_scores(data: Dataset, periode: str) -> tuple[np.ndarray, np.ndarray]:
    """Sum, per OPD, its staff's mean *Berorientasi Pelayanan* scores from other raters.

    Parameters
    ----------
    data : Dataset
        A dataset or a part of one with whole agencies (the parts' sums add up).
    periode : str
        As for :func:`ikm_vs_service`.

    Returns
    -------
    opd_sum, opd_count : ndarray of float64
        Per ``kode_opd`` category: the sum of the staff's means and how many staff have one.
    """
    opd_dtype = data.pegawai["kode_opd"].dtype
    n_opd = len(opd_dtype.categories)
    opd_sum = np.zeros(n_opd)
    opd_count = np.zeros(n_opd)
    if data.has("perilaku"):
        perilaku = data.perilaku
        keep = (
            periode_mask(perilaku, periode)
            & (perilaku["nilai_inti"] == PELAYANAN).to_numpy(bool, na_value=False)
            & (perilaku["peran_penilai"] != "diri").to_numpy(bool, na_value=False)
        )
        rows = perilaku[keep]
        skor = rows["skor"].to_numpy("float64", na_value=np.nan)
        emp = _positions(data, rows["nip"])
        ok = (emp >= 0) & ~np.isnan(skor)
        n = len(data.pegawai)
        sums = np.bincount(emp[ok], weights=skor[ok], minlength=n)
        counts = np.bincount(emp[ok], minlength=n)
        rated = counts > 0
        per_employee = sums[rated] / counts[rated]
        opd = data.pegawai["kode_opd"].cat.codes.to_numpy().astype(np.int64)[rated]
        inside = opd >= 0
        opd_sum = np.bincount(opd[inside], weights=per_employee[inside], minlength=n_opd)
        opd_count = np.bincount(opd[inside], minlength=n_opd).astype("float64")
    return opd_sum, opd_count


def service_table(
    units: pd.DataFrame,
    opd_sum: np.ndarray,
    opd_count: np.ndarray,
    opd_dtype: pd.CategoricalDtype,
) -> pd.DataFrame:
    """Set service units beside their OPD's staff score, against the median over OPDs.

    Parameters
    ----------
    units : DataFrame
        :func:`service_units` (of the whole, or the parts' units in ``kode_opd`` and
        ``unit_layanan`` order).
    opd_sum, opd_count : ndarray
        :func:`service_scores` of the whole, or the parts' sums added.
    opd_dtype : CategoricalDtype
        ``kode_opd`` of ``pegawai`` (the arrays' positions).

    Returns
    -------
    DataFrame
        :func:`ikm_vs_service`'s table (no rows, with the columns, when ``units`` has none).
    """
    if units.empty:
        return _empty(IKM_SERVICE_COLUMNS)
    with np.errstate(invalid="ignore", divide="ignore"):
        opd_score = np.where(opd_count > 0, opd_sum / opd_count, np.nan)
    median = float(np.median(opd_score[opd_count > 0])) if (opd_count > 0).any() else np.nan

    unit_opd = opd_dtype.categories.get_indexer(units["kode_opd"].astype("str"))
    found = unit_opd >= 0
    skor_pelayanan = np.where(found, opd_score[np.maximum(unit_opd, 0)], np.nan)
    n_pegawai = np.where(found, opd_count[np.maximum(unit_opd, 0)], 0).astype(np.int64)
    poor = units["mutu"].isin(POOR_GRADES).to_numpy(bool)
    with np.errstate(invalid="ignore"):
        well_rated = skor_pelayanan >= median
    out = units.reset_index(drop=True)
    out["skor_pelayanan"] = np.round(skor_pelayanan, 3)
    out["n_pegawai"] = n_pegawai
    out["tidak_sejalan"] = poor & well_rated
    out["catatan"] = [
        _catatan(str(grade), value, median) if is_poor else ""
        for grade, value, is_poor in zip(out["mutu"], skor_pelayanan, poor, strict=True)
    ]  # one entry per service unit, not per employee
    return out[IKM_SERVICE_COLUMNS]


def _catatan(grade: str, value: float, median: float) -> str:
    mutu = f"IKM bermutu {grade} ({_MUTU_LABEL.get(grade, grade)})"
    if np.isnan(value):
        return (
            f"{mutu}; tidak ada penilaian Berorientasi Pelayanan dari penilai lain bagi pegawai OPD"
        )
    if value >= median:
        return (
            f"{mutu}, padahal pegawai OPD dinilai Berorientasi Pelayanan {number(value, 2)}, "
            f"setara atau di atas median kota {number(median, 2)}: penilaian perilaku tidak "
            "sejalan dengan suara masyarakat"
        )
    return (
        f"{mutu}, sejalan dengan nilai Berorientasi Pelayanan pegawai OPD {number(value, 2)} "
        f"yang di bawah median kota {number(median, 2)}"
    )


def _working_days(
    data: Dataset, periode: str, n: int, start: pd.Timestamp, end: pd.Timestamp
) -> np.ndarray:
    """Working days per employee: ``kehadiran.hari_kerja`` of the period, else weekdays."""
    weekdays = float(np.busday_count(start.date(), (end + pd.Timedelta(days=1)).date()))
    days = np.full(n, weekdays)
    if data.has("kehadiran"):
        kehadiran = data.kehadiran
        rows = kehadiran[periode_mask(kehadiran, periode)]
        emp = _positions(data, rows["nip"])
        hari = rows["hari_kerja"].to_numpy("float64", na_value=np.nan)
        ok = (emp >= 0) & ~np.isnan(hari)
        total = np.bincount(emp[ok], weights=hari[ok], minlength=n)
        has = np.bincount(emp[ok], minlength=n) > 0
        days = np.where(has, total, days)
    return days


def _reported_days(emp: np.ndarray, day: np.ndarray, n: int, n_days: int) -> np.ndarray:
    """Distinct days with at least one entry, per employee."""
    if n * n_days <= 400_000_000:  # a bit per (employee, day) fits in memory comfortably
        seen = np.zeros(n * n_days, dtype=bool)
        seen[emp * n_days + day] = True
        return seen.reshape(n, n_days).sum(axis=1)
    pairs = pd.unique(emp * n_days + day)
    return np.bincount(pairs // n_days, minlength=n)


def activity_by_opd(data: Dataset, periode: str, *, every_opd: bool = False) -> pd.DataFrame:
    """Summarise the daily activity log per OPD for one period.

    Parameters
    ----------
    data : Dataset
        A loaded dataset.
    periode : str
        ``2025-TW1`` … ``2025-TW4`` or ``2025``: entries dated within the period count.
    every_opd : bool, default False
        A row for every OPD with employees even when the data has no entry in the period: for a
        part of a dataset split by agency, whose other parts may have entries (whether the whole
        table is empty is known only when the parts are put together).

    Returns
    -------
    DataFrame
        One row per OPD with employees: ``n_pegawai``, ``n_aktivitas`` (entries);
        ``porsi_hari_lapor``, reported employee-days ÷ (employees × working days), where working
        days are ``kehadiran.hari_kerja`` of the period and weekdays for employees without it,
        and an employee's reported days count at most their working days; ``porsi_disetujui``,
        approved ÷ decided (approved or rejected) entries; ``n_menunggu``, pending entries;
        ``umur_menunggu_maks``, days from the oldest pending entry to the period's end; and
        ``jam_per_hari``, reported hours per reported employee-day. Empty (with the columns)
        when the dataset has no ``aktivitas`` table or no entry in the period.
    """
    log = data.tables.get("aktivitas")
    if log is None or (log.empty and not every_opd):
        return _empty(ACTIVITY_COLUMNS)
    periode = Periode(periode)
    start, end = periode.bounds
    first = int(np.datetime64(start.date(), "D").astype(np.int64))
    last = int(np.datetime64(end.date(), "D").astype(np.int64))
    dates = log["tanggal"].to_numpy().astype("datetime64[D]").view(np.int64)
    keep = (dates >= first) & (dates <= last)
    if not keep.any() and not every_opd:
        return _empty(ACTIVITY_COLUMNS)
    pegawai = data.pegawai
    n = len(pegawai)
    opd_dtype = pegawai["kode_opd"].dtype
    n_opd = len(opd_dtype.categories)
    opd_all = np.r_[pegawai["kode_opd"].cat.codes.to_numpy().astype(np.int64), -1]
    has_opd = opd_all[:n] >= 0

    # Rows kept: in the period, of an employee in ``pegawai`` who has an OPD. Boolean masks on
    # the narrow columns only; every row-level array below has one entry per kept row.
    emp = _positions(data, log["nip"][keep])  # -1 outside pegawai, and opd_all[-1] is -1
    opd_row = opd_all[emp]
    inside = opd_row >= 0
    if not inside.all():
        keep[np.flatnonzero(keep)[~inside]] = False
        emp, opd_row = emp[inside], opd_row[inside]
    day = dates[keep] - first
    n_days = last - first + 1

    def per_opd(group: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(group, weights=weights, minlength=n_opd)

    reported = _reported_days(emp, day, n, n_days).astype("float64")
    workdays = _working_days(data, periode, n, start, end)
    reported_capped = np.minimum(reported, workdays)
    n_pegawai = per_opd(opd_all[:n][has_opd])
    employee_days = per_opd(opd_all[:n][has_opd], reported[has_opd])
    share_days = per_opd(opd_all[:n][has_opd], reported_capped[has_opd])
    possible = per_opd(opd_all[:n][has_opd], workdays[has_opd])
    n_rows = per_opd(opd_row)
    minutes = log["durasi_menit"].to_numpy("float64", na_value=np.nan)[keep]
    total_minutes = per_opd(opd_row, np.where(np.isnan(minutes), 0.0, minutes))

    if "status" in log:
        status = log["status"]
        categories = list(status.cat.categories)
        codes = status.cat.codes.to_numpy()[keep]

        def rows_with(label: str) -> np.ndarray:
            return codes == (categories.index(label) if label in categories else -2)

        approved = per_opd(opd_row[rows_with("disetujui")])
        rejected = per_opd(opd_row[rows_with("ditolak")])
        pending = rows_with("menunggu")
        n_pending = per_opd(opd_row[pending])
        oldest = np.full(n_opd, n_days, dtype=np.int64)
        np.minimum.at(oldest, opd_row[pending], day[pending])
        age = np.where(oldest < n_days, n_days - 1 - oldest, np.nan)
    else:
        approved = rejected = n_pending = np.zeros(n_opd)
        age = np.full(n_opd, np.nan)

    present = n_pegawai > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.DataFrame(
            {
                "kode_opd": pd.Categorical.from_codes(np.flatnonzero(present), dtype=opd_dtype),
                "n_pegawai": n_pegawai[present].astype(np.int64),
                "n_aktivitas": n_rows[present].astype(np.int64),
                "porsi_hari_lapor": np.round(share_days / possible, 4)[present],
                "porsi_disetujui": np.round(approved / (approved + rejected), 4)[present],
                "n_menunggu": n_pending[present].astype(np.int64),
                "umur_menunggu_maks": age[present],
                "jam_per_hari": np.round(total_minutes / 60 / employee_days, 2)[present],
            }
        )
    return out[ACTIVITY_COLUMNS]
