"""Validating an import: every row, every problem collected, and what each
row would do (create, update, unchanged) as an ImportPreview.

`Row`, `parse_values`, `check_lengths`, `model_errors` and `chunks` are the
machinery any import of the hall uses (the agency directory's too): the
catalogue's own rules are the rest of this module."""

from __future__ import annotations

import re
from collections import defaultdict, deque
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hall.org.selectors import departments_visible_to

from .. import selectors
from ..constants import ITEM_TYPE_CODES
from ..models import Material, ServiceItem, item_code_validator
from .columns import (
    CODE,
    DEPARTMENT,
    FIELD_HEADERS,
    ITEM_COLUMNS,
    MATERIAL_COLUMNS,
    MATERIAL_FIELD_HEADERS,
    MATERIAL_NAME,
    MATERIAL_PREFIX,
    MATERIAL_SHEET,
    MATERIAL_VALUE_FIELDS,
    NAME,
    NO,
    VALUE_FIELDS,
    YES,
    Column,
    cell_text,
    choice_lookup,
    choice_names,
    comparable,
    export_material_value,
    export_value,
    is_blank,
    material_comparable,
    material_dict,
    material_pool,
)
from .preview import ImportPreview
from .reading import FileProblem, column_index, read_workbook

MAX_CELL_CHARS = 2000
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


class Row:
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


def _parse_int(row: Row, column: Column):
    value = row.raw(column.header)
    if is_blank(value):
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


def _parse_yesno(row: Row, column: Column):
    value = row.raw(column.header)
    if isinstance(value, bool):
        answer = value
    else:
        text = cell_text(value)
        if text == YES:
            answer = True
        elif text == NO:
            answer = False
        else:
            row.error(column.header, _("“%(name)s”应填写“是”或“否”。") % {"name": column.header})
            return None
    return (not answer) if column.kind == "notyes" else answer


def _parse_choice(row: Row, column: Column, lookup: dict[str, str]):
    text = cell_text(row.raw(column.header))
    if not text:
        row.error(column.header, _("请填写“%(name)s”。") % {"name": column.header})
        return None
    value = lookup.get(text) or lookup.get(text.lower())
    if value is None:
        row.error(
            column.header,
            _("“%(value)s”不是有效的%(name)s，应为：%(names)s。")
            % {"value": text[:50], "name": column.header, "names": choice_names(column.choices)},
        )
    return value


def parse_values(row: Row, columns: list[Column], base: dict, lookups: dict) -> dict:
    """Cleaned values of the value columns present in the row, over `base`."""
    values = dict(base)
    for column in columns:
        if column.kind in ("code", "department") or not row.has(column.header):
            continue
        if column.header in row.too_long:
            continue
        if column.kind == "text":
            values[column.field] = cell_text(row.raw(column.header))
        elif column.kind == "int":
            values[column.field] = _parse_int(row, column)
        elif column.kind in ("yesno", "notyes"):
            values[column.field] = _parse_yesno(row, column)
        elif column.kind == "choice":
            values[column.field] = _parse_choice(row, column, lookups[column.field])
        elif column.kind == "date":
            values[column.field] = parse_date(row, column)
    return values


def parse_date(row: Row, column: Column):
    """A date cell, or text written 2026-01-31 / 2026/1/31 / 2026年1月31日; blank is None."""
    value = row.raw(column.header)
    if is_blank(value):
        if column.required:
            row.error(column.header, _("请填写“%(name)s”。") % {"name": column.header})
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        found = value
    else:
        text = cell_text(value)
        match = _DATE.fullmatch(text)
        found = None
        if match:
            try:
                found = date(*(int(part) for part in match.groups()))
            except ValueError:
                found = None
    if found is None or not 1900 <= found.year <= 2999:
        row.error(
            column.header,
            _("“%(name)s”应为日期，如 2026-01-31。") % {"name": column.header},
        )
        return None
    return found


def check_lengths(row: Row, columns: list[Column], current: dict[str, str] | None) -> None:
    """Cells over 2,000 characters are refused, unless they hold what is already stored."""
    for column in columns:
        value = row.raw(column.header)
        if value is None or len(str(value)) <= MAX_CELL_CHARS:
            continue
        if current is not None and cell_text(value) == current.get(column.header):
            continue  # an exported long text coming back unchanged
        row.too_long.add(column.header)
        row.error(
            column.header,
            _("单元格内容过长（超过 %(n)d 字）。") % {"n": MAX_CELL_CHARS},
        )


