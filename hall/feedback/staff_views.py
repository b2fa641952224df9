"""The staff pages of the complaints hall: the list, a complaint and its moves,
its files, the findings shared with a department, the settings, the export."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hall.core import audit_events
from hall.core.files import private_file_response
from hall.core.models import AuditEntry
from hall.core.permissions import staff_required
from hall.org.models import Department
from hall.workdays.services import current_calendar

from . import selectors, services, workflow
from .constants import (
    PAGE_SIZE,
    RIGHT_HANDLE,
    RIGHT_PUBLISH,
    RIGHT_SETTINGS,
    RIGHT_VIEW,
    RIGHT_VIEW_SHARED,
    NotAcceptedReason,
)
from .constants import ComplaintStatus as S
from .errors import ComplaintError
from .forms import AnswerForm, EmptyForm, ListFilterForm, NotAcceptForm, PublishForm, SettingsForm
from .models import Complaint


def _filtered(request):
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.complaints_visible_to(request.user).select_related(
        "department", "center", "center__parent", "staff__user", "staff__window", "window", "item"
    )
    today = timezone.localdate()
    calendar = current_calendar()
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("category"):
        qs = qs.filter(category=data["category"])
    if data.get("department"):
        qs = qs.filter(department_id=data["department"])
    if data.get("overdue"):
        qs = selectors.overdue(qs, calendar, today)
    if data.get("escalated"):
        staff = getattr(request.user, "staff", None)
        if staff is not None:
            qs = selectors.escalated_to(qs, calendar, today, staff.center)
    if data.get("q"):
        qs = qs.filter(
            Q(description__icontains=data["q"]) | Q(number=data["q"].replace("-", "").upper())
        )
    return form, data, qs, calendar, today


@staff_required(RIGHT_VIEW)
@require_GET
def complaint_list(request):
    form, data, qs, calendar, today = _filtered(request)
    page = Paginator(qs.order_by("-filed_at", "-id"), PAGE_SIZE).get_page(data.get("page") or 1)
    selectors.annotate_clock(page.object_list, calendar, today)
    query = "&".join(
        f"{k}={v}"
        for k, v in request.GET.items()
        if k != "page" and k in form.fields and v and len(v) < 60
    )
    departments = Department.objects.filter(
        pk__in=selectors.complaints_visible_to(request.user).values("department_id")
    ).order_by("center__sort_order", "sort_order")
    return render(
        request,
        "feedback/staff/list.html",
        {"page": page, "form": form, "query": query, "departments": departments},
    )


def _complaint(request, pk: int) -> Complaint:
    return get_object_or_404(
        selectors.complaints_visible_to(request.user).select_related(
            "department",
            "center",
            "center__parent",
            "staff__user",
            "staff__window",
            "window",
            "item",
            "case",
            "answered_by",
            "escalated_to",
        ),
        pk=pk,
    )


def _history(complaint) -> list[dict]:
    """The complaint's audit entries, oldest first, as people read them."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint), object_id=str(complaint.pk)
    ).order_by("created_at", "id")
    return [
        {
            "at": e.created_at,
            "label": audit_events.get(e.action).label,
            "who": e.actor_name,
            "reason": (e.data or {}).get("reason", ""),
        }
        for e in entries
    ]


@staff_required(RIGHT_VIEW)
@require_GET
def detail(request, pk: int, forms_with_errors=None, status: int = 200):
    return _detail(request, _complaint(request, pk), forms_with_errors or {}, status)


def _detail(request, complaint, forms, status):
    user = request.user
    calendar = current_calendar()
    selectors.annotate_clock([complaint], calendar, timezone.localdate())
    moves = workflow.staff_moves_for(complaint.status, user)
    ctx = {"complaint": complaint, "moves": moves, "history": _history(complaint)}
    if S.ACCEPTED in moves:
        ctx["accept_form"] = forms.get("accept") or EmptyForm()
    if S.NOT_ACCEPTED in moves:
        ctx["not_accept_form"] = forms.get("not_accept") or NotAcceptForm()
    if S.INVESTIGATING in moves:
        ctx["investigate_form"] = forms.get("investigate") or EmptyForm()
    if S.ANSWERED in moves:
        ctx["answer_form"] = forms.get("answer") or AnswerForm()
    if S.CLOSED in moves:
        ctx["close_form"] = forms.get("close") or EmptyForm()
    if complaint.status in workflow.ANSWERED:
        if user.has_perm(RIGHT_HANDLE) and complaint.shared_at is None:
            ctx["share_form"] = forms.get("share") or EmptyForm()
        if user.has_perm(RIGHT_PUBLISH):
            text, answer = services.masked_draft(complaint)
            ctx["publish_form"] = forms.get("publish") or PublishForm(
                initial={
                    "published_text": complaint.published_text or text,
                    "published_answer": complaint.published_answer or answer,
                }
            )
    # A refused action whose form the page no longer offers still says why.
    ctx["action_errors"] = [
        e for key, f in forms.items() for e in f.non_field_errors() if f"{key}_form" not in ctx
    ]
    ctx["not_accepted_label"] = (
        NotAcceptedReason(complaint.not_accepted_reason).label
        if complaint.not_accepted_reason in NotAcceptedReason.values
        else ""
    )
    return render(request, "feedback/staff/detail.html", ctx, status=status)


