"""The warm kernel a batch worker keeps, and the Papermill call that runs one report in it.

A worker process owns one Jupyter kernel, warms it (imports the scientific stack and ``asn_eval``)
while the city is being scored, and runs report after report in it through Papermill
(:func:`run_job`), with a last cell that restores the kernel's state
(:mod:`asn_eval.batch.isolation`), so the next report starts clean without another round trip. A
report over its time limit is interrupted and its kernel replaced.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from asn_eval.atomic import new_staging, writing
from asn_eval.batch.manifest import Job
from asn_eval.errors import WriteError

__all__ = ["WarmKernel", "error_line", "papermill_engine", "run_job", "worker"]


_WARM_UP = (
    "import importlib as _i\n"
    "for _m in ('pandas', 'numpy', 'seaborn', 'matplotlib',\n"
    "           'asn_eval.reporting.agency', 'asn_eval.reporting.overview'):\n"
    "    _i.import_module(_m)\n"
    "del _i, _m\n"
    "from asn_eval.batch.isolation import snapshot as _s\n"
    "_s()\n"
    "del _s"
)


_RESTORE = "from asn_eval.batch.isolation import restore as _r\n_r()"


class WarmKernel:
    """A warm Jupyter kernel reused for many notebooks."""

    def __init__(self, start: bool = True) -> None:
        self.manager = None
        self.folder: Path | None = None
        _RUNNING.append(self)  # before it starts: a stop signal may come at any moment
        if start:
            self.start()

    def start(self) -> None:
        """Start the kernel on local IPC sockets and warm it up."""
        from jupyter_client.manager import KernelManager

        # A new manager each time: shutting one down destroys its ZeroMQ context. Local IPC
        # sockets, not TCP ports: two workers starting at once cannot race for a port, and
        # nothing listens on the network. The connection file (it holds the kernel's key) is in
        # the same private folder: whatever removes the folder removes it too.
        self.manager = None  # kill() must never signal a former kernel's (reused) process group
        self.folder = new_staging(tempfile.gettempdir(), "asn-eval-kernel-", private=True)
        try:
            self.manager = KernelManager(
                kernel_name="python3",
                transport="ipc",
                ip=os.path.join(self.folder, "k"),
                connection_file=os.path.join(self.folder, "kernel.json"),
            )
            self.manager.start_kernel(extra_arguments=["--HistoryManager.enabled=False"])
            self.run(_WARM_UP)
        except BaseException:
            # A kernel that did not start or warm up (a broken environment, a timeout under
            # load, a stop signal): neither its process nor its socket folder is left behind.
            self.kill()
            raise

    def run(self, code: str) -> None:
        """Run code in the kernel; raise RuntimeError when it fails."""
        # A client of its own for each call: a client left open while Papermill's client
        # talks to the same kernel stops receiving replies.
        client = self.manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=120)
            reply = client.execute_interactive(
                code, store_history=False, timeout=300, output_hook=lambda msg: None
            )
        finally:
            client.stop_channels()
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel: {reply['content'].get('evalue', 'galat')}")

    def restart(self) -> None:
        """Replace the kernel by a fresh, warm one (after a failure or a timeout)."""
        self.close()
        self.start()

    def close(self) -> None:
        """Shut the kernel down and remove its socket folder."""
        try:
            if self.manager is not None:
                self.manager.shutdown_kernel(now=True)
        finally:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)

    def kill(self) -> None:
        """Kill the kernel (its whole process group) at once and remove its socket folder.

        For a worker that must stop now (SIGTERM): no message to the kernel, no waiting.
        """
        provisioner = getattr(getattr(self, "manager", None), "provisioner", None)
        pgid, pid = getattr(provisioner, "pgid", None), getattr(provisioner, "pid", None)
        with contextlib.suppress(OSError):
            if pgid:
                os.killpg(pgid, signal.SIGKILL)  # the kernel runs in a session of its own
            elif pid:
                os.kill(pid, signal.SIGKILL)
        if getattr(self, "folder", None) is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


_RUNNING: list[WarmKernel] = []  # this worker's kernel, for the stop signal's handler


def papermill_engine() -> str:
    """Register Papermill's nbclient engine that executes in a kernel the caller started.

    Returns
    -------
    str
        The engine's name, for :func:`papermill.execute_notebook` (``engine_name``).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls, nb_man, kernel_name, log_output=False, start_timeout=60, **kwargs
        ):
            kwargs["holder"]["nb"] = nb_man.nb  # kept even when a cell fails
            client = PapermillNotebookClient(
                nb_man,
                km=kwargs["km"],
                timeout=kwargs.get("execution_timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
            )
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register("asn-eval-warm", WarmKernelEngine)
    return "asn-eval-warm"


_RESTORE_TAG = "asn-eval-pulihkan"


_LOADED: dict[str, tuple[tuple[int, int], object]] = {}  # path → (size, mtime), notebook


def _prepared(path: str):
    """Return the notebook with a last cell that restores the kernel (read once per worker).

    Kept by the file's path, size and modification time: a worker that outlives a batch (on a
    Dask cluster) runs a notebook changed since at the same path as it is now.
    """
    import nbformat

    state = os.stat(path)
    stamp = (state.st_size, state.st_mtime_ns)
    if path not in _LOADED or _LOADED[path][0] != stamp:
        nb = nbformat.read(path, as_version=4)
        cell = nbformat.v4.new_code_cell(_RESTORE)
        cell.metadata["tags"] = [_RESTORE_TAG]
        nb.cells.append(cell)
        _LOADED[path] = (stamp, nb)
    return nbformat.from_dict(copy.deepcopy(_LOADED[path][1]))


def _without_restore(nb) -> None:
    nb.cells = [c for c in nb.cells if _RESTORE_TAG not in c.metadata.get("tags", [])]


def error_line(error: BaseException) -> str:
    """Say what went wrong in one line (a notebook's exception name and value when it has them).

    Parameters
    ----------
    error : BaseException
        The error, raised by Papermill or otherwise.

    Returns
    -------
    str
        At most 500 characters.
    """
    name = getattr(error, "ename", type(error).__name__)
    value = getattr(error, "evalue", str(error))
    return f"{name}: {value}".strip()[:500]


def _prune(nb) -> None:
    """Drop code cells that printed nothing: they would be empty slides and blank space."""
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.get("outputs")]


