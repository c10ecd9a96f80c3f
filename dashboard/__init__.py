"""NTB Care Monitor: the dashboard's own package (config, database access, SLA calendar, theme, components)."""
