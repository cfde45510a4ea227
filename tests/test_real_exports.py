"""Files as BKPSDM really receives them: each kind of real-world form, beyond the field cases.

Every test writes a small dataset by hand (CSV text, an xlsx built cell by cell, or one workbook
with a sheet per table), reads it, and checks the values that reach scoring, or the message a user
gets: ``file:row:column``, what was found, and how to fix it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import openpyxl
import pytest
from conftest import NIP_B, NIP_C, tiny_tables, write_tables

import asn_eval
from asn_eval.errors import DataError


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ASN_EVAL_CACHE", str(tmp_path / "cache"))


def _base(folder: Path, drop: tuple[str, ...] = ()) -> Path:
    """The tiny dataset without the tables in ``drop`` (the test writes those itself)."""
    tables = {k: v for k, v in tiny_tables().items() if k not in drop}
    return write_tables(tables, folder)


def _errors(problems) -> list[str]:
    return [str(p) for p in problems if p.is_error]


def _warnings(problems) -> list[str]:
    return [str(p) for p in problems if not p.is_error]


def _sheet(path: Path, rows: list[list[object]], title: str = "Sheet1", merged=()) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = sheet.cell(r, c, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "f"
    for span in merged:
        sheet.merge_cells(span)
    book.save(path)


KEHADIRAN_HEADER = "Periode;NIP;Hari Kerja;Hadir;Tanpa Keterangan;Cuti"


# --- the header: title rows, two-row headers, footers --------------------------------------------


def test_title_rows_and_blank_rows_above_a_csv_header(tmp_path):
    folder = _base(tmp_path / "d", drop=("kehadiran",))
    (folder / "kehadiran.csv").write_text(
        "REKAP ABSENSI;;;;;\nDinas Kesehatan;;;;;\n;;;;;\n"
        f"{KEHADIRAN_HEADER}\n2025-TW1;{NIP_C};62;60;1;1\n2025-TW1;{NIP_B};62;55;;\n"
    )
    data = asn_eval.load(folder)
    assert data.kehadiran["hadir"].tolist() == [60, 55]
    assert any("baris 4" in w and "1–3" in w for w in _warnings(data.warnings))
    # a value refused below the header names the row a spreadsheet shows
    (folder / "kehadiran.csv").write_text(
        f"REKAP ABSENSI\n\n{KEHADIRAN_HEADER}\n2025-TW1;{NIP_C};62;enam puluh;1;1\n"
    )
    assert _errors(asn_eval.validate(folder)) == ["kehadiran.csv:4:Hadir: bukan angka (enam puluh)"]


def test_two_row_header_without_merged_cells_in_a_csv(tmp_path):
    folder = _base(tmp_path / "d", drop=("kehadiran",))
    (folder / "kehadiran.csv").write_text(
        "No,NIP,Periode,Hari Kerja,Hadir,Tidak Hadir,,,\n"
        ",,,,,Sakit,Izin,Cuti,Tanpa Keterangan\n"
        f"1,{NIP_C},2025-TW1,62,56,2,1,2,1\n"
    )
    row = asn_eval.load(folder).kehadiran.iloc[0]
    assert (row["sakit"], row["izin"], row["cuti"], row["tanpa_keterangan"]) == (2, 1, 2, 1)


def test_a_data_row_under_a_header_is_never_taken_for_a_second_header_row(make_dataset):
    data = asn_eval.load(make_dataset())
    assert len(data.perilaku) == 2 and len(data.skp) == 3
    assert not _warnings(data.warnings)


def test_footer_and_signature_rows_are_left_out_with_one_warning(tmp_path):
    folder = _base(tmp_path / "d", drop=("kehadiran",))
    (folder / "kehadiran.csv").write_text(
        f"{KEHADIRAN_HEADER}\n2025-TW1;{NIP_C};62;60;1;1\n2025-TW1;{NIP_B};62;55;0;0\n"
        "Jumlah;;124;115;1;1\n;;;;;\nMengetahui,;;;;;\nKepala Dinas;;;;;\n;;;;;\n"
        "dr. Budi Santoso;;;;;\nNIP. 19660801 198803 1 001;;;;;\n"
    )
    data = asn_eval.load(folder)
    assert len(data.kehadiran) == 2
    footers = [w for w in _warnings(data.warnings) if "baris jumlah" in w]
    assert len(footers) == 1 and "baris 4–10" in footers[0]


def test_a_total_row_in_the_middle_is_data_and_is_refused_by_its_cells(tmp_path):
    folder = _base(tmp_path / "d", drop=("kehadiran",))
    (folder / "kehadiran.csv").write_text(
        f"{KEHADIRAN_HEADER}\n2025-TW1;{NIP_C};62;60;1;1\nJumlah;;62;60;1;1\n"
        f"2025-TW2;{NIP_C};60;60;0;0\n"
    )
    errors = _errors(asn_eval.validate(folder))
    assert errors and all(e.startswith("kehadiran.csv:3:") for e in errors)


def test_title_line_supplies_a_missing_period_and_opd(tmp_path):
    folder = _base(tmp_path / "d", drop=("survei",))
    answers = ";".join(["3"] * 9)
    (folder / "survei.csv").write_text(
        "HASIL SURVEI KEPUASAN MASYARAKAT\nPeriode: Triwulan II 2025\n"
        "Perangkat Daerah: Puskesmas Satu\n\n"
        "Responden;" + ";".join(f"U{i}" for i in range(1, 10)) + f"\nR1;{answers}\nR2;{answers}\n"
    )
    data = asn_eval.load(folder)
    assert data.survei["periode"].astype(str).unique().tolist() == ["2025-TW2"]
    assert data.survei["kode_opd"].astype(str).unique().tolist() == ["PKM1"]
    taken = [w for w in _warnings(data.warnings) if "diambil dari judul" in w]
    assert len(taken) == 2


def test_a_workbook_with_a_sheet_per_table_and_real_layouts(tmp_path):
    tables = tiny_tables()
    folder = tmp_path / "d"
    folder.mkdir()
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, frame in tables.items():
        sheet = book.create_sheet(name)
        start = 1
        if name == "kehadiran":  # a recap with a title and a two-row header
            sheet.cell(1, 1, "REKAP KEHADIRAN TRIWULAN I 2025")
            sheet.append([])
            sheet.append(["Periode", "NIP", "Hari Kerja", "Hadir", "Tidak Hadir", None])
            sheet.append([None, None, None, None, "TK", "C"])
            sheet.merge_cells("E3:F3")
            sheet.append(["2025-TW1", NIP_C, 62, 60, 1, 1])
            sheet.append(["Jumlah", None, 62, 60, 1, 1])
            continue
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([None if v == "" else v for v in row])
        start += 1
    book.save(folder / "data.xlsx")
    data = asn_eval.load(folder / "data.xlsx")
    row = data.kehadiran.iloc[0]
    assert (row["hadir"], row["tanpa_keterangan"], row["cuti"]) == (60, 1, 1)
    assert len(data.kehadiran) == 1


# --- NIPs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        lambda n: f"'{n}",
        lambda n: f"NIP. {n[:8]} {n[8:14]} {n[14]} {n[15:]}",
        lambda n: f"NIP: {n}",
        lambda n: f"{n[:8]}.{n[8:14]}.{n[14]}.{n[15:]}",
        lambda n: f" {n} ",
    ],
    ids=["excel-text-marker", "nip-prefix-spaces", "nip-colon", "dots", "padded"],
)
def test_a_nip_typed_as_text_in_any_form_is_read_as_its_digits(tmp_path, form):
    tables = tiny_tables()
    tables["perilaku"].loc[0, "nip"] = form(NIP_C)
    tables["aktivitas"].loc[0, "nip_penyetuju"] = form(NIP_B)
    data = asn_eval.load(write_tables(tables, tmp_path / "d"))
    assert data.perilaku["nip"].astype(str).tolist() == [NIP_C, NIP_C]
    assert data.aktivitas["nip_penyetuju"].astype(str).iloc[0] == NIP_B


@pytest.mark.parametrize("column", ["nip", "nip_penilai"])
def test_a_nip_in_a_numeric_excel_cell_is_refused_once_per_column(tmp_path, column):
    tables = tiny_tables()
    folder = write_tables({k: v for k, v in tables.items() if k != "perilaku"}, tmp_path / "d")
    frame = tables["perilaku"]
    rows = [list(frame.columns)]
    for record in frame.to_dict("records"):
        record[column] = float(record[column]) if record[column] else None
        rows.append(list(record.values()))
    _sheet(folder / "perilaku.xlsx", rows, "perilaku")
    errors = _errors(asn_eval.validate(folder))
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"perilaku.xlsx:2:{column}:")
    assert "sudah hilang" in errors[0] and "Format kolom sebagai Teks" in errors[0]


@pytest.mark.parametrize("written", ["1,97E+17", "1.99003152015031E+17", f"{NIP_C}.0"])
def test_a_nip_written_as_a_number_in_a_csv_is_refused(tmp_path, written):
    tables = tiny_tables()
    tables["kehadiran"].loc[0, "nip"] = written
    errors = _errors(asn_eval.validate(write_tables(tables, tmp_path / "d")))
    assert len(errors) == 1 and errors[0].startswith("kehadiran.csv:2:nip:"), errors
    assert "sudah hilang" in errors[0]


def test_whole_number_nips_from_parquet_keep_every_digit(tmp_path):
    tables = tiny_tables()
    folder = write_tables({k: v for k, v in tables.items() if k != "kehadiran"}, tmp_path / "d")
    frame = tables["kehadiran"].assign(nip=[int(NIP_C)], hari_kerja=[62], hadir=[60])
    frame.to_parquet(folder / "kehadiran.parquet")
    assert asn_eval.load(folder).kehadiran["nip"].astype(str).tolist() == [NIP_C]


def test_float_nips_given_in_memory_are_refused():
    tables = tiny_tables()
    tables["penilaian"] = tables["penilaian"].assign(nip=[float(NIP_C)])
    with pytest.raises(DataError, match="sudah hilang"):
        asn_eval.Dataset.from_frames(tables)


# --- numbers -------------------------------------------------------------------------------------


def _skp_csv(folder: Path, sep: str, targets: list[str], reals: list[str]) -> None:
    frame = tiny_tables()["skp"].assign(target=targets, realisasi=reals)
    frame.to_csv(folder / "skp.csv", sep=sep, index=False)


@pytest.mark.parametrize(
    ("sep", "targets", "reals", "expected"),
    [
        # decimal comma shown by 92,5: 1.750 is one thousand seven hundred and fifty
        (",", ["1.750", "90", "12"], ["1.680", "92,5", "12"], [1750, 90, 12, 1680, 92.5, 12]),
        # decimal dot shown by 92.5: 1,750 is one thousand seven hundred and fifty
        (",", ["1,750", "90", "12"], ["1,680", "92.5", "12"], [1750, 90, 12, 1680, 92.5, 12]),
        # the other column decides: 1.750 in a file with decimal commas
        (";", ["1.750", "90", "12"], ["1.680", "92", "12,5"], [1750, 90, 12, 1680, 92, 12.5]),
        # many groups, currency and percent signs, spaces between groups
        (";", ["Rp 1.500.000", "90 %", "12"], ["1 450 000", "92,5%", "12"],
         [1500000, 90, 12, 1450000, 92.5, 12]),
        # a semicolon file with no decimal anywhere: Excel's Indonesian list separator
        (";", ["1.750", "90", "12"], ["1.680", "92", "12"], [1750, 90, 12, 1680, 92, 12]),
        # an English file: thousands commas, a decimal dot
        (",", ["1,500,000.50", "90", "12"], ["1,450,000", "92", "12.25"],
         [1500000.5, 90, 12, 1450000, 92, 12.25]),
    ],
)  # fmt: skip
def test_numbers_are_read_as_a_person_reads_them(tmp_path, sep, targets, reals, expected):
    folder = _base(tmp_path / "d", drop=("skp",))
    _skp_csv(folder, sep, targets, reals)
    data = asn_eval.load(folder)
    assert data.skp["target"].tolist() + data.skp["realisasi"].tolist() == expected


def test_a_number_that_reads_two_ways_is_refused_with_its_row(tmp_path):
    folder = _base(tmp_path / "d", drop=("skp",))
    _skp_csv(folder, ",", ["1.750", "90", "12"], ["1.680", "92", "12"])
    errors = _errors(asn_eval.validate(folder))
    assert sorted(e.split(": ")[0] for e in errors) == ["skp.csv:2:realisasi", "skp.csv:2:target"]
    assert all("tidak jelas" in e for e in errors)


def test_a_column_mixing_decimal_commas_and_dots_is_refused(tmp_path):
    folder = _base(tmp_path / "d", drop=("skp",))
    _skp_csv(folder, ";", ["100", "90", "12"], ["95,5", "92.5", "12"])
    errors = _errors(asn_eval.validate(folder))
    assert errors and all("mencampur koma desimal dan titik desimal" in e for e in errors)


def test_an_implausible_achievement_is_warned_with_its_row(make_dataset):
    folder = make_dataset(lambda t: t["skp"].__setitem__("realisasi", ["95", "92.5", "12"]))
    assert not [w for w in _warnings(asn_eval.validate(folder)) if "capaian" in w]
    folder = make_dataset(lambda t: t["skp"].__setitem__("realisasi", ["95000", "92.5", "12"]))
    warned = [w for w in _warnings(asn_eval.validate(folder)) if "capaian" in w]
    assert len(warned) == 1 and warned[0].startswith("skp.csv:2:realisasi")


# --- formulas ------------------------------------------------------------------------------------


def test_a_formula_without_a_stored_value_is_computed_or_refused_never_empty(tmp_path):
    from openpyxl.utils import get_column_letter

    frame = tiny_tables()["skp"]
    folder = _base(tmp_path / "d", drop=("skp",))
    header = [*frame.columns, "bulan 1", "bulan 2"]
    first, second = (get_column_letter(header.index(c) + 1) for c in ("bulan 1", "bulan 2"))
    rows = [header]
    for i, record in enumerate(frame.to_dict("records"), start=2):
        record["target"] = float(record["target"])
        record["realisasi"] = f"={first}{i}+{second}{i}"
        rows.append([*record.values(), 40, 50])
    rows[2][header.index("realisasi")] = f"=NOSUCHFUNCTION({first}3)"
    _sheet(folder / "skp.xlsx", rows, "skp")
    errors = _errors(asn_eval.validate(folder))
    assert len(errors) == 1 and errors[0].startswith("skp.xlsx:3:realisasi: rumus tanpa nilai")
    assert "NOSUCHFUNCTION" in errors[0]
    rows[2][header.index("realisasi")] = f"={first}3*1"
    _sheet(folder / "skp.xlsx", rows, "skp")
    data = asn_eval.load(folder)
    assert data.skp["realisasi"].tolist() == [90, 40, 90]


# --- periods, months, dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [("TW I 2025", "2025-TW1"), ("Triwulan 2 2025", "2025-TW2"), ("Tahunan 2025", "2025"),
     ("TRIWULAN IV TAHUN 2025", "2025-TW4"), ("Q3 2025", "2025-TW3")],
)  # fmt: skip
def test_periods_as_people_write_them(make_dataset, written, expected):
    folder = make_dataset(lambda t: t["penilaian"].__setitem__("periode", [written]))
    assert asn_eval.load(folder).penilaian["periode"].astype(str).tolist() == [expected]


def test_monthly_attendance_in_xlsx_with_a_missing_month_and_a_repeated_one(tmp_path):
    folder = _base(tmp_path / "d", drop=("kehadiran",))
    header = ["Bulan", "NIP", "Hari Kerja", "Hadir", "Sakit", "Izin", "Alpa", "Cuti"]
    rows = [header]
    for month, days in (("Januari 2025", 21), ("Februari 2025", 19), ("April 2025", 22)):
        rows.append([month, NIP_C, days, days - 1, 1, 0, 0, 0])
    _sheet(folder / "kehadiran.xlsx", rows, "kehadiran")
    data = asn_eval.load(folder)
    rows_by_period = data.kehadiran.set_index(data.kehadiran["periode"].astype(str))
    assert rows_by_period.loc["2025-TW1", "hari_kerja"] == 40
    assert rows_by_period.loc["2025-TW1", "hadir"] == 38
    assert rows_by_period.loc["2025-TW2", "sakit"] == 1
    warned = " ".join(_warnings(data.warnings))
    assert "dijumlahkan per triwulan" in warned and "kurang dari tiga bulan" in warned
    rows.append(["Januari 2025", NIP_C, 21, 20, 1, 0, 0, 0])
    _sheet(folder / "kehadiran.xlsx", rows, "kehadiran")
    errors = _errors(asn_eval.validate(folder))
    assert errors == [
        "kehadiran.xlsx:5:Bulan: bulan yang sama ditulis dua kali untuk pegawai ini (2025-01)"
    ]


def test_monthly_attendance_with_the_year_in_its_own_column(tmp_path):
    folder = _base(tmp_path / "d", drop=("kehadiran",))
    rows = [["Bulan", "Tahun", "NIP", "Hari Kerja", "Hadir"]]
    for month, days in (("Januari", 21), ("Februari", 19), ("Maret", 19), ("Januari", 20)):
        year = 2025 if days != 20 else 2026
        rows.append([month, year, NIP_C, days, days - 1])
    _sheet(folder / "kehadiran.xlsx", rows, "kehadiran")
    data = asn_eval.load(folder)
    totals = dict(zip(data.kehadiran["periode"].astype(str), data.kehadiran["hari_kerja"],
                      strict=True))  # fmt: skip
    assert totals == {"2025-TW1": 59, "2026-TW1": 20}


def test_monthly_periods_are_refused_outside_attendance(make_dataset):
    folder = make_dataset(lambda t: t["penilaian"].__setitem__("periode", ["Januari 2025"]))
    errors = _errors(asn_eval.validate(folder))
    assert errors and "hanya diterima di tabel kehadiran" in errors[0]


def test_excel_dates_and_indonesian_dates_in_one_column(tmp_path):
    import datetime as dt

    folder = _base(tmp_path / "d", drop=("aktivitas",))
    frame = tiny_tables()["aktivitas"]
    rows = [list(frame.columns)]
    for record, when in zip(frame.to_dict("records"), [dt.date(2025, 1, 6), "6 Januari 2025"],
                            strict=True):  # fmt: skip
        record["tanggal"] = when
        record["durasi_menit"] = "1 jam 30 menit" if isinstance(when, str) else 300
        rows.append([None if v == "" else v for v in record.values()])
    _sheet(folder / "aktivitas.xlsx", rows, "aktivitas")
    data = asn_eval.load(folder)
    assert data.aktivitas["tanggal"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-06"] * 2
    assert data.aktivitas["durasi_menit"].tolist() == [300, 90]


def test_a_day_name_that_contradicts_the_date_is_refused(make_dataset):
    folder = make_dataset(
        lambda t: t["aktivitas"].__setitem__("tanggal", ["Selasa, 06 Januari 2025"] * 2)
    )
    errors = _errors(asn_eval.validate(folder))
    assert errors and errors[0].startswith("aktivitas.csv:2:tanggal: bukan tanggal")


# --- wide behaviour ratings ----------------------------------------------------------------------


def test_wide_behaviour_ratings_in_xlsx_name_the_value_column_of_a_bad_cell(tmp_path):
    folder = _base(tmp_path / "d", drop=("perilaku",))
    values = ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif",
              "Kolaboratif"]  # fmt: skip
    rows = [["Periode", "NIP Yang Dinilai", "NIP Penilai", "Sebagai", *values]]
    rows.append(["2025 TW1", NIP_C, NIP_B, "Atasan", 4, 4, 3, 4, 4, 3, 4])
    rows.append(["2025 TW1", NIP_C, None, "Diri Sendiri", 5, 5, 5, 5, 5, 5, 7])
    _sheet(folder / "perilaku.xlsx", rows, "perilaku")
    errors = _errors(asn_eval.validate(folder))
    assert errors == ["perilaku.xlsx:3:Kolaboratif: harus paling besar 5 (7)"]


# --- encodings -----------------------------------------------------------------------------------


def _opd_text(name: str) -> str:
    return (
        f"kode_opd,nama_opd,jenis,induk\nDINKES,{name},dinas,\n"
        "PKM1,Puskesmas Satu,upt,DINKES\nBKPSDM,BKPSDM,badan,\n"
    )


def test_a_windows_1252_file_is_read_whole_and_said(tmp_path):
    folder = _base(tmp_path / "d")
    (folder / "opd.csv").write_bytes(_opd_text("Dinas Kesehatan Sümatra").encode("cp1252"))
    data = asn_eval.load(folder)
    assert data.opd["nama_opd"].iloc[0] == "Dinas Kesehatan Sümatra"
    assert any("Windows-1252" in w for w in _warnings(data.warnings))


def test_a_utf16_file_with_its_byte_order_mark_is_read(tmp_path):
    folder = _base(tmp_path / "d")
    (folder / "opd.csv").write_bytes(_opd_text("Dinas Kesehatan Rätna").encode("utf-16"))
    assert asn_eval.load(folder).opd["nama_opd"].iloc[0] == "Dinas Kesehatan Rätna"


def test_mixed_encodings_and_nul_bytes_are_refused_by_line(tmp_path):
    folder = _base(tmp_path / "d")
    text = _opd_text("Dinas Kesehatan Rätna").encode("utf-8")
    text = text.replace(b"Puskesmas Satu", "Puskesmas Sätu".encode("cp1252"))
    (folder / "opd.csv").write_bytes(codecs.BOM_UTF8 + text)
    errors = _errors(asn_eval.validate(folder))
    assert len(errors) == 1 and errors[0].startswith("opd.csv:3: baris ini bukan UTF-8")
    (folder / "opd.csv").write_bytes(_opd_text("Dinas\x00Kesehatan").encode("utf-8"))
    errors = _errors(asn_eval.validate(folder))
    assert len(errors) == 1 and errors[0].startswith("opd.csv:2: berisi byte NUL")
    before = (folder / "opd.csv").read_bytes()
    asn_eval.validate(folder)
    assert (folder / "opd.csv").read_bytes() == before


def test_pangkat_and_golongan_as_simpeg_writes_them(make_dataset):
    forms = ["Pembina Utama Muda, IV/c", "Penata Tk.I (III/d)", "Penata Muda - III/a", "IV/b"]
    folder = make_dataset(lambda t: t["pegawai"].__setitem__("golongan", forms))
    assert asn_eval.load(folder).pegawai["golongan"].astype(str).tolist() == [
        "IV/c", "III/d", "III/a", "IV/b"
    ]  # fmt: skip
    folder = make_dataset(
        lambda t: t["pegawai"].__setitem__("golongan", ["Penata, III/d", "III/d", "III/a", "IV/b"])
    )
    errors = _errors(asn_eval.validate(folder))
    assert len(errors) == 1 and errors[0].startswith(
        "pegawai.csv:2:golongan: golongan tidak dikenal"
    )


@pytest.mark.parametrize(
    "fmt, where",
    [
        ("csv", ["pegawai.csv:3", "pegawai.csv:4"]),
        ("parquet", ["pegawai.parquet:2", "pegawai.parquet:3"]),  # no header row
        ("workbook", ["data.xlsx[pegawai]:3", "data.xlsx[pegawai]:4"]),
    ],
)
def test_a_golongan_that_disagrees_with_the_status_is_refused(make_dataset, fmt, where):
    def change(t):
        t["pegawai"]["golongan"] = ["IV/c", "III", "III/a", " PPPK IX"]
        t["pegawai"]["status"] = ["PNS", "PNS", "PPPK", "PPPK"]

    errors = _errors(asn_eval.validate(make_dataset(change, fmt)))
    assert errors == [
        f"{where[0]}:golongan: golongan PPPK untuk pegawai berstatus PNS; tulis golongan PNS "
        "lengkap dengan hurufnya (mis. III/a) (III)",
        f"{where[1]}:golongan: golongan PNS untuk pegawai berstatus PPPK; tulis golongan PPPK "
        "(mis. PPPK IX) (III/a)",
    ]


def test_a_csv_opened_in_excel_keeps_its_row_numbers_with_blank_lines(tmp_path):
    folder = _base(tmp_path / "d", drop=("kehadiran",))
    (folder / "kehadiran.csv").write_text(
        f"{KEHADIRAN_HEADER}\n2025-TW1;{NIP_C};62;60;1;1\n\n2025-TW2;{NIP_C};60;x;0;0\n"
    )
    assert _errors(asn_eval.validate(folder)) == ["kehadiran.csv:4:Hadir: bukan angka (x)"]


def test_an_undecodable_line_far_down_a_large_file_is_found(tmp_path):
    folder = _base(tmp_path / "d", drop=("aktivitas",))
    rows = [
        f"2025-{1 + i % 12:02d}-{1 + (i // 12) % 28:02d},{NIP_C},Melayani pasien nomor {i},5"
        for i in range(40_000)
    ]
    header = b"tanggal,nip,uraian,durasi_menit\n"
    body = "\n".join(rows).encode("utf-8")
    (folder / "aktivitas.csv").write_bytes(header + body + b"\n")
    assert not _errors(asn_eval.validate(folder))
    late = rows[:]
    late[35_000] = late[35_000].replace("pasien", "pasien Ĝ")  # UTF-8, fine
    late[36_000] = late[36_000].replace("pasien", "pasién")
    mixed = header + "\n".join(late).encode("utf-8").replace(
        "pasién".encode(), "pasién".encode("cp1252")
    )
    (folder / "aktivitas.csv").write_bytes(mixed + b"\n")
    errors = _errors(asn_eval.validate(folder))
    assert errors and errors[0].startswith("aktivitas.csv:36002: baris ini bukan UTF-8")
    last = f"2025-01-02,{NIP_C},Rapat café,30"
    only_cp1252 = header + "\n".join([*rows[:-1], last]).encode("cp1252")
    (folder / "aktivitas.csv").write_bytes(only_cp1252 + b"\n")
    data = asn_eval.load(folder)
    assert data.aktivitas["uraian"].astype(str).iloc[-1] == "Rapat café"
    assert any("Windows-1252" in w for w in _warnings(data.warnings))


@pytest.mark.parametrize(
    "content",
    ["", "\n\n\n", ";;;\n", "periode,nip,hari_kerja,hadir\n"],
    ids=["empty", "blank", "separators", "header"],
)
def test_an_empty_optional_table_is_said_and_a_required_one_refused(tmp_path, content):
    folder = _base(tmp_path / "d", drop=("kehadiran",))
    (folder / "kehadiran.csv").write_text(content)
    problems = asn_eval.validate(folder)
    assert not _errors(problems)
    warned = _warnings(problems)
    assert len(warned) == 1 and warned[0].startswith("kehadiran.csv: peringatan:")
    assert "kehadiran" in warned[0]
    (folder / "pegawai.csv").write_text(content.replace("periode,nip,hari_kerja,hadir", "nip,nama"))
    errors = _errors(asn_eval.validate(folder))
    assert any("pegawai" in e and ("kosong" in e or "kolom wajib" in e) for e in errors), errors


def test_an_empty_sheet_and_a_header_only_sheet(tmp_path):
    folder = _base(tmp_path / "d", drop=("kehadiran",))
    _sheet(folder / "kehadiran.xlsx", [], "kehadiran")
    assert _warnings(asn_eval.validate(folder)) == [
        "kehadiran.xlsx: peringatan: berkas kosong; tabel kehadiran dianggap tidak ada"
    ]
    _sheet(folder / "kehadiran.xlsx", [["Periode", "NIP", "Hari Kerja", "Hadir"]], "kehadiran")
    assert _warnings(asn_eval.validate(folder)) == [
        "kehadiran.xlsx: peringatan: tabel kehadiran tidak berisi baris data"
    ]


def test_excel_percent_cells_are_read_as_the_sheet_shows_them(tmp_path):
    frame = tiny_tables()["skp"]
    folder = _base(tmp_path / "d", drop=("skp",))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "skp"
    sheet.append(list(frame.columns))
    for record in frame.to_dict("records"):
        record["target"] = float(record["target"])
        record["realisasi"] = float(record["realisasi"])
        sheet.append(list(record.values()))
    column = list(frame.columns).index("realisasi") + 1
    sheet.cell(3, column).value = 0.925  # shown as 92.5 %
    sheet.cell(3, column).number_format = "0.0%"
    book.save(folder / "skp.xlsx")
    data = asn_eval.load(folder)
    assert data.skp["realisasi"].tolist() == [95, 92.5, 12]
    warned = [w for w in _warnings(data.warnings) if "persen" in w]
    assert len(warned) == 1 and "92,50 %" in warned[0]


@pytest.mark.parametrize("written", ["01.30", "08.00", "1.45"])
def test_a_duration_written_like_a_clock_time_with_a_dot_is_refused(make_dataset, written):
    folder = make_dataset(lambda t: t["aktivitas"].__setitem__("durasi_menit", [written, "90.00"]))
    errors = _errors(asn_eval.validate(folder))
    assert len(errors) == 1 and errors[0].startswith("aktivitas.csv:2:durasi_menit: tidak jelas")


def test_excel_time_cells_in_a_duration_column_are_durations(tmp_path):
    import datetime as dt

    frame = tiny_tables()["aktivitas"]
    folder = _base(tmp_path / "d", drop=("aktivitas",))
    rows = [list(frame.columns)]
    for record, duration in zip(frame.to_dict("records"), [dt.time(1, 30), dt.timedelta(hours=2)],
                                strict=True):  # fmt: skip
        record["durasi_menit"] = duration
        rows.append([None if v == "" else v for v in record.values()])
    _sheet(folder / "aktivitas.xlsx", rows, "aktivitas")
    assert asn_eval.load(folder).aktivitas["durasi_menit"].tolist() == [90, 120]


def test_extra_columns_mixing_numbers_and_text_in_xlsx_are_kept_as_text(tmp_path):
    tables = tiny_tables()
    folder = write_tables({k: v for k, v in tables.items() if k != "pegawai"}, tmp_path / "d")
    frame = tables["pegawai"].assign(Keterangan=[5, "cuti", None, 7.0], No=[1, 2, 3, 4])
    rows = [list(frame.columns)] + [
        [None if v == "" else v for v in r] for r in frame.itertuples(index=False)
    ]
    _sheet(folder / "pegawai.xlsx", rows, "pegawai")
    data = asn_eval.load(folder)  # the cache is written too
    assert data.pegawai["Keterangan"].tolist()[:2] == ["5", "cuti"]
    assert data.pegawai["No"].tolist() == ["1", "2", "3", "4"]


def test_a_title_line_right_above_the_header_is_not_a_header_row(tmp_path):
    folder = _base(tmp_path / "d", drop=("penilaian",))
    (folder / "penilaian.csv").write_text(
        "REKAP PENILAIAN KINERJA PEGAWAI,,,\nPeriode: Triwulan I 2025,,,\n"
        f"NIP,Nama,Predikat Kinerja,Rating Hasil Kerja\n{NIP_C},Andi,Baik,Sesuai Ekspektasi\n"
    )
    data = asn_eval.load(folder)
    assert data.penilaian["periode"].astype(str).tolist() == ["2025-TW1"]
    assert any("baris 3" in w and "1–2" in w for w in _warnings(data.warnings))


def test_a_signature_block_with_its_place_and_date_is_left_out(tmp_path):
    folder = _base(tmp_path / "d", drop=("kehadiran",))
    (folder / "kehadiran.csv").write_text(
        f"{KEHADIRAN_HEADER}\n2025-TW1;{NIP_C};62;60;1;1\n;;;;;\n"
        ";;;Pariaman, 31 Maret 2025;;\n;;;Kepala Dinas Sosial;;\n;;;;;\n;;;dr. Budi;;\n"
        ";;;NIP. 19660801 198803 1 001;;\n"
    )
    data = asn_eval.load(folder)
    assert len(data.kehadiran) == 1
    warned = [w for w in _warnings(data.warnings) if "tanda tangan" in w]
    assert len(warned) == 1 and "baris 4–8" in warned[0]


def test_a_parent_over_amount_and_unit_children(tmp_path):
    frame = tiny_tables()["skp"].drop(columns=["satuan"])
    folder = _base(tmp_path / "d", drop=("skp",))
    top = [c if c != "target" else "Target" for c in frame.columns] + [None]
    second = [None] * len(top)
    at = list(frame.columns).index("target")
    top = [*top[:at], "Target", None, *top[at + 1 : -1]]
    second[at], second[at + 1] = "Jumlah", "Satuan"
    rows = [["SASARAN KINERJA PEGAWAI"], [], top, second]
    for record in frame.to_dict("records"):
        values = list(record.values())
        rows.append([*values[:at], float(values[at]), "pasien", *values[at + 1 :]])
    letter = openpyxl.utils.get_column_letter
    _sheet(folder / "skp.xlsx", rows, "skp", merged=[f"{letter(at + 1)}3:{letter(at + 2)}3"])
    data = asn_eval.load(folder)
    assert data.skp["target"].tolist() == [100, 90, 12]
    assert data.skp["satuan"].astype(str).tolist() == ["pasien"] * 3


@pytest.mark.parametrize(
    "form",
    [
        lambda v, i: f"{i}. {v}",
        lambda v, i: f"Penilaian Perilaku [{v}]",
        lambda v, i: f"{v} ({v[0]})",
    ],
    ids=["numbered", "google-form-grid", "initial"],
)
def test_wide_behaviour_headers_as_forms_write_them(tmp_path, form):
    folder = _base(tmp_path / "d", drop=("perilaku",))
    values = ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif",
              "Kolaboratif"]  # fmt: skip
    header = ["Periode", "NIP Yang Dinilai", "NIP Penilai", "Sebagai"]
    header += [form(v, i) for i, v in enumerate(values, start=1)]
    line = f"2025-TW1,{NIP_C},{NIP_B},Atasan," + ",".join(["4"] * 7)
    (folder / "perilaku.csv").write_text(",".join(header) + "\n" + line + "\n")
    data = asn_eval.load(folder)
    assert sorted(data.perilaku["nilai_inti"].astype(str)) == sorted(values)


def test_indonesian_prices_ranks_quarters_and_months_in_other_forms(make_dataset):
    def change(t):
        t["skp"]["target"] = ["Rp 1.500.000,-", "90", "12,-"]
        t["skp"]["realisasi"] = ["Rp 1.450.000,-", "92,5", "12"]
        t["pegawai"]["golongan"] = ["Gol. IV/c", "Golongan III/d", "III/a", "IV/b"]
        t["penilaian"]["periode"] = ["Januari - Maret 2025"]
        t["kehadiran"]["periode"] = ["Jan-25"]

    data = asn_eval.load(make_dataset(change))
    assert data.skp["target"].tolist() == [1_500_000, 90, 12]
    assert data.pegawai["golongan"].astype(str).tolist()[:2] == ["IV/c", "III/d"]
    assert data.penilaian["periode"].astype(str).tolist() == ["2025-TW1"]
    assert data.kehadiran["periode"].astype(str).tolist() == ["2025-TW1"]


def test_a_bare_roman_golongan_without_a_status_is_refused(make_dataset):
    def change(t):
        t["pegawai"]["golongan"] = ["IV/c", "III", "III/a", "IV/b"]
        t["pegawai"]["status"] = ["PNS", "", "PNS", "PNS"]

    errors = _errors(asn_eval.validate(make_dataset(change)))
    assert len(errors) == 1 and errors[0].startswith("pegawai.csv:3:golongan: golongan tanpa huruf")


def test_a_year_column_that_disagrees_with_the_period_is_said(make_dataset):
    def change(t):
        t["penilaian"] = t["penilaian"].assign(Tahun=["2024"], periode=["2025-TW4"])

    errors = _errors(asn_eval.validate(make_dataset(change)))
    assert errors == [
        "penilaian.csv:2:periode: Tahun (2024) dan Periode (2025-TW4) tidak sama (2025-TW4)"
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("BIDANG REHABILITASI SOSIAL", "bukan NIP"),
        ("12345", "bukan NIP"),
        (f"\u200b{NIP_B}", None),
        ("".join(chr(ord(d) + 0xFEE0) for d in NIP_B), None),  # full-width digits
    ],
)
def test_nip_references_are_read_and_explained_as_written(make_dataset, written, message):
    folder = make_dataset(lambda t: t["kehadiran"].__setitem__("nip", [written]))
    errors = _errors(asn_eval.validate(folder))
    if message is None:
        assert not errors
    else:
        assert errors == [f"kehadiran.csv:2:nip: {message}: NIP ditulis 18 angka (spasi dan "
                          f"titik boleh) ({written})"]  # fmt: skip
