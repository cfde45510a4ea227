"""Objections (keberatan) in the review app: a panel on the employee's profile, the open list.

An employee who disagrees with their predikat, or someone for them, files an objection against
the predikat in force (the calibrated one where the forum changed it); an evaluator answers it
once, keeping the predikat (``tetap``) or changing it (``diubah``), and a changed answer counts
as a calibration decision (:mod:`asn_eval.decisions.objections`): the employee table, the
profile and the Keputusan tab then show the new predikat, and it can be withdrawn like any
decision. The Keberatan tab lists the objections still open in the chosen agency or the whole
city (count per OPD), oldest first with their age in days.

Everything goes through the app's decisions store (scoped to ``--opd``) and is shown through the
app's masking in presentation mode, like the rest of the app.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as w
import pandas as pd

from asn_eval import formatting
from asn_eval.app.tables import predikat_text, section_html, table_html
from asn_eval.decisions import CHANGED, NO_PREDIKAT, OPEN
from asn_eval.errors import StoreError, UsageError, WriteError
from asn_eval.reporting.results import employee_names
from asn_eval.reporting.sections import Section

if TYPE_CHECKING:
    from asn_eval.app.review import ReviewApp

__all__ = ["ObjectionPanel", "open_by_agency"]

PROFILE_COLUMNS = [
    "id",
    "waktu",
    "predikat_keberatan",
    "alasan_keberatan",
    "diajukan_oleh",
    "status",
    "umur_hari",
    "hasil",
    "predikat_sesudah",
    "ditarik",
    "jawaban",
    "dijawab_oleh",
    "waktu_jawaban",
]
"""The columns of an employee's objections on their profile (headers: sheet ``keberatan``):
those of the answer only once one is answered, ``ditarik`` (the new predikat since withdrawn)
only when one was."""

ANSWER_COLUMNS = frozenset(PROFILE_COLUMNS[PROFILE_COLUMNS.index("hasil") :])
"""The answer's columns (from ``hasil`` on)."""

OPEN_COLUMNS = [
    "id",
    "waktu",
    "umur_hari",
    "nip",
    "nama",
    "kode_opd",
    "predikat_keberatan",
    "alasan_keberatan",
    "diajukan_oleh",
]
"""The columns of the open list (``kode_opd`` only when the whole city is shown)."""


def _still_open(frame: pd.DataFrame) -> pd.Series:
    """Return which objections are open (not answered yet)."""
    return frame["status"].astype("str") == OPEN


def _withdrawn(frame: pd.DataFrame) -> pd.Series:
    """Return which answers changed the predikat and were withdrawn since (False when unsaid)."""
    if "ditarik" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["ditarik"].fillna(False).astype(bool)


def open_by_agency(objections: pd.DataFrame, opd: pd.DataFrame) -> pd.DataFrame:
    """Count the open objections per agency, the agency with most first.

    Parameters
    ----------
    objections : DataFrame
        :meth:`~asn_eval.decisions.DecisionStore.objections` (``kode_opd``, ``status``,
        ``umur_hari``), open ones or all.
    opd : DataFrame
        The ``opd`` table (``kode_opd``, ``nama_opd``).

    Returns
    -------
    DataFrame
        One row per agency with an open objection: ``kode_opd``, ``nama_opd``,
        ``n_keberatan_terbuka`` and ``umur_tertua_hari`` (the oldest one's age in whole days).
    """
    found = objections[_still_open(objections)]
    counts = (
        found.groupby(found["kode_opd"].astype("str"))
        .agg(n_keberatan_terbuka=("id", "size"), umur_tertua_hari=("umur_hari", "max"))
        .reset_index()
    )
    names = dict(zip(opd["kode_opd"].astype("str"), opd["nama_opd"].astype("str"), strict=True))
    counts.insert(1, "nama_opd", counts["kode_opd"].map(names))
    order = counts.sort_values(
        ["n_keberatan_terbuka", "umur_tertua_hari", "kode_opd"], ascending=[False, False, True]
    )
    return order.reset_index(drop=True)


