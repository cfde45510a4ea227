"""The city overview: every agency ranked and compared, and the city against the nation."""

from __future__ import annotations

import os

import pandas as pd

from asn_eval.analysis.run import findings
from asn_eval.formatting import number as _number
from asn_eval.formatting import percent as _percent
from asn_eval.reporting import figures
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
    """

    def __init__(self, city: CityResults, *, bahasa: str = "id") -> None:
        self.city = city
        self.bahasa = bahasa
        self.scheme = city.skema
        self.summary = opd_summary(city.hasil, city.kurva if len(city.kurva) else None)
        names = city.data.opd[["kode_opd", "nama_opd"]].astype("str")
        self.summary = self.summary.merge(names, on="kode_opd", how="left")

    @classmethod
    def build(
        cls,
        data: str | os.PathLike[str],
        periode: str,
        skema: str | os.PathLike[str] | Scheme = DEFAULT_SCHEME,
        *,
        bahasa: str = "id",
        batch: str | os.PathLike[str] | None = None,
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

        Returns
        -------
        CityOverview
        """
        return cls(open_city(data, periode, skema, batch, False), bahasa=bahasa)

    def ringkasan(self) -> Section:
        """Show the city in a few figures.

        Returns
        -------
        Section
        """
        hasil = self.city.hasil
        labels = self.scheme.labels
        shares = predikat_shares(hasil["predikat"], labels)
        lead = self._t(
            "ikhtisar_teks",
            periode=self.city.periode,
            skema=self.scheme.nama,
            n_opd=len(self.summary),
            n=len(hasil),
            rated=int(hasil["predikat"].notna().sum()),
        )
        cards = {
            self._t("opd"): len(self.summary),
            self._t("pegawai"): len(hasil),
            **{label: _percent(shares[label], self.bahasa) for label in labels[:3]},
            self._t("capaian"): _number(hasil["capaian"].mean(), 1, self.bahasa) + " %",
        }
        if len(self.city.kurva):
            cards[self._t("kurva_kota")] = int(self.city.kurva["melanggar"].sum())
        notes = self.city.period_notes(self.bahasa)
        return self._section(self._t("ikhtisar"), [lead, *notes], [cards])

    def peringkat(self) -> Section:
        """Agencies ranked by mean achievement, with their predikat shares.

        Returns
        -------
        Section
        """
        labels = self.scheme.labels
        ranked = self.summary.sort_values("capaian", ascending=False)
        counts = ranked.set_index("kode_opd")[labels]
        figure = figures.stacked_shares(counts, order=labels, title=self._t("peringkat"))
        columns = ["kode_opd", "nama_opd", "n_pegawai", "capaian", "skor_perilaku"]
        table = ranked[[*columns, "porsi_tertinggi", "n_rating_berbeda"]].copy()
        table["porsi_tertinggi"] = [_percent(v, self.bahasa) for v in table["porsi_tertinggi"]]
        table = table.rename(
            columns={
                "kode_opd": self._t("opd"),
                "nama_opd": self._t("nama"),
                "n_pegawai": self._t("pegawai"),
                "capaian": self._t("capaian"),
                "skor_perilaku": self._t("skor_perilaku"),
                "porsi_tertinggi": self._t("porsi_tertinggi"),
                "n_rating_berbeda": self._t("n_rating_berbeda"),
            }
        )
        nat = _percent(self.scheme.national_shares.get(labels[0]), self.bahasa)
        return self._section(
            self._t("peringkat"), [self._t("peringkat_teks", nat=nat)], [figure, ("", table)]
        )

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
        table = breach[
            ["kode_opd", "predikat_organisasi", "n_pegawai", "pelanggaran", "min_pindah"]
        ]
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
        table = table.rename(
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
        return self._section(self._t("keadilan_kota"), [], [("", table)])

    def temuan(self) -> Section | None:
        """List what the analyses flag across the city, without naming anyone.

        Returns
        -------
        Section or None
        """
        if not self.city.analysis:
            return None
        said = findings(self.city.analysis, named=False)
        return self._section(self._t("temuan"), said or [self._t("tanpa_temuan")])

    def ikm(self) -> Section | None:
        """IKM of every service unit in the city.

        Returns
        -------
        Section or None
        """
        units = self.city.ikm
        if not len(units):
            return None
        shown = units.sort_values("ikm", ascending=False)
        figure = figures.horizontal_bars(
            shown.assign(mutu=shown["mutu"].astype("str")),
            x="ikm",
            y="unit_layanan",
            hue="mutu",
            hue_order=["A", "B", "C", "D"],
            references=GRADE_LINES,
            title=self._t("ikm_kota"),
            xlabel="IKM",
            xlim=(25, 100),
        )
        table = shown[["kode_opd", "unit_layanan", "n_responden", "ikm", "mutu"]].rename(
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
