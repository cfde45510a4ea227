"""The city profile (``profil.toml``): who issues the documents, who signs them, which time zone.

A report a Kepala Dinas signs names the government and the agency that issued it and carries the
signatory's name, NIP and position; its times are written in the city's zone. These facts are
not in the evaluation data, so they live in a small TOML file beside it::

    pemerintah = "Pemerintah Kota Sukamaju"
    penyelenggara = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"
    zona_waktu = "WIB"            # WIB, WITA atau WIT
    tempat = "Sukamaju"           # tempat penandatanganan (opsional)
    alamat = "Jl. Merdeka No. 1"  # kop surat (opsional)
    logo = "logo.png"             # PNG atau JPEG di folder yang sama (opsional)

    [penandatangan]
    nama = "Dra. Siti Rahmawati, M.Si."
    nip = "19700101 199503 2 001"
    jabatan = "Kepala BKPSDM"
    pangkat = "Pembina Utama Muda, IV/c"   # opsional

:func:`load_profile` reads ``profil.toml`` from the data folder (or a file given with
``--profil``); every problem is reported naming its key, as for scheme files. Without a profile
the documents say so plainly instead of inventing a government.
"""

from __future__ import annotations

import base64
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from asn_eval.errors import ProfileError
from asn_eval.formatting import ZONES

__all__ = ["PROFILE_FILE", "CityProfile", "ProfileError", "Signatory", "load_profile"]

#: The profile's file name in a data folder.
PROFILE_FILE = "profil.toml"

_LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_LOGO_MAX_BYTES = 1024 * 1024
_TOP = {"pemerintah", "penyelenggara", "zona_waktu", "tempat", "alamat", "logo", "penandatangan"}
_SIGNATORY = {"nama", "nip", "jabatan", "pangkat"}


@dataclass(frozen=True)
class Signatory:
    """Who signs the documents.

    Attributes
    ----------
    nama, jabatan : str
        Name with titles, and position (``Kepala BKPSDM``).
    nip : str
        18 digits, written ``19700101 199503 2 001``.
    pangkat : str or None
        Rank and grade, when given.
    """

    nama: str
    nip: str
    jabatan: str
    pangkat: str | None = None


@dataclass(frozen=True)
class CityProfile:
    """The city's profile: government, issuing agency, time zone, signatory and logo.

    Attributes
    ----------
    pemerintah : str
        ``Pemerintah Kota Sukamaju``.
    penyelenggara : str
        The BKPSDM's name.
    zona_waktu : {"WIB", "WITA", "WIT"}
        The zone every time is written in.
    penandatangan : Signatory
        The signatory.
    tempat, alamat : str or None
        Place of signing and letterhead address.
    logo : bytes or None
        A PNG or JPEG image; ``logo_type`` is its media type.
    source : str
        The file it was read from.
    """

    pemerintah: str
    penyelenggara: str
    zona_waktu: str
    penandatangan: Signatory
    tempat: str | None = None
    alamat: str | None = None
    logo: bytes | None = None
    logo_type: str | None = None
    source: str = PROFILE_FILE

    def logo_uri(self) -> str | None:
        """Return the logo as a ``data:`` URI (pages stay self-contained), or None."""
        if self.logo is None:
            return None
        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo).decode('ascii')}"

    def to_dict(self) -> dict[str, object]:
        """Return the profile as plain values (for a batch's saved results)."""
        return {
            "pemerintah": self.pemerintah,
            "penyelenggara": self.penyelenggara,
            "zona_waktu": self.zona_waktu,
            "tempat": self.tempat,
            "alamat": self.alamat,
            "logo": base64.b64encode(self.logo).decode("ascii") if self.logo else None,
            "logo_type": self.logo_type,
            "source": self.source,
            "penandatangan": {
                "nama": self.penandatangan.nama,
                "nip": self.penandatangan.nip,
                "jabatan": self.penandatangan.jabatan,
                "pangkat": self.penandatangan.pangkat,
            },
        }

    @classmethod
    def from_dict(cls, values: dict[str, object]) -> CityProfile:
        """Rebuild a profile written by :meth:`to_dict`."""
        fields = dict(values)
        signatory = Signatory(**fields.pop("penandatangan"))  # type: ignore[arg-type]
        logo = fields.pop("logo")
        return cls(
            penandatangan=signatory,
            logo=base64.b64decode(logo) if logo else None,  # type: ignore[arg-type]
            **fields,  # type: ignore[arg-type]
        )


