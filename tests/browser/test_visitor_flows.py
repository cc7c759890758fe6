"""A visitor's journeys through the real site in headless Chromium."""

import re
import urllib.parse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from readings.models import Reading
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, seeded_deck):
    return live_server.url


def draw_three_cards(page, site, question="새 직장으로 옮겨도 될까요?"):
    page.goto(f"{site}/readings/new/")
    page.locator("label.spread-choice", has_text="과거·현재·미래").click()
    page.locator("textarea[name=question]").fill(question)
    page.locator(".reading-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"drawn=1"))


def test_anonymous_visitor_draws_three_cards_and_sees_them_turn_over(page, site):
    draw_three_cards(page, site)

    cards = page.locator(".drawn-cards .tarot-card")
    assert cards.count() == 3
    # The reveal finishes within a couple of seconds; then no card is face down.
    # An arrow function: a bare expression would be eval'd, which the CSP forbids.
    page.wait_for_function(
        "() => document.querySelectorAll('.tarot-card.is-revealed').length === 3"
    )
    assert page.locator(".tarot-card.is-face-down").count() == 0
    for index in range(3):
        alt = cards.nth(index).locator(".tarot-card__face").get_attribute("alt")
        assert alt and "—" in alt
    assert Reading.objects.get().user is None


def test_without_javascript_the_form_posts_and_the_result_renders_face_up(new_context, site):
    page = new_context(java_script_enabled=False).new_page()

    draw_three_cards(page, site)

    assert page.locator(".drawn-cards .tarot-card").count() == 3
    assert page.locator(".tarot-card.is-face-down").count() == 0
    assert page.locator(".summary").is_visible()


def test_sign_up_confirm_note_share_and_a_stranger_sees_cards_but_not_the_note(new_context, site):
    page = new_context().new_page()
    page.goto(f"{site}/accounts/signup/")
    page.locator("input[name=email]").fill("seeker@example.com")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(f"{site}/accounts/signup/sent/")
    # The live server runs in this process: its locmem outbox is this test's mail.outbox.
    [confirmation] = mail.outbox
    link = next(word for word in confirmation.body.split() if "/signup/confirm/" in word)
    page.goto(f"{site}{urllib.parse.urlsplit(link).path}")
    page.get_by_role("button", name="확인하고 로그인하기").click()
    page.wait_for_url(f"{site}/")

    draw_three_cards(page, site, question="이번 달 나의 연애운은?")
    page.locator("textarea[name=notes]").fill("두 번째 카드가 마음에 걸린다")
    page.locator("form[action$='/notes/'] button").click()
    page.wait_for_load_state()
    page.locator("form[action$='/share/'] button").click()
    page.wait_for_load_state()
    share_url = page.locator("#share-url").input_value()
    card_names = page.locator(".drawn-card h3 a").all_inner_texts()

    stranger = new_context().new_page()
    stranger.goto(share_url)

    body = stranger.locator("body").inner_text()
    assert stranger.locator(".drawn-cards .tarot-card").count() == 3
    for name in card_names:
        assert name in body
    assert "두 번째 카드가 마음에 걸린다" not in body
    assert "seeker@example.com" not in body
    assert stranger.locator("meta[name=robots]").get_attribute("content") == "noindex, nofollow"


def test_switching_to_english_shows_english_card_names(page, site):
    page.goto(f"{site}/cards/the-fool/")
    assert page.locator("h1").inner_text() == "바보"

    page.locator("a.language-link[hreflang=en]").click()
    page.wait_for_url(f"{site}/en/cards/the-fool/")

    assert page.locator("h1").inner_text() == "The Fool"
    assert page.locator("html").get_attribute("lang") == "en"


def axe_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_key_pages_have_no_axe_violations(new_context, site, width):
    user = UserFactory(email="axe@example.com")
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    anonymous_pages = [
        "/",
        "/cards/",
        "/cards/the-tower/",
        "/accounts/signup/",
        "/accounts/signup/sent/",
        "/en/",
    ]
    problems = {}
    for path in anonymous_pages:
        page.goto(site + path)
        problems[path] = axe_violations(page)

    page.goto(f"{site}/accounts/login/")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url(f"{site}/")
    draw_three_cards(page, site)
    # An arrow function: a bare expression would be eval'd, which the CSP forbids.
    page.wait_for_function(
        "() => document.querySelectorAll('.tarot-card.is-revealed').length === 3"
    )
    problems["reading result"] = axe_violations(page)
    page.goto(f"{site}/journal/")
    problems["/journal/"] = axe_violations(page)

    assert {path: found for path, found in problems.items() if found} == {}


@pytest.mark.parametrize("width", [360, 390, 1280, 1440])
def test_card_art_is_shown_at_every_width(new_context, site, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()

    for path in ["/", "/cards/the-star/"]:
        page.goto(site + path)
        face = page.locator(".tarot-card__face").first
        box = face.bounding_box()
        assert box is not None and box["width"] >= 150, (path, box)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
