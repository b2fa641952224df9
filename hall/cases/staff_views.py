"""The workbench's pre-review: the department's queue and the case page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hall.core.forms import clean_search
from hall.core.permissions import staff_required

from . import querynumbers, selectors, services, workflow
from .constants import PRE_DECISION, CaseStatus
from .forms import (
    ApproveForm,
    CompleteForm,
    CorrectionForm,
    DecisionReasonForm,
    NoteForm,
    ReasonForm,
    ReplyForm,
    SuspendForm,
    WalkInForm,
)
from .views import serve_case_file

TABS = [
    ("submitted", gettext_lazy("待预审")),
    ("correction_requested", gettext_lazy("待补正")),
    ("accepted", gettext_lazy("办理中")),
    ("due_soon", gettext_lazy("临期")),
    ("overdue", gettext_lazy("超期")),
    ("suspended", gettext_lazy("特别程序")),
    ("all", gettext_lazy("全部")),
]


@staff_required("cases.view_case")
def queue(request):
    qs = selectors.cases_visible_to(request.user)
    from django.utils import timezone

    from hall.workdays.services import current_calendar

    from . import deadlines

    calendar, today = current_calendar(), timezone.localdate()
    tab = request.GET.get("tab", "submitted")
    if tab in CaseStatus.values:
        qs = qs.filter(status=tab)
    elif tab == "due_soon":
        qs = selectors.due_soon(qs, selectors.DueClock.at(calendar, today))
    elif tab == "overdue":
        qs = selectors.overdue(qs, selectors.DueClock.at(calendar, today))
    else:
        tab = "all"
    q = clean_search(request.GET.get("q"), 40)
    if q:
        number = querynumbers.normalise(q)
        qs = qs.filter(
            Q(query_number=number)
            | Q(applicant_name__contains=q)
            | Q(phone=q)
            | Q(id_number=q.upper())
        )
    order = "submitted_at" if tab in ("submitted", "correction_requested") else "-submitted_at"
    if request.GET.get("sort") == "deadline" or tab in ("due_soon", "overdue"):
        order = "promised_due"
    page = Paginator(qs.order_by(order, "id"), 30).get_page(request.GET.get("page"))
    for case in page:
        case.clock = deadlines.state(
            calendar, status=case.status, promised_due=case.promised_due, today=today
        )
    return render(
        request,
        "cases/staff/queue.html",
        {"page": page, "tab": tab, "tabs": TABS, "q": q, "query": urlencode({"tab": tab, "q": q})},
    )


def _case(request, pk):
    case = selectors.case_detail(selectors.cases_visible_to(request.user), pk)
    if case is None:
        raise Http404
    return case


@staff_required("cases.view_case")
def case_page(request, pk: int):
    case = _case(request, pk)
    from django.utils import timezone

    from hall.workdays.services import current_calendar

    from . import deadlines

    rounds = list(case.rounds.all())
    clock = deadlines.state(
        current_calendar(),
        status=case.status,
        promised_due=case.promised_due,
        today=timezone.localdate(),
    )
    changes = services.round_changes(case, case.round) if case.round > 1 else None
    moves = (
        workflow.staff_moves(case.status) if request.user.has_perm(services.RIGHT_HANDLE) else set()
    )
    return render(
        request,
        "cases/staff/case.html",
        {
            "case": case,
            "rounds": rounds,
            "changes": changes,
            "files": list(case.files.all()),
            "form_rows": selectors.case_form_rows(case),
            "documents": selectors.case_documents(case) if case.status not in PRE_DECISION else {},
            "checklist": selectors.case_material_checklist(case),
            "timeline": selectors.case_timeline(case),
            "moves": moves,
            "can_review": case.status in PRE_DECISION
            and request.user.has_perm(services.RIGHT_HANDLE),
            "reply_form": ReplyForm(auto_id="reply-%s"),
            "correction_form": CorrectionForm(case=case, auto_id="correction-%s"),
            "refuse_form": DecisionReasonForm(auto_id="refuse-%s"),
            "approve_form": ApproveForm(auto_id="approve-%s"),
            "clock": clock,
            "can_handle": request.user.has_perm(services.RIGHT_HANDLE),
            "can_extend": request.user.has_perm(services.RIGHT_EXTEND)
            and case.status in (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)
            and not case.extensions.exists(),
            "suspend_form": SuspendForm(auto_id="suspend-%s"),
            "reject_form": DecisionReasonForm(prefix="reject"),
            "complete_form": CompleteForm(auto_id="complete-%s"),
            "extend_form": ReasonForm(prefix="extend"),
            "note_form": NoteForm(auto_id="note-%s"),
            "suspensions": case.suspensions.all(),
            "notes": case.notes.select_related("author"),
        },
    )


def _act(request, pk, action):
    """Run one move on a case in the user's scope. The service checks the actor's
    right and scope itself; a refusal there answers 404 like any case outside them."""
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    try:
        result = action(case)
    except services.CaseForbidden as exc:
        raise Http404 from exc
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        if result:
            messages.success(request, result)
    return redirect("cases:staff_case", pk=case.pk)


@staff_required(services.RIGHT_HANDLE)
@require_POST
def reply(request, pk: int):
    form = ReplyForm(request.POST)

    def action(case):
        if not form.is_valid():
            raise services.CaseError(_("请填写回复内容（不超过 2000 字）。"))
        services.case_reply(case=case, actor=request.user, text=form.cleaned_data["text"])
        return _("回复已发送，申请人凭查询号即可看到。")

    return _act(request, pk, action)


@staff_required(services.RIGHT_HANDLE)
@require_POST
def request_correction(request, pk: int):
    def action(case):
        form = CorrectionForm(request.POST, case=case)
        if not form.is_valid():
            errors = [e for errs in form.errors.values() for e in errs]
            raise services.CaseError("；".join(errors))
        services.case_request_correction(
            case=case,
            actor=request.user,
            text=form.cleaned_data["text"],
            points=form.cleaned_data["points"],
        )
        return _("补正告知已发出。")

    return _act(request, pk, action)


@staff_required(services.RIGHT_HANDLE)
@require_POST
def accept(request, pk: int):
    def action(case):
        services.case_accept(case=case, actor=request.user)
        return _("已受理。")

    return _act(request, pk, action)


@staff_required(services.RIGHT_HANDLE)
@require_POST
def refuse(request, pk: int):
    form = DecisionReasonForm(request.POST)

    def action(case):
        if not form.is_valid():
            if "reason" in form.errors:
                raise services.CaseError(_("不予受理须写明理由（不超过 2000 字）。"))
            raise services.CaseError(_form_errors(form))
        services.case_refuse(case=case, actor=request.user, reason=form.cleaned_data["reason"])
        return _("已作出不予受理决定。")

    return _act(request, pk, action)


@staff_required("cases.view_case")
def staff_file(request, pk: int, file_id: int):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    return serve_case_file(get_object_or_404(case.files, pk=file_id))


def _form_errors(form) -> str:
    return "；".join(e for errs in form.errors.values() for e in errs)


@staff_required(services.RIGHT_HANDLE)
@require_POST
def suspend(request, pk: int):
    form = SuspendForm(request.POST)

    def action(case):
        if not form.is_valid():
            raise services.CaseError(_form_errors(form))
        services.case_suspend(case=case, actor=request.user, **form.cleaned_data)
        return _("已进入特别程序，暂停计时。")

    return _act(request, pk, action)


@staff_required(services.RIGHT_HANDLE)
@require_POST
def resume(request, pk: int):
    def action(case):
        services.case_resume(case=case, actor=request.user)
        return _("特别程序结束，已恢复计时。")

    return _act(request, pk, action)


@staff_required(services.RIGHT_HANDLE)
@require_POST
def approve(request, pk: int):
    form = ApproveForm(request.POST)

    def action(case):
        if not form.is_valid():
            raise services.CaseError(_form_errors(form))
        services.case_approve(
            case=case, actor=request.user, opinion=form.cleaned_data["opinion"].strip()
        )
        return _("已作出准予许可决定。")

    return _act(request, pk, action)


@staff_required(services.RIGHT_HANDLE)
@require_POST
def reject(request, pk: int):
    form = DecisionReasonForm(request.POST, prefix="reject")

    def action(case):
        if not form.is_valid():
            if "reason" in form.errors:
                raise services.CaseError(_("不予许可须写明理由（不超过 2000 字）。"))
            raise services.CaseError(_form_errors(form))
        services.case_reject(case=case, actor=request.user, reason=form.cleaned_data["reason"])
        return _("已作出不予许可决定。")

    return _act(request, pk, action)


@staff_required(services.RIGHT_HANDLE)
@require_POST
def complete(request, pk: int):
    form = CompleteForm(request.POST)

    def action(case):
        if not form.is_valid():
            raise services.CaseError(_form_errors(form))
        services.case_complete(case=case, actor=request.user, **form.cleaned_data)
        return _("已办结。")

    return _act(request, pk, action)


@staff_required(services.RIGHT_EXTEND)
@require_POST
def extend(request, pk: int):
    form = ReasonForm(request.POST, prefix="extend")

    def action(case):
        if not form.is_valid():
            raise services.CaseError(_("请填写延期理由。"))
        services.case_extend(case=case, actor=request.user, reason=form.cleaned_data["reason"])
        return _("法定时限已延长 10 个工作日。")

    return _act(request, pk, action)


@staff_required(services.RIGHT_HANDLE)
@require_POST
def note(request, pk: int):
    form = NoteForm(request.POST)

    def action(case):
        if not form.is_valid():
            raise services.CaseError(_("请填写备注内容（不超过 2000 字）。"))
        services.case_add_note(case=case, actor=request.user, text=form.cleaned_data["text"])
        return _("备注已保存。")

    return _act(request, pk, action)


@staff_required(services.RIGHT_HANDLE)
def walk_in_start(request):
    """Choose the item of the case brought to the window."""
    from hall.catalogue.selectors import items_editable_by

    items = items_editable_by(request.user).filter(is_published=True).order_by("code")
    q = clean_search(request.GET.get("q"), 40)
    if q:
        items = items.filter(Q(name__contains=q) | Q(code__contains=q.upper()))
    return render(request, "cases/staff/walk_in_start.html", {"items": items[:100], "q": q})


@staff_required(services.RIGHT_HANDLE)
def walk_in(request, code: str):
    from hall.catalogue.selectors import items_editable_by

    item = get_object_or_404(items_editable_by(request.user).filter(is_published=True), code=code)
    form = WalkInForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_walk_in(
                item=item,
                applicant=services.Applicant.from_cleaned(data),
                actor=request.user,
                received=data["received"],
                originals=data["originals"],
                scans=data["scans"],
                accept=data["decision"] == "accept",
                reason=data.get("reason", ""),
            )
        except services.UploadError as exc:
            form.add_upload_errors(exc.errors)
        except services.CaseForbidden as exc:
            raise Http404 from exc
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记窗口办件。"))
            return redirect("cases:notice", pk=case.pk)
    return render(request, "cases/staff/walk_in.html", {"item": item, "form": form})


@staff_required("cases.view_case")
def notice(request, pk: int):
    """The printable documents of a case, as the office prints them: 受理通知书 or
    不予受理决定书, and once decided the decision (准予 / 不予行政许可决定书); with
    the center, department, clerk, date, seal area, phone and a QR code to the
    status page. `?doc=decision` asks for the decision; anything else, the first."""
    import qrcode
    import qrcode.image.svg
    from django.urls import reverse

    case = _case(request, pk)
    documents = selectors.case_documents(case)
    doc = request.GET.get("doc")
    if doc not in documents:
        doc = next(iter(documents))
    status_url = (
        request.build_absolute_uri(reverse("cases:track")) + f"?number={case.display_number}"
    )
    svg = qrcode.make(
        status_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8
    ).to_string(encoding="unicode")
    step = selectors.document_step(case, doc)
    return render(
        request,
        "cases/staff/notice.html",
        {
            "case": case,
            "doc": doc,
            "title": documents[doc],
            "step": step,
            "clerk": (step.actor if step else None) or case.handled_by,
            "qr_svg": svg,
            "status_url": status_url,
        },
    )
