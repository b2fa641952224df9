"""The usage measure `summaries_on_time`: per unit and per month, the summaries
due that month (total) and those first submitted by their due day (done)."""

from datetime import date

from django.utils import timezone

from hall.core.measures import Row
from hall.org.models import Center
from hall.workdays.services import current_calendar

from . import due, selectors
from .constants import UnitKind
from .models import Summary


def summaries_on_time(*, start: date, end: date):
    """A summary of month M is due in the month after M: the months whose due
    day falls in [start, end) are counted, from each center's first month."""
    calendar = current_calendar()
    today = timezone.localdate()
    for center in Center.objects.order_by("pk"):
        rules = selectors.rules_for(center, today)
        months = [
            m
            for m in due.months_between(
                due.add_months(due.month_start(start), -1), due.month_start(end)
            )
            if m >= rules.first_month and start <= due.due_on(calendar, m, rules.due_day) < end
        ]
        if not months:
            continue
        units = selectors.units_of(center.pk, rules.unit_kind)
        found = {
            (selectors.summary_key(s), s.month): s
            for s in Summary.objects.filter(center=center, kind=rules.unit_kind, month__in=months)
        }
        for month in months:
            for unit in units:
                s = found.get((unit.key(), month))
                done = int(
                    s is not None
                    and s.first_submitted_at is not None
                    and timezone.localtime(s.first_submitted_at).date() <= s.due_on
                )
                yield Row(
                    center_id=center.pk,
                    done=done,
                    total=1,
                    department_id=unit.department.pk,
                    window_id=unit.window.pk if unit.kind == UnitKind.WINDOW else None,
                )
