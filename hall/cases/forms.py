"""Forms of the application: the applicant, the item's own fields (configured
in the back office), the online materials, and the clerk's pre-review."""

import uuid
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from hall.catalogue.constants import FieldKind

from . import querynumbers, validators
from .constants import ApplicantKind, Delivery, IdType, SuspensionKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return [single(d, initial) for d in items]


class IdNumberField(forms.CharField):
    """An identity number as typed: read through `validators.normalise_id` before
    any check, so `110105 19491231 002x` or full-width digits are judged (and
    stored) as `11010519491231002X`. Its validators judge the length of the
    normalised number (18), with their own message."""

    def to_python(self, value):
        value = super().to_python(value)
        if len(value) > validators.MAX_TYPED_LENGTH:
            raise forms.ValidationError(_("证件号码过长，请核对后重新输入。"), code="id_too_long")
        return validators.normalise_id(value)

    def widget_attrs(self, widget):
        # The browser must let the groups and their separators be typed.
        return {**super().widget_attrs(widget), "maxlength": str(validators.MAX_TYPED_LENGTH)}


class ApplicantForm(forms.Form):
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("申请人（单位）名称"), max_length=100)
    id_number = IdNumberField(
        label=_("证件号码"),
        help_text=_("个人填写 18 位居民身份证号码；企业填写 18 位统一社会信用代码。"),
    )
    # No max_length: anything that is not a mainland mobile gets the one clear message.
    phone = forms.CharField(
        label=_("手机号码"),
        help_text=_("用于查询办件和接收短信通知。"),
        widget=forms.TextInput(
            attrs={"maxlength": 11, "inputmode": "numeric", "autocomplete": "tel"}
        ),
    )
    address = forms.CharField(label=_("联系地址"), max_length=200, required=False)
    sms_opt_in = forms.BooleanField(
        label=_("受理和审批通过时给我发短信"), required=False, initial=True
    )

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        validators.validate_mobile(phone)
        return phone

    def clean(self):
        data = super().clean()
        kind, number = data.get("applicant_kind"), data.get("id_number")
        if kind and number:
            try:
                if kind == ApplicantKind.PERSON:
                    validators.validate_resident_id(number)
                    data["id_type"] = IdType.RESIDENT_ID
                else:
                    validators.validate_uscc(number)
                    data["id_type"] = IdType.USCC
            except forms.ValidationError as exc:
                self.add_error("id_number", exc)
            data["id_number"] = number
        return data


def item_form_fields(item) -> dict[str, forms.Field]:
    """Django form fields for the item's configured application fields."""
    fields: dict[str, forms.Field] = {}
    for f in item.form_fields.all():
        common = {"label": f.label, "required": f.required, "help_text": f.help_text}
        if f.kind == FieldKind.TEXTAREA:
            field = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 3}), max_length=f.max_length or 2000, **common
            )
        elif f.kind == FieldKind.NUMBER:
            limits = []
            if f.min_value is not None:
                limits.append(MinValueValidator(Decimal(f.min_value)))
            if f.max_value is not None:
                limits.append(MaxValueValidator(Decimal(f.max_value)))
            field = forms.DecimalField(max_digits=14, decimal_places=2, validators=limits, **common)
        elif f.kind == FieldKind.DATE:
            field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif f.kind == FieldKind.CHOICE:
            field = forms.ChoiceField(
                choices=[("", "—")] + [(c, c) for c in f.choice_list], **common
            )
        elif f.kind == FieldKind.ID_NUMBER:
            field = IdNumberField(validators=[validators.validate_resident_id], **common)
        elif f.kind == FieldKind.PHONE:
            field = forms.CharField(
                max_length=11, validators=[validators.validate_mobile], **common
            )
        elif f.kind == FieldKind.BOOLEAN:
            field = forms.BooleanField(**{**common, "required": False})
        else:
            field = forms.CharField(max_length=f.max_length or 200, **common)
        fields[f"f_{f.key}"] = field
    return fields


def form_values(cleaned: dict, item) -> dict:
    """The item fields' cleaned values as JSON-friendly data, keyed by field key."""
    out = {}
    for f in item.form_fields.all():
        value = cleaned.get(f"f_{f.key}")
        if value is None or value == "":
            continue
        out[f.key] = str(value) if not isinstance(value, bool) else value
    return out


class UploadErrorsMixin:
    """A form with one file field per material, named `upload_prefix` + material id."""

    upload_prefix = "m_"

    def add_upload_errors(self, errors: dict[int, list[str]]) -> None:
        """The refusals of the upload checks (services.UploadError.errors), each on
        its material's field; those of the whole application (key 0) on the form."""
        for material_id, messages in errors.items():
            field = f"{self.upload_prefix}{material_id}" if material_id else None
            for message in messages:
                self.add_error(field, message)


