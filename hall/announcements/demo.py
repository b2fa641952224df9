"""Demo data of the 中心公告 column: the flagged items and their results from
the demo cases, 30+ announcements of the city and the counties; and `bulk(n)`
for the speed benchmark. Idempotent."""

import random
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hall.cases.models import Case
from hall.catalogue.constants import DEFAULT_RESULT_FIELDS
from hall.catalogue.models import ServiceItem
from hall.org.models import Center

from .models import Announcement, ResultEntry
from .services import DECISIONS, hold_days, publication_times, snapshot

# The items whose decisions the demo publishes (双公示), by a part of the name.
FLAGGED = [
    "营业执照设立登记",
    "个体工商户注册登记",
    "食品经营许可",
    "食品生产许可",
    "国有建设用地使用权及房屋所有权转移登记",
    "不动产抵押权登记",
    "排污许可证核发",
    "建筑工程施工许可证核发",
    "药品零售企业许可",
]
# One entry in this many is made late, as if the item had been flagged after
# the decision: supervision has something to show.
LATE_EVERY = 60

_NOTICES = [
    (
        "notice",
        "关于{year}年元旦期间窗口办公时间安排的通知",
        "元旦假期期间，大厅暂停现场办理，网上办事大厅照常受理申请，节后第一个工作日起按序办理。",
    ),
    (
        "notice",
        "关于启用新版网上办事大厅的公告",
        "新版网上办事大厅已上线，可按部门、主题查找事项，网上提交并预审，凭查询号和手机号查询办理进度。",
    ),
    (
        "notice",
        "关于开展“减证便民”专项行动的通知",
        "即日起，凡可通过部门共享获取的证明材料，申请人无需重复提交。",
    ),
    (
        "guide_change",
        "企业开办“一件事”办事指南调整说明",
        "企业设立登记、公章刻制、银行开户预约、社保登记合并为一次申报，承诺时限缩短为 1 个工作日。",
    ),
    (
        "guide_change",
        "食品经营许可申请材料精简的公告",
        "取消食品经营许可申请中的“经营场所产权证明”，改为申请人书面承诺。",
    ),
    (
        "guide_change",
        "不动产登记部分事项调整为即办件",
        "不动产抵押权注销登记、预告登记注销调整为即办件，当场办结。",
    ),
    (
        "licence_results",
        "{month}月行政许可办理情况公示",
        "本月共受理行政许可申请，按时办结率保持 100%，详见许可结果公示栏目。",
    ),
    (
        "other",
        "大厅停车场改造期间临时停车指引",
        "改造期间，请将车辆停放至大厅东侧临时停车场，步行约 3 分钟。",
    ),
    (
        "other",
        "关于征集窗口服务意见建议的公告",
        "欢迎办事群众通过大厅意见箱、服务热线或网上留言提出意见建议。",
    ),
    (
        "notice",
        "关于延长周末服务窗口办理时间的通知",
        "综合受理窗口周六上午照常办公，办理时间 9:00—12:00。",
    ),
]


def _flag_items() -> int:
    match = Q()
    for name in FLAGGED:
        match |= Q(name__contains=name)
    return (
        ServiceItem.objects.filter(match)
        .filter(publish_decisions=False)
        .update(publish_decisions=True, result_fields=list(DEFAULT_RESULT_FIELDS))
    )


def _entries_for(cases, calendar, holds: dict, *, late_every: int = LATE_EVERY) -> list:
    rows = []
    for n, case in enumerate(cases):
        decided = case.decided_at or case.completed_at
        if decided is None:
            continue
        queued = decided + timedelta(days=12) if late_every and n % late_every == 7 else decided
        hold = holds.setdefault(case.center_id, hold_days(case.center_id))
        shown_from, due_at = publication_times(decided, hold, queued_at=queued, calendar=calendar)
        applicant, values = snapshot(case, list(case.item.result_fields))
        rows.append(
            ResultEntry(
                case_id=case.pk,
                item_id=case.item_id,
                center_id=case.center_id,
                department_id=case.department_id,
                applicant=applicant,
                values=values,
                decided_at=decided,
                queued_at=queued,
                shown_from=shown_from,
                due_at=due_at,
            )
        )
    return rows


