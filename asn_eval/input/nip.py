"""The 18-digit NIP: parsing, the rules it must satisfy, and display.

A NIP reads ``YYYYMMDD YYYYMM G NNN``: birth date, year and month of first appointment
(TMT CPNS), sex (1 male, 2 female) and a sequence number. PPPK numbers follow the same
pattern. All functions here are vectorised over a Series of NIPs.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from asn_eval.input.codes import gather

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "LOST_DIGITS",
    "NIP_RULES",
    "all_bare",
    "check_nips",
    "format_nip",
    "is_bare",
    "read_nips",
    "rounds_to",
]

NIP_RULES = {
    "panjang": "NIP harus 18 angka",
    "tanggal_lahir": "tanggal lahir pada NIP (angka 1–8) bukan tanggal yang sah",
    "tmt": "bulan pengangkatan pada NIP (angka 9–14) bukan bulan yang sah",
    "jenis_kelamin": "digit jenis kelamin pada NIP (angka 15) harus 1 atau 2",
}
"""Errors a NIP can have, keyed by rule, with the message shown to users."""

NIP_WARNINGS = {
    "urutan": "NIP: pengangkatan sebelum kelahiran",
    "usia": "NIP: usia saat pengangkatan di luar 18–46 tahun",
}
"""Warnings (plausibility checks) on a NIP that is otherwise valid."""


_NIP_PREFIX = r"(?i)^\s*['’`]?\s*(?:nip\s*(?:baru)?\s*[.:]?\s*)?"
_SCIENTIFIC = r"^\d+(?:[.,]\d+)?[eE]\+?\d+$"
_FLOAT_TEXT = r"^\d{15,}[.,]0+$"

LOST_DIGITS = (
    "NIP tersimpan sebagai angka, bukan teks: Excel hanya menyimpan 15 angka penting, jadi angka "
    "terakhir NIP ini sudah hilang. Format kolom sebagai Teks lalu ketik ulang NIP-nya"
)


def all_bare(values: pd.Index | pd.Series) -> bool:
    """Tell whether every value is a NIP written as 18 bare digits, which reading leaves as is.

    Parameters
    ----------
    values : Index or Series
        Text values; a missing one is not bare.

    Returns
    -------
    bool

    Examples
    --------
    >>> all_bare(pd.Index(["199001012000011001", "1990 0101 2000 01 1 001"]))
    False
    >>> all_bare(pd.Index(["199001012000011001", None], dtype="str"))
    False
    """
    return bool(is_bare(values).all())


def is_bare(values: pd.Index | pd.Series) -> np.ndarray:
    """Tell which values are 18 ASCII digits, the form of a NIP (``spec/DOMAIN.md`` § 6).

    Parameters
    ----------
    values : Index or Series
        Text (a number is taken as its ``str``); a missing value is not bare.

    Returns
    -------
    ndarray of bool, shape (n,)

    Notes
    -----
    Text pyarrow holds is tested in Arrow's own memory (18 bytes, each an ASCII digit), any other
    text is first copied there. Digits of other scripts (Arabic-Indic, full-width) are not bare:
    reading turns full-width digits into ASCII ones (:func:`read_nips`).

    Examples
    --------
    >>> is_bare(pd.Index(["199001012000011001", "١٩٩٠٠١٠١٢٠٠٠٠١١٠٠١", None])).tolist()
    [True, False, False]
    """
    import pyarrow.compute as pc

    text = _arrow_text(values)
    bare = pc.and_(pc.equal(pc.binary_length(text), 18), pc.ascii_is_decimal(text))
    return pc.fill_null(bare, False).to_numpy(zero_copy_only=False)


def _arrow_text(values: pd.Index | pd.Series) -> pa.ChunkedArray:
    """Give the values as Arrow text: pyarrow's own chunks, not a copy, when it holds them."""
    import pyarrow as pa

    if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
        values = pd.Index(values, dtype=object).astype("str")  # missing stays missing
    return pa.chunked_array(pd.Series(values, copy=False))  # a whole column: not combined


