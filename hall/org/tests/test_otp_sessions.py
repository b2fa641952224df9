"""Two-factor login (TOTP), required enrolment, idle timeout, and the list of
an account's sessions with the power to end the others."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hall.core.models import AuditEntry
from hall.org.demo import DEMO_PASSWORD
from hall.org.models import StaffSession, User

pytestmark = pytest.mark.django_db

LOGIN = reverse("org:login")
CODE = reverse("org:login_code")
LANDING = reverse("org:landing")
ENROL = reverse("org:otp_enrol")
REMOVE = reverse("org:otp_remove")
SESSIONS = reverse("org:sessions")
END = reverse("org:session_end")
SCRIPT = "<script>alert(1)</script>"


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or `steps_ahead` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code no step within the device's tolerance accepts."""
    valid = {code_of(device, n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def with_device(username: str) -> TOTPDevice:
    """An account that enrolled an authenticator app before."""
    return TOTPDevice.objects.create(
        user=User.objects.get(username=username), name="authenticator", confirmed=True
    )


def post_login(client, username, password=DEMO_PASSWORD, ip="10.2.2.2", agent="Firefox"):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT=agent,
    )


def audit_count(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# ---- the second step of a login -------------------------------------------------------


def test_login_with_a_device_asks_for_the_code_then_lets_in(client):
    device = with_device("scjg_clerk")
    response = post_login(client, "scjg_clerk")
    assert response.status_code == 302
    assert response["Location"].startswith(CODE + "?next=")

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "6 位验证码" in page.content.decode()

    key_before = client.cookies[settings.SESSION_COOKIE_NAME].value
    done = client.post(CODE, {"code": code_of(device), "next": LANDING})
    assert done.status_code == 302 and done["Location"] == LANDING
    assert client.get(LANDING).status_code == 200
    # the verified session has a new key, and the session list follows it
    key_after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key_after != key_before
    assert StaffSession.objects.filter(user=device.user, ended_at__isnull=True).count() == 1


def test_login_without_a_device_has_no_second_step(client):
    response = post_login(client, "scjg_clerk")
    assert response.status_code == 302 and response["Location"] == LANDING
    assert client.get(LANDING).status_code == 200


def test_wrong_code_is_refused_audited_and_throttled(client):
    device = with_device("scjg_clerk")
    post_login(client, "scjg_clerk")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        refused = client.post(CODE, {"code": wrong_code(device)})
        assert refused.status_code == 200
        assert "验证码不正确" in refused.content.decode()
        assert audit_count("org.otp_failed") == 1
        assert client.get(LANDING)["Location"].startswith(CODE)

        # right away, even the right code waits: django-otp's throttle
        throttled = client.post(CODE, {"code": code_of(device)})
        assert throttled.status_code == 200
        assert "秒后再试" in throttled.content.decode()
        assert client.get(LANDING)["Location"].startswith(CODE)

        clock.shift(timedelta(seconds=2))
        assert client.post(CODE, {"code": code_of(device)}).status_code == 302
        assert client.get(LANDING).status_code == 200


def test_a_code_is_used_once(client):
    device = with_device("scjg_clerk")
    post_login(client, "scjg_clerk")
    code = code_of(device)
    assert client.post(CODE, {"code": code}).status_code == 302
    client.post(reverse("org:logout"))
    post_login(client, "scjg_clerk")
    replay = client.post(CODE, {"code": code})
    assert replay.status_code == 200
    assert client.get(LANDING)["Location"].startswith(CODE)


@pytest.mark.parametrize(
    "path",
    [
        LANDING,
        reverse("cases:queue"),
        reverse("org:departments"),
        reverse("org:account"),
        SESSIONS,
        ENROL,
        reverse("admin:index"),
        "/staff/no-such-page/",
    ],
)
def test_no_staff_page_before_the_code(client, path):
    with_device("city_admin")
    post_login(client, "city_admin")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(CODE + "?next=")
    # a POST is turned away too, and changes nothing
    before = StaffSession.objects.filter(ended_at__isnull=False).count()
    assert client.post(END, {"session": "all"})["Location"].startswith(CODE)
    assert StaffSession.objects.filter(ended_at__isnull=False).count() == before


def test_the_next_page_survives_the_code_step(client):
    device = with_device("scjg_clerk")
    queue = reverse("cases:queue")
    step = client.post(LOGIN, {"username": "scjg_clerk", "password": DEMO_PASSWORD, "next": queue})
    assert step["Location"] == f"{CODE}?next={queue.replace('/', '%2F')}"
    done = client.post(CODE, {"code": code_of(device), "next": queue})
    assert done["Location"] == queue
    # an outside address is not followed
    client.post(reverse("org:logout"))
    post_login(client, "scjg_clerk")
    outside = client.post(CODE, {"code": code_of(device, 1), "next": "https://evil.example/"})
    assert outside["Location"] == LANDING


# ---- enrolment --------------------------------------------------------------------------


def test_enrol_confirm_then_login_asks_for_the_code(client, login_as):
    login_as("scjg_clerk")
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<script" not in html and "style=" not in html
    device = TOTPDevice.objects.get(user__username="scjg_clerk")
    assert not device.confirmed
    assert device.bin_key  # the key shown is the device's
    from base64 import b32encode

    assert b32encode(device.bin_key).decode() in html

    done = client.post(ENROL, {"code": code_of(device)})
    assert done.status_code == 302 and done["Location"] == reverse("org:account")
    device.refresh_from_db()
    assert device.confirmed
    assert audit_count("org.otp_enrol") == 1
    assert client.get(LANDING).status_code == 200  # this session is verified

    client.post(reverse("org:logout"))
    assert post_login(client, "scjg_clerk")["Location"].startswith(CODE)


def test_enrol_with_a_wrong_code_confirms_nothing(client, login_as):
    login_as("scjg_clerk")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user__username="scjg_clerk")
    response = client.post(ENROL, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert audit_count("org.otp_enrol") == 0


@override_settings(HTTPS_ONLY=True)
@pytest.mark.parametrize("username", ["city_admin", "kc_admin", "sysadmin"])
def test_center_admins_and_superusers_must_enrol_under_https_only(client, username):
    assert post_login(client, username).status_code == 302
    for path in (LANDING, reverse("org:departments"), SESSIONS, reverse("admin:index")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == ENROL, path
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "您的角色须启用两步验证" in page.content.decode()
    device = TOTPDevice.objects.get(user__username=username)
    assert client.post(ENROL, {"code": code_of(device)}).status_code == 302
    assert client.get(LANDING).status_code == 200


@override_settings(HTTPS_ONLY=True)
def test_other_roles_may_but_need_not_enrol(client):
    post_login(client, "scjg_clerk")
    assert client.get(LANDING).status_code == 200


def test_without_https_only_a_center_admin_need_not_enrol(client):
    post_login(client, "city_admin")
    assert client.get(LANDING).status_code == 200


# ---- removing the device ----------------------------------------------------------------


def _verified_client(username: str) -> tuple[Client, TOTPDevice]:
    device = with_device(username)
    client = Client()
    post_login(client, username)
    assert client.post(CODE, {"code": code_of(device)}).status_code == 302
    return client, device


def test_removing_the_device_needs_the_password_or_a_current_code():
    client, device = _verified_client("scjg_clerk")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        refused = client.post(REMOVE, {"password": "not-the-password"})
        assert refused.status_code == 200
        assert "验证码或密码不正确" in refused.content.decode()
        assert TOTPDevice.objects.filter(pk=device.pk).exists()
        clock.shift(timedelta(seconds=2))
        assert client.post(REMOVE, {"password": DEMO_PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(user=device.user).exists()
    assert audit_count("org.otp_remove") == 1

    # and with a code
    client, device = _verified_client("kc_scjg_clerk")
    assert client.post(REMOVE, {"code": code_of(device, 1)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=device.user).exists()
    assert audit_count("org.otp_remove") == 2


# ---- idle timeout -----------------------------------------------------------------------


def test_an_idle_session_ends_and_the_next_request_goes_to_the_login(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        post_login(client, "scjg_clerk")
        clock.shift(timedelta(minutes=29))
        assert client.get(LANDING).status_code == 200
        clock.shift(timedelta(minutes=29))  # 58 minutes in, 29 idle
        assert client.get(LANDING).status_code == 200
        clock.shift(timedelta(minutes=settings.STAFF_IDLE_MINUTES + 2))
        response = client.get(LANDING)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN + "?next=")
        page = client.get(response["Location"])
        assert "长时间未操作，已自动退出，请重新登录" in page.content.decode()
        assert "_auth_user_id" not in client.session
        assert not StaffSession.objects.filter(ended_at__isnull=True).exists()


def test_a_session_is_never_ended_before_the_idle_limit(client):
    """last_seen is written once a minute: the unwritten last minute still counts."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post_login(client, "scjg_clerk")
        clock.shift(timedelta(seconds=59))
        assert client.get(LANDING).status_code == 200  # not written: under a minute
        clock.shift(timedelta(minutes=settings.STAFF_IDLE_MINUTES) - timedelta(seconds=1))
        assert client.get(LANDING).status_code == 200


@override_settings(STAFF_IDLE_MINUTES=5)
def test_the_idle_limit_is_configurable(client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post_login(client, "scjg_clerk")
        clock.shift(timedelta(minutes=7))
        assert client.get(LANDING)["Location"].startswith(LOGIN)


def test_last_seen_is_written_at_most_once_a_minute(client):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        post_login(client, "scjg_clerk")
        record = StaffSession.objects.get()
        clock.shift(timedelta(seconds=30))
        client.get(LANDING)
        assert StaffSession.objects.get().last_seen == record.last_seen
        clock.shift(timedelta(seconds=40))
        client.get(LANDING)
        assert StaffSession.objects.get().last_seen == timezone.now()


# ---- the session list -------------------------------------------------------------------


def test_list_sessions_and_end_another_one():
    here, there = Client(), Client()
    post_login(here, "scjg_clerk", ip="10.3.3.3", agent="Chromium here")
    post_login(there, "scjg_clerk", ip="10.4.4.4", agent="Firefox there")
    there_key = there.cookies[settings.SESSION_COOKIE_NAME].value

    page = here.get(SESSIONS)
    html = page.content.decode()
    assert page.status_code == 200
    assert "10.3.3.3" in html and "10.4.4.4" in html
    assert html.count("当前会话") == 1
    other = StaffSession.objects.get(ip_address="10.4.4.4")

    ended = here.post(END, {"session": str(other.pk)})
    assert ended.status_code == 302
    assert audit_count("org.session_end") == 1
    assert not Session.objects.filter(session_key=there_key).exists()

    response = there.get(LANDING)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in there.session
    assert here.get(LANDING).status_code == 200


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cache")
def test_a_session_ended_elsewhere_is_refused_when_its_store_cannot_be_searched():
    """Sessions kept outside the database cannot be found by their digest: the
    ended session is refused on its next request, and deleted then."""
    here, there = Client(), Client()
    post_login(here, "scjg_clerk", ip="10.3.3.3")
    post_login(there, "scjg_clerk", ip="10.4.4.4")
    other = StaffSession.objects.get(ip_address="10.4.4.4")
    assert here.post(END, {"session": str(other.pk)}).status_code == 302
    assert there.session.get("_auth_user_id")  # still stored

    response = there.get(LANDING)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "该会话已在账号安全页面被结束" in there.get(response["Location"]).content.decode()
    assert "_auth_user_id" not in there.session
    assert here.get(LANDING).status_code == 200


def test_end_all_other_sessions_keeps_this_one():
    here, a, b = Client(), Client(), Client()
    for c, ip in ((here, "10.5.5.1"), (a, "10.5.5.2"), (b, "10.5.5.3")):
        post_login(c, "scjg_clerk", ip=ip)
    assert here.post(END, {"session": "all"}).status_code == 302
    assert audit_count("org.session_end") == 2
    assert a.get(LANDING).status_code == 302
    assert b.get(LANDING).status_code == 302
    assert here.get(LANDING).status_code == 200


def test_another_users_session_cannot_be_ended():
    mine, theirs = Client(), Client()
    post_login(mine, "scjg_clerk")
    post_login(theirs, "zrzy_clerk")
    their_session = StaffSession.objects.get(user__username="zrzy_clerk")
    assert mine.post(END, {"session": str(their_session.pk)}).status_code == 404
    assert mine.post(END, {"session": "999999999"}).status_code == 404
    assert theirs.get(LANDING).status_code == 200
    their_session.refresh_from_db()
    assert their_session.ended_at is None
    assert "zrzy" not in mine.get(SESSIONS).content.decode()
    assert audit_count("org.session_end") == 0


def test_the_current_session_is_not_ended_through_the_list(client):
    post_login(client, "scjg_clerk")
    current = StaffSession.objects.get()
    assert client.post(END, {"session": str(current.pk)}).status_code == 404
    assert client.get(LANDING).status_code == 200


def test_logout_closes_the_sessions_row(client):
    post_login(client, "scjg_clerk")
    client.post(reverse("org:logout"))
    assert StaffSession.objects.get().ended_at is not None


# ---- hostile input on every new form -----------------------------------------------------

HOSTILE_CODES = [
    "",
    "   ",
    "1" * 10_000,
    SCRIPT,
    "12345a",
    "１２３４５６",
    "٣٣٣٣٣٣",
    "1234567",
    "12 34",
]


@pytest.mark.parametrize("value", HOSTILE_CODES)
def test_hostile_codes_at_the_login_step(client, value):
    with_device("scjg_clerk")
    post_login(client, "scjg_clerk")
    response = client.post(CODE, {"code": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入身份验证器应用显示的 6 位验证码" in html or "验证码应为 6 位数字" in html
    assert SCRIPT not in html
    assert client.get(LANDING)["Location"].startswith(CODE)
    # a malformed code is not a guess: it does not count towards the throttle
    assert TOTPDevice.objects.get().throttling_failure_count == 0


@pytest.mark.parametrize("value", HOSTILE_CODES)
def test_hostile_codes_at_enrolment(client, login_as, value):
    login_as("scjg_clerk")
    client.get(ENROL)
    response = client.post(ENROL, {"code": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入身份验证器应用显示的 6 位验证码" in html or "验证码应为 6 位数字" in html
    assert SCRIPT not in html
    assert not TOTPDevice.objects.get().confirmed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请输入当前的 6 位验证码或登录密码"),
        ({"code": "", "password": ""}, "请输入当前的 6 位验证码或登录密码"),
        ({"code": "1" * 10_000}, "验证码应为 6 位数字"),
        ({"code": SCRIPT}, "验证码应为 6 位数字"),
        ({"code": "abcdef"}, "验证码应为 6 位数字"),
        ({"password": "p" * 10_000}, "密码不能超过 128 个字符"),
        ({"password": SCRIPT}, "验证码或密码不正确"),
    ],
)
def test_hostile_input_when_removing_the_device(data, message):
    client, device = _verified_client("scjg_clerk")
    response = client.post(REMOVE, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert SCRIPT not in html
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


@pytest.mark.parametrize(
    "value", ["", "x" * 10_000, SCRIPT, "-1", "1.5", "9" * 30, "１２", "all; DROP TABLE"]
)
def test_hostile_input_when_ending_a_session(value):
    here, there = Client(), Client()
    post_login(here, "scjg_clerk")
    post_login(there, "scjg_clerk")
    response = here.post(END, {"session": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "会话编号无效" in html or "请选择要结束的会话" in html
    assert SCRIPT not in html
    assert not StaffSession.objects.filter(ended_at__isnull=False).exists()
    assert there.get(LANDING).status_code == 200
