"""A throw-away PostgreSQL server for tests that need to control the database itself.

Fault tests (database down under a running app, database back again) cannot use the shared local
server from ``tests/conftest.py``: stopping that would break every other test. ``PgInstance`` runs a
private server instead, in a fresh temporary directory, on a free TCP port of 127.0.0.1::

    with PgInstance() as pg:                    # initdb + start
        url = pg.create_database("ntbcare_x")   # "postgresql+psycopg2://postgres@127.0.0.1:<port>/ntbcare_x"
        ...
        pg.stop()                               # the app now sees a dead database
        pg.start()                              # same port, same data
    # closed: server stopped, directory deleted

or, in a test, the function-scoped ``pg_instance`` fixture below, which yields a started instance and
always closes it (tests/conftest.py provides it to every test module).

How it runs:

* Binaries come from the newest ``/usr/lib/postgresql/<version>/bin`` (Debian's layout), falling back
  to a ``pg_ctl`` on ``PATH``. ``RuntimeError`` with a one-line message if they are missing.
* ``initdb`` and ``postgres`` refuse to run as root, so as root every server-side command runs as the
  ``postgres`` OS user (``runuser -u postgres --``) and the temporary directory is handed to that user.
  As any other user they run as that user.
* The cluster is made on the first ``start()``: trust authentication, superuser ``postgres``, UTF8 with
  no locale. The server listens on 127.0.0.1 only, on the port chosen in ``__init__`` (kept for the
  instance's whole life, so URLs stay valid across restarts), its unix socket lives in the temporary
  directory, and ``fsync``/``full_page_writes`` are off for speed: committed data survives any stop,
  even ``stop("immediate")`` (a simulated crash), but not a crash of the machine itself.
  ``synchronous_commit`` stays on on purpose: with it off, an immediate stop loses the last commits,
  which would make fault tests lie. Its log is ``<directory>/postgres.log`` and is quoted in start errors.
* Every wait is bounded. ``close()`` escalates (fast stop, immediate stop, SIGKILL) so that no server
  outlives its instance; the same clean-up also runs if the instance is garbage-collected or the
  interpreter exits without ``close()``. (Nothing can help if the test process is SIGKILLed: the
  postmaster runs in its own session, so look for stray ``ntbcare-pg-*`` directories in that case.)
"""

from __future__ import annotations

import glob
import math
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import weakref
from pathlib import Path
from typing import Self
from urllib.parse import quote

import pytest

HOST = "127.0.0.1"
SUPERUSER = "postgres"
OS_USER = "postgres"  # the OS account that runs the server when we are root
REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres", "pg_isready")
STOP_MODES = ("smart", "fast", "immediate")
SERVER_SETTINGS = {
    "listen_addresses": f"'{HOST}'",
    "fsync": "off",
    "full_page_writes": "off",
    "max_connections": "50",
}


