"""Reading a table's cells by their column's kind, as a person reads them on the sheet.

Each column is parsed on its unique values only, then mapped back to every row, so a column of a
million repeated labels costs one pass of hashing. A value is read exactly as a person reading the
sheet reads it, or refused with its row and what was found (``data/README.md`` lists every form):

- numbers in Indonesian or English form, the decimal separator decided per column (see
  :func:`number_convention`), parsed with babel's strict locale parser;
- NIPs as typed (spaces, dots, ``'``, a ``NIP.`` prefix), and NIPs that reached the file as
  numbers refused, one message per column, because their last digits are gone;
- dates, durations, periods, IKM answers and labels in the forms exports write them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from asn_eval.input import vocab
from asn_eval.input.calendar import parse_dates, parse_durations
from asn_eval.input.codes import code_width, gather, recode, writable_codes
from asn_eval.input.contract import Column, Table
from asn_eval.input.forms import spec_of
from asn_eval.input.groups import codes_met
from asn_eval.input.layout import RawTable, holds_numbers
from asn_eval.input.nip import LOST_DIGITS, all_bare, read_nips
from asn_eval.input.periode import (
    parse_month,
    parse_periode,
    parse_periode_parts,
    quarter_of_month,
    year_of,
)
from asn_eval.input.problems import Level, Problem

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CATEGORY_TEXT",
    "TableInCheck",
    "Uniques",
    "number_convention",
    "parse_column",
    "read_durations",
    "read_numbers",
]

CATEGORY_TEXT = frozenset(
    {"unit_kerja", "jabatan", "rhk", "indikator", "satuan", "uraian", "umpan_balik"}
)
"""Free-text columns whose values repeat a lot; kept as categoricals to save memory."""

IKM_REFUSAL = (
    "jawaban IKM tidak dikenal, atau huruf/angka dan katanya tidak cocok; tulis 1–4 atau a–d "
    "(mis. c. Sesuai)"
)

PERIODE_HINT = "bukan periode (tulis 2025-TW1 … 2025-TW4, Triwulan I 2025, TW I 2025 atau 2025)"


@dataclass
class TableInCheck:
    """A table during checking: the raw read, the typed frame, and how to name its cells.

    ``in_dataset``: checked in a dataset, whose NIP and period columns are recoded before kept.
    """

    raw: RawTable
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    months: np.ndarray | None = None
    refused: dict[str, np.ndarray] = field(default_factory=dict)
    factorized: dict[str, Uniques] = field(default_factory=dict)
    in_dataset: bool = False

    def uniques(self, column: str) -> Uniques:
        """Return the raw column ``column`` factorized (computed once)."""
        if column not in self.factorized:
            self.factorized[column] = Uniques.of(self.raw.frame[column])
        return self.factorized[column]

    @property
    def spec(self) -> Table:
        """The table's contract."""
        return spec_of(self.raw.source.table)

    def rows(self, mask: np.ndarray | pd.Series) -> np.ndarray:
        """Spreadsheet row numbers of the rows selected by ``mask``."""
        return np.asarray(self.raw.rows[np.asarray(mask, dtype=bool)])

    def header(self, column: str) -> str:
        """Return the user's header for a canonical column."""
        return self.raw.headers.get(column, column)

    def problems(
        self,
        mask: np.ndarray | pd.Series | None,
        column: str | None,
        message: str,
        values: pd.Series | np.ndarray | None = None,
        level: Level = "galat",
    ) -> list[Problem]:
        """One problem per row selected by ``mask`` (None: none), showing that row's value."""
        if mask is None or not (mask := np.asarray(mask, dtype=bool)).any():
            return []
        label = self.raw.source.label
        if column in self.raw.cell_headers:
            headers = list(self.raw.cell_headers[column][mask])
        else:
            headers = [self.header(column) if column else None] * int(mask.sum())
        rows = np.flatnonzero(mask)  # only these rows' values: not the whole column as objects
        if values is None:
            shown = [None] * len(rows)
        elif isinstance(values, pd.Series):
            shown = list(np.asarray(values.iloc[rows]))
        else:
            shown = list(np.asarray(values)[rows])
        return [
            Problem(label, int(row), header, message, display(value), level)
            for row, header, value in zip(self.rows(mask), headers, shown, strict=True)
        ]

    def column_problem(
        self, mask: np.ndarray, column: str, message: str, value: object, level: Level = "galat"
    ) -> Problem:
        """One problem for a whole column: its first row, and the rows listed in the message."""
        rows = self.rows(mask)
        listed = ", ".join(str(r) for r in rows[:8]) + (
            f" dan {len(rows) - 8:,} lainnya" if len(rows) > 8 else ""
        )
        return Problem(
            self.raw.source.label,
            int(rows[0]),
            self.header(column),
            f"{message} (baris {listed})",
            display(value),
            level,
        )


