"""Benchmark the daily-card job: how many users per second get their card, on PostgreSQL.

    .venv/bin/python bench/daily_cards.py [--users 100000] [--runs 3] [--database-url URL]

Uses its own database (default ``postgres://postgres@127.0.0.1:5432/tarot_bench``, created and
migrated if missing) with exactly ``--users`` active users spread over four time zones, then
times ``generate_daily_cards`` for one date, from no card to every user's card, ``--runs``
times (the cards are deleted between runs). Prints users/s for each run, and users per CPU
second (this process plus its PostgreSQL backend) which other load on the machine affects less;
not a test.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tarot_bench"
BENCH_DATE = datetime.date(2026, 11, 27)
ZONES = ("Asia/Seoul", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago")
USER_BATCH = 10_000


def database_create_if_missing(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def users_prepare(count: int) -> None:
    """Exactly ``count`` active users, made with bulk inserts (password unusable, no hashing)."""
    from accounts.models import User

    if User.objects.filter(is_active=True).count() == count == User.objects.count():
        return
    User.objects.all().delete()
    started = time.perf_counter()
    for offset in range(0, count, USER_BATCH):
        User.objects.bulk_create(
            User(
                email=f"bench{number}@bench.invalid",
                password="!",  # noqa: S106 (Django's marker for an unusable password)
                time_zone=ZONES[number % len(ZONES)],
            )
            for number in range(offset, min(offset + USER_BATCH, count))
        )
    print(f"created {count:,} users in {time.perf_counter() - started:.1f} s")


def backend_cpu_seconds(pid: int) -> float | None:
    """CPU time of the PostgreSQL backend serving us, when it runs on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    if args.users < 1 or args.runs < 1:
        parser.error("--users and --runs must be at least 1")
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the benchmark measures PostgreSQL: give a postgres:// URL")

    database_create_if_missing(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.development"
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG would keep every query's SQL in memory
    sys.path.insert(0, str(PROJECT_ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from readings.daily_services import daily_cards_generate
    from readings.models import DailyCard
    from tarot.selectors import deck_get_default
    from tarot.services import deck_seed

    call_command("migrate", verbosity=0)
    if deck_get_default() is None:
        deck_seed()
    users_prepare(args.users)
    rates = []
    for run in range(1, args.runs + 1):
        DailyCard.objects.filter(date=BENCH_DATE).delete()
        # Production never deletes cards: vacuum so each run starts from a clean table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE readings_dailycard")
            cursor.execute("ANALYZE accounts_user")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (backend_pid,) = cursor.fetchone()
        backend_before = backend_cpu_seconds(backend_pid)
        cpu_before = time.process_time()
        started = time.perf_counter()
        result = daily_cards_generate(on_date=BENCH_DATE)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_before
        backend_after = backend_cpu_seconds(backend_pid)
        if backend_before is not None and backend_after is not None:
            cpu += backend_after - backend_before
        if result.created != args.users:
            raise SystemExit(f"expected {args.users} cards, the job created {result.created}")
        rates.append(args.users / elapsed)
        print(
            f"run {run}: {result.created:,} cards for {args.users:,} users in {elapsed:.2f} s "
            f"({result.chunks} chunks) → {rates[-1]:,.0f} users/s; CPU (Python + PostgreSQL "
            f"backend) {cpu:.2f} s → {args.users / cpu:,.0f} users per CPU-second"
        )
    started = time.perf_counter()
    rerun = daily_cards_generate(on_date=BENCH_DATE)
    print(
        f"rerun with every card present: {rerun.created} created "
        f"in {time.perf_counter() - started:.2f} s"
    )
    print(f"best {max(rates):,.0f} users/s, worst {min(rates):,.0f} users/s")


if __name__ == "__main__":
    main()
