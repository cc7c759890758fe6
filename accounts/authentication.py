"""API sign-in by JWT without a database query for the user's row on every request.

simplejwt reads the user's row for each request to check the account still exists and is
active; the app asks for it on every call. The row (without the password hash, which stays in
the database and is loaded only by the few views that check a password) is cached for
``USER_CACHE_TIMEOUT`` and dropped after every save or deletion of the user (the receivers
below), so a deactivated or deleted account is refused on its next request. A request that read
the row just before a save can put the older row back: that lasts at most the timeout.

The row is a pickled model instance, so it is kept per release (``core.caching.release_key``):
a new release never unpickles an older release's User. While a rolling deploy runs both, a
save drops only the saving release's copy; the other pods' copies also last at most the timeout.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings

from core.caching import release_key

from .models import User

USER_CACHE_TIMEOUT = 60


def _user_key(user_id: object) -> str:
    return release_key(f"api-user:{user_id}")


class CachedUserJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token) -> User:
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError as error:
            raise InvalidToken(_("Token contained no recognizable user identification")) from error
        key = _user_key(user_id)
        user = cache.get(key)
        if user is None:
            user = User.objects.defer("password").filter(pk=user_id).first()
            if user is None:
                raise AuthenticationFailed(_("User not found"), code="user_not_found")
            cache.set(key, user, USER_CACHE_TIMEOUT)
        if not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        return user


@receiver(post_save, sender=User, dispatch_uid="accounts.api_user_saved")
@receiver(post_delete, sender=User, dispatch_uid="accounts.api_user_deleted")
def _forget_cached_user(sender, instance: User, **kwargs) -> None:
    key = _user_key(instance.pk)
    cache.delete(key)
    # Again once the change is visible to other connections, in case one of them cached the
    # row it read before the commit.
    transaction.on_commit(lambda: cache.delete(key))
