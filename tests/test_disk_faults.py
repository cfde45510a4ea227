"""A disk that says no: full, read-only, protected files, a folder or a file in the way.

Every command that writes answers with one Indonesian line naming the file the user asked for
(never a hidden temporary), exit 1, no traceback, and leaves nothing half-written: no partial file,
no staging folder, no folder it made for the output. The disks are real: a small tmpfs (filled to
leave exactly the room a test wants), a read-only bind mount, ``chattr +i``. Only permission
denied (EACCES), which root never meets, is an injected ``OSError``. Staging folders go away on
errors, Ctrl-C and SIGTERM, and the next run removes what a killed one left, never what a live
one is using.
"""

from __future__ import annotations

import errno
import gc
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import server_preexec

from asn_eval import atomic
from asn_eval.cli import main
from asn_eval.errors import WriteError

PAGE = 4096
FILLER = "pengisi.bin"


class SmallDisk:
    """A tmpfs mounted for one test; :meth:`leave` fills it to leave a given room."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def leave(self, free: int) -> None:
        """Fill the disk so that ``free`` bytes (rounded down to pages) remain."""
        (self.root / FILLER).unlink(missing_ok=True)
        stats = os.statvfs(self.root)
        room = stats.f_bavail * stats.f_frsize
        (self.root / FILLER).write_bytes(b"\0" * max(0, room - free))

    def leftovers(self) -> list[str]:
        """Everything on the disk but the filler, as paths relative to its root."""
        return sorted(
            str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.name != FILLER
        )


def _mount(*args: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("perlu root dan `mount` untuk memasang disk kecil sungguhan")
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount tidak diizinkan di sini: {done.stderr.strip()}")


def _umount(point: Path) -> None:
    subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    """A real 2 MiB tmpfs, unmounted afterwards."""
    point = tmp_path / "disk"
    point.mkdir()
    _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point))
    try:
        yield SmallDisk(point)
    finally:
        _umount(point)


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """Run ``asn-eval ARGS`` in this process; return the code, stdout and stderr."""
    code = main([str(a) for a in args])
    gc.collect()  # whatever a failed writer left to the garbage collector speaks now, or never
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_clear_line(err: str, expected_prefix: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(expected_prefix), err
    assert "Traceback" not in err and "Exception ignored" not in err and ".tmp" not in err
    return lines[0]


# -- a full disk, at every point of a command ---------------------------------------------------
def _pages(path: Path) -> int:
    """Bytes ``path`` takes on a tmpfs (whole pages)."""
    return -(-path.stat().st_size // PAGE) * PAGE


def test_score_on_a_full_disk_names_each_file_it_could_not_write(
    small_disk: SmallDisk, make_dataset, capsys
) -> None:
    data = make_dataset()
    out = small_disk.root / "hasil" / "2025"
    assert _run(capsys, "score", data, "--periode", "2025-TW1", "--out", out)[0] == 0
    parquet, book = _pages(out / "hasil.parquet"), _pages(out / "hasil.xlsx")
    shutil.rmtree(small_disk.root / "hasil")
    # Written in this order: room for none, for the first, for the first two.
    for free, name in ((0, "hasil.parquet"), (parquet, "hasil.xlsx"), (parquet + book, "ikm")):
        small_disk.leave(free)
        code, stdout, err = _run(capsys, "score", data, "--periode", "2025-TW1", "--out", out)
        assert code == 1, stdout + err
        line = _one_clear_line(err, f"asn-eval: gagal menulis {out}/{name}")
        assert line.endswith(
            ": disk penuh (No space left on device). Kosongkan ruang lalu jalankan lagi."
        ), line
        assert small_disk.leftovers() == [], name  # nothing half-written, no folder made


@pytest.mark.slow  # score on a full disk is the fast sibling
def test_analyze_on_a_full_disk(small_disk: SmallDisk, make_dataset, tmp_path, capsys) -> None:
    data = make_dataset()
    roomy = tmp_path / "lega"
    assert _run(capsys, "analyze", data, "--periode", "2025-TW1", "--out", roomy)[0] == 0
    needed = sum(_pages(p) for p in roomy.iterdir())
    out = small_disk.root / "analisis"
    for free in (0, needed // 2, needed - PAGE):  # the first file, one in the middle, the last
        small_disk.leave(free)
        code, stdout, err = _run(capsys, "analyze", data, "--periode", "2025-TW1", "--out", out)
        assert code == 1, stdout + err
        line = _one_clear_line(err, f"asn-eval: gagal menulis {out}/")
        assert "disk penuh (No space left on device)" in line
        assert small_disk.leftovers() == []


@pytest.mark.parametrize("name", ["masalah.xlsx", "masalah.csv"])
def test_validate_saving_its_list_on_a_full_disk(
    small_disk: SmallDisk, make_dataset, capsys, name: str
) -> None:
    small_disk.leave(0)
    target = small_disk.root / "kiriman" / name
    code, stdout, err = _run(capsys, "validate", make_dataset(), "--simpan", target)
    assert code == 1
    assert "Data sah" not in stdout and "disimpan" not in stdout
    line = _one_clear_line(err, f"asn-eval: gagal menulis {target}: disk penuh")
    assert line.endswith("Kosongkan ruang lalu jalankan lagi.")
    assert small_disk.leftovers() == []


@pytest.mark.parametrize(("fmt", "free"), [("csv", 0), ("parquet", 8 * PAGE)])
def test_sample_data_on_a_full_disk(small_disk: SmallDisk, capsys, fmt: str, free: int) -> None:
    small_disk.leave(free)
    out = small_disk.root / "contoh" / "kota"
    code, _, err = _run(
        capsys, "sample-data", "--pegawai", "100", "--format", fmt, "--tanpa-xlsx", "--out", out
    )
    assert code == 1
    line = _one_clear_line(err, f"asn-eval: gagal menulis {out}/")
    assert "disk penuh (No space left on device)" in line
    assert small_disk.leftovers() == []


def test_the_python_api_raises_an_oserror_that_names_the_file(small_disk: SmallDisk) -> None:
    small_disk.leave(0)
    target = small_disk.root / "laporan.html"
    with pytest.raises(WriteError) as raised:
        atomic.write_text(target, "<p>halo</p>" * 1000)
    error = raised.value
    assert isinstance(error, OSError) and error.errno == errno.ENOSPC
    assert error.filename == str(target)
    assert str(error).startswith(f"gagal menulis {target}: disk penuh")
    assert small_disk.leftovers() == []


# -- read-only, protected, in the way -----------------------------------------------------------
def test_a_read_only_disk(tmp_path: Path, make_dataset, capsys) -> None:
    source, point = tmp_path / "asli", tmp_path / "hanya-baca"
    source.mkdir()
    point.mkdir()
    _mount("--bind", str(source), str(point))
    try:
        _mount("-o", "remount,bind,ro", str(point))
        out = point / "hasil"
        code, _, err = _run(capsys, "score", make_dataset(), "--periode", "2025-TW1", "--out", out)
        assert code == 1
        line = _one_clear_line(err, f"asn-eval: gagal menulis {out}: disk hanya-baca")
        assert "(Read-only file system)" in line
    finally:
        _umount(point)
    assert list(source.iterdir()) == []


def test_a_protected_file_in_the_way_leaves_the_old_results_whole(
    tmp_path: Path, make_dataset, capsys
) -> None:
    data, out = make_dataset(), tmp_path / "hasil"
    assert _run(capsys, "score", data, "--periode", "2025-TW1", "--out", out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    protected = out / "hasil.xlsx"
    if shutil.which("chattr") is None or os.geteuid() != 0:
        pytest.skip("chattr +i perlu root dan e2fsprogs")
    if subprocess.run(["chattr", "+i", str(protected)], check=False).returncode != 0:
        pytest.skip("chattr +i tidak didukung di sistem berkas ini")
    try:
        code, _, err = _run(capsys, "score", data, "--periode", "2025", "--out", out)
    finally:
        subprocess.run(["chattr", "-i", str(protected)], check=True)
    assert code == 1
    line = _one_clear_line(err, f"asn-eval: gagal menulis {protected}: tidak diizinkan")
    assert "(Operation not permitted)" in line
    # hasil.parquet had been moved in before hasil.xlsx refused: it was put back.
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_folder_or_a_file_in_the_way(tmp_path: Path, make_dataset, capsys) -> None:
    data = make_dataset()
    (tmp_path / "masalah.xlsx").mkdir()
    code, _, err = _run(capsys, "validate", data, "--simpan", tmp_path / "masalah.xlsx")
    assert code == 1
    _one_clear_line(
        err, f"asn-eval: gagal menulis {tmp_path}/masalah.xlsx: sudah ada folder dengan nama itu"
    )
    (tmp_path / "catatan").write_text("bukan folder")
    out = tmp_path / "catatan" / "2025"
    code, _, err = _run(capsys, "score", data, "--periode", "2025-TW1", "--out", out)
    assert code == 1
    line = _one_clear_line(err, f"asn-eval: gagal menulis {out}: ")
    assert f"{tmp_path}/catatan adalah berkas, bukan folder" in line
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("ds")) == [
        "catatan",
        "masalah.xlsx",
    ]


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.EACCES, "tidak ada izin menulis (Permission denied). Pilih folder lain"),
        (errno.EDQUOT, "kuota disk habis (Disk quota exceeded). Kosongkan ruang"),
        (errno.EIO, "galat perangkat"),
    ],
)
def test_faults_root_never_meets_are_said_alike(tmp_path: Path, number: int, words: str) -> None:
    """Root ignores permission bits and quotas: these are injected, as the system raises them."""
    target = tmp_path / "hasil.xlsx"
    with pytest.raises(WriteError) as raised, atomic.atomic_path(target):
        raise OSError(number, os.strerror(number))
    assert str(raised.value).startswith(f"gagal menulis {target}: {words}")
    assert list(tmp_path.iterdir()) == []


# -- staging folders: always removed; a killed run's removed by the next -----------------------
_PRELUDE = "from asn_eval import atomic\nfrom asn_eval.atomic import *\nimport os, time\n"


def _left_by(code: str) -> subprocess.Popen[str]:
    """Start a Python process that runs ``code`` (which may use ``staging_folder``)."""
    return subprocess.Popen(
        [sys.executable, "-c", _PRELUDE + code], stdout=subprocess.PIPE, text=True
    )


def test_what_a_killed_run_left_is_removed_but_not_what_a_live_run_uses(
    tmp_path: Path, make_dataset, capsys
) -> None:
    out = tmp_path / "hasil"
    killed = _left_by(
        f"held = [staging_folder({str(out)!r}, prefix='.tmp-hasil-')]\n"
        "(held[0].__enter__() / 'hasil.parquet').write_text('setengah')\n"
        f"held.append(atomic_path({str(out / 'hasil.xlsx')!r}))\n"
        "held[1].__enter__().write_text('setengah')\n"
        "os.kill(os.getpid(), 9)"
    )
    killed.wait()
    left = sorted(p.name for p in out.iterdir())
    assert len(left) == 2 and left[0].startswith(".hasil.") and left[1].startswith(".tmp-hasil-")
    live = _left_by(
        f"held = staging_folder({str(out)!r}, prefix='.tmp-hasil-')\n"
        "print(held.__enter__().name, flush=True)\n"
        "time.sleep(60)"
    )
    try:
        in_use = live.stdout.readline().strip()
        code, _, _ = _run(capsys, "score", make_dataset(), "--periode", "2025-TW1", "--out", out)
        assert code == 0
        assert sorted(p.name for p in out.iterdir()) == [
            ".tanda-score.json",  # the record of the run (--resume)
            in_use,
            "hasil.parquet",
            "hasil.xlsx",
            "ikm.parquet",
        ]
    finally:
        live.kill()
        live.wait()


def test_a_folder_set_aside_by_a_killed_replacement_is_put_back(tmp_path: Path) -> None:
    """Killed between replace_folder's two renames: the old folder is put back, not removed."""
    kota = tmp_path / "kota"
    kota.mkdir()
    (kota / "pegawai.csv").write_text("nip\n")
    owner = _left_by("print(atomic._unique())")  # a process that has ended since
    mark = owner.stdout.readline().strip()
    owner.wait()
    stale = tmp_path / f".kota.lama-{mark}"
    kota.rename(stale)
    assert atomic.remove_stale(tmp_path) == [stale]
    assert (kota / "pegawai.csv").read_text() == "nip\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kota"]


