"""The scoring engine: the national rules exactly, the older formulas, schemes as data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import NIP_C, tiny_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asn_eval
from asn_eval.errors import SchemeError
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode
from asn_eval.input.vocab import LEVEL
from asn_eval.scoring.achievement import aspect_score_pp46, capaian, efficiency_score
from asn_eval.scoring.curve import check_curve
from asn_eval.scoring.explanation import explain
from asn_eval.scoring.ikm import ELEMENTS, ikm, mutu
from asn_eval.scoring.scheme import list_schemes, load_scheme
from asn_eval.scoring.score import RESULT_COLUMNS, score

ATAS, SESUAI, BAWAH = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"

# DOMAIN.md §2, rows hasil kerja, columns perilaku.
MATRIX = {
    (ATAS, BAWAH): "Kurang/Misconduct",
    (ATAS, SESUAI): "Baik",
    (ATAS, ATAS): "Sangat Baik",
    (SESUAI, BAWAH): "Kurang/Misconduct",
    (SESUAI, SESUAI): "Baik",
    (SESUAI, ATAS): "Baik",
    (BAWAH, BAWAH): "Sangat Kurang",
    (BAWAH, SESUAI): "Butuh Perbaikan",
    (BAWAH, ATAS): "Butuh Perbaikan",
}


@pytest.fixture(scope="module")
def sample_city(city_400_folder) -> tuple[asn_eval.Dataset, dict]:
    dataset = asn_eval.load(city_400_folder, cache=False)
    return dataset, json.loads((city_400_folder / "planted.json").read_text())


@pytest.mark.parametrize(("hasil", "perilaku"), list(MATRIX), ids=lambda v: str(v)[:9])
def test_every_cell_of_the_predikat_matrix(hasil, perilaku):
    tables = tiny_tables()
    tables["penilaian"]["rating_hasil_kerja"] = [hasil]
    tables["penilaian"]["rating_perilaku"] = [perilaku]
    tables["penilaian"]["predikat"] = [MATRIX[hasil, perilaku]]
    result = score(Dataset.from_frames(tables), "2025-TW1").set_index("nip")
    row = result.loc[NIP_C]
    assert (row["rating_hasil_kerja"], row["rating_perilaku"]) == (hasil, perilaku)
    assert row["predikat"] == MATRIX[hasil, perilaku]
    assert "predikat di sistem resmi berbeda" not in row["catatan"]


def test_pp46_check_values():
    # DOMAIN.md §4: RW = TW → 76; 20 % faster → 96; e = 24 → 100; RW 14 against TW 12 → 59.33.
    scores = efficiency_score(
        np.array([12.0, 10.0, 100.0, 12.0]), np.array([12.0, 8.0, 76.0, 14.0])
    )
    assert scores.round(2).tolist() == [76.0, 96.0, 100.0, 59.33]
    # e > 24: 50 % faster → 76 − (126 − 100) = 50.
    assert efficiency_score(np.array([10.0]), np.array([5.0])).round(6).tolist() == [50.0]
    aspects = np.array(["kuantitas", "kualitas", "waktu", "biaya"])
    row = aspect_score_pp46(
        aspects, np.array([10.0, 100, 12, 1000]), np.array([9.0, 95, 12, 1000]), np.zeros(4, bool)
    )
    assert row.round(2).tolist() == [90.0, 95.0, 76.0, 76.0]


def test_pp46_activity_score_and_not_carried_out():
    tables = tiny_tables()
    tables["skp"]["target"] = ["100", "90", "12"]
    tables["skp"]["realisasi"] = ["90", "90", "12"]
    tables["skp"]["arah"] = ["naik", "naik", "naik"]
    result = score(Dataset.from_frames(tables), "2025-TW1", "pp-46-2011").set_index("nip")
    # (90 + 100 + 76) / 3 aspects
    assert result.loc[NIP_C, "nilai_skp"] == pytest.approx(88.67, abs=0.01)
    tables["skp"]["realisasi"] = ["0", "90", "12"]  # quantity 0: the activity was not carried out
    result = score(Dataset.from_frames(tables), "2025-TW1", "pp-46-2011").set_index("nip")
    assert result.loc[NIP_C, "nilai_skp"] == 0


def test_capaian_directions_and_cap():
    values = capaian(
        np.array([100.0, 10, 10, 100]),
        np.array([250.0, 5, 20, np.nan]),
        np.array([False, True, True, False]),
        cap=150,
    )
    assert values[:3].tolist() == [150.0, 150.0, 50.0]
    assert np.isnan(values[3])


def test_ikm_formula_weight_and_grade_edges():
    answers = pd.DataFrame(
        {
            "periode": "2025-TW1",
            "kode_opd": "X",
            "unit_layanan": "U",
            **{u: [4, 4] for u in ELEMENTS},
        }
    )
    assert ikm(answers)["ikm"].tolist() == [100.0]
    assert ikm(answers, weight=0.11)["ikm"].tolist() == [99.0]
    answers[list(ELEMENTS)] = [[1] * 9, [2] * 9]
    assert ikm(answers)["ikm"].tolist() == [37.5]
    grades = mutu(np.array([100, 88.31, 88.30, 76.61, 76.60, 65.00, 64.99, 25.0]))
    assert list(grades) == ["A", "A", "B", "B", "C", "C", "D", "D"]


@pytest.mark.slow  # 50 datasets built and scored: the full run's
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    targets=st.lists(st.floats(1, 500), min_size=3, max_size=3),
    reals=st.lists(st.floats(0, 800), min_size=3, max_size=3),
    which=st.integers(0, 2),
    raise_by=st.floats(0.01, 500),
)
def test_a_higher_realisation_never_lowers_a_rating(targets, reals, which, raise_by):
    tables = tiny_tables()
    tables.pop("penilaian")
    tables["skp"] = tables["skp"].drop(columns="rating_atasan")
    tables["skp"]["arah"] = ["naik"] * 3
    tables["skp"]["target"] = [f"{t:.2f}" for t in targets]
    tables["skp"]["realisasi"] = [f"{r:.2f}" for r in reals]
    before = score(Dataset.from_frames(tables), "2025-TW1").set_index("nip").loc[NIP_C]
    raised = list(reals)
    raised[which] += raise_by
    tables["skp"]["realisasi"] = [f"{r:.2f}" for r in raised]
    after = score(Dataset.from_frames(tables), "2025-TW1").set_index("nip").loc[NIP_C]
    assert after["capaian"] >= before["capaian"]
    rank = LEVEL.values.index
    assert rank(after["rating_hasil_kerja_saran"]) >= rank(before["rating_hasil_kerja_saran"])
    assert 0 <= after["capaian"] <= 150


@pytest.mark.parametrize("scheme", [s.nama for s in list_schemes()])
def test_every_shipped_scheme_scores_the_sample(sample_city, scheme):
    dataset, _ = sample_city
    for periode in ("2025-TW3", "2025"):
        result = score(dataset, periode, scheme)
        assert list(result.columns) == RESULT_COLUMNS
        assert len(result) == len(dataset.pegawai)
        assert result["nip"].is_unique
        assert result["predikat"].notna().mean() > 0.9
        assert set(result["predikat"].dropna()) <= set(load_scheme(scheme).labels)
        assert result["capaian"].dropna().between(0, 150).all()
        assert result["skor_perilaku"].dropna().between(1, 5).all()
        if load_scheme(scheme).jenis == "angka":
            assert result["nilai"].dropna().between(0, 150).all()
            assert result["nilai"].notna().mean() > 0.9


def test_national_scheme_matches_the_lenient_reality(sample_city):
    dataset, _ = sample_city
    shares = score(dataset, "2025")["predikat"].value_counts(normalize=True)
    assert 0.05 < shares["Sangat Baik"] < 0.25
    assert shares["Baik"] > 0.7


def test_the_planted_opd_breaks_its_curve_and_no_other(sample_city):
    dataset, planted = sample_city
    expected = {item["kode_opd"] for item in planted["curve_opds"]}
    for periode in ("2025-TW1", "2025"):
        result = score(dataset, periode)
        curve = check_curve(dataset, Periode(periode), load_scheme("permenpan-6-2022"), result)
        broken = set(curve.loc[curve["melanggar"], "kode_opd"])
        assert broken == expected
        row = curve.set_index("kode_opd").loc[next(iter(expected))]
        assert row["predikat_organisasi"] == "Butuh Perbaikan"
        assert "Sangat Baik" in row["pelanggaran"] and row["min_pindah"] > 0
        flagged = result.loc[result["catatan"].str.contains("kurva"), "kode_opd"]
        assert set(flagged.astype(str)) == expected


def test_contradicted_ratings_are_flagged(sample_city):
    dataset, planted = sample_city
    for item in planted["contradictions"][:5]:
        result = score(dataset, item["periode"]).set_index("nip")
        row = result.loc[item["nip"]]
        assert row["rating_hasil_kerja_diberikan"] == item["rating_hasil_kerja"]
        assert row["rating_hasil_kerja_saran"] != item["rating_hasil_kerja"]
        assert "rating hasil kerja yang diberikan" in row["catatan"]


def test_missing_evidence_gives_no_predikat_and_says_why():
    tables = tiny_tables()
    tables.pop("penilaian")
    tables["perilaku"] = tables["perilaku"].iloc[[1]]  # only the self-rating remains
    row = score(Dataset.from_frames(tables), "2025-TW1").set_index("nip").loc[NIP_C]
    assert pd.isna(row["predikat"])
    assert "tidak ada penilaian perilaku" in row["catatan"]
    others = score(Dataset.from_frames(tables), "2025-TW1").set_index("nip").drop(index=NIP_C)
    assert others["predikat"].isna().all()
    assert others["catatan"].str.contains("tidak ada indikator SKP").all()


def test_given_rating_wins_and_disagreement_is_noted():
    tables = tiny_tables()
    tables["skp"]["realisasi"] = ["200", "200", "5"]  # evidence: far above expectation
    tables["penilaian"]["rating_hasil_kerja"] = [BAWAH]
    tables["penilaian"]["predikat"] = ["Butuh Perbaikan"]
    row = score(Dataset.from_frames(tables), "2025-TW1").set_index("nip").loc[NIP_C]
    assert row["rating_hasil_kerja_saran"] == ATAS
    assert row["rating_hasil_kerja"] == BAWAH
    assert "bertentangan dengan indikator" in row["catatan"]


def test_main_rhk_below_expectation_blocks_di_atas():
    tables = tiny_tables()
    tables.pop("penilaian")
    skp = pd.concat([tables["skp"]] * 3, ignore_index=True)
    skp["rhk_id"] = ["RHK-1"] * 3 + ["RHK-2"] * 3 + ["RHK-3"] * 3
    skp["jenis_rhk"] = ["utama"] * 3 + ["tambahan"] * 3 + ["utama"] * 3
    skp["rating_atasan"] = ""
    skp["arah"] = "naik"
    skp["target"] = "100"
    skp["realisasi"] = ["130"] * 6 + ["50"] * 3  # two RHK above, one main RHK below
    tables["skp"] = skp
    tables["aktivitas"]["rhk_id"] = "RHK-1"
    row = score(Dataset.from_frames(tables), "2025-TW1").set_index("nip").loc[NIP_C]
    assert row["rating_hasil_kerja_saran"] == BAWAH  # a third of the main RHK > "a small part"
    skp["jenis_rhk"] = ["utama"] * 6 + ["tambahan"] * 3
    row = score(Dataset.from_frames(tables), "2025-TW1").set_index("nip").loc[NIP_C]
    assert row["rating_hasil_kerja_saran"] == ATAS


def test_scoring_a_subset_gives_the_same_rows(sample_city):
    dataset, _ = sample_city
    whole = score(dataset, "2025-TW2").set_index("nip")
    parts = [
        score(dataset.subset(kode_opd=[code]), "2025-TW2")
        for code in dataset.opd["kode_opd"].astype(str)
    ]
    split = pd.concat(parts).set_index("nip").loc[whole.index]
    for column in whole.columns:
        left, right = whole[column], split[column]
        if isinstance(left.dtype, pd.CategoricalDtype):
            left, right = left.astype(object), right.astype(object)
        pd.testing.assert_series_equal(left, right, check_names=False, check_dtype=False)


def test_explanation_agrees_with_the_results(sample_city):
    dataset, planted = sample_city
    item = planted["contradictions"][0]
    explanation = explain(dataset, item["nip"], item["periode"])
    row = score(dataset, item["periode"]).set_index("nip").loc[item["nip"]]
    assert explanation.hasil["predikat"] == row["predikat"]
    assert len(explanation.indikator) == row["n_indikator"]
    assert explanation.indikator["capaian"].mean() == pytest.approx(row["capaian"], abs=0.1)
    assert list(explanation.perilaku.index)[:2] == ["Berorientasi Pelayanan", "Akuntabel"]
    text = str(explanation)
    assert "matriks" in text and "Rating hasil kerja yang diberikan" in text
    with pytest.raises(KeyError):
        explain(dataset, "199901012020011999", "2025")


def test_explanation_of_one_says_what_the_city_says(sample_city):
    """explain() of one person and the city's Explainer give the same words and tables; the
    curve note is the agency's (scoring one person alone said every top predikat exceeded it)."""
    from asn_eval.scoring.explanation import Explainer
    from asn_eval.scoring.score import evaluate

    dataset, _ = sample_city
    scored = evaluate(dataset, "2025-TW2")
    city = Explainer(scored)
    over = set(scored.kurva.loc[scored.kurva["melanggar"], "kode_opd"].astype(str))
    checked = 0
    for i in range(0, len(scored.hasil), 37):
        row = scored.hasil.iloc[i]
        one = explain(dataset, row["nip"], "2025-TW2")
        assert one.alasan == city.reasons(i)
        pd.testing.assert_frame_equal(one.indikator, city.explanation(i).indikator)
        pd.testing.assert_frame_equal(one.perilaku, city.explanation(i).perilaku)
        says_curve = any("kurva distribusi OPD terlampaui" in line for line in one.alasan)
        assert says_curve == (str(row["kode_opd"]) in over and pd.notna(row["predikat"]))
        checked += 1
    assert checked > 5


