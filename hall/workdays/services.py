"""Every write to the holiday table goes through here or the admin; and the
process-wide WorkCalendar that deadlines are computed with."""

import threading
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from hall.core.services import log_action

from . import statutory
from .calendar import WorkCalendar
from .constants import AUDIT_SCHEDULE, AUDIT_SEED, SEED_FIRST_YEAR, HolidayKind, HolidaySource
from .models import CalendarChange, Holiday, PublishedYear
from .signals import calendar_changed, calendar_generation, calendar_touched


def _chinesecalendar_years(last_year: int) -> dict[int, dict[date, tuple[str, str]]]:
    """{year: {date: (kind, name)}} for every year chinesecalendar covers, from
    SEED_FIRST_YEAR to `last_year`. It raises NotImplementedError for a year it
    has no data for: such a year is skipped, not guessed."""
    import chinese_calendar
    from chinese_calendar import constants

    def chinese_name(value) -> str:
        try:
            return constants.Holiday(value).chinese
        except ValueError:
            return str(value)

    years: dict[int, dict[date, tuple[str, str]]] = {}
    for year in range(SEED_FIRST_YEAR, last_year + 1):
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
            chinese_calendar.is_workday(date(year, 12, 31))
        except NotImplementedError:
            continue
        years[year] = {}
    for table, kind in (
        (constants.holidays, HolidayKind.HOLIDAY),
        (constants.workdays, HolidayKind.WORKDAY),
    ):
        for day, value in table.items():
            if day.year in years:
                years[day.year][day] = (kind, chinese_name(value))
    return years


@transaction.atomic
def calendar_seed_from_chinesecalendar(*, actor=None, last_year: int | None = None) -> dict:
    """Add the State Council schedules the chinesecalendar package knows.

    Idempotent: only missing dates are inserted; a date already in the table
    (for instance entered by hand) is left as it is, and counted as a conflict
    when the package says otherwise. Each covered year is marked published.
    One audit entry summarises a run that changed anything.
    """
    if last_year is None:
        last_year = timezone.localdate().year + 1
    source = _chinesecalendar_years(last_year)
    existing = dict(Holiday.objects.values_list("date", "kind"))
    new_rows, conflicts = [], []
    for entries in source.values():
        for day, (kind, name) in sorted(entries.items()):
            if day not in existing:
                new_rows.append(
                    Holiday(date=day, kind=kind, name=name, source=HolidaySource.CHINESECALENDAR)
                )
            elif existing[day] != kind:
                conflicts.append(day.isoformat())
    Holiday.objects.bulk_create(new_rows)

    # Bulk writes send no model signals: one calendar_touched below covers them all.
    rows = {row.year: row for row in PublishedYear.objects.filter(year__in=source)}
    missing = [y for y in sorted(source) if y not in rows]
    PublishedYear.objects.bulk_create(
        PublishedYear(year=y, published=True, note="chinesecalendar") for y in missing
    )
    unflagged = sorted(y for y, row in rows.items() if not row.published)
    PublishedYear.objects.filter(year__in=unflagged).update(published=True)
    published = sorted(missing + unflagged)

    result = {
        "years": sorted(source),
        "holidays_added": sum(r.kind == HolidayKind.HOLIDAY for r in new_rows),
        "workdays_added": sum(r.kind == HolidayKind.WORKDAY for r in new_rows),
        "years_published": published,
        "conflicts": conflicts,
    }
    if new_rows or published:
        calendar_touched({r.date.year for r in new_rows} | set(published))
        log_action(
            actor,
            AUDIT_SEED,
            None,
            {
                "holidays_added": result["holidays_added"],
                "workdays_added": result["workdays_added"],
                "years_published": published,
                "years_with_additions": sorted({r.date.year for r in new_rows}),
                "conflicts": conflicts,
            },
            actor_name="seed_holidays",
        )
    return result


# --- telling the calendar's dependents, in the worker ------------------------------

DELIVER_BATCH = 1000


def calendar_changes_deliver() -> frozenset[int]:
    """Send `calendar_changed` once for the committed calendar changes not yet
    delivered, then forget them; the years sent (empty when none was pending).

    Called by the worker. A receiver that raises propagates and leaves the rows
    for the next call; a change committed meanwhile has rows of its own, so it
    is delivered next time even for a year just sent.
    """
    pending = list(CalendarChange.objects.order_by("pk").values_list("pk", "year")[:DELIVER_BATCH])
    if not pending:
        return frozenset()
    years = frozenset(year for _pk, year in pending)
    calendar_changed.send(sender=CalendarChange, years=years)
    CalendarChange.objects.filter(pk__in=[pk for pk, _year in pending]).delete()
    return years


# --- the calendar deadlines are computed with -------------------------------------

_calendar_lock = threading.Lock()
_calendar: dict = {"generation": None, "calendar": None}


# How many years past this year (or the last entered one) a deadline is counted with
# the days off by law; beyond, an unentered year counts weekends only.
PROVISIONAL_HORIZON = 10


def provisional_holidays(known_years, today: date | None = None) -> frozenset[date]:
    """The days off by law (statutory.py) of the years whose schedule is not
    entered, from statutory.FIRST_YEAR to PROVISIONAL_HORIZON years ahead."""
    today = today or timezone.localdate()
    last = min(max([*known_years, today.year]) + PROVISIONAL_HORIZON, statutory.LAST_YEAR)
    return frozenset(
        day
        for year in range(statutory.FIRST_YEAR, last + 1)
        if year not in known_years
        for day in statutory.statutory_holidays(year)
    )


