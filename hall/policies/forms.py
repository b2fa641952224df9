from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hall.catalogue.forms import TEMPLATE_KINDS, NewlinesMixin, checked_file
from hall.catalogue.models import Regulation, ServiceItem
from hall.core.forms import FIRST_YEAR, LAST_YEAR, IdField, SearchField
from hall.org.selectors import departments_visible_to

from .constants import BODY_MAX, PolicyKind, PolicyStatus
from .models import PolicyDocument, normalise_doc_number


def _blank(value: str) -> bool:
    return not (value or "").strip()


class PolicyForm(NewlinesMixin, forms.ModelForm):
    """The staff form of a document. Choices are limited to what the user manages:
    their department(s), their center's documents, items and regulations."""

    class Meta:
        model = PolicyDocument
        fields = [
            "department",
            "title",
            "doc_number",
            "issuer",
            "kind",
            "issued_on",
            "effective_on",
            "status",
            "replaced_by",
            "explains",
            "body",
            "related_items",
            "related_regulations",
        ]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 14, "maxlength": BODY_MAX}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = (
            departments_visible_to(user)
            .filter(is_active=True)
            .order_by("center__sort_order", "sort_order")
        )
        self.fields["department"].queryset = departments
        self.fields["department"].empty_label = None
        center_ids = set(departments.values_list("center_id", flat=True))
        if self.instance.pk:
            center_ids = {self.instance.center_id}
        others = PolicyDocument.objects.filter(center_id__in=center_ids).order_by("-issued_on")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["replaced_by"].queryset = others
        self.fields["explains"].queryset = others.exclude(kind=PolicyKind.INTERPRETATION)
        for name in ("replaced_by", "explains"):
            self.fields[name].label_from_instance = lambda d: (
                f"{d.title}（{d.doc_number}）" if d.doc_number else d.title
            )
        self.fields["related_items"].queryset = ServiceItem.objects.filter(
            center_id__in=center_ids
        ).order_by("department__sort_order", "code")
        self.fields["related_items"].label_from_instance = lambda i: f"{i.name}（{i.code}）"
        self.fields["related_regulations"].queryset = Regulation.objects.order_by("level", "title")
        for name in ("related_items", "related_regulations"):
            self.fields[name].widget.attrs["size"] = 8
        self.fields["title"].widget.attrs["maxlength"] = 200

    def clean_title(self):
        value = self.cleaned_data["title"].strip()
        if not value:
            raise ValidationError(_("请填写标题。"))
        return value

    def clean_issuer(self):
        value = self.cleaned_data["issuer"].strip()
        if not value:
            raise ValidationError(_("请填写发文机关。"))
        return value

    def clean_body(self):
        value = self.cleaned_data["body"]
        if _blank(value):
            raise ValidationError(_("请填写正文。"))
        return value.strip()

    def clean_doc_number(self):
        return normalise_doc_number(self.cleaned_data.get("doc_number", ""))

    def _check_year(self, name):
        value = self.cleaned_data.get(name)
        if value and not FIRST_YEAR - 100 <= value.year <= LAST_YEAR:
            raise ValidationError(
                _("日期应在 %(first)d 年至 %(last)d 年之间。"),
                params={"first": FIRST_YEAR - 100, "last": LAST_YEAR},
            )
        return value

    def clean_issued_on(self):
        return self._check_year("issued_on")

    def clean_effective_on(self):
        return self._check_year("effective_on")

    def _post_clean(self):
        # The center follows the department, before the model's rules (same center) run.
        department = self.cleaned_data.get("department")
        if department is not None:
            self.instance.center_id = department.center_id
        super()._post_clean()
        items = self.cleaned_data.get("related_items")
        if (
            department is not None
            and items is not None
            and any(i.center_id != department.center_id for i in items)
        ):
            self.add_error("related_items", _("相关事项须是本中心的事项。"))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("附件文件"), help_text=_("PDF、Word（.docx）或 Excel（.xlsx），单个不超过 10 MB。")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Exactly the checks of item templates (catalogue.forms.checked_file):
        # validate_upload by content; the stored name gets the real kind's extension.
        upload = checked_file(upload, allowed=TEMPLATE_KINDS)
        upload.kind_code = upload.name.rsplit(".", 1)[-1]
        return upload


def _year_choices():
    from datetime import date

    this = date.today().year
    return [("", _("全部年份"))] + [(str(y), str(y)) for y in range(this, 1999, -1)]


class PublicFilterForm(forms.Form):
    """The column's filters; a bad value is ignored (the list is shown unfiltered)."""

    q = SearchField(label=_("关键字"), max_length=50)
    department = IdField(label=_("发布部门"), required=False)
    kind = forms.ChoiceField(
        label=_("文件类别"), required=False, choices=[("", _("全部"))] + PolicyKind.choices
    )
    year = forms.TypedChoiceField(
        label=_("年份"), required=False, coerce=int, empty_value=None, choices=_year_choices
    )
    status = forms.ChoiceField(
        label=_("效力状态"), required=False, choices=[("", _("全部"))] + PolicyStatus.choices
    )

    def value(self, name):
        """The field's clean value; None when empty or invalid (ignored)."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) or None


class StaffFilterForm(PublicFilterForm):
    published = forms.ChoiceField(
        label=_("发布状态"),
        required=False,
        choices=[("", _("全部")), ("yes", _("已发布")), ("no", _("未发布"))],
    )
