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
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from asn_eval.atomic import atomic_path, replace_folder, staging_folder
from asn_eval.errors import UsageError
from asn_eval.input import vocab
from asn_eval.input.contract import TABLES
from asn_eval.input.nip import format_nip
from asn_eval.input.periode import periode_dtype

__all__ = ["SampleCity", "generate", "write_sample"]

CITY_SIZE = 2_500
"""Employees per city when a sample is larger than one city."""

MAX_SINGLE_CITY = 5_000
"""Up to this many employees the sample is one city."""

MIN_PEGAWAI = 100
"""The smallest city that still has every kind of OPD and every planted fact."""

EXCEL_MAX_ROWS = 1_048_575
"""Data rows an Excel sheet can hold below its header row."""

CHUNK = 50_000
"""Employees per chunk of the fact tables.

Each chunk draws from its own random stream, derived from the seed and the chunk's index, so the
data depend only on (n_pegawai, seed, tahun, plant): this is a fixed part of what a seed means,
not a tuning knob (changing it would change the data, not just the memory used).
"""

FACT_TABLES = ("skp", "perilaku", "kehadiran", "aktivitas", "penilaian")
STATIC_TABLES = ("opd", "pegawai", "survei", "organisasi")
TABLE_ORDER = tuple(TABLES)

# --- positions --------------------------------------------------------------------------------

_HEAD, _ADMIN, _PENGAWAS, _KEPSEK, _GURU, _FUNGSIONAL, _PELAKSANA = range(7)
_JPT, _ADM, _PGW, _FUN, _PLK = range(5)  # positions in vocab.JENIS_JABATAN.values
_DIRI, _ATASAN, _REKAN, _BAWAHAN = range(4)  # positions in vocab.PERAN_PENILAI.values
_BAWAH, _SESUAI, _ATAS = range(3)  # positions in vocab.LEVEL.values
_NORMAL, _LENIENT, _SEVERE = range(3)  # rater styles
_BIAS = 1.3  # planted rater bias; with scores clipped at 1 and 5 others see about ±1.2
_PEER_HEAD, _PEER_ADMIN, _PEER_PENGAWAS, _PEER_KEPSEK, _PEER_STAFF = range(5)  # peer groups


@dataclass(frozen=True)
class _Unit:
    """A sub-unit of an OPD: its leader's post and where its staff sit."""

    name: str
    leader: str | None  # the leader's jabatan; None: staff report to the parent's leader
    kind: int = _ADMIN  # _ADMIN or _PENGAWAS
    parent: int = -1  # index of the parent unit; -1 is the head of the OPD
    weight: float = 1.0  # share of the OPD's staff
    staff: str = "any"  # "any", "fungsional" or "pelaksana"


@dataclass(frozen=True)
class _OpdSpec:
    """One kind of OPD of the city template."""

    code: str
    name: str
    jenis: str
    family: str
    weight: float
    priority: int
    fungsional: float
    jf: tuple[tuple[str, float], ...]
    units: tuple[_Unit, ...]
    head: str
    head_jenis: int = _JPT
    layanan: tuple[str, ...] = ()


def _dinas(
    code: str,
    name: str,
    jenis: str,
    family: str,
    weight: float,
    priority: int,
    fungsional: float,
    jf: tuple[tuple[str, float], ...],
    bidang: tuple[str, ...],
    layanan: tuple[str, ...] = (),
) -> _OpdSpec:
    """Describe a Dinas or Badan: a Sekretariat with two Subbagian, and Bidang each with a Seksi.

    Units are listed in the order they open as the OPD grows (one leader per five employees).
    """
    sekretariat = _Unit("Sekretariat", "Sekretaris", _ADMIN, -1, 0.4)
    umum = _Unit("Subbagian Umum dan Kepegawaian", "Kepala Subbagian Umum dan Kepegawaian",
                 _PENGAWAS, 0, 0.8)  # fmt: skip
    keuangan = _Unit("Subbagian Perencanaan dan Keuangan",
                     "Kepala Subbagian Perencanaan dan Keuangan", _PENGAWAS, 0, 0.8)  # fmt: skip
    sub = "Seksi" if jenis == "dinas" else "Subbidang"
    units = [sekretariat]
    for i, b in enumerate(bidang):
        parent = len(units)
        units.append(_Unit(f"Bidang {b}", f"Kepala Bidang {b}", _ADMIN, -1, 0.3))
        units.append(_Unit(f"{sub} {b}", f"Kepala {sub} {b}", _PENGAWAS, parent, 1.0))
        if i < 2:
            units.append((umum, keuangan)[i])
    return _OpdSpec(code, name, jenis, family, weight, priority, fungsional, jf, tuple(units),
                    f"Kepala {name}", _JPT, layanan)  # fmt: skip


_SETDA = _OpdSpec(
    "SETDA", "Sekretariat Daerah", "sekretariat", "umum", 2.2, 0, 0.3,
    (("Analis Kebijakan", 1.0), ("Perencana", 0.4), ("Pranata Hubungan Masyarakat", 0.5),
     ("Pengelola Pengadaan Barang/Jasa", 0.5), ("Analis Hukum", 0.5)),
    (
        _Unit("Bagian Umum", "Kepala Bagian Umum", _ADMIN, -1, 1.0),
        _Unit("Bagian Pemerintahan", "Kepala Bagian Pemerintahan"),
        _Unit("Subbagian Tata Usaha Pimpinan", "Kepala Subbagian Tata Usaha Pimpinan",
              _PENGAWAS, 0),
        _Unit("Bagian Hukum", "Kepala Bagian Hukum"),
        _Unit("Bagian Organisasi", "Kepala Bagian Organisasi"),
        _Unit("Subbagian Rumah Tangga", "Kepala Subbagian Rumah Tangga", _PENGAWAS, 0),
        _Unit("Bagian Perekonomian dan Sumber Daya Alam",
              "Kepala Bagian Perekonomian dan Sumber Daya Alam"),
        _Unit("Bagian Pengadaan Barang dan Jasa", "Kepala Bagian Pengadaan Barang dan Jasa"),
        _Unit("Bagian Protokol dan Komunikasi Pimpinan",
              "Kepala Bagian Protokol dan Komunikasi Pimpinan"),
    ),
    "Sekretaris Daerah",
)  # fmt: skip

_OPD_TEMPLATE: tuple[_OpdSpec, ...] = (
    _SETDA,
    _OpdSpec(
        "SETWAN", "Sekretariat DPRD", "sekretariat", "umum", 1.0, 5, 0.25,
        (("Analis Kebijakan", 1.0), ("Arsiparis", 0.5), ("Pranata Hubungan Masyarakat", 0.5)),
        (
            _Unit("Bagian Umum dan Keuangan", "Kepala Bagian Umum dan Keuangan"),
            _Unit("Bagian Persidangan dan Perundang-undangan",
                  "Kepala Bagian Persidangan dan Perundang-undangan"),
            _Unit("Subbagian Tata Usaha dan Kepegawaian",
                  "Kepala Subbagian Tata Usaha dan Kepegawaian", _PENGAWAS, 0),
            _Unit("Bagian Fasilitasi Penganggaran dan Pengawasan",
                  "Kepala Bagian Fasilitasi Penganggaran dan Pengawasan"),
        ),
        "Sekretaris DPRD",
    ),
    _OpdSpec(
        "INSPEKTORAT", "Inspektorat", "inspektorat", "pengawasan", 1.1, 1, 0.7,
        (("Auditor", 1.0), ("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", 1.0)),
        (
            _Unit("Sekretariat", "Sekretaris", _ADMIN, -1, 0.5),
            _Unit("Inspektorat Pembantu Wilayah I", "Inspektur Pembantu Wilayah I"),
            _Unit("Inspektorat Pembantu Wilayah II", "Inspektur Pembantu Wilayah II"),
            _Unit("Subbagian Umum dan Keuangan", "Kepala Subbagian Umum dan Keuangan",
                  _PENGAWAS, 0, 0.5),
            _Unit("Inspektorat Pembantu Wilayah III", "Inspektur Pembantu Wilayah III"),
            _Unit("Inspektorat Pembantu Wilayah IV", "Inspektur Pembantu Wilayah IV"),
        ),
        "Inspektur",
    ),
    _dinas("DISDIK", "Dinas Pendidikan", "dinas", "umum", 1.4, 0, 0.35,
           (("Pengawas Sekolah", 1.0), ("Penilik", 0.4), ("Analis Kebijakan", 0.3),
            ("Pranata Komputer", 0.3)),
           ("Pembinaan Sekolah Dasar", "Pembinaan Sekolah Menengah Pertama",
            "Pendidikan Anak Usia Dini dan Nonformal", "Guru dan Tenaga Kependidikan")),
    _dinas("DINKES", "Dinas Kesehatan", "dinas", "kesehatan_masyarakat", 0.0, 0, 0.55,
           (("Epidemiolog Kesehatan", 1.0), ("Administrator Kesehatan", 1.0),
            ("Penyuluh Kesehatan Masyarakat", 1.0), ("Apoteker", 0.5), ("Sanitarian", 0.5),
            ("Nutrisionis", 0.3)),
           ("Kesehatan Masyarakat", "Pencegahan dan Pengendalian Penyakit",
            "Pelayanan Kesehatan", "Sumber Daya Kesehatan")),
    _dinas("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "dinas", "teknis", 1.8, 1, 0.35,
           (("Teknik Jalan dan Jembatan", 1.0), ("Teknik Pengairan", 0.6), ("Penata Ruang", 0.4)),
           ("Bina Marga", "Sumber Daya Air", "Cipta Karya", "Penataan Ruang")),
    _dinas("DINSOS", "Dinas Sosial", "dinas", "sosial", 1.0, 2, 0.4,
           (("Pekerja Sosial", 1.0), ("Penyuluh Sosial", 0.7)),
           ("Rehabilitasi Sosial", "Perlindungan dan Jaminan Sosial", "Pemberdayaan Sosial"),
           ("Pelayanan Kesejahteraan Sosial",)),
    _dinas("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "dinas", "perizinan", 1.2, 1,
           0.35, (("Administrator Database Kependudukan", 1.0), ("Pranata Komputer", 0.5)),
           ("Pelayanan Pendaftaran Penduduk", "Pelayanan Pencatatan Sipil",
            "Pengelolaan Informasi Administrasi Kependudukan"),
           ("Pelayanan Pendaftaran Penduduk", "Pelayanan Pencatatan Sipil")),
    _dinas("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "dinas",
           "perizinan", 1.0, 1, 0.3, (("Analis Kebijakan", 1.0), ("Pranata Komputer", 0.5)),
           ("Pelayanan Perizinan", "Penanaman Modal", "Pengaduan dan Pengawasan"),
           ("Mal Pelayanan Publik",)),
    _dinas("DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas", "perencanaan", 0.9, 2, 0.45,
           (("Pranata Komputer", 1.0), ("Pranata Hubungan Masyarakat", 0.7), ("Statistisi", 0.5),
            ("Sandiman", 0.3)),
           ("Informasi dan Komunikasi Publik", "Aplikasi Informatika", "Statistik dan Persandian")),
    _dinas("DISHUB", "Dinas Perhubungan", "dinas", "teknis", 1.3, 3, 0.35,
           (("Penguji Kendaraan Bermotor", 1.0), ("Analis Kebijakan", 0.3)),
           ("Lalu Lintas", "Angkutan", "Sarana dan Prasarana"),
           ("Pengujian Kendaraan Bermotor",)),
    _dinas("DLH", "Dinas Lingkungan Hidup", "dinas", "teknis", 1.6, 3, 0.3,
           (("Pengendali Dampak Lingkungan", 1.0), ("Pengawas Lingkungan Hidup", 0.5)),
           ("Pengelolaan Sampah", "Penataan dan Penaatan Lingkungan", "Pengendalian Pencemaran",
            "Pertamanan")),
    _dinas("SATPOLPP", "Satuan Polisi Pamong Praja", "dinas", "ketertiban", 2.0, 2, 0.55,
           (("Polisi Pamong Praja", 1.0),),
           ("Penegakan Peraturan Daerah", "Ketertiban Umum dan Ketenteraman Masyarakat",
            "Perlindungan Masyarakat")),
    _dinas("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "dinas", "teknis", 0.9, 6, 0.3,
           (("Teknik Tata Bangunan dan Perumahan", 1.0),),
           ("Perumahan", "Kawasan Permukiman", "Pertanahan")),
    _dinas("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "dinas", "sosial", 0.7, 6,
           0.35, (("Penyuluh Sosial", 0.5), ("Analis Kebijakan", 0.5)),
           ("Perlindungan Perempuan dan Anak", "Pemberdayaan Perempuan",
            "Pengendalian Penduduk dan Keluarga Berencana")),
    _dinas("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "badan", "perencanaan", 1.0, 1, 0.5,
           (("Perencana", 1.0), ("Analis Kebijakan", 0.4)),
           ("Perencanaan Pemerintahan dan Pembangunan Manusia", "Perekonomian dan Infrastruktur",
            "Penelitian dan Pengembangan")),
    _dinas("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan", "keuangan", 1.3, 0, 0.3,
           (("Analis Keuangan Pusat dan Daerah", 1.0), ("Pranata Komputer", 0.3)),
           ("Anggaran", "Perbendaharaan", "Akuntansi", "Aset")),
    _dinas("BAPENDA", "Badan Pendapatan Daerah", "badan", "keuangan", 1.2, 2, 0.25,
           (("Analis Keuangan Pusat dan Daerah", 1.0), ("Pranata Komputer", 0.3)),
           ("Pendataan dan Penetapan", "Penagihan dan Keberatan", "Pajak Bumi dan Bangunan"),
           ("Pelayanan Pajak Daerah",)),
    _dinas("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "badan", "umum",
           1.0, 0, 0.45,
           (("Analis Sumber Daya Manusia Aparatur", 1.0), ("Asesor Sumber Daya Manusia Aparatur",
            0.3), ("Pranata Komputer", 0.3)),
           ("Pengadaan dan Informasi Kepegawaian", "Mutasi dan Promosi",
            "Pengembangan Kompetensi", "Penilaian Kinerja dan Penghargaan")),
    _dinas("BPBD", "Badan Penanggulangan Bencana Daerah", "badan", "ketertiban", 0.8, 4, 0.3,
           (("Penata Penanggulangan Bencana", 1.0),),
           ("Pencegahan dan Kesiapsiagaan", "Kedaruratan dan Logistik",
            "Rehabilitasi dan Rekonstruksi")),
    _dinas("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", "badan", "ketertiban", 0.5, 5, 0.2,
           (("Analis Kebijakan", 1.0),),
           ("Ideologi dan Wawasan Kebangsaan", "Politik Dalam Negeri",
            "Ketahanan Ekonomi, Sosial, Budaya dan Agama")),
)  # fmt: skip

_KECAMATAN = _OpdSpec(
    "KEC", "Kecamatan", "kecamatan", "kewilayahan", 0.9, 3, 0.15, (("Analis Kebijakan", 1.0),),
    (), "Camat", _ADM, ("Pelayanan Administrasi Terpadu Kecamatan",),
)  # fmt: skip

