"""Scoring a large dataset in parts on a Dask cluster, with the same answers as in one piece.

Every rule reads one employee's own rows, except the distribution curve, which reads one
agency's employees. So a part is a set of **whole agencies**: each task loads the dataset on its
worker (from the worker's load cache), keeps its agencies (:meth:`Dataset.subset`), scores them
(:func:`~asn_eval.scoring.score.evaluate`) and returns its results, curve rows and IKM rows; the
parts are put back in the dataset's own order. The results equal scoring the whole dataset in
one process (tested on a :class:`distributed.LocalCluster` with two workers).

Parts are balanced by employees (largest agencies first, each to the lightest part), about
:data:`~asn_eval.cluster.PARTS_PER_WORKER` per worker so a slow part does not hold the rest, and
more when parts would hold more than about :data:`~asn_eval.cluster.PART_PEGAWAI` employees (a
worker's memory follows its part's employees).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from asn_eval.cluster import part_count
from asn_eval.input.dataset import Dataset, load
from asn_eval.input.periode import Periode
from asn_eval.scoring.scheme import Scheme

if TYPE_CHECKING:
    from asn_eval.scoring.score import Scored

__all__ = [
    "OUTLINE",
    "Part",
    "evaluate_on_cluster",
    "in_pegawai_order",
    "outline",
    "pegawai_positions",
    "read_part",
    "score_in_parts",
    "sort_rows",
    "split_agencies",
    "stack_parts",
]


@dataclass(frozen=True)
class Part:
    """One task's share: whole agencies and how many employees they hold."""

    kode_opd: tuple[str, ...]
    pegawai: int


def split_agencies(data: Dataset, parts: int) -> list[Part]:
    """Split the agencies into ``parts`` groups of about equal employee counts.

    Parameters
    ----------
    data : Dataset
        The dataset (its ``opd`` and ``pegawai`` tables).
    parts : int
        How many groups at most (fewer when there are fewer agencies).

    Returns
    -------
    list of Part
        Non-empty groups; every agency of ``opd`` is in exactly one (agencies without employees
        too: their curve rows come from the part that holds them).
    """
    counts = data.pegawai["kode_opd"].astype("str").value_counts()
    codes = list(data.opd["kode_opd"].astype("str"))
    sizes = sorted(((int(counts.get(c, 0)), c) for c in codes), key=lambda t: (-t[0], t[1]))
    bins: list[tuple[int, list[str]]] = [(0, []) for _ in range(max(1, min(parts, len(codes))))]
    for size, code in sizes:
        lightest = min(range(len(bins)), key=lambda k: bins[k][0])
        load_, members = bins[lightest]
        bins[lightest] = (load_ + size, [*members, code])
    return [Part(tuple(m), n) for n, m in bins if m]


OUTLINE = ("instansi", "opd", "pegawai")
"""The tables a Dask client reads of a store to split the work; workers read the rest."""


def outline(source: str | os.PathLike[str]) -> Dataset:
    """Read what the client of a Dask run needs: of a store only :data:`OUTLINE`.

    Parameters
    ----------
    source : str or path-like
        A store (``asn-eval convert``) or a dataset folder or workbook.

    Returns
    -------
    Dataset
        From a store, its ``instansi``, ``opd`` and ``pegawai`` tables only, covering every period
        of the store (so ``periode()`` checks a period asked for); the big tables stay on disk for
        the workers. From a folder, the whole dataset (a folder is checked whole; convert it to a
        store to keep the client small).

    Raises
    ------
    DataError
        When the data has errors (every problem listed).
    """
    from asn_eval.input.store import is_store, read_store

    if is_store(source):
        return read_store(source, tables=OUTLINE)
    return load(source)


@functools.lru_cache(maxsize=2)
def _loaded(source: str, fingerprint: str) -> Dataset:
    """Load a dataset once per worker process (its tasks share it); keyed by its content."""
    return load(source)


