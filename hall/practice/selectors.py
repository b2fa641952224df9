"""Reads of practice mode: a clerk sees their own practice and nobody else's."""

from django.db.models import Avg, Count, Max, QuerySet

from hall.cases.models import Case

from .constants import ATTEMPTS_SHOWN, AttemptStatus
from .models import DrillAttempt


def attempts_of(user) -> QuerySet[DrillAttempt]:
    return DrillAttempt.objects.filter(clerk=user)


def attempt_of(user, pk) -> DrillAttempt | None:
    """The clerk's own attempt; another clerk's (or a case's id) is none."""
    return attempts_of(user).filter(pk=pk).first()


def recent_attempts(user) -> list[DrillAttempt]:
    return list(attempts_of(user)[:ATTEMPTS_SHOWN])


def scores_by_scenario(user) -> dict[str, dict]:
    """Per scenario: attempts scored, best and average score."""
    rows = (
        attempts_of(user)
        .filter(status=AttemptStatus.SCORED)
        .values("scenario")
        .annotate(n=Count("id"), best=Max("score"), avg=Avg("score"))
    )
    return {r["scenario"]: r for r in rows}


def practice_cases_by_status(user) -> dict[str, int]:
    rows = (
        Case.all_objects.filter(practice_of=user)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["status"]: r["n"] for r in rows}
