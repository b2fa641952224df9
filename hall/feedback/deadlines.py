"""The 督办 clock of a complaint and the complainant's reopen window, as pure
functions of dates and the working-day calendar (no database, no "now" of its
own). Escalation is computed on read from these; the escalate_complaints
command only records what they say."""

from datetime import date, timedelta

from .constants import REOPEN_DAYS
from .workflow import WAITING


def answer_due(calendar, clock_from: date, days: int) -> date:
    """The last day to answer a complaint whose clock started on `clock_from`."""
    return calendar.add_working_days(clock_from, days)


def is_overdue(calendar, *, status: str, clock_from: date, days: int, today: date) -> bool:
    """Not answered and past its due day: flagged and escalated to the center above."""
    return status in WAITING and today > answer_due(calendar, clock_from, days)


def overdue_if_started_by(calendar, today: date, days: int) -> date:
    """The last clock start that is overdue today: a complaint still waiting is
    overdue iff its clock started on or before this day (the due day grows
    with the start day, so one date splits them) — a filter for the database."""
    day = today - timedelta(days=1)
    while answer_due(calendar, day, days) >= today:
        day -= timedelta(days=1)
    return day


def reopen_until(calendar, answered_on: date) -> date:
    """The last day the complainant may ask to reopen an answered complaint."""
    return calendar.add_working_days(answered_on, REOPEN_DAYS)
