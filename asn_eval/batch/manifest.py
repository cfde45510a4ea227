"""What a batch plans and what it records: jobs, their results, the manifest and the index page.

A :class:`JobResult` is one row of ``manifest.csv``/``manifest.json``: its fields are the
manifest's columns, in Bahasa Indonesia as the reader of the manifest sees them. The signature of
a batch (data, scheme content, options, notebooks, decisions) tells ``--resume`` whether earlier
reports can be kept.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from asn_eval.atomic import write_text
from asn_eval.city_profile import CityProfile
from asn_eval.formatting import duration, integer, timestamp
from asn_eval.input.dataset import Dataset
from asn_eval.scoring.scheme import Scheme

__all__ = [
    "MANIFEST_COLUMNS",
    "BatchResult",
    "Job",
    "JobResult",
    "expected_files",
    "previous_signature",
    "read_manifest",
    "signature",
    "write_index",
    "write_manifest",
]


_SUFFIX = {"html": ".html", "pdf": ".pdf", "slides": ".slides.html", "ipynb": ".ipynb"}


@dataclass
class Job:
    """One notebook to run: which, with what parameters, and where its outputs go."""

    name: str
    notebook: str
    parameters: dict[str, object]
    kode_opd: str | None = None
    empty: bool = False  # the agency has nothing to score in the period: a short report
    title: str = ""
    weight: int = 0  # employees: the largest reports are started first, to end together


@dataclass
class JobResult:
    """What happened to one job: a row of the manifest (columns :data:`MANIFEST_COLUMNS`).

    Attributes
    ----------
    name : str
        File stem: ``ikhtisar-kota``, or the agency code made safe as a file name
        (:func:`asn_eval.filenames.file_stem`; the code itself when it already is).
    kode_opd : str
        The agency's code as the data writes it ("" for the overview).
    status : str
        ``berhasil``, ``gagal`` or, for a resumed batch, what the earlier run recorded.
    seconds : float
        Seconds spent on the job (execution and conversion).
    outputs : list of str
        Output files, relative to the period folder.
    error : str
        The error in one line (empty when it succeeded).
    empty : bool
        The agency had nothing to score in the period (it gets a short report).
    cell_seconds : float
        Of ``seconds``, the seconds the notebook's own cells ran (the rest is kernel round trips,
        parameters, conversion and PDF printing).
    """

    name: str
    kode_opd: str
    status: str
    seconds: float
    outputs: list[str] = field(default_factory=list)
    error: str = ""
    empty: bool = False
    cell_seconds: float = 0.0


MANIFEST_COLUMNS = {
    "name": "nama",
    "kode_opd": "kode_opd",
    "status": "status",
    "seconds": "detik",
    "outputs": "keluaran",
    "error": "galat",
    "empty": "kosong",
    "cell_seconds": "detik_sel",
}
"""The manifest's columns as its reader sees them (in Indonesian), by :class:`JobResult` field."""


@dataclass
class BatchResult:
    """The outcome of a batch.

    Attributes
    ----------
    folder : Path
        The period folder holding the reports, ``manifest.csv`` and ``index.html``.
    results : list of JobResult
        One per notebook, overview first.
    seconds : float
        Wall-clock seconds of the whole batch.
    prepare_seconds : float
        Seconds before the first notebook could run (loading, scoring).
    skipped : list of str
        File stems of the reports a resumed batch kept as they were (finished before).
    """

    folder: Path
    results: list[JobResult]
    seconds: float
    prepare_seconds: float
    skipped: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[JobResult]:
        """Jobs that failed."""
        return [r for r in self.results if r.status == "gagal"]


def _read_json(folder: Path) -> dict:
    """Read ``manifest.json``; nothing (an empty dict) when it is missing or cannot be read."""
    try:
        found = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def read_manifest(folder: Path) -> dict[str, JobResult]:
    """Read the results an earlier batch recorded in ``folder`` (empty when there is none).

    The batch rewrites its manifest as each report is finished, so after a batch that was
    killed it lists the reports finished before. A manifest that cannot be read (edited by
    hand, not a manifest) counts as none: every report is redone.

    Parameters
    ----------
    folder : Path
        A period folder of reports.

    Returns
    -------
    dict of str to JobResult
        By file stem.
    """
    fields = {column: name for name, column in MANIFEST_COLUMNS.items()}
    try:
        rows = _read_json(folder).get("laporan", [])
        results = [JobResult(**{fields[k]: v for k, v in row.items()}) for row in rows]
    except (AttributeError, KeyError, TypeError):
        return {}
    return {r.name: r for r in results}


