"""Audit receivers for logins, failed logins and lockouts."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .constants import AuditAction
from .services import log_action

MAX_LOGGED_USERNAME = 150


def _user_named(username: str):
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    log_action(user, AuditAction.LOGIN, user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        log_action(user, AuditAction.LOGOUT, user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:MAX_LOGGED_USERNAME]
    user = _user_named(username) if username else None
    log_action(
        None,
        AuditAction.LOGIN_FAILED,
        user,
        {"username": username},
        request=request,
        actor_name=username,
        center_id=_center_of(user),
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    username = str(username or "")[:MAX_LOGGED_USERNAME]
    user = _user_named(username) if username else None
    log_action(
        None,
        AuditAction.LOCKED_OUT,
        user,
        {"username": username, "ip_address": ip_address},
        request=request,
        actor_name=username,
        center_id=_center_of(user),
    )


def _center_of(user) -> int | None:
    staff = getattr(user, "staff", None) if user is not None else None
    return getattr(staff, "center_id", None)
