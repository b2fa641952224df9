from django import forms
from django.utils.translation import gettext_lazy as _

from . import statutory


class ScheduleForm(forms.Form):
    year = forms.IntegerField(
        label=_("年份"), min_value=statutory.FIRST_YEAR, max_value=statutory.LAST_YEAR
    )
    text = forms.CharField(
        label=_("通知中的放假安排"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "粘贴国务院办公厅通知的正文，例如：一、元旦：1月1日（周五）放假，与周末连休。"
            "二、春节：2月16日至22日放假调休，共7天。2月14日（周日）、2月28日（周日）上班。"
        ),
    )
    file = forms.FileField(
        label=_("或上传表格（.xlsx）"),
        required=False,
        help_text=_("每行一天：日期、类型（放假或上班）、名称；第一行可为表头。"),
    )
    note = forms.CharField(
        label=_("文号（可选）"),
        required=False,
        max_length=200,
        help_text=_("例如：国办发明电〔2026〕7号。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("text", "").strip() and data.get("file"):
            raise forms.ValidationError(_("请只选一种方式：粘贴通知或上传表格。"))
        return data
