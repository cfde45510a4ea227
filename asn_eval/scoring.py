"""Scoring: evidence → rating levels → predikat (and, for numeric schemes, a weighted total).

``score(dataset, periode, scheme)`` reads like the rules it applies:

1. indicators → achievement per indicator → per RHK → suggested rating hasil kerja;
2. multi-source behaviour ratings → weighted mean → suggested rating perilaku;
3. the given ratings (``penilaian``, ``skp.rating_atasan``) are used where the data has them;
4. the two levels → predikat through the scheme's matrix (or the components' weighted total →
   predikat through the scheme's bands);
5. the organisation's distribution curve is checked, and every row gets its ``catatan``.

Everything is vectorised over integer codes (NIP categories, RHK codes, levels 0–2), with
``np.bincount`` as the group-by: no Python loop runs per employee or per row. Each employee's result
depends only on their own rows and their agency's, so scoring a subset (e.g. one OPD at a time)
gives the same rows as scoring the whole city.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from asn_eval.achievement import aspect_score_pp46, capaian
from asn_eval.curve import check_curve
from asn_eval.dataset import Dataset
from asn_eval.ikm import ikm
from asn_eval.periode import parse_periode, periode_bounds, periode_mask
from asn_eval.scheme import Component, Scheme, load_scheme
from asn_eval.vocab import ASPEK, LEVEL, NILAI_INTI, PERAN_PENILAI, PREDIKAT

__all__ = [
    "RESULT_COLUMNS",
    "Evidence",
    "gather_evidence",
    "role_weights",
    "score",
    "weighted_mean",
]

BELOW, MEETS, ABOVE = 0, 1, 2
"""Level codes: positions in ``vocab.LEVEL.values``."""

ROLES = PERAN_PENILAI.values
VALUES = NILAI_INTI.values

RESULT_COLUMNS = [
    "nip",
    "nama",
    "kode_opd",
    "unit_kerja",
    "jabatan",
    "jenis_jabatan",
    "periode",
    "skema",
    "capaian",
    "n_rhk",
    "n_indikator",
    "rating_hasil_kerja_saran",
    "rating_hasil_kerja_diberikan",
    "rating_hasil_kerja",
    "skor_perilaku",
    "n_penilai",
    "rating_perilaku_saran",
    "rating_perilaku_diberikan",
    "rating_perilaku",
    "predikat",
    "predikat_diberikan",
    "nilai_skp",
    "nilai_perilaku",
    "nilai",
    "angka_kredit",
    "persen_hadir",
    "terlambat_menit",
    "tanpa_keterangan",
    "catatan",
]
"""Columns of a scored table, in order (DATA.md "What a user can expect back", and more)."""

# Notes, one bit each; a row's catatan joins the texts of its bits.
_NOTES = (
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
) = (1 << i for i in range(len(_NOTES)))


@dataclass
class Evidence:
    """Everything the rules look at for one period, per employee (arrays of length ``n``).

    Built by :func:`gather_evidence`; :func:`score` turns it into levels and labels, and the
    explanation of one employee reads the same arrays, so the two cannot disagree.
    """

    periode: str
    scheme: Scheme
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
                self.extras["value_means"] = _mean_by(key, skor, int(np.prod(shape)))[0].reshape(
                    shape
                )
        return self.extras["value_means"]


def level_codes(values: pd.Series) -> np.ndarray:
    """Return level codes 0 (Di Bawah) … 2 (Di Atas), -1 where missing, from any spelling.

    Parameters
    ----------
    values : Series
        Level labels, as scored (categorical) or as a user wrote them.

    Returns
    -------
    ndarray of int64

    Examples
    --------
    >>> level_codes(pd.Series(["di atas", None, "Sesuai Ekspektasi"])).tolist()
    [2, -1, 1]
    """
    if isinstance(values.dtype, pd.CategoricalDtype) and list(values.cat.categories) == list(
        LEVEL.values
    ):
        return values.cat.codes.to_numpy().astype(np.int64)
    labels = pd.Series(values, dtype="object").map(
        lambda v: LEVEL.canonical(v) if isinstance(v, str) else None
    )
    return pd.Categorical(labels, dtype=LEVEL.dtype).codes.astype(np.int64)


def rating_gap(hasil: pd.DataFrame) -> np.ndarray:
    """Return how many levels the given rating hasil kerja is from the indicators' suggestion.

    The same rule as the ``catatan`` flags of :func:`score`: 1 is one level apart, 2 a
    contradiction (Di Atas given where the indicators say Di Bawah, or the reverse).

    Parameters
    ----------
    hasil : DataFrame
        Scored results (``rating_hasil_kerja_diberikan``, ``rating_hasil_kerja_saran``).

    Returns
    -------
    ndarray of float
        0, 1 or 2; NaN where either rating is missing.
    """
    given = level_codes(hasil["rating_hasil_kerja_diberikan"])
    suggested = level_codes(hasil["rating_hasil_kerja_saran"])
    gap = np.abs(given - suggested).astype("float64")
    return np.where((given >= 0) & (suggested >= 0), gap, np.nan)


def _positions(dataset: Dataset) -> np.ndarray:
    """Map NIP category codes to row positions in ``pegawai`` (-1 for NIPs not in this subset)."""
    nip = dataset.pegawai["nip"]
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


def _rows(
    dataset: Dataset,
    table: str,
    periode: str,
    position: np.ndarray,
    columns: list[str] | None = None,
) -> tuple[_Rows | None, np.ndarray]:
    """Rows of ``table`` for the period with their employee positions (rows outside dropped)."""
    if not dataset.has(table):
        return None, np.empty(0, dtype=np.int64)
    frame = dataset.tables[table]
    emp = position[frame["nip"].cat.codes.to_numpy()]
    keep = periode_mask(frame, periode) & (emp >= 0)
    names = [c for c in frame.columns if columns is None or c in ("nip", *columns)]
    if keep.all():
        return _Rows({c: frame[c] for c in names}, frame.index), emp
    return _Rows({c: frame[c][keep] for c in names}, frame.index[keep]), emp[keep]


def _level(values: np.ndarray, above: float, meets: float) -> np.ndarray:
    """Level codes from values and thresholds; -1 where the value is missing."""
    level = np.where(values >= above, ABOVE, np.where(values >= meets, MEETS, BELOW))
    return np.where(np.isnan(values), -1, level).astype(np.int8)


def _mean_by(group: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
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
    dataset: Dataset, periode: str, scheme: Scheme, position: np.ndarray, n: int
) -> dict[str, object]:
    rules = scheme.hasil_kerja
    needed = ["rhk_id", "jenis_rhk", "aspek", "target", "realisasi", "arah", "rating_atasan"]
    rows, emp = _rows(dataset, "skp", periode, position, needed)
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
    needs_pp46 = any(c.options.get("metode") == "pp46" for c in scheme.components)
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
    rhk_cap, _ = _mean_by(group, achieved, n_rhk_rows)
    rhk_level = _level(rhk_cap, rules["batas_di_atas"], rules["batas_sesuai"])
    utama = (rows["jenis_rhk"] == "utama").fillna(False).to_numpy(bool)
    rhk_utama = np.bincount(group, weights=utama, minlength=n_rhk_rows) > 0
    # PP 46/2011: an activity's score is the mean of its aspects; not carried out (quantity 0) → 0.
    rhk_pp46, _ = (
        _mean_by(group, pp46, n_rhk_rows) if needs_pp46 else (np.full(n_rhk_rows, np.nan), 0)
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
    cap, n_ind = _mean_by(emp, achieved, n)
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
    dataset: Dataset, periode: str, scheme: Scheme, position: np.ndarray, n: int
) -> dict[str, object]:
    rows, emp = _rows(
        dataset,
        "perilaku",
        periode,
        position,
        ["nip_penilai", "peran_penilai", "nilai_inti", "skor"],
    )
    weights = role_weights(scheme.perilaku["bobot_peran"])
    if rows is None or not len(rows):
        means = np.full((n, len(ROLES)), np.nan)
        counts = np.zeros((n, len(ROLES)))
        behaviour_rows = None
    else:
        role = rows["peran_penilai"].cat.codes.to_numpy()
        value = rows["nilai_inti"].cat.codes.to_numpy()
        skor = rows["skor"].to_numpy("float64", na_value=np.nan)
        means, rows_per_role = _mean_by(emp * len(ROLES) + role, skor, n * len(ROLES))
        means = means.reshape(n, len(ROLES))
        # Raters per role = rows ÷ core values rated: exact when each rater scores every value
        # rated in the period (the form of a 360° questionnaire); the key (periode, nip, peran,
        # penilai, nilai_inti) is unique, so a rater is never counted twice for one value.
        values_rated = max(int((np.bincount(value, minlength=len(VALUES)) > 0).sum()), 1)
        counts = np.ceil(rows_per_role.reshape(n, len(ROLES)) / values_rated).astype(np.int64)
        behaviour_rows = (emp, value, role, skor)
    weighted = weighted_mean(means, weights)
    rules = scheme.perilaku
    return {
        "role_means": means,
        "role_counts": counts,
        "skor_perilaku": weighted,
        "perilaku_saran": _level(weighted, rules["batas_di_atas"], rules["batas_sesuai"]),
        "behaviour_rows": behaviour_rows,
    }


def _nanmean(values: np.ndarray) -> np.ndarray:
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


def _given(dataset: Dataset, periode: str, position: np.ndarray, n: int) -> dict[str, object]:
    hasil = np.full(n, -1, dtype=np.int8)
    perilaku = np.full(n, -1, dtype=np.int8)
    predikat_codes = np.full(n, -1, dtype=np.int64)
    rows, emp = _rows(dataset, "penilaian", periode, position)
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


def _attendance(dataset: Dataset, periode: str, position: np.ndarray, n: int) -> pd.DataFrame:
    out = pd.DataFrame(index=range(n))
    rows, emp = _rows(dataset, "kehadiran", periode, position)
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


def gather_evidence(dataset: Dataset, periode: str, scheme: Scheme | str) -> Evidence:
    """Collect, per employee, all the evidence a scheme's rules look at for one period.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    periode : str
        ``2025-TW1`` … ``2025-TW4`` or ``2025``.
    scheme : Scheme or str
        The scheme (or its name or path).

    Returns
    -------
    Evidence
        Arrays aligned with ``dataset.pegawai``.
    """
    scheme = load_scheme(scheme)
    periode = parse_periode(periode) or periode
    position = _positions(dataset)
    n = len(dataset.pegawai)
    indicators = _indicator_evidence(dataset, periode, scheme, position, n)
    behaviour = _behaviour_evidence(dataset, periode, scheme, position, n)
    extras = {
        "rhk_id_categories": indicators.pop("rhk_id_categories", None),
        "behaviour_rows": behaviour.pop("behaviour_rows"),
        "position": position,
    }
    return Evidence(
        periode=periode,
        scheme=scheme,
        pegawai=dataset.pegawai,
        n=n,
        **indicators,
        **behaviour,
        **_given(dataset, periode, position, n),
        attendance=_attendance(dataset, periode, position, n),
        extras=extras,
    )


def _levels(codes: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int64), dtype=LEVEL.dtype)


def _matrix_predikat(
    scheme: Scheme, hasil: np.ndarray, perilaku: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    labels = scheme.labels
    table = np.empty((3, 3), dtype=np.int64)
    for i, h in enumerate(LEVEL.values):
        for j, p in enumerate(LEVEL.values):
            table[i, j] = labels.index(scheme.matrix[h][p])
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
        if opts.get("metode", "capaian") == "pp46":
            rhk = ev.rhk
            if mask.all():
                return _mean_by(rhk["emp"].to_numpy(), rhk["pp46"].to_numpy(), n)[0]
            per_rhk, _ = _mean_by(
                rows["rhk"].to_numpy()[mask], rows["pp46"].to_numpy()[mask], len(rhk)
            )
            return _mean_by(rhk["emp"].to_numpy(), per_rhk, n)[0]
        values = np.minimum(rows["capaian"].to_numpy(), opts.get("capaian_maks", np.inf))
        return _mean_by(rows["emp"].to_numpy()[mask], values[mask], n)[0]
    if kind == "perilaku":
        weights = opts.get("bobot_peran", ev.scheme.perilaku["bobot_peran"])
        w = role_weights(weights)
        per_value = weighted_mean(ev.value_means(), w)  # (n, 7)
        scale = float(opts.get("skala", 20.0))
        if "unsur" in opts:
            structural = ev.pegawai["jenis_jabatan"].isin(["JPT", "Administrator", "Pengawas"])
            elements = []
            for name, values in opts["unsur"].items():
                idx = [VALUES.index(v) for v in values]
                element = _nanmean(per_value[:, idx])
                if name in opts.get("unsur_struktural", []):
                    element = np.where(structural.to_numpy(), element, np.nan)
                elements.append(element)
            return _nanmean(np.column_stack(elements)) * scale
        idx = [VALUES.index(v) for v in opts.get("nilai_inti", VALUES)]
        return _nanmean(per_value[:, idx]) * scale
    if kind == "kehadiran":
        return ev.attendance["persen_hadir"].to_numpy("float64")
    if kind == "disiplin":
        att = ev.attendance
        penalty = att["tanpa_keterangan"].fillna(0) * float(opts.get("potong_tanpa_keterangan", 5))
        penalty += (
            att["terlambat_menit"].fillna(0) / 60 * float(opts.get("potong_per_jam_terlambat", 1))
        )
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


def _ikm_by_opd(dataset: Dataset, periode: str) -> pd.Series | None:
    if not dataset.has("survei"):
        return None
    table = ikm(dataset.survei, periode)
    if table.empty:
        return None
    weighted = (table["ikm"] * table["n_responden"]).groupby(table["kode_opd"], observed=True).sum()
    return weighted / table.groupby("kode_opd", observed=True)["n_responden"].sum()


def _activity_share(dataset: Dataset, periode: str, ev: Evidence) -> np.ndarray | None:
    """Share (%) of working days with at least one approved activity-log entry."""
    if not dataset.has("aktivitas"):
        return None
    log = dataset.aktivitas
    start, end = periode_bounds(ev.periode)
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


def _numeric(
    dataset: Dataset, ev: Evidence
) -> tuple[dict[str, np.ndarray], np.ndarray, list[str], np.ndarray]:
    scheme = ev.scheme
    components = scheme.components
    ikm_by_opd = _ikm_by_opd(dataset, ev.periode)
    aktivitas = _activity_share(dataset, ev.periode, ev)
    scores = {c.nama: _component_score(c, ev, ikm_by_opd, aktivitas) for c in components}
    weights = np.array([c.bobot for c in components])
    alternative = scheme.settings.get("bobot_jika_360")
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
    labels = [label for label, _ in scheme.bands]
    codes = np.full(ev.n, -1, dtype=np.int64)
    for i, band in enumerate(reversed(scheme.settings["pita"])):
        code = len(labels) - 1 - i
        ok = total >= float(band["min"])
        condition = band.get("syarat")
        if condition:
            met = _condition(dataset, ev, condition)
            notes = notes | np.where(ok & ~met, CONDITION_UNMET, 0)
            ok &= met
        codes = np.where(ok, code, codes)
    codes = np.where(np.isnan(total), -1, codes)
    return scores, np.round(total, 2), labels, np.stack([codes, notes])


def _condition(dataset: Dataset, ev: Evidence, column: str) -> np.ndarray:
    """Whether each employee has ``column`` filled in (truthy) in penilaian or pegawai."""
    for table in ("penilaian", "pegawai"):
        if dataset.has(table) and column in dataset.tables[table]:
            frame = dataset.tables[table]
            if table == "penilaian":
                frame, emp = _rows(dataset, "penilaian", ev.periode, ev.extras["position"])
            else:
                emp = np.arange(len(frame))
            text = frame[column].astype("str").str.strip().str.lower()
            truthy = frame[column].notna() & ~text.isin(["", "0", "tidak", "false", "nan", "-"])
            met = np.zeros(ev.n, bool)
            met[emp[truthy.to_numpy()]] = True
            return met
    return np.zeros(ev.n, bool)


def _credit_points(
    scheme: Scheme, pegawai: pd.DataFrame, predikat: pd.Series, periode: str
) -> np.ndarray:
    settings = scheme.settings.get("angka_kredit")
    if not settings:
        return np.full(len(pegawai), np.nan)
    # Match the level in each distinct job title once, then spread by the titles' codes.
    titles = pegawai["jabatan"].astype("category")
    names = pd.Series(titles.cat.categories.astype("str")).str.lower()
    per_title = np.full(len(names), np.nan)
    for level, value in sorted(settings["koefisien"].items(), key=lambda kv: -len(kv[0])):
        hit = np.isnan(per_title) & names.str.contains(level.lower(), regex=False).to_numpy()
        per_title[hit] = float(value)
    codes = titles.cat.codes.to_numpy()
    coefficient = np.where(
        codes >= 0, per_title[np.maximum(codes, 0)] if len(names) else np.nan, np.nan
    )
    coefficient = np.where(
        (pegawai["jenis_jabatan"] == "Fungsional").to_numpy(), coefficient, np.nan
    )
    percent = predikat.astype("str").map(settings["persentase"]).astype("float64")
    months = 12 if "-TW" not in periode else 3
    return (coefficient * percent.to_numpy() * months / 12).round(3)


def _catatan(bits: np.ndarray) -> pd.Categorical:
    """Join the notes of each row's bits; few distinct combinations, so join each once."""
    unique, codes = np.unique(bits, return_inverse=True)
    texts = ["; ".join(t for i, t in enumerate(_NOTES) if int(b) >> i & 1) for b in unique]
    return pd.Categorical.from_codes(
        codes.ravel(), categories=pd.Index(texts, dtype="str").unique()
    )


