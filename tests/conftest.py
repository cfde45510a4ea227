"""Shared fixtures: an isolated cache, and a tiny valid dataset that tests break on purpose."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

NIP_A = "196608011988031001"  # Kepala Dinas Kesehatan
NIP_B = "198001012005012002"  # Kepala Puskesmas, reports to A
NIP_C = "199003152015031003"  # perawat, reports to B
NIP_D = "198512202010122004"  # Kepala BKPSDM


@pytest.fixture(autouse=True)
def isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own cache folder; the user's cache is never touched."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("ASN_EVAL_CACHE", str(folder))
    return folder


def tiny_tables() -> dict[str, pd.DataFrame]:
    """A small dataset that satisfies every rule of the input contract."""
    u = {f"u{i}": ["3", "4"] for i in range(1, 10)}
    return {
        "opd": pd.DataFrame(
            {
                "kode_opd": ["DINKES", "PKM1", "BKPSDM"],
                "nama_opd": ["Dinas Kesehatan", "Puskesmas Satu", "BKPSDM"],
                "jenis": ["dinas", "upt", "badan"],
                "induk": ["", "DINKES", ""],
            }
        ),
        "pegawai": pd.DataFrame(
            {
                "nip": [NIP_A, NIP_B, NIP_C, NIP_D],
                "nama": ["Budi Santoso", "Sari Dewi", "Andi Pratama", "Rina Wati"],
                "kode_opd": ["DINKES", "PKM1", "PKM1", "BKPSDM"],
                "unit_kerja": ["Pimpinan", "Pimpinan", "Pelayanan", "Pimpinan"],
                "jabatan": [
                    "Kepala Dinas",
                    "Kepala Puskesmas",
                    "Perawat Ahli Pertama",
                    "Kepala Badan",
                ],
                "jenis_jabatan": ["JPT", "Administrator", "Fungsional", "JPT"],
                "golongan": ["IV/c", "III/d", "III/a", "IV/b"],
                "status": ["PNS", "PNS", "PNS", "PNS"],
                "nip_atasan": ["", NIP_A, NIP_B, ""],
                "jenis_kelamin": ["L", "P", "L", "P"],
            }
        ),
        "skp": pd.DataFrame(
            {
                "periode": ["2025-TW1"] * 3,
                "nip": [NIP_C] * 3,
                "rhk_id": ["RHK-1"] * 3,
                "rhk": ["Pelayanan keperawatan terlaksana"] * 3,
                "jenis_rhk": ["utama"] * 3,
                "aspek": ["kuantitas", "kualitas", "waktu"],
                "indikator": ["Jumlah pasien dilayani", "Kepuasan pasien", "Waktu tunggu"],
                "target": ["100", "90", "12"],
                "realisasi": ["95", "92.5", "12"],
                "satuan": ["pasien", "%", "menit"],
                "arah": ["naik", "naik", "turun"],
                "rating_atasan": ["Sesuai Ekspektasi"] * 3,
            }
        ),
        "perilaku": pd.DataFrame(
            {
                "periode": ["2025-TW1", "2025-TW1"],
                "nip": [NIP_C, NIP_C],
                "nip_penilai": [NIP_B, ""],
                "peran_penilai": ["atasan", "diri"],
                "nilai_inti": ["Kolaboratif", "Kolaboratif"],
                "skor": ["4", "5"],
            }
        ),
        "kehadiran": pd.DataFrame(
            {
                "periode": ["2025-TW1"],
                "nip": [NIP_C],
                "hari_kerja": ["62"],
                "hadir": ["60"],
                "terlambat_menit": ["35"],
                "tanpa_keterangan": ["1"],
                "cuti": ["1"],
            }
        ),
        "survei": pd.DataFrame(
            {
                "periode": ["2025-TW1"] * 2,
                "kode_opd": ["PKM1"] * 2,
                "unit_layanan": ["Puskesmas Satu"] * 2,
                "responden": ["R1", "R2"],
                **u,
            }
        ),
        "aktivitas": pd.DataFrame(
            {
                "tanggal": ["2025-01-06", "2025-01-06"],
                "nip": [NIP_C, NIP_C],
                "uraian": ["Melayani pasien rawat jalan", "Menyusun laporan harian"],
                "durasi_menit": ["300", "120"],
                "rhk_id": ["RHK-1", "RHK-1"],
                "status": ["disetujui", "menunggu"],
                "nip_penyetuju": [NIP_B, ""],
            }
        ),
        "penilaian": pd.DataFrame(
            {
                "periode": ["2025-TW1"],
                "nip": [NIP_C],
                "rating_hasil_kerja": ["Sesuai Ekspektasi"],
                "rating_perilaku": ["Sesuai Ekspektasi"],
                "predikat": ["Baik"],
            }
        ),
        "organisasi": pd.DataFrame(
            {
                "periode": ["2025-TW1"],
                "kode_opd": ["PKM1"],
                "predikat_organisasi": ["Baik"],
                "capaian": ["95.5"],
            }
        ),
    }


def write_tables(tables: dict[str, pd.DataFrame], folder: Path, fmt: str = "csv") -> Path:
    """Write tables as one file each (csv, xlsx, parquet) or one workbook (``workbook``)."""
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "workbook":
        with pd.ExcelWriter(folder / "data.xlsx", engine="xlsxwriter") as writer:
            for name, frame in tables.items():
                frame.to_excel(writer, sheet_name=name, index=False)
        return folder
    for name, frame in tables.items():
        if fmt == "csv":
            frame.to_csv(folder / f"{name}.csv", index=False)
        elif fmt == "xlsx":
            frame.to_excel(folder / f"{name}.xlsx", index=False, engine="xlsxwriter")
        else:
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


@pytest.fixture
def make_dataset(tmp_path: Path) -> Callable[..., Path]:
    """Write the tiny dataset after applying ``change(tables)``; return its folder."""
    counter = iter(range(1000))

    def make(
        change: Callable[[dict[str, pd.DataFrame]], None] | None = None, fmt: str = "csv"
    ) -> Path:
        tables = tiny_tables()
        if change is not None:
            change(tables)
        return write_tables(tables, tmp_path / f"ds{next(counter)}", fmt)

    return make
