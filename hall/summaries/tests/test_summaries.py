"""Monthly work summaries: the due day on the working-day calendar, the figures
the form is pre-filled with, the lifecycle, bad input, scope, the center's
screens and export, the usage measure, the demo."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from hall.cases.models import Case
from hall.core import measures
from hall.core.models import AuditEntry
from hall.org.models import Department, User, Window
from hall.ratings.models import Rating
from hall.summaries import demo, due, figures, selectors, services, workflow
from hall.summaries.constants import DEFAULT_SECTIONS, UnitKind
from hall.summaries.constants import SummaryStatus as S
from hall.summaries.errors import SummaryError, SummaryForbidden
from hall.summaries.models import Summary, SummarySettings, SummaryVersion
from hall.workdays.calendar import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
# Today in these tests: Thursday 3 December 2026.
TODAY = date(2026, 12, 3)
NOV = date(2026, 11, 1)
TEXTS = {s["key"]: f"{s['title']}：本月情况良好。" for s in DEFAULT_SECTIONS}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime(2026, 12, 3, 10, tzinfo=TZ), tick=False):
        yield TODAY


# ---- the due day on the working-day calendar ----------------------------------------

# The State Council's 2026 schedule around 国庆 and 中秋 (国办发明电〔2025〕7号):
# 1–7 October off; Sunday 20 September and Saturday 10 October are working days.
GUOQING_2026 = WorkCalendar(
    holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
    workdays=frozenset({date(2026, 9, 20), date(2026, 10, 10)}),
    known_years=frozenset({2026}),
)


def test_the_september_2026_summary_is_due_on_the_5th_working_day_after_guoqing():
    # Oct 1–7 off; Thu 8 (1), Fri 9 (2), Sat 10 make-up (3), Mon 12 (4), Tue 13 (5).
    assert due.due_on(GUOQING_2026, date(2026, 9, 1), 5) == date(2026, 10, 13)
    assert due.due_on(GUOQING_2026, date(2026, 9, 1), 1) == date(2026, 10, 8)
    assert due.due_on(GUOQING_2026, date(2026, 9, 1), 3) == date(2026, 10, 10)
    # An ordinary month: 1–4 December (Tue–Fri) and Monday 7 December.
    assert due.due_on(GUOQING_2026, NOV, 5) == date(2026, 12, 7)


def test_the_due_day_on_the_hall_calendar_seeded_from_the_schedule(db):
    from hall.workdays.services import calendar_from_db, calendar_seed_from_chinesecalendar

    calendar_seed_from_chinesecalendar(last_year=2026)
    assert due.due_on(calendar_from_db(), date(2026, 9, 1), 5) == date(2026, 10, 13)


def test_months_due_by_today():
    # The November summary is due on 7 December: on 3 December only October's has passed.
    assert due.months_due_by(GUOQING_2026, TODAY, 5, date(2026, 9, 1)) == [
        date(2026, 9, 1),
        date(2026, 10, 1),
    ]
    assert due.parse_month("2026-09") == date(2026, 9, 1)
    for bad in ("2026-13", "2026-9", "abcd-ef", "", "2026-09-01"):
        assert due.parse_month(bad) is None


# ---- the figures ------------------------------------------------------------------------


def _at(day, hour=10):
    return datetime.combine(day, datetime.min.time()).replace(hour=hour, tzinfo=TZ)


@pytest.fixture
def city_window(db):
    return Window.objects.select_related("department__center").get(
        department__center__region_code="330800", department__code="SCJG", number="211"
    )


@pytest.fixture
def known_month(make_case, city_window, user_named):
    """November 2026 of the city's window 211 (王丽娟) — 4 cases accepted (3
    online, 1 walk-in), 3 decided (2 by the promised day), 1 decided late
    elsewhere in time; 3 ratings (2 satisfied); 1 complaint about the window,
    and figures of other windows and months that must not count."""
    clerk = user_named("scjg_clerk")
    other = user_named("zrzy_clerk")

    def case(accepted, decided=None, promised=None, channel="online", who=clerk, status=None):
        c = make_case("accepted")
        Case.objects.filter(pk=c.pk).update(
            accepted_at=_at(accepted) if accepted else None,
            decided_at=_at(decided) if decided else None,
            promised_due=promised,
            channel=channel,
            handled_by=who,
            status=status or ("approved" if decided else "accepted"),
        )
        return Case.objects.get(pk=c.pk)

    a = case(date(2026, 11, 2), date(2026, 11, 6), date(2026, 11, 9))  # on time
    b = case(date(2026, 11, 3), date(2026, 11, 20), date(2026, 11, 10))  # late
    case(date(2026, 11, 10), channel="walk_in")  # accepted, running
    case(date(2026, 11, 30))  # accepted, running
    c = case(date(2026, 10, 20), date(2026, 11, 5), date(2026, 11, 5), status="rejected")
    case(date(2026, 10, 1), date(2026, 10, 9), date(2026, 10, 9))  # October only
    case(date(2026, 11, 4), date(2026, 11, 5), date(2026, 11, 9), who=other)  # not this window
    case(None, date(2026, 11, 4), None, status="not_accepted")  # refused: no decision
    for rated, level in ((a, 5), (b, 2), (c, 3)):
        Rating.objects.create(
            case=rated,
            kind="finished",
            level=level,
            channel="web",
            center=rated.center,
            department=rated.department,
            item=rated.item,
            clerk=clerk.pk,
            month=NOV,
        )
    from hall.feedback.models import Complaint
    from hall.feedback.services import complaint_file

    filed = complaint_file(
        kind="window",
        window=city_window,
        category="attitude",
        description="窗口人员态度生硬。",
        anonymous=True,
    )
    Complaint.objects.filter(pk=filed.pk).update(filed_at=_at(date(2026, 11, 12)))
    complaint_file(  # December: not in November
        kind="window",
        window=city_window,
        category="quality",
        description="材料退回三次。",
        anonymous=True,
    )
    return city_window


def test_the_form_is_prefilled_with_the_figures_of_the_unit_and_month(known_month):
    got = figures.compute(
        kind=UnitKind.WINDOW, department=known_month.department, window=known_month, month=NOV
    )
    assert got == {
        "accepted": 4,
        "online": 3,
        "online_share": 75.0,
        "decided": 3,
        "on_time": 2,
        "on_time_share": 66.7,
        "ratings": 3,
        "satisfied": 2,
        "satisfied_share": 66.7,
        "complaints": 1,
    }
    # The department counts every window's cases: the other clerk's too.
    dept = figures.compute(
        kind=UnitKind.DEPARTMENT, department=known_month.department, window=None, month=NOV
    )
    assert (dept["accepted"], dept["decided"]) == (5, 4)


def test_the_submitted_figures_are_a_snapshot(known_month, login_as):
    client = login_as("scjg_clerk")
    page = client.post(
        reverse("summaries:start"), {"kind": "window", "unit": known_month.pk, "month": "2026-11"}
    )
    summary = Summary.objects.get()
    assert page["Location"] == reverse("summaries:edit", args=[summary.pk])
    text = client.get(page["Location"]).content.decode()
    assert '<dd class="fig-accepted">4</dd>' in text and "66.7%（2/3）" in text
    _submit(client, summary)
    Case.objects.filter(handled_by__username="scjg_clerk").delete()
    version = summary.versions.get()
    assert version.figures["accepted"] == 4 and version.figures["complaints"] == 1
    detail = client.get(reverse("summaries:detail", args=[summary.pk])).content.decode()
    assert '<dd class="fig-accepted">4</dd>' in detail


# ---- the lifecycle ------------------------------------------------------------------------


def test_the_transition_table():
    assert workflow.MOVES == {
        (S.DRAFT, S.SUBMITTED): "summaries.submit_summary",
        (S.SUBMITTED, S.ACCEPTED): "summaries.review_summary",
        (S.SUBMITTED, S.RETURNED): "summaries.review_summary",
        (S.RETURNED, S.SUBMITTED): "summaries.submit_summary",
    }
    assert workflow.ALLOWED_TRANSITIONS[S.ACCEPTED] == set()
    assert {S.DRAFT, S.RETURNED} == workflow.EDITABLE


def _submit(client, summary, texts=None, action="submit"):
    data = {f"section_{k}": v for k, v in (texts or TEXTS).items()}
    return client.post(reverse("summaries:edit", args=[summary.pk]), {**data, "action": action})


@pytest.fixture
def draft(city_window, user_named):
    return services.summary_start(
        actor=user_named("scjg_clerk"), kind="window", unit_pk=city_window.pk, month=NOV
    )


def _events(summary):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Summary), object_id=str(summary.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_submit_return_resubmit_accept_keeps_every_version(draft, user_named):
    clerk, admin = user_named("scjg_clerk"), user_named("city_admin")
    services.summary_save(actor=clerk, summary=draft, texts={"s1": "先写一半"})
    assert Summary.objects.get(pk=draft.pk).draft["s1"] == "先写一半"
    services.summary_submit(actor=clerk, summary=draft, texts=TEXTS)
    with pytest.raises(SummaryError, match="退回意见"):
        services.summary_return(actor=admin, summary=draft, comment="  ")
    services.summary_return(actor=admin, summary=draft, comment="请补充投诉整改情况。")
    assert Summary.objects.get(pk=draft.pk).status == S.RETURNED
    services.summary_submit(actor=clerk, summary=draft, texts={**TEXTS, "s2": "已补充整改情况。"})
    services.summary_accept(actor=admin, summary=draft)
    with pytest.raises(SummaryError, match="已审核通过"):
        services.summary_accept(actor=admin, summary=draft)
    with pytest.raises(SummaryError, match="不能修改"):
        services.summary_save(actor=clerk, summary=draft, texts=TEXTS)
    v1, v2 = SummaryVersion.objects.filter(summary=draft).order_by("number")
    assert (v1.decision, v1.comment, v1.reviewed_by_name) == (
        "returned",
        "请补充投诉整改情况。",
        "周建国",
    )
    assert v1.sections[1]["text"] == TEXTS["s2"] and v2.sections[1]["text"] == "已补充整改情况。"
    assert (v2.decision, v2.submitted_by_name) == ("accepted", "王丽娟")
    summary = Summary.objects.get(pk=draft.pk)
    assert summary.status == S.ACCEPTED and summary.first_submitted_at == v1.submitted_at
    assert _events(draft) == [
        "summaries.start",
        "summaries.save",
        "summaries.submit",
        "summaries.return",
        "summaries.submit",
        "summaries.accept",
    ]


def test_moves_outside_the_table_are_refused(draft, user_named):
    clerk, admin = user_named("scjg_clerk"), user_named("city_admin")
    with pytest.raises(SummaryError, match="草稿"):
        services.summary_accept(actor=admin, summary=draft)
    with pytest.raises(SummaryForbidden):  # a clerk holds no review right
        services.summary_submit(actor=clerk, summary=draft, texts=TEXTS)
        services.summary_accept(actor=clerk, summary=draft)
    # A county's center admin never reviews the city's units.
    with pytest.raises(SummaryForbidden):
        services.summary_return(actor=user_named("kc_admin"), summary=draft, comment="不行")
    assert Summary.objects.get(pk=draft.pk).status == S.SUBMITTED


# ---- bad input -----------------------------------------------------------------------------


def _unchanged(summary):
    fresh = Summary.objects.get(pk=summary.pk)
    assert (fresh.status, fresh.draft, fresh.versions.count()) == (
        summary.status,
        summary.draft,
        summary.versions.count(),
    )


def test_script_tags_are_kept_as_text_and_escaped(draft, login_as):
    client = login_as("scjg_clerk")
    texts = {**TEXTS, "s1": "<script>alert(1)</script>本月\x00正常"}
    assert _submit(client, draft, texts).status_code == 302
    assert draft.versions.get().sections[0]["text"] == "<script>alert(1)</script>本月正常"
    page = login_as("city_admin").get(reverse("summaries:detail", args=[draft.pk]))
    text = page.content.decode()
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({**TEXTS, "s2": "长" * 10_000}, "不能超过 3000 个字"),
        ({**TEXTS, "s3": " "}, "请填写“下月工作计划”"),
        ({**TEXTS, "s9": "模板里没有的部分"}, "总结模板中没有所提交的部分"),
        ({**TEXTS, "s1": "乱码\ufffd"}, "无法识别的字符"),
    ],
)
def test_bad_text_gets_a_message_and_changes_nothing(draft, login_as, texts, message):
    client = login_as("scjg_clerk")
    page = _submit(client, draft, texts)
    assert page.status_code == 400
    assert message in page.content.decode()
    _unchanged(draft)
    if texts["s3"].strip():  # a draft may leave a section empty, nothing else
        assert _submit(client, draft, texts, action="save").status_code == 400
        _unchanged(draft)


def test_non_utf8_bytes_are_a_message_not_a_server_error(draft, login_as):
    client = login_as("scjg_clerk")
    page = client.post(
        reverse("summaries:edit", args=[draft.pk]),
        b"action=submit&section_s1=%FF%FE%C3%28&section_s2=x&section_s3=y",
        content_type="application/x-www-form-urlencoded",
    )
    assert page.status_code == 400
    assert "无法识别的字符" in page.content.decode()
    _unchanged(draft)
    page = client.post(
        reverse("summaries:start"),
        b"kind=%FF&unit=%C3%28&month=%FF",
        content_type="application/x-www-form-urlencoded",
    )
    assert page.status_code == 400


def test_no_action_is_refused(draft, login_as):
    page = _submit(login_as("scjg_clerk"), draft, action="publish")
    assert page.status_code == 400 and "请求无效" in page.content.decode()
    _unchanged(draft)


def test_another_unit_and_a_future_month_are_refused(city_window, login_as):
    client = login_as("scjg_clerk")
    window2 = Window.objects.get(department=city_window.department, number="212")
    page = client.post(
        reverse("summaries:start"), {"kind": "window", "unit": window2.pk, "month": "2026-11"}
    )
    assert page.status_code == 404
    page = client.post(
        reverse("summaries:start"), {"kind": "window", "unit": city_window.pk, "month": "2027-01"}
    )
    assert page.status_code == 400 and "不能填写以后月份" in page.content.decode()
    page = client.post(
        reverse("summaries:start"),
        {"kind": "department", "unit": city_window.department_id, "month": "2026-11"},
    )
    assert page.status_code == 404  # the city's units are windows
    assert not Summary.objects.exists()


def test_returning_without_a_comment_and_accepting_twice(draft, user_named, login_as):
    services.summary_submit(actor=user_named("scjg_clerk"), summary=draft, texts=TEXTS)
    client = login_as("city_admin")
    page = client.post(reverse("summaries:return", args=[draft.pk]), {"comment": ""})
    assert page.status_code == 400 and "请填写“退回意见”" in page.content.decode()
    assert Summary.objects.get(pk=draft.pk).status == S.SUBMITTED
    assert client.post(reverse("summaries:accept", args=[draft.pk])).status_code == 302
    page = client.post(reverse("summaries:accept", args=[draft.pk]))
    assert page.status_code == 400 and "无需重复操作" in page.content.decode()
    assert SummaryVersion.objects.get(summary=draft).decision == "accepted"


# ---- scope -----------------------------------------------------------------------------------


def test_another_windows_summary_is_404(city_window, user_named, login_as):
    window2 = Window.objects.get(department=city_window.department, number="212")
    theirs = services.summary_start(
        actor=user_named("scjg_admin"), kind="window", unit_pk=window2.pk, month=NOV
    )
    client = login_as("scjg_clerk")
    for url in (
        reverse("summaries:detail", args=[theirs.pk]),
        reverse("summaries:edit", args=[theirs.pk]),
        reverse("summaries:unit", args=["window", window2.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert _submit(client, theirs).status_code == 404
    assert Summary.objects.get(pk=theirs.pk).status == S.DRAFT
    # The department admin writes for every window of the department; the other
    # department's clerk sees none of them.
    assert (
        login_as("scjg_admin").get(reverse("summaries:edit", args=[theirs.pk])).status_code == 200
    )
    assert (
        login_as("zrzy_clerk").get(reverse("summaries:detail", args=[theirs.pk])).status_code == 404
    )


def test_department_mode_puts_the_department_on_the_clerks_list(city_window, login_as, user_named):
    services.summary_settings_save(
        actor=user_named("city_admin"),
        center=city_window.department.center,
        unit_kind="department",
        due_day=3,
        sections="工作情况\n下步打算 | 写明时间",
    )
    units = selectors.writable_units(user_named("scjg_clerk"))
    assert [(u.kind, u.pk) for u in units] == [("department", city_window.department_id)]
    page = login_as("scjg_clerk").get(reverse("summaries:mine"))
    assert city_window.department.name in page.content.decode()


# ---- the center's screens -------------------------------------------------------------------


def test_the_center_month_lists_every_unit_and_the_overdue(city_window, user_named, login_as):
    center = city_window.department.center
    SummarySettings.objects.create(
        center=center,
        unit_kind="window",
        due_day=5,
        sections=DEFAULT_SECTIONS,
        first_month=date(2026, 10, 1),
    )
    clerk = user_named("scjg_clerk")
    october = services.summary_start(
        actor=clerk, kind="window", unit_pk=city_window.pk, month=date(2026, 10, 1)
    )
    services.summary_submit(actor=clerk, summary=october, texts=TEXTS)
    services.summary_return(actor=user_named("city_admin"), summary=october, comment="请补充。")
    client = login_as("city_admin")
    page = client.get(reverse("summaries:center"), {"month": "2026-10"})
    text = page.content.decode()
    units = Window.objects.filter(department__center=center, is_active=True).count()
    rows = page.context["rows"]
    assert len(rows) == units and sum(r.overdue for r in rows) == units
    assert page.context["counts"]["returned"] == 1 and page.context["counts"]["none"] == units - 1
    # October was due on Friday 6 November (5th working day): all overdue today,
    # the returned one too; November (due 7 December) is not yet.
    overdue = page.context["overdue"]
    assert {r.month for r in overdue} == {date(2026, 10, 1)} and len(overdue) == units
    assert f'<dd class="count-late">{units}</dd>' in text
    # the xlsx of the same month
    from openpyxl import load_workbook

    export = client.get(reverse("summaries:export"), {"month": "2026-10"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = list(sheet.values)
    assert len(values) == units + 1 and values[0][3] == "填报单位"
    mine = next(v for v in values if v[3] == f"{city_window.number} {city_window.name}")
    assert (mine[4], mine[7], mine[8]) == ("已退回", "是", 1)


def test_settings_are_saved_and_bad_ones_refused(db, login_as, user_named):
    client = login_as("kc_admin")
    url = reverse("summaries:settings")
    assert client.get(url).status_code == 200
    good = {
        "unit_kind": "department",
        "due_day": "7",
        "sections": "本月工作 | 写重点\n存在问题\n下月计划",
    }
    assert client.post(url, good).status_code == 302
    row = SummarySettings.objects.get(center__region_code="330802")
    assert (row.unit_kind, row.due_day) == ("department", 7)
    assert row.sections == [
        {"key": "s4", "title": "本月工作", "hint": "写重点"},
        {"key": "s5", "title": "存在问题", "hint": ""},
        {"key": "s6", "title": "下月计划", "hint": ""},
    ]
    for bad, message in (
        ({**good, "sections": "重复\n重复"}, "重复"),
        ({**good, "sections": "<script>" + "长" * 10_000}, "4000"),
        ({**good, "sections": " \n "}, "这个字段是必填项"),
        ({**good, "due_day": "0"}, "1"),
        ({**good, "unit_kind": "county"}, "county"),
    ):
        page = client.post(url, bad)
        assert page.status_code == 400 and message in page.content.decode(), bad
    assert SummarySettings.objects.get(pk=row.pk).sections == row.sections
    assert AuditEntry.objects.filter(action="summaries.settings").count() == 1


# ---- the usage measure ------------------------------------------------------------------------


def test_summaries_on_time_counts_each_unit_of_the_month_due(city_window, user_named):
    center = city_window.department.center
    SummarySettings.objects.create(
        center=center,
        unit_kind="window",
        due_day=5,
        sections=DEFAULT_SECTIONS,
        first_month=date(2026, 10, 1),
    )
    clerk = user_named("scjg_clerk")
    october = services.summary_start(
        actor=clerk, kind="window", unit_pk=city_window.pk, month=date(2026, 10, 1)
    )
    with time_machine.travel(datetime(2026, 11, 6, 17, tzinfo=TZ), tick=False):
        services.summary_submit(actor=clerk, summary=october, texts=TEXTS)  # on the due day
    late = Window.objects.get(department=city_window.department, number="212")
    late_one = services.summary_start(
        actor=user_named("scjg_admin"), kind="window", unit_pk=late.pk, month=date(2026, 10, 1)
    )
    services.summary_submit(actor=user_named("scjg_admin"), summary=late_one, texts=TEXTS)
    assert measures.get("summaries_on_time") is not None
    rows = [
        r
        for r in measures.compute(
            "summaries_on_time", start=date(2026, 11, 1), end=date(2026, 12, 1)
        )
        if r.center_id == center.pk
    ]
    units = Window.objects.filter(department__center=center, is_active=True).count()
    assert len(rows) == units and all(r.total == 1 for r in rows)
    assert [r.window_id for r in rows if r.done] == [city_window.pk]
    # November's summaries fall due in December; September is before the first month.
    assert not [
        r
        for r in measures.compute(
            "summaries_on_time", start=date(2026, 10, 1), end=date(2026, 11, 1)
        )
        if r.center_id == center.pk
    ]


# ---- the demo --------------------------------------------------------------------------------


def test_the_demo_holds_a_year_and_loads_once(db):
    figures_ = demo.load()
    windows = Window.objects.filter(department__center__region_code__in=["330800", "330802"])
    assert figures_["summaries"] > 10 * windows.count()
    assert figures_["returned_then_resubmitted"] > windows.count()
    assert figures_["overdue"] == 2
    assert demo.load() == {}
    city = SummarySettings.objects.get(center__region_code="330800")
    rules = selectors.rules_for(city.center, TODAY)
    from hall.workdays.services import current_calendar

    overdue = selectors.overdue_rows(city.center_id, rules, current_calendar(), TODAY)
    assert len(overdue) == 2
    resubmitted = SummaryVersion.objects.filter(number=2).first()
    assert resubmitted.summary.versions.first().decision == "returned"
    assert Summary.objects.filter(status=S.SUBMITTED).exists()
    assert Department.objects.exists() and User.objects.exists()
    assert timedelta(0) <= resubmitted.submitted_at - resubmitted.summary.first_submitted_at
