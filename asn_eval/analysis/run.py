"""Every analysis a fair evaluation needs, for one period, in one call: ``analyze``.

Each analysis is a function of its own module, on tidy frames (:mod:`~asn_eval.analysis.fairness`
for raters and agreement, :mod:`~asn_eval.analysis.development` for training, recognition and the
9-box, :mod:`~asn_eval.analysis.trends` for movement between quarters,
:mod:`~asn_eval.analysis.service` for public satisfaction and the activity log). This module runs
them together on one period scored once (:class:`~asn_eval.scoring.score.Scored`), names what
they found in plain Indonesian (:func:`findings`), and writes the tables (:func:`write_analysis`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from asn_eval.analysis import fairness, service, trends
from asn_eval.analysis.development import (
    nine_box,
    recognition,
    training_needs,
    training_plan,
)
from asn_eval.atomic import discard, move_into, staging_folder, writing
from asn_eval.city_profile import CityProfile, load_profile
from asn_eval.formatting import number
from asn_eval.scoring.ikm import POOR_GRADES
from asn_eval.scoring.score import Scored, rating_gap
from asn_eval.spreadsheet import about_rows, people_workbook

__all__ = [
    "AGENCY_TABLES",
    "TABLES",
    "agency_tables",
    "analyze",
    "contradictions",
    "findings",
    "in_order",
    "write_analysis",
]

TABLES = {
    "penilai": "kecenderungan tiap penilai (lunak, keras, wajar) dengan selang kepercayaan",
    "penilai_sentral": "penilai yang memberi semua orang skor yang sama",
    "sumber_penilai": "skor diri, atasan, rekan, bawahan dan selisihnya per pegawai",
    "sumber_penilai_opd": "selisih sumber penilai rata-rata per OPD",
    "atasan": "per atasan: rating hasil kerja yang berbeda atau bertentangan dengan indikator",
    "bertentangan": "pegawai yang rating hasil kerjanya berbeda dua tingkat dari indikator",
    "kesepakatan": "kesepakatan antarpenilai per OPD (alfa Krippendorff, ordinal)",
    "kurva": "sebaran predikat per OPD terhadap kurva, dan berapa pegawai harus berpindah",
    "pelatihan": "kebutuhan pelatihan per pegawai",
    "rencana_pelatihan": "kebutuhan pelatihan per OPD dan program",
    "penghargaan": "kandidat penghargaan atau promosi dengan buktinya",
    "sembilan_kotak": "kotak 3 × 3 hasil kerja terhadap perilaku per pegawai",
    "tren_pegawai": "perubahan antartriwulan per pegawai",
    "tren_opd": "perubahan antartriwulan per OPD",
    "umpan_balik": "umpan balik negatif dan apakah pegawai membaik sesudahnya",
    "umpan_balik_opd": "ringkasan umpan balik negatif per OPD",
    "ikm_pelayanan": "IKM per unit layanan di samping skor Berorientasi Pelayanan stafnya",
    "aktivitas_opd": "log aktivitas harian per OPD: hari dilaporkan, persetujuan, antrean",
}
"""The tables :func:`analyze` returns, with what each holds (also the file names written)."""


def contradictions(scored: dict[str, pd.DataFrame], pegawai: pd.DataFrame) -> pd.DataFrame:
    """Employees whose given rating hasil kerja is two levels from what the indicators say.

    Parameters
    ----------
    scored : dict of str to DataFrame
        Scored results per period (e.g. the year and each of its quarters).
    pegawai : DataFrame
        For the supervisor (``nip_atasan``).

    Returns
    -------
    DataFrame
        ``nip``, ``nama``, ``kode_opd``, ``periode``, ``nip_atasan``, the given and suggested
        ratings, ``capaian``; one row per employee and period.
    """
    rows = [hasil[rating_gap(hasil) == 2] for hasil in scored.values()]
    columns = ["nip", "nama", "kode_opd", "periode", "rating_hasil_kerja_diberikan"]
    columns += ["rating_hasil_kerja_saran", "capaian"]
    found = pd.concat(rows, ignore_index=True)[columns] if rows else pd.DataFrame(columns=columns)
    found = found.assign(nip=found["nip"].astype("str"), kode_opd=found["kode_opd"].astype("str"))
    supervisors = pegawai.assign(nip=pegawai["nip"].astype("str"))
    if "nip_atasan" in supervisors:
        atasan = supervisors.set_index("nip")["nip_atasan"].astype("str")
        found.insert(4, "nip_atasan", found["nip"].map(atasan))
    return found.sort_values(["periode", "kode_opd", "nip"], ignore_index=True)


def analyze(
    scored: Scored,
    *,
    training_map: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """Run every analysis for one scored period.

    Parameters
    ----------
    scored : Scored
        The period scored once (:func:`asn_eval.scoring.score.evaluate`): its results, evidence
        and curve check are used as they are. For a year, each of its quarters in the data is
        scored once too (trends, recognition, contradictions in any quarter); a dataset that
        evaluates only yearly has no quarters, and the tables about them are empty.
    training_map : DataFrame, optional
        Weakness → programme table (:func:`asn_eval.analysis.development.read_training_map`).

    Returns
    -------
    dict of str to DataFrame
        One tidy table per entry of :data:`TABLES`.
    """
    data, periode = scored.data, scored.periode
    across = {
        "penilai": fairness.rater_tendency(data, periode),
        "penilai_sentral": fairness.central_tendency(data, periode),
        "atasan": fairness.supervisor_disagreement(scored.hasil, data.pegawai),
        "ikm_pelayanan": service.ikm_vs_service(data, periode),
    }
    return in_order(agency_tables(scored, training_map=training_map), across)


AGENCY_TABLES = (
    "sumber_penilai",
    "bertentangan",
    "kesepakatan",
    "kurva",
    "pelatihan",
    "penghargaan",
    "sembilan_kotak",
    "tren_pegawai",
    "tren_opd",
    "umpan_balik",
    "aktivitas_opd",
)
"""Tables whose rows each read one agency's data: a dataset split by agency gives them in parts.

