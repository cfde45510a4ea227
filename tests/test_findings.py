"""Findings agree with the evidence behind the predikat (issue 13), on small hand-made data.

The 9-box is the scheme's matrix; every follow-up row names the rating, value and threshold that
put it there, and the threshold printed is the one applied (a scheme with other boundaries changes
both); a quarterly report compares with the earlier quarters of its year, and data with only a
year, one quarter or a gap says so; figures write numbers as the tables do.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pandas as pd
import pytest
from conftest import NIP_B, NIP_C, tiny_tables
from matplotlib.figure import Figure

from asn_eval.analysis.comparison import mean_intervals, t_quantile
from asn_eval.analysis.development import (
    box_counts,
    coaching_candidates,
    follow_up_rules,
    nine_box,
    recognition_candidates,
    threshold,
)
from asn_eval.formatting import number
from asn_eval.input.dataset import Dataset
from asn_eval.reporting import figures
from asn_eval.reporting.agency import AgencyReport
from asn_eval.reporting.overview import CityOverview
from asn_eval.reporting.results import CityResults
from asn_eval.reporting.text import text
from asn_eval.scoring.evidence import VALUES
from asn_eval.scoring.scheme import load_scheme

PERIODIC = ("skp", "perilaku", "kehadiran", "survei", "penilaian", "organisasi")


def _behaviour(scores: list[str]) -> pd.DataFrame:
    """The supervisor rates NIP_C on every core value (and nobody else)."""
    return pd.DataFrame(
        {
            "periode": ["2025-TW1"] * len(VALUES),
            "nip": [NIP_C] * len(VALUES),
            "nip_penilai": [NIP_B] * len(VALUES),
            "peran_penilai": ["atasan"] * len(VALUES),
            "nilai_inti": list(VALUES),
            "skor": scores,
        }
    )


def _tables(*, periods=("2025-TW1",), scores=None, rating="Sesuai Ekspektasi", realisasi=None):
    """The tiny city, NIP_C rated by the supervisor only, copied into each of ``periods``."""
    tables = tiny_tables()
    del tables["penilaian"]  # ratings come from the evidence (and skp.rating_atasan)
    tables["perilaku"] = _behaviour(scores or ["4"] * len(VALUES))
    tables["skp"]["rating_atasan"] = rating
    if realisasi is not None:
        tables["skp"]["realisasi"] = realisasi
    for name in PERIODIC:
        if name in tables:
            frame = tables[name]
            tables[name] = pd.concat([frame.assign(periode=p) for p in periods], ignore_index=True)
    return tables


def _report(data, periode, skema="permenpan-6-2022", opd="PKM1") -> AgencyReport:
    """The agency report of ``data`` (tables, or a Dataset checked once for several reports)."""
    dataset = data if isinstance(data, Dataset) else Dataset.from_frames(data)
    return AgencyReport(CityResults.compute(dataset, periode, skema), opd)


def _table(section, caption: str) -> pd.DataFrame:
    return next(b[1] for b in section.blocks if isinstance(b, tuple) and b[0] == caption)


def _notes(section) -> str:
    return " ".join([*section.paragraphs, *(b for b in section.blocks if isinstance(b, str))])


@pytest.fixture(scope="module")
def strict_scheme(tmp_path_factory) -> Path:
    """A scheme with unusual boundaries: what a report prints must follow them."""
    path = tmp_path_factory.mktemp("skema") / "uji-batas.toml"
    path.write_text(
        'dasar = "permenpan-6-2022"\nnama = "uji-batas"\njudul = "uji"\njenis = "matriks"\n'
        "[hasil_kerja]\nbatas_di_atas = 105\nbatas_sesuai = 85\n"
        "[perilaku]\nbatas_di_atas = 4.2\nbatas_sesuai = 2.5\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def low() -> Dataset:
    """NIP_C in TW1, behaviour 2,14 from the supervisor (mean of 2,2,2,2,2,2,3)."""
    return Dataset.from_frames(_tables(scores=["2"] * 6 + ["3"]))


@pytest.fixture(scope="module")
def good() -> Dataset:
    """NIP_C in TW1: given Di Atas, achievement ≈ 120 %, behaviour 4,29."""
    scores = ["4", "4", "5", "4", "5", "4", "4"]
    return Dataset.from_frames(
        _tables(scores=scores, rating="Di Atas Ekspektasi", realisasi=["120", "110", "10"])
    )


@pytest.fixture(scope="module")
def national(good) -> AgencyReport:
    return _report(good, "2025-TW1")


@pytest.fixture(scope="module")
def low_report(low) -> AgencyReport:
    return _report(low, "2025-TW1")


def test_coaching_names_the_low_behaviour_and_its_threshold(low_report) -> None:
    """A Kurang/Misconduct from behaviour 2,14: the row says so, not only the given hasil."""
    report = low_report
    row = report.hasil.set_index("nip").loc[NIP_C]
    assert row["predikat"] == "Kurang/Misconduct" and row["skor_perilaku"] == 2.14
    section = report.tindak_lanjut()
    table = _table(section, text("pembinaan"))
    assert table[text("nama")].tolist() == ["Andi Pratama"]
    bukti = table[text("bukti")].iloc[0]
    # the cause first, with its value and the boundary it is below
    assert bukti.startswith("rating perilaku Di Bawah Ekspektasi dari skor penilai")
    assert "skor perilaku 2,14 < 3,0 (batas Sesuai)" in bukti
    assert "rating hasil kerja Sesuai Ekspektasi diberikan atasan" in bukti
    assert table[text("predikat")].tolist() == ["Kurang/Misconduct"]


def test_a_scheme_with_other_boundaries_changes_rule_and_text_together(
    strict_scheme, good, national
) -> None:
    """The thresholds printed are read where the rules read them: change the scheme, both move."""
    rules = follow_up_rules(load_scheme(strict_scheme))
    assert (rules.hasil_di_atas, rules.perilaku_di_atas, rules.perilaku_sesuai) == (105, 4.2, 2.5)
    strict = _report(good, "2025-TW1", strict_scheme)
    assert national.hasil.set_index("nip").loc[NIP_C, "predikat"] == "Baik"
    assert strict.hasil.set_index("nip").loc[NIP_C, "predikat"] == "Sangat Baik"
    national_text = _notes(national.tindak_lanjut())
    assert "0 pegawai berpredikat Sangat Baik dengan capaian ≥ 110 %" in national_text
    assert "≥ 4,5" in national_text
    section = strict.tindak_lanjut()
    said = _notes(section)
    assert "1 pegawai berpredikat Sangat Baik dengan capaian ≥ 105 %" in said
    assert "≥ 4,2" in said and "≥ 4,5" not in said
    assert "di bawah 2,5" in said and "di bawah 85 %" in said  # the training boundaries
    bukti = _table(section, text("penghargaan"))[text("bukti")].iloc[0]
    assert "skor perilaku 4,29 ≥ 4,2" in bukti and "≥ 105 %" in bukti
    # every candidate the rule picks meets the printed thresholds, for either scheme
    for report in (national, strict):
        r = follow_up_rules(report.scheme)
        found = recognition_candidates(report.hasil, report.scheme)
        assert (found["capaian"] >= r.hasil_di_atas).all()
        assert (found["skor_perilaku"] >= r.perilaku_di_atas).all()


def test_threshold_writes_what_the_scheme_holds() -> None:
    assert [threshold(110, " %"), threshold(4.5), threshold(3.0), threshold(85.5, " %")] == [
        "110 %",
        "4,5",
        "3,0",
        "85,5 %",
    ]


def test_calibration_decides_coaching_and_is_named() -> None:
    scheme = load_scheme()
    frame = pd.DataFrame(
        {
            "nip": ["1", "2"],
            "nama": ["A", "B"],
            "kode_opd": ["X", "X"],
            "capaian": [100.0, 80.0],
            "skor_perilaku": [3.5, 2.0],
            "n_penilai": [1, 1],
            "rating_hasil_kerja": ["Sesuai Ekspektasi", "Di Bawah Ekspektasi"],
            "rating_hasil_kerja_saran": ["Sesuai Ekspektasi", "Di Bawah Ekspektasi"],
            "rating_hasil_kerja_diberikan": [None, None],
            "rating_perilaku": ["Sesuai Ekspektasi", "Di Bawah Ekspektasi"],
            "rating_perilaku_saran": ["Sesuai Ekspektasi", "Di Bawah Ekspektasi"],
            "rating_perilaku_diberikan": [None, None],
            "predikat": ["Baik", "Sangat Kurang"],
            "predikat_kalibrasi": ["Butuh Perbaikan", "Baik"],
            "dikalibrasi": [True, True],
            "alasan_kalibrasi": ["target tidak realistis", "sakit panjang"],
        }
    )
    found = coaching_candidates(frame, scheme)
    assert found["nip"].tolist() == ["1"]  # the forum's predikat is the one in force
    assert (
        "dikalibrasi forum menjadi Butuh Perbaikan: target tidak realistis"
        in found["bukti"].iloc[0]
    )


def test_nine_box_is_the_matrix_of_the_scheme_in_use(good, national, tmp_path) -> None:
    """Every box equals the matrix cell of the employee's ratings, whatever the matrix says."""
    custom = tmp_path / "matriks-lain.toml"
    custom.write_text(
        'dasar = "permenpan-6-2022"\nnama = "matriks-lain"\njudul = "uji"\njenis = "matriks"\n'
        '[predikat."Di Atas Ekspektasi"]\n"Sesuai Ekspektasi" = "Sangat Baik"\n',
        encoding="utf-8",
    )
    expected = {"permenpan-6-2022": "Baik", "matriks-lain": "Sangat Baik"}
    for report in (national, _report(good, "2025-TW1", custom)):
        scheme = report.scheme
        boxes = nine_box(report.hasil, scheme)
        placed = boxes.dropna(subset=["kotak"])
        assert placed["nip"].tolist() == [NIP_C]  # Di Atas (given) × Sesuai (4,29 < 4,5)
        for row in placed.itertuples():
            assert row.label == scheme.matrix[row.rating_hasil_kerja][row.rating_perilaku]
            assert row.label == row.predikat == expected[scheme.nama]
        assert placed["kotak"].tolist() == [2]
        section = report.distribusi()
        grid = _table(section, text("sembilan_kotak")).set_index(text("kotak_sudut"))
        assert grid.loc["Di Atas Ekspektasi", "Sesuai Ekspektasi"] == f"{expected[scheme.nama]}: 1"
        assert grid.loc["Sesuai Ekspektasi", "Sesuai Ekspektasi"] == "Baik: 0"
        counts = box_counts(boxes, scheme)
        assert counts["n_pegawai"].sum() == len(placed) and len(counts) == 9


