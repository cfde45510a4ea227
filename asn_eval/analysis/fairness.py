"""Statistics behind fair calibration, on tidy DataFrames.

Who rates leniently or severely (:func:`rater_tendency`), who does not tell people apart
(:func:`central_tendency`), how the sources of a 360° rating differ (:func:`source_gaps`), which
supervisors' given ratings depart from the indicators (:func:`supervisor_disagreement`), and how
well raters agree (:func:`agreement`).

Every function takes tidy tables (a :class:`~asn_eval.input.dataset.Dataset`, or a scored table) and
returns one tidy DataFrame. The work is vectorised over integer codes (the shared NIP categories)
with ``np.bincount`` as the group-by, so a city of 100,000 employees (millions of behaviour ratings)
takes seconds: no Python loop runs per rater or per employee.

The behaviour ratings are the ``perilaku`` table: ``periode``, ``nip`` (the ratee), ``nip_penilai``
(the rater, empty for self-ratings), ``peran_penilai`` (diri, atasan, rekan, bawahan),
``nilai_inti`` (the seven BerAKHLAK values) and ``skor`` (1–5). A year with no rows of its own takes
its quarters' rows (:func:`asn_eval.input.periode.periode_mask`).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from asn_eval.analysis.rater_model import PairSums, fit_crossed
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import periode_mask
from asn_eval.input.vocab import NILAI_INTI, PERAN_PENILAI
from asn_eval.scoring.score import level_codes

__all__ = [
    "ALPHA_RELIABLE",
    "ALPHA_TENTATIVE",
    "agreement",
    "agreement_level",
    "central_table",
    "central_tendency",
    "rater_pairs",
    "rater_spread",
    "rater_table",
    "rater_tendency",
    "source_gaps",
    "source_gaps_by_opd",
    "supervisor_counts",
    "supervisor_disagreement",
    "supervisor_table",
]

ROLES = PERAN_PENILAI.values
SELF = ROLES.index("diri")
N_ROLES = len(ROLES)
N_VALUES = len(NILAI_INTI.values)
_GAPS = (("selisih_diri_atasan", "diri"), ("selisih_rekan_atasan", "rekan"))
_GAPS += (("selisih_bawahan_atasan", "bawahan"),)


# --- the period's ratings as integer arrays -------------------------------------------------------


@dataclass
class _Ratings:
    """One period's behaviour ratings as aligned arrays (rows without a score left out)."""

    ratee: np.ndarray  # NIP category codes
    rater: np.ndarray  # NIP category codes, -1 for self-ratings (or no rater)
    role: np.ndarray  # positions in PERAN_PENILAI.values
    value: np.ndarray  # positions in NILAI_INTI.values
    periode: np.ndarray  # periode category codes (a year from quarters has four)
    skor: np.ndarray  # float64
    n_nip: int  # number of NIP categories: every code above is below it

    @property
    def other(self) -> np.ndarray:
        """Rows given by someone else (not self-ratings) with a known rater."""
        return (self.role != SELF) & (self.rater >= 0)

    def take(self, keep: np.ndarray) -> _Ratings:
        """Return the rows where ``keep`` is True."""
        return _Ratings(
            self.ratee[keep],
            self.rater[keep],
            self.role[keep],
            self.value[keep],
            self.periode[keep],
            self.skor[keep],
            self.n_nip,
        )


def _codes(series: pd.Series) -> np.ndarray:
    return series.cat.codes.to_numpy().astype(np.int64)


def _ratings(data: Dataset, periode: str) -> _Ratings:
    frame = data.tables.get("perilaku")
    if frame is None or (frame.empty and data.scope is None):
        # A whole dataset needs ratings; a part (a subset) may hold agencies nobody rated.
        frame = data.require("perilaku", "analisis keadilan penilaian")
    mask = periode_mask(frame, periode)
    skor = frame["skor"].to_numpy("float64", na_value=np.nan)[mask]
    keep = ~np.isnan(skor)
    columns = [
        frame[c].cat.codes.to_numpy()[mask][keep].astype(np.int64)
        for c in ("nip", "nip_penilai", "peran_penilai", "nilai_inti", "periode")
    ]
    n_nip = len(frame["nip"].cat.categories)
    return _Ratings(*columns, skor[keep], n_nip)


