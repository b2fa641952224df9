"""The outbox: rows written with the case change, once per action, only for
applicants who opted in and events the center sends."""

import pytest
from django.db import transaction

from hall.cases.constants import CaseStatus
from hall.cases.models import Case
from hall.cases.services import (
    CaseError,
    case_reply,
    case_request_correction,
    case_resume,
    case_suspend,
    case_transition,
)
from hall.notifications.constants import Channel, Event, Status
from hall.notifications.models import Notification, NotificationTemplate
from hall.notifications.services import (
    NotificationError,
    normalise_mobile,
    notifications_for_case_event,
    template_save,
)

pytestmark = pytest.mark.django_db


def accept(case, user):
    return case_transition(case=case, to=CaseStatus.ACCEPTED, actor=user)


def test_acceptance_queues_one_sms_with_the_rendered_text(make_case, user_named):
    case = make_case()
    accept(case, user_named("scjg_clerk"))
    row = Notification.objects.get(case=case)
    case.refresh_from_db()
    assert (row.channel, row.event, row.status, row.recipient) == (
        Channel.SMS,
        Event.ACCEPTED,
        Status.QUEUED,
        "13857012345",
    )
    assert row.idempotency_key == f"case:{case.pk}:accepted:sms:1"
    assert row.text.startswith("【衢州市行政服务中心】")
    assert case.display_number in row.text and "食品经营许可（网上）" in row.text
    due = case.promised_due
    assert f"{due.year}年{due.month}月{due.day}日" in row.text
    assert (row.center_id, row.department_id) == (case.center_id, case.department_id)


def test_the_row_rolls_back_with_the_case_change(make_case, user_named):
    case = make_case()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        accept(case, user_named("scjg_clerk"))
        assert Notification.objects.filter(case=case).count() == 1
        raise Abort
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    assert not Notification.objects.filter(case=case).exists()


def test_a_refused_change_queues_nothing(make_case, user_named, django_capture_on_commit_callbacks):
    """The outbox row is written inside the change's transaction: when a later step
    of the change fails after it was queued, the row goes with the change."""
    from hall.cases.signals import case_event

    case = make_case()
    queued_inside = []

    def fail_after_queueing(sender, **kwargs):
        queued_inside.append(Notification.objects.filter(case=case).count())
        raise RuntimeError("a later side effect failed")

    case_event.connect(fail_after_queueing, weak=False, dispatch_uid="test_fail_after_queueing")
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(CaseError):
            accept(case, user_named("scjg_clerk"))
    finally:
        case_event.disconnect(dispatch_uid="test_fail_after_queueing")
    assert queued_inside == [1]  # the acceptance's SMS was queued, in the transaction
    assert not Notification.objects.exists()  # and left with the change
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_a_repeated_action_never_queues_twice(make_case, user_named, client, login_as):
    case = make_case()
    login_as("scjg_clerk")
    from django.urls import reverse

    for _ in range(3):  # the clerk presses 受理 three times
        client.post(reverse("cases:accept", args=[case.pk]))
    # the same event delivered again (a retried signal) adds nothing either
    case.refresh_from_db()
    assert notifications_for_case_event(case=case, event="accepted") == 0
    assert Notification.objects.filter(case=case).count() == 1


def test_approval_sends_and_resuming_a_special_procedure_does_not(make_case, user_named):
    clerk = user_named("scjg_clerk")
    case = make_case()
    accept(case, clerk)
    case_suspend(case=case, actor=clerk, kind="testing", reason="送检", expected_days=3)
    case_resume(case=case, actor=clerk)
    case_transition(case=case, to=CaseStatus.APPROVED, actor=clerk)
    assert list(
        Notification.objects.filter(case=case).order_by("id").values_list("event", flat=True)
    ) == [
        "accepted",
        "approved",
    ]


def test_applicant_who_did_not_opt_in_gets_nothing(make_case, user_named):
    case = make_case()
    Case.objects.filter(pk=case.pk).update(sms_opt_in=False)
    case.refresh_from_db()
    clerk = user_named("scjg_clerk")
    accept(case, clerk)
    case_transition(case=case, to=CaseStatus.APPROVED, actor=clerk)
    assert not Notification.objects.filter(case=case).exists()


