"""The review app end to end: `asn-eval app` (Voilà, preheated kernel) driven by real Chromium.

Two real servers for the module, each with its own decisions file: the whole city, and one
restricted with ``--opd DLH``. One headless Chromium; every request that would leave 127.0.0.1 is
blocked and recorded. Nothing is mocked: the page talks to a real kernel over a websocket, and the
tests wait for the app's status line to change instead of sleeping.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pandas as pd
import psutil
import pytest
from conftest import BROWSER_ACTION_MS, Browser, listening_ports, server_preexec
from playwright.sync_api import expect

from asn_eval.app.tables import NO_BREAK_HYPHEN
from asn_eval.columns import column
from asn_eval.decisions import DecisionStore

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("ASN_EVAL_SKIP_BROWSER") == "1",
        reason="ASN_EVAL_SKIP_BROWSER=1: tes peramban dilewati",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
PERIODE = "2025"
OPD = "DLH"
CITY = "(seluruh kota)"
WIDEN = "opd=DINKES&kode_opd=DINKES&ASN_EVAL_APP_OPD=DINKES&periode=2025-TW1"  # after the token
LOAD_S = 150  # server start, data load and the first (preheated) render, on a busy machine
ACTION_MS = BROWSER_ACTION_MS
LABELS = {"Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"}
READ = ("nip", "nama", "kode_opd", "predikat", "predikat_kalibrasi", "predikat_sesudah", "id")
READ += ("jenis", "merujuk", "status", "waktu", "alasan", "catatan", "rhk", "indikator")
READ += ("alasan_keberatan", "umur_hari", "n_keberatan_terbuka")
NAMES = {column(name).header: name for name in READ}
"""The columns the tests read, by the headers evaluators see (asn_eval.columns) → their names."""
TABS = ("Ringkasan", "Pegawai", "Profil pegawai", "Penilai", "Keputusan", "Keberatan")
READY = re.compile(r"siap di (http://127\.0\.0\.1:(\d+)/)\?token=([0-9a-f]+)")


# -- servers -------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """``python -m asn_eval app`` as a subprocess: started, waited for, stopped with Ctrl-C."""

    def __init__(self, data: Path, work: Path, *extra: str) -> None:
        work.mkdir(parents=True)
        self.port = _free_port()
        self.decisions = work / "keputusan.sqlite"
        self.out = work / "server.out"
        self.err = work / "server.err"
        command = [sys.executable, "-m", "asn_eval", "app", str(data), "--periode", PERIODE]
        command += ["--port", str(self.port), "--keputusan", str(self.decisions), *extra]
        command += ["--kernel-siap", "1"]  # one preheated kernel is enough for one page
        env = {**os.environ, "ASN_EVAL_CACHE": str(work.parent / "cache")}
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                command,
                stdout=out,
                stderr=err,
                env=env,
                start_new_session=True,  # a Ctrl-C meant for pytest does not reach it
                preexec_fn=server_preexec,  # Ctrl-C works; it dies with the test run
            )
        self.url = self.base = self.token = ""

    def logs(self) -> str:
        return f"stdout:\n{self.out.read_text()}\nstderr:\n{self.err.read_text()[-3000:]}"

    def wait_ready(self) -> None:
        """Wait for "… siap di http://127.0.0.1:N/?token=T" and check that N is this server's."""
        deadline = time.monotonic() + LOAD_S
        while not (found := READY.search(self.out.read_text())):
            if self.process.poll() is not None:
                pytest.fail(f"asn-eval app berhenti ({self.process.returncode})\n{self.logs()}")
            if time.monotonic() > deadline:
                pytest.fail(f"asn-eval app tidak siap dalam {LOAD_S} dtk\n{self.logs()}")
            time.sleep(0.2)
        self.base, self.token = found.group(1), found.group(3)
        self.url = f"{self.base}?token={self.token}"
        assert int(found.group(2)) == self.port, self.logs()
        # The printed port must be served by our Voilà, not by whatever else listens there.
        listening = listening_ports(self.process.pid)
        assert self.port in listening, (listening, self.logs())
        # It answers. (Not "/": every request for the page starts a kernel that runs the app.)
        with urllib.request.urlopen(self.base + "voila/static/voila.js", timeout=10) as answer:
            assert answer.status == 200

    def interrupt(self) -> None:
        """Ctrl-C (SIGINT), as a user would; :meth:`finish` waits for the end."""
        try:
            self._tree = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            self._tree = []
        self.process.send_signal(signal.SIGINT)

    def finish(self) -> list[str]:
        """Wait for the server and its kernels to end (kill only as a fallback); list problems."""
        wrong: list[str] = []
        try:
            code = self.process.wait(timeout=30)
            if code != 0:
                wrong.append(f"kode keluar {code}")
        except subprocess.TimeoutExpired:
            wrong.append("tidak berhenti dalam 30 dtk setelah SIGINT")
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        _, alive = psutil.wait_procs(self._tree, timeout=15)
        for process in alive:
            try:
                wrong.append(f"proses tertinggal: {process.pid} {process.cmdline()[:4]}")
                process.kill()
            except psutil.Error:  # it ended meanwhile
                pass
        if "dihentikan" not in self.out.read_text():
            wrong.append("tidak mencetak 'dihentikan'")
        return wrong


