#!/usr/bin/env python3
"""Set up and run the project's two jobs on a machine that has only python3 (3.11+).

    python3 tasks.py demo    set up once, then run the main job on the bundled sample city
                             (check it, score the year, make every agency's report)
    python3 tasks.py test    set up once, then run every test (ruff, pytest)
    python3 tasks.py test --fast
                             the developer's loop: ruff, then pytest without the tests marked
                             slow (browser, servers, report batches, notebook runs): about 1.5 min

Set-up makes ``.venv`` from ``requirements.lock`` and the package (editable); it is redone only
when ``pyproject.toml`` or ``requirements.lock`` change, so a second run takes seconds. It also puts
a pinned reveal.js (for offline slides) in ``.venv/share/asn-eval/reveal.js``, checked against its
pinned sha512. ``test`` also installs Debian's Chromium when it is missing (as root, with apt-get):
the PDF and slide tests drive it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".asn-eval-setup"
SAMPLE = ROOT / "data" / "sample"
SAMPLE_ARGS = ["--pegawai", "2500", "--seed", "2025"]

# reveal.js for offline slides: the 4.x version nbconvert's reveal template is written for
# (share/jupyter/nbconvert/templates/reveal). The integrity is the npm registry's `dist.integrity`.
REVEAL_VERSION = "4.0.2"
REVEAL_URL = f"https://registry.npmjs.org/reveal.js/-/reveal.js-{REVEAL_VERSION}.tgz"
REVEAL_INTEGRITY = (
    "sha512-LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48"
    "KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw=="
)
REVEAL_FILES = ("LICENSE", "dist/reveal.js", "dist/reveal.css", "dist/reset.css")
REVEAL_DIR = VENV / "share" / "asn-eval" / "reveal.js"
REVEAL_STAMP = REVEAL_DIR / ".asn-eval-reveal"


def say(message: str) -> None:
    print(f"[tasks] {message}", flush=True)


def run(*command: object, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(c) for c in command], cwd=ROOT, env=env or tool_env(), check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def setup_digest() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "requirements.lock"):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_environment() -> None:
    """Create or refresh .venv unless it already matches the lock file."""
    if sys.version_info < (3, 11):
        sys.exit("asn-eval butuh Python 3.11 atau lebih baru.")
    wanted = setup_digest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    say("menyiapkan lingkungan Python di .venv (sekali saja)…")
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    uv = BIN / "uv"
    if not uv.exists():
        run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "uv")
    run(uv, "pip", "sync", "--quiet", "--python", PYTHON, "requirements.lock")
    run(uv, "pip", "install", "--quiet", "--python", PYTHON, "--no-deps", "-e", ".")
    STAMP.write_text(wanted)


def ensure_reveal() -> None:
    """Put the pinned reveal.js in .venv/share/asn-eval/reveal.js unless it is already there."""
    wanted = f"{REVEAL_VERSION} {REVEAL_INTEGRITY}"
    if REVEAL_STAMP.exists() and REVEAL_STAMP.read_text() == wanted:
        return
    say(f"mengunduh reveal.js {REVEAL_VERSION} untuk salindia luring (sekali saja)…")
    try:
        with urllib.request.urlopen(REVEAL_URL, timeout=120) as response:
            tarball = response.read()
    except OSError as error:
        sys.exit(f"gagal mengunduh {REVEAL_URL}: {error}")
    algorithm, expected = REVEAL_INTEGRITY.split("-", 1)
    got = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if got != expected:
        sys.exit(f"reveal.js {REVEAL_VERSION}: integritas tidak cocok ({algorithm}-{got})")
    wanted_files = set(REVEAL_FILES)
    if REVEAL_DIR.exists():
        shutil.rmtree(REVEAL_DIR)
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            theme = name.startswith("dist/theme/") and name.count("/") == 2
            if not member.isfile() or not (
                name in wanted_files or (theme and name.endswith(".css"))
            ):
                continue
            target = REVEAL_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None
            target.write_bytes(source.read())
    missing = [name for name in REVEAL_FILES if not (REVEAL_DIR / name).is_file()]
    if missing:
        sys.exit(f"reveal.js {REVEAL_VERSION}: berkas tidak ada di paket: {', '.join(missing)}")
    REVEAL_STAMP.write_text(wanted)


def setup() -> None:
    """The Python environment, then the pinned reveal.js; each redone only when it changed."""
    ensure_environment()
    ensure_reveal()


LIBERATION = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")


def ensure_chromium() -> None:
    """Install Debian's Chromium and the fonts the slides are laid out with, when missing."""
    packages = []
    if not (os.environ.get("ASN_EVAL_CHROMIUM") or shutil.which("chromium")):
        packages.append("chromium")
    if sys.platform.startswith("linux") and not LIBERATION.exists():
        packages.append("fonts-liberation")  # slides measure text with Arial's metrics
    if not packages or os.environ.get("ASN_EVAL_SKIP_BROWSER") == "1":
        return
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None and geteuid() == 0 and shutil.which("apt-get"):
        say(f"memasang {' dan '.join(packages)} dari Debian untuk tes PDF dan salindia…")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update"], ["apt-get", "install", "-y", *packages]):
            if subprocess.run(command, env=env, check=False).returncode != 0:
                say(f"gagal: {' '.join(command)}; tes peramban akan gagal.")
                return
        return
    say(
        f"Belum terpasang: {', '.join(packages)}. Pasang dengan `sudo apt-get install "
        f"{' '.join(packages)}`, atau tunjuk program Chromium dengan ASN_EVAL_CHROMIUM; "
        "ASN_EVAL_SKIP_BROWSER=1 melewati tes peramban."
    )


