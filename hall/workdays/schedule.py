"""Reading a year's State Council holiday schedule (国务院办公厅关于节假日安排的
通知) as entered by a center admin: the notice's text pasted in, or an Excel
sheet. Pure functions of the input: nothing is saved here (services does).

The notice reads, section by section:
  一、元旦：1月1日（周五）放假，与周末连休。
  二、春节：2月16日至22日放假调休，共7天。2月14日（周日）、2月28日（周日）上班。
Each sentence naming 放假 gives holidays (a 至 range is every day of it), each
naming 上班 gives make-up workdays. A weekday written beside a date (（周日）)
must be that date's weekday in the year: a notice pasted under the wrong year
is refused. The same schedule can be written one day a line, as the preview
hands it back: "2027-01-01 放假 元旦", "2027-02-14 上班 春节".
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .constants import HolidayKind

MAX_TEXT = 5000
# The name stored for a day given without one (data, not a UI string).
DEFAULT_NAME = "节假日"
MAX_ENTRIES = 200
MAX_ERRORS = 10
XLSX_MAX_BYTES = 2 * 1024 * 1024
XLSX_MAX_ROWS = 400

_WEEKDAYS = "一二三四五六日"
_NAME = re.compile(r"^[\u4e00-\u9fff、·A-Za-z0-9 ]{1,20}$")
_SECTION = re.compile(r"([一二三四五六七八九十]{1,3})、\s*([^:。\n]{1,20}?)\s*:")
_DATE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日"
    r"(?:\s*\(\s*(?:周|星期)(?P<w>[一二三四五六日天])\s*\))?"
)
_RANGE = re.compile(r"^\s*(至|到|-|~|—|–)\s*$")
_LINE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\s+(?P<k>放假|上班)(?:\s+(?P<n>\S.*))?$"
)
_KINDS = {
    "放假": HolidayKind.HOLIDAY,
    "节假日": HolidayKind.HOLIDAY,
    "法定节假日": HolidayKind.HOLIDAY,
    "holiday": HolidayKind.HOLIDAY,
    "上班": HolidayKind.WORKDAY,
    "调休": HolidayKind.WORKDAY,
    "调休上班日": HolidayKind.WORKDAY,
    "workday": HolidayKind.WORKDAY,
}
_WORD = {HolidayKind.HOLIDAY: "放假", HolidayKind.WORKDAY: "上班"}


@dataclass(frozen=True, order=True)
class Entry:
    date: date
    kind: str
    name: str

    @property
    def weekday_index(self) -> int:
        return self.date.weekday()


def _fail(errors: list[str]):
    raise ValidationError(errors[:MAX_ERRORS])


def _day(year: int, y, m, d, errors: list[str], where: str) -> date | None:
    try:
        return date(int(y) if y else year, int(m), int(d))
    except (TypeError, ValueError):
        errors.append(
            _("%(where)s：%(m)s月%(d)s日不是有效的日期。") % {"where": where, "m": m, "d": d}
        )
        return None


def _check_weekday(day: date, w: str | None, errors: list[str], where: str) -> None:
    if not w:
        return
    written = 6 if w in "日天" else _WEEKDAYS.index(w)
    if day.weekday() != written:
        errors.append(
            _(
                "%(where)s：%(date)s 是星期%(real)s，通知中写的是星期%(written)s，请检查年份是否选对。"
            )
            % {
                "where": where,
                "date": f"{day:%Y-%m-%d}",
                "real": _WEEKDAYS[day.weekday()],
                "written": w,
            }
        )


def _sentence_days(sentence: str, year: int, errors: list[str], where: str) -> list[date]:
    """Every day the sentence names: single dates and 至 ranges."""
    days: list[date] = []
    prev, prev_end, month, yr = None, 0, None, None
    for match in _DATE.finditer(sentence):
        y, m, d, w = match.group("y"), match.group("m"), match.group("d"), match.group("w")
        is_range = prev is not None and _RANGE.match(sentence[prev_end : match.start()])
        if m is None and not is_range:
            errors.append(_("%(where)s：“%(text)s”缺少月份。") % {"where": where, "text": match[0]})
            return []
        day = _day(year, y or yr, m or month, d, errors, where)
        if day is None:
            return []
        _check_weekday(day, w, errors, where)
        if is_range:
            if day < prev:
                errors.append(
                    _("%(where)s：%(first)s 至 %(last)s 的结束日期早于开始日期。")
                    % {"where": where, "first": f"{prev:%Y-%m-%d}", "last": f"{day:%Y-%m-%d}"}
                )
                return []
            if (day - prev).days > 31:
                errors.append(_("%(where)s：放假时间超过一个月，请检查。") % {"where": where})
                return []
            days.extend(prev + timedelta(days=i) for i in range(1, (day - prev).days + 1))
        else:
            days.append(day)
        prev, prev_end, month, yr = day, match.end(), day.month, day.year
    return days


def _parse_notice(text: str, year: int, errors: list[str]) -> list[Entry]:
    sections = list(_SECTION.finditer(text))
    if not sections:
        parts = [(DEFAULT_NAME, text, _("通知"))]
    else:
        parts = []
        for i, sec in enumerate(sections):
            end = sections[i + 1].start() if i + 1 < len(sections) else len(text)
            parts.append((sec.group(2).strip(), text[sec.end() : end], f"{sec.group(1)}、"))
    entries = []
    for name, body, label in parts:
        if not _NAME.match(name):
            errors.append(
                _("%(label)s节日名称“%(name)s”无法识别。") % {"label": label, "name": name[:20]}
            )
            continue
        where = f"{label}{name}" if sections else name
        for sentence in re.split(r"[。;；\n]", body):
            if not _DATE.search(sentence):
                continue
            off, on = "放假" in sentence, "上班" in sentence
            if off == on:
                errors.append(
                    _("%(where)s：无法判断“%(text)s”是放假还是上班。")
                    % {"where": where, "text": sentence.strip()[:40]}
                )
                continue
            kind = HolidayKind.HOLIDAY if off else HolidayKind.WORKDAY
            entries.extend(
                Entry(d, kind, name) for d in _sentence_days(sentence, year, errors, where)
            )
    return entries


def _parse_lines(lines: list[str], year: int, errors: list[str]) -> list[Entry]:
    entries = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        match = _LINE.match(line)
        where = _("第 %(n)d 行") % {"n": number}
        if not match:
            errors.append(_("%(where)s：应为“2027-01-01 放假 元旦”的格式。") % {"where": where})
            continue
        day = _day(year, match["y"], match["m"], match["d"], errors, where)
        name = (match["n"] or "").strip() or DEFAULT_NAME
        if not _NAME.match(name):
            errors.append(
                _("%(where)s：名称“%(name)s”无法识别。") % {"where": where, "name": name[:20]}
            )
            continue
        if day:
            entries.append(Entry(day, _KINDS[match["k"]], name))
    return entries


def parse_text(text: str, year: int) -> list[Entry]:
    """The entries of the pasted notice (or of one-day-a-line text); a
    ValidationError with the Chinese messages when anything is wrong."""
    text = text or ""
    if len(text) > MAX_TEXT:
        _fail(
            [
                _("内容过长（%(n)d 字），通知正文不超过 %(max)d 字。")
                % {"n": len(text), "max": MAX_TEXT}
            ]
        )
    text = unicodedata.normalize("NFKC", text).replace("\r", "")
    if not text.strip():
        _fail([_("请粘贴通知中的放假安排，或上传表格。")])
    errors: list[str] = []
    lines = [line for line in text.split("\n") if line.strip()]
    if _LINE.match(lines[0].strip()):
        entries = _parse_lines(lines, year, errors)
    else:
        entries = _parse_notice(text, year, errors)
    return check(entries, year, errors)


def _cell_date(value, year: int, errors: list[str], where: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not match:
        errors.append(_("%(where)s：“%(text)s”不是日期。") % {"where": where, "text": text[:20]})
        return None
    return _day(year, *match.groups(), errors, where)


def parse_xlsx(upload, year: int) -> list[Entry]:
    """The entries of an Excel sheet: one day a row, columns 日期、类型（放假/上班）、
    名称; a first row of headings is skipped. The file is checked as an upload first."""
    import openpyxl

    from hall.core.files import validate_upload

    validate_upload(upload, allowed={"xlsx"}, max_bytes=XLSX_MAX_BYTES)
    upload.seek(0)
    try:
        book = openpyxl.load_workbook(upload, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(max_row=XLSX_MAX_ROWS + 1, max_col=3, values_only=True))
    except Exception:  # noqa: BLE001  (any unreadable workbook is the same refusal)
        _fail([_("无法读取表格，请上传 Excel（.xlsx）文件。")])
    if len(rows) > XLSX_MAX_ROWS:
        _fail([_("表格行数过多，一年的安排不超过 %(max)d 行。") % {"max": XLSX_MAX_ROWS}])
    errors: list[str] = []
    entries = []
    for number, row in enumerate(rows, 1):
        cells = [*row, None, None, None][:3]
        if all(c in (None, "") for c in cells):
            continue
        if number == 1 and str(cells[0] or "").strip() == "日期":
            continue
        where = _("第 %(n)d 行") % {"n": number}
        day = _cell_date(cells[0], year, errors, where)
        kind = _KINDS.get(str(cells[1] or "").strip())
        if kind is None:
            errors.append(_("%(where)s：类型应为“放假”或“上班”。") % {"where": where})
        name = unicodedata.normalize("NFKC", str(cells[2] or "")).strip() or DEFAULT_NAME
        if not _NAME.match(name):
            errors.append(
                _("%(where)s：名称“%(name)s”无法识别。") % {"where": where, "name": name[:20]}
            )
            continue
        if day and kind:
            entries.append(Entry(day, kind, name))
    if not entries and not errors:
        _fail([_("表格中没有找到日期。")])
    return check(entries, year, errors)


def check(entries: list[Entry], year: int, errors: list[str] | None = None) -> list[Entry]:
    """The rules of a year's schedule; the entries sorted by date, one a day."""
    errors = list(errors or [])
    by_day: dict[date, Entry] = {}
    for entry in entries:
        day = entry.date
        if day.year != year:
            errors.append(
                _("%(date)s 不在 %(year)d 年内：只能录入所选年份的安排。")
                % {"date": f"{day:%Y-%m-%d}", "year": year}
            )
            continue
        if entry.kind == HolidayKind.WORKDAY and day.weekday() < 5:
            errors.append(
                _("%(date)s 是星期%(w)s：调休上班日只能是星期六或星期日。")
                % {"date": f"{day:%Y-%m-%d}", "w": _WEEKDAYS[day.weekday()]}
            )
            continue
        other = by_day.get(day)
        if other and other.kind != entry.kind:
            errors.append(
                _("%(date)s 既写作放假又写作上班，请检查。") % {"date": f"{day:%Y-%m-%d}"}
            )
            continue
        by_day.setdefault(day, entry)
    if not errors and not any(e.kind == HolidayKind.HOLIDAY for e in by_day.values()):
        errors.append(_("没有找到放假日期。请粘贴通知中“一、元旦：……”起的放假安排。"))
    if not errors and len(by_day) > MAX_ENTRIES:
        errors.append(_("日期过多（%(n)d 天），请检查。") % {"n": len(by_day)})
    if errors:
        _fail(errors)
    return sorted(by_day.values())


def as_lines(entries: list[Entry]) -> str:
    """The entries one a line, in the form parse_text reads back."""
    return "\n".join(f"{e.date:%Y-%m-%d} {_WORD[e.kind]} {e.name}" for e in entries)
