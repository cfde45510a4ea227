"""What the review app shows of one employee beside their score: feedback and activity log."""

from __future__ import annotations

import pandas as pd

from asn_eval.input.periode import Periode
from asn_eval.reporting.records import activity_summary, feedback_rows
from asn_eval.reporting.results import CityResults

__all__ = ["activity", "feedback"]


def feedback(city: CityResults, nip: str, periode: Periode) -> pd.DataFrame:
    """Return the feedback an employee was given in a period (SKP and behaviour).

    Parameters
    ----------
    city : CityResults
        The scored data.
    nip : str
        The employee.
    periode : Periode
        The period in view.

    Returns
    -------
    DataFrame
        ``periode``, ``tentang`` (the RHK or core value), ``umpan_balik``; empty when none.
    """
    rows = feedback_rows(city.data, periode)
    rows = rows[rows["nip"] == str(nip)].drop(columns="nip").reset_index(drop=True)
    return rows if len(rows) else pd.DataFrame()


def activity(city: CityResults, nip: str, periode: Periode) -> pd.DataFrame:
    """Sum up an employee's daily activity log in a period.

    Parameters
    ----------
    city : CityResults
        The scored data.
    nip : str
        The employee.
    periode : Periode
        The period in view.

    Returns
    -------
    DataFrame
        One row (days reported, activities, hours, approved / waiting / refused); empty when
        the data has no log or the employee none in the period.
    """
    found = activity_summary(city.data, periode, [str(nip)])
    return found.reset_index(drop=True) if len(found) else pd.DataFrame()
