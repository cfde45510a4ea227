"""Why a predikat came out as it did: the evidence and the rules, for one employee.

The explanation is built from the same :class:`~asn_eval.scoring.evidence.Evidence` that scoring
uses, on a subset holding only that employee, so what it says and what the results say cannot
disagree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from asn_eval.formatting import cell, number, percent
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode
from asn_eval.input.vocab import LEVEL
from asn_eval.scoring.evidence import ROLES, VALUES, role_weights, weighted_mean
from asn_eval.scoring.scheme import DEFAULT_SCHEME, Scheme
from asn_eval.scoring.score import evaluate

__all__ = ["Explanation", "explain"]


@dataclass
class Explanation:
    """The evidence and the reasoning behind one employee's result.

    Attributes
    ----------
    hasil : Series
        The employee's scored row (as in :func:`asn_eval.score`).
    indikator : DataFrame
        One row per indicator: RHK, aspect, target, realisation, achievement, the RHK's level.
    rhk : DataFrame
        One row per RHK: achievement, suggested level, the supervisor's given level.
    perilaku : DataFrame
        Mean score per core value (rows) and rater role (columns), with the weighted mean.
    alasan : list of str
        The rules that produced each level and the predikat, in Bahasa Indonesia.
    """

    hasil: pd.Series
    indikator: pd.DataFrame
    rhk: pd.DataFrame
    perilaku: pd.DataFrame
    alasan: list[str]

    def __str__(self) -> str:
        head = f"{self.hasil['nama']} ({self.hasil['nip']}), {self.hasil['periode']}"
        return "\n".join([head, *(f"- {line}" for line in self.alasan)])


def _level_name(code: int) -> str:
    return LEVEL.values[code] if code >= 0 else "tidak ada"


def explain(
    data: Dataset,
    nip: str,
    periode: str | Periode,
    skema: str | os.PathLike[str] | Scheme = DEFAULT_SCHEME,
) -> Explanation:
    """Explain one employee's result for a period.

    Parameters
    ----------
    data : Dataset
        A loaded dataset.
    nip : str
        The employee's NIP (spaces allowed).
    periode : str or Periode
        The period.
    skema : str, path or Scheme, default "permenpan-6-2022"
        The scheme.

    Returns
    -------
    Explanation
        Indicators, RHK, behaviour by core value and role, and the reasons in words.

    Raises
    ------
    KeyError
        When the NIP is not in the dataset.
    PeriodeError
        When the data has nothing for the period.
    """
    bare = "".join(str(nip).split())
    if bare not in set(data.pegawai["nip"].astype("str")):
        raise KeyError(f"NIP {nip} tidak ada di data")
    one = data.subset(nip=[bare])
    scored = evaluate(one, periode, skema)
    ev, skema, periode = scored.evidence, scored.skema, scored.periode
    row = scored.hasil.iloc[0]
    rules_h, rules_p = skema.hasil_kerja, skema.perilaku

    indikator = pd.DataFrame()
    rhk = pd.DataFrame()
    if len(ev.indicators):
        skp = one.skp.loc[ev.indicators["row"].to_numpy()]
        levels = ev.rhk["level"].to_numpy()[ev.indicators["rhk"].to_numpy()]
        indikator = skp[
            [
                c
                for c in (
                    "rhk_id",
                    "rhk",
                    "jenis_rhk",
                    "aspek",
                    "indikator",
                    "target",
                    "realisasi",
                    "satuan",
                    "arah",
                    "rating_atasan",
                )
                if c in skp
            ]
        ]
        indikator = indikator.assign(
            capaian=ev.indicators["capaian"].round(1).to_numpy(),
            tingkat_rhk=pd.Categorical.from_codes(levels.astype(int), dtype=LEVEL.dtype),
        ).reset_index(drop=True)
        rhk = pd.DataFrame(
            {
                "rhk_id": ev.extras["rhk_id_categories"][ev.rhk["rhk_code"].to_numpy()],
                "utama": ev.rhk["utama"].to_numpy(),
                "capaian": ev.rhk["capaian"].round(1).to_numpy(),
                "tingkat_saran": pd.Categorical.from_codes(
                    ev.rhk["level"].astype(int), dtype=LEVEL.dtype
                ),
                "tingkat_diberikan": pd.Categorical.from_codes(
                    ev.rhk["given"].astype(int), dtype=LEVEL.dtype
                ),
            }
        )

    value_means = ev.value_means()[0]  # (7 values, 4 roles)
    perilaku = pd.DataFrame(value_means.round(2), index=list(VALUES), columns=list(ROLES))
    weights = role_weights(rules_p["bobot_peran"])
    perilaku["tertimbang"] = weighted_mean(value_means, weights).round(2)
    perilaku.index.name = "nilai_inti"

    reasons = []
    if len(rhk):
        known = rhk["tingkat_saran"].notna()
        counts = rhk.loc[known, "tingkat_saran"].value_counts()
        main_below = int((rhk["utama"] & (rhk["tingkat_saran"] == "Di Bawah Ekspektasi")).sum())
        above, fits, cap = (
            cell(rules_h[k]) for k in ("batas_di_atas", "batas_sesuai", "capaian_maks")
        )
        most = percent(rules_h["mayoritas"], digits=0)
        main_most = percent(rules_h["utama_di_bawah_maks"], digits=0)
        reasons.append(
            f"Capaian rata-rata {number(row['capaian'])} % dari "
            f"{int(row['n_indikator'])} indikator (tiap indikator dibatasi {cap} %). Tiap RHK: "
            f"≥ {above} % Di Atas, ≥ {fits} % Sesuai, "
            f"selain itu Di Bawah: {int(counts.get('Di Atas Ekspektasi', 0))} di atas, "
            f"{int(counts.get('Sesuai Ekspektasi', 0))} sesuai, "
            f"{int(counts.get('Di Bawah Ekspektasi', 0))} di bawah dari {int(known.sum())} RHK; "
            f"{main_below} RHK utama di bawah ekspektasi."
        )
        reasons.append(
            f"Saran rating hasil kerja: {_level_name(int(ev.hasil_saran[0]))} (Di Atas bila "
            f"lebih dari {most} RHK di atas dan tidak ada RHK utama di bawah; "
            f"Di Bawah bila lebih dari {most} RHK di bawah atau lebih dari "
            f"{main_most} RHK utama di bawah; selain itu Sesuai)."
        )
    else:
        reasons.append(
            "Tidak ada indikator SKP untuk periode ini, jadi tidak ada saran hasil kerja."
        )
    given_h = row["rating_hasil_kerja_diberikan"]
    if pd.notna(given_h):
        source = "penilaian" if ev.given_hasil[0] >= 0 else "rating atasan per RHK (skp)"
        reasons.append(
            f"Rating hasil kerja yang diberikan atasan ({source}): {given_h}; "
            f"dipakai untuk predikat: {row['rating_hasil_kerja']}."
        )
    weights_text = ", ".join(f"{r} {cell(w)}" for r, w in zip(ROLES, weights, strict=True) if w > 0)
    if not np.isnan(ev.skor_perilaku[0]):
        reasons.append(
            f"Skor perilaku tertimbang {number(ev.skor_perilaku[0], 2)} "
            f"(bobot peran: {weights_text}): ≥ {cell(rules_p['batas_di_atas'])} Di Atas, "
            f"≥ {cell(rules_p['batas_sesuai'])} Sesuai; "
            f"saran: {_level_name(int(ev.perilaku_saran[0]))}."
        )
    else:
        reasons.append(f"Tidak ada penilaian perilaku dari penilai yang dihitung ({weights_text}).")
    if pd.notna(row["rating_perilaku_diberikan"]):
        reasons.append(
            f"Rating perilaku yang diberikan: {row['rating_perilaku_diberikan']}; "
            f"dipakai untuk predikat: {row['rating_perilaku']}."
        )
    if skema.jenis == "matriks":
        if pd.notna(row["predikat"]):
            reasons.append(
                f"Predikat: matriks {skema.nama} untuk hasil kerja {row['rating_hasil_kerja']} × "
                f"perilaku {row['rating_perilaku']} memberi {row['predikat']}."
            )
    else:
        parts = ", ".join(f"{c.nama} {cell(c.bobot)}" for c in skema.components)
        bands = ", ".join(f"{label} ≥ {cell(low)}" for label, low in skema.bands)
        reasons.append(
            f"Nilai {cell(row['nilai'])} = jumlah tertimbang komponen ({parts}); "
            f"pita: {bands} → {row['predikat']}."
        )
    if pd.isna(row["predikat"]):
        reasons.append(f"Tidak ada predikat: {row['catatan']}.")
    elif str(row["catatan"]):
        reasons.append(f"Catatan: {row['catatan']}.")
    return Explanation(row, indikator, rhk, perilaku, reasons)