def display(value: object) -> object:
    """Return a cell's value as shown in a message (whole floats without ``.0``, ISO dates).

    A NumPy scalar is given as the Python value it holds (a date as a date), whatever the dtype
    of the column it came from.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    elif isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


@dataclass
class Uniques:
    """A column factorized: integer codes per row and the distinct raw values."""

    codes: np.ndarray
    values: pd.Index
    blank: np.ndarray

    @classmethod
    def of(cls, series: pd.Series) -> Uniques:
        """Factorize ``series`` (missing values get code -1), values in order of appearance."""
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes, uniques = _factorize_categorical(series)
        else:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
        values = pd.Index(np.asarray(uniques, dtype=object))
        items = values.tolist()  # one conversion: iterating Arrow-backed text is slow per cell
        blank = np.array([isinstance(v, str) and not v.strip() for v in items], dtype=bool)
        return cls(codes, values, blank)

    def rows_of(self, unique_mask: np.ndarray) -> np.ndarray:
        """Rows whose value is one of the unique values selected by ``unique_mask``."""
        if not len(unique_mask):
            return np.zeros(len(self.codes), dtype=bool)
        return gather(np.append(np.asarray(unique_mask, dtype=bool), False), self.codes)

    def spread(self, parsed: pd.Series | np.ndarray, dtype: str) -> pd.Series:
        """Map parsed unique values (numbers or dates) back to every row."""
        if not len(parsed):  # an empty column
            return pd.Series(index=range(len(self.codes)), dtype=dtype)
        values = pd.Series(np.asarray(parsed), dtype=dtype)
        values[self.blank] = None
        out = values.take(np.where(self.codes >= 0, self.codes, 0)).reset_index(drop=True)
        return out.where(self.codes >= 0)

    def categorical(self, parsed: list[object] | pd.Series, *, own: bool = True) -> pd.Categorical:
        """Map parsed unique values (labels, codes) back to every row as a categorical.

        With ``own=False`` the result may share the (read-only) codes of the column read, when
        those are its codes already: for a column recoded before it is kept (NIPs, periods,
        labels), which saves a copy of every code.
        """
        parsed = pd.Series(parsed, dtype=object)
        parsed[self.blank] = None
        inner, categories = pd.factorize(parsed, use_na_sentinel=True)
        dtype = pd.CategoricalDtype(pd.Index(categories, dtype="str"))
        width = code_width(len(categories))
        if self.codes.dtype == width and np.array_equal(inner, np.arange(len(inner))):
            codes = self.codes.copy() if own else writable_codes(self.codes)  # values in order
        else:
            small = np.append(inner, -1).astype(width)
            codes = gather(small, self.codes)  # code -1 picks the appended -1
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _factorize_categorical(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Do what ``pd.factorize`` does to a categorical column, from its codes, without hashing rows.

    The categories met are numbered in the order their first rows come (as ``pd.factorize``
    numbers them), unused ones dropped; the first rows alone say that order when they hold every
    category (a few labels). When the order is the categories' own (a Parquet file's dictionary
    in the order its values first come, as writers make it), the column's codes are taken as they
    are.
    """
    categories = series.cat.categories
    raw = series.array.codes  # a view, not a copy (``.cat.codes`` copies)
    met = codes_met(raw, len(categories))
    if np.array_equal(met, np.arange(len(met))):  # met in the categories' order: codes as they are
        return raw, categories[: len(met)]
    number = np.full(len(categories) + 1, -1, dtype=raw.dtype)  # the last slot: code -1
    number[met] = np.arange(len(met))
    return gather(number, raw), categories[met]


# --- numbers -------------------------------------------------------------------------------------