def test_credit_points_for_functional_posts():
    tables = tiny_tables()
    tables["penilaian"]["rating_hasil_kerja"] = [ATAS]
    tables["penilaian"]["rating_perilaku"] = [ATAS]
    tables["penilaian"]["predikat"] = ["Sangat Baik"]
    row = score(Dataset.from_frames(tables), "2025-TW1").set_index("nip").loc[NIP_C]
    # Perawat Ahli Pertama: 12.5 a year × 150 % × 3/12 months
    assert row["angka_kredit"] == pytest.approx(12.5 * 1.5 * 3 / 12, abs=0.001)


# --- scheme files ---------------------------------------------------------------------------


def _scheme_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "skema-saya.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('nama = "x"\njenis = "matriks"\n[hasil_kerja\n', "bukan TOML yang sah"),
        (
            'dasar = "permenpan-6-2022"\nnama = "x"\n[perilaku]\nbatas_di_atas = "tinggi"\n',
            "kunci 'perilaku.batas_di_atas': harus angka",
        ),
        (
            'dasar = "permenpan-6-2022"\nnama = "x"\n[perilaku]\nbatas_diatas = 4\n',
            "kunci 'perilaku.batas_diatas': tidak dikenal",
        ),
        (
            'dasar = "permenpan-6-2022"\nnama = "x"\n[hasil_kerja]\nbatas_sesuai = 200\n',
            "kunci 'hasil_kerja.batas_sesuai': tidak boleh lebih besar",
        ),
        (
            'dasar = "permenpan-6-2022"\nnama = "x"\n[perilaku.bobot_peran]\nbos = 1\n',
            "kunci 'perilaku.bobot_peran.bos': tidak dikenal",
        ),
        (
            'dasar = "permenpan-6-2022"\nnama = "x"\n[predikat."Di Atas Ekspektasi"]\n'
            '"Di Atas Ekspektasi" = 5\n',
            'predikat."Di Atas Ekspektasi"."Di Atas Ekspektasi"',
        ),
        ('dasar = "permenpan-6-2022"\nnama = "x"\njenis = "angka"\n', "kunci 'komponen'"),
        (
            'dasar = "pp-46-2011"\nnama = "x"\n'
            '[[komponen]]\nnama = "y"\njenis = "gaji"\nbobot = 1\n',
            "kunci 'komponen[0].jenis'",
        ),
        (
            'dasar = "pp-46-2011"\nnama = "x"\n[[komponen]]\nnama = "y"\njenis = "perilaku"\n'
            'bobot = 1\nnilai_inti = ["Jujur"]\n',
            "'Jujur' tidak dikenal",
        ),
        ('dasar = "tidak-ada"\nnama = "x"\n', "skema 'tidak-ada' tidak dikenal"),
    ],
)
def test_broken_scheme_files_name_the_key(tmp_path, text, words):
    with pytest.raises(SchemeError) as error:
        load_scheme(_scheme_file(tmp_path, text))
    assert words in str(error.value)
    assert "skema-saya.toml" in str(error.value) or "tidak dikenal" in str(error.value)


