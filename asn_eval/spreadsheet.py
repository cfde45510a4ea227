"""Every Excel workbook the package writes is opened here, with text kept as text.

A workbook leaves the office (e-mailed to an agency, opened on a shared PC), and its cells hold
text typed by hundreds of people: names, unit names, RHK, feedback. xlsxwriter's defaults turn a
text that starts with ``=`` into a live formula (``=HYPERLINK(…)``, a DDE ``=cmd|…``) and one
that looks like an address into a link. Here both are off, so a cell that came from data is
always a text cell that shows exactly what was typed, whatever it starts with (``=``, ``+``,
``-``, ``@``, a tab or a carriage return). Numbers stay numbers; nothing is rewritten or
prefixed. ``tests/test_spreadsheet.py`` opens every workbook the package writes and checks.

A workbook for people (``hasil.xlsx``, ``analisis.xlsx``, ``masalah.xlsx``, the decisions export)
is written through :func:`people_workbook`: the headers, number formats and widths of
:mod:`asn_eval.columns`, colours on level and predikat columns only (light fills that stay
readable printed in black and white), columns empty for every row left out, a ``kolom`` sheet
mapping each header to its column name, a ``tentang`` sheet without machine paths, and every sheet
set up to print (:func:`print_setup`). ``tests/test_workbooks.py`` reads them back.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from asn_eval.columns import Column, column
from asn_eval.formatting import timestamp, zone
from asn_eval.version import __version__

if TYPE_CHECKING:
    import pandas as pd
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    from asn_eval.city_profile import CityProfile

__all__ = [
    "ABOUT_SHEET",
    "COLUMNS_SHEET",
    "LEVEL_FILL",
    "PAPER_A4",
    "PREDIKAT_FILL",
    "SHEET_ROWS",
    "TEXT_AS_TEXT",
    "PeopleWorkbook",
    "about_rows",
    "column_names",
    "excel_writer",
    "new_workbook",
    "people_workbook",
    "print_setup",
    "read_back",
]

TEXT_AS_TEXT: dict[str, bool] = {
    "strings_to_formulas": False,  # "=…" is text, never a formula (formula injection)
    "strings_to_urls": False,  # "http://…" is text, never a link
    "strings_to_numbers": False,  # "007" is the text typed, not the number 7
}
"""xlsxwriter options under which a Python ``str`` is always written as a text cell."""


def excel_writer(path: str | os.PathLike[str], **options: Any) -> pd.ExcelWriter:
    """Return a pandas ``ExcelWriter`` (xlsxwriter) that writes every ``str`` as text.

    Parameters
    ----------
    path : str or path
        The ``.xlsx`` file to write (callers stage it, see :mod:`asn_eval.atomic`).
    **options
        Further xlsxwriter workbook options (e.g. ``constant_memory``); the text options of
        :data:`TEXT_AS_TEXT` cannot be overridden.

    Returns
    -------
    pandas.ExcelWriter
        Use as a context manager; ``writer.book`` is the xlsxwriter workbook.
    """
    import pandas as pd

    return pd.ExcelWriter(
        Path(path), engine="xlsxwriter", engine_kwargs={"options": {**options, **TEXT_AS_TEXT}}
    )


def new_workbook(path: str | os.PathLike[str], **options: Any) -> xlsxwriter.Workbook:
    """Return an xlsxwriter ``Workbook`` that writes every ``str`` as text.

    Parameters
    ----------
    path : str or path
        The ``.xlsx`` file to write.
    **options
        Further xlsxwriter workbook options; the options of :data:`TEXT_AS_TEXT` always apply.

    Returns
    -------
    xlsxwriter.Workbook
        Use as a context manager.
    """
    import xlsxwriter

    return xlsxwriter.Workbook(str(Path(path)), {**options, **TEXT_AS_TEXT})


# -- workbooks for people -------------------------------------------------------------------------
PAPER_A4 = 9
"""Excel's paper size code for A4."""

COLUMNS_SHEET = "kolom"
"""The sheet that maps each header to its column name and meaning."""

ABOUT_SHEET = "tentang"
"""The sheet that says how the workbook was made."""

