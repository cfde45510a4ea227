"""Follow-up after an evaluation: who to recognise, who to coach, which training to plan.

Thresholds come from the scheme (its level boundaries), read in one place
(:func:`follow_up_rules`) that both the rules and the reports' sentences read, so a threshold
printed is the one applied. Every candidate carries ``bukti``: the ratings, values and thresholds
that put them on the list. The 9-box (:func:`nine_box`) is the scheme's own predikat matrix, so it
cannot contradict the predikat. The mapping from a weak core value or indicator aspect to a
training programme is a table the user can edit (``asn_eval/assets/pelatihan.csv``, or any CSV
with the same columns).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from asn_eval.errors import UsageError
from asn_eval.formatting import number
from asn_eval.input.vocab import ASPEK, LEVEL
from asn_eval.scoring.evidence import ROLES, VALUES, Evidence, role_weights, weighted_mean
from asn_eval.scoring.scheme import Scheme
from asn_eval.scoring.score import level_codes

__all__ = [
    "MIN_QUARTERS",
    "MIN_SOURCES",
    "OTHER_ROLES",
    "FollowUpRules",
    "box_counts",
    "coaching_candidates",
    "final_predikat",
    "follow_up_rules",
    "nine_box",
    "rating_evidence",
    "read_training_map",
    "recognition",
    "recognition_candidates",
    "score_bands",
    "threshold",
    "training_needs",
    "training_plan",
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


MIN_QUARTERS = 2
"""A sustained reward candidate holds the top predikat in every quarter with a result, and has at
least this many such quarters."""

MIN_SOURCES = 2
"""A sustained reward candidate's behaviour is above expectation in the mean of at least this many
kinds of rater besides themselves (:data:`OTHER_ROLES`)."""

OTHER_ROLES = ("atasan", "rekan", "bawahan")
"""Rater roles whose means count as independent sources (the self-rating does not)."""


@dataclass(frozen=True)
class FollowUpRules:
    """The thresholds of the follow-up lists, read from the scheme in one place.

    :func:`recognition_candidates`, :func:`recognition` and :func:`coaching_candidates` apply
    these values, and the reports print these same values: a threshold printed is the one applied.

    Attributes
    ----------
    top, second : str
        The scheme's best and second-best predikat.
    low : tuple of str
        The predikat below ``second`` (coaching).
    hasil_di_atas, hasil_sesuai : float
        Achievement boundaries, % (``hasil_kerja.batas_di_atas`` / ``batas_sesuai``).
    perilaku_di_atas, perilaku_sesuai : float
        Behaviour-score boundaries, 1–5 (``perilaku.batas_di_atas`` / ``batas_sesuai``).
    min_triwulan, min_sumber : int
        :data:`MIN_QUARTERS` and :data:`MIN_SOURCES`.
    """

    top: str
    second: str
    low: tuple[str, ...]
    hasil_di_atas: float
    hasil_sesuai: float
    perilaku_di_atas: float
    perilaku_sesuai: float
    min_triwulan: int = MIN_QUARTERS
    min_sumber: int = MIN_SOURCES


def follow_up_rules(skema: Scheme) -> FollowUpRules:
    """Read the follow-up thresholds from a scheme.

    Parameters
    ----------
    skema : Scheme
        Any scheme (a numeric one keeps the level boundaries of its base).

    Returns
    -------
    FollowUpRules

    Examples
    --------
    >>> from asn_eval.scoring.scheme import load_scheme
    >>> rules = follow_up_rules(load_scheme())
    >>> rules.top, rules.hasil_di_atas, rules.perilaku_di_atas, rules.low[0]
    ('Sangat Baik', 110.0, 4.5, 'Butuh Perbaikan')
    """
    labels = skema.labels
    return FollowUpRules(
        top=labels[0],
        second=labels[1],
        low=tuple(labels[2:]),
        hasil_di_atas=skema.hasil_di_atas,
        hasil_sesuai=skema.hasil_sesuai,
        perilaku_di_atas=skema.perilaku_di_atas,
        perilaku_sesuai=skema.perilaku_sesuai,
    )


def threshold(value: float, unit: str = "", bahasa: str = "id") -> str:
    """Write a scheme boundary with the decimals it has: ``110 %``, ``4,5``, ``3,0``.

    A behaviour boundary (below 10) keeps at least one decimal, as the scheme files write it.

    Examples
    --------
    >>> threshold(110, " %"), threshold(4.5), threshold(3.0), threshold(3.25)
    ('110 %', '4,5', '3,0', '3,25')
    """
    value = float(value)
    digits = 0 if value >= 10 and value.is_integer() else 1
    if round(value, digits) != value:
        digits = 2
    return number(value, digits, bahasa) + unit


def final_predikat(hasil: pd.DataFrame) -> pd.Series:
    """Return the predikat in force: the forum's calibrated one where the results carry it.

    Parameters
    ----------
    hasil : DataFrame
        Scored results, with ``predikat_kalibrasi`` when calibration decisions were joined
        (:meth:`asn_eval.decisions.DecisionStore.apply`).

    Returns
    -------
    Series of object
        Labels, missing (None) where there is no predikat.
    """
    column = "predikat_kalibrasi" if "predikat_kalibrasi" in hasil else "predikat"
    values = hasil[column].astype(object)
    return values.where(values.notna(), None)


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def _against(value: float, low: float, high: float, digits: int, unit: str = "") -> str:
    """Write a value beside the boundary that decides its level: ``2,14 < 3,0 (batas Sesuai)``."""
    written = number(value, digits) + unit
    if value < low:
        return f"{written} < {threshold(low, unit)} (batas Sesuai)"
    if value >= high:
        return f"{written} ≥ {threshold(high, unit)} (batas Di Atas)"
    return f"{written} (batas Sesuai {threshold(low, unit)}, Di Atas {threshold(high, unit)})"


def rating_evidence(row: pd.Series, skema: Scheme, part: str) -> str:
    """Say which rating an employee has, where it came from and the value behind it.

    Parameters
    ----------
    row : Series
        One scored row (:data:`asn_eval.scoring.score.RESULT_COLUMNS`).
    skema : Scheme
        Its scheme (whether given ratings are used, and the boundaries).
    part : {"hasil_kerja", "perilaku"}
        Which rating.

    Returns
    -------
    str
        E.g. ``rating perilaku Di Bawah Ekspektasi dari skor penilai: skor perilaku 2,14 < 3,0
        (batas Sesuai)`` or ``rating hasil kerja Sesuai Ekspektasi diberikan atasan (saran dari
        indikator: Di Bawah Ekspektasi): capaian 86,0 % < 90 % (batas Sesuai)``. The
        achievement is the mean over indicators; the suggestion itself weighs each RHK against
        the same boundaries.
    """
    rules = follow_up_rules(skema)
    level = row.get(f"rating_{part}")
    given = row.get(f"rating_{part}_diberikan")
    saran = row.get(f"rating_{part}_saran")
    if part == "hasil_kerja":
        name, source, measure = "rating hasil kerja", "indikator", row.get("capaian")
        value = (
            "tanpa capaian indikator"
            if _missing(measure)
            else "capaian " + _against(measure, rules.hasil_sesuai, rules.hasil_di_atas, 1, " %")
        )
    else:
        name, source, measure = "rating perilaku", "skor penilai", row.get("skor_perilaku")
        value = (
            "tanpa skor perilaku"
            if _missing(measure)
            else "skor perilaku "
            + _against(measure, rules.perilaku_sesuai, rules.perilaku_di_atas, 2)
        )
    if _missing(level):
        return f"{name} tidak ada: {value}"
    uses_given = bool(getattr(skema, part)["pakai_rating_diberikan"])
    if uses_given and not _missing(given) and str(given) == str(level):
        if not _missing(saran) and str(saran) != str(given):
            return f"{name} {level} diberikan atasan (saran dari {source}: {saran}): {value}"
        return f"{name} {level} diberikan atasan: {value}"
    return f"{name} {level} dari {source}: {value}"


def _calibration_note(row: pd.Series) -> str | None:
    if not bool(row.get("dikalibrasi", False)):
        return None
    reason = row.get("alasan_kalibrasi")
    why = "" if _missing(reason) else f": {reason}"
    return (
        f"predikat dihitung {row.get('predikat')}, dikalibrasi forum menjadi "
        f"{row.get('predikat_kalibrasi')}{why}"
    )


def _coaching_evidence(row: pd.Series, skema: Scheme, rules: FollowUpRules) -> str:
    parts: list[str] = []
    if skema.jenis == "angka":
        bound = dict(skema.bands).get(rules.second)
        total = row.get("nilai")
        if not _missing(total):
            parts.append(
                f"nilai total {number(total, 2)} < {threshold(bound)} (batas {rules.second})"
                if bound is not None and total < bound
                else f"nilai total {number(total, 2)}"
            )
        for column, label in (("nilai_skp", "nilai SKP"), ("nilai_perilaku", "nilai perilaku")):
            if not _missing(row.get(column)):
                parts.append(f"{label} {number(row.get(column), 2)}")
    else:
        low_first = sorted(
            ("hasil_kerja", "perilaku"),
            key=lambda part: str(row.get(f"rating_{part}")) != LEVEL.values[0],
        )
        parts += [rating_evidence(row, skema, part) for part in low_first]
    note = _calibration_note(row)
    if note:
        parts.append(note)
    return "; ".join(parts)


def coaching_candidates(hasil: pd.DataFrame, skema: Scheme) -> pd.DataFrame:
    """Employees whose predikat is below the scheme's second label, with the evidence why.

    Parameters
    ----------
    hasil : DataFrame
        Scored results (calibrated ones when decisions were joined: the predikat in force,
        :func:`final_predikat`, decides).
    skema : Scheme
        The scheme (labels, boundaries, matrix or bands).

    Returns
    -------
    DataFrame
        The rows of ``hasil`` whose predikat in force is one of :attr:`FollowUpRules.low`, worst
        first, plus ``predikat_akhir`` and ``bukti``: under a matrix scheme the two ratings that
        gave the predikat, the one(s) below expectation first, each with its source (given by the
        supervisor or from the evidence) and value against the scheme's boundary; under a
        numeric scheme the total against the band boundary and its components; and a calibration
        when the forum made one.
    """
    rules = follow_up_rules(skema)
    final = final_predikat(hasil)
    low = final.isin(rules.low).to_numpy()
    found = hasil.loc[low].assign(predikat_akhir=final.to_numpy()[low])
    order = {label: i for i, label in enumerate(skema.labels)}
    found = found.assign(_rank=found["predikat_akhir"].map(order)).sort_values(
        ["_rank", "capaian"], ascending=[False, True]
    )
    bukti = [_coaching_evidence(row, skema, rules) for _, row in found.iterrows()]
    return found.drop(columns="_rank").assign(
        bukti=pd.Series(bukti, index=found.index, dtype="str")
    )


def recognition_candidates(hasil: pd.DataFrame, skema: Scheme) -> pd.DataFrame:
    """Employees to consider for reward in one period: the top predikat backed by both parts.

    Parameters
    ----------
    hasil : DataFrame
        Scored results (calibrated ones when decisions were joined).
    skema : Scheme
        The scheme scored with.

    Returns
    -------
    DataFrame
        The rows of ``hasil`` with the top predikat in force, ``capaian`` ≥
        :attr:`FollowUpRules.hasil_di_atas` and ``skor_perilaku`` ≥
        :attr:`FollowUpRules.perilaku_di_atas`, plus ``bukti`` (each value against its
        threshold, and the source of each rating), best first.
    """
    rules = follow_up_rules(skema)
    keep = (
        (final_predikat(hasil) == rules.top).to_numpy()
        & (hasil["capaian"] >= rules.hasil_di_atas).fillna(False).to_numpy(dtype=bool)
        & (hasil["skor_perilaku"] >= rules.perilaku_di_atas).fillna(False).to_numpy(dtype=bool)
    )
    found = hasil.loc[keep].sort_values(["capaian", "skor_perilaku"], ascending=False)
    bukti = []
    for _, row in found.iterrows():
        parts = [
            f"predikat {rules.top}",
            f"capaian {number(row['capaian'], 1)} % ≥ {threshold(rules.hasil_di_atas, ' %')}",
            f"skor perilaku {number(row['skor_perilaku'], 2)} ≥ "
            f"{threshold(rules.perilaku_di_atas)} dari {int(row['n_penilai'])} penilai",
        ]
        note = _calibration_note(row)
        parts += [note] if note else []
        bukti.append("; ".join(parts))
    return found.assign(bukti=pd.Series(bukti, index=found.index, dtype="str"))


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
        ``kunci``, ``nilai`` (the score or achievement), ``batas`` (the boundary it is below)
        and ``program``.
    """
    table = read_training_map() if training_map is None else training_map
    rows = []
    means = evidence.value_means()  # (n, values, roles)
    weights = role_weights(skema.perilaku["bobot_peran"])
    with np.errstate(invalid="ignore"):
        per_value = np.stack(
            [weighted_mean(means[:, v, :], weights) for v in range(len(VALUES))], axis=1
        )
    rules = follow_up_rules(skema)  # the reports print these same boundaries
    limit_p = rules.perilaku_sesuai
    emp, value = np.nonzero(per_value < limit_p)
    rows.append(
        pd.DataFrame(
            {
                "emp": emp,
                "sumber": "nilai_inti",
                "kunci": np.asarray(VALUES, dtype=object)[value],
                "nilai": per_value[emp, value].round(2),
                "batas": limit_p,
            }
        )
    )
    if len(evidence.indicators):
        limit_h = rules.hasil_sesuai
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
                    "batas": limit_h,
                }
            )
        )
    # Text as text whichever weaknesses there are (an empty list of aspects is not text).
    needs = pd.concat(rows, ignore_index=True).astype({"kunci": "str"})
    identity = hasil[["nip", "nama", "kode_opd"]].reset_index(drop=True)
    needs = (
        identity.iloc[needs["emp"].to_numpy()]
        .reset_index(drop=True)
        .join(needs.drop(columns="emp"))
    )
    needs = needs.merge(table, on=["sumber", "kunci"], how="left")
    needs["program"] = needs["program"].fillna("(belum dipetakan)")
    return needs.sort_values(["kode_opd", "program", "nama"], ignore_index=True)


