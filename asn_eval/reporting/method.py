"""The method appendix (*Lampiran: metode*), written from the scheme in use.

Every threshold, weight, band and curve rule printed here is read from the scheme's settings
(:class:`~asn_eval.scoring.scheme.Scheme`), the same settings the scoring applied, so a copied
scheme with another number gives another appendix. For the national scheme (PermenPAN-RB
6/2022) that is the level thresholds, the 3 × 3 matrix, the curve rules per organisation
predikat, the national shares it compares with and the credit-point tables; for a numeric scheme
(PP 46/2011, PP 30/2019, a regional scheme) its components, weights and bands, with the level
thresholds the roster's ratings still follow.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import pandas as pd

from asn_eval import formatting
from asn_eval.input.vocab import LEVEL, NILAI_INTI
from asn_eval.reporting.sections import Section
from asn_eval.reporting.text import text
from asn_eval.scoring.scheme import Component, Scheme

__all__ = ["Part", "method_appendix"]


@dataclass
class Part:
    """A part of a section: a sub-heading, sentences and tables (a block of a Section).

    Parameters
    ----------
    heading : str
        The sub-heading (``h3``).
    paragraphs : list of str
        Plain sentences (escaped when rendered).
    tables : list of DataFrame
        Tables, written by :func:`asn_eval.formatting.table`: text left, numbers right; the
        first column heads its row when ``row_heads`` (the matrix).
    bahasa : {"id", "en"}
        How numbers are written.
    """

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[pd.DataFrame] = field(default_factory=list)
    bahasa: str = "id"
    row_heads: bool = False

    def _table(self, frame: pd.DataFrame) -> str:
        written = formatting.table(frame, self.bahasa)
        numeric = [
            pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
            for c in frame.columns
        ]
        head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in frame.columns)
        rows = []
        for values in written.itertuples(index=False):
            cells = []
            for i, (value, is_number) in enumerate(zip(values, numeric, strict=True)):
                shown = html.escape(value)
                if i == 0 and self.row_heads:
                    cells.append(f"<th scope='row'>{shown}</th>")
                else:
                    cells.append(f"<td class='asn-angka-sel'>{shown}</td>" if is_number else
                                 f"<td>{shown}</td>")  # fmt: skip
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return (
            f"<table class='asn-tabel asn-metode'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def _repr_html_(self) -> str:
        parts = [_STYLE, f"<div class='asn-bagian-kecil'><h3>{html.escape(self.heading)}</h3>"]
        parts += [f"<p>{html.escape(p)}</p>" for p in self.paragraphs]
        parts += [self._table(table) for table in self.tables]
        parts.append("</div>")
        return "".join(parts)


_STYLE = """<style>
.asn-bagian-kecil h3 { font-size: 1.12em; font-weight: 650; margin: .9em 0 .35em; }
table.asn-tabel.asn-metode th, table.asn-tabel.asn-metode td { text-align: left;
  vertical-align: top; }
