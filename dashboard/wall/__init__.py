"""The wall (`monitor`): data for its panels, its HTML markup, the kiosk behaviour, and the view."""
