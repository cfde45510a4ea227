"""`asn-eval score` and `asn-eval schemes` as an evaluator uses them; the workbook people open."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from conftest import NIP_C
from test_cli import asn_eval

from asn_eval.spreadsheet import read_back


def test_score_writes_the_three_files_and_a_readable_workbook(make_dataset, tmp_path):
    out = tmp_path / "hasil"
    result = asn_eval("score", make_dataset(), "--periode", "2025-TW1", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 pegawai dinilai untuk 2025-TW1 dengan skema permenpan-6-2022" in result.stdout
    # The three files, and the record of the run that --resume reads (batch/unchanged.py).
    assert sorted(p.name for p in out.iterdir()) == [
        ".tanda-score.json",
        "hasil.parquet",
        "hasil.xlsx",
        "ikm.parquet",
    ]
    hasil = pd.read_parquet(out / "hasil.parquet")
    for column in (
        "nip",
        "nama",
        "kode_opd",
        "jabatan",
        "jenis_jabatan",
        "periode",
        "skema",
        "capaian",
        "rating_hasil_kerja_saran",
        "rating_hasil_kerja",
        "rating_perilaku_saran",
        "rating_perilaku",
        "predikat",
        "nilai_skp",
        "nilai_perilaku",
        "nilai",
        "catatan",
    ):
        assert column in hasil, column
    assert hasil.set_index("nip").loc[NIP_C, "predikat"] == "Baik"
    ikm = pd.read_parquet(out / "ikm.parquet")
    assert list(ikm.columns[:5]) == ["kode_opd", "unit_layanan", "n_responden", "ikm", "mutu"]
    assert ikm["ikm"].tolist() == [87.5]
    # The workbook people open, from the same run.
    book = openpyxl.load_workbook(out / "hasil.xlsx")
    assert book.sheetnames[:2] == ["hasil", "ringkasan_opd"]
    assert "tentang" in book.sheetnames
    sheet = book["hasil"]
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref
    headers = [cell.value for cell in sheet[1]]
    nip = sheet.cell(row=2, column=headers.index("NIP") + 1)
    assert isinstance(nip.value, str) and len(nip.value) == 18  # text, not a float
    assert sheet.column_dimensions["B"].width >= 12  # nama is wide enough to read
    rules = [rule for cells in sheet.conditional_formatting for rule in cells.rules]
    assert any('"Sangat Baik"' in (rule.formula or [""])[0] for rule in rules)
    summary = read_back(out / "hasil.xlsx")["ringkasan_opd"]
    assert set(summary["kode_opd"]) == {"DINKES", "PKM1", "BKPSDM"}


def test_bad_data_writes_nothing(make_dataset, tmp_path):
    folder = make_dataset(lambda t: t["perilaku"].__setitem__("skor", ["9", "4"]))
    out = tmp_path / "hasil"
    result = asn_eval("score", folder, "--periode", "2025-TW1", "--out", out)
    assert result.returncode == 2
    assert "perilaku.csv:2:skor" in result.stdout
    assert "Tidak ada keluaran yang ditulis" in result.stdout
    assert not out.exists()
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # several processes; test_periods covers a bad period in the fast loop
def test_unknown_period_and_scheme_are_explained(make_dataset, tmp_path):
    folder = make_dataset()
    result = asn_eval("score", folder, "--periode", "2024-TW1", "--out", tmp_path / "x")
    assert result.returncode == 2
    assert "periode '2024-TW1' tidak ada di data; yang ada: 2025-TW1" in result.stderr
    result = asn_eval(
        "score", folder, "--periode", "2025-TW1", "--skema", "jakarta", "--out", tmp_path / "x"
    )
    assert result.returncode == 2
    assert "skema 'jakarta' tidak dikenal" in result.stderr
    assert not (tmp_path / "x").exists()


def test_schemes_lists_one_line_each():
    result = asn_eval("schemes")
    assert result.returncode == 0
    lines = [
        line
        for line in result.stdout.splitlines()
        if line.startswith(("permenpan", "pp-", "daerah-"))
    ]
    assert len(lines) == 8
    assert lines[0].startswith("permenpan-6-2022")