def test_each_correction_round_and_each_reply_is_its_own_message(make_case, user_named):
    clerk = user_named("scjg_clerk")
    case = make_case()
    city = case.center
    template_save(
        center=city,
        event="reply",
        channel="sms",
        text="{signature}回复{number}",
        enabled=True,
        actor=clerk,
    )
    case_reply(case=case, actor=clerk, text="请补充说明")
    case_reply(case=case, actor=clerk, text="另请确认面积")
    case_request_correction(case=case, actor=clerk, text="请补正申请书", points=[])
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUBMITTED, round=2)
    case.refresh_from_db()
    case_request_correction(case=case, actor=clerk, text="仍缺少签字", points=[])
    keys = sorted(Notification.objects.filter(case=case).values_list("idempotency_key", flat=True))
    assert len(keys) == 4 and len(set(keys)) == 4
    assert sum(":correction_requested:sms:" in k for k in keys) == 2
    assert sum(":reply:sms:1m" in k for k in keys) == 2


def test_the_center_chooses_which_events_send(make_case, user_named):
    clerk = user_named("scjg_clerk")
    case = make_case()
    # completion is off by default; replies too
    accept(case, clerk)
    case_transition(case=case, to=CaseStatus.APPROVED, actor=clerk)
    case_transition(case=case, to=CaseStatus.COMPLETED, actor=clerk)
    assert not Notification.objects.filter(case=case, event="completed").exists()
    # the city switches acceptance off: a new case's acceptance sends nothing
    template_save(
        center=case.center,
        event="accepted",
        channel="sms",
        text="{signature}已受理{number}",
        enabled=False,
        actor=user_named("city_admin"),
    )
    other = make_case()
    accept(other, clerk)
    assert not Notification.objects.filter(case=other).exists()


def test_a_county_center_uses_the_city_text_until_it_has_its_own(make_item, kc_scjg, user_named):
    from hall.cases.services import Applicant, case_walk_in

    item = make_item(kc_scjg, "柯城区测试事项", depth=2)
    county = kc_scjg.center

    def accepted_walk_in():
        case = case_walk_in(
            item=item,
            applicant=Applicant(
                kind="person",
                name="李四",
                id_type="resident_id",
                id_number="11010519491231002X",
                phone="13900001111",
            ),
            actor=user_named("kc_scjg_clerk"),
            received=list(item.materials.all()),
            originals=[],
            scans={},
            accept=True,
        )
        return Notification.objects.get(case=case).text

    save = {"event": "accepted", "channel": "sms", "enabled": True, "actor": None}
    template_save(center=county.parent, text="{signature}市级模板{number}", **save)
    assert "市级模板" in accepted_walk_in()
    template_save(center=county, text="{signature}柯城模板{number}", **save)
    assert "柯城模板" in accepted_walk_in()


@pytest.mark.parametrize(
    "phone, expected",
    [
        ("13857012345", "13857012345"),
        ("+8613857012345", "13857012345"),
        ("138-5701-2345", "13857012345"),
        ("12857012345", None),  # no mobile prefix 12
        ("0570-3058123", None),  # a landline
        ("852 91234567", None),  # Hong Kong
        ("1385701234", None),
        ("<script>", None),
        ("", None),
    ],
)
def test_mainland_mobile_numbers(phone, expected):
    assert normalise_mobile(phone) == expected


def test_a_number_that_is_not_a_mainland_mobile_is_kept_as_a_failure(make_case, user_named):
    case = make_case()
    Case.objects.filter(pk=case.pk).update(phone="05703058123")
    case.refresh_from_db()
    accept(case, user_named("scjg_clerk"))
    row = Notification.objects.get(case=case)
    assert row.status == Status.FAILED and "不是有效的中国大陆手机号" in row.last_error


def test_templates_only_for_known_events_and_checked(user_named, city_scjg):
    from hall.notifications.rendering import TemplateError

    with pytest.raises(NotificationError):
        template_save(
            center=city_scjg.center,
            event="digest",
            channel="sms",
            text="x",
            enabled=True,
            actor=None,
        )
    with pytest.raises(TemplateError):
        template_save(
            center=city_scjg.center,
            event="accepted",
            channel="sms",
            text="{oops}",
            enabled=True,
            actor=None,
        )
    assert not NotificationTemplate.objects.exists()
