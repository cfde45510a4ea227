"""Quarter to quarter: scores per quarter, each employee's and each OPD's change, and feedback.

``year_to_date`` gives the quarters a period is compared with: a year's quarters, or for a
quarter the quarters of its year up to it (a 2025-TW2 report shows TW1 and TW2), each scored once
by :func:`asn_eval.scoring.score.evaluate`. ``quarterly_scores`` stacks their results (one row per
employee and quarter). The other functions read that table: ``employee_trends`` (change from the
previous quarter per employee), ``opd_trends`` (per OPD and quarter: counts per predikat, means and
their change) and ``improved_after_feedback`` (did negative written feedback come before an
improvement in the next quarter?). Everything is vectorised over category codes.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode
from asn_eval.scoring.score import Scored, evaluate

__all__ = [
    "ARAH",
    "NEGATIVE_PHRASES",
    "QUARTERLY_COLUMNS",
    "employee_trends",
    "feedback_summary",
    "improved_after_feedback",
    "is_negative_feedback",
    "opd_trends",
    "quarterly_scores",
    "year_to_date",
]

QUARTERLY_COLUMNS = [
    "nip",
    "nama",
    "kode_opd",
    "periode",
    "predikat",
    "capaian",
    "skor_perilaku",
    "rating_hasil_kerja",
    "rating_perilaku",
]
"""Columns of :func:`quarterly_scores`."""

ARAH = pd.CategoricalDtype(["turun", "tetap", "naik"], ordered=True)
"""Direction of a predikat change from one quarter to the next."""

NEGATIVE_PHRASES = (
    "perlu",
    "belum",
    "di bawah target",
    "di bawah ekspektasi",
    "tingkatkan",
    "pendampingan",
    "pembinaan",
    "kurang",
    "perbaiki",
    "tidak tercapai",
)
"""Phrases that make written feedback negative (case-insensitive substrings).

"tingkatkan" also catches the mild "Cukup, terus tingkatkan" on purpose. Praise ("pertahankan",
"sangat baik", "melampaui") and administrative requests ("Lengkapi bukti dukung …") contain none.
"""

_EMPLOYEE_TREND_COLUMNS = [
    "nip",
    "nama",
    "kode_opd",
    "periode",
    "periode_sebelum",
    "capaian_sebelum",
    "capaian",
    "delta_capaian",
    "skor_perilaku_sebelum",
    "skor_perilaku",
    "delta_perilaku",
    "predikat_sebelum",
    "predikat_sesudah",
    "arah",
]
_OPD_TREND_COLUMNS = [
    "kode_opd",
    "periode",
    "periode_sebelum",
    "n_pegawai",
    "n_dinilai",
    "capaian",
    "skor_perilaku",
    "porsi_terbaik",
    "delta_capaian",
    "delta_perilaku",
    "delta_porsi_terbaik",
]
_FEEDBACK_COLUMNS = [
    "nip",
    "kode_opd",
    "periode",
    "periode_sesudah",
    "sumber",
    "umpan_balik",
    "sebelum",
    "sesudah",
    "membaik",
]
_SUMMARY_COLUMNS = ["kode_opd", "n_umpan_balik_negatif", "n_membaik", "porsi_membaik"]
_SOURCES = (("skp", "capaian"), ("perilaku", "skor_perilaku"))
"""Where feedback is written, and the measure that should improve after it."""


def year_to_date(scored: Scored) -> dict[Periode, Scored]:
    """Return the quarters a period is compared with, each scored once, oldest first.

    For a year: its quarters that the data has
    (:meth:`~asn_eval.scoring.score.Scored.quarter_results`). For a quarter: the quarters of the
    same year up to and including it that the data has, so a 2025-TW3 report compares TW1, TW2
    and TW3 (a quarter missing from the data is left out, not invented). The earlier quarters
    are kept on ``scored`` and not scored again.

    Parameters
    ----------
    scored : Scored
        A period scored by :func:`asn_eval.scoring.score.evaluate`.

    Returns
    -------
    dict of Periode to Scored
        Empty when the data of a year holds no quarter (it evaluates only yearly).
    """
    periode = scored.periode
    if periode.is_year:
        return {q: s for q, s in scored.quarter_results().items() if not q.is_year}
    have = set(scored.data.periodes)
    found: dict[Periode, Scored] = {}
    for quarter in periode.year.quarters:
        if quarter.sort_key > periode.sort_key:
            break
        if quarter == periode:
            found[quarter] = scored
        elif quarter in have:
            if quarter not in scored.quarters:
                scored.quarters[quarter] = evaluate(scored.data, quarter, scored.skema)
            found[quarter] = scored.quarters[quarter]
    return found


def quarterly_scores(scored: Scored) -> pd.DataFrame:
    """Stack the results of the quarters to compare, each scored once, one row per employee each.

    Parameters
    ----------
    scored : Scored
        A period scored by :func:`asn_eval.scoring.score.evaluate`; its quarters are
        :func:`year_to_date` (a year's quarters, or a quarter and the earlier ones of its year).

    Returns
    -------
    DataFrame
        Columns :data:`QUARTERLY_COLUMNS`. ``periode`` is an ordered categorical of the quarters;
        ``predikat`` keeps the score's order (worst → best). Empty (with the columns) when the
        year has no quarter.
    """
    quarters = year_to_date(scored)
    frames = [s.hasil[QUARTERLY_COLUMNS] for s in quarters.values()]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in QUARTERLY_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    codes = np.repeat(np.arange(len(frames)), [len(f) for f in frames])
    out["periode"] = pd.Categorical.from_codes(
        codes, dtype=pd.CategoricalDtype([str(q) for q in quarters], ordered=True)
    )
    return out


def _codes(values: pd.Series) -> np.ndarray:
    """Integer codes of a column (categorical codes, or codes of its distinct values)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64)
    return pd.factorize(values, use_na_sentinel=True)[0].astype(np.int64)


