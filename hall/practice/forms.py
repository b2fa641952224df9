from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Scenario


class SwitchForm(forms.Form):
    on = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", empty_value=None
    )


class StartForm(forms.Form):
    scenario = forms.ChoiceField(label=_("情景"), choices=Scenario.choices)


class ResetForm(forms.Form):
    clear_attempts = forms.BooleanField(label=_("同时清除我的考核记录"), required=False)


class AnswerForm(forms.Form):
    # The length is the service's rule (a clear message), not the widget's.
    answer = forms.CharField(
        label=_("承诺办结日期"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "2026-10-09", "autocomplete": "off"}),
    )
