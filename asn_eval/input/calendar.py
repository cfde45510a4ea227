"""Dates, durations and clock times as Indonesian exports write them.

SIMPEG, e-Kinerja and attendance machines write the same day in many ways: ``2025-01-06``,
``06/01/2025``, ``6 Januari 2025``, ``Senin, 06 Januari 2025``, ``06-Jan-25``, or an Excel serial
number such as ``45663``. The readers here turn the *unique* values of a column into typed values
at once (text through pyarrow's regular expressions in one pass, dates by numpy arithmetic),
leaving a missing value (NaT, NaN) wherever a value cannot be read with certainty. They never
guess: numeric dates are always day first (the order Indonesian writes a date in: day, month,
year), and a date whose named weekday is not its weekday is refused.

Month and day names come from the CLDR locale data shipped with :mod:`babel` (Indonesian and
English, full and abbreviated), plus the older Indonesian spellings still seen in exports
(``Pebruari``, ``Nopember``, ``Ags``, ``Agt``, ``Sept``, ``Jum'at``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from babel.dates import get_day_names, get_month_names

__all__ = [
    "MONTHS",
    "SERIAL_RANGE",
    "WEEKDAYS",
    "month_of_name",
    "parse_clock",
    "parse_dates",
    "parse_durations",
    "two_digit_year",
    "weekday_of_name",
]


def _letters(word: str) -> str:
    """Upper-case letters only: ``"Jum'at"`` → ``"JUMAT"``, ``"Jan."`` → ``"JAN"``."""
    return "".join(c for c in word.upper() if c.isalpha())


def _names(getter: Callable[..., Mapping[int, str]], extra: Mapping[str, int]) -> dict[str, int]:
    """Names of ``getter`` (babel) in Indonesian and English, every width, plus ``extra``."""
    names: dict[str, int] = {}
    for locale in ("id", "en"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in getter(width, context, locale=locale).items():
                    names[_letters(name)] = number
    names.update({_letters(k): v for k, v in extra.items()})
    return names


MONTHS: Mapping[str, int] = _names(
    get_month_names,
    {"Pebruari": 2, "Peb": 2, "Ags": 8, "Agt": 8, "Sept": 9, "Nopember": 11, "Nop": 11},
)
"""Month names (Indonesian and English, full and abbreviated, upper case, letters only) → 1–12."""

WEEKDAYS: Mapping[str, int] = _names(get_day_names, {})
"""Day names (Indonesian and English, full and abbreviated, letters only) → weekday, Monday = 0.

``Jum'at`` is ``JUMAT`` once its apostrophe is dropped, so it needs no entry of its own.
"""

SERIAL_RANGE = (32874, 73415)
"""Excel serial numbers read as dates: 1 January 1990 … 31 December 2100 (1900 date system).

