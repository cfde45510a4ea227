"""The house rules of the package: data flows one way, rules live in one place, work is done once.

The file tree is the architecture: ``input`` → ``scoring`` → ``analysis`` → ``reporting`` →
``batch`` and ``app``, with ``decisions`` after scoring and ``sample`` beside the flow. These
tests read the code (imports, sizes, literals) and check that a city's results, read by a report,
are the same as computing them for the agency alone.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from asn_eval.analysis.development import training_needs
from asn_eval.anonymity import Pseudonyms
from asn_eval.input.dataset import Dataset
from asn_eval.reporting.agency import AgencyReport
from asn_eval.reporting.results import CityResults
from asn_eval.sample.generator import generate
from asn_eval.scoring.evidence import gather_evidence

PACKAGE = Path(__file__).resolve().parents[1] / "asn_eval"
SHARED = {
    "errors",
    "atomic",
    "filenames",
    "formatting",
    "anonymity",
    "city_profile",
    "cluster",
    "columns",
    "spreadsheet",
    "streams",
    "version",
}
# What each part may import from the package (besides the shared modules and itself).
ALLOWED = {
    "input": set(),
    "scoring": {"input"},
    "decisions": {"input", "scoring"},
    "analysis": {"input", "scoring"},
    "reporting": {"input", "scoring", "analysis", "decisions"},
    "batch": {"input", "scoring", "analysis", "decisions", "reporting"},
    "app": {"input", "scoring", "analysis", "decisions", "reporting"},
    "sample": {"input", "scoring"},
    "cli": {"input", "scoring", "analysis", "decisions", "reporting", "batch", "app", "sample"},
}
ALLOWED["__init__"] = ALLOWED["__main__"] = ALLOWED["cli"] | {"cli"}  # the package's front door
MAX_LINES = 800


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "asn_eval" and len(parts) > 1:
                found.add(parts[1])
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_data_flows_one_way(path: Path) -> None:
    part = _part(path)
    if part in SHARED:
        allowed = {"input"} if part == "errors" else set()  # errors names Problem for typing
        allowed |= SHARED
    else:
        allowed = ALLOWED[part] | SHARED | {part}
    upward = _imported(path) - allowed
    assert not upward, f"{path.relative_to(PACKAGE)} imports {sorted(upward)} (not below it)"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_a_warehouse(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)}: {lines} lines"
    assert path.stem not in {"utils", "helpers", "util", "helper", "misc", "common"}


def test_rules_are_read_from_the_scheme_without_fallbacks() -> None:
    fallback = re.compile(r"""\.get\(\s*["'](batas_|capaian_maks|mayoritas|skala|potong_)""")
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in MODULES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if fallback.search(line)
    ]
    assert not found, found


def test_a_period_is_read_only_in_its_own_module() -> None:
    rereads = re.compile(r"""parse_periode\(\w+\)\s*or|["']-TW["']\s+(not\s+)?in\b""")
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in MODULES
        if path.name != "periode.py" and "sample" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if rereads.search(line)
    ]
    assert not found, found


def test_files_are_replaced_only_through_the_atomic_module() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in MODULES
        if path.name != "atomic.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"os\.replace\(|\.replace\((staging|temporary|partial)", line)
    ]
    # The batch moves each report's finished files from its staging folder, one rename each.
    assert all("batch/runner.py" in f for f in found), found


def test_exceptions_live_in_one_module() -> None:
    defined = [
        f"{path.relative_to(PACKAGE)}:{node.name}"
        for path in MODULES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and any(getattr(b, "id", "").endswith(("Error", "Exception")) for b in node.bases)
        and path.name != "errors.py"
    ]
    assert not defined, defined


# -- computed once, read by every report ----------------------------------------------------------
@pytest.fixture(scope="module")
def city() -> CityResults:
    return CityResults.compute(Dataset.from_frames(generate(400, seed=13).tables), "2025")


def test_a_report_reads_the_city_and_finds_what_the_agency_alone_gives(city) -> None:
    for code in ("DINKES", "DLH", "DISDIK"):
        report = AgencyReport(city, code)
        alone = gather_evidence(report.dataset, city.periode, city.skema)
        expected = training_needs(alone, report.hasil, city.skema)
        pd.testing.assert_frame_equal(
            report._analysis("pelatihan"), expected.reset_index(drop=True), check_dtype=False
        )
        rows = alone.indicator_table(report.dataset).drop(columns="kode_opd")
        pd.testing.assert_frame_equal(
            report._indicator_rows().reset_index(drop=True), rows, check_dtype=False
        )


def test_one_pseudonym_per_person_in_every_report_of_a_city(city) -> None:
    first = AgencyReport(city, "DINKES", anonim=True)
    again = AgencyReport(city, "DINKES", anonim=True)
    nip = str(first.hasil["nip"].iloc[0])
    assert first._pseudonyms.name(nip) == again._pseudonyms.name(nip)
    assert first._pseudonyms.name(nip) == city.pseudonyms().name(nip)
    assert Pseudonyms(city.key).name(nip) == first._pseudonyms.name(nip)


# -- keyed by the scheme's content ----------------------------------------------------------------
def test_decisions_are_keyed_by_the_schemes_content(tmp_path) -> None:
    from asn_eval.decisions import DecisionStore
    from asn_eval.scoring.scheme import load_scheme

    shipped = load_scheme("permenpan-6-2022")
    edited_file = tmp_path / "nasional-diubah.toml"
    edited_file.write_text(
        'dasar = "permenpan-6-2022"\nnama = "permenpan-6-2022"\n[perilaku]\nbatas_di_atas = 4.8\n',
        encoding="utf-8",
    )
    edited = load_scheme(edited_file)
    assert edited.nama == shipped.nama and edited.key != shipped.key
    assert load_scheme(edited_file).key == edited.key  # the same content, the same key
    nip = "199003152015031003"
    hasil = pd.DataFrame(
        {
            "nip": [nip],
            "periode": ["2025"],
            "skema": ["permenpan-6-2022"],
            "predikat": pd.Categorical(["Baik"], categories=shipped.labels),
        }
    )
    with DecisionStore(tmp_path / "keputusan.sqlite", pegawai={nip: "PKM1"}) as store:
        store.record(
            nip=nip,
            periode="2025",
            skema=edited,
            kode_opd="PKM1",
            sebelum="Baik",
            sesudah="Sangat Baik",
            alasan="dibahas di forum dengan skema daerah",
            oleh="Forum",
        )
        assert store.history()["skema"].tolist() == [edited.key]
        assert store.apply(hasil, skema=edited)["dikalibrasi"].tolist() == [True]
        assert store.apply(hasil, skema=shipped)["dikalibrasi"].tolist() == [False]


def test_written_files_get_the_users_usual_permissions(tmp_path) -> None:
    import os

    from asn_eval.atomic import replace_folder, staging_folder, write_text

    previous = os.umask(0o022)
    try:
        written = write_text(tmp_path / "index.html", "<p>halo</p>")
        with staging_folder(tmp_path, prefix=".baru-") as staging:
            (staging / "a.csv").write_text("x\n", encoding="utf-8")
            replace_folder(staging, tmp_path / "kota")
    finally:
        os.umask(previous)
    assert written.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "kota").stat().st_mode & 0o777 == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "kota"]


def test_importing_the_package_alone_imports_no_pandas() -> None:
    # The package docstring promises it: public names are imported on first use.
    probe = "import sys, asn_eval; print('pandas' in sys.modules, 'numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
