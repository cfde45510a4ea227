"""Public satisfaction: the Indeks Kepuasan Masyarakat (PermenPAN-RB 14/2017).

NRR(u) is the mean answer (1–4) to element u; IKM = Σ NRR(u) × weight × 25, from 25 to 100. The
weight is 1/9; the regulation prints it rounded as 0.11 (some tools use that, and their maximum is
then 99), so it is a parameter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode, select_periode

__all__ = [
    "ELEMENTS",
    "GRADE_LINES",
    "MUTU",
    "POOR_GRADES",
    "UNIT_COLUMNS",
    "ikm",
    "ikm_units",
    "mutu",
]

ELEMENTS = tuple(f"u{i}" for i in range(1, 10))
"""The nine survey elements U1 … U9."""

MUTU = (
    ("A", "Sangat Baik", 88.31),
    ("B", "Baik", 76.61),
    ("C", "Kurang Baik", 65.00),
    ("D", "Tidak Baik", 25.00),
)
"""Service quality grades: (grade, label, lowest IKM), best first."""

GRADE_LINES = [(low, f"batas {grade}") for grade, _, low in MUTU[:3]]
"""Lowest IKM of grades A, B and C (DOMAIN.md §5), drawn on the IKM figures."""

POOR_GRADES = ("C", "D")
"""Grades that count as poor service (Kurang Baik, Tidak Baik): named as findings."""


def mutu(values: pd.Series | np.ndarray) -> pd.Categorical:
    """Grade IKM values A–D.

    Parameters
    ----------
    values : Series or ndarray
        IKM values (25–100).

    Returns
    -------
    Categorical
        ``A`` … ``D`` (ordered, D worst); missing where the IKM is missing.

    Examples
    --------
    >>> list(mutu(np.array([88.31, 88.30, 76.61, 76.60, 65.0, 64.99, np.nan])))
    ['A', 'B', 'B', 'C', 'C', 'D', nan]
    """
    # IKM values are compared at two decimals, as the regulation's table prints them.
    rounded = np.round(np.asarray(values, dtype="float64"), 2)
    grades = np.select(
        [rounded >= low for _, _, low in MUTU[:-1]], [g for g, _, _ in MUTU[:-1]], default="D"
    )
    grades = np.where(np.isnan(rounded), None, grades)
    return pd.Categorical(grades, categories=["D", "C", "B", "A"], ordered=True)


def ikm(survei: pd.DataFrame, periode: str | None = None, weight: float = 1 / 9) -> pd.DataFrame:
    """IKM per OPD and service unit.

    Parameters
    ----------
    survei : DataFrame
        The ``survei`` table (columns ``periode``, ``kode_opd``, ``unit_layanan``, ``u1`` … ``u9``).
    periode : str, optional
        Only this period. A year takes the year's own rows, or all its quarters when the year has
        none. All rows when omitted.
    weight : float, default 1/9
        Weight of each element (0.11 reproduces tools that use the printed value).

    Returns
    -------
    DataFrame
        One row per ``kode_opd`` and ``unit_layanan``: ``n_responden``, ``nrr_u1`` … ``nrr_u9``,
        ``ikm`` and ``mutu`` (A–D).

    Examples
    --------
    >>> answers = pd.DataFrame({"periode": "2025-TW1", "kode_opd": "PKM1",
    ...                         "unit_layanan": "Puskesmas", **{u: [4, 3] for u in ELEMENTS}})
    >>> ikm(answers)[["n_responden", "ikm", "mutu"]].to_dict("records")
    [{'n_responden': 2, 'ikm': 87.5, 'mutu': 'B'}]
    """
    rows = select_periode(survei, periode) if periode else survei
    unit = rows["unit_layanan"] if "unit_layanan" in rows else pd.Series(pd.NA, index=rows.index)
    unit = unit.astype("str").where(unit.notna(), "(seluruh OPD)")
    frame = rows[["kode_opd", *ELEMENTS]].assign(unit_layanan=unit.to_numpy())
    grouped = frame.groupby(["kode_opd", "unit_layanan"], observed=True, sort=True)
    nrr = grouped[list(ELEMENTS)].mean().astype("float64")
    out = pd.DataFrame({"n_responden": grouped.size()})
    for element in ELEMENTS:
        out[f"nrr_{element}"] = nrr[element].round(4)
    out["ikm"] = (nrr.sum(axis=1) * weight * 25).round(2)
    out["mutu"] = mutu(out["ikm"].to_numpy())
    return out.reset_index()


UNIT_COLUMNS = ["kode_opd", "unit_layanan", "n_responden", "ikm", "mutu"]
"""The leading columns of :func:`ikm_units` (the NRR of each element follows)."""


def ikm_units(data: Dataset, periode: Periode) -> pd.DataFrame:
    """IKM per OPD and service unit of a dataset for one period (empty without a survey).

    Parameters
    ----------
    data : Dataset
        The data (its ``survei`` table, when it has one).
    periode : Periode
        The period; a year without rows of its own takes its quarters'.

    Returns
    -------
    DataFrame
        :func:`ikm` of the period, or an empty frame with :data:`UNIT_COLUMNS`.
    """
    if not data.has("survei"):
        return pd.DataFrame(columns=UNIT_COLUMNS)
    return ikm(data.survei, periode)
