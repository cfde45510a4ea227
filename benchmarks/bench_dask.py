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
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
TOOL = Path(sys.executable).with_name("asn-eval")


@dataclass
class Measured:
    """What one command cost, its whole process tree included (cluster workers too).

    Attributes
    ----------
    seconds : float
        Wall time.
    peak_gib : float
        Peak of the tree's summed resident memory (GiB), sampled every 0.2 s.
    peak_main_gib, peak_other_gib : float
        Peak resident memory of the command's own process, and of its largest other process (a
        Dask worker or nanny), GiB.
    cpu_seconds, cpu_main_seconds : float
        CPU time (user + system) of the whole tree, and of the command's own process: the last
        sample of each process, so a process ending within 0.2 s of its last sample misses that.
    processes : int
        Most processes of the tree alive at once (1: no cluster was started).
    returncode : int
        The command's exit status (negative: killed by that signal).
    stdout, stderr : str
        What the command wrote.
    """

    seconds: float
    peak_gib: float
    peak_main_gib: float
    peak_other_gib: float
    cpu_seconds: float
    cpu_main_seconds: float
    processes: int
    returncode: int
    stdout: str
    stderr: str


def measure(
    argv: list[str],
    env: dict[str, str],
    timeout: float | None = None,
    limit_gib: float | None = None,
) -> Measured:
    """Run a command to its end and measure its whole process tree; never raises on failure.

    After ``timeout`` seconds, or once the tree holds more than ``limit_gib`` GiB (a step that
    would take a shared machine's memory), the tree is killed (its processes by pid, the workers
    first) and the record says so in ``stderr``, its ``returncode`` that of the killed command.
    """
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = peak_main = peak_other = 0.0
    most = 1
    cpu: dict[int, float] = {}
    stop = threading.Event()
    over: list[str] = []

    def kill_tree() -> None:
        with contextlib.suppress(psutil.Error):
            for child in psutil.Process(process.pid).children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    child.kill()
        process.kill()

    def sample() -> None:
        nonlocal peak, peak_main, peak_other, most
        root = psutil.Process(process.pid)
        while not stop.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                tree = []
            total, alive = 0.0, 0
            for p in tree:
                try:
                    with p.oneshot():
                        rss = p.memory_info().rss / 2**30
                        times = p.cpu_times()
                except psutil.Error:
                    continue
                alive += 1
                total += rss
                cpu[p.pid] = times.user + times.system
                if p.pid == process.pid:
                    peak_main = max(peak_main, rss)
                else:
                    peak_other = max(peak_other, rss)
            peak, most = max(peak, total), max(most, alive)
            if limit_gib is not None and total > limit_gib and not over:
                over.append(f"\n[benchmark] stopped at {total:.1f} GiB (limit {limit_gib:g} GiB)")
                kill_tree()
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_tree()
        out, err = process.communicate()
        err += f"\n[benchmark] stopped after {timeout:.0f} s".encode()
    stop.set()
    sampler.join()
    err += "".join(over).encode()
    return Measured(
        seconds=time.perf_counter() - started,
        peak_gib=peak,
        peak_main_gib=peak_main,
        peak_other_gib=peak_other,
        cpu_seconds=sum(cpu.values()),
        cpu_main_seconds=cpu.get(process.pid, 0.0),
        processes=most,
        returncode=process.returncode,
        stdout=out.decode(errors="replace"),
        stderr=err.decode(errors="replace"),
    )


def run_measured(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak GiB of its whole process tree); exit if it fails."""
    done = measure(argv, env)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
    return done.seconds, done.peak_gib


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
