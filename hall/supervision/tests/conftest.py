"""Real cases in every clock state, made through the services at set dates.

2032 has no published holiday schedule in the test database: working days are
Monday to Friday. "Today" of the scenario is Thursday 4 March 2032, so the last
due-soon date is Monday 8 March (two working days on).
"""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from hall.cases.constants import CaseStatus
from hall.cases.services import case_suspend, case_transition

TZ = timezone.get_fixed_timezone(8 * 60)


def at(y, m, d, hour=10):
    return time_machine.travel(datetime(y, m, d, hour, tzinfo=TZ), tick=False)


TODAY = (2032, 3, 4)


@pytest.fixture
def county_item(make_item, kc_scjg):
    return make_item(kc_scjg, "食品经营许可（柯城区）", depth=4)


def accept_on(case, clerk, day):
    with at(*day):
        case_transition(case=case, to=CaseStatus.ACCEPTED, actor=clerk)
    case.refresh_from_db()
    return case


def move_on(case, clerk, day, to, reason=""):
    with at(*day):
        case_transition(case=case, to=to, actor=clerk, reason=reason)
    case.refresh_from_db()
    return case


@pytest.fixture
def scenario(make_case, county_item, user_named):
    """City (衢州市市场监督管理局) and county (柯城区) cases, one per clock state."""
    clerk, kc_clerk = user_named("scjg_clerk"), user_named("kc_scjg_clerk")
    s = {}
    # due soon: accepted Mon 1 Mar, promised Mon 8 Mar
    s["due_soon"] = accept_on(make_case(), clerk, (2032, 3, 1))
    # overdue: accepted Mon 16 Feb, promised Mon 23 Feb
    s["overdue"] = accept_on(make_case(), clerk, (2032, 2, 16))
    # running: accepted today, promised Thu 11 Mar
    s["running"] = accept_on(make_case(), clerk, TODAY)
    # suspended: accepted Mon 9 Feb, suspended Tue 10 Feb and still stopped; its
    # promised date has passed, but a stopped clock is never due soon or overdue
    s["suspended"] = accept_on(make_case(), clerk, (2032, 2, 9))
    with at(2032, 2, 10):
        case_suspend(
            case=s["suspended"], actor=clerk, kind="testing", reason="送检", expected_days=20
        )
    s["suspended"].refresh_from_db()
    # approved on time: accepted Mon 2 Feb (promised Mon 9 Feb), approved Thu 5 Feb
    s["on_time"] = accept_on(make_case(), clerk, (2032, 2, 2))
    move_on(s["on_time"], clerk, (2032, 2, 5), CaseStatus.APPROVED)
    # rejected late: accepted Mon 2 Feb, rejected Fri 20 Feb
    s["late"] = accept_on(make_case(), clerk, (2032, 2, 2))
    move_on(s["late"], clerk, (2032, 2, 20), CaseStatus.REJECTED, reason="不符合法定条件")
    # submitted only: counts nowhere
    s["submitted"] = make_case()
    # county: overdue, accepted Mon 16 Feb by the 柯城区 clerk
    s["county_overdue"] = accept_on(make_case(item=county_item), kc_clerk, (2032, 2, 16))
    return s
