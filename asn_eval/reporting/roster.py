"""The roster of an agency (*daftar pegawai*): every employee with the evidence and the predikat.

One row per employee of the agency, and only them, grouped by unit kerja: NIP, name, position,
mean achievement, both ratings, the predikat (and, under a numeric scheme, the score), the
forum's calibrated predikat and its reason when a decisions file was used, credit points for
functional positions, and the notes. Employees without evidence are listed too, with the note
that says what is missing. In print the header row repeats on every page (``thead``) and rows
are not split.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from asn_eval import formatting
from asn_eval.anonymity import Pseudonyms
from asn_eval.input.nip import format_nip
from asn_eval.input.vocab import JENIS_JABATAN
from asn_eval.reporting.text import text
from asn_eval.scoring.scheme import Scheme

__all__ = ["RosterTable", "roster_frame"]

# How a column's cells are laid out: numbers right and whole, notes wide enough to read.
_CELL_CLASS = {
    "capaian": " class='asn-angka-sel'",
    "nilai": " class='asn-angka-sel'",
    "angka_kredit": " class='asn-angka-sel'",
    "jabatan": " class='asn-teks-sel asn-jabatan-sel'",
    "catatan": " class='asn-teks-sel'",
    "alasan_kalibrasi": " class='asn-teks-sel'",
}


def _units_in_order(units: pd.Series) -> list[str]:
    """Units in the order they first appear (the data's own order, leadership first)."""
    return list(dict.fromkeys(units.dropna().astype("str")))


def roster_frame(
    hasil: pd.DataFrame,
    skema: Scheme,
    pseudonyms: Pseudonyms | None = None,
    bahasa: str = "id",
) -> pd.DataFrame:
    """Return the roster's rows in print order, as values (not yet written as text).

    Parameters
    ----------
    hasil : DataFrame
        Scored results of one agency (:attr:`CityResults.hasil` rows), every employee.
    skema : Scheme
        The scheme: a numeric one adds the score column, one with credit points the credit
        column (when the agency has functional positions).
    pseudonyms : Pseudonyms, optional
        Replace NIPs and names (a pseudonymised report).
    bahasa : {"id", "en"}
        Language of the unit label for employees without one.

    Returns
    -------
    DataFrame
        Columns ``unit_kerja, nip, nama, jabatan, capaian, rating_hasil_kerja,
        rating_perilaku, predikat``, then ``nilai`` (numeric scheme), ``predikat_kalibrasi,
        alasan_kalibrasi`` (when ``hasil`` has them), ``angka_kredit`` (when shown) and
        ``catatan``; one row per employee, ordered by unit (first appearance), position type
        (JPT first) and the data's order. NIPs are written ``19801025 200311 1 001``.
    """
    rows = hasil.reset_index(drop=True)
    unit = (
        rows["unit_kerja"].astype("str")
        if "unit_kerja" in rows
        else pd.Series("", index=rows.index)
    )
    unit = unit.where(unit.notna() & (unit.str.strip() != ""), text("tanpa_unit", bahasa))
    order = {u: i for i, u in enumerate(_units_in_order(unit))}
    ranks = {j: i for i, j in enumerate(reversed(JENIS_JABATAN.values))}  # JPT first
    key = pd.DataFrame(
        {
            "unit": unit.map(order),
            "jenis": rows["jenis_jabatan"].astype("str").map(ranks).fillna(len(ranks)),
            "urut": range(len(rows)),
        }
    )
    rows = rows.loc[key.sort_values(["unit", "jenis", "urut"]).index]
    unit = unit.loc[rows.index]
    if pseudonyms is not None:
        shown = pseudonyms.frame(rows[["nip", "nama"]], [("nip", "nama")])
        nips, names = shown["nip"], shown["nama"]
    else:
        nips, names = format_nip(rows["nip"].astype("str")), rows["nama"].astype("str")
    columns = {
        "unit_kerja": unit,
        "nip": nips,
        "nama": names,
        "jabatan": rows["jabatan"].astype("str"),
        "capaian": rows["capaian"].astype("float64"),
        "rating_hasil_kerja": rows["rating_hasil_kerja"].astype("str"),
        "rating_perilaku": rows["rating_perilaku"].astype("str"),
        "predikat": rows["predikat"].astype("str"),
    }
    if skema.jenis == "angka" and "nilai" in rows:
        columns["nilai"] = rows["nilai"].astype("float64")
    if "predikat_kalibrasi" in rows:
        columns["predikat_kalibrasi"] = rows["predikat_kalibrasi"].astype("str")
        columns["alasan_kalibrasi"] = rows.get("alasan_kalibrasi", pd.Series(index=rows.index))
    functional = rows["jenis_jabatan"].astype("str") == "Fungsional"
    if "angka_kredit" in rows and skema.settings.get("angka_kredit") and functional.any():
        columns["angka_kredit"] = rows["angka_kredit"].astype("float64").where(functional)
    columns["catatan"] = rows["catatan"].astype("str")
    return pd.DataFrame(columns).reset_index(drop=True)


_LABELS = {
    "nama": "kolom_nama_nip",
    "jabatan": "jabatan",
    "capaian": "kolom_capaian",
    "rating_hasil_kerja": "kolom_rating_hk",
    "rating_perilaku": "kolom_rating_pr",
    "predikat": "predikat",
    "nilai": "kolom_nilai",
    "predikat_kalibrasi": "kolom_kalibrasi",
    "alasan_kalibrasi": "kolom_alasan",
    "angka_kredit": "kolom_angka_kredit",
    "catatan": "kolom_catatan",
}


@dataclass(repr=False)
class RosterTable:
    """The roster as one table with a group row per unit kerja (a block of a Section).

    The name and the NIP share a column, the NIP under the name, as personnel lists write them
    (*Nama / NIP*): the table stays narrow enough for a portrait page.

    Parameters
    ----------
    frame : DataFrame
        :func:`roster_frame`.
    bahasa : {"id", "en"}
        Language of the header and of the numbers.
    """

    frame: pd.DataFrame
    bahasa: str = "id"

    def __repr__(self) -> str:
        return f"RosterTable({len(self.frame)} pegawai)"

    def _repr_html_(self) -> str:
        frame = self.frame
        shown = [c for c in frame.columns if c not in ("unit_kerja", "nip")]
        written = formatting.table(frame[[*shown, "nip"]], self.bahasa)
        written = written.replace({"": formatting.MISSING, "nan": formatting.MISSING})
        written["catatan"] = frame["catatan"].fillna("")  # no note is no note, not a dash
        head = "".join(
            f"<th scope='col'>{html.escape(text(k, self.bahasa))}</th>"
            for k in ["kolom_no", *(_LABELS[c] for c in shown)]
        )
        bodies = []
        for unit, members in written.groupby(frame["unit_kerja"], sort=False):
            label = text(
                "unit_jumlah",
                self.bahasa,
                unit=unit,
                n=formatting.integer(len(members), self.bahasa),
            )
            rows = [
                f"<tr class='asn-grup'><th colspan='{len(shown) + 1}' scope='rowgroup'>"
                f"{html.escape(label)}</th></tr>"
            ]
            for position, row in members.iterrows():
                number = formatting.integer(position + 1, self.bahasa)
                cells = [f"<td class='asn-angka-sel'>{number}</td>"]
                for column in shown:
                    value = html.escape(row[column])
                    if column == "nama":
                        value += f"<br><span class='asn-nip'>{html.escape(row['nip'])}</span>"
                    cells.append(f"<td{_CELL_CLASS.get(column, '')}>{value}</td>")
                rows.append(f"<tr>{''.join(cells)}</tr>")
            bodies.append(f"<tbody>{''.join(rows)}</tbody>")
        return (
            f"{_STYLE}<table class='asn-tabel asn-daftar'><thead><tr>{head}</tr></thead>"
            f"{''.join(bodies)}</table>"
        )


_STYLE = """<style>
table.asn-tabel.asn-daftar { width: 100%; table-layout: auto; font-size: .85em; }
table.asn-tabel.asn-daftar th, table.asn-tabel.asn-daftar td { text-align: left;
  vertical-align: top; }
table.asn-tabel.asn-daftar tr.asn-grup th { background: #e8e8e8; font-weight: 700;
  padding-top: .35rem; }
table.asn-tabel.asn-daftar td.asn-angka-sel { text-align: right; white-space: nowrap; }
table.asn-tabel.asn-daftar .asn-nip { white-space: nowrap; }
table.asn-tabel.asn-daftar td.asn-teks-sel { min-width: 6rem; }
table.asn-tabel.asn-daftar thead th { vertical-align: bottom; border-bottom: 2px solid #888; }
</style>"""
