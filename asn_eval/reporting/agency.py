"""The evaluation report of one agency (OPD): one method per section, in report order."""

from __future__ import annotations

__all__ = ["AgencyReport"]

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd

from asn_eval.analysis.development import (
    coaching_candidates,
    recognition_candidates,
    training_plan,
)
from asn_eval.analysis.fairness import ALPHA_RELIABLE, ALPHA_TENTATIVE, agreement_level
from asn_eval.formatting import number as _number
from asn_eval.formatting import percent as _percent
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import periode_mask
from asn_eval.reporting import figures
from asn_eval.reporting.results import CityResults, employee_names, has_evidence, open_city
from asn_eval.reporting.sections import Section
from asn_eval.reporting.text import LANGUAGES, text
from asn_eval.scoring.achievement import TARGET_MET
from asn_eval.scoring.curve import predikat_shares
from asn_eval.scoring.evidence import ROLES, VALUES
from asn_eval.scoring.ikm import GRADE_LINES, POOR_GRADES
from asn_eval.scoring.scheme import Scheme
from asn_eval.scoring.score import rating_gap

MAX_ROWS = 15
"""Longest list of employees a report section prints (the rest are counted)."""


def _curve_limits(scheme: Scheme, org: str, bahasa: str) -> pd.DataFrame:
    rows = []
    for rule in scheme.kurva.get(org, []):
        if len(rule["predikat"]) != 1:
            continue
        for kind in ("maks", "min"):
            if kind in rule:
                label = text("batas_maks" if kind == "maks" else "batas_min", bahasa)
                rows.append((rule["predikat"][0], float(rule[kind]), kind, label))
    return pd.DataFrame(rows, columns=["predikat", "batas", "jenis", "label"])


