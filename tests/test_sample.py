"""The sample city: realistic, deterministic, loadable, and carrying the facts planted in it."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import asn_eval
from asn_eval.input.nip import check_nips
from asn_eval.input.validation import find_cycles
from asn_eval.sample import generator as sample

N = 2500
PREDIKAT = {  # DOMAIN.md §2, (hasil kerja, perilaku) → predikat
    ("Di Atas Ekspektasi", "Di Bawah Ekspektasi"): "Kurang/Misconduct",
    ("Di Atas Ekspektasi", "Sesuai Ekspektasi"): "Baik",
    ("Di Atas Ekspektasi", "Di Atas Ekspektasi"): "Sangat Baik",
    ("Sesuai Ekspektasi", "Di Bawah Ekspektasi"): "Kurang/Misconduct",
    ("Sesuai Ekspektasi", "Sesuai Ekspektasi"): "Baik",
    ("Sesuai Ekspektasi", "Di Atas Ekspektasi"): "Baik",
    ("Di Bawah Ekspektasi", "Di Bawah Ekspektasi"): "Sangat Kurang",
    ("Di Bawah Ekspektasi", "Sesuai Ekspektasi"): "Butuh Perbaikan",
    ("Di Bawah Ekspektasi", "Di Atas Ekspektasi"): "Butuh Perbaikan",
}


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ASN_EVAL_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def city():
    return sample.generate(N, seed=2025)


@pytest.fixture(scope="module")
def clean():
    return sample.generate(N, seed=2025, plant=False)


def text(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as plain strings, so frames from different tables merge."""
    return frame.astype({c: "str" for c in frame.columns if frame[c].dtype == "category"})


def achievement(skp: pd.DataFrame) -> pd.Series:
    """Mean indicator achievement (%) per (nip, periode): R/T, or T/R when lower is better."""
    ratio = np.where(
        skp["arah"] == "turun", skp["target"] / skp["realisasi"], skp["realisasi"] / skp["target"]
    )
    skp = text(skp[["nip", "periode"]]).assign(capaian=np.minimum(ratio * 100, 150))
    return skp.groupby(["nip", "periode"])["capaian"].mean()


def given(city) -> pd.DataFrame:
    """Given results with each employee's OPD and indicator achievement."""
    pegawai = text(city.tables["pegawai"][["nip", "kode_opd"]])
    frame = text(city.tables["penilaian"]).merge(pegawai, on="nip")
    return frame.join(achievement(city.tables["skp"]), on=["nip", "periode"])


def rater_gap(city, rater: str) -> float:
    """A supervisor's mean behaviour score minus peers' and subordinates' for the same ratees."""
    perilaku = text(city.tables["perilaku"])
    year = perilaku[perilaku["periode"] == "2025"]
    mine = (year["nip_penilai"] == rater) & (year["peran_penilai"] == "atasan")
    theirs = year[year["nip"].isin(year.loc[mine, "nip"].unique())]
    own = year.loc[mine, "skor"].mean()
    others = theirs.loc[theirs["peran_penilai"].isin(["rekan", "bawahan"]), "skor"].mean()
    return own - others


def supervisor_gaps(city, min_team: int = 5) -> pd.Series:
    """``rater_gap`` of every supervisor with at least ``min_team`` direct subordinates."""
    perilaku = text(city.tables["perilaku"])
    year = perilaku[perilaku["periode"] == "2025"]
    atasan = year[year["peran_penilai"] == "atasan"]
    others = year[year["peran_penilai"].isin(["rekan", "bawahan"])]
    own = atasan.groupby(["nip_penilai", "nip"])["skor"].mean().rename("own")
    peer = others.groupby("nip")["skor"].mean().rename("peer")
    pairs = own.reset_index().join(peer, on="nip").dropna()
    teams = pairs.groupby("nip_penilai").agg(
        n=("nip", "size"), own=("own", "mean"), peer=("peer", "mean")
    )
    teams = teams[teams["n"] >= min_team]
    return teams["own"] - teams["peer"]


# --- determinism --------------------------------------------------------------------------------


