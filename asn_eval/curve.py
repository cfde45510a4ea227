"""The organisation's distribution curve: how its predikat bounds its employees' predikat.

PermenPAN-RB 6/2022 lets the organisation's own result (Istimewa … Sangat Kurang) bound the
shares of its employees' predikat. The numbers are soft, so a violation is a warning for the
evaluation forum, never a rejection. The rules come from the scheme (``[kurva]``).
"""

from __future__ import annotations

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
    for org_level, rules in scheme.kurva.items():
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
                    broken[i].append(f"{names} {share[i]:.0%} > maks {rule['maks']:.0%}")
            if "min" in rule:
                under = applies & (have < rule["min"] * n_rated - 1e-9)
                need = np.ceil(rule["min"] * n_rated - 1e-9).astype(np.int64)
                shortfall += np.where(under, need - have, 0)
                for i in np.flatnonzero(under):
                    broken[i].append(f"{names} {share[i]:.0%} < min {rule['min']:.0%}")
            if "min_orang" in rule:
                few = applies & (have < rule["min_orang"])
                shortfall += np.where(few, int(rule["min_orang"]) - have, 0)
                for i in np.flatnonzero(few):
                    broken[i].append(f"{names} {have[i]} orang < min {rule['min_orang']} orang")
    out = pd.DataFrame(
        {
            "kode_opd": np.asarray(opds, dtype=object),
            "predikat_organisasi": level,
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
