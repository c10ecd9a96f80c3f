"""The README's two commands (dev.py): the demo app stays on this machine unless asked, and `dev.py test` on a
machine without chromium, nginx or testssl.sh installs them as root or stops at once with the command."""

from __future__ import annotations

import importlib.util

import pytest

from tests.browser_support import ROOT


@pytest.fixture
def dev():
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_app_listens_on_this_machine_unless_asked(dev):
    assert dev.listen_args([]) == ["--server.address", "127.0.0.1"]
    assert dev.listen_args(["--listen", "0.0.0.0", "--server.port", "8600"]) == [
        "--server.address",
        "0.0.0.0",
        "--server.port",
        "8600",
    ]
    assert dev.listen_args(["--server.address=10.0.0.2"]) == ["--server.address=10.0.0.2"]


def test_a_machine_without_the_system_packages_stops_at_once_with_the_command(dev, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NTBCARE_SYSTEM_ROOT", str(tmp_path))  # an empty root: nothing installed
    assert dev.missing_system_packages() == ["chromium", "nginx", "testssl.sh"]
    monkeypatch.setattr(dev.os, "geteuid", lambda: 1000)
    ran = []
    monkeypatch.setattr(dev.subprocess, "call", lambda *a, **k: ran.append(a) or 0)
    assert dev.cmd_test([]) == 1 and ran == []  # nothing else ran: no venv, no checks, no pytest
    assert capsys.readouterr().out.splitlines()[-1] == (
        "    sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium nginx testssl.sh'"
    )


def test_as_root_the_missing_packages_are_installed_with_apt_get(dev, tmp_path, monkeypatch):
    monkeypatch.setenv("NTBCARE_SYSTEM_ROOT", str(tmp_path))
    (tmp_path / "usr" / "bin").mkdir(parents=True)
    chromium = tmp_path / "usr" / "bin" / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    monkeypatch.setattr(dev.os, "geteuid", lambda: 0)
    ran = []

    def apt(argv, env=None):
        ran.append(argv)
        if argv[:2] == ["apt-get", "install"]:  # what apt-get would leave behind
            for path in ("usr/sbin/nginx", "usr/bin/testssl"):
                (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / path).write_text("#!/bin/sh\n")
                (tmp_path / path).chmod(0o755)
        return 0

    monkeypatch.setattr(dev.subprocess, "call", apt)
    assert dev.ensure_system_packages()
    assert ran == [["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "nginx", "testssl.sh"]]
