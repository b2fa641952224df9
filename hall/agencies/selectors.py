"""Reads of the agency directory that follow a rule."""

from datetime import date

from django.utils import timezone

from hall.core.permissions import staff_scope, visible_center_ids

from .models import Agency


def today() -> date:
    return timezone.localdate()


def agencies_managed_by(user):
    """The agencies a staff member keeps: their center's (the city: its counties'
    too). The directory is the center's: staff bound to a department keep none."""
    return Agency.objects.filter(center__in=centers_managed_by(user))


def centers_managed_by(user):
    from hall.org.models import Center

    qs = Center.objects.order_by("sort_order", "id")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    ids = visible_center_ids(user)
    if ids is None:
        return qs
    staff = staff_scope(user)
    if staff is None or staff.department_id is not None:
        return qs.none()
    return qs.filter(pk__in=ids)


def qualified_for_item(item, *, on: date | None = None):
    """The active, qualified agencies linked to an item (of its center)."""
    return (
        Agency.objects.offered(on or today())
        .filter(items=item, center_id=item.center_id)
        .prefetch_related("category_rows")
        .order_by("name", "id")
    )


def public_agency(pk: int):
    return (
        Agency.objects.filter(pk=pk, is_active=True)
        .select_related("center")
        .prefetch_related("certificates", "category_rows")
        .first()
    )
