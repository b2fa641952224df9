"""The staff figures of 好差评: by center (the city sees its counties), then
department → item → clerk, over a range of months, each table exportable to
Excel; and the satisfaction panel of the supervision dashboard.

Out of the user's scope, a center, department, item or clerk is a 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hall.catalogue.models import ServiceItem
from hall.core.forms import parse_id
from hall.core.permissions import staff_required, visible_center_ids
from hall.org.models import Center, Department, User
from hall.org.selectors import centers_visible_to, departments_visible_to
from hall.supervision.constants import XLSX_CONTENT_TYPE
from hall.supervision.exports import stream_workbook

from . import figures
from .constants import RIGHT_VIEW

DEFAULT_MONTHS = 12


@dataclass
class Drill:
    """What the figures page is about: the months, and how far down."""

    start: date
    end: date
    center: Center | None = None
    department: Department | None = None
    item: ServiceItem | None = None
    clerk: User | None = None
    errors: list[str] = field(default_factory=list)

    def query(self, **changes) -> str:
        """The page's query with `changes` (None drops a key)."""
        params = {
            "month_from": f"{self.start:%Y-%m}",
            "month_to": f"{self.end:%Y-%m}",
            "center": self.center.pk if self.center else None,
            "department": self.department.pk if self.department else None,
            "item": self.item.pk if self.item else None,
            "clerk": self.clerk.pk if self.clerk else None,
        }
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v is not None})

    @property
    def level(self) -> str:
        if self.clerk is not None:
            return "clerk"
        if self.item is not None:
            return "item"
        if self.department is not None:
            return "department"
        return "center" if self.center is not None else "top"


def _months(params, today: date, errors: list[str]) -> tuple[date, date]:
    end_default = figures.this_month(today)
    start_default = figures.add_months(end_default, -(DEFAULT_MONTHS - 1))
    raw_from, raw_to = params.get("month_from") or "", params.get("month_to") or ""
    start = figures.parse_month(raw_from) if raw_from else start_default
    end = figures.parse_month(raw_to) if raw_to else end_default
    if start is None or end is None:
        errors.append(
            _("月份格式应为“年-月”，如 2026-11（2000 年至 2099 年）。下面暂按最近 12 个月统计。")
        )
        return start_default, end_default
    if start > end:
        errors.append(_("起始月份不能晚于截止月份。下面暂按最近 12 个月统计。"))
        return start_default, end_default
    if figures.add_months(start, figures.MAX_RANGE_MONTHS) <= end:
        errors.append(_("统计期间最长 36 个月，下面暂按最近 12 个月统计。"))
        return start_default, end_default
    return start, end


def _pick(raw, lookup, errors: list[str], message: str):
    if raw in (None, ""):
        return None
    pk = parse_id(raw)
    if pk is None:
        errors.append(message)
        return None
    found = lookup(pk)
    if found is None:
        raise Http404
    return found


def _clerk_in_scope(user, pk: int) -> User | None:
    """A clerk of a department in the user's scope, or one whose cases the
    user's scope counted."""
    found = User.objects.filter(pk=pk).first()
    if found is None:
        return None
    departments = departments_visible_to(user)
    if departments.filter(staff__user=found).exists():
        return found
    if figures.supervised(user).filter(clerk=pk).exists():
        return found
    return None


def drill_of(request) -> Drill:
    user = request.user
    errors: list[str] = []
    start, end = _months(request.GET, timezone.localdate(), errors)
    get = request.GET.get
    center = _pick(
        get("center"),
        lambda pk: centers_visible_to(user).filter(pk=pk).first(),
        errors,
        _("中心参数无效，已忽略。"),
    )
    department = _pick(
        get("department"),
        lambda pk: departments_visible_to(user).filter(pk=pk).first(),
        errors,
        _("部门参数无效，已忽略。"),
    )
    item = _pick(
        get("item"),
        lambda pk: ServiceItem.objects.filter(
            pk=pk, department__in=departments_visible_to(user)
        ).first(),
        errors,
        _("事项参数无效，已忽略。"),
    )
    clerk = _pick(
        get("clerk"), lambda pk: _clerk_in_scope(user, pk), errors, _("经办人参数无效，已忽略。")
    )
    if item is not None:
        if department is not None and item.department_id != department.pk:
            raise Http404
        department = item.department
    if department is not None:
        if center is not None and department.center_id != center.pk:
            raise Http404
        center = department.center
    return Drill(start, end, center, department, item, clerk, errors)


