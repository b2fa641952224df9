"""Plain text as staff type it (notes, messages, notices): refused with the
reason for markup, undecodable bytes, control characters or length, never
stored half-clean. Each app raises its own error with the message."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value, label: str, *, max_length: int, required: bool = True) -> str:
    """The text with its line ends made one kind and its ends stripped; a
    ValidationError with a Chinese message naming `label` when it is refused."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        if required:
            raise ValidationError(_("请填写%(label)s。") % {"label": label})
        return ""
    if "\ufffd" in text:
        raise ValidationError(
            _("%(label)s包含无法识别的字符（可能不是 UTF-8 编码），请重新输入。") % {"label": label}
        )
    if _CONTROL.search(text):
        raise ValidationError(_("%(label)s包含控制字符，请删除后重试。") % {"label": label})
    if _MARKUP.search(text):
        raise ValidationError(
            _("%(label)s请使用纯文本，不能包含网页标记（如 <script>）。") % {"label": label}
        )
    if len(text) > max_length:
        raise ValidationError(
            _("%(label)s不能超过 %(max)d 个字（现有 %(n)d 个）。")
            % {"label": label, "max": max_length, "n": len(text)}
        )
    return text
