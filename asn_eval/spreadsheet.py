"""Every Excel workbook the package writes is opened here, with text kept as text.

A workbook leaves the office (e-mailed to an agency, opened on a shared PC), and its cells hold
text typed by hundreds of people: names, unit names, RHK, feedback. xlsxwriter's defaults turn a
text that starts with ``=`` into a live formula (``=HYPERLINK(…)``, a DDE ``=cmd|…``) and one
that looks like an address into a link. Here both are off, so a cell that came from data is
always a text cell that shows exactly what was typed, whatever it starts with (``=``, ``+``,
``-``, ``@``, a tab or a carriage return). Numbers stay numbers; nothing is rewritten or
prefixed. ``tests/test_spreadsheet.py`` opens every workbook the package writes and checks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import xlsxwriter

__all__ = ["TEXT_AS_TEXT", "excel_writer", "new_workbook"]

TEXT_AS_TEXT: dict[str, bool] = {
    "strings_to_formulas": False,  # "=…" is text, never a formula (formula injection)
    "strings_to_urls": False,  # "http://…" is text, never a link
    "strings_to_numbers": False,  # "007" is the text typed, not the number 7
}
"""xlsxwriter options under which a Python ``str`` is always written as a text cell."""


def excel_writer(path: str | os.PathLike[str], **options: Any) -> pd.ExcelWriter:
    """Return a pandas ``ExcelWriter`` (xlsxwriter) that writes every ``str`` as text.

    Parameters
    ----------
    path : str or path
        The ``.xlsx`` file to write (callers stage it, see :mod:`asn_eval.atomic`).
    **options
        Further xlsxwriter workbook options (e.g. ``constant_memory``); the text options of
        :data:`TEXT_AS_TEXT` cannot be overridden.

    Returns
    -------
    pandas.ExcelWriter
        Use as a context manager; ``writer.book`` is the xlsxwriter workbook.
    """
    import pandas as pd

    return pd.ExcelWriter(
        Path(path), engine="xlsxwriter", engine_kwargs={"options": {**options, **TEXT_AS_TEXT}}
    )


def new_workbook(path: str | os.PathLike[str], **options: Any) -> xlsxwriter.Workbook:
    """Return an xlsxwriter ``Workbook`` that writes every ``str`` as text.

    Parameters
    ----------
    path : str or path
        The ``.xlsx`` file to write.
    **options
        Further xlsxwriter workbook options; the options of :data:`TEXT_AS_TEXT` always apply.

    Returns
    -------
    xlsxwriter.Workbook
        Use as a context manager.
    """
    import xlsxwriter

    return xlsxwriter.Workbook(str(Path(path)), {**options, **TEXT_AS_TEXT})
