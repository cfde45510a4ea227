"""The one way numbers, percents, dates and times are written for people: ``1.234,5``.

Reports, slides, the app, workbooks' text cells and the command line all write through these
functions, so a value reads the same everywhere. Numbers and dates follow the CLDR conventions
of the language (through Babel): Indonesian groups thousands with ``.`` and writes decimals with
``,``; times are shown in the city's time zone (``WIB``, ``WITA`` or ``WIT``). A missing value is a
dash, never ``nan`` or ``<NA>``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import numpy as np
import pandas as pd
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

__all__ = [
    "MISSING",
    "ZONES",
    "cell",
    "count_percent",
    "date",
    "duration",
    "integer",
    "number",
    "percent",
    "places",
    "points",
    "share_of",
    "table",
    "tick_formatter",
    "timestamp",
    "zone",
]

#: How a missing value is written.
MISSING = "–"

#: Indonesia's three time zones and their offsets from UTC in hours (Keppres 41/1987; no
#: daylight saving time).
ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}

_LOCALE = {"id": "id_ID", "en": "en_US"}


def _locale(bahasa: str) -> str:
    return _LOCALE.get(bahasa, bahasa)


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value: float | None, digits: int = 1, bahasa: str = "id", *, sign: bool = False) -> str:
    """Write a number with ``digits`` decimals, grouped, in the language's style.

    Parameters
    ----------
    value : float or None
        The number; missing gives a dash.
    digits : int, default 1
        Decimals (rounded half to even, as Babel does).
    bahasa : {"id", "en"}
        ``1.234,5`` (Indonesian) or ``1,234.5``.
    sign : bool, default False
        Always write the sign (``+0,76``).

    Returns
    -------
    str

    Examples
    --------
    >>> number(1234.56), number(0.756, 2, sign=True), number(1234.56, 1, "en"), number(None)
    ('1.234,6', '+0,76', '1,234.6', '–')
    >>> number(-0.01)  # no negative zero
    '0,0'
    """
    if _missing(value):
        return MISSING
    return _decimal(float(value), digits, bahasa, sign)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=65536)
def _decimal(value: float, digits: int, bahasa: str, sign: bool) -> str:
    """Babel's writing of one number (about 50 µs), kept: tables repeat their values."""
    if round(value, digits) == 0:
        value = 0.0
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    if sign:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(value, format=pattern, locale=_locale(bahasa))


def integer(value: float | None, bahasa: str = "id") -> str:
    """Write a count: ``2.500`` (a dash when missing).

    Examples
    --------
    >>> integer(2500), integer(2500, "en")
    ('2.500', '2,500')
    """
    return number(value, 0, bahasa)


def percent(share: float | None, bahasa: str = "id", digits: int = 1) -> str:
    """Write a share (0–1) as a percentage, e.g. ``32,8 %``.

    Parameters
    ----------
    share : float or None
        The share; missing gives a dash.
    bahasa : {"id", "en"}
        Language style.
    digits : int, default 1
        Decimals.

    Returns
    -------
    str

    Examples
    --------
    >>> percent(0.328)
    '32,8 %'
    """
    return MISSING if _missing(share) else number(float(share) * 100, digits, bahasa) + " %"  # type: ignore[arg-type]


def points(value: float | None, bahasa: str = "id", digits: int = 1) -> str:
    """Write a value already in percent points (capaian, kehadiran): ``102,6 %``.

    Examples
    --------
    >>> points(102.63), points(None)
    ('102,6 %', '–')
    """
    return MISSING if _missing(value) else number(value, digits, bahasa) + " %"


def count_percent(count: int, total: int, bahasa: str = "id", digits: int = 1) -> str:
    """Write a count beside its share of ``total``, so a rounded percent cannot hide a case.

    A share that rounds to zero while the count is not zero is written ``< 0,1 %``.

    Parameters
    ----------
    count, total : int
        The cases and everyone; with ``total`` 0 only the count is written.
    bahasa : {"id", "en"}
        Language style.
    digits : int, default 1
        Decimals of the percent.

    Returns
    -------
    str

    Examples
    --------
    >>> count_percent(1, 2500), count_percent(12, 120), count_percent(0, 0)
    ('1 (< 0,1 %)', '12 (10,0 %)', '0')
    """
    head = integer(count, bahasa)
    return f"{head} ({share_of(count, total, bahasa, digits)})" if total else head


