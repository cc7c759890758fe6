"""The security headers and cookie flags production really sends, and `check --deploy`.

The probe (production_probe.py) runs in its own process under production's settings on a
throw-away SQLite file, so nothing of the test settings leaks into what is checked.
"""

import json

import pytest

from tests.subprocesses import PRODUCTION_ENVIRONMENT, closed_port, run_python

EXPECTED_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), microphone=(), payment=(), "
        "usb=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
}


def policy_of(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    database = tmp_path_factory.mktemp("production-probe") / "db.sqlite3"
    result = run_python(
        ["-m", "tests.security.production_probe"],
        settings_module="tests.security.production_probe_settings",
        environment={
            **PRODUCTION_ENVIRONMENT,
            "DATABASE_URL": f"sqlite:///{database}",
            # Nothing listens here: the cache answers misses, as in a Redis outage.
            "REDIS_URL": f"redis://127.0.0.1:{closed_port()}/0",
            "DJANGO_ALLOWED_HOSTS": "tarot.example",
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/cards/", 200),
        ("/accounts/login/", 200),
        ("/api/v1/cards/", 200),
        ("/api/v1/docs/", 403),
        ("/admin/login/", 200),
        ("/health", 200),
        ("/no-such-page/", 404),
    ],
)
def test_every_response_carries_the_security_headers(production, path, status):
    response = production["responses"][path]

    assert response["status"] == status
    headers = response["headers"]
    for name, value in EXPECTED_HEADERS.items():
        assert headers.get(name) == value, name
    policy = policy_of(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]


def test_session_and_csrf_cookies_are_secure_and_http_only(production):
    assert production["sign_in_status"] == 302
    for name in ("csrftoken", "sessionid"):
        assert production["cookies"][name] == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_plain_http_is_redirected_to_https(production):
    assert production["plain_http_status"] == 301


def test_check_deploy_reports_no_issue_under_production_settings():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        settings_module="settings.production",
        environment={**PRODUCTION_ENVIRONMENT, "CSRF_TRUSTED_ORIGINS": "https://tarot.example"},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
