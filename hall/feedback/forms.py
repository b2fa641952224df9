from django import forms
from django.utils.translation import gettext_lazy as _

from hall.cases.validators import validate_mobile
from hall.catalogue.models import ServiceItem
from hall.core.forms import IdField, SearchField
from hall.org.models import Department, Staff, Window

from .constants import (
    ANSWER_MAX,
    DESCRIPTION_MAX,
    FINDINGS_MAX,
    NAME_MAX,
    REASON_MAX,
    Category,
    ComplaintStatus,
    NotAcceptedReason,
    TargetKind,
)
from .models import staff_label


def plain(value: str) -> str:
    """Drop control characters (NUL and the like) and surrounding spaces."""
    text = "".join(ch for ch in (value or "") if ch.isprintable() or ch in "\n\t")
    return text.replace("\r", "").strip()


class TextField(forms.CharField):
    def to_python(self, value):
        return plain(super().to_python(value))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(FilesField, self).clean(d, initial) for d in items]


class FileForm(forms.Form):
    """A complaint: the object (within the chosen center and department), the
    category, the text, the files, the case it concerns, the contact."""

    department = IdField(label=_("被投诉部门"))
    kind = forms.ChoiceField(
        label=_("投诉对象"), choices=TargetKind.choices, widget=forms.RadioSelect
    )
    item = IdField(label=_("事项"), required=False)
    window = IdField(label=_("窗口"), required=False)
    staff = IdField(label=_("工作人员"), required=False)
    category = forms.ChoiceField(label=_("投诉类别"), choices=Category.choices)
    description = TextField(
        label=_("投诉内容"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明时间、地点和经过，不超过 2000 字。"),
    )
    files = FilesField(
        label=_("附件（可不传）"),
        required=False,
        help_text=_("照片（JPEG、PNG）或 PDF，最多 5 个，每个不超过 10 MB。"),
    )
    case_number = forms.CharField(
        label=_("相关办件查询号（可不填）"),
        max_length=40,
        required=False,
        help_text=_("投诉涉及某件办件的，请填写查询号和申请时填写的手机号码。"),
    )
    case_phone = forms.CharField(label=_("办件手机号码"), max_length=20, required=False)
    anonymous = forms.BooleanField(
        label=_("匿名投诉（不留姓名和电话，将无法收到答复）"), required=False
    )
    name = TextField(label=_("姓名（可不填）"), max_length=NAME_MAX, required=False)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=20,
        required=False,
        help_text=_("11 位手机号码。受理和答复时以短信通知，凭投诉编号和手机号查看进展。不公开。"),
    )

    def __init__(self, *args, center, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.center = center
        self.department_obj = department
        self.items = {}
        self.windows = {}
        self.staff_members = {}
        if department is not None:
            self.items = {
                i.pk: i
                for i in ServiceItem.objects.published()
                .filter(department=department)
                .order_by("code")[:300]
            }
            self.windows = {
                w.pk: w
                for w in Window.objects.filter(department=department, is_active=True).order_by(
                    "number"
                )
            }
            self.staff_members = {
                s.pk: s
                for s in Staff.objects.filter(department=department, user__is_active=True)
                .select_related("user", "window")
                .order_by("window__number", "user__full_name")
            }

    @property
    def item_choices(self):
        return [(k, v.name) for k, v in self.items.items()]

    @property
    def window_choices(self):
        return [(k, f"{v.number} {v.name}") for k, v in self.windows.items()]

    @property
    def staff_choices(self):
        return [(k, staff_label(v)) for k, v in self.staff_members.items()]

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if value:
            validate_mobile(value)
        return value

    def clean(self):
        data = super().clean()
        department = None
        if data.get("department"):
            department = Department.objects.filter(pk=data["department"]).first()
            if department is None or department.center_id != self.center.pk:
                self.add_error("department", _("所选部门不属于该中心，请重新选择。"))
                return data
        data["department_obj"] = department
        kind = data.get("kind")
        pick = {
            TargetKind.ITEM: ("item", self.items, _("请选择该部门的事项。")),
            TargetKind.WINDOW: ("window", self.windows, _("请选择该部门的窗口。")),
            TargetKind.STAFF: ("staff", self.staff_members, _("请选择该部门的工作人员。")),
        }
        if kind in pick and department is not None:
            field, options, message = pick[kind]
            chosen = options.get(data.get(field)) if department == self.department_obj else None
            if chosen is None:
                self.add_error(field, message)
            data[f"{field}_obj"] = chosen
        if not data.get("anonymous") and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("请填写联系电话，或选择匿名投诉。"))
        if bool(data.get("case_number")) != bool(data.get("case_phone")):
            self.add_error("case_phone", _("请同时填写办件查询号和办件手机号码，或都不填。"))
        return data


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("投诉编号"),
        max_length=40,
        help_text=_("提交投诉后得到的编号，例如 7K3M-Q9TX-2HBD-F8。"),
    )
    phone = forms.CharField(
        label=_("手机号码"), max_length=20, help_text=_("投诉时填写的 11 位手机号码。")
    )


class ReopenForm(forms.Form):
    reason = TextField(
        label=_("不满意的理由"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class PublicListForm(forms.Form):
    q = SearchField(label=_("搜索"), required=False, max_length=50)
    page = IdField(required=False)


# ---- staff ------------------------------------------------------------------------


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *ComplaintStatus.choices]
    )
    category = forms.ChoiceField(
        label=_("投诉类别"), required=False, choices=[("", _("全部类别")), *Category.choices]
    )
    department = IdField(label=_("部门"), required=False)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)
    escalated = forms.BooleanField(label=_("只看报本中心督办的"), required=False)
    q = SearchField(label=_("搜索"), required=False, max_length=50)
    page = IdField(required=False)


class NotAcceptForm(forms.Form):
    reason = forms.ChoiceField(label=_("不予受理理由"), choices=NotAcceptedReason.choices)
    note = TextField(
        label=_("说明（可不填）"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    findings = TextField(
        label=_("调查结论"),
        max_length=FINDINGS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("中心内部记录；通报部门时部门可见，投诉人不可见。"),
    )
    answer = TextField(
        label=_("答复投诉人"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("投诉人凭编号和手机号可见，答复后以短信通知。"),
    )


class PublishForm(forms.Form):
    published_text = TextField(
        label=_("公开的投诉内容"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    published_answer = TextField(
        label=_("公开的答复"), max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


class EmptyForm(forms.Form):
    pass


class SettingsForm(forms.Form):
    answer_days = forms.IntegerField(
        label=_("投诉答复时限（工作日）"),
        min_value=1,
        max_value=60,
        help_text=_("提交后超过该工作日数仍未答复的投诉，标记为超期并报上级中心督办。"),
    )
