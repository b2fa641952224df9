"""Every write of supervision: the day statistics kept beside the cases."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from hall.cases.constants import CaseStatus
from hall.cases.models import Case
from hall.core.services import log_action
from hall.workdays.services import current_calendar

from .models import COUNTERS, CaseDayStat, CaseMonthStat


def _upsert(model, period_column: str) -> str:
    table = model._meta.db_table
    columns = (period_column, "center_id", "department_id", "item_id", "clerk", *COUNTERS)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (names are ours)
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({period_column}, item_id, clerk) DO UPDATE SET "
        + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    )


_UPSERTS = ((_upsert(CaseDayStat, "day"), False), (_upsert(CaseMonthStat, "month"), True))


def _local(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _decision(status: str, accepted_at, decided_at, promised_due, calendar) -> dict:
    """The counters of a decision: approved (or completed since), rejected, or
    not accepted; approvals and rejections are judged against promised_due."""
    if status == CaseStatus.NOT_ACCEPTED:
        return {"not_accepted": 1}
    counts = {"approved" if status != CaseStatus.REJECTED else "rejected": 1, "finished": 1}
    day = _local(decided_at)
    if promised_due is not None:
        counts["on_time" if day <= promised_due else "late"] = 1
    if accepted_at is not None:
        counts["working_days"] = calendar.working_days_between(_local(accepted_at), day)
    return counts


def event_counts(case: Case, event: str, calendar) -> list[tuple[date, dict]]:
    """What one case event adds, as (day, counters); events not counted
    (submission, a special procedure and its end, replies…) add nothing."""
    if event == CaseStatus.ACCEPTED:
        return [(_local(case.accepted_at), {"accepted": 1})]
    if event in (CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.NOT_ACCEPTED):
        return [
            (
                _local(case.decided_at),
                _decision(event, case.accepted_at, case.decided_at, case.promised_due, calendar),
            )
        ]
    if event == CaseStatus.COMPLETED:
        return [(_local(case.completed_at), {"completed": 1})]
    return []


def state_counts(
    status: str, accepted_at, decided_at, completed_at, promised_due, calendar
) -> Iterator[tuple[date, dict]]:
    """What a case in its present state has added over its life: the same
    counters as its events, read back from its timestamps."""
    if accepted_at is not None:
        yield _local(accepted_at), {"accepted": 1}
    if decided_at is not None and status in (
        CaseStatus.APPROVED,
        CaseStatus.COMPLETED,
        CaseStatus.REJECTED,
        CaseStatus.NOT_ACCEPTED,
    ):
        yield _local(decided_at), _decision(status, accepted_at, decided_at, promised_due, calendar)
    if completed_at is not None:
        yield _local(completed_at), {"completed": 1}


def stats_record(*, case: Case, event: str) -> None:
    """Add one case event to its day's and its month's row, in the transaction
    of the change: an atomic upsert per row, so concurrent changes never lose a
    count. A practice case (练习办件) counts nowhere."""
    if case.practice:
        return
    changes = event_counts(case, event, current_calendar())
    if not changes:
        return
    with connection.cursor() as cursor:
        for day, counts in changes:
            for sql, monthly in _UPSERTS:
                cursor.execute(
                    sql,
                    [
                        connection.ops.adapt_datefield_value(
                            day.replace(day=1) if monthly else day
                        ),
                        case.center_id,
                        case.department_id,
                        case.item_id,
                        case.handled_by_id or 0,
                        *(counts.get(c, 0) for c in COUNTERS),
                    ],
                )


def _add(table: dict[tuple, dict], key: tuple, counts: dict) -> None:
    row = table.get(key)
    if row is None:
        row = table[key] = defaultdict(int)
    for name, n in counts.items():
        row[name] += n


def stats_rebuild(*, chunk: int = 5000) -> int:
    """Recount every day and month row from the cases as they are now; returns
    the day rows written. For after a bulk load, or to check the rows kept as
    cases change."""
    calendar = current_calendar()
    rows: dict[tuple, dict] = {}
    places: dict[int, tuple[int, int]] = {}
    fields = (
        "item_id",
        "center_id",
        "department_id",
        "handled_by_id",
        "status",
        "accepted_at",
        "decided_at",
        "completed_at",
        "promised_due",
    )
    # Real cases only, even if called while a clerk works in practice mode.
    real = Case.all_objects.filter(practice_of=None)
    cases = real.filter(accepted_at__isnull=False) | real.filter(decided_at__isnull=False)
    for item, center, dept, clerk, status, accepted, decided, completed, due in (
        cases.order_by().values_list(*fields).iterator(chunk_size=chunk)
    ):
        places[item] = (center, dept)
        for day, counts in state_counts(status, accepted, decided, completed, due, calendar):
            _add(rows, (day, item, clerk or 0), counts)
    months: dict[tuple, dict] = {}
    for (day, item, clerk), counts in rows.items():
        _add(months, (day.replace(day=1), item, clerk), counts)
    with transaction.atomic():
        for model, period, table in ((CaseDayStat, "day", rows), (CaseMonthStat, "month", months)):
            model.objects.all().delete()
            model.objects.bulk_create(
                (
                    model(
                        **{period: when},
                        item_id=item,
                        clerk=clerk,
                        center_id=places[item][0],
                        department_id=places[item][1],
                        **counts,
                    )
                    for (when, item, clerk), counts in table.items()
                ),
                batch_size=chunk,
            )
        log_action(
            None,
            "supervision.stats_rebuilt",
            None,
            {"days": len(rows), "months": len(months)},
            actor_name="system",
        )
    return len(rows)
