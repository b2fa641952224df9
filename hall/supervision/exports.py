"""Excel exports of the supervision tables, streamed as they are written.

A .xlsx file is a zip of a few XML parts. The workbook is written here part by
part into a zip that goes straight to the response: the sheet's rows are
turned into XML as they come from a queryset iterated in chunks and handed to
the client every 64 KB, so an export of a million cases starts at once, never
sits in memory or on disk, and takes seconds, not minutes (openpyxl, which
reads our files in the tests, needs a temporary file and ten times as long).

Text is always an inline string, never a formula; dates and times are real
Excel dates in local wall-clock time, with a date format.
"""

import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

MAX_CELL_CHARS = 32767
MAX_ROWS = 1_048_576  # Excel's limit, header included
CHUNK_BYTES = 64 * 1024
# Characters XML 1.0 cannot hold (openpyxl refuses them the same way).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EPOCH = datetime(1899, 12, 30)

# Cell styles (index into cellXfs below): 1 bold header, 2 date, 3 date and time.
_BOLD, _DATE, _DATETIME = 1, 2, 3

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _workbook_xml(title: str) -> str:
    # Sheet names: at most 31 characters, none of []:*?/\
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet1"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )


def _text(value: str, style: int = 0) -> str:
    value = escape(_ILLEGAL.sub("", value)[:MAX_CELL_CHARS])
    s = f' s="{style}"' if style else ""
    return f'<c t="inlineStr"{s}><is><t xml:space="preserve">{value}</t></is></c>'


class _Cells:
    """Turns values into cell XML. Texts repeat (item, department, center,
    status…), so their XML is kept; the time zone is looked up once."""

    CACHE_TEXTS = 20_000

    def __init__(self):
        self.tz = timezone.get_current_timezone()
        self.texts: dict[str, str] = {}

    def __call__(self, value) -> str:
        if value is None:
            return "<c/>"
        if isinstance(value, str):
            xml = self.texts.get(value)
            if xml is None:
                xml = _text(value)
                if len(self.texts) < self.CACHE_TEXTS and len(value) <= 100:
                    self.texts[value] = xml
            return xml
        if isinstance(value, bool):
            return f'<c t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            return f"<c><v>{value!r}</v></c>"
        if isinstance(value, datetime):
            # Excel has no time zones: local wall-clock time.
            if value.tzinfo is not None:
                value = value.astimezone(self.tz)
            serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
            return f'<c s="{_DATETIME}"><v>{serial:.10f}</v></c>'
        if isinstance(value, date):
            return f'<c s="{_DATE}"><v>{value.toordinal() - _EPOCH.toordinal()}</v></c>'
        return self(str(value))


class _Sink:
    """A write-only file for ZipFile whose bytes are taken out as they come."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data


def stream_workbook(title: str, header: list[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    """The bytes of a one-sheet workbook, in pieces of about CHUNK_BYTES.
    Rows past Excel's limit are left out, and the last row says so."""
    sink = _Sink()
    cell = _Cells()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _workbook_xml(title))
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            pending = [_SHEET_HEAD, '<row r="1">', *(_text(str(h), _BOLD) for h in header)]
            pending.append("</row>")
            for n, row in enumerate(rows, start=2):
                if n == MAX_ROWS:
                    pending.append(
                        f'<row r="{n}">'
                        + _text(_("行数超过 Excel 上限，其余未导出，请缩短统计期间。"))
                        + "</row>"
                    )
                    break
                pending.append(f'<row r="{n}">' + "".join(map(cell, row)) + "</row>")
                if len(pending) >= 500:
                    sheet.write("".join(pending).encode())
                    pending.clear()
                    if sink.size >= CHUNK_BYTES:
                        yield sink.take()
            pending.append(_SHEET_TAIL)
            sheet.write("".join(pending).encode())
    yield sink.take()


def measure_header() -> list[str]:
    return [
        _("在办"),
        _("临期"),
        _("超期"),
        _("特别程序"),
        _("期间决定"),
        _("其中按时决定"),
        _("其中超时决定"),
        _("按时决定率（%）"),
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
