"""Benchmark ``asn_eval.analysis.run.analyze`` on a 100,000-employee city, one year.

Prints figures; fails on nothing. The city is generated as Parquet once (kept in ``--work``),
loaded once (the load is timed but not part of the analysis), then in the same process:

- baseline: ``asn_eval.evaluate`` of the year (what every analysis builds on);
- ``analyze`` of that scored year (which also scores the four quarters, once each), total and
  ratio to the baseline, and peak memory of the process;
- each analysis on its own, to show where the time goes.

    .venv/bin/python benchmarks/bench_analysis.py [--pegawai 100000] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pegawai", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/asn-bench-analysis"))
    args = parser.parse_args()
    os.environ.setdefault("ASN_EVAL_CACHE", str(args.work / "cache"))

    import asn_eval
    from asn_eval.analysis import fairness, service, trends
    from asn_eval.analysis.run import analyze, findings
    from asn_eval.sample.generator import write_sample
    from asn_eval.scoring.score import evaluate

    data = args.work / f"kota-{args.pegawai}"
    if not (data / "pegawai.parquet").exists():
        started = time.perf_counter()
        write_sample(data, n_pegawai=args.pegawai, seed=7, format="parquet", workbook=None)
        print(f"generated {args.pegawai:,} employees in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    dataset = asn_eval.load(data)
    print(f"load: {time.perf_counter() - started:.1f} s ({len(dataset.perilaku):,} ratings)")

    started = time.perf_counter()
    scored = evaluate(dataset, "2025")
    hasil = scored.hasil
    baseline = time.perf_counter() - started
    print(f"baseline, evaluate(2025): {baseline:6.2f} s")

    started = time.perf_counter()
    results = analyze(scored)
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(
        f"analyze(2025):        {total:6.2f} s = {total / baseline:.1f}× the scoring baseline "
        f"(target ≤ 60 s); process peak {peak:.2f} GiB"
    )
    print(f"findings: {len(findings(results))}")

    parts = {
        "fairness.rater_tendency": lambda: fairness.rater_tendency(dataset, "2025"),
        "fairness.central_tendency": lambda: fairness.central_tendency(dataset, "2025"),
        "fairness.source_gaps": lambda: fairness.source_gaps(dataset, "2025"),
        "fairness.supervisor_disagreement": lambda: fairness.supervisor_disagreement(
            hasil, dataset.pegawai
        ),
        "fairness.agreement": lambda: fairness.agreement(dataset, "2025"),
        "trends.quarterly_scores": lambda: trends.quarterly_scores(scored),
        "service.ikm_vs_service": lambda: service.ikm_vs_service(dataset, "2025"),
        "service.activity_by_opd": lambda: service.activity_by_opd(dataset, "2025"),
    }
    for name, run in parts.items():
        started = time.perf_counter()
        run()
        print(f"  {name:<34} {time.perf_counter() - started:6.2f} s")


if __name__ == "__main__":
    main()