def _ordered_periode(quarterly: pd.DataFrame) -> pd.Categorical:
    periode = quarterly["periode"]
    if isinstance(periode.dtype, pd.CategoricalDtype) and periode.cat.ordered:
        return periode.array
    from asn_eval.input.periode import periode_dtype

    values = periode.astype("str")
    return pd.Categorical(values, dtype=periode_dtype(values.unique()))


def _predikat_codes(quarterly: pd.DataFrame) -> tuple[np.ndarray, pd.CategoricalDtype]:
    predikat = quarterly["predikat"]
    if not isinstance(predikat.dtype, pd.CategoricalDtype):
        raise TypeError("kolom 'predikat' harus kategori berurutan (keluaran asn_eval.score)")
    return predikat.cat.codes.to_numpy().astype(np.int64), predikat.dtype


def employee_trends(quarterly: pd.DataFrame) -> pd.DataFrame:
    """Compare each employee's quarter with their previous quarter.

    Parameters
    ----------
    quarterly : DataFrame
        The output of :func:`quarterly_scores`.

    Returns
    -------
    DataFrame
        One row per employee and quarter after their first: ``nip``, ``nama``, ``kode_opd``,
        ``periode``, ``periode_sebelum``, ``capaian_sebelum``, ``capaian``, ``delta_capaian``,
        ``skor_perilaku_sebelum``, ``skor_perilaku``, ``delta_perilaku``, ``predikat_sebelum``,
        ``predikat_sesudah`` (the score's ordered categorical, worst → best) and ``arah``
        (``naik``, ``turun`` or ``tetap`` by that order; missing when either predikat is).
        Deltas are missing where either quarter lacks the value.
    """
    if quarterly.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _EMPLOYEE_TREND_COLUMNS})
    periode = _ordered_periode(quarterly)
    per_code = periode.codes.astype(np.int64)
    nip_code = _codes(quarterly["nip"])
    order = np.lexsort((per_code, nip_code))
    nip_sorted = nip_code[order]
    follows = np.r_[False, nip_sorted[1:] == nip_sorted[:-1]]
    now = order[follows]
    before = order[np.flatnonzero(follows) - 1]

    pred_codes, pred_dtype = _predikat_codes(quarterly)
    capaian = quarterly["capaian"].to_numpy("float64", na_value=np.nan)
    perilaku = quarterly["skor_perilaku"].to_numpy("float64", na_value=np.nan)
    p_now, p_before = pred_codes[now], pred_codes[before]
    arah = np.where(p_now > p_before, 2, np.where(p_now < p_before, 0, 1))
    arah = np.where((p_now < 0) | (p_before < 0), -1, arah)

    out = quarterly.iloc[now][["nip", "nama", "kode_opd"]].reset_index(drop=True)
    out["periode"] = pd.Categorical.from_codes(per_code[now], dtype=periode.dtype)
    out["periode_sebelum"] = pd.Categorical.from_codes(per_code[before], dtype=periode.dtype)
    out["capaian_sebelum"] = capaian[before]
    out["capaian"] = capaian[now]
    out["delta_capaian"] = np.round(capaian[now] - capaian[before], 2)
    out["skor_perilaku_sebelum"] = perilaku[before]
    out["skor_perilaku"] = perilaku[now]
    out["delta_perilaku"] = np.round(perilaku[now] - perilaku[before], 2)
    out["predikat_sebelum"] = pd.Categorical.from_codes(p_before, dtype=pred_dtype)
    out["predikat_sesudah"] = pd.Categorical.from_codes(p_now, dtype=pred_dtype)
    out["arah"] = pd.Categorical.from_codes(arah, dtype=ARAH)
    return out


