"""中心布置工作 in the browser: the city center sends a task to two windows →
both clerks open it (the receipts appear on the status table) → one feeds
back, the other does not → once the due date has passed, the late window is
on the center head's landing page. axe on every page; screenshots at 375 and
1366 px."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from hall.notices.models import Notice
from hall.org.demo import DEMO_PASSWORD
from hall.org.models import User

from .conftest import DESKTOP, PHONE, close_page, log_in, new_page, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


def _check(page, name: str):
    shoot(page, name)
    assert serious_axe_violations(page) == []


def _window_label(username: str) -> str:
    window = User.objects.get(username=username).staff.window
    return f"{window.department.name} {window.number}号窗口"


def test_a_task_is_read_fed_back_and_overdue_on_the_heads_page(hall_server, browser, desktop):
    url = hall_server.url
    scjg, zrzy = _window_label("scjg_clerk"), _window_label("zrzy_clerk")

    # The center sends the task.
    log_in(desktop, url, "city_admin", DEMO_PASSWORD)
    desktop.goto(f"{url}/staff/notices/new/")
    _check(desktop, "notices-new-desktop")
    desktop.get_by_role("radio", name="工作任务").check()
    desktop.get_by_label("标题", exact=True).fill("报送窗口排班表")
    desktop.get_by_label("正文", exact=True).fill("请各窗口报送下月排班表。")
    desktop.get_by_label("反馈时限（工作日，仅工作任务）").fill("2")
    desktop.get_by_text("选择窗口").click()
    desktop.get_by_label(scjg).check()
    desktop.get_by_label(zrzy).check()
    desktop.get_by_role("button", name="发送").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_text("已发送给 2 个单位。").is_visible()
    notice = Notice.objects.get(title="报送窗口排班表")
    assert notice.due_on is not None
    _check(desktop, "notices-status-sent-desktop")

    # Both windows read it; the first feeds back.
    for username, feeds_back in (("scjg_clerk", True), ("zrzy_clerk", False)):
        page = new_page(browser, PHONE)
        log_in(page, url, username, DEMO_PASSWORD)
        page.goto(f"{url}/staff/notices/")
        assert page.get_by_text("1 条未读").first.is_visible()
        _check(page, f"notices-inbox-{username}-phone")
        page.get_by_role("link", name="报送窗口排班表").click()
        page.wait_for_load_state()
        assert page.get_by_text("请各窗口报送下月排班表。").is_visible()
        _check(page, f"notices-detail-{username}-phone")
        if feeds_back:
            page.get_by_label("反馈内容").fill("排班表已报送。")
            page.get_by_role("button", name="提交反馈").click()
            page.wait_for_load_state()
            assert page.get_by_text("已反馈。").is_visible()
            _check(page, "notices-fed-back-phone")
        close_page(page)

    desktop.goto(f"{url}/staff/notices/{notice.pk}/status/")
    rows = desktop.locator("tbody tr")
    assert "王丽娟" in rows.filter(has_text=scjg).inner_text()
    assert "按时反馈" in rows.filter(has_text=scjg).inner_text()
    assert "徐志强" in rows.filter(has_text=zrzy).inner_text()
    assert "已读未反馈" in rows.filter(has_text=zrzy).inner_text()
    desktop.goto(f"{url}/staff/notices/sent/")
    _check(desktop, "notices-sent-desktop")

    # The due date passes: the window without feedback is on the head's landing page.
    later = timezone.now() + timedelta(days=10)
    with time_machine.travel(later, tick=True):
        head = new_page(browser, DESKTOP)
        log_in(head, url, "city_admin", DEMO_PASSWORD)
        panel = head.locator("section.notices-panel")
        assert "报送窗口排班表" in panel.inner_text() and zrzy in panel.inner_text()
        assert scjg not in panel.inner_text()
        _check(head, "notices-landing-head-desktop")
        head.goto(f"{url}/staff/notices/{notice.pk}/status/")
        assert "已逾期未反馈" in head.locator("tbody tr").filter(has_text=zrzy).inner_text()
        _check(head, "notices-status-overdue-desktop")
        close_page(head)
