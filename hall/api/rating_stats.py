"""The public 好差评 figures (国办发〔2019〕51号 disclosure) for other platforms:
one month of a center, department or item. Public figures only: no clerk."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from hall.catalogue.models import ServiceItem
from hall.core.forms import parse_id
from hall.org.models import Center, Department
from hall.ratings import figures

router = Router(tags=["好差评 ratings"])


class Problem(Schema):
    detail: str
    errors: list[dict] = []


class Scope(Schema):
    center: str | None = Field(None, description="中心名称")
    department: str | None = Field(None, description="部门名称")
    item: str | None = Field(None, description="事项名称")
    item_code: str | None = Field(None, description="事项编码")


class Levels(Schema):
    very_satisfied: int = Field(..., description="非常满意")
    satisfied: int = Field(..., description="满意")
    basic: int = Field(..., description="基本满意")
    dissatisfied: int = Field(..., description="不满意")
    very_dissatisfied: int = Field(..., description="非常不满意")


class RatingStatsOut(Schema):
    month: str = Field(..., description="统计月份（YYYY-MM）：办件办结的月份")
    scope: Scope
    finished: int = Field(..., description="办结件数（含不予许可、不予受理）")
    rated: int = Field(..., description="评价件数")
    levels: Levels
    bad: int = Field(..., description="差评件数（不满意 + 非常不满意）")
    participation_rate: float | None = Field(
        ..., description="参评率 %：rated / finished；分母为 0 时为 null"
    )
    satisfaction_rate: float | None = Field(
        ..., description="满意率 %：（非常满意 + 满意 + 基本满意）/ rated"
    )
    bad_rate: float | None = Field(..., description="差评率 %：（不满意 + 非常不满意）/ rated")
    rectifications_closed: int = Field(..., description="差评整改办结件数")
    rectifications_on_time: int = Field(..., description="其中按时整改件数")
    on_time_rate: float | None = Field(..., description="按时整改率 %：按时整改 / 整改办结")


def _problem(field: str, message: str):
    return Status(
        422,
        {
            "detail": _("请求参数有误，请检查后重试。"),
            "errors": [{"field": field, "message": message}],
        },
    )


def _not_found(message: str):
    return Status(404, {"detail": message})


@router.get(
    "",
    response={200: RatingStatsOut, 404: Problem, 422: Problem},
    summary="好差评统计 Rating figures",
    url_name="rating_stats",
)
def rating_stats(request, month: str = "", center: str = "", department: str = "", item: str = ""):
    """The figures of one month (`month`, YYYY-MM; by default the last full
    month) for a center, a department or an item (ids; the narrowest one
    given wins, and they must agree); without any, for the whole hall. A rating
    counts in the month its case finished."""
    today = timezone.localdate()
    if month:
        chosen = figures.parse_month(month)
        if chosen is None:
            return _problem("month", _("月份格式应为 YYYY-MM，如 2026-11（2000 年至 2099 年）。"))
        if chosen > figures.this_month(today):
            return _problem("month", _("所选月份尚未到来。"))
    else:
        chosen = figures.last_full_month(today)
    ids = {}
    for name, raw in (("center", center), ("department", department), ("item", item)):
        if raw:
            ids[name] = parse_id(raw)
            if ids[name] is None:
                return _problem(name, _("编号应为正整数。"))
    found_center = found_department = found_item = None
    if "center" in ids:
        found_center = Center.objects.filter(pk=ids["center"]).first()
        if found_center is None:
            return _not_found(_("未找到该中心。"))
    if "department" in ids:
        found_department = (
            Department.objects.select_related("center").filter(pk=ids["department"]).first()
        )
        if found_department is None:
            return _not_found(_("未找到该部门。"))
    if "item" in ids:
        found_item = (
            ServiceItem.objects.select_related("department__center").filter(pk=ids["item"]).first()
        )
        if found_item is None:
            return _not_found(_("未找到该事项。"))
        if found_department is not None and found_item.department_id != found_department.pk:
            return _not_found(_("该部门没有这个事项。"))
        found_department = found_item.department
    if found_department is not None:
        if found_center is not None and found_department.center_id != found_center.pk:
            return _not_found(_("该中心没有这个部门。"))
        found_center = found_department.center
    qs = figures.public(center=found_center, department=found_department, item=found_item)
    t = figures.total(qs.filter(month=chosen))
    return {
        "month": f"{chosen:%Y-%m}",
        "scope": {
            "center": found_center.name if found_center else None,
            "department": found_department.name if found_department else None,
            "item": found_item.name if found_item else None,
            "item_code": found_item.code if found_item else None,
        },
        "finished": t["finished"],
        "rated": t["rated"],
        "levels": {
            "very_satisfied": t["level_5"],
            "satisfied": t["level_4"],
            "basic": t["level_3"],
            "dissatisfied": t["level_2"],
            "very_dissatisfied": t["level_1"],
        },
        "bad": t["bad"],
        "participation_rate": t["participation"],
        "satisfaction_rate": t["satisfaction"],
        "bad_rate": t["bad_rate"],
        "rectifications_closed": t["tasks_closed"],
        "rectifications_on_time": t["tasks_on_time"],
        "on_time_rate": t["on_time_rate"],
    }
