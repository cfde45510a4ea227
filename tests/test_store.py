"""The partitioned store (``asn-eval convert``): written from a checked folder, read by every
command as the same dataset."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq
import pytest
from conftest import NIP_A, NIP_B, NIP_C, run_cli

import asn_eval
from asn_eval.input.store import MANIFEST, convert, is_store, read_store


def assert_same_dataset(a: asn_eval.Dataset, b: asn_eval.Dataset) -> None:
    """Equal tables (values, order, column order, every dtype and its categories), warnings."""
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)
        for column in a.tables[name]:
            left, right = a.tables[name][column].dtype, b.tables[name][column].dtype
            assert left == right, (name, column)
            if isinstance(left, pd.CategoricalDtype):
                assert list(left.categories) == list(right.categories), (name, column)
    assert a.warnings == b.warnings
    assert a.periodes == b.periodes


def test_sample_city_store_loads_as_its_folder(city_400_folder: Path, tmp_path: Path) -> None:
    store = tmp_path / "kota-store"
    manifest = convert(city_400_folder, store)
    folder = asn_eval.load(city_400_folder)
    assert is_store(store) and not is_store(city_400_folder)
    loaded = asn_eval.load(store)
    assert_same_dataset(folder, loaded)
    assert loaded.fingerprint == folder.fingerprint == manifest["sidik"]
    assert manifest["tabel"]["pegawai"]["baris"] == len(folder.pegawai)
    # hive layout, partitioned by agency and period; employees' tables through their pegawai row
    assert manifest["tabel"]["skp"]["partisi"] == ["kode_opd", "periode"]
    assert manifest["tabel"]["aktivitas"]["partisi"] == ["kode_opd"]
    assert manifest["tabel"]["pegawai"]["partisi"] == ["kode_opd"]
    assert (store / "skp" / "kode_opd=DINKES" / "periode=2025-TW2").is_dir()
    # pyarrow reads it natively: every skp row of DINKES in TW2 belongs to a DINKES employee
    read = pads.dataset(store / "skp", partitioning="hive").to_table(
        filter=(pads.field("kode_opd") == "DINKES") & (pads.field("periode") == "2025-TW2")
    )
    pegawai = folder.pegawai.set_index(folder.pegawai["nip"].astype(str))["kode_opd"]
    assert read.num_rows > 0
    assert set(pegawai[read.column("nip").to_pylist()].astype(str)) == {"DINKES"}
    assert (store / "profil.toml").read_bytes() == (city_400_folder / "profil.toml").read_bytes()
    # scoring the store gives the folder's results
    scored = asn_eval.score(loaded, "2025")
    pd.testing.assert_frame_equal(scored, asn_eval.score(folder, "2025"))


def _odd_codes(tables: dict[str, pd.DataFrame]) -> None:
    """One OPD whose code needs escaping in a folder name, an employee in it, an extra column."""
    opd = tables["opd"]
    opd.loc[len(opd)] = ["DINSOS/P3A", "Dinas Sosial, P3A", "dinas", ""]
    pegawai = tables["pegawai"]
    pegawai.loc[len(pegawai)] = [
        "197501012000031005", "Eko Wibowo", "DINSOS/P3A", "Pimpinan", "Kepala Dinas", "JPT",
        "IV/c", "PNS", "", "L",
    ]  # fmt: skip
    pegawai["catatan internal"] = ["a", "", "12", "b", "c"]
    tables["skp"]["periode"] = "2026-TW3"  # a quarter-only dataset of another year
    for name in ("perilaku", "kehadiran", "survei", "penilaian", "organisasi"):
        tables[name]["periode"] = "2026-TW3"
    tables["aktivitas"]["tanggal"] = ["2026-07-06", "2026-07-06"]


def test_hand_written_store_loads_as_its_folder(make_dataset, tmp_path: Path) -> None:
    folder = make_dataset(_odd_codes)
    store = tmp_path / "store"
    convert(folder, store)
    assert_same_dataset(asn_eval.load(folder), read_store(store))
    assert (store / "pegawai" / "kode_opd=DINSOS%2FP3A").is_dir()
    assert asn_eval.load(store).periodes == ["2026-TW3"]


def test_minimal_dataset(make_dataset, tmp_path: Path) -> None:
    """Only the required tables, one OPD, one employee."""

    def minimal(tables: dict[str, pd.DataFrame]) -> None:
        for name in list(tables):
            if name not in ("opd", "pegawai"):
                del tables[name]
        tables["opd"] = tables["opd"].iloc[:1]
        tables["pegawai"] = tables["pegawai"].iloc[:1]

    folder = make_dataset(minimal)
    convert(folder, tmp_path / "s")
    assert_same_dataset(asn_eval.load(folder), asn_eval.load(tmp_path / "s"))


def test_convert_command(make_dataset, tmp_path: Path, capsys) -> None:
    folder = make_dataset()
    store = tmp_path / "out" / "store"
    code, out, _ = run_cli(capsys, "convert", folder, "--out", store)
    assert code == 0 and "Penyimpanan ditulis" in out and "pegawai 4" in out
    assert json.loads((store / MANIFEST).read_text())["tabel"]["skp"]["baris"] == 3
    assert [p.name for p in store.parent.iterdir()] == ["store"]  # no staging folder left

    # converting again replaces the store whole
    code, _, _ = run_cli(capsys, "convert", folder, "--out", store)
    assert code == 0 and is_store(store)

    # data with errors: every problem listed, exit 2, nothing written
    def broken(tables: dict[str, pd.DataFrame]) -> None:
        tables["skp"].loc[0, "nip"] = "199901012020011999"
        tables["skp"].loc[1, "target"] = "-3"

    bad = make_dataset(broken)
    code, out, _ = run_cli(capsys, "convert", bad, "--out", tmp_path / "bad")
    assert code == 2
    assert "skp.csv:2:nip: NIP tidak ada di tabel pegawai" in out
    assert "skp.csv:3:target" in out
    assert not (tmp_path / "bad").exists()

    # the source folder itself is never the target
    code, _, err = run_cli(capsys, "convert", folder, "--out", folder)
    assert code == 2 and "menimpa data sumber" in err
    assert (folder / "pegawai.csv").is_file()


def test_score_command_on_a_store(make_dataset, tmp_path: Path, capsys) -> None:
    folder = make_dataset()
    convert(folder, tmp_path / "store")
    for data, out in ((folder, "a"), (tmp_path / "store", "b")):
        code, _, err = run_cli(
            capsys, "score", data, "--periode", "2025-TW1", "--out", tmp_path / out
        )
        assert code == 0, err
    a = pd.read_parquet(tmp_path / "a" / "hasil.parquet")
    b = pd.read_parquet(tmp_path / "b" / "hasil.parquet")
    pd.testing.assert_frame_equal(a, b)
    assert set(b["nip"].astype(str)) >= {NIP_B, NIP_C}


def _rewrite(path: Path, change) -> None:
    """Change one Parquet file of a store in place, as a tool editing it by hand would."""
    table = pq.read_table(path)
    frame = table.to_pandas()
    change(frame)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)


def test_store_checked_agency_by_agency(make_dataset, tmp_path: Path, capsys) -> None:
    def cross_agency(tables: dict[str, pd.DataFrame]) -> None:
        tables["aktivitas"]["nip_penyetuju"] = [NIP_A, ""]  # approved by DINKES's head

    store = tmp_path / "store"
    convert(make_dataset(cross_agency), store)
    assert asn_eval.validate(store) == []  # an approver of another agency is found by the join
    code, out, _ = run_cli(capsys, "validate", store)
    assert code == 0 and "Data sah" in out

    skp = store / "skp" / "kode_opd=PKM1" / "periode=2025-TW1" / "part-0.parquet"

    def bad_skp(frame: pd.DataFrame) -> None:
        frame.loc[1, "target"] = -3.0
        frame.loc[2, "nip"] = "199901012020011999"

    _rewrite(skp, bad_skp)
    _rewrite(
        store / "pegawai" / "kode_opd=PKM1" / "part-0.parquet",
        lambda f: f.__setitem__("nip_atasan", ["198801012010011001", f["nip_atasan"][1]]),
    )
    found = [str(p) for p in asn_eval.validate(store)]
    place = "store/skp/kode_opd=PKM1/periode=2025-TW1/part-0.parquet"
    assert f"{place}:2:target: harus lebih dari 0 (-3)" in found
    assert any(s.startswith(f"{place}:3:nip: NIP tidak ada di tabel pegawai") for s in found)
    assert any(
        s.startswith("store/pegawai/kode_opd=PKM1/part-0.parquet:1:nip_atasan: NIP tidak ada")
        for s in found
    )
    assert len(found) == 3, found
    # a store changed since convert is checked again when loaded, and refused with its problems
    with pytest.raises(asn_eval.DataError) as refused:
        asn_eval.load(store)
    assert len(refused.value.problems) == 3
    code, out, _ = run_cli(capsys, "score", store, "--periode", "2025-TW1", "--out", tmp_path / "o")
    assert code == 2 and f"{place}:2:target" in out and not (tmp_path / "o").exists()


def test_each_file_holds_its_own_values_as_plain_text(city_400_folder: Path, tmp_path: Path):
    """Categoricals are written as codes into a dictionary of the file's own values only (not
    the city's thousands of NIPs), and read back as plain text by any Parquet reader."""
    store = tmp_path / "store"
    convert(city_400_folder, store)
    folder = asn_eval.load(city_400_folder)
    path = store / "skp" / "kode_opd=DINKES" / "periode=2025-TW2" / "part-0.parquet"
    table = pq.read_table(path)
    assert table.schema.field("nip").type == pa.string()  # not a dictionary, not large_string
    nips = set(table.column("nip").to_pylist())
    dinkes = folder.pegawai.loc[folder.pegawai["kode_opd"] == "DINKES", "nip"].astype(str)
    assert nips <= set(dinkes) and 0 < len(nips) < len(folder.pegawai)
    column = pq.ParquetFile(path).metadata.row_group(0).column(table.column_names.index("nip"))
    assert column.has_dictionary_page
    # rows in their loaded order, positions kept
    assert table.column("_urutan").to_numpy().tolist() == sorted(
        table.column("_urutan").to_pylist()
    )
    skp = folder.tables["skp"]
    mine = skp[(skp["periode"] == "2025-TW2") & skp["nip"].astype(str).isin(dinkes)]
    assert table.column("_urutan").to_pylist() == mine.index.tolist()
    assert table.column("rhk").to_pylist() == mine["rhk"].astype(str).tolist()


