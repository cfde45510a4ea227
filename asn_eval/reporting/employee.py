"""What one employee's sheet says: their own result, its evidence and the rule, nobody else's.

A sheet (*lembar kinerja pegawai*) is for the feedback conversation and for the employee to keep
(the Walesi and Tebing Tinggi documents: every employee sees their own performance data, and a
result must be explained to whoever disagrees with it). :class:`SheetBook` reads a period scored
once (:class:`~asn_eval.scoring.score.Scored`, with the calibration decisions in force) and gives
each employee's :class:`Sheet`, every value already written by :mod:`asn_eval.formatting`;
:mod:`asn_eval.reporting.sheet_page` lays it out.

What a sheet shows and what it never shows:

- the employee's RHK and indicators, the ratings suggested, given and used, the predikat and the
  rule that produced it in words (:class:`~asn_eval.scoring.explanation.Explainer`, the same
  sentences as ``explain``), the forum's calibration and the objection with its answer;
- behaviour per core value as averages per rater role. Peers and subordinates are shown only when
  at least :data:`MIN_GROUP` of them rated (fewer would show one colleague's own rating); no rater
  is named and no single rating is listed;
- the supervisor's feedback, attendance, the activity-log summary, training needs, the earlier
  quarters of the year;
- free text (feedback, reasons, objections) passes through :class:`~asn_eval.anonymity.Masking`:
  any other employee's NIP or name in it becomes a pseudonym; under ``anonim`` the employee's own
  too.

Everything per employee is gathered for the whole city first (one group-by per table), so a sheet
is a few dictionary look-ups: 2,500 sheets take seconds, not a notebook run each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from asn_eval.analysis.development import coaching_candidates, recognition, training_needs
from asn_eval.analysis.trends import year_to_date
from asn_eval.anonymity import Masking, Pseudonyms, new_key
from asn_eval.city_profile import CityProfile
from asn_eval.decisions.objections import is_granted
from asn_eval.formatting import (
    MISSING,
    cell,
    date,
    integer,
    number,
    points,
    timestamp,
    zone,
)
from asn_eval.input.nip import format_nip
from asn_eval.input.periode import Periode
from asn_eval.input.vocab import LEVEL
from asn_eval.reporting.document import periode_text
from asn_eval.reporting.records import activity_summary, feedback_rows
from asn_eval.scoring.evidence import ROLES, VALUES, weighted_mean
from asn_eval.scoring.explanation import Explainer
from asn_eval.scoring.score import Scored

__all__ = ["MIN_GROUP", "ROLE_TITLES", "Sheet", "SheetBook"]

MIN_GROUP = 3
"""Fewest peers (or subordinates) whose average a sheet shows: with fewer, the average would be
one or two colleagues' own ratings (the usual floor of 360° feedback reports)."""

ROLE_TITLES = {"diri": "Diri sendiri", "atasan": "Atasan", "rekan": "Rekan", "bawahan": "Bawahan"}
"""Column titles of the behaviour table, by rater role."""

_GROUPED = ("rekan", "bawahan")


@dataclass
class Indicator:
    """One indicator of an RHK as the sheet writes it (every value already formatted)."""

    indikator: str
    aspek: str
    target: str
    realisasi: str
    satuan: str
    capaian: str


@dataclass
class Rhk:
    """One RHK with its indicators and levels (formatted)."""

    rhk: str
    jenis: str
    capaian: str
    tingkat_saran: str
    tingkat_diberikan: str
    indikator: list[Indicator] = field(default_factory=list)


