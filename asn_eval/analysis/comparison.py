"""Comparing groups on a mean without over-reading the order: a t interval per group.

A ranking of OPDs on mean achievement (101,2 … 104,9 %) orders numbers that differ less than
their own uncertainty. :func:`mean_intervals` gives each group's mean with a Student t interval
over its employees and says whether the whole interval lies above or below the overall mean; a
group whose interval holds the overall mean cannot be told apart from it. Kept deliberately
simple: one interval per group, one reference, no correction for the many groups compared (the
text of a report says so by calling the rest "not distinguishable", not "equal").
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

__all__ = ["COMPARED", "mean_intervals", "t_quantile"]

COMPARED = pd.CategoricalDtype(["di bawah", "tidak berbeda", "di atas"], ordered=True)
"""Where a group's interval lies against the overall mean."""


def t_quantile(probability: float, df: float) -> float:
    """Return the quantile of Student's t distribution (Cornish–Fisher expansion).

    Exact for one and two degrees of freedom (closed forms); from three on, the expansion of
    Abramowitz & Stegun 26.7.5 around the normal quantile, within 0.004 of the exact value at
    the usual probabilities (the 97.5 % point: 3.182 for df 3, 2.262 for df 9, 1.984 for df
    100). No statistics library is needed.

    Parameters
    ----------
    probability : float
        In (0, 1).
    df : float
        Degrees of freedom, > 0.

    Returns
    -------
    float

    Examples
    --------
    >>> round(t_quantile(0.975, 9), 3), round(t_quantile(0.975, 1e9), 3)
    (2.262, 1.96)
    """
    if df == 1:
        return math.tan(math.pi * (probability - 0.5))
    if df == 2:
        return (2 * probability - 1) / math.sqrt(2 * probability * (1 - probability))
    z = NormalDist().inv_cdf(probability)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def mean_intervals(
    hasil: pd.DataFrame, *, by: str = "kode_opd", column: str = "capaian", level: float = 0.95
) -> pd.DataFrame:
    """Mean of a column per group, with a t interval, against the mean over everyone.

    Parameters
    ----------
    hasil : DataFrame
        Scored results (one row per employee).
    by : str, default "kode_opd"
        The group column.
    column : str, default "capaian"
        The measured column; missing values are left out.
    level : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    DataFrame
        One row per group with a value: ``by``, ``n`` (employees with a value), ``rata_rata``,
        ``sd``, ``batas_bawah``, ``batas_atas`` (missing when ``n`` < 2), ``rata_rata_semua``
        (the overall mean, the same on every row) and ``dibanding`` (:data:`COMPARED`:
        ``di atas`` when the whole interval is above the overall mean, ``di bawah`` when below,
        ``tidak berbeda`` otherwise, also without an interval).

    Examples
    --------
    >>> frame = pd.DataFrame({"kode_opd": ["A"] * 3 + ["B"] * 3,
    ...                       "capaian": [100.0, 101, 102, 110, 111, 112]})
    >>> mean_intervals(frame)[["kode_opd", "rata_rata", "dibanding"]].values.tolist()
    [['A', 101.0, 'di bawah'], ['B', 111.0, 'di atas']]
    """
    values = pd.to_numeric(hasil[column], errors="coerce")
    known = values.notna().to_numpy()
    frame = pd.DataFrame(
        {by: hasil[by].astype("str").to_numpy()[known], "v": values.to_numpy()[known]}
    )
    overall = float(frame["v"].mean()) if len(frame) else np.nan
    grouped = frame.groupby(by, sort=True)["v"]
    out = grouped.agg(n="size", rata_rata="mean", sd="std").reset_index()
    n = out["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = np.array(
            [t_quantile(1 - (1 - level) / 2, k - 1) if k >= 2 else math.nan for k in n]
        )
        half = quantile * out["sd"].to_numpy(dtype=float) / np.sqrt(n)
    out["batas_bawah"] = out["rata_rata"] - half
    out["batas_atas"] = out["rata_rata"] + half
    out["rata_rata_semua"] = overall
    code = np.where(
        out["batas_bawah"].to_numpy() > overall,
        2,
        np.where(out["batas_atas"].to_numpy() < overall, 0, 1),
    )
    out["dibanding"] = pd.Categorical.from_codes(code, dtype=COMPARED)
    out["n"] = out["n"].astype(np.int64)
    return out
