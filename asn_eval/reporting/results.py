"""A city scored once for one period: what every report of a batch, and the app, read.

:meth:`CityResults.compute` is the one place a city is scored (:func:`~asn_eval.scoring.score.
evaluate`), the calibration decisions joined, the period's objections read and every analysis
run; a batch saves it to a folder that each report's kernel opens (:meth:`CityResults.open`)
instead of scoring again (or opening the decisions file), with the scheme stored as its content,
not as a path to read again.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from asn_eval.analysis.run import analyze
from asn_eval.anonymity import Pseudonyms, new_key
from asn_eval.atomic import write_text
from asn_eval.city_profile import CityProfile, load_profile
from asn_eval.decisions.objections import objection_frame
from asn_eval.input.dataset import Dataset, load
from asn_eval.input.instansi import instansi_names
from asn_eval.input.periode import Periode
from asn_eval.reporting.text import text
from asn_eval.scoring.scheme import DEFAULT_SCHEME, Scheme
from asn_eval.scoring.score import Scored, evaluate

__all__ = ["CityResults", "agency_codes", "employee_names", "has_evidence", "instansi_codes"]


@dataclass
class CityResults:
    """A city's data scored once for one period: what every report of a batch reads.

    Attributes
    ----------
    data : Dataset
        The loaded data.
    periode : Periode
        The period.
    skema : Scheme
        The scheme.
    hasil : DataFrame
        Scored results for everyone (:func:`asn_eval.score`), with the calibration decisions
        in force beside the computed predikat when a decisions file was given.
    kurva : DataFrame
        The curve check per OPD.
    ikm : DataFrame
        IKM per OPD and service unit.
    indikator : DataFrame
        One row per indicator of the period: who, the RHK and indicator as written, target,
        realisation and achievement (:meth:`~asn_eval.scoring.evidence.Evidence.indicator_table`).
    key : str or None
        Pseudonym key (:mod:`asn_eval.anonymity`): one per batch or app session, so a person has
        the same pseudonym in every report, section and tab.
    analysis : dict of str to DataFrame
        :func:`asn_eval.analysis.run.analyze` of the period (raters, agreement, trends, …).
    instansi : str, optional
        For one instansi of a dataset with many (:meth:`for_instansi`): its ``kode_instansi``;
        ``data`` is then that instansi's part.
    profil : CityProfile or None
        The city profile (:mod:`asn_eval.city_profile`): government, signatory, time zone; None
        when the data folder has none (documents then say so).
    keberatan : DataFrame
        The period's objections under the city's scheme, open and answered
        (:meth:`~asn_eval.decisions.DecisionStore.objections`, columns
        :data:`~asn_eval.decisions.OBJECTION_COLUMNS`), read from the decisions file the
        calibration came from; empty (same columns) without one. An open objection's
        ``umur_hari`` is counted to :attr:`aged_at`, not to the moment a report is read.
    aged_at : Timestamp or None
        When the city was scored (UTC): the moment open objections' ages are counted to; None
        when no decisions file was read.
    """

    data: Dataset
    periode: Periode
    skema: Scheme
    hasil: pd.DataFrame
    kurva: pd.DataFrame
    ikm: pd.DataFrame
    indikator: pd.DataFrame
    key: str | None = None
    analysis: dict[str, pd.DataFrame] = field(default_factory=dict)
    profil: CityProfile | None = None
    keberatan: pd.DataFrame = field(default_factory=lambda: objection_frame([]))
    aged_at: pd.Timestamp | None = None
    instansi: str | None = None

    @property
    def zona_waktu(self) -> str:
        """The city's time zone (``WIB`` when there is no profile)."""
        return self.profil.zona_waktu if self.profil else "WIB"

    @classmethod
    def compute(
        cls,
        data: str | os.PathLike[str] | Dataset,
        periode: str | Periode,
        skema: str | os.PathLike[str] | Scheme = DEFAULT_SCHEME,
        *,
        key: str | None = None,
        keputusan: str | os.PathLike[str] | None = None,
        profil: str | os.PathLike[str] | None = None,
    ) -> CityResults:
        """Load (from the cache when it can) and score a city, once.

        Parameters
        ----------
        data : path or Dataset
            The data folder, or a loaded dataset.
        periode : str or Periode
            The period.
        skema : str, path or Scheme
            The scheme.
        key : str, optional
            Pseudonym key, for anonymised output.
        keputusan : path, optional
            A calibration decisions file (:mod:`asn_eval.decisions`): the decisions in force
            are added next to the computed predikat (``predikat_kalibrasi``, ``dikalibrasi``,
            ``alasan_kalibrasi``); the computed one is never replaced. The period's objections
            are read from it too (:attr:`keberatan`).
        profil : path, optional
            A city profile file (``--profil``); by default ``profil.toml`` of the data folder.

        Returns
        -------
        CityResults

        Raises
        ------
        PeriodeError
            When the data has nothing for the period (the message lists what it has).
        ProfileError
            When the profile cannot be used (each problem names its key).
        """
        dataset = data if isinstance(data, Dataset) else load(data)
        # A dataset made from frames has no folder: only an explicit profile is read then.
        where = profil if profil is not None else (dataset.source if dataset.source.parts else None)
        city_profile = load_profile(where)
        results = cls.from_scored(evaluate(dataset, periode, skema), key=key, keputusan=keputusan)
        results.profil = city_profile
        return results

    @classmethod
    def from_scored(
        cls,
        scored: Scored,
        *,
        key: str | None = None,
        keputusan: str | os.PathLike[str] | None = None,
    ) -> CityResults:
        """Build the city's results from a period already scored (nothing is scored again).

        Parameters
        ----------
        scored : Scored
            :func:`asn_eval.scoring.score.evaluate` of the city.
        key : str, optional
            Pseudonym key.
        keputusan : path, optional
            A calibration decisions file (see :meth:`compute`): its decisions are applied and
            the period's objections read, their ages counted to now (:attr:`aged_at`).

        Returns
        -------
        CityResults

        Raises
        ------
        StoreError
            When the decisions file's chain is broken (nothing of it is used then).
        """
        hasil = scored.hasil
        keberatan, aged_at = objection_frame([]), None
        if keputusan is not None and Path(keputusan).exists():
            from asn_eval.decisions import DecisionStore

            aged_at = pd.Timestamp.now(tz="UTC")
            # Verifies the chain: a changed, removed or inserted decision raises StoreError.
            with DecisionStore(keputusan, access="auto") as store:
                hasil = store.apply(hasil, skema=scored.skema)
                # The Scheme, not its name: content-keyed and name-only records both match.
                keberatan = store.objections(
                    periode=str(scored.periode), skema=scored.skema, now=aged_at
                )
        return cls(
            scored.data,
            scored.periode,
            scored.skema,
            hasil,
            scored.kurva,
            scored.ikm,
            scored.evidence.indicator_table(scored.data),
            key,
            analyze(scored),
            keberatan=keberatan,
            aged_at=aged_at,
        )

    def save(self, folder: str | os.PathLike[str]) -> None:
        """Write the results to a folder that :meth:`open` reads (one batch's working folder).

        Parameters
        ----------
        folder : path
            Created if needed.
        """
        folder = Path(folder)
        (folder / "analisis").mkdir(parents=True, exist_ok=True)
        for name in ("hasil", "kurva", "ikm", "indikator", "keberatan"):
            getattr(self, name).to_parquet(folder / f"{name}.parquet", index=False)
        for name, frame in self.analysis.items():
            frame.to_parquet(folder / "analisis" / f"{name}.parquet", index=False)
        write_text(folder / "skema.json", json.dumps(self.skema.settings, ensure_ascii=False))
        context = {
            "data": str(self.data.source),
            "periode": str(self.periode),
            "berkas_skema": str(self.skema.path) if self.skema.path else None,
            "kunci": self.key,
            "profil": self.profil.to_dict() if self.profil else None,
            "umur_keberatan_per": self.aged_at.isoformat() if self.aged_at is not None else None,
            "instansi": self.instansi,
        }
        write_text(folder / "konteks.json", json.dumps(context))

    @classmethod
    def open(cls, folder: str | os.PathLike[str]) -> CityResults:
        """Read results written by :meth:`save`; the data itself comes from the load cache.

        Parameters
        ----------
        folder : path
            A batch's working folder.

        Returns
        -------
        CityResults
        """
        folder = Path(folder)
        context = json.loads((folder / "konteks.json").read_text(encoding="utf-8"))
        stamp = (str(folder.resolve()), (folder / "konteks.json").stat().st_mtime_ns)
        if _OPENED.get("stamp") == stamp:
            return _OPENED["results"]  # the same batch, opened again in the same kernel
        settings = json.loads((folder / "skema.json").read_text(encoding="utf-8"))
        source = context.get("berkas_skema")
        aged_at = context.get("umur_keberatan_per")
        data = load(context["data"])
        if context.get("instansi"):
            data = data.subset(kode_opd=instansi_codes(data, context["instansi"]))
        results = cls(
            data,
            Periode(context["periode"]),
            Scheme.from_settings(settings, Path(source) if source else None),
            *(pd.read_parquet(folder / f"{n}.parquet") for n in ("hasil", "kurva", "ikm")),
            pd.read_parquet(folder / "indikator.parquet"),
            context["kunci"],
            {p.stem: pd.read_parquet(p) for p in sorted((folder / "analisis").glob("*.parquet"))},
            CityProfile.from_dict(context["profil"]) if context.get("profil") else None,
            pd.read_parquet(folder / "keberatan.parquet"),
            pd.Timestamp(aged_at) if aged_at else None,
            context.get("instansi"),
        )
        _OPENED.clear()
        _OPENED.update(stamp=stamp, results=results)
        return results

    def for_instansi(
        self, kode: str, *, keputusan: str | os.PathLike[str] | None = None
    ) -> CityResults:
        """Score and analyse one instansi of a dataset with many, as if its data came alone.

        Each employee's score is the one of the whole (scoring and the curve go by employee and
        OPD); the analyses (raters, agreement, findings) are the instansi's own.

        Parameters
        ----------
        kode : str
            Its ``kode_instansi``.
        keputusan : path, optional
            The calibration decisions file, as in :meth:`compute`.

        Returns
        -------
        CityResults
            With :attr:`instansi` set, and the profile's ``pemerintah`` the instansi's name.

        Raises
        ------
        KeyError
            When the data has no such instansi.
        """
        names = instansi_names(self.data.tables)
        part = self.data.subset(kode_opd=instansi_codes(self.data, kode))
        scored = evaluate(part, self.periode, self.skema)
        results = CityResults.from_scored(scored, key=self.key, keputusan=keputusan)
        results.instansi = kode
        if self.profil is not None:
            results.profil = replace(self.profil, pemerintah=names[kode])
        return results

    def period_notes(self, bahasa: str = "id") -> list[str]:
        """Say how the period was evaluated when it is a year built from its quarters.

        Parameters
        ----------
        bahasa : {"id", "en"}
            Language.

        Returns
        -------
        list of str
            One sentence, or none when the period has rows of its own.
        """
        quarters = self.data.built_from(self.periode)
        if not quarters:
            return []
        return [text("dari_triwulan", bahasa, periode=self.periode, dari=", ".join(quarters))]

    def pseudonyms(self) -> Pseudonyms:
        """Return the pseudonyms of this batch or session (a key is drawn once, on first use).

        Returns
        -------
        Pseudonyms
        """
        if self.key is None:
            self.key = new_key()
        return Pseudonyms(self.key)


