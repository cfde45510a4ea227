"""Writing scored results as an Excel workbook that evaluators read and print.

The workbook has the results (one row per employee), a summary per OPD, the distribution curve,
IKM per service unit, the ``kolom`` sheet (each header beside the column name of ``hasil.parquet``
and its meaning) and ``tentang`` (data folder, scheme and version, period, when, by what). Headers,
formats, colours and print set-up come from :mod:`asn_eval.columns` through
:func:`asn_eval.spreadsheet.people_workbook`; ``hasil.parquet`` keeps the contract's names.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from asn_eval.columns import Column
from asn_eval.input.contract import TABLES
from asn_eval.scoring.score import rating_gap
from asn_eval.spreadsheet import people_workbook

__all__ = ["HASIL_DETAIL", "opd_summary", "write_results_workbook"]

#: Columns of the ``hasil`` sheet folded away (one click opens them): the period and scheme (the
#: same on every row, named on ``tentang``), counts behind the ratings, the suggested and given
#: ratings beside the one used, and attendance details. The 14 left fit an A4 landscape page
#: at a legible size.
HASIL_DETAIL = frozenset(
    {
        "periode",
        "skema",
        "n_rhk",
        "n_indikator",
        "rating_hasil_kerja_saran",
        "rating_hasil_kerja_diberikan",
        "n_penilai",
        "rating_perilaku_saran",
        "rating_perilaku_diberikan",
        "predikat_diberikan",
        "terlambat_menit",
        "tanpa_keterangan",
    }
)


def opd_summary(hasil: pd.DataFrame, curve: pd.DataFrame | None = None) -> pd.DataFrame:
    """Summarise scored results per OPD.

    Parameters
    ----------
    hasil : DataFrame
        Scored results (:func:`asn_eval.score`).
    curve : DataFrame, optional
        The curve check (:func:`asn_eval.scoring.curve.check_curve`), to add its verdict.

    Returns
    -------
    DataFrame
        One row per OPD: ``n_pegawai``, ``n_tanpa_predikat``, a count per predikat,
        ``porsi_tertinggi`` (share with the best label), mean ``capaian`` and ``skor_perilaku``,
        ``n_rating_berbeda`` (given and suggested rating hasil kerja differ), and the curve verdict.
    """
    labels = list(reversed(hasil["predikat"].cat.categories))
    opd = hasil["kode_opd"].astype("str")
    counts = pd.crosstab(opd, hasil["predikat"]).reindex(columns=labels, fill_value=0)
    differs = rating_gap(hasil) >= 1
    grouped = hasil.assign(kode_opd=opd, berbeda=differs).groupby("kode_opd")
    summary = pd.DataFrame(
        {
            "n_pegawai": grouped.size(),
            "n_tanpa_predikat": grouped["predikat"].apply(lambda s: int(s.isna().sum())),
            "capaian": grouped["capaian"].mean().round(1),
            "skor_perilaku": grouped["skor_perilaku"].mean().round(2),
            "n_rating_berbeda": grouped["berbeda"].sum().astype(int),
        }
    )
    summary = summary.join(counts.rename(columns=str)).fillna({label: 0 for label in labels})
    rated = counts.sum(axis=1).reindex(summary.index).replace(0, pd.NA)
    summary["porsi_tertinggi"] = (counts[labels[0]].reindex(summary.index) / rated).astype(float)
    summary["porsi_tertinggi"] = summary["porsi_tertinggi"].round(4)
    if curve is not None and len(curve):
        verdict = curve.set_index("kode_opd")[["predikat_organisasi", "melanggar", "pelanggaran"]]
        summary = summary.join(verdict)
    return summary.reset_index()


def _ikm_columns() -> dict[str, Column]:
    """Return the IKM element columns ``nrr_u1`` … ``nrr_u9``, named as the input contract does."""
    found = {}
    for spec in TABLES["survei"].columns:
        if spec.name.startswith("u") and spec.name[1:].isdigit():
            element = next(
                (a for a in spec.aliases if a.startswith(f"U{spec.name[1:]} ")), spec.name
            )
            found[f"nrr_{spec.name}"] = Column(
                f"nrr_{spec.name}",
                f"NRR {element}",
                "skor",
                f"nilai rata-rata jawaban unsur {element} (1–4)",
            )
    return found


def write_results_workbook(
    path: Path,
    hasil: pd.DataFrame,
    *,
    summary: pd.DataFrame,
    curve: pd.DataFrame,
    ikm_table: pd.DataFrame,
    about: Sequence[tuple[str, str]],
    title: str = "Hasil penilaian kinerja pegawai",
    zona: str = "WIB",
) -> None:
    """Write scored results and their summaries to one ``.xlsx`` file for people.

    Parameters
    ----------
    path : Path
        The workbook to write (written in place; callers stage it for atomic replacement).
    hasil : DataFrame
        Scored results (contract column names; shown under Indonesian headers).
    summary : DataFrame
        Per-OPD summary (:func:`opd_summary`).
    curve : DataFrame
        Distribution-curve check (no sheet when empty).
    ikm_table : DataFrame
        IKM per OPD and service unit (no sheet when empty).
    about : sequence of (str, str)
        Lines of the ``tentang`` sheet (:func:`asn_eval.spreadsheet.about_rows`).
    title : str
        Printed at the top of every page.
    zona : {"WIB", "WITA", "WIT"}
        The city's time zone.
    """
    labels = [str(c) for c in hasil["predikat"].cat.categories]
    with people_workbook(
        path, title, about=about, zona=zona, labels=labels, extra=_ikm_columns()
    ) as book:
        book.table("hasil", hasil, freeze_cols=2, detail=HASIL_DETAIL)
        book.table("ringkasan_opd", summary, freeze_cols=1)
        if len(curve):
            book.table("kurva", curve, freeze_cols=1)
        if len(ikm_table):
            book.table("ikm", ikm_table, freeze_cols=2)
