"""Delivery through Apprise, shared by the worker and the page's "Kirim uji": one notice to one target as
plain text, never raising, its error scrubbed of secrets. Header fields (an e-mail's subject, a chat title)
carry one line only: a title with a line break is made one line here, whatever built it."""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alerts.messages import one_line, test_notice
from alerts.recipients import Target
from alerts.secrets import capture_apprise_logs, scrub
from core.locale import get_locale

_ERRLINE = re.compile(r"(WARNING|ERROR) - (.*)")


@dataclass(frozen=True)
class SendResult:
    ok: bool
    error: str | None = None


def send(
    target: Target, title: str, body: str, attachment: tuple[str, bytes] | None = None, timeout_s: float = 10.0
) -> SendResult:
    """Send one notice through Apprise as plain text; never raises. The error text is scrubbed of secrets."""
    import apprise

    capture_apprise_logs()
    try:
        plugin = apprise.Apprise.instantiate(target.url, suppress_exceptions=True)
        if not plugin:
            return SendResult(False, "URL Apprise tidak dikenali")
        for attr in ("socket_connect_timeout", "socket_read_timeout"):
            if hasattr(plugin, attr):
                setattr(plugin, attr, float(timeout_s))
        obj = apprise.Apprise()
        obj.add(plugin)
        with tempfile.TemporaryDirectory(prefix="ntbcare-alert-") as tmp:
            attach = None
            if attachment is not None:
                path = Path(tmp) / attachment[0]
                path.write_bytes(attachment[1])
                attach = apprise.AppriseAttachment(str(path))
            with apprise.LogCapture(level=logging.WARNING) as captured:
                ok = obj.notify(body=body, title=one_line(title), body_format=apprise.NotifyFormat.TEXT, attach=attach)
                logs = captured.getvalue()
        if ok:
            return SendResult(True)
        lines = [m.group(2).strip() for m in _ERRLINE.finditer(logs)]
        return SendResult(False, scrub("; ".join(lines[-3:]) or "pengiriman gagal", [target.url])[:500])
    except Exception as exc:  # noqa: BLE001 - one bad target never stops the worker
        return SendResult(False, scrub(f"{exc.__class__.__name__}: {exc}", [target.url])[:500])


def send_test(target: Target, now, timeout_s: float = 10.0) -> SendResult:
    """Send the test notice to ``target`` (page notifikasi's button, ``python -m alerts test``)."""
    title, body = test_notice(get_locale(target.lang), target.name, now)
    return send(target, title, body, None, timeout_s)
