"""The staff pages of 中心布置工作: the unit's inbox, a notice (its reading is
the receipt) with the task's feedback, the center's sent list, the form to
send, and the status table of one notice."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hall.core.files import private_file_response
from hall.core.permissions import staff_required

from . import selectors, services
from .constants import PAGE_SIZE, RIGHT_FEEDBACK, RIGHT_SEND, RIGHT_STATUS, RIGHT_VIEW, Kind
from .constants import ReceiptStatus as S
from .errors import NoticeError, NoticeForbidden
from .forms import FeedbackForm, SendForm


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page") or 1)


@staff_required(RIGHT_VIEW)
def inbox(request):
    """The notices and tasks to the user's unit, unread first."""
    return render(
        request,
        "notices/staff/inbox.html",
        {"page": _page(request, selectors.inbox(request.user)), "today": timezone.localdate()},
    )


@staff_required(RIGHT_STATUS)
def sent(request):
    """What the user's centers sent, with how far the units are."""
    today = timezone.localdate()
    qs = selectors.sent_list(selectors.notices_sent_visible_to(request.user), today).order_by(
        "-sent_at", "-id"
    )
    return render(request, "notices/staff/sent.html", {"page": _page(request, qs), "today": today})


@staff_required(RIGHT_SEND)
@require_http_methods(["GET", "POST"])
def new(request):
    try:
        center = services.sender_center(request.user)
    except NoticeForbidden as exc:
        raise Http404 from exc
    reach = selectors.reach(center)
    form = SendForm(request.POST or None, request.FILES or None, reach=reach)
    error = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                notice = services.notice_send(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    due_days=form.cleaned_data["due_days"],
                    departments=form.units("departments"),
                    windows=form.units("windows"),
                    centers=form.units("centers") if "centers" in form.fields else [],
                    files=form.cleaned_data["files"],
                )
            except NoticeForbidden as exc:
                raise Http404 from exc
            except NoticeError as exc:
                error = str(exc)
            else:
                messages.success(
                    request, _("已发送给 %(n)d 个单位。") % {"n": notice.recipients.count()}
                )
                return redirect("notices:status", pk=notice.pk)
        else:
            error = _("请检查填写的内容。")
        status = 400
    return render(
        request,
        "notices/staff/new.html",
        {"form": form, "center": center, "error": error},
        status=status,
    )


def _notice(request, pk: int):
    return get_object_or_404(
        selectors.notices_visible_to(request.user).select_related("center", "sent_by"), pk=pk
    )


@staff_required(RIGHT_VIEW)
def detail(request, pk: int, form=None, error: str = "", status: int = 200):
    notice = _notice(request, pk)
    if request.method == "GET":
        services.notice_open(notice=notice, actor=request.user)
    own = list(
        selectors.own_recipients(request.user)
        .filter(notice=notice)
        .select_related("department", "window", "center", "read_by", "feedback", "feedback__by")
    )
    waiting = [r for r in own if r.status != S.FED_BACK]
    can_feedback = notice.kind == Kind.TASK and waiting and request.user.has_perm(RIGHT_FEEDBACK)
    can_status = selectors.notices_sent_visible_to(request.user).filter(pk=notice.pk).exists()
    return render(
        request,
        "notices/staff/detail.html",
        {
            "notice": notice,
            "files": notice.files.filter(feedback__isnull=True),
            "own": own,
            "feedback_files": {
                r.pk: list(r.feedback.files.all()) for r in own if hasattr(r, "feedback")
            },
            "waiting": waiting,
            "form": (form or FeedbackForm()) if can_feedback else None,
            "can_status": can_status and request.user.has_perm(RIGHT_STATUS),
            "today": timezone.localdate(),
            "error": error,
        },
        status=status,
    )


@staff_required(RIGHT_FEEDBACK)
@require_POST
def feedback(request, pk: int):
    notice = _notice(request, pk)
    own = selectors.feedback_recipients(request.user).filter(notice=notice).order_by("id")
    chosen = request.POST.get("recipient")
    if chosen:
        own = own.filter(pk=chosen) if str(chosen).isdigit() else own.none()
    recipient = own.exclude(status=S.FED_BACK).first() or own.first()
    if recipient is None:
        raise Http404
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        return detail(request, pk, form=form, error=_("请检查填写的内容。"), status=400)
    try:
        services.task_feedback(
            recipient=recipient,
            actor=request.user,
            text=form.cleaned_data["text"],
            files=form.cleaned_data["files"],
        )
    except NoticeForbidden as exc:
        raise Http404 from exc
    except NoticeError as exc:
        return detail(request, pk, form=form, error=str(exc), status=400)
    messages.success(request, _("已反馈。"))
    return redirect("notices:detail", pk=notice.pk)


@staff_required(RIGHT_STATUS)
def status_table(request, pk: int):
    notice = get_object_or_404(
        selectors.notices_sent_visible_to(request.user).select_related("center", "sent_by"), pk=pk
    )
    today = timezone.localdate()
    rows, counts = selectors.status_rows(notice, today)
    feedback_files = {}
    for f in notice.files.filter(feedback__isnull=False):
        feedback_files.setdefault(f.feedback_id, []).append(f)
    for r in rows:
        fb = getattr(r, "feedback", None) if r.status == S.FED_BACK else None
        r.fb = fb
        r.fb_files = feedback_files.get(fb.pk, []) if fb else []
    return render(
        request,
        "notices/staff/status.html",
        {"notice": notice, "rows": rows, "counts": counts, "today": today},
    )


@staff_required(RIGHT_VIEW)
def attachment(request, pk: int, file_id: int):
    """A notice's file for whoever may open the notice; a feedback's only for
    the status table's viewers and the unit that sent it."""
    notice = _notice(request, pk)
    record = get_object_or_404(notice.files.select_related("feedback"), pk=file_id)
    if record.feedback_id is not None:
        own = selectors.own_recipients(request.user).filter(pk=record.feedback.recipient_id)
        sees_status = request.user.has_perm(RIGHT_STATUS) and (
            selectors.notices_sent_visible_to(request.user).filter(pk=notice.pk).exists()
        )
        if not (own.exists() or sees_status):
            raise Http404
    return private_file_response(record.file, record.original_name, kind=record.kind)
