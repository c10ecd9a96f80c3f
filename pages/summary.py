"""Page `ringkasan`: the leaders' summary (layout: dashboard/summary/view.py)."""

from dashboard.summary import view

view.render()
