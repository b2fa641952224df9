"""Reads with rules: what a staff member may see of the organisation."""

from django.db.models import Count, QuerySet

from hall.core.permissions import scoped, visible_center_ids

from .models import Center, Department, Staff, User, Window


def centers_visible_to(user) -> QuerySet[Center]:
    ids = visible_center_ids(user)
    qs = Center.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def departments_visible_to(user) -> QuerySet[Department]:
    """A department-bound member sees their department; others their centers'."""
    return scoped(Department.objects.select_related("center"), user, department="pk")


def windows_visible_to(user) -> QuerySet[Window]:
    return Window.objects.select_related("department__center").filter(
        department__in=departments_visible_to(user)
    )


def staff_visible_to(user) -> QuerySet[Staff]:
    return scoped(Staff.objects.select_related("user", "center", "department", "window"), user)


def users_visible_to(user) -> QuerySet[User]:
    """Accounts a back-office user may manage: staff in scope, never a superuser."""
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(staff__in=staff_visible_to(user), is_superuser=False)


def department_overview(user) -> QuerySet[Department]:
    return departments_visible_to(user).annotate(
        window_count=Count("windows", distinct=True), staff_count=Count("staff", distinct=True)
    )
