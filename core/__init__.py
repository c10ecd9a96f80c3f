"""What every layer and every process shares (dashboard, queries, data_seed, the alert worker, bench).

No Streamlit here: codes, settings, engine creation, the working-day calendar and reference SLA clock, text
safety and the locale. Layers (checked by import-linter, `.importlinter`): pages -> dashboard -> queries -> core.
"""
