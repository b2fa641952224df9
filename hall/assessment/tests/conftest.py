"""A small known data set for the annual assessment, in a center of its own
(so the demo organisation's figures never mix in): the city-level center 测试市
with departments 甲局 and 乙局, and one county center 测试县 with one department."""

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.utils import timezone

from hall.assessment import services
from hall.cases.models import Case, Round
from hall.catalogue.models import Filing, Material, ServiceItem
from hall.core import measures
from hall.org.models import Center, Department, User
from hall.org.services import staff_ensure

YEAR = 2024

# (name, formula, weight, target): weights total 100
INDICATORS = [
    ("指南完整度", "guide_completeness", "20", "100"),
    ("网办事项占比", "online_share", "10", "80"),
    ("一次补正内受理", "online_first_pass", "10", "100"),
    ("按时预审", "prereview_on_time", "10", "100"),
    ("按时办结", "on_time_rate", "20", "100"),
    ("满意率", "satisfaction", "10", "100"),
    ("投诉", "complaints", "10", "0"),
    ("备案合格", "filing_timeliness", "5", "100"),
    ("使用率", "usage", "5", "100"),
]

FULL_GUIDE = {
    "conditions": "材料齐全",
    "procedure": "申请\n受理\n决定",
    "result_name": "许可证",
    "place": "二楼",
    "hours": "周一至周五",
    "contact_phone": "0570-3000001",
    "complaint_phone": "0570-3000002",
    "legal_basis_text": "《行政许可法》",
}


def at(day: date | str, hour: int = 10) -> datetime:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


_numbers = iter(range(10_000_000))


def make_case(
    item,
    *,
    channel="online",
    status="completed",
    round=1,
    submitted=None,
    accepted=None,
    decided=None,
    due=None,
):
    n = next(_numbers)
    return Case.objects.create(
        query_number=f"T{n:013d}",
        item=item,
        center=item.center,
        department=item.department,
        channel=channel,
        status=status,
        applicant_kind="person",
        applicant_name="张三",
        id_type="resident_id",
        id_number="11010519491231002X",
        phone="13857012345",
        round=round,
        submitted_at=at(submitted) if submitted else at("2024-03-05"),
        accepted_at=at(accepted, 11) if accepted else None,
        decided_at=at(decided, 15) if decided else None,
        promised_due=date.fromisoformat(due) if due else None,
    )


def make_item(department, code, depth, *, full=True, n=1):
    item = ServiceItem.objects.create(
        center=department.center,
        department=department,
        code=f"{department.center.region_code}-{department.code}-XK-{n:04d}",
        name=f"{department.name}事项{n}",
        item_type="xk",
        applicant_type="company",
        online_depth=depth,
        **(FULL_GUIDE if full else {}),
    )
    if full:
        Material.objects.create(item=item, name="营业执照", submission="online", sort_order=0)
    return item


@dataclass
class World:
    city: Center
    county: Center
    a: Department
    b: Department
    c: Department
    admin: User
    county_admin: User
    item_a: ServiceItem
    cases: dict


def _rating(case, level):
    from hall.ratings.models import Rating

    return Rating.objects.create(
        case=case,
        kind="finished",
        level=level,
        channel="web",
        rated_at=at("2024-04-01"),
        center=case.center,
        department=case.department,
        item=case.item,
        month=date(2024, 3, 1),
    )


def _complaint(department, status, n):
    from hall.feedback.models import Complaint

    return Complaint.objects.create(
        center=department.center,
        target_kind="department",
        department=department,
        number=f"TS{n:012d}",
        category="attitude",
        description=f"投诉{n}",
        text_hash=f"h{n}",
        status=status,
        filed_at=at("2024-05-06"),
        clock_from=date(2024, 5, 6),
    )


def _filing(department, status, n):
    filing = Filing.objects.create(
        center=department.center,
        department=department,
        action="update",
        object_type="serviceitem",
        object_id=n,
        object_repr=f"事项{n}",
        status=status,
    )
    Filing.objects.filter(pk=filing.pk).update(changed_at=at("2024-06-03"))
    return filing


