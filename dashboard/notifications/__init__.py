"""Page `notifikasi` (admins): the alert worker's rules, recipients, outbox and heartbeat."""
