"""Password guessing is capped per account, not only per (user name, address):
failures from every address lock the user name for a short cool-off (the right
password too), and its owner is told once per lock."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hall.core.models import AuditEntry
from hall.notifications.constants import Channel, Event
from hall.notifications.models import Notification
from hall.notifications.worker import Worker
from hall.org.demo import DEMO_PASSWORD
from hall.org.models import Staff, User

pytestmark = pytest.mark.django_db
LOGIN = reverse("org:login")
OWNER = "kc_scjg_clerk"
LOCKED = "密码正确也无法登录"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.ACCOUNT_LOCKOUT_FAILURES = (20, 900)
    settings.ACCOUNT_LOCKOUT_COOLOFF = timedelta(minutes=15)


@pytest.fixture(autouse=True)
def on_a_quiet_hour():
    """Fixed at the start of a 15-minute window, so the failures of a test fall in one."""
    start = timezone.now().replace(minute=0, second=1, microsecond=0) + timedelta(hours=1)
    with time_machine.travel(start, tick=False) as traveller:
        yield traveller


def login(client, username, password, ip):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_from_many_addresses(client, username, count, net="10.50"):
    return [login(client, username, f"guess-{i}", f"{net}.0.{i + 1}") for i in range(count)]


def notices():
    return Notification.objects.filter(event=Event.ACCOUNT_LOCKED)


def test_twenty_failures_from_twenty_addresses_lock_the_account(client, on_a_quiet_hour):
    answers = fail_from_many_addresses(client, OWNER, 20)
    assert [r.status_code for r in answers[:19]] == [200] * 19
    assert answers[19].status_code == 429
    assert LOCKED in answers[19].content.decode()
    # the owner, with the right password, from an address never used: refused
    refused = login(client, OWNER, DEMO_PASSWORD, "10.60.0.1")
    assert refused.status_code == 429
    assert LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="org.account_lock", actor_name=OWNER).count() == 1
    entry = AuditEntry.objects.get(action="org.account_lock")
    assert entry.data["username"] == OWNER and entry.data["failures"] == 20
    # after the cool-off the right password works
    on_a_quiet_hour.shift(timedelta(minutes=15, seconds=5))
    assert login(client, OWNER, DEMO_PASSWORD, "10.60.0.1").status_code == 302


def test_nineteen_failures_do_not_lock(client):
    fail_from_many_addresses(client, OWNER, 19)
    assert login(client, OWNER, DEMO_PASSWORD, "10.60.0.2").status_code == 302


def test_exactly_one_notice_is_queued_per_lock_and_delivered_to_the_owner(client, on_a_quiet_hour):
    User.objects.filter(username=OWNER).update(email="owner@example.gov.cn")
    fail_from_many_addresses(client, OWNER, 20)
    # more failures and the right password during the cool-off: no second notice
    fail_from_many_addresses(client, OWNER, 5, net="10.51")
    login(client, OWNER, DEMO_PASSWORD, "10.60.0.3")
    assert notices().count() == 1
    notice = notices().get()
    assert notice.channel == Channel.EMAIL and notice.recipient == "owner@example.gov.cn"
    assert notice.user.username == OWNER and "暂停登录" in notice.text
    Worker("w").run(drain=True)
    assert [m.to for m in mail.outbox] == [["owner@example.gov.cn"]]
    assert mail.outbox[0].subject == "您的网上办事大厅账号已暂时锁定"
    # a new lock, after the cool-off, is a new notice
    on_a_quiet_hour.shift(timedelta(minutes=15, seconds=5))
    fail_from_many_addresses(client, OWNER, 20, net="10.52")
    assert notices().count() == 2


def test_an_owner_without_e_mail_is_told_by_sms_to_their_mobile(client):
    User.objects.filter(username=OWNER).update(email="")
    Staff.objects.filter(user__username=OWNER).update(phone="13857099999")
    fail_from_many_addresses(client, OWNER, 20)
    notice = notices().get()
    assert notice.channel == Channel.SMS and notice.recipient == "13857099999"


def test_other_accounts_are_unaffected(client):
    fail_from_many_addresses(client, OWNER, 20)
    # another clerk, even from an address that took part in the guessing
    assert login(client, "scjg_clerk", DEMO_PASSWORD, "10.50.0.1").status_code == 302
    assert notices().filter(user__username="scjg_clerk").count() == 0


def test_a_name_no_account_has_is_locked_alike_and_notifies_nobody(client):
    """The same answer for a name that does not exist, so the lock tells no one which names do."""
    answers = fail_from_many_addresses(client, "no-such-clerk", 20)
    assert answers[19].status_code == 429 and LOCKED in answers[19].content.decode()
    assert notices().count() == 0
