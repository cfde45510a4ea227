"""The ``asn-eval`` command line.

Every command speaks Bahasa Indonesia and never shows a traceback for an expected fault: it
prints one line that names the file and exits with a code that says what happened:

====  =========================================================================================
0     done (``validate``: the data are valid; warnings are still printed)
1     could not finish: a file could not be written (disk full, no permission, read-only disk,
      a folder or a file in the way: ``asn-eval: gagal menulis FILE: WHY. WHAT TO DO``), or a
      report of the batch failed (``reports``; ``--resume`` redoes only what is missing)
2     the input or the command is wrong: data that do not validate, an unknown period, scheme
      or agency, a damaged decisions store
130   stopped with Ctrl-C; 143 stopped with SIGTERM (``kill``). Nothing half-written is left:
      staging folders and temporaries are removed
====  =========================================================================================

A reader that stops early (``asn-eval validate DIR | head``) changes neither: the command
finishes quietly and exits with its own code.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

# numpy asks the kernel for transparent huge pages for every array of 4 MiB or more. A virtual
# machine that hands free memory back to its host (free page reporting) fetches each such page
# from the host when it is first touched: ``validate`` of 100,000 employees took 3.81 s with them
# and 3.34 s without (medians of 6, in random order). Set before numpy is imported, for this
# process and what it starts (kernels, Dask workers); NUMPY_MADVISE_HUGEPAGE=1 keeps them.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

from asn_eval.formatting import duration, integer, share_of
from asn_eval.streams import flush, say
from asn_eval.version import __version__

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Once(argparse.Action):
    """Take an option's one value; given twice, it is an error (never silently the last one)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # type: ignore[override]
        if getattr(namespace, f"_given_{self.dest}", False):
            parser.error(f"{option_string} hanya boleh sekali untuk perintah ini")
        setattr(namespace, f"_given_{self.dest}", True)
        setattr(namespace, self.dest, values)


def _repeatable(
    command: argparse.ArgumentParser, flag: str, *, commas: bool = False, **options: object
) -> None:
    """Add an option that takes several values: ``--opd A B`` and ``--opd A --opd B`` alike.

    Every value given counts (``action="extend"``); the default is ``None`` (argparse would
    extend a list default instead of replacing it). With ``commas``, ``html,pdf`` is two values
    too (never for agency codes, which may hold any character).
    """
    split = (lambda text: [p.strip() for p in text.split(",") if p.strip()]) if commas else None
    command.add_argument(
        flag, action="extend", nargs="+", type=split or str, default=None, **options
    )


def _values(given: list | None) -> list[str] | None:
    """Flatten a repeatable option's values, in the order given, each once (None if not given)."""
    if given is None:
        return None
    flat = [v for part in given for v in (part if isinstance(part, list) else [part])]
    return list(dict.fromkeys(flat))


