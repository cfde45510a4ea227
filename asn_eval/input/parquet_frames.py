"""Reading a Parquet file into the DataFrame ``pandas.read_parquet`` gives, without its detours.

A Parquet table holds its text columns dictionary-encoded; pyarrow's conversion to pandas merges
the dictionaries of every chunk (hashing a NIP column's values once per chunk read) and converts
every chunk's codes into pandas' blocks. Here the file is read one row group at a time: each row
group's codes and dates go straight into the arrays pandas keeps, and Arrow's memory for one row
group is reused by the next, so the file is never held twice (once by Arrow, once by pandas).
The row groups' dictionaries are merged once, as pyarrow merges them; every other column is
converted by pyarrow as pandas converts it. :mod:`asn_eval.input.readers` reads Parquet files
through it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from asn_eval.input.codes import code_width, gather

__all__ = ["in_seconds", "parquet_frame", "read_by_pandas"]


def parquet_frame(
    path: Path,
    seconds: Callable[[list[str]], Collection[str]] | None = None,
    categories: Callable[[list[str]], dict[str, pd.CategoricalDtype]] | None = None,
) -> pd.DataFrame:
    """Read a Parquet file into the DataFrame ``pandas.read_parquet`` gives, faster.

    The file is read row group by row group. A dictionary-encoded text column becomes a
    categorical from its dictionary (the row groups' dictionaries merged as pyarrow merges them,
    when they differ) and its codes as they are, each row group's codes written into place as it
    is read. Every other column is converted by pyarrow as ``pandas.read_parquet`` converts it,
    one block per column, Arrow's memory released column by column; so is a text column pyarrow
    would convert otherwise (null or repeated dictionary values, codes out of range, an empty
    dictionary), read again whole. A file written by pandas (its index, dtypes and attributes in
    the file's metadata), or with repeated column names or time zones, is read by
    ``pandas.read_parquet`` itself.

    Parameters
    ----------
    path : Path
        The file, already checked against the limits.
    seconds : callable, optional
        Given the file's column names, those of its timestamp columns to give in whole seconds
        (floored, as pandas floors them), without a copy in the file's own unit first: the
        dates the loader keeps in seconds.
    categories : callable, optional
        Given the file's column names, a dtype for some of its text columns (the employees' NIPs,
        read before): a column whose every value is one of the dtype's categories is given that
        dtype, its codes mapped to it as each row group's are merged (no pass over its rows
        later, no second copy of its codes); any other keeps the categories of its own values.

    Returns
    -------
    DataFrame
        One column per column of the file, a RangeIndex.

    Raises
    ------
    pyarrow.ArrowException, OSError
        When the file cannot be read (the loader reports it as a problem of the user's file).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    whole = {"split_blocks": True, "self_destruct": True}  # no 2-D copies
    with pq.ParquetFile(path) as file:
        schema = file.schema_arrow
        if read_by_pandas(schema):
            return _writable(pd.read_parquet(path, to_pandas_kwargs=whole))
        names = schema.names
        timed = set(seconds(names)) if seconds is not None else set()
        known = categories(names) if categories is not None else {}
        rows = file.metadata.num_rows
        builders = {
            name: _builder(schema.field(name).type, name in timed, rows, known.get(name))
            for name in names
        }
        for piece in _read_ahead(file, _batches(file.metadata)):
            for name, builder in builders.items():
                builder.add(piece.column(name).chunks)
            del piece  # its Arrow memory is reused by the batch after the next
        columns = {name: builder.finish() for name, builder in builders.items()}
        rest = [name for name in names if columns[name] is None]
        if rest:
            again = [name for name in rest if not isinstance(builders[name], _Kept)]
            read = file.read(columns=again) if again else None  # declined: read whole
            arrays = [
                read[name] if read is not None and name in again else builders[name].chunked()
                for name in rest
            ]
            del read, builders
            converted = pa.Table.from_arrays(arrays, schema=pa.schema(map(schema.field, rest)))
            del arrays
            frame = _writable(converted.to_pandas(**whole))  # the table is not used after this
            columns.update({name: frame[name] for name in rest})
    return pd.DataFrame({name: columns[name] for name in names}, copy=False)


def _writable(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy the columns pyarrow left in Arrow's memory, which is read-only: a user may set a cell.

    pyarrow hands over a number or date column without missing values as it is (as
    ``pandas.read_parquet`` does); pandas' own arrays are writable.
    """
    for name, values in frame.items():
        if isinstance(values.dtype, np.dtype) and not np.asarray(values.array).flags.writeable:
            frame[name] = values.copy()
    return frame


def _read_ahead(file: object, batches: list[list[int]]) -> Iterator[object]:
    """Give each batch of row groups read, the next one being read meanwhile.

    pyarrow decodes a batch on every core while this thread waits; this thread then writes it into
    place alone. Reading the next batch meanwhile keeps the other cores busy.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="asn-eval-parquet") as ahead:
        reading = ahead.submit(file.read_row_groups, batches[0]) if batches else None
        for following in [*batches[1:], None]:
            assert reading is not None
            piece = reading.result()
            reading = None if following is None else ahead.submit(file.read_row_groups, following)
            yield piece
            del piece


BATCH_ROWS = 1 << 20
"""Rows read at once, at least (whole row groups); Arrow's memory for them is reused."""


def _batches(metadata: object) -> list[list[int]]:
    """Group consecutive row groups into batches of about :data:`BATCH_ROWS` rows.

    A file of small row groups is read a few calls at a time (each call costs about 2 ms), one
    of large row groups one group at a time.
    """
    batches: list[list[int]] = []
    rows = BATCH_ROWS
    for group in range(metadata.num_row_groups):
        if rows >= BATCH_ROWS:
            batches.append([])
            rows = 0
        batches[-1].append(group)
        rows += metadata.row_group(group).num_rows
    return batches


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


def _builder(
    kind: object, timed: bool, rows: int, known: pd.CategoricalDtype | None
) -> _Kept | _Codes | _Seconds:
    """Choose how a column of type ``kind`` is gathered row group by row group."""
    import pyarrow as pa

    if pa.types.is_dictionary(kind) and (
        pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
    ):
        return _Codes(rows, ordered=kind.ordered, known=None if kind.ordered else known)
    if timed and _per_second(kind) is not None:
        return _Seconds(rows, _per_second(kind))
    return _Kept()


class _Kept:
    """A column kept as Arrow's chunks, to be converted by pyarrow as pandas converts it."""

    def __init__(self) -> None:
        self.chunks: list = []

    def add(self, chunks: list) -> None:
        self.chunks += chunks

    def finish(self) -> None:
        return None

    def chunked(self) -> object:
        import pyarrow as pa

        chunks, self.chunks = self.chunks, []
        return pa.chunked_array(chunks)


class _Codes:
    """A dictionary-encoded text column's codes, written into place row group by row group.

    The codes of each chunk are kept as they are, indices into that chunk's dictionary (one per
    row group), in a width that holds them; :meth:`finish` merges the dictionaries and maps each
    chunk's codes to the merged one. Anything pyarrow would convert otherwise declines the
    column (:meth:`finish` gives None, and the column is read again whole). With a ``known``
    dtype holding every value of the merged dictionary, the codes are mapped to that dtype.
    """

    def __init__(self, rows: int, *, ordered: bool, known: pd.CategoricalDtype | None) -> None:
        self.rows, self.ordered, self.known = rows, ordered, known
        self.codes: np.ndarray | None = None
        self.pieces: list[tuple[object, int, int]] = []  # (dictionary, first row, end)
        self.at = 0
        self.declined = False

    def add(self, chunks: list) -> None:
        import pyarrow.compute as pc

        for chunk in chunks:
            if self.declined:
                return
            size, indices = len(chunk.dictionary), chunk.indices
            found = (pc.fill_null(indices, -1) if indices.null_count else indices).to_numpy()
            end = self.at + len(found)
            if end > self.rows or (len(found) and (found.min() < -1 or found.max() >= size)):
                self.declined, self.codes, self.pieces = True, None, []  # pyarrow refuses them
                return
            # codes to be mapped to a known dtype are kept in its width: no copy to widen them
            width = code_width(max(size, 0 if self.known is None else len(self.known.categories)))
            if self.codes is None:
                self.codes = np.empty(self.rows, dtype=width)
            elif self.codes.dtype.itemsize < np.dtype(width).itemsize:
                self.codes = self.codes.astype(width)  # a later dictionary is larger
            self.codes[self.at : end] = found
            self.pieces.append((chunk.dictionary, self.at, end))
            self.at = end

    def finish(self) -> pd.Series | None:
        """Return the column as a categorical, or None where pyarrow is left to convert it."""
        if self.declined or not self.pieces or self.at != self.rows:
            return None
        import pyarrow as pa

        try:
            dictionary, places = _merged([values for values, _, _ in self.pieces])
        except pa.ArrowException:
            return None
        if not len(dictionary) or dictionary.null_count:  # no text to infer a dtype from; nulls
            return None
        values = pd.Index(dictionary.to_pandas())
        dtype = None if self.known is None else _mapped(values, self.known, places)
        if dtype is None:
            try:
                dtype = pd.CategoricalDtype(values, ordered=self.ordered)
            except (TypeError, ValueError):  # repeated values: pyarrow's conversion says so
                return None
        codes, self.codes = self.codes, None
        assert codes is not None
        width = code_width(len(dtype.categories))
        if codes.dtype != width:
            codes = codes.astype(width)
        into: dict[int, np.ndarray] = {}  # each distinct mapping made once
        for (_, start, end), place in zip(self.pieces, places, strict=True):
            if place is not None:  # into the merged dictionary; -1 picks the appended -1
                if id(place) not in into:
                    into[id(place)] = np.append(place, -1).astype(width)
                gather(into[id(place)], codes[start:end], out=codes[start:end])
        categorical = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)  # in range
        return pd.Series(categorical, copy=False)

    def chunked(self) -> None:
        return None