def read_nips(values: pd.Index, typed: bool) -> tuple[list[str | None], np.ndarray]:
    """Read the unique values of a NIP column as typed.

    Parameters
    ----------
    values : Index
        Unique cells: text (``'197309071993111001``, ``NIP. 19720412 199904 2 001``,
        ``19681111 199502 1 001``) or numbers.
    typed : bool
        Whether numbers are the sheet's own numbers (Excel, Parquet). Either way a float that
        cannot hold every digit is refused; a whole number held exactly (an int64 from Parquet)
        is accepted.

    Returns
    -------
    nips : list of str or None
        Bare digits, position by position (None for a lost NIP).
    lost : ndarray of bool
        Values that arrived as numbers whose last digits are gone (a float, ``1,97207E+17``).

    Examples
    --------
    >>> read_nips(pd.Index(["'197309071993111001", "1,97207E+17", 1.97e17]), True)[1].tolist()
    [False, True, True]
    """
    if values.inferred_type == "string":  # a CSV column: text only, read in one vectorised pass
        if all_bare(values):  # bare NIPs, as most systems export them
            return values.tolist(), np.zeros(len(values), dtype=bool)
        kinds = np.full(len(values), "text")
    else:
        kinds = np.array(
            [
                "int" if isinstance(v, int | np.integer) and not isinstance(v, bool)
                else "float" if isinstance(v, float | np.floating)
                else "text"
                for v in values
            ]
        )  # fmt: skip
    lost = np.zeros(len(values), dtype=bool)
    out = pd.Series(values.astype("str"), dtype="str")
    for i in np.flatnonzero(kinds == "float"):  # short whole numbers are exact: the rules judge
        number = float(values[i])
        if number.is_integer() and abs(number) < 2**53:
            out.iloc[i] = str(int(number))
        else:
            lost[i] = True
    text = kinds == "text"
    if text.any():
        cleaned = out[text]
        unusual = ~cleaned.str.isascii()
        if unusual.any():  # full-width digits as the digits they are, invisible marks removed
            cleaned[unusual] = (
                cleaned[unusual]
                .str.normalize("NFKC")
                .str.replace("[\u200b-\u200d\u2060\ufeff]", "", regex=True)
            )
        cleaned = cleaned.str.replace(_NIP_PREFIX, "", regex=True).str.strip()
        gone = (cleaned.str.match(_SCIENTIFIC) | cleaned.str.match(_FLOAT_TEXT)).to_numpy()
        lost[np.flatnonzero(text)[gone]] = True
        out[text] = cleaned.str.replace(r"[\s.\-]", "", regex=True)
    out = out.astype(object)
    out[lost] = None
    return out.tolist(), lost


def check_nips(nips: pd.Series) -> pd.DataFrame:
    """Check NIPs against the rules of the 18-digit format.

    Each distinct NIP is checked once (a categorical's categories, or the values met), and the
    result is spread to its rows: the digits are read as numbers, not as text parsed to dates.

    Parameters
    ----------
    nips : Series
        Bare NIPs (see :func:`read_nips`), categorical or not. Missing values are not checked.

    Returns
    -------
    DataFrame
        Same index as ``nips``; one column per rule in ``NIP_RULES`` and ``NIP_WARNINGS``,
        True where the NIP breaks that rule, plus ``jenis_kelamin_nip`` (categorical ``"L"``,
        ``"P"`` or missing) for comparison with the recorded sex.

    Notes
    -----
    The layout, the rules and the warnings are those of ``spec/DOMAIN.md`` § 6. A date is valid
    as ``pd.to_datetime(format="%Y%m%d")`` reads it: years 0000-9999, Gregorian leap years. The
    age at appointment is whole days / 365.25.

    Examples
    --------
    >>> check_nips(pd.Series(["196608011988031001"])).iloc[0]["panjang"]
    np.False_
    """
    if isinstance(nips.dtype, pd.CategoricalDtype):
        codes, distinct = nips.array.codes, nips.cat.categories
    else:
        codes, distinct = pd.factorize(nips, use_na_sentinel=True)
    found = _check_distinct(pd.Index(distinct))
    sex = gather(np.append(found.pop("_sex"), -1).astype(np.int8), codes)
    out = pd.DataFrame(
        {rule: gather(np.append(broken, False), codes) for rule, broken in found.items()},
        index=nips.index,
    )
    sexes = pd.CategoricalDtype(["L", "P"])
    out["jenis_kelamin_nip"] = pd.Categorical.from_codes(sex, dtype=sexes, validate=False)
    return out


