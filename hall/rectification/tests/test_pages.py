"""The staff pages: the department's list (overdue in red), the task page
(the rating, the masked phone, the steps as forms, the history), each step
posted, bad input refused with a message and nothing changed, another
department's task a 404, never a 500; the supervision and disclosure panels;
the demo."""

import time
from urllib.parse import quote_from_bytes

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PNG_BYTES
from hall.core.models import AuditEntry
from hall.notifications.models import Notification
from hall.ratings.constants import Kind
from hall.rectification import panels
from hall.rectification.constants import TaskStatus as S
from hall.rectification.models import Evidence, Task

pytestmark = pytest.mark.django_db


def url(name, task, **extra):
    return reverse(f"rectification:{name}", kwargs={"pk": task.pk, **extra})


def _state(task):
    task.refresh_from_db()
    return (task.status, task.steps.count(), task.callback_note, task.rectification)


def test_the_department_walks_its_task_through_the_pages(bad_task, login_as, rate):
    clerk = login_as("scjg_clerk")
    listing = clerk.get(reverse("rectification:list")).content.decode()
    assert url("detail", bad_task) in listing
    page = clerk.get(url("detail", bad_task)).content.decode()
    assert "不满意" in page and "材料要求不清" in page and "跑了两趟" in page
    assert "138****2345" in page and "13857012345" not in page
    assert 'action="' + url("callback", bad_task) in page
    steps = [
        ("callback", {"reached": "yes", "note": "已电话联系申请人"}),
        ("verify", {"note": "窗口记录属实"}),
        ("rectify", {"text": "材料清单已注明复印件"}),
        ("reply", {"text": "您好，已整改，欢迎追评"}),
    ]
    for name, data in steps:
        response = clerk.post(url(name, bad_task), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    bad_task.refresh_from_db()
    assert bad_task.status == S.FOLLOW_UP
    assert Notification.objects.filter(event="rectification_reply").count() == 1
    rate(bad_task.case, 5, kind=Kind.FOLLOW_UP)
    history = clerk.get(url("detail", bad_task)).content.decode()
    for label in (
        "待回访",
        "待核实",
        "整改中",
        "待答复",
        "待追评",
        "已办结",
        "材料清单已注明复印件",
    ):
        assert label in history


def test_an_appeal_with_evidence_and_the_centers_decision(bad_task, login_as):
    clerk = login_as("scjg_clerk")
    clerk.post(url("callback", bad_task), {"reached": "no", "note": "电话未接通"})
    response = clerk.post(
        url("appeal", bad_task),
        {"reason": "已一次性告知", "evidence": [SimpleUploadedFile("告知单.png", PNG_BYTES)]},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(task=bad_task)
    assert evidence.kind == "png"
    assert clerk.get(url("evidence", bad_task, evidence_id=evidence.pk)).status_code == 200
    assert (
        clerk.post(url("decide", bad_task), {"decision": "upheld", "note": "x"}).status_code == 404
    )
    center = login_as("city_admin")
    appeals = center.get(reverse("rectification:appeals")).content.decode()
    assert url("detail", bad_task) in appeals
    response = center.post(url("decide", bad_task), {"decision": "upheld", "note": "告知单有签字"})
    assert response.status_code == 302
    bad_task.refresh_from_db()
    assert bad_task.status == S.UPHELD and bad_task.on_time


def test_another_departments_task_is_a_404(bad_task, login_as):
    for name in ("zrzy_clerk", "kc_scjg_clerk", "kc_admin"):
        client = login_as(name)
        assert client.get(url("detail", bad_task)).status_code == 404
        assert (
            client.post(url("callback", bad_task), {"reached": "yes", "note": "越权"}).status_code
            == 404
        )
        assert (
            url("detail", bad_task)
            not in client.get(reverse("rectification:list")).content.decode()
        )
    assert _state(bad_task)[0] == S.CALLBACK


HOSTILE = [
    ({"reached": "yes", "note": "<script>alert(1)</script>"}, "网页标记"),
    ({"reached": "yes", "note": "长" * 10000}, "不能超过 2000 个字"),
    ({"reached": "yes", "note": "a\x00b"}, "控制字符"),
    ({"reached": "yes", "note": ""}, "请填写回访情况"),
    ({"reached": "maybe", "note": "已联系"}, "请检查"),
    ({"note": "已联系"}, "请选择是否联系上"),
]


@pytest.mark.parametrize(("data", "message"), HOSTILE)
def test_hostile_text_is_refused_and_nothing_changes(bad_task, login_as, data, message):
    before = _state(bad_task)
    response = login_as("scjg_clerk").post(url("callback", bad_task), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state(bad_task) == before


def test_non_utf8_text_is_refused(bad_task, login_as):
    before = _state(bad_task)
    # As a browser sends a form in GBK: percent-encoded bytes that are not UTF-8.
    body = "reached=yes&note=" + quote_from_bytes("回访".encode("gbk"))
    response = login_as("scjg_clerk").post(
        url("callback", bad_task), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert _state(bad_task) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("证明.pdf", b"MZ\x90\x00 this is a program"),
        ("证明.png", b"%PDF-1.4 not really"),
        ("证明.jpg", PNG_BYTES[:20]),
        ("../../etc/passwd.pdf", b"root:x:0:0"),
        ("证明.docx", b""),
    ],
)
def test_disguised_evidence_is_refused(bad_task, login_as, name, content):
    clerk = login_as("scjg_clerk")
    clerk.post(url("callback", bad_task), {"reached": "yes", "note": "已联系"})
    before = _state(bad_task)
    response = clerk.post(
        url("appeal", bad_task),
        {"reason": "不属实", "evidence": [SimpleUploadedFile(name, content)]},
    )
    assert response.status_code == 400
    assert "文件" in response.content.decode()
    assert _state(bad_task) == before and not Evidence.objects.exists()


def test_an_appeal_without_evidence_is_refused(bad_task, login_as):
    clerk = login_as("scjg_clerk")
    clerk.post(url("callback", bad_task), {"reached": "yes", "note": "已联系"})
    response = clerk.post(url("appeal", bad_task), {"reason": "不属实"})
    assert response.status_code == 400 and "证明材料" in response.content.decode()


def test_a_double_submit_and_a_step_out_of_order(bad_task, login_as):
    clerk = login_as("scjg_clerk")
    data = {"reached": "yes", "note": "已联系"}
    assert clerk.post(url("callback", bad_task), data).status_code == 302
    before, entries = _state(bad_task), AuditEntry.objects.count()
    again = clerk.post(url("callback", bad_task), data)
    assert again.status_code == 400
    assert "不能记录回访" in again.content.decode() and "请刷新" in again.content.decode()
    early = clerk.post(url("reply", bad_task), {"text": "提前答复"})
    assert early.status_code == 400 and "不能答复申请人" in early.content.decode()
    assert (_state(bad_task), AuditEntry.objects.count()) == (before, entries)
    assert not Notification.objects.filter(event="rectification_reply").exists()


def test_the_list_marks_overdue_tasks_red(make_case, rate, login_as, time_machine):
    time_machine.move_to("2026-11-06 10:00 +0800", tick=False)  # a Friday
    task = rate(make_case("completed"), 2).rectification
    time_machine.move_to("2026-11-10 10:00 +0800", tick=False)  # the call-back was due Monday
    page = login_as("scjg_admin").get(reverse("rectification:list"), {"tab": "overdue"})
    body = page.content.decode()
    assert url("detail", task) in body and 'class="clock overdue"' in body
    assert "2026" in body
    supervisor = login_as("city_supervisor")
    dashboard = supervisor.get(reverse("supervision:dashboard")).content.decode()
    assert "差评整改：办理中和超期" in dashboard
    assert f"tab=overdue&amp;department={task.department_id}" in dashboard


def test_the_settings_page(login_as, city_scjg):
    admin = login_as("city_admin")
    assert admin.get(reverse("rectification:settings")).status_code == 200
    for value, status in (("0", 200), ("abc", 200), ("9" * 30, 200), ("10", 302)):
        assert (
            admin.post(reverse("rectification:settings"), {"rectify_days": value}).status_code
            == status
        )
    from hall.rectification.selectors import rectify_days

    assert rectify_days(city_scjg.center_id) == 10
    assert login_as("scjg_admin").get(reverse("rectification:settings")).status_code == 404


def test_the_disclosure_is_anonymised(make_case, rate, user_named):
    case = make_case("completed")
    rate(
        case, 1, tags=["attitude"], comment="张三的电话13857012345，身份证11010519491231002X，太慢"
    )
    task = case.ratings.get().rectification
    from hall.rectification import services

    services.task_record_callback(task=task, actor=user_named("scjg_clerk"), reached=True, note="x")
    services.task_verify(task=task, actor=user_named("scjg_clerk"), note="属实")
    services.task_record_rectification(
        task=task, actor=user_named("scjg_clerk"), text="已约谈张三所反映窗口人员"
    )
    rows = panels.disclosure_rows(department=case.department_id, month=case.ratings.get().month)
    (row,) = rows
    text = repr(row)
    for secret in (
        "张三",
        "13857012345",
        "11010519491231002X",
        case.query_number,
        case.display_number,
    ):
        assert secret not in text
    assert row["status"] == "待答复" and "约谈" in row["rectification"]
    assert "138****2345" in row["comment"]
    assert panels.disclosure_rows(department=case.department_id, month="1999-01") == []
    assert panels.disclosure_rows(month="garbage") == panels.disclosure_rows()


def test_the_demo_puts_tasks_at_every_stage(make_case, user_named):
    from hall.rectification import demo

    for _ in range(len(demo.PLAN)):
        make_case("completed")
    started = time.monotonic()
    figures = demo.load()
    elapsed = time.monotonic() - started
    assert figures["tasks"] == len(demo.PLAN) == figures["walked"]
    assert set(Task.objects.values_list("status", flat=True)) == set(S.values)
    assert demo.load()["walked"] == 0 and Task.objects.count() == len(demo.PLAN)
    assert elapsed < 10


def test_the_disclosure_slot_renders_the_months_bad_ratings(bad_task, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    request = rf.get("/")
    request.user = AnonymousUser()
    slot = Template(
        '{% load panels %}{% panels "ratings_disclosure" department=department month=month %}'
    )
    rating = bad_task.rating
    html = slot.render(
        Context({"request": request, "department": rating.department, "month": rating.month})
    )
    assert "差评及整改情况" in html and "材料要求不清" in html and "待回访" in html
    assert bad_task.case.display_number not in html and "13857012345" not in html
    empty = slot.render(Context({"request": request, "department": None, "month": "1999-01"}))
    assert "本月没有差评。" in empty
