"""Objections (keberatan) in the OPD report and the city overview (issue 14).

The fast tests build the sections from hand-made objection rows (typed by the store's own
:func:`~asn_eval.decisions.objections.objection_frame`) on the tiny hand-written dataset's people,
and read a real decisions file for a quarter of the tiny dataset. The slow ones file and answer
objections for the generated city, run the real batch (Papermill, Chromium) and read the HTML and
the PDF: the changed predikat in the roster, the answer in the section, the open one counted per
agency in the overview, nobody named under ``anonim``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from conftest import NIP_A, NIP_B, NIP_C, NIP_D, tiny_tables

from asn_eval.anonymity import Pseudonyms
from asn_eval.city_profile import load_profile
from asn_eval.decisions import OBJECTION_COLUMNS, DecisionStore
from asn_eval.decisions.objections import objection_frame
from asn_eval.input.nip import format_nip
from asn_eval.reporting.objections import AgencyObjections, city_objections
from asn_eval.reporting.sections import Section

PEGAWAI = tiny_tables()["pegawai"]  # A DINKES, B and C PKM1, D BKPSDM
NAMES = dict(zip(PEGAWAI["nip"], PEGAWAI["nama"], strict=True))
NOW = pd.Timestamp("2026-01-22T12:00:00Z")  # when the ages are counted
SKEMA = "permenpan-6-2022"
GROUNDS = (
    "Atasan <b>Budi Santoso</b> (19660801 198803 1 001) tidak membaca bukti $\\alpha$; "
    "Sari Dewi menjadi saksi"
)


def _row(
    number: int,
    nip: str,
    kode_opd: str,
    filed: str,
    grounds: str = "capaian RHK 2 belum dibaca",
    *,
    answered: str | None = None,
    after: str | None = None,
    answer: str = "bukti dibaca ulang",
    by: str = "Tim Penilai Kinerja",
    withdrawn: bool = False,
) -> tuple[object, ...]:
    """One objection as the store's query returns it (answered when ``answered`` is given)."""
    head = (number, filed, nip, "2026-TW1", SKEMA, kode_opd, "Baik", grounds, "pegawai sendiri")
    if answered is None:
        return (*head, None, None, None, None, None, None, 0)
    return (*head, number + 100, answered, "Baik", after or "Baik", answer, by, int(withdrawn))


def _rows() -> pd.DataFrame:
    return objection_frame(
        [
            _row(1, NIP_A, "DINKES", "2025-12-01T02:00:00Z"),
            _row(
                2,
                NIP_C,
                "PKM1",
                "2026-01-01T03:00:00Z",
                answered="2026-01-03T03:00:00Z",
                after="Sangat Baik",
                answer="bukti diterima, lalu ternyata tidak sah",
                withdrawn=True,
            ),
            _row(
                3,
                NIP_B,
                "PKM1",
                "2026-01-02T03:00:00Z",
                answered="2026-01-05T03:00:00Z",
                answer="capaian sudah dihitung dari bukti yang sah",
                by="Rina Wati",  # the head of the BKPSDM: another agency's employee
            ),
            _row(
                4,
                NIP_B,
                "PKM1",
                "2026-01-06T03:00:00Z",
                answered="2026-01-08T03:00:00Z",
                after="Sangat Baik",
                answer="bukti capaian 120 % diterima",
            ),
            # Filed 20.00 UTC on 10 January: 11 January in the city (WIB, WITA or WIT).
            _row(5, NIP_C, "PKM1", "2026-01-10T20:00:00Z", GROUNDS),
        ],
        NOW,
    )


def _section(rows: pd.DataFrame, **options: object) -> Section:
    mine = rows[rows["kode_opd"] == "PKM1"]
    settings = {"zona": "WIT", "aged_at": NOW, **options}
    return AgencyObjections(
        mine, PEGAWAI, "PKM1", "Puskesmas Satu", "2026-TW1", **settings
    ).section()


def _tables(section: Section) -> dict[str, pd.DataFrame]:
    return {b[0]: b[1] for b in section.blocks if isinstance(b, tuple)}


