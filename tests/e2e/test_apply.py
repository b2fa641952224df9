"""Applying online on a phone and settling the materials with the clerk:
apply with two files → query number → status; the clerk asks for corrections →
the applicant replaces a file and resubmits → the clerk sees it and accepts."""

import pytest

from hall.cases.models import Case
from hall.catalogue.demo import _pdf_bytes
from hall.org.demo import DEMO_PASSWORD

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


@pytest.fixture
def files(tmp_path):
    from hall.cases.demo import _png

    pdf = tmp_path / "申请书.pdf"
    pdf.write_bytes(_pdf_bytes("食品经营许可申请书", "食品经营许可", True))
    png = tmp_path / "平面图.png"
    png.write_bytes(_png())
    signed = tmp_path / "申请书（已签字）.pdf"
    signed.write_bytes(_pdf_bytes("食品经营许可申请书（已签字）", "食品经营许可", True))
    return {"pdf": str(pdf), "png": str(png), "signed": str(signed)}


def test_apply_correct_resubmit_accept(hall_server, phone, desktop, food_licence, files):
    url = hall_server.url
    # the applicant applies on a phone
    phone.goto(f"{url}/items/{food_licence.code}/")
    phone.get_by_role("link", name="网上申报").click()
    phone.wait_for_load_state()
    assert serious_axe_violations(phone) == []
    shoot(phone, "apply-form")
    phone.get_by_label("申请人类型").select_option("person")
    phone.get_by_label("申请人（单位）名称").fill("张三")
    phone.get_by_label("证件号码").fill("11010519491231002X")
    phone.get_by_label("手机号码").fill("13857012345")
    phone.get_by_label("食品经营许可申请书").set_input_files(files["pdf"])
    phone.get_by_label("经营场所平面图").set_input_files(files["png"])
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_load_state()
    number = phone.locator(".query-number").inner_text()
    case = Case.objects.get()
    assert number == case.display_number
    assert phone.get_by_text("营业执照原件").first.is_visible()
    shoot(phone, "apply-receipt")
    assert serious_axe_violations(phone) == []
    phone.get_by_role("link", name="查看办理状态").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已提交（待预审）").first.is_visible()
    assert phone.locator("img.preview").count() == 1
    shoot(phone, "status-submitted")
    assert serious_axe_violations(phone) == []

    # the clerk asks for corrections, listing everything at once
    log_in(desktop, url, "scjg_clerk", DEMO_PASSWORD)
    desktop.goto(f"{url}/staff/cases/")
    desktop.get_by_role("link", name=case.display_number).click()
    desktop.wait_for_load_state()
    shoot(desktop, "clerk-case")
    assert serious_axe_violations(desktop) == []
    desktop.get_by_label("食品经营许可申请书", exact=True).check()
    desktop.get_by_label("食品经营许可申请书：补正要求").fill("缺少申请人签字")
    desktop.get_by_role("button", name="发出补正告知").click()
    desktop.wait_for_load_state()
    assert desktop.get_by_text("补正告知已发出").is_visible()

    # the applicant checks with number + last four digits, sees the list, replaces the form
    phone.context.clear_cookies()
    phone.goto(f"{url}/track/")
    phone.get_by_label("查询号").fill(number.lower())
    phone.get_by_label("手机号码或其后四位").fill("2345")
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("缺少申请人签字").is_visible()
    phone.get_by_label("申请备注").fill("已补签字。")
    phone.get_by_label("食品经营许可申请书", exact=True).set_input_files(files["signed"])
    phone.get_by_label("食品经营许可申请书：申请书.pdf").check()
    phone.get_by_role("button", name="重新提交").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("已重新提交").is_visible()
    shoot(phone, "status-resubmitted")

    # the clerk sees what changed, and accepts
    desktop.reload()
    assert desktop.get_by_role("heading", name="第 2 轮的变化").is_visible()
    assert desktop.get_by_text("已补签字。").first.is_visible()
    assert desktop.locator("li.added", has_text="申请书（已签字）.pdf").is_visible()
    desktop.get_by_role("button", name="受理", exact=True).click()
    desktop.wait_for_load_state()

    phone.reload()
    assert phone.locator("strong.status", has_text="已受理").is_visible()
    case.refresh_from_db()
    assert case.status == "accepted" and case.round == 2


def test_files_stay_attached_after_a_mistake_on_a_phone(hall_server, phone, food_licence, files):
    url = hall_server.url
    phone.goto(f"{url}/items/{food_licence.code}/apply/")
    phone.get_by_label("申请人（单位）名称").fill("张三")
    phone.get_by_label("证件号码").fill("11010519491231002X")
    phone.get_by_label("手机号码").fill("1385701")  # one digit group short
    phone.get_by_label("食品经营许可申请书").set_input_files(files["pdf"])
    phone.get_by_label("经营场所平面图").set_input_files(files["png"])
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_load_state()
    assert Case.objects.count() == 0
    assert phone.get_by_text("已上传的文件都保留着").is_visible()
    kept = phone.locator("p.kept")
    assert kept.count() == 2
    assert "申请书.pdf" in kept.nth(0).inner_text() and "平面图.png" in kept.nth(1).inner_text()
    shoot(phone, "apply-files-kept")
    assert serious_axe_violations(phone) == []
    # only the phone is corrected; no file is chosen again
    phone.get_by_label("手机号码").fill("13857012345")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_load_state()
    case = Case.objects.get()
    assert phone.locator(".query-number").inner_text() == case.display_number
    assert case.files.count() == 2
