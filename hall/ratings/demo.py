"""Demo ratings: most finished demo cases rated (about 85 %), mostly 非常满意
and 满意, a few per cent bad ones with their tags and comments, through the
status page, the SMS link and the window's QR code; then the counters are
rebuilt. Idempotent: whether a case is rated, and how, follows from its id,
and a case already rated is left alone. Fast: one bulk insert, then one rebuild of the counters."""

from __future__ import annotations

import json
import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from hall.cases.constants import CaseStatus
from hall.cases.models import Case

from . import stats
from .constants import TAGS, Channel, Kind, Level
from .models import Rating

SEED = 20261203
RATED_SHARE = 0.85
# The spread of the levels (非常满意 … 非常不满意), about what halls publish.
LEVEL_WEIGHTS = [
    (Level.VERY_SATISFIED, 70),
    (Level.SATISFIED, 19),
    (Level.BASIC, 6.5),
    (Level.DISSATISFIED, 3),
    (Level.VERY_DISSATISFIED, 1.5),
]
GOOD_COMMENTS = [
    "窗口工作人员很耐心，一次就办好了。",
    "网上提交材料很方便，不用来回跑。",
    "办理速度比预期快，点赞。",
    "指南写得清楚，照着准备材料就行。",
    "服务热情，解释得很详细。",
    "",
]
BASIC_COMMENTS = [
    "整体还可以，就是排队时间有点长。",
    "材料清单能再写清楚一点就更好了。",
    "网上填表有些地方看不懂。",
]
BAD_COMMENTS = [
    "材料要求前后说法不一致，跑了三趟才办好。",
    "超过承诺时间还没办结，打电话也没人说明原因。",
    "窗口工作人员态度生硬，问两句就不耐烦。",
    "网上已经提交的材料，到窗口又要求再交纸质的。",
    "指南上没写要这份证明，现场才告知，耽误时间。",
    "预约了时间还是等了一个多小时。",
]


def _finished_at(status, completed_at, decided_at):
    return completed_at if status == CaseStatus.COMPLETED else decided_at


def _rating_for(pk: int, channel: str, status, moment, now):
    """How case `pk` is rated in the demo, or None (not rated)."""
    rng = random.Random(SEED * 1_000_003 + pk)
    if rng.random() >= RATED_SHARE:
        return None
    level = rng.choices([lv for lv, _w in LEVEL_WEIGHTS], [w for _lv, w in LEVEL_WEIGHTS])[0]
    codes = [code for code, _label in TAGS[level]]
    if level in (Level.DISSATISFIED, Level.VERY_DISSATISFIED):
        tags = rng.sample(codes, rng.choice((1, 1, 2)))
        comment = rng.choice(BAD_COMMENTS)
    elif level == Level.BASIC:
        tags = rng.sample(codes, 1) if rng.random() < 0.6 else []
        comment = rng.choice(BASIC_COMMENTS) if rng.random() < 0.5 else ""
    else:
        tags = rng.sample(codes, rng.choice((1, 2))) if rng.random() < 0.4 else []
        comment = rng.choice(GOOD_COMMENTS) if rng.random() < 0.25 else ""
    if channel == "walk_in":
        via = Channel.QR if rng.random() < 0.55 else Channel.SMS
    else:
        via = Channel.WEB if rng.random() < 0.6 else Channel.SMS
    rated_at = min(moment + timedelta(minutes=rng.randint(5, 3 * 24 * 60)), now)
    return level, tags, comment, via, rated_at


_INSERT = (
    f"INSERT INTO {Rating._meta.db_table} "  # noqa: S608 (names are ours)
    "(case_id, kind, level, tags, comment, channel, rated_at, center_id, department_id, "
    "item_id, clerk, month) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_CASE_FIELDS = (
    "pk",
    "channel",
    "status",
    "completed_at",
    "decided_at",
    "center_id",
    "department_id",
    "item_id",
    "handled_by_id",
)


def _row(case: tuple, moment, found) -> tuple:
    """The values of _INSERT for `case` (as _CASE_FIELDS) rated as `found`."""
    pk, _channel, _status, _c, _d, center, department, item, clerk = case
    level, tags, comment, via, rated_at = found
    ops = connection.ops
    return (
        pk,
        Kind.FINISHED.value,
        int(level),
        json.dumps(tags),
        comment,
        via.value,
        ops.adapt_datetimefield_value(rated_at),
        center,
        department,
        item,
        clerk or 0,
        ops.adapt_datefield_value(stats.month_of(moment)),
    )


def load(*, rebuild: bool = True) -> dict:
    """Rate the finished demo cases not rated yet. Returns the figures."""
    now = timezone.now()
    rated = set(Rating.objects.filter(kind=Kind.FINISHED).values_list("case_id", flat=True))
    cases = Case.objects.filter(status__in=stats.FINISHED_STATUSES).values_list(*_CASE_FIELDS)
    new = []
    for case in cases.iterator(chunk_size=5000):
        pk, channel, status, completed_at, decided_at = case[:5]
        moment = _finished_at(status, completed_at, decided_at)
        if pk in rated or moment is None:
            continue
        found = _rating_for(pk, channel, status, moment, now)
        if found is not None:
            new.append(_row(case, moment, found))
    # One statement for all (the ORM's bulk_create spends most of its time
    # preparing each value of 16,000 rows).
    with transaction.atomic():
        with connection.cursor() as cursor:
            for start in range(0, len(new), 5000):
                cursor.executemany(_INSERT, new[start : start + 5000])
        if new and rebuild:
            stats.rebuild()
    return {
        "new": len(new),
        "ratings": Rating.objects.filter(kind=Kind.FINISHED).count(),
        "bad": Rating.objects.filter(
            kind=Kind.FINISHED, level__in=[Level.DISSATISFIED, Level.VERY_DISSATISFIED]
        ).count(),
    }


def bulk(n: int) -> int:
    """For the benchmark: rate up to `n` more finished cases (the demo's spread,
    every case rated), in batches, then rebuild the counters. Returns how many."""
    now = timezone.now()
    last = Rating.objects.order_by("-case_id").values_list("case_id", flat=True).first() or 0
    cases = (
        Case.objects.filter(status__in=stats.FINISHED_STATUSES, pk__gt=last)
        .order_by("pk")
        .values_list(*_CASE_FIELDS)
    )
    done, batch = 0, []
    with transaction.atomic():
        with connection.cursor() as cursor:
            for case in cases.iterator(chunk_size=5000):
                if done + len(batch) >= n:
                    break
                pk, channel, status, completed_at, decided_at = case[:5]
                moment = _finished_at(status, completed_at, decided_at)
                if moment is None:
                    continue
                found = None
                for salt in range(50):  # every case rated: draw again when not
                    found = _rating_for(pk + salt * 7_919_113, channel, status, moment, now)
                    if found is not None:
                        break
                batch.append(_row(case, moment, found))
                if len(batch) >= 5000:
                    cursor.executemany(_INSERT, batch)
                    done, batch = done + len(batch), []
            if batch:
                cursor.executemany(_INSERT, batch)
                done += len(batch)
        stats.rebuild()
    return done
