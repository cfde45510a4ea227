"""A report section: a heading, sentences, figures and tables, rendered as one HTML block.

The same HTML shows in JupyterLab, the HTML and PDF reports, the slides and the app.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from itertools import pairwise

import pandas as pd
from matplotlib.category import StrCategoryFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter

from asn_eval import formatting
from asn_eval.reporting import figures
from asn_eval.reporting.text import text

__all__ = ["Document", "Section"]


@dataclass
class Section:
    """One part of a report: a heading, sentences, and figures or tables, rendered as HTML.

    Parameters
    ----------
    title : str
        The heading.
    paragraphs : list of str
        Plain sentences (escaped when rendered).
    blocks : list
        Items in order: :class:`matplotlib.figure.Figure`, ``(caption, DataFrame)`` tables,
        or ``dict`` of headline figures (label → value), or an object with ``_repr_html_``
        whose HTML its maker already escaped (:mod:`asn_eval.reporting.roster`).
    level : int
        Heading level (2 for a section).
    bahasa : {"id", "en"}
        How numbers in tables are written (``1.234,5`` or ``1,234.5``).
    """

    title: str
    paragraphs: list[str] = field(default_factory=list)
    blocks: list[object] = field(default_factory=list)
    level: int = 2
    bahasa: str = "id"

    def _repr_html_(self) -> str:
        parts = [_SECTION_STYLE, f"<section class='asn-bagian {_NO_MATH}'><h{self.level}>"]
        parts.append(html.escape(self.title))
        parts.append(f"</h{self.level}>")
        parts += [f"<p>{html.escape(p)}</p>" for p in self.paragraphs]
        for block in self.blocks:
            parts.append(_marked(block, _render_block(block, self.bahasa)))
        parts.append("</section>")
        return "".join(parts)

    def __str__(self) -> str:
        return "\n".join([self.title, *self.paragraphs])


# Text from data is shown as written: JupyterLab and Voilà typeset $…$ in HTML outputs with
# MathJax ($\alpha$ would show as α) except inside these classes (MathJax 2 and 3 names).
_NO_MATH = "tex2jax_ignore mathjax_ignore"

# Numeric columns of a table are right-aligned up to this column.
_MAX_ALIGNED = 24

# The same look in JupyterLab, the HTML report, the PDF and the slides: a few rules, inline.
_SECTION_STYLE = (
    """<style>
.asn-kartu-kartu { display: flex; flex-wrap: wrap; gap: .5rem; margin: .6rem 0; }
.asn-kartu { border: 1px solid #888; border-radius: 4px; padding: .4rem .7rem; min-width: 9rem;
  break-inside: avoid; }
