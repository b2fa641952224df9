"""The audit events of the annual assessment (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

SCHEME = "assessment.scheme"

register(
    "assessment.scheme_create", _("新建年度考核方案"), object_type=SCHEME, data={"year": "year"}
)
register(
    "assessment.indicator_add",
    _("新增考核指标"),
    object_type=SCHEME,
    data={
        "indicator": "id",
        "name": "name",
        "formula": "formula code",
        "weight": "points",
        "target": "target",
    },
)
register(
    "assessment.indicator_change",
    _("修改考核指标"),
    object_type=SCHEME,
    data={"indicator": "id", "before": "name, formula, weight, target", "after": "the same"},
)
register(
    "assessment.indicator_delete",
    _("删除考核指标"),
    object_type=SCHEME,
    data={"indicator": "id", "name": "name", "weight": "points"},
)
register(
    "assessment.external_set",
    _("录入其他考核得分"),
    object_type=SCHEME,
    data={"unit": "kind:id", "before": "previous figure or null", "after": "figure"},
)
register(
    "assessment.external_import",
    _("导入其他考核得分"),
    object_type=SCHEME,
    data={"rows": "how many figures were set"},
)
register(
    "assessment.adjust",
    _("调整考核得分"),
    object_type=SCHEME,
    data={"unit": "kind:id", "points": "points added (negative: taken)", "reason": "why"},
)
register(
    "assessment.publish",
    _("发布年度考核"),
    object_type=SCHEME,
    data={"from": "status before", "to": "status after", "units": "units scored"},
)
