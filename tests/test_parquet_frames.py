"""Reading a Parquet file gives the DataFrame pandas.read_parquet gives, however it was written."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from asn_eval.input import parquet_frames
from asn_eval.input.cells import _in_seconds
from asn_eval.input.parquet_frames import parquet_frame


def _table(rows: int, seed: int) -> pa.Table:
    """Text columns with few and many values, missing cells, dates and numbers."""
    rng = np.random.default_rng(seed)
    many = np.array([f"{19700101200001100000 + i * 7919}"[:18] for i in range(300)], dtype=object)
    few = np.array(["diri", "atasan", "rekan", "bawahan"], dtype=object)
    nips = many[rng.integers(0, len(many), rows)]
    roles = few[rng.integers(0, len(few), rows)]
    roles[rng.random(rows) < 0.1] = None
    return pa.table(
        {
            "nip": pa.array(nips, pa.string()).dictionary_encode(),
            "peran": pa.array(roles, pa.string()).dictionary_encode(),
            "tanggal": pa.array(
                np.datetime64("2025-01-01", "ms") + rng.integers(0, 10**9, rows), pa.timestamp("ms")
            ),
            "skor": pa.array(rng.integers(1, 6, rows), pa.int8()),
            "teks": pa.array(rng.choice(["a", "b", None], rows), pa.string()),
        }
    )


@pytest.mark.parametrize("row_group_size", [50, 333, 10_000])
@pytest.mark.parametrize("batch_rows", [1, 400, 1 << 20])
def test_row_groups_with_dictionaries_of_their_own(
    tmp_path, monkeypatch, row_group_size, batch_rows
):
    # Each row group has a dictionary of the values it holds, in its own order: the merged
    # categories and every code are those pyarrow and pandas give. Whether the row groups are
    # read one at a time (each read while the one before is written into place), a few at a
    # time or all at once.
    monkeypatch.setattr(parquet_frames, "BATCH_ROWS", batch_rows)
    path = tmp_path / "t.parquet"
    pq.write_table(_table(2_000, 1), path, row_group_size=row_group_size)
    pd.testing.assert_frame_equal(parquet_frame(path), pd.read_parquet(path))


def test_files_whose_row_groups_share_one_dictionary(tmp_path):
    # Row groups written from one table chunk by chunk with the same dictionary.
    path = tmp_path / "t.parquet"
    table = _table(900, 2).unify_dictionaries()
    with pq.ParquetWriter(path, table.schema) as writer:
        for start in range(0, 900, 300):
            writer.write_table(table.slice(start, 300))
    pd.testing.assert_frame_equal(parquet_frame(path), pd.read_parquet(path))


def test_text_columns_left_to_pyarrow(tmp_path):
    # A column of only missing values (an empty dictionary) and a file without rows: pyarrow's
    # own conversion, beside the columns converted here.
    path = tmp_path / "t.parquet"
    table = _table(500, 3).append_column(
        "kosong", pa.array([None] * 500, pa.string()).dictionary_encode()
    )
    pq.write_table(table, path, row_group_size=100)
    pd.testing.assert_frame_equal(parquet_frame(path), pd.read_parquet(path))
    pq.write_table(table.slice(0, 0), path)
    pd.testing.assert_frame_equal(parquet_frame(path), pd.read_parquet(path))


@pytest.mark.parametrize("unit", ["ms", "us", "ns"])
def test_dates_read_in_whole_seconds_as_the_loader_keeps_them(tmp_path, unit):
    # Floored as pandas floors them (before 1970 too), missing dates missing, other columns as
    # pandas reads them; what the loader made of the file's own unit before.
    rng = np.random.default_rng(4)
    counts = rng.integers(-(10**12), 10**12, 1_000) * {"ms": 1, "us": 10**3, "ns": 10**6}[unit]
    counts[:3] = [-1, 0, 1]
    table = _table(1_000, 4).append_column(
        "tgl", pa.array(counts, pa.timestamp(unit), mask=rng.random(1_000) < 0.1)
    )
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=300)
    read = parquet_frame(path, lambda names: {"tgl", "tanggal"} & set(names))
    expected = pd.read_parquet(path)
    assert read["tgl"].dtype == "datetime64[s]"
    pd.testing.assert_series_equal(read["tgl"], _in_seconds(expected["tgl"]))
    pd.testing.assert_series_equal(read["tanggal"], _in_seconds(expected["tanggal"]))
    pd.testing.assert_frame_equal(
        read.drop(columns=["tgl", "tanggal"]), expected.drop(columns=["tgl", "tanggal"])
    )


def test_a_later_row_group_with_more_values_than_the_first_ones_codes_hold(tmp_path):
    # Read row group by row group: the first holds 5 NIPs (codes of one byte), the next 300
    # (two bytes), the last 33,000 (four bytes), as a file written per OPD may be.
    first = [f"{199001012000011000 + i}" for i in range(5)] * 20
    later = [f"{199001012000012000 + i}" for i in range(300)]
    many = [f"{199001012000020000 + i}" for i in range(33_000)]
    table = pa.table({"nip": pa.array(first + later + many, pa.string()).dictionary_encode()})
    path = tmp_path / "t.parquet"
    with pq.ParquetWriter(path, table.schema) as writer:
        for start, end in ((0, 100), (100, 400), (400, len(table))):
            writer.write_table(table.slice(start, end - start), row_group_size=len(table))
    assert pq.ParquetFile(path).num_row_groups == 3
    pd.testing.assert_frame_equal(parquet_frame(path), pd.read_parquet(path))


@pytest.mark.parametrize("batch_rows", [1, 1 << 20])
def test_a_column_declined_in_its_last_row_group_is_read_again_whole(
    tmp_path, monkeypatch, batch_rows
):
    # Dates in seconds row group by row group, until the last holds a count pandas checks for
    # overflow: that column is then read whole by pyarrow and pandas, as it was before.
    monkeypatch.setattr(parquet_frames, "BATCH_ROWS", batch_rows)
    counts = np.arange(1_000, dtype=np.int64) * 86_400_000
    counts[-1] = np.iinfo(np.int64).min + 5  # a date before any calendar: pandas' own check
    table = _table(1_000, 5).append_column("tgl", pa.array(counts, pa.timestamp("ms")))
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=300)
    read = parquet_frame(path, lambda names: {"tgl"})
    expected = pd.read_parquet(path)
    pd.testing.assert_series_equal(read["tgl"], expected["tgl"])
    pd.testing.assert_frame_equal(read.drop(columns="tgl"), expected.drop(columns="tgl"))


def test_ordered_dictionaries_and_one_row_group_per_row(tmp_path):
    # An ordered dictionary keeps its order; a file of single-row groups reads as one.
    peran = pa.array(["rekan", "atasan", None, "diri"] * 5, pa.string()).dictionary_encode()
    kind = pa.dictionary(pa.int32(), pa.string(), ordered=True)
    table = pa.table({"peran": peran.cast(kind), "skor": pa.array(range(20), pa.int16())})
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=1)
    pd.testing.assert_frame_equal(parquet_frame(path), pd.read_parquet(path))


def test_text_columns_in_a_dtype_read_before(tmp_path):
    # The employees' NIPs, read first: a NIP column naming only them comes in their dtype, each
    # row's NIP the same; one naming another NIP, an ordered one and other columns keep their
    # own categories, as pandas reads them.
    table = _table(3_000, 6)
    known = pd.CategoricalDtype(
        pd.Index([*sorted(set(table["nip"].to_pylist())), "199912312000011001"], dtype="str")
    )
    stranger = table["nip"].to_pylist()
    stranger[2_500] = "200001012000011001"
    kind = pa.dictionary(pa.int32(), pa.string(), ordered=True)
    table = table.append_column("nip_lain", pa.array(stranger).dictionary_encode())
    table = table.append_column("nip_urut", table["nip"].cast(kind))
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=700)
    asked: list[list[str]] = []

    def categories(names: list[str]) -> dict[str, pd.CategoricalDtype]:
        asked.append(names)
        return dict.fromkeys(["nip", "nip_lain", "nip_urut"], known)

    read = parquet_frame(path, categories=categories)
    expected = pd.read_parquet(path)
    assert asked == [list(expected.columns)]
    assert read["nip"].dtype == known
    pd.testing.assert_series_equal(read["nip"].astype("str"), expected["nip"].astype("str"))
    others = ["nip_lain", "nip_urut", "peran", "tanggal", "skor", "teks"]
    pd.testing.assert_frame_equal(read[others], expected[others])


def test_bare_nips_only_where_reading_changes_none(tmp_path):
    from asn_eval.input.dataset import bare_nips
    from asn_eval.input.layout import RawTable
    from asn_eval.input.readers import Source

    def raw(nips: list) -> RawTable:
        frame = pd.DataFrame({"nip": pd.array(nips, dtype="str")})
        return RawTable(Source("pegawai", tmp_path / "p.parquet", None), frame, {}, frame.index)

    good = ["199001012000011001", "198502022010012002"]
    assert list(bare_nips(raw(good)).categories) == good  # the rows' order
    for bad in (
        [*good, good[0]],  # twice
        [good[0], "1985 0202 2010 01 2 002"],  # written with spaces: read_nips decides
        [good[0], None],
        [good[0], "19850202201001200"],  # 17 digits
    ):
        assert bare_nips(raw(bad)) is None


@pytest.mark.parametrize(
    "values",
    [
        [],
        ["199001012000011001", "198502022010012002"],
        ["199001012000011001", None],
        ["199001012000011001", ""],
        ["19900101200001100"],  # 17 digits
        ["1990010120000110011"],  # 19
        ["19900101200001100a"],
        [" 199001012000011001"],
        ["199001012000011001\n"],
        ["١٩٩٠٠١٠١٢٠٠٠٠١١٠٠١"],  # Arabic-Indic digits: digits, but not the ASCII ones
        ["１９９００１０１２００００１１００１"],  # full-width digits
    ],
)
def test_bare_nips_are_told_apart_as_the_pattern_tells_them(values):
    # Text pyarrow holds is tested in Arrow (length in bytes, ASCII digits); any other text with
    # the pattern of 18 ASCII digits. Both say the same of every value.
    from asn_eval.input.nip import all_bare

    expected = all(isinstance(v, str) and re.fullmatch(r"[0-9]{18}", v) for v in values)
    for dtype in ("str", object):
        assert all_bare(pd.Index(values, dtype=dtype)) == expected, dtype
        assert all_bare(pd.Series(values, dtype=dtype)) == expected, dtype
