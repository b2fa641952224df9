"""The usage measures of 中心布置工作 (core.measures): notices read in time and
tasks fed back on time, one row per recipient unit."""

from datetime import date

from django.utils import timezone

from hall.core.measures import Row
from hall.workdays.services import current_calendar

from . import deadlines
from .constants import Kind, ReceiptStatus, UnitKind
from .models import Recipient


def _unit(r) -> dict:
    if r["unit_kind"] == UnitKind.CENTER:
        return {"center_id": r["center_id"]}
    return {
        "center_id": r["center_id"],
        "department_id": r["department_id"],
        "window_id": r["window_id"],
    }


_FIELDS = ("unit_kind", "center_id", "department_id", "window_id")


def notices_read_in_time(*, start: date, end: date):
    """Each unit a notice or task was sent to that month: done when someone of
    the unit read it within READ_IN_TIME_DAYS working days."""
    calendar = current_calendar()
    rows = Recipient.objects.filter(
        notice__sent_at__date__gte=start, notice__sent_at__date__lt=end
    ).values(*_FIELDS, "notice__sent_at", "read_at")
    for r in rows.iterator(chunk_size=2000):
        sent_on = timezone.localdate(r["notice__sent_at"])
        read_on = timezone.localdate(r["read_at"]) if r["read_at"] else None
        yield Row(total=1, done=int(deadlines.read_in_time(calendar, sent_on, read_on)), **_unit(r))


def tasks_on_time(*, start: date, end: date):
    """Each unit of a task due that month: done when it fed back by the due date."""
    rows = Recipient.objects.filter(
        notice__kind=Kind.TASK, notice__due_on__gte=start, notice__due_on__lt=end
    ).values(*_FIELDS, "status", "fed_back_on_time")
    for r in rows.iterator(chunk_size=2000):
        done = r["status"] == ReceiptStatus.FED_BACK and bool(r["fed_back_on_time"])
        yield Row(total=1, done=int(done), **_unit(r))
