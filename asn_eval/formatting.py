"""How numbers are written in the workbench's sentences and tables: ``1.234,5`` in Indonesian."""

from __future__ import annotations

import pandas as pd

__all__ = ["number", "percent"]


def number(value: float | None, digits: int = 1, bahasa: str = "id", *, sign: bool = False) -> str:
    """Write a number with ``digits`` decimals, grouped, in the language's style.

    Parameters
    ----------
    value : float or None
        The number; missing gives a dash.
    digits : int, default 1
        Decimals.
    bahasa : {"id", "en"}
        ``1.234,5`` (Indonesian) or ``1,234.5``.
    sign : bool, default False
        Always write the sign (``+0,76``).

    Returns
    -------
    str

    Examples
    --------
    >>> number(1234.56), number(0.756, 2, sign=True), number(1234.56, 1, "en"), number(None)
    ('1.234,6', '+0,76', '1,234.6', '–')
    """
    if value is None or pd.isna(value):
        return "–"
    formatted = f"{value:{'+' if sign else ''},.{digits}f}"
    if bahasa == "id":
        formatted = formatted.replace(",", "_").replace(".", ",").replace("_", ".")
    return formatted


def percent(share: float | None, bahasa: str = "id", digits: int = 1) -> str:
    """Write a share (0–1) as a percentage, e.g. ``32,8 %``.

    Parameters
    ----------
    share : float or None
        The share; missing gives a dash.
    bahasa : {"id", "en"}
        Language style.
    digits : int, default 1
        Decimals.

    Returns
    -------
    str

    Examples
    --------
    >>> percent(0.328)
    '32,8 %'
    """
    return "–" if share is None or pd.isna(share) else number(share * 100, digits, bahasa) + " %"
