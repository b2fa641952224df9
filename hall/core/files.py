"""Uploaded files are judged by their content, never by their name.

`sniff` reads the first bytes (and, for Office files, the zip directory) and
says what the file really is; `validate_upload` refuses anything else, files
that are too big, and PDFs that carry script.
"""

import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Kind:
    code: str
    extension: str
    content_type: str
    label: str


PDF = Kind("pdf", ".pdf", "application/pdf", "PDF")
PNG = Kind("png", ".png", "image/png", "PNG")
JPEG = Kind("jpeg", ".jpg", "image/jpeg", "JPEG")
DOCX = Kind(
    "docx",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (DOCX)",
)
XLSX = Kind(
    "xlsx",
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel (XLSX)",
)
ALL_KINDS = {k.code: k for k in (PDF, PNG, JPEG, DOCX, XLSX)}

# Active content a PDF must not carry (script, launch actions, embedded files).
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction\s*<<[^>]*/JS)\b")
_SCAN_BYTES = 8 * 1024 * 1024


def _read_head(f, n: int) -> bytes:
    f.seek(0)
    head = f.read(n)
    f.seek(0)
    return head


def sniff(f) -> Kind | None:
    """What the file is, from its bytes; None if it is none of the kinds we take."""
    head = _read_head(f, 8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            f.seek(0)
            with zipfile.ZipFile(f) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            f.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def _pdf_is_clean(f) -> bool:
    f.seek(0)
    data = f.read(_SCAN_BYTES)
    f.seek(0)
    # A polyglot hides a second format after the PDF's end or script inside it.
    return not _PDF_ACTIVE.search(data) and b"<script" not in data.lower()


def validate_upload(f, *, allowed: set[str], max_bytes: int) -> Kind:
    """Return the file's kind, or raise a ValidationError in Chinese."""
    size = getattr(f, "size", None)
    if size is None:
        f.seek(0, 2)
        size = f.tell()
        f.seek(0)
    if size == 0:
        raise ValidationError(_("文件是空的，请重新选择。"), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("文件过大（%(size)s），单个文件不能超过 %(limit)s。")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="too_big",
        )
    kind = sniff(f)
    if kind is None or kind.code not in allowed:
        names = "、".join(ALL_KINDS[c].label for c in sorted(allowed))
        raise ValidationError(
            _("文件“%(name)s”的内容不是允许的格式（%(kinds)s），请检查后重新上传。")
            % {"name": safe_display_name(getattr(f, "name", "")), "kinds": names},
            code="bad_type",
        )
    if kind is PDF and not _pdf_is_clean(f):
        raise ValidationError(
            _("PDF 文件中含有脚本或嵌入内容，出于安全原因不能接收。请另存为普通 PDF 后再上传。"),
            code="active_pdf",
        )
    return kind


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_display_name(name: str, *, limit: int = 100) -> str:
    """A file name fit to show and to offer as a download name: no path, no
    control characters, bounded length, extension kept."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" ._") or "file"
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        name = stem[: limit - len(ext) - 1] + "." + ext if dot and len(ext) <= 8 else name[:limit]
    return name


def private_file_response(stored, filename: str, *, inline: bool = False, kind: str = ""):
    """Serve a stored file after the caller checked the right to it: never
    sniffed, sandboxed, and (inline) only for the kinds we recognised."""
    from django.http import FileResponse, Http404

    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    if kind in ALL_KINDS:
        response["Content-Type"] = ALL_KINDS[kind].content_type
    return response
