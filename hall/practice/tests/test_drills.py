"""The drills: set up, done on the real screens (or answered), scored per
criterion with feedback; bad answers; the reset; the practice set; the rights."""

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from hall.cases.constants import CaseStatus
from hall.cases.models import Case, CaseFile
from hall.core.models import AuditEntry
from hall.practice import services
from hall.practice.constants import AttemptStatus
from hall.practice.models import DrillAttempt
from hall.practice.scenarios import acceptance_day, national_day_year


def start(client, scenario) -> DrillAttempt:
    response = client.post(reverse("practice:drill_start"), {"scenario": scenario})
    attempt = DrillAttempt.objects.order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == reverse(
        "practice:drill", args=[attempt.pk]
    )
    return attempt


def check(client, attempt, answer=None):
    data = {} if answer is None else {"answer": answer}
    return client.post(reverse("practice:drill_check", args=[attempt.pk]), data)


def scored(attempt) -> DrillAttempt:
    return DrillAttempt.objects.get(pk=attempt.pk)


# ---- a walk-in applicant lacks one original ------------------------------------------


def walk_in(client, attempt, *, decision, reason="", originals="all"):
    from hall.catalogue.models import ServiceItem

    item = ServiceItem.objects.get(pk=attempt.setup["item"])
    a = attempt.setup["applicant"]
    data = {**a, "decision": decision, "reason": reason}
    for m in item.materials.all():
        data[f"got_{m.pk}"] = "on"
        if originals == "all" or m.name != attempt.setup["material_name"]:
            data[f"orig_{m.pk}"] = "on"
    return client.post(reverse("cases:walk_in", args=[item.code]), data)


def test_missing_original_refused_with_the_material_named_scores_full(in_practice, licence):
    client = in_practice()
    attempt = start(client, "missing_original")
    assert attempt.setup["material_name"] == "法定代表人身份证"
    walk_in(
        client,
        attempt,
        decision="refuse",
        reason="缺少法定代表人身份证原件，请携带原件后再来办理。",
        originals="but_missing",
    )
    check(client, attempt)
    result = scored(attempt)
    assert (result.score, result.max_score, result.status) == (100, 100, AttemptStatus.SCORED)
    assert result.case.status == CaseStatus.NOT_ACCEPTED and result.case.practice


def test_missing_original_accepted_loses_the_points_with_the_reasons(in_practice, licence):
    client = in_practice()
    attempt = start(client, "missing_original")
    walk_in(client, attempt, decision="accept")
    check(client, attempt)
    result = scored(attempt)
    assert result.score == 0
    feedback = [r["feedback"] for r in result.results]
    assert "不能受理" in feedback[0] and "法定代表人身份证" in feedback[1]
    assert "不应勾选" in feedback[2]
    page = client.get(reverse("practice:drill", args=[attempt.pk])).content.decode()
    assert "0 / 100" in page and "不应勾选" in page


def test_missing_original_scored_before_anything_was_recorded(in_practice, licence):
    client = in_practice()
    attempt = start(client, "missing_original")
    check(client, attempt)
    result = scored(attempt)
    assert result.score == 0 and "没有找到" in result.results[0]["feedback"]


# ---- a deadline that falls over 国庆 ----------------------------------------------------


@pytest.fixture
def national_day(in_practice, licence, calendar_2026):
    with time_machine.travel(date(2026, 9, 1), tick=False):
        yield _national_day(in_practice, licence)


def _national_day(in_practice, licence):
    client = in_practice()
    attempt = start(client, "national_day")
    # worked out by hand: accepted Tuesday 9/29; 9/30 is day 1, 10/1–7 are off,
    # 10/8 and 10/9 are days 2 and 3, Saturday 10/10 is worked (day 4), Monday
    # 10/12 is day 5
    assert attempt.setup == {
        "item": licence.pk,
        "item_name": licence.name,
        "promised_days": 5,
        "accepted_on": "2026-09-29",
    }
    return client, attempt


