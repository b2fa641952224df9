from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QaConfig(AppConfig):
    name = "hall.qa"
    label = "qa"
    verbose_name = _("网上答疑")

    def ready(self) -> None:
        from hall.core import navigation

        from . import panels, search  # noqa: F401  (the column's index registers itself)

        navigation.register(
            "qa:queue",
            "qa.view_question",
            _("网上答疑"),
            _("群众网上咨询：分派、答复、公开前审核"),
            7,
        )
        navigation.register_panel("home", "qa/home_panel.html", panels.home_panel, order=30)
        navigation.register_panel(
            "supervision_dashboard", "qa/supervision_panel.html", panels.supervision_panel, order=40
        )