class _Parser(argparse.ArgumentParser):
    """An argument parser whose own errors are in Bahasa Indonesia and exit with 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        translated = (
            message.replace("the following arguments are required", "argumen wajib belum diisi")
            .replace("unrecognized arguments", "argumen tidak dikenal")
            .replace("invalid choice", "pilihan tidak sah")
            .replace("invalid int value", "bukan bilangan bulat")
            .replace("expected one argument", "perlu satu nilai")
            .replace("choose from", "pilih dari")
        )
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: galat: {translated}\n")


def _say(message: str = "") -> None:
    """Print a line for the user on stdout; if nobody reads it any more, go on silently."""
    say(message)


def _complain(message: str) -> None:
    """Print a message on stderr; if nobody reads it any more, go on silently."""
    say(message, sys.stderr)


def _problems_out(problems: list, limit: int | None) -> None:
    """Print problems, errors first, and a count per message."""
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    shown = [*errors, *warnings]
    for problem in shown[:limit] if limit else shown:
        _say(str(problem))
    if limit and len(shown) > limit:
        _say(f"… {integer(len(shown) - limit)} masalah lain tidak ditampilkan (pakai --semua)")
    if len(shown) > 5:
        _say("\nRingkasan:")
        counts = Counter((p.level, p.file, p.column, p.message) for p in shown)
        for (level, file, column, message), n in counts.most_common(15):
            place = ":".join(str(part) for part in (file, column) if part)  # as Problem writes it
            _say(f"  {integer(n):>7} × {level}: {place}: {message}")


def _save_problems(problems: list, path: Path, data: Path) -> None:
    from asn_eval.input.problems import write_problems

    write_problems(path, problems, data=data)


def _cmd_validate(args: argparse.Namespace) -> int:
    from asn_eval.input.dataset import validate

    started = time.perf_counter()
    if args.dask:  # a store by groups of agencies, a folder in pieces: the same problems
        from asn_eval.input.streamed import validate_on_cluster

        problems = validate_on_cluster(args.data, args.dask, cache=not args.tanpa_cache)
    else:
        problems = validate(args.data, cache=not args.tanpa_cache)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    _problems_out(problems, None if args.semua else 200)
    if args.simpan:
        _save_problems(problems, args.simpan, args.data)
        _say(f"Daftar masalah disimpan di {args.simpan}")
    seconds = time.perf_counter() - started
    if errors:
        _say(
            f"\nData TIDAK SAH: {integer(errors)} galat, {integer(warnings)} peringatan "
            f"({duration(seconds)})."
        )
        _say("Perbaiki galat di atas pada berkas aslinya, lalu jalankan lagi.")
        return EXIT_BAD_INPUT
    _say(f"Data sah: 0 galat, {integer(warnings)} peringatan ({duration(seconds)}).")
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    from asn_eval.input.store import run_convert

    return run_convert(args)


def _cmd_sample(args: argparse.Namespace) -> int:
    from asn_eval.sample import generator as sample

    started = time.perf_counter()
    workbook = None
    if not args.tanpa_xlsx:
        workbook = args.xlsx or args.out.parent / f"{args.out.name}-xlsx" / f"{args.out.name}.xlsx"
    summary = sample.write_sample(
        args.out,
        n_pegawai=args.pegawai,
        seed=args.seed,
        tahun=args.tahun,
        format=args.format,
        workbook=workbook,
        instansi=args.instansi,
    )
    seconds = time.perf_counter() - started
    rows = ", ".join(f"{name} {integer(n)}" for name, n in summary["rows"].items())
    _say(f"Data contoh ditulis ke {args.out} ({duration(seconds)}): {rows}")
    if workbook is not None:
        _say(f"Buku kerja Excel (gaya e-Kinerja): {workbook}")
    _say(f"Yang sengaja ditanam untuk diuji analisis: {args.out / 'planted.json'}")
    return EXIT_OK


def _dask_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--dask KLASTER`` (:func:`asn_eval.cluster.parse_dask` reads it) to a command."""
    parser.add_argument(
        "--dask",
        metavar="KLASTER",
        help=f"{what} di klaster Dask: local, local:N (N pekerja di mesin ini) atau "
        "tcp://host:port (penjadwal yang sedang berjalan); hasilnya sama",
    )


def _no_workbook_argument(parser: argparse.ArgumentParser, workbook: str) -> None:
    """Add ``--tanpa-xlsx``: the Parquet files only (national data; see ``docs/ukuran-klaster``)."""
    parser.add_argument(
        "--tanpa-xlsx",
        action="store_true",
        help=f"tanpa {workbook}, hanya berkas Parquet (data nasional: buku kerja jutaan baris "
        f"makan waktu selama penilaiannya); {workbook} lama di OUT dihapus",
    )


def _cmd_schemes(args: argparse.Namespace) -> int:
    from asn_eval.scoring.scheme import list_schemes

    for scheme in list_schemes():
        _say(f"{scheme.nama:<22} {scheme.jenis:<8} {scheme.judul}")
    _say("\nPakai dengan --skema NAMA, atau --skema path/ke/skema.toml (salin salah satu dari")
    _say("asn_eval/scoring/schemes/ lalu ubah angkanya; 'dasar = \"nama\"' mewarisi skema lain).")
    return EXIT_OK


