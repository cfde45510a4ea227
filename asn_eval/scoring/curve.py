"""The organisation's distribution curve: how its predikat bounds its employees' predikat.

PermenPAN-RB 6/2022 lets the organisation's own result (Istimewa … Sangat Kurang) bound the
shares of its employees' predikat. The numbers are soft, so a violation is a warning for the
evaluation forum, never a rejection. The rules come from the scheme (``[kurva]``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from asn_eval.formatting import integer, percent
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode, select_periode
from asn_eval.scoring.scheme import Scheme

__all__ = ["check_curve", "organisation_predikat", "predikat_shares"]


def predikat_shares(predikat: pd.Series, labels: list[str]) -> pd.Series:
    """Share of each predikat among the employees who have one.

    Parameters
    ----------
    predikat : Series
        Predikat per employee (missing where none).
    labels : list of str
        The scheme's labels, in the order wanted.

    Returns
    -------
    Series
        Label → share 0–1 (all 0 when nobody has a predikat).

    Examples
    --------
    >>> predikat_shares(pd.Series(["Baik", "Baik", None, "Sangat Baik"]), ["Sangat Baik", "Baik"])
    Sangat Baik    0.333333
    Baik           0.666667
    Name: count, dtype: float64
    """
    counts = predikat.value_counts().reindex(labels, fill_value=0)
    total = counts.sum()
    return counts / total if total else counts.astype(float)


def organisation_predikat(data: Dataset, periode: Periode) -> pd.Series:
    """Look up the organisation predikat of each OPD for a period.

    Parameters
    ----------
    data : Dataset
        A loaded dataset.
    periode : Periode
        A period; a quarter without its own row takes the year's.

    Returns
    -------
    Series
        ``kode_opd`` (str) → predikat organisasi (str); empty without an ``organisasi`` table.
    """
    if not data.has("organisasi") or "predikat_organisasi" not in data.organisasi:
        return pd.Series(dtype="str")
    table = data.organisasi.dropna(subset=["predikat_organisasi"])
    found = select_periode(table, periode)
    result = pd.Series(
        found["predikat_organisasi"].astype("str").to_numpy(),
        index=found["kode_opd"].astype("str").to_numpy(),
    )
    if not periode.is_year:
        yearly = table[table["periode"] == str(periode.year)]
        fallback = pd.Series(
            yearly["predikat_organisasi"].astype("str").to_numpy(),
            index=yearly["kode_opd"].astype("str").to_numpy(),
        )
        result = result.combine_first(fallback)
    return result[~result.index.duplicated()]


def check_curve(
    data: Dataset, periode: Periode, skema: Scheme, hasil: pd.DataFrame
) -> pd.DataFrame:
    """Check each OPD's predikat shares against the curve of its organisation predikat.

    Called once per period by :func:`asn_eval.scoring.score.evaluate`; read its ``kurva``.

    Parameters
    ----------
    data : Dataset
        The dataset, for the ``organisasi`` table.
    periode : Periode
        The period scored.
    skema : Scheme
        The scheme whose ``[kurva]`` rules apply.
    hasil : DataFrame
        Scored results (:func:`asn_eval.score`): ``kode_opd`` and ``predikat``.

    Returns
    -------
    DataFrame
        One row per OPD with employees: ``kode_opd``, ``predikat_organisasi``, ``n_pegawai``,
        ``n_berpredikat``, one share column per predikat (``porsi_<label>``), ``melanggar`` (bool),
        ``pelanggaran`` (the rules broken, in words) and ``min_pindah`` (the fewest employees whose
        predikat would have to change for the OPD to comply; 0 when it complies).
    """
    labels = skema.labels
    org = organisation_predikat(data, periode)
    opd_codes, opds = pd.factorize(hasil["kode_opd"].astype("str"), sort=True)
    label_codes = pd.Categorical(hasil["predikat"].astype(object), categories=labels).codes
    rated = label_codes >= 0
    counts = np.bincount(
        opd_codes[rated] * len(labels) + label_codes[rated], minlength=len(opds) * len(labels)
    ).reshape(len(opds), len(labels))
    sizes = np.bincount(opd_codes, minlength=len(opds))
    n_rated = counts.sum(axis=1)
    level = org.reindex(opds).to_numpy(dtype=object)
    excess = np.zeros(len(opds), dtype=np.int64)
    shortfall = np.zeros(len(opds), dtype=np.int64)
    broken: list[list[str]] = [[] for _ in opds]
    for org_level, rules in skema.kurva.items():
        applies = (level == org_level) & (n_rated > 0)
        if not applies.any():
            continue
        for rule in rules:
            idx = [labels.index(label) for label in rule["predikat"] if label in labels]
            have = counts[:, idx].sum(axis=1)
            names = " atau ".join(rule["predikat"])
            with np.errstate(invalid="ignore", divide="ignore"):
                share = have / np.maximum(n_rated, 1)
            if "maks" in rule:
                over = applies & (have > rule["maks"] * n_rated + 1e-9)
                limit = np.floor(rule["maks"] * n_rated + 1e-9).astype(np.int64)
                excess += np.where(over, have - limit, 0)
                for i in np.flatnonzero(over):
                    broken[i].append(f"{names} {percent(share[i])} > maks {percent(rule['maks'])}")
            if "min" in rule:
                under = applies & (have < rule["min"] * n_rated - 1e-9)
                need = np.ceil(rule["min"] * n_rated - 1e-9).astype(np.int64)
                shortfall += np.where(under, need - have, 0)
                for i in np.flatnonzero(under):
                    broken[i].append(f"{names} {percent(share[i])} < min {percent(rule['min'])}")
            if "min_orang" in rule:
                few = applies & (have < rule["min_orang"])
                shortfall += np.where(few, int(rule["min_orang"]) - have, 0)
                for i in np.flatnonzero(few):
                    broken[i].append(
                        f"{names} {integer(have[i])} orang < min {integer(rule['min_orang'])} orang"
                    )
    out = pd.DataFrame(
        {
            "kode_opd": np.asarray(opds, dtype=object),
            "predikat_organisasi": pd.array(level, dtype="str"),  # text even when none is known
            "n_pegawai": sizes,
            "n_berpredikat": n_rated,
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        for j, label in enumerate(labels):
            out[f"porsi_{label}"] = np.where(n_rated > 0, counts[:, j] / n_rated, np.nan).round(4)
    out["melanggar"] = np.array([bool(b) for b in broken])
    out["pelanggaran"] = ["; ".join(b) for b in broken]
    out["min_pindah"] = np.maximum(excess, shortfall)
    return out
