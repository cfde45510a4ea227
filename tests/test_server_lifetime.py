"""A server never outlives the `asn-eval app` that started it, even one killed without warning.

`asn-eval app` starts its Voilà (asn_eval.app.launcher) as a child that Linux stops when its
parent dies (PR_SET_PDEATHSIG), and the server watches its parent itself as well. Here the app is
killed with SIGKILL, which it cannot catch or clean up after, while a page holds a kernel: its
Voilà and every kernel under it must end within a few seconds, and the port must be free again.
The server's own watch is tested apart, under a parent that asks Linux for nothing.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from conftest import listening_ports, server_preexec

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's"),
]

READY_S = 150  # server start, data load and the preheated kernel, on a busy machine
GONE_S = 10  # from the kill until no process of the server is left


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listens(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def _ours_listening(port: int, seconds: float = 5.0) -> list[str]:
    """Return our processes (the app, Voilà, kernels) still listening on ``port`` after a wait.

    A port that still answers may belong to another program that took the freed number (the
    suite runs many servers); only a process of ours holding it means the server outlived its
    parent.
    """
    deadline = time.monotonic() + seconds
    while _listens(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    if not _listens(port):
        return []
    holders = {
        c.pid
        for c in psutil.net_connections(kind="tcp")
        if c.laddr and c.laddr.port == port and c.status == psutil.CONN_LISTEN and c.pid
    }
    found = _describe([psutil.Process(pid) for pid in holders if psutil.pid_exists(pid)])
    return [f for f in found if any(m in f for m in ("asn_eval", "voila", "ipykernel"))]


def _describe(processes: list[psutil.Process]) -> list[str]:
    found = []
    for process in processes:
        try:
            found.append(f"{process.pid} {' '.join(process.cmdline()[:4])}")
        except psutil.Error:
            found.append(f"{process.pid} (berakhir)")
    return found


def _ended(process: psutil.Process) -> bool:
    """Gone, or a zombie: ended, only waiting for whoever adopted it to read its exit status."""
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _wait_ended(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until every process has ended; return those still running after ``timeout``."""
    deadline = time.monotonic() + timeout
    while (alive := [p for p in processes if not _ended(p)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


class Started:
    """``python -m asn_eval app``: its process, port, output, and every process seen under it."""

    def __init__(self, data: Path, work: Path) -> None:
        self.port = _free_port()
        self.output = work / "app.out"
        command = [sys.executable, "-m", "asn_eval", "app", str(data), "--port", str(self.port)]
        command += ["--keputusan", str(work / "keputusan.sqlite")]
        with self.output.open("w") as out:
            self.process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C meant for pytest does not reach it
                preexec_fn=server_preexec,  # and it dies with the test run
            )
        self.seen: list[psutil.Process] = []

    def text(self) -> str:
        return self.output.read_text()

    def tree(self) -> list[psutil.Process]:
        """The app's processes now (Voilà, its kernels), remembered for the clean-up."""
        try:
            found = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.Error:
            found = []
        self.seen += found
        return found

    def end(self) -> None:
        """Kill whatever is left: the app, and every process ever seen under it."""
        self.tree()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        for process in self.seen:
            if not _ended(process):
                try:
                    process.kill()
                except psutil.Error:
                    pass


@pytest.fixture
def app(city_400_folder: Path, tmp_path: Path) -> Iterator[Started]:
    """The app started on the shared city; whatever is left of it is killed after the test."""
    started = Started(city_400_folder, tmp_path)
    try:
        yield started
    finally:
        started.end()


def test_the_server_dies_with_a_killed_app(app: Started) -> None:
    ready = re.compile(rf"siap di (http://127\.0\.0\.1:{app.port}/\?token=[0-9a-f]+)")
    deadline = time.monotonic() + READY_S
    while not (found := ready.search(app.text())):
        assert app.process.poll() is None, f"app berhenti ({app.process.returncode})\n{app.text()}"
        assert time.monotonic() < deadline, f"tidak siap dalam {READY_S} dtk\n{app.text()}"
        time.sleep(0.2)
    with urllib.request.urlopen(found.group(1), timeout=READY_S) as page:  # a page's kernel
        assert page.status == 200

    # Found before the kill: afterwards they are orphans, no longer the app's children.
    tree = app.tree()
    names = _describe(tree)
    assert any("asn_eval.app.launcher" in name for name in names), names
    listening = listening_ports(app.process.pid)
    assert app.port in listening, (app.port, listening, names)
    assert _listens(app.port)

    assert sum("ipykernel" in name for name in names) >= 1, names
    app.process.kill()  # SIGKILL: the app cannot stop its server itself
    assert app.process.wait(timeout=10) == -signal.SIGKILL

    alive = _wait_ended(tree, GONE_S)
    assert not alive, f"masih hidup {GONE_S} dtk setelah SIGKILL: {_describe(alive)}"
    assert not _ours_listening(app.port)


def test_the_server_stops_itself_when_its_parent_is_gone(tmp_path: Path) -> None:
    """No parent-death signal here: the launcher's own watch of its parent must stop it."""
    from asn_eval.app.launcher import GRACE_S, TOKEN_VARIABLE

    notebook = tmp_path / "halo.ipynb"
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": "print('halo')"}
    cell["execution_count"] = None
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    content = {"cells": [cell], "metadata": {"kernelspec": kernel}}
    notebook.write_text(json.dumps({**content, "nbformat": 4, "nbformat_minor": 5}))
    port = _free_port()
    server = [sys.executable, "-m", "asn_eval.app.launcher", str(notebook), "--no-browser"]
    server += [f"--port={port}", "--Voila.ip=127.0.0.1", "--preheat_kernel=True", "--pool_size=1"]
    # A parent that only starts the server and waits: no PR_SET_PDEATHSIG, no clean-up.
    parent = subprocess.Popen(
        [sys.executable, "-c", f"import subprocess; subprocess.Popen({server!r}).wait()"],
        env={**os.environ, TOKEN_VARIABLE: "uji"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=server_preexec,
    )
    seen: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + READY_S
        while not any("ipykernel" in name for name in _describe(seen)):
            assert parent.poll() is None and time.monotonic() < deadline, _describe(seen)
            time.sleep(0.3)
            seen = psutil.Process(parent.pid).children(recursive=True)
        assert _listens(port)
        parent.kill()
        parent.wait(timeout=10)
        alive = _wait_ended(seen, GRACE_S + 4)
        assert not alive, f"masih hidup setelah induknya mati: {_describe(alive)}"
        assert not _ours_listening(port)
    finally:
        if parent.poll() is None:
            parent.kill()
        for process in seen:
            if not _ended(process):
                process.kill()
