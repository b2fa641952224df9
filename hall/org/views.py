from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from hall.core import navigation
from hall.core.permissions import staff_required

from . import selectors
from .constants import RoleKind
from .forms import StaffLoginForm


class StaffLoginView(auth_views.LoginView):
    template_name = "org/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(AXES_FAILURE_LIMIT=settings.AXES_FAILURE_LIMIT, **kwargs)


login = sensitive_post_parameters("password")(StaffLoginView.as_view())
logout = auth_views.LogoutView.as_view()


ROLE_INTROS = {
    RoleKind.CENTER_ADMIN: _("您负责本中心的部门、事项、账号与权限配置。"),
    RoleKind.DEPARTMENT_ADMIN: _("您负责本部门的窗口、人员及公开内容。"),
    RoleKind.CLERK: _("您在窗口受理和审批本部门的办件。"),
    RoleKind.SUPERVISOR: _("您实时监督办件时限与结果，处理投诉。"),
}


@staff_required()
def landing(request):
    staff = getattr(request.user, "staff", None)
    roles = list(staff.roles.all()) if staff else []
    intros = [ROLE_INTROS[r.kind] for r in roles if r.kind in ROLE_INTROS]
    cards = navigation.entries_for(request.user)
    return render(
        request,
        "org/landing.html",
        {
            "staff": staff,
            "cards": cards,
            "roles": roles,
            "intros": list(dict.fromkeys(intros)),
            "notices": navigation.notices_for(request.user),
        },
    )


@staff_required("org.view_department")
def departments(request):
    return render(
        request,
        "org/departments.html",
        {"departments": selectors.department_overview(request.user)},
    )


@staff_required("org.view_department")
def department_detail(request, pk: int):
    department = get_object_or_404(selectors.departments_visible_to(request.user), pk=pk)
    return render(
        request,
        "org/department_detail.html",
        {
            "department": department,
            "windows": department.windows.all(),
            "members": selectors.staff_visible_to(request.user)
            .filter(department=department)
            .prefetch_related("roles"),
        },
    )


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out login sees (django-axes calls this)."""
    if getattr(request, "hall_account_locked", False):  # the account-wide limit (backends.py)
        minutes = int(settings.ACCOUNT_LOCKOUT_COOLOFF.total_seconds() // 60)
        return render(request, "org/account_locked.html", {"cooloff_minutes": minutes}, status=429)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "org/lockout.html", {"cooloff_minutes": minutes}, status=429)
