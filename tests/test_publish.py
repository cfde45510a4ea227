"""Publishing: self-contained HTML, offline slides in a real browser, A4 PDF from Chromium."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from test_slides import walk_slides

from asn_eval.batch.publish import PdfPrinter, find_chromium, notebook_to_html, notebook_to_slides
from asn_eval.errors import UsageError

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Markers: what must show (outputs) and what must not (code, stderr, removed cells).
CODE_MARKER = "kode_tersembunyi_7731"
STDOUT_TEXT = "Jumlah pegawai dinilai: 42"
STDERR_TEXT = "peringatan_stderr_5521"
REMOVED_TEXT = "sel_dihapus_9043"
INTERNAL_TEXT = "catatan_internal_6610"

# src=/href= attributes, url(...) and @import that point at the web.
NETWORK_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+["']\s*(?:https?:)?//)""",
    re.IGNORECASE,
)


def _slide(kind: str) -> dict:
    return {"slideshow": {"slide_type": kind}}


def _code(source: str, **metadata: object) -> NotebookNode:
    return new_code_cell(f"# {CODE_MARKER}\n{source}", metadata=metadata)


def build_notebook() -> NotebookNode:
    """A small report: markdown, stdout, stderr, a figure, a table, and cells to remove."""
    cells = [
        new_markdown_cell("# Laporan Uji\n\nRingkasan kinerja pegawai.", metadata=_slide("slide")),
        _code(
            "import matplotlib.pyplot as plt\nimport pandas as pd\nimport sys\n"
            f"print({STDOUT_TEXT!r})\n_ = sys.stderr.write({STDERR_TEXT!r} + '\\n')",
            **_slide("-"),
        ),
        new_markdown_cell("## Sebaran predikat", metadata=_slide("slide")),
        _code(
            "fig, ax = plt.subplots(figsize=(5, 3), dpi=80)\n"
            "ax.bar(['Sangat Baik', 'Baik', 'Butuh Perbaikan'], [12, 70, 18])\n"
            "ax.set_ylabel('pegawai (%)')\nplt.show()",
            **_slide("-"),
        ),
        new_markdown_cell("## Ringkasan per OPD", metadata=_slide("slide")),
        _code(
            "pd.DataFrame({'OPD': ['DINKES', 'BKPSDM'], 'pegawai': [120, 45],"
            " 'rata-rata capaian': [101.5, 97.25]})",
            **_slide("-"),
        ),
        new_markdown_cell("### Semua pegawai", metadata=_slide("subslide")),
        _code(
            "pd.DataFrame({'nip': [f'1990010120200110{i:02d}' for i in range(40)],"
            " 'capaian': [round(90 + i / 3, 2) for i in range(40)]})",
            **_slide("-"),
        ),
        _code(f"print({REMOVED_TEXT!r})", tags=["hapus"]),
        _code(f"print({INTERNAL_TEXT!r})", tags=["internal"]),
        new_markdown_cell("Catatan akhir untuk forum.", metadata=_slide("fragment")),
    ]
    return new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}}
    )


@pytest.fixture(scope="module")
def executed() -> NotebookNode:
    nb = build_notebook()
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    return nb


@pytest.fixture(scope="module")
def printer() -> Iterator[PdfPrinter]:
    """One Chromium for the module; fails (not skips) without one unless told to skip."""
    if os.environ.get("ASN_EVAL_SKIP_BROWSER") == "1":
        pytest.skip("ASN_EVAL_SKIP_BROWSER=1: tes peramban dilewati")
    if find_chromium() is None:
        pytest.fail(
            "Chromium tidak ada: jalankan `python3 tasks.py test` (memasangnya sebagai root), "
            "`apt-get install chromium`, atau set ASN_EVAL_SKIP_BROWSER=1"
        )
    with PdfPrinter() as opened:
        yield opened


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.mark.slow  # a kernel runs the notebook
def test_executed_notebook_has_the_outputs_we_check(executed):
    kinds = {kind for cell in executed.cells for out in cell.get("outputs", []) for kind in out}
    assert "data" in kinds
    text = nbformat.writes(executed)
    assert "image/png" in text
    assert STDERR_TEXT in text


@pytest.mark.slow  # a kernel runs the notebook
def test_html_is_self_contained_and_hides_code(executed):
    html = notebook_to_html(executed, title="Laporan Uji", remove_cell_tags=["internal"])
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="id">' in html
    assert "<title>Laporan Uji</title>" in html
    assert NETWORK_REFERENCE.search(html) is None, NETWORK_REFERENCE.search(html)
    assert "<script src=" not in html
    assert "require.js" not in html and "mathjax" not in html.lower()
    # Outputs are there, code and prompts are not.
    assert STDOUT_TEXT in html
    assert "Ringkasan per OPD" in html
    assert "DINKES" in html and "<table" in html
    assert CODE_MARKER not in html
    assert "plt.subplots" not in html
    assert not re.search(r"\bIn&nbsp;\[|\bOut\[\d", html)
    assert 'class="jp-InputPrompt' not in html and 'class="jp-OutputPrompt' not in html
    assert STDERR_TEXT not in html
    # Figures are embedded.
    images = re.findall(r'<img\s[^>]*src="([^"]*)"', html)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    # Removed cells.
    assert REMOVED_TEXT not in html
    assert INTERNAL_TEXT not in html
    # The print style.
    assert "size: A4" in html and "margin: 15mm" in html


@pytest.mark.slow  # a kernel runs the notebook
def test_html_keeps_untagged_removals_and_leaves_notebook_alone(executed):
    before = nbformat.writes(executed)
    html = notebook_to_html(executed, title="Lain")
    assert INTERNAL_TEXT in html  # only removed when asked
    assert REMOVED_TEXT not in html  # "hapus" always
    assert nbformat.writes(executed) == before


@pytest.mark.slow  # a kernel runs the notebook
def test_slides_without_reveal_say_how_to_install(executed, tmp_path, monkeypatch):
    monkeypatch.setenv("ASN_EVAL_REVEAL", str(tmp_path / "tidak-ada"))
    with pytest.raises(UsageError, match=r"python3 tasks\.py setup"):
        notebook_to_slides(executed, title="Salindia")


@pytest.mark.slow  # a kernel runs the notebook
def test_slides_embed_reveal(executed):
    html = notebook_to_slides(executed, title="Salindia Uji", remove_cell_tags={"internal"})
    assert "<script src=" not in html
    assert '<link rel="stylesheet" href=' not in html
    assert "Reveal.initialize(" in html and "reveal.js 4.0.2" in html
    assert CODE_MARKER not in html and STDERR_TEXT not in html
    assert REMOVED_TEXT not in html and INTERNAL_TEXT not in html


@pytest.mark.slow  # a kernel runs the notebook; Chromium
def test_slides_run_offline_in_chromium(executed, printer, tmp_path, artifacts):
    path = tmp_path / "salindia.html"
    path.write_text(notebook_to_slides(executed, title="Salindia Uji"), encoding="utf-8")
    attempted: list[str] = []

    def only_files(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context = printer.browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        context.set_offline(True)
        context.route("**/*", only_files)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=10_000)
        assert page.evaluate("Reveal.getTotalSlides()") >= 3
        assert page.evaluate("Reveal.getIndices().h") == 0
        page.evaluate("() => { Reveal.on('slidetransitionend', () => { window.moved = true; }); }")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => Reveal.getIndices().h === 1", timeout=5_000)
        assert "Sebaran predikat" in page.evaluate("Reveal.getCurrentSlide().textContent")
        page.wait_for_function("() => window.moved === true", timeout=5_000)
        page.screenshot(path=artifacts / "salindia.png")
        page.keyboard.press("End")
        page.wait_for_function("() => Reveal.isLastSlide()", timeout=5_000)
        total = page.evaluate("Reveal.getTotalSlides()")
        number = page.evaluate("document.querySelector('.slide-number').textContent")
        assert "".join(number.split()) == f"{total}/{total}"
        # Every slide horizontal and inside 1280 × 720: the 40-row table is split, not scrolled.
        seen = walk_slides(page, path)
        assert seen["problems"] == [] and seen["nested"] == 0 and seen["top"] == total
        parts = [re.findall(r"1990010120200110\d\d", text) for text in seen["texts"]]
        assert [nip for part in parts for nip in part] == [
            f"1990010120200110{i:02d}" for i in range(40)
        ]
        assert sum(1 for part in parts if part) >= 2
        assert errors == []
    finally:
        context.close()
    assert attempted == []


@pytest.mark.slow  # a kernel runs the notebook; Chromium
def test_pdf_is_a4_and_complete(executed, printer, tmp_path, artifacts):
    html = tmp_path / "laporan.html"
    html.write_text(notebook_to_html(executed, title="Laporan Uji"), encoding="utf-8")
    pdf = printer.print_pdf(html, artifacts / "laporan.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 1
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes
    for width, height in boxes:
        assert abs(float(width) - 595) < 2 and abs(float(height) - 842) < 2, (width, height)
    assert printer.blocked == []
    assert not list(pdf.parent.glob(".*.tmp"))


@pytest.mark.slow  # Chromium
def test_pdf_replaces_atomically_and_reports_missing_html(printer, tmp_path):
    html = tmp_path / "satu.html"
    html.write_text("<!DOCTYPE html><title>x</title><p>Halo</p>", encoding="utf-8")
    target = tmp_path / "keluar" / "satu.pdf"
    printer.print_pdf(html, target)
    first = target.stat().st_ino
    printer.print_pdf(html, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert target.stat().st_ino != first  # a new file renamed into place
    with pytest.raises(UsageError, match="tidak ada"):
        printer.print_pdf(tmp_path / "hilang.html", target)


@pytest.mark.slow  # Chromium
def test_printer_blocks_network(printer, tmp_path):
    html = tmp_path / "jaringan.html"
    html.write_text(
        '<!DOCTYPE html><link rel="stylesheet" href="https://example.invalid/x.css">'
        '<img src="http://example.invalid/y.png"><p>Tanpa jaringan</p>',
        encoding="utf-8",
    )
    printer.blocked.clear()
    printer.print_pdf(html, tmp_path / "jaringan.pdf")
    assert sorted(printer.blocked) == [
        "http://example.invalid/y.png",
        "https://example.invalid/x.css",
    ]
    printer.blocked.clear()


def test_missing_chromium_is_a_usage_error(monkeypatch, tmp_path):
    monkeypatch.setenv("ASN_EVAL_CHROMIUM", str(tmp_path / "tidak-ada-chromium"))
    assert find_chromium() is None
    with pytest.raises(UsageError, match="Chromium"):
        PdfPrinter()
