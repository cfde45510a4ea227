"""What an agency report and the overview say, checked on a generated city (no kernel needed)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from asn_eval.analysis.comparison import mean_intervals
from asn_eval.analysis.development import (
    follow_up_rules,
    read_training_map,
    threshold,
    training_needs,
)
from asn_eval.formatting import count_percent, integer
from asn_eval.input.dataset import Dataset
from asn_eval.input.vocab import ASPEK
from asn_eval.reporting.agency import MAX_ROWS, AgencyReport
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


# -- findings agree with the evidence behind the predikat (issue 13) ------------------------------
def _captioned(section, caption: str) -> pd.DataFrame | None:
    found = [b[1] for b in section.blocks if isinstance(b, tuple) and b[0] == caption]
    return found[0] if found else None


def _notes(section) -> str:
    return " ".join([*section.paragraphs, *(b for b in section.blocks if isinstance(b, str))])


def test_every_agency_nine_box_agrees_with_its_predikat(city) -> None:
    scheme = city.skema
    for kode in city.data.opd["kode_opd"].astype(str):
        report = AgencyReport(city, kode)
        if report.kosong:
            continue
        _, blocks = report.matrix_blocks()  # what distribusi() shows under its figure
        grid = dict(blocks)[text("sembilan_kotak")]
        per_label: dict[str, int] = {}
        for _, row in grid.set_index(text("kotak_sudut")).iterrows():
            for level, cell in row.items():
                label, n = cell.rsplit(": ", 1)
                assert label == scheme.matrix[row.name][level]
                per_label[label] = per_label.get(label, 0) + int(n)
        predikat = report.hasil["predikat"].astype(object).value_counts()
        assert {k: v for k, v in per_label.items() if v} == predikat.to_dict(), kode


def test_the_contradiction_card_counts_what_the_table_lists(city) -> None:
    scope = f"{city.periode} dan triwulannya"
    card_label = text("rating_bertentangan_lingkup", lingkup=scope)
    caption = text("bertentangan_lingkup", lingkup=scope)
    listed = 0
    for kode in city.data.opd["kode_opd"].astype(str):
        report = AgencyReport(city, kode)
        if report.kosong:
            continue
        cards = next(b for b in report.ringkasan().blocks if isinstance(b, dict))
        table = _captioned(report.keadilan(), caption)
        rows = len(report._analysis("bertentangan"))  # the table shows MAX_ROWS, counts the rest
        assert (0 if table is None else len(table)) == min(rows, MAX_ROWS)
        assert cards[card_label] == str(rows), kode
        listed += rows
    assert listed == len(city.analysis["bertentangan"]) > 0


def test_predikat_cards_and_tables_write_the_count_beside_the_share(city) -> None:
    labels = city.skema.labels
    hasil = city.hasil
    rated = int(hasil["predikat"].notna().sum())
    counts = hasil["predikat"].astype(object).value_counts()
    cards = next(b for b in CityOverview(city).ringkasan().blocks if isinstance(b, dict))
    for label in labels[:3]:
        n = int(counts.get(label, 0))
        assert cards[label] == count_percent(n, rated)
        assert cards[label].startswith(f"{n} (")
    table = next(
        b[1] for b in AgencyReport(city, "DLH").distribusi().blocks if isinstance(b, tuple)
    )
    assert table[text("kota")].tolist() == [
        count_percent(int(counts.get(x, 0)), rated) for x in labels
    ]


def test_follow_up_thresholds_are_the_applied_ones_and_the_curve_is_a_caveat(sample, city) -> None:
    rules = follow_up_rules(city.skema)
    h, p = threshold(rules.hasil_di_atas), threshold(rules.perilaku_di_atas)
    breach = sample.planted["curve_opds"][0]["kode_opd"]
    kurva = city.kurva.set_index(city.kurva["kode_opd"].astype(str))
    seen = 0
    for kode in city.data.opd["kode_opd"].astype(str):
        report = AgencyReport(city, kode)
        if report.kosong:
            continue
        section = report.tindak_lanjut()
        said = _notes(section)
        assert f"capaian ≥ {h} %" in said and f"rata-rata skor perilaku ≥ {p}" in said
        caveat = text("kurva_peringatan", org="", why="").split(" ")[0:5]
        assert (" ".join(caveat) in said) == bool(kurva.loc[kode, "melanggar"]), kode
        reward = _captioned(section, text("penghargaan"))
        if reward is not None:
            for bukti in reward[text("bukti")]:
                seen += 1
                assert f"≥ {h} %" in bukti and f"rata-rata ≥ {p} dari" in bukti
        coaching = _captioned(section, text("pembinaan"))
        if coaching is not None:
            for bukti in coaching[text("bukti")]:
                assert bukti.startswith("rating ") and (
                    "batas Sesuai" in bukti or "Di Atas" in bukti
                )
    assert seen and bool(kurva.loc[breach, "melanggar"])


def test_the_ranking_says_which_agencies_differ_from_the_city(city) -> None:
    section = CityOverview(city).peringkat()
    table = next(b[1] for b in section.blocks if isinstance(b, tuple))
    verdicts = table[text("dibanding_kota")].tolist()
    said = " ".join(section.paragraphs)
    above, below = verdicts.count(text("di_atas_kota")), verdicts.count(text("di_bawah_kota"))
    same = verdicts.count(text("tak_terbedakan"))
    assert above + below + same == len(table) == city.data.opd["kode_opd"].nunique()
    assert f"{above} OPD di atasnya, {below} di bawahnya, {same} tidak dapat dibedakan" in said
    spread = mean_intervals(city.hasil).set_index("kode_opd")
    for kode, verdict in zip(table[text("opd")], verdicts, strict=True):
        row = spread.loc[kode]
        assert (verdict == text("di_atas_kota")) == (row["batas_bawah"] > row["rata_rata_semua"])
    # the interval's n is the Pegawai column (everyone in the sample has an achievement)
    assert spread["n"].sum() == city.hasil["capaian"].notna().sum() == len(city.hasil)
    assert table[text("pegawai")].tolist() == [
        integer(spread.loc[k, "n"]) for k in table[text("opd")]
    ]


def test_the_overview_follow_up_counts_the_agency_lists(city) -> None:
    section = CityOverview(city).temuan()
    table = _captioned(section, text("tindak_lanjut_kota")).set_index(text("opd"))
    reward = city.analysis["penghargaan"]["kode_opd"].astype(str).value_counts()
    assert table[text("n_penghargaan")].to_dict() == {k: int(reward.get(k, 0)) for k in table.index}
    assert sum(table[text("n_penghargaan")]) == len(city.analysis["penghargaan"])


def test_a_candidate_the_forum_calibrated_down_leaves_the_reward_list(city) -> None:
    reward = city.analysis["penghargaan"]
    nip, kode = str(reward["nip"].iloc[0]), str(reward["kode_opd"].iloc[0])
    hasil = city.hasil.copy()
    chosen = (hasil["nip"].astype(str) == nip).to_numpy()
    hasil["predikat_kalibrasi"] = hasil["predikat"].astype(object).where(~chosen, "Baik")
    hasil["dikalibrasi"] = chosen
    hasil["alasan_kalibrasi"] = pd.Series(None, index=hasil.index, dtype="str").where(
        ~chosen, "bukti kinerja belum lengkap"
    )
    section = AgencyReport(dataclasses.replace(city, hasil=hasil), kode).tindak_lanjut()
    listed = _captioned(section, text("penghargaan"))
    before = int((reward["kode_opd"].astype(str) == kode).sum())
    assert (0 if listed is None else len(listed)) == before - 1
    assert text("penghargaan_dikalibrasi", n=1, top="Sangat Baik") in _notes(section)
