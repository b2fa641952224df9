"""A case brought to the window, through the whole lifecycle in the workbench:
walk-in intake → acceptance notice → suspend → resume → approve → complete."""

import pytest

from hall.cases.models import Case
from hall.catalogue.models import Material, ServiceItem
from hall.catalogue.services import item_next_code, item_refresh_search_text
from hall.org.demo import DEMO_PASSWORD
from hall.org.models import Department, User

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


@pytest.fixture
def permit(hall_server):
    department = Department.objects.get(center__region_code="330800", code="SCJG")
    item = ServiceItem.objects.create(
        center=department.center,
        department=department,
        code=item_next_code(department=department, item_type="xk"),
        name="特种设备使用登记",
        item_type="xk",
        applicant_type="company",
        online_depth=2,
        statutory_days=15,
        promised_days=5,
    )
    Material.objects.create(item=item, name="特种设备使用登记表", submission="onsite", sort_order=0)
    Material.objects.create(
        item=item, name="产品合格证", submission="onsite", required=False, sort_order=1
    )
    item_refresh_search_text(item)
    return item


@pytest.fixture
def overdue_case(permit):
    """An older case whose promised date has passed while it is still in progress."""
    from datetime import timedelta

    from django.utils import timezone

    from hall.cases.services import Applicant, case_walk_in

    case = case_walk_in(
        item=permit,
        applicant=Applicant(
            kind="company",
            name="衢州市逾期测试有限公司",
            id_type="uscc",
            id_number="91350100M000100Y43",
            phone="13857010000",
        ),
        actor=User.objects.get(username="scjg_clerk"),
        received=list(permit.materials.all()),
        originals=[],
        scans={},
        accept=True,
    )
    Case.objects.filter(pk=case.pk).update(promised_due=timezone.localdate() - timedelta(days=10))
    return case


def test_walk_in_to_completion(hall_server, desktop, phone, permit, overdue_case):
    url = hall_server.url
    # the supervisor's dashboard before: the older case is overdue, in red
    log_in(phone, url, "city_supervisor", DEMO_PASSWORD)
    phone.goto(f"{url}/staff/supervision/")
    red = phone.locator("table.case-list.overdue")
    assert red.get_by_role("link", name=overdue_case.display_number).is_visible()
    assert red.locator("strong.clock.overdue").first.is_visible()
    assert phone.locator(".stat-tiles li .n").first.inner_text() == "1"
    shoot(phone, "dashboard-before")
    assert serious_axe_violations(phone) == []
    log_in(desktop, url, "scjg_clerk", DEMO_PASSWORD)
    desktop.goto(f"{url}/staff/cases/walk-in/")
    desktop.get_by_role("link", name="特种设备使用登记").click()
    desktop.wait_for_load_state()
    desktop.get_by_label("申请人类型").select_option("company")
    desktop.get_by_label("申请人（单位）名称").fill("衢州市示范机械有限公司")
    desktop.get_by_label("证件号码").fill("91350100M000100Y43")
    desktop.get_by_label("手机号码").fill("13857019999")
    desktop.get_by_label("已收取").first.check()
    desktop.get_by_label("已核验原件").first.check()
    shoot(desktop, "walk-in-form")
    assert serious_axe_violations(desktop) == []
    desktop.get_by_role("button", name="登记并打印通知书").click()
    desktop.wait_for_load_state()
    case = Case.objects.exclude(pk=overdue_case.pk).get()
    assert desktop.get_by_role("heading", name="受理通知书").is_visible()
    # the notice's two codes: the case lookup and the service rating
    assert desktop.locator(".qr svg").count() == 2
    assert desktop.get_by_role("img", name="办件查询二维码").locator("svg").count() == 1
    assert desktop.get_by_role("img", name="服务评价二维码").locator("svg").count() == 1
    assert case.display_number in desktop.content()
    shoot(desktop, "acceptance-notice")

    desktop.goto(f"{url}/staff/cases/?tab=accepted&sort=deadline")
    assert desktop.get_by_role("link", name=case.display_number).is_visible()
    shoot(desktop, "queue")
    assert serious_axe_violations(desktop) == []
    phone.reload()
    # the new case moved into "in progress"
    assert phone.locator(".stat-tiles li .n").first.inner_text() == "2"
    desktop.goto(f"{url}/staff/cases/{case.pk}/")
    assert (
        desktop.get_by_text("剩余 5 个工作日").is_visible()
        or desktop.get_by_text("剩余").first.is_visible()
    )
    shoot(desktop, "case-accepted")
    assert serious_axe_violations(desktop) == []
    desktop.locator("#suspend-kind").select_option("testing")
    desktop.locator("#suspend-reason").fill("设备送检")
    desktop.get_by_label("预计工作日").fill("3")
    desktop.get_by_role("button", name="开始特别程序").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_text("特别程序中，暂停计时").is_visible()
    desktop.get_by_role("button", name="结束特别程序，恢复计时").click()
    desktop.wait_for_load_state()
    desktop.get_by_role("button", name="准予许可").click()
    desktop.wait_for_load_state()
    # a decision is stated and confirmed: nothing happens on a bare click
    case.refresh_from_db()
    assert case.status == "accepted"
    desktop.get_by_label("审批意见").fill("符合法定条件，准予许可。")
    approval = desktop.get_by_role("group", name="准予许可")
    approval.get_by_label("我已核对材料，确认作出此决定").check()
    desktop.get_by_role("button", name="准予许可").click()
    desktop.wait_for_load_state()
    desktop.get_by_label("证照（批文）编号").fill("TS3308202600001")
    desktop.get_by_label("送达方式").select_option("on_site")
    desktop.get_by_role("button", name="办结", exact=True).click()
    desktop.wait_for_load_state()
    case.refresh_from_db()
    assert case.status == "completed" and case.certificate_number == "TS3308202600001"
    assert list(case.history.values_list("to_status", flat=True)) == [
        "accepted",
        "suspended",
        "accepted",
        "approved",
        "completed",
    ]
    shoot(desktop, "case-completed")
    # the dashboard after: the case left "in progress" and counts as finished on time
    phone.goto(f"{url}/staff/supervision/?date_from=2020-01-01")
    assert (
        phone.locator("table.case-list.overdue")
        .get_by_role("link", name=overdue_case.display_number)
        .is_visible()
    )
    assert (
        phone.locator("table.case-list").get_by_role("link", name=case.display_number).count() == 0
    )
    assert phone.locator(".stat-tiles li .n").first.inner_text() == "1"
    shoot(phone, "dashboard-after")


