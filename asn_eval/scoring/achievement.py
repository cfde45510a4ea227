"""Indicator achievement: how far a realisation reaches its target.

Two families of formulas, both vectorised over NumPy arrays:

- PermenPAN-RB 6/2022: achievement = realisation / target × 100, or target / realisation × 100 when
  lower is better (``arah = turun``), capped by the scheme so one huge over-achievement cannot hide
  failures elsewhere (:func:`capaian`).
- PP 46/2011 (also used under PP 30/2019): one score per aspect of an activity; quantity and quality
  are R / T × 100, time and cost follow the efficiency formula (:func:`aspect_score_pp46`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["TARGET_MET", "aspect_score_pp46", "capaian", "efficiency_score"]

TARGET_MET = 100.0
"""Achievement (%) at which an indicator's target is reached: realisation equals the target."""


def capaian(
    target: np.ndarray, realisasi: np.ndarray, lower_is_better: np.ndarray, cap: float = 150.0
) -> np.ndarray:
    """Achievement of indicators in percent (PermenPAN-RB 6/2022), capped.

    Parameters
    ----------
    target : ndarray
        Targets, all > 0.
    realisasi : ndarray
        Realisations, ≥ 0; NaN where not reported yet.
    lower_is_better : ndarray of bool
        True where a lower realisation is better (``arah = turun``).
    cap : float, default 150
        Highest achievement one indicator can reach.

    Returns
    -------
    ndarray
        Achievement in percent in ``[0, cap]``; NaN where the realisation is missing. A realisation
        of 0 where lower is better is the best possible result and gets ``cap``.

    Examples
    --------
    >>> capaian(np.array([100.0, 10.0, 10.0]), np.array([95.0, 5.0, 0.0]),
    ...         np.array([False, True, True]))
    array([ 95., 150., 150.])
    """
    target = np.asarray(target, dtype="float64")
    realisasi = np.asarray(realisasi, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(lower_is_better, target / realisasi, realisasi / target) * 100.0
    ratio = np.where(lower_is_better & (realisasi == 0), cap, ratio)
    return np.where(np.isnan(realisasi), np.nan, np.clip(ratio, 0.0, cap))


def efficiency_score(planned: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Score of a time or cost aspect under PP 46/2011.

    With planned P and real R, the efficiency is e = 100 − R / P × 100. When e ≤ 24 the score is
    (1.76·P − R) / P × 100; when e > 24 it is 76 − ((1.76·P − R) / P × 100 − 100).

    Parameters
    ----------
    planned : ndarray
        Planned time (or cost), > 0.
    real : ndarray
        Real time (or cost); NaN where not reported.

    Returns
    -------
    ndarray
        The aspect score; NaN where ``real`` is missing.

    Examples
    --------
    The check values: on time gives 76, 20 % faster 96, e = 24 exactly 100, 14 against 12 gives
    59.33.

    >>> efficiency_score(np.array([12.0, 10, 100, 12]), np.array([12.0, 8, 76, 14])).round(2)
    array([ 76.  ,  96.  , 100.  ,  59.33])
    """
    planned = np.asarray(planned, dtype="float64")
    real = np.asarray(real, dtype="float64")
    efficiency = 100.0 - real / planned * 100.0
    base = (1.76 * planned - real) / planned * 100.0
    # Round the efficiency before comparing so that e = 24 computed in floating point counts as 24.
    return np.where(np.round(efficiency, 9) <= 24.0, base, 76.0 - (base - 100.0))


def aspect_score_pp46(
    aspek: np.ndarray, target: np.ndarray, realisasi: np.ndarray, lower_is_better: np.ndarray
) -> np.ndarray:
    """Score of each indicator row as one aspect of an activity (PP 46/2011).

    Parameters
    ----------
    aspek : ndarray of str
        ``kuantitas``, ``kualitas``, ``waktu`` or ``biaya``.
    target, realisasi : ndarray
        Target and realisation; realisation NaN where not reported.
    lower_is_better : ndarray of bool
        For quantity and quality rows measured where lower is better (then T / R × 100).

    Returns
    -------
    ndarray
        Quantity and quality: R / T × 100 (T / R when lower is better); time and cost: the
        efficiency formula of :func:`efficiency_score`. Never below 0 (the time formula turns
        negative past 1.76 × the plan; a score cannot).

    Examples
    --------
    >>> aspect_score_pp46(np.array(["kuantitas", "waktu"]), np.array([10.0, 12]),
    ...                   np.array([9.0, 12]), np.array([False, True]))
    array([90., 76.])
    """
    target = np.asarray(target, dtype="float64")
    realisasi = np.asarray(realisasi, dtype="float64")
    timed = np.isin(aspek, ["waktu", "biaya"])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(lower_is_better, target / realisasi, realisasi / target) * 100.0
    ratio = np.where(lower_is_better & (realisasi == 0), 100.0, ratio)
    return np.maximum(np.where(timed, efficiency_score(target, realisasi), ratio), 0.0)
