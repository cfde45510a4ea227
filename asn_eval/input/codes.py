"""Categorical codes: their width, gathers through small tables, recoding to a shared dtype.

A loaded table keeps its text as categoricals: tens of millions of rows as one small integer each.
Reading, checking and sharing dtypes between tables work on those codes, never on the text of
every row: a value's code is looked up in a table as long as the categories (code -1, missing,
picks the table's last entry), block by block.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from asn_eval.input.groups import BLOCK_ROWS

__all__ = ["code_width", "codes_in", "each_value", "gather", "recode", "writable_codes"]


def code_width(size: int) -> np.dtype:
    """Return the width pandas gives the codes of a categorical of ``size`` categories.

    Parameters
    ----------
    size : int
        How many categories.

    Returns
    -------
    numpy.dtype
        int8, int16 or int32 (pandas' ``coerce_indexer_dtype``).

    Examples
    --------
    >>> [str(code_width(n)) for n in (126, 127, 40_000)]
    ['int8', 'int16', 'int32']
    """
    return np.dtype(np.int8 if size < 127 else np.int16 if size < 32_767 else np.int32)


def gather(table: np.ndarray, codes: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Return ``table[codes]``: each code's entry of a small table, code -1 its last entry.

    Parameters
    ----------
    table : ndarray, shape (k + 1,)
        One entry per category, then the entry of a missing value.
    codes : ndarray of int, shape (n,)
        Codes from -1 to k - 1.
    out : ndarray, shape (n,), optional
        Where to write (``codes`` itself too: each block's codes are read first).

    Returns
    -------
    ndarray, shape (n,), of ``table``'s dtype

    Notes
    -----
    ``np.take`` block by block (:data:`~asn_eval.input.groups.BLOCK_ROWS`): twice as fast as
    ``table[codes]`` and with no index as long as the column (both make a 64-bit index of the
    codes). Mode "wrap" takes -1 as the last entry; "raise" would copy, 2-4 x slower.

    Examples
    --------
    >>> gather(np.array([10, 20, -1]), np.array([1, -1, 0], dtype=np.int8)).tolist()
    [20, -1, 10]
    """
    if out is None:
        out = np.empty(len(codes), dtype=table.dtype)
    for start in range(0, len(codes), BLOCK_ROWS):
        block = slice(start, start + BLOCK_ROWS)
        np.take(table, codes[block], out=out[block], mode="wrap")
    return out


def each_value(values: pd.Series, test: Callable[[pd.Index], np.ndarray]) -> np.ndarray:
    """Run a test once per distinct value of a column and spread its answer to the rows.

    Parameters
    ----------
    values : Series
        A column; a categorical is tested on its categories, any other on its distinct values.
    test : callable
        Takes an Index of distinct values (none missing), returns one bool per value.

    Returns
    -------
    ndarray of bool, shape (n,)
        The answer for each row's value; False where the value is missing.

    Examples
    --------
    >>> column = pd.Series(["III/a", "III", None, "III"], dtype="category")
    >>> each_value(column, lambda v: v.str.fullmatch("[IVX]+")).tolist()
    [False, True, False, True]
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, distinct = values.array.codes, values.cat.categories
    else:
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
    answers = np.asarray(test(pd.Index(distinct)), dtype=bool)
    return gather(np.append(answers, False), codes)


def writable_codes(codes: np.ndarray) -> np.ndarray:
    """Return ``.codes`` (a read-only view) writable again: a user may set a kept cell."""
    view = codes.view()
    try:
        view.flags.writeable = True
    except ValueError:
        return codes.copy()
    return view


def codes_in(values: pd.Series, index: pd.Index, dtype: type = np.intp) -> np.ndarray:
    """Position of each (categorical) value in ``index``; -1 where missing or absent.

    Gathered as ``dtype`` (e.g. a categorical's own code width: an eighth of the memory of
    ``intp`` for a column of tens of millions of rows); ``index`` must fit it.
    """
    mapping = index.get_indexer(values.cat.categories.astype("str"))
    return gather(np.append(mapping, -1).astype(dtype), values.array.codes)  # -1: the last


def recode(values: pd.Series, dtype: pd.CategoricalDtype, *, own: bool = True) -> pd.Series:
    """Give a column exactly ``dtype``, codes following its categories' order.

    pandas treats two unordered categorical dtypes with the same categories in another order as
    equal, so ``astype`` may keep the old codes; code that joins tables on ``.cat.codes`` needs the
    codes to mean the same category in every table.

    Parameters
    ----------
    values : Series
        A column (categorical or not).
    dtype : CategoricalDtype
        The dtype to give it.
    own : bool, default True
        False: when ``values`` has the categories already, the result may share its codes (for a
        column that replaces ``values``, which is not used after).

    Returns
    -------
    Series
        Same values and index; values outside the categories become missing.

    Examples
    --------
    >>> column = recode(pd.Series(["b", "a"], dtype="category"), pd.CategoricalDtype(["a", "b"]))
    >>> column.cat.codes.tolist()
    [1, 0]
    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    if values.cat.categories.equals(dtype.categories):
        codes = values.array.codes.copy() if own else writable_codes(values.array.codes)  # shared
    else:
        codes = codes_in(values, dtype.categories, code_width(len(dtype.categories)))
    categorical = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)  # valid by making
    return pd.Series(categorical, index=values.index, copy=False)
