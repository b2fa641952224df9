"""The holiday table: seeding from chinesecalendar, the process-wide calendar,
the real 2024/2025 schedules, unpublished years and the change signal."""

from datetime import date

import chinese_calendar
import pytest
from django.core.management import call_command
from django.db import transaction

from hall.core.models import AuditEntry
from hall.workdays import services
from hall.workdays.constants import AUDIT_SEED, HolidayKind, HolidaySource
from hall.workdays.models import CalendarChange, Holiday, PublishedYear
from hall.workdays.services import (
    calendar_changes_deliver,
    calendar_seed_from_chinesecalendar,
    current_calendar,
    unpublished_years,
)
from hall.workdays.signals import calendar_changed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process_calendar():
    """Each test starts from its own database state, whatever the cache backend."""
    services._calendar["generation"] = None
    yield
    services._calendar["generation"] = None


@pytest.fixture
def seeded():
    return calendar_seed_from_chinesecalendar(last_year=2027)


@pytest.fixture
def changes():
    """The `years` of every calendar_changed sent."""
    sent = []

    def receiver(sender, years, **kwargs):
        sent.append(years)

    calendar_changed.connect(receiver)
    yield sent
    calendar_changed.disconnect(receiver)


# --- seeding ------------------------------------------------------------------------


def test_seed_stores_every_year_chinesecalendar_knows_and_is_idempotent(seeded):
    package_holidays = {d for d in chinese_calendar.holidays if d.year <= 2027}
    package_workdays = {d for d in chinese_calendar.workdays if d.year <= 2027}
    assert seeded["holidays_added"] == len(package_holidays)
    assert seeded["workdays_added"] == len(package_workdays)
    assert seeded["years"] == list(range(2004, 2027))  # 2027 is not covered yet: skipped
    assert seeded["years_published"] == seeded["years"]
    assert Holiday.objects.get(date=date(2024, 10, 1)).name == "国庆节"
    assert Holiday.objects.get(date=date(2025, 1, 26)).kind == HolidayKind.WORKDAY
    assert set(Holiday.objects.values_list("source", flat=True)) == {HolidaySource.CHINESECALENDAR}
    assert not PublishedYear.objects.filter(year=2027).exists()

    entry = AuditEntry.objects.get(action=AUDIT_SEED)
    assert entry.data["holidays_added"] == len(package_holidays)
    assert entry.data["years_published"][0] == 2004

    again = calendar_seed_from_chinesecalendar(last_year=2027)
    assert again["holidays_added"] == again["workdays_added"] == 0
    assert again["years_published"] == []
    assert Holiday.objects.count() == len(package_holidays) + len(package_workdays)
    # Nothing changed, nothing to audit: still the one entry.
    assert AuditEntry.objects.filter(action=AUDIT_SEED).count() == 1


def test_seed_keeps_manual_entries_and_reports_conflicts():
    Holiday.objects.create(date=date(2024, 10, 12), kind=HolidayKind.HOLIDAY, name="本地假日")
    PublishedYear.objects.create(year=2024, published=False)
    result = calendar_seed_from_chinesecalendar(last_year=2025)
    assert result["conflicts"] == ["2024-10-12"]
    kept = Holiday.objects.get(date=date(2024, 10, 12))
    assert (kept.kind, kept.source, kept.name) == ("holiday", "manual", "本地假日")
    assert PublishedYear.objects.get(year=2024).published
    assert 2024 in result["years_published"]


def test_seed_command_prints_counts(capsys):
    call_command("seed_holidays")
    out = capsys.readouterr().out
    assert "新增法定节假日" in out and "调休上班日" in out
    call_command("seed_holidays")
    assert "新增法定节假日 0 天，调休上班日 0 天" in capsys.readouterr().out


