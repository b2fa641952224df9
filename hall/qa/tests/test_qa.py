"""The Q&A column: lifecycle table, deadlines, masking, asking and its guards,
rights, routing, review, FAQ promotion, the SMS, the asker's lookup, the API."""

import json
from datetime import date

import pytest
from django.core import signing
from django.urls import reverse

from hall.catalogue.models import ItemFAQ
from hall.notifications.models import Notification
from hall.org.models import Center, Department
from hall.qa import masking, services, workflow
from hall.qa.constants import QuestionStatus as S
from hall.qa.deadlines import due_on
from hall.qa.errors import QuestionError, QuestionForbidden
from hall.qa.forms import _SALT
from hall.qa.models import Question
from hall.workdays.calendar import WorkCalendar

PHONE = "13857012345"


def _old_token():
    return signing.dumps(0, salt=_SALT)  # shown long ago: never too fast


@pytest.fixture
def city(db):
    return Center.objects.get(region_code="330800")


@pytest.fixture
def scjg(city):
    return Department.objects.get(center=city, code="SCJG")


@pytest.fixture
def ask(city):
    def make(subject="个体户营业执照怎么办", text="开水果店要带什么材料？", department=None, **kw):
        return services.question_ask(
            center=city,
            department=department,
            subject=subject,
            question=text,
            name=kw.pop("name", ""),
            phone=kw.pop("phone", PHONE),
            may_publish=kw.pop("may_publish", True),
        )

    return make


# ---- the transition table ----------------------------------------------------------


def test_every_pair_of_statuses_against_the_table(ask, scjg, user_named):
    """Every (src, dst): the service moves exactly when the table says so."""
    admin = user_named("sysadmin")
    moves = {
        S.OPEN: lambda q: services.question_route(question=q, actor=admin, department=scjg),
        S.ROUTING: lambda q: services.question_send_back(
            question=q, actor=admin, reason="非本部门"
        ),
        S.ANSWERED: lambda q: (
            services.question_answer(question=q, actor=admin, text="答复")
            if q.status == S.OPEN
            else services.question_refer(question=q, actor=admin, code="NW01")
        ),
        S.PUBLISHED: lambda q: services.question_publish(
            question=q, actor=admin, subject="主题", text="问题"
        ),
        S.PRIVATE: lambda q: services.question_keep_private(
            question=q, actor=admin, reason="涉及个人"
        ),
    }
    n = 0
    for src in S.values:
        for dst in S.values:
            n += 1
            q = ask(subject=f"状态 {src} {dst}", text=str(n))
            Question.objects.filter(pk=q.pk).update(
                status=src, department=scjg if src != S.ROUTING else None
            )
            q.refresh_from_db()
            if (src, dst) == (S.OPEN, S.OPEN):
                other = Department.objects.get(center=scjg.center, code="ZRZY")

                def move(q, other=other):
                    return services.question_route(question=q, actor=admin, department=other)

            else:
                move = moves[dst]
            if workflow.can_move(src, dst):
                move(q)
                q.refresh_from_db()
                assert q.status == dst, (src, dst)
            else:
                with pytest.raises(QuestionError):
                    move(q)
                q.refresh_from_db()
                assert q.status == src, (src, dst)


# ---- the deadline --------------------------------------------------------------------


def test_a_question_asked_just_before_national_day_is_due_after_it():
    golden_week = frozenset(date(2026, 10, d) for d in range(1, 9))
    calendar = WorkCalendar(
        holidays=golden_week,
        workdays=frozenset({date(2026, 10, 10)}),
        known_years=frozenset({2026}),
    )
    # Asked Wednesday 30 September: days 1–2 are 9 and 10 October (a make-up Saturday),
    # 3–5 are 12–14 October.
    assert due_on(calendar, date(2026, 9, 30), 5).due == date(2026, 10, 14)
    assert due_on(calendar, date(2026, 9, 30), 1).due == date(2026, 10, 9)


# ---- masking -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的身份证 11010519491231002X 能办吗", "我的身份证 11**************** 能办吗"),
        ("电话13857012345", "电话138****2345"),
        ("手机 138 5701 2345 联系", "手机 138****2345 联系"),
        ("+86-138-5701-2345", "138****2345"),
        ("座机 0570-3058123", "座机 0570-*******"),
        ("（0570）3058123", "0570-*******"),
        ("张三丰来问", "张**来问"),
        ("全角１３８５７０１２３４５", "全角138****2345"),
        ("订单号 123456789012 不动", "订单号 123456789012 不动"),
    ],
)
def test_masking(text, expected):
    assert masking.mask(text, names=["张三丰"]) == expected


# ---- asking and its guards -------------------------------------------------------------


