"""Reads of the column, with the organisation's rules."""

from datetime import date

from django.db.models import Count, Q, QuerySet

from hall.core.permissions import scoped

from . import deadlines
from .constants import DEFAULT_ANSWER_DAYS
from .models import QaSettings, Question
from .workflow import WAITING


def answer_days(center) -> int:
    row = QaSettings.objects.filter(center=center).only("answer_days").first()
    return row.answer_days if row is not None else DEFAULT_ANSWER_DAYS


def questions_visible_to(user) -> QuerySet:
    """A department's staff see their department's questions; a center's, their
    center's (the city's, its counties' too) including the unrouted ones."""
    return scoped(Question.objects.all(), user)


def published() -> QuerySet:
    return (
        Question.objects.published()
        .select_related("department", "center")
        .order_by("-published_at", "-id")
    )


def waiting(qs: QuerySet) -> QuerySet:
    return qs.filter(status__in=WAITING)


def overdue(qs: QuerySet, today: date) -> QuerySet:
    return waiting(qs).filter(due_on__lt=today)


def due_soon(qs: QuerySet, calendar, today: date) -> QuerySet:
    return waiting(qs).filter(
        due_on__gte=today, due_on__lte=deadlines.due_soon_until(calendar, today)
    )


def clock_counts(qs: QuerySet, calendar, today: date) -> list[dict]:
    """Per department (None: not yet routed): due soon and overdue counts."""
    until = deadlines.due_soon_until(calendar, today)
    rows = (
        waiting(qs)
        .filter(due_on__lte=until)
        .values("department_id", "department__name", "center__short_name")
        .annotate(
            overdue=Count("id", filter=Q(due_on__lt=today)),
            due_soon=Count("id", filter=Q(due_on__gte=today)),
        )
        .order_by("center__short_name", "department__name")
    )
    return list(rows)
