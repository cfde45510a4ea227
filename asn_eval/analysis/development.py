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

from asn_eval.errors import UsageError
from asn_eval.formatting import number
from asn_eval.input.vocab import ASPEK
from asn_eval.scoring.evidence import VALUES, Evidence, role_weights, weighted_mean
from asn_eval.scoring.scheme import Scheme

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
        if not Path(path).is_file():
            raise UsageError(f"{path}: tabel pemetaan pelatihan tidak ada")
        table = pd.read_csv(Path(path), dtype="str")
    missing = [c for c in TRAINING_MAP_COLUMNS if c not in table]
    if missing:
        needed = ", ".join(TRAINING_MAP_COLUMNS)
        raise UsageError(f"{path}: kolom {', '.join(missing)} tidak ada (perlu: {needed})")
    return table[TRAINING_MAP_COLUMNS].dropna()


def recognition_candidates(hasil: pd.DataFrame, skema: Scheme) -> pd.DataFrame:
    """Employees to consider for reward: the top predikat backed by evidence from both parts.

    Parameters
    ----------
    hasil : DataFrame
        Scored results.
    skema : Scheme
        The scheme scored with (its top label and level boundaries).

    Returns
    -------
    DataFrame
        The rows of ``hasil`` with the top predikat, ``capaian`` at or above the scheme's
        "above expectation" boundary and ``skor_perilaku`` at or above the behaviour one, plus
        ``bukti`` (the evidence in words), best first.
    """
    top = skema.labels[0]
    above_h = skema.hasil_di_atas
    above_p = skema.perilaku_di_atas
    keep = (
        (hasil["predikat"] == top)
        & (hasil["capaian"] >= above_h)
        & (hasil["skor_perilaku"] >= above_p)
    )
    found = hasil.loc[keep].sort_values(["capaian", "skor_perilaku"], ascending=False)
    bukti = [
        f"predikat {top}; capaian {number(c, 1)} %; skor perilaku {number(p, 2)} "
        f"dari {int(n)} penilai"
        for c, p, n in zip(
            found["capaian"], found["skor_perilaku"], found["n_penilai"], strict=True
        )
    ]
    return found.assign(bukti=bukti)


def coaching_candidates(hasil: pd.DataFrame, skema: Scheme) -> pd.DataFrame:
    """Employees whose result needs a coaching conversation.

    Parameters
    ----------
    hasil : DataFrame
        Scored results.
    skema : Scheme
        The scheme (its labels, best first).

    Returns
    -------
    DataFrame
        The rows of ``hasil`` whose predikat is below the scheme's second label, worst first.
    """
    low = skema.labels[2:]
    found = hasil.loc[hasil["predikat"].isin(low)]
    return found.sort_values(["predikat", "capaian"])