@pytest.fixture(scope="module")
def city(city_400_folder: Path) -> Path:
    return city_400_folder  # only read: the servers never write into their data folder


@pytest.fixture(scope="module")
def people(city: Path) -> pd.DataFrame:
    return pd.read_csv(city / "pegawai.csv", dtype="str")


@pytest.fixture(scope="module")
def servers(city: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, AppServer]]:
    """Both servers, started together (the slow part is theirs, not ours), stopped at the end."""
    work = tmp_path_factory.mktemp("app")
    started: dict[str, AppServer] = {}
    try:  # whatever fails, every server started so far is stopped
        started["kota"] = AppServer(city, work / "kota")
        started[OPD] = AppServer(city, work / OPD.lower(), "--opd", OPD)
        for server in started.values():
            server.wait_ready()
        yield started
    finally:
        for server in started.values():
            server.interrupt()
        wrong = {name: server.finish() for name, server in started.items()}
    assert not any(wrong.values()), wrong


@pytest.fixture(scope="module")
def city_server(servers: dict[str, AppServer]) -> AppServer:
    return servers["kota"]


@pytest.fixture(scope="module")
def dlh_server(servers: dict[str, AppServer]) -> AppServer:
    return servers[OPD]


def _open(browser: Browser, url: str):
    page = browser.context.new_page()
    page.goto(url, timeout=LOAD_S * 1000)
    _status(page).wait_for(timeout=LOAD_S * 1000)
    return page


@pytest.fixture(scope="module")
def city_page(browser: Browser, city_server: AppServer):
    page = _open(browser, city_server.url)
    yield page
    page.close()


@pytest.fixture(scope="module")
def dlh_page(browser: Browser, dlh_server: AppServer):
    """Opened with an address that asks for another agency: settings come from the command only."""
    page = _open(browser, f"{dlh_server.url}&{WIDEN}")
    yield page
    page.close()


# -- reading and driving the page ----------------------------------------------------------------
_STATUS_CHANGED = """before => {
    const line = [...document.querySelectorAll('small')]
        .find(e => e.textContent.includes('pegawai ('));
    return line !== undefined && line.textContent !== before;
}"""


def _status(page):
    return page.locator("small", has_text="pegawai (")


def _after_status_changes(page, action: Callable[[], object]) -> str:
    """Do ``action`` and wait until the app's status line is back, different."""
    before = _status(page).inner_text()
    action()
    page.wait_for_function(_STATUS_CHANGED, arg=before)
    return _status(page).inner_text()


