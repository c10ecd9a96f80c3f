"""The files of deploy/ run for real in tests (and in bench/deployment.py): nginx, the systemd units' commands.

The principle: what an operator installs is what the tests run. Nothing is rewritten by hand; each file is
read from deploy/ and only the machine-specific values (ports, certificate paths, install paths, the
environment file's location) are replaced, and every replacement must find exactly the text it expects, so a
changed or mistyped file fails a test instead of being silently "fixed" by the test.

- ``make_certificate(dir)``: a self-signed certificate for 127.0.0.1/localhost, made at test time.
- ``Nginx``: Debian's /usr/sbin/nginx, unprivileged paths (``-p DIR -c DIR/nginx.conf``: pid, logs and
  temporary files in DIR), with deploy/nginx/ntbcare-monitor.conf included in its ``http`` block exactly as
  Debian's nginx.conf includes sites-enabled/*. ``nginx -t`` runs first and its complaint is the error.
- ``unit_command(unit, ...)``: a systemd unit's ExecStart as an argv, with its ``%i``/``%h`` specifiers and
  ``$VAR``/``${VAR}`` expanded the way systemd does, and ``environment_file(path)`` its EnvironmentFile.
- ``UnitServer``: an app process started from deploy/systemd/ntbcare-monitor@.service's own ExecStart.
- ``client_connections(port)``: established TCP connections to a local server port (which app process holds
  which WebSockets: nginx opens one upstream connection per WebSocket).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.procinfo import tcp_sockets
from tests.browser_support import ARTIFACTS, ROOT, StreamlitServer

DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "ntbcare-monitor.conf"
SYSTEMD = DEPLOY / "systemd"
APP_UNIT = SYSTEMD / "ntbcare-monitor@.service"
ALERTS_UNIT = SYSTEMD / "ntbcare-alerts.service"
SUMMARIES_UNIT = SYSTEMD / "ntbcare-summaries.service"
KIOSK_UNIT = SYSTEMD / "ntbcare-kiosk.service"
MONITOR_ENV_EXAMPLE = DEPLOY / "monitor.env.example"
NGINX = os.environ.get("NTBCARE_NGINX", "/usr/sbin/nginx")
INSTALL_DIR = "/opt/ntbcare-monitor"  # where docs/deployment.md installs the app
INSTALL_PYTHON = f"{INSTALL_DIR}/.venv/bin/python"
ETC = "/etc/ntbcare-monitor"  # the operator's environment and secrets files
SITE_UPSTREAMS = ("127.0.0.1:8501", "127.0.0.1:8502")
SITE_CERT = "/etc/ssl/ntbcare/fullchain.pem"
SITE_KEY = "/etc/ssl/ntbcare/privkey.pem"
SITE_INCLUDE = "/etc/nginx/ntbcare-monitor.d/*.conf"  # the office-network allow list (and any local rule)
ALLOW_EXAMPLE = DEPLOY / "nginx" / "allow-office.conf.example"


class DeployFileError(AssertionError):
    """A file of deploy/ does not contain what the tests (and docs/deployment.md) expect."""


def substitute(text: str, replacements: list[tuple[str, str, int]], name: str) -> str:
    """Replace each ``old`` by ``new``; ``old`` must occur exactly ``count`` times in ``text``."""
    for old, new, count in replacements:
        found = text.count(old)
        if found != count:
            raise DeployFileError(f"{name}: expected {count} x {old!r}, found {found}")
        text = text.replace(old, new)
    return text


# --- TLS ------------------------------------------------------------------------------------------------------
def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate (EC P-256, 90 days: testssl.sh rates one that expires within 30 days HIGH) for
    127.0.0.1 and localhost; returns (cert, key) paths."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ntbcare-monitor test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fullchain.pem", directory / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


# --- nginx ----------------------------------------------------------------------------------------------------
def render_site(
    upstream_ports: list[int], https_port: int, http_port: int, cert: Path, key: Path, site: Path = SITE
) -> str:
    """deploy/nginx/ntbcare-monitor.conf for this machine: the app processes on ``upstream_ports`` (as many as
    given: the shipped file's two server lines are the pattern), listening on 127.0.0.1 ports of the test."""
    text = site.read_text()
    lines = [line for line in text.splitlines() if SITE_UPSTREAMS[1] in line]
    if len(lines) != 1:
        raise DeployFileError(f"{site.name}: expected one upstream server line with {SITE_UPSTREAMS[1]}")
    pattern = lines[0]
    servers = "\n".join(pattern.replace(SITE_UPSTREAMS[1], f"127.0.0.1:{p}") for p in upstream_ports[1:])
    return substitute(
        text,
        [
            (pattern, servers, 1),
            (SITE_UPSTREAMS[0], f"127.0.0.1:{upstream_ports[0]}", 1),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", 1),
            ("listen 80;", f"listen 127.0.0.1:{http_port};", 1),
            (SITE_CERT, str(cert), 1),
            (SITE_KEY, str(key), 1),
            (SITE_INCLUDE, "ntbcare-monitor.d/*.conf", 1),  # relative: under the test nginx's own directory
        ],
        site.name,
    )


class Nginx:
    """nginx on a rendered site file, everything it writes under ``directory``; ``stop()`` ends it."""

    LOG_FORMAT = (
        '$time_iso8601 $status "$request" upstream=$upstream_addr upstream_status=$upstream_status '
        "route=$ntbcare_route http=$server_protocol"
    )

    def __init__(self, directory: Path, site_text: str, https_port: int, http_port: int, allow: str | None = None):
        """``allow``: the text of an office-network allow list (ntbcare-monitor.d/allow-office.conf), if any."""
        self.directory = directory
        self.https_port, self.http_port = https_port, http_port
        self.url = f"https://127.0.0.1:{https_port}"
        for sub in ("tmp", "logs", "ntbcare-monitor.d"):
            (directory / sub).mkdir(parents=True, exist_ok=True)
        if allow is not None:
            (directory / "ntbcare-monitor.d" / "allow-office.conf").write_text(allow)
        (directory / "ntbcare-monitor.conf").write_text(site_text)
        self.conf = directory / "nginx.conf"
        self.access_log = directory / "logs" / "access.log"
        self.error_log = directory / "logs" / "error.log"
        mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
        temp = "\n".join(
            f"    {kind}_temp_path {directory}/tmp/{kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        self.conf.write_text(f"""# test wrapper: stands for Debian's /etc/nginx/nginx.conf
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {self.error_log} info;
events {{ worker_connections 1024; }}
http {{
    {mime}
    default_type application/octet-stream;
    log_format ntbcare '{self.LOG_FORMAT}';
    access_log {self.access_log} ntbcare;
{temp}
    include {directory}/ntbcare-monitor.conf;
}}
""")
        self.proc: subprocess.Popen | None = None

    def _cmd(self, *extra: str) -> list[str]:
        return [NGINX, "-p", str(self.directory), "-c", str(self.conf), "-e", str(self.error_log), *extra]

    def check(self) -> str:
        """``nginx -t``: raises DeployFileError with nginx's own words if the configuration is wrong."""
        res = subprocess.run(self._cmd("-t"), check=False, capture_output=True, text=True, timeout=30)
        if res.returncode != 0:
            raise DeployFileError(f"nginx -t failed:\n{res.stderr.strip()}")
        return res.stderr

    def start(self, timeout: float = 15) -> Nginx:
        if not os.access(NGINX, os.X_OK):
            raise RuntimeError(f"{NGINX} missing (apt-get install nginx; .ci/run installs it)")
        self.check()
        self._stderr = (self.directory / "logs" / "stderr.log").open("w")
        self.proc = subprocess.Popen(self._cmd(), stdout=self._stderr, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.error_log.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not listen")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # fast shutdown
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if self.proc:
            self._stderr.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --- systemd units --------------------------------------------------------------------------------------------
def unit_entries(path: Path) -> list[tuple[str, str, str]]:
    """(section, key, value) of a unit file, in order, with comments dropped and continuation lines joined."""
    entries, section, pending = [], "", ""
    for raw in path.read_text().splitlines():
        line = pending + raw.strip() if pending else raw.strip()
        pending = ""
        if not line or line[0] in "#;":
            continue
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            continue
        key, _, value = line.partition("=")
        entries.append((section, key.strip(), value.strip()))
    return entries


def unit_value(path: Path, key: str, section: str = "Service") -> str:
    values = [v for s, k, v in unit_entries(path) if s == section and k == key]
    if len(values) != 1:
        raise DeployFileError(f"{path.name}: expected one {section}.{key}, found {len(values)}")
    return values[0]


def environment_file(path: Path) -> dict[str, str]:
    """An EnvironmentFile: KEY=VALUE lines, # comments, optional quotes (what systemd reads)."""
    env = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key.strip()):
            raise DeployFileError(f"{path.name}: not KEY=VALUE: {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def unit_environment(path: Path, files: dict[str, Path] | None = None) -> dict[str, str]:
    """The unit's Environment= settings, then its EnvironmentFile= files (which win, as in systemd); ``files``
    maps the unit's file paths to the test's. A file prefixed with ``-`` may be missing."""
    env: dict[str, str] = {}
    for section, key, value in unit_entries(path):
        if section != "Service":
            continue
        if key == "Environment":
            for word in shlex.split(value):
                name, _, val = word.partition("=")
                env[name] = val
    for section, key, value in unit_entries(path):
        if section == "Service" and key == "EnvironmentFile":
            optional = value.startswith("-")
            real = (files or {}).get(value.lstrip("-"))
            if real is None or not real.exists():
                if optional:
                    continue
                raise DeployFileError(f"{path.name}: EnvironmentFile {value} has no stand-in in the test")
            env.update(environment_file(real))
    return env


def unit_command(
    path: Path,
    env: dict[str, str],
    instance: str = "",
    home: str = "/root",
    paths: dict[str, str] | None = None,
    key: str = "ExecStart",
) -> list[str]:
    """ExecStart (or ``key``) as argv: ``%i``/``%h``/``%%`` replaced, ``${VAR}`` one word, ``$VAR`` split at
    whitespace (zero words when empty), ``$$`` a literal ``$``, then whole words found in ``paths`` replaced
    (install paths -> this checkout)."""
    line = unit_value(path, key)
    line = line.replace("%%", "\0").replace("%i", instance).replace("%h", home).replace("\0", "%")
    argv: list[str] = []
    for word in shlex.split(line):
        if "$$" in word:  # systemd's escape: the $ reaches the program (here: the shell) as it is
            argv.append(word.replace("$$", "$"))
            continue
        whole = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
        if whole:
            argv += env.get(whole[1], "").split()
            continue
        word = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: env.get(m[1], ""), word)
        argv.append((paths or {}).get(word, word))
    return argv


def systemd_verify(unit_text: str, name: str, directory: Path, user: bool = False) -> subprocess.CompletedProcess:
    """``systemd-analyze verify`` of ``unit_text`` saved as ``directory/name`` (a user unit with ``--user``)."""
    exe = shutil.which("systemd-analyze")
    if exe is None:
        raise RuntimeError("systemd-analyze missing (apt-get install systemd)")
    unit = directory / name
    unit.write_text(unit_text)
    env = dict(os.environ)
    if user:  # a user manager needs a runtime directory, even offline; none exists in a container
        runtime = directory / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env["XDG_RUNTIME_DIR"] = str(runtime)
    return subprocess.run(
        [exe, "verify", "--man=no", *(["--user"] if user else []), str(unit)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


class UnitServer(StreamlitServer):
    """An app process started by deploy/systemd/ntbcare-monitor@.service's own ExecStart, instance = its port,
    with the unit's Environment and the test's stand-in for /etc/ntbcare-monitor/monitor.env."""

    def __init__(
        self, port: int, monitor_env: Path, secrets_file: Path, log_path: Path | None = None, unit: Path = APP_UNIT
    ):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, **unit_environment(unit, {f"{ETC}/monitor.env": monitor_env})}
        env.pop("NTBCARE_DEMO_ROLE", None)
        self.command = unit_command(
            unit,
            env,
            instance=str(port),
            paths={INSTALL_PYTHON: sys.executable, f"{ETC}/secrets.toml": str(secrets_file)},
        )
        workdir = unit_value(unit, "WorkingDirectory")
        if workdir != INSTALL_DIR:
            raise DeployFileError(f"{unit.name}: WorkingDirectory {workdir}, expected {INSTALL_DIR}")
        self.log_path = log_path or (ARTIFACTS / f"unit-{port}.log")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("a")  # a restarted process writes on after the first one
        self.proc = subprocess.Popen(
            self.command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_healthy()

    def kill(self) -> None:
        """SIGKILL: the server is lost, as in a crash (systemd's Restart=always then starts it again)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self._log.close()


def client_connections(port: int) -> int:
    """Established TCP connections whose local end is 127.0.0.1:``port`` (a server's accepted clients)."""
    return sum(1 for local, state, _ in tcp_sockets() if local == port and state == "01")


def write_monitor_env(path: Path, database_url: str, cookie_secret: str, extra: dict[str, str] | None = None) -> Path:
    """The test's /etc/ntbcare-monitor/monitor.env, made from deploy/monitor.env.example as the docs say: its
    two CHANGE-ME lines filled in, settings appended."""
    text = MONITOR_ENV_EXAMPLE.read_text()
    example = environment_file(MONITOR_ENV_EXAMPLE)
    text = substitute(
        text,
        [
            (f"DATABASE_URL={example['DATABASE_URL']}", f"DATABASE_URL={database_url}", 1),
            (
                f"STREAMLIT_SERVER_COOKIE_SECRET={example['STREAMLIT_SERVER_COOKIE_SECRET']}",
                f"STREAMLIT_SERVER_COOKIE_SECRET={cookie_secret}",
                1,
            ),
        ],
        MONITOR_ENV_EXAMPLE.name,
    )
    text += "".join(f"{k}={v}\n" for k, v in (extra or {}).items())
    path.write_text(text)
    path.chmod(0o640)
    return path
