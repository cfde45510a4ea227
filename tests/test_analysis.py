"""Every analysis together: the planted realities are found, a fair city raises no flag."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from asn_eval.analysis.development import nine_box
from asn_eval.analysis.run import TABLES, analyze, findings, write_analysis
from asn_eval.formatting import number
from asn_eval.scoring.scheme import load_scheme
from asn_eval.scoring.score import evaluate
from asn_eval.spreadsheet import read_back


@pytest.fixture(scope="module")
def planted(city_1500):
    return city_1500


@pytest.fixture(scope="module")
def found(dataset_1500) -> dict[str, pd.DataFrame]:
    return analyze(evaluate(dataset_1500, "2025"))


@pytest.fixture(scope="module")
def fair(fair_dataset_1500) -> dict[str, pd.DataFrame]:
    return analyze(evaluate(fair_dataset_1500, "2025"))


def test_every_table_is_there(found) -> None:
    assert set(found) == set(TABLES)


def test_planted_raters_are_flagged(planted, found) -> None:
    raters = found["penilai"].set_index("nip_penilai")
    for rater in planted.planted["lenient_raters"]:
        assert raters.loc[rater["nip_penilai"], "kecenderungan"] == "lunak"
    for rater in planted.planted["severe_raters"]:
        assert raters.loc[rater["nip_penilai"], "kecenderungan"] == "keras"
    flagged = raters[raters["kecenderungan"].isin(["lunak", "keras"])]
    planted_nips = {
        r["nip_penilai"] for k in ("lenient_raters", "severe_raters") for r in planted.planted[k]
    }
    assert set(flagged.index) == planted_nips  # and no one else


def test_planted_curve_breach_ikm_unit_and_contradictions_are_found(planted, found) -> None:
    kurva = found["kurva"].set_index("kode_opd")
    for opd in planted.planted["curve_opds"]:
        assert kurva.loc[opd["kode_opd"], "melanggar"]
        assert kurva.loc[opd["kode_opd"], "min_pindah"] > 0
    service = found["ikm_pelayanan"].set_index("unit_layanan")
    for unit in planted.planted["poor_ikm_units"]:
        assert service.loc[unit["unit_layanan"], "mutu"] == "D"
    contradicted = set(
        zip(found["bertentangan"]["nip"], found["bertentangan"]["periode"], strict=True)
    )
    expected = {(c["nip"], c["periode"]) for c in planted.planted["contradictions"]}
    assert expected <= contradicted
    said = " ".join(findings(found))
    assert "terlalu lunak" in said and "terlalu keras" in said
    assert "melampaui kurva" in said and "bertentangan" in said and "mutu D" in said


def test_a_fair_city_raises_no_flag(fair) -> None:
    assert findings(fair) == []
    assert not fair["penilai"]["kecenderungan"].isin(["lunak", "keras"]).any()
    assert not fair["atasan"]["menonjol"].any()
    assert not len(fair["bertentangan"])


def test_unnamed_findings_hold_no_nip(found) -> None:
    said = " ".join(findings(found, named=False))
    assert "penilai terlalu lunak" in said
    assert not any(nip in said for nip in found["penilai"]["nip_penilai"])


def test_recognition_is_sustained_and_evidenced(found) -> None:
    reward = found["penghargaan"]
    scheme = load_scheme()
    assert len(reward)
    assert (reward["n_triwulan_teratas"] == reward["n_triwulan"]).all()
    assert (reward["n_triwulan"] >= 2).all()
    assert (reward["capaian"] >= scheme.hasil_kerja["batas_di_atas"]).all()
    assert (reward["n_sumber_kuat"] >= 2).all()
    assert reward["bukti"].str.contains("triwulan").all()
    # each source's mean is named; those at or above 4,5 are the strong ones counted
    roles = reward[["perilaku_atasan", "perilaku_rekan", "perilaku_bawahan"]]
    assert ((roles >= scheme.perilaku_di_atas).sum(axis=1) == reward["n_sumber_kuat"]).all()
    for row in reward.itertuples():
        assert f"capaian {number(row.capaian, 1)} % ≥ 110 %" in row.bukti
        assert f"dari {row.n_sumber_kuat} sumber penilai" in row.bukti
        weak = row.skor_perilaku < scheme.perilaku_di_atas
        assert ("skor perilaku skema" in row.bukti) == weak, row.bukti


def test_nine_box_is_the_predikat_matrix(dataset_1500, found) -> None:
    """Every employee's box is the matrix cell of the ratings their predikat came from."""
    scheme = load_scheme()
    boxes = found["sembilan_kotak"]
    hasil = evaluate(dataset_1500, "2025").hasil
    assert boxes["nip"].astype(str).tolist() == hasil["nip"].astype(str).tolist()
    placed = boxes.dropna(subset=["kotak"])
    assert set(placed["kotak"]) <= set(range(1, 10)) and len(placed) > 0.9 * len(boxes)
    # the cell's label is the matrix's predikat of the two ratings used, and it is the predikat
    for row in placed.itertuples():
        assert row.label == scheme.matrix[row.rating_hasil_kerja][row.rating_perilaku]
    assert (placed["label"].astype(str) == placed["predikat"].astype(str)).all()
    assert (
        (boxes["rating_hasil_kerja"].astype(object) == hasil["rating_hasil_kerja"].astype(object))
        .fillna(True)
        .all()
    )
    frame = pd.DataFrame(
        {
            "nip": ["a", "b", "c", "d"],
            "nama": ["A", "B", "C", "D"],
            "kode_opd": ["X"] * 4,
            # b: a given Sesuai although the indicators are low; c: behaviour below
            "rating_hasil_kerja": [
                "Di Atas Ekspektasi",
                "Sesuai Ekspektasi",
                "Sesuai Ekspektasi",
                None,
            ],
            "rating_perilaku": [
                "Di Atas Ekspektasi",
                "Sesuai Ekspektasi",
                "Di Bawah Ekspektasi",
                "Sesuai Ekspektasi",
            ],
            "predikat": ["Sangat Baik", "Baik", "Kurang/Misconduct", None],
        }
    )
    grid = nine_box(frame, scheme)
    assert grid["kotak"].tolist()[:3] == [1, 5, 6] and pd.isna(grid["kotak"].iloc[3])
    assert grid["label"].tolist()[:3] == ["Sangat Baik", "Baik", "Kurang/Misconduct"]
    assert pd.isna(grid["label"].iloc[3])


