"""Uploaded files are judged by their content, never by their name.

`sniff` reads the first bytes (and, for Office files, the zip directory) and
says what the file claims to be; `validate_upload` refuses anything else and
files that are too big, then reads the whole file as that kind (PDFs through
a parser, images decoded, Office files unzipped) and refuses active content,
polyglots and bombs.
"""

import hashlib
import io
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


# ---- limits --------------------------------------------------------------------

# An A4 page scanned at 600 dpi is 35 million pixels, a 50-megapixel phone photo
# 50 million; past this an image costs more memory to decode than any material
# needs, and Pillow's own bomb guard only starts at 179 million.
IMAGE_MAX_PIXELS = 60_000_000
# A filled form or a table has tens of parts and inflates a few times. A
# thousand parts, 100 MB unpacked, or a part past its first megabyte that
# inflates a hundredfold is an archive built to exhaust the server.
OFFICE_MAX_ENTRIES = 1000
OFFICE_MAX_UNCOMPRESSED = 100 * 1024 * 1024
OFFICE_MAX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024
_XML_PART_MAX = 4 * 1024 * 1024  # a .rels or [Content_Types].xml held in memory
_CHUNK = 64 * 1024


class _Refused(Exception):
    """One reason to refuse a file; `_refusal` turns it into a Chinese message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _refusal(reason: _Refused, name: str) -> ValidationError:
    p = {"name": name, **reason.params}
    code = reason.code
    if code == "active_pdf":
        what = {
            "script": _("脚本（JavaScript）"),
            "launch": _("启动外部程序或文件的动作"),
            "embedded": _("嵌入的文件或附件"),
            "xfa": _("XFA 动态表单"),
            "auto": _("打开或浏览时自动执行的动作"),
            "submit": _("向外部提交或读取数据的动作"),
            "media": _("多媒体、三维或 Flash 内容"),
        }[p.pop("what")]
        message = _(
            "PDF 文件“%(name)s”含有%(what)s，出于安全原因不能接收。"
            "请用“打印为 PDF”或“另存为”生成普通 PDF 后再上传。"
        ) % {**p, "what": what}
        return ValidationError(message, code=code)
    messages = {
        "pdf_broken": _(
            "文件“%(name)s”不是完整有效的 PDF，无法打开检查。请重新导出或扫描后再上传。"
        ),
        "pdf_password": _("PDF 文件“%(name)s”设置了打开密码，无法检查其内容。请取消密码后再上传。"),
        "pdf_complex": _("PDF 文件“%(name)s”结构异常复杂，无法检查。请重新导出后再上传。"),
        "image_broken": _(
            "图片“%(name)s”无法完整解码（文件损坏或不完整）。请重新拍摄或导出后再上传。"
        ),
        "image_trailing": _(
            "图片“%(name)s”在图像数据之后还附带了其他内容，出于安全原因不能接收。"
            "请用看图软件另存一份后再上传。"
        ),
        "image_pixels": _(
            "图片“%(name)s”的像素过多（超过 %(limit)s 万像素），请缩小尺寸后再上传。"
        ),
        "office_broken": _("文件“%(name)s”已损坏，无法完整读取。请重新保存后再上传。"),
        "office_macro": _(
            "文件“%(name)s”含有宏或 ActiveX 控件，出于安全原因不能接收。"
            "请另存为不含宏的 .docx 或 .xlsx 文件后再上传。"
        ),
        "office_external": _(
            "文件“%(name)s”引用了外部内容（%(what)s），打开时会从网络或其他文件读取，"
            "出于安全原因不能接收。请删除外部链接、外部模板或链接的对象后再上传。"
        ),
        "office_hyperlink": _(
            "文件“%(name)s”中有指向本机或共享文件夹的链接（%(target)s），"
            "出于安全原因不能接收。只能保留网址（http/https）或电子邮件链接。"
        ),
        "office_dde": _(
            "文件“%(name)s”含有会调用其他程序的 DDE 域，出于安全原因不能接收。请删除该域后再上传。"
        ),
        "office_nested": _(
            "文件“%(name)s”中嵌入了其他文件或压缩包（%(entry)s），出于安全原因不能接收。"
            "请删除嵌入的对象后再上传。"
        ),
        "office_entries": _(
            "文件“%(name)s”内部的部件过多（%(count)d 个，上限 %(limit)d 个），"
            "不像正常的文档，不能接收。"
        ),
        "office_size": _(
            "文件“%(name)s”解压后过大（上限 %(limit)s），不能接收。请删减内容或压缩图片后再上传。"
        ),
        "office_ratio": _(
            "文件“%(name)s”的压缩比异常（部件“%(entry)s”解压后超过压缩时的 %(ratio)d 倍），"
            "像是“压缩炸弹”，不能接收。"
        ),
    }
    return ValidationError(messages[code] % p, code=code)


# ---- PDF -----------------------------------------------------------------------


def _check_pdf(data: bytes) -> None:
    from . import pdfcheck

    verdict = pdfcheck.judge_in_child(data)
    if verdict is not None:
        code, what = verdict
        raise _Refused(code, **({"what": what} if what else {}))


# ---- images --------------------------------------------------------------------


def _png_end(data: bytes) -> int:
    """Where the PNG's IEND chunk ends, walking its chunks."""
    pos, n = 8, len(data)
    while True:
        if pos + 12 > n:
            raise _Refused("image_broken")
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunk = data[pos + 4 : pos + 8]
        pos += 12 + length
        if length > 0x7FFFFFFF or pos > n:
            raise _Refused("image_broken")
        if chunk == b"IEND":
            return pos


