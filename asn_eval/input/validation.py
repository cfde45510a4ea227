"""Turning raw tables into typed ones, and every check of the input contract.

The pipeline for one dataset (see :func:`check_dataset`):

1. parse each column by its kind (numbers, dates, periods, labels, NIPs), noting every cell that
   cannot be parsed;
2. check required cells and ranges with a pandera schema generated from the contract;
3. check what spans rows and tables: duplicate keys, references, NIP rules, supervisor cycles,
   attendance sums, daily activity totals, RHK consistency;
4. give every reference column one shared categorical dtype (NIPs, OPD codes, periods), so later
   joins work on integer codes.

Values are parsed on their unique values only, then mapped back, so a column of a million
repeated labels costs one pass of hashing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from asn_eval.input.contract import TABLES, Column, Table
from asn_eval.input.nip import NIP_RULES, NIP_WARNINGS, check_nips, strip_nip
from asn_eval.input.periode import parse_periode, periode_dtype
from asn_eval.input.problems import Level, Problem
from asn_eval.input.readers import RawTable
from asn_eval.input.vocab import match_key

__all__ = ["CATEGORY_TEXT", "check_dataset", "pandera_schema", "recode", "row_groups"]

CATEGORY_TEXT = frozenset(
    {"unit_kerja", "jabatan", "rhk", "indikator", "satuan", "uraian", "umpan_balik"}
)
"""Free-text columns whose values repeat a lot; kept as categoricals to save memory."""

_DATE_FORMATS = ("ISO8601", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%m/%d/%Y")


@dataclass
class _Table:
    """A table during checking: the raw read, the typed frame, and how to name its cells."""

    raw: RawTable
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def spec(self) -> Table:
        return TABLES[self.raw.source.table]

    def rows(self, mask: np.ndarray | pd.Series) -> np.ndarray:
        """Spreadsheet row numbers of the rows selected by ``mask``."""
        index = self.frame.index if len(self.frame.index) else self.raw.frame.index
        return np.asarray(index)[np.asarray(mask, dtype=bool)] + self.raw.first_row

    def header(self, column: str) -> str:
        return self.raw.headers.get(column, column)

    def problems(
        self,
        mask: np.ndarray | pd.Series,
        column: str | None,
        message: str,
        values: pd.Series | np.ndarray | None = None,
        level: Level = "galat",
    ) -> list[Problem]:
        """One problem per row selected by ``mask``, showing that row's value."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return []
        label = self.raw.source.label
        header = self.header(column) if column else None
        shown = [None] * int(mask.sum()) if values is None else list(np.asarray(values)[mask])
        return [
            Problem(label, int(row), header, message, _display(value), level)
            for row, value in zip(self.rows(mask), shown, strict=True)
        ]


def _display(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


# --- step 1: parsing by kind -------------------------------------------------------------------


@dataclass
class _Uniques:
    """A column factorized: integer codes per row and the distinct raw values."""

    codes: np.ndarray
    values: pd.Index
    blank: np.ndarray

    @classmethod
    def of(cls, series: pd.Series) -> _Uniques:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        values = pd.Index(np.asarray(uniques, dtype=object))
        blank = np.array([isinstance(v, str) and not v.strip() for v in values], dtype=bool)
        return cls(codes, values, blank)

    @property
    def present(self) -> np.ndarray:
        """Rows holding a non-blank value."""
        ok = self.codes >= 0
        return ok & ~self.blank[np.where(ok, self.codes, 0)] if len(self.blank) else ok

    def spread(self, parsed: pd.Series, dtype: str) -> pd.Series:
        """Map parsed unique values (numbers or dates) back to every row."""
        if not len(parsed):  # an empty column
            return pd.Series(index=range(len(self.codes)), dtype=dtype)
        values = pd.Series(parsed.to_numpy(), dtype=dtype)
        values[self.blank] = None
        out = values.take(np.where(self.codes >= 0, self.codes, 0)).reset_index(drop=True)
        return out.where(self.codes >= 0)

    def categorical(self, parsed: list[object] | pd.Series) -> pd.Categorical:
        """Map parsed unique values (labels, codes) back to every row as a categorical."""
        parsed = pd.Series(parsed, dtype=object)
        parsed[self.blank] = None
        inner, categories = pd.factorize(parsed, use_na_sentinel=True)
        codes = (
            np.where(self.codes >= 0, inner[np.maximum(self.codes, 0)], -1)
            if len(inner)
            else (np.full(len(self.codes), -1))
        )
        return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype="str"))