class _Seconds:
    """A timestamp column floored to whole seconds, row group by row group (see in_seconds)."""

    def __init__(self, rows: int, per_second: int) -> None:
        self.seconds: np.ndarray | None = np.empty(rows, dtype=np.int64)
        self.per_second = per_second
        self.at = 0

    def add(self, chunks: list) -> None:
        for chunk in chunks:
            if self.seconds is None:
                return
            end = self.at + len(chunk)
            if end > len(self.seconds) or not _floor_seconds(
                chunk, self.per_second, self.seconds[self.at : end]
            ):
                self.seconds = None  # left to pyarrow and pandas
                return
            self.at = end

    def finish(self) -> pd.Series | None:
        if self.seconds is None or self.at != len(self.seconds):
            return None
        seconds, self.seconds = self.seconds, None
        return pd.Series(seconds.view("datetime64[s]"), copy=False)

    def chunked(self) -> None:
        return None


def _mapped(
    values: pd.Index, known: pd.CategoricalDtype, places: list[np.ndarray | None]
) -> pd.CategoricalDtype | None:
    """Map a merged dictionary into ``known``'s categories, where each value is one of them.

    ``places`` (each dictionary's positions in the merged one, None where its own) become the
    positions in ``known``, in place; None, with ``places`` untouched, when a value is not one
    of ``known``'s categories or comes twice (then pyarrow's conversion decides).
    """
    at = known.categories.get_indexer(values)
    if len(at) and (at.min() < 0 or np.bincount(at).max() > 1):
        return None
    for i, place in enumerate(places):
        places[i] = at if place is None else at[place]
    return known


