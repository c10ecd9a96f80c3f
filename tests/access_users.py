"""Test viewers for AppTest (``at.user``) and the role mapping that gives them their roles."""

from __future__ import annotations

ACCESS_ENV = {
    "NTBCARE_ACCESS_USERS": "pimpinan@ntbprov.go.id=leader, staf.ahli@ntbprov.go.id=adviser, admin@ntbprov.go.id=admin"
}
# The identity provider vouches for each address (`email_verified`): without it no e-mail rule applies.
USERS = {
    "anonymous": {"is_logged_in": False},
    "unmapped": {"is_logged_in": True, "email": "warga@contoh.id", "name": "Warga Biasa", "email_verified": True},
    "leader": {"is_logged_in": True, "email": "pimpinan@ntbprov.go.id", "name": "Pimpinan", "email_verified": True},
    "adviser": {"is_logged_in": True, "email": "staf.ahli@ntbprov.go.id", "name": "Staf Ahli", "email_verified": True},
    "admin": {"is_logged_in": True, "email": "admin@ntbprov.go.id", "name": "Admin NTB Care", "email_verified": True},
}


def set_access_env(monkeypatch) -> None:
    for key, value in ACCESS_ENV.items():
        monkeypatch.setenv(key, value)
