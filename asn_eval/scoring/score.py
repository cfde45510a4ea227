"""Scoring one period once: :func:`evaluate` returns everything a period needs downstream.

``evaluate(data, periode, skema)`` reads like the rules it applies:

1. the period's evidence per employee (:func:`~asn_eval.scoring.evidence.gather_evidence`):
   indicators → achievement → RHK levels → suggested rating hasil kerja; multi-source behaviour
   ratings → weighted mean → suggested rating perilaku; the given ratings;
2. the given ratings are used where the data has them, and disagreements are noted;
3. the two levels → predikat through the scheme's matrix, or the components' weighted total →
   predikat through the scheme's bands (:mod:`asn_eval.scoring.predikat`);
4. the organisation's distribution curve is checked once (:mod:`asn_eval.scoring.curve`), IKM is
   computed once, and every row gets its ``catatan``.

The result, a :class:`Scored`, is what :func:`asn_eval.analysis.run.analyze`, the report batch,
the review app and ``asn-eval score`` all read, so no part of it is computed twice. Each
employee's result depends only on their own rows and their agency's, so scoring a subset (e.g. one
OPD) gives the same rows as scoring the whole city.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode
from asn_eval.input.vocab import LEVEL
from asn_eval.scoring.curve import check_curve
from asn_eval.scoring.evidence import Evidence, gather_evidence
from asn_eval.scoring.ikm import ikm_units
from asn_eval.scoring.predikat import (
    CURVE,
    HK_CONTRADICTS,
    HK_DIFFERS,
    NO_BEHAVIOUR,
    NO_INDICATORS,
    NOTES,
    PR_DIFFERS,
    PREDIKAT_DIFFERS,
    UNREPORTED,
    levels,
    matrix_predikat,
    numeric_predikat,
)
from asn_eval.scoring.scheme import DEFAULT_SCHEME, Scheme, load_scheme

__all__ = [
    "RESULT_COLUMNS",
    "Scored",
    "evaluate",
    "level_codes",
    "rating_gap",
    "score",
]

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


def credit_points(
    skema: Scheme, pegawai: pd.DataFrame, predikat: pd.Series, periode: Periode
) -> np.ndarray:
    """Return the angka kredit of functional posts for a period: coefficient × share × months/12.

    Parameters
    ----------
    skema : Scheme
        Its ``angka_kredit`` settings: coefficient per level of the post (``Ahli Muda`` …) and
        the share per predikat (PermenPAN-RB 1/2023: Sangat Baik 150 %, Baik 100 %, …).
    pegawai : DataFrame
        ``jabatan`` and ``jenis_jabatan`` of each row.
    predikat : Series
        The predikat each row's points follow (computed, or in force after calibration).
    periode : Periode
        Its months (a quarter is 3/12 of the yearly coefficient).

    Returns
    -------
    ndarray of float
        Three decimals; NaN for other posts, unknown levels or no predikat.
    """
    settings = skema.settings.get("angka_kredit")
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
    months = periode.months
    return (coefficient * percent.to_numpy() * months / 12).round(3)


def _catatan(bits: np.ndarray) -> pd.Categorical:
    """Join the notes of each row's bits; few distinct combinations, so join each once."""
    unique, codes = np.unique(bits, return_inverse=True)
    texts = ["; ".join(t for i, t in enumerate(NOTES) if int(b) >> i & 1) for b in unique]
    return pd.Categorical.from_codes(
        codes.ravel(), categories=pd.Index(texts, dtype="str").unique()
    )


