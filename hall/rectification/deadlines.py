"""The clocks of a rectification task, as pure functions of dates and the
working-day calendar (no database, no "now" of their own)."""

from dataclasses import dataclass
from datetime import date

from .constants import CALLBACK_DAYS, DUE_SOON_DAYS
from .workflow import CALLBACK_CLOCK, RECTIFY_CLOCK


def callback_due(calendar, rated_on: date):
    """The Deadline of the call-back: one working day after the rating (a
    rating given on the eve of a holiday is called back after it)."""
    return calendar.deadline(rated_on, CALLBACK_DAYS)


def rectify_due(calendar, rated_on: date, days: int):
    """The Deadline of the rectification and reply: `days` working days after the rating."""
    return calendar.deadline(rated_on, days)


def due_soon_until(calendar, today: date) -> date:
    return calendar.add_working_days(today, DUE_SOON_DAYS)


def on_time(done_on: date, due: date) -> bool:
    return done_on <= due


@dataclass(frozen=True)
class ClockState:
    state: str  # "running", "due_soon", "overdue", "stopped"
    due: date | None
    remaining: int | None


def current_due(*, status: str, callback_due: date, rectify_due: date) -> date | None:
    if status in CALLBACK_CLOCK:
        return callback_due
    if status in RECTIFY_CLOCK:
        return rectify_due
    return None


def state(calendar, *, status: str, callback_due: date, rectify_due: date, today: date):
    due = current_due(status=status, callback_due=callback_due, rectify_due=rectify_due)
    if due is None:
        return ClockState("stopped", None, None)
    remaining = calendar.remaining_working_days(today, due)
    if today > due:
        return ClockState("overdue", due, remaining)
    if due <= due_soon_until(calendar, today):
        return ClockState("due_soon", due, remaining)
    return ClockState("running", due, remaining)
