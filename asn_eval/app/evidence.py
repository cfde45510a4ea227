"""What the review app shows of one employee beside their score: feedback and activity log."""

from __future__ import annotations

import pandas as pd

from asn_eval.input.periode import Periode
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
    from asn_eval.input.periode import periode_mask

    rows = []
    for table, about in (("skp", "rhk"), ("perilaku", "nilai_inti")):
        if not city.data.has(table) or "umpan_balik" not in city.data.tables[table]:
            continue
        frame = city.data.tables[table]
        frame = frame[(frame["nip"] == nip).to_numpy(dtype=bool, na_value=False)]
        frame = frame[periode_mask(frame, periode) & frame["umpan_balik"].notna().to_numpy()]
        rows.append(
            pd.DataFrame(
                {
                    "periode": frame["periode"].astype("str").to_numpy(),
                    "tentang": frame[about].astype("str").to_numpy(),
                    "umpan_balik": frame["umpan_balik"].astype("str").to_numpy(),
                }
            )
        )
    return pd.concat(rows, ignore_index=True).drop_duplicates() if rows else pd.DataFrame()


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
    if not city.data.has("aktivitas"):
        return pd.DataFrame()
    frame = city.data.aktivitas
    frame = frame[(frame["nip"] == nip).to_numpy(dtype=bool, na_value=False)]
    start, end = periode.bounds
    dates = pd.to_datetime(frame["tanggal"])
    frame = frame[((dates >= start) & (dates <= end)).to_numpy()]
    if not len(frame):
        return pd.DataFrame()
    status = (
        frame["status"].astype("str") if "status" in frame else pd.Series("", index=frame.index)
    )
    return pd.DataFrame(
        {
            "hari_lapor": [frame["tanggal"].nunique()],
            "n_aktivitas": [len(frame)],
            "jam_lapor": [round(float(frame["durasi_menit"].sum()) / 60, 1)],
            "n_disetujui": [int((status == "disetujui").sum())],
            "n_menunggu": [int((status == "menunggu").sum())],
            "n_ditolak": [int((status == "ditolak").sum())],
        }
    )
