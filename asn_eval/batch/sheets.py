"""Every employee's sheet of a period, HTML and PDF, in one run: ``asn-eval sheets``.

Not a notebook per employee. The city is scored once (:class:`~asn_eval.reporting.employee.
SheetBook`), each sheet is a template filled with that employee's own values
(:mod:`asn_eval.reporting.sheet_page`), and the PDFs are printed by Chromium in chunks of
:data:`CHUNK` sheets, one A4 page each, then cut into one file per employee (pypdf). Before a
chunk is printed, a sheet taller than the page is scaled down to fit (CSS ``zoom``, not below
:data:`MIN_ZOOM`); a sheet that still does not fit is found by the PDF's outline (each sheet's one
``h1``) and keeps all its pages. Two browsers print side by side (one per core, at most
:data:`BROWSERS`).

Output, all of it or nothing (written in a staging folder, then moved in):
``OUT/index.html`` (one line per agency), ``OUT/<OPD>/index.html`` (the agency's sheets, linked),
``OUT/<OPD>/<NIP>.html`` and ``.pdf`` — under ``anonim`` the pseudonym code instead of the NIP,
so no file name holds a NIP.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import json
import os
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from asn_eval.atomic import move_into, staging_folder, write_text
from asn_eval.errors import UsageError
from asn_eval.filenames import file_stems
from asn_eval.formatting import duration, integer, timestamp
from asn_eval.input.periode import Periode
from asn_eval.reporting.employee import SheetBook
from asn_eval.scoring.scheme import DEFAULT_SCHEME, Scheme, load_scheme
from asn_eval.scoring.score import Scored

__all__ = ["BROWSERS", "CHUNK", "FORMATS", "MIN_ZOOM", "SheetsResult", "run_sheets"]

FORMATS = ("html", "pdf")
"""What a sheet is written as."""

CHUNK = 120
"""Sheets per printed document: small enough to share the work between browsers evenly."""

BROWSERS = 2
"""Most Chromium instances printing at once (each takes one core while it prints)."""

RUN_FILE = "lembar.json"
"""What a run wrote (period, scheme, agencies and their sheets), read by the next run."""

MIN_ZOOM = 0.55
"""Smallest scale a long sheet is printed at (7.8 pt type becomes 4.3 pt: still legible)."""

PAGE_ROOM_MM = (186.0, 276.0)
"""Width and height inside the margins of ``lembar.css``'s ``@page`` (A4, 12/11/10 mm)."""

_FIT = """([width, height, least]) => {
  // Measure the layout the page already has (as wide as the printed page). Scaled by z, a
  // sheet is laid out z times narrower, so it wraps less and its height shrinks by at least z:
  // z = room / height fits. It often shrinks by more, so a second look grows z into the slack
  // it left, and keeps the first z where the grown one no longer fits.
  const mm = 96 / 25.4, room = height * mm * 0.99;
  const sheets = [...document.querySelectorAll('section.lembar')];
  const heights = sheets.map((s) => s.getBoundingClientRect().height);
  let fits = true;
  const zoom = heights.map((h, i) => {
    if (h <= room) return 1;
    const z = Math.max(room / h, least);
    if (room / h < least) fits = false;
    sheets[i].style.zoom = z;
    return z;
  });
  const first = zoom.slice();
  const shrunk = sheets.map((s, i) => (zoom[i] < 1 ? s.getBoundingClientRect().height : 0));
  shrunk.forEach((h, i) => {
    if (zoom[i] < 1 && h > 0 && h < room * 0.97) {
      zoom[i] = Math.min(1, zoom[i] * (room / h) * 0.99);
      sheets[i].style.zoom = zoom[i];
    }
  });
  sheets.forEach((s, i) => {
    if (zoom[i] !== first[i] && s.getBoundingClientRect().height > room) {
      zoom[i] = first[i];
      s.style.zoom = first[i];
    }
  });
  return [zoom, fits];
}"""


@dataclass
class SheetsResult:
    """What :func:`run_sheets` wrote.

    Attributes
    ----------
    folder : Path
        The output folder.
    count : int
        Sheets written.
    agencies : dict of str to str
        Agency code → its folder name.
    files : list of Path
        Every file written, in place.
    seconds : float
        Wall time of the whole run.
    zoomed : int
        Sheets printed smaller to fit one page.
    multi_page : int
        Sheets that still took more than one page.
    """

    folder: Path
    count: int
    agencies: dict[str, str] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    zoomed: int = 0
    multi_page: int = 0


