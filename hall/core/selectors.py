"""Reads of the audit log, scoped to what the reader may see."""

from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEntry
from .permissions import staff_scope, visible_center_ids


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.select_related("content_type")
    ids = visible_center_ids(user)
    if ids is None:
        return qs
    staff = staff_scope(user)
    # Entries with no center (e.g. failed logins under unknown names) belong to
    # the top of the tree: only a center with no parent sees them.
    if staff is not None and getattr(staff.center, "parent_id", 1) is None:
        return qs.filter(Q(center_id__in=ids) | Q(center_id__isnull=True))
    return qs.filter(center_id__in=ids)


def audit_entries_filtered(
    qs: QuerySet[AuditEntry],
    *,
    actor: str = "",
    action: str = "",
    content_type: ContentType | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if action:
        qs = qs.filter(action=action)
    if content_type is not None:
        qs = qs.filter(content_type=content_type)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(created_at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return qs
