"""A slow SMTP server for the worker's tests: it keeps what it receives and answers late.

Each message counts as received the moment its data ends (as a real server has queued
it by then), and the final ``250`` comes ``delay`` seconds later: a sender killed in
that gap does not know the message arrived, the window where duplicates are born.
"""

from __future__ import annotations

import contextlib
import email
import socketserver
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Received:
    message_id: str
    key: str
    to: str


class SlowSmtpSink:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.received: list[Received] = []
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                with contextlib.suppress(OSError):  # the sender went away (killed, say)
                    sink._converse(self)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> SlowSmtpSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def messages(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def _converse(self, handler: socketserver.StreamRequestHandler) -> None:
        def reply(line: str) -> None:
            handler.wfile.write(line.encode() + b"\r\n")

        reply("220 sink ESMTP")
        while True:
            line = handler.rfile.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                reply("250-sink\r\n250 8BITMIME")  # one write: no wait for a delayed ACK
            elif verb == b"DATA":
                reply("354 go ahead")
                lines = []
                while (chunk := handler.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                if not chunk:
                    return
                parsed = email.message_from_bytes(b"".join(lines))
                got = Received(
                    str(parsed["Message-ID"]), str(parsed["X-Idempotency-Key"]), str(parsed["To"])
                )
                with self._lock:
                    self.received.append(got)
                time.sleep(self.delay)  # queued; the sender hears so only now
                reply("250 queued")
            elif verb == b"QUIT":
                reply("221 bye")
                return
            elif verb in {b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"}:
                reply("250 ok")
            else:
                reply("502 not implemented")
