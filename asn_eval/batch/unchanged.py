"""Nothing changed, nothing redone: a command's signature kept beside its outputs.

``score``, ``sheets`` and ``reports`` with ``--resume`` fingerprint everything their outputs
depend on (the data's content, the scheme's content, the city profile with its logo, the
decisions file's chain head, the notebooks, the package version and the command's options) and
keep it in ``.tanda-<command>.json`` in the output folder with the files written. A second run
whose signature is the same and whose files are all still there (same size) writes nothing and
says so; any other difference makes the command run in full.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from asn_eval.atomic import write_text
from asn_eval.version import __version__

__all__ = ["OPTIONS", "job_signature", "remember", "resumable", "unchanged"]

OPTIONS = ("periode", "opd", "nip", "format", "anonim", "bahasa")
"""Options of the commands that change what they write (others, e.g. ``--jobs``, do not)."""

RESUME_HELP = (
    "bila data, skema, profil, keputusan dan pilihan sama dan semua berkas keluaran masih ada: "
    "tidak ditulis ulang (tidak berubah)"
)


def _data_fingerprint(data: Path) -> str:
    """Hash the data's files as the loader does (no parsing); "" when the data cannot be found."""
    from asn_eval.input.readers import discover, fingerprint

    sources, problems = discover(data)
    if any(p.is_error for p in problems):
        return ""
    return fingerprint(sources)


def job_signature(
    command: str,
    data: str | os.PathLike[str],
    *,
    skema: str | os.PathLike[str],
    options: Mapping[str, object],
    profil: str | os.PathLike[str] | None = None,
    keputusan: str | os.PathLike[str] | None = None,
    notebooks: Sequence[str | os.PathLike[str]] = (),
) -> str:
    """Fingerprint everything a command's outputs depend on.

    Parameters
    ----------
    command : str
        The command (``score``, ``sheets``, ``reports``).
    data : path
        The data folder or workbook (its files' content, as the loader's cache key).
    skema : str or path
        The scheme asked for (its content counts, not its name).
    options : mapping
        Every other option that changes an output (period, formats, agencies, …); JSON-able.
    profil : path, optional
        The city profile given, else the data folder's own ``profil.toml`` (with its logo).
    keputusan : path, optional
        The decisions file used, else the review app's file for this data folder: its chain
        head moves with every event.
    notebooks : sequence of path
        Notebooks the outputs are made by (their bytes).

    Returns
    -------
    str
        32 hex digits; "" when the data cannot be found (then nothing is ever unchanged).

    Raises
    ------
    ProfileError, StoreError, UsageError
        A bad profile, decisions file or scheme, as the command itself would raise.
    """
    from asn_eval.city_profile import load_profile
    from asn_eval.decisions import default_path
    from asn_eval.scoring.scheme import load_scheme

    data = Path(data)
    found = _data_fingerprint(data)
    if not found:
        return ""
    digest = hashlib.sha256()
    parts = {"perintah": command, "versi": __version__, "data": found, "opsi": options}
    parts["skema"] = load_scheme(skema).digest
    city = load_profile(profil if profil is not None else data)
    parts["profil"] = (
        {k: v for k, v in city.to_dict().items() if k != "source"} if city is not None else None
    )
    decisions = Path(keputusan) if keputusan is not None else default_path(data)
    if decisions.exists():
        from asn_eval.decisions import DecisionStore

        with DecisionStore(decisions, access="auto") as store:  # the chain is verified
            parts["keputusan"] = f"{decisions.resolve()}:{store.head().hash}"
    digest.update(json.dumps(parts, sort_keys=True, default=str).encode())
    for notebook in notebooks:
        digest.update(Path(notebook).read_bytes())
    return digest.hexdigest()[:32]


def _period_folder(out: Path, periode: str) -> Path:
    """Return where a report batch of ``periode`` writes (``OUT/2025-TW2``), as it names it."""
    from asn_eval.errors import UsageError
    from asn_eval.filenames import file_stem
    from asn_eval.input.periode import Periode

    try:
        return out / file_stem(str(Periode(periode)))
    except (ValueError, UsageError):  # not a period: the command itself says so
        return out


def _record_path(folder: Path, command: str) -> Path:
    return folder / f".tanda-{command}.json"


