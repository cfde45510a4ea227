"""The parts of an agency report an evaluation forum looks at before it decides.

Ratings that disagree with the evidence, written feedback, follow-up (reward candidates, coaching,
training), calibration decisions, the fairness of raters, progress between quarters and the
activity log. :class:`~asn_eval.reporting.agency.AgencyReport` takes these sections from
:class:`ReviewSections`; each reads the city's analyses (:mod:`asn_eval.analysis`), filtered to
the agency, and computes nothing again.
"""

from __future__ import annotations

import pandas as pd

from asn_eval.analysis.development import coaching_candidates, recognition_candidates, training_plan
from asn_eval.analysis.fairness import ALPHA_RELIABLE, ALPHA_TENTATIVE, agreement_level
from asn_eval.formatting import number as _number
from asn_eval.formatting import percent as _percent
from asn_eval.input.periode import periode_mask
from asn_eval.reporting.sections import Section

__all__ = ["ReviewSections"]


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

    def tindak_lanjut(self) -> Section | None:
        """Candidates for recognition, for coaching, and training needs per programme.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        scheme = self.scheme
        blocks: list[object] = []
        sustained = self.periode.is_year and "penghargaan" in self.city.analysis
        if (
            sustained
        ):  # a year: the top predikat held in every quarter (asn_eval.analysis.development)
            reward = self._analysis("penghargaan")
        else:
            reward = recognition_candidates(self.hasil, scheme)
        blocks.append(
            self._t(
                "penghargaan_tahun_teks" if sustained else "penghargaan_teks",
                n=len(reward),
                top=scheme.labels[0],
                h=_number(scheme.hasil_di_atas, 0, self.bahasa),
                p=_number(scheme.perilaku_di_atas, 1, self.bahasa),
            )
        )
        if len(reward):
            table = self._people(reward, ["nama", "jabatan", "bukti"]).rename(
                columns={
                    "nama": self._t("nama"),
                    "jabatan": self._t("jabatan"),
                    "bukti": self._t("bukti"),
                }
            )
            blocks += self._limited(self._t("penghargaan"), table)
        coaching = coaching_candidates(self.hasil, scheme)
        blocks.append(self._t("pembinaan_teks", n=len(coaching), second=scheme.labels[1]))
        if len(coaching):
            table = self._people(coaching, ["nama", "jabatan", "predikat", "catatan"]).rename(
                columns={"nama": self._t("nama"), "jabatan": self._t("jabatan")}
            )
            blocks += self._limited(self._t("pembinaan"), table)
        needs = self._analysis("pelatihan")
        blocks.append(
            self._t(
                "pelatihan_teks",
                p=_number(scheme.perilaku_sesuai, 1, self.bahasa),
                h=_number(scheme.hasil_sesuai, 0, self.bahasa),
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
            blocks += self._limited(self._t("bertentangan_judul"), table)
        return self._section(self._t("keadilan"), paragraphs, blocks)

    def perkembangan(self) -> Section | None:
        """Show movement between quarters, feedback followed by improvement, and the 9-box.

        Returns
        -------
        Section or None
        """
        if self.kosong or not self.city.analysis:
            return None
        paragraphs, blocks = [], []
        trend = self._analysis("tren_opd")
        if len(trend):
            table = trend[["periode", "n_pegawai", "capaian", "skor_perilaku", "porsi_terbaik"]]
            table = table.assign(
                porsi_terbaik=[_percent(v, self.bahasa) for v in table["porsi_terbaik"]]
            ).rename(
                columns={
                    "periode": self._t("periode"),
                    "n_pegawai": self._t("pegawai"),
                    "capaian": self._t("capaian"),
                    "skor_perilaku": self._t("skor_perilaku"),
                    "porsi_terbaik": self.scheme.labels[0],
                }
            )
            blocks.append(("", table))
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
        boxes = self._analysis("sembilan_kotak")
        if len(boxes) and boxes["kelas_hasil"].notna().any():
            grid = pd.crosstab(boxes["kelas_hasil"], boxes["kelas_perilaku"]).reindex(
                index=["tinggi", "sedang", "rendah"],
                columns=["rendah", "sedang", "tinggi"],
                fill_value=0,
            )
            grid = grid.rename_axis(index=None, columns=None).reset_index()
            grid = grid.rename(columns={"index": f"{self._t('hasil_kerja')} ↓ / perilaku →"})
            blocks.append((self._t("sembilan_kotak"), grid))
        return self._section(self._t("perkembangan"), paragraphs, blocks)

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