def same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two frames hold the same values and dtypes (fast on large categoricals)."""
    if list(a.columns) != list(b.columns) or list(a.dtypes) != list(b.dtypes) or len(a) != len(b):
        return False
    for column in a.columns:
        x, y = a[column], b[column]
        if x.dtype == "category":
            x, y = x.cat.codes, y.cat.codes
        if not x.equals(y):
            return False
    return True


def test_same_seed_gives_the_same_city(city):
    again = sample.generate(N, seed=2025)
    assert [
        name for name, frame in city.tables.items() if not same(frame, again.tables[name])
    ] == []
    assert again.planted == city.planted


def test_another_seed_gives_another_city(city):
    other = sample.generate(N, seed=2026)
    shared = set(other.tables["pegawai"]["nip"]) & set(city.tables["pegawai"]["nip"])
    assert len(shared) < 50
    assert other.planted["contradictions"] != city.planted["contradictions"]


def test_too_small_a_city_is_refused():
    with pytest.raises(ValueError, match="paling sedikit"):
        sample.generate(50)


# --- what the city looks like -------------------------------------------------------------------


def test_city_has_the_usual_agencies_and_staff_mix(city):
    opd, pegawai = city.tables["opd"], city.tables["pegawai"]
    assert 25 <= len(opd) <= 36
    assert {"SETDA", "SETWAN", "INSPEKTORAT", "DISDIK", "DINKES", "BKPSDM", "DPMPTSP"} <= set(
        opd["kode_opd"]
    )
    puskesmas = opd[opd["kode_opd"].str.startswith("PKM-")]
    assert 6 <= len(puskesmas) <= 8
    assert (puskesmas["jenis"] == "upt").all() and (puskesmas["induk"] == "DINKES").all()
    assert 4 <= (opd["jenis"] == "kecamatan").sum() <= 5
    assert not opd["nama_opd"].str.contains("SD Negeri|SMP Negeri").any()

    jabatan = pegawai["jabatan"].astype("str")
    teachers = jabatan.str.startswith("Guru") | (jabatan == "Kepala Sekolah")
    assert 0.40 <= teachers.mean() <= 0.50
    schools = pegawai.loc[teachers, "unit_kerja"].astype("str")
    assert schools.str.match(r"(SD|SMP) Negeri \d+$").all()
    assert (pegawai.loc[teachers, "kode_opd"] == "DISDIK").all()
    health = pegawai["kode_opd"].astype("str").str.match("DINKES|PKM-")
    assert 0.15 <= health.mean() <= 0.25
    pppk = pegawai["status"] == "PPPK"
    assert 0.15 <= pppk.mean() <= 0.25
    assert (teachers | health)[pppk].mean() > 0.8
    assert (pegawai["golongan"].astype("str").str.startswith("PPPK") == pppk).all()
    assert set(pegawai["jenis_jabatan"]) == {
        "JPT",
        "Administrator",
        "Pengawas",
        "Fungsional",
        "Pelaksana",
    }
    assert jabatan.str.contains("Ahli Pertama").any() and jabatan.str.contains("Terampil").any()


def test_nips_agree_with_age_sex_and_appointment(city):
    pegawai = city.tables["pegawai"]
    nips = pegawai["nip"]
    assert nips.is_unique and nips.str.fullmatch(r"\d{18}").all()
    checks = check_nips(nips)
    rules = ["panjang", "tanggal_lahir", "tmt", "jenis_kelamin", "urutan", "usia"]
    assert not checks[rules].any().any()  # no errors; appointment age 18–46
    assert (checks["jenis_kelamin_nip"] == pegawai["jenis_kelamin"].astype("str")).all()
    birth = pd.to_datetime(nips.str[:8], format="%Y%m%d")
    tmt = pd.to_datetime(nips.str[8:14] + "01", format="%Y%m%d")
    assert birth.dt.year.between(1965, 2001).all()
    assert (tmt < pd.Timestamp("2025-01-01")).all()
    age = (tmt - birth).dt.days / 365.25
    assert age.between(19, 40).all()


def test_supervisor_chain_reaches_the_sekda_without_cycles(city):
    pegawai = text(city.tables["pegawai"])
    atasan = pegawai["nip_atasan"].dropna()
    assert atasan.isin(pegawai["nip"]).all()
    assert find_cycles(pegawai["nip"], pegawai["nip_atasan"]) == []
    roots = pegawai[pegawai["nip_atasan"].isna()]
    assert roots["jabatan"].tolist() == ["Sekretaris Daerah"]
    boss = pegawai.set_index("nip")["jabatan"]
    above = pegawai["nip_atasan"].map(boss)
    heads = pegawai["jenis_jabatan"].eq("JPT") & pegawai["nip_atasan"].notna()
    assert (above[heads] == "Sekretaris Daerah").all()
    kapus = pegawai["jabatan"] == "Kepala Puskesmas"
    assert (above[kapus] == "Kepala Dinas Kesehatan").all()
    guru = pegawai["jabatan"].str.startswith("Guru")
    assert (above[guru] == "Kepala Sekolah").all()


# --- the tables ---------------------------------------------------------------------------------


@pytest.mark.slow  # a property of the generator over a whole city
def test_every_employee_plans_two_to_four_results_each_period(city):
    skp = text(city.tables["skp"])
    assert set(skp["periode"]) == {"2025-TW1", "2025-TW2", "2025-TW3", "2025-TW4", "2025"}
    rhk = skp.drop_duplicates(["nip", "periode", "rhk_id"])
    per = rhk.groupby(["nip", "periode"])["jenis_rhk"]
    assert per.size().between(2, 4).all()
    assert per.agg(lambda s: (s == "utama").sum()).between(1, 3).all()
    assert per.agg(lambda s: (s == "tambahan").sum()).le(1).all()
    indicators = skp.groupby(["nip", "periode", "rhk_id"])["aspek"]
    assert indicators.size().between(2, 4).all()
    assert indicators.agg(lambda s: {"kuantitas", "kualitas"} <= set(s)).all()
    assert (skp["aspek"] == "biaya").any()
    assert (skp["target"] > 0).all() and (skp["realisasi"].dropna() >= 0).all()
    slow = skp[skp["indikator"] == "Waktu penyelesaian izin"]
    assert (slow["arah"] == "turun").all() and (slow["satuan"] == "hari").all()
    # A year's kuantitas target and realisation are the sums of its quarters.
    kuantitas = skp[skp["aspek"] == "kuantitas"].copy()
    kuantitas["year"] = kuantitas["periode"] == "2025"
    key = ["nip", "rhk_id", "indikator"]
    quarters = kuantitas[~kuantitas["year"]].groupby(key)[["target", "realisasi"]].sum()
    counted = kuantitas[~kuantitas["year"]].groupby(key).size()
    year = kuantitas[kuantitas["year"]].set_index(key)[["target", "realisasi"]]
    complete = year.index[year.index.isin(counted[counted == 4].index)]
    assert len(complete) > 1000
    pd.testing.assert_frame_equal(
        year.loc[complete].dropna(), quarters.loc[year.loc[complete].dropna().index]
    )
    assert skp["umpan_balik"].notna().any() and skp["rating_atasan"].notna().mean() > 0.8


def test_attendance_adds_up(city):
    kehadiran = text(city.tables["kehadiran"])
    parts = kehadiran["hadir"] + kehadiran["cuti"] + kehadiran["tanpa_keterangan"]
    assert (parts <= kehadiran["hari_kerja"]).all()
    quarters = kehadiran[kehadiran["periode"] != "2025"]
    assert quarters["hari_kerja"].between(60, 67).all()
    columns = ["hari_kerja", "hadir", "terlambat_menit", "tanpa_keterangan", "cuti"]
    summed = quarters.groupby("nip")[columns].sum()
    year = kehadiran[kehadiran["periode"] == "2025"].set_index("nip")[columns]
    pd.testing.assert_frame_equal(year.sort_index(), summed.sort_index(), check_dtype=False)


def test_activity_log_is_plausible(city):
    aktivitas = text(city.tables["aktivitas"])
    pegawai = text(city.tables["pegawai"])
    assert aktivitas.groupby(["nip", "tanggal"])["durasi_menit"].sum().max() <= 1440
    assert aktivitas["durasi_menit"].between(60, 480).all()
    assert (aktivitas["tanggal"].dt.day_of_week < 5).all()
    planned = text(city.tables["skp"])[["nip", "rhk_id"]].drop_duplicates()
    logged = aktivitas[["nip", "rhk_id"]].drop_duplicates()
    assert len(logged.merge(planned)) == len(logged)
    share = aktivitas["status"].value_counts(normalize=True)
    assert share["disetujui"] > 0.85 and 0.01 < share["ditolak"] < 0.08
    pending = aktivitas[aktivitas["status"] == "menunggu"]
    assert (pending["tanggal"].dt.month == 12).mean() > 0.7
    decided = aktivitas[aktivitas["status"] != "menunggu"].merge(
        pegawai[["nip", "nip_atasan"]], on="nip"
    )
    assert (decided["nip_penyetuju"].fillna("-") == decided["nip_atasan"].fillna("-")).all()
    per_employee = aktivitas.groupby("nip")["tanggal"].nunique() / 258
    assert per_employee.between(0.25, 1.0).all()  # rates 0.4–0.95, binomial noise


def test_survey_has_enough_respondents_per_unit_and_quarter(city):
    survei = text(city.tables["survei"])
    counts = survei.groupby(["periode", "kode_opd", "unit_layanan"]).size()
    assert counts.between(60, 150).all()
    assert not survei.duplicated(["periode", "kode_opd", "unit_layanan", "responden"]).any()
    answers = survei[[f"u{i}" for i in range(1, 10)]]
    assert answers.isin([1, 2, 3, 4]).all().all()
    units = set(survei["kode_opd"])
    assert {"DPMPTSP", "DISDUKCAPIL"} <= units
    assert sum(u.startswith("PKM-") for u in units) >= 6


def test_given_results_are_as_lenient_as_national_reality(city):
    penilaian = text(city.tables["penilaian"])
    share = penilaian["predikat"].value_counts(normalize=True)
    assert 0.08 <= share["Sangat Baik"] <= 0.14
    assert 0.84 <= share["Baik"] <= 0.92
    assert 1 - share["Sangat Baik"] - share["Baik"] < 0.01
    pairs = zip(penilaian["rating_hasil_kerja"], penilaian["rating_perilaku"], strict=True)
    expected = [PREDIKAT[pair] for pair in pairs]
    assert penilaian["predikat"].tolist() == expected


# --- the planted facts --------------------------------------------------------------------------


def test_lenient_and_severe_raters_stand_out(city):
    pegawai = text(city.tables["pegawai"])
    for key, sign in (("lenient_raters", 1), ("severe_raters", -1)):
        (rater,) = city.planted[key]
        team = pegawai.loc[pegawai["nip_atasan"] == rater["nip_penilai"], "nip"]
        assert len(team) >= 8 and set(team) == set(rater["bawahan"])
        assert sign * rater_gap(city, rater["nip_penilai"]) >= 1.0, key
    frame = given(city)
    lenient_team = frame["nip"].isin(city.planted["lenient_raters"][0]["bawahan"])
    atas = frame["rating_hasil_kerja"] == "Di Atas Ekspektasi"
    assert atas[lenient_team].mean() > 2 * atas[~lenient_team].mean()


def test_other_raters_are_fair(city):
    planted = {
        r["nip_penilai"] for k in ("lenient_raters", "severe_raters") for r in city.planted[k]
    }
    gaps = supervisor_gaps(city)
    assert len(gaps) > 50
    assert gaps[gaps.index.isin(planted)].abs().min() >= 1.0
    assert gaps[~gaps.index.isin(planted)].abs().max() < 0.5


def test_curve_opd_exceeds_its_distribution_curve(city):
    (curve,) = city.planted["curve_opds"]
    organisasi = text(city.tables["organisasi"])
    own = organisasi[organisasi["kode_opd"] == curve["kode_opd"]]
    assert len(own) == 5 and (own["predikat_organisasi"] == "Butuh Perbaikan").all()
    others = organisasi[organisasi["kode_opd"] != curve["kode_opd"]]
    assert (others["predikat_organisasi"] == "Istimewa").all()
    frame = given(city)
    mine = frame[frame["kode_opd"] == curve["kode_opd"]]
    for _, period in mine.groupby("periode"):
        assert 0.25 <= (period["predikat"] == "Sangat Baik").mean() <= 0.45  # curve: at most 10 %
        assert (period["predikat"] == "Baik").mean() > 0.5  # curve: Butuh Perbaikan at least 60 %
        assert period["predikat"].isin(["Sangat Baik", "Baik"]).all()
    sb = frame[frame["kode_opd"] != curve["kode_opd"]].groupby(["kode_opd", "periode"])["predikat"]
    assert sb.agg(lambda s: (s == "Sangat Baik").mean()).max() <= 0.70  # Istimewa's curve


def test_poor_service_unit_has_a_grade_d_ikm(city):
    (poor,) = city.planted["poor_ikm_units"]
    survei = text(city.tables["survei"])
    answers = [f"u{i}" for i in range(1, 10)]
    nrr = survei.groupby(["kode_opd", "unit_layanan", "periode"])[answers].mean().mean(axis=1)
    unit = nrr.xs((poor["kode_opd"], poor["unit_layanan"]), level=[0, 1])
    assert len(unit) == 4 and (unit < 2.6).all() and (unit * 25 < 65).all()
    rest = nrr.drop((poor["kode_opd"], poor["unit_layanan"]))
    assert (rest >= 2.6).all()  # nobody else below C
    assert (rest >= 3.0644).mean() > 0.9 and (rest >= 3.5324).any()  # mostly B, some A


def test_contradicted_ratings_are_in_the_data(city):
    contradictions = pd.DataFrame(city.planted["contradictions"])
    assert len(contradictions) >= 15
    assert contradictions["nip"].nunique() == len(contradictions)
    frame = given(city).set_index(["nip", "periode"])
    rows = frame.loc[list(zip(contradictions["nip"], contradictions["periode"], strict=True))]
    assert (rows["rating_hasil_kerja"].to_numpy() == contradictions["rating_hasil_kerja"]).all()
    atas = rows["rating_hasil_kerja"] == "Di Atas Ekspektasi"
    assert atas.any() and (~atas).any()
    assert (rows.loc[atas, "capaian"] < 80).all()
    assert (rows.loc[~atas, "rating_hasil_kerja"] == "Di Bawah Ekspektasi").all()
    assert (rows.loc[~atas, "capaian"] >= 115).all()
    skp = text(city.tables["skp"]).set_index(["nip", "periode"])
    rhk = skp.loc[rows.index, "rating_atasan"].groupby(level=[0, 1]).agg(set)
    assert all(
        levels == {level}
        for levels, level in zip(rhk, rows.loc[rhk.index, "rating_hasil_kerja"], strict=True)
    )
    assert len(contradictions) <= 0.02 * N


def test_missing_data_is_missing(city):
    missing = city.planted["missing"]
    assert all(len(missing[k]) >= 2 for k in ("perilaku", "skp", "realisasi", "kehadiran"))
    for table in ("perilaku", "skp"):
        frame = text(city.tables[table])
        have = set(zip(frame["nip"], frame["periode"], strict=True))
        gaps = {(m["nip"], m["periode"]) for m in missing[table]}
        assert not gaps & have
        assert {nip for nip, _ in gaps} <= set(frame["nip"])  # other periods are there
    skp = text(city.tables["skp"])
    empty = skp[skp["realisasi"].isna()]
    assert set(empty["periode"]) == {"2025-TW4", "2025"}
    listed = {(m["nip"], m["rhk_id"], m["indikator"]) for m in missing["realisasi"]}
    tw4 = empty[empty["periode"] == "2025-TW4"]
    assert set(zip(tw4["nip"], tw4["rhk_id"], tw4["indikator"], strict=True)) == listed
    kehadiran = city.tables["kehadiran"]["nip"].astype("str")
    assert not kehadiran.isin(missing["kehadiran"]).any()
    assert kehadiran.nunique() == N - len(missing["kehadiran"])


def test_unplanted_city_raises_no_alarm(clean):
    assert not any(
        clean.planted[k]
        for k in (
            "lenient_raters",
            "severe_raters",
            "curve_opds",
            "poor_ikm_units",
            "contradictions",
        )
    )
    assert not any(clean.planted["missing"].values()) and clean.planted["plant"] is False
    assert (clean.tables["organisasi"]["predikat_organisasi"] == "Istimewa").all()
    frame = given(clean)
    by_opd = frame.groupby(["kode_opd", "periode"])["predikat"]
    assert by_opd.agg(lambda s: (s == "Sangat Baik").mean()).max() <= 0.70
    atas = frame["rating_hasil_kerja"] == "Di Atas Ekspektasi"
    bawah = frame["rating_hasil_kerja"] == "Di Bawah Ekspektasi"
    assert not (atas & (frame["capaian"] < 80)).any()
    assert not (bawah & (frame["capaian"] >= 115)).any()
    assert supervisor_gaps(clean).abs().max() < 0.5
    survei = text(clean.tables["survei"])
    answers = [f"u{i}" for i in range(1, 10)]
    nrr = survei.groupby(["kode_opd", "unit_layanan", "periode"])[answers].mean().mean(axis=1)
    assert nrr.min() >= 2.6
    assert clean.tables["skp"]["realisasi"].notna().all()
    assert clean.tables["kehadiran"]["nip"].nunique() == N
    assert len(clean.tables["penilaian"]) == 5 * N
    quarters = text(clean.tables["perilaku"]).query("peran_penilai == 'diri'")
    assert quarters.groupby("nip")["periode"].nunique().eq(5).all()


def test_large_samples_are_several_cities():
    big = sample.generate(6000, seed=3)
    opd, pegawai = big.tables["opd"], text(big.tables["pegawai"])
    prefix = opd["kode_opd"].str.extract(r"^(K\d\d)-")[0]
    assert prefix.notna().all() and prefix.nunique() == 3
    assert prefix.value_counts().max() <= 36
    assert pegawai["nip_atasan"].isna().sum() == 3  # one Sekretaris Daerah per city
    assert opd["nama_opd"].is_unique
    assert len(big.planted["lenient_raters"]) == 3 and len(big.planted["kota"]) == 3


# --- writing --------------------------------------------------------------------------------------


@pytest.mark.slow  # writes and reads back an Excel workbook of the whole city
def test_written_csv_and_workbook_load_without_errors(tmp_path):
    data, book = tmp_path / "csv" / "data", tmp_path / "xlsx" / "sample.xlsx"
    summary = sample.write_sample(data, n_pegawai=300, seed=7, workbook=book)
    city = sample.generate(300, seed=7)
    assert summary["rows"] == {name: len(frame) for name, frame in city.tables.items()}
    assert json.loads((data / "planted.json").read_text()) == json.loads(json.dumps(city.planted))
    # the workbook and its profile beside it
    assert sorted(p.name for p in book.parent.iterdir()) == ["profil.toml", "sample.xlsx"]
    for folder in (data, book.parent):
        problems = asn_eval.validate(folder, cache=False)
        for problem in problems:
            print(problem)
        assert not [p for p in problems if p.is_error], folder
    sheet = pd.read_excel(book, sheet_name="pegawai", engine="calamine", dtype=str)
    assert {"NIP Pegawai", "Nama Pegawai", "Unit Kerja", "NIP Atasan"} <= set(sheet.columns)
    assert sheet["NIP Pegawai"].str.fullmatch(r"\d{8} \d{6} \d \d{3}").all()
    loaded = asn_eval.load(book.parent, cache=False)
    assert loaded.pegawai["nip"].astype("str").tolist() == city.tables["pegawai"]["nip"].tolist()
    assert set(loaded.periodes) == {"2025-TW1", "2025-TW2", "2025-TW3", "2025-TW4", "2025"}
    given = loaded.tables["penilaian"]["predikat"].astype("str")
    assert given.tolist() == city.tables["penilaian"]["predikat"].astype("str").tolist()


def test_parquet_sample_is_dictionary_encoded_and_loads(tmp_path):
    import pyarrow.parquet as pq

    data = tmp_path / "data"
    sample.write_sample(data, n_pegawai=300, seed=7, format="parquet")
    schema = pq.read_schema(data / "skp.parquet")
    assert str(schema.field("nip").type).startswith("dictionary")
    assert str(schema.field("indikator").type).startswith("dictionary")
    problems = asn_eval.validate(data, cache=False)
    assert not [p for p in problems if p.is_error]
    skp = pd.read_parquet(data / "skp.parquet")
    expected = sample.generate(300, seed=7).tables["skp"]
    assert len(skp) == len(expected)
    assert skp["realisasi"].isna().sum() == expected["realisasi"].isna().sum()


def test_rewriting_replaces_the_previous_sample_only(tmp_path):
    data = tmp_path / "data"
    sample.write_sample(data, n_pegawai=150, format="csv")
    sample.write_sample(data, n_pegawai=150, format="parquet")
    # tables, planted facts and the profile
    assert {p.suffix for p in data.iterdir()} == {".parquet", ".json", ".toml"}
    (data / "catatan.txt").write_text("milik pengguna")
    with pytest.raises(ValueError, match="berkas lain"):
        sample.write_sample(data, n_pegawai=150)
    assert (data / "catatan.txt").exists() and (data / "pegawai.parquet").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_workbook_too_large_for_excel_is_refused_before_writing(tmp_path):
    with pytest.raises(ValueError, match="Excel"):
        sample.write_sample(tmp_path / "data", n_pegawai=20_000, workbook=tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []
