r"""Figures for reports and the app: seaborn on tidy frames, Indonesian labels, greyscale-safe.

Every function takes a tidy DataFrame and returns a :class:`matplotlib.figure.Figure` made
without pyplot, inside a local style context: drawing a report never changes matplotlib's
global state, and no figure stays open in a kernel afterwards. Colours run light to dark in the
order of the categories (and bars carry hatches where order alone is not enough), so a page
printed in greyscale still reads.

Every text in these figures is drawn exactly as written. Labels come from data (unit names,
service units, OPD codes, a scheme's labels), and matplotlib would read ``$…$`` in them as
mathtext: ``$\alpha$`` drawn as α, and an unknown command (``$\undefinedcmd{x}$``) failing the
whole drawing. Figures are :class:`LiteralFigure`: math parsing is off for every text, also for
texts added or tick labels made after the function returned, whatever the global settings.

Every number drawn is written by :mod:`asn_eval.formatting`, as the tables beside the figures
are: tick labels through :func:`~asn_eval.formatting.tick_formatter` (``20 %``, ``102,5``), a
heatmap's cell values through :func:`~asn_eval.formatting.number` (``4,36``), and an axis that
counts people or indicators has whole-number ticks only (never ``2.5 pegawai``). Each function
takes ``bahasa`` for the number style.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from asn_eval.formatting import number, tick_formatter

__all__ = [
    "LiteralFigure",
    "behaviour_heatmap",
    "distribution_bars",
    "histogram",
    "horizontal_bars",
    "ordered_palette",
    "png_base64",
    "stacked_shares",
]

_LITERAL = {"text.parse_math": False, "text.usetex": False}
"""Texts made under these settings are drawn as written: no mathtext, no LaTeX."""

_STYLE = {
    **_LITERAL,
    **sns.axes_style("whitegrid"),
    **sns.plotting_context("paper", font_scale=1.15),
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "axes.titleweight": "bold",
    "axes.titlesize": 12,
    "legend.frameon": False,
}
_HATCHES = ("", "//", "..", "xx", "\\\\", "oo")


def ordered_palette(n: int) -> list[tuple[float, float, float]]:
    """Return ``n`` colours from dark to light whose greyscale values differ clearly.

    Parameters
    ----------
    n : int
        Number of categories, best first.

    Returns
    -------
    list of RGB tuples
    """
    cmap = sns.color_palette("mako", as_cmap=True)
    return [cmap(x)[:3] for x in np.linspace(0.12, 0.88, n)] if n > 1 else [cmap(0.45)[:3]]


class LiteralFigure(Figure):
    """A figure whose texts are all drawn exactly as written, never as mathtext or LaTeX.

    A :class:`~matplotlib.text.Text` takes ``text.parse_math`` and ``text.usetex`` from the
    settings in force when it is made, and tick labels are made while drawing. So, each time it
    is drawn (``savefig``, a notebook's inline display), this figure turns both off on every text
    it holds, and draws under settings that make new texts literal too: a label added after the
    style context closed, tick labels set later, legends, annotations, seaborn's cell values.
    """

    def draw(self, renderer) -> None:
        """Draw with every text literal (see the class); the settings are restored after."""
        with mpl.rc_context(_LITERAL):
            for text in self.findobj(Text):
                text.set_parse_math(False)
                text.set_usetex(False)
            super().draw(renderer)


def _count_axis(axis, bahasa: str) -> None:
    """Whole-number ticks written as counts (an axis of people or indicators)."""
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(tick_formatter(0, bahasa))


def _figure(width: float, height: float) -> tuple[Figure, object]:
    figure = LiteralFigure(figsize=(width, height))
    return figure, figure.add_subplot()


def _fit(
    figure: Figure, ax, *, top: float = 0.45, right: float = 0.2, bottom: float = 0.0
) -> Figure:
    """Set margins from the labels' lengths (inches), instead of a layout engine.

    A layout engine draws every figure twice to measure it; this is the largest single cost of
    a report, and the labels here are short and known.
    """
    width, height = figure.get_size_inches()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    longest = max((len(t) for t in labels), default=2)
    left = 0.35 + 0.068 * longest + (0.25 if ax.get_ylabel() else 0)
    bottom += 0.5 + (0.2 if ax.get_xlabel() else 0)
    top += 0.05 if ax.get_title() else -0.25
    figure.subplots_adjust(
        left=min(left / width, 0.6),
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
    )
    return figure


def png_base64(figure: Figure) -> str:
    """Render a figure to PNG and return it base64-encoded.

    Parameters
    ----------
    figure : Figure
        The figure.

    Returns
    -------
    str
        Base64 text of the PNG, for a ``data:image/png;base64,`` address.
    """
    buffer = io.BytesIO()
    with mpl.rc_context(_STYLE):
        figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def distribution_bars(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str,
    order: Sequence[str],
    limits: pd.DataFrame | None = None,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    bahasa: str = "id",
) -> Figure:
    """Draw grouped bars of shares per category, with curve limits as markers.

    Parameters
    ----------
    data : DataFrame
        Tidy: one row per category (``x``) and series (``hue``) with a share in ``y`` (0–1).
    x, y, hue : str
        Column names.
    order : sequence of str
        Categories in display order (best first).
    limits : DataFrame, optional
        Columns ``predikat``, ``batas`` (0–1) and ``jenis`` (``maks`` or ``min``).
    title, xlabel, ylabel : str
        Labels (already translated).
    bahasa : {"id", "en"}
        Number style of the ticks.

    Returns
    -------
    Figure
    """
    with mpl.rc_context(_STYLE):
        figure, ax = _figure(7.5, 3.4)
        series = list(dict.fromkeys(data[hue]))
        # Plain grouped bars (pre-aggregated data: seaborn's estimator machinery is not needed
        # and costs most of the figure's time in an interactive app).
        width = 0.8 / len(series)
        positions = np.arange(len(order))
        for i, (name, colour, hatch) in enumerate(
            zip(series, ordered_palette(len(series)), _HATCHES, strict=False)
        ):
            part = data[data[hue] == name].set_index(x)[y].reindex(list(order))
            ax.bar(
                positions + (i - (len(series) - 1) / 2) * width,
                part.fillna(0).to_numpy(),
                width=width,
                color=colour,
                hatch=hatch,
                edgecolor="black",
                linewidth=0.6,
                label=name,
            )
        ax.set_xticks(positions, list(order))
        if limits is not None and len(limits):
            positions = {label: i for i, label in enumerate(order)}
            for kind, marker in (("maks", "v"), ("min", "^")):
                part = limits[limits["jenis"] == kind]
                if len(part):
                    ax.scatter(
                        [positions[p] for p in part["predikat"]],
                        part["batas"],
                        marker=marker,
                        s=90,
                        color="black",
                        zorder=5,
                        label=part["label"].iloc[0],
                    )
        ax.set_ylim(0, 1.05)
        ax.yaxis.set_major_formatter(tick_formatter(0, bahasa, share=True))
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
        ax.tick_params(axis="x", labelsize=9)
        ax.legend(loc="upper right", fontsize=8)
    return _fit(figure, ax)


def stacked_shares(
    data: pd.DataFrame,
    *,
    order: Sequence[str],
    title: str = "",
    xlabel: str = "",
    bahasa: str = "id",
) -> Figure:
    """Horizontal stacked bars: one row per group, segments per category (best first).

    Parameters
    ----------
    data : DataFrame
        Wide: index the groups, one column per category with counts.
    order : sequence of str
        Category columns in order, best first.
    title, xlabel : str
        Labels.
    bahasa : {"id", "en"}
        Number style of the ticks.

    Returns
    -------
    Figure
    """
    shares = data[list(order)].div(data[list(order)].sum(axis=1).replace(0, np.nan), axis=0)
    shares = shares.fillna(0)
    with mpl.rc_context(_STYLE):
        figure, ax = _figure(7.5, 1.7 + 0.3 * len(shares))
        left = np.zeros(len(shares))
        labels = [str(i) for i in shares.index]
        for column, colour, hatch in zip(
            order, ordered_palette(len(order)), _HATCHES, strict=False
        ):
            values = shares[column].to_numpy()
            ax.barh(
                labels,
                values,
                left=left,
                color=colour,
                hatch=hatch,
                edgecolor="black",
                linewidth=0.5,
                label=column,
            )
            left += values
        ax.set_ylim(len(shares) - 0.5, -0.5)  # first group on top, no padding
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(tick_formatter(0, bahasa, share=True))
        ax.set(title=title, xlabel=xlabel, ylabel="")
        ax.tick_params(axis="y", labelsize=8)
        figure.legend(loc="lower center", ncols=len(order), fontsize=7, frameon=False)
    return _fit(figure, ax, bottom=0.3, right=0.35)


def behaviour_heatmap(
    data: pd.DataFrame,
    *,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    bahasa: str = "id",
    scale_label: str = "skor 1–5",
) -> Figure:
    """Heatmap of mean behaviour scores: core values × rater roles, values written in cells.

    Parameters
    ----------
    data : DataFrame
        Wide: index the core values, one column per rater role, scores 1–5 (NaN allowed).
    title, xlabel, ylabel : str
        Labels.
    bahasa : {"id", "en"}
        Number style of the cell values and the colour bar (``4,36`` as in the table beside).
    scale_label : str
        Label of the colour bar.

    Returns
    -------
    Figure
    """
    values = data.astype(float)
    written = np.array(
        [[number(v, 2, bahasa) if pd.notna(v) else "" for v in row] for row in values.to_numpy()],
        dtype=object,
    )
    with mpl.rc_context(_STYLE):
        figure, ax = _figure(7.0, 3.6)
        sns.heatmap(
            values,
            vmin=1,
            vmax=5,
            cmap="Greys",
            annot=written,
            fmt="",
            linewidths=0.5,
            linecolor="white",
            cbar_kws={"label": scale_label, "format": tick_formatter(None, bahasa)},
            ax=ax,
        )
        # seaborn writes the cells of known values in order; dark cells get white text
        dark = iter(v >= 3.2 for v in values.to_numpy().ravel() if pd.notna(v))
        for text in ax.texts:
            text.set_color("white" if next(dark, False) else "black")
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return _fit(figure, ax, right=0.2)


def histogram(
    data: pd.DataFrame,
    *,
    x: str,
    bins: int | Sequence[float] = 20,
    reference: float | None = None,
    reference_label: str = "",
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    bahasa: str = "id",
) -> Figure:
    """Histogram of one numeric column (counts on the y axis), with an optional reference line.

    Parameters
    ----------
    data : DataFrame
        Tidy.
    x : str
        Column.
    bins : int or sequence
        Bins.
    reference : float, optional
        Where to draw a dashed line (e.g. a target).
    reference_label, title, xlabel, ylabel : str
        Labels.
    bahasa : {"id", "en"}
        Number style of the ticks; the counts get whole-number ticks.

    Returns
    -------
    Figure
    """
    with mpl.rc_context(_STYLE):
        figure, ax = _figure(7.0, 3.0)
        sns.histplot(data=data, x=x, bins=bins, color="0.45", edgecolor="black", ax=ax)
        if reference is not None:
            ax.axvline(reference, color="black", linestyle="--", label=reference_label)
            if reference_label:
                ax.legend(loc="upper left", fontsize=8)
        ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
        ax.xaxis.set_major_formatter(tick_formatter(None, bahasa))
        _count_axis(ax.yaxis, bahasa)
    return _fit(figure, ax)


def horizontal_bars(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None = None,
    hue_order: Sequence[str] | None = None,
    references: Sequence[tuple[float, str]] = (),
    percent: bool = False,
    title: str = "",
    xlabel: str = "",
    xlim: tuple[float, float] | None = None,
    bahasa: str = "id",
) -> Figure:
    """Horizontal bars, exactly one per row, optionally shaded by an ordered category.

    Each row is drawn as it is: rows are never averaged together (two rows with the same label
    are two bars) and no error bar is estimated, so the same data always draws the same figure.
    Give rows labels that tell them apart.

    Parameters
    ----------
    data : DataFrame
        Tidy, already sorted in display order (the first row on top).
    x, y : str
        Value and label columns.
    hue : str, optional
        An ordered category for the shading (e.g. a grade).
    hue_order : sequence of str, optional
        Its order, best first; every level is in the legend.
    references : sequence of (float, str)
        Dashed reference lines with labels.
    percent : bool
        Format the axis as a percentage of 1.
    title, xlabel : str
        Labels.
    xlim : tuple, optional
        Axis limits.
    bahasa : {"id", "en"}
        Number style of the ticks.

    Returns
    -------
    Figure
    """
    with mpl.rc_context(_STYLE):
        figure, ax = _figure(7.5, 1.5 + 0.3 * len(data))
        positions = np.arange(len(data))
        values = pd.to_numeric(data[x]).to_numpy(dtype="float64")
        edges = {"edgecolor": "black", "linewidth": 0.5}
        keys: list[Patch] = []
        if hue is not None:
            levels = data[hue].astype("str")
            order = list(hue_order) if hue_order is not None else sorted(levels.unique())
            palette = dict(zip(order, ordered_palette(len(order)), strict=True))
            ax.barh(positions, values, height=0.8, color=[palette[v] for v in levels], **edges)
            keys = [Patch(facecolor=palette[level], label=level, **edges) for level in order]
        else:
            ax.barh(positions, values, height=0.8, color="0.55", **edges)
        ax.set_yticks(positions, data[y].astype("str").tolist())
        ax.set_ylim(len(data) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        for (value, label), style in zip(references, ("--", ":", "-."), strict=False):
            ax.axvline(value, color="black", linestyle=style, linewidth=1.2, label=label)
        ax.xaxis.set_major_formatter(
            tick_formatter(0, bahasa, share=True) if percent else tick_formatter(None, bahasa)
        )
        if xlim is not None:
            ax.set_xlim(*xlim)
        ax.set(title=title, xlabel=xlabel, ylabel="")
        ax.tick_params(axis="y", labelsize=8)
        lines, _ = ax.get_legend_handles_labels()
        keys = [*keys, *lines]  # every level of the shading, drawn or not, then the lines
        if keys:  # below the bars, where it hides neither a bar nor a line
            figure.legend(
                handles=keys, loc="lower center", ncols=len(keys), fontsize=7, frameon=False
            )
    return _fit(figure, ax, bottom=0.2 if keys else 0.0)
