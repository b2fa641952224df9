"""The audit events of 中心布置工作 (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

NOTICE = "notices.notice"

register(
    "notices.send",
    _("发送通知或任务"),
    object_type=NOTICE,
    data={"kind": "notice or task", "recipients": "number of units", "due": "due date or null"},
)
register(
    "notices.read",
    _("签收通知或任务（首次阅读）"),
    object_type=NOTICE,
    data={"recipient": "recipient id", "unit": "unit key"},
)
register(
    "notices.feedback",
    _("反馈工作任务"),
    object_type=NOTICE,
    data={"recipient": "recipient id", "unit": "unit key", "late": "true if after the due date"},
)
register(
    "notices.remind",
    _("提醒临期工作任务"),
    object_type=NOTICE,
    data={"recipient": "recipient id", "unit": "unit key", "due": "due date"},
)
