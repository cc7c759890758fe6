"""The test suite: fast and quiet; PostgreSQL and Redis only when their URLs are set."""

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, env

APP_ENVIRONMENT = "test"
DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-insecure-key-long-enough-for-hmac-sha256")
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Hashing with Argon2 would dominate the suite's run time; MD5 is only acceptable here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "mock"

# Static files come straight from the app folders; the suite never runs collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")

# TEST_DATABASE_REPLICA=1 adds a replica alias mirroring the primary, for the read-replica router
# checks that tests/ops/test_replica_router.py runs in a subprocess; the suite keeps one database.
if env.bool("TEST_DATABASE_REPLICA", default=False):
    DATABASES = {**DATABASES, "replica_1": {**DATABASES["default"], "TEST": {"MIRROR": "default"}}}
    DATABASE_REPLICAS = ["replica_1"]
    DATABASE_ROUTERS = ["settings.routers.ReplicaRouter"]