def find_bindir() -> Path:
    """The newest PostgreSQL server bin directory holding all REQUIRED_BINARIES."""

    def version_key(path: str):
        return [int(part) for part in re.findall(r"\d+", Path(path).parent.name)] or [0]

    candidates = [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version_key, reverse=True)]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        if all(os.access(bindir / name, os.X_OK) for name in REQUIRED_BINARIES):
            return bindir
    if candidates:
        missing = [name for name in REQUIRED_BINARIES if not os.access(candidates[0] / name, os.X_OK)]
        raise RuntimeError(f"PostgreSQL binaries missing: {', '.join(missing)} not found in {candidates[0]}")
    raise RuntimeError(
        "PostgreSQL binaries missing: no /usr/lib/postgresql/*/bin and no pg_ctl on PATH (apt-get install postgresql)"
    )


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def port_accepts(port: int, timeout: float = 1.0) -> bool:
    """True if something accepts TCP connections on 127.0.0.1:port."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def process_alive(pid: int) -> bool:
    """True if pid is a live process. A zombie counts as dead: the postmaster is re-parented to PID 1
    once pg_ctl exits, and some inits (this VM's among them) reap late."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, just not ours to signal
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (or it vanished just now): trust kill(pid, 0)
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


class _Server:
    """The plain data the clean-up needs, kept apart from PgInstance so weakref.finalize can hold it."""

    def __init__(self, bindir: Path, directory: Path, port: int):
        self.bindir = bindir
        self.directory = directory
        self.data_dir = directory / "data"
        self.log_path = directory / "postgres.log"
        self.port = port
        self.as_server_user = os.geteuid() == 0

    def run(self, *args: str, timeout: float, check: bool = True) -> subprocess.CompletedProcess:
        """Run a PostgreSQL binary (as the postgres OS user when we are root), bounded by timeout."""
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_server_user:
            cmd = ["runuser", "-u", OS_USER, "--", *cmd]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}  # no stray PGDATA/PGPORT
        # a session of its own: on a timeout the whole group goes (runuser *and* the pg_basebackup it started,
        # which would otherwise go on writing gigabytes into a directory close() has already removed)
        with subprocess.Popen(
            cmd,
            cwd=self.directory,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        ) as child:
            try:
                out, err = child.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.communicate()
                raise
        proc = subprocess.CompletedProcess(cmd, child.returncode, out, err)
        if check and proc.returncode != 0:
            raise RuntimeError(
                f"{args[0]} failed (exit {proc.returncode}): {(proc.stderr or proc.stdout).strip()}{self.log_tail()}"
            )
        return proc

    def postmaster_pid(self) -> int | None:
        """The postmaster's pid if one is alive for this data directory, else None."""
        try:
            pid = int((self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None
        return pid if process_alive(pid) else None

    def log_tail(self, lines: int = 15) -> str:
        try:
            tail = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return ""
        return "\n--- postgres.log (last lines) ---\n" + "\n".join(tail) if tail else ""

    def pg_ctl_stop(self, mode: str, timeout: float) -> bool:
        """pg_ctl stop -m mode; True if the postmaster is gone and the port closed within timeout."""
        deadline = time.monotonic() + timeout
        try:
            self.run(
                "pg_ctl",
                "stop",
                "-D",
                str(self.data_dir),
                "-m",
                mode,
                "-w",
                "-t",
                str(max(1, math.ceil(timeout))),
                timeout=timeout + 5,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pass
        return self.wait_down(deadline)

    def wait_down(self, deadline: float) -> bool:
        """Wait (until deadline) for: no live postmaster, no pid file, nothing on the port."""
        while True:
            down = (
                self.postmaster_pid() is None
                and not (self.data_dir / "postmaster.pid").exists()
                and not port_accepts(self.port, timeout=0.2)
            )
            if down or time.monotonic() >= deadline:
                return down
            time.sleep(0.05)

    def teardown(self) -> None:
        """Stop the server by any means (fast, immediate, SIGKILL) and delete the directory."""
        if (
            self.postmaster_pid() is not None
            and not self.pg_ctl_stop("fast", 10)
            and not self.pg_ctl_stop("immediate", 10)
        ):
            pid = self.postmaster_pid()
            if pid is not None:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                deadline = time.monotonic() + 5  # backends exit on their own once the postmaster is gone
                while self.postmaster_pid() is not None and time.monotonic() < deadline:
                    time.sleep(0.05)
        shutil.rmtree(self.directory, ignore_errors=True)


class PgInstance:
    """A private PostgreSQL server in a fresh temporary directory; see the module docstring.

    ``base_dir`` is where that directory is made (default: the system temp dir); the postgres OS user
    must be able to reach it, so pytest's ``tmp_path`` (mode 0700, owned by root) does not work.
    """

    def __init__(self, base_dir: Path | None = None):
        bindir = find_bindir()
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                raise RuntimeError("runuser missing: needed to run PostgreSQL as the postgres OS user (we are root)")
            try:
                owner = pwd.getpwnam(OS_USER)
            except KeyError:
                raise RuntimeError(f"OS user {OS_USER!r} missing: PostgreSQL refuses to run as root") from None
        self.port: int = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="ntbcare-pg-", dir=base_dir)).resolve()
        self._server = _Server(bindir, self.directory, self.port)
        self._finalizer = weakref.finalize(self, self._server.teardown)
        if os.geteuid() == 0:
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
        self.data_dir = self._server.data_dir
        self.log_path = self._server.log_path
        self.bindir = bindir

    # -- URLs ---------------------------------------------------------------------------------------
    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg2://{SUPERUSER}@{HOST}:{self.port}/{quote(database, safe='')}"

    # -- lifecycle ----------------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return not self._finalizer.alive

    def is_running(self) -> bool:
        """True if this instance's postmaster process is alive (it may still be starting up)."""
        return not self.closed and self._server.postmaster_pid() is not None

    def start(self, timeout: float = 30) -> None:
        """Start the server (initdb first if there is no cluster yet) and wait until pg_isready answers."""
        if self.closed:
            raise RuntimeError(f"PgInstance on port {self.port} is closed")
        deadline = time.monotonic() + timeout
        server = self._server
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb(timeout)
        if server.postmaster_pid() is None:
            remaining = max(1.0, deadline - time.monotonic())
            server.run(
                "pg_ctl",
                "start",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_path),
                "-w",
                "-t",
                str(math.ceil(remaining)),
                timeout=remaining + 5,
            )
        while True:
            ready = server.run(
                "pg_isready",
                "-q",
                "-h",
                HOST,
                "-p",
                str(self.port),
                "-d",
                "postgres",
                "-U",
                SUPERUSER,
                "-t",
                "1",
                timeout=5,
                check=False,
            )
            if ready.returncode == 0:
                return
            if server.postmaster_pid() is None:
                raise RuntimeError(f"PostgreSQL on port {self.port} exited while starting{server.log_tail()}")
            if time.monotonic() >= deadline:
                raise RuntimeError(f"PostgreSQL on port {self.port} not ready after {timeout:g}s{server.log_tail()}")
            time.sleep(0.1)

    def _initdb(self, timeout: float) -> None:
        self._server.run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
            "--no-instructions",
            timeout=timeout,
        )
        settings = {**SERVER_SETTINGS, "port": str(self.port), "unix_socket_directories": f"'{self.directory}'"}
        # Appending keeps the file's owner (the postgres user) even when we write it as root.
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# tests/pg_instance.py\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))

    def stop(self, mode: str = "fast", timeout: float = 30) -> None:
        """pg_ctl stop -m mode, then wait until the postmaster is gone and the port refuses connections.

        No-op if the server is not running. RuntimeError if it is still up after timeout seconds.
        """
        if mode not in STOP_MODES:
            raise ValueError(f"stop mode must be one of {STOP_MODES}, not {mode!r}")
        if not self.is_running():
            return
        if not self._server.pg_ctl_stop(mode, timeout):
            raise RuntimeError(
                f"PostgreSQL on port {self.port} still running {timeout:g}s after "
                f"pg_ctl stop -m {mode}{self._server.log_tail()}"
            )

    def close(self) -> None:
        """Stop the server if it runs (escalating up to SIGKILL) and delete the directory. Idempotent."""
        self._finalizer()

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "running" if self.is_running() else "stopped"
        return f"<PgInstance {HOST}:{self.port} {state} {self.directory}>"

    # -- conveniences -------------------------------------------------------------------------------
    def create_database(self, name: str) -> str:
        """CREATE DATABASE name (the server must be running); returns its URL."""
        import psycopg2
        from psycopg2 import sql

        conn = psycopg2.connect(host=HOST, port=self.port, user=SUPERUSER, dbname="postgres", connect_timeout=5)
        try:
            conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
            with conn.cursor() as cur:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        finally:
            conn.close()
        return self.url(name)


