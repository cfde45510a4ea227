"""How tall slide content is: text widths, wrapping and table layout as Chromium computes them.

:mod:`asn_eval.batch.slides` cuts report sections into slides of 1280 × 720 without a browser; this
module says how much room each piece takes. The sizes below are those of the slide style sheet
(``assets/publish/asn_slides/static/asn-slides.css``: change them together). Text is measured with
the advance widths of Liberation Sans, which has Arial's metrics (the slides' first font), and
wrapped as Chromium wraps it (at spaces and after a hyphen between letters or digits). A table is
laid out as the browser's automatic table layout does: every column at its widest content when
they all fit, otherwise each between its longest word and its widest content in proportion. Short
cells are kept on one line. These estimates were checked against Chromium at 1280 × 720 element by
element (tests/test_slides.py walks every slide of the sample city).
"""

from __future__ import annotations

import base64
import binascii
import html
import math
import re
import struct
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = [
    "BLOCK_GAP",
    "CONTENT_HEIGHT",
    "CONTENT_WIDTH",
    "SLACK",
    "SLIDE_HEIGHT",
    "SLIDE_WIDTH",
    "TABLE_FONT",
    "TABLE_LINE",
    "TEXT_FONT",
    "Element",
    "Table",
    "Words",
    "cards",
    "children",
    "figure_slice",
    "fractions",
    "paragraph_height",
    "plain",
    "png_size",
    "sized_figure",
    "text_width",
    "title_height",
]

# -- geometry, in slide pixels (asn-slides.css) --------------------------------------------------
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
PAD_TOP, PAD_SIDE, PAD_BOTTOM = 28, 56, 64  # the bottom keeps the counter and arrows free
CONTENT_WIDTH = SLIDE_WIDTH - 2 * PAD_SIDE
CONTENT_HEIGHT = SLIDE_HEIGHT - PAD_TOP - PAD_BOTTOM
SLACK = 6  # planned, never used: rounding in the browser's layout

TITLE_FONT, TITLE_LINE, TITLE_EXTRA = 34, 1.2, 3 + 8 + 14  # border, padding, margin
TEXT_FONT, TEXT_LINE, TEXT_GAP = 22, 1.35, 10
CAPTION_FONT, CAPTION_LINE, CAPTION_GAP = 21, 1.3, 6  # its top margin collapses
TABLE_FONT, TABLE_LINE = 18, 1.25
CELL_PAD_X, CELL_PAD_Y, ROW_BORDER, HEAD_BORDER = 10, 4, 1, 2
COMPACT_FONT, COMPACT_PAD_X, COMPACT_PAD_Y = 15, 8, 3  # table.asn-rapat: a long or wide table
BLOCK_GAP = 12
CARD_COLUMNS, CARD_GAP, CARD_PAD_X, CARD_PAD_Y = 4, 12, 14, 8
CARD_NUMBER_FONT, CARD_NUMBER_LINE, CARD_LABEL_FONT, CARD_LABEL_LINE = 30, 1.15, 17, 1.3
CARD_LONG_FONT, CARD_LONG_LINE = 20, 1.25  # a value that is a sentence

TABLE_SQUEEZE = 2
"""Tables are laid out as if this much narrower: one that just fits may wrap in the browser."""
NOWRAP_WIDTH = 200
"""A table cell whose text is at most this wide (slide pixels) is kept on one line."""

# -- text widths ---------------------------------------------------------------------------------
# Advance widths (1/1000 em) of Liberation Sans Regular and Bold for U+0020…U+007E and the other
# characters reports use, read from the fonts with FreeType; Arial has the same metrics.
# fmt: off
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
    722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
    556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
    500, 334, 260, 334, 584,
)
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722,
    722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722,
    667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
    611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556,
    500, 389, 280, 389, 584,
)
# fmt: on
_EXTRA = {
    "·": 278,
    "×": 584,
    "÷": 549,
    "–": 556,
    "—": 1000,
    "…": 1000,
    "→": 1000,
    "↓": 500,
    "↑": 500,
    "−": 584,
    "≥": 549,
    "≤": 549,
    "°": 400,
    "’": 222,
    "“": 333,
    "”": 333,
}  # fmt: skip
_UNKNOWN = 1000  # a character not in the tables (another script, an emoji): a full em


def _advances(table: tuple[int, ...], bold: bool) -> dict[str, int]:
    widths = {chr(32 + i): w for i, w in enumerate(table)}
    quotes = {"’": 278, "“": 500, "”": 500} if bold else {}
    return {**widths, **_EXTRA, **quotes}