def model_errors(row: Row, instance, exclude: list[str], headers: dict[str, str]) -> None:
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

    def resolve(self, row: Row, header: str, code: str, item_code: str, item):
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


def chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def parse_import(upload, *, user) -> ImportPreview:
    """Read an uploaded workbook and say, row by row, what importing it would do."""
    preview = ImportPreview()
    errors = preview.errors
    try:
        (item_header, item_rows), material_sheet = read_workbook(upload)
    except FileProblem as exc:
        errors.append((0, "", str(exc)))
        return preview

    index = column_index(item_header, ITEM_COLUMNS, errors)
    material_index = None
    if material_sheet is not None:
        material_index = column_index(
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
        code = cell_text(Row(0, values, index, []).raw(CODE))
        if code and len(code) <= 40:
            file_codes.add(code)
    existing: set[str] = set()
    editable: dict[str, ServiceItem] = {}
    editable_qs = selectors.items_editable_by(user)
    if preview.materials:
        editable_qs = editable_qs.prefetch_related("materials")
    for chunk in chunks(sorted(file_codes)):
        existing.update(ServiceItem.objects.filter(code__in=chunk).values_list("code", flat=True))
        editable.update({i.code: i for i in editable_qs.filter(code__in=chunk)})

    departments = _Departments(user)
    lookups = {c.field: choice_lookup(c.choices) for c in ITEM_COLUMNS if c.kind == "choice"}
    defaults = {f: ServiceItem._meta.get_field(f).get_default() for f in VALUE_FIELDS}
    seen: dict[str, int] = {}
    parsed = []
    for number, values in item_rows:
        row = Row(number, values, index, errors)
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
    code = cell_text(row.raw(CODE))
    item = editable.get(code) if code else None
    current = {c.header: comparable(export_value(item, c)) for c in ITEM_COLUMNS} if item else None
    check_lengths(row, ITEM_COLUMNS, current)

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

    if NAME not in row.too_long and not cell_text(row.raw(NAME)):
        row.error(NAME, _("请填写“%(name)s”。") % {"name": NAME})

    department = None
    department_code = cell_text(row.raw(DEPARTMENT)).upper()
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
            f: comparable(v) if isinstance(v, str) else v
            for f, v in ((f, getattr(item, f)) for f in VALUE_FIELDS)
        }
    else:
        base = defaults
    cleaned = parse_values(row, ITEM_COLUMNS, base, lookups)

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
    model_errors(row, instance, exclude, FIELD_HEADERS)

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
            if (comparable(old) != new) if isinstance(new, str) else (old != new):
                changes.append(f)
        if department.pk != item.department_id:
            changes.append("department")
        if new_materials is not None:
            old_list = [
                material_comparable(material_dict(m))
                for m in sorted(item.materials.all(), key=lambda m: (m.sort_order, m.id))
            ]
            if old_list != [material_comparable(m) for m in new_materials]:
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
    lookups = {c.field: choice_lookup(c.choices) for c in MATERIAL_COLUMNS if c.kind == "choice"}
    defaults = {f: Material._meta.get_field(f).get_default() for f in MATERIAL_VALUE_FIELDS}
    pools: dict[str, dict[str, deque]] = {}
    out: dict[str, list[dict]] = defaultdict(list)
    for number, values in data:
        row = Row(number, values, index, errors, prefix=MATERIAL_PREFIX)
        code = cell_text(row.raw(CODE))
        name = cell_text(row.raw(MATERIAL_NAME))
        # An existing material of the same name gives the values of absent columns,
        # and lets a long text come back unchanged.
        match = None
        item = editable.get(code)
        if item is not None and name:
            queue = pools.setdefault(code, material_pool(item)).get(name)
            if queue:
                match = queue.popleft()
        current = None
        if match is not None:
            current = {
                c.header: comparable(export_material_value(match, c)) for c in MATERIAL_COLUMNS
            }
        check_lengths(row, MATERIAL_COLUMNS, current)
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
        base = material_dict(match) if match is not None else defaults
        cleaned = parse_values(row, MATERIAL_COLUMNS, base, lookups)
        typed = [f for f in MATERIAL_VALUE_FIELDS if cleaned.get(f) is not None]
        instance = Material(**{f: cleaned[f] for f in typed})
        exclude = [f.name for f in Material._meta.fields if f.name not in typed]
        model_errors(row, instance, exclude, MATERIAL_FIELD_HEADERS)
        if not row.failed:
            out[code].append(cleaned)
    return out
