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


def _read_as(kind: str, written: str) -> object:
    """Read one example of data/README.md's table of forms the way the loader reads it."""
    import pandas as pd

    from asn_eval.input import vocab
    from asn_eval.input.calendar import parse_dates
    from asn_eval.input.cells import read_durations, read_numbers
    from asn_eval.input.nip import read_nips
    from asn_eval.input.periode import parse_month, parse_periode, parse_periode_parts

    if kind == "nip":
        return read_nips(pd.Index([written], dtype=object), False)[0][0]
    if kind.startswith("angka"):
        beside = {"kolom berkoma desimal": ["85,6"], "kolom bertitik desimal": ["85.6"]}
        column = pd.Index([written, *beside.get(kind.split(", ")[1], [])], dtype=object)
        value = read_numbers(column, None)[0].iloc[0]
        return None if pd.isna(value) else float(value)
    if kind == "tanggal":
        value = parse_dates([written])[0].iloc[0]
        return None if pd.isna(value) else value.date().isoformat()
    if kind == "durasi":
        value = read_durations(pd.Index([written], dtype=object), None)[0].iloc[0]
        return None if pd.isna(value) else float(value)
    if kind == "periode":
        return parse_periode(written)
    if kind == "periode dan tahun":
        text, tahun = (part.strip(" `") for part in written.split("+"))
        return parse_periode_parts(text, tahun)
    if kind == "bulan (kehadiran)":
        month = parse_month(written)
        return month and f"{month[0]}-TW{(month[1] - 1) // 3 + 1}"
    if kind == "jawaban IKM":
        return vocab.ikm_answers([written], 1)[0]
    vocabularies = {
        "golongan": vocab.GOLONGAN,
        "tingkat": vocab.LEVEL,
        "predikat": vocab.PREDIKAT,
        "jenis kelamin": vocab.JENIS_KELAMIN,
        "peran penilai": vocab.PERAN_PENILAI,
    }
    return vocabularies[kind].canonical(written)


def test_every_form_data_readme_promises_is_read_as_it_says():
    text = (ROOT / "data" / "README.md").read_text()
    section = re.search(r"<!-- forms:start -->\n(.*)<!-- forms:end -->", text, re.S)
    assert section, "data/README.md lost its table of accepted forms"
    rows = [line.split(" | ") for line in section.group(1).splitlines()[2:]]
    assert len(rows) > 50
    wrong = []
    for kind, written, expected in rows:
        kind, written, expected = kind.strip("| "), written.strip(" `"), expected.strip(" |")
        got = _read_as(kind, written)
        want = None if expected == "ditolak" else expected
        if isinstance(got, float):
            want = float(want) if want is not None else None
        elif isinstance(got, int):
            want = int(want)
        if got != want:
            wrong.append(f"{kind}: {written!r} read as {got!r}, README says {expected!r}")
    assert not wrong, "\n".join(wrong)