PREDIKAT_FILL = ("#E2F0D9", "#C6E0B4", "#F4C95D", "#F4B183", "#E59866")
"""Fills from the best predikat to the worst: each darker in grey than the one before (luma 233,
211, 202, 192, 169 of 255), all light enough for black text when printed in black and white."""

_PREDIKAT_RANK = {
    "Istimewa": 0,
    "Sangat Baik": 0,
    "Baik": 1,
    "Cukup": 2,
    "Butuh Perbaikan": 2,
    "Kurang": 3,
    "Kurang/Misconduct": 3,
    "Sangat Kurang": 4,
    "Buruk": 4,
}

LEVEL_FILL = {"Di Atas Ekspektasi": PREDIKAT_FILL[0], "Di Bawah Ekspektasi": PREDIKAT_FILL[3]}
"""Fills of the levels; ``Sesuai Ekspektasi``, the expected level, stays white."""

_HEADER = {"bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "valign": "top", "border": 1}
_NUMBER_WIDTH = 14  # widest a numeric column gets (its header wraps)


def print_setup(
    sheet: Worksheet, title: str, *, last_row: int, last_col: int, freeze_cols: int = 0
) -> None:
    """Set a table sheet up to read on screen and to print.

    A4 landscape, one page wide (as many pages tall as it takes), the header row repeated on
    every printed page, the title and the sheet's name at the top, ``Halaman x dari y`` at the
    bottom, gridlines printed; on screen the header row (and ``freeze_cols`` columns) frozen and
    an autofilter over the table.

    Parameters
    ----------
    sheet : xlsxwriter Worksheet
        The sheet, its header in row 0.
    title : str
        The document's title for the page header (an ``&`` is written as itself).
    last_row, last_col : int
        Zero-based index of the table's last row (0 when it has only its header) and column.
    freeze_cols : int, default 0
        Columns kept in view when scrolling right (e.g. NIP and name).
    """
    sheet.set_landscape()
    sheet.set_paper(PAPER_A4)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)
    heading = title.replace("&", "&&")[:200]
    sheet.set_header(f"&L{heading}&R&A", {"margin": 0.3})
    sheet.set_footer("&CHalaman &P dari &N", {"margin": 0.3})
    sheet.hide_gridlines(0)  # printed as well as shown: a printed table keeps its lines
    sheet.freeze_panes(1, freeze_cols)
    sheet.autofilter(0, 0, last_row, last_col)


class _Scheme(Protocol):
    nama: str
    judul: str

    @property
    def key(self) -> str: ...


