"""Entering the next year's holiday schedule on a phone: the notice pasted in,
a wrong year refused with a message, the preview of the cases whose deadlines
move, then confirmed."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hall.cases.models import Case
from hall.cases.tests.factories import CaseFactory
from hall.org.demo import DEMO_PASSWORD
from hall.workdays.models import Holiday, PublishedYear
from hall.workdays.services import calendar_changes_deliver, calendar_seed_from_chinesecalendar

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e

NOTICE_2027 = (
    "一、元旦：1月1日（周五）放假，与周末连休。"
    "二、春节：2月5日至11日放假调休，共7天。2月14日（周日）、2月20日（周六）上班。"
)


@pytest.fixture
def december_2026(hall_server):
    with time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        calendar_seed_from_chinesecalendar(last_year=2027)
        calendar_changes_deliver()
        yield hall_server


def test_a_center_admin_enters_2027_from_the_notice_on_a_phone(
    december_2026, phone, make_item, city_scjg
):
    item = make_item(city_scjg, "长时限事项", depth=4, promised=20, statutory=60)
    case = CaseFactory(item=item, accepted=True)
    assert Case.objects.get(pk=case.pk).deadline_provisional

    base = december_2026.url
    log_in(phone, base, "city_admin", DEMO_PASSWORD)
    phone.goto(f"{base}/staff/workdays/schedule/")
    shoot(phone, "workdays-schedule-phone")

    phone.get_by_label("通知中的放假安排").fill("一、元旦：1月1日（周四）放假。")
    phone.get_by_role("button", name="预览").click()
    assert phone.get_by_text("请检查年份是否选对").is_visible()
    shoot(phone, "workdays-schedule-error-phone")
    assert not PublishedYear.objects.filter(year=2027).exists()

    phone.get_by_label("通知中的放假安排").fill(NOTICE_2027)
    phone.get_by_role("button", name="预览").click()
    moves = phone.locator(".schedule-moves li")
    assert moves.count() == 1
    assert "2027-03-01 → 2027-03-02" in moves.first.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert serious_axe_violations(phone) == []
    shoot(phone, "workdays-schedule-preview-phone")
    assert not Holiday.objects.filter(date__year=2027).exists()

    phone.get_by_role("button", name="确认录入").click()
    assert phone.get_by_text("2027 年节假日安排已录入").is_visible()
    assert PublishedYear.objects.get(year=2027).published
    calendar_changes_deliver()
    case = Case.objects.get(pk=case.pk)
    assert (case.statutory_due, case.deadline_provisional) == (date(2027, 3, 2), False)
