"""The documents users read stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from asn_eval.input.contract import contract_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_data_readme_states_the_contract_the_code_checks():
    text = (ROOT / "data" / "README.md").read_text()
    section = re.search(r"<!-- contract:start[^>]*-->\n(.*)<!-- contract:end -->", text, re.S)
    assert section, "data/README.md lost its contract section"
    assert section.group(1) == contract_markdown(), (
        "data/README.md is out of date: regenerate its contract section from contract_markdown()"
    )


def test_readme_opens_with_the_two_commands_ci_uses():
    lines = [line for line in (ROOT / "README.md").read_text().splitlines() if line.strip()]
    commands = [line for line in lines[:12] if line.startswith("python3 tasks.py")]
    assert [c.split("#")[0].strip() for c in commands] == [
        "python3 tasks.py demo",
        "python3 tasks.py test",
    ]
    assert "python3 tasks.py test" in (ROOT / ".ci" / "run").read_text()
