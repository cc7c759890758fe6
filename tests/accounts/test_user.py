import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import RequestFactory

from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_users_sign_in_with_their_email_in_any_case():
    UserFactory(email="Reader@Example.com")

    # django-axes (first in AUTHENTICATION_BACKENDS) needs the request to count failures.
    request = RequestFactory().post("/accounts/login/")
    credentials = {"email": "READER@example.COM", "password": "correct horse battery"}

    assert authenticate(request, **credentials) is not None
    assert User.objects.get().email == "reader@example.com"


def test_the_same_email_in_another_case_cannot_register_twice():
    UserFactory(email="reader@example.com")

    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="READER@example.com")])


def test_superuser_needs_no_username():
    admin = User.objects.create_superuser("boss@example.com", "s3cret-pass-phrase")

    assert admin.is_staff and admin.is_superuser
    assert admin.get_username() == "boss@example.com"


@pytest.mark.parametrize(
    ("field", "value"),
    [("time_zone", "Mars/Olympus_Mons"), ("phone_number", "010-1234-5678"), ("language", "fr")],
)
def test_bad_preferences_are_refused_with_the_field_named(field, value):
    user = UserFactory.build(**{field: value})

    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])

    assert field in error.value.message_dict


def test_good_preferences_validate():
    user = UserFactory.build(time_zone="America/New_York", phone_number="+821012345678")

    user.full_clean(exclude=["password"])
