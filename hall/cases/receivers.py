"""Reactions of cases to other apps' signals."""

from django.dispatch import receiver

from hall.workdays.signals import calendar_changed


# Runs in the notification worker (see workdays.signals.calendar_changed), never in
# the admin's request; it is idempotent, as a change may be delivered twice.
@receiver(calendar_changed, dispatch_uid="cases_recompute_on_calendar_change")
def recompute_open_cases(sender, years, **kwargs):
    from .services import cases_recompute_for_years

    cases_recompute_for_years(years)