def _jpeg_end(data: bytes, start: int) -> int:
    """Where the JPEG that starts at `start` ends (after its EOI), walking its
    marker segments and the entropy-coded data of each scan."""
    n = len(data)
    if data[start : start + 2] != b"\xff\xd8":
        raise _Refused("image_broken")
    pos = start + 2
    while True:
        if pos >= n or data[pos] != 0xFF:
            raise _Refused("image_broken")
        while pos < n and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= n:
            raise _Refused("image_broken")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return pos
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            continue
        if marker in (0x00, 0xD8) or pos + 2 > n:
            raise _Refused("image_broken")
        length = int.from_bytes(data[pos : pos + 2], "big")
        pos += length
        if length < 2 or pos > n:
            raise _Refused("image_broken")
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= n:
                    raise _Refused("image_broken")
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos += 2  # a stuffed 0xFF or a restart marker: still in the scan
                elif following == 0xFF:
                    pos += 1
                else:
                    break


def _decode_image(data: bytes, formats: tuple[str, ...]) -> None:
    import warnings

    from PIL import Image

    too_many = _Refused("image_pixels", limit=IMAGE_MAX_PIXELS // 10_000)
    with warnings.catch_warnings():
        # Pillow warns from 89 million pixels; the limit here is lower.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=formats) as im:
                width, height = im.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise too_many
                im.verify()
            # verify() checks the structure only; load() decodes every pixel.
            with Image.open(io.BytesIO(data), formats=formats) as im:
                im.load()
        except _Refused:
            raise
        except Image.DecompressionBombError:
            raise too_many from None
        except Exception:  # Pillow raises OSError, SyntaxError, ValueError… on bad data
            raise _Refused("image_broken") from None


def _check_image(data: bytes, kind: Kind) -> None:
    if kind is PNG:
        end = _png_end(data)
        _decode_image(data[:end], ("PNG",))
    else:
        end = _jpeg_end(data, 0)
        _decode_image(data[:end], ("JPEG",))
        # Phones append further images after the first (MPF: a depth map, an
        # HDR gain map): allowed only as JPEGs that decode themselves.
        for _extra in range(8):
            if not data.startswith(b"\xff\xd8\xff", end):
                break
            nxt = _jpeg_end(data, end)
            _decode_image(data[end:nxt], ("JPEG",))
            end = nxt
    # Zero padding is harmless; anything else after the image's end is a
    # second file riding along (a script, an executable).
    if data[end:].strip(b"\x00"):
        raise _Refused("image_trailing")


# ---- Office (docx, xlsx) -------------------------------------------------------

_NESTED_MAGIC = (
    b"PK\x03\x04",  # zip, jar, another Office file
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE compound file (old Office, OLE objects)
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"MSCF",  # cabinet
)
_NESTED_SUFFIXES = (".zip", ".jar", ".rar", ".7z", ".cab")
_MACRO_PARTS = {"vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin"}
_MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"activex", b"macrosheet")
# Relationships with TargetMode="External" make Word or Excel fetch something
# when the file opens (attachedTemplate, oleObject, externalLinkPath, an
# external image, subDocument, frame…). A hyperlink fetches nothing until it is
# clicked, and filled forms often carry one (a company web site, an e-mail
# address), so hyperlinks are kept, but only to web and mail addresses: a link
# to file:// or \\server\share hands a clerk's Windows credentials to whoever
# runs that share.
_HYPERLINK_SCHEMES = {"http", "https", "mailto"}


