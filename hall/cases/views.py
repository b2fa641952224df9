"""Public pages of an application: apply, receipt, track, status, resubmit, withdraw."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hall.catalogue.models import ServiceItem
from hall.core import ratelimit
from hall.core.files import private_file_response

from . import querynumbers, selectors, services
from .constants import (
    NEXT_STEPS,
    PRE_DECISION,
    CaseStatus,
)
from .forms import ApplyForm, LookupForm, ResubmitForm
from .models import Case

SESSION_KEY = "case_access"


def grant_access(request, case: Case) -> None:
    """This browser proved it holds the number and the phone (or made the case)."""
    ids = [i for i in request.session.get(SESSION_KEY, []) if i != case.pk][-19:]
    request.session[SESSION_KEY] = [*ids, case.pk]


def _case_with_access(request, number: str) -> Case:
    number = querynumbers.normalise(number)
    case = (
        Case.all_objects.select_related("item", "department", "center")
        .filter(query_number=number, practice_of=None, pk__in=request.session.get(SESSION_KEY, []))
        .order_by("pk")
        .first()
    )
    if case is None:
        raise Http404
    return case


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, code: str):
    item = get_object_or_404(
        ServiceItem.objects.published().select_related("department", "center"), code=code
    )
    if not item.can_apply_online:
        return render(request, "cases/apply_unavailable.html", {"item": item}, status=200)
    if getattr(request, "upload_too_large", False):
        return render(request, "413.html", status=413)
    token = ApplyForm.token_of(request.POST) if request.method == "POST" else None
    form = ApplyForm(
        request.POST or None,
        request.FILES or None,
        item=item,
        initial={"submission_token": uuid.uuid4()},
        staged=services.uploads_staged(token),
    )
    if request.method == "POST" and form.is_valid():
        try:
            case, _created = services.case_submit(**form.submission())
        except services.UploadError as exc:
            form.add_upload_errors(exc.errors)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            services.uploads_unstage(token)
            grant_access(request, case)
            return redirect("cases:receipt", number=case.query_number)
    if token is not None:
        # The form comes back with errors: keep what was sent and passes the checks,
        # so the applicant need not choose those files again.
        services.uploads_stage(token=token, item=item, uploads=form.chosen_uploads())
        form.keep(services.uploads_staged(token))
    return render(
        request,
        "cases/apply.html",
        {
            "item": item,
            "form": form,
            "onsite": item.materials.filter(submission="onsite"),
        },
    )


@never_cache
def receipt(request, number: str):
    case = _case_with_access(request, number)
    return render(
        request,
        "cases/receipt.html",
        {"case": case, "onsite": case.item.materials.filter(submission="onsite")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    form = LookupForm(
        request.POST or None, initial={"number": (request.GET.get("number") or "")[:20]}
    )
    limited = False
    if request.method == "POST":
        # The limits count before the form is read, so a malformed request counts too.
        found = services.case_lookup(
            client=ratelimit.client_ip(request),
            number=request.POST.get("number", ""),
            phone=request.POST.get("phone", ""),
        )
        limited = found.limited
        if not limited and form.is_valid():
            if found.case is not None:
                grant_access(request, found.case)
                return redirect("cases:status", number=found.case.query_number)
            if found.needs_whole_phone:
                form.add_error("phone", services.WHOLE_PHONE_NEEDED)
            else:
                form.add_error(None, _("没有找到与该查询号和手机号匹配的办件，请核对后重试。"))
    if limited:
        response = render(
            request,
            "cases/track.html",
            {"form": form, "limited": True, "retry_minutes": -(-found.retry_after // 60)},
            status=429,
        )
        response["Retry-After"] = str(found.retry_after)
        return response
    return render(request, "cases/track.html", {"form": form, "limited": False})


def _render_status(request, case: Case, *, resubmit_form=None, status: int = 200):
    case = selectors.case_detail(
        Case.objects.select_related("item", "department", "center"), case.pk
    )
    can_resubmit = case.status == CaseStatus.CORRECTION_REQUESTED
    current_messages, settled_messages = selectors.applicant_messages(case)
    if can_resubmit and resubmit_form is None:
        resubmit_form = ResubmitForm(case=case)
    return render(
        request,
        "cases/status.html",
        {
            "case": case,
            "next_step": NEXT_STEPS[case.status],
            "timeline": case.history.all(),
            "current_messages": current_messages,
            "settled_messages": settled_messages,
            "collect": selectors.how_to_collect(case)
            if case.status == CaseStatus.COMPLETED
            else "",
            "current_files": [f for f in case.files.all() if f.is_current],
            "can_resubmit": can_resubmit,
            "can_withdraw": case.status in PRE_DECISION,
            "resubmit_form": resubmit_form,
            "center_phone": settings.HALL_PHONE,
        },
        status=status,
    )


@never_cache
def status(request, number: str):
    case = _case_with_access(request, number)
    return _render_status(request, case)


@never_cache
@require_POST
def resubmit(request, number: str):
    case = _case_with_access(request, number)
    if getattr(request, "upload_too_large", False):
        return render(request, "413.html", status=413)
    form = ResubmitForm(request.POST, request.FILES, case=case)
    if form.is_valid():
        try:
            services.case_resubmit(
                case=case,
                remarks=form.cleaned_data["remarks"],
                form_data=None,
                files=form.files_by_material(),
                replace=set(form.cleaned_data.get("replace") or []),
            )
        except services.UploadError as exc:
            form.add_upload_errors(exc.errors)
        except services.CaseError as exc:
            messages.error(request, str(exc))
            return redirect("cases:status", number=case.query_number)
        else:
            messages.success(request, _("已重新提交，窗口工作人员将尽快预审。"))
            return redirect("cases:status", number=case.query_number)
    return _render_status(request, case, resubmit_form=form, status=400)


@never_cache
@require_POST
def withdraw(request, number: str):
    case = _case_with_access(request, number)
    try:
        services.case_withdraw(
            case=case,
            by_applicant=True,
            reason=request.POST.get("reason", "")[:500],
        )
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("cases:status", number=case.query_number)


def serve_case_file(case_file):
    # Images and PDFs open in the browser (previews); anything else downloads.
    inline = case_file.is_image or case_file.kind == "pdf"
    response = private_file_response(
        case_file.file, case_file.original_name, inline=inline, kind=case_file.kind
    )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def applicant_file(request, number: str, file_id: int):
    case = _case_with_access(request, number)
    return serve_case_file(get_object_or_404(case.files, pk=file_id))
