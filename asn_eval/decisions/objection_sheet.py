"""Objections and their answers from a spreadsheet (``asn-eval decisions import``).

An agency collects objections on paper or in a shared sheet, and the evaluators write their
answers beside them. One row per objection, read through the dataset's own loader
(:func:`asn_eval.input.forms.read_form`, form ``keberatan``: a title row, ``'1980…``,
``TW I 2025`` all read), with the columns (the headers the loader accepts in parentheses):

- ``nip``, ``periode``; ``kode_opd`` optional (must be the employee's);
- ``alasan_keberatan`` (Alasan Keberatan, Keberatan, Dasar Keberatan, Isi Keberatan) and
  ``diajukan_oleh`` (Diajukan Oleh, Pengaju, Yang Mengajukan): the objection;
- ``jawaban`` (Jawaban, Tanggapan), ``hasil`` (Hasil, Keputusan Keberatan: ``tetap`` or
  ``diubah``; also ``ditolak`` → tetap, ``dikabulkan``/``diterima`` → diubah), ``predikat_baru``
  (Predikat Baru, Predikat Sesudah), ``dijawab_oleh`` (Dijawab Oleh, Penjawab; default
  ``--oleh``): the answer, when there is one.

A row with grounds files an objection against the predikat in force (and answers it at once when
it holds an answer too); a row without grounds but with an answer answers the objection of that
employee and period still open; a row with neither is refused (``keberatan tanpa alasan
ditolak``). Every bad cell is one ``file:row:column`` problem, and nothing is recorded when any
row is bad. Source of the rules: issue 14 and :mod:`asn_eval.decisions.objections`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from asn_eval.decisions.objections import CHANGED, KEPT, Answer, Objection
from asn_eval.decisions.rules import (
    REASON_RULE,
    Vocabulary,
    clean_reason,
    clean_text,
    escaped,
    vocabulary_of,
)
from asn_eval.decisions.sheet import Import, _agencies, _filled, _in_force, check_person
from asn_eval.decisions.store import DecisionStore
from asn_eval.errors import UsageError
from asn_eval.input.dataset import Dataset
from asn_eval.input.forms import Form
from asn_eval.input.problems import Problem
from asn_eval.input.vocab import match_key
from asn_eval.scoring.scheme import Scheme

__all__ = ["OUTCOMES", "check_objection_rows"]

OUTCOMES = {
    "tetap": KEPT,
    "ditolak": KEPT,
    "dipertahankan": KEPT,
    "diubah": CHANGED,
    "dikabulkan": CHANGED,
    "diterima": CHANGED,
}
"""What a ``hasil`` cell may say (any case and spacing), and the outcome it means."""


def _given(value: object) -> bool:
    """Whether a cell holds something visible (a zero-width space alone is empty)."""
    if not _filled(value):
        return False
    try:
        clean_text(value, "sel")
    except UsageError:
        return False
    return True


def check_objection_rows(
    form: Form | None,
    problems: list[Problem],
    dataset: Dataset,
    skema: Scheme,
    store: DecisionStore,
    *,
    oleh: str | None = None,
) -> Import:
    """Check the rows of an objection sheet read with ``read_form(path, "keberatan")``.

    Parameters
    ----------
    form, problems
        What :func:`~asn_eval.input.forms.read_form` returned.
    dataset : Dataset
        The data the objections are about (the employees, and the periods scored for the
        predikat in force).
    skema : Scheme
        The scheme of the predikat.
    store : DecisionStore
        The decisions file: the predikat in force (calibrated where a decision applies) and the
        objections still open come from it.
    oleh : str, optional
        Who answered, for rows with an answer but no ``dijawab_oleh``.

    Returns
    -------
    Import
        ``objections`` (rows filing one, each with its answer when the row has one) and
        ``answers`` (rows answering an objection already open), or the problems: the NIP not an
        employee, the agency not theirs, a period the data cannot score, no grounds and no
        answer, grounds or an answer without :data:`~asn_eval.decisions.rules.REASON_RULE`,
        nobody filing or answering, an objection already open (filing) or none open
        (answering), an outcome other than tetap/diubah, a new predikat not the scheme's,
        ``diubah`` without a new predikat or with the one in force, ``tetap`` with another.
    """
    found = Import(problems=list(problems))
    if form is None:
        return found
    said = {p.row for p in found.errors}  # rows the loader refused a cell of: said once
    frame = form.frame
    vocabulary = vocabulary_of(skema)
    agencies = _agencies(dataset)
    in_force, unscorable = _in_force(dataset, skema, store, frame)
    open_now = store.objections(open_only=True)
    open_now = open_now[open_now["skema"].str.split("@").str[0] == skema.nama]
    waiting = {(str(r.nip), str(r.periode)): int(r.id) for r in open_now.itertuples(index=False)}
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

        grounds = row.get("alasan_keberatan")
        answering = any(_given(row.get(c)) for c in ("jawaban", "hasil", "predikat_baru"))
        alasan = filer = None
        if _given(grounds):
            try:
                alasan = clean_reason(grounds, "alasan keberatan")
            except UsageError:
                refuse("alasan_keberatan", f"alasan keberatan harus memuat {REASON_RULE}", grounds)
            filer = row.get("diajukan_oleh")
            if not _given(filer):
                refuse(
                    "diajukan_oleh",
                    "yang mengajukan keberatan tidak disebut: isi kolom ini "
                    "(pegawai atau yang mewakilinya)",
                )
            if (nip, periode) in waiting:
                refuse(
                    "alasan_keberatan",
                    f"pegawai ini sudah punya keberatan terbuka untuk periode {periode} "
                    f"(keberatan #{waiting[(nip, periode)]}): jawab keberatan itu dulu (baris "
                    "tanpa alasan keberatan, dengan jawaban)",
                )
        elif not answering:
            refuse(
                "alasan_keberatan",
                f"keberatan tanpa alasan ditolak: isi alasan keberatan dengan {REASON_RULE}",
                escaped(grounds) if _filled(grounds) else None,
            )
        elif (nip, periode) not in waiting and agency is not None:
            refuse(
                "jawaban",
                f"tidak ada keberatan terbuka pegawai ini untuk periode {periode} yang bisa "
                "dijawab; keberatan baru perlu alasan keberatan",
            )
        answer = None
        if answering:
            answer = _answer(row, refuse, vocabulary, sebelum, default_oleh, skema)
        if len(found.problems) > before:
            continue
        if alasan is not None:
            who = clean_text(filer, "diajukan oleh")
            found.objections.append(
                Objection(nip, periode, skema, str(agency), str(sebelum), alasan, who, answer)
            )
        elif answer is not None:
            found.answers.append(replace(answer, objection_id=waiting[(nip, periode)]))
    found.problems.sort(key=lambda p: (p.row or 0, p.column or "", p.message))
    return found


def _answer(
    row: pd.Series,
    refuse: Callable[..., None],
    vocabulary: Vocabulary,
    sebelum: str | None,
    default_oleh: str | None,
    skema: Scheme,
) -> Answer | None:
    """Check a row's answer cells; return the answer (no objection id yet), or None.

    ``refuse(column, message, value=None)`` is called for each bad cell; ``sebelum`` is the
    predikat in force (None when the row's employee or period was already refused).
    """
    text = row.get("jawaban")
    reason = None
    try:
        reason = clean_reason(text, "jawaban")
    except UsageError:
        shown = escaped(text) if _filled(text) else None
        refuse("jawaban", f"jawaban harus memuat {REASON_RULE}", shown)
    who = str(row["dijawab_oleh"]).strip() if _given(row.get("dijawab_oleh")) else default_oleh
    if not who:
        refuse("dijawab_oleh", "yang menjawab tidak disebut: isi kolom ini, atau pakai --oleh")
    outcome = None
    if _given(row.get("hasil")):
        outcome = OUTCOMES.get(match_key(str(row["hasil"])))
        if outcome is None:
            refuse(
                "hasil",
                "isi dengan tetap atau diubah (juga dibaca: ditolak = tetap, dikabulkan atau "
                "diterima = diubah)",
                row["hasil"],
            )
            return None
    new = None
    if _given(row.get("predikat_baru")):
        try:
            new = vocabulary.canonical(row["predikat_baru"], "predikat baru")
        except UsageError:
            shown = ", ".join(vocabulary.labels)
            refuse(
                "predikat_baru",
                f"tidak ada di skema {vocabulary.nama}; yang sah: {shown}",
                row["predikat_baru"],
            )
            return None
    if sebelum is None:
        return None
    if outcome == CHANGED and new is None:
        refuse("predikat_baru", "hasil diubah: isi predikat baru (predikat skema sesudah jawaban)")
        return None
    if outcome == CHANGED and new == sebelum:
        refuse(
            "predikat_baru", f"hasil diubah, tetapi sama dengan predikat yang berlaku ({sebelum})"
        )
        return None
    if outcome == KEPT and new is not None and new != sebelum:
        refuse(
            "predikat_baru",
            f"hasil tetap, tetapi berbeda dari predikat yang berlaku ({sebelum}): tulis diubah, "
            "atau kosongkan predikat baru",
        )
        return None
    if reason is None or not who:
        return None
    return Answer(reason, who, new if new is not None else sebelum, sebelum, skema=skema)
