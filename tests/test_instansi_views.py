"""What people see of a dataset with many instansi: the app's pickers and names (issue 15).

In-process, on the hand-written two-government dataset of ``test_instansi`` (each with a DINKES
and a PKM1 of the same codes): the app offers an instansi picker above the OPD picker, names OPDs
``Dinas Kesehatan (DINKES) — Kota Sukamaju`` and narrows every city-wide view to the chosen
instansi. A single city shows no instansi picker and its bare codes, as before.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pytest

import asn_eval
from asn_eval.app.review import ALL_INSTANSI, CITY, AppSettings, ReviewApp
from asn_eval.reporting.opd_names import OpdNames, short_instansi
from tests.conftest import write_tables
from tests.test_instansi import CITIES, province_tables

PERIODE = "2025-TW1"
SKM, MKM = "KOTA-SKM", "KAB-MKM"


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tables(province_tables(), tmp_path_factory.mktemp("prov") / "data")


def _app(data: Path, tmp_path: Path, **settings) -> ReviewApp:
    keputusan = str(tmp_path / "k.sqlite")
    return ReviewApp(AppSettings(data=str(data), periode=PERIODE, keputusan=keputusan, **settings))


def _labels(dropdown: w.Dropdown) -> list[str]:
    return [o[0] if isinstance(o, tuple) else o for o in dropdown.options]


def test_opd_names_for_people(province, make_dataset):
    names = OpdNames(asn_eval.load(province).tables)
    assert names.many and names.code(f"{MKM}/PKM1") == "PKM1"
    assert names.label(f"{MKM}/PKM1") == "Puskesmas Satu (PKM1) — Kabupaten Makmur"
    assert names.label(f"{MKM}/PKM1", instansi=False) == "Puskesmas Satu (PKM1)"
    assert short_instansi("Badan Kepegawaian Negara") == "Badan Kepegawaian Negara"
    city = OpdNames(asn_eval.load(make_dataset()).tables)
    code = next(iter(city.names))
    assert not city.many and city.code(code) == code and "—" not in city.label(code)


def test_the_app_picks_an_instansi_then_its_opds(province, tmp_path):
    app = _app(province, tmp_path)
    pickers = app.root.children[1]
    assert pickers.children == (app.instansi_picker,)  # above the row with the OPD picker
    assert app.instansi_picker.options == (
        (ALL_INSTANSI, None),
        ("Pemerintah Kota Sukamaju", SKM),
        ("Pemerintah Kabupaten Makmur", MKM),
    )
    assert _labels(app.opd_picker) == [
        "(semua instansi)",
        "Dinas Kesehatan (DINKES) — Kota Sukamaju",
        "Puskesmas Satu (PKM1) — Kota Sukamaju",
        "Dinas Kesehatan (DINKES) — Kabupaten Makmur",
        "Puskesmas Satu (PKM1) — Kabupaten Makmur",
    ]
    assert len(app._hasil_now) == 6 and "semua instansi" in app.status.value
    table = app.table.value
    assert "KOTA-SKM/" not in table and "Kabupaten Makmur" in table  # own code, instansi beside

    app.instansi_picker.value = MKM
    assert app.opd_picker.value == CITY
    assert _labels(app.opd_picker) == [
        "(seluruh Kabupaten Makmur)",
        "Dinas Kesehatan (DINKES) — Kabupaten Makmur",
        "Puskesmas Satu (PKM1) — Kabupaten Makmur",
    ]
    assert sorted(app._hasil_now["nip"]) == sorted(CITIES[MKM]["nip"])
    assert app.city().instansi == MKM  # the city-wide views are of Makmur alone
    assert "Pemerintah Kabupaten Makmur" in app.status.value
    app.tabs.selected_index = 3  # raters: Makmur's raters only
    shown = " ".join(v.value for v in (app.cards, app.curve, app.table, app.raters))
    assert "Kabupaten Makmur" in shown
    assert "Kota Sukamaju" not in shown
    assert not any(nip in shown for nip in CITIES[SKM]["nip"])

    app.opd_picker.value = f"{MKM}/PKM1"
    assert sorted(app._hasil_now["nip"]) == sorted(CITIES[MKM]["nip"][1:])
    assert "Puskesmas Satu (PKM1) — Kabupaten Makmur" in app.status.value
    assert app.city().instansi is None  # an OPD is seen against the whole, as in its report

    app.instansi_picker.value = None
    assert app.opd_picker.value == CITY and len(app._hasil_now) == 6


def test_decisions_and_objections_follow_the_instansi(province, tmp_path):
    app = _app(province, tmp_path)
    nurse = CITIES[SKM]["nip"][2]
    app.decisions.record(
        nip=nurse,
        periode=str(app.periode),
        skema=app.city().skema,
        kode_opd=f"{SKM}/PKM1",
        sebelum=str(app._hasil_now.set_index("nip").loc[nurse, "predikat_kalibrasi"]),
        sesudah="Sangat Baik",
        alasan="bukti tambahan dari forum",
        oleh="forum",
    )
    app.tabs.selected_index = 4
    app.instansi_picker.value = SKM
    app.tabs.selected_index = 0
    app.tabs.selected_index = 4
    assert nurse in app.decision_list.value
    app.instansi_picker.value = MKM
    app.tabs.selected_index = 0
    app.tabs.selected_index = 4
    assert nurse not in app.decision_list.value
    app.tabs.selected_index = 5
    assert "di Pemerintah Kabupaten Makmur" in app.objection.open_list.value


def test_an_app_restricted_to_one_opd_shows_its_instansi(province, tmp_path):
    app = _app(province, tmp_path, opd=f"{MKM}/DINKES")
    assert app.instansi_picker.disabled and app.instansi_picker.value == MKM
    assert app.opd_picker.disabled
    assert _labels(app.opd_picker) == ["Dinas Kesehatan (DINKES) — Kabupaten Makmur"]
    assert list(app._hasil_now["nip"]) == [CITIES[MKM]["nip"][0]]


def test_a_single_city_app_has_no_instansi_picker(make_dataset, tmp_path):
    app = _app(make_dataset(), tmp_path)
    pickers = app.root.children[1]
    assert pickers.children[2] is app.opd_picker and len(app.root.children) == 4  # as before
    assert app.opd_picker.options[0] == CITY and all(
        isinstance(o, str) for o in app.opd_picker.options
    )
    assert "seluruh kota" in app.status.value


def test_the_index_groups_reports_by_instansi(tmp_path):
    from asn_eval.batch.manifest import JobResult, write_index

    def job(name: str, kode: str = "") -> JobResult:
        return JobResult(name, kode, "berhasil", 1.0, [f"{name}.html"])

    results = [job("ikhtisar-kota"), job(f"ikhtisar-{SKM}"), job(f"ikhtisar-{MKM}")]
    results += [job(f"{k}-DINKES", f"{k}/DINKES") for k in (SKM, MKM)]
    about = {"periode": "2025", "skema": "permenpan-6-2022", "dibuat": "2026-11-29T16:32:30"}
    names = {f"{k}/DINKES": "Dinas Kesehatan" for k in (SKM, MKM)}
    names |= {"ikhtisar-kota": "Ikhtisar semua instansi", f"ikhtisar-{MKM}": "Ikhtisar Makmur"}
    groups = {k: (CITIES[k]["nama"], f"ikhtisar-{k}") for k in (SKM, MKM)}
    write_index(tmp_path, results, about, names, 3.0, groups)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    parts = page.split("<h2>")
    assert len(parts) == 3 and "ikhtisar-kota.html" in parts[0]
    assert parts[1].startswith("Pemerintah Kota Sukamaju</h2>")
    makmur = parts[2]
    assert makmur.startswith("Pemerintah Kabupaten Makmur</h2>")
    assert makmur.index(f"ikhtisar-{MKM}.html") < makmur.index(f"{MKM}-DINKES.html")
    assert "<td>DINKES</td><td>Dinas Kesehatan</td>" in makmur and f"{SKM}" not in makmur
    assert f"<td>{MKM}/DINKES</td>" not in page  # the key stays in file names only
    write_index(tmp_path / "kota", [job("ikhtisar-kota"), job("DLH", "DLH")], about, {}, 3.0)
    single = (tmp_path / "kota" / "index.html").read_text(encoding="utf-8")
    assert "<h2>" not in single and single.count("<table>") == 1
    assert "<td>DLH</td>" in single


# -- reports ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def scored(province):
    from asn_eval.reporting.results import CityResults

    return CityResults.compute(province, PERIODE)


def test_the_overview_of_all_says_instansi_and_names_opds_by_their_own_code(scored):
    from asn_eval.reporting.overview import CityOverview

    overview = CityOverview(scored)
    assert overview.sampul().subject == "Seluruh OPD dari 2 instansi (4 OPD)"
    assert overview.ringkasan().title == "Ikhtisar semua instansi"
    assert overview.nasional().title == "Semua instansi dibanding kenyataan nasional"
    ranking = next(b for b in overview.peringkat().blocks if isinstance(b, tuple))[1]
    assert list(ranking.columns[:3]) == ["OPD", "Instansi", "Nama"]
    assert sorted(ranking["OPD"]) == ["DINKES", "DINKES", "PKM1", "PKM1"]
    assert set(ranking["Instansi"]) == {"Kota Sukamaju", "Kabupaten Makmur"}  # short names
    assert "Dibanding rata-rata semua instansi" in ranking.columns
    english = CityOverview(scored, bahasa="en")
    assert english.ringkasan().title == "Overview of all governments"
    assert english.sampul().subject == "Agencies of 2 governments"
    every = " ".join(str(s.paragraphs) for s in (overview.peringkat(), overview.nasional()))
    assert "Rata-rata semua instansi" in every and "Semua instansi:" in every
    assert "kota" not in every.lower().replace("kota sukamaju", "")
    one = CityOverview(scored.for_instansi(MKM))  # one instansi's overview is a city's
    assert one.ringkasan().title == "Ikhtisar kota"
    assert one.sampul().subject == "Seluruh perangkat daerah (2 OPD)"
    mine = next(b for b in one.peringkat().blocks if isinstance(b, tuple))[1]
    assert "Instansi" in mine.columns and set(mine["OPD"]) == {"DINKES", "PKM1"}


def test_an_agency_report_names_its_opd_and_instansi(scored, tmp_path, city_400_folder):
    from dataclasses import replace

    from asn_eval.city_profile import load_profile
    from asn_eval.reporting.agency import AgencyReport

    report = AgencyReport(scored, f"{MKM}/PKM1")
    assert report.sampul().subject == "Puskesmas Satu (PKM1) — Kabupaten Makmur"
    assert report.ringkasan().title == "Ringkasan: Puskesmas Satu (PKM1) — Kabupaten Makmur"
    assert "Semua instansi" in str(report.distribusi().blocks)  # compared with every instansi
    profile = load_profile(city_400_folder / "profil.toml")  # the sample generator's profile
    assert profile is not None and profile.pemerintah != "Pemerintah Kabupaten Makmur"
    cover = AgencyReport(replace(scored, profil=profile), f"{MKM}/PKM1").sampul()
    assert cover.profil.pemerintah == "Pemerintah Kabupaten Makmur"  # the OPD's government
    assert cover.profil.penyelenggara == profile.penyelenggara


def test_the_overview_counts_objections_per_opd_by_its_name(province, scored, tmp_path):
    from asn_eval.decisions import DecisionStore
    from asn_eval.reporting.overview import CityOverview
    from asn_eval.reporting.results import CityResults

    nurse = CITIES[MKM]["nip"][2]
    path = tmp_path / "k.sqlite"
    row = scored.hasil[scored.hasil["nip"].astype(str) == nurse].iloc[0]
    with DecisionStore(path, pegawai=scored.data) as store:
        store.file_objection(
            nip=nurse,
            periode=PERIODE,
            skema=scored.skema,
            kode_opd=f"{MKM}/PKM1",
            sebelum=str(row["predikat"]),
            alasan="bukti pelayanan tidak dihitung",
            oleh="pegawai",
        )
    city = CityResults.compute(province, PERIODE, keputusan=path)
    table = next(b for b in CityOverview(city).keberatan().blocks if isinstance(b, tuple))[1]
    assert table.iloc[0, 0] == "PKM1 (Kabupaten Makmur)" and table.iloc[0, 1] == "Puskesmas Satu"
