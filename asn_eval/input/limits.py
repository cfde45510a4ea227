"""Bounded reading: how big an input file may be, and what may be read from a data folder.

An input file is checked before any of its content is read, so a hostile or broken file is
refused in milliseconds, naming the file, what was found, the limit and how to raise it:

- every file: its size on disk (:attr:`Limits.file_mb`);
- a workbook (``.xlsx``, ``.xlsm``, ``.ods``: a zip archive) from its table of contents: each
  part unpacked (:attr:`Limits.part_mb`), all parts together (:attr:`Limits.unpacked_mb`) and
  how many times a part grows when unpacked (:attr:`Limits.ratio`; a zip bomb grows a thousand
  times, a real export 5–20 times). The parts parsed whole as XML (``workbook.xml``, its
  relationships, ``styles.xml``) may be at most :data:`SETTINGS_PART_MB`;
- a Parquet file from its metadata: rows (:attr:`Limits.rows`), data unpacked and its ratio;
- a file in a data folder that is a symbolic link pointing outside the folder (``skp.csv ->
  /etc/passwd``) or to nothing.

A zip's table of contents can lie (declare a small size for a part that unpacks to gigabytes).
What reads the parts cannot go past the declared size: calamine's zip reader stops with an error
("larger than its declared uncompressed size"), our own reads go through :func:`read_part`,
and before a workbook is handed to openpyxl or ``formulas`` (whose zip reads unpack a whole
compressed part at once) :func:`verify_archive` unpacks every part in 1 MB steps and refuses a
part larger than declared. It also names the part when calamine stops.

XML entities ("billion laughs"): our own XML parsing goes through ``defusedxml``, which refuses
entity declarations; openpyxl uses ``defusedxml`` too when it is installed (it is a declared
dependency); calamine's XML reader does not expand declared entities at all.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

from asn_eval.errors import UsageError
from asn_eval.formatting import number
from asn_eval.input.problems import Problem

__all__ = [
    "ENVIRONMENT",
    "Limits",
    "check_file",
    "check_link",
    "read_part",
    "verify_archive",
]

MB = 1 << 20
"""Bytes in one MB as the limits count it."""

RATIO_FLOOR_MB = 10
"""Parts (and Parquet files) unpacking to less than this are never refused for their ratio."""

SETTINGS_PART_MB = 64
"""The parts parsed whole as XML (``workbook.xml``, its relationships, ``styles.xml``) are small
in every real workbook (a workbook with Excel's maximum of 64,000 styles has a ~7 MB
``styles.xml``); a larger one is refused before it is parsed."""

_SETTINGS_PARTS = ("workbook.xml", "workbook.xml.rels", "styles.xml")

ARCHIVE_SUFFIXES = (".xlsx", ".xlsm", ".ods")
PARQUET_SUFFIXES = (".parquet", ".pq")

ENVIRONMENT = {
    "file_mb": "ASN_EVAL_MAX_FILE_MB",
    "part_mb": "ASN_EVAL_MAX_PART_MB",
    "unpacked_mb": "ASN_EVAL_MAX_UNPACKED_MB",
    "ratio": "ASN_EVAL_MAX_RATIO",
    "rows": "ASN_EVAL_MAX_ROWS",
}
"""The environment variable that sets each limit."""


@dataclass(frozen=True)
class Limits:
    """How big an input file may be; the defaults never refuse a real export.

    Each limit can be set with an environment variable (:data:`ENVIRONMENT`), or given to
    :func:`asn_eval.load` and :func:`asn_eval.validate` as ``limits=Limits(...)``.

    Parameters
    ----------
    file_mb : float, default 4096
        Size on disk of any input file, in MB (``ASN_EVAL_MAX_FILE_MB``). The sample city's
        year of daily activity logs is 49 MB for 2,500 employees, so 4,096 MB is twice that of
        100,000 employees.
    part_mb : float, default 2048
        Size of one part of a workbook once unpacked, in MB (``ASN_EVAL_MAX_PART_MB``). A
        sheet at Excel's maximum of 1,048,576 rows is about 500 MB at the sample's widths.
    unpacked_mb : float, default 4096
        All parts of a workbook together, or a Parquet file's data, once unpacked, in MB
        (``ASN_EVAL_MAX_UNPACKED_MB``).
    ratio : float, default 100
        How many times a part (or a Parquet file) may grow when unpacked
        (``ASN_EVAL_MAX_RATIO``); checked for parts of :data:`RATIO_FLOOR_MB` and more. Sheets
        of real exports grow 5–15 times, shared strings 5–20; a zip bomb about 1,000.
    rows : int, default 100_000_000
        Rows of a Parquet file, from its metadata (``ASN_EVAL_MAX_ROWS``).

    Examples
    --------
    >>> Limits(ratio=50).part_mb
    2048
    >>> Limits.from_env({"ASN_EVAL_MAX_RATIO": "250"}).ratio
    250.0
    """

    file_mb: float = 4096
    part_mb: float = 2048
    unpacked_mb: float = 4096
    ratio: float = 100
    rows: int = 100_000_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Return the default limits, with those set in the environment.

        Parameters
        ----------
        environ : mapping, optional
            The environment; ``os.environ`` when None.

        Returns
        -------
        Limits

        Raises
        ------
        UsageError
            When a variable is set to something that is not a positive number.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, float] = {}
        for spec in fields(cls):
            name = ENVIRONMENT[spec.name]
            text = environ.get(name, "").strip()
            if not text:
                continue
            try:
                value = float(text.replace("_", ""))
            except ValueError:
                value = float("nan")
            if not value > 0:  # also NaN
                raise UsageError(f"{name} harus angka lebih dari 0 (tertulis {text!r})")
            values[spec.name] = int(value) if spec.name == "rows" else value
        return cls(**values)


def _mb(size: float) -> str:
    """Write a size in bytes as MB in the project's number style: ``1.024,0 MB``."""
    return f"{number(size / MB, 1)} MB"


