"""Reads of the monthly summaries, with their rules: a center's settings, its
units, who sees which summary, which are overdue (computed, never stored)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from hall.core.permissions import staff_scope
from hall.org.models import Department, Window

from . import due
from .constants import DEFAULT_DUE_DAY, DEFAULT_SECTIONS, OVERDUE_MONTHS, UnitKind
from .constants import SummaryStatus as S
from .models import Summary, SummarySettings
from .workflow import HANDED_IN


@dataclass(frozen=True)
class Rules:
    center_id: int
    unit_kind: str
    due_day: int
    sections: list
    first_month: date


def rules_for(center, today: date) -> Rules:
    row = SummarySettings.objects.filter(center=center).first()
    if row is None:
        # Without settings: the defaults, required from January of this year.
        return Rules(
            center.pk, UnitKind.WINDOW, DEFAULT_DUE_DAY, DEFAULT_SECTIONS, date(today.year, 1, 1)
        )
    return Rules(
        center.pk, row.unit_kind, row.due_day, row.sections or DEFAULT_SECTIONS, row.first_month
    )


@dataclass(frozen=True)
class Unit:
    kind: str
    department: Department
    window: Window | None

    @property
    def pk(self) -> int:
        return self.window.pk if self.window is not None else self.department.pk

    @property
    def label(self) -> str:
        if self.window is not None:
            return f"{self.window.number} {self.window.name}"
        return self.department.name

    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)


def units_of(center_id: int, kind: str) -> list[Unit]:
    """The center's units that submit: its active windows, or its departments."""
    if kind == UnitKind.WINDOW:
        windows = (
            Window.objects.filter(
                department__center_id=center_id, department__is_active=True, is_active=True
            )
            .select_related("department")
            .order_by("department__sort_order", "number")
        )
        return [Unit(UnitKind.WINDOW, w.department, w) for w in windows]
    departments = Department.objects.filter(center_id=center_id, is_active=True).order_by(
        "sort_order"
    )
    return [Unit(UnitKind.DEPARTMENT, d, None) for d in departments]


def summary_key(s: Summary) -> tuple[str, int]:
    return (s.kind, s.window_id if s.kind == UnitKind.WINDOW else s.department_id)


def visible_to(user) -> QuerySet:
    """A window's clerk: their window's summaries (and, in department mode, their
    department's); a department-bound member: the department's; a center-level
    member: their center's and, for the city, its counties'."""
    qs = Summary.objects.all()
    if user.is_superuser:
        return qs
    staff = staff_scope(user)
    if staff is None:
        return qs.none()
    if staff.window_id is not None:
        return qs.filter(
            Q(kind=UnitKind.WINDOW, window_id=staff.window_id)
            | Q(kind=UnitKind.DEPARTMENT, department_id=staff.department_id)
        )
    if staff.department_id is not None:
        return qs.filter(department_id=staff.department_id)
    return qs.filter(center_id__in=staff.visible_center_ids())


def unit_visible(user, kind: str, pk: int) -> Unit | None:
    """The unit, when `user` may see its summaries; else None (a 404)."""
    if kind == UnitKind.WINDOW:
        window = Window.objects.select_related("department").filter(pk=pk).first()
        if window is None:
            return None
        unit = Unit(kind, window.department, window)
    elif kind == UnitKind.DEPARTMENT:
        department = Department.objects.filter(pk=pk).first()
        if department is None:
            return None
        unit = Unit(kind, department, None)
    else:
        return None
    if user.is_superuser:
        return unit
    staff = staff_scope(user)
    if staff is None:
        return None
    if staff.window_id is not None:
        ok = (kind == UnitKind.WINDOW and pk == staff.window_id) or (
            kind == UnitKind.DEPARTMENT and pk == staff.department_id
        )
    elif staff.department_id is not None:
        ok = unit.department.pk == staff.department_id
    else:
        ok = unit.department.center_id in staff.visible_center_ids()
    return unit if ok else None


def writable_units(user) -> list[Unit]:
    """The units `user` writes summaries for, under their center's choice of unit."""
    staff = staff_scope(user)
    if staff is None or staff.department_id is None:
        return []
    department = staff.department
    row = SummarySettings.objects.filter(center_id=department.center_id).first()
    kind = row.unit_kind if row is not None else UnitKind.WINDOW
    if kind == UnitKind.DEPARTMENT:
        return [Unit(kind, department, None)]
    if staff.window_id is not None:
        return [Unit(kind, department, staff.window)]
    windows = Window.objects.filter(department=department, is_active=True).order_by("number")
    return [Unit(kind, department, w) for w in windows]


def find(unit: Unit, month: date) -> Summary | None:
    qs = Summary.objects.filter(kind=unit.kind, month=month)
    if unit.kind == UnitKind.WINDOW:
        return qs.filter(window=unit.window).first()
    return qs.filter(department=unit.department).first()


def is_overdue(status: str | None, due_on: date, today: date) -> bool:
    """Past its due day and not handed in: never started, a draft, or returned
    and not resubmitted."""
    return today > due_on and status not in HANDED_IN


@dataclass
class Row:
    unit: Unit
    month: date
    due_on: date
    summary: Summary | None
    overdue: bool

    @property
    def status(self) -> str | None:
        return self.summary.status if self.summary else None

    @property
    def status_label(self):
        from django.utils.translation import gettext as _

        return S(self.summary.status).label if self.summary else _("未开始")


def month_rows(center_id: int, rules: Rules, month: date, calendar, today: date) -> list[Row]:
    """Every unit of the center with its summary (or none) of `month`."""
    units = units_of(center_id, rules.unit_kind)
    found = {
        summary_key(s): s
        for s in Summary.objects.filter(center_id=center_id, month=month, kind=rules.unit_kind)
    }
    due_on = due.due_on(calendar, month, rules.due_day)
    rows = []
    for unit in units:
        s = found.get(unit.key())
        d = s.due_on if s is not None else due_on
        rows.append(Row(unit, month, d, s, is_overdue(s.status if s else None, d, today)))
    return rows


def overdue_rows(center_id: int, rules: Rules, calendar, today: date) -> list[Row]:
    """The overdue summaries of the center over the last OVERDUE_MONTHS months."""
    first = max(rules.first_month, due.add_months(due.month_start(today), -OVERDUE_MONTHS))
    rows = []
    for month in reversed(due.months_due_by(calendar, today, rules.due_day, first)):
        rows.extend(r for r in month_rows(center_id, rules, month, calendar, today) if r.overdue)
    return rows


def unit_history(unit: Unit, rules: Rules, calendar, today: date) -> list[Row]:
    """The unit's months from the first required one to this month, newest first."""
    qs = Summary.objects.filter(kind=unit.kind)
    qs = (
        qs.filter(window=unit.window)
        if unit.window is not None
        else qs.filter(department=unit.department)
    )
    found = {s.month: s for s in qs}
    first = min([rules.first_month, *found])
    rows = []
    for month in reversed(due.months_between(first, due.month_start(today))):
        s = found.get(month)
        d = s.due_on if s is not None else due.due_on(calendar, month, rules.due_day)
        if s is None and month < rules.first_month:
            continue
        rows.append(Row(unit, month, d, s, is_overdue(s.status if s else None, d, today)))
    return rows
