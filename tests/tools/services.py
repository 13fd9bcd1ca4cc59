"""Start a test service in a process of its own: a free port, wait until it answers, stop it.

The test helpers for localstripe, Redis, moto's S3 server and the PostgreSQL cluster all
do this; each says only how to start its service and how to tell that it answers.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable

START_SECONDS = 90.0  # a loaded machine starts a server slowly


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_answers(port: int) -> Callable[[], bool]:
    """Whether something accepts connections on 127.0.0.1:port (a check for ``wait``)."""

    def answers() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            return False
        return True

    return answers


def wait(
    answers: Callable[[], bool],
    process: subprocess.Popen[bytes] | None,
    what: str,
    seconds: float = START_SECONDS,
) -> None:
    """Until ``answers()``; RuntimeError, with the process stopped, when it ends first or
    time runs out."""
    deadline = time.monotonic() + seconds
    while not answers():
        if time.monotonic() > deadline or (process is not None and process.poll() is not None):
            if process is not None:
                stop(process)
            raise RuntimeError(f"{what} did not start")
        time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