class AgencyReport:
    """The evaluation report of one agency (OPD) for one period.

    Parameters
    ----------
    city : CityResults
        The scored city.
    kode_opd : str
        The agency's code.
    anonim : bool
        Replace names and NIPs by the batch's pseudonyms.
    bahasa : {"id", "en"}
        Language of the text.

    Notes
    -----
    Every table shows only this agency's employees: raters from other agencies appear as counts,
    never by name.
    """

    def __init__(
        self, city: CityResults, kode_opd: str, *, anonim: bool = False, bahasa: str = "id"
    ) -> None:
        if bahasa not in LANGUAGES:
            raise ValueError(f"bahasa harus salah satu dari {', '.join(LANGUAGES)}")
        self.city = city
        self.kode_opd = kode_opd
        self.bahasa = bahasa
        self.scheme = city.skema
        self.periode = city.periode
        opd = city.data.opd
        known = opd["kode_opd"].astype("str") == kode_opd
        if not known.any():
            raise KeyError(f"kode OPD {kode_opd} tidak ada di tabel opd")
        self.nama_opd = str(opd.loc[known, "nama_opd"].iloc[0])
        self._dataset: Dataset | None = None
        mine = city.hasil["kode_opd"].astype("str") == kode_opd
        self.hasil = city.hasil.loc[mine].reset_index(drop=True)
        self.kosong = not bool(has_evidence(self.hasil).any())
        # The city's one key: a person has the same pseudonym in every report and section.
        self._pseudonyms = city.pseudonyms() if anonim else None

    @classmethod
    def build(
        cls,
        data: str | os.PathLike[str],
        periode: str,
        skema: str | os.PathLike[str] | Scheme,
        kode_opd: str,
        *,
        anonim: bool = False,
        bahasa: str = "id",
        batch: str | os.PathLike[str] | None = None,
    ) -> AgencyReport:
        """Make the report from a notebook's parameters.

        Parameters
        ----------
        data : path
            The data folder.
        periode : str
            The period.
        skema : str, path or Scheme
            The scheme.
        kode_opd : str
            The agency.
        anonim : bool
            Pseudonymise names and NIPs.
        bahasa : {"id", "en"}
            Language.
        batch : path, optional
            A batch's working folder with the city already scored (:meth:`CityResults.save`).

        Returns
        -------
        AgencyReport
        """
        city = open_city(data, periode, skema, batch, anonim)
        return cls(city, kode_opd, anonim=anonim, bahasa=bahasa)

    # -- helpers -------------------------------------------------------------------------------
    def _t(self, key: str, **values: object) -> str:
        return text(key, self.bahasa, **values)

    def _section(
        self, title: str, paragraphs: list[str], blocks: list[object] | None = None
    ) -> Section:
        return Section(title, paragraphs, blocks or [], bahasa=self.bahasa)

    def _people(self, frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
        """Select columns for display, pseudonymised when the report is anonymous."""
        if self._pseudonyms is not None:  # names are replaced through the NIP
            if "nip" not in frame:
                raise ValueError("tabel tanpa kolom nip tidak bisa disamarkan")
            frame = self._pseudonyms.frame(frame, [("nip", "nama")])
        return frame.loc[:, list(columns)]

    def _limited(self, caption: str, frame: pd.DataFrame) -> list[object]:
        blocks: list[object] = [(caption, frame.head(MAX_ROWS))]
        if len(frame) > MAX_ROWS:
            blocks.append(self._t("dan_lainnya", n=len(frame) - MAX_ROWS))
        return blocks

    @property
    def dataset(self) -> Dataset:
        """The agency's part of the data (taken on first use: headline figures do not need it)."""
        if self._dataset is None:
            self._dataset = self.city.data.subset(kode_opd=[self.kode_opd])
        return self._dataset

    def _curve_row(self) -> pd.Series | None:
        kurva = self.city.kurva
        if not len(kurva):
            return None
        row = kurva[kurva["kode_opd"].astype("str") == self.kode_opd]
        return row.iloc[0] if len(row) else None

    def _analysis(self, name: str, column: str = "kode_opd") -> pd.DataFrame:
        """Rows of one analysis table about this agency (empty when it was not computed)."""
        return self._analysis_frame(self.city.analysis.get(name), column)

    def _analysis_frame(self, frame: pd.DataFrame | None, column: str = "kode_opd") -> pd.DataFrame:
        """Keep the rows of a city-wide table that are about this agency."""
        if frame is None or not len(frame) or column not in frame:
            return pd.DataFrame()
        return frame[frame[column].astype("str") == self.kode_opd].reset_index(drop=True)

    def _names(self, nips: pd.Series) -> pd.Series:
        return employee_names(self.city.data, nips)

    # -- sections ------------------------------------------------------------------------------
    def ringkasan(self) -> Section:
        """Headline figures (or, for an agency with nothing to score, a sentence saying so).

        Returns
        -------
        Section
        """
        title = f"{self._t('ringkasan')}: {self.nama_opd} ({self.kode_opd})"
        if self.kosong:
            return self._section(
                title, [self._t("kosong", opd=self.nama_opd, periode=self.periode)]
            )
        hasil = self.hasil
        labels = self.scheme.labels
        shares = predikat_shares(hasil["predikat"], labels)
        cards = {
            self._t("pegawai"): len(hasil),
            self._t("berpredikat"): int(hasil["predikat"].notna().sum()),
        }
        for label in labels[:2]:
            cards[label] = _percent(shares[label], self.bahasa)
        cards[self._t("capaian")] = _number(hasil["capaian"].mean(), 1, self.bahasa) + " %"
        cards[self._t("skor_perilaku")] = _number(hasil["skor_perilaku"].mean(), 2, self.bahasa)
        cards[self._t("kehadiran")] = _number(hasil["persen_hadir"].mean(), 1, self.bahasa) + " %"
        units = self._ikm_units()
        if len(units):
            weighted = np.average(units["ikm"], weights=units["n_responden"])
            cards[self._t("ikm")] = _number(weighted, 2, self.bahasa)
        curve = self._curve_row()
        if curve is not None:
            cards[self._t("predikat_organisasi")] = curve["predikat_organisasi"] or "–"
            cards[self._t("kurva")] = (
                self._t("kurva_langgar", why=curve["pelanggaran"])
                if curve["melanggar"]
                else self._t("kurva_ok")
            )
        cards[self._t("rating_bertentangan")] = int((self._gap() == 2).sum())
        if "dikalibrasi" in hasil:
            cards[self._t("dikalibrasi")] = int(hasil["dikalibrasi"].sum())
        lead = self._t(
            "lead",
            periode=self.periode,
            skema=self.scheme.nama,
            n=len(hasil),
            rated=int(hasil["predikat"].notna().sum()),
        )
        return self._section(title, [lead], [cards])

    def _gap(self) -> pd.Series:
        return pd.Series(rating_gap(self.hasil), index=self.hasil.index)

    def distribusi(self) -> Section | None:
        """Predikat shares of the agency next to the city, the nation and its curve.

        Returns
        -------
        Section or None
            None when the agency has nothing scored.
        """
        if self.kosong:
            return None
        labels = self.scheme.labels
        mine = predikat_shares(self.hasil["predikat"], labels)
        city = predikat_shares(self.city.hasil["predikat"], labels)
        series = {self._t("opd_ini"): mine, self._t("kota"): city}
        if set(labels) == set(self.scheme.national_shares):
            series[self._t("nasional")] = pd.Series(self.scheme.national_shares).reindex(labels)
        tidy = pd.concat(
            [
                pd.DataFrame({"predikat": labels, "porsi": s.to_numpy(), "sumber": name})
                for name, s in series.items()
            ],
            ignore_index=True,
        )
        curve = self._curve_row()
        paragraphs = []
        limits = None
        if curve is not None and pd.notna(curve["predikat_organisasi"]):
            org = str(curve["predikat_organisasi"])
            limits = _curve_limits(self.scheme, org, self.bahasa)
            verdict = (
                self._t("kurva_pindah", why=curve["pelanggaran"], k=int(curve["min_pindah"]))
                if curve["melanggar"]
                else self._t("kurva_sesuai")
            )
            paragraphs.append(self._t("distribusi_teks", org=org, verdict=verdict))
        else:
            paragraphs.append(self._t("tanpa_org"))
        figure = figures.distribution_bars(
            tidy,
            x="predikat",
            y="porsi",
            hue="sumber",
            order=labels,
            limits=limits,
            title=self._t("distribusi"),
            ylabel=self._t("porsi"),
        )
        counts = self.hasil["predikat"].value_counts().reindex(labels, fill_value=0)
        table = pd.DataFrame(
            {
                self._t("predikat"): labels,
                self._t("jumlah"): counts.to_numpy(),
                **{
                    name: [_percent(v, self.bahasa) for v in s.to_numpy()]
                    for name, s in series.items()
                },
            }
        )
        return self._section(self._t("distribusi"), paragraphs, [figure, ("", table)])

    def unit_jabatan(self) -> Section | None:
        """Predikat by unit and by position type.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        labels = self.scheme.labels
        blocks: list[object] = []
        for column, key in (("unit_kerja", "unit_kerja"), ("jenis_jabatan", "jenis_jabatan")):
            if column not in self.hasil or self.hasil[column].isna().all():
                continue
            groups = self.hasil[column].astype("str").fillna("–")
            counts = pd.crosstab(groups, self.hasil["predikat"]).reindex(
                columns=labels, fill_value=0
            )
            counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False).index]
            blocks.append(
                figures.stackedpredikat_shares(counts.head(20), order=labels, title=self._t(key))
            )
            table = counts.reset_index().rename(columns={column: self._t(key)})
            table.insert(1, self._t("pegawai"), groups.value_counts().reindex(counts.index).values)
            blocks.append(("", table))
        return self._section(self._t("unit_jabatan"), [self._t("unit_teks")], blocks)

    def _indicator_rows(self) -> pd.DataFrame:
        return self._analysis_frame(self.city.indikator).drop(columns="kode_opd", errors="ignore")

    def indikator(self) -> Section | None:
        """Show indicators met and missed per aspect, the lowest and highest with their RHK.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        rows = self._indicator_rows()
        if not len(rows):
            return self._section(self._t("indikator"), [self._t("tanpa_indikator")])
        limit = self.scheme.hasil_sesuai
        reported = rows["capaian"].notna()
        hit = rows["capaian"] >= TARGET_MET
        lead = self._t(
            "indikator_teks",
            n=len(rows),
            emp=rows["nip"].nunique(),
            hit=int(hit.sum()),
            hit_pct=_percent(hit.sum() / max(reported.sum(), 1), self.bahasa),
            low=int((rows["capaian"] < limit).sum()),
            limit=_number(limit, 0, self.bahasa),
            unrep=int((~reported).sum()),
        )
        per_aspect = rows.groupby("aspek").agg(
            n=("capaian", "size"), tercapai=("capaian", lambda s: (s >= TARGET_MET).mean())
        )
        per_aspect = per_aspect.reset_index()
        per_aspect["tercapai"] = [_percent(v, self.bahasa) for v in per_aspect["tercapai"]]
        per_aspect.columns = [self._t("aspek"), self._t("n_indikator"), self._t("tercapai")]
        shown = self._people(
            rows,
            ["nama", "rhk", "indikator", "target", "realisasi", "satuan", "capaian"],
        ).rename(
            columns={
                "nama": self._t("nama"),
                "rhk": self._t("rhk"),
                "indikator": self._t("indikator_kolom"),
                "target": self._t("target"),
                "realisasi": self._t("realisasi"),
                "satuan": "",
                "capaian": self._t("capaian_kolom"),
            }
        )
        order = rows["capaian"].sort_values(kind="stable").index
        lowest = shown.loc[order[rows.loc[order, "capaian"].notna().to_numpy()]].head(10)
        highest = shown.loc[rows["capaian"].sort_values(ascending=False).index].head(5)
        figure = figures.histogram(
            rows.dropna(subset=["capaian"]),
            x="capaian",
            bins=range(0, 155, 5),
            reference=limit,
            reference_label=f"{_number(limit, 0, self.bahasa)} %",
            title=self._t("indikator"),
            xlabel=self._t("capaian_kolom"),
            ylabel=self._t("n_indikator"),
        )
        return self._section(
            self._t("indikator"),
            [lead],
            [
                figure,
                ("", per_aspect),
                (self._t("terendah"), lowest),
                (self._t("tertinggi"), highest),
            ],
        )

    def perilaku(self) -> Section | None:
        """Mean behaviour score per core value and rater role.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        if not self.dataset.has("perilaku"):
            return self._section(self._t("perilaku"), [self._t("tanpa_perilaku")])
        rows = self.dataset.perilaku
        rows = rows[periode_mask(rows, self.periode)]
        if not len(rows):
            return self._section(self._t("perilaku"), [self._t("tanpa_perilaku")])
        profile = (
            rows.assign(
                nilai_inti=rows["nilai_inti"].astype("str"),
                peran_penilai=rows["peran_penilai"].astype("str"),
            )
            .pivot_table(index="nilai_inti", columns="peran_penilai", values="skor", aggfunc="mean")
            .reindex(index=list(VALUES), columns=list(ROLES))
        )
        overall = profile.mean(axis=1)
        lead = self._t("perilaku_teks", n=len(rows), best=overall.idxmax(), worst=overall.idxmin())
        figure = figures.behaviour_heatmap(
            profile,
            title=self._t("perilaku"),
            xlabel=self._t("peran_penilai"),
            ylabel="",
        )
        table = profile.round(2).rename_axis(columns=None).reset_index()
        table = table.rename(columns={"nilai_inti": self._t("nilai_inti")})
        return self._section(self._t("perilaku"), [lead], [figure, ("", table)])

    def kehadiran(self) -> Section | None:
        """Attendance and discipline.

        Returns
        -------
        Section or None
        """
        if self.kosong:
            return None
        hasil = self.hasil
        if hasil["persen_hadir"].isna().all():
            return self._section(self._t("disiplin"), [self._t("tanpa_kehadiran")])
        tk = hasil["tanpa_keterangan"].fillna(0)
        lead = self._t(
            "disiplin_teks",
            mean=_number(hasil["persen_hadir"].mean(), 1, self.bahasa) + " %",
            tk=int(tk.sum()),
            tk_emp=int((tk > 0).sum()),
            late=_number(hasil["terlambat_menit"].mean(), 0, self.bahasa),
        )
        figure = figures.histogram(
            hasil.dropna(subset=["persen_hadir"]),
            x="persen_hadir",
            bins=20,
            title=self._t("disiplin"),
            xlabel=self._t("persen_hadir"),
            ylabel=self._t("pegawai"),
        )
        worst = hasil[tk > 0].sort_values(
            ["tanpa_keterangan", "persen_hadir"], ascending=[False, True]
        )
        table = self._people(
            worst, ["nama", "persen_hadir", "tanpa_keterangan", "terlambat_menit"]
        ).rename(
            columns={
                "nama": self._t("nama"),
                "persen_hadir": self._t("persen_hadir"),
                "tanpa_keterangan": self._t("tanpa_keterangan"),
                "terlambat_menit": self._t("terlambat"),
            }
        )
        return self._section(
            self._t("disiplin"),
            [lead],
            [figure, *self._limited(self._t("tanpa_keterangan"), table)],
        )

    def _ikm_units(self) -> pd.DataFrame:
        units = self.city.ikm
        if not len(units):
            return units
        return units[units["kode_opd"].astype("str") == self.kode_opd].reset_index(drop=True)

    def ikm(self) -> Section | None:
        """IKM per service unit with its grade.

        Returns
        -------
        Section or None
        """
        units = self._ikm_units()
        if not len(units):
            return (
                None if self.kosong else self._section(self._t("ikm_judul"), [self._t("tanpa_ikm")])
            )
        paragraphs = [self._t("ikm_teks", n=len(units), resp=int(units["n_responden"].sum()))]
        poor = units[units["mutu"].astype("str").isin(POOR_GRADES)]
        if len(poor):
            paragraphs.append(
                self._t(
                    "ikm_buruk",
                    units=", ".join(poor["unit_layanan"].astype("str")),
                    grades=", ".join(poor["mutu"].astype("str")),
                )
            )
        shown = units.sort_values("ikm", ascending=False)
        figure = figures.horizontal_bars(
            shown.assign(mutu=shown["mutu"].astype("str")),
            x="ikm",
            y="unit_layanan",
            hue="mutu",
            hue_order=["A", "B", "C", "D"],
            references=GRADE_LINES,
            title=self._t("ikm_judul"),
            xlabel="IKM",
            xlim=(25, 100),
        )
        table = shown[["unit_layanan", "n_responden", "ikm", "mutu"]]
        service = self._analysis("ikm_pelayanan")
        if len(service):
            table = table.merge(
                service[["unit_layanan", "skor_pelayanan", "catatan"]],
                on="unit_layanan",
                how="left",
            )
        table = table.rename(
            columns={
                "unit_layanan": self._t("unit_layanan"),
                "n_responden": self._t("responden"),
                "ikm": "IKM",
                "mutu": self._t("mutu"),
                "skor_pelayanan": self._t("pelayanan"),
                "catatan": "",
            }
        )
        return self._section(self._t("ikm_judul"), paragraphs, [figure, ("", table)])

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
        sustained = "-TW" not in self.periode and "penghargaan" in self.city.analysis
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

    def sections(self) -> list[Section]:
        """Every section in report order (those with nothing to say left out).

        Returns
        -------
        list of Section
        """
        parts = [
            self.ringkasan(),
            self.distribusi(),
            self.unit_jabatan(),
            self.indikator(),
            self.perilaku(),
            self.kehadiran(),
            self.ikm(),
            self.ketidaksesuaian(),
            self.kalibrasi(),
            self.keadilan(),
            self.perkembangan(),
            self.aktivitas(),
            self.umpan_balik(),
            self.tindak_lanjut(),
        ]
        return [p for p in parts if p is not None]

    def employees(self) -> set[str]:
        """NIPs of the agency's employees (what the isolation checks compare against).

        Returns
        -------
        set of str
        """
        return set(self.hasil["nip"].astype("str"))
