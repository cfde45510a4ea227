"""Fairness statistics on generated cities: planted raters found, nothing found where none is."""

from __future__ import annotations

import warnings

import krippendorff
import numpy as np
import pandas as pd
import pytest

import asn_eval
from asn_eval.analysis import fairness
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import periode_mask
from asn_eval.input.vocab import NILAI_INTI

PERIODES = ["2025", "2025-TW2"]


@pytest.fixture(scope="module")
def planted_city(city_1500, dataset_1500):
    return city_1500, dataset_1500


@pytest.fixture(scope="module")
def fair_city(fair_city_1500, fair_dataset_1500):
    return fair_city_1500, fair_dataset_1500


@pytest.fixture(scope="module")
def tendency(planted_city):
    _, ds = planted_city
    return {periode: fairness.rater_tendency(ds, periode) for periode in PERIODES}


def _with_perilaku(ds: Dataset, perilaku: pd.DataFrame) -> Dataset:
    return Dataset({**ds.tables, "perilaku": perilaku.reset_index(drop=True)}, [], ds.source, "")


def _nip_codes(ds: Dataset, nips: list[str]) -> np.ndarray:
    return ds.pegawai["nip"].cat.categories.get_indexer(nips)


# --- rater_tendency ---------------------------------------------------------------------------


def test_rater_tendency_columns_and_order(tendency):
    out = tendency["2025"]
    assert list(out.columns) == [
        "nip_penilai",
        "kode_opd",
        "n_dinilai",
        "n_skor",
        "estimasi",
        "batas_bawah",
        "batas_atas",
        "kecenderungan",
        "cukup_data",
    ]
    assert out["estimasi"].is_monotonic_decreasing
    assert out["nip_penilai"].map(type).eq(str).all()
    assert out["nip_penilai"].is_unique
    assert (out["batas_bawah"] <= out["estimasi"]).all()
    assert (out["estimasi"] <= out["batas_atas"]).all()
    assert set(out["kecenderungan"].dropna()) <= {"lunak", "keras", "wajar"}
    assert out["kode_opd"].notna().all()


@pytest.mark.parametrize("periode", PERIODES)
def test_planted_raters_are_found(planted_city, tendency, periode):
    city, _ = planted_city
    out = tendency[periode].set_index("nip_penilai")
    lenient = [str(r["nip_penilai"]) for r in city.planted["lenient_raters"]]
    severe = [str(r["nip_penilai"]) for r in city.planted["severe_raters"]]
    assert lenient and severe
    assert (out.loc[lenient, "kecenderungan"] == "lunak").all()
    assert (out.loc[severe, "kecenderungan"] == "keras").all()
    # The planted bias is ±1.3 before rounding and clipping (about ±1.2 seen): found near it.
    assert (out.loc[lenient, "estimasi"] > 0.8).all()
    assert (out.loc[severe, "estimasi"] < -0.8).all()
    others = out.drop(lenient + severe)
    assert others["kecenderungan"].isin(["wajar"]).sum() == others["kecenderungan"].notna().sum()
    assert others.loc[others["cukup_data"], "estimasi"].abs().max() < 0.3


def test_lenient_supervisor_is_not_a_strong_team(planted_city, tendency):
    """The lenient rater's team is weak and the severe one's strong: raw means hide both."""
    city, ds = planted_city
    perilaku = ds.perilaku[periode_mask(ds.perilaku, "2025-TW2")]
    atasan = perilaku[perilaku["peran_penilai"] == "atasan"]
    raw = atasan.groupby(atasan["nip_penilai"].astype("str"))["skor"].mean()
    lenient = str(city.planted["lenient_raters"][0]["nip_penilai"])
    severe = str(city.planted["severe_raters"][0]["nip_penilai"])
    out = tendency["2025-TW2"].set_index("nip_penilai")
    assert out.loc[lenient, "estimasi"] > 0.5 > raw[lenient] - raw.mean()
    assert out.loc[severe, "estimasi"] < -0.5


