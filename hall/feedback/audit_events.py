"""The audit events of the complaints hall (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

from .constants import ComplaintStatus

COMPLAINT = "feedback.complaint"

register(
    "feedback.file",
    _("提交投诉"),
    object_type=COMPLAINT,
    data={"kind": "what the complaint is about", "anonymous": "true when anonymous"},
)
_LABELS = {
    ComplaintStatus.ACCEPTED: _("受理投诉"),
    ComplaintStatus.NOT_ACCEPTED: _("投诉不予受理"),
    ComplaintStatus.INVESTIGATING: _("调查投诉"),
    ComplaintStatus.ANSWERED: _("答复投诉"),
    ComplaintStatus.CLOSED: _("投诉办结"),
}
for _status, _label in _LABELS.items():
    register(
        f"feedback.{_status}",
        _label,
        object_type=COMPLAINT,
        data={"from": "status before", "to": "status after", "reason": "why, when said"},
    )
register(
    "feedback.reopen",
    _("投诉人申请重新处理"),
    object_type=COMPLAINT,
    data={"from": "status before", "to": "status after", "reason": "the complainant's words"},
)
register(
    "feedback.escalate",
    _("投诉超期报上级督办"),
    object_type=COMPLAINT,
    data={"to_center": "id of the center above", "due": "the missed due day"},
)
register(
    "feedback.share",
    _("向部门通报投诉调查结论"),
    object_type=COMPLAINT,
    data={"department": "department id"},
)
register("feedback.publish", _("公开投诉及答复"), object_type=COMPLAINT)
register(
    "feedback.settings",
    _("修改投诉大厅设置"),
    object_type="org.center",
    data={"answer_days": "working days before 督办"},
)
