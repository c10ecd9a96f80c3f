"""Chromium's memory by allocator (memory-infra dumps over CDP), to find *where* a renderer's memory goes:
V8's heap, Blink's garbage-collected heap (blink_gc), PartitionAlloc (strings, layout, DOM buffers), malloc,
the compositor (cc), skia's caches, fonts, the web (resource) cache, discardable memory...

A dump is taken by tracing the `disabled-by-default-memory-infra` category for one instant; each process
reports a tree of allocators (``partition_alloc/partitions/buffer``...) with their sizes."""

from __future__ import annotations

import json
import time


def memory_dump(browser, page, detail: str = "detailed") -> dict[int, dict[str, int]]:
    """One memory-infra dump of every chromium process: ``{pid: {allocator path: bytes}}``. ``page`` only
    pumps Playwright's event loop while the trace is collected."""
    cdp = browser.new_browser_cdp_session()
    done: dict = {}
    cdp.on("Tracing.tracingComplete", lambda e: done.update(e))
    cdp.send(
        "Tracing.start",
        {
            "traceConfig": {
                "includedCategories": ["disabled-by-default-memory-infra"],
                "excludedCategories": ["*"],
                "memoryDumpConfig": {"triggers": []},
            },
            "transferMode": "ReturnAsStream",
        },
    )
    cdp.send("Tracing.requestMemoryDump", {"deterministic": True, "levelOfDetail": detail})
    cdp.send("Tracing.end")
    deadline = time.monotonic() + 60
    while not done and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    if not done:
        cdp.detach()
        raise TimeoutError("memory-infra trace did not complete")
    chunks = []
    while True:
        part = cdp.send("IO.read", {"handle": done["stream"], "size": 1 << 20})
        chunks.append(part["data"])
        if part.get("eof"):
            break
    cdp.send("IO.close", {"handle": done["stream"]})
    cdp.detach()
    trace = json.loads("".join(chunks))
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    out: dict[int, dict[str, int]] = {}
    for e in events:
        if e.get("ph") != "v":
            continue
        sizes = out.setdefault(e["pid"], {})
        for path, node in e.get("args", {}).get("dumps", {}).get("allocators", {}).items():
            size = node.get("attrs", {}).get("size")
            if size and size.get("units") == "bytes":
                sizes[path] = max(sizes.get(path, 0), int(size["value"], 16))
    return out


def main_renderer(dump: dict[int, dict[str, int]]) -> int | None:
    """The renderer of the page: the process with the biggest V8 + Blink heaps."""
    scored = [
        (sizes.get("v8", 0) + sizes.get("blink_gc", 0), pid) for pid, sizes in dump.items() if "blink_gc" in sizes
    ]
    return max(scored)[1] if scored else None


def level(sizes: dict[str, int], depth: int) -> dict[str, int]:
    """The allocators at most ``depth`` levels deep (``malloc`` is depth 1, ``malloc/partitions`` depth 2)."""
    return {k: v for k, v in sizes.items() if k.count("/") < depth}


def growth(first: dict[str, int], last: dict[str, int], top: int = 20) -> list[tuple[str, float, float]]:
    """The allocators that grew most from ``first`` to ``last``: (path, MB before, MB after)."""
    keys = set(first) | set(last)
    rows = [(k, first.get(k, 0) / 2**20, last.get(k, 0) / 2**20) for k in keys]
    rows.sort(key=lambda r: r[2] - r[1], reverse=True)
    return rows[:top]
