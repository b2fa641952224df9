from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "hall.practice"
    label = "practice"
    verbose_name = _("练习模式")

    def ready(self) -> None:
        from hall.core import navigation

        from . import panels

        navigation.register(
            "practice:home",
            "practice.use_practice",
            _("练习模式"),
            _("在练习办件上演练收件、预审、补正、受理和办结，参加情景考核"),
            70,
        )
        # The way out, in the banner every page shows while practice mode is on.
        navigation.register_panel("practice_banner", "practice/banner.html", panels.banner)
