"""Predikat: rating levels → predikat through the scheme's 3 × 3 matrix, or a total → bands.

A matrix scheme maps (rating hasil kerja, rating perilaku) to a predikat; a numeric scheme sums its
weighted components and maps the total to a predikat through its bands.

The matrix and the bands themselves are data, in the scheme files (``schemes/*.toml``,
``[predikat]`` and ``[[pita]]``); this module applies them. Each component of a numeric scheme is
scored 0–100 (achievement may go above) from the same :class:`~asn_eval.scoring.evidence.Evidence`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from asn_eval.input.dataset import Dataset
from asn_eval.input.vocab import ASPEK, LEVEL
from asn_eval.scoring.evidence import (
    ROLES,
    VALUES,
    Evidence,
    mean_by,
    nanmean,
    period_rows,
    role_weights,
    weighted_mean,
)
from asn_eval.scoring.scheme import Component, Scheme

__all__ = ["NOTES", "levels", "matrix_predikat", "numeric_predikat"]

# Notes, one bit each; a row's catatan joins the texts of its bits.
NOTES = (
    "tidak ada indikator SKP pada periode ini",
    "tidak ada penilaian perilaku dari penilai yang dihitung skema",
    "rating hasil kerja yang diberikan berbeda satu tingkat dari saran indikator",
    "rating hasil kerja yang diberikan bertentangan dengan indikator (beda dua tingkat)",
    "rating perilaku yang diberikan berbeda dari saran penilaian perilaku",
    "ada indikator yang belum dilaporkan realisasinya",
    "kurva distribusi OPD terlampaui",
    "predikat di sistem resmi berbeda dengan hasil hitungan",
    "komponen wajib tidak tersedia, tidak ada nilai",
    "komponen opsional tidak tersedia, bobot dibagi ulang",
    "predikat tertinggi butuh syarat yang tidak tercatat",
)

(
    NO_INDICATORS,
    NO_BEHAVIOUR,
    HK_DIFFERS,
    HK_CONTRADICTS,
    PR_DIFFERS,
    UNREPORTED,
    CURVE,
    PREDIKAT_DIFFERS,
    MISSING_REQUIRED,
    MISSING_OPTIONAL,
    CONDITION_UNMET,
) = (1 << i for i in range(len(NOTES)))


def levels(codes: np.ndarray) -> pd.Categorical:
    """Turn level codes (0 Di Bawah … 2 Di Atas, -1 missing) into the level categorical.

    Parameters
    ----------
    codes : ndarray of int
        Level codes.

    Returns
    -------
    Categorical
        ``vocab.LEVEL`` labels, missing where the code is -1.
    """
    return pd.Categorical.from_codes(codes.astype(np.int64), dtype=LEVEL.dtype)


def matrix_predikat(
    skema: Scheme, hasil: np.ndarray, perilaku: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Look up each employee's predikat in the scheme's 3 × 3 matrix (DOMAIN.md §2).

    Parameters
    ----------
    skema : Scheme
        A matrix scheme (``[predikat]``: rating hasil kerja → rating perilaku → predikat).
    hasil, perilaku : ndarray of int
        Level codes per employee, -1 where unknown.

    Returns
    -------
    codes : ndarray of int
        Position of the predikat in ``labels`` (0 is the best), -1 where either level is unknown.
    labels : list of str
        The scheme's labels, best first.
    """
    labels = skema.labels
    table = np.empty((3, 3), dtype=np.int64)
    for i, h in enumerate(LEVEL.values):
        for j, p in enumerate(LEVEL.values):
            table[i, j] = labels.index(skema.matrix[h][p])
    known = (hasil >= 0) & (perilaku >= 0)
    codes = np.where(known, table[np.maximum(hasil, 0), np.maximum(perilaku, 0)], -1)
    return codes, labels