A number outside this range in a date column is far more likely a mistake (a NIP fragment, an
amount) than a date, so it is left unread.
"""

# Day 0 of Excel's 1900 date system as counted from 1 March 1900 on (Excel's phantom 29 February
# 1900 is before every serial read here).
_EXCEL_EPOCH = np.datetime64("1899-12-30", "s")
_SECONDS_PER_DAY = 86_400


def month_of_name(name: str) -> int | None:
    """Return the month number of a month name, or None.

    Parameters
    ----------
    name : str
        ``"Januari"``, ``"jan."``, ``"Agu"``, ``"Ags"``, ``"May"``, ``"Nopember"`` …

    Returns
    -------
    int or None
        1–12; None when ``name`` is not a month name.

    Examples
    --------
    >>> month_of_name("Agustus"), month_of_name("ags"), month_of_name("Mei"), month_of_name("x")
    (8, 8, 5, None)
    """
    return MONTHS.get(_letters(name))


def weekday_of_name(name: str) -> int | None:
    """Return the weekday of a day name (Monday = 0), or None.

    Parameters
    ----------
    name : str
        ``"Senin"``, ``"Jum'at"``, ``"Sen"``, ``"Monday"`` …

    Returns
    -------
    int or None
        0 (Monday) … 6 (Sunday); None when ``name`` is not a day name.

    Examples
    --------
    >>> weekday_of_name("Senin"), weekday_of_name("Jum'at"), weekday_of_name("Minggu")
    (0, 4, 6)
    """
    return WEEKDAYS.get(_letters(name))


def two_digit_year(yy: int | np.ndarray, today: dt.date | None = None) -> int | np.ndarray:
    """Expand a two-digit year: ``20yy`` up to next year, ``19yy`` after.

    A two-digit year ``yy`` is read as ``2000 + yy`` when ``yy`` is at most the last two digits of
    the current year plus one (so next year's dates, common in plans, stay in this century), and
    as ``1900 + yy`` otherwise (birth dates). In 2025: ``25`` → 2025, ``26`` → 2026, ``27`` → 1927.

    Parameters
    ----------
    yy : int or ndarray
        Years 0–99.
    today : date, optional
        The day the rule is anchored to; today when omitted.

    Returns
    -------
    int or ndarray
        Four-digit years, the same shape as ``yy``.

    Examples
    --------
    >>> two_digit_year(25, dt.date(2025, 6, 1)), two_digit_year(27, dt.date(2025, 6, 1))
    (2025, 1927)
    """
    pivot = (today or dt.date.today()).year % 100 + 1
    if np.ndim(yy):
        return np.where(np.asarray(yy) <= pivot, 2000, 1900) + yy
    return (2000 if yy <= pivot else 1900) + yy


# -- reading text at once (pyarrow's RE2 engine: one pass in C++ over all the values) ----------
def _text_values(items: np.ndarray, where: np.ndarray) -> pa.Array:
    """Return the strings at ``where``: stripped, upper case, each run of spaces one space."""
    text = pa.array(list(items[where]), type=pa.string())
    text = pc.utf8_upper(pc.utf8_trim_whitespace(text))
    return pc.replace_substring_regex(text, r"(?:\s|\x{00A0})+", " ")


def _groups(text: pa.Array, pattern: str) -> dict[str, pa.Array]:
    """Named groups of ``pattern`` (anchored) in each string; null where it did not take part."""
    found = pc.extract_regex(text, pattern)
    names = [found.type.field(i).name for i in range(found.type.num_fields)]
    out = {}
    for name in names:
        field = pc.struct_field(found, name)
        out[name] = pc.if_else(pc.equal(field, ""), pa.scalar(None, pa.string()), field)
    return out


def _number(field: pa.Array) -> np.ndarray:
    """Text digits (decimal comma or point) as float64; NaN where null."""
    field = pc.replace_substring(field, ",", ".")
    return pc.cast(field, pa.float64()).to_numpy(zero_copy_only=False)


def _lookup(field: pa.Array, names: Mapping[str, int]) -> np.ndarray:
    """Numbers of names (letters only, upper case) as float64; NaN where null or unknown."""
    letters = pc.replace_substring_regex(field, r"[^A-Z]", "")
    where = pc.index_in(letters, value_set=pa.array(list(names), type=pa.string()))
    index = where.to_numpy(zero_copy_only=False)
    numbers = np.array(list(names.values()), dtype="float64")
    known = ~np.isnan(index.astype("float64"))
    return np.where(known, numbers[np.where(known, index, 0).astype("int64")], np.nan)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _object_array(values: Sequence[object]) -> np.ndarray:
    items = np.empty(len(values), dtype=object)
    items[:] = list(values)
    return items


# -- dates ---------------------------------------------------------------------------------------
def _time(i: int) -> str:
    number = r"(?P<{}{}>\d{{{}}})"
    hours, minutes = number.format("H", i, "1,2"), number.format("M", i, "2")
    seconds = number.format("S", i, "2")
    return rf"(?:(?:T|\s+){hours}[:.]{minutes}(?:[:.]{seconds}(?:\.\d+)?)?)?"


_DATE_FORMS = (
    # 2025-01-31, 2025/01/31, 2025-01-31 08:00:00, 2025-01-31T08:00
    r"(?P<y0>\d{4})(?P<a0>[-/.])(?P<m0>\d{1,2})(?P<b0>[-/.])(?P<d0>\d{1,2})" + _time(0),
    # 31/01/2025, 31-01-2025, 31.01.2025, 31/01/25 (always day first)
    r"(?P<d1>\d{1,2})(?P<a1>[-/.])(?P<m1>\d{1,2})(?P<b1>[-/.])(?P<y1>\d{4}|\d{2})" + _time(1),
    # 6 Januari 2025, 06-Jan-25, 6 Agu. 2025
    r"(?P<d2>\d{1,2})[ \-./]*(?P<n2>[A-Z]+)\.?[ \-./,]*(?P<y2>\d{4}|\d{2})" + _time(2),
    # January 6, 2025
    r"(?P<n3>[A-Z]+)\.? (?P<d3>\d{1,2}),? (?P<y3>\d{4})" + _time(3),
)
# One pass: an optional day name ("Senin, "), then exactly one of the forms.
_DATE = r"^(?:(?P<w>[A-Z']+)\.?(?: ?, ?| ))?(?:" + "|".join(_DATE_FORMS) + r")$"
_SERIAL_TEXT = r"^\d{5}(?:\.\d+)?$"
_NAT = np.datetime64("NaT", "s")


def _from_serial(serial: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates of Excel serial numbers (NaT outside :data:`SERIAL_RANGE`) and which were read."""
    low, high = SERIAL_RANGE
    ok = np.isfinite(serial) & (serial >= low) & (serial < high + 1)
    seconds = np.round(np.where(ok, serial, 0) * _SECONDS_PER_DAY).astype("int64")
    dates = _EXCEL_EPOCH + seconds.astype("timedelta64[s]")
    return np.where(ok, dates, _NAT), ok


def _coalesce(groups: dict[str, pa.Array], name: str) -> pa.Array:
    fields = [groups[f"{name}{i}"] for i in range(len(_DATE_FORMS)) if f"{name}{i}" in groups]
    return pc.coalesce(*fields)


def _compose(groups: dict[str, pa.Array], today: dt.date) -> np.ndarray:
    """Build datetime64[s] from the extracted parts; NaT where they make no real date."""
    year_text = _coalesce(groups, "y")
    year = _number(year_text)
    short = pc.fill_null(pc.equal(pc.utf8_length(year_text), 2), False).to_numpy(
        zero_copy_only=False
    )
    year = np.where(short, two_digit_year(np.nan_to_num(year).astype("int64"), today), year)
    month = _number(_coalesce(groups, "m"))
    month = np.where(np.isnan(month), _lookup(_coalesce(groups, "n"), MONTHS), month)
    day = _number(_coalesce(groups, "d"))
    hours, minutes, seconds = (np.nan_to_num(_number(_coalesce(groups, g))) for g in "HMS")
    same = pc.fill_null(pc.equal(_coalesce(groups, "a"), _coalesce(groups, "b")), True)
    ok = (
        np.isfinite(year + month + day)
        & same.to_numpy(zero_copy_only=False)  # 31/01-2025 is not a way to write a date
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (year >= 1)
        & (hours < 24)
        & (minutes < 60)
        & (seconds < 60)
    )
    y, m, d = (np.where(ok, v, 1).astype("int64") for v in (year - 1969, month, day))
    first = ((y - 1) * 12 + (m - 1)).astype("datetime64[M]")
    start = first.astype("datetime64[D]")
    ok &= start + (d - 1) < (first + 1).astype("datetime64[D]")  # 31 Februari is no day
    clock = (hours * 3600 + minutes * 60 + seconds).astype("int64").astype("timedelta64[s]")
    return np.where(ok, (start + (d - 1)).astype("datetime64[s]") + clock, _NAT)


def _parse_date_text(text: pa.Array, today: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Read date strings (already cleaned by :func:`_text_values`); dates and serial flags."""
    out = np.full(len(text), _NAT)
    serial = pc.fill_null(pc.match_substring_regex(text, _SERIAL_TEXT), False)
    serial = serial.to_numpy(zero_copy_only=False).copy()
    if serial.any():
        numbers = _number(pc.filter(text, pa.array(serial)))
        out[serial], serial[serial] = _from_serial(numbers)
    rest = ~serial
    if rest.any():
        groups = _groups(pc.filter(text, pa.array(rest)), _DATE)
        dates = _compose(groups, today)
        # A day name ("Senin, 06 Januari 2025") must be the date's weekday, or there is no date.
        named = groups["w"].is_valid().to_numpy(zero_copy_only=False)
        if named.any():
            wanted = _lookup(groups["w"], WEEKDAYS)
            actual = (dates.astype("datetime64[D]").astype("int64") + 3) % 7  # 1970-01-01: Thu
            dates[named & (actual != wanted)] = _NAT
        out[rest] = dates
    return out, serial


def _as_moment(value: object) -> np.datetime64:
    """Return a date or time object as datetime64[s] (wall-clock time, any time zone dropped)."""
    stamp = pd.Timestamp(value)
    if stamp is pd.NaT:
        return _NAT
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return np.datetime64(stamp.floor("s").to_datetime64(), "s")


def parse_dates(
    values: Sequence[object], *, today: dt.date | None = None
) -> tuple[pd.Series, np.ndarray]:
    """Read dates written in any of the forms Indonesian exports use.

    Accepted (case-insensitive, surrounding spaces ignored):

    * ISO, year first: ``2025-01-31``, ``2025/01/31``, with a time ``2025-01-31 08:00:00``;
    * numeric, **always day first**: ``31/01/2025``, ``31-01-2025``, ``31.01.2025``,
      ``31/01/25``; a value that does not read day first (``01/31/2025``) is NaT, never
      read month first;
    * a month name (Indonesian or English, full or abbreviated: ``Januari``, ``Jan``,
      ``Agustus``, ``Agu``, ``Ags``, ``Aug``, ``Mei``, ``May`` …): ``6 Januari 2025``,
      ``06-Jan-25``, ``January 6, 2025``;
    * any of these after a day name and optional comma, ``Senin, 06 Januari 2025``; the day
      name must be the date's weekday, else NaT;
    * date and time objects (``datetime``, ``date``, ``Timestamp``, ``numpy.datetime64``), as
      they are (a time zone is dropped, the wall-clock time kept);
    * Excel serial numbers (1900 date system, day 0 = 1899-12-30) in :data:`SERIAL_RANGE`, as
      numbers or text (``45663``, ``"45663"``, ``"45663.0"``); a fraction is the time of day.

    A two-digit year is expanded by :func:`two_digit_year`. Anything else, and any impossible
    date (``31 Februari 2025``, ``2025-13-01``, ``31/01-2025``), is NaT.

    Parameters
    ----------
    values : sequence
        The values of a column, typically its unique values; length n.
    today : date, optional
        Anchor of the two-digit-year rule; today when omitted.

    Returns
    -------
    dates : Series of datetime64[s], length n
        The dates, position by position, on a fresh ``RangeIndex``; NaT where unreadable.
    serial : ndarray of bool, shape (n,)
        True where the value was read as an Excel serial number (so a caller can say that a
        number was taken to be a date, or refuse serials where they make no sense).

    Examples
    --------
    >>> values = ["2025-01-31", "31/01/2025", "Jumat, 31 Januari 2025", "31-Jan-25", 45688]
    >>> dates, serial = parse_dates(values + ["01/31/2025"])
    >>> [str(d.date()) if pd.notna(d) else None for d in dates]
    ['2025-01-31', '2025-01-31', '2025-01-31', '2025-01-31', '2025-01-31', None]
    >>> serial.tolist()
    [False, False, False, False, True, False]
    >>> parse_dates(["Senin, 31 Januari 2025", "31 Februari 2025"])[0].isna().tolist()
    [True, True]
    """
    today = today or dt.date.today()
    items = _object_array(values)
    out = np.full(len(items), _NAT)
    serial = np.zeros(len(items), dtype=bool)
    text = np.array([isinstance(v, str) for v in items], dtype=bool)
    numbers = np.array([_is_number(v) for v in items], dtype=bool)
    # datetime and Timestamp are dates too; NaT is neither read nor refused, just missing.
    moments = np.array([isinstance(v, dt.date | np.datetime64) for v in items], dtype=bool)
    if numbers.any():
        out[numbers], serial[numbers] = _from_serial(items[numbers].astype("float64"))
    for position in np.flatnonzero(moments):
        out[position] = _as_moment(items[position])
    if text.any():
        out[text], serial[text] = _parse_date_text(_text_values(items, text), today)
    return pd.Series(out, dtype="datetime64[s]"), serial


# -- durations and clock times -------------------------------------------------------------------
_AMOUNT = r"\d+(?:[.,]\d+)?"
_DURATION = (
    rf"^(?:(?P<h>{_AMOUNT}) ?(?:JAM|J|HOURS|HOUR|HRS|HR|H))? ?,? ?(?:DAN )?"
    rf"(?:(?P<m>{_AMOUNT}) ?(?:MENIT|MNT|MINUTES|MINUTE|MINS|MIN|M))? ?,? ?(?:DAN )?"
    rf"(?:(?P<s>{_AMOUNT}) ?(?:DETIK|DTK|SECONDS|SECOND|SECS|SEC|S))?$"
)
_HOURS_MINUTES = r"^(?P<h>\d+):(?P<m>\d{2})(?::(?P<s>\d{2}))?$"
_PLAIN_MINUTES = r"^-?\d+(?:\.\d+)?$"
_CLOCK = r"^(?P<h>\d{1,2})[.:](?P<m>\d{2})(?:[.:](?P<s>\d{2}))?$"


def _hms(groups: dict[str, pa.Array]) -> np.ndarray:
    """Minutes of extracted ``h``, ``m``, ``s``; NaN unless minutes and seconds are below 60."""
    hours, minutes, seconds = (_number(groups[g]) for g in "hms")
    seconds = np.nan_to_num(seconds)
    ok = np.isfinite(hours) & (minutes < 60) & (seconds < 60)
    return np.where(ok, hours * 60 + minutes + seconds / 60, np.nan)


def parse_durations(values: Sequence[object]) -> pd.Series:
    """Read durations in minutes, as a ``Durasi (Menit)`` column writes them.

    Accepted: plain numbers of minutes (``90``, ``90.0``, ``"90"``, ``"-5"``, the sign left for
    the range check); amounts with units, Indonesian or English, in hours, minutes and seconds
    (``90 menit``, ``90 mnt``, ``2 jam``, ``1 jam 30 menit``, ``1,5 jam``, ``1.5 jam``,
    ``1j 30m``, ``45 detik``); hours and minutes with a colon (``01:30``, ``1:30:00``, minutes
    and seconds below 60); ``datetime.time`` and ``timedelta`` (how a spreadsheet keeps a
    ``[h]:mm`` cell).

    Numbers with a decimal comma or thousands separators alone (``"1,5"``, ``"1.234,5"``) are
    NaN here: their meaning is the caller's number reader's to decide.

    Parameters
    ----------
    values : sequence
        The values of a column, typically its unique values; length n.

    Returns
    -------
    Series of float64, length n
        Minutes, position by position, on a fresh ``RangeIndex``; NaN where unreadable.

    Examples
    --------
    >>> parse_durations(["90", "1 jam 30 menit", "1,5 jam", "1j 30m", "01:30", 90, "1,5"]).tolist()
    [90.0, 90.0, 90.0, 90.0, 90.0, 90.0, nan]
    """
    items = _object_array(values)
    out = np.full(len(items), np.nan)
    text = np.zeros(len(items), dtype=bool)
    for i, value in enumerate(items):
        if _is_number(value):
            out[i] = float(value)
        elif isinstance(value, str):
            text[i] = True
        elif isinstance(value, dt.timedelta) and not pd.isna(value):  # pd.Timedelta is one
            out[i] = value.total_seconds() / 60
        elif isinstance(value, dt.time):
            out[i] = value.hour * 60 + value.minute + value.second / 60
    if not text.any():
        return pd.Series(out, dtype="float64")
    cleaned = _text_values(items, text)
    plain = pc.fill_null(pc.match_substring_regex(cleaned, _PLAIN_MINUTES), False)
    found = _number(pc.if_else(plain, cleaned, pa.scalar(None, pa.string()))).copy()
    units = _groups(cleaned, _DURATION)
    hours, minutes, seconds = (_number(units[g]) for g in "hms")
    given = np.isfinite(hours) | np.isfinite(minutes) | np.isfinite(seconds)
    total = np.nan_to_num(hours) * 60 + np.nan_to_num(minutes) + np.nan_to_num(seconds) / 60
    found = np.where(np.isnan(found) & given, total, found)
    found = np.where(np.isnan(found), _hms(_groups(cleaned, _HOURS_MINUTES)), found)
    out[text] = found
    return pd.Series(out, dtype="float64")


def parse_clock(values: Sequence[object]) -> pd.Series:
    """Read times of day, as ``Jam Mulai`` and ``Jam Selesai`` columns write them.

    Accepted: ``08.00``, ``08:00``, ``8.30``, ``08:00:00`` (hours 0–23, two-digit minutes and
    seconds below 60); ``datetime.time``; ``datetime`` and ``Timestamp`` (their time of day);
    ``timedelta`` below one day; numbers from 0 up to 1 as an Excel time (a fraction of a day,
    ``0.5`` = 12:00). Other numbers (``8``) are NaN: an hour alone is not certain to be a clock.

    Parameters
    ----------
    values : sequence
        The values of a column, typically its unique values; length n.

    Returns
    -------
    Series of float64, length n
        Minutes since midnight (0 ≤ m < 1440), position by position, on a fresh
        ``RangeIndex``; NaN where unreadable.

    Examples
    --------
    >>> parse_clock(["08.00", "8:30", "16.15", dt.time(7, 45), "24.00", "8", 0.5]).tolist()
    [480.0, 510.0, 975.0, 465.0, nan, nan, 720.0]
    """
    items = _object_array(values)
    out = np.full(len(items), np.nan)
    text = np.zeros(len(items), dtype=bool)
    for i, value in enumerate(items):
        if isinstance(value, str):
            text[i] = True
        elif _is_number(value):
            if 0 <= value < 1:
                out[i] = round(float(value) * _SECONDS_PER_DAY) / 60
        elif isinstance(value, dt.datetime | dt.time):  # pd.Timestamp is a datetime
            if not pd.isna(value):
                out[i] = value.hour * 60 + value.minute + value.second / 60
        elif isinstance(value, dt.timedelta) and not pd.isna(value):
            minutes = value.total_seconds() / 60
            out[i] = minutes if 0 <= minutes < 24 * 60 else np.nan
    if text.any():
        minutes = _hms(_groups(_text_values(items, text), _CLOCK))
        out[text] = np.where(minutes < 24 * 60, minutes, np.nan)
    return pd.Series(out, dtype="float64")
