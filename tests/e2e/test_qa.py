"""The Q&A journey on a phone: ask (a suggestion while typing the subject) →
the dispatcher routes → the department answers → the center masks and
publishes → the SMS is in the file gateway's output → the asker reads the
answer with number + phone → the public finds it by search."""

import re

import pytest

from hall.org.demo import DEMO_PASSWORD

from .conftest import PHONE, close_page, log_in, new_page, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e

ASKER_PHONE = "13957012345"


def test_question_from_asking_to_the_published_answer(
    browser, phone, hall_server, make_item, settings, tmp_path
):
    from hall.catalogue.search import catalogue_changed
    from hall.org.models import Department
    from hall.qa.constants import QuestionStatus
    from hall.qa.models import Question

    settings.QA_MIN_FILL_SECONDS = 1
    settings.NOTIFY_GATEWAY = "file"
    settings.NOTIFY_FILE_PATH = str(tmp_path / "sms.jsonl")
    scjg = Department.objects.get(center__region_code="330800", code="SCJG")
    make_item(scjg, "个体工商户设立登记")
    catalogue_changed()
    base = hall_server.url

    # the asker, on a phone
    phone.goto(f"{base}/qa/ask/")
    phone.get_by_label("主题").press_sequentially("个体工商户", delay=40)
    suggestion = phone.locator("#qa-suggestions").get_by_role("link", name="个体工商户设立登记")
    suggestion.wait_for()
    assert serious_axe_violations(phone) == []
    phone.get_by_label("主题").fill("个体工商户设立登记要带什么")
    phone.locator("#id_question").fill(
        "我叫赵小燕，身份证 11010519491231002X，手机 13957012345，开水果店要带什么材料？"
    )
    phone.get_by_label("姓名（可不填）").fill("赵小燕")
    phone.get_by_label("手机号码").fill(ASKER_PHONE)
    phone.wait_for_timeout(1100)
    phone.get_by_role("button", name="提交问题").click()
    number = phone.locator(".qa-number").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}", number)
    shoot(phone, "qa-receipt-phone")
    question = Question.objects.get(number=number.replace("-", ""))
    assert question.status == QuestionStatus.ROUTING

    # the dispatcher routes it, the department suggested from the matching item
    staff = new_page(browser, PHONE)
    log_in(staff, base, "city_admin", DEMO_PASSWORD)
    staff.goto(f"{base}/staff/qa/{question.pk}/")
    assert staff.locator(".qa-suggested").first.inner_text() == "衢州市市场监督管理局"
    staff.get_by_role("button", name="分派", exact=True).click()
    staff.wait_for_load_state()
    close_page(staff)

    # the department's clerk answers
    clerk = new_page(browser, PHONE)
    log_in(clerk, base, "scjg_clerk", DEMO_PASSWORD)
    clerk.goto(f"{base}/staff/qa/{question.pk}/")
    clerk.get_by_label("答复内容").fill("请携带身份证和经营场所证明，可网上全程办理。")
    clerk.get_by_role("button", name="提交答复").click()
    clerk.wait_for_load_state()
    close_page(clerk)

    # the center reviews: the draft is masked, edited by hand, published
    staff = new_page(browser, PHONE)
    log_in(staff, base, "city_admin", DEMO_PASSWORD)
    staff.goto(f"{base}/staff/qa/{question.pk}/")
    draft = staff.get_by_label("公开问题").input_value()
    assert (
        "11010519491231002X" not in draft and "13957012345" not in draft and "赵小燕" not in draft
    )
    staff.get_by_label("公开主题").fill("个体工商户设立登记需要哪些材料")
    staff.get_by_role("button", name="公开", exact=True).click()
    staff.wait_for_load_state()
    assert serious_axe_violations(staff) == []
    close_page(staff)

    # the SMS, through the outbox and the file gateway
    from hall.notifications.worker import Worker

    Worker("e2e").run_batch()
    sent = (tmp_path / "sms.jsonl").read_text(encoding="utf-8")
    assert number in sent and ASKER_PHONE in sent

    # the asker reads the answer with number and phone
    phone.goto(f"{base}/qa/track/")
    phone.get_by_label("问题编号").fill(number.lower())
    phone.get_by_label("手机号码").fill(ASKER_PHONE)
    phone.get_by_role("button", name="查看").click()
    assert phone.get_by_text("请携带身份证和经营场所证明").is_visible()

    # the public finds it by search
    phone.goto(f"{base}/qa/")
    phone.get_by_label("搜索答疑").fill("个体工商户")
    phone.get_by_role("button", name="搜索").click()
    phone.get_by_role("link", name="个体工商户设立登记需要哪些材料").click()
    body = phone.locator("main").inner_text()
    assert "11010519491231002X" not in body and "13957012345" not in body
    assert serious_axe_violations(phone) == []
    shoot(phone, "qa-published-phone")