def test_the_drill_date_is_set_before_national_day(calendar_2026):
    assert national_day_year(calendar_2026, date(2026, 3, 1)) == 2026
    assert acceptance_day(calendar_2026, 2026) == date(2026, 9, 29)


@pytest.mark.parametrize(
    "answer, score, hint",
    [
        ("2026-10-12", 100, ""),
        ("2026年10月12日", 100, ""),
        ("2026/10/9", 20, "2026-10-12"),  # a working day, but the make-up Saturday is missed
        ("2026-10-06", 0, "没有扣除国庆假期"),  # weekends only: inside the holiday
    ],
)
def test_national_day_deadline_scored(national_day, answer, score, hint):
    client, attempt = national_day
    assert check(client, attempt, answer).status_code == 302
    result = scored(attempt)
    assert result.score == score
    assert hint in " ".join(r["feedback"] for r in result.results)


@pytest.mark.parametrize(
    "answer, message",
    [
        ("", "请填写答案。"),
        ("十月十二日", "日期格式不正确"),
        ("2026-13-40", "日期格式不正确"),
        ("<script>alert(1)</script>", "日期格式不正确"),
        ("2" * 10_000, "答案过长"),
    ],
)
def test_bad_answers_get_a_message_and_score_nothing(national_day, answer, message):
    client, attempt = national_day
    response = check(client, attempt, answer)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text and "<script>alert" not in text
    assert scored(attempt).status == AttemptStatus.OPEN and scored(attempt).score is None


def test_a_scored_drill_is_not_scored_twice(national_day):
    client, attempt = national_day
    check(client, attempt, "2026-10-12")
    response = check(client, attempt, "2026-10-09")
    assert response.status_code == 400 and "已经评分" in response.content.decode()
    assert scored(attempt).score == 100


# ---- a correction notice that must list everything -----------------------------------------


def correct(client, attempt, materials):
    data = {f"mat_{m}_on": "on" for m in materials}
    data |= {f"mat_{m}_note": "未上传，请补充" for m in materials}
    return client.post(reverse("cases:correction", args=[attempt.case.pk]), data)


def test_full_correction_listing_everything_scores_full(in_practice, licence):
    client = in_practice()
    attempt = start(client, "full_correction")
    missing = attempt.setup["missing"]
    assert len(missing) == 2
    assert not attempt.case.files.filter(material_id__in=missing).exists()
    correct(client, attempt, missing)
    check(client, attempt)
    assert scored(attempt).score == 100


def test_full_correction_missing_one_material_says_which(in_practice, licence):
    client = in_practice()
    attempt = start(client, "full_correction")
    first, second = attempt.setup["missing"]
    correct(client, attempt, [first])
    check(client, attempt)
    result = scored(attempt)
    assert result.score == 60
    assert attempt.setup["missing_names"][1] in result.results[2]["feedback"]


def test_full_correction_accepted_instead_scores_nothing(in_practice, licence):
    client = in_practice()
    attempt = start(client, "full_correction")
    client.post(reverse("cases:accept", args=[attempt.case.pk]))
    check(client, attempt)
    result = scored(attempt)
    assert result.score == 0 and "不能受理" in result.results[0]["feedback"]


# ---- whose drill, which case --------------------------------------------------------


def test_another_clerks_drill_and_a_real_case_id_are_404(in_practice, login_as, licence, make_case):
    mine = start(in_practice(), "full_correction")
    other = in_practice("kc_scjg_clerk")
    assert other.get(reverse("practice:drill", args=[mine.pk])).status_code == 404
    assert check(other, mine).status_code == 404
    real = make_case("submitted")
    client = login_as("scjg_clerk")
    missing = DrillAttempt.objects.order_by("-pk").first().pk + real.pk
    assert client.get(reverse("practice:drill", args=[missing])).status_code == 404
    # a practice case is no page for another clerk in practice mode either
    assert other.get(reverse("cases:staff_case", args=[mine.case.pk])).status_code == 404
    assert scored(mine).status == AttemptStatus.OPEN


