"""The assessment of a small known data set, worked out by hand, and the
published result frozen against data that moves on."""

from decimal import Decimal

from django.core.cache import cache

from hall.assessment import scoring, selectors, services
from hall.assessment.constants import UnitKind
from hall.assessment.selectors import Unit

from .conftest import make_case


def _rows(result):
    return {u["name"]: u for u in result["units"]}


def _scores(result, scheme):
    ids = {i.name: str(i.pk) for i in scheme.indicators.all()}
    return {
        name: {ind: row["figures"][pk]["score"] for ind, pk in ids.items()}
        for name, row in _rows(result).items()
    }


def test_the_known_data_set_gives_the_figures_worked_out_by_hand(world, scheme):
    a = Unit(UnitKind.DEPARTMENT, world.a.pk, world.a.name)
    c = Unit(UnitKind.CENTER, world.county.pk, world.county.name)
    services.external_set(actor=world.admin, scheme=scheme, unit=a, value="90")
    services.external_set(actor=world.admin, scheme=scheme, unit=c, value="80")
    services.adjustment_add(actor=world.admin, scheme=scheme, unit=a, points="1.5", reason="获表彰")
    result = selectors.compute_result(scheme, refresh=True)
    rows = _rows(result)
    ind = {i.name: str(i.pk) for i in scheme.indicators.all()}
    figures = rows["测试市甲局"]["figures"]
    # 甲局: guides 100 and 10 → 55; 1 of 2 items at depth ≥ 3; online c1 (round 1)
    # and c2 (round 3) → 1 of 2 first pass; both pre-reviewed within a working day
    # of their last submission; decided c1, c3 on time, c2 late; ratings 5, 4, 1;
    # one accepted complaint; 4 filings, 1 returned; usage 8 of 10.
    assert figures[ind["指南完整度"]]["value"] == 55
    assert figures[ind["网办事项占比"]]["value"] == 50
    assert figures[ind["一次补正内受理"]]["value"] == 50
    assert figures[ind["按时预审"]]["value"] == 100
    assert figures[ind["按时办结"]]["value"] == 66.67
    assert figures[ind["按时办结"]]["counts"] == {"decided": 3, "on_time": 2, "late": 1}
    assert figures[ind["满意率"]]["value"] == 66.67
    assert figures[ind["投诉"]]["value"] == 1
    assert figures[ind["备案合格"]]["value"] == 75
    assert figures[ind["使用率"]]["value"] == 80
    assert _scores(result, scheme)["测试市甲局"] == {
        "指南完整度": "11.00",  # 20 × 55/100
        "网办事项占比": "6.25",  # 10 × 50/80
        "一次补正内受理": "5.00",
        "按时预审": "10.00",
        "按时办结": "13.33",  # 20 × 66.67/100
        "满意率": "6.67",
        "投诉": "0.00",  # target 0, one complaint
        "备案合格": "3.75",
        "使用率": "4.00",
    }
    assert rows["测试市甲局"]["hall"] == "60.00"
    assert rows["测试市甲局"]["hall_part"] == "12.00"  # 60 × 20 %
    assert rows["测试市甲局"]["external_part"] == "72.00"  # 90 × 80 %
    assert rows["测试市甲局"]["total"] == "85.50"  # + 1.5
    # 乙局 has nothing to count: no deduction anywhere, no external figure yet
    assert rows["测试市乙局"]["hall"] == "100.00"
    assert rows["测试市乙局"]["external"] is None
    assert rows["测试市乙局"]["total"] == "20.00"
    # the county center's hall: its item (depth 3, full guide) and its one case on time
    assert rows["测试县行政服务中心"]["hall"] == "100.00"
    assert rows["测试县行政服务中心"]["total"] == "84.00"
    departments, centers = selectors.split(result)
    assert [(u["name"], u["rank"]) for u in departments] == [("测试市甲局", 1), ("测试市乙局", 2)]
    assert [(u["name"], u["rank"]) for u in centers] == [("测试县行政服务中心", 1)]


def test_scoring_rules():
    assert scoring.indicator_score(50, weight="10", target="80", direction="higher") == Decimal(
        "6.25"
    )
    assert scoring.indicator_score(120, weight="10", target="80", direction="higher") == Decimal(
        "10.00"
    )
    assert scoring.indicator_score(None, weight="10", target="80", direction="higher") == Decimal(
        "10.00"
    )
    assert scoring.indicator_score(4, weight="10", target="2", direction="lower") == Decimal("5.00")
    assert scoring.indicator_score(2, weight="10", target="2", direction="lower") == Decimal(
        "10.00"
    )
    rows = [
        {"name": "a", "total": "80"},
        {"name": "b", "total": "90"},
        {"name": "c", "total": "80"},
    ]
    scoring.rank(rows)
    assert [(r["name"], r["rank"]) for r in rows] == [("b", 1), ("a", 2), ("c", 2)]


def test_a_published_year_is_unchanged_after_new_cases(world, scheme):
    services.scheme_publish(actor=world.admin, scheme=scheme)
    scheme.refresh_from_db()
    before = selectors.result_of(scheme)
    # the data moves on: two more late decisions of 甲局 in the assessed year
    for _ in range(2):
        make_case(
            world.item_a,
            channel="walk_in",
            accepted="2024-07-01",
            decided="2024-08-30",
            due="2024-07-10",
        )
    cache.clear()
    scheme.refresh_from_db()
    assert selectors.result_of(scheme) == before
    on_time = str(scheme.indicators.get(name="按时办结").pk)
    a = _rows(before)["测试市甲局"]
    assert a["figures"][on_time]["counts"]["decided"] == 3
    # a dry run over today's data would have seen them
    dry = _rows(selectors.compute_result(scheme, refresh=True))["测试市甲局"]
    assert dry["figures"][on_time]["counts"]["decided"] == 5


def test_the_late_cases_behind_the_on_time_rate(world, scheme):
    a = Unit(UnitKind.DEPARTMENT, world.a.pk, world.a.name)
    what, rows = selectors.behind(scheme, a, scheme.indicators.get(name="按时办结"))
    assert what == "late_cases"
    assert list(rows) == [world.cases["c2"]]
    what, rows = selectors.behind(scheme, a, scheme.indicators.get(name="一次补正内受理"))
    assert list(rows) == [world.cases["c2"]]


def test_practice_cases_never_count_in_the_assessment(world, scheme):
    from hall.cases.models import Case
    from hall.core import practice

    before = _rows(selectors.compute_result(scheme, refresh=True))
    # a clerk's practice cases of 甲局 in the assessed year: late ones, which
    # would lower its on-time rate if they counted
    with practice.acting_for(world.admin.pk):
        for _ in range(3):
            case = make_case(
                world.item_a,
                channel="walk_in",
                accepted="2024-07-01",
                decided="2024-08-30",
                due="2024-07-10",
            )
            assert case.practice_of_id == world.admin.pk
    assert Case.all_objects.filter(practice_of=world.admin).count() == 3
    cache.clear()
    assert _rows(selectors.compute_result(scheme, refresh=True)) == before
