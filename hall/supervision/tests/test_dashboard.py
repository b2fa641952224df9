"""The supervision dashboard: live counts, due soon and overdue, scope, period
statistics, the trend chart and bad input."""

import re
from datetime import date, datetime

import pytest
from django.urls import reverse

from hall.cases import deadlines
from hall.cases.constants import CaseStatus
from hall.org.models import Center, Department
from hall.supervision.selectors import Clock, Period, add_months
from hall.workdays.services import current_calendar

from .conftest import TODAY, TZ, accept_on, at, move_on

pytestmark = pytest.mark.django_db
DASHBOARD = "supervision:dashboard"


def get(login_as, user, params=None, day=TODAY):
    """GET the dashboard as `user` on `day` (signing in then: sessions expire)."""
    with at(*day):
        return login_as(user).get(reverse(DASHBOARD), params or {})


def listed(response, name):
    return {c.pk for c in response.context[name]}


def test_live_counts_by_state(login_as, scenario):
    response = get(login_as, "city_supervisor")
    assert response.status_code == 200
    live = response.context["live"]
    # in progress: due soon, overdue, running, suspended, the county's overdue one
    assert live["in_progress"] == 5
    assert (live["due_soon"], live["overdue"], live["suspended"]) == (1, 2, 1)
    # finished in the default period (the last four months): one on time, one late
    assert (live["finished"], live["on_time"], live["late"], live["rate"]) == (2, 1, 1, 50.0)
    assert listed(response, "due_soon") == {scenario["due_soon"].pk}
    assert listed(response, "overdue") == {scenario["overdue"].pk, scenario["county_overdue"].pk}
    page = response.content.decode()
    assert reverse("cases:staff_case", args=[scenario["due_soon"].pk]) in page
    assert scenario["overdue"].display_number in page
    assert scenario["submitted"].display_number not in page
    assert scenario["running"].display_number not in page


def test_due_soon_and_overdue_follow_the_working_day_calendar(make_case, user_named):
    case = accept_on(make_case(), user_named("scjg_clerk"), (2032, 3, 1))
    assert case.promised_due == date(2032, 3, 8)  # Monday, five working days on
    calendar = current_calendar()
    qs = type(case).objects.filter(pk=case.pk)
    from hall.supervision import selectors
    from hall.supervision.models import CaseDayStat, CaseMonthStat

    expected = {
        date(2032, 3, 3): "running",  # Wed: 3 working days left
        date(2032, 3, 4): "due_soon",  # Thu: 2 left (Fri, Mon)
        date(2032, 3, 6): "due_soon",  # Saturday: Mon is within two working days
        date(2032, 3, 8): "due_soon",  # the due day itself
        date(2032, 3, 9): "overdue",
    }
    for today, state in expected.items():
        clock = Clock.at(calendar, today)
        stats = selectors.Stats(
            CaseDayStat.objects.filter(item=case.item_id),
            CaseMonthStat.objects.filter(item=case.item_id),
        )
        counts = selectors.overview(qs, stats, clock, Period.last_months(today)).totals
        got = "overdue" if counts["overdue"] else "due_soon" if counts["due_soon"] else "running"
        assert got == state, today
        # the same answer as the case's own clock
        assert (
            deadlines.state(
                calendar, status=case.status, promised_due=case.promised_due, today=today
            ).state
            == state
        )


def test_a_county_supervisor_sees_only_the_county(login_as, scenario, city_scjg, kc_scjg):
    response = get(login_as, "kc_supervisor")
    live = response.context["live"]
    assert (live["in_progress"], live["overdue"], live["due_soon"], live["finished"]) == (
        1,
        1,
        0,
        0,
    )
    assert listed(response, "overdue") == {scenario["county_overdue"].pk}
    page = response.content.decode()
    for key in ("due_soon", "overdue", "on_time"):
        assert scenario[key].display_number not in page
    centers = response.context["groups"][0]["rows"]
    assert [r["name"] for r in centers] == ["柯城区行政服务中心"]
    assert "衢州市市场监督管理局" not in page
    # drill-down ids outside the county: 404, as if they did not exist
    city = Center.objects.get(region_code="330800")
    qujiang = Center.objects.get(region_code="330803")
    assert get(login_as, "kc_supervisor", {"department": city_scjg.pk}).status_code == 404
    assert get(login_as, "kc_supervisor", {"center": city.pk}).status_code == 404
    assert get(login_as, "kc_supervisor", {"center": qujiang.pk}).status_code == 404
    assert get(login_as, "kc_supervisor", {"department": 999999}).status_code == 404
    own = get(login_as, "kc_supervisor", {"department": kc_scjg.pk})
    assert own.status_code == 200 and own.context["live"]["overdue"] == 1


