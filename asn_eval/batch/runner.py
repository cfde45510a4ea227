"""The report batch: every agency's report and the city overview, through Papermill.

:func:`run_reports` reads like :func:`papermill.execute_notebook`: check the data and the period,
score the city once → plan one job per notebook → execute the jobs in parallel → publish each
result atomically → write the manifest and the index (:mod:`asn_eval.batch.manifest`).

Speed comes from warm kernels. A worker process owns one Jupyter kernel, warms it (imports the
scientific stack and ``asn_eval``) while the city is being scored, and runs report after report
in it; the Papermill call itself is :func:`asn_eval.batch.kernel.run_job`, which restores the
kernel's state between two reports (:mod:`asn_eval.batch.isolation`). A failing report never
stops the others: its executed notebook is kept in ``gagal/`` and the manifest says what went
wrong.

With ``dask`` the same batch runs on a Dask cluster (:mod:`asn_eval.batch.on_cluster`): one task
per report, one warm kernel per Dask worker; everything else here is the same.
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import queue
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from asn_eval.atomic import move_into, new_staging, write_error, write_text, writing
from asn_eval.batch.kernel import error_line, worker
from asn_eval.batch.manifest import (
    BatchResult,
    Job,
    JobResult,
    expected_files,
    previous_signature,
    read_manifest,
    signature,
    write_index,
    write_manifest,
)
from asn_eval.city_profile import load_profile
from asn_eval.decisions import default_path
from asn_eval.errors import BatchError, UsageError, WriteError
from asn_eval.filenames import file_stem, file_stems
from asn_eval.input.dataset import load
from asn_eval.input.instansi import instansi_names
from asn_eval.scoring.scheme import DEFAULT_SCHEME, Scheme, load_scheme
from asn_eval.streams import QuietWhenClosed, say

__all__ = ["FORMATS", "OVERVIEW", "RESERVED", "default_notebooks", "instansi_stems", "run_reports"]


FORMATS = ("html", "pdf", "slides", "ipynb")
"""Output formats: HTML report, A4 PDF printed from it, reveal.js slides, executed notebook."""


OVERVIEW = "ikhtisar-kota"
"""File stem of the city overview (of every instansi, in a dataset with many)."""

OVERVIEW_PREFIX = "ikhtisar-"
"""File stems of one instansi's overview: ``ikhtisar-<kode_instansi>`` (:func:`instansi_stems`)."""

RESERVED = (OVERVIEW, "index")
"""Stems an agency's files may not take (the overview's, the index page's): an agency code that
is one of them, in any letter case, gets a hashed stem."""

DISK_FAULTS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO})
"""Write failures that stop the whole batch (every next report would fail alike): the reports
finished so far are already in the manifest, and ``--resume`` goes on from there."""

RESUME_HINT = "Laporan yang sudah selesai tercatat: --resume melanjutkan dari sana."


def default_notebooks() -> dict[str, Path]:
    """Return the shipped report notebooks: ``laporan`` (one agency) and ``ikhtisar`` (city).

    Returns
    -------
    dict of str to Path
    """
    here = Path(__file__).resolve().parents[2] / "notebooks"
    return {"laporan": here / "laporan-opd.ipynb", "ikhtisar": here / "ikhtisar-kota.ipynb"}


# -- parent side --------------------------------------------------------------------------------


def instansi_stems(city) -> dict[str, str]:
    """Name each instansi overview's files: ``ikhtisar-<instansi>``, made safe as a file name.

    Parameters
    ----------
    city : CityResults
        The scored data.

    Returns
    -------
    dict
        ``kode_instansi`` → file stem, in the order of the ``opd`` table; empty without instansi.
    """
    from asn_eval.input.instansi import instansi_names

    codes = list(instansi_names(city.data.tables))
    stems = file_stems([OVERVIEW_PREFIX + c for c in codes], reserved=RESERVED)
    return {c: stems[OVERVIEW_PREFIX + c] for c in codes}


