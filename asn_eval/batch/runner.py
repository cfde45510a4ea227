"""The report batch: every agency's report and the city overview, through Papermill.

The pipeline reads like :func:`papermill.execute_notebook`: load the data and score the city
once → plan one job per notebook → execute the jobs in parallel → publish each result
atomically → write the manifest and the index. Each step is a small function below.

Speed comes from warm kernels. A worker process owns one Jupyter kernel, warms it (imports the
scientific stack and ``asn_eval``) while the city is being scored, and runs report after report
in it through Papermill, restoring the kernel's state between two reports
(:mod:`asn_eval.batch.isolation`). A failing report never stops the others: its executed notebook is
kept in ``gagal/`` and the manifest says what went wrong.
"""

from __future__ import annotations

import copy
import html
import json
import multiprocessing
import os
import queue
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from asn_eval.atomic import write_text
from asn_eval.decisions import default_path
from asn_eval.errors import BatchError, PeriodeError, UsageError
from asn_eval.input.dataset import load
from asn_eval.input.periode import Periode
from asn_eval.scoring.scheme import load_scheme

__all__ = [
    "FORMATS",
    "BatchResult",
    "JobResult",
    "default_notebooks",
    "run_reports",
]

FORMATS = ("html", "pdf", "slides", "ipynb")
"""Output formats: HTML report, A4 PDF printed from it, reveal.js slides, executed notebook."""

OVERVIEW = "ikhtisar-kota"
"""File stem of the city overview (agency codes are upper case, so it cannot collide)."""

_SUFFIX = {"html": ".html", "pdf": ".pdf", "slides": ".slides.html", "ipynb": ".ipynb"}
_WARM_UP = (
    "import importlib as _i\n"
    "for _m in ('pandas', 'numpy', 'seaborn', 'matplotlib', 'asn_eval.reporting.agency', 'asn_eval.reporting.overview'):\n"
    "    _i.import_module(_m)\n"
    "del _i, _m\n"
    "from asn_eval.batch.isolation import snapshot as _s\n"
    "_s()\n"
    "del _s"
)
_RESTORE = "from asn_eval.batch.isolation import restore as _r\n_r()"


def default_notebooks() -> dict[str, Path]:
    """Return the shipped report notebooks: ``laporan`` (one agency) and ``ikhtisar`` (city).

    Returns
    -------
    dict of str to Path
    """
    here = Path(__file__).resolve().parents[2] / "notebooks"
    return {"laporan": here / "laporan-opd.ipynb", "ikhtisar": here / "ikhtisar-kota.ipynb"}


@dataclass
class Job:
    """One notebook to run: which, with what parameters, and where its outputs go."""

    name: str
    notebook: str
    parameters: dict[str, object]
    kode_opd: str | None = None
    kosong: bool = False
    title: str = ""
    weight: int = 0  # employees: the largest reports are started first, to end together


@dataclass
class JobResult:
    """What happened to one job: a row of the manifest.

    Attributes
    ----------
    nama : str
        File stem: the agency code or ``ikhtisar-kota``.
    kode_opd : str
        The agency ("" for the overview).
    status : str
        ``berhasil``, ``gagal`` or, for a resumed batch, what the earlier run recorded.
    detik : float
        Seconds spent on the job (execution and conversion).
    keluaran : list of str
        Output files, relative to the period folder.
    galat : str
        The error in one line (empty when it succeeded).
    kosong : bool
        The agency had nothing to score in the period (it gets a short report).
    detik_sel : float
        Of ``detik``, the seconds the notebook's own cells ran (the rest is kernel round trips,
        parameters, conversion and PDF printing).
    """

    nama: str
    kode_opd: str
    status: str
    detik: float
    keluaran: list[str] = field(default_factory=list)
    galat: str = ""
    kosong: bool = False
    detik_sel: float = 0.0


