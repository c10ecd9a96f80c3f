"""The leaders' summary (`ringkasan`): periods, deltas and shaping (logic), and the view."""