table.asn-tabel.asn-metode td.asn-angka-sel { text-align: right; }
table.asn-tabel.asn-metode tbody th { font-weight: 600; }
</style>"""


def _n(value: float, bahasa: str) -> str:
    """Write a threshold as the scheme wrote it: ``110``, ``4,5``."""
    return formatting.cell(float(value), bahasa)


def _share(value: float, bahasa: str) -> str:
    """Write a share 0–1 as a percent with the decimals it needs: ``70 %``, ``11,27 %``."""
    return formatting.percent(value, bahasa, formatting.places(float(value) * 100))


def _weights(weights: dict[str, float], bahasa: str) -> str:
    total = sum(float(w) for w in weights.values())
    return ", ".join(
        f"{role} {_weight(w, total, bahasa)}" for role, w in weights.items() if float(w) > 0
    )


def _levels(skema: Scheme, bahasa: str) -> Part:
    hk, pr = skema.hasil_kerja, skema.perilaku
    paragraphs = [text("metode_tingkat_pembanding", bahasa)] if skema.jenis == "angka" else []
    paragraphs += [
        text(
            "metode_capaian",
            bahasa,
            maks=_n(hk["capaian_maks"], bahasa),
            atas=_n(hk["batas_di_atas"], bahasa),
            sesuai=_n(hk["batas_sesuai"], bahasa),
        ),
        text(
            "metode_hasil_kerja",
            bahasa,
            mayoritas=_share(hk["mayoritas"], bahasa),
            utama=_share(hk["utama_di_bawah_maks"], bahasa),
        ),
        text(
            "metode_perilaku",
            bahasa,
            bobot=_weights(pr["bobot_peran"], bahasa),
            atas=_n(pr["batas_di_atas"], bahasa),
            sesuai=_n(pr["batas_sesuai"], bahasa),
        ),
    ]
    for settings, name in ((hk, "rating_hk_kecil"), (pr, "rating_pr_kecil")):
        rating = text(name, bahasa)
        if bahasa == "en":
            rating = rating.lower()
        key = "metode_diberikan" if settings["pakai_rating_diberikan"] else "metode_dihitung"
        paragraphs.append(text(key, bahasa, rating=rating))
    return Part(text("metode_tingkat", bahasa), paragraphs, bahasa=bahasa)


def _matrix(skema: Scheme, bahasa: str) -> Part:
    """Lay out the 3 × 3 matrix: results (best) to bottom, behaviour left (worst) to right."""
    columns = list(LEVEL.values)
    rows = [
        {text("matriks_sudut", bahasa): hk, **{pr: skema.matrix[hk][pr] for pr in columns}}
        for hk in reversed(columns)
    ]
    return Part(text("metode_matriks", bahasa), [], [pd.DataFrame(rows)], bahasa, row_heads=True)


def _rule(rule: dict, bahasa: str) -> list[str]:
    who = " + ".join(rule["predikat"])
    said = []
    if "maks" in rule:
        said.append(text("aturan_maks", bahasa, predikat=who, v=_share(rule["maks"], bahasa)))
    if "min" in rule:
        said.append(text("aturan_min", bahasa, predikat=who, v=_share(rule["min"], bahasa)))
    if "min_orang" in rule:
        people = formatting.integer(rule["min_orang"], bahasa)
        said.append(text("aturan_orang", bahasa, predikat=who, v=people))
    return said


def _curve(skema: Scheme, org: str | None, opd: str | None, bahasa: str) -> Part:
    rows = [
        {
            text("predikat_organisasi", bahasa): name,
            text("aturan", bahasa): "; ".join(s for rule in rules for s in _rule(rule, bahasa)),
        }
        for name, rules in skema.kurva.items()
    ]
    paragraphs = [text("metode_kurva_teks", bahasa)]
    if opd is not None:
        paragraphs.append(
            text("metode_kurva_opd", bahasa, opd=opd, org=org)
            if org
            else f"{opd}: {text('tanpa_org', bahasa)}"
        )
    return Part(text("metode_kurva", bahasa), paragraphs, [pd.DataFrame(rows)], bahasa)


def _national(skema: Scheme, bahasa: str) -> Part:
    source = skema.settings.get("nasional", {}).get("sumber", "")
    shares = skema.national_shares
    table = pd.DataFrame(
        {
            text("predikat", bahasa): list(shares),
            text("porsi", bahasa): [formatting.percent(v, bahasa, 2) for v in shares.values()],
        }
    )
    return Part(
        text("metode_nasional_judul", bahasa),
        [text("metode_nasional", bahasa, sumber=source)],
        [table],
        bahasa,
    )


def _credit(skema: Scheme, bahasa: str) -> Part:
    settings = skema.settings["angka_kredit"]
    shares = settings["persentase"]
    percentages = pd.DataFrame(
        {
            text("predikat", bahasa): list(shares),
            text("persentase", bahasa): [_share(v, bahasa) for v in shares.values()],
        }
    )
    levels = settings["koefisien"]
    coefficients = pd.DataFrame(
        {
            text("jenjang", bahasa): list(levels),
            text("koefisien", bahasa): [float(v) for v in levels.values()],
        }
    )
    return Part(
        text("metode_angka_kredit", bahasa),
        [text("metode_angka_kredit_teks", bahasa)],
        [percentages, coefficients],
        bahasa,
    )


def _measures(component: Component, bahasa: str) -> str:
    if component.jenis == "indikator" and component.options["metode"] == "pp46":
        return text("ukur_indikator_pp46", bahasa)
    return text(f"ukur_{component.jenis}", bahasa)


def _settings(component: Component, bahasa: str) -> str:
    """Say a component's settings in words (its filters, cap, scale, weights, deductions)."""
    opts = component.options
    said = []
    if "aspek" in opts:
        said.append(text("opsi_aspek", bahasa, v=", ".join(opts["aspek"])))
    if "jenis_rhk" in opts:
        said.append(text("opsi_jenis_rhk", bahasa, v=", ".join(opts["jenis_rhk"])))
    capped = component.jenis == "indikator" and opts["metode"] == "capaian"  # pp46: own formula
    if capped and math.isfinite(float(opts["capaian_maks"])):
        said.append(text("opsi_maks", bahasa, v=_n(opts["capaian_maks"], bahasa)))
    if component.jenis == "perilaku":
        values = opts["nilai_inti"]
        said.append(
            text("opsi_semua_nilai", bahasa)
            if set(values) == set(NILAI_INTI.values)
            else text("opsi_nilai_inti", bahasa, v=", ".join(values))
        )
        said.append(text("opsi_peran", bahasa, v=_weights(opts["bobot_peran"], bahasa)))
        said.append(text("opsi_skala", bahasa, v=_n(opts["skala"], bahasa)))
        elements = opts.get("unsur") or {}
        if elements:
            listed = "; ".join(f"{k}: {', '.join(v)}" for k, v in elements.items())
            said.append(text("opsi_unsur", bahasa, v=listed))
        structural = opts.get("unsur_struktural") or []
        if structural:
            said.append(text("opsi_struktural", bahasa, v=", ".join(structural)))
    if component.jenis == "disiplin":
        said.append(
            text(
                "opsi_potong",
                bahasa,
                tk=_n(opts["potong_tanpa_keterangan"], bahasa),
                jam=_n(opts["potong_per_jam_terlambat"], bahasa),
            )
        )
    return "; ".join(said)


