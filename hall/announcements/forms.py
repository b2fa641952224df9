import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from hall.core.files import validate_upload
from hall.core.forms import BoundedDateField, DateRangeForm, IdField, SearchField

from .constants import (
    ATTACHMENT_KINDS,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENTS_PER_ANNOUNCEMENT,
    BODY_MAX,
    MAX_HOLD_DAYS,
    TITLE_MAX,
    WITHDRAW_REASON_MAX,
    Category,
)

# Announcements are plain text: a tag typed into them is refused, not stored.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: str, *, label: str) -> str:
    """Refuse markup, undecodable bytes and control characters; normalise newlines."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    if "\ufffd" in value:
        raise ValidationError(
            _("%(label)s包含无法识别的字符（可能不是 UTF-8 编码），请重新输入。"),
            params={"label": label},
        )
    if _CONTROL.search(value):
        raise ValidationError(_("%(label)s包含控制字符，请删除后重试。"), params={"label": label})
    if _MARKUP.search(value):
        raise ValidationError(
            _("%(label)s请使用纯文本，不能包含网页标记（如 <script>）。"), params={"label": label}
        )
    return value.strip()


class PlainTextField(forms.CharField):
    """Text whose control characters (NUL among them) get plain_text's message,
    not Django's generic one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class AnnouncementForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    title = PlainTextField(
        label=_("标题"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("请填写标题。"),
            "max_length": _("标题不能超过 %(limit_value)d 字（现有 %(show_value)d 字）。"),
        },
    )
    body = PlainTextField(
        label=_("正文"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "required": _("请填写正文。"),
            "max_length": _("正文不能超过 %(limit_value)d 字（现有 %(show_value)d 字）。"),
        },
    )
    pinned = forms.BooleanField(label=_("置顶"), required=False)
    publish_at = forms.DateTimeField(
        label=_("发布时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("请填写发布时间。"),
            "invalid": _("请输入有效的时间，格式如 2026-01-31 09:00。"),
        },
    )
    expires_at = forms.DateTimeField(
        label=_("截止时间"),
        required=False,
        help_text=_("留空则长期有效；过了截止时间，公告不再显示。"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("请输入有效的时间，格式如 2026-01-31 09:00。")},
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("PDF、Word、Excel 或图片，每个不超过 10 MB，最多 5 个。"),
    )

    def __init__(self, *args, announcement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.announcement = announcement
        existing = list(announcement.attachments.all()) if announcement is not None else []
        self.existing = existing
        if existing:
            self.fields["remove"] = forms.MultipleChoiceField(
                label=_("删除附件"),
                required=False,
                choices=[(str(a.pk), a.original_name) for a in existing],
                widget=forms.CheckboxSelectMultiple,
            )

    def clean_title(self):
        value = plain_text(self.cleaned_data["title"], label=_("标题"))
        if not value:
            raise ValidationError(_("请填写标题。"))
        return value

    def clean_body(self):
        value = plain_text(self.cleaned_data["body"], label=_("正文"))
        if not value:
            raise ValidationError(_("请填写正文。"))
        return value

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        for upload in uploads:
            upload.checked_kind = validate_upload(
                upload, allowed=ATTACHMENT_KINDS, max_bytes=ATTACHMENT_MAX_BYTES
            )
        return uploads

    def clean(self):
        data = super().clean()
        publish, expires = data.get("publish_at"), data.get("expires_at")
        if publish and expires and expires <= publish:
            self.add_error("expires_at", _("截止时间须晚于发布时间。"))
        removed = len(data.get("remove") or [])
        count = len(self.existing) - removed + len(data.get("attachments") or [])
        if count > ATTACHMENTS_PER_ANNOUNCEMENT:
            self.add_error(
                "attachments",
                _("每条公告最多 %(n)d 个附件。") % {"n": ATTACHMENTS_PER_ANNOUNCEMENT},
            )
        return data

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("category", "title", "body", "pinned", "publish_at", "expires_at")
        }

    def removed_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("remove") or []]


class WithdrawForm(forms.Form):
    reason = PlainTextField(
        label=_("撤回理由"),
        max_length=WITHDRAW_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("理由将在公示页面上显示。"),
        error_messages={
            "required": _("请填写撤回理由。"),
            "max_length": _("撤回理由不能超过 %(limit_value)d 字。"),
        },
    )

    def clean_reason(self):
        value = plain_text(self.cleaned_data["reason"], label=_("撤回理由"))
        if not value:
            raise ValidationError(_("请填写撤回理由。"))
        return value


class HoldForm(forms.Form):
    hold_days = forms.IntegerField(
        label=_("公示前等待（工作日）"),
        min_value=0,
        max_value=MAX_HOLD_DAYS,
        help_text=_("决定后等待几个工作日自动公示；0 表示决定后立即公示。最长 7 个工作日。"),
        error_messages={
            "required": _("请填写等待的工作日数。"),
            "invalid": _("请输入 0 至 7 之间的整数。"),
            "min_value": _("请输入 0 至 7 之间的整数。"),
            "max_value": _("请输入 0 至 7 之间的整数。"),
        },
    )


class AnnouncementFilterForm(forms.Form):
    q = SearchField(label=_("搜索公告"), max_length=200)
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部"))] + list(Category.choices)
    )
    center = IdField(label=_("发布中心"), required=False)


class ResultFilterForm(DateRangeForm):
    field_order = ["q", "item", "department", "date_from", "date_to"]

    q = SearchField(label=_("搜索公示"), max_length=200)
    item = IdField(label=_("事项"), required=False)
    department = IdField(label=_("许可机关"), required=False)
    date_from = BoundedDateField(label=_("决定日期自"))
    date_to = BoundedDateField(label=_("决定日期至"))