def test_a_numeric_scheme_shows_its_bands_not_a_matrix(low) -> None:
    report = _report(low, "2025-TW1", "pp-30-2019")
    section = report.distribusi()
    captions = [b[0] for b in section.blocks if isinstance(b, tuple)]
    assert text("sembilan_kotak") not in captions and text("pita_judul") in captions
    bands = _table(section, text("pita_judul"))
    assert bands[text("predikat")].tolist() == report.scheme.labels
    assert bands[text("pegawai")].sum() == int(report.hasil["predikat"].notna().sum())
    assert "bukan dari matriks" in " ".join(
        section.paragraphs + [b for b in section.blocks if isinstance(b, str)]
    )


# -- quarter over quarter ------------------------------------------------------------------------
def _progress(report: AgencyReport) -> tuple[str, pd.DataFrame | None]:
    section = report.perkembangan()
    tables = [b[1] for b in section.blocks if isinstance(b, tuple)]
    return " ".join(section.paragraphs), (tables[0] if tables else None)


def test_a_quarterly_report_compares_with_the_earlier_quarters() -> None:
    """Quarters TW1, TW2 and TW4 in the data: each report shows its year up to itself."""
    data = Dataset.from_frames(_tables(periods=("2025-TW1", "2025-TW2", "2025-TW4")))
    lead, table = _progress(_report(data, "2025-TW2"))
    assert list(table.columns[1:]) == ["2025-TW1", "2025-TW2"]  # not the later TW4
    assert "2025-TW2 dibanding triwulan sebelumnya" in lead and "Tidak ada di data" not in lead
    rows = table.set_index(text("ukuran"))
    assert rows.loc[text("berpredikat")].tolist() == ["1", "1"]
    assert rows.loc[text("delta_capaian")].tolist()[0] == "–"  # nothing before TW1
    assert rows.loc["Baik"].tolist() == ["1 (100,0 %)", "1 (100,0 %)"]
    assert rows.loc["Sangat Kurang"].tolist() == ["0 (0,0 %)", "0 (0,0 %)"]
    lead, table = _progress(_report(data, "2025-TW4"))
    assert list(table.columns[1:]) == ["2025-TW1", "2025-TW2", "2025-TW4"]
    assert "Tidak ada di data: 2025-TW3." in lead
    lead, table = _progress(_report(data, "2025"))
    assert list(table.columns[1:]) == ["2025-TW1", "2025-TW2", "2025-TW4"]
    assert lead.startswith("Tahun 2025 per triwulan") and "Tidak ada di data: 2025-TW3." in lead


