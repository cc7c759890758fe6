"""A content editor's journey: sign in to the admin, rewrite a meaning, see it on the site."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from tarot.models import Card
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NEW_MEANING = (
    "바보는 두려움 없이 첫걸음을 내딛는 순수한 용기예요. 편집자가 방금 고쳐 쓴 문장이에요."
)


@pytest.fixture
def editor(seeded_deck) -> User:
    call_command("create_editor", "editor@example.com", stdout=None)
    user = User.objects.get(email="editor@example.com")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_an_editor_changes_a_korean_meaning_and_the_card_page_shows_it(page, live_server, editor):
    site = live_server.url
    fool = Card.objects.get(slug="the-fool")
    public_page = f"{site}/cards/the-fool/"
    page.goto(public_page)
    assert NEW_MEANING not in page.content()

    page.goto(f"{site}{reverse('admin:login')}")
    page.locator("input[name=username]").fill("editor@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(f"{site}{reverse('admin:index')}")
    page.goto(f"{site}{reverse('admin:tarot_card_change', args=[fool.pk])}")
    assert page.locator(".card-art-preview img").count() == 1
    # The generated face really loads (no upload yet, so it is the only preview).
    page.wait_for_function("() => document.querySelector('.card-art-preview img').naturalWidth > 0")
    page.locator("textarea[name=meaning_upright_ko]").fill(NEW_MEANING)
    page.locator("input[name=_save]").click()
    page.wait_for_url(re.compile(re.escape(reverse("admin:tarot_card_changelist"))))
    assert page.locator(".messagelist .success").count() == 1

    page.goto(public_page)

    assert page.get_by_text(NEW_MEANING).is_visible()
    fool.refresh_from_db()
    assert fool.meaning_upright_ko == NEW_MEANING
