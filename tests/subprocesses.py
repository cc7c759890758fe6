"""Our own interpreter in a subprocess with a clean environment, and ports nobody listens on."""

import os
import socket
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
STRONG_SECRET = "k3Jx9-pQ2mZ7vR4tY8wA1sD6fG0hL5nB3cV7xZ9qW2eR4tY6uI8oP"
PRODUCTION_ENVIRONMENT = {
    "DJANGO_SECRET_KEY": STRONG_SECRET,
    "DATABASE_URL": "postgres://tarot@127.0.0.1:5432/tarot",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_ALLOWED_HOSTS": "tarot.example",
}


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_python(
    arguments: list[str],
    *,
    settings_module: str = "settings.test",
    environment: dict[str, str] | None = None,
    timeout: int = 120,
) -> subprocess.CompletedProcess:
    """Our interpreter in the project with only PATH, the settings module and ``environment``."""
    clean = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": settings_module,
        **(environment or {}),
    }
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, *arguments],
        cwd=PROJECT_ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