_PLAIN = r"[+-]?\d+"
_ONE_DOT = r"[+-]?\d*\.\d+"
_ONE_COMMA = r"[+-]?\d*,\d+"
_GROUPED_DOT = r"[+-]?[1-9]\d{0,2}\.\d{3}"  # 1.750: a thousands dot, or a decimal dot
_GROUPED_COMMA = r"[+-]?[1-9]\d{0,2},\d{3}"
_UNIT = r"(?i)^(?:rp\.?|idr)\s*|\s*%$|[.,]-+$"  # Rp 1.500.000,- : the ",-" of a price
_GROUP_SPACE = "[ \u00a0\u202f]"  # a space, a no-break space, a narrow no-break space
_SPACED_GROUPS = r"^[+-]?\d{1,3}(?:" + _GROUP_SPACE + r"\d{3})+(?:[.,]\d+)?$"


def _clean_number_text(values: pd.Index) -> pd.Series:
    """Strip currency, percent sign, Excel's text marker and spaces between digit groups."""
    text = pd.Series(values.astype("str"), dtype="str").str.strip().str.lstrip("'’")
    text = text.str.replace(_UNIT, "", regex=True).str.strip()
    spaced = text.str.match(_SPACED_GROUPS)
    if spaced.any():
        text = text.where(~spaced, text.str.replace(_GROUP_SPACE, "", regex=True))
    return text


_SIMPLE = r"[+-]?\d+(?:\.\d+)?"


def _simple(text: pd.Series) -> bool:
    """Tell whether plain digits and decimal dots read this column one way only.

    They do unless a value could also be a thousands group (``1.750``) and no other value shows
    the decimal dot (``85.5``); such a column goes through the full rule of :func:`read_numbers`.
    """
    if not text.str.fullmatch(_SIMPLE).all():
        return False
    grouped = text.str.fullmatch(_GROUPED_DOT)
    return not grouped.any() or bool((~grouped & text.str.contains(".", regex=False)).any())


def _evidence(text: pd.Series) -> tuple[bool, bool]:
    """Whether some values can only be read with a decimal comma, or only with a decimal dot."""
    if not len(text):
        return False, False
    one_dot, one_comma = text.str.fullmatch(_ONE_DOT), text.str.fullmatch(_ONE_COMMA)
    comma = bool((one_comma & ~text.str.fullmatch(_GROUPED_COMMA)).any())
    dot = bool((one_dot & ~text.str.fullmatch(_GROUPED_DOT)).any())
    multi = text[~(one_dot | one_comma | text.str.fullmatch(_PLAIN)) & text.str.contains(r"\d")]
    for value in multi.head(200):
        in_id, in_en = _babel(value, "id"), _babel(value, "en")
        comma |= in_id is not None and in_en is None
        dot |= in_en is not None and in_id is None
    return comma, dot


def _babel(value: str, locale: str) -> float | None:
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return float(parse_decimal(value, locale=locale, strict=True))
    except (NumberFormatError, ValueError, ArithmeticError):
        return None


def number_convention(columns: list[pd.Index], hint: str | None = None) -> str | None:
    """Decide a file's decimal separator from the number columns that show it.

    Parameters
    ----------
    columns : list of Index
        The unique values of the file's number columns as read (text, or numbers from a typed
        sheet).
    hint : str, optional
        ``"id"`` for a CSV separated by ``;`` (what Excel writes where the comma is the decimal
        separator), used only when no value decides.

    Returns
    -------
    str or None
        ``"id"`` (decimal comma, thousands dot), ``"en"`` (decimal dot, thousands comma), or
        None when no value decides or the columns disagree.
    """
    comma = dot = False
    for uniques in columns:
        strings = uniques[[isinstance(v, str) for v in uniques]]
        raw = pd.Series(strings, dtype="str")
        if _simple(raw):  # most columns: no cleaning, no babel
            c, d = False, bool(raw.str.contains(".", regex=False).any())
        else:
            c, d = _evidence(_clean_number_text(strings))
        comma, dot = comma or c, dot or d
    if comma and not dot:
        return "id"
    if dot and not comma:
        return "en"
    return hint if not (comma or dot) else None


