"""A year of a million employees in bounded memory: a folder read in pieces and checked by
groups of agencies (``convert``, ``validate --dask``), a store checked by groups on Dask.

Every test compares with the folder load: the same store (tables, dtypes, category lists and
their order), the same problems in the same words, files, rows and columns, whatever the piece
size and the number of groups.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import NIP_A, NIP_B, NIP_C, _folder_digest, run_cli, tiny_tables, write_tables
from test_store import assert_same_dataset

import asn_eval
from asn_eval.errors import DataError, ReadWhole
from asn_eval.input import streamed
from asn_eval.input.layout import read_table
from asn_eval.input.pieces import read_pieces
from asn_eval.input.readers import Source
from asn_eval.input.store import MANIFEST, convert, read_manifest, write_store
from asn_eval.input.store_check import validate_store
from asn_eval.input.streamed import convert_in_pieces, validate_in_pieces
from asn_eval.sample.generator import write_sample


@pytest.fixture
def small_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """One group per agency (a group is at least one whole agency)."""
    monkeypatch.setattr(streamed, "GROUP_ROWS", 1)


def _texts(problems: list) -> list[str]:
    return [str(p) for p in problems]


def _same_pieces(source: Source, rows: int) -> int:
    """Read ``source`` whole and in pieces of ``rows``; assert the same rows; return pieces."""
    whole, problems = read_table(source)
    pieces = list(read_pieces(source, rows))
    assert [p.last for p in pieces] == [False] * (len(pieces) - 1) + [True]
    frame = pd.concat([p.raw.frame for p in pieces], ignore_index=True)
    pd.testing.assert_frame_equal(frame, whole.frame, check_categorical=False)
    assert list(frame.dtypes) == list(whole.frame.dtypes)
    numbers = np.concatenate([np.asarray(p.raw.rows) for p in pieces])
    assert numbers.tolist() == np.asarray(whole.rows).tolist()
    assert pieces[-1].problems == problems
    return len(pieces)


def test_a_csv_file_read_in_pieces_as_whole(tmp_path: Path) -> None:
    """Title rows, a BOM, CRLF, `;` with decimal commas, a cell over two lines, blank lines and
    a signature block: each piece's rows, numbers and the file's warnings as the whole read."""
    lines = ["LAPORAN SKP;;;", "Periode: Triwulan I 2025;;;", ";;;", "NIP;ID RHK;Indikator;Target"]
    for i in range(150):
        if i % 37 == 5:
            lines.append(";;;")
        cell = f'"Indikator {i}\nbaris dua"' if i % 50 == 3 else f"Indikator {i}"
        lines.append(f"1990031520150310{i % 40:02d};RHK-{i % 3};{cell};{i % 17},5")
    lines += ["Jumlah;;;", "Mengetahui;;;", "Kepala Dinas;;;"]
    path = tmp_path / "skp.csv"
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode())
    source = Source("skp", path)
    assert _same_pieces(source, 7) > 10
    assert any("tanda tangan" in p.message for p in read_table(source)[1])
    # a total row amid the rows: data, as in the whole read; ending a piece, it looks like a
    # footer there, and the file is read whole
    lines.insert(40, "Jumlah;;;")
    path.write_bytes("\n".join(lines).encode())
    whole = 0
    for rows in (5, 37, 40):  # the total row is row 41, the last of the first piece of 37
        try:
            _same_pieces(source, rows)
        except ReadWhole:
            whole += 1
    assert whole == 1
    lines[100] = lines[100].replace("Indikator", "Indikator kafé")
    path.write_bytes("\n".join(lines).encode("cp1252"))  # not UTF-8: decoded whole
    with pytest.raises(ReadWhole):
        list(read_pieces(source, 7))


def test_a_parquet_file_read_in_pieces_as_whole(tmp_path: Path) -> None:
    """An integer column with a missing value in one piece only is float in every piece."""
    table = pa.table(
        {
            "nip": [NIP_C] * 9,
            "tanggal": pa.array(pd.date_range("2025-01-06", periods=9), pa.timestamp("ms")),
            "uraian": pa.array([f"Kegiatan {i % 4}" for i in range(9)]).dictionary_encode(),
            "durasi_menit": pa.array([60, 30, None, 45, 60, 30, 90, 60, 15], pa.int64()),
            "catatan": pa.array([1, 2, 3, 4, 5, 6, 7, None, 9], pa.int32()),
        }
    )
    path = tmp_path / "aktivitas.parquet"
    pq.write_table(table, path, row_group_size=3)
    assert _same_pieces(Source("aktivitas", path), 2) == 6  # pieces stay within row groups
    table.to_pandas().astype({"durasi_menit": "Int64"}).to_parquet(path)  # pandas' own dtypes
    assert _same_pieces(Source("aktivitas", path), 4) == 3


def _bigger(tables: dict[str, pd.DataFrame]) -> None:
    """The tiny dataset with logs long enough to be read in many pieces."""
    skp = tables["skp"]
    more = pd.DataFrame(
        {
            **{c: [skp[c].iloc[0]] * 90 for c in skp.columns},
            "indikator": [f"Indikator tambahan {i}" for i in range(90)],
            "target": [str(10 + i) for i in range(90)],
        }
    )
    tables["skp"] = pd.concat([skp, more], ignore_index=True)
    aktivitas = tables["aktivitas"]
    days = pd.date_range("2025-01-07", periods=120).strftime("%Y-%m-%d")
    more = pd.DataFrame(
        {
            **{c: [aktivitas[c].iloc[0]] * 120 for c in aktivitas.columns},
            "tanggal": list(days),
            "durasi_menit": ["60"] * 120,
        }
    )
    tables["aktivitas"] = pd.concat([aktivitas, more], ignore_index=True)


def _broken(tables: dict[str, pd.DataFrame]) -> None:
    """Errors a piece alone could not see, and some a piece could."""
    _bigger(tables)
    skp, aktivitas = tables["skp"], tables["aktivitas"]
    skp.loc[4, "target"] = "abc"  # a bad number
    skp.loc[1, "target"] = "85,5"  # the column's own decimal comma …
    skp.loc[80, "target"] = "1.750"  # … reads this as 1750, far away in another piece
    twin = skp.iloc[[2]].assign(nip="1990 0315 2015 03 1 003")  # row 4, written another way
    tables["skp"] = pd.concat([skp, twin], ignore_index=True)  # a key twice, pieces apart
    aktivitas.loc[100, "nip"] = "199901012020011999"  # not an employee
    aktivitas.loc[90, "rhk_id"] = "RHK-9"  # not in the employee's SKP
    late = aktivitas.iloc[[0]].assign(durasi_menit="1200")  # 300 + 120 + 1200 minutes that day
    tables["aktivitas"] = pd.concat([aktivitas, late], ignore_index=True)
    tables["perilaku"].loc[0, "nip_penilai"] = "198801012010011001"
    penilaian = tables["penilaian"]  # the same key, the period written two ways
    tables["penilaian"] = pd.concat(
        [penilaian, penilaian.assign(periode="Triwulan I 2025")], ignore_index=True
    )


@pytest.mark.parametrize("fmt", [pytest.param("csv", marks=pytest.mark.slow), "parquet"])
def test_bad_data_same_problems_as_the_folder(
    fmt: str, tmp_path: Path, capsys, small_groups
) -> None:
    folder = write_tables(_make(_broken), tmp_path / "data", fmt)
    before = _folder_digest(folder)
    expected = asn_eval.validate(folder, cache=False)
    found = validate_in_pieces(folder, rows=10)
    assert _texts(found) == _texts(expected)
    assert found == expected  # levels and values too
    said = _texts(expected)
    ext = f".{fmt}"
    assert f"skp{ext}:{6 if fmt == 'csv' else 5}:target: bukan angka (abc)" in said
    assert not any("tidak jelas" in s for s in said)  # 1.750 read with the column's comma
    assert any(s.startswith(f"aktivitas{ext}:") and "NIP tidak ada" in s for s in said)
    assert any("RHK ini tidak ada di SKP" in s for s in said)
    assert any("melebihi 1.440 menit" in s for s in said)
    assert sum("baris ganda" in s for s in said) == 2  # skp and penilaian
    # the command: the same lines as validate's, exit 2, nothing written, the data unchanged
    code, out, _ = run_cli(capsys, "validate", folder)
    assert code == 2
    code, written, err = run_cli(capsys, "convert", folder, "--out", tmp_path / "store")
    assert code == 2 and "dibaca utuh" not in err
    assert written.split("\n\n")[0] == out.split("\n\n")[0]
    assert not (tmp_path / "store").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["data"]
    assert _folder_digest(folder) == before


def _make(change) -> dict[str, pd.DataFrame]:
    tables = tiny_tables()
    change(tables)
    return tables


@pytest.mark.slow
def test_values_read_with_the_whole_file(tmp_path: Path, small_groups) -> None:
    """A clean bigger dataset in pieces of 7 rows, in CSV and Parquet: the folder's store."""

    def comma(tables: dict[str, pd.DataFrame]) -> None:
        _bigger(tables)
        tables["skp"].loc[1, "target"] = "85,5"
        tables["skp"].loc[80, "target"] = "1.750"
        tables["aktivitas"]["nip_penyetuju"] = NIP_B  # another agency's employee approves

    for fmt in ("csv", "parquet"):
        folder = write_tables(_make(comma), tmp_path / fmt, fmt)
        assert validate_in_pieces(folder, rows=7) == asn_eval.validate(folder, cache=False)
        convert_in_pieces(folder, tmp_path / f"{fmt}-store", rows=7)
        loaded = asn_eval.load(tmp_path / f"{fmt}-store")
        assert_same_dataset(asn_eval.load(folder, cache=False), loaded)
        assert 1750.0 in set(loaded.skp["target"])
        write_store(asn_eval.load(folder), tmp_path / f"{fmt}-whole")
        _same_store(tmp_path / f"{fmt}-store", tmp_path / f"{fmt}-whole")