# The batch most recently opened in this process. Results are read-only to the reports: every
# report takes copies of its own rows, so nothing one report does reaches the next.
_OPENED: dict[str, object] = {}


def open_city(
    data: str | os.PathLike[str],
    periode: str,
    skema: str | os.PathLike[str] | Scheme,
    batch: str | os.PathLike[str] | None,
    anonim: bool,
) -> CityResults:
    """Return the city a notebook reports on: the batch's, or scored here when run alone.

    Parameters
    ----------
    data : path
        The data folder (a notebook's ``data`` parameter).
    periode : str
        The period, as the notebook's parameter writes it.
    skema : str, path or Scheme
        The scheme.
    batch : path, optional
        A batch's working folder (:meth:`CityResults.save`); when given, nothing is scored.
    anonim : bool
        Draw a pseudonym key for a notebook run alone.

    Returns
    -------
    CityResults
    """
    if batch:
        return CityResults.open(batch)
    return CityResults.compute(data, periode, skema, key=new_key() if anonim else None)


def employee_names(data: Dataset, nips: pd.Series) -> pd.Series:
    """Return the name of each NIP from the ``pegawai`` table (missing for unknown NIPs).

    Parameters
    ----------
    data : Dataset
        The data.
    nips : Series
        NIPs, e.g. raters' or supervisors'.

    Returns
    -------
    Series of str
    """
    people = data.pegawai
    lookup = dict(zip(people["nip"].astype("str"), people["nama"].astype("str"), strict=True))
    return nips.astype("str").map(lookup)


