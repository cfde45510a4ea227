"""An employee's written record of a period beside the score: feedback and the activity log.

One reading for every reader: the review app's profile shows one employee's rows, the employee
sheets (:mod:`asn_eval.reporting.employee`) group them for the whole city at once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode, periode_mask

__all__ = ["ACTIVITY_COLUMNS", "activity_summary", "feedback_rows"]

ACTIVITY_COLUMNS = [
    "hari_lapor",
    "n_aktivitas",
    "jam_lapor",
    "n_disetujui",
    "n_menunggu",
    "n_ditolak",
]
"""Columns of :func:`activity_summary` (headers in :mod:`asn_eval.columns`)."""


def feedback_rows(
    data: Dataset, periode: Periode, *, supervisor_only: bool = False
) -> pd.DataFrame:
    """Return the feedback written in a period: per RHK (SKP) and per core value (behaviour).

    Parameters
    ----------
    data : Dataset
        The data.
    periode : Periode
        The period (a year takes its quarters' rows).
    supervisor_only : bool
        Keep only the supervisor's words on behaviour (an employee's own sheet: a peer's
        feedback would tell who said what).

    Returns
    -------
    DataFrame
        ``nip``, ``periode``, ``tentang`` (the RHK or core value), ``umpan_balik``, in file order,
        each (nip, periode, tentang, umpan_balik) once.
    """
    parts = []
    for table, about in (("skp", "rhk"), ("perilaku", "nilai_inti")):
        if not data.has(table) or "umpan_balik" not in data.tables[table]:
            continue
        frame = data.tables[table]
        keep = periode_mask(frame, periode) & frame["umpan_balik"].notna().to_numpy()
        if supervisor_only and table == "perilaku" and "peran_penilai" in frame:
            keep &= (frame["peran_penilai"].astype("str") == "atasan").to_numpy()
        frame = frame[keep]
        parts.append(
            pd.DataFrame(
                {
                    "nip": frame["nip"].astype("str").to_numpy(),
                    "periode": frame["periode"].astype("str").to_numpy(),
                    "tentang": frame[about].astype("str").to_numpy(),
                    "umpan_balik": frame["umpan_balik"].astype("str").to_numpy(),
                }
            )
        )
    columns = ["nip", "periode", "tentang", "umpan_balik"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True).drop_duplicates(ignore_index=True)


def activity_summary(
    data: Dataset, periode: Periode, nips: list[str] | None = None
) -> pd.DataFrame:
    """Sum up the daily activity log of a period per employee.

    Parameters
    ----------
    data : Dataset
        The data.
    periode : Periode
        The period (its calendar days).
    nips : list of str, optional
        Only these employees (the app's profile asks for one).

    Returns
    -------
    DataFrame
        Indexed by ``nip``, columns :data:`ACTIVITY_COLUMNS`: days reported, entries, hours
        (one decimal), entries approved / waiting / refused; no row for an employee without an
        entry, empty when the data has no log.
    """
    if not data.has("aktivitas"):
        return pd.DataFrame(columns=ACTIVITY_COLUMNS)
    frame = data.aktivitas
    if nips is not None:
        frame = frame[frame["nip"].isin(nips).to_numpy(dtype=bool, na_value=False)]
    start, end = periode.bounds
    dates = pd.to_datetime(frame["tanggal"])
    frame = frame[((dates >= start) & (dates <= end)).to_numpy()]
    if not len(frame):
        return pd.DataFrame(columns=ACTIVITY_COLUMNS)
    status = frame["status"].astype("str") if "status" in frame else None
    flags = {
        s: (status == s).to_numpy() if status is not None else np.zeros(len(frame), bool)
        for s in ("disetujui", "menunggu", "ditolak")
    }
    minutes = (
        frame["durasi_menit"].to_numpy("float64", na_value=np.nan)
        if "durasi_menit" in frame
        else np.full(len(frame), np.nan)
    )
    table = pd.DataFrame(
        {
            "nip": frame["nip"].astype("str").to_numpy(),
            "tanggal": frame["tanggal"].to_numpy(),
            "menit": minutes,
            **flags,
        }
    )
    sums = table.groupby("nip", sort=False).agg(
        hari_lapor=("tanggal", "nunique"),
        n_aktivitas=("tanggal", "size"),
        menit=("menit", "sum"),
        n_disetujui=("disetujui", "sum"),
        n_menunggu=("menunggu", "sum"),
        n_ditolak=("ditolak", "sum"),
    )
    sums["jam_lapor"] = (sums.pop("menit") / 60).round(1)
    return sums[ACTIVITY_COLUMNS].astype({c: "int64" for c in ACTIVITY_COLUMNS if c != "jam_lapor"})
