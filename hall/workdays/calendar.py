"""Working-day arithmetic: pure functions of dates and a WorkCalendar.

No database access, no clock: everything the answer depends on is an argument.

Rules
-----
* A working day is Monday–Friday unless it is a holiday, or any day listed as
  a make-up workday (调休上班日) — a listed workday wins over a listed holiday.
* Only years in `known_years` (the State Council schedule is published and
  entered) use the holiday and workday lists. Any other year counts weekends
  only, and a period touching it is *provisional* (`is_provisional`). Entries
  in an unknown year are ignored until the year is marked published.
* In an unknown year the public holidays fixed by law (`provisional_holidays`,
  see statutory.py: 元旦、春节、清明、劳动节、端午、中秋、国庆) are not working
  days either; the year stays provisional, as its bridging days and make-up
  workdays are not known until the schedule is entered.
* A period of n working days from `start` does not count `start` itself (the
  day of acceptance): its due date is the n-th working day after `start`;
  n = 0 is `start` itself.
* Excluded periods (suspensions: 中止、补正、听证、专家评审…) are inclusive
  (first, last) date pairs; their days are not counted. They may overlap.

How it is fast
--------------
Every date has a *rank*: the number of working days from a fixed origin up to
and including it. Outside the span of the years with listed days (known years
and years with provisional holidays) the rank is closed-form arithmetic on
weeks; inside it is one list lookup. A period is then a difference of ranks
and a due date is the working day of a given rank — one lookup, no loop over
days. Exclusions cost one pair of ranks each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

Excluded = tuple[tuple[date, date], ...]


def _base_rank(ordinal: int) -> int:
    """Monday–Friday days in ordinals 1..ordinal (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + (rest if rest < 5 else 5)


def _base_select(rank: int) -> int:
    """The ordinal of the Monday–Friday day whose _base_rank is `rank` (rank ≥ 1)."""
    weeks, rest = divmod(rank - 1, 5)
    return 7 * weeks + rest + 1


@dataclass(frozen=True, slots=True)
class Deadline:
    due: date
    # True when the period touches a year whose holiday schedule is not published:
    # the due date counts weekends only there and will be recomputed.
    provisional: bool


@dataclass(frozen=True, slots=True, repr=False)
class WorkCalendar:
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    known_years: frozenset[int] = frozenset()
    # Days off by law in years not in known_years (ignored in a known year).
    provisional_holidays: frozenset[date] = frozenset()

    # Derived in __post_init__: the ordinal span of the years with listed days, the rank of
    # each day in it, and the ordinals of its working days in order.
    _lo: int = field(default=0, init=False, repr=False, compare=False)
    _hi: int = field(default=-1, init=False, repr=False, compare=False)
    _ranks: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)
    _working: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)
    _rank_before: int = field(default=0, init=False, repr=False, compare=False)
    _shift_after: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        known = frozenset(self.known_years)
        holidays = frozenset(d for d in self.holidays if d.year in known)
        workdays = frozenset(d for d in self.workdays if d.year in known)
        by_law = frozenset(d for d in self.provisional_holidays if d.year not in known)
        set_ = object.__setattr__
        set_(self, "known_years", known)
        set_(self, "holidays", holidays)
        set_(self, "workdays", workdays)
        set_(self, "provisional_holidays", by_law)
        years = known | {d.year for d in by_law}
        if not years:
            return
        lo = date(min(years), 1, 1).toordinal()
        hi = date(max(years), 12, 31).toordinal()
        off = frozenset(d.toordinal() for d in (holidays - workdays) | by_law)
        on = frozenset(d.toordinal() for d in workdays)
        rank = _base_rank(lo - 1)
        ranks, working = [], []
        for o in range(lo, hi + 1):
            if o in on or ((o - 1) % 7 < 5 and o not in off):
                rank += 1
                working.append(o)
            ranks.append(rank)
        set_(self, "_lo", lo)
        set_(self, "_hi", hi)
        set_(self, "_ranks", tuple(ranks))
        set_(self, "_working", tuple(working))
        set_(self, "_rank_before", _base_rank(lo - 1))
        # After the span only weekends count again: rank = base rank + this shift.
        set_(self, "_shift_after", rank - _base_rank(hi))

    def __repr__(self) -> str:
        years = sorted(self.known_years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return (
            f"WorkCalendar({len(self.holidays)} holidays, {len(self.workdays)} workdays, "
            f"{len(years)} known years {span}, "
            f"{len(self.provisional_holidays)} provisional holidays)"
        )

    # --- ranks ------------------------------------------------------------------

    def _rank(self, ordinal: int) -> int:
        """Working days from the origin up to and including `ordinal`."""
        if ordinal < self._lo:
            return _base_rank(ordinal)
        if ordinal > self._hi:
            return _base_rank(ordinal) + self._shift_after
        return self._ranks[ordinal - self._lo]

    def _select(self, rank: int) -> int:
        """The ordinal of the working day whose rank is `rank`."""
        i = rank - self._rank_before - 1
        if i < 0:
            return _base_select(rank)
        if i < len(self._working):
            return self._working[i]
        return _base_select(rank - self._shift_after)

    # --- the public rules ---------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        if d in self.workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays and d not in self.provisional_holidays

    def add_working_days(self, start: date, n: int, *, excluded: Excluded = ()) -> date:
        """The due date of a period of n working days accepted on `start`."""
        if n < 0:
            raise ValueError("n must be ≥ 0")
        if n == 0:
            return start
        pos = start.toordinal()
        remaining = n
        for first, last in _merged(excluded):
            if last <= pos:
                continue
            first = max(first, pos + 1)
            available = self._rank(first - 1) - self._rank(pos)
            if available >= remaining:
                break
            remaining -= available
            pos = last
        return date.fromordinal(self._select(self._rank(pos) + remaining))

    def working_days_between(self, start: date, end: date, *, excluded: Excluded = ()) -> int:
        """Working days after `start` up to and including `end`, outside `excluded`."""
        s, e = start.toordinal(), end.toordinal()
        if e <= s:
            return 0
        count = self._rank(e) - self._rank(s)
        for first, last in _merged(excluded):
            if last <= s:
                continue
            if first > e:
                break
            count -= self._rank(min(last, e)) - self._rank(max(first, s + 1) - 1)
        return count

    def is_provisional(self, d_from: date, d_to: date) -> bool:
        low, high = sorted((d_from.year, d_to.year))
        known = self.known_years
        return any(y not in known for y in range(low, high + 1))

    def deadline(self, start: date, n: int, *, excluded: Excluded = ()) -> Deadline:
        due = self.add_working_days(start, n, excluded=excluded)
        return Deadline(due=due, provisional=self.is_provisional(start, due))

    def remaining_working_days(self, today: date, due: date, *, excluded: Excluded = ()) -> int:
        """Working days left until `due` (0 on the due day itself); negative when
        overdue: minus the working days since `due`, up to and including today."""
        if today <= due:
            return self.working_days_between(today, due, excluded=excluded)
        return -self.working_days_between(due, today, excluded=excluded)


def _merged(excluded) -> list[tuple[int, int]]:
    """Excluded periods as sorted, non-overlapping (first, last) ordinal pairs.

    Periods that touch or overlap are joined; a period whose end is before its
    start is empty and dropped."""
    if not excluded:
        return []
    spans = sorted(
        (first.toordinal(), last.toordinal()) for first, last in excluded if first <= last
    )
    merged: list[tuple[int, int]] = []
    for first, last in spans:
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged
