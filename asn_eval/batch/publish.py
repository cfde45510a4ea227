"""Turn an executed notebook into documents an evaluator can use offline: a page, slides, a PDF.

Everything made here opens without a network: the page carries its styles and its figures
(base64), the slides carry reveal.js itself, and the PDF is printed by a local Chromium that is not
allowed to fetch anything but local files. Code cells are shown by their outputs only; input, the
``In [ ]`` prompts and stderr streams are left out. Cells tagged ``hapus`` are always dropped.

``notebook_to_html`` and ``notebook_to_slides`` reuse one nbconvert exporter each per process (made
on first use), so a batch of reports pays for the template set-up once.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from nbconvert.exporters import HTMLExporter, SlidesExporter, TemplateExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from nbformat import NotebookNode

from asn_eval.atomic import atomic_path
from asn_eval.batch.chromium import (
    CHROMIUM_ARGS,
    LOCAL_SCHEMES,
    find_chromium,
    require_chromium,
)
from asn_eval.batch.slides import SLIDE_HEIGHT, SLIDE_WIDTH, slide_notebook
from asn_eval.errors import UsageError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route

__all__ = [
    "ALWAYS_REMOVED_TAG",
    "PRINT_ONLY_TAG",
    "PdfPrinter",
    "find_chromium",
    "notebook_to_html",
    "notebook_to_slides",
]

#: Cells with this tag never reach a published document.
ALWAYS_REMOVED_TAG = "hapus"
#: Cells with this tag are for the printed document only (roster, method, signature): not slides.
PRINT_ONLY_TAG = "hanya-cetak"

ASSETS = Path(__file__).resolve().parents[1] / "assets" / "publish"
REVEAL_ENV = "ASN_EVAL_REVEAL"
REVEAL_THEME = "white"

PDF_MARGIN = {"top": "15mm", "right": "15mm", "bottom": "15mm", "left": "15mm"}
PDF_FOOTER = (
    '<div style="font-size:7.5pt;color:#555;width:100%;margin:0 15mm;'
    'display:flex;justify-content:space-between;font-family:sans-serif">'
    '<span class="title"></span>'
    '<span>Halaman <span class="pageNumber"></span> dari <span class="totalPages"></span></span>'
    "</div>"
)

_EXPORT_LOCK = threading.Lock()


def _exporter_options() -> dict[str, Any]:
    return {
        "extra_template_basedirs": [str(ASSETS)],
        "extra_template_paths": [str(ASSETS)],
        "exclude_input": True,
        "exclude_input_prompt": True,
        "exclude_output_prompt": True,
        "language_code": "id",
    }


@cache
def _html_exporter() -> HTMLExporter:
    return HTMLExporter(template_name="asn_html", embed_images=True, **_exporter_options())


@cache
def _slides_exporter() -> SlidesExporter:
    return SlidesExporter(template_name="asn_slides", **_exporter_options())


def _publishable(nb: NotebookNode, title: str, remove_cell_tags: Iterable[str]) -> NotebookNode:
    """Return a shallow copy of ``nb`` without removed cells and with ``title`` as its title."""
    tags = {remove_cell_tags} if isinstance(remove_cell_tags, str) else set(remove_cell_tags)
    remover = TagRemovePreprocessor(remove_cell_tags={ALWAYS_REMOVED_TAG, *tags})
    cells = [
        cell
        for index, cell in enumerate(nb.cells)
        if remover.check_cell_conditions(cell, {}, index)
    ]
    metadata = NotebookNode({**nb.get("metadata", {}), "title": title})
    return NotebookNode({**nb, "metadata": metadata, "cells": cells})


def _export(exporter: TemplateExporter, nb: NotebookNode, resources: dict[str, Any]) -> str:
    # One exporter is shared by the threads of a batch; rendering is CPU-bound anyway.
    with _EXPORT_LOCK:
        body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def notebook_to_html(nb: NotebookNode, *, title: str, remove_cell_tags: Iterable[str] = ()) -> str:
    """Render an executed notebook as one self-contained HTML page, code hidden.

    The page references no URL: figures are embedded as base64, styles are inline, and no
    script is loaded (no require.js, MathJax, mermaid or widget manager). It has a plain
    screen style and an A4 print style (15 mm margins, rows and figures not split).

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (``nbformat.read`` or nbclient/papermill output); not changed.
    title : str
        The page title (``<title>``, and the PDF footer when printed).
    remove_cell_tags : iterable of str, optional
        Cells with any of these tags are left out, as are cells tagged ``hapus``.

    Returns
    -------
    str
        The HTML document (``lang="id"``).
    """
    publishable = _publishable(nb, title, remove_cell_tags)
    return _export(_html_exporter(), publishable, {"metadata": {"name": title}})


def notebook_to_slides(
    nb: NotebookNode, *, title: str, remove_cell_tags: Iterable[str] = ()
) -> str:
    """Render an executed notebook as reveal.js slides in one file that needs no network.

    reveal.js (the version ``python3 tasks.py setup`` installed), its style sheet and theme are
    inlined. The slides are 16:9 (1280 × 720) and every slide's content fits inside it: report
    sections are cut into as many slides as they need, long tables split or cut to their first
    rows with a pointer to the full report (:func:`asn_eval.batch.slides.slide_notebook`). All
    slides are horizontal; the counter at the lower right reads "slide / total". Cells tagged
    ``hanya-cetak`` (the printed document's roster, method and signature) are left out.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook; not changed.
    title : str
        The document title.
    remove_cell_tags : iterable of str, optional
        Cells with any of these tags are left out, as are cells tagged ``hapus`` and
        ``hanya-cetak``.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    UsageError
        When reveal.js is not installed (run ``python3 tasks.py setup``).
    """
    reveal = _reveal_assets(str(_reveal_directory()), REVEAL_THEME)
    tags = {remove_cell_tags} if isinstance(remove_cell_tags, str) else set(remove_cell_tags)
    publishable = slide_notebook(_publishable(nb, title, {PRINT_ONLY_TAG, *tags}))
    resources = {
        "metadata": {"name": title},
        "asn_reveal": {
            **reveal,
            "transition": "slide",
            "width": SLIDE_WIDTH,
            "height": SLIDE_HEIGHT,
        },
    }
    return _export(_slides_exporter(), publishable, resources)


def _reveal_directory() -> Path:
    """Where reveal.js is: ``$ASN_EVAL_REVEAL`` or ``sys.prefix/share/asn-eval/reveal.js``."""
    override = os.environ.get(REVEAL_ENV)
    folder = Path(override) if override else Path(sys.prefix) / "share" / "asn-eval" / "reveal.js"
    needed = ("dist/reveal.js", "dist/reveal.css", f"dist/theme/{REVEAL_THEME}.css")
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise UsageError(
            f"reveal.js untuk salindia luring tidak ditemukan di {folder} "
            f"({', '.join(missing)} tidak ada). Jalankan `python3 tasks.py setup`"
            + (f", atau perbaiki {REVEAL_ENV}." if override else ".")
        )
    return folder


_CSS_IMPORT = re.compile(r"@import\s+(?:url\([^)]*\)|\"[^\"]*\"|'[^']*')[^;]*;?")


@cache
def _reveal_assets(folder: str, theme: str) -> dict[str, str]:
    """Read reveal.js, its style sheet and a theme once, ready to inline."""
    root = Path(folder)
    js = (root / "dist" / "reveal.js").read_text(encoding="utf-8")
    css = (root / "dist" / "reveal.css").read_text(encoding="utf-8")
    # Themes @import their fonts (local files or web fonts): system fonts are used instead.
    theme_css = _CSS_IMPORT.sub("", (root / "dist" / "theme" / f"{theme}.css").read_text("utf-8"))
    return {
        "js": js.replace("</script", "<\\/script"),
        "css": css.replace("</style", "<\\/style"),
        "theme": theme_css.replace("</style", "<\\/style"),
    }


class PdfPrinter:
    """One headless Chromium that prints many HTML pages to A4 PDF.

    Use it as a context manager around a whole batch, so the browser starts once::

        with PdfPrinter() as printer:
            for html, pdf in pages:
                printer.print_pdf(html, pdf)

    Pages are opened from ``file://``; any other request (http, https, ws…) is aborted and its
    URL kept in ``blocked``. Each PDF is written next to its target and then renamed into place,
    so a reader never sees half a file.

    Threads and processes: Playwright's sync API must be started and used in one thread. Enter
    the printer in the thread (or process) that prints, and use it only there; a printer entered
    in another thread refuses to print. It cannot run in a thread that has a running asyncio
    loop (a Jupyter kernel's main thread): use a worker thread or a separate process there.

    Parameters
    ----------
    chromium : str, optional
        The Chromium program; by default :func:`find_chromium`.
    footer : bool
        Print the title and "Halaman X dari Y" at the foot of every page.
    timeout : float
        Seconds allowed for loading and printing one page.

    Raises
    ------
    UsageError
        When no Chromium can be found.
    """

    def __init__(
        self, *, chromium: str | None = None, footer: bool = True, timeout: float = 60.0
    ) -> None:
        self.chromium = require_chromium(chromium)
        self.footer = footer
        self.timeout = timeout
        self.blocked: list[str] = []
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._page: Page | None = None
        self._thread: int | None = None

    def __enter__(self) -> PdfPrinter:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._thread = threading.get_ident()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=self.chromium, headless=True, args=list(CHROMIUM_ARGS)
            )
            self._context = self._browser.new_context()
            self._context.set_default_timeout(self.timeout * 1000)
            self._context.route("**/*", self._only_local)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the browser and stop Playwright; safe to call more than once."""
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            self._browser = self._context = self._page = None
            if self._playwright is not None:
                self._playwright.stop()
                self._playwright = None
            self._thread = None

    @property
    def browser(self) -> Browser:
        """The running browser, for callers that need a page of their own (e.g. screenshots)."""
        self._check_thread()
        assert self._browser is not None
        return self._browser

    def _check_thread(self) -> None:
        if self._browser is None:
            raise RuntimeError("PdfPrinter belum dibuka: pakai `with PdfPrinter() as printer:`")
        if threading.get_ident() != self._thread:
            raise RuntimeError(
                "PdfPrinter dipakai dari thread lain; buka dan pakai di thread yang sama"
            )

    def _only_local(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def print_pdf(
        self, html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str]
    ) -> Path:
        """Print one HTML file to an A4 PDF.

        Parameters
        ----------
        html_path : path
            The HTML file (e.g. from :func:`notebook_to_html`).
        pdf_path : path
            Where the PDF goes; its folder is made if needed, an old file is replaced.

        Returns
        -------
        Path
            ``pdf_path``.
        """
        self._check_thread()
        assert self._context is not None
        source = Path(html_path).resolve()
        if not source.is_file():
            raise UsageError(f"berkas HTML tidak ada: {source}")
        target = Path(pdf_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        # One page is reused for every file (a new tab costs about as much as loading one).
        if self._page is None or self._page.is_closed():
            self._page = self._context.new_page()
        page = self._page
        try:
            page.goto(source.as_uri(), wait_until="load")
            data = page.pdf(
                format="A4",
                print_background=True,
                margin=PDF_MARGIN,
                display_header_footer=self.footer,
                header_template="<span></span>",
                footer_template=PDF_FOOTER if self.footer else "<span></span>",
            )
        except BaseException:
            self._page = None
            with contextlib.suppress(Exception):
                page.close()
            raise
        with atomic_path(target) as partial:
            partial.write_bytes(data)
        return target
