"""The decisions store is tamper-evident: each finding of issue 12 tried on a real SQLite file.

Tampering is done as an attacker would, with Python's own ``sqlite3`` on the file: drop a guard
trigger, back-date or change an event, delete a withdrawal (in the middle, at the end), insert an
event, rewrite the whole chain with freshly computed hashes. Each is caught by opening the store
(reports and the app refuse it) and by ``asn-eval decisions verify`` (exit 2, one line naming the
first broken event), or, for what the chain alone cannot see, by ``verify --sampai`` against a
head printed earlier.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from conftest import NIP_A, NIP_B, NIP_C, NIP_D, tiny_tables, write_tables

from asn_eval.cli import main
from asn_eval.decisions import Decision, DecisionStore
from asn_eval.decisions.chain import event_hash
from asn_eval.decisions.schema import EVENT_FIELDS, TRIGGERS, triggers_in
from asn_eval.errors import StoreError, UsageError

SKEMA = "permenpan-6-2022"
ROSTER = {NIP_A: "DINKES", NIP_B: "PKM1", NIP_C: "PKM1", NIP_D: "BKPSDM"}

V1_SCHEMA = (
    "CREATE TABLE versi_skema (versi INTEGER PRIMARY KEY, dipasang TEXT NOT NULL)",
    """CREATE TABLE keputusan (
        id INTEGER PRIMARY KEY, waktu TEXT NOT NULL,
        jenis TEXT NOT NULL CHECK (jenis IN ('usulan', 'tarik')),
        nip TEXT NOT NULL, periode TEXT NOT NULL, skema TEXT NOT NULL, kode_opd TEXT NOT NULL,
        predikat_sebelum TEXT, predikat_sesudah TEXT,
        alasan TEXT NOT NULL CHECK (length(trim(alasan)) > 0),
        oleh TEXT NOT NULL CHECK (length(trim(oleh)) > 0),
        merujuk INTEGER REFERENCES keputusan (id))""",
    "CREATE INDEX keputusan_pegawai ON keputusan (nip, periode, skema)",
    "CREATE INDEX keputusan_opd ON keputusan (kode_opd, periode)",
    "CREATE UNIQUE INDEX keputusan_tarik_sekali ON keputusan (merujuk) WHERE jenis = 'tarik'",
    "CREATE TRIGGER keputusan_tidak_diubah BEFORE UPDATE ON keputusan BEGIN "
    "SELECT RAISE(ABORT, 'keputusan tidak boleh diubah; catat keputusan baru'); END",
    "CREATE TRIGGER keputusan_tidak_dihapus BEFORE DELETE ON keputusan BEGIN "
    "SELECT RAISE(ABORT, 'keputusan tidak boleh dihapus; tarik dengan keputusan baru'); END",
)
"""The tables of a version 1 file, as asn-eval wrote them before the chain."""


def decision(nip: str = NIP_C, **changes: str) -> Decision:
    fields = {
        "nip": nip,
        "periode": "2025",
        "skema": SKEMA,
        "kode_opd": ROSTER[nip],
        "sebelum": "Baik",
        "sesudah": "Sangat Baik",
        "alasan": f"dibahas di forum untuk {nip}",
        "oleh": "Forum BKPSDM",
    }
    return Decision(**{**fields, **changes})


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A store with four events: #1, #2 and #4 decisions, #3 the withdrawal of #1; then #5
    withdraws #4 (the last event is a withdrawal)."""
    path = tmp_path / "keputusan.sqlite"
    with DecisionStore(path, pegawai=ROSTER) as store:
        first, _ = store.record_many([decision(NIP_C), decision(NIP_B)])
        store.withdraw(first, alasan="bukti belum diverifikasi", oleh="Sekretaris")
        fourth = store.record_many([decision(NIP_A, sesudah="Butuh Perbaikan")])[0]
        store.withdraw(fourth, alasan="salah pegawai", oleh="Sekretaris")
    return path


