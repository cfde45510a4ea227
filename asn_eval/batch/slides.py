"""Cut a report into slides that fit: every slide's content inside 1280 × 720.

A report section (:class:`asn_eval.reporting.sections.Section`) is as long as its tables; a slide
is not. :func:`slide_notebook` turns each cell of an executed report into one or more cells of
one slide each:

* a section's heading, sentences and blocks (the ``div.asn-blok`` markers ``Section`` writes:
  figures, headline cards, tables, notes) are packed in order onto as few slides as hold them,
  the heading repeated with "(lanjutan)" on the slides that continue it;
* a table taller than the room left is split between rows, its caption and header repeated (two
  even pieces rather than a full one and a few rows); one taller than :data:`COMPACT_BEYOND`
  slides is set smaller, and one needing more than :data:`MAX_TABLE_SLIDES` slides shows its
  first rows and says how many more the full report has ("… 37 baris lainnya ada di laporan
  lengkap."); a sentence that introduces a table moves with its first rows, a note that ends it
  ("… dan 7 lainnya.") stays with its last;
* a figure gets an explicit size: as wide as the slide allows (up to :data:`FIGURE_MAX_SCALE` of
  its pixels), as tall as the room left, not below :data:`FIGURE_MIN_SCALE` when it shares a
  slide; a figure of rows (horizontal bars) too tall for a slide of its own is cut between its
  rows into slices, one a slide (``Section`` marks where: ``data-asn-potong``);
* headline cards are four to a row; the cover (``header.asn-sampul``) is the title slide; any
  other output is one slide, and a DataFrame taller than a slide is split like a table.

Heights are estimated without a browser (:mod:`asn_eval.batch.slide_layout`: the slide style
sheet's sizes, Arial's metrics, Chromium's wrapping and table layout), checked in Chromium at
1280 × 720 (tests/test_slides.py walks every slide of every agency of the sample city and fails on
anything outside its slide). The slides carry a last guard for fonts other than Arial or Liberation
Sans: a slide whose content still overflows is shrunk to fit (``data-asn-dikecilkan``), which the
test requires never to happen with the shipped fonts.

All slides are horizontal (``slide_type = "slide"``), so reveal's counter reads "c / t".
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_output

from asn_eval.batch.slide_layout import (
    BLOCK_GAP,
    CONTENT_HEIGHT,
    CONTENT_WIDTH,
    SLACK,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    TABLE_FONT,
    TABLE_LINE,
    TEXT_GAP,
    Element,
    Table,
    cards,
    children,
    figure_slice,
    fractions,
    paragraph_height,
    plain,
    png_size,
    sized_figure,
    title_height,
)

__all__ = [
    "MAX_TABLE_SLIDES",
    "SLIDE_HEIGHT",
    "SLIDE_WIDTH",
    "slide_notebook",
]


FIGURE_MAX_SCALE = 1.35
"""Figures are drawn at 110 dpi: up to this many slide pixels per image pixel (labels ~20 px)."""
FIGURE_MIN_SCALE = 0.8
"""A figure sharing a slide is not shrunk below this; alone on a slide it fits the slide."""
STAY_SHARE = 0.85
"""A figure shown smaller than the minimum stays after the text above it if a slide of its own
would show it less than this much larger (no slide left with a heading and a sentence only)."""
SLICE_BELOW = 0.65
"""A figure of rows that a slide of its own shows smaller than this is cut into slices."""
SLICE_SCALE = 1.0
"""A figure cut into slices is shown at this many slide pixels per image pixel (labels ~15 px)."""
MIN_SLICE_ROWS = 3
"""A slice starts on a new slide rather than show fewer rows than this at a slide's foot."""
MIN_TABLE_ROWS = 3
"""A table starts on a new slide rather than show fewer rows than this at a slide's foot."""
COMPACT_BEYOND = 2.5
"""A table taller than this many slides is set smaller (more rows and columns on a slide)."""
MAX_TABLE_SLIDES = 4
"""A table needing more slides shows its first rows and a pointer to the full report."""

TEXTS = {
    "id": {
        "lanjutan": "{judul} (lanjutan)",
        "lainnya": "… {n} baris lainnya ada di laporan lengkap.",
    },
    "en": {"lanjutan": "{judul} (continued)", "lainnya": "… {n} more rows in the full report."},
}