def _same_store(a: Path, b: Path) -> None:
    """The same manifest (but the time written) and the same files holding the same rows.

    (Not byte for byte: the writer's row groups follow how its rows arrived.)
    """
    left, right = read_manifest(a), read_manifest(b)
    files = list(left["berkas"])
    assert files == list(right["berkas"])
    for manifest in (left, right):
        del manifest["dibuat"], manifest["berkas"]
    assert left == right
    for name in files:
        assert pq.read_table(a / name).equals(pq.read_table(b / name)), name


@pytest.mark.slow
def test_what_must_be_read_whole(tmp_path: Path, capsys) -> None:
    """A workbook, or NIPs typed as numbers: the folder is loaded whole, with a note."""
    folder = write_tables(tiny_tables(), tmp_path / "xlsx", "xlsx")
    with pytest.raises(ReadWhole):
        validate_in_pieces(folder)
    code, _, err = run_cli(capsys, "convert", folder, "--out", tmp_path / "s")
    assert code == 0 and "dibaca utuh" in err
    assert_same_dataset(asn_eval.load(folder), asn_eval.load(tmp_path / "s"))

    def numbers(tables: dict[str, pd.DataFrame]) -> None:
        tables["skp"]["nip"] = [float(NIP_C)] * 3  # digits lost: said once for the column

    folder = write_tables(_make(numbers), tmp_path / "pq", "parquet")
    with pytest.raises(ReadWhole):
        validate_in_pieces(folder)
    code, out, err = run_cli(capsys, "convert", folder, "--out", tmp_path / "t")
    assert code == 2 and "dibaca utuh" in err and "skp.parquet:1:nip: " in out


