"""Reads of the column, with their rules: what the public sees, what staff manage."""

from datetime import datetime, time, timedelta

from django.db.models import F, Q
from django.utils import timezone

from hall.core.permissions import visible_center_ids

from .constants import PUBLICATION_LIMIT_DAYS
from .models import Announcement, ResultEntry


def public_announcements(now=None):
    now = now or timezone.now()
    return (
        Announcement.objects.filter(publish_at__lte=now)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("center")
        .order_by("-pinned", "-publish_at", "-id")
    )


def public_results(now=None):
    """Entries public now (withdrawn ones too: their page says so)."""
    return (
        ResultEntry.objects.filter(shown_from__lte=now or timezone.now())
        .select_related("item", "department", "center")
        .order_by("-decided_at", "-id")
    )


def own_center_id(user) -> int | None:
    staff = getattr(user, "staff", None)
    return staff.center_id if staff is not None else None


def announcements_managed_by(user):
    """A center's staff manage their own center's announcements only."""
    qs = Announcement.objects.select_related("center")
    if user.is_superuser:
        return qs
    center_id = own_center_id(user)
    return qs.filter(center_id=center_id) if center_id else qs.none()


def results_managed_by(user):
    qs = ResultEntry.objects.select_related("item", "department", "center")
    if user.is_superuser:
        return qs
    center_id = own_center_id(user)
    return qs.filter(center_id=center_id) if center_id else qs.none()


def late_results(qs, now=None):
    """Entries that were not, or will not be, public within the 双公示 limit
    (7 working days after the decision):
    - public only after their due time (the hold was set longer than the
      limit, or the entry was queued late: the item was flagged after the
      decision and the result was entered afterwards);
    - withdrawn before they were ever public, once the due time has passed:
      the decision was never published (no entry replaces a withdrawn one)."""
    now = now or timezone.now()
    return qs.filter(
        Q(shown_from__gt=F("due_at"))
        | Q(withdrawn_at__isnull=False, withdrawn_at__lt=F("shown_from"), due_at__lt=now)
    )


def unqueued_decisions(user, today=None):
    """Decided cases of flagged items with no result entry, older than the limit:
    the item was flagged after the decision (or the entry was never made)."""
    from hall.cases.models import Case
    from hall.catalogue.models import ServiceItem
    from hall.workdays.services import current_calendar

    from .services import DECISIONS

    today = today or timezone.localdate()
    calendar = current_calendar()
    day = today
    while calendar.working_days_between(day, today) < PUBLICATION_LIMIT_DAYS:
        day -= timedelta(days=1)
    # The flagged items first (a few dozen ids): the cases are then found by
    # their item's index, not by scanning every case for its item's flag; and
    # the day as a moment, so the comparison reads the column as stored.
    flagged = list(ServiceItem.objects.filter(publish_decisions=True).values_list("pk", flat=True))
    if not flagged:
        return Case.objects.none()
    qs = Case.objects.filter(
        item_id__in=flagged,
        status__in=DECISIONS,
        result_entry__isnull=True,
        decided_at__lt=timezone.make_aware(datetime.combine(day, time.min)),
    )
    ids = visible_center_ids(user)
    return qs if ids is None else qs.filter(center_id__in=ids)
