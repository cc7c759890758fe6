"""The visitor site through Django's test client: status, visible text, permissions."""

import json
import urllib.parse

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from readings.models import DailyCard, Reading
from readings.services import reading_create
from tarot.models import Card
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, seeded_deck):
    user = UserFactory(email="reader@example.com")
    client.force_login(user)
    return user


def draw(client, spread="three-card-past-present-future", question="올해 나의 일은?", **extra):
    data = {"spread": spread, "question": question, "allow_reversed": "on", **extra}
    return client.post(reverse("readings:new"), data)


class TestHome:
    def test_anonymous_visitor_sees_the_site_card_of_the_day(self, client, seeded_deck):
        response = client.get("/")

        assert response.status_code == 200
        card = response.context["card"]
        assert card.name_ko in response.content.decode()
        assert DailyCard.objects.count() == 0

    def test_signed_in_user_gets_a_personal_daily_card_in_their_time_zone(self, client, reader):
        response = client.get("/")

        daily = DailyCard.objects.get(user=reader)
        assert daily.date == reader.local_date()
        assert response.context["card"] == daily.card

    def test_english_home_shows_english_card_names(self, client, seeded_deck):
        response = client.get("/en/")

        assert response.status_code == 200
        assert response.context["card"].name_en in response.content.decode()
        assert '<html lang="en">' in response.content.decode()


class TestReadingFlow:
    def test_anonymous_draw_redirects_to_its_share_link_with_all_cards(self, client, seeded_deck):
        response = draw(client)

        reading = Reading.objects.get()
        assert reading.user is None
        assert response.status_code == 302
        assert response.url == f"/s/{reading.share_token}/?drawn=1"
        page = client.get(response.url).content.decode()
        for drawn in reading.drawn_cards.select_related("card", "position"):
            assert drawn.card.name_ko in page
            assert drawn.position.prompt_ko in page
        # The link offered for passing on is the plain share link, without the first-view flag.
        assert f'value="http://testserver/s/{reading.share_token}/"' in page

    def test_signed_in_draw_lands_on_the_reading_page(self, client, reader):
        response = draw(client, spread="celtic-cross", allow_reversed="")

        reading = Reading.objects.get(user=reader)
        assert response.url == f"/readings/{reading.pk}/?drawn=1"
        page = client.get(response.url)
        assert page.status_code == 200
        assert len(page.context["cards"]) == 10
        assert not any(item.is_reversed for item in page.context["cards"])
        assert page.context["summary"]

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"spread": "no-such-spread"}, "spread"),
            ({"spread": ""}, "spread"),
            ({"question": "가" * 1000}, "question"),
            ({"question": "bad\x00byte"}, "question"),
        ],
    )
    def test_bad_input_is_a_form_error_and_stores_nothing(self, client, seeded_deck, data, field):
        response = draw(client, **data)

        assert response.status_code == 200
        assert response.context["form"].errors[field]
        assert Reading.objects.count() == 0

    def test_choose_page_preselects_the_spread_from_the_query(self, client, seeded_deck):
        response = client.get(reverse("readings:new") + "?spread=celtic-cross")

        assert response.status_code == 200
        assert 'value="celtic-cross" checked' in response.content.decode()


class TestOwnership:
    def test_another_users_reading_is_a_404_everywhere(self, client, seeded_deck):
        owner = UserFactory()
        reading = reading_create(user=owner, spread=seeded_deck_spread())
        client.force_login(UserFactory())

        assert client.get(reverse("readings:detail", args=[reading.pk])).status_code == 404
        assert (
            client.post(reverse("readings:notes", args=[reading.pk]), {"notes": "x"}).status_code
            == 404
        )
        assert client.post(reverse("readings:share", args=[reading.pk])).status_code == 404
        assert client.post(reverse("readings:delete", args=[reading.pk])).status_code == 404
        reading.refresh_from_db()
        assert reading.notes == "" and reading.share_token is None

    def test_anonymous_visitor_is_sent_to_log_in(self, client, seeded_deck):
        response = client.get(reverse("readings:journal"))

        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def seeded_deck_spread():
    from tarot.models import Spread

    return Spread.objects.get(slug="three-card-past-present-future")


