"""The crossed random-effects model behind rater leniency, fitted on sums per rating pair.

``skor = role + value + ratee + rater + (rater × ratee) + error``: role and core value fixed, the
rest random (:func:`asn_eval.analysis.fairness.rater_tendency` reports the rater effects). The fit
reads the ratings only through :class:`PairSums`: per (ratee, rater, role) pair its row count,
its rows and score sums per core value, and its sum of squared scores. Every rating of a pair
belongs to one ratee, so a dataset split by agency gives each pair's sums whole in one part;
the parts' sums, put together in key order (:meth:`PairSums.combine`), are the same arrays the
whole dataset gives, and the fit on them is the same fit (:mod:`asn_eval.analysis.partitioned`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from asn_eval.input.vocab import NILAI_INTI, PERAN_PENILAI

__all__ = ["Fit", "PairSums", "fit_crossed"]

N_ROLES = len(PERAN_PENILAI.values)
N_VALUES = len(NILAI_INTI.values)


@dataclass
class PairSums:
    """Ratings summed per (ratee, rater unit, role) pair, pairs in key order.

    Attributes
    ----------
    key : ndarray of int64, shape (P,)
        ``(ratee × (n_units + 1) + unit + 1) × N_ROLES + role``, ascending; ``unit`` is -1 for a
        self-rating.
    k : ndarray of float64, shape (P,)
        Rows (scores) per pair.
    count, total : ndarray of float64, shape (P, 7)
        Rows and sum of scores per pair and core value.
    square : ndarray of float64, shape (P,)
        Sum of squared scores per pair.
    n_nip, n_units : int
        NIP categories (every ratee code is below it) and rater units (every unit below it).
    """

    key: np.ndarray
    k: np.ndarray
    count: np.ndarray
    total: np.ndarray
    square: np.ndarray
    n_nip: int
    n_units: int

    @classmethod
    def of_rows(
        cls,
        ratee: np.ndarray,
        unit: np.ndarray,
        role: np.ndarray,
        value: np.ndarray,
        skor: np.ndarray,
        n_nip: int,
        n_units: int,
    ) -> PairSums:
        """Sum rating rows per pair.

        Parameters
        ----------
        ratee, unit, role, value : ndarray of int64
            Per row: ratee NIP code, rater unit (-1 for a self-rating), role and core-value
            positions.
        skor : ndarray of float64
            Per row: the score.
        n_nip, n_units : int
            See the attributes.

        Returns
        -------
        PairSums
            Each pair's sums added in row order.
        """
        key = (ratee * np.int64(n_units + 1) + (unit + 1)) * N_ROLES + role
        codes, uniques = pd.factorize(key)
        order = np.argsort(uniques, kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        pair = rank[codes] if len(codes) else codes.astype(np.int64)
        n_pairs = len(uniques)
        cell = pair * N_VALUES + value
        size = n_pairs * N_VALUES
        return cls(
            np.asarray(uniques, dtype=np.int64)[order],
            np.bincount(pair, minlength=n_pairs).astype("float64"),
            np.bincount(cell, minlength=size).astype("float64").reshape(n_pairs, N_VALUES),
            np.bincount(cell, weights=skor, minlength=size)
            .astype("float64", copy=False)  # no rows at all give integer zeros
            .reshape(n_pairs, N_VALUES),
            np.bincount(pair, weights=skor * skor, minlength=n_pairs).astype("float64", copy=False),
            n_nip,
            n_units,
        )

    @classmethod
    def combine(cls, parts: list[PairSums]) -> PairSums:
        """Put together the sums of parts that share no pair (whole ratees per part).

        Parameters
        ----------
        parts : list of PairSums
            At least one; the same ``n_nip`` and ``n_units``.

        Returns
        -------
        PairSums
            All pairs in key order: the arrays :meth:`of_rows` gives on every part's rows.
        """
        key = np.concatenate([p.key for p in parts])
        order = np.argsort(key, kind="stable")
        return cls(
            key[order],
            *(np.concatenate([getattr(p, f) for p in parts])[order] for f in _SUMS),
            parts[0].n_nip,
            parts[0].n_units,
        )

    @property
    def ratee(self) -> np.ndarray:
        """Ratee NIP code of each pair."""
        return self.key // N_ROLES // (self.n_units + 1)

    @property
    def unit(self) -> np.ndarray:
        """Rater unit of each pair (-1 for self-ratings)."""
        return (self.key // N_ROLES) % (self.n_units + 1) - 1

    @property
    def role(self) -> np.ndarray:
        """Role position of each pair."""
        return self.key % N_ROLES


_SUMS = ("k", "count", "total", "square")


@dataclass
class Fit:
    """The crossed model fitted on pair level: effects, variance components, posterior SD."""

    rater_effect: np.ndarray  # per NIP code
    rater_sd: np.ndarray  # posterior SD per NIP code
    ratee_effect: np.ndarray
    role_effect: np.ndarray  # (4,)
    value_effect: np.ndarray  # (7,)
    variances: dict[str, float]
    iterations: int


def _value_effects(pairs: PairSums) -> np.ndarray:
    """Core-value effects from differences within (rater, ratee) pairs, centred on zero.

    Every other term of the model is constant within a pair, so the within-pair estimator is
    unaffected by them (and equals the GLS estimate when each pair rates every value equally often).
    Works on the pair sums: a pair's mean less the effects is ``(Σ skor − Σ_v n_v e_v) / k``.
    """
    count, total = pairs.count, pairs.total
    n_rows = count.sum(axis=0)
    per_value, per_pair = total.sum(axis=0), total.sum(axis=1)
    effect = np.zeros(N_VALUES)
    for _ in range(25):
        pair_mean = (per_pair - (count * effect).sum(axis=1)) / pairs.k
        new = per_value - (count * pair_mean[:, None]).sum(axis=0)
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


def fit_crossed(
    pairs: PairSums,
    *,
    df: float = 4.0,
    tol: float = 1e-7,
    max_iter: int = 1000,
) -> Fit:
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

    Parameters
    ----------
    pairs : PairSums
        The ratings summed per pair (:meth:`PairSums.of_rows`, or the parts' sums combined by
        :meth:`PairSums.combine`: the same arrays, so the same fit).
    df : float, default 4.0
        Degrees of freedom of the rater effects' t prior.
    tol : float, default 1e-7
        Backfitting stops when no rater effect moves more than this (score points).
    max_iter : int, default 1000
        Most backfitting sweeps per round.

    Returns
    -------
    Fit
        Effects per rater unit (``pairs.n_units``) and per ratee (``pairs.n_nip``).
    """
    n_nip, n_units, k = pairs.n_nip, pairs.n_units, pairs.k
    n_pairs = len(k)
    p_ratee, p_rater, p_role = pairs.ratee, pairs.unit, pairs.role
    p_other = p_rater >= 0
    p_rater0 = np.maximum(p_rater, 0)

    value_effect = _value_effects(pairs)
    # Per pair: the sum and the sum of squares of y = skor - value effect.
    s = pairs.total.sum(axis=1) - (pairs.count * value_effect).sum(axis=1)
    q = (
        pairs.square
        - 2 * (pairs.total * value_effect).sum(axis=1)
        + (pairs.count * value_effect**2).sum(axis=1)
    )
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
    return Fit(estimate, sd, u, role, value_effect, variances, iterations)


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
