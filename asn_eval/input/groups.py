"""Numbering the rows of a table by a key of several columns, in linear time.

Duplicate keys, daily activity totals and RHK consistency (:mod:`asn_eval.input.validation`)
group tens of millions of rows; the columns' codes are packed into one integer per row and
numbered without hashing where the packed keys allow it: in one pass when they never decrease (a
table written in key order, as exports are), through a table when their range is small, by a
stable sort when they are nearly in order, and by one hash pass otherwise. Where only a yes or
no is asked (does a key repeat?) or rows come sorted by the key (:func:`key_runs`), the rows are
compared with their neighbours instead of being numbered.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

__all__ = [
    "BLOCK_ROWS",
    "DENSE_SPAN",
    "codes_met",
    "first_come_in_order",
    "first_rows",
    "flagged",
    "has_repeats",
    "key_runs",
    "non_decreasing",
    "row_groups",
    "run_dictionaries",
    "run_totals",
    "runs",
]


def row_groups(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Give each distinct combination of ``columns`` a number, in order of first appearance.

    The columns' codes are packed into one 64-bit integer per row (compressed whenever the packed
    range would overflow). Packed keys that never decrease are numbered in one pass; when their
    range is at most a few times the row count, through a table indexed by the packed value; when
    they are nearly in order, by a stable sort; otherwise by one hash pass, so grouping a table of
    tens of millions of rows stays linear and hashes only when nothing cheaper applies.

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
    return _numbers(*_packed(frame, columns))


def _packed(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, int]:
    """Pack the codes of ``columns`` into one integer per row; return the keys and their span.

    Each column's codes count from 0 (code -1, missing, as 0): the 1 added to every code is
    added once, to the packed keys, at the end (or before they are compressed).
    """
    key: np.ndarray | None = None
    span, shift = 1, 0  # shift: what adding 1 to each column's codes adds to the keys
    for column in columns:
        codes, size = _codes(frame[column])
        size += 1  # room for missing (code -1 → 0)
        if key is None:
            key = codes.astype(np.int64)  # a copy: the keys are this function's own
        else:
            if span * size >= 2**62:
                key += shift
                key, span = _dense(key, span)
                shift = 0
            key *= size
            key += codes  # in place: no temporary per column
        shift = shift * size + 1
        span *= size
    if key is None:
        return np.zeros(len(frame), dtype=np.int64), span
    key += shift
    return key, span


def has_repeats(frame: pd.DataFrame, columns: list[str]) -> bool:
    """Tell whether two rows share the same combination of ``columns`` (missing counts as a value).

    Rows that come sorted by the key (in some order of its columns) are compared with their
    neighbours; other tables are packed as :func:`row_groups` packs them and sorted (a stable sort,
    nearly linear on the runs of a table written in another key's order), then compared with their
    neighbours: no numbering of the rows is needed to say that every key is unique.

    Parameters
    ----------
    frame : DataFrame
        The table.
    columns : list of str
        The columns that together form the key.

    Returns
    -------
    bool
        True when some combination appears on more than one row.

    Examples
    --------
    >>> has_repeats(pd.DataFrame({"a": [1, 2, 1], "b": ["x", "y", "x"]}), ["a", "b"])
    True
    """
    if len(frame) < 2:
        return False
    arrays = {column: _comparable(frame[column]) for column in columns}
    descents = {c: math.inf if a is None else _count_descents(a) for c, a in arrays.items()}
    if all(array is not None for array in arrays.values()):  # sorted by the key: as key_runs
        keyed = [arrays[c] for c in columns], [descents[c] for c in columns]
        same = _same_as_previous(*keyed, len(frame))
        if same is not None:
            return bool(same.any())
    # packed with the columns that descend least first (the table's own order, mostly), the keys
    # come in long ascending runs, which the stable sort merges in nearly one pass
    order = sorted(columns, key=descents.__getitem__)
    lead = arrays[order[0]] if descents[order[0]] == 0 else None
    for start, end in _blocks(lead, len(frame)):
        ordered = _packed(frame.iloc[start:end], order)[0]
        ordered.sort(kind="stable")  # in place: the packed keys are this function's own
        if (ordered[1:] == ordered[:-1]).any():
            return True
    return False


def _neighbours(n: int) -> Iterator[tuple[slice, slice]]:
    """Yield, block by block, the rows of ``n`` that have a row before them, and those rows.

    Each pair of slices is about :data:`BLOCK_ROWS` long: ``after`` is ``before`` moved down one
    row, so comparing ``values[after]`` with ``values[before]`` compares each row with the one
    before it, without a temporary as long as the table.
    """
    for start in range(0, max(n - 1, 0), BLOCK_ROWS):
        stop = min(start + BLOCK_ROWS, n - 1)
        yield slice(start, stop), slice(start + 1, stop + 1)


def _count_descents(array: np.ndarray) -> int:
    """Count the rows below the row before."""
    return sum(
        int(np.count_nonzero(array[after] < array[before]))
        for before, after in _neighbours(len(array))
    )


BLOCK_ROWS = 1 << 18
"""Rows per block of a step over a whole table: its temporaries stay small, and are reused."""


def flagged(n: int, test: Callable[[slice], np.ndarray]) -> np.ndarray | None:
    """Mark the rows ``test`` holds for, block by block: temporaries stay small.

    Parameters
    ----------
    n : int
        Rows of the table.
    test : callable
        Given a block of rows (a slice, about :data:`BLOCK_ROWS` long), a boolean array with one
        value per row of the block.

    Returns
    -------
    ndarray of bool, shape (n,), or None
        None where no row holds: no mask as long as the table is made, nor read to learn that it
        marks nothing (each page of fresh memory read costs a fault).

    Examples
    --------
    >>> values = np.arange(10)
    >>> np.flatnonzero(flagged(10, lambda part: values[part] % 4 == 1)).tolist()
    [1, 5, 9]
    >>> flagged(10, lambda part: values[part] > 10) is None
    True
    """
    mask = None
    for start in range(0, n, BLOCK_ROWS):
        part = slice(start, min(start + BLOCK_ROWS, n))
        if (found := test(part)).any():
            if mask is None:
                mask = np.zeros(n, dtype=bool)  # untouched memory, until a block holds a row
            mask[part] = found
    return mask


def first_come_in_order(codes: np.ndarray) -> int | None:
    """Return the largest code when codes first come in the order 0, 1, 2, … (else None).

    Parameters
    ----------
    codes : ndarray of int, shape (n,)
        A categorical's codes, -1 where missing.

    Returns
    -------
    int or None
        The largest code (-1 when every row is missing), or None.

    Notes
    -----
    Then every code up to it is met, in that order: as a Parquet writer numbers a dictionary,
    each value where it first comes. Each row's code is at most one above the largest before it;
    looked at block by block, with no hashing (missing, -1, is never above).

    Examples
    --------
    >>> first_come_in_order(np.array([0, 0, 1, -1, 0, 2, 1], dtype=np.int8))
    2
    >>> first_come_in_order(np.array([0, 2, 1], dtype=np.int8)) is None
    True
    """
    top = -1
    for start in range(0, len(codes), BLOCK_ROWS):
        block = codes[start : start + BLOCK_ROWS]
        running = np.maximum.accumulate(block)
        np.maximum(running, top, out=running)  # the largest code so far, this block's first row on
        if block[0] > top + 1 or (block[1:] > running[:-1] + 1).any():  # codes < 2**31 - 1
            return None
        top = int(running[-1])
    return top


def non_decreasing(values: np.ndarray) -> bool:
    """Tell whether no value is below the one before, looking block by block (stops at the first).

    Parameters
    ----------
    values : ndarray, shape (n,)

    Returns
    -------
    bool

    Examples
    --------
    >>> non_decreasing(np.array([1, 1, 3])), non_decreasing(np.array([1, 3, 2]))
    (True, False)
    """
    return not any(
        (values[after] < values[before]).any() for before, after in _neighbours(len(values))
    )


def codes_met(codes: np.ndarray, size: int) -> np.ndarray:
    """Return the codes (0 … size-1) found in ``codes``, in the order of their first rows.

    Parameters
    ----------
    codes : ndarray of int, shape (n,)
        A categorical's codes, -1 where missing.
    size : int
        How many categories it has.

    Returns
    -------
    ndarray of int
        Each code met once, as ``pd.unique`` gives them without the -1.

    Examples
    --------
    >>> codes_met(np.array([2, -1, 0, 2], dtype=np.int8), 3).tolist()
    [2, 0]
    """
    met = pd.unique(codes[: 1 << 16])  # the first rows hold every category of most columns
    if len(met) - (met < 0).any() < size and len(codes) > 1 << 16:
        if (top := first_come_in_order(codes)) is not None:  # a Parquet file's dictionary
            return np.arange(top + 1, dtype=codes.dtype)
        if non_decreasing(codes):  # rows in code order (NIPs of a table sorted by NIP)
            met = codes[np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))]
        elif size - np.count_nonzero(met >= 0) <= FEW_LATE:
            met = _met_late(codes, size, met)
        else:
            met = _met_until_all(codes, size, met)
    return met[met >= 0]


FEW_LATE = 4
"""Codes not met in the first rows that are each sought on their own (:func:`codes_met`)."""


def _met_late(codes: np.ndarray, size: int, met: np.ndarray) -> np.ndarray:
    """Find each code the first rows did not hold where it first comes, block by block.

    A comparison per row and code, no hashing: a label met late or never (an unused category,
    or a column almost all empty) costs a few passes that stop at its first row.
    """
    seen = np.zeros(size + 1, dtype=bool)  # the last slot: code -1
    seen[met] = True
    found = []
    for code in np.flatnonzero(~seen[:size]):
        for start in range(1 << 16, len(codes), BLOCK_ROWS):
            if (hits := codes[start : start + BLOCK_ROWS] == code).any():
                found.append((start + int(np.argmax(hits)), code))
                break
    late = np.array([code for _, code in sorted(found)], dtype=met.dtype)
    return np.concatenate([met, late])


def _met_until_all(codes: np.ndarray, size: int, met: np.ndarray) -> np.ndarray:
    """Go on from the codes ``met`` in the first rows, block by block, until every code is met.

    A hash table of at most ``size`` codes per block (as ``pd.unique`` of the whole column, in
    the same order); the rows after the block where the last code is first met are not read.
    """
    seen = np.zeros(size + 1, dtype=bool)  # the last slot: code -1
    seen[met] = True
    parts, left = [met], size - int(np.count_nonzero(met >= 0))
    for start in range(1 << 16, len(codes), BLOCK_ROWS):
        if not left:
            break
        block = pd.unique(codes[start : start + BLOCK_ROWS])
        new = block[~seen[block]]
        if len(new):
            parts.append(new)
            seen[new] = True
            left -= int(np.count_nonzero(new >= 0))
    return np.concatenate(parts)


def _blocks(lead: np.ndarray | None, n: int) -> list[tuple[int, int]]:
    """Split ``n`` rows into blocks of about :data:`BLOCK_ROWS` that no run of ``lead`` crosses.

    ``lead`` never decreases (the key's column the table is sorted by, e.g. its employees), so
    rows with equal keys lie in one block; without it, one block of every row.
    """
    if lead is None or n <= BLOCK_ROWS:
        return [(0, n)]
    cuts = [0]
    while cuts[-1] + BLOCK_ROWS < n:
        value = lead[cuts[-1] + BLOCK_ROWS]
        cut = int(np.searchsorted(lead, value, side="left"))  # where that value's run starts
        if cut <= cuts[-1]:  # a run longer than a block: it ends the block
            cut = int(np.searchsorted(lead, value, side="right"))
        if cut >= n:
            break
        cuts.append(cut)
    return list(zip(cuts, [*cuts[1:], n], strict=True))


def _comparable(values: pd.Series) -> np.ndarray | None:
    """Values of a key column as integers that are equal exactly when the values are, or None.

    A categorical gives its codes (-1 for missing), dates their 64-bit count (NaT the smallest),
    integers themselves; other columns give None (see :func:`key_runs`).
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.array.codes  # a view (``.cat.codes`` copies)
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iuM":
        array = values.to_numpy()
        return array.view(np.int64) if array.dtype.kind == "M" else array
    return None


def key_runs(frame: pd.DataFrame, columns: list[str]) -> np.ndarray | None:
    """Find where each run of equal keys starts, when the rows come sorted by the key.

    The rows are sorted when, taking the key's columns in some order (those whose values never or
    least often decrease first, as an export sorted by employee and then by period writes them),
    each row's values are at least its predecessor's. Each key then fills one run of rows, so
    grouping is finding where the key changes: a few comparisons per row, no sorting or hashing.

    Parameters
    ----------
    frame : DataFrame
        The table.
    columns : list of str
        The columns that together form the key; missing values count as a value.

    Returns
    -------
    ndarray of int64 or None
        Ascending positions of the first row of each run (one per distinct key); None when the
        rows are not sorted by the key in any such order, or a column is neither categorical,
        dates nor integers.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": [1, 1, 2], "b": [5, 5, 1]})
    >>> key_runs(frame, ["b", "a"]).tolist()
    [0, 2]
    """
    arrays = [_comparable(frame[column]) for column in columns]
    if any(array is None for array in arrays):
        return None
    same = _same_as_previous(arrays, [_count_descents(array) for array in arrays], len(frame))
    if same is None:
        return None
    if not len(frame):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate(([True], ~same)))


def run_totals(
    frame: pd.DataFrame,
    columns: list[str],
    values: np.ndarray,
    above: float,
    *,
    whole: bool = False,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Add up ``values`` along each run of rows sorted by a key; keep the totals over ``above``.

    Block by block (:data:`BLOCK_ROWS`), with no temporary as long as the table: a block ends
    where a run does, and the rows of a run are added one after another, as a person adds them
    up (whole numbers in any order, as they add up exactly). A block whose largest value times
    its longest run is not over ``above`` has no run over it, and is not added up (a day of at
    most three activities of at most 480 minutes, say).

    Parameters
    ----------
    frame : DataFrame
        The table.
    columns : list of str
        The columns that together form the key; missing values count as a value. The rows may be
        sorted by them in any order of the columns (by date, then NIP, as well as the other way).
    values : ndarray of float64, shape (len(frame),)
        The values to add up; NaN adds nothing.
    above : float
        Totals above it are kept.
    whole : bool, default False
        Whether ``values`` are known to be whole numbers of at most 2³¹ in size (read from an
        integer column): then they are not looked at for that, block by block.

    Returns
    -------
    (first_rows, totals) or None
        The first row of each run whose total is above ``above``, ascending, and that total;
        None when the rows are not sorted by the key (see :func:`key_runs`).

    Examples
    --------
    >>> frame = pd.DataFrame({"nip": pd.Categorical(list("aaab")), "day": [1, 1, 2, 2]})
    >>> run_totals(frame, ["nip", "day"], np.array([900.0, 600, 60, 1500]), 1440)
    (array([0, 3]), array([1500., 1500.]))
    """
    arrays = [_comparable(frame[column]) for column in columns]
    if any(array is None for array in arrays):
        return None
    found = _run_totals(arrays, values, above, whole)  # the key's own order first: no count
    if found is None:
        descents = [_count_descents(array) for array in arrays]
        order = np.argsort(descents, kind="stable")
        if list(order) != list(range(len(arrays))):
            found = _run_totals([arrays[i] for i in order], values, above, whole)
    return found


def _run_totals(
    arrays: list[np.ndarray], values: np.ndarray, above: float, whole: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`run_totals` for rows sorted by ``arrays``, the first column first (else None)."""
    n = len(values)
    firsts: list[np.ndarray] = [np.zeros(0, dtype=np.intp)]
    totals: list[np.ndarray] = [np.zeros(0, dtype=np.float64)]
    start, size = 0, BLOCK_ROWS
    while start < n:
        stop = min(start + size, n)
        before, after = slice(start, stop - 1), slice(start + 1, stop)
        same = np.ones(stop - start - 1, dtype=bool)  # equal to the row before, columns so far
        if not _same_in_block(arrays, before, after, same):
            return None
        starts = np.concatenate([[0], np.flatnonzero(~same) + 1])
        if stop < n:  # the block's last run may go on in the next block: left to it
            if len(starts) == 1:  # one run longer than the block
                size *= 2
                continue
            stop, starts = start + starts[-1], starts[:-1]
        part = values[start:stop]
        if not whole and not np.isfinite(part).all():
            part = np.nan_to_num(part)  # a missing value adds nothing
        longest = max(int(np.diff(starts).max(initial=0)), len(part) - int(starts[-1]))
        if float(part.max(initial=0)) * longest <= above * (1 - 1e-9):
            start, size = stop, BLOCK_ROWS  # no run can add up to more: each value is at most
            continue  # the largest, each run at most the longest (with room for rounding)
        if whole or _whole(part):
            sums = np.add.reduceat(part, starts)
        else:  # one after another, in row order
            run = np.zeros(len(part), dtype=np.intp)
            run[starts[1:]] = 1
            sums = np.bincount(np.cumsum(run, out=run), weights=part)
        over = np.flatnonzero(sums > above)
        firsts.append(start + starts[over])
        totals.append(sums[over])
        start, size = stop, BLOCK_ROWS
    return np.concatenate(firsts), np.concatenate(totals)


def _whole(values: np.ndarray) -> bool:
    """Whether values are whole numbers of at most 2³¹ in size, which add up exactly."""
    if not len(values):
        return True
    if not (-(2**31) <= values.min() and values.max() <= 2**31):
        return False
    return bool(np.array_equal(values, np.trunc(values)))


def _same_as_previous(arrays: list[np.ndarray], descents: list[float], n: int) -> np.ndarray | None:
    """Tell which of ``n`` rows sorted by a key have the key of the row before (else None).

    The key's columns are taken least descending first (``descents``): one value per row but the
    first, True where row ``i + 1`` has row ``i``'s key; None when the rows are not so sorted.
    """
    order = np.argsort(descents, kind="stable")
    keys, falls = [arrays[i] for i in order], [descents[i] for i in order]
    same = np.ones(max(n - 1, 0), dtype=bool)  # equal to the row before on the columns so far
    for before, after in _neighbours(n):  # block by block: small temporaries
        if not _same_in_block(keys, before, after, same[before], falls):
            return None
    return same


def _same_in_block(
    arrays: list[np.ndarray],
    before: slice,
    after: slice,
    same: np.ndarray,
    descents: list[float] | None = None,
) -> bool:
    """Mark in ``same`` the rows ``after`` whose key equals the row ``before``'s (in place).

    ``same`` starts True; the key's columns are taken in the order given. False when a row lies
    below its predecessor where the columns before are equal (the rows are not sorted so); a
    column ``descents`` says never descends is not looked at for it.
    """
    for position, array in enumerate(arrays):
        may_descend = descents is None or descents[position]
        if may_descend and (same & (array[after] < array[before])).any():
            return False
        same &= array[after] == array[before]
    return True


DENSE_SPAN = 4
"""A packed key ranging over at most this many values per row is numbered through a table."""


NEARLY_SORTED = 16
"""Packed keys with at most one descent per this many rows are numbered by a stable sort: its runs
make the sort nearly linear, and it touches memory in order where a hash table does not."""


def _codes(values: pd.Series) -> tuple[np.ndarray, int]:
    """Codes of one key column (-1 for missing) and how many values they number.

    A categorical gives its codes. Dates and whole numbers over a short range (days of a year)
    are numbered by their distance from the smallest in steps of the values' greatest common
    divisor, without hashing; other columns are factorized once, numbers and dates then numbered
    in value order, so a table sorted by them packs into keys that never decrease.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.array.codes, len(values.cat.categories)
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iM" and len(values):
        stepped = _steps(values.to_numpy())
        if stepped is not None:
            return stepped
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) > 1 and values.dtype.kind in "iufmM":
        rank = np.empty(len(uniques) + 1, dtype=codes.dtype)
        rank[np.argsort(np.asarray(uniques), kind="stable")] = np.arange(len(uniques))
        rank[-1] = -1  # code -1 (missing) picks the last
        codes = rank[codes]
    return codes, len(uniques)


def _steps(array: np.ndarray) -> tuple[np.ndarray, int] | None:
    """Give dates or integers numbers by steps from the smallest; None for too wide a range."""
    whole = array.view(np.int64) if array.dtype.kind == "M" else array.astype(np.int64)
    missing = np.isnat(array) if array.dtype.kind == "M" else None
    present = whole[~missing] if missing is not None and missing.any() else whole
    if not len(present):
        return None
    low, high = int(present.min()), int(present.max())
    if high - low >= 2**62:
        return None
    step = int(np.gcd.reduce(present - low)) or 1
    size = (high - low) // step + 1
    if size > DENSE_SPAN * max(len(array), 1024):
        return None
    codes = (whole - low) // step
    if present is not whole:
        codes[missing] = -1
    return codes, size


def _numbers(key: np.ndarray, span: int) -> np.ndarray:
    """Give packed keys ``0 … span-1`` numbers in order of first appearance."""
    n = len(key)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    descents = int(np.count_nonzero(key[1:] < key[:-1]))
    if descents == 0 or (span > DENSE_SPAN * max(n, 1024) and descents <= n // NEARLY_SORTED):
        return _sorted_numbers(key, descents == 0)
    if span > DENSE_SPAN * max(n, 1024):
        return pd.factorize(key)[0].astype(np.int64)
    key, span = _dense(key, span)
    first = np.full(span, n, dtype=np.int64)
    np.minimum.at(first, key, np.arange(n, dtype=np.int64))
    is_first = np.zeros(n, dtype=bool)  # every value of the dense key is met: first < n
    is_first[first] = True
    number = (np.cumsum(is_first, dtype=np.int64) - 1)[first]  # rank of each first row, no sort
    return number[key]


def _sorted_numbers(key: np.ndarray, in_order: bool) -> np.ndarray:
    """Give keys numbers in order of first appearance through a stable sort (none if ``in_order``).

    In sorted order each run of equal keys is one group, whose first row is the run's first (the
    sort is stable); the groups are then ranked by that row.
    """
    order = None if in_order else np.argsort(key, kind="stable")
    ordered = key if order is None else key[order]
    new = np.empty(len(key), dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    run = np.cumsum(new, dtype=np.int64) - 1
    if order is None:  # keys never decrease: the first appearances come in key order
        return run
    firsts = order[new]
    rank = np.empty(len(firsts), dtype=np.int64)
    rank[np.argsort(firsts, kind="stable")] = np.arange(len(firsts), dtype=np.int64)
    numbers = np.empty(len(key), dtype=np.int64)
    numbers[order] = rank[run]
    return numbers


def _dense(key: np.ndarray, span: int) -> tuple[np.ndarray, int]:
    """Renumber packed keys ``0 … span-1`` to ``0 … found-1`` (one-to-one); return both."""
    if span > DENSE_SPAN * max(len(key), 1024):
        key = _numbers(key, span)
        return key, int(key.max(initial=-1)) + 1
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


def runs(keys: np.ndarray) -> list[tuple[int, int]]:
    """Return each run of equal values of sorted ``keys`` as ``(start, end)``, in order.

    Parameters
    ----------
    keys : ndarray, shape (n,)
        Values sorted so that equal ones are adjacent.

    Returns
    -------
    list of (int, int)
        Row ranges, ``end`` exclusive; empty for no rows.

    Examples
    --------
    >>> runs(np.array([3, 3, 5, 7, 7]))
    [(0, 2), (2, 3), (3, 5)]
    """
    starts = np.flatnonzero(np.diff(keys, prepend=keys[:1] - 1)).tolist()
    return list(zip(starts, [*starts[1:], len(keys)], strict=True))


def run_dictionaries(codes: np.ndarray, texts: object, spans: list[tuple[int, int]]) -> list:
    """Cut a coded text column into runs of rows, each with a dictionary of its own values only.

    A slice of an Arrow dictionary array keeps the whole dictionary: a partition's file, or one
    group's rows of a piece, would carry every value of the table (a million NIPs). All runs are
    renumbered at once, in one ``factorize`` of (run, code) pairs.

    Parameters
    ----------
    codes : ndarray of int, shape (n,)
        Each row's index into ``texts``, -1 when missing.
    texts : pyarrow.Array
        The values the codes point at.
    spans : list of (int, int)
        The runs' rows, ``end`` exclusive, one after another from row 0 to the last
        (:func:`runs` of the sorted keys).

    Returns
    -------
    list of pyarrow.DictionaryArray
        One per run: its rows' values, int32 indices into a dictionary of the values they use,
        in order of first appearance; a missing value stays missing.

    Examples
    --------
    >>> import pyarrow as pa
    >>> parts = run_dictionaries(np.array([2, 0, 2, -1, 1]), pa.array(["a", "b", "c"]),
    ...                          [(0, 3), (3, 5)])
    >>> [(p.dictionary.to_pylist(), p.to_pylist()) for p in parts]
    [(['c', 'a'], ['c', 'a', 'c']), (['b'], [None, 'b'])]
    """
    import pyarrow as pa

    codes = np.asarray(codes, dtype=np.int64)
    lengths = np.array([b - a for a, b in spans], dtype=np.int64)
    run = np.repeat(np.arange(len(spans)), lengths)
    valid = codes >= 0
    width = int(codes.max(initial=0)) + 1
    keyed = run[valid] * width + codes[valid]
    numbered, uniques = pd.factorize(keyed)  # runs in order: each numbers its values in a run
    used = pa.array(uniques % width)
    bounds = np.append(0, np.cumsum(np.bincount(uniques // width, minlength=len(spans))))
    local = np.full(len(codes), -1, dtype=np.int32)
    local[valid] = numbered - bounds[run[valid]]
    parts = []
    for i, (start, end) in enumerate(spans):
        own = local[start:end]
        missing = own < 0
        indices = pa.array(own, mask=missing if missing.any() else None)
        dictionary = texts.take(used.slice(bounds[i], bounds[i + 1] - bounds[i]))
        parts.append(pa.DictionaryArray.from_arrays(indices, dictionary))
    return parts
