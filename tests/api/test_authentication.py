"""The API's JWT sign-in with the user's row cached (accounts/authentication.py): no query for
it on repeated requests, and every change to the account seen on the next request."""

import pytest
from django.core.cache import cache

from accounts.services import user_delete
from core.caching import release_key
from tests.accounts.factories import PASSWORD

from .conftest import error_of

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_repeated_requests_do_not_read_the_users_row(user_client, django_assert_num_queries):
    user_client.get(ME)

    with django_assert_num_queries(0):
        response = user_client.get(ME)

    assert response.status_code == 200


def test_the_password_hash_is_never_cached(user, user_client):
    user_client.get(ME)

    cached = cache.get(release_key(f"api-user:{user.pk}"))

    assert cached.pk == user.pk
    assert "password" in cached.get_deferred_fields()


def test_a_deactivated_account_is_refused_on_its_next_request(
    user, user_client, django_capture_on_commit_callbacks
):
    assert user_client.get(ME).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        user.is_active = False
        user.save(update_fields=["is_active"])
    response = user_client.get(ME)

    assert response.status_code == 401
    assert error_of(response)["code"] == "user_inactive"


def test_a_deleted_account_is_refused_on_its_next_request(
    user, user_client, django_capture_on_commit_callbacks
):
    assert user_client.get(ME).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=user, password=PASSWORD)
    response = user_client.get(ME)

    assert response.status_code == 401
    assert error_of(response)["code"] == "user_not_found"


def test_a_change_to_the_account_shows_at_once(user_client, django_capture_on_commit_callbacks):
    user_client.get(ME)

    with django_capture_on_commit_callbacks(execute=True):
        changed = user_client.patch(ME, {"display_name": "달빛"}, format="json")

    assert changed.status_code == 200
    assert user_client.get(ME).json()["display_name"] == "달빛"


def test_a_password_check_still_reads_the_password(user_client):
    user_client.get(ME)

    refused = user_client.delete(ME, {"password": "wrong"}, format="json")
    deleted = user_client.delete(ME, {"password": PASSWORD}, format="json")

    assert refused.status_code == 400
    assert deleted.status_code == 204
