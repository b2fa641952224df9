"""The column index: the item search's rules, time windows, rebuilds on change."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hall.core import textsearch
from hall.core.textsearch import Entry, TextIndex, search_text

ROWS = []


def _load():
    return list(ROWS)


@pytest.fixture
def index(db):
    now = timezone.now()
    ROWS[:] = [
        Entry(
            1,
            "关于促进民营经济发展的若干意见",
            search_text("关于促进民营经济发展的若干意见", plain=["衢政发〔2012〕15号"]),
            newest=1,
        ),
        Entry(
            2,
            "食品经营许可办理指引",
            search_text("食品经营许可办理指引", pinyin=["市场监督管理局"]),
            newest=2,
        ),
        Entry(
            3,
            "经济普查工作通知",
            search_text("经济普查工作通知"),
            newest=3,
            shown_from=now + timedelta(days=1),
        ),
        Entry(
            4,
            "过期的经济公告",
            search_text("过期的经济公告"),
            newest=4,
            shown_until=now - timedelta(seconds=1),
        ),
    ]
    idx = TextIndex("test-column", _load, title="测试")
    idx.changed()
    yield idx
    textsearch._REGISTRY.pop("test-column", None)


def pks(found):
    return [h.entry.pk for h in found.hits]


def test_one_and_two_characters_pinyin_initials_and_plain_fields(index):
    assert pks(index.search("食")) == [2]
    assert pks(index.search("经济")) == [1]  # 3 is not shown yet, 4 has expired
    assert pks(index.search("shipin")) == [2]
    assert pks(index.search("spjy")) == [2]
    assert pks(index.search("15号")) == [1]
    assert pks(index.search("scjd")) == [2]
    assert index.search("").total == 0 and index.search("！？").hits == []


def test_time_window_is_checked_at_query_time(index):
    later = timezone.now() + timedelta(days=2)
    assert pks(index.search("经济", now=later)) == [
        3,
        1,
    ]  # a title prefix outranks a later match


def test_total_counts_all_and_limit_cuts_hits(index):
    found = index.search("许可 指引", limit=None)
    assert found.total == 1 and pks(found) == [2]
    found = index.search("g", limit=1)
    assert found.total >= 2 and len(found.hits) == 1


def test_a_change_rebuilds_and_where_filters(index):
    assert pks(index.search("食品")) == [2]
    ROWS.append(Entry(5, "食品安全抽检公告", search_text("食品安全抽检公告"), newest=5))
    assert pks(index.search("食品")) == [2]  # the process copy until the column changes
    index.changed()
    assert pks(index.search("食品")) == [5, 2]  # both title prefixes: the newest first
    assert pks(index.search("许可")) == [2]
    assert pks(index.search("食品", where=lambda e: e.pk == 5)) == [5]


def test_the_index_is_registered_for_the_grouped_search(index):
    assert index in textsearch.indexes()
    assert str(textsearch.highlight("食品<b>", ["食品"])) == "<mark>食品</mark>&lt;b&gt;"


def test_one_term_ranking_by_tiers_agrees_with_scoring_every_entry(db):
    import random

    from hall.core.textsearch import _best_of_one, _score

    rng = random.Random(7)
    words = ["食品", "经营", "许可", "市场", "登记", "衢州市", "建设", "规划", "公示"]
    rows = []
    for pk in range(1, 400):
        title = "".join(rng.sample(words, rng.randint(1, 4)))
        rows.append(
            Entry(pk, title, search_text(title, pinyin=["市场监管"]), newest=rng.randint(0, 30))
        )
    rows.sort(key=lambda e: (e.newest, -e.pk), reverse=True)
    for term in ["食", "食品", "市", "shi", "sp", "gs", "jian", "衢州市", "许可登记"[:2]]:
        found = [e for e in rows if term in e.text]
        expected = sorted(((_score(term, e), e.newest, -e.pk, e) for e in found), reverse=True)
        for limit in (1, 5, 20, 100, 400):
            got = [(s, e.pk) for s, e in _best_of_one(found, term, limit)]
            assert got == [(r[0], r[3].pk) for r in expected[:limit]], (term, limit)
