"""The notebooks in git: without outputs, parameterised as documented, thin (no rule inside)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
PARAMETERS = {"periode", "data", "skema", "anonim", "bahasa", "batch"}


def test_there_are_notebooks() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert {"laporan-opd.ipynb", "ikhtisar-kota.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:40]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin(path: Path) -> None:
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
