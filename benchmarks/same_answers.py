"""Check that a change to the loader gives the same answers as the loader at a git revision.

Every dataset is loaded twice by each side, each in a fresh process with an empty cache: the first
load (read, parse, check, write the cache) and the cached load; then validated without the cache.
The loaded tables (columns, index, dtypes, categories and their order, codes, values, row order) and
the problems (file, row, column, message, value, level, in order) must be identical.

Datasets: the sample city as CSV and as Parquet, each also with three instansi; a workbook; every
field case (copied first: inputs are never modified); a copy of the sample city broken in many ways,
as CSV and as Parquet (dictionary-encoded, small row groups; and plain text columns); and any
``--data`` folder as it is (e.g. the 100,000-employee national data).

    .venv/bin/python benchmarks/same_answers.py --vs main
    .venv/bin/python benchmarks/same_answers.py --vs main --data /work/bench-data/nasional-100k
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    r"""
    import hashlib, pickle, sys, time
    import numpy as np, pandas as pd
    import asn_eval
    from asn_eval.errors import DataError

    def digest(*parts):
        found = hashlib.sha256()
        for part in parts:
            found.update(part if isinstance(part, bytes) else repr(part).encode())
        return found.hexdigest()[:20]

    def column(s):
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = s.dtype.categories
            return ("category", str(cats.dtype), bool(s.dtype.ordered),
                    digest("\x1e".join(map(str, cats.tolist()))), str(s.array.codes.dtype),
                    digest(np.ascontiguousarray(s.array.codes).tobytes()))
        if isinstance(s.dtype, np.dtype) and s.dtype != object:
            return ("numpy", str(s.dtype), digest(np.ascontiguousarray(s.to_numpy()).tobytes()))
        missing = s.isna().to_numpy()
        shown = "\x1e".join(repr(v) for v in s[~missing].tolist())
        return ("other", str(s.dtype), digest(missing.tobytes()), digest(shown))

    def table(f):
        index = f.index
        return {"columns": [str(c) for c in f.columns], "dtypes": [str(t) for t in f.dtypes],
                "index": (type(index).__name__, digest(np.asarray(index).tobytes())),
                "values": {str(c): column(f[c]) for c in f.columns}}

    def problems(found):
        return [(p.file, p.row, p.column, p.message,
                 None if p.value is None else (type(p.value).__name__, repr(p.value)), p.level)
                for p in found]

    out = {}
    for attempt in ("first", "cached"):
        started = time.perf_counter()
        try:
            dataset = asn_eval.load(sys.argv[1])
            out[attempt] = {"ok": True, "problems": problems(dataset.warnings),
                            "tables": {n: table(f) for n, f in dataset.tables.items()}}
        except DataError as error:
            out[attempt] = {"ok": False, "problems": problems(error.problems)}
        out[attempt]["seconds"] = time.perf_counter() - started
    out["validate"] = {"problems": problems(asn_eval.validate(sys.argv[1], cache=False))}
    with open(sys.argv[2], "wb") as handle:
        pickle.dump(out, handle)
    """
)


def answers(code: Path, dataset: Path, work: Path) -> dict:
    """Load, reload and validate ``dataset`` with the package in ``code``, in a fresh process."""
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=work))
    result = work / "answers.pickle"
    env = {**os.environ, "PYTHONPATH": str(code), "ASN_EVAL_CACHE": str(cache)}
    env["PYTHONSAFEPATH"] = "1"  # the working folder must not come before PYTHONPATH
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(dataset), str(result)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    shutil.rmtree(cache, ignore_errors=True)
    if done.returncode:
        sys.exit(f"{dataset} with {code}:\n{done.stderr[-3000:]}")
    with result.open("rb") as handle:
        return pickle.load(handle)


def differences(old: dict, new: dict) -> list[str]:
    """Say where two sides' answers differ (empty when they are the same)."""
    found = []
    for step in ("first", "cached", "validate"):
        a, b = old[step], new[step]
        if a.get("ok") != b.get("ok"):
            found.append(f"{step}: loaded {a.get('ok')} / {b.get('ok')}")
        if a["problems"] != b["problems"]:
            found.append(f"{step}: {len(a['problems'])} / {len(b['problems'])} problems")
            pairs = zip(a["problems"], b["problems"], strict=False)
            found += [
                f"  first difference: {p}\n                  {q}" for p, q in pairs if p != q
            ][:1]
        for name in sorted(set(a.get("tables") or {}) | set(b.get("tables") or {})):
            x, y = (a.get("tables") or {}).get(name), (b.get("tables") or {}).get(name)
            if x == y:
                continue
            if x is None or y is None:
                found.append(f"{step}: table {name} on one side only")
                continue
            found += [f"{step}: {name} {part}" for part in ("columns", "dtypes", "index")
                      if x[part] != y[part]]  # fmt: skip
            found += [f"{step}: {name}.{c}: {v} / {y['values'].get(c)}"
                      for c, v in x["values"].items() if y["values"].get(c) != v]  # fmt: skip
    return found


