from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MessagingConfig(AppConfig):
    name = "hall.messaging"
    label = "messaging"
    verbose_name = pgettext_lazy("messaging", "信息互动")

    def ready(self) -> None:
        from hall.core import navigation

        from . import panels
        from .constants import RIGHT_USE

        navigation.register(
            "messaging:list",
            RIGHT_USE,
            pgettext_lazy("messaging", "信息互动"),
            _("与其他窗口、部门和中心的工作人员互发信息"),
            5,
            badge=panels.badge,
        )
        navigation.register_panel(
            "staff_landing", "messaging/landing_panel.html", panels.landing_panel, order=20
        )
