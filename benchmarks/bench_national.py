"""Benchmark national scale: convert, validate, score and analyze on a Dask LocalCluster.

Prints figures; fails on nothing. For each dataset (given with ``--data``, or generated with
``sample-data --instansi`` for each of ``--sizes``: one instansi per 25,000 employees, so the
sizes differ in the number of agencies, not in their size), each step runs as its own
``asn-eval`` process, as a user runs them one after the other:

    convert DIR --out STORE --dask local
    validate STORE --dask local
    score STORE --periode 2025 --out … --dask local
    analyze STORE --periode 2025 --out … --dask local

For each step: wall time, peak memory of the whole process tree (the command, the scheduler and
every worker: :func:`bench_dask.measure`), the peak of the command's own process and of its
largest worker, CPU seconds of the tree and of the command's own process (the part that does not
spread over workers), and how many processes ran at once. A step given ``--dask`` that started
no cluster (one process) is reported as ``no cluster``: its command does not use ``--dask`` yet,
and its figures are those of the one-process path. A failed step is reported with its exit
status and the tail of its error output; the others still run.

Then: the growth from the smallest dataset to the largest per step (linear = the size ratio),
and the per-partition costs a cluster's sizing needs (seconds per agency, CPU seconds per 1,000
employees). With ``--baseline-max N`` (default 200,000), datasets up to N employees also run
every step without ``--dask`` (convert into a store of its own), and the ratio Dask ÷ one
process is printed.

    .venv/bin/python benchmarks/bench_national.py --sizes 100000 --work /work/bench-data
    .venv/bin/python benchmarks/bench_national.py \\
        --data /work/bench-data/nasional-100k /work/bench-data/nasional-1m --json hasil.json

The machine's other work makes times noisy (the load average is printed before and after each
dataset); memory is not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import psutil
from bench_dask import TOOL, Measured, measure

STEPS = ("convert", "validate", "score", "analyze")
REPORT_FORMATS = ("html", "pdf")
PER_INSTANSI = 25_000
"""Employees per generated instansi (1,000,000 → 40 instansi, as the issue's benchmark)."""


def counts(data: Path) -> dict[str, int]:
    """Rows of the ``pegawai``, ``opd`` and ``instansi`` tables of a dataset folder."""
    import pyarrow.parquet as pq

    found = {}
    for name in ("pegawai", "opd", "instansi"):
        parquet, csv = data / f"{name}.parquet", data / f"{name}.csv"
        if parquet.exists():
            found[name] = pq.ParquetFile(parquet).metadata.num_rows
        elif csv.exists():
            with csv.open("rb") as handle:
                found[name] = sum(1 for _ in handle) - 1
        else:
            found[name] = 1 if name == "instansi" else 0  # one city: one instansi
    return found


def label(n: int) -> str:
    """``100k``, ``1m``: the name of a generated dataset of ``n`` employees."""
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k"


def report_codes(data: Path, k: int) -> tuple[list[str], float]:
    """``k`` agencies spread over the ``opd`` table (qualified codes), and their mean employees."""
    import pyarrow.parquet as pq

    opd = pq.read_table(data / "opd.parquet").to_pandas()
    keys = ["kode_instansi", "kode_opd"] if "kode_instansi" in opd.columns else ["kode_opd"]
    pegawai = pq.read_table(data / "pegawai.parquet", columns=keys).to_pandas()
    code = opd[keys].astype(str).agg("/".join, axis=1)
    sizes = pegawai[keys].astype(str).agg("/".join, axis=1).value_counts()
    chosen = [code.iloc[int(i)] for i in np.linspace(0, len(code) - 1, min(k, len(code)))]
    return chosen, float(sizes.reindex(chosen).fillna(0).mean())


def report_figures(out: Path, periode: str) -> dict:
    """Seconds per agency report and per overview, from the batch's ``manifest.json``."""
    path = out / periode / "manifest.json"
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))["laporan"]
    agency = [r["detik"] for r in rows if r["kode_opd"] and r["status"] == "berhasil"]
    overview = [r["detik"] for r in rows if not r["kode_opd"] and r["status"] == "berhasil"]
    return {
        "reports": len(agency),
        "failed": sum(r["status"] != "berhasil" for r in rows),
        "seconds_per_report": sum(agency) / max(len(agency), 1),
        "overviews": len(overview),
        "seconds_per_overview": sum(overview) / max(len(overview), 1),
    }


