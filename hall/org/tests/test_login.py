"""Staff login: sessions, lockout with cool-off, demo accounts, hostile input."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse
from django.utils import timezone

from hall.core.constants import AuditAction
from hall.core.models import AuditEntry
from hall.org.demo import DEMO_PASSWORD
from hall.org.models import Center, Department, Staff, User

pytestmark = pytest.mark.django_db
LOGIN = reverse("org:login")


def post_login(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def counts():
    return (
        User.objects.count(),
        Staff.objects.count(),
        Department.objects.count(),
        Center.objects.count(),
    )


def test_login_succeeds_renews_session_and_lands_on_the_staff_page(client):
    client.get(LOGIN)
    client.session["probe"] = 1
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    response = post_login(client, "scjg_clerk", DEMO_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("org:landing")
    after = client.cookies[settings.SESSION_COOKIE_NAME]
    assert before is None or before.value != after.value
    assert after["httponly"] is True
    assert after["samesite"] == "Lax"
    landing = client.get(reverse("org:landing"))
    assert "王丽娟" in landing.content.decode()
    assert "窗口工作人员" in landing.content.decode()


def test_passwords_are_hashed_with_argon2(user_named):
    assert identify_hasher(user_named("scjg_clerk").password).algorithm == "argon2"


def test_production_hashes_with_djangos_argon2_at_its_full_cost():
    # The test run swaps in a light argon2 (conftest.py); the settings module
    # itself must keep Django's, whose cost is argon2-cffi's recommended one.
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from hall import settings as hall_settings

    assert hall_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert Argon2PasswordHasher.memory_cost >= 102400


def test_wrong_password_gets_a_chinese_message_and_one_audit_entry(client):
    before = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count()
    response = post_login(client, "scjg_clerk", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == before + 1
    entry = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).first()
    assert entry.data["username"] == "scjg_clerk"
    assert entry.ip_address == "10.1.1.1"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "", "请输入用户名"),
        ("scjg_clerk", "", "请输入密码"),
        ("x" * 10_000, "whatever", "用户名不能超过 150 个字符"),
        ("scjg_clerk", "p" * 10_000, "密码不能超过 128 个字符"),
        ("' OR 1=1 --", "' OR '1'='1", "用户名或密码不正确"),
        ("<script>alert(1)</script>", "<b>x</b>", "用户名或密码不正确"),
        ("../../etc/passwd", "x", "用户名或密码不正确"),
    ],
    ids=["empty", "no-password", "10k-username", "10k-password", "sql", "html", "path"],
)
def test_bad_login_input_is_refused_in_chinese_and_changes_nothing(
    client, username, password, message
):
    before = counts()
    response = client.post(LOGIN, {"username": username, "password": password})
    body = response.content.decode()
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert message in body
        assert "<script>alert(1)</script>" not in body
    assert "_auth_user_id" not in client.session
    assert counts() == before


def test_undecodable_bytes_are_refused_in_chinese(client):
    before = counts()
    response = client.generic(
        "POST",
        LOGIN,
        b"username=%FF%FE%00admin&password=%00%C3%28",
        content_type="application/x-www-form-urlencoded",
    )
    # NUL characters are refused by field validation, before any password check.
    assert response.status_code == 200
    assert "空字符" in response.content.decode()
    assert counts() == before
    assert "_auth_user_id" not in client.session


def test_lockout_after_the_failure_limit_then_cool_off(client):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert post_login(client, "kc_scjg_clerk", "bad-password").status_code == 200
    locked = post_login(client, "kc_scjg_clerk", "bad-password")
    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    assert (
        AuditEntry.objects.filter(action=AuditAction.LOCKED_OUT, actor_name="kc_scjg_clerk").count()
        == 1
    )
    # Even the right password is refused while locked; trying does not extend the lock.
    assert post_login(client, "kc_scjg_clerk", DEMO_PASSWORD).status_code == 429
    # Someone at another address cannot lock the clerk out of their own desk.
    assert post_login(client, "kc_scjg_clerk", DEMO_PASSWORD, ip="10.9.9.9").status_code == 302
    client.logout()
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=5)
    with time_machine.travel(later, tick=False):
        response = post_login(client, "kc_scjg_clerk", DEMO_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("org:landing")


def test_demo_accounts_are_refused_outside_demo_mode(client, settings):
    settings.DEMO_MODE = False
    response = post_login(client, "city_admin", DEMO_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client):
    assert post_login(client, "scjg_clerk", DEMO_PASSWORD).status_code == 302
    assert client.get(reverse("org:logout")).status_code == 405
    response = client.post(reverse("org:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert (
        AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor_name="scjg_clerk").count() == 1
    )


def test_login_without_csrf_token_is_refused_in_chinese():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    before = AuditEntry.objects.count()
    response = client.post(LOGIN, {"username": "scjg_clerk", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert AuditEntry.objects.count() == before
    assert "_auth_user_id" not in client.session


def test_successful_login_writes_exactly_one_entry(client):
    before = AuditEntry.objects.filter(action=AuditAction.LOGIN).count()
    post_login(client, "city_admin", DEMO_PASSWORD)
    entries = AuditEntry.objects.filter(action=AuditAction.LOGIN)
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry.actor.username == "city_admin"
    assert entry.center_id == Center.objects.get(region_code="330800").pk
