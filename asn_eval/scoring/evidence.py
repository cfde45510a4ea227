"""Evidence: everything a scheme's rules look at for one period, per employee, as arrays.

:func:`gather_evidence` reads a period's rows of every table once and reduces them to arrays
aligned with ``pegawai`` (indicator achievement per RHK, behaviour means per rater role, the given
ratings, attendance). Everything is vectorised over integer codes (NIP categories, RHK codes,
levels 0–2), with ``np.bincount`` as the group-by: no Python loop runs per employee or per row.
:mod:`asn_eval.scoring.predikat` and :mod:`asn_eval.scoring.score` turn it into levels and
labels, and the explanation of one employee reads the same arrays, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode, periode_mask
from asn_eval.input.vocab import ASPEK, NILAI_INTI, PERAN_PENILAI, PREDIKAT
from asn_eval.scoring.achievement import aspect_score_pp46, capaian
from asn_eval.scoring.scheme import Scheme

__all__ = [
    "ABOVE",
    "BELOW",
    "MEETS",
    "ROLES",
    "VALUES",
    "Evidence",
    "gather_evidence",
    "level_from",
    "mean_by",
    "nanmean",
    "period_rows",
    "role_weights",
    "weighted_mean",
]

BELOW, MEETS, ABOVE = 0, 1, 2
"""Level codes: positions in ``vocab.LEVEL.values``."""

ROLES = PERAN_PENILAI.values

VALUES = NILAI_INTI.values


@dataclass
class Evidence:
    """Everything the rules look at for one period, per employee (arrays of length ``n``).

    Built by :func:`gather_evidence`; :func:`score` turns it into levels and labels, and the
    explanation of one employee reads the same arrays, so the two cannot disagree.
    """

    periode: Periode
    skema: Scheme
    pegawai: pd.DataFrame
    n: int
    indicators: pd.DataFrame  # one row per indicator: emp, rhk, aspek, capaian, pp46, …
    rhk: pd.DataFrame  # one row per RHK: emp, utama, capaian, level, given, pp46
    capaian: np.ndarray
    n_indikator: np.ndarray
    n_unreported: np.ndarray
    n_rhk: np.ndarray
    hasil_saran: np.ndarray  # level codes, -1 where unknown
    hasil_rhk_given: np.ndarray
    role_means: np.ndarray  # (n, 4): mean score per rater role
    role_counts: np.ndarray  # (n, 4): raters per role
    skor_perilaku: np.ndarray
    perilaku_saran: np.ndarray
    given_hasil: np.ndarray
    given_perilaku: np.ndarray
    given_predikat: pd.Categorical
    attendance: pd.DataFrame
    extras: dict[str, object] = field(default_factory=dict)

    def indicator_table(self, data: Dataset) -> pd.DataFrame:
        """One row per indicator of the period, as a person reads it on the SKP.

        Parameters
        ----------
        data : Dataset
            The data the evidence was gathered from (for the RHK and indicator texts).

        Returns
        -------
        DataFrame
            ``nip``, ``nama``, ``kode_opd``, ``rhk``, ``indikator``, ``aspek``, ``target``,
            ``realisasi``, ``satuan`` and ``capaian`` (%, one decimal); empty without indicators.
        """
        columns = ["nip", "nama", "kode_opd", "rhk", "indikator", "aspek", "target"]
        columns += ["realisasi", "satuan", "capaian"]
        if not len(self.indicators):
            return pd.DataFrame(columns=columns)
        skp = data.skp.loc[self.indicators["row"].to_numpy()].reset_index(drop=True)
        people = self.pegawai.reset_index(drop=True).iloc[self.indicators["emp"].to_numpy()]
        return pd.DataFrame(
            {
                "nip": people["nip"].astype("str").to_numpy(),
                "nama": people["nama"].astype("str").to_numpy(),
                "kode_opd": people["kode_opd"].astype("str").to_numpy(),
                "rhk": skp["rhk"].astype("str"),
                "indikator": skp["indikator"].astype("str"),
                "aspek": skp["aspek"].astype("str"),
                "target": skp["target"],
                "realisasi": skp["realisasi"],
                "satuan": skp["satuan"].astype("str") if "satuan" in skp else "",
                "capaian": self.indicators["capaian"].round(1).to_numpy(),
            }
        )

    def value_means(self) -> np.ndarray:
        """Mean score per employee, core value and rater role: shape (n, 7, 4), NaN where none.

        Computed on demand (numeric schemes with core-value components, explanations) and kept.
        """
        if "value_means" not in self.extras:
            found = self.extras.get("behaviour_rows")
            shape = (self.n, len(VALUES), len(ROLES))
            if found is None:
                self.extras["value_means"] = np.full(shape, np.nan)
            else:
                emp, value, role, skor = found
                key = (emp * len(VALUES) + value) * len(ROLES) + role
                self.extras["value_means"] = mean_by(key, skor, int(np.prod(shape)))[0].reshape(
                    shape
                )
        return self.extras["value_means"]


def _positions(data: Dataset) -> np.ndarray:
    """Map NIP category codes to row positions in ``pegawai`` (-1 for NIPs not in this subset)."""
    nip = data.pegawai["nip"]
    position = np.full(len(nip.cat.categories), -1, dtype=np.int64)
    position[nip.cat.codes.to_numpy()] = np.arange(len(nip))
    return position


class _Rows:
    """A period's rows of a table as column views, copied only when some rows are left out."""

    def __init__(self, columns: dict[str, pd.Series], index: pd.Index) -> None:
        self.columns = columns
        self.index = index

    def __contains__(self, name: str) -> bool:
        return name in self.columns

    def __getitem__(self, name: str) -> pd.Series:
        return self.columns[name]

    def __len__(self) -> int:
        return len(self.index)


