from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "hall.supervision"
    label = "supervision"
    verbose_name = _("实时监督")

    def ready(self) -> None:
        from hall.core import navigation

        from . import receivers  # noqa: F401  (connects the signal receivers)

        navigation.register(
            "supervision:dashboard",
            "cases.view_supervision",
            _("实时监督"),
            _("办件时限监督：临期、超期、按时决定率与期间统计"),
            8,
        )