@dataclass
class BatchResult:
    """The outcome of a batch.

    Attributes
    ----------
    folder : Path
        The period folder holding the reports, ``manifest.csv`` and ``index.html``.
    results : list of JobResult
        One per notebook, overview first.
    detik : float
        Wall-clock seconds of the whole batch.
    detik_persiapan : float
        Seconds before the first notebook could run (loading, scoring).
    """

    folder: Path
    results: list[JobResult]
    detik: float
    detik_persiapan: float

    @property
    def failed(self) -> list[JobResult]:
        """Jobs that failed."""
        return [r for r in self.results if r.status == "gagal"]


# -- worker side --------------------------------------------------------------------------------


class _Kernel:
    """A warm Jupyter kernel reused for many notebooks."""

    def __init__(self) -> None:
        self.start()

    def start(self) -> None:
        from jupyter_client.manager import KernelManager

        # A new manager each time: shutting one down destroys its ZeroMQ context. Local IPC
        # sockets, not TCP ports: two workers starting at once cannot race for a port, and
        # nothing listens on the network.
        folder = tempfile.mkdtemp(prefix="asn-eval-kernel-")
        self.manager = KernelManager(
            kernel_name="python3", transport="ipc", ip=os.path.join(folder, "k")
        )
        self.manager.start_kernel(extra_arguments=["--HistoryManager.enabled=False"])
        self.run(_WARM_UP)

    def run(self, code: str) -> None:
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
        self.manager.shutdown_kernel(now=True)
        self.start()

    def close(self) -> None:
        self.manager.shutdown_kernel(now=True)


def _engine():
    """Papermill's nbclient engine, executing in a kernel the caller already started."""
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
_LOADED: dict[str, object] = {}


def _prepared(path: str):
    """Return the notebook with a last cell that restores the kernel (read once per worker)."""
    import nbformat

    if path not in _LOADED:
        nb = nbformat.read(path, as_version=4)
        cell = nbformat.v4.new_code_cell(_RESTORE)
        cell.metadata["tags"] = [_RESTORE_TAG]
        nb.cells.append(cell)
        _LOADED[path] = nb
    return nbformat.from_dict(copy.deepcopy(_LOADED[path]))


def _without_restore(nb) -> None:
    nb.cells = [c for c in nb.cells if _RESTORE_TAG not in c.metadata.get("tags", [])]


def _error_line(error: BaseException) -> str:
    name = getattr(error, "ename", type(error).__name__)
    value = getattr(error, "evalue", str(error))
    return f"{name}: {value}".strip()[:500]


def _prune(nb) -> None:
    """Drop code cells that printed nothing: they would be empty slides and blank space."""
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.get("outputs")]


def _convert(nb, job: Job, formats: Sequence[str], staging: Path, title: str) -> list[str]:
    import nbformat

    from asn_eval.batch import publish

    written = []
    if "ipynb" in formats:
        nbformat.write(nb, staging / f"{job.name}.ipynb")
        written.append(f"{job.name}.ipynb")
    shown = nbformat.from_dict(nb)
    _prune(shown)
    if "html" in formats or "pdf" in formats:
        page = publish.notebook_to_html(shown, title=title)
        (staging / f"{job.name}.html").write_text(page, encoding="utf-8")
        written.append(f"{job.name}.html")
    if "slides" in formats:
        slides = publish.notebook_to_slides(shown, title=title)
        (staging / f"{job.name}.slides.html").write_text(slides, encoding="utf-8")
        written.append(f"{job.name}.slides.html")
    return written


