"""Turning raw tables into typed ones, and every check of the input contract.

The pipeline for one dataset (see :func:`check_dataset`):

1. parse each column by its kind (numbers, dates, periods, labels, NIPs), noting every cell that
   cannot be parsed;
2. check required cells and ranges, as the pandera schema generated from the contract declares
   them (:func:`pandera_schema`);
3. check what spans rows and tables: duplicate keys, references, NIP rules, supervisor cycles,
   and the rules within a table that span its rows (:mod:`asn_eval.input.row_rules`: attendance
   sums, daily activity totals, RHK consistency);
4. give every reference column one shared categorical dtype (NIPs, OPD codes, periods), so later
   joins work on integer codes.

Values are parsed on their unique values only, then mapped back, so a column of a million
repeated labels costs one pass of hashing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd

from asn_eval.input.cells import (
    TableInCheck,
    Uniques,
    display,
    number_convention,
    parse_column,
)
from asn_eval.input.codes import codes_in, each_value, gather, recode
from asn_eval.input.contract import TABLES
from asn_eval.input.forms import spec_of
from asn_eval.input.groups import codes_met, flagged, has_repeats, row_groups
from asn_eval.input.groups import first_rows as _first_rows
from asn_eval.input.instansi import SCOPE, check_instansi, named_in, qualify_opd, scoped
from asn_eval.input.layout import RawTable
from asn_eval.input.nip import NIP_RULES, NIP_WARNINGS, check_nips, is_bare, rounds_to
from asn_eval.input.periode import periode_dtype
from asn_eval.input.problems import Problem
from asn_eval.input.row_rules import activity_rhk, row_rules, sum_months
from asn_eval.input.vocab import code_lookup, meant_by

__all__ = [
    "DatasetCheck",
    "check_dataset",
    "check_table",
    "find_cycles",
    "pandera_schema",
    "row_groups",
]

# --- step 2: required cells and ranges, declared as a pandera schema ----------------------------


SCHEMA_CHECKS = (
    ("gt", np.greater, "harus lebih dari"),
    ("ge", np.greater_equal, "harus paling kecil"),
    ("le", np.less_equal, "harus paling besar"),
)
"""The bounds of :func:`pandera_schema`: the contract's attribute, the test, and the message."""


def pandera_schema(table: str):
    """Return the pandera schema of a typed table: required cells and value ranges.

    Parameters
    ----------
    table : str
        A table (or form) name of the contract, e.g. ``"skp"``.

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
    for column in spec_of(table).columns:
        checks = []
        for attribute, _, words in SCHEMA_CHECKS:
            if (bound := getattr(column, attribute)) is not None:
                checks.append(getattr(pa.Check, attribute)(bound, error=f"{words} {bound:g}"))
        columns[column.name] = pa.Column(
            nullable=not column.required, checks=checks, required=False, coerce=False
        )
    return pa.DataFrameSchema(columns, strict=False, name=table)


def _missing_in(values: pd.Series) -> Callable[[slice], np.ndarray]:
    """Tell, for a block of rows, which of them a column leaves missing.

    A categorical, float or date column says it from its own array, block by block (no mask as
    long as the table); any other column from one mask.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.array.codes
        return lambda part: codes[part] < 0
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "fmM":
        array = values.to_numpy()  # the column's own array: NaN or NaT where missing
        return lambda part: pd.isna(array[part])
    missing = values.isna().to_numpy()
    return lambda part: missing[part]


def _outside(
    part: slice,
    missing: Callable[[slice], np.ndarray],
    numbers: np.ndarray,
    test: np.ufunc,
    bound: float,
) -> np.ndarray:
    """Rows of a block holding a value that fails ``test`` against ``bound``."""
    with np.errstate(invalid="ignore"):
        return ~missing(part) & ~test(numbers[part], bound)


