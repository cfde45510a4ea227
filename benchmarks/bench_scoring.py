"""Benchmark scoring: 100,000 and 1,000,000 employees, one year period, against a reference.

Prints figures; fails on nothing. For each size it generates the sample city as Parquet (kept in
``--work`` between runs), keeps the tables one period needs (the year: all its indicators and its
360° ratings), loads them once (loading is not timed), then in a fresh process times
``asn_eval.score`` and its peak memory.

Baseline measured in the same run: a straightforward per-employee ``groupby().apply`` version of the
same rules (indicator achievement → RHK levels → rating hasil kerja; role-weighted behaviour →
rating perilaku; given ratings preferred; matrix → predikat), on the first 20,000 employees of the
100,000 city, with the vectorised engine on the same subset for the ratio. Its predikat must agree.

    .venv/bin/python benchmarks/bench_scoring.py [--quick] [--work /tmp/asn-bench-scoring]
"""

from __future__ import annotations

import argparse
import os
import textwrap
from pathlib import Path

from harness import run_child

PERIODE = "2025"
NEEDED = ("opd", "pegawai", "skp", "perilaku", "penilaian", "kehadiran", "organisasi")

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time, tracemalloc
    job = json.loads(sys.argv[1])
    import numpy as np, pandas as pd
    import asn_eval
    from asn_eval.scoring.score import score
    dataset = asn_eval.load(job["path"])
    if job.get("subset"):
        dataset = dataset.subset(nip=list(dataset.pegawai["nip"].astype(str)[: job["subset"]]))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    out = {}
    if job["do"] in ("score", "both"):
        score(dataset.subset(nip=list(dataset.pegawai["nip"].astype(str)[:500])), job["periode"])
        started = time.perf_counter()
        hasil = score(dataset, job["periode"])
        out["seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        score(dataset, job["periode"])
        out["repeat_seconds"] = time.perf_counter() - started
        tracemalloc.start()  # a separate call: tracing slows allocation-heavy code
        score(dataset, job["periode"])
        out["traced_peak_gib"] = tracemalloc.get_traced_memory()[1] / 1024**3
        tracemalloc.stop()
        out["predikat"] = hasil.set_index("nip")["predikat"].astype(str).to_dict()
        out["n"] = len(hasil)
    if job["do"] in ("reference", "both"):
        sys.path.insert(0, job["bench_dir"])
        from bench_scoring import reference
        started = time.perf_counter()
        ref = reference(dataset, job["periode"])
        out["reference_seconds"] = time.perf_counter() - started
        out["reference_predikat"] = ref.astype(str).to_dict()
    out["rss_peak_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    out["rss_after_load_gib"] = rss_before
    if job["do"] != "both":
        out.pop("predikat", None)
    print(json.dumps(out))
    """
)

MATRIX = {
    (2, 0): "Kurang/Misconduct",
    (2, 1): "Baik",
    (2, 2): "Sangat Baik",
    (1, 0): "Kurang/Misconduct",
    (1, 1): "Baik",
    (1, 2): "Baik",
    (0, 0): "Sangat Kurang",
    (0, 1): "Butuh Perbaikan",
    (0, 2): "Butuh Perbaikan",
}
LEVELS = ["Di Bawah Ekspektasi", "Sesuai Ekspektasi", "Di Atas Ekspektasi"]


def reference(dataset, periode):
    """Per-employee groupby().apply of the national rules (the baseline, not the product)."""
    import numpy as np
    import pandas as pd

    def level(value, above, meets):
        if value != value:
            return -1
        return 2 if value >= above else 1 if value >= meets else 0

    def rating_from(levels, main):
        known = [(lv, m) for lv, m in zip(levels, main, strict=True) if lv >= 0]
        if not known:
            return -1
        above = sum(lv == 2 for lv, _ in known) / len(known)
        below = sum(lv == 0 for lv, _ in known) / len(known)
        mains = [lv for lv, m in known if m]
        main_below = sum(lv == 0 for lv in mains) / len(mains) if mains else 0.0
        if below > 0.5 or main_below > 0.25:
            return 0
        if above > 0.5 and not any(lv == 0 for lv in mains):
            return 2
        return 1

    def hasil_kerja(rows):
        levels, main, given = [], [], []
        for _, rhk in rows.groupby("rhk_id", observed=True):
            values = []
            for t, r, arah in zip(rhk["target"], rhk["realisasi"], rhk["arah"], strict=True):
                if r != r:
                    continue
                ratio = (t / r if r else np.inf) if arah == "turun" else r / t
                values.append(min(max(ratio * 100, 0), 150))
            levels.append(level(np.mean(values) if values else np.nan, 110, 90))
            main.append(bool((rhk["jenis_rhk"] == "utama").any()))
            codes = [LEVELS.index(v) for v in rhk["rating_atasan"].dropna()]
            given.append(min(codes) if codes else -1)
        return pd.Series(
            {"saran": rating_from(levels, main), "diberikan": rating_from(given, main)}
        )

    def perilaku(rows):
        atasan = rows.loc[rows["peran_penilai"] == "atasan", "skor"].astype(float)
        return level(atasan.mean() if len(atasan) else np.nan, 4.5, 3.0)

    skp = dataset.skp[dataset.skp["periode"] == periode]
    beh = dataset.perilaku[dataset.perilaku["periode"] == periode]
    given = dataset.penilaian[dataset.penilaian["periode"] == periode].set_index("nip")
    hk = skp.groupby("nip", observed=True).apply(hasil_kerja)
    pr = beh.groupby("nip", observed=True).apply(perilaku)

    def given_level(nip, column):
        if nip in given.index and given.at[nip, column] == given.at[nip, column]:
            return LEVELS.index(given.at[nip, column])
        return None

    result = {}
    for nip in dataset.pegawai["nip"]:
        h = given_level(nip, "rating_hasil_kerja")
        if h is None:
            h = -1
            if nip in hk.index:
                h = hk.at[nip, "diberikan"] if hk.at[nip, "diberikan"] >= 0 else hk.at[nip, "saran"]
        p = given_level(nip, "rating_perilaku")
        if p is None:
            p = pr.at[nip] if nip in pr.index else -1
        result[nip] = MATRIX.get((int(h), int(p)), "nan")
    return pd.Series(result)


def prepare(n: int, work: Path) -> Path:
    """Generate the city (once) and keep one period of the tables scoring reads."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    full = work / f"city-{n}"
    if not (full / "planted.json").exists():
        print(f"generating {n:,} employees …", flush=True)
        from asn_eval.sample import generator as sample

        sample.write_sample(full, n_pegawai=n, seed=2025, format="parquet")
    one = work / f"city-{n}-{PERIODE}"
    if not (one / "pegawai.parquet").exists():
        one.mkdir(parents=True, exist_ok=True)
        for name in NEEDED:
            table = pq.read_table(full / f"{name}.parquet")
            if "periode" in table.column_names:
                column = pc.cast(table["periode"], "string")
                table = table.filter(pc.equal(column, PERIODE))
            pq.write_table(table, one / f"{name}.parquet")
    return one


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 only")
    parser.add_argument("--work", type=Path, default=Path("/tmp/asn-bench-scoring"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    cache = args.work / "cache"
    bench_dir = str(Path(__file__).resolve().parent)
    sizes = [100_000] if args.quick else [100_000, 1_000_000]
    results = {}
    for n in sizes:
        folder = prepare(n, args.work)
        run_child(
            CHILD, {"do": "load-only", "path": str(folder), "periode": PERIODE}, cache
        )  # fills the cache
        results[n] = run_child(
            CHILD, {"do": "score", "path": str(folder), "periode": PERIODE}, cache
        )
    folder = prepare(100_000, args.work)
    both = run_child(
        CHILD,
        {
            "do": "both",
            "path": str(folder),
            "periode": PERIODE,
            "subset": 20_000,
            "bench_dir": bench_dir,
        },
        cache,
    )
    agree = sum(both["predikat"][k] == v for k, v in both["reference_predikat"].items())

    print(f"\nasn-eval scoring benchmark, periode {PERIODE} ({os.cpu_count()} cores)\n")
    print(
        f"{'pegawai':>10} {'score s':>8} {'repeat s':>9} {'score peak GiB':>15} {'process GiB':>12}"
    )
    for n, r in results.items():
        traced, rss = r["traced_peak_gib"], r["rss_peak_gib"]
        first, repeat = r["seconds"], r["repeat_seconds"]
        print(f"{n:>10,} {first:>8.2f} {repeat:>9.2f} {traced:>15.2f} {rss:>12.2f}")
    if len(results) == 2:
        small, large = results[100_000], results[1_000_000]
        first = large["seconds"] / small["seconds"]
        repeat = large["repeat_seconds"] / small["repeat_seconds"]
        print(
            f"\ngrowth 100,000 → 1,000,000 (10× is linear): first call {first:.1f}×,"
            f" repeat {repeat:.1f}× (the first call also pays the page faults of fresh memory)"
        )
    ratio = both["reference_seconds"] / both["seconds"]
    print(
        f"\nreference (per-employee groupby().apply) on 20,000 employees: "
        f"{both['reference_seconds']:.1f} s; vectorised: {both['seconds']:.3f} s; "
        f"ratio {ratio:.0f}×; predikat agree for {agree:,} of {len(both['reference_predikat']):,}"
    )
    print(
        "\nscore s: first full-size call (after a warm-up on 500 employees), loading excluded;"
        " repeat s: the same call again; score peak: tracemalloc peak of one more call;"
        " process GiB: the whole process, loaded dataset included."
    )


if __name__ == "__main__":
    main()
