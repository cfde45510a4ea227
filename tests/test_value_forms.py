"""Values as people and exports write them: periods, months, dates, durations, golongan, IKM.

Each reader is pure and works on a column's unique values; these tests give each the forms found
in real files, the refusals that keep meaning strict (a month is not a period, a weekday must be
the date's, a pangkat must be its golongan's, an answer's letter must be its words'), and
properties over every date, period and answer the readers accept.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from babel.dates import get_day_names, get_month_names
from hypothesis import given, settings
from hypothesis import strategies as st

from asn_eval.errors import PeriodeError
from asn_eval.input.calendar import (
    MONTHS,
    SERIAL_RANGE,
    month_of_name,
    parse_clock,
    parse_dates,
    parse_durations,
    two_digit_year,
    weekday_of_name,
)
from asn_eval.input.periode import (
    Periode,
    parse_month,
    parse_periode,
    parse_periode_parts,
    periode_from_title,
    quarter_of_month,
)
from asn_eval.input.vocab import (
    GOLONGAN,
    IKM_ANSWERS,
    PANGKAT,
    golongan_of,
    ikm_answers,
)

TODAY = dt.date(2025, 6, 1)  # anchors the two-digit-year rule: 25 → 2025, 26 → 2026, 27 → 1927


def _date(value: object, today: dt.date = TODAY) -> dt.date | None:
    dates, _ = parse_dates([value], today=today)
    return None if pd.isna(dates.iloc[0]) else dates.iloc[0].date()


# -- periods -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-TW1", "2025-TW1"),
        ("2025", "2025"),
        (2025, "2025"),
        (2025.0, "2025"),
        ("2025 tw iv", "2025-TW4"),
        ("TW I-2025", "2025-TW1"),
        ("TW I 2025", "2025-TW1"),
        ("TW1 2025", "2025-TW1"),
        ("tw-1/2025", "2025-TW1"),
        ("2025 TW1", "2025-TW1"),
        ("2025 TW I", "2025-TW1"),
        ("2025TW2", "2025-TW2"),
        ("2025Q3", "2025-TW3"),
        ("Triwulan I 2025", "2025-TW1"),
        ("Triwulan 1 2025", "2025-TW1"),
        ("Triwulan I Tahun 2025", "2025-TW1"),
        ("TRIWULAN I TAHUN 2025", "2025-TW1"),
        ("triwulan  iii   tahun 2025", "2025-TW3"),
        ("Triwulan Kedua 2025", "2025-TW2"),
        ("Trw. II 2025", "2025-TW2"),
        ("Kuartal 4 2025", "2025-TW4"),
        ("Q1 2025", "2025-TW1"),
        ("q4-2025", "2025-TW4"),
        ("Tahunan 2025", "2025"),
        ("Tahun 2025", "2025"),
        ("2025 Tahunan", "2025"),
        ("Periode 2025-TW1", "2025-TW1"),
        ("Periode: Triwulan II 2025", "2025-TW2"),
        ("Tahun 2025 Triwulan IV", "2025-TW4"),
        ("  2025 - tw - 2  ", "2025-TW2"),
        ("Januari - Maret 2025", "2025-TW1"),
        ("Jan-Mar 2025", "2025-TW1"),
        ("Oktober s.d. Desember 2025", "2025-TW4"),
        ("Januari - Desember 2025", "2025"),
        ("TA 2025", "2025"),
        ("Tahun Anggaran 2025", "2025"),
    ],
)
def test_periods_as_people_write_them(text, expected):
    assert parse_periode(text) == expected
    assert Periode(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025-13",
        "2025-TW5",
        "Triwulan V 2025",
        "Semester I 2025",
        "Januari - Februari 2025",  # two months: no period of the contract
        "Februari - April 2025",  # three months across two quarters
        "Semester 1 2025",
        "2025-01",
        "01/2025",
        "Januari 2025",
        "Bulan Januari 2025",
        "TW12025",  # the quarter's digit runs into the year
        "Tahunan 2025 TW1",
        "TW1",
        "Tahunan",
        "1899",
        "2101",
        "2025.5",
        "20255",
        "",
        "   ",
        "Triwulan I dan II 2025",
        None,
        float("nan"),
        True,
    ],
)
def test_a_period_is_refused_when_it_is_not_one_of_the_contract(text):
    assert parse_periode(text) is None


def test_an_unreadable_period_still_raises_the_periode_error():
    with pytest.raises(PeriodeError, match="Semester"):
        Periode("Semester I 2025")


_MARKS = ["TW", "tw", "Triwulan", "TRIWULAN", "Trw", "Q", "Kuartal"]
_NUMERALS = {1: ["1", "I", "i", "Pertama"], 2: ["2", "II"], 3: ["3", "III"], 4: ["4", "IV", "iv"]}
_SEPARATORS = [" ", "-", " - ", "/", "  ", ". "]


@settings(max_examples=300, deadline=None)
@given(
    year=st.integers(1900, 2100),
    quarter=st.integers(1, 4),
    data=st.data(),
)
def test_any_quarter_written_in_any_accepted_shape_reads_back(year, quarter, data):
    mark = data.draw(st.sampled_from(_MARKS))
    numeral = data.draw(st.sampled_from(_NUMERALS[quarter]))
    sep = data.draw(st.sampled_from(_SEPARATORS))
    tahun = data.draw(st.sampled_from(["", "Tahun ", "TAHUN "]))
    shape = data.draw(st.sampled_from(["quarter first", "year first"]))
    text = (
        f"{mark}{sep}{numeral}{sep}{tahun}{year}"
        if shape == "quarter first"
        else f"{tahun}{year}{sep}{mark}{sep}{numeral}"
    )
    assert parse_periode(text) == f"{year}-TW{quarter}"
    assert parse_periode_parts(f"{mark} {numeral}", year) == f"{year}-TW{quarter}"


@settings(max_examples=200, deadline=None)
@given(year=st.integers(1900, 2100), month=st.integers(1, 12), data=st.data())
def test_a_month_is_never_a_period_but_is_a_month(year, month, data):
    name = data.draw(st.sampled_from([n for n, m in MONTHS.items() if m == month]))
    forms = [
        f"{name.title()} {year}",
        f"{name} {year}",
        f"Bulan {name.lower()} {year}",
        f"{year}-{month:02d}",
        f"{month:02d}/{year}",
        f"{month}/{year}",
    ]
    for text in forms:
        assert parse_periode(text) is None, text
        assert parse_month(text) == (year, month), text
    assert quarter_of_month(year, month) == f"{year}-TW{(month - 1) // 3 + 1}"


@pytest.mark.parametrize(
    ("text", "tahun", "expected"),
    [
        ("Triwulan I", 2025, "2025-TW1"),
        ("Tahunan", "2025", "2025"),
        ("Tahun", 2025, "2025"),
        ("TW 4", 2025.0, "2025-TW4"),
        ("Q2", "2025.0", "2025-TW2"),
        ("tw iii", np.int64(2025), "2025-TW3"),
        ("Triwulan II", "Tahun 2025", "2025-TW2"),
        ("2025-TW2", 2025, "2025-TW2"),  # the period has its year, and it agrees
        ("2025-TW2", None, "2025-TW2"),
        ("TW1 2024", 2025, None),  # two different years
        ("2024", 2025, None),
        ("Triwulan I", None, None),  # no year anywhere
        ("Triwulan I", float("nan"), None),
        ("Triwulan I", "dua ribu", None),
        ("Triwulan I", 2025.5, None),
        ("Triwulan I", True, None),
        ("Triwulan I", 1850, None),
        ("I", 2025, None),  # without its marker, a numeral may be a semester's
        ("1", 2025, None),
        ("Semester I", 2025, None),
        ("Januari", 2025, None),
        (None, 2025, None),
    ],
)
def test_a_period_and_its_year_in_two_columns(text, tahun, expected):
    assert parse_periode_parts(text, tahun) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Januari 2025", (2025, 1)),
        ("Jan 2025", (2025, 1)),
        ("JANUARI 2025", (2025, 1)),
        ("jan. 2025", (2025, 1)),
        ("2025-01", (2025, 1)),
        ("2025/1", (2025, 1)),
        ("01/2025", (2025, 1)),
        ("1-2025", (2025, 1)),
        ("Bulan Januari 2025", (2025, 1)),
        ("Bulan: Januari 2025", (2025, 1)),
        ("Januari Tahun 2025", (2025, 1)),
        ("January 2025", (2025, 1)),
        ("2025 Desember", (2025, 12)),
        ("Mei 2025", (2025, 5)),
        ("May 2025", (2025, 5)),
        ("Agustus 2025", (2025, 8)),
        ("Ags 2025", (2025, 8)),
        ("Agt 2025", (2025, 8)),
        ("Nopember 2025", (2025, 11)),
        ("Pebruari 2025", (2025, 2)),
        (pd.Timestamp("2025-03-01"), (2025, 3)),
        (dt.date(2025, 3, 1), (2025, 3)),
        (dt.date(2025, 3, 2), None),  # a day, not a month
        (dt.datetime(2025, 3, 1, 8), None),
        ("2025-13", None),
        ("13/2025", None),
        ("00/2025", None),
        ("Jan-25", (2025, 1)),  # Excel's mmm-yy display of a month
        ("2025", None),
        ("Januari", None),
        ("Triwulan I 2025", None),
        ("Foo 2025", None),
        ("Januari 1850", None),
        (202501, None),
        (None, None),
    ],
)
def test_months_as_attendance_machines_write_them(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize("month", [0, 13, -1])
def test_a_month_out_of_range_has_no_quarter(month):
    with pytest.raises(ValueError, match="bulan"):
        quarter_of_month(2025, month)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Periode: Triwulan I 2025", "2025-TW1"),
        ("TRIWULAN I TAHUN 2025", "2025-TW1"),
        ("Periode: 2025", "2025"),
        ("Periode: 01/01/2025 s.d. 31/03/2025", "2025-TW1"),
        ("Periode : 01/04/2025 s/d 30/06/2025", "2025-TW2"),
        ("01/07/2025 sd 30/09/2025", "2025-TW3"),
        ("1 Oktober 2025 sampai dengan 31 Desember 2025", "2025-TW4"),
        ("1 Oktober 2025 sampai 31 Desember 2025", "2025-TW4"),
        ("01-01-2025 hingga 31-12-2025", "2025"),
        ("01/01/2025 - 31/12/2025", "2025"),
        ("01-01-2025-31-03-2025", "2025-TW1"),
        ("2025-01-01 – 2025-03-31", "2025-TW1"),
        ("01 Apr 2025–30 Jun 2025", "2025-TW2"),
        ("Rabu, 01 Januari 2025 s.d. Senin, 31 Maret 2025", "2025-TW1"),
        ("Periode 1 Januari 2025 s.d. 31 Maret 2025 (Dinas Sosial)", "2025-TW1"),
        ("REKAPITULASI KEHADIRAN PEGAWAI TRIWULAN I TAHUN 2025", "2025-TW1"),
        ("Laporan Kinerja Pegawai Tahun 2025", "2025"),
        ("REKAP GURU SD NEGERI 1 TAHUN 2025", "2025"),
        ("Dinas Sosial - Triwulan II Tahun 2025", "2025-TW2"),
        ("Triwulan I 2025 (01/01/2025 s.d. 31/03/2025)", "2025-TW1"),
        # refused
        ("REKAPITULASI KEHADIRAN PEGAWAI DINAS SOSIAL", None),
        ("Periode: 01/01/2025 s.d. 28/02/2025", None),  # two months
        ("Periode: 01/01/2025 s.d. 31/03/2026", None),
        ("Periode: 02/01/2025 s.d. 31/03/2025", None),
        ("Periode: 31/03/2025 s.d. 01/01/2025", None),
        ("Kamis, 01 Januari 2025 s.d. Senin, 31 Maret 2025", None),  # 1 Jan 2025 is a Wednesday
        ("45658 - 45747", None),  # serial numbers in a title are not dates
        ("Periode: Januari 2025", None),
        ("Bulan Januari Tahun 2025", None),
        ("Semester I Tahun 2025", None),
        ("Triwulan I dan II Tahun 2025", None),
        ("Triwulan I 2025 (01/04/2025 s.d. 30/06/2025)", None),  # two different quarters
        ("Tahun 2025 - 2026", None),
        ("Laporan 2025", None),  # a bare year inside a title may be the document's
        ("Dicetak 05/04/2025", None),
        ("", None),
        (None, None),
        (2025, None),
    ],
)
def test_the_period_named_by_a_title_line(title, expected):
    assert periode_from_title(title) == expected


# -- dates ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-31", dt.date(2025, 1, 31)),
        ("2025/01/31", dt.date(2025, 1, 31)),
        ("31/01/2025", dt.date(2025, 1, 31)),
        ("31-01-2025", dt.date(2025, 1, 31)),
        ("31.01.2025", dt.date(2025, 1, 31)),
        ("1/2/2025", dt.date(2025, 2, 1)),  # day first, always
        ("06/01/2025", dt.date(2025, 1, 6)),
        ("06 Januari 2025", dt.date(2025, 1, 6)),
        ("6 Januari 2025", dt.date(2025, 1, 6)),
        ("6 januari 2025", dt.date(2025, 1, 6)),
        ("6\u00a0Januari\u00a02025", dt.date(2025, 1, 6)),
        ("Senin, 06 Januari 2025", dt.date(2025, 1, 6)),
        ("Senin 06 Januari 2025", dt.date(2025, 1, 6)),
        ("Sen, 6 Jan 2025", dt.date(2025, 1, 6)),
        ("Jum'at, 31 Januari 2025", dt.date(2025, 1, 31)),
        ("Jumat, 31 Januari 2025", dt.date(2025, 1, 31)),
        ("Monday, January 6, 2025", dt.date(2025, 1, 6)),
        ("6 Jan 2025", dt.date(2025, 1, 6)),
        ("6 Jan. 2025", dt.date(2025, 1, 6)),
        ("06-Jan-25", dt.date(2025, 1, 6)),
        ("09-Jan-25", dt.date(2025, 1, 9)),
        ("06-JAN-99", dt.date(1999, 1, 6)),
        ("6 Agustus 2025", dt.date(2025, 8, 6)),
        ("6 Agu 2025", dt.date(2025, 8, 6)),
        ("6 Ags 2025", dt.date(2025, 8, 6)),
        ("6 Aug 2025", dt.date(2025, 8, 6)),
        ("6 Mei 2025", dt.date(2025, 5, 6)),
        ("6 May 2025", dt.date(2025, 5, 6)),
        ("6 Oktober 2025", dt.date(2025, 10, 6)),
        ("6 Okt 2025", dt.date(2025, 10, 6)),
        ("6 Desember 2025", dt.date(2025, 12, 6)),
        ("6 Des 2025", dt.date(2025, 12, 6)),
        ("6 Nopember 2025", dt.date(2025, 11, 6)),
        ("January 6, 2025", dt.date(2025, 1, 6)),
        ("29 Februari 2024", dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 6), dt.date(2025, 1, 6)),
        (dt.datetime(2025, 1, 6, 8), dt.date(2025, 1, 6)),
        (pd.Timestamp("2025-01-06"), dt.date(2025, 1, 6)),
        (np.datetime64("2025-01-06"), dt.date(2025, 1, 6)),
        (45663, dt.date(2025, 1, 6)),
        ("45663", dt.date(2025, 1, 6)),
        ("45663.0", dt.date(2025, 1, 6)),
        (np.int64(45663), dt.date(2025, 1, 6)),
        (32874, dt.date(1990, 1, 1)),
        (73415, dt.date(2100, 12, 31)),
        # refused
        ("31 Februari 2025", None),
        ("29 Februari 2025", None),
        ("31/04/2025", None),
        ("01/31/2025", None),  # not read month first
        ("2025-13-01", None),
        ("2025-01-32", None),
        ("31/01-2025", None),  # two different separators
        ("Selasa, 06 Januari 2025", None),  # 6 January 2025 was a Monday
        ("Tgl 06 Januari 2025", None),
        ("06 Janu 2025", None),
        ("06 Foo 2025", None),
        ("Januari 2025", None),
        ("2025", None),
        ("20250131", None),
        (32873, None),
        (73416, None),
        ("12", None),
        (12, None),
        ("", None),
        (None, None),
        (float("nan"), None),
        (pd.NaT, None),
        (True, None),
        ("2025-01-31 24:00", None),
    ],
)
def test_dates_as_indonesian_exports_write_them(value, expected):
    assert _date(value) == expected


def test_a_date_keeps_its_time_and_a_serial_its_fraction():
    dates, serial = parse_dates(
        ["2025-01-31 08:00:00", "2025-01-31T08:30", "31/01/2025 08.15", 45663.5, "45663.25"]
    )
    assert [str(d) for d in dates] == [
        "2025-01-31 08:00:00",
        "2025-01-31 08:30:00",
        "2025-01-31 08:15:00",
        "2025-01-06 12:00:00",
        "2025-01-06 06:00:00",
    ]
    assert serial.tolist() == [False, False, False, True, True]
    assert dates.dtype == "datetime64[s]"


def test_a_time_zone_is_dropped_and_the_wall_clock_kept():
    stamp = pd.Timestamp("2025-01-06 10:00", tz="Asia/Jakarta")
    assert str(parse_dates([stamp])[0].iloc[0]) == "2025-01-06 10:00:00"


def test_only_numbers_read_as_dates_are_flagged_serial():
    dates, serial = parse_dates([45663, "45663", 12, "31/01/2025", None, 99999, "abc"])
    assert serial.tolist() == [True, True, False, False, False, False, False]
    assert dates.isna().tolist() == [False, False, True, False, True, True, True]
    assert isinstance(serial, np.ndarray) and serial.dtype == bool


def test_empty_input_gives_empty_output():
    dates, serial = parse_dates([])
    assert len(dates) == 0 and dates.dtype == "datetime64[s]" and serial.shape == (0,)
    assert parse_durations([]).dtype == "float64" and len(parse_clock([])) == 0


@pytest.mark.parametrize(
    ("yy", "today", "expected"),
    [
        (25, dt.date(2025, 6, 1), 2025),
        (26, dt.date(2025, 6, 1), 2026),
        (27, dt.date(2025, 6, 1), 1927),
        (0, dt.date(2025, 6, 1), 2000),
        (99, dt.date(2025, 6, 1), 1999),
        (99, dt.date(2098, 6, 1), 2099),
    ],
)
def test_two_digit_years_are_this_century_up_to_next_year(yy, today, expected):
    assert two_digit_year(yy, today) == expected
    assert _date(f"01-Jan-{yy:02d}", today) == dt.date(expected, 1, 1)
    assert _date(f"01/01/{yy:02d}", today) == dt.date(expected, 1, 1)


def test_month_and_day_names_come_from_the_locale_data():
    for locale in ("id", "en"):
        for number, name in get_month_names("wide", locale=locale).items():
            assert month_of_name(name) == number
        for number, name in get_day_names("wide", locale=locale).items():
            assert weekday_of_name(name) == number  # Monday = 0, as Python's weekday()
    assert (month_of_name("Ags"), month_of_name("sept."), month_of_name("x")) == (8, 9, None)
    assert weekday_of_name("Jum'at") == 4 and weekday_of_name("Ahad") is None


_DAYS = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


def _written(day: dt.date, form: str, draw) -> str:
    """``day`` written in one accepted form."""
    names = [n for n, m in MONTHS.items() if m == day.month]
    month = draw(st.sampled_from(names))
    month = draw(st.sampled_from([month, month.lower(), month.title()]))
    weekday = get_day_names("wide", locale="id")[day.weekday()]
    forms = {
        "iso": f"{day:%Y-%m-%d}",
        "iso-time": f"{day:%Y-%m-%d} 00:00:00",
        "slash": f"{day:%d/%m/%Y}",
        "slash-short": f"{day.day}/{day.month}/{day.year}",
        "dash": f"{day:%d-%m-%Y}",
        "dot": f"{day:%d.%m.%Y}",
        "name": f"{day.day} {month} {day.year}",
        "name-padded": f"{day.day:02d} {month} {day.year}",
        "weekday": f"{weekday}, {day.day:02d} {month} {day.year}",
        "excel-display": f"{day.day:02d}-{month}-{day.year % 100:02d}",
        "english": f"{month} {day.day}, {day.year}",
        "serial": str((day - dt.date(1899, 12, 30)).days),
        "serial-float": f"{(day - dt.date(1899, 12, 30)).days}.0",
    }
    return forms[form]


_FORMS = [
    "iso",
    "iso-time",
    "slash",
    "slash-short",
    "dash",
    "dot",
    "name",
    "name-padded",
    "weekday",
    "excel-display",
    "english",
    "serial",
    "serial-float",
]


@settings(max_examples=150, deadline=None)
@given(days=st.lists(_DAYS, min_size=1, max_size=40), data=st.data())
def test_any_date_written_in_any_accepted_form_reads_back(days, data):
    written, forms = [], []
    for day in days:
        form = data.draw(st.sampled_from(_FORMS))
        if form == "excel-display" and two_digit_year(day.year % 100, TODAY) != day.year:
            form = "name"  # a two-digit year reads back only inside its window
        written.append(_written(day, form, data.draw))
        forms.append(form)
    dates, serial = parse_dates(written, today=TODAY)
    assert [d.date() for d in dates] == days, written
    assert serial.tolist() == [form.startswith("serial") for form in forms]


@settings(max_examples=100, deadline=None)
@given(serial=st.integers(SERIAL_RANGE[0], SERIAL_RANGE[1]))
def test_every_serial_in_range_is_its_excel_date(serial):
    expected = dt.date(1899, 12, 30) + dt.timedelta(days=serial)
    dates, flags = parse_dates([serial, float(serial), str(serial)])
    assert [d.date() for d in dates] == [expected] * 3 and flags.all()


@settings(max_examples=100, deadline=None)
@given(day=_DAYS, wrong=st.integers(1, 6))
def test_a_day_name_that_is_not_the_dates_weekday_is_refused(day, wrong):
    name = get_day_names("wide", locale="id")[(day.weekday() + wrong) % 7]
    assert (
        _date(f"{name}, {day.day} {get_month_names('wide', locale='id')[day.month]} {day.year}")
        is None
    )


# -- durations and clock times -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        (90, 90.0),
        (90.0, 90.0),
        (np.int64(45), 45.0),
        ("90", 90.0),
        ("90.0", 90.0),
        ("-5", -5.0),
        ("90 menit", 90.0),
        ("90 Menit", 90.0),
        ("90menit", 90.0),
        ("90 mnt", 90.0),
        ("90 min", 90.0),
        ("90 minutes", 90.0),
        ("90m", 90.0),
        ("2 jam", 120.0),
        ("2 JAM", 120.0),
        ("2 hours", 120.0),
        ("1 jam 30 menit", 90.0),
        ("1 jam, 30 menit", 90.0),
        ("1 jam dan 30 menit", 90.0),
        ("1,5 jam", 90.0),
        ("1.5 jam", 90.0),
        ("1j 30m", 90.0),
        ("1j30m", 90.0),
        ("30 detik", 0.5),
        ("01:30", 90.0),
        ("1:30:00", 90.0),
        ("00:45", 45.0),
        (dt.time(1, 30), 90.0),
        (dt.timedelta(minutes=90), 90.0),
        (pd.Timedelta(minutes=90), 90.0),
        # left to the caller or unreadable
        ("1,5", None),
        ("1.234,5", None),
        ("0:75", None),
        ("jam", None),
        ("satu jam", None),
        ("", None),
        (None, None),
        (True, None),
        (pd.NaT, None),
        ("90 menit 1 jam", None),
    ],
)
def test_durations_in_minutes(value, minutes):
    found = parse_durations([value]).iloc[0]
    assert np.isnan(found) if minutes is None else found == pytest.approx(minutes), found


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        ("08.00", 480.0),
        ("08:00", 480.0),
        ("8.30", 510.0),
        ("8:30", 510.0),
        ("16.15", 975.0),
        ("00:00", 0.0),
        ("23:59:30", 1439.5),
        (dt.time(7, 45), 465.0),
        (pd.Timestamp("2025-01-06 08:15"), 495.0),
        (dt.timedelta(hours=8), 480.0),
        (0.5, 720.0),
        (0.0, 0.0),
        ("24.00", None),
        ("8.60", None),
        ("8.3", None),
        ("8", None),
        (8, None),
        (1.0, None),
        (dt.timedelta(hours=25), None),
        ("jam 8", None),
        (None, None),
        (pd.NaT, None),
    ],
)
def test_clock_times_in_minutes_since_midnight(value, minutes):
    found = parse_clock([value]).iloc[0]
    assert np.isnan(found) if minutes is None else found == pytest.approx(minutes), found


# -- golongan ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("III/d", "III/d"),
        ("iii/D", "III/d"),
        ("III / d", "III/d"),
        ("IIId", "III/d"),
        ("3d", "III/d"),
        ("PPPK IX", "PPPK IX"),
        ("Pembina Utama Muda, IV/c", "IV/c"),
        ("Penata Tk.I (III/d)", "III/d"),
        ("Penata Tk. I, III/d", "III/d"),
        ("Penata Tingkat I - III/d", "III/d"),
        ("Penata TK I - III/d", "III/d"),
        ("Penata - III/c", "III/c"),
        ("Penata Muda Tk.I, III/b", "III/b"),
        ("III/d - Penata Tk.I", "III/d"),
        ("IIId - Penata Tk.I", "III/d"),
        ("Penata Tk.I III/d", "III/d"),
        ("Penata Tk.I", "III/d"),
        ("PENATA TINGKAT I", "III/d"),
        ("Penata", "III/c"),
        ("Juru Muda", "I/a"),
        ("Pengatur Muda Tk.I", "II/b"),
        ("Pembina Utama", "IV/e"),
        ("Pembina Utama Madya (IV/d)", "IV/d"),
        ("IV/e Pembina Utama", "IV/e"),
        # refused: disagreement or other text
        ("Penata, III/d", None),
        ("Penata, IIId", None),
        ("Pembina Utama (IV/d)", None),
        ("Penata Muda Tingkat I (III/c)", None),
        ("Penata Tk.I (III/d) (III/d)", None),
        ("III/d, IV/a", None),
        ("Kepala Dinas, III/d", None),
        ("Penata Utama", None),
        ("V/a", None),
        ("III/f", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_golongan_as_simpeg_writes_it(text, expected):
    assert golongan_of(text) == expected
    assert GOLONGAN.canonical(text) == expected
    assert GOLONGAN.normalise([text]) == [expected]


_TINGKAT = ["Tingkat I", "Tk.I", "Tk. I", "TK I", "tk.I"]


@settings(max_examples=200, deadline=None)
@given(
    pangkat=st.sampled_from(sorted(PANGKAT)),
    other=st.sampled_from(sorted(set(PANGKAT.values()))),
    data=st.data(),
)
def test_a_pangkat_with_its_code_in_any_shape_and_only_its_own(pangkat, other, data):
    golongan = PANGKAT[pangkat]
    written = pangkat.replace("Tingkat I", data.draw(st.sampled_from(_TINGKAT)))
    written = data.draw(st.sampled_from([written, written.upper(), written.lower()]))
    shape = data.draw(
        st.sampled_from(["{p}, {g}", "{p} ({g})", "{p} - {g}", "{g} - {p}", "{p} {g}", "{p}"])
    )
    assert golongan_of(shape.format(p=written, g=golongan)) == golongan
    expected = golongan if other == golongan or shape == "{p}" else None
    assert golongan_of(shape.format(p=written, g=other)) == expected


def test_the_vocabulary_the_loader_uses_is_unchanged():
    assert GOLONGAN.name == "golongan"
    assert GOLONGAN.values[:2] == ("I/a", "I/b") and GOLONGAN.values[-1] == "PPPK XVII"
    assert list(GOLONGAN.dtype.categories) == list(GOLONGAN.values)
    assert len(set(PANGKAT.values())) == 17 and set(PANGKAT.values()) <= set(GOLONGAN.values)


# -- IKM answers ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "element", "expected"),
    [
        (3, 1, 3),
        (3.0, 1, 3),
        ("3", 1, 3),
        ("3.0", 1, 3),
        (np.int64(2), 1, 2),
        ("a", 1, 1),
        ("C", 1, 3),
        ("c.", 1, 3),
        ("c)", 1, 3),
        ("(c)", 1, 3),
        ("( d )", 1, 4),
        ("c. Sesuai", 1, 3),
        ("C. SESUAI", 1, 3),
        ("c Sesuai", 1, 3),
        ("(c) Sesuai", 1, 3),
        ("d. Sangat sesuai", 1, 4),
        ("Sangat sesuai", 1, 4),
        ("sangat-sesuai", 1, 4),
        ("Sesuai.", 1, 3),
        ("3 - Sesuai", 1, 3),
        ("3 (Sesuai)", 1, 3),
        ("3. Sesuai", 1, 3),
        ("d. Gratis", 4, 4),
        ("Cukup mahal", 4, 2),
        ("a) Sangat mahal", 4, 1),
        ("Tidak sopan & ramah", 7, 1),
        ("Ada tetapi tidak berfungsi", 8, 2),
        ("Dikelola dengan baik", 8, 4),
        ("Cukup", 9, 2),
        ("b. Cukup", 9, 2),
        ("Baik", 9, 3),
        # refused
        ("c. Sangat sesuai", 1, None),
        ("3 - Kurang sesuai", 1, None),
        ("b. Baik", 9, None),
        ("Mudah", 1, 3),  # U2's words under U1: one scale printed under every element
        ("c. Sesuai", 2, 3),
        ("d. Sangat sesuai", 7, 4),
        ("b. Mudah", 1, None),  # the letter and the words disagree, whatever the element
        ("Lumayan", 1, None),  # no element's answer
        ("e", 1, None),
        ("5", 1, None),
        (5, 1, None),
        (0, 1, None),
        (3.5, 1, None),
        (True, 1, None),
        ("cc", 1, None),
        ("ca", 1, None),
        ("", 1, None),
        (None, 1, None),
        (float("nan"), 1, None),
    ],
)
def test_ikm_answers_as_the_questionnaire_records_them(value, element, expected):
    assert ikm_answers([value], element) == [expected]


@pytest.mark.parametrize("element", [0, 10, -1])
def test_an_ikm_element_is_one_to_nine(element):
    with pytest.raises(ValueError, match="unsur"):
        ikm_answers(["a"], element)


@settings(max_examples=200, deadline=None)
@given(element=st.integers(1, 9), score=st.integers(1, 4), other=st.integers(1, 4), data=st.data())
def test_every_answer_in_every_form_and_no_disagreement(element, score, other, data):
    letter = "abcd"[score - 1]
    words = IKM_ANSWERS[element][score - 1]
    words = data.draw(st.sampled_from([words, words.upper(), words.lower()]))
    forms = [
        score,
        float(score),
        str(score),
        letter,
        letter.upper(),
        f"{letter}.",
        f"({letter})",
        f"{letter}. {words}",
        f"{letter}) {words}",
        words,
        f"{score} - {words}",
        f"{score} ({words})",
    ]
    assert ikm_answers(forms, element) == [score] * len(forms)
    wrong_words = IKM_ANSWERS[element][other - 1]
    expected = score if other == score else None
    assert ikm_answers([f"{letter}. {wrong_words}", f"{score} - {wrong_words}"], element) == [
        expected,
        expected,
    ]
