"""NTB Care Monitor's Streamlit side: cached data access, components, charts, theme, access and serving, and one
subpackage per feature (wall, compliance, summary, explorer, quality), each with pure logic and one view."""
