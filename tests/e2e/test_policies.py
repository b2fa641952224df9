"""On a phone: a department admin writes a document, attaches a file and
publishes it; the public finds it by search in the column and on the item's guide."""

import pytest

from conftest import PDF_BYTES
from hall.org.demo import DEMO_PASSWORD

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


def test_department_admin_publishes_and_the_public_finds_it(
    hall_server, phone, food_licence, tmp_path
):
    base = hall_server.url
    page = phone
    log_in(page, base, "scjg_admin", DEMO_PASSWORD)
    page.goto(f"{base}/staff/policies/new/")
    page.get_by_label("标题").fill("关于优化食品经营许可告知承诺办理的通知")
    page.get_by_label("文号").fill("衢市监发【2026】21号")
    page.get_by_label("发文机关").fill("衢州市市场监督管理局")
    page.get_by_label("文件类别").select_option(label="工作通知")
    page.get_by_label("发文日期").fill("2026-11-02")
    page.get_by_label("施行日期").fill("2026-11-02")
    page.get_by_label("正文").fill("一、适用范围\n二、办理流程")
    page.get_by_label("相关事项").select_option(label=f"食品经营许可（{food_licence.code}）")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("文件已保存，并已报中心备案").wait_for()
    assert page.get_by_text("衢市监发〔2026〕21号").is_visible()
    pdf = tmp_path / "办理流程.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.get_by_label("附件文件").set_input_files(str(pdf))
    page.get_by_role("button", name="上传附件").click()
    page.get_by_text("附件已上传").wait_for()
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_text("文件已发布，公众可以查阅").wait_for()
    assert not serious_axe_violations(page)
    shoot(page, "policies-staff-detail-phone")
    # The public: the column's search (initials), the document and its file.
    visitor = page.context.browser.new_context(viewport={"width": 375, "height": 812})
    public = visitor.new_page()
    public.goto(f"{base}/policies/")
    public.get_by_label("关键字").fill("gzcn")
    public.get_by_role("button", name="查找").click()
    public.get_by_role("link", name="关于优化食品经营许可告知承诺办理的通知").click()
    assert public.get_by_text("衢市监发〔2026〕21号").is_visible()
    with public.expect_download() as download:
        public.get_by_role("link", name="办理流程.pdf").click()
    assert download.value.suggested_filename == "办理流程.pdf"
    assert not serious_axe_violations(public)
    assert public.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(public, "policies-detail-phone")
    # …and on the item's guide.
    public.goto(f"{base}/items/{food_licence.code}/")
    section = public.locator("#sec-policies").locator("..")
    assert section.get_by_role("link", name="关于优化食品经营许可告知承诺办理的通知").is_visible()
    visitor.close()