def read_numbers(
    values: pd.Index, convention: str | None
) -> tuple[pd.Series, list[tuple[np.ndarray, str]]]:
    """Read the unique values of one number column.

    The column's own values decide its decimal separator when they can (``85,6`` only reads with
    a decimal comma, ``85.6`` only with a decimal dot); otherwise the file's ``convention``
    decides; a value such as ``1.750`` that reads two ways is refused when nothing decides.

    Parameters
    ----------
    values : Index
        Unique values: numbers (kept as they are) or text (``1.750``, ``Rp 1.500.000,00``,
        ``85,6 %``, ``1 750``, ``'12``).
    convention : str or None
        The file's decimal convention from :func:`number_convention`.

    Returns
    -------
    numbers : Series of float64
        Position by position; NaN where a value was refused.
    refusals : list of (mask, message)
        Masks over ``values`` and the reason given for them.
    """
    numeric = pd.Series(
        [v if isinstance(v, int | float) and not isinstance(v, bool) else np.nan for v in values],
        dtype="float64",
    )
    is_text = np.array([isinstance(v, str) for v in values], dtype=bool)
    out = numeric.copy()
    refusals: list[tuple[np.ndarray, str]] = []
    other = ~is_text & numeric.isna().to_numpy()  # a date, a time or a true/false cell
    if other.any():
        refusals.append((other, "bukan angka"))
    if not is_text.any():
        return out, refusals
    raw = pd.Series(values[is_text], dtype="str")
    if _simple(raw):  # what most files hold: plain digits and decimal dots, read directly
        out.iloc[np.flatnonzero(is_text)] = pd.to_numeric(raw).to_numpy("float64")
        return out, refusals
    text = _clean_number_text(values[is_text]).reset_index(drop=True)
    comma, dot = _evidence(text)
    own = "id" if comma and not dot else "en" if dot and not comma else None
    mixed = comma and dot
    decided = own or convention
    plain = text.str.fullmatch(_PLAIN)
    one_dot, one_comma = text.str.fullmatch(_ONE_DOT), text.str.fullmatch(_ONE_COMMA)
    grouped_dot, grouped_comma = (
        text.str.fullmatch(_GROUPED_DOT),
        text.str.fullmatch(_GROUPED_COMMA),
    )
    parsed = pd.Series(np.nan, index=text.index, dtype="float64")
    parsed[plain] = pd.to_numeric(text[plain], errors="coerce")
    if decided == "en" or (decided is None and not mixed):
        take = one_dot & (~grouped_dot | (decided == "en"))
        parsed[take] = pd.to_numeric(text[take], errors="coerce")
    if decided == "id" or (decided is None and not mixed):
        take = one_comma & (~grouped_comma | (decided == "id"))
        parsed[take] = pd.to_numeric(text[take].str.replace(",", "."), errors="coerce")
    if decided == "id":
        parsed[grouped_dot] = pd.to_numeric(text[grouped_dot].str.replace(".", ""), errors="coerce")
    if decided == "en":
        parsed[grouped_comma] = pd.to_numeric(
            text[grouped_comma].str.replace(",", ""), errors="coerce"
        )
    # digits and separators only: babel (via Decimal) would also take 1_000 and 1e3
    rest = ~(plain | one_dot | one_comma) & text.str.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*")
    for position in np.flatnonzero(rest.to_numpy()):
        value = text.iloc[position]
        if decided is not None:
            parsed.iloc[position] = _babel(value, decided)
        else:
            readings = {r for loc in ("id", "en") if (r := _babel(value, loc)) is not None}
            parsed.iloc[position] = readings.pop() if len(readings) == 1 else np.nan
    failed = parsed.isna().to_numpy()
    ambiguous = failed & (grouped_dot | grouped_comma).to_numpy() & (decided is None)
    mixing = (
        "kolom ini mencampur koma desimal dan titik desimal; tulis semua angka dalam satu "
        "bentuk (mis. 85,5 dan 1.750 atau 85.5 dan 1750)"
    )
    numeric_shape = text.str.fullmatch(r"[+-]?[\d.,]*\d[\d.,]*").to_numpy()
    positions = np.flatnonzero(is_text)
    out.iloc[positions] = parsed.to_numpy()
    for mask, reason in (
        (ambiguous, "tidak jelas: titik atau koma ini bisa pemisah ribuan atau desimal; tulis "
                    "tanpa pemisah ribuan (1750) atau dengan desimal yang jelas (1,75)"),
        (failed & ~ambiguous & numeric_shape & mixed, mixing),
        (failed & ~ambiguous & ~(numeric_shape & mixed), "bukan angka"),
    ):  # fmt: skip
        if mask.any():
            full = np.zeros(len(values), dtype=bool)
            full[positions[mask]] = True
            refusals.append((full, reason))
    return out, refusals


