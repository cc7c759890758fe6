from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TarotConfig(AppConfig):
    name = "tarot"
    verbose_name = _("Deck")