def score(
    dataset: Dataset, periode: str, scheme: Scheme | str = "permenpan-6-2022"
) -> pd.DataFrame:
    """Score every employee of a dataset for one period under a scheme.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset (:func:`asn_eval.load`), or a subset of one.
    periode : str
        ``2025-TW1`` … ``2025-TW4`` or ``2025``. A year with no rows of its own in a table is
        scored from its four quarters' rows.
    scheme : Scheme or str, default "permenpan-6-2022"
        A shipped scheme's name, a scheme file's path, or a loaded :class:`Scheme`.

    Returns
    -------
    DataFrame
        One row per employee, columns :data:`RESULT_COLUMNS`. An employee without the evidence
        a level needs gets no predikat, and ``catatan`` says why.

    Examples
    --------
    >>> import asn_eval
    >>> hasil = asn_eval.score(asn_eval.load("data/sample"), "2025-TW1")  # doctest: +SKIP
    >>> hasil["predikat"].value_counts()  # doctest: +SKIP
    """
    ev = gather_evidence(dataset, periode, scheme)
    scheme = ev.scheme
    n = ev.n
    use_given = scheme.hasil_kerja.get("pakai_rating_diberikan", True)
    given_hasil = np.where(ev.given_hasil >= 0, ev.given_hasil, ev.hasil_rhk_given)
    hasil = np.where(use_given & (given_hasil >= 0), given_hasil, ev.hasil_saran)
    use_given_p = scheme.perilaku.get("pakai_rating_diberikan", True)
    perilaku = np.where(
        use_given_p & (ev.given_perilaku >= 0), ev.given_perilaku, ev.perilaku_saran
    )

    bits = np.zeros(n, dtype=np.int64)
    bits |= np.where(hasil < 0, NO_INDICATORS, 0)
    bits |= np.where(perilaku < 0, NO_BEHAVIOUR, 0)
    both = (given_hasil >= 0) & (ev.hasil_saran >= 0)
    gap = np.abs(given_hasil.astype(int) - ev.hasil_saran.astype(int))
    bits |= np.where(both & (gap == 1), HK_DIFFERS, 0) | np.where(
        both & (gap == 2), HK_CONTRADICTS, 0
    )
    both_p = (ev.given_perilaku >= 0) & (ev.perilaku_saran >= 0)
    bits |= np.where(both_p & (ev.given_perilaku != ev.perilaku_saran), PR_DIFFERS, 0)
    bits |= np.where(ev.n_unreported > 0, UNREPORTED, 0)

    nan = np.full(n, np.nan)
    nilai_skp = nilai_perilaku = nilai = nan
    if scheme.jenis == "angka":
        scores, nilai, labels, (codes, notes) = _numeric(dataset, ev)
        bits |= notes
        kinds = {c.jenis: c.nama for c in reversed(scheme.components)}
        nilai_skp = np.round(scores[kinds["indikator"]], 2) if "indikator" in kinds else nan
        nilai_perilaku = np.round(scores[kinds["perilaku"]], 2) if "perilaku" in kinds else nan
    else:
        codes, labels = _matrix_predikat(scheme, hasil, perilaku)
    # codes count from the best label; the categorical is ordered worst → best.
    worst_first = pd.CategoricalDtype(list(reversed(labels)), ordered=True)
    predikat = pd.Categorical.from_codes(
        np.where(codes >= 0, len(labels) - 1 - codes, -1), dtype=worst_first
    )
    given_label = ev.given_predikat.astype(object)
    differs = (
        pd.notna(given_label)
        & pd.notna(predikat)
        & (np.asarray(given_label, dtype=object) != np.asarray(predikat, dtype=object))
    )
    bits |= np.where(np.asarray(differs, bool), PREDIKAT_DIFFERS, 0)

    pegawai = dataset.pegawai
    identity = ["nip", "nama", "kode_opd", "unit_kerja", "jabatan", "jenis_jabatan"]
    out = pegawai[[c for c in identity if c in pegawai]].reset_index(drop=True)
    if "unit_kerja" not in out:
        out.insert(3, "unit_kerja", pd.Series(pd.NA, index=out.index, dtype="str"))
    constant = np.zeros(n, dtype=np.int8)
    out["periode"] = pd.Categorical.from_codes(constant, categories=[ev.periode])
    out["skema"] = pd.Categorical.from_codes(constant, categories=[scheme.nama])
    out["capaian"] = np.round(ev.capaian, 1)
    out["n_rhk"] = ev.n_rhk.astype(np.int32)
    out["n_indikator"] = ev.n_indikator.astype(np.int32)
    out["rating_hasil_kerja_saran"] = _levels(ev.hasil_saran)
    out["rating_hasil_kerja_diberikan"] = _levels(given_hasil)
    out["rating_hasil_kerja"] = _levels(hasil)
    out["skor_perilaku"] = np.round(ev.skor_perilaku, 2)
    out["n_penilai"] = ev.role_counts.sum(axis=1).astype(np.int32)
    out["rating_perilaku_saran"] = _levels(ev.perilaku_saran)
    out["rating_perilaku_diberikan"] = _levels(ev.given_perilaku)
    out["rating_perilaku"] = _levels(perilaku)
    out["predikat"] = predikat
    out["predikat_diberikan"] = ev.given_predikat
    out["nilai_skp"] = nilai_skp
    out["nilai_perilaku"] = nilai_perilaku
    out["nilai"] = nilai
    out["angka_kredit"] = _credit_points(scheme, pegawai, out["predikat"], ev.periode)
    out["persen_hadir"] = ev.attendance["persen_hadir"].to_numpy()
    out["terlambat_menit"] = ev.attendance["terlambat_menit"].to_numpy()
    out["tanpa_keterangan"] = ev.attendance["tanpa_keterangan"].to_numpy()
    if scheme.kurva:
        curve = check_curve(out, dataset, ev.periode, scheme)
        over = curve.loc[curve["melanggar"], "kode_opd"].astype("str")
        bits |= np.where(out["kode_opd"].astype("str").isin(over).to_numpy(), CURVE, 0)
    out["catatan"] = _catatan(bits)
    return out
