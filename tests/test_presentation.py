"""Presentation mode of the review app: no NIP or name of the city's employees anywhere.

The app is built in this process on the tiny hand-written dataset (the widgets are the ones Voilà
renders; what a browser receives is each widget's synced text: HTML values, option labels,
descriptions, placeholders and tab titles). The same scan in a real browser over the sample city
is in tests/test_app.py (``test_presentation_mode_shows_no_nip_or_name``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import ipywidgets as w
import pandas as pd
import pytest
from conftest import NIP_A, NIP_B, NIP_C

from asn_eval import formatting
from asn_eval.anonymity import CODE_CLASS, NAME_HIDDEN, Masking, Pseudonyms
from asn_eval.app.review import CITY, SORTS, AppSettings, ReviewApp
from asn_eval.app.tables import NO_BREAK_HYPHEN
from asn_eval.columns import COLUMNS, column
from asn_eval.decisions import DecisionStore

KEY = "ab" * 32
PERIODE = "2025-TW1"
CODE = re.compile(r"^P-[2-9A-HJ-NP-Z]{6}$")


def grouped(nip: str) -> str:
    """A NIP as people write it: ``19900315 201503 1 003``."""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def synced(widget: w.Widget) -> list[str]:
    """Every text of a widget tree that reaches the browser (not a dropdown's kernel-side value)."""
    found: list[str] = []
    for name in ("description", "placeholder", "tooltip"):
        if isinstance(getattr(widget, name, None), str):
            found.append(getattr(widget, name))
    if isinstance(widget, w.HTML):
        found.append(widget.value)
    if hasattr(widget, "_options_labels"):
        found += list(widget._options_labels)
    if isinstance(widget, w.Tab):
        found += list(widget.titles)
    for child in getattr(widget, "children", ()):
        found += synced(child)
    return found


def leaks(text: str, people: pd.DataFrame) -> list[str]:
    """The NIPs (plain or grouped) and names of ``people`` found in ``text``."""
    found = [n for n in people["nip"] if n in text or grouped(n) in text]
    bare = {n.split(",")[0] for n in people["nama"]}
    return found + [n for n in {*people["nama"], *bare} if n in text]


@pytest.fixture
def app(make_dataset: Callable[..., Path], tmp_path: Path) -> ReviewApp:
    data = make_dataset()
    settings = AppSettings(
        data=str(data), periode=PERIODE, keputusan=str(tmp_path / "k.sqlite"), kunci=KEY
    )
    return ReviewApp(settings)


def everything_shown(app: ReviewApp) -> str:
    """Visit every agency, tab and employee as a forum would; return all the page's text."""
    seen: list[str] = []
    for opd in app.opd_picker.options:
        app.opd_picker.value = opd
        for tab in range(len(app.tabs.children)):  # a tab is drawn when opened
            app.tabs.selected_index = tab
        seen += synced(app.root)
        for _, nip in app.employee_picker.options:
            app.employee_picker.value = nip
            seen += synced(app.tabs.children[2])  # the employee's profile and decisions
    return "\n".join(seen)


def test_presentation_mode_hides_every_nip_and_name(app: ReviewApp) -> None:
    people = app.dataset.pegawai[["nip", "nama"]].astype("str")
    # A decision whose reason names two other employees, one by a grouped NIP.
    app.opd_picker.value = "PKM1"
    app.employee_picker.value = NIP_C
    app.proposal.value = "Sangat Baik"
    app.reason.value = f"dibahas dengan Sari Dewi dan Budi Santoso ({grouped(NIP_A)})"
    app._on_save(None)
    assert app.message.value.startswith("Keputusan #1 disimpan"), app.message.value
    # An objection filed by a colleague for someone else, whose grounds name a third (by NIP).
    app.employee_picker.value = NIP_B
    app.objection.grounds.value = f"atasan saya Budi Santoso ({NIP_A}) tidak membaca buktinya"
    app.objection.filer.value = "Andi Pratama"
    app.objection._on_file(None)
    assert app.objection.message.value.startswith("Keberatan #2 dicatat"), app.objection.message

    app.tabs.selected_index = 4
    assert leaks("\n".join(synced(app.root)), people)  # the scan finds them when they are there

    app.presentation.value = True
    assert "mode presentasi" in app.status.value
    assert app.export.disabled
    shown = everything_shown(app)
    assert leaks(shown, people) == []
    pseudonyms = Pseudonyms(KEY)
    # The history names the employee by the session's code, and the reason by pseudonyms.
    for nip in (NIP_A, NIP_B, NIP_C):
        assert pseudonyms.code(nip) in shown
    assert f"dibahas dengan {pseudonyms.name(NIP_B)} dan {pseudonyms.name(NIP_A)}" in shown
    # The objection on the profile and in the open list: grounds and filer by pseudonyms.
    grounds = f"atasan saya {pseudonyms.name(NIP_A)} ({pseudonyms.code(NIP_A)}) tidak"
    app.opd_picker.value = CITY
    app.tabs.selected_index = 5
    app.employee_picker.value = NIP_B
    for panel in (app.objection.listing.value, app.objection.open_list.value):
        assert grounds in re.sub(r"<[^>]+>", "", panel) and pseudonyms.name(NIP_C) in panel
    assert pseudonyms.code(NIP_B) in app.objection.open_list.value
    app.opd_picker.value = CITY
    app.tabs.selected_index = 4
    history = app.decisions.history(periode=PERIODE)
    written = formatting.timestamp(history["waktu"].iloc[0], "WIB")
    assert written.endswith(" WIB") and written in app.decision_list.value
    assert "<NA>" not in shown and "nan" not in shown.split() and "None" not in shown

    app.presentation.value = False  # and back: the forum's own view has the names again
    assert NIP_C in "\n".join(synced(app.root))


def test_search_export_and_numbers(app: ReviewApp) -> None:
    status = re.sub(r"<[^>]+>", "", app.status.value)
    assert re.search(r": 4 pegawai \(\d+,\d dtk\)$", status), status
    app.opd_picker.value = "PKM1"
    app.employee_picker.value = NIP_C
    # 60 days present of 62 working days less 1 of leave: 98,4 %; never 98.36 or <NA>.
    assert "98,4 %" in app.employee.value
    assert "<NA>" not in app.employee.value and "&lt;NA&gt;" not in app.employee.value

    app.opd_picker.value = CITY
    pseudonyms = Pseudonyms(KEY)
    app.presentation.value = True
    app.search.value = pseudonyms.code(NIP_B)[2:].lower()
    assert app.filtered()["nip"].tolist() == [NIP_B]
    app.search.value = "Sari"  # a real name finds nobody in presentation mode
    assert app.filtered().empty
    app.search.value = ""
    app.sort.value = "nama"
    order = [pseudonyms.name(n) for n in app.filtered()["nip"]]
    assert order == sorted(order)

    app._on_export(None)  # the audit workbook (real NIPs) is not offered to a forum
    assert app.download.value == ""
    assert "mode presentasi" in app.message.value


def headers(markup: str) -> list[list[str]]:
    """The header row of every table in some HTML, as a reader sees it."""
    rows = re.findall(r"<thead>(.*?)</thead>", markup, re.S)
    return [
        [html.unescape(h).replace(NO_BREAK_HYPHEN, "-") for h in re.findall(r"<th>(.*?)</th>", r)]
        for r in rows
    ]


def test_tables_show_the_headers_evaluators_say(app: ReviewApp) -> None:
    """Every table of the app's own is under the workbooks' headers (asn_eval.columns), never a
    code name; NIPs (pseudonym codes) stay on one line, notes keep a readable width."""
    app.opd_picker.value = "PKM1"
    app.employee_picker.value = NIP_C
    app.proposal.value = "Sangat Baik"
    app.reason.value = "uji judul kolom"
    app._on_save(None)
    app.tabs.selected_index = 4
    app.presentation.value = True
    app.employee_picker.value = NIP_C
    employees = ["nip", "nama", "kode_opd", "jabatan", "capaian", "skor_perilaku", "predikat"]
    employees += ["predikat_kalibrasi", "catatan"]
    assert headers(app.table.value) == [[column(c).header for c in employees]]
    assert "Predikat sesudah kalibrasi" in headers(app.table.value)[0]
    profile, decisions = headers(app.employee.value), headers(app.decision_list.value)
    assert profile[0][:2] == ["Rencana hasil kerja", "Indikator"]
    assert profile[0][-2:] == ["Capaian", "Tingkat RHK"]  # an indicator's, not the mean
    assert len(decisions) == 2 and decisions[0][2:4] == ["NIP", "Nama"]
    said = {spec.header for spec in COLUMNS.values()}
    assert [h for t in profile + decisions for h in t if h not in said] == []
    # Column 9 (notes) keeps a readable width; every pseudonym code is kept on one line, with its
    # plain hyphen (it is copied and searched as shown).
    wrapper = re.search(r"<div class='(asn-app-tabel[^']*)'>", app.table.value).group(1)
    assert wrapper.split() == ["asn-app-tabel", "asn-lebar-9"]
    codes = [Pseudonyms(KEY).code(nip) for nip in (NIP_B, NIP_C)]  # the two of PKM1
    for code in codes:
        assert f"<td><span class='{CODE_CLASS}'>{code}</span></td>" in app.table.value
    assert f"<td><span class='{CODE_CLASS}'>{codes[1]}</span></td>" in app.decision_list.value
    assert f"<span class='{CODE_CLASS}'>{codes[1]}</span>): " in app.employee.value  # heading
    assert [label for label, _ in app.sort.options] == [column(c).header for c in SORTS]
    app.sort.value = "skor_perilaku"  # sorting still works on the column's name
    assert app.filtered()["skor_perilaku"].dropna().is_monotonic_decreasing


def test_masking_text() -> None:
    people = pd.DataFrame(
        {
            "nip": ["199001012015031001", "199202022016032002", "199303032017033003"],
            "nama": ["Sari Dewi, S.E.", "Intan Utami", "Intan Utami, A.Md.Keb."],
        }
    )
    pseudonyms = Pseudonyms(KEY)
    masking = Masking(pseudonyms, people)
    said = masking.text(
        "Sari Dewi, S.E. dan Sari Dewi (19900101 201503 1 001, 199202022016032002) di Sariwangi; "
        "Intan Utami dan O&#x27;Neil 123456789012345678"
    )
    assert "Sari Dewi" not in said and "1990" not in said and "1992" not in said
    assert said.count(pseudonyms.name("199001012015031001")) == 2
    assert pseudonyms.code("199202022016032002") in said
    assert "Sariwangi" in said  # a word that begins with a name is not the name
    assert f"{NAME_HIDDEN} dan" in said  # two employees share "Intan Utami"
    assert "123456789012345678" in said  # not a NIP of the city


def test_masking_frame_pseudonymises_raters_and_free_text() -> None:
    people = pd.DataFrame({"nip": [NIP_A, NIP_B], "nama": ["Budi Santoso", "Sari Dewi"]})
    pseudonyms = Pseudonyms(KEY)
    frame = pd.DataFrame(
        {"nip_penilai": [NIP_A], "nama_penilai": ["Budi Santoso"], "alasan": ["kata Sari Dewi"]}
    )
    shown = Masking(pseudonyms, people).frame(frame)
    assert shown.iloc[0].tolist() == [
        pseudonyms.code(NIP_A),
        pseudonyms.name(NIP_A),
        f"kata {pseudonyms.name(NIP_B)}",
    ]
    assert CODE.match(shown["nip_penilai"].iloc[0])


def test_the_app_reads_the_profile_it_is_given(
    make_dataset: Callable[..., Path], tmp_path: Path
) -> None:
    data = make_dataset()
    profile = tmp_path / "lain.toml"
    profile.write_text(
        'pemerintah = "Pemerintah Kabupaten Uji"\npenyelenggara = "BKPSDM"\nzona_waktu = "WIT"\n'
        '[penandatangan]\nnama = "A"\nnip = "196608011988031001"\njabatan = "Kepala"\n'
    )
    store = tmp_path / "k.sqlite"
    settings = AppSettings(
        data=str(data), periode=PERIODE, keputusan=str(store), profil=str(profile)
    )
    app = ReviewApp(settings)
    app.opd_picker.value = "PKM1"
    app.employee_picker.value = NIP_C
    app.proposal.value = "Sangat Baik"
    app.reason.value = "uji zona waktu"
    app._on_save(None)
    app.tabs.selected_index = 4
    with DecisionStore(store) as opened:
        waktu = opened.history()["waktu"].iloc[0]
    assert formatting.timestamp(waktu, "WIT") in app.decision_list.value
    assert CITY in app.opd_picker.options


def test_an_objection_is_refused_without_grounds_filed_answered_and_changes_the_predikat(
    app: ReviewApp,
) -> None:
    """Filed on the profile against the predikat in force, listed open (age 0) in the agency
    and the city, answered with another predikat: a calibration decision everywhere after."""
    panel = app.objection
    app.opd_picker.value = "PKM1"
    app.employee_picker.value = NIP_C
    before = str(app._hasil_now.set_index("nip").loc[NIP_C, "predikat_kalibrasi"])
    assert (panel.filing.layout.display, panel.answering.layout.display) == ("flex", "none")
    assert f"atas predikat yang berlaku ({before})" in panel.listing.value

    panel.grounds.value, panel.filer.value = " .. 12 ", "Andi Pratama"
    panel._on_file(None)
    assert panel.message.value.startswith("<b>Keberatan tidak dicatat:</b> alasan keberatan wajib")
    assert "paling sedikit 3 huruf" in panel.message.value
    panel.grounds.value, panel.filer.value = "target RHK tercapai, bukti belum dibaca", " "
    panel._on_file(None)
    assert "tidak dicatat" in panel.message.value and "oleh" in panel.message.value
    assert app.decisions.objections().empty

    panel.filer.value = "Andi Pratama"
    panel._on_file(None)
    assert panel.message.value == f"Keberatan #1 dicatat atas predikat {before}."
    assert (panel.grounds.value, panel.filer.value) == ("", "")
    assert (panel.filing.layout.display, panel.answering.layout.display) == ("none", "flex")
    assert "Keberatan #1 atas predikat" in panel.listing.value and "(0 hari)" in panel.listing.value
    app.tabs.selected_index = 5
    for opd in ("PKM1", CITY):
        app.opd_picker.value = opd
        listed = re.sub(r"<[^>]+>", "|", panel.open_list.value)
        assert "1 keberatan terbuka" in listed and "yang terlama 0 hari" in listed, listed
        assert "|target RHK tercapai, bukti belum dibaca|" in listed
    assert "|PKM1|Puskesmas Satu|1|0|" in re.sub(r"\|+\s*\|*", "|", listed)  # per OPD
    app.opd_picker.value = "PKM1"
    app.flag_filter.value = "keberatan terbuka"
    assert app.filtered()["nip"].tolist() == [NIP_C]

    app.employee_picker.value = NIP_C
    after = next(label for label in app.city().skema.labels if label != before)
    panel.answer.value = "bukti capaian diterima forum"
    panel._on_answer(None)  # no outcome chosen: an answer cannot be taken back
    assert "pilih hasilnya dulu" in panel.message.value
    panel.outcome.value = after
    panel._on_answer(None)
    assert panel.message.value.startswith("Jawaban #2 atas keberatan #1 dicatat: predikat menjadi")
    app.flag_filter.value = "semua"
    row = app.filtered().set_index("nip").loc[NIP_C]
    assert (row["predikat"], row["predikat_kalibrasi"], row["dikalibrasi"]) == (
        before,
        after,
        True,
    )
    app.employee_picker.value = NIP_C
    assert f"Dikalibrasi di forum: {after} (Keberatan #1 dikabulkan: bukti capaian" in (
        html.unescape(app.employee.value)
    )
    assert (panel.filing.layout.display, panel.answering.layout.display) == ("flex", "none")
    app.tabs.selected_index = 4
    assert "Keberatan #1 dikabulkan: bukti capaian diterima forum" in app.decision_list.value
    app.tabs.selected_index = 5
    assert "Tidak ada keberatan terbuka di PKM1, periode 2025-TW1." in panel.open_list.value
    assert "Sudah dijawab: 1, 1 di antaranya mengubah predikat" in panel.open_list.value
    assert "<table" not in panel.open_list.value

    # A second objection, answered with the predikat kept: nothing changes but the record.
    app.tabs.selected_index = 2
    panel.grounds.value, panel.filer.value = "predikat baru pun belum cukup", "Andi Pratama"
    panel._on_file(None)
    assert panel.message.value == f"Keberatan #3 dicatat atas predikat {after}."
    panel.outcome.value = ""  # the first option: tetap (<the predikat in force>)
    assert panel.outcome.label == f"tetap ({after})"
    panel._on_answer(None)  # without an answer
    assert "Jawaban tidak dicatat:</b> jawaban wajib diisi" in panel.message.value
    panel.answer.value = "sudah dipertimbangkan pada jawaban sebelumnya"
    panel._on_answer(None)
    assert panel.message.value == f"Jawaban #4 atas keberatan #3 dicatat: predikat tetap {after}."
    assert app.filtered().set_index("nip").loc[NIP_C, "predikat_kalibrasi"] == after
    assert app.decisions.objections(nip=NIP_C)["hasil"].tolist() == ["diubah", "tetap"]

    # Someone the computation gave no predikat: both forms work from '(tidak ada)'.
    app.employee_picker.value = NIP_B
    panel.grounds.value, panel.filer.value = "SKP saya belum terbaca", "Sari Dewi"
    panel._on_file(None)
    assert panel.message.value == "Keberatan #5 dicatat atas predikat (tidak ada)."
    app.proposal.value, app.reason.value = "Baik", "SKP diserahkan di forum"
    app._on_save(None)
    assert app.message.value == "Keputusan #6 disimpan.", app.message.value
    assert app.filtered().set_index("nip").loc[NIP_B, "predikat_kalibrasi"] == "Baik"
