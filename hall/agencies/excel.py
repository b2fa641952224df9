"""Excel import and export of the agency directory, on the catalogue's import
machinery (hall/catalogue/excel: reading with its file checks, the row parser,
the preview kept in the session, the sheet writer).

The file: sheet “中介机构”, one row per agency, found again by its center and
统一社会信用代码; sheet “资质证书”, one row per certificate, tied to its agency
by the credit code. When the certificate sheet is there it replaces the
certificates of every agency of the first sheet; without it certificates are
left alone. Categories and linked items are written in one cell each,
separated by “、”. The export is the import's template: exported and
imported again, nothing changes. The headers are the format: Chinese in
every interface language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from hall.catalogue.excel.columns import (
    NO,
    YES,
    Column,
    cell_text,
    choice_lookup,
    choice_names,
    comparable,
    is_blank,
)
from hall.catalogue.excel.exporting import workbook_bytes, write_sheet
from hall.catalogue.excel.preview import ImportPreview
from hall.catalogue.excel.reading import FileProblem, column_index, read_workbook
from hall.catalogue.excel.validation import Row, check_lengths, chunks, model_errors, parse_values
from hall.catalogue.models import ServiceItem
from hall.core.services import log_action
from hall.core.validators import normalise_id, validate_uscc

from . import selectors, services
from .constants import AgencyCategory
from .models import Agency, Certificate, sorted_categories

AGENCY_SHEET = "中介机构"
CERTIFICATE_SHEET = "资质证书"
NOTES_SHEET = "填写说明"
PENDING_KEY = "agencies_import_pending"
MAX_AGENCY_ROWS = 3000
MAX_CERTIFICATE_ROWS = 20000
SEPARATORS = re.compile(r"[、,，;；/\s]+")

USCC, NAME, CENTER, CATEGORIES, ITEMS = (
    "统一社会信用代码",
    "机构名称",
    "所属中心区划代码",
    "服务类别",
    "关联事项编码",
)
CERT_PREFIX = f"{CERTIFICATE_SHEET}·"

AGENCY_COLUMNS = [
    Column(USCC, "uscc", "code", required=True),
    Column(NAME, "name", "text", required=True),
    Column(CENTER, "center", "center"),
    Column(CATEGORIES, "categories", "categories", required=True),
    Column("服务范围", "scope", "text"),
    Column(ITEMS, "items", "items"),
    Column("联系人", "contact_person", "text"),
    Column("联系电话", "phone", "text"),
    Column("地址", "address", "text"),
    Column("收费依据", "fee_basis", "text"),
    Column("是否启用", "is_active", "yesno"),
]
CERTIFICATE_COLUMNS = [
    Column(USCC, "uscc", "code", required=True),
    Column("资质类别", "category", "choice", required=True, choices=AgencyCategory),
    Column("证书编号", "number", "text", required=True),
    Column("资质等级", "level", "text"),
    Column("发证机关", "issuer", "text"),
    Column("有效期起", "valid_from", "date"),
    Column("有效期至", "valid_until", "date"),
]
VALUE_FIELDS = [c.field for c in AGENCY_COLUMNS if c.kind in ("text", "yesno")]
HEADERS = {c.field: c.header for c in AGENCY_COLUMNS}
CERT_HEADERS = {c.field: c.header for c in CERTIFICATE_COLUMNS}
CERT_FIELDS = [c.field for c in CERTIFICATE_COLUMNS if c.kind != "code"]

NOTES = [
    (
        "中介机构",
        "每行一家机构；按“所属中心区划代码 + 统一社会信用代码”识别：已有的更新，没有的新增。",
    ),
    (USCC, "18 位，含校验码（GB 32100-2015）；全角、小写会自动规范。"),
    (CENTER, "如 330800（市本级）、330802（柯城区）；留空为您所在的中心。"),
    (
        CATEGORIES,
        "一个或多个，用“、”分隔，可选：" + "、".join(str(label) for label in AgencyCategory.labels),
    ),
    (ITEMS, "所属中心的事项编码，多个用“、”分隔；这些事项的办事指南会列出本机构。"),
    ("是否启用", "填写“是”或“否”，留空为“是”。"),
    (
        "资质证书",
        "每行一本证书，用统一社会信用代码对应机构；保留此表时，将以表中内容替换所列机构的全部证书；删除此表则不改动证书。",
    ),
    (
        "有效期至",
        "日期，如 2027-12-31；留空表示长期有效。某一类别的证书全部过期的机构标为“资质过期”，不在办事指南和默认名录中列出。",
    ),
]


def _source_label(code: str) -> str:
    from django.utils import translation

    with translation.override(None):
        return str(AgencyCategory(code).label)


# ---- export ------------------------------------------------------------------------


def _agency_values(agency: Agency) -> list:
    return [
        agency.uscc,
        agency.name,
        agency.center.region_code,
        "、".join(_source_label(c) for c in sorted_categories(agency.category_codes)),
        agency.scope,
        "、".join(sorted(i.code for i in agency.items.all())),
        agency.contact_person,
        agency.phone,
        agency.address,
        agency.fee_basis,
        YES if agency.is_active else NO,
    ]


def _certificate_values(agency: Agency, cert: Certificate) -> list:
    return [
        agency.uscc,
        _source_label(cert.category),
        cert.number,
        cert.level,
        cert.issuer,
        cert.valid_from,
        cert.valid_until,
    ]


def export_agencies(qs) -> bytes:
    agencies = list(
        qs.select_related("center")
        .prefetch_related("category_rows", "certificates", "items")
        .order_by("center__sort_order", "name", "id")
    )
    book = Workbook(write_only=True)
    write_sheet(book, AGENCY_SHEET, AGENCY_COLUMNS, (_agency_values(a) for a in agencies))
    write_sheet(
        book,
        CERTIFICATE_SHEET,
        CERTIFICATE_COLUMNS,
        (_certificate_values(a, c) for a in agencies for c in a.certificates.all()),
    )
    write_sheet(
        book, NOTES_SHEET, [Column("列", "", ""), Column("填写方法", "", "")], NOTES, freeze="A2"
    )
    return workbook_bytes(book)


def template() -> bytes:
    """An empty file of the format with one example row in each sheet, and the notes."""
    book = Workbook(write_only=True)
    example = "91330800MA2A00001" + _check("91330800MA2A00001")
    write_sheet(
        book,
        AGENCY_SHEET,
        AGENCY_COLUMNS,
        [
            [
                example,
                "衢州市示例测绘有限公司",
                "",
                "测绘",
                "地形测量、不动产测绘",
                "",
                "王工",
                "0570-3000000",
                "衢州市柯城区示例路 1 号",
                "按市场调节价",
                YES,
            ]
        ],
    )
    write_sheet(
        book,
        CERTIFICATE_SHEET,
        CERTIFICATE_COLUMNS,
        [
            [
                example,
                "测绘",
                "乙测资字33500001",
                "乙级",
                "浙江省自然资源厅",
                date(2024, 1, 1),
                date(2028, 12, 31),
            ]
        ],
    )
    write_sheet(
        book, NOTES_SHEET, [Column("列", "", ""), Column("填写方法", "", "")], NOTES, freeze="A2"
    )
    return workbook_bytes(book)


def _check(first17: str) -> str:
    from hall.core.validators import uscc_check

    return uscc_check(first17)


# ---- import ------------------------------------------------------------------------


@dataclass
class _Context:
    user: object
    centers: dict  # region code → center
    own_center: object
    existing: dict  # (center_id, uscc) → Agency
    items: dict  # code → ServiceItem (of the managed centers)


def _split(text: str) -> list[str]:
    return [part for part in SEPARATORS.split(text) if part]


def _parse_agency_row(row: Row, ctx: _Context, seen: dict, lookup: dict):
    uscc = normalise_id(cell_text(row.raw(USCC)))[:40]
    check_lengths(row, AGENCY_COLUMNS, None)
    if USCC not in row.too_long:
        try:
            validate_uscc(uscc)
        except ValidationError as exc:
            row.error(USCC, exc.messages[0])
            uscc = ""
    if NAME not in row.too_long and not cell_text(row.raw(NAME)):
        row.error(NAME, _("请填写“%(name)s”。") % {"name": NAME})

    center = ctx.own_center
    region = cell_text(row.raw(CENTER))
    if region:
        center = ctx.centers.get(region)
        if center is None:
            row.error(
                CENTER,
                _("中心区划代码“%(code)s”不存在或不在您的管理范围内。") % {"code": region[:20]},
            )
    elif center is None:
        row.error(CENTER, _("请填写“%(name)s”。") % {"name": CENTER})

    if uscc and center is not None:
        key = (center.pk, uscc)
        if key in seen:
            row.error(
                USCC,
                _("统一社会信用代码“%(code)s”与第 %(row)d 行重复。")
                % {"code": uscc, "row": seen[key]},
            )
        else:
            seen[key] = row.number

    categories = []
    if CATEGORIES not in row.too_long:
        names = _split(cell_text(row.raw(CATEGORIES)))
        if not names:
            row.error(CATEGORIES, _("请填写“%(name)s”。") % {"name": CATEGORIES})
        for name in names:
            code = lookup.get(name) or lookup.get(name.lower())
            if code is None:
                row.error(
                    CATEGORIES,
                    _("“%(value)s”不是有效的服务类别，应为：%(names)s。")
                    % {"value": name[:20], "names": choice_names(AgencyCategory)},
                )
            elif code not in categories:
                categories.append(code)

    item_ids = []
    if ITEMS not in row.too_long:
        for code in _split(cell_text(row.raw(ITEMS))):
            item = ctx.items.get(code)
            if item is None or (center is not None and item.center_id != center.pk):
                row.error(ITEMS, _("事项编码“%(code)s”不是所属中心的事项。") % {"code": code[:40]})
            elif item.pk not in item_ids:
                item_ids.append(item.pk)

    agency = ctx.existing.get((center.pk, uscc)) if center is not None and uscc else None
    if agency is not None:
        base = {
            f: comparable(v) if isinstance(v, str) else v
            for f, v in ((f, getattr(agency, f)) for f in VALUE_FIELDS)
        }
    else:
        base = {f: Agency._meta.get_field(f).get_default() for f in VALUE_FIELDS}
    columns = [c for c in AGENCY_COLUMNS if not (c.kind == "yesno" and is_blank(row.raw(c.header)))]
    values = parse_values(row, columns, base, {})
    for field in VALUE_FIELDS:
        if isinstance(values.get(field), str) and any(
            ord(ch) < 32 and ch not in "\n\t" for ch in values[field]
        ):
            row.error(HEADERS[field], _("内容中含有无法保存的控制字符，请删除后重试。"))
    typed = [f for f in VALUE_FIELDS if values.get(f) is not None]
    instance = Agency(uscc=uscc or "", **{f: values[f] for f in typed})
    exclude = [f.name for f in Agency._meta.fields if f.name not in typed]
    model_errors(row, instance, exclude, HEADERS)
    if row.failed:
        return None
    return {
        "row": row.number,
        "code": uscc,
        "name": values["name"],
        "center": center.short_name,
        "center_id": center.pk,
        "agency_id": agency.pk if agency else None,
        "stamp": agency.updated_at.isoformat() if agency else None,
        "values": {f: values[f] for f in VALUE_FIELDS},
        "categories": sorted_categories(categories),
        "items": sorted(item_ids),
        "certificates": None,
    }


def _parse_certificates(data, index, errors, rows_by_uscc) -> dict[str, list[dict]]:
    lookups = {"category": choice_lookup(AgencyCategory)}
    out: dict[str, list[dict]] = {}
    base = dict.fromkeys(CERT_FIELDS, "")
    for number, values in data:
        row = Row(number, values, index, errors, prefix=CERT_PREFIX)
        check_lengths(row, CERTIFICATE_COLUMNS, None)
        uscc = normalise_id(cell_text(row.raw(USCC)))[:40]
        if not uscc:
            row.error(USCC, _("请填写“%(name)s”。") % {"name": USCC})
        elif uscc not in rows_by_uscc:
            row.error(
                USCC,
                _("统一社会信用代码“%(code)s”不在“中介机构”表中；证书只能随机构一同导入。")
                % {"code": uscc},
            )
        cleaned = parse_values(row, CERTIFICATE_COLUMNS, base, lookups)
        if not cleaned.get("number") and "证书编号" not in row.bad:
            row.error("证书编号", _("请填写“%(name)s”。") % {"name": "证书编号"})
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and start > end:
            row.error("有效期至", _("有效期至不能早于有效期起。"))
        instance = Certificate(**{f: cleaned[f] for f in CERT_FIELDS if cleaned.get(f) is not None})
        exclude = ["agency", *[f for f in CERT_FIELDS if cleaned.get(f) is None]]
        model_errors(row, instance, exclude, CERT_HEADERS)
        if row.failed:
            continue
        for categories in rows_by_uscc.get(uscc, []):
            if cleaned["category"] not in categories:
                row.error(
                    "资质类别",
                    _("证书类别“%(name)s”不在该机构的服务类别中。")
                    % {"name": _source_label(cleaned["category"])},
                )
                break
        if row.failed:
            continue
        out.setdefault(uscc, []).append(
            {
                **{f: cleaned[f] for f in ("category", "number", "level", "issuer")},
                "valid_from": start.isoformat() if start else None,
                "valid_until": end.isoformat() if end else None,
            }
        )
    return out


def _stored_certificates(agency: Agency) -> list[dict]:
    return sorted(
        (
            {
                "category": c.category,
                "number": c.number,
                "level": c.level,
                "issuer": c.issuer,
                "valid_from": c.valid_from.isoformat() if c.valid_from else None,
                "valid_until": c.valid_until.isoformat() if c.valid_until else None,
            }
            for c in agency.certificates.all()
        ),
        key=lambda d: tuple(str(v) for v in d.values()),
    )


def _decide(entry: dict, agency: Agency | None, certificates_sheet: bool) -> None:
    if agency is None:
        entry["action"], entry["changes"] = "create", []
    else:
        changes = [
            f
            for f in VALUE_FIELDS
            if (
                comparable(getattr(agency, f))
                if isinstance(entry["values"][f], str)
                else getattr(agency, f)
            )
            != entry["values"][f]
        ]
        if sorted_categories(agency.category_codes) != entry["categories"]:
            changes.append("categories")
        if sorted(i.pk for i in agency.items.all()) != entry["items"]:
            changes.append("items")
        if certificates_sheet and entry["certificates"] is not None:
            key = lambda d: tuple(str(v) for v in d.values())  # noqa: E731
            if _stored_certificates(agency) != sorted(entry["certificates"], key=key):
                changes.append("certificates")
            else:
                entry["certificates"] = None
        entry["changes"] = changes
        entry["action"] = "update" if changes else "unchanged"
    entry["changed_columns"] = [
        CERTIFICATE_SHEET if c == "certificates" else HEADERS[c] for c in entry["changes"]
    ]


def parse_import(upload, *, user) -> ImportPreview:
    """Read an uploaded workbook and say, row by row, what importing it would do."""
    preview = ImportPreview()
    errors = preview.errors
    try:
        (header, data), cert_sheet = read_workbook(
            upload,
            main=AGENCY_SHEET,
            second=CERTIFICATE_SHEET,
            main_limit=MAX_AGENCY_ROWS,
            second_limit=MAX_CERTIFICATE_ROWS,
        )
    except FileProblem as exc:
        errors.append((0, "", str(exc)))
        return preview
    index = column_index(header, AGENCY_COLUMNS, errors)
    cert_index = None
    if cert_sheet is not None:
        cert_index = column_index(cert_sheet[0], CERTIFICATE_COLUMNS, errors, prefix=CERT_PREFIX)
        preview.materials = True
    if errors:
        return preview
    if not data:
        errors.append((0, "", _("表格中没有中介机构数据。")))
        return preview

    centers = list(selectors.centers_managed_by(user))
    staff = getattr(user, "staff", None)
    own = next((c for c in centers if c.pk == getattr(staff, "center_id", None)), None)
    managed = selectors.agencies_managed_by(user).prefetch_related(
        "category_rows", "items", "certificates"
    )
    existing = {}
    codes = set()
    for _number, values in data:
        row = Row(0, values, index, [])
        uscc = normalise_id(cell_text(row.raw(USCC)))
        if uscc and len(uscc) <= 40:
            codes.add(uscc)
        codes.update(p for p in _split(cell_text(row.raw(ITEMS)))[:200] if len(p) <= 40)
    for chunk in chunks(sorted(codes)):
        existing.update({(a.center_id, a.uscc): a for a in managed.filter(uscc__in=chunk)})
    items = {}
    for chunk in chunks(sorted(codes)):
        items.update(
            {
                i.code: i
                for i in ServiceItem.objects.filter(code__in=chunk, center__in=centers).only(
                    "code", "center_id"
                )
            }
        )
    ctx = _Context(user, {c.region_code: c for c in centers}, own, existing, items)

    lookup = choice_lookup(AgencyCategory)
    seen: dict = {}
    entries = []
    for number, values in data:
        entry = _parse_agency_row(Row(number, values, index, errors), ctx, seen, lookup)
        if entry is not None:
            entries.append(entry)
    certificates = {}
    if cert_sheet is not None:
        by_uscc: dict[str, list] = {}
        for entry in entries:
            by_uscc.setdefault(entry["code"], []).append(entry["categories"])
        certificates = _parse_certificates(cert_sheet[1], cert_index, errors, by_uscc)
    if errors:
        return preview
    for entry in entries:
        if cert_sheet is not None:
            entry["certificates"] = certificates.get(entry["code"], [])
        agency = existing.get((entry["center_id"], entry["code"]))
        _decide(entry, agency, cert_sheet is not None)
        preview.rows.append(entry)
    return preview


def _stale(name: str) -> ValidationError:
    return ValidationError(
        _("中介机构“%(name)s”在预览之后已被修改或删除，请重新上传文件。") % {"name": name}
    )


@transaction.atomic
def apply_import(preview: ImportPreview, *, actor) -> tuple[int, int]:
    """Create and update the previewed agencies through `agency_save` (which checks
    the actor's right and the center again). All of it or nothing."""
    if preview.errors:
        raise ValueError("a preview with errors cannot be imported")
    created = updated = 0
    for entry in preview.rows:
        if entry["action"] == "unchanged":
            continue
        if entry["action"] == "update":
            agency = (
                selectors.agencies_managed_by(actor)
                .select_for_update(of=("self",))
                .filter(pk=entry["agency_id"], uscc=entry["code"])
                .first()
            )
            if agency is None or agency.updated_at.isoformat() != entry["stamp"]:
                raise _stale(entry["name"])
        else:
            if Agency.objects.filter(center_id=entry["center_id"], uscc=entry["code"]).exists():
                raise _stale(entry["name"])
            agency = Agency(center_id=entry["center_id"], uscc=entry["code"])
        for name, value in entry["values"].items():
            setattr(agency, name, value)
        agency.full_clean(exclude=["center", "items", "qualified_until"], validate_unique=False)
        certs = None
        if entry.get("certificates") is not None:
            certs = [
                services.CertificateData(
                    category=c["category"],
                    number=c["number"],
                    level=c["level"],
                    issuer=c["issuer"],
                    valid_from=date.fromisoformat(c["valid_from"]) if c["valid_from"] else None,
                    valid_until=date.fromisoformat(c["valid_until"]) if c["valid_until"] else None,
                )
                for c in entry["certificates"]
            ]
        items = ServiceItem.objects.filter(pk__in=entry["items"], center_id=entry["center_id"])
        services.agency_save(
            actor=actor,
            agency=agency,
            categories=entry["categories"],
            items=list(items),
            certificates=certs,
        )
        if entry["action"] == "create":
            created += 1
        else:
            updated += 1
    if created or updated:
        log_action(actor, "agencies.agency_import", None, {"created": created, "updated": updated})
    return created, updated
