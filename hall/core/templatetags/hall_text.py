"""Small pieces of text that differ by language beyond the words."""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def colon() -> str:
    """The colon after a label: full width in Chinese, ": " in English."""
    return "：" if (get_language() or "zh").startswith("zh") else ": "


@register.filter
def zh(value):
    """A name kept in Chinese (an item, a department, a center, an applicant),
    marked as Chinese on pages in another language so screen readers say it right."""
    if value in (None, "") or (get_language() or "zh").startswith("zh"):
        return value
    return format_html('<span lang="zh-CN">{}</span>', value)
