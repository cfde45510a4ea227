"""The city profile (``profil.toml``): read when sound, refused key by key when not.

Every broken profile gets the scheme files' kind of message: the file, the key, what is wrong.
The command line says it in one line per problem and exits 2, before any work starts.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_cli

from asn_eval.city_profile import PROFILE_FILE, load_profile
from asn_eval.errors import ProfileError
from asn_eval.reporting.results import CityResults

GOOD = """pemerintah = "Pemerintah Kabupaten Uji"
penyelenggara = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
zona_waktu = "wita"
tempat = "Kota Uji"
alamat = "Jl. Pahlawan No. 2"
logo = "logo.png"

[penandatangan]
nama = "Dra. Siti Rahmawati, M.Si."
nip = "197001011995032001"
jabatan = "Kepala BKPSDM"
pangkat = "Pembina Utama Muda, IV/c"
"""


def png(width: int = 2, height: int = 2) -> bytes:
    """A real (tiny, grey) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with a sound profile and its logo."""
    (tmp_path / PROFILE_FILE).write_text(GOOD, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(png())
    return tmp_path


def problems_of(folder: Path, text: str) -> list[str]:
    """Write ``text`` as the folder's profile; return the lines of the error it raises."""
    (folder / PROFILE_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as raised:
        load_profile(folder)
    return str(raised.value).splitlines()


def test_a_sound_profile_is_read(folder: Path) -> None:
    profile = load_profile(folder)
    assert profile is not None
    assert profile.pemerintah == "Pemerintah Kabupaten Uji"
    assert profile.zona_waktu == "WITA"  # written in lower case, read as the zone
    assert profile.penandatangan.nip == "19700101 199503 2 001"  # written as people write it
    assert profile.penandatangan.pangkat == "Pembina Utama Muda, IV/c"
    assert profile.logo == png() and profile.logo_type == "image/png"
    assert profile.logo_uri().startswith("data:image/png;base64,")
    assert load_profile(folder / PROFILE_FILE) == profile  # the file itself, as --profil names it


def test_no_profile_is_none_but_a_named_file_must_exist(tmp_path: Path) -> None:
    assert load_profile(tmp_path) is None
    assert load_profile(tmp_path / "data.xlsx") is None  # a workbook without a profile beside it
    assert load_profile(None) is None
    with pytest.raises(ProfileError, match="berkas profil tidak ditemukan"):
        load_profile(tmp_path / "tidak-ada.toml")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t.replace('tempat = "Kota Uji"', 'kota = "Kota Uji"'),
            "profil.toml: kunci 'kota': tidak dikenal",
        ),
        (
            lambda t: t.replace('pangkat = "Pembina', 'golongan = "Pembina'),
            "profil.toml: kunci 'penandatangan.golongan': tidak dikenal",
        ),
        (
            lambda t: t.replace('pemerintah = "Pemerintah Kabupaten Uji"\n', ""),
            "profil.toml: kunci 'pemerintah': wajib diisi",
        ),
        (
            lambda t: t.replace('jabatan = "Kepala BKPSDM"\n', ""),
            "profil.toml: kunci 'penandatangan.jabatan': wajib diisi",
        ),
        (
            lambda t: t.replace('"wita"', '"GMT+7"'),
            "profil.toml: kunci 'zona_waktu': harus WIB, WITA atau WIT (GMT+7)",
        ),
        (
            lambda t: t.replace('"197001011995032001"', '"19700101199503200"'),
            "profil.toml: kunci 'penandatangan.nip': NIP harus 18 angka (19700101199503200)",
        ),
        (
            lambda t: t.replace('"197001011995032001"', "197001011995032001"),
            "profil.toml: kunci 'penandatangan.nip': harus teks yang tidak kosong",
        ),
        (
            lambda t: t.replace('"logo.png"', '"tidak-ada.png"'),
            "profil.toml: kunci 'logo': berkas tidak ditemukan (tidak-ada.png)",
        ),
        (
            lambda t: t.replace('"logo.png"', '"logo.gif"'),
            "profil.toml: kunci 'logo': harus gambar PNG atau JPEG (logo.gif)",
        ),
        (
            lambda t: t.replace('"logo.png"', '"besar.png"'),
            "profil.toml: kunci 'logo': berkas lebih dari 1 MB (besar.png)",
        ),
        (
            lambda t: t.replace('"logo.png"', '"../luar.png"'),
            "profil.toml: kunci 'logo': berkas harus di folder profil (../luar.png)",
        ),
        (
            lambda t: t.replace("[penandatangan]\n", ""),
            "profil.toml: kunci 'penandatangan': wajib diisi sebagai tabel [penandatangan]",
        ),
    ],
    ids=[
        "kunci-asing",
        "kunci-asing-penandatangan",
        "tanpa-pemerintah",
        "tanpa-jabatan",
        "zona-GMT+7",
        "nip-17-angka",
        "nip-bilangan",
        "logo-tidak-ada",
        "logo-bukan-png-jpeg",
        "logo-lebih-1-MB",
        "logo-di-luar-folder",
        "tanpa-tabel-penandatangan",
    ],
)
def test_every_bad_key_is_named(folder: Path, change: Callable[[str], str], expected: str) -> None:
    (folder / "logo.gif").write_bytes(b"GIF89a" + b"\x00" * 32)
    (folder / "besar.png").write_bytes(png() + b"\x00" * (1024 * 1024))
    (folder.parent / "luar.png").write_bytes(png())
    lines = problems_of(folder, change(GOOD))
    assert any(line.startswith(expected) for line in lines), lines


