"""Excel export and import of the catalogue.

One format both ways: the export is the template of the import. Sheet "事项"
holds one row per item, sheet "申报材料" one row per application material.
The column headers are the file format, not interface text: they stay Chinese
whatever the user's language, as do the labels written into the cells.

An import is validated whole (every row, every problem collected), shown as a
preview, kept in the session under a token, and applied on confirmation in one
transaction: all of it or nothing.
"""

from __future__ import annotations

import functools
import io
import secrets
import time
import zipfile
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from hall.org.selectors import departments_visible_to

from . import selectors, services
from .constants import (
    ITEM_TYPE_CODES,
    ApplicantType,
    FilingAction,
    ItemType,
    OriginalOrCopy,
    Submission,
)
from .models import Material, ServiceItem, item_code_validator

ITEM_SHEET = "事项"
MATERIAL_SHEET = "申报材料"

MAX_ROWS = 5000  # data rows of the item sheet
MAX_MATERIAL_ROWS = 50000
MAX_CELL_CHARS = 2000
MAX_COLUMNS = 60  # columns read; anything further right is ignored
MAX_RAW_ROWS = 200000  # rows scanned, blank ones included
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # the workbook's size once unzipped
MAX_SHOWN_ERRORS = 500
PENDING_KEY = "catalogue_import_pending"
PENDING_MAX_AGE = 3600  # seconds a preview stays confirmable

YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str  # code, text, department, choice, int, yesno, notyes
    required: bool = False  # the column must be present
    choices: Any = None
    low: int = 0
    high: int = 0


ITEM_COLUMNS = [
    Column("事项编码", "code", "code", required=True),
    Column("事项名称", "name", "text", required=True),
    Column("别名", "aliases", "text"),
    Column("办理部门代码", "department", "department", required=True),
    Column("事项类型", "item_type", "choice", required=True, choices=ItemType),
    Column("服务对象", "applicant_type", "choice", required=True, choices=ApplicantType),
    Column("网上办理深度", "online_depth", "int", low=1, high=4),
    Column("法定时限", "statutory_days", "int", low=0, high=365),
    Column("承诺时限", "promised_days", "int", low=0, high=365),
    Column("是否收费", "is_free", "notyes"),
    Column("收费标准", "fee_standard", "text"),
    Column("收费依据", "fee_basis", "text"),
    Column("受理条件", "conditions", "text"),
    Column("办理程序", "procedure", "text"),
    Column("办理结果", "result_name", "text"),
    Column("到现场次数", "onsite_visits", "int", low=0, high=10),
    Column("办理地点", "place", "text"),
    Column("办理时间", "hours", "text"),
    Column("咨询电话", "contact_phone", "text"),
    Column("投诉电话", "complaint_phone", "text"),
    Column("设定依据", "legal_basis_text", "text"),
    Column("是否发布", "is_published", "yesno"),
]

MATERIAL_COLUMNS = [
    Column("事项编码", "item_code", "code", required=True),
    Column("材料名称", "name", "text", required=True),
    Column("提交方式", "submission", "choice", choices=Submission),
    Column("是否必要", "required", "yesno"),
    Column("原件/复印件", "original_or_copy", "choice", choices=OriginalOrCopy),
    Column("份数", "copies", "int", low=1, high=50),
    Column("来源渠道", "source", "text"),
    Column("填报须知", "notes", "text"),
]

# Item fields an import sets (everything but code and department, handled apart).
VALUE_FIELDS = [c.field for c in ITEM_COLUMNS if c.kind not in ("code", "department")]
MATERIAL_VALUE_FIELDS = [c.field for c in MATERIAL_COLUMNS if c.kind != "code"]
FIELD_HEADERS = {c.field: c.header for c in ITEM_COLUMNS}
MATERIAL_FIELD_HEADERS = {c.field: c.header for c in MATERIAL_COLUMNS}
CODE, NAME, DEPARTMENT, MATERIAL_NAME = "事项编码", "事项名称", "办理部门代码", "材料名称"
MATERIAL_PREFIX = f"{MATERIAL_SHEET}·"