def _profile(args: argparse.Namespace):
    """Read the city profile given with ``--profil`` (or the data folder's own), before any work.

    Parameters
    ----------
    args : argparse.Namespace
        A command's arguments: ``profil`` (a ``.toml`` file, or a folder holding ``profil.toml``)
        and, for commands over a dataset, ``data``.

    Returns
    -------
    CityProfile or None
        None when nothing was given and the data folder has no profile.

    Raises
    ------
    ProfileError
        A given file that is missing or not ``.toml``, a folder without ``profil.toml``, or a
        profile with problems (each names its key).
    """
    from asn_eval.city_profile import PROFILE_FILE, load_profile
    from asn_eval.errors import ProfileError

    given: Path | None = getattr(args, "profil", None)
    if given is None:
        data = getattr(args, "data", None)
        return load_profile(data) if data is not None else None
    if given.is_dir():
        if not (given / PROFILE_FILE).is_file():
            raise ProfileError(f"{given}: tidak ada {PROFILE_FILE} di folder ini")
    elif given.suffix.lower() != ".toml":
        raise ProfileError(f"{given}: profil kota harus berkas .toml (mis. {PROFILE_FILE})")
    return load_profile(given)


def _say_built_from(dataset, periode) -> None:
    from asn_eval.reporting.text import text

    quarters = dataset.built_from(periode)
    if quarters:
        _say("Catatan: " + text("dari_triwulan", periode=periode, dari=", ".join(quarters)))


def _cmd_score(args: argparse.Namespace) -> int:
    from asn_eval.input.dataset import load
    from asn_eval.reporting.scored import write_scored
    from asn_eval.scoring.scheme import load_scheme
    from asn_eval.scoring.score import evaluate

    started = time.perf_counter()
    scheme = load_scheme(args.skema)
    profil = _profile(args)
    if args.dask:  # of a store, the client reads only the tables that split the work
        from asn_eval.scoring.partitioned import evaluate_on_cluster, outline

        dataset = outline(args.data)
        periode = dataset.periode(args.periode)
        scored = evaluate_on_cluster(dataset, periode, scheme, args.dask)
    else:
        dataset = load(args.data)
        periode = dataset.periode(args.periode)
        scored = evaluate(dataset, periode, scheme)
    paths = write_scored(scored, args.out, profil=profil, workbook=not args.tanpa_xlsx)
    hasil = scored.hasil
    seconds = time.perf_counter() - started
    _say(
        f"{integer(len(hasil))} pegawai dinilai untuk {scored.periode} dengan skema "
        f"{scheme.nama} ({duration(seconds)})."
    )
    _say_built_from(dataset, scored.periode)
    counts = hasil["predikat"].value_counts(dropna=False)
    for label in [*reversed(hasil["predikat"].cat.categories), None]:
        n = int(counts.get(label, 0)) if label else int(hasil["predikat"].isna().sum())
        if n:
            _say(f"  {label or 'tanpa predikat':<20} {integer(n):>7}  {share_of(n, len(hasil)):>9}")
    over = scored.kurva
    if len(over) and over["melanggar"].any():
        codes = ", ".join(over.loc[over["melanggar"], "kode_opd"].astype(str))
        _say(f"Peringatan: kurva distribusi terlampaui di {codes} (lihat lembar 'kurva').")
    for path in paths:
        _say(f"Ditulis: {path}")
    return EXIT_OK


def _cmd_analyze(args: argparse.Namespace) -> int:
    from asn_eval.analysis.development import read_training_map
    from asn_eval.analysis.run import analyze, findings, write_analysis
    from asn_eval.input.dataset import load
    from asn_eval.scoring.scheme import load_scheme
    from asn_eval.scoring.score import evaluate

    started = time.perf_counter()
    scheme = load_scheme(args.skema)
    profil = _profile(args)  # a broken profile stops here, as for every command over the data
    training = read_training_map(args.pelatihan) if args.pelatihan else None
    if args.dask:  # of a store, the client reads only instansi, opd and pegawai
        from asn_eval.analysis.partitioned import analyze_on_cluster
        from asn_eval.scoring.partitioned import outline

        dataset = outline(args.data)
        scored, results = analyze_on_cluster(
            dataset, dataset.periode(args.periode), scheme, args.dask, training_map=training
        )
    else:
        dataset = load(args.data)
        scored = evaluate(dataset, dataset.periode(args.periode), scheme)
        results = analyze(scored, training_map=training)
    paths = write_analysis(
        results, args.out, scored=scored, profil=profil, workbook=not args.tanpa_xlsx
    )
    seconds = time.perf_counter() - started
    _say(
        f"Analisis {scored.periode} ({integer(len(dataset.pegawai))} pegawai, "
        f"{duration(seconds)}). Temuan:"
    )
    _say_built_from(dataset, scored.periode)
    said = findings(results)
    for line in said[:40]:
        _say(f"- {line}")
    if len(said) > 40:
        _say(f"- … dan {integer(len(said) - 40)} lagi (lihat lembar 'temuan').")
    if not said:
        _say("- tidak ada yang perlu ditinjau ulang.")
    summary = "" if args.tanpa_xlsx else f" (ringkasan: {args.out / 'analisis.xlsx'})"
    _say(f"Ditulis: {integer(len(paths))} berkas di {args.out}{summary}.")
    return EXIT_OK


