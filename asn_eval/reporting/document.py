"""What makes a report a document to sign and file: its cover and its signature block.

The cover names the government and the issuing agency (the city profile, ``profil.toml``), the
document, the agency or the whole city, the period as people write it (``Triwulan II 2025``),
the date of issue in the city's time zone and the scheme used. The signature block closes the
document with the place and date, the signatory's position, room to sign, name, rank and NIP.
Without a profile both say plainly that it is missing instead of inventing a government or a
signatory; a pseudonymised report (for a forum) prints no signatory, who is an employee too.

Both render as HTML (``_repr_html_``) in JupyterLab, the HTML and PDF reports and the slides;
every text from data is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from asn_eval import formatting
from asn_eval.city_profile import CityProfile
from asn_eval.input.periode import Periode
from asn_eval.reporting.text import text
from asn_eval.scoring.scheme import Scheme

__all__ = ["Cover", "SignatureBlock", "issue_date", "periode_text"]

_ROMAN = ("I", "II", "III", "IV")

# Text from data is shown as written: no MathJax typesetting of $…$ (see sections._NO_MATH).
_NO_MATH = "tex2jax_ignore mathjax_ignore"

# The look on screen, in JupyterLab and in print; the page layout of print is in asn-report.css.
_STYLE = """<style>
.asn-sampul { margin: 0 0 .8rem; }
.asn-kop { display: flex; align-items: center; gap: .9rem; padding-bottom: .45rem;
  border-bottom: 3px double #222; }
.asn-kop img.asn-logo { height: 4.2rem; width: auto; }
.asn-kop-teks { flex: 1; text-align: center; line-height: 1.3; }
.asn-pemerintah { font-size: 1.15em; font-weight: 700; text-transform: uppercase;
  letter-spacing: .03em; }
.asn-penyelenggara { font-size: 1.05em; font-weight: 600; text-transform: uppercase; }
.asn-alamat { font-size: .85em; color: #333; }
.asn-sampul h1.asn-judul { font-size: 1.4em; font-weight: 700; text-align: center;
  margin: .8rem 0 .1rem; text-transform: uppercase; letter-spacing: .02em; border: 0; }
.asn-sampul p.asn-subjek { text-align: center; font-size: 1.15em; font-weight: 600;
  margin: 0 0 .6rem; }
.asn-keterangan { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem;
  margin: 0 auto; max-width: 44rem; font-size: .92em; }
.asn-keterangan dt { font-weight: 600; }
.asn-keterangan dd { margin: 0; }
.asn-pemberitahuan { border: 1px solid #b26a00; background: #fff4e0; padding: .45rem .7rem;
  margin: .6rem 0; border-radius: 4px; }
.asn-tanda-tangan { break-inside: avoid; page-break-inside: avoid; margin-top: 1.6rem; }
.asn-ttd { margin-left: auto; width: fit-content; min-width: 16rem; max-width: 24rem;
  line-height: 1.35; break-inside: avoid; page-break-inside: avoid; }
.asn-ttd p { margin: 0; }
.asn-tanda-tangan p.asn-penutup { margin: 0 0 1rem; }
.asn-ttd .asn-ruang-ttd { height: 4.5rem; }
.asn-ttd .asn-nama-ttd { font-weight: 700; text-decoration: underline; }
</style>"""


def periode_text(periode: str | Periode, bahasa: str = "id") -> str:
    """Write a period as people write it on a document.

    Parameters
    ----------
    periode : str or Periode
        ``"2025"`` or ``"2025-TW2"`` (any spelling :class:`Periode` reads).
    bahasa : {"id", "en"}
        Language.

    Returns
    -------
    str

    Examples
    --------
    >>> periode_text("2025"), periode_text("2025-TW2"), periode_text("2025-TW4", "en")
    ('Tahun 2025', 'Triwulan II 2025', 'Quarter IV 2025')
    """
    p = Periode(periode)
    year = str(p.tahun)  # a name, not a quantity: 2025, never 2.025
    if p.is_year:
        return text("periode_tahun", bahasa, tahun=year)
    return text("periode_triwulan", bahasa, tw=_ROMAN[int(p.triwulan) - 1], tahun=year)


def issue_date(zona: str = "WIB") -> dt.date:
    """Return today's date in the city's time zone: a document's date of issue.

    Parameters
    ----------
    zona : {"WIB", "WITA", "WIT"}
        The city's zone (``CityResults.zona_waktu``).

    Returns
    -------
    datetime.date
    """
    return dt.datetime.now(formatting.zone(zona)).date()


def _e(value: object) -> str:
    return html.escape(str(value))


@dataclass(repr=False)
class Cover:
    """A document's cover: letterhead, title, subject, period, date of issue and scheme.

    Parameters
    ----------
    title : str
        The document (``Laporan Evaluasi Kinerja Pegawai``).
    subject : str
        What it is about (``Dinas Kesehatan (DINKES)``).
    periode : str or Periode
        The period.
    skema : Scheme
        The scheme the results were scored under.
    profil : CityProfile or None
        The city profile; None prints the notice that it is missing.
    terbit : datetime.date
        Date of issue (:func:`issue_date`).
    bahasa : {"id", "en"}
        Language.
    """

    title: str
    subject: str
    periode: str | Periode
    skema: Scheme
    profil: CityProfile | None
    terbit: dt.date
    bahasa: str = "id"

    def _letterhead(self) -> str:
        profil = self.profil
        if profil is None:
            return f"<p class='asn-pemberitahuan' role='note'>{_e(self._t('tanpa_profil'))}</p>"
        logo = profil.logo_uri()
        image = (
            f"<img class='asn-logo' alt='{_e(self._t('logo_alt', pemerintah=profil.pemerintah))}'"
            f" src='{logo}'>"
            if logo
            else ""
        )
        address = f"<div class='asn-alamat'>{_e(profil.alamat)}</div>" if profil.alamat else ""
        return (
            f"<div class='asn-kop'>{image}<div class='asn-kop-teks'>"
            f"<div class='asn-pemerintah'>{_e(profil.pemerintah)}</div>"
            f"<div class='asn-penyelenggara'>{_e(profil.penyelenggara)}</div>"
            f"{address}</div></div>"
        )

    def _t(self, key: str, **values: object) -> str:
        return text(key, self.bahasa, **values)

    def particulars(self) -> dict[str, str]:
        """Return the cover's particulars as label → value (period, date of issue, scheme)."""
        return {
            self._t("periode_label"): periode_text(self.periode, self.bahasa),
            self._t("terbit_label"): formatting.date(self.terbit, self.bahasa),
            self._t("skema_label"): f"{self.skema.judul} ({self.skema.nama})",
        }

    def _repr_html_(self) -> str:
        rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in self.particulars().items())
        return (
            f"{_STYLE}<header class='asn-sampul {_NO_MATH}'>{self._letterhead()}"
            f"<h1 class='asn-judul'>{_e(self.title)}</h1>"
            f"<p class='asn-subjek'>{_e(self.subject)}</p>"
            f"<dl class='asn-keterangan'>{rows}</dl></header>"
        )

    def __str__(self) -> str:
        head = (
            [self.profil.pemerintah, self.profil.penyelenggara]
            if self.profil
            else [self._t("tanpa_profil")]
        )
        lines = [f"{k}: {v}" for k, v in self.particulars().items()]
        return "\n".join([*head, self.title, self.subject, *lines])

    # What a notebook stores as the output's text: the words, never the profile's fields.
    __repr__ = __str__


@dataclass(repr=False)
class SignatureBlock:
    """The signature block that closes a document.

    Parameters
    ----------
    profil : CityProfile or None
        The city profile; None prints a line saying there is no signatory.
    terbit : datetime.date
        Date of issue, written after the place (``Sukamaju, 1 Desember 2025``).
    anonim : bool
        A pseudonymised report: the signatory (an employee too) is not printed.
    bahasa : {"id", "en"}
        Language.
    """

    profil: CityProfile | None
    terbit: dt.date
    anonim: bool = False
    bahasa: str = "id"

    def lines(self) -> list[str]:
        """Return the block's lines, top to bottom.

        The closing sentence, place and date, position, "" (the room to sign), name, rank and
        NIP; or the one line saying why there is no signatory.
        """
        if self.profil is None:
            return [text("ttd_tanpa_profil", self.bahasa)]
        if self.anonim:
            return [text("ttd_samaran", self.bahasa)]
        who = self.profil.penandatangan
        written = formatting.date(self.terbit, self.bahasa)
        place = f"{self.profil.tempat}, {written}" if self.profil.tempat else written
        rank = [who.pangkat] if who.pangkat else []
        nip = text("nip_ttd", self.bahasa, nip=who.nip)
        return [text("ttd_penutup", self.bahasa), place, who.jabatan, "", who.nama, *rank, nip]

    def _repr_html_(self) -> str:
        lines = self.lines()
        if len(lines) == 1:
            return f"{_STYLE}<p class='asn-pemberitahuan {_NO_MATH}' role='note'>{_e(lines[0])}</p>"
        closing, place, position, _room, name, *rest = lines
        after = "".join(f"<p>{_e(line)}</p>" for line in rest)
        return (
            f"{_STYLE}<section class='asn-tanda-tangan {_NO_MATH}'>"
            f"<p class='asn-penutup'>{_e(closing)}</p><div class='asn-ttd'>"
            f"<p>{_e(place)}</p><p>{_e(position)},</p><div class='asn-ruang-ttd'></div>"
            f"<p class='asn-nama-ttd'>{_e(name)}</p>{after}</div></section>"
        )

    def __str__(self) -> str:
        return "\n".join(self.lines())

    # A pseudonymised notebook's stored text must not hold the signatory either.
    __repr__ = __str__
