"""Labels in figures and report sections are literal: no data text is read as mathtext or markup.

Issue 12: ``Bidang $\\undefinedcmd{x}$`` in a unit name made matplotlib's mathtext fail and took
down the agency's report and the city overview; ``$\\alpha$`` was drawn as α. Every figure
function is drawn here with such labels, also with texts added after it returned and under
global settings that would parse math (or call LaTeX); every report section of an agency and of
the city is built from a dataset whose every free-text field holds them. The slow end-to-end
runs (Papermill, Chromium, the app) are in ``test_literal_pages.py``.
"""

from __future__ import annotations

import html
import inspect
import io
from collections.abc import Callable

import matplotlib as mpl
import pandas as pd
import pytest
from hostile_data import hostile_tables, write_quoted
from matplotlib.figure import Figure
from matplotlib.text import Text

from asn_eval.reporting import figures
from asn_eval.reporting.agency import AgencyReport
from asn_eval.reporting.overview import CityOverview
from asn_eval.reporting.results import CityResults
from asn_eval.reporting.sections import Section

BAD = "Bidang $\\undefinedcmd{x}$"  # mathtext that fails to parse
MATH = "$\\alpha$ <b>x</b>"  # mathtext that parses (α) and markup
LONG = "Unit Pelaksana Teknis Daerah Pusat Kesehatan Masyarakat Kecamatan Sungai Limau Barat"
LABELS = [BAD, MATH, LONG]
PREDIKAT = ["Sangat Baik $x$", "Baik", "Butuh Perbaikan"]  # a scheme's labels are data too


def _drawn() -> dict[str, tuple[Figure, list[str]]]:
    """Every figure function drawn with data labels: name → (figure, labels it must show)."""
    tidy = pd.DataFrame(
        {
            "predikat": PREDIKAT * 2,
            "porsi": [0.2, 0.5, 0.3, 0.1, 0.6, 0.3],
            "sumber": [BAD] * 3 + [MATH] * 3,
        }
    )
    limits = pd.DataFrame(
        {"predikat": PREDIKAT[:2], "batas": [0.3, 0.4], "jenis": ["maks", "min"], "label": LONG}
    )
    counts = pd.DataFrame([[3, 1, 0], [1, 2, 2], [0, 4, 1]], index=LABELS, columns=PREDIKAT)
    scores = pd.DataFrame([[4.1, 3.0], [2.5, None], [3.3, 4.8]], index=LABELS, columns=[BAD, MATH])
    bars = pd.DataFrame({"ikm": [88.0, 76.5, 60.2], "unit": LABELS, "mutu": [BAD, MATH, LONG]})
    return {
        "distribution_bars": (
            figures.distribution_bars(
                tidy, x="predikat", y="porsi", hue="sumber", order=PREDIKAT, limits=limits,
                title=BAD, xlabel=MATH, ylabel=LONG,
            ),
            [*PREDIKAT, BAD, MATH, LONG],
        ),
        "stacked_shares": (
            figures.stacked_shares(counts, order=PREDIKAT, title=MATH, xlabel=BAD),
            [*LABELS, *PREDIKAT],
        ),
        "behaviour_heatmap": (
            figures.behaviour_heatmap(scores, title=BAD, xlabel=MATH, ylabel=LONG),
            [*LABELS],
        ),
        "histogram": (
            figures.histogram(
                pd.DataFrame({"capaian": [80.0, 95.5, 101.0, 120.0]}), x="capaian", bins=4,
                reference=100, reference_label=MATH, title=BAD, xlabel=LONG, ylabel=MATH,
            ),
            [MATH, BAD, LONG],
        ),
        "horizontal_bars": (
            figures.horizontal_bars(
                bars, x="ikm", y="unit", hue="mutu", hue_order=[BAD, MATH, LONG],
                references=[(76.61, BAD), (88.31, MATH)], title=LONG, xlabel=BAD,
            ),
            [*LABELS],
        ),
    }  # fmt: skip


def _texts(figure: Figure) -> list[Text]:
    return [t for t in figure.findobj(Text) if t.get_text()]


