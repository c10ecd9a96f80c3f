#!/usr/bin/env python3
"""The two set-up commands of NTB Care Monitor, with nothing but Python 3.11 needed to start.

    python3 dev.py app    # the app on the embedded SQLite demo database, kept live by the simulator, and the
                          # alert worker (python -m alerts run: demo notices, to the outbox only), on
                          # http://127.0.0.1:8501 only; `--listen 0.0.0.0` (or an address) to serve others
    python3 dev.py test   # the system packages the tests need, the layer contract, ruff, mypy, then the whole
                          # test suite (extra arguments go to pytest)

Both create `.venv` and install the pinned requirements on first use (and again when they change).
`dev.py test` installs Debian's chromium, nginx and testssl.sh with apt-get when they are missing and it runs
as root; otherwise it stops at once with the command to run. NTBCARE_SYSTEM_ROOT (default /) is where it looks
for them (a test of a machine without them: point it at an empty directory).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
DEMO_DB = ROOT / "data" / "ntbcare_demo.sqlite"
# What the tests need from the system: program -> Debian package (tests/browser_support.py, tests/deploy_support.py,
# tests/test_deploy_tls.py use exactly these paths).
SYSTEM_NEEDS = {
    "/usr/bin/chromium": "chromium",
    "/usr/sbin/nginx": "nginx",
    "/usr/bin/testssl": "testssl.sh",
}


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def ensure_venv(requirements: str) -> None:
    """Create .venv and install ``requirements`` (with constraints.txt) unless already done."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs under any python3 and must say so
        sys.exit("NTB Care Monitor needs Python 3.11 or newer.")
    files = [ROOT / requirements, ROOT / "requirements.txt", ROOT / "constraints.txt"]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    marker = VENV / f".installed-{requirements}"
    if marker.exists() and marker.read_text() == digest and PY.exists():
        return
    if not PY.exists():
        say("creating .venv ...")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say(f"installing {requirements} (first run only) ...")
    subprocess.run(
        [
            str(PY),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            str(ROOT / requirements),
            "-c",
            str(ROOT / "constraints.txt"),
        ],
        check=True,
    )
    marker.write_text(digest)


def listen_args(args: list[str]) -> list[str]:
    """``--listen ADDRESS`` -> Streamlit's ``--server.address``; without either, 127.0.0.1 (this machine only:
    the demo makes every visitor an admin)."""
    args = list(args)
    if "--listen" in args:
        i = args.index("--listen")
        if i + 1 >= len(args):
            sys.exit("dev.py app --listen needs an address, e.g. --listen 0.0.0.0")
        address = args[i + 1]
        del args[i : i + 2]
        return ["--server.address", address, *args]
    if any(a == "--server.address" or a.startswith("--server.address=") for a in args):
        return args
    return ["--server.address", "127.0.0.1", *args]


def cmd_app(args: list[str]) -> int:
    ensure_venv("requirements.txt")
    args = listen_args(args)
    env = dict(os.environ)
    if not env.get("DATABASE_URL") and not DEMO_DB.exists():
        say("creating the demo database (NTB Care history since 16 Oct 2018) ...")
        subprocess.run([str(PY), "-m", "data_seed", "init"], cwd=ROOT, check=True)
    if not env.get("DATABASE_URL"):  # the sample database: let a newcomer see every page without a login
        env.setdefault("NTBCARE_DEMO_ROLE", "admin")
    sim = worker = None
    if env.get("NTBCARE_SIMULATOR", "1") != "0":
        sim = subprocess.Popen([str(PY), "-m", "data_seed", "live"], cwd=ROOT)
    if not env.get("DATABASE_URL") and env.get("NTBCARE_ALERTS_WORKER", "1") != "0":
        # the alert worker on the demo database: notices marked [DEMO], kept in the outbox (page notifikasi)
        # unless targets are configured (docs/alerts.md)
        say("alert worker: demo, notices to the outbox only (page notifikasi)")
        worker = subprocess.Popen([str(PY), "-m", "alerts", "run"], cwd=ROOT, env={**env, "NTBCARE_ALERTS_DEMO": "1"})
    try:
        return subprocess.call([str(PY), "-m", "dashboard.serve", *args], cwd=ROOT, env=env)
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in (sim, worker):
            if proc is not None:
                proc.terminate()
                proc.wait(10)


def missing_system_packages(root: str | None = None) -> list[str]:
    """The Debian packages of SYSTEM_NEEDS whose program is not installed under ``root`` (NTBCARE_SYSTEM_ROOT)."""
    root = os.environ.get("NTBCARE_SYSTEM_ROOT", "/") if root is None else root
    return [pkg for path, pkg in SYSTEM_NEEDS.items() if not os.access(Path(root) / path.lstrip("/"), os.X_OK)]


def ensure_system_packages() -> bool:
    """Install the missing ones with apt-get when root; else say the exact command and return False."""
    missing = missing_system_packages()
    if not missing:
        return True
    command = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y " + " ".join(missing)
    if os.geteuid() != 0:
        say(f"the tests need Debian's {', '.join(missing)}; install them first (as root):")
        print(f"    sudo sh -c '{command}'", flush=True)
        return False
    say(f"installing Debian's {', '.join(missing)} (apt-get) ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    ok = subprocess.call(["apt-get", "update", "-qq"], env=env) == 0 and (
        subprocess.call(["apt-get", "install", "-y", "-qq", *missing], env=env) == 0
    )
    still = missing_system_packages()
    if not ok or still:
        say(f"could not install {', '.join(still or missing)}; run: {command}")
        return False
    return True


# The checks before pytest, each a failure when it finds anything (configured in pyproject.toml, .importlinter).
CHECKS = (
    ("the layer contract (.importlinter)", ["lint-imports", "--no-cache"]),
    ("ruff check", ["ruff", "check", "."]),
    ("ruff format --check", ["ruff", "format", "--check", "."]),
    ("mypy", ["mypy"]),
)


def cmd_test(args: list[str]) -> int:
    if not ensure_system_packages():  # first: a machine that lacks them stops at once
        return 1
    ensure_venv("requirements-dev.txt")
    for name, command in CHECKS:
        say(f"{name} ...")
        if subprocess.call([str(VENV / "bin" / command[0]), *command[1:]], cwd=ROOT) != 0:
            say(f"{name} found problems (see above): that is a failure here.")
            return 1
    code = subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT)
    if code == 5:
        say("pytest collected no tests: that is a failure here.")
        return 1
    return code


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("app", "test"):
        print(__doc__)
        return 2
    return {"app": cmd_app, "test": cmd_test}[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