def test_an_unknown_scenario_gets_a_message(in_practice, licence):
    client = in_practice()
    response = client.post(reverse("practice:drill_start"), {"scenario": "<b>x</b>"}, follow=True)
    assert "没有这个考核情景" in response.content.decode()
    assert not DrillAttempt.objects.exists()


def test_a_drill_the_department_cannot_hold_says_so(in_practice, make_item, city_scjg):
    make_item(city_scjg, "只有两项材料的事项")  # no original checked, one online material
    client = in_practice()
    response = client.post(
        reverse("practice:drill_start"), {"scenario": "full_correction"}, follow=True
    )
    assert "暂不能进行此项考核" in response.content.decode()


# ---- the practice set and its reset ---------------------------------------------------------


def test_switching_on_makes_the_practice_set_and_is_audited(in_practice, clerk, licence):
    in_practice()
    cases = Case.all_objects.filter(practice_of=clerk)
    statuses = set(cases.values_list("status", flat=True))
    assert statuses == {
        CaseStatus.SUBMITTED,
        CaseStatus.CORRECTION_REQUESTED,
        CaseStatus.ACCEPTED,
        CaseStatus.SUSPENDED,
        CaseStatus.APPROVED,
        CaseStatus.COMPLETED,
    }
    assert cases.filter(channel="walk_in").exists()
    assert all(p.startswith("100") and len(p) == 11 for p in cases.values_list("phone", flat=True))
    assert set(cases.values_list("department_id", flat=True)) == {clerk.staff.department_id}
    assert AuditEntry.objects.filter(action="practice.on", actor=clerk).count() == 1


def test_reset_removes_the_practice_cases_with_their_files_and_makes_new_ones(
    in_practice, clerk, user_named, licence, django_capture_on_commit_callbacks
):
    client = in_practice()
    attempt = start(client, "full_correction")
    check(client, attempt)
    colleague = user_named("scjg_admin")
    services.practice_switch(actor=colleague, session={}, on=True)
    theirs = set(Case.all_objects.filter(practice_of=colleague).values_list("pk", flat=True))
    old = set(Case.all_objects.filter(practice_of=clerk).values_list("pk", flat=True))
    files = [Path(f.file.path) for f in CaseFile.objects.filter(case_id__in=old)]
    assert files and all(f.exists() for f in files)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("practice:reset"))
    assert response.status_code == 302
    new = set(Case.all_objects.filter(practice_of=clerk).values_list("pk", flat=True))
    assert new and not new & old
    assert not any(f.exists() for f in files)
    assert (
        set(Case.all_objects.filter(practice_of=colleague).values_list("pk", flat=True)) == theirs
    )
    # the score stays (its case is gone); clearing the record removes it
    assert scored(attempt).score is not None and scored(attempt).case is None
    client.post(reverse("practice:reset"), {"clear_attempts": "on"})
    assert not DrillAttempt.objects.filter(clerk=clerk).exists()
    assert AuditEntry.objects.filter(action="practice.reset", actor=clerk).count() == 2


def test_drills_are_audited(in_practice, clerk, licence):
    client = in_practice()
    attempt = start(client, "full_correction")
    check(client, attempt)
    actions = list(
        AuditEntry.objects.filter(actor=clerk, action__startswith="practice.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["practice.on", "practice.drill_start", "practice.drill_check"]


def test_the_practice_page_shows_the_scores(in_practice, licence):
    client = in_practice()
    attempt = start(client, "full_correction")
    check(client, attempt)
    page = client.get(reverse("practice:home")).content.decode()
    assert "已评分 1 次，最高 0 分，平均 0 分" in page
    assert "已开启" in page
