"""The audit events of the Q&A column (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

from .constants import QuestionStatus

QUESTION = "qa.question"

register(
    "qa.ask",
    _("网上提问"),
    object_type=QUESTION,
    data={"department": "chosen department id or None"},
)
_LABELS = {
    QuestionStatus.ROUTING: _("退回中心分派"),
    QuestionStatus.OPEN: _("分派网上咨询"),
    QuestionStatus.ANSWERED: _("答复网上咨询"),
    QuestionStatus.PUBLISHED: _("公开网上咨询"),
    QuestionStatus.PRIVATE: _("网上咨询不公开"),
}
for _status, _label in _LABELS.items():
    register(
        f"qa.{_status}",
        _label,
        object_type=QUESTION,
        data={
            "from": "status before",
            "to": "status after",
            "reason": "why, when said",
            "department": "department id after the move",
        },
    )
register(
    "qa.promote_faq",
    _("网上答疑加入事项常见问题"),
    object_type=QUESTION,
    data={"item": "item code"},
)
