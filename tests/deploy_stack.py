"""The whole deployment of docs/deployment.md on one machine, for tests and bench/deployment.py.

    PostgreSQL primary (the NTB Care application writes here; tests insert here)
      └─ streaming replication ─> hot standby (PgStandby: pg_basebackup -R)
                                    └─ read by the read-only role (deploy/readonly_role.sql)
    app processes: deploy/systemd/ntbcare-monitor@.service's ExecStart, one per port, DATABASE_URL = the standby
    nginx: deploy/nginx/ntbcare-monitor.conf, TLS with a certificate made here, in front of the app processes
    a local OpenID Connect provider (tests/oidc_support.py) for st.login, redirect_uri = the https:// address

``DeployStack`` builds it (``with DeployStack(...) as stack``); ``stack.kill(port)`` loses an app process
(SIGKILL) and ``stack.restart(port)`` starts it again on the same port, as systemd's Restart=always would.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import tempfile
import threading
from pathlib import Path

from core.engine import make_engine
from tests import dataset
from tests.browser_support import ARTIFACTS, free_port
from tests.deploy_support import Nginx, UnitServer, make_certificate, render_site, write_monitor_env
from tests.pg_instance import PgInstance, PgStandby
from tests.readonly import apply_script, role_url

DATABASE = "ntbcare_deploy"


@contextlib.contextmanager
def primary_and_standby(build=dataset.build, copy_timeout: float = 30):
    """(primary, standby, owner URL on the primary): ``build(engine)`` fills database DATABASE on the primary,
    deploy/readonly_role.sql makes the read-only role (readonly.ROLE), then the standby is copied from it and has
    replayed everything. The role and its password reach the standby by replication, like the data."""
    with PgInstance() as primary:
        owner_url = primary.create_database(DATABASE)
        engine = make_engine(owner_url, must_exist=False)
        build(engine)
        engine.dispose()
        res = apply_script(primary, DATABASE)
        assert res.returncode == 0, res.stderr
        with PgStandby(primary, copy_timeout=copy_timeout) as standby:
            standby.wait_replayed()
            yield primary, standby, owner_url


class DeployStack(contextlib.ExitStack):
    def __init__(
        self,
        processes: int = 2,
        env: dict[str, str] | None = None,
        with_login: bool = True,
        log_prefix: str = "deploy",
        build=dataset.build,
        database_url: str | None = None,
    ):
        """``processes`` app processes on the standby (or on ``database_url`` when given: no PostgreSQL of
        our own), behind nginx; ``build(engine)`` fills the primary (default: the hand-built dataset)."""
        super().__init__()
        self.log_prefix = log_prefix
        try:
            self.tmp = Path(tempfile.mkdtemp(prefix="ntbcare-deploy-"))
            self.callback(shutil.rmtree, self.tmp, True)
            if database_url is None:
                self.primary, self.standby, self.owner_url = self.enter_context(primary_and_standby(build))
                self.app_database_url = role_url(self.standby, DATABASE)
            else:
                self.primary = self.standby = None
                self.owner_url = self.app_database_url = database_url
            cert, key = make_certificate(self.tmp)
            self.https_port, self.http_port = free_port(), free_port()
            self.url = f"https://127.0.0.1:{self.https_port}"
            self.secrets_file = self.tmp / "secrets.toml"
            if with_login:
                from oidc_provider_mock import User, run_server_in_thread

                from tests.oidc_support import ACCESS, ACCOUNTS, secrets_toml

                users = [
                    User(sub=a["sub"], claims={k: v for k, v in a.items() if k != "sub"}) for a in ACCOUNTS.values()
                ]
                idp = self.enter_context(run_server_in_thread(port=free_port(), user_claims=users))
                self.idp_url = f"http://localhost:{idp.server_port}"
                # one secrets.toml for every process: the same [auth] cookie_secret signs and checks the login
                self.secrets_file.write_text(secrets_toml(self.url, self.idp_url, ACCESS))
            else:
                self.idp_url = None
                self.secrets_file.write_text("")
            self.env_file = write_monitor_env(
                self.tmp / "monitor.env", self.app_database_url, secrets.token_hex(32), env
            )
            self.ports = [free_port() for _ in range(processes)]
            self.apps: dict[int, UnitServer] = {}
            self._start_apps(self.ports)
            self.callback(self._stop_apps)
            self.nginx = self.enter_context(
                Nginx(
                    self.tmp / "nginx",
                    render_site(self.ports, self.https_port, self.http_port, cert, key),
                    self.https_port,
                    self.http_port,
                )
            )
        except BaseException:
            self.close()
            raise

    def _start_apps(self, ports: list[int]) -> None:
        errors: list[BaseException] = []

        def one(port: int) -> None:
            try:
                self.apps[port] = UnitServer(
                    port, self.env_file, self.secrets_file, ARTIFACTS / f"{self.log_prefix}-app-{port}.log"
                )
            except BaseException as exc:  # noqa: BLE001 - re-raised below
                errors.append(exc)

        threads = [threading.Thread(target=one, args=(p,)) for p in ports]  # start in parallel: half the wait
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]

    def _stop_apps(self) -> None:
        for app in list(self.apps.values()):
            app.stop()

    def kill(self, port: int) -> None:
        self.apps[port].kill()

    def restart(self, port: int) -> None:
        self.apps[port].stop()
        self._start_apps([port])

    def owner_engine(self):
        return make_engine(self.owner_url)
