"""The 好差评 figures in a browser: the public page on a phone (the month
switch, a department's items), then the staff drill-down down to a clerk;
the figures on screen add up (rated ≤ finished, the levels sum to rated),
axe finds nothing serious, screenshots at 375 and 1366 px in Chinese and English."""

import pytest

from hall.org.demo import DEMO_PASSWORD

from .conftest import DESKTOP, PHONE, close_page, log_in, new_page, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e

# Every figures row of the page: (name, finished, rated, [levels], bad).
ROWS = """(where) => [...document.querySelectorAll(where + ' tr[data-figures]')].map(tr => [
  tr.querySelector('th').innerText.trim(),
  +tr.querySelector('[data-finished]').innerText,
  +tr.querySelector('[data-rated]').innerText,
  [...tr.querySelectorAll('[data-level]')].map(td => +td.innerText),
  +tr.querySelector('[data-bad]').innerText,
])"""


def figures_add_up(page, where: str = "main") -> list:
    rows = page.evaluate(ROWS, where)
    assert rows, f"no figures on {page.url}"
    for name, finished, rated, levels, bad in rows:
        assert rated <= finished, name
        assert sum(levels) == rated, name
        assert bad == levels[3] + levels[4], name
    return rows


def test_public_figures_and_the_staff_drill_down(browser, phone, hall_server, make_item):
    from django.utils import timezone

    from hall.cases.tests.factories import CaseFactory
    from hall.org.models import Department, User
    from hall.ratings import figures
    from hall.ratings.constants import Channel, Kind
    from hall.ratings.models import RatingStat
    from hall.ratings.services import rating_submit

    scjg = Department.objects.get(center__region_code="330800", code="SCJG")
    clerk = User.objects.get(username="scjg_clerk")
    licence = make_item(scjg, "食品经营许可")
    other = make_item(scjg, "个体工商户设立登记")
    last = figures.last_full_month(timezone.localdate())
    for item, counts in (
        (licence, {"finished": 40, "rated": 34, "level_5": 25, "level_4": 6, "level_2": 3}),
        (other, {"finished": 9, "rated": 8, "level_5": 6, "level_3": 1, "level_1": 1}),
    ):
        RatingStat.objects.create(
            month=last,
            center_id=scjg.center_id,
            department=scjg,
            item=item,
            clerk=clerk.pk,
            **counts,
        )
    # this month: two cases finished through the services, one rated 不满意
    for level in (2, None):
        case = CaseFactory.create(item=licence, completed=True)
        if level:
            rating_submit(
                case=case, kind=Kind.FINISHED, level=level, tags=["overdue"], channel=Channel.SMS
            )
    base = hall_server.url

    # the public page on a phone: last month by default, per department
    phone.goto(f"{base}/ratings/")
    figures_add_up(phone)
    rows = figures_add_up(phone, "#rf-rows")
    assert rows[0][:3] == [scjg.name, 49, 42]
    assert serious_axe_violations(phone) == []
    shoot(phone, "ratings-public-phone")
    # a department's items
    phone.get_by_role("link", name=scjg.name).click()
    phone.wait_for_load_state()
    figures_add_up(phone)
    items = {r[0].split("\n")[0]: r[1:3] for r in figures_add_up(phone, "#rf-rows")}
    assert items == {licence.name: [40, 34], other.name: [9, 8]}
    assert serious_axe_violations(phone) == []
    # the month switch: this month, the case just rated
    phone.get_by_label("月份", exact=True).select_option(index=0)
    phone.get_by_role("button", name="查看").click()
    phone.wait_for_load_state()
    assert "统计中" in phone.locator("h2").first.inner_text()
    figures_add_up(phone)
    this_month = figures_add_up(phone, "#rf-rows")
    assert this_month[0][1:3] == [2, 1] and this_month[0][4] == 1
    shoot(phone, "ratings-public-items-phone")

    # English, phone and desktop
    phone.goto(f"{base}/language/?language=en&next=/ratings/")
    assert "Participation rate" in phone.locator("main").inner_text()
    figures_add_up(phone)
    assert serious_axe_violations(phone) == []
    shoot(phone, "ratings-public-phone-en")
    wide = new_page(browser, DESKTOP)
    wide.goto(f"{base}/ratings/")
    figures_add_up(wide)
    shoot(wide, "ratings-public-desktop")
    wide.goto(f"{base}/language/?language=en&next=/ratings/")
    shoot(wide, "ratings-public-desktop-en")
    close_page(wide)

    # the staff drill-down on a phone: department → clerk
    staff = new_page(browser, PHONE)
    log_in(staff, base, "city_admin", DEMO_PASSWORD)
    staff.goto(f"{base}/staff/ratings/figures/")
    figures_add_up(staff)
    assert serious_axe_violations(staff) == []
    shoot(staff, "ratings-staff-phone")
    staff.locator("#rf-departments").get_by_role("link", name=scjg.name).click()
    staff.wait_for_load_state()
    figures_add_up(staff)
    staff.locator("#rf-clerks").get_by_role("link", name=clerk.full_name).click()
    staff.wait_for_load_state()
    assert clerk.full_name in staff.locator(".rf-crumbs").inner_text()
    figures_add_up(staff)
    mine = figures_add_up(staff, "#rf-items")
    assert sum(r[1] for r in mine if r[0].startswith(("食品", "个体"))) >= 51
    assert serious_axe_violations(staff) == []
    shoot(staff, "ratings-staff-clerk-phone")
    close_page(staff)
    wide = new_page(browser, DESKTOP)
    log_in(wide, base, "city_admin", DEMO_PASSWORD)
    wide.goto(f"{base}/staff/ratings/figures/?department={scjg.pk}")
    figures_add_up(wide)
    shoot(wide, "ratings-staff-desktop")
    wide.goto(f"{base}/language/?language=en&next=/staff/ratings/figures/?department={scjg.pk}")
    figures_add_up(wide)
    shoot(wide, "ratings-staff-desktop-en")
    close_page(wide)