def test_seed_records_its_years_and_one_delivery_sends_them(
    changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        calendar_seed_from_chinesecalendar(last_year=2025)
    assert changes == []  # nothing runs in the seeding request itself
    assert set(CalendarChange.objects.values_list("year", flat=True)) == set(range(2004, 2026))
    assert calendar_changes_deliver() == frozenset(range(2004, 2026))
    assert changes == [frozenset(range(2004, 2026))]
    assert not CalendarChange.objects.exists()
    assert calendar_changes_deliver() == frozenset()
    assert len(changes) == 1


def test_a_receiver_that_fails_leaves_the_change_for_the_next_delivery(changes):
    Holiday.objects.create(date=date(2031, 3, 5), kind=HolidayKind.HOLIDAY, name="测试假日")

    def fail(sender, years, **kwargs):
        raise RuntimeError("a dependent failed")

    calendar_changed.connect(fail, weak=False, dispatch_uid="test_failing_calendar_receiver")
    try:
        with pytest.raises(RuntimeError):
            calendar_changes_deliver()
    finally:
        calendar_changed.disconnect(dispatch_uid="test_failing_calendar_receiver")
    assert list(CalendarChange.objects.values_list("year", flat=True)) == [2031]
    assert calendar_changes_deliver() == frozenset({2031})
    assert changes == [frozenset({2031})] * 2
    assert not CalendarChange.objects.exists()


# --- the real schedules ------------------------------------------------------------------


def test_national_day_2024(seeded):
    cal = current_calendar()
    accepted = date(2024, 9, 27)  # Friday
    # Sat 28 Sep: rest. Sun 29 Sep: make-up workday (1). Mon 30 Sep (2).
    # 1–7 Oct: National Day holiday. Tue 8 (3), Wed 9 (4), Thu 10 Oct (5).
    # The make-up Saturday 12 Oct is beyond the due date, so it plays no part.
    assert cal.add_working_days(accepted, 5) == date(2024, 10, 10)
    # Two more: Fri 11 Oct (6), Sat 12 Oct — a make-up workday — (7).
    assert cal.add_working_days(accepted, 7) == date(2024, 10, 12)
    assert cal.deadline(accepted, 5).provisional is False
    assert cal.working_days_between(accepted, date(2024, 10, 12)) == 7
    assert not cal.is_workday(date(2024, 10, 7))  # a Monday inside the holiday
    assert cal.is_workday(date(2024, 9, 29))  # a Sunday that is worked


def test_spring_festival_2025(seeded):
    cal = current_calendar()
    accepted = date(2025, 1, 24)  # Friday
    # Sat 25 Jan: rest. Sun 26 Jan: make-up workday (1). Mon 27 Jan (2).
    # 28 Jan – 4 Feb: Spring Festival. Wed 5 (3), Thu 6 (4), Fri 7 Feb (5).
    assert cal.add_working_days(accepted, 5) == date(2025, 2, 7)
    # Sat 8 Feb is a make-up workday (6); Sun 9 rest; Mon 10 Feb (7).
    assert cal.add_working_days(accepted, 6) == date(2025, 2, 8)
    assert cal.add_working_days(accepted, 7) == date(2025, 2, 10)
    # Suspended 5–7 Feb (3 working days): Sat 8 (3), Mon 10 (4), Tue 11 Feb (5).
    suspended = ((date(2025, 2, 5), date(2025, 2, 7)),)
    assert cal.add_working_days(accepted, 5, excluded=suspended) == date(2025, 2, 11)
    # Due Fri 7 Feb: on the make-up Saturday 8 Feb it is one working day overdue,
    # on Mon 10 Feb two; on the day of acceptance 5 remain.
    assert cal.remaining_working_days(date(2025, 2, 8), date(2025, 2, 7)) == -1
    assert cal.remaining_working_days(date(2025, 2, 9), date(2025, 2, 7)) == -1
    assert cal.remaining_working_days(date(2025, 2, 10), date(2025, 2, 7)) == -2
    assert cal.remaining_working_days(accepted, date(2025, 2, 7)) == 5


# --- unpublished years ------------------------------------------------------------------


def test_an_unpublished_year_gives_a_provisional_deadline_without_the_days_off_by_law(seeded):
    cal = current_calendar()
    accepted = date(2031, 9, 26)  # Friday; 2031's schedule is unknown
    # Mon 29 (1), Tue 30 (2), 1–3 Oct 国庆节 by law, Mon 6 (3), Tue 7 (4), Wed 8 Oct (5);
    # the bridging days of the State Council's schedule are not guessed.
    result = cal.deadline(accepted, 5)
    assert (result.due, result.provisional) == (date(2031, 10, 8), True)
    # A period running from a known year into an unknown one is provisional too:
    # Tue 29, Wed 30, Thu 31 Dec, 1 Jan 元旦, Mon 4 … Fri 8, Mon 11, Tue 12 Jan 2027.
    crossing = cal.deadline(date(2026, 12, 28), 10)
    assert (crossing.due, crossing.provisional) == (date(2027, 1, 12), True)
    assert cal.deadline(date(2026, 9, 1), 10).provisional is False


def test_entries_count_only_once_their_year_is_published():
    for day in range(1, 8):
        Holiday.objects.create(date=date(2031, 10, day), kind=HolidayKind.HOLIDAY, name="国庆节")
    accepted = date(2031, 9, 26)
    # Unpublished: only 1–3 Oct, the days off by law, are skipped.
    assert current_calendar().deadline(accepted, 5).due == date(2031, 10, 8)

    year = PublishedYear.objects.create(year=2031, published=True)
    # Mon 29 (1), Tue 30 Sep (2), 1–7 Oct holiday, Wed 8 (3), Thu 9 (4), Fri 10 Oct (5).
    result = current_calendar().deadline(accepted, 5)
    assert (result.due, result.provisional) == (date(2031, 10, 10), False)

    year.published = False
    year.save()
    assert current_calendar().deadline(accepted, 5).due == date(2031, 10, 8)


def test_unpublished_years_warns_about_this_year_and_next(seeded):
    assert unpublished_years(date(2026, 11, 27)) == [2027]
    assert unpublished_years(date(2025, 6, 1)) == []
    assert unpublished_years(date(2030, 1, 2)) == [2030, 2031]
    PublishedYear.objects.create(year=2027, published=False)
    assert unpublished_years(date(2026, 11, 27)) == [2027]


def test_seed_defaults_to_next_year(time_machine):
    time_machine.move_to(date(2026, 11, 27))
    result = calendar_seed_from_chinesecalendar()
    assert result["years"][-1] == 2026  # 2027 tried, not covered, skipped — no exception


# --- the process-wide calendar and the change signal ------------------------------------


def test_current_calendar_is_cached_until_the_table_changes(django_assert_num_queries):
    first = current_calendar()
    # Only the generation token is read (one query with the database cache).
    with django_assert_num_queries(1, exact=False):
        assert current_calendar() is first
    Holiday.objects.create(date=date(2031, 10, 1), kind=HolidayKind.HOLIDAY, name="国庆节")
    second = current_calendar()
    assert second is not first
    assert date(2031, 10, 1) not in second.holidays  # 2031 is not published
    PublishedYear.objects.create(year=2031, published=True)
    assert date(2031, 10, 1) in current_calendar().holidays


def test_each_change_records_its_years_for_the_worker_to_signal(changes):
    holiday = Holiday.objects.create(
        date=date(2030, 10, 1), kind=HolidayKind.HOLIDAY, name="国庆节"
    )
    assert changes == []
    assert calendar_changes_deliver() == {2030}

    holiday = Holiday.objects.get(pk=holiday.pk)
    holiday.date = date(2031, 10, 1)
    holiday.save()
    assert calendar_changes_deliver() == {2030, 2031}

    holiday.delete()
    assert calendar_changes_deliver() == {2031}

    PublishedYear.objects.create(year=2032, published=True)
    assert calendar_changes_deliver() == {2032}
    assert changes == [{2030}, {2030, 2031}, {2031}, {2032}]


def test_a_change_rolled_back_records_nothing(changes):
    with pytest.raises(RuntimeError), transaction.atomic():
        Holiday.objects.create(date=date(2030, 10, 1), kind=HolidayKind.HOLIDAY, name="国庆节")
        assert CalendarChange.objects.count() == 1  # written in the change's transaction
        raise RuntimeError("the change fails")
    assert not CalendarChange.objects.exists()
    assert calendar_changes_deliver() == frozenset()
    assert changes == []


def test_nothing_is_signalled_before_commit(changes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Holiday.objects.create(date=date(2030, 10, 2), kind=HolidayKind.HOLIDAY, name="国庆节")
    assert changes == []
    assert len(callbacks) == 1


def test_center_admins_are_warned_of_a_missing_schedule(login_as):
    import time_machine
    from django.urls import reverse

    with time_machine.travel("2031-06-01 10:00 +0800", tick=False):
        admin_page = login_as("city_admin").get(reverse("org:landing")).content.decode()
        clerk_page = login_as("scjg_clerk").get(reverse("org:landing")).content.decode()
    assert "2031、2032 年的节假日安排尚未录入" in admin_page
    assert "节假日安排尚未录入" not in clerk_page
