"""Objections (keberatan) and their answers in the decisions store, its import sheet and CLI.

Real SQLite files in ``tmp_path``; the tiny hand-written dataset of ``conftest`` (DINKES, PKM1,
BKPSDM; NIP_C is ``Baik`` in 2025-TW1 and 2025, the others have no predikat) for the import; a
version 2 file made by asn-eval before objections (``tests/stores/keputusan-v2.sqlite``) for the
migration. Issue 14: "an objection with no grounds is refused"; an objection answered with another
predikat shows it wherever the calibrated predikat is used (:meth:`DecisionStore.apply`).
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest
from conftest import NIP_A, NIP_B, NIP_C, NIP_D, run_cli, tiny_tables, write_tables

from asn_eval.decisions import (
    OBJECTION_COLUMNS,
    SCHEMA_VERSION,
    Answer,
    Decision,
    DecisionStore,
    Objection,
)
from asn_eval.decisions.schema import EVENT_FIELDS, TRIGGERS, triggers_in
from asn_eval.errors import StoreError, UsageError, WriteError
from asn_eval.formatting import timestamp
from asn_eval.input.dataset import load
from asn_eval.scoring.score import evaluate
from asn_eval.spreadsheet import excel_writer

SKEMA = "permenpan-6-2022"
ROSTER = {NIP_A: "DINKES", NIP_B: "PKM1", NIP_C: "PKM1", NIP_D: "BKPSDM"}
V2_FILE = Path(__file__).parent / "stores" / "keputusan-v2.sqlite"
V2_HEAD = "a12d2fccdbdb8efa"
"""The head asn-eval printed for the version 2 file when it made it (tests/stores/README.md)."""


def file(store: DecisionStore, **changes: str) -> int:
    fields = {
        "nip": NIP_C,
        "periode": "2025",
        "skema": SKEMA,
        "kode_opd": "PKM1",
        "sebelum": "Baik",
        "alasan": "target RHK 2 tercapai 120 %, bukti belum dibaca atasan",
        "oleh": "Andi Pratama",
    }
    return store.file_objection(**{**fields, **changes})


def hasil() -> pd.DataFrame:
    """Scored results as :func:`asn_eval.score` gives them, for :meth:`DecisionStore.apply`."""
    dtype = pd.CategoricalDtype(["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang"], ordered=True)
    return pd.DataFrame(
        {
            "nip": pd.Categorical([NIP_A, NIP_B, NIP_C, NIP_D]),
            "periode": pd.Categorical(["2025"] * 4),
            "predikat": pd.Series(["Baik", "Baik", "Baik", None], dtype=dtype),
        }
    )


def calibrated(store: DecisionStore) -> pd.DataFrame:
    applied = store.apply(hasil(), skema=SKEMA)
    return applied.set_index(applied["nip"].astype("str"))


def count_rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM keputusan").fetchone()[0]


@pytest.fixture
def store(tmp_path: Path):
    with DecisionStore(tmp_path / "keputusan.sqlite", pegawai=ROSTER) as opened:
        yield opened


# -- the store ---------------------------------------------------------------------------------


def test_a_filed_objection_is_listed_open_with_its_age(store: DecisionStore) -> None:
    number = file(store)
    listed = store.objections()
    assert list(listed.columns) == OBJECTION_COLUMNS
    row = listed.iloc[0]
    assert (row["id"], row["nip"], row["periode"], row["kode_opd"]) == (
        number,
        NIP_C,
        "2025",
        "PKM1",
    )
    assert row["predikat_keberatan"] == "Baik" and row["diajukan_oleh"] == "Andi Pratama"
    assert row["alasan_keberatan"].startswith("target RHK 2")
    assert row["status"] == "terbuka" and not row["ditarik"]
    assert listed["ditarik"].dtype == "bool"
    assert pd.isna(row["id_jawaban"]) and pd.isna(row["waktu_jawaban"]) and pd.isna(row["hasil"])
    assert str(listed["waktu"].dt.tz) == "UTC" and listed["id_jawaban"].dtype == "Int64"
    later = row["waktu"] + timedelta(days=3, hours=23)
    assert store.objections(now=later)["umur_hari"].tolist() == [3]  # whole days
    assert store.objections(now=later.tz_localize(None))["umur_hari"].tolist() == [3]  # naive: UTC
    assert store.objections()["umur_hari"].tolist() == [0]
    assert store.objections(open_only=True)["id"].tolist() == [number]
    assert store.objections(periode="2025 tw 1").empty and store.objections(nip=NIP_A).empty

    history = store.history()
    assert history[["jenis", "status"]].values.tolist() == [["keberatan", "terbuka"]]
    assert pd.isna(history["predikat_sesudah"].iloc[0])
    assert store.current().empty
    assert not calibrated(store)["dikalibrasi"].any()  # an open objection changes nothing


def test_a_kept_answer_closes_the_objection_and_changes_nothing(store: DecisionStore) -> None:
    number = file(store)
    answer = store.answer_objection(
        number, alasan="capaian sudah dihitung dari bukti yang sah", oleh="Tim Penilai"
    )
    assert answer == number + 1
    row = store.objections().iloc[0]
    assert (row["status"], row["hasil"], row["id_jawaban"]) == ("dijawab", "tetap", answer)
    assert row["predikat_sesudah"] == "Baik" and row["dijawab_oleh"] == "Tim Penilai"
    assert row["jawaban"] == "capaian sudah dihitung dari bukti yang sah"
    assert row["umur_hari"] == 0 and row["waktu_jawaban"] >= row["waktu"]
    assert store.objections(open_only=True).empty
    assert store.current().empty and not calibrated(store)["dikalibrasi"].any()
    # "sesudah" equal to the predikat in force is kept too, written any way
    second = file(store, nip=NIP_B, sebelum="baik")
    store.answer_objection(second, sesudah="BAIK", alasan="tetap sesuai bukti", oleh="Tim")
    assert store.objections()["hasil"].tolist() == ["tetap", "tetap"]
    with pytest.raises(UsageError, match=rf"{answer} adalah jawaban yang mempertahankan"):
        store.withdraw(answer, alasan="tidak ada yang ditarik", oleh="Sekretaris")
    with pytest.raises(UsageError, match=rf"{number} adalah keberatan"):
        store.withdraw(number, alasan="keberatan bukan keputusan", oleh="Sekretaris")


def test_a_changed_answer_is_a_calibration_decision_until_withdrawn(store: DecisionStore) -> None:
    number = file(store)
    answer = store.answer_objection(
        number, sesudah="sangat baik", alasan="bukti capaian diterima", oleh="Tim Penilai"
    )
    row = store.objections().iloc[0]
    assert (row["hasil"], row["predikat_sesudah"]) == ("diubah", "Sangat Baik")
    assert not row["ditarik"]  # in force

    current = store.current()
    assert current["id"].tolist() == [answer]
    assert current.iloc[0]["predikat_sebelum"] == "Baik"
    assert current.iloc[0]["alasan"] == f"Keberatan #{number} dikabulkan: bukti capaian diterima"
    applied = calibrated(store)
    assert applied.loc[NIP_C, "predikat_kalibrasi"] == "Sangat Baik"
    assert applied.loc[NIP_C, "predikat"] == "Baik"  # the computed one is kept
    assert bool(applied.loc[NIP_C, "dikalibrasi"])
    assert applied.loc[NIP_C, "alasan_kalibrasi"].startswith(f"Keberatan #{number} dikabulkan")
    assert applied["dikalibrasi"].sum() == 1
    assert store.history()["status"].tolist() == ["dijawab", "berlaku"]

    withdrawal = store.withdraw(answer, alasan="bukti ternyata palsu", oleh="Sekretaris")
    assert store.current().empty and not calibrated(store)["dikalibrasi"].any()
    assert store.history()["status"].tolist()[:2] == ["dijawab", "ditarik"]
    assert store.history()["merujuk"].tolist() == [pd.NA, number, answer]
    assert store.objections().iloc[0]["hasil"] == "diubah"  # answered; the calibration went
    assert store.objections()["ditarik"].tolist() == [True]  # reports do not say "changed to"
    with pytest.raises(UsageError, match=rf"keputusan {answer} sudah ditarik"):
        store.withdraw(answer, alasan="dua kali", oleh="Sekretaris")
    assert withdrawal == answer + 1

    # The latest decision wins, whether an usulan or a changed answer.
    again = file(store, sebelum="Baik")
    store.answer_objection(again, sesudah="Butuh Perbaikan", alasan="turun", oleh="Tim")
    assert calibrated(store).loc[NIP_C, "predikat_kalibrasi"] == "Butuh Perbaikan"
    assert store.objections()["ditarik"].tolist() == [True, False]
    store.record(
        nip=NIP_C,
        periode="2025",
        skema=SKEMA,
        kode_opd="PKM1",
        sebelum="Butuh Perbaikan",
        sesudah="Baik",
        alasan="forum meninjau ulang",
        oleh="Forum",
    )
    assert calibrated(store).loc[NIP_C, "predikat_kalibrasi"] == "Baik"


@pytest.mark.parametrize(
    ("alasan", "oleh", "message"),
    [
        ("", "Andi", "alasan keberatan wajib diisi"),
        ("   \n\t", "Andi", "alasan keberatan wajib diisi"),
        (".", "Andi", "alasan keberatan wajib diisi dengan paling sedikit 3 huruf"),
        ("!!! 120 % ??", "Andi", "paling sedikit 3 huruf .*tanda baca, angka"),
        ("\u200b\u200b\u200b\u200b", "Andi", "paling sedikit 3 huruf"),
        ("nilai saya salah", "", "yang mengajukan keberatan"),
        ("nilai saya salah", "\u200b", "yang mengajukan keberatan"),
    ],
)
def test_an_objection_with_no_grounds_is_refused(
    store: DecisionStore, alasan: str, oleh: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        file(store, alasan=alasan, oleh=oleh)
    assert count_rows(store.path) == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nip": "199912312020121001"}, "NIP 199912312020121001 tidak ada di tabel pegawai"),
        ({"kode_opd": "DINKES"}, "kode OPD DINKES bukan OPD pegawai"),
        ({"sebelum": "Istimewa"}, "'Istimewa' tidak ada di skema permenpan-6-2022"),
        ({"periode": "tahun lalu"}, "periode tidak dikenal"),
        ({"nip": "1990"}, "NIP harus 18 angka"),
    ],
)
def test_an_objection_is_checked_like_a_decision(
    store: DecisionStore, changes: dict[str, str], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        file(store, **changes)
    assert count_rows(store.path) == 0


def test_one_open_objection_per_employee_period_and_scheme(store: DecisionStore) -> None:
    first = file(store)
    with pytest.raises(UsageError, match=rf"sudah punya keberatan terbuka .*#{first}\)"):
        file(store, alasan="keberatan kedua yang sama")
    file(store, periode="2025-TW1")  # another period
    file(store, nip=NIP_B)  # another employee
    store.answer_objection(first, alasan="sudah sesuai bukti", oleh="Tim")
    assert file(store, alasan="keberatan baru sesudah dijawab") > first  # closed: a new one


def test_an_objection_is_answered_once(store: DecisionStore) -> None:
    number = file(store)
    answer = store.answer_objection(number, alasan="sesuai bukti", oleh="Tim")
    with pytest.raises(
        UsageError, match=rf"keberatan {number} sudah dijawab \(jawaban #{answer}\)"
    ):
        store.answer_objection(number, sesudah="Sangat Baik", alasan="dijawab lagi", oleh="Tim")
    with pytest.raises(UsageError, match="keberatan 99 tidak ada"):
        store.answer_objection(99, alasan="tidak ada", oleh="Tim")
    with pytest.raises(UsageError, match=rf"{answer} bukan keberatan \(jenisnya jawaban\)"):
        store.answer_objection(answer, alasan="jawaban atas jawaban", oleh="Tim")
    other = file(store, nip=NIP_B)
    for bad, message in (
        ({"alasan": "."}, "jawaban wajib diisi dengan paling sedikit 3 huruf"),
        ({"alasan": ""}, "jawaban wajib diisi"),
        ({"oleh": " "}, "yang menjawab"),
        ({"sesudah": "Istimewa"}, "'Istimewa' tidak ada di skema"),
        ({"sebelum": "Cukup"}, "'Cukup' tidak ada di skema"),
    ):
        fields = {"alasan": "dijawab", "oleh": "Tim", **bad}
        with pytest.raises(UsageError, match=message):
            store.answer_objection(other, **fields)
    with pytest.raises(UsageError, match="nomor keberatan harus bilangan bulat"):
        store.answer_objection("dua", alasan="dijawab", oleh="Tim")  # type: ignore[arg-type]
    assert store.objections(open_only=True)["id"].tolist() == [other]


def test_batches_are_all_or_nothing(store: DecisionStore) -> None:
    good = Objection(NIP_C, "2025", SKEMA, "PKM1", "Baik", "bukti tidak dibaca", "Andi")
    bad = Objection(NIP_B, "2025", SKEMA, "PKM1", "Baik", "?", "Sari")
    with pytest.raises(UsageError, match="keberatan ke-2: alasan keberatan wajib diisi"):
        store.file_many([good, bad])
    twice = [good, Objection(NIP_C, "2025", SKEMA, "PKM1", "Baik", "sekali lagi", "Andi")]
    with pytest.raises(UsageError, match=r"keberatan ke-2: .*sudah punya keberatan terbuka"):
        store.file_many(twice)  # the first of the batch is seen by the second
    assert count_rows(store.path) == 0

    answered = Objection(
        NIP_C, "2025", SKEMA, "PKM1", "Baik", "bukti tidak dibaca", "Andi",
        answer=Answer("bukti diterima", "Tim", sesudah="Sangat Baik"),
    )  # fmt: skip
    other = Objection(NIP_B, "2025", SKEMA, "PKM1", "Baik", "dinilai tanpa data", "Sari")
    decision = Decision(NIP_D, "2025", SKEMA, "BKPSDM", "(tidak ada)", "Baik", "ada bukti", "Forum")
    unknown = Answer("dijawab", "Tim", objection_id=99)
    with pytest.raises(UsageError, match="jawaban ke-1: keberatan 99 tidak ada"):
        store.record_batch(decisions=[decision], objections=[answered, other], answers=[unknown])
    assert count_rows(store.path) == 0  # what was appended before it is rolled back

    done = store.record_batch(
        decisions=[decision],
        objections=[answered, other],
        answers=[Answer("sesuai bukti", "Tim", objection_id=4)],  # the second objection's id
    )
    assert (done.decisions, done.objections, done.answers) == ([1], [2, 4], [3, 5])
    assert store.history()["jenis"].tolist() == [
        "usulan", "keberatan", "jawaban", "keberatan", "jawaban"
    ]  # fmt: skip
    assert store.objections()["hasil"].tolist() == ["diubah", "tetap"]
    assert calibrated(store).loc[[NIP_C, NIP_D], "predikat_kalibrasi"].tolist() == [
        "Sangat Baik",
        "Baik",
    ]


def test_a_store_restricted_to_one_opd_files_and_answers_only_there(tmp_path: Path) -> None:
    path = tmp_path / "keputusan.sqlite"
    with DecisionStore(path, pegawai=ROSTER) as everything:
        theirs = file(everything)  # PKM1
    with DecisionStore(path, pegawai=ROSTER, kode_opd="DINKES") as dinkes:
        with pytest.raises(UsageError, match="keberatan untuk OPD PKM1 tidak diizinkan"):
            file(dinkes, nip=NIP_B)
        with pytest.raises(UsageError, match=f"menjawab keberatan {theirs} untuk OPD PKM1"):
            dinkes.answer_objection(theirs, alasan="di luar cakupan", oleh="Tim")
        assert dinkes.objections().empty
        mine = file(dinkes, nip=NIP_A, kode_opd="DINKES")
        dinkes.answer_objection(mine, sesudah="Sangat Baik", alasan="bukti diterima", oleh="Tim")
        assert dinkes.objections()["id"].tolist() == [mine]
    with DecisionStore(path, pegawai=ROSTER, kode_opd="PKM1") as pkm1:
        assert pkm1.objections(open_only=True)["id"].tolist() == [theirs]
        assert pkm1.current().empty


def test_recording_needs_the_roster(tmp_path: Path) -> None:
    with DecisionStore(tmp_path / "k.sqlite") as bare, pytest.raises(UsageError, match="pegawai"):
        file(bare)


# -- the file: chain and migration -------------------------------------------------------------


def tamper(path: Path, *statements: str) -> None:
    """Run SQL on the file as an attacker with sqlite3 would (the guard trigger dropped)."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("statement", "broken"),
    [
        ("UPDATE keputusan SET alasan = 'tidak ada' WHERE jenis = 'keberatan'", 1),
        ("UPDATE keputusan SET predikat_sesudah = predikat_sebelum WHERE jenis = 'jawaban'", 2),
        ("UPDATE keputusan SET oleh = 'Kepala Dinas' WHERE jenis = 'jawaban'", 2),
    ],
)
def test_changing_an_objection_or_an_answer_in_the_file_is_caught(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], statement: str, broken: int
) -> None:
    path = tmp_path / "keputusan.sqlite"
    with DecisionStore(path, pegawai=ROSTER) as store:
        number = file(store)
        store.answer_objection(number, sesudah="Sangat Baik", alasan="bukti diterima", oleh="Tim")
        file(store, nip=NIP_B)
    code, out, _ = run_cli(capsys, "decisions", "verify", path)
    assert code == 0 and "rantai utuh, 3 peristiwa" in out
    copy = tmp_path / "salinan.sqlite"
    shutil.copy(path, copy)
    tamper(copy, "DROP TRIGGER keputusan_tidak_diubah", statement)
    code, out, _ = run_cli(capsys, "decisions", "verify", copy)
    assert code == 2
    assert f"TIDAK UTUH: keputusan #{broken} (" in out and "diubah" in out
    with pytest.raises(StoreError, match=rf"keputusan #{broken} .*tidak cocok"):
        DecisionStore(copy, pegawai=ROSTER)