def _text(markup: str) -> str:
    """The page's text: tags out, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _people_in(page: str) -> list[str]:
    """Every NIP (bare or grouped) and name of the tiny dataset found in a page."""
    nips = list(PEGAWAI["nip"]) + list(format_nip(PEGAWAI["nip"]))
    return [n for n in [*nips, *PEGAWAI["nama"]] if n in page]


# -- the agency's section (hand-made rows) --------------------------------------------------------


def test_open_objections_are_listed_with_their_age_and_the_day_filed_in_the_citys_zone() -> None:
    section = _section(_rows())
    assert section.title == "Keberatan"
    assert section.paragraphs[0] == (
        "4 keberatan atas predikat diajukan untuk periode 2026-TW1: 1 masih terbuka, "
        "3 sudah dijawab."
    )
    assert "Umur keberatan terbuka dihitung sampai 22 Januari 2026 21.00 WIT" in " ".join(
        section.paragraphs
    )
    waiting = _tables(section)["Keberatan terbuka (belum dijawab)"]
    assert waiting.to_dict("records") == [
        {
            "No.": "#5",
            "Nama": "Andi Pratama",
            "NIP": "19900315 201503 1 003",
            "Predikat yang dipersoalkan": "Baik",
            "Diajukan": "11 Jan 2026",  # 10 January in UTC
            "Umur (hari)": 11,
            "Alasan keberatan": waiting["Alasan keberatan"].iloc[0],
        }
    ]
    grounds = waiting["Alasan keberatan"].iloc[0]
    assert grounds.startswith("Atasan <b>") and grounds.endswith(" (oleh pegawai sendiri)")
    page = section._repr_html_()
    assert "Atasan &lt;b&gt;" in page and "<b>" not in page
    assert "tex2jax_ignore" in page  # $…$ is not typeset


def test_answered_objections_say_kept_changed_or_withdrawn() -> None:
    section = _section(_rows())
    lead = " ".join(section.paragraphs)
    assert "Jawabannya: 1 predikat tetap, 2 diubah" in lead
    assert "rata-rata dijawab dalam 2,3 hari" in lead  # (2 + 3 + 2) / 3
    assert "1 perubahan itu kemudian ditarik" in lead
    answered = _tables(section)["Keberatan yang sudah dijawab"]
    assert answered["No."].tolist() == ["#4", "#3", "#2"]  # the latest answer first
    assert answered["Hasil"].tolist() == [
        "Diubah: Baik → Sangat Baik",
        "Tetap: Baik",
        "Diubah, lalu perubahannya ditarik",  # its predikat no longer applies: not named
    ]
    assert answered["Dijawab"].tolist() == ["8 Jan 2026", "5 Jan 2026", "3 Jan 2026"]
    assert answered["Jawaban"].iloc[0] == "bukti capaian 120 % diterima (oleh Tim Penilai Kinerja)"


def test_other_agencies_people_are_masked_in_the_free_text() -> None:
    section = _section(_rows())
    page = _text(section._repr_html_())
    for outsider in (NIP_A, NIP_D):  # Budi Santoso in the grounds, Rina Wati who answered
        assert NAMES[outsider] not in page
        assert outsider not in page and format_nip(pd.Series([outsider]))[0] not in page
    assert "Sari Dewi menjadi saksi" in page  # the agency's own people are named
    assert "Nama dan NIP pegawai OPD lain dalam teks keberatan dan jawaban disamarkan." in page


def test_a_pseudonymised_section_names_nobody() -> None:
    pseudonyms = Pseudonyms("00" * 32)
    section = _section(_rows(), pseudonyms=pseudonyms)
    page = section._repr_html_()
    assert _people_in(page) == [] and _people_in(_text(page)) == []
    waiting = _tables(section)["Keberatan terbuka (belum dijawab)"]
    assert waiting["Nama"].tolist() == [pseudonyms.name(NIP_C)]
    assert "NIP" not in waiting  # the pseudonym holds the code, as in the other sections
    assert pseudonyms.name(NIP_A) in waiting["Alasan keberatan"].iloc[0]  # masked, not dropped


def test_no_objection_is_one_sentence() -> None:
    empty = _rows().iloc[:0]
    section = _section(empty)
    assert section.blocks == [] and section.paragraphs == [
        "Tidak ada keberatan atas predikat pegawai Puskesmas Satu yang tercatat untuk periode "
        "2026-TW1."
    ]
    without_store = _section(empty, aged_at=None)
    assert without_store.paragraphs == [
        "Tidak ada keberatan tercatat untuk periode 2026-TW1: laporan ini dibuat tanpa berkas "
        "keputusan."
    ]


def test_the_english_section() -> None:
    section = _section(_rows(), bahasa="en")
    assert section.title == "Objections"
    tables = _tables(section)
    assert tables["Open objections (not answered)"]["Filed"].tolist() == ["11 Jan 2026"]
    assert tables["Answered objections"]["Outcome"].tolist() == [
        "Changed: Baik → Sangat Baik",
        "Kept: Baik",
        "Changed, then the change was withdrawn",
    ]
    assert "22 January 2026 21:00 WIT" in " ".join(section.paragraphs)


# -- the city overview's section ------------------------------------------------------------------


def test_the_overview_counts_open_objections_per_agency_with_their_age() -> None:
    opd = tiny_tables()["opd"]
    section = city_objections(_rows(), opd, "2026-TW1", zona="WIB", aged_at=NOW)
    assert section.title == "Keberatan per OPD"
    assert section.paragraphs[0] == (
        "5 keberatan atas predikat diajukan untuk periode 2026-TW1 di 2 OPD: 2 masih terbuka, "
        "3 sudah dijawab."
    )
    cards = next(b for b in section.blocks if isinstance(b, dict))
    assert cards == {"Keberatan": "5", "Terbuka": "2", "Dijawab": "3", "Tetap": "1", "Diubah": "2"}
    table = next(b[1] for b in section.blocks if isinstance(b, tuple))
    assert table["OPD"].tolist() == ["DINKES", "PKM1", "Jumlah"]  # the oldest open one first
    assert table["Nama"].tolist()[:2] == ["Dinas Kesehatan", "Puskesmas Satu"]
    assert table["Terbuka"].tolist() == [1, 1, 2]
    assert table["Terbuka terlama (hari)"].tolist() == [52, 11, 52]
    assert table["Umur rata-rata (hari)"].tolist() == [52, 11, 31.5]
    assert table[["Dijawab", "Tetap", "Diubah"]].values.tolist() == [
        [0, 0, 0],
        [3, 1, 2],
        [3, 1, 2],
    ]
    assert table["Perubahan ditarik"].tolist() == [0, 1, 1]
    page = section._repr_html_()
    assert _people_in(page) == [] and "Atasan" not in page  # no name, NIP or grounds
    written = _text(page)
    assert "DINKES Dinas Kesehatan 1 52 52,0 0 0 0 0" in written  # one style per column
    assert "Jumlah 2 52 31,5 3 1 2 1" in written


def test_the_overview_without_objections_says_so() -> None:
    opd = tiny_tables()["opd"]
    none = city_objections(_rows().iloc[:0], opd, "2025", aged_at=NOW)
    assert (
        none.paragraphs == ["Tidak ada keberatan atas predikat yang tercatat untuk periode 2025."]
        and none.blocks == []
    )
    kept = city_objections(_rows().iloc[2:3], opd, "2025", aged_at=NOW, bahasa="en")
    table = next(b[1] for b in kept.blocks if isinstance(b, tuple))
    assert "Changes withdrawn" not in table  # shown only when there is one
    assert table["Oldest open (days)"].isna().all()  # nothing open: a dash, not 0


# -- CityResults reads the decisions file (tiny dataset, a quarter) -------------------------------


def test_the_city_reads_its_periods_objections_and_a_batch_keeps_them(make_dataset, tmp_path):
    from asn_eval.input.dataset import load
    from asn_eval.reporting.agency import AgencyReport
    from asn_eval.reporting.results import CityResults
    from asn_eval.scoring.score import evaluate

    folder = make_dataset()
    scored = evaluate(load(folder), "2025-TW1")
    plain = CityResults.from_scored(scored)
    assert list(plain.keberatan.columns) == OBJECTION_COLUMNS and plain.keberatan.empty
    assert plain.aged_at is None
    assert AgencyReport(plain, "BKPSDM").keberatan() is None  # nothing scored, nothing filed

    path = tmp_path / "keputusan.sqlite"
    with DecisionStore(path, pegawai=scored.data.pegawai) as store:
        fields = {"alasan": "capaian RHK 1 belum dihitung", "oleh": "pegawai sendiri"}
        # Keyed by the scheme's content, by its bare name, and one of another period.
        store.file_objection(
            nip=NIP_C, periode="2025-TW1", skema=scored.skema, kode_opd="PKM1", sebelum="Baik",
            **fields,
        )  # fmt: skip
        store.file_objection(
            nip=NIP_D, periode="2025-TW1", skema=SKEMA, kode_opd="BKPSDM",
            sebelum="(tidak ada)", **fields,
        )  # fmt: skip
        store.file_objection(
            nip=NIP_B, periode="2025-TW2", skema=SKEMA, kode_opd="PKM1", sebelum="Baik", **fields
        )
    city = CityResults.from_scored(scored, keputusan=path)
    assert sorted(city.keberatan["nip"]) == sorted([NIP_C, NIP_D])
    assert (city.keberatan["waktu"] <= city.aged_at).all()
    assert (city.keberatan["umur_hari"] == 0).all()
    listed = AgencyReport(city, "PKM1").keberatan()
    assert _tables(listed)["Keberatan terbuka (belum dijawab)"]["Nama"].tolist() == ["Andi Pratama"]
    # An agency with nothing scored still lists an objection filed against "(tidak ada)".
    assert AgencyReport(city, "BKPSDM").keberatan() is not None

    batch = tmp_path / "batch"
    city.save(batch)
    opened = CityResults.open(batch)
    pd.testing.assert_frame_equal(opened.keberatan, city.keberatan)
    assert opened.aged_at == city.aged_at


# -- end to end: Papermill, Chromium, the printed PDF ---------------------------------------------


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    pages = PdfReader(path).pages
    return " ".join(
        " ".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in pages
    )


def _section_of(page: str, title: str) -> str:
    """The HTML of one report section, found by its heading."""
    found = re.search(rf"<h2>{re.escape(title)}</h2>.*?</section>", page, flags=re.S)
    assert found, title
    return found.group(0)


@pytest.fixture(scope="module")
def filed(city_400_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A decisions file for the sample city: one DLH objection changed, one open."""
    from asn_eval.input.dataset import load
    from asn_eval.scoring.score import evaluate

    scored = evaluate(load(city_400_folder), "2025")
    hasil = scored.hasil
    baik = hasil[(hasil["kode_opd"] == "DLH") & (hasil["predikat"] == "Baik")]
    changed, waiting = baik["nip"].astype("str").iloc[:2]
    people = pd.read_csv(city_400_folder / "pegawai.csv", dtype="str")
    signatory = load_profile(city_400_folder).penandatangan.nip.replace(" ", "")
    outsider = people[(people["kode_opd"] != "DLH") & (people["nip"] != signatory)].iloc[0]
    path = tmp_path_factory.mktemp("keberatan") / "keputusan.sqlite"
    with DecisionStore(path, pegawai=people) as store:
        first = store.file_objection(
            nip=changed, periode="2025", skema=scored.skema, kode_opd="DLH", sebelum="Baik",
            alasan="Laporan RHK 2 (uji coba aplikasi) belum dibaca atasan", oleh="pegawai sendiri",
        )  # fmt: skip
        store.answer_objection(
            first, sesudah="Sangat Baik", alasan="Bukti capaian RHK 2 diterima tim penilai",
            oleh="Tim Penilai Kinerja", skema=scored.skema,
        )  # fmt: skip
        opened = store.file_objection(
            nip=waiting, periode="2025", skema=scored.skema, kode_opd="DLH", sebelum="Baik",
            alasan=f"<script>x</script> rekan {outsider['nama']} ({outsider['nip']}) setuju",
            oleh="pegawai sendiri",
        )  # fmt: skip
    return {
        "path": path,
        "changed": changed,
        "granted": first,
        "waiting": waiting,
        "open": opened,
        "outsider": outsider,
    }