def _exactly(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def _dropdown(page, description: str):
    label = page.locator("label", has_text=_exactly(description))
    return page.locator(".widget-dropdown").filter(has=label).locator("select")


def _options(select) -> list[str]:
    return [t.replace("\xa0", " ") for t in select.locator("option").all_inner_texts()]


def _choose(select, text: str, *, exact: bool = False) -> None:
    """Select the option equal to (or containing) ``text``, once the kernel has offered it."""
    deadline = time.monotonic() + ACTION_MS / 1000
    while True:
        options = _options(select)
        hits = [i for i, o in enumerate(options) if (o == text if exact else text in o)]
        if hits:
            break
        assert time.monotonic() < deadline, (text, options)
        time.sleep(0.05)
    select.select_option(index=hits[0])


def _tab(page, title: str):
    page.locator(".lm-TabBar-tab").filter(has_text=_exactly(title)).click()
    return page.locator(".widget-tab-contents > :not(.lm-mod-hidden)")


def _button(page, text: str):
    return page.locator("button.widget-button", has_text=_exactly(text))


def _html_widget(page, text: str):
    return page.locator(".widget-html-content", has_text=text)


_TABLES = """roots => roots.flatMap(root => [...root.querySelectorAll('table')].map(t => [
    [...t.querySelectorAll('thead th')].map(c => c.textContent.trim()),
    [...t.querySelectorAll('tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim())),
]))"""


_CELLS = """(table, names) => {
    const heads = [...table.querySelectorAll('thead th')].map(c => c.textContent.trim());
    return [...table.querySelectorAll('tbody tr')].map(row => names.map(name => {
        const cell = row.cells[heads.indexOf(name)];
        const range = document.createRange();
        range.selectNodeContents(cell);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        const em = parseFloat(getComputedStyle(cell).fontSize);
        return [cell.textContent.trim(), lines, cell.getBoundingClientRect().width / em];
    }));
}"""
"""For each row, the cells under the headers ``names``: text, lines it takes, width in em."""


def _message(page):
    """The decision form's message line (the last widget of the form)."""
    form = (
        _tab(page, "Profil pegawai")
        .locator(".widget-vbox")
        .filter(has=page.locator("h3", has_text="Keputusan kalibrasi"))
        .last
    )
    return form.locator(":scope > .widget-html").last.locator(".widget-html-content")


def _reason(page):
    """The calibration form's reason (the page has other text areas: objections, answers)."""
    return page.get_by_placeholder("alasan (wajib)", exact=True)


def _objection_panel(page):
    """The Keberatan panel of the profile (its heading, list, forms and message)."""
    return (
        _tab(page, "Profil pegawai")
        .locator(".widget-vbox")
        .filter(has=page.locator("h3", has_text=_exactly("Keberatan")))
        .last
    )


def _objection_message(page):
    """The objection panel's message line (the last widget of the panel)."""
    last = _objection_panel(page).locator(":scope > .widget-html").last
    return last.locator(".widget-html-content")


def _open_list(page):
    """The Keberatan tab's list (opened)."""
    tab = _tab(page, "Keberatan")
    return tab.locator(".widget-html-content").filter(has_text="Keberatan terbuka")


def _tables(locator) -> list[pd.DataFrame]:
    """Every table inside the elements ``locator`` finds, as text, its columns named for code.

    The page's headers are the evaluators' (``Predikat sesudah kalibrasi``); those of
    :data:`READ` are mapped back to their names (``predikat_kalibrasi``). A code name on the
    page fails here.
    """
    found = []
    for head, rows in locator.evaluate_all(_TABLES):
        head = [h.replace(NO_BREAK_HYPHEN, "-") for h in head]
        assert not [h for h in head if h in READ], head  # a code name shown to evaluators
        width = len(rows[0]) if rows else len(head)
        frame = pd.DataFrame(rows, columns=head[-width:] if width else head)
        found.append(frame.rename(columns=NAMES))
    return found


def _show_opd(page, code: str) -> None:
    where = "seluruh kota" if code == CITY else code
    if not _status(page).inner_text().startswith(f"{where},"):
        status = _after_status_changes(page, lambda: _dropdown(page, "OPD").select_option(code))
        assert status.startswith(f"{where},"), status


def _employee_table(page) -> pd.DataFrame:
    panel = _tab(page, "Pegawai")
    table = panel.locator(".widget-html-content").filter(
        has=page.locator("th", has_text=column("predikat_kalibrasi").header)
    )
    return next(t for t in _tables(table) if "predikat_kalibrasi" in t)


def _profile(page, nip: str):
    """Open one employee in the Profil pegawai tab; return the widget showing them."""
    _tab(page, "Profil pegawai")
    _choose(_dropdown(page, "Pegawai"), f"({nip})")
    shown = _html_widget(page, f"({nip})").filter(has_text="Perilaku per nilai inti")
    shown.wait_for()
    return shown


def _shot(page, name: str, focus=None) -> None:
    """Screenshot the window (the page scrolls inside it), scrolled to ``focus`` if given."""
    if focus is not None:
        focus.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"app-{name}.png"))


def _page_text(page) -> str:
    return page.inner_text("body")


# -- tests ---------------------------------------------------------------------------------------
def test_page_renders_the_city_without_errors(city_page, people: pd.DataFrame, city: Path, browser):
    page = city_page
    text = _page_text(page)
    stderr = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
    assert page.locator(stderr).count() == 0
    assert "Traceback" not in text and "Error" not in text
    assert browser.errors == []
    assert "Tinjauan kinerja ASN" in text
    n_opd = len(pd.read_csv(city / "opd.csv"))
    assert _status(page).inner_text().startswith(f"seluruh kota, {PERIODE}, skema ")
    assert f": {len(people)} pegawai (" in _status(page).inner_text()
    cards = [" ".join(c.split()) for c in page.locator(".asn-kartu").all_inner_texts()]
    assert f"{n_opd} OPD" in cards and f"{len(people)} Pegawai" in cards, cards
    assert "Kota dibanding kenyataan nasional" in text and "11,27 %" in text
    assert page.locator(".widget-html-content img[src^='data:image/png']").count() >= 1
    _shot(page, "ringkasan")