# -- packing -------------------------------------------------------------------------------------
@dataclass
class _Part:
    """One thing placed on a slide: its HTML and its height in slide pixels."""

    html: str
    height: float


@dataclass
class _Block:
    kind: str  # "teks", "gambar", "tabel" or "lain"
    html: str  # the block's own content (inside its marker)
    height: float = 0.0
    table: Table | None = None
    size: tuple[int, int] | None = None
    marker: str = ""  # the opening tag of the Section's ``div.asn-blok``, if any
    closing: str = "</div>"  # what closes the marker
    cuts: list[float] = field(default_factory=list)  # a figure's row boundaries (height fractions)
    continues: bool = False  # a note that continues the table before it ("… dan 7 lainnya.")

    def wrap(self, content: str) -> str:
        return f"{self.marker}{content}{self.closing}" if self.marker else content

    @property
    def whole(self) -> str:
        return self.wrap(self.html)


@dataclass
class _Slide:
    title: str
    parts: list[_Part] = field(default_factory=list)
    used: float = 0.0
    room: float = 0.0


class _Packer:
    """Place a section's blocks in order on slides of :data:`CONTENT_HEIGHT`."""

    def __init__(self, title: str, level: int, bahasa: str, taken: float = 0.0) -> None:
        self.title = title
        self.level = level
        self.texts = TEXTS.get(bahasa, TEXTS["id"])
        self.slides: list[_Slide] = []
        self.new_slide()
        self.current.room -= taken  # what the slide already holds (a heading cell above)

    @property
    def current(self) -> _Slide:
        return self.slides[-1]

    def new_slide(self) -> None:
        title = self.title
        if self.slides:
            title = self.texts["lanjutan"].format(judul=self.title)
        room = CONTENT_HEIGHT - SLACK - (title_height(title) if title else 0)
        self.slides.append(_Slide(title, room=room))

    def left(self) -> float:
        return self.current.room - self.current.used

    def put(self, html_text: str, height: float) -> None:
        slide = self.current
        slide.parts.append(_Part(html_text, height))
        slide.used += height

    def fresh(self) -> bool:
        return not self.current.parts

    def place(self, block: _Block, following: _Block | None) -> None:
        if block.kind == "gambar" and block.size is not None:
            self.place_figure(block, following)
        elif block.kind == "tabel" and block.table is not None:
            self.place_table(block, following)
        else:
            needed = block.height
            if block.kind == "teks" and following is not None and following.table is not None:
                # A sentence that introduces a table goes with the table's first rows.
                first = range(min(MIN_TABLE_ROWS, len(following.table.rows)))
                needed += following.table.height(first) + BLOCK_GAP
            if needed > self.left() and not self.fresh():
                self.new_slide()
            self.put(block.whole, block.height)

    def fresh_room(self) -> float:
        """Room on a slide that continues this section."""
        title = self.texts["lanjutan"].format(judul=self.title) if self.title else ""
        return CONTENT_HEIGHT - SLACK - (title_height(title) if title else 0)

    def place_figure(self, block: _Block, following: _Block | None) -> None:
        assert block.size is not None
        width, height = block.size
        widest = min(FIGURE_MAX_SCALE, CONTENT_WIDTH / width)
        floor = min(FIGURE_MIN_SCALE, widest)

        def scale_for(room: float) -> float:
            return min(widest, (room - BLOCK_GAP) / height)

        alone = scale_for(self.fresh_room())
        if alone < SLICE_BELOW and block.cuts:
            self.place_slices(block)
            return
        scale = scale_for(self.left())
        if following is not None and following.kind != "gambar":
            after = self.first_height(following)
            shared = scale_for(self.left() - after)
            if after and shared >= floor and shared < scale:
                scale = shared  # the next block fits under the figure at a readable size
        # A new slide, unless the figure would be hardly larger there (a tall one, not cut).
        if scale < floor and not self.fresh() and scale < STAY_SHARE * alone:
            self.new_slide()
            scale = scale_for(self.left())
        scale = max(scale, 0.05)
        figure = block.wrap(sized_figure(block.html, block.size, scale))
        self.put(figure, height * scale + BLOCK_GAP)

    def place_slices(self, block: _Block) -> None:
        """Show a figure too tall for one slide in slices cut between its rows, one per slide."""
        assert block.size is not None
        width, height = block.size
        scale = min(SLICE_SCALE, CONTENT_WIDTH / width)
        ends = [c * height for c in block.cuts if 0 < c < 1] + [float(height)]
        top, part = 0.0, 0
        while top < height:
            room = self.left() - BLOCK_GAP
            fitting = [e for e in ends if e > top and (e - top) * scale <= room]
            if len(fitting) < min(MIN_SLICE_ROWS, len([e for e in ends if e > top])):
                if not self.fresh():
                    self.new_slide()
                    continue
                fitting = fitting or [
                    next(e for e in ends if e > top)
                ]  # one row taller than a slide
            end = fitting[-1]
            shown = min(scale, room / (end - top))
            part += 1
            self.put(
                block.wrap(figure_slice(block.html, block.size, top, end, shown, part)),
                (end - top) * shown + BLOCK_GAP,
            )
            top = end
            if top < height:
                self.new_slide()

    def first_height(self, block: _Block) -> float:
        """Height of ``block`` whole, or 0 when it would not be placed whole anyway."""
        if block.kind == "tabel" and block.table is not None:
            table = block.table
            if len(table.rows) > 2 * MIN_TABLE_ROWS + 2:
                return 0.0
            return table.height(range(len(table.rows))) + BLOCK_GAP
        return block.height

    def place_table(self, block: _Block, following: _Block | None) -> None:
        table = block.table
        assert table is not None
        total = len(table.rows)
        if table.height(range(total)) > COMPACT_BEYOND * self.fresh_room():
            table.compact = True  # it would be cut: more rows on a slide, smaller
        note = self.texts["lainnya"].format(n=_count(total))
        pointer = paragraph_height(note)
        # A note that continues the table ("… dan 7 lainnya.") stays with its last rows.
        tail = following.height if following is not None and following.continues else 0.0
        start, pieces = 0, 0
        while True:
            room = self.left() - BLOCK_GAP
            end = self.rows_fitting(table, start, room)
            if end < total and pieces + 1 >= MAX_TABLE_SLIDES:  # the last: room for the pointer
                end = self.rows_fitting(table, start, room - pointer)
            elif end == total and tail:
                end = self.rows_fitting(table, start, room - tail)
            if end - start < min(MIN_TABLE_ROWS, total - start) and not self.fresh():
                self.new_slide()
                continue
            end = min(max(end, start + 1), total)  # a fresh slide shows at least one row
            rest = total - end
            if 0 < rest < end - start and pieces + 2 < MAX_TABLE_SLIDES + 1:
                end = start + math.ceil((total - start) / 2)  # two even pieces, not one and a few
            rows = range(start, end)
            self.put(block.wrap(table.html(rows)), table.height(rows) + BLOCK_GAP)
            pieces, start = pieces + 1, end
            if start >= total:
                return
            if pieces >= MAX_TABLE_SLIDES:
                note = self.texts["lainnya"].format(n=_count(total - start))
                self.put(f"<p class='asn-lainnya'>{html.escape(note)}</p>", pointer)
                return
            self.new_slide()

    @staticmethod
    def rows_fitting(table: Table, start: int, room: float) -> int:
        """Return where the longest run of rows from ``start`` that fits ``room`` ends."""
        end = start
        while end < len(table.rows) and table.height(range(start, end + 1)) <= room:
            end += 1
        return end

    def html(self, slide: _Slide, style: str, classes: str) -> str:
        tag = f"h{self.level}"
        heading = f"<{tag}>{html.escape(slide.title)}</{tag}>" if slide.title else ""
        body = "".join(part.html for part in slide.parts)
        planned = round(slide.used + CONTENT_HEIGHT - slide.room)
        return (
            f"{style}<div class='{classes} asn-salindia' data-asn-rencana='{planned}'>"
            f"{heading}{body}</div>"
        )


