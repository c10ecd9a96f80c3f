"""Real logins for browser tests: a local OpenID Connect provider (oidc-provider-mock) and the app wired to it.

`LoginApp` starts the provider in a thread on a free port, writes a temporary secrets.toml with `[auth]`
(redirect_uri, cookie_secret, client_id, client_secret, server_metadata_url) and the role mapping
`[ntbcare_access]`, and starts the app with `--secrets.files` pointing at it (the repository's .streamlit/
is left alone). `login(page, ...)` goes through the app's "Masuk" button and the provider's form.

`python -m tests.oidc_support` runs the same for a person: the app on http://127.0.0.1:8501 with the demo
database (or DATABASE_URL), logging in through the local provider with the test accounts (one per role).
"""

from __future__ import annotations

import contextlib
import secrets
import tempfile
from pathlib import Path

from oidc_provider_mock import User, run_server_in_thread

from tests.browser_support import ARTIFACTS, StreamlitServer, free_port, wait_ready

# Identity-provider accounts used by the tests, with the claims the provider puts in the ID token.
ACCOUNTS = {
    "admin": {
        "sub": "admin@ntbprov.go.id",
        "email": "admin@ntbprov.go.id",
        "name": "Admin NTB Care",
        "email_verified": True,
    },
    "adviser": {
        "sub": "staf.ahli@ntbprov.go.id",
        "email": "staf.ahli@ntbprov.go.id",
        "name": "Staf Ahli Gubernur",
        "groups": ["pegawai", "ntbcare-staf-ahli"],
        "email_verified": True,
    },
    "leader": {
        "sub": "kepala.biro@ntbprov.go.id",
        "email": "kepala.biro@ntbprov.go.id",
        "name": "Kepala Biro",
        "email_verified": True,
    },
    "unmapped": {"sub": "warga@contoh.id", "email": "warga@contoh.id", "name": "Warga Biasa", "email_verified": True},
}
# The mapping exercises all three rules: an exact e-mail (admin), a group claim (adviser, whose domain alone
# would make them a leader: the claim wins over the domain rule), and the domain (leader).
ACCESS = {
    "users": {"admin@ntbprov.go.id": "admin"},
    "claim": "groups",
    "claim_roles": {"ntbcare-staf-ahli": "adviser"},
    "domains": {"ntbprov.go.id": "leader"},
}


def _toml_value(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_value(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def secrets_toml(app_url: str, idp_url: str, access: dict) -> str:
    auth = {
        "redirect_uri": f"{app_url}/oauth2callback",
        "cookie_secret": secrets.token_hex(32),
        "client_id": "ntbcare-monitor",
        "client_secret": secrets.token_hex(16),
        "server_metadata_url": f"{idp_url}/.well-known/openid-configuration",
    }
    lines = ["[auth]", *(f"{k} = {_toml_value(v)}" for k, v in auth.items()), "", "[ntbcare_access]"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in access.items()]
    return "\n".join(lines) + "\n"


class LoginApp(contextlib.ExitStack):
    """The app on a free port, logging in through a local OIDC provider; both stopped on exit."""

    def __init__(
        self,
        database_url: str,
        log_name: str = "login",
        access: dict | None = None,
        accounts: dict | None = None,
        log_path: Path | None = None,
        port: int | None = None,
        idp_port: int | None = None,
        extra_env: dict[str, str] | None = None,
    ):
        super().__init__()
        try:
            users = [
                User(sub=a["sub"], claims={k: v for k, v in a.items() if k != "sub"})
                for a in (accounts or ACCOUNTS).values()
            ]
            idp = self.enter_context(run_server_in_thread(port=idp_port or free_port(), user_claims=users))
            self.idp_url = f"http://localhost:{idp.server_port}"
            port = port or free_port()
            tmp = Path(self.enter_context(tempfile.TemporaryDirectory(prefix="ntbcare-secrets-")))
            secrets_file = tmp / "secrets.toml"
            secrets_file.write_text(secrets_toml(f"http://127.0.0.1:{port}", self.idp_url, access or ACCESS))
            self.server = self.enter_context(
                StreamlitServer(
                    database_url,
                    extra_env or {},
                    log_path or ARTIFACTS / f"{log_name}.log",
                    port=port,
                    args=["--secrets.files", str(secrets_file)],
                )
            )
        except BaseException:
            self.close()
            raise
        self.url = self.server.url


def login(page, app: LoginApp, account: str, timeout_ms: int = 30000) -> None:
    """Log in as ``ACCOUNTS[account]``: the "Masuk" button of a page that needs login, the provider's form,
    and back in the app (on the wall, logged in)."""
    page.goto(f"{app.url}/kepatuhan")  # a light page: "Silakan masuk" and the button, no data
    wait_ready(page, timeout_ms)
    page.locator("[data-testid='stMain']").get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{app.idp_url}/**", timeout=timeout_ms)
    page.get_by_role("button", name=ACCOUNTS[account]["sub"], exact=True).click()
    page.wait_for_url(f"{app.url}/**", timeout=timeout_ms)
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Keluar").wait_for(timeout=timeout_ms)


if __name__ == "__main__":  # python -m tests.oidc_support [APP_PORT]: try every role by hand
    import signal
    import sys

    from core.settings import database_url

    def _stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)  # stop the app too when this is terminated

    app_port = int(sys.argv[1]) if len(sys.argv) > 1 else 8501
    with LoginApp(database_url(), "demo-login", port=app_port) as demo:
        print(
            f"NTB Care Monitor: {demo.url}  (this address exactly: the login returns to it; "
            "log: test-artifacts/demo-login.log)"
        )
        print("Masuk, then choose an account on the provider's page:")
        for name, account in ACCOUNTS.items():
            print(f"  {account['sub']:28} -> {name}")
        print("Ctrl-C stops.", flush=True)
        try:
            demo.server.proc.wait()  # until the app ends (or Ctrl-C)
        except KeyboardInterrupt:
            pass
