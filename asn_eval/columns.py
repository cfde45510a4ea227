"""Columns of workbooks and app tables people read: header, format, width, meaning; declared once.

Programs read the package's tables by their column names (``rating_hasil_kerja_saran``,
``porsi_Sangat Baik``; ``shared/spec/DATA.md``). A workbook is read by evaluators, so each column
has the header they say (``Rating hasil kerja (saran dari bukti)``, ``Porsi Sangat Baik``), an
Excel number format, a width, and a role that decides what is coloured: only level and predikat
columns are. Every workbook also prints this table for its own columns on a ``kolom`` sheet
(header ↔ column name ↔ meaning), so a programmer can still map one to the other. The review
app (:mod:`asn_eval.app.review`) shows its own tables under the same headers.

Percents are **Excel percents**: the cell holds a fraction (``0.1463``) formatted ``0.0%`` (Excel
shows ``14,6%`` in an Indonesian Excel). A value the data holds in percent points (``capaian``
109.1, ``persen_hadir`` 98.4) is divided by 100 once as it is written (kind ``persen_poin``), so
every percent in every workbook is the same kind of number. A change of such a value is written
in points (kind ``selisih_poin``, ``+2,1``), never as a percent of a percent.

A column is looked up by ``sheet:name`` first (the same name can mean something else on another
sheet: ``nilai`` is a total score in ``hasil`` and the value as typed in ``masalah``), then by name,
then by the patterns of columns named after a scheme's labels (``porsi_<label>``, ``<label>``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["COLUMNS", "KINDS", "Column", "Kind", "column"]


@dataclass(frozen=True)
class Kind:
    """How a kind of value is written in a workbook.

    Parameters
    ----------
    num_format : str
        The Excel number format of its cells (``@`` for text).
    width : int
        Column width in characters: the widest a text column gets (narrower when its values
        are short), the narrowest a number column gets (wider when its header's words are).
    role : str
        ``text``, ``nip``, ``level``, ``predikat``, ``number``, ``flag`` (written ``Ya``/``Tidak``)
        or ``time`` (an Excel date-time in the city's zone). Only ``level`` and ``predikat``
        columns are coloured.
    said : str
        The format in words, for the ``kolom`` sheet.
    divisor : float, default 1
        What the value is divided by as it is written (100 for percent points → a fraction).
    wrap : bool, default False
        Text longer than the width wraps inside its cell (the row grows) instead of being cut.
    """

    num_format: str
    width: int
    role: str
    said: str
    divisor: float = 1.0
    wrap: bool = False


KINDS: dict[str, Kind] = {
    "nip": Kind("@", 21, "nip", "teks (18 angka, bukan bilangan)"),
    "kode": Kind("@", 18, "text", "teks"),
    "teks": Kind("@", 22, "text", "teks", wrap=True),
    "uraian": Kind("@", 36, "text", "teks", wrap=True),
    "label": Kind("@", 16, "text", "teks (pilihan tetap)"),
    "level": Kind("@", 12, "level", "tingkat: Di Atas / Sesuai / Di Bawah Ekspektasi", wrap=True),
    "predikat": Kind("@", 12, "predikat", "predikat dari skema", wrap=True),
    "jumlah": Kind("#,##0", 9, "number", "bilangan bulat"),
    "nomor": Kind("0", 7, "number", "nomor"),
    "skor": Kind("0.00", 9, "number", "angka, 2 desimal"),
    "angka": Kind("0.0", 9, "number", "angka, 1 desimal"),
    "angka3": Kind("0.000", 9, "number", "angka, 3 desimal"),
    "persen": Kind("0.0%", 9, "number", "persen (sel berisi pecahan: 1 = 100 %)"),
    "persen_poin": Kind(
        "0.0%",
        9,
        "number",
        "persen (sel berisi pecahan: 1 = 100 %; di data tertulis dalam poin persen)",
        divisor=100.0,
    ),
    "selisih": Kind("+0.00;-0.00;0.00", 9, "number", "selisih, 2 desimal"),
    "selisih_poin": Kind("+0.0;-0.0;0.0", 9, "number", "selisih dalam poin persen"),
    "selisih_persen": Kind(
        "+0.0%;-0.0%;0.0%", 9, "number", "selisih porsi (sel berisi pecahan: 0,1 = 10 poin)"
    ),
    "ya_tidak": Kind("@", 9, "flag", "Ya atau Tidak"),
    "bilangan": Kind("General", 9, "number", "angka seperti tertulis di data"),
    "waktu": Kind("dd/mm/yyyy hh:mm", 17, "time", "tanggal dan jam di zona waktu kota"),
    "periode": Kind("@", 10, "text", "teks: tahun (2025) atau triwulan (2025-TW1)"),
}
"""Every kind of column, by name."""


@dataclass(frozen=True)
class Column:
    """One column of a workbook for people.

    Parameters
    ----------
    name : str
        The column's name in the package's tables (and the files programs read).
    header : str
        What the workbook's header row says.
    kind : str
        A key of :data:`KINDS`.
    meaning : str
        What it holds, in Bahasa Indonesia (printed on the ``kolom`` sheet).
    declared : bool, default True
        False for a column not in :data:`COLUMNS` (its header is made from its name).
    """

    name: str
    header: str
    kind: str
    meaning: str
    declared: bool = True

    @property
    def spec(self) -> Kind:
        """The column's :class:`Kind`."""
        return KINDS[self.kind]


_LEVEL = "Di Atas, Sesuai atau Di Bawah Ekspektasi"

# (name or "sheet:name", header, kind, meaning). One row per column; sheet-specific rows override.
_TABLE: tuple[tuple[str, str, str, str], ...] = (
    # -- identity ------------------------------------------------------------------------------
    ("nip", "NIP", "nip", "Nomor Induk Pegawai"),
    ("nama", "Nama", "teks", "nama pegawai"),
    ("kode_opd", "Kode OPD", "kode", "kode perangkat daerah (OPD)"),
    ("kode_instansi", "Kode instansi", "kode", "kode pemerintah daerah atau instansi"),
    ("instansi", "Instansi", "teks", "pemerintah daerah atau instansi tempat OPD berada"),
    ("unit_kerja", "Unit kerja", "teks", "unit kerja di dalam OPD"),
    ("jabatan", "Jabatan", "teks", "nama jabatan"),
    ("jenis_jabatan", "Jenis jabatan", "label", "JPT, Administrator, Pengawas, Fungsional…"),
    ("periode", "Periode", "periode", "periode penilaian"),
    ("skema", "Skema", "kode", "nama skema penilaian yang dipakai"),
    # -- hasil: one row per employee (DATA.md, "What a user can expect back") -------------------
    ("capaian", "Capaian rata-rata", "persen_poin", "rata-rata capaian indikator kinerja"),
    ("n_rhk", "Jumlah RHK", "jumlah", "rencana hasil kerja (RHK) pegawai"),
    ("n_indikator", "Jumlah indikator", "jumlah", "indikator kinerja dengan target"),
    (
        "rating_hasil_kerja_saran",
        "Rating hasil kerja (saran dari bukti)",
        "level",
        f"tingkat yang disarankan capaian indikator: {_LEVEL}",
    ),
    (
        "rating_hasil_kerja_diberikan",
        "Rating hasil kerja (diberikan)",
        "level",
        "tingkat yang diberikan atasan di sistem kepegawaian",
    ),
    (
        "rating_hasil_kerja",
        "Rating hasil kerja (dipakai)",
        "level",
        "yang diberikan bila ada, bila tidak yang disarankan",
    ),
    ("skor_perilaku", "Skor perilaku", "skor", "rata-rata skor perilaku (1–5) dari para penilai"),
    ("n_penilai", "Jumlah penilai", "jumlah", "penilai perilaku (360°) selain diri sendiri"),
    (
        "rating_perilaku_saran",
        "Rating perilaku (saran dari penilaian)",
        "level",
        f"tingkat yang disarankan penilaian perilaku 360°: {_LEVEL}",
    ),
    (
        "rating_perilaku_diberikan",
        "Rating perilaku (diberikan)",
        "level",
        "tingkat yang diberikan atasan di sistem kepegawaian",
    ),
    (
        "rating_perilaku",
        "Rating perilaku (dipakai)",
        "level",
        "yang diberikan bila ada, bila tidak yang disarankan",
    ),
    ("predikat", "Predikat kinerja", "predikat", "predikat akhir; kosong bila data kurang"),
    ("predikat_diberikan", "Predikat (diberikan)", "predikat", "predikat di sistem kepegawaian"),
    ("nilai_skp", "Nilai SKP", "skor", "nilai sasaran kinerja (skema berangka)"),
    ("nilai_perilaku", "Nilai perilaku", "skor", "nilai perilaku kerja (skema berangka)"),
    ("nilai", "Nilai akhir", "skor", "nilai gabungan (skema berangka)"),
    ("angka_kredit", "Angka kredit", "angka3", "angka kredit jabatan fungsional periode ini"),
    ("persen_hadir", "Kehadiran", "persen_poin", "hari hadir dibanding hari kerja"),
    ("terlambat_menit", "Terlambat (menit)", "jumlah", "jumlah menit terlambat"),
    ("tanpa_keterangan", "Tanpa keterangan (hari)", "jumlah", "hari tidak hadir tanpa keterangan"),
    ("catatan", "Catatan", "uraian", "data yang kurang, rating yang berbeda, kurva terlampaui"),
    ("predikat_kalibrasi", "Predikat sesudah kalibrasi", "predikat", "predikat yang berlaku"),
    ("dikalibrasi", "Dikalibrasi", "ya_tidak", "predikat diubah oleh keputusan forum"),
    ("alasan_kalibrasi", "Alasan kalibrasi", "uraian", "alasan keputusan forum"),
    # -- per OPD ---------------------------------------------------------------------------------
    ("n_pegawai", "Jumlah pegawai", "jumlah", "pegawai yang dinilai"),
    ("n_tanpa_predikat", "Tanpa predikat", "jumlah", "pegawai tanpa predikat (data kurang)"),
    ("ringkasan_opd:capaian", "Capaian rata-rata", "persen_poin", "rata-rata capaian pegawai"),
    ("ringkasan_opd:skor_perilaku", "Skor perilaku rata-rata", "skor", "rata-rata pegawai (1–5)"),
    (
        "n_rating_berbeda",
        "Rating hasil kerja beda dari saran",
        "jumlah",
        "pegawai yang rating hasil kerjanya berbeda dari saran bukti",
    ),
    (
        "porsi_tertinggi",
        "Porsi predikat tertinggi",
        "persen",
        "porsi predikat terbaik skema di antara pegawai berpredikat",
    ),
    ("predikat_organisasi", "Predikat organisasi", "predikat", "predikat kinerja OPD"),
    ("n_berpredikat", "Jumlah berpredikat", "jumlah", "pegawai yang mendapat predikat"),
    ("melanggar", "Kurva terlampaui", "ya_tidak", "sebaran predikat melampaui kurva skema"),
    ("pelanggaran", "Aturan kurva yang dilanggar", "uraian", "aturan kurva yang terlampaui"),
    (
        "min_pindah",
        "Perlu pindah predikat",
        "jumlah",
        "paling sedikit pegawai yang harus berpindah predikat agar sesuai kurva",
    ),
    # -- IKM -----------------------------------------------------------------------------------
    ("unit_layanan", "Unit layanan", "teks", "unit layanan yang disurvei"),
    ("n_responden", "Jumlah responden", "jumlah", "responden survei kepuasan masyarakat"),
    ("ikm", "IKM", "skor", "indeks kepuasan masyarakat (25–100, PermenPAN-RB 14/2017)"),
    ("mutu", "Mutu pelayanan", "label", "A (sangat baik) … D (tidak baik)"),
    # -- analysis (asn-eval analyze) -----------------------------------------------------------
    ("temuan", "Temuan", "uraian", "yang perlu ditinjau ulang, dalam kalimat"),
    ("tabel", "Lembar", "kode", "nama lembar (juga nama berkas .parquet)"),
    ("isi:isi", "Isi", "uraian", "apa isi lembar itu"),
    ("isi:baris", "Jumlah baris", "jumlah", "baris di lembar itu"),
    ("nip_penilai", "NIP penilai", "nip", "NIP penilai perilaku"),
    ("peran_penilai", "Peran penilai", "label", "diri, atasan, rekan atau bawahan"),
    ("n_dinilai", "Jumlah dinilai", "jumlah", "orang yang dinilai"),
    ("n_skor", "Jumlah skor", "jumlah", "skor yang diberikan"),
    ("estimasi", "Kecenderungan (poin)", "selisih", "+ lebih lunak, − lebih keras dari rata-rata"),
    ("batas_bawah", "Batas bawah", "selisih", "batas bawah selang kepercayaan 95 %"),
    ("batas_atas", "Batas atas", "selisih", "batas atas selang kepercayaan 95 %"),
    ("kecenderungan", "Kecenderungan", "label", "lunak, keras atau wajar"),
    ("cukup_data", "Cukup data", "ya_tidak", "cukup orang dinilai untuk disimpulkan"),
    ("sd", "Simpangan baku", "skor", "seberapa beda skor yang diberikan (0 = semua sama)"),
    ("sentral", "Semua skor sama", "ya_tidak", "memberi semua orang skor yang sama"),
    ("diri", "Skor diri", "skor", "rata-rata skor dari diri sendiri"),
    ("atasan", "Skor atasan", "skor", "rata-rata skor dari atasan"),
    ("rekan", "Skor rekan", "skor", "rata-rata skor dari rekan"),
    ("bawahan", "Skor bawahan", "skor", "rata-rata skor dari bawahan"),
    ("selisih_diri_atasan", "Selisih diri − atasan", "selisih", "skor diri dikurangi atasan"),
    ("selisih_rekan_atasan", "Selisih rekan − atasan", "selisih", "skor rekan dikurangi atasan"),
    (
        "selisih_bawahan_atasan",
        "Selisih bawahan − atasan",
        "selisih",
        "skor bawahan dikurangi atasan",
    ),
    ("nip_atasan", "NIP atasan", "nip", "NIP atasan langsung"),
    ("n_bawahan", "Jumlah bawahan", "jumlah", "bawahan dengan kedua rating"),
    ("n_berbeda", "Beda satu tingkat", "jumlah", "rating hasil kerja beda satu tingkat dari bukti"),
    (
        "n_bertentangan",
        "Beda dua tingkat",
        "jumlah",
        "rating hasil kerja bertentangan dengan bukti (beda dua tingkat)",
    ),
    ("porsi_berbeda", "Porsi berbeda", "persen", "bawahan yang ratingnya beda satu tingkat"),
    ("porsi_bawah", "Porsi, batas bawah", "persen", "batas bawah selang Wilson 95 %"),
    ("porsi_atas", "Porsi, batas atas", "persen", "batas atas selang Wilson 95 %"),
    ("menonjol", "Menonjol", "ya_tidak", "jauh di atas porsi kota"),
    ("n_unit", "Jumlah unit", "jumlah", "unit dengan paling sedikit dua skor"),
    ("alpha", "Alfa Krippendorff", "skor", "kesepakatan antarpenilai (1 = sepakat penuh)"),
    ("sumber", "Sumber", "label", "dari mana kelemahan atau umpan balik itu"),
    ("kunci", "Kelemahan", "teks", "nilai inti atau aspek yang lemah"),
    ("pelatihan:nilai", "Nilai", "skor", "skor (1–5) atau capaian (%) yang lemah"),
    ("batas", "Batas", "skor", "batas yang tidak tercapai (skor 1–5 atau capaian %)"),
    ("program", "Program pelatihan", "teks", "program yang disarankan"),
    ("kebutuhan", "Kebutuhan", "uraian", "kelemahan yang melatarbelakangi program"),
    ("n_triwulan", "Jumlah triwulan", "jumlah", "triwulan dengan predikat"),
    ("n_triwulan_teratas", "Triwulan berpredikat teratas", "jumlah", "triwulan predikat terbaik"),
    ("n_sumber_kuat", "Sumber penilai kuat", "jumlah", "sumber penilai dengan rata-rata tinggi"),
    ("perilaku_atasan", "Skor perilaku dari atasan", "skor", "rata-rata skor dari atasan"),
    ("perilaku_rekan", "Skor perilaku dari rekan", "skor", "rata-rata skor dari rekan"),
    ("perilaku_bawahan", "Skor perilaku dari bawahan", "skor", "rata-rata skor dari bawahan"),
    ("bukti", "Bukti", "uraian", "bukti yang menempatkan pegawai di sini"),
    ("kelas_hasil", "Kelas hasil kerja", "label", "rendah, sedang atau tinggi"),
    ("kelas_perilaku", "Kelas perilaku", "label", "rendah, sedang atau tinggi"),
    (
        "kotak",
        "Kotak",
        "nomor",
        "1 = Di Atas × Di Atas … 9 = Di Bawah × Di Bawah (hasil × perilaku)",
    ),
    ("sembilan_kotak:label", "Predikat kotak", "predikat", "predikat matriks untuk kotak itu"),
    ("label", "Arti kotak", "teks", "nama kotak dalam matriks 3 × 3"),
    ("periode_sebelum", "Periode sebelumnya", "periode", "triwulan sebelumnya"),
    ("periode_sesudah", "Periode sesudahnya", "periode", "triwulan sesudah umpan balik"),
    ("capaian_sebelum", "Capaian sebelumnya", "persen_poin", "capaian rata-rata triwulan lalu"),
    ("delta_capaian", "Perubahan capaian (poin)", "selisih_poin", "dalam poin persen"),
    ("skor_perilaku_sebelum", "Skor perilaku sebelumnya", "skor", "skor perilaku triwulan lalu"),
    ("delta_perilaku", "Perubahan skor perilaku", "selisih", "dari triwulan sebelumnya"),
    ("tren_pegawai:predikat_sebelum", "Predikat sebelumnya", "predikat", "triwulan sebelumnya"),
    ("tren_pegawai:predikat_sesudah", "Predikat", "predikat", "predikat triwulan ini"),
    ("predikat_sebelum", "Predikat sebelum", "predikat", "predikat sebelum keputusan forum"),
    ("predikat_sesudah", "Predikat sesudah", "predikat", "predikat menurut keputusan forum"),
    ("arah", "Arah", "label", "naik, turun atau tetap"),
    ("tren_opd:n_dinilai", "Jumlah berpredikat", "jumlah", "pegawai dengan predikat"),
    ("porsi_terbaik", "Porsi predikat terbaik", "persen", "di antara pegawai berpredikat"),
    ("delta_porsi_terbaik", "Perubahan porsi terbaik", "selisih_persen", "dari triwulan lalu"),
    ("umpan_balik", "Umpan balik", "uraian", "umpan balik negatif, seperti tertulis"),
    ("sebelum", "Skor sebelum", "skor", "skor pada triwulan umpan balik"),
    ("sesudah", "Skor sesudah", "skor", "skor pada triwulan sesudahnya"),
    ("membaik", "Membaik", "ya_tidak", "skor sesudah lebih tinggi"),
    ("n_umpan_balik_negatif", "Umpan balik negatif", "jumlah", "umpan balik negatif"),
    ("n_membaik", "Membaik", "jumlah", "yang membaik sesudahnya"),
    ("porsi_membaik", "Porsi membaik", "persen", "yang membaik di antara umpan balik negatif"),
    ("skor_pelayanan", "Skor Berorientasi Pelayanan", "skor", "rata-rata staf OPD (1–5)"),
    ("tidak_sejalan", "Tidak sejalan", "ya_tidak", "mutu C/D padahal skor staf ≥ median kota"),
    ("n_aktivitas", "Jumlah aktivitas", "jumlah", "entri log aktivitas harian"),
    ("porsi_hari_lapor", "Hari dilaporkan", "persen", "hari kerja pegawai yang ada lognya"),
    ("porsi_disetujui", "Disetujui", "persen", "entri disetujui di antara yang diputus"),
    ("n_menunggu", "Menunggu persetujuan", "jumlah", "entri yang belum diputus"),
    ("umur_menunggu_maks", "Antrean terlama (hari)", "jumlah", "umur entri tertua yang menunggu"),
    ("jam_per_hari", "Jam per hari", "angka", "jam dilaporkan per hari lapor"),
    # -- an employee's evidence (the review app's "Profil pegawai", sheet ``indikator``) ----------
    ("rhk", "Rencana hasil kerja", "teks", "rencana hasil kerja (RHK) seperti tertulis di SKP"),
    ("indikator", "Indikator", "teks", "indikator kinerja RHK itu"),
    ("aspek", "Aspek", "label", "kuantitas, kualitas, waktu atau biaya"),
    ("target", "Target", "bilangan", "target indikator, dalam satuannya"),
    ("realisasi", "Realisasi", "bilangan", "realisasi yang dilaporkan; kosong bila belum"),
    ("satuan", "Satuan", "kode", "satuan target dan realisasi (dokumen, %, hari…)"),
    (
        "indikator:capaian",
        "Capaian",
        "persen_poin",
        "realisasi dibanding target, dibatasi capaian maksimum skema",
    ),
    ("tingkat_rhk", "Tingkat RHK", "level", f"tingkat yang disarankan capaian RHK: {_LEVEL}"),
    ("nilai_inti", "Nilai inti", "label", "nilai inti BerAKHLAK"),
    ("tertimbang", "Skor tertimbang", "skor", "rata-rata skor dengan bobot peran penilai skema"),
    ("tentang", "Tentang", "teks", "RHK atau nilai inti yang diberi umpan balik"),
    ("hari_lapor", "Hari dilaporkan", "jumlah", "hari yang ada log aktivitasnya"),
    ("jam_lapor", "Jam dilaporkan", "angka", "jumlah durasi aktivitas, dalam jam"),
    ("n_disetujui", "Entri disetujui", "jumlah", "entri log aktivitas yang disetujui atasan"),
    ("n_ditolak", "Entri ditolak", "jumlah", "entri log aktivitas yang ditolak atasan"),
    # -- validate --simpan ---------------------------------------------------------------------
    ("berkas", "Berkas", "teks", "berkas data (dan lembarnya)"),
    ("baris", "Baris", "nomor", "nomor baris seperti di spreadsheet (judul = baris 1)"),
    ("kolom", "Kolom", "teks", "judul kolom di berkas"),
    ("pesan", "Masalah", "uraian", "apa yang salah"),
    ("masalah:nilai", "Isi sel", "teks", "isi sel seperti tertulis"),
    ("tingkat", "Tingkat", "label", "galat (harus diperbaiki) atau peringatan"),
    # -- decisions export ----------------------------------------------------------------------
    ("id", "No.", "nomor", "nomor peristiwa di berkas keputusan"),
    ("waktu", "Waktu", "waktu", "kapan dicatat"),
    (
        "jenis",
        "Jenis",
        "label",
        "usulan (keputusan forum), tarik (penarikan), keberatan, atau jawaban atas keberatan",
    ),
    ("alasan", "Alasan", "uraian", "alasan keputusan forum, isi keberatan, atau jawabannya"),
    ("oleh", "Oleh", "teks", "siapa yang memutuskan, mengajukan keberatan, atau menjawabnya"),
    (
        "merujuk",
        "Merujuk no.",
        "nomor",
        "nomor keputusan yang ditarik, atau keberatan yang dijawab",
    ),
    (
        "status",
        "Status",
        "label",
        "keputusan: berlaku atau ditarik; keberatan: terbuka atau dijawab",
    ),
    ("hash", "Hash (SHA-256)", "teks", "sidik peristiwa di rantai hash"),
    ("hal", "Hal", "teks", "yang diperiksa"),
    # -- objections (DecisionStore.objections; the export's sheet ``keberatan``) ----------------
    (
        "predikat_keberatan",
        "Predikat yang dipersoalkan",
        "predikat",
        "predikat yang berlaku saat keberatan diajukan",
    ),
    ("alasan_keberatan", "Alasan keberatan", "uraian", "alasan yang diajukan pegawai"),
    ("diajukan_oleh", "Diajukan oleh", "teks", "pegawai, atau yang mewakilinya"),
    ("keberatan:status", "Status", "label", "terbuka (belum dijawab) atau dijawab"),
    ("id_jawaban", "No. jawaban", "nomor", "nomor peristiwa jawaban; kosong bila belum dijawab"),
    ("waktu_jawaban", "Waktu jawaban", "waktu", "kapan keberatan dijawab"),
    (
        "hasil",
        "Hasil keberatan",
        "label",
        "tetap (predikat dipertahankan) atau diubah (predikat baru berlaku sebagai kalibrasi)",
    ),
    (
        "keberatan:predikat_sesudah",
        "Predikat sesudah jawaban",
        "predikat",
        "predikat sesudah keberatan dijawab",
    ),
    (
        "ditarik",
        "Perubahan ditarik",
        "ya_tidak",
        "Ya bila predikat baru dari jawaban itu kemudian ditarik (tidak berlaku lagi)",
    ),
    ("jawaban", "Jawaban", "uraian", "jawaban penilai atas keberatan"),
    ("dijawab_oleh", "Dijawab oleh", "teks", "penilai yang menjawab"),
    (
        "umur_hari",
        "Umur (hari)",
        "jumlah",
        "hari sejak diajukan sampai dijawab, atau sampai sekarang bila masih terbuka",
    ),
    ("nama_opd", "Nama OPD", "teks", "nama perangkat daerah (OPD)"),
    ("n_keberatan_terbuka", "Keberatan terbuka", "jumlah", "keberatan yang belum dijawab"),
    (
        "umur_tertua_hari",
        "Terlama (hari)",
        "jumlah",
        "hari sejak keberatan terbuka yang paling lama diajukan",
    ),
    # -- sheets every workbook has -------------------------------------------------------------
    ("keterangan", "Keterangan", "teks", "hal"),
    ("isi", "Isi", "uraian", "isinya"),
    ("lembar", "Lembar", "kode", "nama lembar"),
    ("judul", "Judul kolom", "teks", "judul kolom di lembar itu"),
    ("kolom:kolom", "Nama kolom di data", "kode", "nama kolom untuk program (berkas .parquet)"),
    ("arti", "Arti", "uraian", "apa isinya"),
    ("format", "Format", "uraian", "cara angka ditulis"),
)

COLUMNS: dict[str, Column] = {
    key: Column(key.split(":")[-1], header, kind, meaning) for key, header, kind, meaning in _TABLE
}
"""Every declared column, keyed ``name`` or ``sheet:name`` (the sheet's own meaning)."""


def _guess(name: str, dtype: object) -> Column:
    """Return a column nobody declared: its name as header, a kind from its values."""
    kind = {"b": "ya_tidak", "i": "jumlah", "u": "jumlah", "f": "skor", "M": "waktu"}.get(
        getattr(dtype, "kind", "O"), "teks"
    )
    return Column(name, name.replace("_", " ").capitalize(), kind, "", declared=False)


def column(
    name: str,
    sheet: str | None = None,
    *,
    labels: Iterable[str] = (),
    extra: Mapping[str, Column] | None = None,
    dtype: object = None,
) -> Column:
    """Return how a column is shown in a workbook.

    Parameters
    ----------
    name : str
        The column's name in the table.
    sheet : str, optional
        The sheet it is written to (a ``sheet:name`` row of :data:`COLUMNS` wins).
    labels : iterable of str
        The scheme's predikat labels: a column named ``<label>`` or ``n_<label>`` counts the
        employees with it, ``porsi_<label>`` is their share.
    extra : mapping of str to Column, optional
        Columns a writer declares itself (e.g. from the input contract); checked first.
    dtype : optional
        The values' dtype, for the kind of an undeclared column.

    Returns
    -------
    Column
        ``declared`` is False when nothing above knows the name.

    Examples
    --------
    >>> column("rating_hasil_kerja_saran").header
    'Rating hasil kerja (saran dari bukti)'
    >>> column("nilai", "masalah").header, column("nilai").header
    ('Isi sel', 'Nilai akhir')
    >>> c = column("porsi_Sangat Baik", labels=["Sangat Baik"])
    >>> c.header, c.spec.num_format
    ('Porsi Sangat Baik', '0.0%')
    """
    if extra and name in extra:
        return extra[name]
    for key in (f"{sheet}:{name}", name):
        if key in COLUMNS:
            return COLUMNS[key]
    labels = list(labels)
    if name.startswith("porsi_") and name[len("porsi_") :] in labels:
        label = name[len("porsi_") :]
        meaning = f"porsi pegawai berpredikat {label} di antara yang berpredikat"
        return Column(name, f"Porsi {label}", "persen", meaning)
    if name in labels or (name.startswith("n_") and name[2:] in labels):
        label = name[2:] if name not in labels else name
        return Column(name, f"Jumlah {label}", "jumlah", f"pegawai berpredikat {label}")
    return _guess(name, dtype)
