"""Reading an uploaded workbook: refused whole when it is not a workbook, too
big once unpacked, or too long; otherwise its header and data rows."""

from __future__ import annotations

import zipfile

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .columns import ITEM_SHEET, MATERIAL_SHEET, Column, cell_text, is_blank

MAX_ROWS = 5000  # data rows of the item sheet
MAX_MATERIAL_ROWS = 50000
MAX_COLUMNS = 60  # columns read; anything further right is ignored
MAX_RAW_ROWS = 200000  # rows scanned, blank ones included
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # the workbook's size once unzipped


class FileProblem(Exception):
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
        raise FileProblem(_unreadable()) from exc
    finally:
        upload.seek(0)
    if len(infos) > 1000 or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise FileProblem(_("文件解压后过大，无法导入。请删除无关的工作表或内容后重新上传。"))


def _read_sheet(ws, *, limit: int, sheet: str) -> tuple[list[str], list[tuple[int, tuple]]]:
    rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    first = next(rows, None)
    header = [cell_text(h) for h in (first or ())]
    data = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_RAW_ROWS:
            raise FileProblem(_("工作表“%(sheet)s”的行数过多，无法导入。") % {"sheet": sheet})
        if all(is_blank(v) for v in values):
            continue
        data.append((number, tuple(values)))
        if len(data) > limit:
            raise FileProblem(
                _("工作表“%(sheet)s”超过 %(limit)d 行数据，请分批导入。")
                % {"sheet": sheet, "limit": limit}
            )
    return header, data


def read_workbook(
    upload,
    *,
    main: str = ITEM_SHEET,
    second: str = MATERIAL_SHEET,
    main_limit: int = MAX_ROWS,
    second_limit: int = MAX_MATERIAL_ROWS,
):
    """(header, rows) of the `main` sheet (or the first sheet), and of the
    `second` sheet when the file has one (else None). The catalogue's sheets by
    default; the agency directory names its own."""
    _check_archive(upload)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileProblem(_unreadable()) from exc
    try:
        names = book.sheetnames
        if main in names:
            items_ws = book[main]
        elif names:
            items_ws = book[names[0]]
        else:
            raise FileProblem(_unreadable())
        items = _read_sheet(items_ws, limit=main_limit, sheet=items_ws.title)
        materials = None
        if second in names and items_ws.title != second:
            materials = _read_sheet(book[second], limit=second_limit, sheet=second)
    except FileProblem:
        raise
    except Exception as exc:  # the sheets are parsed lazily: broken XML shows up here
        raise FileProblem(_unreadable()) from exc
    finally:
        book.close()
    return items, materials


def column_index(
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