@pytest.mark.parametrize("periode", PERIODES)
def test_no_rater_flagged_in_a_city_without_plants(fair_city, periode):
    _, ds = fair_city
    out = fairness.rater_tendency(ds, periode)
    assert not out["kecenderungan"].isin(["lunak", "keras"]).any()
    assert out.loc[out["cukup_data"], "estimasi"].abs().max() < 0.3


def test_raters_with_few_ratees_get_no_label(tendency):
    out = tendency["2025"]
    few = out["n_dinilai"] < 3
    assert few.any() and (~few).any()
    assert out.loc[few, "kecenderungan"].isna().all()
    assert (out.loc[few, "kecenderungan"].map(lambda v: v is pd.NA)).all()
    assert not out.loc[few, "cukup_data"].any()
    assert out.loc[~few, "kecenderungan"].notna().all()
    assert out.loc[~few, "cukup_data"].all()


def test_counts_match_the_ratings(planted_city, tendency):
    _, ds = planted_city
    perilaku = ds.perilaku[periode_mask(ds.perilaku, "2025")]
    other = perilaku[perilaku["peran_penilai"] != "diri"]
    rater = other["nip_penilai"].astype("str")
    out = tendency["2025"].set_index("nip_penilai")
    expected_skor = rater.value_counts()
    expected_dinilai = other.groupby(rater)["nip"].nunique()
    assert (out["n_skor"] == expected_skor.reindex(out.index)).all()
    assert (out["n_dinilai"] == expected_dinilai.reindex(out.index)).all()


def test_by_role_separates_the_supervisor_role(planted_city):
    city, ds = planted_city
    out = fairness.rater_tendency(ds, "2025", by_role=True)
    assert "peran_penilai" in out and not out.duplicated(["nip_penilai", "peran_penilai"]).any()
    atasan = out[out["peran_penilai"] == "atasan"].set_index("nip_penilai")
    for key, label in (("lenient_raters", "lunak"), ("severe_raters", "keras")):
        for rater in city.planted[key]:
            assert atasan.loc[str(rater["nip_penilai"]), "kecenderungan"] == label


