"""Every field case behaves as its README says: files in the forms evaluators actually receive.

Each test copies its folder from ``tests/field-cases/`` into the test's temporary directory, reads
it there, and checks both the messages and the values that reach scoring.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import asn_eval
from asn_eval.errors import DataError
from asn_eval.scoring.ikm import ikm

CASES = Path(__file__).resolve().parent / "field-cases"


@pytest.fixture
def case(tmp_path, monkeypatch):
    """Copy one field case into the temporary directory; return its path there."""
    monkeypatch.setenv("ASN_EVAL_CACHE", str(tmp_path / "cache"))

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(CASES / name, target)
        return target

    return copy


def _text(problems) -> list[str]:
    return [str(p) for p in problems]


def _errors(problems) -> list[str]:
    return [str(p) for p in problems if p.is_error]


def _warnings(problems) -> list[str]:
    return [str(p) for p in problems if not p.is_error]


def _score_command(folder: Path, out: Path) -> subprocess.CompletedProcess:
    """Run ``asn-eval score`` for the first quarter of 2025, as a user does."""
    command = [sys.executable, "-m", "asn_eval", "score", str(folder), "--periode", "2025-TW1"]
    command += ["--out", str(out)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_every_field_case_has_a_test():
    names = {p.name for p in CASES.iterdir() if p.is_dir()}
    tested = {
        name.removeprefix("test_").replace("_", "-")
        for name in globals()
        if name.startswith("test_") and name != "test_every_field_case_has_a_test"
    }
    assert names <= tested, f"field cases without a test: {sorted(names - tested)}"


def test_absensi_bulanan(case):
    folder = case("absensi-bulanan")
    data = asn_eval.load(folder)
    assert not _errors(data.warnings)
    assert any("baris bulanan dijumlahkan per triwulan" in w for w in _warnings(data.warnings))
    kehadiran = data.kehadiran.set_index(data.kehadiran["nip"].astype(str))
    first = kehadiran.loc["197309071993111001"]
    assert str(first["periode"]) == "2025-TW1"
    assert (first["hari_kerja"], first["hadir"], first["cuti"]) == (59, 56, 3)
    assert (first["sakit"], first["izin"], first["tanpa_keterangan"]) == (0, 0, 0)
    assert first["terlambat_menit"] == 30
    assert len(kehadiran) == 2  # one row per employee and quarter, no duplicate errors
    for periode in ("2025-TW1", "2025"):
        assert data.periode(periode) == periode  # the quarter and the year can be scored
        assert len(asn_eval.evaluate(data, periode).hasil) == 6


def test_absensi_header_dua_baris(case):
    folder = case("absensi-header-dua-baris")
    problems = asn_eval.validate(folder)
    assert not _errors(problems), _text(problems)
    assert any("baris 4–5" in w for w in _warnings(problems))
    row = asn_eval.load(folder).kehadiran.iloc[0]
    assert (row["hari_kerja"], row["hadir"]) == (63, 58)
    assert (row["sakit"], row["izin"], row["cuti"], row["tanpa_keterangan"]) == (1, 1, 2, 1)
    assert row["terlambat_menit"] == 45


def test_aktivitas_tanggal_indonesia(case):
    folder = case("aktivitas-tanggal-indonesia")
    data = asn_eval.load(folder)
    assert not _errors(data.warnings)
    dates = data.aktivitas["tanggal"].dt.strftime("%Y-%m-%d").tolist()
    assert dates == ["2025-01-06", "2025-01-07", "2025-01-07", "2025-01-09"]
    assert data.aktivitas["durasi_menit"].tolist() == [90, 180, 120, 120]
    serial = [w for w in _warnings(data.warnings) if "nomor seri Excel" in w]
    assert serial and "aktivitas.csv:4:Tanggal" in serial[0] and "2025-01-07" in serial[0]


def test_ikm_jawaban_huruf(case):
    folder = case("ikm-jawaban-huruf")
    data = asn_eval.load(folder)
    assert not _errors(data.warnings)
    survei = data.survei
    assert str(survei["periode"].iloc[0]) == "2025-TW1"
    first = survei.iloc[0]
    assert [first[f"u{i}"] for i in range(1, 10)] == [3, 3, 3, 4, 3, 3, 4, 3, 3]
    result = ikm(survei)
    assert result["n_responden"].sum() == len(survei)
    # an answer that is neither a–d nor 1–4 is refused with its row
    path = folder / "survei.csv"
    text = path.read_text().splitlines()
    text[2] = text[2].replace("d. Gratis", "e. Lainnya", 1)
    path.write_text("\n".join(text) + "\n")
    errors = _errors(asn_eval.validate(folder, cache=False))
    assert errors == [errors[0]] and errors[0].startswith("survei.csv:3:U4: jawaban IKM")


def test_ikm_judul_di_atas_header(case):
    folder = case("ikm-judul-di-atas-header")
    problems = asn_eval.validate(folder)
    errors = _errors(problems)
    assert len(errors) == 1 and "kode_opd: kolom wajib tidak ada" in errors[0], errors
    assert errors[0].startswith("survei.xlsx:5:")
    warned = " ".join(_warnings(problems))
    assert "baris 5" in warned and "2025-TW1" in warned and "judul baris 3" in warned
    assert "baris 14–16" in warned  # the total rows are left out, in one warning
    # with a kode_opd column added, the IKM is the survey's
    book = openpyxl.load_workbook(folder / "survei.xlsx")
    sheet = book.active
    sheet.insert_cols(1)
    sheet.cell(5, 1, "Kode OPD")
    for row in range(6, 14):
        sheet.cell(row, 1, "DINSOS")
    book.save(folder / "survei.xlsx")
    data = asn_eval.load(folder, cache=False)
    result = ikm(data.survei).iloc[0]
    nrr = [result[f"nrr_u{i}"] for i in range(1, 10)]
    assert nrr == pytest.approx([3.125, 3.125, 2.75, 4.0, 3.125, 3.125, 3.5, 2.75, 3.0])
    assert result["ikm"] == pytest.approx(79.17) and result["mutu"] == "B"


def test_kode_opd_garis_miring(case, tmp_path):
    folder = case("kode-opd-garis-miring")
    data = asn_eval.load(folder)
    assert not _errors(data.warnings)
    assert data.opd["kode_opd"].astype(str).tolist() == ["DINSOS/P3A"]
    out = tmp_path / "hasil"
    run = _score_command(folder, out)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr


def test_nip_sel_angka_excel(case, tmp_path):
    folder = case("nip-sel-angka-excel")
    problems = asn_eval.validate(folder)
    errors = _errors(problems)
    # one message per column: pegawai NIP, pegawai NIP Atasan, penilaian NIP Pegawai
    assert len(errors) == 3, errors
    assert all("angka terakhir NIP ini sudah hilang" in e and "Teks" in e for e in errors)
    assert {e.split(":")[0] + ":" + e.split(":")[2] for e in errors} == {
        "pegawai.xlsx:NIP",
        "pegawai.xlsx:NIP Atasan",
        "penilaian.xlsx:NIP Pegawai",
    }
    out = tmp_path / "hasil"
    run = _score_command(folder, out)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert not out.exists()  # no NIP that was not in the input is ever written


def test_nominatif_simpeg(case):
    folder = case("nominatif-simpeg")
    problems = asn_eval.validate(folder)
    errors = _errors(problems)
    lost = [e for e in errors if "sudah hilang" in e]
    assert len(lost) == 1 and lost[0].startswith("pegawai.csv:5:NIP:"), errors
    # rows naming the lost NIP as their supervisor say which row it probably is
    others = [e for e in errors if e not in lost]
    assert all("baris 5" in e and "kehilangan angka" in e for e in others), others
    # with row 4's NIP typed as text, every row reads right
    path = folder / "pegawai.csv"
    path.write_bytes(path.read_bytes().replace(b"1,97207E+17", b"'197207222000092001"))
    data = asn_eval.load(folder, cache=False)
    pegawai = data.pegawai
    assert pegawai["nip"].astype(str).tolist()[:2] == ["197309071993111001", "197204121999042001"]
    assert pegawai["golongan"].astype(str).tolist() == ["IV/c", "III/d", "III/d", "III/c",
                                                        "III/b", "III/c"]  # fmt: skip
    assert pegawai["jenis_kelamin"].astype(str).tolist() == ["L", "P", "L", "P", "P", "L"]
    assert set(pegawai["kode_opd"].astype(str)) == {"DINSOS"}
    assert pegawai["nip_atasan"].astype(str).iloc[1] == "197309071993111001"


def test_perilaku_bentuk_lebar(case):
    folder = case("perilaku-bentuk-lebar")
    data = asn_eval.load(folder)
    assert not _errors(data.warnings)
    perilaku = data.perilaku
    assert len(perilaku) == 21
    assert sorted(perilaku["peran_penilai"].astype(str).unique()) == ["atasan", "diri", "rekan"]
    atasan = perilaku[perilaku["peran_penilai"] == "atasan"]
    assert dict(zip(atasan["nilai_inti"].astype(str), atasan["skor"], strict=True)) == {
        "Berorientasi Pelayanan": 4, "Akuntabel": 4, "Kompeten": 3, "Harmonis": 4,
        "Loyal": 4, "Adaptif": 3, "Kolaboratif": 4,
    }  # fmt: skip
    scored = asn_eval.evaluate(data, "2025-TW1").hasil
    assert scored["nip"].astype(str).eq("199410112022042001").any()


def test_periode_tahun_triwulan_terpisah(case):
    folder = case("periode-tahun-triwulan-terpisah")
    data = asn_eval.load(folder)
    assert not _errors(data.warnings)
    periods = data.penilaian["periode"].astype(str)
    assert periods.value_counts().to_dict() == {"2025-TW1": 6, "2025": 2}
    assert data.penilaian["predikat"].astype(str).iloc[3] == "Kurang/Misconduct"
    assert data.penilaian["rating_hasil_kerja"].astype(str).iloc[0] == "Di Atas Ekspektasi"


def test_skp_angka_ribuan(case):
    folder = case("skp-angka-ribuan")
    data = asn_eval.load(folder)
    assert not _errors(data.warnings)
    skp = data.skp
    assert skp["target"].tolist() == [1750, 85, 1200]
    assert skp["realisasi"].tolist() == [1680, 85.6, 950]
    table = asn_eval.evaluate(data, "2025-TW1").evidence.indicator_table(data)
    assert table["capaian"].round(1).tolist() == [96.0, 100.7, 79.2]
    # an achievement far above any cap is warned, with its row
    path = folder / "skp.csv"
    path.write_text(path.read_text().replace(";1.200;950;", ";1.200;95.000;"))
    warned = [w for w in _warnings(asn_eval.validate(folder, cache=False)) if "capaian" in w]
    assert len(warned) == 1 and warned[0].startswith("skp.csv:4:Realisasi Kinerja")


def test_skp_rumus_tanpa_nilai(case):
    folder = case("skp-rumus-tanpa-nilai")
    data = asn_eval.load(folder)
    assert not _errors(data.warnings)
    assert data.skp["realisasi"].tolist() == [7, 30]
    warned = [w for w in _warnings(data.warnings) if "rumus" in w]
    assert len(warned) == 1 and "L2 =SUM(I2:K2) = 7" in warned[0]


def test_field_case_never_changes_the_input(case):
    folder = case("nominatif-simpeg")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(DataError):
        asn_eval.load(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert pd.read_csv(folder / "opd.csv").shape == (1, 4)