def test_a_first_quarter_and_a_year_only_dataset_say_what_is_missing(low_report) -> None:
    lead, table = _progress(low_report)
    assert list(table.columns[1:]) == ["2025-TW1"]
    assert "triwulan pertama tahun 2025 di data" in lead
    lead, table = _progress(_report(_tables(periods=("2025",)), "2025"))
    assert table is None and "hanya memuat penilaian tahunan" in lead


# -- ranking with an interval ---------------------------------------------------------------------
def test_the_ranking_counts_only_employees_with_an_achievement(low_report) -> None:
    """PKM1: two employees, one with indicators: the interval's n is said beside the staff."""
    overview = CityOverview(low_report.city)
    table = next(b[1] for b in overview.peringkat().blocks if isinstance(b, tuple))
    row = table.set_index(text("opd")).loc["PKM1"]
    assert row[text("pegawai")] == "2 (1 bercapaian)"
    assert row[text("selang_capaian")] == "–"  # one value: no interval
    assert row[text("dibanding_kota")] == text("tak_terbedakan")
    cards = next(b for b in overview.ringkasan().blocks if isinstance(b, dict))
    # one rated employee (Kurang/Misconduct): the first three predikat are 0 of 1, as counts
    assert [cards[x] for x in ("Sangat Baik", "Baik", "Butuh Perbaikan")] == ["0 (0,0 %)"] * 3


