"""The forms of the staff pages. Their text is checked by the services
(services.clean_note), so that page and service refuse the same things with
the same words."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from hall.core.forms import IdField

from .constants import EVIDENCE_PER_APPEAL, MAX_RECTIFY_DAYS, MIN_RECTIFY_DAYS, NOTE_MAX


class NoteField(forms.CharField):
    """Text left whole for the service's checks (NUL among them)."""

    def __init__(self, *, label, rows: int = 4, max_length: int = NOTE_MAX, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            label=label,
            widget=forms.Textarea(attrs={"rows": rows, "maxlength": str(max_length)}),
            strip=False,
            **kwargs,
        )
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


YES_NO = [("yes", _("已联系上")), ("no", _("未联系上"))]


class CallbackForm(forms.Form):
    reached = forms.ChoiceField(
        label=_("是否联系上申请人"), choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    note = NoteField(label=_("回访情况（沟通内容）"))

    def reached_value(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("reached"))


class VerifyForm(forms.Form):
    note = NoteField(label=_("核实情况：差评属实的原因"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/*"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AppealForm(forms.Form):
    reason = NoteField(label=_("申诉理由"))
    evidence = MultipleFileField(
        label=_("证明材料"),
        help_text=_("PDF、PNG 或 JPEG，最多 %(n)d 个，每个不超过 10 MB。")
        % {"n": EVIDENCE_PER_APPEAL},
    )


DECISIONS = [("rejected", _("申诉不成立，进入整改")), ("upheld", _("申诉成立，任务办结"))]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=DECISIONS, widget=forms.RadioSelect, required=False
    )
    note = NoteField(label=_("审核意见"))

    def upheld_value(self):
        return {"upheld": True, "rejected": False}.get(self.cleaned_data.get("decision"))


class RectifyForm(forms.Form):
    text = NoteField(label=_("整改措施：改了什么"))


class ReplyForm(forms.Form):
    text = NoteField(label=_("答复申请人（短信发送）"), rows=3, max_length=500)


class SettingsForm(forms.Form):
    rectify_days = forms.IntegerField(
        label=_("整改时限（工作日）"),
        min_value=MIN_RECTIFY_DAYS,
        max_value=MAX_RECTIFY_DAYS,
        help_text=_("差评后几个工作日内完成整改并答复申请人；新的整改任务按此计算期限。"),
    )


TABS = [
    ("open", _("办理中")),
    ("overdue", _("已超期")),
    ("due_soon", _("临期")),
    ("appeal", _("申诉待定")),
    ("follow_up", _("待追评")),
    ("closed", _("已办结")),
    ("all", _("全部")),
]


class ListFilterForm(forms.Form):
    tab = forms.ChoiceField(choices=TABS, required=False)
    department = IdField(required=False)
    page = forms.IntegerField(min_value=1, max_value=100000, required=False)
