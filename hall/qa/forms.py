import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from hall.cases.validators import validate_mobile
from hall.core.forms import IdField, SearchField
from hall.org.models import Department

from .constants import ANSWER_MAX, NAME_MAX, QUESTION_MAX, REASON_MAX, SUBJECT_MAX

_SALT = "qa.ask.started"


def started_token() -> str:
    """When the form was shown, signed: the least time to fill is checked on it."""
    return signing.dumps(int(time.time()), salt=_SALT)


def _plain(value: str) -> str:
    """Drop control characters (NUL and the like) and surrounding spaces."""
    text = "".join(ch for ch in (value or "") if ch.isprintable() or ch in "\n\t")
    return text.replace("\r", "").strip()


class _TextField(forms.CharField):
    def to_python(self, value):
        return _plain(super().to_python(value))


class AskForm(forms.Form):
    department = forms.ChoiceField(
        label=_("咨询部门"),
        help_text=_("不确定由哪个部门答复的，请选“不确定”，由中心分派。"),
    )
    subject = _TextField(
        label=_("主题"),
        max_length=SUBJECT_MAX,
        help_text=_("一句话说明您要咨询的事，输入时会提示已有的答复和相关事项。"),
    )
    question = _TextField(
        label=_("问题"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请勿填写身份证号等个人信息；公开前中心会隐去其中的个人信息。"),
    )
    name = _TextField(label=_("姓名（可不填）"), max_length=NAME_MAX, required=False)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        validators=[validate_mobile],
        help_text=_("答复后以短信通知，凭问题编号和手机号查看答复。不公开。"),
    )
    may_publish = forms.BooleanField(label=_("同意在网上答疑栏目公开问题和答复"), required=False)
    # Not for people: hidden by the style sheet, left empty by every browser.
    website = forms.CharField(label=_("请勿填写此项"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.center = center
        self.departments = {
            str(d.pk): d
            for d in Department.objects.filter(center=center).order_by("sort_order", "code")
        }
        self.fields["department"].choices = [
            ("", _("不确定（由中心分派）")),
            *((k, d.name) for k, d in self.departments.items()),
        ]
        self.fields["department"].required = False
        self.fields["subject"].widget.attrs.update(
            {"autocomplete": "off", "data-qa-suggest": "1", "aria-describedby": "qa-suggestions"}
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial.setdefault("started", started_token())
            self.initial.setdefault("may_publish", True)

    def clean_phone(self):
        return (self.cleaned_data.get("phone") or "").strip()

    def clean_department(self):
        value = self.cleaned_data.get("department") or ""
        return self.departments.get(value)

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("提交未成功，请刷新页面后重新填写。"), code="honeypot")
        try:
            started = signing.loads(
                self.data.get("started", ""), salt=_SALT, max_age=settings.QA_MAX_FILL_SECONDS
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                _("页面已过期，请刷新页面后重新填写。"), code="expired"
            ) from None
        if (
            not getattr(self, "api", False)
            and time.time() - int(started) < settings.QA_MIN_FILL_SECONDS
        ):
            raise forms.ValidationError(_("提交过快，请核对填写的内容后再提交。"), code="too_fast")
        return data


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("问题编号"),
        max_length=40,
        help_text=_("提问后得到的编号，例如 7K3M-Q9TX-2HBD-F8。"),
    )
    phone = forms.CharField(
        label=_("手机号码"), max_length=20, help_text=_("提问时填写的 11 位手机号码。")
    )


class ListFilterForm(forms.Form):
    q = SearchField(label=_("搜索"), required=False, max_length=50)
    department = IdField(label=_("部门"), required=False)
    page = IdField(required=False)


# ---- staff ------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    department = IdField(required=False)
    center = IdField(required=False)
    q = SearchField(required=False, max_length=50)
    page = IdField(required=False)


class RouteForm(forms.Form):
    department = IdField(label=_("分派给部门"))


class ReferForm(forms.Form):
    matter = forms.CharField(label=_("非窗口事项"), max_length=10)
    note = _TextField(
        label=_("补充说明（可不填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = _TextField(
        label=_("答复内容"), max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )


class ReasonForm(forms.Form):
    reason = _TextField(
        label=_("理由"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class PublishForm(forms.Form):
    published_subject = _TextField(label=_("公开主题"), max_length=SUBJECT_MAX)
    published_question = _TextField(
        label=_("公开问题"), max_length=QUESTION_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )


class PromoteForm(forms.Form):
    item = forms.CharField(label=_("事项"), max_length=40)
