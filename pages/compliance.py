"""Page `kepatuhan`: the rapor OPD for the Governor's staff advisers (layout: dashboard/compliance/view.py)."""

from dashboard.compliance import view

view.render()