def test_choosing_an_agency_updates_the_table(city_page, people: pd.DataFrame):
    page = city_page
    _show_opd(page, CITY)  # whatever came before
    status = _after_status_changes(page, lambda: _dropdown(page, "OPD").select_option(OPD))
    mine = set(people.loc[people["kode_opd"] == OPD, "nip"])
    assert status.startswith(f"{OPD}, {PERIODE}") and f": {len(mine)} pegawai (" in status
    assert "Distribusi predikat" in _page_text(page)
    table = _employee_table(page)
    assert set(table["nip"]) == mine
    assert set(table["kode_opd"]) == {OPD}
    _shot(page, "pegawai-dlh")


def test_an_employee_profile_shows_their_indicators(city_page, city: Path, people: pd.DataFrame):
    page = city_page
    _show_opd(page, OPD)
    skp = pd.read_csv(city / "skp.csv", dtype="str")
    skp = skp[
        (skp["periode"] == PERIODE) & skp["nip"].isin(people["nip"][people["kode_opd"] == OPD])
    ]
    nip = skp["nip"].value_counts().index[0]  # the one with most indicators
    shown = _profile(page, nip)
    assert "Indikator terhadap target" in shown.inner_text()
    indicators = next(t for t in _tables(shown) if {"rhk", "indikator"} <= set(t))
    expected = skp.loc[skp["nip"] == nip, ["rhk", "indikator"]]
    assert set(map(tuple, indicators[["rhk", "indikator"]].to_numpy())) == set(
        map(tuple, expected.to_numpy())
    )
    _shot(page, "profil", focus=shown.locator("table").first)


def test_a_decision_is_recorded_kept_across_reload_and_withdrawn(city_page, city_server):
    page = city_page
    _show_opd(page, OPD)
    table = _employee_table(page)
    row = table[table["predikat_kalibrasi"].isin(LABELS)].iloc[-1]
    nip, before = row["nip"], row["predikat_kalibrasi"]
    after = "Sangat Baik" if before != "Sangat Baik" else "Baik"
    _profile(page, nip)
    _choose(_dropdown(page, "Usulan"), after, exact=True)

    _reason(page).fill("")
    _button(page, "Simpan keputusan").click()
    expect(_message(page)).to_contain_text("Tidak disimpan")
    assert "alasan" in _message(page).inner_text()

    reason = "capaian program pengelolaan sampah melampaui target (uji)"
    _reason(page).fill(reason)
    _button(page, "Simpan keputusan").click()
    saved = page.locator(".widget-html-content", has_text=re.compile(r"Keputusan #\d+ disimpan"))
    saved.wait_for()
    number = int(re.search(r"#(\d+)", saved.inner_text()).group(1))
    _shot(page, "keputusan-form", focus=_message(page))
    with DecisionStore(city_server.decisions) as store:
        kept = store.history(periode=PERIODE).set_index("id").loc[number]
    assert (kept["nip"], kept["predikat_sesudah"], kept["alasan"]) == (nip, after, reason)

    # A new page is a new kernel: what it shows comes from the decisions file.
    page.reload()
    _status(page).wait_for(timeout=LOAD_S * 1000)
    decisions = _tab(page, "Keputusan").locator(".widget-html-content")
    decisions.filter(has_text=reason).wait_for()
    current = next(t for t in _tables(decisions) if "predikat_sesudah" in t and "status" not in t)
    assert current.loc[current["nip"] == nip, "predikat_sesudah"].tolist() == [after]
    _show_opd(page, OPD)
    table = _employee_table(page).set_index("nip")
    assert table.loc[nip, "predikat_kalibrasi"] == after
    assert table.loc[nip, "predikat"] == before
    _shot(page, "keputusan-disimpan")

    _profile(page, nip)
    _choose(_dropdown(page, "Keputusan"), f"#{number}:")
    _button(page, "Tarik keputusan").click()
    _html_widget(page, "Tidak ditarik").wait_for()  # a withdrawal needs a reason too
    page.get_by_placeholder("alasan menarik (wajib)").fill("salah pegawai (uji)")
    _button(page, "Tarik keputusan").click()
    _html_widget(page, "Keputusan ditarik").wait_for()
    decisions = _tab(page, "Keputusan").locator(".widget-html-content")
    decisions.filter(has_text="salah pegawai (uji)").wait_for()
    history = next(t for t in _tables(decisions) if "status" in t)
    assert history.loc[history["id"] == str(number), "status"].tolist() == ["ditarik"]
    refers = history.loc[history["jenis"] == "tarik", "merujuk"].str.replace(",", ".")
    assert number in pd.to_numeric(refers, errors="coerce").tolist()
    current = next(t for t in _tables(decisions) if "predikat_sesudah" in t and "status" not in t)
    assert nip not in set(current.get("nip", []))
    _shot(page, "keputusan-ditarik")
    assert _employee_table(page).set_index("nip").loc[nip, "predikat_kalibrasi"] == before


