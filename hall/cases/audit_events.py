"""The audit events of cases (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

from .constants import CaseStatus

CASE = "cases.case"

register(
    "case.submit",
    _("提交申请"),
    object_type=CASE,
    data={"channel": "Channel of the application (online, walk_in, api…)"},
)
register(
    "case.walk_in",
    _("登记窗口办件"),
    object_type=CASE,
    data={"accepted": "whether it was accepted at once", "reason": "why not, if not"},
)

# case_transition writes "case.<the new status>": one event per status.
TRANSITION_LABELS = {
    CaseStatus.SUBMITTED: _("补正后重新提交"),
    CaseStatus.CORRECTION_REQUESTED: _("发出补正告知"),
    CaseStatus.ACCEPTED: _("受理或恢复计时"),
    CaseStatus.SUSPENDED: _("进入特别程序"),
    CaseStatus.APPROVED: _("准予许可"),
    CaseStatus.COMPLETED: _("办结"),
    CaseStatus.NOT_ACCEPTED: _("不予受理"),
    CaseStatus.REJECTED: _("不予许可"),
    CaseStatus.WITHDRAWN: _("撤回申请"),
}
for status in CaseStatus:
    register(
        f"case.{status}",
        TRANSITION_LABELS[status],
        object_type=CASE,
        data={
            "from": "the status before (CaseStatus)",
            "to": "the status after (CaseStatus)",
            "reason": "the reason or opinion given, may be empty",
            "by_applicant": "whether the applicant made the move",
        },
    )

register(
    "case.reply", _("预审回复申请人"), object_type=CASE, data={"text": "the first 200 characters"}
)
register(
    "case.note", _("添加内部备注"), object_type=CASE, data={"text": "the first 200 characters"}
)
register(
    "case.extend",
    _("延长法定时限"),
    object_type=CASE,
    data={"days": "working days added", "reason": "the reason approved"},
)
register(
    "case.deadlines_recomputed",
    _("节假日变更后重算期限"),
    object_type=CASE,
    data={
        "years": "the calendar years whose schedule changed",
        "promised": "[before, after] promised due date",
        "statutory": "[before, after] statutory due date",
    },
)
register(
    "case.history_generated",
    _("生成历史办件"),
    data={
        "cases": "cases written",
        "months": "months of history",
        "seed": "random seed",
        "status_changes": "history rows written",
    },
)
