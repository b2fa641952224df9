"""The audit events of practice mode (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

ATTEMPT = "practice.drillattempt"

register("practice.on", _("切换到练习模式"))
register("practice.off", _("退出练习模式"))
register(
    "practice.reset",
    _("重置练习数据"),
    data={
        "removed": "practice cases removed",
        "made": "practice cases made",
        "attempts": "attempts cleared",
    },
)
register(
    "practice.drill_start",
    _("开始情景考核"),
    object_type=ATTEMPT,
    data={"scenario": "the scenario's code", "case": "the drill's practice case"},
)
register(
    "practice.drill_check",
    _("情景考核评分"),
    object_type=ATTEMPT,
    data={"scenario": "the scenario's code", "score": "points got", "max": "points possible"},
)
