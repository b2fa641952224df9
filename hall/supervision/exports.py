"""Excel exports of the supervision tables, written row by row.

openpyxl's write-only workbook keeps each sheet in a temporary file as rows are
appended; the finished workbook goes to another temporary file that the
response streams in blocks. Rows come from querysets iterated in chunks, so a
table of a million rows never sits in memory.
"""

import tempfile
from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

MAX_CELL_CHARS = 32767


def _cell(ws, value):
    if isinstance(value, str):
        # Text stays text: a leading "=" is no formula, control characters go.
        cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS])
        cell.data_type = "s"
        return cell
    if isinstance(value, datetime):
        # Excel has no time zones: local wall-clock time.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def write_workbook(title: str, header: list[str], rows: Iterable[Iterable]):
    """A temporary file holding the workbook, positioned at its start."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    bold = Font(bold=True)
    head = []
    for text in header:
        cell = WriteOnlyCell(ws, value=str(text))
        cell.font = bold
        head.append(cell)
    ws.append(head)
    for row in rows:
        ws.append([_cell(ws, v) for v in row])
    # Not a context manager: the response streams the file and closes it.
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        wb.save(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def measure_header() -> list[str]:
    return [
        _("在办"),
        _("临期"),
        _("超期"),
        _("特别程序"),
        _("期间办结"),
        _("按时办结"),
        _("超时办结"),
        _("按时办结率（%）"),
    ]


def measure_values(row: dict) -> list:
    return [
        row["in_progress"],
        row["due_soon"],
        row["overdue"],
        row["suspended"],
        row["finished"],
        row["on_time"],
        row["late"],
        row["rate"],
    ]
