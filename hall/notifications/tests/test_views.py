"""Staff pages and the receipt endpoint: rights, scope, and bad input."""

import json
import time

import pytest
from django.urls import reverse
from django.utils.html import escape

from hall.cases.constants import CaseStatus
from hall.cases.services import case_transition
from hall.notifications.constants import Status
from hall.notifications.gateways import sign
from hall.notifications.models import Notification, NotificationTemplate
from hall.notifications.worker import Worker
from hall.org.models import Center

from .helpers import queue_messages

pytestmark = pytest.mark.django_db

LOG = reverse("notifications:log")
STATS = reverse("notifications:stats")
TEMPLATES = reverse("notifications:templates")
CALLBACK = reverse("notifications:callback")


def city():
    return Center.objects.get(region_code="330800")


def county():
    return Center.objects.get(region_code="330802")


def edit_url(center, event="accepted"):
    return reverse("notifications:template_edit", args=[center.pk, event])


@pytest.fixture
def accepted(make_case, user_named):
    case = make_case()
    case_transition(case=case, to=CaseStatus.ACCEPTED, actor=user_named("scjg_clerk"))
    return case


# --- rights ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, log, templates",
    [
        ("city_admin", 200, 200),
        ("kc_admin", 200, 200),
        ("scjg_admin", 200, 404),
        ("scjg_clerk", 200, 404),
        ("city_supervisor", 200, 404),
        ("sysadmin", 200, 200),
    ],
)
def test_each_role_reaches_what_its_rights_allow(client, login_as, username, log, templates):
    login_as(username)
    assert client.get(LOG).status_code == log
    assert client.get(STATS).status_code == log
    assert client.get(TEMPLATES).status_code == templates


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in (LOG, STATS, TEMPLATES, edit_url(city())):
        response = client.get(url)
        assert response.status_code == 302 and "/staff/login/" in response["Location"]


# --- the log, scope, resend ---------------------------------------------------------------


def test_the_log_shows_the_department_its_own_and_filters(client, login_as, accepted, kc_scjg):
    queue_messages(kc_scjg, 1, prefix="kc")
    body = login_as("scjg_clerk").get(LOG).content.decode()
    assert accepted.display_number in body and "138****2345" in body
    assert "13800000000" not in body and "138****0000" not in body  # 柯城区's message
    assert "138****0000" in login_as("kc_scjg_clerk").get(LOG).content.decode()
    assert "138****2345" not in login_as("zrzy_clerk").get(LOG).content.decode()
    # the city's center admin sees both
    body = (
        login_as("city_admin")
        .get(LOG + "?channel=sms&event=accepted&status=queued")
        .content.decode()
    )
    assert "138****2345" in body and "138****0000" in body
    assert "138****2345" not in login_as("city_admin").get(LOG + "?status=sent").content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "status=<script>alert(1)</script>",
        "event=../../etc/passwd",
        "channel=' OR 1=1 --",
        "date_from=2026-13-45",
        "date_from=2026-05-02&date_to=2026-05-01",
        "date_to=" + "9" * 5000,
    ],
)
def test_malformed_filters_show_an_error_and_no_rows(client, login_as, accepted, query):
    response = login_as("scjg_clerk").get(f"{LOG}?{query}&page=abc")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in body
    assert "138****2345" not in body
    assert "field-error" in body or "起始日期不能晚于截止日期" in body


