"""The complaint lifecycle: the transition table walked pair by pair, the
services behind each move, the complainant's one reopen, and the 督办 clock on
the working-day calendar with frozen time."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from hall.core.models import AuditEntry
from hall.feedback import deadlines, selectors, services, workflow
from hall.feedback.constants import ComplaintStatus as S
from hall.feedback.errors import ComplaintError, ComplaintForbidden
from hall.feedback.models import Complaint
from hall.notifications.models import Notification
from hall.workdays.models import Holiday, PublishedYear
from hall.workdays.services import current_calendar

from .factories import PATHS, ComplaintFactory, move, supervisor_for

TZ = timezone.get_fixed_timezone(8 * 60)


def at(y, m, d, hour=10):
    return time_machine.travel(datetime(y, m, d, hour, tzinfo=TZ), tick=False)


# Every staff move of the table and the service that makes it (the complainant's
# reopen has its own service, tested below).
SERVICES = {
    (S.SUBMITTED, S.ACCEPTED): "complaint_accept",
    (S.SUBMITTED, S.NOT_ACCEPTED): "complaint_not_accept",
    (S.ACCEPTED, S.INVESTIGATING): "complaint_investigate",
    (S.INVESTIGATING, S.ANSWERED): "complaint_answer",
    (S.ANSWERED, S.CLOSED): "complaint_close",
    (S.ANSWERED, S.INVESTIGATING): "complaint_reopen",
}


def test_every_move_has_its_service_and_every_state_a_trait():
    assert set(SERVICES) == set(workflow.MOVES)
    for name in SERVICES.values():
        assert callable(getattr(services, name))
    assert set(PATHS) == set(S.values)
    for state in S.values:
        assert state in ComplaintFactory._meta.parameters


@pytest.mark.parametrize("src", S.values)
def test_every_pair_of_statuses_against_the_table(db, src):
    """From each state, every staff move the table lacks is refused with nothing
    changed, and every move it has works and leaves its audit entry. (No service
    moves a complaint back to 已提交: there is nothing to try for it.)"""
    complaint = ComplaintFactory(**{src: True})
    assert complaint.status == src
    actor = supervisor_for(complaint)
    for dst in set(S.values) - {src, S.SUBMITTED}:
        if (src, dst) in workflow.MOVES:
            fresh = ComplaintFactory(**{src: True})
            if workflow.MOVES[(src, dst)] == workflow.COMPLAINANT:
                services.complaint_reopen(complaint=fresh, reason="不满意")
                action = "feedback.reopen"
            else:
                move(fresh, dst, actor)
                action = f"feedback.{dst}"
            assert Complaint.objects.get(pk=fresh.pk).status == dst
            assert AuditEntry.objects.filter(action=action, object_id=str(fresh.pk)).exists()
            continue
        before = AuditEntry.objects.count()
        with pytest.raises(ComplaintError):
            move(Complaint.objects.get(pk=complaint.pk), dst, actor)
        assert Complaint.objects.get(pk=complaint.pk).status == src
        assert AuditEntry.objects.count() == before


def test_the_department_and_the_clerk_cannot_handle(db, user_named):
    complaint = ComplaintFactory()
    for username in ("kc_scjg_admin", "kc_scjg_clerk", "kc_admin", "scjg_clerk"):
        with pytest.raises(ComplaintForbidden):
            services.complaint_accept(complaint=complaint, actor=user_named(username))
    assert Complaint.objects.get(pk=complaint.pk).status == S.SUBMITTED


def test_sms_at_acceptance_and_answer_once_each(db):
    complaint = ComplaintFactory(answered=True)
    events = list(
        Notification.objects.filter(recipient="13957012345").values_list("event", flat=True)
    )
    assert sorted(events) == ["complaint_accepted", "complaint_answered"]
    # a repeat of the same step queues nothing: the key is per complaint and step
    from hall.notifications.services import notification_for_event

    assert (
        notification_for_event(
            event="complaint_accepted",
            center=complaint.center,
            phone=complaint.phone,
            values={},
            key=f"complaint:{complaint.pk}:accepted",
        )
        == 0
    )
    text = Notification.objects.get(event="complaint_accepted").text
    assert complaint.display_number in text


def test_anonymous_gets_no_sms_and_cannot_reopen(db):
    complaint = ComplaintFactory(anonymous=True, answered=True)
    assert complaint.phone == "" and complaint.name == ""
    assert not Notification.objects.filter(event__startswith="complaint_").exists()
    with pytest.raises(ComplaintError, match="匿名投诉"):
        services.complaint_reopen(complaint=complaint, reason="不满意")


def test_the_complainant_reopens_once_within_ten_working_days(db):
    with at(2026, 3, 2):
        complaint = ComplaintFactory(answered=True)
    # 10 working days after Monday 2 March is Monday 16 March
    assert deadlines.reopen_until(current_calendar(), date(2026, 3, 2)) == date(2026, 3, 16)
    services.complaint_reopen(complaint=complaint, reason="整改没有落实", today=date(2026, 3, 16))
    complaint.refresh_from_db()
    assert complaint.status == S.INVESTIGATING and complaint.reopen_count == 1
    assert complaint.clock_from == date(2026, 3, 16)
    actor = supervisor_for(complaint)
    with at(2026, 3, 17):
        move(complaint, S.ANSWERED, actor)
    # a second answer is a new step: its own SMS
    assert Notification.objects.filter(event="complaint_answered").count() == 2
    with pytest.raises(ComplaintError, match="只能申请重新处理一次"):
        services.complaint_reopen(complaint=complaint, reason="还是不满意", today=date(2026, 3, 18))
    complaint.refresh_from_db()
    assert complaint.status == S.ANSWERED and complaint.reopen_count == 1


def test_a_reopen_after_ten_working_days_is_refused(db):
    with at(2026, 3, 2):
        complaint = ComplaintFactory(answered=True)
    with pytest.raises(ComplaintError, match="超过期限"):
        services.complaint_reopen(complaint=complaint, reason="不满意", today=date(2026, 3, 17))
    complaint.refresh_from_db()
    assert complaint.status == S.ANSWERED and complaint.reopen_count == 0


# ---- 督办 on the working-day calendar ---------------------------------------------------

# The 2027 schedule as the tests load it: 春节 2027-02-05 (除夕) to 2027-02-12 off,
# no make-up workday inside the window that matters here.
SPRING_2027 = [date(2027, 2, d) for d in range(5, 13)]


@pytest.fixture
def spring_2027(db):
    PublishedYear.objects.update_or_create(year=2027, defaults={"published": True})
    for d in SPRING_2027:
        Holiday.objects.update_or_create(date=d, defaults={"kind": "holiday", "name": "春节"})
    calendar = current_calendar()
    assert all(not calendar.is_workday(d) for d in SPRING_2027)
    return calendar


def test_escalation_is_a_pure_function_of_the_dates_and_the_calendar(spring_2027):
    cal = spring_2027
    filed = date(2027, 2, 3)  # Wednesday before 春节
    # 5 working days: 4 Feb, then 15, 16, 17, 18 Feb
    assert deadlines.answer_due(cal, filed, 5) == date(2027, 2, 18)
    for today in (date(2027, 2, 11), date(2027, 2, 12), date(2027, 2, 18)):
        assert not deadlines.is_overdue(
            cal, status=S.ACCEPTED, clock_from=filed, days=5, today=today
        )
    assert deadlines.is_overdue(
        cal, status=S.ACCEPTED, clock_from=filed, days=5, today=date(2027, 2, 19)
    )
    assert not deadlines.is_overdue(
        cal, status=S.ANSWERED, clock_from=filed, days=5, today=date(2027, 2, 19)
    )
    # the one date that splits overdue from not, for the database
    assert deadlines.overdue_if_started_by(cal, date(2027, 2, 19), 5) == filed
    assert deadlines.overdue_if_started_by(cal, date(2027, 2, 11), 5) < filed


def test_a_complaint_filed_before_spring_festival_escalates_after_it(spring_2027, user_named):
    with at(2027, 2, 3):
        complaint = ComplaintFactory(accepted=True)
    assert complaint.center.parent.region_code == "330800"
    city = user_named("city_supervisor")
    qs = selectors.complaints_visible_to(city)
    # during the holiday: not late, nothing recorded
    call_command("escalate_complaints", "--today", "2027-02-11")
    complaint.refresh_from_db()
    assert complaint.escalated_at is None
    assert not selectors.escalated_to(
        qs, spring_2027, date(2027, 2, 11), city.staff.center
    ).exists()
    # after the holiday's working days: late, escalated to the city, recorded once
    assert selectors.escalated_to(qs, spring_2027, date(2027, 2, 19), city.staff.center).exists()
    call_command("escalate_complaints", "--today", "2027-02-19")
    call_command("escalate_complaints", "--today", "2027-02-22")
    complaint.refresh_from_db()
    assert complaint.escalated_to == complaint.center.parent
    assert (
        AuditEntry.objects.filter(action="feedback.escalate", object_id=str(complaint.pk)).count()
        == 1
    )
    # the county's own admin setting of more days moves the deadline
    services.feedback_settings_save(
        center=complaint.center, actor=user_named("kc_admin"), answer_days=10
    )
    assert not selectors.overdue(Complaint.objects.all(), spring_2027, date(2027, 2, 19)).exists()


def test_a_bad_date_for_the_command_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("escalate_complaints", "--today", "2027-13-45")


def test_settings_are_the_centers_own(db, user_named):
    complaint = ComplaintFactory()
    with pytest.raises(ComplaintForbidden):
        services.feedback_settings_save(
            center=complaint.center, actor=user_named("city_admin"), answer_days=3
        )
    with pytest.raises(ComplaintForbidden):
        services.feedback_settings_save(
            center=complaint.center, actor=user_named("kc_supervisor"), answer_days=3
        )
    with pytest.raises(ComplaintError):
        services.feedback_settings_save(
            center=complaint.center, actor=user_named("kc_admin"), answer_days=0
        )
    assert selectors.answer_days(complaint.center) == 5