def _cmd_app(args: argparse.Namespace) -> int:
    from asn_eval.app.server import serve_app
    from asn_eval.decisions import DecisionStore, default_path
    from asn_eval.errors import UsageError
    from asn_eval.input.dataset import load
    from asn_eval.scoring.scheme import load_scheme

    scheme = load_scheme(args.skema)
    _profile(args)  # a broken profile stops here, not in every kernel
    dataset = load(args.data)  # bad data stops here, with every problem listed
    periode = dataset.periode(args.periode) if args.periode else ""
    if args.opd and args.opd not in set(dataset.opd["kode_opd"].astype("str")):
        raise UsageError(f"kode OPD tidak ada di tabel opd: {args.opd}")
    del dataset  # checked (and cached); the kernels load it, this process only serves
    keputusan = args.keputusan or default_path(args.data)
    DecisionStore(keputusan).close()  # a broken, damaged or read-only store stops here
    return serve_app(
        args.data,
        periode,
        scheme,
        args.opd,
        port=args.port,
        keputusan=keputusan,
        oleh=args.oleh,
        say=_say,
        lan=args.alamat or ("auto" if args.lan else None),
        max_kernels=args.maks_kernel,
        ready_kernels=args.kernel_siap,
        profil=args.profil,
    )


def _cmd_decisions(args: argparse.Namespace) -> int:
    from asn_eval.decisions.commands import run

    if args.aksi in ("history", "export"):  # times in the city's zone (the profile's, else WIB)
        profil = _profile(args)
        args.zona = profil.zona_waktu if profil is not None else "WIB"
    return run(args)


def _cmd_lab(args: argparse.Namespace) -> int:
    from asn_eval.app.server import serve_lab

    return serve_lab(args.data, port=args.port, say=_say)


def _cmd_reports(args: argparse.Namespace) -> int:
    from asn_eval.batch.runner import FORMATS, run_reports
    from asn_eval.errors import UsageError

    formats = _values(args.format) or ["html"]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(
            f"format tidak dikenal: {', '.join(unknown)} (pilih: {', '.join(FORMATS)})"
        )
    _profile(args)
    batch = run_reports(
        args.data,
        args.periode,
        out=args.out,
        kode_opd=_values(args.opd),
        skema=args.skema,
        jobs=args.jobs,
        formats=formats,
        anonim=args.anonim,
        bahasa=args.bahasa,
        resume=args.resume,
        timeout=args.batas_waktu,
        notebooks={"laporan": args.notebook} if args.notebook else None,
        keputusan=args.keputusan,
        progress=not args.diam,
        profil=args.profil,
        dask=args.dask,
    )
    made = [r for r in batch.results if r.status == "berhasil"]
    _say(
        f"{integer(len(made))} dari {integer(len(batch.results))} laporan siap di "
        f"{batch.folder} ({duration(batch.seconds)}; persiapan "
        f"{duration(batch.prepare_seconds)})."
    )
    if batch.skipped:
        kept = [r.kode_opd or r.name for r in batch.results if r.name in set(batch.skipped)]
        shown = ", ".join(kept[:10]) + (
            f" dan {integer(len(kept) - 10)} lagi" if len(kept) > 10 else ""
        )
        _say(f"{integer(len(kept))} laporan dilewati karena sudah selesai sebelumnya: {shown}.")
    for failed in batch.failed:
        kept = [f for f in failed.outputs if f.startswith("gagal/")]  # none for a disk fault
        where = f" (notebook: {batch.folder / kept[0]})" if kept else ""
        _say(f"GAGAL {failed.kode_opd or failed.name}: {failed.error}{where}")
    _say(f"Buka {batch.folder / 'index.html'} untuk daftar semua laporan.")
    return EXIT_FAILED if batch.failed else EXIT_OK


