"""An S3-compatible server for tests: moto in server mode, in a process of its own.

``start_s3_server()`` starts one on a free port and returns its endpoint URL and a way to
stop it; a test topology of several app nodes can share one. The ``s3_server`` fixture
starts one per test process. ``FaultyS3`` stands in front
of a server and, once ``failing`` is set, answers every request with an error itself.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from tests.tools.services import free_port, stop, wait

# Any keys will do: moto checks no signature. Region: the one moto's buckets default to.
ACCESS_KEY, SECRET_KEY, REGION = "needlepoint-test", "needlepoint-test-secret", "us-east-1"


@dataclass
class S3Server:
    endpoint_url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        stop(self.process)


def start_s3_server(host: str = "127.0.0.1") -> S3Server:
    """moto's server on a free port, answering; RuntimeError when it does not start."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers() -> bool:
        try:
            connection = http.client.HTTPConnection(host, port, timeout=2)
            connection.request("GET", "/")  # any answer will do
            connection.getresponse().read()
            connection.close()
        except OSError:
            return False
        return True

    wait(answers, process, "moto's S3 server")
    return S3Server(f"http://{host}:{port}", process)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One server for the test process (a pytest plugin: tests/conftest.py loads it)."""
    try:
        server = start_s3_server()
    except RuntimeError as error:  # never a skip: the bucket tests must run
        pytest.fail(str(error))
    yield server
    server.stop()


@dataclass
class FaultyS3:
    """A proxy to ``upstream`` that answers ``status`` itself while ``failing`` is set, or
    to every upload after the first ``fail_puts_after`` ones."""

    upstream: str
    status: int = 503
    failing: bool = False
    fail_puts_after: int | None = None
    puts: int = 0
    requests_refused: int = 0
    server: ThreadingHTTPServer = field(init=False)

    def __post_init__(self) -> None:
        proxy = self
        target = urlsplit(self.upstream)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                if self.command == "PUT":
                    proxy.puts += 1
                limit = proxy.fail_puts_after
                if proxy.failing or (limit is not None and proxy.puts > limit):
                    proxy.requests_refused += 1
                    self.send_response(proxy.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in {"content-length", "transfer-encoding", "connection"}:
                        self.send_header(key, value)
                length_header = answer.getheader("Content-Length")
                if self.command == "HEAD" and length_header is not None:
                    self.send_header("Content-Length", length_header)
                else:
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                upstream.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
