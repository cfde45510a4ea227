"""Every period shape a region evaluates in, through every job: score, analyze, reports, the app.

Many regions evaluate yearly only, others quarterly only (the year built from its quarters), and
a dataset may hold one quarter. The same small city is written in each shape; each job must run on
it, and a period that cannot be read or that the data does not have must be refused with the list
of the periods the data can be evaluated for (exit 2 on the command line, no traceback).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import asn_eval
from asn_eval.analysis.run import analyze, write_analysis
from asn_eval.app.review import AppSettings, ReviewApp
from asn_eval.cli import main
from asn_eval.errors import PeriodeError
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode
from asn_eval.reporting.agency import AgencyReport
from asn_eval.reporting.results import CityResults
from asn_eval.reporting.scored import write_scored
from asn_eval.sample.generator import generate
from asn_eval.scoring.scheme import load_scheme
from asn_eval.scoring.score import Scored, evaluate

SHAPES = {
    # shape: (how the rows are kept, the periods each job is asked for)
    "tahunan": ("year", ["2025"]),
    "triwulanan": ("quarters", ["2025", "2025-TW3"]),
    "satu-triwulan": ("one", ["2025-TW2", "2025"]),
}
AVAILABLE = {
    "tahunan": "2025",
    "triwulanan": "2025-TW1, 2025-TW2, 2025-TW3, 2025-TW4, 2025",
    "satu-triwulan": "2025-TW2, 2025",
}
CASES = [(shape, periode) for shape, (_, periodes) in SHAPES.items() for periode in periodes]


def _shaped(tables: dict[str, pd.DataFrame], how: str) -> dict[str, pd.DataFrame]:
    out = {}
    for name, frame in tables.items():
        if "periode" not in frame:
            out[name] = frame
            continue
        text = frame["periode"].astype("str")
        if how == "year":
            if name == "survei":  # the year's survey: one round of answers, labelled the year
                kept = frame[text == "2025-TW4"].assign(periode="2025")
            else:
                kept = frame[text == "2025"]
        elif how == "quarters":
            kept = frame[text.str.contains("-TW")]
        else:
            kept = frame[text == "2025-TW2"]
        out[name] = kept.reset_index(drop=True)
    return out


@pytest.fixture(scope="module")
def shaped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    city = generate(160, seed=21)
    folders = {}
    for shape, (how, _) in SHAPES.items():
        folder = tmp_path_factory.mktemp(shape)
        for name, frame in _shaped(city.tables, how).items():
            frame.to_csv(folder / f"{name}.csv", index=False)
        folders[shape] = folder
    return folders


def _cli(*args: object) -> subprocess.CompletedProcess:
    """Run the command line in this process (as ``asn-eval …`` would), capturing what it says."""
    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def scored(shaped) -> dict[tuple[str, str], Scored]:
    loaded = {shape: asn_eval.load(folder) for shape, folder in shaped.items()}
    return {(shape, p): evaluate(loaded[shape], p) for shape, p in CASES}


@pytest.mark.parametrize(("shape", "periode"), CASES)
def test_score_runs_on_every_period_shape(scored, tmp_path, shape, periode):
    write_scored(scored[shape, periode], tmp_path)
    hasil = pd.read_parquet(tmp_path / "hasil.parquet")
    assert len(hasil) == 160
    assert set(hasil["periode"].astype("str")) == {periode}
    assert hasil["predikat"].notna().mean() > 0.8  # the year of quarter-only data is built


@pytest.mark.parametrize(("shape", "periode"), CASES)
def test_analyze_runs_on_every_period_shape(scored, tmp_path, shape, periode):
    results = analyze(scored[shape, periode])
    write_analysis(results, tmp_path)
    sheets = pd.read_excel(tmp_path / "analisis.xlsx", sheet_name=None, engine="openpyxl")
    assert {"temuan", "isi", "penilai", "kurva", "tren_pegawai"} <= set(sheets)
    trends = results["tren_pegawai"]
    if shape == "triwulanan" and periode == "2025":
        assert len(trends)  # quarters to compare
    if shape == "tahunan":
        assert trends.empty  # no quarter, no trend: an empty table, not a crash


def test_a_year_built_from_its_quarters_counts_no_rating_twice(scored):
    one = analyze(scored["satu-triwulan", "2025"])["bertentangan"]
    quarter = analyze(scored["satu-triwulan", "2025-TW2"])["bertentangan"]
    assert len(one) == len(quarter) and set(one["periode"]) <= {"2025-TW2"}
    year = analyze(scored["triwulanan", "2025"])["bertentangan"]
    assert "2025" not in set(year["periode"])  # the year is its quarters, not a fifth rating
    assert not year.duplicated(["nip", "periode"]).any()


def test_a_year_built_from_its_quarters_says_so(shaped, scored, tmp_path):
    result = _cli("score", shaped["satu-triwulan"], "--periode", "2025", "--out", tmp_path)
    assert "dinilai dari triwulannya: 2025-TW2" in result.stdout
    city = CityResults.from_scored(scored["triwulanan", "2025"])
    assert city.period_notes() == [
        "Data tidak memuat baris tahunan 2025; tahun ini dinilai dari triwulannya: "
        "2025-TW1, 2025-TW2, 2025-TW3, 2025-TW4."
    ]
    assert city.period_notes()[0] in AgencyReport(city, "DINKES").ringkasan().paragraphs
    assert not CityResults.from_scored(scored["tahunan", "2025"]).period_notes()


@pytest.mark.parametrize("command", ["score", "analyze"])
def test_the_command_line_scores_and_analyses_a_yearly_only_city(shaped, tmp_path, command):
    result = _cli(command, shaped["tahunan"], "--periode", "2025", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / ("hasil.xlsx" if command == "score" else "analisis.xlsx")).exists()


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(SHAPES))
def test_reports_run_on_every_period_shape(shaped, tmp_path, shape):
    from asn_eval.batch.runner import run_reports

    periode = SHAPES[shape][1][0]
    opd = str(pd.read_csv(shaped[shape] / "pegawai.csv")["kode_opd"].value_counts().index[0])
    batch = run_reports(
        shaped[shape], periode, out=tmp_path, kode_opd=[opd], jobs=1, progress=False
    )
    assert not batch.failed, [(r.name, r.error) for r in batch.failed]
    page = (tmp_path / periode / f"{opd}.html").read_text(encoding="utf-8")
    assert f"{periode}" in page
    assert (tmp_path / periode / "ikhtisar-kota.html").exists()


@pytest.mark.parametrize(("shape", "periode"), CASES)
def test_the_app_renders_on_every_period_shape(shaped, tmp_path, shape, periode):
    settings = AppSettings(data=str(shaped[shape]), periode=periode, keputusan=str(tmp_path / "k"))
    app = ReviewApp(settings)
    app.widget()
    assert str(app.periode_picker.value) == periode
    shown = [label for label, _ in app.periode_picker.options]
    assert ", ".join(shown) == AVAILABLE[shape]  # the year of quarter-only data is offered
    assert "160 pegawai" in app.status.value
    assert "Sangat Baik" in app.cards.value + app.curve.value or "Baik" in app.cards.value


def test_the_app_offers_a_scheme_from_a_file(shaped, tmp_path):
    mine = tmp_path / "skema-saya.toml"
    mine.write_text(
        'dasar = "permenpan-6-2022"\nnama = "skema-saya"\n[hasil_kerja]\nbatas_di_atas = 120\n',
        encoding="utf-8",
    )
    settings = AppSettings(
        data=str(shaped["triwulanan"]), periode="2025", skema=mine, keputusan=str(tmp_path / "k")
    )
    app = ReviewApp(settings)
    labels = [label for label, _ in app.skema_picker.options]
    assert "skema-saya" in labels and "permenpan-6-2022" in labels
    assert app.skema_picker.value == load_scheme(mine).key
    assert "skema skema-saya" in app.status.value
    # Back and forth between the file's scheme and a shipped one.
    app.skema_picker.value = load_scheme("permenpan-6-2022").key
    assert "skema permenpan-6-2022" in app.status.value
    app.skema_picker.value = load_scheme(mine).key
    assert "skema skema-saya" in app.status.value


def test_a_shipped_name_edited_in_a_file_is_told_apart(shaped, tmp_path):
    edited = tmp_path / "nasional-diubah.toml"
    edited.write_text(
        'dasar = "permenpan-6-2022"\nnama = "permenpan-6-2022"\n[perilaku]\nbatas_di_atas = 4.8\n',
        encoding="utf-8",
    )
    app = ReviewApp(
        AppSettings(data=str(shaped["tahunan"]), skema=edited, keputusan=str(tmp_path / "k"))
    )
    labels = [label for label, _ in app.skema_picker.options]
    assert "permenpan-6-2022 (berkas, nasional-diubah.toml)" in labels
    assert load_scheme(edited).key != load_scheme("permenpan-6-2022").key


def test_the_app_reads_its_scheme_as_content_from_the_environment(shaped, tmp_path, monkeypatch):
    scheme = load_scheme("pp-46-2011")
    monkeypatch.setenv("ASN_EVAL_APP_DATA", str(shaped["satu-triwulan"]))
    monkeypatch.setenv("ASN_EVAL_APP_SKEMA", json.dumps(scheme.settings))
    monkeypatch.setenv("ASN_EVAL_APP_KUNCI", "ab" * 32)
    monkeypatch.setenv("ASN_EVAL_DECISIONS", str(tmp_path / "k.sqlite"))
    app = ReviewApp.from_environment()
    assert app.skema.key == scheme.key
    assert str(app.periode) == "2025"  # the latest the data can be evaluated for
    assert app.key == "ab" * 32


@pytest.mark.slow  # six processes; the app's refusal of a bad period stays in the fast loop
@pytest.mark.parametrize("asked", ["2025-Q5", "2025-TW3"])
@pytest.mark.parametrize("command", ["score", "analyze", "reports"])
def test_a_bad_period_exits_2_with_the_periods_there_are(shaped, tmp_path, command, asked):
    result = _cli(command, shaped["satu-triwulan"], "--periode", asked, "--out", tmp_path)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert f"yang ada: {AVAILABLE['satu-triwulan']}" in result.stderr
    assert not any(tmp_path.iterdir()) or (
        command == "reports" and not any(tmp_path.rglob("*.html"))
    )


def test_the_app_refuses_a_bad_period_before_starting_a_server(shaped, tmp_path):
    result = _cli("app", shaped["tahunan"], "--periode", "2025-TW1", "--port", "1")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "yang ada: 2025" in result.stderr


def test_score_refuses_a_period_that_is_not_one(shaped):
    dataset = asn_eval.load(shaped["triwulanan"])
    with pytest.raises(PeriodeError, match=r"2025-Q5.*yang ada: 2025-TW1, 2025-TW2") as caught:
        asn_eval.score(dataset, "2025-Q5")
    assert caught.value.available[-1] == "2025"
    with pytest.raises(PeriodeError, match="'2024' tidak ada di data"):
        asn_eval.score(dataset, "2024")
    assert (
        asn_eval.score(dataset, Periode("2025 tw iii"))["periode"]
        .astype("str")
        .eq("2025-TW3")
        .all()
    )


def test_a_part_of_the_data_keeps_the_periods_of_the_whole(shaped):
    dataset = asn_eval.load(shaped["triwulanan"])
    nobody = dataset.subset(kode_opd=[])
    assert nobody.periodes == dataset.periodes
    assert nobody.periode("2025-TW4") == "2025-TW4"


def test_the_year_is_scored_once_and_its_quarters_once_each(shaped, monkeypatch):
    from asn_eval.scoring import score as scoring

    calls: list[str] = []
    real = scoring.gather_evidence

    def counted(data: Dataset, periode: Periode, skema):
        calls.append(str(periode))
        return real(data, periode, skema)

    monkeypatch.setattr(scoring, "gather_evidence", counted)
    scored = scoring.evaluate(asn_eval.load(shaped["triwulanan"]), "2025")
    analyze(scored)
    analyze(scored)  # quarters already scored are not scored again
    assert sorted(calls) == ["2025", "2025-TW1", "2025-TW2", "2025-TW3", "2025-TW4"]


def test_periode_values():
    p = Periode("TW3-2025")
    assert (p.tahun, p.triwulan, p.is_year, p.months) == (2025, 3, False, 3)
    assert Periode(2025).quarters[-1] == "2025-TW4"
    assert Periode("2025-TW4").year == "2025"
    assert Periode(p) is p
    for bad in ("2025-Q5", "2025-TW0", "20255", "", None, "1850"):
        with pytest.raises(PeriodeError):
            Periode(bad)


# -- the app's real server: quarter-only data, a scheme from a file, the year asked for -----------
@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("ASN_EVAL_SKIP_BROWSER") == "1", reason="tanpa peramban")
def test_the_app_server_opens_a_quarterly_city_on_its_year_with_a_scheme_file(
    shaped,
    tmp_path,
    browser,
):
    from test_app import AppServer, _open

    mine = tmp_path / "skema-saya.toml"
    mine.write_text(
        'dasar = "permenpan-6-2022"\nnama = "skema-saya"\n[perilaku]\nbatas_di_atas = 4.6\n',
        encoding="utf-8",
    )
    server = AppServer(shaped["triwulanan"], tmp_path / "server", "--skema", str(mine))
    try:
        server.wait_ready()
        page = _open(browser, server.url)
        status = page.locator("small", has_text="pegawai (").inner_text()
        assert "2025, skema skema-saya: 160 pegawai" in status, status
        pickers = page.locator("select")
        periods = pickers.nth(0).locator("option").all_inner_texts()
        assert periods == AVAILABLE["triwulanan"].split(", ")
        assert "skema-saya" in pickers.nth(1).locator("option").all_inner_texts()
        page.close()
        assert not browser.errors, browser.errors
    finally:
        server.interrupt()
        assert not server.finish()
