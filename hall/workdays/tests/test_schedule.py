"""The turn of the year: a year whose State Council schedule is not entered
counts weekends and the days off by law, and stays provisional; a center admin
enters the schedule in one step from the notice's text or an Excel sheet, with
a preview of the open cases whose deadlines move. Today is 2026-12-02 and
chinesecalendar knows nothing of 2027."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from lunar_python import Lunar

from hall.cases.constants import CaseStatus
from hall.cases.models import Case
from hall.cases.services import case_transition
from hall.cases.tests.factories import CaseFactory, clerk_of
from hall.core.models import AuditEntry
from hall.workdays import services
from hall.workdays.calendar import Deadline
from hall.workdays.constants import AUDIT_SCHEDULE, HolidayKind
from hall.workdays.models import Holiday, PublishedYear
from hall.workdays.schedule import parse_text
from hall.workdays.services import (
    calendar_changes_deliver,
    calendar_enter_schedule,
    calendar_seed_from_chinesecalendar,
    current_calendar,
)
from hall.workdays.statutory import statutory_holidays

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
URL = "/staff/workdays/schedule/"

# The 2027 notice as the State Council writes it (dates of this test's own making).
NOTICE_2027 = (
    "国务院办公厅关于2027年部分节假日安排的通知\n"
    "一、元旦：1月1日（周五）放假，与周末连休。"
    "二、春节：2月5日至11日放假调休，共7天。2月14日（周日）、2月20日（周六）上班。"
    "三、清明节：4月3日至5日放假，共3天。"
    "四、劳动节：5月1日至5日放假调休，共5天。4月25日（周日）、5月8日（周六）上班。"
    "五、端午节：6月9日（周三）放假。"
    "六、中秋节：9月15日（周三）放假。"
    "七、国庆节：10月1日至7日放假调休，共7天。9月26日（周日）、10月9日（周六）上班。"
)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=TZ), tick=False):
        services._calendar["generation"] = None
        yield date(2026, 12, 2)
        services._calendar["generation"] = None


@pytest.fixture
def seeded(today):
    # What the package knows today: up to 2026, nothing of 2027.
    result = calendar_seed_from_chinesecalendar(last_year=2027)
    calendar_changes_deliver()  # the worker's round after the seed
    return result


def test_chinesecalendar_does_not_know_2027(seeded):
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 1))
    assert 2027 not in seeded["years"]
    assert not PublishedYear.objects.filter(year=2027, published=True).exists()


def test_the_days_off_by_law_of_2027_come_from_the_lunar_calendar():
    # 春节 2027 is 正月初一 = 6 Feb; 除夕 the day before; 清明 is its solar term.
    new_year = Lunar.fromYmd(2027, 1, 1).getSolar()
    assert (new_year.getMonth(), new_year.getDay()) == (2, 6)
    assert sorted(statutory_holidays(2027)) == [
        date(2027, 1, 1),
        date(2027, 2, 5),  # 除夕
        date(2027, 2, 6),
        date(2027, 2, 7),
        date(2027, 2, 8),
        date(2027, 4, 5),  # 清明
        date(2027, 5, 1),
        date(2027, 5, 2),
        date(2027, 6, 9),  # 端午 五月初五
        date(2027, 9, 15),  # 中秋 八月十五
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),
    ]


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_days_off_by_law_agree_with_the_published_schedules(year):
    # Every day computed by law is a holiday in the State Council's real schedule.
    for day, name in statutory_holidays(year).items():
        assert chinese_calendar.is_holiday(day), (day, name)
    assert len(statutory_holidays(year)) == 13


def test_a_provisional_2027_skips_the_days_off_by_law(seeded):
    cal = current_calendar()
    for day in statutory_holidays(2027):
        assert not cal.is_workday(day), day
    assert not cal.is_workday(date(2027, 1, 1))  # a Friday, no longer counted
    assert cal.is_workday(date(2027, 2, 9))  # 初四, a Tuesday: the schedule is not guessed
    assert cal.is_workday(date(2027, 10, 4))  # a Monday after 国庆 by law
    # Thu 31 Dec (1), 1 Jan 元旦, Mon 4 Jan (2): provisional.
    result = cal.deadline(date(2026, 12, 30), 2)
    assert (result.due, result.provisional) == (date(2027, 1, 4), True)


def test_a_published_year_ignores_the_law_table(seeded):
    # 2026 is entered: its schedule alone counts (10 Oct 2026 is a make-up Saturday).
    cal = current_calendar()
    assert cal.is_workday(date(2026, 10, 10))
    assert not cal.is_workday(date(2026, 10, 7))  # a bridging day of its schedule
    assert cal.provisional_holidays and all(d.year != 2026 for d in cal.provisional_holidays)


def test_the_notice_text_is_read_into_holidays_and_make_up_workdays():
    entries = {(e.date, e.kind) for e in parse_text(NOTICE_2027, 2027)}
    assert (date(2027, 1, 1), HolidayKind.HOLIDAY) in entries
    assert {(date(2027, 2, d), HolidayKind.HOLIDAY) for d in range(5, 12)} <= entries
    assert (date(2027, 2, 14), HolidayKind.WORKDAY) in entries
    assert (date(2027, 2, 20), HolidayKind.WORKDAY) in entries
    assert (date(2027, 10, 9), HolidayKind.WORKDAY) in entries
    assert len(entries) == 1 + 7 + 2 + 3 + 5 + 2 + 1 + 1 + 7 + 2


# ---- the page: preview, confirm, the deadlines -----------------------------------


@pytest.fixture
def cases(seeded, make_item, city_scjg, user_named):
    """Open and closed cases accepted today, 2026-12-02."""
    long_item = make_item(city_scjg, "长时限事项", depth=4, promised=20, statutory=60)
    january_item = make_item(city_scjg, "一月到期事项", depth=4, promised=5, statutory=30)
    short_item = make_item(city_scjg, "短时限事项", depth=4, promised=5, statutory=10)
    made = {
        "moves": CaseFactory(item=long_item, accepted=True),
        "january": CaseFactory(item=january_item, accepted=True),
        "this_year": CaseFactory(item=short_item, accepted=True),
        "decided": CaseFactory(item=long_item, accepted=True),
    }
    case_transition(case=made["decided"], to=CaseStatus.APPROVED, actor=clerk_of(city_scjg))
    return {k: Case.objects.get(pk=c.pk) for k, c in made.items()}


def test_a_deadline_into_2027_is_provisional(cases):
    case = cases["moves"]
    # 60 working days: Dec 21, 元旦 skipped, Jan 20 (41), Feb 1–4 (45), 除夕 5 Feb and
    # 初三 8 Feb skipped, Feb 9–12 (49), 15–19 (54), 22–26 (59), Mon 1 Mar (60).
    assert case.statutory_due == date(2027, 3, 1)
    assert case.deadline_provisional is True
    assert cases["this_year"].deadline_provisional is False


def _preview(client, **data):
    return client.post(URL, {"year": 2027, "preview": "1", **data})


def test_the_preview_lists_exactly_the_open_cases_that_move(cases, login_as):
    client = login_as("city_admin")
    response = _preview(client, text=NOTICE_2027)
    assert response.status_code == 200
    moves = response.context["preview"]["moves"]
    assert [m.case.pk for m in moves] == [cases["moves"].pk]
    assert moves[0].statutory == (date(2027, 3, 1), date(2027, 3, 2))
    assert moves[0].provisional == (True, False)
    page = response.content.decode()
    assert "2027-03-01 → 2027-03-02" in page
    # Nothing is saved by a preview.
    assert not Holiday.objects.filter(date__year=2027).exists()
    assert not PublishedYear.objects.filter(year=2027).exists()


def test_confirming_ends_the_provisional_deadline_and_counts_make_up_saturdays(
    cases, login_as, django_capture_on_commit_callbacks
):
    client = login_as("city_admin")
    preview = _preview(client, text=NOTICE_2027, note="国办发明电〔2026〕9号")
    lines = preview.context["preview"]["lines"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"year": 2027, "text": lines, "note": "国办发明电〔2026〕9号", "confirm": "1"}
        )
    assert response.status_code == 302
    assert PublishedYear.objects.get(year=2027).published
    cal = current_calendar()
    assert cal.is_workday(date(2027, 2, 20))  # 调休 Saturday
    assert cal.deadline(date(2027, 2, 19), 1) == Deadline(date(2027, 2, 20), False)
    assert not cal.is_workday(date(2027, 2, 10))  # a bridging day of the notice

    assert calendar_changes_deliver() == {2027}  # the worker's round
    moved = Case.objects.get(pk=cases["moves"].pk)
    # Feb 1–4 (45), 5–11 off, Fri 12 (46), Sun 14 (47), 15–19 (52), Sat 20 (53),
    # 22–26 (58), Mon 1 (59), Tue 2 Mar (60).
    assert (moved.statutory_due, moved.deadline_provisional) == (date(2027, 3, 2), False)
    january = Case.objects.get(pk=cases["january"].pk)
    assert (january.statutory_due, january.deadline_provisional) == (date(2027, 1, 14), False)
    entry = AuditEntry.objects.get(action=AUDIT_SCHEDULE)
    assert entry.data["year"] == 2027
    assert entry.data["workdays"] == 6


def test_an_excel_sheet_gives_the_same_preview(cases, login_as):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "类型", "名称"])
    for entry in parse_text(NOTICE_2027, 2027):
        sheet.append(
            [entry.date, "上班" if entry.kind == HolidayKind.WORKDAY else "放假", entry.name]
        )
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("2027.xlsx", data.getvalue())
    response = _preview(login_as("city_admin"), file=upload)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (
        preview["lines"]
        == _preview(login_as("city_admin"), text=NOTICE_2027).context["preview"]["lines"]
    )
    assert [m.case.pk for m in preview["moves"]] == [cases["moves"].pk]


# ---- bad input: a clear message, nothing changed --------------------------------

HOSTILE = {
    "empty": ({"text": "   "}, "请粘贴通知中的放假安排"),
    "garbage": ({"text": "asdf 1234 ！！"}, "没有找到放假日期"),
    "outside the year": (
        {"text": "一、元旦：2026年12月31日至2027年1月1日放假。"},
        "不在 2027 年内",
    ),
    "wrong weekday": ({"text": "一、元旦：1月1日（周四）放假。"}, "请检查年份是否选对"),
    "weekday as workday": ({"text": "一、春节：2月5日放假。2月9日上班。"}, "只能是星期六或星期日"),
    "too long": ({"text": "一、元旦：1月1日放假。" + "啊" * 10000}, "内容过长"),
    "script": ({"text": "<script>alert(1)</script>"}, "没有找到放假日期"),
    "script as name": ({"text": "一、<script>alert(1)：1月1日放假。"}, "无法识别"),
    "not an xlsx": (
        {"file": lambda: SimpleUploadedFile("安排.xlsx", b"<html><script>x</script></html>")},
        "不是允许的格式",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_bad_input_is_refused_with_a_message_and_changes_nothing(seeded, login_as, case):
    data, message = HOSTILE[case]
    data = {k: v() if callable(v) else v for k, v in data.items()}
    client = login_as("city_admin")
    for action in ("preview", "confirm"):
        if action == "confirm" and "file" in data:
            continue
        response = client.post(URL, {"year": 2027, action: "1", **data})
        assert response.status_code == 200, action
        page = response.content.decode()
        assert message in page, action
        assert "<script>alert" not in page
        assert response.context["preview"] is None
    assert (
        not Holiday.objects.filter(date__year__in=[2026, 2027])
        .exclude(source="chinesecalendar")
        .exists()
    )
    assert not PublishedYear.objects.filter(year=2027).exists()
    assert not AuditEntry.objects.filter(action=AUDIT_SCHEDULE).exists()


def test_a_county_center_cannot_enter_the_schedule(seeded, login_as, user_named):
    assert login_as("kc_admin").get(URL).status_code == 404
    entries = parse_text(NOTICE_2027, 2027)
    with pytest.raises(PermissionDenied):
        calendar_enter_schedule(actor=user_named("kc_admin"), year=2027, entries=entries)
    assert not PublishedYear.objects.filter(year=2027).exists()
