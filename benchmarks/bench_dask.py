"""Benchmark national scale: a step in one process beside the same step on a Dask LocalCluster.

Prints figures; fails on nothing. For each size (employees), a city is generated once (Parquet),
then each step runs as its own ``asn-eval`` process, first alone, then with ``--dask local:N``;
the wall time and the peak memory of the whole process tree (the command, the scheduler and
every worker: summed resident memory, sampled every 0.2 s with psutil) are printed, with the
ratio Dask ÷ one process and the growth from the smallest size to the largest (linear = the size
ratio).

    .venv/bin/python benchmarks/bench_dask.py                      # 20,000 and 100,000
    .venv/bin/python benchmarks/bench_dask.py --sizes 100000 1000000 --workers 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
TOOL = Path(sys.executable).with_name("asn-eval")


def run_measured(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak GiB of its whole process tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(process.pid)
        while not stop.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                total = sum(p.memory_info().rss for p in tree if p.is_running())
                peak = max(peak, total / 2**30)
            except psutil.Error:
                pass
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    stop.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{err.decode()[-2000:]}")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--periode", default="2025")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="asn-bench-dask-"))
    env = {**os.environ, "ASN_EVAL_CACHE": str(work / "cache")}
    rows = []
    try:
        print(f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB")
        for n in args.sizes:
            data = work / f"kota-{n}"
            seconds, _ = run_measured(
                [str(TOOL), "sample-data", "--out", str(data), "--pegawai", str(n),
                 "--format", "parquet", "--tanpa-xlsx"],
                env,
            )  # fmt: skip
            print(f"{n:>9,} employees: generated in {seconds:6.1f} s")
            # The load cache is warmed once, so both sides start from the same state.
            run_measured([str(TOOL), "validate", str(data)], env)
            one = run_measured(
                [str(TOOL), "score", str(data), "--periode", args.periode, "--out",
                 str(work / f"satu-{n}")],
                env,
            )  # fmt: skip
            dask = run_measured(
                [str(TOOL), "score", str(data), "--periode", args.periode, "--out",
                 str(work / f"dask-{n}"), "--dask", f"local:{args.workers}"],
                env,
            )  # fmt: skip
            rows.append((n, one, dask))
            print(
                f"           score, one process: {one[0]:6.1f} s, {one[1]:5.2f} GiB | "
                f"--dask local:{args.workers}: {dask[0]:6.1f} s, {dask[1]:5.2f} GiB "
                f"(× {dask[0] / one[0]:.2f} time, × {dask[1] / one[1]:.2f} memory)"
            )
            shutil.rmtree(data, ignore_errors=True)
        if len(rows) > 1:
            (n0, one0, dask0), (n1, one1, dask1) = rows[0], rows[-1]
            print(
                f"growth {n0:,} → {n1:,} (× {n1 / n0:.0f} employees): one process × "
                f"{one1[0] / one0[0]:.1f} time, × {one1[1] / one0[1]:.1f} memory; dask × "
                f"{dask1[0] / dask0[0]:.1f} time, × {dask1[1] / dask0[1]:.1f} memory"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