def _parse_numbers(uniques: pd.Index) -> pd.Series:
    numeric = pd.Series(
        [v if isinstance(v, int | float) and not isinstance(v, bool) else np.nan for v in uniques],
        dtype="float64",
    )
    text = pd.Series(uniques.astype("str")).str.strip().str.rstrip("%").str.replace(" ", "")
    # 1,5 (decimal comma) → 1.5; 1.234,5 (thousands dot, decimal comma) → 1234.5
    comma_decimal = text.str.fullmatch(r"-?[\d.]*,\d+")
    text = text.where(~comma_decimal, text.str.replace(".", "").str.replace(",", "."))
    return numeric.fillna(pd.to_numeric(text, errors="coerce")).astype("float64")


def _parse_dates(uniques: pd.Index) -> pd.Series:
    parsed = pd.Series(pd.NaT, index=range(len(uniques)), dtype="datetime64[s]")
    for fmt in _DATE_FORMATS:
        todo = parsed.isna()
        if not todo.any():
            break
        values = pd.Series(uniques[todo.to_numpy()], index=parsed.index[todo])
        if fmt != "ISO8601":
            values = values.astype("str").str.strip()
        attempt = pd.to_datetime(values, format=fmt, errors="coerce")
        parsed = parsed.fillna(attempt.astype("datetime64[s]"))
    return parsed


