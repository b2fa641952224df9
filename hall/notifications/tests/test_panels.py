"""The notification sections of other apps' pages come through the panel
registry: notifications registers them; the case page and the supervision
dashboard only name their slot."""

import pytest
from django.urls import reverse

from hall.cases.services import case_accept
from hall.core import navigation
from hall.notifications.worker import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages_of_a_case(make_case, user_named, outbox_file):
    """A case with one message sent (the acceptance) and, for a landline number,
    a case whose acceptance SMS failed at once."""
    clerk = user_named("scjg_clerk")
    sent = case_accept(case=make_case(), actor=clerk)
    Worker("w").run(drain=True)
    failed = case_accept(case=make_case(phone="05703058221"), actor=clerk)
    return sent, failed


def page(login_as, username, case):
    return login_as(username).get(reverse("cases:staff_case", args=[case.pk])).content.decode()


def test_the_case_page_shows_the_case_messages(login_as, messages_of_a_case):
    sent, failed = messages_of_a_case
    body = page(login_as, "scjg_clerk", sent)
    assert 'aria-labelledby="notifications-title"' in body
    assert "138****2345" in body and "已发送" in body
    assert "发送失败" not in body
    # the failed one, with its reason; only a holder of the resend right gets the button
    body = page(login_as, "scjg_clerk", failed)
    assert "发送失败" in body and "不是有效的中国大陆手机号" in body
    assert reverse("notifications:resend", args=[failed.notifications.get().pk]) not in body
    body = page(login_as, "scjg_admin", failed)
    assert reverse("notifications:resend", args=[failed.notifications.get().pk]) in body


def test_without_a_registered_panel_the_slot_renders_nothing(
    login_as, messages_of_a_case, monkeypatch, user_named
):
    sent, _failed = messages_of_a_case
    monkeypatch.setitem(navigation._PANELS, "case_page", [])
    body = page(login_as, "scjg_clerk", sent)
    assert sent.display_number in body
    assert "notifications-title" not in body and "138****2345" not in body

    monkeypatch.setitem(navigation._PANELS, "supervision_dashboard", [])
    body = login_as("city_supervisor").get(reverse("supervision:dashboard")).content.decode()
    assert "实时监督" in body
    assert "notifications-figures" not in body and "每日通知数与失败率" not in body
