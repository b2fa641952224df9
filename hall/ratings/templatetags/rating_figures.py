"""Formatting of the 好差评 figures."""

from django import template

register = template.Library()


@register.filter
def pct(value):
    """A rate in per cent, or "—" when there was nothing to divide by."""
    return "—" if value is None else f"{value}%"


@register.filter
def ym(month):
    """A month as the query value (2026-11)."""
    return f"{month:%Y-%m}" if month else ""