_WIDTHS = {False: _advances(_REGULAR, False), True: _advances(_BOLD, True)}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of text in pixels, in the slides' font (Liberation Sans / Arial).

    Parameters
    ----------
    text : str
        The text, unwrapped.
    size : float
        Font size in pixels.
    bold : bool
        Bold face.

    Returns
    -------
    float
        Pixels.

    Examples
    --------
    >>> round(text_width("Baik", 20), 2), round(text_width("Baik", 20, bold=True), 2)
    (38.9, 42.24)
    """
    widths = _WIDTHS[bold]
    return sum(widths.get(ch, _UNKNOWN) for ch in text) * size / 1000


# A line may break after a hyphen between letters or digits ("2025-TW1", "PKM-02"), as Chromium
# breaks them; not after a slash ("Kurang/Misconduct").
_BREAK_AFTER = re.compile(r"(?<=\w-)(?=\w)")


@dataclass
class Words:
    """A text cut where a line may break, with each piece's width at 1 px font size.

    ``pieces`` holds (width, whether a space comes before it): words, and the parts of a word
    cut after a hyphen.
    """

    pieces: list[tuple[float, bool]]
    space: float

    @classmethod
    def of(cls, text: str, bold: bool = False, whole: bool = False) -> Words:
        """Cut ``text``; ``whole`` keeps it on one line (a cell that does not wrap)."""
        if whole:
            return cls([(text_width(text.strip(), 1, bold), False)], 0.0)
        pieces = []
        for word in text.split():
            for i, part in enumerate(_BREAK_AFTER.split(word)):
                pieces.append((text_width(part, 1, bold), i == 0))
        return cls(pieces, text_width(" ", 1, bold))

    def longest(self, size: float) -> float:
        """Width of the widest piece at ``size`` px: the narrowest the text can be laid out."""
        return max((w for w, _ in self.pieces), default=0.0) * size

    def full(self, size: float) -> float:
        """Width of the whole text on one line at ``size`` px."""
        gaps = sum(1 for i, (_, spaced) in enumerate(self.pieces) if spaced and i)
        return (sum(w for w, _ in self.pieces) + self.space * gaps) * size

    def lines(self, size: float, width: float) -> int:
        """Return the lines the text takes in ``width`` pixels (greedy wrapping, as browsers)."""
        count, used = 1, 0.0
        space = self.space * size
        for piece, spaced in self.pieces:
            w = piece * size
            gap = space if used and spaced else 0.0
            if used and used + gap + w > width:
                count, used, gap = count + 1, 0.0, 0.0
            if w > width:  # longer than the line: it breaks anywhere (overflow-wrap)
                extra = math.ceil(w / width) - 1
                count, used = count + extra, w - extra * width
            else:
                used += gap + w
        return count


def text_height(text: str, size: float, line: float, width: float, bold: bool = False) -> float:
    """Height in pixels of ``text`` wrapped in ``width`` (font ``size``, line height ``line``)."""
    return Words.of(text, bold).lines(size, width * 0.995) * size * line


# -- reading our own markup ----------------------------------------------------------------------
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    """A top-level element of an HTML fragment: its tag, attributes and offsets in the text."""

    tag: str
    attrs: dict[str, str]
    start: int
    end: int = -1
    inner_start: int = -1
    inner_end: int = -1

    @property
    def classes(self) -> set[str]:
        """The element's classes."""
        return set(self.attrs.get("class", "").split())


