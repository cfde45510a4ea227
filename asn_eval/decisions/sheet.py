"""Decisions to and from spreadsheets: the audit workbook, and decisions taken on paper.

:func:`write_export` writes what :meth:`DecisionStore.export_xlsx` reads (through
:func:`asn_eval.spreadsheet.people_workbook`: a text from data is never a formula).
:func:`read_import` reads a sheet of decisions a forum took on paper (columns ``nip, periode,
predikat, alasan`` and optionally ``oleh``, ``kode_opd``) through the dataset's own loader
(:func:`asn_eval.input.forms.read_form`: ``'1980…``, ``TW I 2025``, ``sangat baik`` all read),
checks every row against the dataset and the scheme, and returns either every problem
(``file:row:column``) or the decisions to record, all of them in one transaction.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from asn_eval.atomic import atomic_path
from asn_eval.columns import Column
from asn_eval.decisions.chain import Verdict
from asn_eval.decisions.objections import Answer, Objection
from asn_eval.decisions.rules import (
    NO_PREDIKAT,
    REASON_RULE,
    clean_reason,
    clean_text,
    escaped,
    vocabulary_of,
)
from asn_eval.decisions.store import Decision, DecisionStore
from asn_eval.errors import PeriodeError, UsageError
from asn_eval.formatting import integer, timestamp
from asn_eval.input.dataset import Dataset
from asn_eval.input.forms import Form, read_form
from asn_eval.input.problems import Problem
from asn_eval.scoring.scheme import Scheme
from asn_eval.scoring.score import evaluate
from asn_eval.spreadsheet import people_workbook
from asn_eval.version import __version__

__all__ = ["Import", "read_import", "write_export"]


def write_export(
    target: Path,
    store: Path,
    current: pd.DataFrame,
    history: pd.DataFrame,
    verdict: Verdict,
    *,
    zona: str = "WIB",
    objections: pd.DataFrame | None = None,
) -> Path:
    """Write the audit workbook: decisions in force, objections, the history, the chain's state.

    Parameters
    ----------
    target : Path
        The ``.xlsx`` to write (atomically: whole or not at all).
    store : Path
        The decisions file, named (by its name only) in the ``keutuhan`` sheet.
    current, history : DataFrame
        :meth:`DecisionStore.current` and the history with a ``hash`` column.
    verdict : Verdict
        The chain verified in the same snapshot.
    zona : {"WIB", "WITA", "WIT"}
        The city's time zone: times are Excel date-times in it, and the header says which.
    objections : DataFrame, optional
        :meth:`DecisionStore.objections`; no ``keberatan`` sheet when None.

    Returns
    -------
    Path
        ``target``, a workbook for people (:func:`asn_eval.spreadsheet.people_workbook`):
        ``berlaku``, ``keberatan``, ``riwayat``, ``keutuhan`` and ``kolom`` (header ↔ column
        name), NIPs as text.
    """
    state = "utuh" if verdict.intact else f"TIDAK UTUH: {verdict.problem}"
    rows = [
        ("berkas", Path(store).name),
        ("diperiksa", timestamp(datetime.now(UTC), zona, seconds=True)),
        ("keadaan rantai", state),
        ("jumlah peristiwa (seluruh berkas)", integer(verdict.head.count)),
        ("kepala", verdict.head.short),
        ("hash kepala lengkap", verdict.head.hash),
        ("asal berkas", verdict.origin),
        (
            "memeriksa nanti",
            f"asn-eval decisions verify BERKAS --sampai {verdict.head.short} (kepala ini harus "
            "tetap ada di rantai; bila tidak, ada keputusan yang dihapus atau rantai ditulis "
            "ulang)",
        ),
        ("dibuat dengan", f"asn-eval {__version__}"),
    ]
    integrity = pd.DataFrame(rows, columns=["hal", "isi"])
    extra = {
        "waktu": Column("waktu", f"Waktu ({zona})", "waktu", f"kapan dicatat, dalam {zona}"),
        "waktu_jawaban": Column(
            "waktu_jawaban",
            f"Waktu jawaban ({zona})",
            "waktu",
            f"kapan keberatan dijawab, dalam {zona}",
        ),
    }
    title = f"Keputusan kalibrasi ({Path(store).name})"
    with (
        atomic_path(target) as temp,
        people_workbook(temp, title, zona=zona, extra=extra) as book,
    ):
        book.table("berlaku", current)
        if objections is not None:
            book.table("keberatan", objections)
        book.table("riwayat", history)
        book.table("keutuhan", integrity)
    return target


@dataclass
class Import:
    """What an import sheet holds: the events to record, or why none can be.

    Attributes
    ----------
    decisions : list of Decision
        One per row of a decisions sheet (:func:`read_import`), in file order; record them only
        when :attr:`errors` is empty.
    problems : list of Problem
        Every error (``file:row:column``) and the loader's warnings.
    rows : list of int
        The spreadsheet row of each decision.
    objections : list of Objection
        One per row of an objection sheet that files one (with its answer when the row has one;
        :mod:`~asn_eval.decisions.objection_sheet`).
    answers : list of Answer
        One per row of an objection sheet that answers an objection already open.
    """

    decisions: list[Decision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    objections: list[Objection] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many rows will be recorded (a row filing and answering counts once)."""
        return len(self.decisions) + len(self.objections) + len(self.answers)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the import."""
        return [p for p in self.problems if p.is_error]


def read_import(
    path: str | os.PathLike[str],
    dataset: Dataset,
    skema: Scheme,
    store: DecisionStore,
    *,
    oleh: str | None = None,
) -> Import:
    """Read and check a sheet of decisions taken on paper, row by row, against the dataset.

    Parameters
    ----------
    path : str or path
        CSV, Excel or Parquet with columns ``nip``, ``periode``, ``predikat``, ``alasan`` and
        optionally ``oleh`` and ``kode_opd`` (headers as the loader knows them, e.g. ``NIP``,
        ``Periode Penilaian``, ``Predikat Kalibrasi``).
    dataset : Dataset
        The data the decisions are about.
    skema : Scheme
        The scheme the predikat are in and the computed predikat come from.
    store : DecisionStore
        The decisions file; a row changes the predikat in force (computed, or as already
        calibrated), which is what ``sebelum`` records.
    oleh : str, optional
        Who decided, for rows without an ``oleh`` of their own.

    Returns
    -------
    Import
        Each row checked: the NIP is an employee (and ``kode_opd``, when given, theirs), the period
        can be evaluated from the data, the predikat is the scheme's and differs from the one in
        force, the reason has :data:`~asn_eval.decisions.rules.REASON_RULE`, someone decided.
        Source of the rules: issue 12 and :meth:`DecisionStore.record`.
    """
    form, problems = read_form(path, "keputusan")
    return check_rows(form, problems, dataset, skema, store, oleh=oleh)


def check_rows(
    form: Form | None,
    problems: list[Problem],
    dataset: Dataset,
    skema: Scheme,
    store: DecisionStore,
    *,
    oleh: str | None = None,
) -> Import:
    """Check the rows of a sheet already read with :func:`~asn_eval.input.forms.read_form`.

    Parameters
    ----------
    form, problems
        What ``read_form(path, "keputusan")`` returned.
    dataset, skema, store, oleh
        As :func:`read_import`.

    Returns
    -------
    Import
        As :func:`read_import`.
    """
    found = Import(problems=list(problems))
    if form is None:
        return found
    said = {p.row for p in found.errors}  # rows the loader refused a cell of: said once
    frame = form.frame
    vocabulary = vocabulary_of(skema)
    agencies = _agencies(dataset)
    in_force, unscorable = _in_force(dataset, skema, store, frame)
    default_oleh = clean_text(oleh, "oleh") if oleh is not None and str(oleh).strip() else None
    for position in range(len(frame)):
        if int(form.rows[position]) in said:
            continue
        row = frame.iloc[position]
        before = len(found.problems)

        def refuse(column: str, message: str, value: object = None) -> None:
            found.problems.append(form.problem(position, column, message, value))  # noqa: B023

        nip, periode = str(row["nip"]), str(row["periode"])
        agency, sebelum = check_person(row, refuse, agencies, dataset, in_force, unscorable)
        try:
            sesudah = vocabulary.canonical(row["predikat"], "predikat")
        except UsageError:
            shown = ", ".join(vocabulary.labels)
            refuse(
                "predikat",
                f"tidak ada di skema {vocabulary.nama}; yang sah: {shown}",
                row["predikat"],
            )
        else:
            if sesudah == sebelum:
                refuse(
                    "predikat",
                    f"sama dengan predikat yang berlaku ({sebelum}): tidak ada perubahan",
                )
        try:
            alasan = clean_reason(row["alasan"])
        except UsageError:
            refuse("alasan", f"alasan harus memuat {REASON_RULE}", escaped(row["alasan"]))
        who = str(row["oleh"]).strip() if _filled(row.get("oleh")) else default_oleh
        if not who:
            refuse(
                "oleh",
                "yang memutuskan tidak disebut: isi kolom ini, atau pakai --oleh",
            )
        if len(found.problems) > before:
            continue
        decision = Decision(nip, periode, skema, str(agency), str(sebelum), sesudah, alasan, who)
        found.decisions.append(decision)
        found.rows.append(int(form.rows[position]))
    found.problems.sort(key=lambda p: (p.row or 0, p.column or "", p.message))
    return found


def check_person(
    row: pd.Series,
    refuse: Callable[..., None],
    agencies: dict[str, str],
    dataset: Dataset,
    in_force: dict[tuple[str, str], str],
    unscorable: dict[str, str],
) -> tuple[str | None, str | None]:
    """Check who a row of a decisions or objections sheet is about; refuse what is wrong.

    Parameters
    ----------
    row : Series
        The row (``nip``, ``periode``, optional ``kode_opd``).
    refuse : callable
        ``refuse(column, message, value=None)`` records a problem of this row.
    agencies : dict
        NIP → the employee's agency (the ``pegawai`` table).
    dataset : Dataset
        The data (agency codes and names).
    in_force, unscorable : dict
        :func:`_in_force`: the predikat in force per (periode, NIP), and the periods the data
        cannot evaluate.

    Returns
    -------
    agency : str or None
        The employee's agency, None when the NIP is not an employee.
    sebelum : str or None
        The predikat in force, None when the period cannot be evaluated or they are not in it.
    """
    nip, periode = str(row["nip"]), str(row["periode"])
    agency = agencies.get(nip)
    if agency is None:
        refuse("nip", "NIP tidak ada di tabel pegawai", nip)
    given = row.get("kode_opd")
    if agency is not None and _filled(given) and _agency_of(str(given), dataset) != agency:
        refuse("kode_opd", f"bukan OPD pegawai ini (menurut tabel pegawai: {agency})", given)
    sebelum = in_force.get((periode, nip))
    if periode in unscorable:
        refuse("periode", f"tidak bisa dinilai dari data: {unscorable[periode]}")
    elif agency is not None and sebelum is None:
        refuse("nip", f"pegawai ini tidak ada di hasil penilaian {periode}", nip)
    return agency, sebelum


def _filled(value: object) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and pd.isna(value))
        and bool(str(value).strip())
        and str(value) != "nan"
    )


def _agencies(dataset: Dataset) -> dict[str, str]:
    pegawai = dataset.pegawai
    return dict(zip(pegawai["nip"].astype("str"), pegawai["kode_opd"].astype("str"), strict=True))


def _agency_of(given: str, dataset: Dataset) -> str:
    """Return the code of an agency written as its code or its name (as the contract allows)."""
    opd = dataset.opd
    codes = opd["kode_opd"].astype("str")
    if given.strip() in set(codes):
        return given.strip()
    names = dict(zip(opd["nama_opd"].astype("str").str.casefold().str.strip(), codes, strict=True))
    return names.get(given.casefold().strip(), given.strip())


def _in_force(
    dataset: Dataset, skema: Scheme, store: DecisionStore, frame: pd.DataFrame
) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """Score each period the sheet names, once: the predikat in force per (periode, NIP).

    Returns
    -------
    in_force : dict
        ``(periode, nip)`` → the predikat in force (calibrated where a decision applies, else
        computed; :data:`~asn_eval.decisions.rules.NO_PREDIKAT` when none).
    unscorable : dict
        Period → why the data cannot evaluate it (with the periods it can).
    """
    in_force: dict[tuple[str, str], str] = {}
    unscorable: dict[str, str] = {}
    for periode in frame["periode"].dropna().astype("str").unique():
        try:
            checked = dataset.periode(periode)
        except PeriodeError as error:
            unscorable[periode] = str(error)
            continue
        hasil = store.apply(evaluate(dataset, checked, skema).hasil, skema=skema)
        calibrated = hasil["predikat_kalibrasi"]
        predikat = calibrated.astype(object).where(calibrated.notna(), NO_PREDIKAT)
        for nip, value in zip(hasil["nip"].astype("str"), predikat, strict=True):
            in_force[(periode, nip)] = str(value)
    return in_force, unscorable