def test_the_city_supervisor_sees_the_counties_and_drills_down(login_as, scenario, kc_scjg):
    response = get(login_as, "city_supervisor")
    centers = {r["name"]: r for r in response.context["groups"][0]["rows"]}
    assert len(centers) == 7  # the city and its six counties, zeros included
    assert centers["柯城区行政服务中心"]["overdue"] == 1
    assert centers["衢州市行政服务中心"]["in_progress"] == 4
    assert centers["衢江区行政服务中心"]["in_progress"] == 0
    departments = {r["name"]: r for r in response.context["groups"][1]["rows"]}
    assert departments["衢州市市场监督管理局"]["overdue"] == 1
    assert departments["柯城区市场监督管理局"]["overdue"] == 1
    clerks = {r["name"]: r for r in response.context["groups"][3]["rows"]}
    assert clerks["余静"]["overdue"] == 1 and clerks["王丽娟"]["in_progress"] == 4
    items = response.context["groups"][2]["rows"]
    assert items[0]["name"] in ("食品经营许可（网上）", "食品经营许可（柯城区）")
    # drill into the county center, then into its department
    kc = Center.objects.get(region_code="330802")
    drilled = get(login_as, "city_supervisor", {"center": kc.pk})
    assert listed(drilled, "overdue") == {scenario["county_overdue"].pk}
    assert drilled.context["live"]["in_progress"] == 1
    assert "柯城区行政服务中心" in drilled.content.decode()
    by_dept = get(login_as, "city_supervisor", {"department": kc_scjg.pk})
    assert listed(by_dept, "overdue") == {scenario["county_overdue"].pk}
    # the tables link to the drill-down
    assert f"department={kc_scjg.pk}" in response.content.decode()
    assert f"center={kc.pk}" in response.content.decode()


def test_period_statistics_answer_how_many_were_approved(login_as, make_case, user_named):
    clerk = user_named("scjg_clerk")
    # approved in the four months from 5 Nov 2031 to 4 Mar 2032: two, one of them completed
    inside = [
        ((2031, 11, 10), (2031, 11, 12)),  # 2 working days: on time
        ((2032, 1, 5), (2032, 1, 19)),  # 10 working days: late (promised 12 Jan)
    ]
    approved = []
    for accepted, decided in inside:
        case = accept_on(make_case(), clerk, accepted)
        approved.append(move_on(case, clerk, decided, CaseStatus.APPROVED))
    with at(2032, 1, 20):
        from hall.cases.services import case_transition

        case_transition(case=approved[1], to=CaseStatus.COMPLETED, actor=clerk)
    # approved before the period: not counted
    old = accept_on(make_case(), clerk, (2031, 10, 1))
    move_on(old, clerk, (2031, 10, 3), CaseStatus.APPROVED)
    # not accepted in the period
    refused = make_case()
    move_on(refused, clerk, (2032, 2, 2), CaseStatus.NOT_ACCEPTED, reason="不属于受理范围")

    response = get(
        login_as, "city_supervisor", {"date_from": "2031-11-05", "date_to": "2032-03-04"}
    )
    stats = response.context["stats"]
    assert stats["approved"] == 2
    assert stats["completed"] == 1
    assert stats["not_accepted"] == 1
    assert stats["rejected"] == 0
    assert stats["accepted"] == 2  # the 1 Oct acceptance is outside
    assert (stats["on_time"], stats["late"], stats["rate"]) == (1, 1, 50.0)
    assert stats["average_days"] == 6.0  # (2 + 10) / 2 working days
    page = response.content.decode()
    assert "准予许可 <strong>2</strong> 件" in page
    # the figures of the table add up as labelled: decisions = approvals + rejections
    # = on time + late; completion (delivery of the result) is counted apart
    table = page[
        page.index('id="period-caption"') : page.index(
            "</table>", page.index('id="period-caption"')
        )
    ]
    figures = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', table))
    decided = int(figures["作出决定（准予或不予许可）"])
    assert decided == int(figures["准予许可（含已办结）"]) + int(figures["不予许可"]) == 2
    assert decided == int(figures["其中按时决定"]) + int(figures["其中超时决定"])
    assert int(figures["办结（送达结果）"]) == 1
    assert not any(label.endswith("办结") and label != "办结（送达结果）" for label in figures)

    # "最近四个月" in one click: the default and the link give the same period
    default = get(login_as, "city_supervisor")
    assert default.context["f"].period == Period(date(2031, 11, 5), date(2032, 3, 4))
    assert default.context["stats"]["approved"] == 2
    link = default.context["four_months"]
    assert "date_from=2031-11-05" in link and "date_to=2032-03-04" in link
    assert "最近四个月" in default.content.decode()
    # a narrower period counts only what falls in it
    january = get(login_as, "city_supervisor", {"date_from": "2032-01-01", "date_to": "2032-01-31"})
    assert january.context["stats"]["approved"] == 1
    assert january.context["stats"]["rate"] == 0.0


