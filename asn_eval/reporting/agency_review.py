"""The parts of an agency report an evaluation forum looks at before it decides.

Ratings that disagree with the evidence, written feedback, follow-up (reward candidates, coaching,
training), calibration decisions, the fairness of raters, progress between quarters and the
activity log. :class:`~asn_eval.reporting.agency.AgencyReport` takes these sections from
:class:`ReviewSections`; each reads the city's analyses (:mod:`asn_eval.analysis`), filtered to
the agency, and computes nothing again.
"""

from __future__ import annotations

import pandas as pd

from asn_eval.analysis.development import (
    OTHER_ROLES,
    box_counts,
    coaching_candidates,
    final_predikat,
    follow_up_rules,
    nine_box,
    recognition_candidates,
    score_bands,
    threshold,
    training_plan,
)
from asn_eval.analysis.fairness import ALPHA_RELIABLE, ALPHA_TENTATIVE, agreement_level
from asn_eval.formatting import count_percent as _count_percent
from asn_eval.formatting import integer as _integer
from asn_eval.formatting import number as _number
from asn_eval.formatting import percent as _percent
from asn_eval.formatting import points as _points
from asn_eval.input.periode import Periode, periode_mask
from asn_eval.input.vocab import LEVEL
from asn_eval.reporting.results import CityResults
from asn_eval.reporting.sections import Section
from asn_eval.reporting.text import text

__all__ = ["ReviewSections", "contradiction_scope"]


def contradiction_scope(city: CityResults, bahasa: str = "id") -> str:
    """Say which periods the city's ``bertentangan`` analysis covers.

    :func:`asn_eval.analysis.run.analyze` lists contradictions in the period and, for a year, in
    each of its quarters; cards and tables that count them say this scope.

    Parameters
    ----------
    city : CityResults
        The scored city.
    bahasa : {"id", "en"}
        Language.

    Returns
    -------
    str
        ``2025-TW2``; ``2025 dan triwulannya``; or ``triwulan-triwulan 2025`` when the data has
        no rows for the year itself.
    """
    periode = city.periode
    if not periode.is_year:
        return str(periode)
    key = "lingkup_tahun" if periode in set(city.data.periodes) else "lingkup_triwulan"
    return text(key, bahasa, periode=periode)