_PUSKESMAS = _OpdSpec(
    "PKM", "Puskesmas", "upt", "kesehatan_layanan", 0.0, 0, 0.85,
    (("Perawat", 3.0), ("Bidan", 2.5), ("Dokter", 1.0), ("Dokter Gigi", 0.3), ("Apoteker", 0.3),
     ("Asisten Apoteker", 0.4), ("Nutrisionis", 0.4), ("Sanitarian", 0.4),
     ("Pranata Laboratorium Kesehatan", 0.4), ("Perekam Medis", 0.4),
     ("Penyuluh Kesehatan Masyarakat", 0.3)),
    (
        _Unit("Subbagian Tata Usaha", "Kepala Subbagian Tata Usaha", _PENGAWAS, -1, 1.0,
              "pelaksana"),
        _Unit("Upaya Kesehatan Perorangan", None, _ADMIN, -1, 0.6, "fungsional"),
        _Unit("Upaya Kesehatan Masyarakat", None, _ADMIN, -1, 0.4, "fungsional"),
    ),
    "Kepala Puskesmas", _PGW,
)  # fmt: skip

_CURVE_CANDIDATES = ("BAPENDA", "DISHUB", "DLH", "DPUPR", "DINSOS", "BPKAD", "SATPOLPP")
"""OPD a planted distribution-curve violation may be placed in, in order of preference."""

# Functional positions: name → share of the skilled track (Terampil, Mahir, Penyelia).
_JF_TRACK: dict[str, float] = {
    "Guru": 0.0, "Pengawas Sekolah": 0.0, "Penilik": 0.0, "Analis Kebijakan": 0.0,
    "Perencana": 0.0, "Analis Hukum": 0.0, "Pengelola Pengadaan Barang/Jasa": 0.0,
    "Analis Keuangan Pusat dan Daerah": 0.0, "Analis Sumber Daya Manusia Aparatur": 0.0,
    "Asesor Sumber Daya Manusia Aparatur": 0.0, "Pengendali Dampak Lingkungan": 0.0,
    "Pengawas Lingkungan Hidup": 0.0, "Penata Ruang": 0.0,
    "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah": 0.0, "Dokter": 0.0,
    "Dokter Gigi": 0.0, "Apoteker": 0.0, "Epidemiolog Kesehatan": 0.0,
    "Administrator Kesehatan": 0.0, "Penyuluh Kesehatan Masyarakat": 0.0,
    "Asisten Apoteker": 1.0, "Statistisi": 0.4, "Pekerja Sosial": 0.4, "Penyuluh Sosial": 0.4,
    "Auditor": 0.4, "Pranata Komputer": 0.4, "Pranata Hubungan Masyarakat": 0.4, "Arsiparis": 0.4,
    "Sandiman": 0.4, "Penguji Kendaraan Bermotor": 0.5, "Polisi Pamong Praja": 0.5,
    "Teknik Jalan dan Jembatan": 0.4, "Teknik Pengairan": 0.4,
    "Teknik Tata Bangunan dan Perumahan": 0.4, "Administrator Database Kependudukan": 0.4,
    "Penata Penanggulangan Bencana": 0.4, "Perawat": 0.5, "Bidan": 0.5, "Nutrisionis": 0.4,
    "Sanitarian": 0.4, "Pranata Laboratorium Kesehatan": 0.4, "Perekam Medis": 0.4,
}  # fmt: skip
_JF_NAMES = tuple(_JF_TRACK)
_JF_INDEX = {name: i for i, name in enumerate(_JF_NAMES)}
_JENJANG = (
    "Ahli Pertama",
    "Ahli Muda",
    "Ahli Madya",
    "Ahli Utama",
    "Terampil",
    "Mahir",
    "Penyelia",
)
_PELAKSANA_TITLES = (
    ("Pengadministrasi Perkantoran", 3.0), ("Penata Layanan Operasional", 2.0),
    ("Operator Layanan Operasional", 2.0), ("Pengolah Data dan Informasi", 1.5),
    ("Pengelola Layanan Operasional", 1.0),
)  # fmt: skip
_HEALTH_JF = frozenset(
    {name for name, _ in _PUSKESMAS.jf} | {"Epidemiolog Kesehatan", "Administrator Kesehatan"}
)

# --- SKP templates ----------------------------------------------------------------------------
# Each RHK: (text, kuantitas (indicator, satuan, target low, target high per quarter),
# kualitas (indicator, satuan, target), waktu (indicator, satuan, target, arah)).

_Rhk = tuple[str, tuple[str, str, int, int], tuple[str, str, int], tuple[str, str, int, str]]

_RHK: dict[str, tuple[_Rhk, ...]] = {
    "pimpinan": (
        ("Meningkatnya capaian indikator kinerja utama unit kerja",
         ("Jumlah indikator kinerja utama unit kerja yang tercapai", "indikator", 3, 6),
         ("Persentase capaian indikator kinerja utama", "%", 90),
         ("Ketepatan waktu penyampaian laporan kinerja unit", "%", 90, "naik")),
        ("Terlaksananya pembinaan dan pengembangan kompetensi pegawai",
         ("Jumlah pegawai yang dibina dan dikembangkan kompetensinya", "orang", 3, 12),
         ("Persentase pegawai dengan predikat kinerja minimal Baik", "%", 90),
         ("Waktu penyelesaian penilaian kinerja bawahan", "hari", 10, "turun")),
        ("Terwujudnya akuntabilitas kinerja dan keuangan unit kerja",
         ("Jumlah dokumen akuntabilitas yang ditetapkan", "dokumen", 1, 3),
         ("Persentase realisasi anggaran unit kerja", "%", 85),
         ("Waktu penyampaian laporan realisasi anggaran", "hari", 7, "turun")),
        ("Meningkatnya kualitas pelayanan publik unit kerja",
         ("Jumlah inovasi pelayanan yang diterapkan", "inovasi", 1, 2),
         ("Nilai indeks kepuasan masyarakat unit kerja", "nilai", 80),
         ("Waktu tindak lanjut pengaduan masyarakat", "hari", 5, "turun")),
        ("Terkendalinya pelaksanaan program dan kegiatan unit kerja",
         ("Jumlah rapat evaluasi program yang dipimpin", "kegiatan", 3, 6),
         ("Persentase kegiatan yang terlaksana sesuai rencana", "%", 90),
         ("Ketepatan waktu pelaksanaan kegiatan sesuai jadwal", "%", 90, "naik")),
    ),
    "guru": (
        ("Terlaksananya pembelajaran yang berpusat pada peserta didik",
         ("Jumlah jam pelajaran tatap muka yang dilaksanakan", "jam pelajaran", 240, 300),
         ("Persentase peserta didik yang mencapai kriteria ketercapaian tujuan pembelajaran",
          "%", 80),
         ("Ketepatan waktu penyelesaian materi sesuai alur tujuan pembelajaran", "%", 90, "naik")),
        ("Tersusunnya perangkat pembelajaran yang sesuai Kurikulum Merdeka",
         ("Jumlah modul ajar yang disusun", "dokumen", 3, 6),
         ("Nilai hasil supervisi perangkat ajar oleh kepala sekolah", "nilai", 85),
         ("Waktu penyusunan modul ajar", "hari", 14, "turun")),
        ("Terlaksananya penilaian hasil belajar peserta didik",
         ("Jumlah laporan hasil penilaian yang disusun", "laporan", 2, 4),
         ("Persentase nilai yang diunggah ke e-Rapor tanpa koreksi", "%", 90),
         ("Waktu pengolahan nilai setelah asesmen", "hari", 7, "turun")),
        ("Terlaksananya projek penguatan profil pelajar Pancasila",
         ("Jumlah projek yang difasilitasi", "projek", 1, 2),
         ("Persentase peserta didik yang aktif dalam projek", "%", 85),
         ("Ketepatan waktu pelaksanaan projek sesuai jadwal", "%", 90, "naik")),
        ("Terlaksananya bimbingan dan konseling bagi peserta didik",
         ("Jumlah peserta didik yang mendapat layanan bimbingan", "orang", 20, 60),
         ("Persentase kasus peserta didik yang tertangani tuntas", "%", 85),
         ("Waktu tindak lanjut kasus peserta didik", "hari", 5, "turun")),
    ),
    "kesehatan_layanan": (
        ("Meningkatnya cakupan imunisasi dasar lengkap di wilayah kerja",
         ("Cakupan imunisasi dasar lengkap pada bayi", "bayi", 40, 120),
         ("Persentase kelurahan yang mencapai Universal Child Immunization", "%", 90),
         ("Waktu penyampaian laporan imunisasi setelah akhir bulan", "hari", 5, "turun")),
        ("Terlaksananya pelayanan kesehatan ibu hamil sesuai standar",
         ("Jumlah ibu hamil yang mendapat pelayanan antenatal", "orang", 30, 90),
         ("Persentase ibu hamil yang diperiksa sesuai standar", "%", 90),
         ("Waktu rujukan ibu hamil risiko tinggi", "jam", 24, "turun")),
        ("Terlaksananya pelayanan pasien rawat jalan yang bermutu",
         ("Jumlah kunjungan pasien yang dilayani", "pasien", 300, 900),
         ("Persentase rekam medis yang lengkap", "%", 90),
         ("Rata-rata waktu tunggu pelayanan pasien", "menit", 30, "turun")),
        ("Terkendalinya penyakit menular di wilayah kerja",
         ("Jumlah kasus tuberkulosis yang ditemukan dan diobati", "kasus", 5, 20),
         ("Persentase keberhasilan pengobatan tuberkulosis", "%", 88),
         ("Waktu penyelidikan epidemiologi setelah laporan kasus", "hari", 2, "turun")),
        ("Terlaksananya pelayanan kefarmasian dan laboratorium",
         ("Jumlah resep dan pemeriksaan yang dilayani", "resep", 500, 1500),
         ("Persentase pelayanan yang sesuai standar", "%", 90),
         ("Rata-rata waktu penyiapan obat", "menit", 15, "turun")),
    ),
    "kesehatan_masyarakat": (
        ("Tersusunnya profil kesehatan kota",
         ("Jumlah dokumen profil dan data kesehatan yang disusun", "dokumen", 1, 3),
         ("Persentase data puskesmas yang tervalidasi", "%", 90),
         ("Waktu penyusunan profil kesehatan", "hari", 30, "turun")),
        ("Meningkatnya cakupan imunisasi dasar lengkap tingkat kota",
         ("Jumlah puskesmas yang dibina dalam program imunisasi", "puskesmas", 3, 8),
         ("Cakupan imunisasi dasar lengkap tingkat kota", "%", 90),
         ("Ketepatan waktu distribusi vaksin ke puskesmas", "%", 90, "naik")),
        ("Terlaksananya pengawasan kualitas air minum dan sanitasi",
         ("Jumlah sampel air minum yang diperiksa", "sampel", 20, 60),
         ("Persentase sampel yang memenuhi syarat", "%", 85),
         ("Waktu penyampaian hasil uji kepada pengelola", "hari", 7, "turun")),
        ("Terlaksananya pembinaan fasilitas pelayanan kesehatan",
         ("Jumlah fasilitas kesehatan yang dibina", "fasyankes", 5, 15),
         ("Persentase fasilitas kesehatan yang terakreditasi", "%", 80),
         ("Waktu tindak lanjut hasil pembinaan", "hari", 14, "turun")),
        ("Terlaksananya promosi kesehatan dan pemberdayaan masyarakat",
         ("Jumlah kegiatan promosi kesehatan yang dilaksanakan", "kegiatan", 4, 12),
         ("Persentase posyandu aktif", "%", 85),
         ("Ketepatan waktu pelaporan promosi kesehatan", "%", 90, "naik")),
    ),
    "perizinan": (
        ("Terlayaninya permohonan perizinan berusaha secara tepat waktu",
         ("Jumlah izin yang diterbitkan", "izin", 80, 300),
         ("Persentase permohonan yang diproses tanpa pengembalian berkas", "%", 90),
         ("Waktu penyelesaian izin", "hari", 5, "turun")),
        ("Terlayaninya penerbitan dokumen kependudukan",
         ("Jumlah dokumen kependudukan yang diterbitkan", "dokumen", 500, 2000),
         ("Persentase dokumen terbit tanpa kesalahan data", "%", 95),
         ("Waktu penerbitan dokumen kependudukan", "hari", 3, "turun")),
        ("Terkelolanya pengaduan layanan",
         ("Jumlah pengaduan yang ditindaklanjuti", "pengaduan", 10, 40),
         ("Persentase pengaduan yang selesai", "%", 90),
         ("Waktu penyelesaian pengaduan", "hari", 5, "turun")),
        ("Meningkatnya kepatuhan pelaku usaha terhadap perizinan",
         ("Jumlah pelaku usaha yang diawasi", "pelaku usaha", 20, 60),
         ("Persentase laporan kegiatan penanaman modal yang masuk", "%", 80),
         ("Waktu penyampaian laporan pengawasan", "hari", 7, "turun")),
    ),
    "keuangan": (
        ("Dokumen laporan keuangan tersusun",
         ("Jumlah laporan keuangan yang disusun", "dokumen", 3, 6),
         ("Persentase laporan tanpa koreksi auditor", "%", 90),
         ("Waktu penyampaian laporan keuangan setelah akhir periode", "hari", 10, "turun")),
        ("Terlaksananya penatausahaan belanja daerah",
         ("Jumlah SP2D yang diterbitkan", "SP2D", 200, 800),
         ("Persentase SPM yang diverifikasi sesuai ketentuan", "%", 95),
         ("Waktu penerbitan SP2D", "hari", 2, "turun")),
        ("Meningkatnya penerimaan pajak daerah",
         ("Jumlah wajib pajak yang dilayani", "wajib pajak", 100, 400),
         ("Persentase realisasi penerimaan terhadap target", "%", 85),
         ("Waktu pemrosesan keberatan pajak", "hari", 14, "turun")),
        ("Tertatanya aset daerah",
         ("Jumlah aset yang diinventarisasi", "unit", 50, 200),
         ("Persentase aset dengan dokumen kepemilikan lengkap", "%", 80),
         ("Waktu rekonsiliasi aset", "hari", 10, "turun")),
    ),
    "pengawasan": (
        ("Terlaksananya audit kinerja perangkat daerah",
         ("Jumlah laporan hasil audit", "laporan", 2, 5),
         ("Persentase rekomendasi yang ditindaklanjuti", "%", 80),
         ("Waktu penyelesaian laporan hasil audit", "hari", 14, "turun")),
        ("Terlaksananya reviu laporan keuangan dan kinerja perangkat daerah",
         ("Jumlah laporan hasil reviu", "laporan", 2, 4),
         ("Nilai kendali mutu hasil reviu", "nilai", 85),
         ("Waktu penyelesaian reviu", "hari", 10, "turun")),
        ("Terpantaunya tindak lanjut hasil pemeriksaan",
         ("Jumlah temuan yang dipantau tindak lanjutnya", "temuan", 10, 40),
         ("Persentase temuan yang selesai ditindaklanjuti", "%", 80),
         ("Ketepatan waktu penyampaian laporan pemantauan", "%", 90, "naik")),
        ("Terlaksananya pendampingan pembangunan zona integritas",
         ("Jumlah unit kerja yang didampingi", "unit kerja", 2, 5),
         ("Persentase unit kerja yang lolos penilaian internal", "%", 80),
         ("Waktu penyusunan laporan pendampingan", "hari", 7, "turun")),
    ),
    "ketertiban": (
        ("Terselenggaranya ketertiban umum dan ketenteraman masyarakat",
         ("Jumlah patroli wilayah yang dilaksanakan", "kali", 20, 60),
         ("Persentase pelanggaran peraturan daerah yang ditindaklanjuti", "%", 85),
         ("Waktu tanggap pengaduan gangguan ketertiban", "menit", 60, "turun")),
        ("Terlaksananya penegakan peraturan daerah",
         ("Jumlah pelanggar peraturan daerah yang dibina", "orang", 10, 40),
         ("Persentase pelanggar yang patuh setelah pembinaan", "%", 80),
         ("Waktu penyelesaian berkas penegakan", "hari", 7, "turun")),
        ("Terlaksananya penanggulangan bencana",
         ("Jumlah kejadian bencana yang ditangani", "kejadian", 2, 10),
         ("Persentase korban bencana yang tertangani", "%", 95),
         ("Waktu tanggap darurat setelah laporan", "jam", 6, "turun")),
        ("Terpeliharanya kewaspadaan dini dan kerukunan masyarakat",
         ("Jumlah forum koordinasi yang difasilitasi", "kegiatan", 2, 6),
         ("Persentase potensi konflik yang tertangani", "%", 85),
         ("Ketepatan waktu penyampaian laporan situasi", "%", 90, "naik")),
    ),
    "teknis": (
        ("Meningkatnya kondisi jalan kota dalam keadaan mantap",
         ("Panjang jalan yang dipelihara", "km", 2, 8),
         ("Persentase jalan dalam kondisi baik", "%", 80),
         ("Waktu penyelesaian pekerjaan pemeliharaan", "hari", 60, "turun")),
        ("Terlaksananya pengawasan pembangunan gedung dan bangunan",
         ("Jumlah bangunan yang diawasi", "bangunan", 5, 20),
         ("Persentase bangunan yang sesuai persetujuan bangunan gedung", "%", 85),
         ("Waktu penerbitan rekomendasi teknis", "hari", 7, "turun")),
        ("Terlaksananya pengujian kendaraan bermotor",
         ("Jumlah kendaraan yang diuji", "kendaraan", 300, 900),
         ("Persentase pengujian yang sesuai standar", "%", 85),
         ("Waktu pelayanan uji kendaraan", "menit", 60, "turun")),
        ("Terkelolanya sampah dan kebersihan lingkungan",
         ("Volume sampah yang terangkut ke tempat pemrosesan akhir", "ton", 3000, 9000),
         ("Persentase sampah yang terkelola", "%", 80),
         ("Ketepatan waktu pengangkutan sampah", "%", 90, "naik")),
    ),
    "sosial": (
        ("Tersalurkannya bantuan sosial tepat sasaran",
         ("Jumlah keluarga penerima manfaat yang diverifikasi", "keluarga", 100, 400),
         ("Persentase data terpadu kesejahteraan sosial yang valid", "%", 90),
         ("Waktu verifikasi usulan bantuan", "hari", 14, "turun")),
        ("Terlayaninya rehabilitasi sosial penyandang masalah kesejahteraan sosial",
         ("Jumlah penyandang masalah kesejahteraan sosial yang direhabilitasi", "orang", 10, 40),
         ("Persentase penerima layanan yang kembali berfungsi sosial", "%", 75),
         ("Waktu tanggap penjangkauan", "jam", 24, "turun")),
        ("Terlaksananya pelindungan perempuan dan anak",
         ("Jumlah kasus kekerasan yang didampingi", "kasus", 3, 15),
         ("Persentase kasus yang tertangani tuntas", "%", 85),
         ("Waktu penanganan awal pengaduan", "jam", 24, "turun")),
        ("Terlaksananya pemberdayaan masyarakat dan keluarga",
         ("Jumlah kelompok masyarakat yang dibina", "kelompok", 3, 10),
         ("Persentase kelompok binaan yang aktif", "%", 80),
         ("Ketepatan waktu penyampaian laporan pembinaan", "%", 90, "naik")),
    ),
    "perencanaan": (
        ("Tersusunnya dokumen perencanaan pembangunan daerah",
         ("Jumlah dokumen perencanaan yang disusun", "dokumen", 1, 3),
         ("Persentase program yang selaras dengan RPJMD", "%", 90),
         ("Waktu penyusunan dokumen perencanaan", "hari", 30, "turun")),
        ("Terlaksananya pengendalian dan evaluasi pembangunan",
         ("Jumlah laporan evaluasi yang disusun", "laporan", 2, 4),
         ("Persentase perangkat daerah yang menyampaikan data tepat waktu", "%", 85),
         ("Waktu penyusunan laporan evaluasi", "hari", 14, "turun")),
        ("Terkelolanya layanan sistem pemerintahan berbasis elektronik",
         ("Jumlah aplikasi yang dikelola", "aplikasi", 3, 10),
         ("Persentase ketersediaan layanan aplikasi", "%", 95),
         ("Waktu pemulihan gangguan layanan", "jam", 4, "turun")),
        ("Tersebarnya informasi publik pemerintah kota",
         ("Jumlah konten informasi publik yang dipublikasikan", "konten", 30, 90),
         ("Persentase permohonan informasi yang dijawab", "%", 90),
         ("Waktu menjawab permohonan informasi", "hari", 10, "turun")),
    ),
    "kewilayahan": (
        ("Terlayaninya administrasi terpadu kecamatan",
         ("Jumlah layanan administrasi yang diselesaikan", "layanan", 100, 400),
         ("Persentase layanan yang sesuai standar pelayanan", "%", 90),
         ("Waktu penyelesaian layanan administrasi", "hari", 3, "turun")),
        ("Terlaksananya musyawarah perencanaan pembangunan di kelurahan",
         ("Jumlah usulan kegiatan yang diverifikasi", "usulan", 20, 60),
         ("Persentase usulan yang diakomodasi dalam rencana kerja", "%", 60),
         ("Ketepatan waktu pelaksanaan musyawarah", "%", 90, "naik")),
        ("Terkoordinasinya ketenteraman dan ketertiban wilayah",
         ("Jumlah rapat koordinasi forum pimpinan kecamatan", "kegiatan", 2, 6),
         ("Persentase permasalahan yang selesai di tingkat kecamatan", "%", 80),
         ("Waktu tanggap laporan gangguan ketertiban", "jam", 24, "turun")),
        ("Terlaksananya pembinaan RT, RW dan lembaga kemasyarakatan",
         ("Jumlah RT dan RW yang dibina", "RT/RW", 10, 40),
         ("Persentase laporan RT dan RW yang lengkap", "%", 85),
         ("Waktu penyaluran insentif RT dan RW", "hari", 14, "turun")),
    ),
    "umum": (
        ("Terkelolanya administrasi persuratan dan kearsipan",
         ("Jumlah surat yang diagendakan dan didistribusikan", "surat", 100, 400),
         ("Persentase arsip yang tertata sesuai klasifikasi", "%", 90),
         ("Waktu distribusi surat masuk", "hari", 1, "turun")),
        ("Tersusunnya dokumen perencanaan dan pelaporan kinerja perangkat daerah",
         ("Jumlah dokumen perencanaan dan laporan kinerja", "dokumen", 2, 4),
         ("Nilai evaluasi akuntabilitas kinerja", "nilai", 70),
         ("Waktu penyampaian laporan kinerja", "hari", 10, "turun")),
        ("Terkelolanya data dan layanan kepegawaian",
         ("Jumlah usulan layanan kepegawaian yang diproses", "usulan", 30, 120),
         ("Persentase data kepegawaian yang mutakhir", "%", 95),
         ("Waktu penyelesaian usulan layanan kepegawaian", "hari", 5, "turun")),
        ("Terfasilitasinya rapat dan kegiatan pimpinan",
         ("Jumlah rapat yang difasilitasi", "kegiatan", 10, 30),
         ("Persentase notula rapat yang tersusun lengkap", "%", 95),
         ("Waktu penyampaian notula rapat", "hari", 2, "turun")),
        ("Terkelolanya barang milik daerah dan rumah tangga kantor",
         ("Jumlah barang yang dicatat dan dipelihara", "unit", 20, 80),
         ("Persentase barang dalam kondisi baik", "%", 85),
         ("Waktu penanganan permintaan perbaikan", "hari", 3, "turun")),
    ),
}  # fmt: skip

