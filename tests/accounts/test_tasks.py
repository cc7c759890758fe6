import datetime

import pytest
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.tasks import expired_tokens_flush_task
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_expired_refresh_tokens_are_flushed_and_live_ones_kept():
    user = UserFactory()
    now = timezone.now()
    OutstandingToken.objects.create(
        user=user, jti="old", token="x", created_at=now, expires_at=now - datetime.timedelta(1)
    )
    OutstandingToken.objects.create(
        user=user, jti="new", token="y", created_at=now, expires_at=now + datetime.timedelta(1)
    )

    expired_tokens_flush_task()

    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == ["new"]
