"""What an agency report and the city overview say: sections built from scored results.

A notebook in ``notebooks/`` holds the narrative order and calls one method per section; every
figure, table, sentence and threshold comes from here, so the report, the overview and the app
cannot disagree. A section is a small displayable object: in JupyterLab, in the HTML and PDF
reports and in the slides it renders as the same HTML (headings, figures embedded as PNG).

Scoring is done once per batch: :class:`CityResults` scores the whole city and can be saved to a
folder that every report of the batch opens (``batch`` parameter of the notebooks). A notebook run
on its own, without a batch folder, scores by itself.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from asn_eval import figures
from asn_eval.analysis import analyze, findings
from asn_eval.anonymity import Pseudonyms
from asn_eval.curve import check_curve
from asn_eval.dataset import Dataset, load
from asn_eval.development import (
    coaching_candidates,
    recognition_candidates,
    training_needs,
    training_plan,
)
from asn_eval.formatting import number as _number
from asn_eval.formatting import percent as _percent
from asn_eval.ikm import MUTU
from asn_eval.ikm import ikm as ikm_table
from asn_eval.periode import parse_periode, periode_mask
from asn_eval.scheme import Scheme, load_scheme
from asn_eval.scoring import ROLES, VALUES, gather_evidence, rating_gap, score
from asn_eval.workbook import opd_summary

__all__ = [
    "NATIONAL_SHARES",
    "AgencyReport",
    "CityOverview",
    "CityResults",
    "Section",
    "agency_codes",
    "employee_names",
    "has_evidence",
    "text",
]

NATIONAL_SHARES = {
    "Sangat Baik": 0.1127,
    "Baik": 0.8846,
    "Butuh Perbaikan": 0.0011,
    "Kurang/Misconduct": 0.0006,
    "Sangat Kurang": 0.0010,
}
"""Predikat shares in the national e-Kinerja tabulation 2022–2024 (DOMAIN.md §2, [soft])."""

IKM_LINES = [(low, f"batas {grade}") for grade, _, low in MUTU[:3]]
"""Lowest IKM of grades A, B and C (DOMAIN.md §5), drawn on the IKM figures."""

MAX_ROWS = 15
"""Longest list of employees a report section prints (the rest are counted)."""

# One entry per sentence or label: (Bahasa Indonesia, English).
_TEXT: dict[str, tuple[str, str]] = {
    "ringkasan": ("Ringkasan", "Summary"),
    "kosong": (
        "{opd} tidak memiliki pegawai dengan data untuk periode {periode}: tidak ada yang dinilai.",
        "{opd} has no employees with data for period {periode}: nothing was scored.",
    ),
    "lead": (
        "Periode {periode}, skema {skema}. {n} pegawai, {rated} mendapat predikat.",
        "Period {periode}, scheme {skema}. {n} employees, {rated} with a predikat.",
    ),
    "pegawai": ("Pegawai", "Employees"),
    "berpredikat": ("Berpredikat", "With predikat"),
    "capaian": ("Capaian rata-rata", "Mean achievement"),
    "skor_perilaku": ("Skor perilaku rata-rata", "Mean behaviour score"),
    "kehadiran": ("Kehadiran rata-rata", "Mean attendance"),
    "ikm": ("IKM", "IKM (public satisfaction)"),
    "predikat_organisasi": ("Predikat organisasi", "Organisation predikat"),
    "kurva": ("Kurva distribusi", "Distribution curve"),
    "kurva_ok": ("sesuai", "complies"),
    "kurva_langgar": ("melanggar: {why}", "breached: {why}"),
    "rating_bertentangan": ("Rating bertentangan dengan bukti", "Ratings contradicting evidence"),
    "distribusi": ("Distribusi predikat dan kurva organisasi", "Predikat distribution and curve"),
    "distribusi_teks": (
        "Predikat organisasi {org}. {verdict}",
        "Organisation predikat {org}. {verdict}",
    ),
    "tanpa_org": (
        "Predikat organisasi tidak tercatat, jadi kurva tidak diperiksa.",
        "No organisation predikat recorded, so the curve is not checked.",
    ),
    "kurva_sesuai": (
        "Sebaran predikat pegawai sesuai kurva.",
        "The employees' predikat shares comply with the curve.",
    ),
    "kurva_pindah": (
        "Kurva terlampaui ({why}); paling sedikit {k} pegawai harus berpindah predikat "
        "agar sesuai.",
        "Curve breached ({why}); at least {k} employees would have to change predikat to comply.",
    ),
    "porsi": ("Porsi pegawai", "Share of employees"),
    "predikat": ("Predikat", "Predikat"),
    "opd_ini": ("OPD ini", "This agency"),
    "kota": ("Kota", "City"),
    "nasional": ("Nasional 2022–2024", "National 2022–2024"),
    "batas_maks": ("batas paling banyak (kurva)", "curve maximum"),
    "batas_min": ("batas paling sedikit (kurva)", "curve minimum"),
    "jumlah": ("Jumlah", "Count"),
    "unit_jabatan": ("Unit kerja dan jenis jabatan", "Units and positions"),
    "unit_kerja": ("Unit kerja", "Unit"),
    "jenis_jabatan": ("Jenis jabatan", "Position type"),
    "jabatan": ("Jabatan", "Position"),
    "unit_teks": (
        "Sebaran predikat menurut unit kerja dan jenis jabatan (porsi pegawai berpredikat).",
        "Predikat shares by unit and position type (employees with a predikat).",
    ),
    "indikator": ("Indikator kinerja: tercapai dan tidak", "Indicators: met and missed"),
    "indikator_teks": (
        "{n} indikator dari {emp} pegawai; {hit} ({hit_pct}) mencapai target, {low} di bawah "
        "{limit} % (batas Sesuai Ekspektasi), {unrep} belum dilaporkan realisasinya.",
        "{n} indicators of {emp} employees; {hit} ({hit_pct}) met target, {low} below "
        "{limit} % (the meets-expectation boundary), {unrep} with no realisation reported.",
    ),
    "tanpa_indikator": ("Tidak ada indikator SKP untuk periode ini.", "No SKP indicators."),
    "aspek": ("Aspek", "Aspect"),
    "n_indikator": ("Indikator", "Indicators"),
    "tercapai": ("Mencapai target", "Met target"),
    "terendah": ("Indikator dengan capaian terendah", "Indicators with the lowest achievement"),
    "tertinggi": ("Indikator dengan capaian tertinggi", "Indicators with the highest achievement"),
    "nama": ("Nama", "Name"),
    "nip": ("NIP", "NIP"),
    "rhk": ("Rencana hasil kerja", "Planned result (RHK)"),
    "indikator_kolom": ("Indikator", "Indicator"),
    "target": ("Target", "Target"),
    "realisasi": ("Realisasi", "Realisation"),
    "capaian_kolom": ("Capaian %", "Achievement %"),
    "perilaku": ("Profil perilaku kerja (BerAKHLAK)", "Behaviour profile (BerAKHLAK)"),
    "perilaku_teks": (
        "Rata-rata skor 1–5 per nilai inti dan peran penilai, dari {n} baris penilaian. "
        "Terkuat: {best}; terlemah: {worst}.",
        "Mean 1–5 score per core value and rater role, from {n} rating rows. "
        "Strongest: {best}; weakest: {worst}.",
    ),
    "tanpa_perilaku": ("Tidak ada penilaian perilaku.", "No behaviour ratings."),
    "nilai_inti": ("Nilai inti", "Core value"),
    "peran_penilai": ("Peran penilai", "Rater role"),
    "disiplin": ("Kehadiran dan disiplin", "Attendance and discipline"),
    "disiplin_teks": (
        "Kehadiran rata-rata {mean}; {tk} hari tanpa keterangan pada {tk_emp} pegawai; "
        "rata-rata terlambat {late} menit per pegawai.",
        "Mean attendance {mean}; {tk} days absent without notice by {tk_emp} employees; "
        "on average {late} minutes late per employee.",
    ),
    "tanpa_kehadiran": ("Tidak ada data kehadiran.", "No attendance data."),
    "persen_hadir": ("Kehadiran (%)", "Attendance (%)"),
    "tanpa_keterangan": ("Tanpa keterangan (hari)", "Absent without notice (days)"),
    "terlambat": ("Terlambat (menit)", "Late (minutes)"),
    "ikm_judul": ("Kepuasan masyarakat (IKM) per unit layanan", "Public satisfaction (IKM)"),
    "ikm_teks": (
        "{n} unit layanan, {resp} responden. Mutu A ≥ 88,31; B ≥ 76,61; C ≥ 65; D di bawahnya.",
        "{n} service units, {resp} respondents. Grade A ≥ 88.31; B ≥ 76.61; C ≥ 65; D below.",
    ),
    "ikm_buruk": (
        "Perlu perhatian: {units} (mutu {grades}).",
        "Needs attention: {units} (grade {grades}).",
    ),
    "tanpa_ikm": (
        "Tidak ada survei kepuasan masyarakat untuk OPD ini pada periode ini.",
        "No public-satisfaction survey for this agency in this period.",
    ),
    "unit_layanan": ("Unit layanan", "Service unit"),
    "responden": ("Responden", "Respondents"),
    "mutu": ("Mutu", "Grade"),
    "selisih": ("Rating yang tidak sejalan dengan bukti", "Ratings that disagree with evidence"),
    "selisih_teks": (
        "Dari {both} pegawai yang punya rating atasan dan saran indikator: {same} sama, {one} "
        "berbeda satu tingkat (wajar sebagai sebaran), {two} berbeda dua tingkat "
        "(bertentangan: dibahas di forum). Predikat resmi berbeda dari hitungan: {official}.",
        "Of {both} employees with both a given rating and an indicator suggestion: {same} "
        "agree, {one} differ by one level (a distribution, not an alarm), {two} differ by two "
        "levels (contradictions for the forum). Official predikat differs from computed: "
        "{official}.",
    ),
    "diberikan": ("Rating diberikan", "Given rating"),
    "saran": ("Saran indikator", "Suggested by indicators"),
    "umpan_balik": ("Contoh umpan balik", "Examples of feedback"),
    "umpan_balik_teks": (
        "{n} umpan balik tertulis pada periode ini; yang paling sering:",
        "{n} written feedback notes in this period; the most frequent:",
    ),
    "tanpa_umpan_balik": ("Tidak ada umpan balik tertulis.", "No written feedback."),
    "tentang": ("Tentang", "About"),
    "kali": ("Kali", "Times"),
    "tindak_lanjut": ("Tindak lanjut", "Follow-up"),
    "penghargaan": ("Kandidat penghargaan", "Candidates for recognition"),
    "penghargaan_teks": (
        "{n} pegawai berpredikat {top} dengan capaian ≥ {h} % dan skor perilaku ≥ {p}.",
        "{n} employees with {top}, achievement ≥ {h} % and behaviour score ≥ {p}.",
    ),
    "penghargaan_tahun_teks": (
        "{n} pegawai berpredikat {top} di setiap triwulan, dengan capaian ≥ {h} % dan skor "
        "perilaku ≥ {p} dari paling sedikit dua sumber penilai selain diri sendiri.",
        "{n} employees with {top} in every quarter, achievement ≥ {h} % and behaviour ≥ {p} "
        "from at least two kinds of rater besides themselves.",
    ),
    "kebutuhan": ("Kebutuhan", "Weaknesses"),
    "pembinaan": ("Perlu pembinaan", "Coaching"),
    "pembinaan_teks": (
        "{n} pegawai berpredikat di bawah {second}.",
        "{n} employees below {second}.",
    ),
    "pelatihan": ("Kebutuhan pelatihan", "Training needs"),
    "pelatihan_teks": (
        "Nilai inti dengan skor di bawah {p} dan aspek indikator dengan capaian di bawah {h} %, "
        "dipetakan ke program pelatihan (tabel pemetaan dapat diubah).",
        "Core values scored below {p} and indicator aspects below {h} %, mapped to training "
        "programmes (the mapping table is editable).",
    ),
    "program": ("Program", "Programme"),
    "bukti": ("Bukti", "Evidence"),
    "dan_lainnya": ("… dan {n} lainnya.", "… and {n} more."),
    "tidak_ada": ("Tidak ada.", "None."),
    "ikhtisar": ("Ikhtisar kota", "City overview"),
    "ikhtisar_teks": (
        "Periode {periode}, skema {skema}. {n_opd} OPD, {n} pegawai, {rated} berpredikat.",
        "Period {periode}, scheme {skema}. {n_opd} agencies, {n} employees, {rated} with predikat.",
    ),
    "peringkat": ("Peringkat OPD", "Agency ranking"),
    "peringkat_teks": (
        "OPD diurutkan menurut capaian rata-rata. Porsi Sangat Baik nasional: {nat}.",
        "Agencies ordered by mean achievement. National Sangat Baik share: {nat}.",
    ),
    "opd": ("OPD", "Agency"),
    "porsi_tertinggi": ("Porsi predikat tertinggi", "Share with the top predikat"),
    "nasional_judul": ("Kota dibanding kenyataan nasional", "City against national reality"),
    "nasional_teks": (
        "Tabulasi e-Kinerja nasional 2022–2024 (10,3 juta laporan PNS) menunjukkan penilaian "
        "yang sangat longgar: {nat_top} Sangat Baik dan {nat_low} di bawah Baik. Kota ini: "
        "{city_top} Sangat Baik, {city_low} di bawah Baik.",
        "The national e-Kinerja tabulation 2022–2024 (10.3 M PNS reports) shows very lenient "
        "ratings: {nat_top} Sangat Baik and {nat_low} below Baik. This city: {city_top} "
        "Sangat Baik, {city_low} below Baik.",
    ),
    "kurva_kota": ("OPD yang melampaui kurva", "Agencies over their curve"),
    "kurva_kota_teks": ("{n} dari {total} OPD melanggar kurva.", "{n} of {total} agencies breach."),
    "pindah": ("Minimal pindah", "Fewest moves"),
    "pelanggaran": ("Pelanggaran", "Breach"),
    "ikm_kota": ("IKM seluruh unit layanan", "IKM of every service unit"),
    "n_rating_berbeda": ("Rating berbeda", "Ratings differing"),
    "keadilan": ("Keadilan penilaian", "Fairness of the ratings"),
    "dikalibrasi": ("Dikalibrasi forum", "Calibrated in the forum"),
    "dihitung": ("Predikat dihitung", "Computed predikat"),
    "alasan": ("Alasan", "Reason"),
    "kalibrasi": ("Keputusan kalibrasi forum", "Calibration decisions"),
    "kalibrasi_teks": (
        "{n} predikat diubah oleh forum evaluasi; predikat hasil hitungan tetap ditampilkan.",
        "{n} predikat changed by the evaluation forum; the computed predikat is kept alongside.",
    ),
    "keadilan_penilai": (
        "{n} penilai di OPD ini menilai cukup banyak orang untuk diukur kecenderungannya "
        "(model dengan efek penilai dan yang dinilai): {lunak} lunak, {keras} keras, {wajar} "
        "wajar; {sedikit} penilai lain menilai terlalu sedikit orang untuk disimpulkan.",
        "{n} raters in this agency rated enough people to measure their tendency (a model "
        "with rater and ratee effects): {lunak} lenient, {keras} severe, {wajar} fair; {sedikit} "
        "others rated too few people to conclude.",
    ),
    "keadilan_alfa": (
        "Kesepakatan antarpenilai (alfa Krippendorff, ordinal): {alpha} atas {n} pasang "
        "pegawai × nilai inti ({verdict}).",
        "Inter-rater agreement (Krippendorff's alpha, ordinal): {alpha} over {n} employee × "
        "value units ({verdict}).",
    ),
    "alfa_baik": ("baik, ≥ 0,80", "good, ≥ 0.80"),
    "alfa_sedang": ("sedang, 0,667–0,80", "moderate, 0.667–0.80"),
    "alfa_rendah": ("rendah, < 0,667: penilai tidak sepakat", "low, < 0.667"),
    "keadilan_sumber": (
        "Rata-rata selisih dengan atasan: diri {diri}, rekan {rekan}, bawahan {bawahan} poin.",
        "Mean gap to the supervisor: self {diri}, peers {rekan}, subordinates {bawahan} points.",
    ),
    "kecenderungan": ("Kecenderungan", "Tendency"),
    "estimasi": ("Estimasi (poin)", "Estimate (points)"),
    "selang": ("Selang 95 %", "95 % interval"),
    "n_dinilai": ("Dinilai", "Rated"),
    "penilai_judul": ("Penilai lunak atau keras", "Lenient or severe raters"),
    "atasan_judul": ("Atasan yang ratingnya menonjol berbeda", "Supervisors standing out"),
    "bertentangan_judul": ("Rating bertentangan (semua triwulan)", "Contradictions"),
    "periode": ("Periode", "Period"),
    "berbeda": ("Beda satu tingkat", "One level apart"),
    "bertentangan": ("Bertentangan", "Contradicting"),
    "perkembangan": ("Perkembangan antartriwulan", "Quarter to quarter"),
    "perkembangan_teks": (
        "{neg} umpan balik negatif tertulis; {baik} pegawai membaik pada triwulan berikutnya.",
        "{neg} negative written feedback notes; {baik} employees improved the next quarter.",
    ),
    "sembilan_kotak": ("Kotak hasil kerja × perilaku", "Results × behaviour grid"),
    "hasil_kerja": ("Hasil kerja", "Results"),
    "aktivitas": ("Log aktivitas harian", "Daily activity log"),
    "aktivitas_teks": (
        "{hari} hari kerja dilaporkan; {setuju} aktivitas yang diputus disetujui; {tunggu} "
        "menunggu persetujuan (tertua {umur} hari); rata-rata {jam} jam per hari lapor.",
        "{hari} of working days reported; {setuju} of decided activities approved; {tunggu} "
        "awaiting approval (oldest {umur} days); {jam} hours per reported day.",
    ),
    "tanpa_aktivitas": ("Tidak ada log aktivitas harian.", "No daily activity log."),
    "pelayanan": ("Skor Berorientasi Pelayanan staf", "Staff service score"),
    "temuan": ("Temuan yang perlu ditinjau", "Findings to review"),
    "tanpa_temuan": ("Tidak ada yang perlu ditinjau ulang.", "Nothing needs a second look."),
    "keadilan_kota": ("Keadilan penilaian per OPD", "Fairness per agency"),
    "n_lunak": ("Penilai lunak", "Lenient raters"),
    "n_keras": ("Penilai keras", "Severe raters"),
    "n_atasan": ("Atasan menonjol", "Supervisors standing out"),
    "alfa": ("Alfa", "Alpha"),
    "diri_atasan": ("Diri − atasan", "Self − supervisor"),
}
_LANGUAGES = ("id", "en")


def text(key: str, bahasa: str = "id", **values: object) -> str:
    """Return one sentence or label of the reports in a language, filled in.

    Parameters
    ----------
    key : str
        The entry.
    bahasa : {"id", "en"}
        Language; Bahasa Indonesia by default.
    **values
        Values for the placeholders.

    Returns
    -------
    str

    Examples
    --------
    >>> text("kurva_langgar", why="Sangat Baik > 10 %")
    'melanggar: Sangat Baik > 10 %'
    """
    entry = _TEXT[key][_LANGUAGES.index(bahasa)]
    return entry.format(**values) if values else entry


@dataclass
class Section:
    """One part of a report: a heading, sentences, and figures or tables, rendered as HTML.

    Parameters
    ----------
    title : str
        The heading.
    paragraphs : list of str
        Plain sentences (escaped when rendered).
    blocks : list
        Items in order: :class:`matplotlib.figure.Figure`, ``(caption, DataFrame)`` tables,
        or ``dict`` of headline figures (label → value).
    level : int
        Heading level (2 for a section).
    bahasa : {"id", "en"}
        How numbers in tables are written (``1.234,5`` or ``1,234.5``).
    """

    title: str
    paragraphs: list[str] = field(default_factory=list)
    blocks: list[object] = field(default_factory=list)
    level: int = 2
    bahasa: str = "id"

    def _repr_html_(self) -> str:
        parts = [_SECTION_STYLE, f"<section class='asn-bagian'><h{self.level}>"]
        parts.append(html.escape(self.title))
        parts.append(f"</h{self.level}>")
        parts += [f"<p>{html.escape(p)}</p>" for p in self.paragraphs]
        for block in self.blocks:
            parts.append(_render_block(block, self.bahasa))
        parts.append("</section>")
        return "".join(parts)

    def __str__(self) -> str:
        return "\n".join([self.title, *self.paragraphs])


# The same look in JupyterLab, the HTML report, the PDF and the slides: a few rules, inline.
_SECTION_STYLE = """<style>
.asn-kartu-kartu { display: flex; flex-wrap: wrap; gap: .5rem; margin: .6rem 0; }
.asn-kartu { border: 1px solid #888; border-radius: 4px; padding: .4rem .7rem; min-width: 9rem;
  break-inside: avoid; }
