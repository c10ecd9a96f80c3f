"""Process figures from Linux /proc (no psutil): process trees, RSS/PSS, threads, file descriptors, CPU time."""

from __future__ import annotations

import os
from pathlib import Path


def proc_tree(pid: int) -> list[int]:
    """The process and its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            children = []
        todo.extend(int(c) for c in children)
    return out


def _status(pid: int) -> dict[str, str]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            out[key] = value.strip()
    except OSError:
        pass
    return out


def rss_mb(pid: int, tree: bool = True) -> float:
    """Resident memory (VmRSS) of the process, summed over its descendants when ``tree``."""
    total = 0
    for p in proc_tree(pid) if tree else [pid]:
        value = _status(p).get("VmRSS")
        total += int(value.split()[0]) if value else 0
    return total / 1024


def smaps_mb(pids: list[int], field: str) -> float:
    """A field of /proc/PID/smaps_rollup (``Pss``, ``Private_Dirty``...) summed over ``pids``, in MB."""
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total / 1024


def pss_mb(pids: list[int]) -> float:
    """Proportional set size summed over ``pids`` (shared pages counted once overall). Pages of the chromium
    binary are shared with every other chromium on the machine, so PSS falls when other browsers start."""
    return smaps_mb(pids, "Pss")


def private_dirty_mb(pids: list[int]) -> float:
    """Memory written by these processes alone (heaps, caches): unaffected by other programs; what a leak grows."""
    return smaps_mb(pids, "Private_Dirty")


def threads(pid: int) -> int:
    return sum(int(_status(p).get("Threads", "0") or 0) for p in proc_tree(pid))


def open_fds(pid: int) -> int:
    total = 0
    for p in proc_tree(pid):
        try:
            total += len(os.listdir(f"/proc/{p}/fd"))
        except OSError:
            pass
    return total


def cpu_seconds(pid: int, tree: bool = True) -> float:
    """User + system CPU seconds of the process (and its descendants when ``tree``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in proc_tree(pid) if tree else [pid]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError):
            pass
    return total


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def chromium_processes(root_pid: int | None = None) -> dict[str, list[int]]:
    """Chromium processes below ``root_pid`` (default: this process), grouped by --type (browser, renderer...)."""
    groups: dict[str, list[int]] = {}
    for p in proc_tree(root_pid or os.getpid()):
        line = " ".join(cmdline(p))  # chromium rewrites its argv into one string in its child processes
        if not line or "chrom" not in Path(line.split(" ", 1)[0]).name:
            continue
        kind = next((a.split("=", 1)[1] for a in line.split() if a.startswith("--type=")), "browser")
        groups.setdefault(kind, []).append(p)
    return groups


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def tcp_local_ports(pid: int) -> set[int]:
    """Local TCP ports of the sockets the process (and its descendants) hold open: to tell its database
    connections (pg_stat_activity.client_port) from those of other programs using the same application_name."""
    inodes = set()
    for p in proc_tree(pid):
        try:
            for fd in os.listdir(f"/proc/{p}/fd"):
                try:
                    target = os.readlink(f"/proc/{p}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            pass
    return {port for port, _, inode in tcp_sockets() if inode in inodes}


def tcp_sockets():
    """Every IPv4 and IPv6 TCP socket of the machine as (local port, state, inode) from /proc/net/tcp{,6}; the
    state is the kernel's hex code ("01" established, "0A" listening)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9:
                yield int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]


def wait_quiet(pid: int, window_s: float = 0.5, busy_below: float = 0.05, limit_s: float = 60.0) -> float:
    """Wait until the process (and its descendants) used less than ``busy_below`` CPU seconds in a window of
    ``window_s``, or ``limit_s`` passed; returns the seconds waited. A bench starts timing on a quiet server."""
    import time

    started = time.monotonic()
    last = cpu_seconds(pid)
    while time.monotonic() - started < limit_s:
        time.sleep(window_s)
        now = cpu_seconds(pid)
        if now - last < busy_below:
            break
        last = now
    return time.monotonic() - started
