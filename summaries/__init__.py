"""The summary worker: keeps the expensive, not-live figures for every viewer (``python -m summaries``)."""