@dataclass
class ImportPreview:
    """What an upload would do, row by row, or why it cannot be imported.

    Each row: {"row", "code", "name", "department", "department_id", "action"
    ("create" | "update" | "unchanged"), "item_id", "version", "changes" (the
    headers of what changes), "values" (cleaned field values), "materials"
    (the item's new materials, or None to leave them alone)}.
    """

    rows: list[dict] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    token: str = ""
    materials: bool = False  # the file carries a 申报材料 sheet that replaces materials

    @property
    def created_count(self) -> int:
        return sum(1 for r in self.rows if r["action"] == "create")

    @property
    def updated_count(self) -> int:
        return sum(1 for r in self.rows if r["action"] == "update")

    @property
    def unchanged_count(self) -> int:
        return sum(1 for r in self.rows if r["action"] == "unchanged")

    @property
    def shown_errors(self) -> list[tuple[int, str, str]]:
        return self.errors[:MAX_SHOWN_ERRORS]

    @property
    def hidden_error_count(self) -> int:
        return max(0, len(self.errors) - MAX_SHOWN_ERRORS)


# ---- cell values ---------------------------------------------------------------


def _source(label) -> str:
    """A choice label as written in the source (Chinese), whatever the language."""
    with translation.override(None):
        return str(label)


@functools.cache
def _source_labels(choices) -> dict:
    """value → source label of a choices class (labels in the file never follow the UI language)."""
    return {value: _source(label) for value, label in choices.choices}


def _excel_text(value: Any) -> str:
    """Text as a cell can hold it: no control characters, at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:32767]


def _text(value: Any) -> str:
    """A cell read as text: numbers without a spurious .0, line ends unified, trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _comparable(value: Any) -> str:
    """A stored text as it comes back after a trip through a cell."""
    return _text(_excel_text(value if value is not None else ""))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _choice_lookup(choices) -> dict[str, str]:
    table = {}
    for value, label in choices.choices:
        table[str(value).lower()] = value
        table[_source(label)] = value
        table[str(label)] = value
    return table


def _choice_names(choices) -> str:
    return "、".join(_source_labels(choices).values())


# ---- export --------------------------------------------------------------------


def _export_value(item: ServiceItem, column: Column):
    """What the export writes for an item in a column (also used to spot unchanged cells)."""
    if column.kind == "code":
        return item.code
    if column.kind == "department":
        return item.department.code
    value = getattr(item, column.field)
    if column.kind == "choice":
        return _source_labels(column.choices).get(value, value)
    if column.kind == "yesno":
        return YES if value else NO
    if column.kind == "notyes":
        return NO if value else YES
    return value


def _export_material_value(material: Material, column: Column):
    if column.kind == "code":
        return material.item.code
    value = getattr(material, column.field)
    if column.kind == "choice":
        return _source_labels(column.choices).get(value, value)
    if column.kind == "yesno":
        return YES if value else NO
    return value


def _cells(ws, values: list) -> list:
    """Values as cells; text always stays text (a leading “=” is no formula)."""
    out = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, value=_excel_text(value))
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(value)
    return out


def _header(ws, columns: list[Column]) -> list:
    bold = Font(bold=True)
    row = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = bold
        row.append(cell)
    return row


