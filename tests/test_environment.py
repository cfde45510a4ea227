"""environment.yml (for conda users) lists the same packages and bounds as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _requirements(specs: list[str]) -> dict[str, str]:
    out = {}
    for spec in specs:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", spec.strip())
        assert match, spec
        out[match.group(1).lower().replace("_", "-")] = match.group(2).replace(" ", "")
    return out


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _requirements(project["dependencies"] + project["optional-dependencies"]["dev"])
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    listed = _requirements([d for d in conda if isinstance(d, str) and d not in ("pip",)])
    python = listed.pop("python")
    assert python == ">=" + project["requires-python"].removeprefix(">=")
    assert listed == wanted


def test_lock_file_pins_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = _requirements(project["dependencies"] + project["optional-dependencies"]["dev"])
    pinned = {
        line.split("==")[0].lower()
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    assert set(wanted) <= pinned, set(wanted) - pinned


def test_lock_file_leaves_out_the_iri_grammar():
    """rfc3987-syntax (and lark, its only user) cost 1.2 s per process: see pyproject.toml."""
    pinned = {
        line.split("==")[0].lower()
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    assert not {"rfc3987-syntax", "lark"} & pinned