def read_part(source: str, fingerprint: str, codes: tuple[str, ...]) -> Dataset:
    """Read a part on a worker: of a store only its agencies' partitions, else the loaded folder.

    Parameters
    ----------
    source : str
        The folder or store every worker reads at the same path.
    fingerprint : str
        The dataset's fingerprint (a worker's loaded folder is kept per content).
    codes : tuple of str
        The part's agencies (qualified ``kode_opd``).

    Returns
    -------
    Dataset
        :meth:`Dataset.subset` of those agencies.
    """
    from asn_eval.input.store import is_store, read_store

    if is_store(source):
        part = read_store(source, kode_opd=list(codes), verify=False)  # the client checked it
        return part.subset(kode_opd=list(codes))
    return _loaded(source, fingerprint).subset(kode_opd=list(codes))


def _score_part(
    source: str,
    fingerprint: str,
    codes: tuple[str, ...],
    periode: str,
    settings: dict,
    path: str | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Score one part on a worker: (results, curve rows, IKM rows) of its agencies."""
    from asn_eval.scoring.score import evaluate

    scheme = Scheme.from_settings(settings, None if path is None else Path(path))
    part = read_part(source, fingerprint, codes)
    scored = evaluate(part, periode, scheme)
    return scored.hasil, scored.kurva, scored.ikm


def score_in_parts(
    data: Dataset,
    periode: str | Periode,
    skema: Scheme,
    client: object,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Score a dataset on a Dask cluster, agency by agency, and put the parts back together.

    Parameters
    ----------
    data : Dataset
        The dataset, loaded from a folder or store every worker can read at the same path.
    periode : str or Periode
        The period (checked against the data by the caller).
    skema : Scheme
        The scheme; its content travels to the workers (no file is read there).
    client : distributed.Client
        The cluster (:func:`asn_eval.cluster.dask_client`).

    Returns
    -------
    hasil, kurva, ikm : DataFrame
        As :func:`~asn_eval.scoring.score.evaluate` gives them for the whole dataset, in the
        same order and dtypes.

    Raises
    ------
    UsageError
        The dataset was not loaded from files (workers cannot read a dataset made in memory).
    """
    from asn_eval.errors import UsageError

    if not data.source.parts:
        raise UsageError("--dask membutuhkan data dari folder atau store yang bisa dibaca pekerja")
    parts = split_agencies(data, part_count(client, len(data.pegawai)))
    source = os.fspath(data.source.resolve())
    path = os.fspath(skema.path) if skema.path else None
    futures = [
        client.submit(
            _score_part,
            source,
            data.fingerprint,
            p.kode_opd,
            str(periode),
            skema.settings,
            path,
            pure=False,
        )
        for p in parts
    ]
    done = client.gather(futures)
    hasil = in_pegawai_order(stack_parts([d[0] for d in done]), pegawai_positions(data.pegawai))
    # Whole scoring sorts the curve by agency code (as text) and the IKM table by agency (in the
    # opd table's order, its categories) and service unit.
    kurva = sort_rows(stack_parts([d[1] for d in done]), ["kode_opd"], text=True)
    ikm = sort_rows(stack_parts([d[2] for d in done]), ["kode_opd", "unit_layanan"])
    return hasil, kurva, ikm


def stack_parts(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack the parts' rows of one table, typed as one whole computation types them.

    Parameters
    ----------
    frames : list of DataFrame
        The same table from every part (same columns).

    Returns
    -------
    DataFrame
        The non-empty frames one after another (index 0…n-1); a categorical column whose
        categories differ between parts gets their union (:func:`_stacked`). When every frame
        is empty, the first one.
    """
    found = [f for f in frames if len(f)]
    if not found:
        return frames[0].reset_index(drop=True)
    return _stacked(found)


def sort_rows(
    frame: pd.DataFrame, by: list[str], *, ascending: bool = True, text: bool = False
) -> pd.DataFrame:
    """Return the rows of ``frame`` in the stable order of the columns ``by``.

    Parameters
    ----------
    frame : DataFrame
        Stacked parts (:func:`stack_parts`).
    by : list of str
        Sort keys; a categorical sorts by its categories' order, or as text with ``text``.
    ascending : bool
        Smallest first (as the whole table's own sort says).
    text : bool
        Compare the keys as text (the curve: agency codes as text).

    Returns
    -------
    DataFrame
        Index 0…n-1.
    """
    if len(frame) < 2:
        return frame.reset_index(drop=True)
    keys = frame[by].reset_index(drop=True)
    keys = keys.astype("str") if text else keys
    order = keys.sort_values(by, ascending=ascending, kind="stable").index
    return frame.iloc[order.to_numpy()].reset_index(drop=True)


def pegawai_positions(pegawai: pd.DataFrame) -> pd.Series:
    """Return each employee's row number in ``pegawai``, indexed by NIP as text.

    Made once per run and given to every :func:`in_pegawai_order` (a national ``pegawai`` holds
    millions of NIPs).

    Parameters
    ----------
    pegawai : DataFrame
        The dataset's ``pegawai`` table (its row order is the results' order).

    Returns
    -------
    Series
        Integers 0…n-1, index: ``nip``.
    """
    return pd.Series(np.arange(len(pegawai)), index=pegawai["nip"].astype("str").to_numpy())


def in_pegawai_order(frame: pd.DataFrame, positions: pd.Series) -> pd.DataFrame:
    """Return the rows of ``frame`` in the order of their employees in ``pegawai`` (stable).

    Parameters
    ----------
    frame : DataFrame
        Rows with a ``nip`` column, each NIP in ``pegawai``.
    positions : Series
        :func:`pegawai_positions` of the dataset.

    Returns
    -------
    DataFrame
        Index 0…n-1.
    """
    where = positions.reindex(frame["nip"].astype("str").to_numpy()).to_numpy()
    return frame.iloc[np.argsort(where, kind="stable")].reset_index(drop=True)


def evaluate_on_cluster(data: Dataset, periode: str | Periode, skema: Scheme, dask: str) -> Scored:
    """Score a period on the Dask cluster ``dask`` names (``--dask``), as one whole scoring would.

    Parameters
    ----------
    data : Dataset
        Loaded from a folder or store every worker can read.
    periode : str or Periode
        The period.
    skema : Scheme
        The scheme.
    dask : str
        ``local``, ``local:N`` or ``tcp://host:port`` (:func:`asn_eval.cluster.parse_dask`).

    Returns
    -------
    Scored
        Results, curve and IKM as :func:`~asn_eval.scoring.score.evaluate` gives them; no
        evidence (it stays on the workers).
    """
    from asn_eval.cluster import dask_client, parse_dask
    from asn_eval.scoring.score import Scored

    with dask_client(parse_dask(dask)) as client:
        hasil, kurva, ikm = score_in_parts(data, periode, skema, client)
    return Scored(data, Periode(str(periode)), skema, hasil, None, kurva, ikm)


def _stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack the parts' frames, as one whole scoring would have typed them.

    A categorical column whose categories differ between parts (the ``catatan`` texts each part
    found) gets their union, in the order one whole scoring gives.
    """
    from asn_eval.scoring.score import NOTES

    merged = {}
    for column in frames[0].columns:
        dtypes = [f[column].dtype for f in frames]
        if not all(isinstance(d, pd.CategoricalDtype) for d in dtypes):
            continue
        if all(d == dtypes[0] for d in dtypes):
            continue
        union = list(dict.fromkeys(c for d in dtypes for c in d.categories))
        if column == "catatan":  # whole scoring orders the notes by their flag bits

            def bits(text: str) -> int:
                return sum(1 << i for i, note in enumerate(NOTES) if note in text.split("; "))

            union.sort(key=bits)
        merged[column] = pd.CategoricalDtype(pd.Index(union, dtype=dtypes[0].categories.dtype))
    parts = [f.astype(merged) if merged else f for f in frames]
    return pd.concat(parts, ignore_index=True)