_TAMBAHAN: tuple[_Rhk, ...] = (
    ("Terlaksananya tugas sebagai anggota tim penyusun standar operasional prosedur",
     ("Jumlah standar operasional prosedur yang disusun", "dokumen", 1, 3),
     ("Persentase standar operasional prosedur yang disahkan", "%", 90),
     ("Waktu penyusunan standar operasional prosedur", "hari", 30, "turun")),
    ("Terlaksananya tugas sebagai panitia peringatan hari besar nasional",
     ("Jumlah kegiatan kepanitiaan yang dilaksanakan", "kegiatan", 1, 2),
     ("Persentase rangkaian acara yang terlaksana", "%", 95),
     ("Ketepatan waktu pelaksanaan acara", "%", 95, "naik")),
    ("Terlaksananya tugas sebagai narasumber atau fasilitator kegiatan",
     ("Jumlah kegiatan sebagai narasumber", "kegiatan", 1, 3),
     ("Nilai evaluasi peserta terhadap narasumber", "nilai", 85),
     ("Waktu penyiapan bahan paparan", "hari", 5, "turun")),
    ("Terlaksananya tugas sebagai anggota tim pembangunan zona integritas",
     ("Jumlah rapat tim yang diikuti", "kegiatan", 2, 6),
     ("Persentase rencana aksi yang terlaksana", "%", 85),
     ("Ketepatan waktu pengumpulan data dukung", "%", 90, "naik")),
)  # fmt: skip

_BIAYA = ("Realisasi biaya pelaksanaan kegiatan", "Rupiah")

_AKTIVITAS: dict[str, tuple[str, ...]] = {
    "pimpinan": ("Memimpin rapat koordinasi unit kerja", "Memeriksa dan menyetujui laporan bawahan",
                 "Melakukan pembinaan pegawai", "Menghadiri rapat pimpinan daerah",
                 "Menandatangani dokumen dinas", "Melakukan monitoring kegiatan lapangan"),
    "guru": ("Melaksanakan pembelajaran tatap muka di kelas", "Menyusun modul ajar",
             "Memeriksa dan menilai tugas peserta didik",
             "Mendampingi projek penguatan profil pelajar Pancasila",
             "Melaksanakan bimbingan peserta didik", "Mengikuti kegiatan komunitas belajar guru"),
    "kesehatan_layanan": ("Melayani pasien rawat jalan", "Melaksanakan imunisasi di posyandu",
                          "Melakukan pemeriksaan ibu hamil",
                          "Melaksanakan kunjungan rumah pasien tuberkulosis",
                          "Mencatat rekam medis elektronik", "Melayani resep dan konseling obat"),
    "kesehatan_masyarakat": ("Memverifikasi laporan data puskesmas",
                             "Melaksanakan pembinaan ke puskesmas", "Mengambil sampel air minum",
                             "Menyusun laporan program kesehatan",
                             "Melaksanakan penyuluhan kesehatan",
                             "Menghadiri rapat koordinasi lintas sektor"),
    "perizinan": ("Memverifikasi berkas permohonan izin", "Melayani pemohon di loket",
                  "Mencetak dokumen kependudukan", "Menindaklanjuti pengaduan layanan",
                  "Memutakhirkan data kependudukan", "Melaksanakan pengawasan pelaku usaha"),
    "keuangan": ("Memverifikasi dokumen SPM", "Menyusun laporan keuangan", "Melayani wajib pajak",
                 "Melakukan rekonsiliasi data aset", "Menginput transaksi pada SIPD",
                 "Melakukan pendataan objek pajak"),
    "pengawasan": ("Melaksanakan audit lapangan", "Menyusun kertas kerja audit",
                   "Mereviu laporan keuangan perangkat daerah", "Memantau tindak lanjut temuan",
                   "Mendampingi unit kerja zona integritas", "Menyusun laporan hasil pengawasan"),
    "ketertiban": ("Melaksanakan patroli wilayah", "Menertibkan pedagang kaki lima",
                   "Membina pelanggar peraturan daerah", "Melaksanakan piket siaga",
                   "Melakukan pengamanan kegiatan pemerintah kota",
                   "Menyusun laporan situasi wilayah"),
    "teknis": ("Melaksanakan survei kondisi jalan", "Mengawasi pekerjaan konstruksi",
               "Melakukan pengujian kendaraan bermotor", "Mengawasi pengangkutan sampah",
               "Menyusun laporan kemajuan pekerjaan", "Memeriksa dokumen teknis bangunan"),
    "sosial": ("Memverifikasi data calon penerima bantuan sosial", "Melakukan kunjungan rumah",
               "Mendampingi korban kekerasan", "Melakukan penjangkauan warga terlantar",
               "Menyalurkan bantuan sosial", "Menyusun laporan pendampingan"),
    "perencanaan": ("Menyusun bahan dokumen perencanaan", "Mengolah data capaian pembangunan",
                    "Memelihara server dan jaringan", "Mengelola konten situs web pemerintah kota",
                    "Melaksanakan rapat koordinasi perencanaan", "Menyusun laporan evaluasi"),
    "kewilayahan": ("Melayani surat pengantar warga", "Melaksanakan rapat koordinasi dengan RT/RW",
                    "Memverifikasi usulan musyawarah perencanaan", "Melakukan monitoring wilayah",
                    "Melayani administrasi kependudukan di kecamatan",
                    "Menyusun laporan kecamatan"),
    "umum": ("Mengagendakan surat masuk dan keluar", "Menata arsip dinamis",
             "Memproses usulan layanan kepegawaian", "Menyiapkan bahan rapat pimpinan",
             "Menyusun notula rapat", "Memutakhirkan data pegawai pada SIASN"),
}  # fmt: skip

_FAMILIES = tuple(_RHK)
_FAMILY_INDEX = {name: i for i, name in enumerate(_FAMILIES)}

_UMPAN_BALIK_SKP = (
    ("Capaian di bawah target, susun rencana percepatan",
     "Perlu pendampingan untuk mencapai target"),
    ("Sudah sesuai target, pertahankan", "Lengkapi bukti dukung pada laporan berikutnya"),
    ("Capaian melampaui target, pertahankan", "Hasil kerja sangat baik, bagikan praktik baiknya"),
)  # fmt: skip
_UMPAN_BALIK_PERILAKU = (
    "Perlu pembinaan lebih lanjut", "Perlu ditingkatkan", "Cukup, terus tingkatkan",
    "Baik, pertahankan", "Sangat baik, menjadi teladan rekan kerja",
)  # fmt: skip

_VALUE_OFFSET = np.array([0.05, 0.0, -0.05, 0.05, 0.1, -0.1, 0.0])
"""Small differences between the BerAKHLAK values, in their vocabulary order."""

_IKM_OFFSET = np.array([0.05, 0.0, -0.1, 0.25, 0.0, 0.05, 0.1, -0.15, -0.1])
"""How each IKM element U1 … U9 tends to be answered relative to the unit's mean."""

# --- people ------------------------------------------------------------------------------------