class ApplyForm(UploadErrorsMixin, ApplicantForm):
    """An online application, from the apply page and the API alike. The page
    always sends its submission token (a double submit makes one case); for the
    API the token is the optional idempotency key."""

    submission_token = forms.UUIDField(
        widget=forms.HiddenInput, error_messages={"invalid": _("须为 UUID 格式。")}
    )

    def __init__(self, *args, item, token_required: bool = True, staged=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        # Files already sent with this form's token (it came back with errors).
        self.staged = staged or {}
        self.fields["submission_token"].required = token_required
        # The applicant type the item is for comes first (企业 for a company-only item).
        if item.applicant_type == ApplicantKind.COMPANY:
            self.fields["applicant_kind"].initial = ApplicantKind.COMPANY
        else:
            self.fields["applicant_kind"].initial = ApplicantKind.PERSON
        self.fields.update(item_form_fields(item))
        self.online_materials = list(
            item.materials.filter(submission="online").order_by("sort_order", "id")
        )
        for m in self.online_materials:
            self.fields[f"m_{m.pk}"] = MultipleFileField(
                label=m.name,
                required=m.required,
                help_text=_("PDF、JPG、PNG、Word 或 Excel 文件，每个不超过 10 MB，可选多个。"),
            )
            self.fields[f"m_{m.pk}"].error_messages["required"] = _(
                "请上传此项必要材料：%(name)s"
            ) % {"name": m.name}
            if self.staged.get(m.pk):
                self.fields[f"m_{m.pk}"].required = False

    def files_by_material(self) -> dict[int, list]:
        """The files chosen now, or else the ones kept from the first try."""
        from django.core.files import File

        files = {}
        for m in self.online_materials:
            chosen = self.cleaned_data.get(f"m_{m.pk}")
            if chosen:
                files[m.pk] = chosen
            elif self.staged.get(m.pk):
                files[m.pk] = [
                    File(s.file.open("rb"), name=s.original_name) for s in self.staged[m.pk]
                ]
        return files

    def chosen_uploads(self) -> dict[int, list]:
        """What the applicant chose in this request, valid form or not (to keep it)."""
        return {
            m.pk: self.files.getlist(f"m_{m.pk}")
            for m in self.online_materials
            if self.files and self.files.getlist(f"m_{m.pk}")
        }

    @staticmethod
    def token_of(data):
        """The one-time token a form sent, or None when it is not a UUID."""
        try:
            return uuid.UUID(str(data.get("submission_token") or "")[:40])
        except ValueError:
            return None

    def keep(self, staged: dict[int, list]) -> None:
        """Show these kept files with their materials; a kept material is not missing."""
        self.staged = staged
        for material_id in staged:
            self.fields[f"m_{material_id}"].required = False

    def submission(self) -> dict:
        """The arguments of services.case_submit for this valid form."""
        from .services import Applicant

        data = self.cleaned_data
        return {
            "item": self.item,
            "applicant": Applicant.from_cleaned(data),
            "form_data": form_values(data, self.item),
            "files": self.files_by_material(),
            "submission_token": data.get("submission_token"),
        }

    def item_fields(self):
        return [self[name] for name in self.fields if name.startswith("f_")]

    def material_fields(self):
        return [(m, self[f"m_{m.pk}"]) for m in self.online_materials]

    def material_rows(self):
        """(material, field, files kept for it) for the page."""
        return [(m, self[f"m_{m.pk}"], self.staged.get(m.pk, [])) for m in self.online_materials]

    def applicant_fields(self):
        return [self[name] for name in ApplicantForm.base_fields]


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_("查询号"), max_length=40, help_text=_("例如 7K3M-Q9TX-2HBD-F8，不区分大小写。")
    )
    phone = forms.CharField(label=_("手机号码或其后四位"), max_length=20)

    def clean_number(self):
        number = querynumbers.normalise(self.cleaned_data.get("number"))
        if not querynumbers.is_valid(number):
            raise forms.ValidationError(
                _("查询号有误：请核对是否漏写、多写或写错了字符（共 14 位，可不输入横线）。")
            )
        return number


