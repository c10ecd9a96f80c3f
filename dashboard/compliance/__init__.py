"""The rapor OPD (`kepatuhan`): periods and export frames (logic), and the view."""