def argv_of(
    step: str,
    data: Path,
    store: Path,
    out: Path,
    periode: str,
    dask: str | None,
    codes: list[str] | None = None,
    workbook: bool = True,
) -> list[str]:
    """The ``asn-eval`` command line of one step (score and analyze without their workbooks
    when not ``workbook``)."""
    if step == "convert":
        argv = [str(TOOL), "convert", str(data), "--out", str(store if dask else f"{store}-satu")]
        return argv + (["--dask", dask] if dask else [])
    argv = [str(TOOL), step, str(store)]
    if step in ("score", "analyze", "reports"):
        argv += ["--periode", periode, "--out", str(out / f"{step}-{'dask' if dask else 'satu'}")]
    if step in ("score", "analyze") and not workbook:
        argv += ["--tanpa-xlsx"]
    if step == "reports":
        argv += ["--format", *REPORT_FORMATS, "--diam", "--opd", *(codes or [])]
    return argv + (["--dask", dask] if dask else [])


def status(done: Measured, dask: str | None, workers: int) -> str:
    """``ok``, ``no cluster`` (given --dask, ran in one process) or ``failed (exit N)``."""
    if done.returncode != 0:
        return f"failed (exit {done.returncode})"
    if dask and done.processes < 1 + workers:
        return "no cluster"
    return "ok"


