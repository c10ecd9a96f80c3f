"""Bahasa Indonesia text material for synthetic complaints: titles, bodies, names, phone numbers."""

from __future__ import annotations

TITLES: dict[str, list[str]] = {
    "infrastruktur": [
        "Jalan provinsi rusak parah di {kec}",
        "Jembatan penghubung desa di {kec} nyaris putus",
        "Lubang besar di ruas jalan {kec} membahayakan pengendara",
        "Lampu jalan mati sepanjang jalan utama {kec}",
        "Drainase jalan tersumbat, air meluap ke badan jalan di {kec}",
        "Perbaikan jalan di {kec} mangkrak berbulan-bulan",
    ],
    "air_permukiman": [
        "Air bersih tidak mengalir seminggu di {kec}",
        "Bantuan rumah tidak layak huni belum diterima warga {kec}",
        "Sanitasi permukiman buruk di {kec}",
        "Pipa air minum bocor di {kec} belum diperbaiki",
    ],
    "lingkungan": [
        "Tumpukan sampah di pinggir jalan {kec} tidak diangkut",
        "Dugaan pembalakan liar di hutan sekitar {kec}",
        "Limbah pabrik mencemari sungai di {kec}",
        "Pembakaran sampah menimbulkan asap di {kec}",
        "Sampah menumpuk di pantai dekat {kec}",
    ],
    "transportasi": [
        "Kapal penyeberangan Kayangan-Pototano kelebihan muatan",
        "Kemacetan parah setiap sore di {kec}",
        "Parkir liar di depan pasar {kec}",
        "Terminal {kec} kotor dan tidak terawat",
        "Angkutan umum ke {kec} berhenti beroperasi",
    ],
    "pertambangan": [
        "Tambang ilegal merusak lahan warga di {kec}",
        "Galian C tanpa izin di sungai {kec}",
        "Lampu PJU tenaga surya di {kec} tidak menyala",
        "Aktivitas tambang emas liar di {kec} meresahkan",
    ],
    "bencana": [
        "Banjir merendam rumah warga di {kec}",
        "Longsor menutup akses jalan di {kec}",
        "Bantuan rehab rumah korban gempa di {kec} belum cair",
        "Kekeringan, warga {kec} butuh air bersih",
    ],
    "kesehatan": [
        "Pasien miskin di {kec} tidak punya BPJS dan ditolak",
        "Antrean panjang di rumah sakit provinsi",
        "Puskesmas {kec} kekurangan obat",
        "Warga {kec} minta penanganan stunting",
        "Pelayanan IGD lambat",
    ],
    "sosial": [
        "Bansos tidak tepat sasaran di {kec}",
        "Warga miskin di {kec} belum terdaftar DTKS",
        "Lansia terlantar di {kec} butuh bantuan",
        "Penyandang disabilitas di {kec} belum dapat bantuan",
        "Dugaan kekerasan terhadap anak di {kec}",
    ],
    "peternakan": [
        "Sapi warga {kec} terjangkit penyakit mulut dan kuku",
        "Izin pengiriman ternak dari {kec} dipersulit",
        "Vaksinasi ternak belum sampai ke {kec}",
    ],
    "koperasi_umkm": [
        "Pelaku UMKM di {kec} kesulitan akses KUR",
        "Rentenir berkedok koperasi di {kec}",
        "Bantuan modal UMKM {kec} belum cair",
    ],
    "pungli": [
        "Dugaan pungli pengurusan dokumen di {kec}",
        "Pungutan liar di objek wisata dekat {kec}",
        "Oknum minta uang pelicin di kantor layanan {kec}",
    ],
    "pelayanan_publik": [
        "Pelayanan Samsat {kec} lambat",
        "Honorer di {kec} belum menerima gaji",
        "Petugas layanan di {kec} tidak ramah",
        "Sistem antrean kantor pelayanan di {kec} tidak jelas",
    ],
    "ketertiban": [
        "PKL menutup trotoar di {kec}",
        "Tempat hiburan malam di {kec} buka melewati jam izin",
        "Peredaran miras di {kec} meresahkan warga",
    ],
    "investasi": [
        "Izin usaha di OSS tidak kunjung terbit",
        "Investor mengeluh perizinan di {kec} berbelit",
    ],
    "pariwisata": [
        "Objek wisata pantai dekat {kec} kotor",
        "Fasilitas toilet di destinasi wisata {kec} rusak",
        "Akses jalan ke kawasan Mandalika macet dan rusak",
    ],
    "pendidikan": [
        "Gedung SMA di {kec} rusak dan membahayakan siswa",
        "Proses SPMB/PPDB di {kec} tidak transparan",
        "Ijazah siswa SMK di {kec} ditahan sekolah",
        "Guru honorer SMA di {kec} belum dibayar",
    ],
    "pertanian": [
        "Pupuk bersubsidi langka di {kec}",
        "Harga gabah anjlok, petani {kec} merugi",
        "Serangan hama wereng di sawah {kec}",
        "Benih bantuan untuk petani {kec} tidak sesuai",
    ],
    "ketenagakerjaan": [
        "PMI asal {kec} hilang kontak di luar negeri",
        "Karyawan di {kec} belum terima THR",
        "PHK sepihak oleh perusahaan di {kec}",
    ],
}

