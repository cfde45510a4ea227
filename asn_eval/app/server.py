"""The local servers: Voilà for the review app, JupyterLab for exploring; private by default.

Each server is a child process in its own process group (a terminal's Ctrl-C reaches it once,
from here) that the kernel stops when its parent dies, however it dies (``PR_SET_PDEATHSIG`` on
Linux, checked against a parent that died before it was set): a server never outlives the
``asn-eval app`` or ``asn-eval lab`` that started it. The review app's server
(:mod:`asn_eval.app.launcher`) also watches its parent itself and stops its kernels.

Both need a token that only the terminal shows. The review app listens on 127.0.0.1, or, for a
forum room, on a LAN address (:func:`lan_address`) after a warning; see
:mod:`asn_eval.app.launcher` for its Host and Origin checks, kernel limit and cull.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from asn_eval.anonymity import new_key
from asn_eval.errors import UsageError
from asn_eval.scoring.scheme import Scheme

__all__ = [
    "CULL_IDLE_S",
    "ENVIRONMENT",
    "MAX_KERNELS",
    "NOTEBOOKS",
    "READY_KERNELS",
    "REFILL_DELAY_S",
    "lan_address",
    "serve",
    "serve_app",
    "serve_lab",
]

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
"""The project's notebooks: the review app (``aplikasi.ipynb``) and the exploration guide."""

ENVIRONMENT = {
    "data": "ASN_EVAL_APP_DATA",
    "periode": "ASN_EVAL_APP_PERIODE",
    "skema": "ASN_EVAL_APP_SKEMA",
    "opd": "ASN_EVAL_APP_OPD",
    "keputusan": "ASN_EVAL_DECISIONS",
    "oleh": "ASN_EVAL_APP_OLEH",
    "kunci": "ASN_EVAL_APP_KUNCI",
    "profil": "ASN_EVAL_APP_PROFIL",
}
"""Environment variables the app reads (set by :func:`serve_app`). ``skema`` holds the scheme's
content (JSON), so a kernel never reads a scheme file again; ``kunci`` the session's pseudonym
key, so a person keeps one pseudonym across tabs and page refreshes; ``profil`` the city profile
file given with ``--profil`` (empty: the data folder's own)."""

_PR_SET_PDEATHSIG = 1


MAX_KERNELS = 8
"""Default limit of kernels of one app server (open pages and preheated ones, ~0.4 GB each)."""

READY_KERNELS = {"lokal": 2, "lan": 5}
"""Default number of preheated kernels: a reviewer or two on this machine; a forum room on LAN,
where five reviewers opening the app together each get a kernel that has already run the app."""

REFILL_DELAY_S = 10
"""Seconds between a page taking a preheated kernel and the pool starting its replacement: the
pages opened together render first, then kernel starts (seconds of CPU each) begin."""

CULL_IDLE_S = 120
"""Seconds after which a kernel with no page connected and no activity is shut down."""


def _die_with_parent() -> Callable[[], None] | None:
    """Return a pre-exec hook asking Linux to send SIGTERM when the parent dies (else None).

    The signal only comes for a death after ``prctl``; a parent that died between the fork and
    then is seen as a new parent pid, and the child exits at once.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def hook() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return hook


def lan_address() -> str:
    """Return this machine's address on its local network (the one its default route uses).

    No packet is sent: a UDP socket is only connected, which makes the system choose the
    address.

    Returns
    -------
    str
        An IPv4 address, e.g. ``192.168.1.20``.

    Raises
    ------
    UsageError
        When the machine has no network address other than loopback.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            address = ""
    if not address or ipaddress.ip_address(address).is_loopback:
        raise UsageError(
            "tidak menemukan alamat jaringan (LAN) mesin ini; sebutkan, mis. --lan 192.168.1.20"
        )
    return address


