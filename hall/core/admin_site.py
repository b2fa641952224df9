from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class HallAdminSite(admin.AdminSite):
    """The back office (后台界面管理): open to roles granted `core.access_backoffice`.

    A signed-in user without the right, or without the right to a model or
    object, gets 404 — the same answer as for an object outside their scope.
    """

    site_header = _("网上办事大厅 后台管理")
    site_title = _("后台管理")
    index_title = _("配置与管理")

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.has_perm("core.access_backoffice")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            try:
                return inner(request, *args, **kwargs)
            except PermissionDenied:
                raise Http404 from None

        return update_wrapper(wrapper, inner)

    def login(self, request, extra_context=None):
        # One login page for the whole intranet, with its lockout and audit.
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.get_full_path(), reverse("org:login"))
