"""Page `layar` (admins): the walls this server serves, and their remote reload (layout: dashboard/screens/view.py)."""

from dashboard.screens import view

view.render()
