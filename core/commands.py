"""Small pieces the management commands share."""

from django.core.management.base import CommandError


def positive_whole_number(value: str, *, option: str) -> int:
    """An option's value as an int of at least 1, or the command's clear refusal."""
    if not value.isdigit() or int(value) < 1:
        raise CommandError(f"{option} must be a whole number of at least 1, not {value!r}.")
    return int(value)
