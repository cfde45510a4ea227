"""The input contract: every table, its columns, their kinds, ranges and header aliases.

This module is the single written form of ``data/README.md``: the loader reads headers through
it, the validator checks values against it, and the sample generator writes what it describes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from asn_eval.input import vocab
from asn_eval.input.vocab import Vocabulary, match_key

__all__ = ["TABLES", "Column", "Reference", "Table", "column_lookup", "table_for_name"]

Kind = Literal["nip", "code", "text", "number", "integer", "date", "periode", "label"]


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    Parameters
    ----------
    name : str
        Canonical column name (as in ``data/README.md``).
    kind : str
        How values are parsed: ``nip``, ``code``, ``text``, ``number``, ``integer``, ``date``,
        ``periode`` or ``label`` (a closed vocabulary).
    required : bool
        Whether the column must be present and every value filled.
    aliases : tuple of str
        Other headers that mean this column, as Indonesian exports write them.
    labels : Vocabulary, optional
        The vocabulary of a ``label`` column.
    ge, gt, le : float, optional
        Inclusive lower, exclusive lower and inclusive upper bounds of a numeric column.
    description : str
        What the column holds, in Bahasa Indonesia.
    also : str, optional
        Other forms a number column is read in: ``"durasi"`` (``2 jam``, ``1:30``, a time cell)
        or ``"jawaban_ikm"`` (``c``, ``c. Sesuai``; the element is the digit of the name).
    """

    name: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    labels: Vocabulary | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    description: str = ""
    also: Literal["durasi", "jawaban_ikm"] | None = None


@dataclass(frozen=True)
class Reference:
    """A column whose values must exist in another table's key column.

    Parameters
    ----------
    column : str
        The referring column.
    table : str
        The table referred to.
    target : str
        The column referred to.
    """

    column: str
    table: str
    target: str


@dataclass(frozen=True)
class Table:
    """One input table.

    Parameters
    ----------
    name : str
        Table name, also the file or sheet name.
    columns : tuple of Column
        The known columns, in their documented order.
    required : bool
        Whether a dataset must have this table.
    key : tuple of str
        Columns that together identify a row; duplicates are errors. Key columns absent from a
        file are left out of the comparison.
    optional_key : tuple of str
        Key columns without which a row cannot be identified: rows where one is empty (or the
        column is absent) are not compared (survey answers without a respondent id).
    references : tuple of Reference
        Values that must exist in another table.
    aliases : tuple of str
        Other file or sheet names that mean this table.
    description : str
        What a row is, in Bahasa Indonesia.
    """

    name: str
    columns: tuple[Column, ...]
    required: bool = False
    key: tuple[str, ...] = ()
    optional_key: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    aliases: tuple[str, ...] = ()
    description: str = ""
    _by_name: dict[str, Column] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_name.update({c.name: c for c in self.columns})

    def column(self, name: str) -> Column:
        """Return the column called ``name``.

        Parameters
        ----------
        name : str
            Canonical column name.

        Returns
        -------
        Column
            Its specification.
        """
        return self._by_name[name]

    def find(self, name: str) -> Column | None:
        """Return the column called ``name``, or None for a column outside the contract.

        Parameters
        ----------
        name : str
            Column name.

        Returns
        -------
        Column or None
            Its specification, if the contract has it.
        """
        return self._by_name.get(name)

    @property
    def required_columns(self) -> list[str]:
        """Names of the columns that must be present."""
        return [c.name for c in self.columns if c.required]


def _nip(name: str, required: bool, *aliases: str, description: str = "") -> Column:
    return Column(name, "nip", required, aliases, description=description)


_PERIODE = Column(
    "periode",
    "periode",
    True,
    ("Periode Penilaian", "Triwulan", "Periode SKP", "Tahun Penilaian", "Bulan", "Periode Absensi"),
    description="periode penilaian: 2025-TW1 … 2025-TW4 atau 2025",
)
_NIP = _nip("nip", True, "NIP Pegawai", "NIP Baru", "NIP Yang Dinilai", description="NIP pegawai")
_KODE_OPD = Column(
    "kode_opd",
    "code",
    True,
    ("Kode OPD", "Kode Perangkat Daerah", "Perangkat Daerah", "OPD", "SKPD", "Kode SKPD"),
    description="kode OPD (atau namanya, persis seperti pada tabel opd)",
)
_KODE_INSTANSI = Column(
    "kode_instansi",
    "code",
    False,
    ("Kode Instansi", "Kode Pemda", "Kode Pemerintah Daerah"),
    description="kode instansi (tanpa /); wajib bila tabel opd memakainya",
)
_UMPAN_BALIK = Column(
    "umpan_balik",
    "text",
    False,
    ("Umpan Balik", "Feedback", "Catatan Atasan"),
    description="umpan balik, teks bebas",
)

