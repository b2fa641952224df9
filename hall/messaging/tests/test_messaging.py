"""Messages between windows through their pages and services: reach, unread
counts and the badge, attachments served to participants only, bad input,
audit, rights, demo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PDF_BYTES
from hall.core.models import AuditEntry
from hall.messaging import selectors, services
from hall.messaging.errors import MessagingError, MessagingForbidden
from hall.messaging.models import Message, MessageFile, Thread
from hall.org.constants import DEFAULT_ROLE_PERMISSIONS
from hall.org.models import Department, User, Window


def dept(region, code):
    return Department.objects.get(center__region_code=region, code=code)


def window(region, code):
    return Window.objects.filter(department__center__region_code=region, department__code=code)[0]


def user(name):
    return User.objects.select_related("staff").get(username=name)


def fresh(name):
    """A new user object each time: the unread count is kept per object and request."""
    return user(name)


def start(actor="scjg_clerk", **kw):
    kw.setdefault("subject", "食品经营许可现场核查")
    kw.setdefault("body", "请帮忙核对房屋用途。")
    return services.thread_start(actor=user(actor), **kw)


def counts():
    return Thread.objects.count(), Message.objects.count(), MessageFile.objects.count()


# ---- reach ---------------------------------------------------------------------------


def test_city_staff_reach_their_center_and_the_counties(db):
    t = start(departments=[dept("330800", "ZRZY"), dept("330802", "SCJG")])
    assert t.participants.count() == 3
    t = start(windows=[window("330803", "SCJG")])
    assert selectors.threads_of(user("clerk_330803_scjg")).filter(pk=t.pk).exists()


def test_county_staff_reach_their_center_and_the_city_never_another_county(db, login_as):
    t = start("kc_scjg_clerk", departments=[dept("330800", "SCJG"), dept("330802", "ZRZY")])
    assert selectors.threads_of(user("scjg_clerk")).filter(pk=t.pk).exists()
    before = counts()
    with pytest.raises(MessagingForbidden):
        start("kc_scjg_clerk", departments=[dept("330803", "SCJG")])
    # The form does not even offer it, and refuses it when sent.
    client = login_as("kc_scjg_clerk")
    page = client.get(reverse("messaging:new")).content.decode()
    assert "衢江区市场监督管理局" not in page and "衢州市市场监督管理局" in page
    r = client.post(
        reverse("messaging:new"),
        {"subject": "咨询", "body": "请指导", "departments": [dept("330803", "SCJG").pk]},
    )
    assert r.status_code == 400
    assert "所选收件方不在您可以联系的范围内" in r.content.decode()
    assert counts() == before


def test_one_thread_never_holds_two_counties(db):
    with pytest.raises(MessagingForbidden, match="不能联系其他县"):
        start(departments=[dept("330802", "SCJG"), dept("330803", "SCJG")])
    assert Thread.objects.count() == 0


def test_a_thread_of_others_is_404_to_read_reply_and_download(db, login_as):
    t = start(
        windows=[window("330802", "SCJG")],
        uploads=[SimpleUploadedFile("名单.pdf", PDF_BYTES)],
    )
    f = MessageFile.objects.get()
    client = login_as("zrzy_clerk")
    assert client.get(reverse("messaging:detail", args=[t.pk])).status_code == 404
    r = client.post(reverse("messaging:reply", args=[t.pk]), {"body": "插一句"})
    assert r.status_code == 404
    assert client.get(reverse("messaging:file", args=[t.pk, f.pk])).status_code == 404
    assert Message.objects.count() == 1
    with pytest.raises(MessagingForbidden):
        services.message_send(actor=user("zrzy_clerk"), thread=t, body="插一句")
    # …and its list does not show it.
    assert "食品经营许可现场核查" not in client.get(reverse("messaging:list")).content.decode()


def test_a_department_takes_part_with_all_its_staff(db):
    t = start("kc_scjg_clerk", departments=[dept("330800", "SCJG")])
    for name in ("scjg_admin", "scjg_clerk"):
        assert selectors.threads_of(user(name)).filter(pk=t.pk).exists()
    assert not selectors.threads_of(user("zrzy_clerk")).filter(pk=t.pk).exists()
    # Not a department's staff: the city center's admin.
    assert not selectors.threads_of(user("city_admin")).filter(pk=t.pk).exists()


# ---- unread ---------------------------------------------------------------------------


def test_unread_counts_follow_the_read_marks(db, login_as):
    t = start(windows=[window("330802", "SCJG")])
    assert selectors.unread_count(fresh("kc_scjg_clerk")) == 1
    assert selectors.unread_count(fresh("scjg_clerk")) == 0  # one's own message is read
    client = login_as("kc_scjg_clerk")
    page = client.get(reverse("org:landing")).content.decode()
    assert "1 条未读" in page and "信息互动：1 个会话有未读消息" in page
    client.get(reverse("messaging:detail", args=[t.pk]))
    assert selectors.unread_count(fresh("kc_scjg_clerk")) == 0
    page = client.get(reverse("org:landing")).content.decode()
    assert "条未读" not in page and "会话有未读消息" not in page
    r = client.post(reverse("messaging:reply", args=[t.pk]), {"body": "已逐一电话提醒。"})
    assert r.status_code == 302
    assert selectors.unread_count(fresh("scjg_clerk")) == 1
    assert selectors.unread_count(fresh("kc_scjg_clerk")) == 0


def test_the_badge_is_one_query(db):
    start(windows=[window("330802", "SCJG")])
    start(departments=[dept("330802", "SCJG")])
    start(staff_members=[user("kc_scjg_clerk").staff])
    reader = fresh("kc_scjg_clerk")
    reader.has_perm("messaging.use_messages")  # the rights are loaded once per request anyway
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.unread_count(reader) == 3
        assert selectors.unread_count(reader) == 3  # asked again: remembered
    assert len(ctx) == 1


def test_unread_threads_come_first(db, login_as):
    old = start(subject="甲会话", windows=[window("330802", "SCJG")])
    start(subject="乙会话", windows=[window("330802", "SCJG")])
    client = login_as("kc_scjg_clerk")
    client.get(reverse("messaging:detail", args=[Thread.objects.get(subject="乙会话").pk]))
    services.message_send(actor=user("scjg_clerk"), thread=old, body="补充一句")
    client.get(reverse("messaging:detail", args=[old.pk]))  # both read now
    start(subject="丙会话", windows=[window("330802", "SCJG")])
    services.message_send(actor=user("scjg_clerk"), thread=old, body="再补充")
    text = client.get(reverse("messaging:list")).content.decode()
    # 甲 and 丙 unread (甲 newest first), then 乙 read
    assert text.index("甲会话") < text.index("丙会话") < text.index("乙会话")


# ---- attachments --------------------------------------------------------------------


def test_an_attachment_is_served_to_a_participant(db, login_as):
    client = login_as("scjg_clerk")
    r = client.post(
        reverse("messaging:new"),
        {
            "subject": "到期企业名单",
            "body": "名单附后。",
            "windows": [window("330802", "SCJG").pk],
            "files": [SimpleUploadedFile("名单.pdf", PDF_BYTES)],
        },
    )
    assert r.status_code == 302
    t = Thread.objects.get()
    f = MessageFile.objects.get()
    assert f.kind == "pdf" and f.original_name == "名单.pdf"
    other = login_as("kc_scjg_clerk")
    assert "名单.pdf" in other.get(reverse("messaging:detail", args=[t.pk])).content.decode()
    got = other.get(reverse("messaging:file", args=[t.pk, f.pk]))
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content) == PDF_BYTES
    # A file id of another thread is not reached through this one.
    t2 = start(windows=[window("330802", "SCJG")])
    assert other.get(reverse("messaging:file", args=[t2.pk, f.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00 a program"),
        ("照片.png", b"<html><script>alert(1)</script></html>"),
        (
            "名单.pdf",
            b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        ),
    ],
)
def test_a_disguised_attachment_is_refused_and_nothing_saved(db, login_as, name, data):
    t = start(windows=[window("330802", "SCJG")])
    before = counts()
    client = login_as("kc_scjg_clerk")
    r = client.post(
        reverse("messaging:reply", args=[t.pk]),
        {"body": "附件见后", "files": [SimpleUploadedFile(name, data)]},
    )
    assert r.status_code == 400
    assert "error-summary" in r.content.decode()
    assert counts() == before
    t.refresh_from_db()
    assert t.message_count == 1


# ---- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("", "请填写回复内容"),
        ("   \n ", "请填写回复内容"),
        ("<script>alert(1)</script>", "不能包含网页标记"),
        ("长" * 10_000, "不能超过 5000 个字"),
        ("a\x01b", "控制字符"),
    ],
)
def test_a_bad_reply_is_refused_with_a_chinese_message(db, login_as, body, says):
    t = start(windows=[window("330802", "SCJG")])
    client = login_as("kc_scjg_clerk")
    r = client.post(reverse("messaging:reply", args=[t.pk]), {"body": body})
    assert r.status_code == 400
    assert says in r.content.decode()
    assert Message.objects.count() == 1


def test_non_utf8_bytes_are_refused_not_a_server_error(db, login_as):
    w = window("330802", "SCJG")
    client = login_as("scjg_clerk")
    r = client.post(
        reverse("messaging:new"),
        f"subject=%FF%FE&body=%C3%28%FF&windows={w.pk}".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 400
    assert "无法识别的字符" in r.content.decode()
    r = client.post(
        reverse("messaging:new"),
        b"subject=ok&body=ok&windows=%FF",
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 400
    assert Thread.objects.count() == 0


def test_a_new_thread_needs_an_addressee_and_a_subject(db, login_as):
    client = login_as("scjg_clerk")
    r = client.post(reverse("messaging:new"), {"subject": "无收件方", "body": "正文"})
    assert r.status_code == 400 and "请至少选择一个收件方" in r.content.decode()
    me = user("scjg_clerk").staff
    # Only oneself is nobody to write to (oneself is not offered; the service refuses it too).
    with pytest.raises(MessagingError, match="请至少选择一个收件方"):
        start(staff_members=[me])
    r = client.post(
        reverse("messaging:new"),
        {"subject": "", "body": "正文", "windows": [window("330802", "SCJG").pk]},
    )
    assert r.status_code == 400 and "请填写主题" in r.content.decode()
    r = client.post(
        reverse("messaging:new"),
        {"subject": "<b>主题</b>", "body": "正文", "windows": [window("330802", "SCJG").pk]},
    )
    assert r.status_code == 400 and "不能包含网页标记" in r.content.decode()
    assert Thread.objects.count() == 0


# ---- audit, rights, headers, demo ------------------------------------------------------


def test_every_change_is_audited(db, login_as):
    t = start(windows=[window("330802", "SCJG")])
    client = login_as("kc_scjg_clerk")
    client.get(reverse("messaging:detail", args=[t.pk]))
    client.get(reverse("messaging:detail", args=[t.pk]))  # nothing new: no second entry
    client.post(reverse("messaging:reply", args=[t.pk]), {"body": "收到"})
    actions = list(
        AuditEntry.objects.filter(action__startswith="messaging.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["messaging.read", "messaging.reply", "messaging.start"]


def test_every_default_role_uses_messages(db):
    for kind, rights in DEFAULT_ROLE_PERMISSIONS.items():
        assert "messaging.use_messages" in rights, kind
    for name in ("city_admin", "city_supervisor", "scjg_admin", "scjg_clerk"):
        assert fresh(name).has_perm("messaging.use_messages")


def test_the_pages_are_private_and_not_stored(db, login_as):
    t = start(windows=[window("330802", "SCJG")])
    client = login_as("scjg_clerk")
    for url in (
        reverse("messaging:list"),
        reverse("messaging:new"),
        reverse("messaging:detail", args=[t.pk]),
    ):
        r = client.get(url)
        assert r.status_code == 200
        assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]


def test_signed_out_visitors_go_to_the_login(client, db):
    r = client.get(reverse("messaging:list"))
    assert r.status_code == 302 and reverse("org:login") in r["Location"]


def test_the_demo_is_idempotent_and_leaves_unread_threads(db):
    from hall.messaging import demo

    first = demo.load()
    assert first["new"] == len(demo.THREADS) and first["files"] >= 3
    assert demo.load()["new"] == 0
    assert Thread.objects.count() == len(demo.THREADS)
    for name in ("scjg_clerk", "zrzy_clerk", "kc_scjg_clerk"):
        assert selectors.unread_count(fresh(name)) >= 1, name