@pytest.mark.slow
def test_validate_dask_on_a_store_and_a_folder(
    make_dataset, tmp_path: Path, capsys, dask_cluster, monkeypatch, small_groups
) -> None:
    """--dask gives validate's very output, for a store and for a folder."""
    import asn_eval.cluster

    @contextlib.contextmanager
    def session_cluster(spec):
        asn_eval.cluster.parse_dask(spec)
        yield dask_cluster

    monkeypatch.setattr(asn_eval.cluster, "dask_client", session_cluster)
    folder = make_dataset(lambda t: t["aktivitas"].__setitem__("nip_penyetuju", [NIP_A, ""]))
    store = tmp_path / "store"
    convert(folder, store)
    skp = store / "skp" / "kode_opd=PKM1" / "periode=2025-TW1" / "part-0.parquet"
    frame = pd.read_parquet(skp)
    frame.loc[1, "target"] = -3.0
    frame.to_parquet(skp, index=False)
    # a row moved by hand into another agency's folder: its duplicate there would be missed
    moved = store / "skp" / "kode_opd=DINKES" / "periode=2025-TW1"
    moved.mkdir(parents=True)
    frame.iloc[[0]].to_parquet(moved / "part-0.parquet", index=False)
    plain = validate_store(store)
    assert plain == validate_store(store, dask_cluster)
    said = _texts(plain)
    place = "store/skp/kode_opd={}/periode=2025-TW1/part-0.parquet"
    assert f"{place.format('PKM1')}:2:target: harus lebih dari 0 (-3)" in said
    moved_to = f"{place.format('DINKES')}:1:nip: baris ini ada di partisi kode_opd=DINKES"
    assert any(s.startswith(moved_to) for s in said), said
    for data in (store, folder, make_dataset(_broken)):
        code, out, _ = run_cli(capsys, "validate", data)
        address = dask_cluster.scheduler.address  # the session's cluster, as a remote one
        code_dask, out_dask, _ = run_cli(capsys, "validate", data, "--dask", address)
        timed = re.compile(r" \([^()]* dtk\)")  # the seconds it took
        assert (code, timed.sub("", out)) == (code_dask, timed.sub("", out_dask))