def _check_address(address: str, port: int) -> None:
    """Refuse an address that is not an IP of this machine, or a port already in use."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        raise UsageError(f"--alamat {address}: bukan alamat IP (mis. 192.168.1.20)") from None
    if ip.is_unspecified:
        raise UsageError(
            f"--alamat {address} berarti semua jaringan mesin ini: sebutkan satu alamat LAN "
            "(mis. 192.168.1.20), atau pakai --lan"
        )
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                problem = f"port {port} di {address} sudah dipakai: pilih --port lain"
            else:
                problem = f"alamat {address} bukan milik mesin ini ({error.strerror})"
            raise UsageError(problem) from None


def _url(host: str, port: int, path: str = "") -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/{path}"


def serve(
    command: list[str],
    env: dict[str, str],
    port: int,
    what: str,
    path: str = "",
    probe: str = "",
    say: Callable[[str], None] = print,
    host: str = "127.0.0.1",
) -> int:
    """Run a local server until it stops, Ctrl-C or SIGTERM; say its address once it answers.

    Parameters
    ----------
    command : list of str
        The server's command line.
    env : dict
        Its environment.
    port : int
        Its port.
    what : str
        Its name in messages.
    path : str
        The page to open, shown in the address (with its token).
    probe : str
        The path asked to see whether it is up (for Voilà a static file, since its page would
        start a kernel).
    say : callable
        Where messages go.
    host : str
        The address it listens on: 127.0.0.1, or a LAN address.

    Returns
    -------
    int
        0 when stopped by the user, else the server's exit code.
    """

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    process = subprocess.Popen(command, env=env, process_group=0, preexec_fn=_die_with_parent())
    address = _url(host, port, path)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(_url(host, port, probe), timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        if process.poll() is None:
            say(f"{what} siap di {address}  (hentikan dengan Ctrl-C)")
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        say(f"{what} dihentikan.")
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve_app(
    data: Path,
    periode: str,
    skema: Scheme,
    kode_opd: str | None,
    *,
    port: int,
    keputusan: Path,
    oleh: str,
    say: Callable[[str], None] = print,
    lan: str | None = None,
    max_kernels: int = MAX_KERNELS,
    ready_kernels: int | None = None,
    profil: Path | None = None,
) -> int:
    """Serve the review app (``notebooks/aplikasi.ipynb``) with Voilà until stopped.

    The server (:mod:`asn_eval.app.launcher`) needs a token drawn here and shown only in the
    address printed; it answers only this machine's names, or also ``lan``.

    Parameters
    ----------
    data : Path
        The data folder (already checked).
    periode : str
        The period first shown ("" for the latest).
    skema : Scheme
        The scheme first shown; passed to the kernels as its content.
    kode_opd : str or None
        Restrict every view, list and export to this agency.
    port : int
        Port to listen on.
    keputusan : Path
        The decisions file.
    oleh : str
        Who records decisions.
    say : callable
        Where messages go.
    lan : str, optional
        Listen on this LAN address (``"auto"``: :func:`lan_address`) instead of 127.0.0.1, for a
        forum room; a warning says who can reach it. ``0.0.0.0`` is refused: the Host check
        needs the one address the reviewers type.
    max_kernels : int
        At most this many kernels (open pages plus preheated ones); a page beyond gets HTTP 503.
    ready_kernels : int, optional
        Kernels kept preheated (default :data:`READY_KERNELS`, by ``lan``); at most
        ``max_kernels``.
    profil : Path, optional
        The city profile file (``--profil``, already checked); default: the data folder's own.

    Returns
    -------
    int
        As :func:`serve`.

    Raises
    ------
    UsageError
        When ``lan`` is not an address of this machine, the port is in use, or the kernel
        numbers are not positive.
    """
    from asn_eval.app.launcher import PARENT_VARIABLE, TOKEN_VARIABLE

    if max_kernels < 1:
        raise UsageError(f"--maks-kernel harus paling sedikit 1 ({max_kernels})")
    if ready_kernels is None:
        ready_kernels = READY_KERNELS["lan" if lan else "lokal"]
    ready_kernels = min(ready_kernels, max_kernels)
    host = "127.0.0.1" if lan is None else lan_address() if lan == "auto" else lan
    _check_address(host, port)
    if ipaddress.ip_address(host).is_loopback:
        lan = None  # this machine only: nothing to warn about
    token = secrets.token_hex(24)  # only whoever reads this terminal (or is given it) gets in
    env = dict(os.environ)
    env.update(
        {
            ENVIRONMENT["data"]: str(data.resolve()),
            ENVIRONMENT["periode"]: str(periode),
            ENVIRONMENT["skema"]: json.dumps(skema.settings, ensure_ascii=False),
            ENVIRONMENT["opd"]: kode_opd or "",
            ENVIRONMENT["keputusan"]: str(keputusan),
            ENVIRONMENT["oleh"]: oleh,
            ENVIRONMENT["kunci"]: new_key(),  # one pseudonym key for the whole session
            ENVIRONMENT["profil"]: str(Path(profil).resolve()) if profil else "",
            TOKEN_VARIABLE: token,  # not on the command line, which every user can list
            PARENT_VARIABLE: str(os.getpid()),
        }
    )
    command = [
        sys.executable,
        "-m",
        "asn_eval.app.launcher",
        str(NOTEBOOKS / "aplikasi.ipynb"),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        "--preheat_kernel=True",
        f"--pool_size={ready_kernels}",
        f"--LimitedKernelManager.max_kernels={max_kernels}",
        "--VoilaConfiguration.multi_kernel_manager_class=asn_eval.app.launcher.LimitedKernelManager",
        f"--VoilaKernelManager.fill_delay={REFILL_DELAY_S}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--VoilaConfiguration.file_allowlist=^$",  # serve no file at all
        "--Voila.port_retries=0",  # a busy port is an error, not a silent move elsewhere
        # A closed page shuts its kernel down; one that vanished (crash, network) is culled.
        "--MappingKernelManager.cull_interval=30",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_S}",
        "--template=asn-eval",
        "--Voila.log_level=WARN",
    ]
    # Our template (Voilà's lab one without the CDN stylesheet) is found through JUPYTER_PATH.
    templates = Path(__file__).resolve().parents[1] / "assets" / "jupyter"
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(templates), env.get("JUPYTER_PATH")]))
    say(f"Keputusan kalibrasi disimpan di {keputusan}")
    if lan is not None:
        for line in _lan_warning(host, port, max_kernels):
            say(line)
    return serve(
        command,
        env,
        port,
        "Aplikasi tinjauan",
        path=f"?token={token}",
        probe="voila/static/voila.js",
        say=say,
        host=host,
    )


def _lan_warning(host: str, port: int, max_kernels: int) -> list[str]:
    """Return the lines said before serving on a LAN address."""
    return [
        f"PERINGATAN: aplikasi tinjauan dibuka untuk jaringan di {_url(host, port)}",
        "  Setiap perangkat di jaringan ini (Wi-Fi ruang forum, jaringan kantor) dapat menjangkau "
        "alamat itu; tanpa token permintaannya ditolak.",
        "  Bagikan alamat lengkap bertoken di bawah hanya kepada peserta forum. Siapa pun yang "
        "memegangnya melihat nama, NIP dan penilaian, dan dapat mencatat keputusan.",
        "  Lalu lintasnya tidak terenkripsi (http): pakai jaringan tertutup forum, bukan Wi-Fi "
        f"umum. Paling banyak {max_kernels} halaman sekaligus; hentikan dengan Ctrl-C seusai "
        "forum.",
    ]


def serve_lab(data: Path | None, *, port: int, say: Callable[[str], None] = print) -> int:
    """Serve JupyterLab in ``notebooks/`` with a token of its own until stopped.

    Parameters
    ----------
    data : Path, optional
        A data folder the exploration notebook opens.
    port : int
        Port on 127.0.0.1.
    say : callable
        Where messages go.

    Returns
    -------
    int
        As :func:`serve`.
    """
    env = dict(os.environ)
    if data is not None:
        env[ENVIRONMENT["data"]] = str(data.resolve())
    token = secrets.token_hex(24)  # only whoever reads this terminal can open the server
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={NOTEBOOKS}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.log_level=WARN",
    ]
    page = f"lab/tree/eksplorasi.ipynb?token={token}"
    return serve(command, env, port, "JupyterLab", page, say=say)
