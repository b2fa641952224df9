"""Demo summaries: a year of monthly summaries for every window of the city
center and of 柯城区's — most accepted, a few returned and resubmitted, last
month's waiting for review or still being written, a couple overdue.
The figures are computed from the demo cases, ratings and complaints.
Idempotent: nothing is added once any summary exists."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from hall.org.constants import CITY_REGION_CODE
from hall.org.models import Center, Staff, User, Window
from hall.workdays.services import current_calendar

from . import due, figures
from .constants import DEFAULT_SECTIONS, Decision, UnitKind
from .constants import SummaryStatus as S
from .models import Summary, SummarySettings, SummaryVersion

REGIONS = [CITY_REGION_CODE, "330802"]
MONTHS = 12

TEXTS = {
    "s1": "本月窗口共受理 {accepted} 件，作出决定 {decided} 件，其中按时办结 {on_time} 件；"
    "网上申报 {online} 件。坚持一次性告知，材料不全的当场列明补正清单。",
    "s2": "部分申请人对网上申报流程不熟悉，现场咨询较多；个别事项材料要求表述不够清楚。",
    "s3": "继续推进网上申报引导，整理常见问题答复；做好节假日前后的窗口排班。",
}
RETURN_COMMENT = (
    "“存在的问题和困难”写得过于笼统，请结合本月评价和投诉情况具体说明，并写明整改措施。"
)
RESUBMIT_NOTE = (
    "结合本月群众评价和投诉，逐条说明了问题及整改措施：已在窗口张贴材料样本，安排专人引导网上申报。"
)


def _at(day, hour: int):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _sections(f: dict, extra: str = "") -> list[dict]:
    return [
        {**s, "text": TEXTS[s["key"]].format(**f) + (extra if s["key"] == "s2" else "")}
        for s in DEFAULT_SECTIONS
    ]


def load() -> dict:
    if Summary.objects.exists():
        return {}
    today = timezone.localdate()
    now = timezone.now()
    calendar = current_calendar()
    this_month = due.month_start(today)
    first = due.add_months(this_month, -MONTHS)
    months = due.months_between(first, due.add_months(this_month, -1))
    admins = {
        CITY_REGION_CODE: User.objects.filter(username="city_admin").first(),
        "330802": User.objects.filter(username="kc_admin").first(),
    }
    for region in REGIONS:
        center = Center.objects.get(region_code=region)
        SummarySettings.objects.get_or_create(
            center=center,
            defaults={
                "unit_kind": UnitKind.WINDOW,
                "due_day": 5,
                "sections": DEFAULT_SECTIONS,
                "first_month": first,
            },
        )
    windows = list(
        Window.objects.filter(
            department__center__region_code__in=REGIONS,
            department__is_active=True,
            is_active=True,
        )
        .select_related("department__center")
        .order_by("department__center__sort_order", "department__sort_order", "number")
    )
    counts = {"summaries": 0, "accepted": 0, "returned_then_resubmitted": 0, "overdue": 0}
    clerks = {
        s.window_id: s.user
        for s in Staff.objects.filter(window__in=windows).select_related("user").order_by("-pk")
    }
    plans = []  # (summary, [versions])
    for u, window in enumerate(windows):
        writer = clerks.get(window.pk)
        writer_name = (writer.full_name or writer.username) if writer else window.name
        reviewer = admins.get(window.department.center.region_code)
        reviewer_name = reviewer.full_name if reviewer else ""
        by_month = figures.compute_many(
            kind=UnitKind.WINDOW, department=window.department, window=window, months=months
        )
        for i, month in enumerate(months):
            last, before_last = i == len(months) - 1, i == len(months) - 2
            if before_last and u == 2:  # never started: overdue
                counts["overdue"] += 1
                continue
            if last and u % 4 == 2:
                continue  # last month's not started yet
            f = {k: by_month[month][k] for k in figures.KEYS}
            due_on = due.due_on(calendar, month, 5)
            late = (u * 3 + i) % 7 == 3
            submitted = _at(due_on + timedelta(days=2) if late else due_on - timedelta(days=2), 10)
            # Last month's are handed in by now at the latest (its due day may be ahead).
            submitted = min(submitted, now - timedelta(hours=2 + u % 5))
            summary = Summary(
                center=window.department.center,
                kind=UnitKind.WINDOW,
                department=window.department,
                window=window,
                month=month,
                due_on=due_on,
                status=S.ACCEPTED,
                draft={s["key"]: s["text"] for s in _sections(f)},
                first_submitted_at=submitted,
            )
            versions = []
            plans.append((summary, versions))
            if last and u % 4 == 3:  # being written
                summary.status, summary.first_submitted_at = S.DRAFT, None
                continue
            v1 = SummaryVersion(
                number=1,
                figures=f,
                sections=_sections(f),
                submitted_by=writer,
                submitted_by_name=writer_name,
                submitted_at=submitted,
            )
            versions.append(v1)
            if last:  # waiting for review
                summary.status = S.SUBMITTED
                continue
            reviewed = submitted + timedelta(days=1)
            v1.reviewed_by, v1.reviewed_by_name, v1.reviewed_at = reviewer, reviewer_name, reviewed
            if before_last and u == 5:  # returned and not resubmitted: overdue
                v1.decision, v1.comment = Decision.RETURNED, RETURN_COMMENT
                summary.status = S.RETURNED
                counts["overdue"] += 1
                continue
            if (u + i) % 5 == 0:  # returned, then resubmitted and accepted
                v1.decision, v1.comment = Decision.RETURNED, RETURN_COMMENT
                again = reviewed + timedelta(days=1)
                versions.append(
                    SummaryVersion(
                        number=2,
                        figures=f,
                        sections=_sections(f, RESUBMIT_NOTE),
                        submitted_by=writer,
                        submitted_by_name=writer_name,
                        submitted_at=again,
                        decision=Decision.ACCEPTED,
                        reviewed_by=reviewer,
                        reviewed_by_name=reviewer_name,
                        reviewed_at=again + timedelta(hours=3),
                    )
                )
                counts["returned_then_resubmitted"] += 1
            else:
                v1.decision = Decision.ACCEPTED
            counts["accepted"] += 1
    Summary.objects.bulk_create([summary for summary, _v in plans], batch_size=500)
    created = {(s.window_id, s.month): s.pk for s in Summary.objects.all()}
    rows = []
    for summary, versions in plans:
        for v in versions:
            v.summary_id = created[(summary.window_id, summary.month)]
            rows.append(v)
    SummaryVersion.objects.bulk_create(rows, batch_size=500)
    counts["summaries"] = len(plans)
    return counts
