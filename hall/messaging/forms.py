from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import selectors
from .constants import FILE_MAX_BYTES, FILES_MAX

OUT_OF_REACH = _("所选收件方不在您可以联系的范围内，请重新选择。")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(FilesField, self).clean(d, initial) for d in items]


class PartyField(forms.ModelMultipleChoiceField):
    """A choice among the parties in the user's reach; anything else is refused."""

    def __init__(self, *args, label_of, **kwargs):
        self.label_of = label_of
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": OUT_OF_REACH,
                "invalid_pk_value": OUT_OF_REACH,
                "invalid_list": OUT_OF_REACH,
            },
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return self.label_of(obj)


def _files_help():
    return gettext(
        "可不传。PDF、图片（JPEG、PNG）、Word（DOCX）或 Excel（XLSX），最多 %(n)d 个，每个不超过 %(mb)d MB。"
    ) % {"n": FILES_MAX, "mb": FILE_MAX_BYTES // (1024 * 1024)}


class ThreadForm(forms.Form):
    """A new thread: the subject, the addressees in reach, the first message."""

    subject = forms.CharField(
        label=_("主题"),
        required=False,
        strip=False,
        help_text=pgettext_lazy("messaging", "不超过 100 个字。"),
    )
    departments = PartyField(
        queryset=None,
        label=_("发给部门（部门全体人员）"),
        label_of=selectors.department_label,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    windows = PartyField(
        queryset=None,
        label=_("发给窗口（窗口全体人员）"),
        label_of=selectors.window_label,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    staff_members = PartyField(
        queryset=None,
        label=pgettext_lazy("messaging", "发给工作人员"),
        label_of=selectors.staff_label,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    body = forms.CharField(
        label=pgettext_lazy("messaging", "消息内容"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("纯文本，不超过 5000 个字。"),
    )
    files = FilesField(label=_("附件"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reach = selectors.addressable(user)
        self.fields["departments"].queryset = reach["departments"]
        self.fields["windows"].queryset = reach["windows"]
        self.fields["staff_members"].queryset = reach["staff"]
        self.fields["files"].help_text = _files_help()


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("messaging", "回复内容"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("纯文本，不超过 5000 个字。"),
    )
    files = FilesField(label=_("附件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _files_help()