class TestJournal:
    def test_notes_share_revoke_and_delete(self, client, reader):
        draw(client)
        reading = Reading.objects.get()
        detail = reverse("readings:detail", args=[reading.pk])

        client.post(reverse("readings:notes", args=[reading.pk]), {"notes": "마음에 남는 카드"})
        client.post(reverse("readings:share", args=[reading.pk]), {"action": "create"})
        reading.refresh_from_db()
        shared = client.get(f"/s/{reading.share_token}/")
        client.post(reverse("readings:share", args=[reading.pk]), {"action": "revoke"})
        revoked = client.get(f"/s/{reading.share_token}/")

        assert reading.notes == "마음에 남는 카드"
        assert "마음에 남는 카드" in client.get(detail).content.decode()
        assert shared.status_code == 200
        assert "마음에 남는 카드" not in shared.content.decode()
        assert reader.email not in shared.content.decode()
        assert shared["X-Robots-Tag"] == "noindex, nofollow"
        assert revoked.status_code == 404

        confirm = client.get(reverse("readings:delete", args=[reading.pk]))
        deleted = client.post(reverse("readings:delete", args=[reading.pk]))
        assert confirm.status_code == 200
        assert deleted.url == reverse("readings:journal")
        assert not Reading.objects.exists()

    def test_notes_over_the_limit_are_refused_and_kept_unchanged(self, client, reader):
        draw(client)
        reading = Reading.objects.get()

        response = client.post(
            reverse("readings:notes", args=[reading.pk]), {"notes": "x" * 10_001}
        )

        assert response.status_code == 400
        assert response.context["notes_form"].errors["notes"]
        reading.refresh_from_db()
        assert reading.notes == ""

    @pytest.mark.parametrize("count", [1, 30])
    def test_journal_query_count_does_not_grow_with_readings(
        self, client, reader, count, django_assert_num_queries
    ):
        spread = seeded_deck_spread()
        for _ in range(count):
            reading_create(user=reader, spread=spread)

        # session, user, count, the page of readings, their drawn cards with card and position
        with django_assert_num_queries(5):
            response = client.get(reverse("readings:journal"))

        assert response.status_code == 200
        assert len(response.context["page"].object_list) == min(count, 10)

    def test_journal_pages_newest_first_and_bad_page_numbers_fall_back(self, client, reader):
        spread = seeded_deck_spread()
        readings = [reading_create(user=reader, spread=spread, question=f"Q{n}") for n in range(12)]

        first = client.get(reverse("readings:journal"))
        out_of_range = client.get(reverse("readings:journal") + "?page=999")
        garbage = client.get(reverse("readings:journal") + "?page=abc")

        assert first.context["page"].object_list[0] == readings[-1]
        assert out_of_range.status_code == 200 and out_of_range.context["page"].number == 2
        assert garbage.status_code == 200 and garbage.context["page"].number == 1

    def test_daily_history_lists_past_daily_cards(self, client, reader):
        client.get("/")

        response = client.get(reverse("readings:daily"))

        assert response.status_code == 200
        assert len(response.context["history"].object_list) == 1


class TestEncyclopedia:
    def test_lists_all_78_cards_with_a_fixed_query_count(
        self, client, seeded_deck, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(4):
            response = client.get(reverse("tarot:card-list"))

        assert len(response.context["cards"]) == 78

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("?arcana=major", 22),
            ("?suit=cups", 14),
            ("?q=바보", 1),
            ("?q=fool", 1),
            ("?q=컵+2", 1),
            ("?suit=unknown", 78),
        ],
    )
    def test_filters_and_search_in_both_languages(self, client, seeded_deck, query, expected):
        response = client.get(reverse("tarot:card-list") + query)

        assert response.status_code == 200
        assert len(response.context["cards"]) == expected

    def test_card_detail_shows_meanings_and_neighbours(self, client, seeded_deck):
        response = client.get(reverse("tarot:card-detail", args=["the-magician"]))
        card = Card.objects.get(slug="the-magician")
        page = response.content.decode()

        assert card.meaning_upright_ko in page
        assert card.meaning_reversed_ko in page
        assert card.love_ko in page
        assert response.context["previous"].slug == "the-fool"
        assert response.context["following"].slug == "the-high-priestess"

    def test_unpublished_or_unknown_cards_are_404(self, client, seeded_deck):
        Card.objects.filter(slug="the-fool").update(is_published=False)

        assert client.get(reverse("tarot:card-detail", args=["the-fool"])).status_code == 404
        assert client.get(reverse("tarot:card-detail", args=["nope"])).status_code == 404


