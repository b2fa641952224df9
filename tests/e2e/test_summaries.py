"""月度工作总结 in the browser: a window's clerk submits last month's pre-filled
summary → the center admin returns it with a comment → the clerk sees the
comment and resubmits → the center accepts it. axe on every page of the
summaries (nothing serious or critical); screenshots at 1366 px."""

import pytest
from django.utils import timezone

from hall.org.demo import DEMO_PASSWORD
from hall.summaries import due
from hall.summaries.models import Summary

from .conftest import DESKTOP, close_page, log_in, new_page, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


def _check(page, name: str):
    shoot(page, name)
    assert serious_axe_violations(page) == [], name


def test_a_summary_is_submitted_returned_resubmitted_and_accepted(hall_server, desktop, browser):
    base = hall_server.url
    month = due.add_months(due.month_start(timezone.localdate()), -1)
    label = f"{month:%Y-%m}"

    clerk = desktop
    log_in(clerk, base, "scjg_clerk", DEMO_PASSWORD)
    clerk.goto(f"{base}/staff/summaries/")
    _check(clerk, "summaries-mine")
    clerk.get_by_role("button", name=f"填写 {label}").click()
    clerk.wait_for_load_state()
    assert clerk.locator(".fig-accepted").inner_text() == "0"
    _check(clerk, "summaries-edit")
    clerk.get_by_label("本月工作开展情况").fill("本月窗口受理情况正常，无积压。")
    clerk.get_by_label("存在的问题和困难").fill("网上申报引导不够。")
    clerk.get_by_label("下月工作计划").fill("加强网上申报引导。")
    clerk.get_by_role("button", name="提交中心审核").click()
    clerk.wait_for_load_state()
    assert "已提交第 1 版" in clerk.content()
    _check(clerk, "summaries-detail-submitted")
    summary = Summary.objects.get(window__staff__user__username="scjg_clerk", month=month)
    detail = f"{base}/staff/summaries/{summary.pk}/"

    admin = new_page(browser, DESKTOP)
    try:
        log_in(admin, base, "city_admin", DEMO_PASSWORD)
        admin.goto(f"{base}/staff/summaries/center/?month={label}")
        _check(admin, "summaries-center")
        admin.get_by_role("link", name="已提交 211 市场监督管理局窗口").click()
        admin.wait_for_load_state()
        admin.get_by_role("button", name="退回修改").click()  # without a comment
        admin.wait_for_load_state()
        assert "请填写“退回意见”" in admin.content()
        admin.get_by_label("审核意见（退回时必填）").fill("请补充网上申报引导的具体措施。")
        admin.get_by_role("button", name="退回修改").click()
        admin.wait_for_load_state()
        assert admin.locator(".summary-status").inner_text().startswith("已退回")
        _check(admin, "summaries-detail-returned")

        clerk.goto(detail)
        clerk.get_by_role("link", name="修改后重新提交").click()
        clerk.wait_for_load_state()
        assert "请补充网上申报引导的具体措施。" in clerk.locator(".summary-comment").inner_text()
        clerk.get_by_label("存在的问题和困难").fill("网上申报引导不够，已安排专人引导。")
        clerk.get_by_role("button", name="提交中心审核").click()
        clerk.wait_for_load_state()
        assert "已提交第 2 版" in clerk.content()

        admin.goto(detail)
        admin.get_by_role("button", name="审核通过").click()
        admin.wait_for_load_state()
        assert admin.locator(".summary-status").inner_text() == "已通过"
        assert admin.locator(".summary-version").count() == 2
        _check(admin, "summaries-detail-accepted")
        admin.goto(f"{base}/staff/summaries/unit/window/{summary.window_id}/")
        _check(admin, "summaries-unit")
        admin.goto(f"{base}/staff/summaries/settings/")
        _check(admin, "summaries-settings")
    finally:
        close_page(admin)
    versions = list(summary.versions.order_by("number").values_list("decision", flat=True))
    assert versions == ["returned", "accepted"]
