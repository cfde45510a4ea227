"""Objections (keberatan) in the reports: an agency's list and the city's counts per agency.

The rows are :attr:`~asn_eval.reporting.results.CityResults.keberatan`: the period's objections
under the city's scheme, read from the decisions file when the city was scored
(:meth:`~asn_eval.decisions.DecisionStore.objections`), so an open objection's age is counted to
that moment, which the text says. Issue 14: open objections are listed in the OPD report and
counted per agency (with their age in days) in the city overview; an answer that changed the
predikat is a calibration decision, and one withdrawn since is said to be withdrawn, never
"changed to" its predikat.

Free text (grounds, answers, who filed and who answered) is data: tables escape it when they are
rendered (:class:`~asn_eval.reporting.sections.Section`), and names and NIPs in it are masked
(:class:`~asn_eval.anonymity.Masking`): everybody's in a pseudonymised report; otherwise the
employees of other agencies, since an agency's report names only its own people. The overview
names nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from asn_eval import formatting
from asn_eval.anonymity import Masking, Pseudonyms, new_key
from asn_eval.decisions.objections import CHANGED, KEPT, OPEN
from asn_eval.input.nip import format_nip
from asn_eval.reporting.sections import Section
from asn_eval.reporting.text import text

__all__ = ["MAX_ANSWERED", "AgencyObjections", "city_objections", "outcome"]

MAX_ANSWERED = 15
"""Most answered objections an agency report lists (the latest answers; the rest are counted)."""


def outcome(row: pd.Series, bahasa: str = "id") -> str:
    """Say how an answered objection ended: kept, changed to a predikat, or changed and withdrawn.

    Parameters
    ----------
    row : Series
        One answered row of :meth:`~asn_eval.decisions.DecisionStore.objections`.
    bahasa : {"id", "en"}
        Language.

    Returns
    -------
    str
        ``Tetap: Baik``, ``Diubah: Baik → Sangat Baik``, or, for a change withdrawn since (its
        predikat no longer applies), ``Diubah, lalu perubahannya ditarik``.

    Examples
    --------
    >>> outcome(pd.Series({"hasil": "diubah", "ditarik": False, "predikat_keberatan": "Baik",
    ...                    "predikat_sesudah": "Sangat Baik"}))
    'Diubah: Baik → Sangat Baik'
    """
    if row["hasil"] == KEPT:
        return text("hasil_tetap", bahasa, predikat=row["predikat_sesudah"])
    if row["hasil"] == CHANGED and bool(row["ditarik"]):
        return text("hasil_ditarik", bahasa)
    return text(
        "hasil_diubah", bahasa, sebelum=row["predikat_keberatan"], sesudah=row["predikat_sesudah"]
    )


def _day(moment: object, zona: str, bahasa: str) -> str:
    """Write the calendar day of a UTC moment in the city's time zone (``30 Nov 2026``)."""
    if pd.isna(moment):
        return formatting.MISSING
    local = pd.Timestamp(moment).tz_convert(formatting.zone(zona))
    return formatting.date(local, bahasa, short=True)


def _as_of(aged_at: pd.Timestamp | None, zona: str, bahasa: str) -> list[str]:
    """Say when open objections' ages were counted (nothing when no decisions file was read)."""
    if aged_at is None:
        return []
    return [text("keberatan_umur_per", bahasa, waktu=formatting.timestamp(aged_at, zona, bahasa))]


def _answered_lead(rows: pd.DataFrame, bahasa: str) -> list[str]:
    """Say how the answered objections ended and how long they took (nothing when none)."""
    answered = rows[rows["status"] != OPEN]
    if not len(answered):
        return []
    changed = answered["hasil"] == CHANGED
    said = [
        text(
            "keberatan_hasil_teks",
            bahasa,
            tetap=int((answered["hasil"] == KEPT).sum()),
            diubah=int(changed.sum()),
            hari=formatting.number(answered["umur_hari"].mean(), 1, bahasa),
        )
    ]
    withdrawn = int((changed & answered["ditarik"].astype(bool)).sum())
    if withdrawn:
        said.append(text("keberatan_ditarik_teks", bahasa, n=withdrawn))
    return said


