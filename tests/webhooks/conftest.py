"""A real HTTP receiver on 127.0.0.1 for webhook deliveries, and settings that allow it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Received:
    headers: dict[str, str]
    raw: bytes

    @property
    def body(self) -> dict[str, Any]:
        return json.loads(self.raw)


@dataclass
class Receiver:
    """Answers each POST with ``status`` and keeps what it was sent."""

    url: str
    status: int = 200
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self) -> list[str]:
        return [item.headers["X-Needlepoint-Event"] for item in self.received]


def start_receiver() -> tuple[ThreadingHTTPServer, Receiver]:
    receiver = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            with receiver.lock:
                receiver.received.append(Received(dict(self.headers), raw))
            self.send_response(receiver.status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"thanks" if receiver.status < 300 else b"receiver broke")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_port}/hook"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, receiver


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    """Four receivers, each on its own port."""
    servers = [start_receiver() for _ in range(4)]
    yield [receiver for _, receiver in servers]
    for server, _ in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def receiver(receivers: list[Receiver]) -> Receiver:
    return receivers[0]


@pytest.fixture(autouse=True)
def _local_receivers_allowed(settings: Any) -> None:
    """Tests post to http://127.0.0.1; production allows neither http nor loopback."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE = True
