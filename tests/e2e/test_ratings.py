"""好差评 on a phone: a finished case's applicant looks it up, rates it 满意
with a tag and sees the rating on the status page; another applicant opens
the signed link of the invitation SMS (from the file gateway's output) and
rates 不满意 with a tag. Screenshots at 375 and 1366 px, Chinese and English."""

import json
import re
from urllib.parse import urlsplit

import pytest

from conftest import PDF_BYTES, PNG_BYTES
from hall.cases.constants import CaseStatus
from hall.cases.services import Applicant, case_submit
from hall.cases.tests.factories import PATHS, clerk_of, walk
from hall.notifications.worker import Worker
from hall.ratings.constants import Channel
from hall.ratings.models import Rating

from .conftest import DESKTOP, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


def finished_case(item, phone: str):
    """An online application of `item` with both its files, then accepted,
    approved and completed by the department's clerk."""
    import uuid

    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {
        item.materials.get(name="食品经营许可申请书").pk: [
            SimpleUploadedFile("申请书.pdf", PDF_BYTES)
        ],
        item.materials.get(name="经营场所平面图").pk: [SimpleUploadedFile("平面图.png", PNG_BYTES)],
    }
    case, _ = case_submit(
        item=item,
        applicant=Applicant(
            kind="person",
            name="张三",
            id_type="resident_id",
            id_number="11010519491231002X",
            phone=phone,
        ),
        form_data={},
        files=files,
        submission_token=uuid.uuid4(),
    )
    return walk(case, PATHS[CaseStatus.COMPLETED], clerk=clerk_of(item.department))


def test_rate_on_the_status_page_and_by_the_sms_link(
    hall_server, phone, food_licence, settings, tmp_path
):
    settings.NOTIFY_GATEWAY = "file"
    settings.NOTIFY_FILE_PATH = str(tmp_path / "sms.jsonl")
    settings.NOTIFY_SITE_URL = hall_server.url
    url = hall_server.url

    # channel 1: the status page after the number + phone lookup
    case = finished_case(food_licence, "13857012345")
    phone.goto(f"{url}/track/")
    phone.get_by_label("查询号").fill(case.display_number)
    phone.get_by_label("手机号").fill(case.phone)
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state()
    phone.get_by_role("link", name="评价本次服务").click()
    phone.wait_for_load_state()
    assert phone.locator("input[name=level]:checked").count() == 0
    # the script shows the tags of the chosen level only
    assert not phone.get_by_label("办事快捷").is_visible()
    phone.get_by_label("满意", exact=True).check()
    assert not phone.get_by_label("态度不好").is_visible()
    phone.get_by_label("办事快捷").check()
    shoot(phone, "rating-form")
    assert serious_axe_violations(phone) == []
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="感谢您的评价").is_visible()
    assert phone.get_by_text("办事快捷").is_visible()
    shoot(phone, "rating-thanks")
    assert serious_axe_violations(phone) == []
    phone.get_by_role("link", name="返回办件查询").click()
    phone.wait_for_load_state()
    panel = phone.locator("section.rating-panel")
    assert panel.get_by_text("满意", exact=True).is_visible()
    assert panel.get_by_text("办事快捷").is_visible()
    assert phone.get_by_role("link", name="评价本次服务").count() == 0
    shoot(phone, "rating-status-page")
    assert serious_axe_violations(phone) == []

    # channel 2: the signed link of the invitation SMS, in another browser
    other = finished_case(food_licence, "13900002222")
    assert Worker("e2e").run(drain=True) >= 2
    lines = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    (sms,) = [s for s in lines if s["to"] == "13900002222" and "/rate/" in s["text"]]
    (link,) = re.findall(r"https?://\S+", sms["text"])
    assert urlsplit(link).netloc == urlsplit(url).netloc
    page = phone.context.browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(link)
    page.get_by_label("不满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state()
    # a bad level needs a reason: the message stands next to the tags
    assert page.locator("#id_tags_error").get_by_text("不满意的原因").is_visible()
    assert page.locator("input[name=level][value='2']").is_checked()
    shoot(page, "rating-form-error")
    page.get_by_label("多次跑动").check()
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="感谢您的评价").is_visible()
    rating = Rating.objects.get(case=other)
    assert (rating.level, rating.tags, rating.channel) == (2, ["many_visits"], Channel.SMS)
    # the link is used: it shows the recorded rating, never a second form
    page.goto(link)
    assert page.get_by_role("heading", name="已评价").is_visible()
    assert page.get_by_role("button", name="提交评价").count() == 0

    # the form in English, at 375 and 1366 px
    third = finished_case(food_licence, "13900003333")
    from hall.ratings import tokens

    path = urlsplit(tokens.link(third.pk, "finished")).path
    page.goto(f"{url}/language/?language=en&next={path}")
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Submit rating").is_visible()
    shoot(page, "rating-form-en")
    assert serious_axe_violations(page) == []
    page.set_viewport_size(DESKTOP)
    shoot(page, "rating-form-en-desktop")
    page.goto(f"{url}/language/?language=zh-hans&next={path}")
    page.wait_for_load_state()
    shoot(page, "rating-form-desktop")
    page.close()
    assert Rating.objects.count() == 2