def _form(**changes):
    data = {
        "department": "",
        "subject": "办理食品经营许可",
        "question": "小餐馆要办哪些证？",
        "name": "",
        "phone": PHONE,
        "may_publish": "on",
        "website": "",
        "started": _old_token(),
    }
    data.update(changes)
    return data


def test_asking_gives_a_number_and_a_receipt(client, db):
    response = client.post(reverse("qa:ask"), _form())
    assert response.status_code == 302
    q = Question.objects.get()
    assert q.status == S.ROUTING and q.department is None and q.due_on
    page = client.get(response["Location"])
    assert q.display_number in page.content.decode()


def test_honeypot_and_too_fast_are_refused(client, db):
    r = client.post(reverse("qa:ask"), _form(website="http://spam"))
    assert r.status_code == 400 and "提交未成功" in r.content.decode()
    r = client.post(reverse("qa:ask"), _form(started=signing.dumps(2**40, salt=_SALT)))
    assert r.status_code == 400 and "提交过快" in r.content.decode()
    r = client.post(reverse("qa:ask"), _form(started="forged"))
    assert r.status_code == 400 and "页面已过期" in r.content.decode()
    assert not Question.objects.exists()


def test_the_same_text_twice_is_refused(client, db):
    assert client.post(reverse("qa:ask"), _form()).status_code == 302
    r = client.post(reverse("qa:ask"), _form(question=" 小餐馆要办哪些证？ "))
    assert r.status_code == 400 and "相同内容的问题已经提交过" in r.content.decode()
    assert Question.objects.count() == 1


def test_a_flood_from_one_client_meets_the_limit(client, db, settings):
    settings.QA_ASK_LIMIT_PER_CLIENT = (3, 3600)
    codes = [
        client.post(reverse("qa:ask"), _form(subject=f"问题{i}")).status_code for i in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    assert Question.objects.count() == 3


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"subject": "   "}, "subject", "这个字段是必填项"),
        ({"question": "x" * 10_000}, "question", "2000"),
        ({"phone": "12345"}, "phone", "请输入有效的 11 位中国大陆手机号码。"),
        ({"phone": "１３８５７０１２３４５x"}, "phone", "请输入有效的 11 位中国大陆手机号码。"),
        ({"department": "99999999999999999999"}, "department", ""),
    ],
)
def test_bad_input_is_refused_in_chinese(client, db, changes, field, message):
    r = client.post(reverse("qa:ask"), _form(**changes))
    assert r.status_code == 400
    assert field in r.context["form"].errors
    assert message in " ".join(r.context["form"].errors[field])
    assert not Question.objects.exists()


def test_script_emoji_and_nul_are_kept_as_text(client, db):
    r = client.post(
        reverse("qa:ask"), _form(subject="<script>alert(1)</script>😀", question="a\x00b 😀")
    )
    assert r.status_code == 302
    q = Question.objects.get()
    assert q.subject == "<script>alert(1)</script>😀" and q.question == "ab 😀"
    page = client.get(r["Location"]).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_non_utf8_bytes_are_no_server_error(client, db):
    body = b"subject=%FF%FE&question=%C3%28&phone=13857012345&started=x"
    r = client.post(reverse("qa:ask"), body, content_type="application/x-www-form-urlencoded")
    assert r.status_code in (400, 403)
    assert not Question.objects.exists()


# ---- rights ------------------------------------------------------------------------


def test_another_departments_clerk_gets_404_and_the_service_refuses(
    ask, scjg, login_as, user_named
):
    q = ask(department=scjg)
    client = login_as("zrzy_clerk")
    assert client.get(reverse("qa:staff_detail", args=[q.pk])).status_code == 404
    r = client.post(reverse("qa:answer", args=[q.pk]), {"answer": "越权答复"})
    assert r.status_code == 404
    with pytest.raises(QuestionForbidden):
        services.question_answer(question=q, actor=user_named("zrzy_clerk"), text="越权答复")
    q.refresh_from_db()
    assert q.status == S.OPEN and not q.answer


def test_a_clerk_cannot_route_or_publish(ask, scjg, login_as, user_named):
    q = ask()
    client = login_as("scjg_clerk")
    assert client.post(reverse("qa:route", args=[q.pk]), {"department": scjg.pk}).status_code == 404
    with pytest.raises(QuestionForbidden):
        services.question_route(question=q, actor=user_named("scjg_clerk"), department=scjg)
    # the clerk's queue: only his department's questions
    mine = ask(subject="本部门的问题", department=scjg)
    page = client.get(reverse("qa:queue"), {"tab": "all"})
    assert [x.pk for x in page.context["page"]] == [mine.pk]


