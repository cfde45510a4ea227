"""What an agency report and the overview say, checked on a generated city (no kernel needed)."""

from __future__ import annotations

import pandas as pd
import pytest

from asn_eval.analysis.development import read_training_map, training_needs
from asn_eval.input.dataset import Dataset
from asn_eval.input.vocab import ASPEK
from asn_eval.reporting.agency import AgencyReport
from asn_eval.reporting.overview import CityOverview
from asn_eval.reporting.results import CityResults
from asn_eval.reporting.text import text
from asn_eval.scoring.evidence import VALUES, gather_evidence


@pytest.fixture(scope="module")
def sample(city_400):
    return city_400


@pytest.fixture(scope="module")
def city(sample) -> CityResults:
    return CityResults.compute(Dataset.from_frames(sample.tables), "2025")


def _html(report: AgencyReport) -> str:
    return "".join(section._repr_html_() for section in report.sections())


def test_the_planted_curve_breach_is_reported_with_the_moves_needed(sample, city) -> None:
    planted = sample.planted["curve_opds"][0]
    section = AgencyReport(city, planted["kode_opd"]).distribusi()
    lead = " ".join(section.paragraphs)
    assert f"Predikat organisasi {planted['predikat_organisasi']}" in lead
    assert "Kurva terlampaui" in lead and "paling sedikit" in lead


def test_an_agency_within_its_curve_says_so(city) -> None:
    kurva = city.kurva
    fine = kurva.loc[~kurva["melanggar"] & kurva["predikat_organisasi"].notna(), "kode_opd"]
    section = AgencyReport(city, str(fine.iloc[0])).distribusi()
    assert "sesuai kurva" in " ".join(section.paragraphs)


def test_the_poor_ikm_unit_needs_attention(sample, city) -> None:
    unit = sample.planted["poor_ikm_units"][0]
    section = AgencyReport(city, unit["kode_opd"]).ikm()
    assert f"Perlu perhatian: {unit['unit_layanan']} (mutu D)." in section.paragraphs


def test_anonymous_report_has_no_name_or_nip(sample, city) -> None:
    report = AgencyReport(city, "DISDIK", anonim=True)
    page = _html(report)
    people = sample.tables["pegawai"]
    assert not [n for n in people["nip"] if n in page]
    assert not [n for n in people["nama"] if n in page]
    assert "Pegawai " in page


def test_english_report_and_number_style(city) -> None:
    report = AgencyReport(city, "DLH", bahasa="en")
    titles = [s.title for s in report.sections()]
    assert titles[1] == text("distribusi", "en") == "Predikat distribution and curve"
    page = _html(report)
    assert "Mean achievement" in page and "Capaian rata-rata" not in page
    indonesian = _html(AgencyReport(city, "DLH"))
    assert "Kehadiran rata-rata" in indonesian


def test_an_unknown_agency_or_language_is_refused(city) -> None:
    with pytest.raises(KeyError, match="NOPE"):
        AgencyReport(city, "NOPE")
    with pytest.raises(ValueError, match="bahasa"):
        AgencyReport(city, "DLH", bahasa="fr")


def test_shipped_training_map_covers_every_core_value_and_aspect() -> None:
    table = read_training_map()
    assert set(table.loc[table["sumber"] == "nilai_inti", "kunci"]) == set(VALUES)
    assert set(table.loc[table["sumber"] == "aspek", "kunci"]) == set(ASPEK.values)


def test_training_needs_are_mapped_and_below_the_scheme_boundaries(city, tmp_path) -> None:
    report = AgencyReport(city, "DISDIK")
    evidence = gather_evidence(report.dataset, city.periode, city.skema)
    needs = training_needs(evidence, report.hasil, city.skema)
    assert len(needs) and "(belum dipetakan)" not in set(needs["program"])
    values = needs[needs["sumber"] == "nilai_inti"]
    assert (values["nilai"] < city.skema.perilaku["batas_sesuai"]).all()
    aspects = needs[needs["sumber"] == "aspek"]
    assert (aspects["nilai"] < city.skema.hasil_kerja["batas_sesuai"]).all()
    # A user's own table changes the programme.
    mine = tmp_path / "pelatihan.csv"
    table = read_training_map()
    table["program"] = "Program Kota"
    table.to_csv(mine, index=False)
    custom = training_needs(evidence, report.hasil, city.skema, read_training_map(mine))
    assert set(custom["program"]) == {"Program Kota"}


def test_overview_ranks_every_agency(city) -> None:
    overview = CityOverview(city)
    ranking = overview.peringkat()
    table = next(b for b in ranking.blocks if isinstance(b, tuple))[1]
    assert len(table) == city.data.opd["kode_opd"].nunique()
    national = overview.nasional()
    assert "11,27 %" in " ".join(national.paragraphs)
    breach = overview.kurva()
    assert "1 dari" in " ".join(breach.paragraphs)


def test_sections_render_numbers_in_indonesian(city) -> None:
    section = AgencyReport(city, "DLH").indikator()
    page = section._repr_html_()
    table = next(b for b in section.blocks if isinstance(b, tuple) and b[0])[1]
    assert pd.api.types.is_float_dtype(table.iloc[:, -1])
    assert "," in page.split("<table")[2]  # decimal commas in the rendered table
