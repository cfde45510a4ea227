"""The evaluation report of one agency (OPD): one method per section, in report order."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from asn_eval.formatting import cell as _cell
from asn_eval.formatting import count_percent as _count_percent
from asn_eval.formatting import integer as _integer
from asn_eval.formatting import number as _number
from asn_eval.formatting import percent as _percent
from asn_eval.formatting import points as _points
from asn_eval.formatting import share_of as _share_of
from asn_eval.input.dataset import Dataset
from asn_eval.input.periode import periode_mask
from asn_eval.reporting import figures
from asn_eval.reporting.agency_review import ReviewSections
from asn_eval.reporting.document import Cover, SignatureBlock, issue_date
from asn_eval.reporting.method import method_appendix
from asn_eval.reporting.objections import AgencyObjections
from asn_eval.reporting.opd_names import OpdNames, scope_key
from asn_eval.reporting.results import CityResults, employee_names, has_evidence, open_city
from asn_eval.reporting.roster import RosterTable, roster_frame
from asn_eval.reporting.sections import Document, Section
from asn_eval.reporting.text import LANGUAGES, ikm_grade_bounds, text
from asn_eval.scoring.achievement import TARGET_MET
from asn_eval.scoring.curve import predikat_shares
from asn_eval.scoring.evidence import ROLES, VALUES
from asn_eval.scoring.ikm import GRADE_LINES, POOR_GRADES
from asn_eval.scoring.scheme import Scheme
from asn_eval.scoring.score import rating_gap

__all__ = ["AgencyReport"]


MAX_ROWS = 15
"""Longest list of employees a report section prints (the rest are counted)."""


def _curve_limits(skema: Scheme, org: str, bahasa: str) -> pd.DataFrame:
    rows = []
    for rule in skema.kurva.get(org, []):
        if len(rule["predikat"]) != 1:
            continue
        for kind in ("maks", "min"):
            if kind in rule:
                label = text("batas_maks" if kind == "maks" else "batas_min", bahasa)
                rows.append((rule["predikat"][0], float(rule[kind]), kind, label))
    return pd.DataFrame(rows, columns=["predikat", "batas", "jenis", "label"])


class AgencyReport(Document, ReviewSections):
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
        names = OpdNames(city.data.tables)
        self.judul_opd = names.label(kode_opd)
        """The agency as people read it: ``Dinas Kesehatan (DINKES)``, its instansi after it
        (``— Kota Sukamaju``) in a dataset with many; never the qualified key."""
        self._semua = names.many and city.instansi is None  # compared with every instansi
        self._letterhead = city.profil
        if names.many and city.profil is not None:  # the cover's government: the OPD's own
            self._letterhead = replace(city.profil, pemerintah=str(names.instansi_of(kode_opd)))
        self._dataset: Dataset | None = None
        mine = city.hasil["kode_opd"].astype("str") == kode_opd
        self.hasil = city.hasil.loc[mine].reset_index(drop=True)
        self.kosong = not bool(has_evidence(self.hasil).any())
        # The city's one key: a person has the same pseudonym in every report and section.
        self._pseudonyms = city.pseudonyms() if anonim else None
        self.terbit = issue_date(city.zona_waktu)  # one date of issue on cover and signature

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
        return super()._t(scope_key(key, self._semua), **values)  # "Semua instansi", not "Kota"

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
        title = f"{self._t('ringkasan')}: {self.judul_opd}"
        if self.kosong:
            return self._section(
                title, [self._t("kosong", opd=self.nama_opd, periode=self.periode)]
            )
        hasil = self.hasil
        labels = self.scheme.labels
        cards = {
            self._t("pegawai"): _integer(len(hasil), self.bahasa),
            self._t("berpredikat"): _integer(hasil["predikat"].notna().sum(), self.bahasa),
        }
        rated = int(hasil["predikat"].notna().sum())
        counts = hasil["predikat"].astype(object).value_counts()
        for label in labels[:2]:  # the count beside the share: a rounded 0,0 % hides no case
            cards[label] = _count_percent(int(counts.get(label, 0)), rated, self.bahasa)
        cards[self._t("capaian")] = _points(hasil["capaian"].mean(), self.bahasa)
        cards[self._t("skor_perilaku")] = _number(hasil["skor_perilaku"].mean(), 2, self.bahasa)
        cards[self._t("kehadiran")] = _points(hasil["persen_hadir"].mean(), self.bahasa)
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
        # The same count and scope as the fairness section's table (agency_review).
        scope = self.contradiction_scope()
        cards[self._t("rating_bertentangan_lingkup", lingkup=scope)] = _integer(
            self.contradiction_count(), self.bahasa
        )
        if "dikalibrasi" in hasil:
            cards[self._t("dikalibrasi")] = _integer(hasil["dikalibrasi"].sum(), self.bahasa)
        lead = self._t(
            "lead",
            periode=self.periode,
            skema=self.scheme.nama,
            n=_integer(len(hasil), self.bahasa),
            rated=_integer(hasil["predikat"].notna().sum(), self.bahasa),
        )
        return self._section(title, [lead, *self.city.period_notes(self.bahasa)], [cards])

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
            bahasa=self.bahasa,
        )
        # Counts beside shares (a rounded 0,0 % hides no case); the nation has shares only.
        columns = {self._t("predikat"): labels}
        for name, frame in ((self._t("opd_ini"), self.hasil), (self._t("kota"), self.city.hasil)):
            counts = frame["predikat"].astype(object).value_counts()
            rated = int(frame["predikat"].notna().sum())
            columns[name] = [
                _count_percent(int(counts.get(x, 0)), rated, self.bahasa) for x in labels
            ]
        if self._t("nasional") in series:
            columns[self._t("nasional")] = [
                _percent(v, self.bahasa, 2) for v in series[self._t("nasional")].to_numpy()
            ]
        matrix_text, matrix = self.matrix_blocks()  # the 9-box: the scheme's own matrix
        return self._section(
            self._t("distribusi"),
            paragraphs,
            [figure, ("", pd.DataFrame(columns)), *matrix_text, *matrix],
        )

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
                figures.stacked_shares(
                    counts.head(20), order=labels, title=self._t(key), bahasa=self.bahasa
                )
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
            hit_pct=_share_of(int(hit.sum()), int(reported.sum()), self.bahasa),
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
        )
        # Each indicator has its own unit: a value keeps the decimals it was written with.
        for column in ("target", "realisasi"):
            shown[column] = [_cell(v, self.bahasa) for v in shown[column]]
        shown = shown.rename(
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
            bahasa=self.bahasa,
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
            bahasa=self.bahasa,
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
            mean=_points(hasil["persen_hadir"].mean(), self.bahasa),
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
            bahasa=self.bahasa,
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
        paragraphs = [
            self._t(
                "ikm_teks",
                n=len(units),
                resp=int(units["n_responden"].sum()),
                **ikm_grade_bounds(self.bahasa),
            )
        ]
        poor = units[units["mutu"].astype("str").isin(POOR_GRADES)]
        if len(poor):
            paragraphs.append(
                self._t(
                    "ikm_buruk",
                    units=", ".join(poor["unit_layanan"].astype("str")),
                    grades=", ".join(poor["mutu"].astype("str")),
                )
            )
        shown = units.sort_values(["ikm", "unit_layanan"], ascending=[False, True], kind="stable")
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
            bahasa=self.bahasa,
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

    def keberatan(self) -> Section | None:
        """List the period's objections: the open ones with their age, the answered ones' outcome.

        Read from :attr:`CityResults.keberatan` (ages counted when the city was scored);
        :class:`~asn_eval.reporting.objections.AgencyObjections` says what the section holds.

        Returns
        -------
        Section or None
            None for an agency with nothing scored and no objection.
        """
        rows = self.city.keberatan
        rows = rows[rows["kode_opd"].astype("str") == self.kode_opd]
        if self.kosong and not len(rows):
            return None
        return AgencyObjections(
            rows,
            self.city.data.pegawai,
            self.kode_opd,
            self.nama_opd,
            str(self.periode),
            zona=self.city.zona_waktu,
            aged_at=self.city.aged_at,
            pseudonyms=self._pseudonyms,
            bahasa=self.bahasa,
        ).section()

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
            self.keberatan(),
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

    # -- document parts: cover, roster, method, signature (asn_eval.reporting.document) ---------
    def sampul(self) -> Cover:
        """Make the cover: letterhead, title, agency, period, date of issue and scheme.

        Returns
        -------
        Cover
        """
        return Cover(
            self._t("judul_laporan"),
            self.judul_opd,
            self.periode,
            self.scheme,
            self._letterhead,
            self.terbit,
            self.bahasa,
        )

    def daftar_pegawai(self) -> Section:
        """List every employee of the agency by unit, with ratings, predikat and notes.

        Returns
        -------
        Section
        """
        frame = roster_frame(self.hasil, self.scheme, self._pseudonyms, self.bahasa)
        lead = [self._t("daftar_teks", n=len(frame), opd=self.nama_opd)]
        if "angka_kredit" in frame:
            lead.append(self._t("daftar_angka_kredit"))
        if self._pseudonyms is not None:
            lead.append(self._t("daftar_samaran"))
        return self._section(self._t("daftar_pegawai"), lead, [RosterTable(frame, self.bahasa)])

    def lampiran_metode(self) -> Section:
        """Write the method appendix from the scheme in use.

        Returns
        -------
        Section
        """
        curve = self._curve_row()
        org = curve["predikat_organisasi"] if curve is not None else None
        return method_appendix(
            self.scheme,
            org=str(org) if pd.notna(org) else None,
            opd=self.nama_opd,
            bahasa=self.bahasa,
        )

    def tanda_tangan(self) -> SignatureBlock:
        """Close with the signature block (none when pseudonymised or without a profile).

        Returns
        -------
        SignatureBlock
        """
        return SignatureBlock(
            self.city.profil, self.terbit, self._pseudonyms is not None, self.bahasa
        )
