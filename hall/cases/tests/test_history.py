"""generate_history: many past cases in bulk, each consistent with its history."""

import random
from collections import Counter

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from hall.cases import querynumbers, workflow
from hall.cases.history import START, HistoryError, Path, generate_history
from hall.cases.models import Case, StatusChange, Suspension
from hall.cases.validators import MOBILE, is_resident_id, is_uscc
from hall.core.models import AuditEntry

pytestmark = pytest.mark.django_db

GENERATED_ON = "2026-11-18 10:00:00+08:00"
GENERATED = 1000  # enough for every status, special procedures still open included
FINAL_DECISIONS = {"approved", "rejected", "not_accepted"}


@pytest.fixture
def items(make_item, city_scjg, kc_scjg):
    return [
        make_item(city_scjg, "食品经营许可", promised=5, statutory=20, applicant_type="both"),
        make_item(city_scjg, "即办事项", promised=0, statutory=1, applicant_type="person"),
        make_item(kc_scjg, "建设工程许可", promised=10, statutory=20),
    ]


@pytest.fixture
def generated(items):
    # On a fixed day: which cases are still open depends on how far "now" is from
    # the working days the month drew, and a test must not change with the date.
    with time_machine.travel(GENERATED_ON, tick=False):
        return generate_history(count=GENERATED, months=1, seed=3)


def test_generates_the_count_with_a_mix_of_channels_and_statuses(generated, items):
    assert generated["cases"] == GENERATED
    cases = Case.objects.filter(form_data__has_key="generated")
    assert cases.count() == GENERATED
    channels = Counter(cases.values_list("channel", flat=True))
    assert 0.5 < channels["walk_in"] / GENERATED < 0.7
    statuses = Counter(cases.values_list("status", flat=True))
    assert {"completed", "accepted", "not_accepted", "rejected", "withdrawn", "suspended"} <= set(
        statuses
    )
    assert statuses["completed"] > GENERATED / 3
    assert AuditEntry.objects.filter(action="case.history_generated").count() == 1
    assert sum(i.application_count for i in type(items[0]).objects.all()) >= GENERATED


def test_every_case_agrees_with_its_history(generated):
    history = {}
    for change in StatusChange.objects.order_by("case_id", "at", "id"):
        history.setdefault(change.case_id, []).append(change)
    for case in Case.objects.all():
        path = history[case.pk]
        first = path[0].to_status
        assert path[0].from_status == ""
        if case.channel == "online":
            assert first == "submitted"
        else:
            assert first in ("accepted", "not_accepted")
        for before, after in zip(path, path[1:], strict=False):
            assert after.from_status == before.to_status
            assert after.at > before.at
        assert path[-1].to_status == case.status
        assert case.submitted_at == path[0].at
        statuses = [c.to_status for c in path]
        if "accepted" in statuses:
            accepted = next(c for c in path if c.to_status == "accepted")
            assert case.accepted_at == accepted.at
            assert case.promised_due and case.statutory_due
            assert case.promised_due <= case.statutory_due
            assert timezone.localdate(case.accepted_at) <= case.promised_due
        else:
            assert case.accepted_at is None and case.promised_due is None
        if case.decided_at:
            assert path[-1].to_status in FINAL_DECISIONS | {"completed"}
            if case.accepted_at:
                assert case.decided_at >= case.accepted_at
        if case.status == "completed":
            assert case.completed_at >= case.decided_at
            assert statuses[-2:] == ["approved", "completed"]
        if case.handled_by_id is None:
            assert all(c.actor_id is None for c in path)


def test_late_overdue_and_on_time_cases(generated):
    today = timezone.localdate()
    completed = Case.objects.filter(status="completed")
    late = [c for c in completed if timezone.localdate(c.decided_at) > c.promised_due]
    assert 0 < len(late) < completed.count() * 0.2
    overdue = Case.objects.filter(promised_due__lt=today, decided_at__isnull=True).exclude(
        status__in=["withdrawn", "suspended"]
    )
    assert overdue.exists()
    assert set(overdue.values_list("status", flat=True)) == {"accepted"}
    for case in Case.objects.filter(status="accepted"):
        assert case.decided_at is None and case.completed_at is None
        assert case.promised_due is not None


def test_numbers_identities_and_phones_are_valid(generated):
    rows = list(Case.objects.values_list("query_number", "id_type", "id_number", "phone"))
    numbers = [r[0] for r in rows]
    assert len(set(numbers)) == len(numbers)
    assert all(querynumbers.is_valid(n) for n in numbers)
    for _, id_type, id_number, phone in rows:
        assert is_resident_id(id_number) if id_type == "resident_id" else is_uscc(id_number)
        assert MOBILE.match(phone)


