"""The public app (publik/) served by uvicorn in a thread of the test process, on a free port: for the Open311
client and the browser tests, which need a real HTTP server. ``PublicServer(app).start()`` waits until it
answers; ``stop()`` ends it."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PublicServer:
    def __init__(self, app):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self, timeout: float = 15) -> PublicServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:  # uvicorn sets it once the socket listens
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the public app did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
