"""中心布置工作: sending within reach, read receipts, feedback by the due date
on the working-day calendar, the status table's counts, the reminder, the
measures, scope and bad input."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import PDF_BYTES
from hall.core.measures import compute
from hall.core.models import AuditEntry
from hall.notices import deadlines, selectors, services, workflow
from hall.notices.constants import Kind, ReceiptStatus
from hall.notices.errors import NoticeError, NoticeForbidden
from hall.notices.models import Attachment, Feedback, Notice, Recipient
from hall.org.models import Center, Department, Window
from hall.workdays.calendar import WorkCalendar
from hall.workdays.services import current_calendar

# 2026's 国庆 and 中秋: 10-01..10-08 off, Saturday 10-10 worked.
CALENDAR = WorkCalendar(
    holidays=frozenset(date(2026, 10, d) for d in range(1, 9)),
    workdays=frozenset({date(2026, 10, 10)}),
    known_years=frozenset({2026}),
)
MONDAY = "2026-11-16 09:00 +08:00"


@pytest.fixture
def org(db, user_named):
    city = Center.objects.get(region_code="330800")
    scjg = Department.objects.get(center=city, code="SCJG")
    return {
        "city": city,
        "kc": Center.objects.get(region_code="330802"),
        "scjg": scjg,
        "zrzy": Department.objects.get(center=city, code="ZRZY"),
        "kc_scjg": Department.objects.get(center__region_code="330802", code="SCJG"),
        "w_scjg": user_named("scjg_clerk").staff.window,
        "w_zrzy": user_named("zrzy_clerk").staff.window,
        "city_admin": user_named("city_admin"),
        "kc_admin": user_named("kc_admin"),
    }


@pytest.fixture
def task(org):
    """A city task to the two demo clerks' windows, due in 3 working days."""
    with time_machine.travel(MONDAY, tick=False):
        return services.notice_send(
            actor=org["city_admin"],
            kind=Kind.TASK,
            title="报送窗口排班表",
            body="请于期限前报送。",
            windows=[org["w_scjg"], org["w_zrzy"]],
            due_days=3,
        )


def _rec(notice, window):
    return notice.recipients.get(window=window)


# ---- the lifecycle table and the clock -----------------------------------------------


def test_the_lifecycle_table_allows_only_its_moves():
    for src in ReceiptStatus.values:
        for dst in ReceiptStatus.values:
            assert workflow.can_move(src, dst) == ((src, dst) in workflow.MOVES)
    assert workflow.can_move("unread", "read") and workflow.can_move("read", "fed_back")
    assert not workflow.can_move("fed_back", "read")
    assert not workflow.can_move("unread", "fed_back")


def test_a_task_sent_before_guoqing_is_due_after_it():
    due = deadlines.due(CALENDAR, date(2026, 9, 30), 3)
    # 10-09 (Fri), 10-10 (the worked Saturday), 10-12 (Mon)
    assert (due.due, due.provisional) == (date(2026, 10, 12), False)
    assert deadlines.read_in_time(CALENDAR, date(2026, 9, 30), date(2026, 10, 10))
    assert not deadlines.read_in_time(CALENDAR, date(2026, 9, 30), date(2026, 10, 12))
    assert not deadlines.read_in_time(CALENDAR, date(2026, 9, 30), None)


@pytest.mark.parametrize(
    ("status", "fed", "today", "standing"),
    [
        ("unread", None, date(2026, 10, 12), "unread"),
        ("read", None, date(2026, 10, 12), "read"),
        ("unread", None, date(2026, 10, 13), "overdue"),
        ("read", None, date(2026, 10, 13), "overdue"),
        ("fed_back", date(2026, 10, 12), date(2026, 10, 20), "on_time"),
        ("fed_back", date(2026, 10, 13), date(2026, 10, 20), "late_feedback"),
    ],
)
def test_each_standing_of_the_status_table(status, fed, today, standing):
    got = deadlines.standing(
        kind="task", status=status, due_on=date(2026, 10, 12), fed_back_on=fed, today=today
    )
    assert got == standing


def test_the_due_date_counts_working_days_from_sending(task):
    assert task.due_on == current_calendar().add_working_days(date(2026, 11, 16), 3)
    assert task.due_on == date(2026, 11, 19)
    assert task.recipients.count() == 2
    assert set(task.recipients.values_list("status", flat=True)) == {"unread"}
    assert AuditEntry.objects.filter(action="notices.send").count() == 1


# ---- receipts -------------------------------------------------------------------------