@dataclass
class Sheet:
    """One employee's sheet: every text and number as printed.

    Attributes
    ----------
    nip : str
        The employee's bare NIP (for file names and checks; not printed under ``anonim``).
    identitas : dict of str to str
        Shown name, shown NIP, jabatan, jenis jabatan, golongan, status, unit kerja, OPD.
    ringkasan : dict of str to str
        Predikat (computed and final), ratings suggested/given/used, capaian, skor perilaku,
        nilai and angka kredit where the scheme has them.
    alasan : list of str
        The rule in words (:meth:`~asn_eval.scoring.explanation.Explainer.reasons`).
    kalibrasi : str or None
        The forum's decision and its reason, when it changed the predikat.
    rhk : list of Rhk
    perilaku : list of dict
        One row per core value: ``nilai_inti`` and one formatted mean per shown role and
        ``tertimbang``.
    peran : list of (str, str)
        Behaviour columns shown: (role, title with the number of raters).
    catatan_perilaku : str or None
        Which roles are left out and why.
    kehadiran, aktivitas : dict of str to str
        Attendance and the activity-log summary (empty when the data has none).
    umpan_balik : list of (str, str)
        The supervisor's feedback: (what about, text).
    pengembangan : list of (str, str)
        Training programmes and development notes: (what, evidence).
    triwulan : list of dict
        Earlier quarters of the year (and the period itself): periode, capaian, ratings, predikat.
    keberatan : list of dict
        Objections about this period and their answers.
    """

    nip: str
    kode_opd: str
    identitas: dict[str, str]
    ringkasan: dict[str, str]
    alasan: list[str]
    kalibrasi: str | None
    rhk: list[Rhk]
    perilaku: list[dict[str, str]]
    peran: list[tuple[str, str]]
    catatan_perilaku: str | None
    kehadiran: dict[str, str]
    aktivitas: dict[str, str]
    umpan_balik: list[tuple[str, str]]
    pengembangan: list[tuple[str, str]]
    triwulan: list[dict[str, str]]
    keberatan: list[dict[str, str]]


