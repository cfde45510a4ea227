"""Property: what reaches scoring is what a person reads on the sheet, in every accepted form.

Random valid values are written in a random accepted form (numbers in Indonesian or English
form, with or without thousands separators, currency and percent signs; NIPs with spaces, dots,
Excel's text marker or a ``NIP.`` prefix; dates in numeric, Indonesian, serial or typed form;
periods as people write them; golongan with its pangkat; IKM answers as numbers, letters or
words), into a CSV (comma or semicolon) or an xlsx file, then read back and compared with the
values that were meant.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from babel.dates import format_date
from babel.numbers import format_decimal
from conftest import tiny_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import asn_eval
from asn_eval.input.dataset import wait_for_cache
from asn_eval.input.vocab import IKM_ANSWERS, PANGKAT

RANK_NAME = {code: name for name, code in PANGKAT.items()}

QUARTER_FORMS = [
    "{y}-TW{q}",
    "{y} TW {r}",
    "TW {r} {y}",
    "Triwulan {r} {y}",
    "Triwulan {q} Tahun {y}",
    "Q{q} {y}",
]
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@st.composite
def nips(draw) -> str:
    born = draw(st.dates(dt.date(1960, 1, 1), dt.date(1999, 12, 31)))
    start = born.replace(day=1) + dt.timedelta(days=365 * draw(st.integers(19, 40)))
    sex = draw(st.sampled_from("12"))
    return f"{born:%Y%m%d}{start:%Y%m}{sex}{draw(st.integers(1, 999)):03d}"


def nip_form(nip: str, form: int) -> str:
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    return [nip, f"'{nip}", spaced, f"NIP. {spaced}", spaced.replace(" ", "."), f"NIP: {nip}"][form]


def number_text(value: float, locale: str, grouped: bool, decorate: int) -> str:
    pattern = "#,##0.##" if grouped else "0.##"
    text = format_decimal(value, format=pattern, locale=locale)
    return [text, f"{text} %", f"Rp {text}"][decorate]


def date_text(day: dt.date, form: int) -> object:
    forms = [
        day.isoformat(),
        f"{day:%d/%m/%Y}",
        f"{day:%d-%m-%Y}",
        format_date(day, "dd MMMM yyyy", locale="id"),
        format_date(day, "EEEE, dd MMMM yyyy", locale="id"),
        format_date(day, "d MMM yyyy", locale="en"),
        str((day - dt.date(1899, 12, 30)).days),
    ]
    return forms[form]


@st.composite
def datasets(draw):
    n = draw(st.integers(1, 4))
    people = draw(st.lists(nips(), min_size=n, max_size=n, unique=True))
    locale = draw(st.sampled_from(["id", "en"]))
    grouped = draw(st.booleans())
    values = [
        draw(st.decimals(1, 2_000_000, places=2, allow_nan=False, allow_infinity=False))
        for _ in range(2 * n)
    ]
    targets = [float(v) for v in values[:n]]
    reals = [float(v) for v in values[n:]]
    reals[0] = float(int(reals[0])) + 0.5  # one value shows the file's decimal separator
    year = draw(st.integers(2021, 2027))
    quarter = draw(st.integers(1, 4))
    golongan = [draw(st.sampled_from(sorted(RANK_NAME))) for _ in range(n)]
    days = [draw(st.dates(dt.date(1995, 1, 1), dt.date(2060, 12, 31))) for _ in range(n)]
    answers = [[draw(st.integers(1, 4)) for _ in range(9)] for _ in range(n)]
    return {
        "people": people,
        "nip_forms": [draw(st.integers(0, 5)) for _ in range(n)],
        "locale": locale,
        "grouped": grouped,
        "decorate": draw(st.integers(0, 2)),
        "targets": targets,
        "reals": reals,
        "periode": (year, quarter, draw(st.integers(0, len(QUARTER_FORMS) - 1))),
        "golongan": golongan,
        "golongan_forms": [draw(st.integers(0, 3)) for _ in range(n)],
        "days": days,
        "date_forms": [draw(st.integers(0, 6)) for _ in range(n)],
        "answers": answers,
        "answer_forms": [draw(st.integers(0, 3)) for _ in range(n)],
        "format": draw(st.sampled_from(["csv;", "csv,", "xlsx"])),
    }


def golongan_text(code: str, form: int) -> str:
    name = RANK_NAME[code]
    return [code, f"{name}, {code}", f"{name} ({code})", name][form]


def answer_text(score: int, element: int, form: int) -> object:
    letter = "abcd"[score - 1]
    words = IKM_ANSWERS[element][score - 1]
    return [str(score), letter, f"{letter}. {words}", words][form]


def _write(tables: dict[str, pd.DataFrame], folder: Path, fmt: str) -> None:
    folder.mkdir(parents=True)
    for name, frame in tables.items():
        if fmt == "xlsx":
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.append(list(frame.columns))
            for row in frame.itertuples(index=False):
                sheet.append([None if v == "" else v for v in row])
            book.save(folder / f"{name}.xlsx")
        else:
            frame.to_csv(folder / f"{name}.csv", sep=fmt[-1], index=False)


@pytest.mark.slow  # 30 datasets loaded from disk: the full run's
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=datasets())
def test_values_reaching_scoring_equal_what_the_sheet_shows(case, monkeypatch):
    tables = tiny_tables()
    n = len(case["people"])
    boss = tables["pegawai"].iloc[1]
    pegawai = pd.DataFrame(
        {
            "nip": [nip_form(p, f) for p, f in zip(case["people"], case["nip_forms"], strict=True)],
            "nama": [f"Pegawai {i}" for i in range(n)],
            "kode_opd": "PKM1",
            "jabatan": "Pelaksana",
            "jenis_jabatan": "Pelaksana",
            "golongan": [
                golongan_text(g, f)
                for g, f in zip(case["golongan"], case["golongan_forms"], strict=True)
            ],
            "nip_atasan": boss["nip"],
        }
    )
    tables["pegawai"] = pd.concat([tables["pegawai"], pegawai], ignore_index=True).fillna("")
    year, quarter, form = case["periode"]
    periode = QUARTER_FORMS[form].format(y=year, q=quarter, r=ROMAN[quarter])
    locale, grouped, decorate = case["locale"], case["grouped"], case["decorate"]
    tables["skp"] = pd.DataFrame(
        {
            "periode": periode,
            "nip": pegawai["nip"],
            "rhk_id": "RHK-1",
            "rhk": "Layanan",
            "jenis_rhk": "utama",
            "aspek": "kuantitas",
            "indikator": [f"Indikator {i}" for i in range(n)],
            "target": [number_text(v, locale, grouped, decorate) for v in case["targets"]],
            "realisasi": [number_text(v, locale, grouped, decorate) for v in case["reals"]],
        }
    )
    tables["aktivitas"] = pd.DataFrame(
        {
            "tanggal": [
                date_text(d, f) for d, f in zip(case["days"], case["date_forms"], strict=True)
            ],
            "nip": pegawai["nip"],
            "uraian": "Kegiatan",
            "durasi_menit": "60",
        }
    )
    tables["survei"] = pd.DataFrame(
        {
            "periode": periode,
            "kode_opd": "PKM1",
            "responden": [f"R{i}" for i in range(n)],
            **{
                f"u{e}": [
                    answer_text(a[e - 1], e, f)
                    for a, f in zip(case["answers"], case["answer_forms"], strict=True)
                ]
                for e in range(1, 10)
            },
        }
    )
    for name in ("perilaku", "kehadiran", "penilaian", "organisasi"):
        tables[name]["periode"] = f"{year}-TW{quarter}"
    root = Path(tempfile.mkdtemp())
    try:
        monkeypatch.setenv("ASN_EVAL_CACHE", str(root / "cache"))
        folder = root / "data"
        if case["format"] == "xlsx":
            _write(tables, folder, "xlsx")
        else:
            _write(tables, folder, case["format"])
        data = asn_eval.load(folder)
    finally:
        wait_for_cache()  # the cache is written after load returns, into the folder removed here
        shutil.rmtree(root)
    mine = data.pegawai["nip"].astype(str).isin(case["people"])
    assert sorted(data.pegawai.loc[mine, "nip"].astype(str)) == sorted(case["people"])
    assert data.pegawai.loc[mine, "golongan"].astype(str).tolist() == case["golongan"]
    assert data.skp["periode"].astype(str).unique().tolist() == [f"{year}-TW{quarter}"]
    assert data.skp["target"].tolist() == pytest.approx(case["targets"])
    assert data.skp["realisasi"].tolist() == pytest.approx(case["reals"])
    assert [d.date() for d in data.aktivitas["tanggal"]] == case["days"]
    for e in range(1, 10):
        assert data.survei[f"u{e}"].tolist() == [a[e - 1] for a in case["answers"]]


def test_the_property_writes_real_forms():
    assert number_text(1750.5, "id", True, 2) == "Rp 1.750,5"
    assert number_text(1750.5, "en", True, 1) == "1,750.5 %"
    assert date_text(dt.date(2025, 1, 6), 4) == "Senin, 06 Januari 2025"
    assert golongan_text("III/d", 1) == "Penata Tingkat I, III/d"