def unchanged(
    folder: str | os.PathLike[str], command: str, signature: str, *, only: Path | None = None
) -> bool:
    """Whether the last run of ``command`` into ``folder`` had this signature and left its files.

    Parameters
    ----------
    folder : path
        The output folder.
    command : str
        The command.
    signature : str
        From :func:`job_signature`.
    only : Path, optional
        Ask about this one file only: recorded by the same signature and still the same size.

    Returns
    -------
    bool
        True only when the recorded signature is the same and every file recorded is still
        there with its size; False for anything else (no record, unreadable record, a file
        missing or changed in size).
    """
    folder = Path(folder)
    try:
        record = json.loads(_record_path(folder, command).read_text(encoding="utf-8"))
        if not signature or record.get("tanda") != signature or not record.get("berkas"):
            return False
        if only is not None:
            name = str(only.resolve().relative_to(folder.resolve()))
            return record["berkas"].get(name) == only.stat().st_size
        return all(
            (folder / name).stat().st_size == size for name, size in record["berkas"].items()
        )
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def remember(
    folder: str | os.PathLike[str],
    command: str,
    signature: str,
    files: Sequence[str | os.PathLike[str]],
) -> None:
    """Keep the signature and the files a run wrote, for :func:`unchanged`.

    Parameters
    ----------
    folder : path
        The output folder; ``files`` inside it (others are not recorded).
    command : str
        The command.
    signature : str
        From :func:`job_signature` ("" records nothing).
    files : sequence of path
        The files written.
    """
    folder = Path(folder)
    if not signature:
        return
    sizes = {}
    for file in files:
        path = Path(file)
        path = path if path.is_absolute() else folder / path
        if path.name.startswith(".tanda-"):
            continue
        try:
            sizes[str(path.resolve().relative_to(folder.resolve()))] = path.stat().st_size
        except (OSError, ValueError):
            continue
    record = {"tanda": signature, "versi": __version__, "berkas": sizes}
    write_text(_record_path(folder, command), json.dumps(record, ensure_ascii=False, indent=1))


def _files(folder: Path) -> dict[Path, int]:
    if not folder.is_dir():
        return {}
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def resumable(
    parser: argparse.ArgumentParser,
    command: str,
    run: Callable[[argparse.Namespace], int],
    say: Callable[[str], None],
) -> None:
    """Make a command skip its work with ``--resume`` when nothing it depends on changed.

    Adds ``--resume`` to ``parser`` (when it has none) and sets its ``run`` to: fingerprint the
    inputs (:func:`job_signature`, options :data:`OPTIONS` and ``--notebook``); with
    ``--resume`` and :func:`unchanged`, say so and return 0 without running; else run, and after
    a run that returned 0 keep the signature with the files it wrote into ``args.out`` (new or
    rewritten, plus those of the previous record that are still there).

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The command's parser (its arguments ``data``, ``out``, ``skema``, ``profil``).
    command : str
        The command's name.
    run : callable
        The command: arguments to exit code.
    say : callable
        Prints a line for the user.
    """
    if "--resume" not in parser._option_string_actions:
        parser.add_argument("--resume", action="store_true", help=RESUME_HELP)

    def resumed(args: argparse.Namespace) -> int:
        options = {name: getattr(args, name, None) for name in OPTIONS}
        if getattr(args, "tanpa_xlsx", False):  # other files; said only when given
            options["tanpa_xlsx"] = True
        notebooks = []
        if command == "reports":
            from asn_eval.batch.runner import default_notebooks

            notebooks = list(default_notebooks().values())
            options["notebook"] = str(args.notebook) if args.notebook else None
            notebooks += [args.notebook] if args.notebook else []
        signature = job_signature(
            command,
            args.data,
            skema=args.skema,
            options=options,
            profil=args.profil,
            keputusan=getattr(args, "keputusan", None),
            notebooks=notebooks,
        )
        out = Path(args.out)
        if command == "reports":  # a batch writes into OUT/<periode>/: its record goes there
            out = _period_folder(out, args.periode)
        if args.resume and unchanged(out, command, signature):
            say(f"{command}: data, skema, keputusan dan pilihan tidak berubah; {out} tetap.")
            return 0
        before = _files(out)
        code = run(args)
        if code == 0:
            written = [p for p, stamp in _files(out).items() if before.get(p) != stamp]
            kept = [p for p in before if unchanged(out, command, signature, only=p)]
            remember(out, command, signature, [*written, *kept])
        return code

    parser.set_defaults(run=resumed)
