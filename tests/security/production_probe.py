"""Run by tests/security/test_production_headers.py in a subprocess under
tests.security.production_probe_settings: real production middleware on a migrated SQLite file.

Prints one JSON object: per path, the status and the response headers; and the flags of the
cookies the site sets (CSRF on the login page, the session after signing in).
"""

import json
import sys

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402

PATHS = [
    "/",
    "/cards/",
    "/accounts/login/",
    "/api/v1/cards/",
    "/api/v1/docs/",
    "/admin/login/",
    "/health",
    "/no-such-page/",
]
PASSWORD = "a long and unusual passphrase"

call_command("migrate", verbosity=0)
call_command("seed_deck", verbosity=0)
User.objects.create_user("reader@example.com", PASSWORD)

# Behind the TLS proxy: SECURE_PROXY_SSL_HEADER marks these requests as HTTPS.
client = Client(
    HTTP_HOST="tarot.example",
    headers={"X-Forwarded-Proto": "https"},
    raise_request_exception=False,
)
results = {"responses": {}, "cookies": {}}
for path in PATHS:
    response = client.get(path)
    results["responses"][path] = {"status": response.status_code, "headers": dict(response.headers)}
results["plain_http_status"] = (
    Client(HTTP_HOST="tarot.example", raise_request_exception=False).get("/").status_code
)


def flags(morsel) -> dict:
    return {
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
    }


login_page = client.get("/accounts/login/")
results["cookies"]["csrftoken"] = flags(client.cookies["csrftoken"])
signed_in = client.post(
    "/accounts/login/",
    {"username": "reader@example.com", "password": PASSWORD},
    headers={"Referer": "https://tarot.example/accounts/login/"},
)
results["sign_in_status"] = signed_in.status_code
results["cookies"]["sessionid"] = flags(client.cookies["sessionid"])
sys.stdout.write(json.dumps(results) + "\n")