BODY_OPENERS = [
    "Assalamualaikum, mohon izin melaporkan.",
    "Selamat pagi Bapak/Ibu admin NTB Care.",
    "Saya warga {kec} ingin menyampaikan keluhan.",
    "Mohon perhatian Pak Gubernur.",
    "Tabe, kami warga {kec} sudah lama menunggu.",
    "Izin melapor, kejadian ini sudah berlangsung lama.",
]
BODY_DETAILS = [
    "Kondisi ini sudah berlangsung lebih dari sebulan dan belum ada tindakan.",
    "Sudah kami sampaikan ke pihak desa tetapi belum ada tanggapan.",
    "Warga sangat dirugikan, terutama anak-anak dan lansia.",
    "Foto kejadian kami lampirkan bersama laporan ini.",
    "Lokasinya di dekat kantor desa, mudah ditemukan.",
    "Kami khawatir akan terjadi kecelakaan jika dibiarkan.",
    "Sudah beberapa kali diberitakan di media sosial.",
]
BODY_CLOSERS = [
    "Mohon segera ditindaklanjuti. Terima kasih.",
    "Kami berharap ada solusi secepatnya.",
    "Terima kasih atas perhatiannya.",
    "Mohon dicek ke lapangan.",
]

FIRST_NAMES = [
    "Lalu",
    "Baiq",
    "Muhammad",
    "Ahmad",
    "Siti",
    "Nurul",
    "Husnul",
    "Fitri",
    "Zainal",
    "Rizki",
    "Dewi",
    "Made",
    "Ketut",
    "Wayan",
    "Ayu",
    "Hasanuddin",
    "Syamsul",
    "Rahmat",
    "Aisyah",
    "Yuliana",
    "Andi",
]
LAST_NAMES = [
    "Hidayat",
    "Mahsun",
    "Rahman",
    "Saputra",
    "Wahyuni",
    "Hamdani",
    "Sudirman",
    "Kurniawan",
    "Fauzi",
    "Suryani",
    "Hakim",
    "Amrullah",
    "Maharani",
    "Setiawan",
    "Ramdhani",
    "Zulkifli",
]

OPD_RESPONSES = [
    "Laporan diterima, tim akan turun ke lokasi.",
    "Sudah dikoordinasikan dengan pemerintah kabupaten/kota.",
    "Masuk usulan perencanaan dan penganggaran tahun depan.",
    "Petugas sudah melakukan pengecekan lapangan.",
]
OPD_RESOLUTIONS = [
    "Perbaikan telah selesai dilaksanakan.",
    "Bantuan telah disalurkan kepada pelapor.",
    "Informasi telah disampaikan kepada pelapor.",
    "Penanganan selesai, mohon konfirmasi pelapor.",
]
