"""Benchmark "score once": what a period costs when every consumer shares one scored result.

Prints figures; fails on nothing. On the sample city (``data/sample``), for one period, the work
that the batch's preparation, ``asn-eval analyze``, ``asn-eval score`` and every agency report
need, done two ways in the same run:

- **shared** (how the package works): :func:`asn_eval.scoring.score.evaluate` once, then
  :class:`~asn_eval.reporting.results.CityResults` (decisions, analyses) and every agency's report
  sections read it;
- **re-derived** (how it worked before: each consumer scored for itself): ``score`` for the
  results file, ``score`` again inside the city's results, ``analyze`` scoring the period and its
  quarters and gathering the evidence again, the curve checked by each, and every agency report
  gathering its own evidence on its part of the data.

Each side counts the evidence gatherings and curve checks it makes (the functions are wrapped
with a counter) and is timed; the ratio is re-derived ÷ shared.

    .venv/bin/python benchmarks/bench_once.py [--data data/sample] [--periode 2025]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _counting(module: object, name: str, counts: Counter) -> None:
    real = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        counts[name] += 1
        return real(*args, **kwargs)

    setattr(module, name, counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    parser.add_argument("--periode", default="2025")
    args = parser.parse_args()
    if not (args.data / "pegawai.csv").exists() and not (args.data / "pegawai.parquet").exists():
        sys.exit(f"{args.data}: no sample city; run `python3 tasks.py demo` first")
    os.environ["ASN_EVAL_CACHE"] = tempfile.mkdtemp(prefix="asn-bench-once-")

    import asn_eval
    from asn_eval.analysis import run
    from asn_eval.analysis.development import training_needs
    from asn_eval.reporting.agency import AgencyReport
    from asn_eval.reporting.results import CityResults
    from asn_eval.scoring import curve, evidence, score
    from asn_eval.scoring.scheme import load_scheme

    counts: Counter = Counter()
    _counting(score, "gather_evidence", counts)
    _counting(score, "check_curve", counts)
    dataset = asn_eval.load(args.data)
    skema = load_scheme("permenpan-6-2022")
    periode = dataset.periode(args.periode)
    codes = list(dataset.opd["kode_opd"].astype("str"))
    print(f"sample city: {len(dataset.pegawai):,} employees, {len(codes)} OPD, periode {periode}")

    def reports(city: CityResults) -> None:
        for code in codes:
            report = AgencyReport(city, code)
            report.sections()

    # -- shared: one evaluate, everything reads it ------------------------------------------
    counts.clear()
    started = time.perf_counter()
    scored = score.evaluate(dataset, periode, skema)
    city = CityResults.from_scored(scored)
    prepared = time.perf_counter() - started
    reports(city)
    shared = time.perf_counter() - started
    shared_counts = dict(counts)

    # -- re-derived: each consumer scores for itself, as before ------------------------------
    counts.clear()
    started = time.perf_counter()
    for _ in range(2):  # the results file, then the city's results
        hasil = score.evaluate(dataset, periode, skema).hasil
        curve.check_curve(dataset, periode, skema, hasil)
        counts["check_curve"] += 1
    again = score.evaluate(dataset, periode, skema)  # analyze scored the period again
    run.analyze(again)
    evidence.gather_evidence(dataset, periode, skema)  # … and gathered its evidence again
    counts["gather_evidence"] += 1
    curve.check_curve(dataset, periode, skema, again.hasil)
    counts["check_curve"] += 1
    derived_prepared = time.perf_counter() - started
    for code in codes:  # every report gathered its agency's evidence
        part = dataset.subset(kode_opd=[code])
        training_needs(evidence.gather_evidence(part, periode, skema), city.hasil, skema)
        counts["gather_evidence"] += 1
    reports(city)
    derived = time.perf_counter() - started

    print(f"{'':<12}{'evidence':>10}{'curve':>8}{'prepare s':>11}{'+ reports s':>13}")
    for name, found, first, total in (
        ("shared", shared_counts, prepared, shared),
        ("re-derived", dict(counts), derived_prepared, derived),
    ):
        print(
            f"{name:<12}{found.get('gather_evidence', 0):>10}{found.get('check_curve', 0):>8}"
            f"{first:>11.2f}{total:>13.2f}"
        )
    print(
        f"ratio: re-derived ÷ shared = {derived / shared:.2f}× the time; "
        f"{counts['gather_evidence'] / max(shared_counts.get('gather_evidence', 1), 1):.0f}× the "
        "evidence gatherings"
    )


if __name__ == "__main__":
    main()
