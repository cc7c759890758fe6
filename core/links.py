"""Absolute links for messages that leave the site (emails, SMS)."""

from django.conf import settings


def site_url(path: str) -> str:
    """An absolute link to ``path`` as ``reverse()`` gives it: the URLconf's i18n patterns put
    the active language's prefix on it (none for Korean, ``/en`` for English).

    Built from ``settings.SITE_URL``, never from the request: a request's Host header is the
    client's to choose, and a link made from it could send a reset token to someone else's
    server."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
