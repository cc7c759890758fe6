"""Check deploy/nginx/production.conf.template with a real nginx, on loopback only.

    python3 deploy/nginx/smoke_test.py --config-only   # render + `nginx -t`
    python3 deploy/nginx/smoke_test.py                 # render + `nginx -t` + run it and probe it

Renders the template with deploy/nginx/render.sh into a temporary directory
(loopback ports, a throw-away self-signed certificate from openssl, temporary
static/media roots), wraps it in a minimal nginx.conf, and validates it with
`nginx -t`. The full run then starts that nginx plus a tiny upstream standing in
for gunicorn, checks the security headers, request-id passthrough (one id in the
response), static and media caching, the HTTP->HTTPS redirect, TLS versions, the
10 r/s + burst 20 rate limit (429) and the smaller readiness limit, and stops
both. Every request goes to 127.0.0.1; the request loops are bounded. Exit
status 0 = all good. Used by deploy/check.sh.
"""

# This is a test harness that runs fixed commands (openssl, bash render.sh, nginx) found on
# PATH, and writes nginx temp paths under its own mkdtemp() directory.
# ruff: noqa: S603, S607, S108

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

# The TLS 1.1 probe below must be able to ask for TLS 1.1 to prove it is refused.
warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*TLSv1_1.*")

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeGunicorn(http.server.BaseHTTPRequestHandler):
    """Answers like the app would, including headers nginx must replace."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        body = json.dumps(
            {
                "path": self.path,
                "host": self.headers.get("Host"),
                "x_request_id": self.headers.get("X-Request-ID"),
                "x_forwarded_proto": self.headers.get("X-Forwarded-Proto"),
                "x_forwarded_for": self.headers.get("X-Forwarded-For"),
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        # Django's own copies; nginx must hide them and send its own once.
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.send_header("X-Content-Type-Options", "nosniff")
        # The app echoes the request id it received (settings/middleware.py).
        self.send_header("X-Request-ID", self.headers.get("X-Request-ID", ""))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Smoke:
    def __init__(self, workdir: Path) -> None:
        self.dir = workdir
        self.http_port = free_port()
        self.https_port = free_port()
        self.upstream_port = free_port()
        self.failures: list[str] = []

    # -- setup -----------------------------------------------------------------
    def render(self) -> Path:
        d = self.dir
        for sub in ("static", "media", "logs", "acme"):
            (d / sub).mkdir()
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost",
                "-keyout",
                str(d / "key.pem"),
                "-out",
                str(d / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )
        (d / "static" / "app.css").write_text("body { color: #333; }\n" * 200)
        (d / "media" / "card.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
        env = dict(
            os.environ,
            NGINX_HTTP_PORT=f"127.0.0.1:{self.http_port}",
            NGINX_HTTPS_PORT=f"127.0.0.1:{self.https_port}",
            NGINX_SERVER_NAME="localhost",
            NGINX_SSL_CERTIFICATE=str(d / "cert.pem"),
            NGINX_SSL_CERTIFICATE_KEY=str(d / "key.pem"),
            NGINX_UPSTREAM=f"127.0.0.1:{self.upstream_port}",
            NGINX_STATIC_ROOT=f"{d / 'static'}/",
            NGINX_MEDIA_ROOT=f"{d / 'media'}/",
            NGINX_LOG_DIR=str(d / "logs"),
        )
        subprocess.run(
            ["bash", str(HERE / "render.sh"), str(d / "tarot.conf")], check=True, env=env
        )
        wrapper = d / "nginx.conf"
        wrapper.write_text(
            f"""worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/logs/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {d}/tmp_body;
    proxy_temp_path {d}/tmp_proxy;
    fastcgi_temp_path {d}/tmp_fastcgi;
    uwsgi_temp_path {d}/tmp_uwsgi;
    scgi_temp_path {d}/tmp_scgi;
    include {d}/tarot.conf;
}}
"""
        )
        # nginx workers run as an unprivileged user: let them read the roots.
        for path in [d, *d.rglob("*")]:
            if path.name != "key.pem":
                path.chmod(0o755 if path.is_dir() else 0o644)
        return wrapper

    def config_test(self, wrapper: Path) -> bool:
        result = subprocess.run(
            ["nginx", "-t", "-q", "-p", str(self.dir), "-c", str(wrapper)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            return False
        return True

    # -- checks ----------------------------------------------------------------
    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            self.failures.append(message)

    def request(
        self, path: str, headers: dict[str, str] | None = None, https: bool = True
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        if https:
            context = ssl.create_default_context(cafile=str(self.dir / "cert.pem"))
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                "localhost", self.https_port, context=context, timeout=5
            )
        else:
            conn = http.client.HTTPConnection("localhost", self.http_port, timeout=5)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            conn.close()

    @staticmethod
    def values(headers: list[tuple[str, str]], name: str) -> list[str]:
        return [v for k, v in headers if k.lower() == name.lower()]

    def check_security_headers(self, where: str, headers: list[tuple[str, str]]) -> None:
        wanted = {
            "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
        }
        for name, value in wanted.items():
            got = self.values(headers, name)
            self.expect(got == [value], f"{where}: {name} should be exactly [{value!r}], got {got}")

    def run_checks(self) -> None:
        status, headers, body = self.request(
            "/readings/new/", {"X-Request-ID": "smoke-request-0001"}
        )
        self.expect(status == 200, f"proxied page: status {status}")
        self.check_security_headers("proxied page", headers)
        self.expect(
            bool(self.values(headers, "Permissions-Policy")), "proxied page: no Permissions-Policy"
        )
        upstream = json.loads(body or b"{}")
        self.expect(
            upstream.get("x_request_id") == "smoke-request-0001",
            f"X-Request-ID not passed to upstream: {upstream}",
        )
        self.expect(
            self.values(headers, "X-Request-ID") == ["smoke-request-0001"],
            f"X-Request-ID should be echoed exactly once: {self.values(headers, 'X-Request-ID')}",
        )
        self.expect(upstream.get("x_forwarded_proto") == "https", f"X-Forwarded-Proto: {upstream}")
        self.expect(upstream.get("x_forwarded_for") == "127.0.0.1", f"X-Forwarded-For: {upstream}")

        _, headers, body = self.request("/cards/", {"X-Request-ID": "bad id\twith spaces"})
        generated = json.loads(body or b"{}").get("x_request_id") or ""
        self.expect(
            len(generated) == 32 and generated.isalnum(),
            f"malformed X-Request-ID should be replaced by nginx's $request_id, got {generated!r}",
        )

        status, headers, _ = self.request("/static/app.css", {"Accept-Encoding": "gzip"})
        self.expect(status == 200, f"static: status {status}")
        self.expect(
            self.values(headers, "Cache-Control") == ["public, max-age=31536000, immutable"],
            f"static Cache-Control: {self.values(headers, 'Cache-Control')}",
        )
        self.expect(
            self.values(headers, "Content-Encoding") == ["gzip"], "static: not gzip-compressed"
        )
        self.check_security_headers("static", headers)

        status, headers, _ = self.request("/media/card.svg")
        self.expect(status == 200, f"media: status {status}")
        self.expect(
            self.values(headers, "X-Content-Type-Options") == ["nosniff"], "media: nosniff missing"
        )
        self.expect(
            any("sandbox" in v for v in self.values(headers, "Content-Security-Policy")),
            "media: sandbox CSP missing",
        )

        for private in ("/metrics", "/health/workers", "/health/dependencies"):
            status, _, _ = self.request(private)
            self.expect(status == 404, f"{private} must not be public: status {status}")

        status, headers, _ = self.request("/journal/", https=False)
        location = (self.values(headers, "Location") or [""])[0]
        self.expect(
            status == 301 and location.startswith("https://"), f"http redirect: {status} {location}"
        )

        for version, should_work in (
            (ssl.TLSVersion.TLSv1_1, False),
            (ssl.TLSVersion.TLSv1_2, True),
            (ssl.TLSVersion.TLSv1_3, True),
        ):
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            try:
                context.minimum_version = context.maximum_version = version
                with (
                    socket.create_connection(("127.0.0.1", self.https_port), timeout=5) as raw,
                    context.wrap_socket(raw, server_hostname="localhost"),
                ):
                    worked = True
            except (ssl.SSLError, OSError, ValueError):
                worked = False
            self.expect(
                worked == should_work, f"{version.name}: handshake {'ok' if worked else 'refused'}"
            )

        # 10 r/s with burst 20, nodelay: of 60 back-to-back requests on one
        # keep-alive connection (well under a second), about 21 pass at once and
        # the rest get 429. Bounded: 60 requests, then stop.
        # First let the requests above drain from the bucket (10 r/s: 2 s is plenty).
        time.sleep(2.5)
        context = ssl.create_default_context(cafile=str(self.dir / "cert.pem"))
        conn = http.client.HTTPSConnection("localhost", self.https_port, context=context, timeout=5)
        statuses = []
        started = time.monotonic()
        try:
            for i in range(60):
                conn.request("GET", f"/api/v1/cards/?n={i}")
                response = conn.getresponse()
                response.read()
                statuses.append(response.status)
        finally:
            conn.close()
        elapsed = time.monotonic() - started
        passed = statuses.count(200)
        # 20 burst + 1 + what 10 r/s refills while the loop runs (+2 for timing slack).
        most = 23 + int(elapsed * 10)
        self.expect(
            statuses[:20] == [200] * 20
            and statuses.count(429) == 60 - passed
            and 21 <= passed <= most,
            f"rate limit (burst 20, then 429): {passed} passed, {statuses.count(429)} got 429 "
            f"in {elapsed:.2f}s",
        )
        # Health checks are exempt from the limit.
        status, _, _ = self.request("/api/health")
        self.expect(status == 200, f"/api/health while rate limited: {status}")

        # Readiness has its own small allowance per client (2 r/s, burst 5, shared by
        # /api/ready and /ready), so a flood of it is cut off long before the general
        # limit; liveness stays unlimited. Bounded: 20 requests per path.
        for path in ("/api/ready", "/ready"):
            time.sleep(3)  # start from an empty bucket: a burst of 5 drains at 2 r/s in 2.5 s
            statuses = self.burst(path, 20)
            served = statuses.count(200)
            self.expect(
                statuses[:6] == [200] * 6 and served <= 8 and statuses.count(429) == 20 - served,
                f"{path} flood (burst 5, then 429): {statuses}",
            )
        statuses = self.burst("/api/health", 20)
        self.expect(statuses == [200] * 20, f"/api/health must never be limited: {statuses}")

    def burst(self, path: str, count: int) -> list[int]:
        """``count`` back-to-back GETs on one keep-alive connection; their statuses."""
        context = ssl.create_default_context(cafile=str(self.dir / "cert.pem"))
        conn = http.client.HTTPSConnection("localhost", self.https_port, context=context, timeout=5)
        statuses = []
        try:
            for _ in range(count):
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                statuses.append(response.status)
        finally:
            conn.close()
        return statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config-only", action="store_true", help="only render and run nginx -t")
    args = parser.parse_args()
    for tool in ("nginx", "openssl", "envsubst"):
        if shutil.which(tool) is None:
            print(f"smoke_test: {tool} not found", file=sys.stderr)
            return 2
    workdir = Path(tempfile.mkdtemp(prefix="tarot-nginx-"))
    smoke = Smoke(workdir)
    nginx: subprocess.Popen[bytes] | None = None
    upstream: http.server.ThreadingHTTPServer | None = None
    try:
        wrapper = smoke.render()
        if not smoke.config_test(wrapper):
            return 1
        if args.config_only:
            return 0
        upstream = http.server.ThreadingHTTPServer(("127.0.0.1", smoke.upstream_port), FakeGunicorn)
        threading.Thread(target=upstream.serve_forever, daemon=True).start()
        nginx = subprocess.Popen(
            ["nginx", "-p", str(workdir), "-c", str(wrapper), "-g", "daemon off;"]
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", smoke.https_port), timeout=1).close()
                break
            except OSError:
                if nginx.poll() is not None:
                    print("smoke_test: nginx exited at start", file=sys.stderr)
                    return 1
                time.sleep(0.1)
        smoke.run_checks()
    finally:
        if nginx is not None:
            nginx.terminate()
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
        if upstream is not None:
            upstream.shutdown()
        if smoke.failures:
            error_log = workdir / "logs" / "error.log"
            if error_log.exists():
                sys.stderr.write(error_log.read_text()[-2000:])
        shutil.rmtree(workdir, ignore_errors=True)
    for failure in smoke.failures:
        print(f"nginx smoke: {failure}", file=sys.stderr)
    return 1 if smoke.failures else 0


if __name__ == "__main__":
    sys.exit(main())