_MALE = (
    "Agus", "Budi", "Dedi", "Eko", "Hendra", "Iwan", "Joko", "Rudi", "Slamet", "Teguh", "Wahyu",
    "Yusuf", "Ahmad", "Muhammad", "Rizky", "Fajar", "Andi", "Bambang", "Heru", "Sutrisno", "Bayu",
    "Dimas", "Arif", "Imam", "Hadi", "Darmawan", "Gilang", "Irfan", "Nanang", "Yoga", "Fikri",
    "Ilham", "Reza", "Taufik", "Hasan", "I Made", "I Ketut", "Asep", "Ujang", "Dodi",
)  # fmt: skip
_FEMALE = (
    "Siti", "Sri", "Dewi", "Ratna", "Nur", "Rina", "Wulan", "Fitri", "Lestari", "Endang", "Yuni",
    "Ani", "Rini", "Ayu", "Dian", "Indah", "Kartika", "Lina", "Maya", "Novi", "Putri", "Ratih",
    "Sari", "Tri", "Umi", "Wati", "Yanti", "Anisa", "Fadilah", "Nurul", "Intan", "Mega", "Eka",
    "Desi", "Puspita", "Retno", "Tutik", "Ni Made", "Ni Komang", "Ida",
)  # fmt: skip
_LAST_MALE = (
    "Santoso", "Wijaya", "Saputra", "Pratama", "Hidayat", "Nugroho", "Kusuma", "Setiawan",
    "Hartono", "Susanto", "Gunawan", "Prasetyo", "Purnomo", "Wibowo", "Permana", "Siregar",
    "Nasution", "Harahap", "Lubis", "Simanjuntak", "Sihombing", "Situmorang", "Tanjung",
    "Ramadhan", "Firmansyah", "Kurniawan", "Hakim", "Syahputra", "Maulana", "Effendi", "Suryadi",
    "Handoko", "Sulistyo", "Putra", "Hermawan",
)  # fmt: skip
_LAST_FEMALE = (
    "Rahmawati", "Lestari", "Anggraini", "Puspitasari", "Wulandari", "Safitri", "Utami",
    "Maharani", "Kartini", "Handayani", "Susanti", "Kurniasih", "Wahyuni", "Pertiwi", "Rahayu",
    "Nasution", "Siregar", "Lubis", "Harahap", "Wijaya", "Kusumawati", "Sulistyowati",
    "Damayanti", "Permatasari", "Fitriani", "Oktaviani", "Hasanah", "Novitasari",
)  # fmt: skip
# Academic titles by group: (prefix, suffix) pairs, drawn uniformly.
_GELAR: tuple[tuple[tuple[str, str], ...], ...] = (
    (("", ""), ("", ""), ("", ", A.Md."), ("", ", S.E."), ("", ", S.Kom."), ("", "")),
    (("", ", S.E."), ("", ", S.H."), ("", ", S.Kom."), ("", ", S.T."), ("", ", S.Sos."),
     ("", ", S.AP.")),
    (("", ", S.E., M.M."), ("", ", S.H., M.H."), ("", ", S.T., M.T."), ("", ", S.Sos., M.Si."),
     ("", ", S.STP., M.Si."), ("", ", S.IP., M.AP.")),
    (("", ", S.Pd."), ("", ", S.Pd."), ("", ", S.Pd."), ("", ", S.Pd., M.Pd."), ("", ", S.Pd.I."),
     ("", ", S.Pd.")),
    (("dr. ", ""), ("dr. ", ""), ("dr. ", ""), ("dr. ", ", M.Kes."), ("dr. ", ""), ("dr. ", "")),
    (("drg. ", ""),) * 6,
    (("", ", S.Kep., Ners"), ("", ", A.Md.Kep."), ("", ", A.Md.Kep."), ("", ", S.Kep., Ners"),
     ("", ", A.Md.Kep."), ("", ", S.Kep.")),
    (("", ", A.Md.Keb."), ("", ", A.Md.Keb."), ("", ", S.Tr.Keb."), ("", ", A.Md.Keb."),
     ("", ", S.Keb., Bd."), ("", ", A.Md.Keb.")),
    (("", ", S.Farm., Apt."),) * 6,
    (("", ", A.Md.Kes."), ("", ", S.K.M."), ("", ", A.Md.Kes."), ("", ", S.Gz."),
     ("", ", A.Md.Farm."), ("", ", S.K.M.")),
)  # fmt: skip

_CITY_NAMES = (
    "Sukamaju", "Tirtayasa", "Bukit Asri", "Sumber Rejeki", "Tanjung Harapan", "Karang Mulia",
    "Bumi Lestari", "Sinar Jaya", "Pelita Baru", "Muara Indah", "Rawa Bening", "Gunung Sari",
)  # fmt: skip
_KECAMATAN_NAMES = (
    "Sukajadi", "Mekarsari", "Bumi Raya", "Pasar Baru", "Tanjung Sari", "Karang Anyar",
    "Bukit Indah", "Sungai Jernih", "Air Mancur", "Kampung Baru",
)  # fmt: skip
_PLACE_NAMES = (
    "Sidomulyo", "Karangrejo", "Sukorejo", "Tegalsari", "Kebonsari", "Margorejo", "Sumbersari",
    "Jatimulyo", "Wonorejo", "Tanjungsari", "Bumiayu", "Purwosari", "Kedungsari", "Ngadirejo",
    "Mulyorejo", "Gedongan", "Cempaka", "Kenanga", "Melati", "Harapan Jaya", "Mekar Jaya",
    "Sindang Barang", "Cibeureum", "Pasir Kaliki", "Kota Lama", "Tanjung Raya", "Way Halim",
    "Rajabasa", "Kampung Dalam", "Suka Damai",
)  # fmt: skip


class _Interner:
    """Strings to small integer codes, in first-seen order."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.values: list[str] = []

    def __call__(self, text: str) -> int:
        code = self.codes.get(text)
        if code is None:
            code = self.codes[text] = len(self.values)
            self.values.append(text)
        return code

    def array(self) -> np.ndarray:
        return np.asarray(self.values, dtype=object)


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainders)."""
    weights = np.asarray(weights, dtype=float)
    if total <= 0 or len(weights) == 0:
        return np.zeros(len(weights), dtype=np.int64)
    share = weights / weights.sum() * total
    counts = np.floor(share).astype(np.int64)
    rest = int(total - counts.sum())
    if rest > 0:
        counts[np.argsort(-(share - counts), kind="stable")[:rest]] += 1
    return counts


def _rng(seed: int, *key: int) -> np.random.Generator:
    """Return an independent random stream for one stage (and city or chunk) of the generator."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


# --- the city's structure ---------------------------------------------------------------------


@dataclass
class _Parts:
    """Employees of one OPD (or one city) as parallel arrays, appended piece by piece."""

    columns: dict[str, list[np.ndarray]] = field(default_factory=dict)
    size: int = 0

    def add(self, **arrays: np.ndarray | int) -> np.ndarray:
        """Append members; scalars are broadcast. Returns the members' positions."""
        n = max(np.size(a) for a in arrays.values())
        for name, values in arrays.items():
            self.columns.setdefault(name, []).append(np.broadcast_to(np.asarray(values), (n,)))
        positions = np.arange(self.size, self.size + n)
        self.size += n
        return positions

    def concat(self) -> dict[str, np.ndarray]:
        return {name: np.concatenate(parts) for name, parts in self.columns.items()}


@dataclass
class _Registry:
    """Codes shared by all cities: unit names, jabatan titles, OPD rows."""

    units: _Interner = field(default_factory=_Interner)
    titles: _Interner = field(default_factory=_Interner)
    opd_rows: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    opd_base: list[str] = field(default_factory=list)  # the code without the city prefix
    opd_city: list[int] = field(default_factory=list)
    layanan: list[tuple[int, str]] = field(default_factory=list)  # (opd row, unit_layanan)


