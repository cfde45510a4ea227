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

from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import periode_mask
from asn_eval.input.vocab import NILAI_INTI, PERAN_PENILAI
from asn_eval.scoring.score import level_codes

__all__ = [
    "ALPHA_RELIABLE",
    "ALPHA_TENTATIVE",
    "agreement",
    "agreement_level",
    "central_tendency",
    "rater_tendency",
    "source_gaps",
    "source_gaps_by_opd",
    "supervisor_disagreement",
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


def _pegawai_lookup(data: Dataset, n_nip: int) -> tuple[np.ndarray, pd.Index, pd.Series]:
    """Map NIP category codes to rows of ``pegawai`` (-1 when absent); give NIPs and kode_opd."""
    pegawai = data.pegawai
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


@dataclass
class _Fit:
    """The crossed model fitted on pair level: effects, variance components, posterior SD."""

    rater_effect: np.ndarray  # per NIP code
    rater_sd: np.ndarray  # posterior SD per NIP code
    ratee_effect: np.ndarray
    role_effect: np.ndarray  # (4,)
    value_effect: np.ndarray  # (7,)
    variances: dict[str, float]
    iterations: int


def _value_effects(
    pair: np.ndarray, value: np.ndarray, skor: np.ndarray, n_pairs: int, k: np.ndarray
) -> np.ndarray:
    """Core-value effects from differences within (rater, ratee) pairs, centred on zero.

    Every other term of the model is constant within a pair, so the within-pair estimator is
    unaffected by them (and equals the GLS estimate when each pair rates every value equally often).
    """
    n_rows = np.bincount(value, minlength=N_VALUES).astype("float64")
    effect = np.zeros(N_VALUES)
    for _ in range(25):
        pair_mean = np.bincount(pair, weights=skor - effect[value], minlength=n_pairs) / k
        new = np.bincount(value, weights=skor - pair_mean[pair], minlength=N_VALUES)
        new = np.divide(new, n_rows, out=np.zeros(N_VALUES), where=n_rows > 0)
        new -= (new * n_rows).sum() / n_rows.sum()
        done = np.abs(new - effect).max() < 1e-10
        effect = new
        if done:
            break
    return effect


def _nonnegative_solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Least squares ``a x ≈ b`` with ``x ≥ 0``, trying every subset of free unknowns (3 here)."""
    n = a.shape[1]
    best, best_error = np.zeros(n), float(np.sum(b**2))
    for subset in range(1, 2**n):
        free = [j for j in range(n) if subset >> j & 1]
        x_free = np.linalg.lstsq(a[:, free], b, rcond=None)[0]
        if (x_free < 0).any():
            continue
        x = np.zeros(n)
        x[free] = x_free
        error = float(np.sum((a @ x - b) ** 2))
        if error < best_error - 1e-15:
            best, best_error = x, error
    return best


def _fit_crossed(
    r: _Ratings,
    unit: np.ndarray,
    n_units: int,
    *,
    df: float = 4.0,
    tol: float = 1e-7,
    max_iter: int = 1000,
) -> _Fit:
    """Fit ``skor = role + value + ratee + rater + pair + error`` and return the rater effects.

    Ratee, rater and (rater, ratee) pair effects are random; role and core value fixed. The pair
    term holds what one rater's scores of one person share beyond the two main effects (halo);
    integrating it out gives each pair mean the variance ``σ²_pair + σ²_error / k``.

    1. Core-value effects from within-pair differences; then everything works on pair sums.
    2. Variance components of ratee, pair and error by the method of moments: within-pair,
       within-ratee, within-rater and total sums of squares matched to their expectations.
    3. Backfitting: shrunken weighted group means of ratees, raters and roles in turn, until the
       rater effects move less than ``tol``.
    4. Each rater's own measurement (its pairs against what the ratees' other pairs say about
       them) and its variance; a Student-t prior fitted to these by EM sets each rater's
       shrinkage, and 3–4 repeat until the prior settles. ``df = inf`` is the Gaussian BLUP.

    ``unit`` is each row's rater (or rater and role) code, -1 for self-ratings.
    """
    n_nip = r.n_nip
    # Pairs: (ratee, rater, role); a self-rating's rater unit is -1.
    key = (r.ratee * np.int64(n_units + 1) + (unit + 1)) * N_ROLES + r.role
    pair = pd.factorize(key)[0]
    n_pairs = int(pair.max()) + 1 if len(pair) else 0
    k = np.bincount(pair, minlength=n_pairs).astype("float64")
    first = np.empty(n_pairs, dtype=np.int64)
    first[pair] = np.arange(len(pair))  # any row of the pair: all share ratee, rater, role
    p_ratee, p_rater, p_role = r.ratee[first], unit[first], r.role[first]
    p_other = p_rater >= 0
    p_rater0 = np.maximum(p_rater, 0)

    value_effect = _value_effects(pair, r.value, r.skor, n_pairs, k)
    y = r.skor - value_effect[r.value]
    s = np.bincount(pair, weights=y, minlength=n_pairs)  # per pair: sum and sum of squares
    q = np.bincount(pair, weights=y * y, minlength=n_pairs)
    k_role = np.bincount(p_role, weights=k, minlength=N_ROLES)
    role0 = np.divide(
        np.bincount(p_role, weights=s, minlength=N_ROLES),
        k_role,
        out=np.zeros(N_ROLES),
        where=k_role > 0,
    )

    # Method of moments on z = y - role effect (rows), from pair sums.
    b = role0[p_role]
    s_z = s - k * b
    q_z = q - 2 * b * s + k * b * b
    n_all = float(k.sum())
    n_other = float(k[p_other].sum())
    n_i = np.bincount(p_ratee, weights=k, minlength=n_nip)
    n_i_other = np.bincount(p_ratee, weights=k * p_other, minlength=n_nip)
    n_r = np.bincount(p_rater0, weights=k * p_other, minlength=n_units)
    k2_i = np.bincount(p_ratee, weights=k * k, minlength=n_nip)
    k2_i_other = np.bincount(p_ratee, weights=k * k * p_other, minlength=n_nip)
    k2_r = np.bincount(p_rater0, weights=k * k * p_other, minlength=n_units)
    z_i = np.bincount(p_ratee, weights=s_z, minlength=n_nip)
    z_r = np.bincount(p_rater0, weights=s_z * p_other, minlength=n_units)
    in_i, in_r = n_i > 0, n_r > 0
    n_ratees, n_raters = int(in_i.sum()), int(in_r.sum())
    ss_pair = float((q_z - s_z * s_z / k).sum())
    ss_ratee = float(q_z.sum() - (z_i[in_i] ** 2 / n_i[in_i]).sum())
    ss_rater = float(q_z[p_other].sum() - (z_r[in_r] ** 2 / n_r[in_r]).sum())
    ss_total = float(q_z.sum() - s_z.sum() ** 2 / n_all)
    error = ss_pair / max(n_all - n_pairs, 1.0)
    # Unknowns (ratee, rater, pair); rows: within ratee, within rater, total.
    coef = np.array(
        [
            [0.0, (n_i_other - k2_i_other / np.where(in_i, n_i, 1)).sum(), 0.0],
            [(n_r - k2_r / np.where(in_r, n_r, 1)).sum(), 0.0, 0.0],
            [n_all - (n_i**2).sum() / n_all, n_other - (n_r**2).sum() / n_all, 0.0],
        ]
    )
    coef[0, 2] = (n_i - k2_i / np.where(in_i, n_i, 1)).sum()
    coef[1, 2] = (n_r - k2_r / np.where(in_r, n_r, 1)).sum()
    coef[2, 2] = n_all - (k * k).sum() / n_all
    rhs = np.array(
        [
            ss_ratee - error * (n_all - n_ratees),
            ss_rater - error * (n_other - n_raters),
            ss_total - error * (n_all - 1),
        ]
    )
    scale = np.array([max(n_all - n_ratees, 1), max(n_other - n_raters, 1), max(n_all - 1, 1)])
    var_u, var_v, var_w = _nonnegative_solve(coef / scale[:, None], rhs / scale)
    floor = 1e-8 * max(error, 1e-8)
    var_u, error = max(var_u, floor), max(error, floor)

    # Pair means with the pair term integrated out: weight 1 / (σ²_pair + σ²_error / k).
    weight = 1.0 / (var_w + error / k)
    mean = s / k
    w_i = np.bincount(p_ratee, weights=weight, minlength=n_nip)
    w_r = np.bincount(p_rater0, weights=weight * p_other, minlength=n_units)
    w_role = np.bincount(p_role, weights=weight, minlength=N_ROLES)
    raters = np.flatnonzero(w_r > 0)
    scale_v = max(var_v, 0.02)  # a start above zero: the EM below needs something to shrink
    g = np.ones(n_units)  # Student-t weights of the rater effects (1: Gaussian)
    u, v, role = np.zeros(n_nip), np.zeros(n_units), role0.copy()
    iterations = 0
    for _ in range(50):
        u, v, role, sweeps = _backfit(
            (mean, weight, p_ratee, p_rater0, p_other, p_role),
            (w_i, w_r, w_role),
            (1 / var_u, g / scale_v),
            (u, v, role),
            tol,
            max_iter,
        )
        iterations += sweeps
        # The rater's own measurement: its pairs' means less the role effect and what the ratee's
        # other pairs say about the ratee (leave-one-pair-out), each weighted by its variance.
        v_pair = np.where(p_other, v[p_rater0], 0.0)
        den = w_i + 1 / var_u
        num = u * den
        own = weight * (mean - role[p_role] - v_pair)
        u_out = (num[p_ratee] - own) / (den[p_ratee] - weight)
        marginal = 1 / weight + scale_v * p_other
        precision = 1 / var_u + np.bincount(p_ratee, weights=1 / marginal, minlength=n_nip)
        without = precision[p_ratee] - 1 / marginal
        info_p = p_other / (1 / weight + 1 / without)
        info = np.bincount(p_rater0, weights=info_p, minlength=n_units)
        gap = np.bincount(
            p_rater0, weights=info_p * (mean - role[p_role] - u_out), minlength=n_units
        )
        d = gap[raters] / info[raters]
        s2 = 1 / info[raters]
        new_scale, new_g = _t_prior(d, s2, scale_v, g[raters], df)
        done = abs(new_scale - scale_v) <= 1e-4 * scale_v and np.allclose(
            new_g, g[raters], atol=1e-4
        )
        scale_v, g[raters] = new_scale, new_g
        if done:
            break
    prior = scale_v / g[raters]
    estimate = np.zeros(n_units)
    sd = np.zeros(n_units)
    estimate[raters] = d * prior / (prior + s2)
    sd[raters] = np.sqrt(prior * s2 / (prior + s2))
    variances = {"ratee": var_u, "rater": scale_v, "pair": var_w, "error": error}
    return _Fit(estimate, sd, u, role, value_effect, variances, iterations)


def _backfit(
    pairs: tuple[np.ndarray, ...],
    totals: tuple[np.ndarray, ...],
    precisions: tuple[float, np.ndarray],
    start: tuple[np.ndarray, ...],
    tol: float,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Solve the mixed-model equations by backfitting: shrunken weighted group means in turn.

    Returns ratee effects, rater effects, role effects and the sweeps taken (until the rater
    effects move less than ``tol``).
    """
    mean, weight, p_ratee, p_rater0, p_other, p_role = pairs
    w_i, w_r, w_role = totals
    prec_u, prec_v = precisions
    u, v, role = start
    sweeps = 0
    v_pair = np.where(p_other, v[p_rater0], 0.0)
    for sweeps in range(1, max_iter + 1):  # noqa: B007
        rest = weight * (mean - role[p_role] - v_pair)
        u = np.bincount(p_ratee, weights=rest, minlength=len(u)) / (w_i + prec_u)
        rest = weight * (mean - role[p_role] - u[p_ratee]) * p_other
        new_v = np.bincount(p_rater0, weights=rest, minlength=len(v)) / (w_r + prec_v)
        v_pair = np.where(p_other, new_v[p_rater0], 0.0)
        rest = weight * (mean - u[p_ratee] - v_pair)
        total = np.bincount(p_role, weights=rest, minlength=N_ROLES)
        role = np.divide(total, w_role, out=np.zeros(N_ROLES), where=w_role > 0)
        change = np.abs(new_v - v).max(initial=0.0)
        v = new_v
        if change < tol:
            break
    return u, v, role, sweeps


