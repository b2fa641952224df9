"""The back office and the API docs for people with screen readers, keyboards
and a 1366-px screen: no serious or critical axe findings, no page wider than
the screen, Chinese section names in Chinese mode, and a language on the docs."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from hall.org.demo import DEMO_PASSWORD

from .conftest import PHONE, log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


def serious_form_violations(page) -> list[str]:
    """serious_axe_violations for a back-office form. Without preloading:
    axe re-creates imported stylesheets (Django's forms.css imports
    widgets.css) as inline <style> elements, which the Content-Security-Policy
    rightly blocks and the page fixtures report."""
    violations = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    return [
        f"{v['impact']}: {v['id']} ({len(v['nodes'])}) {v['nodes'][0]['html'][:120]}"
        for v in violations.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def item_with_rows(food_licence):
    """The item with a row in each of its table-like sections (form fields,
    FAQ), whose inputs stand under column headers, not beside labels."""
    from hall.catalogue.models import ApplicationField, ItemFAQ

    ApplicationField.objects.create(
        item=food_licence, key="shop_name", label="店铺名称", help_text="与营业执照一致"
    )
    ItemFAQ.objects.create(item=food_licence, question="多久能办好？", answer="五个工作日。")
    return food_licence


def test_admin_item_form_fits_and_passes_axe(hall_server, desktop, item_with_rows):
    log_in(desktop, hall_server.url, "sysadmin", DEMO_PASSWORD)
    desktop.goto(f"{hall_server.url}/admin/catalogue/serviceitem/{item_with_rows.pk}/change/")
    desktop.locator("#content-main form").wait_for()
    shoot(desktop, "admin-item-form-1366")
    width = desktop.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the item form is {width}px wide"
    violations = serious_form_violations(desktop)
    assert not violations, "\n".join(violations)
    desktop.set_viewport_size(PHONE)
    shoot(desktop, "admin-item-form-375")


def test_admin_changelist_passes_axe(hall_server, desktop, food_licence):
    log_in(desktop, hall_server.url, "sysadmin", DEMO_PASSWORD)
    desktop.goto(f"{hall_server.url}/admin/catalogue/serviceitem/")
    desktop.locator("#result_list").wait_for()
    shoot(desktop, "admin-item-list-1366")
    violations = serious_axe_violations(desktop)
    assert not violations, "\n".join(violations)


def test_admin_index_speaks_chinese(hall_server, desktop):
    log_in(desktop, hall_server.url, "sysadmin", DEMO_PASSWORD)
    desktop.goto(f"{hall_server.url}/admin/")
    desktop.locator("#content-main").wait_for()
    shoot(desktop, "admin-index-1366")
    text = desktop.locator("body").inner_text()
    assert "AXES" not in text.upper()
    assert "Access attempts" not in text
    assert "TOTP devices" not in text
    assert "登录防护" in text and "登录尝试" in text and "动态口令设备" in text
    html = desktop.content()  # the table headers read out by screen readers
    assert "Model name" not in html and "Add link" not in html
    assert "模型名称" in html


def test_api_docs_have_a_language_and_pass_axe(hall_server, desktop):
    desktop.goto(hall_server.url + "/api/v1/docs")
    desktop.get_by_text("/api/v1/items/{code}").first.wait_for()
    assert desktop.evaluate("document.documentElement.lang")
    shoot(desktop, "api-docs-1366")
    violations = serious_axe_violations(desktop)
    assert not violations, "\n".join(violations)
    desktop.set_viewport_size(PHONE)
    shoot(desktop, "api-docs-375")
