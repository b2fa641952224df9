"""The staff pages of the monthly summaries: a unit's own summaries and the
form, a summary with its versions and the center's decision, a unit's history,
the center's month with the overdue ones, the Excel export, the settings."""

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hall.core.forms import parse_id
from hall.core.permissions import staff_required
from hall.org.models import Center
from hall.workdays.services import current_calendar

from . import due, figures, selectors, services, workflow
from .constants import RIGHT_REVIEW, RIGHT_SETTINGS, RIGHT_SUBMIT, RIGHT_VIEW, UnitKind
from .constants import SummaryStatus as S
from .errors import SummaryError
from .forms import CommentForm, SettingsForm

SECTION_PREFIX = "section_"


def _summary(request, pk: int):
    return get_object_or_404(
        selectors.visible_to(request.user).select_related("center", "department", "window"),
        pk=pk,
    )


def _own_center(request):
    """The center whose summaries the user reviews and sets up: their own."""
    staff = getattr(request.user, "staff", None)
    if staff is not None and staff.department_id is None:
        return staff.center
    if request.user.is_superuser:
        return Center.objects.filter(parent__isnull=True).order_by("sort_order").first()
    raise Http404


def _texts(request) -> dict:
    return {
        k[len(SECTION_PREFIX) :]: v for k, v in request.POST.items() if k.startswith(SECTION_PREFIX)
    }


# ---- the unit's pages ------------------------------------------------------------------


@staff_required(RIGHT_SUBMIT)
@require_GET
def mine(request):
    today = timezone.localdate()
    calendar = current_calendar()
    blocks = []
    for unit in selectors.writable_units(request.user):
        rules = selectors.rules_for(unit.department.center, today)
        rows = selectors.unit_history(unit, rules, calendar, today)[:13]
        blocks.append({"unit": unit, "rows": rows})
    return render(request, "summaries/staff/mine.html", {"blocks": blocks, "today": today})


@staff_required(RIGHT_SUBMIT)
@require_POST
def start(request):
    kind = request.POST.get("kind", "")
    unit_pk = parse_id(request.POST.get("unit"))
    month = due.parse_month(request.POST.get("month", ""))
    if kind not in UnitKind.values or unit_pk is None or month is None:
        messages.error(request, _("请求无效：请从本单位的总结列表选择月份。"))
        return render(request, "summaries/staff/refused.html", status=400)
    try:
        summary = services.summary_start(
            actor=request.user, kind=kind, unit_pk=unit_pk, month=month
        )
    except SummaryError as exc:
        if isinstance(exc, services.SummaryForbidden):
            raise Http404 from None
        messages.error(request, str(exc))
        return render(request, "summaries/staff/refused.html", status=400)
    return redirect("summaries:edit", pk=summary.pk)


def _edit_page(request, summary, texts, status=200, error=None):
    sections = services.sections_of(summary)
    current = figures.compute(
        kind=summary.kind, department=summary.department, window=summary.window, month=summary.month
    )
    last = summary.versions.order_by("-number").first()
    rows = [
        {**s, "name": f"{SECTION_PREFIX}{s['key']}", "text": texts.get(s["key"], "")}
        for s in sections
    ]
    return render(
        request,
        "summaries/staff/edit.html",
        {"summary": summary, "sections": rows, "figures": current, "last": last, "error": error},
        status=status,
    )


@staff_required(RIGHT_SUBMIT)
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    summary = _summary(request, pk)
    if summary.status not in workflow.EDITABLE:
        if request.method == "POST":
            messages.error(
                request,
                _("总结当前状态为“%(status)s”，不能修改。")
                % {"status": summary.get_status_display()},
            )
            return render(request, "summaries/staff/refused.html", status=400)
        return redirect("summaries:detail", pk=summary.pk)
    if request.method == "GET":
        return _edit_page(request, summary, summary.draft or {})
    action = request.POST.get("action")
    texts = _texts(request)
    if action not in ("save", "submit"):
        return _edit_page(request, summary, texts, 400, _("请求无效，请重新填写后保存或提交。"))
    try:
        if action == "save":
            services.summary_save(actor=request.user, summary=summary, texts=texts)
            messages.success(request, _("草稿已保存。"))
            return redirect("summaries:edit", pk=summary.pk)
        version = services.summary_submit(actor=request.user, summary=summary, texts=texts)
    except services.SummaryForbidden:
        raise Http404 from None
    except SummaryError as exc:
        return _edit_page(
            request, summary, {k: services.plain(v) for k, v in texts.items()}, 400, str(exc)
        )
    messages.success(request, _("已提交第 %(n)d 版，等待中心审核。") % {"n": version.number})
    return redirect("summaries:detail", pk=summary.pk)


@staff_required(RIGHT_VIEW)
@require_GET
def detail(request, pk: int, form=None, status=200):
    summary = _summary(request, pk)
    return _detail(request, summary, form, status)


def _detail(request, summary, form=None, status=200):
    versions = list(summary.versions.order_by("-number"))
    moves = workflow.moves_for(summary.status, request.user)
    staff = getattr(request.user, "staff", None)
    reviewer = request.user.is_superuser or (
        staff is not None and staff.department_id is None and staff.center_id == summary.center_id
    )
    can_review = reviewer and bool(moves & {S.ACCEPTED, S.RETURNED})
    can_write = S.SUBMITTED in moves and summary.status in workflow.EDITABLE
    return render(
        request,
        "summaries/staff/detail.html",
        {
            "summary": summary,
            "versions": versions,
            "can_review": can_review,
            "can_write": can_write,
            "form": form or CommentForm(),
            "overdue": selectors.is_overdue(summary.status, summary.due_on, timezone.localdate()),
        },
        status=status,
    )


