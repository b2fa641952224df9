from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class StaffLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意密码区分大小写。"),
        "inactive": _("该账号已停用，请联系中心管理员。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].error_messages["max_length"] = _("用户名不能超过 150 个字符。")
        self.fields["username"].error_messages["required"] = _("请输入用户名。")
        self.fields["password"].error_messages["required"] = _("请输入密码。")
        self.fields["password"].max_length = 128
        self.fields["password"].widget.attrs["maxlength"] = 128

    def clean_username(self):
        username = self.cleaned_data.get("username", "")
        # AuthenticationForm sets max_length only as an attribute: enforce it here.
        if len(username) > self.fields["username"].max_length:
            raise forms.ValidationError(self.fields["username"].error_messages["max_length"])
        return username

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if len(password) > 128:
            raise forms.ValidationError(_("密码不能超过 128 个字符。"))
        return password


CODE_LENGTH = 6


def _clean_code(value: str) -> str:
    code = (value or "").strip()
    if len(code) != CODE_LENGTH or not all("0" <= c <= "9" for c in code):
        raise forms.ValidationError(_("验证码应为 6 位数字，请查看身份验证器应用中的当前数字。"))
    return code


class OTPCodeForm(forms.Form):
    """The 6-digit code of an authenticator app (only ASCII digits count)."""

    code = forms.CharField(
        label=_("6 位验证码"),
        strip=True,
        error_messages={"required": _("请输入身份验证器应用显示的 6 位验证码。")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "maxlength": CODE_LENGTH,
                "pattern": "[0-9]{6}",
            }
        ),
    )

    def clean_code(self):
        return _clean_code(self.cleaned_data.get("code", ""))


class OTPRemoveForm(forms.Form):
    """Removing the device needs a current code or the account's password."""

    code = forms.CharField(
        label=_("6 位验证码"),
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}
        ),
    )
    password = forms.CharField(
        label=_("或输入登录密码"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "maxlength": 128}),
    )

    def clean_code(self):
        code = self.cleaned_data.get("code", "")
        return _clean_code(code) if code else ""

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if len(password) > 128:
            raise forms.ValidationError(_("密码不能超过 128 个字符。"))
        return password

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("code") and not data.get("password"):
            raise forms.ValidationError(_("请输入当前的 6 位验证码或登录密码。"))
        return data


class SessionEndForm(forms.Form):
    """Which other session to end: its number, or "all" for every other one."""

    session = forms.CharField(
        error_messages={"required": _("请选择要结束的会话。")},
    )

    def clean_session(self) -> int | None:
        value = self.cleaned_data["session"].strip()
        if value == "all":
            return None
        if not (1 <= len(value) <= 18 and value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("会话编号无效，请刷新页面后重试。"))
        return int(value)
