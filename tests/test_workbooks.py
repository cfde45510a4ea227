"""Workbooks for people (issue 13): every workbook the tool writes is read back with openpyxl.

``hasil.xlsx`` (under the national scheme, a numeric one and a regional one), ``analisis.xlsx``,
``masalah.xlsx`` and the decisions export, from a small sample city (with a profile) and from a
hand-written quarter-only dataset (one OPD per employee, no profile). Each is checked as an
evaluator meets it: Indonesian headers, a ``kolom`` sheet naming each header's column, Excel
formats per kind (percent, count, score, text NIP, date-time), no column empty for every row,
fills on level and predikat columns only, A4 landscape print set-up on every sheet, and no machine
path in any cell, header or footer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import NIP_B, NIP_C, tiny_tables, write_tables

from asn_eval.analysis.run import analyze, write_analysis
from asn_eval.columns import COLUMNS, KINDS, column
from asn_eval.decisions import DecisionStore
from asn_eval.formatting import zone
from asn_eval.input.dataset import load, validate
from asn_eval.input.problems import write_problems
from asn_eval.reporting.scored import write_scored
from asn_eval.sample import generator as sample
from asn_eval.scoring.scheme import load_scheme
from asn_eval.scoring.score import RESULT_COLUMNS, evaluate
from asn_eval.spreadsheet import (
    COLUMNS_SHEET,
    LEVEL_FILL,
    PAPER_A4,
    PREDIKAT_FILL,
    column_names,
    read_back,
)

SCHEMES = ["permenpan-6-2022", "pp-46-2011", "daerah-walesi"]
MACHINE = ("/tmp", "/home", "/root", "/work", "\\Users\\", "C:\\")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Every workbook, written once: name → path; ``city`` and ``tiny`` are the data folders."""
    root = tmp_path_factory.mktemp("buku")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASN_EVAL_CACHE", str(root / "cache"))
        city = root / "kota"
        sample.write_sample(city, n_pegawai=100, seed=5, format="parquet")  # quick to load
        tiny = write_tables(tiny_tables(), root / "kecil")  # quarter-only, hand-written
        found: dict[str, Path] = {"city": city, "tiny": tiny}
        data = load(city)
        for name in SCHEMES:
            scored = evaluate(data, data.periode("2025"), load_scheme(name))
            write_scored(scored, root / name)
            found[name] = root / name / "hasil.xlsx"
        write_analysis(analyze(scored), root / "analisis", scored=scored)
        found["analisis"] = root / "analisis" / "analisis.xlsx"

        small = load(tiny)
        quarter = evaluate(small, small.periode("2025-TW1"), load_scheme())
        write_scored(quarter, root / "kecil-hasil")
        found["kecil"] = root / "kecil-hasil" / "hasil.xlsx"
        write_analysis(analyze(quarter), root / "kecil-analisis", scored=quarter)
        found["kecil-analisis"] = root / "kecil-analisis" / "analisis.xlsx"

        broken = tiny_tables()
        broken["perilaku"]["skor"] = ["9", "=1+1"]
        bad = write_tables(broken, root / "salah")
        found["masalah"] = write_problems(
            root / "masalah.xlsx", validate(bad, cache=False), data=bad
        )

        with DecisionStore(root / "keputusan.sqlite", pegawai=small) as store:
            for nip in (NIP_C, NIP_B):
                store.record(
                    nip=nip,
                    periode="2025-TW1",
                    skema="permenpan-6-2022",
                    kode_opd="PKM1",
                    sebelum="Baik",
                    sesudah="Sangat Baik",
                    alasan="bukti capaian di forum",
                    oleh="Tim Penilai",
                )
            found["keputusan"] = store.export_xlsx(root / "keputusan.xlsx", zona="WITA")
        yield found


BOOKS = [*SCHEMES, "analisis", "kecil", "kecil-analisis", "masalah", "keputusan"]


@pytest.fixture(scope="module")
def opened(made: dict[str, Path]) -> Callable[[str], openpyxl.Workbook]:
    """Open a workbook of :func:`made` with openpyxl, once per module (read, never saved)."""
    return functools.cache(lambda name: openpyxl.load_workbook(made[name]))


def _headers(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def _column_cells(sheet, header: str) -> list[openpyxl.cell.Cell]:
    index = _headers(sheet).index(header) + 1
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index)]