def test_the_first_opening_by_the_unit_is_the_receipt(task, org, login_as, user_named):
    client = login_as("scjg_clerk")
    url = reverse("notices:detail", args=[task.pk])
    assert client.get(url).status_code == 200
    r = _rec(task, org["w_scjg"])
    assert r.status == "read" and r.read_by == user_named("scjg_clerk") and r.read_at
    first = r.read_at
    client.get(url)
    r.refresh_from_db()
    assert r.read_at == first
    # the other window has not read it; the center's opening is no receipt
    assert _rec(task, org["w_zrzy"]).status == "unread"
    login_as("city_admin").get(url)
    assert _rec(task, org["w_zrzy"]).status == "unread"
    assert AuditEntry.objects.filter(action="notices.read").count() == 1


def test_the_badge_counts_the_units_unread(task, org, user_named):
    clerk = user_named("scjg_clerk")
    assert selectors.unread_count(clerk) == 1
    services.notice_open(notice=task, actor=clerk)
    assert selectors.unread_count(clerk) == 0
    assert selectors.unread_count(user_named("zrzy_clerk")) == 1
    assert selectors.unread_count(user_named("kc_scjg_clerk")) == 0


def test_a_notice_to_a_window_and_its_department_is_one_notice_to_read(org, login_as, user_named):
    both = services.notice_send(
        actor=org["city_admin"],
        kind=Kind.NOTICE,
        title="双送通知",
        body="正文",
        departments=[org["scjg"]],
        windows=[org["w_scjg"]],
    )
    clerk = user_named("scjg_clerk")
    assert both.recipients.count() == 2
    assert selectors.unread_count(clerk) == 1
    assert list(selectors.unread_for(clerk)) == [both]
    page = login_as("scjg_clerk").get(reverse("org:landing")).content.decode()
    assert page.count("双送通知") == 1
    services.notice_open(notice=both, actor=clerk)
    assert selectors.unread_count(clerk) == 0


def test_the_inbox_lists_unread_first(org, login_as):
    older = services.notice_send(
        actor=org["city_admin"],
        kind=Kind.NOTICE,
        title="甲通知",
        body="正文",
        departments=[org["scjg"]],
    )
    services.notice_send(
        actor=org["city_admin"],
        kind=Kind.NOTICE,
        title="乙通知",
        body="正文",
        departments=[org["scjg"]],
    )
    client = login_as("scjg_admin")
    client.get(reverse("notices:detail", args=[Notice.objects.get(title="乙通知").pk]))
    page = client.get(reverse("notices:inbox")).content.decode()
    assert page.index("甲通知") < page.index("乙通知")
    assert older.recipients.get().status == "unread"


# ---- feedback and lateness ---------------------------------------------------------------


def test_feedback_by_the_due_date_is_on_time_and_after_it_late(task, org, user_named):
    with time_machine.travel("2026-11-19 16:00 +08:00", tick=False):
        services.task_feedback(
            recipient=_rec(task, org["w_scjg"]),
            actor=user_named("scjg_clerk"),
            text="已报送",
            files=[SimpleUploadedFile("排班表.pdf", PDF_BYTES)],
        )
    with time_machine.travel("2026-11-20 09:00 +08:00", tick=False):
        services.task_feedback(
            recipient=_rec(task, org["w_zrzy"]), actor=user_named("zrzy_clerk"), text="晚了一天"
        )
    on_time, late = _rec(task, org["w_scjg"]), _rec(task, org["w_zrzy"])
    assert (on_time.status, on_time.fed_back_on_time, on_time.feedback.late) == (
        "fed_back",
        True,
        False,
    )
    # feeding back unread reads it first (the table's two moves)
    assert (late.status, late.fed_back_on_time, late.feedback.late) == ("fed_back", False, True)
    assert late.read_at is not None
    assert on_time.feedback.files.get().original_name == "排班表.pdf"


def test_the_status_table_counts_add_up(task, org, user_named, login_as):
    notice_for_kc = services.notice_send(
        actor=org["city_admin"],
        kind=Kind.TASK,
        title="县中心任务",
        body="正文",
        centers=[org["kc"]],
        departments=[org["scjg"], org["zrzy"]],
        due_days=2,
    )
    with time_machine.travel("2026-11-18 10:00 +08:00", tick=False):
        services.task_feedback(
            recipient=_rec(task, org["w_scjg"]), actor=user_named("scjg_clerk"), text="已报送"
        )
    with time_machine.travel("2026-11-24 10:00 +08:00", tick=False):
        rows, counts = selectors.status_rows(task, timezone.localdate())
        assert counts == {
            "unread": 0,
            "read": 0,
            "on_time": 1,
            "late_feedback": 0,
            "overdue": 1,
            "total": 2,
            "fed_back": 1,
            "opened": 1,
        }
        page = login_as("city_admin").get(reverse("notices:status", args=[task.pk]))
        assert page.status_code == 200
        assert "已逾期未反馈" in page.content.decode()
    services.notice_open(notice=notice_for_kc, actor=org["kc_admin"])
    _rows, counts = selectors.status_rows(notice_for_kc, timezone.localdate())
    assert (
        counts["total"]
        == 3
        == counts["unread"]
        + counts["read"]
        + counts["on_time"]
        + counts["late_feedback"]
        + counts["overdue"]
    )
    assert counts["read"] == 1