@pytest.mark.slow
@pytest.mark.parametrize("city", ["city_400_folder", "three_instansi_folder", "parquet"])
def test_a_city_converted_in_pieces_is_the_folders_store(
    city: str, request, tmp_path: Path, monkeypatch, dask_cluster
) -> None:
    """Pieces of 2,000 rows, groups of about 20 agencies (on Dask for the Parquet city)."""
    monkeypatch.setattr(streamed, "GROUP_ROWS", 5_000)
    if city == "parquet":
        folder = tmp_path / "pq"
        write_sample(folder, 400, seed=5, format="parquet", workbook=None)
    else:
        folder = request.getfixturevalue(city)
    client = dask_cluster if city == "parquet" else None
    before = _folder_digest(folder)
    manifest = convert_in_pieces(folder, tmp_path / "store", rows=2_000, client=client)
    assert manifest["tabel"]["aktivitas"]["baris"] > 2_000 * 10
    write_store(asn_eval.load(folder), tmp_path / "whole")
    _same_store(tmp_path / "store", tmp_path / "whole")
    assert_same_dataset(asn_eval.load(folder), asn_eval.load(tmp_path / "store"))
    assert validate_store(tmp_path / "store", dask_cluster) == validate_store(tmp_path / "store")
    assert _folder_digest(folder) == before
    shutil.rmtree(tmp_path / "store")


def test_manifest_written_last(make_dataset, tmp_path: Path) -> None:
    """The store is complete when its manifest says so: every file it lists is there."""
    folder = make_dataset(fmt="parquet")
    manifest = convert_in_pieces(folder, tmp_path / "s", rows=1)
    assert (tmp_path / "s" / MANIFEST).is_file()
    assert all((tmp_path / "s" / name).is_file() for name in manifest["berkas"])
    with pytest.raises(DataError):
        convert_in_pieces(make_dataset(_broken, fmt="parquet"), tmp_path / "s", rows=1)
    assert read_manifest(tmp_path / "s") == manifest  # the old store is left as it was


CASES = Path(__file__).parent / "field-cases"
FIELD_CASES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


@pytest.mark.slow
@pytest.mark.parametrize("name", FIELD_CASES)
def test_field_cases_in_pieces(name: str, tmp_path: Path, small_groups) -> None:
    """Files as evaluators receive them, in pieces of 3 rows: the folder's problems and store;
    a workbook, or dates written as Excel serial numbers, read whole instead."""
    folder = shutil.copytree(CASES / name, tmp_path / name)
    expected = asn_eval.validate(folder, cache=False)
    try:
        found = validate_in_pieces(folder, rows=3)
    except ReadWhole as reason:
        assert any(s in str(reason) for s in ("buku kerja", "nomor seri")), reason
        return
    assert found == expected
    if not any(p.is_error for p in expected):
        convert_in_pieces(folder, tmp_path / "store", rows=3)
        assert_same_dataset(asn_eval.load(folder), asn_eval.load(tmp_path / "store"))


def test_a_groups_spool_and_job_carry_only_their_own_values(tmp_path: Path, small_groups) -> None:
    """Pieces of many agencies: each group's spooled text columns hold only the values of its own
    rows, and the ``pegawai`` rows a job borrows only their own categories (not the whole
    file's: at a million employees every group read a million NIPs per table)."""
    folder = tmp_path / "pq"
    write_sample(folder, 300, seed=7, format="parquet", workbook=None)
    (tmp_path / "spool").mkdir()
    plan = streamed._plan(folder, tmp_path / "spool", 0, None, 5_000, None)
    assert len(plan.spools) > 5
    checked = 0
    for index, files in plan.spools.items():
        for name, path in files.items():
            with pa.ipc.open_stream(path) as reader:
                table = reader.read_all().unify_dictionaries()
            for column in table.column_names:
                values = table.column(column)
                if not pa.types.is_dictionary(values.type) or not values.num_chunks:
                    continue
                dictionary = values.chunk(0).dictionary.to_pylist()
                used = set(values.cast(pa.string()).drop_null().to_pylist())
                assert set(dictionary) == used, (index, name, column)
                if column == "nip":
                    assert used <= plan.named[index], (index, name)
                    checked += 1
    assert checked > 5
    for job in streamed._jobs(plan, None):
        frame = job.referred["pegawai"].frame
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.CategoricalDtype):
                used = set(frame[column].dropna())
                assert set(frame[column].cat.categories) == used, column