def _count(n: int) -> str:
    from asn_eval import formatting

    return formatting.integer(n)


def _section_blocks(elements: list[tuple[Element, str]]) -> Iterator[_Block]:
    for element, markup in elements:
        if element.tag == "p":
            yield _Block("teks", markup, paragraph_height(plain(markup)))
        elif "asn-blok" in element.classes:
            kind = element.attrs.get("data-asn-jenis", "lain")
            inner = markup[element.inner_start - element.start : element.inner_end - element.start]
            block = _block(kind, inner, element.attrs.get("data-asn-baris"))
            block.marker = markup[: element.inner_start - element.start]
            block.cuts = fractions(element.attrs.get("data-asn-potong", ""))
            yield block
        else:
            yield _Block("lain", markup, _rough_height(markup))


def _block(kind: str, inner: str, rows: str | None) -> _Block:
    if kind == "gambar":
        size = png_size(inner)
        if size is not None:
            return _Block("gambar", inner, size=size)
    if kind == "tabel":
        table = Table.read(inner)
        if table is not None and rows in (None, str(len(table.rows))):
            table.compact = table.wide()  # too wide at the normal size: try it smaller
            if not table.wide():
                return _Block("tabel", inner, table=table)
    if kind == "kartu":
        laid_out, height = cards(inner)
        return _Block("lain", laid_out, height + BLOCK_GAP)
    if kind == "catatan":
        text = plain(inner)
        height = paragraph_height(text) - TEXT_GAP + max(TEXT_GAP, BLOCK_GAP)  # margins collapse
        return _Block("teks", inner, height, continues=text.startswith("…"))
    return _Block("lain", inner, _rough_height(inner))


