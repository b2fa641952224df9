"""The rating counters (RatingStat): written in the transaction of the change
they count, by an atomic upsert, so concurrent changes never lose a count; and
rebuilt from the cases and ratings (and each registered source) on demand."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from hall.cases.constants import CaseStatus
from hall.cases.models import Case

from .constants import SATISFIED_LEVELS, Kind
from .models import COUNTERS, Rating, RatingStat

# The statuses in which a case is finished and may be rated (一事一评).
FINISHED_STATUSES = frozenset({CaseStatus.COMPLETED, CaseStatus.REJECTED, CaseStatus.NOT_ACCEPTED})

_TABLE = RatingStat._meta.db_table
_COLUMNS = ("month", "center_id", "department_id", "item_id", "clerk", *COUNTERS)
_UPSERT = (
    f"INSERT INTO {_TABLE} ({', '.join(_COLUMNS)}) "  # noqa: S608 (names are ours)
    f"VALUES ({', '.join(['%s'] * len(_COLUMNS))}) "
    "ON CONFLICT (month, item_id, clerk) DO UPDATE SET "
    + ", ".join(f"{c} = {_TABLE}.{c} + excluded.{c}" for c in COUNTERS)
)


def finished_at(case: Case):
    """When the case finished, or None while it runs."""
    if case.status == CaseStatus.COMPLETED:
        return case.completed_at
    if case.status in (CaseStatus.REJECTED, CaseStatus.NOT_ACCEPTED):
        return case.decided_at
    return None


def month_of(moment) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def case_key(case: Case) -> dict:
    """The row a case counts in: its finishing month, center, department, item, clerk."""
    moment = finished_at(case) or timezone.now()
    return {
        "month": month_of(moment),
        "center_id": case.center_id,
        "department_id": case.department_id,
        "item_id": case.item_id,
        "clerk": case.handled_by_id or 0,
    }


def rating_counts(kind: str, level: int) -> dict:
    """What one rating adds to its row."""
    if kind == Kind.FINISHED:
        return {"rated": 1, f"level_{int(level)}": 1}
    if kind == Kind.FOLLOW_UP:
        return {"follow_ups": 1, "follow_ups_satisfied": int(level in SATISFIED_LEVELS)}
    return {}


def bump(*, month: date, center_id: int, department_id: int, item_id: int, clerk: int, **counts):
    """Add `counts` (counter name → n) to one row. Call it inside the
    transaction of the change it counts."""
    unknown = set(counts) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown rating counters: {sorted(unknown)}")
    if not any(counts.values()):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT,
            [
                connection.ops.adapt_datefield_value(month),
                center_id,
                department_id,
                item_id,
                clerk,
                *(counts.get(c, 0) for c in COUNTERS),
            ],
        )


def bump_for_rating(rating: Rating) -> None:
    bump(
        month=rating.month,
        center_id=rating.center_id,
        department_id=rating.department_id,
        item_id=rating.item_id,
        clerk=rating.clerk,
        **rating_counts(rating.kind, rating.level),
    )


# Other apps' parts of the counters (the rectification tasks): each a callable
# yielding (key dict as case_key gives, counts dict) for everything it counts.
REBUILD_SOURCES: list[Callable[[], Iterable[tuple[dict, dict]]]] = []


def register_source(source: Callable[[], Iterable[tuple[dict, dict]]]):
    if source not in REBUILD_SOURCES:
        REBUILD_SOURCES.append(source)
    return source


def recount() -> dict[tuple, dict]:
    """Every row as counted afresh from the cases, the ratings and the sources:
    {(month, center, department, item, clerk): {counter: n}}."""
    table: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))

    def add(key: dict, counts: dict) -> None:
        row = table[tuple(key[c] for c in _COLUMNS[:5])]
        for name, n in counts.items():
            row[name] += n

    finished = Case.objects.filter(status__in=FINISHED_STATUSES).values_list(
        "status",
        "completed_at",
        "decided_at",
        "center_id",
        "department_id",
        "item_id",
        "handled_by_id",
    )
    for status, completed_at, decided_at, center, department, item, clerk in finished.iterator(
        chunk_size=5000
    ):
        moment = completed_at if status == CaseStatus.COMPLETED else decided_at
        if moment is None:
            continue
        key = {
            "month": month_of(moment),
            "center_id": center,
            "department_id": department,
            "item_id": item,
            "clerk": clerk or 0,
        }
        add(key, {"finished": 1})
    ratings = Rating.objects.values_list(
        "kind", "level", "month", "center_id", "department_id", "item_id", "clerk"
    )
    for kind, level, month, center, department, item, clerk in ratings.iterator(chunk_size=5000):
        key = {
            "month": month,
            "center_id": center,
            "department_id": department,
            "item_id": item,
            "clerk": clerk,
        }
        add(key, rating_counts(kind, level))
    for source in REBUILD_SOURCES:
        for key, counts in source():
            add(key, counts)
    # Zero counters are left out, as stored() leaves them out (a follow-up
    # that is not satisfied adds follow_ups_satisfied=0).
    found = {key: {c: n for c, n in counts.items() if n} for key, counts in table.items()}
    return {key: counts for key, counts in found.items() if counts}


@transaction.atomic
def rebuild() -> int:
    """Replace every row by a recount. Returns the number of rows written."""
    rows = [
        RatingStat(
            month=key[0],
            center_id=key[1],
            department_id=key[2],
            item_id=key[3],
            clerk=key[4],
            **{c: counts.get(c, 0) for c in COUNTERS},
        )
        for key, counts in recount().items()
    ]
    RatingStat.objects.all().delete()
    RatingStat.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def stored() -> dict[tuple, dict]:
    """The rows as stored, in recount()'s shape (zero counters left out)."""
    out = {}
    for row in RatingStat.objects.all():
        counts = {c: getattr(row, c) for c in COUNTERS if getattr(row, c)}
        if counts:
            out[(row.month, row.center_id, row.department_id, row.item_id, row.clerk)] = counts
    return out
