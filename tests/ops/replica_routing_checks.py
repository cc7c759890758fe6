"""Read-replica routing against a replica alias that mirrors the test database.

These tests need the ``replica_1`` alias, which settings.test adds only with
TEST_DATABASE_REPLICA=1: test_replica_router.py runs this file (named so the suite does not
collect it) in such a subprocess.
"""

import pytest
from django.conf import settings
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from readings.models import Reading
from settings.routers import ReplicaRouter, primary_pin_reset
from tests.accounts.factories import UserFactory

pytestmark = [
    pytest.mark.skipif(
        "replica_1" not in settings.DATABASES,
        reason="needs TEST_DATABASE_REPLICA=1 (run by test_replica_router.py)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica_1"]),
]


@pytest.fixture(autouse=True)
def _fresh_request():
    """Each test starts like a new request: nothing written yet."""
    primary_pin_reset()
    yield
    primary_pin_reset()


def queries_on(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


def test_reads_outside_a_transaction_go_to_the_replica():
    with queries_on("replica_1") as replica, queries_on("default") as primary:
        list(User.objects.all())

    assert len(replica) == 1
    assert len(primary) == 0


def test_the_replica_sees_rows_the_primary_committed():
    user = UserFactory()
    primary_pin_reset()  # a later request

    with queries_on("replica_1") as replica:
        found = User.objects.get(pk=user.pk)

    assert found.email == user.email
    assert found._state.db == "replica_1"
    assert len(replica) == 1


def test_writes_go_to_the_primary():
    with queries_on("replica_1") as replica, queries_on("default") as primary:
        user = UserFactory()

    assert user._state.db == "default"
    assert len(primary) >= 1
    assert len(replica) == 0


def test_reads_inside_a_transaction_go_to_the_primary():
    with (
        queries_on("replica_1") as replica,
        queries_on("default") as primary,
        transaction.atomic(),
    ):
        list(User.objects.all())

    assert len(replica) == 0
    assert [query["sql"] for query in primary if query["sql"].startswith("SELECT")] == [
        str(User.objects.all().query)
    ]


def test_reads_after_a_write_in_the_same_request_stay_on_the_primary():
    user = UserFactory()

    with queries_on("replica_1") as replica:
        assert User.objects.get(pk=user.pk) == user

    assert len(replica) == 0
    assert router.db_for_read(Reading) == "default"


def test_migrations_run_on_the_primary_only():
    replica_router = ReplicaRouter()

    assert replica_router.allow_migrate("default", "readings") is True
    assert replica_router.allow_migrate("replica_1", "readings") is False


def test_objects_from_the_replica_and_the_primary_may_be_related():
    user = UserFactory()
    primary_pin_reset()
    from_replica = User.objects.get(pk=user.pk)

    assert ReplicaRouter().allow_relation(from_replica, user) is True


def test_a_page_request_reads_from_the_replica(client, seeded_deck):
    with queries_on("replica_1") as replica, queries_on("default") as primary:
        response = client.get("/cards/")

    assert response.status_code == 200
    assert len(replica) >= 1
    assert len(primary) == 0
