from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    name = "hall.announcements"
    label = "announcements"
    verbose_name = _("中心公告")

    def ready(self) -> None:
        from hall.core import navigation

        from . import panels, receivers, search  # noqa: F401  (indexes, receivers, panels)

        navigation.register(
            "announcements:staff_list",
            "announcements.view_announcement",
            _("中心公告"),
            _("发布本中心的通知公告；许可结果公示的撤回与等待时间"),
            20,
        )
        panels.register()