def test_the_center_heads_landing_page_shows_the_overdue_units(task, org, login_as):
    with time_machine.travel("2026-11-24 10:00 +08:00", tick=False):
        page = login_as("city_admin").get(reverse("org:landing")).content.decode()
        assert "逾期未反馈的工作任务" in page and "报送窗口排班表" in page
        # a county head sees none of the city's tasks
        page = login_as("kc_admin").get(reverse("org:landing")).content.decode()
        assert "报送窗口排班表" not in page


def test_the_recipients_landing_page_shows_unread_and_due_soon(task, login_as):
    with time_machine.travel("2026-11-17 10:00 +08:00", tick=False):
        page = login_as("scjg_clerk").get(reverse("org:landing")).content.decode()
        assert "本单位的通知与任务" in page and "即将到期的任务" in page
        page = login_as("kc_scjg_clerk").get(reverse("org:landing")).content.decode()
        assert "本单位的通知与任务" not in page


# ---- the reminder ----------------------------------------------------------------------------


def test_the_reminder_is_once_per_unit_and_only_near_the_due_date(task, org, user_named):
    with time_machine.travel("2026-11-16 18:00 +08:00", tick=False):
        call_command("remind_tasks", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert not Recipient.objects.filter(reminded_at__isnull=False).exists()
    with time_machine.travel("2026-11-17 08:00 +08:00", tick=False):
        services.task_feedback(
            recipient=_rec(task, org["w_scjg"]), actor=user_named("scjg_clerk"), text="已报送"
        )
        assert services.tasks_remind() == 1
        assert services.tasks_remind() == 0
        call_command("remind_tasks", stdout=open("/dev/null", "w"))  # noqa: SIM115
        reminded = Recipient.objects.get(reminded_at__isnull=False)
        assert reminded.window == org["w_zrzy"]
        assert AuditEntry.objects.filter(action="notices.remind").count() == 1
        from hall.notices.panels import reminder_notices

        assert reminder_notices(user_named("zrzy_clerk"))
        assert not reminder_notices(user_named("scjg_clerk"))


# ---- reach and scope ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sender", "target"),
    [
        ("city_admin", "kc_scjg"),  # another county's department
        ("kc_admin", "scjg"),  # a county sending to a city department
        ("kc_admin", "city"),  # a county sending to the city
    ],
)
def test_a_recipient_outside_reach_is_refused_and_nothing_saved(org, sender, target):
    unit = org[target]
    kwargs = {"centers": [unit]} if isinstance(unit, Center) else {"departments": [unit]}
    with pytest.raises(NoticeError, match="发送范围"):
        services.notice_send(
            actor=org[sender], kind=Kind.NOTICE, title="越权", body="正文", **kwargs
        )
    assert not Notice.objects.exists()


def test_the_form_refuses_a_recipient_outside_reach(org, login_as):
    client = login_as("kc_admin")
    response = client.post(
        reverse("notices:new"),
        {"kind": "notice", "title": "越权", "body": "正文", "departments": [org["scjg"].pk]},
    )
    assert response.status_code == 400
    assert "不在本中心的发送范围内" in response.content.decode()
    assert not Notice.objects.exists()


def test_a_department_cannot_send(org, user_named):
    with pytest.raises(NoticeForbidden):
        services.notice_send(
            actor=user_named("scjg_admin"),
            kind=Kind.NOTICE,
            title="x",
            body="y",
            departments=[org["scjg"]],
        )


