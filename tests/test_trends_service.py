"""Quarterly trends, feedback follow-up, IKM beside service ratings, and the activity log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import asn_eval
from asn_eval.analysis.service import (
    ACTIVITY_COLUMNS,
    IKM_SERVICE_COLUMNS,
    activity_by_opd,
    ikm_vs_service,
)
from asn_eval.analysis.trends import (
    NEGATIVE_PHRASES,
    QUARTERLY_COLUMNS,
    employee_trends,
    feedback_summary,
    improved_after_feedback,
    is_negative_feedback,
    opd_trends,
    quarterly_scores,
    year_to_date,
)
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import Periode
from asn_eval.sample import generator as sample
from asn_eval.scoring.score import evaluate

QUARTERS = ["2025-TW1", "2025-TW2", "2025-TW3", "2025-TW4"]

# Every feedback text the sample generator writes, and whether it counts as negative.
SAMPLE_FEEDBACK = {
    # skp (two texts per rating level: Di Bawah, Sesuai, Di Atas)
    "Capaian di bawah target, susun rencana percepatan": True,
    "Perlu pendampingan untuk mencapai target": True,
    "Sudah sesuai target, pertahankan": False,
    "Lengkapi bukti dukung pada laporan berikutnya": False,  # an administrative request
    "Capaian melampaui target, pertahankan": False,
    "Hasil kerja sangat baik, bagikan praktik baiknya": False,
    # perilaku (one text per score 1–5)
    "Perlu pembinaan lebih lanjut": True,
    "Perlu ditingkatkan": True,
    "Cukup, terus tingkatkan": True,  # mild, but asks for improvement
    "Baik, pertahankan": False,
    "Sangat baik, menjadi teladan rekan kerja": False,
}


@pytest.fixture(scope="module")
def city() -> sample.SampleCity:
    return sample.generate(800, seed=3)


@pytest.fixture(scope="module")
def ds(city: sample.SampleCity) -> Dataset:
    return Dataset.from_frames(city.tables)


@pytest.fixture(scope="module")
def quarterly(ds: Dataset) -> pd.DataFrame:
    return quarterly_scores(evaluate(ds, "2025"))


def _year_only(ds: Dataset) -> Dataset:
    tables = {
        name: frame[frame["periode"] == "2025"] if "periode" in frame else frame
        for name, frame in ds.tables.items()
    }
    return Dataset(tables, ds.warnings, ds.source, ds.fingerprint)


def _without(ds: Dataset, table: str, *, empty: bool = False) -> Dataset:
    tables = dict(ds.tables)
    if empty:
        tables[table] = tables[table].iloc[:0]
    else:
        del tables[table]
    return Dataset(tables, ds.warnings, ds.source, ds.fingerprint)


# --- quarterly scores and trends --------------------------------------------------------------


def test_quarterly_scores_cover_every_quarter_and_match_score(ds, quarterly):
    assert list(quarterly.columns) == QUARTERLY_COLUMNS
    assert list(quarterly["periode"].cat.categories) == QUARTERS
    assert quarterly["periode"].cat.ordered
    counts = quarterly["periode"].value_counts(sort=False)
    assert counts.to_dict() == dict.fromkeys(QUARTERS, len(ds.pegawai))

    direct = asn_eval.score(ds, "2025-TW3")
    mine = quarterly[quarterly["periode"] == "2025-TW3"].reset_index(drop=True)
    for column in QUARTERLY_COLUMNS:
        if column == "periode":
            continue
        expected = direct[column].astype("object").where(direct[column].notna(), None)
        actual = mine[column].astype("object").where(mine[column].notna(), None)
        assert actual.tolist() == expected.tolist(), column
    yearly = _year_only(ds)  # a year evaluated without quarters
    assert quarterly_scores(evaluate(yearly, "2025")).empty
    assert list(quarterly_scores(evaluate(yearly, "2025")).columns) == QUARTERLY_COLUMNS


def test_employee_trends_deltas_match_a_hand_computation(ds, quarterly):
    trends = employee_trends(quarterly)
    assert len(trends) == 3 * len(ds.pegawai)  # every employee is scored in all four quarters
    by_key = quarterly.assign(periode=quarterly["periode"].astype("str")).set_index(
        ["nip", "periode"]
    )
    moved = trends.dropna(subset=["delta_capaian", "delta_perilaku"])
    picks = [
        moved[moved["arah"] == "naik"].iloc[0],
        moved[moved["arah"] == "turun"].iloc[0],
        moved[moved["delta_capaian"] != 0].iloc[-1],
    ]
    for row in picks:
        now = by_key.loc[(row["nip"], str(row["periode"]))]
        before = by_key.loc[(row["nip"], str(row["periode_sebelum"]))]
        assert QUARTERS.index(str(row["periode"])) == QUARTERS.index(row["periode_sebelum"]) + 1
        assert row["delta_capaian"] == pytest.approx(now["capaian"] - before["capaian"])
        assert row["delta_perilaku"] == pytest.approx(
            now["skor_perilaku"] - before["skor_perilaku"]
        )
        assert row["predikat_sebelum"] == before["predikat"]
        assert row["predikat_sesudah"] == now["predikat"]


def test_arah_follows_the_predikat_order(quarterly):
    trends = employee_trends(quarterly)
    order = list(quarterly["predikat"].cat.categories)
    assert order[0] == "Sangat Kurang" and order[-1] == "Sangat Baik"  # worst → best
    known = trends.dropna(subset=["predikat_sebelum", "predikat_sesudah"])
    before = known["predikat_sebelum"].astype("str").map(order.index)
    after = known["predikat_sesudah"].astype("str").map(order.index)
    expected = np.where(after > before, "naik", np.where(after < before, "turun", "tetap"))
    assert known["arah"].astype("str").tolist() == expected.tolist()
    assert set(known["arah"]) == {"naik", "turun", "tetap"}
    unknown = trends[trends["predikat_sebelum"].isna() | trends["predikat_sesudah"].isna()]
    assert unknown["arah"].isna().all()


def test_opd_trends_shares_and_a_hand_computation(ds, quarterly):
    table = opd_trends(quarterly)
    assert table["porsi_terbaik"].between(0, 1).all()
    per_opd = ds.pegawai["kode_opd"].value_counts()
    tw1 = table[table["periode"] == "2025-TW1"].set_index("kode_opd")
    assert tw1["n_pegawai"].to_dict() == per_opd[per_opd > 0].to_dict()

    row = table[(table["kode_opd"] == "DINKES") & (table["periode"] == "2025-TW3")].iloc[0]
    staff = quarterly[(quarterly["kode_opd"] == "DINKES") & (quarterly["periode"] == "2025-TW3")]
    rated = staff["predikat"].notna()
    assert row["n_dinilai"] == rated.sum()
    assert row["capaian"] == pytest.approx(staff["capaian"].mean(), abs=0.005)
    assert row["porsi_terbaik"] == pytest.approx(
        (staff["predikat"] == "Sangat Baik").sum() / rated.sum(), abs=5e-5
    )
    previous = table[(table["kode_opd"] == "DINKES") & (table["periode"] == "2025-TW2")].iloc[0]
    assert row["delta_capaian"] == pytest.approx(row["capaian"] - previous["capaian"])
    assert row["periode_sebelum"] == "2025-TW2"
    assert table.groupby("kode_opd", observed=True).head(1)["delta_capaian"].isna().all()
    assert table.groupby("kode_opd", observed=True).head(1)["periode_sebelum"].isna().all()
    # one count per predikat, every OPD and quarter, adding up to the rated
    labels = list(reversed(quarterly["predikat"].cat.categories))
    counts = table[labels]
    assert (counts.sum(axis=1) == table["n_dinilai"]).all()
    for (opd, periode), staff in quarterly.groupby(["kode_opd", "periode"], observed=True):
        got = table[(table["kode_opd"] == opd) & (table["periode"] == periode)].iloc[0]
        expected = staff["predikat"].astype(object).value_counts()
        assert {label: got[label] for label in labels} == {
            label: int(expected.get(label, 0)) for label in labels
        }


def test_a_quarter_is_compared_with_the_earlier_quarters_of_its_year(ds, quarterly):
    """year_to_date: TW2 brings TW1 (scored once, kept); a first quarter brings only itself."""
    scored = evaluate(ds, "2025-TW2")
    history = year_to_date(scored)
    assert [str(q) for q in history] == ["2025-TW1", "2025-TW2"]
    assert history[scored.periode] is scored
    again = year_to_date(scored)
    assert all(again[q] is history[q] for q in history)  # not scored twice
    stacked = quarterly_scores(scored)
    assert list(stacked["periode"].cat.categories) == ["2025-TW1", "2025-TW2"]
    tw1 = stacked[stacked["periode"] == "2025-TW1"]["capaian"].reset_index(drop=True)
    year_tw1 = quarterly[quarterly["periode"] == "2025-TW1"]["capaian"].reset_index(drop=True)
    assert tw1.equals(year_tw1)  # the same scoring as the year's quarters
    first = evaluate(ds, "2025-TW1")
    assert [str(q) for q in year_to_date(first)] == ["2025-TW1"]
    assert len(opd_trends(quarterly_scores(first))) == ds.pegawai["kode_opd"].nunique()


# --- feedback ---------------------------------------------------------------------------------


def test_every_sample_feedback_text_is_classified_as_decided(ds):
    flat = [t for pair in sample._UMPAN_BALIK_SKP for t in pair]
    assert set(SAMPLE_FEEDBACK) == set(flat) | set(sample._UMPAN_BALIK_PERILAKU)
    texts = list(SAMPLE_FEEDBACK)
    assert is_negative_feedback(texts).tolist() == list(SAMPLE_FEEDBACK.values())
    assert is_negative_feedback([t.upper() for t in texts]).tolist() == list(
        SAMPLE_FEEDBACK.values()
    )
    assert {"perlu", "belum", "di bawah target", "tingkatkan", "kurang"} <= set(NEGATIVE_PHRASES)
    written = set(ds.skp["umpan_balik"].dropna()) | set(ds.perilaku["umpan_balik"].dropna())
    assert written <= set(SAMPLE_FEEDBACK)


def _hand_feedback(ds: Dataset, quarterly: pd.DataFrame, table: str, measure: str):
    rows = ds.tables[table].dropna(subset=["umpan_balik"])
    rows = rows[rows["umpan_balik"].astype("str").map(SAMPLE_FEEDBACK)]
    rows = rows[rows["periode"].astype("str").isin(QUARTERS[:-1])]
    rows = pd.DataFrame(
        {
            "nip": rows["nip"].astype("str"),
            "periode": rows["periode"].astype("str"),
            "umpan_balik": rows["umpan_balik"].astype("str"),
        }
    ).drop_duplicates()
    rows["periode_sesudah"] = rows["periode"].map(lambda p: QUARTERS[QUARTERS.index(p) + 1])
    values = pd.DataFrame(
        {
            "nip": quarterly["nip"].astype("str"),
            "periode": quarterly["periode"].astype("str"),
            "nilai": quarterly[measure],
        }
    )
    rows = rows.merge(values.rename(columns={"nilai": "sebelum"}), on=["nip", "periode"])
    rows = rows.merge(
        values.rename(columns={"periode": "periode_sesudah", "nilai": "sesudah"}),
        on=["nip", "periode_sesudah"],
    )
    rows = rows.dropna(subset=["sebelum", "sesudah"])
    rows["membaik"] = rows["sesudah"] > rows["sebelum"]
    return rows.sort_values(["nip", "periode", "umpan_balik"]).reset_index(drop=True)


def test_improved_after_feedback_matches_the_numbers(ds, quarterly):
    improved = improved_after_feedback(ds, quarterly)
    assert set(improved["umpan_balik"]) <= {t for t, bad in SAMPLE_FEEDBACK.items() if bad}
    assert set(improved["sumber"]) == {"skp", "perilaku"}
    assert (improved["membaik"] == (improved["sesudah"] > improved["sebelum"])).all()
    assert improved["membaik"].any() and not improved["membaik"].all()
    for sumber, measure in (("skp", "capaian"), ("perilaku", "skor_perilaku")):
        mine = improved[improved["sumber"] == sumber]
        mine = pd.DataFrame(
            {
                "nip": mine["nip"].astype("str"),
                "periode": mine["periode"].astype("str"),
                "umpan_balik": mine["umpan_balik"],
                "sebelum": mine["sebelum"],
                "sesudah": mine["sesudah"],
                "membaik": mine["membaik"],
            }
        )
        mine = mine.sort_values(["nip", "periode", "umpan_balik"]).reset_index(drop=True)
        hand = _hand_feedback(ds, quarterly, sumber, measure)[mine.columns]
        assert len(hand) > 0
        pd.testing.assert_frame_equal(mine, hand, check_dtype=False)
    employee = ds.pegawai.set_index(ds.pegawai["nip"].astype("str"))["kode_opd"].astype("str")
    assert (improved["kode_opd"].astype("str") == improved["nip"].astype("str").map(employee)).all()


def test_negative_phrases_can_be_overridden(ds, quarterly):
    praise = improved_after_feedback(ds, quarterly, negative=("PERTAHANKAN",))
    assert set(praise["umpan_balik"]) == {
        "Sudah sesuai target, pertahankan",
        "Capaian melampaui target, pertahankan",
        "Baik, pertahankan",
    }
    assert improved_after_feedback(ds, quarterly, negative=()).empty
    assert list(improved_after_feedback(ds, quarterly, negative=()).columns) == list(
        improved_after_feedback(ds, quarterly).columns
    )


def test_feedback_summary_counts_per_opd(ds, quarterly):
    improved = improved_after_feedback(ds, quarterly)
    summary = feedback_summary(improved)
    assert summary["n_umpan_balik_negatif"].sum() == len(improved)
    assert summary["n_membaik"].sum() == improved["membaik"].sum()
    assert summary["porsi_membaik"].between(0, 1).all()
    disdik = summary[summary["kode_opd"] == "DISDIK"].iloc[0]
    mine = improved[improved["kode_opd"] == "DISDIK"]
    assert disdik["n_umpan_balik_negatif"] == len(mine)
    assert disdik["porsi_membaik"] == pytest.approx(mine["membaik"].mean(), abs=5e-5)


# --- IKM beside service ratings ---------------------------------------------------------------


def _service_scores(ds: Dataset) -> pd.Series:
    """Mean per OPD of each employee's mean non-self Berorientasi Pelayanan score in 2025."""
    rows = ds.perilaku[
        (ds.perilaku["periode"] == "2025")
        & (ds.perilaku["nilai_inti"] == "Berorientasi Pelayanan")
        & (ds.perilaku["peran_penilai"] != "diri")
    ]
    per_employee = rows.groupby(rows["nip"].astype("str"))["skor"].mean()
    opd = ds.pegawai.set_index(ds.pegawai["nip"].astype("str"))["kode_opd"].astype("str")
    return per_employee.groupby(opd.reindex(per_employee.index)).mean()


