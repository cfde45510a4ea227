"""Reading a Parquet file into the DataFrame ``pandas.read_parquet`` gives, without its detours.

A Parquet table holds its text columns dictionary-encoded; pyarrow's conversion to pandas merges
the dictionaries of every chunk (hashing a NIP column's values once per chunk read) and converts
every chunk's codes into pandas' blocks. Here each row group's dictionary is merged once, as
pyarrow merges them, and the codes are taken into one categorical; every other column is converted
by pyarrow as pandas converts it. :mod:`asn_eval.input.readers` reads Parquet files through it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["in_seconds", "parquet_frame", "read_by_pandas"]


def parquet_frame(
    path: Path, seconds: Callable[[list[str]], Collection[str]] | None = None
) -> pd.DataFrame:
    """Read a Parquet file into the DataFrame ``pandas.read_parquet`` gives, faster.

    A dictionary-encoded text column becomes a categorical from its dictionary (the row groups'
    dictionaries merged as pyarrow merges them, when they differ) and its codes as they are,
    without pyarrow's conversion of each row group's codes into pandas' blocks. Every other
    column is converted by pyarrow as ``pandas.read_parquet`` converts it, one block per column,
    Arrow's memory released column by column. A file written by pandas (its index, dtypes and
    attributes in the file's metadata), or with repeated column names or time zones, is read by
    ``pandas.read_parquet`` itself.

    Parameters
    ----------
    path : Path
        The file, already checked against the limits.
    seconds : callable, optional
        Given the file's column names, those of its timestamp columns to give in whole seconds
        (floored, as pandas floors them), without a copy in the file's own unit first: the
        dates the loader keeps in seconds.

    Returns
    -------
    DataFrame
        One column per column of the file, a RangeIndex.
    """
    import pyarrow.parquet as pq

    whole = {"split_blocks": True, "self_destruct": True}  # no 2-D copies
    if read_by_pandas(pq.read_schema(path)):
        return pd.read_parquet(path, to_pandas_kwargs=whole)
    table = pq.read_table(path, use_pandas_metadata=True)  # as pandas reads it
    names = table.column_names
    columns = {name: _dictionary_categorical(table[name]) for name in names}
    for name in seconds(names) if seconds is not None else ():
        if columns[name] is None:
            columns[name] = in_seconds(table[name])
    rest = [name for name in names if columns[name] is None]
    if rest:
        converted = table.select(rest)
        del table
        frame = converted.to_pandas(**whole)  # the table is not used after this
        columns.update({name: frame[name] for name in rest})
    return pd.DataFrame({name: columns[name] for name in names}, copy=False)


def read_by_pandas(schema: object) -> bool:
    """Tell whether :func:`parquet_frame` leaves a file to ``pandas.read_parquet`` itself.

    Parameters
    ----------
    schema : pyarrow.Schema
        The file's schema.

    Returns
    -------
    bool
        True for a file written by pandas (its index, dtypes and attributes in the metadata),
        with repeated column names, or with time zones.
    """
    import pyarrow as pa

    return bool(
        {b"pandas", b"PANDAS_ATTRS"} & set(schema.metadata or {})
        or len(set(schema.names)) < len(schema.names)
        or any(pa.types.is_timestamp(f.type) and f.type.tz for f in schema)
    )


def _dictionary_categorical(column: object) -> pd.Series | None:
    """Turn a dictionary-encoded text column into a categorical (None for any other column).

    The result is what pyarrow gives (categories as text, codes in pandas' width), or None where
    pyarrow would refuse the column (null or repeated dictionary values, codes out of range) or
    give an empty dictionary other categories; such columns are left to pyarrow. Row groups with
    dictionaries of their own are merged as pyarrow merges them (:func:`_merged`).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if (
        not pa.types.is_dictionary(kind)
        or not (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type))
        or column.num_chunks == 0
    ):
        return None
    try:
        dictionary, runs = _merged(column.chunks)
    except pa.ArrowException:
        return None
    if not len(dictionary) or dictionary.null_count:  # no text to infer a dtype from; nulls
        return None
    try:
        dtype = pd.CategoricalDtype(pd.Index(dictionary.to_pandas()), ordered=kind.ordered)
    except (TypeError, ValueError):  # repeated values: pyarrow's conversion says so
        return None
    width = pd.Categorical.from_codes([], dtype=dtype).codes.dtype
    codes = np.empty(len(column), dtype=width)
    at = 0
    for run, positions in runs:  # chunks sharing one dictionary
        size = len(run[0].dictionary)
        merged = None if positions is None else np.append(positions, -1).astype(width)
        for chunk in run:  # each chunk's codes straight into their place: no temporary
            indices = chunk.indices
            found = (pc.fill_null(indices, -1) if indices.null_count else indices).to_numpy()
            if len(found) and (found.min() < -1 or found.max() >= size):
                return None
            end = at + len(found)
            if merged is None:
                codes[at:end] = found
            else:  # the codes in the merged dictionary; -1 picks the appended -1
                np.take(merged, found, out=codes[at:end], mode="wrap")  # bounds checked above
            at = end
    categorical = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)  # checked above
    return pd.Series(categorical, copy=False)


