"""``asn-eval decisions history|export|import`` on real files, through the real command line.

``import`` reads the sheet with the dataset's own loader, so a sheet as a forum secretary types
it (a title row, ``'1980…``, ``NIP. 1980 …``, ``TW I 2025``, ``sangat baik``) is read, and checks
every row against the tiny dataset of ``conftest`` (DINKES, PKM1, BKPSDM; scored for 2025-TW1 and
2025). It records every row or none.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from conftest import NIP_A, NIP_B, NIP_C, NIP_D, run_cli, tiny_tables, write_tables

from asn_eval import formatting
from asn_eval.cli import main
from asn_eval.decisions import DecisionStore, default_path
from asn_eval.formatting import timestamp
from asn_eval.input.dataset import load
from asn_eval.scoring.score import evaluate
from asn_eval.spreadsheet import excel_writer

SKEMA = "permenpan-6-2022"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ASN_EVAL_DECISIONS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    return write_tables(tiny_tables(), tmp_path / "data")


def _one_decision(data: Path, tmp_path: Path, alasan: str) -> Path:
    """A store with one decision for NIP_C (2025-TW1, Baik → Sangat Baik) with this reason."""
    store = tmp_path / "keputusan.sqlite"
    with DecisionStore(store, pegawai=load(data)) as opened:
        opened.record(
            nip=NIP_C,
            periode="2025-TW1",
            skema=SKEMA,
            kode_opd="PKM1",
            sebelum="Baik",
            sesudah="Sangat Baik",
            alasan=alasan,
            oleh="Forum",
        )
    return store


GOOD = (
    "Keputusan Forum Kalibrasi Kinerja 2025\n"
    "NIP;Periode;Predikat Kalibrasi;Alasan;Diputuskan Oleh\n"
    f"'{NIP_C};TW I 2025;sangat baik;capaian melampaui target, dibahas forum;Forum BKPSDM\n"
    f"NIP. {NIP_B[:8]} {NIP_B[8:14]} {NIP_B[14]} {NIP_B[15:]};2025;butuh perbaikan;"
    "keluhan warga terbukti;\n"
)


def test_import_records_every_good_row_and_they_show_everywhere(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "forum.csv"
    sheet.write_text(GOOD, encoding="utf-8")
    code, out, _ = run_cli(capsys, "decisions", "import", data, sheet, "--oleh", "Tim Penilai")
    store = default_path(data)
    assert code == 0, out
    assert f"2 keputusan dicatat di {store} (#1–#2" in out and "--sampai" in out
    assert "judul kolom dibaca dari baris 2" in out  # the loader's warning, said

    with DecisionStore(store, access="read") as opened:
        history = opened.history()
        assert history["nip"].tolist() == [NIP_C, NIP_B]
        assert history["periode"].tolist() == ["2025-TW1", "2025"]
        assert history["kode_opd"].tolist() == ["PKM1", "PKM1"]  # from pegawai
        assert history["predikat_sebelum"].tolist() == ["Baik", "(tidak ada)"]
        assert history["predikat_sesudah"].tolist() == ["Sangat Baik", "Butuh Perbaikan"]
        assert history["oleh"].tolist() == ["Forum BKPSDM", "Tim Penilai"]
        assert history["skema"].str.startswith(f"{SKEMA}@").all()
        dataset = load(data)
        scored = evaluate(dataset, "2025-TW1")
        applied = opened.apply(scored.hasil, skema=scored.skema)
        calibrated = applied.set_index(applied["nip"].astype(str))
        assert bool(calibrated.loc[NIP_C, "dikalibrasi"])
        assert calibrated.loc[NIP_C, "predikat_kalibrasi"] == "Sangat Baik"

    code, out, _ = run_cli(capsys, "decisions", "history", store)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["#", "waktu", "(WIB)", "jenis"]  # no profile named: WIB
    written = timestamp(history["waktu"].iloc[0], "WIB").removesuffix(" WIB")
    assert re.match(rf"1 +{re.escape(written)} +usulan", lines[1]), lines[1]
    assert f"{NIP_C}  2025-TW1" in lines[1] and "Baik → Sangat Baik" in lines[1]
    assert "(tidak ada) → Butuh Perbaikan" in lines[2] and "Tim Penilai" in lines[2]
    assert "2 peristiwa ditampilkan" in out and "Kepala rantai: 2 peristiwa" in out
    code, out, _ = run_cli(capsys, "decisions", "history", store, "--periode", "2025 tw 1")
    assert code == 0 and "1 peristiwa ditampilkan" in out

    # The same sheet again: every row now changes nothing, so nothing is recorded.
    code, out, _ = run_cli(capsys, "decisions", "import", data, sheet, "--oleh", "Tim Penilai")
    assert code == 2 and "forum.csv:3:Predikat Kalibrasi: sama dengan predikat yang berlaku" in out


def test_import_reads_a_workbook_sheet_through_the_loader(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "forum.xlsx"
    rows = pd.DataFrame(
        {
            "NIP Pegawai": [NIP_C],
            "Periode Penilaian": ["Triwulan I 2025"],
            "Predikat": ["BUTUH PERBAIKAN"],
            "Alasan Keputusan": ["bukti dukung tidak lengkap"],
        }
    )
    with excel_writer(book) as writer:
        pd.DataFrame({"catatan": ["lembar lain"]}).to_excel(writer, sheet_name="catatan")
        rows.to_excel(writer, sheet_name="Kalibrasi", index=False)
    target = tmp_path / "keputusan.sqlite"
    argv = ["decisions", "import", data, book, "--keputusan", target, "--oleh", "Forum"]
    code, out, _ = run_cli(capsys, *argv)
    assert code == 0, out
    with DecisionStore(target, access="read") as store:
        assert store.history()["predikat_sesudah"].tolist() == ["Butuh Perbaikan"]


def test_import_is_all_or_nothing_and_names_every_bad_cell(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "keputusan.sqlite"
    sheet = tmp_path / "forum.csv"
    sheet.write_text(
        "nip,periode,predikat,alasan,oleh,kode_opd\n"
        f"{NIP_C},2025-TW1,Sangat Baik,capaian tinggi,Forum,\n"  # 2: good
        f"{NIP_A},2025,Istimewa,kinerja luar biasa,Forum,\n"  # 3: not a predikat of the scheme
        "199912312020121001,2025,Baik,tidak dikenal,Forum,\n"  # 4: not an employee
        f"{NIP_D},2025,Baik,pindah tugas,Forum,DINKES\n"  # 5: not the employee's agency
        f"{NIP_B},2024,Baik,tahun lalu,Forum,\n"  # 6: a period the data cannot evaluate
        f"{NIP_A},2025-TW1,Baik,.,Forum,\n"  # 7: a reason without letters
        f"{NIP_B},2025-TW1,Baik,\u200b\u200b\u200b,Forum,\n"  # 8: invisible only
        f"{NIP_D},2025-TW1,Baik,dibahas,,\n"  # 9: nobody decided (and no --oleh)
        f"{NIP_C},2025-TW1,Baik,lagi,Forum,\n",  # 10: the same employee and period twice
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "decisions", "import", data, sheet, "--keputusan", target)
    assert code == 2
    expected = [
        "forum.csv:3:predikat: tidak ada di skema permenpan-6-2022; yang sah: Sangat Baik, Baik",
        "forum.csv:4:nip: NIP tidak ada di tabel pegawai (199912312020121001)",
        "forum.csv:5:kode_opd: bukan OPD pegawai ini (menurut tabel pegawai: BKPSDM) (DINKES)",
        "forum.csv:6:periode: tidak bisa dinilai dari data: periode '2024' tidak ada di data",
        "forum.csv:7:alasan: alasan harus memuat paling sedikit 3 huruf",
        "forum.csv:8:alasan: alasan harus memuat paling sedikit 3 huruf (tanda baca, angka, spasi "
        "dan karakter tak terlihat tidak dihitung) (\\u200b\\u200b\\u200b)",
        "forum.csv:9:oleh: yang memutuskan tidak disebut: isi kolom ini, atau pakai --oleh",
        "forum.csv:10:",
    ]
    for line in expected:
        assert line in out, (line, out)
    assert "Tidak ada keputusan yang dicatat" in out and "semua baris dicatat bersama" in out
    with DecisionStore(target, access="read") as store:
        assert store.history().empty  # row 2 was good, and is not recorded either


def test_export_writes_the_audit_workbook_and_flags_a_broken_chain(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _one_decision(data, tmp_path, 'layar\x1b[2J dihapus =HYPERLINK("http://x")')
    code, out, _ = run_cli(capsys, "decisions", "history", store)
    assert code == 0 and "layar\\u001b[2J dihapus" in out and "\x1b" not in out

    workbook = tmp_path / "audit" / "keputusan.xlsx"
    code, out, _ = run_cli(capsys, "decisions", "export", store, "--out", workbook)
    assert code == 0 and f"Ditulis: {workbook}" in out
    sheets = pd.read_excel(workbook, sheet_name=None, engine="calamine", dtype=str)
    integrity = dict(zip(sheets["keutuhan"]["Hal"], sheets["keutuhan"]["Isi"], strict=True))
    assert integrity["keadaan rantai"] == "utuh"
    assert integrity["kepala"] in out

    with sqlite3.connect(store) as conn:
        conn.execute("DROP TRIGGER keputusan_tidak_diubah")
        conn.execute("UPDATE keputusan SET oleh = 'orang lain'")
    code, out, err = run_cli(capsys, "decisions", "export", store, "--out", workbook)
    assert code == 2 and "berkas keputusan tidak utuh, keputusan #1" in err
    sheets = pd.read_excel(workbook, sheet_name=None, engine="calamine", dtype=str)
    integrity = dict(zip(sheets["keutuhan"]["Hal"], sheets["keutuhan"]["Isi"], strict=True))
    assert integrity["keadaan rantai"].startswith("TIDAK UTUH: keputusan #1")
    code, out, err = run_cli(capsys, "decisions", "history", store)
    assert code == 2 and "orang lain" in out and "tidak utuh" in err


def test_import_holds_the_sheet_to_the_size_limits(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = tmp_path / "forum.csv"
    sheet.write_text(GOOD + "x" * 2_000_000, encoding="utf-8")
    monkeypatch.setenv("ASN_EVAL_MAX_FILE_MB", "1")
    code, out, err = run_cli(capsys, "decisions", "import", data, sheet, "--oleh", "Forum")
    assert code == 2
    assert "forum.csv" in out + err and "ASN_EVAL_MAX_FILE_MB" in out + err
    assert not default_path(data).exists()


def test_history_and_export_write_times_in_the_profiles_zone(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _one_decision(data, tmp_path, "dibahas forum")
    with DecisionStore(store, access="read") as opened:
        waktu = opened.history()["waktu"].iloc[0]
    profile = tmp_path / "profil.toml"
    profile.write_text(
        'pemerintah = "Pemerintah Kabupaten Timur"\npenyelenggara = "BKPSDM"\n'
        'zona_waktu = "WIT"\n[penandatangan]\nnama = "A"\njabatan = "Kepala"\n'
        'nip = "19700101 199503 2 001"\n',
        encoding="utf-8",
    )
    for given in (profile, tmp_path):  # the file, or the folder that holds it
        code, out, _ = run_cli(capsys, "decisions", "history", store, "--profil", given)
        assert code == 0
        header, first = out.splitlines()[:2]
        assert header.split()[:3] == ["#", "waktu", "(WIT)"]
        assert timestamp(waktu, "WIT").removesuffix(" WIT") in first
        assert timestamp(waktu, "WIB").removesuffix(" WIB") not in first  # two hours apart

    workbook = tmp_path / "keputusan.xlsx"
    code, out, _ = run_cli(
        capsys, "decisions", "export", store, "--out", workbook, "--profil", profile
    )
    assert code == 0 and workbook.exists()
    sheets = pd.read_excel(workbook, sheet_name=None, engine="calamine")
    in_wit = waktu.tz_convert(formatting.zone("WIT")).tz_localize(None)
    assert abs(sheets["riwayat"]["Waktu (WIT)"].iloc[0] - in_wit) <= pd.Timedelta("1ms")
    checked = dict(zip(sheets["keutuhan"]["Hal"], sheets["keutuhan"]["Isi"], strict=True))
    assert checked["diperiksa"].endswith(" WIT")

    broken = tmp_path / "rusak.toml"
    broken.write_text(profile.read_text().replace('"WIT"', '"GMT+9"'), encoding="utf-8")
    for action in (["history", store], ["export", store, "--out", tmp_path / "x.xlsx"]):
        code, out, err = run_cli(capsys, "decisions", *action, "--profil", broken)
        assert code == 2
        assert (
            err.strip()
            == "asn-eval: galat: rusak.toml: kunci 'zona_waktu': harus WIB, WITA atau WIT (GMT+9)"
        )
    assert not (tmp_path / "x.xlsx").exists()
    with pytest.raises(SystemExit) as stopped:  # argparse's own exit, as the shell sees it
        main(["decisions", "history", str(store), "--opd", "PKM1", "--opd", "DINKES"])
    assert stopped.value.code == 2
    assert "--opd hanya boleh sekali" in capsys.readouterr().err


def test_history_has_room_for_the_longest_time() -> None:
    from asn_eval.decisions.commands import _TABLE

    width = next(w for _, column, w in _TABLE if column == "waktu")
    for month in range(1, 13):  # a cell is cut with "…" when longer than its column
        written = timestamp(f"2026-{month:02d}-28T15:59:00+00:00", "WIB").removesuffix(" WIB")
        assert len(written) <= width, written
