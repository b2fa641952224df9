"""Practice mode's pages: switching it, the practice set and its reset, the drills."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hall.core import practice
from hall.core.permissions import staff_required

from . import scenarios, selectors, services
from .constants import RIGHT, AttemptStatus, Scenario
from .forms import AnswerForm, ResetForm, StartForm, SwitchForm


def _on(request) -> bool:
    return bool(request.session.get(practice.SESSION_KEY))


@staff_required(RIGHT)
def home(request):
    scores = selectors.scores_by_scenario(request.user)
    drills = [
        {"code": code, "label": label, "scores": scores.get(code)}
        for code, label in Scenario.choices
    ]
    counts = selectors.practice_cases_by_status(request.user)
    return render(
        request,
        "practice/home.html",
        {
            "on": _on(request),
            "drills": drills,
            "attempts": selectors.recent_attempts(request.user),
            "case_count": sum(counts.values()),
            "reset_form": ResetForm(),
        },
    )


@staff_required(RIGHT)
@require_POST
def switch(request):
    form = SwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效，请在练习模式页面重新操作。"))
        return redirect("practice:home")
    on = form.cleaned_data["on"]
    try:
        services.practice_switch(actor=request.user, session=request.session, on=on)
    except services.PracticeForbidden as exc:
        raise Http404 from exc
    if on:
        messages.success(request, _("已切换到练习模式：工作台上只有您的练习办件。"))
        return redirect("practice:home")
    messages.success(request, _("已退出练习模式，回到真实办件。"))
    return redirect("practice:home")


@staff_required(RIGHT)
@require_POST
def reset(request):
    form = ResetForm(request.POST)
    form.is_valid()
    try:
        removed, made = services.practice_reset(
            actor=request.user, clear_attempts=form.cleaned_data.get("clear_attempts", False)
        )
    except services.PracticeForbidden as exc:
        raise Http404 from exc
    messages.success(
        request,
        _("练习数据已重置：删除 %(removed)d 件练习办件，重新生成 %(made)d 件。")
        % {"removed": removed, "made": made},
    )
    return redirect("practice:home")


@staff_required(RIGHT)
@require_POST
def drill_start(request):
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("没有这个考核情景。"))
        return redirect("practice:home")
    try:
        if not _on(request):
            services.practice_switch(actor=request.user, session=request.session, on=True)
            messages.info(request, _("已切换到练习模式。"))
        attempt = services.drill_start(actor=request.user, scenario=form.cleaned_data["scenario"])
    except services.PracticeForbidden as exc:
        raise Http404 from exc
    except services.PracticeError as exc:
        messages.error(request, str(exc))
        return redirect("practice:home")
    return redirect("practice:drill", pk=attempt.pk)


def _attempt(request, pk):
    attempt = selectors.attempt_of(request.user, pk)
    if attempt is None:
        raise Http404
    return attempt


@staff_required(RIGHT)
def drill(request, pk: int):
    attempt = _attempt(request, pk)
    return _render_drill(request, attempt, AnswerForm())


def _render_drill(request, attempt, form, status: int = 200):
    context = {
        "attempt": attempt,
        "drill": scenarios.DRILLS[attempt.scenario],
        "form": form,
        "on": _on(request),
        "scored": attempt.status == AttemptStatus.SCORED,
    }
    if attempt.scenario == Scenario.NATIONAL_DAY and attempt.status == AttemptStatus.SCORED:
        context["expected"] = scenarios.national_day_expected(attempt)
    return render(request, "practice/drill.html", context, status=status)


@staff_required(RIGHT)
@require_POST
def drill_check(request, pk: int):
    attempt = _attempt(request, pk)
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        attempt = services.drill_check(
            actor=request.user, attempt=attempt, answer=form.cleaned_data.get("answer", "")
        )
    except services.PracticeForbidden as exc:
        raise Http404 from exc
    except services.PracticeError as exc:
        form.add_error("answer", str(exc))
        messages.error(request, str(exc))
        return _render_drill(request, attempt, form, status=400)
    messages.success(
        request,
        _("评分完成：%(score)d / %(max)d 分。")
        % {"score": attempt.score, "max": attempt.max_score},
    )
    return redirect("practice:drill", pk=attempt.pk)