def _broken(tables: dict[str, pd.DataFrame], text: bool) -> None:
    """Break a sample city in many ways (``text``: cells as written in a CSV; else typed)."""

    def blank():
        return "" if text else None

    def value(v):
        return str(v) if text else v

    peg = tables["pegawai"]
    nips = peg["nip"].astype(str).tolist()
    peg.loc[3, "nip"] = "19851220201012200"
    peg.loc[5, "nip"] = "198513202010122004"
    peg.loc[6, "nip"] = "198512202010132004"
    peg.loc[8, "nip"] = "198512202010123004"
    peg.loc[10, "kode_opd"] = "DISHUBX"
    peg.loc[11, ["golongan", "status"]] = ["III", blank()]
    peg.loc[12, "jenis_kelamin"] = "P" if peg.loc[12, "jenis_kelamin"] == "L" else "L"
    peg.loc[13, "nip_atasan"] = peg.loc[13, "nip"]
    peg.loc[20, "nip_atasan"], peg.loc[21, "nip_atasan"] = peg.loc[21, "nip"], peg.loc[20, "nip"]
    peg.loc[30, "nama"] = blank()
    peg.loc[40, "nip"] = f"NIP. {nips[40][:8]} {nips[40][8:14]} {nips[40][14]} {nips[40][15:]}"
    peg.loc[41, "jenis_jabatan"] = "Direktur"
    peg.loc[42, "golongan"] = "Penata Tk.I, III/d"
    peg.loc[43, "nip_atasan"] = "197001011995031001"
    tables["pegawai"] = pd.concat([peg, peg.iloc[[7]]], ignore_index=True)
    skp = tables["skp"]
    skp.loc[1, "target"] = "sepuluh" if text else np.nan
    skp.loc[2, "realisasi"], skp.loc[3, "target"] = value(-1), value(0)
    skp.loc[5, "nip"] = "199901012020011001"
    skp.loc[9, "realisasi"] = value(999999)
    skp.loc[10, "periode"] = "2025-TW5"
    skp.loc[11, "jenis_rhk"] = "tambahan" if skp.loc[11, "jenis_rhk"] == "utama" else "utama"
    skp.loc[12, "arah"], skp.loc[13, "rating_atasan"] = "ke atas", "luar biasa"
    tables["skp"] = pd.concat([skp, skp.iloc[[20, 21]]], ignore_index=True)
    per = tables["perilaku"]
    per.loc[0, "skor"], per.loc[1, "skor"] = value(6), value(0)
    if text:
        per.loc[2, "skor"], per.loc[9, "skor"] = "3.5", "tiga"
    per.loc[3, "peran_penilai"], per.loc[4, "nilai_inti"] = "bos", "Jujur"
    other = np.flatnonzero((per["peran_penilai"] != "diri").to_numpy())
    per.loc[other[0], "nip_penilai"] = "197001011995031001"
    per.loc[other[1], "nip_penilai"] = blank()
    per.loc[other[2], "nip_penilai"] = per.loc[other[2], "nip"]
    selves = np.flatnonzero((per["peran_penilai"] == "diri").to_numpy())
    per.loc[selves[5], "nip_penilai"] = per.loc[other[3], "nip"]
    per.loc[7, "periode"] = "Januari 2025"
    tables["perilaku"] = pd.concat([per, per.iloc[[30]]], ignore_index=True)
    keh = tables["kehadiran"]
    keh.loc[0, "hadir"], keh.loc[2, "cuti"], keh.loc[3, "hari_kerja"] = (
        value(70),
        value(40),
        blank(),
    )
    tables["kehadiran"] = pd.concat([keh, keh.iloc[[1]]], ignore_index=True)
    akt = tables["aktivitas"]
    if text:
        akt.loc[0, "tanggal"], akt.loc[1, "tanggal"] = "kemarin", "2025-02-30"
        akt.loc[6, "durasi_menit"], akt.loc[7, "durasi_menit"] = "01.30", "2 jam"
    else:
        akt.loc[0, "tanggal"] = pd.NaT
        akt["durasi_menit"] = akt["durasi_menit"].astype("float64")
    for row, minutes in ((2, 0), (3, 1300), (4, 1300), (9, 12.5), (10, 1430.25)):
        akt.loc[row, "durasi_menit"] = value(minutes)
    akt.loc[5, "rhk_id"], akt.loc[8, "status"] = "RHK-99", "entah"
    akt.loc[100, "nip"], akt.loc[101, "nip_penyetuju"] = "199901012020011001", "199901012020011002"
    sur = tables["survei"]
    sur.loc[1, "u4"], sur.loc[2, "u1"], sur.loc[3, "kode_opd"] = value(5), value(0), "ZZZ"
    tables["survei"] = pd.concat([sur, sur.iloc[[5]]], ignore_index=True)
    tables["opd"].loc[1, "induk"] = "DINKESX"
    org = tables["organisasi"]
    org.loc[0, "capaian"], org.loc[1, "predikat_organisasi"] = "abc" if text else -5.0, "Hebat"
    pen = tables["penilaian"]
    pen.loc[0, "predikat"], pen.loc[1, "rating_perilaku"] = "Luar Biasa", blank()
    parts = [pen.iloc[:2], pen.iloc[[1]], pen.iloc[2:], pen.iloc[[4]]]  # a repeat next to its row
    tables["penilaian"] = pd.concat(parts, ignore_index=True)


