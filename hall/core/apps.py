from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hall.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules
        from django.utils.translation import gettext_lazy as _

        from . import navigation, signals  # noqa: F401  (signals: the login audit receivers)

        # Every app lists its audit events in its own audit_events.py.
        autodiscover_modules("audit_events")

        navigation.register(
            "admin:index",
            "core.access_backoffice",
            _("后台管理"),
            _("配置部门、窗口、事项、账号与权限"),
            10,
        )
        navigation.register(
            "core:audit_log",
            "core.view_auditentry",
            _("审计日志"),
            _("登录、配置变更等全部操作记录"),
            90,
        )
