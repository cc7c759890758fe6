from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The receivers that drop the API's cached user rows (accounts/authentication.py).
        from . import authentication  # noqa: F401
