import pytest

from hall.ratings.constants import Channel, Kind
from hall.ratings.services import rating_submit


@pytest.fixture
def rate():
    def give(case, level=2, kind=Kind.FINISHED, tags=None, comment="材料要求不清楚，跑了两趟"):
        if tags is None:
            tags = ["unclear_materials"] if level <= 2 and kind == Kind.FINISHED else []
        return rating_submit(
            case=case, kind=kind, level=level, tags=tags, comment=comment, channel=Channel.WEB
        )

    return give


@pytest.fixture
def bad_task(make_case, rate):
    """A completed case of the city's 市场监管局, rated 不满意: its task."""
    rating = rate(make_case("completed"), 2)
    return rating.rectification