class PgStandby(PgInstance):
    """A hot standby of a running ``PgInstance``: the primary's data copied by ``pg_basebackup`` and kept up
    to date by streaming replication, in a directory and on a port of its own::

        with PgInstance() as primary, PgStandby(primary) as standby:
            primary.create_database("ntbcare_x")          # shows up on the standby too
            standby.wait_replayed()                        # everything committed on the primary is readable
            standby.url("ntbcare_x")                       # read-only: hot standby

    The copy is made on the first ``start()`` (instead of ``initdb``), exactly as docs/deployment.md tells an
    operator: ``pg_basebackup -h PRIMARY -p PORT -U postgres -D DIR -R -X stream -c fast`` (``-R`` writes
    ``standby.signal`` and ``primary_conninfo``), then the standby's own port and socket directory are set.
    A standby that is stopped and started again catches up from the primary by itself.
    """

    def __init__(self, primary: PgInstance, base_dir: Path | None = None, copy_timeout: float = 30):
        super().__init__(base_dir)
        self.primary = primary
        self.copy_timeout = copy_timeout  # the copy of a ten-million-complaint primary (14 GB) takes minutes

    def start(self, timeout: float = 30) -> None:
        super().start(max(timeout, self.copy_timeout))

    def _initdb(self, timeout: float) -> None:
        if not os.access(self.bindir / "pg_basebackup", os.X_OK):
            raise RuntimeError(f"PostgreSQL binaries missing: pg_basebackup not found in {self.bindir}")
        self._server.run(
            "pg_basebackup",
            "-h",
            HOST,
            "-p",
            str(self.primary.port),
            "-U",
            SUPERUSER,
            "-D",
            str(self.data_dir),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-sync",
            timeout=timeout,
        )
        settings = {"port": str(self.port), "unix_socket_directories": f"'{self.directory}'", "hot_standby": "on"}
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:  # later lines win
            conf.write("\n# tests/pg_instance.py: PgStandby\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))

    def create_database(self, name: str) -> str:
        raise RuntimeError("a hot standby is read-only: create the database on the primary")

    def wait_replayed(self, timeout: float = 30) -> float:
        """Wait until the standby has replayed everything committed on the primary so far; returns the seconds
        it took. RuntimeError after timeout."""
        import psycopg2

        def lsn(port: int, query: str):
            conn = psycopg2.connect(host=HOST, port=port, user=SUPERUSER, dbname="postgres", connect_timeout=5)
            try:
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute(query)
                    return cur.fetchone()[0]
            finally:
                conn.close()

        started = time.monotonic()
        target = lsn(self.primary.port, "SELECT pg_current_wal_lsn()")
        while True:
            behind = lsn(
                self.port,
                "SELECT pg_wal_lsn_diff(%s, coalesce(pg_last_wal_replay_lsn(), '0/0'))".replace("%s", f"'{target}'"),
            )
            if behind is not None and behind <= 0:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise RuntimeError(
                    f"standby on port {self.port} still {behind} bytes behind the primary after "
                    f"{timeout:g}s{self._server.log_tail()}"
                )
            time.sleep(0.05)


@pytest.fixture
def pg_instance():
    """A started, private PgInstance; closed (server stopped, directory deleted) after the test."""
    instance = PgInstance()
    try:
        instance.start()
        yield instance
    finally:
        instance.close()
