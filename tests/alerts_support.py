"""Real receivers for the alert worker's tests: an SMTP server (aiosmtpd) and a JSON webhook (http.server),
each on a free port of 127.0.0.1, that keep what arrived so that tests read it back."""
from __future__ import annotations

import email
import email.policy
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.browser_support import free_port


class SmtpSink:
    """An SMTP server that stores every message: ``messages`` is a list of dicts (to, subject, text)."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[dict] = []
        self._lock = threading.Lock()
        self._controller = None

    def url(self, to: str, sender: str = "ntbcare@ntbprov.go.id") -> str:
        return f"mailto://127.0.0.1:{self.port}?from={sender}&to={to}"

    def start(self) -> "SmtpSink":
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                parts = {}
                for part in msg.walk():
                    if part.get_content_maintype() == "multipart":
                        continue
                    if part.get_filename():
                        parts.setdefault("attachments", []).append((part.get_filename(), part.get_content()))
                    elif part.get_content_type() == "text/plain":
                        parts["text"] = part.get_content()
                    elif part.get_content_type() == "text/html":
                        parts["html"] = part.get_content()
                with sink._lock:
                    sink.messages.append({"to": list(envelope.rcpt_tos), "subject": str(msg["subject"]),
                                          "text": parts.get("text", ""), "html": parts.get("html", ""),
                                          "attachments": parts.get("attachments", []), "at": time.time()})
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, n: int, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= n:
                    return list(self.messages)
            time.sleep(0.05)
        with self._lock:
            return list(self.messages)


class WebhookSink:
    """A JSON webhook receiver. ``mode``: "ok" (200), "error" (500) or "slow" (answers after ``slow_s``)."""

    def __init__(self):
        self.port = free_port()
        self.mode = "ok"
        self.slow_s = 3.0
        self.received: list[dict] = []  # accepted (200) payloads
        self.hits = 0  # every request, whatever the answer
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                with sink._lock:
                    sink.hits += 1
                    mode = sink.mode
                if mode == "slow":
                    time.sleep(sink.slow_s)
                if mode == "error":
                    self.send_response(500)
                    self.end_headers()
                    self.wfile.write(b"boom")
                    return
                try:
                    payload = json.loads(raw or b"{}")
                except ValueError:
                    payload = {"raw": raw.decode("utf-8", "replace")}
                if mode != "slow":
                    with sink._lock:
                        sink.received.append({**payload, "path": self.path})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "hook") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