def _cmd_sheets(args: argparse.Namespace) -> int:
    from asn_eval.batch.sheets import run_sheets, summary

    _profile(args)
    result = run_sheets(
        args.data,
        args.periode,
        out=args.out,
        skema=args.skema,
        kode_opd=_values(args.opd),
        nip=_values(args.nip),
        anonim=args.anonim,
        formats=_values(args.format) or ["html", "pdf"],
        keputusan=args.keputusan,
        profil=args.profil,
    )
    _say(summary(result))
    return EXIT_OK


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("harus lebih dari 0")
    return value


def _data_arguments(command: argparse.ArgumentParser, periode_help: str = "") -> None:
    """Add what every job over a dataset takes: the folder, the period, the scheme, the profile."""
    command.add_argument("data", type=Path, metavar="DIR", help="folder data atau buku kerja")
    if periode_help:
        command.add_argument("--periode", help=periode_help)
    else:
        command.add_argument("--periode", required=True, help="2025-TW1 … 2025-TW4 atau 2025")
    command.add_argument(
        "--skema",
        default="permenpan-6-2022",
        help="nama skema (lihat: asn-eval schemes) atau berkas .toml",
    )
    command.add_argument(
        "--profil",
        type=Path,
        metavar="BERKAS",
        help="profil kota .toml: pemerintah, penandatangan, zona waktu (bawaan: profil.toml di "
        "folder data)",
    )


