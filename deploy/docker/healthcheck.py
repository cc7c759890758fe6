"""Container health check: is this gunicorn answering its liveness endpoint?

Run by the Dockerfile's HEALTHCHECK with the image's own Python, so the slim
image needs no curl. It checks liveness (/api/health), never readiness: a
database outage must not make Docker restart every web container.

Django validates the Host header and, in production, redirects plain HTTP to
HTTPS. The probe therefore sends a Host taken from DJANGO_ALLOWED_HOSTS
("localhost" when allowed, else the first entry) and X-Forwarded-Proto: https,
as the ingress or nginx would.
"""

import os
import sys
import urllib.error
import urllib.request


def probe_host() -> str:
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not hosts or "localhost" in hosts or "*" in hosts:
        return "localhost"
    return hosts[0].lstrip(".")


def main() -> int:
    port = os.environ.get("HEALTHCHECK_PORT", "8000")
    path = os.environ.get("HEALTHCHECK_PATH", "/api/health")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={
            "Host": probe_host(),
            "X-Forwarded-Proto": "https",
            "User-Agent": "docker-healthcheck",
        },
    )
    try:
        # A fixed http://127.0.0.1 URL built above, never user input.
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:
        print(f"healthcheck failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
