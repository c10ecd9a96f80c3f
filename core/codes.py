"""The domain's codes, defined once: statuses, event kinds, classifications, priorities, SLA states, the WITA zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")  # UTC+8 all year (no daylight saving time)
WITA_OFFSET_HOURS = 8

CLASSIFICATIONS = ("aspirasi", "pengaduan", "pengaduan_pengawasan", "informasi")
PRIORITIES = ("mendesak", "penting", "biasa")
STATUSES = ("diterima", "ditunda", "diarsipkan", "terdisposisi", "diproses", "selesai")
ACTIVE_STATUSES = ("diterima", "terdisposisi", "diproses")  # the SLA clock runs
OPEN_STATUSES = ACTIVE_STATUSES + ("ditunda",)  # not closed: still someone's work
EVENT_KINDS = (
    "diterima",
    "diverifikasi",
    "didisposisikan",
    "dialihkan",
    "ditanggapi",
    "diselesaikan",
    "ditunda",
    "diarsipkan",
    "dibuka_kembali",
    "catatan",
)

STATE_ON_TRACK, STATE_AT_RISK, STATE_BREACHED = "on_track", "at_risk", "breached"
STATE_MET, STATE_LATE = "met", "late"

# The SLA clock's pauses: a ``ditunda`` event starts one, the next event of a resuming kind ends it.
PAUSE_KIND = "ditunda"
RESUME_KINDS = ("dibuka_kembali", "diverifikasi", "didisposisikan", "dialihkan", "ditanggapi", "diselesaikan")

# Fair shares (docs/database.md, "Fair rules"): a stage's outcome is known ("decided") once it is done, on time
# or late, or open past its deadline; until then it is waiting ("menunggu") and counts in no share.
DECIDED_STATES = (STATE_MET, STATE_LATE, STATE_BREACHED)
WAITING_STATES = (STATE_ON_TRACK, STATE_AT_RISK, "ditunda")
