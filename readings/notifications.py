"""Notification channels: the daily card by email (Django's email backend) or by SMS.

Messages are written per language (``templates/email/<language>/``, ``templates/sms/<language>/``)
and carry absolute links built from ``settings.SITE_URL``. Channels turn every backend failure
into a ``NotificationSendError`` that says whether trying again could help.
"""

import json
import logging
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol
from urllib.request import urlopen

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.links import site_url
from tarot.numerals import roman_numeral

from .models import DailyCard, NotificationDelivery

logger = logging.getLogger(__name__)

SMS_TIMEOUT_SECONDS = 10


class NotificationSendError(Exception):
    """A send failed. ``permanent`` failures (a refused address, no phone) are not retried."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def daily_card_message_context(*, user: User, daily_card: DailyCard) -> dict:
    """What every daily-card message says, texts and links in the user's language."""
    card = daily_card.card
    with translation.override(user.language):
        text = card.text_for(is_reversed=daily_card.is_reversed)
        return {
            "language": user.language,
            "display_name": user.display_name,
            "date": daily_card.date,
            "card": card,
            "card_name": card.name,
            "card_numeral": roman_numeral(card.number) if card.is_major else "",
            "is_reversed": daily_card.is_reversed,
            "summary": text.summary,
            "keywords": text.keywords,
            "advice": card.advice,
            "card_url": site_url(card.get_absolute_url()),
            "daily_url": site_url(reverse("readings:daily")),
            "preferences_url": site_url(reverse("accounts:preferences")),
            "site_url": site_url(reverse("home")),
        }


def daily_card_email_build(
    *, user: User, daily_card: DailyCard, delivery: NotificationDelivery | None = None
) -> EmailMultiAlternatives:
    """The daily-card email (plain text with an HTML alternative) in the user's language."""
    with translation.override(user.language):
        context = daily_card_message_context(user=user, daily_card=daily_card)
        directory = f"email/{user.language}"
        subject = render_to_string(f"{directory}/daily_card_subject.txt", context)
        text = render_to_string(f"{directory}/daily_card.txt", context)
        html = render_to_string(f"{directory}/daily_card.html", context)
    headers = {"List-Unsubscribe": f"<{context['preferences_url']}>"}
    if delivery is not None:
        # The same Message-ID on every attempt lets mail systems drop a duplicate of a retry.
        domain = urllib.parse.urlsplit(settings.SITE_URL).hostname or "localhost"
        headers["Message-ID"] = f"<daily-card-{delivery.pk}@{domain}>"
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def daily_card_sms_text(*, user: User, daily_card: DailyCard) -> str:
    with translation.override(user.language):
        context = daily_card_message_context(user=user, daily_card=daily_card)
        text = render_to_string(f"sms/{user.language}/daily_card.txt", context)
    return " ".join(text.split())


