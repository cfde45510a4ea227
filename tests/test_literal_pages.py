"""Reports and the app show data text as typed, end to end (issue 12): slow, real kernels.

A copy of the 400-employee sample city gets ``$\\undefinedcmd{x}$`` (mathtext matplotlib cannot
parse) in every free-text field, and unit names, service units and agency names also get
``$\\alpha$ <b>x</b>`` (mathtext that would draw as α, and markup). Then:

- the agency reports and the city overview run through Papermill (``run_reports``) and succeed,
  with the text HTML-escaped in the HTML and the slides, which load no MathJax;
- real Chromium shows the text literally in the HTML report and the slides (no MathJax element,
  no ``<b>`` made from data);
- the review app (``asn-eval app``, real Voilà and kernel, which does bundle MathJax) shows it
  literally in its pickers, tables and headings, and typesets nothing.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import server_preexec
from hostile_data import FREE_TEXT

from asn_eval.batch.manifest import BatchResult
from asn_eval.batch.runner import OVERVIEW, run_reports

pytestmark = pytest.mark.slow

SKIP_BROWSER = pytest.mark.skipif(
    os.environ.get("ASN_EVAL_SKIP_BROWSER") == "1", reason="ASN_EVAL_SKIP_BROWSER=1"
)
BAD = "$\\undefinedcmd{x}$"
MATH = "$\\alpha$ <b>x</b>"
NAMED = {"unit_kerja", "unit_layanan", "nama_opd"}  # the names figures are labelled with
AGENCIES = ["PKM-01", "DISDUKCAPIL"]  # four work units, one service unit; two service units
LOAD_S = 150


def _hostile(value: str, column: str) -> str:
    return f"{value} {MATH} {BAD}" if column in NAMED else f"{value} {BAD}"


@pytest.fixture(scope="module")
def city(city_400_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 400-employee city with mathtext and markup in every free-text field."""
    folder = tmp_path_factory.mktemp("kota-matematika") / "data"
    shutil.copytree(city_400_folder, folder)
    for table in sorted({t for t, _ in FREE_TEXT}):
        path = folder / f"{table}.csv"
        frame = pd.read_csv(path, dtype="str", keep_default_na=False)
        for _, column in (p for p in FREE_TEXT if p[0] == table):
            if column in frame:
                frame[column] = [_hostile(v, column) if v else v for v in frame[column]]
        frame.to_csv(path, index=False)
    return folder


@pytest.fixture(scope="module")
def names(city: Path) -> dict[str, list[str]]:
    """Each agency's unit and service-unit names, as typed."""
    pegawai = pd.read_csv(city / "pegawai.csv", dtype="str", keep_default_na=False)
    survei = pd.read_csv(city / "survei.csv", dtype="str", keep_default_na=False)
    opd = pd.read_csv(city / "opd.csv", dtype="str", keep_default_na=False)
    found = {}
    for code in AGENCIES:
        units = sorted(set(pegawai.loc[pegawai["kode_opd"] == code, "unit_kerja"]))
        services = sorted(set(survei.loc[survei["kode_opd"] == code, "unit_layanan"]))
        found[code] = [*opd.loc[opd["kode_opd"] == code, "nama_opd"], *units, *services]
    return found


@pytest.fixture(scope="module")
def batch(city: Path, tmp_path_factory: pytest.TempPathFactory) -> BatchResult:
    out = tmp_path_factory.mktemp("laporan-matematika")
    return run_reports(
        city, "2025", out=out, kode_opd=AGENCIES, jobs=2, formats=["html", "slides"], progress=False
    )


def _without_ignore_class(page: str) -> str:
    """The page in lower case without the classes that keep MathJax away from a section."""
    # the slides re-wrap a section and may list the two class names in the other order
    return page.lower().replace("tex2jax_ignore", "").replace("mathjax_ignore", "")


def test_reports_with_mathtext_in_every_field_succeed(
    batch: BatchResult, names: dict[str, list[str]]
) -> None:
    assert sorted(r.name for r in batch.results) == sorted([OVERVIEW, *AGENCIES])
    assert all(r.status == "berhasil" for r in batch.results), batch.results
    overview = (batch.folder / f"{OVERVIEW}.html").read_text(encoding="utf-8")
    for code in AGENCIES:
        for suffix in (".html", ".slides.html"):
            page = (batch.folder / f"{code}{suffix}").read_text(encoding="utf-8")
            assert "mathjax" not in _without_ignore_class(page), code + suffix
            assert page.count("data:image/png;base64,") >= 4, code + suffix
            for name in names[code]:
                assert html.escape(name, quote=False) in page, (code + suffix, name)
            assert MATH not in page  # never as markup
        services = names[code][-1]
        assert html.escape(services, quote=False) in overview  # the city's IKM figure and table
    assert "mathjax" not in _without_ignore_class(overview) and MATH not in overview


