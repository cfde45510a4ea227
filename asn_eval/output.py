"""Writing a period's results to a folder: all files appear together, or none do.

``write_scored`` reads like its job: score → IKM → curve → summary → write every file into a staging
folder beside the destination → move each into place. A failure leaves the destination as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from asn_eval import __version__
from asn_eval.curve import check_curve
from asn_eval.dataset import Dataset
from asn_eval.ikm import ikm
from asn_eval.scheme import Scheme, load_scheme
from asn_eval.scoring import score
from asn_eval.workbook import opd_summary, write_results_workbook

__all__ = ["write_scored"]

IKM_COLUMNS = ["kode_opd", "unit_layanan", "n_responden", "ikm", "mutu"]


def _ikm_table(dataset: Dataset, periode: str) -> pd.DataFrame:
    if not dataset.has("survei"):
        return pd.DataFrame(columns=IKM_COLUMNS)
    return ikm(dataset.survei, periode)


def write_scored(
    dataset: Dataset, periode: str, scheme: Scheme | str, out: Path
) -> dict[str, object]:
    """Score a period and write ``hasil.parquet``, ``hasil.xlsx`` and ``ikm.parquet`` to ``out``.

    Parameters
    ----------
    dataset : Dataset
        A loaded dataset.
    periode : str
        The period.
    scheme : Scheme or str
        The scheme.
    out : Path
        Destination folder (created if needed). Files already there with the same names are
        replaced only once every new file is complete.

    Returns
    -------
    dict
        ``hasil`` (DataFrame), ``ikm`` (DataFrame), ``kurva`` (DataFrame), ``paths`` (list of Path).
    """
    scheme = load_scheme(scheme)
    hasil = score(dataset, periode, scheme)
    ikm_table = _ikm_table(dataset, periode)
    curve = check_curve(hasil, dataset, periode, scheme) if scheme.kurva else pd.DataFrame()
    summary = opd_summary(hasil, curve)
    about = {
        "periode": periode,
        "skema": f"{scheme.nama}: {scheme.judul}",
        "berkas skema": str(scheme.path),
        "data": str(dataset.source),
        "sidik data": dataset.fingerprint,
        "dibuat": datetime.now().isoformat(timespec="seconds"),
        "asn-eval": __version__,
    }
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-hasil-", dir=out))
    names = ["hasil.parquet", "hasil.xlsx", "ikm.parquet"]
    try:
        hasil.to_parquet(staging / "hasil.parquet", index=False)
        write_results_workbook(
            staging / "hasil.xlsx",
            hasil,
            summary=summary,
            curve=curve,
            ikm_table=ikm_table,
            about=about,
        )
        ikm_table[IKM_COLUMNS + [c for c in ikm_table if c not in IKM_COLUMNS]].to_parquet(
            staging / "ikm.parquet", index=False
        )
        for name in names:
            (staging / name).replace(out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"hasil": hasil, "ikm": ikm_table, "kurva": curve, "paths": [out / n for n in names]}
