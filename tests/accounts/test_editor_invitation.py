"""`create_editor` mails a new editor an invitation that sets the first password: it works once,
dies once used or after 72 hours, and a mistyped link is a clear page."""

import datetime
import io
import re
import urllib.parse

import pytest
import time_machine
from django.contrib.auth import get_user
from django.core import mail
from django.core.management import call_command
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db

SENT_AT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
NEW_PASSWORD = "a brand new passphrase 7"


def invite(email: str = "editor@example.com") -> str:
    output = io.StringIO()
    call_command("create_editor", email, stdout=output)
    return output.getvalue()


def invitation_path() -> str:
    link = next(word for word in mail.outbox[-1].body.split() if "/invitation/" in word)
    assert link.startswith("http://127.0.0.1:8000/accounts/invitation/")
    return urllib.parse.urlsplit(link).path


def choose_password(client: Client, path: str):
    form_page = client.get(path, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


@time_machine.travel(SENT_AT, tick=False)
def test_the_command_says_the_invitation_was_sent_in_the_editors_language():
    output = invite()

    assert "Sent an invitation to editor@example.com" in output
    assert "changepassword" not in output
    assert mail.outbox[0].to == ["editor@example.com"]
    assert mail.outbox[0].subject == "타로 마스터 편집자로 초대되었어요"
    assert "72시간" in mail.outbox[0].body


def test_in_development_the_operator_also_sees_the_link(settings):
    settings.DEBUG = True

    output = invite()

    assert "http://127.0.0.1:8000/accounts/invitation/" in output


def test_outside_development_the_link_stays_out_of_the_output():
    output = invite()

    assert "/invitation/" not in output


def test_the_invitation_sets_the_first_password_and_signs_the_editor_in():
    invite()
    client = Client()

    response = choose_password(client, invitation_path())

    assert response.status_code == 302
    editor = User.objects.get(email="editor@example.com")
    assert editor.check_password(NEW_PASSWORD)
    assert get_user(client) == editor


def test_the_invitation_works_once():
    invite()
    path = invitation_path()
    choose_password(Client(), path)

    again = Client().get(path, follow=True)

    assert again.status_code == 200
    assert "초대 링크가 만료되었어요" in again.content.decode()


def test_the_invitation_expires_after_72_hours():
    with time_machine.travel(SENT_AT, tick=False):
        invite()
    path = invitation_path()

    with time_machine.travel(SENT_AT + datetime.timedelta(hours=71, minutes=59), tick=False):
        still_valid = Client().get(path, follow=True)
    with time_machine.travel(SENT_AT + datetime.timedelta(hours=72, seconds=1), tick=False):
        expired = Client().get(path, follow=True)

    assert "new_password1" in still_valid.content.decode()
    assert "초대 링크가 만료되었어요" in expired.content.decode()
    assert "new_password1" not in expired.content.decode()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda path: path[:-4] + "zz/",
        lambda path: re.sub(r"/invitation/[^/]+/", "/invitation/%%%/", path),
        lambda path: path.rsplit("/", 2)[0] + "/not-a-token/",
    ],
    ids=["token", "user id", "shape"],
)
def test_a_mistyped_invitation_is_a_clear_page(mangle):
    invite()

    response = Client().get(mangle(invitation_path()), follow=True)

    assert response.status_code == 200
    assert "초대 링크가 만료되었어요" in response.content.decode()
    assert not User.objects.get(email="editor@example.com").has_usable_password()


def test_a_password_reset_token_is_no_invitation():
    from django.contrib.auth.tokens import default_token_generator

    invite()
    editor = User.objects.get(email="editor@example.com")
    path = invitation_path()
    forged = path.rsplit("/", 2)[0] + f"/{default_token_generator.make_token(editor)}/"

    response = Client().get(forged, follow=True)

    assert "초대 링크가 만료되었어요" in response.content.decode()
