"""Writing a period's results to a folder: all files appear together, or none do.

``write_scored`` reads like its job: take the period scored once (results, curve, IKM) → summary →
write every file into a staging folder in the destination → move each into place. A failure
leaves the destination as it was.
"""

from __future__ import annotations

from pathlib import Path

from asn_eval.atomic import discard, move_into, staging_folder, writing
from asn_eval.city_profile import CityProfile, load_profile
from asn_eval.reporting.workbook import opd_summary, write_results_workbook
from asn_eval.scoring.ikm import UNIT_COLUMNS
from asn_eval.scoring.score import Scored
from asn_eval.spreadsheet import about_rows

__all__ = ["write_scored"]


def write_scored(
    scored: Scored, out: Path, *, profil: CityProfile | None = None, workbook: bool = True
) -> list[Path]:
    """Write a scored period as ``hasil.parquet``, ``hasil.xlsx`` and ``ikm.parquet`` in ``out``.

    Parameters
    ----------
    scored : Scored
        The period scored once (:func:`asn_eval.scoring.score.evaluate`): its results, curve
        check and IKM are written as they are.
    out : Path
        Destination folder (created if needed). Files already there with the same names are
        replaced only once every new file is complete.
    profil : CityProfile, optional
        Who issues the workbook and the time zone it is dated in; read from the data folder's
        ``profil.toml`` when omitted (WIB, and "profile missing" said, without one).
    workbook : bool, default True
        Also write ``hasil.xlsx``. Without it (national data: a workbook of millions of rows
        takes as long as the scoring and no one reads it), a ``hasil.xlsx`` an earlier run left
        in ``out`` is removed: it would show other results beside these.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ProfileError
        When the data folder's ``profil.toml`` is broken (nothing is written).
    WriteError
        When a file cannot be written (disk full, no permission…): the message names it, and
        ``out`` is as it was (no file of this call, no staging folder).
    """
    if profil is None:
        profil = load_profile(scored.data.source)
    units = scored.ikm
    with staging_folder(out, prefix=".tmp-hasil-") as staging:
        with writing(staging / "hasil.parquet") as path:
            scored.hasil.to_parquet(path, index=False)
        if workbook:
            with writing(staging / "hasil.xlsx") as path:
                _results_workbook(scored, path, profil)
        with writing(staging / "ikm.parquet") as path:
            units[UNIT_COLUMNS + [c for c in units if c not in UNIT_COLUMNS]].to_parquet(
                path, index=False
            )
        if not workbook:
            discard(out, ["hasil.xlsx"])
        names = ["hasil.parquet", *(["hasil.xlsx"] if workbook else []), "ikm.parquet"]
        return move_into(staging, out, names)


def _results_workbook(scored: Scored, path: Path, profil: CityProfile | None) -> None:
    """Write ``hasil.xlsx``: the results, the agencies' summary, the curve, IKM and ``tentang``."""
    about = about_rows(
        data=scored.data.source,
        periode=scored.periode,
        skema=scored.skema,
        profil=profil,
        more=[("Sidik data", scored.data.fingerprint)],
    )
    title = f"Hasil penilaian kinerja pegawai {scored.periode}"
    if profil is not None:
        title += f" · {profil.pemerintah}"
    write_results_workbook(
        path,
        scored.hasil,
        summary=opd_summary(scored.hasil, scored.kurva),
        curve=scored.kurva,
        ikm_table=scored.ikm,
        about=about,
        title=title,
        zona=profil.zona_waktu if profil is not None else "WIB",
    )
