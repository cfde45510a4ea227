"""The words of the reports and the app: one catalogue, Bahasa Indonesia and English."""

from __future__ import annotations

import numpy as np

from asn_eval.formatting import cell, number
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
        "Periode {periode}: dari {both} pegawai yang punya rating atasan dan saran indikator: "
        "{same} sama, {one} "
        "berbeda satu tingkat (wajar sebagai sebaran), {two} berbeda dua tingkat "
        "(bertentangan: dibahas di forum). Predikat resmi berbeda dari hitungan: {official}.",
        "Period {periode}: of {both} employees with both a given rating and an indicator "
        "suggestion: {same} "
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
        "{n} pegawai berpredikat {top} dengan capaian ≥ {h} % dan skor perilaku (berbobot "
        "menurut skema) ≥ {p}.",
        "{n} employees with {top}, achievement ≥ {h} % and behaviour score (weighted by the "
        "scheme) ≥ {p}.",
    ),
    "penghargaan_tahun_teks": (
        "{n} pegawai berpredikat {top} di setiap triwulan yang dinilai (paling sedikit {q}), "
        "dengan capaian ≥ {h} % dan rata-rata skor perilaku ≥ {p} dari paling sedikit {s} "
        "sumber penilai selain diri sendiri ({roles}).",
        "{n} employees with {top} in every quarter rated (at least {q}), achievement ≥ {h} % "
        "and a mean behaviour score ≥ {p} from at least {s} kinds of rater besides themselves "
        "({roles}).",
    ),
    "kebutuhan": ("Kebutuhan", "Weaknesses"),
    "pembinaan": ("Perlu pembinaan", "Coaching"),
    "pembinaan_teks": (
        "{n} pegawai berpredikat di bawah {second} ({low}).",
        "{n} employees below {second} ({low}).",
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
    # -- document parts (issue 13) --
    "judul_laporan": ("Laporan Evaluasi Kinerja Pegawai", "Employee Performance Evaluation Report"),
    "judul_ikhtisar": (
        "Ikhtisar Evaluasi Kinerja Pegawai",
        "Employee Performance Evaluation Overview",
    ),
    "semua_opd": ("Seluruh perangkat daerah ({n} OPD)", "All agencies ({n})"),
    "periode_tahun": ("Tahun {tahun}", "Year {tahun}"),
    "periode_triwulan": ("Triwulan {tw} {tahun}", "Quarter {tw} {tahun}"),
    "periode_label": ("Periode", "Period"),
    "terbit_label": ("Tanggal terbit", "Date of issue"),
    "skema_label": ("Skema penilaian", "Scoring scheme"),
    "logo_alt": ("Logo {pemerintah}", "Logo of {pemerintah}"),
    "tanpa_profil": (
        "Profil kota (profil.toml) tidak ada di folder data, jadi nama pemerintah daerah dan "
        "penandatangan tidak dicetak. Tambahkan berkas profil.toml di folder data dengan kunci "
        "pemerintah, penyelenggara, zona_waktu (WIB, WITA atau WIT) dan tabel [penandatangan] "
        "berisi nama, nip dan jabatan (pangkat, tempat, alamat dan logo boleh ditambahkan), lalu "
        "buat laporan lagi.",
        "The city profile (profil.toml) is missing from the data folder, so the government and "
        "the signatory are not printed. Add a profil.toml to the data folder with the keys "
        "pemerintah, penyelenggara, zona_waktu (WIB, WITA or WIT) and a [penandatangan] table "
        "holding nama, nip and jabatan (pangkat, tempat, alamat and logo are optional), then make "
        "the report again.",
    ),
    "ttd_tanpa_profil": (
        "Blok tanda tangan tidak dicetak: profil kota (profil.toml) tidak ada.",
        "No signature block: the city profile (profil.toml) is missing.",
    ),
    "ttd_samaran": (
        "Versi samaran untuk forum: nama dan NIP penandatangan hanya dicetak pada laporan tanpa "
        "samaran, yang ditandatangani.",
        "Pseudonymised version for the forum: the signatory's name and NIP are printed only on "
        "the signed report without pseudonyms.",
    ),
    "nip_ttd": ("NIP {nip}", "NIP {nip}"),
    "ttd_penutup": (
        "Demikian laporan ini dibuat untuk dipergunakan sebagaimana mestinya.",
        "This report is issued to be used as appropriate.",
    ),
    "daftar_pegawai": ("Daftar pegawai", "Employee roster"),
    "daftar_teks": (
        "{n} pegawai {opd}, dikelompokkan menurut unit kerja. Capaian adalah rata-rata capaian "
        "indikator SKP (%); pegawai tanpa bukti tercantum dengan catatannya.",
        "{n} employees of {opd}, grouped by unit. Achievement is the mean achievement of the SKP "
        "indicators (%); employees without evidence are listed with their note.",
    ),
    "daftar_angka_kredit": (
        "Angka kredit hanya untuk jabatan fungsional: koefisien jenjang × persentase predikat, "
        "pro rata per bulan periode (lihat Lampiran: metode).",
        "Credit points only for functional positions: the level's coefficient × the predikat's "
        "percentage, pro rata per month of the period (see Appendix: method).",
    ),
    "daftar_samaran": ("Nama dan NIP diganti nama samaran.", "Names and NIPs are pseudonymised."),
    "kolom_no": ("No.", "No."),
    "kolom_nama_nip": ("Nama / NIP", "Name / NIP"),
    "kolom_capaian": ("Capaian (%)", "Achievement (%)"),
    "kolom_rating_hk": ("Rating hasil kerja", "Results rating"),
    "kolom_rating_pr": ("Rating perilaku", "Behaviour rating"),
    "kolom_nilai": ("Nilai", "Score"),
    "kolom_kalibrasi": ("Predikat kalibrasi", "Calibrated predikat"),
    "kolom_alasan": ("Alasan kalibrasi", "Calibration reason"),
    "kolom_angka_kredit": ("Angka kredit (JF)", "Credit points (JF)"),
    "kolom_catatan": ("Catatan", "Notes"),
    "tanpa_unit": ("Tanpa unit kerja", "No unit"),
    "unit_jumlah": ("{unit} ({n} pegawai)", "{unit} ({n} employees)"),
    "lampiran_metode": ("Lampiran: metode", "Appendix: method"),
    "metode_skema": (
        "Skema {nama}: {judul}. Kunci isi skema {kunci}: berubah bila satu angka skema berubah, "
        "jadi dua laporan dengan kunci yang sama dinilai dengan aturan yang sama.",
        "Scheme {nama}: {judul}. Scheme content key {kunci}: it changes when any number of the "
        "scheme changes, so two reports with the same key were scored by the same rules.",
    ),
    "metode_sumber": ("Sumber skema: {sumber}.", "Source of the scheme: {sumber}."),
    "metode_tingkat": ("Rating hasil kerja dan rating perilaku", "Results and behaviour ratings"),
    "metode_tingkat_pembanding": (
        "Rating hasil kerja dan rating perilaku di daftar pegawai dihitung dengan ambang berikut, "
        "sebagai pembanding; predikat skema ini berasal dari nilai tertimbang (di bawah).",
        "The results and behaviour ratings of the roster are computed with these thresholds, for "
        "comparison; this scheme's predikat comes from the weighted score (below).",
    ),
    "metode_capaian": (
        "Capaian satu indikator = realisasi ÷ target × 100 (target ÷ realisasi bila arahnya "
        "turun), paling tinggi {maks} %. Tiap RHK diberi tingkat dari rata-rata capaian "
        "indikatornya: ≥ {atas} % Di Atas Ekspektasi, ≥ {sesuai} % Sesuai Ekspektasi, di bawah "
        "{sesuai} % Di Bawah Ekspektasi.",
        "One indicator's achievement = realisation ÷ target × 100 (target ÷ realisation when "
        "lower is better), at most {maks} %. Each RHK gets a level from its indicators' mean "
        "achievement: ≥ {atas} % above expectation, ≥ {sesuai} % meets expectation, below "
        "{sesuai} % below expectation.",
    ),
    "metode_hasil_kerja": (
        "Saran rating hasil kerja: Di Atas Ekspektasi bila lebih dari {mayoritas} RHK di atas "
        "ekspektasi dan tidak ada RHK utama di bawah ekspektasi; Di Bawah Ekspektasi bila lebih "
        "dari {mayoritas} RHK di bawah ekspektasi atau lebih dari {utama} RHK utama di bawah "
        "ekspektasi; selain itu Sesuai Ekspektasi.",
        "Suggested results rating: above expectation when more than {mayoritas} of the RHK are "
        "above and no main RHK is below; below expectation when more than {mayoritas} of the RHK "
        "are below or more than {utama} of the main RHK are; meets expectation otherwise.",
    ),
    "metode_perilaku": (
        "Saran rating perilaku: rata-rata skor 1–5 atas nilai BerAKHLAK, ditimbang menurut peran "
        "penilai ({bobot}): ≥ {atas} Di Atas Ekspektasi, ≥ {sesuai} Sesuai Ekspektasi, di bawah "
        "{sesuai} Di Bawah Ekspektasi.",
        "Suggested behaviour rating: the mean 1–5 score over the BerAKHLAK values, weighted by "
        "rater role ({bobot}): ≥ {atas} above expectation, ≥ {sesuai} meets expectation, below "
        "{sesuai} below expectation.",
    ),
    "metode_diberikan": (
        "{rating} yang diberikan atasan dipakai bila tercatat; saran dari bukti menjadi "
        "pembanding (perbedaannya tertulis di catatan).",
        "The {rating} given by the supervisor is used when recorded; the suggestion from the "
        "evidence is the comparison (differences are written in the notes).",
    ),
    "metode_dihitung": (
        "{rating} dihitung dari bukti; rating yang diberikan atasan tidak dipakai.",
        "The {rating} is computed from the evidence; a rating given by the supervisor is not used.",
    ),
    "rating_hk_kecil": ("Rating hasil kerja", "results rating"),
    "rating_pr_kecil": ("Rating perilaku", "behaviour rating"),
    "metode_matriks": (
        "Matriks predikat: rating hasil kerja × rating perilaku",
        "Predikat matrix: results rating × behaviour rating",
    ),
    "matriks_sudut": ("Hasil kerja ↓ · Perilaku →", "Results ↓ · Behaviour →"),
    "metode_kurva": (
        "Kurva distribusi menurut predikat organisasi",
        "Distribution curve by organisation predikat",
    ),
    "metode_kurva_teks": (
        "Predikat organisasi membatasi sebaran predikat pegawainya (porsi pegawai OPD). "
        "Pelanggaran adalah peringatan untuk forum kalibrasi, tidak mengubah predikat.",
        "The organisation predikat limits its employees' predikat shares (share of the agency's "
        "employees). A breach is a warning for the calibration forum; it changes no predikat.",
    ),
    "metode_kurva_opd": (
        "{opd}: predikat organisasi {org}, jadi baris {org} yang berlaku.",
        "{opd}: organisation predikat {org}, so the {org} row applies.",
    ),
    "aturan": ("Aturan", "Rules"),
    "aturan_maks": ("{predikat} paling banyak {v}", "{predikat} at most {v}"),
    "aturan_min": ("{predikat} paling sedikit {v}", "{predikat} at least {v}"),
    "aturan_orang": ("{predikat} paling sedikit {v} orang", "{predikat} at least {v} people"),
    "metode_nasional_judul": ("Porsi predikat nasional", "National predikat shares"),
    "metode_nasional": (
        "Porsi nasional pembanding: {sumber}. Bukan aturan; hanya pembanding di laporan.",
        "National shares for comparison: {sumber}. Not a rule; only a comparison in the reports.",
    ),
    "metode_angka_kredit": (
        "Angka kredit jabatan fungsional",
        "Credit points of functional positions",
    ),
    "metode_angka_kredit_teks": (
        "Angka kredit per tahun = koefisien jenjang × persentase predikat; untuk periode kurang "
        "dari setahun, pro rata per bulan.",
        "Credit points per year = the level's coefficient × the predikat's percentage; pro rata "
        "per month for a period shorter than a year.",
    ),
    "persentase": ("Persentase", "Percentage"),
    "jenjang": ("Jenjang", "Level"),
    "koefisien": ("Koefisien per tahun", "Coefficient per year"),
    "metode_nilai": ("Nilai dan predikat", "Score and predikat"),
    "metode_nilai_teks": (
        "Nilai = jumlah skor komponen (0–100; capaian boleh lebih) dikali bobotnya. Komponen "
        "opsional yang tidak ada datanya dilewati dan bobot komponen lain dibagi ulang; tanpa "
        "komponen wajib tidak ada nilai.",
        "Score = the sum of the components' scores (0–100; achievement may exceed) times their "
        "weights. An optional component without data is skipped and the other weights are scaled "
        "up; without a required component there is no score.",
    ),
    "metode_360": (
        "Bila rekan atau bawahan ikut menilai perilaku, bobotnya menjadi: {bobot}.",
        "When peers or subordinates rated the behaviour, the weights become: {bobot}.",
    ),
    "komponen": ("Komponen", "Component"),
    "mengukur": ("Mengukur", "Measures"),
    "bobot": ("Bobot", "Weight"),
    "wajib": ("Wajib", "Required"),
    "pengaturan": ("Pengaturan", "Settings"),
    "nilai_min": ("Nilai paling rendah", "Lowest score"),
    "syarat": ("Syarat", "Condition"),
    "ukur_indikator": ("capaian indikator SKP", "SKP indicator achievement"),
    "ukur_indikator_pp46": (
        "nilai SKP (rumus aspek PP 46/2011)",
        "SKP score (PP 46/2011 aspect formula)",
    ),
    "ukur_perilaku": ("skor perilaku 1–5 × skala", "behaviour score 1–5 × scale"),
    "ukur_kehadiran": ("persentase kehadiran", "attendance percentage"),
    "ukur_disiplin": ("100 dikurangi potongan disiplin", "100 less discipline deductions"),
    "ukur_ikm": ("IKM unit layanan OPD", "IKM of the agency's service units"),
    "ukur_aktivitas": (
        "porsi hari kerja dengan aktivitas disetujui atasan",
        "share of working days with activities approved",
    ),
    "opsi_aspek": ("aspek {v}", "aspect {v}"),
    "opsi_jenis_rhk": ("RHK {v}", "{v} RHK"),
    "opsi_maks": ("capaian paling tinggi {v} %", "achievement at most {v} %"),
    "opsi_nilai_inti": ("nilai inti {v}", "core values {v}"),
    "opsi_semua_nilai": ("ketujuh nilai BerAKHLAK", "all seven BerAKHLAK values"),
    "opsi_peran": ("bobot peran {v}", "role weights {v}"),
    "opsi_skala": ("skala × {v}", "scale × {v}"),
    "opsi_unsur": ("unsur {v}", "elements {v}"),
    "opsi_struktural": (
        "{v} hanya untuk jabatan struktural",
        "{v} for structural positions only",
    ),
    "opsi_potong": (
        "potong {tk} per hari tanpa keterangan, {jam} per jam terlambat",
        "less {tk} per day absent without leave, {jam} per hour late",
    ),
    "syarat_inovasi": ("inovasi tercatat", "an innovation recorded"),
    # -- findings (issue 13) --
    "lingkup_tahun": ("{periode} dan triwulannya", "{periode} and its quarters"),
    "lingkup_triwulan": ("triwulan-triwulan {periode}", "the quarters of {periode}"),
    "bertentangan_lingkup": ("Rating bertentangan ({lingkup})", "Contradictions ({lingkup})"),
    "rating_bertentangan_lingkup": (
        "Rating bertentangan dengan bukti ({lingkup})",
        "Ratings contradicting evidence ({lingkup})",
    ),
    "kurva_peringatan": (
        "Perhatian: sebaran predikat OPD ini melampaui kurva predikat organisasi {org} ({why}). "
        "Daftar di bawah mengikuti predikat yang dihitung; tinjau kandidat bersama kalibrasi "
        "forum sebelum diusulkan.",
        "Caution: this agency's predikat shares exceed the curve of its organisation predikat "
        "{org} ({why}). The lists below follow the computed predikat; review the candidates "
        "with the forum's calibration before proposing them.",
    ),
    "penghargaan_dikalibrasi": (
        "{n} kandidat tidak dicantumkan: forum mengkalibrasi predikatnya menjadi selain {top}.",
        "{n} candidates left out: the forum calibrated their predikat to other than {top}.",
    ),
    "tren_tahunan_saja": (
        "Data {periode} hanya memuat penilaian tahunan, tanpa triwulan: tidak ada perkembangan "
        "antartriwulan untuk ditampilkan.",
        "The data of {periode} holds only the yearly evaluation, no quarters: there is no "
        "quarter-to-quarter progress to show.",
    ),
    "tren_tahun": (
        "Tahun {periode} per triwulan ({quarters}); perubahan (Δ) dihitung dari triwulan "
        "sebelumnya yang ada di data.",
        "The year {periode} by quarter ({quarters}); changes (Δ) are from the previous quarter "
        "in the data.",
    ),
    "tren_triwulan": (
        "{periode} dibanding triwulan sebelumnya pada tahun yang sama ({quarters}); perubahan "
        "(Δ) dihitung dari triwulan sebelumnya yang ada di data.",
        "{periode} against the earlier quarters of the same year ({quarters}); changes (Δ) are "
        "from the previous quarter in the data.",
    ),
    "tren_pertama": (
        "{periode} adalah triwulan pertama tahun {tahun} di data: belum ada triwulan "
        "sebelumnya untuk dibandingkan.",
        "{periode} is the first quarter of {tahun} in the data: there is no earlier quarter to "
        "compare with.",
    ),
    "tren_hilang": ("Tidak ada di data: {quarters}.", "Not in the data: {quarters}."),
    "delta_capaian": ("Δ capaian (poin)", "Δ achievement (points)"),
    "ukuran": ("Ukuran", "Measure"),
    "delta_perilaku": ("Δ skor perilaku", "Δ behaviour score"),
    "kotak_sudut": (
        "Rating hasil kerja ↓ / rating perilaku →",
        "Rating hasil kerja ↓ / rating perilaku →",
    ),
    "kotak_sel": ("{label}: {n}", "{label}: {n}"),
    "kotak_teks": (
        "Kotak 3 × 3 adalah matriks predikat skema {skema}: baris rating hasil kerja, kolom "
        "rating perilaku, keduanya rating yang dipakai untuk predikat (dari atasan bila ada, "
        "selain itu saran dari bukti). Tiap sel menyebut predikat yang diberikan matriks dan "
        "jumlah pegawai di dalamnya, jadi kotak selalu sama dengan predikat yang dihitung.",
        "The 3 × 3 grid is the predikat matrix of scheme {skema}: rows are the rating hasil "
        "kerja, columns the rating perilaku, both the ratings the predikat was computed from "
        "(the supervisor's where given, otherwise the suggestion from the evidence). Each cell "
        "gives the matrix's predikat and the number of employees in it, so the grid always "
        "agrees with the computed predikat.",
    ),
    "kotak_atasan": (
        "{n} rating (hasil kerja atau perilaku) dari atasan berbeda dari saran bukti; pegawainya "
        "ditempatkan menurut rating atasan (lihat Rating yang tidak sejalan dengan bukti).",
        "{n} ratings (results or behaviour) given by supervisors differ from the evidence's "
        "suggestion; those employees are placed by the given rating (see Ratings that disagree "
        "with evidence).",
    ),
    "kotak_luar": (
        "{n} pegawai tanpa kedua rating tidak masuk kotak.",
        "{n} employees without both ratings are outside the grid.",
    ),
    "kotak_kalibrasi": (
        "{n} predikat dikalibrasi forum; kotak tetap menurut rating (lihat Keputusan kalibrasi "
        "forum).",
        "{n} predikat were calibrated by the forum; the grid stays by the ratings (see "
        "Calibration decisions).",
    ),
    "pita_teks": (
        "Skema {skema} memberi predikat dari nilai total berbobot menurut pita nilainya, bukan "
        "dari matriks rating hasil kerja × rating perilaku; karena itu kotak 3 × 3 tidak "
        "ditampilkan. Pegawai OPD ini per pita nilai:",
        "Scheme {skema} gives the predikat from a weighted total through its bands, not from a "
        "rating hasil kerja × rating perilaku matrix, so no 3 × 3 grid is shown. This agency's "
        "employees per band:",
    ),
    "pita_judul": ("Pita nilai total", "Bands of the total"),
    "rentang_nilai": ("Rentang nilai total", "Total range"),
    "nilai_tercatat": ("Nilai pegawai (terendah – tertinggi)", "Employees' totals (low – high)"),
    "selang_capaian": ("Selang 95 % capaian", "95 % interval of achievement"),
    "n_bercapaian": ("{n} ({k} bercapaian)", "{n} ({k} with achievement)"),
    "dibanding_kota": ("Dibanding rata-rata kota", "Against the city mean"),
    "di_atas_kota": ("di atas", "above"),
    "di_bawah_kota": ("di bawah", "below"),
    "tak_terbedakan": ("tidak dapat dibedakan", "not distinguishable"),
    "peringkat_selang_teks": (
        "Selang 95 % rata-rata capaian tiap OPD (selang t atas pegawainya yang punya capaian; "
        "jumlahnya di kolom Pegawai). Rata-rata kota {kota} %: {atas} OPD di atasnya, {bawah} di "
        "bawahnya, {sama} tidak dapat dibedakan darinya. Urutan di antara OPD yang selangnya "
        "saling tumpang-tindih tidak bermakna: perbedaannya bisa karena variasi antarpegawai.",
        "95 % interval of each agency's mean achievement (t interval over its employees with an "
        "achievement; their number in the Employees column). City mean {kota} %: {atas} "
        "agencies above it, {bawah} below, {sama} not distinguishable from it. The order among "
        "agencies whose intervals overlap means nothing: the difference can come from "
        "variation between employees.",
    ),
    "keadilan_kota_lingkup": (
        "Rating bertentangan dihitung pada {lingkup}.",
        "Contradictions are counted over {lingkup}.",
    ),
    "tindak_lanjut_kota": ("Tindak lanjut per OPD", "Follow-up per agency"),
    "tindak_lanjut_kota_teks": (
        "{n} kandidat penghargaan dan {m} pegawai perlu pembinaan di {k} OPD (syarat dan bukti "
        "tiap pegawai di laporan OPD-nya). {c} dari {n} kandidat berasal dari OPD yang "
        "melampaui kurvanya: tinjau sebelum diusulkan.",
        "{n} reward candidates and {m} employees for coaching in {k} agencies (the conditions "
        "and each person's evidence are in their agency's report). {c} of the {n} candidates "
        "come from agencies over their curve: review them before proposing.",
    ),
    "n_penghargaan": ("Kandidat penghargaan", "Reward candidates"),
    "n_pembinaan": ("Perlu pembinaan", "Coaching"),
    "kurva_kolom": ("Kurva", "Curve"),
    "penghargaan_bukti": (
        "Kolom Bukti menyebut nilai tiap syarat.",
        "The Evidence column gives each value.",
    ),
    "penghargaan_tahun_bukti": (
        "Kolom Bukti menyebut nilai tiap syarat, juga bila skor perilaku berbobot skema di bawah "
        "{p} sehingga rating perilaku Di Atas datang dari atasan.",
        "The Evidence column gives each value, also where the scheme's weighted behaviour score "
        "is below {p} so that the rating came from the supervisor.",
    ),
    "pembinaan_bukti": (
        "Kolom Bukti menyebut rating yang menempatkan mereka di sana (yang di bawah ekspektasi "
        "lebih dulu), asalnya (dari atasan atau dari bukti) dan nilainya terhadap batas skema.",
        "The Evidence column names the ratings that put them there (those below expectation "
        "first), where each came from (the supervisor or the evidence) and its value against "
        "the scheme's boundary.",
    ),
    # -- objections (asn_eval.reporting.objections) ---------------------------------------------
    "keberatan": ("Keberatan", "Objections"),
    "keberatan_tidak_ada": (
        "Tidak ada keberatan atas predikat pegawai {opd} yang tercatat untuk periode {periode}.",
        "No objection to the predikat of an employee of {opd} is recorded for period {periode}.",
    ),
    "keberatan_tanpa_berkas": (
        "Tidak ada keberatan tercatat untuk periode {periode}: laporan ini dibuat tanpa berkas "
        "keputusan.",
        "No objection is recorded for period {periode}: this report was made without a "
        "decisions file.",
    ),
    "keberatan_teks": (
        "{n} keberatan atas predikat diajukan untuk periode {periode}: {terbuka} masih terbuka, "
        "{dijawab} sudah dijawab.",
        "Objections to a predikat filed for period {periode}: {n}; {terbuka} still open, "
        "{dijawab} answered.",
    ),
    "keberatan_hasil_teks": (
        "Jawabannya: {tetap} predikat tetap, {diubah} diubah (predikat barunya berlaku sebagai "
        "keputusan kalibrasi); rata-rata dijawab dalam {hari} hari.",
        "The answers: {tetap} predikat kept, {diubah} changed (the new predikat applies as a "
        "calibration decision); answered in {hari} days on average.",
    ),
    "keberatan_ditarik_teks": (
        "{n} perubahan itu kemudian ditarik: predikat barunya tidak berlaku lagi.",
        "Changes withdrawn since: {n}; their new predikat no longer applies.",
    ),
    "keberatan_umur_per": (
        "Umur keberatan terbuka dihitung sampai {waktu}, saat data laporan ini diolah.",
        "The age of open objections is counted to {waktu}, when this report's data were processed.",
    ),
    "keberatan_disamarkan": (
        "Nama dan NIP pegawai OPD lain dalam teks keberatan dan jawaban disamarkan.",
        "Names and NIPs of other agencies' employees in the objections and answers are masked.",
    ),
    "keberatan_terbuka": ("Keberatan terbuka (belum dijawab)", "Open objections (not answered)"),
    "keberatan_dijawab": ("Keberatan yang sudah dijawab", "Answered objections"),
    "predikat_dipersoalkan": ("Predikat yang dipersoalkan", "Predikat contested"),
    "diajukan": ("Diajukan", "Filed"),
    "umur_hari": ("Umur (hari)", "Age (days)"),
    "alasan_keberatan": ("Alasan keberatan", "Grounds"),
    "teks_oleh": ("{teks} (oleh {oleh})", "{teks} (by {oleh})"),
    "dijawab": ("Dijawab", "Answered"),
    "hasil_keberatan": ("Hasil", "Outcome"),
    "jawaban": ("Jawaban", "Answer"),
    "hasil_tetap": ("Tetap: {predikat}", "Kept: {predikat}"),
    "hasil_diubah": ("Diubah: {sebelum} → {sesudah}", "Changed: {sebelum} → {sesudah}"),
    "hasil_ditarik": (
        "Diubah, lalu perubahannya ditarik",
        "Changed, then the change was withdrawn",
    ),
    "keberatan_kota": ("Keberatan per OPD", "Objections per agency"),
    "keberatan_kota_tidak_ada": (
        "Tidak ada keberatan atas predikat yang tercatat untuk periode {periode}.",
        "No objection to a predikat is recorded for period {periode}.",
    ),
    "keberatan_kota_teks": (
        "{n} keberatan atas predikat diajukan untuk periode {periode} di {k} OPD: {terbuka} "
        "masih terbuka, {dijawab} sudah dijawab.",
        "Objections to a predikat filed for period {periode}: {n} in {k} agencies; "
        "{terbuka} still open, {dijawab} answered.",
    ),
    "n_terbuka": ("Terbuka", "Open"),
    "umur_tertua": ("Terbuka terlama (hari)", "Oldest open (days)"),
    "umur_rata": ("Umur rata-rata (hari)", "Mean age (days)"),
    "n_dijawab": ("Dijawab", "Answered"),
    "n_tetap": ("Tetap", "Kept"),
    "n_diubah": ("Diubah", "Changed"),
    "n_ditarik": ("Perubahan ditarik", "Changes withdrawn"),
    "jumlah_kota": ("Jumlah", "Total"),
    "instansi": ("Instansi", "Government"),
    # The overview of a dataset with many instansi says "instansi" where a city's says "kota"
    # (CityOverview reads ``<key>_semua`` first when it covers every instansi).
    "kota_semua": ("Semua instansi", "All governments"),
    "ikhtisar_semua": ("Ikhtisar semua instansi", "Overview of all governments"),
    "nasional_judul_semua": (
        "Semua instansi dibanding kenyataan nasional",
        "All governments against national reality",
    ),
    "dibanding_kota_semua": ("Dibanding rata-rata semua instansi", "Against the mean of all"),
    "semua_opd_semua": ("Seluruh OPD dari {k} instansi ({n} OPD)", "Agencies of {k} governments"),
}
for _key, _words in {  # long sentences: the same words, the city's subject replaced
    "nasional_teks": (("Kota ini:", "Semua instansi:"), ("This city:", "All governments:")),
    "peringkat_selang_teks": (
        ("Rata-rata kota", "Rata-rata semua instansi"),
        ("City mean", "Mean of all governments"),
    ),
}.items():
    _TEXT[f"{_key}_semua"] = tuple(t.replace(*w) for t, w in zip(_TEXT[_key], _words, strict=True))
LANGUAGES = ("id", "en")


# Placeholders whose numbers are names (years), written as they are.
_AS_WRITTEN = frozenset({"tahun", "year"})


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
    >>> text("tren_pertama", periode="2025-TW1", tahun=2025)[:44]
    '2025-TW1 adalah triwulan pertama tahun 2025 '
    """
    entry = _TEXT[key][LANGUAGES.index(bahasa)]
    # Numbers handed in as numbers are written by the one formatter (2.184, not 2184); a year
    # is a name, not a quantity (tahun 2025, never 2.025).
    written = {
        name: cell(value, bahasa)
        if isinstance(value, int | float | np.integer | np.floating)
        and not isinstance(value, bool)
        and name not in _AS_WRITTEN
        else value
        for name, value in values.items()
    }
    return entry.format(**written) if values else entry


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