def _rough_height(markup: str) -> float:
    """Guess the height of HTML this module does not know (its rows, paragraphs, image)."""
    rows = len(re.findall(r"<tr\b", markup))
    lines = max(1, rows) + markup.count("<p") + markup.count("<br")
    size = png_size(markup)
    image = size[1] if size else 0
    return lines * TABLE_FONT * TABLE_LINE * 1.6 + image


# -- the notebook --------------------------------------------------------------------------------
_HEADING = re.compile(r"h[1-6]")


def _section_slides(markup: str, bahasa: str, taken: float = 0.0) -> list[str] | None:
    """Cut one ``Section``'s HTML into slides; None when ``markup`` is not a section."""
    top = children(markup)
    style = "".join(html_text for element, html_text in top if element.tag == "style")
    sections = [(e, h) for e, h in top if "asn-bagian" in e.classes]
    if len(sections) != 1 or len(top) != len(sections) + sum(e.tag == "style" for e, _ in top):
        return None
    element, section = sections[0]
    inner = section[element.inner_start - element.start : element.inner_end - element.start]
    parts = children(inner)
    title, level = "", 2
    if parts and _HEADING.fullmatch(parts[0][0].tag):
        title, level = plain(parts[0][1]), int(parts[0][0].tag[1])
        parts = parts[1:]
    packer = _Packer(title, level, bahasa, taken)
    blocks = list(_section_blocks(parts))
    for i, block in enumerate(blocks):
        packer.place(block, blocks[i + 1] if i + 1 < len(blocks) else None)
    classes = " ".join(sorted(element.classes))
    return [packer.html(slide, style, classes) for slide in packer.slides if slide.parts or title]


def _table_slides(markup: str, bahasa: str, taken: float = 0.0) -> list[str] | None:
    """Cut an output that is one table taller than a slide (a DataFrame) into slides, untitled.

    Returns None for any other output (those are one slide each, as they are).
    """
    match = re.search(r"<table\b.*</table>", markup, flags=re.DOTALL | re.IGNORECASE)
    if match is None or len(re.findall(r"<table\b", markup, flags=re.IGNORECASE)) != 1:
        return None
    before, after = markup[: match.start()], markup[match.end() :]
    if plain(re.sub(r"<style.*?</style>", "", before + after, flags=re.DOTALL)):
        return None  # text beside the table
    table = Table.read(match.group(0))
    if table is None or table.wide():
        return None
    if table.height(range(len(table.rows))) <= CONTENT_HEIGHT - SLACK - BLOCK_GAP - taken:
        return None
    packer = _Packer("", 2, bahasa, taken)
    packer.place(_Block("tabel", match.group(0), table=table, marker=before, closing=after), None)
    return [packer.html(slide, "", "") for slide in packer.slides if slide.parts]


