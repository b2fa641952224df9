from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from hall.catalogue.models import ServiceItem
from hall.core.forms import BoundedDateField, IdField, SearchField
from hall.core.validators import normalise_id

from .constants import AgencyCategory
from .models import Agency, Certificate

# Text fields of the agency: their longest allowed lengths come from the model;
# text areas are held to the same 2,000 characters as an import cell.
_TEXT_LIMIT = 2000


def _no_control(value: str) -> str:
    """Refuse text that holds control characters (NUL among them) other than line ends."""
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise ValidationError(_("内容中含有无法保存的控制字符，请删除后重试。"))
    return value


class AgencyForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("服务类别"),
        choices=AgencyCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个服务类别。")},
    )

    class Meta:
        model = Agency
        fields = [
            "center",
            "name",
            "uscc",
            "categories",
            "scope",
            "items",
            "contact_person",
            "phone",
            "address",
            "fee_basis",
            "is_active",
        ]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 3, "maxlength": _TEXT_LIMIT}),
            "fee_basis": forms.Textarea(attrs={"rows": 2, "maxlength": _TEXT_LIMIT}),
            "items": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "uscc": _("18 位，含校验码；可输入全角或小写，保存时自动规范。"),
            "items": _("办事指南中列出本机构的事项，只能选择所属中心的事项；按住 Ctrl 可多选。"),
        }

    def __init__(self, *args, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers
        self.fields["center"].empty_label = None
        self.fields["items"].queryset = (
            ServiceItem.objects.published()
            .filter(center__in=centers)
            .select_related("center")
            .order_by("center__sort_order", "department__sort_order", "code")
        )
        self.fields["items"].label_from_instance = lambda i: f"{i.name}（{i.center.short_name}）"
        self.fields["items"].required = False
        if self.instance.pk:
            self.initial.setdefault("categories", self.instance.category_codes)

    def _text(self, name):
        value = self.cleaned_data.get(name) or ""
        _no_control(value)
        if not value.strip() and self.fields[name].required:
            raise ValidationError(_("请填写“%(name)s”。") % {"name": self.fields[name].label})
        return value.strip()

    def clean_name(self):
        return self._text("name")

    def clean_scope(self):
        return self._text("scope")

    def clean_fee_basis(self):
        return self._text("fee_basis")

    def clean_contact_person(self):
        return self._text("contact_person")

    def clean_address(self):
        return self._text("address")

    def clean_phone(self):
        return self._text("phone")

    def clean_uscc(self):
        return normalise_id(self.cleaned_data.get("uscc", ""))

    def clean(self):
        data = super().clean()
        center = data.get("center")
        if center is not None:
            other = [i for i in data.get("items") or [] if i.center_id != center.pk]
            if other:
                self.add_error("items", _("关联事项只能选择所属中心的事项。"))
            uscc = data.get("uscc")
            if uscc and (
                Agency.objects.filter(center=center, uscc=uscc)
                .exclude(pk=self.instance.pk)
                .exists()
            ):
                self.add_error("uscc", _("本中心已登记统一社会信用代码相同的中介机构。"))
        return data

    def validate_unique(self):
        pass  # checked in clean() with a clear message


class CertificateForm(forms.ModelForm):
    valid_from = BoundedDateField(label=_("有效期起"))
    valid_until = BoundedDateField(label=_("有效期至"))

    class Meta:
        model = Certificate
        fields = ["category", "number", "level", "issuer", "valid_from", "valid_until"]

    def clean(self):
        data = super().clean()
        for name in ("number", "level", "issuer"):
            value = data.get(name)
            if isinstance(value, str):
                _no_control(value)
                data[name] = value.strip()
        if self.has_changed() and not data.get("number") and not data.get("DELETE"):
            self.add_error("number", _("请填写证书编号。"))
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and start > end:
            self.add_error("valid_until", _("有效期至不能早于有效期起。"))
        return data


CertificateFormSet = inlineformset_factory(
    Agency,
    Certificate,
    form=CertificateForm,
    extra=2,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


class StaffFilterForm(forms.Form):
    q = SearchField(label=_("名称或信用代码"), max_length=50)
    category = forms.ChoiceField(
        label=_("服务类别"), required=False, choices=[("", _("全部"))] + AgencyCategory.choices
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", _("全部")),
            ("active", _("启用")),
            ("inactive", _("已停用")),
            ("expired", _("资质过期")),
        ],
    )
    center = IdField(label=_("所属中心"), required=False)


class PublicFilterForm(forms.Form):
    q = SearchField(label=_("机构名称、类别或服务范围"), max_length=50)
    category = forms.ChoiceField(
        label=_("服务类别"), required=False, choices=[("", _("全部类别"))] + AgencyCategory.choices
    )
    item = IdField(label=_("事项"), required=False)
    expired = forms.BooleanField(label=_("包括资质过期的机构"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("中介机构表格（.xlsx）"))

    def clean_file(self):
        from hall.core.files import validate_upload

        upload = self.cleaned_data["file"]
        validate_upload(upload, allowed={"xlsx"}, max_bytes=20 * 1024 * 1024)
        return upload