def has_evidence(hasil: pd.DataFrame) -> np.ndarray:
    """Tell which scored employees have anything to report on: indicators, ratings, a predikat.

    Parameters
    ----------
    hasil : DataFrame
        Scored results.

    Returns
    -------
    ndarray of bool
        An agency none of whose employees has evidence gets the short "nothing to score" report.
    """
    found = hasil["n_indikator"].fillna(0).to_numpy() > 0
    found |= hasil["n_penilai"].fillna(0).to_numpy() > 0
    for column in ("predikat", "rating_hasil_kerja", "rating_perilaku"):
        found |= hasil[column].notna().to_numpy()
    return found


def agency_codes(city: CityResults) -> list[str]:
    """Every agency code of the city's ``opd`` table, in table order.

    Parameters
    ----------
    city : CityResults
        The scored city.

    Returns
    -------
    list of str
    """
    return list(city.data.opd["kode_opd"].astype("str"))


def instansi_codes(data: Dataset, kode: str) -> list[str]:
    """Every agency code (qualified, ``KODE/OPD``) of one instansi, in table order.

    Parameters
    ----------
    data : Dataset
        Data with instansi.
    kode : str
        The ``kode_instansi``.

    Returns
    -------
    list of str

    Raises
    ------
    KeyError
        When the data has no such instansi.
    """
    opd = data.opd
    if "kode_instansi" not in opd or kode not in set(opd["kode_instansi"].astype("str")):
        raise KeyError(f"instansi tidak ada di data: {kode}")
    mine = opd["kode_instansi"].astype("str") == kode
    return list(opd.loc[mine, "kode_opd"].astype("str"))
