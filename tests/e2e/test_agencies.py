"""中介服务 on a phone: a citizen on an item's guide sees the qualified agencies
(not the expired one), opens one and reads its certificates; the directory's
search finds it by pinyin initials."""

import pytest

from hall.agencies.tests.factories import cert, make_agency
from hall.org.models import Department

from .conftest import serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


def test_a_citizen_finds_a_qualified_agency_from_the_guide(hall_server, phone, make_item):
    department = Department.objects.get(center__region_code="330800", code="SCJG")
    item = make_item(department, "建设项目环境影响报告表审批（示例）")
    make_agency(
        "衢州市华衢环境科技有限公司",
        categories=("eia",),
        items=[item],
        scope="建设项目环境影响报告表编制",
        certificates=[cert("eia", days=400, number="HP-2026-001")],
    )
    make_agency(
        "衢州市旧证环境科技有限公司",
        categories=("eia",),
        items=[item],
        certificates=[cert("eia", days=-2)],
    )
    phone.goto(f"{hall_server.url}/items/{item.code}/")
    panel = phone.locator("section.agency-panel")
    assert panel.get_by_role("heading", name="可选中介服务机构").is_visible()
    assert "旧证环境科技" not in panel.inner_text()
    shoot(phone, "agencies-guide-panel")
    assert serious_axe_violations(phone) == []
    panel.get_by_role("link", name="衢州市华衢环境科技有限公司").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", name="衢州市华衢环境科技有限公司", level=1).is_visible()
    assert "HP-2026-001" in phone.locator("ul.certificates").inner_text()
    assert phone.get_by_role("link", name=item.name).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(phone, "agencies-detail")
    assert serious_axe_violations(phone) == []

    phone.get_by_role("link", name="中介服务", exact=True).first.click()
    phone.get_by_label("机构名称、类别或服务范围").fill("hqhj")
    phone.get_by_role("button", name="查找").click()
    phone.wait_for_load_state()
    results = phone.locator("ol.agency-results")
    assert "华衢环境科技" in results.inner_text()
    assert serious_axe_violations(phone) == []
