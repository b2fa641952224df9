"""The audit events of the monthly summaries (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

SUMMARY = "summaries.summary"

register(
    "summaries.start",
    _("开始填写月度工作总结"),
    object_type=SUMMARY,
    data={"month": "the month summed up (YYYY-MM)", "kind": "window or department"},
)
register("summaries.save", _("保存月度工作总结草稿"), object_type=SUMMARY)
register(
    "summaries.submit",
    _("提交月度工作总结"),
    object_type=SUMMARY,
    data={"from": "status before", "to": "status after", "version": "version number"},
)
register(
    "summaries.accept",
    _("月度工作总结审核通过"),
    object_type=SUMMARY,
    data={"from": "status before", "to": "status after", "version": "version number"},
)
register(
    "summaries.return",
    _("退回月度工作总结"),
    object_type=SUMMARY,
    data={
        "from": "status before",
        "to": "status after",
        "version": "version number",
        "reason": "the center's comment",
    },
)
register(
    "summaries.settings",
    _("修改月度工作总结设置"),
    object_type="org.center",
    data={
        "unit_kind": "window or department",
        "due_day": "working day of the next month",
        "sections": "section titles",
    },
)
