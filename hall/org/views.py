from base64 import b32encode
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from hall.core import navigation
from hall.core.permissions import staff_required

from . import security, selectors
from .constants import RoleKind
from .forms import OTPCodeForm, OTPRemoveForm, SessionEndForm, StaffLoginForm


def _verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _next_url(request, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path of this hall only: redirect() would read anything else as a view name.
    if not candidate.startswith("/") or not candidate.isprintable() or len(candidate) > 2000:
        candidate = ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


class StaffLoginView(auth_views.LoginView):
    template_name = "org/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        user = self.request.user
        if not _verified(user) and security.confirmed_device(user) is not None:
            # The password is right; the second step asks for the code.
            return f"{reverse('org:login_code')}?{urlencode({'next': url})}"
        return url

    def get_context_data(self, **kwargs):
        return super().get_context_data(AXES_FAILURE_LIMIT=settings.AXES_FAILURE_LIMIT, **kwargs)


def _code_refused(form, check) -> None:
    if check.wait_seconds:
        form.add_error(
            "code",
            gettext("验证码错误次数过多，请 %(seconds)s 秒后再试。")
            % {"seconds": check.wait_seconds},
        )
    else:
        form.add_error(
            "code", gettext("验证码不正确或已使用过，请输入身份验证器应用当前显示的 6 位数字。")
        )


@sensitive_post_parameters("code")
def login_code(request):
    """The second step of a login for an account with a two-factor device."""
    user = request.user
    if not user.is_authenticated:
        return redirect("org:login")
    next_url = _next_url(request)
    device = security.confirmed_device(user)
    if device is None or _verified(user):
        return redirect(next_url)
    form = OTPCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = security.otp_login_check(request, device, form.cleaned_data["code"])
        if check.ok:
            return redirect(next_url)
        _code_refused(form, check)
    return render(request, "org/login_code.html", {"form": form, "next": next_url})


login = sensitive_post_parameters("password")(StaffLoginView.as_view())
logout = auth_views.LogoutView.as_view()


# ---- the account's own security ------------------------------------------------------


def _account_context(request, remove_form=None):
    device = security.confirmed_device(request.user)
    return {
        "device": device,
        "required": security.otp_required(request.user),
        "remove_form": remove_form or OTPRemoveForm(),
        "session_count": security.sessions_of(request.user).count(),
    }


@staff_required()
def account(request):
    return render(request, "org/account.html", _account_context(request))


@staff_required()
@sensitive_post_parameters("code")
def otp_enrol(request):
    """Enrol an authenticator app: scan the QR code (or type the key), confirm
    with a code from it."""
    if security.confirmed_device(request.user) is not None:
        messages.info(request, gettext("两步验证已启用。如需更换设备，请先停用当前设备。"))
        return redirect("org:account")
    device = security.otp_pending_device(request.user)
    form = OTPCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = security.otp_confirm(request, device, form.cleaned_data["code"])
        if check.ok:
            messages.success(request, gettext("两步验证已启用，今后登录时需输入验证码。"))
            return redirect("org:account")
        _code_refused(form, check)
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "org/otp_enrol.html",
        {
            "form": form,
            "qr_svg": security.otp_qr_svg(device),
            "secret": secret,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": security.otp_required(request.user),
        },
    )


@staff_required()
@require_POST
@sensitive_post_parameters("code", "password")
def otp_remove(request):
    device = security.confirmed_device(request.user)
    if device is None:
        messages.info(request, gettext("当前账号未启用两步验证。"))
        return redirect("org:account")
    form = OTPRemoveForm(request.POST)
    if form.is_valid():
        check = security.otp_remove(
            request,
            device,
            code=form.cleaned_data["code"],
            password=form.cleaned_data["password"],
        )
        if check.ok:
            messages.success(request, gettext("两步验证已停用。"))
            return redirect("org:account")
        if check.wait_seconds:
            form.add_error(
                None,
                gettext("验证码或密码错误次数过多，请 %(seconds)s 秒后再试。")
                % {"seconds": check.wait_seconds},
            )
        else:
            form.add_error(None, gettext("验证码或密码不正确，两步验证未停用。"))
    return render(request, "org/account.html", _account_context(request, form))


def _sessions_page(request, form=None, status=200):
    current = security.session_hash(request.session.session_key)
    rows = [(s, s.key_hash == current) for s in security.sessions_of(request.user)]
    return render(
        request,
        "org/sessions.html",
        {"rows": rows, "others": sum(1 for _s, is_current in rows if not is_current), "form": form},
        status=status,
    )


@staff_required()
def sessions(request):
    return _sessions_page(request)


@staff_required()
@require_POST
def session_end(request):
    form = SessionEndForm(request.POST)
    if not form.is_valid():
        return _sessions_page(request, form)
    try:
        count = security.session_end(request, form.cleaned_data["session"])
    except security.SessionNotFound:
        raise Http404 from None
    messages.success(
        request,
        ngettext("已结束 %(count)s 个其他会话。", "已结束 %(count)s 个其他会话。", count)
        % {"count": count},
    )
    return redirect("org:sessions")


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