def _office_part_rules(name: str) -> None:
    lower = "/" + name.lower()
    base = lower.rsplit("/", 1)[-1]
    if base in _MACRO_PARTS or "/activex/" in lower:
        raise _Refused("office_macro")
    if lower.startswith(("/xl/macrosheets/", "/xl/dialogsheets/")):
        raise _Refused("office_macro")
    if "/embeddings/" in lower or base.endswith(_NESTED_SUFFIXES):
        raise _Refused("office_nested", entry=safe_display_name(name))
    if lower.startswith("/xl/externallinks/"):
        # A link to another workbook, or a DDE link that starts a program.
        raise _Refused("office_external", what="externalLink")


def _xml_parser():
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")

    def no_dtd(*_args):
        # OOXML parts never declare a DTD; one here is an entity bomb.
        raise _Refused("office_broken")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    return parser


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _check_relationships(data: bytes) -> None:
    from urllib.parse import urlsplit

    def start(tag, attrs):
        if _local(tag) != "Relationship":
            return
        attrs = {_local(k): v for k, v in attrs.items()}
        kind = attrs.get("Type", "").rsplit("/", 1)[-1]
        if kind == "externalLink":
            raise _Refused("office_external", what=kind)
        if attrs.get("TargetMode", "").lower() != "external":
            return
        if kind != "hyperlink":
            raise _Refused("office_external", what=kind or "?")
        target = attrs.get("Target", "").strip()
        try:
            scheme = urlsplit(target).scheme.lower()
        except ValueError:
            scheme = ""
        if scheme not in _HYPERLINK_SCHEMES:
            raise _Refused("office_hyperlink", target=target[:80])

    parser = _xml_parser()
    parser.StartElementHandler = start
    parser.Parse(data, True)


class _FieldScanner:
    """Streams a Word part and refuses DDE fields (DDE, DDEAUTO), which ask
    Word to start another program; the field code may be split over runs."""

    def __init__(self):
        self.parser = _xml_parser()
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text
        self.fields: list[list[str]] = []
        self.in_instr = False

    def judge(self, code: str) -> None:
        words = code.split(None, 1)
        if words and words[0].upper() in {"DDE", "DDEAUTO"}:
            raise _Refused("office_dde")

    def start(self, tag, attrs):
        local = _local(tag)
        if local == "fldChar":
            kind = next((v for k, v in attrs.items() if _local(k) == "fldCharType"), "")
            if kind == "begin":
                self.fields.append([])
            elif self.fields:
                self.judge("".join(self.fields[-1]))
                if kind == "end":
                    self.fields.pop()
        elif local == "instrText":
            self.in_instr = True
        elif local == "fldSimple":
            self.judge(next((v for k, v in attrs.items() if _local(k) == "instr"), ""))

    def end(self, tag):
        if _local(tag) == "instrText":
            self.in_instr = False

    def text(self, data):
        if self.in_instr and self.fields and len(self.fields[-1]) < 1000:
            self.fields[-1].append(data)

    def feed(self, chunk: bytes, final: bool = False) -> None:
        self.parser.Parse(chunk, final)


