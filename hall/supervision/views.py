"""Real-time supervision (网上监管): the dashboard and its Excel exports."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hall.cases.constants import CaseStatus, Channel
from hall.core.permissions import staff_required
from hall.org.models import Center, Department
from hall.workdays.services import current_calendar

from . import charts, exports, selectors
from .constants import EXPORT_TABLES, FINISHED, LIST_LIMIT, TOP_ITEMS, XLSX_CONTENT_TYPE
from .forms import PeriodForm
from .selectors import Clock, Period

PERM = "cases.view_supervision"
_ID = re.compile(r"[0-9]{1,10}")


@dataclass
class Filters:
    """What the page is about: the period, the drill-down, today."""

    form: PeriodForm
    period: Period
    clock: Clock
    calendar: object
    center: Center | None = None
    department: Department | None = None
    errors: list[str] = field(default_factory=list)

    def query(self, *, drill: bool = True, **extra) -> str:
        params = {
            "date_from": self.period.start.isoformat(),
            "date_to": self.period.end.isoformat(),
        }
        if drill and self.center is not None:
            params["center"] = self.center.pk
        if drill and self.department is not None:
            params["department"] = self.department.pk
        params.update(extra)
        return urlencode(params)


def _pick(raw, lookup):
    """A drill-down id: None when absent; 404 when outside the user's scope;
    a malformed value is reported and ignored (returns (None, True))."""
    raw = (raw or "").strip()
    if not raw:
        return None, False
    if not _ID.fullmatch(raw):
        return None, True
    found = lookup(int(raw))
    if found is None:
        raise Http404
    return found, False


def _filters(request) -> Filters:
    user = request.user
    today = timezone.localdate()
    calendar = current_calendar()
    form = PeriodForm(request.GET, today=today)
    errors = []
    if form.is_valid():
        period = form.cleaned_data["period"]
        # Show the dates in effect, defaults included.
        form = PeriodForm(initial={"date_from": period.start, "date_to": period.end}, today=today)
    else:
        period = Period.last_months(today)
        errors.append(_("统计期间有误，下面暂按最近四个月统计。请更正后重新查询。"))
    center, bad_center = _pick(
        request.GET.get("center"), lambda pk: selectors.center_in_scope(user, pk)
    )
    department, bad_department = _pick(
        request.GET.get("department"), lambda pk: selectors.department_in_scope(user, pk)
    )
    if bad_center:
        errors.append(_("中心参数无效，已忽略。"))
    if bad_department:
        errors.append(_("部门参数无效，已忽略。"))
    return Filters(
        form=form,
        period=period,
        clock=Clock.at(calendar, today),
        calendar=calendar,
        center=center,
        department=department,
        errors=errors,
    )


def _cases(request, f: Filters):
    return selectors.supervised_cases(request.user, center=f.center, department=f.department)


def _stats(request, f: Filters):
    return selectors.supervised_stats(request.user, center=f.center, department=f.department)


def _clerk_name(row: dict) -> str:
    return row["handled_by__full_name"] or row["handled_by__username"] or _("未记录经办人")


def _group_tables(request, f: Filters, o: selectors.Overview) -> list[dict]:
    centers = selectors.center_rows(request.user, o, center=f.center, department=f.department)
    departments = selectors.group_rows(o, "departments")
    items = selectors.group_rows(o, "items", limit=TOP_ITEMS)
    clerks = selectors.group_rows(o, "clerks")
    return [
        {
            "key": "centers",
            "title": _("按中心"),
            "caption": _("各中心办件时限情况（点击中心名称查看该中心）"),
            "columns": [_("中心")],
            "rows": [
                {
                    "name": r["center"].name,
                    "href": "?" + f.query(drill=False, center=r["center"].pk),
                    "extra": [],
                    **r,
                }
                for r in centers
            ],
        },
        {
            "key": "departments",
            "title": _("按部门"),
            "caption": _("各部门办件时限情况，超期多的在前（点击部门名称查看该部门）"),
            "columns": [_("部门"), _("所属中心")],
            "rows": [
                {
                    "name": r["department__name"],
                    "href": "?" + f.query(drill=False, department=r["department_id"]),
                    "extra": [r["center__short_name"]],
                    **r,
                }
                for r in departments
            ],
        },
        {
            "key": "items",
            "title": _("按事项"),
            "caption": _("超期、临期和在办件数最多的前 %(n)d 个事项") % {"n": TOP_ITEMS},
            "columns": [_("事项"), _("事项编码"), _("办理部门")],
            "rows": [
                {
                    "name": r["item__name"],
                    "href": None,
                    "extra": [r["item__code"], r["department__name"]],
                    **r,
                }
                for r in items
            ],
        },
        {
            "key": "clerks",
            "title": _("按经办人"),
            "caption": _("各经办人办件时限情况，超期多的在前"),
            "columns": [_("经办人")],
            "rows": [{"name": _clerk_name(r), "href": None, "extra": [], **r} for r in clerks],
        },
    ]


def _month_label(group):
    m = group["month"]
    return _("%(month)d月") % {"month": m.month}, _("%(year)d年%(month)d月") % {
        "year": m.year,
        "month": m.month,
    }


def _trend_series():
    return [("accepted", _("受理")), ("decided", _("作出决定（准予或不予许可）"))]


@staff_required(PERM)
@require_GET
def dashboard(request):
    f = _filters(request)
    qs, stats = _cases(request, f), _stats(request, f)
    today = f.clock.today
    o = selectors.overview(qs, stats, f.clock, f.period)
    trend = selectors.monthly_trend(stats, today)
    for row in trend:
        row["label"] = _month_label(row)[1]
    context = {
        "f": f,
        "form": f.form,
        "today": today,
        "live": o.totals,
        "stats": selectors.period_stats(stats, f.period),
        "due_soon": list(
            selectors.iter_listed(
                selectors.due_soon_cases(qs, f.clock),
                f.calendar,
                today,
                overdue=False,
                limit=LIST_LIMIT,
            )
        ),
        "overdue": list(
            selectors.iter_listed(
                selectors.overdue_cases(qs, f.clock),
                f.calendar,
                today,
                overdue=True,
                limit=LIST_LIMIT,
            )
        ),
        "list_limit": LIST_LIMIT,
        "groups": _group_tables(request, f, o),
        "trend": trend,
        "chart": charts.grouped_bars(trend, _trend_series(), _month_label),
        "query": f.query(),
        "four_months": f.query(
            **_dates(Period.last_months(today)),
        ),
        "this_year": f.query(**_dates(Period.year_to_date(today))),
        "clear_drill": f.query(drill=False),
    }
    return render(request, "supervision/dashboard.html", context)


def _dates(period: Period) -> dict:
    return {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}


# ---- exports -------------------------------------------------------------------


def _listed_rows(listed):
    for c in listed:
        yield [
            c.number,
            c.item,
            c.department,
            c.center,
            c.clerk,
            c.accepted_at,
            c.promised_due,
            c.days,
        ]


def _period_case_rows(cases):
    # Labels resolved once, not per row; local dates with the zone looked up once.
    channels = {k: str(v) for k, v in Channel.choices}
    statuses = {k: str(v) for k, v in CaseStatus.choices}
    on_time, late = _("按时"), _("超时")
    tz = timezone.get_current_timezone()
    for c in cases:
        judged = None
        if c.decided_at is not None and c.promised_due is not None and c.status in FINISHED:
            judged = on_time if c.decided_at.astimezone(tz).date() <= c.promised_due else late
        yield [
            c.number,
            c.item_code,
            c.item,
            c.department,
            c.center,
            c.clerk,
            channels.get(c.channel, c.channel),
            statuses.get(c.status, c.status),
            c.accepted_at,
            c.promised_due,
            c.decided_at,
            c.completed_at,
            judged,
        ]


def _export(request, table: str, f: Filters):
    """(header, rows) of one table; rows is an iterator, consumed while writing."""
    qs, stats = _cases(request, f), _stats(request, f)
    clock, period = f.clock, f.period
    measures = exports.measure_header()
    if table in ("centers", "departments", "items", "clerks"):
        o = selectors.overview(qs, stats, clock, period)
    if table == "centers":
        rows = selectors.center_rows(request.user, o, center=f.center, department=f.department)
        return [_("中心"), *measures], (
            [r["center"].name, *exports.measure_values(r)] for r in rows
        )
    if table == "departments":
        rows = selectors.group_rows(o, "departments")
        return [_("部门"), _("所属中心"), *measures], (
            [r["department__name"], r["center__short_name"], *exports.measure_values(r)]
            for r in rows
        )
    if table == "items":
        rows = selectors.group_rows(o, "items")
        return [_("事项编码"), _("事项"), _("办理部门"), *measures], (
            [r["item__code"], r["item__name"], r["department__name"], *exports.measure_values(r)]
            for r in rows
        )
    if table == "clerks":
        rows = selectors.group_rows(o, "clerks")
        return [_("经办人"), _("账号"), *measures], (
            [_clerk_name(r), r["handled_by__username"] or "", *exports.measure_values(r)]
            for r in rows
        )
    listed_header = [
        _("查询号"),
        _("事项"),
        _("办理部门"),
        _("所属中心"),
        _("经办人"),
        _("受理时间"),
        _("承诺办结日期"),
    ]
    if table == "due_soon":
        listed = selectors.iter_listed(
            selectors.due_soon_cases(qs, clock), f.calendar, clock.today, overdue=False
        )
        return [*listed_header, _("剩余工作日")], _listed_rows(listed)
    if table == "overdue":
        listed = selectors.iter_listed(
            selectors.overdue_cases(qs, clock), f.calendar, clock.today, overdue=True
        )
        return [*listed_header, _("超期工作日")], _listed_rows(listed)
    if table == "trend":
        trend = selectors.monthly_trend(stats, clock.today)
        return [_("月份"), _("受理"), _("作出决定（准予或不予许可）")], (
            [_month_label(r)[1], r["accepted"], r["decided"]] for r in trend
        )
    if table == "cases":
        return [
            _("查询号"),
            _("事项编码"),
            _("事项"),
            _("办理部门"),
            _("所属中心"),
            _("经办人"),
            _("渠道"),
            _("状态"),
            _("受理时间"),
            _("承诺办结日期"),
            _("决定时间"),
            _("办结时间"),
            _("是否按时"),
        ], _period_case_rows(selectors.period_cases(qs, period))
    # "period"
    s = selectors.period_stats(stats, period)
    return [_("指标"), _("数值")], iter(
        [
            [_("统计起始日期"), period.start],
            [_("统计截止日期"), period.end],
            [_("受理"), s["accepted"]],
            [_("作出决定（准予或不予许可）"), s["finished"]],
            [_("准予许可（含已办结）"), s["approved"]],
            [_("不予许可"), s["rejected"]],
            [_("其中按时决定"), s["on_time"]],
            [_("其中超时决定"), s["late"]],
            [_("按时决定率（%）"), s["rate"]],
            [_("受理至决定平均工作日"), s["average_days"]],
            [_("不予受理"), s["not_accepted"]],
            [_("办结（送达结果）"), s["completed"]],
        ]
    )


@staff_required(PERM)
@require_GET
def export(request, table: str):
    if table not in EXPORT_TABLES:
        raise Http404
    f = _filters(request)
    if f.errors:
        return HttpResponseBadRequest(
            _("筛选条件有误，请回到实时监督页面更正后再导出。"),
            content_type="text/plain; charset=utf-8",
        )
    header, rows = _export(request, table, f)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = StreamingHttpResponse(
        exports.stream_workbook(str(EXPORT_TABLES[table]), header, rows),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="supervision-{table}-{stamp}.xlsx"'
    return response