def write_manifest(folder: Path, results: Iterable[JobResult], about: dict) -> None:
    """Write ``manifest.json`` (with the batch's description) and ``manifest.csv``, atomically.

    Parameters
    ----------
    folder : Path
        The period folder.
    results : iterable of JobResult
        One per notebook.
    about : dict
        The batch: period, scheme, data, formats, options, signature, time.
    """
    rows = [{MANIFEST_COLUMNS[k]: v for k, v in asdict(r).items()} for r in results]
    write_text(
        folder / "manifest.json",
        json.dumps({"batch": about, "laporan": rows}, ensure_ascii=False, indent=1),
    )
    frame = pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS.values()))
    frame["keluaran"] = frame["keluaran"].map(" ".join)
    write_text(folder / "manifest.csv", frame.to_csv(index=False))


def write_index(
    folder: Path,
    results: Sequence[JobResult],
    about: dict,
    names: dict,
    seconds: float | None = None,
    instansi: Mapping[str, tuple[str, str]] | None = None,
) -> None:
    """Write ``index.html``: every report with its status, files and error.

    With many instansi the page is grouped: the overview of all first, then under each
    instansi's name its overview and its agencies' reports (their own codes, ``DINKES``).

    The page is for the evaluators: when the batch was made is written in the city's time zone
    (``about["zona_waktu"]``, WIB by default) and the batch's time once, as a duration; the
    seconds of each report stay in ``manifest.json``/``manifest.csv``.

    Parameters
    ----------
    folder : Path
        The period folder.
    results : sequence of JobResult
        One per notebook.
    about : dict
        The batch (its ``periode``, ``skema``, ``dibuat`` (ISO 8601), ``zona_waktu`` and, when
        there is a profile, ``pemerintah`` are shown).
    names : dict
        Agency code (or, for the overview, its file stem) → name.
    seconds : float, optional
        The whole batch's wall-clock seconds.
    instansi : mapping, optional
        ``kode_instansi`` → (its name, its overview's file stem), in the order shown; None or
        empty for a single city (one table, as before).
    """

    def row(r: JobResult, shown: str) -> str:
        links = " ".join(
            f"<a href='{html.escape(quote(f))}'>{html.escape(Path(f).suffix.lstrip('.') or f)}</a>"
            if not f.endswith(".slides.html")
            else f"<a href='{html.escape(quote(f))}'>slides</a>"
            for f in r.outputs
        )
        status = "gagal" if r.status == "gagal" else ("kosong" if r.empty else "berhasil")
        key = r.kode_opd or r.name  # the agency's own code, not its file stem
        return (
            f"<tr class='{status}'><td>{html.escape(shown)}</td>"
            f"<td>{html.escape(names.get(key, ''))}</td><td>{status}</td>"
            f"<td>{links}</td><td>{html.escape(r.error)}</td></tr>"
        )

    head = (
        "<table><thead><tr><th>Laporan</th><th>Nama</th><th>Status</th>\n"
        "<th>Berkas</th><th>Galat</th></tr></thead><tbody>\n"
    )
    if not instansi:
        tables = head + "".join(row(r, r.kode_opd or r.name) for r in results)
        tables += "\n</tbody></table>"
    else:
        overviews = {stem: kode for kode, (_, stem) in instansi.items()}
        mine: dict[str, list[str]] = {kode: [] for kode in instansi}
        first: list[str] = []  # the overview of all
        for r in results:
            # An agency's qualified code INSTANSI/OPD: its instansi, and its own code shown.
            kode = overviews.get(r.name) or r.kode_opd.split("/", 1)[0]
            shown = r.kode_opd.split("/", 1)[-1] if r.kode_opd else r.name
            (mine[kode] if kode in mine else first).append(row(r, shown))
        tables = head + "".join(first) + "\n</tbody></table>"
        for kode, (nama, _) in instansi.items():
            tables += f"\n<h2>{html.escape(nama)}</h2>\n" + head + "".join(mine[kode])
            tables += "\n</tbody></table>"
    failed = sum(r.status == "gagal" for r in results)
    made = timestamp(about["dibuat"], about.get("zona_waktu") or "WIB")
    took = f"; waktu proses {duration(seconds)}" if seconds is not None else ""
    issuer = about.get("pemerintah")
    issuer = f"<p class='penerbit'>{html.escape(issuer)}</p>\n" if issuer else ""
    decisions = ""
    if about.get("keputusan"):
        decisions = (
            f"<p>Keputusan kalibrasi: {html.escape(about['keputusan'])}. Keutuhannya bisa "
            "diperiksa kapan saja dengan "
            "<code>asn-eval decisions verify BERKAS --sampai KEPALA</code>.</p>\n"
        )
    page = f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Laporan evaluasi kinerja {html.escape(about["periode"])}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #111; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #bbb; padding: .35rem .6rem; text-align: left; }}