@pytest.mark.slow
def test_a_changed_objection_shows_in_the_next_reports(
    city_400_folder: Path, filed: dict[str, object], tmp_path: Path
) -> None:
    from asn_eval.batch.runner import run_reports

    result = run_reports(
        city_400_folder, "2025", out=tmp_path, kode_opd=["DLH"], formats=["html", "pdf"],
        keputusan=filed["path"], progress=False,
    )  # fmt: skip
    assert not result.failed, result.failed
    folder = tmp_path / "2025"
    page = (folder / "DLH.html").read_text(encoding="utf-8")
    # The roster's row of the employee whose objection was granted: the calibrated predikat.
    changed = format_nip(pd.Series([filed["changed"]]))[0]
    rows = re.findall(r"<tr><td class=.asn-angka-sel.>.*?</tr>", page, flags=re.S)
    row = next(r for r in rows if re.search(f"<span class=.asn-nip.>{changed}</span>", r))
    granted = f"Keberatan #{filed['granted']} dikabulkan: Bukti capaian RHK 2"
    assert "Sangat Baik" in row and granted in row
    section = _section_of(page, "Keberatan")
    shown = _text(section)
    assert "2 keberatan atas predikat diajukan untuk periode 2025: 1 masih terbuka" in shown
    assert "Diubah: Baik → Sangat Baik Laporan RHK 2" in shown
    assert "Bukti capaian RHK 2 diterima tim penilai (oleh Tim Penilai Kinerja)" in shown
    waiting = format_nip(pd.Series([filed["waiting"]]))[0]
    listed = rf"#{filed['open']} [^#]+ {waiting} Baik \d+ \w+ 2\d{{3}} 0 <script>x</script> rekan"
    assert re.search(listed, shown), shown  # filed today: 0 days old
    assert "&lt;script&gt;x&lt;/script&gt;" in section and "<script>x" not in page
    outsider = filed["outsider"]
    assert outsider["nama"] not in page and outsider["nip"] not in page  # masked in the grounds
    printed = _pdf_text(folder / "DLH.pdf")
    assert "Keberatan terbuka (belum dijawab)" in printed
    assert "Diubah: Baik → Sangat Baik" in printed
    assert "<script>x</script> rekan" in printed  # printed as written: text, never markup

    overview = (folder / "ikhtisar-kota.html").read_text(encoding="utf-8")
    counted = _text(_section_of(overview, "Keberatan per OPD"))
    assert "DLH Dinas Lingkungan Hidup 1 0 0 1 0 1" in counted
    people = pd.read_csv(city_400_folder / "pegawai.csv", dtype="str")
    signatory = re.sub(r"\D", "", re.search(r"NIP ([\d ]+)", _text(overview)).group(1))
    for nip in people["nip"]:
        if nip != signatory:  # the profile's signatory signs the overview
            assert nip not in overview and format_nip(pd.Series([nip]))[0] not in overview
    assert "Keberatan per OPD" in _pdf_text(folder / "ikhtisar-kota.pdf")