def export_items(qs) -> bytes:
    """The items of `qs` and their materials as an .xlsx workbook (streamed rows)."""
    book = Workbook(write_only=True)
    items_ws = book.create_sheet(ITEM_SHEET)
    items_ws.freeze_panes = "C2"
    items_ws.append(_header(items_ws, ITEM_COLUMNS))
    items = qs.select_related("department", "center").order_by("department__sort_order", "code")
    for item in items.iterator(chunk_size=500):
        items_ws.append(_cells(items_ws, [_export_value(item, c) for c in ITEM_COLUMNS]))

    materials_ws = book.create_sheet(MATERIAL_SHEET)
    materials_ws.freeze_panes = "C2"
    materials_ws.append(_header(materials_ws, MATERIAL_COLUMNS))
    materials = (
        Material.objects.filter(item__in=qs.values("pk"))
        .select_related("item")
        .only("item__code", *MATERIAL_VALUE_FIELDS, "sort_order")
        .order_by("item__department__sort_order", "item__code", "sort_order", "id")
    )
    for material in materials.iterator(chunk_size=1000):
        materials_ws.append(
            _cells(materials_ws, [_export_material_value(material, c) for c in MATERIAL_COLUMNS])
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---- reading the workbook ------------------------------------------------------


class _FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why."""


def _unreadable() -> str:
    return _(
        "无法读取该文件。请上传用 Excel 或 WPS 保存的 .xlsx 文件（可先下载当前目录作为模板）。"
    )


def _check_archive(upload) -> None:
    """Refuse archives that unpack to far more than they weigh (zip bombs)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _FileProblem(_unreadable()) from exc
    finally:
        upload.seek(0)
    if len(infos) > 1000 or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise _FileProblem(_("文件解压后过大，无法导入。请删除无关的工作表或内容后重新上传。"))


def _read_sheet(ws, *, limit: int, sheet: str) -> tuple[list[str], list[tuple[int, tuple]]]:
    rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    first = next(rows, None)
    header = [_text(h) for h in (first or ())]
    data = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_RAW_ROWS:
            raise _FileProblem(_("工作表“%(sheet)s”的行数过多，无法导入。") % {"sheet": sheet})
        if all(_is_blank(v) for v in values):
            continue
        data.append((number, tuple(values)))
        if len(data) > limit:
            raise _FileProblem(
                _("工作表“%(sheet)s”超过 %(limit)d 行数据，请分批导入。")
                % {"sheet": sheet, "limit": limit}
            )
    return header, data


def _read_workbook(upload):
    _check_archive(upload)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _FileProblem(_unreadable()) from exc
    try:
        names = book.sheetnames
        if ITEM_SHEET in names:
            items_ws = book[ITEM_SHEET]
        elif names:
            items_ws = book[names[0]]
        else:
            raise _FileProblem(_unreadable())
        items = _read_sheet(items_ws, limit=MAX_ROWS, sheet=items_ws.title)
        materials = None
        if MATERIAL_SHEET in names and items_ws.title != MATERIAL_SHEET:
            materials = _read_sheet(
                book[MATERIAL_SHEET], limit=MAX_MATERIAL_ROWS, sheet=MATERIAL_SHEET
            )
    except _FileProblem:
        raise
    except Exception as exc:  # the sheets are parsed lazily: broken XML shows up here
        raise _FileProblem(_unreadable()) from exc
    finally:
        book.close()
    return items, materials


def _column_index(
    header: list[str], columns: list[Column], errors: list, *, prefix: str = ""
) -> dict[str, int]:
    """Header → position; missing required or doubled columns are file-level errors."""
    index: dict[str, int] = {}
    known = {c.header for c in columns}
    for position, name in enumerate(header):
        if name not in known:
            continue
        if name in index:
            errors.append((0, prefix + name, _("列“%(name)s”出现了不止一次。") % {"name": name}))
            continue
        index[name] = position
    for column in columns:
        if column.required and column.header not in index:
            errors.append(
                (0, prefix + column.header, _("缺少必需的列“%(name)s”。") % {"name": column.header})
            )
    return index


# ---- validation ----------------------------------------------------------------


class _Row:
    """One data row: cells by header, and the errors found in it."""

    def __init__(self, number, values, index, errors, prefix=""):
        self.number = number
        self.values = values
        self.index = index
        self.errors = errors
        self.prefix = prefix
        self.failed = False
        self.too_long: set[str] = set()
        self.bad: set[str] = set()  # headers already reported

    def has(self, header: str) -> bool:
        return header in self.index

    def raw(self, header: str):
        position = self.index.get(header)
        if position is None or position >= len(self.values):
            return None
        return self.values[position]

    def error(self, header: str, message: str) -> None:
        self.failed = True
        self.bad.add(header)
        self.errors.append((self.number, self.prefix + header if header else "", message))


def _parse_int(row: _Row, column: Column):
    value = row.raw(column.header)
    if _is_blank(value):
        row.error(column.header, _("请填写“%(name)s”。") % {"name": column.header})
        return None
    number = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdecimal():
        number = int(value.strip())
    if number is None:
        row.error(column.header, _("“%(name)s”应为整数。") % {"name": column.header})
        return None
    if not column.low <= number <= column.high:
        row.error(
            column.header,
            _("“%(name)s”应为 %(low)d—%(high)d 之间的整数。")
            % {"name": column.header, "low": column.low, "high": column.high},
        )
        return None
    return number


def _parse_yesno(row: _Row, column: Column):
    value = row.raw(column.header)
    if isinstance(value, bool):
        answer = value
    else:
        text = _text(value)
        if text == YES:
            answer = True
        elif text == NO:
            answer = False
        else:
            row.error(column.header, _("“%(name)s”应填写“是”或“否”。") % {"name": column.header})
            return None
    return (not answer) if column.kind == "notyes" else answer


def _parse_choice(row: _Row, column: Column, lookup: dict[str, str]):
    text = _text(row.raw(column.header))
    if not text:
        row.error(column.header, _("请填写“%(name)s”。") % {"name": column.header})
        return None
    value = lookup.get(text) or lookup.get(text.lower())
    if value is None:
        row.error(
            column.header,
            _("“%(value)s”不是有效的%(name)s，应为：%(names)s。")
            % {"value": text[:50], "name": column.header, "names": _choice_names(column.choices)},
        )
    return value


def _parse_values(row: _Row, columns: list[Column], base: dict, lookups: dict) -> dict:
    """Cleaned values of the value columns present in the row, over `base`."""
    values = dict(base)
    for column in columns:
        if column.kind in ("code", "department") or not row.has(column.header):
            continue
        if column.header in row.too_long:
            continue
        if column.kind == "text":
            values[column.field] = _text(row.raw(column.header))
        elif column.kind == "int":
            values[column.field] = _parse_int(row, column)
        elif column.kind in ("yesno", "notyes"):
            values[column.field] = _parse_yesno(row, column)
        elif column.kind == "choice":
            values[column.field] = _parse_choice(row, column, lookups[column.field])
    return values


def _check_lengths(row: _Row, columns: list[Column], current: dict[str, str] | None) -> None:
    """Cells over 2,000 characters are refused, unless they hold what is already stored."""
    for column in columns:
        value = row.raw(column.header)
        if value is None or len(str(value)) <= MAX_CELL_CHARS:
            continue
        if current is not None and _text(value) == current.get(column.header):
            continue  # an exported long text coming back unchanged
        row.too_long.add(column.header)
        row.error(
            column.header,
            _("单元格内容过长（超过 %(n)d 字）。") % {"n": MAX_CELL_CHARS},
        )


def _model_errors(row: _Row, instance, exclude: list[str], headers: dict[str, str]) -> None:
    """The model's own rules (lengths, phone numbers, bounds) on the fields set."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            header = headers.get(name, "")
            if header and header in row.bad:
                continue  # one message per cell
            for message in messages:
                row.error(header, message)


class _Departments:
    """The departments a user may import into, found by code."""

    def __init__(self, user):
        self.by_code: dict[str, list] = defaultdict(list)
        for department in departments_visible_to(user):
            self.by_code[department.code].append(department)
        staff = getattr(user, "staff", None)
        self.own_center_id = getattr(staff, "center_id", None)

    def resolve(self, row: _Row, header: str, code: str, item_code: str, item):
        candidates = self.by_code.get(code, [])
        if item is not None and item.department.code == code:
            for department in candidates:
                if department.pk == item.department_id:
                    return department
        if not candidates:
            row.error(
                header,
                _("部门代码“%(code)s”不存在或不在您的管理范围内。") % {"code": code[:20]},
            )
            return None
        region = item_code[:6] if item_code else ""
        if region:
            matches = [d for d in candidates if d.center.region_code == region]
            if not matches:
                row.error(
                    header,
                    _("事项编码的行政区划“%(region)s”下没有您可管理的部门“%(code)s”。")
                    % {"region": region, "code": code},
                )
                return None
            return matches[0]
        if len(candidates) == 1:
            return candidates[0]
        own = [d for d in candidates if d.center_id == self.own_center_id]
        if own:
            return own[0]
        row.error(
            header,
            _("部门代码“%(code)s”对应多个中心的部门，请在事项编码中写明行政区划。")
            % {"code": code},
        )
        return None


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _material_dict(material: Material) -> dict:
    return {f: getattr(material, f) for f in MATERIAL_VALUE_FIELDS}


def _material_comparable(values: dict) -> dict:
    return {f: _comparable(v) if isinstance(v, str) else v for f, v in values.items()}


def parse_import(upload, *, user) -> ImportPreview:
    """Read an uploaded workbook and say, row by row, what importing it would do."""
    preview = ImportPreview()
    errors = preview.errors
    try:
        (item_header, item_rows), material_sheet = _read_workbook(upload)
    except _FileProblem as exc:
        errors.append((0, "", str(exc)))
        return preview

    index = _column_index(item_header, ITEM_COLUMNS, errors)
    material_index = None
    if material_sheet is not None:
        material_index = _column_index(
            material_sheet[0], MATERIAL_COLUMNS, errors, prefix=MATERIAL_PREFIX
        )
        preview.materials = True
    if errors:
        return preview
    if not item_rows:
        errors.append((0, "", _("表格中没有事项数据。")))
        return preview

    file_codes = set()
    for _number, values in item_rows:
        code = _text(_Row(0, values, index, []).raw(CODE))
        if code and len(code) <= 40:
            file_codes.add(code)
    existing: set[str] = set()
    editable: dict[str, ServiceItem] = {}
    editable_qs = selectors.items_editable_by(user)
    if preview.materials:
        editable_qs = editable_qs.prefetch_related("materials")
    for chunk in _chunks(sorted(file_codes)):
        existing.update(ServiceItem.objects.filter(code__in=chunk).values_list("code", flat=True))
        editable.update({i.code: i for i in editable_qs.filter(code__in=chunk)})

    departments = _Departments(user)
    lookups = {c.field: _choice_lookup(c.choices) for c in ITEM_COLUMNS if c.kind == "choice"}
    defaults = {f: ServiceItem._meta.get_field(f).get_default() for f in VALUE_FIELDS}
    seen: dict[str, int] = {}
    parsed = []
    for number, values in item_rows:
        row = _Row(number, values, index, errors)
        result = _parse_item_row(row, editable, existing, seen, departments, lookups, defaults)
        if result is not None:
            parsed.append(result)

    materials_by_code: dict[str, list[dict]] = {}
    if material_sheet is not None:
        materials_by_code = _parse_materials(
            material_sheet[1], material_index, errors, file_codes, editable
        )
    if errors:
        return preview

    for row, code, item, department, cleaned in parsed:
        new_materials = materials_by_code.get(code, []) if preview.materials and code else None
        preview.rows.append(_preview_row(row, code, item, department, cleaned, new_materials))
    return preview


def _parse_item_row(row, editable, existing, seen, departments, lookups, defaults):
    """Validate one row of the item sheet; its cleaned values, or None if it has errors."""
    code = _text(row.raw(CODE))
    item = editable.get(code) if code else None
    current = (
        {c.header: _comparable(_export_value(item, c)) for c in ITEM_COLUMNS} if item else None
    )
    _check_lengths(row, ITEM_COLUMNS, current)

    code_ok = False
    if code and CODE not in row.too_long:
        try:
            item_code_validator(code)
        except ValidationError as exc:
            row.error(CODE, exc.messages[0])
        else:
            code_ok = True
            if code in seen:
                row.error(
                    CODE,
                    _("事项编码“%(code)s”与第 %(row)d 行重复。")
                    % {"code": code, "row": seen[code]},
                )
            else:
                seen[code] = row.number
            if code in existing and item is None:
                row.error(
                    CODE,
                    _("事项编码“%(code)s”属于其他部门或中心的事项，您无权修改。") % {"code": code},
                )

    if NAME not in row.too_long and not _text(row.raw(NAME)):
        row.error(NAME, _("请填写“%(name)s”。") % {"name": NAME})

    department = None
    department_code = _text(row.raw(DEPARTMENT)).upper()
    if DEPARTMENT in row.too_long:
        pass
    elif not department_code:
        row.error(DEPARTMENT, _("请填写“%(name)s”。") % {"name": DEPARTMENT})
    else:
        department = departments.resolve(
            row, DEPARTMENT, department_code, code if code_ok else "", item
        )
        if department is not None and item is None and not department.is_active:
            row.error(
                DEPARTMENT,
                _("部门“%(name)s”已停用，不能新增事项。") % {"name": department.name},
            )

    if item is not None:
        base = {
            f: _comparable(v) if isinstance(v, str) else v
            for f, v in ((f, getattr(item, f)) for f in VALUE_FIELDS)
        }
    else:
        base = defaults
    cleaned = _parse_values(row, ITEM_COLUMNS, base, lookups)

    if item is None and code_ok and department is not None and cleaned.get("item_type"):
        region, dept_code, type_code, _seq = code.split("-")
        expected = ITEM_TYPE_CODES.get(cleaned["item_type"])
        if dept_code != department.code or type_code != expected:
            row.error(
                CODE,
                _("新事项的编码应为“%(prefix)s-序号”，与办理部门和事项类型一致；也可留空自动编码。")
                % {"prefix": f"{region}-{department.code}-{expected}"},
            )

    statutory, promised = cleaned.get("statutory_days"), cleaned.get("promised_days")
    if statutory is not None and promised is not None and promised > statutory:
        row.error(FIELD_HEADERS["promised_days"], _("承诺时限不能超过法定时限。"))
    if cleaned.get("is_free") is False:
        for fee_field in ("fee_standard", "fee_basis"):
            header = FIELD_HEADERS[fee_field]
            if not cleaned.get(fee_field) and header not in row.too_long:
                row.error(header, _("收费事项须填写“%(name)s”。") % {"name": header})

    typed = [f for f in VALUE_FIELDS if cleaned.get(f) is not None]
    instance = ServiceItem(**{f: cleaned[f] for f in typed})
    exclude = [f.name for f in ServiceItem._meta.fields if f.name not in typed]
    _model_errors(row, instance, exclude, FIELD_HEADERS)

    if row.failed:
        return None
    return row, code, item, department, cleaned


def _preview_row(row, code, item, department, cleaned, new_materials) -> dict:
    entry = {
        "row": row.number,
        "code": code,
        "name": cleaned["name"],
        "department": department.name,
        "department_id": department.pk,
        "item_id": item.pk if item else None,
        "version": item.version if item else None,
        "values": cleaned,
        "changes": [],
        "materials": None,
    }
    if item is None:
        entry["action"] = "create"
        entry["materials"] = new_materials or None
    else:
        changes = []
        for f in VALUE_FIELDS:
            old, new = getattr(item, f), cleaned[f]
            if (_comparable(old) != new) if isinstance(new, str) else (old != new):
                changes.append(f)
        if department.pk != item.department_id:
            changes.append("department")
        if new_materials is not None:
            old_list = [
                _material_comparable(_material_dict(m))
                for m in sorted(item.materials.all(), key=lambda m: (m.sort_order, m.id))
            ]
            if old_list != [_material_comparable(m) for m in new_materials]:
                entry["materials"] = new_materials
                changes.append("materials")
        entry["changes"] = changes
        entry["action"] = "update" if changes else "unchanged"
    entry["changed_columns"] = [
        MATERIAL_SHEET if c == "materials" else FIELD_HEADERS[c] for c in entry["changes"]
    ]
    return entry


def _parse_materials(data, index, errors, file_codes, editable) -> dict[str, list[dict]]:
    """The materials of each item, in sheet order; only for items of the item sheet."""
    lookups = {c.field: _choice_lookup(c.choices) for c in MATERIAL_COLUMNS if c.kind == "choice"}
    defaults = {f: Material._meta.get_field(f).get_default() for f in MATERIAL_VALUE_FIELDS}
    pools: dict[str, dict[str, deque]] = {}
    out: dict[str, list[dict]] = defaultdict(list)
    for number, values in data:
        row = _Row(number, values, index, errors, prefix=MATERIAL_PREFIX)
        code = _text(row.raw(CODE))
        name = _text(row.raw(MATERIAL_NAME))
        # An existing material of the same name gives the values of absent columns,
        # and lets a long text come back unchanged.
        match = None
        item = editable.get(code)
        if item is not None and name:
            queue = pools.setdefault(code, _material_pool(item)).get(name)
            if queue:
                match = queue.popleft()
        current = None
        if match is not None:
            current = {
                c.header: _comparable(_export_material_value(match, c)) for c in MATERIAL_COLUMNS
            }
        _check_lengths(row, MATERIAL_COLUMNS, current)
        if CODE not in row.too_long:
            if not code:
                row.error(CODE, _("请填写事项编码；申报材料只能随有编码的事项一同导入。"))
            elif code not in file_codes:
                row.error(
                    CODE,
                    _("事项编码“%(code)s”不在“事项”表中；申报材料只能随事项一同导入。")
                    % {"code": code[:40]},
                )
        if not name and MATERIAL_NAME not in row.too_long:
            row.error(MATERIAL_NAME, _("请填写“%(name)s”。") % {"name": MATERIAL_NAME})
        base = _material_dict(match) if match is not None else defaults
        cleaned = _parse_values(row, MATERIAL_COLUMNS, base, lookups)
        typed = [f for f in MATERIAL_VALUE_FIELDS if cleaned.get(f) is not None]
        instance = Material(**{f: cleaned[f] for f in typed})
        exclude = [f.name for f in Material._meta.fields if f.name not in typed]
        _model_errors(row, instance, exclude, MATERIAL_FIELD_HEADERS)
        if not row.failed:
            out[code].append(cleaned)
    return out


def _material_pool(item: ServiceItem) -> dict[str, deque]:
    pool: dict[str, deque] = defaultdict(deque)
    for material in sorted(item.materials.all(), key=lambda m: (m.sort_order, m.id)):
        pool[material.name].append(material)
    return pool


# ---- keeping a preview between upload and confirmation -------------------------


def store_pending(request, preview: ImportPreview) -> str:
    """Keep a valid preview in the session (one at a time) and return its token."""
    if preview.errors:
        raise ValueError("a preview with errors cannot be imported")
    token = secrets.token_urlsafe(16)
    rows = []
    for row in preview.rows:
        kept = dict(row)
        if row["action"] == "unchanged":
            kept["values"], kept["materials"] = {}, None
        elif row["action"] == "update":
            kept["values"] = {f: row["values"][f] for f in row["changes"] if f in VALUE_FIELDS}
        rows.append(kept)
    request.session[PENDING_KEY] = {
        "token": token,
        "user": request.user.pk,
        "created": int(time.time()),
        "materials": preview.materials,
        "rows": rows,
    }
    return token


def load_pending(request, token: str) -> ImportPreview | None:
    data = request.session.get(PENDING_KEY)
    if not data or not token or not isinstance(token, str):
        return None
    if not secrets.compare_digest(str(data.get("token", "")), token):
        return None
    if (
        data.get("user") != request.user.pk
        or time.time() - data.get("created", 0) > PENDING_MAX_AGE
    ):
        return None
    return ImportPreview(rows=data["rows"], errors=[], token=token, materials=data["materials"])


def drop_pending(request, token: str) -> None:
    data = request.session.get(PENDING_KEY)
    if data and token and secrets.compare_digest(str(data.get("token", "")), str(token)):
        del request.session[PENDING_KEY]


# ---- applying ------------------------------------------------------------------


def _stale(name: str) -> ValidationError:
    return ValidationError(
        _("事项“%(name)s”在预览之后已被修改或删除，请重新上传文件。") % {"name": name}
    )


def _replace_materials(item: ServiceItem, materials: list[dict]) -> None:
    """Make the item's materials these, in this order; a material kept by name
    keeps its blank form and example files."""
    pool = _material_pool(item)
    for position, values in enumerate(materials, start=1):
        queue = pool.get(values["name"])
        material = queue.popleft() if queue else Material(item=item)
        for name in MATERIAL_VALUE_FIELDS:
            setattr(material, name, values[name])
        material.sort_order = position
        material.full_clean(exclude=["item", "template", "example"])
        material.save()
    for queue in pool.values():
        for material in queue:
            material.delete()


@transaction.atomic
def apply_import(preview: ImportPreview, *, actor) -> tuple[int, int]:
    """Create and update the previewed items, each filed with its center. All or nothing."""
    if preview.errors:
        raise ValueError("a preview with errors cannot be imported")
    departments = {d.pk: d for d in departments_visible_to(actor)}
    editable = selectors.items_editable_by(actor)
    created = updated = 0
    rows = [r for r in preview.rows if r["action"] != "unchanged"]
    # Updates first, then new items with their own code, then generated codes:
    # a generated code is the highest in use plus one, so it never takes a code
    # another row of the file asked for.
    rows.sort(key=lambda r: (r["action"] != "update", not r["code"], r["row"]))
    for row in rows:
        department = departments.get(row["department_id"])
        if department is None:
            raise PermissionDenied
        values = row["values"]
        if row["action"] == "update":
            item = (
                editable.select_for_update(of=("self",))
                .filter(pk=row["item_id"], code=row["code"])
                .first()
            )
            if item is None:
                if ServiceItem.objects.filter(pk=row["item_id"]).exists():
                    raise PermissionDenied
                raise _stale(row["name"])
            if item.version != row["version"]:
                raise _stale(row["name"])
            before = services.item_snapshot(item)
            action = FilingAction.UPDATE
        else:
            if not department.is_active:
                raise PermissionDenied
            if row["code"] and ServiceItem.objects.filter(code=row["code"]).exists():
                raise _stale(row["name"])
            item = ServiceItem()
            before = None
            action = FilingAction.CREATE
        for name, value in values.items():
            if name in VALUE_FIELDS:
                setattr(item, name, value)
        item.department = department
        item.center = department.center
        if action == FilingAction.CREATE:
            item.code = row["code"] or services.item_next_code(
                department=department, item_type=item.item_type
            )
        # The preview checked the values; check them again as saved (the code was
        # checked above, the department comes from the user's scope).
        item.full_clean(
            exclude=["window", "result_sample", "department", "center"], validate_unique=False
        )
        item.save()
        if row.get("materials") is not None:
            _replace_materials(item, row["materials"])
        services.item_record_change(actor=actor, item=item, before=before, action=action)
        if action == FilingAction.CREATE:
            created += 1
        else:
            updated += 1
    return created, updated
