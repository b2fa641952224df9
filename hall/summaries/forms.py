from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import COMMENT_MAX, DUE_DAY_MAX, UnitKind


class SettingsForm(forms.Form):
    unit_kind = forms.ChoiceField(
        label=_("由谁提交"), choices=UnitKind.choices, widget=forms.RadioSelect
    )
    due_day = forms.IntegerField(
        label=_("提交期限：次月第几个工作日"),
        min_value=1,
        max_value=DUE_DAY_MAX,
        help_text=_("按工作日历计算，节假日和周末不计，调休上班日计入。"),
    )
    sections = forms.CharField(
        label=_("总结模板"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=4000,
        help_text=_("每行一个部分，按顺序排列：先写标题，可再写“|”和填写提示。"),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=COMMENT_MAX * 2,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
