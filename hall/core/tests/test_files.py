"""Uploads are judged by content: real formats pass, disguises and active PDFs do not."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hall.core.files import safe_display_name, sniff, validate_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
ALL = {"pdf", "png", "jpeg", "docx", "xlsx"}


def office(kind: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buf.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (office("docx"), "docx"),
        (office("xlsx"), "xlsx"),
    ],
)
def test_real_files_are_recognised_whatever_their_name(data, kind):
    assert sniff(upload("whatever.txt", data)).code == kind
    assert validate_upload(upload("x.bin", data), allowed=ALL, max_bytes=10_000).code == kind


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("form.pdf", b"MZ\x90\x00" + b"\x00" * 64),  # an .exe renamed .pdf
        ("form.docx", b"PK\x03\x04not really a zip"),
        ("form.docx", office("docx").replace(b"word/document.xml", b"evil/payload.xml")),
        ("form.pdf", b"<html><script>alert(1)</script></html>"),
        ("form.png", b"GIF89a" + b"\x00" * 20),
    ],
    ids=["exe-as-pdf", "broken-zip", "zip-not-docx", "html-as-pdf", "gif-as-png"],
)
def test_disguised_files_are_refused_in_chinese(name, data):
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload(name, data), allowed=ALL, max_bytes=10_000)
    assert "内容不是允许的格式" in exc.value.messages[0]


def test_pdf_with_script_is_refused():
    polyglot = PDF.replace(b"<<>>", b"<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>", 1)
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload("a.pdf", polyglot), allowed={"pdf"}, max_bytes=10_000)
    assert "含有脚本" in exc.value.messages[0]


def test_size_limits_and_empty_files():
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload("a.pdf", PDF + b"0" * 2000), allowed={"pdf"}, max_bytes=1000)
    assert "文件过大" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload("a.pdf", b""), allowed={"pdf"}, max_bytes=1000)
    assert "文件是空的" in exc.value.messages[0]


def test_kind_outside_the_allowed_set_is_refused():
    with pytest.raises(ValidationError):
        validate_upload(upload("a.png", PNG), allowed={"pdf", "docx"}, max_bytes=10_000)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("a\x00b.pdf", "a_b.pdf"),
        ("申请书.pdf", "申请书.pdf"),
        ("", "file"),
        ("...", "file"),
    ],
)
def test_display_names_lose_paths_and_control_characters(raw, expected):
    assert safe_display_name(raw) == expected


def test_display_names_are_bounded_and_keep_their_extension():
    name = safe_display_name("长" * 300 + ".docx")
    assert len(name) == 100
    assert name.endswith(".docx")
