"""Gunicorn settings for Tarot Master (staging and production images).

Used as ``gunicorn -c deploy/gunicorn.conf.py settings.wsgi:application``.
Every value can be changed through the environment so the same image runs in
docker compose, on a VM behind nginx, and in Kubernetes without a rebuild.

Environment variables read here:
  GUNICORN_BIND             address to listen on (default 0.0.0.0:8000)
  WEB_CONCURRENCY           worker processes (default 2 * cores + 1, capped)
  GUNICORN_MAX_WORKERS      cap for the automatic worker count (default 8)
  GUNICORN_THREADS          threads per worker (default 2; >1 selects gthread)
  GUNICORN_TIMEOUT          seconds a request may take before the worker is killed (default 30)
  GUNICORN_GRACEFUL_TIMEOUT seconds to finish in-flight requests on shutdown (default 30)
  GUNICORN_KEEPALIVE        seconds to keep an idle client connection (default 5)
  GUNICORN_MAX_REQUESTS     recycle a worker after this many requests (default 10000, 0 = never)
  GUNICORN_MAX_REQUESTS_JITTER  random spread added to max_requests (default 1000)
  FORWARDED_ALLOW_IPS       proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1,::1)
  GUNICORN_ACCESS_LOG       "-" for stdout (default), a path, or "off"
  GUNICORN_LOG_PROBES       "1" to also log successful health/readiness/metrics requests
  LOG_LEVEL                 gunicorn's own log level (default info)
  PROMETHEUS_MULTIPROC_DIR  where workers write their metrics (default: a new temporary
                            directory); emptied when gunicorn starts

This file must stay importable without gunicorn or Django installed (it is
checked with ``runpy`` in deploy/check.sh), so it only uses the standard library.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    """Read an integer from the environment; refuse nonsense loudly at start-up."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise SystemExit(f"gunicorn.conf.py: {name}={raw!r} is not an integer") from error
    if value < minimum:
        raise SystemExit(f"gunicorn.conf.py: {name}={value} must be >= {minimum}")
    return value


def _available_cpus() -> float:
    """CPUs this container may really use.

    os.cpu_count() reports the node's cores, not the container's CPU limit, so on
    a 32-core Kubernetes node a pod limited to 2 CPUs would start 65 workers and
    be OOM-killed. The cgroup v2 quota (cpu.max) and the affinity mask are the
    honest numbers; the smallest of them wins.
    """
    candidates: list[float] = []
    try:
        candidates.append(float(len(os.sched_getaffinity(0))))
    except (AttributeError, OSError):
        candidates.append(float(os.cpu_count() or 1))
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as handle:
            quota, period = handle.read().split()[:2]
        if quota != "max" and int(period) > 0:
            candidates.append(int(quota) / int(period))
    except (OSError, ValueError):
        pass
    return max(min(candidates), 1.0)


# --- Socket -------------------------------------------------------------------
# 0.0.0.0:8000 inside the container: the Service / nginx / compose port mapping
# decides what is reachable from outside.
bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").split(",")
    if address.strip()
]
# Queue of connections waiting for a free worker; beyond it clients get refused
# quickly instead of piling up behind a saturated pod (the HPA adds pods).
backlog = _env_int("GUNICORN_BACKLOG", 2048, minimum=64)

# --- Workers ------------------------------------------------------------------
# The classic 2 * cores + 1 keeps every core busy while some workers wait on
# PostgreSQL/Redis. The cap protects memory: each Django worker holds its own
# copy of the app (~100-150 MB), and the production pod limit is 2 GiB.
_max_workers = _env_int("GUNICORN_MAX_WORKERS", 8, minimum=1)
workers = _env_int("WEB_CONCURRENCY", min(int(2 * _available_cpus()) + 1, _max_workers), minimum=1)
# A few threads per worker absorb slow I/O (database, cache, e-mail/SMS calls
# made synchronously) without more processes. With threads > 1 gunicorn uses
# the gthread worker, which also supports keep-alive towards nginx/the ingress.
#
# Measured with bench/run.py (make bench) on 2 cores, wrk at 32 connections on
# the same machine, req/s in two repetitions (card API / journal API / reading
# create / card page):
#   5 workers x 2 threads   585-1021 / 237-247 / 132-133 / 823-847
#   3 x 2                   761-1051 / 143-266 /  73-80  / 496-710
#   4 x 1 (sync)            568-1090 / 132-273 /  53-124 / 360-829
#   2 x 4                   400-601  / 145-251 /  54-116 / 311-409
#   5 x 4                   732-1000 / 173-232 /  70-127 / 606-761
# Requests are CPU-bound Python once the caches are warm, so threads beyond 2
# only add GIL contention (2 x 4 is worst); fewer processes than 2 * cores + 1
# leave cores idle while a commit waits on PostgreSQL's WAL flush (reading
# create halves with 3 x 2). 2 * cores + 1 with 2 threads was the steadiest.
threads = _env_int("GUNICORN_THREADS", 2, minimum=1)
worker_class = "gthread" if threads > 1 else "sync"

