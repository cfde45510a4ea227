"""A fictional kota with every table of the input contract, for demos, tests and benchmarks.

``generate(n_pegawai, seed, tahun)`` builds the city in memory; ``write_sample(out, ...)`` writes it
as one file per table (CSV or Parquet) plus ``planted.json``, and optionally as one Excel workbook
with e-Kinerja-style headers. The city follows DOMAIN.md §7: about 30 OPD with Puskesmas under the
Dinas Kesehatan, 40–50 % teachers in schools of the Dinas Pendidikan, 15–25 % health staff, a
supervisor chain from every employee up to the Sekretaris Daerah, and results as lenient as the
national tabulation (about 11 % Sangat Baik, 88 % Baik).

Some facts are planted for analytics to find (``SampleCity.planted``): a lenient and a severe rater,
an OPD whose employees exceed its distribution curve, a Puskesmas with a poor IKM, given ratings
that contradict the indicators, and gaps in the data. ``plant=False`` gives the same kind of city
with none of them, for false-alarm tests.

Generation is vectorised: Python loops run over cities, OPDs, periods, core values and chunks of
employees, never over employees or rows. The fact tables (skp, perilaku, kehadiran, aktivitas,
penilaian) are generated in fixed chunks of employees, each with its own random stream derived
from the seed, so a million employees stream to Parquet within bounded memory. Above 5,000
employees several cities are generated side by side, their OPD codes prefixed (``K01-DINKES``).
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from asn_eval.atomic import atomic_path, replace_folder, staging_folder, writing
from asn_eval.city_profile import PROFILE_FILE
from asn_eval.errors import UsageError
from asn_eval.input.contract import TABLES
from asn_eval.input.nip import format_nip
from asn_eval.input.vocab import PANGKAT
from asn_eval.sample import catalogue
from asn_eval.sample.facts import CHUNK, FACT_TABLES, chunks
from asn_eval.sample.workbook import EXCEL_MAX_ROWS, estimate_rows, too_big, write_workbook
from asn_eval.sample.world import CITY_SIZE, MAX_SINGLE_CITY, MIN_PEGAWAI, prepare

__all__ = [
    "CHUNK",
    "CITY_SIZE",
    "EXCEL_MAX_ROWS",
    "FACT_TABLES",
    "MAX_SINGLE_CITY",
    "MIN_PEGAWAI",
    "STATIC_TABLES",
    "TABLE_ORDER",
    "SampleCity",
    "generate",
    "write_sample",
]

STATIC_TABLES = ("opd", "pegawai", "survei", "organisasi")
TABLE_ORDER = tuple(name for name in TABLES if name != "instansi")
"""The tables of every sample; one of several instansi (``--instansi``) has ``instansi`` first."""

# Every feedback text the sample writes (tests check that each is classified).
_UMPAN_BALIK_SKP = catalogue.FEEDBACK_SKP
_UMPAN_BALIK_PERILAKU = catalogue.FEEDBACK_PERILAKU


# --- public API -----------------------------------------------------------------------------------


@dataclass
class SampleCity:
    """A generated city: every table of the input contract and the facts planted in it.

    Parameters
    ----------
    tables : dict of str to DataFrame
        One entry per table (opd, pegawai, skp, perilaku, kehadiran, survei, aktivitas,
        penilaian, organisasi), with the contract's column names.
    planted : dict
        What a fair evaluation must find, with NIPs and OPD codes (see :func:`generate`).
    """

    tables: dict[str, pd.DataFrame]
    planted: dict[str, Any]

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}={len(frame):,}" for name, frame in self.tables.items())
        return f"SampleCity({sizes})"


def generate(
    n_pegawai: int = 2500,
    seed: int = 2025,
    tahun: int = 2025,
    *,
    plant: bool = True,
    instansi: int | None = None,
) -> SampleCity:
    """Generate a fictional city in memory.

    Parameters
    ----------
    n_pegawai : int, default 2500
        Number of employees (at least 100). Above 5,000 the sample is several cities of about
        2,500 employees each, their OPD codes prefixed ``K01-``, ``K02-`` ….
    seed : int, default 2025
        Random seed; the same arguments always give the same tables.
    tahun : int, default 2025
        The evaluation year: periods ``{tahun}-TW1`` … ``{tahun}-TW4`` and ``{tahun}``.
    plant : bool, default True
        Plant the facts an evaluation must find; False gives a city with none of them.
    instansi : int, optional
        Make the sample that many instansi (regional governments) of about equal size, each a
        city like the single one with OPD codes of its own (every one has a ``DINKES``), at least
        :data:`MIN_PEGAWAI` employees each: ``kode_instansi`` in ``opd``, ``pegawai``, ``survei``
        and ``organisasi``, and an ``instansi`` table naming them. The planted facts name OPDs by
        their qualified code (``KOTA-SUKAMAJU/DINKES``), as the loader gives it, and
        ``planted["instansi"]`` maps each code to its city.

    Returns
    -------
    SampleCity
        The tables and, in ``planted`` (besides ``kota``, ``n_pegawai``, ``seed``, ``tahun`` and
        ``plant``): ``lenient_raters`` and ``severe_raters`` (each with ``nip_penilai``,
        ``kode_opd``, the ``bawahan`` rated and the ``bias`` added to their scores before rounding
        and clipping to 1–5, which shows as a gap of about ±1.2 to other raters), ``curve_opds``
        (``kode_opd``, ``predikat_organisasi`` and the NIPs given ``sangat_baik``),
        ``poor_ikm_units`` (``kode_opd``, ``unit_layanan``, ``mean_answer``), ``contradictions``
        (``nip``, ``periode``, the ``rating_hasil_kerja`` given and the indicators' ``capaian``)
        and ``missing`` (``perilaku`` and ``skp``: NIP and period without rows, and so without a
        ``penilaian`` row; ``realisasi``: TW4 indicators not reported yet, whose year realisation
        is empty too; ``kehadiran``: NIPs without any row). Raters, curve OPDs and poor units come
        one per city.

    Examples
    --------
    >>> city = generate(300, seed=1)
    >>> sorted(city.tables) == sorted(["opd", "pegawai", "skp", "perilaku", "kehadiran",
    ...                                "survei", "aktivitas", "penilaian", "organisasi"])
    True
    """
    world = prepare(n_pegawai, seed, tahun, plant, instansi)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in FACT_TABLES}
    for chunk in chunks(world, global_nips=True):
        for name, frame in chunk.items():
            parts[name].append(frame)
    tables = {
        "opd": world.opd,
        "pegawai": world.pegawai,
        "survei": world.survei,
        "organisasi": world.organisasi,
    }
    for name, frames in parts.items():
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        for column in frame.columns:
            if TABLES[name].column(column).kind == "nip":
                frame[column] = frame[column].cat.remove_unused_categories()
        tables[name] = frame
    order = TABLE_ORDER if instansi is None else ("instansi", *TABLE_ORDER)
    tables["instansi"] = world.instansi
    return SampleCity({name: tables[name] for name in order}, world.planted)


# --- writing -----------------------------------------------------------------------------------


def _arrow(frame: pd.DataFrame):
    """Convert to a pyarrow table, categoricals dictionary-encoded (int32 indices, strings)."""
    import pyarrow as pa

    arrays, names = [], []
    for name, column in frame.items():
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy().astype(np.int32)
            categories = np.asarray(column.cat.categories, dtype=object)
            array = pa.DictionaryArray.from_arrays(
                pa.array(codes, mask=codes < 0), pa.array(categories, type=pa.string())
            )
        elif pd.api.types.is_string_dtype(column.dtype):
            array = pa.array(column.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
        else:
            array = pa.array(column.to_numpy(), from_pandas=True)
        arrays.append(array)
        names.append(name)
    return pa.Table.from_arrays(arrays, names=names)


class _Sink:
    """Writes tables into a folder, chunk after chunk: CSV appends, Parquet row groups."""

    def __init__(self, folder: Path, fmt: str) -> None:
        self.folder = folder
        self.format = fmt
        self.writers: dict[str, Any] = {}
        self.rows: dict[str, int] = {}

    def path(self, name: str) -> Path:
        return self.folder / f"{name}.{self.format}"

    def write(self, name: str, frame: pd.DataFrame) -> None:
        first = name not in self.rows
        self.rows[name] = self.rows.get(name, 0) + len(frame)
        with writing(self.path(name)) as path:
            if self.format == "csv":
                frame.to_csv(path, mode="w" if first else "a", header=first, index=False)
                return
            import pyarrow.parquet as pq

            table = _arrow(frame)
            if first:
                self.writers[name] = pq.ParquetWriter(path, table.schema, compression="zstd")
            self.writers[name].write_table(table)

    def close(self) -> None:
        try:
            for name, writer in self.writers.items():
                with writing(self.path(name)):
                    writer.close()
        finally:
            self.writers.clear()


_OWN_FILES = frozenset(
    f"{t}.{ext}" for t in ("instansi", *TABLE_ORDER) for ext in ("csv", "parquet", "xlsx")
) | {
    "planted.json",
    PROFILE_FILE,
}


def write_sample(
    out: Path | str,
    n_pegawai: int = 2500,
    seed: int = 2025,
    tahun: int = 2025,
    format: str = "csv",
    workbook: Path | str | None = None,
    *,
    plant: bool = True,
    instansi: int | None = None,
) -> dict[str, Any]:
    """Generate a fictional city and write it as a dataset folder (and optionally a workbook).

    Parameters
    ----------
    out : Path or str
        The dataset folder: one file per table (``opd.csv`` … or ``.parquet``) and
        ``planted.json``. Replaced as a whole once everything is written, so a crash never
        leaves half a dataset; an existing folder may hold only files of a previous sample.
    n_pegawai, seed, tahun, plant, instansi
        As in :func:`generate` (with ``instansi``, also ``instansi.csv``).
    format : {"csv", "parquet"}, default "csv"
        File format of the tables. Parquet is written chunk by chunk, with NIPs, codes and
        repeated texts dictionary-encoded, so large samples stay within bounded memory.
    workbook : Path or str, optional
        Also write the same data as one Excel workbook, a sheet per table, with e-Kinerja
        headers ("NIP Pegawai", "Unit Kerja" …), NIPs with spaces and mixed label forms. Keep it
        out of ``out`` (the loader takes a folder of table files or a folder with one workbook).

    Returns
    -------
    dict
        ``rows`` per table, the ``files`` written, ``workbook`` (or None) and ``planted``.

    Raises
    ------
    ValueError
        For an unknown format, a workbook inside ``out``, a folder holding other files, or a
        table too large for an Excel sheet (nothing is written then).
    WriteError
        When a file cannot be written (disk full, no permission…): the message names it; ``out``
        and ``workbook`` are as they were.

    Examples
    --------
    >>> summary = write_sample("data/sample", n_pegawai=300)  # doctest: +SKIP
    >>> summary["rows"]["pegawai"]  # doctest: +SKIP
    300
    """
    fmt = format.lower().lstrip(".")
    if fmt not in ("csv", "parquet"):
        raise UsageError(f"format harus 'csv' atau 'parquet', bukan {format!r}")
    out = Path(out)
    book = Path(workbook) if workbook is not None else None
    if book is not None:
        if book.resolve().parent == out.resolve():
            raise UsageError(
                "simpan buku kerja di luar folder data: satu folder berisi berkas tabel atau "
                "satu buku kerja, tidak keduanya"
            )
    if out.exists():
        foreign = sorted(p.name for p in out.iterdir() if p.name not in _OWN_FILES)
        if foreign or not out.is_dir():
            raise UsageError(
                f"folder {out} berisi berkas lain ({', '.join(foreign[:3]) or out.name}); "
                "pilih folder kosong atau folder contoh sebelumnya"
            )
    city = _workbook_city(n_pegawai, seed, tahun, plant, instansi) if book is not None else None
    with (
        staging_folder(out.parent, prefix=f".{out.name}.tmp-", shown=out) as staging,
        contextlib.ExitStack() as pending,
    ):
        rows, planted = _write_tables(staging, fmt, city, n_pegawai, seed, tahun, plant, instansi)
        text = json.dumps(planted, ensure_ascii=False, indent=2)
        with writing(staging / "planted.json") as path:
            path.write_text(text + "\n", encoding="utf-8")
        if book is not None and city is not None:
            # The workbook replaces the old one only after the folder is in place.
            book_tmp = pending.enter_context(atomic_path(book))
            write_workbook(book_tmp, city.tables, int(seed))
            # A workbook's profile is the profil.toml beside it.
            profile = pending.enter_context(atomic_path(book.parent / PROFILE_FILE))
            profile.write_text(_profile_text(city.tables["pegawai"]), encoding="utf-8")
        replace_folder(staging, out)
    files = [str(out / f"{name}.{fmt}") for name in rows]
    files += [str(out / "planted.json"), str(out / PROFILE_FILE)]
    return {
        "folder": str(out),
        "format": fmt,
        "rows": rows,
        "files": files,
        "workbook": str(book) if book is not None else None,
        "planted": str(out / "planted.json"),
    }


def _workbook_city(
    n_pegawai: int, seed: int, tahun: int, plant: bool, instansi: int | None
) -> SampleCity:
    """Generate in memory for a workbook, refusing tables longer than an Excel sheet."""
    estimate = estimate_rows(int(n_pegawai))
    if estimate > EXCEL_MAX_ROWS:
        raise UsageError(too_big("aktivitas", estimate))
    city = generate(n_pegawai, seed, tahun, plant=plant, instansi=instansi)
    for name, frame in city.tables.items():
        if len(frame) > EXCEL_MAX_ROWS:
            raise UsageError(too_big(name, len(frame)))
    return city


def _profile_text(pegawai: pd.DataFrame) -> str:
    """Write the sample city's ``profil.toml``: the head of its (first) BKPSDM signs."""
    bkpsdm = pegawai[pegawai["kode_opd"].astype("str").str.endswith("BKPSDM")]
    head = bkpsdm[bkpsdm["jenis_jabatan"].astype("str") == "JPT"].head(1)
    if head.empty:
        head = pegawai.head(1)
    row = head.iloc[0]
    golongan = str(row["golongan"])
    names = {code: name for name, code in PANGKAT.items()}
    pangkat = f"{names[golongan]}, {golongan}" if golongan in names else None
    nip = str(row["nip"])
    lines = [
        "# Profil kota contoh (fiktif): siapa yang menerbitkan dan menandatangani dokumen.",
        'pemerintah = "Pemerintah Kota Sukamaju"',
        'penyelenggara = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"',
        'zona_waktu = "WIB"',
        'tempat = "Sukamaju"',
        'alamat = "Jl. Merdeka No. 1, Sukamaju"',
        "",
        "[penandatangan]",
        f"nama = {json.dumps(str(row['nama']), ensure_ascii=False)}",
        f'nip = "{format_nip(pd.Series([nip])).iloc[0]}"',
        'jabatan = "Kepala BKPSDM"',
    ]
    if pangkat:
        lines.append(f"pangkat = {json.dumps(pangkat, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def _write_tables(
    folder: Path,
    fmt: str,
    city: SampleCity | None,
    n_pegawai: int,
    seed: int,
    tahun: int,
    plant: bool,
    instansi: int | None = None,
) -> tuple[dict[str, int], dict[str, Any]]:
    """Write every table into ``folder``: from ``city`` when given, else chunk by chunk."""
    sink = _Sink(folder, fmt)
    try:
        if city is not None:
            for name, frame in city.tables.items():
                sink.write(name, frame)
            planted, pegawai = city.planted, city.tables["pegawai"]
        else:
            world = prepare(n_pegawai, seed, tahun, plant, instansi)
            pegawai = world.pegawai
            for name in ("instansi", *STATIC_TABLES) if instansi else STATIC_TABLES:
                sink.write(name, getattr(world, name))
            for chunk in chunks(world, global_nips=False):
                for name, frame in chunk.items():
                    sink.write(name, frame)
            planted = world.planted
    finally:
        sink.close()
    with writing(folder / PROFILE_FILE) as path:
        path.write_text(_profile_text(pegawai), encoding="utf-8")
    order = TABLE_ORDER if instansi is None else ("instansi", *TABLE_ORDER)
    return {name: sink.rows.get(name, 0) for name in order}, planted
