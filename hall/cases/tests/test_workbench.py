"""The workbench after acceptance: two clocks, special procedures that stop
them, extension, decisions, completion and internal notes."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hall.cases import deadlines
from hall.cases.constants import CaseStatus
from hall.cases.models import Case, Extension, InternalNote, Suspension
from hall.cases.services import CaseError, case_extend, case_resume, case_suspend, case_transition
from hall.workdays.services import current_calendar

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(8 * 60)


def at(y, m, d, hour=10):
    return time_machine.travel(datetime(y, m, d, hour, tzinfo=TZ), tick=False)


def accept(case, clerk):
    return case_transition(case=case, to=CaseStatus.ACCEPTED, actor=clerk)


def test_acceptance_sets_both_deadlines(make_case, user_named):
    case = make_case()
    with at(2031, 3, 3):  # a Monday in a year with no published schedule
        accept(case, user_named("scjg_clerk"))
    case.refresh_from_db()
    # promised 5 and statutory 20 working days, weekends only (provisional year)
    assert case.promised_due == date(2031, 3, 10)
    assert case.statutory_due == date(2031, 3, 31)
    assert case.deadline_provisional is True


def test_suspension_stops_the_clock_and_resume_restarts_it(make_case, user_named):
    clerk = user_named("scjg_clerk")
    case = make_case()
    with at(2031, 3, 3):
        accept(case, clerk)
    with at(2031, 3, 5):  # Wednesday: two working days used
        case_suspend(case=case, actor=clerk, kind="testing", reason="送检", expected_days=3)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    with at(2031, 3, 11):  # resumed the next Tuesday
        case_resume(case=case, actor=clerk)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    suspension = Suspension.objects.get(case=case)
    assert (suspension.started_on, suspension.ended_on) == (date(2031, 3, 5), date(2031, 3, 11))
    # 3 Mar + 5 working days, none counted from 5 to 11 Mar: Mon 3 → 4 (1), then 12, 13, 14, 17
    assert case.promised_due == date(2031, 3, 17)


def test_extension_adds_ten_working_days_once_and_needs_a_department_admin(make_case, user_named):
    case = make_case()
    with at(2031, 3, 3):
        accept(case, user_named("scjg_clerk"))
    with pytest.raises(CaseError) as exc:
        case_extend(case=case, actor=user_named("scjg_clerk"), reason="需要现场核查")
    assert "部门负责人批准" in str(exc.value)
    with at(2031, 3, 4):
        case_extend(case=case, actor=user_named("scjg_admin"), reason="需要现场核查")
    case.refresh_from_db()
    assert case.extension_days == 10 and case.statutory_due == date(2031, 4, 14)
    with pytest.raises(CaseError) as exc:
        case_extend(case=case, actor=user_named("scjg_admin"), reason="再延一次")
    assert "只能延长一次" in str(exc.value)
    assert Extension.objects.filter(case=case).count() == 1


def test_due_soon_and_overdue_are_computed_at_read_time(make_case, user_named):
    case = make_case()
    with at(2031, 3, 3):
        accept(case, user_named("scjg_clerk"))
    case.refresh_from_db()
    calendar = current_calendar()
    assert (
        deadlines.state(
            calendar, status=case.status, promised_due=case.promised_due, today=date(2031, 3, 4)
        ).state
        == "running"
    )
    soon = deadlines.state(
        calendar, status=case.status, promised_due=case.promised_due, today=date(2031, 3, 6)
    )
    assert (soon.state, soon.remaining) == ("due_soon", 2)
    late = deadlines.state(
        calendar, status=case.status, promised_due=case.promised_due, today=date(2031, 3, 12)
    )
    assert (late.state, late.remaining) == ("overdue", -2)


def test_the_weekend_after_the_promised_friday_is_already_overdue(make_case, user_named):
    """The queue badge, its overdue tab and the supervision counts agree: past
    the promised date is overdue, even before another working day has passed."""
    case = make_case()
    with at(2031, 3, 7):  # a Friday; 5 working days → Friday 14 March
        accept(case, user_named("scjg_clerk"))
    case.refresh_from_db()
    assert case.promised_due == date(2031, 3, 14)
    calendar = current_calendar()
    friday = deadlines.state(
        calendar, status=case.status, promised_due=case.promised_due, today=date(2031, 3, 14)
    )
    saturday = deadlines.state(
        calendar, status=case.status, promised_due=case.promised_due, today=date(2031, 3, 15)
    )
    monday = deadlines.state(
        calendar, status=case.status, promised_due=case.promised_due, today=date(2031, 3, 17)
    )
    assert (friday.state, friday.remaining) == ("due_soon", 0)
    assert (saturday.state, saturday.remaining) == ("overdue", 0)
    assert (monday.state, monday.remaining) == ("overdue", -1)


def test_the_clerk_walks_the_lifecycle_on_the_case_page(login_as, make_case):
    case = make_case()
    clerk = login_as("scjg_clerk")
    clerk.post(reverse("cases:accept", args=[case.pk]))
    page = clerk.get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    assert "承诺办结日期" in page and "剩余" in page
    # bad input: no reason, unknown kind, days out of range
    response = clerk.post(
        reverse("cases:suspend", args=[case.pk]),
        {"kind": "hearing", "reason": "", "expected_days": 3},
        follow=True,
    )
    assert "这个字段是必填项" in response.content.decode()
    response = clerk.post(
        reverse("cases:suspend", args=[case.pk]),
        {"kind": "<x>", "reason": "r", "expected_days": 999},
        follow=True,
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED
    # resuming a case that is not suspended
    response = clerk.post(reverse("cases:resume", args=[case.pk]), follow=True)
    assert "不在特别程序中" in response.content.decode()
    clerk.post(
        reverse("cases:suspend", args=[case.pk]),
        {"kind": "hearing", "reason": "举行听证", "expected_days": 5},
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUSPENDED
    clerk.post(reverse("cases:resume", args=[case.pk]))
    # approving twice / completing without a certificate number
    decision = {"opinion": "符合法定条件", "confirm": "on"}
    clerk.post(reverse("cases:approve", args=[case.pk]), decision)
    response = clerk.post(reverse("cases:approve", args=[case.pk]), decision, follow=True)
    assert "不能变更为" in response.content.decode()
    response = clerk.post(
        reverse("cases:complete", args=[case.pk]),
        {"certificate_number": "", "delivery": "post"},
        follow=True,
    )
    assert "这个字段是必填项" in response.content.decode()
    clerk.post(
        reverse("cases:complete", args=[case.pk]),
        {"certificate_number": "JY13308020012345", "delivery": "electronic"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.certificate_number == "JY13308020012345"
    assert case.completed_at is not None
    history = list(case.history.values_list("to_status", flat=True))
    assert history == ["submitted", "accepted", "suspended", "accepted", "approved", "completed"]


def test_reject_needs_a_reason(login_as, make_case, user_named):
    case = make_case()
    case_transition(case=case, to=CaseStatus.ACCEPTED, actor=user_named("scjg_clerk"))
    clerk = login_as("scjg_clerk")
    response = clerk.post(
        reverse("cases:reject", args=[case.pk]), {"reject-reason": ""}, follow=True
    )
    assert "不予许可须写明理由" in response.content.decode()
    clerk.post(
        reverse("cases:reject", args=[case.pk]),
        {"reject-reason": "不符合法定条件", "reject-confirm": "on"},
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.REJECTED


def test_internal_notes_stay_inside(client, login_as, make_case):
    case = make_case()
    clerk = login_as("scjg_clerk")
    response = clerk.post(reverse("cases:note", args=[case.pk]), {"text": ""}, follow=True)
    assert "请填写备注内容" in response.content.decode()
    clerk.post(reverse("cases:note", args=[case.pk]), {"text": "申请人来电，明日补交原件。"})
    assert InternalNote.objects.filter(case=case).count() == 1
    from django.test import Client

    applicant = Client()
    applicant.post(reverse("cases:track"), {"number": case.query_number, "phone": case.phone})
    assert (
        "明日补交原件"
        not in applicant.get(reverse("cases:status", args=[case.query_number])).content.decode()
    )


@pytest.mark.parametrize(
    "name", ["suspend", "resume", "approve", "reject", "complete", "extend", "note"]
)
def test_other_departments_cannot_act(login_as, make_case, name):
    case = make_case(status=CaseStatus.ACCEPTED)
    response = login_as("zrzy_clerk").post(
        reverse(f"cases:{name}", args=[case.pk]), {"text": "x", "reason": "x"}
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_entering_a_years_schedule_recomputes_open_cases(
    make_case, user_named, django_capture_on_commit_callbacks
):
    from hall.core.models import AuditEntry
    from hall.workdays.models import Holiday, PublishedYear
    from hall.workdays.services import calendar_changes_deliver

    case = make_case()
    done = make_case()
    with at(2031, 3, 3):
        accept(case, user_named("scjg_clerk"))
        accept(done, user_named("scjg_clerk"))
    case_transition(case=done, to=CaseStatus.APPROVED, actor=user_named("scjg_clerk"))
    done.refresh_from_db()
    before_done = done.promised_due
    with django_capture_on_commit_callbacks(execute=True):
        PublishedYear.objects.create(year=2031, published=True)
        Holiday.objects.create(date=date(2031, 3, 5), kind="holiday", name="测试假日")
    case.refresh_from_db()
    assert case.promised_due == date(2031, 3, 10)  # not in the request: in the worker
    assert calendar_changes_deliver() == {2031}  # what the worker calls
    case.refresh_from_db()
    done.refresh_from_db()
    assert case.promised_due == date(2031, 3, 11)  # one day later: 5 Mar is now a holiday
    assert case.deadline_provisional is False
    assert done.promised_due == before_done  # a decided case keeps its dates
    entries = AuditEntry.objects.filter(action="case.deadlines_recomputed", object_id=str(case.pk))
    assert entries.count() == 1


def test_the_queue_shows_the_deadline_and_sorts_by_it(login_as, make_case, user_named):
    late, early = make_case(), make_case()
    with at(2031, 3, 3):
        accept(early, user_named("scjg_clerk"))
    with at(2031, 3, 10):
        accept(late, user_named("scjg_clerk"))
    with at(2031, 3, 11):
        page = login_as("scjg_clerk").get(
            reverse("cases:queue"), {"tab": "accepted", "sort": "deadline"}
        )
    rows = list(page.context["page"])
    assert [c.pk for c in rows] == [early.pk, late.pk]
    assert rows[0].clock.state == "overdue" and rows[1].clock.state == "running"
    assert "超期 1 天" in page.content.decode()


def test_due_soon_and_overdue_tabs(login_as, make_case, user_named):
    soon, late, fine = make_case(), make_case(), make_case()
    with at(2031, 3, 3):
        accept(late, user_named("scjg_clerk"))
    with at(2031, 3, 7):
        accept(soon, user_named("scjg_clerk"))
    with at(2031, 3, 10):
        accept(fine, user_named("scjg_clerk"))
    with at(2031, 3, 12):  # late due 10 Mar, soon due 14 Mar, fine due 17 Mar
        clerk = login_as("scjg_clerk")
        overdue = clerk.get(reverse("cases:queue"), {"tab": "overdue"})
        due_soon = clerk.get(reverse("cases:queue"), {"tab": "due_soon"})
        junk = clerk.get(reverse("cases:queue"), {"tab": "<script>", "q": "' OR 1=1"})
    assert [c.pk for c in overdue.context["page"]] == [late.pk]
    assert [c.pk for c in due_soon.context["page"]] == [soon.pk]
    assert junk.status_code == 200 and junk.context["tab"] == "all"