def _need_evidence(sumber: str, kunci: str, n: int, low: float, high: float, batas: float) -> str:
    """``Kolaboratif: 2 pegawai, skor 2,57–2,86 < 3,0`` (one weakness of a programme)."""
    if sumber == "aspek":
        values = f"capaian {number(low, 1)} %"
        if high != low:
            values = f"capaian {number(low, 1)}–{number(high, 1)} %"
        limit = threshold(batas, " %")
    else:
        values = f"skor {number(low, 2)}" + (f"–{number(high, 2)}" if high != low else "")
        limit = threshold(batas)
    return f"{kunci}: {n} pegawai, {values} < {limit}"


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
        weaknesses behind it with their evidence, e.g. ``Kolaboratif: 2 pegawai, skor 2,57–2,86
        < 3,0; waktu: 1 pegawai, capaian 76,0 % < 90 %``), largest first within each OPD.
    """
    if not len(needs):
        return pd.DataFrame(columns=["kode_opd", "program", "n_pegawai", "kebutuhan"])
    needs = needs.assign(kode_opd=needs["kode_opd"].astype("str"))
    per_need = needs.groupby(["kode_opd", "program", "sumber", "kunci"], observed=True).agg(
        n=("nip", "nunique"), low=("nilai", "min"), high=("nilai", "max"), batas=("batas", "max")
    )
    words = {
        key: _need_evidence(key[2], key[3], row.n, row.low, row.high, row.batas)
        for key, row in zip(per_need.index, per_need.itertuples(), strict=True)
    }
    described = per_need.assign(teks=pd.Series(words)).reset_index()
    grouped = needs.groupby(["kode_opd", "program"], observed=True)
    plan = grouped.agg(n_pegawai=("nip", "nunique")).reset_index()
    text = described.groupby(["kode_opd", "program"], observed=True)["teks"].agg(
        lambda s: "; ".join(sorted(s))
    )
    plan["kebutuhan"] = [
        text[(k, p)] for k, p in zip(plan["kode_opd"], plan["program"], strict=True)
    ]
    return plan.sort_values(["kode_opd", "n_pegawai"], ascending=[True, False], ignore_index=True)


def nine_box(hasil: pd.DataFrame, skema: Scheme) -> pd.DataFrame:
    """Place each employee in the cell of the predikat matrix their two ratings point to.

    The grid is the scheme's own: rows are the rating hasil kerja, columns the rating perilaku,
    both the ratings the predikat was computed from (the supervisor's where the data has one and
    the scheme uses it, otherwise the suggestion from the evidence). Under a matrix scheme a
    cell's label is the predikat the matrix gives it, so every employee's box agrees with their
    computed predikat. A numeric scheme has no matrix (its predikat comes from the bands of a
    weighted total, :func:`score_bands`): the cells then carry no label.

    Parameters
    ----------
    hasil : DataFrame
        Scored results (``rating_hasil_kerja``, ``rating_perilaku``, ``predikat``).
    skema : Scheme
        The scheme scored with.

    Returns
    -------
    DataFrame
        ``nip``, ``nama``, ``kode_opd``, ``rating_hasil_kerja``, ``rating_perilaku`` (level
        categoricals), ``kotak`` (1 = Di Atas × Di Atas … 9 = Di Bawah × Di Bawah, row by row
        from the best results and best behaviour; missing without both ratings), ``label`` (the
        matrix's predikat of the cell; missing under a numeric scheme or without a cell) and
        ``predikat`` (the computed one).

    Examples
    --------
    >>> from asn_eval.scoring.scheme import load_scheme
    >>> frame = pd.DataFrame({"nip": ["1", "2"], "nama": ["A", "B"], "kode_opd": ["X", "X"],
    ...     "rating_hasil_kerja": ["Di Atas Ekspektasi", "Sesuai Ekspektasi"],
    ...     "rating_perilaku": ["Di Atas Ekspektasi", "Di Bawah Ekspektasi"],
    ...     "predikat": ["Sangat Baik", "Kurang/Misconduct"]})
    >>> nine_box(frame, load_scheme())[["kotak", "label"]].values.tolist()
    [[1, 'Sangat Baik'], [6, 'Kurang/Misconduct']]
    """
    results = level_codes(hasil["rating_hasil_kerja"])
    behaviour = level_codes(hasil["rating_perilaku"])
    known = (results >= 0) & (behaviour >= 0)
    out = hasil[["nip", "nama", "kode_opd"]].reset_index(drop=True).copy()
    out["rating_hasil_kerja"] = pd.Categorical.from_codes(results, dtype=LEVEL.dtype)
    out["rating_perilaku"] = pd.Categorical.from_codes(behaviour, dtype=LEVEL.dtype)
    box = (2 - results) * 3 + (2 - behaviour) + 1
    out["kotak"] = pd.array(np.where(known, box, 0), dtype="Int64")
    out.loc[~known, "kotak"] = pd.NA
    if skema.jenis == "angka":
        label = np.full(len(out), None, dtype=object)
    else:
        table = np.array(
            [[skema.matrix[h][p] for p in LEVEL.values] for h in LEVEL.values], dtype=object
        )
        label = np.where(
            known, table[np.maximum(results, 0), np.maximum(behaviour, 0)], None
        ).astype(object)
    out["label"] = pd.array(label, dtype="str")
    out["predikat"] = hasil["predikat"].reset_index(drop=True)
    return out


def box_counts(boxes: pd.DataFrame, skema: Scheme) -> pd.DataFrame:
    """Count employees per cell of the predikat matrix (all nine cells, empty ones too).

    Parameters
    ----------
    boxes : DataFrame
        :func:`nine_box` (of one OPD or more).
    skema : Scheme
        The scheme (its matrix labels the cells).

    Returns
    -------
    DataFrame
        Nine rows, best results first and, within, best behaviour first: ``kotak``,
        ``rating_hasil_kerja``, ``rating_perilaku``, ``label`` (missing under a numeric scheme)
        and ``n_pegawai``.
    """
    levels = list(reversed(LEVEL.values))  # Di Atas first
    rows = []
    counts = boxes["kotak"].dropna().astype(int).value_counts()
    for i, h in enumerate(levels):
        for j, p in enumerate(levels):
            kotak = i * 3 + j + 1
            label = None if skema.jenis == "angka" else skema.matrix[h][p]
            rows.append((kotak, h, p, label, int(counts.get(kotak, 0))))
    return pd.DataFrame(
        rows, columns=["kotak", "rating_hasil_kerja", "rating_perilaku", "label", "n_pegawai"]
    )


def score_bands(hasil: pd.DataFrame, skema: Scheme) -> pd.DataFrame:
    """Count employees per band of a numeric scheme's total: the evidence of its predikat.

    Parameters
    ----------
    hasil : DataFrame
        Scored results (``nilai``, ``predikat``).
    skema : Scheme
        A numeric scheme (``jenis = "angka"``, its ``[[pita]]``).

    Returns
    -------
    DataFrame
        One row per band, best first: ``predikat``, ``batas_bawah`` (its lowest total),
        ``batas_atas`` (the next better band's lowest, missing for the top band), ``n_pegawai``,
        ``nilai_min`` and ``nilai_maks`` (of the employees in it; missing when empty).

    Raises
    ------
    ValueError
        For a matrix scheme (it has no total; use :func:`nine_box`).
    """
    if skema.jenis != "angka":
        raise ValueError(f"skema {skema.nama} tidak memakai nilai total (skema matriks)")
    bands = skema.bands
    predikat = hasil["predikat"].astype(object)
    nilai = pd.to_numeric(hasil["nilai"], errors="coerce")
    rows = []
    for i, (label, low) in enumerate(bands):
        mine = nilai[(predikat == label).to_numpy()]
        rows.append(
            {
                "predikat": label,
                "batas_bawah": float(low),
                "batas_atas": float(bands[i - 1][1]) if i else np.nan,
                "n_pegawai": len(mine),
                "nilai_min": float(mine.min()) if len(mine) else np.nan,
                "nilai_maks": float(mine.max()) if len(mine) else np.nan,
            }
        )
    return pd.DataFrame(rows)


def recognition(
    hasil: pd.DataFrame,
    quarterly: pd.DataFrame,
    evidence: Evidence,
    skema: Scheme,
) -> pd.DataFrame:
    """Candidates for reward or promotion, each with the evidence that puts them there.

    A candidate has the top predikat in every quarter with a result (at least
    :data:`MIN_QUARTERS`), achievement at or above the scheme's "above expectation" boundary,
    and a behaviour mean at or above the "above expectation" score from at least
    :data:`MIN_SOURCES` kinds of rater other than themselves (:data:`OTHER_ROLES`). Every
    threshold comes from :func:`follow_up_rules`.

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
        ``capaian``, ``n_sumber_kuat``, ``perilaku_atasan``, ``perilaku_rekan``,
        ``perilaku_bawahan`` (mean score per role), ``skor_perilaku`` (the scheme's weighted
        score), ``rating_perilaku`` and ``bukti`` (every value against its threshold; the
        source of the rating perilaku when the scheme's own score is below "above
        expectation"), best first.
    """
    rules = follow_up_rules(skema)
    role_columns = [f"perilaku_{role}" for role in OTHER_ROLES]
    columns = ["nip", "nama", "kode_opd", "jabatan", "n_triwulan", "n_triwulan_teratas"]
    columns += ["capaian", "n_sumber_kuat", *role_columns, "skor_perilaku", "rating_perilaku"]
    columns += ["bukti"]
    if quarterly is None or not len(quarterly):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    q = quarterly.assign(
        nip=quarterly["nip"].astype("str"), teratas=quarterly["predikat"] == rules.top
    )
    q = q[quarterly["predikat"].notna().to_numpy()]
    per = q.groupby("nip").agg(
        n_triwulan=("periode", "nunique"), n_triwulan_teratas=("teratas", "sum")
    )
    others = evidence.role_means[:, [ROLES.index(role) for role in OTHER_ROLES]]
    strong = (np.nan_to_num(others, nan=0.0) >= rules.perilaku_di_atas).sum(axis=1)
    base = hasil.reset_index(drop=True).assign(
        nip=lambda f: f["nip"].astype("str"),
        n_sumber_kuat=strong,
        **{column: np.round(others[:, i], 2) for i, column in enumerate(role_columns)},
    )
    base = base.join(per, on="nip")
    keep = (
        (base["n_triwulan"] >= rules.min_triwulan)
        & (base["n_triwulan_teratas"] == base["n_triwulan"])
        & (base["capaian"] >= rules.hasil_di_atas)
        & (base["n_sumber_kuat"] >= rules.min_sumber)
    ).fillna(False)
    found = base[keep.to_numpy(dtype=bool)].copy()
    found["n_triwulan"] = found["n_triwulan"].astype(int)
    found["n_triwulan_teratas"] = found["n_triwulan_teratas"].astype(int)
    found["bukti"] = pd.Series(
        [_sustained_evidence(row, skema, rules) for _, row in found.iterrows()],
        index=found.index,
        dtype="str",
    )
    found = found.sort_values(["capaian", "skor_perilaku"], ascending=False)
    return found[columns].reset_index(drop=True)


def _sustained_evidence(row: pd.Series, skema: Scheme, rules: FollowUpRules) -> str:
    above = threshold(rules.perilaku_di_atas)
    strong, weak = [], []
    for role in OTHER_ROLES:
        value = row[f"perilaku_{role}"]
        if _missing(value):
            continue
        (strong if value >= rules.perilaku_di_atas else weak).append(f"{role} {number(value, 2)}")
    parts = [
        f"{rules.top} di {row['n_triwulan_teratas']} dari {row['n_triwulan']} triwulan",
        f"capaian {number(row['capaian'], 1)} % ≥ {threshold(rules.hasil_di_atas, ' %')}",
        f"rata-rata ≥ {above} dari {len(strong)} sumber penilai ({', '.join(strong)})",
    ]
    if weak:
        parts.append(f"di bawah {above}: {', '.join(weak)}")
    score = row["skor_perilaku"]
    if not _missing(score) and score < rules.perilaku_di_atas:
        # the top predikat rests on a rating perilaku the scheme's own score does not reach
        level, given = row.get("rating_perilaku"), row.get("rating_perilaku_diberikan")
        source = "diberikan atasan" if not _missing(given) and str(given) == str(level) else ""
        parts.append(
            f"skor perilaku skema {number(score, 2)} < {above}, rating perilaku {level} "
            f"{source}".rstrip()
        )
    return "; ".join(parts)
