"""The OPD report as a document to sign and file: cover, roster, method appendix, signature.

The fast tests build the parts on a generated city and on the tiny hand-written dataset; the
slow ones run the real batch (Papermill, then Chromium for the PDF) and read the HTML and the
PDF's text back with pypdf.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from conftest import NIP_A, NIP_B, NIP_C

from asn_eval.city_profile import PROFILE_FILE, load_profile
from asn_eval.input.dataset import Dataset
from asn_eval.input.nip import format_nip
from asn_eval.reporting.agency import AgencyReport
from asn_eval.reporting.method import method_appendix
from asn_eval.reporting.overview import CityOverview
from asn_eval.reporting.results import CityResults
from asn_eval.scoring.scheme import load_scheme
from asn_eval.scoring.score import evaluate

ISSUED = dt.date(2026, 1, 15)

PROFILE = """\
pemerintah = "Pemerintah Kabupaten Uji Coba"
penyelenggara = "Badan Kepegawaian dan Pengembangan SDM Uji"
zona_waktu = "WITA"
tempat = "Kota Uji"

[penandatangan]
nama = "Drs. Penanda Tangan <Uji>, M.Si."
nip = "19700101 199503 2 001"
jabatan = "Kepala BKPSDM Uji"
pangkat = "Pembina Utama Muda, IV/c"
"""


def _text(markup: str) -> str:
    """Return the words a reader sees in HTML (styles and tags dropped, entities read)."""
    shown = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown)))


@pytest.fixture(scope="module")
def city(city_400) -> CityResults:
    """The sample city scored for 2025, without the analyses (no document part reads them)."""
    scored = evaluate(Dataset.from_frames(city_400.tables), "2025")
    return CityResults(
        scored.data, scored.periode, scored.skema, scored.hasil, scored.kurva, scored.ikm,
        pd.DataFrame(),
    )  # fmt: skip


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("profil")
    (folder / PROFILE_FILE).write_text(PROFILE, encoding="utf-8")
    return load_profile(folder)


def _report(city: CityResults, code: str, profile=None, **options) -> AgencyReport:
    report = AgencyReport(dataclasses.replace(city, profil=profile), code, **options)
    report.terbit = ISSUED
    return report


def _nips(city_400, code: str) -> tuple[list[str], list[str]]:
    people = city_400.tables["pegawai"]
    mine = people["kode_opd"] == code
    return list(format_nip(people.loc[mine, "nip"])), list(format_nip(people.loc[~mine, "nip"]))


# -- roster -------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["DINKES", "PKM-01"])
def test_the_roster_lists_every_employee_of_the_agency_and_only_them(city, city_400, code):
    section = _report(city, code).daftar_pegawai()
    page = section._repr_html_()
    mine, others = _nips(city_400, code)
    assert [n for n in mine if n not in page] == []
    assert [n for n in others if n in page] == []
    # One numbered row per employee, in a table whose header repeats on each printed page.
    rows = re.findall(r"<tr><td class='asn-angka-sel'>([\d.]+)</td>", page)
    assert [int(r.replace(".", "")) for r in rows] == list(range(1, len(mine) + 1))
    assert page.count("<thead>") == 1 and "Nama / NIP" in page
    # Grouped by unit: one group row per unit, with its head count; the counts add up.
    units = city.hasil.loc[city.hasil["kode_opd"] == code, "unit_kerja"].astype("str")
    groups = re.findall(r"scope='rowgroup'>([^<]*) \((\d+) pegawai\)</th>", page)
    assert sorted(g for g, _ in groups) == sorted(units.unique())
    assert sum(int(n) for _, n in groups) == len(mine)
    assert {g: int(n) for g, n in groups} == units.value_counts().to_dict()


def test_the_roster_shows_ratings_notes_and_credit_points_for_functional_positions(city):
    code = "DINKES"
    frame = _report(city, code).daftar_pegawai().blocks[0].frame
    hasil = city.hasil[city.hasil["kode_opd"] == code].set_index("nip")
    nips = frame["nip"].str.replace(" ", "")
    functional = (hasil.loc[nips, "jenis_jabatan"] == "Fungsional").to_numpy()
    assert functional.any() and (~functional).any()
    assert frame.loc[functional, "angka_kredit"].notna().all()
    assert frame.loc[~functional, "angka_kredit"].isna().all()
    assert list(frame["rating_hasil_kerja"]) == list(
        hasil.loc[nips, "rating_hasil_kerja"].astype("str")
    )
    assert list(frame["catatan"]) == list(hasil.loc[nips, "catatan"].astype("str"))
    page = _text(_report(city, code).daftar_pegawai()._repr_html_())
    assert "Angka kredit (JF)" in page and "Rating perilaku" in page and "Catatan" in page


def test_the_roster_shows_the_forums_calibration(city):
    code = "DLH"
    hasil = city.hasil.copy()
    first = hasil.index[hasil["kode_opd"] == code][0]
    hasil["predikat_kalibrasi"] = pd.Series(pd.NA, index=hasil.index, dtype="str")
    hasil["alasan_kalibrasi"] = pd.Series(pd.NA, index=hasil.index, dtype="str")
    hasil["dikalibrasi"] = False
    hasil.loc[first, ["predikat_kalibrasi", "alasan_kalibrasi"]] = ["Butuh Perbaikan", "Bukti <x>"]
    hasil.loc[first, "dikalibrasi"] = True
    report = AgencyReport(dataclasses.replace(city, hasil=hasil), code)
    page = report.daftar_pegawai()._repr_html_()
    assert "Predikat kalibrasi" in page and "Alasan kalibrasi" in page
    assert "Bukti &lt;x&gt;" in page and "Bukti <x>" not in page  # data text is escaped


def test_an_anonymous_roster_has_no_real_nip_or_name(city, city_400):
    report = _report(city, "DINKES", anonim=True)
    page = report.daftar_pegawai()._repr_html_()
    people = city_400.tables["pegawai"]
    mine = people[people["kode_opd"] == "DINKES"]
    for nip in mine["nip"]:
        assert nip not in page and format_nip(pd.Series([nip]))[0] not in page
    assert not [name for name in mine["nama"] if name in page]
    assert len(set(re.findall(r"Pegawai [2-9A-Z]{6}", page))) == len(mine)
    assert "Nama dan NIP diganti nama samaran." in page


# -- cover and signature ------------------------------------------------------------------------
def test_cover_and_signature_name_the_government_and_the_signatory(city, profile):
    report = _report(city, "DINKES", profile)
    cover = report.sampul()._repr_html_()
    for said in (
        "Pemerintah Kabupaten Uji Coba",
        "Badan Kepegawaian dan Pengembangan SDM Uji",
        "Laporan Evaluasi Kinerja Pegawai",
        "Dinas Kesehatan (DINKES)",
        "Tahun 2025",
        "15 Januari 2026",
        report.scheme.judul,
    ):
        assert said in _text(cover), said
    signature = report.tanda_tangan()._repr_html_()
    assert (
        _text(signature).split()
        == (
            "Demikian laporan ini dibuat untuk dipergunakan sebagaimana mestinya. "
            "Kota Uji, 15 Januari 2026 Kepala BKPSDM Uji, Drs. Penanda Tangan <Uji>, M.Si. "
            "Pembina Utama Muda, IV/c NIP 19700101 199503 2 001"
        ).split()
    )
    assert "&lt;Uji&gt;" in signature  # the name is data: escaped
    assert "break-inside: avoid" in signature
    overview = CityOverview(dataclasses.replace(city, profil=profile))
    overview.terbit = ISSUED
    assert "Seluruh perangkat daerah (23 OPD)" in _text(overview.sampul()._repr_html_())
    assert "NIP 19700101 199503 2 001" in _text(overview.tanda_tangan()._repr_html_())


def test_without_a_profile_the_documents_say_so_and_invent_no_one(city):
    report = _report(city, "DINKES")
    cover = _text(report.sampul()._repr_html_())
    assert "Profil kota (profil.toml) tidak ada" in cover
    assert "[penandatangan]" in cover and "zona_waktu" in cover  # how to add one
    assert "Sukamaju" not in cover and "Pemerintah Kota" not in cover  # the sample's city
    signature = _text(report.tanda_tangan()._repr_html_())
    assert "tidak dicetak" in signature and "NIP" not in signature


def test_a_pseudonymised_report_prints_no_signatory(city, profile):
    report = _report(city, "DINKES", profile, anonim=True)
    signature = _text(report.tanda_tangan()._repr_html_())
    assert "Penanda Tangan" not in signature and "19700101" not in signature
    assert "Versi samaran" in signature
    assert "Pemerintah Kabupaten Uji Coba" in _text(report.sampul()._repr_html_())


def test_the_tiny_dataset_a_quarter_one_employee_without_evidence(make_dataset):
    hostile = "Pelayanan $\\alpha$ <b>x</b>"  # text from data is shown as written, escaped

    def change(tables: dict[str, pd.DataFrame]) -> None:
        tables["pegawai"].loc[2, "unit_kerja"] = hostile
        extra = {"kode_opd": "KOSONG", "nama_opd": "Tanpa Pegawai", "jenis": "badan", "induk": ""}
        tables["opd"] = pd.concat([tables["opd"], pd.DataFrame([extra])], ignore_index=True)

    folder = make_dataset(change)
    (folder / PROFILE_FILE).write_text(PROFILE, encoding="utf-8")
    city = CityResults.compute(folder, "2025-TW1")
    assert city.profil is not None and city.zona_waktu == "WITA"
    report = AgencyReport(city, "DINKES")
    assert "Triwulan I 2025" in _text(report.sampul()._repr_html_())
    roster = report.daftar_pegawai()._repr_html_()
    assert format_nip(pd.Series([NIP_A]))[0] in roster
    assert format_nip(pd.Series([NIP_C]))[0] not in roster  # PKM1's
    assert "tidak ada indikator SKP pada periode ini" in roster  # no evidence: the note says so
    assert "Drs. Penanda Tangan" in _text(report.tanda_tangan()._repr_html_())
    puskesmas = AgencyReport(city, "PKM1").daftar_pegawai()._repr_html_()
    assert html.escape(hostile) in puskesmas and "<b>x</b>" not in puskesmas
    assert "tex2jax_ignore" in puskesmas  # no MathJax typesetting of $…$
    empty = AgencyReport(city, "KOSONG")  # an agency without employees still has its parts
    assert "0 pegawai Tanpa Pegawai" in _text(empty.daftar_pegawai()._repr_html_())
    assert "Tanpa Pegawai (KOSONG)" in _text(empty.sampul()._repr_html_())


# -- method appendix ----------------------------------------------------------------------------
def test_the_method_appendix_prints_the_thresholds_the_scheme_applies(tmp_path):
    national = _text(method_appendix(load_scheme(), org="Baik", opd="DLH")._repr_html_())
    for said in (
        "≥ 110 % Di Atas Ekspektasi, ≥ 90 % Sesuai Ekspektasi",
        "≥ 4,5 Di Atas Ekspektasi, ≥ 3 Sesuai Ekspektasi",
        "paling tinggi 150 %",
        "lebih dari 50 % RHK",
        "Sangat Baik paling banyak 70 %",
        "Butuh Perbaikan + Kurang/Misconduct paling sedikit 1 orang",
        "DLH: predikat organisasi Baik",
        "tabulasi e-Kinerja nasional 2022–2024",
        "11,27 %",
        "PermenPAN-RB 6/2022",
        "Hasil kerja ↓ · Perilaku →",
    ):
        assert said in national, said
    # The matrix as the scheme has it: Di Atas × Di Atas is Sangat Baik, Di Bawah × Di Bawah not.
    assert "Di Atas Ekspektasi Kurang/Misconduct Baik Sangat Baik" in national
    assert "Di Bawah Ekspektasi Sangat Kurang Butuh Perbaikan Butuh Perbaikan" in national

    copy = tmp_path / "skema-saya.toml"
    copy.write_text(
        'dasar = "permenpan-6-2022"\nnama = "skema-saya"\n'
        "[hasil_kerja]\nbatas_di_atas = 115\n[perilaku]\nbatas_di_atas = 4.25\n"
        '[[kurva.Istimewa]]\npredikat = ["Sangat Baik"]\nmaks = 0.45\n',
        encoding="utf-8",
    )
    changed = _text(method_appendix(load_scheme(copy))._repr_html_())
    assert "≥ 115 % Di Atas Ekspektasi" in changed and "≥ 110 %" not in changed
    assert "≥ 4,25 Di Atas Ekspektasi" in changed and "≥ 4,5 " not in changed
    assert "Sangat Baik paling banyak 45 %" in changed
    assert "skema-saya@" in changed


def test_the_method_appendix_of_numeric_schemes_lists_components_and_bands():
    pp46 = _text(method_appendix(load_scheme("pp-46-2011"))._repr_html_())
    assert "Nilai dan predikat" in pp46 and "Matriks predikat" not in pp46
    assert "skp nilai SKP (rumus aspek PP 46/2011) 60 % ya" in pp46
    assert "perilaku skor perilaku 1–5 × skala 40 % ya" in pp46
    assert "Sangat Baik 91 Baik 76 Cukup 61 Kurang 51 Buruk 0" in pp46
    assert "kepemimpinan hanya untuk jabatan struktural" in pp46
    assert "Kurva distribusi" not in pp46  # the scheme has none
    assert "Porsi predikat nasional" not in pp46  # its labels are not the nation's

    pp30 = _text(method_appendix(load_scheme("pp-30-2019"))._repr_html_())
    assert "skp 60 %, perilaku 40 %" in pp30 and "inovasi tercatat" in pp30

    kutacane = _text(method_appendix(load_scheme("daerah-kutacane"))._repr_html_())
    assert "kepuasan masyarakat IKM unit layanan OPD 15 % tidak" in kutacane
    assert "aspek kuantitas" in kutacane and "RHK utama" in kutacane
    assert "capaian paling tinggi 120 %" in kutacane
    assert "Sangat Baik 100 Baik 80" in kutacane
    assert "Sumber skema:" in kutacane
    # A regional scheme keeps the national curve it is based on, and says so.
    assert "Kurva distribusi menurut predikat organisasi" in kutacane


def test_the_english_parts(city, profile):
    report = _report(city, "DINKES", profile, bahasa="en")
    assert "Year 2025" in _text(report.sampul()._repr_html_())
    assert "Employee roster" in _text(report.daftar_pegawai()._repr_html_())
    assert "Appendix: method" in _text(report.lampiran_metode()._repr_html_())
    assert "15 January 2026" in _text(report.tanda_tangan()._repr_html_())


# -- the printed report (Papermill and Chromium) --------------------------------------------------
def _pdf_pages(path: Path) -> list[str]:
    """Return each page's text as a reader sees it (the font's ﬁ ligatures read as fi)."""
    from pypdf import PdfReader

    pages = PdfReader(path).pages
    return [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in pages]


@pytest.fixture(scope="module")
def printed(city_400_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DLH and the overview as HTML and PDF from the sample city (it ships a profile)."""
    from asn_eval.batch.runner import run_reports

    out = tmp_path_factory.mktemp("cetak")
    result = run_reports(
        city_400_folder, "2025", out=out, kode_opd=["DLH"], formats=["html", "pdf"],
        progress=False,
    )  # fmt: skip
    assert not result.failed, result.failed
    return out / "2025"