def about_rows(
    *,
    data: str | os.PathLike[str] | None = None,
    periode: object = None,
    skema: _Scheme | None = None,
    profil: CityProfile | None = None,
    made: datetime | None = None,
    more: Sequence[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """Return the lines of a ``tentang`` sheet: what was read, under which rules, when, by what.

    Parameters
    ----------
    data : path, optional
        The data folder (or workbook) read: only its name is written, never where it lies.
    periode : optional
        The period evaluated.
    skema : Scheme, optional
        The scheme: its name, title and version (name and content digest, ``nama@1a2b3c4d``).
    profil : CityProfile, optional
        The city's profile: its government and agency, and the time zone of the time written
        (WIB without one).
    made : datetime, optional
        When the workbook was made (now when omitted; naive means UTC).
    more : sequence of (str, str)
        Further lines, after the scheme's.

    Returns
    -------
    list of (str, str)
        ``(keterangan, isi)`` pairs, all text.
    """
    rows: list[tuple[str, str]] = []
    if profil is not None:
        rows += [("Pemerintah", profil.pemerintah), ("Penyelenggara", profil.penyelenggara)]
    else:
        rows.append(("Profil kota", "belum ada (tidak ada profil.toml di folder data)"))
    if data is not None:
        rows.append(("Data", Path(data).name))
    if periode is not None:
        rows.append(("Periode", str(periode)))
    if skema is not None:
        rows += [("Skema", f"{skema.nama}: {skema.judul}"), ("Versi skema", skema.key)]
    rows += list(more)
    zona = profil.zona_waktu if profil is not None else "WIB"
    rows.append(("Dibuat", timestamp(made or datetime.now(UTC), zona)))
    rows.append(("Dibuat dengan", f"asn-eval {__version__}"))
    return rows


def _predikat_fills(values: pd.Series) -> dict[str, str]:
    """Return the fills of a predikat column: known labels by rank, a scheme's own by order."""
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        labels = [str(c) for c in values.cat.categories]  # worst first, as scoring orders them
        if labels and not set(labels) <= set(_PREDIKAT_RANK):
            last = max(len(labels) - 1, 1)
            steps = len(PREDIKAT_FILL) - 1
            return {
                label: PREDIKAT_FILL[round((len(labels) - 1 - i) * steps / last)]
                for i, label in enumerate(labels)
            }
    return {label: PREDIKAT_FILL[rank] for label, rank in _PREDIKAT_RANK.items()}


def _cells(values: pd.Series, spec: Column, zona: str) -> list[object]:
    """Return one column's values as cells: str, float, datetime or None (left blank)."""
    import numpy as np
    import pandas as pd

    kind = spec.spec
    missing = values.isna().to_numpy()
    if kind.role == "flag":
        return [
            None if m else ("Ya" if bool(v) else "Tidak")
            for v, m in zip(values, missing, strict=True)
        ]
    if kind.role == "time":
        moments = pd.to_datetime(values, utc=True, errors="coerce")
        local = moments.dt.tz_convert(zone(zona)).dt.tz_localize(None)
        return [None if pd.isna(t) else t.to_pydatetime() for t in local]
    if kind.num_format == "@":
        texts = values.astype(object)
        return [None if m or str(v) == "" else str(v) for v, m in zip(texts, missing, strict=True)]
    numbers = pd.to_numeric(values.astype(object), errors="coerce").astype("float64").to_numpy()
    cells: list[object] = []
    for value, number, m in zip(values.astype(object), numbers, missing, strict=True):
        if m:
            cells.append(None)
        elif np.isnan(number):  # not a number after all: shown as written, never lost
            cells.append(str(value))
        elif math.isinf(number):
            cells.append(None)
        else:
            cells.append(float(number) / kind.divisor)
    return cells


def _width(cells: list[object], spec: Column) -> int:
    """Return a column's width: its kind's, fitted to its values and its header.

    A number column or a wrapping one is as wide as its header's longest word needs (the header
    wraps at its words); a short text column keeps a short header (up to 12 letters) on one line.
    """
    kind = spec.spec
    word = max((len(w) for w in spec.header.split()), default=4) + 2
    if kind.num_format != "@":
        return min(max(kind.width, word), _NUMBER_WIDTH)
    longest = max((len(c) for c in cells[:2000] if isinstance(c, str)), default=0) + 2
    if kind.wrap:  # as wide as the values need, up to the kind's width; then they wrap
        return max(min(longest, kind.width), word, 6)
    short = min(len(spec.header), 12) + 2
    return max(min(max(longest, word, short), kind.width), 6)


class PeopleWorkbook:
    """A workbook evaluators read and print; made by :func:`people_workbook`.

    Parameters
    ----------
    book : xlsxwriter.Workbook
        A workbook from :func:`new_workbook`.
    title : str
        The document's title, printed at the top of every page.
    zona : {"WIB", "WITA", "WIT"}
        The zone times are written in.
    labels : sequence of str
        The scheme's predikat labels (for columns named after them).
    extra : mapping of str to Column, optional
        Columns the caller declares itself (see :func:`asn_eval.columns.column`).
    """

    def __init__(
        self,
        book: xlsxwriter.Workbook,
        title: str,
        *,
        zona: str = "WIB",
        labels: Sequence[str] = (),
        extra: Mapping[str, Column] | None = None,
    ) -> None:
        self.book = book
        self.title = title
        self.zona = zona
        self.labels = list(labels)
        self.extra = dict(extra or {})
        self.shown: list[tuple[str, list[Column], list[Column]]] = []
        self._formats: dict[tuple[str, bool], Any] = {}
        self._header = book.add_format(_HEADER)

    def _format(self, spec: Column) -> Any:
        kind = spec.spec
        key = (kind.num_format, kind.wrap)
        if key not in self._formats:
            options: dict[str, Any] = {"num_format": kind.num_format, "valign": "top"}
            if kind.wrap:
                options["text_wrap"] = True
            self._formats[key] = self.book.add_format(options)
        return self._formats[key]

    def table(
        self,
        name: str,
        frame: pd.DataFrame,
        *,
        freeze_cols: int = 0,
        detail: Collection[str] = (),
    ) -> list[Column]:
        """Write a table on a sheet of its own, for people.

        Parameters
        ----------
        name : str
            The sheet's name (at most 31 characters).
        frame : DataFrame
            The table, with the package's column names.
        freeze_cols : int, default 0
            Leading columns kept in view when scrolling right.
        detail : collection of str, optional
            Columns grouped and folded away (Excel's outline: the ``+`` above the sheet opens
            them), so the printed page holds the columns a reader needs and stays legible.

        Returns
        -------
        list of Column
            The columns shown, in order. A column empty for every row is left out (and named
            on the ``kolom`` sheet); a table without rows keeps every header.
            Past :data:`SHEET_ROWS` rows (Excel's limit, beyond which cells would be lost
            without a word) the table continues on sheets ``name (2)``, ``name (3)``, …
        """
        if len(frame) > SHEET_ROWS:
            kept: list[Column] = []
            for k, start in enumerate(range(0, len(frame), SHEET_ROWS)):
                label = name if k == 0 else f"{name[:25]} ({k + 1})"
                part = frame.iloc[start : start + SHEET_ROWS]
                kept = self.table(label, part, freeze_cols=freeze_cols, detail=detail)
            return kept
        series = [frame.iloc[:, i] for i in range(frame.shape[1])]
        specs = [
            column(str(s.name), name, labels=self.labels, extra=self.extra, dtype=s.dtype)
            for s in series
        ]
        columns = [_cells(s, spec, self.zona) for s, spec in zip(series, specs, strict=True)]
        shown = [
            i
            for i, cells in enumerate(columns)
            if not len(frame) or any(c is not None for c in cells)
        ]
        dropped = [specs[i] for i in range(len(specs)) if i not in shown]
        sheet = self.book.add_worksheet(name)
        for position, i in enumerate(shown):
            spec, cells = specs[i], columns[i]
            cell_format = self._format(spec)
            width = _width(cells, spec)
            folded = {"level": 1, "hidden": True} if spec.name in detail else {}
            if not folded and position and specs[shown[position - 1]].name in detail:
                folded = {"collapsed": True}  # the "+" that opens the folded group before it
            sheet.set_column(position, position, width, cell_format, folded)
            sheet.write_string(0, position, spec.header, self._header)
            for row, value in enumerate(cells, start=1):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(row, position, value, cell_format)
                elif isinstance(value, datetime):
                    sheet.write_datetime(row, position, value, cell_format)
                else:
                    sheet.write_number(row, position, value, cell_format)
            self._colour(sheet, position, len(frame), spec, series[i])
        print_setup(
            sheet,
            self.title,
            last_row=len(frame),
            last_col=max(len(shown) - 1, 0),
            freeze_cols=min(freeze_cols, len(shown)),
        )
        kept = [specs[i] for i in shown]
        self.shown.append((name, kept, dropped))
        return kept

    def _colour(self, sheet: Worksheet, col: int, rows: int, spec: Column, values: Any) -> None:
        """Conditional fills on a level or predikat column (and on no other)."""
        role = spec.spec.role
        if role not in ("level", "predikat") or not rows:
            return
        fills = LEVEL_FILL if role == "level" else _predikat_fills(values)
        for label, colour in fills.items():
            quoted = label.replace('"', '""')
            sheet.conditional_format(
                1,
                col,
                rows,
                col,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{quoted}"',
                    "format": self.book.add_format({"bg_color": colour}),
                },
            )

    def columns_sheet(self) -> None:
        """Write the ``kolom`` sheet: each header of each table, its column name, its meaning."""
        import pandas as pd

        rows = []
        for sheet, kept, dropped in self.shown:
            if sheet == ABOUT_SHEET:
                continue
            for spec in kept:
                rows.append((sheet, spec.header, spec.name, spec.meaning, spec.spec.said))
            for spec in dropped:
                said = "tidak ditampilkan: kosong di semua baris"
                rows.append((sheet, spec.header, spec.name, spec.meaning, said))
        names = ["lembar", "judul", "kolom", "arti", "format"]
        self.table(COLUMNS_SHEET, pd.DataFrame(rows, columns=names, dtype=object))

    def about(self, rows: Sequence[tuple[str, str]]) -> None:
        """Write the ``tentang`` sheet (lines from :func:`about_rows`)."""
        import pandas as pd

        self.table(ABOUT_SHEET, pd.DataFrame(list(rows), columns=["keterangan", "isi"]))


@contextmanager
def people_workbook(
    path: str | os.PathLike[str],
    title: str,
    *,
    about: Sequence[tuple[str, str]] | None = None,
    zona: str = "WIB",
    labels: Sequence[str] = (),
    extra: Mapping[str, Column] | None = None,
) -> Iterator[PeopleWorkbook]:
    """Open a workbook for people: write its tables, and it ends with ``kolom`` and ``tentang``.

    Parameters
    ----------
    path : str or path
        The ``.xlsx`` to write (callers stage it, see :mod:`asn_eval.atomic`).
    title : str
        The document's title, printed at the top of every page.
    about : sequence of (str, str), optional
        The ``tentang`` sheet's lines (:func:`about_rows`); no such sheet when omitted.
    zona, labels, extra
        See :class:`PeopleWorkbook`.

    Yields
    ------
    PeopleWorkbook
        Call :meth:`PeopleWorkbook.table` for each table.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with people_workbook(f"{folder}/x.xlsx", "Contoh", about=[("Data", "kota")]) as book:
    ...     [c.header for c in book.table("hasil", pd.DataFrame({"nip": ["1"], "capaian": [99.5]}))]
    ['NIP', 'Capaian rata-rata']
    >>> import shutil; shutil.rmtree(folder)
    """
    with new_workbook(path) as book:
        people = PeopleWorkbook(book, title, zona=zona, labels=labels, extra=extra)
        yield people
        people.columns_sheet()
        if about is not None:
            people.about(about)


def column_names(path: str | os.PathLike[str]) -> dict[str, dict[str, str]]:
    """Read a people's workbook's ``kolom`` sheet: per sheet, each header's column name.

    Parameters
    ----------
    path : str or path
        A workbook written by :func:`people_workbook`.

    Returns
    -------
    dict
        ``{sheet: {header: column name}}`` for the columns shown; rename a sheet read with pandas
        by it to get the package's names back (``frame.rename(columns=names["hasil"])``).
    """
    import pandas as pd

    mapping = pd.read_excel(path, sheet_name=COLUMNS_SHEET, engine="calamine", dtype=str)
    names: dict[str, dict[str, str]] = {}
    shown = ~mapping["Format"].fillna("").str.startswith("tidak ditampilkan")
    for sheet, header, name in mapping.loc[
        shown, ["Lembar", "Judul kolom", "Nama kolom di data"]
    ].itertuples(index=False):
        names.setdefault(sheet, {})[header] = name
    return names


def read_back(path: str | os.PathLike[str], *, dtype: Any = None) -> dict[str, pd.DataFrame]:
    """Read every table sheet of a people's workbook under the package's column names.

    Parameters
    ----------
    path : str or path
        A workbook written by :func:`people_workbook`.
    dtype : optional
        Passed to :func:`pandas.read_excel` (``str`` keeps every cell as its text).

    Returns
    -------
    dict of str to DataFrame
        Every sheet but ``kolom``, its headers renamed by :func:`column_names`. Values are the
        cells': percents as fractions, ``Ya``/``Tidak`` for yes/no columns, times in the city's
        zone; the ``.parquet`` files keep the tables as computed.
    """
    import pandas as pd

    names = column_names(path)
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine", dtype=dtype)
    return {
        name: frame.rename(columns=names.get(name, {}))
        for name, frame in sheets.items()
        if name != COLUMNS_SHEET
    }


# -- large plain tables: sheet XML written column by column --------------------------------------
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_NS = "http://schemas.openxmlformats.org/package/2006"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ESCAPED = re.compile(r"(_x[0-9a-fA-F]{4}_)")  # read back as a character: guard the underscore
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")
SHEET_ROWS = 1_048_575  # rows a worksheet holds under its header (Excel: 1,048,576 in all)

_TEXT_MAX = 32_767  # characters a cell holds (xlsxwriter cuts longer text there too)
_ROWS_PER_PIECE = 100_000
_EXCEL_EPOCH = "1899-12-30"  # day 0 of Excel's 1900 date system, for dates after February 1900


def _xml_text(value: str) -> str:
    """One cell's text as the ``<t>`` element of an inline string, as xlsxwriter writes it."""
    value = value[:_TEXT_MAX]
    value = _ESCAPED.sub(r"_x005F\1", value)
    value = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", value)
    value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if _EDGE_SPACE.search(value) else ""
    return f"<t{space}>{value}</t>"


def _cell_tails(uniques: Any, kind: str) -> list[str]:
    """Write the end of a cell element (after ``<c r="A2``) for each distinct value."""
    import pandas as pd

    if kind == "text":
        return [f'" t="inlineStr"><is>{_xml_text(str(v))}</is></c>' for v in uniques]
    if kind == "date":
        days = (pd.DatetimeIndex(uniques) - pd.Timestamp(_EXCEL_EPOCH)) / pd.Timedelta(days=1)
        return [f'" s="2"><v>{d!r}</v></c>' for d in days.tolist()]
    if kind == "bool":
        return [f'" t="b"><v>{int(bool(v))}</v></c>' for v in uniques]
    values = uniques.tolist()
    return [f'"><v>{v!r}</v></c>' if math.isfinite(v) else "" for v in values]


def _column_kind(values: Any) -> str:
    import pandas as pd

    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_numeric_dtype(dtype):
        return "number"
    return "text"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_rows(columns: Sequence[Any], first_row: int) -> Iterator[str]:
    """Yield a sheet's data rows as XML, a piece of rows at a time.

    Every column is factorised once: escaping and number writing run per distinct value, and
    each cell is the column's reference, its row number and its value's tail (no cell for a
    missing value).
    """
    import numpy as np
    import pandas as pd

    encoded = []
    for index, values in enumerate(columns):
        is_object = isinstance(values, np.ndarray) and values.dtype == object
        series = pd.Series(values, dtype=object if is_object else None, copy=False)
        kind = "text" if is_object else _column_kind(series)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        tails = np.array([*_cell_tails(uniques, kind), ""], dtype=object)
        written = np.array([tail != "" for tail in tails], dtype=bool)
        encoded.append((f'<c r="{_column_letter(index)}', codes, tails, written))
    n = len(encoded[0][1]) if encoded else 0
    for start in range(0, n, _ROWS_PER_PIECE):
        stop = min(n, start + _ROWS_PER_PIECE)
        numbers = np.arange(first_row + start, first_row + stop).astype(str).astype(object)
        # One row is: <row r="N">, per column (<c r="X, N, tail) or three empty texts, </row>.
        pieces = np.empty((stop - start, 3 * len(encoded) + 4), dtype=object)
        pieces[:, 0] = '<row r="'
        pieces[:, 1] = numbers
        pieces[:, 2] = '">'
        pieces[:, -1] = "</row>"
        for i, (reference, codes, tails, written) in enumerate(encoded):
            piece = codes[start:stop]  # code -1 (missing) picks the last, empty tail
            present = written[piece]
            pieces[:, 3 + 3 * i] = np.where(present, reference, "")
            pieces[:, 4 + 3 * i] = np.where(present, numbers, "")
            pieces[:, 5 + 3 * i] = tails[piece]
        yield "".join(pieces.ravel().tolist())


def _sheet_head(headers: Sequence[str], widths: Sequence[float], n: int, first: bool) -> str:
    last = f"{_column_letter(max(len(headers), 1) - 1)}{n + 1}"
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{w + 0.7109375}" customWidth="1"/>'
        for i, w in enumerate(widths)
    )
    header = "".join(
        f'<c r="{_column_letter(i)}1" s="1" t="inlineStr"><is>{_xml_text(str(h))}</is></c>'
        for i, h in enumerate(headers)
    )
    selected = ' tabSelected="1"' if first else ""
    return (
        f'{_XML}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><dimension ref="A1:{last}"/>'
        f'<sheetViews><sheetView{selected} workbookViewId="0"><pane ySplit="1" topLeftCell="A2"'
        ' activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>'
        f'</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        f'<row r="1">{header}</row>'
    )


