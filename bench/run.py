"""HTTP benchmark: the project against Django's and DRF's own ceiling, on this machine, now.

    .venv/bin/python bench/run.py [--duration 5] [--connections 32] [--rounds 2] [--only NAME]
    .venv/bin/python bench/run.py lighthouse    (what bench/lighthouse.sh runs)

On loopback only. Starts the project under gunicorn with the real ``deploy/gunicorn.conf.py``
and ``settings.staging`` (DEBUG off, JSON logs, HTTPS-only behind a proxy: wrk sends the proxy's
``X-Forwarded-Proto: https`` and ``Host: localhost``) on the machine's PostgreSQL (its own
database, created, migrated and seeded here) and Redis (its own database number, flushed before
and after), and the reference project in ``bench/reference/`` (a DRF ``APIView`` and a plain
``JsonResponse`` view) under the same gunicorn worker settings. Then, per endpoint and round,
one wrk run against the project and one against its reference, alternating; the ratio compares
the two runs of the same round. Also prints each endpoint's SQL queries (first and second
request) and response size (raw, and gzip at nginx's level). Prints figures; it is not a test.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/tarot_bench_http),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/11), WEB_CONCURRENCY and GUNICORN_THREADS
(passed to both servers; unset, deploy/gunicorn.conf.py decides).
"""

import argparse
import gzip
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = PROJECT_ROOT / "bench"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
GUNICORN_CONF = str(PROJECT_ROOT / "deploy" / "gunicorn.conf.py")
LUA_CLIENT = str(BENCH_DIR / "wrk" / "client.lua")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tarot_bench_http"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
HOST = "localhost"
# nginx compresses responses in production at this level (deploy/nginx, gzip_comp_level).
NGINX_GZIP_LEVEL = 5
CARD_SLUG = "the-moon"
SPREAD_SLUG = "three-card-past-present-future"
QUESTION = "올해 나는 어떤 길을 걷게 될까요?"
P99_TARGET_MS = 50.0
# Headers every request carries: the TLS proxy's, and the content language (Korean).
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https", "Accept-Language": "ko"}


@dataclass
class Endpoint:
    name: str
    path: str
    reference: str  # "drf" or "json": the reference view this endpoint is compared with
    target: float  # the ratio to the reference it must reach
    method: str = "GET"
    auth: str = ""  # "list": users with 50 readings; "create": users who draw
    status: int = 200
    body: str = ""
    measured: bool = True  # False: query count only, no wrk run

    def as_prepare(self) -> dict:
        return {
            "name": self.name,
            "path": self.path,
            "method": self.method,
            "auth": self.auth,
            "status": self.status,
            "body": self.body,
        }


def reading_body(spread: str) -> str:
    return json.dumps({"spread": spread, "question": QUESTION, "allow_reversed": True})


ENDPOINTS = [
    Endpoint("cards list (ko)", "/api/v1/cards/?page_size=100", "drf", 0.8),
    Endpoint("card detail", f"/api/v1/cards/{CARD_SLUG}/", "drf", 0.8),
    Endpoint("spreads", "/api/v1/spreads/", "drf", 0.8),
    Endpoint("daily card (anon)", "/api/v1/daily-card/", "drf", 0.8),
    # The signed-in user has 50 readings; the app asks for the first page, as a client does.
    Endpoint("readings list", "/api/v1/readings/", "drf", 0.5, auth="list"),
    Endpoint(
        "readings list (50)",
        "/api/v1/readings/?page_size=50",
        "drf",
        0.5,
        auth="list",
        measured=False,
    ),
    Endpoint(
        "reading create",
        "/api/v1/readings/",
        "drf",
        0.3,
        method="POST",
        auth="create",
        status=201,
        body=reading_body(SPREAD_SLUG),
    ),
    Endpoint(
        "reading create (10)",
        "/api/v1/readings/",
        "drf",
        0.3,
        method="POST",
        auth="create",
        status=201,
        body=reading_body("celtic-cross"),
        measured=False,
    ),
    Endpoint("home page", "/", "json", 0.5),
    Endpoint("encyclopedia page", "/cards/", "json", 0.5),
    Endpoint("card page", f"/cards/{CARD_SLUG}/", "json", 0.5),
]
REFERENCE_PATHS = {"drf": "/drf/", "json": "/json/"}


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers and socket errors

    @classmethod
    def parse(cls, output: str) -> "WrkResult":
        def latency(percent: str) -> float:
            match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
            if not match:
                raise RuntimeError(f"wrk printed no {percent}% latency:\n{output}")
            value, unit = float(match.group(1)), match.group(2)
            return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

        rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
        if not rate:
            raise RuntimeError(f"wrk printed no Requests/sec:\n{output}")
        errors = 0
        non_success = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if non_success:
            errors += int(non_success.group(1))
        socket_errors = re.search(
            r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
        )
        if socket_errors:
            errors += sum(int(number) for number in socket_errors.groups())
        return cls(float(rate.group(1)), latency("50"), latency("99"), errors)


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Stack:
    """Everything the benchmark started; ``stop()`` ends exactly these processes."""

    work: Path
    redis_url: str
    servers: list[Server] = field(default_factory=list)
    helpers: list[subprocess.Popen] = field(default_factory=list)  # manage.py, prepare.py

    def stop(self) -> None:
        processes = [*self.helpers, *(server.process for server in self.servers)]
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                print(f"pid {process.pid} did not stop in 35 s; killing it")
                process.kill()
                process.wait()
        redis_flush(self.redis_url)
        shutil.rmtree(self.work, ignore_errors=True)


BENCH_STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[bench {time.monotonic() - BENCH_STARTED:4.0f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wrk_ensure() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    say("installing wrk (apt)")
    apt = ["apt-get"] if os.geteuid() == 0 else ["sudo", "apt-get"]
    subprocess.run([*apt, "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run([*apt, "update", "-qq"], check=True, capture_output=True)
        subprocess.run([*apt, "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


def database_create_if_missing(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"bench: database name {name!r} must be a plain identifier")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
            say(f"created database {name}")


def redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def project_environment(work: Path, database_url: str, redis_url: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "API_", "SENTRY_"))
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "settings.staging",
            "APP_ENVIRONMENT": "staging",
            "APP_RELEASE": "bench",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DJANGO_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
            "STATIC_ROOT": str(work / "static"),
            "MEDIA_ROOT": str(work / "media"),
            "EMAIL_URL": "consolemail://",
            "SMS_BACKEND": "mock",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return environment


def manage(environment: dict[str, str], log: Path, *arguments: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", *arguments],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def wait_for(process: subprocess.Popen, log: Path, what: str) -> None:
    if process.wait() != 0:
        print(log.read_text()[-4000:])
        raise SystemExit(f"bench: {what} failed (log above)")


def gunicorn_start(
    name: str, app: str, environment: dict[str, str], work: Path, chdir: Path
) -> Server:
    port = free_port()
    log_path = work / f"{name}.log"
    process = subprocess.Popen(
        [GUNICORN, "-c", GUNICORN_CONF, "--no-control-socket", "--chdir", str(chdir), app],
        cwd=chdir,
        env={**environment, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    return Server(name, port, process, log_path)


def http_request(
    port: int,
    path: str,
    headers: dict[str, str] | None = None,
    *,
    method: str = "GET",
    body: str | None = None,
    timeout: float = 10.0,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_answering(server: Server, path: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            print(server.log_path.read_text()[-4000:])
            raise SystemExit(f"bench: {server.name} exited during start-up (log above)")
        try:
            status, _ = http_request(server.port, path, timeout=2)
            if status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.3)
    raise SystemExit(f"bench: {server.name} did not answer {path} within 90 s")


def worker_environment() -> dict[str, str]:
    """The gunicorn variables both servers share (unset: deploy/gunicorn.conf.py decides)."""
    names = ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS")
    return {name: os.environ[name] for name in names if name in os.environ}


def stack_start(
    args, endpoints: list[Endpoint], *, reference: bool, ssl_redirect: bool = True
) -> tuple[Stack, dict]:
    work = Path(tempfile.mkdtemp(prefix="tarot-bench-"))
    (work / "static").mkdir()
    (work / "media").mkdir()
    stack = Stack(work=work, redis_url=args.redis_url)
    # One environment (one secret key: prepare.py signs the JWTs) for every process.
    environment = {
        **project_environment(work, args.database_url, args.redis_url),
        **worker_environment(),
    }
    if not ssl_redirect:
        environment["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    try:
        prepared = _stack_prepare(stack, args, environment, endpoints)
        stack.servers.append(
            gunicorn_start("project", "settings.wsgi:application", environment, work, PROJECT_ROOT)
        )
        if reference:
            reference_environment = {
                key: value for key, value in environment.items() if key != "DJANGO_SETTINGS_MODULE"
            }
            reference_environment.update(
                {
                    "DJANGO_SETTINGS_MODULE": "reference.settings",
                    "REFERENCE_SECRET_KEY": secrets.token_urlsafe(50),
                }
            )
            stack.servers.append(
                gunicorn_start(
                    "reference",
                    "reference.wsgi:application",
                    reference_environment,
                    work,
                    BENCH_DIR / "reference",
                )
            )
        wait_until_answering(stack.servers[0], "/api/health")
        if reference:
            wait_until_answering(stack.servers[1], "/json/")
    except BaseException:
        stack.stop()
        raise
    return stack, prepared


def _stack_prepare(
    stack: Stack, args, environment: dict[str, str], endpoints: list[Endpoint]
) -> dict:
    """Database and Redis of the benchmark's own, migrated and seeded; static files collected;
    bench/prepare.py's users, readings and query counts."""
    work = stack.work
    database_create_if_missing(args.database_url)
    redis_flush(args.redis_url)
    say("migrate, seed_deck and collectstatic (settings.staging, PostgreSQL, Redis)")
    collectstatic = manage(environment, work / "collectstatic.log", "collectstatic", "--noinput")
    stack.helpers.append(collectstatic)
    migrate = manage(environment, work / "migrate.log", "migrate", "--noinput")
    stack.helpers.append(migrate)
    wait_for(migrate, work / "migrate.log", "migrate")
    seed = manage(environment, work / "seed.log", "seed_deck")
    stack.helpers.append(seed)
    wait_for(seed, work / "seed.log", "seed_deck")
    say("benchmark users, readings, tokens; query counts per endpoint")
    prepare_log = work / "prepare.log"
    prepare = subprocess.Popen(
        [PYTHON, str(BENCH_DIR / "prepare.py"), str(work)],
        cwd=PROJECT_ROOT,
        env={**environment, "BENCH_ENDPOINTS": json.dumps([e.as_prepare() for e in endpoints])},
        stdout=prepare_log.open("w"),
        stderr=subprocess.STDOUT,
    )
    stack.helpers.append(prepare)
    wait_for(collectstatic, work / "collectstatic.log", "collectstatic")
    wait_for(prepare, prepare_log, "bench/prepare.py")
    return json.loads((work / "prepare.json").read_text())


def wrk_run(wrk: str, args, url: str, endpoint: Endpoint, work: Path, duration: int) -> WrkResult:
    command = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "5s",
        "-s",
        LUA_CLIENT,
    ]
    for name, value in PROXY_HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    command += [url, "--"]
    if endpoint.auth:
        command.append(f"tokens={work / f'{endpoint.auth}-tokens.txt'}")
    if endpoint.method != "GET":
        body_path = work / f"body-{hashlib.sha256(endpoint.body.encode()).hexdigest()[:12]}.json"
        body_path.write_text(endpoint.body)
        command += [f"method={endpoint.method}", f"body={body_path}"]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"bench: wrk failed: {completed.stderr or completed.stdout}")
    return WrkResult.parse(completed.stdout)


def response_sizes(stack: Stack, endpoints: list[Endpoint]) -> dict[str, tuple[int, int]]:
    """Raw and gzip (nginx's level) size of each answer; checks each has the expected status."""
    sizes = {}
    tokens = {
        kind: (stack.work / f"{kind}-tokens.txt").read_text().split() for kind in ("list", "create")
    }
    for endpoint in endpoints:
        headers = {"X-Forwarded-For": "10.254.0.1"}
        if endpoint.auth:
            headers["Authorization"] = f"Bearer {tokens[endpoint.auth][-1]}"
        if endpoint.body:
            headers["Content-Type"] = "application/json"
        status, body = http_request(
            stack.servers[0].port,
            endpoint.path,
            headers,
            method=endpoint.method,
            body=endpoint.body or None,
        )
        if status != endpoint.status:
            raise SystemExit(f"bench: {endpoint.method} {endpoint.path} answered {status}")
        sizes[endpoint.name] = (len(body), len(gzip.compress(body, NGINX_GZIP_LEVEL)))
    return sizes


def format_kib(size: int) -> str:
    return f"{size / 1024:.1f}"


def benchmark(args) -> None:
    wrk = wrk_ensure()
    endpoints = [e for e in ENDPOINTS if not args.only or any(o in e.name for o in args.only)]
    started = time.monotonic()
    load_at_start = os.getloadavg()
    stack, prepared = stack_start(args, endpoints, reference=True)
    try:
        project, reference = stack.servers
        say(
            f"project on :{project.port}, reference on :{reference.port}; gunicorn settings "
            f"from deploy/gunicorn.conf.py, environment {worker_environment() or 'unset'}"
        )
        sizes = response_sizes(stack, endpoints)
        measured = [e for e in endpoints if e.measured]
        say(f"warm-up: {args.warmup:g} s per endpoint and reference (not reported)")
        for endpoint in measured:
            wrk_run(wrk, args, project.base_url + endpoint.path, endpoint, stack.work, args.warmup)
            reference_url = reference.base_url + REFERENCE_PATHS[endpoint.reference]
            wrk_run(wrk, args, reference_url, endpoint, stack.work, args.warmup)
        results: dict[str, list[tuple[WrkResult, WrkResult]]] = {e.name: [] for e in measured}
        for round_number in range(1, args.rounds + 1):
            say(f"round {round_number} of {args.rounds}")
            for endpoint in measured:
                ours = wrk_run(
                    wrk, args, project.base_url + endpoint.path, endpoint, stack.work, args.duration
                )
                reference_url = reference.base_url + REFERENCE_PATHS[endpoint.reference]
                theirs = wrk_run(wrk, args, reference_url, endpoint, stack.work, args.duration)
                results[endpoint.name].append((ours, theirs))
                print(
                    f"    {endpoint.name:<20} {ours.requests_per_second:8.0f} req/s  "
                    f"reference {theirs.requests_per_second:8.0f} req/s  "
                    f"ratio {ours.requests_per_second / theirs.requests_per_second:.2f}",
                    flush=True,
                )
    finally:
        stack.stop()
    report(args, endpoints, results, prepared, sizes, time.monotonic() - started, load_at_start)


def report(args, endpoints, results, prepared, sizes, elapsed: float, load_at_start) -> None:
    print()
    print(
        f"wrk: {args.threads} threads, {args.connections} connections, {args.duration:g} s per "
        f"run, {args.rounds} rounds; ratio = project req/s ÷ reference req/s in the same round"
    )
    print(
        f"machine: {os.cpu_count()} CPUs shared by wrk, both servers, PostgreSQL and Redis; "
        f"load average at the start {load_at_start[0]:.1f}, at the end {os.getloadavg()[0]:.1f}"
    )
    header = (
        f"{'endpoint':<20} {'rnd':>3} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'err':>4} │ "
        f"{'ref':>4} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} │ {'ratio':>5} {'target':>6}"
    )
    print(header)
    print("─" * len(header))
    verdicts = []
    for endpoint in endpoints:
        if not endpoint.measured:
            continue
        ratios, worst_p99, errors = [], 0.0, 0
        for round_number, (ours, theirs) in enumerate(results[endpoint.name], start=1):
            ratio = ours.requests_per_second / theirs.requests_per_second
            ratios.append(ratio)
            worst_p99 = max(worst_p99, ours.p99_ms)
            errors += ours.errors
            print(
                f"{endpoint.name:<20} {round_number:>3} {ours.requests_per_second:>7.0f} "
                f"{ours.p50_ms:>7.2f} {ours.p99_ms:>7.2f} {ours.errors:>4} │ "
                f"{endpoint.reference:>4} {theirs.requests_per_second:>7.0f} "
                f"{theirs.p50_ms:>7.2f} {theirs.p99_ms:>7.2f} │ {ratio:>5.2f} "
                f"{'≥' + format(endpoint.target, '.1f'):>6}"
            )
        verdicts.append((endpoint, ratios, worst_p99, errors))
    print()
    print(f"{'endpoint':<20} {'queries 1st/2nd':>15} {'raw KiB':>8} {'gzip KiB':>8}")
    for endpoint in endpoints:
        first, second = prepared["queries"][endpoint.name]
        raw, compressed = sizes.get(endpoint.name, (0, 0))
        print(
            f"{endpoint.name:<20} {f'{first} / {second}':>15} {format_kib(raw):>8} "
            f"{format_kib(compressed):>8}"
        )
    print()
    print("targets (every round must meet them):")
    for endpoint, ratios, worst_p99, errors in verdicts:
        ratio_ok = min(ratios) >= endpoint.target
        p99_ok = worst_p99 < P99_TARGET_MS
        print(
            f"  {endpoint.name:<20} ratio {min(ratios):.2f}–{max(ratios):.2f} "
            f"(median {statistics.median(ratios):.2f}) vs ≥ {endpoint.target:.1f}: "
            f"{'met' if ratio_ok else 'NOT met'}; p99 {worst_p99:.1f} ms vs < {P99_TARGET_MS:.0f}: "
            f"{'met' if p99_ok else 'NOT met'}" + (f"; {errors} failed requests" if errors else "")
        )
    print(f"\nwhole run: {elapsed:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", nargs="?", choices=["wrk", "lighthouse"], default="wrk")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=1, help="seconds per warm-up run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", action="append", help="endpoints whose name contains this")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--lighthouse", help="the Lighthouse command (lighthouse mode)")
    args = parser.parse_args()
    if args.duration <= 0 or args.rounds < 1 or args.connections < args.threads:
        parser.error("--duration > 0, --rounds ≥ 1 and --connections ≥ --threads")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark runs on PostgreSQL: give a postgres:// URL")
    # Stopped by a signal, still stop every server started (the finally blocks run on exit).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    if args.mode == "lighthouse":
        from lighthouse_audit import lighthouse_run

        lighthouse_run(args)
    else:
        benchmark(args)


if __name__ == "__main__":
    main()
