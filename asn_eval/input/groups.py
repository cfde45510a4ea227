"""Numbering the rows of a table by a key of several columns, in linear time.

Duplicate keys, daily activity totals and RHK consistency (:mod:`asn_eval.input.validation`)
group tens of millions of rows; the columns' codes are packed into one integer per row and
numbered through a table when their range is small, by one hash pass otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DENSE_SPAN", "first_rows", "row_groups"]


def row_groups(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Give each distinct combination of ``columns`` a number, in order of first appearance.

    The columns' codes are packed into one 64-bit integer per row (compressed whenever the packed
    range would overflow). When the packed range is at most a few times the row count, the groups
    are numbered through a table indexed by the packed value (no hashing); otherwise by one hash
    pass, so grouping a table of tens of millions of rows stays linear.

    Parameters
    ----------
    frame : DataFrame
        The table.
    columns : list of str
        The columns that together form the key; missing values count as a value.

    Returns
    -------
    ndarray of int64
        Group number per row: 0 for the first combination met, 1 for the next new one, ….

    Examples
    --------
    >>> row_groups(pd.DataFrame({"a": [1, 2, 1], "b": ["x", "y", "x"]}), ["a", "b"]).tolist()
    [0, 1, 0]
    """
    key = np.zeros(len(frame), dtype=np.int64)
    span = 1
    for column in columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes, size = values.cat.codes.to_numpy(), len(values.cat.categories)
        else:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            size = len(uniques)
        size += 1  # room for missing (code -1 → 0)
        if span * size >= 2**62:
            key, span = _dense(key, span)
        key *= size
        key += codes  # in place: no temporary per column
        key += 1
        span *= size
    if span > DENSE_SPAN * max(len(key), 1024):
        return pd.factorize(key)[0].astype(np.int64)
    key, span = _dense(key, span)
    first = np.full(span, len(key), dtype=np.int64)
    np.minimum.at(first, key, np.arange(len(key), dtype=np.int64))
    is_first = np.zeros(len(key), dtype=bool)  # every value of the dense key is met: first < n
    is_first[first] = True
    number = (np.cumsum(is_first, dtype=np.int64) - 1)[first]  # rank of each first row, no sort
    return number[key]


DENSE_SPAN = 4
"""A packed key ranging over at most this many values per row is numbered through a table."""


def _dense(key: np.ndarray, span: int) -> tuple[np.ndarray, int]:
    """Renumber packed keys ``0 … span-1`` to ``0 … found-1`` (in key order); return both."""
    if span > DENSE_SPAN * max(len(key), 1024):
        key, found = pd.factorize(key)
        return key.astype(np.int64), len(found)
    seen = np.zeros(span, dtype=bool)
    seen[key] = True
    rank = np.cumsum(seen, dtype=np.int64) - 1
    return rank[key], int(rank[-1] + 1) if span else 0


def first_rows(groups: np.ndarray) -> np.ndarray:
    """Return the row position of each group's first row.

    Parameters
    ----------
    groups : ndarray of int
        Group number per row, numbered in order of first appearance (as :func:`row_groups`).

    Returns
    -------
    ndarray of int64
        Ascending positions, one per group.
    """
    if not len(groups):
        return np.zeros(0, dtype=np.int64)
    before = np.maximum.accumulate(groups)
    new = np.empty(len(groups), dtype=bool)
    new[0] = True
    new[1:] = groups[1:] > before[:-1]
    return np.flatnonzero(new)