def narrowed(user, d: Drill):
    qs = figures.in_range(figures.supervised(user), d.start, d.end)
    if d.item is not None:
        qs = qs.filter(item=d.item)
    elif d.department is not None:
        qs = qs.filter(department=d.department)
    elif d.center is not None:
        qs = qs.filter(center=d.center)
    if d.clerk is not None:
        qs = qs.filter(clerk=d.clerk.pk)
    return qs


def _sees_many_centers(user) -> bool:
    ids = visible_center_ids(user)
    staff = getattr(user, "staff", None)
    department_bound = staff is not None and staff.department_id is not None
    return not department_bound and (ids is None or len(ids) > 1)


def _month_label(month) -> str:
    return _("%(year)d年%(month)d月") % {"year": month.year, "month": month.month}


def tables(user, d: Drill) -> list[dict]:
    """The tables of the page at the drill's level, each with its rows."""
    qs = narrowed(user, d)
    out = []
    if d.level == "top" and _sees_many_centers(user):
        out.append(
            {
                "key": "centers",
                "title": _("按中心"),
                "caption": _("各中心评价情况（点击中心名称查看其部门）"),
                "first": _("中心"),
                "rows": [
                    {**r, "name": r["center__name"], "href": "?" + d.query(center=r["center_id"])}
                    for r in figures.center_rows(qs)
                ],
            }
        )
    if d.level in ("top", "center"):
        out.append(
            {
                "key": "departments",
                "title": _("按部门"),
                "caption": _("各部门评价情况（点击部门名称查看其事项和经办人）"),
                "first": _("部门"),
                "rows": [
                    {
                        **r,
                        "name": r["department__name"],
                        "extra": r["center__short_name"],
                        "href": "?" + d.query(department=r["department_id"], center=None),
                    }
                    for r in figures.department_rows(qs)
                ],
            }
        )
    if d.level in ("department", "clerk"):
        out.append(
            {
                "key": "items",
                "title": _("按事项"),
                "caption": _("各事项评价情况（点击事项名称查看其经办人）"),
                "first": _("事项"),
                "rows": [
                    {
                        **r,
                        "name": r["item__name"],
                        "extra": r["item__code"],
                        "href": "?" + d.query(item=r["item_id"], clerk=None),
                    }
                    for r in figures.item_rows(qs)
                ],
            }
        )
    if d.level in ("department", "item"):
        out.append(
            {
                "key": "clerks",
                "title": _("按经办人"),
                "caption": _("各经办人评价情况（点击姓名查看其办理的事项）"),
                "first": _("经办人"),
                "rows": [
                    {
                        **r,
                        "name": r["name"] or _("未记录经办人"),
                        "href": "?" + d.query(clerk=r["clerk"], item=None) if r["clerk"] else None,
                    }
                    for r in figures.clerk_rows(qs)
                ],
            }
        )
    months = figures.months_between(d.start, d.end)
    out.append(
        {
            "key": "months",
            "title": _("按月份"),
            "caption": _("每月评价情况（新的在前）"),
            "first": _("月份"),
            "rows": [{**r, "name": _month_label(r["month"])} for r in figures.trend(qs, months)],
        }
    )
    return out


