"""The results pipeline (双公示): queued with the decision in its transaction,
published after the center's hold, masked, withdrawn with a reason, late ones
in supervision, none for an unflagged item."""

from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from hall.announcements import masking, selectors, services
from hall.announcements.models import ResultEntry, ResultSettings
from hall.cases.services import case_approve, case_complete
from hall.cases.tests.factories import ApplicantFactory, clerk_of
from hall.catalogue.constants import ResultField

pytestmark = pytest.mark.django_db

ALL_FIELDS = list(ResultField.values)


@pytest.fixture
def flagged(online_item):
    online_item.publish_decisions = True
    online_item.result_fields = ALL_FIELDS
    online_item.save(update_fields=["publish_decisions", "result_fields"])
    return online_item


@pytest.fixture
def hold(flagged):
    def set_hold(days):
        ResultSettings.objects.update_or_create(center=flagged.center, defaults={"hold_days": days})

    return set_hold


def _person():
    return ApplicantFactory(name="张三丰", phone="13857012345", id_number="11010519491231002X")


def test_approving_queues_one_entry_inside_the_transaction(flagged, make_case):
    case = make_case("accepted")
    clerk = clerk_of(flagged.department)
    with transaction.atomic():
        case_approve(case=case, actor=clerk, opinion="准予许可")
        # Before any commit: the entry is part of the approval's transaction.
        assert ResultEntry.objects.filter(case=case).count() == 1
    case_complete(case=case, actor=clerk, certificate_number="JY13308000123", delivery="on_site")
    entries = ResultEntry.objects.filter(case=case)
    assert entries.count() == 1  # approve then complete: one entry
    assert dict(entries.get().values)["licence_number"] == "JY13308000123"


def test_a_rolled_back_approval_queues_nothing(flagged, make_case):
    case = make_case("accepted")
    clerk = clerk_of(flagged.department)
    with pytest.raises(RuntimeError), transaction.atomic():
        case_approve(case=case, actor=clerk, opinion="准予许可")
        assert ResultEntry.objects.filter(case=case).exists()
        raise RuntimeError("something after the status change failed")
    case.refresh_from_db()
    assert case.status == "accepted"
    assert not ResultEntry.objects.filter(case=case).exists()


def test_published_after_the_hold_and_masked(flagged, hold, client):
    from hall.cases.tests.factories import CaseFactory

    hold(1)

    case = CaseFactory(item=flagged, applicant=_person(), approved=True)
    entry = ResultEntry.objects.get(case=case)
    decided_day = timezone.localdate(entry.decided_at)
    assert timezone.localdate(entry.shown_from) > decided_day  # the next working day
    assert entry.shown_from.astimezone(timezone.get_current_timezone()).hour == 0
    before, after = entry.shown_from - timedelta(seconds=1), entry.shown_from
    assert not selectors.public_results(now=before).filter(pk=entry.pk).exists()
    assert selectors.public_results(now=after).filter(pk=entry.pk).exists()
    values = dict(entry.values)
    assert values["applicant"] == "张**"
    assert values["credit_code"] == ""
    assert entry.applicant == "张**"
    text = str(entry.values)
    assert "11010519491231002X" not in text and "13857012345" not in text
    # Not public yet: the page does not exist; after the hold it does, masked.
    assert client.get(f"/announcements/results/{entry.pk}/").status_code == 404
    ResultEntry.objects.filter(pk=entry.pk).update(shown_from=timezone.now())
    page = client.get(f"/announcements/results/{entry.pk}/").content.decode()
    assert "张**" in page and "张三丰" not in page


def test_hold_zero_publishes_at_once(flagged, hold):
    from hall.cases.tests.factories import CaseFactory

    hold(0)
    case = CaseFactory(item=flagged, approved=True)
    entry = ResultEntry.objects.get(case=case)
    assert selectors.public_results().filter(pk=entry.pk).exists()


def test_a_withdrawn_entry_says_so(flagged, hold, client, user_named):
    from hall.cases.tests.factories import CaseFactory

    hold(0)
    case = CaseFactory(item=flagged, applicant=_person(), approved=True)
    entry = ResultEntry.objects.get(case=case)
    admin = user_named("city_admin")
    services.result_withdraw(actor=admin, entry=entry, reason="许可决定已依法撤销")
    page = client.get(f"/announcements/results/{entry.pk}/").content.decode()
    today = timezone.localdate()
    assert "撤回" in page and "许可决定已依法撤销" in page
    assert f"{today.year}年{today.month}月{today.day}日" in page
    assert "张**" not in page
    from hall.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="announcements.result_withdraw").exists()
    # A second withdrawal and an empty reason are refused.
    with pytest.raises(ValueError):
        services.result_withdraw(actor=admin, entry=entry, reason="再次")


def test_another_centers_admin_cannot_withdraw(flagged, hold, user_named):
    from django.core.exceptions import PermissionDenied

    from hall.cases.tests.factories import CaseFactory

    hold(0)
    entry = ResultEntry.objects.get(case=CaseFactory(item=flagged, approved=True))
    with pytest.raises(PermissionDenied):
        services.result_withdraw(actor=user_named("kc_admin"), entry=entry, reason="x")
    with pytest.raises(PermissionDenied):
        services.result_withdraw(actor=user_named("city_supervisor"), entry=entry, reason="x")