def training_needs(
    evidence: Evidence,
    hasil: pd.DataFrame,
    skema: Scheme,
    training_map: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Training needs per employee: core values and indicator aspects below the scheme's boundary.

    Parameters
    ----------
    evidence : Evidence
        The evidence of the same employees and period
        (:func:`asn_eval.scoring.evidence.gather_evidence`).
    hasil : DataFrame
        Their scored rows, aligned with the evidence.
    skema : Scheme
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
    weights = role_weights(skema.perilaku["bobot_peran"])
    with np.errstate(invalid="ignore"):
        per_value = np.stack(
            [weighted_mean(means[:, v, :], weights) for v in range(len(VALUES))], axis=1
        )
    limit_p = skema.perilaku_sesuai
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
        limit_h = skema.hasil_sesuai
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


def training_plan(needs: pd.DataFrame) -> pd.DataFrame:
    """Total training needs per OPD and programme, for planning.

    Parameters
    ----------
    needs : DataFrame
        :func:`training_needs`.

    Returns
    -------
    DataFrame
        ``kode_opd``, ``program``, ``n_pegawai`` (distinct employees), ``kebutuhan`` (the
        weaknesses behind it, e.g. ``Kolaboratif, waktu``), largest first within each OPD.
    """
    if not len(needs):
        return pd.DataFrame(columns=["kode_opd", "program", "n_pegawai", "kebutuhan"])
    grouped = needs.assign(kode_opd=needs["kode_opd"].astype("str")).groupby(
        ["kode_opd", "program"], observed=True
    )
    plan = grouped.agg(
        n_pegawai=("nip", "nunique"),
        kebutuhan=("kunci", lambda s: ", ".join(sorted(set(map(str, s))))),
    ).reset_index()
    return plan.sort_values(["kode_opd", "n_pegawai"], ascending=[True, False], ignore_index=True)


_CLASSES = ("rendah", "sedang", "tinggi")
_BOX_NAMES = {
    ("tinggi", "tinggi"): "teladan",
    ("tinggi", "sedang"): "hasil menonjol",
    ("tinggi", "rendah"): "hasil tinggi, perilaku perlu dibina",
    ("sedang", "tinggi"): "perilaku menonjol",
    ("sedang", "sedang"): "sesuai harapan",
    ("sedang", "rendah"): "perilaku perlu dibina",
    ("rendah", "tinggi"): "hasil perlu didampingi",
    ("rendah", "sedang"): "hasil perlu ditingkatkan",
    ("rendah", "rendah"): "perlu perhatian khusus",
}


def nine_box(hasil: pd.DataFrame, skema: Scheme) -> pd.DataFrame:
    """Place each employee in a 3 × 3 grid of results (achievement) against behaviour.

    Parameters
    ----------
    hasil : DataFrame
        Scored results (``capaian``, ``skor_perilaku``).
    skema : Scheme
        Its level boundaries cut each axis: achievement below ``hasil_kerja.batas_sesuai`` is
        *rendah*, from it to ``batas_di_atas`` *sedang*, above *tinggi*; the behaviour score
        likewise with the ``perilaku`` boundaries.

    Returns
    -------
    DataFrame
        ``nip``, ``nama``, ``kode_opd``, ``kelas_hasil``, ``kelas_perilaku``, ``kotak`` (1 = high
        results and behaviour … 9 = low both; missing without evidence) and ``label``.

    Examples
    --------
    >>> from asn_eval.scoring.scheme import load_scheme
    >>> frame = pd.DataFrame({"nip": ["1", "2"], "nama": ["A", "B"], "kode_opd": ["X", "X"],
    ...                       "capaian": [120.0, 80.0], "skor_perilaku": [4.8, 2.0]})
    >>> nine_box(frame, load_scheme())[["kotak", "label"]].values.tolist()
    [[1, 'teladan'], [9, 'perlu perhatian khusus']]
    """
    results = np.digitize(hasil["capaian"], [skema.hasil_sesuai, skema.hasil_di_atas])
    behaviour = np.digitize(hasil["skor_perilaku"], [skema.perilaku_sesuai, skema.perilaku_di_atas])
    known = hasil["capaian"].notna().to_numpy() & hasil["skor_perilaku"].notna().to_numpy()
    kelas = np.asarray(_CLASSES, dtype=object)
    kelas_hasil = np.where(known, kelas[np.minimum(results, 2)], None)
    kelas_perilaku = np.where(known, kelas[np.minimum(behaviour, 2)], None)
    box = (2 - results) * 3 + (2 - behaviour) + 1
    out = hasil[["nip", "nama", "kode_opd"]].reset_index(drop=True).copy()
    out["kelas_hasil"] = pd.Categorical(kelas_hasil, categories=_CLASSES, ordered=True)
    out["kelas_perilaku"] = pd.Categorical(kelas_perilaku, categories=_CLASSES, ordered=True)
    out["kotak"] = pd.array(np.where(known, box, 0), dtype="Int64").astype("Int64")
    out.loc[~known, "kotak"] = pd.NA
    out["label"] = [
        _BOX_NAMES[(a, b)] if a is not None else None
        for a, b in zip(kelas_hasil, kelas_perilaku, strict=True)
    ]
    return out


def recognition(
    hasil: pd.DataFrame,
    quarterly: pd.DataFrame,
    evidence: Evidence,
    skema: Scheme,
) -> pd.DataFrame:
    """Candidates for reward or promotion, each with the evidence that puts them there.

    A candidate has the top predikat in every quarter with a result (at least two), indicators
    at or above the scheme's "above expectation" achievement, and behaviour at or above its
    "above expectation" score from at least two kinds of rater other than themselves.

    Parameters
    ----------
    hasil : DataFrame
        Scored results of the period (a year, usually), aligned with ``evidence``.
    quarterly : DataFrame
        Tidy quarterly results (``nip``, ``periode``, ``predikat``), e.g.
        :func:`asn_eval.analysis.trends.quarterly_scores`.
    evidence : Evidence
        The period's evidence (per-role behaviour means).
    skema : Scheme
        Top label and boundaries.

    Returns
    -------
    DataFrame
        ``nip``, ``nama``, ``kode_opd``, ``jabatan``, ``n_triwulan``, ``n_triwulan_teratas``,
        ``capaian``, ``n_sumber_kuat``, ``skor_perilaku`` and ``bukti`` (in words), best first.
    """
    top = skema.labels[0]
    above_h = skema.hasil_di_atas
    above_p = skema.perilaku_di_atas
    columns = ["nip", "nama", "kode_opd", "jabatan", "n_triwulan", "n_triwulan_teratas"]
    columns += ["capaian", "n_sumber_kuat", "skor_perilaku", "bukti"]
    if quarterly is None or not len(quarterly):
        return pd.DataFrame(columns=columns)
    q = quarterly.assign(nip=quarterly["nip"].astype("str"), teratas=quarterly["predikat"] == top)
    q = q[quarterly["predikat"].notna().to_numpy()]
    per = q.groupby("nip").agg(
        n_triwulan=("periode", "nunique"), n_triwulan_teratas=("teratas", "sum")
    )
    others = evidence.role_means[:, 1:]  # atasan, rekan, bawahan (diri is column 0)
    strong = (np.nan_to_num(others, nan=0.0) >= above_p).sum(axis=1)
    base = hasil.reset_index(drop=True).assign(
        nip=lambda f: f["nip"].astype("str"), n_sumber_kuat=strong
    )
    base = base.join(per, on="nip")
    keep = (
        (base["n_triwulan"] >= 2)
        & (base["n_triwulan_teratas"] == base["n_triwulan"])
        & (base["capaian"] >= above_h)
        & (base["n_sumber_kuat"] >= 2)
    ).fillna(False)
    found = base[keep.to_numpy(dtype=bool)].copy()
    found["n_triwulan"] = found["n_triwulan"].astype(int)
    found["n_triwulan_teratas"] = found["n_triwulan_teratas"].astype(int)
    found["bukti"] = [
        f"{top} di {t} dari {n} triwulan; capaian {number(c, 1)} % (≥ {number(above_h, 0)} %); "
        f"{s} sumber penilai dengan rata-rata ≥ {number(above_p, 1)}; skor perilaku "
        f"{number(p, 2)}"
        for t, n, c, s, p in zip(
            found["n_triwulan_teratas"],
            found["n_triwulan"],
            found["capaian"],
            found["n_sumber_kuat"],
            found["skor_perilaku"],
            strict=True,
        )
    ]
    found = found.sort_values(["capaian", "skor_perilaku"], ascending=False)
    return found[columns].reset_index(drop=True)
