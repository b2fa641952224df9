"""The worker against each gateway: results recorded, failures retried with
back-off and jitter, final failures in the alert list, stuck rows reclaimed."""

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from hall.cases.models import Case
from hall.cases.services import case_transition
from hall.notifications import services
from hall.notifications.constants import Status
from hall.notifications.gateways import Gateway, HttpGateway, Result
from hall.notifications.models import Notification
from hall.notifications.worker import Worker

from .helpers import queue_messages

pytestmark = pytest.mark.django_db


def test_console_gateway_prints_and_marks_sent(city_scjg, capsys):
    queue_messages(city_scjg, 2)
    assert Worker("w").run(drain=True) == 2
    assert "测试短信 0" in capsys.readouterr().out
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}


def test_file_gateway_writes_one_json_line_per_message(city_scjg, outbox_file):
    keys = queue_messages(city_scjg, 3)
    call_command("run_notifications", "--once")
    lines = [json.loads(line) for line in outbox_file.read_text().splitlines()]
    assert [line["id"] for line in lines] == keys
    assert lines[0]["to"] == "13800000000" and lines[0]["text"].endswith("测试短信 0")


def test_http_gateway_sends_key_and_api_key_and_records_the_provider_id(city_scjg, provider):
    keys = queue_messages(city_scjg, 3)
    Worker("w").run(drain=True)
    assert provider.delivered_keys() == set(keys)
    row = Notification.objects.get(idempotency_key=keys[0])
    assert row.status == Status.SENT and row.attempts == 1 and row.sent_at is not None
    assert row.provider_message_id == provider.messages[keys[0]]["message_id"]


