"""Practice cases and real work never meet: the case manager follows the
request's practice owner, and every place an effect leaves the hall (SMS,
lookup, counters, supervision, ratings, results) refuses a practice case
itself, even when it is handed one directly."""

import pytest
from django.urls import reverse

from hall.announcements.models import ResultEntry
from hall.announcements.services import ResultRefused, result_queue
from hall.cases import selectors as case_selectors
from hall.cases import services as case_services
from hall.cases.constants import CaseStatus
from hall.cases.models import Case, StatusChange
from hall.core import practice
from hall.core.models import AuditEntry
from hall.notifications.models import Notification
from hall.notifications.services import notifications_for_case_event
from hall.practice import generator
from hall.ratings.errors import RatingError
from hall.ratings.models import Rating, RatingStat
from hall.ratings.services import rateable_kind, rating_submit
from hall.supervision.models import CaseDayStat, CaseMonthStat
from hall.supervision.services import stats_rebuild, stats_record


@pytest.fixture
def plain(make_item, city_scjg):
    """An item of the same department, with one online material, for real cases."""
    return make_item(city_scjg, "特种设备使用登记（真实）")


@pytest.fixture
def real_case(make_case, plain):
    return make_case("accepted", item=plain)


def practice_case(clerk, item, *, status="submitted", rng_seed=1):
    """A practice case of `clerk`, moved on through the real services in practice."""
    import random

    with practice.acting_for(clerk.pk):
        case = generator.make_case(clerk=clerk, item=item, rng=random.Random(rng_seed))
        if status in ("accepted", "approved", "completed"):
            case_services.case_accept(case=case, actor=clerk)
        if status in ("approved", "completed"):
            case_services.case_approve(case=case, actor=clerk, opinion="准予")
        if status == "completed":
            case_services.case_complete(
                case=case, actor=clerk, certificate_number="练习-1", delivery="on_site"
            )
    return Case.all_objects.get(pk=case.pk)


def real_counts() -> dict:
    return {
        "cases": Case.objects.count(),
        "history": StatusChange.objects.filter(case__practice_of=None).count(),
        "outbox": Notification.objects.count(),
        "day_stats": sorted(CaseDayStat.objects.values_list("day", "accepted", "completed")),
        "month_stats": sorted(CaseMonthStat.objects.values_list("month", "accepted", "completed")),
        "ratings": Rating.objects.count(),
        "rating_stats": sorted(RatingStat.objects.values_list("month", "finished")),
        "results": ResultEntry.objects.count(),
        "real": sorted(Case.objects.values_list("pk", "status", "updated_at")),
    }


# ---- the manager and the request's practice owner ------------------------------------


def test_the_default_manager_follows_the_practice_owner(clerk, user_named, plain, real_case):
    licence = plain
    other = user_named("kc_scjg_clerk")
    mine = practice_case(clerk, licence)
    theirs = practice_case(other, licence, rng_seed=2)
    assert mine.practice_of == clerk and mine.practice
    # real work: practice cases do not exist
    assert set(Case.objects.values_list("pk", flat=True)) == {real_case.pk}
    assert set(licence.cases.values_list("pk", flat=True)) == {real_case.pk}
    # the clerk's practice: their own practice cases only, reverse relations too
    with practice.acting_for(clerk.pk):
        assert set(Case.objects.values_list("pk", flat=True)) == {mine.pk}
        assert set(licence.cases.values_list("pk", flat=True)) == {mine.pk}
        assert not Case.objects.filter(pk=real_case.pk).exists()
        # a case made in practice is a practice case of the clerk
        made = Case.objects.create(
            query_number="PRACTICE00001X",
            item=licence,
            center_id=licence.center_id,
            department_id=licence.department_id,
            channel="walk_in",
            applicant_name="练习",
            phone="10000000000",
        )
        assert made.practice_of_id == clerk.pk
    assert practice.current_owner() is None
    # forward relations use the base manager: a history row still reaches its case
    row = StatusChange.objects.filter(case_id=theirs.pk).first()
    assert row.case.pk == theirs.pk
    # all_objects sees every case
    assert {real_case.pk, mine.pk, theirs.pk, made.pk} <= set(
        Case.all_objects.values_list("pk", flat=True)
    )


