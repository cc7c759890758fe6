"""Content editors: staff in the "Content editors" group, who manage the deck in the admin."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.permissions import CONTENT_EDITOR_PERMISSIONS

from .emails import editor_invitation_send
from .models import User, UserManager

CONTENT_EDITORS_GROUP = "Content editors"


def _content_editors_group() -> Group:
    """The group; recreated with its permissions if someone deleted it since the migration."""
    group = Group.objects.filter(name=CONTENT_EDITORS_GROUP).first()
    if group is not None:
        return group
    permissions = [
        Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        for app_label, codename in (name.split(".") for name in CONTENT_EDITOR_PERMISSIONS)
    ]
    if None in permissions:
        raise ApplicationError(_("The deck permissions do not exist yet; run `manage.py migrate`."))
    group = Group.objects.create(name=CONTENT_EDITORS_GROUP)
    group.permissions.set(permissions)
    return group


def editor_create(*, email: str) -> tuple[User, bool]:
    """Make the person with this email a content editor (staff, in the group); idempotent.

    A new account gets an unusable password: the editor chooses one through the link of
    ``editor_invite``. Returns the user and whether the account was created.
    """
    email = UserManager.normalize_email(email)
    try:
        validate_email(email)
    except ValidationError as error:
        raise ApplicationError(
            _("“%(email)s” is not a valid email address.") % {"email": email},
            fields={"email": error.messages},
        ) from error
    with transaction.atomic():
        group = _content_editors_group()
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(email, password=None, is_staff=True)
        elif not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
    return user, created


def editor_invite(*, user: User) -> str | None:
    """Mail an editor without a password a link to choose one (single use, for 72 hours, in the
    editor's language); returns the link, or None when the editor has a password already.

    Django's password reset sends nothing to an account without a usable password, so the
    invitation is the only way in besides ``changepassword``."""
    if user.has_usable_password():
        return None
    return editor_invitation_send(user=user)