@pytest.mark.slow
def test_the_printed_report_is_a_document(printed: Path, city_400_folder: Path) -> None:
    people = pd.read_csv(city_400_folder / "pegawai.csv", dtype="str")
    profile = load_profile(city_400_folder)
    mine = people[people["kode_opd"] == "DLH"]
    others = people[(people["kode_opd"] != "DLH")]
    others = others[others["nip"] != profile.penandatangan.nip.replace(" ", "")]
    html_page = _text((printed / "DLH.html").read_text(encoding="utf-8"))
    pages = _pdf_pages(printed / "DLH.pdf")
    whole = " ".join(pages)
    for text_of in (html_page, whole):
        assert [n for n in format_nip(mine["nip"]) if n not in text_of] == []
        assert [n for n in format_nip(others["nip"]) if n in text_of] == []
        assert profile.penandatangan.nama in text_of
        assert f"NIP {profile.penandatangan.nip}" in text_of
        assert "Lampiran: metode" in text_of and "≥ 110 % Di Atas Ekspektasi" in text_of
    assert profile.pemerintah in html_page and profile.pemerintah.upper() in pages[0]
    # Page 1 holds the cover, the summary and the start of the next section.
    assert "LAPORAN EVALUASI KINERJA PEGAWAI" in pages[0]
    assert "Ringkasan" in pages[0] and "Distribusi predikat dan kurva organisasi" in pages[0]
    # Sections flow: fewer pages than sections, and the signature closes the last page.
    assert len(pages) < 12
    assert f"NIP {profile.penandatangan.nip}" in pages[-1]
    # The roster's header is printed again on every page the roster spans.
    spanned = [p for p in pages if "Nama / NIP" in p]
    assert spanned and all("Rating perilaku" in p for p in spanned)

    overview = _pdf_pages(printed / "ikhtisar-kota.pdf")
    assert "IKHTISAR EVALUASI KINERJA PEGAWAI" in overview[0]
    assert f"NIP {profile.penandatangan.nip}" in overview[-1]


