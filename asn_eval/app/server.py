"""The local servers: Voilà for the review app, JupyterLab for exploring; on 127.0.0.1 only.

Each server is a child process in its own process group (a terminal's Ctrl-C reaches it once,
from here) that the kernel stops when its parent dies, however it dies (``PR_SET_PDEATHSIG`` on
Linux): a server never outlives the ``asn-eval app`` or ``asn-eval lab`` that started it.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from asn_eval.anonymity import new_key
from asn_eval.scoring.scheme import Scheme

__all__ = ["ENVIRONMENT", "NOTEBOOKS", "serve", "serve_app", "serve_lab"]

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
}
"""Environment variables the app reads (set by :func:`serve_app`). ``skema`` holds the scheme's
content (JSON), so a kernel never reads a scheme file again; ``kunci`` the session's pseudonym
key, so a person keeps one pseudonym across tabs and page refreshes."""

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> Callable[[], None] | None:
    """Return a pre-exec hook asking Linux to send SIGTERM when the parent dies (else None)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    def hook() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    return hook


def serve(
    command: list[str],
    env: dict[str, str],
    port: int,
    what: str,
    path: str = "",
    probe: str = "",
    say: Callable[[str], None] = print,
) -> int:
    """Run a local server until it stops, Ctrl-C or SIGTERM; say its address once it answers.

    Parameters
    ----------
    command : list of str
        The server's command line.
    env : dict
        Its environment.
    port : int
        Its port on 127.0.0.1.
    what : str
        Its name in messages.
    path : str
        The page to open, shown in the address.
    probe : str
        The path asked to see whether it is up (for Voilà a static file, since its page would
        start a kernel).
    say : callable
        Where messages go.

    Returns
    -------
    int
        0 when stopped by the user, else the server's exit code.
    """

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    process = subprocess.Popen(command, env=env, process_group=0, preexec_fn=_die_with_parent())
    address = f"http://127.0.0.1:{port}/{path}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{probe}", timeout=2):
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
) -> int:
    """Serve the review app (``notebooks/aplikasi.ipynb``) with Voilà until stopped.

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
        Port on 127.0.0.1.
    keputusan : Path
        The decisions file.
    oleh : str
        Who records decisions.
    say : callable
        Where messages go.

    Returns
    -------
    int
        As :func:`serve`.
    """
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
        }
    )
    command = [
        sys.executable,
        "-m",
        "voila",
        str(NOTEBOOKS / "aplikasi.ipynb"),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--preheat_kernel=True",
        "--pool_size=1",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--VoilaConfiguration.file_allowlist=^$",  # serve no file at all
        "--Voila.port_retries=0",  # a busy port is an error, not a silent move elsewhere
        # Voilà cannot shut down a closed page's kernel (its request lacks _xsrf): cull idle ones.
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_idle_timeout=600",
        "--template=asn-eval",
        "--Voila.log_level=WARN",
    ]
    # Our template (Voilà's lab one without the CDN stylesheet) is found through JUPYTER_PATH.
    templates = Path(__file__).resolve().parents[1] / "assets" / "jupyter"
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(templates), env.get("JUPYTER_PATH")]))
    say(f"Keputusan kalibrasi disimpan di {keputusan}")
    return serve(command, env, port, "Aplikasi tinjauan", probe="voila/static/voila.js", say=say)


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