def _smtp_error_is_permanent(error: smtplib.SMTPException) -> bool:
    """5xx answers mean the server will refuse again; 4xx, timeouts and drops may pass later."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


class EmailChannel:
    """Sends through one connection of Django's email backend, opened once for a batch."""

    def __init__(self) -> None:
        self._connection = None

    def send(self, *, user: User, daily_card: DailyCard, delivery: NotificationDelivery) -> None:
        message = daily_card_email_build(user=user, daily_card=daily_card, delivery=delivery)
        try:
            if self._connection is None:
                self._connection = get_connection(fail_silently=False)
                self._connection.open()
            message.connection = self._connection
            message.send()
        except smtplib.SMTPException as error:
            self.close()
            raise NotificationSendError(
                f"SMTP: {error}", permanent=_smtp_error_is_permanent(error)
            ) from error
        except OSError as error:
            self.close()
            raise NotificationSendError(f"Mail server unreachable: {error}") from error

    def close(self) -> None:
        """Close the batch's connection; a later send opens a fresh one."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):
                logger.warning("Closing the mail connection failed", exc_info=True)


class SmsBackend(Protocol):
    def send(self, *, phone_number: str, text: str, idempotency_key: str) -> None:
        """Hand one message to the provider or raise NotificationSendError."""


@dataclass(frozen=True)
class SmsMessage:
    phone_number: str
    text: str
    idempotency_key: str


# The mock backend's outbox, like django.core.mail.outbox: tests read and clear it.
sms_outbox: list[SmsMessage] = []


class MockSmsBackend:
    """Development and tests: records each message in memory and logs it; nothing leaves."""

    def send(self, *, phone_number: str, text: str, idempotency_key: str) -> None:
        sms_outbox.append(SmsMessage(phone_number, text, idempotency_key))
        # Only the last digits: the log must not become a list of phone numbers.
        logger.info("Mock SMS to …%s: %s", phone_number[-4:], text)


class HttpSmsBackend:
    """Posts JSON ``{"to", "text"}`` to ``SMS_API_URL`` with ``Authorization: Bearer SMS_API_KEY``.

    The ``Idempotency-Key`` header is the same on every attempt of one notification, so a
    provider that honours it never delivers a retried message twice.
    """

    def __init__(self, *, url: str, api_key: str) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("https", "http") or not api_key:
            raise NotificationSendError(
                "SMS is not configured: SMS_BACKEND is 'http' but SMS_API_URL (http or https) "
                "or SMS_API_KEY is missing.",
                permanent=True,
            )
        self.url = url
        self.api_key = api_key

    def send(self, *, phone_number: str, text: str, idempotency_key: str) -> None:
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url,
            data=json.dumps({"to": phone_number, "text": text}).encode(),
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "Content-Type": "application/json",
                "Idempotency-Key": idempotency_key,
            },
            method="POST",
        )
        try:
            # Not a file: or custom scheme: __init__ refuses any SMS_API_URL but http(s).
            with urlopen(request, timeout=SMS_TIMEOUT_SECONDS):  # noqa: S310  # nosec B310
                pass
        except urllib.error.HTTPError as error:
            retry_may_help = error.code == 429 or error.code >= 500
            raise NotificationSendError(
                f"SMS provider answered {error.code}", permanent=not retry_may_help
            ) from error
        except (urllib.error.URLError, OSError) as error:
            raise NotificationSendError(f"SMS provider unreachable: {error}") from error


def sms_backend_get() -> SmsBackend:
    if settings.SMS_BACKEND == "mock":
        return MockSmsBackend()
    if settings.SMS_BACKEND == "http":
        return HttpSmsBackend(url=settings.SMS_API_URL, api_key=settings.SMS_API_KEY)
    raise NotificationSendError(
        f"Unknown SMS_BACKEND {settings.SMS_BACKEND!r}: use 'mock' or 'http'.", permanent=True
    )


class SmsChannel:
    def __init__(self) -> None:
        self._backend: SmsBackend | None = None

    def send(self, *, user: User, daily_card: DailyCard, delivery: NotificationDelivery) -> None:
        if not user.phone_number:
            raise NotificationSendError("No phone number for SMS notifications.", permanent=True)
        if self._backend is None:
            self._backend = sms_backend_get()
        self._backend.send(
            phone_number=user.phone_number,
            text=daily_card_sms_text(user=user, daily_card=daily_card),
            idempotency_key=f"daily-card-{delivery.pk}",
        )

    def close(self) -> None:
        self._backend = None


class NotificationChannels:
    """One email connection and one SMS backend, shared by a batch of sends."""

    def __init__(self) -> None:
        self._channels = {
            User.Channel.EMAIL: EmailChannel(),
            User.Channel.SMS: SmsChannel(),
        }

    def __enter__(self) -> "NotificationChannels":
        return self

    def __exit__(self, *exc_info) -> None:
        for channel in self._channels.values():
            channel.close()

    def send(
        self, *, channel: str, user: User, daily_card: DailyCard, delivery: NotificationDelivery
    ) -> None:
        self._channels[channel].send(user=user, daily_card=daily_card, delivery=delivery)
