"""The rating service: finished cases only, one per case and kind, never from a
staff session, bad input refused with nothing saved, counters equal a recount."""

import pytest

from hall.cases.tests.factories import CaseFactory
from hall.ratings import stats, tokens
from hall.ratings.constants import Channel, Kind
from hall.ratings.errors import RatingError, RatingForbidden
from hall.ratings.models import Rating, RatingStat
from hall.ratings.services import rating_open_follow_up, rating_submit

pytestmark = pytest.mark.django_db


def rate(case, level=5, **extra):
    return rating_submit(
        case=case, kind=extra.pop("kind", Kind.FINISHED), level=level, channel=Channel.WEB, **extra
    )


@pytest.mark.parametrize("trait", ["completed", "rejected", "not_accepted"])
def test_a_finished_case_takes_one_rating(online_item, trait):
    case = CaseFactory.create(item=online_item, **{trait: True})
    rating = rate(case, 4, tags=["quick"], comment="很快")
    assert (rating.level, rating.tags, rating.department_id) == (4, ["quick"], case.department_id)
    with pytest.raises(RatingError, match="已经评价过"):
        rate(case, 1, tags=["attitude"])
    assert list(Rating.objects.values_list("level", flat=True)) == [4]


@pytest.mark.parametrize("trait", ["submitted", "accepted", "approved", "withdrawn"])
def test_a_case_not_finished_cannot_be_rated(online_item, trait):
    case = CaseFactory.create(item=online_item, **{trait: True})
    with pytest.raises(RatingError, match="尚未办结"):
        rate(case)
    assert not Rating.objects.exists()


def test_no_staff_session_can_rate(online_item, user_named):
    case = CaseFactory.create(item=online_item, completed=True)
    with pytest.raises(RatingForbidden):
        rate(case, actor=user_named("scjg_clerk"))
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "level, tags, comment, message",
    [
        (0, [], "", "请选择评价等级"),
        ("5; DROP TABLE", [], "", "请选择评价等级"),
        (5, ["attitude"], "", "不属于该评价等级"),
        (5, "quick", "", "格式不正确"),
        (2, [], "", "不满意的原因"),
        (5, [], "长" * 501, "不能超过"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(online_item, level, tags, comment, message):
    case = CaseFactory.create(item=online_item, completed=True)
    before = stats.stored()
    with pytest.raises(RatingError, match=message):
        rate(case, level, tags=tags, comment=comment)
    assert not Rating.objects.exists()
    assert stats.stored() == before


def test_a_follow_up_only_after_the_rectification_answered(online_item):
    case = CaseFactory.create(item=online_item, completed=True)
    first = rate(case, 1, tags=["many_visits"])
    with pytest.raises(RatingError, match="暂无可追评"):
        rate(case, 4, kind=Kind.FOLLOW_UP)
    rating_open_follow_up(rating=first, actor=None)
    follow_up = rate(case, 4, kind=Kind.FOLLOW_UP)
    assert follow_up.follows == first
    with pytest.raises(RatingError, match="已经评价过"):
        rate(case, 5, kind=Kind.FOLLOW_UP)


def test_the_counters_equal_a_recount(online_item):
    cases = [CaseFactory.create(item=online_item, completed=True) for _ in range(3)]
    rate(cases[0], 5)
    bad = rate(cases[1], 2, comment="材料说明不清楚")
    rating_open_follow_up(rating=bad, actor=None)
    rate(cases[1], 3, kind=Kind.FOLLOW_UP)
    (row,) = RatingStat.objects.all()
    counted = (row.finished, row.rated, row.level_5, row.level_2, row.follow_ups)
    assert counted == (3, 2, 1, 1, 1)
    assert row.follow_ups_satisfied == 1
    assert stats.stored() == stats.recount()


def test_a_rating_link_is_signed_and_expires(time_machine):
    time_machine.move_to("2026-12-01 09:00 +0800", tick=False)
    token = tokens.make(42, Kind.FINISHED)
    assert tokens.read(token) == (42, Kind.FINISHED)
    assert tokens.read(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert tokens.read(token.replace("42.", "43.", 1)) is None
    assert tokens.read("../../etc/passwd") is None
    time_machine.shift(61 * 86400)
    assert tokens.read(token) is None
