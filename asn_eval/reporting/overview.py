"""The city overview: every agency ranked and compared, and the city against the nation."""

from __future__ import annotations

import os

import pandas as pd

from asn_eval.analysis.comparison import mean_intervals
from asn_eval.analysis.development import coaching_candidates, recognition_candidates
from asn_eval.analysis.run import findings
from asn_eval.formatting import count_percent as _count_percent
from asn_eval.formatting import integer as _integer
from asn_eval.formatting import number as _number
from asn_eval.formatting import percent as _percent
from asn_eval.formatting import points as _points
from asn_eval.reporting import figures
from asn_eval.reporting.agency_review import contradiction_scope
from asn_eval.reporting.document import Cover, SignatureBlock, issue_date
from asn_eval.reporting.method import method_appendix
from asn_eval.reporting.objections import city_objections
from asn_eval.reporting.opd_names import OpdNames, scope_key
from asn_eval.reporting.results import CityResults, open_city
from asn_eval.reporting.sections import Document, Section
from asn_eval.reporting.text import ikm_grade_bounds
from asn_eval.reporting.workbook import opd_summary
from asn_eval.scoring.curve import predikat_shares
from asn_eval.scoring.ikm import GRADE_LINES
from asn_eval.scoring.scheme import DEFAULT_SCHEME, Scheme

__all__ = ["CityOverview"]


