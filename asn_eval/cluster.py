"""Dask as the engine for large datasets: which cluster a command runs on (``--dask``).

``--dask local`` starts a :class:`distributed.LocalCluster` on this machine (one worker process
per core, or ``local:N`` workers), bound to 127.0.0.1 (its dashboard on a free port); ``--dask
tcp://host:port`` connects to a scheduler that is already running (a real cluster). Without
``--dask`` every command runs in its own process, as for a city.

The work itself is split by :mod:`asn_eval.scoring.partitioned`: whole agencies per task, so
every per-agency rule (the distribution curve) sees the same rows as on one machine.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from asn_eval.errors import UsageError

__all__ = [
    "PARTS_PER_WORKER",
    "PART_PEGAWAI",
    "ClusterSpec",
    "dask_client",
    "map_tasks",
    "parse_dask",
    "part_count",
    "worker_count",
]

PARTS_PER_WORKER = 4
"""Tasks per worker: enough to even out uneven agencies, few enough to keep task overhead low."""

PART_PEGAWAI = 25_000
"""About the most employees of one part (a task) of score and analyze, beyond the parts per worker.

A worker's memory follows the employees of the part it holds (score, measured with
``benchmarks/bench_national.py``: 0,57 GiB at 3,125 employees, 1,31 GiB at 25,000, 5,05 GiB at
125,000); more parts keep it about 1,3 GiB however large the data. An agency is never split,
so one agency larger than this makes a larger part."""

_LOCAL = re.compile(r"^local(?::(\d+))?$")
_REMOTE = re.compile(r"^tcp://[A-Za-z0-9._-]+:\d{1,5}$")


@dataclass(frozen=True)
class ClusterSpec:
    """Where the work runs.

    Attributes
    ----------
    address : str or None
        A scheduler's ``tcp://host:port``; None for a local cluster.
    workers : int
        Worker processes of a local cluster (one thread each).
    """

    address: str | None
    workers: int

    def __str__(self) -> str:
        return self.address or f"local:{self.workers}"


def parse_dask(spec: str) -> ClusterSpec:
    """Read a ``--dask`` value.

    Parameters
    ----------
    spec : str
        ``local`` (one worker per core), ``local:N`` or ``tcp://host:port``.

    Returns
    -------
    ClusterSpec

    Raises
    ------
    UsageError
        Any other form (exit 2), saying the forms that are read.

    Examples
    --------
    >>> parse_dask("local:2"), str(parse_dask("tcp://10.0.0.5:8786"))
    (ClusterSpec(address=None, workers=2), 'tcp://10.0.0.5:8786')
    """
    text = str(spec).strip()
    local = _LOCAL.match(text)
    if local:
        workers = int(local.group(1)) if local.group(1) else (os.cpu_count() or 1)
        if workers < 1:
            raise UsageError("--dask local:N: N harus paling sedikit 1")
        return ClusterSpec(None, workers)
    if _REMOTE.match(text):
        return ClusterSpec(text, 0)
    raise UsageError(
        f"--dask tidak dikenal: {text!r} (tulis local, local:N, atau tcp://host:port dari "
        "penjadwal Dask yang sedang berjalan)"
    )


@contextlib.contextmanager
def dask_client(spec: ClusterSpec | str) -> Iterator[object]:
    """Yield a :class:`distributed.Client` on the cluster ``spec`` names; close it afterwards.

    A local cluster is started here and stopped on leaving (its worker processes with it); an
    existing scheduler is only connected to.

    Parameters
    ----------
    spec : ClusterSpec or str
        As :func:`parse_dask` reads.

    Yields
    ------
    distributed.Client

    Raises
    ------
    UsageError
        The scheduler cannot be reached (exit 2, naming the address).
    """
    from distributed import Client, LocalCluster

    spec = spec if isinstance(spec, ClusterSpec) else parse_dask(spec)
    if spec.address is None:
        cluster = LocalCluster(
            n_workers=spec.workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # its HTTP server on a free loopback port
            silence_logs=40,  # errors only: a command's output stays its own
        )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(spec.address, timeout="10s")
    except OSError as error:
        raise UsageError(
            f"penjadwal Dask {spec.address} tidak bisa dihubungi ({error}); jalankan "
            "`dask scheduler` di sana, atau pakai --dask local"
        ) from None
    try:
        yield client
    finally:
        client.close()


def worker_count(client: object) -> int:
    """Return how many workers the cluster of ``client`` has now (at least 1).

    Parameters
    ----------
    client : distributed.Client
        A connected client (:func:`dask_client`).

    Returns
    -------
    int
    """
    return max(1, len(client.scheduler_info().get("workers", {})))  # type: ignore[attr-defined]


def part_count(client: object, pegawai: int) -> int:
    """Return how many parts to split the agencies of ``pegawai`` employees into.

    :data:`PARTS_PER_WORKER` per worker, or more so that a part holds about
    :data:`PART_PEGAWAI` employees at most.

    Parameters
    ----------
    client : distributed.Client
        A connected client (:func:`dask_client`).
    pegawai : int
        Employees of the dataset.

    Returns
    -------
    int
        At least 1.
    """
    return max(worker_count(client) * PARTS_PER_WORKER, math.ceil(pegawai / PART_PEGAWAI), 1)


def map_tasks(function: Callable, *arguments: Iterable, client: object | None = None) -> list:
    """Run ``function`` over the items of ``arguments``: as Dask tasks, or here without a client.

    Parameters
    ----------
    function : callable
        A module-level function (it travels to the workers).
    *arguments : iterable
        One iterable per parameter, as for :func:`map`.
    client : distributed.Client, optional
        The cluster; None (or fewer than two tasks) runs them one after another in this process.

    Returns
    -------
    list
        The results in the order of the items, whichever ran first.
    """
    columns = [list(a) for a in arguments]
    if client is None or len(columns[0]) < 2:
        return [function(*items) for items in zip(*columns, strict=True)]
    futures = client.map(function, *columns, pure=False)  # type: ignore[attr-defined]
    return list(client.gather(futures))  # type: ignore[attr-defined]
