"""Evaluation periods: the :class:`Periode` value, quarters (``2025-TW1`` … ``2025-TW4``) and years.

A period is parsed once, where it arrives (the command line, a public function, a notebook's
parameters, the app's picker), into a :class:`Periode`; everything after that reads its year and
quarter instead of looking at the text again. A year is evaluated from its own rows where a table
has them, and from its four quarters' rows where it has none (DOMAIN.md, "Periods").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from asn_eval.errors import PeriodeError

__all__ = [
    "Periode",
    "available_periodes",
    "parse_periode",
    "periode_dtype",
    "periode_mask",
    "select_periode",
    "sort_periode",
]

_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
_PATTERN = re.compile(r"^(\d{4})(?:[-/ ]*(?:TW|Q|TRIWULAN)[-/ ]*([1-4]|IV|III|II|I))?$")
_REVERSED = re.compile(r"^(?:TW|Q|TRIWULAN)[-/ ]*([1-4]|IV|III|II|I)[-/ ]*(\d{4})$")


def parse_periode(text: object) -> str | None:
    """Return the canonical form of a period as written in a data cell, or None.

    Parameters
    ----------
    text : object
        A period as written: ``"2025-TW1"``, ``"2025 tw I"``, ``"TW1-2025"``, ``"2025"``.

    Returns
    -------
    str or None
        ``"2025-TW1"`` … ``"2025-TW4"`` or ``"2025"``; None when ``text`` is not a period.

    Examples
    --------
    >>> parse_periode("2025 tw iv"), parse_periode(2025), parse_periode("2025-13")
    ('2025-TW4', '2025', None)
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    if isinstance(text, Periode):
        return str(text)
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    clean = str(text).strip().upper()
    match = _PATTERN.match(clean)
    if match:
        year, quarter = match.groups()
    else:
        match = _REVERSED.match(clean)
        if not match:
            return None
        quarter, year = match.groups()
    if not 1900 <= int(year) <= 2100:
        return None
    if quarter is None:
        return year
    return f"{year}-TW{_ROMAN.get(quarter, quarter)}"


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
