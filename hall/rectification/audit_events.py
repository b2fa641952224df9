"""The audit events of 差评整改 (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

from .constants import TaskStatus

TASK = "rectification.task"

register(
    "rectification.open",
    _("差评整改任务生成"),
    object_type=TASK,
    data={"rating": "rating id", "case": "case id", "level": "1–5", "due": "rectify due date"},
)
_LABELS = {
    TaskStatus.VERIFY: _("差评整改：记录回访"),
    TaskStatus.RECTIFY: _("差评整改：核实属实或申诉不成立"),
    TaskStatus.APPEAL: _("差评整改：部门申诉"),
    TaskStatus.UPHELD: _("差评整改：申诉成立"),
    TaskStatus.REPLY: _("差评整改：记录整改措施"),
    TaskStatus.FOLLOW_UP: _("差评整改：答复申请人"),
    TaskStatus.CLOSED: _("差评整改：申请人追评，办结"),
    TaskStatus.CALLBACK: _("差评整改：待回访"),
}
for _status, _label in _LABELS.items():
    register(
        f"rectification.{_status}",
        _label,
        object_type=TASK,
        data={"from": "status before", "to": "status after", "note": "what was recorded"},
    )
register(
    "rectification.settings",
    _("修改差评整改时限"),
    object_type="rectification.rectificationsettings",
    data={"before": "days before", "after": "days after"},
)