def test_the_planted_poor_unit_is_mutu_d_and_out_of_line_with_its_ratings(city, ds):
    table = ikm_vs_service(ds, "2025")
    assert list(table.columns) == IKM_SERVICE_COLUMNS
    [poor] = city.planted["poor_ikm_units"]
    row = table[
        (table["kode_opd"] == poor["kode_opd"]) & (table["unit_layanan"] == poor["unit_layanan"])
    ].iloc[0]
    assert row["mutu"] == "D" and row["ikm"] < 65

    by_opd = _service_scores(ds)
    assert row["skor_pelayanan"] == pytest.approx(by_opd[poor["kode_opd"]], abs=5e-4)
    staff_rated_well = by_opd[poor["kode_opd"]] >= by_opd.median()
    # What this city says: the Puskesmas staff are rated at or above the city median, so the
    # public's poor grade is out of line with their ratings.
    assert staff_rated_well
    assert row["tidak_sejalan"]
    assert "tidak sejalan" in row["catatan"] and "mutu D" in row["catatan"]
    others = table.drop(index=row.name)
    assert not others["tidak_sejalan"].any()
    assert (others["catatan"] == "").all()
    # Units of one OPD share its staff.
    two = table[table["kode_opd"] == "DISDUKCAPIL"]
    assert len(two) == 2 and two["skor_pelayanan"].nunique() == 1


