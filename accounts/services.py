"""Account actions: sign-up and its confirmation, preferences, export of a person's data,
deletion."""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from .emails import signup_confirmation_send, signup_taken_notice_send
from .models import User, UserManager
from .tokens import refresh_tokens_revoke

PREFERENCE_FIELDS = (
    "display_name",
    "language",
    "time_zone",
    "notifications_enabled",
    "notification_time",
    "notification_channel",
    "phone_number",
)


def _fields_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"non_field_errors": [str(message) for message in error.messages]}


def user_register(
    *, email: str, password: str, language: str | None = None, time_zone: str | None = None
) -> None:
    """Ask for an account; the answer never tells whether the email already has one.

    A new email gets an inactive account and a link that confirms it
    (``user_signup_confirm``); an account that was never confirmed gets the new password and a
    fresh link (the old one dies with the old password). An email with a confirmed account gets a
    notice, in its owner's language, and the account stays as it was. The password is hashed on
    every path so that the time taken tells nothing either. Invalid input is an
    ``ApplicationError`` naming the fields, alike for every email.

    Without a ``language`` or ``time_zone`` the account gets the site's (the User defaults:
    ``settings.LANGUAGE_CODE``, ``settings.TIME_ZONE``)."""
    email = UserManager.normalize_email(email)
    candidate = User(email=email, is_active=False)
    if language is not None:
        candidate.language = language
    if time_zone is not None:
        candidate.time_zone = time_zone
    try:
        candidate.full_clean(
            exclude=["password"], validate_unique=False, validate_constraints=False
        )
        validate_password(password, candidate)
    except ValidationError as error:
        fields = _fields_of(error)
        if "non_field_errors" in fields and not hasattr(error, "error_dict"):
            fields = {"password": fields.pop("non_field_errors")}
        raise ApplicationError(_("The account could not be created."), fields=fields) from error
    password_hash = make_password(password)
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email__iexact=email).first()
        # An account that signed in once and is inactive now was closed by an administrator:
        # a sign-up only ever finishes accounts that never got going, it reopens none.
        taken = existing is not None and (existing.is_active or existing.last_login is not None)
        if not taken:
            user = existing or candidate
            user.password = password_hash
            user.language = candidate.language
            user.time_zone = candidate.time_zone
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:
                # A sign-up for the same email won the race: its confirmation is on its way.
                return
    if taken:
        signup_taken_notice_send(user=existing)
    else:
        signup_confirmation_send(user=user)


def user_signup_confirm(*, user: User) -> User:
    """Activate an account whose emailed link was checked (``signup_confirmation_tokens``)."""
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def user_update_preferences(*, user: User, **changes) -> User:
    """Change preferences; all are validated together and nothing is saved if one is wrong."""
    unknown = set(changes) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ApplicationError(
            _("Unknown preference."),
            fields={name: [_("Unknown field.")] for name in sorted(unknown)},
        )
    for name, value in changes.items():
        setattr(user, name, value)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors.update(_fields_of(error))
    # PostgreSQL cannot store NUL in text: refused here, by name, instead of a database error.
    for name, value in changes.items():
        if isinstance(value, str) and "\x00" in value:
            errors.setdefault(name, []).append(_("NUL characters are not allowed."))
    if (
        user.notifications_enabled
        and user.notification_channel == User.Channel.SMS
        and not user.phone_number
    ):
        errors.setdefault("phone_number", []).append(
            _("A phone number is needed for SMS notifications.")
        )
    if errors:
        user.refresh_from_db()
        raise ApplicationError(_("The preferences could not be saved."), fields=errors)
    user.save(update_fields=list(changes))
    return user


# What other apps hold about a person, by the key it has in the export (readings adds its
# readings, daily cards and notifications): accounts sits below them and imports none of them.
_export_sections: dict[str, Callable[[User], Any]] = {}


def user_export_section_register(name: str, build: Callable[[User], Any]) -> None:
    """Add ``build(user)``'s JSON-ready value to every export, under ``name``."""
    _export_sections[name] = build


def user_export_data(*, user: User) -> dict:
    """Everything the service holds about the person, as JSON-ready data."""
    return {
        "exported_at": datetime.datetime.now(tz=datetime.UTC).isoformat(),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
            "language": user.language,
            "time_zone": user.time_zone,
            "notifications_enabled": user.notifications_enabled,
            "notification_time": user.notification_time.isoformat(timespec="minutes"),
            "notification_channel": user.notification_channel,
            "phone_number": user.phone_number,
        },
        **{name: build(user) for name, build in _export_sections.items()},
    }


def user_sign_out_everywhere(*, user: User) -> None:
    """End every web session and every API refresh token of the account, this one's included."""
    with transaction.atomic():
        user.session_generation += 1
        user.save(update_fields=["session_generation"])
        refresh_tokens_revoke(user_id=user.pk)


def user_delete(*, user: User, password: str) -> None:
    """Delete the account with its readings and daily cards, once the password is confirmed."""
    if not user.check_password(password or ""):
        message = _("The password is not correct.")
        raise ApplicationError(message, fields={"password": [message]})
    with transaction.atomic():
        user.delete()