def _raise(variable: str) -> str:
    return f"bila berkas ini memang asli, naikkan batas dengan variabel lingkungan {variable}"


def check_link(file: Path, folder: Path) -> Problem | None:
    """Refuse a symbolic link in a data folder that leads outside it, or to no file.

    A link to a file inside the folder (or a sub-folder of it) is fine, and so is a data folder
    that is itself a link: both sides are compared after every link and ``..`` is resolved.

    Parameters
    ----------
    file : Path
        An entry of the folder.
    folder : Path
        The data folder.

    Returns
    -------
    Problem or None
        An error naming the file and where it points; None for a plain file or a link inside.
    """
    if not file.is_symlink():
        return None  # an entry of the folder itself
    target = Path(os.path.realpath(file))
    if not target.is_relative_to(os.path.realpath(folder)):
        message = (
            "tautan simbolik ke luar folder data, tidak dibaca; salin berkasnya ke dalam "
            "folder data bila memang ingin dipakai"
        )
        return Problem(file.name, None, None, message, f"menunjuk ke {target}")
    if not target.is_file():
        message = "tautan simbolik yang tidak menunjuk ke berkas mana pun"
        return Problem(file.name, None, None, message, f"menunjuk ke {os.readlink(file)}")
    return None


def check_file(file: Path, limits: Limits, folder: Path | None = None) -> list[Problem]:
    """Check an input file before any of its content is read.

    Parameters
    ----------
    file : Path
        The file.
    limits : Limits
        The limits to hold it to.
    folder : Path, optional
        The data folder the file was found in: a link leading out of it is refused.

    Returns
    -------
    list of Problem
        Errors naming the file (and the part of a workbook); empty when the file may be read.
        A file that is not a readable zip or Parquet file is left to its reader to refuse.
    """
    if folder is not None and (refusal := check_link(file, folder)) is not None:
        return [refusal]
    try:
        size = file.stat().st_size
    except OSError:
        return []  # its reader says why it cannot be read
    if size > limits.file_mb * MB:
        message = f"berkas {_mb(size)}, melebihi batas {_mb(limits.file_mb * MB)}; " + _raise(
            ENVIRONMENT["file_mb"]
        )
        return [Problem(file.name, None, None, message)]
    suffix = file.suffix.lower()
    if suffix in ARCHIVE_SUFFIXES:
        return _check_archive(file, limits)
    if suffix in PARQUET_SUFFIXES:
        return _check_parquet(file, size, limits)
    return []


def _check_archive(file: Path, limits: Limits) -> list[Problem]:
    """Check a workbook's parts from its zip table of contents (a few milliseconds)."""
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return []  # not a zip: its reader says the workbook cannot be read
    problems = []
    total = 0
    for part in parts:
        total += part.file_size
        unpacked, packed = part.file_size, max(part.compress_size, 1)
        where = f"bagian {part.filename}"
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            message = (
                f"{where} dikompresi dengan cara yang tidak dipakai Excel atau LibreOffice "
                f"(metode {part.compress_type}); simpan ulang buku kerjanya dari Excel"
            )
        elif unpacked > limits.part_mb * MB:
            message = (
                f"{where} berukuran {_mb(unpacked)} setelah dibuka, melebihi batas "
                f"{_mb(limits.part_mb * MB)} per bagian; " + _raise(ENVIRONMENT["part_mb"])
            )
        elif unpacked >= RATIO_FLOOR_MB * MB and unpacked / packed > limits.ratio:
            message = (
                f"{where} membesar {number(unpacked / packed, 0)} kali saat dibuka "
                f"({_mb(packed)} menjadi {_mb(unpacked)}; batas {number(limits.ratio, 0)} "
                "kali), ciri bom zip; " + _raise(ENVIRONMENT["ratio"])
            )
        elif part.filename.endswith(_SETTINGS_PARTS) and unpacked > SETTINGS_PART_MB * MB:
            message = (
                f"{where} berukuran {_mb(unpacked)} setelah dibuka; bagian pengaturan buku "
                f"kerja tidak pernah sebesar itu (paling besar {_mb(SETTINGS_PART_MB * MB)}); "
                "simpan ulang buku kerjanya dari Excel"
            )
        else:
            continue
        problems.append(Problem(file.name, None, None, message))
    if not problems and total > limits.unpacked_mb * MB:
        message = (
            f"seluruh isi buku kerja berukuran {_mb(total)} setelah dibuka, melebihi batas "
            f"{_mb(limits.unpacked_mb * MB)}; " + _raise(ENVIRONMENT["unpacked_mb"])
        )
        problems.append(Problem(file.name, None, None, message))
    return problems


