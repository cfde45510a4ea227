"""Bounded reading: zip bombs, oversized files and links out of the data folder are refused.

The bombs are made here with a few lines of zip writing: one 1 MB block of shared strings is
deflated once (ending in a full flush, so the block can be repeated as it is) and written a
thousand times, giving a 2.5 MB workbook whose ``sharedStrings.xml`` unpacks to 1 GB. One bomb
declares that size honestly, one lies in its table of contents (as a hand-made bomb can), and one
lies about a part only openpyxl reads (the theme), with a formula that sends the sheet there.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import asn_eval
from asn_eval.errors import UsageError
from asn_eval.input.limits import ENVIRONMENT, Limits, check_file, read_part, verify_archive
from asn_eval.sample import generator as sample

CASES = Path(__file__).resolve().parent / "field-cases"
REPO = Path(__file__).resolve().parent.parent

_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _deflated(blocks: list[tuple[bytes, int]]) -> tuple[list[bytes], int, int]:
    """Deflate ``(data, times)`` blocks, each compressed once and repeated: chunks, CRC, size."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    chunks, crc, size = [], 0, 0
    for data, times in blocks:
        packed = packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH)
        chunks += [packed] * times
        for _ in range(times):
            crc = zlib.crc32(data, crc)
        size += len(data) * times
    chunks.append(packer.flush())
    return chunks, crc, size


def _write_zip(path: Path, parts: dict[str, list[tuple[bytes, int]]], lie: set[str]) -> None:
    """Write a zip whose parts in ``lie`` declare 1,000 bytes, in both headers."""
    directory = []
    with path.open("wb") as handle:
        for name, blocks in parts.items():
            chunks, crc, size = _deflated(blocks)
            packed = sum(map(len, chunks))
            size = 1000 if name in lie else size
            offset, raw = handle.tell(), name.encode()
            fields = (crc, packed, size, len(raw), 0)
            handle.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, *fields) + raw)
            for chunk in chunks:
                handle.write(chunk)
            central = struct.pack(
                "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, *fields, 0, 0, 0, 0, offset
            )
            directory.append(central + raw)
        start, table = handle.tell(), b"".join(directory)
        handle.write(table)
        count = len(directory)
        handle.write(
            struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(table), start, 0)
        )