def test_resend_puts_a_failed_message_back_in_the_queue_with_a_new_provider_key(
    client, login_as, accepted, user_named
):
    row = Notification.objects.get(case=accepted)
    Notification.objects.filter(pk=row.pk).update(
        status=Status.FAILED, attempts=48, last_error="HTTP 500"
    )
    login_as("scjg_admin")
    response = client.post(
        reverse("notifications:resend", args=[row.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == LOG
    row.refresh_from_db()
    assert (row.status, row.attempts, row.resends) == (Status.QUEUED, 0, 1)
    assert row.provider_key == row.idempotency_key + "/r1"
    from hall.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="notifications.resend", object_id=str(row.pk)).exists()
    # resending again (a double click) is refused: it is no longer failed
    response = client.post(reverse("notifications:resend", args=[row.pk]), follow=True)
    assert "只有发送失败的通知可以重发" in response.content.decode()
    assert Notification.objects.get(pk=row.pk).resends == 1


def test_resend_outside_scope_or_without_the_right_answers_404(client, login_as, accepted):
    row = Notification.objects.get(case=accepted)
    Notification.objects.filter(pk=row.pk).update(status=Status.FAILED)
    url = reverse("notifications:resend", args=[row.pk])
    assert login_as("kc_scjg_admin").post(url).status_code == 404  # another center
    assert login_as("scjg_clerk").post(url).status_code == 404  # no right to resend
    assert login_as("scjg_admin").get(url).status_code == 405
    assert (
        login_as("scjg_admin").post(reverse("notifications:resend", args=[999999])).status_code
        == 404
    )
    assert Notification.objects.get(pk=row.pk).status == Status.FAILED


def test_the_case_page_shows_its_notifications(client, login_as, accepted, outbox_file):
    Worker("w").run(drain=True)
    body = (
        login_as("scjg_clerk").get(reverse("cases:staff_case", args=[accepted.pk])).content.decode()
    )
    assert "短信通知" in body and "已发送" in body and "138****2345" in body


def test_stats_count_per_day_with_the_failure_rate(client, login_as, city_scjg):
    queue_messages(city_scjg, 4)
    Notification.objects.filter(idempotency_key="t:0").update(status=Status.FAILED)
    Notification.objects.filter(idempotency_key__in=["t:1", "t:2"]).update(status=Status.SENT)
    response = login_as("city_admin").get(STATS)
    figures = response.context["figures"]
    assert figures["totals"]["total"] == 4 and figures["totals"]["pending"] == 1
    assert figures["totals"]["rate"] == pytest.approx(33.3)
    assert figures["days"][0]["failed"] == 1
    assert "33.3%" in response.content.decode()


def test_failed_messages_are_announced_on_arrival(client, login_as, city_scjg):
    queue_messages(city_scjg, 2)
    Notification.objects.update(status=Status.FAILED)
    body = login_as("scjg_admin").get(reverse("org:landing")).content.decode()
    assert "有 2 条短信或邮件通知发送失败" in body
    assert "发送失败" not in login_as("zrzy_clerk").get(reverse("org:landing")).content.decode()


# --- templates ------------------------------------------------------------------------


def test_a_center_admin_previews_then_saves_a_template(client, login_as):
    login_as("city_admin")
    text = "{signature}{name}您好，“{item}”已受理，查询号{number}，{deadline}前办结。"
    response = client.post(edit_url(city()), {"text": text, "enabled": "on", "preview": "1"})
    body = response.content.decode()
    assert "【衢州市行政服务中心】张三您好，“食品经营许可”已受理" in body
    assert "按 1 条短信计费" in body
    assert not NotificationTemplate.objects.exists()
    response = client.post(edit_url(city()), {"text": text, "enabled": "on", "save": "1"})
    assert response.status_code == 302
    row = NotificationTemplate.objects.get()
    assert (row.center, row.event, row.text, row.enabled) == (city(), "accepted", text, True)
    from hall.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="notifications.template_save").count() == 1


def test_a_long_template_shows_its_segment_count(client, login_as):
    body = (
        login_as("city_admin")
        .post(edit_url(city()), {"text": "办" * 140, "preview": "1"})
        .content.decode()
    )
    assert "共 140 个字，按 3 条短信计费" in body


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "这个字段是必填项"),
        ("   ", "这个字段是必填项"),
        ("{signature}您好{applicant_id}", "无法识别的占位符：{applicant_id}"),
        ("办" * 501, "模板不能超过 500 个字（现有 501 个）"),
        ("{item.__init__.__globals__}", "无法识别的占位符"),
        ("您好{item", "不成对的花括号"),
    ],
)
def test_bad_templates_are_refused_and_kept_for_correction(client, login_as, text, message):
    response = login_as("city_admin").post(edit_url(city()), {"text": text, "save": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert not NotificationTemplate.objects.exists()
    if text.strip():
        assert escape(text) in body  # shown back for correction, not lost


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>{item}", "'; DROP TABLE notifications_notification; --{number}"],
)
def test_hostile_text_is_kept_as_plain_text_and_escaped(client, login_as, text):
    login_as("city_admin")
    assert client.post(edit_url(city()), {"text": text, "save": "1"}).status_code == 302
    assert NotificationTemplate.objects.get().text == text
    assert Notification.objects.count() == 0  # the table is still there, and answers
    body = client.get(edit_url(city())).content.decode()
    assert "<script>alert(1)</script>" not in body
    body = client.get(TEMPLATES).content.decode()
    assert "<script>alert(1)</script>" not in body


def test_templates_of_another_center_or_unknown_events_answer_404(client, login_as):
    login_as("kc_admin")
    assert client.get(edit_url(city())).status_code == 404  # the city is above 柯城区
    assert client.post(edit_url(city()), {"text": "{item}", "save": "1"}).status_code == 404
    assert client.get(f"{TEMPLATES}?center={city().pk}").status_code == 404
    assert client.get(f"{TEMPLATES}?center=abc").status_code == 404
    assert client.get(edit_url(county(), "digest")).status_code == 404
    assert client.get(edit_url(county(), "..%2F..%2Fetc%2Fpasswd")).status_code == 404
    assert client.get(edit_url(county())).status_code == 200
    # the city's admin may set a county's text
    assert login_as("city_admin").get(edit_url(county())).status_code == 200
    assert not NotificationTemplate.objects.exists()


# --- delivery receipts ----------------------------------------------------------------


@pytest.fixture
def secret(settings):
    settings.NOTIFY_CALLBACK_SECRET = "receipt-secret-for-tests"
    return settings.NOTIFY_CALLBACK_SECRET


def post_receipt(client, payload, *, secret, ts=None, signature=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    ts = str(int(time.time())) if ts is None else ts
    return client.post(
        CALLBACK,
        data=body,
        content_type="application/json",
        headers={
            "X-Hall-Timestamp": ts,
            "X-Hall-Signature": signature if signature is not None else sign(secret, ts, body),
        },
    )


@pytest.fixture
def sent(city_scjg, provider):
    (key,) = queue_messages(city_scjg, 1)
    Worker("w").run(drain=True)
    return Notification.objects.get(idempotency_key=key)


def test_a_signed_receipt_marks_the_message_delivered(client, secret, sent):
    response = post_receipt(
        client, {"message_id": sent.provider_message_id, "status": "delivered"}, secret=secret
    )
    assert response.status_code == 200 and response.json() == {"ok": True, "status": "delivered"}
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED and sent.delivered_at is not None
    # a late failure receipt never undoes a delivery
    post_receipt(
        client, {"message_id": sent.provider_message_id, "status": "failed"}, secret=secret
    )
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED


def test_a_failure_receipt_by_our_reference_puts_it_in_the_alert_list(client, secret, sent):
    response = post_receipt(
        client,
        {"reference": sent.provider_key, "status": "failed", "error": "用户关机"},
        secret=secret,
    )
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == Status.FAILED and sent.last_error == "用户关机"


@pytest.mark.parametrize(
    "case, status",
    [
        ("bad signature", 403),
        ("old timestamp", 403),
        ("no timestamp", 403),
        ("not json", 400),
        ("a list", 400),
        ("unknown id", 404),
        ("unknown status", 400),
        ("hostile id", 404),
        ("too big", 413),
    ],
)
def test_bad_receipts_are_refused_and_logged(client, secret, sent, caplog, case, status):
    good = {"message_id": sent.provider_message_id, "status": "delivered"}
    kwargs = {"secret": secret}
    payload = good
    if case == "bad signature":
        kwargs["signature"] = "0" * 64
    elif case == "old timestamp":
        kwargs["ts"] = str(int(time.time()) - 3600)
    elif case == "no timestamp":
        kwargs["ts"] = ""
    elif case == "not json":
        kwargs["raw"] = b"<xml>delivered</xml>"
    elif case == "a list":
        kwargs["raw"] = b"[1]"
    elif case == "unknown id":
        payload = {"message_id": "no-such-id", "status": "delivered"}
    elif case == "unknown status":
        payload = {**good, "status": "<script>"}
    elif case == "hostile id":
        payload = {
            "message_id": "' OR 1=1 --",
            "reference": "../../etc/passwd",
            "status": "delivered",
        }
    elif case == "too big":
        payload = {**good, "error": "x" * 20000}
    with caplog.at_level("WARNING", logger="hall.notifications.views"):
        response = post_receipt(client, payload, **kwargs)
    assert response.status_code == status
    assert response.json()["ok"] is False and response.json()["error"]
    assert "delivery receipt refused" in caplog.text
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_receipts_are_refused_while_no_secret_is_set(client, settings, sent):
    settings.NOTIFY_CALLBACK_SECRET = ""
    response = post_receipt(
        client, {"message_id": sent.provider_message_id, "status": "delivered"}, secret=""
    )
    assert response.status_code == 403
    assert client.get(CALLBACK).status_code == 405


def test_the_dashboard_panel_shows_the_figures_to_those_who_may_see_them(rf, user_named, city_scjg):
    from django.template import RequestContext, Template

    queue_messages(city_scjg, 2)
    Notification.objects.filter(idempotency_key="t:0").update(status=Status.FAILED)
    Notification.objects.filter(idempotency_key="t:1").update(status=Status.SENT)

    def panel(username):
        request = rf.get("/staff/supervision/")
        request.user = user_named(username)
        slot = Template('{% load panels %}{% panels "supervision_dashboard" %}')
        return slot.render(RequestContext(request))

    city, county = panel("city_supervisor"), panel("kc_supervisor")
    assert "50.0%" in city and "每日通知数与失败率" in city
    assert "50.0%" not in county and "通知 <strong>0</strong> 条" in county
    assert panel("zrzy_clerk").count("<strong>0</strong>") >= 1
