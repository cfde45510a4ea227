"""``asn-eval decisions verify|history|export|import``: the decisions file without the app.

Registered by :mod:`asn_eval.cli`; each handler takes the parsed arguments and returns the exit
code. ``verify``, ``history`` and ``export`` read the file alone (no dataset, never written: a
read-only copy works). Exit codes: 0 done and the chain intact; 2 the chain is broken, the file is
not a sound decisions store, or the input sheet has problems (nothing recorded); 1 the store or the
workbook cannot be written.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from asn_eval.decisions.chain import HEAD_DIGITS, Verdict
from asn_eval.decisions.rules import escaped
from asn_eval.decisions.store import DecisionStore, broken_message, default_path
from asn_eval.errors import UsageError
from asn_eval.formatting import integer, timestamp
from asn_eval.streams import say

__all__ = ["add_parser", "run"]

EXIT_OK, EXIT_BAD_INPUT = 0, 2

_HEX = re.compile(r"^[0-9a-fA-F]{8,64}$")


def run(args: argparse.Namespace) -> int:
    """Run one ``asn-eval decisions`` sub-command.

    Parameters
    ----------
    args : argparse.Namespace
        As parsed by :func:`asn_eval.cli.build_parser` (``args.aksi`` names the sub-command);
        ``history`` and ``export`` also read ``args.zona``, the city's time zone (from
        ``--profil``: a decisions file does not know which data folder it is about; else WIB).

    Returns
    -------
    int
        The exit code (module docstring).
    """
    handlers = {"verify": _verify, "history": _history, "export": _export, "import": _import}
    return handlers[args.aksi](args)


def _shown(value: object, width: int | None = None) -> str:
    """Text from the file as a terminal shows it safely: control characters escaped, cut."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = escaped(value)
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _head_line(path: Path, verdict: Verdict) -> str:
    return (
        f"Kepala rantai: {integer(verdict.head.count)} peristiwa, {verdict.head.short} "
        f"(cocokkan nanti: asn-eval decisions verify {path} --sampai {verdict.head.short})"
    )


def _said(path: Path, verdict: Verdict) -> int:
    """Say the chain's verdict (its head when intact, the first break on stderr) → exit code."""
    if not verdict.intact:
        say(f"asn-eval: galat: {broken_message(path, verdict)}", sys.stderr)
        return EXIT_BAD_INPUT
    say(_head_line(path, verdict))
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    printed = args.sampai.strip() if args.sampai else None
    if printed is not None and not _HEX.match(printed):
        raise UsageError(
            f"--sampai harus hash kepala yang dicetak sebelumnya ({HEAD_DIGITS} angka "
            f"heksadesimal, paling sedikit 8): {printed}"
        )
    with DecisionStore(args.berkas, access="read", allow_broken=True) as store:
        verdict = store.verdict
        if not verdict.intact:
            say(f"{store.path}: TIDAK UTUH: {_shown(verdict.problem)}")
            return EXIT_BAD_INPUT
        say(f"{store.path}: rantai utuh, {verdict.head}; {_shown(verdict.origin)}")
        if printed is None:
            say(_head_line(store.path, verdict))
            return EXIT_OK
        found = store.find_head(printed)
    if found is None:
        say(
            f"{store.path}: TIDAK UTUH: kepala {printed} yang dicetak sebelumnya tidak ada lagi di "
            "rantai: keputusan sesudahnya dihapus, atau rantai ditulis ulang"
        )
        return EXIT_BAD_INPUT
    count, _ = found
    added = verdict.head.count - count
    say(
        f"Kepala {printed} ada di rantai (sesudah peristiwa ke-{count}); sejak itu "
        + (
            f"{integer(added)} peristiwa ditambahkan, tidak ada yang dihapus."
            if added
            else "tidak berubah."
        )
    )
    return EXIT_OK


_TABLE = (
    ("#", "id", 5),
    ("waktu ({zona})", "waktu", 23),  # 30 September 2026 08.28
    ("jenis", "jenis", 9),  # keberatan
    ("NIP", "nip", 18),
    ("periode", "periode", 8),
    ("OPD", "kode_opd", 10),
    ("perubahan", "perubahan", 44),  # jawaban #1234: Butuh Perbaikan → Sangat Baik
    ("status", "status", 7),
    ("oleh", "oleh", 18),
    ("alasan", "alasan", 50),
)


