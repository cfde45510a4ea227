"""Follow-up after an evaluation: who to recognise, who to coach, which training to plan.

Thresholds come from the scheme (its level boundaries); the mapping from a weak core value or
indicator aspect to a training programme is a table the user can edit
(``asn_eval/assets/pelatihan.csv``, or any CSV with the same columns).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from asn_eval.scheme import Scheme
from asn_eval.scoring import VALUES, Evidence, role_weights, weighted_mean
from asn_eval.vocab import ASPEK

__all__ = [
    "coaching_candidates",
    "read_training_map",
    "recognition_candidates",
    "training_needs",
]

TRAINING_MAP_COLUMNS = ["sumber", "kunci", "program"]


def read_training_map(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read the table that maps weaknesses to training programmes.

    Parameters
    ----------
    path : path, optional
        A CSV with columns ``sumber`` (``nilai_inti`` or ``aspek``), ``kunci`` (the core value or
        aspect) and ``program``. Default: the shipped table.

    Returns
    -------
    DataFrame
        The table, one row per (sumber, kunci).

    Examples
    --------
    >>> table = read_training_map()
    >>> sorted(table["sumber"].unique())
    ['aspek', 'nilai_inti']
    """
    if path is None:
        source = resources.files("asn_eval") / "assets" / "pelatihan.csv"
        with resources.as_file(source) as found:
            table = pd.read_csv(found, dtype="str")
    else:
        table = pd.read_csv(Path(path), dtype="str")
    missing = [c for c in TRAINING_MAP_COLUMNS if c not in table]
    if missing:
        raise ValueError(f"{path}: kolom {', '.join(missing)} tidak ada")
    return table[TRAINING_MAP_COLUMNS].dropna()


def recognition_candidates(hasil: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    """Employees to consider for reward: the top predikat backed by evidence from both parts.

    Parameters
    ----------
    hasil : DataFrame
        Scored results.
    scheme : Scheme
        The scheme scored with (its top label and level boundaries).

    Returns
    -------
    DataFrame
        The rows of ``hasil`` with the top predikat, ``capaian`` at or above the scheme's
        "above expectation" boundary and ``skor_perilaku`` at or above the behaviour one, plus
        ``bukti`` (the evidence in words), best first.
    """
    top = scheme.labels[0]
    above_h = float(scheme.hasil_kerja.get("batas_di_atas", 110))
    above_p = float(scheme.perilaku.get("batas_di_atas", 4.5))
    keep = (
        (hasil["predikat"] == top)
        & (hasil["capaian"] >= above_h)
        & (hasil["skor_perilaku"] >= above_p)
    )
    found = hasil.loc[keep].sort_values(["capaian", "skor_perilaku"], ascending=False)
    bukti = [
        f"predikat {top}; capaian {c:.1f} %; skor perilaku {p:.2f} dari {int(n)} penilai".replace(
            ".", ","
        )
        for c, p, n in zip(
            found["capaian"], found["skor_perilaku"], found["n_penilai"], strict=True
        )
    ]
    return found.assign(bukti=bukti)


def coaching_candidates(hasil: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    """Employees whose result needs a coaching conversation.

    Parameters
    ----------
    hasil : DataFrame
        Scored results.
    scheme : Scheme
        The scheme (its labels, best first).

    Returns
    -------
    DataFrame
        The rows of ``hasil`` whose predikat is below the scheme's second label, worst first.
    """
    low = scheme.labels[2:]
    found = hasil.loc[hasil["predikat"].isin(low)]
    return found.sort_values(["predikat", "capaian"])


def training_needs(
    evidence: Evidence,
    hasil: pd.DataFrame,
    scheme: Scheme,
    training_map: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Training needs per employee: core values and indicator aspects below the scheme's boundary.

    Parameters
    ----------
    evidence : Evidence
        The evidence of the same employees and period (:func:`asn_eval.scoring.gather_evidence`).
    hasil : DataFrame
        Their scored rows, aligned with the evidence.
    scheme : Scheme
        Its "meets expectation" boundaries mark a weakness: a core value whose weighted mean
        score is below ``perilaku.batas_sesuai``, an aspect whose mean achievement is below
        ``hasil_kerja.batas_sesuai``.
    training_map : DataFrame, optional
        :func:`read_training_map`'s table; default the shipped one.

    Returns
    -------
    DataFrame
        One row per employee and weakness: ``nip``, ``nama``, ``kode_opd``, ``sumber``,
        ``kunci``, ``nilai`` (the score or achievement) and ``program``.
    """
    table = read_training_map() if training_map is None else training_map
    rows = []
    means = evidence.value_means()  # (n, values, roles)
    weights = role_weights(scheme.perilaku["bobot_peran"])
    with np.errstate(invalid="ignore"):
        per_value = np.stack(
            [weighted_mean(means[:, v, :], weights) for v in range(len(VALUES))], axis=1
        )
    limit_p = float(scheme.perilaku.get("batas_sesuai", 3.0))
    emp, value = np.nonzero(per_value < limit_p)
    rows.append(
        pd.DataFrame(
            {
                "emp": emp,
                "sumber": "nilai_inti",
                "kunci": np.asarray(VALUES, dtype=object)[value],
                "nilai": per_value[emp, value].round(2),
            }
        )
    )
    if len(evidence.indicators):
        limit_h = float(scheme.hasil_kerja.get("batas_sesuai", 90))
        names = np.asarray(ASPEK.values, dtype=object)  # the evidence holds aspect codes
        by_aspect = (
            evidence.indicators.assign(aspek=names[evidence.indicators["aspek"].to_numpy()])
            .groupby(["emp", "aspek"], observed=True)["capaian"]
            .mean()
            .reset_index()
        )
        weak = by_aspect[by_aspect["capaian"] < limit_h]
        rows.append(
            pd.DataFrame(
                {
                    "emp": weak["emp"].to_numpy(),
                    "sumber": "aspek",
                    "kunci": weak["aspek"].to_numpy(dtype=object),
                    "nilai": weak["capaian"].round(1).to_numpy(),
                }
            )
        )
    needs = pd.concat(rows, ignore_index=True)
    identity = hasil[["nip", "nama", "kode_opd"]].reset_index(drop=True)
    needs = (
        identity.iloc[needs["emp"].to_numpy()]
        .reset_index(drop=True)
        .join(needs.drop(columns="emp"))
    )
    needs = needs.merge(table, on=["sumber", "kunci"], how="left")
    needs["program"] = needs["program"].fillna("(belum dipetakan)")
    return needs.sort_values(["kode_opd", "program", "nama"], ignore_index=True)
