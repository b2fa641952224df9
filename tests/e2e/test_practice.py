"""A clerk drills in practice mode: switches it on (the banner on every page),
takes the "correction notice must list everything" drill on the real case page,
gets a score, and nothing real changed."""

import pytest

from hall.announcements.models import ResultEntry
from hall.cases.models import Case
from hall.catalogue.models import Material, ServiceItem
from hall.catalogue.services import item_next_code, item_refresh_search_text
from hall.notifications.models import Notification
from hall.org.demo import DEMO_PASSWORD
from hall.org.models import Department
from hall.practice.models import DrillAttempt
from hall.ratings.models import Rating, RatingStat
from hall.supervision.models import CaseDayStat, CaseMonthStat

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


@pytest.fixture
def licence(hall_server):
    department = Department.objects.get(center__region_code="330800", code="SCJG")
    item = ServiceItem.objects.create(
        center=department.center,
        department=department,
        code=item_next_code(department=department, item_type="xk"),
        name="食品经营许可",
        item_type="xk",
        applicant_type="company",
        online_depth=3,
        statutory_days=20,
        promised_days=5,
    )
    for n, name in enumerate(["食品经营许可申请书", "经营场所平面图", "食品安全管理制度"]):
        Material.objects.create(item=item, name=name, submission="online", sort_order=n)
    item_refresh_search_text(item)
    return item


def real_state():
    return (
        sorted(Case.objects.values_list("pk", "status", "updated_at")),
        Notification.objects.count(),
        CaseDayStat.objects.count(),
        CaseMonthStat.objects.count(),
        Rating.objects.count(),
        RatingStat.objects.count(),
        ResultEntry.objects.count(),
    )


def test_a_clerk_drills_in_practice_mode_and_nothing_real_changes(
    hall_server, desktop, phone, licence, make_case
):
    real = make_case("accepted")
    before = real_state()
    url = hall_server.url
    log_in(desktop, url, "scjg_clerk", DEMO_PASSWORD)
    desktop.goto(f"{url}/staff/practice/")
    assert serious_axe_violations(desktop) == []
    desktop.get_by_role("button", name="切换到练习模式").click()
    desktop.wait_for_load_state()
    banner = desktop.get_by_role("region", name="练习模式", exact=True)
    assert banner.is_visible()
    assert banner.get_by_role("button", name="退出练习模式").is_visible()
    shoot(desktop, "practice-home")
    assert serious_axe_violations(desktop) == []

    # the workbench holds practice cases only: the real case is not there
    desktop.goto(f"{url}/staff/cases/?tab=all")
    assert desktop.get_by_role("region", name="练习模式", exact=True).is_visible()
    assert real.display_number not in desktop.content()

    desktop.goto(f"{url}/staff/practice/")
    desktop.locator("li", has_text="补正告知须一次性列全").get_by_role("button").click()
    desktop.wait_for_load_state()
    attempt = DrillAttempt.objects.get()
    shoot(desktop, "practice-drill")
    assert serious_axe_violations(desktop) == []
    desktop.get_by_role("link", name="打开这件练习办件").click()
    desktop.wait_for_load_state()
    for name, pk in zip(attempt.setup["missing_names"], attempt.setup["missing"], strict=True):
        desktop.get_by_label(name, exact=True).check()
        desktop.locator(f"#correction-mat_{pk}_note").fill("未上传，请补充上传。")
    desktop.get_by_role("button", name="发出补正告知").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_text("补正告知已发出。").is_visible()

    desktop.goto(f"{url}/staff/practice/drills/{attempt.pk}/")
    desktop.get_by_role("button", name="提交评分").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_role("heading", name="得分：100 / 100").is_visible()
    shoot(desktop, "practice-scored")
    assert serious_axe_violations(desktop) == []

    # the same pages on a phone, in practice mode too
    log_in(phone, url, "scjg_clerk", DEMO_PASSWORD)
    phone.goto(f"{url}/staff/practice/drills/{attempt.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(phone, "practice-drill-phone")

    # out of practice mode by the banner: the real case is back, the banner gone
    desktop.get_by_role("region", name="练习模式", exact=True).get_by_role(
        "button", name="退出练习模式"
    ).click()
    desktop.wait_for_load_state()
    desktop.goto(f"{url}/staff/cases/?tab=all")
    assert real.display_number in desktop.content()
    assert desktop.get_by_role("region", name="练习模式", exact=True).count() == 0
    assert real_state() == before