_IKM_ELEMENTS = (
    "Persyaratan",
    "Sistem, Mekanisme, dan Prosedur",
    "Waktu Penyelesaian",
    "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan",
    "Kompetensi Pelaksana",
    "Perilaku Pelaksana",
    "Penanganan Pengaduan, Saran dan Masukan",
    "Sarana dan Prasarana",
)
"""Names of the nine IKM elements U1 … U9 (PermenPAN-RB 14/2017)."""

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "instansi",
            (
                replace(_KODE_INSTANSI, required=True, description="kode unik instansi (tanpa /)"),
                Column(
                    "nama_instansi",
                    "text",
                    True,
                    ("Nama Instansi", "Nama Pemda", "Pemerintah Daerah"),
                    description="nama, mis. Pemerintah Kota Sukamaju",
                ),
            ),
            key=("kode_instansi",),
            aliases=("daftar instansi", "pemda"),
            description="satu baris per instansi (pemerintah daerah atau instansi pusat)",
        ),
        Table(
            "opd",
            (
                _KODE_INSTANSI,
                Column(
                    "kode_opd",
                    "code",
                    True,
                    ("Kode OPD", "Kode Perangkat Daerah", "Kode SKPD", "Kode Unit"),
                    description="kode OPD, unik (dalam instansinya)",
                ),
                Column(
                    "nama_opd",
                    "text",
                    True,
                    ("Nama OPD", "Nama Perangkat Daerah", "Perangkat Daerah", "Nama SKPD"),
                    description="nama OPD, mis. Dinas Kesehatan",
                ),
                Column(
                    "jenis",
                    "label",
                    False,
                    ("Jenis OPD", "Jenis Perangkat Daerah", "Tipe OPD"),
                    labels=vocab.JENIS_OPD,
                    description="sekretariat, dinas, badan, inspektorat, kecamatan, upt",
                ),
                Column(
                    "induk",
                    "code",
                    False,
                    ("Induk", "Kode Induk", "OPD Induk", "Induk OPD"),
                    description="kode_opd induk (mis. Puskesmas di bawah Dinas Kesehatan)",
                ),
            ),
            required=True,
            key=("kode_instansi", "kode_opd"),
            references=(
                Reference("kode_instansi", "instansi", "kode_instansi"),
                Reference("induk", "opd", "kode_opd"),
            ),
            aliases=("perangkat daerah", "skpd", "daftar opd"),
            description="satu baris per OPD",
        ),
        Table(
            "pegawai",
            (
                _nip("nip", True, "NIP Pegawai", "NIP Baru", description="NIP 18 angka, unik"),
                Column(
                    "nama",
                    "text",
                    True,
                    ("Nama Pegawai", "Nama Lengkap"),
                    description="nama lengkap",
                ),
                _KODE_INSTANSI,
                Column(
                    "kode_opd",
                    "code",
                    True,
                    ("Kode OPD", "Perangkat Daerah", "OPD", "SKPD", "Kode SKPD", "Unit Organisasi"),
                    description="kode OPD tempat bekerja (atau nama OPD)",
                ),
                Column(
                    "unit_kerja",
                    "text",
                    False,
                    ("Unit Kerja", "Sub Unit Kerja", "Unor"),
                    description="sub-unit",
                ),
                Column("jabatan", "text", True, ("Nama Jabatan",), description="nama jabatan"),
                Column(
                    "jenis_jabatan",
                    "label",
                    True,
                    ("Jenis Jabatan", "Tipe Jabatan"),
                    labels=vocab.JENIS_JABATAN,
                    description="JPT, Administrator, Pengawas, Fungsional, Pelaksana",
                ),
                Column(
                    "golongan",
                    "label",
                    False,
                    ("Gol", "Gol Ruang", "Golongan Ruang", "Pangkat/Golongan"),
                    labels=vocab.GOLONGAN,
                    description="III/a … IV/e atau PPPK I … XVII",
                ),
                Column(
                    "status",
                    "label",
                    False,
                    ("Status Pegawai", "Status Kepegawaian", "Jenis Pegawai"),
                    labels=vocab.STATUS_PEGAWAI,
                    description="PNS atau PPPK",
                ),
                _nip(
                    "nip_atasan",
                    False,
                    "NIP Atasan",
                    "NIP Atasan Langsung",
                    "NIP Pejabat Penilai",
                    description="NIP atasan langsung; harus ada di tabel pegawai",
                ),
                Column(
                    "jenis_kelamin",
                    "label",
                    False,
                    ("Jenis Kelamin", "JK", "L/P", "Gender"),
                    labels=vocab.JENIS_KELAMIN,
                    description="L atau P",
                ),
            ),
            required=True,
            key=("nip",),
            references=(
                Reference("kode_opd", "opd", "kode_opd"),
                Reference("nip_atasan", "pegawai", "nip"),
            ),
            aliases=("asn", "data pegawai", "daftar pegawai"),
            description="satu baris per pegawai",
        ),
        Table(
            "skp",
            (
                _PERIODE,
                _NIP,
                Column(
                    "rhk_id",
                    "code",
                    True,
                    ("ID RHK", "No RHK", "Kode RHK", "Nomor RHK"),
                    description="pengenal RHK dalam SKP pegawai",
                ),
                Column(
                    "rhk",
                    "text",
                    True,
                    ("Rencana Hasil Kerja", "Hasil Kerja", "Uraian RHK"),
                    description="rencana hasil kerja",
                ),
                Column(
                    "jenis_rhk",
                    "label",
                    True,
                    ("Jenis RHK", "Jenis Hasil Kerja"),
                    labels=vocab.JENIS_RHK,
                    description="utama atau tambahan",
                ),
                Column(
                    "aspek",
                    "label",
                    True,
                    ("Aspek Indikator",),
                    labels=vocab.ASPEK,
                    description="kuantitas, kualitas, waktu, biaya",
                ),
                Column(
                    "indikator",
                    "text",
                    True,
                    ("Indikator Kinerja", "Indikator Kinerja Individu", "IKI"),
                    description="teks indikator",
                ),
                Column(
                    "target", "number", True, ("Target Kinerja",), gt=0, description="angka > 0"
                ),
                Column(
                    "realisasi",
                    "number",
                    False,
                    ("Realisasi Kinerja",),
                    ge=0,
                    description="angka ≥ 0; kosong berarti belum dilaporkan (bukan nol)",
                ),
                Column(
                    "satuan",
                    "text",
                    False,
                    ("Satuan Target",),
                    description="satuan, mis. dokumen, %, hari",
                ),
                Column(
                    "arah",
                    "label",
                    False,
                    ("Polaritas", "Arah Indikator"),
                    labels=vocab.ARAH,
                    description="naik (makin tinggi makin baik, bawaan) atau turun",
                ),
                Column(
                    "rating_atasan",
                    "label",
                    False,
                    ("Rating Atasan", "Penilaian Atasan", "Rating RHK"),
                    labels=vocab.LEVEL,
                    description="tingkat yang diberikan atasan untuk RHK ini",
                ),
                _UMPAN_BALIK,
            ),
            key=("periode", "nip", "rhk_id", "indikator"),
            references=(Reference("nip", "pegawai", "nip"),),
            aliases=("sasaran kinerja pegawai", "sasaran kinerja", "indikator"),
            description="satu baris per indikator per periode",
        ),
        Table(
            "perilaku",
            (
                _PERIODE,
                _NIP,
                _nip(
                    "nip_penilai",
                    False,
                    "NIP Penilai",
                    description="NIP penilai; wajib kecuali peran_penilai = diri",
                ),
                Column(
                    "peran_penilai",
                    "label",
                    True,
                    ("Peran Penilai", "Hubungan Penilai", "Sebagai"),
                    labels=vocab.PERAN_PENILAI,
                    description="diri, atasan, rekan, bawahan",
                ),
                Column(
                    "nilai_inti",
                    "label",
                    True,
                    ("Nilai Inti", "Core Value", "Nilai BerAKHLAK", "Perilaku Kerja"),
                    labels=vocab.NILAI_INTI,
                    description="salah satu dari tujuh nilai BerAKHLAK",
                ),
                Column(
                    "skor",
                    "integer",
                    True,
                    ("Nilai", "Skor Perilaku"),
                    ge=1,
                    le=5,
                    description="1–5",
                ),
                _UMPAN_BALIK,
            ),
            key=("periode", "nip", "peran_penilai", "nip_penilai", "nilai_inti"),
            references=(
                Reference("nip", "pegawai", "nip"),
                Reference("nip_penilai", "pegawai", "nip"),
            ),
            aliases=("perilaku kerja", "penilaian perilaku", "penilaian 360"),
            description="satu baris per penilai, nilai inti dan periode",
        ),
        Table(
            "kehadiran",
            (
                _PERIODE,
                _NIP,
                Column(
                    "hari_kerja",
                    "integer",
                    True,
                    ("Hari Kerja", "Jumlah Hari Kerja"),
                    gt=0,
                    le=366,
                    description="hari kerja dalam periode",
                ),
                Column(
                    "hadir",
                    "integer",
                    True,
                    ("Jumlah Hadir", "Hari Hadir"),
                    ge=0,
                    description="hari hadir, 0 ≤ hadir ≤ hari_kerja",
                ),
                Column(
                    "terlambat_menit",
                    "number",
                    False,
                    ("Terlambat (Menit)", "Menit Terlambat", "Keterlambatan"),
                    ge=0,
                    description="total menit terlambat",
                ),
                Column(
                    "tanpa_keterangan",
                    "integer",
                    False,
                    ("Tanpa Keterangan", "TK", "Alpa", "Alpha", "Mangkir", "Tidak Hadir TK"),
                    ge=0,
                    description="hari tidak hadir tanpa keterangan",
                ),
                Column(
                    "cuti",
                    "integer",
                    False,
                    ("Hari Cuti", "C", "Tidak Hadir C"),
                    ge=0,
                    description="hari cuti",
                ),
                Column(
                    "sakit",
                    "integer",
                    False,
                    ("Hari Sakit", "S", "Tidak Hadir S"),
                    ge=0,
                    description="hari sakit",
                ),
                Column(
                    "izin",
                    "integer",
                    False,
                    ("Ijin", "Hari Izin", "I", "Tidak Hadir I"),
                    ge=0,
                    description="hari izin",
                ),
            ),
            key=("periode", "nip"),
            references=(Reference("nip", "pegawai", "nip"),),
            aliases=("absensi", "presensi", "kehadiran pegawai"),
            description="satu baris per pegawai per periode",
        ),
        Table(
            "survei",
            (
                _PERIODE,
                _KODE_INSTANSI,
                _KODE_OPD,
                Column(
                    "unit_layanan",
                    "text",
                    False,
                    ("Unit Layanan", "Unit Pelayanan"),
                    description="unit layanan, mis. sebuah Puskesmas",
                ),
                Column(
                    "responden",
                    "code",
                    False,
                    ("No Responden", "ID Responden", "Nomor Responden"),
                    description="pengenal responden",
                ),
                *(
                    Column(
                        f"u{i}",
                        "integer",
                        True,
                        (f"Unsur {i}", f"U{i} {name}", name),
                        ge=1,
                        le=4,
                        description=f"jawaban 1–4 untuk unsur {name}",
                        also="jawaban_ikm",
                    )
                    for i, name in enumerate(_IKM_ELEMENTS, start=1)
                ),
            ),
            key=("periode", "kode_instansi", "kode_opd", "unit_layanan", "responden"),
            optional_key=("responden",),
            references=(Reference("kode_opd", "opd", "kode_opd"),),
            aliases=("skm", "ikm", "survei kepuasan masyarakat"),
            description="satu baris per responden",
        ),
        Table(
            "aktivitas",
            (
                Column(
                    "tanggal",
                    "date",
                    True,
                    ("Tgl", "Tanggal Aktivitas", "Tanggal Kegiatan"),
                    description="tanggal kegiatan",
                ),
                _NIP,
                Column(
                    "uraian",
                    "text",
                    True,
                    ("Uraian Kegiatan", "Uraian Aktivitas", "Kegiatan", "Aktivitas"),
                    description="apa yang dikerjakan",
                ),
                Column(
                    "durasi_menit",
                    "number",
                    True,
                    ("Durasi (Menit)", "Durasi", "Menit"),
                    gt=0,
                    le=1440,
                    description="menit, > 0 dan ≤ 1.440 per hari",
                    also="durasi",
                ),
                Column(
                    "rhk_id",
                    "code",
                    False,
                    ("ID RHK", "Kode RHK", "No RHK"),
                    description="RHK yang didukung",
                ),
                Column(
                    "status",
                    "label",
                    False,
                    ("Status Persetujuan", "Status Aktivitas"),
                    labels=vocab.STATUS_AKTIVITAS,
                    description="disetujui, ditolak, menunggu",
                ),
                _nip(
                    "nip_penyetuju",
                    False,
                    "NIP Penyetuju",
                    "Disetujui Oleh",
                    description="NIP atasan yang menyetujui",
                ),
            ),
            references=(
                Reference("nip", "pegawai", "nip"),
                Reference("nip_penyetuju", "pegawai", "nip"),
            ),
            aliases=("log harian", "aktivitas harian", "laporan harian"),
            description="satu baris per kegiatan harian",
        ),
        Table(
            "penilaian",
            (
                _PERIODE,
                _NIP,
                Column(
                    "rating_hasil_kerja",
                    "label",
                    False,
                    ("Rating Hasil Kerja",),
                    labels=vocab.LEVEL,
                    description="tingkat hasil kerja yang diberikan",
                ),
                Column(
                    "rating_perilaku",
                    "label",
                    False,
                    ("Rating Perilaku", "Rating Perilaku Kerja"),
                    labels=vocab.LEVEL,
                    description="tingkat perilaku kerja yang diberikan",
                ),
                Column(
                    "predikat",
                    "label",
                    False,
                    ("Predikat Kinerja", "Predikat Kinerja Pegawai"),
                    labels=vocab.PREDIKAT,
                    description="predikat kinerja yang diberikan",
                ),
            ),
            key=("periode", "nip"),
            references=(Reference("nip", "pegawai", "nip"),),
            aliases=("hasil penilaian", "penilaian kinerja"),
            description="satu baris per pegawai per periode: hasil dari sistem resmi",
        ),
        Table(
            "organisasi",
            (
                _PERIODE,
                _KODE_INSTANSI,
                _KODE_OPD,
                Column(
                    "predikat_organisasi",
                    "label",
                    False,
                    ("Predikat Organisasi", "Predikat Kinerja Organisasi", "Predikat"),
                    labels=vocab.PREDIKAT_ORGANISASI,
                    description="Istimewa, Baik, Butuh Perbaikan, Kurang, Sangat Kurang",
                ),
                Column(
                    "capaian",
                    "number",
                    False,
                    ("Capaian Kinerja Organisasi", "Capaian (%)"),
                    ge=0,
                    description="capaian kinerja organisasi, %",
                ),
            ),
            key=("periode", "kode_instansi", "kode_opd"),
            references=(Reference("kode_opd", "opd", "kode_opd"),),
            aliases=("kinerja organisasi", "hasil organisasi"),
            description="satu baris per OPD per periode",
        ),
    )
}
"""Every table of the input contract, by name, in the order they are loaded."""