def _plan(
    city, codes: Sequence[str], notebooks: dict[str, Path], base: dict, instansi: dict[str, str]
) -> list[Job]:
    from asn_eval.input.instansi import instansi_names
    from asn_eval.reporting.results import has_evidence

    hasil = city.hasil
    active = set(hasil.loc[has_evidence(hasil), "kode_opd"].astype("str"))
    opd = city.data.opd
    names = dict(zip(opd["kode_opd"].astype("str"), opd["nama_opd"].astype("str"), strict=True))
    # File stems from the whole table, so an agency's files keep their name whichever are chosen.
    stems = file_stems(names, reserved=(*RESERVED, *instansi.values()))
    periode = base["periode"]
    sizes = hasil["kode_opd"].astype("str").value_counts()
    overview = Job(OVERVIEW, str(notebooks["ikhtisar"]), dict(base), weight=len(hasil))
    overview.title = f"Ikhtisar {'semua instansi' if instansi else 'kota'} {periode}"
    jobs = [overview]
    government = instansi_names(city.data.tables)
    per_instansi = hasil["kode_instansi"].astype("str").value_counts() if instansi else {}
    for kode, stem in instansi.items():
        batch = str(Path(base["batch"]) / "instansi" / stem)
        job = Job(stem, str(notebooks["ikhtisar"]), {**base, "batch": batch})
        job.title = f"Ikhtisar {government[kode]} {periode}"
        job.weight = int(per_instansi.get(kode, 0))
        jobs.append(job)
    for code in codes:
        jobs.append(
            Job(
                stems[code],
                str(notebooks["laporan"]),
                {**base, "kode_opd": code},
                code,
                empty=code not in active,
                title=f"Laporan kinerja {names[code]} {periode}",
                weight=int(sizes.get(code, 0)),
            )
        )
    return jobs


