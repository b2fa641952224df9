"""Every write of practice mode: switching it, the clerk's practice set and its
reset, the drills and their scores. Each checks the actor's right itself."""

import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.cases.models import Case, CaseFile
from hall.core import practice
from hall.core.services import log_action

from . import generator, scenarios
from .constants import ANSWER_MAX_CHARS, RIGHT, AttemptStatus, Scenario
from .models import DrillAttempt


class PracticeError(Exception):
    """A refused practice action; the message is for the clerk."""


class PracticeForbidden(PracticeError):
    """No right to practise (pages answer 404)."""


def check_actor(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PracticeForbidden(_("请先以工作人员身份登录。"))
    if not actor.has_perm(RIGHT):
        raise PracticeForbidden(_("您没有使用练习模式的权限。"))


def practice_switch(*, actor, session, on: bool) -> bool:
    """Switch the clerk's practice mode for this session; the first switch on
    makes their practice set. Returns whether anything changed."""
    check_actor(actor)
    if bool(session.get(practice.SESSION_KEY)) == on:
        return False
    with transaction.atomic():
        if on and not Case.all_objects.filter(practice_of=actor).exists():
            generator.generate(clerk=actor)
        session[practice.SESSION_KEY] = on
        log_action(actor, "practice.on" if on else "practice.off")
    return True


def _remove_cases(actor) -> int:
    """The clerk's practice cases and everything hanging off them, files too."""
    cases = Case.all_objects.filter(practice_of=actor)
    names = list(CaseFile.objects.filter(case__in=cases).values_list("file", flat=True))
    count = cases.count()
    cases.delete()
    storage = CaseFile._meta.get_field("file").storage

    def delete_files():
        for name in names:
            storage.delete(name)

    # The files go once the rows are gone for good.
    transaction.on_commit(delete_files)
    return count


@transaction.atomic
def practice_reset(*, actor, clear_attempts: bool = False) -> tuple[int, int]:
    """Remove the clerk's practice cases (and, if asked, their drill record) and
    make a fresh set. Returns (removed, made)."""
    check_actor(actor)
    removed = _remove_cases(actor)
    attempts = 0
    if clear_attempts:
        attempts, _kinds = DrillAttempt.objects.filter(clerk=actor).delete()
    made = generator.generate(clerk=actor)
    log_action(
        actor, "practice.reset", None, {"removed": removed, "made": made, "attempts": attempts}
    )
    return removed, made


@transaction.atomic
def drill_start(*, actor, scenario: str, seed: int | None = None) -> DrillAttempt:
    """Set up a drill: its practice case (as the clerk's practice) and the attempt."""
    check_actor(actor)
    if scenario not in scenarios.DRILLS:
        raise PracticeError(_("没有这个考核情景。"))
    drill = scenarios.DRILLS[scenario]
    rng = random.Random(seed)
    with practice.acting_for(actor.pk):
        try:
            case, setup = drill.setup(actor, rng)
        except scenarios.DrillUnavailable as exc:
            raise PracticeError(str(exc)) from exc
    attempt = DrillAttempt.objects.create(clerk=actor, scenario=scenario, case=case, setup=setup)
    log_action(
        actor,
        "practice.drill_start",
        attempt,
        {"scenario": scenario, "case": case.pk if case else None},
    )
    return attempt


def clean_answer(attempt: DrillAttempt, answer) -> str:
    """The drill's answer, or a message saying what is wrong with it."""
    if not scenarios.DRILLS[attempt.scenario].needs_answer:
        return ""
    answer = (answer or "").strip()
    if not answer:
        raise PracticeError(_("请填写答案。"))
    if len(answer) > ANSWER_MAX_CHARS:
        raise PracticeError(
            _("答案过长：请只填写一个日期（不超过 %(n)d 个字符）。") % {"n": ANSWER_MAX_CHARS}
        )
    if scenarios.parse_date(answer) is None:
        raise PracticeError(_("日期格式不正确，请按“2026-10-09”或“2026年10月9日”的格式填写。"))
    return answer


@transaction.atomic
def drill_check(*, actor, attempt: DrillAttempt, answer: str = "") -> DrillAttempt:
    """Score the drill from what the clerk did on the real screens (or answered)."""
    check_actor(actor)
    locked = DrillAttempt.objects.select_for_update().get(pk=attempt.pk)
    if locked.clerk_id != actor.pk:
        raise PracticeForbidden(_("这不是您的考核。"))
    if locked.status == AttemptStatus.SCORED:
        raise PracticeError(_("该考核已经评分；如需再练，请重新开始一次。"))
    answer = clean_answer(locked, answer)
    drill = scenarios.DRILLS[locked.scenario]
    case, criteria = drill.check(locked, answer)
    locked.case = case or locked.case
    locked.answer = answer
    locked.results = [c.as_dict() for c in criteria]
    locked.score = sum(c.got for c in criteria)
    locked.max_score = sum(c.points for c in criteria)
    locked.status = AttemptStatus.SCORED
    locked.scored_at = timezone.now()
    locked.save()
    log_action(
        actor,
        "practice.drill_check",
        locked,
        {"scenario": locked.scenario, "score": locked.score, "max": locked.max_score},
    )
    return locked


__all__ = ["Scenario", "practice_switch", "practice_reset", "drill_start", "drill_check"]
