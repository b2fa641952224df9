from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "hall.ratings"
    label = "ratings"
    verbose_name = _("好差评")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