tr.gagal td {{ background: #eee; font-weight: bold; }}
tr.kosong td {{ color: #555; font-style: italic; }}
.penerbit {{ font-weight: 600; margin-bottom: 0; }}
</style></head><body>
{issuer}<h1>Laporan evaluasi kinerja, periode {html.escape(about["periode"])}</h1>
<p>Skema {html.escape(about["skema"])}; dibuat {html.escape(made)}{took};
{integer(len(results))} laporan, {integer(failed)} gagal.</p>
{decisions}{tables}</body></html>
"""
    write_text(folder / "index.html", page)


def signature(
    data: Dataset,
    skema: Scheme,
    anonim: bool,
    bahasa: str,
    notebooks: dict[str, Path],
    decisions: Path,
    *,
    profil: CityProfile | None = None,
) -> str:
    """Fingerprint what a batch's reports depend on; ``--resume`` keeps reports only if equal.

    Parameters
    ----------
    data : Dataset
        The data (its content fingerprint).
    skema : Scheme
        The scheme (its content, not its file name).
    anonim : bool
        Pseudonymised or not.
    bahasa : str
        The language.
    notebooks : dict of str to Path
        The notebooks run (their bytes).
    decisions : Path
        The decisions file (the head of its chain: every event moves it).
    profil : CityProfile, optional
        The city profile (government, signatory, zone and logo are printed in the reports).

    Returns
    -------
    str
        16 hex digits.
    """
    digest = hashlib.sha256()
    for part in (data.fingerprint, skema.digest, str(anonim), bahasa):
        digest.update(part.encode())
    if profil is not None:  # another signatory or government: the reports are made again
        shown = {k: v for k, v in profil.to_dict().items() if k != "source"}
        digest.update(json.dumps(shown, sort_keys=True).encode())
    if decisions.exists():  # a new forum decision makes every report out of date
        from asn_eval.decisions import DecisionStore

        # Opening verifies the chain; its head (count and last hash) changes with every event.
        with DecisionStore(decisions, access="auto") as store:
            digest.update(f"{decisions}:{store.head().hash}".encode())
    for path in notebooks.values():
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def previous_signature(folder: Path) -> str | None:
    """Return the signature recorded by the batch that last wrote ``folder`` (None if none).

    Parameters
    ----------
    folder : Path
        The period folder.

    Returns
    -------
    str or None
    """
    about = _read_json(folder).get("batch")
    return about.get("tanda") if isinstance(about, dict) else None


def expected_files(name: str, formats: Sequence[str]) -> list[str]:
    """Name the files one report is made of in these formats.

    Parameters
    ----------
    name : str
        The report's file stem.
    formats : sequence of str
        Formats (``html``, ``pdf``, ``slides``, ``ipynb``).

    Returns
    -------
    list of str
    """
    return [f"{name}{_SUFFIX[f]}" for f in formats]