# ---- the staff journey: route with a suggestion, answer, review, FAQ, SMS ------------


def test_route_answer_review_publish_promote(ask, scjg, login_as, make_item, settings, tmp_path):
    from hall.catalogue.search import catalogue_changed

    item = make_item(scjg, "个体工商户设立登记")
    make_item(Department.objects.get(center=scjg.center, code="ZRZY"), "不动产登记")
    catalogue_changed()
    q = ask(
        subject="个体工商户设立登记要什么材料",
        text="我叫王小明，身份证 11010519491231002X，电话 13857012345，开店要什么材料？",
        name="王小明",
    )
    admin = login_as("city_admin")
    page = admin.get(reverse("qa:staff_detail", args=[q.pk]))
    assert [d.code for d in page.context["suggested"]][:1] == ["SCJG"]
    assert admin.post(reverse("qa:route", args=[q.pk]), {"department": scjg.pk}).status_code == 302
    clerk = login_as("scjg_clerk")
    assert (
        clerk.post(
            reverse("qa:answer", args=[q.pk]), {"answer": "请带身份证和场所证明。"}
        ).status_code
        == 302
    )
    q.refresh_from_db()
    assert q.status == S.ANSWERED
    sms = Notification.objects.get(idempotency_key=f"question:{q.pk}:answered")
    assert sms.recipient == PHONE and q.display_number in sms.text
    # the review starts from the masked wording; the reviewer masks further by hand
    admin = login_as("city_admin")
    form = admin.get(reverse("qa:staff_detail", args=[q.pk])).context["publish_form"]
    draft = form.initial["published_question"]
    assert (
        "11010519491231002X" not in draft and "13857012345" not in draft and "王小明" not in draft
    )
    r = admin.post(
        reverse("qa:publish", args=[q.pk]),
        {
            "published_subject": "个体工商户设立登记材料",
            "published_question": draft.replace("开店", "开一家店"),
        },
    )
    assert r.status_code == 302
    q.refresh_from_db()
    assert q.status == S.PUBLISHED
    assert "11010519491231002X" in q.question and "王小明" in q.question  # the original kept
    assert "开一家店" in q.published_question and "13857012345" not in q.published_question
    listed = admin.get(reverse("qa:list"), {"q": "个体工商户"}).content.decode()
    assert "个体工商户设立登记材料" in listed
    assert admin.post(reverse("qa:promote", args=[q.pk]), {"item": item.code}).status_code == 302
    faq = ItemFAQ.objects.get(item=item)
    assert faq.question == "个体工商户设立登记材料" and faq.answer == "请带身份证和场所证明。"
    assert item.versions.count() >= 1
    # the file gateway writes the SMS
    settings.NOTIFY_GATEWAY = "file"
    settings.NOTIFY_FILE_PATH = str(tmp_path / "sms.jsonl")
    from hall.notifications.worker import Worker

    Worker("t").run_batch()
    lines = (tmp_path / "sms.jsonl").read_text(encoding="utf-8")
    assert q.display_number in lines


def test_referral_by_the_center(ask, login_as):
    q = ask(subject="养老保险关系转移", text="外地的养老保险怎么转过来？")
    admin = login_as("city_admin")
    page = admin.get(reverse("qa:staff_detail", args=[q.pk]))
    assert page.context["matching_matters"][0]["matter"] == "养老保险关系转移"
    assert (
        admin.post(reverse("qa:refer", args=[q.pk]), {"matter": "NW01", "note": ""}).status_code
        == 302
    )
    q.refresh_from_db()
    assert q.status == S.ANSWERED and q.referral == "养老保险关系转移" and "社会保险" in q.answer
    assert Notification.objects.filter(idempotency_key=f"question:{q.pk}:answered").exists()


def test_not_published_without_consent_and_private_needs_a_reason(ask, scjg, user_named):
    admin = user_named("city_admin")
    q = ask(may_publish=False, department=scjg)
    services.question_answer(question=q, actor=user_named("scjg_clerk"), text="答复")
    with pytest.raises(QuestionError):
        services.question_publish(question=q, actor=admin, subject="s", text="t")
    with pytest.raises(QuestionError):
        services.question_keep_private(question=q, actor=admin, reason="   ")
    services.question_keep_private(question=q, actor=admin, reason="提问人未同意公开")
    q.refresh_from_db()
    assert q.status == S.PRIVATE and q.private_reason == "提问人未同意公开"


# ---- the asker's lookup ---------------------------------------------------------------


