"""The monthly usage sheets (R-9.2): a window's sheet per clerk, a department's
view summing its windows, a center's ranking of its windows; each printable
and as Excel. Out of the user's scope a window, department or center is a 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from hall.core import measures
from hall.core.forms import parse_id
from hall.core.permissions import staff_required
from hall.org.models import Center, Staff, Window
from hall.supervision.constants import XLSX_CONTENT_TYPE
from hall.supervision.exports import stream_workbook

from . import selectors
from .constants import RIGHT_COMPARE, RIGHT_VIEW
from .figures import Figures, Share, add_months, month_usage, parse_month


@dataclass
class Line:
    """One row of a sheet: a clerk, a window or a department, or a total."""

    name: str
    figures: Figures
    codes: list[str]
    href: str = ""
    sub: str = ""
    rank: int | None = None
    shares: list[Share] = field(init=False)

    def __post_init__(self):
        self.shares = [self.figures.shares.get(c) or Share() for c in self.codes]

    @property
    def mean(self) -> float | None:
        return self.figures.mean_rate(self.codes)

    @property
    def mean_percent(self) -> str:
        m = self.mean
        return "—" if m is None else f"{m * 100:.1f}%"

    @property
    def is_empty(self) -> bool:
        f = self.figures
        return not (f.login_days or f.cases or f.changes or any(s.total for s in self.shares))


def _columns() -> list[dict]:
    return [{"code": m.code, "label": m.label} for m in measures.all_measures()]


def month_of(request) -> tuple[date, list[str]]:
    """The month asked for (`month=YYYY-MM`), or last month with the reason why."""
    today = timezone.localdate()
    last = add_months(today.replace(day=1), -1)
    raw = request.GET.get("month")
    if raw in (None, ""):
        return last, []
    month = parse_month(raw)
    if month is None:
        return last, [
            _("月份格式应为“年-月”，如 2026-11（2000 年至 2099 年）。下面显示上个月的考核表。")
        ]
    if month > today.replace(day=1):
        return last, [_("该月份尚未开始，没有可考核的数据。下面显示上个月的考核表。")]
    return month, []


def _center_of(request, errors: list[str]) -> Center:
    """The center whose windows the overview ranks: the user's own, or one of
    their scope named by `center` (another one is a 404)."""
    raw = request.GET.get("center")
    home = selectors.home_center(request.user)
    if raw in (None, ""):
        return home
    pk = parse_id(raw)
    if pk is None:
        errors.append(_("中心编号无效，下面显示本中心的窗口。"))
        return home
    found = selectors.centers_of(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _window_name(w: Window) -> str:
    return f"{w.number} {w.name}"


def _ranked(lines: list[Line]) -> list[Line]:
    lines.sort(key=lambda x: (x.mean is None, -(x.mean or 0), -x.figures.cases, x.name))
    for i, line in enumerate(lines, start=1):
        line.rank = i
    return lines


def _remainder(total: Figures, parts: list[Figures]) -> Figures:
    """What a unit's total holds beyond its rows: records charged to the unit
    itself (an online application nobody pre-reviewed, a department's summary)."""
    rest = Figures(
        login_days=total.login_days - sum(p.login_days for p in parts),
        cases=total.cases - sum(p.cases for p in parts),
        changes=total.changes - sum(p.changes for p in parts),
    )
    for code, share in total.shares.items():
        rest.share(code).add(
            share.done - sum(p.shares[code].done for p in parts if code in p.shares),
            share.total - sum(p.shares[code].total for p in parts if code in p.shares),
        )
    return rest


def _month_query(month: date, **extra) -> str:
    from urllib.parse import urlencode

    return urlencode({"month": f"{month:%Y-%m}", **{k: v for k, v in extra.items() if v}})


# ---- the three views, as data shared by the pages and their exports ----------------


def window_sheet(request, pk: int) -> dict:
    window = get_object_or_404(selectors.windows_of(request.user), pk=pk)
    month, errors = month_of(request)
    usage = month_usage(month)
    codes = usage.codes
    clerks = Staff.objects.filter(window=window).select_related("user").order_by("user__username")
    lines = [
        Line(
            str(s.user.full_name or s.user.username),
            usage.staff[s.user_id],
            codes,
            sub=s.user.username,
        )
        for s in clerks
    ]
    total = Line(_("窗口合计"), usage.window[window.pk], codes)
    rest = Line(
        _("记在窗口名下的记录"), _remainder(total.figures, [x.figures for x in lines]), codes
    )
    department = window.department
    return {
        "kind": "window",
        "title": _("%(window)s 使用情况考核表") % {"window": _window_name(window)},
        "window": window,
        "department": department,
        "center": department.center,
        "month": month,
        "errors": errors,
        "columns": _columns(),
        "lines": lines,
        "rest": None if rest.is_empty else rest,
        "total": total,
        "query": _month_query(month),
        "export_url": reverse("usage:window_export", args=[window.pk]),
        "up_url": reverse("usage:department", args=[department.pk])
        if selectors.departments_of(request.user).filter(pk=department.pk).exists()
        else "",
    }


def department_view(request, pk: int) -> dict:
    department = get_object_or_404(selectors.departments_of(request.user), pk=pk)
    month, errors = month_of(request)
    usage = month_usage(month)
    codes = usage.codes
    query = _month_query(month)
    lines = [
        Line(
            _window_name(w),
            usage.window[w.pk],
            codes,
            href=f"{reverse('usage:window', args=[w.pk])}?{query}",
        )
        for w in department.windows.order_by("number")
    ]
    _ranked(lines)
    parts = [x.figures for x in lines]
    no_window = Line(_("不属于窗口的人员"), usage.no_window[department.pk], codes)
    if not no_window.is_empty:
        parts.append(no_window.figures)
    total = Line(_("部门合计"), usage.department[department.pk], codes)
    rest = Line(_("记在部门名下的记录"), _remainder(total.figures, parts), codes)
    return {
        "kind": "department",
        "title": _("%(department)s 使用情况考核") % {"department": department.name},
        "department": department,
        "center": department.center,
        "month": month,
        "errors": errors,
        "columns": _columns(),
        "lines": lines,
        "no_window": None if no_window.is_empty else no_window,
        "rest": None if rest.is_empty else rest,
        "total": total,
        "query": query,
        "export_url": reverse("usage:department_export", args=[department.pk]),
        "up_url": f"{reverse('usage:index')}?{_month_query(month, center=department.center_id)}",
    }


def center_view(request) -> dict:
    user = request.user
    month, errors = month_of(request)
    compare = user.is_superuser or user.has_perm(RIGHT_COMPARE)
    center = _center_of(request, errors) if compare else selectors.home_center(user)
    usage = month_usage(month)
    codes = usage.codes
    query = _month_query(month)
    windows = selectors.windows_of(user)
    if compare:
        windows = windows.filter(department__center=center)
    windows = windows.select_related("department").order_by("department__sort_order", "number")
    lines = _ranked(
        [
            Line(
                _window_name(w),
                usage.window[w.pk],
                codes,
                href=f"{reverse('usage:window', args=[w.pk])}?{query}",
                sub=w.department.short_name or w.department.name,
            )
            for w in windows
        ]
    )
    departments = []
    if compare:
        departments = _ranked(
            [
                Line(
                    d.name,
                    usage.department[d.pk],
                    codes,
                    href=f"{reverse('usage:department', args=[d.pk])}?{query}",
                )
                for d in selectors.departments_of(user).filter(center=center)
            ]
        )
    return {
        "kind": "center",
        "title": _("%(center)s 窗口使用情况排名") % {"center": center.name}
        if compare
        else _("本窗口使用情况"),
        "center": center,
        "compare": compare,
        "centers": list(selectors.centers_of(user)) if compare else [],
        "month": month,
        "errors": errors,
        "columns": _columns(),
        "lines": lines,
        "departments": departments,
        "total": Line(_("中心合计"), usage.center[center.pk], codes) if compare else None,
        "query": _month_query(month, center=center.pk if compare else None),
        "export_url": reverse("usage:index_export"),
    }


# ---- pages -----------------------------------------------------------------------------


def _page(request, template: str, context: dict):
    context["month_value"] = f"{context['month']:%Y-%m}"
    context["month_max"] = f"{timezone.localdate():%Y-%m}"
    context["extras"] = [
        x for x in (context.get("no_window"), context.get("rest"), context.get("total")) if x
    ]
    return render(request, template, context)


@staff_required(RIGHT_VIEW)
@require_GET
def index(request):
    """The center's ranking of its windows (a clerk: their own window)."""
    return _page(request, "usage/staff/index.html", center_view(request))


@staff_required(RIGHT_COMPARE)
@require_GET
def department(request, pk: int):
    return _page(request, "usage/staff/department.html", department_view(request, pk))


@staff_required(RIGHT_VIEW)
@require_GET
def window(request, pk: int):
    return _page(request, "usage/staff/window.html", window_sheet(request, pk))


# ---- Excel --------------------------------------------------------------------------------


def _header(first: str, columns: list[dict], ranked: bool) -> list[str]:
    head = [_("名次")] if ranked else []
    head += [first, _("登录天数"), _("办理件数"), _("状态变更次数")]
    for c in columns:
        label = str(c["label"])
        head += [f"{label}{_('：按时')}", f"{label}{_('：应计')}", f"{label}{_('（%）')}"]
    return head


def _values(line: Line, ranked: bool) -> list:
    f = line.figures
    out = [line.rank or ""] if ranked else []
    out += [
        f"{line.name}（{line.sub}）" if line.sub else line.name,
        f.login_days,
        f.cases,
        f.changes,
    ]
    for s in line.shares:
        out += [s.done, s.total, "" if s.rate is None else round(s.rate * 100, 1)]
    return out


def _xlsx(context: dict, first: str, lines: list[Line], extra: list[Line], name: str, ranked=False):
    rows = [_values(x, ranked) for x in [*lines, *extra] if x is not None]
    title = f"{context['title']} {context['month']:%Y-%m}"
    response = StreamingHttpResponse(
        stream_workbook(title, _header(first, context["columns"], ranked), rows),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="usage-{name}-{context["month"]:%Y%m}.xlsx"'
    )
    return response


@staff_required(RIGHT_VIEW)
@require_GET
def index_export(request):
    c = center_view(request)
    return _xlsx(c, _("窗口"), c["lines"], [c["total"]], f"center{c['center'].pk}", ranked=True)


@staff_required(RIGHT_COMPARE)
@require_GET
def department_export(request, pk: int):
    c = department_view(request, pk)
    extra = [c["no_window"], c["rest"], c["total"]]
    return _xlsx(c, _("窗口"), c["lines"], extra, f"department{pk}", ranked=True)


@staff_required(RIGHT_VIEW)
@require_GET
def window_export(request, pk: int):
    c = window_sheet(request, pk)
    return _xlsx(c, _("工作人员"), c["lines"], [c["rest"], c["total"]], f"window{pk}")
