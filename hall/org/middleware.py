"""Signed-in sessions: idle timeout, sessions ended elsewhere, and the second
factor (no page but the code step until the session is verified)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import security

# Pages a signed-in but not yet verified session may reach.
OPEN_BEFORE_VERIFIED = {"org:login", "org:login_code", "org:logout", "set_language", "healthz"}
# …and one that must still enrol a device (required for its role).
OPEN_BEFORE_ENROLLED = {"org:login", "org:logout", "org:otp_enrol", "set_language", "healthz"}


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class StaffSessionMiddleware:
    """After AuthenticationMiddleware, OTPMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)

        now = timezone.now()
        record = security.session_current(request)
        if record.ended_at is not None or now - record.last_seen > security.session_idle_limit():
            ended_elsewhere = record.ended_at is not None
            logout(request)  # deletes the Django session
            messages.warning(
                request,
                _("该会话已在账号安全页面被结束，请重新登录")
                if ended_elsewhere
                else _("长时间未操作，已自动退出，请重新登录"),
            )
            # Go on as an anonymous visitor: a staff page sends them to the login.
            return self.get_response(request)
        security.session_touch(record, now)

        if not user.is_verified():
            name = _url_name(request)
            if security.confirmed_device(user) is not None:
                if name not in OPEN_BEFORE_VERIFIED:
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{security.login_code_url()}?{query}")
            elif security.otp_required(user) and name not in OPEN_BEFORE_ENROLLED:
                messages.warning(request, _("您的角色须启用两步验证，请先绑定身份验证器。"))
                return redirect("org:otp_enrol")
        return self.get_response(request)