# --- Timeouts -----------------------------------------------------------------
# 30 s is far above any normal page or API call (a reading is a few queries),
# and below the ingress/nginx proxy_read_timeout (60 s), so a stuck worker is
# killed and logged by gunicorn before the proxy gives up with a bare 504.
timeout = _env_int("GUNICORN_TIMEOUT", 30, minimum=1)
# On SIGTERM (rolling update, scale-in) workers get this long to finish their
# requests. Kubernetes' terminationGracePeriodSeconds (45 s) is larger, so
# gunicorn, not SIGKILL, ends the process.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
# Short keep-alive: the peer is a proxy on the same network, reconnecting is
# cheap, and an idle connection must not pin a gthread slot for long.
keepalive = _env_int("GUNICORN_KEEPALIVE", 5, minimum=0)

# --- Worker recycling ---------------------------------------------------------
# Restart each worker after ~10000 requests so slow leaks (in our code or a
# library) never grow into an OOM kill. The jitter spreads the restarts so all
# workers of a pod do not recycle at the same moment. Not much more often: each
# recycled worker leaves its metric files behind (see "Prometheus metrics" below)
# and every scrape reads them all: about 1.8 ms per recycled worker (measured with
# 40 views). At 1000 requests a pod serving 10 r/s would recycle ~800 workers a
# day, adding ~1.4 s to each scrape per day; at 10000, a tenth of that.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 10000, minimum=0)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 1000, minimum=0)

# --- Server mechanics ---------------------------------------------------------
# The worker heartbeat file is touched constantly. /dev/shm is a tmpfs, so a slow
# or read-only disk (readOnlyRootFilesystem in Kubernetes) can never make the
# arbiter think a healthy worker is dead.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")  # noqa: S108
# Load the app in each worker, not in the master: database connections and
# Sentry's transport are never shared across fork(), and max_requests restarts
# pick up a fresh interpreter state.
preload_app = False
# gunicorn 25.1+ opens a control socket under $HOME by default; the image's home
# is read-only in Kubernetes and nothing here uses gunicornc, so it stays off
# unless GUNICORN_CONTROL_SOCKET names a writable path.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control_socket:
    control_socket = _control_socket
else:
    control_socket_disable = True

# --- Proxy trust --------------------------------------------------------------
# Only these peers may set X-Forwarded-Proto/For. Behind nginx on the same host
# that is loopback (the default); in Kubernetes the ingress controller's pod IP
# is not fixed, so the ConfigMap sets "*" (pods are reachable only through the
# cluster network). Django's SECURE_PROXY_SSL_HEADER relies on this being right.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- Request limits -----------------------------------------------------------
# Defaults are generous for URLs; keep header count/size bounded against abuse.
limit_request_line = _env_int("GUNICORN_LIMIT_REQUEST_LINE", 8190, minimum=0)
limit_request_fields = _env_int("GUNICORN_LIMIT_REQUEST_FIELDS", 100, minimum=0)

# --- Logging ------------------------------------------------------------------
# One JSON object per line on stdout/stderr, like the application's own logs, so
# the log shipper (ELK/CloudWatch in the seed architecture) parses every line.
_access_log = os.environ.get("GUNICORN_ACCESS_LOG", "-").strip()
accesslog = None if _access_log.lower() in {"", "off", "none"} else _access_log
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Only used if someone swaps logconfig_dict out: still one JSON-ish line per request.
access_log_format = (
    '{"remote_addr":"%(h)s","request_id":"%({x-request-id}i)s","method":"%(m)s",'
    '"path":"%(U)s","query":"%(q)s","status":"%(s)s","bytes":"%(B)s",'
    '"duration_ms":"%(M)s","referer":"%(f)s","user_agent":"%(a)s"}'
)

# Kubelet probes and Prometheus scrapes arrive every few seconds per pod; logging
# each successful one would drown real traffic. Failures are always logged.
_QUIET_PATHS = frozenset({"/health", "/api/health", "/ready", "/api/ready", "/metrics"})
_LOG_PROBES = os.environ.get("GUNICORN_LOG_PROBES", "0").strip().lower() in {"1", "true", "yes"}


def _atom(atoms: Mapping, key: str) -> object:
    """One access-log atom, without the quote escaping gunicorn adds for its text format."""
    value = atoms.get(key)
    return value.replace('\\"', '"') if isinstance(value, str) else value