def test_track_by_number_and_phone(client, ask, settings):
    q = ask()
    wrong_phone = client.post(reverse("qa:track"), {"number": q.number, "phone": "13900000000"})
    unknown = client.post(reverse("qa:track"), {"number": "7K3M-Q9RT-X2HD-5W", "phone": PHONE})
    assert wrong_phone.status_code == unknown.status_code == 200
    assert (
        wrong_phone.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    )
    ok = client.post(reverse("qa:track"), {"number": q.display_number.lower(), "phone": PHONE})
    assert ok.status_code == 302
    settings.LOOKUP_MISSES_PER_CLIENT_NUMBER = (2, 3600)
    for _i in range(3):
        r = client.post(reverse("qa:track"), {"number": "7K3M-Q9RT-X2HD-5W", "phone": PHONE})
    assert r.status_code == 429


# ---- the API --------------------------------------------------------------------------


def test_api(client, db, ask, scjg, user_named, settings):
    body = {"subject": "API 提问", "question": "问题内容", "phone": PHONE}
    r = client.post("/api/v1/questions", json.dumps(body), content_type="application/json")
    assert r.status_code == 201
    number = r.json()["number"]
    again = client.post("/api/v1/questions", json.dumps(body), content_type="application/json")
    assert again.status_code == 400 and "相同内容" in again.json()["detail"]
    bad = client.post(
        "/api/v1/questions",
        json.dumps({**body, "subject": " ", "phone": "1"}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"subject", "phone"}
    assert client.get(f"/api/v1/questions/{number}", {"phone": PHONE}).json()["answered"] is False
    wrong = client.get(f"/api/v1/questions/{number}", {"phone": "13900000000"})
    unknown = client.get("/api/v1/questions/7K3M-Q9RT-X2HD-5W", {"phone": PHONE})
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()
    q = ask(subject="公开的问答", department=scjg)
    services.question_answer(question=q, actor=user_named("scjg_clerk"), text="答复")
    services.question_publish(
        question=q, actor=user_named("city_admin"), subject="公开的问答", text="问"
    )
    listed = client.get("/api/v1/questions", {"q": "公开"}).json()
    assert listed["count"] == 1 and listed["results"][0]["subject"] == "公开的问答"
    assert client.get("/api/v1/questions", {"department": scjg.pk}).json()["count"] == 1
    settings.QA_ASK_LIMIT_PER_CLIENT = (0, 3600)
    flood = client.post(
        "/api/v1/questions", json.dumps({**body, "subject": "x"}), content_type="application/json"
    )
    assert flood.status_code == 429


def test_home_and_supervision_panels(client, ask, scjg, user_named, login_as):
    q = ask(subject="首页显示的问答", department=scjg)
    services.question_answer(question=q, actor=user_named("scjg_clerk"), text="答复")
    services.question_publish(
        question=q, actor=user_named("city_admin"), subject="首页显示的问答", text="问"
    )
    home = client.get("/").content.decode()
    assert "最新答疑" in home and "首页显示的问答" in home
    late = ask(subject="超期的问题", department=scjg)
    Question.objects.filter(pk=late.pk).update(due_on=date(2020, 1, 1))
    page = login_as("city_admin").get(reverse("supervision:dashboard")).content.decode()
    assert "网上答疑：临期和超期" in page
    assert f"tab=overdue&amp;department={scjg.pk}" in page


def test_what_the_reviewer_leaves_unmasked_is_masked_at_publication(ask, scjg, user_named):
    q = ask(
        subject="电话 13857012345 的问题",
        text="身份证 11010519491231002X",
        department=scjg,
        name="钱多多",
    )
    services.question_answer(question=q, actor=user_named("scjg_clerk"), text="答复")
    services.question_publish(
        question=q,
        actor=user_named("city_admin"),
        subject="钱多多 13857012345",
        text="钱多多的身份证 11010519491231002X，座机 0570-3058123",
    )
    q.refresh_from_db()
    shown = q.published_subject + q.published_question
    for secret in ("13857012345", "11010519491231002X", "3058123", "钱多多"):
        assert secret not in shown
    assert "13857012345" in q.subject and "11010519491231002X" in q.question  # the original kept


def test_a_misplaced_question_is_sent_back_and_re_routed(ask, scjg, user_named):
    zrzy = Department.objects.get(center=scjg.center, code="ZRZY")
    q = ask(subject="房屋继承登记", department=scjg)
    with pytest.raises(QuestionError):
        services.question_send_back(question=q, actor=user_named("scjg_clerk"), reason=" ")
    services.question_send_back(question=q, actor=user_named("scjg_clerk"), reason="不动产登记")
    q.refresh_from_db()
    assert (q.status, q.department) == (S.ROUTING, None)
    services.question_route(question=q, actor=user_named("city_admin"), department=zrzy)
    q.refresh_from_db()
    assert (q.status, q.department) == (S.OPEN, zrzy)