def _markdown_height(source: str) -> float:
    """Guess the height of a markdown cell on a slide: its headings and paragraphs."""
    height = 0.0
    for paragraph in re.split(r"\n\s*\n", source.strip()):
        heading = re.match(r"(#{1,6})\s+(.*)", paragraph)
        if heading:
            height += title_height(heading.group(2)) * (1.3 if len(heading.group(1)) == 1 else 1)
        elif paragraph.strip():
            height += paragraph_height(plain(paragraph))
    return height


def _without_sections(markup: str) -> str:
    """``<section>`` elements in an output would become slides of their own: make them ``div``."""
    return re.sub(r"<(/?)section\b", r"<\1div", markup, flags=re.IGNORECASE)


def _slide_cell(source: NotebookNode, outputs: list[NotebookNode], kind: str) -> NotebookNode:
    cell = new_code_cell(source="", metadata={"slideshow": {"slide_type": kind}})
    tags = [t for t in source.get("metadata", {}).get("tags", [])]
    if tags:
        cell.metadata["tags"] = tags
    cell.outputs = outputs
    cell.execution_count = source.get("execution_count")
    return cell


def _html_output(markup: str) -> NotebookNode:
    return new_output("display_data", data={"text/html": markup})


def _cells_for(
    cell: NotebookNode, kind: str, bahasa: str, taken: float = 0.0
) -> list[NotebookNode]:
    """Return the slide cells one code cell becomes (the first of the cell's own ``kind``).

    ``taken`` is the height already used on the slide the first output continues.
    """
    cells: list[NotebookNode] = []
    waiting: list[NotebookNode] = []  # outputs that are not cut share one slide

    def add(outputs: list[NotebookNode]) -> None:
        cells.append(_slide_cell(cell, outputs, "slide" if cells else kind))

    def flush() -> None:
        if waiting:
            add(list(waiting))
            waiting.clear()

    for output in cell.get("outputs", []):
        markup = output.get("data", {}).get("text/html") if "data" in output else None
        if isinstance(markup, list):
            markup = "".join(markup)
        room = 0.0 if cells or waiting else taken
        slides = (
            (_section_slides(markup, bahasa, room) or _table_slides(markup, bahasa, room))
            if markup
            else None
        )
        if slides is None:
            if markup:
                output = new_output(
                    output.output_type,
                    data={**output.data, "text/html": _without_sections(markup)},
                    metadata=output.get("metadata", {}),
                    **({"execution_count": None} if output.output_type == "execute_result" else {}),
                )
            waiting.append(output)
            continue
        flush()
        for slide in slides:
            add([_html_output(_without_sections(slide))])
    flush()
    return cells


def slide_notebook(nb: NotebookNode, bahasa: str | None = None) -> NotebookNode:
    """Return a copy of ``nb`` with one cell per slide, each slide's content inside 1280 × 720.

    Every code cell's outputs are cut as the module describes; markdown cells stay, as slides
    (a ``subslide`` becomes a ``slide``: all slides are horizontal); ``skip`` and ``notes`` cells
    stay as they are. The first slide is the notebook's first cell (a cover, when it has one).

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook, without the cells that must not be shown; not changed.
    bahasa : {"id", "en"}, optional
        Language of "(lanjutan)" and of the pointer to the full report; by default the
        notebook's ``bahasa`` parameter (Papermill's metadata), else Indonesian.

    Returns
    -------
    NotebookNode
        A new notebook (cells and outputs are new objects; unchanged ones are shared).
    """
    if bahasa is None:
        parameters = nb.get("metadata", {}).get("papermill", {}).get("parameters", {})
        bahasa = str(parameters.get("bahasa", "id"))
    cells: list[NotebookNode] = []
    taken = 0.0  # what the current slide holds from markdown cells
    started = False
    for cell in nb.cells:
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "slide")
        if kind in ("skip", "notes"):
            cells.append(cell)
            continue
        if kind not in ("-", "fragment") or not started:  # the first one shown opens a slide
            kind, taken = "slide", 0.0
        started = True
        if cell.cell_type != "code":
            metadata = {**cell.metadata, "slideshow": {"slide_type": kind}}
            cells.append(NotebookNode({**cell, "metadata": NotebookNode(metadata)}))
            taken += _markdown_height(str(cell.get("source", "")))
        else:
            cells += _cells_for(cell, kind, bahasa, taken)
            taken = 0.0
    return NotebookNode({**nb, "cells": cells})
