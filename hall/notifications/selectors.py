"""Reads with rules: which notifications a staff member may see, and figures."""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.core.permissions import scoped

from .constants import STATS_DAYS, Status
from .models import Notification


def notifications_visible_to(user) -> QuerySet[Notification]:
    """The organisation rule of every staff list, on the row's center and department."""
    return scoped(Notification.objects.select_related("case__item"), user)


def notifications_filtered(
    qs: QuerySet[Notification], *, status="", event="", channel="", date_from=None, date_to=None
) -> QuerySet[Notification]:
    if status:
        qs = qs.filter(status=status)
    if event:
        qs = qs.filter(event=event)
    if channel:
        qs = qs.filter(channel=channel)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def case_notifications(case) -> QuerySet[Notification]:
    return Notification.objects.filter(case=case).order_by("created_at", "id")


def failure_notices(user) -> list[str]:
    """The warning on arrival: messages that could not be sent."""
    if not user.has_perm("notifications.view_notification"):
        return []
    failed = notifications_visible_to(user).filter(status=Status.FAILED).count()
    if not failed:
        return []
    return [_("有 %(n)d 条短信或邮件通知发送失败，请在“通知记录”中查看并重发。") % {"n": failed}]


def daily_counts(qs: QuerySet[Notification], *, days: int = STATS_DAYS, today=None) -> dict:
    """Per day of creation over the last `days` days: counts by status and the
    failure rate (failed among those finished: sent, delivered or failed)."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    rows = (
        qs.filter(created_at__date__gte=start)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            total=Count("id"),
            delivered=Count("id", filter=Q(status=Status.DELIVERED)),
            sent=Count("id", filter=Q(status=Status.SENT)),
            failed=Count("id", filter=Q(status=Status.FAILED)),
            pending=Count("id", filter=Q(status__in=[Status.QUEUED, Status.SENDING])),
        )
        .order_by("day")
    )
    by_day = {r["day"]: r for r in rows}
    empty = {"total": 0, "delivered": 0, "sent": 0, "failed": 0, "pending": 0}
    out, totals = [], dict(empty)
    for i in range(days):
        day = start + timedelta(days=i)
        r = {**empty, **{k: v for k, v in by_day.get(day, {}).items() if k != "day"}}
        r["day"] = day
        r["rate"] = _rate(r)
        out.append(r)
        for k in empty:
            totals[k] += r[k]
    totals["rate"] = _rate(totals)
    return {"days": list(reversed(out)), "totals": totals, "start": start, "end": today}


def _rate(r: dict) -> float | None:
    finished = r["sent"] + r["delivered"] + r["failed"]
    return round(100 * r["failed"] / finished, 1) if finished else None
