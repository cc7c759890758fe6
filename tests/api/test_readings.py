"""Readings: draw, journal, notes, delete, share; other people's readings are 404."""

import pytest

from readings.models import QUESTION_MAX_LENGTH, Reading
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

READINGS = "/api/v1/readings/"


def draw(client, headers=None, **body):
    body = {"spread": "three-card-past-present-future", **body}
    return client.post(READINGS, body, format="json", **(headers or {}))


def test_a_signed_in_draw_goes_into_the_journal(user_client, user, seeded_deck):
    response = draw(user_client, question="  이직해도 될까요?  ", allow_reversed=False)

    assert response.status_code == 201
    body = response.json()
    reading = Reading.objects.get()
    assert reading.user == user and body["id"] == reading.pk
    assert response["Location"] == f"http://testserver{READINGS}{reading.pk}/"
    assert body["question"] == "이직해도 될까요?"
    assert body["spread"]["slug"] == "three-card-past-present-future"
    assert [card["position"]["order"] for card in body["cards"]] == [1, 2, 3]
    assert not any(card["is_reversed"] for card in body["cards"])
    assert len({card["card"]["slug"] for card in body["cards"]}) == 3
    assert body["summary"] and all(isinstance(p, str) for p in body["summary"])
    assert body["share_token"] is None and body["share_url"] is None
    assert body["notes"] == ""
    first = body["cards"][0]
    assert first["meaning"] and first["keywords"] and "/art.svg?v=" in first["card"]["art_url"]


def test_an_anonymous_draw_is_returned_once_with_its_share_link(anon_client, seeded_deck):
    response = draw(anon_client)

    assert response.status_code == 201
    body = response.json()
    reading = Reading.objects.get()
    assert reading.user is None
    assert body["share_token"] == reading.share_token
    assert body["share_url"] == f"http://testserver/s/{reading.share_token}/"
    assert response["Location"] == f"http://testserver/api/v1/shared/{reading.share_token}/"
    assert anon_client.get(response["Location"]).status_code == 200


def test_the_reading_comes_in_the_requested_language(user_client, seeded_deck):
    body = draw(user_client, {"HTTP_ACCEPT_LANGUAGE": "en"}, allow_reversed=False).json()

    assert body["spread"]["name"] == "Past, Present, Future"
    assert body["cards"][0]["position"]["name"] == "Past"
    assert body["cards"][0]["orientation"] == "upright"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"spread": "no-such-spread"}, "spread"),
        ({"spread": "not a slug!"}, "spread"),
        ({}, "spread"),
        ({"spread": "single-card", "question": "?" * (QUESTION_MAX_LENGTH + 1)}, "question"),
        ({"spread": "single-card", "question": "nul\x00"}, "question"),
        ({"spread": "single-card", "allow_reversed": "maybe"}, "allow_reversed"),
    ],
)
def test_bad_draws_are_a_400_naming_the_field(user_client, seeded_deck, body, field):
    response = user_client.post(READINGS, body, format="json")

    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert not Reading.objects.exists()


def test_an_unpublished_spread_cannot_be_drawn(user_client, seeded_deck):
    from tarot.models import Spread

    Spread.objects.filter(slug="single-card").update(is_published=False)

    response = user_client.post(READINGS, {"spread": "single-card"}, format="json")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["spread"]


def test_the_journal_lists_only_my_readings_newest_first(user_client, user, other_user, reading_of):
    older, newer = reading_of(user), reading_of(user)
    reading_of(other_user)

    response = user_client.get(READINGS)

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert [r["id"] for r in response.json()["results"]] == [newer.pk, older.pk]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("count", [1, 50])
def test_the_journal_costs_the_same_queries_for_1_or_50_readings(
    user_client, user, reading_of, django_assert_num_queries, count
):
    for _ in range(count):
        reading_of(user)

    # user, count, the page's rows; readings with spread and deck, drawn cards with card and
    # position for what is not cached yet; then the page and the user's row are cached.
    with django_assert_num_queries(5):
        response = user_client.get(f"{READINGS}?page_size=50")
    with django_assert_num_queries(0):
        again = user_client.get(f"{READINGS}?page_size=50")

    assert len(response.json()["results"]) == count
    assert again.json() == response.json()