def load() -> str:
    """The load average over 1, 5 and 15 minutes."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_dataset(data: Path, args: argparse.Namespace, env: dict[str, str]) -> dict:
    """Run every step on one dataset; return its figures."""
    work = args.work / f"{data.name}-bench"
    store, out = work / "store", work / "hasil"
    if "convert" not in args.steps and (store / "asn-eval-store.json").exists():
        # steps after convert on the store an earlier run kept (--keep): only outputs go
        print(f"\n{data}: the kept store {store} is used (no convert step)", flush=True)
        for path in work.iterdir():
            if path != store:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    else:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    env = {**env, "ASN_EVAL_CACHE": str(work / "cache")}
    size = counts(data)
    result = {"data": str(data), **size, "workers": args.workers, "load_before": load()}
    result["steps"] = {}
    print(
        f"\n{data}: {size['pegawai']:,} employees, {size['opd']:,} agencies (OPD), "
        f"{size['instansi']:,} instansi; load {result['load_before']}",
        flush=True,
    )
    steps = list(args.steps) + (["reports"] if args.reports_opd else [])
    codes, employees = report_codes(data, args.reports_opd) if args.reports_opd else ([], 0.0)
    runs = [(step, args.dask) for step in steps]
    if size["pegawai"] <= args.baseline_max:
        runs += [(step, None) for step in steps]
    for step, dask in runs:
        argv = argv_of(step, data, store, out, args.periode, dask, codes, not args.tanpa_xlsx)
        done = measure(argv, env, timeout=args.timeout, limit_gib=args.memory_limit)
        state = status(done, dask, args.workers)
        key = step if dask else f"{step} (one process)"
        result["steps"][key] = {**asdict(done), "status": state, "argv": argv}
        # what a failed step said (an error of use is written to stdout), the last lines only
        said = (done.stderr.strip() or done.stdout.strip()).splitlines()[-12:]
        result["steps"][key] |= {"stdout": "", "stderr": "\n".join(said)}
        print(
            f"  {key:<24}{done.seconds:>8.1f} s{done.peak_gib:>7.2f} GiB  "
            f"(own {done.peak_main_gib:.2f}, largest worker {done.peak_other_gib:.2f}; "
            f"CPU {done.cpu_seconds:.0f} s, own {done.cpu_main_seconds:.0f} s; "
            f"{done.processes} processes)  {state}",
            flush=True,
        )
        if done.returncode != 0:
            print("\n".join(f"      | {line}" for line in said), flush=True)
        if step == "reports":
            batch = report_figures(Path(argv[argv.index("--out") + 1]), args.periode)
            batch["employees_per_opd"] = employees
            result["steps"][key]["batch"] = batch
            if batch.get("reports"):
                print(
                    f"      {batch['reports']} agency reports ({employees:,.0f} employees each on "
                    f"average; {'+'.join(REPORT_FORMATS)}): {batch['seconds_per_report']:.1f} s "
                    f"each in a worker; {batch['overviews']} overviews, "
                    f"{batch['seconds_per_overview']:.1f} s each; {batch['failed']} failed",
                    flush=True,
                )
        if step == "convert" and dask and done.returncode != 0:
            print("  (no store: the other steps are skipped)")
            break
    if store.exists():
        manifest = json.loads((store / "asn-eval-store.json").read_text())
        result["store_gib"] = sum(manifest["berkas"].values()) / 2**30
        result["store_files"] = len(manifest["berkas"])
        print(f"  store: {result['store_files']:,} files, {result['store_gib']:.2f} GiB")
    result["load_after"] = load()
    print(f"  load after: {result['load_after']}", flush=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return result


def generate(n: int, args: argparse.Namespace, env: dict[str, str]) -> tuple[Path, dict | None]:
    """Generate the dataset of ``n`` employees into ``--work`` unless it is there already."""
    instansi = max(1, n // args.per_instansi)
    name = f"nasional-{label(n)}"
    data = args.work / (name if args.per_instansi == PER_INSTANSI else f"{name}-{instansi}i")
    if (data / "planted.json").exists():
        print(f"{data}: already generated", flush=True)
        return data, None
    argv = [str(TOOL), "sample-data", "--out", str(data), "--pegawai", str(n), "--instansi"]
    argv += [str(instansi), "--format", "parquet", "--tanpa-xlsx"]
    print(f"generating {n:,} employees, {instansi} instansi (load {load()}) …", flush=True)
    done = measure(argv, env, timeout=args.timeout, limit_gib=args.memory_limit)
    disk = sum(p.stat().st_size for p in data.glob("*")) / 2**30 if data.exists() else 0.0
    print(
        f"  sample-data {done.seconds:.1f} s, peak {done.peak_gib:.2f} GiB, {disk:.2f} GiB on "
        f"disk, exit {done.returncode}",
        flush=True,
    )
    if done.returncode != 0:
        print("\n".join(f"      | {x}" for x in done.stderr.strip().splitlines()[-12:]))
    return data, {"seconds": done.seconds, "peak_gib": done.peak_gib, "disk_gib": disk}


def per_partition(results: list[dict]) -> None:
    """Print what one agency and 1,000 employees cost per step (the sizing table's inputs)."""
    print("\nper-partition cost (wall s / agency; CPU s / agency; CPU s / 1,000 employees;")
    print("share of CPU in the command's own process, which does not spread over workers;")
    print("and the peak of the largest worker process, GiB)")
    head = f"{'step':<26}{'employees':>11}{'OPD':>7}{'s/OPD':>8}{'CPU/OPD':>9}{'CPU/1k':>8}"
    print(f"{head}{'own':>6}{'worker':>8}")
    for r in results:
        for step, f in r["steps"].items():
            if f["returncode"] != 0 or step.startswith("reports"):
                continue  # reports: only some agencies, per report below
            cpu = max(f["cpu_seconds"], 1e-9)
            print(
                f"{step:<26}{r['pegawai']:>11,}{r['opd']:>7,}{f['seconds'] / r['opd']:>8.3f}"
                f"{f['cpu_seconds'] / r['opd']:>9.3f}{f['cpu_seconds'] / r['pegawai'] * 1000:>8.2f}"
                f"{f['cpu_main_seconds'] / cpu:>6.0%}{f['peak_other_gib']:>8.2f}"
            )

    for r in results:
        for step, f in r["steps"].items():
            batch = f.get("batch") or {}
            if batch.get("reports"):
                print(
                    f"{step:<26}{r['pegawai']:>11,}: {batch['seconds_per_report']:.1f} s per "
                    f"agency report of {batch['employees_per_opd']:,.0f} employees in a worker, "
                    f"{batch['seconds_per_overview']:.1f} s per overview "
                    f"({batch['overviews']}); batch {f['seconds']:.0f} s for {batch['reports']}"
                )


def fit(points: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Fit ``y = a·x1 + b·x2`` (a, b ≥ 0) by least squares over ``(x1, x2, y)`` points.

    When the points cannot tell the two apart (one point, or x2 ∝ x1), ``b`` is 0: all of the
    cost is put on ``x1``.
    """
    x = np.array([[p[0], p[1]] for p in points], dtype=float)
    y = np.array([p[2] for p in points], dtype=float)
    if len(points) > 1 and np.linalg.matrix_rank(x / x[:, :1]) > 1:
        (a, b), *_ = np.linalg.lstsq(x, y, rcond=None)
        if a >= 0 and b >= 0:
            return float(a), float(b)
        if b < 0:
            return float(y @ x[:, 0] / (x[:, 0] @ x[:, 0])), 0.0
        return 0.0, float(y @ x[:, 1] / (x[:, 1] @ x[:, 1]))
    return float(y @ x[:, 0] / (x[:, 0] @ x[:, 0])), 0.0


def line(points: list[tuple[float, float]], at: float) -> tuple[float, str]:
    """Value at ``at`` of the line through ``(x, y)`` points, and how it was found.

    Two or more distinct ``x``: least squares (``"fit"``); one: proportional to ``x`` from that
    point, never below it (``"∝"``: an upper bound when part of the cost is fixed).
    """
    xs = sorted({x for x, _ in points})
    if len(xs) > 1:
        slope, intercept = np.polyfit([x for x, _ in points], [y for _, y in points], 1)
        return float(max(intercept + slope * at, max(y for _, y in points))), "fit"
    x0 = xs[0]
    y0 = max(y for x, y in points if x == x0)
    return float(y0 * max(at / x0, 1.0)), "∝"


def sizing(results: list[dict], args: argparse.Namespace) -> None:
    """Print what ``--target-pegawai`` employees in ``--target-opd`` agencies need on a cluster.

    Per step, from every dataset measured with a cluster:

    - CPU seconds = a·(employees / 1,000) + b·agencies (:func:`fit`), for the whole tree and
      for the command's own process (the part that does not spread over workers);
    - hours on W workers (one core each, no other load) = own + (whole − own) / W;
    - memory of the largest worker: score and analyze split the agencies into 4 parts per
      worker, so a worker holds target / (4·W) employees (:func:`line` over the measured
      employees per part); convert and validate work in groups of a fixed size, so a worker
      holds what it held here;
    - memory of the command's own process (the client: referred tables, outputs, sums across
      agencies), by employees (:func:`line`).

    Reports: seconds per agency report and per overview (the batch's manifest) times the
    target's agencies and instansi (+ 1 national overview), over W workers.
    """
    target_k, target_opd = args.target_pegawai / 1000, args.target_opd
    workers = args.target_workers
    print(
        f"\nsizing for {args.target_pegawai:,} employees, {target_opd:,} agencies: hours on W "
        "workers (1 core each), peak GiB of one worker, GiB of the command's own process"
    )
    head = f"{'step':<10}{'s/1k':>6}{'s/OPD':>7}{'CPU h':>7}{'own h':>7}"
    head += "".join(f"{f'h W={w}':>8}" for w in workers)
    head += "".join(f"{f'GiB W={w}':>10}" for w in workers) + f"{'own GiB':>9}"
    print(head)
    for step in STEPS:
        done = [
            (r, r["steps"][step])
            for r in results
            if step in r["steps"]
            and r["steps"][step]["returncode"] == 0
            and r["steps"][step]["status"] == "ok"
            and "--dask" in r["steps"][step]["argv"]
        ]
        if not done:
            print(f"{step:<10}  (no run with a cluster)")
            continue
        cpu = fit([(r["pegawai"] / 1000, r["opd"], f["cpu_seconds"]) for r, f in done])
        own = fit([(r["pegawai"] / 1000, r["opd"], f["cpu_main_seconds"]) for r, f in done])
        total = cpu[0] * target_k + cpu[1] * target_opd
        serial = min(own[0] * target_k + own[1] * target_opd, total)
        text = f"{step:<10}{cpu[0]:>6.2f}{cpu[1]:>7.3f}{total / 3600:>7.1f}{serial / 3600:>7.2f}"
        text += "".join(f"{(serial + (total - serial) / w) / 3600:>8.2f}" for w in workers)
        how = set()
        for w in workers:
            if step in ("score", "analyze"):
                points = [
                    (r["pegawai"] / 1000 / (4 * r["workers"]), f["peak_other_gib"]) for r, f in done
                ]
                gib, kind = line(points, target_k / (4 * w))
            else:
                gib, kind = max(f["peak_other_gib"] for _, f in done), "="
            how.add(kind)
            text += f"{gib:>10.2f}"
        main_gib, kind = line(
            [(r["pegawai"] / 1000, f["peak_main_gib"]) for r, f in done], target_k
        )
        print(f"{text}{main_gib:>9.2f}   (workers {'/'.join(sorted(how))}, own {kind})")
    print(
        "s/1k, s/OPD: CPU seconds per 1,000 employees and per agency (fit over the datasets); "
        "GiB: fit: over datasets\nof different sizes; ∝: one size measured, scaled in "
        "proportion (an upper bound); =: groups of a fixed size, as measured"
    )
    batches = [
        (r, f["batch"])
        for r in results
        for step, f in r["steps"].items()
        if step == "reports" and (f.get("batch") or {}).get("reports")
    ]
    overviews = args.target_instansi + 1
    for r, batch in batches:
        busy = target_opd * batch["seconds_per_report"] + overviews * batch["seconds_per_overview"]
        hours = "".join(f", W={w}: {busy / w / 3600:.1f} h" for w in workers)
        print(
            f"reports as measured on {r['pegawai']:,}/{r['opd']:,} OPD: {target_opd:,} agency "
            f"reports × {batch['seconds_per_report']:.1f} s + {overviews:,} overviews × "
            f"{batch['seconds_per_overview']:.1f} s = {busy / 3600:.0f} worker-hours{hours}"
        )
    if len({r["pegawai"] for r, _ in batches}) > 1:
        # an overview reads the whole dataset's results: its cost follows the dataset's size
        each, _ = line(
            [(r["pegawai"] / 1000, b["seconds_per_overview"]) for r, b in batches], target_k
        )
        report = max(b["seconds_per_report"] for _, b in batches)
        busy = target_opd * report + overviews * each
        hours = "".join(f", W={w}: {busy / w / 3600:.1f} h" for w in workers)
        print(
            f"reports, an overview's seconds fitted by the dataset's employees: {overviews:,} "
            f"overviews × {each:,.0f} s + {target_opd:,} reports × {report:.1f} s (the largest "
            f"measured) = {busy / 3600:.0f} worker-hours{hours}"
        )


def summary(results: list[dict]) -> None:
    """Print one line per step: time and peak per dataset, then the growth."""
    names = [f"{r['pegawai'] // 1000:,}k/{r['opd']:,}/{r['workers']}w" for r in results]
    print(f"\n{'step':<26}" + "".join(f"{n + ' s, GiB':>22}" for n in names), end="")
    growth = len(results) > 1
    if growth:
        first, last = results[0], results[-1]
        ratio, agencies = last["pegawai"] / first["pegawai"], last["opd"] / first["opd"]
        print(f"   growth (× {ratio:.0f} employees, × {agencies:.1f} OPD): time, memory, CPU")
    else:
        print()
    for step in dict.fromkeys(s for r in results for s in r["steps"]):
        line = f"{step:<26}"
        for r in results:
            f = r["steps"].get(step)
            if f is None:
                line += f"{'–':>22}"
            elif f["returncode"] != 0:
                line += f"{f['status']:>22}"
            else:
                flag = "*" if f["status"] == "no cluster" else " "
                line += f"{f['seconds']:>12.1f}{f['peak_gib']:>9.2f}{flag}"
        if growth:
            a, b = results[0]["steps"].get(step), results[-1]["steps"].get(step)
            if a and b and a["returncode"] == 0 and b["returncode"] == 0:
                line += (
                    f"   × {b['seconds'] / a['seconds']:.1f}, × {b['peak_gib'] / a['peak_gib']:.1f}"
                    f", × {b['cpu_seconds'] / max(a['cpu_seconds'], 1e-9):.1f}"
                )
        print(line)
    print("* no cluster: the command ran in one process (it does not use --dask yet)")
    for r in results:
        one = {s.removesuffix(" (one process)"): f for s, f in r["steps"].items() if "(one" in s}
        for step, f in one.items():
            d = r["steps"].get(step)
            if d and d["returncode"] == 0 and f["returncode"] == 0:
                time_ratio = d["seconds"] / f["seconds"]
                memory_ratio = d["peak_gib"] / f["peak_gib"]
                print(
                    f"{r['pegawai']:,}/{r['opd']:,} OPD {step}: Dask ÷ one process × "
                    f"{time_ratio:.2f} time, "
                    f"× {memory_ratio:.2f} memory"
                )


def main() -> None:
    """Generate or take the datasets, run every step on each, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+", default=[], help="dataset folders")
    parser.add_argument("--sizes", type=int, nargs="+", default=[], help="employees to generate")
    parser.add_argument("--work", type=Path, default=Path("/work/bench-data"))
    parser.add_argument("--dask", default="local", help="local or local:N (default: local)")
    parser.add_argument("--periode", default="2025")
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument(
        "--reports-opd",
        type=int,
        default=0,
        metavar="K",
        help=f"also make the reports ({' '.join(REPORT_FORMATS)}) of K agencies spread over the "
        "opd table, with the overviews (default 0: no reports)",
    )
    parser.add_argument("--baseline-max", type=int, default=200_000)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per step")
    parser.add_argument(
        "--memory-limit",
        type=float,
        default=16.0,
        metavar="GIB",
        help="stop a step whose process tree holds more (default 16, the issue's aim)",
    )
    parser.add_argument(
        "--per-instansi",
        type=int,
        default=PER_INSTANSI,
        metavar="N",
        help="employees per generated instansi (default 25,000; fewer: more, smaller agencies)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the stores and outputs")
    parser.add_argument(
        "--tanpa-xlsx",
        action="store_true",
        help="score and analyze write their Parquet files only (no workbook of millions of rows)",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--from-json",
        type=Path,
        nargs="+",
        default=[],
        metavar="FILE",
        help="add the datasets of earlier runs (their --json) to the tables and the sizing",
    )
    parser.add_argument("--target-pegawai", type=int, default=4_300_000)
    parser.add_argument("--target-opd", type=int, default=20_000)
    parser.add_argument(
        "--target-instansi", type=int, default=630, help="instansi of the target (overviews)"
    )
    parser.add_argument("--target-workers", type=int, nargs="+", default=[16, 32, 64])
    args = parser.parse_args()
    if not args.dask.startswith("local"):
        parser.error("--dask: local or local:N (a remote cluster's workers are not measured here)")
    args.workers = int(args.dask.partition(":")[2] or os.cpu_count() or 1)
    if not args.data and not args.sizes and not args.from_json:
        args.sizes = [100_000]
    args.work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    memory = psutil.virtual_memory().total / 2**30
    about = (
        f"{platform.node()}: {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}; --dask {args.dask} ({args.workers} workers)"
    )
    print(about)
    generated = {}
    folders = list(args.data)
    for n in sorted(args.sizes):
        data, figures = generate(n, args, env)
        folders.append(data)
        if figures is not None:
            generated[str(data)] = figures
    results = [run_dataset(data, args, env) for data in folders]
    if args.json:
        text = {"generated": generated, "results": results, "dask": args.dask, "about": about}
        args.json.write_text(json.dumps(text, indent=1, ensure_ascii=False))
    for earlier in args.from_json:
        results += json.loads(earlier.read_text(encoding="utf-8"))["results"]
    results.sort(key=lambda r: (r["pegawai"], r["opd"], r.get("workers", 0)))
    summary(results)
    per_partition(results)
    sizing(results, args)


if __name__ == "__main__":
    main()