def _change(jenis: str, before: object, after: object, merujuk: object) -> str:
    """Return what an event of the history did, in a few words (the ``perubahan`` column)."""
    if jenis == "tarik":
        return f"tarik #{merujuk}"
    if jenis == "keberatan":
        return f"keberatan atas {before}"
    if jenis == "jawaban":
        return f"jawaban #{merujuk}: " + ("tetap" if before == after else f"{before} → {after}")
    return f"{before} → {after}"


def _history(args: argparse.Namespace) -> int:
    zona = args.zona
    with DecisionStore(args.berkas, access="read", allow_broken=True) as store:
        verdict = store.verdict
        history = store.history(periode=args.periode, kode_opd=args.opd)
    if history.empty:
        say(
            "Belum ada keputusan"
            + (" yang cocok dengan saringan." if args.periode or args.opd else ".")
        )
    else:
        history = history.assign(
            # The header names the zone; each time is written without repeating it.
            waktu=[timestamp(v, zona).removesuffix(f" {zona}") for v in history["waktu"]],
            perubahan=[
                _change(r.jenis, r.predikat_sebelum, r.predikat_sesudah, r.merujuk)
                for r in history.itertuples()
            ],
            status=history["status"].where(history["status"] != "nan", ""),
        )
        titles = [(title.format(zona=zona), width) for title, _, width in _TABLE]
        say("  ".join(f"{title:<{width}}" for title, width in titles).rstrip())
        for row in history.itertuples():
            cells = [_shown(getattr(row, column), width) for _, column, width in _TABLE]
            say("  ".join(f"{c:<{w}}" for c, (_, _, w) in zip(cells, _TABLE, strict=True)).rstrip())
        say(f"\n{integer(len(history))} peristiwa ditampilkan.")
    return _said(store.path, verdict)


def _export(args: argparse.Namespace) -> int:
    zona = args.zona
    with DecisionStore(args.berkas, access="read", allow_broken=True) as store:
        target = store.export_xlsx(args.out, periode=args.periode, kode_opd=args.opd, zona=zona)
        verdict = store.verdict
    say(f"Ditulis: {target} (lembar berlaku, keberatan, riwayat, keutuhan)")
    return _said(store.path, verdict)


def _numbers(ids: list[int]) -> str:
    """Return event ids as said: ``#4–#9`` when they follow each other, else ``#4, #6``."""
    if len(ids) > 1 and ids == list(range(ids[0], ids[-1] + 1)):
        return f"#{ids[0]}–#{ids[-1]}"
    shown = ", ".join(f"#{i}" for i in ids[:10])
    return shown + (f" dan {integer(len(ids) - 10)} lagi" if len(ids) > 10 else "")


def _import(args: argparse.Namespace) -> int:
    from asn_eval.decisions.objection_sheet import check_objection_rows
    from asn_eval.decisions.sheet import Import, check_rows
    from asn_eval.input.dataset import load
    from asn_eval.input.forms import forms_in, read_form
    from asn_eval.scoring.scheme import load_scheme

    scheme = load_scheme(args.skema)
    dataset = load(args.data)  # bad data stops here, with every problem listed
    path = args.keputusan or default_path(args.data)
    # The sheets are read before the store is opened: a sheet that cannot be read creates nothing.
    # A workbook may hold decisions (sheet keputusan) and objections (sheet keberatan): both are
    # checked, then recorded in one transaction.
    read = {name: read_form(args.berkas, name) for name in forms_in(args.berkas)}
    unreadable = any(form is None for form, _ in read.values())
    opened = contextlib.nullcontext(None) if unreadable else DecisionStore(path, pegawai=dataset)
    with opened as store:
        found = Import()
        for name, (form, read_problems) in read.items():
            if store is None:
                part = Import(problems=list(read_problems))
            elif name == "keberatan":
                part = check_objection_rows(
                    form, read_problems, dataset, scheme, store, oleh=args.oleh
                )
            else:
                part = check_rows(form, read_problems, dataset, scheme, store, oleh=args.oleh)
            found.problems += part.problems
            found.decisions += part.decisions
            found.objections += part.objections
            found.answers += part.answers
        what = " maupun ".join(read)  # keputusan, keberatan, or both
        for problem in found.problems:
            say(str(problem))
        if found.errors:
            say(
                f"\nTidak ada {what} yang dicatat: {len(found.errors)} galat di {args.berkas}. "
                "Perbaiki berkasnya lalu jalankan lagi (semua baris dicatat bersama, atau tidak "
                "sama sekali)."
            )
            return EXIT_BAD_INPUT
        if not found.count:
            say(f"\nTidak ada {what} yang dicatat: {args.berkas} tidak berisi baris {what}.")
            return EXIT_BAD_INPUT
        done = store.record_batch(
            decisions=found.decisions, objections=found.objections, answers=found.answers
        )
        verdict = store.verify()
        changed = 0
        if done.answers:
            answers = store.history().set_index("id").loc[done.answers]
            changed = int((answers["predikat_sesudah"] != answers["predikat_sebelum"]).sum())
    if done.decisions:
        say(
            f"{integer(len(done.decisions))} keputusan dicatat di {store.path} "
            f"({_numbers(done.decisions)}, skema {scheme.key})."
        )
    if done.objections:
        say(
            f"{integer(len(done.objections))} keberatan dicatat di {store.path} "
            f"({_numbers(done.objections)})."
        )
    if done.answers:
        kept = len(done.answers) - changed
        say(
            f"{integer(len(done.answers))} jawaban keberatan dicatat ({_numbers(done.answers)}): "
            f"{integer(kept)} tetap, {integer(changed)} diubah (berlaku sebagai kalibrasi)."
        )
    say(_head_line(store.path, verdict))
    return EXIT_OK


