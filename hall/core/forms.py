import re
from datetime import date

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import audit_events

# Every id of the hall is a 64-bit signed integer (BigAutoField): a larger
# number, a sign, a space or a digit of another script is no id. Both
# databases fail on a number past the column's range (SQLite before the query
# runs), so it is refused here, with a message, before any lookup.
MAX_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")

# The dates a filter of the hall accepts: the hall's own years. Outside them a
# date converted to UTC (or one day added) leaves Python's range.
FIRST_YEAR, LAST_YEAR = 2000, 2099

# Control characters in a search: PostgreSQL refuses NUL in any text, and the
# others match nothing anyone typed.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_id(raw) -> int | None:
    """The id written in `raw` (ASCII digits, 1 to 2**63-1), or None."""
    text = str(raw if raw is not None else "").strip()
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def clean_search(raw, max_length: int) -> str:
    """A search as typed, made safe to query: control characters (NUL among
    them) become spaces, the ends are stripped, and it is cut to `max_length`."""
    text = _CONTROL.sub(" ", str(raw or ""))
    return text.strip()[:max_length].strip()


class IdField(forms.Field):
    """The id of a row picked in a filter (a department, a center…): ASCII
    digits only, from 1 to 2**63-1, else one clear message."""

    default_error_messages = {"invalid": _("编号无效，请从列表中选择。")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = parse_id(value)
        if found is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return found


class SearchField(forms.CharField):
    """A search box: never refused for what it holds; control characters are
    dropped and an over-long search is cut (the cut part would match nothing)."""

    def __init__(self, *, max_length: int = 100, **kwargs):
        kwargs.setdefault("required", False)
        self.search_length = max_length  # read by widget_attrs, while the field is made
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_search(value, self.search_length)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.search_length)}


class BoundedDateField(forms.DateField):
    """A date of a filter, within the hall's years (FIRST_YEAR to LAST_YEAR)."""

    default_error_messages = {
        "invalid": _("请输入有效的日期，格式如 2026-01-31。"),
        "out_of_range": _("日期应在 %(first)d 年至 %(last)d 年之间。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if isinstance(value, date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )


class DateRangeForm(forms.Form):
    """Filters of a log: two optional dates, the first not after the second.
    Subclasses list their own fields first (field_order)."""

    date_from = BoundedDateField(label=_("起始日期"))
    date_to = BoundedDateField(label=_("截止日期"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("起始日期不能晚于截止日期。"))
        return data


class AuditFilterForm(DateRangeForm):
    field_order = ["actor", "action", "content_type", "date_from", "date_to"]

    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    # The registered events, by label (read when the form is made: every app has
    # filled the registry by then).
    action = forms.ChoiceField(
        label=_("动作"), required=False, choices=lambda: [("", _("全部"))] + audit_events.choices()
    )
    content_type = forms.ModelChoiceField(
        label=_("对象类型"),
        required=False,
        empty_label=_("全部"),
        queryset=ContentType.objects.none(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The types of object that registered events point at.
        types = Q()
        for event in audit_events.events():
            if "." in event.object_type:
                app_label, model = event.object_type.split(".", 1)
                types |= Q(app_label=app_label, model=model)
        self.fields["content_type"].queryset = ContentType.objects.filter(types).order_by("model")
        self.fields["content_type"].label_from_instance = lambda ct: str(
            ct.model_class()._meta.verbose_name if ct.model_class() else ct.model
        )
