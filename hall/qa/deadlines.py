"""The answer clock of a question, as pure functions of dates and the calendar
(no database, no "now" of its own), like cases/deadlines.py."""

from dataclasses import dataclass
from datetime import date

from .constants import DUE_SOON_DAYS
from .workflow import WAITING


def due_on(calendar, asked_on: date, days: int):
    """The Deadline (due date, provisional) of an answer due `days` working days
    after the day it was asked: a question asked on the eve of a holiday is due
    that many working days after it."""
    return calendar.deadline(asked_on, days)


def due_soon_until(calendar, today: date) -> date:
    """The last due date still "due soon" today."""
    return calendar.add_working_days(today, DUE_SOON_DAYS)


@dataclass(frozen=True)
class ClockState:
    state: str  # "running", "due_soon", "overdue", "stopped"
    remaining: int | None


def state(calendar, *, status: str, due: date | None, today: date) -> ClockState:
    if due is None or status not in WAITING:
        return ClockState("stopped", None)
    remaining = calendar.remaining_working_days(today, due)
    if today > due:
        return ClockState("overdue", remaining)
    if due <= due_soon_until(calendar, today):
        return ClockState("due_soon", remaining)
    return ClockState("running", remaining)
