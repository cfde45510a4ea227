"""The review app is private: a token, Host and Origin checks, a kernel limit, a LAN option.

Fast: the Host names served (through tornado's own host matching) and the addresses refused
before anything starts. Slow: real servers (``python -m asn_eval app`` on the shared
400-employee city), real HTTP requests and websocket handshakes written byte for byte (so that
Host and Origin say exactly what a hostile page or a DNS-rebinding attack would send), and a real
Chromium for a closed page. The kernels are counted with psutil under the server. Each server
keeps one preheated kernel and allows one kernel: the first page takes it, the next is refused.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import psutil
import pytest
from conftest import Browser, server_preexec

from asn_eval.app.server import lan_address
from asn_eval.errors import UsageError

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux")

READY_S = 150  # server start, data load and the preheated kernel, on a busy machine
READY = re.compile(r"siap di http://(\S+?):(\d+)/\?token=([0-9a-f]+)")
KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
EVIL = "evil.example"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """``python -m asn_eval app``: started, its token read from its output, stopped at the end."""

    def __init__(self, data: Path, work: Path, *extra: str) -> None:
        work.mkdir(parents=True)
        self.port = _free_port()
        self.output = work / "app.out"
        command = [sys.executable, "-m", "asn_eval", "app", str(data), "--port", str(self.port)]
        command += ["--keputusan", str(work / "keputusan.sqlite"), *extra]
        env = {**os.environ, "ASN_EVAL_CACHE": str(work.parent / "cache")}
        with self.output.open("w") as out:
            self.process = subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
                preexec_fn=server_preexec,
            )
        self.host = self.token = ""

    def text(self) -> str:
        return self.output.read_text()

    def wait_ready(self) -> None:
        """Wait for the address; then for the preheated kernel, so that counts are stable."""
        deadline = time.monotonic() + READY_S
        while not (found := READY.search(self.text())):
            assert self.process.poll() is None, f"app berhenti\n{self.text()}"
            assert time.monotonic() < deadline, f"tidak siap dalam {READY_S} dtk\n{self.text()}"
            time.sleep(0.2)
        self.host, port, self.token = found.group(1), int(found.group(2)), found.group(3)
        assert port == self.port
        while not self.kernels():
            assert time.monotonic() < deadline, f"tidak ada kernel disiapkan\n{self.text()}"
            time.sleep(0.2)

    def kernels(self) -> list[psutil.Process]:
        """The kernels under the server now."""
        found = []
        for process in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if "ipykernel" in " ".join(process.cmdline()):
                    found.append(process)
            except psutil.Error:
                pass
        return found

    def stop(self) -> None:
        tree = psutil.Process(self.process.pid).children(recursive=True)
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        _, alive = psutil.wait_procs(tree, timeout=15)
        for process in alive:
            process.kill()
        assert not alive, [p.pid for p in alive]


@dataclass
class Answer:
    status: int
    body: str
    cookies: SimpleCookie
    headers: http.client.HTTPMessage


def request(
    served: Served,
    path: str,
    *,
    host: str | None = None,
    headers: dict[str, str] | None = None,
    method: str = "GET",
) -> Answer:
    """Send one request exactly as written, ``Host`` included; follow no redirect."""
    connection = http.client.HTTPConnection(served.host, served.port, timeout=60)
    try:
        connection.putrequest(method, path, skip_host=True)
        connection.putheader("Host", host or f"{served.host}:{served.port}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        answer = connection.getresponse()
        body = answer.read().decode("utf-8", "replace")
        cookies = SimpleCookie()
        for line in answer.headers.get_all("Set-Cookie") or []:
            cookies.load(line)
        return Answer(answer.status, body, cookies, answer.headers)
    finally:
        connection.close()


def handshake(served: Served, path: str, **headers: str) -> int:
    """The status a websocket opening handshake for ``path`` gets (101: the socket is open)."""
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    upgrade = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": key,
        "Sec-WebSocket-Version": "13",
    }
    host = headers.pop("host", None)
    named = {name.replace("_", "-").title(): value for name, value in headers.items()}
    return request(served, path, host=host, headers={**upgrade, **named}).status


@pytest.fixture(scope="module")
def served(city_400_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("aman")
    server = Served(city_400_folder, work / "lokal", "--kernel-siap", "1", "--maks-kernel", "1")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def opened(served: Served) -> dict[str, str]:
    """The page opened once with the token: its kernel id and the login cookie it set."""
    answer = request(served, f"/?token={served.token}")
    assert answer.status == 200, answer.body[-2000:]
    kernel = KERNEL_ID.search(answer.body)
    assert kernel, answer.body[:2000]
    login = [name for name in answer.cookies if name.startswith("username-")]
    assert login, answer.cookies
    cookie = "; ".join(f"{name}={answer.cookies[name].value}" for name in answer.cookies)
    return {"kernel": kernel.group(1), "cookie": cookie}


@pytest.mark.slow
def test_a_request_without_the_token_is_refused(served: Served, opened: dict[str, str]) -> None:
    kernels = {p.pid for p in served.kernels()}
    page = request(served, "/")
    assert page.status == 403
    assert "pribadi" in page.body and "?token=" in page.body  # says how to get in
    assert "login" not in page.body.lower()
    for path in ("/api/kernels", f"/api/kernels/{opened['kernel']}", "/login", "/?token=salah"):
        assert request(served, path).status == 403, path
    assert request(served, "/api/kernels", method="POST").status == 403
    channels = f"/api/kernels/{opened['kernel']}/channels"
    assert handshake(served, channels) == 403
    assert handshake(served, f"/voila/query/{opened['kernel']}") == 403  # not served at all
    assert {p.pid for p in served.kernels()} == kernels  # nothing was started


@pytest.mark.slow
def test_the_token_opens_the_page_and_the_cookie_suffices_after(
    served: Served, opened: dict[str, str]
) -> None:
    kernel = f"/api/kernels/{opened['kernel']}"
    assert request(served, kernel, headers={"Cookie": opened["cookie"]}).status == 200
    assert request(served, kernel, headers={"Authorization": f"token {served.token}"}).status == 200
    channels = f"{kernel}/channels"
    origin = f"http://{served.host}:{served.port}"
    assert handshake(served, channels, cookie=opened["cookie"], origin=origin) == 101
    assert served.token not in served.text().split("siap di", 1)[1].split("\n", 1)[1]  # in logs


@pytest.mark.slow
def test_a_foreign_host_is_refused_even_with_the_token(
    served: Served, opened: dict[str, str]
) -> None:
    """DNS rebinding: the page of evil.example, resolved to 127.0.0.1, asks with its own Host."""
    evil = f"{EVIL}:{served.port}"
    page = request(served, f"/?token={served.token}", host=evil)
    assert page.status == 403 and "tidak dilayani" in page.body
    for path in ("/voila/static/voila.js", f"/api/kernels/{opened['kernel']}"):
        assert request(served, path, host=evil, headers={"Cookie": opened["cookie"]}).status == 403
    channels = f"/api/kernels/{opened['kernel']}/channels?token={served.token}"
    assert handshake(served, channels, host=evil, origin=f"http://{evil}") == 403
    for name in (f"localhost:{served.port}", f"127.0.0.1:{served.port}", f"[::1]:{served.port}"):
        assert request(served, "/voila/static/voila.js", host=name).status == 200, name


@pytest.mark.slow
def test_a_websocket_from_a_foreign_origin_is_refused(
    served: Served, opened: dict[str, str]
) -> None:
    """A page of another site opening the kernel's socket, with the reviewer's cookie or token."""
    channels = f"/api/kernels/{opened['kernel']}/channels"
    foreign = f"http://{EVIL}"
    assert handshake(served, channels, cookie=opened["cookie"], origin=foreign) == 403
    assert handshake(served, f"{channels}?token={served.token}", origin=foreign) == 403
    other_port = f"http://{served.host}:{served.port + 1}"  # another local web page
    assert handshake(served, channels, cookie=opened["cookie"], origin=other_port) == 403
    shutdown = f"/voila/api/shutdown/{opened['kernel']}"
    headers = {"Cookie": opened["cookie"], "Origin": foreign}
    # jupyter_server answers a cross-origin POST with 404 (it does not say the page exists).
    assert request(served, shutdown, method="POST", headers=headers).status in (403, 404)
    assert opened["kernel"] in {_kernel_id(p) for p in served.kernels()}


def _kernel_id(process: psutil.Process) -> str:
    found = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(process.cmdline()))
    return found.group(1) if found else ""


@pytest.mark.slow
def test_beyond_the_kernel_limit_a_page_is_refused_and_starts_nothing(
    served: Served, opened: dict[str, str]
) -> None:
    time.sleep(1)  # the refill of the pool would start now; the limit (1) keeps it waiting
    before = {p.pid for p in served.kernels()}
    assert len(before) == 1
    page = request(served, "/", headers={"Cookie": opened["cookie"]})
    assert page.status == 503
    assert "penuh" in page.body and "--maks-kernel" in page.body
    time.sleep(2)
    assert {p.pid for p in served.kernels()} == before


@pytest.mark.slow
def test_a_closed_page_ends_its_kernel(
    city_400_folder: Path, tmp_path: Path, browser: Browser
) -> None:
    """Voilà's page asks for its kernel's end when it is closed; that request is accepted now."""
    server = Served(city_400_folder, tmp_path / "tutup", "--kernel-siap", "1")
    try:
        server.wait_ready()
        page = browser.context.new_page()
        page.goto(f"http://127.0.0.1:{server.port}/?token={server.token}", timeout=READY_S * 1000)
        page.locator("small", has_text="pegawai (").wait_for(timeout=READY_S * 1000)
        kernel = KERNEL_ID.search(page.content()).group(1)
        assert kernel in {_kernel_id(p) for p in server.kernels()}
        page.close(run_before_unload=True)  # as closing the tab does
        deadline = time.monotonic() + 15
        while kernel in {_kernel_id(p) for p in server.kernels()}:
            assert time.monotonic() < deadline, "kernel halaman yang ditutup masih hidup"
            time.sleep(0.2)
    finally:
        server.stop()
    assert browser.errors == []


@pytest.mark.slow
def test_the_lan_option_warns_and_still_needs_the_token(
    city_400_folder: Path, tmp_path: Path
) -> None:
    try:
        address = lan_address()
    except UsageError:
        pytest.skip("mesin ini tidak punya alamat LAN")
    server = Served(city_400_folder, tmp_path / "lan", "--alamat", address, "--kernel-siap", "1")
    try:
        server.wait_ready()
        assert server.host == address
        said = server.text()
        assert f"PERINGATAN: aplikasi tinjauan dibuka untuk jaringan di http://{address}:" in said
        assert "tanpa token" in said and "hanya kepada peserta forum" in said
        assert request(server, "/").status == 403
        assert request(server, "/", host=f"{EVIL}:{server.port}").status == 403
        page = request(server, f"/?token={server.token}")
        assert page.status == 200 and KERNEL_ID.search(page.body)
        script = request(server, "/voila/static/voila.js", headers={"Accept-Encoding": "gzip"})
        assert script.headers["Content-Encoding"] == "gzip"  # ~5 MB a page over the room's Wi-Fi
        with pytest.raises(OSError):  # this machine's own name is not served on that address
            socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
    finally:
        server.stop()


@pytest.mark.slow
def test_an_address_that_is_not_this_machines_is_refused(
    city_400_folder: Path, tmp_path: Path
) -> None:
    for address, said in (("0.0.0.0", "semua jaringan"), ("203.0.113.9", "bukan milik")):
        command = [sys.executable, "-m", "asn_eval", "app", str(city_400_folder)]
        command += ["--alamat", address, "--keputusan", str(tmp_path / "k.sqlite")]
        env = {**os.environ, "ASN_EVAL_CACHE": str(tmp_path / "cache")}
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 2, done
        assert said in done.stderr and "Traceback" not in done.stderr, done.stderr


@pytest.mark.slow  # builds Voilà's web application; the server tests cover routing end to end
def test_only_this_machines_names_are_routed_and_a_lan_address_beside_them() -> None:
    from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine
    from tornado.routing import HostMatches

    from asn_eval.app.launcher import _host_pattern, allowed_hosts

    def routed(ip: str, host: str) -> bool:
        matcher = HostMatches(_host_pattern(allowed_hosts(ip)))
        line = RequestStartLine("GET", "/", "HTTP/1.1")
        asked = HTTPServerRequest(start_line=line, headers=HTTPHeaders({"Host": host}))
        return matcher.match(asked) is not None

    for host in ("127.0.0.1:8866", "localhost:8866", "[::1]:8866", "LOCALHOST", "127.0.0.1"):
        assert routed("127.0.0.1", host), host
    for host in (
        f"{EVIL}:8866",
        "127.0.0.1.evil.example",
        "localhost.evil.example:8866",
        "192.168.1.20:8866",
        "127.0.0.2:8866",
        "0.0.0.0:8866",
        "[::2]:8866",
    ):
        assert not routed("127.0.0.1", host), host
    assert routed("192.168.1.20", "192.168.1.20:8866")
    assert not routed("192.168.1.20", "192.168.1.200:8866")
    assert routed("fd00::2", "[fd00::2]:8866")


def test_an_address_to_serve_is_checked_before_anything_starts(tmp_path: Path) -> None:
    from asn_eval.app.server import serve_app
    from asn_eval.scoring.scheme import load_scheme

    said: list[str] = []
    settings = {"port": _free_port(), "keputusan": tmp_path / "k.sqlite", "oleh": "uji"}
    scheme = load_scheme("permenpan-6-2022")
    for address, message in (
        ("0.0.0.0", "semua jaringan"),
        ("::", "semua jaringan"),
        ("forum.local", "bukan alamat IP"),
        ("203.0.113.9", "bukan milik mesin ini"),
    ):
        with pytest.raises(UsageError, match=message):
            serve_app(tmp_path, "", scheme, None, lan=address, say=said.append, **settings)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        settings["port"] = busy.getsockname()[1]
        with pytest.raises(UsageError, match="sudah dipakai"):
            serve_app(tmp_path, "", scheme, None, say=said.append, **settings)
    with pytest.raises(UsageError, match="paling sedikit 1"):
        serve_app(tmp_path, "", scheme, None, max_kernels=0, say=said.append, **settings)
    assert said == []  # nothing was announced, nothing started
