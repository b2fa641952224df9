"""Reads with rules: what a staff member may see of the organisation."""

from django.db.models import Count, QuerySet

from hall.core.permissions import visible_center_ids

from .models import Center, Department, Staff, User, Window


def centers_visible_to(user) -> QuerySet[Center]:
    ids = visible_center_ids(user)
    qs = Center.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def departments_visible_to(user) -> QuerySet[Department]:
    """A department-bound member sees their department; others their centers'."""
    qs = Department.objects.select_related("center")
    if user.is_superuser:
        return qs
    staff = getattr(user, "staff", None)
    if staff is None:
        return qs.none()
    if staff.department_id is not None:
        return qs.filter(pk=staff.department_id)
    return qs.filter(center_id__in=staff.visible_center_ids())


def windows_visible_to(user) -> QuerySet[Window]:
    return Window.objects.select_related("department__center").filter(
        department__in=departments_visible_to(user)
    )


def staff_visible_to(user) -> QuerySet[Staff]:
    qs = Staff.objects.select_related("user", "center", "department", "window")
    if user.is_superuser:
        return qs
    staff = getattr(user, "staff", None)
    if staff is None:
        return qs.none()
    if staff.department_id is not None:
        return qs.filter(department_id=staff.department_id)
    return qs.filter(center_id__in=staff.visible_center_ids())


def users_visible_to(user) -> QuerySet[User]:
    """Accounts a back-office user may manage: staff in scope, never a superuser."""
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(staff__in=staff_visible_to(user), is_superuser=False)


def department_overview(user) -> QuerySet[Department]:
    return departments_visible_to(user).annotate(
        window_count=Count("windows", distinct=True), staff_count=Count("staff", distinct=True)
    )
