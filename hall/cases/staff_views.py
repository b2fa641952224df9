"""The workbench's pre-review: the department's queue and the case page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hall.core.permissions import staff_required

from . import querynumbers, selectors, services
from .constants import PRE_DECISION, CaseStatus
from .forms import CorrectionForm, ReasonForm, ReplyForm
from .views import serve_case_file

TABS = [
    ("submitted", gettext_lazy("待预审")),
    ("correction_requested", gettext_lazy("待补正")),
    ("accepted", gettext_lazy("已受理")),
    ("all", gettext_lazy("全部")),
]


@staff_required("cases.view_case")
def queue(request):
    qs = selectors.cases_visible_to(request.user)
    tab = request.GET.get("tab", "submitted")
    if tab in CaseStatus.values:
        qs = qs.filter(status=tab)
    else:
        tab = "all"
    q = (request.GET.get("q") or "").strip()[:40]
    if q:
        number = querynumbers.normalise(q)
        qs = qs.filter(
            Q(query_number=number)
            | Q(applicant_name__contains=q)
            | Q(phone=q)
            | Q(id_number=q.upper())
        )
    order = "submitted_at" if tab in ("submitted", "correction_requested") else "-submitted_at"
    page = Paginator(qs.order_by(order, "id"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/staff/queue.html",
        {"page": page, "tab": tab, "tabs": TABS, "q": q, "query": f"tab={tab}&q={q}"},
    )


def _case(request, pk):
    case = selectors.case_detail(selectors.cases_visible_to(request.user), pk)
    if case is None:
        from django.http import Http404

        raise Http404
    return case


@staff_required("cases.view_case")
def case_page(request, pk: int):
    case = _case(request, pk)
    rounds = list(case.rounds.all())
    changes = services.round_changes(case, case.round) if case.round > 1 else None
    return render(
        request,
        "cases/staff/case.html",
        {
            "case": case,
            "rounds": rounds,
            "changes": changes,
            "files": list(case.files.all()),
            "form_labels": {f.key: f.label for f in case.item.form_fields.all()},
            "can_review": case.status in PRE_DECISION
            and request.user.has_perm("cases.change_case"),
            "reply_form": ReplyForm(),
            "correction_form": CorrectionForm(case=case),
            "refuse_form": ReasonForm(),
        },
    )


def _act(request, pk, action):
    if not request.user.has_perm("cases.change_case"):
        from django.http import Http404

        raise Http404
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    try:
        result = action(case)
    except services.CaseError as exc:
        messages.error(request, str(exc))
    else:
        if result:
            messages.success(request, result)
    return redirect("cases:staff_case", pk=case.pk)


@staff_required("cases.view_case")
@require_POST
def reply(request, pk: int):
    form = ReplyForm(request.POST)

    def action(case):
        if not form.is_valid():
            raise services.CaseError(_("请填写回复内容（不超过 2000 字）。"))
        services.case_reply(case=case, actor=request.user, text=form.cleaned_data["text"])
        return _("回复已发送，申请人凭查询号即可看到。")

    return _act(request, pk, action)


@staff_required("cases.view_case")
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


@staff_required("cases.view_case")
@require_POST
def accept(request, pk: int):
    def action(case):
        services.case_transition(case=case, to=CaseStatus.ACCEPTED, actor=request.user)
        return _("已受理。")

    return _act(request, pk, action)


@staff_required("cases.view_case")
@require_POST
def refuse(request, pk: int):
    form = ReasonForm(request.POST)

    def action(case):
        if not form.is_valid():
            raise services.CaseError(_("不予受理须写明理由（不超过 2000 字）。"))
        services.case_transition(
            case=case,
            to=CaseStatus.NOT_ACCEPTED,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        return _("已作出不予受理决定。")

    return _act(request, pk, action)


@staff_required("cases.view_case")
def staff_file(request, pk: int, file_id: int):
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    return serve_case_file(get_object_or_404(case.files, pk=file_id))
