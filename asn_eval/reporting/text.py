"""The words of the reports and the app: one catalogue, Bahasa Indonesia and English."""

from __future__ import annotations

from asn_eval.formatting import number
from asn_eval.scoring.ikm import MUTU

__all__ = ["LANGUAGES", "ikm_grade_bounds", "text"]


# One entry per sentence or label: (Bahasa Indonesia, English).
_TEXT: dict[str, tuple[str, str]] = {
    "ringkasan": ("Ringkasan", "Summary"),
    "kosong": (
        "{opd} tidak memiliki pegawai dengan data untuk periode {periode}: tidak ada yang dinilai.",
        "{opd} has no employees with data for period {periode}: nothing was scored.",
    ),
    "lead": (
        "Periode {periode}, skema {skema}. {n} pegawai, {rated} mendapat predikat.",
        "Period {periode}, scheme {skema}. {n} employees, {rated} with a predikat.",
    ),
    "pegawai": ("Pegawai", "Employees"),
    "berpredikat": ("Berpredikat", "With predikat"),
    "capaian": ("Capaian rata-rata", "Mean achievement"),
    "skor_perilaku": ("Skor perilaku rata-rata", "Mean behaviour score"),
    "kehadiran": ("Kehadiran rata-rata", "Mean attendance"),
    "ikm": ("IKM", "IKM (public satisfaction)"),
    "predikat_organisasi": ("Predikat organisasi", "Organisation predikat"),
    "kurva": ("Kurva distribusi", "Distribution curve"),
    "kurva_ok": ("sesuai", "complies"),
    "kurva_langgar": ("melanggar: {why}", "breached: {why}"),
    "rating_bertentangan": ("Rating bertentangan dengan bukti", "Ratings contradicting evidence"),
    "distribusi": ("Distribusi predikat dan kurva organisasi", "Predikat distribution and curve"),
    "distribusi_teks": (
        "Predikat organisasi {org}. {verdict}",
        "Organisation predikat {org}. {verdict}",
    ),
    "tanpa_org": (
        "Predikat organisasi tidak tercatat, jadi kurva tidak diperiksa.",
        "No organisation predikat recorded, so the curve is not checked.",
    ),
    "kurva_sesuai": (
        "Sebaran predikat pegawai sesuai kurva.",
        "The employees' predikat shares comply with the curve.",
    ),
    "kurva_pindah": (
        "Kurva terlampaui ({why}); paling sedikit {k} pegawai harus berpindah predikat "
        "agar sesuai.",
        "Curve breached ({why}); at least {k} employees would have to change predikat to comply.",
    ),
    "porsi": ("Porsi pegawai", "Share of employees"),
    "predikat": ("Predikat", "Predikat"),
    "opd_ini": ("OPD ini", "This agency"),
    "kota": ("Kota", "City"),
    "nasional": ("Nasional 2022–2024", "National 2022–2024"),
    "batas_maks": ("batas paling banyak (kurva)", "curve maximum"),
    "batas_min": ("batas paling sedikit (kurva)", "curve minimum"),
    "jumlah": ("Jumlah", "Count"),
    "unit_jabatan": ("Unit kerja dan jenis jabatan", "Units and positions"),
    "unit_kerja": ("Unit kerja", "Unit"),
    "jenis_jabatan": ("Jenis jabatan", "Position type"),
    "jabatan": ("Jabatan", "Position"),
    "unit_teks": (
        "Sebaran predikat menurut unit kerja dan jenis jabatan (porsi pegawai berpredikat).",
        "Predikat shares by unit and position type (employees with a predikat).",
    ),
    "indikator": ("Indikator kinerja: tercapai dan tidak", "Indicators: met and missed"),
    "indikator_teks": (
        "{n} indikator dari {emp} pegawai; {hit} ({hit_pct}) mencapai target, {low} di bawah "
        "{limit} % (batas Sesuai Ekspektasi), {unrep} belum dilaporkan realisasinya.",
        "{n} indicators of {emp} employees; {hit} ({hit_pct}) met target, {low} below "
        "{limit} % (the meets-expectation boundary), {unrep} with no realisation reported.",
    ),
    "tanpa_indikator": ("Tidak ada indikator SKP untuk periode ini.", "No SKP indicators."),
    "aspek": ("Aspek", "Aspect"),
    "n_indikator": ("Indikator", "Indicators"),
    "tercapai": ("Mencapai target", "Met target"),
    "terendah": ("Indikator dengan capaian terendah", "Indicators with the lowest achievement"),
    "tertinggi": ("Indikator dengan capaian tertinggi", "Indicators with the highest achievement"),
    "nama": ("Nama", "Name"),
    "nip": ("NIP", "NIP"),
    "rhk": ("Rencana hasil kerja", "Planned result (RHK)"),
    "indikator_kolom": ("Indikator", "Indicator"),
    "target": ("Target", "Target"),
    "realisasi": ("Realisasi", "Realisation"),
    "capaian_kolom": ("Capaian %", "Achievement %"),
    "perilaku": ("Profil perilaku kerja (BerAKHLAK)", "Behaviour profile (BerAKHLAK)"),
    "perilaku_teks": (
        "Rata-rata skor 1–5 per nilai inti dan peran penilai, dari {n} baris penilaian. "
        "Terkuat: {best}; terlemah: {worst}.",
        "Mean 1–5 score per core value and rater role, from {n} rating rows. "
        "Strongest: {best}; weakest: {worst}.",
    ),
    "tanpa_perilaku": ("Tidak ada penilaian perilaku.", "No behaviour ratings."),
    "nilai_inti": ("Nilai inti", "Core value"),
    "peran_penilai": ("Peran penilai", "Rater role"),
    "disiplin": ("Kehadiran dan disiplin", "Attendance and discipline"),
    "disiplin_teks": (
        "Kehadiran rata-rata {mean}; {tk} hari tanpa keterangan pada {tk_emp} pegawai; "
        "rata-rata terlambat {late} menit per pegawai.",
        "Mean attendance {mean}; {tk} days absent without notice by {tk_emp} employees; "
        "on average {late} minutes late per employee.",
    ),
    "tanpa_kehadiran": ("Tidak ada data kehadiran.", "No attendance data."),
    "persen_hadir": ("Kehadiran (%)", "Attendance (%)"),
    "tanpa_keterangan": ("Tanpa keterangan (hari)", "Absent without notice (days)"),
    "terlambat": ("Terlambat (menit)", "Late (minutes)"),
    "ikm_judul": ("Kepuasan masyarakat (IKM) per unit layanan", "Public satisfaction (IKM)"),
    "ikm_teks": (
        "{n} unit layanan, {resp} responden. Mutu A ≥ {A}; B ≥ {B}; C ≥ {C}; D di bawahnya.",
        "{n} service units, {resp} respondents. Grade A ≥ {A}; B ≥ {B}; C ≥ {C}; D below.",
    ),
    "ikm_buruk": (
        "Perlu perhatian: {units} (mutu {grades}).",
        "Needs attention: {units} (grade {grades}).",
    ),
    "tanpa_ikm": (
        "Tidak ada survei kepuasan masyarakat untuk OPD ini pada periode ini.",
        "No public-satisfaction survey for this agency in this period.",
    ),
    "unit_layanan": ("Unit layanan", "Service unit"),
    "responden": ("Responden", "Respondents"),
    "mutu": ("Mutu", "Grade"),
    "selisih": ("Rating yang tidak sejalan dengan bukti", "Ratings that disagree with evidence"),
    "selisih_teks": (
        "Dari {both} pegawai yang punya rating atasan dan saran indikator: {same} sama, {one} "
        "berbeda satu tingkat (wajar sebagai sebaran), {two} berbeda dua tingkat "
        "(bertentangan: dibahas di forum). Predikat resmi berbeda dari hitungan: {official}.",
        "Of {both} employees with both a given rating and an indicator suggestion: {same} "
        "agree, {one} differ by one level (a distribution, not an alarm), {two} differ by two "
        "levels (contradictions for the forum). Official predikat differs from computed: "
        "{official}.",
    ),
    "diberikan": ("Rating diberikan", "Given rating"),
    "saran": ("Saran indikator", "Suggested by indicators"),
    "umpan_balik": ("Contoh umpan balik", "Examples of feedback"),
    "umpan_balik_teks": (
        "{n} umpan balik tertulis pada periode ini; yang paling sering:",
        "{n} written feedback notes in this period; the most frequent:",
    ),
    "tanpa_umpan_balik": ("Tidak ada umpan balik tertulis.", "No written feedback."),
    "tentang": ("Tentang", "About"),
    "kali": ("Kali", "Times"),
    "tindak_lanjut": ("Tindak lanjut", "Follow-up"),
    "penghargaan": ("Kandidat penghargaan", "Candidates for recognition"),
    "penghargaan_teks": (
        "{n} pegawai berpredikat {top} dengan capaian ≥ {h} % dan skor perilaku ≥ {p}.",
        "{n} employees with {top}, achievement ≥ {h} % and behaviour score ≥ {p}.",
    ),
    "penghargaan_tahun_teks": (
        "{n} pegawai berpredikat {top} di setiap triwulan, dengan capaian ≥ {h} % dan skor "
        "perilaku ≥ {p} dari paling sedikit dua sumber penilai selain diri sendiri.",
        "{n} employees with {top} in every quarter, achievement ≥ {h} % and behaviour ≥ {p} "
        "from at least two kinds of rater besides themselves.",
    ),
    "kebutuhan": ("Kebutuhan", "Weaknesses"),
    "pembinaan": ("Perlu pembinaan", "Coaching"),
    "pembinaan_teks": (
        "{n} pegawai berpredikat di bawah {second}.",
        "{n} employees below {second}.",
    ),
    "pelatihan": ("Kebutuhan pelatihan", "Training needs"),
    "pelatihan_teks": (
        "Nilai inti dengan skor di bawah {p} dan aspek indikator dengan capaian di bawah {h} %, "
        "dipetakan ke program pelatihan (tabel pemetaan dapat diubah).",
        "Core values scored below {p} and indicator aspects below {h} %, mapped to training "
        "programmes (the mapping table is editable).",
    ),
    "program": ("Program", "Programme"),
    "bukti": ("Bukti", "Evidence"),
    "dan_lainnya": ("… dan {n} lainnya.", "… and {n} more."),
    "tidak_ada": ("Tidak ada.", "None."),
    "ikhtisar": ("Ikhtisar kota", "City overview"),
    "ikhtisar_teks": (
        "Periode {periode}, skema {skema}. {n_opd} OPD, {n} pegawai, {rated} berpredikat.",
        "Period {periode}, scheme {skema}. {n_opd} agencies, {n} employees, {rated} with predikat.",
    ),
    "peringkat": ("Peringkat OPD", "Agency ranking"),
    "peringkat_teks": (
        "OPD diurutkan menurut capaian rata-rata. Porsi Sangat Baik nasional: {nat}.",
        "Agencies ordered by mean achievement. National Sangat Baik share: {nat}.",
    ),
    "opd": ("OPD", "Agency"),
    "porsi_tertinggi": ("Porsi predikat tertinggi", "Share with the top predikat"),
    "nasional_judul": ("Kota dibanding kenyataan nasional", "City against national reality"),
    "nasional_teks": (
        "Tabulasi e-Kinerja nasional 2022–2024 (10,3 juta laporan PNS) menunjukkan penilaian "
        "yang sangat longgar: {nat_top} Sangat Baik dan {nat_low} di bawah Baik. Kota ini: "
        "{city_top} Sangat Baik, {city_low} di bawah Baik.",
        "The national e-Kinerja tabulation 2022–2024 (10.3 M PNS reports) shows very lenient "
        "ratings: {nat_top} Sangat Baik and {nat_low} below Baik. This city: {city_top} "
        "Sangat Baik, {city_low} below Baik.",
    ),
    "kurva_kota": ("OPD yang melampaui kurva", "Agencies over their curve"),
    "kurva_kota_teks": ("{n} dari {total} OPD melanggar kurva.", "{n} of {total} agencies breach."),
    "pindah": ("Minimal pindah", "Fewest moves"),
    "pelanggaran": ("Pelanggaran", "Breach"),
    "ikm_kota": ("IKM seluruh unit layanan", "IKM of every service unit"),
    "n_rating_berbeda": ("Rating berbeda", "Ratings differing"),
    "keadilan": ("Keadilan penilaian", "Fairness of the ratings"),
    "dikalibrasi": ("Dikalibrasi forum", "Calibrated in the forum"),
    "dihitung": ("Predikat dihitung", "Computed predikat"),
    "alasan": ("Alasan", "Reason"),
    "kalibrasi": ("Keputusan kalibrasi forum", "Calibration decisions"),
    "kalibrasi_teks": (
        "{n} predikat diubah oleh forum evaluasi; predikat hasil hitungan tetap ditampilkan.",
        "{n} predikat changed by the evaluation forum; the computed predikat is kept alongside.",
    ),
    "keadilan_penilai": (
        "{n} penilai di OPD ini menilai cukup banyak orang untuk diukur kecenderungannya "
        "(model dengan efek penilai dan yang dinilai): {lunak} lunak, {keras} keras, {wajar} "
        "wajar; {sedikit} penilai lain menilai terlalu sedikit orang untuk disimpulkan.",
        "{n} raters in this agency rated enough people to measure their tendency (a model "
        "with rater and ratee effects): {lunak} lenient, {keras} severe, {wajar} fair; {sedikit} "
        "others rated too few people to conclude.",
    ),
    "keadilan_alfa": (
        "Kesepakatan antarpenilai (alfa Krippendorff, ordinal): {alpha} atas {n} pasang "
        "pegawai × nilai inti ({verdict}).",
        "Inter-rater agreement (Krippendorff's alpha, ordinal): {alpha} over {n} employee × "
        "value units ({verdict}).",
    ),
    "alfa_baik": ("baik, ≥ {tinggi}", "good, ≥ {tinggi}"),
    "alfa_sedang": ("sedang, {sedang}–{tinggi}", "moderate, {sedang}–{tinggi}"),
    "alfa_rendah": ("rendah, < {sedang}: penilai tidak sepakat", "low, < {sedang}"),
    "keadilan_sumber": (
        "Rata-rata selisih dengan atasan: diri {diri}, rekan {rekan}, bawahan {bawahan} poin.",
        "Mean gap to the supervisor: self {diri}, peers {rekan}, subordinates {bawahan} points.",
    ),
    "kecenderungan": ("Kecenderungan", "Tendency"),
    "estimasi": ("Estimasi (poin)", "Estimate (points)"),
    "selang": ("Selang 95 %", "95 % interval"),
    "n_dinilai": ("Dinilai", "Rated"),
    "penilai_judul": ("Penilai lunak atau keras", "Lenient or severe raters"),
    "atasan_judul": ("Atasan yang ratingnya menonjol berbeda", "Supervisors standing out"),
    "bertentangan_judul": ("Rating bertentangan (semua triwulan)", "Contradictions"),
    "periode": ("Periode", "Period"),
    "berbeda": ("Beda satu tingkat", "One level apart"),
    "bertentangan": ("Bertentangan", "Contradicting"),
    "perkembangan": ("Perkembangan antartriwulan", "Quarter to quarter"),
    "dari_triwulan": (
        "Data tidak memuat baris tahunan {periode}; tahun ini dinilai dari triwulannya: {dari}.",
        "The data holds no rows for the year {periode}; it is evaluated from its quarters: {dari}.",
    ),
    "tren_kosong": (
        "Data periode {periode} tidak memuat triwulan yang bisa dibandingkan.",
        "The data of period {periode} holds no quarters to compare.",
    ),
    "perkembangan_teks": (
        "{neg} umpan balik negatif tertulis; {baik} pegawai membaik pada triwulan berikutnya.",
        "{neg} negative written feedback notes; {baik} employees improved the next quarter.",
    ),
    "sembilan_kotak": ("Kotak hasil kerja × perilaku", "Results × behaviour grid"),
    "hasil_kerja": ("Hasil kerja", "Results"),
    "aktivitas": ("Log aktivitas harian", "Daily activity log"),
    "aktivitas_teks": (
        "{hari} hari kerja dilaporkan; {setuju} aktivitas yang diputus disetujui; {tunggu} "
        "menunggu persetujuan (tertua {umur} hari); rata-rata {jam} jam per hari lapor.",
        "{hari} of working days reported; {setuju} of decided activities approved; {tunggu} "
        "awaiting approval (oldest {umur} days); {jam} hours per reported day.",
    ),
    "tanpa_aktivitas": ("Tidak ada log aktivitas harian.", "No daily activity log."),
    "pelayanan": ("Skor Berorientasi Pelayanan staf", "Staff service score"),
    "temuan": ("Temuan yang perlu ditinjau", "Findings to review"),
    "tanpa_temuan": ("Tidak ada yang perlu ditinjau ulang.", "Nothing needs a second look."),
    "keadilan_kota": ("Keadilan penilaian per OPD", "Fairness per agency"),
    "n_lunak": ("Penilai lunak", "Lenient raters"),
    "n_keras": ("Penilai keras", "Severe raters"),
    "n_atasan": ("Atasan menonjol", "Supervisors standing out"),
    "alfa": ("Alfa", "Alpha"),
    "diri_atasan": ("Diri − atasan", "Self − supervisor"),
}
LANGUAGES = ("id", "en")


