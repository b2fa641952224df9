"""A center's announcements: its own only, with the right; bad input refused
with a Chinese message and nothing saved; attachments checked by content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import PDF_BYTES
from hall.announcements.models import Announcement, Attachment
from hall.announcements.services import announcement_save
from hall.core.models import AuditEntry
from hall.core.tests import hostile

pytestmark = pytest.mark.django_db

NEW = "/staff/announcements/new/"


def _form(**over):
    data = {
        "category": "notice",
        "title": "关于元旦期间办公时间调整的通知",
        "body": "元旦期间窗口照常受理即办件。",
        "publish_at": "2026-12-01T09:00",
        "expires_at": "",
    }
    data.update(over)
    return data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def city_notice(user_named):
    return announcement_save(
        actor=user_named("city_admin"),
        announcement=None,
        data={
            "category": "notice",
            "title": "市中心公告",
            "body": "正文",
            "pinned": False,
            "publish_at": timezone.now(),
            "expires_at": None,
        },
    )


def test_a_center_admin_publishes_for_their_center(login_as, user_named, media):
    client = login_as("kc_admin")
    upload = SimpleUploadedFile("通知.pdf", PDF_BYTES)
    response = client.post(NEW, {**_form(), "attachments": [upload]})
    assert response.status_code == 302
    saved = Announcement.objects.get(title="关于元旦期间办公时间调整的通知")
    assert saved.center == user_named("kc_admin").staff.center
    assert saved.attachments.get().kind == "pdf"
    assert AuditEntry.objects.filter(action="announcements.create").exists()


def test_another_centers_announcement_is_not_there(login_as, city_notice):
    client = login_as("kc_admin")
    assert client.get(f"/staff/announcements/{city_notice.pk}/edit/").status_code == 404
    response = client.post(f"/staff/announcements/{city_notice.pk}/delete/")
    assert response.status_code == 404
    assert Announcement.objects.filter(pk=city_notice.pk).exists()
    assert city_notice.title not in client.get("/staff/announcements/").content.decode()


def test_without_the_right_the_pages_are_refused(login_as, city_notice):
    client = login_as("scjg_clerk")  # same center, no right
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, _form()).status_code == 404
    assert client.post(f"/staff/announcements/{city_notice.pk}/delete/").status_code == 404
    assert Announcement.objects.count() == 1


@pytest.mark.parametrize(
    "over,message",
    [
        ({"title": "<script>alert(1)</script>"}, "不能包含网页标记"),
        ({"body": "正文<img src=x onerror=alert(1)>"}, "不能包含网页标记"),
        ({"title": "标" * 10_000}, "标题不能超过 200 字"),
        ({"body": "文" * 20_001}, "正文不能超过 20000 字"),
        ({"title": "   "}, "请填写标题"),
        ({"body": " \n \t "}, "请填写正文"),
        ({"title": ""}, "请填写标题"),
        ({"expires_at": "2026-11-30T09:00"}, "截止时间须晚于发布时间"),
        ({"expires_at": "2026-12-01T09:00"}, "截止时间须晚于发布时间"),
        ({"publish_at": "明天"}, "请输入有效的时间"),
        ({"category": "secret"}, "选择一个有效的选项"),
        ({"title": "标题\x00"}, "控制字符"),
        ({"title": "'; DROP TABLE announcements_announcement; --"}, None),
    ],
    ids=[
        "script-title",
        "markup-body",
        "10000-title",
        "long-body",
        "spaces-title",
        "spaces-body",
        "empty-title",
        "expiry-before",
        "expiry-equal",
        "bad-time",
        "bad-category",
        "nul",
        "sql",
    ],
)
def test_bad_input_is_refused_and_nothing_saved(login_as, over, message):
    client = login_as("city_admin")
    response = client.post(NEW, _form(**over))
    if message is None:  # plain text that only looks dangerous is kept as typed
        assert response.status_code == 302
        assert Announcement.objects.get().title == over["title"]
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Announcement.objects.exists()


def test_emoji_is_kept(login_as):
    client = login_as("city_admin")
    assert client.post(NEW, _form(title="春节祝福 🧧🎉")).status_code == 302
    assert Announcement.objects.get().title == "春节祝福 🧧🎉"


def test_non_utf8_bytes_are_refused(login_as):
    client = login_as("city_admin")
    body = b"category=notice&title=%B9%AB%B8%E6&body=abc&publish_at=2026-12-01T09%3A00&expires_at="
    response = client.post(NEW, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "无法识别的字符" in response.content.decode()
    assert not Announcement.objects.exists()


@pytest.mark.parametrize(
    "name,data",
    [
        ("通知.pdf", hostile.MZ_EXECUTABLE),  # an executable named as a PDF
        ("通知.pdf.exe", hostile.MZ_EXECUTABLE),
        ("图片.png", hostile.png_header_then_script()),  # PNG first bytes, script after
        ("通知.pdf", hostile.pdf_hex_escaped_javascript()),
        ("说明.html", b"<html><script>alert(1)</script></html>"),
    ],
    ids=["exe-as-pdf", "double-extension", "png-header-script", "pdf-javascript", "html"],
)
def test_disguised_attachments_are_refused(login_as, media, name, data):
    client = login_as("city_admin")
    response = client.post(NEW, {**_form(), "attachments": [SimpleUploadedFile(name, data)]})
    assert response.status_code == 200
    assert "附件" in response.content.decode()
    assert "field-error" in response.content.decode()
    assert not Announcement.objects.exists() and not Attachment.objects.exists()
    assert not (media.exists() and any(p.is_file() for p in media.rglob("*")))


def test_an_attachment_is_served_only_while_public(client, login_as, media, user_named):
    staff = login_as("city_admin")
    later = timezone.localtime() + timezone.timedelta(days=3)
    staff.post(
        NEW,
        {
            **_form(publish_at=later.strftime("%Y-%m-%dT%H:%M")),
            "attachments": [SimpleUploadedFile("通知.pdf", PDF_BYTES)],
        },
    )
    a = Announcement.objects.get()
    f = a.attachments.get()
    url = f"/announcements/{a.pk}/files/{f.pk}/"
    assert staff.get(url).status_code == 200  # the center previews its own
    client.logout()
    from django.test import Client

    assert Client().get(url).status_code == 404  # not yet public
    assert Client().get(f"/announcements/{a.pk}/").status_code == 404
    Announcement.objects.filter(pk=a.pk).update(publish_at=timezone.now())
    response = Client().get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_edit_and_delete_are_audited(login_as, city_notice):
    client = login_as("city_admin")
    response = client.post(
        f"/staff/announcements/{city_notice.pk}/edit/", _form(title="市中心公告（更正）")
    )
    assert response.status_code == 302
    city_notice.refresh_from_db()
    assert city_notice.title == "市中心公告（更正）"
    assert client.post(f"/staff/announcements/{city_notice.pk}/delete/").status_code == 302
    assert not Announcement.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"announcements.update", "announcements.delete"} <= actions


@pytest.mark.parametrize(
    "value,ok", [("0", True), ("7", True), ("8", False), ("-1", False), ("一", False)]
)
def test_hold_setting(login_as, user_named, value, ok):
    from hall.announcements.services import hold_days

    client = login_as("kc_admin")
    response = client.post("/staff/announcements/settings/", {"hold_days": value})
    center = user_named("kc_admin").staff.center_id
    if ok:
        assert response.status_code == 302 and hold_days(center) == int(value)
    else:
        assert response.status_code == 200
        assert "请输入 0 至 7 之间的整数" in response.content.decode()
        assert hold_days(center) == 1


def test_withdraw_needs_a_reason(login_as, online_item, make_case):
    from hall.announcements.models import ResultEntry

    online_item.publish_decisions = True
    online_item.result_fields = ["applicant"]
    online_item.save()
    entry = ResultEntry.objects.get(case=make_case("approved"))
    url = f"/staff/announcements/results/{entry.pk}/withdraw/"
    assert login_as("kc_admin").post(url, {"reason": "x"}).status_code == 404  # another center
    client = login_as("city_admin")
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200 and "请填写撤回理由" in response.content.decode()
    response = client.post(url, {"reason": "<script>x</script>"})
    assert response.status_code == 200 and "网页标记" in response.content.decode()
    entry.refresh_from_db()
    assert entry.withdrawn_at is None
    assert client.post(url, {"reason": "决定已撤销"}).status_code == 302
    entry.refresh_from_db()
    assert entry.withdraw_reason == "决定已撤销"