def tamper(path: Path, *statements: str) -> None:
    """Run SQL on the file as an attacker with sqlite3 would."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def verify_cli(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code = main(["decisions", "verify", str(path), *extra])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out + out.err


def test_a_new_store_is_intact_and_each_event_moves_its_head(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "keputusan.sqlite"
    with DecisionStore(path, pegawai=ROSTER) as store:
        assert store.verdict.intact and store.verdict.head.count == 0
        assert store.verdict.origin.startswith("dibuat baru")
        empty = store.head()
        store.record_many([decision()])
        one = store.head()
        assert one.count == 1 and one.hash != empty.hash and len(one.hash) == 64
    code, said = verify_cli(path, capsys)
    assert code == 0
    assert "rantai utuh, 1 peristiwa" in said and f"--sampai {one.short}" in said
    other = tmp_path / "lain.sqlite"
    DecisionStore(other).close()
    with DecisionStore(other, access="read") as again:  # another store: another genesis
        assert again.head().hash != empty.hash


def test_a_back_dated_edit_behind_a_dropped_trigger_is_named(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tamper(
        filled,
        "DROP TRIGGER keputusan_tidak_diubah",
        "UPDATE keputusan SET waktu = '2024-01-02T08:00:00+00:00', "
        "predikat_sesudah = 'Butuh Perbaikan' WHERE id = 2",
    )
    with pytest.raises(StoreError, match=r"keputusan #2 \(2024-01-02T08:00:00\+00:00\) diubah"):
        DecisionStore(filled, pegawai=ROSTER)
    # Reopening for writing neither recreates the trigger nor makes the file look pristine.
    with pytest.raises(StoreError, match="keputusan_tidak_diubah hilang"):
        DecisionStore(filled, pegawai=ROSTER)
    with sqlite3.connect(filled) as conn:
        assert "keputusan_tidak_diubah" not in triggers_in(conn)
    code, said = verify_cli(filled, capsys)
    assert code == 2
    assert said.count("\n") == 1 and said.startswith(f"{filled}: TIDAK UTUH: keputusan #2 (2024")
    # Putting the trigger back by hand does not help either: the event no longer fits its hash.
    tamper(filled, TRIGGERS["keputusan_tidak_diubah"])
    code, said = verify_cli(filled, capsys)
    assert code == 2 and "keputusan #2" in said and "diubah" in said and "pemicu" not in said


@pytest.mark.parametrize(
    ("removed", "named"),
    [
        (3, r"keputusan #3 hilang \(dihapus\) sebelum keputusan #4"),  # a withdrawal in the middle
        (5, r"keputusan terakhir #5 hilang"),  # the last event, a withdrawal
    ],
)
def test_deleting_a_withdrawal_is_detected(
    filled: Path, capsys: pytest.CaptureFixture[str], removed: int, named: str
) -> None:
    tamper(
        filled,
        "DROP TRIGGER keputusan_tidak_dihapus",
        f"DELETE FROM keputusan WHERE id = {removed}",
    )
    tamper(filled, TRIGGERS["keputusan_tidak_dihapus"])  # and the guard put back
    with pytest.raises(StoreError, match=named):
        DecisionStore(filled, pegawai=ROSTER)
    code, said = verify_cli(filled, capsys)
    assert code == 2 and "TIDAK UTUH" in said


def test_what_the_chain_alone_cannot_see_is_caught_by_a_printed_head(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with DecisionStore(filled, access="read") as store:
        printed = store.head().short  # as on a report or the minutes of the forum
    code, said = verify_cli(filled, capsys, "--sampai", printed)
    assert code == 0 and "tidak berubah" in said

    with DecisionStore(filled, pegawai=ROSTER) as store:  # a legitimate addition later
        store.record_many([decision(NIP_D, sesudah="Butuh Perbaikan")])
    code, said = verify_cli(filled, capsys, "--sampai", printed)
    assert code == 0 and "1 peristiwa ditambahkan" in said

    # The last two events deleted and SQLite's sequence lowered to match: the chain is whole.
    tamper(
        filled,
        "DROP TRIGGER keputusan_tidak_dihapus",
        "DELETE FROM keputusan WHERE id >= 5",
        "UPDATE sqlite_sequence SET seq = 4 WHERE name = 'keputusan'",
    )
    tamper(filled, TRIGGERS["keputusan_tidak_dihapus"])
    assert verify_cli(filled, capsys)[0] == 0  # the documented limit
    code, said = verify_cli(filled, capsys, "--sampai", printed)
    assert code == 2 and f"kepala {printed} yang dicetak sebelumnya tidak ada lagi" in said


def test_a_chain_rewritten_with_fresh_hashes_is_caught_by_a_printed_head(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with DecisionStore(filled, access="read") as store:
        printed = store.head().short
    columns = ", ".join(EVENT_FIELDS)
    with sqlite3.connect(filled) as conn:
        conn.execute("DROP TRIGGER keputusan_tidak_diubah")
        conn.execute("UPDATE keputusan SET alasan = 'alasan lain' WHERE id = 2")
        previous = conn.execute("SELECT hash FROM asal").fetchone()[0]
        for row in conn.execute(f"SELECT {columns} FROM keputusan ORDER BY id").fetchall():
            previous = event_hash(previous, row)
            conn.execute("UPDATE keputusan SET hash = ? WHERE id = ?", (previous, row[0]))
        conn.execute(TRIGGERS["keputusan_tidak_diubah"])
    assert verify_cli(filled, capsys)[0] == 0  # the documented limit
    code, said = verify_cli(filled, capsys, "--sampai", printed)
    assert code == 2 and "ditulis ulang" in said


def test_an_inserted_event_is_detected(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tamper(
        filled,
        "INSERT INTO keputusan (id, waktu, jenis, nip, periode, skema, kode_opd, "
        "predikat_sebelum, predikat_sesudah, alasan, oleh, hash) VALUES (6, "
        f"'2025-12-01T09:00:00+00:00', 'usulan', '{NIP_D}', '2025', '{SKEMA}', 'BKPSDM', "
        f"'Baik', 'Sangat Baik', 'disisipkan', 'orang lain', '{'ab' * 32}')",
    )
    with pytest.raises(StoreError, match=r"keputusan #6 \(2025-12-01T09:00:00\+00:00\)"):
        DecisionStore(filled, pegawai=ROSTER)
    code, said = verify_cli(filled, capsys)
    assert code == 2 and "#6" in said


def test_a_changed_genesis_is_detected(filled: Path) -> None:
    tamper(filled, "DROP TRIGGER asal_tidak_diubah", "UPDATE asal SET dibuat = '2020-01-01'")
    with pytest.raises(StoreError, match="catatan asal berkas diubah"):
        DecisionStore(filled, access="read")


def test_reports_and_the_app_refuse_a_broken_chain(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from asn_eval.input.dataset import load
    from asn_eval.reporting.results import CityResults

    data = write_tables(tiny_tables(), tmp_path / "data")
    dataset = load(data)
    assert CityResults.compute(dataset, "2025", keputusan=filled).hasil["dikalibrasi"].any()
    tamper(filled, "DROP TRIGGER keputusan_tidak_diubah", "UPDATE keputusan SET oleh = 'x'")
    with pytest.raises(StoreError, match=r"keputusan #1 .* diubah.*decisions verify"):
        CityResults.compute(dataset, "2025", keputusan=filled)
    for command in (
        ["app", data, "--keputusan", filled, "--port", "1"],
        ["reports", data, "--periode", "2025", "--keputusan", filled, "--out", tmp_path / "r"],
    ):
        code = main([str(part) for part in command])
        said = capsys.readouterr()
        assert code == 2 and "Traceback" not in said.err, command
        assert said.err.startswith(f"asn-eval: galat: {filled}: berkas keputusan tidak utuh")
        assert said.err.count("\n") == 1


def test_a_version_1_store_is_migrated_once_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "lama.sqlite"
    with sqlite3.connect(path) as conn:
        for statement in V1_SCHEMA:
            conn.execute(statement)
        conn.execute("INSERT INTO versi_skema VALUES (1, '2025-03-01T00:00:00+00:00')")
        rows = [
            (1, "usulan", NIP_C, "Baik", "Sangat Baik", None),
            (2, "usulan", NIP_B, "Baik", "Istimewa", None),  # before the vocabulary check
            (3, "tarik", NIP_C, None, None, 1),
        ]
        for number, jenis, nip, before, after, refers in rows:
            conn.execute(
                "INSERT INTO keputusan VALUES (?, ?, ?, ?, '2025', ?, ?, ?, ?, 'lama', 'forum', ?)",
                (
                    number,
                    f"2025-03-0{number}T10:00:00+00:00",
                    jenis,
                    nip,
                    SKEMA,
                    ROSTER[nip],
                    before,
                    after,
                    refers,
                ),
            )
    with sqlite3.connect(path) as conn:
        old = conn.execute("SELECT * FROM keputusan ORDER BY id").fetchall()

    with pytest.raises(StoreError, match="versi 1 belum berantai hash"):
        DecisionStore(path, access="read")  # reading alone never migrates
    with DecisionStore(path, pegawai=ROSTER) as store:
        assert store.verdict.intact
        assert "dimigrasi dari versi 1" in store.verdict.origin
        assert "3 keputusan (#1–#3)" in store.verdict.origin
        history = store.history()
        assert history["id"].tolist() == [1, 2, 3]
        assert history["predikat_sesudah"].tolist()[:2] == ["Sangat Baik", "Istimewa"]
        # A predikat recorded before the check still stops apply, with the way out.
        from test_decisions import small_hasil

        with pytest.raises(UsageError, match=r"keputusan 2 .*'Istimewa'.*tarik keputusan itu"):
            store.apply(small_hasil(), skema=SKEMA)
        assert store.withdraw(2, alasan="predikat salah", oleh="Sekretaris") == 4
        assert not store.apply(small_hasil(), skema=SKEMA)["dikalibrasi"].any()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT versi FROM versi_skema ORDER BY versi").fetchall() == [
            (1,),
            (3,),  # straight to the current version
        ]
        new = conn.execute(f"SELECT {', '.join(EVENT_FIELDS)} FROM keputusan WHERE id <= 3")
        assert new.fetchall() == old
        assert set(TRIGGERS) <= set(triggers_in(conn))
    with DecisionStore(path, access="read") as again:  # once: the origin is unchanged
        assert again.verdict.intact and again.verdict.origin == store.verdict.origin


def test_a_version_1_store_without_its_triggers_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "lama.sqlite"
    with sqlite3.connect(path) as conn:
        for statement in V1_SCHEMA:
            conn.execute(statement)
        conn.execute("INSERT INTO versi_skema VALUES (1, '2025-03-01')")
        conn.execute("DROP TRIGGER keputusan_tidak_dihapus")
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"tanpa pemicu pelindung .*tidak dimigrasi"):
        DecisionStore(path, pegawai=ROSTER)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT versi FROM versi_skema").fetchall() == [(1,)]
    assert len(path.read_bytes()) == len(before)


def test_verifying_ten_thousand_events_is_fast(tmp_path: Path) -> None:
    path = tmp_path / "besar.sqlite"
    nips = [NIP_A, NIP_B, NIP_C, NIP_D]
    with DecisionStore(path, pegawai=ROSTER) as store:
        began = time.perf_counter()
        store.record_many(
            decision(nips[i % 4], periode=f"2025-TW{i % 4 + 1}", alasan=f"alasan nomor {i}")
            for i in range(10_000)
        )
        written = time.perf_counter() - began
    began = time.perf_counter()
    with DecisionStore(path, access="read") as store:
        opened = time.perf_counter() - began
        assert store.verdict.intact and store.verdict.head.count == 10_000
    print(
        f"\n10.000 peristiwa: ditulis {written:.2f} dtk, dibuka dan diverifikasi {opened:.3f} dtk"
    )
    assert opened < 3


@pytest.mark.slow  # builds the app's widgets over a scored city (the fast loop has the CLI check)
def test_the_app_records_checked_decisions_and_refuses_a_broken_store(tmp_path: Path) -> None:
    from asn_eval.app.review import AppSettings, ReviewApp

    data = write_tables(tiny_tables(), tmp_path / "data")
    path = tmp_path / "keputusan.sqlite"
    app = ReviewApp(AppSettings(data=str(data), periode="2025-TW1", keputusan=str(path)))
    app.widget()
    app.employee_picker.value = NIP_C
    app.proposal.value = "Sangat Baik"
    app.reason.value = "\u200b."
    app._on_save(None)
    assert "Tidak disimpan:</b> alasan wajib diisi dengan paling sedikit 3 huruf" in (
        app.message.value
    )
    app.reason.value = "capaian melampaui target"
    app._on_save(None)
    assert app.message.value == "Keputusan #1 disimpan."
    history = app.decisions.history()
    assert history[["kode_opd", "predikat_sebelum", "predikat_sesudah"]].values.tolist() == [
        ["PKM1", "Baik", "Sangat Baik"]  # the employee's agency, from pegawai
    ]
    app.decisions.close()
    tamper(path, "DROP TRIGGER keputusan_tidak_diubah", "UPDATE keputusan SET alasan = 'lain'")
    with pytest.raises(StoreError, match=r"keputusan #1 .*tidak cocok"):
        ReviewApp(AppSettings(data=str(data), periode="2025-TW1", keputusan=str(path)))
