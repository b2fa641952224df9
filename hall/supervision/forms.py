from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .constants import FIRST_YEAR, LAST_YEAR, MAX_PERIOD_MONTHS
from .selectors import Period, add_months

DATE_ERRORS = {"invalid": _("请输入有效的日期，格式如 2026-01-31。")}


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PeriodForm(forms.Form):
    """The statistics period. Both dates may be left empty: the period then
    ends today and covers the last four months."""

    date_from = _date_field(_("起始日期"))
    date_to = _date_field(_("截止日期"))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # The typed dates are judged before the default start is counted back
        # from the end: four months before 0001-01-01 is no date.
        typed = (data.get("date_from"), data.get("date_to"))
        end = data.get("date_to") or self.today
        if all(day is None or FIRST_YEAR <= day.year <= LAST_YEAR for day in (*typed, end)):
            start = data.get("date_from") or Period.last_months(end).start
        else:
            start = None
        if start is None or not FIRST_YEAR <= start.year <= LAST_YEAR:
            raise ValidationError(
                _("日期应在 %(first)d 年至 %(last)d 年之间。"),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        if start > end:
            raise ValidationError(_("起始日期不能晚于截止日期。"))
        if end >= add_months(start, MAX_PERIOD_MONTHS):
            raise ValidationError(_("统计期间最长三年，请缩短日期范围。"))
        data["period"] = Period(start, end)
        return data