def test_training_plan_totals_the_needs(found) -> None:
    needs, plan = found["pelatihan"], found["rencana_pelatihan"]
    expected = needs.groupby(["kode_opd", "program"], observed=True)["nip"].nunique()
    got = plan.set_index(["kode_opd", "program"])["n_pegawai"]
    assert got.sort_index().to_dict() == {
        (str(k[0]), k[1]): v for k, v in expected.sort_index().to_dict().items()
    }


@pytest.mark.slow  # runs the analyze command; test_periods runs it in the fast loop
def test_write_analysis_and_the_command(found, city_400_folder: Path, tmp_path: Path) -> None:
    paths = write_analysis(found, tmp_path / "a")
    assert {p.name for p in paths} == {f"{n}.parquet" for n in TABLES} | {"analisis.xlsx"}
    sheets = read_back(tmp_path / "a" / "analisis.xlsx")
    assert "temuan" in sheets and "penilai" in sheets
    assert sheets["temuan"]["temuan"].str.contains("terlalu lunak").any()

    run = [sys.executable, "-m", "asn_eval", "analyze", str(city_400_folder), "--periode", "2025"]
    done = subprocess.run([*run, "--out", str(tmp_path / "b")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Temuan:" in done.stdout and "melampaui kurva" in done.stdout
    assert (tmp_path / "b" / "analisis.xlsx").exists()
    bad = tmp_path / "pelatihan.csv"
    bad.write_text("nilai,program\nx,y\n")
    done = subprocess.run(
        [*run, "--pelatihan", str(bad), "--out", str(tmp_path / "c")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "kolom sumber, kunci tidak ada" in done.stderr
    assert not (tmp_path / "c").exists()
