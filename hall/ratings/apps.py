from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "hall.ratings"
    label = "ratings"
    verbose_name = _("好差评")

    def ready(self) -> None:
        from hall.core import navigation
        from hall.notifications.rendering import register_secret_link

        from . import panels, receivers  # noqa: F401  (connects the signal receivers)

        # A rating link is the applicant's: staff read the invitation without it.
        register_secret_link(r"/rate/([^/\s?#]+)")

        # The rating channels' sections of the cases' pages.
        navigation.register_panel("case_status", "ratings/status_panel.html", panels.status_panel)
        navigation.register_panel("case_notice", "ratings/notice_panel.html", panels.notice_panel)

        # The staff figures: a menu entry and the supervision dashboard's panel.
        from . import staff_views
        from .constants import RIGHT_VIEW

        navigation.register(
            "ratings:figures",
            RIGHT_VIEW,
            _("好差评统计"),
            _("参评率、满意率、差评率和按时整改率：按中心、部门、事项和经办人"),
            9,
        )
        navigation.register_panel(
            "supervision_dashboard",
            "ratings/staff/supervision_panel.html",
            staff_views.supervision_panel,
            order=30,
        )
