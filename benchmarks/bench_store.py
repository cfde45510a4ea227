"""Peak memory and time of the partitioned store against the folder it comes from.

Each step runs as its own process; its wall time and the peak resident memory of its whole
process tree (a Dask cluster's scheduler and workers included; sampled every 0.2 s by
:func:`bench_dask.run_measured`) are printed with the ratios against loading the folder (no
cache: parse and check everything), measured in the same run:

- ``convert`` as before (the folder loaded whole, then written) against ``asn-eval convert``
  (pieces and groups, :mod:`asn_eval.input.streamed`), alone and with ``--dask local:N``;
- ``asn-eval validate STORE`` (groups of agencies) alone and with ``--dask local:N``;
- loading the store.

    .venv/bin/python benchmarks/bench_store.py --pegawai 100000 [--work /tmp/bench-store]
    .venv/bin/python benchmarks/bench_store.py --data /tmp/kota-100000   # a folder made before

The machine's other work makes times noisy (check ``uptime``); memory much less so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench_dask import TOOL, run_measured

WHOLE = """
import sys, asn_eval
from asn_eval.input.store import write_store
write_store(asn_eval.load(sys.argv[1], cache=False), sys.argv[2])
"""

LOAD = "import sys, asn_eval; asn_eval.load(sys.argv[1], cache=False)"


def main() -> None:
    """Generate (or take) a city, then measure each step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pegawai", type=int, default=100_000)
    parser.add_argument("--data", type=Path, help="a dataset folder made before (no generation)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-store"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ASN_EVAL_CACHE": str(args.work / "cache")}
    data = args.data or args.work / f"kota-{args.pegawai}"
    if not (data / "pegawai.parquet").exists() and not (data / "pegawai.csv").exists():
        subprocess.run(
            [str(TOOL), "sample-data", "--out", str(data), "--pegawai", str(args.pegawai),
             "--format", "parquet", "--tanpa-xlsx"],
            check=True, env=env, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    size = sum(p.stat().st_size for p in data.iterdir() if p.is_file()) / 2**20
    print(f"{data}: {size:,.0f} MiB; {os.cpu_count()} cores; --dask local:{args.workers}")
    dask = ["--dask", f"local:{args.workers}"]
    whole, pieces, on_dask = (args.work / n for n in ("store-whole", "store", "store-dask"))
    python = [sys.executable, "-c"]
    steps = {
        "load folder (no cache)": [*python, LOAD, str(data)],
        "convert: load whole + write": [*python, WHOLE, str(data), str(whole)],
        "convert in pieces": [str(TOOL), "convert", str(data), "--out", str(pieces)],
        f"convert in pieces, dask:{args.workers}": [
            str(TOOL), "convert", str(data), "--out", str(on_dask), *dask
        ],
        "validate store": [str(TOOL), "validate", str(pieces)],
        f"validate store, dask:{args.workers}": [str(TOOL), "validate", str(pieces), *dask],
        "load store": [*python, LOAD, str(pieces)],
    }  # fmt: skip
    figures = {}
    for name, argv in steps.items():
        figures[name] = run_measured(argv, env)
        print(f"  {name:<34}{figures[name][0]:>8.1f} s{figures[name][1]:>8.2f} GiB", flush=True)
    files = json.loads((pieces / "asn-eval-store.json").read_text())["berkas"]
    print(f"store: {len(files):,} Parquet files, {sum(files.values()) / 2**20:,.0f} MiB")
    base = figures["load folder (no cache)"]
    print(f"\n{'step':<36}{'seconds':>9}{'× load':>8}{'peak GiB':>10}{'× load':>8}")
    for name, (seconds, gib) in figures.items():
        times, memory = seconds / base[0], gib / base[1]
        print(f"{name:<36}{seconds:>9.1f}{times:>8.2f}{gib:>10.2f}{memory:>8.2f}")
    for folder in (whole, pieces, on_dask):
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