DUPLICATE_IDS = """() => {
  const seen = {};
  for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
  return Object.keys(seen).filter((id) => seen[id] > 1);
}"""


def test_a_clerk_on_a_phone_finds_walk_in_and_no_page_repeats_an_id(
    hall_server, phone, permit, overdue_case, food_licence
):
    url = hall_server
    log_in(phone, url, "scjg_clerk", DEMO_PASSWORD)
    # 窗口收件 is one tap from the landing page
    phone.get_by_role("link", name="窗口收件").first.click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/staff/cases/walk-in/")
    shoot(phone, "walk-in-found-phone")
    pages = [
        "/",
        f"/items/{food_licence.code}/",
        f"/items/{food_licence.code}/apply/",
        "/track/",
        "/search/?q=许可",
        "/guide/",
        "/staff/",
        "/staff/cases/",
        "/staff/cases/walk-in/",
        f"/staff/cases/walk-in/{permit.code}/",
        f"/staff/cases/{overdue_case.pk}/",
    ]
    for path in pages:
        response = phone.goto(f"{url}{path}")
        assert response.status < 400, path
        assert phone.evaluate(DUPLICATE_IDS) == [], path
    # on a case in pre-review the internal note's label leads to the internal note,
    # not to the public reply
    from hall.cases.tests.factories import CaseFactory

    food_licence.materials.filter(name="经营场所平面图").update(required=False)
    online = CaseFactory(item=food_licence)
    phone.goto(f"{url}/staff/cases/{online.pk}/")
    assert phone.evaluate(DUPLICATE_IDS) == []
    phone.locator("label", has_text="内部备注").click()
    assert phone.evaluate("document.activeElement.form.action").endswith(
        f"/staff/cases/{online.pk}/note/"
    )
    phone.locator("label", has_text="审批人员回复").click()
    assert phone.evaluate("document.activeElement.form.action").endswith(
        f"/staff/cases/{online.pk}/reply/"
    )
    shoot(phone, "case-page-phone")