def run_sheets(
    data: str | os.PathLike[str],
    periode: str | Periode,
    *,
    out: str | os.PathLike[str],
    skema: str | os.PathLike[str] | Scheme = DEFAULT_SCHEME,
    kode_opd: Sequence[str] | None = None,
    nip: Sequence[str] | None = None,
    anonim: bool = False,
    formats: Sequence[str] = FORMATS,
    keputusan: str | os.PathLike[str] | None = None,
    profil: str | os.PathLike[str] | None = None,
    browsers: int | None = None,
) -> SheetsResult:
    """Write one sheet per employee (HTML and PDF), an index per agency and one for the city.

    Parameters
    ----------
    data : path
        The data folder.
    periode : str or Periode
        The period (checked against the data before anything is written).
    out : path
        The output folder (created); files of agencies written again are replaced.
    skema : str, path or Scheme
        The scheme.
    kode_opd : sequence of str, optional
        Only these agencies' employees.
    nip : sequence of str, optional
        Only these employees (spaces and dots allowed).
    anonim : bool
        Pseudonyms instead of names and NIPs, in the sheets and in the file names.
    formats : sequence of {"html", "pdf"}
        What to write (the indexes are always written).
    keputusan : path, optional
        The decisions file: calibrations and objections shown on the sheets; by default the
        review app's file for this data folder, when it exists.
    profil : path, optional
        The city profile (``--profil``); by default ``profil.toml`` of the data folder.
    browsers : int, optional
        Chromium instances printing side by side (default: the cores, at most
        :data:`BROWSERS`).

    Returns
    -------
    SheetsResult

    Raises
    ------
    DataError, PeriodeError, ProfileError, StoreError
        Bad data, period, profile or decisions file (nothing written).
    UsageError
        Unknown agency, NIP or format, or no Chromium for PDF (nothing written).
    WriteError
        The output cannot be written (named; nothing half-written stays).
    """
    from asn_eval.city_profile import load_profile
    from asn_eval.decisions import default_path
    from asn_eval.input.dataset import load
    from asn_eval.scoring.score import evaluate

    started = time.perf_counter()
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"format tidak dikenal: {', '.join(unknown)} (pilih: html, pdf)")
    scheme = skema if isinstance(skema, Scheme) else load_scheme(skema)
    dataset = load(data)
    checked = dataset.periode(periode)
    city_profile = load_profile(profil if profil is not None else dataset.source)
    codes = _agencies(dataset, kode_opd)
    wanted = _employees(dataset, nip)
    if "pdf" in formats:
        _chromium()  # no Chromium: said before any work
    store_path = Path(keputusan) if keputusan is not None else default_path(dataset.source)

    scored = evaluate(dataset, checked, scheme)
    hasil, quarters, objections = _calibrated(scored, store_path)
    book = SheetBook(
        scored,
        hasil,
        profil=city_profile,
        anonim=anonim,
        quarters=quarters,
        keberatan=objections,
    )
    chosen = book.positions(codes, wanted)
    if not chosen:
        raise UsageError("tidak ada pegawai yang cocok dengan --opd/--nip di data ini")
    return _write(book, chosen, Path(out), formats, started, browsers, dataset.source.name)


def _agencies(dataset: object, wanted: Sequence[str] | None) -> list[str] | None:
    if not wanted:
        return None
    known = list(dataset.opd["kode_opd"].astype("str"))
    missing = [c for c in wanted if c not in known]
    if missing:
        raise UsageError(
            f"kode OPD tidak ada di data: {', '.join(missing)} (yang ada: {', '.join(known)})"
        )
    return list(wanted)


def _employees(dataset: object, wanted: Sequence[str] | None) -> list[str] | None:
    if not wanted:
        return None
    bare = ["".join(str(n).split()).replace(".", "") for n in wanted]
    known = set(dataset.pegawai["nip"].astype("str"))
    missing = [n for n, b in zip(wanted, bare, strict=True) if b not in known]
    if missing:
        raise UsageError(f"NIP tidak ada di tabel pegawai: {', '.join(missing)}")
    return bare


