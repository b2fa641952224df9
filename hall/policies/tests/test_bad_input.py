"""Hostile input to the staff form and the attachment upload: a clear Chinese
message, nothing saved, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PDF_BYTES, PNG_BYTES
from hall.catalogue.models import Filing
from hall.core.tests.hostile import HOSTILE, MZ_EXECUTABLE, SCRIPT
from hall.policies.models import PolicyAttachment, PolicyDocument

from .test_services import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "必填"),
        ("title", "x" * 10_000, "不超过 200"),
        ("body", " \n ", "必填"),
        ("body", "x" * 50_001, "50000"),
        ("issuer", "  ", "必填"),
        ("doc_number", "衢市监发2024-7", "文号格式应为"),
        ("doc_number", "<script>alert(1)</script>", "文号格式应为"),
        ("issued_on", "2024-02-30", "日期"),
        ("effective_on", "2024-01-01", "施行日期不能早于发文日期。"),
        ("status", "repealed", "replaced_by:已修订或已废止的文件须注明替代它的文件。"),
        ("kind", "interpretation", "explains:政策解读须注明所解读的文件。"),
        ("kind", "<script>", "选择"),
        ("department", "9" * 30, "选择"),
    ],
)
def test_bad_form_values_are_refused_in_chinese(login_as, city_scjg, field, value, message):
    client = login_as("scjg_admin")
    data = form_data(city_scjg)
    data[field] = value
    response = client.post(reverse("policies:staff_create"), data)
    assert response.status_code == 200
    if ":" in message:  # the rule names another field (the link it needs)
        field, message = message.split(":", 1)
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert not PolicyDocument.objects.exists() and not Filing.objects.exists()


def test_script_and_emoji_are_kept_as_text(login_as, client, city_scjg):
    staff = login_as("scjg_admin")
    title = "<script>alert(1)</script>关于😀的通知"
    staff.post(reverse("policies:staff_create"), form_data(city_scjg, title=title))
    document = PolicyDocument.objects.get()
    assert document.title == title
    staff.post(reverse("policies:staff_publish", args=[document.pk]))
    html = client.get(reverse("policies:detail", args=[document.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html and "😀" in html


def test_non_utf8_bytes_do_not_break_the_form(login_as, city_scjg):
    client = login_as("scjg_admin")
    body = f"department={city_scjg.pk}&title=%FF%FE%ED&issuer=x&kind=notice&issued_on=2024-01-01"
    response = client.post(
        reverse("policies:staff_create"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200  # the form again, with its messages
    assert not PolicyDocument.objects.exists()


@pytest.fixture
def draft(login_as, city_scjg):
    client = login_as("scjg_admin")
    client.post(reverse("policies:staff_create"), form_data(city_scjg))
    return client, PolicyDocument.objects.get()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("通知.pdf", MZ_EXECUTABLE, "不是允许的格式"),  # disguised by its name
        ("通知.pdf", b"%PDF-1.7\n" + SCRIPT, "PDF"),  # disguised by its first bytes
        ("图.pdf", PNG_BYTES, "不是允许的格式"),  # an image: not a template kind
        ("通知.pdf", HOSTILE["pdf-open-action-javascript"][0](), "脚本（JavaScript）"),
        ("空.pdf", b"", "空文件"),
        ("../../etc/passwd.pdf", PDF_BYTES, None),  # a path: only the name is kept
    ],
)
def test_attachments_are_checked_like_templates(draft, name, data, message):
    client, document = draft
    before = Filing.objects.count()
    response = client.post(
        reverse("policies:staff_attachment_add", args=[document.pk]),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )
    html = response.content.decode()
    if message is None:
        attachment = PolicyAttachment.objects.get()
        assert attachment.name == "passwd.pdf" and attachment.file.name.startswith(
            "policies/attachment/"
        )
        return
    assert message in html
    assert not PolicyAttachment.objects.exists() and Filing.objects.count() == before
