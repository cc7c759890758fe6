"""settings.production for the header probes, with one change: static files are looked up in
the app folders (as in the test settings) instead of the manifest ``collectstatic`` writes, so
a probe needs no collectstatic run. Every security setting is production's own."""

from settings.production import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
