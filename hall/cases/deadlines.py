"""The two clocks of a case, as pure functions of dates, the calendar and the
suspensions: no database, no "now" of their own (DESIGN: deadlines are pure)."""

from dataclasses import dataclass
from datetime import date

from .constants import DUE_SOON_DAYS, CaseStatus


@dataclass(frozen=True)
class Clocks:
    promised_due: date
    statutory_due: date
    provisional: bool


def periods(suspensions, today: date) -> tuple[tuple[date, date], ...]:
    """Excluded periods: each suspension from its first to its last day; an
    open one up to today (its clock stays stopped until it is resumed)."""
    return tuple((s.started_on, s.ended_on or today) for s in suspensions)


def compute(
    calendar,
    accepted_on: date,
    *,
    promised_days: int,
    statutory_days: int,
    extension_days: int = 0,
    excluded: tuple = (),
) -> Clocks:
    promised = calendar.deadline(accepted_on, promised_days, excluded=excluded)
    statutory = calendar.deadline(accepted_on, statutory_days + extension_days, excluded=excluded)
    return Clocks(promised.due, statutory.due, promised.provisional or statutory.provisional)


@dataclass(frozen=True)
class ClockState:
    state: str  # "running", "due_soon", "overdue", "suspended", "stopped", "none"
    remaining: int | None


def state(calendar, *, status: str, promised_due: date | None, today: date) -> ClockState:
    """Due soon and overdue are computed at read time, never stored."""
    if promised_due is None:
        return ClockState("none", None)
    if status == CaseStatus.SUSPENDED:
        return ClockState("suspended", None)
    if status != CaseStatus.ACCEPTED:
        return ClockState("stopped", None)
    remaining = calendar.remaining_working_days(today, promised_due)
    if today > promised_due:
        # Past the promised date is overdue, even on the weekend right after it
        # (remaining is then 0: no working day has passed yet). The queue's tabs
        # and the supervision counts use the same rule.
        return ClockState("overdue", remaining)
    if remaining <= DUE_SOON_DAYS:
        return ClockState("due_soon", remaining)
    return ClockState("running", remaining)