def _text(problems: list[str], where: str, table: dict, key: str, required: bool) -> str | None:
    value = table.get(key)
    name = f"{where}{key}"
    if value is None:
        if required:
            problems.append(f"kunci '{name}': wajib diisi")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"kunci '{name}': harus teks yang tidak kosong")
        return None
    if any(ord(ch) < 32 for ch in value):
        problems.append(f"kunci '{name}': tidak boleh memuat baris baru atau karakter kendali")
        return None
    return " ".join(value.split())


def _signatory_nip(problems: list[str], value: str | None) -> str | None:
    if value is None:
        return None
    digits = value.replace(" ", "").replace(".", "")
    if len(digits) != 18 or not digits.isdigit():
        problems.append(
            f"kunci 'penandatangan.nip': NIP harus 18 angka ({value}); tulis sebagai teks "
            'dalam tanda kutip, mis. "19700101 199503 2 001"'
        )
        return None
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def _logo(problems: list[str], value: str | None, folder: Path) -> tuple[bytes | None, str | None]:
    if value is None:
        return None, None
    path = (folder / value).resolve()
    if not path.is_relative_to(folder.resolve()):
        problems.append(f"kunci 'logo': berkas harus di folder profil ({value})")
        return None, None
    if not path.is_file():
        problems.append(f"kunci 'logo': berkas tidak ditemukan ({value})")
        return None, None
    if path.stat().st_size > _LOGO_MAX_BYTES:
        problems.append(f"kunci 'logo': berkas lebih dari 1 MB ({value}); perkecil gambarnya")
        return None, None
    data = path.read_bytes()
    kind = next((t for magic, t in _LOGO_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        problems.append(f"kunci 'logo': harus gambar PNG atau JPEG ({value})")
        return None, None
    return data, kind


def load_profile(where: str | os.PathLike[str] | None) -> CityProfile | None:
    """Read the city profile from a data folder's ``profil.toml`` or from a given file.

    Parameters
    ----------
    where : path or None
        A data folder (its ``profil.toml`` is read when there is one), a data workbook (the
        ``profil.toml`` beside it), or a profile file (``--profil``), which must exist.

    Returns
    -------
    CityProfile or None
        None when a data folder has no profile.

    Raises
    ------
    ProfileError
        A given file that is missing, TOML that does not parse, a missing or unknown key, a
        time zone other than WIB/WITA/WIT, a NIP that is not 18 digits, or a logo that is not a
        PNG/JPEG of at most 1 MB in the profile's folder; every problem is listed with its key,
        e.g. ``profil.toml: kunci 'zona_waktu': harus WIB, WITA atau WIT (GMT+7)``.
    """
    if where is None:
        return None
    path = Path(where)
    if path.is_dir():
        path = path / PROFILE_FILE
        if not path.exists():
            return None
    elif path.suffix.lower() != ".toml":
        path = path.parent / PROFILE_FILE
        if not path.exists():
            return None
    elif not path.is_file():
        raise ProfileError(f"{path}: berkas profil tidak ditemukan")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProfileError(f"{path.name}: bukan TOML yang sah: {error}") from None
    problems: list[str] = [f"kunci '{k}': tidak dikenal" for k in sorted(set(data) - _TOP)]
    pemerintah = _text(problems, "", data, "pemerintah", True)
    penyelenggara = _text(problems, "", data, "penyelenggara", True)
    zona = _text(problems, "", data, "zona_waktu", True)
    if zona is not None and zona.upper() not in ZONES:
        problems.append(f"kunci 'zona_waktu': harus WIB, WITA atau WIT ({zona})")
    tempat = _text(problems, "", data, "tempat", False)
    alamat = _text(problems, "", data, "alamat", False)
    logo, logo_type = _logo(problems, _text(problems, "", data, "logo", False), path.parent)
    table = data.get("penandatangan")
    if not isinstance(table, dict):
        problems.append("kunci 'penandatangan': wajib diisi sebagai tabel [penandatangan]")
        table = {}
    problems += [
        f"kunci 'penandatangan.{k}': tidak dikenal" for k in sorted(set(table) - _SIGNATORY)
    ]
    nama = _text(problems, "penandatangan.", table, "nama", True)
    nip = _signatory_nip(problems, _text(problems, "penandatangan.", table, "nip", True))
    jabatan = _text(problems, "penandatangan.", table, "jabatan", True)
    pangkat = _text(problems, "penandatangan.", table, "pangkat", False)
    if problems:
        raise ProfileError("\n".join(f"{path.name}: {p}" for p in problems))
    return CityProfile(
        pemerintah=str(pemerintah),
        penyelenggara=str(penyelenggara),
        zona_waktu=str(zona).upper(),
        penandatangan=Signatory(str(nama), str(nip), str(jabatan), pangkat),
        tempat=tempat,
        alamat=alamat,
        logo=logo,
        logo_type=logo_type,
        source=str(path),
    )
