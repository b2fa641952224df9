"""Reactions of cases to other apps' signals."""

from django.dispatch import receiver

from hall.workdays.signals import calendar_changed


@receiver(calendar_changed, dispatch_uid="cases_recompute_on_calendar_change")
def recompute_open_cases(sender, years, **kwargs):
    from .services import cases_recompute_for_years

    cases_recompute_for_years(years)
