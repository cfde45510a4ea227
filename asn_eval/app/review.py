"""The review app: widgets for exploring a city and recording calibration decisions.

``notebooks/aplikasi.ipynb`` is one call, ``ReviewApp.from_environment().widget()``, and Voilà
serves it (``asn-eval app``). Everything the app shows comes from the same functions as the
reports (:mod:`asn_eval.reporting`, :mod:`asn_eval.scoring.explanation`,
:mod:`asn_eval.analysis.run`), so the two cannot disagree. The app's settings come from
environment variables that ``asn-eval app`` sets before starting Voilà, never from the URL: a
browser cannot choose a file or an agency.
"""

from __future__ import annotations

import base64
import html
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as w
import pandas as pd

from asn_eval import formatting
from asn_eval.anonymity import CODE_CLASS, Masking, new_key
from asn_eval.app.evidence import activity, feedback
from asn_eval.app.objections import ObjectionPanel
from asn_eval.app.server import ENVIRONMENT
from asn_eval.app.tables import (
    COLUMN_RULES,
    predikat_text,
    section_html,
    table_html,
)
from asn_eval.columns import column
from asn_eval.filenames import file_stem
from asn_eval.reporting.agency import AgencyReport
from asn_eval.reporting.opd_names import OpdNames, short_instansi
from asn_eval.reporting.overview import CityOverview
from asn_eval.reporting.results import CityResults, employee_names
from asn_eval.reporting.sections import Section
from asn_eval.scoring.scheme import DEFAULT_SCHEME, Scheme, list_schemes, load_scheme
from asn_eval.scoring.score import rating_gap

__all__ = ["AppSettings", "ReviewApp"]


CITY = "(seluruh kota)"
ALL_INSTANSI = "semua instansi"
"""The instansi picker's first entry (its value is None): every instansi of the data."""
RATERS_TAB, DECISIONS_TAB, OBJECTIONS_TAB = 3, 4, 5
TABLE_ROWS = 200
"""Rows of the employee table shown at once (filters narrow it down)."""

FLAGS = {
    "semua": None,
    "rating berbeda dari indikator": "berbeda",
    "rating bertentangan dengan indikator": "bertentangan",
    "tanpa predikat": "tanpa",
    "sudah dikalibrasi": "kalibrasi",
    "keberatan terbuka": "keberatan",
}

SORTS = ("nama", "predikat", "capaian", "skor_perilaku")
"""Columns the employee table can be sorted by (offered under their headers)."""

_STYLE = (
    """<style>
.asn-app { font-size: 14px; }
.asn-app.asn-presentasi { font-size: 22px; }
.asn-app.asn-presentasi .widget-html-content { font-size: 20px; line-height: 1.45; }
.asn-app.asn-presentasi table.asn-tabel { font-size: 20px; }
.asn-app table.asn-tabel td, .asn-app table.asn-tabel th { padding: .15rem .45rem; }
.asn-app table.asn-tabel td { max-width: 28em; }
.asn-app .widget-html-content { overflow-x: auto; }
"""
    + f".asn-app .{CODE_CLASS} {{ white-space: nowrap; }}\n"  # P-3JP6QR, never P- / 3JP6QR
    + "\n".join(  # see table_html: a column of long text is not a word wide
        f".asn-lebar-{i} table.asn-tabel td:nth-child({i}) {{ min-width: 14em; }}"
        for i in range(1, COLUMN_RULES + 1)
    )
    + "</style>"
)


