from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingsConfig(AppConfig):
    name = "readings"
    verbose_name = _("Readings")

    def ready(self) -> None:
        from accounts.services import user_export_section_register

        from .selectors import daily_cards_export, notifications_export, readings_export

        user_export_section_register("readings", readings_export)
        user_export_section_register("daily_cards", daily_cards_export)
        user_export_section_register("notifications", notifications_export)