def _convert(nb, job: Job, config: dict, title: str) -> list[str]:
    """Write the report's files into the staging folder; a failed write names its final place."""
    import nbformat

    from asn_eval.batch import publish

    formats, staging = config["formats"], Path(config["staging"])
    folder = Path(config.get("folder", staging))
    written = []
    if "ipynb" in formats:
        name = f"{job.name}.ipynb"
        with writing(staging / name, shown=folder / name) as path:
            nbformat.write(nb, path)
        written.append(name)
    shown = nbformat.from_dict(nb)
    _prune(shown)
    if "html" in formats or "pdf" in formats:
        page = publish.notebook_to_html(shown, title=title)
        name = f"{job.name}.html"
        with writing(staging / name, shown=folder / name) as path:
            path.write_text(page, encoding="utf-8")
        written.append(name)
    if "slides" in formats:
        slides = publish.notebook_to_slides(shown, title=title)
        name = f"{job.name}.slides.html"
        with writing(staging / name, shown=folder / name) as path:
            path.write_text(slides, encoding="utf-8")
        written.append(name)
    return written


def _keep_failed(nb, job: Job, staging: Path, result: dict) -> None:
    """Save a failed report's notebook for ``gagal/``; if the disk refuses, go without it."""
    import nbformat

    failed = staging / f"{job.name}.gagal.ipynb"
    try:
        nbformat.write(nb, failed)
    except OSError:
        failed.unlink(missing_ok=True)
        return
    result["failed_notebook"] = str(failed)


