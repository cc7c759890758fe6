import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .validators import validate_phone_number, validate_time_zone


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # Addresses are compared case-insensitively everywhere, so they are stored lowercased.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address, with their reading preferences."""

    class Language(models.TextChoices):
        KOREAN = "ko", _("Korean")
        ENGLISH = "en", _("English")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    time_zone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone]
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=settings.LANGUAGE_CODE
    )
    notifications_enabled = models.BooleanField(_("daily card notification"), default=False)
    notification_time = models.TimeField(_("notification time"), default=datetime.time(8, 0))
    notification_channel = models.CharField(
        _("notification channel"), max_length=5, choices=Channel.choices, default=Channel.EMAIL
    )
    phone_number = models.CharField(
        _("phone number"), max_length=16, blank=True, validators=[validate_phone_number]
    )
    # Moved on by "sign out everywhere": part of every session's auth hash, so the sessions
    # signed in before end at once, as a password change ends them.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(language__in=["ko", "en"]), name="accounts_user_language_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(notification_channel__in=["email", "sms"]),
                name="accounts_user_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    def save(self, *args, **kwargs):
        # Every way a password changes (reset, the change form, the admin, `changepassword`)
        # ends in set_password() and this save(): the one place where the app's refresh tokens
        # can be ended with the web sessions, which Django ends through the password hash.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            from .tokens import refresh_tokens_revoke

            # In the save's own transaction: a save rolled back keeps the tokens too.
            refresh_tokens_revoke(user_id=self.pk)

    def _get_session_auth_hash(self, secret=None):
        if not self.session_generation:
            # Django's own hash: sessions made before the generation existed stay signed in.
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}|{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_date(self, at: datetime.datetime | None = None) -> datetime.date:
        """The user's calendar date at the given instant (now by default)."""
        return (at or timezone.now()).astimezone(self.zone).date()
