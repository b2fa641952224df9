"""The audit events of supervision (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

register(
    "supervision.stats_rebuilt",
    _("重建统计数据"),
    data={"days": "day rows written", "months": "month rows written"},
)
