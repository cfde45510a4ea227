"""The report batch on Dask (``reports --dask``): today's files, manifest, resume and failures.

Each report is a task on a real LocalCluster (the session's ``dask_cluster``, 2 workers, or
``--dask local:2`` through the command), each worker with one warm kernel. What differs between
two batches of the same data (found by comparing them), and is removed before comparing
(:func:`_comparable`): when the batch ran and how long it took (the index page's line
"dibuat …; waktu proses …"; the manifest's ``dibuat``, ``detik``, ``detik_sel``); in executed
notebooks, Papermill's and Jupyter's run times (``papermill`` and ``execution`` metadata), the
kernel's ``execution_count`` (it counts the cells the reused kernel ran before), the random
``id`` Papermill gives the cell of injected parameters, and in that cell the temporary folder
the scored city was read from (``batch = "…"``). The HTML reports are compared byte for byte.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import run_cli
from nbformat.v4 import new_code_cell, new_notebook

from asn_eval.batch.kernel import WarmKernel
from asn_eval.batch.manifest import BatchResult
from asn_eval.batch.runner import run_reports

KERNEL_FOLDERS = "asn-eval-kernel-*"


def _notebook(cells: list[str], path: Path) -> Path:
    """A report notebook with the batch's parameters and ``cells``."""
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = new_notebook(metadata={"kernelspec": kernel, "language_info": {"name": "python"}})
    parameters = new_code_cell(
        'kode_opd = ""\nperiode = ""\ndata = ""\nskema = ""\nanonim = False\n'
        'bahasa = "id"\nbatch = ""'
    )
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, *(new_code_cell(c) for c in cells)]
    nbformat.write(nb, path)
    return path


def _comparable(folder: Path) -> dict[str, object]:
    """Every file of a batch's folder, without what says when the batch ran and how long."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(folder))
        if path.name == "manifest.json":
            manifest = json.loads(path.read_text(encoding="utf-8"))
            del manifest["batch"]["dibuat"]
            for row in manifest["laporan"]:
                del row["detik"], row["detik_sel"]
            found[name] = manifest
        elif path.name == "manifest.csv":
            table = pd.read_csv(path, dtype="str", keep_default_na=False)
            found[name] = table.drop(columns=["detik", "detik_sel"]).to_dict("list")
        elif path.name == "index.html":
            text = path.read_text(encoding="utf-8")
            line = re.compile(r"dibuat [^;<]+; waktu proses [^;<]+")
            assert line.search(text), "the index says when the batch ran"
            found[name] = line.sub("dibuat …; waktu proses …", text)
        elif path.suffix == ".ipynb":
            nb = json.loads(path.read_text(encoding="utf-8"))
            nb["metadata"].pop("papermill", None)
            for cell in nb["cells"]:
                cell["metadata"].pop("papermill", None)
                cell["metadata"].pop("execution", None)
                cell.pop("execution_count", None)
                for output in cell.get("outputs", []):
                    output.pop("execution_count", None)
                if "injected-parameters" in cell["metadata"].get("tags", []):
                    del cell["id"]
                    source = "".join(cell["source"])
                    cell["source"] = re.sub(r'(?m)^batch = ".*"$', 'batch = "…"', source)
            found[name] = nb
        else:
            found[name] = path.read_bytes()
    return found


def _same_batches(one: BatchResult, two: BatchResult) -> None:
    assert [(r.name, r.status, r.error) for r in two.results] == [
        (r.name, r.status, r.error) for r in one.results
    ]
    first, second = _comparable(one.folder), _comparable(two.folder)
    assert sorted(second) == sorted(first)
    for name in first:
        assert second[name] == first[name], name


def _mtimes(folder: Path) -> dict[str, int]:
    """When each report was written (not the index page, written by every run)."""
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html") if p.stem != "index"}


@pytest.mark.slow
def test_the_sample_city_on_dask_equals_todays_batch(
    city_400_folder: Path, dask_cluster, tmp_path: Path
) -> None:
    chosen = ["DINKES", "DLH", "PKM-01"]
    options = {"kode_opd": chosen, "formats": ["html"], "progress": False}
    today = run_reports(city_400_folder, "2025", out=tmp_path / "hari-ini", jobs=2, **options)
    on_dask = run_reports(
        city_400_folder, "2025", out=tmp_path / "dask", dask=dask_cluster, **options
    )
    assert [r.status for r in on_dask.results] == ["berhasil"] * 4
    _same_batches(today, on_dask)
    # Nothing temporary is left beside the reports (the scored city the workers read was there).
    assert not [p for p in on_dask.folder.iterdir() if p.name.startswith(".")]
    # --resume on Dask: test_resume_on_dask_redoes_only_the_missing_report


@pytest.mark.slow
def test_three_instansi_on_dask_equal_todays_batch(
    three_instansi_folder: Path, dask_cluster, tmp_path: Path
) -> None:
    """The overview of all, one per instansi, and one agency of each, as HTML and notebooks."""
    chosen = ["KOTA-SUKAMAJU/PKM-02", "KOTA-TIRTAYASA/BKPSDM", "KOTA-BUKIT-ASRI/DINKES"]
    options = {"kode_opd": chosen, "formats": ["html", "ipynb"], "progress": False}
    today = run_reports(three_instansi_folder, "2025", out=tmp_path / "hari-ini", jobs=2, **options)
    on_dask = run_reports(
        three_instansi_folder, "2025", out=tmp_path / "dask", dask=dask_cluster, **options
    )
    assert [r.status for r in on_dask.results] == ["berhasil"] * 7  # 1 + 3 overviews, 3 agencies
    _same_batches(today, on_dask)


@pytest.mark.slow
def test_the_tiny_dataset_on_dask_equals_todays_batch(make_dataset, dask_cluster, tmp_path) -> None:
    """Hand-written data (three agencies, a handful of employees): not the generator's."""
    data = make_dataset()
    options = {"formats": ["html"], "progress": False}
    today = run_reports(data, "2025", out=tmp_path / "hari-ini", jobs=1, **options)
    on_dask = run_reports(data, "2025", out=tmp_path / "dask", dask=dask_cluster, **options)
    _same_batches(today, on_dask)


