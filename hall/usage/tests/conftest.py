"""A small known month (September 2025) of one window: sign-ins, walk-ins,
online applications and their first answers, written as rows with the times
they happened (the services stamp the present). The figures each test expects
are worked out by hand from this list."""

import hashlib
import itertools
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.utils import timezone

from hall.cases import querynumbers
from hall.cases.constants import CaseStatus as S
from hall.cases.constants import Channel, MessageKind
from hall.cases.models import Case, ReviewMessage, StatusChange
from hall.core import measures
from hall.core.measures import Row
from hall.org.models import StaffSession, User, Window
from hall.org.services import staff_ensure
from hall.usage.constants import PREREVIEW_IN_TIME, WALKINS_SAME_DAY
from hall.workdays.models import Holiday, PublishedYear
from hall.workdays.signals import GENERATION

MONTH = date(2025, 9, 1)
_keys = itertools.count()


def local(y, m, d, hh=9, mm=0) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hh, mm))


@dataclass
class Month:
    window: Window
    other_window: Window
    a: User  # scjg_clerk, of the window
    b: User  # a second clerk of the window
    admin: User  # scjg_admin, of the department, in no window
    cases: dict


def sign_in(user, when):
    StaffSession.objects.create(
        user=user,
        key_hash=hashlib.sha256(f"t{next(_keys)}".encode()).hexdigest(),
        created_at=when,
        last_seen=when,
    )


def make_case(item, channel, submitted, status):
    return Case.objects.create(
        query_number=querynumbers.generate(),
        item=item,
        center_id=item.center_id,
        department_id=item.department_id,
        channel=channel,
        status=status,
        applicant_kind="person",
        applicant_name="张三",
        id_type="resident_id",
        id_number="11010519491231002X",
        phone="13857012345",
        submitted_at=submitted,
    )


def step(case, src, dst, when, actor=None):
    StatusChange.objects.create(
        case=case, from_status=src, to_status=dst, at=when, actor=actor, by_applicant=actor is None
    )


def walk_in(item, clerk, came, entered):
    case = make_case(item, Channel.WALK_IN, came, S.ACCEPTED)
    StatusChange.objects.create(
        case=case, from_status="", to_status=S.ACCEPTED, at=entered, actor=clerk
    )
    return case


def online(item, submitted, status=S.SUBMITTED):
    case = make_case(item, Channel.ONLINE, submitted, status)
    step(case, "", S.SUBMITTED, submitted)
    return case


@pytest.fixture
def month(db, make_item, city_scjg, user_named, django_capture_on_commit_callbacks):
    # 2025's schedule, as far as the test needs it: 国庆 from Wed 1 October.
    with django_capture_on_commit_callbacks(execute=True):
        PublishedYear.objects.update_or_create(year=2025, defaults={"published": True})
        for day in (1, 2, 3):
            Holiday.objects.update_or_create(
                date=date(2025, 10, day), defaults={"kind": "holiday", "name": "国庆节"}
            )
    windows = list(city_scjg.windows.order_by("number"))
    a, admin = user_named("scjg_clerk"), user_named("scjg_admin")
    window = a.staff.window
    assert window == windows[0]
    b = staff_ensure(
        username="usage_clerk_b",
        full_name="李用例",
        password=None,
        center=city_scjg.center,
        department=city_scjg,
        window=window,
        role_codes=["clerk"],
    ).user
    item = make_item(city_scjg, "用量测试事项")

    # sign-ins: a on 1 (twice), 2 and 30 September; b on the 3rd; the admin on the 4th
    for when in (local(2025, 9, 1, 9), local(2025, 9, 1, 14), local(2025, 9, 2, 8, 30)):
        sign_in(a, when)
    sign_in(a, local(2025, 9, 30, 23, 30))
    sign_in(a, local(2025, 8, 31, 23, 59))  # August
    sign_in(a, local(2025, 10, 1, 0, 10))  # October
    sign_in(b, local(2025, 9, 3, 10))
    sign_in(admin, local(2025, 9, 4, 10))

    cases = {
        # walk-ins: a enters one the same day and one the next morning; b one the same day
        "w1": walk_in(item, a, local(2025, 9, 1, 10), local(2025, 9, 1, 10)),
        "w2": walk_in(item, a, local(2025, 9, 2, 16), local(2025, 9, 3, 9)),
        "w3": walk_in(item, b, local(2025, 9, 3, 10), local(2025, 9, 3, 10, 5)),
    }
    # online: Friday 5 September → due Monday the 8th
    o1 = cases["o1"] = online(item, local(2025, 9, 5, 15), S.APPROVED)
    step(o1, S.SUBMITTED, S.ACCEPTED, local(2025, 9, 8, 9), a)  # in time
    step(o1, S.ACCEPTED, S.APPROVED, local(2025, 9, 10, 9), a)
    o2 = cases["o2"] = online(item, local(2025, 9, 5, 16), S.ACCEPTED)
    step(o2, S.SUBMITTED, S.ACCEPTED, local(2025, 9, 9, 9), a)  # 2 working days: late
    # Tuesday 30 September → 国庆 and the weekend → due Monday 6 October
    o3 = cases["o3"] = online(item, local(2025, 9, 30, 10), S.CORRECTION_REQUESTED)
    step(o3, S.SUBMITTED, S.CORRECTION_REQUESTED, local(2025, 10, 6, 9), b)  # in time
    o4 = cases["o4"] = online(item, local(2025, 9, 30, 11), S.ACCEPTED)
    step(o4, S.SUBMITTED, S.ACCEPTED, local(2025, 10, 7, 9), b)  # late
    # an approver's reply is an answer too
    o5 = cases["o5"] = online(item, local(2025, 9, 10, 9))
    msg = ReviewMessage.objects.create(
        case=o5, round_number=1, kind=MessageKind.REPLY, text="已收到", author=a
    )
    ReviewMessage.objects.filter(pk=msg.pk).update(created_at=local(2025, 9, 11, 9))
    # never answered: late, charged to the department; withdrawn unanswered: not due
    cases["o6"] = online(item, local(2025, 9, 12, 9))
    o7 = cases["o7"] = online(item, local(2025, 9, 12, 10), S.WITHDRAWN)
    step(o7, S.SUBMITTED, S.WITHDRAWN, local(2025, 9, 12, 11))
    yield Month(window, windows[1], a, b, admin, cases)
    # The holidays go with the test's transaction: so must the process's calendar.
    GENERATION.bump()


@pytest.fixture(autouse=True)
def _own_measures_only():
    """The other office apps' measures are left out: the figures worked out by
    hand know only this app's shares (and a test's own measure)."""
    saved = dict(measures._MEASURES)
    for code in list(measures._MEASURES):
        if code not in (WALKINS_SAME_DAY, PREREVIEW_IN_TIME):
            del measures._MEASURES[code]
    yield
    measures._MEASURES.clear()
    measures._MEASURES.update(saved)


@pytest.fixture
def test_measure(month):
    """A measure of another app, registered by the test: one row for clerk a,
    one for the window itself, one for the department."""
    center = month.window.department.center_id

    def compute(*, start, end):
        if start != MONTH:
            return []
        return [
            Row(center_id=center, staff_id=month.a.pk, done=1, total=2),
            Row(center_id=center, window_id=month.window.pk, done=1, total=1),
            Row(center_id=center, department_id=month.window.department_id, done=0, total=1),
        ]

    measures.register("test_notices_read", "测试通知按时阅读", compute, order=90)
    yield "test_notices_read"
    measures._MEASURES.pop("test_notices_read", None)