def _check_office(data: bytes, kind: Kind) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _Refused("office_broken") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > OFFICE_MAX_ENTRIES:
            raise _Refused("office_entries", count=len(infos), limit=OFFICE_MAX_ENTRIES)
        if len({i.filename.lower() for i in infos}) != len(infos):
            raise _Refused("office_broken")  # two parts of one name: which one counts?
        if sum(i.file_size for i in infos) > OFFICE_MAX_UNCOMPRESSED:
            raise _Refused("office_size", limit=filesizeformat(OFFICE_MAX_UNCOMPRESSED))
        for info in infos:
            if info.flag_bits & 0x1:
                raise _Refused("office_broken")  # an encrypted part cannot be judged
            if info.file_size > _RATIO_FLOOR and info.file_size > OFFICE_MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise _Refused(
                    "office_ratio", entry=safe_display_name(info.filename), ratio=OFFICE_MAX_RATIO
                )
            _office_part_rules(info.filename)
        try:
            _read_office_parts(archive, infos, kind)
        except _Refused:
            raise
        except Exception:  # bad CRC, truncated data, bad XML, unknown compression
            raise _Refused("office_broken") from None


def _read_office_parts(archive: zipfile.ZipFile, infos, kind: Kind) -> None:
    """Read every part to its end. The zip directory's sizes are only a claim;
    zipfile stops at the claimed size and a CRC mismatch raises, and the
    running total is bounded here as well."""
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        lower = info.filename.lower()
        keep = lower.endswith(".rels") or lower == "[content_types].xml"
        scanner = (
            _FieldScanner()
            if kind is DOCX and lower.startswith("word/") and lower.endswith(".xml")
            else None
        )
        kept, head = [], b""
        kept_size = 0
        with archive.open(info) as part:
            while chunk := part.read(_CHUNK):
                total += len(chunk)
                if total > OFFICE_MAX_UNCOMPRESSED:
                    raise _Refused("office_size", limit=filesizeformat(OFFICE_MAX_UNCOMPRESSED))
                if len(head) < 8:
                    head += chunk[: 8 - len(head)]
                if keep:
                    kept_size += len(chunk)
                    if kept_size > _XML_PART_MAX:
                        raise _Refused("office_broken")
                    kept.append(chunk)
                if scanner:
                    scanner.feed(chunk)
        if head.startswith(_NESTED_MAGIC):
            raise _Refused("office_nested", entry=safe_display_name(info.filename))
        if scanner:
            scanner.feed(b"", True)
        if keep:
            body = b"".join(kept)
            if lower == "[content_types].xml":
                if any(t in body.lower() for t in _MACRO_CONTENT_TYPES):
                    raise _Refused("office_macro")
                if b"oleobject" in body.lower():
                    raise _Refused("office_nested", entry="oleObject")
            else:
                _check_relationships(body)


def _check_content(data: bytes, kind: Kind) -> None:
    if kind is PDF:
        _check_pdf(data)
    elif kind in (PNG, JPEG):
        _check_image(data, kind)
    else:
        _check_office(data, kind)


def validate_upload(f, *, allowed: set[str], max_bytes: int) -> Kind:
    """Return the file's kind, or raise a ValidationError in Chinese.

    Beyond its first bytes, the whole file is read as what it claims to be: a
    PDF parsed and refused if it carries script, launch actions, embedded
    files, XFA or automatic actions; an image decoded to its last pixel with
    nothing after its end; an Office file unzipped part by part and refused
    on macros, external content, nested archives and unpacking bombs."""
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
    name = safe_display_name(getattr(f, "name", ""))
    if kind is None or kind.code not in allowed:
        names = "、".join(ALL_KINDS[c].label for c in sorted(allowed))
        raise ValidationError(
            _("文件“%(name)s”的内容不是允许的格式（%(kinds)s），请检查后重新上传。")
            % {"name": name, "kinds": names},
            code="bad_type",
        )
    f.seek(0)
    data = f.read(max_bytes + 1)
    f.seek(0)
    try:
        _check_content(data, kind)
    except _Refused as reason:
        raise _refusal(reason, name) from None
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


def kept_name(upload, kind) -> str:
    """The name a checked upload is kept and offered under: the sender's own
    name made safe, with the extension of what the file really holds."""
    display = safe_display_name(upload.name)
    stem = display.rsplit(".", 1)[0] if "." in display else display
    return f"{stem}{kind.extension}"[:120]


def upload_sha256(upload) -> str:
    """The SHA-256 of an upload's content; the upload is rewound for saving."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


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
