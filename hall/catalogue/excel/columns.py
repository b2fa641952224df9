"""The file format: the sheets, their columns, and how a value is written into
a cell and read back. The column headers and the labels written into the cells
are the format, not interface text: they stay Chinese whatever the user's
language."""

from __future__ import annotations

import functools
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..constants import (
    GUIDE_FIELDS,
    ApplicantType,
    ItemType,
    OriginalOrCopy,
    Submission,
)
from ..models import Material, ServiceItem

ITEM_SHEET = "事项"
MATERIAL_SHEET = "申报材料"

YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str  # code, text, department, choice, int, yesno, notyes, date
    required: bool = False  # the column must be present
    choices: Any = None
    low: int = 0
    high: int = 0


# The columns of the guide's fields; the sheet puts them in the guide's order
# (constants.GUIDE_FIELDS), after the code.
_GUIDE_COLUMNS = {
    column.field: column
    for column in [
        Column("事项名称", "name", "text", required=True),
        Column("别名", "aliases", "text"),
        Column("办理部门代码", "department", "department", required=True),
        Column("事项类型", "item_type", "choice", required=True, choices=ItemType),
        Column("服务对象", "applicant_type", "choice", required=True, choices=ApplicantType),
        Column("网上办理深度", "online_depth", "int", low=1, high=4),
        Column("设定依据", "legal_basis_text", "text"),
        Column("受理条件", "conditions", "text"),
        Column("办理程序", "procedure", "text"),
        Column("法定时限", "statutory_days", "int", low=0, high=365),
        Column("承诺时限", "promised_days", "int", low=0, high=365),
        Column("是否收费", "is_free", "notyes"),
        Column("收费标准", "fee_standard", "text"),
        Column("收费依据", "fee_basis", "text"),
        Column("办理结果", "result_name", "text"),
        Column("到现场次数", "onsite_visits", "int", low=0, high=10),
        Column("办理地点", "place", "text"),
        Column("办理时间", "hours", "text"),
        Column("咨询电话", "contact_phone", "text"),
        Column("投诉电话", "complaint_phone", "text"),
        Column("是否发布", "is_published", "yesno"),
    ]
}
# Guide fields a spreadsheet cannot carry: a file, and a window picked from a list.
NOT_IN_SPREADSHEET = {"result_sample", "window", "publish_decisions", "result_fields"}
_missing = set(GUIDE_FIELDS) - NOT_IN_SPREADSHEET - _GUIDE_COLUMNS.keys()
if _missing:  # a new guide field needs a column here, or a place in NOT_IN_SPREADSHEET
    raise RuntimeError(f"guide fields without a spreadsheet column: {sorted(_missing)}")

ITEM_COLUMNS = [
    Column("事项编码", "code", "code", required=True),
    *(_GUIDE_COLUMNS[f] for f in GUIDE_FIELDS if f not in NOT_IN_SPREADSHEET),
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


# ---- cell values ---------------------------------------------------------------


def _source(label) -> str:
    """A choice label as written in the source (Chinese), whatever the language."""
    with translation.override(None):
        return str(label)


@functools.cache
def _source_labels(choices) -> dict:
    """value → source label of a choices class (labels in the file never follow the UI language)."""
    return {value: _source(label) for value, label in choices.choices}


def excel_text(value: Any) -> str:
    """Text as a cell can hold it: no control characters, at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:32767]


def cell_text(value: Any) -> str:
    """A cell read as text: numbers without a spurious .0, line ends unified, trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def comparable(value: Any) -> str:
    """A stored text as it comes back after a trip through a cell."""
    return cell_text(excel_text(value if value is not None else ""))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def choice_lookup(choices) -> dict[str, str]:
    table = {}
    for value, label in choices.choices:
        table[str(value).lower()] = value
        table[_source(label)] = value
        table[str(label)] = value
    return table


def choice_names(choices) -> str:
    return "、".join(_source_labels(choices).values())


def export_value(item: ServiceItem, column: Column):
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


def export_material_value(material: Material, column: Column):
    if column.kind == "code":
        return material.item.code
    value = getattr(material, column.field)
    if column.kind == "choice":
        return _source_labels(column.choices).get(value, value)
    if column.kind == "yesno":
        return YES if value else NO
    return value


def material_dict(material: Material) -> dict:
    return {f: getattr(material, f) for f in MATERIAL_VALUE_FIELDS}


def material_comparable(values: dict) -> dict:
    return {f: comparable(v) if isinstance(v, str) else v for f, v in values.items()}


def material_pool(item: ServiceItem) -> dict[str, deque]:
    pool: dict[str, deque] = defaultdict(deque)
    for material in sorted(item.materials.all(), key=lambda m: (m.sort_order, m.id)):
        pool[material.name].append(material)
    return pool