class CityOverview(Document):
    """The city overview: every agency ranked and compared, and the city against the nation.

    Parameters
    ----------
    city : CityResults
        The scored city.
    bahasa : {"id", "en"}
        Language.
    anonim : bool
        A pseudonymised batch: the overview names nobody, so only its signature block changes
        (the signatory is an employee too and is not printed).
    """

    def __init__(self, city: CityResults, *, bahasa: str = "id", anonim: bool = False) -> None:
        self.city = city
        self.bahasa = bahasa
        self.anonim = anonim
        self.terbit = issue_date(city.zona_waktu)  # one date of issue on cover and signature
        self.scheme = city.skema
        self.summary = opd_summary(city.hasil, city.kurva if len(city.kurva) else None)
        names = city.data.opd[["kode_opd", "nama_opd"]].astype("str")
        self.summary = self.summary.merge(names, on="kode_opd", how="left")
        self.opd_names = OpdNames(city.data.tables)
        """How OPDs are named for people (their own code and instansi when many)."""
        self.semua = self.opd_names.many and city.instansi is None
        """Whether this overview covers every instansi of a dataset with many (its words say
        "instansi" where a city's say "kota")."""

    def _t(self, key: str, **values: object) -> str:
        return super()._t(scope_key(key, self.semua), **values)

    def _named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Show a table's agencies by their own code, their instansi beside, when many."""
        return self.opd_names.frame(frame).rename(columns={"instansi": self._t("instansi")})

    @classmethod
    def build(
        cls,
        data: str | os.PathLike[str],
        periode: str,
        skema: str | os.PathLike[str] | Scheme = DEFAULT_SCHEME,
        *,
        bahasa: str = "id",
        batch: str | os.PathLike[str] | None = None,
        anonim: bool = False,
    ) -> CityOverview:
        """Make the overview from a notebook's parameters.

        Parameters
        ----------
        data : path
            The data folder.
        periode : str
            The period.
        skema : str, path or Scheme
            The scheme.
        bahasa : {"id", "en"}
            Language.
        batch : path, optional
            A batch's working folder.
        anonim : bool
            A pseudonymised batch (no signatory printed).

        Returns
        -------
        CityOverview
        """
        return cls(open_city(data, periode, skema, batch, False), bahasa=bahasa, anonim=anonim)

    # -- document parts: cover, method, signature (asn_eval.reporting.document) ----------------
    def sampul(self) -> Cover:
        """Make the cover: letterhead, title, the city's agencies, period, date and scheme.

        Returns
        -------
        Cover
        """
        return Cover(
            self._t("judul_ikhtisar"),
            self._t("semua_opd", n=len(self.summary), k=len(self.opd_names.instansi)),
            self.city.periode,
            self.scheme,
            self.city.profil,
            self.terbit,
            self.bahasa,
        )

    def lampiran_metode(self) -> Section:
        """Write the method appendix from the scheme in use.

        Returns
        -------
        Section
        """
        return method_appendix(self.scheme, bahasa=self.bahasa)

    def tanda_tangan(self) -> SignatureBlock:
        """Close with the signature block (none when pseudonymised or without a profile).

        Returns
        -------
        SignatureBlock
        """
        return SignatureBlock(self.city.profil, self.terbit, self.anonim, self.bahasa)

    def ringkasan(self) -> Section:
        """Show the city in a few figures.

        Returns
        -------
        Section
        """
        hasil = self.city.hasil
        labels = self.scheme.labels
        rated = int(hasil["predikat"].notna().sum())
        counts = hasil["predikat"].astype(object).value_counts()
        lead = self._t(
            "ikhtisar_teks",
            periode=self.city.periode,
            skema=self.scheme.nama,
            n_opd=_integer(len(self.summary), self.bahasa),
            n=_integer(len(hasil), self.bahasa),
            rated=_integer(rated, self.bahasa),
        )
        cards = {
            self._t("opd"): _integer(len(self.summary), self.bahasa),
            self._t("pegawai"): _integer(len(hasil), self.bahasa),
            # the count beside the share: "0,0 %" must not hide a real case
            **{
                label: _count_percent(int(counts.get(label, 0)), rated, self.bahasa)
                for label in labels[:3]
            },
            self._t("capaian"): _points(hasil["capaian"].mean(), self.bahasa),
        }
        if len(self.city.kurva):
            cards[self._t("kurva_kota")] = _integer(self.city.kurva["melanggar"].sum(), self.bahasa)
        notes = self.city.period_notes(self.bahasa)
        return self._section(self._t("ikhtisar"), [lead, *notes], [cards])

    def peringkat(self) -> Section:
        """Agencies ranked by mean achievement, with its 95 % interval and predikat counts.

        Each agency's mean has a t interval over its employees
        (:func:`asn_eval.analysis.comparison.mean_intervals`); the text says how many lie above
        or below the city mean and how many cannot be told apart from it.

        Returns
        -------
        Section
        """
        labels = self.scheme.labels
        bahasa = self.bahasa
        ranked = self.summary.sort_values("capaian", ascending=False)
        counts = ranked.set_index("kode_opd")[labels]
        if self.opd_names.many:  # bars named DINKES (Kota Sukamaju), not by the key
            counts.index = [self.opd_names.short(k) for k in counts.index.astype("str")]
        figure = figures.stacked_shares(
            counts, order=labels, title=self._t("peringkat"), bahasa=bahasa
        )
        spread = mean_intervals(self.city.hasil).set_index("kode_opd")
        spread = spread.reindex(ranked["kode_opd"].astype("str"))
        words = {
            "di atas": self._t("di_atas_kota"),
            "di bawah": self._t("di_bawah_kota"),
            "tidak berbeda": self._t("tak_terbedakan"),
        }
        rated = ranked[labels].sum(axis=1).astype(int)
        codes = ranked["kode_opd"].astype("str")
        where: dict[str, list] = {}
        if self.opd_names.many:  # positional like every other column (ranked keeps its index)
            where[self._t("instansi")] = self.opd_names.frame(ranked)["instansi"].to_list()
        table = pd.DataFrame(
            {
                self._t("opd"): [self.opd_names.code(k) for k in codes],
                **where,
                self._t("nama"): ranked["nama_opd"].to_numpy(),
                # n of the interval: the employees with an achievement (said when not everyone)
                self._t("pegawai"): [
                    _integer(total, bahasa)
                    if n == total
                    else self._t("n_bercapaian", n=_integer(total, bahasa), k=_integer(n, bahasa))
                    for total, n in zip(
                        ranked["n_pegawai"], spread["n"].fillna(0).astype(int), strict=True
                    )
                ],
                self._t("capaian"): ranked["capaian"].to_numpy(),
                self._t("selang_capaian"): [
                    f"{_number(lo, 1, bahasa)} – {_number(hi, 1, bahasa)}" if pd.notna(lo) else "–"
                    for lo, hi in zip(spread["batas_bawah"], spread["batas_atas"], strict=True)
                ],
                self._t("dibanding_kota"): [
                    words.get(str(v), "–") if pd.notna(v) else "–" for v in spread["dibanding"]
                ],
                self._t("skor_perilaku"): ranked["skor_perilaku"].to_numpy(),
                labels[0]: [
                    _count_percent(int(n), int(total), bahasa)
                    for n, total in zip(ranked[labels[0]], rated, strict=True)
                ],
                self._t("n_rating_berbeda"): ranked["n_rating_berbeda"].to_numpy(),
            }
        )
        where = spread["dibanding"].astype("str").value_counts()
        nat = _percent(self.scheme.national_shares.get(labels[0]), bahasa)
        paragraphs = [
            self._t("peringkat_teks", nat=nat),
            self._t(
                "peringkat_selang_teks",
                kota=_number(spread["rata_rata_semua"].dropna().iloc[0], 1, bahasa)
                if spread["rata_rata_semua"].notna().any()
                else "–",
                atas=int(where.get("di atas", 0)),
                bawah=int(where.get("di bawah", 0)),
                sama=len(ranked) - int(where.get("di atas", 0)) - int(where.get("di bawah", 0)),
            ),
        ]
        return self._section(self._t("peringkat"), paragraphs, [figure, ("", table)])

    def nasional(self) -> Section:
        """Compare the city's predikat shares with the national tabulation (DOMAIN.md §2).

        Returns
        -------
        Section
        """
        labels = self.scheme.labels
        city = predikat_shares(self.city.hasil["predikat"], labels)
        series = {self._t("kota"): city}
        paragraphs = []
        if set(labels) == set(self.scheme.national_shares):
            national = pd.Series(self.scheme.national_shares).reindex(labels)
            series[self._t("nasional")] = national
            paragraphs.append(
                self._t(
                    "nasional_teks",
                    nat_top=_percent(national.iloc[0], self.bahasa, 2),
                    nat_low=_percent(national.iloc[2:].sum(), self.bahasa, 2),
                    city_top=_percent(city.iloc[0], self.bahasa, 2),
                    city_low=_percent(city.iloc[2:].sum(), self.bahasa, 2),
                )
            )
        tidy = pd.concat(
            [
                pd.DataFrame({"predikat": labels, "porsi": s.to_numpy(), "sumber": name})
                for name, s in series.items()
            ],
            ignore_index=True,
        )
        figure = figures.distribution_bars(
            tidy,
            x="predikat",
            y="porsi",
            hue="sumber",
            order=labels,
            title=self._t("nasional_judul"),
            ylabel=self._t("porsi"),
            bahasa=self.bahasa,
        )
        return self._section(self._t("nasional_judul"), paragraphs, [figure])

    def kurva(self) -> Section | None:
        """Agencies whose predikat shares breach their curve, with the fewest moves needed.

        Returns
        -------
        Section or None
            None when the scheme has no curve.
        """
        kurva = self.city.kurva
        if not len(kurva):
            return None
        breach = kurva[kurva["melanggar"]].sort_values("min_pindah", ascending=False)
        lead = self._t("kurva_kota_teks", n=len(breach), total=len(kurva))
        table = self._named(
            breach[["kode_opd", "predikat_organisasi", "n_pegawai", "pelanggaran", "min_pindah"]]
        )
        table = table.rename(
            columns={
                "kode_opd": self._t("opd"),
                "predikat_organisasi": self._t("predikat_organisasi"),
                "n_pegawai": self._t("pegawai"),
                "pelanggaran": self._t("pelanggaran"),
                "min_pindah": self._t("pindah"),
            }
        )
        return self._section(self._t("kurva_kota"), [lead], [("", table)] if len(table) else [])

    def keadilan(self) -> Section | None:
        """Compare the agencies on fairness: agreement, lenient and severe raters, contradictions.

        Returns
        -------
        Section or None
            None when the analyses were not computed.
        """
        analysis = self.city.analysis
        if not analysis:
            return None
        codes = self.summary[["kode_opd"]].astype("str")
        table = codes.copy()

        def count(name: str, mask_column: str | None = None, value: object = None) -> pd.Series:
            frame = analysis.get(name, pd.DataFrame())
            if not len(frame):
                return pd.Series(0, index=codes["kode_opd"])
            if mask_column is not None:
                frame = frame[frame[mask_column].astype("str") == str(value)]
            found = frame["kode_opd"].astype("str").value_counts()
            return found.reindex(codes["kode_opd"], fill_value=0)

        table["n_lunak"] = count("penilai", "kecenderungan", "lunak").to_numpy()
        table["n_keras"] = count("penilai", "kecenderungan", "keras").to_numpy()
        table["n_atasan"] = count("atasan", "menonjol", True).to_numpy()
        table["n_bertentangan"] = count("bertentangan").to_numpy()
        agreement = analysis.get("kesepakatan", pd.DataFrame())
        if len(agreement):
            alpha = agreement.assign(kode_opd=agreement["kode_opd"].astype("str"))
            table = table.merge(alpha[["kode_opd", "alpha"]], on="kode_opd", how="left")
        gaps = analysis.get("sumber_penilai_opd", pd.DataFrame())
        if len(gaps):
            gap = gaps.assign(kode_opd=gaps["kode_opd"].astype("str"))
            table = table.merge(gap[["kode_opd", "selisih_diri_atasan"]], on="kode_opd", how="left")
        table = self._named(table).rename(
            columns={
                "kode_opd": self._t("opd"),
                "n_lunak": self._t("n_lunak"),
                "n_keras": self._t("n_keras"),
                "n_atasan": self._t("n_atasan"),
                "n_bertentangan": self._t("bertentangan"),
                "alpha": self._t("alfa"),
                "selisih_diri_atasan": self._t("diri_atasan"),
            }
        )
        scope = self._t(
            "keadilan_kota_lingkup", lingkup=contradiction_scope(self.city, self.bahasa)
        )
        return self._section(self._t("keadilan_kota"), [scope], [("", table)])

    def keberatan(self) -> Section:
        """Count the period's objections per agency: open ones with their age, answered ones.

        Read from :attr:`CityResults.keberatan` (ages counted when the city was scored); no name
        or NIP is shown (:func:`~asn_eval.reporting.objections.city_objections`).

        Returns
        -------
        Section
        """
        keberatan, opd = self.city.keberatan, self.city.data.opd
        if self.opd_names.many:  # agencies as DINKES (Kota Sukamaju), not by the key
            short = self.opd_names.short
            keberatan = keberatan.assign(kode_opd=[short(str(k)) for k in keberatan["kode_opd"]])
            opd = opd.assign(kode_opd=[short(str(k)) for k in opd["kode_opd"]])
        return city_objections(
            keberatan,
            opd,
            str(self.city.periode),
            zona=self.city.zona_waktu,
            aged_at=self.city.aged_at,
            bahasa=self.bahasa,
        )

    def temuan(self) -> Section | None:
        """List what the analyses flag across the city, without naming anyone.

        Returns
        -------
        Section or None
        """
        if not self.city.analysis:
            return None
        said = [self.opd_names.sentence(f) for f in findings(self.city.analysis, named=False)]
        lead, blocks = self._follow_up()
        return self._section(self._t("temuan"), said or [self._t("tanpa_temuan")], [lead, *blocks])

    def _follow_up(self) -> tuple[str, list[object]]:
        """Count reward candidates and coaching per agency, with each agency's curve verdict.

        The same lists as the agency reports' follow-up section (:mod:`asn_eval.analysis.
        development`): for a year the sustained candidates of the analysis, for a quarter the
        period's own; coaching by the predikat in force.
        """
        hasil = self.city.hasil
        if self.city.periode.is_year and "penghargaan" in self.city.analysis:
            reward = self.city.analysis["penghargaan"]
        else:
            reward = recognition_candidates(hasil, self.scheme)
        coaching = coaching_candidates(hasil, self.scheme)
        table = pd.DataFrame({"kode_opd": self.summary["kode_opd"].astype("str")})
        for name, frame in (("n_penghargaan", reward), ("n_pembinaan", coaching)):
            found = frame["kode_opd"].astype("str").value_counts() if len(frame) else {}
            table[name] = [int(found.get(k, 0)) for k in table["kode_opd"]]
        table = table[(table["n_penghargaan"] + table["n_pembinaan"]) > 0]
        kurva = self.city.kurva
        over: set[str] = set()
        if len(kurva):
            verdict = kurva.assign(kode_opd=kurva["kode_opd"].astype("str")).set_index("kode_opd")
            over = set(verdict.index[verdict["melanggar"].astype(bool)])
            table["kurva"] = [
                self._t("kurva_langgar", why=verdict.loc[k, "pelanggaran"])
                if k in over
                else (self._t("kurva_ok") if k in verdict.index else "–")
                for k in table["kode_opd"]
            ]
        lead = self._t(
            "tindak_lanjut_kota_teks",
            n=int(table["n_penghargaan"].sum()),
            m=int(table["n_pembinaan"].sum()),
            k=len(table),
            c=int(table.loc[table["kode_opd"].isin(over), "n_penghargaan"].sum()),
        )
        shown = table.sort_values(["n_penghargaan", "n_pembinaan"], ascending=False)
        shown = self._named(shown).rename(
            columns={
                "kode_opd": self._t("opd"),
                "n_penghargaan": self._t("n_penghargaan"),
                "n_pembinaan": self._t("n_pembinaan"),
                "kurva": self._t("kurva_kolom"),
            }
        )
        return lead, [(self._t("tindak_lanjut_kota"), shown)] if len(shown) else []

    def ikm(self) -> Section | None:
        """IKM of every service unit in the city.

        Returns
        -------
        Section or None
        """
        units = self.city.ikm
        if not len(units):
            return None
        shown = units.sort_values(
            ["ikm", "kode_opd", "unit_layanan"], ascending=[False, True, True], kind="stable"
        )
        # Agencies (in many instansi, above all) name their units alike: each bar says whose.
        unit = shown["unit_layanan"].astype("str")
        whose = shown["kode_opd"].astype("str").map(self.opd_names.short)
        label = unit.where(~unit.duplicated(keep=False), unit + " — " + whose)
        figure = figures.horizontal_bars(
            shown.assign(mutu=shown["mutu"].astype("str"), label=label),
            x="ikm",
            y="label",
            hue="mutu",
            hue_order=["A", "B", "C", "D"],
            references=GRADE_LINES,
            title=self._t("ikm_kota"),
            xlabel="IKM",
            xlim=(25, 100),
            bahasa=self.bahasa,
        )
        table = self._named(shown[["kode_opd", "unit_layanan", "n_responden", "ikm", "mutu"]])
        table = table.rename(
            columns={
                "kode_opd": self._t("opd"),
                "unit_layanan": self._t("unit_layanan"),
                "n_responden": self._t("responden"),
                "mutu": self._t("mutu"),
            }
        )
        return self._section(
            self._t("ikm_kota"),
            [
                self._t(
                    "ikm_teks",
                    n=len(units),
                    resp=int(units["n_responden"].sum()),
                    **ikm_grade_bounds(self.bahasa),
                )
            ],
            [figure, ("", table)],
        )
