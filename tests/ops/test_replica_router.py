"""Runs the read-replica routing tests in a process whose settings have a mirror replica."""

import os
import urllib.parse

from tests.subprocesses import run_python


def test_routing_against_a_mirror_replica_passes():
    environment = {**os.environ, "TEST_DATABASE_REPLICA": "1"}
    if environment.get("DATABASE_URL"):
        # Its own test database: this suite's one is in use by this very process.
        url = urllib.parse.urlsplit(environment["DATABASE_URL"])
        environment["DATABASE_URL"] = url._replace(path=f"{url.path}_replica_routing").geturl()

    result = run_python(
        [
            "-m",
            "pytest",
            "tests/ops/replica_routing_checks.py",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rs",
        ],
        environment=environment,
        timeout=240,
    )

    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "8 passed" in result.stdout
    assert "skipped" not in result.stdout
