#!/usr/bin/env python3
"""Set up and run the project's two jobs on a machine that has only python3 (3.11+).

    python3 tasks.py demo    set up once, then run the main job on the bundled sample city
    python3 tasks.py test    set up once, then run every test (ruff, pytest)

Set-up makes ``.venv`` from ``requirements.lock`` and the package (editable); it is redone only
when ``pyproject.toml`` or ``requirements.lock`` change, so a second run takes seconds.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".asn-eval-setup"
SAMPLE = ROOT / "data" / "sample"
SAMPLE_ARGS = ["--pegawai", "2500", "--seed", "2025"]


def say(message: str) -> None:
    print(f"[tasks] {message}", flush=True)


def run(*command: object, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(c) for c in command], cwd=ROOT, env=env, check=False)
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


def tool(name: str) -> Path:
    return BIN / name


def demo() -> None:
    """Main job: make the sample city (once), check it, score the year."""
    ensure_environment()
    asn_eval = tool("asn-eval")
    # The sample is remade only when the generator or its arguments change.
    recipe = hashlib.sha256((ROOT / "asn_eval" / "sample.py").read_bytes())
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
    run(asn_eval, "score", SAMPLE, "--periode", "2025", "--out", out)
    say(f"selesai. Buka {out / 'hasil.xlsx'} (hasil per pegawai, ringkasan OPD, kurva, IKM).")


def test(extra: list[str]) -> None:
    """Every test: lint, format check, the test suite with doctests."""
    ensure_environment()
    say("ruff check")
    run(tool("ruff"), "check", ".")
    say("ruff format --check")
    run(tool("ruff"), "format", "--check", ".")
    say("pytest")
    run(PYTHON, "-m", "pytest", "--doctest-modules", "asn_eval", "tests", *extra)


def main() -> None:
    jobs = {"demo": demo, "test": test, "setup": ensure_environment}
    if len(sys.argv) < 2 or sys.argv[1] not in jobs:
        sys.exit(f"pakai: python3 {Path(__file__).name} {{{'|'.join(jobs)}}}")
    job = sys.argv[1]
    if job == "test":
        test(sys.argv[2:])
    else:
        jobs[job]()


if __name__ == "__main__":
    main()
