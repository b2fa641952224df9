"""Foundation journeys: home on phone and desktop, language, staff login,
lockout and cool-off, and a county clerk kept out of the city's departments."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from hall.org.demo import DEMO_PASSWORD
from hall.org.models import Department

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_home_page_reads_well_on_phone_and_desktop(hall_server, request, viewport):
    page = request.getfixturevalue(viewport)
    page.goto(hall_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", name="网上办事大厅").is_visible()
    assert page.get_by_role("navigation", name="主导航").is_visible()
    assert page.get_by_role("link", name="办事指南").first.is_visible()
    assert page.get_by_text(settings.HALL_PHONE).first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "no sideways scrolling"
    # The skip link is the first thing a keyboard reaches, and it is visible then.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到主要内容"
    shoot(page, f"home-{viewport}")
    assert serious_axe_violations(page) == []


def test_switch_to_english_and_back(hall_server, phone):
    phone.goto(hall_server.url + "/")
    phone.get_by_label("语言").select_option("en")
    phone.get_by_role("button", name="切换").click()
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("link", name="Service guides").first.is_visible()
    shoot(phone, "home-english")
    phone.get_by_label("Language").select_option("zh-hans")
    phone.get_by_role("button", name="Switch").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("link", name="办事指南").first.is_visible()


def test_staff_login_lands_on_the_role_page(hall_server, desktop):
    desktop.goto(hall_server.url + "/staff/login/")
    shoot(desktop, "staff-login")
    assert serious_axe_violations(desktop) == []
    log_in(desktop, hall_server.url, "city_admin", DEMO_PASSWORD)
    assert desktop.url.endswith("/staff/")
    assert desktop.get_by_role("heading", name="您好，周建国（city_admin）").is_visible()
    assert desktop.get_by_role("link", name="后台管理").first.is_visible()
    assert desktop.get_by_role("link", name="审计日志").first.is_visible()
    shoot(desktop, "staff-landing-center-admin")
    assert serious_axe_violations(desktop) == []
    desktop.get_by_role("button", name="退出").click()
    desktop.wait_for_load_state()
    assert "/staff/login/" in desktop.url


def test_wrong_password_until_lockout_then_cool_off(hall_server, phone):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(phone, hall_server.url, "scjg_clerk", "not-the-password")
        assert phone.get_by_role("alert").inner_text().startswith("用户名或密码不正确")
    log_in(phone, hall_server.url, "scjg_clerk", "not-the-password")
    assert phone.get_by_role("heading", name="账号已暂时锁定").is_visible()
    shoot(phone, "staff-lockout")
    log_in(phone, hall_server.url, "scjg_clerk", DEMO_PASSWORD)
    assert phone.get_by_role("heading", name="账号已暂时锁定").is_visible()
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    with time_machine.travel(later, tick=True):
        log_in(phone, hall_server.url, "scjg_clerk", DEMO_PASSWORD)
        assert phone.url.endswith("/staff/")
        assert phone.get_by_text("窗口工作人员").first.is_visible()


def test_county_clerk_gets_404_for_a_city_department(hall_server, phone):
    log_in(phone, hall_server.url, "kc_scjg_clerk", DEMO_PASSWORD)
    own = Department.objects.get(center__region_code="330802", code="SCJG")
    city = Department.objects.get(center__region_code="330800", code="SCJG")
    response = phone.goto(f"{hall_server.url}/staff/departments/{own.pk}/")
    assert response.status == 200
    assert phone.get_by_role("heading", name=own.name).is_visible()
    shoot(phone, "staff-own-department")
    assert serious_axe_violations(phone) == []
    response = phone.goto(f"{hall_server.url}/staff/departments/{city.pk}/")
    assert response.status == 404
    assert phone.get_by_role("heading", name="页面不存在").is_visible()
    assert city.name not in phone.content()
    response = phone.goto(f"{hall_server.url}/admin/org/department/{city.pk}/change/")
    assert response.status == 404