def _check_parquet(file: Path, size: int, limits: Limits) -> list[Problem]:
    """Check a Parquet file from its metadata (the footer: a few milliseconds)."""
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_metadata(file)
    except Exception:  # not Parquet, or a broken footer: its reader says so
        return []
    unpacked = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if metadata.num_rows > limits.rows:
        message = (
            f"{number(metadata.num_rows, 0)} baris menurut metadata berkas, melebihi batas "
            f"{number(limits.rows, 0)} baris; " + _raise(ENVIRONMENT["rows"])
        )
    elif unpacked > limits.unpacked_mb * MB:
        message = (
            f"isi berkas berukuran {_mb(unpacked)} setelah dibuka menurut metadatanya, melebihi "
            f"batas {_mb(limits.unpacked_mb * MB)}; " + _raise(ENVIRONMENT["unpacked_mb"])
        )
    elif unpacked >= RATIO_FLOOR_MB * MB and unpacked / max(size, 1) > limits.ratio:
        message = (
            f"isi berkas membesar {number(unpacked / max(size, 1), 0)} kali saat dibuka menurut "
            f"metadatanya ({_mb(size)} menjadi {_mb(unpacked)}; batas "
            f"{number(limits.ratio, 0)} kali); " + _raise(ENVIRONMENT["ratio"])
        )
    else:
        return []
    return [Problem(file.name, None, None, message)]


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """Read one part of a zip archive, never unpacking more than its declared size.

    ``ZipFile.read`` unpacks everything the compressed part holds (up to 2 GB) before cutting it
    at the declared size; asking for the declared size keeps a part that lies about its size
    from taking more memory than it declared (the CRC check then refuses it).

    Parameters
    ----------
    archive : ZipFile
        The open archive.
    name : str
        The part.

    Returns
    -------
    bytes
        The part's content.

    Raises
    ------
    KeyError
        When there is no such part.
    zipfile.BadZipFile
        When the content does not match its checksum.
    """
    part = archive.getinfo(name)
    with archive.open(part) as handle:
        return handle.read(part.file_size) if part.file_size else b""


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def _unpacks_beyond(handle: object, part: zipfile.ZipInfo) -> bool:
    """Whether a deflated part unpacks to more than its declared size (1 MB steps)."""
    handle.seek(part.header_offset)
    header = handle.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        return False  # a broken archive: its reader says so
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    handle.seek(part.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    left, produced = part.compress_size, 0
    while left > 0 and not inflater.eof:
        data = handle.read(min(left, MB))
        if not data:
            break
        left -= len(data)
        while data:
            try:
                produced += len(inflater.decompress(data, MB))
            except zlib.error:
                return False  # broken data: the reader says so
            if produced > part.file_size:
                return True
            data = inflater.unconsumed_tail
    return False


@lru_cache(maxsize=32)
def _lying_part(path: str, size: int, modified: int) -> str | None:
    with zipfile.ZipFile(path) as archive, open(path, "rb") as handle:
        for part in archive.infolist():
            if part.compress_type == zipfile.ZIP_DEFLATED and not part.flag_bits & 1:
                if _unpacks_beyond(handle, part):
                    return part.filename
    return None


def verify_archive(file: Path) -> Problem | None:
    """Unpack every part of a workbook in 1 MB steps and refuse one larger than declared.

    Memory stays at a few MB and time at what the declared sizes allow (checked by
    :func:`check_file`): a part that lies is refused as soon as it passes its declared size.
    The result is kept per file and modification time, so a workbook read sheet by sheet is
    unpacked once. A part that cannot be unpacked at all is left to the reader to refuse.

    Parameters
    ----------
    file : Path
        A workbook (``.xlsx``, ``.xlsm``, ``.ods``).

    Returns
    -------
    Problem or None
        An error naming the file and the part; None when every part is what it declares.
    """
    if file.suffix.lower() not in ARCHIVE_SUFFIXES:
        return None
    try:
        stat = file.stat()
        part = _lying_part(str(file.resolve()), stat.st_size, stat.st_mtime_ns)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return None
    if part is None:
        return None
    message = (
        f"bagian {part} ternyata lebih besar daripada ukuran yang tertulis di daftar isi "
        "berkas zip-nya: berkas rusak atau sengaja dibuat untuk menyerang, tidak dibaca; "
        "simpan ulang buku kerjanya dari Excel"
    )
    return Problem(file.name, None, None, message)
