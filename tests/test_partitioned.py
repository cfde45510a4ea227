"""Scoring in parts on a Dask LocalCluster gives what scoring in one piece gives."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import run_cli

import asn_eval
from asn_eval.cluster import ClusterSpec, parse_dask
from asn_eval.errors import UsageError
from asn_eval.scoring.partitioned import score_in_parts, split_agencies
from asn_eval.scoring.scheme import load_scheme
from asn_eval.scoring.score import evaluate


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("local:2", ClusterSpec(None, 2)),
        ("tcp://10.1.2.3:8786", ClusterSpec("tcp://10.1.2.3:8786", 0)),
    ],
)
def test_the_cluster_is_named_plainly(spec, expected):
    assert parse_dask(spec) == expected


@pytest.mark.parametrize("spec", ["lokal", "local:0", "http://x:1", "tcp://host", ""])
def test_an_unknown_cluster_is_refused(spec):
    with pytest.raises(UsageError, match="--dask"):
        parse_dask(spec)


def test_agencies_are_split_whole_and_balanced(city_400_folder):
    data = asn_eval.load(city_400_folder)
    parts = split_agencies(data, 4)
    codes = [c for p in parts for c in p.kode_opd]
    assert sorted(codes) == sorted(data.opd["kode_opd"].astype(str))
    assert sum(p.pegawai for p in parts) == len(data.pegawai)
    sizes = data.pegawai["kode_opd"].astype(str).value_counts()
    assert max(p.pegawai for p in parts) <= max(len(data.pegawai) / 4, sizes.max()) * 1.5


@pytest.fixture
def cluster(dask_cluster):
    return dask_cluster


@pytest.mark.slow
@pytest.mark.parametrize(
    ("periode", "skema"),
    [("2025-TW2", "permenpan-6-2022"), ("2025", "pp-46-2011"), ("2025-TW3", "daerah-walesi")],
)
def test_scoring_in_parts_equals_scoring_in_one_piece(city_400_folder, cluster, periode, skema):
    data = asn_eval.load(city_400_folder)
    scheme = load_scheme(skema)
    whole = evaluate(data, periode, scheme)
    hasil, kurva, ikm = score_in_parts(data, periode, scheme, cluster)
    pd.testing.assert_frame_equal(hasil, whole.hasil.reset_index(drop=True))
    pd.testing.assert_frame_equal(kurva, whole.kurva.reset_index(drop=True))
    pd.testing.assert_frame_equal(ikm, whole.ikm.reset_index(drop=True))


@pytest.mark.slow
def test_score_with_dask_writes_the_same_files(city_400_folder, tmp_path, capsys):
    one, parts = tmp_path / "satu", tmp_path / "dask"
    args = ["score", city_400_folder, "--periode", "2025"]
    code, _, err = run_cli(capsys, *args, "--out", one)
    assert code == 0, err
    code, said, err = run_cli(capsys, *args, "--out", parts, "--dask", "local:2")
    assert code == 0, err and "400 pegawai dinilai" in said
    for name in ("hasil.parquet", "ikm.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(parts / name), pd.read_parquet(one / name))
    code, _, err = run_cli(capsys, *args, "--out", parts, "--dask", "lokal")
    assert code == 2 and "--dask" in err


@pytest.mark.slow
def test_parts_read_from_a_store_only_their_agencies_and_score_the_same(
    city_400_folder, tmp_path, cluster
):
    from asn_eval.input.store import convert, read_store

    store = tmp_path / "store"
    convert(city_400_folder, store)
    folder = asn_eval.load(city_400_folder)
    part = read_store(store, kode_opd=["DINKES", "PKM-01"]).subset(kode_opd=["DINKES", "PKM-01"])
    expected = folder.subset(kode_opd=["DINKES", "PKM-01"])
    for name, frame in expected.tables.items():
        pd.testing.assert_frame_equal(
            part.tables[name].reset_index(drop=True), frame.reset_index(drop=True), obj=name
        )
    scheme = load_scheme("permenpan-6-2022")
    whole = evaluate(folder, "2025", scheme)
    hasil, kurva, _ = score_in_parts(asn_eval.load(store), "2025", scheme, cluster)
    pd.testing.assert_frame_equal(hasil, whole.hasil.reset_index(drop=True))
    pd.testing.assert_frame_equal(kurva, whole.kurva.reset_index(drop=True))


@pytest.mark.parametrize("folder", ["city_400_folder", "three_instansi_folder"])
def test_the_outline_of_a_store_holds_what_splits_the_work(folder, request, tmp_path):
    from asn_eval.input.store import convert
    from asn_eval.scoring.partitioned import OUTLINE, outline

    source = request.getfixturevalue(folder)
    store = tmp_path / "store"
    convert(source, store)
    whole, small = asn_eval.load(source), outline(store)
    assert set(small.tables) == set(OUTLINE) & set(whole.tables)
    assert small.periodes == whole.periodes and small.fingerprint == whole.fingerprint
    for name in small.tables:
        pd.testing.assert_frame_equal(small.tables[name], whole.tables[name], obj=name)
    assert split_agencies(small, 5) == split_agencies(whole, 5)
    for asked in ("2025", "2025-TW3"):
        assert small.periode(asked) == whole.periode(asked)
        assert small.built_from(small.periode(asked)) == whole.built_from(whole.periode(asked))
    assert outline(source).tables.keys() == whole.tables.keys()  # a folder is read whole


@pytest.mark.slow
def test_score_of_a_store_of_three_instansi_with_dask_writes_the_same_files(
    three_instansi_folder, tmp_path, capsys, dask_cluster
):
    from asn_eval.input.store import convert

    store = tmp_path / "store"
    convert(three_instansi_folder, store)
    one, parts = tmp_path / "satu", tmp_path / "dask"
    code, _, err = run_cli(
        capsys, "score", three_instansi_folder, "--periode", "2025-TW2", "--out", one
    )
    assert code == 0, err
    address = dask_cluster.scheduler.address  # the session's cluster, reached as a remote one
    args = ["score", store, "--periode", "2025-TW2", "--out", parts, "--dask", address]
    code, said, err = run_cli(capsys, *args)
    assert code == 0, err
    assert "600 pegawai dinilai" in said
    for name in ("hasil.parquet", "ikm.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(parts / name), pd.read_parquet(one / name))
    written = pd.read_excel(parts / "hasil.xlsx", sheet_name=None, engine="openpyxl")
    expected = pd.read_excel(one / "hasil.xlsx", sheet_name=None, engine="openpyxl")
    assert written.keys() == expected.keys()
    for sheet, frame in expected.items():
        if sheet != "tentang":  # names its source: the store, not the folder
            pd.testing.assert_frame_equal(written[sheet], frame, obj=sheet)
    code, _, err = run_cli(
        capsys, "score", store, "--periode", "2031", "--out", parts, "--dask", address
    )
    assert code == 2 and "2031" in err


@pytest.mark.parametrize("odd", ["PKM 1/Ä&B=%", "DINSOS/P3A", "PKM+1,(2)"])
def test_an_agency_is_read_alone_whatever_its_code_holds(make_dataset, tmp_path, odd):
    # A task reads its agencies' partition folders by name (hive encoding of the code): a code
    # encoded differently would lose its rows without a word.
    from asn_eval.input.store import convert, read_store

    def rename(tables):
        for frame in tables.values():
            for column in ("kode_opd", "induk"):
                if column in frame:
                    frame[column] = frame[column].replace("PKM1", odd)

    folder = make_dataset(rename)
    store = tmp_path / "store"
    convert(folder, store)
    whole = asn_eval.load(folder)
    for codes in ([odd], ["DINKES", odd], ["BKPSDM"]):
        part = read_store(store, kode_opd=codes).subset(kode_opd=codes)
        for name, frame in whole.subset(kode_opd=codes).tables.items():
            pd.testing.assert_frame_equal(
                part.tables[name].reset_index(drop=True), frame.reset_index(drop=True), obj=name
            )
    assert len(read_store(store, kode_opd=[odd]).pegawai) == 2


@pytest.mark.slow
def test_a_large_dataset_is_split_into_parts_of_bounded_size_with_the_same_result(
    city_400_folder, cluster, monkeypatch
):
    """Parts hold about ``PART_PEGAWAI`` employees at most (a worker's memory follows its part):
    more parts than four per worker when the data is large, and the same results."""
    import asn_eval.cluster as clusters

    assert clusters.part_count(cluster, 400) == 8  # 2 workers × 4
    assert clusters.part_count(cluster, 1_000_000) == 40  # ⌈1,000,000 ÷ 25,000⌉
    monkeypatch.setattr(clusters, "PART_PEGAWAI", 30)  # the 400 employees of the city: 14 parts
    assert clusters.part_count(cluster, 400) == 14
    data = asn_eval.load(city_400_folder)
    parts = split_agencies(data, 14)
    assert len(parts) == 14
    assert all(p.pegawai < 60 or len(p.kode_opd) == 1 for p in parts)  # an agency stays whole
    scheme = load_scheme("permenpan-6-2022")
    whole = evaluate(data, "2025", scheme)
    hasil, kurva, ikm = score_in_parts(data, "2025", scheme, cluster)
    pd.testing.assert_frame_equal(hasil, whole.hasil.reset_index(drop=True))
    pd.testing.assert_frame_equal(kurva, whole.kurva.reset_index(drop=True))
    pd.testing.assert_frame_equal(ikm, whole.ikm.reset_index(drop=True))