def _t_prior(
    d: np.ndarray, s2: np.ndarray, scale: float, g: np.ndarray, df: float
) -> tuple[float, np.ndarray]:
    """Fit a Student-t prior (scale, degrees of freedom ``df``) to estimates ``d`` ± ``s2`` by EM.

    Each effect's prior variance is ``scale / g``: the weights ``g`` fall for effects far from the
    bulk, so a few strongly lenient or severe raters are not shrunk towards the many fair ones as a
    Gaussian prior (``df = inf``) would.
    """
    for _ in range(2000):
        prior = scale / g
        post_mean = d * prior / (prior + s2)
        second = post_mean**2 + prior * s2 / (prior + s2)
        g = np.ones_like(d) if np.isinf(df) else (df + 1) / (df + second / scale)
        new = max(float(np.mean(g * second)), 1e-10)
        if abs(new - scale) <= 1e-7 * scale:
            return new, g
        scale = new
    return scale, g


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
    z = _z(level)
    r = _ratings(data, periode)
    r = r.take(r.other | ((r.role == SELF) & anchor_self))
    other = r.other
    n_roles = N_ROLES if by_role else 1
    unit = np.where(other, r.rater * n_roles + (r.role if by_role else 0), -1)
    n_units = r.n_nip * n_roles
    n_skor = np.bincount(unit[other], minlength=n_units)
    n_dinilai = _distinct_per(unit[other], r.ratee[other], n_units)
    present = np.flatnonzero(n_skor > 0)
    if len(present):
        fit = _fit_crossed(r, unit, n_units, df=df)
        estimate, sd = fit.rater_effect[present], fit.rater_sd[present]
        variances, iterations = fit.variances, fit.iterations
    else:
        estimate = sd = np.zeros(0)
        variances, iterations = {}, 0
    position, categories, kode_opd = _pegawai_lookup(data, r.n_nip)
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
    r = _ratings(data, periode)
    r = r.take(r.other)
    n = r.n_nip
    cell = r.rater * N_VALUES + r.value
    n_cell = np.bincount(cell, minlength=n * N_VALUES).astype("float64")
    mean = np.bincount(cell, weights=r.skor, minlength=n * N_VALUES)
    mean = np.divide(mean, n_cell, out=np.zeros_like(mean), where=n_cell > 0)
    ss = np.bincount(r.rater, weights=(r.skor - mean[cell]) ** 2, minlength=n)
    n_rows = np.bincount(r.rater, minlength=n)
    cells = (n_cell.reshape(n, N_VALUES) > 0).sum(axis=1)
    n_dinilai = _distinct_per(r.rater, r.ratee, n)
    present = np.flatnonzero(n_rows > 0)
    dof = (n_rows - cells)[present]
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(dof > 0, np.sqrt(ss[present] / np.maximum(dof, 1)), np.nan)
    _, categories, _ = _pegawai_lookup(data, n)
    return pd.DataFrame(
        {
            "nip_penilai": _nip_text(categories, present),
            "n_dinilai": n_dinilai[present].astype(np.int64),
            "sd": sd,
            "sentral": (n_dinilai[present] >= min_ratees) & (np.nan_to_num(sd, nan=1.0) <= 1e-9),
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
    position, categories, kode_opd = _pegawai_lookup(data, r.n_nip)
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
    z = _z(level)
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
    n = np.bincount(boss_code, minlength=n_boss).astype(np.int64)
    differ = np.bincount(boss_code, weights=gap == 1, minlength=n_boss).astype(np.int64)
    contra = np.bincount(boss_code, weights=gap == 2, minlength=n_boss).astype(np.int64)
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
    position, _, kode_opd = _pegawai_lookup(data, r.n_nip)
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