_PAD = "190001011920010001"  # a valid NIP put where one is not 18 digits, so every row parses
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _check_distinct(values: pd.Index) -> dict[str, np.ndarray]:
    """Apply :func:`check_nips`' rules to distinct, present values; ``_sex``: 0 (L), 1 or -1."""
    import pyarrow as pa
    import pyarrow.compute as pc

    checkable = is_bare(values)
    padded = pc.if_else(checkable, _arrow_text(values), _PAD).combine_chunks()  # 18 digits each
    width = np.int64 if pa.types.is_large_string(padded.type) else np.int32  # of the offsets
    first = int(np.frombuffer(padded.buffers()[1], width)[padded.offset])
    digits = np.frombuffer(padded.buffers()[2], np.uint8, 18 * len(padded), first)
    digits = digits.reshape(-1, 18).astype(np.int32) - ord("0")
    number = partial(_number, digits)
    birth_ok, birth = _day(number(0, 4), number(4, 6), number(6, 8))
    tmt_ok, tmt = _day(number(8, 12), number(12, 14), np.ones(len(digits), dtype=np.int32))
    sex_digit = digits[:, 14]
    dates_ok = checkable & birth_ok & tmt_ok
    age = (tmt - birth) / 365.25  # whole days, as (tmt - birth).dt.days
    return {
        "panjang": ~checkable,
        "tanggal_lahir": checkable & ~birth_ok,
        "tmt": checkable & ~tmt_ok,
        "jenis_kelamin": checkable & (sex_digit != 1) & (sex_digit != 2),
        "urutan": dates_ok & (tmt < birth),
        "usia": dates_ok & (tmt >= birth) & ((age < 18) | (age > 46)),
        "_sex": np.where(checkable & ((sex_digit == 1) | (sex_digit == 2)), sex_digit - 1, -1),
    }


def _number(digits: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Read the whole number written by columns ``start:stop`` of a digit matrix."""
    return digits[:, start:stop] @ (10 ** np.arange(stop - start - 1, -1, -1, dtype=np.int32))


def _day(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether each (year, month, day) is a date, and its day number (days since 1970-01-01).

    The day number of a valid date is the proleptic Gregorian count of H. Hinnant's
    ``days_from_civil``, in whole-number arithmetic; an invalid one's is meaningless.
    """
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    in_month = _DAYS_IN_MONTH[np.clip(month, 0, 12)] + (leap & (month == 2))
    valid = (month >= 1) & (month <= 12) & (day >= 1) & (day <= in_month)
    early = month <= 2  # a year counted from March: the leap day falls at its end
    year = year - early
    era = year // 400
    of_era = year - era * 400
    of_year = (153 * np.where(early, month + 9, month - 3) + 2) // 5 + day - 1
    return valid, era * 146_097 + of_era * 365 + of_era // 4 - of_era // 100 + of_year - 719_468


def format_nip(nips: pd.Series) -> pd.Series:
    """Format bare NIPs for display, with spaces between their parts.

    Parameters
    ----------
    nips : Series
        Bare 18-digit NIPs.

    Returns
    -------
    Series
        ``"YYYYMMDD YYYYMM G NNN"``; anything not 18 digits is returned unchanged.

    Examples
    --------
    >>> format_nip(pd.Series(["196608011988031001"])).tolist()
    ['19660801 198803 1 001']
    """
    text = nips.astype("str")
    spaced = text.str.replace(r"^(\d{8})(\d{6})(\d)(\d{3})$", r"\1 \2 \3 \4", regex=True)
    return spaced.where(nips.notna())


def rounds_to(nip: str, cell: object) -> bool:
    """Tell whether ``nip`` rounds to ``cell``, a NIP that lost its last digits.

    Parameters
    ----------
    nip : str
        A NIP as 18 digits.
    cell : object
        A NIP that arrived as a number: a float (Excel keeps 15 significant digits) or its
        text (``1,97207E+17``, as many significant digits as written).

    Returns
    -------
    bool
        True when ``nip`` written with that many significant digits is ``cell``.

    Examples
    --------
    >>> rounds_to("197207222000092001", "1,97207E+17"), rounds_to("197207222000092001", 1.9e17)
    (True, False)
    """
    if not nip.isdigit():
        return False
    if isinstance(cell, float):
        digits = 15
        number = cell
    else:
        mantissa = str(cell).strip().lstrip("'").upper().replace(",", ".").split("E")[0]
        digits = sum(ch.isdigit() for ch in mantissa.lstrip("0."))
        try:
            number = float(str(cell).strip().lstrip("'").replace(",", "."))
        except ValueError:
            return False
    return float(f"{float(nip):.{max(digits, 1) - 1}e}") == float(
        f"{number:.{max(digits, 1) - 1}e}"
    )
