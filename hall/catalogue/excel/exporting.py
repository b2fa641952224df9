"""The export: the items of a queryset and their materials as a workbook, the
same format the import reads (the export is the import's template)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ..models import Material
from .columns import (
    ITEM_COLUMNS,
    ITEM_SHEET,
    MATERIAL_COLUMNS,
    MATERIAL_SHEET,
    MATERIAL_VALUE_FIELDS,
    Column,
    excel_text,
    export_material_value,
    export_value,
)


def _cells(ws, values: list) -> list:
    """Values as cells; text always stays text (a leading “=” is no formula)."""
    out = []
    for value in values:
        if isinstance(value, date):
            cell = WriteOnlyCell(ws, value=value)
            cell.number_format = "yyyy-mm-dd"
            out.append(cell)
        elif isinstance(value, str):
            cell = WriteOnlyCell(ws, value=excel_text(value))
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


def write_sheet(book, title: str, columns: list[Column], rows, *, freeze: str = "C2") -> None:
    """A sheet of `book` (write-only) with the bold header of `columns` and the
    `rows` (lists of values, in the columns' order); dates keep a date format."""
    ws = book.create_sheet(title)
    ws.freeze_panes = freeze
    ws.append(_header(ws, columns))
    for values in rows:
        ws.append(_cells(ws, values))


def workbook_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_items(qs) -> bytes:
    """The items of `qs` and their materials as an .xlsx workbook (streamed rows)."""
    book = Workbook(write_only=True)
    items_ws = book.create_sheet(ITEM_SHEET)
    items_ws.freeze_panes = "C2"
    items_ws.append(_header(items_ws, ITEM_COLUMNS))
    items = qs.select_related("department", "center").order_by("department__sort_order", "code")
    for item in items.iterator(chunk_size=500):
        items_ws.append(_cells(items_ws, [export_value(item, c) for c in ITEM_COLUMNS]))

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
            _cells(materials_ws, [export_material_value(material, c) for c in MATERIAL_COLUMNS])
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