@pytest.fixture
def tiny_store(make_dataset, tmp_path: Path) -> Path:
    store = tmp_path / "store"
    convert(make_dataset(), store)
    return store


SKP_FILE = "skp/kode_opd=PKM1/periode=2025-TW1/part-0.parquet"


def _rewrite_with(path: Path, change) -> None:
    table = pq.read_table(path)
    pq.write_table(change(table), path)


def test_a_store_file_rewritten_with_other_types_is_read_cell_by_cell(
    tiny_store: Path, make_dataset, capsys
) -> None:
    """Another tool wrote one file's numbers as text, or as whole numbers of another width:
    each cell is read as a text file's would be; the one that is not a number is refused."""
    place = f"{tiny_store.name}/{SKP_FILE}"

    def as_text(table: pa.Table) -> pa.Table:
        i = table.column_names.index("target")
        texts = pc.cast(table.column(i), pa.string()).to_pylist()
        texts[1] = "sepuluh"
        return table.set_column(i, "target", pa.array(texts, pa.large_string()))

    _rewrite_with(tiny_store / SKP_FILE, as_text)
    found = [str(p) for p in asn_eval.validate(tiny_store)]
    assert found == [f"{place}:2:target: bukan angka (sepuluh)"]

    survei = "survei/kode_opd=PKM1/periode=2025-TW1/part-0.parquet"  # answers: int8 → int64
    assert pq.read_schema(tiny_store / survei).field("u1").type == pa.int8()
    _rewrite_with(
        tiny_store / survei,
        lambda t: pa.table(
            {
                n: pc.cast(c, pa.int64()) if pa.types.is_int8(c.type) else c
                for n, c in zip(t.column_names, t.columns, strict=True)
            }
        ),
    )
    assert [str(p) for p in asn_eval.validate(tiny_store)] == found  # other files as they were

    def whole(table: pa.Table) -> pa.Table:
        i = table.column_names.index("target")
        texts = pc.replace_substring(table.column(i), "sepuluh", "10")
        return table.set_column(i, "target", pc.cast(pc.cast(texts, pa.float64()), pa.int64()))

    _rewrite_with(tiny_store / SKP_FILE, whole)
    assert asn_eval.validate(tiny_store) == []
    assert run_cli(capsys, "validate", tiny_store)[0] == 0
    # read back by every command with the dtype of the loaded folder, the new values in place
    loaded = asn_eval.load(tiny_store)
    assert loaded.tables["skp"]["target"].dtype == "float64"
    assert loaded.tables["skp"]["target"].tolist() == [100.0, 10.0, 12.0]
    folder = asn_eval.load(make_dataset()).tables["survei"]
    assert loaded.tables["survei"]["u1"].dtype == folder["u1"].dtype
    assert loaded.tables["survei"]["u1"].tolist() == folder["u1"].tolist()


