"""Monthly usage measures for the windows' evaluation (R-9.2) and the annual
assessment (R-9.3).

An app that knows something about how the intranet is used (summaries handed in
on time, notices read in time, tasks fed back by their due date) registers a
measure in its AppConfig.ready(); the assessment reads every registered measure
without importing the app, so the dependencies keep pointing one way.

`compute(start=date, end=date)` (end exclusive) returns `Row`s at the finest
grain the app knows: a summary belongs to a window or a department, a receipt to
one staff member. The reader adds them up per window, department and center.
Every row says how many things were due (`total`) and how many were done in time
(`done`), so a share is `done / total` and a unit with nothing due has no share.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Row:
    center_id: int
    done: int
    total: int
    department_id: int | None = None
    window_id: int | None = None
    staff_id: int | None = None


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    compute: Callable[..., Iterable[Row]]
    order: int = 100


_MEASURES: dict[str, Measure] = {}


def register(code: str, label, compute, order: int = 100) -> None:
    _MEASURES[code] = Measure(code, label, compute, order)


def all_measures() -> list[Measure]:
    return sorted(_MEASURES.values(), key=lambda m: (m.order, m.code))


def get(code: str) -> Measure | None:
    return _MEASURES.get(code)


def compute(code: str, *, start: date, end: date) -> list[Row]:
    return list(_MEASURES[code].compute(start=start, end=end))
