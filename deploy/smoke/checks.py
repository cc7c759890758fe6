"""The checks of `make smoke`, run by deploy/smoke/smoke.sh against the stack it started.

Every request goes to 127.0.0.1: through nginx over HTTPS (trusting only the run's throw-away
certificate), or straight to gunicorn for /metrics, which nginx does not expose. Prints
"ok <check>" or "FAIL <check>: <why>" per check and exits 1 if any failed.
Standard library plus psycopg (from the project's virtualenv) for reading the database.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import ssl
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

HANGUL = re.compile(r"[\uac00-\ud7a3]")
SPREAD = "three-card-past-present-future"
REQUEST_ID = f"smoke-{secrets.token_hex(8)}"


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def json(self) -> object:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Smoke:
    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.context = ssl.create_default_context(cafile=options.ca)
        self.context.check_hostname = False  # the certificate names localhost; we dial 127.0.0.1
        self.failures: list[str] = []
        self.access_token = ""
        self.user_email = f"smoke-{secrets.token_hex(4)}@example.com"
        self.reading_id: int | None = None
        self.work = Path(options.work)

    # -- plumbing ------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        body: object = None,
        headers: dict[str, str] | None = None,
        direct: bool = False,
        https: bool = True,
    ) -> Response:
        headers = dict(headers or {})
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        if direct:
            connection: http.client.HTTPConnection = http.client.HTTPConnection(
                "127.0.0.1", self.options.app_port, timeout=15
            )
        elif https:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.options.https_port, context=self.context, timeout=15
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.options.http_port, timeout=15)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            return Response(response.status, response.getheaders(), response.read())
        finally:
            connection.close()

    def check(self, name: str, function: Callable[[], str | None]) -> None:
        try:
            detail = function()
        except Exception as error:  # a crash in one check is that check's failure
            self.failures.append(name)
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
            return
        print(f"ok   {name}{f' ({detail})' if detail else ''}", flush=True)

    @staticmethod
    def expect(condition: bool, message: str) -> None:
        if not condition:
            raise AssertionError(message)

    def eventually(self, seconds: float, attempt: Callable[[], str | None]) -> str | None:
        """Retry ``attempt`` until it stops raising, for processes that are still starting."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                return attempt()
            except (AssertionError, OSError, http.client.HTTPException):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def count(self, query: str, *parameters: object) -> int:
        with psycopg.connect(self.options.database_url, connect_timeout=10) as connection:
            return connection.execute(query, parameters).fetchone()[0]

    def confirm_account(self, email: str) -> int:
        """Activate the account a sign-up left waiting for its email confirmation."""
        with psycopg.connect(self.options.database_url, connect_timeout=10) as connection:
            return connection.execute(
                "UPDATE accounts_user SET is_active = true WHERE email = %s AND NOT is_active",
                (email,),
            ).rowcount

    # -- checks --------------------------------------------------------------------------------
    def liveness(self) -> str:
        def attempt() -> str:
            response = self.request("GET", "/api/health")
            self.expect(response.status == 200, f"/api/health answered {response.status}")
            self.expect(response.json() == {"status": "healthy"}, f"body {response.text}")
            return "200 {status: healthy}"

        return self.eventually(30, attempt)

    def readiness(self) -> str:
        def attempt() -> str:
            response = self.request("GET", "/api/ready")
            self.expect(response.status == 200, f"/api/ready {response.status}: {response.text}")
            checks = response.json()["checks"]
            self.expect(
                set(checks) == {"database", "cache", "migrations", "broker"},
                f"checks {sorted(checks)}",
            )
            return ", ".join(f"{name} {check['status']}" for name, check in checks.items())

        return self.eventually(20, attempt)

    def security_headers(self) -> str:
        response = self.request("GET", "/", headers={"X-Request-ID": REQUEST_ID})
        self.expect(response.status == 200, f"/ answered {response.status}")
        wanted = {
            "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
        }
        for name, value in wanted.items():
            self.expect(response.all(name) == [value], f"{name}: {response.all(name)}")
        echoed = response.all("X-Request-ID")
        self.expect(echoed == [REQUEST_ID], f"X-Request-ID not echoed once, as sent: {echoed}")
        redirect = self.request("GET", "/journal/", https=False)
        location = redirect.header("Location") or ""
        self.expect(
            redirect.status == 301 and location.startswith("https://"),
            f"plain HTTP: {redirect.status} {location}",
        )
        return "HSTS, X-Frame-Options, nosniff, Referrer-Policy, one X-Request-ID, HTTP→HTTPS"

    def korean_page(self) -> str:
        response = self.request("GET", "/")
        self.expect(response.status == 200, f"/ answered {response.status}")
        self.expect('<html lang="ko"' in response.text, 'no <html lang="ko">')
        self.expect(len(HANGUL.findall(response.text)) > 20, "hardly any Hangul on the page")
        english = self.request("GET", "/en/")
        self.expect(english.status == 200, f"/en/ answered {english.status}")
        self.expect('<html lang="en"' in english.text, "/en/ is not in English")
        title = re.search(r"<title>(.*?)</title>", response.text, re.S)
        return f"title “{title.group(1).strip() if title else '?'}”, /en/ in English"

    def static_files(self) -> str:
        page = self.request("GET", "/").text
        match = re.search(r'href="(/static/[^"]+\.css)"', page)
        self.expect(match is not None, "no stylesheet link on the home page")
        path = match.group(1)
        response = self.request("GET", path, headers={"Accept-Encoding": "gzip"})
        self.expect(response.status == 200, f"{path} answered {response.status}")
        cache_control = response.header("Cache-Control") or ""
        self.expect("max-age=31536000" in cache_control, f"Cache-Control: {cache_control}")
        self.expect(
            (response.header("Content-Type") or "").startswith("text/css"),
            f"Content-Type: {response.header('Content-Type')}",
        )
        return f"{path}: {cache_control}"

    def api_reading(self) -> str:
        password = secrets.token_urlsafe(16)
        registered = self.request(
            "POST",
            "/api/v1/auth/register/",
            body={"email": self.user_email, "password": password, "language": "ko"},
        )
        self.expect(registered.status == 202, f"register: {registered.status} {registered.text}")
        # The confirmation link goes to the console mail backend, which the smoke cannot read
        # (the test suite follows it); the account is confirmed in the database instead.
        confirmed = self.confirm_account(self.user_email)
        self.expect(confirmed == 1, f"{confirmed} unconfirmed accounts for {self.user_email}")
        token = self.request(
            "POST", "/api/v1/auth/token/", body={"email": self.user_email, "password": password}
        )
        self.expect(token.status == 200, f"token: {token.status} {token.text}")
        self.access_token = token.json()["access"]
        auth = {"Authorization": f"Bearer {self.access_token}"}
        created = self.request(
            "POST",
            "/api/v1/readings/",
            body={"spread": SPREAD, "question": "스모크 테스트는 통과할까요?"},
            headers=auth,
        )
        self.expect(created.status == 201, f"create: {created.status} {created.text}")
        self.reading_id = created.json()["id"]
        listed = self.request("GET", "/api/v1/readings/", headers=auth)
        self.expect(listed.status == 200, f"list: {listed.status} {listed.text}")
        body = listed.json()
        results = body["results"] if isinstance(body, dict) else body
        ids = [reading["id"] for reading in results]
        self.expect(ids == [self.reading_id], f"listed {ids}, created {self.reading_id}")
        stored = self.count(
            "SELECT count(*) FROM readings_drawncard WHERE reading_id = %s", self.reading_id
        )
        self.expect(stored == 3, f"{stored} drawn cards stored")
        return f"registered, confirmed, token, reading {self.reading_id} created and listed"

    def metrics(self) -> str:
        hidden = self.request("GET", "/metrics")
        self.expect(hidden.status == 404, f"/metrics through nginx: {hidden.status}")
        refused = self.request("GET", "/metrics", direct=True)
        self.expect(refused.status == 403, f"/metrics without token: {refused.status}")
        token = os.environ["METRICS_TOKEN"]
        allowed = self.request(
            "GET", "/metrics", direct=True, headers={"Authorization": f"Bearer {token}"}
        )
        self.expect(allowed.status == 200, f"/metrics with token: {allowed.status}")
        for name in ("tarot_readings_created_total", "django_http_requests_total_by_method"):
            self.expect(name in allowed.text, f"{name} missing")
        return "404 through nginx, 403 without token, 200 with it"

    def workers(self) -> str:
        os.kill(int(self.options.worker_pid), 0)
        token = os.environ["HEALTH_WORKERS_TOKEN"]
        for report in ("/health/workers", "/health/dependencies"):
            hidden = self.request("GET", report)
            self.expect(hidden.status == 404, f"{report} through nginx: {hidden.status}")
        refused = self.request("GET", "/health/workers", direct=True)
        self.expect(refused.status == 403, f"without token: {refused.status}")

        def attempt() -> str:
            headers = {"Authorization": f"Bearer {token}"}
            workers = self.request("GET", "/health/workers", direct=True, headers=headers)
            self.expect(workers.status == 200, f"{workers.status}: {workers.text}")
            report = self.request("GET", "/health/dependencies", direct=True, headers=headers)
            self.expect(report.status == 200, f"dependencies {report.status}: {report.text}")
            return "404 through nginx; direct: worker answers on both queues, every dependency ok"

        return self.eventually(30, attempt)

    def daily_cards_by_worker(self) -> str:
        cards_of_the_user = (
            "SELECT count(*) FROM readings_dailycard JOIN accounts_user "
            "ON accounts_user.id = readings_dailycard.user_id WHERE accounts_user.email = %s"
        )
        before = self.count(cards_of_the_user, self.user_email)
        self.expect(before == 0, f"the user already has {before} daily cards")
        sent = subprocess.run(  # noqa: S603 (the project's own celery, fixed arguments)
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "settings",
                "call",
                "readings.tasks.daily_cards_generate_task",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.expect(sent.returncode == 0, f"celery call failed: {sent.stderr[-500:]}")
        task_id = sent.stdout.strip().splitlines()[-1]

        def attempt() -> str:
            count = self.count(cards_of_the_user, self.user_email)
            self.expect(count == 1, f"{count} daily cards for the user")
            worker_log = (self.work / "logs" / "worker.log").read_text()
            self.expect(task_id in worker_log, f"task {task_id} not in the worker log")
            return f"task {task_id}: the new user's daily card is in the database"

        return self.eventually(40, attempt)

    def worker_metrics(self) -> str:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.options.worker_metrics_port, timeout=15
        )
        try:
            token = os.environ["METRICS_TOKEN"]
            connection.request("GET", "/metrics", headers={"Authorization": f"Bearer {token}"})
            response = connection.getresponse()
            body = response.read().decode()
        finally:
            connection.close()
        self.expect(response.status == 200, f"worker /metrics answered {response.status}")
        match = re.search(r"^tarot_daily_cards_generated_total (\S+)$", body, re.M)
        self.expect(match is not None, "tarot_daily_cards_generated_total missing")
        self.expect(float(match.group(1)) >= 1, f"daily cards counted: {match.group(1)}")
        return f"tarot_daily_cards_generated_total {match.group(1)} (pool processes added up)"

    def beat_running(self) -> str:
        pid = int(self.options.beat_pid)
        os.kill(pid, 0)
        log = (self.work / "logs" / "beat.log").read_text()
        self.expect("beat: Starting" in log, "beat did not log its start")
        return f"pid {pid} alive, scheduler started"

    def flood(self, path: str, count: int) -> list[int]:
        """``count`` back-to-back GETs through nginx on one keep-alive connection."""
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.options.https_port, context=self.context, timeout=15
        )
        statuses = []
        try:
            for number in range(count):
                connection.request("GET", f"{path}?n={number}")
                response = connection.getresponse()
                response.read()
                statuses.append(response.status)
        finally:
            connection.close()
        return statuses

    def rate_limit(self) -> str:
        time.sleep(2.5)  # let the bucket refill from the checks above (10 r/s)
        statuses = self.flood("/robots.txt", 60)
        limited = sum(1 for status in statuses if status in (429, 503))
        self.expect(statuses[:20] == [200] * 20, f"the burst was not served: {statuses[:20]}")
        self.expect(limited >= 20, f"only {limited} of 60 requests were limited: {statuses}")
        health = self.request("GET", "/api/health")
        self.expect(health.status == 200, f"/api/health while limited: {health.status}")
        # Readiness queries the database, so it has a far smaller allowance of its own
        # (2 r/s, burst 5): most of a flood never reaches the app.
        readiness = self.flood("/api/ready", 20)
        self.expect(
            readiness.count(429) >= 8 and set(readiness) <= {200, 429},
            f"/api/ready flood not cut off by its own limit: {readiness}",
        )
        return (
            f"{statuses.count(200)} served, {limited} answered 429/503; health still 200; "
            f"/api/ready flood: {readiness.count(200)} served, {readiness.count(429)} got 429"
        )

    def json_logs(self) -> str:
        logs = {
            "gunicorn": self.work / "logs" / "gunicorn.log",
            "worker": self.work / "logs" / "worker.log",
            "beat": self.work / "logs" / "beat.log",
            "nginx access": self.work / "nginx" / "logs" / "tarot-access.log",
        }
        counts = []
        samples = []
        for name, path in logs.items():
            lines = [line for line in path.read_text().splitlines() if line.strip()]
            self.expect(lines, f"{name}: empty log")
            for number, line in enumerate(lines, start=1):
                try:
                    record = json.loads(line)
                except ValueError:
                    raise AssertionError(
                        f"{name} line {number} is not JSON: {line[:200]}"
                    ) from None
                self.expect(isinstance(record, dict), f"{name} line {number}: not an object")
                if record.get("logger", "").startswith(("django", "readings", "celery.app")):
                    samples.append(line)
            counts.append(f"{name} {len(lines)}")
        access = (self.work / "logs" / "gunicorn.log").read_text()
        self.expect(REQUEST_ID in access, "the request id is not in gunicorn's access log")
        app_line = next((line for line in samples if '"request_id": "' in line), None)
        self.expect(app_line is not None, "no application log line with a request id")
        print(f"     one application JSON log line: {app_line}", flush=True)
        task_line = next((line for line in samples if '"task_id"' in line), None)
        if task_line:
            print(f"     one worker JSON log line: {task_line}", flush=True)
        return "every line parses: " + ", ".join(counts)

    def run(self) -> int:
        self.check("liveness /api/health", self.liveness)
        self.check("readiness /api/ready", self.readiness)
        self.check("security headers and request id", self.security_headers)
        self.check("page renders in Korean", self.korean_page)
        self.check("static files with long cache", self.static_files)
        self.check("API reading created and listed", self.api_reading)
        self.check("metrics protected", self.metrics)
        self.check("worker health /health/workers", self.workers)
        self.check("worker ran daily_cards_generate", self.daily_cards_by_worker)
        self.check("worker metrics counted it", self.worker_metrics)
        self.check("beat running", self.beat_running)
        self.check("rate limit past the burst", self.rate_limit)
        self.check("JSON log lines parse", self.json_logs)
        if self.failures:
            print(f"{len(self.failures)} check(s) failed: {', '.join(self.failures)}", flush=True)
            return 1
        print("all smoke checks passed", flush=True)
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--https-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--app-port", type=int, required=True)
    parser.add_argument("--ca", required=True, help="the run's self-signed certificate")
    parser.add_argument("--work", required=True, help="the run's work directory (logs)")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--worker-pid", required=True)
    parser.add_argument("--worker-metrics-port", type=int, required=True)
    parser.add_argument("--beat-pid", required=True)
    return Smoke(parser.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