class ResubmitForm(UploadErrorsMixin, forms.Form):
    remarks = forms.CharField(
        label=_("申请备注"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("说明您补正了什么，或需要向审批人员说明的情况。"),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.online_materials = list(
            case.item.materials.filter(submission="online").order_by("sort_order", "id")
        )
        for m in self.online_materials:
            self.fields[f"m_{m.pk}"] = MultipleFileField(label=m.name, required=False)
        current = case.files.filter(replaced_in_round__isnull=True).order_by("material_name", "id")
        self.fields["replace"] = forms.TypedMultipleChoiceField(
            label=_("要替换（作废）的文件"),
            required=False,
            coerce=int,
            choices=[(f.pk, f"{f.material_name}：{f.original_name}") for f in current],
            widget=forms.CheckboxSelectMultiple,
        )

    def files_by_material(self) -> dict[int, list]:
        return {
            m.pk: self.cleaned_data[f"m_{m.pk}"]
            for m in self.online_materials
            if self.cleaned_data.get(f"m_{m.pk}")
        }

    def material_fields(self):
        return [(m, self[f"m_{m.pk}"]) for m in self.online_materials]

    def material_rows(self):
        """(material, field, files kept for it) for the page."""
        return [(m, self[f"m_{m.pk}"], self.staged.get(m.pk, [])) for m in self.online_materials]

    def clean(self):
        data = super().clean()
        if not data.get("remarks") and not any(
            data.get(f"m_{m.pk}") for m in self.online_materials
        ):
            raise forms.ValidationError(_("请上传补正的材料或填写申请备注后再提交。"))
        return data


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("审批人员回复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    """A decision that cannot be taken back: stated, then confirmed by a tick."""

    confirm = forms.BooleanField(
        label=_("我已核对材料，确认作出此决定（决定作出后不可撤销）"),
        error_messages={"required": _("请勾选确认后再作出决定。")},
    )


class ApproveForm(DecisionForm):
    opinion = forms.CharField(
        label=_("审批意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写审批意见（不超过 2000 字）。")},
    )
    field_order = ["opinion", "confirm"]


class DecisionReasonForm(DecisionForm):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["reason", "confirm"]


class CorrectionForm(forms.Form):
    """一次性告知: tick every material or field that needs correcting, with a note each."""

    text = forms.CharField(
        label=_("补正说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects = []
        for m in case.item.materials.order_by("sort_order", "id"):
            self.subjects.append((f"mat_{m.pk}", m, m.name))
        for f in case.item.form_fields.all():
            self.subjects.append((f"fld_{f.key}", None, f.label))
        self.subjects.append(("fld_applicant", None, str(_("申请人信息"))))
        for key, _m, label in self.subjects:
            self.fields[f"{key}_on"] = forms.BooleanField(label=label, required=False)
            self.fields[f"{key}_note"] = forms.CharField(
                label=_("%(name)s：补正要求") % {"name": label}, required=False, max_length=500
            )

    def rows(self):
        return [(self[f"{key}_on"], self[f"{key}_note"]) for key, _m, _label in self.subjects]

    def clean(self):
        data = super().clean()
        points = []
        for key, material, label in self.subjects:
            if data.get(f"{key}_on"):
                note = (data.get(f"{key}_note") or "").strip()
                if not note:
                    self.add_error(f"{key}_note", _("请写明此项需要如何补正。"))
                points.append((material, label, note))
        if not points and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请勾选需要补正的材料或字段，并写明要求。"))
        data["points"] = points
        return data


class SuspendForm(forms.Form):
    kind = forms.ChoiceField(label=_("特别程序"), choices=SuspensionKind.choices)
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_days = forms.IntegerField(label=_("预计工作日"), min_value=1, max_value=365)


class CompleteForm(forms.Form):
    certificate_number = forms.CharField(label=_("证照（批文）编号"), max_length=60)
    delivery = forms.ChoiceField(label=_("送达方式"), choices=Delivery.choices)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("内部备注"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WalkInForm(UploadErrorsMixin, ApplicantForm):
    """A case at the window: the applicant, the materials checklist, optional scans."""

    upload_prefix = "scan_"

    decision = forms.ChoiceField(
        label=_("受理决定"),
        choices=[("accept", _("受理")), ("refuse", _("不予受理"))],
        widget=forms.RadioSelect,
        initial="accept",
    )
    reason = forms.CharField(
        label=_("不予受理理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.materials = list(item.materials.order_by("sort_order", "id"))
        for m in self.materials:
            self.fields[f"got_{m.pk}"] = forms.BooleanField(
                label=_("已收取：%(name)s") % {"name": m.name}, required=False
            )
            self.fields[f"orig_{m.pk}"] = forms.BooleanField(
                label=_("已核验原件：%(name)s") % {"name": m.name}, required=False
            )
            self.fields[f"scan_{m.pk}"] = MultipleFileField(
                label=_("扫描件：%(name)s") % {"name": m.name}, required=False
            )

    def checklist(self):
        return [
            (m, self[f"got_{m.pk}"], self[f"orig_{m.pk}"], self[f"scan_{m.pk}"])
            for m in self.materials
        ]

    def applicant_fields(self):
        return [self[name] for name in ApplicantForm.base_fields]

    def clean(self):
        data = super().clean()
        missing = [m.name for m in self.materials if m.required and not data.get(f"got_{m.pk}")]
        if data.get("decision") == "accept" and missing:
            raise forms.ValidationError(
                _(
                    "必要材料未收齐，不能受理：%(names)s。可选择“不予受理”并写明理由，或一次性告知申请人补齐。"
                )
                % {"names": "、".join(missing)}
            )
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("不予受理须写明理由。"))
        data["received"] = [m for m in self.materials if data.get(f"got_{m.pk}")]
        data["originals"] = [m for m in self.materials if data.get(f"orig_{m.pk}")]
        data["scans"] = {
            m.pk: data[f"scan_{m.pk}"] for m in self.materials if data.get(f"scan_{m.pk}")
        }
        return data