def v2_copy(tmp_path: Path) -> Path:
    target = tmp_path / "lama" / "keputusan.sqlite"
    target.parent.mkdir()
    shutil.copy(V2_FILE, target)
    return target


def test_a_version_2_file_is_read_as_it_is_when_it_may_not_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = v2_copy(tmp_path)
    before = path.read_bytes()
    with DecisionStore(path, access="read", pegawai=ROSTER) as old:
        assert old.verdict.intact and old.verdict.head.short == V2_HEAD
        assert old.history()["jenis"].tolist() == ["usulan", "usulan", "tarik", "usulan"]
        assert old.current()["id"].tolist() == [2, 4]
        assert old.objections().empty and list(old.objections().columns) == OBJECTION_COLUMNS
        with pytest.raises(WriteError, match="hanya-baca"):
            old.file_objection(
                nip=NIP_A, periode="2025", skema=SKEMA, kode_opd="DINKES", sebelum="Baik",
                alasan="tidak bisa ditulis", oleh="Budi",
            )  # fmt: skip
        old.export_xlsx(tmp_path / "lama.xlsx")
    for command in (("verify", path, "--sampai", V2_HEAD), ("history", path)):
        code, out, _ = run_cli(capsys, "decisions", *command)
        assert code == 0, out
    assert "Baik → Sangat Baik" in out and "tarik #1" in out
    assert path.read_bytes() == before  # read, never migrated
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT versi FROM versi_skema").fetchall() == [(2,)]