def test_reading_detail_costs_fixed_queries(
    user_client, user, reading_of, django_assert_num_queries
):
    reading = reading_of(user)

    with django_assert_num_queries(3):
        assert user_client.get(f"{READINGS}{reading.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("patch", ""), ("delete", ""), ("post", "share/"), ("delete", "share/")],
)
def test_someone_elses_reading_is_404_never_403(
    user_client, other_user, reading_of, method, suffix
):
    theirs = reading_of(other_user)

    response = getattr(user_client, method)(
        f"{READINGS}{theirs.pk}/{suffix}", {"notes": "mine now"}, format="json"
    )

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    theirs.refresh_from_db()
    assert (theirs.notes, theirs.share_token) == ("", None)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", READINGS),
        ("get", f"{READINGS}1/"),
        ("patch", f"{READINGS}1/"),
        ("delete", f"{READINGS}1/"),
        ("post", f"{READINGS}1/share/"),
        ("delete", f"{READINGS}1/share/"),
    ],
)
def test_the_journal_needs_sign_in(anon_client, method, url):
    response = getattr(anon_client, method)(url)

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_a_reading_id_beyond_any_database_integer_is_404(user_client):
    response = user_client.get(f"{READINGS}{2**70}/")

    assert response.status_code == 404


def test_notes_are_saved_and_bounded(user_client, user, reading_of):
    reading = reading_of(user)

    saved = user_client.patch(
        f"{READINGS}{reading.pk}/", {"notes": "첫 카드가 남는다"}, format="json"
    )
    too_long = user_client.patch(f"{READINGS}{reading.pk}/", {"notes": "x" * 10_001}, format="json")
    other_field = user_client.patch(f"{READINGS}{reading.pk}/", {"question": "x"}, format="json")
    nothing = user_client.patch(f"{READINGS}{reading.pk}/", {}, format="json")

    assert saved.status_code == 200 and saved.json()["notes"] == "첫 카드가 남는다"
    assert list(error_of(too_long)["fields"]) == ["notes"]
    assert list(error_of(other_field)["fields"]) == ["question"]
    assert nothing.status_code == 200 and nothing.json()["notes"] == "첫 카드가 남는다"
    reading.refresh_from_db()
    assert reading.notes == "첫 카드가 남는다"


def test_delete_removes_the_reading(user_client, user, reading_of):
    reading = reading_of(user)

    response = user_client.delete(f"{READINGS}{reading.pk}/")

    assert response.status_code == 204
    assert not Reading.objects.exists()
    assert user_client.get(f"{READINGS}{reading.pk}/").status_code == 404


def test_share_unshare_and_the_shared_view(user_client, user, reading_of, anon_client):
    reading = reading_of(user)
    user_client.patch(f"{READINGS}{reading.pk}/", {"notes": "private thoughts"}, format="json")

    shared = user_client.post(f"{READINGS}{reading.pk}/share/")
    shared_again = user_client.post(f"{READINGS}{reading.pk}/share/")
    token = shared.json()["share_token"]
    public = anon_client.get(f"/api/v1/shared/{token}/")

    assert shared.status_code == 200 and token
    assert shared_again.json()["share_token"] == token, "sharing is idempotent"
    assert shared.json()["share_url"] == f"http://testserver/s/{token}/"
    assert public.status_code == 200
    body = public.json()
    assert set(body) == {"created_at", "spread", "question", "allow_reversed", "cards", "summary"}
    assert "private thoughts" not in public.content.decode()
    assert user.email not in public.content.decode()
    assert "no-store" in public["Cache-Control"]

    revoked = user_client.delete(f"{READINGS}{reading.pk}/share/")

    assert revoked.status_code == 204
    assert anon_client.get(f"/api/v1/shared/{token}/").status_code == 404


def test_an_unknown_share_token_is_404(anon_client, db):
    response = anon_client.get("/api/v1/shared/not-a-real-token/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_the_shared_view_costs_fixed_queries(
    anon_client, user, reading_of, django_assert_num_queries
):
    reading = reading_of(user)
    reading.share_token = "t" * 32
    reading.save()

    with django_assert_num_queries(2):
        anon_client.get(f"/api/v1/shared/{'t' * 32}/")
