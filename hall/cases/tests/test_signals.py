"""case_event's receivers are part of the case's transaction: one that fails
undoes the whole change, and the clerk reads why instead of an error page."""

from contextlib import contextmanager

import pytest
from django.urls import reverse

from hall.cases.constants import CaseStatus
from hall.cases.models import Case, ReviewMessage, StatusChange
from hall.cases.signals import CaseEffectFailed, case_event
from hall.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@contextmanager
def failing_receiver():
    """A receiver connected after every real one, that fails: a later side effect
    (ratings, publication…) breaking once the counters and the outbox have run."""
    ran = []

    def fail(sender, case, event, **kwargs):
        ran.append(event)
        raise RuntimeError("a later side effect failed")

    case_event.connect(fail, weak=False, dispatch_uid="test_failing_receiver")
    try:
        yield ran
    finally:
        case_event.disconnect(dispatch_uid="test_failing_receiver")


def _state(case):
    case = Case.objects.get(pk=case.pk)
    return {
        "case": (case.status, case.accepted_at, case.promised_due, case.handled_by_id),
        "history": list(StatusChange.objects.filter(case=case).values_list("to_status", flat=True)),
        "audit": list(
            AuditEntry.objects.filter(object_id=str(case.pk), content_type__model="case")
            .values_list("action", flat=True)
            .order_by("pk")
        ),
        "messages": ReviewMessage.objects.filter(case=case).count(),
    }


MESSAGE = "本次操作已全部撤销，办件保持原状"


@pytest.mark.parametrize(
    ("url", "data", "event"),
    [
        ("cases:accept", {}, CaseStatus.ACCEPTED),
        ("cases:reply", {"text": "请补充门店照片。"}, "reply"),
    ],
    ids=["accept", "reply"],
)
def test_a_failing_receiver_undoes_the_change_and_the_clerk_reads_why(
    login_as, make_case, url, data, event, caplog
):
    case = make_case()
    before = _state(case)
    client = login_as("scjg_clerk")
    with failing_receiver() as ran:
        response = client.post(reverse(url, args=[case.pk]), data, follow=True)
    assert ran == [event]  # the change reached its receivers, then one failed
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("cases:staff_case", args=[case.pk]), 302)]
    assert MESSAGE in response.content.decode()
    assert _state(case) == before
    assert "case_event receiver failed" in caplog.text

    # Without the failure the same action goes through: the test above tested something.
    client.post(reverse(url, args=[case.pk]), data)
    assert _state(case) != before


def test_the_service_raises_a_case_error_with_the_cause_kept(make_case, user_named):
    from hall.cases.services import case_accept

    case = make_case()
    with failing_receiver(), pytest.raises(CaseEffectFailed) as failed:
        case_accept(case=case, actor=user_named("scjg_clerk"))
    assert isinstance(failed.value.__cause__, RuntimeError)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