def _act(request, pk, key, form_class, do, done: str):
    complaint = _complaint(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            do(complaint, form.cleaned_data)
        except ComplaintError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("feedback:staff_detail", pk=complaint.pk)
    complaint.refresh_from_db()
    return _detail(request, complaint, {key: form}, 400)


@staff_required(RIGHT_HANDLE)
@require_POST
def accept(request, pk: int):
    return _act(
        request,
        pk,
        "accept",
        EmptyForm,
        lambda c, d: services.complaint_accept(complaint=c, actor=request.user),
        _("已受理，投诉人将收到短信通知。"),
    )


@staff_required(RIGHT_HANDLE)
@require_POST
def not_accept(request, pk: int):
    return _act(
        request,
        pk,
        "not_accept",
        NotAcceptForm,
        lambda c, d: services.complaint_not_accept(
            complaint=c, actor=request.user, reason=d["reason"], note=d["note"]
        ),
        _("已决定不予受理。"),
    )


@staff_required(RIGHT_HANDLE)
@require_POST
def investigate(request, pk: int):
    return _act(
        request,
        pk,
        "investigate",
        EmptyForm,
        lambda c, d: services.complaint_investigate(complaint=c, actor=request.user),
        _("已开始调查。"),
    )


@staff_required(RIGHT_HANDLE)
@require_POST
def answer(request, pk: int):
    return _act(
        request,
        pk,
        "answer",
        AnswerForm,
        lambda c, d: services.complaint_answer(
            complaint=c, actor=request.user, answer=d["answer"], findings=d["findings"]
        ),
        _("已答复，投诉人将收到短信通知。"),
    )


@staff_required(RIGHT_HANDLE)
@require_POST
def close(request, pk: int):
    return _act(
        request,
        pk,
        "close",
        EmptyForm,
        lambda c, d: services.complaint_close(complaint=c, actor=request.user),
        _("投诉已办结。"),
    )


@staff_required(RIGHT_HANDLE)
@require_POST
def share(request, pk: int):
    return _act(
        request,
        pk,
        "share",
        EmptyForm,
        lambda c, d: services.complaint_share(complaint=c, actor=request.user),
        _("已向被投诉部门通报调查结论（不含投诉人姓名和电话）。"),
    )


@staff_required(RIGHT_PUBLISH)
@require_POST
def publish(request, pk: int):
    return _act(
        request,
        pk,
        "publish",
        PublishForm,
        lambda c, d: services.complaint_publish(
            complaint=c,
            actor=request.user,
            text=d["published_text"],
            answer=d["published_answer"],
        ),
        _("已在投诉大厅公开（个人信息已隐去）。"),
    )


@staff_required(RIGHT_VIEW)
@require_GET
def complaint_file(request, pk: int, file_id: int):
    complaint = _complaint(request, pk)
    record = complaint.files.filter(pk=file_id).first()
    if record is None:
        raise Http404
    return private_file_response(
        record.file, record.original_name, inline=record.kind != "pdf", kind=record.kind
    )


# ---- the department's view of shared findings -------------------------------------


@staff_required(RIGHT_VIEW_SHARED)
@require_GET
def shared_list(request):
    qs = selectors.shared_visible_to(request.user).select_related("department", "center")
    page = Paginator(qs.order_by("-shared_at"), PAGE_SIZE).get_page(
        request.GET.get("page") if (request.GET.get("page") or "").isdigit() else 1
    )
    return render(request, "feedback/staff/shared_list.html", {"page": page})


@staff_required(RIGHT_VIEW_SHARED)
@require_GET
def shared_detail(request, pk: int):
    complaint = get_object_or_404(
        selectors.shared_visible_to(request.user).select_related(
            "department", "center", "item", "window", "staff__user", "staff__window"
        ),
        pk=pk,
    )
    return render(
        request,
        "feedback/staff/shared_detail.html",
        {"complaint": complaint, "description": services.shared_description(complaint)},
    )


# ---- settings and export ---------------------------------------------------------------


@staff_required(RIGHT_SETTINGS)
@require_http_methods(["GET", "POST"])
def settings_view(request):
    staff = getattr(request.user, "staff", None)
    if staff is None:
        raise Http404
    center = staff.center
    form = SettingsForm(
        request.POST or None, initial={"answer_days": selectors.answer_days(center)}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.feedback_settings_save(
                    center=center, actor=request.user, answer_days=form.cleaned_data["answer_days"]
                )
            except ComplaintError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已保存。"))
                return redirect("feedback:settings")
        status = 400
    return render(
        request, "feedback/staff/settings.html", {"form": form, "center": center}, status=status
    )


@staff_required(RIGHT_VIEW)
@require_GET
def export(request):
    from hall.supervision.constants import XLSX_CONTENT_TYPE
    from hall.supervision.exports import stream_workbook

    _form, _data, qs, calendar, today = _filtered(request)
    days = selectors.answer_days_by_center()

    def rows():
        from . import deadlines
        from .constants import DEFAULT_ANSWER_DAYS

        for c in qs.order_by("-filed_at", "-id").iterator(chunk_size=2000):
            n = days.get(c.center_id, DEFAULT_ANSWER_DAYS)
            late = deadlines.is_overdue(
                calendar, status=c.status, clock_from=c.clock_from, days=n, today=today
            )
            yield [
                c.display_number,
                c.center.name,
                c.department.name,
                c.target_label,
                c.get_category_display(),
                c.get_status_display(),
                timezone.localtime(c.filed_at),
                deadlines.answer_due(calendar, c.clock_from, n),
                _("是") if late else _("否"),
                _("是") if c.escalated_at else _("否"),
                timezone.localtime(c.answered_at) if c.answered_at else "",
                _("是") if c.anonymous else _("否"),
            ]

    header = [
        _("投诉编号"),
        _("负责中心"),
        _("被投诉部门"),
        _("投诉对象"),
        _("投诉类别"),
        _("状态"),
        _("投诉时间"),
        _("答复期限"),
        _("是否超期"),
        _("是否已报督办"),
        _("答复时间"),
        _("匿名投诉"),
    ]
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = StreamingHttpResponse(
        stream_workbook(_("投诉"), header, rows()), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.xlsx"'
    return response