def _package_parts(names: Sequence[str], date_format: str) -> dict[str, str]:
    from xml.sax.saxutils import quoteattr

    sheets = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{i + 1}" r:id="rId{i + 1}"/>'
        for i, name in enumerate(names)
    )
    relations = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{_REL_NS}/worksheet"'
        f' Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(names))
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(len(names))
    )
    font = '<sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/>'
    return {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="{_PKG_NS}/content-types"><Default Extension="rels"'
            ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>'
        ),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_PKG_NS}/relationships"><Relationship Id="rId1"'
            f' Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{_XML}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><bookViews><workbookView/>'
            f"</bookViews><sheets>{sheets}</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{_PKG_NS}/relationships">{relations}'
            f'<Relationship Id="rId{len(names) + 1}" Type="{_REL_NS}/styles"'
            ' Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'{_XML}<styleSheet xmlns="{_MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164"'
            f' formatCode={quoteattr(date_format)}/></numFmts><fonts count="2"><font>{font}'
            f'</font><font><b/>{font}</font></fonts><fills count="2"><fill><patternFill'
            ' patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
            '</fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
            '</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0"'
            ' borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0"'
            ' fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0"'
            ' borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0"'
            ' borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1">'
            '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
        ),
    }


def table_workbook(
    path: str | os.PathLike[str],
    sheets: Mapping[str, tuple[Sequence[str], Sequence[Any]]],
    *,
    date_format: str = "dd/mm/yyyy",
) -> None:
    """Write plain tables as one workbook, a sheet per table, fast enough for a city's data.

    For the large data workbooks (the sample city: millions of cells) xlsxwriter's cost per cell
    is too high; here each sheet's XML is written column by column from the distinct values. The
    guarantees are the module's: a text is an inline string cell (no ``<f>`` element is ever
    written, so nothing becomes a formula or a link), escaped as xlsxwriter escapes it
    (``_xHHHH_`` for control characters, the same 32,767-character cut), numbers are numbers.

    Parameters
    ----------
    path : str or path
        The ``.xlsx`` file to write (callers stage it, see :mod:`asn_eval.atomic`).
    sheets : mapping
        Sheet name to ``(headers, columns)``: the header texts (bold, the row frozen) and one
        array or Series per column, all of one length. A column's dtype decides its cells:
        numbers (NaN: no cell), booleans, ``datetime64`` (a date cell in ``date_format``; NaT: no
        cell), anything else text (``None``/NaN: no cell).
    date_format : str, default "dd/mm/yyyy"
        Excel number format of the date cells.
    """
    import zipfile

    with zipfile.ZipFile(Path(path), "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in _package_parts(list(sheets), date_format).items():
            archive.writestr(name, text)
        for i, (headers, columns) in enumerate(sheets.values()):
            n = len(columns[0]) if len(columns) else 0
            widths = [max(10, min(40, len(str(h)) + 4)) for h in headers]
            part = f"xl/worksheets/sheet{i + 1}.xml"
            with (
                archive.open(part, "w", force_zip64=True) as handle,
                ThreadPoolExecutor(1) as packer,
            ):
                handle.write(_sheet_head(headers, widths, n, i == 0).encode("utf-8"))
                # zlib works without the GIL: a piece is packed while the next one is written
                packing = None
                for piece in _sheet_rows(columns, 2):
                    data = piece.encode("utf-8")
                    if packing is not None:
                        packing.result()
                    packing = packer.submit(handle.write, data)
                if packing is not None:
                    packing.result()
                handle.write(
                    b'</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75"'
                    b' header="0.3" footer="0.3"/></worksheet>'
                )
