"""Every validation rule, each with a file that breaks it, and the message an evaluator gets."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import NIP_A, NIP_C

import asn_eval
from asn_eval.errors import DataError
from asn_eval.input.cells import TableInCheck
from asn_eval.input.contract import TABLES
from asn_eval.input.forms import FORMS, spec_of
from asn_eval.input.layout import RawTable
from asn_eval.input.readers import Source
from asn_eval.input.validation import _schema_problems, pandera_schema


def _set(table: str, row: int, column: str, value: object) -> Callable[[dict], None]:
    def change(tables: dict[str, pd.DataFrame]) -> None:
        tables[table].loc[row, column] = value

    return change


def _drop_column(table: str, column: str) -> Callable[[dict], None]:
    def change(tables: dict[str, pd.DataFrame]) -> None:
        tables[table] = tables[table].drop(columns=column)

    return change


def _duplicate_row(table: str, row: int) -> Callable[[dict], None]:
    def change(tables: dict[str, pd.DataFrame]) -> None:
        tables[table] = pd.concat([tables[table], tables[table].iloc[[row]]], ignore_index=True)

    return change


def _both(*changes: Callable[[dict], None]) -> Callable[[dict], None]:
    def change(tables: dict[str, pd.DataFrame]) -> None:
        for one in changes:
            one(tables)

    return change


# (id, change, file, row, column, words in the message)
ERROR_CASES = [
    (
        "kolom-wajib-hilang",
        _drop_column("pegawai", "jabatan"),
        "pegawai.csv",
        1,
        "jabatan",
        "kolom wajib tidak ada",
    ),
    ("sel-wajib-kosong", _set("pegawai", 2, "nama", ""), "pegawai.csv", 4, "nama", "wajib diisi"),
    ("bukan-angka", _set("skp", 1, "target", "sepuluh"), "skp.csv", 3, "target", "bukan angka"),
    (
        "bukan-tanggal",
        _set("aktivitas", 0, "tanggal", "kemarin"),
        "aktivitas.csv",
        2,
        "tanggal",
        "bukan tanggal",
    ),
    (
        "tanggal-tidak-ada",
        _set("aktivitas", 0, "tanggal", "2025-02-30"),
        "aktivitas.csv",
        2,
        "tanggal",
        "bukan tanggal",
    ),
    (
        "bukan-periode",
        _set("kehadiran", 0, "periode", "2025-TW5"),
        "kehadiran.csv",
        2,
        "periode",
        "bukan periode",
    ),
    (
        "skor-di-luar-rentang",
        _set("perilaku", 0, "skor", "6"),
        "perilaku.csv",
        2,
        "skor",
        "paling besar 5",
    ),
    ("skor-nol", _set("perilaku", 1, "skor", "0"), "perilaku.csv", 3, "skor", "paling kecil 1"),
    (
        "skor-pecahan",
        _set("perilaku", 0, "skor", "3.5"),
        "perilaku.csv",
        2,
        "skor",
        "bilangan bulat",
    ),
    ("u-di-luar-rentang", _set("survei", 1, "u4", "5"), "survei.csv", 3, "u4", "paling besar 4"),
    ("target-nol", _set("skp", 0, "target", "0"), "skp.csv", 2, "target", "lebih dari 0"),
    (
        "realisasi-negatif",
        _set("skp", 2, "realisasi", "-1"),
        "skp.csv",
        4,
        "realisasi",
        "paling kecil 0",
    ),
    (
        "hadir-melebihi",
        _set("kehadiran", 0, "hadir", "70"),
        "kehadiran.csv",
        2,
        "hadir",
        "melebihi hari_kerja",
    ),
    (
        "durasi-nol",
        _set("aktivitas", 1, "durasi_menit", "0"),
        "aktivitas.csv",
        3,
        "durasi_menit",
        "lebih dari 0",
    ),
    (
        "durasi-sehari-melebihi",
        _set("aktivitas", 1, "durasi_menit", "1200"),
        "aktivitas.csv",
        2,
        "durasi_menit",
        "melebihi 1.440 menit",
    ),
    (
        "label-tidak-dikenal",
        _set("perilaku", 0, "peran_penilai", "bos"),
        "perilaku.csv",
        2,
        "peran_penilai",
        "peran penilai tidak dikenal",
    ),
    (
        "nilai-inti-tidak-dikenal",
        _set("perilaku", 0, "nilai_inti", "Jujur"),
        "perilaku.csv",
        2,
        "nilai_inti",
        "BerAKHLAK tidak dikenal",
    ),
    (
        "jenis-jabatan-tidak-dikenal",
        _set("pegawai", 0, "jenis_jabatan", "Direktur"),
        "pegawai.csv",
        2,
        "jenis_jabatan",
        "jenis jabatan tidak dikenal",
    ),
    ("nip-ganda", _duplicate_row("pegawai", 3), "pegawai.csv", 6, "nip", "baris ganda"),
    ("kunci-ganda", _duplicate_row("kehadiran", 0), "kehadiran.csv", 3, "nip", "baris ganda"),
    ("kode-opd-ganda", _duplicate_row("opd", 0), "opd.csv", 5, "kode_opd", "baris ganda"),
    (
        "nip-panjang",
        _set("pegawai", 3, "nip", "19851220201012200"),
        "pegawai.csv",
        5,
        "nip",
        "18 angka",
    ),
    (
        "nip-tanggal-lahir",
        _set("pegawai", 3, "nip", "198513202010122004"),
        "pegawai.csv",
        5,
        "nip",
        "tanggal lahir",
    ),
    (
        "nip-tmt",
        _set("pegawai", 3, "nip", "198512202010132004"),
        "pegawai.csv",
        5,
        "nip",
        "bulan pengangkatan",
    ),
    (
        "nip-jenis-kelamin",
        _set("pegawai", 3, "nip", "198512202010123004"),
        "pegawai.csv",
        5,
        "nip",
        "harus 1 atau 2",
    ),
    (
        "nip-tidak-di-pegawai",
        _set("skp", 0, "nip", "199901012020011001"),
        "skp.csv",
        2,
        "nip",
        "tidak ada di tabel pegawai",
    ),
    (
        "kode-opd-tidak-dikenal",
        _set("pegawai", 0, "kode_opd", "DISHUB"),
        "pegawai.csv",
        2,
        "kode_opd",
        "tidak ada di tabel opd",
    ),
    (
        "induk-tidak-dikenal",
        _set("opd", 1, "induk", "DINKESX"),
        "opd.csv",
        3,
        "induk",
        "tidak ada di tabel opd",
    ),
    (
        "nip-atasan-tidak-dikenal",
        _set("pegawai", 2, "nip_atasan", "197001011995031001"),
        "pegawai.csv",
        4,
        "nip_atasan",
        "tidak ada di tabel pegawai",
    ),
    (
        "nip-penilai-tidak-dikenal",
        _set("perilaku", 0, "nip_penilai", "197001011995031001"),
        "perilaku.csv",
        2,
        "nip_penilai",
        "tidak ada di tabel pegawai",
    ),
    (
        "penilai-wajib",
        _set("perilaku", 0, "nip_penilai", ""),
        "perilaku.csv",
        2,
        "nip_penilai",
        "kecuali peran_penilai = diri",
    ),
    (
        "rhk-tidak-di-skp",
        _set("aktivitas", 0, "rhk_id", "RHK-9"),
        "aktivitas.csv",
        2,
        "rhk_id",
        "tidak ada di SKP",
    ),
    (
        "atasan-diri-sendiri",
        _set("pegawai", 0, "nip_atasan", NIP_A),
        "pegawai.csv",
        2,
        "nip_atasan",
        "rantai atasan diri sendiri",
    ),
    (
        "lingkaran-atasan",
        _set("pegawai", 0, "nip_atasan", NIP_C),
        "pegawai.csv",
        2,
        "nip_atasan",
        "membentuk lingkaran",
    ),
    (
        "lingkaran-induk",
        _set("opd", 0, "induk", "PKM1"),
        "opd.csv",
        2,
        "induk",
        "membentuk lingkaran",
    ),
    (
        "jenis-rhk-campur",
        _set("skp", 1, "jenis_rhk", "tambahan"),
        "skp.csv",
        2,
        "jenis_rhk",
        "utama dan tambahan",
    ),
]


@pytest.mark.parametrize(
    ("change", "file", "row", "column", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in ERROR_CASES],
)
def test_each_rule_reports_file_row_column(make_dataset, change, file, row, column, words):
    folder = make_dataset(change)
    problems = asn_eval.validate(folder)
    errors = [p for p in problems if p.is_error]
    matching = [p for p in errors if words in p.message]
    assert matching, f"no error with {words!r}; got: {[str(p) for p in problems]}"
    problem = matching[0]
    assert (problem.file, problem.row, problem.column) == (file, row, column), str(problem)
    assert str(problem).startswith(f"{file}:{row}:{column}: ")
    with pytest.raises(DataError):
        asn_eval.load(folder)


def test_the_value_is_shown_in_parentheses(make_dataset):
    folder = make_dataset(_set("skp", 1, "target", "sepuluh"))
    assert "skp.csv:3:target: bukan angka (sepuluh)" in [str(p) for p in asn_eval.validate(folder)]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "workbook"])
def test_a_shown_value_is_the_python_value_of_the_cell(make_dataset, fmt):
    # Whatever the column's dtype (whole numbers with or without a missing one, floats), a
    # problem shows a plain int, float or text, which every output (JSON, a workbook) can hold.
    import json

    def change(tables: dict) -> None:
        tables["kehadiran"].loc[0, "hadir"] = "70"  # more than 62 working days
        tables["skp"].loc[1, "target"] = "sepuluh"

    found = [p for p in asn_eval.validate(make_dataset(change, fmt)) if p.value is not None]
    shown = {p.message.split(";")[0]: p.value for p in found}
    assert shown["melebihi hari_kerja"] == 70 and type(shown["melebihi hari_kerja"]) is int
    assert "sepuluh" in shown.values()
    assert all(type(p.value) in (int, float, str) for p in found), [p.value for p in found]
    json.dumps([p.value for p in found])


def test_every_problem_is_reported_at_once(make_dataset):
    folder = make_dataset(
        _both(
            _set("skp", 1, "target", "sepuluh"),
            _set("perilaku", 0, "skor", "9"),
            _set("pegawai", 3, "nip", "123"),
            _set("kehadiran", 0, "hadir", "99"),
        )
    )
    messages = [str(p) for p in asn_eval.validate(folder) if p.is_error]
    assert len(messages) >= 4
    for place in (
        "skp.csv:3:target",
        "perilaku.csv:2:skor",
        "pegawai.csv:5:nip",
        "kehadiran.csv:2",
    ):
        assert any(m.startswith(place) for m in messages), (place, messages)


def test_the_users_header_is_named(make_dataset):
    def change(tables):
        tables["skp"] = tables["skp"].rename(columns={"target": "Target Kinerja"})
        tables["skp"].loc[0, "Target Kinerja"] = "abc"

    problems = asn_eval.validate(make_dataset(change))
    assert "skp.csv:2:Target Kinerja: bukan angka (abc)" in [str(p) for p in problems]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        pytest.param(
            _set("pegawai", 2, "jenis_kelamin", "P"),
            "tidak sesuai dengan digit ke-15",
            id="jenis-kelamin-vs-nip",
        ),
        pytest.param(
            _set("pegawai", 3, "nip", "198512202000122004"),
            "usia saat pengangkatan",
            id="usia-pengangkatan",
        ),
        pytest.param(
            _set("pegawai", 3, "nip", "198512201980122004"),
            "sebelum kelahiran",
            id="pengangkatan-sebelum-lahir",
        ),
        pytest.param(_set("kehadiran", 0, "cuti", "5"), "melebihi hari kerja", id="jumlah-hari"),
    ],
)
def test_warnings_do_not_stop_loading(make_dataset, change, words):
    folder = make_dataset(change)
    problems = asn_eval.validate(folder)
    assert not [p for p in problems if p.is_error], [str(p) for p in problems]
    assert any(words in p.message and p.level == "peringatan" for p in problems)
    dataset = asn_eval.load(folder)
    assert any(words in p.message for p in dataset.warnings)


def test_missing_folder(tmp_path):
    problems = asn_eval.validate(tmp_path / "tidak-ada")
    assert [p.message for p in problems] == ["folder atau berkas data tidak ditemukan"]


def test_missing_required_table(make_dataset):
    folder = make_dataset()
    (folder / "pegawai.csv").unlink()
    problems = asn_eval.validate(folder)
    assert any("tabel wajib 'pegawai' tidak ditemukan" in p.message for p in problems)


def test_optional_tables_may_be_absent(make_dataset):
    folder = make_dataset()
    for name in ("skp", "perilaku", "kehadiran", "survei", "aktivitas", "penilaian", "organisasi"):
        (folder / f"{name}.csv").unlink()
    dataset = asn_eval.load(folder)
    assert not dataset.has("skp")
    with pytest.raises(asn_eval.MissingTableError, match="membutuhkan tabel 'skp'"):
        dataset.require("skp", "analisis indikator")


def test_table_in_two_files(make_dataset):
    folder = make_dataset()
    pd.read_csv(folder / "opd.csv").to_excel(folder / "opd.xlsx", index=False)
    problems = asn_eval.validate(folder)
    assert any("juga ada di" in p.message for p in problems)


def test_two_headers_for_one_column(make_dataset):
    def change(tables):
        tables["pegawai"]["NIP Pegawai"] = tables["pegawai"]["nip"]

    problems = asn_eval.validate(make_dataset(change))
    assert any("sama-sama berarti nip" in p.message for p in problems)


def test_unreadable_workbook(make_dataset):
    folder = make_dataset()
    (folder / "opd.csv").unlink()
    (folder / "opd.xlsx").write_bytes(b"this is not a workbook")
    problems = asn_eval.validate(folder)
    assert any(p.file == "opd.xlsx" and "tidak bisa dibaca" in p.message for p in problems)


def test_missing_sheet_in_workbook(make_dataset):
    folder = make_dataset(lambda t: t.pop("pegawai"), fmt="workbook")
    problems = asn_eval.validate(folder)
    assert any("tabel wajib 'pegawai'" in p.message for p in problems)


def test_empty_required_table(make_dataset):
    folder = make_dataset(lambda t: t.update(pegawai=t["pegawai"].iloc[0:0]))
    problems = asn_eval.validate(folder)
    assert any("tabel pegawai kosong" in p.message for p in problems)


def test_workbook_rows_are_spreadsheet_rows(make_dataset):
    folder = make_dataset(_set("perilaku", 1, "skor", "8"), fmt="workbook")
    problems = [str(p) for p in asn_eval.validate(folder)]
    assert "data.xlsx[perilaku]:3:skor: harus paling besar 5 (8)" in problems


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet", "workbook"])
def test_inputs_are_never_modified(make_dataset, fmt):
    for change in (None, _set("perilaku", 0, "skor", "9")):
        folder = make_dataset(change, fmt=fmt)
        before = _digest(folder)
        asn_eval.validate(folder)
        try:
            asn_eval.load(folder)
        except DataError:
            pass
        assert _digest(folder) == before


def test_survey_answers_without_a_respondent_are_not_duplicates(make_dataset):
    def change(tables):
        tables["survei"]["responden"] = ["", ""]  # two identical anonymous answer sheets

    assert not [p for p in asn_eval.validate(make_dataset(change)) if p.is_error]

    def same_respondent(tables):
        tables["survei"]["responden"] = ["R1", "R1"]

    problems = [str(p) for p in asn_eval.validate(make_dataset(same_respondent))]
    assert any(p.startswith("survei.csv:3:responden: baris ganda") for p in problems), problems


def test_duplicates_are_found_when_an_optional_key_column_is_absent(make_dataset):
    def change(tables):
        only_self = tables["perilaku"].iloc[[1, 1]].drop(columns="nip_penilai")
        tables["perilaku"] = only_self.reset_index(drop=True)

    problems = [str(p) for p in asn_eval.validate(make_dataset(change))]
    assert any(p.startswith("perilaku.csv:3:nilai_inti: baris ganda") for p in problems), problems


@pytest.mark.parametrize("name", sorted({*TABLES, *FORMS}))
def test_required_cells_and_ranges_are_what_the_pandera_schema_refuses(name):
    """The direct checks of a load report exactly the failures of the declared pandera schema."""
    import pandera.pandas as pa

    rng = np.random.default_rng(15)
    n = 300
    columns = {}
    for column in spec_of(name).columns:
        if column.kind in ("number", "integer"):
            values = pd.Series(rng.choice([-1, 0, 1, 4, 5, 6, 366, 367, 1440, 1441, np.nan], n))
            columns[column.name] = values.astype("Int32") if column.kind == "integer" else values
        elif column.kind == "date":
            days = pd.Series(rng.choice([0.0, 1.0, np.nan], n))
            columns[column.name] = pd.to_datetime(days, unit="D").astype("datetime64[s]")
        else:
            columns[column.name] = pd.Series(rng.choice(["a", "b", None], n), dtype="category")
    frame = pd.DataFrame(columns)
    raw = RawTable(
        Source(name, Path(f"{name}.csv")), frame.astype(object), {}, pd.RangeIndex(2, n + 2)
    )
    table = TableInCheck(raw, frame)
    refused = {c: rng.random(n) < 0.2 for c in list(columns)[::2]}  # reported already elsewhere
    expected = []
    try:
        pandera_schema(name).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[cases["index"].notna() & cases["column"].notna()]
        for (column, check), group in cases.groupby(["column", "check"], sort=False):
            mask = np.zeros(n, dtype=bool)
            mask[group["index"].astype(int).to_numpy()] = True
            mask &= ~refused.get(column, np.zeros(n, dtype=bool))
            shown = None if check == "not_nullable" else raw.frame[column]
            message = "wajib diisi" if check == "not_nullable" else str(check)
            expected += table.problems(mask, column, message, shown)
    found = _schema_problems(table, refused)
    assert sorted(map(repr, found)) == sorted(map(repr, expected))
    assert expected or not any(c.required or c.ge is not None for c in spec_of(name).columns)


def test_whole_table_rules_find_the_same_rows_block_by_block(make_dataset, monkeypatch):
    """Implausible achievements and activities outside the SKP, in blocks of one row."""
    from asn_eval.input import groups

    def change(tables: dict) -> None:
        tables["skp"].loc[0, "realisasi"] = "5000"  # 5,000 % of 100
        tables["skp"].loc[2, "realisasi"] = "0.001"  # arah turun: 12 / 0.001
        tables["aktivitas"].loc[len(tables["aktivitas"]) - 1, "rhk_id"] = "RHK-9"

    folder = make_dataset(change)
    whole = asn_eval.validate(folder, cache=False)
    said = [f"{p.file}:{p.row}:{p.column}" for p in whole if "jauh di atas" in p.message]
    assert said == ["skp.csv:2:realisasi", "skp.csv:4:realisasi"]
    assert [p for p in whole if "tidak ada di SKP" in p.message]
    monkeypatch.setattr(groups, "BLOCK_ROWS", 1)
    assert asn_eval.validate(folder, cache=False) == whole


@pytest.mark.parametrize("block", [None, 7])
@pytest.mark.parametrize("seed", range(4))
def test_activities_outside_the_skp_found_as_pairs_are(seed, block, monkeypatch):
    # The dense table of planned (NIP, RHK) pairs and the hashed one report the same rows as a
    # set of pairs does: NIPs or RHKs only one table names, missing NIPs (a missing one matches
    # a missing one), missing RHKs (never reported); whole, or block by block.
    from asn_eval.input import groups, row_rules
    from asn_eval.input.row_rules import _activity_rhk, _activity_rhk_hashed

    if block:
        monkeypatch.setattr(groups, "BLOCK_ROWS", block)
        monkeypatch.setattr(row_rules, "BLOCK_ROWS", block)

    rng = np.random.default_rng(seed)

    def column(values: list, n: int, missing: float) -> pd.Series:
        chosen = pd.Series(rng.choice(values, n), dtype=object)
        chosen[rng.random(n) < missing] = None
        return chosen.astype("category")

    nips = [f"1990010120000110{i:02d}" for i in range(30)]
    rhks = [f"RHK-{i}" for i in range(8)]
    skp = pd.DataFrame({"nip": column(nips[:25], 150, 0.05), "rhk_id": column(rhks[2:], 150, 0.05)})
    n = 2_000
    frame = pd.DataFrame({"nip": column(nips[5:], n, 0.05), "rhk_id": column(rhks, n, 0.1)})
    raw = RawTable(Source("aktivitas", Path("aktivitas.csv")), frame, {}, pd.RangeIndex(2, n + 2))
    table = TableInCheck(raw, frame)
    planned = set(zip(skp["nip"].astype(object), skp["rhk_id"].astype(object), strict=True))
    planned = {(None if pd.isna(a) else a, b) for a, b in planned}
    expected = [
        row + 2
        for row, (nip, rhk) in enumerate(zip(frame["nip"], frame["rhk_id"], strict=True))
        if not pd.isna(rhk) and ((None if pd.isna(nip) else nip), rhk) not in planned
    ]
    dense, hashed = _activity_rhk(table, skp), _activity_rhk_hashed(table, skp)
    assert [p.row for p in dense] == expected
    assert dense == hashed
    assert len(expected) > 100


@pytest.mark.parametrize("seed", range(3))
def test_parent_rows_through_categories_as_through_values(seed):
    # Supervisor chains: each row's supervisor row, found through the categories' few thousand
    # keys as through every row's value; repeated, missing and unknown keys.
    from asn_eval.input.validation import _parent_rows, find_cycles

    rng = np.random.default_rng(seed)
    for _ in range(100):
        n = int(rng.integers(1, 40))
        keys = [f"k{i}" for i in range(int(rng.integers(1, 30)))]
        child = pd.Series(rng.choice([*keys, None], n), dtype=object)
        parent = pd.Series(rng.choice([*keys, "zz", None], n), dtype=object)
        by_values = _parent_rows(child, parent)
        categorical = child.astype("category"), parent.astype("category")
        np.testing.assert_array_equal(_parent_rows(*categorical), by_values)
        assert find_cycles(*categorical) == find_cycles(child, parent)


def _nips_as_text_and_dates(nips: pd.Series) -> pd.DataFrame:
    """The NIP rules as DOMAIN.md § 6 states them, on text: 18 ASCII digits, pandas' dates."""
    text = nips.astype(object).fillna("").astype("str")
    well_formed = text.str.fullmatch(r"[0-9]{18}").fillna(False).astype(bool)
    padded = text.where(well_formed, "190001011920010001")
    birth = pd.to_datetime(padded.str.slice(0, 8), format="%Y%m%d", errors="coerce")
    tmt = pd.to_datetime(padded.str.slice(8, 14) + "01", format="%Y%m%d", errors="coerce")
    sex_digit = padded.str.slice(14, 15)
    checkable = nips.notna() & well_formed
    dates_ok = checkable & birth.notna() & tmt.notna()
    age = (tmt - birth).dt.days / 365.25
    sex = np.select([sex_digit == "1", sex_digit == "2"], ["L", "P"], default="")
    return pd.DataFrame(
        {
            "panjang": nips.notna() & ~well_formed,
            "tanggal_lahir": checkable & birth.isna(),
            "tmt": checkable & tmt.isna(),
            "jenis_kelamin": checkable & ~sex_digit.isin(["1", "2"]),
            "urutan": dates_ok & (tmt < birth),
            "usia": dates_ok & (tmt >= birth) & ((age < 18) | (age > 46)),
            "jenis_kelamin_nip": pd.Series(sex).where(checkable & (sex != "")).to_numpy(),
        }
    )