# --- one column ----------------------------------------------------------------------------------


def _periods(
    table: TableInCheck, column: Column, uniques: Uniques
) -> tuple[Uniques, list, list, list]:
    """Read the periods of the unique values (with a separate Tahun column when there is one).

    Returns the unique values read (period and year pairs when a Tahun column is combined), the
    period of each (None where unreadable), the month of each (for monthly rows), and why a
    period and its Tahun do not agree (None where the usual hint says enough).
    """
    raw = table.raw.frame
    if "tahun" in raw and column.name == "periode":
        pairs = pd.DataFrame({"p": raw["periode"], "t": raw["tahun"]}).astype(object)
        codes, keys = pd.factorize(pd.MultiIndex.from_frame(pairs.fillna("")))
        periods = [parse_periode_parts(p or None, t or None) for p, t in keys]
        shown = pd.Index([f"{p} {t}".strip() for p, t in keys], dtype=object)
        blank = np.array([not (p or t) for p, t in keys], dtype=bool)
        months = [  # a month and its year in two columns (Bulan = Januari, Tahun = 2025)
            None
            if period is not None or not p or not year_of(t)
            else parse_month(f"{p} {year_of(t)}")
            for period, (p, t) in zip(periods, keys, strict=True)
        ]
        reasons = [
            _year_reason(p, t) if period is None and month is None else None
            for period, month, (p, t) in zip(periods, months, keys, strict=True)
        ]
        return Uniques(codes, shown, blank), periods, months, reasons
    periods = [parse_periode(v) for v in uniques.values]
    months = [
        None if p is not None else parse_month(v)
        for p, v in zip(periods, uniques.values, strict=True)
    ]
    return uniques, periods, months, [None] * len(periods)


def _year_reason(periode: object, tahun: object) -> str | None:
    """Say why a period and its separate Tahun cell do not make a period (None: the usual hint)."""
    if periode and not tahun and parse_periode_parts(periode, None) is None:
        return "periode ditulis tanpa tahun dan kolom Tahun kosong; isi Tahun"
    own = parse_periode(periode) if periode else None
    if own is not None and tahun:
        return f"Tahun ({year_of(tahun) or tahun}) dan Periode ({periode}) tidak sama"
    return None


CLOCK_LIKE = r"^\s*(?:[01]?\d|2[0-3])\.[0-5]\d\s*$"
"""A duration written like a clock time with a dot (``01.30``): hours and minutes, or minutes?"""


def read_durations(
    values: pd.Index, convention: str | None
) -> tuple[pd.Series, list[tuple[np.ndarray, str]]]:
    """Read the unique values of a duration column, in minutes.

    Minutes as numbers (:func:`read_numbers`), durations in words and clock form (``2 jam``,
    ``1 jam 30 menit``, ``1:30``, an Excel time cell). ``01.30`` is refused: Indonesian writes
    clock times with a dot (08.00), so it may be an hour and a half as well as 1.3 minutes.

    Parameters
    ----------
    values : Index
        Unique cells of the column.
    convention : str or None
        The file's decimal convention (:func:`number_convention`).

    Returns
    -------
    minutes : Series of float64
        Position by position; NaN where refused.
    refusals : list of (mask, message)
        Masks over ``values`` and the reason given for them.

    Examples
    --------
    >>> read_durations(pd.Index(["90", "2 jam", "1:30", "01.30"]), None)[0].tolist()
    [90.0, 120.0, 90.0, nan]
    """
    numbers, refusals = read_numbers(values, convention)
    if refusals:
        minutes = parse_durations(list(values)).to_numpy()
        numbers = numbers.fillna(pd.Series(minutes, dtype="float64"))
        refusals = [(m & np.isnan(numbers.to_numpy()), r) for m, r in refusals]
    text = pd.Series([v if isinstance(v, str) else "" for v in values], dtype="str")
    clock = text.str.match(CLOCK_LIKE).to_numpy()
    if clock.any():
        numbers = numbers.mask(clock)
        refusals = [(m & ~clock, r) for m, r in refusals]
        refusals.append(
            (
                clock,
                "tidak jelas: bisa jam.menit (01.30 = 90 menit) atau menit berdesimal; tulis "
                "menit (90), 1:30 atau 1 jam 30 menit",
            )
        )
    return numbers, refusals


