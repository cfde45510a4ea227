"""Evaluation periods: the :class:`Periode` value, quarters (``2025-TW1`` … ``2025-TW4``) and years.

A period is parsed once, where it arrives (the command line, a public function, a notebook's
parameters, the app's picker), into a :class:`Periode`; everything after that reads its year and
quarter instead of looking at the text again. A year is evaluated from its own rows where a table
has them, and from its four quarters' rows where it has none (DOMAIN.md, "Periods").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from asn_eval.errors import PeriodeError
from asn_eval.input.calendar import (
    MONTHS,
    month_of_name,
    parse_dates,
    two_digit_year,
    weekday_of_name,
)

__all__ = [
    "Periode",
    "available_periodes",
    "parse_month",
    "parse_periode",
    "parse_periode_parts",
    "periode_dtype",
    "periode_from_title",
    "periode_mask",
    "quarter_of_month",
    "select_periode",
    "sort_periode",
    "year_of",
]

_QUARTER_NUMBER = {
    "1": 1, "2": 2, "3": 3, "4": 4, "I": 1, "II": 2, "III": 3, "IV": 4,
    "PERTAMA": 1, "KEDUA": 2, "KETIGA": 3, "KEEMPAT": 4,
}  # fmt: skip
_SEP = r"[\s\-/_.:,]*"
_SEP1 = r"[\s\-/_.:,]+"
_MARK = r"(?:TRIWULAN|TRW|TW|KUARTAL|Q)"
_QNUM = r"(?:[1-4](?!\d)|IV|III|II|I|PERTAMA|KEDUA|KETIGA|KEEMPAT)"
_YEAR = r"\d{4}"
_LABEL = re.compile(r"^(?:PERIODE(?:\s+PENILAIAN)?|MASA\s+PENILAIAN)\s*:?\s*")
_QUARTER = rf"{_MARK}{_SEP}(?P<q>{_QNUM})"
_FORMS = tuple(
    re.compile(form)
    for form in (
        rf"^(?:TAHUN{_SEP})?(?P<y>{_YEAR})(?:{_SEP}{_QUARTER})?$",  # 2025, 2025-TW1, Tahun 2025
        rf"^{_QUARTER}{_SEP}(?:TAHUN{_SEP})?(?P<y>{_YEAR})$",  # TW I 2025, Triwulan I Tahun 2025
        rf"^TAHUNAN{_SEP}(?P<y>{_YEAR})$",  # Tahunan 2025
        rf"^(?P<y>{_YEAR}){_SEP}TAHUNAN$",  # 2025 Tahunan
        rf"^(?:TA|T\.A\.?|TAHUN ANGGARAN){_SEP}(?P<y>{_YEAR})$",  # TA 2025 (tahun anggaran)
    )
)
_MONTH_RANGE = re.compile(
    r"^(?P<a>[A-Z]+)\.?\s*(?:-|–|S\.?\s?D\.?|S/D|SAMPAI(?:\s+DENGAN)?|HINGGA)\s*"
    rf"(?P<b>[A-Z]+)\.?{_SEP}(?P<y>{_YEAR})$"
)  # Januari - Maret 2025, Jan s.d. Mar 2025
_CANONICAL = re.compile(r"^(\d{4})(?:-TW([1-4]))?$")
_WITHOUT_YEAR = (re.compile(rf"^{_QUARTER}$"), re.compile(r"^TAHUN(?:AN)?$"))


def _clean(text: str) -> str:
    """Upper case, single-spaced, without a leading ``Periode:`` label."""
    return _LABEL.sub("", " ".join(text.upper().split()))


def _in_range(year: int) -> bool:
    return 1900 <= year <= 2100


def parse_periode(text: object) -> str | None:
    """Return the canonical form of a period as written in a data cell, or None.

    Case, spaces, dashes, slashes and dots between the parts do not matter, and a leading
    ``Periode`` label is ignored. A quarter needs its marker (``TW``, ``Triwulan``, ``Trw``,
    ``Kuartal`` or ``Q``) and its number (``1``–``4``, ``I``–``IV``, or ``pertama`` … ``keempat``);
    a year is four digits from 1900 to 2100, alone or after ``Tahun``/``Tahunan``.

    A month (``2025-01``, ``Januari 2025``) and a semester (``Semester I 2025``) are not periods
    of the data contract, and are refused; read months with :func:`parse_month`.

    Parameters
    ----------
    text : object
        A period as written: ``"2025-TW1"``, ``"2025 tw I"``, ``"TW1-2025"``, ``"Q1 2025"``,
        ``"Triwulan I Tahun 2025"``, ``"Periode 2025-TW1"``, ``"2025"``, ``"Tahunan 2025"``,
        ``2025``.

    Returns
    -------
    str or None
        ``"2025-TW1"`` … ``"2025-TW4"`` or ``"2025"``; None when ``text`` is not a period.

    Examples
    --------
    >>> parse_periode("2025 tw iv"), parse_periode(2025), parse_periode("2025-13")
    ('2025-TW4', '2025', None)
    >>> parse_periode("TRIWULAN I TAHUN 2025"), parse_periode("Tahunan 2025")
    ('2025-TW1', '2025')
    >>> parse_periode("Semester I 2025"), parse_periode("Januari 2025")
    (None, None)
    """
    if text is None or isinstance(text, bool) or (isinstance(text, float) and pd.isna(text)):
        return None
    if isinstance(text, Periode):
        return str(text)
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    raw = str(text)
    match = _CANONICAL.match(raw)  # the canonical form, as stored: no need to look further
    if match:
        year, quarter = match.groups()
    else:
        clean = _clean(raw)
        match = next((m for m in (form.match(clean) for form in _FORMS) if m), None)
        if match is None:
            return _month_range(clean)
        year, quarter = match.group("y"), match.groupdict().get("q")
        quarter = quarter and str(_QUARTER_NUMBER[quarter])
    if not _in_range(int(year)):
        return None
    return f"{year}-TW{quarter}" if quarter else year


def _month_range(clean: str) -> str | None:
    """Read a range of months that is exactly one quarter or one year (``Januari - Maret 2025``)."""
    match = _MONTH_RANGE.match(clean)
    if match is None:
        return None
    first, last = month_of_name(match.group("a")), month_of_name(match.group("b"))
    year = int(match.group("y"))
    if first is None or last is None or not _in_range(year):
        return None
    if (first, last) == (1, 12):
        return str(year)
    if first in (1, 4, 7, 10) and last == first + 2:
        return f"{year}-TW{(first - 1) // 3 + 1}"
    return None


def year_of(tahun: object) -> int | None:
    """Return the year of a ``Tahun`` cell, or None.

    Parameters
    ----------
    tahun : object
        The cell: ``2025``, ``2025.0``, ``"2025"``, ``"Tahun 2025"``.

    Returns
    -------
    int or None
        The year, 1900–2100; None when the cell is not a year.

    Examples
    --------
    >>> year_of(2025.0), year_of("Tahun 2025"), year_of("25")
    (2025, 2025, None)
    """
    if isinstance(tahun, bool):
        return None
    if isinstance(tahun, int | np.integer):
        year = int(tahun)
    elif isinstance(tahun, float | np.floating):
        year = int(tahun) if np.isfinite(tahun) and float(tahun).is_integer() else None
    elif isinstance(tahun, str):
        match = re.fullmatch(r"(?:TAHUN\s*)?(\d{4})(?:\.0+)?", _clean(tahun))
        year = int(match.group(1)) if match else None
    else:
        year = None
    return year if year is not None and _in_range(year) else None


def parse_periode_parts(text: object, tahun: object = None) -> str | None:
    """Return the canonical period of a period written without its year and a ``Tahun`` value.

    Some exports keep the period in two columns: ``Triwulan`` (``"Triwulan I"``, ``"TW 4"``,
    ``"Q2"``, ``"Tahunan"``) and ``Tahun`` (``2025``). A period text that has its own year is
    read whole, and must then agree with ``tahun`` (when given). A bare number or numeral
    (``"1"``, ``"I"``) is not read as a quarter: without its marker it may as well be a semester.

    Parameters
    ----------
    text : object
        The period as written, with or without its year.
    tahun : object, optional
        The year as written: ``2025``, ``2025.0``, ``"2025"``, ``"Tahun 2025"``; None or NaN
        when there is no year column.

    Returns
    -------
    str or None
        ``"2025-TW1"`` … ``"2025-TW4"`` or ``"2025"``; None when the two do not make one period
        (either unreadable, the year missing, or two different years).

    Examples
    --------
    >>> parse_periode_parts("Triwulan I", 2025), parse_periode_parts("Tahunan", "2025")
    ('2025-TW1', '2025')
    >>> parse_periode_parts("TW 4", 2025.0), parse_periode_parts("TW1 2024", 2025)
    ('2025-TW4', None)
    """
    given = not (tahun is None or (isinstance(tahun, float) and np.isnan(tahun)))
    year = year_of(tahun) if given else None
    if given and year is None:
        return None
    whole = parse_periode(text)
    if whole is not None:
        return whole if year is None or int(whole[:4]) == year else None
    if year is None or not isinstance(text, str):
        return None
    clean = _clean(text)
    quarter, annual = (form.match(clean) for form in _WITHOUT_YEAR)
    if quarter:
        return f"{year}-TW{_QUARTER_NUMBER[quarter.group('q')]}"
    return str(year) if annual else None


_MONTH_FORMS = (
    re.compile(rf"^(?P<name>[A-Z]+)\.?{_SEP}(?:TAHUN{_SEP})?(?P<y>{_YEAR})$"),  # Januari 2025
    re.compile(rf"^(?P<y>{_YEAR}){_SEP}(?P<name>[A-Z]+)\.?$"),  # 2025 Januari
    re.compile(rf"^(?P<y>{_YEAR})[-/.](?P<m>\d{{1,2}})$"),  # 2025-01
    re.compile(rf"^(?P<m>\d{{1,2}})[-/.](?P<y>{_YEAR})$"),  # 01/2025
    re.compile(r"^(?P<name>[A-Z]+)[-/ ](?P<yy>\d{2})$"),  # Jan-25: Excel's mmm-yy display
)


def parse_month(text: object) -> tuple[int, int] | None:
    """Return the (year, month) of a month as attendance machines write it, or None.

    Accepted: a month name, Indonesian or English, full or abbreviated, then a four-digit
    year (``Januari 2025``, ``Jan 2025``, ``January 2025``, ``Bulan Januari 2025``,
    ``Januari Tahun 2025``, ``2025 Januari``); numbers year first or month first
    (``2025-01``, ``01/2025``); a date object on the first of a month at midnight (how a
    spreadsheet keeps a cell shown as ``Jan-25``). A month is not a period of the data contract:
    rows by month are summed into their quarter (:func:`quarter_of_month`).

    Parameters
    ----------
    text : object
        A month as written.

    Returns
    -------
    tuple of int or None
        ``(year, month)``, year 1900–2100 and month 1–12; None when ``text`` is not a month.

    Examples
    --------
    >>> parse_month("Bulan Januari 2025"), parse_month("01/2025"), parse_month("Jan-25")
    ((2025, 1), (2025, 1), (2025, 1))
    """
    if isinstance(text, dt.date | np.datetime64):
        stamp = pd.Timestamp(text)
        if stamp is pd.NaT or stamp != stamp.normalize() or stamp.day != 1:
            return None
        year, month = stamp.year, stamp.month
    elif isinstance(text, str):
        clean = re.sub(r"^BULAN\s*:?\s*", "", _clean(text))
        match = next((m for m in (form.match(clean) for form in _MONTH_FORMS) if m), None)
        if match is None:
            return None
        parts = match.groupdict()
        year = int(parts["y"]) if "y" in parts else int(two_digit_year(int(parts["yy"])))
        month = month_of_name(parts["name"]) if "name" in parts else int(parts["m"])
    else:
        return None
    if month is None or not 1 <= month <= 12 or not _in_range(year):
        return None
    return year, month


def quarter_of_month(year: int, month: int) -> str:
    """Return the quarter a month belongs to.

    Parameters
    ----------
    year : int
        The year.
    month : int
        The month, 1–12.

    Returns
    -------
    str
        ``"2025-TW1"`` … ``"2025-TW4"``.

    Raises
    ------
    ValueError
        When ``month`` is not 1–12.

    Examples
    --------
    >>> quarter_of_month(2025, 1), quarter_of_month(2025, 12)
    ('2025-TW1', '2025-TW4')
    """
    if not 1 <= month <= 12:
        raise ValueError(f"bulan harus 1–12, bukan {month!r}")
    return f"{int(year)}-TW{(int(month) - 1) // 3 + 1}"


_IN_TEXT = re.compile(
    r"(?<![A-Z0-9])(?:"
    rf"{_MARK}{_SEP}{_QNUM}{_SEP}(?:TAHUN{_SEP})?{_YEAR}"  # Triwulan I Tahun 2025
    rf"|(?:TAHUN{_SEP})?{_YEAR}{_SEP1}{_MARK}{_SEP}{_QNUM}"  # Tahun 2025 Triwulan I
    rf"|TAHUN(?:AN)?{_SEP}{_YEAR}|{_YEAR}{_SEP1}TAHUNAN"  # Tahun 2025, 2025 Tahunan
    r")(?![A-Z0-9])"
)
_RANGE_SEP = re.compile(
    r"\s+(?:S\s*[./]\s*D\.?|SD|SAMPAI(?:\s+DENGAN)?|HINGGA)\s+|\s*[-\u2013\u2014]\s*"
)
_NOT_ONE_PERIOD = re.compile(
    r"(?<![A-Z])(?:SEMESTER|BULAN(?:AN)?|MINGGU(?:AN)?|HARIAN|TRIWULAN|TRW|TW|KUARTAL|Q(?=[1-4])"
    r"|SAMPAI|HINGGA|S\s*[./]\s*D|"
    + "|".join(sorted(MONTHS, key=len, reverse=True))
    + r")(?![A-Z])"
)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:19|20|21)\d{2}(?!\d)")
_WIDEST_DATE = 4  # words: "Senin, 06 Januari 2025"
_DIGIT = re.compile(r"\d")


def _range_periods(text: str) -> tuple[list[str | None], str]:
    """Periods of the date ranges in ``text``, and ``text`` without them.

    A range gives a quarter or a year when it covers exactly one; any other range (two months,
    a range across years, a day name that is not the date's) gives None.
    """
    words = [m.span() for m in re.finditer(r"\S+", text)]
    candidates = []  # (separator, where the left date may start, where the right may end)
    for sep in _RANGE_SEP.finditer(text):
        starts = [a for a, _ in words if a < sep.start()][-_WIDEST_DATE:]
        ends = [b for _, b in words if b > sep.end()][:_WIDEST_DATE][::-1]
        dated = _DIGIT.search(text, 0, sep.start()) and _DIGIT.search(text, sep.end())
        if starts and ends and dated:  # a date has digits on both sides of the separator
            candidates.append((sep, starts, ends))
    if not candidates:
        return [], text
    strings = [
        piece
        for sep, starts, ends in candidates
        for piece in (
            *(text[a : sep.start()].lstrip("([") for a in starts),
            *(text[sep.end() : b].rstrip(")],.;") for b in ends),
        )
    ]
    dates, serial = parse_dates(strings)
    readable = dates.where(~serial)
    periods: list[str | None] = []
    spans = []
    position = 0
    for _, starts, ends in candidates:
        left = readable.iloc[position : position + len(starts)]
        right = readable.iloc[position + len(starts) : position + len(starts) + len(ends)]
        position += len(starts) + len(ends)
        if left.isna().all() or right.isna().all():
            continue
        # The widest reading of each side; a day name just outside it is a wrong weekday.
        first = int(np.flatnonzero(left.notna().to_numpy())[0])
        last = int(np.flatnonzero(right.notna().to_numpy())[0])
        start, end = left.iloc[first].normalize(), right.iloc[last].normalize()
        outside = [w for w in words if w[1] <= starts[first]][-1:]
        weekday = outside and weekday_of_name(text[slice(*outside[0])]) is not None
        periods.append(None if weekday else _covered(start, end))
        spans.append((starts[first], ends[last]))
    for a, b in reversed(spans):
        text = text[:a] + " " + text[b:]
    return periods, text


def _covered(start: pd.Timestamp, end: pd.Timestamp) -> str | None:
    """Return the quarter or year from ``start`` to ``end`` (inclusive) if exactly one."""
    if not _in_range(start.year):
        return None
    year = Periode(start.year)
    quarter = year.quarters[(start.month - 1) // 3]
    for periode in (quarter, year):
        if periode.bounds == (start, end):
            return str(periode)
    return None


def periode_from_title(text: object) -> str | None:
    """Return the period a title line above a table names, or None.

    Read, in this order:

    1. the whole line, after an optional ``Periode:`` label, as :func:`parse_periode` reads a
       cell (``Periode: Triwulan I 2025``, ``TRIWULAN I TAHUN 2025``, ``Periode: 2025``);
    2. date ranges (``01/01/2025 s.d. 31/03/2025``, separated by ``s.d.``, ``s/d``, ``sd``,
       ``sampai (dengan)``, ``hingga``, ``-``, ``–``; each date in a form
       :func:`~asn_eval.input.calendar.parse_dates` reads, not an Excel serial number) that cover
       exactly one quarter or one calendar year;
    3. period phrases inside a longer title (``Rekapitulasi Kehadiran Triwulan I Tahun 2025``,
       ``Laporan Kinerja Tahun 2025``); a bare year inside other words is not read.

    Strict about meaning: None when the title names no period, names two different ones, or
    also names something that is not one period of the contract besides them (a month, a
    semester, an unread quarter or range, another year), e.g. ``Semester I Tahun 2025``,
    ``Bulan Januari Tahun 2025``, ``Triwulan I dan II Tahun 2025``, ``Tahun 2025 - 2026``.

    Parameters
    ----------
    text : object
        A title line (one cell's text).

    Returns
    -------
    str or None
        ``"2025-TW1"`` … ``"2025-TW4"`` or ``"2025"``; None when the line names no single period.

    Examples
    --------
    >>> periode_from_title("Periode: 01/01/2025 s.d. 31/03/2025")
    '2025-TW1'
    >>> periode_from_title("REKAPITULASI KEHADIRAN PEGAWAI TRIWULAN I TAHUN 2025")
    '2025-TW1'
    >>> periode_from_title("Periode: 01/01/2025 s.d. 28/02/2025") is None
    True
    """
    if not isinstance(text, str):
        return None
    whole = parse_periode(text)
    if whole is not None:
        return whole
    clean = " ".join(text.upper().split())
    found, rest = _range_periods(clean)
    found += [parse_periode(m.group()) for m in _IN_TEXT.finditer(rest)]
    rest = _IN_TEXT.sub(" ", rest)
    if len(set(found)) != 1 or found[0] is None or _NOT_ONE_PERIOD.search(rest):
        return None
    periode = found[0]
    if any(year != periode[:4] for year in _YEAR_IN_TEXT.findall(rest)):
        return None
    return periode


class Periode(str):
    """One evaluation period: a year or one of its quarters.

    A ``Periode`` is its canonical text (``"2025-TW2"``, ``"2025"``), so it compares equal to
    that text, is stored in tables as it, and can be written wherever text goes; it also knows its
    year and quarter, which is what code should ask instead of reading the text.

    Parameters
    ----------
    value : str, int or Periode
        As written: ``"2025-TW2"``, ``"2025 tw ii"``, ``"TW2-2025"``, ``2025``.

    Raises
    ------
    PeriodeError
        When ``value`` is not a period.

    Examples
    --------
    >>> p = Periode("2025 tw ii")
    >>> p, p.tahun, p.triwulan, p.is_year, str(p.year)
    ('2025-TW2', 2025, 2, False, '2025')
    >>> [str(q) for q in Periode(2025).quarters]
    ['2025-TW1', '2025-TW2', '2025-TW3', '2025-TW4']
    """

    __slots__ = ("tahun", "triwulan")
    tahun: int
    triwulan: int | None

    def __new__(cls, value: object) -> Periode:
        """Read a period (see the class); a Periode is returned as it is."""
        if isinstance(value, Periode):
            return value
        canonical = parse_periode(value)
        if canonical is None:
            raise PeriodeError(
                f"periode {value!r} tidak dapat dibaca (tulis 2025-TW1 … 2025-TW4 atau 2025)"
            )
        self = super().__new__(cls, canonical)
        year, _, quarter = canonical.partition("-TW")
        self.tahun = int(year)
        self.triwulan = int(quarter) if quarter else None
        return self

    def __repr__(self) -> str:
        return str.__repr__(str(self))

    def __reduce__(self) -> tuple[type, tuple[str]]:
        return (Periode, (str(self),))

    @property
    def is_year(self) -> bool:
        """True for a whole year (``2025``), False for a quarter."""
        return self.triwulan is None

    @property
    def year(self) -> Periode:
        """The year this period belongs to (itself for a year)."""
        return self if self.is_year else Periode(self.tahun)

    @property
    def quarters(self) -> tuple[Periode, ...]:
        """The quarters a year is built from; a quarter is its own only quarter."""
        if not self.is_year:
            return (self,)
        return tuple(Periode(f"{self.tahun}-TW{q}") for q in range(1, 5))

    @property
    def months(self) -> int:
        """Length in months: 12 for a year, 3 for a quarter."""
        return 12 if self.is_year else 3

    @property
    def sort_key(self) -> tuple[int, int]:
        """Time order: a year after its four quarters."""
        return self.tahun, self.triwulan or 5

    @property
    def bounds(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last day of the period (inclusive).

        Examples
        --------
        >>> [d.date().isoformat() for d in Periode("2025-TW2").bounds]
        ['2025-04-01', '2025-06-30']
        """
        if self.is_year:
            return pd.Timestamp(self.tahun, 1, 1), pd.Timestamp(self.tahun, 12, 31)
        start = pd.Timestamp(self.tahun, 3 * self.triwulan - 2, 1)
        return start, start + pd.offsets.QuarterEnd(0)

    @classmethod
    def of(cls, value: object, available: Iterable[str]) -> Periode:
        """Read a period asked for and check the data has it: the one call at an entry point.

        Parameters
        ----------
        value : str, int or Periode
            As the user wrote it.
        available : iterable of str
            The data's periods (:attr:`asn_eval.Dataset.periodes`).

        Returns
        -------
        Periode

        Raises
        ------
        PeriodeError
            When it cannot be read or the data has nothing for it; the message lists the periods
            the data can be evaluated for.

        Examples
        --------
        >>> str(Periode.of("2025 TW I", ["2025-TW1", "2025-TW2"]))
        '2025-TW1'
        """
        choices = available_periodes(available)
        try:
            periode = cls(value)
        except PeriodeError as error:
            raise PeriodeError(str(error), choices) from None
        return periode.within(choices)

    def within(self, available: Iterable[str]) -> Periode:
        """Check that the data has something for this period, and return it.

        A year is there when the data has the year itself or any of its quarters.

        Parameters
        ----------
        available : iterable of str
            The data's periods (:attr:`asn_eval.Dataset.periodes`).

        Returns
        -------
        Periode
            Itself.

        Raises
        ------
        PeriodeError
            When the data has nothing for it; the message lists the periods it can evaluate.

        Examples
        --------
        >>> str(Periode("2025").within(["2025-TW1"]))
        '2025'
        """
        choices = available_periodes(available)
        if self not in choices:
            raise PeriodeError(f"periode '{self}' tidak ada di data", choices)
        return self


def sort_periode(periodes: Iterable[str]) -> list[str]:
    """Sort periods in time order, each year after its four quarters.

    Parameters
    ----------
    periodes : iterable of str
        Periods.

    Returns
    -------
    list of Periode
        Unique periods, oldest first.

    Examples
    --------
    >>> sort_periode(["2025", "2025-TW2", "2024", "2025-TW1"])
    ['2024', '2025-TW1', '2025-TW2', '2025']
    """
    return sorted({Periode(p) for p in periodes}, key=lambda p: p.sort_key)


def available_periodes(periodes: Iterable[str]) -> list[Periode]:
    """Every period a dataset with these periods can evaluate: its own, and each year of a quarter.

    Parameters
    ----------
    periodes : iterable of str
        The periods that appear in the data.

    Returns
    -------
    list of Periode
        Oldest first; a year is included when any of its quarters is there.

    Examples
    --------
    >>> available_periodes(["2025-TW1", "2025-TW2"])
    ['2025-TW1', '2025-TW2', '2025']
    """
    found = {Periode(p) for p in periodes}
    found |= {p.year for p in found}
    return sorted(found, key=lambda p: p.sort_key)


def periode_dtype(periodes: Iterable[str]) -> pd.CategoricalDtype:
    """Return an ordered categorical dtype over the given periods, in time order.

    Parameters
    ----------
    periodes : iterable of str
        Canonical periods.

    Returns
    -------
    CategoricalDtype
        Ordered dtype whose categories are the sorted periods (as text).
    """
    return pd.CategoricalDtype([str(p) for p in sort_periode(periodes)], ordered=True)


def periode_mask(frame: pd.DataFrame, periode: Periode | str) -> np.ndarray:
    """Which rows of ``frame`` belong to a period; a year without rows takes its quarters.

    Parameters
    ----------
    frame : DataFrame
        A table with a ``periode`` column.
    periode : Periode
        A period, e.g. ``Periode("2025-TW1")`` or ``Periode("2025")``.

    Returns
    -------
    ndarray of bool
        True for the period's rows.

    Examples
    --------
    >>> frame = pd.DataFrame({"periode": ["2025-TW1", "2025-TW2"]})
    >>> periode_mask(frame, Periode("2025")).tolist(), periode_mask(frame, "2025-TW2").tolist()
    ([True, True], [False, True])
    """
    periode = Periode(periode)
    mask = (frame["periode"] == str(periode)).to_numpy(dtype=bool, na_value=False)
    if mask.any() or not periode.is_year:
        return mask
    quarters = [str(q) for q in periode.quarters]
    return frame["periode"].isin(quarters).to_numpy(dtype=bool)


def select_periode(frame: pd.DataFrame, periode: Periode | str) -> pd.DataFrame:
    """Rows of ``frame`` for one period; a year falls back to its quarters when it has no rows.

    Parameters
    ----------
    frame : DataFrame
        A table with a ``periode`` column.
    periode : Periode
        A period.

    Returns
    -------
    DataFrame
        The matching rows: ``frame`` itself when every row matches, else a copy.
    """
    mask = periode_mask(frame, periode)
    return frame if mask.all() else frame[mask]
