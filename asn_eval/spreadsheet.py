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
from collections.abc import Collection, Iterator, Mapping, Sequence
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
        """
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
