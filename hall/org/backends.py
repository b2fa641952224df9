from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied


class StaffBackend(ModelBackend):
    """Password login plus rights granted through the staff member's roles.

    Demo accounts are refused unless the hall runs in demo mode, so a
    production database seeded by mistake cannot be entered with a published password.

    Every failed password counts against the user name from any address
    (services.account_login_failed); over the limit the name is locked for a
    cool-off, during which even the right password is refused. django-axes
    (the backend before this one) locks the (user name, address) pair; a
    request it refuses never gets here, so only passwords actually tried count.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        from . import services

        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)
        if services.account_locked_until(username=username) is not None:
            _mark_locked(request)
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and services.account_login_failed(username=username, request=request):
            _mark_locked(request)
        return user

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        staff = getattr(user, "staff", None)
        return not (staff is not None and staff.is_demo and not settings.DEMO_MODE)

    def _get_role_permissions(self, user_obj) -> set[str]:
        rows = Permission.objects.filter(hall_roles__staff__user=user_obj).values_list(
            "content_type__app_label", "codename"
        )
        return {f"{app}.{codename}" for app, codename in rows}

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_hall_role_perm_cache"):
            user_obj._hall_role_perm_cache = super().get_group_permissions(
                user_obj
            ) | self._get_role_permissions(user_obj)
        return user_obj._hall_role_perm_cache


def _mark_locked(request) -> None:
    """Answer the login with the lockout page: the axes middleware renders it for
    a request so marked, through AXES_LOCKOUT_CALLABLE, which reads the second flag."""
    if request is not None:
        request.axes_locked_out = True
        request.hall_account_locked = True