def test_blup_agrees_with_statsmodels_mixedlm(planted_city):
    """Our moment + backfitting estimator against statsmodels' REML fit of the crossed model."""
    import statsmodels.formula.api as smf

    city, ds = planted_city
    pegawai = ds.pegawai
    teams = pegawai.groupby("nip_atasan", observed=True).size()
    normal = teams[(teams >= 4) & (teams <= 6)].index.astype("str")[:3]
    planted = city.planted["lenient_raters"] + city.planted["severe_raters"]
    nips = [nip for rater in planted for nip in rater["bawahan"]]
    in_normal = pegawai["nip_atasan"].astype("str").isin(normal)
    nips += pegawai.loc[in_normal, "nip"].astype("str").tolist()
    small = ds.subset(nip=nips)
    rows = small.perilaku[periode_mask(small.perilaku, "2025")]
    assert 500 <= len(rows) <= 1500
    self_rated = rows["peran_penilai"] == "diri"
    frame = pd.DataFrame(
        {
            "skor": rows["skor"].astype("float64"),
            "peran": rows["peran_penilai"].astype("str"),
            "nilai": rows["nilai_inti"].astype("str"),
            "ratee": rows["nip"].astype("str"),
            # Self-ratings get one pseudo-rater; its effect is absorbed by the role's fixed effect.
            "rater": rows["nip_penilai"].astype("str").where(~self_rated, "DIRI"),
            "kota": 1,
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.mixedlm(
            "skor ~ C(peran) + C(nilai)",
            frame,
            groups="kota",
            re_formula="0",
            vc_formula={"ratee": "0 + C(ratee)", "rater": "0 + C(rater)"},
        )
        fitted = model.fit(reml=True)
    effects = fitted.random_effects[1]
    names = [n for n in effects.index if n.startswith("rater[")]
    reference = pd.Series(
        effects[names].to_numpy(), index=[n.split("C(rater)[")[1].rstrip("]") for n in names]
    ).drop("DIRI")
    ours = fairness.rater_tendency(small, "2025").set_index("nip_penilai")["estimasi"]
    both = pd.concat([ours.rename("ours"), reference.rename("statsmodels")], axis=1, join="inner")
    assert len(both) >= 20
    assert both.corr().iloc[0, 1] > 0.95
    gaussian = fairness.rater_tendency(small, "2025", df=np.inf).set_index("nip_penilai")
    assert np.corrcoef(gaussian["estimasi"].reindex(both.index), both["statsmodels"])[0, 1] > 0.95


# --- central_tendency -------------------------------------------------------------------------


def test_central_tendency_flags_a_rater_who_gives_everyone_the_same(planted_city):
    _, ds = planted_city
    perilaku = ds.perilaku.copy()
    in_year = periode_mask(perilaku, "2025")
    atasan = perilaku[in_year & (perilaku["peran_penilai"] == "atasan").to_numpy()]
    team = atasan.groupby(atasan["nip_penilai"].astype("str"))["nip"].nunique()
    flat = team[team.between(5, 12)].index[0]
    by_flat = in_year & (perilaku["nip_penilai"].astype("str") == flat).to_numpy()
    # Same score for every ratee on each value (a profile over values, not one number).
    profile = np.array([4, 4, 3, 4, 5, 4, 4])
    perilaku.loc[by_flat, "skor"] = profile[perilaku.loc[by_flat, "nilai_inti"].cat.codes]
    out = fairness.central_tendency(_with_perilaku(ds, perilaku), "2025").set_index("nip_penilai")
    assert list(out.columns) == ["n_dinilai", "sd", "sentral"]
    assert out.loc[flat, "sentral"]
    assert out.loc[flat, "sd"] == pytest.approx(0, abs=1e-12)
    assert out["sentral"].sum() == 1
    before = fairness.central_tendency(ds, "2025").set_index("nip_penilai")
    assert not before["sentral"].any()
    assert before.loc[flat, "sd"] > 0.2


def test_central_tendency_sd_by_hand(planted_city):
    _, ds = planted_city
    out = fairness.central_tendency(ds, "2025-TW2").set_index("nip_penilai")
    perilaku = ds.perilaku[periode_mask(ds.perilaku, "2025-TW2")]
    rater = out.index[out["n_dinilai"] >= 3][0]
    rows = perilaku[perilaku["nip_penilai"].astype("str") == rater]
    centred = rows["skor"].astype(float) - rows.groupby("nilai_inti", observed=True)[
        "skor"
    ].transform("mean")
    dof = len(rows) - rows["nilai_inti"].nunique()
    assert out.loc[rater, "sd"] == pytest.approx(np.sqrt((centred**2).sum() / dof))
    assert out.loc[rater, "n_dinilai"] == rows["nip"].nunique()


def test_central_tendency_finds_nothing_without_plants(fair_city):
    _, ds = fair_city
    for periode in PERIODES:
        assert not fairness.central_tendency(ds, periode)["sentral"].any()


# --- source_gaps ------------------------------------------------------------------------------


def test_source_gaps_by_hand(planted_city):
    _, ds = planted_city
    gaps = fairness.source_gaps(ds, "2025")
    perilaku = ds.perilaku[periode_mask(ds.perilaku, "2025")]
    with_bawahan = perilaku.loc[perilaku["peran_penilai"] == "bawahan", "nip"].astype("str")
    picks = [gaps["nip"].iloc[0], gaps["nip"].iloc[500], with_bawahan.iloc[0]]
    indexed = gaps.set_index("nip")
    for nip in picks:
        rows = perilaku[perilaku["nip"].astype("str") == nip]
        means = rows.groupby(rows["peran_penilai"].astype("str"))["skor"].mean()
        for role in ("diri", "atasan", "rekan", "bawahan"):
            expected = means.get(role, np.nan)
            assert indexed.loc[nip, role] == pytest.approx(expected, nan_ok=True)
        for role in ("diri", "rekan", "bawahan"):
            expected = means.get(role, np.nan) - means.get("atasan", np.nan)
            assert indexed.loc[nip, f"selisih_{role}_atasan"] == pytest.approx(
                expected, nan_ok=True
            )
        assert str(indexed.loc[nip, "kode_opd"]) == str(
            ds.pegawai.set_index(ds.pegawai["nip"].astype("str")).loc[nip, "kode_opd"]
        )
    assert indexed.loc[picks[2], "bawahan"] == indexed.loc[picks[2], "bawahan"]  # not NaN


def test_source_gaps_by_opd(planted_city):
    _, ds = planted_city
    gaps = fairness.source_gaps(ds, "2025-TW2")
    assert gaps["rekan"].isna().all()  # a quarter has only the supervisor and the self-rating
    by_opd = fairness.source_gaps_by_opd(gaps)
    assert by_opd["n_pegawai"].sum() == len(gaps)
    row = by_opd[by_opd["kode_opd"] == "DINKES"].iloc[0]
    mine = gaps[gaps["kode_opd"] == "DINKES"]
    assert row["n_pegawai"] == len(mine)
    assert row["selisih_diri_atasan"] == pytest.approx(mine["selisih_diri_atasan"].mean())
    assert np.isnan(row["selisih_rekan_atasan"])


# --- supervisor_disagreement ------------------------------------------------------------------


def test_supervisor_disagreement_counts_by_hand():
    di_atas, sesuai, di_bawah = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"
    pegawai = pd.DataFrame(
        {
            "nip": ["A", "B", "a1", "a2", "a3", "a4", "b1", "b2", "b3"],
            "nip_atasan": [None, None, "A", "A", "A", "A", "B", "B", "B"],
            "kode_opd": ["X", "Y", "X", "X", "X", "X", "Y", "Y", "Y"],
        }
    )
    hasil = pd.DataFrame(
        {
            "nip": ["a1", "a2", "a3", "a4", "b1", "b2", "b3"],
            "rating_hasil_kerja_diberikan": [
                *(di_atas, di_atas, sesuai, None),
                *(sesuai, di_bawah, "di atas"),  # labels in any accepted spelling
            ],
            "rating_hasil_kerja_saran": [sesuai, di_atas, sesuai, sesuai, sesuai, di_atas, sesuai],
        }
    )
    out = fairness.supervisor_disagreement(hasil, pegawai).set_index("nip_atasan")
    assert out.loc["A", ["n_bawahan", "n_berbeda", "n_bertentangan"]].tolist() == [3, 1, 0]
    assert out.loc["B", ["n_bawahan", "n_berbeda", "n_bertentangan"]].tolist() == [3, 1, 1]
    assert out.loc["A", "porsi_berbeda"] == pytest.approx(1 / 3)
    assert out.loc["A", "kode_opd"] == "X"
    # Wilson 95 % interval of 1/3 by hand.
    z = 1.959963984540054
    centre = (1 / 3 + z * z / 6) / (1 + z * z / 3)
    half = z * np.sqrt((1 / 3) * (2 / 3) / 3 + z * z / 36) / (1 + z * z / 3)
    assert out.loc["A", "porsi_bawah"] == pytest.approx(centre - half)
    assert out.loc["A", "porsi_atas"] == pytest.approx(centre + half)
    assert out.loc["B", "menonjol"] and not out.loc["A", "menonjol"]
    assert out.index[0] == "B"  # contradictions first
    assert out.attrs["porsi_kota"] == pytest.approx(2 / 6)


def test_supervisor_disagreement_share_flag():
    bosses = [f"S{i}" for i in range(10)]
    staff = [f"{b}-{j}" for b in bosses for j in range(20)]
    pegawai = pd.DataFrame(
        {
            "nip": bosses + staff,
            "nip_atasan": [None] * 10 + [s.split("-")[0] for s in staff],
            "kode_opd": "X",
        }
    )
    differs = [s.startswith("S0-") or s.endswith(("-0", "-1")) for s in staff]
    hasil = pd.DataFrame(
        {
            "nip": staff,
            "rating_hasil_kerja_diberikan": "Sesuai Ekspektasi",
            "rating_hasil_kerja_saran": np.where(
                differs, "Di Atas Ekspektasi", "Sesuai Ekspektasi"
            ),
        }
    )
    out = fairness.supervisor_disagreement(hasil, pegawai)
    assert out.attrs["porsi_kota"] == pytest.approx(38 / 200)
    assert out.loc[out["menonjol"], "nip_atasan"].tolist() == ["S0"]
    assert (out["n_bertentangan"] == 0).all()


@pytest.mark.parametrize("periode", ["2025", "2025-TW1", "2025-TW2"])
def test_supervisor_disagreement_on_generated_cities(planted_city, fair_city, periode):
    _, fair = fair_city
    quiet = fairness.supervisor_disagreement(asn_eval.score(fair, periode), fair.pegawai)
    assert not quiet["menonjol"].any()
    assert 0.1 < quiet.attrs["porsi_kota"] < 0.3  # one level apart is common, and not an alarm
    city, ds = planted_city
    loud = fairness.supervisor_disagreement(asn_eval.score(ds, periode), ds.pegawai)
    planted = {c["nip"] for c in city.planted["contradictions"] if c["periode"] == periode}
    atasan = ds.pegawai.set_index(ds.pegawai["nip"].astype("str"))["nip_atasan"].astype("str")
    flagged = set(loud.loc[loud["n_bertentangan"] > 0, "nip_atasan"])
    assert flagged == {atasan[n] for n in planted}
    assert loud.loc[loud["menonjol"], "n_bertentangan"].gt(0).all()


# --- agreement --------------------------------------------------------------------------------


def test_agreement_perfect_is_one(planted_city):
    _, ds = planted_city
    perilaku = ds.perilaku.copy()
    other = (perilaku["peran_penilai"] != "diri").to_numpy()
    unit = perilaku["nip"].cat.codes.to_numpy() * 7 + perilaku["nilai_inti"].cat.codes.to_numpy()
    perilaku.loc[other, "skor"] = (unit[other] % 5 + 1).astype("int8")
    out = fairness.agreement(_with_perilaku(ds, perilaku), "2025")
    enough = out[out["n_unit"] >= 2]
    assert len(enough) > 20
    assert np.allclose(enough["alpha"], 1.0)


def test_agreement_matches_krippendorff_example(planted_city):
    """Krippendorff's (2011) ordinal example, 4 coders × 12 units with gaps: alpha 0.815."""
    _, ds = planted_city
    data = np.array(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
            [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
        ]
    )
    pegawai = ds.pegawai[ds.pegawai["kode_opd"] == "BAPPEDA"]
    ratees, raters = pegawai["nip"].iloc[:2].tolist(), pegawai["nip"].iloc[2:6].tolist()
    values = NILAI_INTI.values
    rows = [
        (ratees[u // 6], raters[c], values[u % 6], int(data[c, u]))
        for c in range(4)
        for u in range(12)
        if not np.isnan(data[c, u])
    ]
    frame = pd.DataFrame(rows, columns=["nip", "nip_penilai", "nilai_inti", "skor"])
    frame["periode"] = "2025"
    frame["peran_penilai"] = "rekan"
    dtypes = ds.perilaku.dtypes
    columns = ["periode", "nip", "nip_penilai", "peran_penilai", "nilai_inti", "skor"]
    perilaku = frame[columns].astype({c: dtypes[c] for c in columns})
    out = fairness.agreement(_with_perilaku(ds, perilaku), "2025")
    assert out["kode_opd"].astype("str").tolist() == ["BAPPEDA"]
    row = out.iloc[0]
    assert row["n_unit"] == 11  # units with at least two scores
    assert row["n_skor"] == 40
    expected = krippendorff.alpha(
        reliability_data=data, value_domain=[1, 2, 3, 4, 5], level_of_measurement="ordinal"
    )
    assert row["alpha"] == pytest.approx(expected)
    assert row["alpha"] == pytest.approx(0.815, abs=5e-4)
    nominal = fairness.agreement(_with_perilaku(ds, perilaku), "2025", level="nominal")
    assert nominal["alpha"].iloc[0] == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    )


def test_agreement_on_the_city(planted_city):
    _, ds = planted_city
    year = fairness.agreement(ds, "2025")
    assert list(year.columns) == ["kode_opd", "n_unit", "n_skor", "alpha"]
    assert year["kode_opd"].is_unique
    assert ((year["alpha"] > 0) & (year["alpha"] < 1)).all()
    quarter = fairness.agreement(ds, "2025-TW2")  # only the supervisor: nothing to pair
    assert (quarter["n_unit"] == 0).all() and quarter["alpha"].isna().all()