def parse_column(
    table: TableInCheck, column: Column, convention: str | None
) -> tuple[pd.Series, list[Problem], np.ndarray]:
    """Parse one column by its kind.

    Parameters
    ----------
    table : TableInCheck
        The table being checked.
    column : Column
        The column's contract.
    convention : str or None
        The file's decimal convention (:func:`number_convention`).

    Returns
    -------
    values : Series
        Typed values, one per row.
    problems : list of Problem
        Cells that could not be read (and warnings such as dates read from Excel serials).
    refused : ndarray of bool, or None
        Rows whose value was refused (not to be reported again as empty); None where none was.
    """
    raw = table.raw.frame[column.name]
    typed = (column.kind in ("number", "integer") and holds_numbers(raw.dtype)) or (
        column.kind == "date" and pd.api.types.is_datetime64_any_dtype(raw.dtype)
    )  # a typed column (Parquet) is converted whole: its distinct values are not needed
    uniques = table.factorized.pop(column.name, None)  # one code per row: not kept once read
    read = None
    if uniques is None:
        read = _read_by_category(raw, column, table.in_dataset)
        read = _read_in_arrow(raw, column) if read is None else read
    if read is not None:
        return read, [], None
    if uniques is None and not typed:
        uniques = Uniques.of(raw)
    index = raw.index
    problems: list[Problem] = []
    refused: list[np.ndarray] = []  # no mask as long as the table unless a row is refused

    def refuse(unique_mask: np.ndarray, message: str) -> None:
        if not np.asarray(unique_mask, dtype=bool).any():
            return
        rows = uniques.rows_of(np.asarray(unique_mask, dtype=bool) & ~uniques.blank)
        problems.extend(table.problems(rows, column.name, message, raw))
        refused.append(rows)

    if column.kind in ("number", "integer"):
        if typed and column.kind == "integer" and raw.dtype.kind in "iu":
            small = column.le is not None and column.le <= 127 and (column.ge or 0) >= -128
            return raw.astype("Int8" if small else "Int32"), problems, None  # whole already
        if typed:  # converted where the file was read (layout.read_table), or here
            parsed = table.raw.floats.get(column.name, raw).astype("float64")
        else:
            reader = read_durations if column.also == "durasi" else read_numbers
            whole = (table.raw.numbers or {}).get(column.name)
            numbers, refusals = reader(uniques.values if whole is None else whole, convention)
            if whole is not None:  # a piece: the whole column's reading of each of its values
                at = whole.get_indexer(uniques.values)
                numbers = numbers.iloc[at].reset_index(drop=True)
                refusals = [(mask[at], reason) for mask, reason in refusals]
            if column.also == "jawaban_ikm" and refusals:
                words = vocab.ikm_answers(list(uniques.values), int(column.name[1]))
                answers = pd.Series([np.nan if w is None else w for w in words], dtype="float64")
                numbers = numbers.fillna(answers)
                unread = np.isnan(numbers.to_numpy()) & ~uniques.blank
                refusals = [(unread, IKM_REFUSAL)]
            for mask, reason in refusals:
                refuse(mask, reason)
            parsed = uniques.spread(numbers, "float64")
            parsed.index = index
        if column.kind == "integer":
            fractional = (parsed.notna() & (parsed % 1 != 0)).to_numpy()
            problems += table.problems(fractional, column.name, "harus bilangan bulat", raw)
            refused.append(fractional)
            parsed = parsed.where(~fractional)
            small = column.le is not None and column.le <= 127 and (column.ge or 0) >= -128
            parsed = parsed.astype("Int8" if small else "Int32")
        return parsed, problems, _either(refused)
    if column.kind == "date":
        if typed:
            return _in_seconds(raw), problems, None
        dates, serial = parse_dates(list(uniques.values))
        parsed = uniques.spread(dates, "datetime64[s]")
        parsed.index = index
        refuse(dates.isna().to_numpy() & ~uniques.blank, "bukan tanggal (tulis 31/01/2025)")
        serial_rows = uniques.rows_of(serial)
        if serial_rows.any():
            first = np.flatnonzero(serial_rows)[0]
            problems.append(
                table.column_problem(
                    serial_rows,
                    column.name,
                    f"{int(serial_rows.sum()):,} tanggal ditulis sebagai nomor seri Excel dan "
                    f"dibaca sebagai tanggal ({display(raw.iloc[first])} = "
                    f"{parsed.iloc[first].date().isoformat()})",
                    None,
                    "peringatan",
                )
            )
        return parsed, problems, _either(refused)
    if column.kind == "text":
        cleaned = [_code(v) or None for v in uniques.values]  # 12.0 from a typed sheet is "12"
        own = not table.in_dataset  # shares the codes read: what was read is dropped after
        text = pd.Series(uniques.categorical(cleaned, own=own), index=index, copy=False)
        return (text if column.name in CATEGORY_TEXT else text.astype("str")), problems, None
    if column.kind == "periode":
        uniques, periods, months, reasons = _periods(table, column, uniques)
        month_mask = np.array([m is not None for m in months], dtype=bool)
        if month_mask.any() and table.spec.name == "kehadiran":
            table.months = np.array(
                [f"{m[0]}-{m[1]:02d}" if m else None for m in months], dtype=object
            )[np.maximum(uniques.codes, 0)]
            table.months[uniques.codes < 0] = None
            periods = [
                quarter_of_month(*m) if m else p for p, m in zip(periods, months, strict=True)
            ]
        elif month_mask.any():
            refuse(
                month_mask,
                "periode bulanan hanya diterima di tabel kehadiran (dijumlahkan per triwulan); "
                "tulis periode sebagai triwulan atau tahun",
            )
        values = uniques.categorical(periods, own=not table.in_dataset)
        unread = np.array([p is None for p in periods], dtype=bool) & ~month_mask
        said = np.array([r is not None for r in reasons], dtype=bool)
        for reason in sorted({r for r in reasons if r is not None}):
            refuse(unread & np.array([r == reason for r in reasons], dtype=bool), reason)
        refuse(unread & ~said, PERIODE_HINT)
    elif column.kind == "label":
        labels = column.labels
        assert labels is not None
        found = labels.normalise(uniques.values)
        values = uniques.categorical(found, own=False)
        unknown = np.array([label is None for label in found], dtype=bool)  # blanks: not refused
        allowed = ", ".join(labels.values)
        if labels is vocab.GOLONGAN:  # 34 values: say their shape, and that the pangkat must fit
            allowed = (
                "I/a … IV/e atau PPPK I … PPPK XVII, boleh dengan pangkat yang sesuai "
                "(Penata Tk.I, III/d)"
            )
        message = f"{labels.name} tidak dikenal; yang sah: {allowed}"
        refuse(unknown, message)
        typed = recode(pd.Series(values, index=index, copy=False), labels.dtype)
        return typed, problems, _either(refused)
    elif column.kind == "nip":
        nips, lost = read_nips(uniques.values, table.raw.typed)
        values = uniques.categorical(nips, own=not table.in_dataset)
        if lost.any() and (lost_rows := uniques.rows_of(lost)).any():
            first = raw.iloc[int(np.flatnonzero(lost_rows)[0])]
            shown = f"{first:.14E}".replace(".", ",") if isinstance(first, float) else first
            problems.append(table.column_problem(lost_rows, column.name, LOST_DIGITS, shown))
            refused.append(lost_rows)
    else:
        values = uniques.categorical([_code(v) for v in uniques.values])
    return pd.Series(values, index=index, copy=False), problems, _either(refused)  # new: no copy


