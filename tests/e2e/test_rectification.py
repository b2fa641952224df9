"""差评整改 on a phone: an applicant rates a finished case 不满意 → the
department's clerk sees the task → records the call-back, the verification,
the rectification and the reply through the pages → the reply SMS with the
follow-up link is in the file gateway's output → the follow-up rating closes
the task. axe on every page; screenshots at 375 and 1366 px, zh and en."""

import json
import re
import uuid

import pytest

from conftest import PDF_BYTES, PNG_BYTES
from hall.cases.services import (
    Applicant,
    case_accept,
    case_approve,
    case_complete,
    case_submit,
)
from hall.notifications.worker import Worker
from hall.org.demo import DEMO_PASSWORD
from hall.org.models import User
from hall.ratings import tokens
from hall.ratings.constants import Channel, Kind
from hall.ratings.services import rating_submit
from hall.rectification.constants import TaskStatus as S
from hall.rectification.models import Task

from .conftest import DESKTOP, close_page, log_in, new_page, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


@pytest.fixture
def bad_rating(food_licence):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {
        food_licence.materials.get(name="食品经营许可申请书").pk: [
            SimpleUploadedFile("申请书.pdf", PDF_BYTES)
        ],
        food_licence.materials.get(name="经营场所平面图").pk: [
            SimpleUploadedFile("平面图.png", PNG_BYTES)
        ],
    }
    case, _ = case_submit(
        item=food_licence,
        applicant=Applicant(
            kind="person",
            name="张三",
            id_type="resident_id",
            id_number="11010519491231002X",
            phone="13857012345",
        ),
        form_data={},
        files=files,
        submission_token=uuid.uuid4(),
    )
    clerk = User.objects.get(username="scjg_clerk")
    case_accept(case=case, actor=clerk)
    case_approve(case=case, actor=clerk, opinion="准予许可")
    case_complete(case=case, actor=clerk, certificate_number="JY001", delivery="on_site")
    return rating_submit(
        case=case,
        kind=Kind.FINISHED,
        level=2,
        tags=["unclear_materials", "many_visits"],
        comment="材料清单没写要复印件，跑了两趟。",
        channel=Channel.WEB,
    )


def _check(page, name: str):
    shoot(page, name)
    assert serious_axe_violations(page) == []


def test_a_bad_rating_is_rectified_and_closed_by_the_follow_up(
    hall_server, phone, browser, bad_rating, settings, tmp_path
):
    settings.NOTIFY_GATEWAY = "file"
    settings.NOTIFY_FILE_PATH = str(tmp_path / "sms.jsonl")
    url = hall_server.url
    task = Task.objects.get(rating=bad_rating)
    case = bad_rating.case

    log_in(phone, url, "scjg_clerk", DEMO_PASSWORD)
    phone.goto(f"{url}/staff/rectification/")
    link = phone.locator(f'a[href="/staff/rectification/{task.pk}/"]')
    assert link.is_visible()
    _check(phone, "rectification-list-phone")
    link.click()
    phone.wait_for_load_state()
    assert phone.get_by_text("材料要求不清").is_visible()
    assert phone.get_by_text("138****2345").is_visible()
    assert "13857012345" not in phone.content()
    _check(phone, "rectification-task-phone")

    phone.get_by_label("已联系上").check()
    phone.get_by_label("回访情况（沟通内容）").fill(
        "已电话联系申请人，了解到材料清单未注明复印件。"
    )
    phone.get_by_role("button", name="保存回访").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已记录回访，请核实差评。").is_visible()

    phone.get_by_label("核实情况：差评属实的原因").fill("经核实，指南材料清单确未注明需复印件。")
    phone.get_by_role("button", name="差评属实，进入整改").click()
    phone.wait_for_load_state()

    phone.get_by_label("整改措施：改了什么").fill("已修订办事指南，材料清单注明需提供复印件。")
    phone.get_by_role("button", name="保存整改措施").click()
    phone.wait_for_load_state()
    reply = phone.get_by_label("答复申请人（短信发送）")
    assert "材料清单注明需提供复印件" in reply.input_value()
    _check(phone, "rectification-reply-phone")
    phone.get_by_role("button", name="发送答复").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("答复短信已发送，等待申请人追评。").is_visible()
    task.refresh_from_db()
    assert task.status == S.FOLLOW_UP

    Worker("e2e").run(drain=True)
    lines = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    (sms,) = [m for m in lines if m["id"].startswith(f"rectification:{task.pk}:reply")]
    assert sms["to"] == "13857012345" and case.display_number in sms["text"]
    token = re.search(r"/rate/([^/\s]+)/", sms["text"]).group(1)
    assert tokens.read(token) == (case.pk, Kind.FOLLOW_UP)

    # The applicant's follow-up rating (the link's form is the rating pages' part).
    rating_submit(
        case=case, kind=Kind.FOLLOW_UP, level=4, tags=["clear_guide"], channel=Channel.SMS
    )
    task.refresh_from_db()
    assert (task.status, task.on_time) == (S.CLOSED, True)
    phone.reload()
    assert phone.get_by_text("已办结").first.is_visible()
    _check(phone, "rectification-closed-phone")

    phone.goto(f"{url}/language/?language=en&next=/staff/rectification/{task.pk}/")
    assert phone.get_by_text("The applicant's rating").is_visible()
    _check(phone, "rectification-closed-phone-en")

    desktop = new_page(browser, DESKTOP)
    try:
        log_in(desktop, url, "city_supervisor", DEMO_PASSWORD)
        desktop.goto(f"{url}/staff/rectification/{task.pk}/")
        _check(desktop, "rectification-task-desktop")
        desktop.goto(f"{url}/staff/rectification/?tab=all")
        _check(desktop, "rectification-list-desktop")
        desktop.goto(f"{url}/language/?language=en&next=/staff/rectification/%3Ftab%3Dall")
        assert desktop.get_by_role("heading", name="Bad-rating rectification").is_visible()
        _check(desktop, "rectification-list-desktop-en")
    finally:
        close_page(desktop)
