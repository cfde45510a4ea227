"""The 18-digit NIP: parsing, the rules it must satisfy, and display.

A NIP reads ``YYYYMMDD YYYYMM G NNN``: birth date, year and month of first appointment
(TMT CPNS), sex (1 male, 2 female) and a sequence number. PPPK numbers follow the same
pattern. All functions here are vectorised over a Series of NIPs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "LOST_DIGITS",
    "NIP_RULES",
    "all_bare",
    "check_nips",
    "format_nip",
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
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.array(values.array)  # Arrow's own memory, not a copy; 18 ASCII digits each
        bare = pc.and_(pc.equal(pc.binary_length(text), 18), pc.ascii_is_decimal(text))
        return text.null_count == 0 and pc.all(bare).as_py() is not False  # None: no value
    return bool(pd.Series(values, dtype="str").str.fullmatch(r"[0-9]{18}").fillna(False).all())


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

    Parameters
    ----------
    nips : Series
        Bare NIPs (see :func:`strip_nip`). Missing values are not checked.

    Returns
    -------
    DataFrame
        Same index as ``nips``; one column per rule in ``NIP_RULES`` and ``NIP_WARNINGS``,
        True where the NIP breaks that rule, plus ``jenis_kelamin_nip`` (``"L"``, ``"P"`` or
        missing) for comparison with the recorded sex.

    Examples
    --------
    >>> check_nips(pd.Series(["196608011988031001"])).iloc[0]["panjang"]
    np.False_
    """
    present = nips.notna()
    text = nips.astype(object).fillna("").astype("str")
    well_formed = text.str.fullmatch(r"\d{18}").fillna(False).astype(bool)
    padded = text.where(well_formed, "190001011920010001")
    birth = pd.to_datetime(padded.str.slice(0, 8), format="%Y%m%d", errors="coerce")
    tmt = pd.to_datetime(padded.str.slice(8, 14) + "01", format="%Y%m%d", errors="coerce")
    sex_digit = padded.str.slice(14, 15)
    checkable = present & well_formed
    out = pd.DataFrame(index=nips.index)
    out["panjang"] = present & ~well_formed
    out["tanggal_lahir"] = checkable & birth.isna()
    out["tmt"] = checkable & tmt.isna()
    out["jenis_kelamin"] = checkable & ~sex_digit.isin(["1", "2"])
    dates_ok = checkable & birth.notna() & tmt.notna()
    age = (tmt - birth).dt.days / 365.25
    out["urutan"] = dates_ok & (tmt < birth)
    out["usia"] = dates_ok & (tmt >= birth) & ((age < 18) | (age > 46))
    sex = np.select([sex_digit == "1", sex_digit == "2"], ["L", "P"], default="")
    out["jenis_kelamin_nip"] = pd.Series(sex, index=nips.index).where(checkable & (sex != ""))
    return out


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
