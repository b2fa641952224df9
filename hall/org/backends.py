from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class StaffBackend(ModelBackend):
    """Password login plus rights granted through the staff member's roles.

    Demo accounts are refused unless the hall runs in demo mode, so a
    production database seeded by mistake cannot be entered with a published password.
    """

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
