from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hall.core.forms import DateRangeForm

from . import rendering
from .constants import TEMPLATE_MAX_CHARS, Channel, Event, Status


def _all(choices):
    return [("", _("全部")), *choices]


class LogFilterForm(DateRangeForm):
    field_order = ["status", "event", "channel", "date_from", "date_to"]

    status = forms.ChoiceField(label=_("状态"), required=False, choices=_all(Status.choices))
    event = forms.ChoiceField(label=_("事件"), required=False, choices=_all(Event.choices))
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=_all(Channel.choices))


class TemplateForm(forms.Form):
    # No max_length on the field: the check below gives the one clear message
    # with the count, and a long text is shown back for editing, not cut.
    text = forms.CharField(
        label=_("短信内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("最多 %(n)d 个字。占位符写作 {item}，发送时替换为实际内容。")
        % {"n": TEMPLATE_MAX_CHARS},
        strip=True,
    )
    enabled = forms.BooleanField(label=_("发生此事件时发送短信"), required=False)

    def clean_text(self):
        try:
            return rendering.check(self.cleaned_data["text"])
        except rendering.TemplateError as exc:
            raise ValidationError(str(exc)) from None