def test_a_store_file_unreadable_or_missing_a_column_is_named_alone(
    tiny_store: Path, tmp_path: Path, capsys
) -> None:
    """A file cut short, one that is not Parquet, one put there by hand, one without a column:
    each named once, and nothing that follows from their rows missing (no cascade of unknown
    NIPs); every command refuses the store with exit 2 and no traceback."""
    broken = tiny_store / "pegawai" / "kode_opd=BKPSDM" / "part-0.parquet"  # referred by all
    broken.write_bytes(broken.read_bytes()[:100])
    (tiny_store / "skp" / "kode_opd=PKM1" / "catatan.txt").write_text("isi tangan\n")
    _rewrite_with(tiny_store / SKP_FILE, lambda t: t.drop_columns(["realisasi"]))
    extra = "perilaku/kode_opd=PKM1/periode=2025-TW1/part-0.parquet"
    _rewrite_with(tiny_store / extra, lambda t: t.append_column("x", pa.array(["?"] * len(t))))
    name = tiny_store.name
    found = [(p.file, p.column, p.level) for p in asn_eval.validate(tiny_store)]
    assert found == [
        (f"{name}/pegawai/kode_opd=BKPSDM/part-0.parquet", None, "galat"),
        (f"{name}/{extra}", "x", "peringatan"),
        (f"{name}/skp/kode_opd=PKM1/catatan.txt", None, "galat"),
        (f"{name}/{SKP_FILE}", "realisasi", "galat"),
    ]
    for command in (["validate"], ["score", "--periode", "2025-TW1", "--out", tmp_path / "o"]):
        code, out, err = run_cli(capsys, *command[:1], tiny_store, *command[1:])
        assert code == 2 and "Traceback" not in out + err, (command, out, err)
        assert "berkas Parquet tidak dapat dibaca" in out and "kolom wajib tidak ada" in out
    assert not (tmp_path / "o").exists()


def test_an_unreadable_store_file_is_found_alike_on_dask(tiny_store: Path, dask_cluster) -> None:
    from asn_eval.input.store_check import validate_store

    path = tiny_store / "aktivitas" / "kode_opd=PKM1" / "part-0.parquet"
    path.write_bytes(b"PAR1 bukan parquet")
    alone = validate_store(tiny_store)
    assert [p.file for p in alone] == [f"{tiny_store.name}/{path.relative_to(tiny_store)}"]
    assert validate_store(tiny_store, client=dask_cluster) == alone