@pytest.mark.parametrize("name", BOOKS)
def test_every_sheet_is_set_up_to_print(made: dict[str, Path], opened: Callable, name: str) -> None:
    book = opened(name)
    for sheet in book.worksheets:
        where = f"{name}:{sheet.title}"
        setup = sheet.page_setup
        assert setup.orientation == "landscape", where
        assert int(setup.paperSize) == PAPER_A4, where
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, where
        # one page wide (an absent fitToWidth is 1, ECMA-376 §18.3.1.63), as tall as it takes
        assert setup.fitToWidth in (None, 1) and int(setup.fitToHeight) == 0, where
        assert sheet.print_title_rows == "$1:$1", where  # the header row on every page
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        assert sheet.oddFooter.center.text.startswith("Halaman"), where
        assert sheet.oddHeader.left.text and sheet.oddHeader.right.text == "&A", where
        assert re.fullmatch(r"[A-Z]+2", sheet.freeze_panes or ""), where
        assert (sheet.auto_filter.ref or "").startswith("A1:"), where
        assert sheet.print_options.gridLines, where


@pytest.mark.parametrize("name", BOOKS)
def test_headers_are_indonesian_and_the_kolom_sheet_names_each(
    made: dict[str, Path], opened: Callable, name: str
) -> None:
    book = opened(name)
    assert COLUMNS_SHEET in book.sheetnames
    names = column_names(made[name])
    mapping = pd.read_excel(made[name], sheet_name=COLUMNS_SHEET, engine="calamine")
    assert list(mapping.columns) == [
        "Lembar",
        "Judul kolom",
        "Nama kolom di data",
        "Arti",
        "Format",
    ]
    assert mapping["Arti"].notna().all(), mapping[mapping["Arti"].isna()]  # every column declared
    for sheet in book.worksheets:
        if sheet.title in (COLUMNS_SHEET, "tentang", "keutuhan"):
            continue
        headers = _headers(sheet)
        assert list(names[sheet.title]) == headers and len(set(headers)) == len(headers)
        for header, code in names[sheet.title].items():
            assert header != code or header in {"IKM"}, (sheet.title, header)  # said, not coded
            assert "_" not in header, (sheet.title, header)


@pytest.mark.parametrize("name", BOOKS)
def test_no_column_is_empty_for_every_row(
    made: dict[str, Path], opened: Callable, name: str
) -> None:
    book = opened(name)
    for sheet in book.worksheets:
        if sheet.max_row < 2:
            continue  # a table without rows keeps its headers
        for cells in sheet.iter_cols(min_row=2):
            assert any(c.value not in (None, "") for c in cells), (sheet.title, cells[0].column)


@pytest.mark.parametrize("name", BOOKS)
def test_colours_only_on_level_and_predikat_columns(
    made: dict[str, Path], opened: Callable, name: str
) -> None:
    book = opened(name)
    names = column_names(made[name])
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                assert cell.fill.fill_type is None, (sheet.title, cell.coordinate)
        headers = _headers(sheet)
        for ranges in sheet.conditional_formatting:
            for cells in str(ranges.sqref).split():
                first = openpyxl.utils.cell.coordinate_from_string(cells.split(":")[0])
                header = headers[openpyxl.utils.cell.column_index_from_string(first[0]) - 1]
                code = names[sheet.title][header]
                assert column(code, sheet.title).spec.role in ("level", "predikat"), header


