"""The figures of one unit's month, computed from the data: the cases the unit
accepted and decided (on time, online), the ratings of its finished cases, the
complaints about it. A window's cases are those its clerks handled; a
department's, all of its cases. Shown on the form, snapshotted on submission."""

from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from hall.cases.constants import CaseStatus, Channel
from hall.cases.models import Case
from hall.feedback.models import Complaint
from hall.org.models import Staff
from hall.ratings.constants import SATISFIED_LEVELS, Kind
from hall.ratings.models import Rating

from .constants import UnitKind
from .due import add_months

# Decisions after acceptance, judged against the promised day (as supervision does).
DECIDED = (CaseStatus.APPROVED, CaseStatus.COMPLETED, CaseStatus.REJECTED)

# The order and labels of the figures live in the templates and the export.
KEYS = (
    "accepted",
    "online",
    "online_share",
    "decided",
    "on_time",
    "on_time_share",
    "ratings",
    "satisfied",
    "satisfied_share",
    "complaints",
)


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _bounds(month):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(month, time.min), tz)
    end = timezone.make_aware(datetime.combine(add_months(month, 1), time.min), tz)
    return start, end


def clerk_ids(window) -> list[int]:
    return list(Staff.objects.filter(window=window).values_list("user_id", flat=True))


def _month_of(moment):
    return timezone.localtime(moment).date().replace(day=1)


def compute_many(*, kind: str, department, window, months: list) -> dict:
    """{month: figures} for several months of one unit, in three queries."""
    result = {m: dict.fromkeys(KEYS, 0) for m in months}
    if not months:
        return result
    start, _end = _bounds(min(months))
    _start, end = _bounds(max(months))
    if kind == UnitKind.WINDOW:
        clerks = clerk_ids(window)
        cases = Case.objects.filter(handled_by_id__in=clerks)
        ratings = Rating.objects.filter(department=department, clerk__in=clerks)
        complaints = Complaint.objects.filter(Q(window=window) | Q(staff__window=window))
    else:
        cases = Case.objects.filter(department=department)
        ratings = Rating.objects.filter(department=department)
        complaints = Complaint.objects.filter(department=department)
    rows = cases.filter(
        Q(accepted_at__gte=start, accepted_at__lt=end)
        | Q(decided_at__gte=start, decided_at__lt=end, status__in=DECIDED)
    ).values_list("accepted_at", "decided_at", "status", "promised_due", "channel")
    for accepted_at, decided_at, status, promised_due, channel in rows:
        if accepted_at is not None and (f := result.get(_month_of(accepted_at))) is not None:
            f["accepted"] += 1
            f["online"] += channel == Channel.ONLINE
        if decided_at is not None and status in DECIDED:
            f = result.get(_month_of(decided_at))
            if f is not None:
                f["decided"] += 1
                day = timezone.localtime(decided_at).date()
                f["on_time"] += promised_due is not None and day <= promised_due
    for month, level in ratings.filter(kind=Kind.FINISHED, month__in=months).values_list(
        "month", "level"
    ):
        result[month]["ratings"] += 1
        result[month]["satisfied"] += level in SATISFIED_LEVELS
    for filed_at in complaints.filter(filed_at__gte=start, filed_at__lt=end).values_list(
        "filed_at", flat=True
    ):
        if (f := result.get(_month_of(filed_at))) is not None:
            f["complaints"] += 1
    for f in result.values():
        f["online_share"] = share(f["online"], f["accepted"])
        f["on_time_share"] = share(f["on_time"], f["decided"])
        f["satisfied_share"] = share(f["satisfied"], f["ratings"])
    return result


def compute(*, kind: str, department, window, month) -> dict:
    """The figures of one unit's month, as the form shows them."""
    got = compute_many(kind=kind, department=department, window=window, months=[month])[month]
    return {k: got[k] for k in KEYS}
