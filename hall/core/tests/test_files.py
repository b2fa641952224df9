"""Uploads are judged by what they really hold: real formats pass; disguises,
active PDFs, polyglot images, Office macros, external links, nested archives
and unpacking bombs do not, each with a Chinese message saying why."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import PDF_BYTES, PNG_BYTES
from hall.core.files import safe_display_name, sniff, validate_upload
from hall.core.tests import hostile

ALL = {"pdf", "png", "jpeg", "docx", "xlsx"}
LIMIT = 10 * 1024 * 1024


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("build", "kind"),
    [
        (lambda: PDF_BYTES, "pdf"),
        (lambda: PNG_BYTES, "png"),
        (hostile.jpeg, "jpeg"),
        (hostile.docx, "docx"),
        (hostile.xlsx, "xlsx"),
    ],
    ids=["pdf", "png", "jpeg", "docx", "xlsx"],
)
def test_real_files_are_recognised_whatever_their_name(build, kind):
    data = build()
    assert sniff(upload("whatever.txt", data)).code == kind
    assert validate_upload(upload("x.bin", data), allowed=ALL, max_bytes=LIMIT).code == kind


@pytest.mark.parametrize("name", sorted(hostile.CLEAN))
def test_clean_files_people_send_are_accepted(name):
    data = hostile.CLEAN[name]()
    kind = validate_upload(upload(name, data), allowed=ALL, max_bytes=LIMIT)
    assert kind.code == sniff(upload(name, data)).code


@pytest.mark.parametrize("filled", [False, True], ids=["blank", "filled"])
def test_the_demo_catalogue_forms_and_application_files_pass_the_checks(filled):
    """The demo loader makes these at load time and stores them as templates,
    examples and case files; they must pass the checks uploads go through."""
    from hall.cases.demo import _pdf, _png
    from hall.catalogue.demo import _docx_bytes, _pdf_bytes

    files = {
        "form.pdf": (_pdf_bytes("申请书", "食品经营许可", filled), "pdf"),
        "form.docx": (_docx_bytes("申请书", "食品经营许可", filled), "docx"),
        "signed.pdf": (_pdf("申请书"), "pdf"),
        "plan.png": (_png(), "png"),
    }
    for name, (data, kind) in files.items():
        assert validate_upload(upload(name, data), allowed=ALL, max_bytes=LIMIT).code == kind


@pytest.mark.parametrize("name", sorted(hostile.HOSTILE))
def test_hostile_files_are_refused_saying_what_is_wrong(name):
    build, message = hostile.HOSTILE[name]
    data = build()
    # Each one looks like an allowed kind at its first bytes.
    assert sniff(upload(name, data)) is not None
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload(name, data), allowed=ALL, max_bytes=LIMIT)
    assert message in exc.value.messages[0]
    assert f"“{name}”" in exc.value.messages[0]


def test_the_gibibyte_docx_weighs_about_a_megabyte():
    data = hostile.docx_gibibyte_bomb()
    assert len(data) < 2 * 1024 * 1024
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert sum(i.file_size for i in z.infolist()) > 1024**3


def test_hex_escaped_and_compressed_names_are_not_in_the_bytes():
    """The hostile PDFs hide their names from a byte search: the refusal
    comes from reading the parsed objects."""
    for build in (
        hostile.pdf_hex_escaped_javascript,
        hostile.pdf_hex_escaped_launch,
        hostile.pdf_javascript_in_object_stream,
        hostile.pdf_open_action_javascript,
        hostile.pdf_page_additional_action_javascript,
        hostile.pdf_embedded_file,
    ):
        data = build()
        for name in (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile"):
            assert name not in data, (build.__name__, name)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("form.pdf", b"MZ\x90\x00" + b"\x00" * 64),  # an .exe renamed .pdf
        ("form.docx", b"PK\x03\x04not really a zip"),
        (
            "form.docx",
            hostile.rezip(hostile.docx()).replace(b"word/document.xml", b"evil/payloads.xml"),
        ),
        ("form.pdf", b"<html><script>alert(1)</script></html>"),
        ("form.png", b"GIF89a" + b"\x00" * 20),
    ],
    ids=["exe-as-pdf", "broken-zip", "zip-not-docx", "html-as-pdf", "gif-as-png"],
)
def test_disguised_files_are_refused_in_chinese(name, data):
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload(name, data), allowed=ALL, max_bytes=LIMIT)
    assert "内容不是允许的格式" in exc.value.messages[0]


def test_pdf_with_script_is_refused():
    polyglot = PDF_BYTES.replace(b"<<>>", b"<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>", 1)
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload("a.pdf", polyglot), allowed={"pdf"}, max_bytes=LIMIT)
    assert "含有脚本" in exc.value.messages[0]


def test_size_limits_and_empty_files():
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload("a.pdf", PDF_BYTES + b"0" * 2000), allowed={"pdf"}, max_bytes=1000)
    assert "文件过大" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload("a.pdf", b""), allowed={"pdf"}, max_bytes=1000)
    assert "文件是空的" in exc.value.messages[0]


def test_kind_outside_the_allowed_set_is_refused():
    with pytest.raises(ValidationError):
        validate_upload(upload("a.png", PNG_BYTES), allowed={"pdf", "docx"}, max_bytes=LIMIT)


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