def add_parser(
    commands: argparse._SubParsersAction,
    *,
    parser_class: type[argparse.ArgumentParser],
    once: type[argparse.Action],
    run: Callable[[argparse.Namespace], int],
) -> None:
    """Add ``asn-eval decisions verify|history|export|import`` to the command line.

    Parameters
    ----------
    commands : argparse._SubParsersAction
        The ``asn-eval`` sub-commands.
    parser_class : type
        The command line's parser (Indonesian errors, exit 2).
    once : type
        The action for an option that may be given once.
    run : callable
        What runs the parsed command (:func:`asn_eval.cli` passes its handler, which reads the
        profile and calls :func:`run`).
    """
    group = commands.add_parser(
        "decisions",
        help="keputusan kalibrasi dan keberatan tanpa aplikasi: periksa, riwayat, ekspor, impor",
    )
    actions = group.add_subparsers(
        dest="aksi", metavar="AKSI", parser_class=parser_class, required=True
    )
    group.set_defaults(run=run)
    store = {"type": Path, "metavar": "BERKAS", "help": "berkas SQLite keputusan"}
    verify = actions.add_parser("verify", help="periksa rantai hash: 0 utuh, 2 ada yang diubah")
    verify.add_argument("berkas", **store)
    verify.add_argument(
        "--sampai", metavar="HASH", help="kepala yang dicetak sebelumnya; harus masih ada di rantai"
    )
    history = actions.add_parser(
        "history", help="riwayat keputusan, penarikan, keberatan dan jawaban, sebagai tabel"
    )
    export = actions.add_parser(
        "export", help="ekspor ke Excel: berlaku, keberatan, riwayat, keutuhan"
    )
    for command in (history, export):
        command.add_argument("berkas", **store)
        command.add_argument("--periode", help="hanya periode ini")
        command.add_argument("--opd", metavar="KODE", action=once, help="hanya OPD ini")
        command.add_argument(
            "--profil",
            type=Path,
            metavar="BERKAS",
            help="profil kota (profil.toml, atau folder datanya): zona waktu yang dipakai untuk "
            "menulis waktu (bawaan WIB)",
        )
    export.add_argument("--out", type=Path, required=True, metavar="BERKAS.xlsx", help="tujuan")
    imports = actions.add_parser(
        "import",
        help="catat keputusan forum (nip, periode, predikat, alasan) atau keberatan dan "
        "jawabannya (nip, periode, alasan keberatan, diajukan oleh, jawaban, hasil, predikat "
        "baru) dari CSV/xlsx",
    )
    imports.add_argument("data", type=Path, metavar="DIR", help="folder data yang dinilai")
    imports.add_argument(
        "berkas",
        type=Path,
        metavar="BERKAS",
        help="CSV atau xlsx keputusan atau keberatan (buku kerja: lembar keputusan dan/atau "
        "keberatan)",
    )
    imports.add_argument(
        "--keputusan", type=Path, metavar="BERKAS", help="berkas SQLite (bawaan: milik aplikasi)"
    )
    imports.add_argument(
        "--oleh",
        help="yang memutuskan atau menjawab keberatan, untuk baris tanpa kolom oleh/dijawab oleh",
    )
    imports.add_argument(
        "--skema",
        default="permenpan-6-2022",
        help="skema predikatnya (nama atau berkas .toml; bawaan permenpan-6-2022)",
    )
