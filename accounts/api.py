"""Accounts over the API: sign-up (confirmed by email), JWT sign-in/refresh/logout, the profile
and its preferences, export and deletion.

Tokens: a one-hour access token (``Authorization: Bearer``) and a refresh token that is rotated
on every refresh and blacklisted once used or logged out (djangorestframework-simplejwt).
"""

import re

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from core.api.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle
from core.api.views import ApiView, ApiViewMixin, InputSerializer
from core.response_cache import private_no_store

from .lockout import lockout_message
from .models import User
from .services import (
    user_delete,
    user_export_data,
    user_register,
    user_sign_out_everywhere,
    user_update_preferences,
)

AUTH_THROTTLES = (AnonRateThrottle, UserRateThrottle, ScopedRateThrottle)
LOCAL_TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"


@extend_schema_field({"type": "string", "pattern": LOCAL_TIME_PATTERN, "example": "08:00"})
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the user's own time zone, "HH:MM": never with an offset."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)

    def to_internal_value(self, value):
        if isinstance(value, str) and not re.match(LOCAL_TIME_PATTERN, value):
            self.fail("invalid", format="HH:MM")
        return super().to_internal_value(value)


# --- Serializers ------------------------------------------------------------------------------


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    display_name = serializers.CharField()
    date_joined = serializers.DateTimeField()
    language = serializers.ChoiceField(choices=User.Language.choices)
    time_zone = serializers.CharField(help_text=_("IANA name, e.g. Asia/Seoul."))
    notifications_enabled = serializers.BooleanField()
    notification_time = LocalTimeField(help_text=_("In the user's time zone."))
    notification_channel = serializers.ChoiceField(choices=User.Channel.choices)
    phone_number = serializers.CharField(help_text=_("International format, e.g. +821012345678."))


class MeUpdateSerializer(InputSerializer):
    display_name = serializers.CharField(max_length=50, allow_blank=True, required=False)
    language = serializers.ChoiceField(choices=User.Language.choices, required=False)
    time_zone = serializers.CharField(
        max_length=64, required=False, help_text=_("IANA name, e.g. Asia/Seoul.")
    )
    notifications_enabled = serializers.BooleanField(required=False)
    notification_time = LocalTimeField(required=False)
    notification_channel = serializers.ChoiceField(choices=User.Channel.choices, required=False)
    phone_number = serializers.CharField(
        max_length=16,
        allow_blank=True,
        required=False,
        help_text=_("International format, e.g. +821012345678; needed for SMS."),
    )


class PasswordConfirmationSerializer(InputSerializer):
    password = serializers.CharField(trim_whitespace=False, max_length=128)


class RegisterSerializer(InputSerializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, max_length=128)
    language = serializers.ChoiceField(
        choices=User.Language.choices,
        required=False,
        help_text=_("Defaults to the Accept-Language language."),
    )
    time_zone = serializers.CharField(max_length=64, required=False, default=settings.TIME_ZONE)


class RegistrationAcceptedSerializer(serializers.Serializer):
    detail = serializers.CharField()


class LogoutSerializer(InputSerializer):
    refresh = serializers.CharField()


class ExportProfileSerializer(serializers.Serializer):
    email = serializers.EmailField()
    display_name = serializers.CharField()
    date_joined = serializers.DateTimeField()
    language = serializers.CharField()
    time_zone = serializers.CharField()
    notifications_enabled = serializers.BooleanField()
    notification_time = serializers.CharField()
    notification_channel = serializers.CharField()
    phone_number = serializers.CharField()


class ExportDrawnCardSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    position_name = serializers.CharField()
    card = serializers.SlugField()
    card_name = serializers.CharField()
    reversed = serializers.BooleanField()


class ExportReadingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    spread = serializers.SlugField()
    question = serializers.CharField()
    notes = serializers.CharField()
    shared = serializers.BooleanField()
    cards = ExportDrawnCardSerializer(many=True)


class ExportDailyCardSerializer(serializers.Serializer):
    date = serializers.DateField()
    card = serializers.SlugField()
    reversed = serializers.BooleanField()


class ExportNotificationSerializer(serializers.Serializer):
    date = serializers.DateField()
    channel = serializers.CharField()
    status = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)


class ExportSerializer(serializers.Serializer):
    exported_at = serializers.DateTimeField()
    profile = ExportProfileSerializer()
    readings = ExportReadingSerializer(many=True)
    daily_cards = ExportDailyCardSerializer(many=True)
    notifications = ExportNotificationSerializer(many=True)


def _me_payload(user: User) -> dict:
    return MeSerializer(user).data


# --- Views ------------------------------------------------------------------------------------