def test_only_staff_pages_of_a_clerk_who_switched_it_on_work_in_practice(
    in_practice, login_as, clerk, licence, real_case
):
    mine = practice_case(clerk, licence)
    client = login_as("scjg_clerk")
    queue = client.get(reverse("cases:queue"), {"tab": "all"}).content.decode()
    assert real_case.display_number in queue and mine.display_number not in queue
    assert "practice-banner" not in queue

    client = in_practice()
    page = client.get(reverse("cases:queue"), {"tab": "all"})
    text = page.content.decode()
    assert mine.display_number in text and real_case.display_number not in text
    assert "practice-banner" in text and "退出练习模式" in text
    # a real case is no page in practice mode, and no action either
    assert client.get(reverse("cases:staff_case", args=[real_case.pk])).status_code == 404
    before = Case.objects.get(pk=real_case.pk).status
    assert (
        client.post(reverse("cases:refuse", args=[real_case.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert Case.objects.get(pk=real_case.pk).status == before
    # searching a real query number in practice finds nothing
    found = client.get(reverse("cases:queue"), {"tab": "all", "q": real_case.query_number})
    assert real_case.display_number not in found.content.decode()
    # the public pages never work in practice, even in the same browser
    public = client.get(reverse("portal:home")).content.decode()
    assert "practice-banner" not in public
    assert practice.current_owner() is None  # the request put it back

    client.post(reverse("practice:switch"), {"on": "0"})
    text = client.get(reverse("cases:queue"), {"tab": "all"}).content.decode()
    assert real_case.display_number in text and "practice-banner" not in text


def test_practice_mode_needs_the_right_even_with_the_session_key(login_as, user_named, licence):
    supervisor = login_as("city_supervisor")
    assert supervisor.get(reverse("practice:home")).status_code == 404
    assert supervisor.post(reverse("practice:switch"), {"on": "1"}).status_code == 404
    session = supervisor.session
    assert not session.get(practice.SESSION_KEY)
    # a session that says practice (say the right was taken away since) is ignored
    session[practice.SESSION_KEY] = True
    session.save()
    page = supervisor.get(reverse("org:landing"))
    assert "practice-banner" not in page.content.decode()


# ---- one test per place practice must not reach ----------------------------------------


def test_sms_outbox_takes_nothing_for_a_practice_case(clerk, licence, real_case):
    before = Notification.objects.count()
    case = practice_case(clerk, licence, status="completed")
    assert Notification.objects.count() == before
    # handed a practice case directly, outside practice mode, it still queues nothing
    assert notifications_for_case_event(case=case, event=CaseStatus.COMPLETED) == 0
    # while the real case's acceptance was queued as usual
    assert Notification.objects.filter(case=real_case, event=CaseStatus.ACCEPTED).exists()


def test_public_lookup_never_finds_a_practice_case(client, clerk, licence):
    case = practice_case(clerk, licence)
    assert case_selectors.case_for_applicant(case.query_number, case.phone) is None
    with practice.acting_for(clerk.pk):
        assert case_selectors.case_for_applicant(case.query_number, case.phone) is None
    response = client.post(
        reverse("cases:track"), {"number": case.display_number, "phone": case.phone}
    )
    assert case.applicant_name not in response.content.decode()
    assert client.get(reverse("cases:status", args=[case.query_number])).status_code == 404


def test_statistics_counters_count_no_practice_case(clerk, licence):
    case = practice_case(clerk, licence, status="completed")
    assert not CaseDayStat.objects.exists() and not CaseMonthStat.objects.exists()
    stats_record(case=case, event=CaseStatus.ACCEPTED)
    assert not CaseDayStat.objects.exists()
    # a recount made while a clerk is in practice still counts real cases only
    with practice.acting_for(clerk.pk):
        stats_rebuild()
    assert not CaseDayStat.objects.exists()


def test_supervision_lists_no_practice_case(login_as, clerk, licence, real_case):
    from datetime import timedelta

    from django.utils import timezone

    case = practice_case(clerk, licence, status="accepted")
    late = timezone.localdate() - timedelta(days=10)
    Case.all_objects.filter(pk__in=[case.pk, real_case.pk]).update(promised_due=late)
    page = login_as("city_supervisor").get(reverse("supervision:dashboard")).content.decode()
    assert real_case.display_number in page
    assert case.display_number not in page


def test_ratings_give_no_link_count_or_rating_for_a_practice_case(clerk, licence):
    case = practice_case(clerk, licence, status="completed")
    assert not Notification.objects.filter(event__startswith="rating").exists()
    assert not RatingStat.objects.exists()
    assert rateable_kind(case, "finished") == "练习办件不能评价。"
    with pytest.raises(RatingError):
        rating_submit(case=case, kind="finished", level=5, channel="web")
    assert not Rating.objects.exists()


def test_results_publish_no_practice_case(clerk, licence):
    licence.publish_decisions = True
    licence.save(update_fields=["publish_decisions"])
    case = practice_case(clerk, licence, status="completed")
    assert not ResultEntry.objects.exists()
    with pytest.raises(ResultRefused):
        result_queue(case=case)
    assert not ResultEntry.objects.exists()


def test_practice_actions_are_marked_in_the_audit_log(clerk, licence):
    case = practice_case(clerk, licence, status="accepted")
    entry = AuditEntry.objects.filter(action="case.accepted", object_id=str(case.pk)).get()
    assert entry.data["practice"] is True


def test_a_drill_on_the_real_screens_changes_nothing_real(
    in_practice, clerk, licence, real_case, make_case, plain
):
    make_case("completed", item=plain)
    before = real_counts()
    client = in_practice()
    client.post(reverse("practice:drill_start"), {"scenario": "full_correction"})
    from hall.practice.models import DrillAttempt

    attempt = DrillAttempt.objects.get(clerk=clerk)
    case = attempt.case
    data = {f"mat_{m}_on": "on" for m in attempt.setup["missing"]}
    data.update({f"mat_{m}_note": "请补充上传" for m in attempt.setup["missing"]})
    response = client.post(reverse("cases:correction", args=[case.pk]), data)
    assert response.status_code == 302
    # and on through the rest of the lifecycle of another practice case
    other = Case.all_objects.filter(practice_of=clerk, status="submitted").exclude(pk=case.pk)[0]
    assert client.post(reverse("cases:accept", args=[other.pk])).status_code == 302
    assert (
        client.post(
            reverse("cases:approve", args=[other.pk]), {"opinion": "准予", "confirm": "on"}
        ).status_code
        == 302
    )
    client.post(
        reverse("cases:complete", args=[other.pk]),
        {"certificate_number": "练习-9", "delivery": "on_site"},
    )
    assert Case.all_objects.get(pk=other.pk).status == CaseStatus.COMPLETED
    client.post(reverse("practice:drill_check", args=[attempt.pk]))
    assert DrillAttempt.objects.get(pk=attempt.pk).score == 100
    client.post(reverse("practice:reset"))
    assert real_counts() == before