def _schema_problems(table: TableInCheck, refused: dict[str, np.ndarray]) -> list[Problem]:
    """Report what :func:`pandera_schema` refuses (required cells, value ranges), found directly.

    The same rules from the same contract, each one vectorised comparison per column: at a hundred
    thousand employees pandera took longer to import than these checks take to run. Columns are
    compared as they are, block by block (:func:`flagged`): no copy of a float column, no
    table-long temporaries. ``tests/test_validation.py`` holds the two to the same failures.
    """
    frame = table.frame
    problems: list[Problem] = []
    for column in table.spec.columns:
        if column.name not in frame:
            continue
        values = frame[column.name]
        bounds = [(getattr(column, a), test, words) for a, test, words in SCHEMA_CHECKS]
        bounds = [(bound, test, words) for bound, test, words in bounds if bound is not None]
        if not column.required and not bounds:
            continue
        missing = _missing_in(values)
        failures = [(flagged(len(frame), missing), "wajib diisi", None)] if column.required else []
        if bounds:
            if isinstance(values.dtype, pd.Int8Dtype | pd.Int16Dtype | pd.Int32Dtype):
                # whole numbers compared as they are (a missing one is never compared): no copy
                # of every value into floats
                numbers = values.to_numpy(values.dtype.numpy_dtype, na_value=0)
            elif values.dtype == np.float64:
                numbers = values.to_numpy()  # the column's own array, NaN where missing
            else:
                numbers = values.to_numpy("float64", na_value=np.nan)
            shown = table.raw.frame[column.name]
            for bound, test, words in bounds:  # a missing value is only ever "wajib diisi"
                outside = partial(
                    _outside, missing=missing, numbers=numbers, test=test, bound=bound
                )
                failures.append((flagged(len(frame), outside), f"{words} {bound:g}", shown))
        for mask, message, value in failures:
            if column.name in refused and mask is not None:
                mask = mask & ~refused[column.name]
            problems += table.problems(mask, column.name, message, value)
    return problems


# --- step 3: what spans rows and tables ----------------------------------------------------------


def _duplicate_keys(table: TableInCheck) -> list[Problem]:
    frame = table.frame
    key = [c for c in table.spec.key if c in frame]
    if not key or not has_repeats(frame, key):
        return []
    groups = row_groups(frame, key)
    if int(groups.max(initial=-1)) + 1 == len(frame):  # as many keys as rows: none repeats
        return []
    unknown = np.zeros(len(frame), dtype=bool)
    for column in table.spec.optional_key:  # rows that cannot be identified are not compared
        unknown |= frame[column].isna().to_numpy() if column in frame else True
    for column in key:  # nor rows whose key cell was refused (reported already)
        if column in table.refused:
            unknown |= table.refused[column]
    if unknown.any():
        groups = pd.factorize(np.where(unknown, -1 - np.arange(len(frame)), groups))[0]
    first = _first_rows(groups)[groups]
    duplicated = first != np.arange(len(frame))
    if not duplicated.any():
        return []
    shown = table.rows(np.ones(len(frame), dtype=bool))[first]
    names = ", ".join(key)
    return table.problems(duplicated, key[-1], f"baris ganda: ({names}) sama dengan baris", shown)