def test_an_answer_that_is_not_json_is_retried_and_delivered_once(city_scjg, provider, settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    (key,) = queue_messages(city_scjg, 1)
    provider.fail_next("notjson")
    Worker("w").run_batch()
    row = Notification.objects.get()
    assert row.status == Status.QUEUED and "not JSON" in row.last_error
    assert 48 <= (row.next_attempt_at - timezone.now()).total_seconds() <= 72
    Notification.objects.update(next_attempt_at=timezone.now())
    Worker("w").run_batch()
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2
    assert provider.requests[key] == 2 and provider.delivered_keys() == {key}


def test_a_refusal_of_the_provider_is_final_and_shows_in_the_alert_list(
    city_scjg, provider, settings, login_as
):
    settings.NOTIFY_HTTP_API_KEY = "wrong"
    queue_messages(city_scjg, 1)
    Worker("w").run_batch()
    row = Notification.objects.get()
    assert row.status == Status.FAILED and "HTTP 401" in row.last_error
    page = login_as("scjg_admin").get("/staff/notifications/?status=failed")
    assert "HTTP 401" in page.content.decode() and "有 1 条通知发送失败" in page.content.decode()


def test_retries_stop_at_the_horizon(city_scjg, provider, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    provider.fail_next("500", 5)
    queue_messages(city_scjg, 1)
    Worker("w").run(drain=True)
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert "HTTP 500" in row.last_error and not provider.delivered_keys()


def test_back_off_doubles_to_a_cap_with_jitter_and_spans_about_four_hours(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS, settings.NOTIFY_RETRY_MAX_SECONDS = 5, 300
    for attempt, middle in [(1, 5), (2, 10), (3, 20), (7, 300), (40, 300)]:
        delays = {services.retry_delay(attempt) for _ in range(50)}
        assert all(0.8 * middle <= d <= 1.2 * middle for d in delays)
        assert len(delays) > 1  # jitter: not all the same
    expected = sum(min(5 * 2 ** (a - 1), 300) for a in range(1, 48))
    assert 3.5 * 3600 <= expected <= 4.5 * 3600


def test_a_row_stuck_in_sending_is_reclaimed_after_the_timeout(city_scjg, provider, settings):
    settings.NOTIFY_SENDING_TIMEOUT = 120
    (key,) = queue_messages(city_scjg, 1)
    claimed = services.notifications_claim(token="dead-worker", limit=10)
    assert [r.idempotency_key for r in claimed] == [key]
    # not yet stale: nobody else takes it
    assert Worker("w").run_batch() == 0
    Notification.objects.update(claimed_at=timezone.now() - timezone.timedelta(seconds=121))
    assert Worker("w").run_batch() == 1
    row = Notification.objects.get()
    assert (row.status, row.attempts) == (Status.SENT, 2)
    # the dead worker's late result no longer applies to the row
    services.notifications_record(token="dead-worker", results=[(row, Result.failed("late"))])
    row.refresh_from_db()
    assert row.status == Status.SENT and provider.requests[key] == 1


class ExplodingGateway(Gateway):
    """A provider plugin with a bug: it raises instead of answering."""

    def send(self, message):
        raise RuntimeError("provider library bug")


def test_a_gateway_that_raises_does_not_stop_the_worker(city_scjg, settings):
    settings.NOTIFY_GATEWAY = f"{__name__}.ExplodingGateway"
    queue_messages(city_scjg, 2)
    assert Worker("w").run_batch() == 2
    rows = Notification.objects.all()
    assert {r.status for r in rows} == {Status.QUEUED}
    assert all("provider library bug" in r.last_error for r in rows)


@pytest.mark.parametrize(
    "status, body, outcome",
    [
        (200, b'{"message_id": "m1", "status": "accepted"}', "sent"),
        (202, b'{"message_id": "m1", "status": "delivered"}', "delivered"),
        (200, b'{"message_id": "m1", "status": "rejected", "error": "blacklist"}', "failed"),
        (200, b'{"status": "accepted"}', "retry"),
        (200, b"[1, 2]", "retry"),
        (200, b"\xff\xfe garbage", "retry"),
        (200, b'{"message_id": "m1", "status": "weird"}', "retry"),
        (500, b"oops", "retry"),
        (429, b"slow down", "retry"),
        (400, b'{"error": "bad number"}', "failed"),
        (301, b"", "retry"),
    ],
)
def test_provider_answers_map_to_our_statuses(status, body, outcome):
    assert HttpGateway.interpret(status, body).outcome == outcome


def test_the_staff_digest_is_one_e_mail_a_day_per_person(make_case, user_named, settings):
    settings.NOTIFY_EMAIL_GATEWAY = "email"
    clerk = user_named("scjg_clerk")
    clerk.email = "clerk@example.gov.cn"
    clerk.save()
    late = make_case()
    case_transition(case=late, to="accepted", actor=clerk)
    Case.objects.filter(pk=late.pk).update(
        promised_due=timezone.localdate() - timezone.timedelta(days=3)
    )
    Notification.objects.all().delete()  # the acceptance SMS is not what this test is about
    call_command("send_staff_digest")
    call_command("send_staff_digest")
    digest = Notification.objects.get(event="digest")
    assert digest.recipient == "clerk@example.gov.cn" and digest.user == clerk
    assert late.display_number in digest.text and "超期 1 件" in digest.subject
    Worker("w").run(drain=True)
    assert len(mail.outbox) == 1
    assert (
        mail.outbox[0].to == ["clerk@example.gov.cn"] and late.display_number in mail.outbox[0].body
    )


# --- holiday changes reach the open cases' deadlines through the worker -------------


def test_a_holiday_entered_in_the_back_office_moves_deadlines_in_the_worker(
    login_as, make_case, user_named, django_capture_on_commit_callbacks
):
    from datetime import date, datetime

    import time_machine
    from django.urls import reverse

    from hall.cases.services import case_accept
    from hall.workdays.models import CalendarChange, PublishedYear

    case = make_case()
    tz = timezone.get_fixed_timezone(8 * 60)
    with time_machine.travel(datetime(2031, 3, 3, 10, tzinfo=tz), tick=False):
        case_accept(case=case, actor=user_named("scjg_clerk"))  # a Monday: due Mon 10 Mar
    PublishedYear.objects.create(year=2031, published=True)
    Worker("w").run(once=True)
    case.refresh_from_db()
    assert (case.promised_due, case.deadline_provisional) == (date(2031, 3, 10), False)

    client = login_as("city_admin")
    with django_capture_on_commit_callbacks(execute=True):  # the request commits
        response = client.post(
            reverse("admin:workdays_holiday_add"),
            {"date": "2031-03-05", "kind": "holiday", "name": "测试假日"},
            follow=True,
        )
    assert response.status_code == 200
    assert "在办办件的办结期限将由后台稍后自动重新计算" in response.content.decode()
    case.refresh_from_db()
    assert case.promised_due == date(2031, 3, 10)  # the request did not recompute
    assert list(CalendarChange.objects.values_list("year", flat=True)) == [2031]

    Worker("w").run(once=True)
    case.refresh_from_db()
    assert case.promised_due == date(2031, 3, 11)  # Wed 5 Mar is now a holiday
    assert not CalendarChange.objects.exists()


def test_a_failing_calendar_receiver_is_logged_and_the_messages_still_go(
    city_scjg, settings, caplog
):
    from hall.workdays.models import CalendarChange, PublishedYear
    from hall.workdays.signals import calendar_changed

    settings.NOTIFY_GATEWAY = "console"
    queue_messages(city_scjg, 2)
    PublishedYear.objects.create(year=2031, published=False)

    def fail(sender, years, **kwargs):
        raise RuntimeError("a dependent failed")

    calendar_changed.connect(fail, weak=False, dispatch_uid="test_failing_calendar_receiver")
    try:
        assert Worker("w").run(once=True) == 2
    finally:
        calendar_changed.disconnect(dispatch_uid="test_failing_calendar_receiver")
    assert "calendar change not delivered" in caplog.text
    assert Notification.objects.filter(status=Status.SENT).count() == 2
    assert CalendarChange.objects.filter(year=2031).exists()  # tried again next round
    Worker("w").run(once=True)
    assert not CalendarChange.objects.exists()