class ObjectionPanel:
    """The objection widgets of a :class:`~asn_eval.app.review.ReviewApp`.

    ``box`` goes under the calibration form of the profile tab: the employee's objections for
    the period and scheme in view, the form to file one (grounds and who files it, both
    required) or, while one is open, the form to answer it (the answer and the outcome; the
    app's ``--oleh`` answers). ``open_list`` is the Keberatan tab.

    Parameters
    ----------
    app : ReviewApp
        The app whose store, scope, employee and masking the panel uses.
    """

    def __init__(self, app: ReviewApp) -> None:
        self.app = app
        self.listing = w.HTML()
        self.grounds = w.Textarea(
            placeholder="alasan keberatan (wajib)", layout=w.Layout(width="45%")
        )
        self.filer = w.Text(
            placeholder="diajukan oleh (wajib): pegawai atau wakilnya",
            layout=w.Layout(width="30%"),
        )
        self.file = w.Button(description="Ajukan keberatan", button_style="warning")
        self.answer = w.Textarea(placeholder="jawaban (wajib)", layout=w.Layout(width="45%"))
        self.outcome = w.Dropdown(description="Hasil", layout=w.Layout(width="30%"))
        self.save = w.Button(description="Simpan jawaban", button_style="primary")
        self.message = w.HTML()
        self.filing = w.HBox([self.grounds, self.filer, self.file])
        self.answering = w.HBox([self.answer, self.outcome, self.save])
        self.box = w.VBox(
            [
                w.HTML("<h3>Keberatan</h3>"),
                self.listing,
                self.filing,
                self.answering,
                self.message,
            ]
        )
        self.open_list = w.HTML()
        self._open_id: int | None = None
        self.file.on_click(self._on_file)
        self.save.on_click(self._on_answer)

    # -- reading -------------------------------------------------------------------------------
    def _objections(self, **filters: object) -> pd.DataFrame:
        """Return the store's objections of the period and scheme in view."""
        app = self.app
        return app.decisions.objections(periode=app.periode, skema=app.city().skema, **filters)

    def _in_force(self, nip: str) -> tuple[pd.Series | None, str]:
        """Return the employee's row in view and the predikat in force (or ``(tidak ada)``)."""
        rows = self.app._hasil_now
        row = rows[rows["nip"].astype("str") == nip]
        if not len(row):
            return None, NO_PREDIKAT
        value = row["predikat_kalibrasi"].iloc[0]
        return row.iloc[0], str(value) if pd.notna(value) else NO_PREDIKAT

    def _written(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Write the filing and answer times in the city's zone (``… 10.39 WIB``, or a dash)."""
        zona = self.app.city().zona_waktu
        out = frame.copy()
        for name in ("waktu", "waktu_jawaban"):
            if name in out:
                out[name] = [formatting.timestamp(v, zona) for v in out[name]]
        return out

    # -- the employee's panel ------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw the employee's objections and show the form that applies to them."""
        app = self.app
        nip = app.employee_picker.value
        self._open_id = None
        if not nip:
            self.listing.value = ""
            self.filing.layout.display = self.answering.layout.display = "none"
            return
        mine = self._objections(nip=nip)
        _, in_force = self._in_force(nip)
        still = _still_open(mine)
        columns = [c for c in PROFILE_COLUMNS if c not in ANSWER_COLUMNS or not still.all()]
        columns = [c for c in columns if c != "ditarik" or _withdrawn(mine).any()]
        if len(mine):
            table = table_html("", app._names(self._written(mine[columns])), "keberatan")
        else:
            table = f"<p>Belum ada keberatan untuk periode {html.escape(str(app.periode))}.</p>"
        if still.any():
            case = mine[still].iloc[-1]
            self._open_id = int(case["id"])
            contested = str(case["predikat_keberatan"])
            note = (
                f"Keberatan #{self._open_id} atas predikat {contested} masih terbuka "
                f"({formatting.integer(case['umur_hari'])} hari). Jawab: predikat tetap, atau "
                f"predikat baru (berlaku sebagai keputusan kalibrasi). Dijawab oleh: "
                f"{app.settings.oleh}."
            )
            labels = [label for label in app.city().skema.labels if label != in_force]
            self.outcome.options = [(f"tetap ({predikat_text(in_force)})", "")] + [
                (f"diubah menjadi {label}", label) for label in labels
            ]
            self.outcome.index = None  # chosen on purpose: an answer cannot be taken back
        else:
            note = (
                f"Keberatan baru diajukan atas predikat yang berlaku ({predikat_text(in_force)}): "
                "tulis alasannya dan siapa yang mengajukan (pegawai atau wakilnya)."
            )
        app._show(self.listing, table + f"<p>{html.escape(note)}</p>")
        self.filing.layout.display = "none" if still.any() else "flex"
        self.answering.layout.display = "flex" if still.any() else "none"

    def _on_file(self, _button: object) -> None:
        app = self.app
        nip = app.employee_picker.value
        row, in_force = self._in_force(nip) if nip else (None, NO_PREDIKAT)
        if row is None:
            self.message.value = "<b>Pilih pegawai dulu.</b>"
            return
        try:
            number = app.decisions.file_objection(
                nip=nip,
                periode=app.periode,
                skema=app.city().skema,
                kode_opd=str(row["kode_opd"]),
                sebelum=in_force,
                alasan=self.grounds.value,
                oleh=self.filer.value,
            )
        except (UsageError, StoreError, WriteError) as error:
            app._show(self.message, f"<b>Keberatan tidak dicatat:</b> {html.escape(str(error))}")
            return
        self.grounds.value = self.filer.value = ""
        self.message.value = html.escape(
            f"Keberatan #{number} dicatat atas predikat {predikat_text(in_force)}."
        )
        self.refresh()
        app._after_objection()

    def _on_answer(self, _button: object) -> None:
        app = self.app
        nip = app.employee_picker.value
        row, in_force = self._in_force(nip) if nip else (None, NO_PREDIKAT)
        if row is None or self._open_id is None:
            self.message.value = "<b>Tidak ada keberatan terbuka untuk dijawab.</b>"
            return
        if self.outcome.value is None:
            self.message.value = (
                "<b>Jawaban tidak dicatat:</b> pilih hasilnya dulu (tetap, atau predikat baru)."
            )
            return
        after = self.outcome.value or None
        try:
            number = app.decisions.answer_objection(
                self._open_id,
                alasan=self.answer.value,
                oleh=app.settings.oleh,
                sesudah=after,
                sebelum=in_force,
                skema=app.city().skema,
            )
        except (UsageError, StoreError, WriteError) as error:
            app._show(self.message, f"<b>Jawaban tidak dicatat:</b> {html.escape(str(error))}")
            return
        self.answer.value = ""
        outcome = (
            f"predikat menjadi {after} (keputusan kalibrasi)"
            if after
            else f"predikat tetap {predikat_text(in_force)}"
        )
        self.message.value = html.escape(
            f"Jawaban #{number} atas keberatan #{self._open_id} dicatat: {outcome}."
        )
        if after:
            app._after_decision()  # the employee's row, profile and the decisions change
        else:
            self.refresh()
            app._after_objection()

    # -- the open list -------------------------------------------------------------------------
    def refresh_open(self) -> None:
        """Redraw the Keberatan tab: the open objections of the agency or city in view."""
        app = self.app
        kode = app.chosen_opd
        every = app._mine(self._objections(kode_opd=kode))  # the instansi in view, if chosen
        found = every[_still_open(every)].sort_values(["waktu", "id"], kind="stable")
        where = app._where()
        periode = str(app.periode)
        answered = every[every["status"].astype("str") != OPEN]
        changed = answered["hasil"].astype("str") == CHANGED
        changed = int((changed & ~_withdrawn(answered)).sum())
        count = formatting.integer(len(found)) if len(found) else "Tidak ada"
        said = f"{count} keberatan terbuka di {where}, periode {periode}"
        if len(found):
            said += f"; yang terlama {formatting.integer(found['umur_hari'].max())} hari"
        if len(answered):
            said += (
                f". Sudah dijawab: {formatting.integer(len(answered))}, "
                f"{formatting.integer(changed)} di antaranya mengubah predikat"
            )
        said += ". Jawab keberatan dari tab Profil pegawai."
        shown = section_html(Section("Keberatan terbuka", [said], [], level=3))
        if kode is None and len(found):
            per_opd = open_by_agency(found, app.dataset.opd)
            shown += table_html("Per OPD", app.opd_names.frame(per_opd))
        if len(found):
            found = found.assign(nama=employee_names(app.dataset, found["nip"]))
            columns = [c for c in OPEN_COLUMNS if kode is None or c != "kode_opd"]
            listed = app._names(app.opd_names.frame(self._written(found[columns])))
            shown += table_html("Belum dijawab, yang terlama di atas", listed, "keberatan")
        app._show(self.open_list, shown)