@pytest.mark.slow
def test_a_cluster_that_outlives_a_batch_runs_a_notebook_as_it_is_now(
    city_400_folder: Path, dask_cluster, tmp_path: Path
) -> None:
    """Workers (and their notebook cache) live on between batches; an edited notebook counts."""
    notebook = tmp_path / "laporan.ipynb"
    outputs = []
    for version in ("versi-satu", "versi-dua"):
        _notebook([f"print({version!r}, kode_opd)"], notebook)
        os.utime(notebook, ns=(0, len(outputs)))  # same size; only the time tells them apart
        batch = run_reports(
            city_400_folder,
            "2025",
            out=tmp_path / version,
            kode_opd=["DLH", "BKPSDM"],
            notebooks={"laporan": notebook, "ikhtisar": notebook},
            dask=dask_cluster,
            progress=False,
        )
        outputs.append((batch.folder / "DLH.html").read_text(encoding="utf-8"))
    assert "versi-satu DLH" in outputs[0]
    assert "versi-dua DLH" in outputs[1] and "versi-satu" not in outputs[1]


def _watched_run(args: list[str], temp: Path) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run a command with ``temp`` as its temporary folder; also return the kernel folders seen
    there while it ran."""
    seen: set[str] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.update(p.name for p in temp.glob(KERNEL_FOLDERS))
            stop.wait(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    env = {**os.environ, "TMPDIR": str(temp)}
    try:
        done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    finally:
        stop.set()
        watcher.join()
    return done, seen


@pytest.fixture
def short_temp() -> Path:
    """A temporary folder of its own with a short path (kernel sockets live there: ≤ 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="t", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize("dask", [["--dask", "local:2"], []], ids=["dask", "proses"])
def test_a_failing_report_is_kept_the_others_made_and_no_kernel_folder_is_left(
    city_400_folder: Path, tmp_path: Path, short_temp: Path, dask: list[str]
) -> None:
    notebook = _notebook(
        [
            "if kode_opd == 'DLH':\n    raise RuntimeError('laporan rusak ' + kode_opd)",
            "print('laporan', kode_opd)",
        ],
        tmp_path / "rusak.ipynb",
    )
    out = tmp_path / "out"
    args = [sys.executable, "-m", "asn_eval", "reports", str(city_400_folder), "--periode"]
    args += ["2025", "--opd", "BKPSDM", "DLH", "PKM-01", "--out", str(out), "--diam"]
    done, seen = _watched_run([*args, "--notebook", str(notebook), *dask], short_temp)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "GAGAL DLH: RuntimeError: laporan rusak DLH" in done.stdout
    folder = out / "2025"
    manifest = pd.read_csv(folder / "manifest.csv").set_index("nama")
    assert manifest["status"].to_dict() == {
        "ikhtisar-kota": "berhasil",
        "BKPSDM": "berhasil",
        "DLH": "gagal",
        "PKM-01": "berhasil",
    }
    assert sorted(p.name for p in folder.glob("*.html")) == [
        "BKPSDM.html",
        "PKM-01.html",
        "ikhtisar-kota.html",
        "index.html",
    ]
    kept = nbformat.read(folder / "gagal" / "DLH.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))
    # Two workers' kernels, and the one that replaced the kernel DLH failed in: all removed.
    assert len(seen) >= 3, seen
    assert not list(short_temp.glob(KERNEL_FOLDERS))


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_a_batch_stopped_mid_report_on_dask_leaves_no_kernel(
    city_400_folder: Path, tmp_path: Path, short_temp: Path, stop: str
) -> None:
    """Ctrl-C reaches the command and every worker of its LocalCluster; ``kill`` the command."""
    import psutil

    started = tmp_path / "mulai"
    notebook = _notebook(
        [
            f"import pathlib, time\nif kode_opd == 'DLH':\n"
            f"    pathlib.Path({str(started)!r}).write_text('DLH')\n    time.sleep(120)",
            "print('laporan', kode_opd)",
        ],
        tmp_path / "lambat.ipynb",
    )
    args = [sys.executable, "-m", "asn_eval", "reports", str(city_400_folder), "--periode"]
    args += ["2025", "--opd", "BKPSDM", "DLH", "--out", str(tmp_path / "out"), "--diam"]
    args += ["--notebook", str(notebook), "--dask", "local:2"]
    process = subprocess.Popen(
        args,
        env={**os.environ, "TMPDIR": str(short_temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a terminal's process group of its own, as a shell makes
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        for _ in range(1200):
            if started.exists() or process.poll() is not None:
                break
            time.sleep(0.1)
        assert started.exists(), "the DLH report started"
        if stop == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.terminate()
        said, _ = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == (130 if stop == "ctrl-c" else 143), said
    assert "Traceback" not in said
    assert "dihentikan" in said
    for _ in range(50):  # a kernel of a worker killed outright would go within a second or so
        kernels = [
            p
            for p in psutil.process_iter(["cmdline"])
            if str(short_temp) in " ".join(p.info["cmdline"] or [])
        ]
        if not kernels:
            break
        time.sleep(0.1)
    assert not kernels
    assert not list(short_temp.glob(KERNEL_FOLDERS))


@pytest.mark.slow
def test_resume_on_dask_redoes_only_the_missing_report(
    city_400_folder: Path, tmp_path: Path, capsys, dask_cluster
) -> None:
    """On an existing scheduler (the session's cluster, reached by its address)."""
    args = ["reports", city_400_folder, "--periode", "2025", "--opd", "DLH", "BKPSDM"]
    args += ["--out", tmp_path, "--format", "html", "--diam"]
    args += ["--dask", dask_cluster.scheduler.address]
    code, said, err = run_cli(capsys, *args)
    assert code == 0, said + err
    folder = tmp_path / "2025"
    code, said, err = run_cli(capsys, *args, "--resume")
    assert code == 0 and "tidak berubah" in said, said + err
    before = _mtimes(folder)
    (folder / "DLH.html").unlink()
    code, said, err = run_cli(capsys, *args, "--resume")
    assert code == 0, said + err
    assert "2 laporan dilewati karena sudah selesai sebelumnya: ikhtisar-kota, BKPSDM" in said
    after = _mtimes(folder)
    assert sorted(after) == sorted(before)
    assert after["DLH.html"] != before["DLH.html"]
    assert {n: t for n, t in after.items() if n not in ("DLH.html", "index.html")} == {
        n: t for n, t in before.items() if n not in ("DLH.html", "index.html")
    }


def test_dask_with_jobs_or_a_cluster_it_cannot_read_is_refused(tmp_path: Path, capsys) -> None:
    args = ["reports", tmp_path / "tidak-ada", "--periode", "2025", "--out", tmp_path / "out"]
    code, said, err = run_cli(capsys, *args, "--dask", "local:2", "--jobs", "2")
    assert code == 2
    assert "--jobs dan --dask tidak bisa dipakai bersama" in said + err
    code, said, err = run_cli(capsys, *args, "--dask", "lokal")
    assert code == 2 and "--dask tidak dikenal" in said + err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_kernel_that_cannot_warm_up_leaves_no_folder_and_no_process(
    tmp_path: Path, short_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up imports the reports' libraries; one that cannot be imported stops it."""
    import psutil

    broken = tmp_path / "rusak"
    broken.mkdir()
    (broken / "seaborn.py").write_text("raise ImportError('seaborn rusak')\n")
    monkeypatch.setenv("PYTHONPATH", str(broken))
    monkeypatch.setattr(tempfile, "tempdir", str(short_temp))
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(RuntimeError, match="seaborn rusak"):
        WarmKernel()
    assert not list(short_temp.iterdir())  # its socket folder and connection file are gone
    started = [p for p in psutil.Process().children(recursive=True) if p.pid not in before]
    assert started, "a kernel process was started"
    _, alive = psutil.wait_procs(started, timeout=10)  # killed: gone once reaped
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
