"""Grouping rows by a key of several columns: the same answers as pandas, in any row order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from asn_eval.input import groups
from asn_eval.input.groups import has_repeats, row_groups


def _frame(seed: int, rows: int = 3_000) -> pd.DataFrame:
    """A table written employee by employee (as exports are), other columns in any order."""
    rng = np.random.default_rng(seed)
    nip = np.sort(rng.integers(0, 300, rows))
    return pd.DataFrame(
        {
            "periode": pd.Categorical(rng.choice(["2025-TW1", "2025-TW2", "2025"], rows)),
            "nip": pd.Categorical([f"n{v:03d}" for v in nip]),
            "nilai": rng.integers(0, 7, rows),
            "tanggal": np.datetime64("2025-01-01", "s") + rng.integers(0, 40, rows) * 86_400,
        }
    )


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("shuffled", [False, True])
@pytest.mark.parametrize("block", [None, 7, 100])
def test_repeats_and_groups_as_pandas_finds_them(seed, shuffled, block, monkeypatch):
    # In blocks of a few rows too: rows of one employee never straddle two blocks.
    if block is not None:
        monkeypatch.setattr(groups, "BLOCK_ROWS", block)
    frame = _frame(seed)
    if shuffled:
        frame = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
    for key in (["periode", "nip", "nilai"], ["nip", "tanggal"], ["periode", "nip", "tanggal"]):
        assert has_repeats(frame, key) == frame.duplicated(key).any()
        unique = frame.drop_duplicates(key)
        assert not has_repeats(unique, key)
        expected = frame.groupby(key, sort=False, observed=True).ngroup().to_numpy()
        assert row_groups(frame, key).tolist() == expected.tolist()


@pytest.mark.parametrize("seed", range(3))
def test_keys_too_wide_to_pack_are_compressed_and_group_as_pandas(seed):
    # Four columns of 70,000 categories each span more than 2⁶² packed keys: the keys are
    # compressed on the way (the codes' shift by one added first), missing values count as one.
    rng = np.random.default_rng(seed)
    n, width = 5_000, 70_000
    names = pd.Index([f"v{i}" for i in range(width)])

    def column() -> pd.Categorical:
        codes = rng.integers(-1, 4, n)  # few values met, one of them missing
        codes[codes >= 0] = rng.choice([0, 9, width - 1], int((codes >= 0).sum()))
        return pd.Categorical.from_codes(codes, categories=names)

    frame = pd.DataFrame({c: column() for c in "abcd"})
    key = list("abcd")
    assert 70_001**4 > 2**62  # so the keys are compressed before the last column
    expected = frame.groupby(key, sort=False, observed=True, dropna=False).ngroup().to_numpy()
    assert row_groups(frame, key).tolist() == expected.tolist()
    assert has_repeats(frame, key) == frame.duplicated(key).any()
    assert not has_repeats(frame.drop_duplicates(key), key)


def test_a_repeat_at_the_edge_of_a_block(monkeypatch):
    # Ten rows per employee, blocks of 7 rows: each block boundary moves to an employee's first
    # row, and the one repeat (the employee's last two rows) is found.
    monkeypatch.setattr(groups, "BLOCK_ROWS", 7)
    frame = pd.DataFrame(
        {"nip": pd.Categorical(np.repeat(["a", "b", "c"], 10)), "nilai": np.arange(30) * 3 % 10}
    )
    assert groups.key_runs(frame, ["nilai", "nip"]) is None  # not sorted: packed and sorted
    assert not has_repeats(frame, ["nilai", "nip"])
    frame.loc[19, "nilai"] = frame.loc[18, "nilai"]
    assert has_repeats(frame, ["nilai", "nip"])


def _codes(kind: str, seed: int, rows: int = 70_000) -> tuple[np.ndarray, int]:
    """Codes of a categorical column as files give them (longer than the rows looked at first)."""
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 40_000, rows).astype(float)
    values[rng.random(rows) < 0.05] = np.nan  # missing cells: code -1
    if kind == "as written":  # a Parquet dictionary: each value numbered where it first comes
        codes = pd.factorize(values)[0]
    elif kind == "renumbered":  # categories in another order (sorted, or merged dictionaries)
        codes = pd.Categorical(values).codes
    elif kind == "sorted with gaps":  # a table sorted by NIP, some NIPs without rows
        codes = np.sort(pd.Categorical(values, categories=np.arange(40_000.0)).codes)
    elif kind == "one late newcomer":  # in order, but for one value that comes before its turn
        codes = pd.factorize(values)[0]
        codes[rows // 2] = codes.max() + 1
    elif kind == "few labels, two late, one never met":
        row = np.arange(rows)
        codes = np.where(row % 3 == 0, -1, row % 4)  # 0 … 3 early, 5 and 4 late, 6 never
        codes[-5], codes[-2] = 5, 4
        return codes.astype(np.int8), 7
    elif kind in ("renumbered, last one late", "renumbered, one never met"):
        codes = pd.Categorical(values % 300).codes.copy()  # every code met early, but
        codes[-3] = 300  # one first met in the last rows, after blocks where all others were
    else:  # few labels
        codes = pd.factorize(np.where(np.isnan(values), np.nan, values % 5))[0]
    codes = codes.astype(np.int32)
    return codes, int(codes.max()) + 1 + (kind == "renumbered, one never met")


@pytest.mark.parametrize(
    "kind",
    [
        "as written",
        "renumbered",
        "sorted with gaps",
        "one late newcomer",
        "few labels",
        "renumbered, last one late",
        "renumbered, one never met",
        "few labels, two late, one never met",
    ],
)
@pytest.mark.parametrize("block", [None, 7, 1000])
def test_codes_met_as_pandas_finds_them(kind, block, monkeypatch):
    # The codes met, in the order of their first rows, whichever way they are found: a file's own
    # dictionary order (no hashing), rows sorted by code, or hashing block after block until
    # every code is met (one first met in the last rows; one never met: every row is read).
    if block is not None:
        monkeypatch.setattr(groups, "BLOCK_ROWS", block)
    codes, size = _codes(kind, seed=len(kind))
    expected = pd.unique(codes)
    np.testing.assert_array_equal(groups.codes_met(codes, size), expected[expected >= 0])
    in_order = np.array_equal(expected[expected >= 0], np.arange((expected >= 0).sum()))
    assert (groups.first_come_in_order(codes) is not None) == in_order
    assert in_order == (kind in ("as written", "few labels"))


def _day_totals(frame: pd.DataFrame, minutes: np.ndarray, above: float) -> dict[int, float]:
    """What pandas says: each (nip, tanggal)'s total, at its first row, where over ``above``."""
    summed = (
        pd.Series(np.nan_to_num(minutes))
        .groupby([frame["nip"], frame["tanggal"]])
        .agg(["sum", lambda rows: rows.index[0]])
    )
    summed.columns = ["total", "first"]
    over = summed[summed["total"] > above]
    return dict(zip(over["first"].astype(int), over["total"], strict=True))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("block", [None, 7, 64])