def build_parser() -> argparse.ArgumentParser:
    """Build the ``asn-eval`` argument parser.

    Returns
    -------
    argparse.ArgumentParser
        The parser with one sub-command per job.
    """
    from asn_eval.batch.unchanged import resumable

    parser = _Parser(
        prog="asn-eval",
        description="Workbench evaluasi kinerja ASN: validasi, penilaian dan laporan.",
    )
    parser.add_argument("--version", action="version", version=f"asn-eval {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="PERINTAH", parser_class=_Parser)

    validate = commands.add_parser(
        "validate", help="periksa satu folder data; sebutkan setiap masalah (berkas:baris:kolom)"
    )
    validate.add_argument("data", type=Path, metavar="DIR", help="folder data atau buku kerja")
    validate.add_argument("--semua", action="store_true", help="tampilkan semua masalah")
    validate.add_argument(
        "--simpan", type=Path, metavar="BERKAS", help="simpan daftar masalah ke .csv atau .xlsx"
    )
    validate.add_argument("--tanpa-cache", action="store_true", help="jangan pakai cache")
    _dask_argument(validate, "periksa per OPD")
    validate.set_defaults(run=_cmd_validate)

    convert = commands.add_parser("convert", help="simpan data sah sebagai Parquet berpartisi")
    convert.add_argument("data", type=Path, metavar="DIR", help="folder data atau buku kerja")
    convert.add_argument("--out", type=Path, required=True, metavar="STORE", help="folder tujuan")
    _dask_argument(convert, "periksa dan tulis per kelompok OPD")
    convert.set_defaults(run=_cmd_convert)

    score = commands.add_parser("score", help="nilai semua pegawai untuk satu periode")
    _data_arguments(score)
    score.add_argument("--out", type=Path, required=True, metavar="OUT", help="folder keluaran")
    _dask_argument(score, "nilai per OPD")
    _no_workbook_argument(score, "hasil.xlsx")
    resumable(score, "score", _cmd_score, _say)

    analyze = commands.add_parser(
        "analyze", help="analisis keadilan dan pengembangan: penilai, kurva, pelatihan, tren"
    )
    _data_arguments(analyze)
    analyze.add_argument(
        "--pelatihan",
        type=Path,
        metavar="CSV",
        help="tabel pemetaan kebutuhan → program pelatihan (bawaan: tabel bawaan paket)",
    )
    analyze.add_argument("--out", type=Path, required=True, metavar="OUT", help="folder keluaran")
    _dask_argument(analyze, "analisis per OPD")
    _no_workbook_argument(analyze, "analisis.xlsx")
    analyze.set_defaults(run=_cmd_analyze)

    app = commands.add_parser(
        "app",
        help="aplikasi tinjauan (Voilà) di peramban, untuk forum evaluasi",
        description="Aplikasi tinjauan di peramban. Pribadi: hanya alamat bertoken yang dicetak "
        "(http://127.0.0.1:PORT/?token=…) yang dilayani; sesudah kunjungan pertama peramban itu "
        "diingat sampai ditutup. Dengan --lan peserta forum di jaringan yang sama membuka alamat "
        "bertoken itu.",
    )
    _data_arguments(app, periode_help="periode yang pertama ditampilkan (bawaan: terakhir)")
    app.add_argument("--port", type=_positive_int, default=8866, help="port (bawaan 8866)")
    app.add_argument(
        "--opd", metavar="KODE", action=_Once, help="batasi semua tampilan ke satu OPD"
    )
    app.add_argument("--keputusan", type=Path, metavar="BERKAS", help="berkas SQLite keputusan")
    app.add_argument("--oleh", default="forum evaluasi", help="pencatat keputusan")
    app.add_argument(
        "--lan",
        action="store_true",
        help="layani jaringan ruang forum (alamat LAN mesin ini) alih-alih 127.0.0.1; "
        "token tetap wajib",
    )
    app.add_argument(
        "--alamat", metavar="IP", help="seperti --lan, di alamat IP mesin ini yang disebut"
    )
    app.add_argument(
        "--maks-kernel",
        type=_positive_int,
        default=8,
        metavar="N",
        help="paling banyak N kernel (halaman terbuka dan yang disiapkan; ±0,4 GB masing-masing "
        "untuk 2.500 pegawai): halaman berikutnya ditolak (bawaan 8)",
    )
    app.add_argument(
        "--kernel-siap",
        type=_positive_int,
        metavar="N",
        help="kernel yang disiapkan agar halaman terbuka cepat (bawaan 2, atau 5 dengan --lan)",
    )
    app.set_defaults(run=_cmd_app)

    lab = commands.add_parser("lab", help="JupyterLab di notebooks/ untuk menjelajah data")
    lab.add_argument("data", type=Path, nargs="?", metavar="DIR", help="folder data (opsional)")
    lab.add_argument("--port", type=_positive_int, default=8888, help="port (bawaan 8888)")
    lab.set_defaults(run=_cmd_lab)

    reports = commands.add_parser(
        "reports", help="buat laporan per OPD dan ikhtisar kota (Papermill, paralel)"
    )
    _data_arguments(reports)
    _dask_argument(reports, "jalankan notebook laporan")
    _repeatable(
        reports,
        "--opd",
        metavar="KODE",
        help="hanya OPD ini; beberapa: --opd A B atau --opd A --opd B (bawaan: semua OPD)",
    )
    reports.add_argument(
        "--jobs", type=_positive_int, metavar="N", help="pekerja paralel (bawaan: jumlah inti)"
    )
    _repeatable(
        reports,
        "--format",
        commas=True,
        metavar="F",
        help="html, pdf, slides, ipynb; beberapa: --format html pdf (atau html,pdf; bawaan html)",
    )
    reports.add_argument(
        "--anonim", action="store_true", help="ganti nama dan NIP dengan nama samaran"
    )
    reports.add_argument("--bahasa", choices=["id", "en"], default="id", help="bahasa laporan")
    reports.add_argument(
        "--resume", action="store_true", help="ulangi hanya laporan yang belum ada atau gagal"
    )
    reports.add_argument(
        "--batas-waktu",
        type=float,
        default=600,
        metavar="DTK",
        help="batas waktu satu notebook, detik (bawaan 600)",
    )
    reports.add_argument(
        "--notebook",
        type=Path,
        metavar="BERKAS",
        help="notebook laporan OPD sendiri (bawaan notebooks/laporan-opd.ipynb)",
    )
    reports.add_argument(
        "--keputusan",
        type=Path,
        metavar="BERKAS",
        help="keputusan kalibrasi (bawaan: berkas aplikasi tinjauan untuk data ini, bila ada)",
    )
    reports.add_argument("--diam", action="store_true", help="tanpa bilah kemajuan")
    reports.add_argument(
        "--out", type=Path, default=Path("reports"), metavar="OUT", help="bawaan: reports/"
    )
    resumable(reports, "reports", _cmd_reports, _say)

    sheets = commands.add_parser(
        "sheets", help="buat lembar kinerja satu halaman untuk setiap pegawai (HTML dan PDF)"
    )
    _data_arguments(sheets)
    _repeatable(sheets, "--opd", metavar="KODE", help="hanya pegawai OPD ini (bawaan: semua OPD)")
    _repeatable(sheets, "--nip", metavar="NIP", help="hanya pegawai ini (bawaan: semua)")
    _repeatable(
        sheets,
        "--format",
        commas=True,
        metavar="F",
        help="html, pdf; beberapa: --format html pdf (bawaan keduanya)",
    )
    sheets.add_argument(
        "--anonim",
        action="store_true",
        help="nama samaran di lembar dan di nama berkas (tanpa NIP dan nama siapa pun)",
    )
    sheets.add_argument(
        "--keputusan",
        type=Path,
        metavar="BERKAS",
        help="keputusan kalibrasi dan keberatan (bawaan: berkas aplikasi tinjauan untuk data "
        "ini, bila ada)",
    )
    sheets.add_argument("--out", type=Path, required=True, metavar="OUT", help="folder tujuan")
    resumable(sheets, "sheets", _cmd_sheets, _say)

    from asn_eval.decisions.commands import add_parser as add_decisions

    add_decisions(commands, parser_class=_Parser, once=_Once, run=_cmd_decisions)

    schemes = commands.add_parser("schemes", help="daftar skema penilaian yang tersedia")
    schemes.set_defaults(run=_cmd_schemes)

    sample = commands.add_parser("sample-data", help="buat data contoh sebuah kota fiktif")
    sample.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder tujuan")
    sample.add_argument(
        "--pegawai",
        type=_positive_int,
        default=2500,
        metavar="N",
        help="jumlah pegawai (bawaan 2500)",
    )
    sample.add_argument("--seed", type=int, default=2025, metavar="S", help="benih acak")
    sample.add_argument("--tahun", type=int, default=2025, help="tahun penilaian")
    sample.add_argument(
        "--instansi", type=int, metavar="N", help="N pemerintah daerah dalam satu data (provinsi)"
    )
    sample.add_argument(
        "--format",
        choices=["csv", "parquet"],
        default="csv",
        help="format berkas tabel (bawaan csv)",
    )
    sample.add_argument(
        "--xlsx",
        type=Path,
        metavar="BERKAS",
        help="lokasi buku kerja Excel (bawaan: DIR-xlsx/DIR.xlsx)",
    )
    sample.add_argument("--tanpa-xlsx", action="store_true", help="jangan tulis buku kerja Excel")
    sample.set_defaults(run=_cmd_sample)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        The exit code.
    """
    try:
        return _run(argv)
    finally:
        flush()  # help or usage text may still wait in a buffer for a reader that left


def _run(argv: Sequence[str] | None) -> int:
    """Parse the command line and run the command; every expected error becomes an exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    from asn_eval.errors import (
        BatchError,
        DataError,
        MissingTableError,
        ProfileError,
        SchemeError,
        StoreError,
        UsageError,
        WriteError,
    )

    stopped_by = [signal.SIGINT]

    def terminated(signum: int, frame: object) -> None:
        stopped_by[0] = signal.Signals(signum)
        raise KeyboardInterrupt  # unwinds like Ctrl-C: staging folders and workers are cleaned

    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, terminated) if in_main else None
    try:
        return run(args)
    except DataError as error:
        _problems_out(error.problems, 200)
        errors = sum(p.is_error for p in error.problems)
        _say(f"\nData TIDAK SAH: {integer(errors)} galat. Tidak ada keluaran yang ditulis.")
        return EXIT_BAD_INPUT
    except BatchError as error:
        _complain(f"asn-eval: laporan tidak dapat dibuat: {error}")
        return EXIT_FAILED
    except ProfileError as error:  # one line per problem, each naming its key
        for line in str(error).splitlines():
            _complain(f"asn-eval: galat: {line}")
        return EXIT_BAD_INPUT
    except (MissingTableError, SchemeError, StoreError, UsageError) as error:
        _complain(f"asn-eval: galat: {error}")
        return EXIT_BAD_INPUT
    except WriteError as error:
        _complain(f"asn-eval: {error}")
        return EXIT_FAILED
    except OSError as error:  # not a write (those are WriteError): say what and where
        said = os.strerror(error.errno) if error.errno else str(error) or type(error).__name__
        where = f"{error.filename}: " if error.filename else ""
        _complain(f"asn-eval: gagal: {where}{said}")
        return EXIT_FAILED
    except KeyboardInterrupt:
        loading = sys.modules.get("asn_eval.input.dataset")  # a cache write under way stops too
        if loading is not None:
            loading.abandon_cache_writes()
        _complain("\nasn-eval: dihentikan.")
        return 128 + stopped_by[0]
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
