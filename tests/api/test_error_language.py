"""The services' refusals reach the client in its language: Korean by default or when asked
for, English with ``Accept-Language: en``, in the message and in each field's messages."""

import pytest

from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

KOREAN = {"HTTP_ACCEPT_LANGUAGE": "ko"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
DEFAULT: dict[str, str] = {}


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (KOREAN, "가입을 마치려면 이메일을 확인해 주세요."),
        (DEFAULT, "가입을 마치려면 이메일을 확인해 주세요."),
        (ENGLISH, "Check your email to finish signing up."),
    ],
)
def test_a_sign_up_is_answered_in_the_clients_language(anon_client, user, headers, message):
    response = anon_client.post(
        "/api/v1/auth/register/",
        {"email": user.email, "password": "a long passphrase"},
        format="json",
        **headers,
    )

    assert response.status_code == 202
    assert response["Content-Language"] == ("en" if headers is ENGLISH else "ko")
    assert response.json() == {"detail": message}


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        (KOREAN, "비밀번호가 맞지 않아요."),
        (DEFAULT, "비밀번호가 맞지 않아요."),
        (ENGLISH, "The password is not correct."),
    ],
)
def test_a_wrong_password_keeps_the_account_in_the_clients_language(user_client, headers, message):
    response = user_client.delete("/api/v1/me/", {"password": "wrong"}, format="json", **headers)

    assert response.status_code == 400
    assert error_of(response) == {
        "code": "invalid",
        "message": message,
        "fields": {"password": [message]},
    }


@pytest.mark.parametrize(
    ("headers", "message", "phone_number_message"),
    [
        (KOREAN, "설정을 저장하지 못했어요.", "SMS 알림을 받으려면 전화번호가 필요해요."),
        (DEFAULT, "설정을 저장하지 못했어요.", "SMS 알림을 받으려면 전화번호가 필요해요."),
        (
            ENGLISH,
            "The preferences could not be saved.",
            "A phone number is needed for SMS notifications.",
        ),
    ],
)
def test_sms_without_a_phone_number_is_refused_in_the_clients_language(
    user_client, headers, message, phone_number_message
):
    response = user_client.patch(
        "/api/v1/me/",
        {"notifications_enabled": True, "notification_channel": "sms", "phone_number": ""},
        format="json",
        **headers,
    )

    assert response.status_code == 400
    assert error_of(response) == {
        "code": "invalid",
        "message": message,
        "fields": {"phone_number": [phone_number_message]},
    }
