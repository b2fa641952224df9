"""Reads of the complaints hall, with its rules: who sees which complaint, and
which are overdue (computed from the dates and the calendar, never stored)."""

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from hall.core.permissions import scoped, staff_scope

from . import deadlines
from .constants import DEFAULT_ANSWER_DAYS
from .models import Complaint, FeedbackSettings
from .workflow import ANSWERED, WAITING


def answer_days(center) -> int:
    row = FeedbackSettings.objects.filter(center=center).only("answer_days").first()
    return row.answer_days if row is not None else DEFAULT_ANSWER_DAYS


def answer_days_by_center() -> dict[int, int]:
    return dict(FeedbackSettings.objects.values_list("center_id", "answer_days"))


def _not_about_me(qs: QuerySet, user) -> QuerySet:
    """The staff member complained about never sees the complaint, whatever their role."""
    staff = staff_scope(user)
    if staff is None or user.is_superuser:
        return qs
    return qs.exclude(staff_id=staff.pk)


def complaints_visible_to(user) -> QuerySet:
    """The complaints a center-level member handles: their center's (the city's:
    its counties' too). Department-bound members see none here, not even their
    own department's: the department complained about never handles it."""
    if not user.is_superuser:
        staff = staff_scope(user)
        if staff is None or staff.department_id is not None:
            return Complaint.objects.none()
    return _not_about_me(scoped(Complaint.objects.all(), user), user)


def shared_visible_to(user) -> QuerySet:
    """The findings a department was told of: its own complaints once shared."""
    qs = Complaint.objects.filter(shared_at__isnull=False, status__in=ANSWERED)
    if not user.is_superuser:
        staff = staff_scope(user)
        if staff is None or staff.department_id is None:
            return Complaint.objects.none()
        qs = qs.filter(department_id=staff.department_id)
    return _not_about_me(qs, user)


def published() -> QuerySet:
    return (
        Complaint.objects.published()
        .select_related("department", "center")
        .order_by("-published_at", "-id")
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def overdue_q(calendar, today: date, centers) -> Q:
    """Waiting complaints past their due day, for the given center ids."""
    days = answer_days_by_center()
    by_days: dict[int, list[int]] = {}
    for center_id in centers:
        by_days.setdefault(days.get(center_id, DEFAULT_ANSWER_DAYS), []).append(center_id)
    q = Q(pk__in=[])
    for n, ids in by_days.items():
        last = deadlines.overdue_if_started_by(calendar, today, n)
        q |= Q(center_id__in=ids, clock_from__lte=last)
    return Q(status__in=WAITING) & q


def overdue(qs: QuerySet, calendar, today: date) -> QuerySet:
    centers = set(qs.values_list("center_id", flat=True).distinct())
    return qs.filter(overdue_q(calendar, today, centers))


def escalated_to(qs: QuerySet, calendar, today: date, center) -> QuerySet:
    """Complaints escalated to `center`: overdue ones of the centers below it (and
    its own, at the top), and those the escalation command recorded for it."""
    ids = list(center.__class__.objects.filter(parent=center).values_list("pk", flat=True))
    if center.parent_id is None:
        ids.append(center.pk)
    recorded = Q(status__in=WAITING, escalated_to=center)
    return qs.filter(Q(center_id__in=ids) & overdue_q(calendar, today, ids) | recorded)


def annotate_clock(rows, calendar, today: date) -> None:
    """Set `due`, `overdue` and `escalation_center` on each complaint of `rows`."""
    days = answer_days_by_center()
    for c in rows:
        n = days.get(c.center_id, DEFAULT_ANSWER_DAYS)
        c.due = deadlines.answer_due(calendar, c.clock_from, n)
        c.overdue = deadlines.is_overdue(
            calendar, status=c.status, clock_from=c.clock_from, days=n, today=today
        )
        c.escalation_center = (
            (c.center.parent or c.center)
            if c.status in WAITING and (c.overdue or c.escalated_at)
            else None
        )


def counts(qs: QuerySet, calendar, today: date) -> dict:
    """Open, overdue and escalated (recorded) complaints of `qs`."""
    return {
        "open": qs.filter(status__in=WAITING).count(),
        "overdue": overdue(qs, calendar, today).count(),
        "escalated": qs.filter(status__in=WAITING, escalated_at__isnull=False).count(),
    }