def test_t_quantile_matches_the_tables() -> None:
    # Student t, two-sided 95 % (97,5 % point), from printed tables
    for df, expected, within in (
        (1, 12.706, 0.001),
        (2, 4.303, 0.001),
        (3, 3.182, 0.004),
        (4, 2.776, 0.002),
        (9, 2.262, 0.001),
        (29, 2.045, 0.001),
        (100, 1.984, 0.001),
    ):
        assert t_quantile(0.975, df) == pytest.approx(expected, abs=within)
    assert t_quantile(0.025, 5) == pytest.approx(-t_quantile(0.975, 5))


def test_mean_intervals_say_which_groups_differ() -> None:
    frame = pd.DataFrame(
        {
            "kode_opd": ["A"] * 4 + ["B"] * 4 + ["C"] * 4 + ["D"],
            "capaian": [100, 101, 99, 100, 110, 111, 109, 110, 104, 106, 98, 112, 105],
        }
    )
    found = mean_intervals(frame).set_index("kode_opd")
    assert found.loc["A", "n"] == 4 and found.loc["A", "rata_rata"] == 100
    assert found.loc["A", "batas_atas"] == pytest.approx(
        100 + t_quantile(0.975, 3) * (2 / 3) ** 0.5 / 2
    )
    assert found["dibanding"].astype(str).to_dict() == {
        "A": "di bawah",
        "B": "di atas",
        "C": "tidak berbeda",
        "D": "tidak berbeda",  # one employee: no interval, nothing to tell
    }
    assert pd.isna(found.loc["D", "batas_bawah"])


# -- numbers in figures ----------------------------------------------------------------------------
def _drawn(figure: Figure) -> Figure:
    figures.png_base64(figure)  # draws it: tick labels exist only after a draw
    return figure


def _ticks(axis) -> list[str]:
    return [t.get_text() for t in axis.get_ticklabels() if t.get_text()]


