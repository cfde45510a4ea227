"""The report batch on a Dask cluster: one report per task, one warm kernel per worker.

``asn-eval reports DIR --periode P --out OUT --dask local[:N]`` (or ``--dask tcp://host:port``)
runs the same batch as :func:`asn_eval.batch.runner.run_reports` without ``--dask``: the data are
checked and the city is scored once, here; the jobs are planned, skipped when ``--resume`` finds
them done, and every result is published, recorded in the manifest and listed in the index, here
too. Only where the notebooks run differs: each report is one Dask task
(:func:`make_report`), and each Dask worker keeps one warm Jupyter kernel for its whole life
(:class:`KernelKeeper`, a worker plugin), running report after report in it with the same
:func:`asn_eval.batch.kernel.run_job` as a batch worker process (the kernel restored between
two reports, a report over its time limit interrupted and its kernel replaced, a failed report's
notebook kept for ``gagal/``).

A worker runs one report at a time (its kernel is one): give each worker one thread
(``dask worker --nthreads 1``, as many workers as cores), as ``--dask local:N`` does.

Workers of a remote cluster (``tcp://``) must see the same paths as the machine that runs
``asn-eval reports``: the data folder (and a ``--notebook``, ``--skema`` or ``--keputusan``
file), and the output folder, where the scored city is put for the kernels to read and each
report is written before it is moved into place (a shared file system mounted at the same
place, used by the same user), with the same ``asn_eval`` installed. Their kernels stay warm
between batches; restart the workers after upgrading ``asn_eval``.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import asdict

from distributed.diagnostics.plugin import WorkerPlugin

from asn_eval.batch.kernel import WarmKernel, error_line, papermill_engine, run_job
from asn_eval.batch.manifest import Job
from asn_eval.errors import BatchError

__all__ = ["PLUGIN", "KernelKeeper", "connect", "make_report", "reports"]


PLUGIN = "asn-eval-kernel"
"""Name of the worker plugin that keeps a worker's kernel."""

WORKERS_TIMEOUT = 60
"""Seconds to wait for a first worker of a cluster that has none yet."""


class _KeptKernel(WarmKernel):
    """A worker's kernel that, once retired (its worker stops), is never started again."""

    retired = False

    def start(self) -> None:
        """Start and warm the kernel, unless its worker is stopping."""
        if self.retired:
            raise RuntimeError("pekerja Dask sedang berhenti")
        super().start()
        if self.retired:  # retired while it started: nothing was there to kill yet
            self.close()
            raise RuntimeError("pekerja Dask sedang berhenti")

    def retire(self) -> None:
        """Kill the kernel now and refuse any restart (it may be warming up or in a report)."""
        self.retired = True
        self.kill()


class KernelKeeper(WorkerPlugin):
    """Keep one warm kernel on a Dask worker for the worker's life.

    On arrival (:meth:`setup`) the kernel is started and warmed in a thread of its own, while
    the city is still being scored; the first report waits for it. When the worker closes
    (:meth:`teardown`, and at its process's exit) the kernel is shut down and its socket folder
    removed; one still warming up or running a report then is killed, as a batch worker
    process's kernel on SIGTERM (a worker closes within seconds). A worker killed outright takes
    its kernel along (the kernel watches its parent); the socket folder it leaves is removed by
    the next kernel started on that machine (:func:`asn_eval.atomic.remove_stale`).

    Registered once per cluster (``idempotent``): a long-lived cluster's kernels stay warm from
    one batch to the next, and a worker that joins later gets the plugin too.
    """

    idempotent = True
    name = PLUGIN

    def setup(self, worker: object = None) -> None:
        """Start warming the worker's kernel in the background.

        A worker that has a nanny ignores Ctrl-C from then on: the terminal sends it to every
        process of the command (a LocalCluster's workers too), and a worker cut off mid-report
        never closes its kernel; its nanny closes it instead, and :meth:`teardown` the kernel.

        Parameters
        ----------
        worker : distributed.Worker
            The worker.
        """
        if getattr(worker, "nanny", None) and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        self._busy = threading.Lock()  # one report at a time in the one kernel
        self._state = threading.Lock()
        self._ready = threading.Event()  # the first warm-up is over (done or failed)
        self._kernel = _KeptKernel(start=False)
        self._engine: str | None = None
        self._closed = False
        atexit.register(self.close)
        threading.Thread(target=self._warm, name="asn-eval-kernel", daemon=True).start()

    def _warm(self) -> None:
        try:
            self._kernel.start()
        except Exception:
            pass  # the first report starts it again (run_job), and says why it fails
        finally:
            self._ready.set()

    def run(self, job: dict, config: dict) -> dict:
        """Run one report in the worker's kernel (:func:`asn_eval.batch.kernel.run_job`).

        Parameters
        ----------
        job : dict
            A :class:`asn_eval.batch.manifest.Job` as a dict.
        config : dict
            As :func:`asn_eval.batch.kernel.run_job`.

        Returns
        -------
        dict
            The outcome, as :func:`asn_eval.batch.kernel.run_job` returns it.

        Raises
        ------
        RuntimeError
            The kernel cannot be started, or the worker is stopping.
        """
        self._ready.wait()
        with self._busy:
            if self._closed:
                raise RuntimeError("pekerja Dask sedang berhenti")
            if self._engine is None:
                self._engine = papermill_engine()
            return run_job(self._kernel, self._engine, Job(**job), config)

    def close(self) -> None:
        """Shut the kernel down, or kill it when it is warming up or running a report.

        Its socket folder is removed either way. Safe to call more than once, from any thread.
        """
        with self._state:
            if self._closed:
                return
            self._closed = True
        if self._ready.is_set() and self._busy.acquire(blocking=False):  # idle
            try:
                self._kernel.close()
            finally:
                self._busy.release()
        else:
            self._kernel.retire()

    async def teardown(self, worker: object = None) -> None:
        """Close the kernel when the worker closes (off the worker's event loop).

        Parameters
        ----------
        worker : distributed.Worker
            The worker (unused).
        """
        await asyncio.to_thread(self.close)
        atexit.unregister(self.close)


