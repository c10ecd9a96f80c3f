"""The alert worker: `python -m alerts run` watches the complaint database and sends notices (docs/alerts.md).

Uses core/ and queries/ only (no Streamlit, nothing from dashboard/).
"""