def _run_job(kernel: _Kernel, engine: str, job: Job, config: dict) -> dict:
    import nbformat
    import papermill

    started = time.perf_counter()
    staging = Path(config["staging"])
    timed_out = threading.Event()

    def interrupt() -> None:
        timed_out.set()
        kernel.manager.interrupt_kernel()

    watchdog = threading.Timer(config["timeout"], interrupt)
    watchdog.start()
    result = {"name": job.name, "status": "berhasil", "galat": "", "outputs": []}
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
    except Exception as error:  # a report's own failure: recorded, the batch goes on
        watchdog.cancel()
        result["status"] = "gagal"
        result["galat"] = (
            f"batas waktu {config['timeout']:g} dtk terlampaui"
            if timed_out.is_set()
            else _error_line(error)
        )
        if "nb" in holder:
            failed = staging / f"{job.name}.gagal.ipynb"
            _without_restore(holder["nb"])
            nbformat.write(holder["nb"], failed)
            result["failed_notebook"] = str(failed)
        kernel.restart()  # a failed report may leave anything behind: start clean
    else:
        watchdog.cancel()
        _without_restore(nb)
        result["cell_seconds"] = sum(
            c.metadata.get("papermill", {}).get("duration") or 0.0 for c in nb.cells
        )
        try:
            result["outputs"] = _convert(nb, job, config["formats"], staging, job.title)
        except Exception as error:  # conversion failures are the job's failure
            result["status"] = "gagal"
            result["galat"] = "konversi: " + _error_line(error)
            failed = staging / f"{job.name}.gagal.ipynb"
            nbformat.write(nb, failed)
            result["failed_notebook"] = str(failed)
    result["seconds"] = time.perf_counter() - started
    return result


def _worker(tasks, results, config: dict) -> None:
    """Worker process: one warm kernel, jobs from ``tasks`` until a ``None``."""
    kernel = None
    try:
        kernel = _Kernel()
        engine = _engine()
        results.put({"ready": True})
        while True:
            job = tasks.get()
            if job is None:
                break
            try:
                results.put(_run_job(kernel, engine, Job(**job), config))
            except Exception as error:
                results.put(
                    {
                        "name": job["name"],
                        "status": "gagal",
                        "galat": "pekerja: " + _error_line(error),
                        "outputs": [],
                        "seconds": 0.0,
                    }
                )
    except Exception:
        results.put({"worker_error": traceback.format_exc(limit=3)})
    finally:
        if kernel is not None:
            kernel.close()


# -- parent side --------------------------------------------------------------------------------


def _plan(city, codes: Sequence[str], notebooks: dict[str, Path], base: dict) -> list[Job]:
    from asn_eval.reporting.results import has_evidence

    hasil = city.hasil
    active = set(hasil.loc[has_evidence(hasil), "kode_opd"].astype("str"))
    opd = city.data.opd
    names = dict(zip(opd["kode_opd"].astype("str"), opd["nama_opd"].astype("str"), strict=True))
    periode = base["periode"]
    sizes = hasil["kode_opd"].astype("str").value_counts()
    overview = Job(OVERVIEW, str(notebooks["ikhtisar"]), dict(base), weight=len(hasil))
    overview.title = f"Ikhtisar kota {periode}"
    jobs = [overview]
    for code in codes:
        jobs.append(
            Job(
                code,
                str(notebooks["laporan"]),
                {**base, "kode_opd": code},
                code,
                kosong=code not in active,
                title=f"Laporan kinerja {names[code]} {periode}",
                weight=int(sizes.get(code, 0)),
            )
        )
    return jobs


def _read_manifest(folder: Path) -> dict[str, JobResult]:
    path = folder / "manifest.json"
    if not path.exists():
        return {}
    found = json.loads(path.read_text(encoding="utf-8"))
    return {row["nama"]: JobResult(**row) for row in found.get("laporan", [])}


def _write_manifest(folder: Path, results: Iterable[JobResult], about: dict) -> None:
    rows = [asdict(r) for r in results]
    write_text(
        folder / "manifest.json",
        json.dumps({"batch": about, "laporan": rows}, ensure_ascii=False, indent=1),
    )
    frame = pd.DataFrame(rows, columns=list(JobResult.__dataclass_fields__))
    frame["keluaran"] = frame["keluaran"].map(" ".join)
    write_text(folder / "manifest.csv", frame.to_csv(index=False))


