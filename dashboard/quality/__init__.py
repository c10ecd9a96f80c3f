"""Data quality (`kualitas-data`, admins): the view over queries.quality."""