def run_job(kernel: WarmKernel, engine: str, job: Job, config: dict) -> dict:
    """Run one report notebook in the warm kernel through Papermill and convert its outputs.

    Parameters
    ----------
    kernel : WarmKernel
        The worker's kernel (restarted here after a failure).
    engine : str
        The Papermill engine that uses the kernel already started.
    job : Job
        Which notebook, with what parameters.
    config : dict
        ``staging`` (folder for outputs), ``folder`` (where they will be: named when a write
        fails), ``formats``, ``timeout`` (seconds).

    Returns
    -------
    dict
        ``name``, ``status`` (``berhasil`` or ``gagal``), ``error``, ``outputs`` (file names in
        the staging folder), ``seconds``, ``cell_seconds``, ``failed_notebook`` on failure, and
        ``errno`` when a file could not be written (the error then names it).
    """
    import papermill

    started = time.perf_counter()
    if kernel.manager is None:  # its last restart failed: one more try, for this report
        kernel.start()
    staging = Path(config["staging"])
    timed_out = threading.Event()

    def interrupt() -> None:
        timed_out.set()
        kernel.manager.interrupt_kernel()

    watchdog = threading.Timer(config["timeout"], interrupt)
    watchdog.daemon = True  # a worker told to stop (SIGTERM) does not wait for it
    watchdog.start()
    result = {"name": job.name, "status": "berhasil", "error": "", "outputs": []}
    holder: dict[str, object] = {}
    try:
        # The notebook's last cell restores the kernel (asn_eval.batch.isolation), so the next
        # report starts from the warm-up state without another round trip.
        nb = papermill.execute_notebook(
            _prepared(job.notebook),
            None,
            parameters=job.parameters,
            engine_name=engine,
            kernel_name="python3",
            progress_bar=False,
            report_mode=True,
            km=kernel.manager,
            holder=holder,
        )
    except BaseException as error:
        watchdog.cancel()
        if not isinstance(error, Exception):
            raise  # stopped (SIGTERM, Ctrl-C): not the report's failure
        # A report's own failure: recorded, the batch goes on.
        result["status"] = "gagal"
        result["error"] = (
            f"batas waktu {config['timeout']:g} dtk terlampaui"
            if timed_out.is_set()
            else error_line(error)
        )
        if "nb" in holder:
            _without_restore(holder["nb"])
            _keep_failed(holder["nb"], job, staging, result)
        kernel.restart()  # a failed report may leave anything behind: start clean
    else:
        watchdog.cancel()
        _without_restore(nb)
        result["cell_seconds"] = sum(
            c.metadata.get("papermill", {}).get("duration") or 0.0 for c in nb.cells
        )
        try:
            result["outputs"] = _convert(nb, job, config, job.title)
        except WriteError as error:  # the disk's fault, not the report's: said as such
            result["status"] = "gagal"
            result["error"] = str(error)
            result["errno"] = error.errno
        except Exception as error:  # conversion failures are the job's failure
            result["status"] = "gagal"
            result["error"] = "konversi: " + error_line(error)
            _keep_failed(nb, job, staging, result)
    result["seconds"] = time.perf_counter() - started
    return result


_PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


def _die_with_parent() -> None:
    """Stop at once on SIGTERM, and get one when the batch's process dies, however it dies.

    A batch killed hard (SIGKILL, a crash) must not leave its workers and their kernels running:
    on Linux the system sends SIGTERM to the worker when its parent goes
    (``PR_SET_PDEATHSIG``). On SIGTERM the worker kills its kernel, removes its socket folder and
    exits, without unwinding (an exception raised from a signal handler can land in a callback
    that only prints it). What the report in progress had written is in the batch's staging
    folder, which the batch, or the next one, removes.
    """

    def stop(signum: int, frame: object) -> None:
        for kernel in _RUNNING:
            kernel.kill()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None and not parent.is_alive():  # gone before prctl took effect
        raise SystemExit(1)


def worker(tasks, results, config: dict) -> None:
    """Run as a worker process: one warm kernel, jobs from ``tasks`` until a ``None``.

    The worker stops (and shuts its kernel down) on SIGTERM and when the batch's process dies.

    Parameters
    ----------
    tasks, results : multiprocessing.Queue
        Jobs in (as dicts of :class:`Job`), outcomes of :func:`run_job` out.
    config : dict
        As :func:`run_job`.
    """
    kernel = None
    _die_with_parent()
    try:
        kernel = WarmKernel()
        engine = papermill_engine()
        results.put({"ready": True})
        while True:
            job = tasks.get()
            if job is None:
                break
            try:
                results.put(run_job(kernel, engine, Job(**job), config))
            except Exception as error:
                results.put(
                    {
                        "name": job["name"],
                        "status": "gagal",
                        "error": "pekerja: " + error_line(error),
                        "outputs": [],
                        "seconds": 0.0,
                    }
                )
    except Exception:
        results.put({"worker_error": traceback.format_exc(limit=3)})
    finally:
        if kernel is not None:
            kernel.close()