def test_a_version_2_file_is_migrated_once_keeping_every_hash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = v2_copy(tmp_path)
    fields = ", ".join((*EVENT_FIELDS, "hash"))
    with sqlite3.connect(path) as conn:
        rows = conn.execute(f"SELECT {fields} FROM keputusan ORDER BY id").fetchall()
        genesis = conn.execute("SELECT * FROM asal").fetchall()
    with DecisionStore(path, pegawai=ROSTER) as store:
        assert store.verdict.intact and store.verdict.head.short == V2_HEAD
        assert store.verdict.origin.startswith("dibuat baru")  # the genesis is untouched
        number = file(store, periode="2025-TW1", sebelum="Sangat Baik")
        assert number == 5
        store.answer_objection(number, sesudah="Baik", alasan="bukti kurang", oleh="Tim")
        assert store.current()["predikat_sesudah"].tolist() == ["Butuh Perbaikan", "Baik"]
    with sqlite3.connect(path) as conn:
        versions = conn.execute("SELECT versi FROM versi_skema ORDER BY versi").fetchall()
        assert versions == [(2,), (SCHEMA_VERSION,)] == [(2,), (3,)]
        assert conn.execute(f"SELECT {fields} FROM keputusan WHERE id <= 4").fetchall() == rows
        assert conn.execute("SELECT * FROM asal").fetchall() == genesis
        assert triggers_in(conn) == TRIGGERS  # exactly, not only the same names
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"keputusan_tarik_sekali", "keputusan_jawab_sekali"} <= indexes
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert not any(t.startswith("keputusan_v") for t in tables)
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):  # one answer per objection
            conn.execute(
                "INSERT INTO keputusan (id, waktu, jenis, nip, periode, skema, kode_opd, "
                "predikat_sebelum, predikat_sesudah, alasan, oleh, merujuk, hash) SELECT 99, "
                "waktu, jenis, nip, periode, skema, kode_opd, predikat_sebelum, "
                "predikat_sesudah, alasan, oleh, merujuk, hash FROM keputusan WHERE id = 6"
            )
    code, out, _ = run_cli(capsys, "decisions", "verify", path, "--sampai", V2_HEAD)
    assert code == 0 and "sejak itu 2 peristiwa ditambahkan, tidak ada yang dihapus" in out
    with DecisionStore(path, access="read") as again:  # once
        assert again.verdict.intact and again.verdict.head.count == 6
    with sqlite3.connect(path) as conn:
        assert len(conn.execute("SELECT versi FROM versi_skema").fetchall()) == 2