def test_a_city_without_planted_facts_has_no_unit_flagged():
    clean = Dataset.from_frames(sample.generate(800, seed=3, plant=False).tables)
    table = ikm_vs_service(clean, "2025")
    assert len(table) > 0
    assert set(table["mutu"].astype("str")) <= {"A", "B"}
    assert not table["tidak_sejalan"].any()


def test_ikm_vs_service_without_a_survey_is_empty(ds):
    table = ikm_vs_service(_without(ds, "survei"), "2025")
    assert table.empty and list(table.columns) == IKM_SERVICE_COLUMNS


# --- activity log -----------------------------------------------------------------------------


def _hand_activity(ds: Dataset, kode_opd: str, periode: str, workdays: pd.Series | None):
    start, end = Periode(periode).bounds
    staff = ds.pegawai.loc[ds.pegawai["kode_opd"] == kode_opd, "nip"].astype("str")
    log = ds.aktivitas[(ds.aktivitas["tanggal"] >= start) & (ds.aktivitas["tanggal"] <= end)]
    log = log[log["nip"].astype("str").isin(staff)]
    days = log.drop_duplicates(["nip", "tanggal"]).groupby(log["nip"].astype("str")).size()
    days = days.reindex(staff, fill_value=0)
    if workdays is None:
        workdays = pd.Series(float(np.busday_count(start.date(), end.date()) + 1), index=staff)
    workdays = workdays.reindex(staff)
    status = log["status"].astype("str")
    decided = status.isin(["disetujui", "ditolak"]).sum()
    pending = log[status == "menunggu"]
    return {
        "n_pegawai": len(staff),
        "n_aktivitas": len(log),
        "porsi_hari_lapor": np.minimum(days, workdays).sum() / workdays.sum(),
        "porsi_disetujui": (status == "disetujui").sum() / decided,
        "n_menunggu": len(pending),
        "umur_menunggu_maks": (end - pending["tanggal"].min()).days,
        "jam_per_hari": log["durasi_menit"].sum() / 60 / days.sum(),
    }