@dataclass
class AgencyObjections:
    """The *Keberatan* section of one agency's report.

    Parameters
    ----------
    rows : DataFrame
        The agency's objections of the period (columns
        :data:`~asn_eval.decisions.OBJECTION_COLUMNS`), open and answered.
    pegawai : DataFrame
        The city's ``pegawai`` table (``nip``, ``nama``, ``kode_opd``): the names shown, and
        whose names and NIPs are masked in free text.
    kode_opd, nama_opd : str
        The agency.
    periode : str
        The period, as the report writes it.
    zona : {"WIB", "WITA", "WIT"}
        The city's time zone: dates are the day there.
    aged_at : Timestamp, optional
        When the ages were counted (:attr:`CityResults.aged_at`); None when the city was scored
        without a decisions file, which the empty section then says.
    pseudonyms : Pseudonyms, optional
        The batch's pseudonyms, for a pseudonymised report: names and NIPs become them, in the
        table and in the free text.
    bahasa : {"id", "en"}
        Language.
    """

    rows: pd.DataFrame
    pegawai: pd.DataFrame
    kode_opd: str
    nama_opd: str
    periode: str
    zona: str = "WIB"
    aged_at: pd.Timestamp | None = None
    pseudonyms: Pseudonyms | None = None
    bahasa: str = "id"

    def _t(self, key: str, **values: object) -> str:
        return text(key, self.bahasa, **values)

    def _masking(self) -> Masking | None:
        """Everybody under pseudonyms; otherwise the employees of other agencies (or nobody)."""
        people = self.pegawai
        if self.pseudonyms is not None:
            return Masking(self.pseudonyms, people)
        outsiders = people[people["kode_opd"].astype("str") != self.kode_opd]
        if not len(outsiders):
            return None
        return Masking(Pseudonyms(new_key()), outsiders)

    def _who(self, rows: pd.DataFrame) -> dict[str, list[str]]:
        """Return the columns naming the rows' employees: name and NIP, or the pseudonym.

        A pseudonymised report shows the pseudonym name only, as its other sections do (it holds
        the code: ``Pegawai 7K3QX2`` is ``P-7K3QX2``).
        """
        nips = rows["nip"].astype("str")
        if self.pseudonyms is not None:
            return {self._t("nama"): [self.pseudonyms.name(n) for n in nips]}
        names = dict(
            zip(self.pegawai["nip"].astype("str"), self.pegawai["nama"].astype("str"), strict=True)
        )
        return {
            self._t("nama"): [names.get(n, formatting.MISSING) for n in nips],
            self._t("nip"): list(format_nip(nips)),
        }

    def section(self) -> Section:
        """Make the section: counts, the open objections listed, then the answered ones.

        Returns
        -------
        Section
            One sentence when the period has no objection for this agency; otherwise a lead
            (how many, how many open, how the answered ones ended), the open objections oldest
            first (name and NIP, or the pseudonym; the predikat contested, the day filed, age in
            days, the grounds and who filed them), and the latest :data:`MAX_ANSWERED` answered
            ones (the day answered, the outcome, the grounds, the answer and who gave it).
        """
        title = self._t("keberatan")
        rows = self.rows.sort_values("id", kind="stable").reset_index(drop=True)
        if not len(rows):
            key = "keberatan_tidak_ada" if self.aged_at is not None else "keberatan_tanpa_berkas"
            return Section(title, [self._t(key, opd=self.nama_opd, periode=self.periode)])
        is_open = (rows["status"] == OPEN).to_numpy()
        paragraphs = [
            self._t(
                "keberatan_teks",
                n=len(rows),
                periode=self.periode,
                terbuka=int(is_open.sum()),
                dijawab=int((~is_open).sum()),
            ),
            *_answered_lead(rows, self.bahasa),
        ]
        masking = self._masking()
        masked = False

        def free(value: object, by: object) -> str:
            """Write a text and who wrote it in one cell, masked."""
            nonlocal masked
            written = self._t("teks_oleh", teks=value, oleh=by)
            shown = masking.text(written) if masking is not None else written
            masked |= shown != written
            return shown

        blocks: list[object] = []
        waiting = rows[is_open]
        if len(waiting):
            paragraphs += _as_of(self.aged_at, self.zona, self.bahasa)
            table = pd.DataFrame(
                {
                    self._t("kolom_no"): [f"#{i}" for i in waiting["id"]],
                    **self._who(waiting),
                    self._t("predikat_dipersoalkan"): waiting["predikat_keberatan"].to_numpy(),
                    self._t("diajukan"): [
                        _day(w, self.zona, self.bahasa) for w in waiting["waktu"]
                    ],
                    self._t("umur_hari"): waiting["umur_hari"].astype("int64").to_numpy(),
                    self._t("alasan_keberatan"): [
                        free(v, by)
                        for v, by in zip(
                            waiting["alasan_keberatan"], waiting["diajukan_oleh"], strict=True
                        )
                    ],
                }
            )
            blocks.append((self._t("keberatan_terbuka"), table))
        done = rows[~is_open].sort_values("id_jawaban", ascending=False, kind="stable")
        if len(done):
            shown = done.head(MAX_ANSWERED)
            table = pd.DataFrame(
                {
                    self._t("kolom_no"): [f"#{i}" for i in shown["id"]],
                    **self._who(shown),
                    self._t("dijawab"): [
                        _day(w, self.zona, self.bahasa) for w in shown["waktu_jawaban"]
                    ],
                    self._t("hasil_keberatan"): [
                        outcome(row, self.bahasa) for _, row in shown.iterrows()
                    ],
                    self._t("alasan_keberatan"): [
                        free(v, by)
                        for v, by in zip(
                            shown["alasan_keberatan"], shown["diajukan_oleh"], strict=True
                        )
                    ],
                    self._t("jawaban"): [
                        free(v, by)
                        for v, by in zip(shown["jawaban"], shown["dijawab_oleh"], strict=True)
                    ],
                }
            )
            blocks.append((self._t("keberatan_dijawab"), table))
            if len(done) > MAX_ANSWERED:
                blocks.append(self._t("dan_lainnya", n=len(done) - MAX_ANSWERED))
        if masked and self.pseudonyms is None:
            paragraphs.append(self._t("keberatan_disamarkan"))
        return Section(title, paragraphs, blocks, bahasa=self.bahasa)


