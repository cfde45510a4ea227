"""Employee sheets as pages: one A4 page per employee, and the indexes that link them.

The markup comes from a Jinja2 template with autoescaping on (``asn_eval/assets/lembar/``): every
value of a :class:`~asn_eval.reporting.employee.Sheet` is text from data and is escaped, never
read as markup. A sheet's page is whole on its own (styles inside, logo as a data URI, no script,
nothing fetched); the same ``section`` goes into the agency's print document, one per page
(:func:`print_document`), which Chromium prints once and :mod:`asn_eval.batch.sheets` cuts into
one PDF per employee by the document outline (each sheet's only ``h1``).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2

from asn_eval.city_profile import CityProfile
from asn_eval.formatting import date, integer, timestamp
from asn_eval.reporting.document import issue_date, periode_text
from asn_eval.reporting.employee import Sheet
from asn_eval.version import __version__

__all__ = ["IndexEntry", "SheetPage", "agency_index", "city_index", "print_document"]


@cache
def _assets() -> tuple[jinja2.Template, str]:
    folder = resources.files("asn_eval") / "assets" / "lembar"
    environment = jinja2.Environment(
        autoescape=True, trim_blocks=False, lstrip_blocks=False, undefined=jinja2.StrictUndefined
    )
    template = environment.from_string((folder / "lembar.html.j2").read_text(encoding="utf-8"))
    return template, (folder / "lembar.css").read_text(encoding="utf-8")


_ATTENDANCE_COLUMNS = {
    "Kehadiran": "persen_hadir",
    "Terlambat": "terlambat_menit",
    "Tanpa keterangan": "tanpa_keterangan",
}
"""Attendance lines marked with their column of ``hasil`` (``data-kolom``, for checks)."""


@dataclass
class SheetPage:
    """Lays out sheets of one batch: the same letterhead, signatory, scheme and date on each.

    Parameters
    ----------
    profil : CityProfile or None
        The city profile (letterhead, signatory, time zone); None prints a notice instead.
    skema : str
        The scheme's name as printed.
    periode : str
        The period (``2025-TW2``).
    data_name : str
        The data folder's name (never a path of this machine).
    anonim : bool
        Pseudonymised sheets: no signatory.
    quarters_title, quarters_empty : str
        Title of the quarters table, and what it says when there is nothing to compare.
    """

    profil: CityProfile | None
    skema: str
    periode: str
    data_name: str
    anonim: bool
    quarters_title: str
    quarters_empty: str

    def __post_init__(self) -> None:
        zona = self.profil.zona_waktu if self.profil else "WIB"
        now = dt.datetime.now(dt.UTC)
        self._made = timestamp(now, zona)
        self._signer = None
        if self.profil is not None and not self.anonim:
            who = self.profil.penandatangan
            written = date(issue_date(zona))
            self._signer = {
                "tempat_tanggal": f"{self.profil.tempat}, {written}"
                if self.profil.tempat
                else written,
                "jabatan": who.jabatan,
                "nama": who.nama,
                "pangkat": who.pangkat,
                "nip": who.nip,
            }
        self._logo = self.profil.logo_uri() if self.profil and self.profil.logo else None

    def section(self, sheet: Sheet, stem: str) -> str:
        """Return one sheet's ``<section class="lembar">`` (escaped markup).

        Parameters
        ----------
        sheet : Sheet
            What to print.
        stem : str
            The sheet's file name without suffix (kept on the section, for checks).

        Returns
        -------
        str
        """
        template, _ = _assets()
        return template.render(
            s=sheet,
            stem=stem,
            profil=self.profil,
            logo=self._logo,
            signer=self._signer,
            anonim=self.anonim,
            skema=self.skema,
            quarters_title=self.quarters_title,
            quarters_empty=self.quarters_empty,
            dibuat=self._made,
            versi=__version__,
            periode_data=self.data_name,
            kehadiran_kolom=_ATTENDANCE_COLUMNS,
        )

    def page(self, sheet: Sheet, stem: str, section: str | None = None) -> str:
        """Return a sheet as a whole HTML page (styles inside; nothing fetched).

        Parameters
        ----------
        sheet : Sheet
        stem : str
            As :meth:`section`.
        section : str, optional
            The sheet's section when already made (:meth:`section`), not made again.

        Returns
        -------
        str
        """
        title = f"{sheet.identitas['Nama']}: {periode_text(self.periode)}"
        return _document(title, section if section is not None else self.section(sheet, stem))


def _document(title: str, body: str, extra_css: str = "") -> str:
    _, css = _assets()
    return (
        "<!DOCTYPE html>\n<html lang='id'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{css}{extra_css}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def print_document(sections: list[str], title: str) -> str:
    """Return the print document of many sheets: one ``section`` per A4 page, in order.

    Parameters
    ----------
    sections : list of str
        From :meth:`SheetPage.section`.
    title : str
        The document's title.

    Returns
    -------
    str
    """
    return _document(title, "".join(sections))


@dataclass(frozen=True)
class IndexEntry:
    """One employee's line in an agency's index (already formatted)."""

    nama: str
    nip: str
    jabatan: str
    unit_kerja: str
    predikat: str
    stem: str


_INDEX_CSS = """
body { background: #fff; margin: 8mm; font-size: 10pt; }
table.data { width: auto; min-width: 60%; }
table.data td, table.data th { padding: 1mm 2mm; }
td.nip { white-space: nowrap; }
h1 { font-size: 15pt; }
"""


def agency_index(
    entries: list[IndexEntry], *, opd: str, periode: str, formats: tuple[str, ...], made: str
) -> str:
    """Return an agency's index page: every sheet of the agency, linked.

    Parameters
    ----------
    entries : list of IndexEntry
        One per employee, in the order to list them.
    opd : str
        The agency as printed (``Dinas Kesehatan (DINKES)``).
    periode : str
        The period.
    formats : tuple of str
        Which files each sheet has (``html``, ``pdf``).
    made : str
        When the batch ran, as printed.

    Returns
    -------
    str
    """
    head = "".join(f"<th>{f.upper()}</th>" for f in formats)
    rows = []
    for e in entries:
        links = "".join(
            f"<td><a href='{html.escape(e.stem)}.{f}'>{f.upper()}</a></td>" for f in formats
        )
        rows.append(
            f"<tr><td>{html.escape(e.nama)}</td><td class='nip'>{html.escape(e.nip)}</td>"
            f"<td>{html.escape(e.jabatan)}</td><td>{html.escape(e.unit_kerja)}</td>"
            f"<td>{html.escape(e.predikat)}</td>{links}</tr>"
        )
    body = (
        f"<h1>Lembar kinerja pegawai: {html.escape(opd)}</h1>"
        f"<p>{html.escape(periode_text(periode))} · {integer(len(entries))} pegawai · dibuat "
        f"{html.escape(made)} · <a href='../index.html'>semua OPD</a></p>"
        "<table class='data'><tr><th>Nama</th><th>NIP</th><th>Jabatan</th><th>Unit kerja</th>"
        f"<th>Predikat</th>{head}</tr>{''.join(rows)}</table>"
    )
    return _document(f"Lembar kinerja {opd}", body, _INDEX_CSS)


def city_index(
    agencies: list[tuple[str, str, int]], *, title: str, periode: str, made: str, seconds: str
) -> str:
    """Return the batch's index: one line per agency, linking its index.

    Parameters
    ----------
    agencies : list of (str, str, int)
        (agency as printed, its folder, number of sheets).
    title : str
        The government (or the data folder's name).
    periode : str
        The period.
    made, seconds : str
        When the batch ran and how long it took, as printed.

    Returns
    -------
    str
    """
    rows = "".join(
        f"<tr><td><a href='{html.escape(folder)}/index.html'>{html.escape(name)}</a></td>"
        f"<td class='n'>{integer(n)}</td></tr>"
        for name, folder, n in agencies
    )
    total = sum(n for _, _, n in agencies)
    body = (
        f"<h1>Lembar kinerja pegawai: {html.escape(title)}</h1>"
        f"<p>{html.escape(periode_text(periode))} · {integer(total)} lembar · dibuat "
        f"{html.escape(made)} dalam {html.escape(seconds)}</p>"
        f"<table class='data'><tr><th>OPD</th><th class='n'>Lembar</th></tr>{rows}</table>"
    )
    return _document(f"Lembar kinerja {title}", body, _INDEX_CSS)
