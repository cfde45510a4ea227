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
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_lab_serves_the_exploration_notebook_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    process = subprocess.Popen(
        [sys.executable, "-m", "asn_eval", "lab", str(tmp_path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        line = ""
        deadline = time.monotonic() + 120
        while "siap di" not in line and time.monotonic() < deadline:
            line = process.stdout.readline()
        prefix = f"JupyterLab siap di http://127.0.0.1:{port}/lab/tree/eksplorasi.ipynb?token="
        assert prefix in line
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
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    assert code == 0
    assert "dihentikan" in process.stdout.read()