def test_a_staging_folder_goes_away_on_an_error(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), atomic.staging_folder(tmp_path / "out") as staging:
        (staging / "a.csv").write_text("x\n")
        1 / 0  # noqa: B018
    assert not (tmp_path / "out").exists()  # nor the folder made for it


def _stop_while_staging(tmp_path: Path, signum: int) -> subprocess.CompletedProcess[str]:
    """Start ``asn-eval sample-data``, send ``signum`` once it writes into its staging folder."""
    parent = tmp_path / "contoh"
    command = ["sample-data", "--pegawai", "100000", "--tanpa-xlsx", "--out", str(parent / "kota")]
    process = subprocess.Popen(
        [sys.executable, "-m", "asn_eval", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=server_preexec,  # Ctrl-C works even when the test run is in the background
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if parent.is_dir() and any(p.name.startswith(".kota.tmp-") for p in parent.iterdir()):
            break
        time.sleep(0.05)
    time.sleep(0.3)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.slow  # a subprocess killed mid-write; the exception case is the fast sibling
def test_sigterm_removes_the_staging_folder(tmp_path: Path) -> None:
    done = _stop_while_staging(tmp_path, signal.SIGTERM)
    assert done.returncode == 143, done.stderr
    assert done.stderr.strip() == "asn-eval: dihentikan."
    assert not (tmp_path / "contoh").exists()


@pytest.mark.slow
def test_ctrl_c_removes_the_staging_folder(tmp_path: Path) -> None:
    done = _stop_while_staging(tmp_path, signal.SIGINT)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "asn-eval: dihentikan."
    assert not (tmp_path / "contoh").exists()


# -- the report batch: killed, stopped, out of room; --resume goes on ---------------------------
BATCH_OPD = ["DINKES", "DLH", "KESBANGPOL", "PKM-01", "BKPSDM"]


@pytest.fixture(scope="module")
def short_notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report notebook that takes a second and prints one line."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = new_notebook(metadata={"kernelspec": kernel, "language_info": {"name": "python"}})
    parameters = new_code_cell(
        'kode_opd = ""\nperiode = ""\ndata = ""\nskema = ""\nanonim = False\n'
        'bahasa = "id"\nbatch = ""'
    )
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, new_code_cell("import time\ntime.sleep(1)\nprint('laporan', kode_opd)")]
    path = tmp_path_factory.mktemp("notebook") / "singkat.ipynb"
    nbformat.write(nb, path)
    return path


def _reports(city: Path, out: Path, notebook: Path, *more: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "asn_eval",
        "reports",
        str(city),
        "--periode",
        "2025",
        "--opd",
        *BATCH_OPD,
        "--jobs",
        "1",
        "--diam",
        "--out",
        str(out),
        "--notebook",
        str(notebook),
        *more,
    ]


def _reports_made(folder: Path) -> dict[str, int]:
    """The agency reports in ``folder`` and their modification times."""
    return {
        p.name: p.stat().st_mtime_ns
        for p in folder.glob("*.html")
        if p.stem not in ("index", "ikhtisar-kota")
    }


def _recorded(folder: Path) -> set[str]:
    """The agency reports the manifest lists as finished.

    A report killed between the move of its files and the manifest's rewrite is not finished:
    ``--resume`` makes it again.
    """
    try:
        manifest = pd.read_csv(folder / "manifest.csv")
    except (FileNotFoundError, pd.errors.EmptyDataError):
        return set()
    finished = manifest.loc[manifest["status"] == "berhasil", "nama"]
    return {f"{n}.html" for n in finished if n != "ikhtisar-kota"}


def _interrupt(command: list[str], folder: Path, after: int, signum: int) -> dict[str, int]:
    """Run a batch, send ``signum`` once ``after`` more agency reports are recorded.

    Every process the batch started (workers, kernels) must be gone soon after. Returns the
    agency reports there and their modification times.
    """
    import psutil

    before = len(_recorded(folder))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if len(_recorded(folder)) >= before + after:
            break
        time.sleep(0.1)
    assert process.poll() is None, process.communicate()
    started = psutil.Process(process.pid).children(recursive=True)
    assert started, "the batch had no workers yet"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    if signum == signal.SIGTERM:
        assert process.returncode == 143, stderr
        assert stderr.strip().endswith("asn-eval: dihentikan."), stderr
        assert not [p for p in folder.iterdir() if p.name.startswith(".sementara-")]
    else:
        assert process.returncode == -signal.SIGKILL
    _, alive = psutil.wait_procs(started, timeout=30)
    assert not alive, [p.cmdline() for p in alive]
    return _reports_made(folder)


@pytest.mark.slow
def test_a_stopped_or_killed_batch_resumes_with_only_what_is_missing(
    city_400_folder: Path, short_notebook: Path, tmp_path: Path
) -> None:
    out = tmp_path / "laporan"
    folder = out / "2025"
    command = _reports(city_400_folder, out, short_notebook)
    # SIGTERM (kill, a closing terminal): stopped at once, workers and kernels with it.
    first = _interrupt(command, folder, 1, signal.SIGTERM)
    recorded_first = _recorded(folder)
    assert recorded_first <= set(first)
    # SIGKILL, nothing can clean up: the manifest already lists every finished report.
    second = _interrupt([*command, "--resume"], folder, 1, signal.SIGKILL)
    assert all(second[n] == first[n] for n in recorded_first)  # not redone
    recorded = _recorded(folder)
    assert recorded_first < recorded <= set(second)
    assert [p.name for p in folder.iterdir() if p.name.startswith(".sementara-")]  # left

    done = subprocess.run([*command, "--resume"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    made = _reports_made(folder)
    assert set(made) == {f"{code}.html" for code in BATCH_OPD}
    assert all(made[n] == second[n] for n in recorded)  # finished reports were not redone
    skipped = len(recorded) + 1  # and the overview, made first
    assert f"{skipped} laporan dilewati karena sudah selesai sebelumnya" in done.stdout
    manifest = pd.read_csv(folder / "manifest.csv")
    assert sorted(manifest["nama"]) == sorted(["ikhtisar-kota", *BATCH_OPD])
    assert set(manifest["status"]) == {"berhasil"}
    # The killed run's staging folder was removed by the next run.
    hidden = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    assert hidden == [".tanda-reports.json"]  # only the record of the run (--resume)


@pytest.mark.slow
def test_a_batch_on_a_full_disk_stops_with_one_line_and_resumes(
    city_400_folder: Path, short_notebook: Path, tmp_path: Path
) -> None:
    point = tmp_path / "disk"
    point.mkdir()
    _mount("-t", "tmpfs", "-o", "size=6m", "tmpfs", str(point))
    try:
        disk = SmallDisk(point)
        out = point / "laporan"
        folder = out / "2025"
        command = _reports(city_400_folder, out, short_notebook)
        # Room for the overview (about 450 kB) and one or two short reports (about 270 kB).
        disk.leave(1024 * 1024)
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        assert done.returncode == 1, done.stdout + done.stderr
        line = _one_clear_line(done.stderr, f"asn-eval: gagal menulis {folder}/")
        assert "disk penuh (No space left on device). Kosongkan ruang lalu jalankan lagi." in line
        assert line.endswith("Laporan yang sudah selesai tercatat: --resume melanjutkan dari sana.")
        first = _reports_made(folder)
        assert 0 < len(first) < len(BATCH_OPD)
        assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]
        manifest = pd.read_csv(folder / "manifest.csv")
        recorded = {f"{n}.html" for n in manifest["nama"] if n != "ikhtisar-kota"}
        assert recorded and recorded <= set(first)  # what the manifest lists is there

        disk.leave(5 * 1024 * 1024)  # room made
        done = subprocess.run([*command, "--resume"], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        made = _reports_made(folder)
        assert set(made) == {f"{code}.html" for code in BATCH_OPD}
        assert all(made[n] == first[n] for n in recorded)  # not redone
    finally:
        _umount(point)