def test_every_problem_is_listed_one_per_line(folder: Path) -> None:
    text = GOOD.replace('"wita"', '"GMT+7"').replace('"197001011995032001"', "1970")
    lines = problems_of(folder, text.replace('tempat = "Kota Uji"', 'kota = "x"'))
    assert lines == [
        "profil.toml: kunci 'kota': tidak dikenal",
        "profil.toml: kunci 'zona_waktu': harus WIB, WITA atau WIT (GMT+7)",
        "profil.toml: kunci 'penandatangan.nip': harus teks yang tidak kosong",
    ]


def test_toml_that_does_not_parse(folder: Path) -> None:
    lines = problems_of(folder, GOOD.replace('pemerintah = "', "pemerintah = "))
    assert len(lines) == 1
    assert lines[0].startswith("profil.toml: bukan TOML yang sah:") and "line 1" in lines[0]


def test_a_profile_named_is_the_one_a_city_uses(
    folder: Path, make_dataset: Callable[..., Path]
) -> None:
    data = make_dataset()  # the tiny dataset has no profile of its own
    assert CityResults.compute(data, "2025-TW1").profil is None
    city = CityResults.compute(data, "2025-TW1", profil=folder / PROFILE_FILE)
    assert city.profil is not None and city.zona_waktu == "WITA"


# -- the command line -----------------------------------------------------------------------------
def test_reports_with_a_bad_profile_exits_2_naming_each_key(
    folder: Path, make_dataset: Callable[..., Path], tmp_path: Path, capsys
) -> None:
    bad = folder / "rusak.toml"
    bad.write_text(GOOD.replace('"wita"', '"GMT+7"').replace('"197001011995032001"', "1970"))
    out = tmp_path / "laporan"
    data = make_dataset()
    code, said, err = run_cli(
        capsys, "reports", data, "--periode", "2025-TW1", "--profil", bad, "--out", out, "--diam"
    )
    assert code == 2
    assert err.splitlines() == [
        "asn-eval: galat: rusak.toml: kunci 'zona_waktu': harus WIB, WITA atau WIT (GMT+7)",
        "asn-eval: galat: rusak.toml: kunci 'penandatangan.nip': harus teks yang tidak kosong",
    ]
    assert said == "" and not out.exists()  # nothing started, nothing written


@pytest.mark.parametrize("command", ["score", "analyze", "reports", "app"])
def test_every_command_over_the_data_refuses_a_bad_profile(
    command: str, folder: Path, make_dataset: Callable[..., Path], tmp_path: Path, capsys
) -> None:
    out = tmp_path / "keluaran"
    extra = ["--periode", "2025-TW1"] + (["--out", out] if command != "app" else [])
    # The data folder's own profile, broken.
    data = make_dataset()
    own = GOOD.replace('"wita"', '"UTC"').replace('logo = "logo.png"\n', "")
    (data / PROFILE_FILE).write_text(own, encoding="utf-8")
    code, _, err = run_cli(capsys, command, data, *extra)
    assert code == 2
    assert err.strip() == (
        "asn-eval: galat: profil.toml: kunci 'zona_waktu': harus WIB, WITA atau WIT (UTC)"
    )
    # A named profile that is missing, or not TOML.
    for given, message in (
        (tmp_path / "tidak-ada.toml", "berkas profil tidak ditemukan"),
        (folder / "logo.png", "profil kota harus berkas .toml"),
        (tmp_path / "kosong", f"tidak ada {PROFILE_FILE} di folder ini"),
    ):
        (tmp_path / "kosong").mkdir(exist_ok=True)
        code, _, err = run_cli(capsys, command, make_dataset(), *extra, "--profil", given)
        assert code == 2 and message in err, err
        assert re.fullmatch(r"asn-eval: galat: [^\n]+\n", err), err
    assert not out.exists()


@pytest.mark.parametrize(
    ("command", "workbook"), [("score", "hasil.xlsx"), ("analyze", "analisis.xlsx")]
)
def test_the_workbooks_name_the_profile_given(
    command: str, workbook: str, folder: Path, make_dataset: Callable[..., Path], tmp_path, capsys
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "keluaran"
    profile = folder / PROFILE_FILE
    code, said, err = run_cli(
        capsys, command, make_dataset(), "--periode", "2025-TW1", "--out", out, "--profil", profile
    )
    assert code == 0, said + err
    book = load_workbook(out / workbook, read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert any("Pemerintah Kabupaten Uji" in c for c in cells)
    assert any(c.endswith(" WITA") for c in cells)  # the time made, in the profile's zone
