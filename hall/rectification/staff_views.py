"""The staff pages of 差评整改: the department's tasks, a task and its steps,
the center's appeals, the center's settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hall.core.files import private_file_response
from hall.core.permissions import staff_required
from hall.org.models import Center, Department
from hall.ratings.constants import TAG_LABELS
from hall.workdays.services import current_calendar

from . import deadlines, selectors, services, workflow
from .constants import PAGE_SIZE, RIGHT_DECIDE, RIGHT_HANDLE, RIGHT_SETTINGS, RIGHT_VIEW
from .constants import TaskStatus as S
from .errors import TaskError, TaskForbidden
from .forms import (
    TABS,
    AppealForm,
    CallbackForm,
    DecideForm,
    ListFilterForm,
    RectifyForm,
    ReplyForm,
    SettingsForm,
    VerifyForm,
)


def _with_clocks(tasks, calendar, today):
    for task in tasks:
        task.clock = deadlines.state(
            calendar,
            status=task.status,
            callback_due=task.callback_due,
            rectify_due=task.rectify_due,
            today=today,
        )
    return tasks


def _listing(request, qs, *, template: str, default_tab: str, extra=None):
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    tab = data.get("tab") or default_tab
    today = timezone.localdate()
    calendar = current_calendar()
    if tab == "open":
        qs = selectors.open_tasks(qs)
    elif tab == "overdue":
        qs = selectors.overdue(qs, today)
    elif tab == "due_soon":
        qs = selectors.due_soon(qs, calendar, today)
    elif tab == "closed":
        qs = qs.filter(status__in=workflow.CLOSED)
    elif tab != "all":
        qs = qs.filter(status=tab)
    department = None
    if data.get("department"):
        department = Department.objects.filter(pk=data["department"]).first()
        qs = qs.filter(department_id=data["department"])
    qs = qs.select_related("department", "center", "case__item", "rating").order_by(
        "rectify_due", "opened_at", "id"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(data.get("page") or 1)
    _with_clocks(page, calendar, today)
    query = "&".join(
        p for p in (f"tab={tab}", f"department={department.pk}" if department else "") if p
    )
    return render(
        request,
        template,
        {
            "page": page,
            "tabs": TABS,
            "tab": tab,
            "department": department,
            "query": query,
            **(extra or {}),
        },
    )


@staff_required(RIGHT_VIEW)
def task_list(request):
    """The tasks in the user's scope (a department's own), the most urgent first."""
    return _listing(
        request,
        selectors.tasks_visible_to(request.user),
        template="rectification/staff/list.html",
        default_tab="open",
    )


@staff_required(RIGHT_DECIDE)
def appeal_list(request):
    """The center's appeals waiting for its decision."""
    return _listing(
        request,
        selectors.appeals(selectors.tasks_visible_to(request.user)),
        template="rectification/staff/appeals.html",
        default_tab="all",
    )


def _task(request, pk: int):
    return get_object_or_404(
        selectors.tasks_visible_to(request.user).select_related(
            "department", "center", "case__item", "rating"
        ),
        pk=pk,
    )


# The step each status waits for: (form name, form class, url name, right).
_STEP_FORMS = {
    S.CALLBACK: [("callback_form", CallbackForm, RIGHT_HANDLE)],
    S.VERIFY: [
        ("verify_form", VerifyForm, RIGHT_HANDLE),
        ("appeal_form", AppealForm, RIGHT_HANDLE),
    ],
    S.APPEAL: [("decide_form", DecideForm, RIGHT_DECIDE)],
    S.RECTIFY: [("rectify_form", RectifyForm, RIGHT_HANDLE)],
    S.REPLY: [("reply_form", ReplyForm, RIGHT_HANDLE)],
}


@staff_required(RIGHT_VIEW)
def task_detail(request, pk: int, failed=None, error: str = "", status: int = 200):
    task = _task(request, pk)
    today = timezone.localdate()
    calendar = current_calendar()
    _with_clocks([task], calendar, today)
    context = {
        "task": task,
        "rating": task.rating,
        "case": task.case,
        "tags": [TAG_LABELS.get(t, t) for t in task.rating.tags],
        "phone": selectors.mask_phone(task.case.phone),
        "steps": task.steps.select_related("actor"),
        "evidence": task.evidence.all(),
        "error": error,
    }
    for name, form_class, right in _STEP_FORMS.get(task.status, []):
        if request.user.has_perm(right):
            if failed is not None and failed[0] == name:
                context[name] = failed[1]
            elif name == "reply_form":
                context[name] = form_class(initial={"text": _reply_draft(task)})
            else:
                context[name] = form_class()
    return render(request, "rectification/staff/detail.html", context, status=status)


