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
