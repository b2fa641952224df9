"""Reads of 差评整改, with the organisation's rules."""

from datetime import date

from django.db.models import Count, Q, QuerySet

from hall.core.permissions import scoped

from . import deadlines
from .constants import DEFAULT_RECTIFY_DAYS, TaskStatus
from .models import RectificationSettings, Task
from .workflow import CALLBACK_CLOCK, OPEN, RECTIFY_CLOCK


def rectify_days(center_id: int) -> int:
    row = RectificationSettings.objects.filter(center_id=center_id).only("rectify_days").first()
    return row.rectify_days if row is not None else DEFAULT_RECTIFY_DAYS


def own_center_id(user) -> int | None:
    staff = getattr(user, "staff", None)
    return staff.center_id if staff is not None else None


def tasks_visible_to(user) -> QuerySet:
    """A department's staff see their department's tasks; a center's, their
    center's (the city's, its counties' too)."""
    return scoped(Task.objects.all(), user)


def overdue_q(today: date) -> Q:
    return Q(status__in=CALLBACK_CLOCK, callback_due__lt=today) | Q(
        status__in=RECTIFY_CLOCK, rectify_due__lt=today
    )


def open_tasks(qs: QuerySet) -> QuerySet:
    return qs.filter(status__in=OPEN)


def overdue(qs: QuerySet, today: date) -> QuerySet:
    return qs.filter(overdue_q(today))


def due_soon(qs: QuerySet, calendar, today: date) -> QuerySet:
    until = deadlines.due_soon_until(calendar, today)
    return qs.filter(
        Q(status__in=CALLBACK_CLOCK, callback_due__gte=today, callback_due__lte=until)
        | Q(status__in=RECTIFY_CLOCK, rectify_due__gte=today, rectify_due__lte=until)
    )


def appeals(qs: QuerySet) -> QuerySet:
    return qs.filter(status=TaskStatus.APPEAL)


def department_counts(qs: QuerySet, today: date) -> list[dict]:
    """Per department: open and overdue tasks, the most overdue first."""
    rows = (
        open_tasks(qs)
        .values("department_id", "department__name", "center__short_name")
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue_q(today)))
        .order_by("-overdue", "-open", "center__short_name", "department__name")
    )
    return list(rows)


def mask_phone(phone: str) -> str:
    """The applicant's mobile as the department sees it: 138****2345."""
    phone = phone or ""
    if len(phone) >= 7:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * len(phone)
