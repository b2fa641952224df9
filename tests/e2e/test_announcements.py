"""On a phone: the center sets its hold to 0, a clerk approves a case of a
flagged item, and the result appears in the 中心公告 column by itself, masked."""

import pytest

from hall.announcements.models import ResultEntry
from hall.cases.services import Applicant, case_walk_in
from hall.catalogue.constants import DEFAULT_RESULT_FIELDS
from hall.org.demo import DEMO_PASSWORD
from hall.org.models import User

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


def test_an_approved_case_is_published_masked(hall_server, phone, food_licence):
    url = hall_server.url
    food_licence.publish_decisions = True
    food_licence.result_fields = list(DEFAULT_RESULT_FIELDS) + ["address"]
    food_licence.save()
    case = case_walk_in(
        item=food_licence,
        applicant=Applicant(
            kind="person",
            name="张三丰",
            id_type="resident_id",
            id_number="11010519491231002X",
            phone="13857012345",
            address="浙江省衢州市柯城区示范路 88 号",
        ),
        actor=User.objects.get(username="scjg_clerk"),
        received=list(food_licence.materials.all()),
        originals=[],
        scans={},
        accept=True,
    )
    # The center publishes at once (its hold set to 0 working days).
    log_in(phone, url, "city_admin", DEMO_PASSWORD)
    phone.goto(f"{url}/staff/announcements/settings/")
    phone.get_by_label("公示前等待（工作日）").fill("0")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已保存").is_visible()
    phone.context.clear_cookies()
    # The clerk approves on the phone.
    log_in(phone, url, "scjg_clerk", DEMO_PASSWORD)
    phone.goto(f"{url}/staff/cases/{case.pk}/")
    phone.get_by_label("审批意见").fill("符合法定条件，准予许可。")
    approval = phone.get_by_role("group", name="准予许可")
    approval.get_by_label("我已核对材料，确认作出此决定").check()
    phone.get_by_role("button", name="准予许可").click()
    phone.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == "approved"
    assert ResultEntry.objects.filter(case=case).count() == 1
    phone.context.clear_cookies()
    # Anyone finds it in the column, masked.
    phone.goto(f"{url}/columns/announcements/")
    phone.get_by_role("link", name="许可结果公示").first.click()
    phone.wait_for_load_state()
    row = phone.locator(".item-row", has_text="食品经营许可").first
    assert "张**" in row.inner_text()
    assert "张三丰" not in phone.content()
    shoot(phone, "announcements-results")
    assert serious_axe_violations(phone) == []
    row.get_by_role("link").click()
    phone.wait_for_load_state()
    page = phone.content()
    assert "张**" in page and "浙江省衢州市柯城区" in page
    for secret in ("张三丰", "11010519491231002X", "13857012345", "示范路"):
        assert secret not in page
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the result page is {width} px wide on a 375 px phone"
    shoot(phone, "announcements-result")
    assert serious_axe_violations(phone) == []