def _code(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_column(table: _Table, column: Column) -> tuple[pd.Series, list[Problem]]:
    """Parse one column by its kind; return typed values and the cells that could not be parsed."""
    raw = table.raw.frame[column.name]
    uniques = _Uniques.of(raw)
    present = uniques.present
    index = raw.index

    def unparsed(parsed: pd.Series | pd.Categorical, message: str) -> list[Problem]:
        return table.problems(present & np.asarray(pd.isna(parsed)), column.name, message, raw)

    if column.kind in ("number", "integer"):
        if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
            parsed = raw.astype("float64")
        else:
            parsed = uniques.spread(_parse_numbers(uniques.values), "float64")
            parsed.index = index
        problems = unparsed(parsed, "bukan angka")
        if column.kind == "integer":
            fractional = (parsed.notna() & (parsed % 1 != 0)).to_numpy()
            problems += table.problems(fractional, column.name, "harus bilangan bulat", raw)
            parsed = parsed.where(~fractional)
            small = column.le is not None and column.le <= 127 and (column.ge or 0) >= -128
            parsed = parsed.astype("Int8" if small else "Int32")
        return parsed, problems
    if column.kind == "date":
        if pd.api.types.is_datetime64_any_dtype(raw.dtype):
            parsed = raw.astype("datetime64[s]")
        else:
            parsed = uniques.spread(_parse_dates(uniques.values), "datetime64[s]")
            parsed.index = index
        return parsed, unparsed(parsed, "bukan tanggal (tulis 2025-01-31 atau 31/01/2025)")
    if column.kind == "text":
        cleaned = [str(v).strip() or None for v in uniques.values]
        text = pd.Series(uniques.categorical(cleaned), index=index)
        return (text if column.name in CATEGORY_TEXT else text.astype("str")), []
    if column.kind == "periode":
        values = uniques.categorical([parse_periode(v) for v in uniques.values])
        problems = unparsed(values, "bukan periode (tulis 2025-TW1 … 2025-TW4 atau 2025)")
    elif column.kind == "label":
        labels = column.labels
        assert labels is not None
        values = uniques.categorical(labels.normalise(uniques.values))
        allowed = ", ".join(labels.values)
        problems = unparsed(values, f"{labels.name} tidak dikenal; yang sah: {allowed}")
        return recode(pd.Series(values, index=index), labels.dtype), problems
    elif column.kind == "nip":
        bare = strip_nip(pd.Series(uniques.values.astype("str"), dtype="str"))
        values, problems = uniques.categorical(bare), []
    else:
        values, problems = uniques.categorical([_code(v) for v in uniques.values]), []
    return pd.Series(values, index=index), problems


# --- step 2: required cells and ranges, declared as a pandera schema ----------------------------


def pandera_schema(table: str):
    """Return the pandera schema of a typed table: required cells and value ranges.

    Parameters
    ----------
    table : str
        A table name of the contract, e.g. ``"skp"``.

    Returns
    -------
    pandera.pandas.DataFrameSchema
        Checks each column's required-ness and bounds; unknown columns are allowed.

    Examples
    --------
    >>> schema = pandera_schema("perilaku")
    >>> sorted(schema.columns)[:3]
    ['nilai_inti', 'nip', 'nip_penilai']
    """
    import pandera.pandas as pa

    columns = {}
    for column in TABLES[table].columns:
        checks = []
        if column.gt is not None:
            checks.append(pa.Check.gt(column.gt, error=f"harus lebih dari {column.gt:g}"))
        if column.ge is not None:
            checks.append(pa.Check.ge(column.ge, error=f"harus paling kecil {column.ge:g}"))
        if column.le is not None:
            checks.append(pa.Check.le(column.le, error=f"harus paling besar {column.le:g}"))
        columns[column.name] = pa.Column(
            nullable=not column.required, checks=checks, required=False, coerce=False
        )
    return pa.DataFrameSchema(columns, strict=False, name=table)


def _schema_problems(table: _Table, reported: set[tuple[str, int]]) -> list[Problem]:
    import pandera.pandas as pa

    try:
        pandera_schema(table.spec.name).validate(table.frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return []
    cases = cases[cases["index"].notna() & cases["column"].notna()]
    problems = []
    label = table.raw.source.label
    for column, check, value, index in cases[
        ["column", "check", "failure_case", "index"]
    ].itertuples(index=False):
        if (column, int(index)) in reported:
            continue
        raw_value = table.raw.frame.at[int(index), column] if column in table.raw.frame else value
        message = "wajib diisi" if check == "not_nullable" else str(check)
        shown = None if check == "not_nullable" else _display(raw_value)
        problems.append(
            Problem(label, int(index) + table.raw.first_row, table.header(column), message, shown)
        )
    return problems


# --- step 3: what spans rows and tables ----------------------------------------------------------


def row_groups(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Give each distinct combination of ``columns`` a number, in order of first appearance.

    The columns' codes are packed into one 64-bit integer per row (compressed whenever the packed
    range would overflow), so grouping a table of tens of millions of rows costs one hash pass.

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
            key, found = pd.factorize(key)
            key, span = key.astype(np.int64), len(found)
        key = key * size + (codes.astype(np.int64) + 1)
        span *= size
    return pd.factorize(key)[0].astype(np.int64)


def _first_rows(groups: np.ndarray) -> np.ndarray:
    """Row position of each group's first row (groups numbered in order of first appearance)."""
    return np.flatnonzero(~pd.Series(groups).duplicated().to_numpy())


def _duplicate_keys(table: _Table) -> list[Problem]:
    frame = table.frame
    key = [c for c in table.spec.key if c in frame]
    if not key:
        return []
    groups = row_groups(frame, key)
    unknown = np.zeros(len(frame), dtype=bool)
    for column in table.spec.optional_key:  # rows that cannot be identified are not compared
        unknown |= frame[column].isna().to_numpy() if column in frame else True
    if unknown.any():
        groups = pd.factorize(np.where(unknown, -1 - np.arange(len(frame)), groups))[0]
    first = _first_rows(groups)[groups]
    duplicated = first != np.arange(len(frame))
    if not duplicated.any():
        return []
    shown = table.rows(np.ones(len(frame), dtype=bool))[first]
    names = ", ".join(key)
    return table.problems(duplicated, key[-1], f"baris ganda: ({names}) sama dengan baris", shown)


def _references(tables: dict[str, _Table], opd_lookup: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    nips = set(tables["pegawai"].frame["nip"].dropna()) if "pegawai" in tables else set()
    for table in tables.values():
        for ref in table.spec.references:
            if ref.column not in table.frame or ref.table not in tables:
                continue
            values = table.frame[ref.column]
            if ref.target == "nip":
                known = values.isin(nips)
                message = "NIP tidak ada di tabel pegawai"
                if ref.column == "nip" and table.spec.name == "pegawai":
                    continue
            else:
                uniques = _Uniques.of(values)
                resolved = uniques.categorical(
                    [opd_lookup.get(match_key(v)) for v in uniques.values]
                )
                known = pd.notna(resolved)
                table.frame[ref.column] = pd.Series(resolved, index=values.index)
                message = "kode OPD tidak ada di tabel opd"
            problems += table.problems(values.notna() & ~known, ref.column, message, values)
    return problems


def _nip_rules(pegawai: _Table) -> list[Problem]:
    frame = pegawai.frame
    checks = check_nips(frame["nip"])
    raw = pegawai.raw.frame["nip"]
    problems: list[Problem] = []
    for rule, message in NIP_RULES.items():
        problems += pegawai.problems(checks[rule], "nip", message, raw)
    for rule, message in NIP_WARNINGS.items():
        problems += pegawai.problems(checks[rule], "nip", message, raw, "peringatan")
    if "jenis_kelamin" in frame:
        recorded = frame["jenis_kelamin"].astype("str")
        mismatch = checks["jenis_kelamin_nip"].notna() & frame["jenis_kelamin"].notna()
        mismatch &= checks["jenis_kelamin_nip"] != recorded
        problems += pegawai.problems(
            mismatch,
            "jenis_kelamin",
            "jenis kelamin tidak sesuai dengan digit ke-15 NIP",
            frame["jenis_kelamin"],
            "peringatan",
        )
    return problems


def find_cycles(child: pd.Series, parent: pd.Series) -> list[list[int]]:
    """Find the cycles in a parent relation (a supervisor chain or an OPD tree).

    Parameters
    ----------
    child : Series
        Keys, unique.
    parent : Series
        Each key's parent key, or missing for a root.

    Returns
    -------
    list of list of int
        Each cycle once, as positions into ``child`` in the order of the chain.

    Examples
    --------
    >>> find_cycles(pd.Series(["a", "b", "c"]), pd.Series(["b", "a", None]))
    [[0, 1]]
    """
    first = np.flatnonzero(~child.duplicated().to_numpy())  # duplicate keys are reported apart
    found = pd.Index(np.asarray(child, dtype=object)[first]).get_indexer(
        np.asarray(parent, dtype=object)
    )
    up = np.where(parent.notna().to_numpy() & (found >= 0), first[np.maximum(found, 0)], -1)
    n = len(up)
    # Pointer doubling: after ⌈log2 n⌉ + 1 rounds, a node still pointing somewhere lies on or
    # leads into a cycle, and what it points to lies on a cycle.
    jump = up.copy()
    for _ in range(max(1, int(np.ceil(np.log2(max(n, 2))))) + 1):
        jump = np.where(jump >= 0, jump[np.maximum(jump, 0)], -1)
    on_cycle = np.unique(jump[jump >= 0])
    seen: set[int] = set()
    cycles = []
    for start in on_cycle:
        if start in seen:
            continue
        cycle, node = [], int(start)
        while node not in cycle:
            cycle.append(node)
            node = int(up[node])
        seen.update(cycle)
        first = cycle.index(min(cycle))
        cycles.append(cycle[first:] + cycle[:first])
    return sorted(cycles)


def _cycle_problems(table: _Table, key: str, parent: str, what: str) -> list[Problem]:
    if parent not in table.frame:
        return []
    frame = table.frame
    problems = []
    for cycle in find_cycles(frame[key], frame[parent]):
        chain = " → ".join(str(frame[key].iloc[i]) for i in [*cycle, cycle[0]])
        mask = np.zeros(len(frame), dtype=bool)
        mask[cycle[0]] = True
        message = (
            f"{what} membentuk lingkaran: {chain}" if len(cycle) > 1 else f"{what} diri sendiri"
        )
        problems += table.problems(mask, parent, message, frame[parent])
    return problems


def _equal(a: pd.Series, b: pd.Series) -> pd.Series:
    """Compare two categorical columns value by value, whatever their categories."""
    categories = a.cat.categories.union(b.cat.categories)
    same = a.cat.set_categories(categories) == b.cat.set_categories(categories)
    return same.fillna(False).astype(bool)


def _row_rules(tables: dict[str, _Table]) -> list[Problem]:
    problems: list[Problem] = []
    if "kehadiran" in tables:
        t = tables["kehadiran"]
        f = t.frame
        for column in ("hadir", "tanpa_keterangan", "cuti"):
            if column in f:
                over = (f[column] > f["hari_kerja"]).fillna(False)
                problems += t.problems(over, column, "melebihi hari_kerja", f[column])
        parts = [c for c in ("hadir", "tanpa_keterangan", "cuti") if c in f]
        if len(parts) > 1:
            total = f[parts].fillna(0).sum(axis=1)
            over = (total > f["hari_kerja"]).fillna(False)
            problems += t.problems(
                over,
                "hari_kerja",
                "hadir + tanpa keterangan + cuti melebihi hari kerja",
                f["hari_kerja"],
                "peringatan",
            )
    if "perilaku" in tables:
        t = tables["perilaku"]
        f = t.frame
        self_rating = (f["peran_penilai"] == "diri").fillna(False)
        if "nip_penilai" in f:
            missing = f["nip_penilai"].isna() & ~self_rating & f["peran_penilai"].notna()
            other = self_rating & f["nip_penilai"].notna() & ~_equal(f["nip_penilai"], f["nip"])
            problems += t.problems(
                other,
                "nip_penilai",
                "penilaian diri harus oleh pegawai itu sendiri",
                f["nip_penilai"],
            )
            rates_self = ~self_rating & _equal(f["nip_penilai"], f["nip"])
            problems += t.problems(
                rates_self,
                "nip_penilai",
                "penilai sama dengan yang dinilai, tetapi peran bukan diri",
                f["nip_penilai"],
            )
        else:
            missing = ~self_rating & f["peran_penilai"].notna()
        problems += t.problems(missing, "nip_penilai", "wajib diisi kecuali peran_penilai = diri")
    if "aktivitas" in tables:
        t = tables["aktivitas"]
        f = t.frame
        day = row_groups(f, ["nip", "tanggal"])
        minutes = np.nan_to_num(f["durasi_menit"].to_numpy("float64", na_value=0.0))
        daily = np.bincount(day, weights=minutes)[day]
        first_of_day = np.zeros(len(f), dtype=bool)
        first_of_day[_first_rows(day)] = True
        problems += t.problems(
            (daily > 1440) & first_of_day, "durasi_menit",
            "total durasi hari ini melebihi 1.440 menit", daily,
        )  # fmt: skip
        if "rhk_id" in f and "skp" in tables:
            problems += _activity_rhk(t, tables["skp"].frame)
    if "skp" in tables:
        t = tables["skp"]
        f = t.frame
        rhk = row_groups(f, ["periode", "nip", "rhk_id"])
        kinds = row_groups(f, ["periode", "nip", "rhk_id", "jenis_rhk"])
        first_of_kind = _first_rows(kinds)
        kinds_per_rhk = np.bincount(rhk[first_of_kind], minlength=rhk.max(initial=-1) + 1)
        first = np.zeros(len(f), dtype=bool)
        first[first_of_kind] = True
        mixed = first & (kinds_per_rhk[rhk] > 1) & f["jenis_rhk"].notna().to_numpy()
        problems += t.problems(
            mixed, "jenis_rhk", "RHK yang sama ditulis sebagai utama dan tambahan", f["jenis_rhk"]
        )
    return problems


def _codes_in(values: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each (categorical) value in ``index``; -1 where missing or absent."""
    mapping = index.get_indexer(values.cat.categories.astype("str"))
    codes = values.cat.codes.to_numpy()
    return np.where(codes >= 0, mapping[np.maximum(codes, 0)] if len(mapping) else -1, -1)


def _activity_rhk(t: _Table, skp: pd.DataFrame) -> list[Problem]:
    """Check that an activity's RHK is planned in that employee's SKP (in any period)."""
    f = t.frame
    names = [skp["nip"].cat.categories.astype("str"), f["nip"].cat.categories.astype("str")]
    nips = pd.Index(pd.unique(np.concatenate(names)))
    rhks = pd.Index(skp["rhk_id"].cat.categories.astype("str"))
    width = len(rhks) + 1
    planned = pd.unique(_codes_in(skp["nip"], nips) * width + _codes_in(skp["rhk_id"], rhks))
    rhk = _codes_in(f["rhk_id"], rhks)
    known = (rhk >= 0) & pd.Series(_codes_in(f["nip"], nips) * width + rhk).isin(planned)
    given = f["rhk_id"].notna().to_numpy()
    message = "RHK ini tidak ada di SKP pegawai tersebut"
    return t.problems(given & ~known.to_numpy(), "rhk_id", message, f["rhk_id"])


# --- step 4: shared categorical dtypes --------------------------------------------------------


def recode(values: pd.Series, dtype: pd.CategoricalDtype) -> pd.Series:
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
        codes = values.cat.codes.to_numpy()
    else:
        codes = _codes_in(values, dtype.categories)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype), index=values.index)


def _share_dtypes(tables: dict[str, pd.DataFrame]) -> None:
    nip_dtype = pd.CategoricalDtype(pd.Index(tables["pegawai"]["nip"].to_numpy(), dtype="str"))
    opd_dtype = pd.CategoricalDtype(pd.Index(tables["opd"]["kode_opd"].to_numpy(), dtype="str"))
    periodes: set[str] = set()
    for frame in tables.values():
        if "periode" in frame:
            periodes.update(frame["periode"].dropna().unique())
    per_dtype = periode_dtype(periodes)
    for name, frame in tables.items():
        for column in TABLES[name].columns:
            if column.name not in frame:
                continue
            if column.kind == "nip":
                frame[column.name] = recode(frame[column.name], nip_dtype)
            elif column.name in ("kode_opd", "induk"):
                frame[column.name] = recode(frame[column.name], opd_dtype)
            elif column.kind == "periode":
                frame[column.name] = recode(frame[column.name], per_dtype)
            elif column.kind == "code":
                frame[column.name] = frame[column.name].astype("category")


def check_dataset(
    raws: dict[str, RawTable],
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Parse and check every table of a dataset.

    Parameters
    ----------
    raws : dict
        Table name to the table as read (headers already mapped).

    Returns
    -------
    tables : dict
        Table name to typed DataFrame; only meaningful when ``problems`` has no error.
    problems : list of Problem
        Every error and warning, in file and row order.
    """
    problems: list[Problem] = []
    tables: dict[str, _Table] = {}
    for name in TABLES:
        if name not in raws:
            continue
        table = _Table(raws[name])
        spec = table.spec
        typed = {}
        reported: set[tuple[str, int]] = set()
        for column in spec.columns:
            if column.name not in table.raw.frame:
                continue
            typed[column.name], found = _parse_column(table, column)
            problems += found
            reported.update((column.name, p.row - table.raw.first_row) for p in found if p.row)
        extras = {c: table.raw.frame[c] for c in table.raw.frame.columns if c not in typed}
        table.frame = pd.DataFrame({**typed, **extras}, index=table.raw.frame.index)
        problems += _schema_problems(table, reported)
        problems += _duplicate_keys(table)
        tables[name] = table

    opd_lookup: dict[str, str] = {}
    if "opd" in tables:
        opd = tables["opd"].frame
        opd_lookup.update(
            {
                match_key(n): c
                for n, c in zip(opd["nama_opd"], opd["kode_opd"], strict=True)
                if pd.notna(n)
            }
        )
        opd_lookup.update({match_key(c): c for c in opd["kode_opd"].dropna()})
    problems += _references(tables, opd_lookup)
    if "pegawai" in tables:
        problems += _nip_rules(tables["pegawai"])
        problems += _cycle_problems(tables["pegawai"], "nip", "nip_atasan", "rantai atasan")
    if "opd" in tables:
        problems += _cycle_problems(tables["opd"], "kode_opd", "induk", "rantai induk OPD")
    problems += _row_rules(tables)

    frames = {name: t.frame for name, t in tables.items()}
    problems.sort(key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
    if not any(p.is_error for p in problems) and "pegawai" in frames and "opd" in frames:
        _share_dtypes(frames)
    return frames, problems