def period_rows(
    data: Dataset,
    table: str,
    periode: str,
    position: np.ndarray,
    columns: list[str] | None = None,
) -> tuple[_Rows | None, np.ndarray]:
    """Rows of ``table`` for the period with their employee positions (rows outside dropped)."""
    if not data.has(table):
        return None, np.empty(0, dtype=np.int64)
    frame = data.tables[table]
    emp = position[frame["nip"].cat.codes.to_numpy()]
    keep = periode_mask(frame, periode) & (emp >= 0)
    names = [c for c in frame.columns if columns is None or c in ("nip", *columns)]
    if keep.all():
        return _Rows({c: frame[c] for c in names}, frame.index), emp
    return _Rows({c: frame[c][keep] for c in names}, frame.index[keep]), emp[keep]


def level_from(values: np.ndarray, above: float, meets: float) -> np.ndarray:
    """Level codes from values and thresholds; -1 where the value is missing."""
    level = np.where(values >= above, ABOVE, np.where(values >= meets, MEETS, BELOW))
    return np.where(np.isnan(values), -1, level).astype(np.int8)


def mean_by(group: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean of non-missing values per group, and how many there were."""
    present = ~np.isnan(values)
    if not present.all():
        group, values = group[present], values[present]
    counts = np.bincount(group, minlength=size).astype("float64")
    sums = np.bincount(group, weights=values, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, np.nan), counts


def _rating_from_rhk(
    emp: np.ndarray, level: np.ndarray, utama: np.ndarray, n: int, rules: dict
) -> np.ndarray:
    """Derive the rating hasil kerja from the levels of an employee's RHK (DOMAIN.md §2).

    Di Atas when most RHK are above expectation and no main (utama) RHK is below; Di Bawah when most
    are below, or more than a small part of the main RHK; Sesuai otherwise.
    """
    known = level >= 0
    n_known = np.bincount(emp[known], minlength=n)
    n_above = np.bincount(emp[known & (level == ABOVE)], minlength=n)
    n_below = np.bincount(emp[known & (level == BELOW)], minlength=n)
    n_main = np.bincount(emp[known & utama], minlength=n)
    n_main_below = np.bincount(emp[known & utama & (level == BELOW)], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_above = n_above / n_known
        share_below = n_below / n_known
        share_main_below = np.where(n_main > 0, n_main_below / np.maximum(n_main, 1), 0.0)
    most = rules["mayoritas"]
    rating = np.full(n, MEETS, dtype=np.int8)
    rating[(share_above > most) & (n_main_below == 0)] = ABOVE
    rating[(share_below > most) | (share_main_below > rules["utama_di_bawah_maks"])] = BELOW
    rating[n_known == 0] = -1
    return rating


def _indicator_evidence(
    data: Dataset, periode: str, skema: Scheme, position: np.ndarray, n: int
) -> dict[str, object]:
    rules = skema.hasil_kerja
    needed = ["rhk_id", "jenis_rhk", "aspek", "target", "realisasi", "arah", "rating_atasan"]
    rows, emp = period_rows(data, "skp", periode, position, needed)
    empty = np.full(n, np.nan)
    if rows is None or not len(rows):
        nothing = np.zeros(n)
        return {
            "indicators": pd.DataFrame(),
            "rhk": pd.DataFrame(),
            "capaian": empty,
            "n_indikator": nothing,
            "n_unreported": nothing,
            "n_rhk": nothing,
            "hasil_saran": np.full(n, -1, np.int8),
            "hasil_rhk_given": np.full(n, -1, np.int8),
        }
    target = rows["target"].to_numpy("float64")
    realisasi = rows["realisasi"].to_numpy("float64", na_value=np.nan)
    lower = (
        (rows["arah"] == "turun").fillna(False).to_numpy(bool)
        if "arah" in rows
        else (np.zeros(len(rows), bool))
    )
    aspek = rows["aspek"].cat.codes.to_numpy()
    achieved = capaian(target, realisasi, lower, rules["capaian_maks"])
    needs_pp46 = any(c.options.get("metode") == "pp46" for c in skema.components)
    pp46 = (
        aspect_score_pp46(np.asarray(ASPEK.values)[aspek], target, realisasi, lower)
        if needs_pp46
        else np.full(len(rows), np.nan)
    )
    # One group per (employee, RHK): the key packs both into one integer, then factorizes it.
    rhk_codes = rows["rhk_id"].cat.codes.to_numpy().astype(np.int64)
    key = emp * (len(rows["rhk_id"].cat.categories) + 1) + rhk_codes
    group, uniques = pd.factorize(key)
    n_rhk_rows = len(uniques)
    first = np.full(n_rhk_rows, len(rows), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(rows)))
    rhk_emp = emp[first]
    rhk_cap, _ = mean_by(group, achieved, n_rhk_rows)
    rhk_level = level_from(rhk_cap, rules["batas_di_atas"], rules["batas_sesuai"])
    utama = (rows["jenis_rhk"] == "utama").fillna(False).to_numpy(bool)
    rhk_utama = np.bincount(group, weights=utama, minlength=n_rhk_rows) > 0
    # PP 46/2011: an activity's score is the mean of its aspects; not carried out (quantity 0) → 0.
    rhk_pp46, _ = (
        mean_by(group, pp46, n_rhk_rows) if needs_pp46 else (np.full(n_rhk_rows, np.nan), 0)
    )
    not_done = np.bincount(group, weights=(aspek == 0) & (realisasi == 0), minlength=n_rhk_rows)
    rhk_pp46 = np.where(not_done > 0, 0.0, rhk_pp46)
    if "rating_atasan" in rows:
        given_codes = rows["rating_atasan"].cat.codes.to_numpy().astype(np.int64)
        has = given_codes >= 0
        # The supervisor's level for an RHK: the lowest written on its rows (normally all equal).
        rhk_given = np.full(n_rhk_rows, 9, dtype=np.int64)
        np.minimum.at(rhk_given, group[has], given_codes[has])
        rhk_given = np.where(rhk_given == 9, -1, rhk_given).astype(np.int8)
    else:
        rhk_given = np.full(n_rhk_rows, -1, dtype=np.int8)
    cap, n_ind = mean_by(emp, achieved, n)
    unreported = np.bincount(emp, weights=np.isnan(realisasi), minlength=n)
    indicators = pd.DataFrame(
        {
            "emp": emp,
            "rhk": group,
            "aspek": aspek,
            "utama": utama,
            "capaian": achieved,
            "pp46": pp46,
            "row": rows.index.to_numpy(),
        }
    )
    rhk = pd.DataFrame(
        {
            "emp": rhk_emp,
            "rhk_code": rhk_codes[first],
            "utama": rhk_utama,
            "capaian": rhk_cap,
            "level": rhk_level,
            "given": rhk_given,
            "pp46": rhk_pp46,
        }
    )
    n_rhk = np.bincount(rhk_emp, weights=rhk_level >= 0, minlength=n)
    return {
        "indicators": indicators,
        "rhk": rhk,
        "capaian": cap,
        "n_indikator": n_ind,
        "n_unreported": unreported,
        "n_rhk": n_rhk,
        "hasil_saran": _rating_from_rhk(rhk_emp, rhk_level, rhk_utama, n, rules),
        "hasil_rhk_given": _rating_from_rhk(rhk_emp, rhk_given, rhk_utama, n, rules),
        "rhk_id_categories": rows["rhk_id"].cat.categories,
    }


def _behaviour_evidence(
    data: Dataset, periode: str, skema: Scheme, position: np.ndarray, n: int
) -> dict[str, object]:
    rows, emp = period_rows(
        data,
        "perilaku",
        periode,
        position,
        ["nip_penilai", "peran_penilai", "nilai_inti", "skor"],
    )
    weights = role_weights(skema.perilaku["bobot_peran"])
    if rows is None or not len(rows):
        means = np.full((n, len(ROLES)), np.nan)
        counts = np.zeros((n, len(ROLES)))
        behaviour_rows = None
    else:
        role = rows["peran_penilai"].cat.codes.to_numpy()
        value = rows["nilai_inti"].cat.codes.to_numpy()
        skor = rows["skor"].to_numpy("float64", na_value=np.nan)
        means, rows_per_role = mean_by(emp * len(ROLES) + role, skor, n * len(ROLES))
        means = means.reshape(n, len(ROLES))
        # Raters per role = rows ÷ core values rated: exact when each rater scores every value
        # rated in the period (the form of a 360° questionnaire); the key (periode, nip, peran,
        # penilai, nilai_inti) is unique, so a rater is never counted twice for one value.
        values_rated = max(int((np.bincount(value, minlength=len(VALUES)) > 0).sum()), 1)
        counts = np.ceil(rows_per_role.reshape(n, len(ROLES)) / values_rated).astype(np.int64)
        behaviour_rows = (emp, value, role, skor)
    weighted = weighted_mean(means, weights)
    rules = skema.perilaku
    return {
        "role_means": means,
        "role_counts": counts,
        "skor_perilaku": weighted,
        "perilaku_saran": level_from(weighted, rules["batas_di_atas"], rules["batas_sesuai"]),
        "behaviour_rows": behaviour_rows,
    }


def nanmean(values: np.ndarray) -> np.ndarray:
    """Row means ignoring missing values; NaN (without a warning) where a row has none."""
    present = ~np.isnan(values)
    counts = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, np.where(present, values, 0.0).sum(axis=1) / counts, np.nan)


def role_weights(weights: dict[str, float]) -> np.ndarray:
    """Rater-role weights as an array in the order of :data:`ROLES` (absent roles weigh 0).

    Parameters
    ----------
    weights : dict
        Role name to weight, as a scheme writes ``bobot_peran``.

    Returns
    -------
    ndarray
        One weight per role.

    Examples
    --------
    >>> role_weights({"atasan": 1.0}).tolist()
    [0.0, 1.0, 0.0, 0.0]
    """
    return np.array([float(weights.get(role, 0.0)) for role in ROLES])


def weighted_mean(means: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean over the last axis, ignoring missing entries; NaN where nothing counts.

    Parameters
    ----------
    means : ndarray
        Values whose last axis is the rater roles (NaN where a role gave nothing).
    weights : ndarray
        One weight per role (:func:`role_weights`).

    Returns
    -------
    ndarray
        The weighted mean over the roles present with a positive weight.

    Examples
    --------
    >>> weighted_mean(np.array([[4.0, 5.0, np.nan, 3.0]]), np.array([0.0, 0.5, 0.5, 0.5])).tolist()
    [4.0]
    """
    present = ~np.isnan(means) & (weights > 0)
    total = np.where(present, weights, 0.0).sum(axis=-1)
    summed = np.where(present, np.nan_to_num(means) * weights, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, summed / total, np.nan)


def _given(data: Dataset, periode: str, position: np.ndarray, n: int) -> dict[str, object]:
    hasil = np.full(n, -1, dtype=np.int8)
    perilaku = np.full(n, -1, dtype=np.int8)
    predikat_codes = np.full(n, -1, dtype=np.int64)
    rows, emp = period_rows(data, "penilaian", periode, position)
    # Label columns carry their vocabulary's dtype (codes in its order), see validation.recode.
    if rows is not None and len(rows):
        if "rating_hasil_kerja" in rows:
            hasil[emp] = rows["rating_hasil_kerja"].cat.codes.to_numpy()
        if "rating_perilaku" in rows:
            perilaku[emp] = rows["rating_perilaku"].cat.codes.to_numpy()
        if "predikat" in rows:
            predikat_codes[emp] = rows["predikat"].cat.codes.to_numpy()
    predikat = pd.Categorical.from_codes(predikat_codes, dtype=PREDIKAT.dtype)
    return {"given_hasil": hasil, "given_perilaku": perilaku, "given_predikat": predikat}


def _attendance(data: Dataset, periode: str, position: np.ndarray, n: int) -> pd.DataFrame:
    out = pd.DataFrame(index=range(n))
    rows, emp = period_rows(data, "kehadiran", periode, position)
    columns = ("hari_kerja", "hadir", "cuti", "tanpa_keterangan", "terlambat_menit")
    has = np.bincount(emp, minlength=n) > 0 if rows is not None else np.zeros(n, bool)
    for column in columns:
        if rows is not None and column in rows:
            values = rows[column].to_numpy("float64", na_value=np.nan)
            total = np.bincount(emp, weights=np.nan_to_num(values), minlength=n)
            out[column] = np.where(has, total, np.nan)
        else:
            out[column] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        days = out["hari_kerja"] - out["cuti"].fillna(0)
        out["persen_hadir"] = np.clip(out["hadir"] / days * 100, 0, 100).round(1)
    return out


def gather_evidence(data: Dataset, periode: Periode, skema: Scheme) -> Evidence:
    """Collect, per employee, all the evidence a scheme's rules look at for one period.

    Parameters
    ----------
    data : Dataset
        A loaded dataset.
    periode : Periode
        The period (a year without rows of its own takes its quarters' rows).
    skema : Scheme
        The scheme.

    Returns
    -------
    Evidence
        Arrays aligned with ``data.pegawai``.
    """
    position = _positions(data)
    n = len(data.pegawai)
    indicators = _indicator_evidence(data, periode, skema, position, n)
    behaviour = _behaviour_evidence(data, periode, skema, position, n)
    extras = {
        "rhk_id_categories": indicators.pop("rhk_id_categories", None),
        "behaviour_rows": behaviour.pop("behaviour_rows"),
        "position": position,
    }
    return Evidence(
        periode=periode,
        skema=skema,
        pegawai=data.pegawai,
        n=n,
        **indicators,
        **behaviour,
        **_given(data, periode, position, n),
        attendance=_attendance(data, periode, position, n),
        extras=extras,
    )
