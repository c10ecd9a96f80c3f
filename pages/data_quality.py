"""Page `kualitas-data` (admins): counts of complaint data that looks wrong (layout: dashboard/quality/view.py)."""

from dashboard.quality import view

view.render()
