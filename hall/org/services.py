"""Every write to the organisation goes through here."""

from django.contrib.auth.models import Permission
from django.db import transaction

from hall.core.services import log_action

from .constants import DEFAULT_ROLE_NAMES, DEFAULT_ROLE_PERMISSIONS
from .models import Center, Department, Role, Staff, User, Window


def _permissions(codes: list[str]) -> list[Permission]:
    perms = []
    for code in codes:
        app_label, codename = code.split(".", 1)
        perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return perms


@transaction.atomic
def role_ensure_defaults(*, actor=None) -> list[Role]:
    """Create the four default roles with their starting rights if missing.

    Existing roles are left as the center configured them.
    """
    roles = []
    for kind, codes in DEFAULT_ROLE_PERMISSIONS.items():
        role, created = Role.objects.get_or_create(
            code=str(kind), defaults={"name": str(DEFAULT_ROLE_NAMES[kind]), "kind": kind}
        )
        if created:
            role.permissions.set(_permissions(codes))
            log_action(actor, "org.role_create", role, {"permissions": codes})
        roles.append(role)
    return roles


@transaction.atomic
def center_ensure(*, region_code: str, defaults: dict, actor=None) -> Center:
    center, created = Center.objects.get_or_create(region_code=region_code, defaults=defaults)
    if created:
        log_action(actor, "org.center_create", center)
    return center


@transaction.atomic
def department_ensure(*, center: Center, code: str, defaults: dict, actor=None) -> Department:
    department, created = Department.objects.get_or_create(
        center=center, code=code, defaults=defaults
    )
    if created:
        log_action(actor, "org.department_create", department)
    return department


@transaction.atomic
def window_ensure(*, department: Department, number: str, defaults: dict, actor=None) -> Window:
    window, created = Window.objects.get_or_create(
        department=department, number=number, defaults=defaults
    )
    if created:
        log_action(actor, "org.window_create", window, center_id=department.center_id)
    return window


@transaction.atomic
def staff_ensure(
    *,
    username: str,
    full_name: str,
    password: str | None,
    center: Center,
    department: Department | None = None,
    window: Window | None = None,
    role_codes: list[str],
    is_demo: bool = False,
    is_superuser: bool = False,
    actor=None,
) -> Staff:
    """An account with its staff profile; an existing account is left unchanged.
    Without a password the account cannot log in until one is set."""
    user = User.objects.filter(username=username).first()
    if user is not None and hasattr(user, "staff"):
        return user.staff
    if user is None:
        user = User(username=username, full_name=full_name, is_superuser=is_superuser)
        user.is_staff = is_superuser
        user.set_password(password)
        user.save()
    staff = Staff.objects.create(
        user=user, center=center, department=department, window=window, is_demo=is_demo
    )
    staff.roles.set(Role.objects.filter(code__in=role_codes))
    log_action(actor, "org.staff_create", staff, {"roles": role_codes}, center_id=center.pk)
    return staff