def _either(masks: list[np.ndarray]) -> np.ndarray | None:
    """Rows any of ``masks`` selects; None where none selects a row."""
    found = [mask for mask in masks if mask.any()]
    return np.logical_or.reduce(found) if found else None


def _in_seconds(dates: pd.Series) -> pd.Series:
    """Give a typed date column seconds as its unit (a Parquet file's milliseconds floored).

    One integer division floors each count as pandas does, without pandas' overflow check of each
    value: only a value within a second of the smallest date could overflow, and a column holding
    one goes through pandas, as does a unit coarser than seconds.
    """
    values = dates.to_numpy()
    if not isinstance(dates.dtype, np.dtype) or dates.dtype == "datetime64[s]":
        return dates.astype("datetime64[s]")
    unit, count = np.datetime_data(values.dtype)
    per_second = np.timedelta64(1, "s") // np.timedelta64(count, unit)
    if unit not in ("ms", "us", "ns") or per_second < 1:
        return dates.astype("datetime64[s]")
    low = values.view(np.int64)
    edge = low[low < np.iinfo(np.int64).min // 2]
    if (edge != np.iinfo(np.int64).min).any():  # NaT is the smallest; anything else so low: pandas
        return dates.astype("datetime64[s]")
    seconds = low // per_second  # floored, as pandas floors
    if len(edge):
        seconds[np.isnat(values)] = np.iinfo(np.int64).min  # NaT stays NaT
    return pd.Series(seconds.view("datetime64[s]"), index=dates.index, name=dates.name, copy=False)


def _read_by_category(raw: pd.Series, column: Column, in_dataset: bool) -> pd.Series | None:
    """Read a categorical NIP or label column whose every category reads as it is (else None).

    A Parquet file's text columns arrive as categoricals. When every category is a bare 18-digit
    NIP of a dataset's table, the column is taken as it is: check_dataset recodes it to the
    employees' NIPs before it is kept, so neither the order of its categories nor unused ones
    matter. When every category names a label of the column's vocabulary, the codes are
    mapped to the vocabulary's in one gather. Any other column (a blank, an unknown label, a NIP
    to clean or refuse, an ordered categorical) is read value by value, with its problems.
    """
    if not isinstance(raw.dtype, pd.CategoricalDtype) or raw.cat.ordered:
        return None
    categories = raw.cat.categories
    if not isinstance(categories.dtype, pd.StringDtype) or not len(categories):
        return None
    if column.kind == "nip":
        if not in_dataset or not all_bare(categories):  # as read_nips
            return None
        return pd.Series(raw.array, index=raw.index, copy=False)
    if column.kind != "label" or column.labels is None:
        return None
    found = column.labels.normalise(categories)
    if any(label is None for label in found):
        return None
    dtype = column.labels.dtype
    at = dtype.categories.get_indexer(found)
    codes = gather(np.append(at, -1).astype(code_width(len(dtype.categories))), raw.array.codes)
    categorical = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)  # valid by making
    return pd.Series(categorical, index=raw.index, copy=False)