def opd_trends(quarterly: pd.DataFrame) -> pd.DataFrame:
    """Summarise each OPD per quarter, with the change from its previous quarter.

    Parameters
    ----------
    quarterly : DataFrame
        The output of :func:`quarterly_scores`.

    Returns
    -------
    DataFrame
        One row per ``kode_opd`` and ``periode``: ``periode_sebelum`` (the OPD's previous
        quarter in the table, the one the changes are from; missing in its first),
        ``n_pegawai`` (rows scored), ``n_dinilai`` (with a predikat), mean ``capaian`` and
        ``skor_perilaku`` (over employees who have one), ``porsi_terbaik`` (share of the
        scheme's top predikat among ``n_dinilai``), ``delta_capaian``, ``delta_perilaku``,
        ``delta_porsi_terbaik`` from the previous quarter, and one count per predikat named
        after it (``Sangat Baik`` … , best first, as in the workbook's OPD summary).
    """
    if quarterly.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _OPD_TREND_COLUMNS})
    pred_codes, pred_dtype = _predikat_codes(quarterly)
    top = len(pred_dtype.categories) - 1
    frame = pd.DataFrame(
        {
            "kode_opd": quarterly["kode_opd"].array,
            "periode": _ordered_periode(quarterly),
            "capaian": quarterly["capaian"].to_numpy("float64", na_value=np.nan),
            "skor_perilaku": quarterly["skor_perilaku"].to_numpy("float64", na_value=np.nan),
            "dinilai": pred_codes >= 0,
            "terbaik": pred_codes == top,
        }
    )
    grouped = frame.groupby(["kode_opd", "periode"], observed=True, sort=True)
    out = grouped.agg(
        n_pegawai=("dinilai", "size"),
        n_dinilai=("dinilai", "sum"),
        capaian=("capaian", "mean"),
        skor_perilaku=("skor_perilaku", "mean"),
        n_terbaik=("terbaik", "sum"),
    ).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = out["n_terbaik"].to_numpy("float64") / out["n_dinilai"].to_numpy("float64")
    out["porsi_terbaik"] = np.where(out["n_dinilai"].to_numpy() > 0, share, np.nan).round(4)
    out["capaian"] = out["capaian"].round(2)
    out["skor_perilaku"] = out["skor_perilaku"].round(3)
    out = out.drop(columns="n_terbaik")
    opd = _codes(out["kode_opd"])
    first = np.r_[True, opd[1:] != opd[:-1]]  # sorted by OPD, then quarter
    before = np.r_[-1, out["periode"].cat.codes.to_numpy()[:-1]].astype(np.int64)
    out["periode_sebelum"] = pd.Categorical.from_codes(
        np.where(first, -1, before), dtype=out["periode"].dtype
    )
    for column, delta in (
        ("capaian", "delta_capaian"),
        ("skor_perilaku", "delta_perilaku"),
        ("porsi_terbaik", "delta_porsi_terbaik"),
    ):
        values = out[column].to_numpy("float64")
        change = values - np.r_[np.nan, values[:-1]]
        out[delta] = np.where(first, np.nan, change).round(4)
    for column in ("n_pegawai", "n_dinilai"):
        out[column] = out[column].astype(np.int64)
    # Count each predikat per group: the group numbers follow the rows of ``out`` (both sorted).
    n_labels = len(pred_dtype.categories)
    group = grouped.ngroup().to_numpy().astype(np.int64)
    rated = pred_codes >= 0
    cells = np.bincount(
        group[rated] * n_labels + pred_codes[rated], minlength=len(out) * n_labels
    ).reshape(len(out), n_labels)
    names = []
    for code in reversed(range(n_labels)):  # best first
        name = str(pred_dtype.categories[code])
        out[name] = cells[:, code].astype(np.int64)
        names.append(name)
    return out[[*_OPD_TREND_COLUMNS, *names]]


