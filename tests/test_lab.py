"""`asn-eval lab`: JupyterLab on 127.0.0.1 in notebooks/, as root too, stopped by Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from conftest import server_preexec

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, Path, int]]:
    """``asn-eval lab`` started, its output in a file; stopped however the test ends."""
    port = _free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    output = tmp_path / "lab.out"
    with output.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "asn_eval", "lab", str(tmp_path), "--port", str(port)],
            stdout=out,
            stderr=subprocess.DEVNULL,
            env=env,
            preexec_fn=server_preexec,  # Ctrl-C works; it dies with the test run
        )
    try:
        yield process, output, port
    finally:
        # The test stops it with Ctrl-C; if it failed before, or that did not work, end it here:
        # the JupyterLab and its kernels (found before the kill) too.
        if process.poll() is None:
            try:
                tree = psutil.Process(process.pid).children(recursive=True)
            except psutil.Error:
                tree = []
            process.kill()
            process.wait()
            _, alive = psutil.wait_procs(tree, timeout=15)
            for child in alive:
                child.kill()


def test_lab_serves_the_exploration_notebook_and_stops_on_ctrl_c(lab) -> None:
    process, output, port = lab
    line = ""
    deadline = time.monotonic() + 120
    while "siap di" not in line and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        line = next((x for x in output.read_text().splitlines() if "siap di" in x), "")
    prefix = f"JupyterLab siap di http://127.0.0.1:{port}/lab/tree/eksplorasi.ipynb?token="
    assert prefix in line, output.read_text()
    token = line.split("token=")[1].split()[0]
    api = f"http://127.0.0.1:{port}/api/contents"
    with urllib.request.urlopen(f"{api}?token={token}", timeout=10) as response:
        listing = response.read().decode()
    assert "eksplorasi.ipynb" in listing  # the notebooks/ folder, with the guide in it
    try:
        urllib.request.urlopen(api, timeout=10)  # without the token: refused
        refused = False
    except urllib.error.HTTPError as error:
        refused = error.code == 403
    assert refused

    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=30)
    assert code == 0
    assert "dihentikan" in output.read_text()
