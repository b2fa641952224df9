"""A clerk accepts an online case → the worker sends the SMS through the file
gateway → the case page shows it as sent."""

import json
import uuid

import pytest

from conftest import PDF_BYTES, PNG_BYTES
from hall.cases.services import Applicant, case_submit
from hall.notifications.worker import Worker
from hall.org.demo import DEMO_PASSWORD

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


@pytest.fixture
def online_case(food_licence):
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
    return case


def test_acceptance_sms_is_sent_and_shown_on_the_case_page(
    hall_server, desktop, online_case, settings, tmp_path
):
    settings.NOTIFY_GATEWAY = "file"
    settings.NOTIFY_FILE_PATH = str(tmp_path / "sms.jsonl")
    url = hall_server.url
    log_in(desktop, url, "scjg_clerk", DEMO_PASSWORD)
    desktop.goto(f"{url}/staff/cases/{online_case.pk}/")
    desktop.get_by_role("button", name="受理", exact=True).click()
    desktop.wait_for_load_state()
    panel = desktop.locator("table.notifications")
    assert panel.get_by_text("待发送").is_visible()

    assert Worker("e2e").run(drain=True) == 1
    (line,) = (tmp_path / "sms.jsonl").read_text().splitlines()
    sms = json.loads(line)
    assert sms["to"] == "13857012345" and sms["id"].endswith(":accepted:sms:1")
    assert online_case.display_number in sms["text"] and "已受理" in sms["text"]

    desktop.reload()
    row = desktop.locator("table.notifications tbody tr")
    assert row.count() == 1
    assert row.get_by_text("已发送").is_visible()
    assert row.get_by_text("138****2345").is_visible()
    shoot(desktop, "case-notifications")
    assert serious_axe_violations(desktop) == []
