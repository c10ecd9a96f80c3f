"""All interface text in one catalogue: Bahasa Indonesia by default, English with ``?lang=en``."""

from __future__ import annotations

LANGS = ("id", "en")
DEFAULT_LANG = "id"

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"id": "NTB Care Monitor", "en": "NTB Care Monitor"},
    "nav.monitor": {"id": "Monitor", "en": "Monitor"},
    "nav.kepatuhan": {"id": "Kepatuhan OPD", "en": "OPD compliance"},
    "nav.ringkasan": {"id": "Ringkasan", "en": "Summary"},
    "nav.aduan": {"id": "Aduan", "en": "Complaints"},
    "kpi.received_today": {"id": "Masuk hari ini", "en": "In today"},
    "kpi.received_month": {"id": "Masuk bulan ini", "en": "In this month"},
    "kpi.open": {"id": "Belum selesai", "en": "Open"},
    "kpi.breached": {"id": "Terlambat", "en": "Overdue"},
    "kpi.at_risk": {"id": "Hampir jatuh tempo", "en": "At risk"},
    "kpi.on_time": {"id": "Tepat waktu (bulan ini)", "en": "On time (this month)"},
    "kpi.median_response": {"id": "Median tanggapan pertama", "en": "Median first response"},
    "unit.workdays": {"id": "{n} hari kerja", "en": "{n} working days"},
    "unit.workday": {"id": "{n} hari kerja", "en": "{n} working day"},
    "unit.none": {"id": "–", "en": "–"},
    "data.as_of": {"id": "data per {time} WITA", "en": "data as of {time} WITA"},
    "data.stale": {
        "id": "{cause} Menampilkan data terakhir per {time} WITA ({age} lalu). Mencoba lagi otomatis.",
        "en": "{cause} Showing the last data as of {time} WITA ({age} ago). Retrying automatically.",
    },
    "data.unavailable": {
        "id": "{cause} Data belum tersedia; mencoba lagi otomatis.",
        "en": "{cause} No data yet; retrying automatically.",
    },
    "fault.down": {"id": "Basis data tidak dapat dihubungi.", "en": "The database cannot be reached."},
    "fault.timeout": {
        "id": "Kueri melebihi batas waktu {seconds} detik (basis data lambat atau tabel sedang dikunci).",
        "en": "A query exceeded the {seconds} s time limit (the database is slow or a table is locked).",
    },
    "fault.busy": {
        "id": "Semua koneksi ke basis data sedang terpakai (server dasbor sibuk).",
        "en": "All database connections are in use (the dashboard server is busy).",
    },
    "fault.denied": {
        "id": "Peran basis data dasbor tidak berhak membaca data ini (lihat deploy/readonly_role.sql).",
        "en": "The dashboard's database role may not read this data (see deploy/readonly_role.sql).",
    },
    "fault.error": {"id": "Basis data mengembalikan kesalahan.", "en": "The database returned an error."},
    "data.config_error": {
        "id": "Konfigurasi basis data salah: {detail}",
        "en": "Database configuration error: {detail}",
    },
    "sla.rules": {
        "id": "Aturan tenggat (hari kerja, Senin–Jumat di luar libur nasional dan cuti bersama): verifikasi dan "
        "disposisi {dispatch} hari sejak diterima; tanggapan pertama OPD {response} hari sejak disposisi; "
        "penyelesaian {aspirasi} (aspirasi, informasi), {pengaduan} (pengaduan) atau {pengawasan} "
        '(pengaduan berkadar pengawasan) hari sejak {anchor}. "Hampir jatuh tempo": sisa {at_risk} hari kerja '
        "atau kurang.",
        "en": "Deadline rules (working days, Monday–Friday except national holidays and cuti bersama): verification "
        "and dispatch {dispatch} days after receipt; first OPD response {response} days after dispatch; "
        "completion {aspirasi} (aspirasi, information), {pengaduan} (complaint) or {pengawasan} (complaint "
        'needing investigation) days after {anchor}. "At risk": {at_risk} working days or fewer left.',
    },
    "sla.anchor.dispatched": {"id": "disposisi", "en": "dispatch"},
    "sla.anchor.received": {"id": "diterima", "en": "receipt"},
    "period.range": {"id": "{start} s.d. {end}", "en": "{start} to {end}"},
    "ago.seconds": {"id": "{n} dtk", "en": "{n} s"},
    "ago.minutes": {"id": "{n} mnt", "en": "{n} min"},
    "ago.hours": {"id": "{n} jam", "en": "{n} h"},
    "ago.days": {"id": "{n} hari", "en": "{n} d"},
    "status.diterima": {"id": "Diterima", "en": "Received"},
    "status.terdisposisi": {"id": "Terdisposisi", "en": "Dispatched"},
    "status.diproses": {"id": "Diproses", "en": "In progress"},
    "status.selesai": {"id": "Selesai", "en": "Completed"},
    "status.ditunda": {"id": "Ditunda", "en": "Postponed"},
    "status.diarsipkan": {"id": "Diarsipkan", "en": "Archived"},
    "sla.on_track": {"id": "Sesuai jadwal", "en": "On track"},
    "sla.at_risk": {"id": "Hampir jatuh tempo", "en": "At risk"},
    "sla.breached": {"id": "Terlambat", "en": "Breached"},
    "sla.met": {"id": "Tepat waktu", "en": "Met"},
    "sla.late": {"id": "Terlambat selesai", "en": "Late"},
    "sla.ditunda": {"id": "Ditunda", "en": "Postponed"},
    "priority.mendesak": {"id": "Mendesak", "en": "Urgent"},
    "priority.penting": {"id": "Penting", "en": "Important"},
    "priority.biasa": {"id": "Biasa", "en": "Normal"},
    "opd.unassigned": {"id": "(belum didisposisikan)", "en": "(not dispatched yet)"},
    "opd.unassigned_short": {"id": "Belum ke OPD", "en": "No OPD yet"},
    "monitor.title": {"id": "NTB Care — Monitor Aduan", "en": "NTB Care — Complaint Monitor"},
    "unit.wd_short": {"id": "{n} hk", "en": "{n} wd"},
    "calendar.ending": {
        "id": "Kalender hari kerja di basis data berakhir {day}: tenggat sesudah tanggal itu tidak dihitung. "
        "Jalankan: python -m data_seed calendar",
        "en": "The working-day calendar in the database ends on {day}: deadlines after that day are not computed. "
        "Run: python -m data_seed calendar",
    },
    "wall.feed_title": {"id": "Aduan masuk", "en": "Incoming complaints"},
    "wall.activity_title": {"id": "Aktivitas OPD", "en": "OPD activity"},
    "wall.late_title": {"id": "OPD terlambat", "en": "Late OPDs"},
    "wall.feed_empty": {"id": "Belum ada aduan.", "en": "No complaints yet."},
    "wall.activity_empty": {"id": "Belum ada aktivitas OPD.", "en": "No OPD activity yet."},
    "wall.no_overdue": {"id": "Tidak ada aduan terlambat.", "en": "No overdue complaints."},
    "wall.new": {"id": "BARU", "en": "NEW"},
    "wall.urgent_label": {"id": "ADUAN MENDESAK BARU", "en": "NEW URGENT COMPLAINT"},
    "wall.urgent_more": {"id": "+{n} aduan mendesak lain menyusul", "en": "+{n} more urgent complaints to follow"},
    "wall.urgent_more.one": {"id": "+{n} aduan mendesak lain menyusul", "en": "+{n} more urgent complaint to follow"},
    "ago.under_minute": {"id": "< 1 mnt", "en": "< 1 min"},
    "nav.layar": {"id": "Layar", "en": "Screens"},
    "scr.title": {"id": "Layar dinding", "en": "Wall screens"},
    "scr.intro": {
        "id": "Layar monitor yang dilayani server ini. Sebuah layar menamai dirinya dengan ?layar=nama "
        "di alamatnya (misalnya /monitor?kiosk=1&layar=ruang-staf-ahli).",
        "en": "The wall screens this server serves. A screen names itself with ?layar=name in its address "
        "(for example /monitor?kiosk=1&layar=ruang-staf-ahli).",
    },
    "scr.none": {"id": "Belum ada layar yang terhubung.", "en": "No screen connected yet."},
    "scr.col_name": {"id": "Layar", "en": "Screen"},
    "scr.col_address": {"id": "Alamat", "en": "Address"},
    "scr.col_client": {"id": "Perangkat (IP)", "en": "Device (IP)"},
    "scr.col_refresh": {"id": "Terakhir diperbarui", "en": "Last refreshed"},
    "scr.col_data_age": {"id": "Umur data", "en": "Data age"},
    "scr.col_state": {"id": "Status", "en": "State"},
    "scr.state.live": {"id": "Aktif", "en": "Live"},
    "scr.state.stale": {"id": "Data basi", "en": "Stale data"},
    "scr.state.stopped": {"id": "Berhenti memperbarui", "en": "Stopped refreshing"},
    "scr.unnamed": {"id": "(tanpa nama)", "en": "(unnamed)"},
    "scr.reload_one": {"id": "Muat ulang {name}", "en": "Reload {name}"},
    "scr.reload_all": {"id": "Muat ulang semua layar", "en": "Reload every screen"},
    "scr.reload_asked": {
        "id": "Permintaan muat ulang terkirim: {name} dimuat ulang pada penyegaran berikutnya.",
        "en": "Reload requested: {name} reloads at its next refresh.",
    },
    "scr.all": {"id": "semua layar", "en": "every screen"},
    "wall.col_opd": {"id": "OPD", "en": "OPD"},
    "wall.col_at_risk": {"id": "Hampir", "en": "At risk"},
    "wall.col_oldest": {"id": "Tertua", "en": "Oldest"},
    "wall.date": {"id": "{date}", "en": "{date}"},
    "wall.sector_title": {"id": "Sektor — {period}", "en": "Sectors — {period}"},
    "wall.channel_title": {"id": "Kanal — 30 hari", "en": "Channels — 30 days"},
    "wall.region_title": {"id": "Aduan belum selesai per kab/kota", "en": "Open complaints by regency/city"},
    "wall.trend_title": {"id": "Masuk vs selesai — 30 hari", "en": "In vs completed — 30 days"},
    "period.today": {"id": "hari ini", "en": "today"},
    "period.7": {"id": "7 hari", "en": "7 days"},
    "period.30": {"id": "30 hari", "en": "30 days"},
    "chart.received": {"id": "Masuk", "en": "In"},
    "chart.completed": {"id": "Selesai", "en": "Completed"},
    "chart.count": {"id": "Jumlah", "en": "Count"},
    "chart.open": {"id": "Belum selesai", "en": "Open"},
    "chart.none": {"id": "(tanpa data)", "en": "(no data)"},
    "chart.empty": {"id": "Belum ada data untuk periode ini", "en": "No data for this period yet"},
    "event.didisposisikan": {"id": "Didisposisikan ke", "en": "Dispatched to"},
    "event.dialihkan": {"id": "Dialihkan ke", "en": "Re-dispatched to"},
    "event.ditanggapi": {"id": "Ditanggapi oleh", "en": "Responded by"},
    "event.diselesaikan": {"id": "Diselesaikan oleh", "en": "Completed by"},
    "wall.view_compliance": {"id": "Kepatuhan OPD saat ini", "en": "OPD compliance now"},
    "rapor.title": {"id": "Rapor OPD", "en": "OPD report card"},
    "rapor.period": {"id": "Periode", "en": "Period"},
    "rapor.generated": {"id": "Dibuat", "en": "Generated"},
    "rapor.dispatched": {"id": "Didisposisikan (periode)", "en": "Dispatched (period)"},
    "rapor.responded": {"id": "Ditanggapi", "en": "Responded"},
    "rapor.responded_on_time": {"id": "Ditanggapi tepat waktu", "en": "Responded on time"},
    "rapor.response_pct": {"id": "% tanggapan tepat waktu", "en": "% responded on time"},
    "rapor.completed": {"id": "Selesai", "en": "Completed"},
    "rapor.completed_on_time": {"id": "Selesai tepat waktu", "en": "Completed on time"},
    "rapor.completion_pct": {"id": "% selesai tepat waktu", "en": "% completed on time"},
    "rapor.median_response": {"id": "Median tanggapan (hari kerja)", "en": "Median response (working days)"},
    "rapor.open": {"id": "Belum selesai (kini)", "en": "Open (now)"},
    "rapor.breached": {"id": "Terlambat (kini)", "en": "Breached (now)"},
    "rapor.at_risk": {"id": "Hampir jatuh tempo (kini)", "en": "At risk (now)"},
    "rapor.oldest": {"id": "Umur terlambat tertua (hari kerja)", "en": "Oldest breached (working days)"},
    "rapor.grade": {"id": "Nilai", "en": "Grade"},
    "grade.A": {"id": "A (baik)", "en": "A (good)"},
    "grade.B": {"id": "B (cukup)", "en": "B (fair)"},
    "grade.C": {"id": "C (kurang)", "en": "C (poor)"},
    "grade.D": {"id": "D (buruk)", "en": "D (bad)"},
    "rapor.opd": {"id": "OPD", "en": "OPD"},
    "rapor.breached_list": {"id": "Aduan terlambat", "en": "Breached complaints"},
    "rapor.col_ticket": {"id": "Tiket", "en": "Ticket"},
    "rapor.col_title": {"id": "Judul", "en": "Title"},
    "rapor.col_received": {"id": "Diterima", "en": "Received"},
    "rapor.col_deadline": {"id": "Tenggat", "en": "Deadline"},
    "rapor.col_late": {"id": "Terlambat (hk)", "en": "Late (wd)"},
    "rapor.col_status": {"id": "Status", "en": "Status"},
    "rapor.col_dispatched": {"id": "Didisposisikan", "en": "Dispatched"},
    "rapor.col_sla": {"id": "Keadaan tenggat", "en": "Deadline state"},
    "rapor.col_detail": {"id": "Rincian", "en": "Detail"},
    "kep.title": {"id": "Kepatuhan OPD", "en": "OPD compliance"},
    "kep.period": {"id": "Periode", "en": "Period"},
    "kep.period.bulan_ini": {"id": "Bulan ini", "en": "This month"},
    "kep.period.bulan_lalu": {"id": "Bulan lalu", "en": "Last month"},
    "kep.period.tahun_ini": {"id": "Tahun ini", "en": "This year"},
    "kep.period.rentang": {"id": "Rentang tanggal", "en": "Date range"},
    "kep.range": {"id": "Dari – sampai", "en": "From – to"},
    "kep.history": {
        "id": "Tampilkan unit sebelum reorganisasi 2026",
        "en": "Show units before the 2026 reorganisation",
    },
    "kep.scope": {
        "id": 'Angka periode: aduan yang didisposisikan pada {period}. Angka "kini": semua aduan yang belum selesai, per {now} WITA.',
        "en": 'Period figures: complaints dispatched {period}. "Now" figures: all open complaints, as of {now} WITA.',
    },
    "kep.grade_title": {"id": "Cara menilai dan aturan tenggat", "en": "How grades and deadlines work"},
    "kep.grade_help": {
        "id": "Nilai: A bila ≥ 90% tahap tanggapan yang sudah diputus (sudah ditanggapi, atau lewat tenggat) tepat "
        "waktu, B ≥ 75%, C ≥ 50%, selain itu D; turun satu tingkat bila ada aduan terlambat kini, dua tingkat bila 5 "
        "atau lebih. Tahap yang masih dalam tenggatnya \"menunggu\" dan tidak dihitung. Nilai perlu sekurangnya "
        "{min} tahap yang sudah diputus; bila kurang: \"belum dinilai\". Tenggat yang tanggalnya sebelum hari ini "
        "sudah terlewat, juga pada akhir pekan dan hari libur.",
        "en": "Grade: A when ≥ 90% of the decided response stages (answered, or past their deadline) were on time, "
        "B ≥ 75%, C ≥ 50%, else D; one grade lower with any complaint breached now, two with 5 or more. A stage still "
        'within its deadline is "waiting" and not counted. A grade needs at least {min} decided stages; fewer: '
        '"not graded". A deadline dated before today is missed, on weekends and holidays too.',
    },
    "kep.reason": {"id": "Alasan nilai", "en": "Why this grade"},
    "kep.unassigned_line": {
        "id": "Belum didisposisikan ke OPD (dihitung terpisah): {open} belum selesai, {breached} terlambat kini.",
        "en": "Not dispatched to an OPD yet (counted apart): {open} open, {breached} breached now.",
    },
    "kep.unassigned_link": {"id": "Lihat aduan tanpa OPD", "en": "See complaints without an OPD"},
    "kep.all_columns": {"id": "Semua angka rapor", "en": "Every rapor figure"},
    "kep.late_rows": {
        "id": "{n} OPD dengan aduan terlambat kini, diurutkan dari yang paling perlu ditindaklanjuti.",
        "en": "{n} OPDs with complaints breached now, the most urgent first.",
    },
    "kep.col_grade": {"id": "Nilai", "en": "Grade"},
    "kep.col_breached": {"id": "Terlambat kini", "en": "Breached now"},
    "kep.col_oldest": {"id": "Tertua (hk)", "en": "Oldest (wd)"},
    "kep.col_oldest_help": {
        "id": "Umur aduan terlambat tertua, dalam hari kerja sejak diterima",
        "en": "Age of the oldest breached complaint, in working days since it was received",
    },
    "kep.col_share": {"id": "% tepat waktu", "en": "% on time"},
    "kep.col_share_help": {
        "id": "Tanggapan tepat waktu dari tahap tanggapan yang sudah diputus (ditanggapi, atau lewat tenggat)",
        "en": "Responses on time of the decided response stages (answered, or past their deadline)",
    },
    "kep.col_waiting": {"id": "Menunggu", "en": "Waiting"},
    "kep.col_waiting_help": {
        "id": "Tahap tanggapan yang masih dalam tenggatnya (atau ditunda): tidak dihitung dalam nilai",
        "en": "Response stages still within their deadline (or postponed): not counted in the grade",
    },
    "rapor.waiting": {"id": "Menunggu (dalam tenggat)", "en": "Waiting (within deadline)"},
    "grade.waiting": {"id": "menunggu", "en": "waiting"},
    "grade.none": {"id": "belum dinilai", "en": "not graded"},
    "grade.reason_none": {
        "id": "belum dinilai: kurang dari {min} tahap selesai (baru {decided})",
        "en": "not graded: fewer than {min} stages decided (only {decided})",
    },
    "grade.reason_breached": {"id": "{n} terlambat kini", "en": "{n} breached now"},
    "grade.reason_share": {"id": "{n} dari {of} dijawab tepat waktu", "en": "{n} of {of} answered on time"},
    "kep.pick_opd": {
        "id": "Pilih OPD untuk rincian (atau klik baris tabel)",
        "en": "Choose an OPD for details (or click a row)",
    },
    "kep.drill_title": {"id": "Aduan belum selesai — {opd}", "en": "Open complaints — {opd}"},
    "kep.trend_title": {"id": "Per bulan — {opd}", "en": "By month — {opd}"},
    "kep.chart_title": {"id": "Tanggapan tepat waktu per OPD (%)", "en": "Responded on time by OPD (%)"},
    "kep.export": {"id": "Unduh", "en": "Download"},
    "kep.export_rapor_xlsx": {"id": "Rapor (XLSX)", "en": "Report card (XLSX)"},
    "kep.export_rapor_csv": {"id": "Rapor (CSV)", "en": "Report card (CSV)"},
    "kep.export_list_xlsx": {"id": "Daftar terlambat (XLSX)", "en": "Overdue list (XLSX)"},
    "kep.export_list_csv": {"id": "Daftar terlambat (CSV)", "en": "Overdue list (CSV)"},
    "kep.pdf_one": {"id": "Buat PDF Rapor OPD ini", "en": "Make this OPD's PDF"},
    "kep.pdf_all": {"id": "Buat PDF Rapor semua OPD", "en": "Make the PDF for all OPDs"},
    "kep.pdf_ready": {"id": "Unduh PDF", "en": "Download PDF"},
    "kep.pdf_progress": {"id": "Menyusun PDF…", "en": "Building the PDF…"},
    "kep.no_data": {"id": "Belum ada data untuk periode ini.", "en": "No data for this period."},
    "kep.bad_param": {"id": "Parameter URL diabaikan: {detail}", "en": "URL parameter ignored: {detail}"},
    "chart.dispatched": {"id": "Didisposisikan", "en": "Dispatched"},
    "chart.on_time": {"id": "Selesai tepat waktu", "en": "Completed on time"},
    "chart.late": {"id": "Selesai terlambat", "en": "Completed late"},
    "chart.breached_now": {"id": "Terlambat kini", "en": "Breached now"},
    "aduan.title": {"id": "Aduan {ticket}", "en": "Complaint {ticket}"},
    "aduan.not_found": {
        "id": "Aduan dengan tiket {ticket} tidak ditemukan.",
        "en": "No complaint with ticket {ticket}.",
    },
    "aduan.ask_ticket": {"id": "Nomor tiket", "en": "Ticket number"},
    "aduan.timeline": {"id": "Riwayat", "en": "Timeline"},
    "aduan.stages": {"id": "Tahap dan tenggat", "en": "Stages and deadlines"},
    "aduan.stage.dispatch": {"id": "Verifikasi & disposisi", "en": "Verification & dispatch"},
    "aduan.stage.response": {"id": "Tanggapan pertama OPD", "en": "First OPD response"},
    "aduan.stage.completion": {"id": "Penyelesaian", "en": "Completion"},
    "aduan.opds": {"id": "OPD yang menangani", "en": "OPDs it passed through"},
    "aduan.body": {"id": "Isi aduan", "en": "Complaint text"},
    "aduan.fields": {"id": "Data aduan", "en": "Complaint data"},
    "aduan.reporter": {"id": "Pelapor", "en": "Reporter"},
    "aduan.reporter_name": {"id": "Nama", "en": "Name"},
    "aduan.reporter_contact": {"id": "Kontak", "en": "Contact"},
    "nav.kualitas_data": {"id": "Kualitas data", "en": "Data quality"},
    "role.wall": {"id": "tanpa peran (hanya monitor)", "en": "no role (monitor only)"},
    "role.leader": {"id": "pimpinan", "en": "leader"},
    "role.adviser": {"id": "staf ahli", "en": "adviser"},
    "role.admin": {"id": "admin", "en": "admin"},
    "auth.login": {"id": "Masuk", "en": "Log in"},
    "auth.logout": {"id": "Keluar", "en": "Log out"},
    "auth.role": {"id": "Peran: {role}", "en": "Role: {role}"},
    "auth.please_login": {
        "id": "Silakan masuk untuk membuka halaman ini. Tanpa masuk hanya monitor yang dapat dibuka.",
        "en": "Please log in to open this page. Without logging in only the monitor is available.",
    },
    "auth.no_role": {
        "id": "Akun Anda belum diberi peran di NTB Care Monitor, jadi hanya monitor yang dapat dibuka. "
        "Hubungi admin NTB Care.",
        "en": "Your account has no role in NTB Care Monitor yet, so only the monitor is available. "
        "Contact the NTB Care admin.",
    },
    "auth.forbidden": {
        "id": "Halaman ini tidak tersedia untuk peran Anda ({role}).",
        "en": "This page is not available to your role ({role}).",
    },
    "auth.not_configured": {
        "id": "Login belum dikonfigurasi (bagian [auth] di .streamlit/secrets.toml).",
        "en": "Login is not configured yet ([auth] in .streamlit/secrets.toml).",
    },
    "auth.config_error": {
        "id": "Konfigurasi peran salah, semua pengguna hanya dapat membuka monitor: {detail}",
        "en": "Role configuration error, every user can open the monitor only: {detail}",
    },
    # --- the explorer (aduan) -------------------------------------------------------------------------
    "class.aspirasi": {"id": "Aspirasi", "en": "Aspiration"},
    "class.pengaduan": {"id": "Pengaduan", "en": "Complaint"},
    "class.pengaduan_pengawasan": {"id": "Pengaduan berkadar pengawasan", "en": "Oversight complaint"},
    "class.informasi": {"id": "Permintaan informasi", "en": "Information request"},
    "aduan.note": {"id": "Catatan", "en": "Note"},
    "exp.title": {"id": "Penjelajah aduan", "en": "Complaint explorer"},
    "exp.filters": {"id": "Saring", "en": "Filters"},
    "exp.apply": {"id": "Terapkan", "en": "Apply"},
    "exp.reset": {"id": "Hapus semua saringan", "en": "Clear all filters"},
    "exp.from": {"id": "Diterima dari", "en": "Received from"},
    "exp.to": {"id": "sampai", "en": "to"},
    "exp.status": {"id": "Status", "en": "Status"},
    "exp.opd": {"id": "OPD", "en": "OPD"},
    "exp.sector": {"id": "Sektor", "en": "Sector"},
    "exp.channel": {"id": "Kanal", "en": "Channel"},
    "exp.region": {"id": "Kabupaten/kota", "en": "Regency/city"},
    "exp.priority": {"id": "Prioritas", "en": "Priority"},
    "exp.classification": {"id": "Klasifikasi", "en": "Classification"},
    "exp.sla": {"id": "Status tenggat", "en": "Deadline state"},
    "exp.text": {"id": "Cari di judul dan isi", "en": "Search title and text"},
    "exp.sort": {"id": "Urutkan", "en": "Sort by"},
    "exp.ascending": {"id": "Urutan naik", "en": "Ascending"},
    "exp.history": {"id": "OPD lama terpisah", "en": "Merged OPDs separately"},
    "auth.demo": {
        "id": "Mode demo (basis data contoh): semua halaman terbuka tanpa masuk, sebagai {role}.",
        "en": "Demo mode (sample database): every page open without login, as {role}.",
    },
    "exp.ticket_hint": {"id": "mis. NTB-2026-000123", "en": "e.g. NTB-2026-000123"},
    "exp.pick": {"id": "Semua", "en": "All"},
    "exp.none": {"id": "(tidak ada)", "en": "(none)"},
    "exp.count": {"id": "{n} aduan cocok", "en": "{n} matching complaints"},
    "exp.count.one": {"id": "{n} aduan cocok", "en": "{n} matching complaint"},
    "exp.page": {"id": "Halaman {page} dari {pages}", "en": "Page {page} of {pages}"},
    "exp.prev": {"id": "Sebelumnya", "en": "Previous"},
    "exp.next": {"id": "Berikutnya", "en": "Next"},
    "exp.bad_param": {
        "id": "Nilai saringan di URL diabaikan: {detail}",
        "en": "Filter values in the URL ignored: {detail}",
    },
    "exp.export_csv": {"id": "Unduh daftar (CSV)", "en": "Download list (CSV)"},
    "exp.export_xlsx": {"id": "Unduh daftar (XLSX)", "en": "Download list (XLSX)"},
    "exp.export_cap": {
        "id": "Unduhan berisi {n} aduan pertama sesuai urutan; persempit saringan untuk sisanya.",
        "en": "The download holds the first {n} complaints in this order; narrow the filters for the rest.",
    },
    "exp.no_match": {
        "id": "Tidak ada aduan yang cocok dengan saringan ini.",
        "en": "No complaint matches these filters.",
    },
    "exp.back": {"id": "← Daftar aduan", "en": "← Complaint list"},
    "exp.open_ticket": {"id": "Buka tiket", "en": "Open ticket"},
    "exp.sort.received_at": {"id": "Waktu diterima", "en": "Time received"},
    "exp.sort.ticket": {"id": "Tiket", "en": "Ticket"},
    "exp.sort.status": {"id": "Status", "en": "Status"},
    "exp.sort.opd": {"id": "OPD", "en": "OPD"},
    "exp.sort.sector": {"id": "Sektor", "en": "Sector"},
    "exp.sort.region": {"id": "Kabupaten/kota", "en": "Regency/city"},
    "exp.col.channel": {"id": "Kanal", "en": "Channel"},
    "exp.col.sector": {"id": "Sektor", "en": "Sector"},
    "exp.col.region": {"id": "Kab/Kota", "en": "Regency/city"},
    "exp.col.priority": {"id": "Prioritas", "en": "Priority"},
    "exp.col.classification": {"id": "Klasifikasi", "en": "Classification"},
    # --- the leaders' summary (ringkasan) -----------------------------------------------------------
    "chart.done_pct": {"id": "Sudah selesai (%)", "en": "Completed so far (%)"},
    "chart.on_time_pct": {"id": "Selesai tepat waktu (%)", "en": "Completed on time (%)"},
    "chart.target": {"id": "Target {pct}%", "en": "Target {pct}%"},
    "sum.title": {"id": "Ringkasan untuk pimpinan", "en": "Leaders' summary"},
    "sum.period": {"id": "Periode", "en": "Period"},
    "sum.period.bulan_ini": {"id": "Bulan ini", "en": "This month"},
    "sum.period.tahun_ini": {"id": "Tahun ini", "en": "This year"},
    "sum.period.12_bulan": {"id": "12 bulan terakhir", "en": "Last 12 months"},
    "sum.period.rentang": {"id": "Rentang tanggal", "en": "Date range"},
    "sum.scope": {
        "id": "{period}, dibandingkan dengan {before}. Data per {now} WITA.",
        "en": "{period}, compared with {before}. Data as of {now} WITA.",
    },
    "sum.received": {"id": "Aduan masuk", "en": "Complaints in"},
    "sum.completed": {"id": "Diselesaikan", "en": "Completed"},
    "sum.on_time": {"id": "Selesai tepat waktu", "en": "Completed on time"},
    "sum.median_response": {"id": "Median tanggapan pertama", "en": "Median first response"},
    "sum.open_now": {"id": "Belum selesai (kini)", "en": "Open (now)"},
    "sum.breached_now": {"id": "Terlambat (kini)", "en": "Overdue (now)"},
    "sum.trend_title": {"id": "Masuk dan selesai per {grain}", "en": "In and completed per {grain}"},
    "sum.grain.week": {"id": "minggu", "en": "week"},
    "sum.grain.month": {"id": "bulan", "en": "month"},
    "chart.yoy_partial": {
        "id": "* bulan berjalan: kedua tahun dihitung pada tanggal yang sama (1 s.d. hari ini)",
        "en": "* month in progress: both years counted on the same dates (1st to today)",
    },
    "sum.yoy_title": {
        "id": "Aduan masuk per bulan: {year} dibanding {prev}",
        "en": "Complaints in per month: {year} vs {prev}",
    },
    "sum.sector_title": {"id": "Menurut sektor", "en": "By sector"},
    "sum.channel_title": {"id": "Menurut kanal", "en": "By channel"},
    "sum.class_title": {"id": "Menurut klasifikasi", "en": "By classification"},
    "sum.priority_title": {"id": "Menurut prioritas", "en": "By priority"},
    "sum.region_map_title": {"id": "Aduan per 100.000 penduduk", "en": "Complaints per 100,000 inhabitants"},
    "sum.region_bar_title": {"id": "Per 100.000 penduduk, diurutkan", "en": "Per 100,000 inhabitants, sorted"},
    "sum.on_time_title": {"id": "Penyelesaian tepat waktu per {grain}", "en": "Completed on time per {grain}"},
    "sum.open_list": {"id": "Lihat semua aduan periode ini", "en": "See every complaint of this period"},
    "kep.see_breached": {"id": "{n} terlambat kini → penjelajah aduan", "en": "{n} breached now → explorer"},
    "kep.see_at_risk": {"id": "{n} hampir jatuh tempo → penjelajah aduan", "en": "{n} at risk → explorer"},
    "kep.see_open": {"id": "{n} belum selesai → penjelajah aduan", "en": "{n} open → explorer"},
    "exp.drill_hint": {
        "id": "Klik batang, wilayah atau baris untuk melihat aduannya.",
        "en": "Click a bar, region or row to see its complaints.",
    },
    "nav.kualitas": {"id": "Kualitas data", "en": "Data quality"},
    "quality.title": {"id": "Kualitas data", "en": "Data quality"},
    "quality.intro": {
        "id": "Hitungan data aduan yang tampak salah atau tidak lengkap, dari seluruh basis data (diperiksa ulang "
        "paling sering tiap 10 menit). Nol berarti tidak ada temuan. Contoh tiket: aduan pertama dan terakhir "
        "yang ditemukan.",
        "en": "Counts of complaint data that looks wrong or incomplete, over the whole database (checked again at "
        "most every 10 minutes). Zero means nothing found. Example tickets: the first and the last complaint "
        "found.",
    },
    "quality.found": {"id": "Pemeriksaan dengan temuan", "en": "Checks with findings"},
    "quality.running": {"id": "Memeriksa seluruh data aduan…", "en": "Checking all complaint data…"},
    "quality.col_check": {"id": "Pemeriksaan", "en": "Check"},
    "quality.col_count": {"id": "Jumlah", "en": "Count"},
    "quality.col_unit": {"id": "Satuan", "en": "Unit"},
    "quality.col_examples": {"id": "Contoh tiket", "en": "Example tickets"},
    "quality.unit.aduan": {"id": "aduan", "en": "complaints"},
    "quality.unit.peristiwa": {"id": "peristiwa", "en": "events"},
    "quality.unit.kalender": {"id": "hari", "en": "days"},
    "quality.examples_title": {"id": "Contoh aduan", "en": "Example complaints"},
    "quality.pick_check": {"id": "Pemeriksaan", "en": "Check"},
    "quality.calendar": {
        "id": "Kalender hari kerja: {first} s.d. {last}",
        "en": "Working-day calendar: {first} to {last}",
    },
    "quality.unknown_classification": {"id": "Klasifikasi tidak dikenal", "en": "Unknown classification"},
    "quality.unknown_priority": {"id": "Prioritas tidak dikenal", "en": "Unknown priority"},
    "quality.unknown_status": {"id": "Status tidak dikenal", "en": "Unknown status"},
    "quality.no_sector": {"id": "Tanpa sektor", "en": "No sector"},
    "quality.no_region": {"id": "Tanpa kabupaten/kota", "en": "No regency/city"},
    "quality.no_channel": {"id": "Tanpa kanal", "en": "No channel"},
    "quality.dispatched_without_opd": {
        "id": "Terdisposisi atau diproses tanpa OPD",
        "en": "Dispatched or in progress without an OPD",
    },
    "quality.unknown_opd": {"id": "OPD tidak ada di daftar OPD", "en": "OPD not in the OPD list"},
    "quality.status_without_time": {
        "id": "Status tanpa waktunya (terdisposisi tanpa waktu disposisi, selesai tanpa waktu selesai)",
        "en": "Status without its time (dispatched without a dispatch time, completed without a completion time)",
    },
    "quality.future_time": {"id": "Waktu di masa depan", "en": "Time in the future"},
    "quality.before_receipt": {
        "id": "Disposisi, tanggapan atau selesai sebelum diterima",
        "en": "Dispatched, responded or completed before receipt",
    },
    "quality.response_before_dispatch": {"id": "Tanggapan sebelum disposisi", "en": "Response before dispatch"},
    "quality.large_body": {"id": "Isi aduan sangat besar (> 20 KB)", "en": "Very large complaint text (> 20 KB)"},
    "quality.formula_title": {
        "id": "Judul yang dibaca spreadsheet sebagai rumus (diawali = + - @)",
        "en": "Title a spreadsheet reads as a formula (starts with = + - @)",
    },
    "quality.empty_title": {"id": "Judul kosong", "en": "Empty title"},
    "quality.no_events": {"id": "Tanpa riwayat (tidak ada peristiwa)", "en": "No timeline (no events)"},
    "quality.event_before_receipt": {"id": "Ada peristiwa sebelum aduan diterima", "en": "An event before receipt"},
    "quality.events_out_of_order": {
        "id": "Riwayat tidak berurutan (tindakan OPD sebelum disposisi)",
        "en": "Timeline out of order (OPD action before dispatch)",
    },
    "quality.event_unknown_kind": {"id": "Jenis peristiwa tidak dikenal", "en": "Unknown event kind"},
    "quality.event_future": {"id": "Peristiwa di masa depan", "en": "Event in the future"},
    "quality.event_duplicate": {
        "id": "Peristiwa ganda (aduan, jenis dan waktu sama)",
        "en": "Duplicate events (same complaint, kind and time)",
    },
    "quality.outside_calendar": {
        "id": "Tanggal di luar kalender hari kerja",
        "en": "Date outside the working-day calendar",
    },
    "quality.time_format": {
        "id": "Waktu tersimpan dalam bentuk yang tidak diizinkan kontrak (SQLite)",
        "en": "Time stored in a form the contract does not allow (SQLite)",
    },
    "quality.event_time_format": {
        "id": "Waktu peristiwa dalam bentuk yang tidak diizinkan kontrak (SQLite)",
        "en": "Event time in a form the contract does not allow (SQLite)",
    },
    "quality.calendar_missing_today": {
        "id": "Kalender hari kerja tidak mencakup hari ini",
        "en": "The working-day calendar does not cover today",
    },
}


from core.i18n_alerts import STRINGS as _ALERT_STRINGS

STRINGS.update(_ALERT_STRINGS)


def normalise_lang(value: str | None) -> str:
    value = (value or "").strip().lower()
    return value if value in LANGS else DEFAULT_LANG


def t(key: str, lang: str, **kwargs) -> str:
    """The text for ``key`` in ``lang`` (falling back to Indonesian, then to the key itself)."""
    if lang not in LANGS:  # a Locale or a raw URL value here is a bug: fail loudly rather than fall back
        raise TypeError(f"t() wants a language code from {LANGS}, not {lang!r}")
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**kwargs) if kwargs else text


def label(prefix: str, value, lang: str) -> str:
    """The catalogue label of a code (``status``, ``priority``, ``sla``...), or the code itself if unknown."""
    key = f"{prefix}.{value}"
    return t(key, lang) if key in STRINGS else ("–" if value is None else str(value))