def build_world() -> World:
    city = Center.objects.create(
        name="测试市行政服务中心", short_name="测试市", region_code="990000", level="city"
    )
    county = Center.objects.create(
        name="测试县行政服务中心",
        short_name="测试县",
        region_code="990001",
        level="county",
        parent=city,
    )
    a = Department.objects.create(center=city, name="测试市甲局", code="JIA")
    b = Department.objects.create(center=city, name="测试市乙局", code="YI")
    c = Department.objects.create(center=county, name="测试县丙局", code="BING")
    admin = staff_ensure(
        username="test_city_admin",
        full_name="测试管理员",
        password="x" * 20,
        center=city,
        department=None,
        role_codes=["center_admin"],
    ).user
    county_admin = staff_ensure(
        username="test_county_admin",
        full_name="测试县管理员",
        password="x" * 20,
        center=county,
        department=None,
        role_codes=["center_admin"],
    ).user
    item_a = make_item(a, "A", 4, n=1)
    make_item(a, "A", 1, full=False, n=2)  # a bare guide: 1 of 10 elements (fee free)
    item_c = make_item(c, "C", 3, n=1)
    cases = {
        # online, first round: pre-reviewed next day, decided before the due day
        "c1": make_case(
            item_a,
            round=1,
            submitted="2024-03-05",
            accepted="2024-03-06",
            decided="2024-03-10",
            due="2024-03-12",
        ),
        # online, third round (two corrections): the last submission on 3-07
        "c2": make_case(
            item_a,
            round=3,
            submitted="2024-03-05",
            accepted="2024-03-08",
            decided="2024-03-20",
            due="2024-03-15",
        ),
        # a walk-in decided on its due day: still on time
        "c3": make_case(
            item_a, channel="walk_in", accepted="2024-03-05", decided="2024-03-12", due="2024-03-12"
        ),
        # outside the year: accepted in 2023, decided in 2025
        "c4": make_case(item_a, submitted="2023-12-01", accepted="2023-12-04"),
        "c5": make_case(
            item_a, channel="walk_in", accepted="2024-12-30", decided="2025-01-10", due="2025-01-08"
        ),
        "c6": make_case(
            item_c, channel="walk_in", accepted="2024-05-06", decided="2024-05-08", due="2024-05-10"
        ),
    }
    Round.objects.create(case=cases["c2"], number=1, submitted_at=at("2024-03-05"))
    Round.objects.create(case=cases["c2"], number=3, submitted_at=at("2024-03-07", 9))
    for case, level in ((cases["c1"], 5), (cases["c2"], 4), (cases["c3"], 1)):
        _rating(case, level)
    _complaint(a, "accepted", 1)
    _complaint(a, "not_accepted", 2)
    for n, status in enumerate(["reviewed", "reviewed", "pending", "returned"]):
        _filing(a, status, n)
    return World(city, county, a, b, c, admin, county_admin, item_a, cases)


@pytest.fixture
def world(db):
    world = build_world()

    def usage_rows(*, start, end):
        # 8 of 10 things done in time by 甲局 in the year, nothing by the others
        if start == date(YEAR, 1, 1):
            yield measures.Row(center_id=world.city.pk, department_id=world.a.pk, done=8, total=10)

    # only the test's measure: the office apps' own (walk-ins, pre-review,
    # summaries, notices) would count the test's cases and move the hand-worked mean
    saved = dict(measures._MEASURES)
    measures._MEASURES.clear()
    measures.register("test_usage", "测试使用情况", usage_rows)
    yield world
    measures._MEASURES.clear()
    measures._MEASURES.update(saved)


@pytest.fixture
def scheme(world):
    scheme = services.scheme_create(actor=world.admin, center=world.city, year=YEAR)
    for name, formula, weight, target in INDICATORS:
        services.indicator_add(
            actor=world.admin,
            scheme=scheme,
            name=name,
            formula=formula,
            weight=weight,
            target=target,
        )
    return scheme