def _opd_lookup(opd: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """How an OPD may be written, to the codes it may mean.

    A code written exactly as in the opd table means that code. A code or name written loosely
    (other case, spaces or punctuation: ``dinsos p3a``, ``Dinas Sosial``) means the one OPD whose
    code or name has that key; when two OPDs share the key (``DINSOS/P3A`` and ``DINSOS_P3A``),
    the loose form is ambiguous and refused.

    With instansi (:mod:`asn_eval.input.instansi`), every form is scoped by its instansi
    (``KOTA-SKM`` + SCOPE + ``dinkes``) and means the qualified code (``KOTA-SKM/DINKES``).
    """
    present = opd["kode_opd"].notna()
    codes = [str(c) for c in opd["kode_opd"][present]]
    if "kode_instansi" in opd:
        scopes = [str(i).strip() + SCOPE for i in opd["kode_instansi"][present].astype(object)]
        meant = [s[:-1] + "/" + c.strip() for s, c in zip(scopes, codes, strict=True)]
    else:
        scopes, meant = [""] * len(codes), codes
    names = [name if pd.notna(name) else None for name in opd["nama_opd"][present]]
    return code_lookup(list(zip(scopes, codes, names, meant, strict=True)))


def _resolve_opd(value: object, lookup: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    scope, sep, text = str(value).rpartition(SCOPE)
    return meant_by(text, lookup, scope + sep)


def _references(
    tables: dict[str, TableInCheck],
    opd_lookup: dict[str, tuple[str, ...]],
    nips: pd.Index | None = None,
) -> list[Problem]:
    """Report references to rows another table does not have (``nips``: pegawai's, if known)."""
    problems: list[Problem] = []
    if nips is None:
        nips = pd.Index([], dtype="str")
    if "pegawai" in tables and not len(nips):
        nips = pd.Index(pd.unique(tables["pegawai"].frame["nip"].dropna().astype("str")))
    for table in tables.values():
        for ref in table.spec.references:
            if ref.column not in table.frame or ref.table not in tables:
                continue
            values = table.frame[ref.column]
            if ref.target == "nip":
                if ref.column == "nip" and table.spec.name == "pegawai":
                    continue
                if _all_in(values, nips):  # every NIP named is in pegawai: no row to look at
                    continue
                known = each_value(values, lambda distinct: nips.get_indexer(distinct) >= 0)
                unknown = values.notna().to_numpy() & ~known  # nips: unique
                problems += _unknown_nips(table, ref.column, unknown, tables)
                continue
            elif ref.target == "kode_instansi":
                codes = set(tables[ref.table].frame["kode_instansi"].dropna().astype(str))
                known = named_in(values, codes)  # a code refused as ambiguous: said already
                known |= table.refused.get(ref.column, np.zeros(len(values), dtype=bool))
                message = "kode instansi tidak ada di tabel instansi"
            else:
                in_scope = "kode_instansi" in tables["opd"].frame
                if in_scope and "kode_instansi" not in table.frame:
                    continue  # reported whole by check_instansi
                written = scoped(table.frame, values) if in_scope else values
                uniques = Uniques.of(written)
                found = [_resolve_opd(v, opd_lookup) for v in uniques.values]
                resolved = uniques.categorical([f[0] if len(f) == 1 else None for f in found])
                several = uniques.rows_of(np.array([len(f) > 1 for f in found], dtype=bool))
                for position in np.flatnonzero(several):
                    mask = np.zeros(len(values), dtype=bool)
                    mask[position] = True
                    meant = found[uniques.codes[position]]
                    problems += table.problems(
                        mask,
                        ref.column,
                        f"bisa berarti lebih dari satu OPD ({', '.join(meant)}); tulis kodenya "
                        "persis seperti di tabel opd",
                        values,
                    )
                known = pd.notna(resolved) | several | (written.isna() & values.notna()).to_numpy()
                table.frame[ref.column] = pd.Series(resolved, index=values.index)
                message = "kode OPD tidak ada di tabel opd"
                if in_scope:
                    message += " untuk instansi ini"
            problems += table.problems(values.notna() & ~known, ref.column, message, values)
    return problems


def _unknown_nips(
    table: TableInCheck, column: str, unknown: np.ndarray, tables: dict[str, TableInCheck]
) -> list[Problem]:
    """NIPs not in pegawai; one that matches a NIP whose digits were lost there says so."""
    if not unknown.any():
        return []
    message = "NIP tidak ada di tabel pegawai"
    values = table.frame[column]
    shown = table.raw.frame[column]  # the cell as written, not its bare digits
    malformed = unknown & ~each_value(values, is_bare)
    problems = table.problems(
        malformed, column, "bukan NIP: NIP ditulis 18 angka (spasi dan titik boleh)", shown
    )
    unknown = unknown & ~malformed
    pegawai = tables["pegawai"]
    lost = pegawai.refused.get("nip", np.zeros(len(pegawai.frame), dtype=bool))
    if not lost.any():
        return problems + table.problems(unknown, column, message, shown)
    lost_cells = pegawai.raw.frame["nip"][lost]
    lost_rows = pegawai.rows(lost)
    for position in np.flatnonzero(unknown):
        nip = str(values.iloc[position])
        near = [i for i, cell in enumerate(lost_cells) if rounds_to(nip, cell)]
        note = (
            f"; kemungkinan pegawai di {pegawai.raw.source.label} baris {lost_rows[near[0]]}, "
            "yang NIP-nya kehilangan angka"
            if near
            else ""
        )
        mask = np.zeros(len(values), dtype=bool)
        mask[position] = True
        problems += table.problems(mask, column, message + note, shown)
    return problems


def _nip_rules(pegawai: TableInCheck) -> list[Problem]:
    frame = pegawai.frame
    checks = check_nips(frame["nip"])
    raw = pegawai.raw.frame["nip"]
    problems: list[Problem] = []
    for rule, message in NIP_RULES.items():
        problems += pegawai.problems(checks[rule], "nip", message, raw)
    for rule, message in NIP_WARNINGS.items():
        problems += pegawai.problems(checks[rule], "nip", message, raw, "peringatan")
    if "jenis_kelamin" in frame:
        said = checks["jenis_kelamin_nip"]  # L or P, by the 15th digit
        recorded = frame["jenis_kelamin"]
        if not isinstance(recorded.dtype, pd.CategoricalDtype):
            recorded = recorded.astype("category")
        code = codes_in(recorded, said.cat.categories, np.int8)  # in said's codes; -1: another
        mismatch = (
            (said.array.codes >= 0) & recorded.notna().to_numpy() & (code != said.array.codes)
        )
        problems += pegawai.problems(
            mismatch,
            "jenis_kelamin",
            "jenis kelamin tidak sesuai dengan digit ke-15 NIP",
            frame["jenis_kelamin"],
            "peringatan",
        )
    return problems


def _golongan_rules(pegawai: TableInCheck) -> list[Problem]:
    frame = pegawai.frame
    problems: list[Problem] = []
    if "golongan" in frame:
        # "III" alone: a PPPK grade, or a PNS golongan without its letter; only the status says
        bare = each_value(
            pegawai.raw.frame["golongan"],
            lambda written: written.astype("str").str.strip().str.fullmatch(r"[IVX]+"),
        )
        status = frame["status"] if "status" in frame else pd.Series(pd.NA, index=frame.index)
        problems += pegawai.problems(
            bare & status.isna().to_numpy(),
            "golongan",
            "golongan tanpa huruf dan tanpa status: tulis III/a … III/d untuk PNS atau PPPK III "
            "untuk PPPK (atau isi kolom status)",
            pegawai.raw.frame["golongan"],
        )
    if "golongan" in frame and "status" in frame:
        # A bare Roman numeral ("III") names a PPPK grade; for a PNS it is a golongan without its
        # letter. Either way the rank and the status must agree (PP 99/2000, PP 49/2018).
        pppk = each_value(frame["golongan"], lambda rank: rank.astype("str").str.startswith("PPPK"))
        known = (frame["golongan"].notna() & frame["status"].notna()).to_numpy()
        wrong = known & (pppk != (frame["status"] == "PPPK").to_numpy())
        problems += pegawai.problems(
            wrong & (frame["status"] == "PNS").to_numpy(),
            "golongan",
            "golongan PPPK untuk pegawai berstatus PNS; tulis golongan PNS lengkap dengan "
            "hurufnya (mis. III/a)",
            pegawai.raw.frame["golongan"],
        )
        problems += pegawai.problems(
            wrong & (frame["status"] == "PPPK").to_numpy(),
            "golongan",
            "golongan PNS untuk pegawai berstatus PPPK; tulis golongan PPPK (mis. PPPK IX)",
            pegawai.raw.frame["golongan"],
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
    up = _parent_rows(child, parent)
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


def _parent_rows(child: pd.Series, parent: pd.Series) -> np.ndarray:
    """Each row's parent row: the first row whose key is its parent key (-1 where none)."""
    if isinstance(child.dtype, pd.CategoricalDtype) and isinstance(
        parent.dtype, pd.CategoricalDtype
    ):  # through the categories: hashing a few thousand parents, not every row's key
        keys = child.array.codes
        rows = np.flatnonzero(keys >= 0)
        first = np.full(len(child.cat.categories), -1, dtype=np.intp)
        first[keys[rows[::-1]]] = rows[::-1]  # the last written is the first row of each key
        at = pd.Index(parent.cat.categories).get_indexer(child.cat.categories)
        of_parent = np.full(len(parent.cat.categories) + 1, -1, dtype=np.intp)  # + code -1
        of_parent[at[at >= 0]] = first[np.flatnonzero(at >= 0)]
        return gather(of_parent, parent.array.codes)
    first = np.flatnonzero(~child.duplicated().to_numpy())  # duplicate keys are reported apart
    found = pd.Index(np.asarray(child, dtype=object)[first]).get_indexer(
        np.asarray(parent, dtype=object)
    )
    return np.where(parent.notna().to_numpy() & (found >= 0), first[np.maximum(found, 0)], -1)


def _employee_rules(pegawai: TableInCheck) -> list[Problem]:
    """Check what the employees' table needs no other table for: NIPs, ranks, supervisors."""
    problems = _nip_rules(pegawai) + _golongan_rules(pegawai)
    return problems + _cycle_problems(pegawai, "nip", "nip_atasan", "rantai atasan")


def _cycle_problems(table: TableInCheck, key: str, parent: str, what: str) -> list[Problem]:
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


def _all_in(values: pd.Series, known: pd.Index) -> bool:
    """Whether every category of a categorical column is in ``known`` (unique); False otherwise."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return False
    return bool((known.get_indexer(values.cat.categories) >= 0).all())


# --- step 4: shared categorical dtypes --------------------------------------------------------


def _nip_dtype(pegawai: pd.DataFrame) -> pd.CategoricalDtype:
    """Return the dtype every NIP column shares: the employees' NIPs, in their rows' order.

    Where the column's categories are already those NIPs (row i holds category i: each row its
    own NIP, none missing), they are taken as they are: no text copied, no second hashing.
    """
    nips = pegawai["nip"]
    if isinstance(nips.dtype, pd.CategoricalDtype) and nips.cat.categories.dtype == "str":
        codes = nips.array.codes
        if len(codes) == len(nips.cat.categories) and np.array_equal(codes, np.arange(len(codes))):
            return pd.CategoricalDtype(nips.cat.categories)
    return pd.CategoricalDtype(pd.Index(nips.to_numpy(), dtype="str"))


def _share_dtypes(tables: dict[str, pd.DataFrame], early: _EarlyNips | None = None) -> None:
    """Give every reference column its shared dtype; NIP columns recoded early are taken as is."""
    nip_dtype = early.dtype if early is not None else _nip_dtype(tables["pegawai"])
    opd_dtype = pd.CategoricalDtype(pd.Index(tables["opd"]["kode_opd"].to_numpy(), dtype="str"))
    periodes: set[str] = set()
    for frame in tables.values():
        if "periode" in frame:
            values = frame["periode"]
            if isinstance(values.dtype, pd.CategoricalDtype):  # from the codes: no copy
                used = codes_met(values.array.codes, len(values.cat.categories))
                periodes.update(values.cat.categories[used])
            else:
                periodes.update(values.dropna().unique())
    per_dtype = periode_dtype(periodes)
    for name, frame in tables.items():
        for column in TABLES[name].columns:
            if column.name not in frame:
                continue
            if column.kind == "nip":
                done = early.take(name, frame[column.name]) if early is not None else None
                frame[column.name] = recode(frame[column.name], nip_dtype) if done is None else done
            elif column.name in ("kode_opd", "induk"):
                frame[column.name] = recode(frame[column.name], opd_dtype)
            elif column.kind == "periode":
                frame[column.name] = recode(frame[column.name], per_dtype)
            elif column.kind == "code" and not isinstance(
                frame[column.name].dtype, pd.CategoricalDtype
            ):  # astype of a categorical would give read-only codes a user cannot set
                frame[column.name] = frame[column.name].astype("category")


def _as_text(values: pd.Series) -> pd.Series:
    """Keep a column the contract does not know as text, as the sheet shows it (12, not 12.0)."""
    if not values.dtype == object:
        return values
    shown = [None if display(v) is None else str(display(v)) for v in values]
    return pd.Series(shown, index=values.index, dtype="str")


def check_table(raw: RawTable, *, in_dataset: bool = False) -> tuple[TableInCheck, list[Problem]]:
    """Parse one table's cells by their kinds and check what lies within the table.

    Steps 1 and 2 of the pipeline, and of step 3 the duplicate keys and the rules within the table
    (:func:`~asn_eval.input.row_rules.row_rules`); what spans tables is left to
    :func:`check_dataset`. Also reads a form outside any dataset
    (:data:`asn_eval.input.forms.FORMS`, e.g. the sheet of forum decisions) exactly as a
    dataset's table is read.

    Parameters
    ----------
    raw : RawTable
        The table as read (headers already mapped), from :func:`~asn_eval.input.layout.read_table`.
    in_dataset : bool, default False
        Whether :func:`check_dataset` checks it (and so recodes its NIP and period columns before
        they are kept, which lets their categories stay as read).

    Returns
    -------
    table : TableInCheck
        ``table.frame`` holds the typed columns (unknown columns as text), one row per raw row;
        ``table.rows`` names their spreadsheet rows.
    problems : list of Problem
        Unreadable cells, missing required cells, values out of range, duplicate keys.
    """
    table = TableInCheck(raw, in_dataset=in_dataset)
    spec = table.spec
    problems: list[Problem] = []
    whole = table.raw.numbers or {}  # a piece of a table: the whole table's number values
    numbers = [
        whole[c.name] if c.name in whole else table.uniques(c.name).values
        for c in spec.columns
        if c.kind in ("number", "integer")
        and c.name in table.raw.frame
        and not pd.api.types.is_numeric_dtype(table.raw.frame[c.name].dtype)
    ]
    convention = number_convention(numbers, table.raw.decimal_hint)
    typed = {}
    refused: dict[str, np.ndarray] = {}
    for column in spec.columns:
        if column.name not in table.raw.frame:
            continue
        typed[column.name], found, mask = parse_column(table, column, convention)
        if mask is not None:
            refused[column.name] = mask
        problems += found
    extras = {c: _as_text(table.raw.frame[c]) for c in table.raw.frame.columns if c not in typed}
    # the parsed columns are new: taken as they are, not copied into 2-D blocks
    table.frame = pd.DataFrame({**typed, **extras}, index=table.raw.frame.index, copy=False)
    table.refused = refused
    if table.months is not None:
        problems += sum_months(table)
    problems += _schema_problems(table, table.refused)
    problems += _duplicate_keys(table)
    problems += row_rules(table)
    return table, problems


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
    check = DatasetCheck()
    for name in TABLES:
        if name in raws:
            check.add(raws[name])
    return check.finish()


class _EarlyNips:
    """NIP columns recoded to the employees' NIPs before the dataset is known to have no error.

    A column whose every NIP is an employee's replaces the table's column at once (and the column
    as read, where the table took it as read: the same values, so nothing said about the table
    changes), which is then not kept beside it. Any other is kept aside with the column it was
    made from: :func:`_share_dtypes` takes it only when the table still holds that very column.
    """

    def __init__(self, pegawai: pd.Series) -> None:
        self.source = pegawai.array
        self.dtype = _nip_dtype(pegawai.to_frame())
        self.columns: dict[tuple[str, str], tuple[object, pd.Series]] = {}

    def add(self, name: str, table: TableInCheck) -> None:
        frame = table.frame
        for column in TABLES[name].columns:
            if column.kind == "nip" and column.name in frame:
                values = frame[column.name]
                # taken only while the table holds ``values``, which it then replaces
                recoded = recode(values, self.dtype, own=False)
                if name != "pegawai" and _all_in(values, self.dtype.categories):
                    read = table.raw.frame.get(column.name)
                    if read is not None and read.array is values.array:  # taken as read
                        table.raw.frame[column.name] = recoded
                    frame[column.name] = recoded  # the column read is freed
                    values = recoded
                self.columns[name, column.name] = (values.array, recoded)

    def take(self, name: str, values: pd.Series) -> pd.Series | None:
        source, recoded = self.columns.pop((name, str(values.name)), (None, None))
        return recoded if source is values.array else None


class DatasetCheck:
    """The checks of one dataset, run as its tables come (e.g. each as soon as it is read).

    :meth:`add` checks a table on its own (:func:`check_table`) and runs at once what needs only
    the tables there so far: the employees' NIPs, ranks and supervisor chains, an activity's RHK
    in the SKP, and, while no error is found, the NIP columns recoded to the employees' NIPs
    (step 4, kept aside until the dataset has no error).
    :meth:`finish` checks what spans tables and gives what :func:`check_dataset` gives.

    Examples
    --------
    >>> check = DatasetCheck()
    >>> check.finish()
    ({}, [])
    """

    def __init__(self) -> None:
        self.checked: dict[str, tuple[TableInCheck, list[Problem]]] = {}
        self.activities: list[Problem] | None = None
        self.employees: list[Problem] | None = None
        self.nips: _EarlyNips | None = None
        self.erroneous = False

    def add(self, raw: RawTable) -> None:
        """Check one table on its own, and what needs only the tables checked so far.

        Parameters
        ----------
        raw : RawTable
            A table of the dataset as read; any order of tables.
        """
        name = raw.source.table
        table, found = self.checked[name] = check_table(raw, in_dataset=True)
        self.erroneous = self.erroneous or any(p.is_error for p in found)
        if name == "pegawai":  # while the larger tables are still being read
            self.employees = _employee_rules(table)
        if self.activities is None and {"aktivitas", "skp"} <= self.checked.keys():
            self.activities = activity_rhk({n: self.checked[n][0] for n in ("aktivitas", "skp")})
        if self.erroneous:
            self.nips = None  # step 4 will not be taken
        elif self.nips is None and "pegawai" in self.checked:
            try:
                self.nips = _EarlyNips(self.checked["pegawai"][0].frame["nip"])
            except (KeyError, ValueError):  # no NIP column, repeated NIPs: left to the end
                return
            for other, (done, _) in self.checked.items():
                self.nips.add(other, done)
        elif self.nips is not None:
            self.nips.add(name, table)

    def finish(self) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
        """Check what spans tables; finish the dataset.

        Returns
        -------
        tables : dict
            Table name to typed DataFrame, in the contract's order; only meaningful when
            ``problems`` has no error.
        problems : list of Problem
            Every error and warning, in file and row order.
        """
        problems: list[Problem] = []
        tables: dict[str, TableInCheck] = {}
        for name in TABLES:
            if name in self.checked:
                tables[name], found = self.checked[name]
                problems += found

        problems += check_instansi(tables)
        opd_lookup = _opd_lookup(tables["opd"].frame) if "opd" in tables else {}
        early = self.nips
        current = early is not None and early.source is tables["pegawai"].frame["nip"].array
        known = early.dtype.categories if current else None  # pegawai's NIPs, unique
        problems += _references(tables, opd_lookup, known)
        if "opd" in tables and "kode_instansi" in tables["opd"].frame:
            qualify_opd(tables["opd"].frame)
        problems += self.employees or []  # both found by add, once their tables were there
        problems += self.activities or []
        if "opd" in tables:
            problems += _cycle_problems(tables["opd"], "kode_opd", "induk", "rantai induk OPD")

        frames = {name: t.frame for name, t in tables.items()}
        problems.sort(key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
        if not any(p.is_error for p in problems) and "pegawai" in frames and "opd" in frames:
            early = self.nips
            if early is not None and early.source is not frames["pegawai"]["nip"].array:
                early = None  # the employees' NIPs changed since: recode them all now
            _share_dtypes(frames, early)
        return frames, problems
