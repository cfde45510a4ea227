"""File names made from data values: safe on every file system, never shared, originals shown.

The unit tests check :func:`asn_eval.filenames.file_stem` and :func:`file_stems` on the values a
file system cannot hold as they are; the end-to-end test runs ``asn-eval reports`` (real kernels)
on the field case of an agency code with a slash and a name with quotes, an apostrophe, an
ampersand and an en dash (``tests/field-cases/kode-opd-garis-miring``), plus agencies whose codes
collide with it, with the index page and with a Windows device name.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asn_eval.errors import UsageError
from asn_eval.filenames import MAX_STEM_BYTES, file_stem, file_stems

FIELD_CASE = Path(__file__).resolve().parent / "field-cases" / "kode-opd-garis-miring"
CODE = "DINSOS/P3A"
NAME = 'Dinas Sosial, P3A & PMD "Ma\'rang" – Kab. Pangkep'
HASHED = re.compile(r"-[0-9a-f]{8}$")
FORBIDDEN = set('/\\:*?"<>|') | {chr(c) for c in range(32)} | {"\x7f"}
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10))}
WINDOWS_DEVICES |= {f"LPT{i}" for i in range(1, 10)}


def _check(stem: str) -> None:
    """What every stem must be, whatever it was made from."""
    assert stem and stem not in {".", ".."} and not stem.startswith(".")
    assert not stem.endswith(".")
    assert not FORBIDDEN & set(stem), stem
    assert not any(c.isspace() for c in stem), stem
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert stem.split(".")[0].upper() not in WINDOWS_DEVICES


# -- the naming function --------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["DLH", "PKM-01", "BKPSDM", "2025-TW1", "ikhtisar-kota", "a.b"])
def test_a_safe_value_is_its_own_stem(value: str) -> None:
    assert file_stem(value) == value


@pytest.mark.parametrize("value", ["Σχολή", "Dinas_Ñandú", "ДИНКЕС", "区役所"])
def test_letters_of_any_script_stay(value: str) -> None:
    assert file_stem(value) == value


@pytest.mark.parametrize(
    ("value", "head"),
    [
        ("DINSOS/P3A", "DINSOS_P3A"),
        ("DINSOS\\P3A", "DINSOS_P3A"),
        ("A:B*C?D", "A_B_C_D"),
        ('say "hi" <x> | y', "say__hi___x____y"),
        ("tab\there\nnewline", "tab_here_newline"),
        ("nul\x00byte", "nul_byte"),
        ("../../etc/passwd", "_._.._etc_passwd"),
    ],
)
def test_unsafe_characters_become_underscores_and_a_hash_is_added(value: str, head: str) -> None:
    stem = file_stem(value)
    _check(stem)
    assert HASHED.search(stem), stem
    assert stem[:-9] == head


@pytest.mark.parametrize("value", [".", "..", "...", ".hidden", "trailing.", "", " "])
def test_dot_names_and_empty_values_are_never_a_folder_or_hidden(value: str) -> None:
    stem = file_stem(value)
    _check(stem)
    assert HASHED.search(stem)


@pytest.mark.parametrize("value", ["CON", "con", "Nul", "AUX", "PRN", "COM1", "lpt9", "NUL.txt"])
def test_windows_device_names_are_not_used(value: str) -> None:
    stem = file_stem(value)
    _check(stem)
    assert stem != value and HASHED.search(stem)


def test_values_a_cleaner_would_merge_get_different_stems() -> None:
    values = ["DINSOS/P3A", "DINSOS_P3A", "DINSOS\\P3A", "DINSOS:P3A", "DINSOS P3A", "DINSOS?P3A"]
    stems = [file_stem(v) for v in values]
    assert len(set(stems)) == len(values), stems
    assert file_stem("DINSOS_P3A") == "DINSOS_P3A"  # the safe one keeps its name
    assert file_stem("DINSOS/P3A").startswith("DINSOS_P3A-")


def test_the_stem_is_stable() -> None:
    # The same value gives the same stem in every run: --resume finds earlier reports by it.
    assert file_stem(CODE) == file_stem(CODE) == "DINSOS_P3A-dc18735d"


def test_very_long_values_are_bounded_and_stay_distinct() -> None:
    ascii_a, ascii_b = "A" * 300 + "1", "A" * 300 + "2"
    wide = "ü" * 200  # two bytes each in UTF-8
    four = "𝔸" * 100  # four bytes each
    stems = [file_stem(v) for v in (ascii_a, ascii_b, wide, four)]
    for stem in stems:
        _check(stem)
        assert HASHED.search(stem)
    assert len(set(stems)) == 4
    assert stems[2].startswith("ü" * 40)  # cut at a character, not inside one
    exactly = "B" * MAX_STEM_BYTES
    assert file_stem(exactly) == exactly


def test_unicode_is_compared_in_one_normal_form() -> None:
    composed, decomposed = "Kesehatan_é", "Kesehatan_e\u0301"
    assert file_stem(composed) == composed
    assert file_stem(decomposed).startswith(composed + "-")  # same look, told apart by the hash


def test_a_set_of_codes_gets_distinct_stems_even_where_case_is_ignored() -> None:
    stems = file_stems(["DLH", "dlh", "DINKES", CODE, "DINSOS_P3A"], reserved=["ikhtisar-kota"])
    assert stems["DINKES"] == "DINKES" and stems["DINSOS_P3A"] == "DINSOS_P3A"
    assert stems[CODE] == file_stem(CODE)
    assert stems["DLH"].startswith("DLH-") and stems["dlh"].startswith("dlh-")
    assert len({s.casefold() for s in stems.values()}) == 5


def test_a_code_that_takes_a_reserved_name_gets_another() -> None:
    stems = file_stems(["INDEX", "Ikhtisar-Kota", "DLH"], reserved=["index", "ikhtisar-kota"])
    assert stems["DLH"] == "DLH"
    assert stems["INDEX"].startswith("INDEX-")
    assert stems["Ikhtisar-Kota"].startswith("Ikhtisar-Kota-")


def test_a_code_spelled_like_another_codes_stem_gets_its_own() -> None:
    lookalike = file_stem(CODE)  # "DINSOS_P3A-dc18735d", a safe code of its own
    stems = file_stems([CODE, lookalike])
    assert stems[CODE] == lookalike and stems[lookalike].startswith(lookalike + "-")


def test_two_codes_that_still_share_a_stem_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import asn_eval.filenames

    monkeypatch.setattr(asn_eval.filenames, "_hash", lambda value: "00000000")
    with pytest.raises(UsageError, match="nama berkas yang sama: a/b, a:b"):
        file_stems(["a/b", "a:b", "DLH"])


def test_every_stem_is_a_file_directly_in_its_folder(tmp_path: Path) -> None:
    values = [CODE, "DINSOS_P3A", "..", ".", "", "CON", "a\\b", NAME, "x" * 400, "ü" * 300, "/"]
    stems = file_stems(values, reserved=["index"])
    for value, stem in stems.items():
        for suffix in (".html", ".slides.html", ".gagal.ipynb"):
            path = tmp_path / f"{stem}{suffix}"
            path.write_text(value, encoding="utf-8")
            assert path.resolve().parent == tmp_path.resolve()
    assert len(list(tmp_path.iterdir())) == 3 * len(values)


@given(st.text(max_size=300))
def test_any_text_gives_a_safe_stem(value: str) -> None:
    stem = file_stem(value)
    _check(stem)
    assert stem == value or HASHED.search(stem)


@given(st.text(max_size=40), st.text(max_size=40))
def test_two_different_texts_never_share_a_stem(a: str, b: str) -> None:
    if a != b:
        assert file_stem(a) != file_stem(b)


# -- the field case, end to end -------------------------------------------------------------------
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Text(HTMLParser):
    """The text a browser shows, and the page title, with character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] in ("script", "style"):
            return
        if self._in and self._in[-1] == "title":
            self.title += data
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _shown(path: Path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _asn_eval(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asn_eval", *map(str, args)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )


@pytest.fixture
def field_case(tmp_path: Path) -> Path:
    """A copy of the field case (never the shared folder itself)."""
    folder = tmp_path / "data"
    shutil.copytree(FIELD_CASE, folder)
    return folder


def test_the_field_case_validates_scores_and_is_analysed(
    field_case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from asn_eval.cli import main

    # Its periods are written "TW I 2025" (penilaian) and "2025 TW I" (survei).
    assert main(["validate", str(field_case)]) == 0, capsys.readouterr()
    for command in ("score", "analyze"):
        out = tmp_path / command
        args = [command, str(field_case), "--periode", "TW I 2025", "--out", str(out)]
        assert main(args) == 0, capsys.readouterr()
        assert {p.parent for p in out.rglob("*")} == {out}  # no folder made from a code
    hasil = pd.read_parquet(tmp_path / "score" / "hasil.parquet")
    assert set(hasil["kode_opd"].astype("str")) == {CODE}
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.slow  # real kernels: four reports and the overview
def test_reports_of_a_code_with_a_slash_have_safe_names_and_show_the_original(
    field_case: Path, tmp_path: Path
) -> None:
    opd = pd.read_csv(field_case / "opd.csv", dtype="str", keep_default_na=False)
    assert opd["kode_opd"].tolist() == [CODE] and opd["nama_opd"].tolist() == [NAME]
    # Agencies without employees (short reports) whose codes take the index page's name, a
    # Windows device's, a parent folder's. (Not DINSOS_P3A: the input matches OPD references
    # without punctuation, so it would take DINSOS/P3A's employees; see the batch's unit tests.)
    extra = pd.DataFrame(
        {
            "kode_opd": ["INDEX", "CON", ".."],
            "nama_opd": ["Badan Indeks", "Badan Konsol", "Badan Titik"],
            "jenis": ["badan", "badan", "badan"],
            "induk": ["", "", ""],
        }
    )
    pd.concat([opd, extra]).to_csv(field_case / "opd.csv", index=False)
    out = tmp_path / "laporan"
    args = ["reports", field_case, "--periode", "2025 TW I", "--out", out, "--diam"]
    done = _asn_eval(*args, "--jobs", "2", "--format", "html,ipynb")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr

    folder = out / "2025-TW1"
    assert [p for p in out.iterdir()] == [folder]
    # Nothing hidden left over but the record of the run that --resume reads.
    hidden = [p for p in folder.iterdir() if p.is_dir() or p.name.startswith(".")]
    assert [p.name for p in hidden] == [".tanda-reports.json"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["laporan"]
    by_code = {row["kode_opd"]: row for row in manifest}
    assert set(by_code) == {"", CODE, *extra["kode_opd"]}
    assert all(row["status"] == "berhasil" for row in manifest), manifest
    stems = {code: row["nama"] for code, row in by_code.items()}
    assert stems[CODE] == file_stem(CODE)
    assert len({s.casefold() for s in stems.values()}) == len(stems)
    for code in (CODE, *extra["kode_opd"]):
        _check(stems[code])
        assert by_code[code]["keluaran"] == [f"{stems[code]}.html", f"{stems[code]}.ipynb"]
        assert (folder / f"{stems[code]}.html").is_file()
    csv = pd.read_csv(folder / "manifest.csv", dtype="str", keep_default_na=False)
    assert CODE in set(csv["kode_opd"])

    # The agency's report shows its code and name as they are: escaped once, not twice.
    report = _shown(folder / f"{stems[CODE]}.html")
    assert report.title == f"Laporan kinerja {NAME} 2025-TW1"
    assert f"{NAME} ({CODE})" in report.text
    for twice in ("&amp;", "&quot;", "&#x27;", "&#39;", "&ndash;"):
        assert twice not in report.text
    raw = (folder / f"{stems[CODE]}.html").read_text(encoding="utf-8")
    assert "&amp;amp;" not in raw and "P3A & PMD" not in raw  # the & is escaped in the HTML

    # The overview names the agency the same way.
    overview = _shown(folder / "ikhtisar-kota.html").text
    assert CODE in overview and NAME in overview

    # The index page is still the index (INDEX has its own file) and shows code and name.
    index = _shown(folder / "index.html")
    assert index.title.startswith("Laporan evaluasi kinerja")
    assert f"{CODE} {NAME} berhasil" in index.text
    assert "Badan Indeks" in _shown(folder / f"{stems['INDEX']}.html").text
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert f"href='{stems[CODE]}.html'" in page