def test_period_defaults_to_four_whole_months():
    assert Period.last_months(date(2032, 3, 4)) == Period(date(2031, 11, 5), date(2032, 3, 4))
    assert Period.last_months(date(2031, 6, 30)) == Period(date(2031, 3, 1), date(2031, 6, 30))
    assert add_months(date(2032, 3, 31), -1) == date(2032, 2, 29)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2032-13-45"}, "请输入有效的日期"),
        ({"date_to": "昨天"}, "请输入有效的日期"),
        ({"date_from": "2032-03-01", "date_to": "2032-02-01"}, "起始日期不能晚于截止日期"),
        ({"date_from": "2020-01-01", "date_to": "2030-01-01"}, "统计期间最长三年"),
        ({"date_from": "1900-01-01", "date_to": "1900-02-01"}, "日期应在 2000 年至 2099 年之间"),
        ({"date_from": "<script>alert(1)</script>"}, "请输入有效的日期"),
        ({"center": "<script>alert(1)</script>"}, "中心参数无效"),
        ({"department": "1 OR 1=1"}, "部门参数无效"),
    ],
)
def test_bad_input_gives_chinese_errors_not_a_crash(login_as, scenario, params, message):
    response = get(login_as, "city_supervisor", params)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "<script>alert(1)" not in page
    # the page still answers, on the default period
    assert response.context["live"]["in_progress"] == 5


def test_three_years_exactly_is_allowed(login_as):
    response = get(
        login_as, "city_supervisor", {"date_from": "2029-03-05", "date_to": "2032-03-04"}
    )
    assert response.status_code == 200
    assert response.context["f"].period == Period(date(2029, 3, 5), date(2032, 3, 4))
    assert not response.context["f"].errors


def test_the_trend_is_an_svg_chart_and_a_table(login_as, scenario):
    response = get(login_as, "city_supervisor")
    trend = response.context["trend"]
    assert len(trend) == 12
    assert trend[-1]["month"] == date(2032, 3, 1) and trend[0]["month"] == date(2031, 4, 1)
    by_month = {r["month"]: r for r in trend}
    # February: overdue, suspended, on time, late, county; two decisions
    assert by_month[date(2032, 2, 1)]["accepted"] == 5
    assert by_month[date(2032, 2, 1)]["decided"] == 2
    assert by_month[date(2032, 3, 1)]["accepted"] == 2
    page = response.content.decode()
    assert '<svg role="img" aria-label="' in page
    assert "<title>2032年2月 受理 5 件</title>" in page
    assert '<caption id="trend-caption">' in page
    assert '<th scope="row">2032年2月</th><td class="num">5</td><td class="num">2</td>' in page


