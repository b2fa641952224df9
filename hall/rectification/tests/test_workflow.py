"""The task's lifecycle: the transition table walked move by move through the
services, every move outside the table refused with nothing changed, the
deadlines on the working-day calendar, the counters equal to a recount."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from conftest import PDF_BYTES
from hall.core.models import AuditEntry
from hall.notifications.models import Notification
from hall.ratings import stats
from hall.ratings.constants import Kind
from hall.ratings.models import RatingStat
from hall.rectification import deadlines, services, workflow
from hall.rectification.constants import TaskStatus as S
from hall.rectification.errors import TaskError, TaskForbidden
from hall.rectification.models import Step, Task
from hall.workdays.calendar import WorkCalendar

pytestmark = pytest.mark.django_db


def _evidence():
    return [SimpleUploadedFile("告知单.pdf", PDF_BYTES, content_type="application/pdf")]


# Each move of the table, made through its service by someone holding its right.
def _move(task, dst, users, rate):
    clerk, center = users("scjg_clerk"), users("city_admin")
    src = task.status
    if (src, dst) == (S.CALLBACK, S.VERIFY):
        services.task_record_callback(task=task, actor=clerk, reached=False, note="电话未接通")
    elif (src, dst) == (S.VERIFY, S.RECTIFY):
        services.task_verify(task=task, actor=clerk, note="情况属实")
    elif (src, dst) == (S.VERIFY, S.APPEAL):
        services.task_appeal(task=task, actor=clerk, reason="已一次性告知", files=_evidence())
    elif (src, dst) == (S.APPEAL, S.UPHELD):
        services.task_decide_appeal(task=task, actor=center, upheld=True, note="申诉成立")
    elif (src, dst) == (S.APPEAL, S.RECTIFY):
        services.task_decide_appeal(task=task, actor=center, upheld=False, note="申诉不成立")
    elif (src, dst) == (S.RECTIFY, S.REPLY):
        services.task_record_rectification(task=task, actor=clerk, text="修订材料清单")
    elif (src, dst) == (S.REPLY, S.FOLLOW_UP):
        services.task_reply(task=task, actor=clerk, text="已整改，欢迎追评")
    elif (src, dst) == (S.FOLLOW_UP, S.CLOSED):
        rate(task.case, 4, kind=Kind.FOLLOW_UP)
    else:  # pragma: no cover
        raise AssertionError(f"no service for {src} → {dst}")
    task.refresh_from_db()


# The way to each status from a fresh task.
PATHS = {
    S.CALLBACK: [],
    S.VERIFY: [S.VERIFY],
    S.RECTIFY: [S.VERIFY, S.RECTIFY],
    S.APPEAL: [S.VERIFY, S.APPEAL],
    S.UPHELD: [S.VERIFY, S.APPEAL, S.UPHELD],
    S.REPLY: [S.VERIFY, S.RECTIFY, S.REPLY],
    S.FOLLOW_UP: [S.VERIFY, S.RECTIFY, S.REPLY, S.FOLLOW_UP],
    S.CLOSED: [S.VERIFY, S.RECTIFY, S.REPLY, S.FOLLOW_UP, S.CLOSED],
}


def _walk(task, status, users, rate):
    for dst in PATHS[status]:
        _move(task, dst, users, rate)
    assert task.status == status
    return task


def test_every_status_is_reachable_and_the_paths_follow_the_table():
    assert set(PATHS) == set(S.values)
    for path in PATHS.values():
        src = S.CALLBACK
        for dst in path:
            assert workflow.can_move(src, dst), (src, dst)
            src = dst


@pytest.mark.parametrize(("src", "dst"), sorted(workflow.MOVES))
def test_each_move_of_the_table(bad_task, user_named, rate, src, dst):
    task = _walk(bad_task, src, user_named, rate)
    steps = task.steps.count()
    _move(task, dst, user_named, rate)
    assert task.status == dst
    assert task.steps.count() == steps + 1
    assert task.steps.last().to_status == dst
    assert AuditEntry.objects.filter(action=f"rectification.{dst}", object_id=str(task.pk)).exists()


# Every staff step, tried in every status: only the table's moves go through.
_STEPS = {
    S.VERIFY: lambda t, u: services.task_record_callback(
        task=t, actor=u("scjg_clerk"), reached=True, note="已联系"
    ),
    S.RECTIFY: lambda t, u: services.task_verify(task=t, actor=u("scjg_clerk"), note="属实"),
    S.APPEAL: lambda t, u: services.task_appeal(
        task=t, actor=u("scjg_clerk"), reason="不属实", files=_evidence()
    ),
    S.UPHELD: lambda t, u: services.task_decide_appeal(
        task=t, actor=u("city_admin"), upheld=True, note="成立"
    ),
    S.REPLY: lambda t, u: services.task_record_rectification(
        task=t, actor=u("scjg_clerk"), text="已整改"
    ),
    S.FOLLOW_UP: lambda t, u: services.task_reply(task=t, actor=u("scjg_clerk"), text="已答复"),
}


@pytest.mark.parametrize("status", list(S.values))
def test_a_step_out_of_order_is_refused_and_changes_nothing(bad_task, user_named, rate, status):
    task = _walk(bad_task, status, user_named, rate)
    for dst, step in _STEPS.items():
        if workflow.can_move(status, dst):
            continue
        steps, entries = task.steps.count(), AuditEntry.objects.count()
        with pytest.raises(TaskError, match="不能.*请刷新"), transaction.atomic():
            step(task, user_named)
        task.refresh_from_db()
        assert task.status == status
        assert (task.steps.count(), AuditEntry.objects.count()) == (steps, entries)


def test_a_bad_rating_opens_a_task_in_its_transaction(make_case, rate, city_scjg):
    case = make_case("completed")
    before = stats.stored()
    rating = rate(case, 1, tags=["attitude"])
    task = Task.objects.get(rating=rating)
    assert (task.status, task.department, task.case_id) == (S.CALLBACK, city_scjg, case.pk)
    assert task.rectify_days == 15
    assert Step.objects.filter(task=task, to_status=S.CALLBACK).exists()
    assert AuditEntry.objects.filter(action="rectification.open", object_id=str(task.pk)).exists()
    row = RatingStat.objects.get(item=case.item)
    assert row.tasks_opened == 1 and stats.stored() != before
    # A rating rolled back takes its task with it.
    other = make_case("completed")
    with pytest.raises(RuntimeError), transaction.atomic():
        rate(other, 2)
        raise RuntimeError
    assert not Task.objects.filter(case_id=other.pk).exists()
    assert stats.stored() == stats.recount()


@pytest.mark.parametrize("level", [3, 4, 5])
def test_a_good_rating_opens_nothing(make_case, rate, level):
    rate(make_case("completed"), level, tags=[])
    assert not Task.objects.exists()


def test_the_whole_way_sends_the_reply_and_the_follow_up_closes(bad_task, user_named, rate):
    task = _walk(bad_task, S.FOLLOW_UP, user_named, rate)
    sms = Notification.objects.get(event="rectification_reply")
    assert sms.idempotency_key == f"rectification:{task.pk}:reply"
    assert sms.recipient == task.case.phone and "/rate/" in sms.text
    task.rating.refresh_from_db()
    assert task.rating.follow_up_open_at is not None
    _move(task, S.CLOSED, user_named, rate)
    assert task.closed_at is not None and task.on_time is True
    row = RatingStat.objects.get(item=task.case.item)
    assert (row.tasks_opened, row.tasks_closed, row.tasks_on_time) == (1, 1, 1)
    assert stats.stored() == stats.recount()


def test_an_applicant_who_declined_sms_gets_no_reply_sms_but_the_follow_up(
    bad_task, user_named, rate
):
    from hall.cases.models import Case

    Case.objects.filter(pk=bad_task.case_id).update(sms_opt_in=False)
    task = _walk(bad_task, S.FOLLOW_UP, user_named, rate)
    assert not Notification.objects.filter(event="rectification_reply").exists()
    task.rating.refresh_from_db()
    assert task.reply and task.rating.follow_up_open_at is not None


def test_an_upheld_appeal_closes_and_counts(bad_task, user_named, rate):
    task = _walk(bad_task, S.UPHELD, user_named, rate)
    assert task.evidence.count() == 1 and task.on_time is True
    row = RatingStat.objects.get(item=task.case.item)
    assert (row.tasks_closed, row.tasks_on_time) == (1, 1)
    assert stats.stored() == stats.recount()


def test_late_is_closed_but_not_on_time(make_case, rate, user_named, time_machine):
    time_machine.move_to("2026-11-02 10:00 +0800", tick=False)  # a Monday
    task = rate(make_case("completed"), 2).rectification
    assert task.callback_due == date(2026, 11, 3)
    assert task.rectify_due == date(2026, 11, 23)
    time_machine.move_to("2026-11-24 10:00 +0800", tick=False)
    _walk(task, S.CLOSED, user_named, rate)
    assert (task.status, task.on_time) == (S.CLOSED, False)
    row = RatingStat.objects.get(item=task.case.item)
    assert (row.tasks_closed, row.tasks_on_time) == (1, 0)
    assert stats.stored() == stats.recount()


def test_a_follow_up_of_a_task_not_waiting_for_it_changes_nothing(bad_task, rate):
    from hall.ratings.services import rating_open_follow_up

    rating_open_follow_up(rating=bad_task.rating, actor=None)
    rate(bad_task.case, 5, kind=Kind.FOLLOW_UP)
    bad_task.refresh_from_db()
    assert bad_task.status == S.CALLBACK and bad_task.closed_at is None


# ---- rights ------------------------------------------------------------------------


def test_the_department_handles_the_center_decides(bad_task, user_named, rate):
    _walk(bad_task, S.APPEAL, user_named, rate)
    with pytest.raises(TaskForbidden):
        services.task_decide_appeal(
            task=bad_task, actor=user_named("scjg_clerk"), upheld=True, note="自己审核"
        )
    services.task_decide_appeal(
        task=bad_task, actor=user_named("city_supervisor"), upheld=False, note="不成立"
    )
    assert bad_task.status == S.RECTIFY
    for name in ("zrzy_clerk", "kc_scjg_clerk", "city_supervisor"):
        with pytest.raises(TaskForbidden):
            services.task_record_rectification(task=bad_task, actor=user_named(name), text="越权")
    bad_task.refresh_from_db()
    assert bad_task.status == S.RECTIFY


def test_settings_are_the_center_admins_and_count_for_new_tasks(
    make_case, rate, user_named, city_scjg, time_machine
):
    time_machine.move_to("2026-11-02 10:00 +0800", tick=False)
    with pytest.raises(TaskForbidden):
        services.settings_update(center=city_scjg.center, actor=user_named("scjg_admin"), days=5)
    with pytest.raises(TaskForbidden):
        services.settings_update(center=city_scjg.center, actor=user_named("kc_admin"), days=5)
    with pytest.raises(TaskError, match="1 至 60"):
        services.settings_update(center=city_scjg.center, actor=user_named("city_admin"), days=0)
    services.settings_update(center=city_scjg.center, actor=user_named("city_admin"), days=5)
    assert AuditEntry.objects.filter(action="rectification.settings").count() == 1
    task = rate(make_case("completed"), 1, tags=["attitude"]).rectification
    assert (task.rectify_days, task.rectify_due) == (5, date(2026, 11, 9))


# ---- deadlines ------------------------------------------------------------------------

# 2026's 国庆 and 中秋: 10-01..10-08 off, Saturday 10-10 worked (as a schedule might say).
_HOLIDAYS = frozenset(date(2026, 10, d) for d in range(1, 9))
CALENDAR = WorkCalendar(
    holidays=_HOLIDAYS, workdays=frozenset({date(2026, 10, 10)}), known_years=frozenset({2026})
)


def test_a_rating_on_the_eve_of_a_holiday_is_called_back_after_it():
    due = deadlines.callback_due(CALENDAR, date(2026, 9, 30))
    assert (due.due, due.provisional) == (date(2026, 10, 9), False)
    assert deadlines.rectify_due(CALENDAR, date(2026, 9, 30), 2).due == date(2026, 10, 10)
    # Friday → Monday.
    assert deadlines.callback_due(CALENDAR, date(2026, 9, 25)).due == date(2026, 9, 28)
    # A year whose schedule is not published: provisional.
    assert deadlines.rectify_due(CALENDAR, date(2026, 12, 28), 15).provisional is True


@pytest.mark.parametrize(
    ("status", "today", "state"),
    [
        (S.CALLBACK, date(2026, 10, 9), "due_soon"),
        (S.CALLBACK, date(2026, 10, 10), "overdue"),
        (S.RECTIFY, date(2026, 10, 10), "running"),
        (S.REPLY, date(2026, 10, 27), "due_soon"),
        (S.APPEAL, date(2026, 10, 31), "overdue"),
        (S.FOLLOW_UP, date(2026, 12, 1), "stopped"),
        (S.CLOSED, date(2026, 12, 1), "stopped"),
    ],
)
def test_the_clock_of_each_status(status, today, state):
    callback = deadlines.callback_due(CALENDAR, date(2026, 9, 30)).due
    rectify = deadlines.rectify_due(CALENDAR, date(2026, 9, 30), 15).due
    assert rectify == date(2026, 10, 28)
    clock = deadlines.state(
        CALENDAR, status=status, callback_due=callback, rectify_due=rectify, today=today
    )
    assert clock.state == state


@given(
    rated_on=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 1)),
    days=st.integers(min_value=1, max_value=60),
)
def test_deadlines_fall_on_working_days_in_order(rated_on, days):
    callback = deadlines.callback_due(CALENDAR, rated_on).due
    rectify = deadlines.rectify_due(CALENDAR, rated_on, days).due
    assert CALENDAR.is_workday(callback) and CALENDAR.is_workday(rectify)
    assert rated_on < callback <= rectify
    assert CALENDAR.working_days_between(rated_on, rectify) == days
