"""Peak memory and time of the partitioned store against the CSV folder.

Each step runs in a fresh Python process, so its peak resident memory (``ru_maxrss``) is its
own: loading the CSV folder (no cache: parse and check everything, the baseline), ``convert``,
checking the store agency by agency (``validate``), and loading the store. Prints the figures
and the ratios against the folder's load measured in the same run.

    .venv/bin/python benchmarks/bench_store.py --pegawai 100000 [--work /tmp/bench-store]

The machine's other work makes times noisy (check ``uptime``); memory is not.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

STEP = """
import json, resource, sys, time
import asn_eval
from asn_eval.input.store import convert
from asn_eval.input.store_check import validate_store
step, data, store = sys.argv[1:4]
started = time.perf_counter()
if step == "folder":
    n = len(asn_eval.load(data, cache=False).tables)
elif step == "convert":
    n = len(convert(data, store, cache=False)["tabel"])
elif step == "validate":
    n = len(validate_store(store))
else:
    n = len(asn_eval.load(store).tables)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
print(json.dumps({"detik": seconds, "mib": peak, "n": n}))
"""


def run(step: str, data: Path, store: Path) -> dict:
    """Run one step in a new process; return its seconds and peak MiB."""
    done = subprocess.run(
        [sys.executable, "-c", STEP, step, str(data), str(store)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Generate a city, then measure each step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pegawai", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-store"))
    args = parser.parse_args()
    data = args.work / f"kota-{args.pegawai}"
    store = args.work / f"kota-{args.pegawai}-store"
    if not (data / "pegawai.csv").exists():
        from asn_eval.sample.generator import write_sample

        write_sample(data, n_pegawai=args.pegawai)
    size = sum(p.stat().st_size for p in data.glob("*.csv")) / 2**20
    print(f"{args.pegawai:,} pegawai, CSV {size:,.0f} MiB")
    figures = {step: run(step, data, store) for step in ("folder", "convert", "validate", "store")}
    files = json.loads((store / "asn-eval-store.json").read_text())["berkas"]
    stored = sum(files.values()) / 2**20
    print(f"store: {len(files):,} Parquet files, {stored:,.0f} MiB")
    base = figures["folder"]
    names = {
        "folder": "load CSV folder (no cache)",
        "convert": "convert (load + write store)",
        "validate": "validate store per agency",
        "store": "load store",
    }
    print(f"{'step':<32}{'seconds':>9}{'× folder':>10}{'peak MiB':>10}{'× folder':>10}")
    for step, figure in figures.items():
        print(
            f"{names[step]:<32}{figure['detik']:>9.1f}{figure['detik'] / base['detik']:>10.2f}"
            f"{figure['mib']:>10,.0f}{figure['mib'] / base['mib']:>10.2f}"
        )
    problems = figures["validate"]["n"]
    print(f"problems found in the store: {problems}")


if __name__ == "__main__":
    main()