.asn-angka { font-size: 1.35em; font-weight: 600; }
.asn-label { font-size: .85em; color: #333; }
.asn-bagian figure { margin: .5rem 0; }
.asn-bagian img { max-width: 100%; height: auto; }
table.asn-tabel { border-collapse: collapse; font-size: .9em; margin: .4rem 0; }
table.asn-tabel th, table.asn-tabel td { padding: .2rem .5rem; border-bottom: 1px solid #ccc;
  text-align: left; vertical-align: top; }
.asn-catatan { font-style: italic; }
</style>"""


def _formatted(frame: pd.DataFrame, bahasa: str) -> pd.DataFrame:
    """Write float columns as text in the language's style, with only the decimals needed."""
    columns = {}
    for position, column in enumerate(frame.columns):
        values = frame.iloc[:, position]
        if pd.api.types.is_float_dtype(values):
            known = values.dropna()
            digits = next(
                (d for d in (0, 1, 2) if np.allclose(known, known.round(d), rtol=0, atol=1e-9)),
                2,
            )
            values = pd.Series([_number(v, digits, bahasa) for v in values], dtype="str")
        columns[str(column)] = values.reset_index(drop=True)
    return pd.DataFrame(columns)


def _render_block(block: object, bahasa: str = "id") -> str:
    if isinstance(block, Figure):
        alt = html.escape(block.axes[0].get_title() if block.axes else "")
        return (
            f"<figure><img alt='{alt}' src='data:image/png;base64,{figures.png_base64(block)}'>"
            "</figure>"
        )
    if isinstance(block, dict):
        cards = "".join(
            f"<div class='asn-kartu'><div class='asn-angka'>{html.escape(str(v))}</div>"
            f"<div class='asn-label'>{html.escape(str(k))}</div></div>"
            for k, v in block.items()
        )
        return f"<div class='asn-kartu-kartu'>{cards}</div>"
    if isinstance(block, tuple):
        caption, frame = block
        table = _formatted(frame, bahasa).to_html(
            index=False, border=0, na_rep="–", escape=True, classes="asn-tabel"
        )
        head = f"<h4>{html.escape(caption)}</h4>" if caption else ""
        return head + table
    if isinstance(block, str):
        return f"<p class='asn-catatan'>{html.escape(block)}</p>"
    raise TypeError(f"unknown block {type(block).__name__}")


@dataclass
class CityResults:
    """A city's data scored once for one period: what every report of a batch reads.

    Attributes
    ----------
    dataset : Dataset
        The loaded data.
    periode : str
        The period.
    scheme : Scheme
        The scheme.
    hasil : DataFrame
        Scored results for everyone (:func:`asn_eval.score`).
    kurva : DataFrame
        The curve check per OPD.
    ikm : DataFrame
        IKM per OPD and service unit.
    key : str or None
        Pseudonym key of the batch (:mod:`asn_eval.anonymity`), when anonymised.
    analysis : dict of str to DataFrame
        :func:`asn_eval.analysis.analyze` of the period (raters, agreement, trends, …).
    """

    dataset: Dataset
    periode: str
    scheme: Scheme
    hasil: pd.DataFrame
    kurva: pd.DataFrame
    ikm: pd.DataFrame
    key: str | None = None
    analysis: dict[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def compute(
        cls,
        data: str | os.PathLike[str] | Dataset,
        periode: str,
        skema: str | os.PathLike[str] | Scheme = "permenpan-6-2022",
        key: str | None = None,
        keputusan: str | os.PathLike[str] | None = None,
    ) -> CityResults:
        """Load (from the cache when it can) and score a city.

        Parameters
        ----------
        data : path or Dataset
            The data folder, or a loaded dataset.
        periode : str
            The period.
        skema : str, path or Scheme
            The scheme.
        key : str, optional
            Pseudonym key, for anonymised output.
        keputusan : path, optional
            A calibration decisions file (:mod:`asn_eval.decisions`): the decisions in force
            are added next to the computed predikat (``predikat_kalibrasi``, ``dikalibrasi``,
            ``alasan_kalibrasi``); the computed one is never replaced.

        Returns
        -------
        CityResults
        """
        dataset = data if isinstance(data, Dataset) else load(data)
        scheme = load_scheme(skema)
        periode = parse_periode(periode) or periode
        hasil = score(dataset, periode, scheme)
        if keputusan is not None and Path(keputusan).exists():
            from asn_eval.decisions import DecisionStore

            with DecisionStore(keputusan) as store:
                hasil = store.apply(hasil, skema=scheme.nama)
        kurva = check_curve(hasil, dataset, periode, scheme) if scheme.kurva else pd.DataFrame()
        units = ikm_table(dataset.survei, periode) if dataset.has("survei") else pd.DataFrame()
        analysis = analyze(dataset, periode, scheme, hasil=hasil)
        return cls(dataset, periode, scheme, hasil, kurva, units, key, analysis)

    def save(self, folder: str | os.PathLike[str]) -> None:
        """Write the results to a folder that :meth:`open` reads (one batch's working folder).

        Parameters
        ----------
        folder : path
            Created if needed.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.hasil.to_parquet(folder / "hasil.parquet", index=False)
        self.kurva.to_parquet(folder / "kurva.parquet", index=False)
        self.ikm.to_parquet(folder / "ikm.parquet", index=False)
        (folder / "analisis").mkdir(exist_ok=True)
        for name, frame in self.analysis.items():
            frame.to_parquet(folder / "analisis" / f"{name}.parquet", index=False)
        context = {
            "data": str(self.dataset.source),
            "periode": self.periode,
            "skema": str(self.scheme.path),
            "kunci": self.key,
        }
        (folder / "konteks.json").write_text(json.dumps(context), encoding="utf-8")

    @classmethod
    def open(cls, folder: str | os.PathLike[str]) -> CityResults:
        """Read results written by :meth:`save`; the data itself comes from the load cache.

        Parameters
        ----------
        folder : path
            A batch's working folder.

        Returns
        -------
        CityResults
        """
        folder = Path(folder)
        context = json.loads((folder / "konteks.json").read_text(encoding="utf-8"))
        stamp = (str(folder.resolve()), (folder / "konteks.json").stat().st_mtime_ns)
        if _OPENED.get("stamp") == stamp:
            return _OPENED["results"]  # the same batch, opened again in the same kernel
        results = cls(
            load(context["data"]),
            context["periode"],
            load_scheme(context["skema"]),
            pd.read_parquet(folder / "hasil.parquet"),
            pd.read_parquet(folder / "kurva.parquet"),
            pd.read_parquet(folder / "ikm.parquet"),
            context["kunci"],
            {p.stem: pd.read_parquet(p) for p in sorted((folder / "analisis").glob("*.parquet"))},
        )
        _OPENED.clear()
        _OPENED.update(stamp=stamp, results=results)
        return results

    def pseudonyms(self) -> Pseudonyms | None:
        """Return the batch's pseudonyms, or None when the batch is not anonymised.

        Returns
        -------
        Pseudonyms or None
        """
        return Pseudonyms(self.key) if self.key else None


# The batch most recently opened in this process. Results are read-only to the reports: every
# report takes copies of its own rows, so nothing one report does reaches the next.
_OPENED: dict[str, object] = {}


def _open_city(
    data: str | os.PathLike[str],
    periode: str,
    skema: str | os.PathLike[str],
    batch: str | os.PathLike[str] | None,
    anonim: bool,
) -> CityResults:
    if batch:
        return CityResults.open(batch)
    from asn_eval.anonymity import new_key

    return CityResults.compute(data, periode, skema, new_key() if anonim else None)


def employee_names(dataset: Dataset, nips: pd.Series) -> pd.Series:
    """Return the name of each NIP from the ``pegawai`` table (missing for unknown NIPs).

    Parameters
    ----------
    dataset : Dataset
        The data.
    nips : Series
        NIPs, e.g. raters' or supervisors'.

    Returns
    -------
    Series of str
    """
    people = dataset.pegawai
    lookup = dict(zip(people["nip"].astype("str"), people["nama"].astype("str"), strict=True))
    return nips.astype("str").map(lookup)


def has_evidence(hasil: pd.DataFrame) -> np.ndarray:
    """Tell which scored employees have anything to report on: indicators, ratings, a predikat.

    Parameters
    ----------
    hasil : DataFrame
        Scored results.

    Returns
    -------
    ndarray of bool
        An agency none of whose employees has evidence gets the short "nothing to score" report.
    """
    found = hasil["n_indikator"].fillna(0).to_numpy() > 0
    found |= hasil["n_penilai"].fillna(0).to_numpy() > 0
    for column in ("predikat", "rating_hasil_kerja", "rating_perilaku"):
        found |= hasil[column].notna().to_numpy()
    return found


def _curve_limits(scheme: Scheme, org: str, bahasa: str) -> pd.DataFrame:
    rows = []
    for rule in scheme.kurva.get(org, []):
        if len(rule["predikat"]) != 1:
            continue
        for kind in ("maks", "min"):
            if kind in rule:
                label = text("batas_maks" if kind == "maks" else "batas_min", bahasa)
                rows.append((rule["predikat"][0], float(rule[kind]), kind, label))
    return pd.DataFrame(rows, columns=["predikat", "batas", "jenis", "label"])


def _shares(predikat: pd.Series, labels: Sequence[str]) -> pd.Series:
    counts = predikat.value_counts().reindex(labels, fill_value=0)
    total = counts.sum()
    return counts / total if total else counts.astype(float)


class AgencyReport:
    """The evaluation report of one agency (OPD) for one period.

    Parameters
    ----------
    city : CityResults
        The scored city.
    kode_opd : str
        The agency's code.
    anonim : bool
        Replace names and NIPs by the batch's pseudonyms.
    bahasa : {"id", "en"}
        Language of the text.

    Notes
    -----
    Every table shows only this agency's employees: raters from other agencies appear as counts,
    never by name.
    """

    def __init__(
        self, city: CityResults, kode_opd: str, *, anonim: bool = False, bahasa: str = "id"
    ) -> None:
        if bahasa not in _LANGUAGES:
            raise ValueError(f"bahasa harus salah satu dari {', '.join(_LANGUAGES)}")
        self.city = city
        self.kode_opd = kode_opd
        self.bahasa = bahasa
        self.scheme = city.scheme
        self.periode = city.periode
        opd = city.dataset.opd
        known = opd["kode_opd"].astype("str") == kode_opd
        if not known.any():
            raise KeyError(f"kode OPD {kode_opd} tidak ada di tabel opd")
        self.nama_opd = str(opd.loc[known, "nama_opd"].iloc[0])
        self._dataset: Dataset | None = None
        mine = city.hasil["kode_opd"].astype("str") == kode_opd
        self.hasil = city.hasil.loc[mine].reset_index(drop=True)
        self.kosong = not bool(has_evidence(self.hasil).any())
        self._evidence = None
        self._pseudonyms = city.pseudonyms() if anonim else None
        if anonim and self._pseudonyms is None:
            from asn_eval.anonymity import new_key

            self._pseudonyms = Pseudonyms(new_key())

    @classmethod
    def build(
        cls,
        data: str | os.PathLike[str],
        periode: str,
        kode_opd: str,
        skema: str | os.PathLike[str] = "permenpan-6-2022",
        *,
        anonim: bool = False,
        bahasa: str = "id",
        batch: str | os.PathLike[str] | None = None,
    ) -> AgencyReport:
        """Make the report from a notebook's parameters.

        Parameters
        ----------
        data : path
            The data folder.
        periode : str
            The period.
        kode_opd : str
            The agency.
        skema : str or path
            The scheme.
        anonim : bool
            Pseudonymise names and NIPs.
        bahasa : {"id", "en"}
            Language.
        batch : path, optional
            A batch's working folder with the city already scored (:meth:`CityResults.save`).

        Returns
        -------
        AgencyReport
        """
        city = _open_city(data, periode, skema, batch, anonim)
        return cls(city, kode_opd, anonim=anonim, bahasa=bahasa)

    # -- helpers -------------------------------------------------------------------------------
    def _t(self, key: str, **values: object) -> str:
        return text(key, self.bahasa, **values)

    def _section(
        self, title: str, paragraphs: list[str], blocks: list[object] | None = None
    ) -> Section:
        return Section(title, paragraphs, blocks or [], bahasa=self.bahasa)

    def _people(self, frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
        """Select columns for display, pseudonymised when the report is anonymous."""
        if self._pseudonyms is not None:  # names are replaced through the NIP
            if "nip" not in frame:
                raise ValueError("tabel tanpa kolom nip tidak bisa disamarkan")
            frame = self._pseudonyms.frame(frame, [("nip", "nama")])
        return frame.loc[:, list(columns)]

    def _limited(self, caption: str, frame: pd.DataFrame) -> list[object]:
        blocks: list[object] = [(caption, frame.head(MAX_ROWS))]
        if len(frame) > MAX_ROWS:
            blocks.append(self._t("dan_lainnya", n=len(frame) - MAX_ROWS))
        return blocks

    @property
    def dataset(self) -> Dataset:
        """The agency's part of the data (taken on first use: headline figures do not need it)."""
        if self._dataset is None:
            self._dataset = self.city.dataset.subset(kode_opd=[self.kode_opd])
        return self._dataset

    @property
    def evidence(self):
        """The scoring evidence of this agency's employees (computed once)."""
        if self._evidence is None:
            self._evidence = gather_evidence(self.dataset, self.periode, self.scheme)
        return self._evidence

    def _curve_row(self) -> pd.Series | None:
        kurva = self.city.kurva
        if not len(kurva):
            return None
        row = kurva[kurva["kode_opd"].astype("str") == self.kode_opd]
        return row.iloc[0] if len(row) else None

    def _analysis(self, name: str, column: str = "kode_opd") -> pd.DataFrame:
        """Rows of one analysis table about this agency (empty when it was not computed)."""
        frame = self.city.analysis.get(name)
        if frame is None or not len(frame) or column not in frame:
            return pd.DataFrame()
        return frame[frame[column].astype("str") == self.kode_opd].reset_index(drop=True)

    def _names(self, nips: pd.Series) -> pd.Series:
        return employee_names(self.city.dataset, nips)

    # -- sections ------------------------------------------------------------------------------
    def ringkasan(self) -> Section:
        """Headline figures (or, for an agency with nothing to score, a sentence saying so).

        Returns
        -------
        Section
        """
        title = f"{self._t('ringkasan')}: {self.nama_opd} ({self.kode_opd})"
        if self.kosong:
            return self._section(
                title, [self._t("kosong", opd=self.nama_opd, periode=self.periode)]
            )
        hasil = self.hasil
        labels = self.scheme.labels
        shares = _shares(hasil["predikat"], labels)
        cards = {
            self._t("pegawai"): len(hasil),
            self._t("berpredikat"): int(hasil["predikat"].notna().sum()),
        }
        for label in labels[:2]:
            cards[label] = _percent(shares[label], self.bahasa)
        cards[self._t("capaian")] = _number(hasil["capaian"].mean(), 1, self.bahasa) + " %"
        cards[self._t("skor_perilaku")] = _number(hasil["skor_perilaku"].mean(), 2, self.bahasa)
        cards[self._t("kehadiran")] = _number(hasil["persen_hadir"].mean(), 1, self.bahasa) + " %"
        units = self._ikm_units()
        if len(units):
            weighted = np.average(units["ikm"], weights=units["n_responden"])
            cards[self._t("ikm")] = _number(weighted, 2, self.bahasa)
        curve = self._curve_row()
        if curve is not None:
            cards[self._t("predikat_organisasi")] = curve["predikat_organisasi"] or "–"
            cards[self._t("kurva")] = (
                self._t("kurva_langgar", why=curve["pelanggaran"])
                if curve["melanggar"]
                else self._t("kurva_ok")
            )
        cards[self._t("rating_bertentangan")] = int((self._gap() == 2).sum())
        if "dikalibrasi" in hasil:
            cards[self._t("dikalibrasi")] = int(hasil["dikalibrasi"].sum())
        lead = self._t(
            "lead",
            periode=self.periode,
            skema=self.scheme.nama,
            n=len(hasil),
            rated=int(hasil["predikat"].notna().sum()),
        )
        return self._section(title, [lead], [cards])

    def _gap(self) -> pd.Series:
        return pd.Series(rating_gap(self.hasil), index=self.hasil.index)

    def distribusi(self) -> Section | None:
        """Predikat shares of the agency next to the city, the nation and its curve.

        Returns
        -------
        Section or None
            None when the agency has nothing scored.
        """
        if self.kosong:
            return None
        labels = self.scheme.labels
        mine = _shares(self.hasil["predikat"], labels)
        city = _shares(self.city.hasil["predikat"], labels)
        series = {self._t("opd_ini"): mine, self._t("kota"): city}
        if set(labels) == set(NATIONAL_SHARES):
            series[self._t("nasional")] = pd.Series(NATIONAL_SHARES).reindex(labels)
        tidy = pd.concat(
            [
                pd.DataFrame({"predikat": labels, "porsi": s.to_numpy(), "sumber": name})
                for name, s in series.items()
            ],
            ignore_index=True,
        )
        curve = self._curve_row()
        paragraphs = []
        limits = None
        if curve is not None and pd.notna(curve["predikat_organisasi"]):
            org = str(curve["predikat_organisasi"])
            limits = _curve_limits(self.scheme, org, self.bahasa)
            verdict = (
                self._t("kurva_pindah", why=curve["pelanggaran"], k=int(curve["min_pindah"]))
                if curve["melanggar"]
                else self._t("kurva_sesuai")
            )
            paragraphs.append(self._t("distribusi_teks", org=org, verdict=verdict))
        else:
            paragraphs.append(self._t("tanpa_org"))
        figure = figures.distribution_bars(
            tidy,
            x="predikat",
            y="porsi",
            hue="sumber",
            order=labels,
            limits=limits,
            title=self._t("distribusi"),
            ylabel=self._t("porsi"),
        )
        counts = self.hasil["predikat"].value_counts().reindex(labels, fill_value=0)
        table = pd.DataFrame(
            {
                self._t("predikat"): labels,
                self._t("jumlah"): counts.to_numpy(),
                **{
                    name: [_percent(v, self.bahasa) for v in s.to_numpy()]
                    for name, s in series.items()
                },
            }
        )
        return self._section(self._t("distribusi"), paragraphs, [figure, ("", table)])

    def unit_jabatan(self) -> Section | None:
        """Predikat by unit and by position type.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        labels = self.scheme.labels
        blocks: list[object] = []
        for column, key in (("unit_kerja", "unit_kerja"), ("jenis_jabatan", "jenis_jabatan")):
            if column not in self.hasil or self.hasil[column].isna().all():
                continue
            groups = self.hasil[column].astype("str").fillna("–")
            counts = pd.crosstab(groups, self.hasil["predikat"]).reindex(
                columns=labels, fill_value=0
            )
            counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False).index]
            blocks.append(figures.stacked_shares(counts.head(20), order=labels, title=self._t(key)))
            table = counts.reset_index().rename(columns={column: self._t(key)})
            table.insert(1, self._t("pegawai"), groups.value_counts().reindex(counts.index).values)
            blocks.append(("", table))
        return self._section(self._t("unit_jabatan"), [self._t("unit_teks")], blocks)

    def _indicator_rows(self) -> pd.DataFrame:
        ev = self.evidence
        if not len(ev.indicators):
            return pd.DataFrame()
        skp = self.dataset.skp.loc[ev.indicators["row"].to_numpy()].reset_index(drop=True)
        people = ev.pegawai.reset_index(drop=True).iloc[ev.indicators["emp"].to_numpy()]
        out = pd.DataFrame(
            {
                "nip": people["nip"].astype("str").to_numpy(),
                "nama": people["nama"].astype("str").to_numpy(),
                "rhk": skp["rhk"].astype("str"),
                "indikator": skp["indikator"].astype("str"),
                "aspek": skp["aspek"].astype("str"),
                "target": skp["target"],
                "realisasi": skp["realisasi"],
                "satuan": skp["satuan"].astype("str") if "satuan" in skp else "",
                "capaian": ev.indicators["capaian"].round(1).to_numpy(),
            }
        )
        return out

    def indikator(self) -> Section | None:
        """Show indicators met and missed per aspect, the lowest and highest with their RHK.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        rows = self._indicator_rows()
        if not len(rows):
            return self._section(self._t("indikator"), [self._t("tanpa_indikator")])
        limit = float(self.scheme.hasil_kerja.get("batas_sesuai", 90))
        reported = rows["capaian"].notna()
        hit = rows["capaian"] >= 100
        lead = self._t(
            "indikator_teks",
            n=len(rows),
            emp=rows["nip"].nunique(),
            hit=int(hit.sum()),
            hit_pct=_percent(hit.sum() / max(reported.sum(), 1), self.bahasa),
            low=int((rows["capaian"] < limit).sum()),
            limit=_number(limit, 0, self.bahasa),
            unrep=int((~reported).sum()),
        )
        per_aspect = rows.groupby("aspek").agg(
            n=("capaian", "size"), tercapai=("capaian", lambda s: (s >= 100).mean())
        )
        per_aspect = per_aspect.reset_index()
        per_aspect["tercapai"] = [_percent(v, self.bahasa) for v in per_aspect["tercapai"]]
        per_aspect.columns = [self._t("aspek"), self._t("n_indikator"), self._t("tercapai")]
        shown = self._people(
            rows,
            ["nama", "rhk", "indikator", "target", "realisasi", "satuan", "capaian"],
        ).rename(
            columns={
                "nama": self._t("nama"),
                "rhk": self._t("rhk"),
                "indikator": self._t("indikator_kolom"),
                "target": self._t("target"),
                "realisasi": self._t("realisasi"),
                "satuan": "",
                "capaian": self._t("capaian_kolom"),
            }
        )
        order = rows["capaian"].sort_values(kind="stable").index
        lowest = shown.loc[order[rows.loc[order, "capaian"].notna().to_numpy()]].head(10)
        highest = shown.loc[rows["capaian"].sort_values(ascending=False).index].head(5)
        figure = figures.histogram(
            rows.dropna(subset=["capaian"]),
            x="capaian",
            bins=range(0, 155, 5),
            reference=limit,
            reference_label=f"{_number(limit, 0, self.bahasa)} %",
            title=self._t("indikator"),
            xlabel=self._t("capaian_kolom"),
            ylabel=self._t("n_indikator"),
        )
        return self._section(
            self._t("indikator"),
            [lead],
            [
                figure,
                ("", per_aspect),
                (self._t("terendah"), lowest),
                (self._t("tertinggi"), highest),
            ],
        )

    def perilaku(self) -> Section | None:
        """Mean behaviour score per core value and rater role.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        if not self.dataset.has("perilaku"):
            return self._section(self._t("perilaku"), [self._t("tanpa_perilaku")])
        rows = self.dataset.perilaku
        rows = rows[periode_mask(rows, self.periode)]
        if not len(rows):
            return self._section(self._t("perilaku"), [self._t("tanpa_perilaku")])
        profile = (
            rows.assign(
                nilai_inti=rows["nilai_inti"].astype("str"),
                peran_penilai=rows["peran_penilai"].astype("str"),
            )
            .pivot_table(index="nilai_inti", columns="peran_penilai", values="skor", aggfunc="mean")
            .reindex(index=list(VALUES), columns=list(ROLES))
        )
        overall = profile.mean(axis=1)
        lead = self._t("perilaku_teks", n=len(rows), best=overall.idxmax(), worst=overall.idxmin())
        figure = figures.behaviour_heatmap(
            profile,
            title=self._t("perilaku"),
            xlabel=self._t("peran_penilai"),
            ylabel="",
        )
        table = profile.round(2).rename_axis(columns=None).reset_index()
        table = table.rename(columns={"nilai_inti": self._t("nilai_inti")})
        return self._section(self._t("perilaku"), [lead], [figure, ("", table)])

    def kehadiran(self) -> Section | None:
        """Attendance and discipline.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        hasil = self.hasil
        if hasil["persen_hadir"].isna().all():
            return self._section(self._t("disiplin"), [self._t("tanpa_kehadiran")])
        tk = hasil["tanpa_keterangan"].fillna(0)
        lead = self._t(
            "disiplin_teks",
            mean=_number(hasil["persen_hadir"].mean(), 1, self.bahasa) + " %",
            tk=int(tk.sum()),
            tk_emp=int((tk > 0).sum()),
            late=_number(hasil["terlambat_menit"].mean(), 0, self.bahasa),
        )
        figure = figures.histogram(
            hasil.dropna(subset=["persen_hadir"]),
            x="persen_hadir",
            bins=20,
            title=self._t("disiplin"),
            xlabel=self._t("persen_hadir"),
            ylabel=self._t("pegawai"),
        )
        worst = hasil[tk > 0].sort_values(
            ["tanpa_keterangan", "persen_hadir"], ascending=[False, True]
        )
        table = self._people(
            worst, ["nama", "persen_hadir", "tanpa_keterangan", "terlambat_menit"]
        ).rename(
            columns={
                "nama": self._t("nama"),
                "persen_hadir": self._t("persen_hadir"),
                "tanpa_keterangan": self._t("tanpa_keterangan"),
                "terlambat_menit": self._t("terlambat"),
            }
        )
        return self._section(
            self._t("disiplin"),
            [lead],
            [figure, *self._limited(self._t("tanpa_keterangan"), table)],
        )

    def _ikm_units(self) -> pd.DataFrame:
        units = self.city.ikm
        if not len(units):
            return units
        return units[units["kode_opd"].astype("str") == self.kode_opd].reset_index(drop=True)

    def ikm(self) -> Section | None:
        """IKM per service unit with its grade.

        Returns
        -------
        Section or None
        """
        units = self._ikm_units()
        if not len(units):
            return (
                None if self.kosong else self._section(self._t("ikm_judul"), [self._t("tanpa_ikm")])
            )
        paragraphs = [self._t("ikm_teks", n=len(units), resp=int(units["n_responden"].sum()))]
        poor = units[units["mutu"].astype("str").isin(["C", "D"])]
        if len(poor):
            paragraphs.append(
                self._t(
                    "ikm_buruk",
                    units=", ".join(poor["unit_layanan"].astype("str")),
                    grades=", ".join(poor["mutu"].astype("str")),
                )
            )
        shown = units.sort_values("ikm", ascending=False)
        figure = figures.horizontal_bars(
            shown.assign(mutu=shown["mutu"].astype("str")),
            x="ikm",
            y="unit_layanan",
            hue="mutu",
            hue_order=["A", "B", "C", "D"],
            references=IKM_LINES,
            title=self._t("ikm_judul"),
            xlabel="IKM",
            xlim=(25, 100),
        )
        table = shown[["unit_layanan", "n_responden", "ikm", "mutu"]]
        service = self._analysis("ikm_pelayanan")
        if len(service):
            table = table.merge(
                service[["unit_layanan", "skor_pelayanan", "catatan"]],
                on="unit_layanan",
                how="left",
            )
        table = table.rename(
            columns={
                "unit_layanan": self._t("unit_layanan"),
                "n_responden": self._t("responden"),
                "ikm": "IKM",
                "mutu": self._t("mutu"),
                "skor_pelayanan": self._t("pelayanan"),
                "catatan": "",
            }
        )
        return self._section(self._t("ikm_judul"), paragraphs, [figure, ("", table)])

    def ketidaksesuaian(self) -> Section | None:
        """Where the given ratings disagree with the indicators, and official predikat differs.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        gap = self._gap()
        official = (
            self.hasil["predikat_diberikan"].notna()
            & self.hasil["predikat"].notna()
            & (
                self.hasil["predikat_diberikan"].astype("str")
                != self.hasil["predikat"].astype("str")
            )
        )
        lead = self._t(
            "selisih_teks",
            both=int(gap.notna().sum()),
            same=int((gap == 0).sum()),
            one=int((gap == 1).sum()),
            two=int((gap == 2).sum()),
            official=int(official.sum()),
        )
        contradicted = self.hasil[(gap == 2).to_numpy()].sort_values("capaian")
        table = self._people(
            contradicted,
            [
                "nama",
                "jabatan",
                "rating_hasil_kerja_diberikan",
                "rating_hasil_kerja_saran",
                "capaian",
            ],
        ).rename(
            columns={
                "nama": self._t("nama"),
                "jabatan": self._t("jabatan"),
                "rating_hasil_kerja_diberikan": self._t("diberikan"),
                "rating_hasil_kerja_saran": self._t("saran"),
                "capaian": self._t("capaian_kolom"),
            }
        )
        blocks = self._limited("", table) if len(table) else []
        return self._section(self._t("selisih"), [lead], blocks)

    def umpan_balik(self) -> Section | None:
        """Show the most frequent written feedback, per RHK and per core value.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        notes = []
        for table, about in (("skp", "rhk"), ("perilaku", "nilai_inti")):
            if not self.dataset.has(table) or "umpan_balik" not in self.dataset.tables[table]:
                continue
            rows = self.dataset.tables[table]
            rows = rows[periode_mask(rows, self.periode) & rows["umpan_balik"].notna()]
            notes.append(
                pd.DataFrame(
                    {
                        "umpan_balik": rows["umpan_balik"].astype("str").to_numpy(),
                        "tentang": rows[about].astype("str").to_numpy(),
                    }
                )
            )
        if not notes or not sum(len(n) for n in notes):
            return self._section(self._t("umpan_balik"), [self._t("tanpa_umpan_balik")])
        notes = pd.concat(notes, ignore_index=True)
        top = (
            notes.groupby("umpan_balik")
            .agg(kali=("tentang", "size"), tentang=("tentang", lambda s: s.mode().iloc[0]))
            .sort_values("kali", ascending=False)
            .head(8)
            .reset_index()
        )
        top.columns = [self._t("umpan_balik"), self._t("kali"), self._t("tentang")]
        return self._section(
            self._t("umpan_balik"), [self._t("umpan_balik_teks", n=len(notes))], [("", top)]
        )

    def tindak_lanjut(self) -> Section | None:
        """Candidates for recognition, for coaching, and training needs per programme.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        scheme = self.scheme
        blocks: list[object] = []
        sustained = "-TW" not in self.periode and "penghargaan" in self.city.analysis
        if sustained:  # a year: the top predikat held in every quarter (asn_eval.development)
            reward = self._analysis("penghargaan")
        else:
            reward = recognition_candidates(self.hasil, scheme)
        blocks.append(
            self._t(
                "penghargaan_tahun_teks" if sustained else "penghargaan_teks",
                n=len(reward),
                top=scheme.labels[0],
                h=_number(float(scheme.hasil_kerja.get("batas_di_atas", 110)), 0, self.bahasa),
                p=_number(float(scheme.perilaku.get("batas_di_atas", 4.5)), 1, self.bahasa),
            )
        )
        if len(reward):
            table = self._people(reward, ["nama", "jabatan", "bukti"]).rename(
                columns={
                    "nama": self._t("nama"),
                    "jabatan": self._t("jabatan"),
                    "bukti": self._t("bukti"),
                }
            )
            blocks += self._limited(self._t("penghargaan"), table)
        coaching = coaching_candidates(self.hasil, scheme)
        blocks.append(self._t("pembinaan_teks", n=len(coaching), second=scheme.labels[1]))
        if len(coaching):
            table = self._people(coaching, ["nama", "jabatan", "predikat", "catatan"]).rename(
                columns={"nama": self._t("nama"), "jabatan": self._t("jabatan")}
            )
            blocks += self._limited(self._t("pembinaan"), table)
        needs = training_needs(self.evidence, self.hasil, scheme)
        blocks.append(
            self._t(
                "pelatihan_teks",
                p=_number(float(scheme.perilaku.get("batas_sesuai", 3.0)), 1, self.bahasa),
                h=_number(float(scheme.hasil_kerja.get("batas_sesuai", 90)), 0, self.bahasa),
            )
        )
        if len(needs):
            plan = training_plan(needs)[["program", "n_pegawai", "kebutuhan"]].rename(
                columns={
                    "program": self._t("program"),
                    "n_pegawai": self._t("pegawai"),
                    "kebutuhan": self._t("kebutuhan"),
                }
            )
            blocks.append((self._t("pelatihan"), plan))
        else:
            blocks.append(self._t("tidak_ada"))
        return self._section(self._t("tindak_lanjut"), [], blocks)

    def kalibrasi(self) -> Section | None:
        """Show the forum's calibration decisions: computed and calibrated predikat side by side.

        Returns
        -------
        Section or None
            None when no decision applies to this agency.
        """
        if "dikalibrasi" not in self.hasil or not self.hasil["dikalibrasi"].any():
            return None
        changed = self.hasil[self.hasil["dikalibrasi"].to_numpy(dtype=bool)]
        table = self._people(
            changed, ["nama", "jabatan", "predikat", "predikat_kalibrasi", "alasan_kalibrasi"]
        ).rename(
            columns={
                "nama": self._t("nama"),
                "jabatan": self._t("jabatan"),
                "predikat": self._t("dihitung"),
                "predikat_kalibrasi": self._t("dikalibrasi"),
                "alasan_kalibrasi": self._t("alasan"),
            }
        )
        lead = self._t("kalibrasi_teks", n=len(changed))
        return self._section(self._t("kalibrasi"), [lead], self._limited("", table))

    def keadilan(self) -> Section | None:
        """Show whether the ratings were fair: raters' tendency, agreement, gaps, contradictions.

        Only raters and supervisors who belong to this agency are named.

        Returns
        -------
        Section or None
        """
        if self.kosong or not self.city.analysis:
            return None
        paragraphs, blocks = [], []
        raters = self._analysis("penilai")
        if len(raters):
            judged = raters[raters["cukup_data"].astype(bool)]
            counts = judged["kecenderungan"].astype("str").value_counts()
            paragraphs.append(
                self._t(
                    "keadilan_penilai",
                    n=len(judged),
                    lunak=int(counts.get("lunak", 0)),
                    keras=int(counts.get("keras", 0)),
                    wajar=int(counts.get("wajar", 0)),
                    sedikit=len(raters) - len(judged),
                )
            )
            flagged = judged[judged["kecenderungan"].astype("str").isin(["lunak", "keras"])]
            if len(flagged):
                shown = flagged.assign(
                    nip=flagged["nip_penilai"].astype("str"),
                    nama=self._names(flagged["nip_penilai"]),
                    selang=[
                        f"{_number(a, 2, self.bahasa)} … {_number(b, 2, self.bahasa)}"
                        for a, b in zip(flagged["batas_bawah"], flagged["batas_atas"], strict=True)
                    ],
                )
                table = self._people(
                    shown, ["nama", "n_dinilai", "estimasi", "selang", "kecenderungan"]
                ).rename(
                    columns={
                        "nama": self._t("nama"),
                        "n_dinilai": self._t("n_dinilai"),
                        "estimasi": self._t("estimasi"),
                        "selang": self._t("selang"),
                        "kecenderungan": self._t("kecenderungan"),
                    }
                )
                blocks.append((self._t("penilai_judul"), table))
        alpha = self._analysis("kesepakatan")
        if len(alpha) and pd.notna(alpha["alpha"].iloc[0]):
            value = float(alpha["alpha"].iloc[0])
            verdict = "alfa_baik" if value >= 0.8 else "alfa_sedang" if value >= 0.667 else None
            paragraphs.append(
                self._t(
                    "keadilan_alfa",
                    alpha=_number(value, 2, self.bahasa),
                    n=int(alpha["n_unit"].iloc[0]),
                    verdict=self._t(verdict or "alfa_rendah"),
                )
            )
        gaps = self._analysis("sumber_penilai_opd")
        if len(gaps):
            row = gaps.iloc[0]
            paragraphs.append(
                self._t(
                    "keadilan_sumber",
                    **{
                        role: _number(row[f"selisih_{role}_atasan"], 2, self.bahasa, sign=True)
                        for role in ("diri", "rekan", "bawahan")
                    },
                )
            )
        supervisors = self._analysis("atasan")
        if len(supervisors):
            standing = supervisors[supervisors["menonjol"].astype(bool)]
            if len(standing):
                shown = standing.assign(
                    nip=standing["nip_atasan"].astype("str"),
                    nama=self._names(standing["nip_atasan"]),
                )
                table = self._people(
                    shown, ["nama", "n_bawahan", "n_berbeda", "n_bertentangan"]
                ).rename(
                    columns={
                        "nama": self._t("nama"),
                        "n_bawahan": self._t("pegawai"),
                        "n_berbeda": self._t("berbeda"),
                        "n_bertentangan": self._t("bertentangan"),
                    }
                )
                blocks += self._limited(self._t("atasan_judul"), table)
        contradicted = self._analysis("bertentangan")
        if len(contradicted):
            ratings = ["rating_hasil_kerja_diberikan", "rating_hasil_kerja_saran"]
            table = self._people(contradicted, ["nama", "periode", *ratings, "capaian"]).rename(
                columns={
                    "nama": self._t("nama"),
                    "periode": self._t("periode"),
                    "rating_hasil_kerja_diberikan": self._t("diberikan"),
                    "rating_hasil_kerja_saran": self._t("saran"),
                    "capaian": self._t("capaian_kolom"),
                }
            )
            blocks += self._limited(self._t("bertentangan_judul"), table)
        return self._section(self._t("keadilan"), paragraphs, blocks)

    def perkembangan(self) -> Section | None:
        """Show movement between quarters, feedback followed by improvement, and the 9-box.

        Returns
        -------
        Section or None
        """
        if self.kosong or not self.city.analysis:
            return None
        paragraphs, blocks = [], []
        trend = self._analysis("tren_opd")
        if len(trend):
            table = trend[["periode", "n_pegawai", "capaian", "skor_perilaku", "porsi_terbaik"]]
            table = table.assign(
                porsi_terbaik=[_percent(v, self.bahasa) for v in table["porsi_terbaik"]]
            ).rename(
                columns={
                    "periode": self._t("periode"),
                    "n_pegawai": self._t("pegawai"),
                    "capaian": self._t("capaian"),
                    "skor_perilaku": self._t("skor_perilaku"),
                    "porsi_terbaik": self.scheme.labels[0],
                }
            )
            blocks.append(("", table))
        feedback = self._analysis("umpan_balik_opd")
        if len(feedback):
            row = feedback.iloc[0]
            paragraphs.append(
                self._t(
                    "perkembangan_teks",
                    neg=int(row["n_umpan_balik_negatif"]),
                    baik=int(row["n_membaik"]),
                )
            )
        boxes = self._analysis("sembilan_kotak")
        if len(boxes) and boxes["kelas_hasil"].notna().any():
            grid = pd.crosstab(boxes["kelas_hasil"], boxes["kelas_perilaku"]).reindex(
                index=["tinggi", "sedang", "rendah"],
                columns=["rendah", "sedang", "tinggi"],
                fill_value=0,
            )
            grid = grid.rename_axis(index=None, columns=None).reset_index()
            grid = grid.rename(columns={"index": f"{self._t('hasil_kerja')} ↓ / perilaku →"})
            blocks.append((self._t("sembilan_kotak"), grid))
        return self._section(self._t("perkembangan"), paragraphs, blocks)

    def aktivitas(self) -> Section | None:
        """Show the daily activity log: days reported, approvals, backlog.

        Returns
        -------
        Section or None
        """
        if self.kosong or not self.city.analysis:
            return None
        rows = self._analysis("aktivitas_opd")
        if not len(rows) or not rows["n_aktivitas"].iloc[0]:
            return self._section(self._t("aktivitas"), [self._t("tanpa_aktivitas")])
        row = rows.iloc[0]
        umur = row["umur_menunggu_maks"]
        lead = self._t(
            "aktivitas_teks",
            hari=_percent(row["porsi_hari_lapor"], self.bahasa),
            setuju=_percent(row["porsi_disetujui"], self.bahasa),
            tunggu=int(row["n_menunggu"]),
            umur=_number(umur, 0, self.bahasa),
            jam=_number(row["jam_per_hari"], 1, self.bahasa),
        )
        return self._section(self._t("aktivitas"), [lead])

    def sections(self) -> list[Section]:
        """Every section in report order (those with nothing to say left out).

        Returns
        -------
        list of Section
        """
        parts = [
            self.ringkasan(),
            self.distribusi(),
            self.unit_jabatan(),
            self.indikator(),
            self.perilaku(),
            self.kehadiran(),
            self.ikm(),
            self.ketidaksesuaian(),
            self.kalibrasi(),
            self.keadilan(),
            self.perkembangan(),
            self.aktivitas(),
            self.umpan_balik(),
            self.tindak_lanjut(),
        ]
        return [p for p in parts if p is not None]

    def employees(self) -> set[str]:
        """NIPs of the agency's employees (what the isolation checks compare against).

        Returns
        -------
        set of str
        """
        return set(self.hasil["nip"].astype("str"))


class CityOverview:
    """The city overview: every agency ranked and compared, and the city against the nation.

    Parameters
    ----------
    city : CityResults
        The scored city.
    bahasa : {"id", "en"}
        Language.
    """

    def __init__(self, city: CityResults, *, bahasa: str = "id") -> None:
        self.city = city
        self.bahasa = bahasa
        self.scheme = city.scheme
        self.summary = opd_summary(city.hasil, city.kurva if len(city.kurva) else None)
        names = city.dataset.opd[["kode_opd", "nama_opd"]].astype("str")
        self.summary = self.summary.merge(names, on="kode_opd", how="left")

    @classmethod
    def build(
        cls,
        data: str | os.PathLike[str],
        periode: str,
        skema: str | os.PathLike[str] = "permenpan-6-2022",
        *,
        bahasa: str = "id",
        batch: str | os.PathLike[str] | None = None,
    ) -> CityOverview:
        """Make the overview from a notebook's parameters.

        Parameters
        ----------
        data : path
            The data folder.
        periode : str
            The period.
        skema : str or path
            The scheme.
        bahasa : {"id", "en"}
            Language.
        batch : path, optional
            A batch's working folder.

        Returns
        -------
        CityOverview
        """
        return cls(_open_city(data, periode, skema, batch, False), bahasa=bahasa)

    def _t(self, key: str, **values: object) -> str:
        return text(key, self.bahasa, **values)

    def _section(
        self, title: str, paragraphs: list[str], blocks: list[object] | None = None
    ) -> Section:
        return Section(title, paragraphs, blocks or [], bahasa=self.bahasa)

    def ringkasan(self) -> Section:
        """Show the city in a few figures.

        Returns
        -------
        Section
        """
        hasil = self.city.hasil
        labels = self.scheme.labels
        shares = _shares(hasil["predikat"], labels)
        lead = self._t(
            "ikhtisar_teks",
            periode=self.city.periode,
            skema=self.scheme.nama,
            n_opd=len(self.summary),
            n=len(hasil),
            rated=int(hasil["predikat"].notna().sum()),
        )
        cards = {
            self._t("opd"): len(self.summary),
            self._t("pegawai"): len(hasil),
            **{label: _percent(shares[label], self.bahasa) for label in labels[:3]},
            self._t("capaian"): _number(hasil["capaian"].mean(), 1, self.bahasa) + " %",
        }
        if len(self.city.kurva):
            cards[self._t("kurva_kota")] = int(self.city.kurva["melanggar"].sum())
        return self._section(self._t("ikhtisar"), [lead], [cards])

    def peringkat(self) -> Section:
        """Agencies ranked by mean achievement, with their predikat shares.

        Returns
        -------
        Section
        """
        labels = self.scheme.labels
        ranked = self.summary.sort_values("capaian", ascending=False)
        counts = ranked.set_index("kode_opd")[labels]
        figure = figures.stacked_shares(counts, order=labels, title=self._t("peringkat"))
        columns = ["kode_opd", "nama_opd", "n_pegawai", "capaian", "skor_perilaku"]
        table = ranked[[*columns, "porsi_tertinggi", "n_rating_berbeda"]].copy()
        table["porsi_tertinggi"] = [_percent(v, self.bahasa) for v in table["porsi_tertinggi"]]
        table = table.rename(
            columns={
                "kode_opd": self._t("opd"),
                "nama_opd": self._t("nama"),
                "n_pegawai": self._t("pegawai"),
                "capaian": self._t("capaian"),
                "skor_perilaku": self._t("skor_perilaku"),
                "porsi_tertinggi": self._t("porsi_tertinggi"),
                "n_rating_berbeda": self._t("n_rating_berbeda"),
            }
        )
        nat = _percent(NATIONAL_SHARES.get(labels[0]), self.bahasa)
        return self._section(
            self._t("peringkat"), [self._t("peringkat_teks", nat=nat)], [figure, ("", table)]
        )

    def nasional(self) -> Section:
        """Compare the city's predikat shares with the national tabulation (DOMAIN.md §2).

        Returns
        -------
        Section
        """
        labels = self.scheme.labels
        city = _shares(self.city.hasil["predikat"], labels)
        series = {self._t("kota"): city}
        paragraphs = []
        if set(labels) == set(NATIONAL_SHARES):
            national = pd.Series(NATIONAL_SHARES).reindex(labels)
            series[self._t("nasional")] = national
            paragraphs.append(
                self._t(
                    "nasional_teks",
                    nat_top=_percent(national.iloc[0], self.bahasa, 2),
                    nat_low=_percent(national.iloc[2:].sum(), self.bahasa, 2),
                    city_top=_percent(city.iloc[0], self.bahasa, 2),
                    city_low=_percent(city.iloc[2:].sum(), self.bahasa, 2),
                )
            )
        tidy = pd.concat(
            [
                pd.DataFrame({"predikat": labels, "porsi": s.to_numpy(), "sumber": name})
                for name, s in series.items()
            ],
            ignore_index=True,
        )
        figure = figures.distribution_bars(
            tidy,
            x="predikat",
            y="porsi",
            hue="sumber",
            order=labels,
            title=self._t("nasional_judul"),
            ylabel=self._t("porsi"),
        )
        return self._section(self._t("nasional_judul"), paragraphs, [figure])

    def kurva(self) -> Section | None:
        """Agencies whose predikat shares breach their curve, with the fewest moves needed.

        Returns
        -------
        Section or None
            None when the scheme has no curve.
        """
        kurva = self.city.kurva
        if not len(kurva):
            return None
        breach = kurva[kurva["melanggar"]].sort_values("min_pindah", ascending=False)
        lead = self._t("kurva_kota_teks", n=len(breach), total=len(kurva))
        table = breach[
            ["kode_opd", "predikat_organisasi", "n_pegawai", "pelanggaran", "min_pindah"]
        ]
        table = table.rename(
            columns={
                "kode_opd": self._t("opd"),
                "predikat_organisasi": self._t("predikat_organisasi"),
                "n_pegawai": self._t("pegawai"),
                "pelanggaran": self._t("pelanggaran"),
                "min_pindah": self._t("pindah"),
            }
        )
        return self._section(self._t("kurva_kota"), [lead], [("", table)] if len(table) else [])

    def keadilan(self) -> Section | None:
        """Compare the agencies on fairness: agreement, lenient and severe raters, contradictions.

        Returns
        -------
        Section or None
            None when the analyses were not computed.
        """
        analysis = self.city.analysis
        if not analysis:
            return None
        codes = self.summary[["kode_opd"]].astype("str")
        table = codes.copy()

        def count(name: str, mask_column: str | None = None, value: object = None) -> pd.Series:
            frame = analysis.get(name, pd.DataFrame())
            if not len(frame):
                return pd.Series(0, index=codes["kode_opd"])
            if mask_column is not None:
                frame = frame[frame[mask_column].astype("str") == str(value)]
            found = frame["kode_opd"].astype("str").value_counts()
            return found.reindex(codes["kode_opd"], fill_value=0)

        table["n_lunak"] = count("penilai", "kecenderungan", "lunak").to_numpy()
        table["n_keras"] = count("penilai", "kecenderungan", "keras").to_numpy()
        table["n_atasan"] = count("atasan", "menonjol", True).to_numpy()
        table["n_bertentangan"] = count("bertentangan").to_numpy()
        agreement = analysis.get("kesepakatan", pd.DataFrame())
        if len(agreement):
            alpha = agreement.assign(kode_opd=agreement["kode_opd"].astype("str"))
            table = table.merge(alpha[["kode_opd", "alpha"]], on="kode_opd", how="left")
        gaps = analysis.get("sumber_penilai_opd", pd.DataFrame())
        if len(gaps):
            gap = gaps.assign(kode_opd=gaps["kode_opd"].astype("str"))
            table = table.merge(gap[["kode_opd", "selisih_diri_atasan"]], on="kode_opd", how="left")
        table = table.rename(
            columns={
                "kode_opd": self._t("opd"),
                "n_lunak": self._t("n_lunak"),
                "n_keras": self._t("n_keras"),
                "n_atasan": self._t("n_atasan"),
                "n_bertentangan": self._t("bertentangan"),
                "alpha": self._t("alfa"),
                "selisih_diri_atasan": self._t("diri_atasan"),
            }
        )
        return self._section(self._t("keadilan_kota"), [], [("", table)])

    def temuan(self) -> Section | None:
        """List what the analyses flag across the city, without naming anyone.

        Returns
        -------
        Section or None
        """
        if not self.city.analysis:
            return None
        said = findings(self.city.analysis, named=False)
        return self._section(self._t("temuan"), said or [self._t("tanpa_temuan")])

    def ikm(self) -> Section | None:
        """IKM of every service unit in the city.

        Returns
        -------
        Section or None
        """
        units = self.city.ikm
        if not len(units):
            return None
        shown = units.sort_values("ikm", ascending=False)
        figure = figures.horizontal_bars(
            shown.assign(mutu=shown["mutu"].astype("str")),
            x="ikm",
            y="unit_layanan",
            hue="mutu",
            hue_order=["A", "B", "C", "D"],
            references=IKM_LINES,
            title=self._t("ikm_kota"),
            xlabel="IKM",
            xlim=(25, 100),
        )
        table = shown[["kode_opd", "unit_layanan", "n_responden", "ikm", "mutu"]].rename(
            columns={
                "kode_opd": self._t("opd"),
                "unit_layanan": self._t("unit_layanan"),
                "n_responden": self._t("responden"),
                "mutu": self._t("mutu"),
            }
        )
        return self._section(
            self._t("ikm_kota"),
            [self._t("ikm_teks", n=len(units), resp=int(units["n_responden"].sum()))],
            [figure, ("", table)],
        )


def agency_codes(city: CityResults) -> list[str]:
    """Every agency code of the city's ``opd`` table, in table order.

    Parameters
    ----------
    city : CityResults
        The scored city.

    Returns
    -------
    list of str
    """
    return list(city.dataset.opd["kode_opd"].astype("str"))