def _text(value: object) -> str:
    """Write a label or free text as it is; ``–`` for a missing one."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    shown = str(value).strip()
    return shown or MISSING


def _level(code: int) -> str:
    return LEVEL.values[code] if code >= 0 else MISSING


def _grouped(frame: pd.DataFrame, column: str = "nip") -> dict[str, pd.DataFrame]:
    """Split a frame by NIP once (a dict look-up per sheet instead of a filter)."""
    if frame is None or not len(frame) or column not in frame:
        return {}
    keys = frame[column].astype("str")
    return {str(k): part for k, part in frame.groupby(keys.to_numpy(), sort=False)}


class SheetBook:
    """Every employee's sheet of one period, from a city scored once.

    Parameters
    ----------
    scored : Scored
        The period scored (:func:`~asn_eval.scoring.score.evaluate`); its evidence arrays are
        aligned with its results.
    hasil : DataFrame, optional
        The same results with the calibration decisions in force
        (:meth:`~asn_eval.decisions.store.DecisionStore.apply`); default ``scored.hasil``.
    profil : CityProfile, optional
        The city profile (its time zone writes the objections' times).
    anonim : bool
        Write pseudonyms instead of the employee's own name and NIP (``--anonim``).
    key : str, optional
        Pseudonym key (:mod:`asn_eval.anonymity`); a new one by default.
    quarters : dict of Periode to DataFrame, optional
        Each quarter to show (earlier quarters of the year, and the period itself when it is a
        quarter) with its results, calibrated where decisions apply; by default scored here
        (:func:`~asn_eval.analysis.trends.year_to_date`), without calibration.
    keberatan : DataFrame, optional
        Objections about the period (:meth:`~asn_eval.decisions.store.DecisionStore.objections`).
    training_map : DataFrame, optional
        Weakness → programme table (:func:`~asn_eval.analysis.development.read_training_map`).

    Notes
    -----
    A dataset without a table still gets sheets: what the table would give is said to be
    missing on the sheet (no behaviour ratings, no attendance, …); the city-wide analyses that
    need more (rater tendency, agreement) are not part of a sheet.
    """

    def __init__(
        self,
        scored: Scored,
        hasil: pd.DataFrame | None = None,
        *,
        profil: CityProfile | None = None,
        anonim: bool = False,
        key: str | None = None,
        quarters: dict[Periode, pd.DataFrame] | None = None,
        keberatan: pd.DataFrame | None = None,
        training_map: pd.DataFrame | None = None,
    ) -> None:
        self.scored, self.anonim, self.profil = scored, anonim, profil
        self.periode = scored.periode
        self.explainer = Explainer(scored)
        hasil = scored.hasil if hasil is None else hasil
        if (
            len(hasil) != len(scored.hasil)
            or not (
                hasil["nip"].astype("str").to_numpy()
                == scored.hasil["nip"].astype("str").to_numpy()
            ).all()
        ):
            raise ValueError("hasil and scored.hasil must hold the same employees in order")
        self.hasil = hasil
        data, skema, ev = scored.data, scored.skema, scored.evidence
        self._rows = hasil.to_dict("records")
        self._position = {str(r["nip"]): i for i, r in enumerate(self._rows)}
        self._people = ev.pegawai.reset_index(drop=True).to_dict("records")
        pseudonyms = Pseudonyms(key or new_key())
        self._pseudonyms = pseudonyms
        self._masking = Masking(pseudonyms, data.pegawai)
        self._masked: dict[str, str] = {}
        shown_nips = format_nip(hasil["nip"].astype("str"))
        self._shown_nip = dict(zip(hasil["nip"].astype("str"), shown_nips, strict=True))
        opd = data.opd
        self._opd_names = dict(
            zip(opd["kode_opd"].astype("str"), opd["nama_opd"].astype("str"), strict=True)
        )
        self._indicators = self._indicator_columns()
        self._value_means = ev.value_means()
        self._weights = self.explainer._weights
        self._weighted_values = weighted_mean(self._value_means, self._weights)
        self._attendance = ev.attendance.to_dict("records")
        self._activity = self._activity_summary()
        self._feedback = self._supervisor_feedback()
        if quarters is None:
            quarters = {q: s.hasil for q, s in year_to_date(scored).items()}
        self._training = _grouped(training_needs(ev, hasil, skema, training_map))
        frames = [frame for q, frame in quarters.items() if not q.is_year]
        quarterly = pd.concat(frames, ignore_index=True) if frames else hasil.iloc[0:0]
        self._recognition = _grouped(recognition(hasil, quarterly, ev, skema))
        self._coaching = _grouped(coaching_candidates(hasil, skema))
        self._quarters = {
            q: dict(zip(frame["nip"].astype("str"), frame.to_dict("records"), strict=True))
            for q, frame in sorted(quarters.items(), key=lambda kv: kv[0].sort_key)
        }
        self._objections = _grouped(keberatan) if keberatan is not None else {}

    # -- the whole city, once ------------------------------------------------------------------
    def _indicator_columns(self) -> dict[str, np.ndarray]:
        ev, data = self.scored.evidence, self.scored.data
        if not len(ev.indicators):
            return {}
        skp = data.skp.loc[ev.indicators["row"].to_numpy()]

        def column(name: str) -> np.ndarray:
            if name not in skp:
                return np.full(len(skp), MISSING, dtype=object)
            return np.array([_text(v) for v in skp[name].astype(object)], dtype=object)

        rhk_rows = ev.indicators["rhk"].to_numpy()
        return {
            "rhk": column("rhk"),
            "jenis_rhk": column("jenis_rhk"),
            "indikator": column("indikator"),
            "aspek": column("aspek"),
            "satuan": column("satuan"),
            "target": np.array([cell(v) for v in skp["target"].astype(object)], dtype=object),
            "realisasi": np.array([cell(v) for v in skp["realisasi"].astype(object)], dtype=object),
            "capaian": np.array([points(v) for v in ev.indicators["capaian"]], dtype=object),
            "rhk_row": rhk_rows,
        }

    def _activity_summary(self) -> dict[str, dict[str, str]]:
        sums = activity_summary(self.scored.data, self.periode)
        return {
            str(nip): {
                "Hari melapor": integer(row["hari_lapor"]),
                "Aktivitas": integer(row["n_aktivitas"]),
                "Jam dilaporkan": number(row["jam_lapor"], 1),
                "Disetujui": integer(row["n_disetujui"]),
                "Menunggu": integer(row["n_menunggu"]),
                "Ditolak": integer(row["n_ditolak"]),
            }
            for nip, row in zip(sums.index, sums.to_dict("records"), strict=True)
        }

    def _supervisor_feedback(self) -> dict[str, list[tuple[str, str]]]:
        """Gather the supervisor's feedback of the period: per RHK (SKP) and per core value."""
        rows = feedback_rows(self.scored.data, self.periode, supervisor_only=True)
        found: dict[str, list[tuple[str, str]]] = {}
        pairs = zip(rows["nip"], rows["tentang"], rows["umpan_balik"], strict=True)
        for nip, subject, words in pairs:
            items = found.setdefault(nip, [])
            if (subject, words) not in items:
                items.append((subject, words))
        return found

    # -- one employee --------------------------------------------------------------------------
    def positions(
        self, kode_opd: list[str] | None = None, nips: list[str] | None = None
    ) -> list[int]:
        """Return the positions of the employees to make sheets for, in ``hasil`` order.

        Parameters
        ----------
        kode_opd : list of str, optional
            Keep these agencies' employees.
        nips : list of str, optional
            Keep these employees (bare NIPs).

        Returns
        -------
        list of int
        """
        wanted_opd = set(kode_opd) if kode_opd else None
        wanted_nip = set(nips) if nips else None
        return [
            i
            for i, row in enumerate(self._rows)
            if (wanted_opd is None or str(row["kode_opd"]) in wanted_opd)
            and (wanted_nip is None or str(row["nip"]) in wanted_nip)
        ]

    def position(self, nip: str) -> int:
        """Return the position of one employee (bare NIP); KeyError when not in the data."""
        return self._position[str(nip)]

    def shown_name(self, i: int) -> str:
        """Return the employee's name as the sheet prints it (a pseudonym under ``anonim``)."""
        nip = str(self._rows[i]["nip"])
        return self._pseudonyms.name(nip) if self.anonim else _text(self._rows[i]["nama"])

    def shown_nip(self, i: int) -> str:
        """Return the NIP as printed (``19801025 200311 1 001``), or the pseudonym code."""
        nip = str(self._rows[i]["nip"])
        return self._pseudonyms.code(nip) if self.anonim else self._shown_nip[nip]

    def file_stem(self, i: int) -> str:
        """Return the file name without suffix: the NIP, or the pseudonym code (``anonim``)."""
        nip = str(self._rows[i]["nip"])
        return self._pseudonyms.code(nip) if self.anonim else nip

    def free_text(self, i: int, value: object) -> str:
        """Return free text as the sheet prints it: nobody's NIP or name but the employee's own.

        Texts repeat (an agency's RHK, a template's feedback): each is masked once per person
        it may name, i.e. kept only when it names nobody.
        """
        shown = _text(value)
        keep = None if self.anonim else str(self._rows[i]["nip"])
        masked = self._masked.get(shown)
        if masked is None:
            masked = self._masking.text(shown)
            self._masked[shown] = masked
        if masked == shown:  # names nobody of the city
            return shown
        return self._masking.text(shown, keep=keep)

    def sheet(self, i: int) -> Sheet:
        """Return the sheet of the employee at position ``i`` of :attr:`hasil`.

        Parameters
        ----------
        i : int

        Returns
        -------
        Sheet
        """
        row, person = self._rows[i], self._people[i]
        nip = str(row["nip"])
        kode = str(row["kode_opd"])
        identitas = {
            "Nama": self.shown_name(i),
            "NIP": self.shown_nip(i),
            "Jabatan": _text(row["jabatan"]),
            "Jenis jabatan": _text(row["jenis_jabatan"]),
            "Pangkat/golongan": _text(person.get("golongan")),
            "Status": _text(person.get("status")),
            "Unit kerja": _text(row["unit_kerja"]),
            "OPD": f"{self._opd_names.get(kode, kode)} ({kode})",
            "Periode": periode_text(self.periode),
        }
        final = row.get("predikat_kalibrasi", row["predikat"])
        ringkasan = {
            "predikat": _text(final) if pd.notna(final) else "Tanpa predikat",
            "predikat_hitung": _text(row["predikat"]) if pd.notna(row["predikat"]) else "–",
            "capaian": points(row["capaian"]),
            "hasil_saran": _text(row["rating_hasil_kerja_saran"]),
            "hasil_diberikan": _text(row["rating_hasil_kerja_diberikan"]),
            "hasil_dipakai": _text(row["rating_hasil_kerja"]),
            "perilaku_saran": _text(row["rating_perilaku_saran"]),
            "perilaku_diberikan": _text(row["rating_perilaku_diberikan"]),
            "perilaku_dipakai": _text(row["rating_perilaku"]),
            "skor_perilaku": number(row["skor_perilaku"], 2),
        }
        if pd.notna(row.get("nilai")):
            ringkasan["nilai"] = number(row["nilai"], 2)
        if pd.notna(row.get("angka_kredit")):
            ringkasan["angka_kredit"] = number(row["angka_kredit"], 2)  # as the reports write it
        kalibrasi = None
        reason = str(row.get("alasan_kalibrasi", ""))
        if bool(row.get("dikalibrasi", False)):
            ringkasan["diubah"] = "sesudah keberatan" if is_granted(reason) else "sesudah kalibrasi"
        # A change granted on an objection is said once, with the objection below.
        if bool(row.get("dikalibrasi", False)) and not is_granted(reason):
            kalibrasi = (
                f"Forum kalibrasi mengubah predikat {ringkasan['predikat_hitung']} menjadi "
                f"{ringkasan['predikat']}: {self.free_text(i, row.get('alasan_kalibrasi'))}"
            )
        perilaku, peran, note = self._behaviour(i)
        return Sheet(
            nip=nip,
            kode_opd=kode,
            identitas=identitas,
            ringkasan=ringkasan,
            alasan=self.explainer.reasons(i),  # written by the rules: no free text in it
            kalibrasi=kalibrasi,
            rhk=self._rhk(i),
            perilaku=perilaku,
            peran=peran,
            catatan_perilaku=note,
            kehadiran=self._attendance_of(i),
            aktivitas=self._activity.get(nip, {}),
            umpan_balik=[
                (_text(about), self.free_text(i, words))
                for about, words in self._feedback.get(nip, [])
            ],
            pengembangan=self._development(i),
            triwulan=self._quarter_rows(nip),
            keberatan=self._objection_rows(i),
        )

    def _rhk(self, i: int) -> list[Rhk]:
        if not self._indicators:
            return []
        ev = self.scored.evidence
        columns = self._indicators
        groups: dict[int, Rhk] = {}
        levels = ev.rhk["level"].to_numpy()
        given = ev.rhk["given"].to_numpy()
        capaian = ev.rhk["capaian"].to_numpy()
        for k in self.explainer.indicator_rows(i):
            r = int(columns["rhk_row"][k])
            if r not in groups:
                groups[r] = Rhk(
                    rhk=self.free_text(i, columns["rhk"][k]),
                    jenis=columns["jenis_rhk"][k],
                    capaian=points(capaian[r]),
                    tingkat_saran=_level(int(levels[r])),
                    tingkat_diberikan=_level(int(given[r])),
                )
            groups[r].indikator.append(
                Indicator(
                    indikator=self.free_text(i, columns["indikator"][k]),
                    aspek=columns["aspek"][k],
                    target=columns["target"][k],
                    realisasi=columns["realisasi"][k],
                    satuan=columns["satuan"][k],
                    capaian=columns["capaian"][k],
                )
            )
        return list(groups.values())

    def _behaviour(self, i: int) -> tuple[list[dict[str, str]], list[tuple[str, str]], str | None]:
        counts = self.scored.evidence.role_counts[i]
        shown: list[int] = []
        hidden: list[str] = []
        for j, role in enumerate(ROLES):
            n = int(counts[j])
            if n == 0:
                continue
            if role in _GROUPED and n < MIN_GROUP:
                hidden.append(f"{ROLE_TITLES[role].lower()} ({n})")
                continue
            shown.append(j)
        peran = [
            (ROLES[j], f"{ROLE_TITLES[ROLES[j]]} ({integer(counts[j])})")
            if ROLES[j] in _GROUPED
            else (ROLES[j], ROLE_TITLES[ROLES[j]])
            for j in shown
        ]
        rows = []
        means = self._value_means[i]
        for v, value in enumerate(VALUES):
            entry = {"nilai_inti": str(value)}
            for j in shown:
                entry[ROLES[j]] = number(means[v, j], 2)
            entry["tertimbang"] = number(self._weighted_values[i, v], 2)
            rows.append(entry)
        note = None
        if hidden:
            note = (
                f"Rata-rata {', '.join(hidden)} tidak ditampilkan: kurang dari {MIN_GROUP} "
                "penilai, karena akan memperlihatkan penilaian perorangan."
            )
        return rows, peran, note

    def _attendance_of(self, i: int) -> dict[str, str]:
        found = self._attendance[i]
        if pd.isna(found.get("hari_kerja")):
            return {}
        return {
            "Hari kerja": integer(found["hari_kerja"]),
            "Hadir": integer(found["hadir"]),
            "Cuti": integer(found["cuti"]),
            "Tanpa keterangan": integer(found["tanpa_keterangan"]),
            "Terlambat": f"{integer(found['terlambat_menit'])} menit",
            "Kehadiran": points(found["persen_hadir"]),
        }

    def _development(self, i: int) -> list[tuple[str, str]]:
        nip = str(self._rows[i]["nip"])
        out: list[tuple[str, str]] = []
        needs = self._training.get(nip)
        if needs is not None:
            for r in needs.itertuples():
                if r.sumber == "aspek":
                    why = f"aspek {r.kunci}: capaian {points(r.nilai)} < {cell(r.batas)} %"
                else:
                    why = f"{r.kunci}: skor {number(r.nilai, 2)} < {cell(r.batas)}"
                out.append((_text(r.program), why))
        coaching = self._coaching.get(nip)
        if coaching is not None:
            out.append(("Pembinaan oleh atasan", self.free_text(i, coaching["bukti"].iloc[0])))
        recognition = self._recognition.get(nip)
        if recognition is not None:
            # Said again without the per-role means the analysis lists: a role of one or two
            # raters would show their own ratings (the behaviour table hides them too).
            r = recognition.iloc[0]
            why = (
                f"predikat teratas di {integer(r['n_triwulan_teratas'])} dari "
                f"{integer(r['n_triwulan'])} triwulan; capaian {points(r['capaian'])}; skor "
                f"perilaku {number(r['skor_perilaku'], 2)} dari {integer(r['n_sumber_kuat'])} "
                "sumber penilai yang kuat"
            )
            out.append(("Kandidat penghargaan", why))
        return out

    def _quarter_rows(self, nip: str) -> list[dict[str, str]]:
        rows = []
        for quarter, results in self._quarters.items():
            row = results.get(nip)
            if row is None:
                continue
            final = row.get("predikat_kalibrasi", row["predikat"])
            rows.append(
                {
                    "periode": periode_text(quarter),
                    "capaian": points(row["capaian"]),
                    "hasil_kerja": _text(row["rating_hasil_kerja"]),
                    "perilaku": _text(row["rating_perilaku"]),
                    "predikat": _text(final),
                }
            )
        return rows

    def _objection_rows(self, i: int) -> list[dict[str, str]]:
        found = self._objections.get(str(self._rows[i]["nip"]))
        if found is None:
            return []
        zona = self.profil.zona_waktu if self.profil else "WIB"
        rows = []
        for r in found.to_dict("records"):
            answered = str(r.get("status")) == "dijawab"
            if not answered:
                outcome = f"Belum dijawab ({integer(r['umur_hari'])} hari)"
            elif str(r.get("hasil")) == "diubah" and bool(r.get("ditarik", False)):
                outcome = (
                    f"Dikabulkan ({_text(r['predikat_sesudah'])}), lalu perubahannya ditarik: "
                    "predikat di atas yang berlaku"
                )
            elif str(r.get("hasil")) == "diubah":
                outcome = f"Dikabulkan: predikat menjadi {_text(r['predikat_sesudah'])}"
            else:
                outcome = f"Predikat tetap {_text(r['predikat_keberatan'])}"
            rows.append(
                {
                    # The day filed in the city's zone (20.00 UTC is the next day in WIB).
                    "diajukan": date(pd.Timestamp(r["waktu"]).tz_convert(zone(zona)))
                    if pd.notna(r["waktu"])
                    else MISSING,
                    "alasan": self.free_text(i, r["alasan_keberatan"]),
                    "hasil": outcome,
                    "jawaban": self.free_text(i, r.get("jawaban")) if answered else "",
                    "dijawab": timestamp(r["waktu_jawaban"], zona) if answered else "",
                }
            )
        return rows