def _reply_draft(task) -> str:
    return _("您好，您对“%(item)s”的评价已收到，我们已整改：%(what)s。欢迎再次评价。") % {
        "item": task.case.item.name,
        "what": (task.rectification or "")[:200].rstrip("。.；;！! "),
    }


def _step(request, pk: int, name: str, form_class, act, done: str):
    """Validate the step's form, call its service, redirect; or show the task
    again with the refusal (400). Another department's task is a 404."""
    task = _task(request, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            act(task, form)
        except TaskForbidden as exc:
            raise Http404 from exc
        except TaskError as exc:
            return task_detail(request, pk, failed=(name, form), error=str(exc), status=400)
        messages.success(request, done)
        return redirect("rectification:detail", pk=task.pk)
    return task_detail(request, pk, failed=(name, form), error=_("请检查填写的内容。"), status=400)


@staff_required(RIGHT_HANDLE)
@require_POST
def callback(request, pk: int):
    return _step(
        request,
        pk,
        "callback_form",
        CallbackForm,
        lambda task, form: services.task_record_callback(
            task=task,
            actor=request.user,
            reached=form.reached_value(),
            note=form.cleaned_data["note"],
        ),
        _("已记录回访，请核实差评。"),
    )


@staff_required(RIGHT_HANDLE)
@require_POST
def verify(request, pk: int):
    return _step(
        request,
        pk,
        "verify_form",
        VerifyForm,
        lambda task, form: services.task_verify(
            task=task, actor=request.user, note=form.cleaned_data["note"]
        ),
        _("已核实差评属实，请整改。"),
    )


@staff_required(RIGHT_HANDLE)
@require_POST
def appeal(request, pk: int):
    return _step(
        request,
        pk,
        "appeal_form",
        AppealForm,
        lambda task, form: services.task_appeal(
            task=task,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            files=form.cleaned_data["evidence"],
        ),
        _("申诉已提交，等待中心审核。"),
    )


@staff_required(RIGHT_DECIDE)
@require_POST
def decide(request, pk: int):
    return _step(
        request,
        pk,
        "decide_form",
        DecideForm,
        lambda task, form: services.task_decide_appeal(
            task=task,
            actor=request.user,
            upheld=form.upheld_value(),
            note=form.cleaned_data["note"],
        ),
        _("申诉审核结论已记录。"),
    )


@staff_required(RIGHT_HANDLE)
@require_POST
def rectify(request, pk: int):
    return _step(
        request,
        pk,
        "rectify_form",
        RectifyForm,
        lambda task, form: services.task_record_rectification(
            task=task, actor=request.user, text=form.cleaned_data["text"]
        ),
        _("已记录整改措施，请答复申请人。"),
    )


@staff_required(RIGHT_HANDLE)
@require_POST
def reply(request, pk: int):
    return _step(
        request,
        pk,
        "reply_form",
        ReplyForm,
        lambda task, form: services.task_reply(
            task=task, actor=request.user, text=form.cleaned_data["text"]
        ),
        _("答复短信已发送，等待申请人追评。"),
    )


@staff_required(RIGHT_VIEW)
def evidence_file(request, pk: int, evidence_id: int):
    task = _task(request, pk)
    record = get_object_or_404(task.evidence, pk=evidence_id)
    return private_file_response(record.file, record.original_name, kind=record.kind)


@staff_required(RIGHT_SETTINGS)
@require_http_methods(["GET", "POST"])
def settings_view(request):
    center_id = selectors.own_center_id(request.user)
    if center_id is None:
        raise Http404
    center = Center.objects.get(pk=center_id)
    form = SettingsForm(
        request.POST or None, initial={"rectify_days": selectors.rectify_days(center_id)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(
                center=center, actor=request.user, days=form.cleaned_data["rectify_days"]
            )
        except TaskForbidden as exc:
            raise Http404 from exc
        except TaskError as exc:
            form.add_error("rectify_days", str(exc))
        else:
            messages.success(request, _("已保存。之后的差评整改任务按新的时限计算。"))
            return redirect("rectification:settings")
    return render(request, "rectification/staff/settings.html", {"form": form, "center": center})
