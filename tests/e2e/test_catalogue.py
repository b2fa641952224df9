"""Catalogue journeys on a phone: search → guide → download a form; and a
department editor's change that is published at once and filed with the center."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile

from hall.catalogue.demo import _docx_bytes, _pdf_bytes
from hall.catalogue.models import Filing, Material, ServiceItem
from hall.catalogue.services import item_next_code, item_record_change, item_refresh_search_text
from hall.org.demo import DEMO_PASSWORD
from hall.org.models import Department

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


@pytest.fixture
def licence(hall_server):
    department = Department.objects.get(center__region_code="330800", code="SCJG")
    item = ServiceItem.objects.create(
        center=department.center,
        department=department,
        code=item_next_code(department=department, item_type="xk"),
        name="企业营业执照设立登记",
        aliases="开公司、公司注册",
        item_type="xk",
        applicant_type="company",
        online_depth=4,
        statutory_days=15,
        promised_days=3,
        conditions="申请人具有完全民事行为能力\n有符合规定的名称和住所",
        procedure="网上申请\n窗口受理\n审查\n核准发照",
        result_name="营业执照",
        place="衢州市行政服务中心一楼",
        hours="周一至周五 8:30—12:00，14:30—17:30",
        contact_phone="0570-3058221",
        complaint_phone="0570-3058100",
        legal_basis_text="《中华人民共和国市场主体登记管理条例》第三条",
    )
    form = Material.objects.create(
        item=item, name="公司登记（备案）申请书", submission="online", sort_order=0
    )
    form.template.save("t.pdf", ContentFile(_pdf_bytes(form.name, item.name, False)), save=False)
    form.template_name = "公司登记（备案）申请书（空白表格）.pdf"
    form.example.save("e.docx", ContentFile(_docx_bytes(form.name, item.name, True)), save=False)
    form.example_name = "公司登记（备案）申请书（填写范例）.docx"
    form.save()
    Material.objects.create(
        item=item,
        name="住所使用证明",
        submission="onsite",
        original_or_copy="original",
        sort_order=1,
    )
    item_refresh_search_text(item)
    item_record_change(actor=None, item=item, before=None, action="create")
    return item


def test_search_open_guide_and_download_forms_on_a_phone(hall_server, phone, licence):
    phone.goto(hall_server.url + "/")
    phone.get_by_label("搜索全站").fill("营业")
    phone.get_by_role("button", name="搜索").click()
    phone.wait_for_load_state()
    # The home page's box searches every column; the items come first, with a count.
    assert phone.get_by_role("heading", name="办事事项", level=2).is_visible()
    assert phone.locator("mark", has_text="营业").first.is_visible()
    shoot(phone, "search-results")
    assert serious_axe_violations(phone) == []
    phone.get_by_role("link", name="企业营业执照设立登记").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="企业营业执照设立登记", level=1).is_visible()
    rows = phone.locator("table.materials tbody tr")
    assert "在线提交" in rows.nth(0).inner_text()
    assert "现场提交" in rows.nth(1).inner_text()
    assert phone.get_by_role("heading", name="下一步怎么办").is_visible()
    shoot(phone, "item-guide")
    assert serious_axe_violations(phone) == []
    # the form downloads sit inside the 375-px screen: no sideways scrolling to reach them
    width = phone.viewport_size["width"]
    for name in ("空白表格：公司登记（备案）申请书", "填写范例：公司登记（备案）申请书"):
        box = phone.get_by_role("link", name=name).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    assert phone.evaluate("document.documentElement.scrollWidth") <= width
    scrolls = phone.evaluate(
        "[...document.querySelectorAll('.table-scroll')].filter(e => e.scrollWidth > e.clientWidth).length"
    )
    assert scrolls == 0

    with phone.expect_download() as info:
        phone.get_by_role("link", name="空白表格：公司登记（备案）申请书").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    with phone.expect_download() as info:
        phone.get_by_role("link", name="填写范例：公司登记（备案）申请书").click()
    with open(info.value.path(), "rb") as f:
        names = zipfile.ZipFile(io.BytesIO(f.read())).namelist()
    assert "word/document.xml" in names


def test_department_changes_a_time_limit_and_the_center_sees_the_diff(
    hall_server, desktop, phone, licence
):
    log_in(desktop, hall_server.url, "scjg_admin", DEMO_PASSWORD)
    desktop.goto(f"{hall_server.url}/admin/catalogue/serviceitem/{licence.pk}/change/")
    desktop.get_by_label("承诺时限（工作日）").fill("2")
    desktop.get_by_role("button", name="保存", exact=True).click()
    desktop.wait_for_load_state()
    assert "已报中心备案" in desktop.content()

    phone.goto(f"{hall_server.url}/items/{licence.code}/")
    assert phone.get_by_text("2 个工作日").first.is_visible()

    desktop.goto(f"{hall_server.url}/staff/")
    desktop.get_by_role("button", name="退出").click()
    log_in(desktop, hall_server.url, "city_admin", DEMO_PASSWORD)
    desktop.goto(f"{hall_server.url}/staff/catalogue/filings/")
    desktop.get_by_role("link", name="企业营业执照设立登记").first.click()
    desktop.wait_for_load_state()
    row = desktop.locator("table.diff tbody tr").first
    assert row.locator("th").inner_text() == "承诺时限（工作日）"
    assert row.locator("td.old").inner_text() == "3"
    assert row.locator("td.new").inner_text() == "2"
    shoot(desktop, "filing-diff")
    assert serious_axe_violations(desktop) == []
    desktop.get_by_label("审阅结果").select_option("review")
    desktop.get_by_role("button", name="提交审阅结果").click()
    desktop.wait_for_load_state()
    assert Filing.objects.filter(
        item=licence, status="reviewed", changed_by__username="scjg_admin"
    ).exists()
