"""The public face of NTB Care Monitor: `/publik/` (the OPD rapor for citizens), its open data and Open311.

A process of its own (``python -m publik serve``, docs/public.md): a small Starlette app on ``core/`` and
``queries/`` only, no Streamlit, behind the same nginx. Every figure it shows is the advisers' figure: it calls
``queries.scorecard.opd_scorecard`` and ``core.rapor`` exactly as page `kepatuhan` does.
"""
