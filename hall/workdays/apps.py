from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "hall.workdays"
    label = "workdays"
    verbose_name = _("工作日与节假日")

    def ready(self) -> None:
        from hall.core import navigation

        from . import signals  # noqa: F401  (connects the receivers)

        navigation.register_notice(unpublished_schedule_notice)


def unpublished_schedule_notice(user) -> list[str]:
    """Center admins are told when a year's holiday schedule is missing."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .services import can_enter_schedule, unpublished_years

    if not can_enter_schedule(user):
        return []
    years = unpublished_years(timezone.localdate())
    if not years:
        return []
    return [
        _(
            "%(years)s 年的节假日安排尚未录入：涉及这些年份的办结期限按双休日和法定节日暂定计算。请在“录入年度节假日安排”页面（/staff/workdays/schedule/）录入国务院办公厅的通知。"
        )
        % {"years": "、".join(str(y) for y in years)}
    ]
