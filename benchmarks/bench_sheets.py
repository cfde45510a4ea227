"""Benchmark the employee sheets (``asn-eval sheets``) against making them one by one.

Prints figures; fails on nothing. Every side makes the same sheets (HTML and one-page A4 PDF)
of the sample city, in the same run:

- **batch**: :func:`asn_eval.batch.sheets.run_sheets` for everyone (the city scored once, sheets
  filled from it, PDFs printed in chunks by two Chromiums while the next sheets are made, then
  cut per employee);
- **a browser per employee**: the batch's own HTML of a sheet printed by a Chromium started for
  that employee alone (what a script calling a "print this page" tool per file does); measured
  on ``--sample`` employees and scaled to all;
- **a notebook per employee**: Papermill runs a notebook with the employee's NIP as parameter
  (load the data, score, fill that employee's sheet, write its HTML; a fresh kernel each, as
  ``papermill`` does), then a browser prints it; measured on ``--sample-notebook`` employees and
  scaled.

    .venv/bin/python benchmarks/bench_sheets.py [--data data/sample] [--periode 2025-TW2]
        [--sample 8] [--sample-notebook 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOK_CODE = """
from pathlib import Path
from asn_eval.batch.sheets import run_sheets
run_sheets(data, periode, out=Path(out), nip=[nip], formats=["html"])
"""


def browser_per_employee(pages: list[Path], out: Path) -> float:
    """Print each page with a Chromium started for it; return seconds per employee."""
    from playwright.sync_api import sync_playwright

    from asn_eval.batch.chromium import CHROMIUM_ARGS, require_chromium

    chromium = require_chromium()
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with sync_playwright() as playwright:
        for page_file in pages:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=list(CHROMIUM_ARGS)
            )
            page = browser.new_page()
            page.goto(page_file.resolve().as_uri(), wait_until="load")
            (out / f"{page_file.stem}.pdf").write_bytes(
                page.pdf(print_background=True, prefer_css_page_size=True)
            )
            browser.close()
    return (time.perf_counter() - started) / len(pages)


def notebook_per_employee(data: Path, periode: str, nips: list[str], out: Path) -> float:
    """Run a parameterised notebook per employee, then print its sheet; seconds per employee."""
    import nbformat
    import papermill

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "language": "python",
        "display_name": "Python 3",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    parameters = nbformat.v4.new_code_cell(
        "data = ''\nperiode = ''\nnip = ''\nout = ''", metadata={"tags": ["parameters"]}
    )
    notebook.cells = [parameters, nbformat.v4.new_code_cell(NOTEBOOK_CODE)]
    source = out / "lembar.ipynb"
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, source)
    started = time.perf_counter()
    pages = []
    for nip in nips:
        folder = out / nip
        papermill.execute_notebook(
            str(source),
            str(out / f"{nip}.ipynb"),
            parameters={
                "data": str(data.resolve()),
                "periode": periode,
                "nip": nip,
                "out": str(folder),
            },
            kernel_name="python3",
            progress_bar=False,
        )
        pages += [p for p in folder.glob("*/*.html") if p.name != "index.html"]
    printing = browser_per_employee(pages, out / "pdf") * len(pages)
    return (time.perf_counter() - started - printing) / len(nips) + printing / len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    parser.add_argument("--periode", default="2025-TW2")
    parser.add_argument("--sample", type=int, default=8, help="employees for a browser each")
    parser.add_argument(
        "--sample-notebook", type=int, default=2, help="employees for a notebook each"
    )
    args = parser.parse_args()
    if not (args.data / "pegawai.csv").exists() and not (args.data / "pegawai.parquet").exists():
        sys.exit(f"{args.data}: no sample city; run `python3 tasks.py demo` first")

    import asn_eval
    from asn_eval.batch.sheets import run_sheets

    work = Path(tempfile.mkdtemp(prefix="asn-bench-sheets-"))
    os.environ["ASN_EVAL_CACHE"] = str(work / "cache")
    try:
        asn_eval.load(args.data)  # every side starts from a warm load cache
        print(f"sample city, periode {args.periode}, {os.cpu_count()} cores")
        batch = run_sheets(args.data, args.periode, out=work / "batch")
        n = batch.count
        print(
            f"batch:                 {n} sheets (HTML + PDF) in {batch.seconds:6.1f} s "
            f"({batch.seconds / n * 1000:.1f} ms each; {batch.zoomed} scaled to fit, "
            f"{batch.multi_page} longer than a page)"
        )
        pages = sorted(p for p in (work / "batch").glob("*/*.html") if p.name != "index.html")
        step = max(1, len(pages) // args.sample)
        each = browser_per_employee(pages[::step][: args.sample], work / "browser")
        print(
            f"a browser per employee: {n} sheets in {each * n:6.1f} s (measured "
            f"{args.sample}, scaled; {each:.2f} s each)   ratio {each * n / batch.seconds:.1f}×"
        )
        if args.sample_notebook:
            nips = [p.stem for p in pages[::step][: args.sample_notebook]]
            each = notebook_per_employee(args.data, args.periode, nips, work / "notebook")
            print(
                f"a notebook per employee: {n} sheets in {each * n:6.0f} s (measured "
                f"{len(nips)}, scaled; {each:.2f} s each)   ratio "
                f"{each * n / batch.seconds:.0f}×"
            )
        print(json.dumps({"sheets": n, "batch_s": round(batch.seconds, 2)}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
