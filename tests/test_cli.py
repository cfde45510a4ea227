"""The command line as an evaluator meets it: exit codes, Indonesian messages, no tracebacks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli, tiny_tables, write_tables

from asn_eval.spreadsheet import read_back


def asn_eval(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asn_eval", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=os.environ.copy(),
        check=False,
    )


def test_valid_data_exits_0(make_dataset):
    result = asn_eval("validate", make_dataset())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Data sah: 0 galat" in result.stdout


def test_warnings_are_printed_and_exit_0(make_dataset):
    folder = make_dataset(lambda t: t["pegawai"].__setitem__("jenis_kelamin", ["L", "P", "P", "P"]))
    result = asn_eval("validate", folder)
    assert result.returncode == 0
    assert "pegawai.csv:4:jenis_kelamin: peringatan: jenis kelamin tidak sesuai" in result.stdout


def test_bad_data_exits_2_with_every_problem_and_no_traceback(make_dataset, tmp_path):
    def change(tables):
        tables["perilaku"]["skor"] = ["9", "x"]
        tables["skp"].loc[0, "target"] = "-3"

    result = asn_eval("validate", make_dataset(change), "--simpan", tmp_path / "masalah.xlsx")
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "perilaku.csv:2:skor: harus paling besar 5 (9)" in result.stdout
    assert "perilaku.csv:3:skor: bukan angka (x)" in result.stdout
    assert "skp.csv:2:target: harus lebih dari 0 (-3)" in result.stdout
    assert "Data TIDAK SAH: 3 galat" in result.stdout
    saved = read_back(tmp_path / "masalah.xlsx")["masalah"]
    assert list(saved.columns) == ["berkas", "baris", "kolom", "pesan", "nilai", "tingkat"]
    assert len(saved) == 3


def test_missing_folder_exits_2(tmp_path):
    result = asn_eval("validate", tmp_path / "tidak-ada")
    assert result.returncode == 2
    assert "tidak ditemukan" in result.stdout
    assert "Traceback" not in result.stderr


def test_bad_command_line_is_explained_in_indonesian():
    result = asn_eval("validate")
    assert result.returncode == 2
    assert "argumen wajib belum diisi" in result.stderr


def test_help_lists_the_commands():
    result = asn_eval("--help")
    assert result.returncode == 0
    for command in ("validate", "sample-data"):
        assert command in result.stdout


@pytest.mark.slow  # writes the city as CSV and as an Excel workbook, then validates it
def test_sample_data_writes_a_city_that_validates(tmp_path):
    out = tmp_path / "kota"
    result = asn_eval("sample-data", "--out", out, "--pegawai", "200", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert (out / "pegawai.csv").exists() and (out / "planted.json").exists()
    assert (tmp_path / "kota-xlsx" / "kota.xlsx").exists()
    checked = asn_eval("validate", out)
    assert checked.returncode == 0, checked.stdout
    assert "Data sah: 0 galat" in checked.stdout


def test_a_request_out_of_range_is_explained_not_traced(tmp_path):
    result = asn_eval("sample-data", "--out", tmp_path / "kecil", "--pegawai", "50")
    assert result.returncode == 2
    assert "n_pegawai paling sedikit 100" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "kecil").exists()


# -- a reader that stops early: `asn-eval validate DIR | head` ------------------------------------
def _many_errors(folder: Path, rows: int = 5000) -> Path:
    """A small hand-made dataset whose behaviour table has ``rows`` unreadable scores."""
    tables = tiny_tables()
    perilaku = tables["perilaku"]
    tables["perilaku"] = pd.DataFrame(
        {column: [perilaku[column].iloc[0]] * rows for column in perilaku.columns}
    ).assign(skor="x", nilai_inti=[f"Nilai {i}" for i in range(rows)])
    return write_tables(tables, folder)


def _into_closed_pipe(*args: object) -> subprocess.CompletedProcess[str]:
    """Run with stdout a pipe that nobody reads any more: every write to it fails."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "asn_eval", *map(str, args)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    finally:
        os.close(write_end)


