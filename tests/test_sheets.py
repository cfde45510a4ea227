"""Employee sheets: one page per employee, their own data only, the same numbers as hasil.xlsx.

Fast tests build sheets from the tiny hand-written dataset (no browser). The slow ones run
``asn-eval sheets`` on a generated city with Chromium and read back every HTML and PDF it wrote.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pypdf
import pytest
from conftest import NIP_A, NIP_B, NIP_C, run_cli

from asn_eval import formatting
from asn_eval.input.dataset import load
from asn_eval.input.nip import format_nip
from asn_eval.reporting.employee import MIN_GROUP, SheetBook
from asn_eval.reporting.sheet_page import SheetPage
from asn_eval.scoring.score import evaluate

# 18 digits, or grouped 8 6 1 3 (as a sheet writes a NIP).
NIP_ANYWHERE = re.compile(r"(?<!\d)(\d{8})[ .]?(\d{6})[ .]?(\d)[ .]?(\d{3})(?!\d)")
DATA_KOLOM = re.compile(r'data-kolom="([a-z_]+)">(?:<b>)?([^<]*)<')


def _book(folder: Path, periode: str = "2025-TW1", anonim: bool = False) -> SheetBook:
    dataset = load(folder, cache=False)
    return SheetBook(evaluate(dataset, periode), anonim=anonim)


def _with_peers(count: int):
    def change(tables: dict[str, pd.DataFrame]) -> None:
        extra = pd.DataFrame(
            {
                "periode": ["2025-TW1"] * count,
                "nip": [NIP_C] * count,
                "nip_penilai": [NIP_A, NIP_B, "198512202010122004"][:count],
                "peran_penilai": ["rekan"] * count,
                "nilai_inti": ["Kolaboratif"] * count,
                "skor": ["2", "3", "4"][:count],
            }
        )
        tables["perilaku"] = pd.concat([tables["perilaku"], extra], ignore_index=True)

    return change


def test_a_sheet_holds_the_employees_own_result(make_dataset):
    book = _book(make_dataset())
    sheet = book.sheet(book.position(NIP_C))
    row = book.hasil.set_index("nip").loc[NIP_C]
    assert sheet.identitas["Nama"] == "Andi Pratama"
    assert sheet.identitas["NIP"] == "19900315 201503 1 003"
    assert sheet.identitas["OPD"] == "Puskesmas Satu (PKM1)"
    assert sheet.ringkasan["predikat"] == row["predikat"] == "Baik"
    assert sheet.ringkasan["capaian"] == formatting.points(row["capaian"])
    [rhk] = sheet.rhk
    assert rhk.rhk == "Pelayanan keperawatan terlaksana" and len(rhk.indikator) == 3
    waktu = next(i for i in rhk.indikator if i.aspek == "waktu")
    assert (waktu.target, waktu.realisasi, waktu.satuan, waktu.capaian) == (
        "12",
        "12",
        "menit",
        "100,0 %",
    )
    assert [role for role, _ in sheet.peran] == ["diri", "atasan"]
    kolaboratif = next(r for r in sheet.perilaku if r["nilai_inti"] == "Kolaboratif")
    assert (kolaboratif["diri"], kolaboratif["atasan"]) == ("5,00", "4,00")
    assert sheet.kehadiran["Kehadiran"] == formatting.points(row["persen_hadir"])
    assert sheet.aktivitas["Aktivitas"] == "2" and sheet.aktivitas["Menunggu"] == "1"
    assert sheet.alasan == book.explainer.reasons(book.position(NIP_C))
    assert any("matriks" in line for line in sheet.alasan)
    # A first quarter has no earlier one; the quarter itself is listed.
    assert [q["periode"] for q in sheet.triwulan] == ["Triwulan I 2025"]


@pytest.mark.parametrize("peers", [MIN_GROUP - 1, MIN_GROUP])
def test_peers_are_shown_only_as_a_group_of_enough_raters(make_dataset, peers):
    book = _book(make_dataset(_with_peers(peers)))
    sheet = book.sheet(book.position(NIP_C))
    roles = [role for role, _ in sheet.peran]
    if peers < MIN_GROUP:
        assert "rekan" not in roles
        assert f"rekan ({peers})" in sheet.catatan_perilaku
        assert all("rekan" not in row for row in sheet.perilaku)
    else:
        assert "rekan" in roles and sheet.catatan_perilaku is None
        assert dict(sheet.peran)["rekan"] == f"Rekan ({peers})"
        kolaboratif = next(r for r in sheet.perilaku if r["nilai_inti"] == "Kolaboratif")
        assert kolaboratif["rekan"] == "3,00"  # the mean, never the three ratings


def _feedback_naming_others(tables: dict[str, pd.DataFrame]) -> None:
    tables["skp"]["umpan_balik"] = [
        "Belajar dari Sari Dewi (NIP 19800101 200501 2 002), Andi Pratama",
        "<b>tebal</b> $x^2$",
        "",
    ]


def test_free_text_names_nobody_else_and_stays_text(make_dataset):
    book = _book(make_dataset(_feedback_naming_others))
    i = book.position(NIP_C)
    sheet = book.sheet(i)
    said = " ".join(words for _, words in sheet.umpan_balik)
    assert "Sari Dewi" not in said and "19800101" not in said
    assert "Andi Pratama" in said  # the employee's own name stays
    page = SheetPage(None, "permenpan-6-2022", "2025-TW1", "ds", False, "Triwulan", "–")
    section = page.section(sheet, book.file_stem(i))
    assert "<b>tebal</b>" not in section and html.escape("<b>tebal</b>") in section
    assert "$x^2$" in section  # literal; the page loads no MathJax


def test_anonymous_sheet_names_nobody(make_dataset):
    book = _book(make_dataset(_feedback_naming_others), anonim=True)
    i = book.position(NIP_C)
    sheet = book.sheet(i)
    page = SheetPage(None, "permenpan-6-2022", "2025-TW1", "ds", True, "Triwulan", "–")
    shown = page.page(sheet, book.file_stem(i))
    for name in ("Andi Pratama", "Sari Dewi", "Budi Santoso", "Rina Wati"):
        assert name not in shown
    assert not NIP_ANYWHERE.search(shown)
    assert book.file_stem(i).startswith("P-") and NIP_C not in book.file_stem(i)
    assert sheet.identitas["Nama"].startswith("Pegawai ")


# -- the command, with Chromium -------------------------------------------------------------------


@pytest.fixture(scope="module")
def city_sheets(city_400_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from asn_eval.batch.sheets import run_sheets

    out = tmp_path_factory.mktemp("lembar") / "lembar"
    run_sheets(city_400_folder, "2025-TW2", out=out)
    return out


def _sheet_files(out: Path, suffix: str) -> list[Path]:
    return sorted(p for p in out.glob(f"*/*.{suffix}") if p.name != "index.html")


@pytest.mark.slow
def test_every_employee_gets_one_page_with_their_own_nip_only(city_400_folder, city_sheets):
    people = load(city_400_folder).pegawai
    nips = set(people["nip"].astype(str))
    names = dict(zip(people["nip"].astype(str), people["nama"].astype(str), strict=True))
    pages = _sheet_files(city_sheets, "html")
    pdfs = _sheet_files(city_sheets, "pdf")
    assert {p.stem for p in pages} == {p.stem for p in pdfs} == nips
    from asn_eval.city_profile import load_profile

    # The profile's signatory (the sample's head of BKPSDM, an employee too) signs every sheet.
    signatory = load_profile(city_400_folder).penandatangan
    signer = "".join(signatory.nip.split())
    # Every name as a whole (not the start of a longer one: "Nurul Hasanah, S.Pd., M.Pd.").
    every = sorted(set(names.values()), key=len, reverse=True)
    any_name = re.compile("|".join(re.escape(n) for n in every) + r"(?![\w,])")
    others_seen = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        found = {"".join(m.groups()) for m in NIP_ANYWHERE.finditer(text)}
        assert found - {signer} == {path.stem} - {signer}, path.name
        assert format_nip(pd.Series([path.stem])).iloc[0] in text
        seen = set(any_name.findall(text)) - {names[path.stem], signatory.nama}
        others_seen += [(path.name, n) for n in seen]
    assert not others_seen
    for path in pdfs:
        reader = pypdf.PdfReader(path)
        assert len(reader.pages) == 1, path.name
    for path in pdfs[::25]:
        text = pypdf.PdfReader(path).pages[0].extract_text()
        assert format_nip(pd.Series([path.stem])).iloc[0] in text
        assert names[path.stem].split(",")[0] in text
    index = (city_sheets / "index.html").read_text(encoding="utf-8")
    agencies = [p.parent.name for p in city_sheets.glob("*/index.html")]
    assert all(f"{a}/index.html" in index for a in agencies)
    for folder in agencies:
        listed = (city_sheets / folder / "index.html").read_text(encoding="utf-8")
        for page in (city_sheets / folder).glob("*.html"):
            if page.name != "index.html":
                assert f"{page.stem}.html" in listed and f"{page.stem}.pdf" in listed


@pytest.mark.slow
def test_sheet_numbers_equal_the_workbook(city_400_folder, city_sheets, tmp_path, capsys):
    code, _, err = run_cli(
        capsys, "score", city_400_folder, "--periode", "2025-TW2", "--out", tmp_path
    )
    assert code == 0, err
    from asn_eval.spreadsheet import read_back

    book = read_back(tmp_path / "hasil.xlsx", dtype=object)["hasil"].set_index("nip")
    checked = 0
    for path in _sheet_files(city_sheets, "html"):
        shown = {k: html.unescape(v) for k, v in DATA_KOLOM.findall(path.read_text("utf-8"))}
        row = book.loc[path.stem]
        for column in ("rating_hasil_kerja", "rating_perilaku", "rating_hasil_kerja_saran"):
            expected = row[column] if pd.notna(row[column]) else formatting.MISSING
            assert shown[column] == expected, (path.name, column)
        expected = row["predikat"] if pd.notna(row["predikat"]) else "Tanpa predikat"
        assert shown["predikat_kalibrasi"] == expected, path.name
        # The workbook keeps capaian and attendance as Excel percents (fractions).
        assert shown["capaian"] == formatting.points(
            None if pd.isna(row["capaian"]) else float(row["capaian"]) * 100
        )
        assert shown["skor_perilaku"] == formatting.number(row["skor_perilaku"], 2)
        if "persen_hadir" in shown:
            assert shown["persen_hadir"] == formatting.points(float(row["persen_hadir"]) * 100)
        checked += 1
    assert checked == len(book)


@pytest.mark.slow
def test_anonymous_sheets_name_nobody_not_even_in_file_names(city_400_folder, tmp_path, capsys):
    out = tmp_path / "samaran"
    code, said, err = run_cli(
        capsys, "sheets", city_400_folder, "--periode", "2025", "--opd", "DINKES", "BKPSDM",
        "--anonim", "--out", out,
    )  # fmt: skip
    assert code == 0, err
    people = load(city_400_folder).pegawai
    names = [n.split(",")[0] for n in people["nama"].astype(str)]
    files = [p for p in out.rglob("*") if p.is_file()]
    wanted = people["kode_opd"].astype(str).isin(["DINKES", "BKPSDM"]).sum()
    assert len([p for p in files if p.suffix == ".pdf"]) == wanted
    for path in files:
        assert not NIP_ANYWHERE.search(path.name)
        text = (
            pypdf.PdfReader(path).pages[0].extract_text()
            if path.suffix == ".pdf"
            else path.read_text("utf-8")  # the pages, and the record of the run (--resume)
        )
        assert not NIP_ANYWHERE.search(text), path.name
        assert not [n for n in names if n in text], path.name
        # No role's mean outside the behaviour table (a reward's evidence listed them).
        assert not re.search(r"\b(atasan|rekan|bawahan) \d,\d\d", text), path.name
    assert "2.500" not in said and f"{wanted} lembar" in said.replace(".", "")


@pytest.mark.slow
def test_an_objection_answered_shows_on_the_next_sheets(city_400_folder, tmp_path, capsys):
    data = load(city_400_folder)
    scored = evaluate(data, "2025-TW2")
    hasil = scored.hasil[scored.hasil["predikat"] == "Baik"]
    changed, kept, waiting = (str(n) for n in hasil["nip"].iloc[:3])
    sheet = tmp_path / "keberatan.csv"
    pd.DataFrame(
        {
            "NIP": [f"'{changed}", f"'{kept}", f"'{waiting}"],
            "Periode": ["TW II 2025"] * 3,
            "Alasan Keberatan": [
                "Capaian program imunisasi belum dihitung",
                "Rating perilaku terlalu rendah",
                "Indikator waktu tidak sesuai",
            ],
            "Diajukan Oleh": ["pegawai sendiri"] * 3,
            "Jawaban": ["Bukti dukung diterima forum", "Bukti tidak cukup", ""],
            "Hasil": ["diubah", "tetap", ""],
            "Predikat Baru": ["Sangat Baik", "", ""],
            "Dijawab Oleh": ["Tim Penilai Kinerja", "Tim Penilai Kinerja", ""],
        }
    ).to_csv(sheet, index=False)
    store = tmp_path / "keputusan.sqlite"
    code, _, err = run_cli(
        capsys, "decisions", "import", city_400_folder, sheet, "--keputusan", store
    )
    assert code == 0, err
    out = tmp_path / "lembar"
    code, _, err = run_cli(
        capsys, "sheets", city_400_folder, "--periode", "2025-TW2", "--nip", changed, kept,
        waiting, "--keputusan", store, "--format", "html", "--out", out,
    )  # fmt: skip
    assert code == 0, err
    pages = {p.stem: p.read_text("utf-8") for p in _sheet_files(out, "html")}
    assert set(pages) == {changed, kept, waiting}
    shown = dict(DATA_KOLOM.findall(pages[changed]))
    assert shown["predikat_kalibrasi"] == "Sangat Baik" and shown["predikat"] == "Baik"
    assert "Dikabulkan: predikat menjadi Sangat Baik" in pages[changed]
    assert "(sesudah keberatan)" in pages[changed] and "Forum kalibrasi" not in pages[changed]
    assert "Bukti dukung diterima forum" in pages[changed]
    assert "Predikat tetap Baik" in pages[kept]
    assert dict(DATA_KOLOM.findall(pages[kept]))["predikat_kalibrasi"] == "Baik"
    assert "Belum dijawab (0 hari)" in pages[waiting]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("periode", "shape"),
    [("2025", "year-only"), ("2025", "quarters-only"), ("2025-TW3", "quarters-only")],
)
def test_every_period_shape(make_dataset, tmp_path, capsys, periode, shape):
    def reshape(tables: dict[str, pd.DataFrame]) -> None:
        for name in ("skp", "perilaku", "kehadiran", "penilaian", "organisasi", "survei"):
            frame = tables[name]
            if shape == "year-only":
                frame["periode"] = "2025"
            else:
                frame["periode"] = "2025-TW3"

    folder = make_dataset(reshape)
    out = tmp_path / "lembar"
    code, said, err = run_cli(capsys, "sheets", folder, "--periode", periode, "--out", out)
    assert code == 0, err
    page = (out / "PKM1" / f"{NIP_C}.html").read_text("utf-8")
    assert "Andi Pratama" in page and "Jumlah pasien dilayani" in page
    assert len(pypdf.PdfReader(out / "PKM1" / f"{NIP_C}.pdf").pages) == 1
    if shape == "year-only":
        assert "Data hanya berisi penilaian tahunan" in page
    else:
        assert "Triwulan III 2025" in page
    assert "4 lembar pegawai untuk 3 OPD" in said


def test_unknown_agency_or_nip_is_refused_before_anything_is_written(
    make_dataset, tmp_path, capsys
):
    folder = make_dataset()
    out = tmp_path / "lembar"
    for extra in (["--opd", "NOPE"], ["--nip", "199901012020011999"]):
        code, _, err = run_cli(
            capsys, "sheets", folder, "--periode", "2025-TW1", *extra, "--out", out
        )
        assert code == 2 and ("NOPE" in err or "199901012020011999" in err)
        assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.slow
def test_a_sheet_too_long_for_a_page_keeps_its_pages_and_the_others_theirs(
    make_dataset, tmp_path, capsys
):
    def many_indicators(tables: dict[str, pd.DataFrame]) -> None:
        rows = 90  # far beyond what fits a page even printed smaller
        tables["skp"] = pd.DataFrame(
            {
                "periode": ["2025-TW1"] * rows,
                "nip": [NIP_C] * rows,
                "rhk_id": [f"RHK-{k // 3}" for k in range(rows)],
                "rhk": [f"Rencana hasil kerja nomor {k // 3}" for k in range(rows)],
                "jenis_rhk": ["utama"] * rows,
                "aspek": ["kuantitas", "kualitas", "waktu"] * (rows // 3),
                "indikator": [
                    f"Indikator kinerja yang cukup panjang nomor {k}" for k in range(rows)
                ],
                "target": ["100"] * rows,
                "realisasi": ["97"] * rows,
                "satuan": ["dokumen"] * rows,
                "arah": ["naik"] * rows,
                "rating_atasan": ["Sesuai Ekspektasi"] * rows,
            }
        )

    folder = make_dataset(many_indicators)
    out = tmp_path / "lembar"
    code, said, err = run_cli(capsys, "sheets", folder, "--periode", "2025-TW1", "--out", out)
    assert code == 0, err
    assert "1 tetap lebih dari satu halaman" in said
    long = pypdf.PdfReader(out / "PKM1" / f"{NIP_C}.pdf")
    assert len(long.pages) > 1
    assert "19900315 201503 1 003" in long.pages[0].extract_text()
    assert "nomor 89" in long.pages[-1].extract_text()
    for path in out.glob("*/*.pdf"):
        if path.stem != NIP_C:
            reader = pypdf.PdfReader(path)
            assert len(reader.pages) == 1
            assert format_nip(pd.Series([path.stem])).iloc[0] in reader.pages[0].extract_text()


def test_objections_on_a_sheet_in_the_citys_day_and_words(make_dataset):
    from asn_eval.decisions.objections import OBJECTION_COLUMNS

    dataset = load(make_dataset(), cache=False)
    base = {c: pd.NA for c in OBJECTION_COLUMNS}
    filed = pd.Timestamp("2026-01-10 20:00", tz="UTC")  # 11 January in WIB
    rows = [
        {**base, "id": 1, "waktu": filed, "nip": NIP_C, "status": "terbuka", "umur_hari": 4,
         "alasan_keberatan": "Kata Sari Dewi capaian saya salah", "predikat_keberatan": "Baik"},
        {**base, "id": 2, "waktu": filed, "nip": NIP_C, "status": "dijawab", "hasil": "diubah",
         "ditarik": True, "predikat_keberatan": "Baik", "predikat_sesudah": "Sangat Baik",
         "alasan_keberatan": "Bukti belum dihitung", "jawaban": "Diterima",
         "waktu_jawaban": filed},
    ]  # fmt: skip
    book = SheetBook(evaluate(dataset, "2025-TW1"), keberatan=pd.DataFrame(rows))
    shown = book.sheet(book.position(NIP_C)).keberatan
    assert [k["diajukan"] for k in shown] == ["11 Januari 2026"] * 2
    assert shown[0]["hasil"] == "Belum dijawab (4 hari)" and "Sari Dewi" not in shown[0]["alasan"]
    assert shown[1]["hasil"].startswith("Dikabulkan (Sangat Baik), lalu perubahannya ditarik")
    assert book.sheet(book.position(NIP_A)).keberatan == []


def test_sheets_made_again_for_one_agency_keep_the_others_in_the_index(
    make_dataset, tmp_path, capsys
):
    folder, out = make_dataset(), tmp_path / "lembar"
    base = ["sheets", folder, "--periode", "2025-TW1", "--format", "html", "--out", out]
    assert run_cli(capsys, *base)[0] == 0
    assert run_cli(capsys, *base, "--opd", "PKM1")[0] == 0
    index = (out / "index.html").read_text("utf-8")
    for code in ("DINKES", "PKM1", "BKPSDM"):
        assert f"{code}/index.html" in index
    assert "4 lembar" in index
    # Another period is its own set: the index does not mix them.
    assert run_cli(capsys, "sheets", folder, "--periode", "2025", "--format", "html",
                   "--opd", "PKM1", "--out", out)[0] == 0  # fmt: skip
    index = (out / "index.html").read_text("utf-8")
    assert "PKM1/index.html" in index and "DINKES/index.html" not in index
