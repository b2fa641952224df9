from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "hall.notifications"
    label = "notifications"
    verbose_name = _("短信与邮件通知")

    def ready(self) -> None:
        from hall.core import navigation

        # receivers: the outbox rows of every case change
        from . import panels, receivers  # noqa: F401
        from .selectors import failure_notices

        navigation.register(
            "notifications:log",
            "notifications.view_notification",
            _("通知记录"),
            _("短信与邮件通知的发送记录、失败告警与重发"),
            9,
        )
        navigation.register(
            "notifications:templates",
            "notifications.change_notificationtemplate",
            _("通知模板"),
            _("各事件的短信内容、是否发送、预览与字数"),
            11,
        )
        navigation.register_notice(failure_notices)
        navigation.register_panel("case_page", "notifications/case_panel.html", panels.case_panel)
        navigation.register_panel(
            "supervision_dashboard", "notifications/dashboard_panel.html", panels.figures_panel
        )