def make_bomb(path: Path, *, lie: str | None = None, mb: int = 1024) -> Path:
    """A valid one-sheet workbook whose shared strings (or theme) unpack to ``mb`` MB.

    ``lie`` is the part whose declared size is small: ``"xl/sharedStrings.xml"``, or
    ``"xl/theme/theme1.xml"`` (the sheet then holds a formula without a stored value, which is
    read with openpyxl, and openpyxl reads the theme).
    """
    one = b"<si><t>nama pegawai</t></si>"
    strings = b"<si><t>nip</t></si>" + one * ((1 << 20) // len(one))
    theme = b"<!-- tema -->" * ((1 << 20) // 13)
    formula = '<c r="B1"><f>1+1</f></c>' if lie == "xl/theme/theme1.xml" else ""
    sheet = f'<c r="A1" t="s"><v>0</v></c>{formula}'
    huge = lie or "xl/sharedStrings.xml"
    text = {
        "[Content_Types].xml": (
            f'<Types xmlns="{_PKG}/content-types"><Default Extension="rels" '
            f'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{_TYPE}.worksheet+xml"/><Override '
            f'PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook {_MAIN} xmlns:r="{_REL}"><sheets><sheet name="pegawai" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet {_MAIN}><sheetData><row r="1">{sheet}</row></sheetData></worksheet>'
        ),
    }
    parts = {name: [(content.encode(), 1)] for name, content in text.items()}
    parts["xl/sharedStrings.xml"] = [(f"<sst {_MAIN}>".encode(), 1), (b"</sst>", 1)]
    parts[huge] = [(f"<sst {_MAIN}>".encode(), 1), (strings, mb), (b"</sst>", 1)]
    if huge == "xl/theme/theme1.xml":
        parts["xl/sharedStrings.xml"] = [(f"<sst {_MAIN}><si><t>nip</t></si></sst>".encode(), 1)]
        parts[huge] = [(b"<a:theme>", 1), (theme, mb), (b"</a:theme>", 1)]
    _write_zip(path, parts, {lie} if lie else set())
    return path


def _bomb_folder(make_dataset, kind: str) -> Path:
    folder = make_dataset()
    (folder / "pegawai.csv").unlink()
    lie = {"jujur": None, "bohong": "xl/sharedStrings.xml", "tema": "xl/theme/theme1.xml"}[kind]
    make_bomb(folder / "pegawai.xlsx", lie=lie)
    return folder


_MEASURE = """
import contextlib, io, json, resource, sys, time
from asn_eval.cli import main
out = {}
for folder in sys.argv[1:]:
    started, text = time.perf_counter(), io.StringIO()
    with contextlib.redirect_stdout(text):
        code = main(["validate", folder, "--tanpa-cache"])
    out[folder] = [code, time.perf_counter() - started, text.getvalue()]
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


@pytest.mark.slow  # three bombs in subprocesses; test_a_bomb_as_the_whole_dataset_workbook is fast
def test_zip_bombs_are_refused_in_seconds_and_bounded_memory(make_dataset):
    folders = {kind: _bomb_folder(make_dataset, kind) for kind in ("jujur", "bohong", "tema")}
    assert (folders["jujur"] / "pegawai.xlsx").stat().st_size < 4 << 20  # 1 GB inside
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, *map(str, folders.values())],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout)
    for kind, folder in folders.items():
        code, seconds, text = measured[str(folder)]
        assert code == 2, text
        assert seconds < 5, f"{kind}: {seconds:.1f} dtk"
        assert "Traceback" not in text
        first = text.splitlines()[0]
        part = "xl/theme/theme1.xml" if kind == "tema" else "xl/sharedStrings.xml"
        assert first.startswith(f"pegawai.xlsx: bagian {part} "), first
        if kind == "jujur":
            assert "membesar" in first and "ASN_EVAL_MAX_RATIO" in first
            assert "1.024,0 MB" in first  # the project's number style
            assert "tidak ditemukan" not in text  # the refused file is not also "missing"
        else:
            assert "lebih besar daripada ukuran yang tertulis" in first
    assert measured["rss_mb"] < 1024, measured["rss_mb"]


def test_a_lying_part_is_found_by_unpacking_in_steps(tmp_path):
    honest = make_bomb(tmp_path / "jujur.xlsx", mb=16)
    liar = make_bomb(tmp_path / "bohong.xlsx", lie="xl/sharedStrings.xml", mb=16)
    assert verify_archive(honest) is None
    refusal = verify_archive(liar)
    assert refusal is not None and refusal.file == "bohong.xlsx"
    assert "xl/sharedStrings.xml" in refusal.message
    with zipfile.ZipFile(liar) as archive, pytest.raises(zipfile.BadZipFile, match="CRC"):
        read_part(archive, "xl/sharedStrings.xml")  # stops at the declared 1,000 bytes


def test_a_bomb_as_the_whole_dataset_workbook(tmp_path):
    make_bomb(tmp_path / "data.xlsx")
    problems = asn_eval.validate(tmp_path)
    assert [p.file for p in problems] == ["data.xlsx"]
    assert "bagian xl/sharedStrings.xml membesar" in problems[0].message
    with pytest.raises(asn_eval.DataError):
        asn_eval.load(tmp_path / "data.xlsx")


def _only_required(tables: dict[str, pd.DataFrame]) -> None:
    for name in set(tables) - {"opd", "pegawai"}:
        del tables[name]


@pytest.mark.slow  # several workbooks; test_limits_from_the_environment is the fast sibling
def test_workbook_part_and_total_limits_are_configurable(make_dataset):
    folder = make_dataset(_only_required, fmt="xlsx")
    assert asn_eval.validate(folder) == []
    part = asn_eval.validate(folder, limits=Limits(part_mb=0.001))
    assert part and all(p.is_error and "per bagian" in p.message for p in part)
    assert any("ASN_EVAL_MAX_PART_MB" in p.message for p in part)
    total = asn_eval.validate(folder, limits=Limits(unpacked_mb=0.005))
    assert any("seluruh isi buku kerja" in p.message for p in total)


def test_oversized_csv_refused_with_a_configured_limit(make_dataset, monkeypatch):
    folder = make_dataset()
    size = (folder / "pegawai.csv").stat().st_size
    problems = asn_eval.validate(folder, limits=Limits(file_mb=size / 2 / (1 << 20)))
    refused = [p for p in problems if p.file == "pegawai.csv"]
    assert refused and "melebihi batas" in refused[0].message
    assert "ASN_EVAL_MAX_FILE_MB" in refused[0].message
    assert not any("tabel wajib" in p.message for p in problems)
    with pytest.raises(asn_eval.DataError, match=r"pegawai\.csv"):
        asn_eval.load(folder, limits=Limits(file_mb=0.0001))
    monkeypatch.setenv(ENVIRONMENT["file_mb"], "0.0001")
    assert any(p.file == "opd.csv" for p in asn_eval.validate(folder))  # from the environment
    monkeypatch.setenv(ENVIRONMENT["file_mb"], "banyak")
    with pytest.raises(UsageError, match="ASN_EVAL_MAX_FILE_MB"):
        asn_eval.validate(folder)


def test_limits_from_the_environment():
    limits = Limits.from_env({"ASN_EVAL_MAX_RATIO": "250", "ASN_EVAL_MAX_ROWS": "1_000"})
    assert (limits.ratio, limits.rows, limits.part_mb) == (250.0, 1000, Limits().part_mb)
    for bad in ("0", "-1", "nan", "x"):
        with pytest.raises(UsageError):
            Limits.from_env({"ASN_EVAL_MAX_PART_MB": bad})


def test_parquet_rows_size_and_ratio(make_dataset):
    folder = make_dataset(fmt="parquet")
    assert asn_eval.validate(folder) == []
    rows = asn_eval.validate(folder, limits=Limits(rows=2))
    assert any(p.file == "pegawai.parquet" and "baris menurut metadata" in p.message for p in rows)
    size = asn_eval.validate(folder, limits=Limits(file_mb=0.0001))
    assert {p.file for p in size} >= {"opd.parquet", "pegawai.parquet"}


def test_parquet_whose_metadata_declares_a_huge_size(make_dataset):
    folder = make_dataset(fmt="parquet")
    frame = pd.read_parquet(folder / "pegawai.parquet")
    frame["lampiran"] = ["A" * (8 << 20)] * len(frame)  # 32 MB of one letter: packs to KBs
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, folder / "pegawai.parquet", use_dictionary=False, compression="zstd")
    assert (folder / "pegawai.parquet").stat().st_size < 1 << 20
    problems = asn_eval.validate(folder)
    assert [p.file for p in problems] == ["pegawai.parquet"]
    assert "membesar" in problems[0].message and "ASN_EVAL_MAX_RATIO" in problems[0].message
    declared = asn_eval.validate(folder, limits=Limits(ratio=1e9, unpacked_mb=16))
    assert "menurut metadatanya, melebihi batas 16,0 MB" in declared[0].message


def test_symlink_out_of_the_folder_is_refused(make_dataset):
    folder = make_dataset()
    (folder / "skp.csv").unlink()
    (folder / "skp.csv").symlink_to("/etc/passwd")
    problems = asn_eval.validate(folder)
    assert [str(p) for p in problems] == [
        "skp.csv: tautan simbolik ke luar folder data, tidak dibaca; salin berkasnya ke dalam "
        "folder data bila memang ingin dipakai (menunjuk ke /etc/passwd)"
    ]


@pytest.mark.parametrize(
    "target",
    [
        "../luar/skp.csv",  # plainly out
        "./arsip/../../luar/skp.csv",  # in, then out again
        "akar/etc/passwd",  # through a folder link inside that leads to /
        "arsip/tangga/skp.csv",  # through a link inside that climbs out
    ],
)
def test_symlinks_cannot_be_fooled_by_dots_or_folder_links(make_dataset, target):
    folder = make_dataset()
    outside = folder.parent / "luar"
    outside.mkdir(exist_ok=True)
    (folder / "skp.csv").rename(outside / "skp.csv")
    (folder / "arsip").mkdir()
    (folder / "akar").symlink_to("/")
    (folder / "arsip" / "tangga").symlink_to("../../luar")
    (folder / "skp.csv").symlink_to(target)
    problems = asn_eval.validate(folder)
    assert len(problems) == 1 and problems[0].file == "skp.csv"
    assert "ke luar folder data" in problems[0].message


def test_symlinks_inside_the_folder_and_a_linked_folder_are_fine(make_dataset, tmp_path):
    folder = make_dataset()
    reference = asn_eval.load(folder, cache=False)
    (folder / "arsip").mkdir()
    (folder / "skp.csv").rename(folder / "arsip" / "skp-2025.csv")
    (folder / "skp.csv").symlink_to("arsip/skp-2025.csv")
    (tmp_path / "tautan").symlink_to(folder)  # the data folder itself may be a link
    dataset = asn_eval.load(tmp_path / "tautan", cache=False)
    pd.testing.assert_frame_equal(dataset.skp, reference.skp)
    assert dataset.warnings == reference.warnings


def test_broken_symlink_is_said(make_dataset):
    folder = make_dataset()
    (folder / "survei.csv").unlink()
    (folder / "survei.csv").symlink_to("survei-lama.csv")
    problems = asn_eval.validate(folder)
    assert [p.file for p in problems] == ["survei.csv"]
    assert "tidak menunjuk ke berkas" in problems[0].message


@pytest.mark.slow  # every real file; the fast loop loads field cases and samples too
def test_real_files_pass_every_check(tmp_path, city_400_folder):
    """The field cases, a sample city (CSV, Parquet and a workbook) and ``data/`` if made."""
    sample.write_sample(
        tmp_path / "parquet", n_pegawai=120, seed=3, format="parquet", workbook=tmp_path / "b.xlsx"
    )
    files = [p for p in CASES.rglob("*") if p.suffix in (".csv", ".xlsx")]
    files += [*city_400_folder.iterdir(), *(tmp_path / "parquet").iterdir(), tmp_path / "b.xlsx"]
    files += [p for name in ("sample", "sample-xlsx") for p in (REPO / "data" / name).glob("*.*")]
    assert len(files) > 30
    for file in files:
        assert check_file(file, Limits(), file.parent) == [], file
        assert verify_archive(file) is None, file
    assert not [p for p in asn_eval.validate(tmp_path / "parquet") if p.is_error]
    assert not [p for p in asn_eval.validate(tmp_path / "b.xlsx") if p.is_error]


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml"])
def test_xml_entities_are_refused(make_dataset, tmp_path, part):
    """Billion laughs used in the workbook (calamine), declared only in the styles (defusedxml)."""
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "ha"}">' for i in range(10))
    folder = make_dataset(_only_required, fmt="xlsx")
    workbook = folder / "opd.xlsx"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(tmp_path / "x.xlsx", "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == part:
                data = data.replace(b"?>", f"?><!DOCTYPE x [{laughs}]>".encode(), 1)
                data = data.replace(b"<sheets>", b"<sheets>&l9;", 1)
            target.writestr(entry, data)
    os.replace(tmp_path / "x.xlsx", workbook)
    problems = asn_eval.validate(folder)
    assert [p.file for p in problems if p.is_error] == ["opd.xlsx"]
    assert "entitas XML" in problems[0].message
