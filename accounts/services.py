"""Account actions: sign-up, preferences, export of a person's data, deletion."""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from readings.models import DailyCard, NotificationDelivery, Reading
from tarot.errors import ApplicationError, ConflictError

from .models import User, UserManager

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
    *, email: str, password: str, language: str = "ko", time_zone: str = "Asia/Seoul"
) -> User:
    """Create an account; the email must be new (in any letter case) and the password strong."""
    email = UserManager.normalize_email(email)
    user = User(email=email, language=language, time_zone=time_zone)
    try:
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
        validate_password(password, user)
    except ValidationError as error:
        fields = _fields_of(error)
        if "non_field_errors" in fields and not hasattr(error, "error_dict"):
            fields = {"password": fields.pop("non_field_errors")}
        raise ApplicationError("The account could not be created.", fields=fields) from error
    if User.objects.filter(email__iexact=email).exists():
        raise ConflictError(
            "An account with this email already exists.",
            fields={"email": ["An account with this email already exists."]},
        )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ConflictError(
            "An account with this email already exists.",
            fields={"email": ["An account with this email already exists."]},
        ) from error
    return user


def user_update_preferences(*, user: User, **changes) -> User:
    """Change preferences; all are validated together and nothing is saved if one is wrong."""
    unknown = set(changes) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ApplicationError(
            "Unknown preference.", fields={name: ["Unknown field."] for name in sorted(unknown)}
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
            errors.setdefault(name, []).append("NUL characters are not allowed.")
    if user.notifications_enabled and user.notification_channel == "sms" and not user.phone_number:
        errors.setdefault("phone_number", []).append(
            "A phone number is needed for SMS notifications."
        )
    if errors:
        user.refresh_from_db()
        raise ApplicationError("The preferences could not be saved.", fields=errors)
    user.save(update_fields=list(changes))
    return user


def user_export_data(*, user: User) -> dict:
    """Everything the service holds about the person, as JSON-ready data."""
    readings = (
        Reading.objects.filter(user=user)
        .select_related("spread")
        .prefetch_related("drawn_cards__card", "drawn_cards__position")
        .order_by("created_at")
    )
    daily_cards = DailyCard.objects.filter(user=user).select_related("card").order_by("date")
    deliveries = NotificationDelivery.objects.filter(user=user).order_by("local_date")
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
        "readings": [
            {
                "id": reading.pk,
                "created_at": reading.created_at.isoformat(),
                "spread": reading.spread.slug,
                "question": reading.question,
                "notes": reading.notes,
                "shared": bool(reading.share_token),
                "cards": [
                    {
                        "position": drawn.position.order,
                        "position_name": drawn.position.name,
                        "card": drawn.card.slug,
                        "card_name": drawn.card.name,
                        "reversed": drawn.is_reversed,
                    }
                    for drawn in reading.drawn_cards.all()
                ],
            }
            for reading in readings
        ],
        "daily_cards": [
            {"date": daily.date.isoformat(), "card": daily.card.slug, "reversed": daily.is_reversed}
            for daily in daily_cards
        ],
        "notifications": [
            {
                "date": delivery.local_date.isoformat(),
                "channel": delivery.channel,
                "status": delivery.status,
                "sent_at": delivery.sent_at.isoformat() if delivery.sent_at else None,
            }
            for delivery in deliveries
        ],
    }


def user_delete(*, user: User, password: str) -> None:
    """Delete the account with its readings and daily cards, once the password is confirmed."""
    if not user.check_password(password or ""):
        raise ApplicationError(
            "The password is not correct.", fields={"password": ["The password is not correct."]}
        )
    with transaction.atomic():
        user.delete()