def share_of(count: int, total: int, bahasa: str = "id", digits: int = 1) -> str:
    """Write ``count / total`` as a percent that never rounds a real case away.

    A share that rounds to zero while ``count`` is not zero is written ``< 0,1 %``; one that
    rounds to 100 % while not everyone is counted is written ``> 99,9 %``.

    Examples
    --------
    >>> share_of(1, 2500), share_of(2499, 2500), share_of(5, 20), share_of(0, 0)
    ('< 0,1 %', '> 99,9 %', '25,0 %', '–')
    """
    if not total:
        return MISSING
    share = count / total
    step = 10.0 ** (-digits)
    if count and round(share * 100, digits) == 0:
        return "< " + percent(step / 100, bahasa, digits)
    if count != total and round(share * 100, digits) == 100:
        return "> " + percent((100 - step) / 100, bahasa, digits)
    return percent(share, bahasa, digits)


def duration(seconds: float | None, bahasa: str = "id") -> str:
    """Write a processing time: ``3,9 dtk``, ``2 mnt 05 dtk``.

    Examples
    --------
    >>> duration(3.94), duration(125), duration(3.94, "en")
    ('3,9 dtk', '2 mnt 05 dtk', '3.9 s')
    """
    if _missing(seconds):
        return MISSING
    units = ("mnt", "dtk") if bahasa == "id" else ("min", "s")
    value = float(seconds)  # type: ignore[arg-type]
    if value < 60:
        return f"{number(value, 1, bahasa)} {units[1]}"
    minutes, rest = divmod(round(value), 60)
    return f"{integer(minutes, bahasa)} {units[0]} {rest:02d} {units[1]}"


def zone(name: str) -> dt.timezone:
    """Return the fixed-offset time zone for ``WIB``, ``WITA`` or ``WIT``.

    Raises
    ------
    ValueError
        For any other name.
    """
    key = str(name).strip().upper()
    if key not in ZONES:
        raise ValueError(f"zona waktu {name!r} tidak dikenal; pilih {', '.join(ZONES)}")
    return dt.timezone(dt.timedelta(hours=ZONES[key]), key)


def _datetime(value: object) -> dt.datetime | None:
    if _missing(value):
        return None
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.to_pydatetime()


def timestamp(
    value: object, zona: str = "WIB", bahasa: str = "id", *, seconds: bool = False
) -> str:
    """Write a moment in the city's time zone: ``30 November 2026 07.32 WIB``.

    Parameters
    ----------
    value : datetime, Timestamp or ISO 8601 text
        The moment; a value without a zone is taken as UTC (what the workbench stores).
    zona : {"WIB", "WITA", "WIT"}
        The city's time zone (``profil.toml``).
    bahasa : {"id", "en"}
        Language style.
    seconds : bool, default False
        Also write the seconds.

    Returns
    -------
    str
        A dash when missing.

    Examples
    --------
    >>> timestamp("2026-11-29T16:32:30.027663+00:00")
    '29 November 2026 23.32 WIB'
    >>> timestamp("2026-11-29T16:32:30+00:00", "WIT", seconds=True)
    '30 November 2026 01.32.30 WIT'
    """
    moment = _datetime(value)
    if moment is None:
        return MISSING
    tz = zone(zona)
    clock = ("HH.mm" if bahasa == "id" else "HH:mm") + (
        (".ss" if bahasa == "id" else ":ss") if seconds else ""
    )
    written = format_datetime(
        moment.astimezone(tz), format=f"d MMMM y {clock}", locale=_locale(bahasa)
    )
    return f"{written} {tz.tzname(None)}"