.asn-angka { font-size: 1.35em; font-weight: 600; }
.asn-label { font-size: .85em; color: #333; }
.asn-bagian figure { margin: .5rem 0; }
.asn-bagian img { max-width: 100%; height: auto; }
table.asn-tabel { border-collapse: collapse; font-size: .9em; margin: .4rem 0; }
table.asn-tabel th, table.asn-tabel td { padding: .2rem .5rem; border-bottom: 1px solid #ccc;
  vertical-align: top; }
.asn-bagian table.asn-tabel th, .asn-bagian table.asn-tabel td { text-align: left; }
.asn-catatan { font-style: italic; }
"""
    + "\n".join(  # numbers right-aligned, text left (JupyterLab's own rule aligns all right)
        f".asn-bagian table.asn-k{i} td:nth-child({i}), "
        f".asn-bagian table.asn-k{i} th:nth-child({i}) {{ text-align: right; }}"
        for i in range(1, _MAX_ALIGNED + 1)
    )
    + "</style>"
)


def _marked(block: object, rendered: str) -> str:
    """Wrap one rendered block in an unstyled marker: the slides cut sections at these.

    ``data-asn-jenis`` says what the block is (``gambar``, ``kartu``, ``tabel``, ``catatan`` or
    ``lain``), a table's ``data-asn-baris`` its number of rows, and a figure of rows (horizontal
    bars) ``data-asn-potong`` where it may be cut between rows (:mod:`asn_eval.batch.slides`).
    """
    kind, rows = "lain", ""
    if isinstance(block, Figure):
        kind, cuts = "gambar", _row_cuts(block)
        rows = f" data-asn-potong='{' '.join(f'{c:.4f}' for c in cuts)}'" if cuts else ""
    elif isinstance(block, dict):
        kind = "kartu"
    elif isinstance(block, tuple):
        kind, rows = "tabel", f" data-asn-baris='{len(block[1])}'"
    elif isinstance(block, str):
        kind = "catatan"
    return f"<div class='asn-blok' data-asn-jenis='{kind}'{rows}>{rendered}</div>"


def _row_cuts(figure: Figure) -> list[float]:
    """Return where a figure of labelled rows may be cut between two rows (tall figures on slides).

    Only a figure of one axes whose y axis is categorical (labels set, not numbers) has rows. Each
    cut is midway between two neighbouring rows, as a fraction of the figure's height from its
    top edge. Call it after the figure was drawn (the axes' limits are then final).
    """
    if len(figure.axes) != 1:
        return []
    ax = figure.axes[0]
    if not isinstance(ax.yaxis.get_major_formatter(), FixedFormatter | StrCategoryFormatter):
        return []
    ticks = sorted(ax.get_yticks())
    middles = [(a + b) / 2 for a, b in pairwise(ticks)]
    if not middles:
        return []
    points = ax.transData.transform([(ax.get_xlim()[0], y) for y in middles])
    heights = figure.transFigure.inverted().transform(points)[:, 1]
    return sorted(float(1 - h) for h in heights if 0 < h < 1)


def _render_block(block: object, bahasa: str = "id") -> str:
    if isinstance(block, Figure):
        alt = html.escape(block.axes[0].get_title() if block.axes else "")
        return (
            f"<figure><img alt='{alt}' src='data:image/png;base64,{figures.png_base64(block)}'>"
            "</figure>"
        )
    if isinstance(block, dict):
        cards = "".join(
            f"<div class='asn-kartu'><div class='asn-angka'>{html.escape(str(v))}</div>"
            f"<div class='asn-label'>{html.escape(str(k))}</div></div>"
            for k, v in block.items()
        )
        return f"<div class='asn-kartu-kartu'>{cards}</div>"
    if isinstance(block, tuple):
        caption, frame = block
        # A named column index (a crosstab's "predikat") would be written as an empty column.
        numeric = [
            f"asn-k{position + 1}"
            for position in range(min(frame.shape[1], _MAX_ALIGNED))
            if pd.api.types.is_numeric_dtype(frame.iloc[:, position])
            and not pd.api.types.is_bool_dtype(frame.iloc[:, position])
        ]
        table = (
            formatting.table(frame, bahasa)
            .rename_axis(columns=None)
            .to_html(
                index=False, border=0, na_rep="–", escape=True, classes=["asn-tabel", *numeric]
            )
        )
        head = f"<h4>{html.escape(caption)}</h4>" if caption else ""
        return head + table
    if isinstance(block, str):
        return f"<p class='asn-catatan'>{html.escape(block)}</p>"
    prepared = getattr(block, "_repr_html_", None)
    if prepared is not None:  # a fragment its maker escaped (the roster, the method's matrix)
        return prepared()
    raise TypeError(f"unknown block {type(block).__name__}")


class Document:
    """What the agency report and the city overview share: their language and how a section is made.

    Subclasses set ``bahasa`` (``"id"`` or ``"en"``).
    """

    bahasa: str = "id"

    def _t(self, key: str, **values: object) -> str:
        return text(key, self.bahasa, **values)

    def _section(
        self, title: str, paragraphs: list[str], blocks: list[object] | None = None
    ) -> Section:
        return Section(title, paragraphs, blocks or [], bahasa=self.bahasa)