def _weight(value: float, total: float, bahasa: str) -> str:
    """Write a weight as a percent when the weights add up to 1, else as written."""
    return _share(value, bahasa) if math.isclose(total, 1.0) else _n(value, bahasa)


def _condition(name: str | None, bahasa: str) -> str:
    """Say a band's condition in words (``inovasi``: ``inovasi tercatat``), or as written."""
    if not name:
        return ""
    try:
        return text(f"syarat_{name}", bahasa)
    except KeyError:
        return str(name)


def _numeric(skema: Scheme, bahasa: str) -> Part:
    components = skema.components
    total = sum(c.bobot for c in components)
    table = pd.DataFrame(
        {
            text("komponen", bahasa): [c.nama for c in components],
            text("mengukur", bahasa): [_measures(c, bahasa) for c in components],
            text("bobot", bahasa): [_weight(c.bobot, total, bahasa) for c in components],
            text("wajib", bahasa): [c.wajib for c in components],
            text("pengaturan", bahasa): [_settings(c, bahasa) for c in components],
        }
    )
    paragraphs = [text("metode_nilai_teks", bahasa)]
    alternative = skema.settings.get("bobot_jika_360")
    if alternative:
        listed = ", ".join(f"{k} {_weight(v, total, bahasa)}" for k, v in alternative.items())
        paragraphs.append(text("metode_360", bahasa, bobot=listed))
    bands = skema.settings["pita"]
    band_table = pd.DataFrame(
        {
            text("predikat", bahasa): [b["predikat"] for b in bands],
            text("nilai_min", bahasa): [float(b["min"]) for b in bands],
        }
    )
    if any(b.get("syarat") for b in bands):
        band_table[text("syarat", bahasa)] = [_condition(b.get("syarat"), bahasa) for b in bands]
    return Part(text("metode_nilai", bahasa), paragraphs, [table, band_table], bahasa)


def method_appendix(
    skema: Scheme, *, org: str | None = None, opd: str | None = None, bahasa: str = "id"
) -> Section:
    """Write the method appendix of a report from the scheme in use.

    Parameters
    ----------
    skema : Scheme
        The scheme the results were scored under.
    org : str, optional
        The agency's organisation predikat (says which curve row applies).
    opd : str, optional
        The agency's name, for an agency report (the overview leaves it out).
    bahasa : {"id", "en"}
        Language.

    Returns
    -------
    Section
        Its paragraphs name the scheme, its content key and source; its blocks are
        :class:`Part` s: the rating levels, then the matrix (matrix scheme) or the components
        and bands (numeric scheme), the curve, the national shares and the credit points when
        the scheme has them.
    """
    paragraphs = [text("metode_skema", bahasa, nama=skema.nama, judul=skema.judul, kunci=skema.key)]
    source = skema.settings.get("sumber")
    if source:
        paragraphs.append(text("metode_sumber", bahasa, sumber=source))
    parts = [_levels(skema, bahasa)]
    parts.append(_matrix(skema, bahasa) if skema.jenis == "matriks" else _numeric(skema, bahasa))
    if skema.kurva:
        parts.append(_curve(skema, org, opd, bahasa))
    if skema.national_shares and set(skema.national_shares) == set(skema.labels):
        parts.append(_national(skema, bahasa))  # compared only where the labels are the same
    if skema.settings.get("angka_kredit"):
        parts.append(_credit(skema, bahasa))
    return Section(text("lampiran_metode", bahasa), paragraphs, list(parts), bahasa=bahasa)