class _TopLevel(HTMLParser):
    """Find the top-level elements of an HTML fragment, with their offsets."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=False)
        self.markup = markup
        self.line_starts = [0]
        for match in re.finditer("\n", markup):
            self.line_starts.append(match.end())
        self.found: list[Element] = []
        self.open: list[str] = []
        self.feed(markup)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        text = self.get_starttag_text() or ""
        if not self.open:
            element = Element(tag, {k: v or "" for k, v in attrs}, start)
            element.inner_start = start + len(text)
            self.found.append(element)
            if tag in _VOID:
                element.end = element.inner_end = element.inner_start
                return
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        if not self.open:
            end = start + len(self.get_starttag_text() or "")
            self.found.append(Element(tag, {k: v or "" for k, v in attrs}, start, end, end, end))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            return  # a stray end tag: the browser ignores it too
        while self.open and self.open[-1] != tag:  # implied ends (</p> before </div>, …)
            self.open.pop()
        self.open.pop()
        if not self.open and self.found:
            start = self._offset()
            element = self.found[-1]
            element.inner_end = start
            element.end = self.markup.index(">", start) + 1


def children(markup: str) -> list[tuple[Element, str]]:
    """Return the top-level elements of ``markup`` with their HTML."""
    elements = _TopLevel(markup).found
    return [(e, markup[e.start : e.end]) for e in elements if e.end >= 0]


def plain(markup: str) -> str:
    """Return the text of an HTML fragment (tags dropped, entities read)."""
    return html.unescape(re.sub(r"<[^>]*>", " ", markup)).strip()


# -- tables -------------------------------------------------------------------------------------
@dataclass
class Table:
    """A table as pandas writes it (``Section``'s tables): rows to cut, sizes to estimate."""

    caption: str
    opening: str
    head: str
    rows: list[str]
    cells: list[list[Words]] = field(default_factory=list)
    head_cells: list[Words] = field(default_factory=list)
    compact: bool = False  # set smaller (``asn-rapat``): more rows and columns on a slide

    @property
    def font(self) -> float:
        """Font size of the cells, px."""
        return COMPACT_FONT if self.compact else TABLE_FONT

    @property
    def pads(self) -> tuple[float, float]:
        """Horizontal and vertical padding of a cell, px."""
        return (COMPACT_PAD_X, COMPACT_PAD_Y) if self.compact else (CELL_PAD_X, CELL_PAD_Y)

    @classmethod
    def read(cls, block: str) -> Table | None:
        """Read a table block written by ``Section`` (pandas' ``to_html``); None if it is not."""
        match = re.fullmatch(
            r"\s*(<h4>.*?</h4>)?\s*(<table[^>]*>)\s*(<thead>.*?</thead>)\s*"
            r"<tbody>(.*)</tbody>\s*</table>\s*",
            block,
            flags=re.DOTALL,
        )
        if match is None or "rowspan" in block or "colspan" in block:
            return None
        caption, opening, head, body = match.groups()
        read = [_body_row(row) for row in re.findall(r"<tr[^>]*>.*?</tr>", body, flags=re.DOTALL)]
        table = cls(caption or "", opening, head, [row for row, _ in read])
        table.head_cells = [Words.of(plain(c), True) for c in row_cells(head)]
        table.cells = [cells for _, cells in read]
        if any(len(c) != len(table.head_cells) for c in table.cells):
            return None
        return table

    def columns(self, rows: range, width: float) -> list[float]:
        """Return column widths as the browser's automatic table layout gives them (content)."""
        pad = 2 * self.pads[0]
        lows, highs = [], []
        for j, head in enumerate(self.head_cells):
            cells = [head, *(self.cells[i][j] for i in rows)]
            lows.append(max(c.longest(self.font) for c in cells) + pad)
            highs.append(max(c.full(self.font) for c in cells) + pad)
        if sum(highs) <= width:
            return [w - pad for w in highs]
        room = width - sum(lows)
        spread = sum(highs) - sum(lows)
        if room <= 0 or spread <= 0:
            return [w - pad for w in lows]
        return [lo + (hi - lo) * room / spread - pad for lo, hi in zip(lows, highs, strict=True)]

    def height(self, rows: range, width: float = CONTENT_WIDTH) -> float:
        """Return the height of the caption, header and these rows, in slide pixels."""
        widths = self.columns(rows, width - TABLE_SQUEEZE)
        line = self.font * TABLE_LINE

        def row_height(cells: list[Words], border: int) -> float:
            lines = max(c.lines(self.font, w + 0.02) for c, w in zip(cells, widths, strict=True))
            return lines * line + 2 * self.pads[1] + border

        total = row_height(self.head_cells, HEAD_BORDER)
        total += sum(row_height(self.cells[i], ROW_BORDER) for i in rows)
        if self.caption:
            total += caption_height(plain(self.caption))
        return total

    def wide(self) -> bool:
        """Tell whether the table is wider than the slide even with its text wrapped."""
        pad = 2 * self.pads[0]
        everything = range(len(self.rows))
        lows = [
            max(c.longest(self.font) for c in [h, *(self.cells[i][j] for i in everything)]) + pad
            for j, h in enumerate(self.head_cells)
        ]
        return sum(lows) > CONTENT_WIDTH

    def html(self, rows: range) -> str:
        """Return the caption and the table with only these rows (the header repeated)."""
        chosen = "".join(self.rows[i] for i in rows)
        opening = self.opening
        if self.compact:
            opening = re.sub(r"<table\b", "<table data-asn-rapat", opening, count=1)
        return f"{self.caption}{opening}{self.head}<tbody>{chosen}</tbody></table>"


def row_cells(row: str) -> list[str]:
    """Return the contents of a table row's cells."""
    return re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.DOTALL)


def _body_row(row: str) -> tuple[str, list[Words]]:
    """Mark a row's short cells to stay on one line; return the row and its cells' words.

    A number, a percent with its count or a period code ("12 (16,4 %)", "2025-TW1") broken over
    two lines is hard to read, and it is laid out more predictably whole.
    """
    cells: list[Words] = []

    def mark(match: re.Match[str]) -> str:
        tag, attributes, content = match.groups()
        text = plain(content)
        whole = not attributes.strip() and text_width(text, TABLE_FONT) <= NOWRAP_WIDTH
        cells.append(Words.of(text, whole=whole))
        return f"<{tag} class='asn-utuh'>{content}</{tag}>" if whole else match.group(0)

    marked = re.sub(r"<(t[hd])([^>]*)>(.*?)</\1>", mark, row, flags=re.DOTALL)
    return marked, cells


