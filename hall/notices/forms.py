"""The forms of the staff pages. Text is checked by the services (the same
words on the page and in the service); the recipient lists offer only the
sender center's reach, and anything else is refused here and again there."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hall.rectification.forms import MultipleFileField, MultipleFileInput, NoteField

from .constants import BODY_MAX, DEFAULT_DUE_DAYS, FEEDBACK_MAX, FILES_PER_POST, TITLE_MAX, Kind

_OUT_OF_REACH = _("所选接收单位不在本中心的发送范围内，请从列表中选择。")
_ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,application/pdf,image/*"
_FILES_HELP = _("PDF、图片、Word 或 Excel，最多 %(n)d 个，每个不超过 10 MB。") % {
    "n": FILES_PER_POST
}


def _files_field():
    return MultipleFileField(
        label=_("附件"),
        help_text=_FILES_HELP,
        widget=MultipleFileInput(attrs={"accept": _ACCEPT}),
    )


class UnitsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid_choice": _OUT_OF_REACH})
        super().__init__(**kwargs)


class SendForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.NOTICE
    )
    title = forms.CharField(
        label=_("标题"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"maxlength": str(TITLE_MAX)}),
    )
    body = NoteField(label=_("正文"), rows=8, max_length=BODY_MAX)
    due_days = forms.IntegerField(
        label=_("反馈时限（工作日，仅工作任务）"),
        required=False,
        initial=DEFAULT_DUE_DAYS,
        help_text=_("从今天起计算的工作日数，节假日不计；到期前 2 个工作日提醒接收单位。"),
    )
    all_departments = forms.BooleanField(label=_("本中心全部部门"), required=False)
    departments = UnitsField(label=_("部门"))
    all_windows = forms.BooleanField(label=_("本中心全部窗口"), required=False)
    windows = UnitsField(label=_("窗口"))
    all_centers = forms.BooleanField(label=_("全部县（市、区）中心"), required=False)
    centers = UnitsField(label=_("县（市、区）中心"))
    files = _files_field()

    def __init__(self, *args, reach, **kwargs):
        super().__init__(*args, **kwargs)
        self.reach = reach
        self.fields["departments"].choices = [(str(d.pk), d.name) for d in reach["departments"]]
        self.fields["windows"].choices = [
            (
                str(w.pk),
                _("%(department)s %(number)s号窗口")
                % {"department": w.department.name, "number": w.number},
            )
            for w in reach["windows"]
        ]
        if reach["centers"].exists():
            self.fields["centers"].choices = [(str(c.pk), c.name) for c in reach["centers"]]
        else:
            del self.fields["all_centers"], self.fields["centers"]

    def units(self, name: str) -> list[int]:
        data = self.cleaned_data
        if data.get(f"all_{name}"):
            return [int(v) for v, _label in self.fields[name].choices]
        return [int(v) for v in data.get(name) or []]


class FeedbackForm(forms.Form):
    text = NoteField(label=_("反馈内容"), rows=6, max_length=FEEDBACK_MAX)
    files = _files_field()