def calendar_from_db() -> WorkCalendar:
    holidays, workdays = set(), set()
    for day, kind in Holiday.objects.values_list("date", "kind"):
        (workdays if kind == HolidayKind.WORKDAY else holidays).add(day)
    known = frozenset(PublishedYear.objects.filter(published=True).values_list("year", flat=True))
    return WorkCalendar(
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        known_years=known,
        provisional_holidays=provisional_holidays(known),
    )


def calendar_with_schedule(calendar: WorkCalendar, year: int, entries) -> WorkCalendar:
    """`calendar` with the schedule of `year` replaced by `entries` and the year known."""
    holidays = {d for d in calendar.holidays if d.year != year}
    workdays = {d for d in calendar.workdays if d.year != year}
    for entry in entries:
        (workdays if entry.kind == HolidayKind.WORKDAY else holidays).add(entry.date)
    return WorkCalendar(
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        known_years=calendar.known_years | {year},
        provisional_holidays=calendar.provisional_holidays,
    )


def current_calendar() -> WorkCalendar:
    """The calendar of the holiday table, held in the process and rebuilt when
    the generation token in the shared cache changes (every change sets one)."""
    generation = calendar_generation()
    if _calendar["generation"] != generation:
        with _calendar_lock:
            if _calendar["generation"] != generation:
                _calendar["calendar"] = calendar_from_db()
                _calendar["generation"] = generation
    return _calendar["calendar"]


def unpublished_years(today: date) -> list[int]:
    """This year and next year, those of them whose holiday schedule is not
    marked published: center admins are warned, deadlines there are provisional."""
    wanted = [today.year, today.year + 1]
    known = set(
        PublishedYear.objects.filter(year__in=wanted, published=True).values_list("year", flat=True)
    )
    return [y for y in wanted if y not in known]


# --- a year's schedule entered in one step ------------------------------------------


def can_enter_schedule(user) -> bool:
    """The calendar is the whole city's: kept by the top center (admin.manages_calendar)
    with the right to change the holiday table."""
    from .admin import manages_calendar

    return bool(
        user
        and user.is_authenticated
        and manages_calendar(user)
        and user.has_perm("workdays.change_holiday")
    )


@dataclass(frozen=True)
class Move:
    case: object
    promised: tuple[date, date]
    statutory: tuple[date, date]
    provisional: tuple[bool, bool]


def schedule_moves(year: int, entries, *, today: date | None = None) -> list[Move]:
    """The open cases whose due dates the schedule would move, with the dates
    before and after: the same rule and the same cases as the worker's
    recomputation after the change (cases.services.cases_recompute_for_years)."""
    from hall.cases import deadlines
    from hall.cases.constants import CaseStatus
    from hall.cases.models import Case

    today = today or timezone.localdate()
    old = current_calendar()
    new = calendar_with_schedule(old, year, entries)
    open_cases = (
        Case.objects.filter(status__in=[CaseStatus.ACCEPTED, CaseStatus.SUSPENDED])
        .filter(accepted_at__isnull=False)
        .exclude(statutory_due__lt=date(year, 1, 1))
        .filter(accepted_at__date__lte=date(year, 12, 31))
        .select_related("item", "department")
        .prefetch_related("suspensions")
        .order_by("promised_due", "pk")
    )
    moves = []
    for case in open_cases:
        args = {
            "promised_days": case.item.promised_days,
            "statutory_days": case.item.statutory_days,
            "extension_days": case.extension_days,
            "excluded": deadlines.periods(case.suspensions.all(), today),
        }
        accepted_on = timezone.localdate(case.accepted_at)
        before = deadlines.compute(old, accepted_on, **args)
        after = deadlines.compute(new, accepted_on, **args)
        # A case whose dates stay and only stop being provisional does not move.
        if (before.promised_due, before.statutory_due) != (
            after.promised_due,
            after.statutory_due,
        ):
            moves.append(
                Move(
                    case=case,
                    promised=(before.promised_due, after.promised_due),
                    statutory=(before.statutory_due, after.statutory_due),
                    provisional=(before.provisional, after.provisional),
                )
            )
    return moves


@transaction.atomic
def calendar_enter_schedule(*, actor, year: int, entries, note: str = "") -> dict:
    """Replace the holidays and make-up workdays of `year` by `entries` (checked
    by schedule.check) and mark the year published, in one transaction. The open
    cases' deadlines follow in the worker (signals.calendar_touched)."""
    from .schedule import check

    if not can_enter_schedule(actor):
        raise PermissionDenied
    entries = check(list(entries), year)
    note = (note or "").strip()[:200]
    before = dict(Holiday.objects.filter(date__year=year).values_list("date", "kind"))
    Holiday.objects.filter(date__year=year).delete()
    Holiday.objects.bulk_create(
        Holiday(date=e.date, kind=e.kind, name=e.name, source=HolidaySource.MANUAL) for e in entries
    )
    row, _created = PublishedYear.objects.get_or_create(year=year)
    row.published = True
    if note:
        row.note = note
    row.save()
    calendar_touched({year})
    after = {e.date: e.kind for e in entries}
    result = {
        "year": year,
        "holidays": sum(e.kind == HolidayKind.HOLIDAY for e in entries),
        "workdays": sum(e.kind == HolidayKind.WORKDAY for e in entries),
        "replaced": len(before),
        "changed_dates": sorted(
            d.isoformat() for d in set(before) | set(after) if before.get(d) != after.get(d)
        ),
    }
    log_action(actor, AUDIT_SCHEDULE, row, {**result, "note": note})
    return result
