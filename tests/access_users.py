"""Test viewers for AppTest (``at.user``) and the role mapping that gives them their roles."""

from __future__ import annotations

ACCESS_ENV = {
    "NTBCARE_ACCESS_USERS": "pimpinan@ntbprov.go.id=leader, staf.ahli@ntbprov.go.id=adviser, admin@ntbprov.go.id=admin"
}
USERS = {
    "anonymous": {"is_logged_in": False},
    "unmapped": {"is_logged_in": True, "email": "warga@contoh.id", "name": "Warga Biasa"},
    "leader": {"is_logged_in": True, "email": "pimpinan@ntbprov.go.id", "name": "Pimpinan"},
    "adviser": {"is_logged_in": True, "email": "staf.ahli@ntbprov.go.id", "name": "Staf Ahli"},
    "admin": {"is_logged_in": True, "email": "admin@ntbprov.go.id", "name": "Admin NTB Care"},
}


def set_access_env(monkeypatch) -> None:
    for key, value in ACCESS_ENV.items():
        monkeypatch.setenv(key, value)
