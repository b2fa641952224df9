"""The staff pages of the column: the queue, a question, and its moves."""

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hall.catalogue.models import ServiceItem
from hall.catalogue.search import search_items
from hall.core.permissions import staff_required
from hall.org.models import Department
from hall.workdays.services import current_calendar

from . import deadlines, matters, selectors, services, workflow
from .constants import (
    PAGE_SIZE,
    RIGHT_ANSWER,
    RIGHT_DISPATCH,
    RIGHT_PUBLISH,
    RIGHT_VIEW,
    SUGGESTED_DEPARTMENTS,
)
from .constants import QuestionStatus as S
from .errors import QuestionError
from .forms import (
    AnswerForm,
    PromoteForm,
    PublishForm,
    QueueFilterForm,
    ReasonForm,
    ReferForm,
    RouteForm,
)

TABS = [
    ("routing", _("待分派")),
    ("open", _("待答复")),
    ("answered", _("待审核")),
    ("overdue", _("已超期")),
    ("due_soon", _("临期")),
    ("published", _("已公开")),
    ("private", _("不公开")),
    ("all", _("全部")),
]


@staff_required(RIGHT_VIEW)
def queue(request):
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    tab = request.GET.get("tab") or "open"
    if tab not in dict(TABS):
        tab = "open"
    qs = selectors.questions_visible_to(request.user).select_related("department", "center")
    today = timezone.localdate()
    calendar = current_calendar()
    if tab == "overdue":
        qs = selectors.overdue(qs, today)
    elif tab == "due_soon":
        qs = selectors.due_soon(qs, calendar, today)
    elif tab != "all":
        qs = qs.filter(status=tab)
    department = None
    if data.get("department"):
        department = Department.objects.filter(pk=data["department"]).first()
        qs = qs.filter(department_id=data["department"])
    if data.get("q"):
        qs = qs.filter(subject__icontains=data["q"])
    qs = (
        qs.order_by("due_on", "asked_at")
        if tab in ("routing", "open", "overdue", "due_soon")
        else qs.order_by("-asked_at")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(data.get("page") or 1)
    for q in page:
        q.clock = deadlines.state(calendar, status=q.status, due=q.due_on, today=today)
    query = "&".join(
        p
        for p in (
            f"tab={tab}",
            f"department={department.pk}" if department else "",
            f"q={data['q']}" if data.get("q") else "",
        )
        if p
    )
    return render(
        request,
        "qa/staff/queue.html",
        {
            "page": page,
            "tabs": TABS,
            "tab": tab,
            "department": department,
            "query": query,
            "q": data.get("q") or "",
        },
    )


def _question(request, pk: int):
    return get_object_or_404(
        selectors.questions_visible_to(request.user).select_related(
            "department", "center", "answered_by", "reviewed_by"
        ),
        pk=pk,
    )


# Words of a question that name no matter: the subject is cut at them into the
# phrases the item search is asked for.
_FILLER = re.compile(
    r"[\s，。！？、；：“”‘’（）,.!?;:()]+|怎么|如何|怎样|需要|要求|什么|哪些|哪里|在哪|可以|能否|是否|办理|请问|吗|呢|要"
)


def suggested_departments(question) -> list:
    """The departments of the items best matching the question, best first:
    the whole subject, then each phrase of the subject and of the question."""
    phrases = [question.subject]
    for text in (question.subject, question.question[:200]):
        phrases += [p for p in _FILLER.split(text) if len(p) >= 2]
    codes: list[str] = []
    for phrase in dict.fromkeys(phrases):
        for h in search_items(phrase).hits[:5]:
            code = h.item.department.code
            if h.item.center_id == question.center_id and code not in codes:
                codes.append(code)
        if len(codes) >= SUGGESTED_DEPARTMENTS:
            break
    by_code = {d.code: d for d in Department.objects.filter(center=question.center, code__in=codes)}
    return [by_code[c] for c in codes[:SUGGESTED_DEPARTMENTS] if c in by_code]


@staff_required(RIGHT_VIEW)
def detail(request, pk: int, forms_with_errors=None, status: int = 200):
    question = _question(request, pk)
    user = request.user
    moves = workflow.moves_for(question.status, user)
    forms = forms_with_errors or {}
    ctx = {"question": question, "moves": moves}
    calendar = current_calendar()
    ctx["clock"] = deadlines.state(
        calendar, status=question.status, due=question.due_on, today=timezone.localdate()
    )
    if S.OPEN in moves:
        ctx["route_form"] = forms.get("route") or RouteForm()
        ctx["departments"] = Department.objects.filter(center=question.center).order_by(
            "sort_order", "code"
        )
        ctx["suggested"] = suggested_departments(question)
    if question.status == S.ROUTING and S.ANSWERED in moves:
        ctx["refer_form"] = forms.get("refer") or ReferForm()
        ctx["matters"] = matters.matters()
        ctx["matching_matters"] = matters.matching(f"{question.subject}{question.question}")
    if question.status == S.OPEN and S.ANSWERED in moves:
        ctx["answer_form"] = forms.get("answer") or AnswerForm()
    if question.status == S.OPEN and S.ROUTING in moves:
        ctx["send_back_form"] = forms.get("send_back") or ReasonForm()
    if question.status == S.ANSWERED and S.PUBLISHED in moves:
        subject, text = services.masked_draft(question)
        ctx["publish_form"] = forms.get("publish") or PublishForm(
            initial={"published_subject": subject, "published_question": text}
        )
    if S.PRIVATE in moves:
        ctx["private_form"] = forms.get("private") or ReasonForm()
    if question.status == S.PUBLISHED and user.has_perm(RIGHT_PUBLISH):
        ctx["promote_form"] = forms.get("promote") or PromoteForm()
        ctx["items"] = (
            ServiceItem.objects.published()
            .filter(department_id=question.department_id)
            .order_by("code")[:200]
            if question.department_id
            else []
        )
    return render(request, "qa/staff/detail.html", ctx, status=status)


def _act(request, pk, key, form_class, do, done: str):
    question = _question(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            do(question, form.cleaned_data)
        except QuestionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("qa:staff_detail", pk=question.pk)
    return detail(request, pk, forms_with_errors={key: form}, status=400)


def _department(question, data):
    department = Department.objects.filter(pk=data["department"], center=question.center).first()
    if department is None:
        raise QuestionError(_("请选择本中心的部门。"))
    return department


@staff_required(RIGHT_DISPATCH)
@require_POST
def route(request, pk: int):
    return _act(
        request,
        pk,
        "route",
        RouteForm,
        lambda q, d: services.question_route(
            question=q, actor=request.user, department=_department(q, d)
        ),
        _("已分派。"),
    )


@staff_required(RIGHT_DISPATCH)
@require_POST
def refer(request, pk: int):
    return _act(
        request,
        pk,
        "refer",
        ReferForm,
        lambda q, d: services.question_refer(
            question=q, actor=request.user, code=d["matter"], note=d["note"]
        ),
        _("已按非窗口事项答复。"),
    )


@staff_required(RIGHT_ANSWER)
@require_POST
def answer(request, pk: int):
    return _act(
        request,
        pk,
        "answer",
        AnswerForm,
        lambda q, d: services.question_answer(question=q, actor=request.user, text=d["answer"]),
        _("已答复，提问人将收到短信通知。"),
    )


@staff_required(RIGHT_ANSWER)
@require_POST
def send_back(request, pk: int):
    return _act(
        request,
        pk,
        "send_back",
        ReasonForm,
        lambda q, d: services.question_send_back(
            question=q, actor=request.user, reason=d["reason"]
        ),
        _("已退回中心重新分派。"),
    )


@staff_required(RIGHT_PUBLISH)
@require_POST
def publish(request, pk: int):
    return _act(
        request,
        pk,
        "publish",
        PublishForm,
        lambda q, d: services.question_publish(
            question=q,
            actor=request.user,
            subject=d["published_subject"],
            text=d["published_question"],
        ),
        _("已公开。"),
    )


@staff_required(RIGHT_PUBLISH)
@require_POST
def keep_private(request, pk: int):
    return _act(
        request,
        pk,
        "private",
        ReasonForm,
        lambda q, d: services.question_keep_private(
            question=q, actor=request.user, reason=d["reason"]
        ),
        _("已设为不公开。"),
    )


@staff_required(RIGHT_PUBLISH)
@require_POST
def promote(request, pk: int):
    def do(q, d):
        item = ServiceItem.objects.filter(
            code=d["item"][:40], department_id=q.department_id
        ).first()
        if item is None:
            raise QuestionError(_("请选择该部门的事项。"))
        services.question_promote_faq(question=q, actor=request.user, item=item)

    return _act(request, pk, "promote", PromoteForm, do, _("已加入事项的常见问题，并报中心备案。"))