@dataclass
class AppSettings:
    """What the app works on; read from the environment by :meth:`ReviewApp.from_environment`.

    Attributes
    ----------
    data : str
        The data folder.
    periode : str or None
        The period first shown (default: the latest the data can be evaluated for).
    skema : str, path or Scheme
        The scheme first shown: a shipped one's name, a file, or a loaded scheme; one that is
        not shipped is offered in the picker beside the shipped ones.
    opd : str or None
        Restrict every view, list and export to this agency.
    keputusan : str or None
        The decisions file (default: :func:`asn_eval.decisions.default_path`).
    oleh : str
        Who records decisions from this app.
    kunci : str or None
        Pseudonym key of the session (default: one drawn for this app).
    profil : str or None
        The city profile file (``--profil``; default: ``profil.toml`` of the data folder): the
        time zone decisions are shown in.
    """

    data: str
    periode: str | None = None
    skema: str | os.PathLike[str] | Scheme = DEFAULT_SCHEME
    opd: str | None = None
    keputusan: str | None = None
    oleh: str = "forum evaluasi"
    kunci: str | None = None
    profil: str | None = None


class ReviewApp:
    """Widgets over a scored city: pickers, cards, curve, employees, raters, decisions, objections.

    Parameters
    ----------
    settings : AppSettings
        The data, the period and scheme first shown, an optional agency restriction.
    """

    def __init__(self, settings: AppSettings) -> None:
        from asn_eval.decisions import DecisionStore, default_path
        from asn_eval.input.dataset import load

        self.settings = settings
        self.dataset = load(settings.data)
        periodes = self.dataset.available_periodes
        if settings.periode:
            self.periode = self.dataset.periode(settings.periode)
        else:
            self.periode = periodes[-1] if periodes else None
        self.skema = load_scheme(settings.skema)
        self.schemes = _scheme_choices(self.skema)
        self.opd = settings.opd
        self.opd_names = OpdNames(self.dataset.tables)
        self._cities: dict[tuple[str, str, str | None], CityResults] = {}
        self.key = settings.kunci or new_key()
        self._masking: Masking | None = None
        path = settings.keputusan or str(default_path(settings.data))
        self.decisions = DecisionStore(path, kode_opd=settings.opd, pegawai=self.dataset)
        codes = list(self.dataset.opd["kode_opd"].astype("str"))
        if self.opd is not None and self.opd not in codes:
            raise KeyError(f"kode OPD {self.opd} tidak ada di tabel opd")
        self._build(periodes, codes)

    @classmethod
    def from_environment(cls) -> ReviewApp:
        """Build the app from the variables of :data:`ENVIRONMENT`.

        Returns
        -------
        ReviewApp
        """
        values = {key: os.environ.get(name) for key, name in ENVIRONMENT.items()}
        if not values["data"]:
            raise RuntimeError(f"{ENVIRONMENT['data']} tidak diisi: jalankan lewat asn-eval app")
        skema = values["skema"]
        settings = AppSettings(
            data=values["data"],
            periode=values["periode"] or None,
            skema=Scheme.from_settings(json.loads(skema)) if skema else DEFAULT_SCHEME,
            opd=values["opd"] or None,
            keputusan=values["keputusan"] or None,
            oleh=values["oleh"] or "forum evaluasi",
            kunci=values["kunci"] or None,
            profil=values["profil"] or None,
        )
        return cls(settings)

    # -- data ----------------------------------------------------------------------------------
    def city(self) -> CityResults:
        """Return what is in view scored for the chosen period and scheme (each computed once).

        The whole data, or the chosen instansi as if alone (:meth:`CityResults.for_instansi`)
        when one is chosen and no OPD is: an OPD is always seen against the whole, as in its
        report.
        """
        instansi = self.chosen_instansi if self.chosen_opd is None else None
        key = (str(self.periode), self.skema.key, instansi)
        if key not in self._cities:
            whole = self._whole()
            self._cities[key] = whole if instansi is None else whole.for_instansi(instansi)
        return self._cities[key]

    def _whole(self) -> CityResults:
        key = (str(self.periode), self.skema.key, None)
        if key not in self._cities:
            self._cities[key] = CityResults.compute(
                self.dataset, self.periode, self.skema, key=self.key, profil=self.settings.profil
            )
        return self._cities[key]

    @property
    def chosen_instansi(self) -> str | None:
        """The instansi in view (its ``kode_instansi``), or None for all or a single city."""
        if not self.opd_names.many:
            return None
        if self.opd is not None:
            return self.opd_names.of[self.opd]
        return self.instansi_picker.value

    def _mine(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Keep the rows of the chosen instansi (by ``kode_opd``) when one is chosen."""
        kode = self.chosen_instansi
        if kode is None or "kode_opd" not in frame or not len(frame):
            return frame
        codes = frame["kode_opd"].astype("str")
        return frame[codes.map(self.opd_names.of).eq(kode).to_numpy()]

    def _hasil(self) -> pd.DataFrame:
        hasil = self.city().hasil
        if self.chosen_opd is not None:  # the agency's rows only, before the decisions join
            hasil = hasil[hasil["kode_opd"].astype("str") == self.chosen_opd]
        return self.decisions.apply(hasil, skema=self.city().skema).reset_index(drop=True)

    @property
    def chosen_opd(self) -> str | None:
        """The agency in view, or None for the whole city (never None when restricted)."""
        if self.opd is not None:
            return self.opd
        value = self.opd_picker.value
        return None if value == CITY else value

    @property
    def presenting(self) -> bool:
        """Whether presentation mode (large type, pseudonyms) is on."""
        return bool(self.presentation.value)

    # -- layout --------------------------------------------------------------------------------
    def _build(self, periodes: list[str], codes: list[str]) -> None:
        self.periode_picker = w.Dropdown(
            options=[(str(p), p) for p in periodes], value=self.periode, description="Periode"
        )
        self.skema_picker = w.Dropdown(
            options=[(label, s.key) for label, s in self.schemes.items()],
            value=self.skema.key,
            description="Skema",
        )
        self._quiet_scope = False  # the instansi picker resets the OPD picker: one redraw
        self.instansi_picker = w.Dropdown(
            options=[(ALL_INSTANSI, None)]
            + [(nama, kode) for kode, nama in self.opd_names.instansi.items()],
            value=self.opd_names.of[self.opd] if self.opd and self.opd_names.many else None,
            description="Instansi",
            disabled=bool(self.opd),
            layout=w.Layout(width="40%"),
        )
        options = self._opd_options(codes)
        self.opd_picker = w.Dropdown(
            options=options,
            value=options[0] if isinstance(options[0], str) else options[0][1],
            description="OPD",
            disabled=bool(self.opd),
            layout=w.Layout(width="40%") if self.opd_names.many else w.Layout(),
        )
        self.presentation = w.ToggleButton(value=False, description="Mode presentasi")
        self.cards = w.HTML()
        self.curve = w.HTML()
        self.predikat_filter = w.Dropdown(description="Predikat")
        self.jabatan_filter = w.Dropdown(description="Jabatan")
        self.unit_filter = w.Dropdown(description="Unit")
        self.flag_filter = w.Dropdown(options=list(FLAGS), value="semua", description="Tanda")
        self.search = w.Text(description="Cari", placeholder="nama atau NIP")
        self.sort = w.Dropdown(
            options=[(column(name).header, name) for name in SORTS],
            value="nama",
            description="Urutkan",
        )
        self.table = w.HTML()
        self.employee_picker = w.Dropdown(description="Pegawai", layout=w.Layout(width="60%"))
        self.employee = w.HTML()
        self.proposal = w.Dropdown(description="Usulan")
        self.reason = w.Textarea(placeholder="alasan (wajib)", layout=w.Layout(width="60%"))
        self.save = w.Button(description="Simpan keputusan", button_style="primary")
        self.withdraw_id = w.Dropdown(description="Keputusan")
        self.withdraw_reason = w.Text(placeholder="alasan menarik (wajib)")
        self.withdraw = w.Button(description="Tarik keputusan")
        self.message = w.HTML()
        self.raters = w.HTML()
        self.decision_list = w.HTML()
        self.export = w.Button(description="Ekspor ke Excel")
        self.download = w.HTML()
        self.status = w.HTML()
        self.objection = ObjectionPanel(self)

        employees = w.VBox(
            [
                w.HBox([self.predikat_filter, self.jabatan_filter, self.unit_filter]),
                w.HBox([self.flag_filter, self.search, self.sort]),
                self.table,
            ]
        )
        form = w.VBox(
            [
                w.HTML("<h3>Keputusan kalibrasi</h3>"),
                w.HBox([self.proposal, self.reason, self.save]),
                w.HBox([self.withdraw_id, self.withdraw_reason, self.withdraw]),
                self.message,
            ]
        )
        self.tabs = w.Tab(
            children=[
                w.VBox([self.cards, self.curve]),
                employees,
                w.VBox([self.employee_picker, self.employee, form, self.objection.box]),
                self.raters,
                w.VBox([self.decision_list, w.HBox([self.export, self.download])]),
                self.objection.open_list,
            ]
        )
        for i, title in enumerate(
            ["Ringkasan", "Pegawai", "Profil pegawai", "Penilai", "Keputusan", "Keberatan"]
        ):
            self.tabs.set_title(i, title)
        header = w.HTML(_STYLE + "<h2>Tinjauan kinerja ASN</h2>")
        # Many governments: the instansi picker above the OPD picker; a single city has none.
        above = [w.HBox([self.instansi_picker])] if self.opd_names.many else []
        self.root = w.VBox(
            [
                header,
                *above,
                w.HBox(
                    [self.periode_picker, self.skema_picker, self.opd_picker, self.presentation]
                ),
                self.status,
                self.tabs,
            ]
        )
        self.root.add_class("asn-app")

        for picker in (self.periode_picker, self.skema_picker, self.opd_picker):
            picker.observe(self._on_scope, names="value")
        self.instansi_picker.observe(self._on_instansi, names="value")
        self.presentation.observe(self._on_presentation, names="value")
        self.tabs.observe(self._refresh_visible_tab, names="selected_index")
        self._stale: set[int] = set()
        for control in (
            self.predikat_filter,
            self.jabatan_filter,
            self.unit_filter,
            self.flag_filter,
            self.sort,
        ):
            control.observe(lambda _: self._refresh_table(), names="value")
        self.search.observe(lambda _: self._refresh_table(), names="value")
        self._quiet = False
        self.employee_picker.observe(
            lambda _: None if self._quiet else self._other(), names="value"
        )
        self.save.on_click(self._on_save)
        self.withdraw.on_click(self._on_withdraw)
        self.export.on_click(self._on_export)
        self._refresh_all()

    def widget(self) -> w.VBox:
        """Return the app's root widget (display it, or let Voilà render it).

        Returns
        -------
        ipywidgets.VBox
        """
        return self.root

    # -- refresh -------------------------------------------------------------------------------
    @property
    def masking(self) -> Masking:
        """The session's pseudonyms over the city's employees (built on first use)."""
        if self._masking is None:
            self._masking = Masking(self._whole().pseudonyms(), self.dataset.pegawai)
        return self._masking

    def _names(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Pseudonymise a table's NIPs and names (and texts naming someone) when presenting."""
        return self.masking.frame(frame) if self.presenting else frame

    def _show(self, widget: w.HTML, markup: str) -> None:
        """Put HTML on the page; when presenting, no NIP or name of the city's employees."""
        widget.value = self.masking.markup(markup) if self.presenting else markup

    def _label(self, text: str) -> str:
        """Return a list entry's label, without NIPs or names when presenting."""
        return self.masking.text(text) if self.presenting else text

    def _opd_options(self, codes: list[str]) -> list:
        """List the OPD picker's entries: bare codes in a single city, named ones with instansi."""
        names = self.opd_names
        if not names.many:
            return [self.opd] if self.opd else [CITY, *codes]
        if self.opd:
            return [(names.label(self.opd), self.opd)]
        options = [(names.label(c), c) for c in codes]
        kode = self.chosen_instansi
        if kode is None:
            return [("(semua instansi)", CITY), *options]
        whole = f"(seluruh {short_instansi(names.instansi[kode])})"
        return [(whole, CITY)] + [o for o in options if names.of[o[1]] == kode]

    def _on_instansi(self, change: dict) -> None:
        """Narrow the OPD list to the chosen instansi; the views follow (once, not per picker)."""
        self._quiet_scope = True
        try:
            codes = list(self.dataset.opd["kode_opd"].astype("str"))
            self.opd_picker.options = self._opd_options(codes)
            self.opd_picker.value = CITY
        finally:
            self._quiet_scope = False
        self._on_scope(change)

    def _on_scope(self, change: dict) -> None:
        if self._quiet_scope:
            return
        self.periode = self.periode_picker.value
        chosen = self.skema_picker.value
        self.skema = next(s for s in self.schemes.values() if s.key == chosen)
        self._refresh_all()

    def _on_presentation(self, change: dict) -> None:
        if self.presenting:
            self.root.add_class("asn-presentasi")
        else:
            self.root.remove_class("asn-presentasi")
        # The decisions workbook is for the record (real NIPs, hashes): not offered to a forum.
        self.export.disabled = self.presenting
        self.download.value = ""
        self.search.value = ""  # it matched real names, it now matches pseudonyms
        for text in (self.message, self.objection.message):
            self._show(text, text.value)
        self._refresh_all()

    def _refresh_all(self) -> None:
        started = time.perf_counter()
        self.status.value = "<i>menghitung…</i>"
        city = self.city()
        hasil = self._hasil()
        self._hasil_now = hasil
        if self.chosen_opd is None:
            overview = CityOverview(city)
            sections = [overview.ringkasan(), overview.nasional()]
        else:
            report = AgencyReport(city, self.chosen_opd, anonim=self.presenting)
            sections = [report.ringkasan(), report.distribusi()]
        self._show(self.cards, section_html(sections[0]))
        self._show(self.curve, section_html(sections[1]))
        labels = list(city.skema.labels)
        self.predikat_filter.options = ["semua", *labels]
        self.predikat_filter.value = "semua"
        self.jabatan_filter.options = ["semua", *_values(hasil, "jenis_jabatan")]
        self.jabatan_filter.value = "semua"
        self.unit_filter.options = ["semua", *_values(hasil, "unit_kerja")]
        self.unit_filter.value = "semua"
        self.proposal.options = labels
        shown = self.employee_picker.value
        self._refresh_table()
        if self.employee_picker.value == shown:  # the same employee, in a new period or scope
            self._refresh_employee()
        # Tabs out of sight are redrawn when opened: a change of OPD only pays for what shows.
        # Until then they are blank, never the last agency's or (presenting) the names' view.
        self._stale = {RATERS_TAB, DECISIONS_TAB, OBJECTIONS_TAB}
        for widget in (self.raters, self.decision_list, self.objection.open_list):
            widget.value = ""
        self._refresh_visible_tab()
        seconds = time.perf_counter() - started
        where = self._where()
        mode = "; mode presentasi (nama dan NIP disamarkan)" if self.presenting else ""
        self.status.value = (
            f"<small>{html.escape(where)}, {html.escape(str(self.periode))}, skema "
            f"{html.escape(self.skema.nama)}: {formatting.integer(len(hasil))} pegawai "
            f"({formatting.duration(seconds)}){mode}</small>"
        )

    def _where(self) -> str:
        """Say what is in view: an OPD, an instansi, every instansi, or the city."""
        if self.chosen_opd is not None:
            return self.opd_names.label(self.chosen_opd) if self.opd_names.many else self.chosen_opd
        if not self.opd_names.many:
            return "seluruh kota"
        kode = self.chosen_instansi
        return self.opd_names.instansi[kode] if kode else "semua instansi"

    def filtered(self) -> pd.DataFrame:
        """Return the employees that pass the current filters, sorted as chosen.

        Returns
        -------
        DataFrame
            Scored rows with ``predikat_kalibrasi``.
        """
        hasil = self._hasil_now
        keep = pd.Series(True, index=hasil.index)
        if self.predikat_filter.value not in (None, "semua"):
            keep &= hasil["predikat"].astype("str") == self.predikat_filter.value
        if self.jabatan_filter.value not in (None, "semua"):
            keep &= hasil["jenis_jabatan"].astype("str") == self.jabatan_filter.value
        if self.unit_filter.value not in (None, "semua"):
            keep &= hasil["unit_kerja"].astype("str") == self.unit_filter.value
        flag = FLAGS.get(self.flag_filter.value)
        if flag is not None:
            gap = rating_gap(hasil)
            if flag == "berbeda":
                keep &= gap >= 1
            elif flag == "bertentangan":
                keep &= gap == 2
            elif flag == "tanpa":
                keep &= hasil["predikat"].isna()
            elif flag == "kalibrasi":
                keep &= hasil["dikalibrasi"]
            elif flag == "keberatan":
                waiting = self.decisions.objections(
                    periode=self.periode, skema=self.city().skema, open_only=True
                )
                keep &= hasil["nip"].astype("str").isin(set(waiting["nip"]))
        shown = self._names(hasil[["nip", "nama"]])  # search and sort what the page shows
        text = self.search.value.strip().lower()
        if text:
            keep &= shown["nama"].astype("str").str.lower().str.contains(text, regex=False) | (
                shown["nip"].astype("str").str.lower().str.contains(text, regex=False)
            )
        found = hasil.assign(_urut=shown["nama"])[keep.to_numpy()]
        order = self.sort.value
        key = "_urut" if order == "nama" else order
        found = found.sort_values(key, ascending=order == "nama", kind="stable")
        return found.drop(columns="_urut")

    def _refresh_visible_tab(self, change: dict | None = None) -> None:
        tab = self.tabs.selected_index
        if tab in self._stale:
            self._stale.discard(tab)
            if tab == RATERS_TAB:
                self._refresh_raters()
            elif tab == DECISIONS_TAB:
                self._refresh_decisions()
            elif tab == OBJECTIONS_TAB:
                self.objection.refresh_open()

    def _refresh_table(self) -> None:
        found = self.filtered()
        columns = ["nip", "nama", "kode_opd", "jabatan", "capaian", "skor_perilaku"]
        columns += ["predikat", "predikat_kalibrasi", "catatan"]
        shown = self._names(self.opd_names.frame(found[columns].head(TABLE_ROWS)))
        more = len(found) - len(shown)
        note = f"<p>{formatting.integer(len(found))} pegawai" + (
            f", {formatting.integer(TABLE_ROWS)} pertama ditampilkan" if more > 0 else ""
        )
        self._show(self.table, note + "</p>" + table_html("", shown))
        named = self._names(found[["nip", "nama"]].head(500))
        labels = [
            (self._label(f"{n} ({p})"), nip)
            for nip, n, p in zip(
                found["nip"].astype("str").head(500), named["nama"], named["nip"], strict=True
            )
        ]
        current = self.employee_picker.value
        values = {v for _, v in labels}
        self._quiet = True  # new options pass through the first employee: not drawn for that
        try:
            self.employee_picker.options = labels
            self.employee_picker.value = current if current in values else None
        finally:
            self._quiet = False
        if self.employee_picker.value != current:  # filtered out: the messages stay
            self._refresh_employee()

    def _other(self) -> None:
        """Show another employee: the forms' last messages were about the one before."""
        self.message.value = self.objection.message.value = ""
        self._refresh_employee()

    def _refresh_employee(self) -> None:
        from asn_eval.scoring.explanation import explain

        nip = self.employee_picker.value
        if not nip:
            self.employee.value = "<p>Pilih pegawai untuk melihat bukti dan alasan predikatnya.</p>"
            self.withdraw_id.options = []
            self.objection.refresh()
            return
        city = self.city()
        explanation = explain(city.data, nip, self.periode, city.skema)
        row = self._hasil_now[self._hasil_now["nip"].astype("str") == nip]
        who = self._names(pd.DataFrame({"nip": [nip], "nama": [str(explanation.hasil["nama"])]}))
        tables: list[tuple[str, pd.DataFrame, str | None]] = []
        if len(explanation.indikator):
            columns = [c for c in ("rhk", "indikator", "aspek", "target", "realisasi", "satuan")]
            columns = [c for c in columns if c in explanation.indikator] + [
                "capaian",
                "tingkat_rhk",
            ]
            indicators = explanation.indikator[columns]
            tables.append(("Indikator terhadap target", indicators, "indikator"))
        tables.append(
            ("Perilaku per nilai inti dan peran penilai", explanation.perilaku.reset_index(), None)
        )
        attendance = explanation.hasil[["persen_hadir", "terlambat_menit", "tanpa_keterangan"]]
        attendance = attendance.to_frame().T.infer_objects()
        attendance["persen_hadir"] = [formatting.points(v) for v in attendance.iloc[:, 0]]
        tables.append(("Kehadiran", attendance, None))
        said_back = feedback(city, nip, self.periode)
        if len(said_back):
            tables.append(("Umpan balik", said_back, None))
        logged = activity(city, nip, self.periode)
        if len(logged):
            tables.append(("Log aktivitas harian", logged, None))
        reasons = list(explanation.alasan)
        if len(row) and bool(row["dikalibrasi"].iloc[0]):
            reasons.append(
                f"Dikalibrasi di forum: {row['predikat_kalibrasi'].iloc[0]} "
                f"({row['alasan_kalibrasi'].iloc[0]})."
            )
        title = f"{who['nama'].iloc[0]} ({who['nip'].iloc[0]}): " + predikat_text(
            explanation.hasil["predikat"]
        )
        section = Section(title, ["Mengapa: " + " ".join(reasons)], [], level=3)
        shown = section_html(section) + "".join(table_html(*table) for table in tables)
        self._show(self.employee, shown)
        mine = self.decisions.current(periode=self.periode, skema=self.city().skema)
        mine = mine[mine["nip"].astype("str") == nip]
        said = predikat_text
        options = [
            (f"#{r.id}: {said(r.predikat_sebelum)} → {said(r.predikat_sesudah)}", int(r.id))
            for r in mine.itertuples()
        ]
        self.withdraw_id.options = options
        self.withdraw_id.value = options[-1][1] if options else None
        self.objection.refresh()

    def _refresh_raters(self) -> None:
        city = self.city()
        if self.chosen_opd is None:
            section = CityOverview(city).keadilan()
        else:
            section = AgencyReport(city, self.chosen_opd, anonim=self.presenting).keadilan()
        self._show(
            self.raters, section_html(section) if section is not None else "<p>Tidak ada data.</p>"
        )

    def _refresh_decisions(self) -> None:
        kode = self.chosen_opd
        current = self._mine(self.decisions.current(periode=self.periode, kode_opd=kode))
        history = self._mine(self.decisions.history(periode=self.periode, kode_opd=kode))
        names = employee_names(self.dataset, current["nip"])
        current = current.copy()  # the store's frame is left as it is
        current.insert(current.columns.get_loc("nip") + 1, "nama", names)  # after the NIP
        shown = section_html(Section("Keputusan kalibrasi", [], [], level=3))
        shown += table_html("Keputusan yang berlaku", self._names(self._times(current)))
        shown += table_html("Riwayat (tidak ada yang dihapus)", self._names(self._times(history)))
        self._show(self.decision_list, shown)

    def _times(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Write a decisions table's ``waktu`` in the city's time zone (``… 23.32 WIB``)."""
        if "waktu" not in frame:
            return frame
        zona = self.city().zona_waktu
        return frame.assign(waktu=[formatting.timestamp(v, zona) for v in frame["waktu"]])

    # -- actions -------------------------------------------------------------------------------
    def _on_save(self, _button: object) -> None:
        from asn_eval.decisions import NO_PREDIKAT
        from asn_eval.errors import StoreError, UsageError, WriteError

        nip = self.employee_picker.value
        row = self._hasil_now[self._hasil_now["nip"].astype("str") == nip]
        if not nip or not len(row):
            self.message.value = "<b>Pilih pegawai dulu.</b>"
            return
        before = row["predikat_kalibrasi"].iloc[0]
        if self.proposal.value is None:
            self.message.value = "<b>Tidak disimpan:</b> pilih predikat usulan dulu."
            return
        try:
            number = self.decisions.record(
                nip=nip,
                periode=self.periode,
                skema=self.city().skema,
                kode_opd=str(row["kode_opd"].iloc[0]),
                sebelum=str(before) if pd.notna(before) else NO_PREDIKAT,
                sesudah=str(self.proposal.value),
                alasan=self.reason.value,
                oleh=self.settings.oleh,
            )
        except (UsageError, StoreError, WriteError) as error:
            self._show(self.message, f"<b>Tidak disimpan:</b> {html.escape(str(error))}")
            return
        self.reason.value = ""
        self.message.value = f"Keputusan #{number} disimpan."
        self._after_decision()

    def _on_withdraw(self, _button: object) -> None:
        from asn_eval.errors import StoreError, UsageError, WriteError

        if self.withdraw_id.value is None:
            self.message.value = "<b>Tidak ada keputusan untuk ditarik.</b>"
            return
        try:
            self.decisions.withdraw(
                self.withdraw_id.value, alasan=self.withdraw_reason.value, oleh=self.settings.oleh
            )
        except (UsageError, StoreError, WriteError) as error:
            self._show(self.message, f"<b>Tidak ditarik:</b> {html.escape(str(error))}")
            return
        self.withdraw_reason.value = ""
        self.message.value = "Keputusan ditarik (tetap tercatat di riwayat)."
        self._after_decision()

    def _after_decision(self) -> None:
        self._hasil_now = self._hasil()
        self._refresh_table()
        self._refresh_employee()
        self._after_objection()

    def _after_objection(self) -> None:
        """Redraw the Keputusan and Keberatan tabs when next opened (their lists changed)."""
        self._stale |= {DECISIONS_TAB, OBJECTIONS_TAB}

    def _on_export(self, _button: object) -> None:
        if self.presenting:  # the button is disabled too; a click queued before still lands here
            self.message.value = (
                "<b>Ekspor tidak tersedia dalam mode presentasi</b> (buku kerjanya memuat NIP "
                "asli)."
            )
            return
        try:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "keputusan-kalibrasi.xlsx"
                self.decisions.export_xlsx(
                    path,
                    periode=self.periode,
                    kode_opd=self.chosen_opd,
                    zona=self.city().zona_waktu,
                )
                data = base64.b64encode(path.read_bytes()).decode("ascii")
        except OSError as error:  # a full or read-only temporary folder: said, not raised
            self.download.value = ""
            self._show(self.message, f"<b>Ekspor gagal:</b> {html.escape(str(error))}")
            return
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        name = f"keputusan-kalibrasi-{file_stem(self.periode)}.xlsx"
        self.download.value = (
            f"<a download='{html.escape(name)}' "
            f"href='data:{kind};base64,{data}'>Unduh keputusan-kalibrasi.xlsx</a>"
        )


def _values(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame:
        return []
    return sorted(frame[column].dropna().astype("str").unique())


def _scheme_choices(chosen: Scheme) -> dict[str, Scheme]:
    """List the schemes the picker offers: every shipped one, and ``chosen`` if not shipped."""
    shipped = list_schemes()
    choices = {s.nama: s for s in shipped}
    if all(s.key != chosen.key for s in shipped):
        where = f", {chosen.path.name}" if chosen.path else ""
        label = f"{chosen.nama} (berkas{where})" if chosen.nama in choices else chosen.nama
        choices[label] = chosen
    return choices
