"""Throw-away servers for the fault tests: each test that must stop a service starts its own,
on a free loopback port, and stops it afterwards; the shared services are never touched."""

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

from tests.conftest import require_service


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowAwayRedis:
    """A redis-server of this test's own, which the test can stop and start again."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [
            shutil.which("redis-server") or "redis-server",
            *("--bind", "127.0.0.1", "--port", str(self.port)),
            *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
        ]
        self.process = subprocess.Popen(  # noqa: S603 (the Debian redis-server, fixed arguments)
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {self.port}")

    def pause(self) -> None:
        """SIGSTOP: the port still accepts connections and nothing answers, as on a network
        that drops packets or a Redis stuck on a slow disk."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def throwaway_redis(tmp_path):
    if not shutil.which("redis-server"):
        require_service("redis-server is not installed")
    server = ThrowAwayRedis(tmp_path)
    server.start()
    yield server
    server.stop()