def test_fills_stay_readable_in_black_and_white() -> None:
    def luma(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    greys = [luma(c) for c in PREDIKAT_FILL]
    assert greys == sorted(greys, reverse=True)  # worse is darker, in grey too
    assert min(greys) > 150  # black text stays legible on every fill
    assert all(luma(c) > 150 for c in LEVEL_FILL.values())


@pytest.mark.parametrize("name", BOOKS)
def test_no_machine_path_anywhere(made: dict[str, Path], opened: Callable, name: str) -> None:
    forbidden = [*MACHINE, str(made["city"]), str(made["tiny"]), str(made[name].parent)]
    book = opened(name)
    for sheet in book.worksheets:
        texts = [sheet.oddHeader.left.text or "", sheet.oddFooter.center.text or ""]
        texts += [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        for text in texts:
            assert not any(bad in text for bad in forbidden), (sheet.title, text)


def test_results_formats_per_kind(made: dict[str, Path], opened: Callable) -> None:
    path = made["permenpan-6-2022"]
    sheet = opened("permenpan-6-2022")["hasil"]
    hasil = pd.read_parquet(path.parent / "hasil.parquet")
    assert list(hasil.columns) == RESULT_COLUMNS  # programs keep the contract's names
    nips = _column_cells(sheet, "NIP")
    assert [c.value for c in nips] == hasil["nip"].astype(str).tolist()
    assert all(c.data_type == "s" and c.number_format == "@" for c in nips)
    capaian = _column_cells(sheet, "Capaian rata-rata")
    assert {c.number_format for c in capaian if c.value is not None} == {"0.0%"}
    shown = pd.Series([c.value for c in capaian], dtype="float64")
    expected = hasil["capaian"].astype("float64") / 100  # percent points → one fraction, once
    assert ((shown - expected).abs().dropna() < 1e-12).all() and shown.notna().any()
    for header, fmt in {
        "Jumlah RHK": "#,##0",
        "Skor perilaku": "0.00",
        "Kehadiran": "0.0%",
        "Terlambat (menit)": "#,##0",
    }.items():
        assert {c.number_format for c in _column_cells(sheet, header) if c.value is not None} == {
            fmt
        }, header
    headers = _headers(sheet)
    assert headers[:3] == ["NIP", "Nama", "Kode OPD"] and sheet.freeze_panes == "C2"
    assert "Rating hasil kerja (saran dari bukti)" in headers
    # the national scheme has no numbers: those columns are left out, and the kolom sheet says so
    assert not {"Nilai SKP", "Nilai perilaku", "Nilai akhir"} & set(headers)
    mapping = pd.read_excel(path, sheet_name=COLUMNS_SHEET, engine="calamine")
    left_out = mapping[mapping["Format"].str.startswith("tidak ditampilkan")]
    assert {"nilai_skp", "nilai_perilaku", "nilai"} <= set(left_out["Nama kolom di data"])

    book = opened("permenpan-6-2022")
    summary = book["ringkasan_opd"]
    assert {c.number_format for c in _column_cells(summary, "Porsi predikat tertinggi")} == {"0.0%"}
    assert {c.number_format for c in _column_cells(summary, "Jumlah Sangat Baik")} == {"#,##0"}
    curve = book["kurva"]
    assert {c.number_format for c in _column_cells(curve, "Porsi Sangat Baik")} == {"0.0%"}
    assert {c.value for c in _column_cells(curve, "Kurva terlampaui")} <= {"Ya", "Tidak"}
    assert "NRR U1 Persyaratan" in _headers(book["ikm"])


@pytest.mark.parametrize(
    ("name", "shown", "left_out"),
    [
        ("pp-46-2011", {"Nilai SKP", "Nilai perilaku", "Nilai akhir"}, set()),
        ("daerah-walesi", {"Nilai akhir"}, set()),
        ("kecil", {"Angka kredit"}, {"Nilai SKP", "Nilai akhir"}),
    ],
)
def test_a_numeric_scheme_keeps_its_numbers(
    opened: Callable, name: str, shown: set[str], left_out: set[str]
) -> None:
    sheet = opened(name)["hasil"]
    headers = set(_headers(sheet))
    assert shown <= headers and not left_out & headers
    for header in shown:
        cells = [c for c in _column_cells(sheet, header) if c.value is not None]
        formats = {"0.000" if header == "Angka kredit" else "0.00"}
        assert cells and {c.number_format for c in cells} == formats, header


def test_about_sheet_names_the_folder_scheme_period_and_time(
    made: dict[str, Path], opened: Callable
) -> None:
    about = read_back(made["daerah-walesi"])["tentang"]
    lines = dict(zip(about["Keterangan"], about["Isi"], strict=True))
    assert lines["Data"] == made["city"].name
    assert lines["Periode"] == "2025"
    assert lines["Versi skema"] == load_scheme("daerah-walesi").key
    assert lines["Pemerintah"] == "Pemerintah Kota Sukamaju"  # the sample city's profile
    assert re.fullmatch(r"\d{1,2} \w+ \d{4} \d{2}\.\d{2} WIB", lines["Dibuat"])
    assert lines["Dibuat dengan"].startswith("asn-eval ")
    header = opened("daerah-walesi")["hasil"].oddHeader.left.text
    assert header == "Hasil penilaian kinerja pegawai 2025 · Pemerintah Kota Sukamaju"
    small = read_back(made["kecil"])["tentang"]
    lines = dict(zip(small["Keterangan"], small["Isi"], strict=True))
    assert lines["Data"] == made["tiny"].name and lines["Periode"] == "2025-TW1"
    assert lines["Profil kota"].startswith("belum ada") and lines["Dibuat"].endswith(" WIB")


def test_analysis_workbook_for_people(made: dict[str, Path], opened: Callable) -> None:
    book = opened("analisis")
    assert book.sheetnames[:2] == ["temuan", "isi"] and book.sheetnames[-2:] == ["kolom", "tentang"]
    for sheet_name, header, fmt in [
        ("penilai", "NIP penilai", "@"),
        ("atasan", "Porsi berbeda", "0.0%"),
        ("tren_opd", "Capaian rata-rata", "0.0%"),
        ("aktivitas_opd", "Jumlah aktivitas", "#,##0"),
        ("kesepakatan", "Alfa Krippendorff", "0.00"),
    ]:
        cells = [c for c in _column_cells(book[sheet_name], header) if c.value is not None]
        assert cells and {c.number_format for c in cells} == {fmt}, (sheet_name, header)
    nips = [c.value for c in _column_cells(book["penilai"], "NIP penilai")]
    assert all(isinstance(v, str) and len(v) == 18 for v in nips)  # never a rounded number
    tables = read_back(made["analisis"])
    assert tables["isi"]["baris"].tolist()[0] == len(tables["penilai"])
    # the quarter-only dataset: empty tables keep their headers, nothing else breaks
    small = opened("kecil-analisis")
    assert small["tren_pegawai"].max_row == 1 and _headers(small["tren_pegawai"])[0] == "NIP"


def test_problems_and_decisions_workbooks(made: dict[str, Path], opened: Callable) -> None:
    problems = opened("masalah")["masalah"]
    assert _headers(problems) == ["Berkas", "Baris", "Kolom", "Masalah", "Isi sel", "Tingkat"]
    assert [c.value for c in _column_cells(problems, "Isi sel")] == ["9", "=1+1"]  # as typed
    assert {c.number_format for c in _column_cells(problems, "Baris")} == {"0"}

    book = opened("keputusan")
    assert book.sheetnames == ["berlaku", "keberatan", "riwayat", "keutuhan", "kolom"]
    history = book["riwayat"]
    assert "Waktu (WITA)" in _headers(history)
    times = _column_cells(history, "Waktu (WITA)")
    assert all(
        isinstance(c.value, datetime) and c.number_format == KINDS["waktu"].num_format
        for c in times
    )
    with DecisionStore(made["keputusan"].with_suffix(".sqlite")) as store:
        recorded = store.history()["waktu"]
    local = recorded.dt.tz_convert(zone("WITA")).dt.tz_localize(None)
    assert all(abs(c.value - t) < pd.Timedelta("1ms") for c, t in zip(times, local, strict=True))
    nips = [c.value for c in _column_cells(history, "NIP")]
    assert nips == [NIP_C, NIP_B] and all(
        c.number_format == "@" for c in _column_cells(history, "NIP")
    )
    checked = dict((row[0].value, row[1].value) for row in book["keutuhan"].iter_rows(min_row=2))
    assert checked["berkas"] == "keputusan.sqlite"  # its name, never where it lies


def test_every_column_has_a_kind() -> None:
    assert all(spec.kind in KINDS for spec in COLUMNS.values())
    assert column("nilai", "masalah").kind == "teks" and column("nilai").kind == "skor"
    assert not column("kolom_baru").declared  # a new column shows, but the tests above fail


def test_results_sheet_folds_its_detail_columns_and_keeps_the_reading_ones(
    opened: Callable,
) -> None:
    from openpyxl.utils import get_column_letter

    sheet = opened("permenpan-6-2022")["hasil"]
    headers = _headers(sheet)
    folded = {
        headers[i - 1]
        for i in range(1, len(headers) + 1)
        if sheet.column_dimensions[get_column_letter(i)].hidden
    }
    levels = {
        headers[i - 1]
        for i in range(1, len(headers) + 1)
        if sheet.column_dimensions[get_column_letter(i)].outlineLevel == 1
    }
    assert folded == levels  # every folded column can be opened with the outline's "+"
    assert {"Periode", "Skema", "Rating hasil kerja (saran dari bukti)"} <= folded
    shown = [h for h in headers if h not in folded]
    assert {"NIP", "Nama", "Capaian rata-rata", "Predikat kinerja", "Catatan"} <= set(shown)
    widths = [sheet.column_dimensions[get_column_letter(headers.index(h) + 1)].width for h in shown]
    # printed one page wide: the shown columns need at most ~60 % reduction, not ~37 %
    assert sum(widths) < 240, sum(widths)


def test_a_table_longer_than_a_sheet_continues_on_the_next_sheets(tmp_path, monkeypatch):
    # Excel holds 1,048,576 rows a sheet; xlsxwriter drops cells past it without a word. A
    # national result (4.3 M employees) must continue on further sheets, in order, none lost.
    from asn_eval import spreadsheet

    monkeypatch.setattr(spreadsheet, "SHEET_ROWS", 3)
    frame = pd.DataFrame({"nip": [f"19800101200501100{i}" for i in range(7)], "capaian": range(7)})
    path = tmp_path / "panjang.xlsx"
    with spreadsheet.people_workbook(path, "Uji") as book:
        book.table("hasil", frame)
    sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="openpyxl")
    parts = [sheets["hasil"], sheets["hasil (2)"], sheets["hasil (3)"]]
    assert [len(p) for p in parts] == [3, 3, 1]
    joined = pd.concat(parts, ignore_index=True)
    assert joined.iloc[:, 0].tolist() == frame["nip"].tolist()