def _write_index(folder: Path, results: Sequence[JobResult], about: dict, names: dict) -> None:
    rows = []
    for r in results:
        links = " ".join(
            f"<a href='{html.escape(f)}'>{html.escape(Path(f).suffix.lstrip('.') or f)}</a>"
            if not f.endswith(".slides.html")
            else f"<a href='{html.escape(f)}'>slides</a>"
            for f in r.keluaran
        )
        status = "gagal" if r.status == "gagal" else ("kosong" if r.kosong else "berhasil")
        rows.append(
            f"<tr class='{status}'><td>{html.escape(r.nama)}</td>"
            f"<td>{html.escape(names.get(r.nama, ''))}</td><td>{status}</td>"
            f"<td>{r.detik:.1f}</td><td>{links}</td><td>{html.escape(r.galat)}</td></tr>"
        )
    failed = sum(r.status == "gagal" for r in results)
    page = f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Laporan evaluasi kinerja {html.escape(about["periode"])}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #111; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #bbb; padding: .35rem .6rem; text-align: left; }}
tr.gagal td {{ background: #eee; font-weight: bold; }}
tr.kosong td {{ color: #555; font-style: italic; }}
</style></head><body>
<h1>Laporan evaluasi kinerja, periode {html.escape(about["periode"])}</h1>
<p>Skema {html.escape(about["skema"])}; dibuat {html.escape(about["dibuat"])};
{len(results)} laporan, {failed} gagal.</p>
<table><thead><tr><th>Laporan</th><th>Nama</th><th>Status</th><th>Detik</th>
<th>Berkas</th><th>Galat</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table></body></html>
"""
    write_text(folder / "index.html", page)


def _signature(dataset, scheme, anonim: bool, bahasa: str, notebooks: dict, decisions) -> str:
    import hashlib

    digest = hashlib.sha256()
    for part in (dataset.fingerprint, scheme.digest, str(anonim), bahasa):
        digest.update(part.encode())
    if decisions.exists():  # a new forum decision makes every report out of date
        from asn_eval.decisions import DecisionStore

        with DecisionStore(decisions) as store:  # events are only ever added: count them
            digest.update(f"{decisions}:{len(store.history())}".encode())
    for path in notebooks.values():
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def run_reports(
    data: str | os.PathLike[str],
    periode: str,
    *,
    out: str | os.PathLike[str] = "reports",
    opd: Sequence[str] | None = None,
    skema: str | os.PathLike[str] = "permenpan-6-2022",
    jobs: int | None = None,
    formats: Sequence[str] = ("html",),
    anonim: bool = False,
    bahasa: str = "id",
    resume: bool = False,
    timeout: float = 600,
    notebooks: dict[str, Path] | None = None,
    keputusan: str | os.PathLike[str] | None = None,
    progress: bool = True,
) -> BatchResult:
    """Generate the reports of a period: one per agency and the city overview.

    Parameters
    ----------
    data : path
        The data folder.
    periode : str
        The period (``2025-TW1`` … or ``2025``).
    out : path, default "reports"
        Reports go to ``out/<periode>/``: ``<KODE>.html`` (and ``.pdf``, ``.slides.html``,
        ``.ipynb``), ``ikhtisar-kota.*``, ``manifest.csv``/``manifest.json``, ``index.html``.
    opd : sequence of str, optional
        Only these agencies (default all in the ``opd`` table). The overview is always made.
    skema : str or path
        The scheme.
    jobs : int, optional
        Parallel workers, each with its own kernel (default: the number of cores).
    formats : sequence of {"html", "pdf", "slides", "ipynb"}
        What to write. PDF is printed from the HTML by Chromium, one browser for the batch.
    anonim : bool
        Pseudonymise names and NIPs everywhere, stably across the batch.
    bahasa : {"id", "en"}
        Language of the reports.
    resume : bool
        Redo only reports that are missing or failed in the folder's manifest (and all of them
        when the data, scheme or options changed since).
    timeout : float
        Seconds one notebook may take before it is interrupted and marked failed.
    notebooks : dict, optional
        ``{"laporan": path, "ikhtisar": path}`` to use other notebooks (default: shipped ones).
    keputusan : path, optional
        Calibration decisions (:mod:`asn_eval.decisions`) to show next to the computed
        predikat; default: the review app's file for this data folder, when it exists.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    BatchResult
        The folder, one :class:`JobResult` per notebook, and timings.

    Raises
    ------
    DataError
        When the data do not validate (nothing is written).
    UsageError
        For an unknown agency code, format or language.
    """
    from asn_eval.anonymity import new_key
    from asn_eval.reporting.results import CityResults

    started = time.perf_counter()
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(
            f"format tidak dikenal: {', '.join(unknown)} (pilih: {', '.join(FORMATS)})"
        )
    if bahasa not in ("id", "en"):
        raise UsageError("bahasa harus id atau en")
    try:
        requested = Periode(periode)
    except PeriodeError:  # name the periods the data has
        requested = load(data).periode(periode)
    notebooks = {**default_notebooks(), **(notebooks or {})}
    for path in notebooks.values():
        if not Path(path).exists():
            raise UsageError(f"notebook tidak ada: {path}")
    scheme = load_scheme(skema)
    workers = max(1, jobs or os.cpu_count() or 1)

    # Workers start their kernels while the parent loads and scores.
    context = multiprocessing.get_context("spawn")
    tasks, results = context.Queue(), context.Queue()
    folder = Path(out) / str(requested)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".sementara-", dir=folder))
    workspace = Path(tempfile.mkdtemp(prefix="asn-eval-batch-"))
    config = {
        "staging": str(staging),
        "formats": formats,
        "timeout": float(timeout),
    }
    processes = [
        context.Process(target=_worker, args=(tasks, results, config), daemon=True)
        for _ in range(workers)
    ]
    try:
        for process in processes:
            process.start()
        dataset = load(data)
        periode = dataset.periode(requested)
        decisions = Path(keputusan) if keputusan is not None else default_path(data)
        previous = _read_manifest(folder) if resume else {}
        about = {
            "periode": str(periode),
            "skema": scheme.nama,
            "data": str(Path(data).resolve()),
            "format": formats,
            "anonim": anonim,
            "bahasa": bahasa,
            "tanda": _signature(dataset, scheme, anonim, bahasa, notebooks, decisions),
            "dibuat": datetime.now().isoformat(timespec="seconds"),
        }
        key = None
        if anonim:
            key_file = folder / ".kunci-anonim"
            key = key_file.read_text().strip() if resume and key_file.exists() else new_key()
        city = CityResults.compute(dataset, periode, scheme, key=key, keputusan=decisions)
        codes = list(city.data.opd["kode_opd"].astype("str"))
        if opd:
            missing = [c for c in opd if c not in codes]
            if missing:
                raise UsageError(f"kode OPD tidak ada di tabel opd: {', '.join(missing)}")
            codes = [c for c in codes if c in set(opd)]
        city.save(workspace)
        base = {
            "periode": str(periode),
            "data": str(Path(data).resolve()),
            "skema": str(scheme.path) if scheme.path else scheme.nama,
            "anonim": anonim,
            "bahasa": bahasa,
            "batch": str(workspace),
        }
        planned = _plan(city, codes, notebooks, base)
        if previous and _previous_signature(folder) != about["tanda"]:
            previous = {}  # the data or options changed: everything is redone
        todo, kept = [], {}
        for job in planned:
            before = previous.get(job.name)
            if (
                before is not None
                and before.status == "berhasil"
                and all((folder / f).exists() for f in _expected(job.name, formats))
            ):
                kept[job.name] = before
            else:
                todo.append(job)
        if anonim and key is not None:
            write_text(folder / ".kunci-anonim", key)
        prepared = time.perf_counter() - started
        done = _execute(todo, tasks, results, processes, folder, staging, formats, progress)
        names = dict(
            zip(
                city.data.opd["kode_opd"].astype("str"),
                city.data.opd["nama_opd"].astype("str"),
                strict=True,
            )
        )
        names[OVERVIEW] = "Ikhtisar kota"
        ordered = []
        for job in planned:
            result = kept.get(job.name) or done[job.name]
            result.kosong = job.kosong
            ordered.append(result)
        failed_dir = folder / "gagal"
        if failed_dir.is_dir() and not any(failed_dir.iterdir()):
            failed_dir.rmdir()
        _write_manifest(folder, ordered, about)
        _write_index(folder, ordered, about, names)
        return BatchResult(folder, ordered, time.perf_counter() - started, prepared)
    finally:
        for _ in processes:
            tasks.put(None)
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(workspace, ignore_errors=True)


def _previous_signature(folder: Path) -> str | None:
    path = folder / "manifest.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get("batch", {}).get("tanda")


def _expected(name: str, formats: Sequence[str]) -> list[str]:
    return [f"{name}{_SUFFIX[f]}" for f in formats]


def _execute(
    todo: list[Job],
    tasks,
    results,
    processes,
    folder: Path,
    staging: Path,
    formats: Sequence[str],
    progress: bool,
) -> dict[str, JobResult]:
    """Hand the jobs to the workers; publish each result the moment it arrives."""
    from tqdm.auto import tqdm

    by_name = {job.name: job for job in todo}
    for job in sorted(todo, key=lambda j: -j.weight):
        tasks.put(asdict(job))
    done: dict[str, JobResult] = {}
    printer = None
    lost = 0
    bar = tqdm(total=len(todo), desc="laporan", unit="nb", disable=not progress, file=sys.stderr)
    try:
        while len(done) < len(todo):
            try:
                message = results.get(timeout=5)
            except queue.Empty:
                if not any(p.is_alive() for p in processes):
                    raise BatchError("semua pekerja berhenti sebelum laporan selesai") from None
                continue
            if "ready" in message:
                continue
            if "worker_error" in message:
                lost += 1
                print(
                    f"peringatan: satu pekerja berhenti: {message['worker_error']}", file=sys.stderr
                )
                if lost == len(processes):
                    raise BatchError("tidak ada pekerja yang bisa menjalankan kernel Jupyter")
                continue
            job = by_name[message["name"]]
            result = JobResult(
                job.name, job.kode_opd or "", message["status"], round(message["seconds"], 2)
            )
            result.galat = message["galat"]
            result.detik_sel = round(message.get("cell_seconds", 0.0), 2)
            if result.status == "berhasil" and "pdf" in formats:
                try:
                    if printer is None:
                        from asn_eval.batch.publish import PdfPrinter

                        printer = PdfPrinter().__enter__()
                    started = time.perf_counter()
                    printer.print_pdf(staging / f"{job.name}.html", staging / f"{job.name}.pdf")
                    result.detik = round(result.detik + time.perf_counter() - started, 2)
                    message["outputs"].append(f"{job.name}.pdf")
                except Exception as error:
                    result.status = "gagal"
                    result.galat = "PDF: " + _error_line(error)
            if result.status == "berhasil":
                wanted = set(_expected(job.name, formats))
                for name in message["outputs"]:
                    if name in wanted:
                        os.replace(staging / name, folder / name)
                result.keluaran = [
                    n for n in _expected(job.name, formats) if n in message["outputs"]
                ]
                stale = folder / "gagal" / f"{job.name}.ipynb"
                stale.unlink(missing_ok=True)
            else:
                kept = message.get("failed_notebook")
                if kept:
                    (folder / "gagal").mkdir(exist_ok=True)
                    os.replace(kept, folder / "gagal" / f"{job.name}.ipynb")
                    result.keluaran = [f"gagal/{job.name}.ipynb"]
            done[job.name] = result
            bar.update(1)
            bar.set_postfix(gagal=sum(r.status == "gagal" for r in done.values()))
    finally:
        bar.close()
        if printer is not None:
            printer.__exit__(None, None, None)
    return done