def city_objections(
    keberatan: pd.DataFrame,
    opd: pd.DataFrame,
    periode: str,
    *,
    zona: str = "WIB",
    aged_at: pd.Timestamp | None = None,
    bahasa: str = "id",
) -> Section:
    """Make the overview's section: objections per agency, open ones with their age in days.

    Parameters
    ----------
    keberatan : DataFrame
        The city's objections of the period (:attr:`CityResults.keberatan`).
    opd : DataFrame
        The ``opd`` table (``kode_opd``, ``nama_opd``), for the agencies' names.
    periode : str
        The period.
    zona : {"WIB", "WITA", "WIT"}
        The city's time zone (when the ages were counted is written in it).
    aged_at : Timestamp, optional
        When the ages were counted; None when no decisions file was read.
    bahasa : {"id", "en"}
        Language.

    Returns
    -------
    Section
        One sentence when the period has no objection. Otherwise the totals (cards), and one
        row per agency with an objection: open ones, the oldest open one's age and the mean
        age in days, answered ones and how they ended (kept, changed, and changes withdrawn
        when there are any), sorted by open ones and then the oldest; a last row sums the city.
        No name or NIP anywhere.
    """
    title = text("keberatan_kota", bahasa)
    if not len(keberatan):
        key = "keberatan_kota_tidak_ada" if aged_at is not None else "keberatan_tanpa_berkas"
        return Section(title, [text(key, bahasa, periode=periode)])
    rows = keberatan.assign(
        kode_opd=keberatan["kode_opd"].astype("str"),
        terbuka=keberatan["status"] == OPEN,
        tetap=keberatan["hasil"] == KEPT,
        diubah=keberatan["hasil"] == CHANGED,
        ditarik=(keberatan["hasil"] == CHANGED) & keberatan["ditarik"].astype(bool),
    )
    rows["umur_terbuka"] = rows["umur_hari"].where(rows["terbuka"]).astype("float64")

    def summary(group: pd.DataFrame) -> dict[str, object]:
        return {
            "terbuka": int(group["terbuka"].sum()),
            "tertua": group["umur_terbuka"].max(),
            "rata_rata": round(float(group["umur_terbuka"].mean()), 1)
            if group["terbuka"].any()
            else None,
            "dijawab": int((~group["terbuka"]).sum()),
            "tetap": int(group["tetap"].sum()),
            "diubah": int(group["diubah"].sum()),
            "ditarik": int(group["ditarik"].sum()),
        }

    per_opd = pd.DataFrame(
        [{"kode_opd": code, **summary(group)} for code, group in rows.groupby("kode_opd")]
    )
    per_opd = per_opd.sort_values(
        ["terbuka", "tertua", "kode_opd"], ascending=[False, False, True], na_position="last"
    )
    names = dict(zip(opd["kode_opd"].astype("str"), opd["nama_opd"].astype("str"), strict=True))
    per_opd.insert(1, "nama_opd", per_opd["kode_opd"].map(names).fillna(formatting.MISSING))
    total = {"kode_opd": text("jumlah_kota", bahasa), "nama_opd": "", **summary(rows)}
    table = pd.concat([per_opd, pd.DataFrame([total])], ignore_index=True)
    for column in ("tertua", "rata_rata"):
        table[column] = table[column].astype("float64")
    whole = summary(rows)
    if not whole["ditarik"]:
        table = table.drop(columns="ditarik")
    table = table.rename(
        columns={
            "kode_opd": text("opd", bahasa),
            "nama_opd": text("nama", bahasa),
            "terbuka": text("n_terbuka", bahasa),
            "tertua": text("umur_tertua", bahasa),
            "rata_rata": text("umur_rata", bahasa),
            "dijawab": text("n_dijawab", bahasa),
            "tetap": text("n_tetap", bahasa),
            "diubah": text("n_diubah", bahasa),
            "ditarik": text("n_ditarik", bahasa),
        }
    )
    cards = {
        text("keberatan", bahasa): formatting.integer(len(rows), bahasa),
        text("n_terbuka", bahasa): formatting.integer(whole["terbuka"], bahasa),
        text("n_dijawab", bahasa): formatting.integer(whole["dijawab"], bahasa),
        text("n_tetap", bahasa): formatting.integer(whole["tetap"], bahasa),
        text("n_diubah", bahasa): formatting.integer(whole["diubah"], bahasa),
    }
    paragraphs = [
        text(
            "keberatan_kota_teks",
            bahasa,
            n=len(rows),
            periode=periode,
            k=len(per_opd),
            terbuka=whole["terbuka"],
            dijawab=whole["dijawab"],
        ),
        *_answered_lead(keberatan, bahasa),
    ]
    if whole["terbuka"]:
        paragraphs += _as_of(aged_at, zona, bahasa)
    return Section(title, paragraphs, [cards, ("", table)], bahasa=bahasa)