def _per_second(kind: object) -> int | None:
    """Return the counts per second of a timestamp type without a time zone (None: not finer)."""
    import pyarrow as pa

    if not pa.types.is_timestamp(kind) or kind.tz is not None:
        return None
    return {"ms": 10**3, "us": 10**6, "ns": 10**9}.get(kind.unit)


def _floor_seconds(chunk: object, per_second: int, out: np.ndarray) -> bool:
    """Floor one chunk's counts to seconds into ``out``; False when one is too small for it.

    A count so small that pandas would check it for overflow is left to pyarrow and pandas.
    """
    counts = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=chunk.offset + len(chunk))
    counts = counts[chunk.offset :]
    if len(counts) and counts.min() < np.iinfo(np.int64).min // 2:
        return False
    np.floor_divide(counts, per_second, out=out)
    if chunk.null_count:
        missing = chunk.is_null().to_numpy(zero_copy_only=False)
        out[missing] = np.iinfo(np.int64).min  # NaT
    return True


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
    per_second = _per_second(column.type)
    if per_second is None:
        return None
    gathered = _Seconds(len(column), per_second)
    gathered.add(column.chunks)
    return gathered.finish()


def _merged(dictionaries: list) -> tuple[object, list[np.ndarray | None]]:
    """Merge the dictionaries of a column's chunks as pyarrow does, each distinct one once.

    The chunks read from one row group share its dictionary; each distinct dictionary stands for
    its chunks in pyarrow's ``unify_dictionaries``, which gives the same merged dictionary (each
    value where it first comes, chunk after chunk) hashing each row group's values once.

    Returns
    -------
    dictionary : pyarrow.Array
        The merged dictionary (the first chunk's when all chunks have equal dictionaries).
    places : list of (ndarray or None)
        For each dictionary, the position in the merged one of each of its values; None where
        that is its own position.
    """
    import pyarrow as pa

    first = dictionaries[0]
    if all(values.equals(first) for values in dictionaries[1:]):
        return first, [None] * len(dictionaries)
    distinct: dict[tuple, int] = {}
    stand_ins, keys = [], []
    for values in dictionaries:
        buffers = ((b.address, b.size) if b is not None else None for b in values.buffers())
        key = (values.offset, len(values), *buffers)
        if key not in distinct:
            distinct[key] = len(stand_ins)
            own = pa.array(np.arange(len(values), dtype=np.int32))
            stand_ins.append(pa.DictionaryArray.from_arrays(own, values))
        keys.append(key)
    merged = pa.chunked_array(stand_ins).unify_dictionaries()
    places = [stand_in.indices.to_numpy() for stand_in in merged.chunks]
    own = [None if np.array_equal(p, np.arange(len(p))) else p for p in places]  # kept in place
    return merged.chunks[0].dictionary, [own[distinct[key]] for key in keys]
