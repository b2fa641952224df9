"""The figures' arithmetic on a hand-built set of counters, the months, and
the counters equal to a recount after the services and after the demo."""

from datetime import UTC, date

import pytest

from hall.cases.tests.factories import CaseFactory
from hall.ratings import demo, figures, stats
from hall.ratings.constants import Channel, Kind
from hall.ratings.models import Rating, RatingStat
from hall.ratings.services import rating_open_follow_up, rating_submit

pytestmark = pytest.mark.django_db

NOV, OCT = date(2026, 11, 1), date(2026, 10, 1)


def stat(item, month, clerk=0, **counts):
    return RatingStat.objects.create(
        month=month,
        center_id=item.center_id,
        department_id=item.department_id,
        item=item,
        clerk=clerk,
        **counts,
    )


@pytest.fixture
def hand_built(make_item, city_scjg, kc_scjg):
    """Two city items (one with two clerks), a county item, two months."""
    a = make_item(city_scjg, "甲事项")
    b = make_item(city_scjg, "乙事项")
    c = make_item(kc_scjg, "丙事项")
    stat(a, NOV, 7, finished=10, rated=8, level_5=5, level_4=1, level_3=1, level_2=1)
    stat(a, NOV, 8, finished=5, rated=4, level_5=2, level_1=2, tasks_opened=3, tasks_closed=2)
    stat(b, NOV, 7, finished=3)  # finished, nothing rated
    stat(a, OCT, 7, finished=4, rated=4, level_4=4, tasks_closed=2, tasks_on_time=1)
    stat(c, NOV, 9, finished=6, rated=3, level_5=3)
    return a, b, c


def test_the_rates_of_a_hand_built_set(hand_built, city_scjg):
    a, b, _c = hand_built
    city_nov = figures.public(department=city_scjg).filter(month=NOV)
    t = figures.total(city_nov)
    assert (t["finished"], t["rated"], t["satisfied"], t["bad"]) == (18, 12, 9, 3)
    assert t["levels"] == [7, 1, 1, 1, 2]
    assert t["participation"] == round(100 * 12 / 18, 1) == 66.7
    assert t["satisfaction"] == 75.0
    assert t["bad_rate"] == 25.0
    assert t["on_time_rate"] == 0.0  # two closed, none on time
    rows = {r["item_id"]: r for r in figures.item_rows(city_nov)}
    assert rows[a.pk]["rated"] == 12 and rows[a.pk]["participation"] == 80.0
    # nothing rated: no satisfaction and no bad rate, never 0 %
    assert rows[b.pk]["participation"] == 0.0
    assert rows[b.pk]["satisfaction"] is None and rows[b.pk]["bad_rate"] is None
    assert rows[b.pk]["on_time_rate"] is None


def test_groups_add_up_to_the_total(hand_built):
    qs = RatingStat.objects.filter(month=NOV)
    t = figures.total(qs)
    for rows in (
        figures.center_rows(qs),
        figures.department_rows(qs),
        figures.item_rows(qs),
        figures.clerk_rows(qs),
    ):
        for counter in ("finished", "rated", "bad", "level_5", "tasks_closed"):
            assert sum(r[counter] for r in rows) == t[counter]


def test_the_trend_has_every_month_newest_first_with_zeros(hand_built):
    a, _b, _c = hand_built
    months = figures.months_between(date(2026, 9, 1), NOV)
    rows = figures.trend(figures.public(item=a), months)
    assert [r["month"] for r in rows] == [NOV, OCT, date(2026, 9, 1)]
    assert [r["finished"] for r in rows] == [15, 4, 0]
    assert rows[1]["on_time_rate"] == 50.0
    assert rows[2]["participation"] is None


def test_an_empty_set_has_no_rates():
    t = figures.total(RatingStat.objects.none())
    assert t["finished"] == t["rated"] == 0
    assert t["participation"] is t["satisfaction"] is t["bad_rate"] is t["on_time_rate"] is None


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-11", NOV),
        (" 2026-01 ", date(2026, 1, 1)),
        ("2026-13", None),
        ("2026-00", None),
        ("1999-12", None),
        ("2100-01", None),
        ("２０２６-11", None),  # full-width digits
        ("2026-1", None),
        ("2026-11-01", None),
        ("<script>", None),
        ("a\x00b", None),
        ("9" * 10_000, None),
        (None, None),
    ],
)
def test_parse_month(raw, expected):
    assert figures.parse_month(raw) == expected


def test_months():
    assert figures.add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert figures.add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert figures.last_full_month(date(2026, 3, 31)) == date(2026, 2, 1)
    assert len(figures.months_between(date(2025, 12, 1), NOV)) == 12


