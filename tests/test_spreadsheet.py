"""Text from data stays text in every workbook the package writes (issue 12, formula injection).

A dataset whose every free-text field is hostile (``tests/hostile_data.py``) goes through every
command that writes a workbook: ``score`` (``hasil.xlsx``), ``analyze`` (``analisis.xlsx``),
``validate --simpan`` (``masalah.xlsx``, problems quoting the hostile cells), the decisions export
(``DecisionStore.export_xlsx``) and the sample workbook writer (the slow test runs ``sample-data``
itself). Each workbook is opened with openpyxl: no cell is a formula, no cell is a link, no
external link. The texts are then read with python-calamine, which decodes Excel's ``_xHHHH_``
escapes as Excel does (openpyxl 3.1 leaves ``_x000D_`` for a carriage return in place and
removes the ``_x005F_`` guard of shared strings only), and must be what the dataset holds.

A static test makes sure no module opens a workbook for writing except through
:mod:`asn_eval.spreadsheet`.
"""

from __future__ import annotations

import ast
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import NIP_A, NIP_B, NIP_C
from hostile_data import FREE_TEXT, HOSTILE, hostile_tables, write_quoted
from python_calamine import CalamineWorkbook

from asn_eval.cli import main
from asn_eval.input.dataset import Dataset, load
from asn_eval.sample.workbook import write_workbook
from asn_eval.spreadsheet import COLUMNS_SHEET, column_names, excel_writer, new_workbook

PACKAGE = Path(__file__).resolve().parents[1] / "asn_eval"
PERIODE = "2025-TW1"


# -- reading a workbook back ----------------------------------------------------------------------
def _live_parts(path: Path) -> list[str]:
    """Formulas, links and external links of a workbook, as openpyxl and its XML show them."""
    found = []
    book = openpyxl.load_workbook(path)
    if book._external_links:
        found.append(f"{len(book._external_links)} tautan eksternal")
    for sheet in book.worksheets:
        if sheet._hyperlinks:
            found.append(f"{sheet.title}: {len(sheet._hyperlinks)} tautan")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"{sheet.title}!{cell.coordinate}: rumus {cell.value!r}")
                if cell.hyperlink is not None:
                    found.append(f"{sheet.title}!{cell.coordinate}: tautan {cell.hyperlink.target}")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if "externalLink" in name or name.endswith("connections.xml"):
                found.append(f"bagian {name}")
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                if re.search(r"<f[ >]|<hyperlink[ s>]", xml):
                    found.append(f"{name}: <f> atau <hyperlink>")
    return found


