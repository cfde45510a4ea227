"""Benchmark the foundation: sample generation, first load (parse + check) and cached reload.

Prints figures; fails on nothing. Every step runs in a fresh subprocess so that its peak memory
(``ru_maxrss``) is its own. Baselines measured in the same run:

- load: the bare read of the same files with pyarrow (``pyarrow.csv.read_csv`` /
  ``pyarrow.parquet.read_table``; a workbook with python-calamine), no checks; the ratio says
  what parsing and validation cost on top of reading (issue 15 aims at ≤ 3× at 100,000);
- generation: the 100,000-employee run, to show how cost grows to 1,000,000 (10× is linear).

- ``--vs REV``: the first load again with the package as it was at git revision ``REV`` (a
  worktree made for the run), so a change to the loader prints its speed against the code before;
  ``--repeat N`` takes the median of N first loads on each side and of N bare reads, taken in
  rounds of the three in random order, each after a ``--pause`` (see :func:`loads`);
  ``--warm GIB`` measures on memory just in use instead of memory handed back.

    .venv/bin/python benchmarks/bench_foundation.py            # 2,500 / 100,000 / 1,000,000
    .venv/bin/python benchmarks/bench_foundation.py --quick    # 2,500 / 100,000 only
    .venv/bin/python benchmarks/bench_foundation.py --quick --vs main~3
    .venv/bin/python benchmarks/bench_foundation.py --data DIR --vs main --repeat 3  # kept data
    .venv/bin/python benchmarks/bench_foundation.py --data DIR --vs main --repeat 5 --warm 3
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from harness import run_child

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    started = time.perf_counter()
    job = json.loads(sys.argv[1])
    import pandas as pd
    import asn_eval
    from asn_eval.sample import generator as sample
    from pathlib import Path
    imported = time.perf_counter()
    if job["do"] == "generate":
        workbook = Path(job["workbook"]) if job.get("workbook") else None
        sample.write_sample(Path(job["out"]), n_pegawai=job["n"], seed=2025,
                            format=job["format"], workbook=workbook)
    elif job["do"] == "load":
        dataset = asn_eval.load(job["path"])
        rows = sum(len(f) for f in dataset.tables.values())
        returned = time.perf_counter()
        try:  # the cache is written after load returns; the process waits for it
            from asn_eval.input.dataset import wait_for_cache
        except ImportError:  # a revision that wrote it before returning
            pass
        else:
            wait_for_cache()
    elif job["do"] == "bare":
        rows = 0
        for path in sorted(Path(job["path"]).iterdir()):
            if path.suffix == ".csv":
                import pyarrow.csv as pacsv
                rows += pacsv.read_csv(path).num_rows
            elif path.suffix == ".parquet":
                import pyarrow.parquet as pq
                rows += pq.read_table(path).num_rows
            elif path.suffix == ".xlsx":
                rows += sum(len(f) for f in pd.read_excel(path, sheet_name=None,
                                                           engine="calamine").values())
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(json.dumps({"seconds": locals().get("returned", done) - imported,
                      "finished": done - imported, "peak_gib": peak, "rows": locals().get("rows")}))
    """
)


