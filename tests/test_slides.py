"""Slides designed as slides: 16:9, every slide's content inside 1280 × 720, the counter right.

Fast: how report sections are cut into slides (synthetic outputs; no kernel, no browser).
Slow: the slides of every agency of the sample city (the demo's city: 2,500 employees, seed 2025)
and of the city overview, walked slide by slide in Chromium.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from asn_eval.batch import slide_layout
from asn_eval.batch.publish import PdfPrinter, find_chromium, notebook_to_slides
from asn_eval.batch.slide_layout import CONTENT_HEIGHT, CONTENT_WIDTH, text_width
from asn_eval.batch.slides import MAX_TABLE_SLIDES, slide_notebook
from asn_eval.reporting import figures
from asn_eval.reporting.sections import Section

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LABELS = ["Sangat Baik", "Baik", "Butuh Perbaikan"]


# -- fast: cutting sections ----------------------------------------------------------------------
def _notebook(*outputs: str, tags: tuple[str, ...] = ()) -> nbformat.NotebookNode:
    cells = []
    for markup in outputs:
        cell = new_code_cell("x", metadata={"slideshow": {"slide_type": "slide"}})
        if tags:
            cell.metadata["tags"] = list(tags)
        cell.outputs = [new_output("display_data", data={"text/html": markup})]
        cells.append(cell)
    return new_notebook(cells=cells)


def _slides(nb: nbformat.NotebookNode, bahasa: str = "id") -> list[str]:
    """The HTML of each slide ``slide_notebook`` makes (one output per slide cell)."""
    cells = slide_notebook(nb, bahasa).cells
    assert all(c.metadata["slideshow"]["slide_type"] == "slide" for c in cells)
    return ["".join(o["data"]["text/html"] for o in c.outputs) for c in cells]


def _title(slide: str) -> str:
    return re.search(r"<h2>(.*?)</h2>", slide).group(1)


def _planned(slide: str) -> int:
    return int(re.search(r"data-asn-rencana='(\d+)'", slide).group(1))


def _people(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "NIP": [f"19900101202001{i:04d}" for i in range(n)],
            "Nama": [f"Pegawai Nomor {i} dengan Nama yang Agak Panjang" for i in range(n)],
            "Capaian": [90 + i / 7 for i in range(n)],
        }
    )


def test_a_long_table_is_split_with_title_and_header_repeated():
    section = Section("Daftar uji", ["Kalimat pembuka."], [("Semua pegawai", _people(40))])
    slides = _slides(_notebook(section._repr_html_()))
    assert len(slides) > 1
    assert _title(slides[0]) == "Daftar uji"
    assert [_title(s) for s in slides[1:]] == ["Daftar uji (lanjutan)"] * (len(slides) - 1)
    assert all("<thead>" in s and "Semua pegawai" in s for s in slides)
    rows = [nip for s in slides for nip in re.findall(r"19900101202001\d{4}", s)]
    assert rows == list(_people(40)["NIP"])  # every row once, in order
    assert all(_planned(s) <= CONTENT_HEIGHT for s in slides)
    # The HTML report is unchanged: one section, the marker around the table, no cut.
    report = section._repr_html_()
    assert report.count("<tr>") == 40 and report.count("<table") == 1
    assert "data-asn-baris='40'" in report


def test_a_table_too_long_for_its_slides_is_set_smaller_and_points_to_the_report():
    for bahasa, pointer in (
        ("id", r"… (\d+) baris lainnya ada di laporan lengkap\."),
        ("en", r"… (\d+) more rows in the full report\."),
    ):
        section = Section("Panjang", [], [("", _people(200))])
        slides = _slides(_notebook(section._repr_html_()), bahasa)
        assert len(slides) == MAX_TABLE_SLIDES
        assert all("<table data-asn-rapat" in s for s in slides)
        shown = sum(len(re.findall(r"19900101202001\d{4}", s)) for s in slides)
        assert 30 < shown < 200
        assert int(re.search(pointer, slides[-1]).group(1)) == 200 - shown
        assert all(_planned(s) <= CONTENT_HEIGHT for s in slides)


def test_small_blocks_share_a_slide_and_a_note_stays_with_its_table():
    cards = {f"Angka {i}": f"{i},5 %" for i in range(8)}
    section = Section("Ringkas", ["Satu.", "Dua."], [cards, ("", _people(14)), "… dan 7 lainnya."])
    slides = _slides(_notebook(section._repr_html_()))
    assert "asn-kartu-kartu" in slides[0]
    assert "dan 7 lainnya" in slides[-1] and "19900101202001" in slides[-1]
    assert all(_planned(s) <= CONTENT_HEIGHT for s in slides)


def test_a_sentence_that_introduces_a_table_goes_with_it():
    intro = "Kalimat pengantar tabel kedua."
    section = Section("Dua tabel", [], [("", _people(13)), intro, ("Kedua", _people(5))])
    slides = _slides(_notebook(section._repr_html_()))
    (with_intro,) = [s for s in slides if intro in s]
    assert "<h4>Kedua</h4>" in with_intro and "19900101202001" in with_intro
    assert all(_planned(s) <= CONTENT_HEIGHT for s in slides)


def test_a_tall_figure_of_rows_is_cut_between_its_rows():
    counts = pd.DataFrame(
        {"Sangat Baik": range(40), "Baik": [30] * 40, "Butuh Perbaikan": [2] * 40},
        index=[f"OPD-{i:02d}" for i in range(40)],
    )
    figure = figures.stacked_shares(counts, order=LABELS, title="Peringkat")
    markup = Section("Peringkat OPD", [], [figure])._repr_html_()
    cuts = [float(c) for c in re.search(r"data-asn-potong='([^']*)'", markup).group(1).split()]
    assert len(cuts) == 39 and cuts == sorted(cuts) and 0 < cuts[0] and cuts[-1] < 1
    slides = _slides(_notebook(markup))
    assert len(slides) >= 2
    boxes = [
        [float(v) for v in m]
        for s in slides
        for m in re.findall(
            r"width:(\d+)px;height:(\d+)px;.*?background-size:([\d.]+)px ([\d.]+)px;"
            r"background-position:0 (-?[\d.]+)px",
            s,
        )
    ]
    assert len(boxes) == len(slides)  # a slice per slide, no figure squeezed whole
    full = boxes[0][3]
    assert sum(b[1] for b in boxes) == pytest.approx(full, abs=len(boxes))  # nothing lost
    tops = [-b[4] for b in boxes]
    assert tops[0] == 0 and all(
        t == pytest.approx(prev + b[1], abs=1)
        for prev, b, t in zip(tops, boxes, tops[1:], strict=False)
    )
    assert all(b[0] <= CONTENT_WIDTH and b[1] <= CONTENT_HEIGHT for b in boxes)


def test_a_figure_that_fits_is_sized_to_the_room_left():
    figure = figures.histogram(pd.DataFrame({"c": range(100)}), x="c", title="Sebaran")
    section = Section("Sebaran", ["Satu kalimat."], [figure, ("", _people(4))])
    (slide,) = _slides(_notebook(section._repr_html_()))
    width, height = (
        int(v) for v in re.search(r"<img width='(\d+)' height='(\d+)'", slide).groups()
    )
    assert width <= CONTENT_WIDTH and height < CONTENT_HEIGHT and _planned(slide) <= CONTENT_HEIGHT


def test_outputs_that_are_not_sections_stay_and_never_nest_slides():
    signature = "<style>p{}</style><section class='asn-tanda-tangan'><p>Kepala</p></section>"
    printed = "<pre>teks</pre>"
    nb = _notebook(signature, printed)
    nb.cells.insert(0, new_markdown_cell("# Judul", metadata={"slideshow": {"slide_type": "-"}}))
    nb.cells[1].metadata["slideshow"]["slide_type"] = "subslide"
    cells = slide_notebook(nb).cells
    assert [c.metadata["slideshow"]["slide_type"] for c in cells] == ["slide", "slide", "slide"]
    html = cells[1].outputs[0]["data"]["text/html"]
    assert "<section" not in html and "<div class='asn-tanda-tangan'>" in html


def test_the_cover_opens_and_print_only_cells_stay_out():
    cover = "<header class='asn-sampul'><h1 class='asn-judul'>LAPORAN</h1></header>"
    body = Section("Ringkasan", ["Isi."], [])._repr_html_()
    nb = _notebook(cover, body)
    nb.cells += _notebook("<p>daftar_cetak_5521</p>", tags=("hanya-cetak",)).cells
    nb.cells += _notebook("<p>dihapus_7731</p>", tags=("hapus",)).cells
    html = notebook_to_slides(nb, title="Uji")
    body = html[html.index('<div class="slides">') :]
    sections = re.findall(r"<section\b.*?</section>", body, flags=re.DOTALL)
    assert len(sections) == 2 and "asn-sampul" in sections[0] and "Ringkasan" in sections[1]
    assert "daftar_cetak_5521" not in html and "dihapus_7731" not in html
    assert "<script src=" not in html and "Reveal.initialize(" in html
    assert 'slideNumber: "c/t"' in html


def test_the_width_tables_are_the_fonts():
    """The advance widths written in slide_layout are Liberation Sans' (Arial's metrics)."""
    ft2font = pytest.importorskip("matplotlib.ft2font")
    folder = Path("/usr/share/fonts/truetype/liberation")
    if not (folder / "LiberationSans-Regular.ttf").is_file():
        pytest.skip("Liberation Sans tidak terpasang (fonts-liberation)")
    sample = "".join(chr(c) for c in range(32, 127)) + "–…×≥≤→"
    for bold, name in ((False, "Regular"), (True, "Bold")):
        font = ft2font.FT2Font(str(folder / f"LiberationSans-{name}.ttf"))
        for ch in sample:
            glyph = font.load_char(ord(ch), flags=ft2font.LoadFlags.NO_SCALE)
            expected = round(glyph.horiAdvance * 1000 / font.units_per_EM)
            assert text_width(ch, 1000, bold) == expected, (ch, bold)


def test_text_wraps_as_the_browser_wraps_it():
    words = slide_layout.Words.of("Bidang Ideologi dan Wawasan Kebangsaan")
    full = words.full(18)
    assert words.lines(18, full + 0.01) == 1 and words.lines(18, full - 1) == 2
    # After a hyphen between letters or digits, not after a slash; short cells stay whole.
    assert len(slide_layout.Words.of("2025-TW1 PKM-02").pieces) == 4
    assert len(slide_layout.Words.of("Kurang/Misconduct").pieces) == 1
    assert len(slide_layout.Words.of("12 (16,4 %)", whole=True).pieces) == 1


# -- slow: every slide of the sample city in Chromium ---------------------------------------------
WALK = """() => {
  Reveal.configure({transition: 'none', backgroundTransition: 'none'});
  const total = Reveal.getTotalSlides();
  const top = document.querySelectorAll('.reveal .slides > section').length;
  const nested = document.querySelectorAll('.reveal .slides section section').length;
  const problems = [], titles = [], texts = [];
  const hides = (overflow, scroll, client) => overflow !== 'visible' && scroll > client + 1;
  for (let i = 0; i < total; i++) {
    Reveal.slide(i);
    const slide = Reveal.getCurrentSlide();
    const box = slide.getBoundingClientRect();
    const heading = slide.querySelector('h1, h2, h3');
    const title = heading ? heading.textContent.trim() : '';
    const where = `${i + 1} (${title.slice(0, 50)})`;
    titles.push(title);
    texts.push(slide.textContent);
    const counter = document.querySelector('.reveal .slide-number');
    const number = counter ? counter.textContent.replace(/\\s+/g, '') : '';
    if (number !== `${i + 1}/${total}`) problems.push(`${where}: penghitung "${number}"`);
    if (slide.dataset.asnDikecilkan) problems.push(`${where}: dikecilkan`);
    const area = counter.getBoundingClientRect();
    for (const el of [slide, ...slide.querySelectorAll('*')]) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const name = el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className
        ? '.' + el.className.split(' ')[0] : '');
      if (r.left < box.left - 0.5 || r.top < box.top - 0.5
          || r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5) {
        problems.push(`${where}: ${name} di luar salindia`);
      } else if (el !== slide && r.right > area.left && r.left < area.right
                 && r.bottom > area.top && r.top < area.bottom) {
        problems.push(`${where}: ${name} tertutup penghitung`);
      }
      if (hides(style.overflowY, el.scrollHeight, el.clientHeight)
          || hides(style.overflowX, el.scrollWidth, el.clientWidth)) {
        problems.push(`${where}: ${name} menyembunyikan isi`);
      }
    }
  }
  return {total, top, nested, problems, titles, texts};
}"""


def walk_slides(page, path: Path) -> dict:
    """Open a slides file in ``page`` (1280 × 720) and check every slide; return what was seen.

    The result holds ``total`` (reveal's count), ``top`` (slides in the file), ``nested``
    (vertical slides), ``problems`` (one line per element outside its slide, under the counter,
    or hiding content; a wrong counter; a slide the fitting guard had to shrink), and each slide's
    ``titles`` and ``texts``.
    """
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20_000)
    return page.evaluate(WALK)


def _stretching(data: Path) -> list[str]:
    """The agencies of a city that stretch its slides most, by every measure that fills one.

    The most employees (the longest tables, most "(lanjutan)" slides), the most units and
    positions, the longest agency and unit names, the fewest employees, and one of each kind of
    agency: about a third of the sample city's 33, where each added one costs a report.
    """
    opd = pd.read_csv(data / "opd.csv", dtype="str").set_index("kode_opd")
    pegawai = pd.read_csv(data / "pegawai.csv", dtype="str")
    by = pegawai.groupby("kode_opd")
    measures = {
        "pegawai": by.size(),
        "unit": by["unit_kerja"].nunique(),
        "jabatan": by["jabatan"].nunique(),
        "nama unit": by["unit_kerja"].agg(lambda u: u.str.len().max()),
        "nama opd": opd["nama_opd"].str.len(),
    }
    chosen = {code for m in measures.values() for code in m.nlargest(2).index}
    chosen |= set(measures["pegawai"].nsmallest(2).index)
    chosen |= set(opd.reset_index().groupby("jenis")["kode_opd"].first())
    return sorted(chosen)


@pytest.fixture(scope="module")
def sample_slides(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """The slides of the overview and of the agencies that stretch them most, demo city."""
    from asn_eval.batch.runner import run_reports
    from asn_eval.sample.generator import write_sample

    root = tmp_path_factory.mktemp("salindia")
    data = root / "data"
    write_sample(data)  # the defaults: 2,500 employees, seed 2025 (as `tasks.py demo`)
    chosen = _stretching(data)
    result = run_reports(
        data, "2025", out=root / "out", kode_opd=chosen, formats=["slides"], progress=False
    )
    assert not result.failed, result.failed
    yield root / "out" / "2025", chosen


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    """One Chromium page of 1280 × 720 that may open local files only (others are recorded)."""
    if find_chromium() is None:
        pytest.fail(
            "Chromium tidak ada: `apt-get install chromium`, atau set ASN_EVAL_SKIP_BROWSER=1"
        )
    with PdfPrinter() as printer:
        context = printer.browser.new_context(viewport={"width": 1280, "height": 720})
        context.set_offline(True)
        opened = context.new_page()
        opened.outside, opened.errors = [], []

        def only_files(route) -> None:
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                opened.outside.append(route.request.url)
                route.abort()

        context.route("**/*", only_files)
        opened.on("pageerror", lambda error: opened.errors.append(str(error)))
        _check_fonts(opened)
        yield opened
        context.close()


def _check_fonts(page) -> None:
    """Fail clearly when the browser does not have the slides' font (Arial's metrics)."""
    sample = "Kecamatan Pasar Baru 103,5 (12,1 %) Dinas Kependudukan"
    measured = page.evaluate(
        """(text) => { const c = document.createElement('canvas').getContext('2d');
        c.font = '18px Arial, "Liberation Sans"'; return c.measureText(text).width; }""",
        sample,
    )
    if abs(measured - text_width(sample, 18)) > 0.5:
        pytest.fail(
            "Chromium tidak punya huruf Arial atau Liberation Sans yang dipakai salindia "
            "(apt-get install fonts-liberation)"
        )


@pytest.mark.slow  # a batch of a dozen reports, then some 300 slides in Chromium
def test_every_slide_of_the_sample_city_fits(sample_slides, page):
    if os.environ.get("ASN_EVAL_SKIP_BROWSER") == "1":
        pytest.skip("ASN_EVAL_SKIP_BROWSER=1: tes peramban dilewati")
    folder, chosen = sample_slides
    assert 8 <= len(chosen) <= 16 and {"DINKES", "SETDA"} & set(chosen)
    files = sorted(folder.glob("*.slides.html"))
    assert {f.name.removesuffix(".slides.html") for f in files} == {*chosen, "ikhtisar-kota"}
    ARTIFACTS.mkdir(exist_ok=True)
    problems, counted = [], 0
    for path in files:
        seen = walk_slides(page, path)
        problems += [f"{path.name} {p}" for p in seen["problems"]]
        assert seen["total"] == seen["top"] >= 10 and seen["nested"] == 0, path.name
        counted += seen["total"]
        assert "LAPORAN" in seen["texts"][0].upper() or "IKHTISAR" in seen["texts"][0].upper()
        assert "Pemerintah Kota Sukamaju".upper() in seen["texts"][0].upper()
        assert any(t.endswith("(lanjutan)") for t in seen["titles"]), path.name
        html = path.read_text(encoding="utf-8")
        # The roster and the signature are for print only.
        assert not re.search(r"class=['\"][^'\"]*asn-(?:daftar|tanda-tangan)", html), path.name
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    page.goto((folder / "ikhtisar-kota.slides.html").as_uri() + "#/5")
    page.wait_for_timeout(300)
    page.screenshot(path=ARTIFACTS / "salindia-ikhtisar.png")
    assert problems == []
    assert counted > len(files) * 15
    assert page.outside == [] and page.errors == []


@pytest.mark.slow  # a batch of 4 reports, then their slides in Chromium
def test_slides_of_a_hand_written_city_fit_in_english_and_pseudonymised(
    make_dataset, page, tmp_path
):
    """Not the generator's city: four employees, a quarter, long and marked-up unit names."""
    from asn_eval.batch.runner import run_reports

    if os.environ.get("ASN_EVAL_SKIP_BROWSER") == "1":
        pytest.skip("ASN_EVAL_SKIP_BROWSER=1: tes peramban dilewati")
    long_unit = "Bidang Pencegahan, Pengendalian Penyakit dan Penanggulangan Krisis Kesehatan " * 2

    def stretch(tables: dict[str, pd.DataFrame]) -> None:
        people = tables["pegawai"]
        people["unit_kerja"] = [long_unit.strip(), "$\\alpha$ <b>Pimpinan</b>", "Pelayanan", "X"]
        people["jabatan"] = people["jabatan"] + " dengan Tugas Tambahan yang Sangat Panjang"

    data = make_dataset(stretch)
    result = run_reports(
        data, "2025-TW1", out=tmp_path / "out", formats=["slides"], bahasa="en", anonim=True,
        progress=False,
    )  # fmt: skip
    assert not result.failed, result.failed
    files = sorted((tmp_path / "out" / "2025-TW1").glob("*.slides.html"))
    assert len(files) == 4
    for path in files:
        seen = walk_slides(page, path)
        assert seen["problems"] == [], path.name
        assert seen["total"] == seen["top"] >= 2 and seen["nested"] == 0
        assert not any("(lanjutan)" in t for t in seen["titles"])  # English: "(continued)"
        assert "Andi Pratama" not in " ".join(seen["texts"])
    assert page.errors == []
