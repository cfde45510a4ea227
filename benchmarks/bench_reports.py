"""Benchmark the report batch against a plain loop of Papermill calls, on the sample city.

Prints figures; fails on nothing. Both sides make the same reports (every OPD of the sample city
and the city overview, HTML with code hidden) from the same data, in the same run:

- **batch**: ``asn_eval.batch.runner.run_reports`` (warm kernels reused and restored between
  reports, the city scored once, conversions in the workers);
- **plain loop**: for each notebook, ``papermill.execute_notebook`` (a fresh kernel each, the
  notebook scoring the city itself, as a notebook run on its own does), then nbconvert's
  ``HTMLExporter`` with code hidden, one after the other.

Also printed: the share of the batch's worker time spent outside the notebooks' own cells
(kernel round trips, parameters, conversion), from Papermill's per-cell durations.

    .venv/bin/python benchmarks/bench_reports.py [--data data/sample] [--periode 2025]
        [--loop N]   # time the plain loop on N notebooks and scale (default: all)
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def plain_loop(data: Path, periode: str, codes: list[str], out: Path) -> tuple[float, int]:
    """Run each notebook with a fresh kernel and convert it, one after the other."""
    import papermill
    from nbconvert import HTMLExporter

    notebooks = ROOT / "notebooks"
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True)
    started = time.perf_counter()
    jobs = [("ikhtisar-kota", notebooks / "ikhtisar-kota.ipynb", {})]
    jobs += [(code, notebooks / "laporan-opd.ipynb", {"kode_opd": code}) for code in codes]
    out.mkdir(parents=True, exist_ok=True)
    for name, notebook, extra in jobs:
        executed = out / f"{name}.ipynb"
        papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters={"periode": periode, "data": str(data.resolve()), **extra},
            kernel_name="python3",
            progress_bar=False,
        )
        body, _ = exporter.from_filename(str(executed))
        (out / f"{name}.html").write_text(body, encoding="utf-8")
    return time.perf_counter() - started, len(jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    parser.add_argument("--periode", default="2025")
    parser.add_argument("--loop", type=int, default=0, help="plain loop on N notebooks, scaled")
    args = parser.parse_args()
    if not (args.data / "pegawai.csv").exists() and not (args.data / "pegawai.parquet").exists():
        sys.exit(f"{args.data}: no sample city; run `python3 tasks.py demo` first")

    import asn_eval
    from asn_eval.batch.runner import run_reports

    work = Path(tempfile.mkdtemp(prefix="asn-bench-reports-"))
    os.environ["ASN_EVAL_CACHE"] = str(work / "cache")
    try:
        asn_eval.load(args.data)  # both sides start from a warm load cache
        codes = list(asn_eval.load(args.data).opd["kode_opd"].astype("str"))
        print(
            f"sample city: {len(codes)} OPD + overview, periode {args.periode}, "
            f"{os.cpu_count()} cores"
        )

        batch = run_reports(
            args.data, args.periode, out=work / "batch", formats=["html"], progress=False
        )
        failed = len(batch.failed)
        workers = os.cpu_count() or 1
        cells = sum(r.cell_seconds for r in batch.results)
        busy = sum(r.seconds for r in batch.results)
        print(
            f"batch:      {len(batch.results)} reports in {batch.seconds:6.1f} s "
            f"(preparation {batch.prepare_seconds:.1f} s, {failed} failed)"
        )
        print(
            f"            worker time {busy:.1f} s, of which notebook cells {cells:.1f} s; "
            f"outside the cells: {1 - cells / (batch.seconds * workers):.0%} of "
            f"{workers} workers × wall time"
        )

        loop_codes = codes[: args.loop - 1] if args.loop else codes
        seconds, count = plain_loop(args.data, args.periode, loop_codes, work / "loop")
        scaled = seconds / count * len(batch.results)
        note = "" if count == len(batch.results) else f" (measured {count}, scaled)"
        print(
            f"plain loop: {len(batch.results)} reports in {scaled:6.1f} s{note}, "
            f"{seconds / count:.2f} s per notebook"
        )
        print(f"ratio:      {scaled / batch.seconds:.1f}× faster than the plain loop")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
