from django import forms
from django.utils.translation import gettext_lazy as _

from hall.core.files import safe_display_name, validate_upload
from hall.core.forms import IdField, SearchField

from .constants import (
    GUIDE_FIELDS,
    SEARCH_MAX_QUERY,
    TEMPLATE_MAX_BYTES,
    ApplicantType,
    ResultField,
)
from .models import Material, ServiceItem

TEMPLATE_KINDS = {"pdf", "docx", "xlsx"}
SAMPLE_KINDS = {"pdf", "docx", "xlsx", "png", "jpeg"}


def checked_file(upload, *, allowed: set[str]):
    """Validate an upload by content and give it the extension of what it really is."""
    kind = validate_upload(upload, allowed=allowed, max_bytes=TEMPLATE_MAX_BYTES)
    upload.display_name = safe_display_name(upload.name)
    stem = upload.display_name.rsplit(".", 1)[0]
    upload.display_name = f"{stem}{kind.extension}"
    upload.name = f"upload{kind.extension}"
    return upload


class NewlinesMixin:
    """Browsers send text areas with CRLF; store LF so an unchanged text never
    shows up as a change in a filing's diff."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and "\r" in value:
                data[name] = value.replace("\r\n", "\n").replace("\r", "\n")
        return data


class ServiceItemForm(NewlinesMixin, forms.ModelForm):
    result_fields = forms.MultipleChoiceField(
        label=_("公示字段"),
        required=False,
        choices=ResultField.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("公示结果显示的字段；自然人姓名自动脱敏，身份证号和手机号从不公示。"),
    )

    class Meta:
        model = ServiceItem
        fields = ["code", *GUIDE_FIELDS, "themes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "code" in self.fields:
            self.fields["code"].required = False
            self.fields["code"].help_text = _("留空则按 行政区划-部门-类型-序号 自动编码。")

    def clean_result_sample(self):
        upload = self.cleaned_data.get("result_sample")
        if upload and hasattr(upload, "content_type"):
            return checked_file(upload, allowed=SAMPLE_KINDS)
        return upload

    def clean(self):
        data = super().clean()
        statutory, promised = data.get("statutory_days"), data.get("promised_days")
        if statutory is not None and promised is not None and promised > statutory:
            self.add_error("promised_days", _("承诺时限不能超过法定时限。"))
        if data.get("is_free") is False and not (
            data.get("fee_standard") and data.get("fee_basis")
        ):
            self.add_error("fee_standard", _("收费事项须填写收费标准和收费依据。"))
        if data.get("publish_decisions") and not data.get("result_fields"):
            self.add_error("result_fields", _("公示许可决定时请至少选择一个公示字段。"))
        if data.get("result_fields"):
            # In the fixed order of the choices, whatever order the browser sent.
            chosen = set(data["result_fields"])
            data["result_fields"] = [v for v in ResultField.values if v in chosen]
        if "code" in self.fields and not data.get("code"):
            department, item_type = data.get("department"), data.get("item_type")
            if department is not None and item_type:
                from .services import item_next_code

                data["code"] = item_next_code(department=department, item_type=item_type)
        return data


class MaterialForm(NewlinesMixin, forms.ModelForm):
    class Meta:
        model = Material
        fields = [
            "name",
            "submission",
            "required",
            "original_or_copy",
            "copies",
            "source",
            "notes",
            "template",
            "example",
            "sort_order",
        ]

    def _clean_upload(self, name):
        upload = self.cleaned_data.get(name)
        if upload and hasattr(upload, "content_type"):
            upload = checked_file(upload, allowed=TEMPLATE_KINDS)
            setattr(self.instance, f"{name}_name", upload.display_name)
        return upload

    def clean_template(self):
        return self._clean_upload("template")

    def clean_example(self):
        return self._clean_upload("example")


class SearchForm(forms.Form):
    # Long queries are cut, not refused (search.normalise_query cuts too).
    q = SearchField(label=_("搜索事项"), max_length=SEARCH_MAX_QUERY * 4)
    applicant = forms.ChoiceField(
        label=_("服务对象"), required=False, choices=[("", _("不限"))] + list(ApplicantType.choices)
    )


class CompletenessFilterForm(forms.Form):
    """The department whose items the completeness page lists."""

    department = IdField(label=_("部门"), required=False)


class FilingReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审阅结果"), choices=[("review", _("确认备案")), ("return", _("退回修改"))]
    )
    comment = forms.CharField(
        label=_("审阅意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment"):
            self.add_error("comment", _("退回修改时请写明意见。"))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("事项表格（.xlsx）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        from hall.core.files import validate_upload

        validate_upload(upload, allowed={"xlsx"}, max_bytes=20 * 1024 * 1024)
        return upload


class ArticleForm(NewlinesMixin, forms.ModelForm):
    class Meta:
        from .models import RegulationArticle

        model = RegulationArticle
        fields = ["number", "text", "sort_order"]


class FAQForm(NewlinesMixin, forms.ModelForm):
    class Meta:
        from .models import ItemFAQ

        model = ItemFAQ
        fields = ["question", "answer", "sort_order"]