def test_the_page_is_accessible_in_structure(login_as, scenario):
    page = get(login_as, "city_supervisor").content.decode()
    import re

    levels = [int(h) for h in re.findall(r"<h([1-6])[ >]", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert page.count("<table") == page.count("<caption") == page.count('class="table-scroll"')
    for label_for in ("id_date_from", "id_date_to"):
        assert f'<label for="{label_for}">' in page


def _messages(department, day, **statuses):
    """Outbox rows of `department` made on `day` (noon), `count` per status."""
    from hall.notifications.constants import Channel, Event
    from hall.notifications.models import Notification

    made = datetime(*day, 12, tzinfo=TZ)
    Notification.objects.bulk_create(
        Notification(
            center_id=department.center_id,
            department=department,
            channel=Channel.SMS,
            event=Event.ACCEPTED,
            recipient="13857012345",
            text="【衢州市行政服务中心】测试短信",
            idempotency_key=f"{department.pk}:{day}:{status}:{i}",
            status=status,
            created_at=made,
        )
        for status, count in statuses.items()
        for i in range(count)
    )


def _figure_row(page, day):
    """The numbers of one day's row of the figures table, in column order."""
    row = re.search(rf'<th scope="row">{day}</th>(.*?)</tr>', page).group(1)
    return re.findall(r'<td class="num">(?:<a [^>]*>)?([^<]*)', row)


def test_the_dashboard_carries_the_notification_figures(login_as, city_scjg, kc_scjg):
    """The panel counts the last fourteen days' messages in the user's scope,
    per day and in all, with the failure rate among those with a result."""
    _messages(city_scjg, TODAY, sent=2, failed=1)
    _messages(city_scjg, (2032, 3, 1), delivered=1, queued=1)
    _messages(city_scjg, (2032, 2, 10), failed=1)  # before the fourteen days
    _messages(kc_scjg, (2032, 3, 2), failed=1)

    city = get(login_as, "city_supervisor").content.decode()
    assert (
        "2032-02-20 至 2032-03-04：通知 <strong>6</strong> 条，发送失败 <strong>2</strong> 条。"
        in city
    )
    # 2 failed of 5 with a result (2 sent, 1 delivered, 2 failed); the queued one has none
    assert "失败率：<strong>40.0%</strong>" in city
    # date: total, delivered, sent, pending, failed, rate
    assert _figure_row(city, "2032-03-04") == ["3", "0", "2", "0", "1", "33.3%"]
    assert _figure_row(city, "2032-03-01") == ["2", "1", "0", "1", "0", "0.0%"]
    assert _figure_row(city, "2032-03-03") == ["0", "0", "0", "0", "0", "—"]
    assert "2032-02-10" not in city

    county = get(login_as, "kc_supervisor").content.decode()
    assert "通知 <strong>1</strong> 条，发送失败 <strong>1</strong> 条。" in county
    assert "失败率：<strong>100.0%</strong>" in county


def test_the_menu_shows_supervision_to_supervisors_only(login_as):
    landing = reverse("org:landing")
    assert "实时监督" in login_as("city_supervisor").get(landing).content.decode()


def test_the_menu_hides_supervision_from_clerks(login_as):
    landing = reverse("org:landing")
    assert "实时监督" not in login_as("scjg_clerk").get(landing).content.decode()


def test_due_soon_list_shows_remaining_working_days(login_as, scenario):
    page = get(login_as, "city_supervisor").content.decode()
    assert "剩 2 个工作日" in page  # Thu 4 → Mon 8 March
    # 23 Feb → 4 Mar: 24, 25, 26, 27 Feb, 1, 2, 3, 4 Mar
    assert "超期 8 个工作日" in page


@pytest.mark.parametrize("user", ["scjg_clerk", "kc_scjg_clerk", "scjg_admin", "zrzy_clerk"])
def test_clerks_get_404(login_as, user):
    assert get(login_as, user).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:login") + "?next=")


def test_department_rows_of_another_center_stay_out(login_as, scenario):
    # a county supervisor's department table lists only the county's departments
    response = get(login_as, "kc_supervisor")
    names = {r["name"] for r in response.context["groups"][1]["rows"]}
    assert names == {"柯城区市场监督管理局"}
    assert Department.objects.filter(name="衢州市市场监督管理局").exists()
