"""Benchmark ``asn-eval analyze``: one process beside ``--dask local:N``, of a folder and a store.

Prints figures; fails on nothing but a command that fails. A city is generated once (Parquet),
its load cache warmed (``validate``) and converted to a store; then ``analyze`` runs as its own
process three times: alone on the folder, with ``--dask local:N`` on the folder (the client loads
the folder whole, each worker once), and with ``--dask local:N`` on the store (the client reads
only ``instansi``, ``opd`` and ``pegawai``; each task its agencies' partitions). Each line gives
the wall time, the peak of the whole process tree's resident memory (command, scheduler and
workers; :func:`bench_dask.measure`, sampled every 0.2 s), the peak of the command's own process
and of its largest other process, the CPU time of the tree, and the ratio to one process. The
tables written are then compared: every one must equal one process's (floats within 1e-12).

The machine's cores may be shared: wall times are noisy, CPU seconds less so.

    .venv/bin/python benchmarks/bench_analysis_dask.py                   # 20,000 employees
    .venv/bin/python benchmarks/bench_analysis_dask.py --pegawai 100000 --instansi 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dask import TOOL, Measured, measure  # the shared sampler of the process tree

from asn_eval.analysis.run import TABLES


def step(argv: list[str], env: dict[str, str]) -> Measured:
    """Run and measure one command; stop the benchmark when it fails."""
    done = measure([str(a) for a in argv], env)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, argv))}\n{done.stderr[-3000:]}")
    return done


def same_tables(one: Path, other: Path) -> int:
    """How many of the analysis tables in ``other`` equal those in ``one``."""
    equal = 0
    for name in TABLES:
        try:
            pd.testing.assert_frame_equal(
                pd.read_parquet(other / f"{name}.parquet"),
                pd.read_parquet(one / f"{name}.parquet"),
                check_exact=False,
                rtol=1e-12,
                atol=0,
            )
        except AssertionError as error:
            print(f"  {name} differs: {str(error)[:300]}")
            continue
        equal += 1
    return equal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pegawai", type=int, default=20_000)
    parser.add_argument("--instansi", type=int, default=0, help="0: one city")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--periode", default="2025")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="asn-bench-analysis-dask-"))
    env = {**os.environ, "ASN_EVAL_CACHE": str(work / "cache")}
    try:
        print(
            f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
            f"{args.pegawai:,} employees, period {args.periode}"
        )
        data, store = work / "kota", work / "store"
        extra = ["--instansi", str(args.instansi)] if args.instansi else []
        made = step(
            [TOOL, "sample-data", "--out", data, "--pegawai", args.pegawai, "--format",
             "parquet", "--tanpa-xlsx", *extra],
            env,
        )  # fmt: skip
        print(f"generated in {made.seconds:.1f} s")
        step([TOOL, "validate", data], env)  # the load cache, warm for every run below
        step([TOOL, "convert", data, "--out", store], env)
        cluster = ["--dask", f"local:{args.workers}"]

        def analyze(source: Path, out: str, *more: str) -> Measured:
            return step([TOOL, "analyze", source, "--periode", args.periode, "--out", work / out,
                         *more], env)  # fmt: skip

        runs = {
            "one process": analyze(data, "satu"),
            f"--dask local:{args.workers}, folder": analyze(data, "dask", *cluster),
            f"--dask local:{args.workers}, store": analyze(store, "store-out", *cluster),
        }
        base = runs["one process"]
        print(
            f"{'analyze':<26} {'wall s':>7} {'× one':>6} {'tree GiB':>9} {'× one':>6} "
            f"{'client GiB':>10} {'worker GiB':>10} {'CPU s':>7} {'procs':>5}"
        )
        for label, m in runs.items():
            print(
                f"{label:<26} {m.seconds:7.1f} {m.seconds / base.seconds:6.2f} "
                f"{m.peak_gib:9.2f} {m.peak_gib / base.peak_gib:6.2f} {m.peak_main_gib:10.2f} "
                f"{m.peak_other_gib:10.2f} {m.cpu_seconds:7.1f} {m.processes:5d}"
            )
        for out in ("dask", "store-out"):
            print(f"tables equal to one process ({out}): {same_tables(work / 'satu', work / out)}"
                  f"/{len(TABLES)}")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
