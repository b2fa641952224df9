"""Whose usage sheets a staff member may read.

A clerk reads their own window's sheet; whoever may compare windows
(usage.compare_usage) reads the windows and departments of their scope: a
department admin their department's, a center admin or supervisor their
center's (the city center's also its counties'). Anything else is a 404."""

from django.db.models import QuerySet

from hall.core.permissions import staff_scope
from hall.org.models import Center, Department, Window
from hall.org.selectors import centers_visible_to, departments_visible_to, windows_visible_to

from .constants import RIGHT_COMPARE


def can_compare(user) -> bool:
    return user.has_perm(RIGHT_COMPARE)


def windows_of(user) -> QuerySet[Window]:
    """The windows whose sheets `user` may read."""
    if can_compare(user):
        return windows_visible_to(user)
    staff = staff_scope(user)
    if user.is_superuser:
        return windows_visible_to(user)
    if staff is None or staff.window_id is None:
        return Window.objects.none()
    return windows_visible_to(user).filter(pk=staff.window_id)


def departments_of(user) -> QuerySet[Department]:
    """The departments whose summed view `user` may read."""
    if not (user.is_superuser or can_compare(user)):
        return Department.objects.none()
    return departments_visible_to(user)


def centers_of(user) -> QuerySet[Center]:
    return centers_visible_to(user)


def home_center(user) -> Center | None:
    staff = staff_scope(user)
    if staff is not None:
        return staff.center
    return Center.objects.filter(parent__isnull=True).order_by("sort_order", "pk").first()
