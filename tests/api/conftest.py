import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from readings.services import reading_create
from tests.accounts.factories import UserFactory


def bearer(user) -> str:
    return f"Bearer {RefreshToken.for_user(user).access_token}"


def error_of(response) -> dict:
    """The error body, after checking it has exactly the API's one error shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def client_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=bearer(user))
        return client

    return make


@pytest.fixture
def user_client(user, client_for) -> APIClient:
    return client_for(user)


@pytest.fixture
def reading_of(three_card_spread):
    def make(user, **kwargs):
        return reading_create(user=user, spread=three_card_spread, **kwargs)

    return make