def _clean_exit(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "BrokenPipeError" not in stderr and "Exception ignored" not in stderr, stderr


def test_validate_into_head_keeps_its_exit_code(tmp_path):
    folder = _many_errors(tmp_path / "rusak")
    process = subprocess.Popen(
        [sys.executable, "-m", "asn_eval", "validate", str(folder), "--semua"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stdout.readline()  # `| head -1`: one line, then the reader is gone
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 2
    assert first.startswith("perilaku.csv:2:")
    _clean_exit(stderr)


@pytest.mark.slow  # a real shell pipeline: the in-process pipe test covers the fast loop
def test_bash_pipeline_into_head_sees_the_commands_exit_code(tmp_path):
    folder = _many_errors(tmp_path / "rusak")
    command = f"{sys.executable} -m asn_eval validate {folder} --semua | head -n 3"
    done = subprocess.run(
        ["bash", "-c", command + "; echo status=${PIPESTATUS[0]}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.splitlines()[-1] == "status=2", done.stdout + done.stderr
    assert len(done.stdout.splitlines()) == 4
    _clean_exit(done.stderr)


@pytest.mark.slow  # one process per command; validate's own pipe test stays fast
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate", "RUSAK"], 2),
        (["validate", "SAH"], 0),
        (["validate", "TIDAK-ADA"], 2),
        (["score", "SAH", "--periode", "2025-TW1", "--out", "HASIL"], 0),
        (["score", "RUSAK", "--periode", "2025-TW1", "--out", "HASIL"], 2),
        (["schemes"], 0),
        (["--help"], 0),
        (["--version"], 0),
        ([], 2),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
def test_every_command_survives_a_closed_stdout(args, code, make_dataset, tmp_path):
    places = {
        "RUSAK": _many_errors(tmp_path / "rusak", rows=300),
        "SAH": make_dataset(),
        "TIDAK-ADA": tmp_path / "tidak-ada",
        "HASIL": tmp_path / "hasil",
    }
    done = _into_closed_pipe(*[places.get(a, a) for a in args])
    assert done.returncode == code, done.stderr
    _clean_exit(done.stderr)
    if args[:1] == ["score"] and code == 0:
        assert (tmp_path / "hasil" / "hasil.parquet").exists()  # it did its work all the same


def test_a_progress_bar_whose_reader_left_goes_quiet():
    from tqdm import tqdm

    from asn_eval.streams import QuietWhenClosed, say

    read_end, write_end = os.pipe()
    os.close(read_end)
    with os.fdopen(write_end, "w") as stream:
        bar = tqdm(total=3, file=QuietWhenClosed(stream), mininterval=0)
        for _ in range(3):
            bar.update(1)
        bar.close()
        say("x" * 100_000, stream)  # larger than any pipe buffer
        stream.write("still fine\n")
        stream.flush()


# -- options given more than once -----------------------------------------------------------------
@pytest.mark.parametrize(
    "given",
    [
        ["--opd", "DINKES", "--opd", "PKM1"],
        ["--opd", "DINKES", "PKM1"],
        ["--opd", "DINKES", "--opd", "PKM1", "DINKES"],
    ],
    ids=" ".join,
)
def test_reports_reads_every_opd_given(given: list[str]) -> None:
    from asn_eval.cli import _values, build_parser

    args = build_parser().parse_args(["reports", "DATA", "--periode", "2025", *given])
    assert _values(args.opd) == ["DINKES", "PKM1"]


def test_reports_checks_every_opd_and_format_given(make_dataset, tmp_path, capsys):
    data = make_dataset()
    base = ["reports", data, "--periode", "2025-TW1", "--out", tmp_path / "laporan", "--diam"]
    # The first code was dropped before (only the last --opd counted, and the batch ran).
    code, _, err = run_cli(capsys, *base, "--opd", "TIDAKADA", "--opd", "PKM1")
    assert code == 2 and "kode OPD tidak ada di tabel opd: TIDAKADA" in err, err
    code, _, err = run_cli(capsys, *base, "--opd", "PKM1", "X1", "--opd", "X2")
    assert code == 2 and "kode OPD tidak ada di tabel opd: X1, X2" in err, err
    for formats in (["--format", "pdf", "--format", "docx"], ["--format", "pdf,docx"]):
        code, _, err = run_cli(capsys, *base, *formats)
        assert code == 2 and "format tidak dikenal: docx" in err, err
    assert not (tmp_path / "laporan").exists()  # nothing started


@pytest.mark.parametrize(
    "command",
    [
        ["app", "DATA"],
        ["decisions", "history", "K.sqlite"],
        ["decisions", "export", "K.sqlite", "--out", "K.xlsx"],
    ],
    ids=" ".join,
)
def test_an_option_for_one_agency_refuses_a_second(command, capsys):
    code, _, err = run_cli(capsys, *command, "--opd", "DINKES", "--opd", "PKM1")
    assert code == 2
    assert "--opd hanya boleh sekali untuk perintah ini" in err


WITA_PROFILE = """pemerintah = "Pemerintah Kota Uji Tengah"
penyelenggara = "BKPSDM Kota Uji Tengah"
zona_waktu = "WITA"
[penandatangan]
nama = "Drs. Andi Saputra, M.Si."
nip = "19700101 199503 1 001"
jabatan = "Kepala BKPSDM"
"""


@pytest.mark.slow  # a real batch (two agencies and the overview, HTML)
def test_reports_makes_a_report_for_every_opd_given(make_dataset, tmp_path):
    data = make_dataset()
    out = tmp_path / "laporan"
    profile = tmp_path / "wita.toml"
    profile.write_text(WITA_PROFILE, encoding="utf-8")
    done = asn_eval(
        "reports", data, "--periode", "2025-TW1", "--opd", "DINKES", "--opd", "PKM1",
        "--format", "html", "--jobs", "2", "--out", out, "--diam", "--profil", profile,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    folder = out / "2025-TW1"
    manifest = pd.read_csv(folder / "manifest.csv", dtype=str)
    assert set(manifest["kode_opd"].dropna()) == {"DINKES", "PKM1"}
    assert (folder / "DINKES.html").exists() and (folder / "PKM1.html").exists()
    assert re.search(
        r"3 dari 3 laporan siap di .* \(\d+,\d dtk; persiapan \d+,\d dtk\)", done.stdout
    )
    # The profile named reached the batch: the index is dated in its zone and names its issuer.
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert "Pemerintah Kota Uji Tengah" in index
    assert re.search(r"dibuat \d{1,2} \w+ \d{4} \d{2}\.\d{2} WITA; waktu proses \d+,\d dtk", index)
    assert "Detik" not in index and "detik" in manifest.columns  # seconds stay for us
    assert "Pemerintah Kota Uji Tengah" in (folder / "PKM1.html").read_text(encoding="utf-8")


def test_the_index_writes_times_for_people(tmp_path):
    from asn_eval.batch.manifest import JobResult, write_index

    results = [JobResult("DLH", "DLH", "berhasil", 3.94, ["DLH.html"])]
    about = {
        "periode": "2025",
        "skema": "permenpan-6-2022",
        "dibuat": "2026-11-29T16:32:30+00:00",
        "zona_waktu": "WIT",
    }
    write_index(tmp_path, results, about, {"DLH": "Dinas Lingkungan Hidup"}, seconds=125.2)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "dibuat 30 November 2026 01.32 WIT; waktu proses 2 mnt 05 dtk;" in page
    assert "3.9" not in page and "3,9" not in page and "T16:32" not in page
    del about["zona_waktu"]  # a batch without a profile: WIB, and said
    write_index(tmp_path, results, about, {})
    assert "dibuat 29 November 2026 23.32 WIB;" in (tmp_path / "index.html").read_text()


# -- what the command line writes -----------------------------------------------------------------
def test_summary_writes_places_as_problems_do(make_dataset, capsys):
    def change(tables):
        tables["skp"]["target"] = "x"
        tables["skp"]["realisasi"] = "x"
        tables["perilaku"]["skor"] = "x"
        tables["organisasi"] = tables["organisasi"].iloc[:0]  # a problem without row or column

    code, out, _ = run_cli(capsys, "validate", make_dataset(change))
    assert code == 2
    summary = out.split("Ringkasan:\n")[1].split("\n\n")[0].splitlines()
    assert [" ".join(line.split()) for line in summary] == [
        "3 × galat: skp.csv:realisasi: bukan angka",
        "3 × galat: skp.csv:target: bukan angka",
        "2 × galat: perilaku.csv:skor: bukan angka",
        "1 × peringatan: organisasi.csv: tabel organisasi tidak berisi baris data",
    ]
    assert "organisasi.csv: peringatan: tabel organisasi tidak berisi baris data" in out
    assert re.search(r"Data TIDAK SAH: 8 galat, 1 peringatan \(\d+,\d dtk\)\.", out), out


@pytest.mark.parametrize(("asked", "expected"), [(None, "False"), ("1", "True")])
def test_the_command_line_asks_numpy_for_no_huge_pages_unless_told(asked, expected):
    # On a virtual machine that returns free memory to its host, each huge page is fetched from
    # the host when first touched (a first load of 100 k: 3.81 s with them, 3.34 s without); the
    # documented NUMPY_MADVISE_HUGEPAGE=1 keeps them. What the command line starts inherits it.
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    if asked is not None:
        env["NUMPY_MADVISE_HUGEPAGE"] = asked
    probe = (
        "import os, asn_eval.cli; from numpy._core import multiarray; "
        "print(multiarray._get_madvise_hugepage(), os.environ['NUMPY_MADVISE_HUGEPAGE'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == [expected, asked or "0"]