def _review(request, pk, do, done):
    summary = _summary(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            do(summary, form.cleaned_data["comment"])
        except services.SummaryForbidden:
            raise Http404 from None
        except SummaryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("summaries:detail", pk=summary.pk)
    summary.refresh_from_db()
    return _detail(request, summary, form, 400)


@staff_required(RIGHT_REVIEW)
@require_POST
def accept(request, pk: int):
    return _review(
        request,
        pk,
        lambda s, c: services.summary_accept(actor=request.user, summary=s, comment=c),
        _("总结已审核通过。"),
    )


@staff_required(RIGHT_REVIEW)
@require_POST
def return_(request, pk: int):
    return _review(
        request,
        pk,
        lambda s, c: services.summary_return(actor=request.user, summary=s, comment=c),
        _("总结已退回，填报单位修改后重新提交。"),
    )


@staff_required(RIGHT_VIEW)
@require_GET
def unit(request, kind: str, pk: int):
    found = selectors.unit_visible(request.user, kind, pk)
    if found is None:
        raise Http404
    today = timezone.localdate()
    rules = selectors.rules_for(found.department.center, today)
    rows = selectors.unit_history(found, rules, current_calendar(), today)
    return render(request, "summaries/staff/unit.html", {"unit": found, "rows": rows})


# ---- the center's pages ------------------------------------------------------------------


def _month(request, today):
    month = due.parse_month(request.GET.get("month", ""))
    last = due.add_months(due.month_start(today), -1)
    if month is None or month > due.month_start(today):
        month = last
    return month


def _month_rows(request):
    center = _own_center(request)
    today = timezone.localdate()
    rules = selectors.rules_for(center, today)
    month = _month(request, today)
    calendar = current_calendar()
    return (
        center,
        rules,
        month,
        calendar,
        today,
        selectors.month_rows(center.pk, rules, month, calendar, today),
    )


@staff_required(RIGHT_REVIEW)
@require_GET
def center(request):
    center, rules, month, calendar, today, rows = _month_rows(request)
    counts = dict.fromkeys(["none", *S.values], 0)
    for r in rows:
        counts[r.status or "none"] += 1
    overdue = selectors.overdue_rows(center.pk, rules, calendar, today)
    months = list(
        reversed(
            due.months_between(due.add_months(due.month_start(today), -12), due.month_start(today))
        )
    )
    return render(
        request,
        "summaries/staff/center.html",
        {
            "center": center,
            "rules": rules,
            "month": month,
            "months": months,
            "rows": rows,
            "counts": counts,
            "late_count": sum(r.overdue for r in rows),
            "due_on": due.due_on(calendar, month, rules.due_day),
            "overdue": overdue,
        },
    )


@staff_required(RIGHT_REVIEW)
@require_GET
def export(request):
    from hall.supervision.constants import XLSX_CONTENT_TYPE
    from hall.supervision.exports import stream_workbook

    center, rules, month, calendar, today, rows = _month_rows(request)
    latest = {}
    for s in (r.summary for r in rows if r.summary is not None):
        v = s.versions.order_by("-number").first()
        if v is not None:
            latest[s.pk] = v

    def cells():
        for r in rows:
            v = latest.get(r.summary.pk) if r.summary else None
            f = v.figures if v else {}
            yield [
                f"{month:%Y-%m}",
                r.unit.department.name,
                r.unit.window.number if r.unit.window else "",
                r.unit.label,
                r.status_label,
                r.due_on,
                timezone.localtime(r.summary.first_submitted_at)
                if r.summary and r.summary.first_submitted_at
                else "",
                _("是") if r.overdue else _("否"),
                v.number if v else "",
                *[f.get(k, "") if f.get(k) is not None else "" for k in figures.KEYS],
            ]

    header = [
        _("月份"),
        _("部门"),
        _("窗口号"),
        _("填报单位"),
        _("状态"),
        _("提交期限"),
        _("首次提交时间"),
        _("是否逾期"),
        _("版本"),
        _("受理件数"),
        _("网上申报件数"),
        _("网上申报占比（%）"),
        _("作出决定件数"),
        _("按时办结件数"),
        _("按时办结率（%）"),
        _("评价数"),
        _("满意评价数"),
        _("满意率（%）"),
        _("投诉件数"),
    ]
    response = StreamingHttpResponse(
        stream_workbook(_("月度工作总结"), header, cells()), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="summaries-{month:%Y-%m}.xlsx"'
    return response


@staff_required(RIGHT_SETTINGS)
@require_http_methods(["GET", "POST"])
def settings_view(request):
    center = _own_center(request)
    today = timezone.localdate()
    rules = selectors.rules_for(center, today)
    initial = {
        "unit_kind": rules.unit_kind,
        "due_day": rules.due_day,
        "sections": services.sections_text(rules.sections),
    }
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.summary_settings_save(
                    actor=request.user,
                    center=center,
                    unit_kind=form.cleaned_data["unit_kind"],
                    due_day=form.cleaned_data["due_day"],
                    sections=form.cleaned_data["sections"],
                )
            except services.SummaryForbidden:
                raise Http404 from None
            except SummaryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("月度工作总结设置已保存。"))
                return redirect("summaries:settings")
        status = 400
    else:
        form = SettingsForm(initial=initial)
    example = due.due_on(
        current_calendar(), due.add_months(due.month_start(today), -1), rules.due_day
    )
    return render(
        request,
        "summaries/staff/settings.html",
        {
            "form": form,
            "center": center,
            "rules": rules,
            "example": example,
            "example_month": due.add_months(due.month_start(today), -1),
        },
        status=status,
    )