def broken_csv(sample: Path, out: Path) -> None:
    """Write a broken copy of a CSV sample city."""
    out.mkdir()
    tables = {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in sample.glob("*.csv")
    }
    _broken(tables, text=True)
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False)


def broken_parquet(sample: Path, out: Path, *, plain: bool) -> None:
    """Write a broken copy of a Parquet sample city: text dictionary-encoded unless ``plain``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.mkdir()
    tables = {}
    for path in sample.glob("*.parquet"):
        frame = pq.read_table(path).to_pandas()
        for name in frame.columns:
            if isinstance(frame[name].dtype, pd.CategoricalDtype) or frame[name].dtype == "str":
                frame[name] = frame[name].astype(object)
        tables[path.stem] = frame
    _broken(tables, text=False)
    for name, frame in tables.items():
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = frame[column].astype("str" if plain else "category")
        table = pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(None)
        pq.write_table(table, out / f"{name}.parquet", row_group_size=max(1000, len(frame) // 7))


def datasets(work: Path, old: Path, field_cases: Path | None, extra: list[Path]) -> list[Path]:
    """Make the datasets (with the package at the revision compared against) and list them."""
    sys.path.insert(0, str(old))
    from asn_eval.sample.generator import write_sample

    made = []
    for name, options in {
        "sample-csv": {},
        "sample-csv-3-instansi": {"instansi": 3},
        "sample-parquet": {"format": "parquet"},
        "sample-parquet-3-instansi": {"format": "parquet", "instansi": 3, "n_pegawai": 4000},
    }.items():
        write_sample(work / name, **options)
        made.append(work / name)
    book = work / "sample-workbook"
    write_sample(work / "for-workbook", n_pegawai=300, workbook=book / "sample.xlsx")
    made.append(book)
    for case in sorted(field_cases.iterdir()) if field_cases else []:
        if case.is_dir():
            shutil.copytree(case, work / f"field-{case.name}")
            made.append(work / f"field-{case.name}")
    broken_csv(work / "sample-csv", work / "broken-csv")
    broken_parquet(work / "sample-parquet-3-instansi", work / "broken-parquet", plain=False)
    broken_parquet(work / "sample-parquet", work / "broken-parquet-plain", plain=True)
    made += [work / "broken-csv", work / "broken-parquet", work / "broken-parquet-plain"]
    return made + [folder.resolve() for folder in extra]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vs", default="main", metavar="REV", help="git revision to compare to")
    parser.add_argument("--data", type=Path, action="append", default=[], help="also this folder")
    parser.add_argument("--field-cases", type=Path, default=ROOT / "tests" / "field-cases")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="asn-same-"))
    try:
        old = work / "old"
        old.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.vs, "asn_eval"],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        field_cases = args.field_cases if args.field_cases.is_dir() else None
        differ = 0
        for folder in datasets(work, old, field_cases, args.data):
            before, now = answers(old, folder, work), answers(ROOT, folder, work)
            found = differences(before, now)
            differ += bool(found)
            print(
                f"{'DIFFERENT' if found else 'same':9} {folder.name:40}"
                f" {len(before['first']['problems']):6} problems"
                f"  first load {before['first']['seconds']:6.2f} s →"
                f" {now['first']['seconds']:6.2f} s",
                flush=True,
            )
            for line in found[:20]:
                print("    " + line)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{differ} dataset(s) differ from {args.vs}" if differ else f"\nall same as {args.vs}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