def _check_against_hand(table: pd.DataFrame, hand: dict, kode_opd: str) -> None:
    row = table[table["kode_opd"] == kode_opd].iloc[0]
    for column, value in hand.items():
        assert row[column] == pytest.approx(value, abs=0.006), column


def test_activity_by_opd_shares_and_a_hand_computation(ds):
    table = activity_by_opd(ds, "2025-TW2")
    assert list(table.columns) == ACTIVITY_COLUMNS
    assert len(table) == ds.pegawai["kode_opd"].nunique()
    for column in ("porsi_hari_lapor", "porsi_disetujui"):
        assert table[column].between(0, 1).all(), column
    assert (table["umur_menunggu_maks"].dropna() <= 90).all()  # TW2 has 91 days

    smallest = str(table.loc[table["n_pegawai"].idxmin(), "kode_opd"])
    rows = ds.kehadiran[ds.kehadiran["periode"] == "2025-TW2"]
    workdays = rows.groupby(rows["nip"].astype("str"))["hari_kerja"].sum().astype("float64")
    _check_against_hand(table, _hand_activity(ds, smallest, "2025-TW2", workdays), smallest)

    # Without attendance, the working days are the weekdays of the quarter.
    weekdays = activity_by_opd(_without(ds, "kehadiran"), "2025-TW2")
    _check_against_hand(weekdays, _hand_activity(ds, smallest, "2025-TW2", None), smallest)

    year = activity_by_opd(ds, "2025")
    assert (year["n_aktivitas"] > table["n_aktivitas"]).all()
    assert year["porsi_hari_lapor"].between(0, 1).all()


@pytest.mark.parametrize("empty", [False, True], ids=["tanpa-tabel", "tabel-kosong"])
def test_activity_by_opd_without_a_log_is_an_empty_frame(ds, empty):
    table = activity_by_opd(_without(ds, "aktivitas", empty=empty), "2025")
    assert table.empty and list(table.columns) == ACTIVITY_COLUMNS
    assert activity_by_opd(ds, "2024").empty  # no entry in the period