# -- in a real browser --------------------------------------------------------------------------
_SHOWN = """() => ({
    text: document.body.innerText,
    math: document.querySelectorAll('mjx-container, .MathJax, math').length,
    mathjax: typeof window.MathJax,
    bold: [...document.querySelectorAll('b')].filter(b => b.textContent === 'x').length,
})"""


def _shown_in(page) -> dict:
    found = page.evaluate(_SHOWN)
    found["text"] = found["text"].replace("\xa0", " ")
    return found


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    from asn_eval.batch.publish import CHROMIUM_ARGS, find_chromium

    if find_chromium() is None:
        pytest.fail("Chromium tidak ada: `apt-get install chromium` atau ASN_EVAL_SKIP_BROWSER=1")
    with sync_playwright() as playwright:
        opened = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        yield opened
        opened.close()


@SKIP_BROWSER
def test_report_and_slides_show_mathtext_and_markup_literally_in_chromium(
    chromium, batch: BatchResult, names: dict[str, list[str]]
) -> None:
    outside: list[str] = []
    context = chromium.new_context(offline=True)
    context.route(
        re.compile(r"^(?!file:|data:)"), lambda r: (outside.append(r.request.url), r.abort())
    )
    page = context.new_page()
    code = AGENCIES[0]
    page.goto((batch.folder / f"{code}.html").as_uri())
    report = _shown_in(page)
    page.goto((batch.folder / f"{code}.slides.html").as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    slides = _shown_in(page)
    context.close()
    assert outside == []
    for shown in (report, slides):
        assert shown["math"] == 0 and shown["mathjax"] == "undefined" and shown["bold"] == 0
    for name in names[code]:
        assert name in report["text"], name
    assert MATH in slides["text"] and BAD in slides["text"]


# -- the review app -----------------------------------------------------------------------------
READY = re.compile(r"siap di (http://127\.0\.0\.1:\d+/\S*)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(city: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``asn-eval app`` on the city, restricted to the first agency; stopped with Ctrl-C."""
    work = tmp_path_factory.mktemp("aplikasi-matematika")
    command = [sys.executable, "-m", "asn_eval", "app", str(city), "--periode", "2025"]
    command += ["--opd", AGENCIES[0], "--port", str(_free_port())]
    command += ["--keputusan", str(work / "keputusan.sqlite")]
    out = work / "server.out"
    with out.open("w") as stdout, (work / "server.err").open("w") as stderr:
        process = subprocess.Popen(
            command,
            stdout=stdout,
            stderr=stderr,
            env={**os.environ, "ASN_EVAL_CACHE": str(work / "cache")},
            start_new_session=True,
            preexec_fn=server_preexec,
        )
    try:
        deadline = time.monotonic() + LOAD_S
        while not (found := READY.search(out.read_text())):
            assert process.poll() is None, (work / "server.err").read_text()[-3000:]
            assert time.monotonic() < deadline, f"aplikasi tidak siap dalam {LOAD_S} dtk"
            time.sleep(0.2)
        yield found.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@SKIP_BROWSER
def test_app_shows_mathtext_and_markup_literally(
    chromium, app_url: str, names: dict[str, list[str]]
) -> None:
    outside: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    context.route(
        re.compile(r"^(?!http://127\.0\.0\.1[:/]|data:|blob:)"),
        lambda r: (outside.append(r.request.url), r.abort()),
    )
    page = context.new_page()
    page.goto(app_url, timeout=LOAD_S * 1000)
    page.locator("small", has_text="pegawai (").wait_for(timeout=LOAD_S * 1000)
    page.wait_for_timeout(1000)  # MathJax, were it to typeset, runs after the widgets render
    shown = _shown_in(page)
    options = page.evaluate(
        "() => [...document.querySelectorAll('.widget-dropdown option')]"
        ".map(o => o.textContent.replace(/\\u00a0/g, ' '))"
    )
    tables = page.evaluate(
        "() => [...document.querySelectorAll('.asn-app table')].map(t => t.textContent).join(' ')"
    )
    context.close()
    assert outside == []
    assert shown["math"] == 0 and shown["bold"] == 0, shown
    code = AGENCIES[0]
    agency, *units = names[code]
    assert agency in shown["text"]  # the summary's heading
    for unit in units[:-1]:  # work units: the unit filter of the employee tab
        assert unit in options, (unit, options)
    assert BAD in tables  # names and positions in the employee table
    assert any(BAD in option for option in options if option not in units)  # employee names
