"""The complaints hall through its pages and the API: filing (with every kind of
bad input), tracking, privacy and scope, publication, supervision, demo data."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PDF_BYTES, PNG_BYTES
from hall.feedback import selectors, services
from hall.feedback.constants import ComplaintStatus as S
from hall.feedback.models import Complaint, ComplaintFile
from hall.org.models import Center, Department, Staff, Window

from .factories import ComplaintFactory, clerk, move, supervisor_for

PHONE = "13957012345"


@pytest.fixture
def kc(db):
    return Center.objects.get(region_code="330802")


@pytest.fixture
def kc_scjg(db):
    return Department.objects.get(center__region_code="330802", code="SCJG")


def form_data(kc, kc_scjg, **extra):
    data = {
        "center": kc.pk,
        "department": kc_scjg.pk,
        "kind": "staff",
        "staff": clerk().pk,
        "category": "attitude",
        "description": "窗口工作人员态度生硬，问了两遍才回答。",
        "name": "赵小燕",
        "phone": PHONE,
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data):
    return client.post(reverse("feedback:file"), data)


# ---- filing -------------------------------------------------------------------------


def test_the_form_offers_the_departments_staff_by_name_and_window(client, kc, kc_scjg):
    page = client.get(reverse("feedback:file"), {"center": kc.pk, "department": kc_scjg.pk})
    text = page.content.decode()
    assert page.status_code == 200
    me = clerk()
    assert f"余静（{me.window.number} {me.window.name}）" in text


def test_filing_gives_a_number_and_the_complainants_page(client, kc, kc_scjg):
    r = post(
        client,
        form_data(
            kc,
            kc_scjg,
            files=[
                SimpleUploadedFile("现场.png", PNG_BYTES),
                SimpleUploadedFile("凭证.pdf", PDF_BYTES),
            ],
        ),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    c = Complaint.objects.get()
    assert c.center == kc and c.staff == clerk() and c.department == kc_scjg
    assert c.status == S.SUBMITTED and c.files.count() == 2
    page = client.get(r["Location"]).content.decode()
    assert c.display_number in page and "已提交" in page


def test_a_choice_outside_the_chosen_center_is_refused(client, kc, kc_scjg):
    qj_clerk = Staff.objects.filter(center__region_code="330803", window__isnull=False).first()
    qj_window = Window.objects.filter(department__center__region_code="330803").first()
    qj_dept = Department.objects.get(center__region_code="330803", code="SCJG")
    for extra in (
        {"staff": qj_clerk.pk},
        {"kind": "window", "window": qj_window.pk},
        {"kind": "department", "department": qj_dept.pk},
    ):
        r = post(client, form_data(kc, kc_scjg, **extra))
        assert r.status_code == 400
        assert "请选择该部门" in r.content.decode() or "不属于该中心" in r.content.decode()
    assert not Complaint.objects.exists()


def test_a_complaint_about_another_centers_staff_goes_to_that_center(client, login_as, kc, kc_scjg):
    qj_clerk = Staff.objects.filter(center__region_code="330803", window__isnull=False).first()
    c = services.complaint_file(
        kind="staff", staff=qj_clerk, category="attitude", description="态度差", anonymous=True
    )
    assert c.center.region_code == "330803"
    assert (
        login_as("kc_supervisor").get(reverse("feedback:staff_detail", args=[c.pk])).status_code
        == 404
    )
    assert (
        login_as("kc_admin").get(reverse("feedback:staff_detail", args=[c.pk])).status_code == 404
    )
    r = login_as("city_supervisor").get(reverse("feedback:staff_detail", args=[c.pk]))
    assert r.status_code == 200


def test_the_case_it_concerns_is_proved_by_number_and_phone(client, kc, kc_scjg, make_case):
    case = make_case("accepted", phone="13857012345")
    wrong = post(
        client,
        form_data(kc, kc_scjg, case_number=case.query_number, case_phone="13800000000"),
    )
    assert wrong.status_code == 400
    assert "办件查询号与手机号不匹配" in wrong.content.decode()
    assert not Complaint.objects.exists()
    right = post(
        client, form_data(kc, kc_scjg, case_number=case.display_number, case_phone="13857012345")
    )
    assert right.status_code == 302
    assert Complaint.objects.get().case == case


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"description": ""}, "这个字段是必填项"),
        ({"description": "长" * 10_000}, "2000"),
        ({"phone": ""}, "请填写联系电话，或选择匿名投诉"),
        ({"phone": "12345"}, "11 位"),
        ({"category": "bribe"}, "选择一个有效的选项"),
        ({"kind": "mayor"}, "选择一个有效的选项"),
        ({"staff": "../../etc/passwd"}, "编号无效"),
        ({"staff": "1 OR 1=1"}, "编号无效"),
        ({"case_number": "7K3M"}, "请同时填写"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_saved(client, kc, kc_scjg, extra, message):
    r = post(client, form_data(kc, kc_scjg, **extra))
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not Complaint.objects.exists()


def test_disguised_files_are_refused(client, kc, kc_scjg):
    for upload in (
        SimpleUploadedFile("照片.png", b"MZ\x90\x00" + b"\x00" * 200),  # a program named .png
        SimpleUploadedFile("证明.pdf", PNG_BYTES[:20]),  # a cut image named .pdf
        SimpleUploadedFile("a.pdf", b"%PDF-1.4\n<</JS (app.alert(1))>>\n%%EOF"),
    ):
        r = post(client, form_data(kc, kc_scjg, files=[upload]))
        assert r.status_code == 400
        assert "文件" in r.content.decode()
    assert not Complaint.objects.exists() and not ComplaintFile.objects.exists()


def test_script_tags_and_control_characters(client, kc, kc_scjg, login_as):
    r = post(
        client,
        form_data(
            kc, kc_scjg, description="<script>alert(1)</script>态度差\x00\x07", name="<b>x</b>"
        ),
    )
    assert r.status_code == 302
    c = Complaint.objects.get()
    assert c.description == "<script>alert(1)</script>态度差"
    for page in (
        client.get(r["Location"]),
        login_as("kc_supervisor").get(reverse("feedback:staff_detail", args=[c.pk])),
    ):
        text = page.content.decode()
        assert "<script>alert(1)" not in text and "&lt;script&gt;" in text


def test_non_utf8_bytes_are_no_server_error(client, kc, kc_scjg):
    body = (
        f"center={kc.pk}&department={kc_scjg.pk}&kind=department&category=other"
        "&description=%FF%FE%C3%28&phone=13957012345"
    ).encode()
    r = client.post(
        reverse("feedback:file"), body, content_type="application/x-www-form-urlencoded"
    )
    assert r.status_code in (302, 400)
    r = client.post(
        reverse("feedback:track"),
        b"number=%FF&phone=%C3%28",
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 400


def test_the_same_text_from_the_same_phone_is_a_duplicate(client, kc, kc_scjg):
    assert post(client, form_data(kc, kc_scjg)).status_code == 302
    r = post(client, form_data(kc, kc_scjg, description=" 窗口工作人员态度生硬，问了两遍才回答。 "))
    assert r.status_code == 400 and "请勿重复提交" in r.content.decode()
    assert post(client, form_data(kc, kc_scjg, phone="13957019999")).status_code == 302
    assert Complaint.objects.count() == 2


def test_anonymous_flooding_meets_the_tighter_limit(client, kc, kc_scjg):
    for i in range(2):
        r = post(client, form_data(kc, kc_scjg, anonymous="on", phone="", description=f"匿名{i}"))
        assert r.status_code == 302
    r = post(client, form_data(kc, kc_scjg, anonymous="on", phone="", description="匿名3"))
    assert r.status_code == 429 and "匿名投诉过于频繁" in r.content.decode()
    assert r["Retry-After"]
    c = Complaint.objects.first()
    assert c.anonymous and c.phone == "" and c.name == ""
    # named complaints have their own (wider) budget: 5 an hour in all
    for i in range(2):
        assert post(client, form_data(kc, kc_scjg, description=f"实名{i}")).status_code == 302
    assert post(client, form_data(kc, kc_scjg, description="实名x")).status_code == 429
    assert Complaint.objects.count() == 4


# ---- the complainant ---------------------------------------------------------------------


def test_track_by_number_and_phone_and_reopen(client, db):
    c = ComplaintFactory(answered=True)
    r = client.post(reverse("feedback:track"), {"number": c.number, "phone": "13900000000"})
    assert r.status_code == 400 and "没有找到" in r.content.decode()
    assert client.get(reverse("feedback:mine", args=[c.number])).status_code == 404
    r = client.post(reverse("feedback:track"), {"number": c.display_number.lower(), "phone": PHONE})
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "经调查属实，已整改。" in page and "申请重新处理" in page
    url = reverse("feedback:reopen", args=[c.number])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "整改没有落实"}).status_code == 302
    c.refresh_from_db()
    assert c.status == S.INVESTIGATING
    move(c, S.ANSWERED, supervisor_for(c))
    r = client.post(url, {"reason": "还是不满意"})
    assert r.status_code == 400 and "只能申请重新处理一次" in r.content.decode()
    c.refresh_from_db()
    assert c.status == S.ANSWERED and c.reopen_count == 1


# ---- privacy and scope ----------------------------------------------------------------------


def test_the_staff_member_complained_about_gets_404_always(client, login_as):
    c = services.complaint_file(
        kind="staff",
        staff=clerk(),
        category="attitude",
        description="态度差",
        anonymous=False,
        name="赵小燕",
        phone=PHONE,
        uploads=[SimpleUploadedFile("x.png", PNG_BYTES)],
    )
    actor = supervisor_for(c)
    for to in (S.ACCEPTED, S.INVESTIGATING, S.ANSWERED):
        move(c, to, actor)
    f = c.files.get()
    urls = [
        reverse("feedback:staff_detail", args=[c.pk]),
        reverse("feedback:staff_file", args=[c.pk, f.pk]),
        reverse("feedback:shared_detail", args=[c.pk]),
    ]
    # the department cannot see it before the findings are shared
    admin = login_as("kc_scjg_admin")
    assert admin.get(reverse("feedback:shared_detail", args=[c.pk])).status_code == 404
    assert "态度差" not in admin.get(reverse("feedback:shared_list")).content.decode()
    services.complaint_share(complaint=c, actor=actor)
    r = admin.get(reverse("feedback:shared_detail", args=[c.pk]))
    assert r.status_code == 200
    text = r.content.decode()
    assert "属实。" in text and "赵小燕" not in text and PHONE not in text and "x.png" not in text
    me = login_as("kc_scjg_clerk")
    for url in urls:
        assert me.get(url).status_code == 404, url
    # the supervisor gets the file, served as a private file
    r = login_as("kc_supervisor").get(urls[1])
    assert r.status_code == 200 and r["X-Content-Type-Options"] == "nosniff"


def test_the_department_never_handles(login_as):
    c = ComplaintFactory()
    for who in ("kc_scjg_admin", "kc_scjg_clerk"):
        client = login_as(who)
        assert client.get(reverse("feedback:staff_list")).status_code == 404
        assert client.post(reverse("feedback:accept", args=[c.pk])).status_code == 404
    c.refresh_from_db()
    assert c.status == S.SUBMITTED


def test_staff_list_filters_and_the_actions(login_as):
    c = ComplaintFactory()
    other = ComplaintFactory(category="efficiency", description="办事拖拉，超期未办。")
    client = login_as("kc_supervisor")
    r = client.get(reverse("feedback:staff_list"), {"category": "efficiency"})
    text = r.content.decode()
    assert other.display_number in text and c.display_number not in text
    for params in ({"status": "bogus"}, {"department": "x"}, {"overdue": "on"}, {"page": "999"}):
        assert client.get(reverse("feedback:staff_list"), params).status_code == 200
    assert client.post(reverse("feedback:accept", args=[c.pk])).status_code == 302
    r = client.post(reverse("feedback:accept", args=[c.pk]))
    assert r.status_code == 400 and "不能变更" in r.content.decode()
    r = client.post(reverse("feedback:not_accept", args=[other.pk]), {"reason": "duplicate"})
    assert r.status_code == 302
    other.refresh_from_db()
    assert other.status == S.NOT_ACCEPTED and other.not_accepted_reason == "duplicate"
    page = client.get(reverse("feedback:staff_detail", args=[c.pk])).content.decode()
    assert "受理投诉" in page and "kc_supervisor" in page  # the history


# ---- publication -----------------------------------------------------------------------------


def test_publication_is_anonymised_and_searchable(client, login_as):
    c = ComplaintFactory(
        answered=True,
        description="我叫赵小燕，电话 13957012345，身份证 11010519491231002X，"
        "办件 7K3M-Q9TX-2HBD-F8 被余静拖了一周。",
    )
    staff = login_as("kc_supervisor")
    page = staff.get(reverse("feedback:staff_detail", args=[c.pk])).content.decode()
    assert "公开" in page
    text, answer = services.masked_draft(c)
    for secret in ("赵小燕", "13957012345", "11010519491231002X", "7K3M-Q9TX-2HBD-F8", "余静"):
        assert secret not in text
    # what the reviewer puts back is masked again
    r = staff.post(
        reverse("feedback:publish", args=[c.pk]),
        {"published_text": "赵小燕 13957012345 被拖了一周", "published_answer": answer},
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert "赵小燕" not in c.published_text and "13957012345" not in c.published_text
    assert client.get(reverse("feedback:published", args=[c.pk])).status_code == 200
    found = client.get(reverse("feedback:index"), {"q": "拖了一周"}).content.decode()
    assert reverse("feedback:published", args=[c.pk]) in found
    assert client.get(reverse("feedback:index"), {"q": "\x00<script>" * 20}).status_code == 200
    unpublished = ComplaintFactory(answered=True)
    assert client.get(reverse("feedback:published", args=[unpublished.pk])).status_code == 404


# ---- supervision, export, settings ----------------------------------------------------------


def test_supervision_panel_export_and_settings(login_as):
    import openpyxl

    ComplaintFactory()
    ComplaintFactory(closed=True)
    client = login_as("kc_supervisor")
    r = client.get(reverse("supervision:dashboard"))
    assert r.status_code == 200 and "投诉督办" in r.content.decode()
    r = client.get(reverse("feedback:export"))
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    rows = list(book.active.values)
    assert rows[0][0] == "投诉编号" and len(rows) == 3
    admin = login_as("kc_admin")
    assert admin.post(reverse("feedback:settings"), {"answer_days": "0"}).status_code == 400
    assert admin.post(reverse("feedback:settings"), {"answer_days": "abc"}).status_code == 400
    assert admin.post(reverse("feedback:settings"), {"answer_days": "7"}).status_code == 302
    assert selectors.answer_days(Center.objects.get(region_code="330802")) == 7


# ---- API -------------------------------------------------------------------------------------


def test_api_file_and_status(client, db):
    me = clerk()
    url = "/api/v1/complaints"
    r = client.post(
        url,
        {
            "kind": "staff",
            "staff": me.pk,
            "category": "attitude",
            "description": "态度差",
            "phone": PHONE,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    number = r.json()["number"]
    r = client.get(f"{url}/{number}", {"phone": PHONE})
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert client.get(f"{url}/{number}", {"phone": "13900000000"}).status_code == 404
    assert client.get(f"{url}/ABCD", {"phone": PHONE}).status_code == 404
    bad = client.post(
        url,
        {"kind": "staff", "staff": me.pk, "category": "attitude", "description": "x", "phone": "1"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "phone"
    bad = client.post(
        url,
        {"kind": "staff", "staff": 2**70, "category": "attitude", "description": "x"},
        content_type="application/json",
    )
    assert bad.status_code in (400, 422)
    bad = client.post(url, {"kind": "staff", "staff": "x"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"]
    bad = client.post(url, b"\xff\xfe", content_type="application/json")
    assert bad.status_code in (400, 422)
    bad = client.post(
        url,
        {
            "kind": "department",
            "department": me.department_id,
            "category": "other",
            "description": "长" * 10_000,
            "anonymous": True,
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "2000" in bad.json()["errors"][0]["message"]
    assert Complaint.objects.count() == 1


def test_api_anonymous_flood_gets_429(client, db):
    me = clerk()
    codes = [
        client.post(
            "/api/v1/complaints",
            {
                "kind": "window",
                "window": me.window_id,
                "category": "other",
                "description": f"匿名{i}",
                "anonymous": True,
            },
            content_type="application/json",
        ).status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]
    assert Complaint.objects.count() == 2


# ---- demo --------------------------------------------------------------------------------------


def test_demo_complaints_in_every_state_fast(db):
    from hall.feedback import demo

    started = time.perf_counter()
    figures = demo.load()
    took = time.perf_counter() - started
    assert took < 2, took
    assert figures["complaints"] >= 42 and figures["published"] and figures["escalated"]
    assert set(Complaint.objects.values_list("status", flat=True)) == set(S.values)
    assert demo.load() == {}


def test_hostile_staff_input_changes_nothing(login_as, client):
    c = ComplaintFactory(investigating=True)
    staff = login_as("kc_supervisor")
    url = reverse("feedback:answer", args=[c.pk])
    for data in (
        {"findings": "属实", "answer": "长" * 10_000},
        {"findings": "", "answer": "已整改"},
        {"findings": "\x00\x01", "answer": "已整改"},
    ):
        assert staff.post(url, data).status_code == 400
    c.refresh_from_db()
    assert c.status == S.INVESTIGATING and c.answer == ""
    r = staff.post(url, {"findings": "属实", "answer": "<script>alert(1)</script>已整改"})
    assert r.status_code == 302
    r = staff.post(
        reverse("feedback:publish", args=[c.pk]),
        {"published_text": "<img src=x onerror=alert(1)>态度差", "published_answer": "已整改"},
    )
    assert r.status_code == 302
    page = client.get(reverse("feedback:published", args=[c.pk])).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page
    other = ComplaintFactory()
    wrong_file = staff.get(reverse("feedback:staff_file", args=[other.pk, 2**31]))
    assert wrong_file.status_code == 404
    assert staff.get(reverse("feedback:staff_detail", args=[2**31])).status_code == 404
