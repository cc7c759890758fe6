from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tarot.models import Card, Deck, Spread, SpreadPosition

QUESTION_MAX_LENGTH = 500
NOTES_MAX_LENGTH = 10_000


class Reading(models.Model):
    """One draw of a spread; anonymous readings have no user and live only behind a share link."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="readings",
    )
    spread = models.ForeignKey(Spread, on_delete=models.PROTECT, related_name="readings")
    deck = models.ForeignKey(Deck, on_delete=models.PROTECT, related_name="readings")
    question = models.CharField(_("question"), max_length=QUESTION_MAX_LENGTH, blank=True)
    allow_reversed = models.BooleanField(_("reversed cards allowed"), default=True)
    notes = models.TextField(_("notes"), max_length=NOTES_MAX_LENGTH, blank=True)
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a field: the drawn cards with their card and position, in position order, on a
    # reading that readings.selectors or reading_create hand out (see reading_cards_in_hand).
    drawn_cards_in_order: list["DrawnCard"]

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="readings_user_recent")]

    def __str__(self) -> str:
        return f"{self.spread} @ {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("readings:detail", kwargs={"pk": self.pk})

    def get_shared_url(self) -> str | None:
        """The shared page's path, or None while the reading is not shared."""
        if not self.share_token:
            return None
        return reverse("readings:shared", kwargs={"token": self.share_token})


IDEMPOTENCY_KEY_MAX_LENGTH = 255


class ReadingIdempotencyKey(models.Model):
    """The reading a client's ``Idempotency-Key`` (API) or draw form token (site) drew.

    Written in the transaction that draws the reading: the unique (client, key) pair is what
    lets only one of several simultaneous requests with the same key draw.
    """

    # "user:<id>" or "address:<client address>" (core.api.throttling.client_identity).
    client = models.CharField(max_length=255)
    key = models.CharField(max_length=IDEMPOTENCY_KEY_MAX_LENGTH)
    # What was asked (readings.services), so the key reused for another draw can be refused.
    request_fingerprint = models.CharField(max_length=64)
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="readings_idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.key}: {self.reading_id}"


class DrawnCard(models.Model):
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="drawn_cards")
    position = models.ForeignKey(SpreadPosition, on_delete=models.PROTECT, related_name="+")
    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="+")
    is_reversed = models.BooleanField(_("reversed"), default=False)

    class Meta:
        verbose_name = _("drawn card")
        verbose_name_plural = _("drawn cards")
        ordering = ["reading_id", "position__order"]
        constraints = [
            models.UniqueConstraint(fields=["reading", "card"], name="readings_card_once"),
            models.UniqueConstraint(fields=["reading", "position"], name="readings_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.card}"


class DailyCard(models.Model):
    """A user's card for one local calendar date; created once, never changed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_cards"
    )
    date = models.DateField(_("date"))
    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="+")
    is_reversed = models.BooleanField(_("reversed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("daily card")
        verbose_name_plural = _("daily cards")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="readings_daily_card_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date}: {self.card}"


class NotificationDelivery(models.Model):
    """The one daily-card notification a user may get for a local date.

    The unique (user, local date) row is created and claimed before anything is sent, so two
    workers can never both send; ``claimed_until`` is the claim's lease, after which a crashed
    worker's ``pending`` row is retried.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_deliveries"
    )
    local_date = models.DateField(_("local date"))
    # Sent by the channel the user chose in their preferences, so the choices are the user's.
    channel = models.CharField(_("channel"), max_length=5, choices=User.Channel.choices)
    status = models.CharField(
        _("status"), max_length=7, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        ordering = ["-local_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "local_date"], name="readings_notification_once_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "failed"]),
                name="readings_notification_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=User.Channel.values),
                name="readings_notification_channel_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="readings_notification_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.local_date} {self.channel}: {self.status}"