def _component_score(
    component: Component, ev: Evidence, ikm_by_opd: pd.Series | None, aktivitas: np.ndarray | None
) -> np.ndarray:
    """Score (0–100, or more for achievement) of one component for every employee."""
    kind, opts, n = component.jenis, component.options, ev.n
    if kind == "indikator":
        if not len(ev.indicators):
            return np.full(n, np.nan)
        rows = ev.indicators
        mask = np.ones(len(rows), bool)
        if "aspek" in opts:
            mask &= np.isin(
                rows["aspek"].to_numpy(), [ASPEK.values.index(a) for a in opts["aspek"]]
            )
        if "jenis_rhk" in opts:
            want_main = "utama" in opts["jenis_rhk"]
            want_extra = "tambahan" in opts["jenis_rhk"]
            main = rows["utama"].to_numpy()
            mask &= (main & want_main) | (~main & want_extra)
        if opts["metode"] == "pp46":
            rhk = ev.rhk
            if mask.all():
                return mean_by(rhk["emp"].to_numpy(), rhk["pp46"].to_numpy(), n)[0]
            per_rhk, _ = mean_by(
                rows["rhk"].to_numpy()[mask], rows["pp46"].to_numpy()[mask], len(rhk)
            )
            return mean_by(rhk["emp"].to_numpy(), per_rhk, n)[0]
        values = np.minimum(rows["capaian"].to_numpy(), opts["capaian_maks"])
        return mean_by(rows["emp"].to_numpy()[mask], values[mask], n)[0]
    if kind == "perilaku":
        weights = opts["bobot_peran"]
        w = role_weights(weights)
        per_value = weighted_mean(ev.value_means(), w)  # (n, 7)
        scale = float(opts["skala"])
        if "unsur" in opts:
            structural = ev.pegawai["jenis_jabatan"].isin(["JPT", "Administrator", "Pengawas"])
            elements = []
            for name, values in opts["unsur"].items():
                idx = [VALUES.index(v) for v in values]
                element = nanmean(per_value[:, idx])
                if name in opts.get("unsur_struktural", []):
                    element = np.where(structural.to_numpy(), element, np.nan)
                elements.append(element)
            return nanmean(np.column_stack(elements)) * scale
        idx = [VALUES.index(v) for v in opts["nilai_inti"]]
        return nanmean(per_value[:, idx]) * scale
    if kind == "kehadiran":
        return ev.attendance["persen_hadir"].to_numpy("float64")
    if kind == "disiplin":
        att = ev.attendance
        penalty = att["tanpa_keterangan"].fillna(0) * float(opts["potong_tanpa_keterangan"])
        penalty += att["terlambat_menit"].fillna(0) / 60 * float(opts["potong_per_jam_terlambat"])
        value = np.clip(100 - penalty.to_numpy(), 0, 100)
        return np.where(att["hari_kerja"].isna().to_numpy(), np.nan, value)
    if kind == "ikm":
        if ikm_by_opd is None:
            return np.full(n, np.nan)
        opd = ev.pegawai["kode_opd"].astype("str")
        return opd.map(ikm_by_opd).to_numpy("float64", na_value=np.nan)
    if kind == "aktivitas":
        return aktivitas if aktivitas is not None else np.full(n, np.nan)
    raise ValueError(f"jenis komponen tidak dikenal: {kind}")


def _ikm_by_opd(table: pd.DataFrame) -> pd.Series | None:
    if table.empty:
        return None
    weighted = (table["ikm"] * table["n_responden"]).groupby(table["kode_opd"], observed=True).sum()
    return weighted / table.groupby("kode_opd", observed=True)["n_responden"].sum()