def test_run_totals_skip_blocks_whose_days_cannot_add_up_over(seed, block, monkeypatch):
    # A block is skipped when its largest value times its longest run is not over the bound:
    # mostly days of up to three activities of up to 480 minutes (exactly 1,440 is not over),
    # a few days over, negative and missing minutes, fractions: the totals are pandas' still.
    from asn_eval.input import groups

    if block is not None:
        monkeypatch.setattr(groups, "BLOCK_ROWS", block)
    rng = np.random.default_rng(seed)
    runs = rng.choice([1, 2, 3], 3_000, p=[0.6, 0.3, 0.1])
    runs[rng.choice(len(runs), 12, replace=False)] = rng.integers(4, 9, 12)  # long days
    day = np.repeat(np.arange(len(runs)), runs)
    frame = pd.DataFrame(
        {
            "nip": pd.Categorical([f"n{d // 40:03d}" for d in day]),
            "tanggal": np.datetime64("2025-01-01", "s") + (day % 40) * 86_400,
        }
    )
    minutes = rng.choice([480.0, 240, 60, 30.5, 1 / 3, -5, np.nan], len(frame))
    length = np.repeat(runs, runs)
    minutes[length == 3] = 480  # days of exactly 1,440: not over
    ends = np.cumsum(runs) - 1
    minutes[ends[runs == 3][::7]] = 481  # 1,441: over by a minute
    minutes[length >= 4] = 480  # over
    minutes[np.flatnonzero(length >= 4)[::5]] = np.nan  # some less, some still over
    found = groups.run_totals(frame, ["nip", "tanggal"], minutes, 1440)
    first, totals = found
    expected = _day_totals(frame, minutes, 1440)
    assert dict(zip(first.tolist(), totals.tolist(), strict=True)) == pytest.approx(expected)
    assert 6 + (runs == 3).sum() // 7 <= len(expected) <= 12 + (runs == 3).sum() // 7 + 1
    assert 1441 in expected.values()
    assert 1440 not in expected.values()


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("order", ["nip-tanggal", "tanggal-nip", "shuffled"])
@pytest.mark.parametrize("block", [None, 5, 64])
@pytest.mark.parametrize("whole", [True, False])
def test_run_totals_as_pandas_adds_them_up(seed, order, block, whole, monkeypatch):
    # Days of one employee added up in blocks of a few rows too, where a day straddles a block,
    # or is longer than one (the block then grows); rows by date first are sorted too; shuffled
    # rows are not sorted (None). Missing minutes add nothing; fractions add row by row.
    if block is not None:
        monkeypatch.setattr(groups, "BLOCK_ROWS", block)
    rng = np.random.default_rng(seed)
    frame = _frame(seed, rows=2_000).drop(columns="periode")
    frame["tanggal"] = np.datetime64("2025-01-01", "s") + rng.integers(0, 4, len(frame)) * 86_400
    frame = frame.sort_values(
        ["nip", "tanggal"] if order == "nip-tanggal" else ["tanggal", "nip"], kind="stable"
    )
    if order == "shuffled":
        frame = frame.sample(frac=1, random_state=seed)
    frame = frame.reset_index(drop=True)
    minutes = rng.integers(0, 1_000, len(frame)).astype("float64")
    if not whole:
        minutes += rng.choice([0.0, 0.1, 0.25, 1 / 3], len(frame))
    minutes[rng.random(len(frame)) < 0.05] = np.nan
    found = groups.run_totals(frame, ["nip", "tanggal"], minutes, 1440)
    if order == "shuffled":
        assert found is None
        return
    first, totals = found
    assert (np.diff(first) > 0).all()
    expected = _day_totals(frame, minutes, 1440)
    assert dict(zip(first.tolist(), totals.tolist(), strict=True)) == pytest.approx(expected)
    assert len(expected) > 3  # the data has days over the bound
    if whole:
        assert dict(zip(first.tolist(), totals.tolist(), strict=True)) == expected  # exactly
        known = np.nan_to_num(minutes)  # as read from an integer column: not looked at
        told = groups.run_totals(frame, ["nip", "tanggal"], known, 1440, whole=True)
        np.testing.assert_array_equal(told[0], first)
        np.testing.assert_array_equal(told[1], totals)
