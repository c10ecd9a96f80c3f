#!/usr/bin/env python3
"""The two set-up commands of NTB Care Monitor, with nothing but Python 3.11 needed to start.

    python3 dev.py app    # the app on the embedded SQLite demo database, kept live by the simulator, and the
                          # alert worker (python -m alerts run: demo notices, to the outbox only)
    python3 dev.py test   # the layer contract, then the whole test suite (extra arguments go to pytest)

Both create `.venv` and install the pinned requirements on first use (and again when they change).
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


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def ensure_venv(requirements: str) -> None:
    """Create .venv and install ``requirements`` (with constraints.txt) unless already done."""
    if sys.version_info < (3, 11):
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


def cmd_app(args: list[str]) -> int:
    ensure_venv("requirements.txt")
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


def cmd_test(args: list[str]) -> int:
    ensure_venv("requirements-dev.txt")
    say("checking the layer contract (.importlinter) ...")
    if subprocess.call([str(VENV / "bin" / "lint-imports"), "--no-cache"], cwd=ROOT) != 0:
        say("an import breaks the layers (see above): that is a failure here.")
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
