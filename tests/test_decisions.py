"""Calibration decisions: an append-only SQLite store (real files, real processes, no mocks)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import NIP_A, NIP_B, NIP_C, NIP_D

from asn_eval.decisions import (
    CURRENT_COLUMNS,
    HISTORY_COLUMNS,
    SCHEMA_VERSION,
    DecisionStore,
    default_path,
)
from asn_eval.errors import StoreError, UsageError
from asn_eval.input.vocab import PREDIKAT
from asn_eval.spreadsheet import read_back

SKEMA = "permenpan-6-2022"
ROSTER = {
    NIP_A: "DINKES",
    NIP_B: "PKM1",
    NIP_C: "PKM1",
    NIP_D: "BKPSDM",
    "0" + NIP_C[1:]: "PKM1",
    **{f"1990031520150310{w:02d}": "PKM1" for w in range(5)},
}
"""Each employee's agency, as the data's ``pegawai`` says (record() checks against it)."""


def decide(store: DecisionStore, **changes: str) -> int:
    fields = {
        "nip": NIP_C,
        "periode": "2025",
        "skema": SKEMA,
        "kode_opd": "PKM1",
        "sebelum": "Baik",
        "sesudah": "Sangat Baik",
        "alasan": "capaian imunisasi 140 %, dibahas di forum",
        "oleh": "Forum BKPSDM",
    }
    return store.record(**{**fields, **changes})


def count_rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM keputusan").fetchone()[0]


@pytest.fixture
def store(tmp_path: Path):
    with DecisionStore(tmp_path / "keputusan.sqlite", pegawai=ROSTER) as opened:
        yield opened


def test_record_history_current_round_trip(store: DecisionStore) -> None:
    first = decide(store, nip="19900315 201503 1 003")  # spaces as exports write them
    second = decide(
        store,
        nip=NIP_A,
        kode_opd="DINKES",
        periode="2025 tw 2",
        sesudah="Baik",
        sebelum="Sangat Baik",
    )
    assert second > first

    history = store.history()
    assert list(history.columns) == HISTORY_COLUMNS
    assert history["id"].tolist() == [first, second]
    assert history["nip"].tolist() == [NIP_C, NIP_A]
    assert history["periode"].tolist() == ["2025", "2025-TW2"]
    assert history["jenis"].tolist() == ["usulan", "usulan"]
    assert history["status"].tolist() == ["berlaku", "berlaku"]
    assert str(history["waktu"].dt.tz) == "UTC"
    assert history["merujuk"].isna().all()

    current = store.current()
    assert list(current.columns) == CURRENT_COLUMNS
    assert current["id"].tolist() == [first, second]
    assert current.loc[0, "predikat_sesudah"] == "Sangat Baik"
    assert current.loc[0, "alasan"] == "capaian imunisasi 140 %, dibahas di forum"
    assert store.current(periode="2025-TW2")["nip"].tolist() == [NIP_A]
    assert store.current(kode_opd="PKM1")["nip"].tolist() == [NIP_C]
    assert store.current(skema="pp-46-2011").empty
    assert store.history(nip=NIP_A)["id"].tolist() == [second]

    withdrawal = store.withdraw(first, alasan="bukti capaian belum diverifikasi", oleh="Sekretaris")
    history = store.history()
    assert history["jenis"].tolist() == ["usulan", "usulan", "tarik"]
    assert history["status"].tolist()[:2] == ["ditarik", "berlaku"]
    assert pd.isna(history["status"].iloc[2])
    assert history["merujuk"].iloc[2] == first
    assert history["nip"].iloc[2] == NIP_C  # the withdrawal carries the decision's identity
    assert store.history(kode_opd="PKM1")["id"].tolist() == [first, withdrawal]
    assert store.current()["id"].tolist() == [second]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"alasan": ""}, "alasan wajib diisi"),
        ({"alasan": "  \n\t "}, "alasan wajib diisi"),
        ({"alasan": "."}, "alasan wajib diisi dengan paling sedikit 3 huruf"),
        ({"alasan": "\u200b"}, "alasan wajib diisi dengan paling sedikit 3 huruf"),
        ({"alasan": "\u200b\u200b\u200b\u200b"}, "paling sedikit 3 huruf"),
        ({"alasan": "ok 100 % !!"}, "paling sedikit 3 huruf .*tanda baca, angka"),
        ({"oleh": "\u200b"}, "oleh"),
        ({"sesudah": "Istimewa"}, "predikat sesudah 'Istimewa' tidak ada di skema .*Sangat Baik"),
        ({"sebelum": "Cukup"}, "predikat sebelum 'Cukup' tidak ada di skema"),
        ({"skema": "pp-46-2011", "sesudah": "Butuh Perbaikan"}, "tidak ada di skema pp-46"),
        ({"skema": "skema-karangan"}, "bukan skema bawaan"),
        ({"kode_opd": "DINKES"}, "kode OPD DINKES bukan OPD pegawai .*PKM1"),
        ({"nip": "199912312020121001"}, "NIP 199912312020121001 tidak ada di tabel pegawai"),
        ({"oleh": ""}, "oleh"),
        ({"sebelum": " "}, "predikat sebelum wajib diisi"),
        ({"sesudah": ""}, "predikat sesudah wajib diisi"),
        ({"sesudah": "Baik"}, "sama dengan sebelum"),
        ({"sesudah": " baik "}, "sama dengan sebelum"),
        ({"nip": "1990031520150310"}, "NIP harus 18 angka"),
        ({"periode": "2025-13"}, "periode tidak dikenal"),
        ({"kode_opd": ""}, "kode OPD wajib diisi"),
        ({"skema": ""}, "skema wajib diisi"),
    ],
)
def test_record_refuses_incomplete_decisions(
    store: DecisionStore, changes: dict[str, str], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        decide(store, **changes)
    assert store.history().empty


def test_record_needs_the_employees_to_check_against(tmp_path: Path) -> None:
    with DecisionStore(tmp_path / "keputusan.sqlite") as store:
        with pytest.raises(UsageError, match="tanpa daftar pegawai"):
            decide(store)
        assert store.history().empty


def test_record_keeps_the_schemes_spelling(store: DecisionStore) -> None:
    decide(store, sebelum=" baik", sesudah="SANGAT  baik")
    decide(store, nip=NIP_B, skema="pp-46-2011", sebelum="cukup", sesudah="kurang")
    decide(store, nip=NIP_A, kode_opd="DINKES", sebelum="(tidak ada)", sesudah="kurang")
    history = store.history()
    assert history["predikat_sebelum"].tolist() == ["Baik", "Cukup", "(tidak ada)"]
    assert history["predikat_sesudah"].tolist() == ["Sangat Baik", "Kurang", "Kurang/Misconduct"]


def test_withdraw_refuses_unknown_withdrawn_and_reasonless(store: DecisionStore) -> None:
    decision = decide(store)
    with pytest.raises(UsageError, match="alasan wajib diisi"):
        store.withdraw(decision, alasan=" ", oleh="Sekretaris")
    with pytest.raises(UsageError, match="paling sedikit 3 huruf"):
        store.withdraw(decision, alasan="-", oleh="Sekretaris")
    with pytest.raises(UsageError, match="tidak ada"):
        store.withdraw(decision + 100, alasan="salah catat", oleh="Sekretaris")
    withdrawal = store.withdraw(decision, alasan="salah catat", oleh="Sekretaris")
    with pytest.raises(UsageError, match="sudah ditarik"):
        store.withdraw(decision, alasan="salah catat lagi", oleh="Sekretaris")
    with pytest.raises(UsageError, match="bukan keputusan"):
        store.withdraw(withdrawal, alasan="menarik penarikan", oleh="Sekretaris")
    assert len(store.history()) == 2


def test_nothing_is_ever_deleted_or_changed(store: DecisionStore) -> None:
    counts = [count_rows(store.path)]
    first = decide(store)
    counts.append(count_rows(store.path))
    second = decide(store, sesudah="Butuh Perbaikan")
    counts.append(count_rows(store.path))
    store.withdraw(second, alasan="keliru", oleh="Sekretaris")
    counts.append(count_rows(store.path))
    store.withdraw(first, alasan="keliru juga", oleh="Sekretaris")
    counts.append(count_rows(store.path))
    assert counts == [0, 1, 2, 3, 4]

    with sqlite3.connect(store.path) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="tidak boleh dihapus"):
            conn.execute("DELETE FROM keputusan WHERE id = ?", (first,))
        with pytest.raises(sqlite3.DatabaseError, match="tidak boleh diubah"):
            conn.execute("UPDATE keputusan SET alasan = 'lain' WHERE id = ?", (first,))
    assert count_rows(store.path) == 4
    assert store.history()["alasan"].iloc[0] == "capaian imunisasi 140 %, dibahas di forum"


def test_newer_decision_supersedes_and_withdrawing_it_restores_the_older(
    store: DecisionStore,
) -> None:
    older = decide(store, sesudah="Sangat Baik")
    other_scheme = decide(store, skema="pp-46-2011", sesudah="Cukup")
    newer = decide(store, sesudah="Butuh Perbaikan", alasan="keluhan warga terbukti")

    current = store.current(skema=SKEMA)
    assert current["id"].tolist() == [newer]
    assert current["predikat_sesudah"].tolist() == ["Butuh Perbaikan"]
    assert sorted(store.current()["id"]) == [other_scheme, newer]  # schemes are separate
    assert store.history()["status"].tolist() == ["berlaku"] * 3

    store.withdraw(newer, alasan="keluhan ternyata salah alamat", oleh="Forum BKPSDM")
    current = store.current(skema=SKEMA)
    assert current["id"].tolist() == [older]
    assert current["predikat_sesudah"].tolist() == ["Sangat Baik"]

    store.withdraw(older, alasan="kembali ke hitungan", oleh="Forum BKPSDM")
    assert store.current(skema=SKEMA).empty
    assert count_rows(store.path) == 5


def test_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "keputusan.sqlite"  # the folder is created
    with DecisionStore(path, pegawai=ROSTER) as store:
        kept = decide(store)
        gone = decide(store, nip=NIP_B, sebelum="Butuh Perbaikan", sesudah="Baik")
        store.withdraw(gone, alasan="salah orang", oleh="Sekretaris")
        before_history, before_current = store.history(), store.current()
    with pytest.raises(UsageError, match="sudah ditutup"):
        store.current()

    with DecisionStore(path, pegawai=ROSTER) as store:
        pd.testing.assert_frame_equal(store.history(), before_history)
        pd.testing.assert_frame_equal(store.current(), before_current)
        assert store.current()["id"].tolist() == [kept]
        with pytest.raises(UsageError, match="sudah ditarik"):
            store.withdraw(gone, alasan="lagi", oleh="Sekretaris")
        assert decide(store, nip=NIP_A, kode_opd="DINKES") > gone
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT versi FROM versi_skema").fetchall() == [(SCHEMA_VERSION,)]


def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keputusan.sqlite"
    DecisionStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO versi_skema VALUES (?, 'nanti')", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match=r"lebih baru.*perbarui asn-eval"):
        DecisionStore(path)


def _writer(path: str, worker: int, n: int, opened: Any, start: Any, results: Any) -> None:
    """Open the store (all workers at once, on a fresh file), then write ``n`` decisions."""
    opened.wait()
    with DecisionStore(path, pegawai=ROSTER) as store:
        start.wait()
        began = time.perf_counter()
        ids = [
            decide(
                store,
                nip=f"1990031520150310{worker:02d}",
                periode=f"2025-TW{i % 4 + 1}",
                sesudah=("Sangat Baik", "Butuh Perbaikan")[i % 2],
                alasan=f"keputusan {i} dari proses {worker}",
                oleh=f"penilai {worker}",
            )
            for i in range(n)
        ]
        results.put((worker, ids, time.perf_counter() - began))


@pytest.mark.slow  # spawns two Python processes that import pandas
def test_two_processes_write_at_the_same_time(tmp_path: Path) -> None:
    path = tmp_path / "bersama.sqlite"
    n = 500
    context = multiprocessing.get_context("spawn")
    opened, start = context.Barrier(2), context.Barrier(3)
    results = context.Queue()
    workers = [
        context.Process(target=_writer, args=(str(path), w, n, opened, start, results))
        for w in (1, 2)
    ]
    for process in workers:
        process.start()
    start.wait(timeout=60)
    began = time.perf_counter()
    found = [results.get(timeout=60) for _ in workers]
    elapsed = time.perf_counter() - began
    for process in workers:
        process.join(timeout=30)
        assert process.exitcode == 0

    ids = [i for _, written, _ in found for i in written]
    assert len(ids) == len(set(ids)) == 2 * n
    for _, written, _ in found:
        assert written == sorted(written)  # each writer sees its own ids grow
    with DecisionStore(path) as store:
        history = store.history()
        assert len(history) == 2 * n
        assert sorted(history["id"]) == sorted(ids)
        assert history.groupby("oleh").size().to_dict() == {"penilai 1": n, "penilai 2": n}
        assert len(store.current()) == 2 * 4  # per worker's NIP, one decision per quarter
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    print(
        f"\n{2 * n} keputusan dari 2 proses: {elapsed:.2f} dtk "
        + ", ".join(f"proses {w}: {s:.2f} dtk" for w, _, s in sorted(found))
    )


def test_threads_share_one_store(store: DecisionStore) -> None:
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for i in range(25):
                decide(store, nip=f"1990031520150310{worker:02d}", alasan=f"alasan {i}")
                store.current()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.history()) == 100
    assert len(store.current()) == 4


def small_hasil() -> pd.DataFrame:
    nips = [NIP_A, NIP_B, NIP_C, NIP_D]
    predikat_dtype = pd.CategoricalDtype(list(PREDIKAT.values), ordered=True)
    return pd.DataFrame(
        {
            "nip": pd.Categorical(nips),
            "nama": ["Budi Santoso", "Sari Dewi", "Andi Pratama", "Rina Wati"],
            "kode_opd": pd.Categorical(["DINKES", "PKM1", "PKM1", "BKPSDM"]),
            "periode": pd.Categorical(["2025"] * 4),
            "skema": pd.Categorical([SKEMA] * 4),
            "predikat": pd.Series(["Baik", "Baik", "Butuh Perbaikan", None], dtype=predikat_dtype),
        }
    )


def test_apply_adds_the_calibrated_predikat_and_keeps_the_computed_one(
    store: DecisionStore,
) -> None:
    hasil = small_hasil()
    original = hasil.copy()
    up = decide(store, nip=NIP_B, sebelum="Baik", sesudah="sangat baik", alasan="naik")
    decide(store, nip=NIP_C, sebelum="Butuh Perbaikan", sesudah="Baik", alasan="ditarik nanti")
    store.withdraw(up + 1, alasan="batal", oleh="Forum BKPSDM")
    decide(store, nip=NIP_D, kode_opd="BKPSDM", sebelum="(tidak ada)", sesudah="Baik", alasan="ada")
    decide(store, nip=NIP_A, kode_opd="DINKES", periode="2025-TW1", alasan="periode lain")
    decide(store, nip=NIP_A, kode_opd="DINKES", skema="pp-46-2011", sesudah="Cukup", alasan="lain")

    out = store.apply(hasil, skema=SKEMA)
    pd.testing.assert_frame_equal(hasil, original)  # the input is not touched
    pd.testing.assert_frame_equal(out[list(hasil.columns)], original)  # predikat kept
    assert out["predikat_kalibrasi"].dtype == hasil["predikat"].dtype
    assert out["predikat_kalibrasi"].astype(object).where(
        out["predikat_kalibrasi"].notna()
    ).tolist() == [
        "Baik",
        "Sangat Baik",  # spelled loosely in the decision, canonical here
        "Butuh Perbaikan",
        "Baik",
    ]
    assert out["dikalibrasi"].dtype == bool
    assert out["dikalibrasi"].tolist() == [False, True, False, True]
    assert out["alasan_kalibrasi"].isna().tolist() == [True, False, True, False]
    assert out.loc[1, "alasan_kalibrasi"] == "naik"

    assert not store.apply(hasil.iloc[:0], skema=SKEMA)["dikalibrasi"].any()
    with pytest.raises(UsageError, match="bukan pp-46-2011"):
        store.apply(hasil, skema="pp-46-2011")
    with pytest.raises(UsageError, match="tanpa kolom predikat"):
        store.apply(hasil.drop(columns="predikat"), skema=SKEMA)


def test_export_xlsx_round_trip(store: DecisionStore, tmp_path: Path) -> None:
    first = decide(store, nip="0" + NIP_C[1:])  # a leading zero must survive
    decide(store, nip=NIP_A, kode_opd="DINKES")
    store.withdraw(first, alasan="salah catat", oleh="Sekretaris")
    decide(store, nip=NIP_B, sebelum="Baik", sesudah="Sangat Baik")

    target = store.export_xlsx(tmp_path / "keluar" / "keputusan.xlsx")
    assert target == tmp_path / "keluar" / "keputusan.xlsx"
    assert [p.name for p in target.parent.iterdir()] == ["keputusan.xlsx"]  # no temp file left
    sheets = read_back(target, dtype=str)
    assert list(sheets) == ["berlaku", "keberatan", "riwayat", "keutuhan"]
    assert sheets["keberatan"].empty  # none filed: the sheet keeps its headers
    assert list(sheets["berlaku"].columns) == CURRENT_COLUMNS
    assert list(sheets["riwayat"].columns) == [*HISTORY_COLUMNS, "hash"]
    assert sheets["riwayat"]["hash"].str.fullmatch(r"[0-9a-f]{64}").all()
    integrity = dict(zip(sheets["keutuhan"]["hal"], sheets["keutuhan"]["isi"], strict=True))
    assert integrity["keadaan rantai"] == "utuh"
    assert integrity["kepala"] == store.head().short
    assert integrity["hash kepala lengkap"] == sheets["riwayat"]["hash"].iloc[-1]
    assert sheets["berlaku"]["nip"].tolist() == [NIP_A, NIP_B]
    assert sheets["riwayat"]["nip"].tolist() == ["0" + NIP_C[1:], NIP_A, "0" + NIP_C[1:], NIP_B]
    assert sheets["riwayat"]["nip"].str.fullmatch(r"\d{18}").all()
    assert sheets["riwayat"]["status"].tolist()[:2] == ["ditarik", "berlaku"]

    from openpyxl import load_workbook

    book = load_workbook(target)
    assert all(book[name].freeze_panes == "A2" for name in ("berlaku", "riwayat"))

    store.export_xlsx(target, kode_opd="DINKES")  # replaced in place
    sheets = read_back(target, dtype=str)
    assert sheets["riwayat"]["nip"].tolist() == [NIP_A]

    with DecisionStore(tmp_path / "kosong.sqlite") as empty:
        sheets = read_back(empty.export_xlsx(tmp_path / "kosong.xlsx"))
    assert sheets["berlaku"].empty and list(sheets["riwayat"].columns) == [*HISTORY_COLUMNS, "hash"]


def test_a_store_restricted_to_one_opd(tmp_path: Path) -> None:
    path = tmp_path / "keputusan.sqlite"
    with DecisionStore(path, pegawai=ROSTER) as everything:
        theirs = decide(everything, nip=NIP_D, kode_opd="BKPSDM")
        decide(everything, nip=NIP_A, kode_opd="DINKES")

    with DecisionStore(path, kode_opd="DINKES", pegawai=ROSTER) as dinkes:
        assert dinkes.scope == ("DINKES",)
        ours = decide(dinkes, nip=NIP_A, kode_opd="DINKES", periode="2025-TW2")
        with pytest.raises(UsageError, match="OPD BKPSDM tidak diizinkan"):
            decide(dinkes, nip=NIP_D, kode_opd="BKPSDM")
        with pytest.raises(UsageError, match="tidak diizinkan"):
            dinkes.withdraw(theirs, alasan="bukan urusan DINKES", oleh="Sekretaris DINKES")
        dinkes.withdraw(ours, alasan="salah catat", oleh="Sekretaris DINKES")

        assert set(dinkes.history()["kode_opd"]) == {"DINKES"}
        assert set(dinkes.current()["kode_opd"]) == {"DINKES"}
        assert dinkes.history(kode_opd="BKPSDM").empty
        assert dinkes.current(kode_opd="BKPSDM").empty
        assert dinkes.history(nip=NIP_D).empty
        out = dinkes.apply(small_hasil(), skema=SKEMA)
        assert out["dikalibrasi"].tolist() == [True, False, False, False]
        sheets = read_back(dinkes.export_xlsx(tmp_path / "dinkes.xlsx"), dtype=str)
        assert {s: set(sheets[s]["kode_opd"]) for s in ("berlaku", "riwayat")} == {
            "berlaku": {"DINKES"},
            "riwayat": {"DINKES"},
        }

    with DecisionStore(path, kode_opd=["DINKES", "BKPSDM"]) as two:
        assert set(two.current()["kode_opd"]) == {"DINKES", "BKPSDM"}
    with DecisionStore(path) as everything:
        assert len(everything.history()) == 4


def test_default_path_is_outside_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.delenv("ASN_EVAL_DECISIONS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    path = default_path(data)
    assert path.parent == tmp_path / "share" / "asn-eval" / "keputusan"
    assert len(path.stem) == 16 and path.suffix == ".sqlite"
    assert default_path(data / ".." / "data") == path  # the resolved folder decides
    assert default_path(tmp_path / "lain") != path

    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "rumah"))
    assert default_path(data).parent == tmp_path / "rumah" / ".local/share/asn-eval/keputusan"

    monkeypatch.setenv("ASN_EVAL_DECISIONS", str(tmp_path / "pilihan.sqlite"))
    assert default_path(data) == tmp_path / "pilihan.sqlite"
    with DecisionStore(default_path(data), pegawai=ROSTER) as store:
        decide(store)
    assert list(data.iterdir()) == []
