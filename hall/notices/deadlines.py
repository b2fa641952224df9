"""A task's clock, as pure functions of dates and the working-day calendar."""

from datetime import date

from .constants import DUE_SOON_DAYS, READ_IN_TIME_DAYS


def due(calendar, sent_on: date, days: int):
    """The Deadline of a task sent on `sent_on` with `days` working days."""
    return calendar.deadline(sent_on, days)


def on_time(done_on: date, due_on: date) -> bool:
    return done_on <= due_on


def due_soon_until(calendar, today: date) -> date:
    return calendar.add_working_days(today, DUE_SOON_DAYS)


def read_in_time(calendar, sent_on: date, read_on: date | None) -> bool:
    """Read by the unit within READ_IN_TIME_DAYS working days of sending."""
    if read_on is None:
        return False
    return read_on <= calendar.add_working_days(sent_on, READ_IN_TIME_DAYS)


def standing(*, kind: str, status: str, due_on, fed_back_on, today: date) -> str:
    """The row of the status table a recipient is in (constants.Standing)."""
    if status == "fed_back":
        return "on_time" if due_on is None or on_time(fed_back_on, due_on) else "late_feedback"
    if kind == "task" and due_on is not None and today > due_on:
        return "overdue"
    return "read" if status == "read" else "unread"