def test_a_version_2_file_whose_chain_is_broken_is_not_migrated(tmp_path: Path) -> None:
    path = v2_copy(tmp_path)
    tamper(
        path,
        "DROP TRIGGER keputusan_tidak_diubah",
        "UPDATE keputusan SET predikat_sesudah = 'Sangat Baik' WHERE id = 2",
    )
    with pytest.raises(StoreError, match=r"keputusan #2 .*tidak cocok"):
        DecisionStore(path, pegawai=ROSTER)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT versi FROM versi_skema").fetchall() == [(2,)]
    with DecisionStore(path, pegawai=ROSTER, allow_broken=True) as audit:  # shown for an audit
        assert not audit.verdict.intact and len(audit.history()) == 4
        with pytest.raises(StoreError, match="versi 2 belum bisa mencatat keberatan"):
            file(audit, periode="2025-TW1")


# -- the import sheet and the CLI ----------------------------------------------------------------


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_tables(tiny_tables(), tmp_path / "data")


def imported(
    capsys: pytest.CaptureFixture[str], data: Path, sheet: Path, target: Path, *extra: str
) -> tuple[int, str]:
    code, out, err = run_cli(
        capsys, "decisions", "import", data, sheet, "--keputusan", target, *extra
    )
    return code, out + err


FILED = (
    "Daftar Keberatan atas Hasil Penilaian Kinerja Triwulan I 2025\n"
    "NIP;Periode;Alasan Keberatan;Diajukan Oleh;Jawaban;Keputusan Keberatan;Predikat Baru\n"
    f"'{NIP_C};TW I 2025;target RHK 2 tercapai 120 %, bukti terlampir;Andi Pratama;"
    "bukti diterima tim;Dikabulkan;sangat baik\n"
    f"NIP. {NIP_B[:8]} {NIP_B[8:14]} {NIP_B[14]} {NIP_B[15:]};2025-TW1;"
    "saya dinilai tanpa data SKP;kuasa: Rina Wati;;;\n"
)


