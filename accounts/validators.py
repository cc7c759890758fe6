import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in available_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (use an IANA name such as Asia/Seoul)."),
            code="invalid_time_zone",
            params={"value": value},
        )


validate_phone_number = RegexValidator(
    regex=r"^\+[1-9]\d{7,14}$",
    message=_("Enter the phone number in international format, e.g. +821012345678."),
    code="invalid_phone_number",
)
