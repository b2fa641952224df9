"""Excel export and import of the catalogue.

One format both ways: the export is the template of the import. Sheet "事项"
holds one row per item, sheet "申报材料" one row per application material.

An import is read (`reading`), validated whole — every row, every problem
collected — into a preview (`validation`, `preview`), kept in the session under
a token, and applied on confirmation in one transaction, all of it or nothing
(`importing`). `columns` is the file format both ways; `exporting` writes it.
"""

from .columns import ITEM_COLUMNS, ITEM_SHEET, MATERIAL_COLUMNS, MATERIAL_SHEET, Column
from .exporting import export_items
from .importing import apply_import
from .preview import PENDING_KEY, ImportPreview, drop_pending, load_pending, store_pending
from .reading import MAX_MATERIAL_ROWS, MAX_ROWS, MAX_UNCOMPRESSED
from .validation import MAX_CELL_CHARS, parse_import

__all__ = [
    "ITEM_COLUMNS",
    "ITEM_SHEET",
    "MATERIAL_COLUMNS",
    "MATERIAL_SHEET",
    "MAX_CELL_CHARS",
    "MAX_MATERIAL_ROWS",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "PENDING_KEY",
    "Column",
    "ImportPreview",
    "apply_import",
    "drop_pending",
    "export_items",
    "load_pending",
    "parse_import",
    "store_pending",
]
