"""What the benchmark scripts share: running one measured step in a fresh Python process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run_child(code: str, job: dict, cache: Path, code_from: Path | None = None) -> dict:
    """Run ``code`` in a fresh interpreter with ``job`` as JSON argument; return its JSON answer.

    A fresh process per step makes its peak memory (``ru_maxrss``) its own. The dataset cache is
    pointed at ``cache`` so the user's cache is never touched. Exits with the child's error text
    when the step fails. ``code_from`` runs the step with the package of another checkout (a
    baseline measured in the same run).
    """
    # PYTHONSAFEPATH: the working folder is not put first on sys.path, where it would hide the
    # baseline's PYTHONPATH (a run from the repository's root then measured itself twice)
    env = {**os.environ, "ASN_EVAL_CACHE": str(cache), "PYTHONSAFEPATH": "1"}
    # compiled modules kept as an installed package keeps them (where PYTHONDONTWRITEBYTECODE is
    # set, each step compiled the modules it imports lazily, inside the time it measures)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(Path(sys.prefix) / "pycache"))
    # numpy without transparent huge pages, as the command line (and what it starts) runs it:
    # see asn_eval.cli; NUMPY_MADVISE_HUGEPAGE=1 in the benchmark's environment measures with them
    env.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
    if code_from is not None:
        env["PYTHONPATH"] = str(code_from)
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(job)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"benchmark step failed: {job.get('do')}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])
