"""How the review app writes its own sections and tables as HTML (shared by its panels).

A table keeps the package's column names in its frame (filters, sorting, masking and saving use
them) and is shown under the headers evaluators say (:func:`asn_eval.columns.column`, the
workbooks' headers). Text from data is escaped by :class:`~asn_eval.reporting.sections.Section`.
"""

from __future__ import annotations

import pandas as pd

from asn_eval.columns import column
from asn_eval.reporting.sections import Section

__all__ = ["COLUMN_RULES", "NO_BREAK_HYPHEN", "predikat_text", "section_html", "table_html"]

NO_BREAK_HYPHEN = "\u2011"
"""Written for a header's hyphen so that the header does not break there."""

COLUMN_RULES = 16
"""Columns of an app table that a rule of one column (a least width) can reach."""


def section_html(section: Section | None) -> str:
    """Return a section as HTML (nothing for None).

    Parameters
    ----------
    section : Section or None

    Returns
    -------
    str
    """
    return section._repr_html_() if section is not None else ""


def table_html(caption: str, frame: pd.DataFrame, sheet: str | None = None) -> str:
    """Return one of the app's own tables as HTML, under the headers evaluators say.

    The frame keeps the package's column names (filters, sorting, masking and saving use them);
    only what is shown is renamed, from the one column table (:func:`asn_eval.columns.column`,
    the workbooks' headers). A column of long text (kind ``uraian``: notes, reasons, feedback)
    is never squeezed to a word a line; the table scrolls sideways when the screen is too
    narrow. Cells keep their hyphens as typed (a pseudonym, kept on one line by
    :meth:`~asn_eval.anonymity.Masking.markup`, is copied and searched as shown); only
    headers get :data:`NO_BREAK_HYPHEN`.

    Parameters
    ----------
    caption : str
        Written above the table (nothing when empty).
    frame : DataFrame
        Columns named as in the package's tables.
    sheet : str, optional
        Whose ``sheet:name`` rows of :data:`asn_eval.columns.COLUMNS` apply (``indikator``,
        ``keberatan``).

    Returns
    -------
    str
        The table inside a ``div`` whose classes (``asn-lebar-N``) carry the per-column rules of
        the app's style sheet (:data:`COLUMN_RULES` of them).
    """
    specs = [column(str(name), sheet) for name in frame.columns]
    rules = ["asn-app-tabel"]
    for position, spec in enumerate(specs[:COLUMN_RULES], start=1):
        if spec.kind == "uraian":
            rules.append(f"asn-lebar-{position}")
    # A header breaks between its words, not after a hyphen ("Capaian rata-" / "rata").
    shown = frame.set_axis([spec.header.replace("-", NO_BREAK_HYPHEN) for spec in specs], axis=1)
    section = Section(caption, [], [("", shown)], level=4)
    return f"<div class='{' '.join(rules)}'>{section._repr_html_()}</div>"


def predikat_text(value: object) -> str:
    """Write a predikat as a sentence or a list shows it (never ``<NA>``, ``None`` or blank).

    Parameters
    ----------
    value : str or missing

    Returns
    -------
    str
        The predikat, or ``tanpa predikat``.

    Examples
    --------
    >>> predikat_text("Baik"), predikat_text(None)
    ('Baik', 'tanpa predikat')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip():
        return "tanpa predikat"
    return str(value)
