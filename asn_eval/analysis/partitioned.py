"""Analysing a large dataset in parts on a Dask cluster, with the tables of one whole analysis.

The parts are those of scoring (:func:`~asn_eval.scoring.partitioned.split_agencies`): whole
agencies, each read by its task alone (from a store, only its agencies' partitions). A task scores
its part for the period and its quarters and sends back two kinds of result.

**Tables of one agency** (:data:`~asn_eval.analysis.run.AGENCY_TABLES`): every row reads one
agency's data (an employee's own ratings, results, feedback and activity log, or one OPD's
employees), so the part computes its rows with the same function as one whole analysis, and the
parts' rows are put back in the whole table's order: ``sumber_penilai``, ``sembilan_kotak`` in the
order of ``pegawai``; ``penghargaan`` in it and then by achievement; the others by the keys the
whole table is sorted by (a stable sort: rows of one agency keep the order their part gave).
``aktivitas_opd`` is empty for the whole when no part has an entry in the period, so each part
gives its OPDs' rows even without entries. ``sumber_penilai_opd``, ``rencana_pelatihan`` and
``umpan_balik_opd`` then sum these per OPD.

**Sums for tables across agencies**, combined exactly in the main process:

- ``penilai``: raters score people of other OPDs. The crossed model reads the ratings only through
  per-pair sums (:class:`~asn_eval.analysis.rater_model.PairSums`), and all ratings of a
  (ratee, rater) pair belong to the ratee's part: the parts' pairs, in key order, are the arrays
  of the whole, and the model is fitted once on them.
- ``penilai_sentral``: per rater, counts and sums of scores per core value and squares about the
  part's own means; combined by the parallel sum of squares (:func:`fairness.central_table`).
- ``atasan``: per supervisor (who may sit in another OPD), counts of subordinates: integers that
  add up; the city-wide share and the flags come after.
- ``ikm_pelayanan``: IKM per service unit (one agency's), and per OPD the sum and count of staff
  service scores; the median over OPDs is taken from the parts' sums together.

So the main process never holds a behaviour-rating, SKP or activity row: it holds ``instansi``,
``opd`` and ``pegawai`` (:func:`~asn_eval.scoring.partitioned.outline`), the output tables, the
scored results and one set of pair sums (a few numbers per (ratee, rater, role) pair).

Rows, order, dtypes, labels, flags and integers are those of one whole analysis, and so are the
floats, bit for bit (the same rows summed in the same order), except ``penilai_sentral.sd`` of a
rater whose scores lie in several parts: its parallel sum of squares can differ in the last bits
(tests allow a relative 1e-12; an sd of 0 stays exactly 0).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from asn_eval.analysis import fairness, service
from asn_eval.analysis.rater_model import PairSums
from asn_eval.analysis.run import AGENCY_TABLES, agency_tables, in_order
from asn_eval.cluster import part_count
from asn_eval.errors import UsageError
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode
from asn_eval.scoring.partitioned import (
    in_pegawai_order,
    pegawai_positions,
    read_part,
    sort_rows,
    split_agencies,
    stack_parts,
)
from asn_eval.scoring.scheme import Scheme
from asn_eval.scoring.score import Scored, evaluate

__all__ = ["PartAnalysis", "analyze_in_parts", "analyze_on_cluster"]

_IN_PEGAWAI_ORDER = ("sumber_penilai", "sembilan_kotak", "penghargaan")
"""Per-agency tables whose rows follow ``pegawai`` (before any sort of their own)."""

_SORTED_BY = {
    "bertentangan": (["periode", "kode_opd", "nip"], True),
    "kesepakatan": (["kode_opd"], True),
    "pelatihan": (["kode_opd", "program", "nama"], True),
    "penghargaan": (["capaian", "skor_perilaku"], False),
    "tren_pegawai": (["nip", "periode"], True),
    "tren_opd": (["kode_opd", "periode"], True),
    "umpan_balik": (["kode_opd", "nip", "periode", "sumber"], True),
    "aktivitas_opd": (["kode_opd"], True),
}
"""Per-agency tables sorted by keys in one whole analysis: the keys and whether ascending."""


@dataclass
class PartAnalysis:
    """What one part sends back to the main process.

    Attributes
    ----------
    hasil, kurva, ikm : DataFrame
        The part's scored results, curve rows and IKM rows (as scoring in parts gives them).
    tables : dict of str to DataFrame
        Its rows of every table of :data:`~asn_eval.analysis.run.AGENCY_TABLES`.
    pairs : PairSums
        Its ratings summed per (ratee, rater) pair (``penilai``).
    spread : fairness.RaterSpread
        Its ratings summed per rater (``penilai_sentral``).
    atasan : DataFrame
        Its subordinates counted per supervisor (``atasan``).
    units : DataFrame
        Its service units' IKM (``ikm_pelayanan``).
    opd_sum, opd_count : ndarray
        Per ``kode_opd`` category, the sum and count of its staff's service scores.
    rated : bool
        Whether the part has any behaviour rating.
    """

    hasil: pd.DataFrame
    kurva: pd.DataFrame
    ikm: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    pairs: PairSums
    spread: fairness.RaterSpread
    atasan: pd.DataFrame
    units: pd.DataFrame
    opd_sum: np.ndarray
    opd_count: np.ndarray
    rated: bool


def _analyze_part(
    source: str,
    fingerprint: str,
    codes: tuple[str, ...],
    periode: str,
    scope: list[str],
    settings: dict,
    path: str | None,
    training_map: pd.DataFrame | None,
) -> PartAnalysis:
    """Score and analyse one part on a worker (its agencies' rows only)."""
    scheme = Scheme.from_settings(settings, None if path is None else Path(path))
    part = read_part(source, fingerprint, codes)
    part.scope = list(
        scope
    )  # a part covers the whole's periods (a store's part knows only its own)
    scored = evaluate(part, periode, scheme)
    opd_sum, opd_count = service.service_scores(part, periode)
    return PartAnalysis(
        hasil=scored.hasil,
        kurva=scored.kurva,
        ikm=scored.ikm,
        tables=agency_tables(scored, training_map=training_map, part=True),
        pairs=fairness.rater_pairs(part, periode),
        spread=fairness.rater_spread(part, periode),
        atasan=fairness.supervisor_counts(scored.hasil, part.pegawai),
        units=service.service_units(part, periode),
        opd_sum=opd_sum,
        opd_count=opd_count,
        rated=part.has("perilaku"),
    )


def analyze_in_parts(
    data: Dataset,
    periode: str | Periode,
    skema: Scheme,
    client: object,
    *,
    training_map: pd.DataFrame | None = None,
    parts: int | None = None,
) -> tuple[Scored, dict[str, pd.DataFrame]]:
    """Score and analyse a period on a Dask cluster, agency by agency, as one whole analysis would.

    Parameters
    ----------
    data : Dataset
        The dataset, loaded from a folder or store every worker can read at the same path; its
        ``opd`` and ``pegawai`` tables are enough (:func:`~asn_eval.scoring.partitioned.outline`).
    periode : str or Periode
        The period (checked against the data).
    skema : Scheme
        The scheme; its content travels to the workers.
    client : distributed.Client
        The cluster (:func:`asn_eval.cluster.dask_client`).
    training_map : DataFrame, optional
        As for :func:`~asn_eval.analysis.run.analyze`.
    parts : int, optional
        How many parts at most; by default :func:`~asn_eval.cluster.part_count` (four per
        worker, or more so that a part holds about 25,000 employees at most).

    Returns
    -------
    scored : Scored
        Results, curve and IKM of the period (no evidence: it stays on the workers).
    results : dict of str to DataFrame
        The tables :func:`~asn_eval.analysis.run.analyze` gives for the whole dataset.

    Raises
    ------
    UsageError
        The dataset was not loaded from files (workers cannot read a dataset made in memory).
    MissingTableError
        No part has a behaviour rating (as one whole analysis).
    PeriodeError
        The data has nothing for the period.
    """
    if not data.source.parts:
        raise UsageError("--dask membutuhkan data dari folder atau store yang bisa dibaca pekerja")
    periode = data.periode(periode)
    if parts is None:
        parts = part_count(client, len(data.pegawai))
    path = os.fspath(skema.path) if skema.path else None
    scope = [str(p) for p in data.periodes]
    futures = [
        client.submit(
            _analyze_part,
            os.fspath(data.source.resolve()),
            data.fingerprint,
            p.kode_opd,
            str(periode),
            scope,
            skema.settings,
            path,
            training_map,
            pure=False,
        )
        for p in split_agencies(data, parts)
    ]
    done: list[PartAnalysis] = client.gather(futures)
    if not any(d.rated for d in done):  # the whole has no rating: the same error as one analysis
        Dataset({}).require("perilaku", "analisis keadilan penilaian")
    tables = {}
    positions = pegawai_positions(data.pegawai)
    for name in AGENCY_TABLES:
        frame = stack_parts([d.tables[name] for d in done])
        if name in _IN_PEGAWAI_ORDER:
            frame = in_pegawai_order(frame, positions)
        if name == "kurva":  # scoring sorts the curve by the agency's code as text
            frame = sort_rows(frame, ["kode_opd"], text=True)
        elif name in _SORTED_BY:
            by, ascending = _SORTED_BY[name]
            frame = sort_rows(frame, by, ascending=ascending)
        if name == "aktivitas_opd" and not frame["n_aktivitas"].sum():
            frame = pd.DataFrame({c: pd.Series(dtype="object") for c in frame.columns})
        tables[name] = frame
    across = _across(done, data, periode)
    hasil = in_pegawai_order(stack_parts([d.hasil for d in done]), positions)
    kurva = tables["kurva"]
    ikm = sort_rows(stack_parts([d.ikm for d in done]), ["kode_opd", "unit_layanan"])
    scored = Scored(data, periode, skema, hasil, None, kurva, ikm)
    return scored, in_order(tables, across)


def _across(done: list[PartAnalysis], data: Dataset, periode: Periode) -> dict[str, pd.DataFrame]:
    """Finish the tables across agencies from the parts' sums."""
    pegawai = data.pegawai
    counts = pd.concat([d.atasan for d in done], ignore_index=True)
    counts = counts.groupby("nip_atasan", sort=True).sum().reset_index()
    units = sort_rows(stack_parts([d.units for d in done]), ["kode_opd", "unit_layanan"])
    opd_sum = np.sum([d.opd_sum for d in done], axis=0)
    opd_count = np.sum([d.opd_count for d in done], axis=0)
    return {
        "penilai": fairness.rater_table(
            PairSums.combine([d.pairs for d in done]), pegawai, periode
        ),
        "penilai_sentral": fairness.central_table([d.spread for d in done], pegawai),
        "atasan": fairness.supervisor_table(counts, pegawai),
        "ikm_pelayanan": service.service_table(
            units, opd_sum, opd_count, pegawai["kode_opd"].dtype
        ),
    }


def analyze_on_cluster(
    data: Dataset,
    periode: str | Periode,
    skema: Scheme,
    dask: str,
    *,
    training_map: pd.DataFrame | None = None,
) -> tuple[Scored, dict[str, pd.DataFrame]]:
    """Analyse a period on the Dask cluster ``dask`` names (``asn-eval analyze --dask``).

    Parameters
    ----------
    data : Dataset
        As for :func:`analyze_in_parts`.
    periode : str or Periode
        The period.
    skema : Scheme
        The scheme.
    dask : str
        ``local``, ``local:N`` or ``tcp://host:port`` (:func:`asn_eval.cluster.parse_dask`).
    training_map : DataFrame, optional
        As for :func:`~asn_eval.analysis.run.analyze`.

    Returns
    -------
    scored : Scored
    results : dict of str to DataFrame
        As :func:`analyze_in_parts`.
    """
    from asn_eval.cluster import dask_client, parse_dask

    with dask_client(parse_dask(dask)) as client:
        return analyze_in_parts(data, periode, skema, client, training_map=training_map)