class TestAccounts:
    def test_sign_up_sends_a_confirmation_and_a_duplicate_gets_the_same_page(
        self, client, seeded_deck
    ):
        data = {"email": "New@Example.com", "password1": PASSWORD, "password2": PASSWORD}

        first = client.post(reverse("accounts:signup"), data, follow=True)
        again = client.post(
            reverse("accounts:signup"), {**data, "email": "new@example.COM"}, follow=True
        )

        assert (
            first.redirect_chain == again.redirect_chain == [(reverse("accounts:signup_sent"), 302)]
        )
        assert "이메일을 확인해 주세요" in again.content.decode()
        assert User.objects.get().email == "new@example.com"
        assert [message.to for message in mail.outbox] == [["new@example.com"]] * 2

    @pytest.mark.parametrize(
        ("password1", "password2", "field"),
        [("short", "short", "password1"), (PASSWORD, PASSWORD + "x", "password2")],
    )
    def test_sign_up_password_problems_are_field_errors(
        self, client, seeded_deck, password1, password2, field
    ):
        response = client.post(
            reverse("accounts:signup"),
            {"email": "a@example.com", "password1": password1, "password2": password2},
        )

        assert response.context["form"].errors[field]
        assert not User.objects.exists()

    def test_log_in_with_email_in_any_case(self, client, seeded_deck):
        UserFactory(email="reader@example.com")

        response = client.post(
            reverse("accounts:login"), {"username": "READER@example.com", "password": PASSWORD}
        )

        assert response.status_code == 302

    def test_password_reset_sends_a_working_link(self, client, seeded_deck):
        UserFactory(email="reader@example.com")

        client.post(reverse("accounts:password_reset"), {"email": "reader@example.com"})

        assert len(mail.outbox) == 1
        link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
        assert client.get(urllib.parse.urlsplit(link).path, follow=True).status_code == 200

    def test_preferences_validate_and_save(self, client, reader):
        url = reverse("accounts:preferences")
        good = {
            "language": "en",
            "time_zone": "America/New_York",
            "notifications_enabled": "on",
            "notification_time": "07:30",
            "notification_channel": "sms",
            "phone_number": "+821012345678",
        }

        bad = client.post(url, {**good, "phone_number": "", "time_zone": "Mars/Base"})
        saved = client.post(url, good)
        reader.refresh_from_db()

        assert bad.status_code == 200
        assert set(bad.context["form"].errors) == {"phone_number", "time_zone"}
        assert saved.status_code == 302 and saved.url == "/en/accounts/preferences/"
        assert (reader.language, reader.time_zone, reader.phone_number) == (
            "en",
            "America/New_York",
            "+821012345678",
        )

    def test_export_downloads_profile_readings_and_daily_cards(self, client, reader):
        draw(client)
        client.get("/")

        response = client.get(reverse("accounts:export"))
        data = json.loads(response.content)

        assert response["Content-Disposition"].startswith("attachment;")
        assert data["profile"]["email"] == "reader@example.com"
        assert len(data["readings"]) == 1 and len(data["readings"][0]["cards"]) == 3
        assert len(data["daily_cards"]) == 1
        assert data["notifications"] == []

    def test_delete_account_needs_the_password_and_removes_everything(self, client, reader):
        draw(client)
        url = reverse("accounts:delete")

        wrong = client.post(url, {"password": "wrong"})
        right = client.post(url, {"password": PASSWORD})

        assert wrong.context["form"].errors["password"]
        assert right.status_code == 302
        assert not User.objects.exists()
        assert not Reading.objects.exists()


class TestSiteChrome:
    def test_robots_txt(self, client):
        response = client.get("/robots.txt")

        assert response.status_code == 200
        assert "Disallow: /s/" in response.content.decode()

    def test_404_page_is_styled(self, client, seeded_deck):
        response = client.get("/no/such/page/")

        assert response.status_code == 404
        assert "error-page" in response.content.decode()

    def test_tampered_csrf_is_a_403_not_a_500(self, seeded_deck):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        response = strict.post(reverse("readings:new"), {"spread": "single-card"})

        assert response.status_code == 403


class TestQueryCounts:
    """Every page does a fixed amount of database work, whatever the data."""

    def test_anonymous_home(self, client, seeded_deck, django_assert_num_queries):
        # deck, its card ids, the card of the day, spreads, their positions; then the cache.
        with django_assert_num_queries(5):
            assert client.get("/").status_code == 200
        with django_assert_num_queries(0):
            assert client.get("/").status_code == 200

    def test_card_detail(self, client, seeded_deck, django_assert_num_queries):
        # deck, card, previous and next card; then the cache.
        with django_assert_num_queries(4):
            assert client.get(reverse("tarot:card-detail", args=["the-moon"])).status_code == 200
        with django_assert_num_queries(0):
            assert client.get(reverse("tarot:card-detail", args=["the-moon"])).status_code == 200

    @pytest.mark.parametrize("spread", ["single-card", "celtic-cross"])
    def test_reading_detail_for_any_spread_size(
        self, client, reader, spread, django_assert_num_queries
    ):
        from tarot.models import Spread

        reading = reading_create(user=reader, spread=Spread.objects.get(slug=spread))

        # session, user, the reading with spread and deck, its drawn cards, the spread's positions
        with django_assert_num_queries(5):
            response = client.get(reverse("readings:detail", args=[reading.pk]))

        assert response.status_code == 200


def test_logging_in_switches_the_site_to_the_users_language(client, seeded_deck):
    UserFactory(email="en@example.com", language="en")

    response = client.post(
        reverse("accounts:login"), {"username": "en@example.com", "password": PASSWORD}
    )

    assert response.url == "/en/"
    assert response.cookies["django_language"].value == "en"
