"""The profile: preferences, export and deletion."""

import datetime

import pytest

from accounts.models import User
from readings.models import DailyCard, NotificationDelivery, Reading
from tarot.models import Card
from tests.accounts.factories import PASSWORD
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_me_needs_sign_in(anon_client, method):
    response = getattr(anon_client, method)(ME, {}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_me_shows_the_profile_and_is_never_cached(user_client, user, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = user_client.get(ME)

    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert response.json()["notification_time"] == "08:00"
    assert "no-store" in response["Cache-Control"]


def test_patch_changes_the_preferences(user_client, user):
    response = user_client.patch(
        ME,
        {
            "display_name": "달빛",
            "language": "en",
            "time_zone": "Europe/Berlin",
            "notifications_enabled": True,
            "notification_time": "07:30",
            "notification_channel": "sms",
            "phone_number": "+821012345678",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    user.refresh_from_db()
    assert (user.display_name, user.time_zone, user.phone_number) == (
        "달빛",
        "Europe/Berlin",
        "+821012345678",
    )
    assert response.json()["notification_time"] == "07:30"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"phone_number": "010-1234-5678"}, "phone_number"),
        ({"notification_time": "7pm"}, "notification_time"),
        ({"notification_time": "07:30+09:00"}, "notification_time"),
        ({"notification_channel": "pigeon"}, "notification_channel"),
        ({"language": "fr"}, "language"),
        ({"email": "new@example.com"}, "email"),
        ({"notifications_enabled": "yes"}, "notifications_enabled"),
        (
            {"notifications_enabled": True, "notification_channel": "sms", "phone_number": ""},
            "phone_number",
        ),
    ],
)
def test_patch_refuses_bad_input_by_name_and_saves_nothing(user_client, user, body, field):
    response = user_client.patch(ME, {"display_name": "changed", **body}, format="json")

    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    user.refresh_from_db()
    assert user.display_name == ""


def test_export_has_everything_and_is_a_download(user_client, user, reading_of):
    reading_of(user, question="내 질문")

    response = user_client.get(f"{ME}export/")

    assert response.status_code == 200
    body = response.json()
    assert body["profile"]["email"] == user.email
    assert [r["question"] for r in body["readings"]] == ["내 질문"]
    assert len(body["readings"][0]["cards"]) == 3
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def _schema_shape(schema: dict, node: dict):
    """The property names the schema promises, nested: ``{name: shape}``, ``[item shape]`` for
    an array, None for a single value."""
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/components/schemas/")
        return _schema_shape(schema, schema["components"]["schemas"][name])
    if "properties" in node:
        return {name: _schema_shape(schema, part) for name, part in node["properties"].items()}
    if node.get("type") == "array":
        return [_schema_shape(schema, node["items"])]
    return None


def _data_shape(value):
    """The keys of a JSON value, nested like ``_schema_shape``; every item of a list alike."""
    if isinstance(value, dict):
        return {key: _data_shape(part) for key, part in value.items()}
    if isinstance(value, list):
        assert value, "an empty list says nothing about its items"
        shapes = [_data_shape(item) for item in value]
        assert all(shape == shapes[0] for shape in shapes), shapes
        return [shapes[0]]
    return None


def test_the_schema_describes_exactly_the_keys_of_the_export(
    anon_client, user_client, user, reading_of
):
    reading_of(user, question="내 질문")
    DailyCard.objects.create(
        user=user, date=datetime.date(2026, 3, 1), card=Card.objects.first(), is_reversed=True
    )
    NotificationDelivery.objects.create(
        user=user,
        local_date=datetime.date(2026, 3, 1),
        channel=User.Channel.EMAIL,
        status=NotificationDelivery.Status.SENT,
        next_attempt_at=datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC),
        sent_at=datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC),
    )
    schema = anon_client.get("/api/v1/schema/?format=json").json()
    answer = schema["paths"]["/api/v1/me/export/"]["get"]["responses"]["200"]

    export = user_client.get(f"{ME}export/").json()

    documented = _schema_shape(schema, answer["content"]["application/json"]["schema"])
    assert documented == _data_shape(export)


def test_export_needs_sign_in(anon_client):
    assert anon_client.get(f"{ME}export/").status_code == 401


def test_delete_needs_the_password(user_client, user):
    missing = user_client.delete(ME, {}, format="json")
    wrong = user_client.delete(ME, {"password": "wrong"}, format="json")

    assert (missing.status_code, wrong.status_code) == (400, 400)
    assert list(error_of(missing)["fields"]) == ["password"]
    assert list(error_of(wrong)["fields"]) == ["password"]
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_removes_the_account_and_its_readings(user_client, user, reading_of):
    reading_of(user)

    response = user_client.delete(ME, {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Reading.objects.exists()
    assert user_client.get(ME).status_code == 401
