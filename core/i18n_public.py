"""The texts of the public page, its open data and its Open311 notes (merged into core.i18n.STRINGS)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "pub.title": {"id": "Rapor OPD NTB Care untuk publik", "en": "NTB Care: how each OPD handles complaints"},
    "pub.intro": {
        "id": "NTB Care meneruskan aduan warga kepada organisasi perangkat daerah (OPD) Pemerintah Provinsi Nusa "
        "Tenggara Barat. Halaman ini menunjukkan seberapa cepat setiap OPD menjawab dan menyelesaikan aduan itu: "
        "angka yang sama dengan yang dibaca staf ahli Gubernur.",
        "en": "NTB Care passes citizens' complaints to the units (OPD) of the Provincial Government of Nusa "
        "Tenggara Barat. This page shows how quickly each OPD answers and completes them: the same figures the "
        "Governor's staff advisers read.",
    },
    "pub.other_lang": {"id": "English", "en": "Bahasa Indonesia"},
    "pub.skip": {"id": "Langsung ke rapor", "en": "Skip to the report card"},
    "pub.month_heading": {"id": "Bulan lalu: {period}", "en": "Last month: {period}"},
    "pub.year_heading": {"id": "Tahun ini sampai hari ini: {period}", "en": "This year so far: {period}"},
    "pub.table_caption": {
        "id": "Aduan yang didisposisikan kepada setiap OPD pada {period}, dan bagaimana OPD menanganinya.",
        "en": "Complaints dispatched to each OPD from {period}, and how the OPD handled them.",
    },
    "pub.col_opd": {"id": "OPD", "en": "OPD"},
    "pub.col_dispatched": {"id": "Aduan didisposisikan", "en": "Complaints dispatched"},
    "pub.col_response": {"id": "Dijawab tepat waktu", "en": "Answered on time"},
    "pub.col_completion": {"id": "Selesai tepat waktu", "en": "Completed on time"},
    "pub.col_median": {
        "id": "Median hari kerja sampai jawaban pertama",
        "en": "Median working days to the first answer",
    },
    "pub.col_grade": {"id": "Nilai", "en": "Grade"},
    "pub.no_complaints": {
        "id": "Tanpa aduan yang didisposisikan dalam periode ini: {opds}.",
        "en": "No complaints dispatched in this period: {opds}.",
    },
    "pub.not_graded": {"id": "belum dinilai", "en": "not graded"},
    "pub.minimum_note": {
        "id": 'Persentase dan nilai hanya ditampilkan bila sekurang-kurangnya {n} aduan didisposisikan kepada OPD '
        'itu dalam periode tersebut; di bawah jumlah itu persentase tertulis "–" dan nilai "belum dinilai" '
        "(satu atau dua aduan belum cukup untuk menilai sebuah OPD).",
        "en": 'Shares and grades are shown only when at least {n} complaints were dispatched to the OPD in the '
        'period; below that the shares show "–" and the grade says "not graded" (one or two complaints are too few '
        "to judge an OPD).",
    },
    "pub.as_of": {
        "id": "Dihitung pada {time} WITA; angka diperbarui setiap {minutes} menit.",
        "en": "Computed at {time} WITA; the figures are refreshed every {minutes} minutes.",
    },
    "pub.stale": {
        "id": "Pembaruan angka sedang gagal; yang tampil adalah angka terakhir yang berhasil dihitung.",
        "en": "Refreshing the figures is failing at the moment; these are the last figures computed.",
    },
    "pub.unavailable": {
        "id": "Angka belum dapat dihitung karena basis data tidak dapat dihubungi. Silakan coba lagi beberapa "
        "menit lagi.",
        "en": "The figures cannot be computed because the database cannot be reached. Please try again in a few "
        "minutes.",
    },
    "pub.trend_heading": {"id": "Per bulan, 12 bulan terakhir", "en": "Month by month, the last 12 months"},
    "pub.trend_desc": {
        "id": "Garis aduan masuk dan aduan selesai per bulan, {first} sampai {last}. Angkanya ada di tabel di "
        "bawah.",
        "en": "Lines of complaints received and completed per month, {first} to {last}. The numbers are in the "
        "table below.",
    },
    "pub.col_month": {"id": "Bulan", "en": "Month"},
    "pub.col_received": {"id": "Aduan masuk", "en": "Complaints received"},
    "pub.col_completed": {"id": "Aduan selesai", "en": "Complaints completed"},
    "pub.col_completed_on_time": {"id": "Selesai tepat waktu", "en": "Completed on time"},
    "pub.trend_table": {"id": "Angka per bulan", "en": "The numbers by month"},
    "pub.map_heading": {"id": "Aduan per kabupaten/kota, {period}", "en": "Complaints by kabupaten/kota, {period}"},
    "pub.map_desc": {
        "id": "Peta 10 kabupaten/kota di NTB; makin gelap, makin banyak aduan per 100.000 penduduk. Angkanya ada "
        "di tabel di bawah.",
        "en": "Map of the 10 kabupaten/kota of NTB; the darker, the more complaints per 100,000 inhabitants. The "
        "numbers are in the table below.",
    },
    "pub.map_table": {"id": "Angka per kabupaten/kota", "en": "The numbers by kabupaten/kota"},
    "pub.col_region": {"id": "Kabupaten/kota", "en": "Kabupaten/kota"},
    "pub.col_count": {"id": "Aduan masuk", "en": "Complaints received"},
    "pub.col_rate": {"id": "Per 100.000 penduduk", "en": "Per 100,000 inhabitants"},
    "pub.map_source": {
        "id": "Batas wilayah: cahyadsn/wilayah_boundaries (MIT).",
        "en": "Boundaries: cahyadsn/wilayah_boundaries (MIT).",
    },
    "pub.defs_heading": {"id": "Arti angka-angka ini", "en": "What these figures mean"},
    "pub.def_workdays_t": {"id": "Hari kerja", "en": "Working days"},
    "pub.def_workdays": {
        "id": "Semua tenggat dihitung dalam hari kerja: Senin sampai Jumat, di luar hari libur nasional dan cuti "
        "bersama. Tenggat N hari kerja yang dimulai pada suatu hari jatuh pada hari kerja ke-N sesudahnya.",
        "en": "Every deadline counts working days: Monday to Friday, except national holidays and cuti bersama "
        "(collective leave days). A deadline of N working days that starts on a given day falls on the N-th "
        "working day after it.",
    },
    "pub.def_deadlines_t": {"id": "Tenggat", "en": "Deadlines"},
    "pub.def_on_time_t": {"id": "Tepat waktu", "en": "On time"},
    "pub.def_on_time": {
        "id": '"Dijawab tepat waktu": bagian aduan yang didisposisikan dalam periode itu yang mendapat jawaban '
        'pertama OPD paling lambat pada tenggatnya. "Selesai tepat waktu": bagian yang diselesaikan paling lambat '
        "pada tenggat penyelesaiannya. Median: separuh jawaban pertama datang secepat itu atau lebih cepat.",
        "en": '"Answered on time": the share of the complaints dispatched in the period that got the OPD\'s first '
        'answer by its deadline. "Completed on time": the share completed by the completion deadline. Median: '
        "half of the first answers came this fast or faster.",
    },
    "pub.def_pause_t": {"id": "Aduan ditunda", "en": "Postponed complaints"},
    "pub.def_pause": {
        "id": "Bila sebuah aduan ditunda (misalnya menunggu keterangan dari pelapor), jam tenggat berhenti: hari "
        "kerja selama penundaan tidak dihitung, dan tenggat bergeser sebanyak hari itu. Jam berjalan lagi ketika "
        "pekerjaan dilanjutkan.",
        "en": "When a complaint is postponed (for instance while waiting for the reporter's details), the deadline "
        "clock stops: the working days of the postponement do not count, and the deadline moves later by those "
        "days. The clock runs again when work resumes.",
    },
    "pub.def_grades_t": {"id": "Nilai", "en": "Grades"},
    "pub.def_grades_min": {
        "id": "Nilai tidak diberikan bila kurang dari {n} aduan didisposisikan dalam periode itu.",
        "en": "No grade is given when fewer than {n} complaints were dispatched in the period.",
    },
    "pub.links_heading": {"id": "Untuk pengembang dan jurnalis", "en": "For developers and journalists"},
    "pub.link_data": {
        "id": "Data terbuka: rapor setiap bulan dalam CSV dan JSON",
        "en": "Open data: each month's report card as CSV and JSON",
    },
    "pub.link_open311": {
        "id": "API Open311 GeoReport v2 (daftar layanan)",
        "en": "Open311 GeoReport v2 API (the list of services)",
    },
    "pub.privacy": {
        "id": "Halaman ini tidak memuat nama, kontak, atau isi aduan warga.",
        "en": "This page holds no citizen's name, contact or complaint text.",
    },
    # --- open data ---------------------------------------------------------------------------------------------
    "od.title": {"id": "Data terbuka NTB Care: rapor OPD", "en": "NTB Care open data: the OPD report card"},
    "od.intro": {
        "id": "Rapor OPD setiap bulan, dengan judul kolom dan angka yang sama persis dengan unduhan XLSX staf ahli "
        "untuk bulan itu. Angka \"kini\" (belum selesai, terlambat, hampir jatuh tempo) dihitung pada saat "
        "berkas dibuat.",
        "en": "The OPD report card of each month, with exactly the column headers and figures of the advisers' XLSX "
        'download for that month. The "now" figures (open, breached, at risk) are as of the time the file is made.',
    },
    "od.months": {"id": "Bulan", "en": "Months"},
    "od.dictionary": {"id": "Kamus data", "en": "Data dictionary"},
    "od.col_name": {"id": "Kolom", "en": "Column"},
    "od.col_meaning": {"id": "Arti", "en": "Meaning"},
    "od.licence_heading": {"id": "Lisensi", "en": "Licence"},
    "od.licence": {
        "id": "Data ini diterbitkan oleh Pemerintah Provinsi Nusa Tenggara Barat di bawah lisensi {licence}: "
        "boleh digunakan, dibagikan dan diolah, dengan menyebut sumbernya (NTB Care, Pemerintah Provinsi NTB).",
        "en": "This data is published by the Provincial Government of Nusa Tenggara Barat under the {licence} "
        "licence: you may use, share and adapt it, naming the source (NTB Care, Provincial Government of NTB).",
    },
    "od.back": {"id": "Kembali ke rapor publik", "en": "Back to the public report card"},
    "od.bad_month": {
        "id": "Bulan tidak dikenal: gunakan bentuk TTTT-BB untuk bulan yang sudah lengkap, misalnya {example}.",
        "en": "Unknown month: use the form YYYY-MM for a complete month, for instance {example}.",
    },
    "od.not_found": {"id": "Halaman tidak ditemukan.", "en": "Page not found."},
    "od.field.kode_opd": {"id": "kode OPD (kosong: aduan yang belum didisposisikan)", "en": "OPD code (empty: complaints not yet dispatched)"},
    "od.field.opd": {"id": "nama singkat OPD", "en": "short name of the OPD"},
    "od.field.dispatched": {"id": "aduan yang didisposisikan dalam bulan itu", "en": "complaints dispatched in the month"},
    "od.field.responded": {"id": "dari aduan itu, yang sudah dijawab OPD", "en": "of those, answered by the OPD"},
    "od.field.responded_on_time": {"id": "yang dijawab paling lambat pada tenggat", "en": "answered by the deadline"},
    "od.field.response_on_time_pct": {"id": "persen dijawab tepat waktu (dari yang didisposisikan), 1 desimal", "en": "percent answered on time (of those dispatched), 1 decimal"},
    "od.field.completed": {"id": "yang sudah selesai", "en": "completed"},
    "od.field.completed_on_time": {"id": "yang selesai paling lambat pada tenggat", "en": "completed by the deadline"},
    "od.field.completion_on_time_pct": {"id": "persen selesai tepat waktu (dari yang didisposisikan), 1 desimal", "en": "percent completed on time (of those dispatched), 1 decimal"},
    "od.field.median_response_wd": {"id": "median hari kerja sampai jawaban pertama", "en": "median working days to the first answer"},
    "od.field.open": {"id": "aduan OPD itu yang belum selesai, saat berkas dibuat", "en": "the OPD's open complaints when the file was made"},
    "od.field.breached": {"id": "dari yang belum selesai, yang melewati tenggat", "en": "of those open, past their deadline"},
    "od.field.at_risk": {"id": "dari yang belum selesai, yang hampir jatuh tempo", "en": "of those open, near their deadline"},
    "od.field.oldest_breached_wd": {"id": "umur (hari kerja) aduan terlambat tertua", "en": "age (working days) of the oldest breached complaint"},
    "od.field.grade": {"id": "nilai A, B, C atau D (kosong: tidak ada yang dinilai)", "en": "grade A, B, C or D (empty: nothing to grade)"},
    # --- Open311 -----------------------------------------------------------------------------------------------
    "o311.bad_request": {"id": "Permintaan tidak valid: {detail}", "en": "Invalid request: {detail}"},
    "o311.not_found": {"id": "Aduan {ticket} tidak ditemukan", "en": "Request {ticket} not found"},
    "o311.jurisdiction": {"id": "jurisdiction_id tidak dikenal: {value}", "en": "Unknown jurisdiction_id: {value}"},
    "o311.unavailable": {"id": "Basis data tidak dapat dihubungi", "en": "The database cannot be reached"},
    "o311.service_description": {"id": "Aduan bidang {name}", "en": "Complaints about {name}"},
}