@pytest.mark.parametrize("kind", ["object", "str", "category"])
def test_nip_rules_read_the_digits_as_dates_are_read(kind):
    # check_nips reads each distinct NIP's digits as numbers; the rules must say what parsing the
    # text as dates says, on every edge: year 0000 and 9999, 29 February of 1600, 1700, 1900,
    # 2000, 2023, 2024, day 0 and 32, month 0 and 13, ages at appointment of 18 and 46 years
    # to the day, appointment before birth, sex digits 0-9, numbers, other scripts' digits.
    from asn_eval.input.nip import check_nips

    rng = np.random.default_rng(7)
    edges = [
        "196608011988031001", None, "", " ", "19660801198803100", "1966080119880310011",
        "١٩٦٦٠٨٠١١٩٨٨٠٣١٠٠١", "１９６６０８０１１９８８０３١٠٠١", "19660801 198803 1 001",
        "000001010000011001", "999912319999122001", "160002291600021001", "170002291700021001",
        "190002291900021001", "200002292000021001", "202302292023021001", "202402292024021001",
        "198001002000011001", "198001322000011001", "198000012000011001", "198013012000011001",
        "198001011998001001", "198001011998131001", "198001011998012001", "198001012026011001",
        "198001011961011001", "198001012026021001", "196608011988031\n01", 196608011988031001,
        1.9e17, "abcdefghijklmnopqr", "é" * 9, "196608011988030001", "196608011988039001",
    ]  # fmt: skip
    drawn = [
        f"{rng.integers(0, 10_000):04d}{rng.integers(0, 14):02d}{rng.integers(0, 33):02d}"
        f"{rng.integers(1900, 2100):04d}{rng.integers(0, 14):02d}{rng.integers(0, 10)}"
        f"{rng.integers(0, 1000):03d}"
        for _ in range(5_000)
    ]
    nips = pd.Series([*edges, *drawn, *edges], dtype=object)
    found = check_nips(nips if kind == "object" else nips.astype(kind))
    expected = _nips_as_text_and_dates(nips)
    assert list(found.columns) == list(expected.columns)
    for rule in expected:
        said = found[rule].astype(object).where(found[rule].notna(), None).tolist()
        assert said == expected[rule].astype(object).where(expected[rule].notna(), None).tolist()
    assert found.iloc[:, :6].to_numpy().any(axis=0).all()  # every rule broken somewhere
    assert found.loc[6, "panjang"] and not found.loc[6, "tanggal_lahir"]  # Arabic-Indic digits


