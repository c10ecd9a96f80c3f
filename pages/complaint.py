"""Page `aduan`: the complaint explorer and one complaint by ticket (layout: dashboard/explorer/view.py)."""

from dashboard.explorer import view

view.render()
