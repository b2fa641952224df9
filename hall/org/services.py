"""Every write to the organisation goes through here."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from hall.core import ratelimit
from hall.core.services import log_action

from .constants import DEFAULT_ROLE_NAMES, DEFAULT_ROLE_PERMISSIONS
from .models import Center, Department, Role, Staff, User, Window
from .signals import account_locked


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
    password_hash: str | None = None,
    is_superuser: bool = False,
    actor=None,
) -> Staff:
    """An account with its staff profile; an existing account is left unchanged.
    Without a password the account cannot log in until one is set.
    `password_hash`, an already encoded password, is stored instead of hashing
    `password` again (the demo accounts share one)."""
    user = User.objects.filter(username=username).first()
    if user is not None and hasattr(user, "staff"):
        return user.staff
    if user is None:
        user = User(username=username, full_name=full_name, is_superuser=is_superuser)
        user.is_staff = is_superuser
        if password_hash is not None:
            user.password = password_hash
        else:
            user.set_password(password)
        user.save()
    staff = Staff.objects.create(
        user=user, center=center, department=department, window=window, is_demo=is_demo
    )
    staff.roles.set(Role.objects.filter(code__in=role_codes))
    log_action(actor, "org.staff_create", staff, {"roles": role_codes}, center_id=center.pk)
    return staff


# ---- the account-wide login limit ------------------------------------------------
# django-axes locks a (user name, address) pair; from many addresses a guesser
# would still get a few tries each. These count failed passwords for a user name
# from every address and lock it for a short cool-off, the right password too.

_FAILURES = "login-account-failures"
_LOCK = "login-account-lock"


def _account_key(username: str) -> str:
    # A digest, so any name typed at the login page makes a short, plain key.
    return hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def account_locked_until(*, username: str) -> datetime | None:
    """When the account-wide lock of this user name ends, or None when there is none."""
    return ratelimit.locked_until(_LOCK, _account_key(username))


def account_login_failed(*, username: str, request=None) -> bool:
    """Count one failed password for `username`, whatever the address. True when
    the account is locked now: this failure reached the limit. The first
    failure that locks writes the audit entry and sends `account_locked` (the
    owner's notice), once per lock."""
    limit, window = settings.ACCOUNT_LOCKOUT_FAILURES
    key = _account_key(username)
    if ratelimit.hit(_FAILURES, key, limit=max(limit - 1, 0), window=window):
        return False
    seconds = int(settings.ACCOUNT_LOCKOUT_COOLOFF.total_seconds())
    with transaction.atomic():
        if ratelimit.lock(_LOCK, key, seconds=seconds):
            until = ratelimit.locked_until(_LOCK, key) or timezone.now()
            user = User.objects.filter(username=username).select_related("staff").first()
            staff = getattr(user, "staff", None) if user is not None else None
            log_action(
                None,
                "org.account_lock",
                user,
                {"username": username[:150], "until": until.isoformat(), "failures": limit},
                request=request,
                actor_name=username[:150],
                center_id=getattr(staff, "center_id", None),
            )
            account_locked.send(sender=User, user=user, username=username, until=until)
    return True