class RegisterApi(ApiView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = AUTH_THROTTLES
    throttle_scope = "auth"

    @extend_schema(
        operation_id="auth_register",
        summary="Ask for an account",
        description=(
            "Always 202 with the same body, whether or not the email has an account, so the "
            "answer tells nobody which addresses are registered. A new email is mailed a link "
            "that confirms the account (it cannot sign in before); an email with an account is "
            "mailed a notice to sign in or reset the password instead. Once confirmed, sign in "
            "at /api/v1/auth/token/."
        ),
        tags=["auth"],
        request=RegisterSerializer,
        responses={202: RegistrationAcceptedSerializer},
        examples=[
            OpenApiExample(
                "sign up",
                value={"email": "reader@example.com", "password": "a long passphrase"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        user_register(
            email=values["email"],
            password=values["password"],
            language=values.get("language", request.LANGUAGE_CODE),
            time_zone=values["time_zone"],
        )
        data = {"detail": _("Check your email to finish signing up.")}
        return private_no_store(Response(data, status=status.HTTP_202_ACCEPTED))


@extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_create",
        summary="Sign in: a JWT pair for email and password",
        tags=["auth"],
        examples=[
            OpenApiExample(
                "sign in",
                value={"email": "reader@example.com", "password": "a long passphrase"},
                request_only=True,
            )
        ],
    )
)
class TokenObtainApi(ApiViewMixin, TokenObtainPairView):
    throttle_classes = AUTH_THROTTLES
    throttle_scope = "auth"

    def post(self, request, *args, **kwargs):
        # simplejwt authenticates with this request, so django-axes counts the failures here
        # as on the site's login, and marks the request once the account is locked out.
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except exceptions.AuthenticationFailed:
            if getattr(request, "axes_locked_out", False):
                raise SignInLockedOut() from None
            raise
        except TokenError as error:
            raise InvalidToken(error.args[0]) from error
        # simplejwt sends no signal; this one clears the failure count and sets last_login.
        user_logged_in.send(sender=User, request=request, user=serializer.user)
        return Response(serializer.validated_data, status=status.HTTP_200_OK)


class SignInLockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        super().__init__(detail=lockout_message(), code=self.default_code)
        self.wait = int(settings.AXES_COOLOFF_TIME.total_seconds())


class RefreshInputSerializer(TokenRefreshSerializer):
    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except ObjectDoesNotExist as error:
            # The token outlived its account: refused like any other token that no longer works.
            raise AuthenticationFailed(
                self.error_messages["no_active_account"], "no_active_account"
            ) from error


@extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_refresh_create",
        summary="A new access token (and a new refresh token; the old one stops working)",
        tags=["auth"],
    )
)
class TokenRefreshApi(ApiViewMixin, TokenRefreshView):
    serializer_class = RefreshInputSerializer
    throttle_classes = AUTH_THROTTLES
    throttle_scope = "auth"


class LogoutApi(ApiView):
    # The refresh token is the credential here: an expired access token must not block logout.
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = AUTH_THROTTLES
    throttle_scope = "auth"

    @extend_schema(
        operation_id="auth_logout_create",
        summary="Log out: blacklist the refresh token",
        tags=["auth"],
        request=LogoutSerializer,
        responses={204: None},
    )
    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            RefreshToken(serializer.validated_data["refresh"]).blacklist()
        except TokenError as error:
            raise serializers.ValidationError({"refresh": [str(error)]}) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutEverywhereApi(ApiView):
    permission_classes = (IsAuthenticated,)
    throttle_classes = AUTH_THROTTLES
    throttle_scope = "auth"

    @extend_schema(
        operation_id="auth_sign_out_everywhere_create",
        summary="Sign out everywhere: every refresh token and every web session of the account "
        "stop working (access tokens already issued expire on their own)",
        tags=["auth"],
        request=None,
        responses={204: None},
    )
    def post(self, request):
        user_sign_out_everywhere(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(ApiView):
    permission_classes = (IsAuthenticated,)
    # DELETE carries the password confirmation in its body (see settings.api.ApiAutoSchema).
    request_body_on_delete = True

    @extend_schema(
        operation_id="me_retrieve", summary="My profile", tags=["me"], responses=MeSerializer
    )
    def get(self, request):
        return private_no_store(Response(_me_payload(request.user)))

    @extend_schema(
        operation_id="me_partial_update",
        summary="Change my preferences",
        description="All given fields are validated together; nothing is saved if one is wrong.",
        tags=["me"],
        request=MeUpdateSerializer,
        responses=MeSerializer,
        examples=[
            OpenApiExample(
                "SMS at 7:30",
                value={
                    "notifications_enabled": True,
                    "notification_time": "07:30",
                    "notification_channel": "sms",
                    "phone_number": "+821012345678",
                },
                request_only=True,
            )
        ],
    )
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_update_preferences(user=request.user, **serializer.validated_data)
        return private_no_store(Response(_me_payload(user)))

    @extend_schema(
        operation_id="me_destroy",
        summary="Delete my account and everything in it",
        description="Needs the account's password in the body.",
        tags=["me"],
        request=PasswordConfirmationSerializer,
        responses={204: None},
    )
    def delete(self, request):
        serializer = PasswordConfirmationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_delete(user=request.user, password=serializer.validated_data["password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportApi(ApiView):
    permission_classes = (IsAuthenticated,)

    @extend_schema(
        operation_id="me_export_retrieve",
        summary="Everything the service holds about me, as JSON",
        tags=["me"],
        responses=ExportSerializer,
    )
    def get(self, request):
        response = private_no_store(Response(user_export_data(user=request.user)))
        response["Content-Disposition"] = 'attachment; filename="tarot-master-export.json"'
        return response