def _results_from_cases() -> int:
    from hall.workdays.services import current_calendar

    calendar = current_calendar()
    cases = (
        Case.objects.filter(item__publish_decisions=True, status__in=DECISIONS)
        .filter(result_entry__isnull=True)
        .select_related("item", "department")
        .order_by("pk")
    )
    made, holds = 0, {}
    batch = []
    for case in cases.iterator(chunk_size=2000):
        batch.append(case)
        if len(batch) == 2000:
            made += _write(_entries_for(batch, calendar, holds))
            batch = []
    made += _write(_entries_for(batch, calendar, holds))
    return made


def _write(rows) -> int:
    with transaction.atomic():
        ResultEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _announcements() -> int:
    if Announcement.objects.exists():
        return 0
    rng = random.Random(20261202)
    now = timezone.now()
    rows = []
    for center in Center.objects.order_by("sort_order"):
        count = 12 if center.parent_id is None else 4
        for i in range(count):
            category, title, body = _NOTICES[(i + center.pk) % len(_NOTICES)]
            published = now - timedelta(days=rng.randint(0, 120), hours=rng.randint(0, 8))
            expired = i % 9 == 8  # a few old notices have run out
            rows.append(
                Announcement(
                    center=center,
                    category=category,
                    title=title.format(year=published.year + 1, month=published.month)
                    if center.parent_id is None
                    else f"{center.short_name}："
                    + title.format(year=published.year + 1, month=published.month),
                    body=f"{body}\n\n咨询电话：{center.phone or '0570-3058123'}。\n\n{center.name}",
                    pinned=center.parent_id is None and i == 0,
                    publish_at=published,
                    expires_at=published + timedelta(days=30) if expired else None,
                )
            )
    Announcement.objects.bulk_create(rows)
    return len(rows)


def load(out=None) -> dict:
    from .search import ANNOUNCEMENTS, RESULTS

    flagged = _flag_items()
    results = _results_from_cases()
    announcements = _announcements()
    ANNOUNCEMENTS.changed()
    RESULTS.changed()
    return {
        "flagged": ServiceItem.objects.filter(publish_decisions=True).count(),
        "newly_flagged": flagged,
        "results": ResultEntry.objects.count(),
        "new_results": results,
        "announcements": Announcement.objects.count(),
        "new_announcements": announcements,
    }


def bulk(n: int, *, seed: int = 20261202) -> int:
    """n synthetic completed cases of flagged items, each with its result
    (bulk_create, no services): the volume of the speed benchmark."""
    from hall.cases import querynumbers
    from hall.cases.history import COMPANIES, FIRMS, GIVEN, STREETS, SURNAMES, USCC_ALPHABET
    from hall.workdays.services import current_calendar

    from .search import RESULTS

    _flag_items()
    items = list(ServiceItem.objects.filter(publish_decisions=True).select_related("department"))
    if not items:
        return 0
    rng = random.Random(seed)
    calendar, holds = current_calendar(), {}
    now = timezone.now()
    taken = set(Case.objects.values_list("query_number", flat=True))
    made = 0
    while made < n:
        cases = []
        for _ in range(min(2000, n - made)):
            item = rng.choice(items)
            company = item.applicant_type == "company" or rng.random() < 0.5
            number = querynumbers.generate()
            while number in taken:
                number = querynumbers.generate()
            taken.add(number)
            decided = now - timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 600))
            code = "913308" + "".join(rng.choice(USCC_ALPHABET) for _ in range(12))
            cases.append(
                Case(
                    query_number=number,
                    item=item,
                    center_id=item.center_id,
                    department_id=item.department_id,
                    channel="walk_in",
                    status="completed",
                    applicant_kind="company" if company else "person",
                    applicant_name=rng.choice(COMPANIES).format(rng.choice(FIRMS))
                    if company
                    else rng.choice(SURNAMES) + rng.choice(GIVEN),
                    id_type="uscc" if company else "resident_id",
                    id_number=code if company else "330802199001011234",
                    phone="13800000000",
                    address=f"{rng.choice(STREETS)} {rng.randint(1, 300)} 号",
                    form_data={"generated": True},
                    submitted_at=decided - timedelta(days=3),
                    accepted_at=decided - timedelta(days=3),
                    decided_at=decided,
                    completed_at=decided,
                    certificate_number=f"BULK{made + len(cases):08d}",
                )
            )
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=1000)
            ResultEntry.objects.bulk_create(
                _entries_for(cases, calendar, holds, late_every=0), batch_size=1000
            )
        made += len(cases)
    RESULTS.changed()
    return made


def bulk_count() -> int:
    """The results there are (bench/columns.py tops them up to its volume)."""
    return ResultEntry.objects.count()
