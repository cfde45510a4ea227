"""The report batch: real kernels through Papermill, failures isolated, resume, scans of outputs.

Every test here runs kernels, so the module is ``slow``. The tests that only read a plain batch
(every report written, short reports, no other agency's people) share one batch of the module; the
resume and decisions tests start from a copy of it. Tests that need their own notebooks, options
or formats make their own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from asn_eval.batch.manifest import BatchResult
from asn_eval.batch.runner import OVERVIEW, run_reports
from asn_eval.city_profile import load_profile
from asn_eval.input.nip import format_nip

ROOT = Path(__file__).resolve().parent.parent
SKIP_BROWSER = os.environ.get("ASN_EVAL_SKIP_BROWSER") == "1"

pytestmark = pytest.mark.slow

# The module's shared batch: the agencies in the order of the opd table, then the one without
# employees (added last), the overview first.
SHARED = ["DINKES", "DLH", "KESBANGPOL", "PKM-01", "KOSONG"]
SHARED_FORMATS = ["html", "ipynb"]


@pytest.fixture(scope="module")
def city(city_400_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 400-employee city, plus an agency without employees and one without data for 2025."""
    folder = tmp_path_factory.mktemp("kota") / "data"
    shutil.copytree(city_400_folder, folder)
    opd = pd.read_csv(folder / "opd.csv", dtype="str")
    extra = pd.DataFrame(
        {"kode_opd": ["KOSONG"], "nama_opd": ["Badan Tanpa Pegawai"], "jenis": ["badan"]}
    )
    pd.concat([opd, extra]).to_csv(folder / "opd.csv", index=False)
    pegawai = pd.read_csv(folder / "pegawai.csv", dtype="str")
    quiet = set(pegawai.loc[pegawai["kode_opd"] == "KESBANGPOL", "nip"])
    for table in ("skp", "perilaku", "penilaian", "kehadiran", "aktivitas"):
        path = folder / f"{table}.csv"
        frame = pd.read_csv(path, dtype="str")
        frame[~frame["nip"].isin(quiet)].to_csv(path, index=False)
    return folder


@pytest.fixture(scope="module")
def batch(city: Path, tmp_path_factory: pytest.TempPathFactory) -> BatchResult:
    """One batch, two workers: every agency of :data:`SHARED` as HTML and notebook."""
    out = tmp_path_factory.mktemp("laporan")
    return run_reports(
        city, "2025", out=out, kode_opd=SHARED, jobs=2, formats=SHARED_FORMATS, progress=False
    )


def _copy_of(batch: BatchResult, out: Path) -> Path:
    """A copy of the shared batch's folder under ``out`` (times kept), to resume in."""
    folder = out / batch.folder.name
    shutil.copytree(batch.folder, folder)
    return folder


def _people(city: Path) -> pd.DataFrame:
    return pd.read_csv(city / "pegawai.csv", dtype="str")[["nip", "nama", "kode_opd"]]


