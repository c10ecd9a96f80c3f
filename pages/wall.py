"""Page `monitor`: the 43-inch wall (layout: dashboard/wall/view.py)."""

from dashboard.wall import view

view.render()
