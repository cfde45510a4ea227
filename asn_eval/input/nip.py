"""The 18-digit NIP: parsing, the rules it must satisfy, and display.

A NIP reads ``YYYYMMDD YYYYMM G NNN``: birth date, year and month of first appointment
(TMT CPNS), sex (1 male, 2 female) and a sequence number. PPPK numbers follow the same
pattern. All functions here are vectorised over a Series of NIPs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["NIP_RULES", "check_nips", "format_nip", "strip_nip"]

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


def strip_nip(values: pd.Series) -> pd.Series:
    """Remove spaces, dots and dashes that exports put inside NIPs.

    Parameters
    ----------
    values : Series
        NIPs as written, e.g. ``"19660801 198803 1 001"``.

    Returns
    -------
    Series
        The same NIPs as bare strings of digits (``str`` dtype); missing stays missing.

    Examples
    --------
    >>> strip_nip(pd.Series(["19660801 198803 1 001"])).tolist()
    ['196608011988031001']
    """
    text = values.astype("str")
    text = text.str.replace(r"[\s.\-]", "", regex=True)
    # Spreadsheets may hand a NIP over as a float: "196608011988031001.0" is still readable.
    text = text.str.replace(r"\.0$", "", regex=True)
    return text.where(values.notna())


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
    text = nips.fillna("").astype("str")
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