def _texts(folder: Path) -> dict[str, str]:
    """Every output file of a batch as text (PDF as its raw bytes, which hold its text)."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            found[str(path.relative_to(folder))] = path.read_bytes().decode("latin-1")
    return found


def test_batch_writes_every_report_manifest_and_index(batch: BatchResult) -> None:
    folder = batch.folder
    assert folder.name == "2025" and folder.parent.name.startswith("laporan")
    assert [r.name for r in batch.results] == [OVERVIEW, *SHARED]
    assert all(r.status == "berhasil" for r in batch.results), batch.results
    for name in (OVERVIEW, *SHARED):
        assert (folder / f"{name}.html").stat().st_size > 1000
    manifest = pd.read_csv(folder / "manifest.csv")
    assert list(manifest["nama"]) == [OVERVIEW, *SHARED]
    assert set(manifest["status"]) == {"berhasil"}
    assert manifest.set_index("nama").loc["KOSONG", "kosong"]
    index = (folder / "index.html").read_text(encoding="utf-8")
    for name in (OVERVIEW, *SHARED):
        assert f"href='{name}.html'" in index
    # Nothing half-written or temporary is left where a user looks.
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]

    dlh = (folder / "DLH.html").read_text(encoding="utf-8")
    assert "Dinas Lingkungan Hidup" in dlh
    assert "Kurva terlampaui" in dlh or "sesuai kurva" in dlh
    assert "data:image/png;base64," in dlh
    assert "laporan.distribusi()" not in dlh  # code hidden
    pkm = (folder / "PKM-01.html").read_text(encoding="utf-8")
    assert "Puskesmas Melati" in pkm and "IKM" in pkm

    kosong = (folder / "KOSONG.html").read_text(encoding="utf-8")
    assert "tidak memiliki pegawai dengan data untuk periode 2025" in kosong
    assert "Distribusi predikat" not in kosong  # a short report, not empty sections

    overview = (folder / f"{OVERVIEW}.html").read_text(encoding="utf-8")
    assert "Kota dibanding kenyataan nasional" in overview and "11,27 %" in overview


def test_an_agency_with_employees_but_no_data_for_the_period_gets_a_short_report(
    batch: BatchResult,
) -> None:
    result = {r.name: r for r in batch.results}
    assert [result[n].status for n in (OVERVIEW, "KESBANGPOL")] == ["berhasil", "berhasil"]
    assert result["KESBANGPOL"].empty
    page = (batch.folder / "KESBANGPOL.html").read_text(encoding="utf-8")
    assert "Badan Kesatuan Bangsa dan Politik tidak memiliki pegawai dengan data" in page


def test_no_report_names_an_employee_of_another_agency(city: Path, batch: BatchResult) -> None:
    codes = ["DLH", "DINKES", "PKM-01"]
    assert set(codes) <= set(SHARED) and {"html", "ipynb"} <= set(SHARED_FORMATS)
    people = _people(city)
    # The city profile's signatory (the head of the BKPSDM) signs every report.
    signatory = load_profile(city).penandatangan.nip.replace(" ", "")
    for code in codes:
        mine = people[people["kode_opd"] == code]
        others = people[(people["kode_opd"] != code) & (people["nip"] != signatory)]
        # Namesakes ("Intan Utami" beside "Intan Utami, A.Md.Keb.") are not leaks.
        other_names = {n for n in others["nama"] if not any(n in m for m in mine["nama"])}
        for suffix in (".html", ".ipynb"):
            page = (batch.folder / f"{code}{suffix}").read_text(encoding="utf-8")
            assert not [nip for nip in others["nip"] if nip in page], (code, suffix)
            written = format_nip(others["nip"])  # as the roster writes a NIP
            assert not [nip for nip in written if nip in page], (code, suffix)
            assert not [name for name in other_names if name in page], (code, suffix)
        # The scan can fail: the agency's own people are named in its report.
        page = (batch.folder / f"{code}.html").read_text(encoding="utf-8")
        assert any(name in page for name in mine["nama"])


def test_anonymous_batch_has_no_full_nip_or_name_in_any_file(city: Path, tmp_path: Path) -> None:
    codes = ["DLH", "PKM-01"]
    first = run_reports(
        city,
        "2025",
        out=tmp_path,
        kode_opd=codes,
        formats=["html", "ipynb", "slides", "pdf"],
        anonim=True,
        progress=False,
    )
    assert not first.failed, first.failed
    people = _people(city)
    texts = _texts(tmp_path / "2025")
    assert any(name.endswith(".pdf") for name in texts)
    for name, content in texts.items():
        assert not [n for n in people["nip"] if n in content], name
        assert not [n for n in people["nama"] if n in content], name
    pseudonyms = set(re.findall(r"Pegawai [2-9A-Z]{6}", texts["DLH.html"]))
    assert pseudonyms  # names were replaced, not dropped
    # Stable across the batch and across a resumed run of it.
    again = run_reports(
        city, "2025", out=tmp_path, kode_opd=codes, anonim=True, resume=True, progress=False
    )
    assert [r.status for r in again.results] == ["berhasil"] * 3
    page = (tmp_path / "2025" / "DLH.html").read_text(encoding="utf-8")
    assert pseudonyms <= set(re.findall(r"Pegawai [2-9A-Z]{6}", page))


def _notebook(cells: list[str], path: Path) -> Path:
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = new_notebook(metadata={"kernelspec": kernel, "language_info": {"name": "python"}})
    parameters = new_code_cell(
        'kode_opd = ""\nperiode = ""\ndata = ""\nskema = ""\nanonim = False\n'
        'bahasa = "id"\nbatch = ""'
    )
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, *(new_code_cell(c) for c in cells)]
    nbformat.write(nb, path)
    return path


def test_a_failing_report_does_not_stop_the_others_and_resume_redoes_only_it(
    city: Path, tmp_path: Path
) -> None:
    flag = tmp_path / "rusak.flag"
    flag.write_text("DLH")
    notebook = _notebook(
        [
            "import pathlib\n"
            f"if pathlib.Path({str(flag)!r}).exists() and kode_opd == 'DLH':\n"
            "    raise RuntimeError('laporan rusak ' + kode_opd)",
            "print('laporan', kode_opd)",
        ],
        tmp_path / "rusak.ipynb",
    )
    out = tmp_path / "out"
    args = [sys.executable, "-m", "asn_eval", "reports", str(city), "--periode", "2025"]
    args += ["--opd", "BKPSDM", "DLH", "PKM-01", "--out", str(out), "--diam"]
    args += ["--notebook", str(notebook)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "GAGAL DLH: RuntimeError: laporan rusak DLH" in done.stdout
    folder = out / "2025"
    manifest = pd.read_csv(folder / "manifest.csv").set_index("nama")
    assert manifest.loc["DLH", "status"] == "gagal"
    assert "laporan rusak DLH" in manifest.loc["DLH", "galat"]
    assert set(manifest.drop(index="DLH")["status"]) == {"berhasil"}
    assert not (folder / "DLH.html").exists()
    kept = nbformat.read(folder / "gagal" / "DLH.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))
    assert "<td>gagal</td>" in (folder / "index.html").read_text(encoding="utf-8")
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html") if p.stem != "index"}

    flag.unlink()  # the cause is fixed; the notebook itself is unchanged
    done = subprocess.run([*args, "--resume"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    after = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html") if p.stem != "index"}
    assert set(after) == set(before) | {"DLH.html"}
    assert all(after[name] == before[name] for name in before)  # the others were not redone
    manifest = pd.read_csv(folder / "manifest.csv").set_index("nama")
    assert set(manifest["status"]) == {"berhasil"}
    assert not (folder / "gagal" / "DLH.ipynb").exists()


def test_a_batch_whose_output_reader_left_still_makes_every_report(
    city: Path, tmp_path: Path
) -> None:
    """`asn-eval reports … 2>&1 | head`: stdout and stderr (the progress bar) go nowhere."""
    notebook = _notebook(["print('laporan', kode_opd)"], tmp_path / "singkat.ipynb")
    out = tmp_path / "out"
    args = [sys.executable, "-m", "asn_eval", "reports", str(city), "--periode", "2025"]
    args += ["--opd", "BKPSDM", "DLH", "--out", str(out), "--notebook", str(notebook)]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(args, stdout=write_end, stderr=write_end, check=False)
    finally:
        os.close(write_end)
    assert done.returncode == 0
    manifest = pd.read_csv(out / "2025" / "manifest.csv")
    assert list(manifest["status"]) == ["berhasil"] * 3


def test_resume_redoes_only_what_is_missing_or_failed(
    city: Path, batch: BatchResult, tmp_path: Path
) -> None:
    folder = _copy_of(batch, tmp_path)  # the first run
    (folder / "DLH.html").unlink()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for row in manifest["laporan"]:
        if row["nama"] == "PKM-01":
            row["status"] = "gagal"
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html")}
    again = run_reports(
        city,
        "2025",
        out=tmp_path,
        kode_opd=SHARED,
        jobs=2,
        formats=SHARED_FORMATS,
        resume=True,
        progress=False,
    )
    after = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html")}
    assert all(r.status == "berhasil" for r in again.results)
    redone = {name for name in after if after[name] != before.get(name)} - {"index.html"}
    assert redone == {"DLH.html", "PKM-01.html"}


def test_reports_sharing_a_kernel_see_nothing_of_each_other(city: Path, tmp_path: Path) -> None:
    """The first report leaks everything it can; the next ones, in the same kernel, check."""
    module_dir = tmp_path / "modul"
    module_dir.mkdir()
    (module_dir / "modul_bocor.py").write_text(
        "import os\nos.environ['BOCOR_IMPOR'] = str(int(os.environ.get('BOCOR_IMPOR', '0')) + 1)\n"
    )
    marker = tmp_path / "pid.txt"
    leak = f"""