def date(value: object, bahasa: str = "id", *, short: bool = False) -> str:
    """Write a calendar date: ``29 November 2026`` (``29 Nov 2026`` when ``short``).

    Parameters
    ----------
    value : date, datetime, Timestamp or ISO text
        The date (a datetime's own date, not converted between zones).
    bahasa : {"id", "en"}
        Language style.
    short : bool, default False
        Abbreviate the month.

    Examples
    --------
    >>> date("2025-03-01"), date(None)
    ('1 Maret 2025', '–')
    """
    if _missing(value):
        return MISSING
    day = pd.Timestamp(value).date()  # type: ignore[arg-type]
    return format_date(day, format="d MMM y" if short else "d MMMM y", locale=_locale(bahasa))


def places(values: float | pd.Series | np.ndarray, most: int = 2) -> int:
    """Return the fewest decimals, up to ``most``, that write every value without rounding it.

    Parameters
    ----------
    values : float or array-like
        One number or many (missing values and text are ignored).
    most : int, default 2
        The most decimals ever written.

    Returns
    -------
    int

    Examples
    --------
    >>> places(27088.0), places(4.5), places(4.3571), places(pd.Series([1.0, 2.5, None]))
    (0, 1, 2, 1)
    """
    if isinstance(values, float | int | np.floating | np.integer):
        one = float(values)  # one number: no array (a sheet writes thousands of them)
        return next((d for d in range(most) if abs(one - round(one, d)) <= 1e-9), most)
    else:
        known = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy(dtype=float)
    return next(
        (d for d in range(most) if np.allclose(known, np.round(known, d), rtol=0, atol=1e-9)),
        most,
    )


def cell(value: object, bahasa: str = "id", digits: int | None = None) -> str:
    """Write any one value for a table: numbers grouped, dates written out, missing as a dash.

    Examples
    --------
    >>> cell(27088.0), cell(24397), cell(4.3571), cell(pd.NA), cell(True), cell("DINKES")
    ('27.088', '24.397', '4,36', '–', 'ya', 'DINKES')
    """
    if _missing(value):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return ("ya" if value else "tidak") if bahasa == "id" else ("yes" if value else "no")
    if isinstance(value, int | np.integer):
        return integer(int(value), bahasa)
    if isinstance(value, float | np.floating):
        return number(float(value), places(value) if digits is None else digits, bahasa)
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return date(value, bahasa)
    return str(value)


def table(frame: pd.DataFrame, bahasa: str = "id") -> pd.DataFrame:
    """Write every cell of a table as text for a page, one number of decimals per column.

    A float column gets the fewest decimals (0, 1 or 2) that show all its values, so a column of
    ``27.088`` beside ``24.397`` is not written ``24.397,00``; integers are grouped; dates are
    written out; missing values are dashes. Index and column labels are kept.

    Parameters
    ----------
    frame : DataFrame
        Any shape.
    bahasa : {"id", "en"}
        Language style.

    Returns
    -------
    DataFrame
        Same shape, ``str`` cells.
    """
    columns = {}
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        digits = places(values) if pd.api.types.is_float_dtype(values) else None
        columns[position] = [cell(v, bahasa, digits) for v in values]
    written = pd.DataFrame(columns, index=frame.index, dtype="str")
    written.columns = frame.columns
    return written


def tick_formatter(
    digits: int | None = None, bahasa: str = "id", *, share: bool = False
) -> Callable:
    """Return a matplotlib tick formatter that writes ticks like the tables do.

    Parameters
    ----------
    digits : int, optional
        Decimals; by default the fewest that tell the ticks apart (0, 1 or 2).
    bahasa : {"id", "en"}
        Language style.
    share : bool, default False
        Ticks are shares (0–1) written as percents.

    Returns
    -------
    matplotlib.ticker.FuncFormatter
    """
    from matplotlib.ticker import FuncFormatter

    def write(value: float, _position: int | None = None) -> str:
        shown = value * 100 if share else value
        written = number(shown, places(shown) if digits is None else digits, bahasa)
        return written + (" %" if share else "")

    return FuncFormatter(write)
