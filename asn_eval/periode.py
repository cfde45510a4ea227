"""Evaluation periods: quarters (``2025-TW1`` … ``2025-TW4``) and years (``2025``)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "available_periode",
    "parse_periode",
    "periode_bounds",
    "periode_dtype",
    "periode_mask",
    "select_periode",
    "sort_periode",
]

_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
_PATTERN = re.compile(r"^(\d{4})(?:[-/ ]*(?:TW|Q|TRIWULAN)[-/ ]*([1-4]|IV|III|II|I))?$")
_REVERSED = re.compile(r"^(?:TW|Q|TRIWULAN)[-/ ]*([1-4]|IV|III|II|I)[-/ ]*(\d{4})$")


def parse_periode(text: object) -> str | None:
    """Return the canonical form of a period, or None when ``text`` is not a period.

    Parameters
    ----------
    text : object
        A period as written: ``"2025-TW1"``, ``"2025 tw I"``, ``"TW1-2025"``, ``"2025"``.

    Returns
    -------
    str or None
        ``"2025-TW1"`` … ``"2025-TW4"`` or ``"2025"``.

    Examples
    --------
    >>> parse_periode("2025 tw iv"), parse_periode(2025), parse_periode("2025-13")
    ('2025-TW4', '2025', None)
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    clean = str(text).strip().upper()
    match = _PATTERN.match(clean)
    if match:
        year, quarter = match.groups()
    else:
        match = _REVERSED.match(clean)
        if not match:
            return None
        quarter, year = match.groups()
    if not 1900 <= int(year) <= 2100:
        return None
    if quarter is None:
        return year
    return f"{year}-TW{_ROMAN.get(quarter, quarter)}"


def _sort_key(periode: str) -> tuple[int, int]:
    year, _, quarter = periode.partition("-TW")
    return int(year), int(quarter) if quarter else 5


def sort_periode(periodes: Iterable[str]) -> list[str]:
    """Sort periods in time order, each year after its four quarters.

    Parameters
    ----------
    periodes : iterable of str
        Canonical periods.

    Returns
    -------
    list of str
        Unique periods, oldest first.

    Examples
    --------
    >>> sort_periode(["2025", "2025-TW2", "2024", "2025-TW1"])
    ['2024', '2025-TW1', '2025-TW2', '2025']
    """
    return sorted(set(periodes), key=_sort_key)


def periode_dtype(periodes: Iterable[str]) -> pd.CategoricalDtype:
    """Return an ordered categorical dtype over the given periods, in time order.

    Parameters
    ----------
    periodes : iterable of str
        Canonical periods.

    Returns
    -------
    CategoricalDtype
        Ordered dtype whose categories are the sorted periods.
    """
    return pd.CategoricalDtype(sort_periode(periodes), ordered=True)


def periode_bounds(periode: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of a period.

    Parameters
    ----------
    periode : str
        A canonical period.

    Returns
    -------
    tuple of Timestamp
        Inclusive start and end dates.

    Examples
    --------
    >>> [d.date().isoformat() for d in periode_bounds("2025-TW2")]
    ['2025-04-01', '2025-06-30']
    """
    year, quarter = _sort_key(periode)
    if quarter == 5:
        return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    start = pd.Timestamp(year, 3 * quarter - 2, 1)
    return start, start + pd.offsets.QuarterEnd(0)


def periode_mask(frame: pd.DataFrame, periode: str) -> np.ndarray:
    """Which rows of ``frame`` belong to a period; a year without rows takes its quarters.

    Parameters
    ----------
    frame : DataFrame
        A table with a ``periode`` column.
    periode : str
        A period, e.g. ``"2025-TW1"`` or ``"2025"``.

    Returns
    -------
    ndarray of bool
        True for the period's rows.

    Examples
    --------
    >>> frame = pd.DataFrame({"periode": ["2025-TW1", "2025-TW2"]})
    >>> periode_mask(frame, "2025").tolist(), periode_mask(frame, "2025-TW2").tolist()
    ([True, True], [False, True])
    """
    canonical = parse_periode(periode) or periode
    mask = (frame["periode"] == canonical).to_numpy(dtype=bool, na_value=False)
    if mask.any() or "-TW" in canonical:
        return mask
    quarters = [f"{canonical}-TW{q}" for q in range(1, 5)]
    return frame["periode"].isin(quarters).to_numpy(dtype=bool)


def select_periode(frame: pd.DataFrame, periode: str) -> pd.DataFrame:
    """Rows of ``frame`` for one period; a year falls back to its quarters when it has no rows.

    Parameters
    ----------
    frame : DataFrame
        A table with a ``periode`` column.
    periode : str
        A period, e.g. ``"2025-TW1"`` or ``"2025"``.

    Returns
    -------
    DataFrame
        The matching rows: ``frame`` itself when every row matches, else a copy.
    """
    mask = periode_mask(frame, periode)
    return frame if mask.all() else frame[mask]


def available_periode(periode: str, available: Iterable[str]) -> str:
    """Check that a period asked for is in the data, and return its canonical form.

    Parameters
    ----------
    periode : str
        As the user wrote it.
    available : iterable of str
        The data's periods (:attr:`asn_eval.Dataset.periodes`); a year is available when any
        of its quarters is.

    Returns
    -------
    str
        The canonical period.

    Raises
    ------
    UsageError
        When it cannot be read or the data has nothing for it (the message lists what there is).

    Examples
    --------
    >>> available_periode("2025 TW I", ["2025-TW1", "2025-TW2"])
    '2025-TW1'
    >>> available_periode("2025", ["2025-TW1"])
    '2025'
    """
    from asn_eval.problems import UsageError

    available = list(available)
    canonical = parse_periode(periode)
    years = {p.split("-")[0] for p in available}
    if canonical is None or (canonical not in available and canonical not in years):
        raise UsageError(
            f"periode '{periode}' tidak ada di data; yang ada: {', '.join(available) or '-'}"
        )
    return canonical
