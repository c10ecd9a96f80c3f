"""The complaint explorer (`aduan`): its URL model (url), the filtered list (listing), one complaint (detail)."""
