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