def test_import_files_and_answers_objections_and_the_new_predikat_applies(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet, target = tmp_path / "keberatan.csv", tmp_path / "keputusan.sqlite"
    sheet.write_text(FILED, encoding="utf-8")
    code, out = imported(capsys, data, sheet, target, "--oleh", "Tim Penilai Kinerja")
    assert code == 0, out
    assert "judul kolom dibaca dari baris 2" in out  # the loader's warning, said
    assert f"2 keberatan dicatat di {target} (#1, #3)." in out
    assert "1 jawaban keberatan dicatat (#2): 0 tetap, 1 diubah" in out
    assert "Kepala rantai: 3 peristiwa" in out

    with DecisionStore(target, access="read") as store:
        listed = store.objections()
        assert listed["nip"].tolist() == [NIP_C, NIP_B]
        assert listed["periode"].tolist() == ["2025-TW1", "2025-TW1"]
        assert listed["predikat_keberatan"].tolist() == ["Baik", "(tidak ada)"]  # in force
        assert listed["diajukan_oleh"].tolist() == ["Andi Pratama", "kuasa: Rina Wati"]
        assert listed["status"].tolist() == ["dijawab", "terbuka"]
        assert listed["hasil"].iloc[0] == "diubah" and pd.isna(listed["hasil"].iloc[1])
        assert listed["dijawab_oleh"].iloc[0] == "Tim Penilai Kinerja"  # --oleh
        assert listed["skema"].str.startswith(f"{SKEMA}@").all()
        dataset = load(data)
        scored = evaluate(dataset, "2025-TW1")
        applied = store.apply(scored.hasil, skema=scored.skema)
        applied = applied.set_index(applied["nip"].astype("str"))
        assert applied.loc[NIP_C, "predikat"] == "Baik"
        assert applied.loc[NIP_C, "predikat_kalibrasi"] == "Sangat Baik"
        assert (
            applied.loc[NIP_C, "alasan_kalibrasi"] == "Keberatan #1 dikabulkan: bukti diterima tim"
        )
        assert not applied.loc[NIP_B, "dikalibrasi"]

    code, out, _ = run_cli(capsys, "decisions", "history", target)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["#", "waktu", "(WIB)", "jenis"]
    assert "keberatan  " in lines[1] and "keberatan atas Baik" in lines[1] and "dijawab" in lines[1]
    assert "jawaban #1: Baik → Sangat Baik" in lines[2] and "berlaku" in lines[2]
    assert "keberatan atas (tidak ada)" in lines[3] and "terbuka" in lines[3]

    # The open one answered from another sheet: a row without grounds, with an answer.
    answers = tmp_path / "jawaban.csv"
    answers.write_text(
        "nip,periode,jawaban,hasil,dijawab_oleh\n"
        f"{NIP_B},2025 tw 1,data SKP memang tidak diunggah,Ditolak,Kepala Puskesmas\n",
        encoding="utf-8",
    )
    code, out = imported(capsys, data, answers, target)
    assert code == 0, out
    assert "1 jawaban keberatan dicatat (#4): 1 tetap, 0 diubah" in out
    with DecisionStore(target, access="read") as store:
        assert store.objections(open_only=True).empty
        assert store.objections()["hasil"].tolist() == ["diubah", "tetap"]
    code, out, _ = run_cli(capsys, "decisions", "history", target)
    assert "jawaban #3: tetap" in out and "Kepala Puskesmas" in out

    # Nothing is open any more: the same answer again is refused, exit 2.
    code, out = imported(capsys, data, answers, target)
    assert code == 2
    assert "jawaban.csv:2:jawaban: tidak ada keberatan terbuka pegawai ini" in out
    assert "Tidak ada keberatan yang dicatat" in out


def test_a_workbook_with_decisions_and_objections_records_both_at_once(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, target = tmp_path / "forum.xlsx", tmp_path / "keputusan.sqlite"
    decisions = pd.DataFrame(
        {
            "NIP": [NIP_B],
            "Periode": ["2025"],
            "Predikat Kalibrasi": ["butuh perbaikan"],
            "Alasan": ["keluhan warga terbukti"],
            "Diputuskan Oleh": ["Forum BKPSDM"],
        }
    )
    objections = pd.DataFrame(
        {
            "NIP Pegawai": [f"'{NIP_C}", NIP_D],
            "Periode Penilaian": ["Triwulan I 2025", "2025"],
            "Isi Keberatan": ["capaian RHK tidak dihitung", "penilai rekan tidak lengkap"],
            "Yang Mengajukan": ["Andi Pratama", "Rina Wati"],
            "Tanggapan": ["dihitung ulang, tetap", None],
            "Hasil": ["TETAP", None],
        }
    )
    with excel_writer(book) as writer:
        pd.DataFrame({"catatan": ["lembar lain"]}).to_excel(writer, sheet_name="catatan")
        decisions.to_excel(writer, sheet_name="Keputusan", index=False)
        objections.to_excel(writer, sheet_name="Keberatan", index=False, startrow=2)
        writer.sheets["Keberatan"].write(0, 0, "Rekap keberatan pegawai 2025")  # a title row
    code, out = imported(capsys, data, book, target, "--oleh", "Tim Penilai")
    assert code == 0, out
    assert "1 keputusan dicatat" in out and "2 keberatan dicatat" in out
    assert "1 jawaban keberatan dicatat (#3): 1 tetap" in out
    with DecisionStore(target, access="read") as store:
        history = store.history()
        assert history["jenis"].tolist() == ["usulan", "keberatan", "jawaban", "keberatan"]
        assert history["nip"].tolist() == [NIP_B, NIP_C, NIP_C, NIP_D]
        assert store.objections()["periode"].tolist() == ["2025-TW1", "2025"]
        # A bad row on either sheet records nothing from both: one transaction.
    bad = objections.assign(**{"Isi Keberatan": ["capaian RHK tidak dihitung", "?"]})
    with excel_writer(book) as writer:
        decisions.assign(NIP=[NIP_A]).to_excel(writer, sheet_name="keputusan", index=False)
        bad.to_excel(writer, sheet_name="keberatan", index=False)
    other = tmp_path / "lain.sqlite"
    code, out = imported(capsys, data, book, other)
    assert code == 2
    assert "forum.xlsx[keberatan]:3:Isi Keberatan: alasan keberatan harus memuat" in out
    assert "Tidak ada keputusan maupun keberatan yang dicatat" in out
    assert count_rows(other) == 0


BAD = (
    "nip,periode,alasan_keberatan,diajukan_oleh,jawaban,hasil,predikat_baru\n"
    f"{NIP_A},2025-TW1,kinerja saya tidak dibaca,Budi Santoso,,,\n"  # 2: good
    "199912312020121001,2025-TW1,,,,,\n"  # 3: not an employee, and neither grounds nor answer
    f"{NIP_B},2025-TW1,.,Sari Dewi,,,\n"  # 4: grounds without letters
    f"{NIP_C},2025-TW1,bukti tidak dibaca,,,,\n"  # 5: nobody filed it
    f"{NIP_D},2025-TW1,bukti tidak dibaca,Rina Wati,dibahas,mungkin,\n"  # 6: an unknown outcome
    f"{NIP_A},2025,bukti tidak dibaca,Budi Santoso,dibahas,diubah,\n"  # 7: changed to what?
    f"{NIP_C},2025,bukti tidak dibaca,Andi Pratama,dibahas,diubah,baik\n"  # 8: the one in force
    f"{NIP_B},2025,bukti tidak dibaca,Sari Dewi,dibahas,tetap,Sangat Baik\n"  # 9: kept, yet another
    f"{NIP_D},2025,bukti tidak dibaca,Rina Wati,dibahas,,Istimewa\n"  # 10: not the scheme's
    f"{NIP_D},2024,,,dibahas,tetap,\n"  # 11: a period the data cannot score, nothing open
    f"{NIP_A},2025-TW2,\u200b,,,,\n"  # 12: invisible grounds only, a period not in the data
)


def test_import_is_all_or_nothing_and_names_every_bad_cell(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet, target = tmp_path / "keberatan.csv", tmp_path / "keputusan.sqlite"
    sheet.write_text(BAD, encoding="utf-8")
    code, out = imported(capsys, data, sheet, target, "--oleh", "Tim")
    assert code == 2
    expected = [
        "keberatan.csv:3:nip: NIP tidak ada di tabel pegawai (199912312020121001)",
        "keberatan.csv:3:alasan_keberatan: keberatan tanpa alasan ditolak",
        "keberatan.csv:4:alasan_keberatan: alasan keberatan harus memuat paling sedikit 3 huruf",
        "keberatan.csv:5:diajukan_oleh: yang mengajukan keberatan tidak disebut",
        "keberatan.csv:6:hasil: isi dengan tetap atau diubah",
        "keberatan.csv:7:predikat_baru: hasil diubah: isi predikat baru",
        "keberatan.csv:8:predikat_baru: hasil diubah, tetapi sama dengan predikat yang berlaku "
        "(Baik)",
        "keberatan.csv:9:predikat_baru: hasil tetap, tetapi berbeda dari predikat yang berlaku "
        "((tidak ada))",
        "keberatan.csv:10:predikat_baru: tidak ada di skema permenpan-6-2022; yang sah: "
        "Sangat Baik, Baik, Butuh Perbaikan",
        "keberatan.csv:11:periode: tidak bisa dinilai dari data: periode '2024' tidak ada",
        "keberatan.csv:11:jawaban: tidak ada keberatan terbuka pegawai ini",
        "keberatan.csv:12:alasan_keberatan: keberatan tanpa alasan ditolak: isi alasan keberatan "
        "dengan paling sedikit 3 huruf (tanda baca, angka, spasi dan karakter tak terlihat tidak "
        "dihitung) (\\u200b)",
        "keberatan.csv:12:periode: tidak bisa dinilai dari data: periode '2025-TW2' tidak ada",
    ]
    for line in expected:
        assert line in out, (line, out)
    assert "keberatan.csv:2:" not in out
    assert "Tidak ada keberatan yang dicatat: 13 galat" in out
    assert count_rows(target) == 0  # row 2 was good, and is not recorded either

    # An objection already open is not filed twice.
    sheet.write_text(BAD.splitlines()[0] + "\n" + BAD.splitlines()[1] + "\n", encoding="utf-8")
    assert imported(capsys, data, sheet, target)[0] == 0
    code, out = imported(capsys, data, sheet, target)
    assert code == 2 and "keberatan.csv:2:alasan_keberatan: pegawai ini sudah punya keberatan " \
        "terbuka untuk periode 2025-TW1 (keberatan #1)" in out  # fmt: skip

    empty = tmp_path / "kosong.csv"
    empty.write_text("nip,periode,alasan_keberatan\n", encoding="utf-8")
    code, out = imported(capsys, data, empty, target)
    assert code == 2 and "tidak berisi baris keberatan" in out


def test_export_has_the_objections_sheet_in_the_citys_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "keputusan.sqlite"
    with DecisionStore(path, pegawai=ROSTER) as store:
        first = file(store)
        store.answer_objection(first, sesudah="Sangat Baik", alasan="bukti diterima", oleh="Tim")
        file(store, nip=NIP_D, kode_opd="BKPSDM", sebelum="(tidak ada)", alasan="=1+1 tidak adil")
        listed = store.objections()
    profile = tmp_path / "profil.toml"
    profile.write_text(
        'pemerintah = "Pemerintah Kota Tengah"\npenyelenggara = "BKPSDM"\n'
        'zona_waktu = "WITA"\n[penandatangan]\nnama = "A"\njabatan = "Kepala"\n'
        'nip = "19700101 199503 2 001"\n',
        encoding="utf-8",
    )
    target = tmp_path / "audit.xlsx"
    code, out, _ = run_cli(
        capsys, "decisions", "export", path, "--out", target, "--profil", profile
    )
    assert code == 0, out
    assert "lembar berlaku, keberatan, riwayat, keutuhan" in out
    book = load_workbook(target)
    assert book.sheetnames[:4] == ["berlaku", "keberatan", "riwayat", "keutuhan"]
    sheet = book["keberatan"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["No.", "Waktu (WITA)", "NIP"]
    for header in (
        "Predikat yang dipersoalkan",
        "Alasan keberatan",
        "Diajukan oleh",
        "Status",
        "No. jawaban",
        "Waktu jawaban (WITA)",
        "Hasil keberatan",
        "Predikat sesudah jawaban",
        "Jawaban",
        "Dijawab oleh",
        "Umur (hari)",
        "Perubahan ditarik",
    ):
        assert header in headers, header
    rows = [dict(zip(headers, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    assert [r["NIP"] for r in rows] == [NIP_C, NIP_D]
    assert sheet.cell(2, 3).data_type == "s"  # a NIP is text
    assert [r["Status"] for r in rows] == ["dijawab", "terbuka"]
    assert [r["Hasil keberatan"] for r in rows] == ["diubah", None]
    assert [r["Perubahan ditarik"] for r in rows] == ["Tidak", "Tidak"]
    assert rows[1]["Alasan keberatan"] == "=1+1 tidak adil"  # text, never a formula
    assert [cell.data_type for cell in sheet[3]][headers.index("Alasan keberatan")] == "s"
    local = listed["waktu"].iloc[0].tz_convert("Asia/Makassar").tz_localize(None)
    assert abs(rows[0]["Waktu (WITA)"] - local.to_pydatetime()) < timedelta(seconds=1)
    assert timestamp(listed["waktu"].iloc[0], "WITA").endswith("WITA")
    history = book["riwayat"]
    kinds = [c.value for c in history["C"]][1:]
    assert kinds == ["keberatan", "jawaban", "keberatan"]


def test_objections_imported_for_the_sample_city_change_exactly_their_predikat(
    city_400_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = load(city_400_folder)
    scored = evaluate(dataset, "2025")
    baik = scored.hasil[scored.hasil["predikat"] == "Baik"].head(20)
    nips = baik["nip"].astype("str").tolist()
    outcome = ["Dikabulkan"] * 10 + ["Ditolak"] * 5 + [""] * 5
    sheet = tmp_path / "keberatan.csv"
    pd.DataFrame(
        {
            "NIP": [f"'{n}" for n in nips],
            "Periode": "2025",
            "Alasan Keberatan": [f"capaian RHK {i} tidak dibaca" for i in range(20)],
            "Diajukan Oleh": "pegawai sendiri",
            "Jawaban": ["bukti dibaca ulang"] * 15 + [""] * 5,
            "Hasil": outcome,
            "Predikat Baru": ["Sangat Baik"] * 10 + [""] * 10,
        }
    ).to_csv(sheet, index=False, sep=";")
    target = tmp_path / "keputusan.sqlite"
    code, out = imported(capsys, city_400_folder, sheet, target, "--oleh", "Tim Penilai")
    assert code == 0, out
    assert "20 keberatan dicatat" in out and "15 jawaban keberatan dicatat" in out
    assert "5 tetap, 10 diubah" in out
    with DecisionStore(target, access="read") as store:
        applied = store.apply(scored.hasil, skema=scored.skema)
        listed = store.objections(periode="2025", skema=scored.skema)
    changed = applied[applied["dikalibrasi"]]
    assert sorted(changed["nip"].astype("str")) == sorted(nips[:10])
    assert (changed["predikat_kalibrasi"] == "Sangat Baik").all()
    assert (applied["predikat"] == scored.hasil["predikat"]).all()  # computed ones untouched
    assert listed["status"].value_counts().to_dict() == {"dijawab": 15, "terbuka": 5}
    per_opd = listed[listed["status"] == "terbuka"].groupby("kode_opd").size()
    expected = baik.tail(5).groupby(baik["kode_opd"].astype("str"), observed=True).size()
    assert per_opd.to_dict() == expected[expected > 0].to_dict()


def test_credit_points_follow_the_predikat_in_force(city_400_folder, tmp_path):
    """An employee of a functional post calibrated from Baik to Sangat Baik gets 150 %, not 100 %
    of the coefficient (PermenPAN-RB 1/2023 counts the final predikat)."""
    import asn_eval
    from asn_eval.decisions import DecisionStore
    from asn_eval.scoring.scheme import load_scheme
    from asn_eval.scoring.score import evaluate

    data = asn_eval.load(city_400_folder)
    scheme = load_scheme("permenpan-6-2022")
    hasil = evaluate(data, "2025-TW2", scheme).hasil
    row = hasil[(hasil["predikat"] == "Baik") & hasil["angka_kredit"].notna()].iloc[0]
    with DecisionStore(tmp_path / "k.sqlite", pegawai=data) as store:
        store.record(
            nip=row["nip"], periode="2025-TW2", skema=scheme, kode_opd=str(row["kode_opd"]),
            sebelum="Baik", sesudah="Sangat Baik", alasan="capaian program terbukti", oleh="Forum",
        )  # fmt: skip
        applied = store.apply(hasil, skema=scheme).set_index("nip")
    assert applied.loc[row["nip"], "angka_kredit"] == pytest.approx(
        row["angka_kredit"] * 1.5, abs=1e-3
    )
    others = applied.drop(index=row["nip"])["angka_kredit"]
    pd.testing.assert_series_equal(
        others, hasil.set_index("nip").drop(index=row["nip"])["angka_kredit"]
    )
