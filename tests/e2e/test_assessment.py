"""The annual assessment in a browser: the city center dry-runs last year's
assessment, adjusts one department's score with a reason, publishes the year
and opens the printable report; axe finds nothing serious on any of its pages,
and the figures on screen add up."""

from decimal import Decimal

import pytest

from hall.org.demo import DEMO_PASSWORD

from .conftest import close_page, log_in, new_page, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


def _checked(page, name):
    problems = serious_axe_violations(page)
    assert not problems, f"{name}: {problems}"
    shoot(page, f"assessment-{name}")


def _tile(page, name):
    return Decimal(page.locator(f".as-tiles [data-{name}]").inner_text())


def test_the_center_runs_adjusts_publishes_and_prints(browser, desktop, hall_server):
    from django.utils import timezone

    from hall.assessment import demo
    from hall.assessment.models import Scheme
    from hall.org.models import Center, User

    year = timezone.localdate().year - 1
    scheme = demo._scheme(
        User.objects.get(username="city_admin"), Center.objects.get(region_code="330800"), year
    )
    page = desktop
    log_in(page, hall_server.url, "city_admin", DEMO_PASSWORD)
    page.goto(f"{hall_server.url}/staff/assessment/")
    _checked(page, "list")
    page.get_by_role("link", name=f"{year} 年度").click()
    assert page.locator("[data-weight-total]").inner_text().startswith("权重合计 100 分")
    _checked(page, "scheme")
    page.get_by_role("link", name="修改").first.click()
    _checked(page, "indicator")
    page.go_back()
    page.get_by_role("link", name="试算考核结果").click()
    assert page.locator("[data-dry-run]").is_visible()
    _checked(page, "results")

    # one department's figures and the cases behind its on-time rate
    row = page.locator("#as-dept-table tbody tr").first
    name = row.locator("th a").inner_text()
    row.locator("th a").click()
    _checked(page, "unit")
    before = _tile(page, "total")
    page.get_by_role("link", name="查看明细 按时办结率").click()
    _checked(page, "behind")
    page.go_back()

    # an adjustment needs a reason: refused without, made with one
    page.get_by_label("调整分值（可为负数）").fill("2")
    page.get_by_role("button", name="确认调整").click()
    assert "请填写调整理由" in page.locator(".error-summary").inner_text()
    page.get_by_label("调整分值（可为负数）").fill("2")
    page.get_by_label("调整理由").fill("获评省级“人民满意窗口”")
    page.get_by_role("button", name="确认调整").click()
    assert "已调整" in page.locator(".messages").inner_text()
    assert _tile(page, "adjustment") == Decimal("2.00")
    assert _tile(page, "total") == before + 2
    assert page.locator("[data-adjustment-row]").inner_text().startswith("2.00 — 获评省级")

    # publish: the year is frozen
    page.get_by_role("link", name=f"{year} 年度考核结果").click()
    totals = page.locator(f"#as-dept-table tr:has(a:text-is('{name}')) [data-total]")
    assert Decimal(totals.inner_text()) == before + 2
    page.locator("[data-publish]").click()
    assert page.locator("[data-published]").is_visible()
    assert Scheme.objects.get(pk=scheme.pk).is_published
    assert page.locator("[data-publish]").count() == 0

    page.get_by_role("link", name="打印考核报告").click()
    _checked(page, "report")
    assert "正式结果" in page.locator(".as-report").inner_text()
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert page.locator(".as-report table").first.is_visible()


def test_the_results_on_a_phone(browser, hall_server):
    from django.utils import timezone

    from hall.assessment import demo
    from hall.org.models import Center, User

    scheme = demo._scheme(
        User.objects.get(username="city_admin"),
        Center.objects.get(region_code="330800"),
        timezone.localdate().year,
    )
    page = new_page(browser, {"width": 375, "height": 812})
    try:
        log_in(page, hall_server.url, "city_supervisor", DEMO_PASSWORD)
        page.goto(f"{hall_server.url}/staff/assessment/{scheme.pk}/results/")
        scrolls = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not scrolls
        assert page.locator("[data-publish]").count() == 0  # supervisors only read
        _checked(page, "results-phone")
    finally:
        close_page(page)
