"""The data the HTTP benchmark drives, and each endpoint's query count; run by bench/run.py.

    python bench/prepare.py OUTPUT_DIR   (in the environment bench/run.py sets: settings.staging)

Idempotent on the benchmark database: the deck is seeded by ``seed_deck`` beforehand; the
benchmark users (``*@bench.invalid``) are deleted and made again, so every run starts from the
same state:

- ``LIST_USERS`` users with exactly ``READINGS_PER_USER`` three-card readings each (the readings
  list endpoint pages through 50 of them);
- ``CREATE_USERS`` users without readings, who draw during the POST runs;
- one shared anonymous reading (the page Lighthouse audits as "reading result");
- each list user's first page requested once, so their readings' cards are cached.

wrk rotates over these users (and over client addresses) so the API's throttles stay at their
production rates without answering 429: real traffic comes from many clients, not one.

Writes to OUTPUT_DIR: ``list-tokens.txt``, ``create-tokens.txt`` (JWT access tokens, one a line)
and ``prepare.json`` (the shared reading's token and, per endpoint in ``BENCH_ENDPOINTS``, the
queries of a first and a second request, made with Django's test client).
"""

import json
import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LIST_USERS = 100
READINGS_PER_USER = 50
CREATE_USERS = 400
BENCH_EMAIL_DOMAIN = "bench.invalid"
SPREAD_SLUG = "three-card-past-present-future"
QUESTION = "올해 나는 어떤 길을 걷게 될까요?"


def users_make(prefix: str, count: int):
    from accounts.models import User

    return User.objects.bulk_create(
        User(
            email=f"{prefix}{number}@{BENCH_EMAIL_DOMAIN}",
            password="!",  # noqa: S106 (Django's marker for an unusable password)
            time_zone="Asia/Seoul",
        )
        for number in range(count)
    )


def readings_make(users) -> None:
    """``READINGS_PER_USER`` drawn readings per user, with bulk inserts."""
    from readings.models import DrawnCard, Reading
    from readings.services import cards_draw
    from tarot.models import Card, Spread
    from tarot.selectors import deck_get_default

    deck = deck_get_default()
    spread = Spread.objects.get(slug=SPREAD_SLUG)
    positions = list(spread.positions.order_by("order"))
    card_ids = list(Card.objects.filter(deck=deck, is_published=True).values_list("id", flat=True))
    readings = Reading.objects.bulk_create(
        Reading(user=user, spread=spread, deck=deck, question=QUESTION)
        for user in users
        for _ in range(READINGS_PER_USER)
    )
    DrawnCard.objects.bulk_create(
        DrawnCard(reading=reading, position=position, card_id=card_id, is_reversed=is_reversed)
        for reading in readings
        for position, (card_id, is_reversed) in zip(
            positions,
            cards_draw(card_ids=card_ids, count=len(positions), allow_reversed=True),
            strict=True,
        )
    )


def tokens_write(users, path: Path) -> list[str]:
    from rest_framework_simplejwt.tokens import AccessToken

    tokens = [str(AccessToken.for_user(user)) for user in users]
    path.write_text("\n".join(tokens) + "\n")
    return tokens


def queries_count(endpoints: list[dict], list_token: str, create_token: str) -> dict:
    """Queries of a first (cold cache) and a second request to each endpoint, through the
    whole middleware stack, as wrk will send it."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(
        HTTP_HOST="localhost",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_ACCEPT_LANGUAGE="ko",
        HTTP_X_FORWARDED_FOR="10.255.0.1",
    )
    counts = {}
    for endpoint in endpoints:
        headers = {}
        if endpoint["auth"] == "list":
            headers["HTTP_AUTHORIZATION"] = f"Bearer {list_token}"
        elif endpoint["auth"] == "create":
            headers["HTTP_AUTHORIZATION"] = f"Bearer {create_token}"
        per_request = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                if endpoint["method"] == "POST":
                    response = client.post(
                        endpoint["path"],
                        endpoint["body"],
                        content_type="application/json",
                        **headers,
                    )
                else:
                    response = client.get(endpoint["path"], **headers)
            if response.status_code != endpoint["status"]:
                raise SystemExit(
                    f"prepare: {endpoint['method']} {endpoint['path']} answered "
                    f"{response.status_code}, expected {endpoint['status']}"
                )
            per_request.append(len(captured.captured_queries))
        counts[endpoint["name"]] = per_request
    return counts


def readings_cache_warm(tokens: list[str]) -> None:
    """Each list user's first page once, as the app shows the journal after every draw: the
    benchmark measures the steady state, where each reading's cards are cached."""
    from django.test import Client

    client = Client(
        HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="ko"
    )
    for number, token in enumerate(tokens):
        response = client.get(
            "/api/v1/readings/",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_X_FORWARDED_FOR=f"10.253.{number // 256}.{number % 256}",
        )
        if response.status_code != 200:
            raise SystemExit(f"prepare: the readings list answered {response.status_code}")


def main() -> None:
    output = Path(sys.argv[1])
    endpoints = json.loads(os.environ["BENCH_ENDPOINTS"])
    sys.path.insert(0, str(PROJECT_ROOT))
    import django

    django.setup()
    from django.db import connection

    from accounts.models import User
    from readings.services import reading_create
    from tarot.models import Spread

    User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").delete()
    list_users = users_make("bench-list-", LIST_USERS)
    readings_make(list_users)
    create_users = users_make("bench-create-", CREATE_USERS)
    # Statistics as autovacuum keeps them in production: right after a bulk load the planner
    # would expect thousands of drawn cards per reading and start parallel workers for three.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    list_tokens = tokens_write(list_users, output / "list-tokens.txt")
    create_tokens = tokens_write(create_users, output / "create-tokens.txt")
    shared = reading_create(
        user=None, spread=Spread.objects.get(slug=SPREAD_SLUG), question=QUESTION
    )

    counts = queries_count(endpoints, list_tokens[0], create_tokens[0])
    readings_cache_warm(list_tokens)
    (output / "prepare.json").write_text(
        json.dumps({"queries": counts, "share_token": shared.share_token})
    )


if __name__ == "__main__":
    main()
