import pytest
from django.core.management import call_command

from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory


@pytest.fixture
def editor(db) -> User:
    """A content editor made the way operators make them: with the create_editor command."""
    call_command("create_editor", "editor@example.com", stdout=None)
    user = User.objects.get(email="editor@example.com")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root@example.com", PASSWORD)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def staff_without_group(db) -> User:
    return UserFactory(is_staff=True)