def test_suspended_cases_have_an_open_suspension(generated):
    suspended = set(Case.objects.filter(status="suspended").values_list("id", flat=True))
    assert suspended
    open_ = list(Suspension.objects.filter(ended_on__isnull=True).values_list("case_id", flat=True))
    assert sorted(open_) == sorted(suspended)
    for s in Suspension.objects.filter(ended_on__isnull=False):
        assert s.case.status != "suspended" and s.ended_on > s.started_on
    for s in Suspension.objects.all():
        # the special procedure states the reason its history shows
        assert s.reason == s.case.history.get(to_status="suspended").reason


def test_bench_command_refuses_without_the_flag(items):
    with pytest.raises(CommandError):
        call_command("bench_cases", "--count", "10")
    assert not Case.objects.exists()
    call_command("bench_cases", "--count", "10", "--i-know-this-is-a-bench-database")
    assert Case.objects.count() == 10


def test_every_generated_history_is_one_the_lifecycle_allows(items):
    generate_history(count=3000, months=12, seed=11)
    channels = dict(Case.objects.values_list("id", "channel"))
    handlers = dict(Case.objects.values_list("id", "handled_by_id"))
    seen = set()
    previous = {}
    for change in StatusChange.objects.order_by("case_id", "at", "id"):
        src, dst = change.from_status, change.to_status
        if change.case_id not in previous:
            first, applicant_starts = START[channels[change.case_id]]
            assert src == "" and dst in first and change.by_applicant == applicant_starts
        else:
            assert src == previous[change.case_id]
            assert dst in workflow.ALLOWED_TRANSITIONS[src], (src, dst)
            assert workflow.can_move(src, dst, by_applicant=change.by_applicant), (src, dst)
            seen.add((src, dst))
        expected_actor = None if change.by_applicant else handlers[change.case_id]
        assert change.actor_id == expected_actor
        previous[change.case_id] = dst
    assert len(previous) == 3000
    # the histories take every road of the lifecycle the generator knows
    assert seen == {
        ("submitted", "correction_requested"),
        ("correction_requested", "submitted"),
        ("submitted", "accepted"),
        ("submitted", "not_accepted"),
        ("submitted", "withdrawn"),
        ("accepted", "suspended"),
        ("suspended", "accepted"),
        ("accepted", "approved"),
        ("accepted", "rejected"),
        ("accepted", "withdrawn"),
        ("approved", "completed"),
    }


def test_the_generator_refuses_a_history_the_lifecycle_forbids():
    at = timezone.now()
    path = Path("walk_in", random.Random(1))
    with pytest.raises(HistoryError):
        path.move("submitted", at, by_applicant=True)  # a window case starts accepted
    path.move("accepted", at)
    with pytest.raises(HistoryError):
        path.move("completed", at)  # not before approval
    with pytest.raises(HistoryError):
        path.move("withdrawn", at, by_applicant=True)  # only the clerk, once accepted
    path.move("approved", at)
    assert [s.status for s in path.steps] == ["accepted", "approved"]
    assert path.steps[1].at > path.steps[0].at

    online = Path("online", random.Random(1))
    online.move("submitted", at, by_applicant=True)
    online.move("correction_requested", at)
    with pytest.raises(HistoryError):
        online.move("submitted", at)  # the resubmission is the applicant's
    with pytest.raises(HistoryError):
        Path("online", random.Random(1)).move("accepted", at)


def test_every_department_has_a_clerk_and_every_handled_case_names_them(make_item, qj_scjg):
    """The demo organisation staffs every window, so 按经办人 has no 未记录经办人 row."""
    from hall.org.models import Department

    unstaffed = Department.objects.exclude(staff__roles__kind="clerk")
    assert list(unstaffed.values_list("name", flat=True)) == []
    make_item(qj_scjg, "食品经营许可", promised=5, statutory=20, applicant_type="both")
    with time_machine.travel(GENERATED_ON, tick=False):
        generate_history(count=200, months=1, seed=5)
    handled = Case.objects.filter(history__by_applicant=False, history__actor__isnull=False)
    assert handled.exists()
    staffed_steps = Case.objects.filter(history__by_applicant=False).distinct()
    assert staffed_steps.filter(handled_by__isnull=True).count() == 0