@dataclass
class Scored:
    """One period of a dataset scored under one scheme: what every later stage reads.

    Attributes
    ----------
    data : Dataset
        The data scored.
    periode : Periode
        The period.
    skema : Scheme
        The scheme.
    hasil : DataFrame
        One row per employee, columns :data:`RESULT_COLUMNS`.
    evidence : Evidence or None
        The arrays the rules looked at, aligned with ``hasil``; None when the period was scored
        in parts on a Dask cluster (:mod:`asn_eval.scoring.partitioned`: the evidence stays on
        the workers; writing results needs only ``hasil``, ``kurva`` and ``ikm``).
    kurva : DataFrame
        The distribution-curve check per OPD (:func:`~asn_eval.scoring.curve.check_curve`);
        empty when the scheme has no curve.
    ikm : DataFrame
        IKM per OPD and service unit (:func:`~asn_eval.scoring.ikm.ikm_units`), computed on first
        use (or during scoring, for a scheme with an IKM component) and kept.
    """

    data: Dataset
    periode: Periode
    skema: Scheme
    hasil: pd.DataFrame
    evidence: Evidence | None
    kurva: pd.DataFrame
    units: pd.DataFrame | None = field(default=None, repr=False)
    quarters: dict[Periode, Scored] = field(default_factory=dict, repr=False)

    @property
    def ikm(self) -> pd.DataFrame:
        """IKM per OPD and service unit of the period (computed once)."""
        if self.units is None:
            self.units = ikm_units(self.data, self.periode)
        return self.units

    def quarter_results(self) -> dict[Periode, Scored]:
        """Score the period's quarters that the data has, each once (a quarter is its own).

        Returns
        -------
        dict of Periode to Scored
            Oldest first; for a year, each of its quarters present in the data.
        """
        if not self.periode.is_year:
            return {self.periode: self}
        have = set(self.data.periodes)
        for quarter in self.periode.quarters:
            if quarter in have and quarter not in self.quarters:
                self.quarters[quarter] = _evaluate(self.data, quarter, self.skema)
        return dict(sorted(self.quarters.items(), key=lambda kv: kv[0].sort_key))


def evaluate(
    data: Dataset,
    periode: str | Periode,
    skema: str | os.PathLike[str] | Scheme = DEFAULT_SCHEME,
) -> Scored:
    """Score every employee of a dataset for one period under a scheme, once.

    Parameters
    ----------
    data : Dataset
        A loaded dataset (:func:`asn_eval.load`), or a subset of one.
    periode : str or Periode
        ``2025-TW1`` … ``2025-TW4`` or ``2025``. A year with no rows of its own in a table is
        scored from its four quarters' rows.
    skema : str, path or Scheme, default "permenpan-6-2022"
        A shipped scheme's name, a scheme file's path, or a loaded :class:`Scheme`.

    Returns
    -------
    Scored
        The results, the evidence, the curve check and IKM of the period.

    Raises
    ------
    PeriodeError
        When the period cannot be read or the data has nothing for it (the message lists the
        periods the data can be evaluated for).
    SchemeError
        When the scheme cannot be read.
    """
    return _evaluate(data, data.periode(periode), load_scheme(skema))


def _evaluate(data: Dataset, periode: Periode, skema: Scheme) -> Scored:
    ev = gather_evidence(data, periode, skema)
    # IKM is needed while scoring only by a scheme that weighs it; otherwise on first use.
    needs_ikm = any(c.jenis == "ikm" for c in skema.components)
    units = ikm_units(data, periode) if needs_ikm else None
    hasil, curve = _results(data, ev, units)
    return Scored(data, periode, skema, hasil, ev, curve, units)


def score(
    data: Dataset,
    periode: str | Periode,
    skema: str | os.PathLike[str] | Scheme = DEFAULT_SCHEME,
) -> pd.DataFrame:
    """Score every employee of a dataset for one period under a scheme.

    The table of :func:`evaluate`; use that when the curve, IKM or evidence are needed too.

    Parameters
    ----------
    data : Dataset
        A loaded dataset (:func:`asn_eval.load`), or a subset of one.
    periode : str or Periode
        ``2025-TW1`` … ``2025-TW4`` or ``2025``. A year with no rows of its own in a table is
        scored from its four quarters' rows.
    skema : str, path or Scheme, default "permenpan-6-2022"
        A shipped scheme's name, a scheme file's path, or a loaded :class:`Scheme`.

    Returns
    -------
    DataFrame
        One row per employee, columns :data:`RESULT_COLUMNS`. An employee without the evidence
        a level needs gets no predikat, and ``catatan`` says why.

    Raises
    ------
    PeriodeError
        When the period cannot be read or the data has nothing for it.

    Examples
    --------
    >>> import asn_eval
    >>> hasil = asn_eval.score(asn_eval.load("data/sample"), "2025-TW1")  # doctest: +SKIP
    >>> hasil["predikat"].value_counts()  # doctest: +SKIP
    """
    return evaluate(data, periode, skema).hasil


