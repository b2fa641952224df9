"""Two-factor login: a center administrator enrols an authenticator app, logs
out, and logs in again with password and code."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from hall.org.demo import DEMO_PASSWORD

from .conftest import log_in, serious_axe_violations, shoot

pytestmark = pytest.mark.e2e


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows for the key it was given."""
    totp = TOTP(b32decode(secret))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_enrol_totp_then_log_in_with_the_code(hall_server, desktop):
    page = desktop
    log_in(page, hall_server.url, "kc_admin", DEMO_PASSWORD)
    assert page.url.endswith("/staff/")  # no device yet: no second step

    page.get_by_role("link", name="账号安全").click()
    page.get_by_role("link", name="启用两步验证").click()
    assert page.get_by_role("heading", name="启用两步验证").is_visible()
    assert page.locator("svg.otp-qr").is_visible()
    shoot(page, "otp-enrol")
    assert serious_axe_violations(page) == []
    secret = page.locator("#otp-secret").get_attribute("data-secret")

    page.get_by_label("6 位验证码").fill("12345")
    page.get_by_role("button", name="确认绑定").click()
    assert page.get_by_text("验证码应为 6 位数字").first.is_visible()

    page.get_by_label("6 位验证码").fill(code_for(secret))
    page.get_by_role("button", name="确认绑定").click()
    page.wait_for_load_state()
    assert page.url.endswith("/staff/account/")
    assert page.get_by_text("两步验证已启用，今后登录时需输入验证码。").is_visible()

    page.get_by_role("button", name="退出").first.click()
    page.wait_for_load_state()
    log_in(page, hall_server.url, "kc_admin", DEMO_PASSWORD)
    assert "/staff/login/code/" in page.url
    assert page.get_by_role("heading", name="两步验证").is_visible()
    shoot(page, "otp-login-code")
    assert serious_axe_violations(page) == []

    # nothing else is reachable before the code
    page.goto(hall_server.url + "/staff/departments/")
    assert "/staff/login/code/" in page.url

    # the code of the next period: the one used to enrol cannot be used again
    page.get_by_label("6 位验证码").fill(code_for(secret, 1))
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state()
    assert page.url.endswith("/staff/departments/")
    page.get_by_role("link", name="账号安全").click()
    page.get_by_role("link", name="查看并结束其他会话").click()
    assert page.get_by_text("当前会话").is_visible()
