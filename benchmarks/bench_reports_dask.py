"""Benchmark the report batch on a Dask LocalCluster against today's batch, on the same reports.

Prints figures; fails on nothing. A multi-instansi city is generated once (``asn-eval
sample-data --instansi N``, enough employees for at least ``--opd`` OPDs); the first ``--opd``
OPDs of its ``opd`` table are chosen, and the same command makes their reports (HTML), with the
overview of every instansi and of all, twice in the same run, each as its own ``asn-eval
reports`` process:

- **today**: worker processes with warm kernels (``--jobs W``);
- **dask**: a LocalCluster of W workers, one warm kernel each (``--dask local:W``).

For each: wall time, reports per minute, and the peak memory of the whole process tree (the
command, its workers or the cluster, every kernel; sampled by :func:`bench_dask.run_measured`),
then the ratios dask ÷ today. The machine's load average is printed before and after each run:
figures taken while other work runs are noisy.

    .venv/bin/python benchmarks/bench_reports_dask.py                # 10 instansi, 200 OPD
    .venv/bin/python benchmarks/bench_reports_dask.py --opd 40 --instansi 3 --pegawai 1500
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd
from bench_dask import TOOL, run_measured  # the process-tree sampler (run as a script)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (5 min {five:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instansi", type=int, default=10)
    parser.add_argument("--pegawai", type=int, default=5000, help="employees of all instansi")
    parser.add_argument("--opd", type=int, default=200, help="OPDs to report on")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--periode", default="2025")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="asn-bench-reports-dask-"))
    env = {**os.environ, "ASN_EVAL_CACHE": str(work / "cache")}
    try:
        data = work / "provinsi"
        seconds, _ = run_measured(
            [str(TOOL), "sample-data", "--out", str(data), "--instansi", str(args.instansi),
             "--pegawai", str(args.pegawai), "--tanpa-xlsx"],
            env,
        )  # fmt: skip
        os.environ["ASN_EVAL_CACHE"] = env["ASN_EVAL_CACHE"]  # warms the cache both runs use
        import asn_eval

        codes = list(asn_eval.load(data).opd["kode_opd"].astype("str"))  # as INSTANSI/OPD
        if len(codes) < args.opd:
            sys.exit(f"{len(codes)} OPD only: raise --pegawai or --instansi")
        chosen = codes[: args.opd]
        print(
            f"{os.cpu_count()} cores; {args.instansi} instansi, {args.pegawai:,} employees, "
            f"{len(codes)} OPD (generated in {seconds:.0f} s); reports on {len(chosen)} OPD "
            f"+ {args.instansi + 1} overviews, HTML, {args.workers} workers"
        )
        common = [str(TOOL), "reports", str(data), "--periode", args.periode, "--format", "html"]
        common += ["--diam", "--opd", *chosen]
        rows = {}
        for side, extra in (
            ("today", ["--jobs", str(args.workers)]),
            ("dask", ["--dask", f"local:{args.workers}"]),
        ):
            out = work / side
            before = _load()
            seconds, peak = run_measured([*common, "--out", str(out), *extra], env)
            manifest = pd.read_csv(out / args.periode / "manifest.csv")
            made = int((manifest["status"] == "berhasil").sum())
            rows[side] = (seconds, peak)
            print(
                f"{side:>6}: {made} of {len(manifest)} reports in {seconds:6.1f} s, "
                f"{made / seconds * 60:5.1f} reports/min, peak {peak:5.2f} GiB "
                f"({before} before, {_load()} after)"
            )
        (t0, m0), (t1, m1) = rows["today"], rows["dask"]
        print(f" ratio: dask ÷ today × {t1 / t0:.2f} time, × {m1 / m0:.2f} peak memory")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
