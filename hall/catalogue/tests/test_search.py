"""Search finds what people type: parts of names, pinyin, initials, aliases,
departments; ranked; safe with any input. Runs on SQLite and PostgreSQL."""

import pytest

from hall.catalogue.models import ServiceItem
from hall.catalogue.search import highlight, normalise_query, search_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(make_item, city_scjg, db):
    from hall.org.models import Department

    gaj = Department.objects.get(center=city_scjg.center, code="GAJ")
    base = ServiceItem.objects.filter(pk__in=[])
    made = {
        "licence": make_item(city_scjg, "企业营业执照设立登记", aliases="开公司、公司注册"),
        "food": make_item(city_scjg, "食品经营许可", aliases="餐饮许可证"),
        "yingye": make_item(city_scjg, "营业性演出许可"),
        "hukou": make_item(gaj, "户口迁移登记", aliases="迁户口", applicant_type="person"),
        "getihu": make_item(city_scjg, "个体工商户注册登记"),
        "exact": make_item(city_scjg, "营业"),
        "hidden": make_item(city_scjg, "营业执照注销（未发布）", is_published=False),
    }
    pks = [i.pk for i in made.values()]
    made["base"] = ServiceItem.objects.filter(pk__in=pks, is_published=True) | base
    return made


def names(result):
    return [h.item.name for h in result.hits]


def test_two_characters_find_every_name_containing_them_ranked(items):
    result = search_items("营业", base=items["base"])
    assert names(result)[0] == "营业"  # exact name first
    assert names(result)[1] == "营业性演出许可"  # then prefix
    assert "企业营业执照设立登记" in names(result)  # then substring
    assert "营业执照注销（未发布）" not in names(result)


def test_one_character_finds_items(items):
    result = search_items("户", base=items["base"])
    assert set(names(result)) == {"户口迁移登记", "个体工商户注册登记"}
    assert names(result)[0] == "户口迁移登记"  # prefix before substring


def test_full_pinyin_and_initials(items):
    assert names(search_items("yingyezhizhao", base=items["base"])) == ["企业营业执照设立登记"]
    assert names(search_items("yyzz", base=items["base"])) == ["企业营业执照设立登记"]
    assert names(search_items("YYZZ", base=items["base"])) == ["企业营业执照设立登记"]
    assert "食品经营许可" in names(search_items("spjy", base=items["base"]))


def test_aliases_and_department_names(items):
    assert names(search_items("开公司", base=items["base"])) == ["企业营业执照设立登记"]
    assert names(search_items("qianhukou", base=items["base"])) == ["户口迁移登记"]
    by_department = names(search_items("公安局", base=items["base"]))
    assert by_department == ["户口迁移登记"]


def test_alias_match_ranks_below_name_match(items, make_item, city_scjg):
    extra = make_item(city_scjg, "名称无关事项", aliases="食品经营")
    base = items["base"] | ServiceItem.objects.filter(pk=extra.pk)
    result = names(search_items("食品经营", base=base))
    assert result.index("食品经营许可") < result.index("名称无关事项")


def test_several_words_must_all_match(items):
    assert names(search_items("营业 登记", base=items["base"])) == ["企业营业执照设立登记"]


def test_demand_breaks_ties(make_item, city_scjg):
    # Two names that match 登记 equally well (a substring at the same place): the
    # one people ask for more comes first, though its code sorts after the other's;
    # however much it is asked for, it stays below a better match (a prefix).
    quiet = make_item(city_scjg, "甲类证照登记")
    wanted = make_item(city_scjg, "乙类证照登记")
    better = make_item(city_scjg, "登记证明补办")
    assert quiet.code < wanted.code
    ServiceItem.objects.filter(pk=wanted.pk).update(application_count=5000)
    base = ServiceItem.objects.filter(pk__in=[quiet.pk, wanted.pk, better.pk])
    assert names(search_items("登记", base=base)) == [
        "登记证明补办",
        "乙类证照登记",
        "甲类证照登记",
    ]


def test_typo_in_pinyin_is_forgiven(items):
    result = search_items("yingyezhizao", base=items["base"])
    assert result.corrected == "yingyezhizhao"
    assert names(result) == ["企业营业执照设立登记"]


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "😀🎉",
        "   ",
        "%",
        "_",
        "\\",
        "\x00",
    ],
    ids=["10k", "script", "sql", "emoji", "spaces", "percent", "underscore", "backslash", "nul"],
)
def test_hostile_queries_are_safe(items, query):
    result = search_items(query, base=items["base"])
    assert len(result.query) <= 50
    assert names(result) == []


def test_like_wildcards_are_literal(items):
    assert search_items("%", base=items["base"]).hits == []
    assert search_items("_", base=items["base"]).hits == []


def test_normalise_cuts_and_cleans():
    assert normalise_query("  营业  执照！ ") == "营业 执照"
    assert len(normalise_query("字" * 200)) == 50
    assert normalise_query(None) == ""


def test_highlight_escapes_and_marks():
    assert highlight("企业营业执照", ["营业"]) == "企业<mark>营业</mark>执照"
    assert highlight("<b>营业</b>", ["营业"]) == "&lt;b&gt;<mark>营业</mark>&lt;/b&gt;"
    assert highlight("ABC", ["b"]) == "A<mark>B</mark>C"