def test_a_copied_scheme_changes_results_without_code(tmp_path):
    tables = tiny_tables()
    tables.pop("penilaian")
    tables["skp"] = tables["skp"].drop(columns="rating_atasan")
    dataset = Dataset.from_frames(tables)
    assert score(dataset, "2025-TW1").set_index("nip").loc[NIP_C, "rating_perilaku"] == SESUAI
    strict = _scheme_file(
        tmp_path, 'dasar = "permenpan-6-2022"\nnama = "ketat"\n[perilaku]\nbatas_sesuai = 4.5\n'
    )
    row = score(dataset, "2025-TW1", strict).set_index("nip").loc[NIP_C]
    assert row["skema"] == "ketat"
    assert row["rating_perilaku"] == BAWAH


def test_shipped_regional_schemes_cite_their_documents():
    for scheme in list_schemes():
        if scheme.nama.startswith("daerah-"):
            text = scheme.path.read_text(encoding="utf-8")
            # Cited by the article's title and document number, not a path of this machine.
            source = scheme.settings["sumber"]
            assert source.startswith("artikel ") and "dokumen sumber 00" in source
            assert "/" not in source
            quotes = text.count('# "') + text.count('\n# "')
            assert quotes >= len(scheme.components), scheme.nama


def test_curve_rules_and_the_fewest_moves():
    dataset = Dataset.from_frames(tiny_tables())  # PKM1's organisation predikat: Baik
    labels = load_scheme("permenpan-6-2022").labels
    dtype = pd.CategoricalDtype(list(reversed(labels)), ordered=True)
    hasil = pd.DataFrame(
        {
            "kode_opd": ["PKM1", "PKM1", "DINKES", "BKPSDM"],
            "predikat": pd.Series(["Baik", "Baik", "Sangat Baik", None], dtype=dtype),
        }
    )
    curve = check_curve(
        dataset, Periode("2025-TW1"), load_scheme("permenpan-6-2022"), hasil
    ).set_index("kode_opd")
    pkm = curve.loc["PKM1"]
    assert pkm["melanggar"]
    assert "Baik 100,0 % > maks 70,0 %" in pkm["pelanggaran"]
    assert "Butuh Perbaikan atau Kurang/Misconduct 0 orang < min 1 orang" in pkm["pelanggaran"]
    assert pkm["min_pindah"] == 1  # one Baik → Butuh Perbaikan mends both rules
    assert pkm["porsi_Baik"] == 1.0
    assert not curve.loc["DINKES", "melanggar"]  # no organisation predikat: nothing to check
    assert curve.loc["BKPSDM", "n_berpredikat"] == 0


def test_the_package_api_named_in_the_docs():
    dataset = Dataset.from_frames(tiny_tables())
    result = asn_eval.score(dataset, "2025-TW1", skema="permenpan-6-2022")
    assert len(result) == 4
    assert "Predikat" in str(asn_eval.explain(dataset, NIP_C, "2025-TW1"))
    assert asn_eval.load_scheme("pp-46-2011").jenis == "angka"
    assert len(asn_eval.list_schemes()) == 8