@pytest.mark.slow
def test_an_anonymous_report_names_nobody_in_its_objections(
    city_400_folder: Path, filed: dict[str, object], tmp_path: Path
) -> None:
    from asn_eval.batch.runner import run_reports

    result = run_reports(
        city_400_folder, "2025", out=tmp_path, kode_opd=["DLH", "DINKES"], formats=["html"],
        keputusan=filed["path"], anonim=True, progress=False,
    )  # fmt: skip
    assert not result.failed, result.failed
    page = (tmp_path / "2025" / "DLH.html").read_text(encoding="utf-8")
    section = _section_of(page, "Keberatan")
    people = pd.read_csv(city_400_folder / "pegawai.csv", dtype="str")
    for text_of in (section, _text(section)):
        assert [n for n in people["nip"] if n in text_of] == []
        assert [n for n in format_nip(people["nip"]) if n in text_of] == []
        assert [n for n in people["nama"] if n in text_of] == []
    assert len(set(re.findall(r"Pegawai [2-9A-Z]{6}", _text(section)))) >= 3  # masked, not gone
    other = (tmp_path / "2025" / "DINKES.html").read_text(encoding="utf-8")
    assert (
        "Tidak ada keberatan atas predikat pegawai Dinas Kesehatan yang tercatat untuk periode "
        "2025." in _text(_section_of(other, "Keberatan"))
    )