def _read_in_arrow(raw: pd.Series, column: Column) -> pd.Series | None:
    """Read a text or NIP column pyarrow holds in Arrow, as reading value by value would; or None.

    A text value loses the spaces around it (Arrow's Unicode spaces are ``str.strip``'s) and a blank
    one becomes missing; a column of :data:`CATEGORY_TEXT` becomes a categorical, the others
    text. A NIP column is taken as it is when every value is 18 bare digits
    (:func:`~asn_eval.input.nip.all_bare`). Categories come in the order their values first
    come, as :meth:`Uniques.categorical` gives them. Any other column (typed cells of a workbook,
    NIPs to clean or refuse) is left to be read value by value.
    """
    if column.kind not in ("text", "nip"):
        return None
    if not (isinstance(raw.dtype, pd.StringDtype) and raw.dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.chunked_array(raw)  # pyarrow's own chunks, not a copy
    if column.kind == "nip" and not all_bare(raw):
        return None
    if column.kind == "text":
        text = pc.utf8_trim_whitespace(text)
        text = pc.if_else(pc.equal(pc.binary_length(text), 0), pa.scalar(None, text.type), text)
        if column.name not in CATEGORY_TEXT:
            values = pd.array(text, dtype=raw.dtype)
            return pd.Series(values, index=raw.index, copy=False)
    return pd.Series(_categorical(text), index=raw.index, copy=False)


def _categorical(text: pa.ChunkedArray) -> pd.Categorical:
    """Dictionary-encode Arrow text: categories in the order they first come, missing code -1."""
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(text)  # one dictionary shared by every chunk
    chunks = [chunk for chunk in encoded.chunks if len(chunk)]
    dictionary = chunks[0].dictionary if chunks else pa.array([], text.type)
    width = code_width(len(dictionary))
    codes = np.empty(len(text), dtype=width)
    start = 0
    for chunk in chunks:
        codes[start : start + len(chunk)] = pc.fill_null(chunk.indices, -1).to_numpy()
        start += len(chunk)
    categories = pd.Index(pd.array(dictionary, dtype=pd.StringDtype("pyarrow", np.nan)))
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories), validate=False)


def _code(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
