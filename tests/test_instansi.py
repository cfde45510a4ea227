"""Many governments in one dataset: the optional instansi level above OPD (issue 15)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import asn_eval
from asn_eval.errors import DataError
from asn_eval.input.instansi import instansi_names, own_code
from asn_eval.input.streamed import convert_in_pieces, validate_in_pieces
from tests.conftest import write_tables
from tests.test_store import assert_same_dataset

# Two cities, hand-written, each with a Dinas Kesehatan ``DINKES`` and a Puskesmas ``PKM1`` under
# it. Sukamaju's people do well, Makmur's less so, so a mix-up between the two shows in the scores.
CITIES = {
    "KOTA-SKM": {
        "nama": "Pemerintah Kota Sukamaju",
        "nip": ["196608011988031001", "198001012005012002", "199003152015031003"],
        "realisasi": ["98", "95", "11"],
        "skor": ["5", "4"],
        "hadir": "60",
    },
    "KAB-MKM": {
        "nama": "Pemerintah Kabupaten Makmur",
        "nip": ["197505102000031001", "198203042008012002", "199107072016041001"],
        "realisasi": ["40", "60", "30"],
        "skor": ["2", "3"],
        "hadir": "50",
    },
}


def city_tables(kode: str) -> dict[str, pd.DataFrame]:
    """One city as a single-city dataset: DINKES with its head, PKM1 with its head and a nurse."""
    c = CITIES[kode]
    head, pkm, nurse = c["nip"]
    u = {f"u{i}": ["3", "4"] if kode == "KOTA-SKM" else ["2", "1"] for i in range(1, 10)}
    rated = [pkm, nurse]
    return {
        "opd": pd.DataFrame(
            {
                "kode_opd": ["DINKES", "PKM1"],
                "nama_opd": ["Dinas Kesehatan", "Puskesmas Satu"],
                "jenis": ["dinas", "upt"],
                "induk": ["", "DINKES"],
            }
        ),
        "pegawai": pd.DataFrame(
            {
                "nip": [head, pkm, nurse],
                "nama": ["Kepala Dinas", "Kepala Puskesmas", "Perawat"],
                "kode_opd": ["DINKES", "PKM1", "pkm1"],  # loosely written, within the city
                "jabatan": ["Kepala Dinas", "Kepala Puskesmas", "Perawat Ahli Pertama"],
                "jenis_jabatan": ["JPT", "Administrator", "Fungsional"],
                "nip_atasan": ["", head, pkm],
            }
        ),
        "skp": pd.DataFrame(
            {
                "periode": ["2025-TW1"] * 6,
                "nip": [n for n in rated for _ in range(3)],
                "rhk_id": ["RHK-1"] * 6,
                "rhk": ["Pelayanan kesehatan"] * 6,
                "jenis_rhk": ["utama"] * 6,
                "aspek": ["kuantitas", "kualitas", "waktu"] * 2,
                "indikator": ["Pasien dilayani", "Kepuasan pasien", "Waktu tunggu"] * 2,
                "target": ["100", "90", "12"] * 2,
                "realisasi": c["realisasi"] * 2,
                "arah": ["naik", "naik", "turun"] * 2,
            }
        ),
        "perilaku": pd.DataFrame(
            {
                "periode": ["2025-TW1"] * 4,
                "nip": [pkm, pkm, nurse, nurse],
                "nip_penilai": [head, "", pkm, ""],
                "peran_penilai": ["atasan", "diri", "atasan", "diri"],
                "nilai_inti": ["Kolaboratif"] * 4,
                "skor": [c["skor"][0], c["skor"][1]] * 2,
            }
        ),
        "kehadiran": pd.DataFrame(
            {"periode": ["2025-TW1"], "nip": [nurse], "hari_kerja": ["62"], "hadir": [c["hadir"]]}
        ),
        "survei": pd.DataFrame(
            {"periode": ["2025-TW1"] * 2, "kode_opd": ["PKM1"] * 2, "responden": ["R1", "R2"], **u}
        ),
        "organisasi": pd.DataFrame(
            {"periode": ["2025-TW1"], "kode_opd": ["PKM1"], "predikat_organisasi": ["Baik"]}
        ),
    }


def province_tables() -> dict[str, pd.DataFrame]:
    """Both cities in one dataset: ``kode_instansi`` in every table naming an OPD."""
    out: dict[str, list[pd.DataFrame]] = {}
    for kode in CITIES:
        for name, frame in city_tables(kode).items():
            if "kode_opd" in frame:
                frame = frame.copy()
                frame.insert(0, "kode_instansi", kode)
            out.setdefault(name, []).append(frame)
    tables = {name: pd.concat(frames, ignore_index=True) for name, frames in out.items()}
    tables["instansi"] = pd.DataFrame(
        {"kode_instansi": list(CITIES), "nama_instansi": [c["nama"] for c in CITIES.values()]}
    )
    return tables


def test_two_instansi_with_the_same_opd_codes_load_with_qualified_codes(tmp_path):
    data = asn_eval.load(write_tables(province_tables(), tmp_path / "prov"))
    assert list(data.opd["kode_opd"].astype(str)) == [
        "KOTA-SKM/DINKES", "KOTA-SKM/PKM1", "KAB-MKM/DINKES", "KAB-MKM/PKM1",
    ]  # fmt: skip
    assert list(data.opd["induk"].astype(str))[1::2] == ["KOTA-SKM/DINKES", "KAB-MKM/DINKES"]
    assert list(data.pegawai["kode_opd"].astype(str)) == [
        "KOTA-SKM/DINKES", "KOTA-SKM/PKM1", "KOTA-SKM/PKM1",
        "KAB-MKM/DINKES", "KAB-MKM/PKM1", "KAB-MKM/PKM1",
    ]  # fmt: skip
    assert list(data.pegawai["kode_instansi"].astype(str)) == ["KOTA-SKM"] * 3 + ["KAB-MKM"] * 3
    assert list(data.survei["kode_opd"].astype(str).unique()) == ["KOTA-SKM/PKM1", "KAB-MKM/PKM1"]
    assert instansi_names(data.tables) == {
        "KOTA-SKM": "Pemerintah Kota Sukamaju",
        "KAB-MKM": "Pemerintah Kabupaten Makmur",
    }
    assert own_code("KAB-MKM/PKM1") == "PKM1"
    again = asn_eval.load(tmp_path / "prov")  # from the cache: the same tables
    for name, frame in data.tables.items():
        pd.testing.assert_frame_equal(again.tables[name], frame)


def test_each_instansi_scores_as_it_would_alone(tmp_path):
    province = asn_eval.load(write_tables(province_tables(), tmp_path / "prov"))
    together = asn_eval.score(province, "2025-TW1")
    assert "kode_instansi" in together
    for kode in CITIES:
        alone = asn_eval.score(
            asn_eval.load(write_tables(city_tables(kode), tmp_path / kode)), "2025-TW1"
        )
        part = together[together["kode_instansi"].astype(str) == kode].reset_index(drop=True)
        assert list(part["kode_opd"].astype(str)) == [
            f"{kode}/{c}" for c in alone["kode_opd"].astype(str)
        ]
        columns = [c for c in alone.columns if c != "kode_opd"]
        pd.testing.assert_frame_equal(
            part[columns].astype(str), alone[columns].astype(str), check_dtype=False
        )
    assert together["predikat"].astype(str).nunique() > 1  # the two cities differ


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.update(pegawai=t["pegawai"].drop(columns="kode_instansi")), "kolom kode_ins"),
        (lambda t: t["pegawai"].__setitem__("kode_instansi", ["KOTA-SKM"] * 5 + [""]), "wajib"),
        (lambda t: t["pegawai"].__setitem__("kode_instansi", ["KOTA-X"] * 6), "tidak ada di"),
        (lambda t: t["opd"].__setitem__("kode_instansi", ["A/B"] * 2 + ["KAB-MKM"] * 2), "/"),
        (lambda t: t.update(instansi=t["instansi"].iloc[:1]), "tidak ada di tabel instansi"),
    ],
)
def test_instansi_mistakes_are_reported(tmp_path, change, expected):
    tables = province_tables()
    change(tables)
    with pytest.raises(DataError) as raised:
        asn_eval.load(write_tables(tables, tmp_path / "prov"))
    assert any(expected in p.message for p in raised.value.problems), raised.value.problems


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_each_row_naming_an_unknown_instansi_is_reported_once(tmp_path, fmt):
    # Codes are compared as written less the spaces around them, each distinct code once: a
    # code with spaces is known, each row of an unknown one is reported with what it says.
    tables = province_tables()
    kode = ["KOTA-SKM ", " KOTA-SKM", "KOTA-X", "KAB-MKM", "KOTA-X", "KAB-MKM"]
    tables["pegawai"]["kode_instansi"] = kode
    with pytest.raises(DataError) as raised:
        asn_eval.load(write_tables(tables, tmp_path / "prov", fmt))
    found = [(p.row, p.value) for p in raised.value.problems if "instansi tidak ada" in p.message]
    first = 2 if fmt == "csv" else 1  # a CSV's header is its row 1
    assert found == [(first + 2, "KOTA-X"), (first + 4, "KOTA-X")]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_instansi_codes_written_loosely_mean_the_one_code(tmp_path, fmt):
    # As an OPD code: another case, spaces or punctuation mean the one code with that key; the
    # opd table's codes are read as the instansi table writes them, the others as opd writes them.
    tables = province_tables()
    tables["opd"]["kode_instansi"] = ["kota skm", "Kota-Skm", "KAB-MKM", "kab_mkm"]
    tables["pegawai"]["kode_instansi"] = [
        "KOTA-SKM", "kota-skm", " Kota Skm ", "kab mkm", "KAB.MKM", "KAB-MKM",
    ]  # fmt: skip
    tables["survei"]["kode_instansi"] = ["kota_skm", "KOTA-SKM", "KAB-MKM", "kab-mkm"]
    data = asn_eval.load(write_tables(tables, tmp_path / "prov", fmt))
    assert list(data.opd["kode_instansi"].astype(str)) == ["KOTA-SKM"] * 2 + ["KAB-MKM"] * 2
    assert list(data.pegawai["kode_instansi"].astype(str)) == ["KOTA-SKM"] * 3 + ["KAB-MKM"] * 3
    assert list(data.pegawai["kode_opd"].astype(str)) == [
        "KOTA-SKM/DINKES", "KOTA-SKM/PKM1", "KOTA-SKM/PKM1",
        "KAB-MKM/DINKES", "KAB-MKM/PKM1", "KAB-MKM/PKM1",
    ]  # fmt: skip
    assert list(data.survei["kode_opd"].astype(str).unique()) == ["KOTA-SKM/PKM1", "KAB-MKM/PKM1"]
    assert instansi_names(data.tables) == {
        "KOTA-SKM": "Pemerintah Kota Sukamaju",
        "KAB-MKM": "Pemerintah Kabupaten Makmur",
    }
    # in pieces of 3 rows, and as a store partitioned by the codes as read
    folder = tmp_path / "prov"
    assert validate_in_pieces(folder, rows=3) == asn_eval.validate(folder, cache=False) == []
    convert_in_pieces(folder, tmp_path / "store", rows=3)
    assert_same_dataset(asn_eval.load(tmp_path / "store"), data)
    parts = {p.name for p in (tmp_path / "store").glob("*/kode_instansi=*")}
    assert parts == {"kode_instansi=KOTA-SKM", "kode_instansi=KAB-MKM"}


def test_an_instansi_code_two_codes_share_loosely_is_refused_once(tmp_path):
    # Without an instansi table, opd names KAB-MKM and KAB_MKM (two codes, one loose key): "kab
    # mkm" could mean either, and is refused once per row, not also as unknown.
    tables = province_tables()
    del tables["instansi"]
    tables["opd"]["kode_instansi"] = ["KOTA-SKM", "KOTA-SKM", "KAB-MKM", "KAB_MKM"]
    tables["opd"]["induk"] = ["", "DINKES", "", ""]
    tables["pegawai"]["kode_instansi"] = ["KOTA-SKM"] * 3 + ["KAB-MKM", "kab mkm", "KAB-XYZ"]
    with pytest.raises(DataError) as raised:
        asn_eval.load(write_tables(tables, tmp_path / "prov"))
    said = [str(p) for p in raised.value.problems if p.column == "kode_instansi"]
    assert said == [
        "pegawai.csv:6:kode_instansi: bisa berarti lebih dari satu instansi (KAB-MKM, KAB_MKM); "
        "tulis kodenya persis seperti di tabel opd (kab mkm)",
        "pegawai.csv:7:kode_instansi: instansi tidak ada di tabel opd (KAB-XYZ)",
    ]


def test_an_opd_of_another_instansi_is_not_found(tmp_path):
    tables = province_tables()
    tables["opd"] = tables["opd"].iloc[:3]  # Makmur has no PKM1
    with pytest.raises(DataError) as raised:
        asn_eval.load(write_tables(tables, tmp_path / "prov"))
    found = [str(p) for p in raised.value.problems]
    assert any("tidak ada di tabel opd untuk instansi ini (pkm1)" in p for p in found), found


def test_a_single_city_with_a_stray_instansi_column_loads_as_before(tmp_path, make_dataset):
    plain = asn_eval.load(make_dataset())
    stray = asn_eval.load(
        make_dataset(lambda t: t["pegawai"].__setitem__("kode_instansi", "KOTA-SKM"))
    )
    assert any("diabaikan" in p.message for p in stray.warnings)
    for name, frame in plain.tables.items():
        pd.testing.assert_frame_equal(stray.tables[name], frame)


@pytest.fixture(scope="module")
def three_instansi(tmp_path_factory: pytest.TempPathFactory):
    """``asn-eval sample-data --instansi 3`` of 600 employees, as CSV files."""
    from asn_eval.sample.generator import write_sample

    folder = tmp_path_factory.mktemp("provinsi") / "data"
    write_sample(folder, 600, seed=3, instansi=3)
    return folder


def test_the_sample_of_three_instansi_validates_and_loads(three_instansi, capsys):
    from tests.conftest import run_cli

    assert run_cli(capsys, "validate", three_instansi)[0] == 0
    data = asn_eval.load(three_instansi)
    names = instansi_names(data.tables)
    assert len(names) == 3 and all(n.startswith("Pemerintah Kota ") for n in names.values())
    dinkes = [c for c in data.opd["kode_opd"].astype(str) if own_code(c) == "DINKES"]
    assert dinkes == [f"{kode}/DINKES" for kode in names]
    per_instansi = data.pegawai["kode_instansi"].astype(str).value_counts()
    assert sorted(per_instansi.index) == sorted(names) and per_instansi.sum() == 600
    assert per_instansi.min() == 200
    planted = json.loads((three_instansi / "planted.json").read_text())
    assert planted["instansi"] == {k: v.removeprefix("Pemerintah ") for k, v in names.items()}
    codes = set(data.opd["kode_opd"].astype(str))
    assert {c["kode_opd"] for c in planted["curve_opds"]} <= codes
    assert len(planted["curve_opds"]) == 3  # one per city


def test_without_instansi_the_sample_has_no_instansi_table():
    from asn_eval.sample.generator import generate

    city = generate(300, seed=1)
    assert "instansi" not in city.tables
    assert all("kode_instansi" not in frame for frame in city.tables.values())
    with pytest.raises(asn_eval.errors.UsageError, match="per instansi"):
        generate(300, seed=1, instansi=4)


@pytest.mark.slow
def test_the_batch_plans_an_overview_per_instansi_and_one_over_all(three_instansi, tmp_path):
    from asn_eval.batch.runner import OVERVIEW, _plan, default_notebooks, instansi_stems
    from asn_eval.reporting.results import CityResults

    city = CityResults.compute(three_instansi, "2025")
    stems = instansi_stems(city)
    assert list(stems.values()) == [f"ikhtisar-{k}" for k in instansi_names(city.data.tables)]
    codes = list(city.data.opd["kode_opd"].astype(str))
    base = {"periode": "2025", "batch": str(tmp_path)}
    jobs = _plan(city, codes, default_notebooks(), base, stems)
    assert [j.name for j in jobs[:4]] == [OVERVIEW, *stems.values()]
    assert jobs[0].title == "Ikhtisar semua instansi 2025"
    assert jobs[1].parameters["batch"] == str(tmp_path / "instansi" / jobs[1].name)
    assert sum(j.weight for j in jobs[1:4]) == jobs[0].weight == 600
    assert len(jobs) == 4 + len(codes)
    kode = next(iter(stems))
    part = city.for_instansi(kode)
    assert part.instansi == kode and len(part.hasil) == 200
    assert set(part.hasil["kode_instansi"].astype(str)) == {kode}
    whole = city.hasil[city.hasil["kode_instansi"].astype(str) == kode].reset_index(drop=True)
    columns = ["nip", "kode_opd", "capaian", "predikat", "catatan"]
    pd.testing.assert_frame_equal(part.hasil[columns].astype(str), whole[columns].astype(str))
    part.save(tmp_path / "one")
    opened = CityResults.open(tmp_path / "one")
    assert opened.instansi == kode and len(opened.data.pegawai) == 200


@pytest.mark.parametrize("seed", range(3))
def test_references_scoped_by_codes_as_by_text(seed):
    # Two categorical columns are scoped pair of codes by pair of codes: the same text per row
    # as written out row by row, missing where either is; instansi codes written with spaces too.
    import numpy as np

    from asn_eval.input.instansi import scoped

    rng = np.random.default_rng(seed)
    instansi = pd.Series(pd.Categorical(rng.choice(["K01", " K02", "K03", None], 800)))
    opd = pd.Series(pd.Categorical(rng.choice(["1.01", "2.02", "1.01/a", None], 800)))
    by_codes = scoped(pd.DataFrame({"kode_instansi": instansi}), opd)
    by_text = scoped(pd.DataFrame({"kode_instansi": instansi.astype(object)}), opd.astype(object))
    assert isinstance(by_codes.dtype, pd.CategoricalDtype)
    pd.testing.assert_series_equal(by_codes.astype(object), by_text, check_dtype=False)