class JsonLogFormatter(logging.Formatter):
    """Format gunicorn's error and access records as single-line JSON.

    gunicorn passes the access-log atoms (a dict) as the record's args, so access
    lines are built from real values and escaped by json.dumps, unlike a JSON
    template string that breaks on a quote in a User-Agent.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
        }
        atoms = record.args if isinstance(record.args, Mapping) else None
        if record.name == "gunicorn.access" and atoms is not None:
            status = str(atoms.get("s", "-"))
            entry.update(
                {
                    "event": "http_request",
                    "remote_addr": _atom(atoms, "h"),
                    "forwarded_for": _atom(atoms, "{x-forwarded-for}i"),
                    "request_id": _atom(atoms, "{x-request-id}i"),
                    "method": _atom(atoms, "m"),
                    "path": _atom(atoms, "U"),
                    "query": _atom(atoms, "q") or "",
                    "protocol": _atom(atoms, "H"),
                    "status": int(status) if status.isdigit() else status,
                    "bytes": _atom(atoms, "B"),
                    "duration_ms": _atom(atoms, "M"),
                    "referer": _atom(atoms, "f"),
                    "user_agent": _atom(atoms, "a"),
                }
            )
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        release = os.environ.get("APP_RELEASE")
        if release:
            entry["release"] = release
        return json.dumps(entry, ensure_ascii=False, default=str)


class QuietProbeFilter(logging.Filter):
    """Drop successful health, readiness and metrics requests from the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _LOG_PROBES or not isinstance(record.args, Mapping):
            return True
        path = record.args.get("U")
        status = str(record.args.get("s", ""))
        return not (path in _QUIET_PATHS and status.startswith(("2", "3")))


# dictConfig accepts classes directly ("()": callable), so no import path is
# needed and this file stays self-contained. disable_existing_loggers is False
# so Django's own LOGGING (configured later, in each worker) is untouched.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "INFO", "handlers": []},
    "formatters": {"json": {"()": JsonLogFormatter}},
    "filters": {"quiet_probes": {"()": QuietProbeFilter}},
    "handlers": {
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
        "access_console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["quiet_probes"],
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {
            "level": loglevel.upper(),
            "handlers": ["error_console"],
            "propagate": False,
        },
        "gunicorn.access": {
            "level": "INFO",
            "handlers": ["access_console"] if accesslog else [],
            "propagate": False,
        },
    },
}
# Process name in `ps`/`top` on a shared VM.
proc_name = "tarot-master"

# --- Prometheus metrics across workers ------------------------------------------
# Each worker is a process with its own counters, and a scrape of /metrics reaches
# one of them at random. In prometheus_client's multiprocess mode every worker
# writes its values to files in PROMETHEUS_MULTIPROC_DIR and /metrics adds them all
# up (django-prometheus's view switches to that mode when the variable is set).
# The variable must be set before a worker imports prometheus_client, so it is set
# here, in the master, before the first fork. Files of exited workers are kept on
# purpose: their counts stay in the totals, so counters never go backwards when
# max_requests recycles a worker. The directory therefore grows by two small files
# (counters, histograms) per recycled worker until the next (re)start, which empties
# it; merging them is unsafe while a scrape may be reading (prometheus_client has no
# lock), so alert MetricsScrapeSlow watches the cost instead.
_METRIC_FILE_PATTERNS = ("counter_*.db", "gauge_*.db", "histogram_*.db", "summary_*.db")
_temporary_metrics_dir: Path | None = None


def on_starting(server) -> None:
    """Give the workers an empty metrics directory: a fresh temporary one by default."""
    global _temporary_metrics_dir
    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "").strip()
    if not configured:
        _temporary_metrics_dir = Path(tempfile.mkdtemp(prefix="tarot-prometheus-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_temporary_metrics_dir)
        server.log.info("Prometheus multiprocess directory: %s", _temporary_metrics_dir)
        return
    directory = Path(configured)
    directory.mkdir(parents=True, exist_ok=True)
    # Values left by an earlier run (a restarted container keeps its emptyDir) would be
    # added to this run's. Only prometheus_client's own files go, in case the variable
    # names a directory that holds anything else.
    stale = [path for pattern in _METRIC_FILE_PATTERNS for path in directory.glob(pattern)]
    for path in stale:
        path.unlink(missing_ok=True)
    server.log.info(
        "Prometheus multiprocess directory: %s (%d stale files removed)", directory, len(stale)
    )


def child_exit(server, worker) -> None:
    """Forget the exited worker's live gauges (its counters stay in the totals)."""
    # Imported here: this file must load without prometheus_client (deploy/check.sh).
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    if _temporary_metrics_dir is not None:
        shutil.rmtree(_temporary_metrics_dir, ignore_errors=True)