def text(key: str, bahasa: str = "id", **values: object) -> str:
    """Return one sentence or label of the reports in a language, filled in.

    Parameters
    ----------
    key : str
        The entry.
    bahasa : {"id", "en"}
        Language; Bahasa Indonesia by default.
    **values
        Values for the placeholders.

    Returns
    -------
    str

    Examples
    --------
    >>> text("kurva_langgar", why="Sangat Baik > 10 %")
    'melanggar: Sangat Baik > 10 %'
    """
    entry = _TEXT[key][LANGUAGES.index(bahasa)]
    return entry.format(**values) if values else entry


def ikm_grade_bounds(bahasa: str = "id") -> dict[str, str]:
    """Write the lowest IKM of grades A, B and C as the language writes numbers.

    The bounds are :data:`asn_eval.scoring.ikm.MUTU` (PermenPAN-RB 14/2017), never retyped.

    Parameters
    ----------
    bahasa : {"id", "en"}
        Language.

    Returns
    -------
    dict of str to str
        ``{"A": "88,31", "B": "76,61", "C": "65"}`` in Indonesian.

    Examples
    --------
    >>> ikm_grade_bounds()
    {'A': '88,31', 'B': '76,61', 'C': '65'}
    """
    return {
        grade: number(low, 0 if float(low).is_integer() else 2, bahasa)
        for grade, _, low in MUTU[:3]
    }
