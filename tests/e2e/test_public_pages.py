"""Every public page a visitor can reach, on a phone: loads in Chinese and has no
serious or critical axe violation."""

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
    pages = {
        "guide": "/guide/",
        "guide-department": f"/guide/?department={department.pk}",
        "guide-theme": "/guide/?theme=food",
        "guide-company": "/guide/?applicant=company",
        "search-empty": "/search/?q=不存在的事项",
        "item-print": f"/items/{item.code}/print/",
        "apply-unavailable": f"/items/{item.code}/apply/",
        "regulations": "/regulations/",
        "regulation": f"/regulations/{regulation.pk}/",
        "track": "/track/",
        "column": "/columns/qa/",
        "not-found": "/no-such-page/",
    }
    for name, path in pages.items():
        response = phone.goto(hall_server.url + path)
        assert response.status in (200, 404), path
        assert phone.locator("html").get_attribute("lang") == "zh-CN"
        shoot(phone, f"public-{name}")
        assert serious_axe_violations(phone) == [], path