@pytest.mark.slow
def test_without_a_profile_and_anonymous_the_printed_report_names_nobody(
    city_400_folder: Path, tmp_path: Path
) -> None:
    from asn_eval.batch.runner import run_reports

    data = tmp_path / "data"
    shutil.copytree(city_400_folder, data)
    profile = load_profile(data)
    (data / PROFILE_FILE).unlink()
    result = run_reports(
        data, "2025", out=tmp_path / "out", kode_opd=["DLH"], formats=["html", "pdf"],
        anonim=True, progress=False,
    )  # fmt: skip
    assert not result.failed, result.failed
    people = pd.read_csv(data / "pegawai.csv", dtype="str")
    folder = tmp_path / "out" / "2025"
    for name in ("DLH", "ikhtisar-kota"):
        html_page = _text((folder / f"{name}.html").read_text(encoding="utf-8"))
        pdf_text = " ".join(_pdf_pages(folder / f"{name}.pdf"))
        for text_of in (html_page, pdf_text):
            assert "Profil kota (profil.toml) tidak ada" in text_of
            assert profile.pemerintah not in text_of and profile.penandatangan.nama not in text_of
            assert not [n for n in format_nip(people["nip"]) if n in text_of]
            assert not [n for n in people["nip"] if n in text_of]
            assert not [n for n in people["nama"] if n in text_of]
    dlh = _text((folder / "DLH.html").read_text(encoding="utf-8"))
    assert "Daftar pegawai" in dlh and "Versi samaran" not in dlh  # no profile: no signatory
    assert len(set(re.findall(r"Pegawai [2-9A-Z]{6}", dlh))) >= (people["kode_opd"] == "DLH").sum()


def test_a_card_without_a_value_is_a_dash_not_a_dash_percent(make_dataset):
    def change(tables: dict[str, pd.DataFrame]) -> None:
        for name in ("skp", "kehadiran", "aktivitas"):  # PKM1 rated, with no SKP or attendance
            tables[name] = tables[name][~tables[name]["nip"].isin([NIP_B, NIP_C])]

    city = CityResults.compute(make_dataset(change), "2025-TW1")
    cards = _text(AgencyReport(city, "PKM1").ringkasan()._repr_html_())
    assert "Capaian rata-rata" in cards and "– Capaian rata-rata" in cards
    assert "– %" not in cards and "nan" not in cards.lower()
