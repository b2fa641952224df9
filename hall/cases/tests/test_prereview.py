"""The two-way pre-review: track with number + phone, clerk replies and one
notice of everything to correct, applicant remarks and resubmits, clerk sees
what changed and accepts; every round kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import PDF_BYTES, PNG_BYTES
from hall.cases.constants import CaseStatus
from hall.cases.models import Case, CaseFile, ReviewMessage, Round, StatusChange

pytestmark = pytest.mark.django_db
TRACK = reverse("cases:track")


@pytest.fixture(autouse=True)
def day_long_windows(settings):
    """The same limits over a day-long window, so a test never straddles a window boundary."""
    settings.LOOKUP_LIMIT_PER_CLIENT = (20, 86400)
    settings.LOOKUP_LIMIT_PER_NUMBER = (10, 86400)
    settings.LOOKUP_MISSES_PER_CLIENT = (30, 86400)
    settings.LOOKUP_MISSES_PER_CLIENT_NUMBER = (5, 86400)


def track(client, number, phone, ip="10.0.0.1"):
    return client.post(TRACK, {"number": number, "phone": phone}, REMOTE_ADDR=ip)


def test_track_with_number_and_phone_or_its_last_four_digits(client, make_case):
    case = make_case()
    response = track(client, case.display_number.lower(), "13857012345")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:status", args=[case.query_number])
    page = Client()
    assert track(page, case.query_number.replace("0", "O"), "2345").status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "已提交（待预审）" in body and "窗口工作人员将在 1 个工作日内预审" in body


def test_wrong_number_and_wrong_phone_get_the_same_answer(client, make_case):
    case = make_case()
    other = make_case(phone="13900000000")
    wrong_phone = track(client, case.query_number, "13900000000")
    # one wrong symbol: the check symbol always catches it
    first = other.query_number[0]
    typo = ("1" if first != "1" else "2") + other.query_number[1:]
    wrong_number = track(Client(), typo, "13857012345")
    unknown = Client()
    from hall.cases import querynumbers

    unknown_number = track(unknown, querynumbers.generate(), "13857012345")
    texts = [r.content.decode() for r in (wrong_phone, unknown_number)]
    assert all("没有找到与该查询号和手机号匹配的办件" in t for t in texts)
    # A typo is caught by the check symbol, before any lookup, with its own help.
    assert "查询号有误" in wrong_number.content.decode()
    assert "_auth_user_id" not in client.session
    assert case.pk not in client.session.get("case_access", [])


def test_lookups_are_rate_limited_per_client(client, make_case):
    from hall.cases import querynumbers

    statuses = [
        track(client, querynumbers.generate(), "13857012345").status_code for _ in range(25)
    ]
    assert statuses[:20] == [200] * 20
    assert statuses[20:] == [429] * 5
    limited = track(client, querynumbers.generate(), "13857012345")
    assert "查询过于频繁，请稍后再试" in limited.content.decode()
    # another client is not affected
    assert track(Client(), querynumbers.generate(), "1", ip="10.0.0.2").status_code == 200


def test_repeated_wrong_phones_guard_a_number_without_locking_its_applicant(client, make_case):
    case = make_case()
    for i in range(10):
        track(Client(), case.query_number, f"1390000{i:04d}", ip=f"10.1.0.{i}")
    # the last four digits no longer do: the whole phone is asked for, not refused
    four = track(Client(), case.query_number, "2345", ip="10.2.0.1")
    assert four.status_code == 200
    assert "请输入申请时填写的完整手机号码" in four.content.decode()
    whole = track(Client(), case.query_number, "13857012345", ip="10.2.0.1")
    assert whole.status_code == 302


def test_a_thousand_random_numbers_leak_nothing(make_case):
    from hall.cases import querynumbers
    from hall.cases.selectors import case_for_applicant

    make_case()
    hits = sum(
        case_for_applicant(querynumbers.generate(), "13857012345") is not None for _ in range(1_000)
    )
    assert hits == 0


def _clerk_case_url(case):
    return reverse("cases:staff_case", args=[case.pk])


def test_full_round_trip(client, login_as, make_case):
    case = make_case()
    track(client, case.query_number, "13857012345")
    clerk = login_as("scjg_clerk")
    page = clerk.get(_clerk_case_url(case)).content.decode()
    assert "张三小吃" in page and "申请书.pdf" in page
    # a reply, then one notice listing everything to correct
    clerk.post(reverse("cases:reply", args=[case.pk]), {"text": "请补充经营场所平面图。"})
    form_material = case.item.materials.get(name="食品经营许可申请书")
    plan = case.item.materials.get(name="经营场所平面图")
    response = clerk.post(
        reverse("cases:correction", args=[case.pk]),
        {
            f"mat_{form_material.pk}_on": "on",
            f"mat_{form_material.pk}_note": "申请书缺少法定代表人签字",
            f"mat_{plan.pk}_on": "on",
            f"mat_{plan.pk}_note": "请上传经营场所平面图",
            "fld_shop_name_on": "on",
            "fld_shop_name_note": "店铺名称应与营业执照一致",
            "text": "请一次性补齐以下三项。",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION_REQUESTED
    notice = ReviewMessage.objects.get(case=case, kind="correction")
    assert [p.subject for p in notice.points.all()] == [
        "食品经营许可申请书",
        "经营场所平面图",
        "店铺名称",
    ]

    # the applicant sees the replies and the list, replaces a file, adds one, resubmits
    status = client.get(reverse("cases:status", args=[case.query_number])).content.decode()
    assert "请补充经营场所平面图。" in status and "申请书缺少法定代表人签字" in status
    old_file = case.files.get()
    response = client.post(
        reverse("cases:resubmit", args=[case.query_number]),
        {
            "remarks": "已补签字并上传平面图。",
            "replace": [old_file.pk],
            f"m_{form_material.pk}": [SimpleUploadedFile("申请书（已签字）.pdf", PDF_BYTES)],
            f"m_{plan.pk}": [SimpleUploadedFile("平面图.png", PNG_BYTES)],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.round) == (CaseStatus.SUBMITTED, 2)
    old_file.refresh_from_db()
    assert old_file.replaced_in_round == 2
    assert CaseFile.objects.filter(case=case).count() == 3
    assert Round.objects.get(case=case, number=2).remarks == "已补签字并上传平面图。"

    # the clerk sees what changed since the last round, and accepts
    page = clerk.get(_clerk_case_url(case)).content.decode()
    assert (
        "第 2 轮的变化" in page
        and "申请书（已签字）.pdf" in page
        and "已补签字并上传平面图。" in page
    )
    assert clerk.post(reverse("cases:accept", args=[case.pk])).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.accepted_at is not None
    history = list(StatusChange.objects.filter(case=case).values_list("to_status", flat=True))
    assert history == ["submitted", "correction_requested", "submitted", "accepted"]
    assert (
        "已受理" in client.get(reverse("cases:status", args=[case.query_number])).content.decode()
    )


def test_resubmitting_an_accepted_case_is_refused(client, make_case):
    case = make_case(status=CaseStatus.ACCEPTED)
    track(client, case.query_number, "13857012345")
    before = Round.objects.filter(case=case).count()
    response = client.post(
        reverse("cases:resubmit", args=[case.query_number]),
        {"remarks": "再交一次"},
    )
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "不能重新提交" in follow
    assert Round.objects.filter(case=case).count() == before
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_resubmission_with_a_bad_file_keeps_everything(client, make_case):
    case = make_case(status=CaseStatus.CORRECTION_REQUESTED)
    track(client, case.query_number, "13857012345")
    material = case.item.materials.get(name="食品经营许可申请书")
    response = client.post(
        reverse("cases:resubmit", args=[case.query_number]),
        {
            "remarks": "补交",
            f"m_{material.pk}": [SimpleUploadedFile("a.pdf", b"MZ" + b"\x00" * 99)],
        },
    )
    assert response.status_code == 400
    assert "内容不是允许的格式" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.round, case.files.count()) == (CaseStatus.CORRECTION_REQUESTED, 1, 1)


def test_applicant_withdraws_before_a_decision(client, make_case):
    case = make_case()
    track(client, case.query_number, "13857012345")
    client.post(reverse("cases:withdraw", args=[case.query_number]), {"reason": "不再需要"})
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    last = case.history.last()
    assert last.by_applicant and last.reason == "不再需要"
    again = client.post(reverse("cases:withdraw", args=[case.query_number]))
    assert "不能变更为" in client.get(again["Location"]).content.decode()


def test_clerk_actions_need_a_reason_and_the_right_state(login_as, make_case):
    case = make_case()
    clerk = login_as("scjg_clerk")
    response = clerk.post(reverse("cases:refuse", args=[case.pk]), {"reason": ""}, follow=True)
    assert "不予受理须写明理由" in response.content.decode()
    response = clerk.post(reverse("cases:correction", args=[case.pk]), {}, follow=True)
    assert "请勾选需要补正的材料或字段" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    clerk.post(
        reverse("cases:refuse", args=[case.pk]), {"reason": "不属于本部门职权范围", "confirm": "on"}
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_ACCEPTED
    response = clerk.post(reverse("cases:accept", args=[case.pk]), follow=True)
    assert "不能变更为" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NOT_ACCEPTED


@pytest.mark.parametrize("username", ["zrzy_clerk", "kc_scjg_clerk", "kc_admin"])
def test_other_departments_and_centers_get_404(login_as, make_case, username):
    case = make_case()
    client = login_as(username)
    file = case.files.first()
    for url in (
        reverse("cases:staff_case", args=[case.pk]),
        reverse("cases:staff_file", args=[case.pk, file.pk]),
    ):
        assert client.get(url).status_code == 404
    for name in ("accept", "reply", "refuse", "correction"):
        assert (
            client.post(
                reverse(f"cases:{name}", args=[case.pk]), {"reason": "x", "text": "x"}
            ).status_code
            == 404
        )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    assert not ReviewMessage.objects.filter(case=case).exists()


def test_supervisor_sees_but_cannot_act(login_as, make_case):
    case = make_case()
    supervisor = login_as("city_supervisor")
    assert supervisor.get(reverse("cases:staff_case", args=[case.pk])).status_code == 200
    assert supervisor.post(reverse("cases:accept", args=[case.pk])).status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_images_preview_inline_and_files_are_served_safely(client, login_as, make_case):
    case = make_case()
    plan = case.item.materials.get(name="经营场所平面图")
    CaseFile.objects.create(
        case=case,
        round=case.rounds.get(),
        material=plan,
        material_name=plan.name,
        file=SimpleUploadedFile("x.png", PNG_BYTES),
        original_name="平面图.png",
        kind="png",
        size=len(PNG_BYTES),
        sha256="0",
    )
    image = case.files.get(kind="png")
    response = login_as("scjg_clerk").get(reverse("cases:staff_file", args=[case.pk, image.pk]))
    assert response["Content-Type"] == "image/png"
    assert "inline" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    page = login_as("scjg_clerk").get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    assert '<img class="preview"' in page