def _chromium() -> str:
    from asn_eval.batch.chromium import require_chromium

    return require_chromium()  # raises UsageError, naming how to install it


def _calibrated(
    scored: Scored, store_path: Path
) -> tuple[pd.DataFrame, dict[Periode, pd.DataFrame], pd.DataFrame | None]:
    """Return the results and quarters to show, calibrated, and the period's objections.

    Without a decisions file: as computed, and no objections.
    """
    from asn_eval.analysis.trends import year_to_date

    quarters = {q: s.hasil for q, s in year_to_date(scored).items()}
    if not store_path.exists():
        return scored.hasil, quarters, None
    from asn_eval.decisions import DecisionStore

    with DecisionStore(store_path, access="auto") as store:  # verified on opening
        hasil = store.apply(scored.hasil, skema=scored.skema)
        quarters = {q: store.apply(h, skema=scored.skema) for q, h in quarters.items()}
        objections = store.objections(periode=str(scored.periode), skema=scored.skema)
    return hasil, quarters, objections


def _write(
    book: SheetBook,
    chosen: list[int],
    out: Path,
    formats: tuple[str, ...],
    started: float,
    browsers: int | None,
    data_name: str,
) -> SheetsResult:
    from asn_eval.reporting.sheet_page import (
        IndexEntry,
        SheetPage,
        agency_index,
        city_index,
        print_document,
    )

    periode, profil = book.periode, book.profil
    opd = book.scored.data.opd
    names = dict(zip(opd["kode_opd"].astype("str"), opd["nama_opd"].astype("str"), strict=True))
    stems = file_stems(names, reserved=("index",))
    quarter = not periode.is_year
    page = SheetPage(
        profil,
        book.scored.skema.nama,
        str(periode),
        data_name,
        book.anonim,
        "Triwulan tahun ini" if quarter else f"Triwulan tahun {periode.tahun}",
        "Belum ada triwulan lain tahun ini di data."
        if quarter
        else "Data hanya berisi penilaian tahunan (tanpa triwulan).",
    )
    zona = profil.zona_waktu if profil else "WIB"
    made = timestamp(datetime.now(UTC), zona)
    by_agency: dict[str, list[int]] = {}
    for i in chosen:
        by_agency.setdefault(str(book.hasil["kode_opd"].iat[i]), []).append(i)
    result = SheetsResult(out, len(chosen))
    printing = "pdf" in formats
    with staging_folder(out) as staging:
        names_written: list[str] = []
        pending: dict[str, list[str]] = {}
        printers = _Printers(browsers or min(BROWSERS, os.cpu_count() or 1)) if printing else None
        work = staging / ".cetak"
        work.mkdir()
        numbers = itertools.count()

        def collect(wait: bool = False) -> None:
            for key, pdf, zoom, outline in printers.finished(wait):
                files = pending.pop(key)
                for position, (data, pages) in enumerate(_split(pdf, len(files), outline)):
                    (staging / files[position]).write_bytes(data)
                    names_written.append(files[position])
                    result.zoomed += int(zoom[position] < 1)
                    result.multi_page += int(pages > 1)
                (work / f"{key}.html").unlink(missing_ok=True)

        try:
            for code in [c for c in names if c in by_agency]:
                folder = stems[code]
                result.agencies[code] = folder
                (staging / folder).mkdir()
                entries, sections, files = [], [], []
                for i in by_agency[code]:
                    sheet = book.sheet(i)
                    stem = book.file_stem(i)
                    section = page.section(sheet, stem)
                    if "html" in formats:
                        (staging / folder / f"{stem}.html").write_text(
                            page.page(sheet, stem, section), encoding="utf-8"
                        )
                        names_written.append(f"{folder}/{stem}.html")
                    entries.append(
                        IndexEntry(
                            sheet.identitas["Nama"],
                            sheet.identitas["NIP"],
                            sheet.identitas["Jabatan"],
                            sheet.identitas["Unit kerja"],
                            sheet.ringkasan["predikat"],
                            stem,
                        )
                    )
                    if printing:
                        sections.append(section)
                        files.append(f"{folder}/{stem}.pdf")
                        if len(sections) == CHUNK or i == by_agency[code][-1]:
                            key = f"{folder}-{next(numbers)}"
                            document = work / f"{key}.html"
                            document.write_text(print_document(sections, key), encoding="utf-8")
                            pending[key] = files
                            printers.submit(key, document, len(sections))
                            sections, files = [], []
                            collect()
                index = agency_index(
                    entries,
                    opd=f"{names[code]} ({code})",
                    periode=str(periode),
                    formats=tuple(f for f in FORMATS if f in formats),
                    made=made,
                )
                write_text(staging / folder / "index.html", index)
                names_written.append(f"{folder}/index.html")
            while pending:
                collect(wait=True)
        except BaseException:
            if printers is not None:
                printers.close(abort=True)
            raise
        else:
            if printers is not None:
                printers.close()
        run = {
            "periode": str(periode),
            "skema": book.scored.skema.nama,
            "anonim": book.anonim,
            "opd": {
                c: {"nama": f"{names[c]} ({c})", "folder": result.agencies[c],
                    "lembar": len(by_agency[c])}
                for c in result.agencies
            },
        }  # fmt: skip
        run["opd"] = _earlier_agencies(out, run) | run["opd"]
        write_text(staging / RUN_FILE, json.dumps(run, ensure_ascii=False, indent=1))
        names_written.append(RUN_FILE)
        order = {c: k for k, c in enumerate(names)}
        agencies = [
            (e["nama"], e["folder"], e["lembar"])
            for c, e in sorted(run["opd"].items(), key=lambda kv: order.get(kv[0], len(order)))
        ]
        title = profil.pemerintah if profil else data_name
        seconds = time.perf_counter() - started
        write_text(
            staging / "index.html",
            city_index(
                agencies, title=title, periode=str(periode), made=made, seconds=duration(seconds)
            ),
        )
        names_written.append("index.html")
        result.files = move_into(staging, out, names_written)
    _remove_stale(out, result.agencies.values(), set(names_written), formats)
    result.seconds = time.perf_counter() - started
    return result


