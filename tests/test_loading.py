"""Loading: forgiving about form (headers, labels, NIP spacing, formats), typed result, cache."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import NIP_A, NIP_B, NIP_C, NIP_D, SMALL

import asn_eval
from asn_eval.input import dataset, validation
from asn_eval.input.contract import TABLES, column_lookup, table_for_name
from asn_eval.input.dataset import wait_for_cache
from asn_eval.input.vocab import LEVEL, match_key
from asn_eval.sample import generator as sample


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet", "workbook"])
def test_every_format_loads_the_same(make_dataset, fmt):
    reference = asn_eval.load(make_dataset(fmt="csv"))
    dataset = asn_eval.load(make_dataset(fmt=fmt))
    for name, frame in reference.tables.items():
        pd.testing.assert_frame_equal(dataset.tables[name], frame, check_like=True)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("cache", [False, True])
def test_a_user_can_set_any_cell_of_a_loaded_dataset(
    make_dataset, fmt, cache, city_400_folder, tmp_path
):
    # No column is read-only: not those sharing the codes of what was read (NIPs, periods,
    # labels, text), nor numbers and dates pyarrow hands over as they are. A notebook correcting
    # a cell can, first load or cached.
    city = city_400_folder
    if fmt == "parquet":  # numbers typed as pyarrow writes them (no missing ones: zero-copy)
        city = tmp_path / "kota-parquet"
        sample.write_sample(city, format="parquet", **SMALL)
    for folder in (make_dataset(fmt=fmt), city):
        if cache:
            asn_eval.load(folder)
            wait_for_cache()
        loaded = asn_eval.load(folder, cache=cache)
        for name, frame in loaded.tables.items():
            for column in frame.columns if len(frame) else []:
                before = frame[column].iloc[-1]
                frame.loc[frame.index[0], column] = before
                assert frame[column].iloc[0] == before or pd.isna(before), (name, column)


def test_ekinerja_headers_and_loose_values(make_dataset):
    def change(tables):
        tables["pegawai"] = tables["pegawai"].rename(
            columns={
                "nip": "NIP Pegawai",
                "nama": "Nama Pegawai",
                "kode_opd": "Perangkat Daerah",
                "unit_kerja": "Unit Kerja",
                "jenis_jabatan": "JENIS_JABATAN",
                "nip_atasan": "N.I.P. Atasan",
                "jenis_kelamin": "Jenis Kelamin",
            }
        )
        # NIPs with spaces, an OPD written by its name, labels in other cases and forms
        tables["pegawai"]["NIP Pegawai"] = [
            "19660801 198803 1 001",
            "19800101 200501 2 002",
            "19900315 201503 1 003",
            "19851220 201012 2 004",
        ]
        tables["pegawai"]["Perangkat Daerah"] = ["Dinas Kesehatan", "pkm1", "PKM1", "BKPSDM"]
        tables["pegawai"]["JENIS_JABATAN"] = ["jpt", "ADMINISTRATOR", "Jabatan Fungsional", "JPT"]
        tables["pegawai"]["Jenis Kelamin"] = ["Laki-laki", "Perempuan", "l", "p"]
        tables["pegawai"]["golongan"] = ["4c", "III d", "iii/a", "IV/b"]
        tables["skp"]["rating_atasan"] = ["Di Atas Ekspektasi", "di atas", "DI_ATAS"]
        tables["skp"]["target"] = ["100", "90,5", "12"]
        tables["perilaku"]["periode"] = ["2025 tw1", "TW I-2025"]
        tables["perilaku"]["nilai_inti"] = ["KOLABORATIF", "kolaboratif"]
        tables["perilaku"]["peran_penilai"] = ["Atasan Langsung", "diri sendiri"]
        tables["penilaian"] = tables["penilaian"].rename(
            columns={"rating_hasil_kerja": "Rating Hasil Kerja", "predikat": "Predikat Kinerja"}
        )
        tables["pegawai"]["Catatan BKPSDM"] = ["a", "b", "c", "d"]  # extra column

    dataset = asn_eval.load(make_dataset(change))
    pegawai = dataset.pegawai
    assert list(pegawai["nip"].astype(str)[:3]) == [NIP_A, NIP_B, NIP_C]
    assert list(pegawai["kode_opd"].astype(str)) == ["DINKES", "PKM1", "PKM1", "BKPSDM"]
    assert list(pegawai["jenis_jabatan"].astype(str)[:3]) == ["JPT", "Administrator", "Fungsional"]
    assert list(pegawai["jenis_kelamin"].astype(str)) == ["L", "P", "L", "P"]
    assert list(pegawai["golongan"].astype(str)) == ["IV/c", "III/d", "III/a", "IV/b"]
    assert list(pegawai["Catatan BKPSDM"]) == ["a", "b", "c", "d"]
    assert set(dataset.skp["rating_atasan"].astype(str)) == {"Di Atas Ekspektasi"}
    assert dataset.skp["target"].tolist() == [100.0, 90.5, 12.0]
    assert set(dataset.perilaku["periode"].astype(str)) == {"2025-TW1"}
    assert list(dataset.perilaku["peran_penilai"].astype(str)) == ["atasan", "diri"]
    assert "rating_hasil_kerja" in dataset.penilaian and "predikat" in dataset.penilaian


def test_semicolon_csv_in_windows_encoding(make_dataset):
    folder = make_dataset()
    frame = pd.read_csv(folder / "opd.csv", keep_default_na=False)
    frame.loc[2, "nama_opd"] = "Badan Kepegawaian dan Pengembangan SDM – Kota Médan"
    (folder / "opd.csv").write_bytes(frame.to_csv(index=False, sep=";").encode("cp1252"))
    dataset = asn_eval.load(folder)
    assert dataset.opd["nama_opd"].iloc[2].endswith("Kota Médan")


def test_types_are_categorical_and_shared(make_dataset):
    dataset = asn_eval.load(make_dataset())
    nip = dataset.pegawai["nip"].dtype
    assert isinstance(nip, pd.CategoricalDtype)
    for table, column in [
        ("skp", "nip"),
        ("perilaku", "nip_penilai"),
        ("aktivitas", "nip"),
        ("pegawai", "nip_atasan"),
    ]:
        assert dataset.tables[table][column].dtype == nip
    assert dataset.survei["kode_opd"].dtype == dataset.opd["kode_opd"].dtype
    assert dataset.skp["rating_atasan"].dtype == LEVEL.dtype
    assert dataset.skp["rating_atasan"].dtype.ordered
    assert dataset.perilaku["skor"].dtype == "Int8"
    assert dataset.pegawai["nama"].dtype == "str"
    assert dataset.aktivitas["tanggal"].dtype == "datetime64[s]"
    assert dataset.periodes == ["2025-TW1"]


def test_empty_realisasi_stays_missing(make_dataset):
    def change(tables):
        tables["skp"].loc[2, "realisasi"] = ""

    dataset = asn_eval.load(make_dataset(change))
    assert dataset.skp["realisasi"].isna().tolist() == [False, False, True]


def test_an_optional_column_left_empty(make_dataset):
    def change(tables):
        tables["skp"]["realisasi"] = ""
        tables["aktivitas"]["status"] = ""

    dataset = asn_eval.load(make_dataset(change))
    assert dataset.skp["realisasi"].isna().all()
    assert dataset.skp["realisasi"].dtype == "float64"
    assert dataset.aktivitas["status"].isna().all()


def test_cached_reload_is_identical_and_fast(make_dataset, isolated_cache):
    folder = make_dataset()
    started = time.perf_counter()
    first = asn_eval.load(folder)
    first_seconds = time.perf_counter() - started
    assert wait_for_cache() == []  # written after load returned
    written = [p.name for p in isolated_cache.iterdir()]
    assert len(written) == 1 and not written[0].startswith(".")  # in place, no staging left
    started = time.perf_counter()
    second = asn_eval.load(folder)
    second_seconds = time.perf_counter() - started
    for name, frame in first.tables.items():
        pd.testing.assert_frame_equal(second.tables[name], frame)
    assert second.pegawai["nip"].dtype == second.skp["nip"].dtype
    # Not a timing test: only that the cache path was taken (it skips parsing entirely).
    assert second_seconds < first_seconds * 5


def test_cache_follows_content(make_dataset):
    folder = make_dataset()
    asn_eval.load(folder)
    frame = pd.read_csv(folder / "perilaku.csv", keep_default_na=False)
    frame.loc[0, "skor"] = 9
    frame.to_csv(folder / "perilaku.csv", index=False)
    with pytest.raises(asn_eval.DataError):
        asn_eval.load(folder)


def test_errors_are_never_cached(make_dataset, isolated_cache):
    folder = make_dataset(lambda t: t["perilaku"].__setitem__("skor", ["9", "1"]))
    assert asn_eval.validate(folder)
    assert not [p for p in isolated_cache.iterdir() if not p.name.startswith(".tmp")]


def _slow_cache_writes(monkeypatch):
    """Make each table of a cache write take a while, so a test acts while the write runs."""
    write = dataset.write_feather

    def slowly(*args, **kwargs):
        time.sleep(0.05)
        return write(*args, **kwargs)

    monkeypatch.setattr(dataset, "write_feather", slowly)


def test_a_load_while_its_cache_is_written_waits_and_reads_it(
    make_dataset, isolated_cache, monkeypatch
):
    folder = make_dataset()
    _slow_cache_writes(monkeypatch)
    first = asn_eval.load(folder)
    checked = []
    check = validation.check_table
    monkeypatch.setattr(
        validation, "check_table", lambda *a, **k: checked.append(1) or check(*a, **k)
    )
    second = asn_eval.load(folder)  # the write is under way: no half-written entry is read
    assert not checked  # read from the cache, whole
    for name, frame in first.tables.items():
        pd.testing.assert_frame_equal(second.tables[name], frame)


def test_a_table_changed_after_load_does_not_change_its_cache(
    make_dataset, isolated_cache, monkeypatch
):
    folder = make_dataset()
    _slow_cache_writes(monkeypatch)
    first = asn_eval.load(folder)
    kept = first.skp.copy()
    first.skp.loc[0, "target"] = 999.0  # while the cache is being written
    first.tables["skp"] = first.skp.iloc[:1]
    assert wait_for_cache() == []
    pd.testing.assert_frame_equal(asn_eval.load(folder).skp, kept)


def test_an_unwritable_cache_only_costs_speed(make_dataset, tmp_path, monkeypatch):
    folder = make_dataset()
    (tmp_path / "berkas").write_text("")  # the cache folder's place is taken by a file
    monkeypatch.setenv("ASN_EVAL_CACHE", str(tmp_path / "berkas" / "cache"))
    assert asn_eval.load(folder).pegawai.shape[0] == 4
    failed = wait_for_cache()
    assert len(failed) == 1 and isinstance(failed[0], OSError)
    assert asn_eval.load(folder).pegawai.shape[0] == 4


def test_a_process_that_ends_right_after_load_has_written_its_cache(make_dataset, tmp_path):
    folder, cache = make_dataset(), tmp_path / "cache"
    code = f"import asn_eval; asn_eval.load({str(folder)!r})"
    env = {**os.environ, "ASN_EVAL_CACHE": str(cache)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    (entry,) = cache.iterdir()  # the process waited for the write: one entry, in place
    assert (entry / "meta.json").is_file()


def test_an_abandoned_cache_write_leaves_nothing(make_dataset, isolated_cache, monkeypatch):
    folder = make_dataset()
    _slow_cache_writes(monkeypatch)
    asn_eval.load(folder)
    dataset.abandon_cache_writes()  # a command stopped by Ctrl-C or SIGTERM
    assert list(isolated_cache.iterdir()) == []
    assert wait_for_cache() == []


def test_every_alias_maps_to_one_column():
    for table in TABLES.values():
        lookup = column_lookup(table)
        for column in table.columns:
            for header in (column.name, *column.aliases):
                assert lookup[match_key(header)] == column.name, (table.name, header)


@pytest.mark.parametrize(
    ("name", "table"),
    [("pegawai", "pegawai"), ("Data Pegawai", "pegawai"), ("SKM", "survei"), ("notes", None)],
)
def test_table_names(name, table):
    assert table_for_name(name) == table


def test_codes_mean_the_same_thing_in_every_table(make_dataset):
    # Tables that hold every NIP, OPD and role, first met in another order than the shared one:
    # pandas' astype would keep their old codes (it sees the dtypes as equal).
    def change(tables):
        tables["kehadiran"] = pd.concat([tables["kehadiran"]] * 4, ignore_index=True)
        tables["kehadiran"]["nip"] = [NIP_D, NIP_C, NIP_B, NIP_A]
        tables["organisasi"] = pd.concat([tables["organisasi"]] * 3, ignore_index=True)
        tables["organisasi"]["kode_opd"] = ["BKPSDM", "PKM1", "DINKES"]
        tables["perilaku"] = pd.concat([tables["perilaku"]] * 2, ignore_index=True)
        tables["perilaku"]["peran_penilai"] = ["bawahan", "rekan", "atasan", "diri"]
        tables["perilaku"]["nip_penilai"] = [NIP_A, NIP_D, NIP_B, ""]

    dataset = asn_eval.load(make_dataset(change))
    nips = dataset.pegawai["nip"].cat.categories
    for name, frame in dataset.tables.items():
        for column in ("nip", "nip_penilai", "nip_atasan", "nip_penyetuju"):
            if column in frame:
                assert frame[column].cat.categories.equals(nips), (name, column)
        if "kode_opd" in frame:
            assert frame["kode_opd"].cat.categories.equals(dataset.opd["kode_opd"].cat.categories)
    roles = dataset.perilaku["peran_penilai"]
    assert list(roles.cat.categories) == ["diri", "atasan", "rekan", "bawahan"]
    assert roles.cat.codes.tolist() == [3, 2, 1, 0]
    decoded = nips[dataset.kehadiran["nip"].cat.codes]
    assert list(decoded) == [NIP_D, NIP_C, NIP_B, NIP_A]
    opds = dataset.opd["kode_opd"].cat.categories
    assert list(opds[dataset.organisasi["kode_opd"].cat.codes]) == ["BKPSDM", "PKM1", "DINKES"]


def test_subset_keeps_one_agency(make_dataset):
    dataset = asn_eval.load(make_dataset())
    part = dataset.subset(kode_opd=["PKM1"])
    assert set(part.pegawai["kode_opd"].astype(str)) == {"PKM1"}
    assert set(part.opd["kode_opd"].astype(str)) == {"PKM1"}
    assert set(part.skp["nip"].astype(str)) <= set(part.pegawai["nip"].astype(str))
    assert part.pegawai["nip"].dtype == dataset.pegawai["nip"].dtype
    assert len(part.survei) == len(dataset.survei)