def _results(
    data: Dataset, ev: Evidence, units: pd.DataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn the evidence into the scored table and the curve check."""
    scheme = ev.skema
    n = ev.n
    use_given = scheme.hasil_kerja["pakai_rating_diberikan"]
    given_hasil = np.where(ev.given_hasil >= 0, ev.given_hasil, ev.hasil_rhk_given)
    hasil = np.where(use_given & (given_hasil >= 0), given_hasil, ev.hasil_saran)
    use_given_p = scheme.perilaku["pakai_rating_diberikan"]
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
        scores, nilai, labels, (codes, notes) = numeric_predikat(data, ev, units)
        bits |= notes
        kinds = {c.jenis: c.nama for c in reversed(scheme.components)}
        nilai_skp = np.round(scores[kinds["indikator"]], 2) if "indikator" in kinds else nan
        nilai_perilaku = np.round(scores[kinds["perilaku"]], 2) if "perilaku" in kinds else nan
    else:
        codes, labels = matrix_predikat(scheme, hasil, perilaku)
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

    pegawai = data.pegawai
    identity = ["nip", "nama", "kode_opd", "unit_kerja", "jabatan", "jenis_jabatan"]
    out = pegawai[[c for c in identity if c in pegawai]].reset_index(drop=True)
    if "unit_kerja" not in out:
        out.insert(3, "unit_kerja", pd.Series(pd.NA, index=out.index, dtype="str"))
    if "kode_instansi" in pegawai:  # many governments in one dataset: kode_opd is qualified
        out.insert(2, "kode_instansi", pegawai["kode_instansi"].reset_index(drop=True))
    constant = np.zeros(n, dtype=np.int8)
    out["periode"] = pd.Categorical.from_codes(constant, categories=[ev.periode])
    out["skema"] = pd.Categorical.from_codes(constant, categories=[scheme.nama])
    out["capaian"] = np.round(ev.capaian, 1)
    out["n_rhk"] = ev.n_rhk.astype(np.int32)
    out["n_indikator"] = ev.n_indikator.astype(np.int32)
    out["rating_hasil_kerja_saran"] = levels(ev.hasil_saran)
    out["rating_hasil_kerja_diberikan"] = levels(given_hasil)
    out["rating_hasil_kerja"] = levels(hasil)
    out["skor_perilaku"] = np.round(ev.skor_perilaku, 2)
    out["n_penilai"] = ev.role_counts.sum(axis=1).astype(np.int32)
    out["rating_perilaku_saran"] = levels(ev.perilaku_saran)
    out["rating_perilaku_diberikan"] = levels(ev.given_perilaku)
    out["rating_perilaku"] = levels(perilaku)
    out["predikat"] = predikat
    out["predikat_diberikan"] = ev.given_predikat
    out["nilai_skp"] = nilai_skp
    out["nilai_perilaku"] = nilai_perilaku
    out["nilai"] = nilai
    out["angka_kredit"] = credit_points(scheme, pegawai, out["predikat"], ev.periode)
    out["persen_hadir"] = ev.attendance["persen_hadir"].to_numpy()
    out["terlambat_menit"] = ev.attendance["terlambat_menit"].to_numpy()
    out["tanpa_keterangan"] = ev.attendance["tanpa_keterangan"].to_numpy()
    curve = check_curve(data, ev.periode, scheme, out) if scheme.kurva else pd.DataFrame()
    if len(curve):
        over = curve.loc[curve["melanggar"], "kode_opd"].astype("str")
        bits |= np.where(out["kode_opd"].astype("str").isin(over).to_numpy(), CURVE, 0)
    out["catatan"] = _catatan(bits)
    return out, curve
