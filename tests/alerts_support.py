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

    def __init__(self, port: int | None = None, delay_s: float = 0.0):
        self.port = port or free_port()
        self.delay_s = delay_s  # a slow server: each message takes this long to accept
        self.messages: list[dict] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)  # notified on every message: tests wait on it
        self._controller = None

    def url(self, to: str, sender: str = "ntbcare@ntbprov.go.id") -> str:
        return f"mailto://127.0.0.1:{self.port}?from={sender}&to={to}"

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                if sink.delay_s:
                    import asyncio

                    await asyncio.sleep(sink.delay_s)
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
                    sink.messages.append(
                        {
                            "to": list(envelope.rcpt_tos),
                            "subject": str(msg["subject"]),
                            "text": parts.get("text", ""),
                            "html": parts.get("html", ""),
                            "attachments": parts.get("attachments", []),
                            "at": time.time(),
                        }
                    )
                    sink._arrived.notify_all()
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, n: int, timeout: float = 30) -> list[dict]:
        """The messages once ``n`` have arrived (or what arrived by ``timeout``): woken by each arrival."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.messages) >= n, timeout)
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


class WorkerProcess:
    """``python -m alerts run`` as a child process (its log in test-artifacts/), killed at the end."""

    def __init__(self, database_url: str, env: dict[str, str], name: str, fake_now: str | None = None):
        import os
        import subprocess
        import sys

        from tests.browser_support import ARTIFACTS, ROOT

        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"alerts-worker-{name}.log"
        self._log = self.log_path.open("w")
        args = [sys.executable, "-m", "alerts", "run", "--database-url", database_url, "--worker-id", name]
        if fake_now:
            args += ["--fake-now", fake_now]
        clean = {k: v for k, v in os.environ.items() if not k.startswith("NTBCARE_ALERTS_")}
        self.proc = subprocess.Popen(args, cwd=ROOT, env={**clean, **env}, stdout=self._log, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        import signal

        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except Exception:  # noqa: BLE001
                self.kill()
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text()


def wait_until(predicate, timeout: float = 60, interval: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; returns it (or the last value at the timeout)."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


class TcpProxy:
    """A TCP proxy on a free port of 127.0.0.1 to ``target_port``. ``partition()`` stops forwarding in both
    directions (what each side sends waits in the proxy, as in a network that drops packets and later
    delivers the retransmissions); ``heal()`` forwards again."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        import socket

        self.target = (target_host, target_port)
        self.port = free_port()
        self.flowing = threading.Event()
        self.flowing.set()
        self.closed = threading.Event()
        self._sockets: list = []
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket

        while not self.closed.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src, dst) -> None:
        import socket

        try:
            while True:
                data = src.recv(65536)
                self.flowing.wait()  # partitioned: hold it
                if not data:
                    dst.shutdown(socket.SHUT_WR)
                    return
                dst.sendall(data)
        except OSError:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def partition(self) -> None:
        self.flowing.clear()

    def heal(self) -> None:
        self.flowing.set()

    def close(self) -> None:
        self.closed.set()
        self.flowing.set()
        self._server.close()
        for s in self._sockets:
            try:
                s.close()
            except OSError:
                pass