def is_negative_feedback(
    texts: Iterable[object], negative: Iterable[str] | None = None
) -> np.ndarray:
    """Decide which feedback texts are negative.

    Parameters
    ----------
    texts : iterable
        Feedback texts (missing values are not negative).
    negative : iterable of str, optional
        Phrases that make a text negative, matched case-insensitively as substrings;
        :data:`NEGATIVE_PHRASES` when omitted.

    Returns
    -------
    ndarray of bool
        True for each negative text.

    Examples
    --------
    >>> is_negative_feedback(["Perlu ditingkatkan", "Baik, pertahankan", None]).tolist()
    [True, False, False]
    """
    phrases = [p.casefold() for p in (NEGATIVE_PHRASES if negative is None else negative)]
    out = []
    for text in texts:
        if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
            out.append(False)
            continue
        folded = str(text).casefold()
        out.append(any(p in folded for p in phrases))
    return np.array(out, dtype=bool)


def _negative_rows(
    table: pd.DataFrame, negative: Iterable[str] | None
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Rows with negative feedback, their text codes, and the texts (each matched once)."""
    feedback = table["umpan_balik"]
    if not isinstance(feedback.dtype, pd.CategoricalDtype):
        feedback = feedback.astype("category")
    categories = feedback.cat.categories
    negative_category = np.r_[is_negative_feedback(categories, negative), False]
    codes = feedback.cat.codes.to_numpy().astype(np.int64)
    mask = negative_category[codes]  # code -1 (no feedback) reads the trailing False
    return np.flatnonzero(mask), codes[mask], categories


def _recode(values: pd.Series, categories: pd.Index) -> np.ndarray:
    """Positions of ``values`` in ``categories`` (-1 where absent), hashing each distinct once."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        own = pd.Index(values.cat.categories.astype("str"))
        lookup = np.r_[categories.get_indexer(own), -1]
        return lookup[values.cat.codes.to_numpy().astype(np.int64)]
    return categories.get_indexer(values.astype("str"))


def improved_after_feedback(
    data: Dataset, quarterly: pd.DataFrame, *, negative: Iterable[str] | None = None
) -> pd.DataFrame:
    """Find negative written feedback and whether the employee improved in the next quarter.

    Feedback in ``skp`` rows is followed by ``capaian``, feedback in ``perilaku`` rows by
    ``skor_perilaku`` (both as :func:`quarterly_scores` computed them). The same text given to
    one employee in one quarter from one source counts once. Feedback in the last quarter, in a
    year's own period, or where either quarter lacks the measure is left out: there is nothing
    to judge it by.

    Parameters
    ----------
    data : Dataset
        The dataset that ``quarterly`` was scored from.
    quarterly : DataFrame
        The output of :func:`quarterly_scores`.
    negative : iterable of str, optional
        Phrases that make feedback negative; :data:`NEGATIVE_PHRASES` when omitted.

    Returns
    -------
    DataFrame
        One row per feedback: ``nip``, ``kode_opd``, ``periode`` (of the feedback),
        ``periode_sesudah`` (the next quarter), ``sumber`` (``skp`` or ``perilaku``),
        ``umpan_balik``, ``sebelum``, ``sesudah`` and ``membaik`` (``sesudah > sebelum``).
    """
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in _FEEDBACK_COLUMNS})
    if quarterly.empty:
        return empty
    periode = _ordered_periode(quarterly)
    quarters = pd.Index(periode.categories)
    n_q = len(quarters)
    nip_categories = (
        pd.Index(quarterly["nip"].cat.categories.astype("str"))
        if isinstance(quarterly["nip"].dtype, pd.CategoricalDtype)
        else pd.Index(quarterly["nip"].astype("str").unique())
    )
    n_nip = len(nip_categories)
    q_nip = _recode(quarterly["nip"], nip_categories)
    # Row of ``quarterly`` for each (employee, quarter), -1 where there is none.
    row_of = np.full(n_nip * n_q + 1, -1, dtype=np.int64)
    has = (q_nip >= 0) & (periode.codes >= 0)
    row_of[q_nip[has] * n_q + periode.codes[has]] = np.flatnonzero(has)

    parts = []
    for sumber, measure in _SOURCES:
        if not data.has(sumber) or "umpan_balik" not in data.tables[sumber]:
            continue
        table = data.tables[sumber]
        rows, text, texts = _negative_rows(table, negative)
        if not len(rows):
            continue
        nip = _recode(table["nip"].iloc[rows], nip_categories)
        q = _recode(table["periode"].iloc[rows], quarters)
        ok = (nip >= 0) & (q >= 0) & (q < n_q - 1)
        key = (nip[ok] * n_q + q[ok]) * (len(texts) + 1) + text[ok]
        key = np.unique(key)
        text_u = key % (len(texts) + 1)
        cell = key // (len(texts) + 1)
        now, after = row_of[cell], row_of[cell + 1]
        values = quarterly[measure].to_numpy("float64", na_value=np.nan)
        valid = (now >= 0) & (after >= 0)
        sebelum = np.where(valid, values[np.maximum(now, 0)], np.nan)
        sesudah = np.where(valid, values[np.maximum(after, 0)], np.nan)
        keep = ~np.isnan(sebelum) & ~np.isnan(sesudah)
        now, cell, text_u = now[keep], cell[keep], text_u[keep]
        sebelum, sesudah = sebelum[keep], sesudah[keep]
        part = quarterly.iloc[now][["nip", "kode_opd"]].reset_index(drop=True)
        q_now = cell % n_q
        part["periode"] = pd.Categorical.from_codes(q_now, dtype=periode.dtype)
        part["periode_sesudah"] = pd.Categorical.from_codes(q_now + 1, dtype=periode.dtype)
        part["sumber"] = sumber
        part["umpan_balik"] = texts[text_u].to_numpy(dtype=object)
        part["sebelum"] = sebelum
        part["sesudah"] = sesudah
        part["membaik"] = sesudah > sebelum
        parts.append(part)
    if not parts:
        return empty
    out = pd.concat(parts, ignore_index=True)
    out["sumber"] = pd.Categorical(out["sumber"], categories=[s for s, _ in _SOURCES])
    out["umpan_balik"] = out["umpan_balik"].astype("str")
    out = out.sort_values(["kode_opd", "nip", "periode", "sumber"], kind="stable")
    return out.reset_index(drop=True)[_FEEDBACK_COLUMNS]


def feedback_summary(improved: pd.DataFrame) -> pd.DataFrame:
    """Count negative feedback and later improvement per OPD.

    Parameters
    ----------
    improved : DataFrame
        The output of :func:`improved_after_feedback`.

    Returns
    -------
    DataFrame
        One row per ``kode_opd`` with feedback: ``n_umpan_balik_negatif``, ``n_membaik`` and
        ``porsi_membaik`` (their share, 0–1).
    """
    if improved.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _SUMMARY_COLUMNS})
    grouped = improved.groupby("kode_opd", observed=True, sort=True)["membaik"]
    out = grouped.agg(n_umpan_balik_negatif="size", n_membaik="sum").reset_index()
    out["n_membaik"] = out["n_membaik"].astype(np.int64)
    out["n_umpan_balik_negatif"] = out["n_umpan_balik_negatif"].astype(np.int64)
    out["porsi_membaik"] = (out["n_membaik"] / out["n_umpan_balik_negatif"]).round(4)
    return out[_SUMMARY_COLUMNS]
