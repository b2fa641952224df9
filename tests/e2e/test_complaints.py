"""The complaint journey on a phone: a citizen files a complaint about 柯城区's
window clerk 余静 → the county's supervisor accepts it (the SMS goes out) →
no answer in time: escalated to the city, where city_supervisor sees it →
answered → the complainant reads the answer and reopens once; a second reopen
is refused. axe on every page of the column and of the staff side."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from hall.org.demo import DEMO_PASSWORD

from .conftest import PHONE, close_page, log_in, new_page, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e

COMPLAINANT = "13957012345"


def _axe(page, where):
    found = serious_axe_violations(page)
    assert found == [], f"{where}: {found}"


def test_complaint_from_filing_through_escalation_to_one_reopen(
    browser, phone, hall_server, settings, tmp_path
):
    from hall.feedback.constants import ComplaintStatus as S
    from hall.feedback.models import Complaint
    from hall.notifications.models import Notification
    from hall.notifications.worker import Worker
    from hall.org.models import Center, Staff

    settings.NOTIFY_GATEWAY = "file"
    settings.NOTIFY_FILE_PATH = str(tmp_path / "sms.jsonl")
    base = hall_server.url
    kc = Center.objects.get(region_code="330802")
    clerk = Staff.objects.select_related("window").get(user__username="kc_scjg_clerk")

    # the column, then the form: center and department first, then the clerk
    phone.goto(f"{base}/complaints/")
    _axe(phone, "column")
    phone.get_by_role("link", name="我要投诉").click()
    phone.get_by_label("中心").select_option(str(kc.pk))
    phone.get_by_role("button", name="下一步").click()
    phone.get_by_label("被投诉部门").select_option(label="柯城区市场监督管理局")
    phone.get_by_role("button", name="下一步").click()
    _axe(phone, "filing form")
    shoot(phone, "complaint-form-phone")
    phone.get_by_label("工作人员", exact=True).check()
    phone.get_by_label("工作人员（投诉对象为工作人员时选择）").select_option(
        label=f"余静（{clerk.window.number} {clerk.window.name}）"
    )
    phone.get_by_label("投诉类别").select_option(label="服务态度")
    phone.get_by_label("投诉内容").fill(
        "上午在窗口办理营业执照变更，工作人员态度生硬，问了两遍才回答。"
    )
    phone.get_by_label("联系电话").fill(COMPLAINANT)
    phone.get_by_role("button", name="提交投诉").click()
    number = phone.locator(".complaint-number").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", number)
    _axe(phone, "complainant's page")
    complaint = Complaint.objects.get(number=number.replace("-", ""))
    assert complaint.staff_id == clerk.pk and complaint.center_id == kc.pk

    # the county's supervisor accepts it
    sup = new_page(browser, PHONE)
    log_in(sup, base, "kc_supervisor", DEMO_PASSWORD)
    sup.goto(f"{base}/staff/complaints/")
    _axe(sup, "staff list")
    sup.get_by_role("link", name=number).click()
    _axe(sup, "staff detail")
    sup.get_by_role("button", name="受理投诉").click()
    sup.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == S.ACCEPTED
    Worker("e2e").run_batch()
    sent = (tmp_path / "sms.jsonl").read_text(encoding="utf-8")
    assert number in sent and COMPLAINANT in sent

    # no answer in time: the daily command, run as on a day after the deadline
    call_command(
        "escalate_complaints", "--today", (timezone.localdate() + timedelta(days=14)).isoformat()
    )
    complaint.refresh_from_db()
    assert complaint.escalated_to.region_code == "330800"
    city = new_page(browser, PHONE)
    log_in(city, base, "city_supervisor", DEMO_PASSWORD)
    city.goto(f"{base}/staff/complaints/?escalated=on")
    row = city.locator("tr", has_text=number)
    assert "已报市中心督办" in row.inner_text()
    city.goto(f"{base}/staff/supervision/")
    assert city.locator("#complaint-panel-title").is_visible()
    _axe(city, "supervision dashboard")
    close_page(city)

    # the clerk complained about never sees it
    me = new_page(browser, PHONE)
    log_in(me, base, "kc_scjg_clerk", DEMO_PASSWORD)
    response = me.goto(f"{base}/staff/complaints/{complaint.pk}/")
    assert response.status == 404
    close_page(me)

    # investigated and answered
    sup.reload()
    sup.get_by_role("button", name="开始调查").click()
    sup.wait_for_load_state()
    sup.get_by_role("textbox", name="调查结论").fill("调取监控核实，情况属实，已批评教育。")
    sup.get_by_role("textbox", name="答复投诉人").fill(
        "经调查，您反映的情况属实，已对工作人员批评教育。"
    )
    sup.get_by_role("button", name="提交答复").click()
    sup.wait_for_load_state()
    assert Notification.objects.filter(event="complaint_answered").count() == 1

    # the complainant follows it with number + phone, reads the answer, reopens once
    phone.goto(f"{base}/complaints/track/")
    _axe(phone, "track")
    phone.get_by_label("投诉编号").fill(number.lower())
    phone.get_by_label("手机号码").fill(COMPLAINANT)
    phone.get_by_role("button", name="查看").click()
    assert "已对工作人员批评教育" in phone.locator(".complaint-answer").inner_text()
    phone.get_by_label("不满意的理由").fill("之后再去办理，态度仍然没有改善。")
    phone.get_by_role("button", name="申请重新处理").click()
    assert phone.locator(".complaint-status").inner_text() == "调查中"
    shoot(phone, "complaint-reopened-phone")

    sup.reload()
    sup.get_by_role("textbox", name="调查结论").fill("再次核实，已调整该工作人员岗位。")
    sup.get_by_role("textbox", name="答复投诉人").fill("已调整窗口人员岗位，欢迎继续监督。")
    sup.get_by_role("button", name="提交答复").click()
    sup.wait_for_load_state()
    # shared with the department (without the complainant) and published anonymised
    sup.get_by_role("button", name="通报调查结论").click()
    sup.wait_for_load_state()
    sup.get_by_role("button", name="公开", exact=True).click()
    sup.wait_for_load_state()
    _axe(sup, "staff detail, answered")
    close_page(sup)

    phone.reload()
    phone.get_by_label("不满意的理由").fill("还是不满意。")
    phone.get_by_role("button", name="申请重新处理").click()
    assert "只能申请重新处理一次" in phone.locator(".error-summary").inner_text()
    complaint.refresh_from_db()
    assert complaint.status == S.ANSWERED and complaint.reopen_count == 1

    # the public column shows it, masked
    phone.goto(f"{base}/complaints/")
    phone.get_by_label("搜索投诉").fill("态度生硬")
    phone.get_by_role("button", name="搜索").click()
    phone.locator(".qa-list a").first.click()
    body = phone.locator("main").inner_text()
    assert "余静" not in body and COMPLAINANT not in body
    _axe(phone, "published complaint")

    # the department's view of the shared findings, and the center's settings
    dept = new_page(browser, PHONE)
    log_in(dept, base, "kc_scjg_admin", DEMO_PASSWORD)
    dept.goto(f"{base}/staff/complaints/shared/")
    _axe(dept, "shared list")
    dept.get_by_role("link", name=number).click()
    text = dept.locator("main").inner_text()
    assert "已调整该工作人员岗位" in text and COMPLAINANT not in text
    _axe(dept, "shared detail")
    close_page(dept)
    admin = new_page(browser, PHONE)
    log_in(admin, base, "kc_admin", DEMO_PASSWORD)
    admin.goto(f"{base}/staff/complaints/settings/")
    _axe(admin, "settings")
    close_page(admin)
