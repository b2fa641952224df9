"""Every public page a visitor can reach, on a phone: answers its own status and
content, in Chinese, with no serious or critical axe violation."""

import pytest

from hall.catalogue.models import Regulation, RegulationArticle, ServiceItem, Theme
from hall.catalogue.services import item_next_code, item_refresh_search_text
from hall.org.models import Center, Department

from .conftest import serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


@pytest.fixture
def content(hall_server):
    department = Department.objects.get(center__region_code="330800", code="SCJG")
    item = ServiceItem.objects.create(
        center=department.center,
        department=department,
        code=item_next_code(department=department, item_type="xk"),
        name="食品经营许可",
        item_type="xk",
        applicant_type="company",
        online_depth=2,
        statutory_days=20,
        promised_days=5,
    )
    item.themes.add(Theme.objects.create(slug="food", name="餐饮开店", audience="company"))
    item_refresh_search_text(item)
    regulation = Regulation.objects.create(
        center=Center.objects.get(region_code="330800"),
        title="中华人民共和国食品安全法",
        issuer="全国人民代表大会常务委员会",
        level="law",
    )
    RegulationArticle.objects.create(
        regulation=regulation, number="第一条", text="为了保证食品安全，制定本法。"
    )
    return {"item": item, "regulation": regulation, "department": department}


def test_public_pages_are_accessible_on_a_phone(hall_server, phone, content):
    item, regulation, department = content["item"], content["regulation"], content["department"]
    listed = ("共 1 个事项", "食品经营许可", "衢州市市场监督管理局 · 承诺 5 个工作日")
    # name: (path, status, heading, what the page's main part must say)
    pages = {
        "guide": (
            "/guide/",
            200,
            "办事指南",
            ("按服务对象", "餐饮开店", "衢州市市场监督管理局 1 项"),
        ),
        "guide-department": (
            f"/guide/?department={department.pk}",
            200,
            "办事指南：衢州市市场监督管理局",
            listed,
        ),
        "guide-theme": ("/guide/?theme=food", 200, "办事指南：餐饮开店", listed),
        "guide-company": ("/guide/?applicant=company", 200, "办事指南：企业", listed),
        "search-empty": (
            "/search/?q=不存在的事项",
            200,
            "搜索事项",
            ("没有找到与“不存在的事项”相关的事项。",),
        ),
        "item-print": (
            f"/items/{item.code}/print/",
            200,
            "食品经营许可",
            (item.code, "二级：网上下载申请表格", "20 个工作日"),
        ),
        "apply-unavailable": (
            f"/items/{item.code}/apply/",
            200,
            "食品经营许可",
            ("该事项暂不支持网上申报。", "查看办事指南"),
        ),
        "regulations": ("/regulations/", 200, "政策法规", ("共 1 件", regulation.title)),
        "regulation": (
            f"/regulations/{regulation.pk}/",
            200,
            regulation.title,
            ("现行有效", "第一条", "为了保证食品安全，制定本法。"),
        ),
        "track": ("/track/", 200, "办件查询", ("查询号", "手机号码或其后四位")),
        "column": ("/columns/qa/", 200, "网上答疑", ("向部门提问，查看已公开的答复。",)),
        "not-found": ("/no-such-page/", 404, "页面不存在", ("返回首页",)),
    }
    for name, (path, status, heading, texts) in pages.items():
        response = phone.goto(hall_server.url + path)
        assert response.status == status, path
        assert phone.locator("html").get_attribute("lang") == "zh-CN"
        assert phone.locator("h1").first.inner_text() == heading, path
        main = phone.locator("main").inner_text()
        for text in texts:
            assert text in main, (path, text)
        shoot(phone, f"public-{name}")
        assert serious_axe_violations(phone) == [], path