def _earlier_agencies(out: Path, run: dict) -> dict:
    """Return the agencies an earlier run of the same period, scheme and kind left in ``out``.

    Sheets made for one agency again (``--opd``) must not drop the others from the city's
    index; sheets of another period or scheme are not listed with these.
    """
    try:
        earlier = json.loads((out / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    same = all(earlier.get(k) == run[k] for k in ("periode", "skema", "anonim"))
    if not same or not isinstance(earlier.get("opd"), dict):
        return {}
    return {
        code: entry
        for code, entry in earlier["opd"].items()
        if isinstance(entry, dict) and (out / str(entry.get("folder")) / "index.html").is_file()
    }


def _remove_stale(out: Path, folders: object, written: set[str], formats: tuple[str, ...]) -> None:
    """Remove sheets of an agency written again that this run did not write (people who left)."""
    for folder in folders:
        for suffix in formats:
            for path in (out / folder).glob(f"*.{suffix}"):
                if f"{folder}/{path.name}" not in written and path.name != "index.html":
                    path.unlink(missing_ok=True)


class _Printers:
    """Chromium instances printing chunks in a thread of their own while the sheets are made.

    The main thread fills sheets and writes pages; each finished chunk is handed over
    (:meth:`submit`) and printed at once by the next free browser, so Python's work and the
    browsers' overlap. :meth:`finished` returns what is printed so far; :meth:`close` waits for
    the rest. An error in a browser is raised in the main thread.
    """

    def __init__(self, count: int) -> None:
        self._count = max(1, count)
        self._todo: queue.Queue[tuple[str, Path, int] | None] = queue.Queue()
        self._done: queue.Queue[tuple[str, bytes, list[float], bool] | BaseException] = (
            queue.Queue()
        )
        self._chromium = _chromium()
        self._thread = threading.Thread(target=self._run, name="asn-eval-lembar-cetak")
        self._thread.start()

    def submit(self, key: str, document: Path, sheets: int) -> None:
        """Print ``document`` (``sheets`` sections); its PDF comes back under ``key``."""
        self._todo.put((key, document, sheets))

    def finished(self, wait: bool = False) -> list[tuple[str, bytes, list[float], bool]]:
        """Return the chunks printed since the last call (``wait``: at least one, if any left)."""
        out = []
        while True:
            try:
                item = self._done.get(block=wait and not out, timeout=None)
            except queue.Empty:
                return out
            if isinstance(item, BaseException):
                raise item
            out.append(item)
            if self._done.empty():
                return out

    def close(self, abort: bool = False) -> None:
        """Stop the browsers once they printed what was submitted.

        With ``abort`` (Ctrl-C, a full disk) only the chunks being printed are finished.
        """
        if abort:
            with contextlib.suppress(queue.Empty):
                while True:
                    self._todo.get_nowait()
        for _ in range(self._count):
            self._todo.put(None)
        self._thread.join()

    def _run(self) -> None:
        try:
            asyncio.run(self._print())
        except BaseException as error:  # handed to the main thread
            self._done.put(error)

    async def _print(self) -> None:
        from playwright.async_api import async_playwright

        from asn_eval.batch.chromium import CHROMIUM_ARGS, LOCAL_SCHEMES

        async def only_local(route: object) -> None:
            if route.request.url.startswith(LOCAL_SCHEMES):
                await route.continue_()
            else:
                await route.abort()

        async def printer(browser: object) -> None:
            width, _ = PAGE_ROOM_MM  # laid out as wide as the printed page: measured as printed
            context = await browser.new_context(
                viewport={"width": round(width * 96 / 25.4), "height": 1000}
            )
            await context.route("**/*", only_local)
            page = await context.new_page()
            await page.emulate_media(media="print")  # laid out once, as it prints
            while (job := await asyncio.to_thread(self._todo.get)) is not None:
                key, document, sheets = job
                await page.goto(document.resolve().as_uri(), wait_until="load")
                zoom, fits = await page.evaluate(_FIT, [*PAGE_ROOM_MM, MIN_ZOOM])
                # Every sheet one page: cut page by page. Otherwise (or when the printed page
                # count says so) print with the outline, which says where each sheet begins.
                outline = not fits
                pdf = await page.pdf(
                    print_background=True,
                    prefer_css_page_size=True,
                    tagged=outline,
                    outline=outline,
                )
                if not outline and _page_count(pdf) != sheets:
                    outline = True
                    pdf = await page.pdf(
                        print_background=True, prefer_css_page_size=True, tagged=True, outline=True
                    )
                self._done.put((key, pdf, zoom, outline))
            await context.close()

        async with async_playwright() as playwright:
            browsers = [
                await playwright.chromium.launch(
                    executable_path=self._chromium, headless=True, args=list(CHROMIUM_ARGS)
                )
                for _ in range(self._count)
            ]
            try:
                await asyncio.gather(*(printer(b) for b in browsers))
            finally:
                for browser in browsers:
                    await browser.close()


def _page_count(pdf: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _split(pdf: bytes, count: int, outline: bool) -> list[tuple[bytes, int]]:
    """Cut a chunk's PDF into one file per sheet: page by page, or by the outline."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    if outline:
        starts = [
            reader.get_destination_page_number(entry)
            for entry in reader.outline
            if not isinstance(entry, list)
        ]
    else:
        starts = list(range(count))
    if len(starts) != count or (not outline and pages != count):
        raise RuntimeError(
            f"PDF lembar tidak sesuai: {pages} halaman, {len(starts)} awal lembar, {count} lembar"
        )
    ends = [*starts[1:], pages]
    out = []
    for start, end in zip(starts, ends, strict=True):
        writer = pypdf.PdfWriter()
        for number in range(start, end):
            writer.add_page(reader.pages[number])
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append((buffer.getvalue(), end - start))
    return out


def summary(result: SheetsResult) -> str:
    """Say what a run wrote, in one line (for the CLI).

    Parameters
    ----------
    result : SheetsResult

    Returns
    -------
    str
    """
    extra = []
    if result.zoomed:
        extra.append(f"{integer(result.zoomed)} diperkecil agar muat satu halaman")
    if result.multi_page:
        extra.append(f"{integer(result.multi_page)} tetap lebih dari satu halaman")
    said = f" ({'; '.join(extra)})" if extra else ""
    return (
        f"{integer(result.count)} lembar pegawai untuk {integer(len(result.agencies))} OPD "
        f"ditulis ke {result.folder}{said} dalam {duration(result.seconds)}. Buka "
        f"{result.folder / 'index.html'}."
    )