import os, sys, warnings, random
import numpy as np, pandas as pd, matplotlib as mpl, matplotlib.pyplot as plt
if not os.path.exists({str(marker)!r}):  # the first report in the kernel
    variabel_bocor = 42
    sys.path.insert(0, {str(module_dir)!r})
    import modul_bocor
    pd.set_option('display.max_rows', 3)
    mpl.rcParams['lines.linewidth'] = 9.0
    plt.figure()
    warnings.simplefilter('error')
    np.seterr(all='raise')
    np.random.seed(1); random.seed(1)
    os.environ['BOCOR'] = '1'
    os.chdir({str(tmp_path)!r})
    open({str(marker)!r}, 'w').write(str(os.getpid()))
else:
    assert open({str(marker)!r}).read() == str(os.getpid()), 'not the same kernel'
    assert 'variabel_bocor' not in globals()
    assert {str(module_dir)!r} not in sys.path
    assert 'modul_bocor' not in sys.modules
    assert 'BOCOR' not in os.environ and 'BOCOR_IMPOR' not in os.environ
    assert pd.get_option('display.max_rows') == 60
    assert mpl.rcParams['lines.linewidth'] != 9.0
    assert plt.get_fignums() == []
    assert not any(f[0] == 'error' and f[2] is Warning for f in warnings.filters)
    assert np.geterr()['divide'] != 'raise'
    assert os.getcwd() != {str(tmp_path)!r}
    print('bersih')