def size_on_disk(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024 / 1024


TOUCH = "import sys, numpy as np; np.ones(int(float(sys.argv[1]) * 2**30) // 8)[:] = 2"
"""A process that takes ``argv[1]`` GiB of fresh memory, writes it and gives it back (--warm)."""


def loads(
    path: Path,
    cache: Path,
    baseline: tuple[Path, Path] | None,
    times: int,
    pause: float,
    warm: float = 0.0,
) -> tuple[dict, dict, dict | None]:
    """Read ``path`` bare, load it, and load it with the baseline, ``times`` times each, in turn.

    Each round runs the three in a random order (seeded), after a pause of ``pause`` seconds:
    a process that starts right after another one takes the memory that one freed, and is faster
    for it (a fixed order once showed a change 0.64 × as fast that was as fast as before); the
    machine's drift over a run (the bare read went from 1.0 to 0.5 s in an hour here) falls on
    all three alike. Each load starts from an empty cache; the last one's cache is left in
    ``cache`` for the cached load that follows. With ``warm`` (GiB), a process takes that much
    fresh memory and gives it back just before each run: the run then finds memory the machine
    has just had in use, which on this VM costs far less than memory it handed back (up to
    2 s per GiB), as on a machine that is busy all day. Both conditions are worth knowing.

    Returns
    -------
    bare, first, versus : dict
        The median run of each (by time); ``versus`` None without a baseline.
    """
    runs: dict[str, list[dict]] = {"bare": [], "first": [], "versus": []}
    unused = cache.parent / "cache-unused"
    order = random.Random(2025)
    for _ in range(times):
        kinds = ["bare", "first"] + (["versus"] if baseline is not None else [])
        order.shuffle(kinds)
        for kind in kinds:
            time.sleep(pause)
            if warm:
                subprocess.run([sys.executable, "-c", TOUCH, str(warm)], check=True)
            if kind == "bare":
                runs[kind].append(run_child(CHILD, {"do": "bare", "path": str(path)}, unused))
                continue
            code_from, folder = baseline if kind == "versus" else (None, cache)
            shutil.rmtree(folder, ignore_errors=True)
            job = {"do": "load", "path": str(path)}
            runs[kind].append(run_child(CHILD, job, folder, code_from))
    median = {
        kind: sorted(done, key=lambda run: run["seconds"])[len(done) // 2]
        for kind, done in runs.items()
        if done
    }
    return median["bare"], median["first"], median.get("versus")


def _format_of(folder: Path) -> str:
    """Name the format of a kept dataset's table files (the most common suffix)."""
    suffixes = [p.suffix.lstrip(".") for p in folder.iterdir() if p.suffix in (".csv", ".parquet")]
    return max(set(suffixes), key=suffixes.count, default="xlsx")


class _Name(str):
    """A dataset folder's name where the table shows a number of employees."""

    def __format__(self, spec: str) -> str:
        return format(str(self), spec.replace(",", ""))


def _shown(n: int | Path) -> int | _Name:
    return _Name(n.name) if isinstance(n, Path) else n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip 1,000,000 employees")
    parser.add_argument("--keep", type=Path, help="keep the generated data in this folder")
    parser.add_argument(
        "--load-max",
        type=int,
        default=100_000,
        help="largest size whose load is measured (a full year of 1M employees' data needs"
        " more memory than a 24 GiB machine has to check in one piece)",
    )
    parser.add_argument("--vs", metavar="REV", help="also load with the package at git REV")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="bare reads and first loads per measure; the median is shown",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=3.0,
        help="seconds to wait before each bare read and first load, so that none takes the "
        "memory the one before freed (this machine hands freed memory back after ~2 s)",
    )
    parser.add_argument(
        "--warm",
        type=float,
        default=0.0,
        metavar="GIB",
        help="before each bare read and first load, let a process take and give back GIB of "
        "memory, so that the run finds memory just in use (cheap on this VM) instead of memory "
        "handed back (dear); 0, the default, measures the latter",
    )
    parser.add_argument(
        "--data",
        type=Path,
        action="append",
        help="measure only the load of this dataset folder, as it is (no generation); repeatable",
    )
    args = parser.parse_args()
    timing = (args.repeat, args.pause, args.warm)  # how loads() measures
    sizes = [(2_500, "csv"), (100_000, "parquet")] + (
        [] if args.quick else [(1_000_000, "parquet")]
    )
    if args.data:
        sizes = [(folder.resolve(), _format_of(folder)) for folder in args.data]
    work = Path(args.keep or tempfile.mkdtemp(prefix="asn-bench-"))
    root = Path(__file__).resolve().parents[1]
    baseline = work / "baseline"
    if args.vs:
        shutil.rmtree(baseline, ignore_errors=True)
        subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "--detach", str(baseline), args.vs],
            check=True,
            capture_output=True,
        )
    versus: dict[tuple[int | Path, str], dict | None] = {}

    def against(cache: Path) -> tuple[Path, Path] | None:
        """The baseline's package and its own cache folder (None without ``--vs``)."""
        return (baseline, cache) if args.vs else None

    rows = []
    generation: dict[int, float] = {}
    try:
        for n, fmt in sizes:
            if isinstance(n, Path):  # a kept dataset: its load only, with the same baselines
                cache, old = work / f"cache-{n.name}", work / f"cache-{n.name}-vs"
                bare, first, versus[n, fmt] = loads(n, cache, against(old), *timing)
                again = run_child(CHILD, {"do": "load", "path": str(n)}, cache)
                rows.append((n, fmt, None, size_on_disk(n), bare, first, again))
                continue
            out = work / f"n{n}"
            shutil.rmtree(out, ignore_errors=True)
            workbook = work / f"n{n}-xlsx" / "sample.xlsx" if n <= 2_500 else None
            if workbook:
                shutil.rmtree(workbook.parent, ignore_errors=True)
            job = {"do": "generate", "n": n, "out": str(out), "format": fmt}
            if workbook:
                job["workbook"] = str(workbook)
            gen = run_child(CHILD, job, work / "cache-unused")
            generation[n] = gen["seconds"]
            if n > args.load_max:
                rows.append((n, fmt, gen, size_on_disk(out), None, None, None))
                continue
            cache, old = work / f"cache-{n}", work / f"cache-{n}-vs"
            bare, first, versus[n, fmt] = loads(out, cache, against(old), *timing)
            again = run_child(CHILD, {"do": "load", "path": str(out)}, work / f"cache-{n}")
            rows.append((n, fmt, gen, size_on_disk(out), bare, first, again))
            if workbook:
                book = workbook.parent
                book_cache, old = work / f"cache-{n}-xlsx", work / f"cache-{n}-xlsx-vs"
                bare_x, first_x, versus[n, "xlsx"] = loads(book, book_cache, against(old), *timing)
                again_x = run_child(CHILD, {"do": "load", "path": str(book)}, book_cache)
                rows.append((n, "xlsx", None, size_on_disk(book), bare_x, first_x, again_x))
    finally:
        if args.vs:
            subprocess.run(
                ["git", "-C", str(root), "worktree", "remove", "--force", str(baseline)],
                check=False,
                capture_output=True,
            )
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"\nasn-eval foundation benchmark ({os.cpu_count()} cores)\n")
    header = (
        f"{'pegawai':>10} {'format':>7} {'rows':>12} {'disk MiB':>9} {'gen s':>7} {'gen GiB':>8}"
        f" {'bare s':>7} {'load s':>7} {'done s':>7} {'load GiB':>9} {'load/bare':>9}"
        f" {'done/bare':>9} {'cached s':>9} {'cached/load':>11}"
    )
    print(header)
    print("-" * len(header))
    for n, fmt, gen, disk, bare, first, again in rows:
        n = _shown(n)
        gen_s = f"{gen['seconds']:7.1f}" if gen else f"{'':>7}"
        gen_m = f"{gen['peak_gib']:8.2f}" if gen else f"{'':>8}"
        if first is None:
            print(f"{n:>10,} {fmt:>7} {'':>12} {disk:>9.1f} {gen_s} {gen_m}   (load not measured)")
            continue
        print(
            f"{n:>10,} {fmt:>7} {first['rows']:>12,} {disk:>9.1f} {gen_s} {gen_m}"
            f" {bare['seconds']:>7.2f} {first['seconds']:>7.2f} {first['finished']:>7.2f}"
            f" {first['peak_gib']:>9.2f} {first['seconds'] / bare['seconds']:>9.2f}"
            f" {first['finished'] / bare['seconds']:>9.2f} {again['seconds']:>9.3f}"
            f" {again['seconds'] / first['seconds']:>11.3f}"
        )
    versus = {key: old for key, old in versus.items() if old is not None}
    if versus:
        print(f"\nfirst load against {args.vs} (same data, same run):")
        for (n, fmt), old in versus.items():
            new, bare = next((r[5], r[4]) for r in rows if r[0] == n and r[1] == fmt)
            for what, key in (("load returned", "seconds"), ("process done", "finished")):
                print(
                    f"{_shown(n):>10,} {fmt:>7} {what:>13}  {args.vs}: {old[key]:7.2f} s"
                    f" ({old[key] / bare['seconds']:.2f}× bare, {old['peak_gib']:.2f} GiB)"
                    f"   now: {new[key]:7.2f} s"
                    f" ({new[key] / bare['seconds']:.2f}× bare, {new['peak_gib']:.2f} GiB)"
                    f"   now/{args.vs} = {new[key] / old[key]:.2f}"
                )
    if 100_000 in generation and 1_000_000 in generation:
        ratio = generation[1_000_000] / generation[100_000]
        print(f"\ngeneration 1,000,000 / 100,000 = {ratio:.1f}× (10× is linear)")
    print(
        "\nload = parse + check until load returns, in a fresh process, imports excluded;"
        " done = until the cache is written too (after load returns, in a thread of its own);"
        " bare = pyarrow reading the same files (calamine for a workbook), no checks;"
        " cached = second load; each a median of --repeat runs (done: of the run with the"
        " median load)."
    )


if __name__ == "__main__":
    main()