def _sheets(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet as text, header row as columns (python-calamine: Excel's own decoding).

    A workbook for people has Indonesian headers: its ``kolom`` sheet names each header's
    column, and the frames use those names.
    """
    book = CalamineWorkbook.from_path(str(path))
    names = column_names(path) if COLUMNS_SHEET in book.sheet_names else {}
    sheets = {}
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        header = [str(h) for h in rows[0]] if rows else []
        header = [names.get(name, {}).get(h, h) for h in header]
        sheets[name] = pd.DataFrame(rows[1:], columns=header, dtype=object)
    return sheets


def _texts(column: pd.Series) -> list[str]:
    return [v for v in column if isinstance(v, str) and v != ""]


# -- the workbooks ---------------------------------------------------------------------------------
# Invalid cells for `validate --simpan`: each problem quotes the cell as it was typed.
REFUSED = {
    ("pegawai", "golongan"): [HOSTILE[0], HOSTILE[1], HOSTILE[4], "IV/b"],
    ("skp", "target"): ["=1+1", "+1+1", "-1+1x"],
    ("pegawai", "nip_atasan"): ["", HOSTILE[0], "@SUM(1)", ""],
}
REASONS = [
    (NIP_C, HOSTILE[0], HOSTILE[9]),
    (NIP_B, "=cmd|' /C calc'!A0 rapat forum", "+1+1 Tim Penilai"),
    (NIP_A, "@SUM(1) cr\rdi tengah", "$\\undefinedcmd{x}$ Ketua"),
]
"""Decisions recorded with hostile reasons and names: (nip, alasan, oleh)."""


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The module's folder, with its own cache (the autouse cache fixture is per test)."""
    folder = tmp_path_factory.mktemp("lembar")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASN_EVAL_CACHE", str(folder / "cache"))
        yield folder


@pytest.fixture(scope="module")
def hostile(work: Path) -> Dataset:
    """The hostile dataset as the loader reads it (what every workbook must show)."""
    return load(write_quoted(hostile_tables(), work / "data"), cache=False)


@pytest.fixture(scope="module")
def decided(work: Path, hostile: Dataset) -> tuple[Path, pd.DataFrame]:
    """The decisions export of a store holding :data:`REASONS`, and the store's history."""
    from asn_eval.decisions import DecisionStore

    with DecisionStore(work / "keputusan" / "keputusan.sqlite", pegawai=hostile) as store:
        for nip, alasan, oleh in REASONS:
            store.record(
                nip=nip,
                periode=PERIODE,
                skema="permenpan-6-2022",
                kode_opd="DINKES" if nip == NIP_A else "PKM1",
                sebelum="Baik",
                sesudah="Sangat Baik",
                alasan=alasan,
                oleh=oleh,
            )
        history = store.history()
        path = store.export_xlsx(work / "keputusan" / "keputusan.xlsx")
    return path, history


@pytest.fixture(scope="module")
def workbooks(work: Path, hostile: Dataset) -> dict[str, Path]:
    """Every workbook the package writes, from the hostile dataset."""
    data = hostile.source
    out = work / "keluaran"
    assert main(["score", str(data), "--periode", PERIODE, "--out", str(out / "hasil")]) == 0
    assert main(["analyze", str(data), "--periode", PERIODE, "--out", str(out / "analisis")]) == 0
    broken = hostile_tables()
    for (table, column), values in REFUSED.items():
        broken[table][column] = values
    bad = write_quoted(broken, work / "salah")
    masalah = out / "masalah.xlsx"
    assert main(["validate", str(bad), "--tanpa-cache", "--simpan", str(masalah)]) == 2
    sample = out / "sampel.xlsx"
    write_workbook(sample, hostile.tables, seed=1)
    return {
        "hasil": out / "hasil" / "hasil.xlsx",
        "analisis": out / "analisis" / "analisis.xlsx",
        "masalah": masalah,
        "sampel": sample,
    }


NAMES = ["hasil", "analisis", "masalah", "keputusan", "sampel"]


@pytest.mark.parametrize("name", NAMES)
def test_no_cell_of_a_workbook_is_a_formula_or_a_link(
    request: pytest.FixtureRequest, name: str
) -> None:
    if name == "keputusan":  # its own fixture: the decisions store is not the data's commands
        path = request.getfixturevalue("decided")[0]
    else:
        path = request.getfixturevalue("workbooks")[name]
    assert _live_parts(path) == []


def _column(hostile: Dataset, table: str, column: str) -> set[str]:
    return set(hostile.tables[table][column].dropna().astype("str"))


def test_results_workbook_shows_every_text_as_typed(
    workbooks: dict[str, Path], hostile: Dataset
) -> None:
    sheets = _sheets(workbooks["hasil"])
    pegawai = hostile.pegawai.astype({"nip": "str"}).set_index("nip")
    shown = sheets["hasil"].set_index("nip")
    assert sorted(shown.index) == sorted(pegawai.index)
    for column in ("nama", "unit_kerja", "jabatan"):
        assert shown[column].to_dict() == pegawai[column].astype("str").to_dict(), column
    assert set(_texts(sheets["ikm"]["unit_layanan"])) == _column(hostile, "survei", "unit_layanan")
    # The dataset is hostile where it matters: text Excel would take for a formula, a control
    # character inside a text, mathtext and markup.
    people = {v for c in ("nama", "unit_kerja", "jabatan") for v in _texts(sheets["hasil"][c])}
    assert {"-1+1", "@SUM(1)", "cr\rdi tengah", "tab\tdi tengah", "<b>x</b>"} <= people


def test_analysis_workbook_copies_data_text_verbatim(
    workbooks: dict[str, Path], hostile: Dataset
) -> None:
    sheets = _sheets(workbooks["analisis"])
    names = _column(hostile, "pegawai", "nama")
    copied = {
        ("ikm_pelayanan", "unit_layanan"): _column(hostile, "survei", "unit_layanan"),
        ("umpan_balik", "umpan_balik"): _column(hostile, "skp", "umpan_balik")
        | _column(hostile, "perilaku", "umpan_balik"),
        **{
            (sheet, "nama"): names
            for sheet in ("bertentangan", "pelatihan", "penghargaan", "sembilan_kotak")
        },
        ("penghargaan", "jabatan"): _column(hostile, "pegawai", "jabatan"),
    }
    seen: set[str] = set()
    for (sheet, column), typed in copied.items():
        if sheet in sheets and column in sheets[sheet]:
            values = set(_texts(sheets[sheet][column]))
            assert values <= typed, (sheet, column, values - typed)
            seen |= values
    assert {"_x0041_", "cr\rdi tengah", HOSTILE[0]} & seen, seen
    # A finding that names a service unit names it as typed.
    units = _column(hostile, "survei", "unit_layanan")
    sentences = " ".join(_texts(sheets["temuan"]["temuan"]))
    assert any(unit in sentences for unit in units), sentences


def test_problems_workbook_quotes_refused_cells_as_typed(workbooks: dict[str, Path]) -> None:
    problems = _sheets(workbooks["masalah"])["masalah"]
    quoted = set(_texts(problems["nilai"]))
    refused = {v for values in REFUSED.values() for v in values if v not in ("", "IV/b")}
    assert refused <= quoted, refused - quoted
    assert {HOSTILE[0], HOSTILE[1], "@SUM(1)", "=1+1", "+1+1"} <= quoted


def test_decisions_workbook_shows_reasons_and_names_as_recorded(
    decided: tuple[Path, pd.DataFrame],
) -> None:
    path, history = decided
    sheets = _sheets(path)
    for sheet in ("berlaku", "riwayat"):
        shown = sheets[sheet]
        assert set(_texts(shown["alasan"])) == set(history["alasan"]), sheet
        assert set(_texts(shown["oleh"])) == set(history["oleh"]), sheet
    assert {HOSTILE[0], "=cmd|' /C calc'!A0 rapat forum"} <= set(history["alasan"])


def test_sample_workbook_writer_shows_every_text_as_typed(
    workbooks: dict[str, Path], hostile: Dataset
) -> None:
    sheets = _sheets(workbooks["sampel"])
    for table, column in FREE_TEXT:
        frame = hostile.tables[table]
        position = list(frame.columns).index(column)
        typed = [None if pd.isna(v) else str(v) for v in frame[column]]
        shown = [None if v == "" else v for v in sheets[table].iloc[:, position]]
        assert shown == typed, (table, column)


# -- the writers themselves, with what no loader keeps (leading tab and carriage return) ---------
def test_every_writer_keeps_any_text_exactly_as_given(tmp_path: Path) -> None:
    typed = list(HOSTILE)
    frame = pd.DataFrame({text: [text, f"{text}!"] for text in typed})
    with excel_writer(tmp_path / "pandas.xlsx") as writer:
        frame.to_excel(writer, sheet_name="teks", index=False)
    for options in ({}, {"constant_memory": True}):  # shared and in-line strings
        path = tmp_path / f"langsung{len(options)}.xlsx"
        with new_workbook(path, **options) as book:
            sheet = book.add_worksheet("teks")
            sheet.write_row(0, 0, typed)
            sheet.write_row(1, 0, typed)
            sheet.write_row(2, 0, [f"{t}!" for t in typed])
    for path in tmp_path.glob("*.xlsx"):
        assert _live_parts(path) == [], path.name
        shown = _sheets(path)["teks"]
        assert list(shown.columns) == typed, path.name
        assert shown.iloc[0].tolist() == typed, path.name
        assert shown.iloc[1].tolist() == [f"{t}!" for t in typed], path.name


# -- the one door ---------------------------------------------------------------------------------
WRITERS = {"ExcelWriter", "Workbook"}  # pandas, xlsxwriter and openpyxl constructors


def _writer_names(function: ast.AST) -> set[str]:
    """Names that hold a writer from asn_eval.spreadsheet in this function.

    ``with excel_writer(...) as NAME`` and parameters annotated ``pd.ExcelWriter`` (their
    callers pass a writer, which, by the test below, only :mod:`asn_eval.spreadsheet` makes).
    """
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                call = item.context_expr
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in {"excel_writer", "new_workbook"}
                    and isinstance(item.optional_vars, ast.Name)
                ):
                    names.add(item.optional_vars.id)
    arguments = getattr(function, "args", None)
    if arguments is not None:
        for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            if argument.annotation is not None and "ExcelWriter" in ast.unparse(
                argument.annotation
            ):
                names.add(argument.arg)
    return names


def _unsafe_call(node: ast.Call, writers: set[str]) -> str | None:
    """Why this call may write a workbook that keeps formulas, or None."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in WRITERS:
        return f"{ast.unparse(func)}(…)"
    if name == "load_workbook" and not any(
        k.arg == "read_only" and getattr(k.value, "value", None) is True for k in node.keywords
    ):
        return "load_workbook tanpa read_only=True (bisa disimpan)"
    if name == "to_excel" and isinstance(func, ast.Attribute):
        first = node.args[0] if node.args else None
        if (
            not isinstance(first, ast.Name)
            or first.id not in writers
            or any(k.arg in {"excel_writer", "engine"} for k in node.keywords)
        ):
            return "to_excel tanpa penulis dari asn_eval.spreadsheet"
    return None


def _unsafe_writes(path: Path, root: Path = PACKAGE) -> list[str]:
    """Calls in a module that open a workbook for writing other than through the one door."""
    found: list[str] = []

    def visit(node: ast.AST, writers: set[str]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            writers = writers | _writer_names(node)
        if isinstance(node, ast.Call) and (why := _unsafe_call(node, writers)):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {why}")
        for child in ast.iter_child_nodes(node):
            visit(child, writers)

    visit(ast.parse(path.read_text(encoding="utf-8")), set())
    return found


MODULES = sorted(
    p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts and p.name != "spreadsheet.py"
)


def test_workbooks_are_opened_for_writing_only_through_the_spreadsheet_module() -> None:
    found = [line for path in MODULES for line in _unsafe_writes(path)]
    assert not found, found


def test_the_static_check_sees_the_ways_around_it(tmp_path: Path) -> None:
    bad = tmp_path / "contoh_salah.py"
    bad.write_text(
        "import pandas as pd\nimport xlsxwriter\nimport openpyxl\n"
        "def a(frame, path, writer):\n"
        "    frame.to_excel(path)\n"
        "    frame.to_excel(writer, engine='openpyxl')\n"
        "    with pd.ExcelWriter(path) as w:\n"
        "        frame.to_excel(w)\n"
        "    xlsxwriter.Workbook(path)\n"
        "    openpyxl.Workbook()\n"
        "    openpyxl.load_workbook(path)\n",
        encoding="utf-8",
    )
    found = _unsafe_writes(bad, tmp_path)
    assert len(found) == 7, found


# -- the sample-data command (a larger workbook: the full suite only) ---------------------------
@pytest.mark.slow
def test_sample_data_workbook_has_no_formula_or_link(tmp_path: Path) -> None:
    workbook = tmp_path / "sampel.xlsx"
    command = ["sample-data", "--out", str(tmp_path / "data"), "--pegawai", "100"]
    assert main([*command, "--xlsx", str(workbook)]) == 0
    assert _live_parts(workbook) == []