"""
    notebook = _notebook([leak], tmp_path / "bocor.ipynb")
    overview = _notebook(["print('ikhtisar')"], tmp_path / "ikhtisar.ipynb")
    batch = run_reports(
        city,
        "2025",
        out=tmp_path / "out",
        kode_opd=["BKPSDM", "DLH", "PKM-01"],
        jobs=1,
        formats=["ipynb"],
        notebooks={"laporan": notebook, "ikhtisar": overview},
        progress=False,
    )
    assert [r.status for r in batch.results] == ["berhasil"] * 4, batch.results
    checked = 0
    for code in ("BKPSDM", "DLH", "PKM-01"):
        nb = nbformat.read(tmp_path / "out" / "2025" / f"{code}.ipynb", as_version=4)
        printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        checked += "bersih" in printed
    assert checked == 2  # one report leaked, the two after it in the same kernel found it clean


@pytest.mark.skipif(SKIP_BROWSER, reason="ASN_EVAL_SKIP_BROWSER=1")
def test_slides_and_pdf_of_a_report(city: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    from asn_eval.batch.publish import CHROMIUM_ARGS, find_chromium

    batch = run_reports(
        city, "2025", out=tmp_path, kode_opd=["DLH"], formats=["pdf", "slides"], progress=False
    )
    assert not batch.failed, batch.failed
    folder = tmp_path / "2025"
    pdf = (folder / "DLH.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 3
    assert not (folder / "DLH.html").exists()  # printed from HTML, but only PDF was asked for

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        context = browser.new_context(offline=True)
        context.route(
            re.compile(r"^(?!file:)"),
            lambda route: (requests.append(route.request.url), route.abort()),
        )
        page = context.new_page()
        page.goto((folder / "DLH.slides.html").as_uri())
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        assert page.evaluate("Reveal.getTotalSlides()") >= 8
        page.keyboard.press("ArrowRight")
        page.wait_for_function("Reveal.getIndices().h === 1")
        page.wait_for_timeout(1200)  # let the slide transition end before the screenshot
        text = page.inner_text(".reveal")
        artifacts = ROOT / "tests" / "artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "laporan-slides-DLH.png"))
        browser.close()
    assert "Distribusi predikat" in text or "Ringkasan" in text
    assert requests == []


def test_a_notebook_over_its_time_limit_is_stopped_and_marked(city: Path, tmp_path: Path) -> None:
    slow = _notebook(
        ["import time\nif kode_opd == 'DLH':\n    time.sleep(120)", "print('selesai', kode_opd)"],
        tmp_path / "lambat.ipynb",
    )
    batch = run_reports(
        city,
        "2025",
        out=tmp_path / "out",
        kode_opd=["DLH", "BKPSDM"],
        jobs=1,
        timeout=4,
        formats=["ipynb"],
        notebooks={"laporan": slow, "ikhtisar": slow},
        progress=False,
    )
    status = {r.name: (r.status, r.error) for r in batch.results}
    assert status["DLH"] == ("gagal", "batas waktu 4 dtk terlampaui")
    assert status["BKPSDM"][0] == "berhasil"  # the kernel was replaced, the batch went on
    assert batch.seconds < 60


def test_reports_show_the_forum_decisions_next_to_the_computed_predikat(
    city: Path, batch: BatchResult, tmp_path: Path
) -> None:
    from asn_eval.decisions import DecisionStore

    people = _people(city)
    nip = people.loc[people["kode_opd"] == "DLH", "nip"].iloc[0]
    store_path = tmp_path / "keputusan.sqlite"
    # The first run: the shared batch, made while no decisions file existed (as here).
    assert not store_path.exists()
    assert not batch.failed
    _copy_of(batch, tmp_path)
    with DecisionStore(store_path, pegawai=people) as store:
        store.record(
            nip=nip,
            periode="2025",
            skema="permenpan-6-2022",
            kode_opd="DLH",
            sebelum="Baik",
            sesudah="Butuh Perbaikan",
            alasan="Bukti dukung capaian tidak lengkap",
            oleh="forum uji",
        )
    again = run_reports(
        city,
        "2025",
        out=tmp_path,
        kode_opd=["DLH"],
        keputusan=store_path,
        resume=True,
        progress=False,
    )
    assert all(r.status == "berhasil" for r in again.results)
    page = (tmp_path / "2025" / "DLH.html").read_text(encoding="utf-8")
    assert "Keputusan kalibrasi forum" in page
    assert "Bukti dukung capaian tidak lengkap" in page
    assert "Predikat dihitung" in page and "Butuh Perbaikan" in page
    # The index says which decisions were used, as the head an auditor checks the file against.
    with DecisionStore(store_path, access="read") as store:
        head = store.head()
    index = (tmp_path / "2025" / "index.html").read_text(encoding="utf-8")
    assert f"1 peristiwa, kepala {head.short}" in index and "--sampai" in index