def run_reports(
    data: str | os.PathLike[str],
    periode: str,
    *,
    skema: str | os.PathLike[str] | Scheme = DEFAULT_SCHEME,
    kode_opd: Sequence[str] | None = None,
    out: str | os.PathLike[str] = "reports",
    jobs: int | None = None,
    formats: Sequence[str] = ("html",),
    anonim: bool = False,
    bahasa: str = "id",
    resume: bool = False,
    timeout: float = 600,
    notebooks: dict[str, Path] | None = None,
    keputusan: str | os.PathLike[str] | None = None,
    progress: bool = True,
    profil: str | os.PathLike[str] | None = None,
    dask: object = None,
) -> BatchResult:
    """Generate the reports of a period: one per agency and the city overview.

    Parameters
    ----------
    data : path
        The data folder.
    periode : str or Periode
        The period (``2025-TW1`` … or ``2025``), read and checked against the data before
        anything starts.
    skema : str, path or Scheme
        The scheme (a file is read here, once; the kernels get its content).
    kode_opd : sequence of str, optional
        Only these agencies (default all in the ``opd`` table). The overview is always made.
    out : path, default "reports"
        Reports go to ``out/<periode>/``: ``<KODE>.html`` (and ``.pdf``, ``.slides.html``,
        ``.ipynb``), ``ikhtisar-kota.*``, ``manifest.csv``/``manifest.json``, ``index.html``.
        A code that cannot be a file name as it is (``DINSOS/P3A``) is written safely, with a
        short hash (:func:`asn_eval.filenames.file_stem`); the manifest and the index page keep
        the code itself.
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
        when the data, scheme or options changed since). The manifest is rewritten as each
        report is finished, so this holds after a batch that was killed, too.
    timeout : float
        Seconds one notebook may take before it is interrupted and marked failed.
    notebooks : dict, optional
        ``{"laporan": path, "ikhtisar": path}`` to use other notebooks (default: shipped ones).
    keputusan : path, optional
        Calibration decisions (:mod:`asn_eval.decisions`) to show next to the computed
        predikat; default: the review app's file for this data folder, when it exists.
    progress : bool
        Show a progress bar on stderr.
    profil : path, optional
        The city profile file (``--profil``); by default ``profil.toml`` of the data folder.
    dask : str or distributed.Client, optional
        Run the notebooks on a Dask cluster (``--dask``: ``local``, ``local:N`` or
        ``tcp://host:port``, or a connected client, left open): one task per report, one warm
        kernel per worker (:mod:`asn_eval.batch.on_cluster`); the same files, manifest, resume
        and failures as without. The workers must see the data, the notebooks and ``out`` at the
        same paths (the scored city is put in ``out``'s period folder for them, not in the
        temporary folder). Not with ``jobs``: the cluster's workers are the parallel workers.

    Returns
    -------
    BatchResult
        The folder, one :class:`JobResult` per notebook, and timings.

    Raises
    ------
    DataError
        When the data do not validate (nothing is written).
    PeriodeError
        When the period cannot be read or the data has nothing for it (nothing is written).
    UsageError
        For an unknown agency code, format or language, a ``dask`` value that cannot be read,
        ``dask`` with ``jobs``, or a scheduler that cannot be reached (nothing is written).
    BatchError
        When no worker can run a kernel (the reports finished before are kept).
    ProfileError
        When the city profile cannot be used; each problem names its key (nothing is written).
    WriteError
        When the period folder cannot be written, or the disk fails during the batch (full,
        read-only): the message names the file; the reports finished before are kept and
        recorded, so ``resume=True`` goes on from there. No staging folder is left.
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
    notebooks = {**default_notebooks(), **(notebooks or {})}
    for path in notebooks.values():
        if not Path(path).exists():
            raise UsageError(f"notebook tidak ada: {path}")
    scheme = load_scheme(skema)
    workers = max(1, jobs or os.cpu_count() or 1)
    if dask is not None:
        from asn_eval.cluster import parse_dask

        if jobs is not None:
            raise UsageError(
                "--jobs dan --dask tidak bisa dipakai bersama: dengan --dask, pekerjanya adalah "
                "pekerja klaster (local:N untuk N pekerja di mesin ini)"
            )
        if isinstance(dask, str):
            dask = parse_dask(dask)
    # Everything the user can get wrong is checked before a worker starts or a folder is made.
    dataset = load(data)
    periode = dataset.periode(periode)
    city_profile = load_profile(profil if profil is not None else data)
    codes = list(dataset.opd["kode_opd"].astype("str"))
    if kode_opd:
        missing = [c for c in kode_opd if c not in codes]
        if missing:
            raise UsageError(f"kode OPD tidak ada di tabel opd: {', '.join(missing)}")
        codes = [c for c in codes if c in set(kode_opd)]

    # Workers start their kernels while the parent scores.
    context = multiprocessing.get_context("spawn")
    tasks, results = context.Queue(), context.Queue()
    folder = Path(out) / file_stem(periode)
    # Named after this process: what a killed batch left here is removed by the next one.
    staging = new_staging(folder, ".sementara-")
    processes: list = []
    cluster = contextlib.ExitStack()
    workspace = None
    finished = False
    try:
        config = {
            "staging": str(staging),
            "folder": str(folder),
            "formats": formats,
            "timeout": float(timeout),
        }
        if dask is None:
            workspace = new_staging(tempfile.gettempdir(), "asn-eval-batch-", private=True)
            processes += [
                context.Process(target=worker, args=(tasks, results, config), daemon=True)
                for _ in range(workers)
            ]
            for process in processes:
                process.start()
        else:
            from asn_eval.batch import on_cluster

            # Where the cluster's workers read and write: beside the reports, not in /tmp.
            workspace = new_staging(folder, ".kota-", private=True)
            client = on_cluster.connect(cluster, dask)
        decisions = Path(keputusan) if keputusan is not None else default_path(data)
        previous = read_manifest(folder) if resume else {}
        about = {
            "periode": str(periode),
            "skema": scheme.nama,
            "data": str(Path(data).resolve()),
            "format": formats,
            "anonim": anonim,
            "bahasa": bahasa,
            "tanda": signature(
                dataset, scheme, anonim, bahasa, notebooks, decisions, profil=city_profile
            ),
            "dibuat": datetime.now(UTC).isoformat(timespec="seconds"),
            "zona_waktu": city_profile.zona_waktu if city_profile else "WIB",
            "pemerintah": city_profile.pemerintah if city_profile else None,
            "keputusan": _decisions_head(decisions),
        }
        key = None
        if anonim:
            key_file = folder / ".kunci-anonim"
            key = key_file.read_text().strip() if resume and key_file.exists() else new_key()
        city = CityResults.compute(
            dataset, periode, scheme, key=key, keputusan=decisions, profil=profil
        )
        instansi = instansi_stems(city)
        with writing(workspace):
            city.save(workspace)
            for kode, stem in instansi.items():  # each instansi as if alone, for its overview
                city.for_instansi(kode, keputusan=decisions).save(workspace / "instansi" / stem)
        base = {
            "periode": str(periode),
            "data": str(Path(data).resolve()),
            "skema": str(scheme.path) if scheme.path else scheme.nama,
            "anonim": anonim,
            "bahasa": bahasa,
            "batch": str(workspace),
        }
        planned = _plan(city, codes, notebooks, base, instansi)
        if previous and previous_signature(folder) != about["tanda"]:
            previous = {}  # the data or options changed: everything is redone
        todo, kept = [], {}
        for job in planned:
            before = previous.get(job.name)
            if (
                before is not None
                and before.status == "berhasil"
                and all((folder / f).exists() for f in expected_files(job.name, formats))
            ):
                kept[job.name] = before
            else:
                todo.append(job)
        if anonim and key is not None:
            write_text(folder / ".kunci-anonim", key)
        for job in planned:
            if job.name in kept:
                kept[job.name].empty = job.empty

        def record(done: dict[str, JobResult]) -> None:
            """Rewrite the manifest with every report finished so far (durable for --resume)."""
            so_far = [kept.get(j.name) or done.get(j.name) for j in planned]
            write_manifest(folder, [r for r in so_far if r is not None], about)

        record({})
        prepared = time.perf_counter() - started
        if dask is None:
            messages = _from_workers(todo, tasks, results, processes)
        else:
            messages = on_cluster.reports(client, todo, config)
        try:
            done = _execute(todo, messages, folder, staging, formats, progress, record)
        except WriteError as error:
            raise WriteError(f"{error} {RESUME_HINT}", error.errno, error.filename) from error
        names = dict(
            zip(
                city.data.opd["kode_opd"].astype("str"),
                city.data.opd["nama_opd"].astype("str"),
                strict=True,
            )
        )
        names[OVERVIEW] = "Ikhtisar semua instansi" if instansi else "Ikhtisar kota"
        government = instansi_names(city.data.tables)
        names.update({stem: f"Ikhtisar {government[k]}" for k, stem in instansi.items()})
        ordered = []
        for job in planned:
            result = kept.get(job.name) or done[job.name]
            result.empty = job.empty
            ordered.append(result)
        failed_dir = folder / "gagal"
        if failed_dir.is_dir() and not any(failed_dir.iterdir()):
            failed_dir.rmdir()
        write_manifest(folder, ordered, about)
        seconds = time.perf_counter() - started
        grouped = {k: (government[k], stem) for k, stem in instansi.items()}
        write_index(folder, ordered, about, names, seconds, grouped)
        finished = True
        return BatchResult(folder, ordered, seconds, prepared, skipped=list(kept))
    finally:
        _stop(processes, tasks, finished)
        cluster.close()
        shutil.rmtree(staging, ignore_errors=True)
        if workspace is not None:
            shutil.rmtree(workspace, ignore_errors=True)


def _stop(processes: list, tasks, finished: bool) -> None:
    """End the workers: idle ones after a finished batch, or at once after an error or a stop.

    SIGTERM (not SIGKILL) first, so each worker kills its kernel.
    """
    processes = [p for p in processes if p.pid is not None]  # stopped before all had started
    if finished:
        for _ in processes:
            tasks.put(None)
    for process in processes:
        if not finished and process.is_alive():
            process.terminate()
        process.join(timeout=30 if finished else 10)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


def _from_workers(todo: list[Job], tasks, results, processes) -> Iterator[dict]:
    """Hand the jobs to the worker processes (largest first); yield each outcome as it comes."""
    for job in sorted(todo, key=lambda j: -j.weight):
        tasks.put(asdict(job))
    received = lost = 0
    while received < len(todo):
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
            say(f"peringatan: satu pekerja berhenti: {message['worker_error']}", sys.stderr)
            if lost == len(processes):
                raise BatchError("tidak ada pekerja yang bisa menjalankan kernel Jupyter")
            continue
        received += 1
        yield message


def _execute(
    todo: list[Job],
    messages: Iterator[dict],
    folder: Path,
    staging: Path,
    formats: Sequence[str],
    progress: bool,
    record: Callable[[dict[str, JobResult]], None],
) -> dict[str, JobResult]:
    """Publish and record each outcome of ``messages`` (one per job) the moment it arrives.

    ``messages`` runs the jobs: worker processes (:func:`_from_workers`) or a Dask cluster
    (:func:`asn_eval.batch.on_cluster.reports`); it is closed when this returns or raises.
    ``record`` gets every result so far after each one (the manifest, for ``--resume``). A disk
    fault (:data:`DISK_FAULTS`) stops the batch with a :class:`WriteError` once recorded.
    """
    from tqdm.auto import tqdm

    by_name = {job.name: job for job in todo}
    done: dict[str, JobResult] = {}
    printer: list = []
    # A reader of stderr that leaves (`2>&1 | head`) silences the bar, not the batch.
    shown = QuietWhenClosed(sys.stderr)
    bar = tqdm(total=len(todo), desc="laporan", unit="nb", disable=not progress, file=shown)
    try:
        for message in messages:
            job = by_name[message["name"]]
            result, fault = _publish(job, message, folder, staging, formats, printer)
            done[job.name] = result
            try:
                record(done)
            except WriteError:
                if fault not in DISK_FAULTS:
                    raise  # else the report's own file is the one to name
            if fault in DISK_FAULTS:
                raise WriteError(result.error, fault)
            bar.update(1)
            bar.set_postfix(gagal=sum(r.status == "gagal" for r in done.values()))
    finally:
        with contextlib.suppress(Exception):
            messages.close()  # jobs not yet run are not started
        bar.close()
        if printer:
            printer[0].__exit__(None, None, None)
    return done


def _publish(
    job: Job, message: dict, folder: Path, staging: Path, formats: Sequence[str], printer: list
) -> tuple[JobResult, int | None]:
    """Print the PDF, move a report's files into place (all or none) or keep a failed notebook.

    Returns the job's result and, when a file could not be written, its ``errno`` (the result's
    error then names the file at its place in ``folder``).
    """
    result = JobResult(
        job.name, job.kode_opd or "", message["status"], round(message["seconds"], 2)
    )
    result.error = message["error"]
    result.cell_seconds = round(message.get("cell_seconds", 0.0), 2)
    fault = message.get("errno")
    if result.status == "berhasil" and "pdf" in formats:
        pdf = f"{job.name}.pdf"
        try:
            if not printer:
                from asn_eval.batch.publish import PdfPrinter

                printer.append(PdfPrinter().__enter__())
            started = time.perf_counter()
            printer[0].print_pdf(staging / f"{job.name}.html", staging / pdf)
            result.seconds = round(result.seconds + time.perf_counter() - started, 2)
            message["outputs"].append(pdf)
        except WriteError as error:
            result.status, fault = "gagal", error.errno
            result.error = str(write_error(folder / pdf, error))
        except Exception as error:
            result.status = "gagal"
            result.error = "PDF: " + error_line(error)
    if result.status == "berhasil":
        wanted = expected_files(job.name, formats)
        made = [n for n in wanted if n in message["outputs"]]
        try:
            move_into(staging, folder, made)
        except WriteError as error:
            result.status, result.error, fault = "gagal", str(error), error.errno
        else:
            result.outputs = made
            (folder / "gagal" / f"{job.name}.ipynb").unlink(missing_ok=True)
    if result.status != "berhasil" and message.get("failed_notebook"):
        kept = folder / "gagal" / f"{job.name}.ipynb"
        try:
            with writing(kept):
                kept.parent.mkdir(exist_ok=True)
                os.replace(message["failed_notebook"], kept)
            result.outputs = [f"gagal/{job.name}.ipynb"]
        except WriteError:
            pass  # the failure itself is recorded; its notebook could not be kept
    return result, fault


def _decisions_head(decisions: Path) -> str:
    """Say which decisions a batch used, as the head of their chain ("" when there are none).

    Written on the index page, so the forum's minutes can quote it and an auditor can later run
    ``asn-eval decisions verify BERKAS --sampai KEPALA`` (issue 12: decisions audited without the
    app).
    """
    if not decisions.exists():
        return ""
    from asn_eval.decisions import DecisionStore

    with DecisionStore(decisions, access="auto") as store:  # verified on opening
        head = store.head()
    return f"{decisions} ({head})"