def in_seconds(column: object) -> pd.Series | None:
    """Turn a timestamp column finer than seconds into whole seconds, as the loader keeps dates.

    Each chunk's counts are floor-divided straight into the result, as pandas floors them, with
    no copy in the column's own unit first.

    Parameters
    ----------
    column : pyarrow.ChunkedArray
        A column of a table read from Parquet.

    Returns
    -------
    Series or None
        ``datetime64[s]``, NaT where missing; None for any other column, or for one holding a
        count so small that pandas would check it for overflow (left to pyarrow and pandas).
    """
    import pyarrow as pa

    kind = column.type
    per_second = {"ms": 10**3, "us": 10**6, "ns": 10**9}.get(getattr(kind, "unit", ""))
    if not pa.types.is_timestamp(kind) or kind.tz is not None or per_second is None:
        return None
    seconds = np.empty(len(column), dtype=np.int64)
    at = 0
    for chunk in column.chunks:
        counts = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=chunk.offset + len(chunk))
        counts = counts[chunk.offset :]
        if len(counts) and counts.min() < np.iinfo(np.int64).min // 2:
            return None
        end = at + len(counts)
        np.floor_divide(counts, per_second, out=seconds[at:end])
        if chunk.null_count:
            missing = chunk.is_null().to_numpy(zero_copy_only=False)
            seconds[at:end][missing] = np.iinfo(np.int64).min  # NaT
        at = end
    return pd.Series(seconds.view("datetime64[s]"), copy=False)


def _merged(chunks: list) -> tuple[object, list[tuple[list, np.ndarray | None]]]:
    """Merge the dictionaries of a column's chunks as pyarrow does, each distinct one once.

    The chunks read from one row group share its dictionary; each distinct dictionary stands for
    its chunks in pyarrow's ``unify_dictionaries``, which gives the same merged dictionary (each
    value where it first comes, chunk after chunk) hashing each row group's values once, and the
    merged codes of a dictionary's own positions say where its chunks' codes go.

    Returns
    -------
    dictionary : pyarrow.Array
        The merged dictionary (the first chunk's when all chunks have equal dictionaries).
    runs : list of (list, ndarray or None)
        Consecutive chunks sharing one dictionary, with the position in the merged dictionary of
        each of its values (None when all chunks have the first chunk's dictionary).
    """
    import pyarrow as pa

    first = chunks[0].dictionary
    if all(chunk.dictionary.equals(first) for chunk in chunks[1:]):
        return first, [(chunks, None)]
    distinct: dict[tuple, int] = {}
    stand_ins, runs, keys = [], [], []
    for chunk in chunks:
        values = chunk.dictionary
        buffers = ((b.address, b.size) if b is not None else None for b in values.buffers())
        key = (values.offset, len(values), *buffers)
        if key not in distinct:
            distinct[key] = len(stand_ins)
            own = pa.array(np.arange(len(values), dtype=np.int32))
            stand_ins.append(pa.DictionaryArray.from_arrays(own, values))
        if keys and keys[-1] == key:
            runs[-1].append(chunk)
        else:
            runs.append([chunk])
            keys.append(key)
    merged = pa.chunked_array(stand_ins).unify_dictionaries()
    places = [stand_in.indices.to_numpy() for stand_in in merged.chunks]
    return merged.chunks[0].dictionary, [
        (run, places[distinct[key]]) for run, key in zip(runs, keys, strict=True)
    ]
