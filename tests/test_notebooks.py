"""The notebooks in git: without outputs, parameterised as documented, thin (no rule inside)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
REPORTS = [FOLDER / "laporan-opd.ipynb", FOLDER / "ikhtisar-kota.ipynb"]
PARAMETERS = {"periode", "data", "skema", "anonim", "bahasa", "batch"}


def test_there_are_notebooks() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert {
        "laporan-opd.ipynb",
        "ikhtisar-kota.ipynb",
        "aplikasi.ipynb",
        "eksplorasi.ipynb",
    } <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:40]


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_report_notebook_is_thin(path: Path) -> None:
    """Only the parameters cell holds literals; every other cell calls the package."""
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = set(re.findall(r"^(\w+) =", tagged[0].source, flags=re.M))
    assert PARAMETERS <= names
    for cell in nb.cells:
        if cell.cell_type == "code" and cell is not tagged[0]:
            assert not re.search(r"\d", cell.source), cell.source  # no threshold, no rule
            assert len(cell.source.splitlines()) <= 6, cell.source


def test_app_notebook_is_one_call() -> None:
    nb = nbformat.read(FOLDER / "aplikasi.ipynb", as_version=4)
    assert [c.cell_type for c in nb.cells] == ["code"]  # Voilà would show a markdown cell
    assert nb.cells[0].source.endswith("ReviewApp.from_environment().widget()")


@pytest.mark.slow
def test_exploration_notebook_runs_top_to_bottom(
    city_400_folder: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("ASN_EVAL_APP_DATA", str(city_400_folder))
    monkeypatch.setenv("ASN_EVAL_DECISIONS", str(tmp_path / "keputusan.sqlite"))
    nb = nbformat.read(FOLDER / "eksplorasi.ipynb", as_version=4)
    NotebookClient(
        nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(FOLDER)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = "".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Sangat Baik" in shown  # the predikat counts
    widgets = [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert widgets  # the review app's widget rendered
