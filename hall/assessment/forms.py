from django import forms
from django.utils.translation import gettext_lazy as _

from . import formulas


class SchemeForm(forms.Form):
    year = forms.CharField(label=_("考核年度"), max_length=10)


class IndicatorForm(forms.Form):
    """Only the shape of the fields; the service checks the values and says why."""

    name = forms.CharField(label=_("指标名称"), required=False)
    formula = forms.ChoiceField(label=_("计算公式"), required=False)
    weight = forms.CharField(label=_("权重（分）"), required=False, max_length=50)
    target = forms.CharField(label=_("目标值"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["formula"].choices = [("", "—"), *formulas.choices()]
        self.fields["formula"].error_messages["invalid_choice"] = _("请选择系统提供的计算公式。")


class ExternalForm(forms.Form):
    value = forms.CharField(label=_("其他考核得分（0—100）"), required=False, max_length=50)


class AdjustmentForm(forms.Form):
    points = forms.CharField(label=_("调整分值（可为负数）"), required=False, max_length=50)
    reason = forms.CharField(
        label=_("调整理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("其他考核得分表格（.xlsx）"))

    def clean_file(self):
        from hall.core.files import validate_upload

        upload = self.cleaned_data["file"]
        validate_upload(upload, allowed={"xlsx"}, max_bytes=5 * 1024 * 1024)
        return upload