def _drawing_functions() -> set[str]:
    return {
        name
        for name in figures.__all__
        if inspect.isfunction(getattr(figures, name))
        and inspect.signature(getattr(figures, name)).return_annotation in (Figure, "Figure")
    }


def test_every_figure_function_is_drawn_here() -> None:
    assert _drawing_functions() == set(_drawn())


@pytest.mark.parametrize("name", sorted(_drawing_functions()))
def test_figure_labels_are_drawn_as_written(name: str) -> None:
    figure, labels = _drawn()[name]
    assert isinstance(figure, figures.LiteralFigure)
    figures.png_base64(figure)  # no ParseFatalException
    texts = _texts(figure)
    assert [t.get_text() for t in texts if t.get_parse_math() or t.get_usetex()] == []
    shown = {t.get_text() for t in texts}
    assert set(labels) <= shown, set(labels) - shown


def _scribble(figure: Figure) -> None:
    """Add texts the way a caller might, after the figure function returned."""
    ax = figure.axes[0]
    ax.text(0.5, 0.5, BAD)
    ax.annotate(MATH, xy=(0.2, 0.2))
    ax.set_xticks([0, 1], [MATH, BAD])
    ax.set_title(BAD)
    figure.suptitle(MATH)
    figure.legend([BAD, MATH])


@pytest.mark.parametrize(
    "settings",
    [{}, {"text.usetex": True}, {"text.parse_math": True}],
    ids=["bawaan", "usetex", "parse_math"],
)
def test_texts_added_later_are_literal_whatever_the_global_settings(settings: dict) -> None:
    figure, _ = _drawn()["horizontal_bars"]
    with mpl.rc_context(settings):
        _scribble(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")  # not png_base64: no style context of ours
        assert mpl.rcParams["text.usetex"] == settings.get("text.usetex", False)
    texts = _texts(figure)
    assert [t.get_text() for t in texts if t.get_parse_math() or t.get_usetex()] == []
    assert {BAD, MATH} <= {t.get_text() for t in texts}
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_a_section_is_kept_from_mathjax_and_escapes_markup() -> None:
    table = pd.DataFrame({"unit": [MATH, BAD]})
    page = Section(MATH, [BAD], [{MATH: BAD}, ("", table), MATH])._repr_html_()
    assert "<section class='asn-bagian tex2jax_ignore mathjax_ignore'>" in page
    assert "<b>" not in page
    assert html.escape(MATH) in page and BAD in page


# -- every section of the reports, from a dataset that holds such text everywhere ----------------
def _mathtext(i: int, table: str, column: str) -> str:
    return f"{[BAD, MATH][i % 2]} {column} {i}"


@pytest.fixture(scope="module")
def mathtext_city(tmp_path_factory: pytest.TempPathFactory) -> CityResults:
    folder = write_quoted(hostile_tables(_mathtext), tmp_path_factory.mktemp("matematika") / "d")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASN_EVAL_CACHE", str(folder.parent / "cache"))
        return CityResults.compute(folder, "2025-TW1")


def _sections(build: Callable[[], list[Section | None]]) -> list[Section]:
    return [s for s in build() if s is not None]


def test_every_section_of_the_reports_renders_mathtext_as_text(mathtext_city: CityResults):
    overview = CityOverview(mathtext_city)
    agency = AgencyReport(mathtext_city, "PKM1")
    city_sections = [
        overview.ringkasan(),
        overview.temuan(),
        overview.nasional(),
        overview.peringkat(),
        overview.kurva(),
        overview.keadilan(),
        overview.ikm(),
    ]
    pages = [s._repr_html_() for s in [*agency.sections(), *_sections(lambda: city_sections)]]
    joined = "".join(pages)
    assert joined.count("data:image/png;base64,") >= 5
    assert "<b>" not in joined
    for column in ("unit_kerja", "unit_layanan", "nama_opd"):
        assert any(f"{column} " in page for page in pages), column
    assert f"{BAD} unit_kerja 2" in joined  # PKM1's nurse, as typed
    assert html.escape(f"{MATH} unit_layanan 1") in joined
    assert html.escape(f"{MATH} nama_opd 1") in joined
