"""Notification texts: placeholders, checks, rendering and SMS segment counts.

A template is plain text with placeholders written {name}. Rendering is a
substitution of known names, never str.format: a template cannot reach an
attribute or an index of what it is given.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .constants import PLACEHOLDERS, SMS_SEGMENT, SMS_SEGMENT_SPLIT, TEMPLATE_MAX_CHARS

_TOKEN = re.compile(r"\{([^{}]*)\}")


class TemplateError(ValueError):
    pass


# Links that carry a secret of the recipient (a one-time rating link): staff
# pages show the messages without it, or a clerk reading the outbox could act
# as the applicant. Each pattern's first group is the secret part; the apps
# whose links they are register them.
_SECRET_LINKS: list[re.Pattern] = []


def register_secret_link(pattern: str) -> None:
    compiled = re.compile(pattern)
    if compiled.groups < 1:
        raise ValueError("a secret link pattern needs a group for the secret")
    if compiled.pattern not in {p.pattern for p in _SECRET_LINKS}:
        _SECRET_LINKS.append(compiled)


def for_staff(text: str) -> str:
    """The message as staff may read it: every registered secret cut to ******."""
    for pattern in _SECRET_LINKS:
        text = pattern.sub(
            lambda m: (
                m.group(0)[: m.start(1) - m.start(0)]
                + "******"
                + m.group(0)[m.end(1) - m.start(0) :]
            ),
            text,
        )
    return text


def check(text: str) -> str:
    """The template, stripped, if it is usable; TemplateError saying why not."""
    text = (text or "").strip()
    if not text:
        raise TemplateError(_("请填写模板内容。"))
    if len(text) > TEMPLATE_MAX_CHARS:
        raise TemplateError(
            _("模板不能超过 %(max)d 个字（现有 %(n)d 个）。")
            % {"max": TEMPLATE_MAX_CHARS, "n": len(text)}
        )
    unknown = [name for name in _TOKEN.findall(text) if name not in PLACEHOLDERS]
    if unknown:
        raise TemplateError(
            _("模板中有无法识别的占位符：%(names)s。可用的占位符：%(known)s。")
            % {
                "names": "、".join("{" + n + "}" for n in dict.fromkeys(unknown)),
                "known": "、".join("{" + n + "}" for n in PLACEHOLDERS),
            }
        )
    if "{" in _TOKEN.sub("", text) or "}" in _TOKEN.sub("", text):
        raise TemplateError(_("模板中有不成对的花括号“{”或“}”。占位符的写法是 {item}。"))
    return text


def render(text: str, values: dict[str, str]) -> str:
    return _TOKEN.sub(lambda m: str(values.get(m.group(1), "")), text)


def signature() -> str:
    return settings.NOTIFY_SMS_SIGNATURE


def case_values(case) -> dict[str, str]:
    due = case.promised_due
    return {
        "item": case.item.name,
        "number": case.display_number,
        "name": case.applicant_name,
        "deadline": f"{due.year}年{due.month}月{due.day}日" if due else "—",
        "phone": case.item.contact_phone or case.center.phone or settings.HALL_PHONE,
        "signature": signature(),
    }


def sample_values() -> dict[str, str]:
    """What the preview shows in place of the placeholders."""
    return {
        "item": _("食品经营许可"),
        "number": "7K3M-Q9RT-X2HD-5W",
        "name": _("张三"),
        "deadline": "2026年3月10日",
        "phone": settings.HALL_PHONE,
        "signature": signature(),
        "link": "https://hall.example.gov.cn/rate/AbC123",
    }


@dataclass(frozen=True)
class Length:
    chars: int
    segments: int


def sms_length(text: str) -> Length:
    """Characters as the network counts them (UTF-16 units: an emoji is two) and
    the number of SMS the text takes: 70 in one, 67 a part when split."""
    units = len(text.encode("utf-16-le")) // 2
    if units == 0:
        return Length(0, 0)
    if units <= SMS_SEGMENT:
        return Length(units, 1)
    return Length(units, -(-units // SMS_SEGMENT_SPLIT))