def tool(name: str) -> Path:
    return BIN / name


def demo() -> None:
    """Main job: make the sample city (once), check it, score the year."""
    setup()
    asn_eval = tool("asn-eval")
    # The sample is remade only when the generator or its arguments change.
    recipe = hashlib.sha256()
    for part in sorted((ROOT / "asn_eval" / "sample").rglob("*")):
        if part.is_file() and "__pycache__" not in part.parts:
            recipe.update(part.read_bytes())
    recipe.update(" ".join(SAMPLE_ARGS).encode())
    marker = ROOT / "data" / ".sample-recipe"
    if (
        not (SAMPLE / "planted.json").exists()
        or not marker.exists()
        or (marker.read_text() != recipe.hexdigest())
    ):
        say("membuat data contoh di data/sample …")
        run(asn_eval, "sample-data", "--out", SAMPLE, *SAMPLE_ARGS)
        marker.write_text(recipe.hexdigest())
    say("memeriksa data/sample …")
    run(asn_eval, "validate", SAMPLE)
    say("memeriksa buku kerja Excel data/sample-xlsx …")
    run(asn_eval, "validate", SAMPLE.parent / "sample-xlsx")
    out = ROOT / "reports" / "2025"
    say("menilai tahun 2025 dengan skema nasional …")
    # --resume: nothing changed since the last run (data, scheme, decisions, profile, options,
    # notebooks, package version) and every output still there -> nothing is written again.
    run(asn_eval, "score", SAMPLE, "--periode", "2025", "--out", out, "--resume")
    say("membuat laporan semua OPD dan ikhtisar kota (Papermill) …")
    run(asn_eval, "reports", SAMPLE, "--periode", "2025", "--out", ROOT / "reports", "--resume")
    say("membuat lembar kinerja setiap pegawai (HTML; PDF dengan --format html,pdf) …")
    sheets = out / "lembar"
    run(
        asn_eval,
        "sheets",
        SAMPLE,
        "--periode",
        "2025",
        "--format",
        "html",
        "--out",
        sheets,
        "--resume",
    )
    say(f"selesai. Hasil per pegawai: {out / 'hasil.xlsx'}; lembar: {sheets / 'index.html'}")
    say(f"Laporan: buka {out / 'index.html'} di peramban (satu laporan per OPD + ikhtisar kota).")


def test(extra: list[str]) -> None:
    """Every test: lint, format check, the test suite with doctests.

    With ``--fast``, the tests marked ``slow`` are left out (and Chromium is not needed); other
    arguments go to pytest.
    """
    fast = "--fast" in extra
    extra = [a for a in extra if a != "--fast"]
    setup()
    if not fast:
        ensure_chromium()
    say("ruff check")
    run(tool("ruff"), "check", ".")
    say("ruff format --check")
    run(tool("ruff"), "format", "--check", ".")
    marks = ["-m", "not slow"] if fast else []
    # Test files run side by side on the machine's cores (pytest-xdist, up to 4); a file's tests
    # stay in one worker, so its module fixtures (a server, a batch) are made once.
    workers = min(os.cpu_count() or 1, 4)
    chosen = any(a.startswith(("-n", "--numprocesses", "-pno:xdist")) for a in extra)
    spread = ["-n", str(workers), "--dist", "loadfile"] if workers > 1 and not chosen else []
    say("pytest" + (' -m "not slow" (tanpa tes lambat)' if fast else "") + f" ({workers} proses)")
    run(
        PYTHON,
        "-m",
        "pytest",
        "--doctest-modules",
        "asn_eval",
        "tests",
        *marks,
        *spread,
        *extra,
        env=tool_env(),
    )


def tool_env() -> dict[str, str]:
    """The environment of what this script starts: compiled bytecode kept in ``.venv/pycache``.

    The suite starts hundreds of Python processes (the command line, report workers, kernels,
    servers), the main job a dozen. Where ``PYTHONDONTWRITEBYTECODE`` is set, each of them
    compiled pandas, Jupyter and the package again (about a second each, 18 s for a re-run of the
    main job that changes nothing); kept under ``.venv``, nothing is written next to the sources
    either way.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(VENV / "pycache"))
    return env


def main() -> None:
    jobs = {"demo": demo, "test": test, "setup": setup}
    if len(sys.argv) < 2 or sys.argv[1] not in jobs:
        sys.exit(f"pakai: python3 {Path(__file__).name} {{{'|'.join(jobs)}}} (test --fast)")
    job = sys.argv[1]
    if job == "test":
        test(sys.argv[2:])
    else:
        jobs[job]()


if __name__ == "__main__":
    main()