def make_report(job: dict, config: dict) -> dict:
    """Run one report on a Dask worker, in the kernel its :class:`KernelKeeper` keeps.

    The task of one report; the same outcome as a batch worker process puts on its queue.

    Parameters
    ----------
    job : dict
        A :class:`asn_eval.batch.manifest.Job` as a dict.
    config : dict
        As :func:`asn_eval.batch.kernel.run_job` (paths the worker can reach).

    Returns
    -------
    dict
        As :func:`asn_eval.batch.kernel.run_job`; a kernel that cannot run is the report's
        failure (``status`` ``gagal``, ``error`` starting with ``pekerja:``), not the task's.
    """
    from distributed import get_worker

    try:
        keeper = get_worker().plugins.get(PLUGIN)
        if keeper is None:
            raise RuntimeError("pekerja Dask tanpa kernel asn-eval (plugin tidak terpasang)")
        return keeper.run(job, config)
    except Exception as error:
        return _failed(job["name"], error)


def _failed(name: str, error: BaseException) -> dict:
    return {
        "name": name,
        "status": "gagal",
        "error": "pekerja: " + error_line(error),
        "outputs": [],
        "seconds": 0.0,
    }


def connect(stack: contextlib.ExitStack, dask: object) -> object:
    """Open the cluster for a batch and have every worker warm its kernel.

    Parameters
    ----------
    stack : contextlib.ExitStack
        Closes the client (and stops a local cluster) when the batch ends.
    dask : str, ClusterSpec or distributed.Client
        A ``--dask`` value (:func:`asn_eval.cluster.parse_dask`), or a client already connected
        (left open).

    Returns
    -------
    distributed.Client

    Raises
    ------
    UsageError
        The scheduler cannot be reached.
    BatchError
        The cluster has no worker after :data:`WORKERS_TIMEOUT` seconds.
    """
    from asn_eval.cluster import dask_client

    client = dask if hasattr(dask, "submit") else stack.enter_context(dask_client(dask))
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except TimeoutError:
        address = getattr(client.scheduler, "address", "")
        raise BatchError(
            f"klaster Dask {address} tidak punya pekerja (ditunggu {WORKERS_TIMEOUT} dtk): "
            f"jalankan `dask worker {address}`"
        ) from None
    client.register_plugin(KernelKeeper(), name=PLUGIN)
    return client


def reports(client: object, todo: list[Job], config: dict) -> Iterator[dict]:
    """Submit one task per report; yield each outcome the moment it is finished.

    The largest reports are started first (priority by employees). A task lost with its worker
    (retried by Dask, then given up) is that report's failure. Leaving the loop early cancels
    the reports not yet run.

    Parameters
    ----------
    client : distributed.Client
        From :func:`connect`.
    todo : list of Job
        The reports to make.
    config : dict
        As :func:`asn_eval.batch.kernel.run_job`.

    Yields
    ------
    dict
        As :func:`make_report`, in the order they finish.
    """
    from distributed import as_completed

    futures = {
        client.submit(make_report, asdict(job), config, pure=False, priority=job.weight): job
        for job in todo
    }
    try:
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as error:  # the task itself was lost (KilledWorker, …)
                yield _failed(futures[future].name, error)
    finally:
        client.cancel(list(futures))
