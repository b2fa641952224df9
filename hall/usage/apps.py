from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsageConfig(AppConfig):
    name = "hall.usage"
    label = "usage"
    verbose_name = _("使用情况考核")

    def ready(self) -> None:
        from hall.core import measures, navigation

        from . import figures
        from .constants import PREREVIEW_IN_TIME, RIGHT_VIEW, WALKINS_SAME_DAY

        # The two shares the annual assessment averages with every other measure.
        measures.register(WALKINS_SAME_DAY, _("窗口收件当日录入率"), figures.walkins_same_day, 10)
        measures.register(
            PREREVIEW_IN_TIME, _("网上申请 1 个工作日内预审率"), figures.prereview_in_time, 20
        )
        navigation.register(
            "usage:index",
            RIGHT_VIEW,
            _("使用情况考核"),
            _("每月按人员、窗口和部门计算的登录天数、办理件数、当日录入率和按时预审率"),
            14,
        )
