"""Page `notifikasi` (admins): the alert worker's rules, recipients, outbox and heartbeat (layout: dashboard/notifications/view.py)."""

from dashboard.notifications import view

view.render()
