"""A decisions file that is not what it should be: one clear line naming it, the right exit code.

Every fault is a real file: text that is not SQLite, a store cut in half, pages overwritten with
garbage, another program's database, a newer version. Read-only is made real three ways, since the
tests run as root (who may write a ``chmod 0o444`` file): ``chattr +i`` on the file, a read-only
bind mount of its folder, and SQLite's ``mode=ro`` (what ``verify``, ``history`` and ``export``
use). A full disk is a 256 KiB tmpfs. Tests that need root's mounts skip elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import NIP_B, NIP_C, tiny_tables, write_tables

from asn_eval.cli import main
from asn_eval.decisions import SCHEMA_VERSION, Decision, DecisionStore
from asn_eval.errors import StoreError, WriteError

ROSTER = {NIP_B: "PKM1", NIP_C: "PKM1"}


def decision(i: int, nip: str = NIP_C) -> Decision:
    reason = f"alasan panjang nomor {i} " * 8
    periode = f"2025-TW{i % 4 + 1}"
    return Decision(
        nip, periode, "permenpan-6-2022", "PKM1", "Baik", "Sangat Baik", reason, "Forum"
    )


@pytest.fixture
def sound(tmp_path: Path) -> Path:
    """A store of 300 decisions, checkpointed (everything in the main file), closed."""
    path = tmp_path / "asli" / "keputusan.sqlite"
    with DecisionStore(path, pegawai=ROSTER) as store:
        store.record_many(decision(i) for i in range(300))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return code, out.out, out.err


def _not_sqlite(sound: Path, target: Path) -> None:
    target.write_text("nip;periode;predikat\n" * 400, encoding="utf-8")


def _truncated(sound: Path, target: Path) -> None:
    shutil.copy(sound, target)
    os.truncate(target, sound.stat().st_size // 2)


def _damaged(sound: Path, target: Path) -> None:
    shutil.copy(sound, target)
    with open(target, "r+b") as file:
        file.seek(4096 * 4)
        file.write(os.urandom(4096 * 3))


def _damaged_first_page(sound: Path, target: Path) -> None:
    shutil.copy(sound, target)
    with open(target, "r+b") as file:
        file.seek(100)
        file.write(os.urandom(3000))


def _foreign(sound: Path, target: Path) -> None:
    with sqlite3.connect(target) as conn:
        conn.execute("CREATE TABLE catatan (isi TEXT)")


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_not_sqlite, "bukan berkas keputusan asn-eval (bukan basis data SQLite"),
        (_truncated, "berkas keputusan rusak"),
        (_damaged, "berkas keputusan rusak"),
        (_damaged_first_page, "berkas keputusan rusak"),
        (_foreign, "bukan berkas keputusan asn-eval (basis data SQLite lain)"),
    ],
    ids=["bukan-sqlite", "terpotong", "halaman-rusak", "halaman-pertama-rusak", "sqlite-lain"],
)
def test_a_broken_file_is_one_line_naming_it(
    sound: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make, said: str
) -> None:
    target = tmp_path / "rusak.sqlite"
    make(sound, target)
    before = target.read_bytes()
    for access in ("write", "read", "auto"):
        with pytest.raises(StoreError, match=f"^{target}: ") as caught:
            DecisionStore(target, access=access, pegawai=ROSTER)
        assert said in str(caught.value) and "lebih baru" not in str(caught.value)
        assert "\n" not in str(caught.value)
    for argv in (
        ["decisions", "verify", str(target)],
        ["decisions", "history", str(target)],
        ["decisions", "export", str(target), "--out", str(tmp_path / "x.xlsx")],
    ):
        code, out, err = run_cli(capsys, *argv)
        assert code == 2 and out == ""
        assert err.startswith(f"asn-eval: galat: {target}: ") and err.count("\n") == 1
    assert target.read_bytes() == before  # the input is never modified
    assert not (tmp_path / "x.xlsx").exists()


def test_missing_empty_and_newer_files(
    sound: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "decisions", "verify", str(tmp_path / "tidak-ada.sqlite"))
    assert code == 2 and "tidak-ada.sqlite: berkas keputusan tidak ditemukan" in err
    assert not (tmp_path / "tidak-ada.sqlite").exists()  # verify never creates one
    empty = tmp_path / "kosong.sqlite"
    empty.write_bytes(b"")
    code, _, err = run_cli(capsys, "decisions", "history", str(empty))
    assert code == 2 and "berkas kosong, bukan berkas keputusan" in err
    with sqlite3.connect(sound) as conn:
        conn.execute("INSERT INTO versi_skema VALUES (?, 'nanti')", (SCHEMA_VERSION + 1,))
    code, _, err = run_cli(capsys, "decisions", "verify", str(sound))
    assert code == 2 and f"(versi skema {SCHEMA_VERSION + 1}, dikenal {SCHEMA_VERSION})" in err


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """Make ``path`` read-only even for root (``chattr +i``), or skip."""
    if shutil.which("chattr") is None or os.geteuid() != 0:
        pytest.skip("chattr +i perlu root")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i tidak didukung di sini: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@contextlib.contextmanager
def mounted(*argv: str) -> Iterator[None]:
    """Mount (``mount ARGV…``; the last is the mount point) for the block, or skip."""
    if os.geteuid() != 0:
        pytest.skip("mount perlu root")
    made = subprocess.run(["mount", *argv], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"mount tidak diizinkan di sini: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", argv[-1]], check=True)


def test_a_read_only_file_is_read_and_refuses_writes(
    sound: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_tables(tiny_tables(), tmp_path / "data")
    sheet = tmp_path / "forum.csv"
    sheet.write_text(f"nip,periode,predikat,alasan,oleh\n{NIP_B},2025,Baik,naik,Forum\n")
    with immutable(sound):
        code, out, _ = run_cli(capsys, "decisions", "verify", str(sound))
        assert code == 0 and "rantai utuh, 300 peristiwa" in out
        code, out, _ = run_cli(capsys, "decisions", "history", str(sound), "--periode", "2025-TW1")
        assert code == 0 and "75 peristiwa ditampilkan" in out
        out_file = tmp_path / "ekspor.xlsx"
        assert run_cli(capsys, "decisions", "export", str(sound), "--out", str(out_file))[0] == 0
        with pytest.raises(WriteError, match=f"^{sound}: berkas keputusan hanya-baca"):
            DecisionStore(sound, pegawai=ROSTER)
        with DecisionStore(sound, access="auto", pegawai=ROSTER) as store:  # what reports use
            assert not store.writable and len(store.current()) == 4
            with pytest.raises(WriteError, match="hanya-baca"):
                store.record_many([decision(1, NIP_B)])
        argv = ["decisions", "import", str(data), str(sheet), "--keputusan", str(sound)]
        code, out, err = run_cli(capsys, *argv)
        assert code == 1 and out == "" and err.count("\n") == 1
        assert err.startswith(f"asn-eval: {sound}: berkas keputusan hanya-baca")
    with DecisionStore(sound, access="read") as store:
        assert store.verdict.intact and store.verdict.head.count == 300


def test_a_read_only_folder_is_read_and_refuses_writes(tmp_path: Path) -> None:
    folder = tmp_path / "bersama"
    path = folder / "keputusan.sqlite"
    with DecisionStore(path, pegawai=ROSTER) as store:
        store.record_many([decision(1)])
    assert sorted(p.name for p in folder.iterdir()) == ["keputusan.sqlite"]  # WAL files gone
    view = tmp_path / "hanya-baca"
    view.mkdir()
    with mounted("--bind", str(folder), str(view)):
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        shown = view / "keputusan.sqlite"
        with DecisionStore(shown, access="read") as store:  # immutable: no -shm can be made
            assert store.verdict.intact and len(store.history()) == 1
        with DecisionStore(shown, access="auto") as store:
            assert not store.writable
        with pytest.raises(WriteError, match="hanya-baca"):
            DecisionStore(shown, pegawai=ROSTER)
        with pytest.raises(WriteError, match="tidak bisa dibuat atau ditulis"):
            DecisionStore(view / "baru" / "keputusan.sqlite", pegawai=ROSTER)


def test_a_full_disk_records_nothing_and_keeps_the_store_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    with mounted("-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)):
        path = disk / "keputusan.sqlite"
        with DecisionStore(path, pegawai=ROSTER) as store:
            recorded = 0
            with pytest.raises(WriteError, match=f"^{path}: disk penuh, keputusan tidak dicatat"):
                for i in range(10_000):
                    store.record_many([decision(i)] * 5)
                    recorded += 5
            assert len(store.history()) == recorded  # the failed batch left nothing behind
        code, out, _ = run_cli(capsys, "decisions", "verify", str(path))
        assert code == 0 and f"rantai utuh, {recorded} peristiwa" in out
