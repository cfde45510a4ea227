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
from asn_eval.scoring.evidence import (
    ABOVE,
    BELOW,
    MEETS,
    ROLES,
    VALUES,
    role_weights,
    weighted_mean,
)
from asn_eval.scoring.scheme import DEFAULT_SCHEME, Scheme
from asn_eval.scoring.score import Scored, evaluate

__all__ = ["Explainer", "Explanation", "explain"]


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
    people = data.pegawai["nip"].astype("str")
    found = np.flatnonzero((people == bare).to_numpy())
    if not len(found):
        raise KeyError(f"NIP {nip} tidak ada di data")
    # The employee's whole agency is scored: its distribution curve (a note in ``catatan``) is
    # the agency's, and every other rule reads the employee's own rows only.
    agency = data.subset(kode_opd=[str(data.pegawai["kode_opd"].iloc[found[0]])])
    scored = evaluate(agency, periode, skema)
    position = np.flatnonzero((scored.hasil["nip"].astype("str") == bare).to_numpy())[0]
    return Explainer(scored).explanation(int(position))


class Explainer:
    """The explanation of every employee of one scored period, read from its own evidence.

    Scoring a city once and explaining each of its employees from the same arrays gives what
    :func:`explain` gives for one (a subset scores the same rows), without scoring again: the
    employee sheets (:mod:`asn_eval.reporting.employee`) explain 2,500 people this way.

    Parameters
    ----------
    scored : Scored
        A period scored by :func:`asn_eval.scoring.score.evaluate`; position ``i`` is row ``i``
        of ``scored.hasil`` and of its evidence arrays.
    """

    def __init__(self, scored: Scored) -> None:
        self.scored = scored
        ev = scored.evidence
        self._rhk = _by_employee(ev.rhk, ev.n)
        self._indicators = _by_employee(ev.indicators, ev.n)
        self._weights = role_weights(scored.skema.perilaku["bobot_peran"])

    def rhk_rows(self, i: int) -> np.ndarray:
        """Return the positions in ``evidence.rhk`` of employee ``i``'s RHK, in file order."""
        order, bounds = self._rhk
        return order[bounds[i] : bounds[i + 1]]

    def indicator_rows(self, i: int) -> np.ndarray:
        """Return the positions in ``evidence.indicators`` of employee ``i``'s indicators."""
        order, bounds = self._indicators
        return order[bounds[i] : bounds[i + 1]]

    def reasons(self, i: int) -> list[str]:
        """Return the rules that produced employee ``i``'s levels and predikat, in words.

        Parameters
        ----------
        i : int
            Position of the employee in ``scored.hasil``.

        Returns
        -------
        list of str
            Sentences in Bahasa Indonesia, with the scheme's own thresholds (PermenPAN-RB
            6/2022 or the scheme file in use).
        """
        scored = self.scored
        ev, skema = scored.evidence, scored.skema
        row = scored.hasil.iloc[i]
        rules_h, rules_p = skema.hasil_kerja, skema.perilaku
        reasons = []
        rhk = ev.rhk.iloc[self.rhk_rows(i)] if len(ev.rhk) else ev.rhk
        if len(rhk):
            levels = rhk["level"].to_numpy()
            known = levels >= 0
            main_below = int((rhk["utama"].to_numpy() & (levels == BELOW)).sum())
            above, fits, cap = (
                cell(rules_h[k]) for k in ("batas_di_atas", "batas_sesuai", "capaian_maks")
            )
            most = percent(rules_h["mayoritas"], digits=0)
            main_most = percent(rules_h["utama_di_bawah_maks"], digits=0)
            reasons.append(
                f"Capaian rata-rata {number(row['capaian'])} % dari "
                f"{int(row['n_indikator'])} indikator (tiap indikator dibatasi {cap} %). Tiap RHK: "
                f"≥ {above} % Di Atas, ≥ {fits} % Sesuai, "
                f"selain itu Di Bawah: {int((levels == ABOVE).sum())} di atas, "
                f"{int((levels == MEETS).sum())} sesuai, "
                f"{int((levels == BELOW).sum())} di bawah dari {int(known.sum())} RHK; "
                f"{main_below} RHK utama di bawah ekspektasi."
            )
            reasons.append(
                f"Saran rating hasil kerja: {_level_name(int(ev.hasil_saran[i]))} (Di Atas bila "
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
            source = "penilaian" if ev.given_hasil[i] >= 0 else "rating atasan per RHK (skp)"
            reasons.append(
                f"Rating hasil kerja yang diberikan atasan ({source}): {given_h}; "
                f"dipakai untuk predikat: {row['rating_hasil_kerja']}."
            )
        weights_text = ", ".join(
            f"{r} {cell(w)}" for r, w in zip(ROLES, self._weights, strict=True) if w > 0
        )
        if not np.isnan(ev.skor_perilaku[i]):
            reasons.append(
                f"Skor perilaku tertimbang {number(ev.skor_perilaku[i], 2)} "
                f"(bobot peran: {weights_text}): ≥ {cell(rules_p['batas_di_atas'])} Di Atas, "
                f"≥ {cell(rules_p['batas_sesuai'])} Sesuai; "
                f"saran: {_level_name(int(ev.perilaku_saran[i]))}."
            )
        else:
            reasons.append(
                f"Tidak ada penilaian perilaku dari penilai yang dihitung ({weights_text})."
            )
        if pd.notna(row["rating_perilaku_diberikan"]):
            reasons.append(
                f"Rating perilaku yang diberikan: {row['rating_perilaku_diberikan']}; "
                f"dipakai untuk predikat: {row['rating_perilaku']}."
            )
        if skema.jenis == "matriks":
            if pd.notna(row["predikat"]):
                reasons.append(
                    f"Predikat: matriks {skema.nama} untuk hasil kerja {row['rating_hasil_kerja']} "
                    f"× perilaku {row['rating_perilaku']} memberi {row['predikat']}."
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
        return reasons

    def explanation(self, i: int) -> Explanation:
        """Return employee ``i``'s explanation with its tables (see :class:`Explanation`).

        Parameters
        ----------
        i : int
            Position of the employee in ``scored.hasil``.

        Returns
        -------
        Explanation
        """
        scored = self.scored
        ev, data = scored.evidence, scored.data
        row = scored.hasil.iloc[i]
        indikator = pd.DataFrame()
        rhk = pd.DataFrame()
        mine = ev.indicators.iloc[self.indicator_rows(i)] if len(ev.indicators) else ev.indicators
        if len(mine):
            skp = data.skp.loc[mine["row"].to_numpy()]
            levels = ev.rhk["level"].to_numpy()[mine["rhk"].to_numpy()]
            wanted = (
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
            indikator = skp[[c for c in wanted if c in skp]]
            indikator = indikator.assign(
                capaian=mine["capaian"].round(1).to_numpy(),
                tingkat_rhk=pd.Categorical.from_codes(levels.astype(int), dtype=LEVEL.dtype),
            ).reset_index(drop=True)
            own = ev.rhk.iloc[self.rhk_rows(i)]
            rhk = pd.DataFrame(
                {
                    "rhk_id": ev.extras["rhk_id_categories"][own["rhk_code"].to_numpy()],
                    "utama": own["utama"].to_numpy(),
                    "capaian": own["capaian"].round(1).to_numpy(),
                    "tingkat_saran": pd.Categorical.from_codes(
                        own["level"].astype(int), dtype=LEVEL.dtype
                    ),
                    "tingkat_diberikan": pd.Categorical.from_codes(
                        own["given"].astype(int), dtype=LEVEL.dtype
                    ),
                }
            )
        value_means = ev.value_means()[i]  # (7 values, 4 roles)
        perilaku = pd.DataFrame(value_means.round(2), index=list(VALUES), columns=list(ROLES))
        perilaku["tertimbang"] = weighted_mean(value_means, self._weights).round(2)
        perilaku.index.name = "nilai_inti"
        return Explanation(row, indikator, rhk, perilaku, self.reasons(i))


def _by_employee(frame: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Group a frame's rows by its ``emp`` column: (row order, bounds of each employee)."""
    if not len(frame):
        return np.zeros(0, dtype=np.int64), np.zeros(n + 1, dtype=np.int64)
    emp = frame["emp"].to_numpy()
    order = np.argsort(emp, kind="stable")
    bounds = np.searchsorted(emp[order], np.arange(n + 1))
    return order, bounds