def _crumbs(d: Drill) -> list[dict]:
    out = [
        {
            "name": _("全部范围"),
            "href": "?" + d.query(center=None, department=None, item=None, clerk=None),
        }
    ]
    if d.center is not None:
        out.append(
            {"name": d.center.name, "href": "?" + d.query(department=None, item=None, clerk=None)}
        )
    if d.department is not None:
        out.append({"name": d.department.name, "href": "?" + d.query(item=None, clerk=None)})
    if d.item is not None:
        out.append({"name": d.item.name, "href": "?" + d.query(clerk=None)})
    if d.clerk is not None:
        out.append({"name": d.clerk.full_name or d.clerk.username, "href": None})
    out[-1]["href"] = None
    return out


@staff_required(RIGHT_VIEW)
@require_GET
def figures_page(request):
    d = drill_of(request)
    return render(
        request,
        "ratings/staff/figures.html",
        {
            "d": d,
            "total": figures.total(narrowed(request.user, d)),
            "tables": tables(request.user, d),
            "crumbs": _crumbs(d),
            "query": d.query(),
            "month_from": f"{d.start:%Y-%m}",
            "month_to": f"{d.end:%Y-%m}",
        },
    )


def export_header(first: str, extra: str | None) -> list[str]:
    return [
        first,
        *([extra] if extra else []),
        _("办结件数"),
        _("评价件数"),
        _("参评率（%）"),
        _("非常满意"),
        _("满意"),
        _("基本满意"),
        _("不满意"),
        _("非常不满意"),
        _("满意率（%）"),
        _("差评件数"),
        _("差评率（%）"),
        _("差评整改"),
        _("整改办结"),
        _("按时整改"),
        _("按时整改率（%）"),
    ]


def export_values(row: dict, extra: bool) -> list:
    return [
        str(row["name"]),
        *([row.get("extra") or ""] if extra else []),
        row["finished"],
        row["rated"],
        row["participation"],
        *row["levels"],
        row["satisfaction"],
        row["bad"],
        row["bad_rate"],
        row["tasks_opened"],
        row["tasks_closed"],
        row["tasks_on_time"],
        row["on_time_rate"],
    ]


_EXTRA = {"departments": _("所属中心"), "items": _("事项编码")}


@staff_required(RIGHT_VIEW)
@require_GET
def figures_export(request):
    """One table of the page (`table`: centers, departments, items, clerks,
    months — those the page shows at its level) as an Excel workbook."""
    d = drill_of(request)
    found = {t["key"]: t for t in tables(request.user, d)}
    table = found.get(str(request.GET.get("table") or "months"))
    if table is None:
        raise Http404
    extra = str(_EXTRA[table["key"]]) if table["key"] in _EXTRA else None
    header = export_header(str(table["first"]), extra)
    rows = (export_values(r, extra is not None) for r in table["rows"])
    title = f"{_('好差评')} {table['title']} {d.start:%Y-%m}～{d.end:%Y-%m}"
    response = StreamingHttpResponse(
        stream_workbook(title, header, rows), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ratings-{table["key"]}-{d.start:%Y%m}-{d.end:%Y%m}.xlsx"'
    )
    return response


# ---- the satisfaction panel of the supervision dashboard ----------------------------


def supervision_panel(request) -> dict | None:
    """The figures of the user's scope, this month and last, and a link down."""
    user = request.user
    if not user.has_perm(RIGHT_VIEW):
        return None
    today = timezone.localdate()
    current = figures.this_month(today)
    last = figures.add_months(current, -1)
    qs = figures.supervised(user).filter(month__gte=last, month__lte=current)
    found = {r["month"]: r for r in figures.grouped(qs, "month")}
    months = [
        {**(found.get(m) or figures.with_rates({"month": m})), "name": label}
        for m, label in ((current, _("本月（统计中）")), (last, _("上月")))
    ]
    link = (
        reverse("ratings:figures")
        + "?"
        + urlencode({"month_from": f"{last:%Y-%m}", "month_to": f"{current:%Y-%m}"})
    )
    return {"rating_months": months, "rating_figures_url": link}