def test_arrow_strips_the_spaces_python_strips():
    # Text pyarrow holds is stripped in Arrow, any other by str.strip: the same characters.
    import sys

    import pyarrow as pa
    import pyarrow.compute as pc

    every = [chr(c) for c in range(sys.maxunicode + 1)]
    spaces = [c for c in every if c.isspace()]
    alike = ["\u200b", "\u180e", "\ufeff", "\u2060", "x"]  # zero-width, joiners: not spaces
    text = [f"{c}a{c}" for c in [*spaces, *alike]] + ["".join(spaces) + "a" + "".join(spaces)]
    stripped = pc.utf8_trim_whitespace(pa.array(text)).to_pylist()
    assert stripped == [t.strip() for t in text]
    assert stripped.count("a") == len(spaces) + 1


def test_text_and_nips_read_in_arrow_as_value_by_value(monkeypatch):
    # A text or NIP column pyarrow holds is read in Arrow; one of Python objects (a workbook's
    # cells) value by value. Both must give the same column: the same spaces stripped, blanks
    # missing, the categories in the same order, the NIPs that need reading left to read_nips.
    from asn_eval.input import cells
    from asn_eval.input.validation import check_table

    spaces = ["\u3000", "\x1c", "\x85", "\xa0", "\u2028", "\t", " ", "\u200b"]  # the last: kept
    rng = np.random.default_rng(3)
    names = ["Budi", "Sari Dewi", "", None, " ", "\u3000\xa0", "Andi\u200b", "Ani\nDewi"]
    n = 400
    name = [
        None if v is None else f"{rng.choice(spaces)}{v}{rng.choice(spaces)}"
        for v in rng.choice(np.array(names, dtype=object), n)
    ]
    nips = [f"19900101200001{i:04d}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "nip": nips,
            "nama": name,
            "unit_kerja": [v if v is None else v.upper() for v in name],
            "nip_atasan": rng.choice(np.array([*nips[:5], None], dtype=object), n),
        }
    )
    frame.loc[3, "nip_atasan"] = "1990 0101 2000 01 0 001"  # to be read by read_nips
    by_value: list[str] = []
    factorize = cells.Uniques.of
    monkeypatch.setattr(cells.Uniques, "of", lambda s: by_value.append(s.name) or factorize(s))

    def read(dtype: str) -> pd.DataFrame:
        typed = frame.astype(dtype)  # pandas would infer str: a workbook's cells are objects
        raw = RawTable(Source("pegawai", Path("pegawai.csv")), typed, {}, pd.RangeIndex(2, n + 2))
        return check_table(raw)[0].frame

    expected = read("object")
    assert by_value == ["nip", "nama", "unit_kerja", "nip_atasan"]
    by_value.clear()
    found = read("str")
    assert by_value == ["nip_atasan"]  # the others in Arrow
    pd.testing.assert_frame_equal(found, expected)
    assert found["nama"].dtype == "str" and found["unit_kerja"].dtype == "category"
    assert found["nama"].isna().sum() > n // 4 and found["nama"].str.contains("\u200b").any()
    assert found["nip_atasan"].iloc[3] == nips[1]