def _activity_share(data: Dataset, ev: Evidence) -> np.ndarray | None:
    """Share (%) of working days with at least one approved activity-log entry."""
    if not data.has("aktivitas"):
        return None
    log = data.aktivitas
    start, end = ev.periode.bounds
    dates = log["tanggal"].to_numpy()
    keep = (dates >= np.datetime64(start.date())) & (dates <= np.datetime64(end.date()))
    if "status" in log:
        keep &= (log["status"] == "disetujui").fillna(False).to_numpy()
    emp = ev.extras["position"][log["nip"].cat.codes.to_numpy()[keep]]
    day = dates[keep].astype("datetime64[D]").astype(np.int64)
    inside = emp >= 0
    pairs = pd.unique(pd.Series(emp[inside] * 100_000 + (day[inside] - day.min(initial=0))))
    days = np.bincount(pairs // 100_000, minlength=ev.n).astype("float64")
    workdays = ev.attendance["hari_kerja"].to_numpy("float64")
    fallback = float(np.busday_count(start.date(), (end + pd.Timedelta(days=1)).date()))
    workdays = np.where(np.isnan(workdays), fallback, workdays)
    return np.clip(days / workdays * 100, 0, 100)


def numeric_predikat(
    data: Dataset, ev: Evidence, units: pd.DataFrame | None
) -> tuple[dict[str, np.ndarray], np.ndarray, list[str], np.ndarray]:
    """Score a numeric scheme's components, weigh them, and read the predikat off its bands.

    Parameters
    ----------
    data : Dataset
        The data (activity log, conditions in ``penilaian`` or ``pegawai``).
    ev : Evidence
        The period's evidence.
    units : DataFrame or None
        IKM per OPD and service unit (:func:`asn_eval.scoring.ikm.ikm_units`); None when the
        scheme has no IKM component.

    Returns
    -------
    scores : dict of str to ndarray
        Each component's score (0–100, achievement may go above) per employee.
    total : ndarray
        The weighted total, rounded to 2 decimals; NaN without a required component.
    labels : list of str
        The bands' labels, best first.
    codes_and_notes : ndarray, shape (2, n)
        Position of the predikat in ``labels`` (-1 for none), and note bits (:data:`NOTES`).
    """
    skema = ev.skema
    components = skema.components
    ikm_by_opd = None if units is None else _ikm_by_opd(units)
    aktivitas = _activity_share(data, ev)
    scores = {c.nama: _component_score(c, ev, ikm_by_opd, aktivitas) for c in components}
    weights = np.array([c.bobot for c in components])
    alternative = skema.settings.get("bobot_jika_360")
    matrix = np.tile(weights, (ev.n, 1))
    if alternative:
        # Peers or subordinates rated the behaviour: another split applies (PP 30/2019).
        multi = (
            ev.role_counts[:, ROLES.index("rekan")] + ev.role_counts[:, ROLES.index("bawahan")]
        ) > 0
        alt = np.array([float(alternative.get(c.nama, c.bobot)) for c in components])
        matrix[multi] = alt
    values = np.column_stack([scores[c.nama] for c in components])
    present = ~np.isnan(values)
    required = np.array([c.wajib for c in components])
    missing_required = (~present & required).any(axis=1)
    missing_optional = (~present & ~required).any(axis=1)
    used = np.where(present, matrix, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = (np.nan_to_num(values) * used).sum(axis=1) / used.sum(axis=1) * matrix.sum(axis=1)
    total = np.where(missing_required | (used.sum(axis=1) == 0), np.nan, total)
    notes = np.where(missing_required, MISSING_REQUIRED, 0) | np.where(
        missing_optional & ~missing_required, MISSING_OPTIONAL, 0
    )
    labels = [label for label, _ in skema.bands]
    codes = np.full(ev.n, -1, dtype=np.int64)
    for i, band in enumerate(reversed(skema.settings["pita"])):
        code = len(labels) - 1 - i
        ok = total >= float(band["min"])
        condition = band.get("syarat")
        if condition:
            met = _condition(data, ev, condition)
            notes = notes | np.where(ok & ~met, CONDITION_UNMET, 0)
            ok &= met
        codes = np.where(ok, code, codes)
    codes = np.where(np.isnan(total), -1, codes)
    return scores, np.round(total, 2), labels, np.stack([codes, notes])


def _condition(data: Dataset, ev: Evidence, column: str) -> np.ndarray:
    """Whether each employee has ``column`` filled in (truthy) in penilaian or pegawai."""
    for table in ("penilaian", "pegawai"):
        if data.has(table) and column in data.tables[table]:
            frame = data.tables[table]
            if table == "penilaian":
                frame, emp = period_rows(data, "penilaian", ev.periode, ev.extras["position"])
            else:
                emp = np.arange(len(frame))
            text = frame[column].astype("str").str.strip().str.lower()
            truthy = frame[column].notna() & ~text.isin(["", "0", "tidak", "false", "nan", "-"])
            met = np.zeros(ev.n, bool)
            met[emp[truthy.to_numpy()]] = True
            return met
    return np.zeros(ev.n, bool)
