"""Colours for the dark wall theme: the Okabe-Ito colour-blind-safe palette, plus state colours."""

from __future__ import annotations

OKABE_ITO = ["#56B4E9", "#E69F00", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
BACKGROUND = "#0B1220"
PANEL = "#152033"
TEXT = "#E8EDF5"
MUTED = "#9AA7BA"
GRID = "#2A3A55"

# SLA states: never colour alone; every use pairs the colour with an icon and a label.
STATE_COLOUR = {
    "breached": "#D55E00",
    "at_risk": "#E69F00",
    "on_track": "#56B4E9",
    "met": "#009E73",
    "late": "#CC79A7",
    "ditunda": "#999999",
}
# Icons are Material Symbols ligature names: the font ships inside Streamlit (no emoji font needed).
STATE_ICON = {
    "breached": "block",
    "at_risk": "warning",
    "on_track": "schedule",
    "met": "check_circle",
    "late": "hourglass_bottom",
    "ditunda": "pause_circle",
}
PRIORITY_ICON = {"mendesak": "campaign", "penting": "priority_high", "biasa": ""}
EVENT_ICON = {"didisposisikan": "send", "dialihkan": "sync_alt", "ditanggapi": "chat", "diselesaikan": "task_alt"}
RECEIVED_COLOUR = "#56B4E9"
COMPLETED_COLOUR = "#009E73"
