"""Writing scored results as an Excel workbook that people can read.

The workbook has the results (frozen header and identity columns, filters, sensible widths, NIPs as
text, predikat and levels coloured in tones that stay distinct when printed in grey), a summary per
OPD, the distribution curve, IKM per service unit, and a sheet saying how it was made.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from asn_eval.scoring.score import rating_gap
from asn_eval.spreadsheet import excel_writer

__all__ = ["opd_summary", "write_results_workbook"]

# Fill colours from light to dark, so that greyscale prints keep the order (best lightest).
_PREDIKAT_FILL = {
    "Sangat Baik": "#C6EFCE",
    "Baik": "#E2EFDA",
    "Cukup": "#FFF2CC",
    "Butuh Perbaikan": "#FFE699",
    "Kurang/Misconduct": "#F4B183",
    "Kurang": "#F4B183",
    "Sangat Kurang": "#C65911",
    "Buruk": "#C65911",
}
_LEVEL_FILL = {
    "Di Atas Ekspektasi": "#C6EFCE",
    "Sesuai Ekspektasi": "#F2F2F2",
    "Di Bawah Ekspektasi": "#F4B183",
}


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


def _width(series: pd.Series, header: str) -> int:
    sample = series.head(500).astype("str")
    longest = max([len(header), *sample.str.len().fillna(0).astype(int).tolist()], default=8)
    return int(min(max(longest + 2, 8), 60))


def _write_sheet(writer: pd.ExcelWriter, name: str, frame: pd.DataFrame, freeze_cols: int) -> None:
    frame = frame.copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype) or column in ("nip",):
            frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
    frame.to_excel(writer, sheet_name=name, index=False)
    book = writer.book
    sheet = writer.sheets[name]
    header = book.add_format(
        {"bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "valign": "top", "border": 1}
    )
    text = book.add_format({"num_format": "@"})
    for i, column in enumerate(frame.columns):
        sheet.write(0, i, column, header)
        cell_format = text if column in ("nip",) else None
        sheet.set_column(i, i, _width(frame[column], str(column)), cell_format)
    sheet.freeze_panes(1, freeze_cols)
    if len(frame):
        sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    for column in frame.columns:
        fills = (
            _PREDIKAT_FILL
            if "predikat" in column
            else (_LEVEL_FILL if column.startswith("rating_") else None)
        )
        if not fills or not len(frame):
            continue
        i = frame.columns.get_loc(column)
        for value, colour in fills.items():
            fmt = book.add_format({"bg_color": colour})
            sheet.conditional_format(
                1,
                i,
                len(frame),
                i,
                {"type": "cell", "criteria": "==", "value": f'"{value}"', "format": fmt},
            )


def write_results_workbook(
    path: Path,
    hasil: pd.DataFrame,
    *,
    summary: pd.DataFrame,
    curve: pd.DataFrame,
    ikm_table: pd.DataFrame,
    about: dict[str, str],
) -> None:
    """Write scored results and their summaries to one ``.xlsx`` file.

    Parameters
    ----------
    path : Path
        The workbook to write (written in place; callers stage it for atomic replacement).
    hasil : DataFrame
        Scored results.
    summary : DataFrame
        Per-OPD summary (:func:`opd_summary`).
    curve : DataFrame
        Distribution-curve check.
    ikm_table : DataFrame
        IKM per OPD and service unit.
    about : dict
        Lines for the "tentang" sheet (scheme, period, source, time).
    """
    with excel_writer(path) as writer:
        _write_sheet(writer, "hasil", hasil, freeze_cols=2)
        _write_sheet(writer, "ringkasan_opd", summary, freeze_cols=1)
        if len(curve):
            _write_sheet(writer, "kurva", curve, freeze_cols=1)
        if len(ikm_table):
            _write_sheet(writer, "ikm", ikm_table, freeze_cols=2)
        about_frame = pd.DataFrame({"keterangan": list(about), "isi": list(about.values())})
        _write_sheet(writer, "tentang", about_frame, freeze_cols=0)