def test_another_units_notice_is_404_and_its_feedback_too(task, login_as):
    client = login_as("kc_scjg_clerk")
    assert client.get(reverse("notices:detail", args=[task.pk])).status_code == 404
    response = client.post(reverse("notices:feedback", args=[task.pk]), {"text": "不是我的"})
    assert response.status_code == 404
    # a department admin of the city's 市场监管局 sees it but is not the window
    response = login_as("scjg_admin").post(
        reverse("notices:feedback", args=[task.pk]), {"text": "不是本窗口"}
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_a_feedback_file_is_for_the_center_and_its_unit_only(task, org, user_named, login_as):
    services.task_feedback(
        recipient=_rec(task, org["w_scjg"]),
        actor=user_named("scjg_clerk"),
        text="附表",
        files=[SimpleUploadedFile("表.pdf", PDF_BYTES)],
    )
    f = Attachment.objects.get()
    url = reverse("notices:file", args=[task.pk, f.pk])
    assert login_as("scjg_clerk").get(url).status_code == 200
    assert login_as("city_admin").get(url).status_code == 200
    assert login_as("zrzy_clerk").get(url).status_code == 404


# ---- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<script>alert(1)</script>", "网页标记"),
        ("字" * 10000, "不能超过"),
        ("乱码\ufffd", "UTF-8"),
        ("", "请填写"),
    ],
)
def test_bad_text_is_refused_with_a_chinese_message(org, login_as, body, message):
    response = login_as("city_admin").post(
        reverse("notices:new"),
        {"kind": "notice", "title": "标题", "body": body, "departments": [org["scjg"].pk]},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Notice.objects.exists()


def test_non_utf8_bytes_are_refused(org, login_as):
    client = login_as("city_admin")
    raw = "kind=notice&title=%E6%A0%87%E9%A2%98&body=%FF%FE%FD&departments=" + str(org["scjg"].pk)
    response = client.post(
        reverse("notices:new"), raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert not Notice.objects.exists()


def test_an_empty_recipient_list_is_refused(login_as):
    response = login_as("city_admin").post(
        reverse("notices:new"), {"kind": "notice", "title": "标题", "body": "正文"}
    )
    assert response.status_code == 400
    assert "请至少选择一个接收单位" in response.content.decode()
    assert not Notice.objects.exists()


def test_a_disguised_attachment_is_refused(org, login_as):
    fake = SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 not a pdf at all")
    response = login_as("city_admin").post(
        reverse("notices:new"),
        {
            "kind": "task",
            "title": "标题",
            "body": "正文",
            "due_days": "3",
            "departments": [org["scjg"].pk],
            "files": [fake],
        },
    )
    assert response.status_code == 400
    assert "不是允许的格式" in response.content.decode()
    assert not Notice.objects.exists()


def test_feedback_twice_is_refused_and_the_first_kept(task, org, login_as):
    client = login_as("scjg_clerk")
    url = reverse("notices:feedback", args=[task.pk])
    assert client.post(url, {"text": "第一次"}).status_code == 302
    response = client.post(url, {"text": "第二次"})
    assert response.status_code == 400
    assert "不能重复反馈" in response.content.decode()
    assert Feedback.objects.get().text == "第一次"


def test_bad_feedback_saves_nothing(task, login_as):
    client = login_as("scjg_clerk")
    url = reverse("notices:feedback", args=[task.pk])
    for data in ({"text": "<script>x</script>"}, {"text": ""}, {"text": "长" * 10000}):
        assert client.post(url, data).status_code == 400
    fake = SimpleUploadedFile("表.png", b"%PDF-1.4 broken")
    assert client.post(url, {"text": "附件", "files": [fake]}).status_code == 400
    assert not Feedback.objects.exists() and not Attachment.objects.exists()
    assert _rec(task, Window.objects.get(staff__user__username="scjg_clerk")).status == "unread"


def test_feedback_on_a_notice_is_404(org, login_as):
    notice = services.notice_send(
        actor=org["city_admin"],
        kind=Kind.NOTICE,
        title="通知",
        body="正文",
        departments=[org["scjg"]],
    )
    response = login_as("scjg_clerk").post(
        reverse("notices:feedback", args=[notice.pk]), {"text": "反馈"}
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()


# ---- measures ----------------------------------------------------------------------------------


def test_the_measures_count_per_unit(task, org, user_named):
    with time_machine.travel("2026-11-18 10:00 +08:00", tick=False):  # within 2 working days
        services.task_feedback(
            recipient=_rec(task, org["w_scjg"]), actor=user_named("scjg_clerk"), text="按时"
        )
    with time_machine.travel("2026-11-25 10:00 +08:00", tick=False):
        services.notice_open(notice=task, actor=user_named("zrzy_clerk"))
    start, end = date(2026, 11, 1), date(2026, 12, 1)
    read = {
        r.window_id: (r.done, r.total)
        for r in compute("notices_read_in_time", start=start, end=end)
    }
    assert read == {org["w_scjg"].pk: (1, 1), org["w_zrzy"].pk: (0, 1)}
    on_time = {
        r.window_id: (r.done, r.total) for r in compute("tasks_on_time", start=start, end=end)
    }
    assert on_time == {org["w_scjg"].pk: (1, 1), org["w_zrzy"].pk: (0, 1)}
    rows = compute("tasks_on_time", start=start, end=end)
    assert {r.department_id for r in rows} == {org["scjg"].pk, org["zrzy"].pk}
    assert {r.center_id for r in rows} == {org["city"].pk}
    assert compute("tasks_on_time", start=end, end=end + timedelta(days=31)) == []
