"""Every SQL query of the dashboard: functions that take a connection and parameters and return DataFrames.

Rules: bound parameters only, no Streamlit, same answers on PostgreSQL and SQLite.
"""