def test_an_entry_past_seven_working_days_is_late(online_item, make_case, login_as):
    """The item was flagged after the decision: the entry made later is public
    only after the limit, so it is late; supervision lists it."""
    case = make_case("approved")
    assert not ResultEntry.objects.filter(case=case).exists()  # not flagged then
    online_item.publish_decisions = True
    online_item.result_fields = ALL_FIELDS
    online_item.save()
    case.refresh_from_db()
    entry = services.result_queue(case=case, now=case.decided_at + timedelta(days=14))
    assert entry.shown_from > entry.due_at
    assert selectors.late_results(ResultEntry.objects.all()).filter(pk=entry.pk).exists()
    page = login_as("city_admin").get("/staff/supervision/").content.decode()
    assert "许可结果逾期公示" in page and online_item.name in page


def test_an_entry_within_the_limit_is_not_late(flagged, hold):
    from hall.cases.tests.factories import CaseFactory

    hold(1)
    entry = ResultEntry.objects.get(case=CaseFactory(item=flagged, approved=True))
    assert not selectors.late_results(ResultEntry.objects.all()).filter(pk=entry.pk).exists()


def test_seven_working_days_cross_the_national_day_holiday():
    from hall.workdays.calendar import WorkCalendar

    holidays = frozenset(datetime(2026, 10, d).date() for d in range(1, 8))
    cal = WorkCalendar(holidays=holidays, known_years=frozenset({2026}))
    decided = timezone.make_aware(datetime(2026, 9, 30, 15, 0))
    shown, due = services.publication_times(decided, 1, queued_at=decided, calendar=cal)
    assert timezone.localtime(shown).date().isoformat() == "2026-10-08"
    # 10-08, 09 (Fri), 12, 13, 14, 15, 16 → due by the end of 10-16.
    assert timezone.localtime(due).date().isoformat() == "2026-10-17"


def test_an_unflagged_item_is_refused(online_item, make_case):
    case = make_case("approved")
    assert not ResultEntry.objects.filter(case=case).exists()
    with pytest.raises(services.ResultRefused):
        services.result_queue(case=case)
    assert not ResultEntry.objects.exists()


def test_a_company_is_shown_in_full(flagged, hold):
    from hall.cases.tests.factories import CaseFactory

    hold(0)
    company = ApplicantFactory(
        kind="company",
        name="衢州市示范食品有限公司",
        id_type="uscc",
        id_number="91330800MA2DXXXX0X",
        phone="13857012345",
        address="浙江省衢州市柯城区荷花路 8 号",
    )
    entry = ResultEntry.objects.get(
        case=CaseFactory(item=flagged, applicant=company, approved=True)
    )
    values = dict(entry.values)
    assert values["applicant"] == "衢州市示范食品有限公司"
    assert values["credit_code"] == "91330800MA2DXXXX0X"
    assert values["address"] == "浙江省衢州市柯城区荷花路 8 号"


@pytest.mark.parametrize(
    "name,masked",
    [("张三", "张**"), ("欧阳娜娜", "欧**"), (" 李 ", "李**"), ("", "")],
)
def test_mask_person_name(name, masked):
    assert masking.mask_person_name(name) == masked


@pytest.mark.parametrize(
    "address,cut",
    [
        ("浙江省衢州市柯城区荷花路1号", "浙江省衢州市柯城区"),
        ("衢州市江山市虎山街道12号", "衢州市江山市"),
        ("龙游县东华街道", "龙游县"),
        ("衢州市柯城区示范路 12 号", "衢州市柯城区"),
        ("荷花路1号", ""),
        ("浙江省荷花路1号", ""),
    ],
)
def test_cut_address(address, cut):
    assert masking.cut_address(address) == cut


def test_person_values_never_hold_id_or_phone():
    values = masking.shown_values(
        ALL_FIELDS,
        is_person=True,
        name="王小明",
        credit_code="11010519491231002X",
        licence_number="JY1",
        content="经营者 王小明 电话 13857012345 身份证 11010519491231002X",
        decision_date="2026-12-01",
        validity="",
        address="衢州市柯城区荷花路 1 号 13857012345",
        authority="市场监管局",
    )
    shown = dict(values)
    assert shown["applicant"] == "王**"
    assert shown["credit_code"] == ""
    assert shown["address"] == "衢州市柯城区"
    assert "13857012345" not in str(values) and "11010519491231002X" not in str(values)
    assert [code for code, _v in values] == ALL_FIELDS


def test_a_decision_never_queued_is_listed_once_past_the_limit(online_item, make_case, user_named):
    """Flagged after the decision and never entered: supervision lists it once
    seven working days have passed, and no longer once its entry exists."""
    supervisor = user_named("city_supervisor")
    case = make_case("approved")
    decided = timezone.localdate(case.decided_at)
    assert not selectors.unqueued_decisions(supervisor, today=decided + timedelta(days=30)).exists()
    online_item.publish_decisions = True
    online_item.save()
    late = selectors.unqueued_decisions(supervisor, today=decided + timedelta(days=30))
    assert list(late) == [case]
    assert not selectors.unqueued_decisions(supervisor, today=decided + timedelta(days=1)).exists()
    assert not selectors.unqueued_decisions(
        user_named("kc_supervisor"), today=decided + timedelta(days=30)
    ).exists()
    services.result_queue(case=case)
    assert not selectors.unqueued_decisions(supervisor, today=decided + timedelta(days=30)).exists()