def _members(
    parts: _Parts,
    spec: _OpdSpec,
    n: int,
    opd: int,
    display: str,
    rng: np.random.Generator,
    reg: _Registry,
) -> dict[str, int]:
    """Add the ``n`` employees of one OPD: its head, unit leaders and staff.

    Returns the position of the head and of each active unit's leader, by unit name.
    """
    head = int(
        parts.add(
            role=_HEAD,
            jenis=spec.head_jenis,
            title=reg.titles(spec.head),
            unit=reg.units(display),
            opd=opd,
            sup=-1,
            jf=-1,
            family=_FAMILY_INDEX["pimpinan"],
            peer=_PEER_HEAD,
        )[0]
    )
    budget = max(0, (n - 1) // 5)
    active: list[int] = []
    leader_at: dict[int, int] = {}
    for i, unit in enumerate(spec.units):
        if unit.parent >= 0 and unit.parent not in active:
            continue
        if unit.leader is not None:
            if budget == 0:
                continue
            budget -= 1
            sup = leader_at.get(unit.parent, head)
            leader_at[i] = int(
                parts.add(
                    role=_ADMIN if unit.kind == _ADMIN else _PENGAWAS,
                    jenis=_ADM if unit.kind == _ADMIN else _PGW,
                    title=reg.titles(unit.leader),
                    unit=reg.units(unit.name),
                    opd=opd,
                    sup=sup,
                    jf=-1,
                    family=_FAMILY_INDEX["pimpinan"],
                    peer=_PEER_ADMIN if unit.kind == _ADMIN else _PEER_PENGAWAS,
                )[0]
            )
        active.append(i)
    staff = n - 1 - len(leader_at)
    n_fun = int(rng.binomial(staff, spec.fungsional)) if staff > 0 else 0
    for kind, count in ((_FUNGSIONAL, n_fun), (_PELAKSANA, staff - n_fun)):
        if count <= 0:
            continue
        wanted = "fungsional" if kind == _FUNGSIONAL else "pelaksana"
        eligible = [i for i in active if spec.units[i].staff in ("any", wanted)] or active
        if eligible:
            counts = _allocate(count, np.array([spec.units[i].weight for i in eligible]))
            unit_code = np.repeat([reg.units(spec.units[i].name) for i in eligible], counts)
            sup = np.repeat(
                [leader_at.get(i, leader_at.get(spec.units[i].parent, head)) for i in eligible],
                counts,
            )
        else:  # a small OPD: everyone reports to the head
            unit_code = np.full(count, reg.units(display))
            sup = np.full(count, head)
        family = _FAMILY_INDEX[spec.family]
        if kind == _PELAKSANA and spec.family.startswith("kesehatan"):
            family = _FAMILY_INDEX["umum"]
        if kind == _FUNGSIONAL:
            codes = np.array([_JF_INDEX[name] for name, _ in spec.jf])
            weights = np.array([w for _, w in spec.jf])
            jf, title = rng.choice(codes, size=count, p=weights / weights.sum()), -1
        else:
            codes = np.array([reg.titles(t) for t, _ in _PELAKSANA_TITLES])
            weights = np.array([w for _, w in _PELAKSANA_TITLES])
            jf, title = -1, rng.choice(codes, size=count, p=weights / weights.sum())
        # Staff of one unit are each other's peers: the unit's code keys the group.
        parts.add(
            role=np.full(count, kind),
            jenis=_FUN if kind == _FUNGSIONAL else _PLK,
            title=title,
            unit=unit_code,
            opd=opd,
            sup=sup,
            jf=jf,
            family=family,
            peer=_PEER_STAFF + unit_code,
        )
    return {spec.units[i].name: pos for i, pos in leader_at.items()} | {"": head}


def _schools(
    parts: _Parts,
    opd: int,
    leaders: dict[str, int],
    teachers: int,
    rng: np.random.Generator,
    reg: _Registry,
) -> None:
    """Add the SD and SMP of the Dinas Pendidikan: a principal, teachers and (SMP) two clerks."""
    n_smp = max(1, round(teachers * 0.3 / 32))
    smp_teachers = max(2 * n_smp, round(teachers * 0.3))
    sd_teachers = teachers - smp_teachers
    n_sd = max(1, round(sd_teachers / 11))
    kepsek_title = reg.titles("Kepala Sekolah")
    clerk_titles = np.array(
        [reg.titles("Pengadministrasi Perkantoran"), reg.titles("Operator Layanan Operasional")]
    )
    guru = _JF_INDEX["Guru"]
    for level, n_school, total, bidang, clerks in (
        ("SD", n_sd, sd_teachers, "Bidang Pembinaan Sekolah Dasar", 0),
        ("SMP", n_smp, smp_teachers, "Bidang Pembinaan Sekolah Menengah Pertama", 2),
    ):
        if total <= 0:
            continue
        sizes = _allocate(total, rng.uniform(0.7, 1.3, n_school))
        sizes = sizes[sizes > 0]
        units = np.array([reg.units(f"{level} Negeri {i}") for i in range(1, len(sizes) + 1)])
        kepsek = parts.add(
            role=np.full(len(sizes), _KEPSEK),
            jenis=_FUN,
            title=kepsek_title,
            unit=units,
            opd=opd,
            sup=leaders.get(bidang, leaders[""]),
            jf=guru,
            family=_FAMILY_INDEX["pimpinan"],
            peer=_PEER_KEPSEK,
        )
        unit = np.repeat(units, sizes - 1)
        parts.add(
            role=np.full(len(unit), _GURU),
            jenis=_FUN,
            title=-1,
            unit=unit,
            opd=opd,
            sup=np.repeat(kepsek, sizes - 1),
            jf=guru,
            family=_FAMILY_INDEX["guru"],
            peer=_PEER_STAFF + unit,
        )
        if clerks:
            unit = np.repeat(units, clerks)
            parts.add(
                role=np.full(len(unit), _PELAKSANA),
                jenis=_PLK,
                title=rng.choice(clerk_titles, len(unit)),
                unit=unit,
                opd=opd,
                sup=np.repeat(kepsek, clerks),
                jf=-1,
                family=_FAMILY_INDEX["umum"],
                peer=_PEER_STAFF + unit,
            )


def _build_city(
    size: int, city: int, prefix: str, suffix: str, rng: np.random.Generator, reg: _Registry
) -> dict[str, np.ndarray]:
    """Lay out one city of ``size`` employees: its OPD, units, posts and supervisor chain."""
    teachers = round(size * rng.uniform(0.43, 0.47))
    n_smp_clerks = 2 * max(1, round(teachers * 0.3 / 32))
    health = round(size * rng.uniform(0.17, 0.21))
    n_pkm = int(np.clip(round(size / 370) + rng.integers(-1, 2), 1, 8))
    dinkes_office = max(4, round(health * 0.15))
    pkm_sizes = np.maximum(_allocate(health - dinkes_office, rng.uniform(0.8, 1.2, n_pkm)), 4)
    if size >= 1500:
        n_kec = int(rng.integers(4, 6))
    else:
        n_kec = int(np.clip(size // 300, 1, 4))
    rest = size - teachers - n_smp_clerks - dinkes_office - int(pkm_sizes.sum())
    others = sorted(
        [s for s in _OPD_TEMPLATE if s.code != "DINKES"], key=lambda s: s.priority
    )  # stable: template order within a priority
    kec_names = rng.choice(_KECAMATAN_NAMES, n_kec, replace=False)
    places = rng.choice(_PLACE_NAMES, min(len(_PLACE_NAMES), n_pkm + 3 * n_kec), replace=False)
    kecamatan = []
    for k, name in enumerate(kec_names):
        kel = places[n_pkm + 3 * k : n_pkm + 3 * k + 3]
        units = (
            _Unit("Sekretariat Kecamatan", "Sekretaris Camat", _ADMIN, -1, 0.6),
            _Unit("Seksi Pemerintahan", "Kepala Seksi Pemerintahan", _PENGAWAS),
            *(_Unit(f"Kelurahan {p}", "Lurah", _PENGAWAS, -1, 1.2) for p in kel),
            _Unit("Seksi Pelayanan Umum", "Kepala Seksi Pelayanan Umum", _PENGAWAS),
            _Unit(
                "Seksi Ketenteraman dan Ketertiban Umum",
                "Kepala Seksi Ketenteraman dan Ketertiban Umum",
                _PENGAWAS,
            ),
        )
        kecamatan.append(
            replace(
                _KECAMATAN,
                code=f"KEC-{k + 1:02d}",
                name=f"Kecamatan {name}",
                units=units,
                priority=3 if k < 2 else 4,
            )
        )
    pool = [s for s in others if s.priority <= 3] + kecamatan[:2]
    pool += [s for s in others if s.priority > 3] + kecamatan[2:]
    pool.sort(key=lambda s: s.priority)
    keep = int(np.clip(rest // 6, 4, len(pool)))
    chosen = pool[:keep]
    weights = np.array([s.weight for s in chosen]) * rng.uniform(0.85, 1.15, len(chosen))
    sizes = _allocate(rest - 3 * keep, weights) + 3
    by_code = dict(zip([s.code for s in chosen], sizes.tolist(), strict=True))

    parts = _Parts()
    heads: dict[str, int] = {}

    def add_opd(spec: _OpdSpec, n: int, induk: str | None = None) -> dict[str, int]:
        row = len(reg.opd_rows)
        name = spec.name + suffix
        reg.opd_rows.append((prefix + spec.code, name, spec.jenis, induk and prefix + induk))
        reg.opd_base.append({"kecamatan": "KEC", "upt": "PKM"}.get(spec.jenis, spec.code))
        reg.opd_city.append(city)
        for layanan in spec.layanan:
            unit = name if spec.jenis == "upt" else layanan
            if spec.jenis == "kecamatan":
                unit = f"{layanan} {spec.name.removeprefix('Kecamatan ')}"
            reg.layanan.append((row, unit))
        leaders = _members(parts, spec, n, row, name, rng, reg)
        heads[spec.code] = leaders[""]
        return leaders

    # OPD rows in the usual order: Sekretariat, Inspektorat, Dinas, Badan, Kecamatan, UPT.
    for spec in (*_OPD_TEMPLATE, *kecamatan):
        if spec.code == "DINKES":
            add_opd(spec, dinkes_office)
        elif spec.code in by_code:
            leaders = add_opd(spec, by_code[spec.code])
            if spec.code == "DISDIK":
                _schools(parts, len(reg.opd_rows) - 1, leaders, teachers, rng, reg)
    for k, n in enumerate(pkm_sizes):
        spec = replace(
            _PUSKESMAS,
            code=f"PKM-{k + 1:02d}",
            name=f"Puskesmas {places[k]}",
            layanan=("Puskesmas",),
        )
        add_opd(spec, int(n), induk="DINKES")

    arrays = parts.concat()
    sup = arrays["sup"].astype(np.int64)
    role = arrays["role"]
    is_head = role == _HEAD
    sekda = heads["SETDA"]
    sup[is_head] = sekda
    pkm_heads = [heads[c] for c in heads if c.startswith("PKM-")]
    sup[pkm_heads] = heads["DINKES"]
    sup[sekda] = -1
    arrays["sup"] = sup
    arrays["city"] = np.full(parts.size, city)
    return arrays


# --- the world: everyone, with latent traits and planted facts --------------------------------


@dataclass
class _World:
    """Everything generated before the fact tables, shared by every chunk."""

    seed: int
    tahun: int
    plant: bool
    n: int
    periodes: list[str]
    opd: pd.DataFrame
    pegawai: pd.DataFrame
    city_names: list[str]
    arrays: dict[str, np.ndarray]
    survei: pd.DataFrame = field(default_factory=pd.DataFrame)
    organisasi: pd.DataFrame = field(default_factory=pd.DataFrame)
    planted: dict[str, Any] = field(default_factory=dict)
    nip_dtype: pd.CategoricalDtype | None = None
    periode_dtype: pd.CategoricalDtype | None = None
    working_days: np.ndarray = field(default_factory=lambda: np.array([], "datetime64[D]"))


def _city_sizes(n: int) -> np.ndarray:
    k = 1 if n <= MAX_SINGLE_CITY else -(-n // CITY_SIZE)
    return _allocate(n, np.ones(k))


def _build_world(n: int, seed: int, tahun: int, plant: bool) -> _World:
    if n < MIN_PEGAWAI:
        raise UsageError(f"n_pegawai paling sedikit {MIN_PEGAWAI} (diminta {n})")
    if not 1990 <= tahun <= 2100:
        raise UsageError(f"tahun harus antara 1990 dan 2100 (diminta {tahun})")
    sizes = _city_sizes(n)
    reg = _Registry()
    multi = len(sizes) > 1
    width = max(2, len(str(len(sizes))))
    city_names = []
    pieces = []
    offset = 0
    for c, size in enumerate(sizes):
        base = _CITY_NAMES[c % len(_CITY_NAMES)]
        name = base if c < len(_CITY_NAMES) else f"{base} {c // len(_CITY_NAMES) + 1}"
        city_names.append(f"Kota {name}")
        prefix = f"K{c + 1:0{width}d}-" if multi else ""
        suffix = f" Kota {name}" if multi else ""
        piece = _build_city(int(size), c, prefix, suffix, _rng(seed, 1, c), reg)
        piece["sup"] = np.where(piece["sup"] >= 0, piece["sup"] + offset, -1)
        offset += len(piece["sup"])
        pieces.append(piece)
    arrays = {k: np.concatenate([p[k] for p in pieces]) for k in pieces[0]}
    arrays["sup"] = arrays["sup"].astype(np.int32)
    arrays["opd"] = arrays["opd"].astype(np.int32)
    rng = _rng(seed, 0)
    _people(arrays, tahun, rng)
    opd = pd.DataFrame(reg.opd_rows, columns=["kode_opd", "nama_opd", "jenis", "induk"])
    opd["jenis"] = opd["jenis"].astype(vocab.JENIS_OPD.dtype)
    arrays["opd_base"] = np.asarray(reg.opd_base, dtype=object)
    arrays["opd_city"] = np.asarray(reg.opd_city)
    _relations(arrays, rng)
    world = _World(
        seed,
        tahun,
        plant,
        n,
        [f"{tahun}-TW{q}" for q in range(1, 5)] + [str(tahun)],
        opd,
        pd.DataFrame(),
        city_names,
        arrays,
    )
    _latent(world, rng)
    _plant(world, _rng(seed, 3))
    world.pegawai = _pegawai_table(world, reg)
    world.survei = _survei(world, reg, _rng(seed, 4))
    world.organisasi = _organisasi(world, _rng(seed, 5))
    return world


def _people(a: dict[str, np.ndarray], tahun: int, rng: np.random.Generator) -> None:
    """Status, sex, birth and appointment dates, NIPs, jenjang and golongan of everyone."""
    n = len(a["role"])
    role, jenis, jf = a["role"], a["jenis"], a["jf"]
    health = np.isin(jf, [_JF_INDEX[j] for j in _HEALTH_JF])
    teacher = role == _GURU
    staff = (role == _FUNGSIONAL) | (role == _PELAKSANA) | teacher
    p_pppk = np.where(teacher, 0.30, np.where(health & staff, 0.25, np.where(staff, 0.06, 0.0)))
    pppk = rng.random(n) < p_pppk
    # Sex: teachers and health staff are mostly women; midwives all are.
    p_female = np.select(
        [jf == _JF_INDEX["Bidan"], teacher | health, staff], [1.0, 0.72, 0.45], 0.3
    )
    female = rng.random(n) < p_female
    # Years of service by post, then age at appointment; born 1965 … 2001.
    lo = np.select(
        [jenis == _JPT, jenis == _ADM, jenis == _PGW, role == _KEPSEK], [22, 15, 10, 12], 1
    )
    hi = np.select(
        [jenis == _JPT, jenis == _ADM, jenis == _PGW, role == _KEPSEK], [33, 30, 28, 30], 33
    )
    hi = np.where(pppk, 4, hi)
    lo = np.where(pppk, 1, lo)
    tenure = rng.integers(lo, hi + 1)
    age0 = np.where(pppk, rng.normal(29, 5, n), rng.normal(25.5, 3.5, n))
    age0 = np.clip(np.rint(age0), 19, 40).astype(np.int64)
    tmt_year = tahun - tenure
    # Appointed at 19–40 years of age (20–39 calendar years after birth), never this year.
    birth_year = np.clip(tmt_year - age0, 1965, min(2001, tahun - 21))
    tmt_year = np.clip(tmt_year, birth_year + 20, np.minimum(birth_year + 39, tahun - 1))
    tenure = tahun - tmt_year
    birth = birth_year * 10_000 + rng.integers(1, 13, n) * 100 + rng.integers(1, 29, n)
    tmt = tmt_year * 100 + rng.integers(1, 13, n)
    base = birth.astype(np.int64) * 10**10 + tmt * 10**4 + np.where(female, 2, 1) * 1000
    order = np.argsort(base, kind="stable")
    sorted_base = base[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_base)) + 1]
    run = np.repeat(starts, np.diff(np.r_[starts, n]))
    seq = np.empty(n, dtype=np.int64)
    seq[order] = np.arange(n) - run + 1
    a["nip"] = (base + seq).astype("U18")
    a["female"] = female
    a["pppk"] = pppk
    a["tenure"] = tenure
    # Jenjang of functional posts from the track and years of service.
    track = np.array([_JF_TRACK[j] for j in _JF_NAMES])
    skilled = (jf >= 0) & (rng.random(n) < track[np.maximum(jf, 0)])
    ahli = np.select(
        [tenure < 8, tenure < 16, tenure < 28], [0, 1, 2], np.where(rng.random(n) < 0.03, 3, 2)
    )
    terampil = np.select([tenure < 6, tenure < 14], [4, 5], 6)
    jenjang = np.where(skilled, terampil, ahli)
    jenjang = np.where(pppk, np.where(skilled, 4, 0), jenjang)
    a["jenjang"] = np.where(jf >= 0, jenjang, -1)
    # Golongan: positions in vocab.GOLONGAN.values (I/a = 0 … IV/e = 16, PPPK I = 17 …).
    g_lo = np.select(
        [jenis == _JPT, jenis == _ADM, jenis == _PGW, role == _PELAKSANA],
        [13, 11, 10, np.where(rng.random(n) < 0.4, 8, 4)],
        np.array([8, 10, 12, 15, 6, 8, 10])[np.maximum(jenjang, 0)],
    )
    g_span = np.select(
        [jenis == _JPT, jenis == _ADM, jenis == _PGW, role == _PELAKSANA],
        [2, 2, 2, 0],
        np.array([1, 1, 2, 1, 1, 1, 1])[np.maximum(jenjang, 0)],
    )
    golongan = g_lo + np.minimum(g_span, rng.integers(0, 3, n))
    golongan = np.where(role == _PELAKSANA, np.minimum(golongan + tenure // 5, 11), golongan)
    pppk_grade = np.select([role == _PELAKSANA, skilled], [21, 23], 25)  # PPPK V, VII, IX
    a["golongan"] = np.where(pppk, pppk_grade, golongan)
    # Names, with academic titles by profession.
    group = np.select(
        [
            jf == _JF_INDEX["Dokter"],
            jf == _JF_INDEX["Dokter Gigi"],
            jf == _JF_INDEX["Perawat"],
            jf == _JF_INDEX["Bidan"],
            jf == _JF_INDEX["Apoteker"],
            health,
            jf == _JF_INDEX["Guru"],
            role <= _PENGAWAS,
            role == _FUNGSIONAL,
        ],
        [4, 5, 6, 7, 8, 9, 3, 2, 1],
        0,
    )
    gelar = np.asarray(_GELAR, dtype=object)[group, rng.integers(0, 6, n)]  # (n, 2)
    sd = np.dtypes.StringDType()
    first = np.where(
        female,
        np.asarray(_FEMALE, dtype=sd)[rng.integers(0, len(_FEMALE), n)],
        np.asarray(_MALE, dtype=sd)[rng.integers(0, len(_MALE), n)],
    )
    last = np.where(
        female,
        np.asarray(_LAST_FEMALE, dtype=sd)[rng.integers(0, len(_LAST_FEMALE), n)],
        np.asarray(_LAST_MALE, dtype=sd)[rng.integers(0, len(_LAST_MALE), n)],
    )
    prefix, suffix = gelar[:, 0].astype(sd), gelar[:, 1].astype(sd)
    a["nama"] = np.strings.add(
        np.strings.add(np.strings.add(prefix, first), " "), np.strings.add(last, suffix)
    )


def _relations(a: dict[str, np.ndarray], rng: np.random.Generator) -> None:
    """Two peers per employee (same unit, else same OPD) and up to two rating subordinates."""
    n = len(a["role"])
    # Peer groups: staff of one unit; an OPD's administrators; its pengawas and principals;
    # the heads of one city. A group of one falls back to the whole OPD.
    opd = a["opd"].astype(np.int64)
    peer = a["peer"].astype(np.int64)
    span = int(peer.max()) + 1
    key = opd * span + peer
    key = np.where(a["role"] == _HEAD, -1 - a["city"].astype(np.int64), key)
    key = np.where(_group_sizes(key) < 2, (int(opd.max()) + 1) * span + opd, key)
    peers = np.full((n, 2), -1, dtype=np.int32)
    order = np.lexsort((rng.random(n), key))
    skey = key[order]
    starts = np.r_[0, np.flatnonzero(np.diff(skey)) + 1]
    lengths = np.diff(np.r_[starts, n])
    start = np.repeat(starts, lengths)
    g = np.repeat(lengths, lengths)
    pos = np.arange(n) - start
    k1 = 1 + np.floor(rng.random(n) * np.maximum(g - 1, 1)).astype(np.int64)
    k2 = 1 + np.floor(rng.random(n) * np.maximum(g - 2, 1)).astype(np.int64)
    k2 = np.where(k2 >= k1, k2 + 1, k2)
    first = order[start + (pos + k1) % np.maximum(g, 1)]
    second = order[start + (pos + k2) % np.maximum(g, 1)]
    peers[order, 0] = np.where(g >= 2, first, -1)
    peers[order, 1] = np.where(g >= 3, second, -1)
    a["peers"] = peers
    # Two direct subordinates, at random, rate each supervisor in the year review.
    sup = a["sup"].astype(np.int64)
    has = np.flatnonzero(sup >= 0)
    order = has[np.lexsort((rng.random(len(has)), sup[has]))]
    ssup = sup[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ssup)) + 1] if len(order) else np.array([], int)
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    bawahan = np.full((n, 2), -1, dtype=np.int32)
    pick = rank < 2
    bawahan[ssup[pick], rank[pick]] = order[pick]
    a["bawahan"] = bawahan
    a["n_direct"] = np.bincount(sup[has], minlength=n).astype(np.int32)


def _group_sizes(key: np.ndarray) -> np.ndarray:
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    return counts[inverse]


def _latent(world: _World, rng: np.random.Generator) -> None:
    """Latent work performance, behaviour, and each rater's (fair) bias."""
    a = world.arrays
    n = world.n
    perf = rng.standard_normal(n)
    a["perf"] = perf
    a["beh"] = 4.21 + 0.36 * (0.6 * perf + 0.8 * rng.standard_normal(n))
    a["rater_bias"] = np.clip(rng.normal(0.0, 0.07, n), -0.15, 0.15)
    a["rater_kind"] = np.zeros(n, dtype=np.int8)
    for name in ("contra_q", "contra_kind", "miss_perilaku_q", "miss_skp_q"):
        a[name] = np.full(n, -1, dtype=np.int8)
    for name in ("no_kehadiran", "miss_realisasi", "curve_member", "curve_sb"):
        a[name] = np.zeros(n, dtype=bool)
    a["poor_unit"] = np.zeros(0, dtype=np.int64)


def _plant(world: _World, rng: np.random.Generator) -> None:
    """Choose, city by city, who and what carries each planted fact, and record it."""
    a = world.arrays
    nips = a["nip"]
    codes = world.opd["kode_opd"].to_numpy()
    planted: dict[str, Any] = {
        "kota": world.city_names,
        "n_pegawai": world.n,
        "seed": world.seed,
        "tahun": world.tahun,
        "plant": world.plant,
        "lenient_raters": [],
        "severe_raters": [],
        "curve_opds": [],
        "poor_ikm_units": [],
        "contradictions": [],
        "missing": {"perilaku": [], "skp": [], "realisasi": [], "kehadiran": []},
    }
    world.planted = planted
    if not world.plant:
        return
    city = a["city"]
    bounds = np.r_[0, np.flatnonzero(np.diff(city)) + 1, world.n]
    opd_base = a["opd_base"]
    opd_city = a["opd_city"]
    opd_sizes = np.bincount(a["opd"], minlength=len(codes))
    poor_units = []
    for c in range(len(bounds) - 1):
        people = np.arange(bounds[c], bounds[c + 1])
        opd = a["opd"][people]
        city_opds = np.flatnonzero(opd_city == c)
        # 3. an OPD over its distribution curve
        options = [
            o
            for code in _CURVE_CANDIDATES
            for o in city_opds
            if opd_base[o] == code and opd_sizes[o] >= 6
        ]
        if not options:
            small = [
                o for o in city_opds if opd_base[o] not in ("SETDA", "DISDIK", "DINKES", "PKM")
            ]
            options = [max(small, key=lambda o: opd_sizes[o])]
        curve = int(options[int(rng.integers(0, min(3, len(options))))])
        members = people[opd == curve]
        sb = rng.permutation(members)[: max(1, round(0.33 * len(members)))]
        a["curve_member"][members] = True
        a["curve_sb"][sb] = True
        planted["curve_opds"].append(
            {
                "kode_opd": codes[curve],
                "predikat_organisasi": "Butuh Perbaikan",
                "n_pegawai": len(members),
                "sangat_baik": nips[np.sort(sb)].tolist(),
            }
        )
        # 1–2. a lenient and a severe rater, each with at least eight direct subordinates
        direct = a["n_direct"][people]
        ok = (direct >= 8) & (direct <= 30) & (opd != curve) & (a["role"][people] != _HEAD)
        ok &= opd_sizes[opd] >= 3 * direct
        candidates = people[ok]
        if len(candidates) < 2:
            candidates = people[(direct >= 8) & (opd != curve)]
        chosen: list[int] = []
        for kind, bias, team_beh, key in (
            (_LENIENT, _BIAS, 3.3, "lenient_raters"),
            (_SEVERE, -_BIAS, 4.6, "severe_raters"),
        ):
            pool = [int(p) for p in candidates if all(a["opd"][p] != a["opd"][q] for q in chosen)]
            if not pool:  # a small city: another team of the same OPD
                pool = [
                    int(p)
                    for p in candidates
                    if all(p != q and a["sup"][p] != q and a["sup"][q] != p for q in chosen)
                ]
            if not pool:
                continue
            rater = pool[int(rng.integers(0, len(pool)))]
            chosen.append(rater)
            a["rater_kind"][rater] = kind
            team = people[a["sup"][people] == rater]
            a["beh"][team] = team_beh + rng.normal(0, 0.12, len(team))
            planted[key].append(
                {
                    "nip_penilai": nips[rater],
                    "kode_opd": codes[a["opd"][rater]],
                    "bias": bias,
                    "bawahan": nips[team].tolist(),
                }
            )
        # 4. a Puskesmas whose public rates it poorly
        pkm = [o for o in city_opds if opd_base[o] == "PKM"]
        if pkm:
            poor = int(pkm[int(rng.integers(0, len(pkm)))])
            poor_units.append(poor)
        # 5–6. contradictions and missing data, among employees not planted otherwise
        special = a["curve_member"][people] | np.isin(people, chosen)
        special |= np.isin(a["sup"][people], chosen) | (a["sup"][people] < 0)
        free = people[~special]
        free = free[rng.permutation(len(free))]
        k_contra = max(1, round(0.012 * len(people)))
        k_missing = max(2, round(0.0015 * len(people)))
        k_real = max(2, round(0.004 * len(people)))
        take = np.split(
            free[: k_contra + 3 * k_missing + k_real],
            np.cumsum([k_contra, k_missing, k_missing, k_missing]),
        )
        contra, miss_p, miss_s, miss_k, miss_r = take
        a["contra_q"][contra] = rng.integers(0, 3, len(contra))
        a["contra_kind"][contra] = np.where(np.arange(len(contra)) % 2 == 0, _ATAS, _BAWAH)
        a["miss_perilaku_q"][miss_p] = rng.integers(0, 4, len(miss_p))
        a["miss_skp_q"][miss_s] = rng.integers(0, 4, len(miss_s))
        a["no_kehadiran"][miss_k] = True
        a["miss_realisasi"][miss_r] = True
        for key, who, q in (
            ("perilaku", miss_p, a["miss_perilaku_q"]),
            ("skp", miss_s, a["miss_skp_q"]),
        ):
            planted["missing"][key] += [
                {"nip": nips[p], "periode": world.periodes[q[p]]} for p in np.sort(who)
            ]
        planted["missing"]["kehadiran"] += nips[np.sort(miss_k)].tolist()
    # Boost the curve OPD's favoured employees so their evidence supports the label.
    sb = a["curve_sb"]
    a["perf"][sb] += 1.5
    a["beh"][sb] = np.maximum(a["beh"][sb], 4.6)
    a["poor_unit"] = np.asarray(poor_units, dtype=np.int64)


def _pegawai_table(world: _World, reg: _Registry) -> pd.DataFrame:
    a = world.arrays
    n = world.n
    titles = reg.titles.array()
    jf_titles = np.asarray([f"{j} {k}" for j in _JF_NAMES for k in _JENJANG], dtype=object)
    jabatan = np.where(
        (a["jf"] >= 0) & (a["role"] != _KEPSEK),
        jf_titles[np.maximum(a["jf"], 0) * len(_JENJANG) + np.maximum(a["jenjang"], 0)],
        titles[np.maximum(a["title"], 0)],
    )
    sup = a["sup"]
    nip = pd.Series(a["nip"], dtype="str")
    frame = pd.DataFrame(
        {
            "nip": nip,
            "nama": pd.Series(a["nama"], dtype="str"),
            "kode_opd": pd.Categorical.from_codes(a["opd"], categories=world.opd["kode_opd"]),
            "unit_kerja": pd.Categorical.from_codes(a["unit"], categories=reg.units.values),
            "jabatan": pd.Categorical(jabatan),
            "jenis_jabatan": pd.Categorical.from_codes(a["jenis"], dtype=vocab.JENIS_JABATAN.dtype),
            "golongan": pd.Categorical.from_codes(a["golongan"], dtype=vocab.GOLONGAN.dtype),
            "status": pd.Categorical.from_codes(
                a["pppk"].astype(np.int8), dtype=vocab.STATUS_PEGAWAI.dtype
            ),
            "nip_atasan": pd.Categorical.from_codes(
                sup, categories=pd.Index(a["nip"], dtype="str")
            ),
            "jenis_kelamin": pd.Categorical.from_codes(
                a["female"].astype(np.int8), dtype=vocab.JENIS_KELAMIN.dtype
            ),
        }
    )
    frame["nip_atasan"] = frame["nip_atasan"].cat.remove_unused_categories()
    assert len(frame) == n
    return frame


def _survei(world: _World, reg: _Registry, rng: np.random.Generator) -> pd.DataFrame:
    """Public-satisfaction answers: 60–150 respondents per service unit and quarter."""
    if not reg.layanan:
        return pd.DataFrame()
    unit_opd = np.array([o for o, _ in reg.layanan])
    unit_name = pd.Index([u for _, u in reg.layanan]).unique()
    unit_code = unit_name.get_indexer([u for _, u in reg.layanan])
    n_units = len(unit_opd)
    # Most units rate B, about a fifth A; a planted Puskesmas rates D.
    mean = rng.uniform(3.2, 3.45, n_units)
    best = rng.permutation(n_units)[: max(1, round(0.2 * n_units))]
    mean[best] = rng.uniform(3.7, 3.85, len(best))
    poor = np.isin(unit_opd, world.arrays["poor_unit"])
    mean[poor] = 2.3
    cells = np.arange(n_units * 4)  # (unit, quarter)
    counts = rng.integers(60, 151, len(cells))
    rows = np.repeat(cells, counts)
    unit = rows // 4
    quarter = rows % 4
    respondent = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    cell_mean = mean[unit] + np.where(poor[unit], 0.0, rng.normal(0, 0.04, len(cells))[rows])
    person = rng.normal(0, 0.3, len(rows))
    latent = cell_mean[:, None] + _IKM_OFFSET[None, :] * (~poor[unit])[:, None] + person[:, None]
    answers = np.clip(np.rint(latent + rng.normal(0, 0.45, latent.shape)), 1, 4).astype(np.int8)
    frame = pd.DataFrame(
        {
            "periode": pd.Categorical.from_codes(quarter, dtype=periode_dtype(world.periodes)),
            "kode_opd": pd.Categorical.from_codes(unit_opd[unit], categories=world.opd["kode_opd"]),
            "unit_layanan": pd.Categorical.from_codes(unit_code[unit], categories=unit_name),
            "responden": pd.Categorical.from_codes(
                respondent, categories=[f"R-{i + 1:04d}" for i in range(int(counts.max()))]
            ),
        }
    )
    for u in range(9):
        frame[f"u{u + 1}"] = answers[:, u]
    if world.plant:
        for o in np.flatnonzero(poor):
            world.planted["poor_ikm_units"].append(
                {
                    "kode_opd": world.opd["kode_opd"].iloc[unit_opd[o]],
                    "unit_layanan": str(unit_name[unit_code[o]]),
                    "mean_answer": 2.3,
                }
            )
    return frame


def _organisasi(world: _World, rng: np.random.Generator) -> pd.DataFrame:
    """Each OPD's predikat and achievement per period: Istimewa, except a planted one."""
    n_opd = len(world.opd)
    capaian = rng.uniform(100.0, 115.0, (n_opd, 4))
    predikat = np.full(n_opd, vocab.PREDIKAT_ORGANISASI.values.index("Istimewa"))
    planted = [c["kode_opd"] for c in world.planted["curve_opds"]]
    bad = world.opd["kode_opd"].isin(planted).to_numpy()
    capaian[bad] = rng.uniform(68.0, 78.0, (int(bad.sum()), 4))
    predikat[bad] = vocab.PREDIKAT_ORGANISASI.values.index("Butuh Perbaikan")
    capaian = np.round(np.c_[capaian, capaian.mean(axis=1)], 2)
    return pd.DataFrame(
        {
            "periode": pd.Categorical.from_codes(
                np.tile(np.arange(5), n_opd), dtype=periode_dtype(world.periodes)
            ),
            "kode_opd": pd.Categorical.from_codes(
                np.repeat(np.arange(n_opd), 5), categories=world.opd["kode_opd"]
            ),
            "predikat_organisasi": pd.Categorical.from_codes(
                np.repeat(predikat, 5), dtype=vocab.PREDIKAT_ORGANISASI.dtype
            ),
            "capaian": capaian.ravel(),
        }
    )


# --- fact tables, chunk by chunk ----------------------------------------------------------------


def _flatten_templates() -> dict[str, np.ndarray]:
    """Flatten the RHK templates into arrays indexed by template, and by template and aspect."""
    templates = [t for fam in _FAMILIES for t in _RHK[fam]] + list(_TAMBAHAN)
    family_of = [f for f, fam in enumerate(_FAMILIES) for _ in _RHK[fam]]
    fmax = max(len(v) for v in _RHK.values())
    by_family = np.full((len(_FAMILIES), fmax), -1)
    i = 0
    for f, fam in enumerate(_FAMILIES):
        by_family[f, : len(_RHK[fam])] = np.arange(i, i + len(_RHK[fam]))
        i += len(_RHK[fam])
    indicator = _Interner()
    satuan = _Interner()
    t = len(templates)
    ind = np.zeros((t, 4), dtype=np.int32)
    sat = np.zeros((t, 4), dtype=np.int32)
    turun = np.zeros((t, 4), dtype=bool)
    target = np.zeros((t, 4, 2))
    for k, (_, kuan, kual, waktu) in enumerate(templates):
        ind[k] = [indicator(kuan[0]), indicator(kual[0]), indicator(waktu[0]), indicator(_BIAYA[0])]
        sat[k] = [satuan(kuan[1]), satuan(kual[1]), satuan(waktu[1]), satuan(_BIAYA[1])]
        turun[k] = [False, False, waktu[3] == "turun", True]
        target[k] = [(kuan[2], kuan[3]), (kual[2], kual[2]), (waktu[2], waktu[2]), (5, 50)]
    capped = np.isin(np.asarray(satuan.values), ["%", "nilai"])
    return {
        "rhk": np.asarray([tpl[0] for tpl in templates], dtype=object),
        "family_of": np.asarray(family_of),
        "by_family": by_family,
        "n_by_family": (by_family >= 0).sum(axis=1),
        "first_tambahan": np.asarray(len(family_of)),
        "indicator": indicator.array(),
        "satuan": satuan.array(),
        "ind": ind,
        "sat": sat,
        "turun": turun,
        "target": target,
        "capped": capped,
    }


_TPL = _flatten_templates()
_ACT_TEXT = np.asarray([t for fam in _FAMILIES for t in _AKTIVITAS[fam]], dtype=object)
_ACT_START = np.cumsum([0] + [len(_AKTIVITAS[f]) for f in _FAMILIES])[:-1]
_ACT_COUNT = np.asarray([len(_AKTIVITAS[f]) for f in _FAMILIES])
_RHK_IDS = [f"RHK-{i}" for i in range(1, 5)]


def _level(achievement: np.ndarray, style: np.ndarray, coin: np.ndarray) -> np.ndarray:
    """Return the level a supervisor gives for a mean achievement (%), by the supervisor's style.

    Fair supervisors round borderline cases up: 105–110 % is Di Atas half the time, 80–90 % is
    Sesuai. Lenient ones give Di Atas from 98 %; severe ones only from 115 %, Di Bawah below 90 %.
    """
    up = np.select([style == _LENIENT, style == _SEVERE], [98.0, 115.0], 110.0)
    border = np.where(style == _NORMAL, 105.0, up)
    down = np.select([style == _LENIENT, style == _SEVERE], [75.0, 90.0], 80.0)
    atas = (achievement >= up) | ((achievement >= border) & (coin < 0.5))
    return np.select([atas, achievement < down], [_ATAS, _BAWAH], _SESUAI).astype(np.int8)


@dataclass
class _Chunk:
    """One chunk of employees ``lo … hi`` and what its tables need from each other."""

    world: _World
    lo: int
    hi: int
    rng: np.random.Generator
    global_nips: bool

    @property
    def size(self) -> int:
        return self.hi - self.lo

    def nip(self, index: np.ndarray) -> pd.Categorical:
        """NIPs of global employee positions (-1 for none) as a categorical."""
        nips = self.world.arrays["nip"]
        if self.global_nips:
            return pd.Categorical.from_codes(index, dtype=self.world.nip_dtype)
        if len(index) and index.min() >= self.lo and index.max() < self.hi:
            return pd.Categorical.from_codes(
                index - self.lo, categories=pd.Index(nips[self.lo : self.hi], dtype="str")
            )
        present = index >= 0
        used = np.zeros(len(nips), dtype=bool)
        used[index[present]] = True  # a mask and a running count instead of sorting the rows
        uniques = np.flatnonzero(used)
        codes = np.where(present, np.cumsum(used)[np.maximum(index, 0)] - 1, -1).astype(np.int32)
        return pd.Categorical.from_codes(codes, categories=pd.Index(nips[uniques], dtype="str"))

    def periode(self, codes: np.ndarray) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, dtype=self.world.periode_dtype)


def _skp(ch: _Chunk) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Plans, indicators and realisations of one chunk, with the evidence each rating follows."""
    a, rng = ch.world.arrays, ch.rng
    e_n = ch.size
    emp = np.arange(ch.lo, ch.hi)
    fam = a["family"][emp]
    # 2–4 RHK: 1–3 utama from the family's templates, plus one tambahan (always after one utama).
    n_utama = rng.choice([1, 2, 3], size=e_n, p=[0.25, 0.45, 0.30])
    n_utama = np.minimum(n_utama, _TPL["n_by_family"][fam])
    tambahan = (rng.random(e_n) < 0.35) | (n_utama == 1)
    n_rhk = n_utama + tambahan
    by_family = _TPL["by_family"][fam]
    keys = np.where(by_family >= 0, rng.random(by_family.shape), 2.0)
    utama = np.take_along_axis(by_family, np.argsort(keys, axis=1), axis=1)[:, :3]
    extra = _TPL["first_tambahan"] + rng.integers(0, len(_TAMBAHAN), e_n)
    slot = np.arange(4)[None, :]
    tpl = np.where(slot < n_utama[:, None], np.pad(utama, ((0, 0), (0, 1))), extra[:, None])
    valid = slot < n_rhk[:, None]
    r_emp, r_slot = np.nonzero(valid)
    r_tpl = tpl[r_emp, r_slot]
    r_utama = r_slot < n_utama[r_emp]
    n_r = len(r_emp)
    # Indicators: kuantitas and kualitas always, waktu mostly, biaya for about one RHK in ten.
    has = np.c_[np.ones((n_r, 2), bool), rng.random(n_r) < 0.85, rng.random(n_r) < 0.10]
    p_rhk, p_aspect = np.nonzero(has)
    p_emp = r_emp[p_rhk]
    p_tpl = r_tpl[p_rhk]
    n_p = len(p_rhk)
    lo, hi = _TPL["target"][p_tpl, p_aspect, 0], _TPL["target"][p_tpl, p_aspect, 1]
    turun = _TPL["turun"][p_tpl, p_aspect]
    capped = _TPL["capped"][_TPL["sat"][p_tpl, p_aspect]]
    t_q = np.select(
        [p_aspect == 0, p_aspect == 3, capped],
        [
            rng.integers(lo.astype(int), hi.astype(int) + 1),
            rng.integers(5, 51, n_p) * 1_000_000.0,
            np.minimum(lo + rng.choice([-5, 0, 0, 5], n_p), 95),
        ],
        np.maximum(1, np.rint(lo * rng.choice([0.8, 1.0, 1.0, 1.25], n_p))),
    ).astype(float)
    # Realisations per quarter from the employee's latent performance.
    level = 1.035 + 0.06 * a["perf"][emp]
    level_q = level[:, None] * np.exp(rng.normal(0, 0.025, (e_n, 4)))
    contra_q = a["contra_q"][emp]
    contra_kind = a["contra_kind"][emp]
    has_contra = contra_q >= 0
    rows_c = np.flatnonzero(has_contra)
    level_q[rows_c, contra_q[rows_c]] = np.where(contra_kind[rows_c] == _ATAS, 0.66, 1.4)
    sigma = np.array([0.07, 0.04, 0.06, 0.04])[p_aspect]
    ach = level_q[p_emp] * np.exp(sigma[:, None] * rng.standard_normal((n_p, 4)))
    t = t_q[:, None]
    real = np.where(turun[:, None], t / ach, t * ach)
    real = np.where(
        (p_aspect == 0)[:, None],
        np.rint(real),
        np.where((p_aspect == 3)[:, None], np.round(real, -3), np.round(real, 1)),
    )
    real = np.where(capped[:, None], np.minimum(real, 100.0), real)
    summed = (p_aspect == 0) | (p_aspect == 3)
    target = np.c_[np.repeat(t, 4, axis=1), np.where(summed, 4 * t_q, t_q)]
    year = np.where(summed, real.sum(axis=1), np.round(real.mean(axis=1), 2))
    real = np.c_[real, year]
    # Planted: some indicators not reported yet in TW4 (so the year is open too).
    missing_real = a["miss_realisasi"][emp][p_emp] & (rng.random(n_p) < 0.6)
    real[missing_real, 3] = np.nan
    real[missing_real, 4] = np.nan
    # Achievement per indicator, capped at 150 %; means per RHK and per employee, by period.
    with np.errstate(divide="ignore", invalid="ignore"):
        achieved = np.where(turun[:, None], target / real, real / target) * 100.0
    achieved = np.minimum(achieved, 150.0)
    style = np.where(a["sup"][emp] >= 0, a["rater_kind"][np.maximum(a["sup"][emp], 0)], _NORMAL)
    present = ~np.isnan(achieved)
    filled = np.where(present, achieved, 0.0)
    rhk_mean = _group_mean(p_rhk, filled, present, n_r)
    emp_mean = _group_mean(p_emp, filled, present, e_n)
    rating = _level(rhk_mean, style[r_emp][:, None], rng.random((n_r, 5)))
    given = _level(emp_mean, style[:, None], rng.random((e_n, 5)))
    # Di Atas needs every utama RHK at least Sesuai (PermenPAN-RB 6/2022).
    utama_below = np.zeros((e_n, 5), dtype=bool)
    np.logical_or.at(utama_below, r_emp[r_utama], rating[r_utama] == _BAWAH)
    given = np.where((given == _ATAS) & utama_below, _SESUAI, given).astype(np.int8)
    # Planted contradictions hold only where the indicators really say the opposite.
    contra = np.zeros((e_n, 5), dtype=bool)
    q = np.where(has_contra, contra_q, 0)
    at_q = emp_mean[np.arange(e_n), q]
    holds = has_contra & np.where(contra_kind == _ATAS, at_q < 80.0, at_q >= 115.0)
    contra[np.flatnonzero(holds), q[holds]] = True
    given = np.where(contra, contra_kind[:, None], given).astype(np.int8)
    rating = np.where(contra[r_emp], contra_kind[r_emp][:, None], rating).astype(np.int8)
    rating_shown = np.where((rng.random((n_r, 5)) < 0.08) & ~contra[r_emp], -1, rating)
    feedback = np.where(rng.random((n_r, 5)) < 0.15, rating * 2 + rng.integers(0, 2, (n_r, 5)), -1)
    # Rows: employee → period → RHK → indicator; the planted gaps dropped.
    per_emp = np.bincount(p_emp, minlength=e_n)
    first_row = np.cumsum(per_emp) - per_emp
    out_emp = np.repeat(np.arange(e_n), 5 * per_emp)
    offset = np.arange(len(out_emp)) - np.repeat(5 * first_row, 5 * per_emp)
    period = offset // per_emp[out_emp]
    row = first_row[out_emp] + offset % per_emp[out_emp]
    keep = a["miss_skp_q"][emp][out_emp] != period
    out_emp, period, row = out_emp[keep], period[keep], row[keep]
    rhk = p_rhk[row]
    is_first = np.r_[True, p_rhk[1:] != p_rhk[:-1]][row]
    fb = np.where(is_first, feedback[rhk, period], -1)
    fb_texts = [t for pair in _UMPAN_BALIK_SKP for t in pair]
    frame = pd.DataFrame(
        {
            "periode": ch.periode(period),
            "nip": ch.nip(out_emp + ch.lo),
            "rhk_id": pd.Categorical.from_codes(r_slot[rhk], categories=_RHK_IDS),
            "rhk": pd.Categorical.from_codes(p_tpl[row], categories=_TPL["rhk"]),
            "jenis_rhk": pd.Categorical.from_codes(
                (~r_utama[rhk]).astype(np.int8), dtype=vocab.JENIS_RHK.dtype
            ),
            "aspek": pd.Categorical.from_codes(p_aspect[row], dtype=vocab.ASPEK.dtype),
            "indikator": pd.Categorical.from_codes(
                _TPL["ind"][p_tpl[row], p_aspect[row]], categories=_TPL["indicator"]
            ),
            "target": target[row, period],
            "realisasi": real[row, period],
            "satuan": pd.Categorical.from_codes(
                _TPL["sat"][p_tpl[row], p_aspect[row]], categories=_TPL["satuan"]
            ),
            "arah": pd.Categorical.from_codes(turun[row].astype(np.int8), dtype=vocab.ARAH.dtype),
            "rating_atasan": pd.Categorical.from_codes(
                rating_shown[rhk, period], dtype=vocab.LEVEL.dtype
            ),
            "umpan_balik": pd.Categorical.from_codes(fb, categories=fb_texts),
        }
    )
    evidence = {"capaian": emp_mean, "given": given, "contra": contra, "n_rhk": n_rhk}
    return frame, evidence


def _group_mean(group: np.ndarray, values: np.ndarray, present: np.ndarray, n: int) -> np.ndarray:
    """Mean of ``values`` (rows × periods) by row group, over present cells only."""
    out = np.full((n, values.shape[1]), np.nan)
    for p in range(values.shape[1]):
        total = np.bincount(group, weights=values[:, p], minlength=n)
        count = np.bincount(group, weights=present[:, p], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, p] = total / count
    return out


def _perilaku(ch: _Chunk) -> tuple[pd.DataFrame, np.ndarray]:
    """Multi-source behaviour ratings; returns them and each supervisor's mean score."""
    a, rng = ch.world.arrays, ch.rng
    e_n = ch.size
    emp = np.arange(ch.lo, ch.hi)
    sup = a["sup"][emp]
    peers, bawahan = a["peers"][emp], a["bawahan"][emp]
    raters, roles, periods, ratees = [], [], [], []
    for p in range(5):
        sources = [(sup, _ATASAN), (np.full(e_n, -2), _DIRI)]
        if p == 4:
            sources += [
                (peers[:, 0], _REKAN),
                (peers[:, 1], _REKAN),
                (bawahan[:, 0], _BAWAHAN),
                (bawahan[:, 1], _BAWAHAN),
            ]
        for who, role in sources:
            ok = (who >= 0) | (role == _DIRI)
            if p < 4:
                ok &= a["miss_perilaku_q"][emp] != p
            raters.append(who[ok])
            roles.append(np.full(int(ok.sum()), role, dtype=np.int8))
            periods.append(np.full(int(ok.sum()), p, dtype=np.int8))
            ratees.append(np.flatnonzero(ok))
    rater = np.concatenate(raters)
    role = np.concatenate(roles)
    period = np.concatenate(periods)
    ratee = np.concatenate(ratees)
    # Rows: employee → period → rater, then the seven values.
    order = np.lexsort((role, period, ratee))
    rater, role, period, ratee = rater[order], role[order], period[order], ratee[order]
    n_src = len(rater)
    value = np.tile(np.arange(7), n_src)
    rater, role, period, ratee = (np.repeat(x, 7) for x in (rater, role, period, ratee))
    bias = np.where(rater >= 0, a["rater_bias"][np.maximum(rater, 0)], 0.0)
    kind = np.where((role == _ATASAN) & (rater >= 0), a["rater_kind"][np.maximum(rater, 0)], 0)
    bias = bias + np.select([kind == _LENIENT, kind == _SEVERE], [_BIAS, -_BIAS], 0.0)
    bias = bias + np.where(role == _DIRI, 0.3, 0.0)
    trait = a["beh"][emp][:, None] + _VALUE_OFFSET[None, :] + rng.normal(0, 0.15, (e_n, 7))
    drift = rng.normal(0, 0.08, (e_n, 5))
    mu = trait[ratee, value] + drift[ratee, period] + bias
    score = np.clip(np.rint(mu + rng.normal(0, 0.45, len(mu))), 1, 5).astype(np.int8)
    total = np.zeros((e_n, 5))
    count = np.zeros((e_n, 5))
    atasan = role == _ATASAN
    np.add.at(total, (ratee[atasan], period[atasan]), score[atasan])
    np.add.at(count, (ratee[atasan], period[atasan]), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sup_mean = total / count
    feedback = np.where(atasan & (rng.random(len(score)) < 0.05), score - 1, -1)
    frame = pd.DataFrame(
        {
            "periode": ch.periode(period),
            "nip": ch.nip(ratee + ch.lo),
            "nip_penilai": ch.nip(np.where(role == _DIRI, -1, rater)),
            "peran_penilai": pd.Categorical.from_codes(role, dtype=vocab.PERAN_PENILAI.dtype),
            "nilai_inti": pd.Categorical.from_codes(value, dtype=vocab.NILAI_INTI.dtype),
            "skor": score,
            "umpan_balik": pd.Categorical.from_codes(feedback, categories=_UMPAN_BALIK_PERILAKU),
        }
    )
    return frame, sup_mean


def _kehadiran(ch: _Chunk) -> pd.DataFrame:
    """Working days, presence, lateness, absence and leave per employee and period."""
    a, rng = ch.world.arrays, ch.rng
    e_n = ch.size
    days = ch.world.working_days
    per_quarter = np.array(
        [(days.astype("datetime64[M]").astype(int) % 12 // 3 == q).sum() for q in range(4)]
    )
    cuti = np.minimum(rng.poisson(2.5, (e_n, 4)), 12)
    izin = rng.poisson(1.0, (e_n, 4))
    careless = rng.random(e_n) < 0.05
    tk = rng.poisson(np.where(careless, 1.5, 0.08)[:, None], (e_n, 4))
    hari = np.broadcast_to(per_quarter, (e_n, 4))
    cuti = np.minimum(cuti, hari)
    tk = np.minimum(tk, hari - cuti)
    hadir = np.maximum(hari - cuti - tk - izin, 0)
    late_rate = rng.lognormal(np.log(2.0), 1.0, e_n) * (1.3 - 0.3 * (a["beh"][ch.lo : ch.hi] - 4))
    late = rng.poisson(np.maximum(late_rate, 0)[:, None] * hadir)
    table = np.stack([hari, hadir, late, tk, cuti], axis=-1)  # (e, 4, 5)
    table = np.concatenate([table, table.sum(axis=1, keepdims=True)], axis=1)
    keep = ~a["no_kehadiran"][ch.lo : ch.hi]
    emp = np.repeat(np.flatnonzero(keep), 5)
    period = np.tile(np.arange(5), int(keep.sum()))
    values = table[keep].reshape(-1, 5)
    return pd.DataFrame(
        {
            "periode": ch.periode(period),
            "nip": ch.nip(emp + ch.lo),
            "hari_kerja": values[:, 0].astype(np.int16),
            "hadir": values[:, 1].astype(np.int16),
            "terlambat_menit": values[:, 2].astype(np.int32),
            "tanpa_keterangan": values[:, 3].astype(np.int16),
            "cuti": values[:, 4].astype(np.int16),
        }
    )


def _aktivitas(ch: _Chunk, n_rhk: np.ndarray) -> pd.DataFrame:
    """Log daily activity: entries on a share of working days, approved by the supervisor."""
    a, rng = ch.world.arrays, ch.rng
    e_n = ch.size
    days = ch.world.working_days
    rate = rng.uniform(0.4, 0.95, e_n)
    reported = rng.random((e_n, len(days)), dtype=np.float32) < rate[:, None].astype(np.float32)
    emp, day = np.nonzero(reported)
    double = rng.random(len(emp)) < 0.08
    emp, day, double = (
        np.repeat(emp, 1 + double),
        np.repeat(day, 1 + double),
        np.repeat(double, 1 + double),
    )
    n = len(emp)
    minutes = np.where(double, rng.integers(2, 9, n), rng.integers(2, 17, n)) * 30
    fam = a["family"][ch.lo : ch.hi][emp]
    text = _ACT_START[fam] + (rng.random(n) * _ACT_COUNT[fam]).astype(np.int64)
    rhk = (rng.random(n) * n_rhk[emp]).astype(np.int8)
    # Mostly approved; some rejected; a backlog of pending entries in the last weeks.
    late = day >= len(days) - 15
    u = rng.random(n)
    status = np.select([u < np.where(late, 0.55, 0.006), u > 0.97], [2, 1], 0).astype(np.int8)
    sup = a["sup"][ch.lo : ch.hi][emp]
    approver = np.where(status == 2, -1, sup)
    return pd.DataFrame(
        {
            "tanggal": days[day].astype("datetime64[s]"),
            "nip": ch.nip(emp + ch.lo),
            "uraian": pd.Categorical.from_codes(text, categories=_ACT_TEXT),
            "durasi_menit": minutes.astype(np.int16),
            "rhk_id": pd.Categorical.from_codes(rhk, categories=_RHK_IDS),
            "status": pd.Categorical.from_codes(status, dtype=vocab.STATUS_AKTIVITAS.dtype),
            "nip_penyetuju": ch.nip(approver),
        }
    )


_PREDIKAT_MATRIX = np.array(
    [
        # perilaku: Di Bawah, Sesuai, Di Atas  (positions in vocab.PREDIKAT.values)
        [0, 2, 2],  # hasil kerja Di Bawah: Sangat Kurang, Butuh Perbaikan, Butuh Perbaikan
        [1, 3, 3],  # Sesuai: Kurang/Misconduct, Baik, Baik
        [1, 3, 4],  # Di Atas: Kurang/Misconduct, Baik, Sangat Baik
    ]
)
"""DOMAIN.md §2: predikat by (rating hasil kerja, rating perilaku)."""


def _penilaian(ch: _Chunk, evidence: dict[str, np.ndarray], sup_mean: np.ndarray) -> pd.DataFrame:
    """Results as the official system gives them: levels that mostly follow the evidence."""
    a = ch.world.arrays
    e_n = ch.size
    emp = np.arange(ch.lo, ch.hi)
    hasil = evidence["given"].astype(np.int64)
    beh = a["beh"][emp][:, None]
    no_sup = np.isnan(sup_mean)
    basis = np.where(no_sup, beh + 0.05, sup_mean)
    perilaku = np.select([basis >= 4.5, basis >= 3.0], [_ATAS, _SESUAI], _BAWAH)
    # The planted curve OPD: a third Sangat Baik, everyone else Baik.
    member = a["curve_member"][emp][:, None]
    sb = a["curve_sb"][emp][:, None]
    hasil = np.where(sb, _ATAS, np.where(member, _SESUAI, hasil))
    perilaku = np.where(sb, _ATAS, np.where(member, np.maximum(perilaku, _SESUAI), perilaku))
    predikat = _PREDIKAT_MATRIX[hasil, perilaku]
    # Periods whose SKP or behaviour ratings are missing have no official result.
    keep = np.ones((e_n, 5), dtype=bool)
    for name in ("miss_skp_q", "miss_perilaku_q"):
        q = a[name][emp]
        rows = np.flatnonzero(q >= 0)
        keep[rows, q[rows]] = False
    e, p = np.nonzero(keep)
    return pd.DataFrame(
        {
            "periode": ch.periode(p),
            "nip": ch.nip(e + ch.lo),
            "rating_hasil_kerja": pd.Categorical.from_codes(hasil[e, p], dtype=vocab.LEVEL.dtype),
            "rating_perilaku": pd.Categorical.from_codes(perilaku[e, p], dtype=vocab.LEVEL.dtype),
            "predikat": pd.Categorical.from_codes(predikat[e, p], dtype=vocab.PREDIKAT.dtype),
        }
    )


def _facts(world: _World, k: int, global_nips: bool) -> dict[str, pd.DataFrame]:
    """Generate the fact tables of chunk ``k``; record what it planted in ``world.planted``."""
    lo, hi = k * CHUNK, min(world.n, (k + 1) * CHUNK)
    ch = _Chunk(world, lo, hi, _rng(world.seed, 2, k), global_nips)
    skp, evidence = _skp(ch)
    perilaku, sup_mean = _perilaku(ch)
    tables = {
        "skp": skp,
        "perilaku": perilaku,
        "kehadiran": _kehadiran(ch),
        "aktivitas": _aktivitas(ch, evidence["n_rhk"]),
        "penilaian": _penilaian(ch, evidence, sup_mean),
    }
    if world.plant:
        nips = world.arrays["nip"]
        e, p = np.nonzero(evidence["contra"])
        level_names = vocab.LEVEL.values
        world.planted["contradictions"] += [
            {
                "nip": nips[lo + i],
                "periode": world.periodes[q],
                "rating_hasil_kerja": level_names[int(evidence["given"][i, q])],
                "capaian": round(float(evidence["capaian"][i, q]), 1),
            }
            for i, q in zip(e.tolist(), p.tolist(), strict=True)
        ]
        empty = skp[skp["realisasi"].isna() & (skp["periode"] == world.periodes[3])]
        world.planted["missing"]["realisasi"] += [
            {"nip": n, "periode": world.periodes[3], "rhk_id": r, "indikator": i}
            for n, r, i in zip(
                empty["nip"].astype(str),
                empty["rhk_id"].astype(str),
                empty["indikator"].astype(str),
                strict=True,
            )
        ]
    return tables


def _prepare(n_pegawai: int, seed: int, tahun: int, plant: bool) -> _World:
    world = _build_world(int(n_pegawai), int(seed), int(tahun), bool(plant))
    world.arrays["nip"] = world.arrays["nip"].astype(object)
    world.nip_dtype = pd.CategoricalDtype(pd.Index(world.arrays["nip"], dtype="str"))
    world.periode_dtype = periode_dtype(world.periodes)
    start = np.datetime64(f"{tahun}-01-01")
    days = np.arange(start, np.datetime64(f"{tahun + 1}-01-01"))
    holidays = [f"{tahun}-{md}" for md in ("01-01", "05-01", "06-01", "08-17", "12-25")]
    world.working_days = days[np.is_busday(days, holidays=holidays)]
    return world


def _chunks(world: _World, global_nips: bool) -> Iterator[dict[str, pd.DataFrame]]:
    for k in range(-(-world.n // CHUNK)):
        yield _facts(world, k, global_nips)


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
    n_pegawai: int = 2500, seed: int = 2025, tahun: int = 2025, *, plant: bool = True
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
    world = _prepare(n_pegawai, seed, tahun, plant)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in FACT_TABLES}
    for chunk in _chunks(world, global_nips=True):
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
    return SampleCity({name: tables[name] for name in TABLE_ORDER}, world.planted)


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
        if self.format == "csv":
            frame.to_csv(self.path(name), mode="w" if first else "a", header=first, index=False)
            return
        import pyarrow.parquet as pq

        table = _arrow(frame)
        if first:
            self.writers[name] = pq.ParquetWriter(self.path(name), table.schema, compression="zstd")
        self.writers[name].write_table(table)

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
        self.writers.clear()


def _excel_header(table: str, column: str) -> str:
    spec = TABLES[table].column(column)
    return spec.aliases[0] if spec.aliases else column


def _excel_values(
    table: str, column: str, series: pd.Series, rng: np.random.Generator
) -> list[object]:
    """One column as e-Kinerja exports write it, with the loose forms the loader accepts."""
    spec = TABLES[table].column(column)
    n = len(series)
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = [str(c) for c in series.cat.categories]
        variants = [[c] for c in categories]
        if spec.kind == "nip":
            formatted = format_nip(pd.Series(categories, dtype="str")).tolist()
            variants = [[f] for f in formatted]
        elif spec.labels is vocab.LEVEL:
            variants = [[c, c.upper(), c.removesuffix(" Ekspektasi")] for c in categories]
        elif spec.kind == "periode":
            variants = [[c, c.replace("-", " ")] for c in categories]
        elif spec.labels is vocab.PREDIKAT:
            variants = [
                [c, "Kurang" if c == "Kurang/Misconduct" else c.upper()] for c in categories
            ]
        elif spec.labels is vocab.JENIS_KELAMIN:
            variants = [[c, {"L": "Laki-laki", "P": "Perempuan"}[c]] for c in categories]
        elif spec.labels is vocab.PERAN_PENILAI:
            long = {
                "diri": "Diri Sendiri",
                "atasan": "Atasan Langsung",
                "rekan": "Rekan Kerja",
                "bawahan": "Bawahan",
            }
            variants = [[c, long[c]] for c in categories]
        width = max((len(v) for v in variants), default=1)
        table_ = np.empty((len(categories) + 1, width), dtype=object)
        for i, v in enumerate(variants):
            table_[i] = (v * width)[:width]
        table_[-1] = None
        codes = series.cat.codes.to_numpy().astype(np.int64)
        codes = np.where(codes < 0, len(categories), codes)
        pick = rng.choice(width, n, p=[0.7] + [0.3 / (width - 1)] * (width - 1)) if width > 1 else 0
        return table_[codes, pick].tolist()
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.dt.to_pydatetime().tolist()
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy()
        return np.where(np.isnan(values), None, values.astype(object)).tolist()
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.to_numpy().tolist()
    values = series.astype(object)
    if spec.kind == "nip":
        values = format_nip(series.astype("str"))
    return values.where(series.notna(), None).tolist()


def _write_workbook(path: Path, tables: dict[str, pd.DataFrame], seed: int) -> None:
    """All tables as sheets of one workbook, streamed row by row (xlsxwriter constant_memory)."""
    import xlsxwriter

    rng = _rng(seed, 9)
    options = {
        "constant_memory": True,
        "default_date_format": "dd/mm/yyyy",
        "strings_to_formulas": False,
        "strings_to_urls": False,
    }
    with xlsxwriter.Workbook(str(path), options) as workbook:
        bold = workbook.add_format({"bold": True})
        for name, frame in tables.items():
            sheet = workbook.add_worksheet(name)
            headers = [_excel_header(name, c) for c in frame.columns]
            for i, header in enumerate(headers):
                sheet.set_column(i, i, max(10, min(40, len(header) + 4)))
            sheet.freeze_panes(1, 0)
            sheet.write_row(0, 0, headers, bold)
            columns = [_excel_values(name, c, frame[c], rng) for c in frame.columns]
            write_row = sheet.write_row
            for r, row in enumerate(zip(*columns, strict=True), start=1):
                write_row(r, 0, row)


def _estimate_rows(n: int) -> int:
    """Estimate (a little above) the aktivitas rows of ``n`` employees: the largest table."""
    return int(n * 262 * 0.675 * 1.08 * 1.02)


_OWN_FILES = frozenset(f"{t}.{ext}" for t in TABLE_ORDER for ext in ("csv", "parquet", "xlsx")) | {
    "planted.json"
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
) -> dict[str, Any]:
    """Generate a fictional city and write it as a dataset folder (and optionally a workbook).

    Parameters
    ----------
    out : Path or str
        The dataset folder: one file per table (``opd.csv`` … or ``.parquet``) and
        ``planted.json``. Replaced as a whole once everything is written, so a crash never
        leaves half a dataset; an existing folder may hold only files of a previous sample.
    n_pegawai, seed, tahun, plant
        As in :func:`generate`.
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
    city = _workbook_city(n_pegawai, seed, tahun, plant) if book is not None else None
    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        staging_folder(out.parent, prefix=f".{out.name}.tmp-") as staging,
        contextlib.ExitStack() as pending,
    ):
        rows, planted = _write_tables(staging, fmt, city, n_pegawai, seed, tahun, plant)
        text = json.dumps(planted, ensure_ascii=False, indent=2)
        (staging / "planted.json").write_text(text + "\n", encoding="utf-8")
        if book is not None and city is not None:
            # The workbook replaces the old one only after the folder is in place.
            book_tmp = pending.enter_context(atomic_path(book))
            _write_workbook(book_tmp, city.tables, int(seed))
        replace_folder(staging, out)
    files = [str(out / f"{name}.{fmt}") for name in TABLE_ORDER] + [str(out / "planted.json")]
    return {
        "folder": str(out),
        "format": fmt,
        "rows": rows,
        "files": files,
        "workbook": str(book) if book is not None else None,
        "planted": str(out / "planted.json"),
    }


def _workbook_city(n_pegawai: int, seed: int, tahun: int, plant: bool) -> SampleCity:
    """Generate in memory for a workbook, refusing tables longer than an Excel sheet."""
    estimate = _estimate_rows(int(n_pegawai))
    if estimate > EXCEL_MAX_ROWS:
        raise UsageError(_too_big("aktivitas", estimate))
    city = generate(n_pegawai, seed, tahun, plant=plant)
    for name, frame in city.tables.items():
        if len(frame) > EXCEL_MAX_ROWS:
            raise UsageError(_too_big(name, len(frame)))
    return city


def _write_tables(
    folder: Path,
    fmt: str,
    city: SampleCity | None,
    n_pegawai: int,
    seed: int,
    tahun: int,
    plant: bool,
) -> tuple[dict[str, int], dict[str, Any]]:
    """Write every table into ``folder``: from ``city`` when given, else chunk by chunk."""
    sink = _Sink(folder, fmt)
    try:
        if city is not None:
            for name, frame in city.tables.items():
                sink.write(name, frame)
            planted = city.planted
        else:
            world = _prepare(n_pegawai, seed, tahun, plant)
            for name in STATIC_TABLES:
                sink.write(name, getattr(world, name))
            for chunk in _chunks(world, global_nips=False):
                for name, frame in chunk.items():
                    sink.write(name, frame)
            planted = world.planted
    finally:
        sink.close()
    return {name: sink.rows.get(name, 0) for name in TABLE_ORDER}, planted


def _too_big(table: str, rows: int) -> str:
    def number(value: int) -> str:
        return f"{value:,}".replace(",", ".")

    return (
        f"tabel {table} berisi sekitar {number(rows)} baris, melebihi batas satu lembar Excel "
        f"({number(EXCEL_MAX_ROWS)} baris data); buku kerja tidak dibuat. Kurangi n_pegawai "
        "atau tulis tanpa buku kerja (format='parquet' untuk data besar)"
    )