The others need more than one agency: ``penilai`` and ``penilai_sentral`` (raters score people
of other OPDs), ``atasan`` (a supervisor may sit in another OPD) and ``ikm_pelayanan`` (the
median over OPDs); ``sumber_penilai_opd``, ``rencana_pelatihan`` and ``umpan_balik_opd`` sum
per-agency tables per OPD (:func:`in_order`)."""


def agency_tables(
    scored: Scored, *, training_map: pd.DataFrame | None = None, part: bool = False
) -> dict[str, pd.DataFrame]:
    """Compute the tables of :data:`AGENCY_TABLES` for one scored period.

    Parameters
    ----------
    scored : Scored
        As for :func:`analyze`: of a whole dataset, or of a part holding whole agencies (the
        tables of the parts are then the whole's rows, agency by agency).
    training_map : DataFrame, optional
        As for :func:`analyze`.
    part : bool, default False
        ``scored`` is a part: ``aktivitas_opd`` has a row for each of its OPDs even without an
        entry in the period (the whole's table is empty only when no part has one).

    Returns
    -------
    dict of str to DataFrame
        One table per entry of :data:`AGENCY_TABLES`.
    """
    data, periode, scheme, hasil = scored.data, scored.periode, scored.skema, scored.hasil
    quarters = scored.quarter_results()
    scored_periods = {q: s.hasil for q, s in quarters.items()}
    if periode in data.periodes:  # a year built from its quarters rates nobody again
        scored_periods = {periode: hasil, **scored_periods}
    frames = [s.hasil for s in quarters.values()]
    quarterly = pd.concat(frames, ignore_index=True) if frames else hasil.iloc[0:0]
    # Progress: a quarter is compared with the earlier quarters of its year (trends.year_to_date).
    history = trends.quarterly_scores(scored)
    return {
        "sumber_penilai": fairness.source_gaps(data, periode),
        "bertentangan": contradictions(scored_periods, data.pegawai),
        "kesepakatan": fairness.agreement(data, periode),
        "kurva": scored.kurva,
        "pelatihan": training_needs(scored.evidence, hasil, scheme, training_map),
        "penghargaan": recognition(hasil, quarterly, scored.evidence, scheme),
        "sembilan_kotak": nine_box(hasil, scheme),
        "tren_pegawai": trends.employee_trends(history),
        "tren_opd": trends.opd_trends(history),
        "umpan_balik": trends.improved_after_feedback(data, history),
        "aktivitas_opd": service.activity_by_opd(data, periode, every_opd=part),
    }


def in_order(
    agency: dict[str, pd.DataFrame], across: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """Put the tables of :func:`analyze` together in the order of :data:`TABLES`.

    Parameters
    ----------
    agency : dict of str to DataFrame
        :func:`agency_tables` (of the whole dataset, or its parts' tables put together).
    across : dict of str to DataFrame
        ``penilai``, ``penilai_sentral``, ``atasan`` and ``ikm_pelayanan``.

    Returns
    -------
    dict of str to DataFrame
        Every table of :data:`TABLES`; the per-OPD summaries of per-agency tables are made here.
    """
    found = {
        **agency,
        **across,
        "sumber_penilai_opd": fairness.source_gaps_by_opd(agency["sumber_penilai"]),
        "rencana_pelatihan": training_plan(agency["pelatihan"]),
        "umpan_balik_opd": trends.feedback_summary(agency["umpan_balik"]),
    }
    return {name: found[name] for name in TABLES}


def findings(results: dict[str, pd.DataFrame], *, named: bool = True) -> list[str]:
    """Say in plain Indonesian what the analyses flag, most important first.

    Parameters
    ----------
    results : dict of str to DataFrame
        :func:`analyze`.
    named : bool, default True
        Name raters by NIP; False counts them per OPD instead (for a city-wide document that
        must hold no NIP).

    Returns
    -------
    list of str
        One sentence per finding; empty when nothing needs a second look.
    """
    said = []
    raters = results["penilai"]
    for kind, word in (("lunak", "terlalu lunak"), ("keras", "terlalu keras")):
        found = raters[raters["kecenderungan"] == kind]
        if not named:
            if len(found):
                per_opd = found["kode_opd"].astype("str").value_counts().sort_index()
                where = ", ".join(f"{opd} {n}" for opd, n in per_opd.items())
                said.append(f"{len(found)} penilai {word} ({where}).")
            continue
        for row in found.itertuples():
            said.append(
                f"Penilai {row.nip_penilai} ({row.kode_opd}) {word}: "
                f"{number(row.estimasi, 2, sign=True)} poin "
                f"(selang {number(row.batas_bawah, 2, sign=True)} "
                f"s.d. {number(row.batas_atas, 2, sign=True)}) atas "
                f"{row.n_dinilai} orang yang dinilai."
            )
    central = results["penilai_sentral"]
    flat = central[central["sentral"]]
    if not named and len(flat):
        said.append(f"{len(flat)} penilai memberi semua orang yang dinilainya skor yang sama.")
    for row in flat.itertuples() if named else ():
        said.append(f"Penilai {row.nip_penilai} memberi {row.n_dinilai} orang skor yang sama.")
    kurva = results["kurva"]
    if len(kurva):
        for row in kurva[kurva["melanggar"]].itertuples():
            said.append(
                f"{row.kode_opd} melampaui kurva predikat {row.predikat_organisasi}: "
                f"{row.pelanggaran}; paling sedikit {row.min_pindah} pegawai harus berpindah."
            )
    contradicted = results["bertentangan"]
    if len(contradicted):
        periods = ", ".join(sorted(contradicted["periode"].astype("str").unique()))
        said.append(
            f"{len(contradicted)} rating hasil kerja bertentangan dengan indikatornya "
            f"(beda dua tingkat) pada {periods}."
        )
    supervisors = results["atasan"]
    flagged = supervisors[supervisors["menonjol"]] if len(supervisors) else supervisors
    if len(flagged):
        said.append(f"{len(flagged)} atasan memberi rating yang menonjol berbeda dari indikator.")
    service = results["ikm_pelayanan"]
    if len(service):
        poor = service[service["mutu"].astype("str").isin(POOR_GRADES)]
        for row in poor.itertuples():
            note = f"; {row.catatan}" if getattr(row, "catatan", "") else ""
            said.append(
                f"Unit layanan {row.unit_layanan} ({row.kode_opd}) IKM "
                f"{number(row.ikm, 2)}, mutu {row.mutu}{note}."
            )
    return said


NOTHING_FOUND = "Tidak ada yang perlu ditinjau ulang."
"""The ``temuan`` sheet's one line when nothing was found."""


def _sheet_name(name: str) -> str:
    return name[:31]


def write_analysis(
    results: dict[str, pd.DataFrame],
    out: str | os.PathLike[str],
    *,
    scored: Scored | None = None,
    profil: CityProfile | None = None,
    workbook: bool = True,
) -> list[Path]:
    """Write each table as Parquet and all of them in one workbook for people, atomically.

    Parameters
    ----------
    results : dict of str to DataFrame
        :func:`analyze`.
    out : path
        Folder (created if needed). ``<table>.parquet`` per table (the package's column names),
        ``analisis.xlsx`` with a first sheet ``temuan`` (the findings), ``isi`` (what each table
        holds), a sheet per table under Indonesian headers, ``kolom`` (header ↔ column name) and
        ``tentang``. Files appear only when all are complete.
    scored : Scored, optional
        The period analysed: names the data folder, period and scheme on ``tentang``.
    profil : CityProfile, optional
        The city's profile (read from the data folder when omitted): the government in the page
        header, the time zone of the time made.
    workbook : bool, default True
        Also write ``analisis.xlsx``. Without it (national data: the workbook of millions of
        rows takes longer than the analysis), an ``analisis.xlsx`` an earlier run left in
        ``out`` is removed: it would show other results beside these.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    WriteError
        When a file cannot be written (disk full, no permission…): the message names it, and
        ``out`` is as it was.
    """
    out = Path(out)
    if profil is None and scored is not None:
        profil = load_profile(scored.data.source)
    about = about_rows(
        data=scored.data.source if scored is not None else None,
        periode=scored.periode if scored is not None else None,
        skema=scored.skema if scored is not None else None,
        profil=profil,
    )
    title = "Analisis penilaian kinerja" + (f" {scored.periode}" if scored is not None else "")
    if profil is not None:
        title += f" · {profil.pemerintah}"
    labels = [str(c) for c in scored.hasil["predikat"].cat.categories] if scored else []
    with staging_folder(out, prefix=".tmp-analisis-") as staging:
        names = []
        for name, frame in results.items():
            with writing(staging / f"{name}.parquet") as path:
                frame.to_parquet(path, index=False)
            names.append(f"{name}.parquet")
        said = findings(results)
        contents = pd.DataFrame(
            {
                "tabel": [_sheet_name(name) for name in TABLES],
                "isi": list(TABLES.values()),
                "baris": [len(results[name]) if name in results else 0 for name in TABLES],
            }
        )
        if not workbook:
            discard(out, ["analisis.xlsx"])
            return move_into(staging, out, names)
        with (
            writing(staging / "analisis.xlsx") as path,
            people_workbook(
                path,
                title,
                about=about,
                zona=profil.zona_waktu if profil is not None else "WIB",
                labels=labels,
            ) as book,
        ):
            book.table("temuan", pd.DataFrame({"temuan": said or [NOTHING_FOUND]}))
            book.table("isi", contents)
            for name, frame in results.items():
                book.table(_sheet_name(name), frame, freeze_cols=_identity_columns(frame))
        names.append("analisis.xlsx")
        return move_into(staging, out, names)


def _identity_columns(frame: pd.DataFrame) -> int:
    """How many leading columns say who or what a row is (kept in view when scrolling)."""
    count = 0
    for name in frame.columns:
        if name not in ("nip", "nama", "nip_penilai", "nip_atasan", "kode_opd", "unit_layanan"):
            break
        count += 1
    return count