def _pegawai_lookup(pegawai: pd.DataFrame, n_nip: int) -> tuple[np.ndarray, pd.Index, pd.Series]:
    """Map NIP category codes to rows of ``pegawai`` (-1 when absent); give NIPs and kode_opd."""
    nip = pegawai["nip"]
    position = np.full(max(n_nip, len(nip.cat.categories)), -1, dtype=np.int64)
    position[_codes(nip)] = np.arange(len(pegawai))
    return position, nip.cat.categories, pegawai["kode_opd"]


def _opd_of(kode_opd: pd.Series, position: np.ndarray) -> pd.Series:
    """``kode_opd`` of the given pegawai rows (-1 gives a missing value), same dtype."""
    codes = _codes(kode_opd)
    found = np.where(position >= 0, codes[np.maximum(position, 0)] if len(codes) else -1, -1)
    return pd.Series(pd.Categorical.from_codes(found, dtype=kode_opd.dtype))


def _nip_text(categories: pd.Index, codes: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(categories, dtype=object)[codes], dtype="str")


def _distinct_per(first: np.ndarray, second: np.ndarray, n: int) -> np.ndarray:
    """How many distinct ``second`` codes each ``first`` code occurs with (both below ``n``)."""
    pairs = pd.unique(first * np.int64(n) + second)
    return np.bincount(pairs // n, minlength=n)


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level harus di antara 0 dan 1, bukan {level}")
    return NormalDist().inv_cdf(0.5 + level / 2)


# --- 1. leniency and severity: a crossed random-effects model ----------------------------------


def rater_tendency(
    data: Dataset,
    periode: str,
    *,
    min_ratees: int = 3,
    threshold: float = 0.5,
    level: float = 0.95,
    anchor_self: bool = True,
    by_role: bool = False,
    df: float = 4.0,
) -> pd.DataFrame:
    """Estimate each rater's leniency or severity, accounting for whom they rated.

    Fits ``skor = μ + peran + nilai_inti + ratee + rater + (rater × ratee) + ε`` (a crossed
    random-effects model: role and core value fixed, the rest random) and reports each rater's
    effect with an interval. A rater whose team really is strong is not called lenient: the other
    sources that scored the same people (peers, subordinates and, with ``anchor_self``, the people
    themselves) tell the two apart.

    Variance components come from the method of moments; effects from backfitting (shrunken group
    means in turn). Rater effects get a Student-t prior fitted by EM, so the few raters far from
    the rest are shrunk little while the many fair ones are shrunk strongly towards 0; the interval
    is the posterior mean ± z posterior SD.

    Parameters
    ----------
    data : Dataset
        Needs the ``perilaku`` and ``pegawai`` tables.
    periode : str
        ``2025-TW1`` … or ``2025``; a year without rows of its own takes its quarters.
    min_ratees : int, default 3
        Raters who scored fewer people get no ``kecenderungan`` (``cukup_data`` False).
    threshold : float, default 0.5
        Score points: ``lunak`` when the whole interval lies above ``+threshold``, ``keras`` when
        it lies below ``-threshold``.
    level : float, default 0.95
        Coverage of the interval.
    anchor_self : bool, default True
        Use self-ratings as evidence of the ratee's level (with their own role effect and no rater
        effect). Without them a quarter, whose only other rating is the supervisor's, cannot tell a
        lenient supervisor from a strong team.
    by_role : bool, default False
        Estimate one effect per rater and role (a row per ``nip_penilai`` and ``peran_penilai``),
        for a rater lenient as supervisor but not as peer; by default one effect per rater over
        every role they rated in.
    df : float, default 4.0
        Degrees of freedom of the rater effects' t prior; ``np.inf`` gives the Gaussian BLUP.

    Returns
    -------
    DataFrame
        One row per rater (non-self), highest ``estimasi`` first: ``nip_penilai``, ``kode_opd``
        (the rater's own), ``n_dinilai`` (people scored), ``n_skor`` (scores), ``estimasi`` (score
        points, + lenient), ``batas_bawah``, ``batas_atas``, ``kecenderungan`` (lunak, keras,
        wajar, or ``pd.NA`` when ``n_dinilai < min_ratees``) and ``cukup_data``; with ``by_role``
        also ``peran_penilai`` after ``nip_penilai``. ``attrs`` holds the variance components
        (``varians``) and the backfitting sweeps (``iterasi``).

    Examples
    --------
    >>> import asn_eval
    >>> ds = asn_eval.load("data/sample")  # doctest: +SKIP
    >>> rater_tendency(ds, "2025").query("kecenderungan != 'wajar'")  # doctest: +SKIP
    """
    pairs = rater_pairs(data, periode, anchor_self=anchor_self, by_role=by_role)
    return rater_table(
        pairs,
        data.pegawai,
        periode,
        min_ratees=min_ratees,
        threshold=threshold,
        level=level,
        by_role=by_role,
        df=df,
    )


def rater_pairs(
    data: Dataset, periode: str, *, anchor_self: bool = True, by_role: bool = False
) -> PairSums:
    """Sum the ratings :func:`rater_tendency` fits per (ratee, rater, role) pair.

    Parameters
    ----------
    data : Dataset
        Needs the ``perilaku`` table; a part of a dataset (whole ratees) gives its pairs whole.
    periode : str
        As for :func:`rater_tendency`.
    anchor_self, by_role : bool
        As for :func:`rater_tendency`.

    Returns
    -------
    PairSums
        Ratings by others and, with ``anchor_self``, self-ratings (rater unit -1).
    """
    r = _ratings(data, periode)
    r = r.take(r.other | ((r.role == SELF) & anchor_self))
    n_roles = N_ROLES if by_role else 1
    unit = np.where(r.other, r.rater * n_roles + (r.role if by_role else 0), -1)
    return PairSums.of_rows(r.ratee, unit, r.role, r.value, r.skor, r.n_nip, r.n_nip * n_roles)


def rater_table(
    pairs: PairSums,
    pegawai: pd.DataFrame,
    periode: str,
    *,
    min_ratees: int = 3,
    threshold: float = 0.5,
    level: float = 0.95,
    by_role: bool = False,
    df: float = 4.0,
) -> pd.DataFrame:
    """Fit the crossed model on rating pairs and name each rater's tendency.

    Parameters
    ----------
    pairs : PairSums
        :func:`rater_pairs` of the whole dataset, or of its parts put together
        (:meth:`PairSums.combine`).
    pegawai : DataFrame
        The whole ``pegawai`` table (each rater's own ``kode_opd``).
    periode : str
        The period (kept in ``attrs``).
    min_ratees, threshold, level, by_role, df
        As for :func:`rater_tendency`.

    Returns
    -------
    DataFrame
        :func:`rater_tendency`'s table.
    """
    z = _z(level)
    n_roles = N_ROLES if by_role else 1
    n_units = pairs.n_units
    unit = pairs.unit
    other = unit >= 0
    n_skor = np.bincount(unit[other], weights=pairs.k[other], minlength=n_units)
    n_dinilai = _distinct_per(unit[other], pairs.ratee[other], n_units)
    present = np.flatnonzero(n_skor > 0)
    if len(present):
        fit = fit_crossed(pairs, df=df)
        estimate, sd = fit.rater_effect[present], fit.rater_sd[present]
        variances, iterations = fit.variances, fit.iterations
    else:
        estimate = sd = np.zeros(0)
        variances, iterations = {}, 0
    position, categories, kode_opd = _pegawai_lookup(pegawai, pairs.n_nip)
    rater = present // n_roles
    low, high = estimate - z * sd, estimate + z * sd
    enough = n_dinilai[present] >= min_ratees
    label = np.select([low > threshold, high < -threshold], ["lunak", "keras"], "wajar")
    out = pd.DataFrame({"nip_penilai": _nip_text(categories, rater)})
    if by_role:
        out["peran_penilai"] = pd.Categorical.from_codes(
            present % n_roles, dtype=PERAN_PENILAI.dtype
        )
    out["kode_opd"] = _opd_of(kode_opd, position[rater])
    out["n_dinilai"] = n_dinilai[present].astype(np.int64)
    out["n_skor"] = n_skor[present].astype(np.int64)
    out["estimasi"] = estimate
    out["batas_bawah"] = low
    out["batas_atas"] = high
    out["kecenderungan"] = pd.array(np.where(enough, label, None), dtype="string")
    out["cukup_data"] = enough
    out = out.sort_values("estimasi", ascending=False, kind="stable", ignore_index=True)
    out.attrs.update({"varians": variances, "iterasi": iterations, "periode": periode})
    return out


# --- 2. central tendency ----------------------------------------------------------------------


def central_tendency(data: Dataset, periode: str, *, min_ratees: int = 5) -> pd.DataFrame:
    """Find raters who give everyone the same scores.

    Parameters
    ----------
    data : Dataset
        Needs the ``perilaku`` and ``pegawai`` tables.
    periode : str
        ``2025-TW1`` … or ``2025``.
    min_ratees : int, default 5
        Fewer people scored than this is never called central.

    Returns
    -------
    DataFrame
        One row per rater (non-self), in NIP order: ``nip_penilai``, ``n_dinilai`` (people scored),
        ``sd`` (pooled standard deviation of their scores within each core value, i.e. after
        removing their own core-value means: how much they tell people apart; NaN when they scored
        one person) and ``sentral`` (``n_dinilai ≥ min_ratees`` and ``sd`` is 0: every person got
        the same score on each value).
    """
    return central_table([rater_spread(data, periode)], data.pegawai, min_ratees=min_ratees)


@dataclass
class RaterSpread:
    """Per rater with a score: scores per core value, their sums, and squares about their means.

    Attributes
    ----------
    rater : ndarray of int64, shape (R,)
        NIP codes, ascending.
    count, total : ndarray of float64, shape (R, 7)
        Scores given and their sum, per core value.
    square : ndarray of float64, shape (R,)
        Sum of squared deviations of each score from the rater's mean on its core value.
    n_dinilai : ndarray of int64, shape (R,)
        People scored.
    """

    rater: np.ndarray
    count: np.ndarray
    total: np.ndarray
    square: np.ndarray
    n_dinilai: np.ndarray


def rater_spread(data: Dataset, periode: str) -> RaterSpread:
    """Sum what :func:`central_tendency` reads of each rater's scores (others, not self).

    Parameters
    ----------
    data : Dataset
        Needs ``perilaku``; a part of a dataset (whole ratees) gives its share of each rater.
    periode : str
        ``2025-TW1`` … or ``2025``.

    Returns
    -------
    RaterSpread
    """
    r = _ratings(data, periode)
    r = r.take(r.other)
    n = r.n_nip
    cell = r.rater * N_VALUES + r.value
    n_cell = np.bincount(cell, minlength=n * N_VALUES).astype("float64")
    total = np.bincount(cell, weights=r.skor, minlength=n * N_VALUES).astype("float64", copy=False)
    mean = np.divide(total, n_cell, out=np.zeros_like(total), where=n_cell > 0)
    ss = np.bincount(r.rater, weights=(r.skor - mean[cell]) ** 2, minlength=n)
    present = np.flatnonzero(np.bincount(r.rater, minlength=n) > 0)
    return RaterSpread(
        present,
        n_cell.reshape(n, N_VALUES)[present],
        total.reshape(n, N_VALUES)[present],
        ss[present],
        _distinct_per(r.rater, r.ratee, n)[present],
    )


def central_table(
    spreads: list[RaterSpread], pegawai: pd.DataFrame, *, min_ratees: int = 5
) -> pd.DataFrame:
    """Put together raters' spreads from parts with no ratee in common, and flag central raters.

    A rater's squares about the means of all their scores are each part's squares about its own
    means plus ``count × (part mean − mean)²`` per core value (the parallel form of the sum of
    squares, Chan et al. 1979): exact algebra, and the same numbers as one part when the rater's
    scores are all in one part.

    Parameters
    ----------
    spreads : list of RaterSpread
        :func:`rater_spread` of the whole dataset, or of each part.
    pegawai : DataFrame
        The whole ``pegawai`` table (its NIP categories name the raters).
    min_ratees : int, default 5
        As for :func:`central_tendency`.

    Returns
    -------
    DataFrame
        :func:`central_tendency`'s table.
    """
    codes = np.concatenate([s.rater for s in spreads])
    present, which = np.unique(codes, return_inverse=True)
    count = np.zeros((len(present), N_VALUES))
    total = np.zeros((len(present), N_VALUES))
    np.add.at(count, which, np.concatenate([s.count for s in spreads]))
    np.add.at(total, which, np.concatenate([s.total for s in spreads]))
    mean = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
    part_count = np.concatenate([s.count for s in spreads])
    part_total = np.concatenate([s.total for s in spreads])
    part_mean = np.divide(
        part_total, part_count, out=np.zeros_like(part_total), where=part_count > 0
    )
    shift = (part_count * (part_mean - mean[which]) ** 2).sum(axis=1)
    square = np.concatenate([s.square for s in spreads]) + shift
    ss = np.bincount(which, weights=square, minlength=len(present))
    n_dinilai = np.bincount(
        which, weights=np.concatenate([s.n_dinilai for s in spreads]), minlength=len(present)
    ).astype(np.int64)
    dof = count.sum(axis=1) - (count > 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(dof > 0, np.sqrt(ss / np.maximum(dof, 1)), np.nan)
    categories = pegawai["nip"].cat.categories
    return pd.DataFrame(
        {
            "nip_penilai": _nip_text(categories, present),
            "n_dinilai": n_dinilai,
            "sd": sd,
            "sentral": (n_dinilai >= min_ratees) & (np.nan_to_num(sd, nan=1.0) <= 1e-9),
        }
    )


# --- 3. gaps between sources ------------------------------------------------------------------


def source_gaps(data: Dataset, periode: str) -> pd.DataFrame:
    """Compare, per employee, the mean score given by each source with the supervisor's.

    Parameters
    ----------
    data : Dataset
        Needs the ``perilaku`` and ``pegawai`` tables.
    periode : str
        ``2025-TW1`` … or ``2025``.

    Returns
    -------
    DataFrame
        One row per employee rated in the period, in ``pegawai`` order: ``nip``, ``kode_opd``, the
        mean score from each role ``diri``, ``atasan``, ``rekan``, ``bawahan`` (NaN when none), and
        ``selisih_diri_atasan``, ``selisih_rekan_atasan``, ``selisih_bawahan_atasan`` (that
        source's mean minus the supervisor's).
    """
    r = _ratings(data, periode)
    position, categories, kode_opd = _pegawai_lookup(data.pegawai, r.n_nip)
    n = r.n_nip
    group = r.ratee * N_ROLES + r.role
    count = np.bincount(group, minlength=n * N_ROLES).reshape(n, N_ROLES)
    total = np.bincount(group, weights=r.skor, minlength=n * N_ROLES).reshape(n, N_ROLES)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    rated = count.sum(axis=1) > 0
    codes = np.flatnonzero(rated)
    codes = codes[np.argsort(position[codes], kind="stable")]
    out = pd.DataFrame(
        {
            "nip": _nip_text(categories, codes),
            "kode_opd": _opd_of(kode_opd, position[codes]),
        }
    )
    for j, role in enumerate(ROLES):
        out[role] = means[codes, j]
    for column, role in _GAPS:
        out[column] = out[role] - out["atasan"]
    return out


def source_gaps_by_opd(gaps: pd.DataFrame) -> pd.DataFrame:
    """Summarise :func:`source_gaps` per OPD.

    Parameters
    ----------
    gaps : DataFrame
        The output of :func:`source_gaps`.

    Returns
    -------
    DataFrame
        One row per ``kode_opd``: ``n_pegawai`` (employees rated) and the mean of every role and
        ``selisih_*`` column (over the employees who have it).
    """
    columns = [*ROLES, *(c for c, _ in _GAPS)]
    grouped = gaps.groupby("kode_opd", observed=True, sort=True)
    out = grouped[columns].mean()
    out.insert(0, "n_pegawai", grouped.size().astype(np.int64))
    return out.reset_index()


# --- 4. supervisors whose given ratings depart from the evidence -----------------------------


def _wilson(k: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion ``k / n``; NaN where ``n`` is 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denominator = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def supervisor_disagreement(
    hasil: pd.DataFrame, pegawai: pd.DataFrame, *, level: float = 0.95, factor: float = 2.0
) -> pd.DataFrame:
    """Count, per supervisor, the given rating hasil kerja that differ from the indicators.

    One level apart is common (borderline achievement): it is shown as a share with its Wilson
    interval, and stands out only when the share is credibly above ``factor`` times the city-wide
    share, i.e. the Wilson lower bound at a Bonferroni-adjusted level (``1 - (1 - level) / m`` for
    ``m`` supervisors) exceeds it; without the adjustment, among hundreds of supervisors some with
    two or three subordinates would stand out by chance alone. Two levels apart (Di Atas given
    where the indicators say Di Bawah, or the reverse) always stands out.

    Parameters
    ----------
    hasil : DataFrame
        Scored results (:func:`asn_eval.score`): ``nip``, ``rating_hasil_kerja_diberikan`` and
        ``rating_hasil_kerja_saran``.
    pegawai : DataFrame
        The employees table: ``nip``, ``nip_atasan`` and ``kode_opd``.
    level : float, default 0.95
        Coverage of the Wilson interval shown (and, before adjustment, of the flag).
    factor : float, default 2.0
        How many times the city-wide share a supervisor's share must credibly exceed.

    Returns
    -------
    DataFrame
        One row per supervisor with at least one subordinate with both ratings, most
        contradictions and highest lower bound first: ``nip_atasan``, ``kode_opd`` (the
        supervisor's own), ``n_bawahan``, ``n_berbeda`` (one level apart), ``n_bertentangan`` (two
        levels apart), ``porsi_berbeda`` (``n_berbeda / n_bawahan``), its Wilson interval
        ``porsi_bawah`` and ``porsi_atas``, and ``menonjol``. ``attrs`` holds the city-wide share
        (``porsi_kota``) and the adjusted level of the flag (``level_menonjol``).
    """
    counts = supervisor_counts(hasil, pegawai)
    return supervisor_table(counts, pegawai, level=level, factor=factor)


def supervisor_counts(hasil: pd.DataFrame, pegawai: pd.DataFrame) -> pd.DataFrame:
    """Count, per supervisor, subordinates with both ratings and how far the two are apart.

    Parameters
    ----------
    hasil : DataFrame
        Scored results (a part's results give that part's counts: counts of parts add up).
    pegawai : DataFrame
        The employees of ``hasil`` (``nip``, ``nip_atasan``).

    Returns
    -------
    DataFrame
        One row per supervisor, by ``nip_atasan`` (text, ascending): ``n_bawahan``,
        ``n_berbeda`` (one level apart) and ``n_bertentangan`` (two levels apart), int64.
    """
    given = level_codes(hasil["rating_hasil_kerja_diberikan"])
    suggested = level_codes(hasil["rating_hasil_kerja_saran"])
    nips = pd.Index(pegawai["nip"].astype("str"))
    atasan_text = pegawai["nip_atasan"].astype("str").to_numpy(dtype=object)
    row = nips.get_indexer(hasil["nip"].astype("str"))
    atasan = pd.Series(
        np.where(row >= 0, atasan_text[np.maximum(row, 0)], None), dtype="str"
    ).to_numpy(dtype=object)
    both = (given >= 0) & (suggested >= 0) & pd.notna(atasan)
    gap = np.abs(given - suggested)[both]
    boss, boss_code = np.unique(atasan[both].astype(str), return_inverse=True)
    n_boss = len(boss)
    return pd.DataFrame(
        {
            "nip_atasan": pd.Series(boss, dtype="str"),
            "n_bawahan": np.bincount(boss_code, minlength=n_boss).astype(np.int64),
            "n_berbeda": np.bincount(boss_code, weights=gap == 1, minlength=n_boss).astype(
                np.int64
            ),
            "n_bertentangan": np.bincount(boss_code, weights=gap == 2, minlength=n_boss).astype(
                np.int64
            ),
        }
    )


def supervisor_table(
    counts: pd.DataFrame, pegawai: pd.DataFrame, *, level: float = 0.95, factor: float = 2.0
) -> pd.DataFrame:
    """Turn supervisors' counts into shares, intervals and flags.

    Parameters
    ----------
    counts : DataFrame
        :func:`supervisor_counts` of the whole dataset, or the parts' counts added per
        ``nip_atasan`` (in its order).
    pegawai : DataFrame
        The whole ``pegawai`` table (each supervisor's own ``kode_opd``).
    level, factor : float
        As for :func:`supervisor_disagreement`.

    Returns
    -------
    DataFrame
        :func:`supervisor_disagreement`'s table.
    """
    z = _z(level)
    nips = pd.Index(pegawai["nip"].astype("str"))
    boss = counts["nip_atasan"].to_numpy(dtype=object)
    n_boss = len(boss)
    n = counts["n_bawahan"].to_numpy(np.int64)
    differ = counts["n_berbeda"].to_numpy(np.int64)
    contra = counts["n_bertentangan"].to_numpy(np.int64)
    share = differ / np.maximum(n, 1)
    city = differ.sum() / max(n.sum(), 1)
    low, high = _wilson(differ.astype("float64"), n.astype("float64"), z)
    flag_level = 1 - (1 - level) / max(n_boss, 1)
    flag_low, _ = _wilson(differ.astype("float64"), n.astype("float64"), _z(flag_level))
    boss_row = nips.get_indexer(boss)
    opd = pegawai["kode_opd"]
    if isinstance(opd.dtype, pd.CategoricalDtype):
        kode_opd = _opd_of(opd, boss_row.astype(np.int64))
    else:
        values = opd.to_numpy(dtype=object)
        kode_opd = pd.Series(np.where(boss_row >= 0, values[np.maximum(boss_row, 0)], None))
    out = pd.DataFrame(
        {
            "nip_atasan": pd.Series(boss, dtype="str"),
            "kode_opd": kode_opd,
            "n_bawahan": n,
            "n_berbeda": differ,
            "n_bertentangan": contra,
            "porsi_berbeda": share,
            "porsi_bawah": low,
            "porsi_atas": high,
            "menonjol": (contra >= 1) | (flag_low > factor * city),
        }
    )
    out = out.sort_values(
        ["n_bertentangan", "porsi_bawah", "nip_atasan"],
        ascending=[False, False, True],
        kind="stable",
        ignore_index=True,
    )
    out.attrs.update({"porsi_kota": float(city), "level_menonjol": flag_level})
    return out


# --- 5. inter-rater agreement -----------------------------------------------------------------

ALPHA_RELIABLE = 0.8
"""Krippendorff's alpha from which ratings count as reliable (Krippendorff 2004, §12.2)."""

ALPHA_TENTATIVE = 0.667
"""Lowest alpha from which tentative conclusions may be drawn (Krippendorff 2004, §12.2)."""


def agreement_level(alpha: float) -> str:
    """Name how far raters agree with Krippendorff's ``alpha``: ``baik``, ``sedang``, ``rendah``.

    >>> agreement_level(0.81), agreement_level(0.7), agreement_level(0.2)
    ('baik', 'sedang', 'rendah')
    """
    if alpha >= ALPHA_RELIABLE:
        return "baik"
    return "sedang" if alpha >= ALPHA_TENTATIVE else "rendah"


def agreement(data: Dataset, periode: str, *, level: str = "ordinal") -> pd.DataFrame:
    """Measure inter-rater agreement per OPD with Krippendorff's alpha.

    A unit is one ratee's core value in one period; its values are the scores given by other people
    (self-ratings left out). The ``krippendorff`` package computes alpha from each unit's counts
    of the scores 1–5, so no rater identity is needed and missing ratings are allowed.

    Parameters
    ----------
    data : Dataset
        Needs the ``perilaku`` and ``pegawai`` tables.
    periode : str
        ``2025-TW1`` … or ``2025``. A quarter's only other rater is the supervisor, so alpha needs
        a period with peers or subordinates (the annual 360° round).
    level : {"ordinal", "interval", "nominal", "ratio"}, default "ordinal"
        Level of measurement of the scores.

    Returns
    -------
    DataFrame
        One row per OPD of the rated employees: ``kode_opd``, ``n_unit`` (units with at least two
        scores), ``n_skor`` (scores in those units) and ``alpha`` (NaN when fewer than two units,
        or when every score is the same).
    """
    import krippendorff

    r = _ratings(data, periode)
    r = r.take(r.other)
    position, _, kode_opd = _pegawai_lookup(data.pegawai, r.n_nip)
    unit_key = (r.periode * np.int64(r.n_nip) + r.ratee) * N_VALUES + r.value
    unit, uniques = pd.factorize(unit_key)
    n_units = len(uniques)
    domain = np.arange(1, 6)
    score = np.rint(r.skor).astype(np.int64)
    inside = (score >= 1) & (score <= 5)
    counts = np.bincount(
        unit[inside] * len(domain) + score[inside] - 1, minlength=n_units * len(domain)
    ).reshape(n_units, len(domain))
    ratee = (uniques % (np.int64(r.n_nip) * N_VALUES)) // N_VALUES
    opd = _codes(_opd_of(kode_opd, position[ratee]))
    size = counts.sum(axis=1)
    opd_all = np.unique(opd[opd >= 0])
    pairable = (size >= 2) & (opd >= 0)
    order = np.argsort(opd[pairable], kind="stable")
    counts_p, opd_p = counts[pairable][order], opd[pairable][order]
    bounds = (
        np.searchsorted(opd_p, opd_all, side="left"),
        np.searchsorted(opd_p, opd_all, side="right"),
    )
    alphas = np.full(len(opd_all), np.nan)
    n_unit = bounds[1] - bounds[0]
    n_skor = np.zeros(len(opd_all), dtype=np.int64)
    for j, (lo, hi) in enumerate(zip(*bounds, strict=True)):  # one call per OPD
        block = counts_p[lo:hi]
        n_skor[j] = int(block.sum())
        if hi - lo < 2:
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            alphas[j] = krippendorff.alpha(
                value_counts=block, value_domain=domain, level_of_measurement=level
            )
    return pd.DataFrame(
        {
            "kode_opd": pd.Categorical.from_codes(opd_all, dtype=kode_opd.dtype),
            "n_unit": n_unit.astype(np.int64),
            "n_skor": n_skor,
            "alpha": alphas,
        }
    )