class ReviewSections:
    """Sections of :class:`~asn_eval.reporting.agency.AgencyReport` about what a forum reviews.

    A mixin: it uses the report's agency, language, city and helpers (``_t``, ``_section``,
    ``_people``, ``_limited``, ``_analysis``, ``_names``).
    """

    def ketidaksesuaian(self) -> Section | None:
        """Where the given ratings disagree with the indicators, and official predikat differs.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        gap = self._gap()
        official = (
            self.hasil["predikat_diberikan"].notna()
            & self.hasil["predikat"].notna()
            & (
                self.hasil["predikat_diberikan"].astype("str")
                != self.hasil["predikat"].astype("str")
            )
        )
        lead = self._t(
            "selisih_teks",
            periode=self.periode,
            both=int(gap.notna().sum()),
            same=int((gap == 0).sum()),
            one=int((gap == 1).sum()),
            two=int((gap == 2).sum()),
            official=int(official.sum()),
        )
        contradicted = self.hasil[(gap == 2).to_numpy()].sort_values("capaian")
        table = self._people(
            contradicted,
            [
                "nama",
                "jabatan",
                "rating_hasil_kerja_diberikan",
                "rating_hasil_kerja_saran",
                "capaian",
            ],
        ).rename(
            columns={
                "nama": self._t("nama"),
                "jabatan": self._t("jabatan"),
                "rating_hasil_kerja_diberikan": self._t("diberikan"),
                "rating_hasil_kerja_saran": self._t("saran"),
                "capaian": self._t("capaian_kolom"),
            }
        )
        blocks = self._limited("", table) if len(table) else []
        return self._section(self._t("selisih"), [lead], blocks)

    def umpan_balik(self) -> Section | None:
        """Show the most frequent written feedback, per RHK and per core value.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        notes = []
        for table, about in (("skp", "rhk"), ("perilaku", "nilai_inti")):
            if not self.dataset.has(table) or "umpan_balik" not in self.dataset.tables[table]:
                continue
            rows = self.dataset.tables[table]
            rows = rows[periode_mask(rows, self.periode) & rows["umpan_balik"].notna()]
            notes.append(
                pd.DataFrame(
                    {
                        "umpan_balik": rows["umpan_balik"].astype("str").to_numpy(),
                        "tentang": rows[about].astype("str").to_numpy(),
                    }
                )
            )
        if not notes or not sum(len(n) for n in notes):
            return self._section(self._t("umpan_balik"), [self._t("tanpa_umpan_balik")])
        notes = pd.concat(notes, ignore_index=True)
        top = (
            notes.groupby("umpan_balik")
            .agg(kali=("tentang", "size"), tentang=("tentang", lambda s: s.mode().iloc[0]))
            .sort_values("kali", ascending=False)
            .head(8)
            .reset_index()
        )
        top.columns = [self._t("umpan_balik"), self._t("kali"), self._t("tentang")]
        return self._section(
            self._t("umpan_balik"), [self._t("umpan_balik_teks", n=len(notes))], [("", top)]
        )

    def contradiction_scope(self) -> str:
        """Say which periods the contradictions are counted over (the card and the table agree).

        Returns
        -------
        str
            The quarter itself; for a year, the year and its quarters (or only its quarters when
            the data has no rows for the year).
        """
        return contradiction_scope(self.city, self.bahasa)

    def contradiction_count(self) -> int:
        """Count the ratings that contradict their evidence over :meth:`contradiction_scope`.

        Returns
        -------
        int
            Rows of the city's ``bertentangan`` analysis for this agency (the table the fairness
            section lists), or the period's own two-level gaps when no analysis was computed.
        """
        if "bertentangan" in self.city.analysis:
            return len(self._analysis("bertentangan"))
        return int((self._gap() == 2).sum())

    def _curve_caveat(self) -> str | None:
        """Warn when the agency's predikat shares exceed its curve (``city.kurva``)."""
        curve = self._curve_row()
        if curve is None or not bool(curve["melanggar"]):
            return None
        return self._t(
            "kurva_peringatan", org=curve["predikat_organisasi"], why=curve["pelanggaran"]
        )

    def tindak_lanjut(self) -> Section | None:
        """Candidates for recognition, for coaching, and training needs per programme.

        Every list names the evidence of each row (:mod:`asn_eval.analysis.development`), and
        every threshold printed is read from :func:`~asn_eval.analysis.development.
        follow_up_rules`, which the rules apply. Where the agency's predikat shares exceed its
        curve, a warning stands before the lists.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        rules = follow_up_rules(self.scheme)
        h = threshold(rules.hasil_di_atas, bahasa=self.bahasa)
        p = threshold(rules.perilaku_di_atas, bahasa=self.bahasa)
        blocks: list[object] = []
        caveat = self._curve_caveat()
        if caveat:
            blocks.append(caveat)
        # a year: the top predikat held in every quarter (asn_eval.analysis.development.recognition)
        if self.periode.is_year and "penghargaan" in self.city.analysis:
            reward = self._analysis("penghargaan")
            dropped = 0
            if len(reward):  # the analysis ran before the forum's calibration: apply it here
                final = pd.Series(
                    final_predikat(self.hasil).to_numpy(), index=self.hasil["nip"].astype("str")
                )
                still = reward["nip"].astype("str").map(final).eq(rules.top).to_numpy(dtype=bool)
                dropped = int((~still).sum())
                reward = reward[still]
            lead = self._t(
                "penghargaan_tahun_teks",
                n=len(reward),
                top=rules.top,
                q=rules.min_triwulan,
                h=h,
                p=p,
                s=rules.min_sumber,
                roles=", ".join(OTHER_ROLES),
            )
            said = self._t("penghargaan_tahun_bukti", p=p)
            blocks.append(f"{lead} {said}" if len(reward) else lead)
            if dropped:
                blocks.append(self._t("penghargaan_dikalibrasi", n=dropped, top=rules.top))
        else:
            reward = recognition_candidates(self.hasil, self.scheme)
            lead = self._t("penghargaan_teks", n=len(reward), top=rules.top, h=h, p=p)
            said = self._t("penghargaan_bukti")
            blocks.append(f"{lead} {said}" if len(reward) else lead)
        if len(reward):
            table = self._people(reward, ["nama", "jabatan", "bukti"]).rename(
                columns={
                    "nama": self._t("nama"),
                    "jabatan": self._t("jabatan"),
                    "bukti": self._t("bukti"),
                }
            )
            blocks += self._limited(self._t("penghargaan"), table)
        coaching = coaching_candidates(self.hasil, self.scheme)
        lead = self._t(
            "pembinaan_teks", n=len(coaching), second=rules.second, low=", ".join(rules.low)
        )
        said = self._t("pembinaan_bukti")
        blocks.append(f"{lead} {said}" if len(coaching) else lead)
        if len(coaching):
            table = self._people(coaching, ["nama", "jabatan", "predikat_akhir", "bukti"]).rename(
                columns={
                    "nama": self._t("nama"),
                    "jabatan": self._t("jabatan"),
                    "predikat_akhir": self._t("predikat"),
                    "bukti": self._t("bukti"),
                }
            )
            blocks += self._limited(self._t("pembinaan"), table)
        needs = self._analysis("pelatihan")
        blocks.append(
            self._t(
                "pelatihan_teks",
                p=threshold(rules.perilaku_sesuai, bahasa=self.bahasa),
                h=threshold(rules.hasil_sesuai, bahasa=self.bahasa),
            )
        )
        if len(needs):
            plan = training_plan(needs)[["program", "n_pegawai", "kebutuhan"]].rename(
                columns={
                    "program": self._t("program"),
                    "n_pegawai": self._t("pegawai"),
                    "kebutuhan": self._t("kebutuhan"),
                }
            )
            blocks.append((self._t("pelatihan"), plan))
        else:
            blocks.append(self._t("tidak_ada"))
        return self._section(self._t("tindak_lanjut"), [], blocks)

    def kalibrasi(self) -> Section | None:
        """Show the forum's calibration decisions: computed and calibrated predikat side by side.

        Returns
        -------
        Section or None
            None when no decision applies to this agency.
        """
        if "dikalibrasi" not in self.hasil or not self.hasil["dikalibrasi"].any():
            return None
        changed = self.hasil[self.hasil["dikalibrasi"].to_numpy(dtype=bool)]
        table = self._people(
            changed, ["nama", "jabatan", "predikat", "predikat_kalibrasi", "alasan_kalibrasi"]
        ).rename(
            columns={
                "nama": self._t("nama"),
                "jabatan": self._t("jabatan"),
                "predikat": self._t("dihitung"),
                "predikat_kalibrasi": self._t("dikalibrasi"),
                "alasan_kalibrasi": self._t("alasan"),
            }
        )
        lead = self._t("kalibrasi_teks", n=len(changed))
        return self._section(self._t("kalibrasi"), [lead], self._limited("", table))

    def keadilan(self) -> Section | None:
        """Show whether the ratings were fair: raters' tendency, agreement, gaps, contradictions.

        Only raters and supervisors who belong to this agency are named.

        Returns
        -------
        Section or None
        """
        if self.kosong or not self.city.analysis:
            return None
        paragraphs, blocks = [], []
        raters = self._analysis("penilai")
        if len(raters):
            judged = raters[raters["cukup_data"].astype(bool)]
            counts = judged["kecenderungan"].astype("str").value_counts()
            paragraphs.append(
                self._t(
                    "keadilan_penilai",
                    n=len(judged),
                    lunak=int(counts.get("lunak", 0)),
                    keras=int(counts.get("keras", 0)),
                    wajar=int(counts.get("wajar", 0)),
                    sedikit=len(raters) - len(judged),
                )
            )
            flagged = judged[judged["kecenderungan"].astype("str").isin(["lunak", "keras"])]
            if len(flagged):
                shown = flagged.assign(
                    nip=flagged["nip_penilai"].astype("str"),
                    nama=self._names(flagged["nip_penilai"]),
                    selang=[
                        f"{_number(a, 2, self.bahasa)} … {_number(b, 2, self.bahasa)}"
                        for a, b in zip(flagged["batas_bawah"], flagged["batas_atas"], strict=True)
                    ],
                )
                table = self._people(
                    shown, ["nama", "n_dinilai", "estimasi", "selang", "kecenderungan"]
                ).rename(
                    columns={
                        "nama": self._t("nama"),
                        "n_dinilai": self._t("n_dinilai"),
                        "estimasi": self._t("estimasi"),
                        "selang": self._t("selang"),
                        "kecenderungan": self._t("kecenderungan"),
                    }
                )
                blocks.append((self._t("penilai_judul"), table))
        alpha = self._analysis("kesepakatan")
        if len(alpha) and pd.notna(alpha["alpha"].iloc[0]):
            value = float(alpha["alpha"].iloc[0])
            verdict = f"alfa_{agreement_level(value)}"
            paragraphs.append(
                self._t(
                    "keadilan_alfa",
                    alpha=_number(value, 2, self.bahasa),
                    n=int(alpha["n_unit"].iloc[0]),
                    verdict=self._t(
                        verdict,
                        tinggi=_number(ALPHA_RELIABLE, 2, self.bahasa),
                        sedang=_number(ALPHA_TENTATIVE, 3, self.bahasa),
                    ),
                )
            )
        gaps = self._analysis("sumber_penilai_opd")
        if len(gaps):
            row = gaps.iloc[0]
            paragraphs.append(
                self._t(
                    "keadilan_sumber",
                    **{
                        role: _number(row[f"selisih_{role}_atasan"], 2, self.bahasa, sign=True)
                        for role in ("diri", "rekan", "bawahan")
                    },
                )
            )
        supervisors = self._analysis("atasan")
        if len(supervisors):
            standing = supervisors[supervisors["menonjol"].astype(bool)]
            if len(standing):
                shown = standing.assign(
                    nip=standing["nip_atasan"].astype("str"),
                    nama=self._names(standing["nip_atasan"]),
                )
                table = self._people(
                    shown, ["nama", "n_bawahan", "n_berbeda", "n_bertentangan"]
                ).rename(
                    columns={
                        "nama": self._t("nama"),
                        "n_bawahan": self._t("pegawai"),
                        "n_berbeda": self._t("berbeda"),
                        "n_bertentangan": self._t("bertentangan"),
                    }
                )
                blocks += self._limited(self._t("atasan_judul"), table)
        contradicted = self._analysis("bertentangan")
        if len(contradicted):
            ratings = ["rating_hasil_kerja_diberikan", "rating_hasil_kerja_saran"]
            table = self._people(contradicted, ["nama", "periode", *ratings, "capaian"]).rename(
                columns={
                    "nama": self._t("nama"),
                    "periode": self._t("periode"),
                    "rating_hasil_kerja_diberikan": self._t("diberikan"),
                    "rating_hasil_kerja_saran": self._t("saran"),
                    "capaian": self._t("capaian_kolom"),
                }
            )
            caption = self._t("bertentangan_lingkup", lingkup=self.contradiction_scope())
            blocks += self._limited(caption, table)
        return self._section(self._t("keadilan"), paragraphs, blocks)

    def matrix_blocks(self) -> tuple[list[str], list[object]]:
        """Show the 9-box as the scheme's predikat matrix (or a numeric scheme's bands).

        Under a matrix scheme each cell is a (rating hasil kerja, rating perilaku) pair of the
        ratings used for the predikat, labelled with the predikat the matrix gives it and the
        number of the agency's employees in it: it cannot disagree with the predikat. A numeric
        scheme has no such matrix; its employees are counted per band of the total instead, and
        the text says why.

        Returns
        -------
        paragraphs : list of str
        blocks : list
            One ``(caption, DataFrame)`` table.
        """
        if self.scheme.jenis == "angka":
            bands = score_bands(self.hasil, self.scheme)
            bahasa = self.bahasa
            ranges = [
                f"≥ {threshold(low, bahasa=bahasa)}"
                if pd.isna(high)
                else f"{threshold(low, bahasa=bahasa)} – < {threshold(high, bahasa=bahasa)}"
                for low, high in zip(bands["batas_bawah"], bands["batas_atas"], strict=True)
            ]
            seen = [
                _number(a, 2, bahasa) + (f" – {_number(b, 2, bahasa)}" if b != a else "")
                if pd.notna(a)
                else "–"
                for a, b in zip(bands["nilai_min"], bands["nilai_maks"], strict=True)
            ]
            table = pd.DataFrame(
                {
                    self._t("predikat"): bands["predikat"],
                    self._t("rentang_nilai"): ranges,
                    self._t("pegawai"): bands["n_pegawai"],
                    self._t("nilai_tercatat"): seen,
                }
            )
            lead = self._t("pita_teks", skema=self.scheme.nama)
            return [lead], [(self._t("pita_judul"), table)]
        boxes = self._analysis("sembilan_kotak")
        if not len(boxes) or "rating_hasil_kerja" not in boxes:
            boxes = nine_box(self.hasil, self.scheme)
        counts = box_counts(boxes, self.scheme)
        columns = list(LEVEL.values)  # Di Bawah → Di Atas, as the matrix in DOMAIN.md
        rows = list(reversed(LEVEL.values))
        corner = self._t("kotak_sudut")
        grid = pd.DataFrame({corner: rows})
        cell = counts.set_index(["rating_hasil_kerja", "rating_perilaku"])
        for p in columns:
            grid[p] = [
                self._t(
                    "kotak_sel",
                    label=cell.loc[(h, p), "label"],
                    n=int(cell.loc[(h, p), "n_pegawai"]),
                )
                for h in rows
            ]
        paragraphs = [self._t("kotak_teks", skema=self.scheme.nama)]
        hasil = self.hasil
        moved = sum(
            int(
                (
                    hasil[f"rating_{part}"].notna()
                    & hasil[f"rating_{part}_saran"].notna()
                    & (
                        hasil[f"rating_{part}"].astype("str")
                        != hasil[f"rating_{part}_saran"].astype("str")
                    )
                ).sum()
            )
            for part in ("hasil_kerja", "perilaku")
        )
        if moved:
            paragraphs.append(self._t("kotak_atasan", n=moved))
        outside = int(boxes["kotak"].isna().sum())
        if outside:
            paragraphs.append(self._t("kotak_luar", n=outside))
        if "dikalibrasi" in hasil and hasil["dikalibrasi"].any():
            paragraphs.append(self._t("kotak_kalibrasi", n=int(hasil["dikalibrasi"].sum())))
        return paragraphs, [(self._t("sembilan_kotak"), grid)]

    def perkembangan(self) -> Section | None:
        """Show the agency quarter by quarter: predikat counts, means and their change.

        A year shows its quarters; a quarter shows the quarters of its year up to it
        (:func:`asn_eval.analysis.trends.year_to_date`). Data without quarters says so.

        Returns
        -------
        Section or None
        """
        if self.kosong or not self.city.analysis:
            return None
        paragraphs: list[str] = []
        blocks: list[object] = []
        trend = self._analysis("tren_opd")
        if len(trend):
            paragraphs += self._progress_lead(trend)
            blocks.append(("", self._progress_table(trend)))
        elif self.periode.is_year:
            paragraphs.append(self._t("tren_tahunan_saja", periode=self.periode))
        else:
            paragraphs.append(self._t("tren_kosong", periode=self.periode))
        feedback = self._analysis("umpan_balik_opd")
        if len(feedback):
            row = feedback.iloc[0]
            paragraphs.append(
                self._t(
                    "perkembangan_teks",
                    neg=int(row["n_umpan_balik_negatif"]),
                    baik=int(row["n_membaik"]),
                )
            )
        return self._section(self._t("perkembangan"), paragraphs, blocks)

    def _progress_lead(self, trend: pd.DataFrame) -> list[str]:
        shown = [Periode(str(q)) for q in trend["periode"]]
        expected = [
            q
            for q in self.periode.year.quarters
            if self.periode.is_year or q.sort_key <= self.periode.sort_key
        ]
        missing = [str(q) for q in expected if q not in shown]
        names = ", ".join(str(q) for q in shown)
        if self.periode.is_year:
            said = [self._t("tren_tahun", periode=self.periode, quarters=names)]
        elif len(shown) == 1:
            said = [self._t("tren_pertama", periode=self.periode, tahun=self.periode.tahun)]
        else:
            said = [self._t("tren_triwulan", periode=self.periode, quarters=names)]
        if missing:
            said.append(self._t("tren_hilang", quarters=", ".join(missing)))
        return said

    def _progress_table(self, trend: pd.DataFrame) -> pd.DataFrame:
        """Write one column per quarter: rated, means and their change, each predikat's count.

        Quarters are columns (at most four), measures rows, so the table stays narrow on a page
        and a slide; every cell is written here (a row mixes counts, percents and changes).
        """
        bahasa = self.bahasa
        rated = trend["n_dinilai"].fillna(0).astype(int).to_numpy()
        rows: list[tuple[str, list[str]]] = [
            (self._t("berpredikat"), [_integer(n, bahasa) for n in rated]),
            (self._t("capaian"), [_points(v, bahasa) for v in trend["capaian"]]),
            (
                self._t("delta_capaian"),
                [_number(v, 1, bahasa, sign=True) for v in trend["delta_capaian"]],
            ),
            (self._t("skor_perilaku"), [_number(v, 2, bahasa) for v in trend["skor_perilaku"]]),
            (
                self._t("delta_perilaku"),
                [_number(v, 2, bahasa, sign=True) for v in trend["delta_perilaku"]],
            ),
        ]
        for label in self.scheme.labels:  # every predikat, zeros too: a count hides no case
            column = trend.get(label)
            counts = column.fillna(0).astype(int).to_numpy() if column is not None else None
            rows.append(
                (
                    label,
                    [
                        _count_percent(int(n), int(t), bahasa)
                        for n, t in zip(counts, rated, strict=True)
                    ]
                    if counts is not None
                    else ["–"] * len(trend),
                )
            )
        quarters = trend["periode"].astype("str").tolist()
        table = pd.DataFrame([values for _, values in rows], columns=quarters)
        table.insert(0, self._t("ukuran"), [name for name, _ in rows])
        return table

    def aktivitas(self) -> Section | None:
        """Show the daily activity log: days reported, approvals, backlog.

        Returns
        -------
        Section or None
        """
        if self.kosong or not self.city.analysis:
            return None
        rows = self._analysis("aktivitas_opd")
        if not len(rows) or not rows["n_aktivitas"].iloc[0]:
            return self._section(self._t("aktivitas"), [self._t("tanpa_aktivitas")])
        row = rows.iloc[0]
        umur = row["umur_menunggu_maks"]
        lead = self._t(
            "aktivitas_teks",
            hari=_percent(row["porsi_hari_lapor"], self.bahasa),
            setuju=_percent(row["porsi_disetujui"], self.bahasa),
            tunggu=int(row["n_menunggu"]),
            umur=_number(umur, 0, self.bahasa),
            jam=_number(row["jam_per_hari"], 1, self.bahasa),
        )
        return self._section(self._t("aktivitas"), [lead])