def caption_height(caption: str) -> float:
    """Height of a table's caption (``h4``) with its margin."""
    lines = Words.of(caption, True).lines(CAPTION_FONT, CONTENT_WIDTH * 0.995)
    return lines * CAPTION_FONT * CAPTION_LINE + CAPTION_GAP


def title_height(title: str) -> float:
    """Height of a slide's title with its rule and margin."""
    return text_height(title, TITLE_FONT, TITLE_LINE, CONTENT_WIDTH, bold=True) + TITLE_EXTRA


def paragraph_height(text: str) -> float:
    """Height of a paragraph with its margin."""
    return text_height(text, TEXT_FONT, TEXT_LINE, CONTENT_WIDTH) + TEXT_GAP


def cards(block: str) -> tuple[str, float]:
    """Lay out a block of headline cards (``Section``'s dict block), four to a row.

    A value that does not fit its card on one line at the headline size (a sentence, not a
    figure) is set smaller (``asn-angka-panjang``), so it does not break inside its words.

    Returns
    -------
    tuple of (str, float)
        The block's HTML and its height in slide pixels.
    """
    inner = (CONTENT_WIDTH - (CARD_COLUMNS - 1) * CARD_GAP) / CARD_COLUMNS - 2 * CARD_PAD_X - 2
    heights: list[float] = []

    def card(match: re.Match[str]) -> str:
        value, label = plain(match.group(1)), plain(match.group(2))
        long = text_width(value, CARD_NUMBER_FONT, bold=True) > inner
        if long:
            size, line, bold = CARD_LONG_FONT, CARD_LONG_LINE, False
        else:
            size, line, bold = CARD_NUMBER_FONT, CARD_NUMBER_LINE, True
        heights.append(
            text_height(value, size, line, inner, bold=bold)
            + text_height(label, CARD_LABEL_FONT, CARD_LABEL_LINE, inner)
            + 2 * CARD_PAD_Y
            + 2
        )
        if not long:
            return match.group(0)
        return match.group(0).replace("class='asn-angka'", "class='asn-angka asn-angka-panjang'", 1)

    marked = re.sub(
        r"<div class='asn-angka'>(.*?)</div><div class='asn-label'>(.*?)</div>",
        card,
        block,
        flags=re.DOTALL,
    )
    rows = [max(heights[i : i + CARD_COLUMNS]) for i in range(0, len(heights), CARD_COLUMNS)]
    return marked, sum(rows) + CARD_GAP * max(len(rows) - 1, 0)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(block: str) -> tuple[int, int] | None:
    """Return the pixel size of the (first) PNG image embedded in ``block``, or None."""
    match = re.search(r"src=['\"]data:image/png;base64,([A-Za-z0-9+/=]{44})", block)
    if match is None:
        return None
    try:
        head = base64.b64decode(match.group(1)[:32])
    except (binascii.Error, ValueError):
        return None
    if not head.startswith(_PNG_SIGNATURE) or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return (width, height) if width and height else None


def fractions(text: str) -> list[float]:
    """Read ``data-asn-potong``: fractions of a figure's height, ascending; [] if unreadable."""
    try:
        values = [float(v) for v in text.split()]
    except ValueError:
        return []
    return sorted(v for v in values if 0 < v < 1)


def figure_slice(
    block: str, size: tuple[int, int], top: float, end: float, scale: float, part: int
) -> str:
    """Return a slice of the block's figure: its rows ``top``…``end`` (image px) at ``scale``.

    The slice is a box of exactly the slice's size painted with the figure as background,
    shifted up: nothing lies outside it and nothing scrolls. ``part`` numbers it in its label.
    """
    source = re.search(r"src=['\"](data:image/png;base64,[A-Za-z0-9+/=]+)['\"]", block)
    alt = re.search(r"alt='([^']*)'", block)
    label = f"{alt.group(1)} ({part})" if alt and alt.group(1) else f"({part})"
    width, height = size
    assert source is not None
    return (
        f"<div class='asn-potongan' role='img' aria-label='{label}' style=\""
        f"width:{width * scale:.0f}px;height:{(end - top) * scale:.0f}px;"
        f"background-image:url('{source.group(1)}');"
        f"background-size:{width * scale:.1f}px {height * scale:.1f}px;"
        f'background-position:0 {-top * scale:.1f}px"></div>'
    )


def sized_figure(block: str, size: tuple[int, int], scale: float) -> str:
    """Give the block's image the width and height of its pixel ``size`` times ``scale``."""
    width, height = (round(v * scale) for v in size)
    return re.sub(
        r"<img\b", f"<img width='{width}' height='{height}'", block, count=1, flags=re.IGNORECASE
    )