def test_every_figure_writes_numbers_as_the_tables_do() -> None:
    """Comma decimals, percents with a space, whole-number ticks on counts, cells like tables."""
    drawn = {}
    shares = pd.DataFrame(
        {"predikat": ["A", "B", "A", "B"], "porsi": [0.25, 0.75, 0.1, 0.9], "sumber": list("xxyy")}
    )
    limits = pd.DataFrame({"predikat": ["A"], "batas": [0.7], "jenis": ["maks"], "label": ["maks"]})
    figure = drawn["distribution_bars"] = _drawn(
        figures.distribution_bars(
            shares, x="predikat", y="porsi", hue="sumber", order=["A", "B"], limits=limits
        )
    )
    assert "20 %" in _ticks(figure.axes[0].yaxis)
    figure = drawn["stacked_shares"] = _drawn(
        figures.stacked_shares(
            pd.DataFrame({"A": [1, 3], "B": [3, 1]}, index=["u", "v"]), order=["A", "B"]
        )
    )
    assert "40 %" in _ticks(figure.axes[0].xaxis)
    profile = pd.DataFrame({"atasan": [4.3571, 2.5], "rekan": [3.0, None]}, index=["K", "L"])
    figure = drawn["behaviour_heatmap"] = _drawn(figures.behaviour_heatmap(profile))
    assert [t.get_text() for t in figure.axes[0].texts] == ["4,36", "3,00", "2,50"]
    assert "2,5" in _ticks(figure.axes[1].yaxis)  # the colour bar
    few = pd.DataFrame({"v": [97.5, 98.5, 98.7, 99.2, 99.9]})
    figure = drawn["histogram"] = _drawn(figures.histogram(few, x="v", bins=5, reference=98.0))
    counts = _ticks(figure.axes[0].yaxis)
    assert counts and all(t.isdigit() for t in counts)  # never 0.5 or 2.5 employees
    assert any("," in t for t in _ticks(figure.axes[0].xaxis))
    bars = pd.DataFrame({"ikm": [88.5, 70.25], "unit": ["P", "Q"], "mutu": ["A", "C"]})
    figure = drawn["horizontal_bars"] = _drawn(
        figures.horizontal_bars(
            bars,
            x="ikm",
            y="unit",
            hue="mutu",
            hue_order=["A", "C"],
            xlim=(25, 100),
            references=[(88.31, "A ≥ 88,31")],
        )
    )
    assert all("." not in t for t in _ticks(figure.axes[0].xaxis))
    english = _drawn(figures.behaviour_heatmap(profile, bahasa="en"))
    assert english.axes[0].texts[0].get_text() == "4.36"
    # every figure function is checked here
    made = {
        name
        for name, f in inspect.getmembers(figures, inspect.isfunction)
        if name in figures.__all__ and inspect.signature(f).return_annotation in (Figure, "Figure")
    }
    assert made == set(drawn)
    for name, figure in drawn.items():
        for ax in figure.axes:
            for label in (*_ticks(ax.xaxis), *_ticks(ax.yaxis), *(t.get_text() for t in ax.texts)):
                assert "." not in label.replace("A ≥ 88,31", ""), (name, label)
            assert number(0.5, 1) == "0,5"


# -- one bar per row ------------------------------------------------------------------------------
def test_bars_are_drawn_one_per_row_never_averaged_and_the_same_every_time() -> None:
    """Two rows with the same label are two bars of their own length; no error bar is guessed
    (an estimated interval was drawn from random resamples, so two runs drew two pictures)."""
    rows = pd.DataFrame(
        {"ikm": [91.0, 80.5, 60.0], "unit": ["Loket", "Loket", "Poli"], "mutu": ["A", "B", "D"]}
    )
    options = {"x": "ikm", "y": "unit", "hue": "mutu", "hue_order": ["A", "B", "C", "D"]}
    figure = _drawn(figures.horizontal_bars(rows, **options))
    ax = figure.axes[0]
    assert [round(p.get_width(), 2) for p in ax.patches] == [91.0, 80.5, 60.0]
    assert _ticks(ax.yaxis) == ["Loket", "Loket", "Poli"]  # top to bottom, in the given order
    assert not ax.lines and not ax.collections  # no error bars
    assert [t.get_text() for t in figure.legends[0].get_texts()] == ["A", "B", "C", "D"]
    again = figures.png_base64(figures.horizontal_bars(rows, **options))
    assert figures.png_base64(figures.horizontal_bars(rows, **options)) == again


def test_the_overview_tells_apart_units_of_the_same_name_in_two_agencies() -> None:
    tables = tiny_tables()
    u = {f"u{i}": ["4", "3", "2"] for i in range(1, 10)}
    tables["survei"] = pd.DataFrame(
        {
            "periode": ["2025-TW1"] * 3,
            "kode_opd": ["PKM1", "DINKES", "PKM1"],
            "unit_layanan": ["Loket Pengaduan", "Loket Pengaduan", "Puskesmas Satu"],
            "responden": ["R1", "R2", "R3"],
            **u,
        }
    )
    overview = CityOverview(CityResults.compute(Dataset.from_frames(tables), "2025-TW1"))
    figure = next(b for b in overview.ikm().blocks if isinstance(b, Figure))
    ax = _drawn(figure).axes[0]
    # every answer 4, 3 and 2: highest first, each bar as long as its own unit's IKM
    assert _ticks(ax.yaxis) == [
        "Loket Pengaduan — PKM1",
        "Loket Pengaduan — DINKES",
        "Puskesmas Satu",
    ]
    ikm = overview.city.ikm.sort_values("ikm", ascending=False)["ikm"]
    assert [p.get_width() for p in ax.patches] == pytest.approx(list(ikm))
    assert len(set(ikm)) == 3
