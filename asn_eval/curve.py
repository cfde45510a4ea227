"""The organisation's distribution curve: how its predikat bounds its employees' predikat.

PermenPAN-RB 6/2022 lets the organisation's own result (Istimewa … Sangat Kurang) bound the
shares of its employees' predikat. The numbers are soft, so a violation is a warning for the
evaluation forum, never a rejection. The rules come from the scheme (``[kurva]``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from asn_eval.dataset import Dataset
from asn_eval.periode import select_periode
from asn_eval.scheme import Scheme, load_scheme

__all__ = ["check_curve", "organisation_predikat"]


def organisation_predikat(dataset: Dataset, periode: str) -> pd.Series:
    """Look up the organisation predikat of each OPD for a period.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    periode : str
        A period; a quarter without its own row takes the year's.

    Returns
    -------
    Series
        ``kode_opd`` (str) → predikat organisasi (str); empty without an ``organisasi`` table.
    """
    if not dataset.has("organisasi") or "predikat_organisasi" not in dataset.organisasi:
        return pd.Series(dtype="str")
    table = dataset.organisasi.dropna(subset=["predikat_organisasi"])
    found = select_periode(table, periode)
    result = pd.Series(
        found["predikat_organisasi"].astype("str").to_numpy(),
        index=found["kode_opd"].astype("str").to_numpy(),
    )
    if "-TW" in periode:
        yearly = table[table["periode"] == periode.split("-TW")[0]]
        fallback = pd.Series(
            yearly["predikat_organisasi"].astype("str").to_numpy(),
            index=yearly["kode_opd"].astype("str").to_numpy(),
        )
        result = result.combine_first(fallback)
    return result[~result.index.duplicated()]


def check_curve(
    hasil: pd.DataFrame, dataset: Dataset, periode: str, scheme: Scheme | str
) -> pd.DataFrame:
    """Check each OPD's predikat shares against the curve of its organisation predikat.

    Parameters
    ----------
    hasil : DataFrame
        Scored results (:func:`asn_eval.score`): ``kode_opd`` and ``predikat``.
    dataset : Dataset
        The dataset, for the ``organisasi`` table.
    periode : str
        The period scored.
    scheme : Scheme or str
        The scheme whose ``[kurva]`` rules apply.

    Returns
    -------
    DataFrame
        One row per OPD with employees: ``kode_opd``, ``predikat_organisasi``, ``n_pegawai``,
        ``n_berpredikat``, one share column per predikat (``porsi_<label>``), ``melanggar`` (bool),
        ``pelanggaran`` (the rules broken, in words) and ``min_pindah`` (the fewest employees whose
        predikat would have to change for the OPD to comply; 0 when it complies).
    """
    scheme = load_scheme(scheme)
    labels = scheme.labels
    org = organisation_predikat(dataset, periode)
    opd = hasil["kode_opd"].astype("str")
    counts = pd.crosstab(opd, hasil["predikat"].astype("str")).reindex(columns=labels, fill_value=0)
    sizes = opd.value_counts()
    rows = []
    for code in sorted(sizes.index):
        n_rated = int(counts.loc[code].sum()) if code in counts.index else 0
        level = org.get(code)
        broken: list[str] = []
        excess = shortfall = 0
        for rule in scheme.kurva.get(level, []) if level and n_rated else []:
            have = int(counts.loc[code, rule["predikat"]].sum())
            names = " atau ".join(rule["predikat"])
            if "maks" in rule and have > rule["maks"] * n_rated + 1e-9:
                limit = math.floor(rule["maks"] * n_rated + 1e-9)
                excess += have - limit
                broken.append(f"{names} {have / n_rated:.0%} > maks {rule['maks']:.0%}")
            if "min" in rule and have < rule["min"] * n_rated - 1e-9:
                shortfall += math.ceil(rule["min"] * n_rated - 1e-9) - have
                broken.append(f"{names} {have / n_rated:.0%} < min {rule['min']:.0%}")
            if "min_orang" in rule and have < rule["min_orang"]:
                shortfall += int(rule["min_orang"]) - have
                broken.append(f"{names} {have} orang < min {rule['min_orang']} orang")
        row = {
            "kode_opd": code,
            "predikat_organisasi": level,
            "n_pegawai": int(sizes[code]),
            "n_berpredikat": n_rated,
        }
        for label in labels:
            have = int(counts.loc[code, label]) if code in counts.index else 0
            row[f"porsi_{label}"] = round(have / n_rated, 4) if n_rated else np.nan
        row.update(
            melanggar=bool(broken), pelanggaran="; ".join(broken), min_pindah=max(excess, shortfall)
        )
        rows.append(row)
    return pd.DataFrame(rows)