def column_lookup(table: Table) -> dict[str, str]:
    """Map every accepted header key of ``table`` to its canonical column name.

    Parameters
    ----------
    table : Table
        The table whose headers to map.

    Returns
    -------
    dict
        ``match_key(header) -> column name`` for names and aliases.
    """
    lookup: dict[str, str] = {}
    for column in table.columns:
        for header in (column.name, *column.aliases):
            lookup.setdefault(match_key(header), column.name)
    return lookup


def table_for_name(name: str) -> str | None:
    """Return the table a file stem or sheet name stands for, or None.

    Parameters
    ----------
    name : str
        A file stem or sheet name, e.g. ``"Data Pegawai"``.

    Returns
    -------
    str or None
        Canonical table name.

    Examples
    --------
    >>> table_for_name("Data Pegawai"), table_for_name("notes")
    ('pegawai', None)
    """
    key = match_key(name)
    for table in TABLES.values():
        if key in {match_key(n) for n in (table.name, *table.aliases)}:
            return table.name
    return None


def contract_markdown() -> str:
    """Describe every table and column as Markdown, for ``data/README.md``.

    Returns
    -------
    str
        One section per table: what a row is, then a table of columns with their headers
        accepted, meaning, and whether they are required (``*``).
    """
    lines: list[str] = []
    for table in TABLES.values():
        need = "wajib" if table.required else "opsional"
        names = ", ".join(f"`{n}`" for n in table.aliases)
        lines += [f"### `{table.name}` ({need}): {table.description}", ""]
        if names:
            lines += [f"Nama lain berkas/lembar: {names}.", ""]
        if table.key:
            lines += [f"Kunci (tidak boleh ganda): {', '.join(table.key)}.", ""]
        lines += ["| kolom | arti | judul lain yang dikenali |", "|---|---|---|"]
        for column in table.columns:
            star = "*" if column.required else ""
            aliases = ", ".join(column.aliases)
            lines.append(f"| `{column.name}`{star} | {column.description} | {aliases} |")
        lines.append("")
    return "\n".join(lines)
