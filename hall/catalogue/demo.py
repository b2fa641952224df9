"""Demo catalogue: themes, 200+ regulations, 269 city items (and some per
county) with complete guides, and real form templates and filled examples
(PDF and DOCX files made at load time).

The content is data, in `demo_data/*.json` beside this module (shipped as
package data): `themes` ([slug, name, audience]), `regulations` (cited by
`key` and article number, 第N条), `city_items` and `county_items` (item specs
by department code). The five items marked `incomplete` deliberately lack some
guide elements for the completeness view.
"""

import functools
import hashlib
import io
import json
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from django.core.files.base import ContentFile
from django.db import transaction

from hall.core.services import log_action
from hall.org.models import Center, Department

from .models import (
    ItemBasis,
    ItemFAQ,
    ItemVersion,
    Material,
    Regulation,
    RegulationArticle,
    ServiceItem,
    SpecialProcedure,
    Theme,
)
from .services import item_next_code, item_refresh_search_text, item_snapshot

DATA_DIR = Path(__file__).with_name("demo_data")


@functools.cache
def demo_data(name: str):
    """One of the demo data files (themes, regulations, city_items, county_items)."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as f:
        return json.load(f)


# Items people ask for most: they get the highest demand in the demo.
POPULAR_WORDS = [
    "营业执照",
    "户口",
    "社会保障卡",
    "不动产",
    "身份证",
    "食品经营",
    "出生医学证明",
    "婚姻",
    "个体工商户",
    "施工许可",
]


def _stable(text: str, modulo: int) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % modulo


def load_themes() -> dict[str, Theme]:
    themes = {}
    for i, (slug, name, audience) in enumerate(demo_data("themes")):
        themes[slug], _ = Theme.objects.get_or_create(
            slug=slug, defaults={"name": name, "audience": audience, "sort_order": i}
        )
    return themes


def load_regulations(city: Center) -> dict[str, Regulation]:
    by_key = {}
    existing = {r.title: r for r in Regulation.objects.all()}
    for entry in demo_data("regulations"):
        regulation = existing.get(entry["title"])
        if regulation is None:
            regulation = Regulation.objects.create(
                center=city,
                title=entry["title"],
                issuer=entry["issuer"],
                level=entry["level"],
                doc_number=entry.get("doc_number", ""),
                promulgated_on=date.fromisoformat(entry["promulgated"])
                if entry.get("promulgated")
                else None,
                effective_on=date.fromisoformat(entry["effective"])
                if entry.get("effective")
                else None,
                in_force=entry.get("in_force", True),
            )
            RegulationArticle.objects.bulk_create(
                RegulationArticle(regulation=regulation, number=number, text=text, sort_order=i)
                for i, (number, text) in enumerate(entry["articles"])
            )
        by_key[entry["key"]] = regulation
    return by_key


# ---- files ---------------------------------------------------------------------

_FORM_ROWS = [
    ("申请人（单位）名称", "衢州市示范科技有限公司"),
    ("统一社会信用代码/身份证号码", "91330800MA2XXXXXXX"),
    ("法定代表人（负责人）", "张明"),
    ("联系电话", "13857012345"),
    ("通讯地址", "衢州市柯城区示范路 1 号"),
    ("申请事项", ""),
    ("申请理由", "因经营需要，申请办理该事项。"),
    ("申请日期", "2026年11月20日"),
    ("申请人签名（盖章）", "张明（签名）"),
]


def _pdf_bytes(title: str, item_name: str, filled: bool) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle(title)
    width, height = A4
    c.setFont(font, 18)
    c.drawCentredString(width / 2, height - 72, title)
    c.setFont(font, 11)
    c.drawCentredString(width / 2, height - 96, f"（{item_name}）")
    if filled:
        c.setFont(font, 12)
        c.setFillGray(0.45)
        c.drawRightString(width - 56, height - 56, "填写范例")
        c.setFillGray(0)
    y = height - 140
    for label, sample in _FORM_ROWS:
        value = (item_name if label == "申请事项" else sample) if filled else ""
        c.rect(56, y - 8, width - 112, 30)
        c.setFont(font, 11)
        c.drawString(64, y + 2, label)
        c.line(236, y - 8, 236, y + 22)
        if value:
            c.drawString(244, y + 2, value)
        y -= 30
    c.setFont(font, 9)
    c.drawString(56, 80, "本表格由衢州市行政服务中心网上办事大厅提供，网上下载的表格视为正式表格。")
    c.showPage()
    c.save()
    return buf.getvalue()


# Placeholders of the DOCX skeleton: plain ASCII, so each stays one run of one
# part and is replaced in the XML as is.
_DOCX_TITLE = "HALLDEMOTITLE"
_DOCX_ITEM = "HALLDEMOITEM"


@functools.cache
def _docx_skeleton(filled: bool) -> bytes:
    """The form as python-docx writes it, with placeholders for the title and the
    item: built once per process (parsing python-docx's default template and
    writing the package took most of the catalogue's load time)."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = _DOCX_TITLE
    doc.add_heading(_DOCX_TITLE, level=1)
    doc.add_paragraph(f"（{_DOCX_ITEM}）")
    if filled:
        doc.add_paragraph("【填写范例】")
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, sample in _FORM_ROWS:
        row = table.add_row().cells
        row[0].text = label
        row[1].text = (_DOCX_ITEM if label == "申请事项" else sample) if filled else ""
    doc.add_paragraph("本表格由衢州市行政服务中心网上办事大厅提供，网上下载的表格视为正式表格。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_bytes(title: str, item_name: str, filled: bool) -> bytes:
    title_xml = xml_escape(title).encode()
    item_xml = xml_escape(item_name).encode()
    source = zipfile.ZipFile(io.BytesIO(_docx_skeleton(filled)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in ("word/document.xml", "docProps/core.xml"):
                data = data.replace(_DOCX_TITLE.encode(), title_xml)
                data = data.replace(_DOCX_ITEM.encode(), item_xml)
            package.writestr(info, data)
    return buf.getvalue()


def _attach_forms(material: Material, item_name: str) -> None:
    as_pdf = _stable(material.name + item_name, 2) == 0
    make, ext = (_pdf_bytes, ".pdf") if as_pdf else (_docx_bytes, ".docx")
    material.template.save(
        f"t{ext}", ContentFile(make(material.name, item_name, False)), save=False
    )
    material.template_name = f"{material.name}（空白表格）{ext}"
    material.example.save(f"e{ext}", ContentFile(make(material.name, item_name, True)), save=False)
    material.example_name = f"{material.name}（填写范例）{ext}"
    material.save()


# ---- items ---------------------------------------------------------------------


def _demand(name: str) -> tuple[int, int]:
    base = _stable(name, 400)
    if any(word in name for word in POPULAR_WORDS):
        base += 3000 + _stable(name + "p", 2000)
    return base * 3, base // 4


@transaction.atomic
def _load_item(spec: dict, department: Department, themes: dict, regulations: dict) -> bool:
    if ServiceItem.objects.filter(department=department, name=spec["name"]).exists():
        return False
    center = department.center
    window = department.windows.order_by("number").first()
    incomplete = spec.get("incomplete", False)
    fee = spec.get("fee")
    views, applications = _demand(spec["name"])
    item = ServiceItem.objects.create(
        center=center,
        department=department,
        code=item_next_code(department=department, item_type=spec["type"]),
        name=spec["name"],
        aliases="、".join(spec.get("aliases", [])),
        item_type=spec["type"],
        applicant_type=spec["applicant"],
        online_depth=spec["depth"],
        conditions="\n".join(spec.get("conditions", [])),
        procedure="\n".join(spec.get("steps", [])),
        statutory_days=spec["statutory_days"],
        promised_days=spec["promised_days"],
        is_free=fee is None,
        fee_standard=fee[0] if fee else "",
        fee_basis=fee[1] if fee else "",
        result_name=spec.get("result", ""),
        onsite_visits=spec.get("visits", 1),
        window=window,
        place=f"{center.address}{window.location if window else ''}",
        hours="" if incomplete else (center.hours or "周一至周五 8:30—12:00，14:30—17:30"),
        contact_phone=department.phone or center.phone,
        complaint_phone="" if incomplete else (center.complaint_phone or center.phone),
        view_count=views,
        application_count=applications,
    )
    item.themes.set([themes[s] for s in spec.get("themes", []) if s in themes])
    for i, m in enumerate(spec.get("materials", [])):
        material = Material.objects.create(
            item=item,
            name=m["name"],
            submission=m["submission"],
            required=m.get("required", True),
            original_or_copy=m.get("original", "original"),
            copies=m.get("copies", 1),
            source=m.get("source", ""),
            notes=m.get("notes", ""),
            sort_order=i,
        )
        if m.get("template"):
            _attach_forms(material, item.name)
    for key, number in spec.get("basis", []):
        regulation = regulations.get(key)
        article = regulation and regulation.articles.filter(number=number).first()
        if article:
            ItemBasis.objects.get_or_create(item=item, article=article)
    for kind, days, counts in spec.get("special", []):
        SpecialProcedure.objects.create(item=item, kind=kind, days=days, counts_toward_limit=counts)
    for i, (question, answer) in enumerate(spec.get("faq", [])):
        ItemFAQ.objects.create(item=item, question=question, answer=answer, sort_order=i)
    item_refresh_search_text(item)
    item.version = 1
    item.save(update_fields=["version"])
    ItemVersion.objects.create(item=item, number=1, snapshot=item_snapshot(item), note="初始版本")
    log_action(None, "catalogue.item_load", item, {"source": "load_demo"}, actor_name="load_demo")
    return True


def load(out=None) -> dict:
    city = Center.objects.get(parent__isnull=True)
    themes = load_themes()
    regulations = load_regulations(city)
    created = 0
    for code, specs in demo_data("city_items").items():
        department = Department.objects.get(center=city, code=code)
        for spec in specs:
            created += _load_item(spec, department, themes, regulations)
    for county in city.children.all():
        for code, specs in demo_data("county_items").items():
            department = Department.objects.filter(center=county, code=code).first()
            if department is None:
                continue
            for spec in specs:
                created += _load_item(spec, department, themes, regulations)
    return {
        "items": ServiceItem.objects.count(),
        "city_items": ServiceItem.objects.filter(center=city).count(),
        "regulations": Regulation.objects.count(),
        "templates": Material.objects.exclude(template="").count(),
        "created": created,
    }