def test_the_counters_equal_a_recount_after_a_sequence_of_services(online_item):
    done = [CaseFactory.create(item=online_item, completed=True) for _ in range(3)]
    refused = CaseFactory.create(item=online_item, not_accepted=True)
    rejected = CaseFactory.create(item=online_item, rejected=True)
    CaseFactory.create(item=online_item, accepted=True)  # running: not counted
    for case, level in ((done[0], 5), (done[1], 4), (refused, 3)):
        rating_submit(case=case, kind=Kind.FINISHED, level=level, channel=Channel.WEB)
    bad = rating_submit(
        case=rejected, kind=Kind.FINISHED, level=1, tags=["attitude"], channel=Channel.SMS
    )
    rating_open_follow_up(rating=bad, actor=None)
    rating_submit(case=rejected, kind=Kind.FOLLOW_UP, level=2, comment="仍不满意", channel="sms")
    assert stats.recount() == stats.stored()
    t = figures.total(RatingStat.objects.all())
    assert (t["finished"], t["rated"], t["bad"], t["follow_ups"]) == (5, 4, 1, 1)
    assert t["follow_ups_satisfied"] == 0


def test_the_demo_rates_most_finished_cases_and_loads_once(online_item):
    cases = [CaseFactory.create(item=online_item, completed=True) for _ in range(12)]
    cases += [CaseFactory.create(item=online_item, rejected=True) for _ in range(3)]
    CaseFactory.create(item=online_item, accepted=True)
    already = rating_submit(case=cases[0], kind=Kind.FINISHED, level=2, comment="慢", channel="web")
    first = demo.load()
    ratings = list(Rating.objects.order_by("pk").values_list("case_id", "level", "channel"))
    assert Rating.objects.get(case=cases[0]) == already  # a rated case is left alone
    assert 1 <= first["ratings"] <= 15 and first["new"] == first["ratings"] - 1
    assert {c for c, _l, _ch in ratings} <= {c.pk for c in cases}
    assert stats.recount() == stats.stored()
    counters = stats.stored()
    again = demo.load()
    assert again["new"] == 0
    assert list(Rating.objects.order_by("pk").values_list("case_id", "level", "channel")) == ratings
    assert stats.stored() == counters


def test_the_demo_spread_is_realistic():
    """On the demo's own rule, over many ids: about 85 % rated, mostly good,
    a few per cent bad, every bad one with a tag and a comment."""
    from datetime import datetime

    now = datetime(2026, 12, 1, tzinfo=UTC)
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    found = [demo._rating_for(pk, "online", "completed", moment, now) for pk in range(1, 20001)]
    rated = [f for f in found if f is not None]
    assert 0.83 < len(rated) / len(found) < 0.87
    levels = [f[0] for f in rated]
    assert 0.85 < sum(lv >= 4 for lv in levels) / len(levels) < 0.93
    bad = [f for f in rated if f[0] <= 2]
    assert 0.03 < len(bad) / len(rated) < 0.07
    assert all(f[1] and f[2] for f in bad)
    assert {f[3] for f in rated} == {Channel.WEB, Channel.SMS}
    walk_in = [demo._rating_for(pk, "walk_in", "completed", moment, now) for pk in range(1, 200)]
    assert {f[3] for f in walk_in if f} == {Channel.QR, Channel.SMS}


def test_the_migration_grants_the_figures_to_the_three_roles():
    from django.apps import apps
    from django.contrib.auth.models import Permission

    from hall.org.migration_rights import grant_default_rights
    from hall.org.models import Role

    right = Permission.objects.get(content_type__app_label="ratings", codename="view_rating")
    for role in Role.objects.all():
        role.permissions.remove(right)
    config = apps.get_app_config("ratings")
    models_module = config.models_module
    grant_default_rights("ratings")(apps, None)
    holders = set(Role.objects.filter(permissions=right).values_list("code", flat=True))
    assert holders == {"center_admin", "supervisor", "department_admin"}
    # the project's registry is left as it was: a flush's post_migrate still
    # makes this app's rights
    assert config.models_module is models_module


def test_the_migration_grants_on_an_existing_hall_from_the_migration_state():
    # As `migrate` runs it on a hall whose roles exist: the state's app configs
    # are stubs without a models module.
    from django.contrib.auth.models import Permission
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from hall.org.migration_rights import grant_default_rights
    from hall.org.models import Role

    right = Permission.objects.get(content_type__app_label="ratings", codename="view_rating")
    for role in Role.objects.all():
        role.permissions.remove(right)
    state_apps = MigrationLoader(connection).project_state().apps
    grant_default_rights("ratings")(state_apps, None)
    holders = set(Role.objects.filter(permissions=right).values_list("code", flat=True))
    assert holders == {"center_admin", "supervisor", "department_admin"}


def test_the_bench_rates_every_finished_case_it_takes(online_item):
    cases = [CaseFactory.create(item=online_item, completed=True) for _ in range(6)]
    assert demo.bulk(4) == 4
    assert set(Rating.objects.values_list("case_id", flat=True)) == {c.pk for c in cases[:4]}
    assert demo.bulk(10) == 2
    assert stats.recount() == stats.stored()
