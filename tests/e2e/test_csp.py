"""Pages outside the other journeys, under the Content-Security-Policy: the API
docs (Swagger UI from the static files, its scripts run by nonce) and the back
office's list, change and add forms with their widgets. The fixtures fail the
test on any CSP violation or script error."""

import pytest

from hall.org.demo import DEMO_PASSWORD

from .conftest import log_in

pytestmark = pytest.mark.e2e


def test_api_docs_render_under_their_nonce(hall_server, desktop):
    desktop.goto(hall_server.url + "/api/v1/docs")
    desktop.get_by_text("/api/v1/items/{code}").first.wait_for()
    assert desktop.get_by_text("搜索事项 Search items").first.is_visible()
    desktop.get_by_text("/api/v1/items/{code}").first.click()
    desktop.get_by_role("button", name="Try it out").wait_for()


def test_back_office_forms_work_under_the_policy(hall_server, desktop, food_licence):
    log_in(desktop, hall_server.url, "sysadmin", DEMO_PASSWORD)
    desktop.goto(hall_server.url + "/admin/catalogue/serviceitem/")
    desktop.get_by_role("link", name=food_licence.code).first.click()
    desktop.wait_for_load_state()
    assert "/change/" in desktop.url
    desktop.goto(hall_server.url + "/admin/org/user/")
    desktop.get_by_role("link", name="sysadmin").first.click()
    desktop.wait_for_load_state()
    desktop.goto(hall_server.url + "/admin/workdays/holiday/add/")
    desktop.get_by_role("link", name="今天").first.click()  # the date widget's shortcut
    assert desktop.locator("#id_date").input_value()