def test_an_objection_is_filed_listed_answered_and_changes_the_predikat(
    city_page, city_server, people: pd.DataFrame
):
    """On the profile: refused without grounds, filed against the predikat in force, listed open
    (age 0) for the agency and the city (count per OPD), answered with another predikat: the
    employee table shows it and the open list no longer holds the objection."""
    page = city_page
    _show_opd(page, OPD)
    table = _employee_table(page)
    candidates = table[table["predikat_kalibrasi"].isin(LABELS)]
    row = candidates.iloc[len(candidates) // 2]
    nip, before = row["nip"], row["predikat_kalibrasi"]
    after = "Sangat Baik" if before != "Sangat Baik" else "Baik"
    name = people.set_index("nip").loc[nip, "nama"]
    _profile(page, nip)
    grounds = page.get_by_placeholder("alasan keberatan (wajib)")
    filer = page.get_by_placeholder("diajukan oleh (wajib): pegawai atau wakilnya")
    message = _objection_message(page)
    grounds.fill("  ")
    filer.fill(name)
    _button(page, "Ajukan keberatan").click()
    expect(message).to_contain_text("Keberatan tidak dicatat: alasan keberatan wajib diisi")
    assert "paling sedikit 3 huruf" in message.inner_text()
    said = "capaian RHK 2 sudah 110 %, buktinya belum dibaca (uji keberatan)"
    grounds.fill(said)
    _button(page, "Ajukan keberatan").click()
    expect(message).to_have_text(
        re.compile(rf"Keberatan #\d+ dicatat atas predikat {re.escape(before)}\.")
    )
    number = int(re.search(r"#(\d+)", message.inner_text()).group(1))
    _html_widget(page, f"Keberatan #{number} atas predikat {before} masih terbuka").wait_for()
    _shot(page, "keberatan-profil", focus=message)
    with DecisionStore(city_server.decisions) as store:
        filed = store.objections(periode=PERIODE).set_index("id").loc[number]
    assert (filed["nip"], filed["predikat_keberatan"], filed["status"]) == (nip, before, "terbuka")
    assert (filed["alasan_keberatan"], filed["diajukan_oleh"]) == (said, name)

    listing = _open_list(page)
    listing.filter(has_text=said).wait_for()
    waiting = next(t for t in _tables(listing) if "alasan_keberatan" in t)
    assert waiting.loc[waiting["id"] == str(number), ["nip", "umur_hari"]].values.tolist() == [
        [nip, "0"]
    ]
    _shot(page, "keberatan-terbuka-dlh")
    _show_opd(page, CITY)  # the list is redrawn for the city, with a count per OPD
    per_opd = next(t for t in _tables(_open_list(page)) if "n_keberatan_terbuka" in t)
    assert per_opd.set_index("kode_opd").loc[OPD, "n_keberatan_terbuka"] == "1"
    waiting = next(t for t in _tables(_open_list(page)) if "alasan_keberatan" in t)
    assert waiting.loc[waiting["id"] == str(number), "kode_opd"].tolist() == [OPD]
    _shot(page, "keberatan-terbuka-kota")

    _show_opd(page, OPD)
    _tab(page, "Profil pegawai")  # the employee is still chosen: the answer form is shown
    page.get_by_placeholder("jawaban (wajib)").fill("bukti capaian RHK 2 diterima forum (uji)")
    _choose(_dropdown(page, "Hasil"), f"diubah menjadi {after}", exact=True)
    _button(page, "Simpan jawaban").click()
    expect(message).to_have_text(
        re.compile(
            rf"Jawaban #\d+ atas keberatan #{number} dicatat: predikat menjadi {re.escape(after)} "
        )
    )
    _html_widget(page, f"Dikalibrasi di forum: {after} (Keberatan #{number} dikabulkan").wait_for()
    _shot(page, "keberatan-dijawab", focus=message)
    assert _employee_table(page).set_index("nip").loc[nip, "predikat_kalibrasi"] == after
    listing = _open_list(page)
    expect(listing).to_contain_text("Sudah dijawab: 1, 1 di antaranya mengubah predikat")
    expect(listing).not_to_contain_text(said)
    with DecisionStore(city_server.decisions) as store:
        answered = store.objections(periode=PERIODE).set_index("id").loc[number]
    assert (answered["status"], answered["hasil"], answered["predikat_sesudah"]) == (
        "dijawab",
        "diubah",
        after,
    )


def test_a_restricted_server_shows_nothing_of_other_agencies(dlh_page, people: pd.DataFrame):
    page = dlh_page
    assert page.url.endswith(WIDEN)  # the address asked for DINKES; the server says DLH
    assert _status(page).inner_text().startswith(f"{OPD}, {PERIODE}")
    assert "Dinas Lingkungan Hidup" in _page_text(page)
    picker = _dropdown(page, "OPD")
    assert _options(picker) == [OPD]
    assert picker.is_disabled()
    mine = people[people["kode_opd"] == OPD]
    others = people[people["kode_opd"] != OPD]
    head = mine.loc[mine["nip_atasan"].isna() | ~mine["nip_atasan"].isin(mine["nip"]), "nip"]

    texts = []
    for title in TABS:
        panel = _tab(page, title)
        if title == "Profil pegawai":  # the head of the agency: their superior is elsewhere
            _profile(page, head.iloc[0])
        panel.locator(".widget-html-content").filter(has_text=re.compile(r"\S")).first.wait_for()
        texts.append(_page_text(page))
        _shot(page, f"dlh-{title.lower().replace(' ', '-')}")
    texts.append(page.content())  # hidden tabs, select options, attributes
    seen = "\n".join(texts)
    assert not [nip for nip in others["nip"] if nip in seen]
    # Namesakes ("Intan Utami" beside "Intan Utami, A.Md.Keb.") are not leaks.
    other_names = {n for n in others["nama"] if not any(n in m for m in mine["nama"])}
    assert not [name for name in other_names if name in seen]
    assert set(mine["nip"]) <= {nip for nip in mine["nip"] if nip in seen}  # the scan can fail


def test_sources_and_files_cannot_be_read(city_page, dlh_page, city_server, dlh_server, city):
    for page in (city_page, dlh_page):
        content = page.content()
        assert "ReviewApp.from_environment" not in content
        assert "from asn_eval.app.review import" not in content
    secrets = ("from_environment", "[build-system]", "nip,nama", "SQLite format", '"cells"')
    paths = [
        "/voila/files/../pyproject.toml",
        "/voila/files/%2e%2e/pyproject.toml",
        "/voila/files/%2e%2e/%2e%2e/pyproject.toml",
        "/voila/files/aplikasi.ipynb",
        "/voila/files/notebooks/aplikasi.ipynb",
        "/aplikasi.ipynb",
        "/api/kernels",
        "/api/contents/aplikasi.ipynb",
        "/voila/api/contents/aplikasi.ipynb",
        "/voila/render/aplikasi.ipynb",
        "/voila/static/..%2f..%2f..%2fpyproject.toml",
        "/voila/files/" + quote(str(city / "pegawai.csv")),
    ]
    _shot(city_page, "sumber-tersembunyi")
    for server in (city_server, dlh_server):
        for path in [*paths, "/voila/files/" + quote(str(server.decisions))]:
            status, body = _get(server.port, path, server.token)  # as the token's holder
            assert status in (403, 404), (server.url, path, status)
            assert not [s for s in secrets if s in body], (server.url, path)


def _get(port: int, path: str, token: str, hops: int = 5) -> tuple[int, str]:
    """GET ``path`` exactly as written (no client-side ``..`` folding); follow local redirects."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Authorization": f"token {token}"})
        answer = connection.getresponse()
        body = answer.read().decode("utf-8", "replace")
        location = answer.getheader("Location")
    finally:
        connection.close()
    if answer.status in (301, 302, 303, 307, 308) and location and hops:
        target = urlsplit(location)
        assert target.hostname in (None, "127.0.0.1"), location
        query = f"?{target.query}" if target.query else ""
        return _get(port, target.path + query, token, hops - 1)
    return answer.status, body


def test_saving_without_choosing_a_predikat_is_refused(dlh_page, dlh_server):
    page = dlh_page
    _show_opd(page, OPD)
    nip = _employee_table(page)["nip"].iloc[0]
    _profile(page, nip)  # Usulan is left as the page shows it
    _reason(page).fill("alasan tanpa usulan (uji)")
    _button(page, "Simpan keputusan").click()
    expect(_message(page)).to_have_text(re.compile(r"\S"))  # whatever the answer is
    _shot(page, "usulan-kosong", focus=_message(page))
    with DecisionStore(dlh_server.decisions) as store:
        given = set(store.history(periode=PERIODE)["predikat_sesudah"].dropna())
    assert given <= LABELS  # never 'None': a file with one would stop every later kernel
    assert not given
    assert "Tidak disimpan" in _message(page).inner_text()


def _grouped(nip: str) -> str:
    """A NIP as people write it: ``19900315 201503 1 003``."""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def test_presentation_mode_shows_no_nip_or_name(browser, city_server, people: pd.DataFrame):
    """A decision is recorded, then the forum's screen switches to presentation mode: every tab
    of an agency and of the city, every list, the history and the reason show pseudonyms only."""
    page = _open(browser, city_server.url)  # a page (and kernel) of its own
    try:
        _show_opd(page, OPD)
        table = _employee_table(page)
        row = table[table["predikat_kalibrasi"].isin(LABELS)].iloc[0]
        nip, before = row["nip"], row["predikat_kalibrasi"]
        after = "Sangat Baik" if before != "Sangat Baik" else "Baik"
        other = people[(people["nip"] != nip) & (people["kode_opd"] == OPD)].iloc[0]
        _profile(page, nip)
        _choose(_dropdown(page, "Usulan"), after, exact=True)
        reason = f"dibahas bersama {other['nama']} ({_grouped(other['nip'])}), uji presentasi"
        _reason(page).fill(reason)
        _button(page, "Simpan keputusan").click()
        page.locator(
            ".widget-html-content", has_text=re.compile(r"Keputusan #\d+ disimpan")
        ).wait_for()
        decisions = _tab(page, "Keputusan").locator(".widget-html-content")
        decisions.filter(has_text="uji presentasi").wait_for()
        assert nip in _page_text(page) and other["nama"] in _page_text(page)  # the forum's view
        # An objection filed by the employee, whose grounds name a colleague by name and NIP.
        _tab(page, "Profil pegawai")
        grounds = (
            f"{other['nama']} ({_grouped(other['nip'])}) sudah melihat buktinya, uji presentasi"
        )
        page.get_by_placeholder("alasan keberatan (wajib)").fill(grounds)
        page.get_by_placeholder("diajukan oleh (wajib): pegawai atau wakilnya").fill(row["nama"])
        _button(page, "Ajukan keberatan").click()
        expect(_objection_message(page)).to_contain_text("dicatat atas predikat")

        toggle = page.locator("button", has_text=_exactly("Mode presentasi"))
        status = _after_status_changes(page, toggle.click)
        assert "mode presentasi" in status, status
        seen = []
        for code in (OPD, CITY):
            _show_opd(page, code)
            for title in TABS:
                panel = _tab(page, title)
                if title == "Profil pegawai" and code == OPD:  # still the one who objected
                    mine = _objection_panel(page)
                    mine.filter(has_text=re.compile(r"\(P-[2-9A-Z]{6}\) sudah melihat")).wait_for()
                    seen.append(mine.inner_text())
                    _shot(page, "presentasi-keberatan-profil", focus=mine)
                if title == "Profil pegawai":
                    picker = _dropdown(page, "Pegawai")
                    first = _options(picker)[1]  # the first employee, by pseudonym
                    assert re.fullmatch(r"Pegawai [2-9A-Z]{6} \(P-[2-9A-Z]{6}\)", first), first
                    picker.select_option(index=1)
                    _html_widget(page, "Perilaku per nilai inti").wait_for()
                if title in ("Keputusan", "Keberatan"):
                    panel.locator(".widget-html-content").filter(
                        has_text="uji presentasi"
                    ).wait_for()
                if title == "Keberatan":
                    listed = next(t for t in _tables(_open_list(page)) if "alasan_keberatan" in t)
                    said = listed.loc[listed["alasan_keberatan"].str.contains("uji presentasi")]
                    assert (
                        said["alasan_keberatan"]
                        .str.fullmatch(
                            r"Pegawai ([2-9A-Z]{6}) \(P-\1\) sudah melihat buktinya, uji presentasi"
                        )
                        .all()
                    ), said
                    assert said["nip"].str.fullmatch(r"P-[2-9A-Z]{6}").all(), said
                    assert len(said) == 1 and said["nama"].str.startswith("Pegawai ").all()
                panel.locator(".widget-html-content").filter(
                    has_text=re.compile(r"\S")
                ).first.wait_for()
                seen.append(_page_text(page))
                if code == OPD:
                    _shot(page, f"presentasi-{title.lower().replace(' ', '-')}")
                if code == OPD and title == "Pegawai":  # as projected: codes whole, notes wide
                    heads = [column("nip").header, column("catatan").header]
                    shown = panel.locator("table", has=page.locator("th", has_text=heads[1]))
                    cells = shown.evaluate(_CELLS, heads)
                    assert all(
                        re.fullmatch(r"P-[2-9A-Z]{6}", pseudonym) and lines == 1
                        for (pseudonym, lines, _), _ in cells
                    ), cells
                    written = [(text, em) for _, (text, _, em) in cells if text != "–"]
                    assert written and all(em >= 14 for _, em in written), cells
            seen.append(page.content())  # hidden tabs, select options, attributes
            _tab(page, "Keputusan")  # ``decisions`` is the tab in view
            history = next(t for t in _tables(decisions) if "status" in t)
            assert history["nip"].str.fullmatch(r"P-[2-9A-Z]{6}").all(), history["nip"]
            said = history.loc[history["alasan"].str.contains("uji presentasi")]
            said = dict(zip(said["jenis"], said["alasan"], strict=True))  # one of each
            assert re.fullmatch(
                r"dibahas bersama Pegawai ([2-9A-Z]{6}) \(P-\1\), uji presentasi", said["usulan"]
            ), said
            assert re.fullmatch(
                r"Pegawai ([2-9A-Z]{6}) \(P-\1\) sudah melihat buktinya, uji presentasi",
                said["keberatan"],
            ), said
            assert history["waktu"].str.endswith(" WIB").all(), history["waktu"]
        _shot(page, "presentasi-keputusan", focus=decisions.first)
        text = "\n".join(seen)
        shown_nips = [n for n in people["nip"] if n in text or _grouped(n) in text]
        bare = {n.split(",")[0] for n in people["nama"]}
        shown_names = [n for n in {*people["nama"], *bare} if n in text]
        assert shown_nips == [] and shown_names == [], (shown_nips, shown_names)
        assert "<NA>" not in text and "&lt;NA&gt;" not in text
        assert page.locator("button", has_text=_exactly("Ekspor ke Excel")).is_disabled()
    finally:
        page.close()


def test_many_instansi_get_an_instansi_picker_above_the_opd_picker(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
):
    """Issue 15: a dataset of three cities; the OPD list follows the instansi chosen."""
    from asn_eval.sample.generator import write_sample

    work = tmp_path_factory.mktemp("provinsi")
    write_sample(work / "data", 300, seed=3, instansi=3)
    names = pd.read_csv(work / "data" / "instansi.csv", dtype="str")
    server = AppServer(work / "data", work / "app")
    page = None
    try:
        server.wait_ready()
        page = _open(browser, server.url)
        instansi = _dropdown(page, "Instansi")
        assert _options(instansi) == ["semua instansi", *names["nama_instansi"]]
        every = _options(_dropdown(page, "OPD"))
        assert every[0] == "(semua instansi)" and len(every) > 3
        assert "Dinas Kesehatan (DINKES) — Kota Tirtayasa" in every
        assert not any("KOTA-" in o for o in every)  # never the qualified key
        assert _status(page).inner_text().startswith(f"semua instansi, {PERIODE}, ")
        status = _after_status_changes(
            page, lambda: instansi.select_option(label="Pemerintah Kota Tirtayasa")
        )
        assert status.startswith(f"Pemerintah Kota Tirtayasa, {PERIODE}, "), status
        mine = _options(_dropdown(page, "OPD"))
        assert mine[0] == "(seluruh Kota Tirtayasa)"
        assert mine[1:] and all(o.endswith(" — Kota Tirtayasa") for o in mine[1:])
        assert len(mine) < len(every)
        assert "Ikhtisar kota" in _page_text(page)  # one instansi's cards, as a city's
        _shot(page, "instansi")
        status = _after_status_changes(
            page,
            lambda: _dropdown(page, "OPD").select_option(
                label="Dinas Kesehatan (DINKES) — Kota Tirtayasa"
            ),
        )
        assert status.startswith("Dinas Kesehatan (DINKES) — Kota Tirtayasa, "), status
        assert "KOTA-TIRTAYASA/" not in _page_text(page)
        _shot(page, "instansi-opd")
        assert browser.errors == []
    finally:
        if page is not None:
            page.close()
        server.interrupt()
        wrong = server.finish()
    assert not wrong, wrong


def test_no_request_left_the_machine(browser: Browser):
    """Runs last: every page of the module has been loaded and used by now."""
    assert browser.errors == []
    assert browser.outside == []
