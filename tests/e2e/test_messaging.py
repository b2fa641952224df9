"""信息互动: a city clerk writes to a county window with a PDF attached → the
county clerk sees the unread badge, reads the thread, replies → the city clerk
sees the reply as unread. axe on the list, the new-thread form and the thread;
the form on a phone (375 px), the list and the thread at 1366 px."""

import pytest

from conftest import PDF_BYTES
from hall.messaging.models import Message, Thread
from hall.messaging.selectors import window_label
from hall.org.demo import DEMO_PASSWORD
from hall.org.models import Window

from .conftest import DESKTOP, close_page, log_in, new_page, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


def _check(page, name: str):
    shoot(page, name)
    assert serious_axe_violations(page) == []


def test_a_clerk_writes_to_another_window_which_reads_and_replies(
    hall_server, phone, browser, tmp_path
):
    base = hall_server.url
    kc_window = Window.objects.filter(
        department__center__region_code="330802", department__code="SCJG"
    ).order_by("number")[0]
    pdf = tmp_path / "到期企业名单.pdf"
    pdf.write_bytes(PDF_BYTES)

    # The city clerk, on a phone, starts the thread.
    log_in(phone, base, "scjg_clerk", DEMO_PASSWORD)
    phone.goto(f"{base}/staff/messages/")
    phone.get_by_role("link", name="发起新会话").click()
    _check(phone, "messaging-new-phone")
    phone.get_by_label("主题").fill("食品经营许可证到期提醒")
    phone.get_by_label("发给窗口（窗口全体人员）").select_option(label=window_label(kc_window))
    phone.get_by_label("消息内容").fill("有一批企业的许可证下月到期，名单附后，请提醒延续。")
    phone.get_by_label("附件").set_input_files(str(pdf))
    phone.get_by_role("button", name="发送").click()
    phone.wait_for_load_state()
    assert "信息已发送" in phone.content()
    thread = Thread.objects.get(subject="食品经营许可证到期提醒")

    # The county clerk sees the badge, reads, replies.
    desk = new_page(browser, DESKTOP)
    try:
        log_in(desk, base, "kc_scjg_clerk", DEMO_PASSWORD)
        menu = desk.get_by_role("link", name="信息互动 1 条未读")
        assert menu.count() == 1
        menu.first.click()
        _check(desk, "messaging-list-desktop")
        desk.get_by_role("link", name="食品经营许可证到期提醒").click()
        _check(desk, "messaging-detail-desktop")
        assert desk.get_by_role("link", name="到期企业名单.pdf").count() == 1
        assert desk.get_by_text("条未读").count() == 0  # read on opening
        desk.get_by_label("回复内容").fill("已逐一电话提醒，3 家已提交延续申请。")
        desk.get_by_role("button", name="发送回复").click()
        desk.wait_for_load_state()
        assert "回复已发送" in desk.content()
    finally:
        close_page(desk)
    assert Message.objects.filter(thread=thread).count() == 2

    # The city clerk sees the reply as unread.
    phone.goto(f"{base}/staff/")
    assert "信息互动：1 个会话有未读消息" in phone.content()
    phone.get_by_role("link", name="食品经营许可证到期提醒").click()
    assert "3 家已提交延续申请" in phone.content()
