from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "hall.notices"
    label = "notices"
    verbose_name = _("中心布置工作")

    def ready(self) -> None:
        from hall.core import measures, navigation

        from . import measures as notice_measures
        from . import panels
        from .constants import RIGHT_SEND, RIGHT_STATUS, RIGHT_VIEW

        navigation.register(
            "notices:inbox",
            RIGHT_VIEW,
            _("通知与任务"),
            _("中心发给本单位的通知和工作任务，签收与反馈"),
            6,
            badge=panels.badge,
        )
        navigation.register(
            "notices:sent",
            RIGHT_STATUS,
            _("布置工作"),
            _("中心发出的通知和任务的签收、反馈和逾期情况"),
            7,
        )
        navigation.register(
            "notices:new",
            RIGHT_SEND,
            _("发送通知或任务"),
            _("向本中心的部门、窗口或县（市、区）中心发送通知或工作任务"),
            8,
        )
        navigation.register_panel(
            "staff_landing", "notices/head_panel.html", panels.head_panel, order=20
        )
        navigation.register_panel(
            "staff_landing", "notices/unit_panel.html", panels.unit_panel, order=21
        )
        navigation.register_notice(panels.reminder_notices)
        measures.register(
            "notices_read_in_time",
            _("通知按时阅读"),
            notice_measures.notices_read_in_time,
            order=40,
        )
        measures.register(
            "tasks_on_time", _("工作任务按时反馈"), notice_measures.tasks_on_time, order=41
        )
