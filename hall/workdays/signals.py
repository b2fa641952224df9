"""The calendar's change signal, and the receivers that keep the cached calendar
up to date and record the change whenever a Holiday or PublishedYear row changes
(they run inside the change's transaction)."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from hall.core.generations import Generation

from .constants import GENERATION_KEY
from .models import CalendarChange, Holiday, PublishedYear

# Sent by the worker (`manage.py run_notifications`, through
# services.calendar_changes_deliver), not in the request that changed the
# calendar: a change writes CalendarChange rows in its own transaction, and the
# worker sends this signal for the committed ones. Argument: years (a frozenset
# of the calendar years affected). Receivers recompute what depends on those
# years (e.g. open cases' deadlines) and may take long. A receiver that raises
# leaves the rows in place and the worker logs it and tries again on its next
# round, so receivers must be idempotent; two workers may deliver one change twice.
calendar_changed = Signal()


GENERATION = Generation(GENERATION_KEY)


def calendar_generation() -> str:
    return GENERATION.current()


def _new_generation() -> None:
    GENERATION.bump()


def calendar_touched(years: Iterable[int]) -> None:
    """Call after any change to the calendar's rows (done by the receivers below;
    bulk writes, which send no model signals, call it themselves).

    A new generation token now — so this transaction reads its own change — and
    again on commit, so that every process rebuilds from the committed rows. The
    affected years are recorded in this transaction, for the worker to send
    `calendar_changed` with.
    """
    affected = sorted({y for y in years if y is not None})
    _new_generation()
    CalendarChange.objects.bulk_create(CalendarChange(year=y) for y in affected)
    transaction.on_commit(_new_generation)


@receiver(post_save, sender=Holiday, dispatch_uid="workdays_holiday_saved")
@receiver(post_delete, sender=Holiday, dispatch_uid="workdays_holiday_deleted")
def _holiday_changed(sender, instance: Holiday, **kwargs) -> None:
    before = getattr(instance, "_loaded_date", None)
    calendar_touched({instance.date.year, before.year if before else None})
    instance._loaded_date = instance.date


@receiver(post_save, sender=PublishedYear, dispatch_uid="workdays_year_saved")
@receiver(post_delete, sender=PublishedYear, dispatch_uid="workdays_year_deleted")
def _year_changed(sender, instance: PublishedYear, **kwargs) -> None:
    calendar_touched({instance.year, getattr(instance, "_loaded_year", None)})
    instance._loaded_year = instance.year
