from django import template
from django.utils.translation import gettext as _

from ..constants import ApplicantType, ItemType, OriginalOrCopy, Submission
from ..services import diff_row_label

register = template.Library()

_LABELS = {}
for choices in (ItemType, ApplicantType, Submission, OriginalOrCopy):
    _LABELS.update(dict(choices.choices))


@register.filter
def diff_value(value):
    """A value of a diff row as people read it."""
    if value is None or value == "":
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    if isinstance(value, list):
        return "；".join(str(diff_value(v)) for v in value) or "—"
    if isinstance(value, dict):
        return "，".join(f"{k}={diff_value(v)}" for k, v in value.items())
    if isinstance(value, str) and value in _LABELS:
        return str(_LABELS[value])
    return value


@register.filter
def diff_label(row):
    """The label of a diff row in the page's language."""
    return diff_row_label(row)
