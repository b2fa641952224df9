"""The staff pages and every refused input: a clear Chinese message (or a 404),
and nothing saved is changed."""

import pytest
from django.urls import reverse

from hall.assessment.models import Adjustment, ExternalScore, Indicator, Scheme
from hall.core.models import AuditEntry

from .conftest import YEAR


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin, backend="hall.org.backends.StaffBackend")
    return client


def _unit_url(scheme, name, kind, pk):
    return reverse(f"assessment:{name}", kwargs={"pk": scheme.pk, "kind": kind, "unit": pk})


def _state(scheme):
    return (
        list(Indicator.objects.filter(scheme=scheme).values_list("name", "weight", "target")),
        list(ExternalScore.objects.filter(scheme=scheme).values_list("unit_id", "value")),
        list(Adjustment.objects.filter(scheme=scheme).values_list("points", "reason")),
        Scheme.objects.get(pk=scheme.pk).status,
    )


def test_the_pages_of_a_dry_run(admin_client, world, scheme):
    for url in (
        reverse("assessment:list"),
        reverse("assessment:scheme", kwargs={"pk": scheme.pk}),
        reverse("assessment:results", kwargs={"pk": scheme.pk}),
        reverse("assessment:report", kwargs={"pk": scheme.pk}),
        _unit_url(scheme, "unit", "department", world.a.pk),
        _unit_url(scheme, "unit", "center", world.county.pk),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    page = admin_client.get(
        reverse("assessment:results", kwargs={"pk": scheme.pk})
    ).content.decode()
    assert "试算结果" in page and "测试市甲局" in page
    behind = reverse(
        "assessment:behind",
        kwargs={
            "pk": scheme.pk,
            "kind": "department",
            "unit": world.a.pk,
            "indicator": scheme.indicators.get(name="按时办结").pk,
        },
    )
    page = admin_client.get(behind).content.decode()
    assert reverse("cases:staff_case", kwargs={"pk": world.cases["c2"].pk}) in page
    assert reverse("cases:staff_case", kwargs={"pk": world.cases["c1"].pk}) not in page
    export = admin_client.get(reverse("assessment:export", kwargs={"pk": scheme.pk}))
    assert export.status_code == 200
    assert b"".join(export.streaming_content)[:2] == b"PK"


def _post(client, url, data, scheme, message):
    before = _state(scheme)
    response = client.post(url, data)
    assert response.status_code == 400, response.status_code
    assert message in response.content.decode()
    assert _state(scheme) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "超重", "formula": "usage", "weight": "1", "target": "1"},
            "权重合计不能超过 100 分",
        ),
        ({"name": "负数", "formula": "usage", "weight": "-5", "target": "1"}, "权重应在"),
        ({"name": "文字", "formula": "usage", "weight": "五", "target": "1"}, "权重应为数字"),
        ({"name": "目标", "formula": "usage", "weight": "1", "target": "-1"}, "目标值应在"),
        ({"name": "目标", "formula": "usage", "weight": "1", "target": "abc"}, "目标值应为数字"),
        ({"name": "", "formula": "usage", "weight": "1", "target": "1"}, "请填写指标名称"),
        (
            {"name": "长" * 10_000, "formula": "usage", "weight": "1", "target": "1"},
            "不能超过 100 个字",
        ),
        (
            {"name": "公式", "formula": "drop_table", "weight": "1", "target": "1"},
            "请选择系统提供的计算公式",
        ),
    ],
)
def test_bad_indicators_are_refused(admin_client, scheme, data, message):
    # the scheme's weights already total 100: any weight at all is too much
    if "权重合计" not in message:
        scheme.indicators.filter(name="使用率").delete()
    _post(
        admin_client,
        reverse("assessment:indicator_add", kwargs={"pk": scheme.pk}),
        data,
        scheme,
        message,
    )


def test_a_name_with_script_tags_is_shown_as_text(admin_client, scheme):
    scheme.indicators.filter(name="使用率").delete()
    name = "<script>alert(1)</script>"
    response = admin_client.post(
        reverse("assessment:indicator_add", kwargs={"pk": scheme.pk}),
        {"name": name, "formula": "usage", "weight": "5", "target": "90"},
    )
    assert response.status_code == 302
    page = admin_client.get(reverse("assessment:scheme", kwargs={"pk": scheme.pk})).content.decode()
    assert name not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "其他考核得分应在 0 到 100 之间"),
        ("101", "其他考核得分应在"),
        ("九十", "其他考核得分应为数字"),
        ("", "其他考核得分应为数字"),
        ("NaN", "其他考核得分应为数字"),
    ],
)
def test_bad_external_figures_are_refused(admin_client, world, scheme, value, message):
    url = _unit_url(scheme, "external", "department", world.a.pk)
    _post(admin_client, url, {"value": value}, scheme, message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"points": "2", "reason": ""}, "请填写调整理由"),
        ({"points": "2", "reason": "   "}, "请填写调整理由"),
        ({"points": "2", "reason": "理" * 10_000}, "调整理由不能超过 500 个字"),
        ({"points": "0", "reason": "无"}, "调整分值不能为 0"),
        ({"points": "50", "reason": "太多"}, "调整分值应在 -20 到 20 之间"),
        ({"points": "abc", "reason": "文字"}, "调整分值应为数字"),
    ],
)
def test_bad_adjustments_are_refused(admin_client, world, scheme, data, message):
    url = _unit_url(scheme, "adjust", "department", world.a.pk)
    _post(admin_client, url, data, scheme, message)


def test_an_adjustment_with_a_reason_is_audited(admin_client, world, scheme):
    url = _unit_url(scheme, "adjust", "department", world.a.pk)
    response = admin_client.post(url, {"points": "-1.5", "reason": "<b>迟报</b>材料"})
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="assessment.adjust").latest("pk")
    assert entry.data == {
        "unit": f"department:{world.a.pk}",
        "points": "-1.50",
        "reason": "<b>迟报</b>材料",
    }
    page = admin_client.get(_unit_url(scheme, "unit", "department", world.a.pk)).content.decode()
    assert "&lt;b&gt;迟报&lt;/b&gt;材料" in page


def test_a_published_year_refuses_every_change(admin_client, world, scheme):
    indicator = scheme.indicators.first()
    admin_client.post(reverse("assessment:publish", kwargs={"pk": scheme.pk}))
    scheme.refresh_from_db()
    assert scheme.is_published
    frozen = (scheme.snapshot, _state(scheme))
    message = f"{YEAR} 年度考核已发布，不能再修改"
    for url, data in (
        (
            reverse("assessment:indicator_add", kwargs={"pk": scheme.pk}),
            {"name": "新", "formula": "usage", "weight": "1", "target": "1"},
        ),
        (
            reverse(
                "assessment:indicator_delete", kwargs={"pk": scheme.pk, "indicator": indicator.pk}
            ),
            {},
        ),
        (
            reverse(
                "assessment:indicator_edit", kwargs={"pk": scheme.pk, "indicator": indicator.pk}
            ),
            {"name": "改", "formula": "usage", "weight": "1", "target": "1"},
        ),
        (_unit_url(scheme, "external", "department", world.a.pk), {"value": "99"}),
        (_unit_url(scheme, "adjust", "department", world.a.pk), {"points": "3", "reason": "再调"}),
        (reverse("assessment:publish", kwargs={"pk": scheme.pk}), {}),
    ):
        response = admin_client.post(url, data)
        assert response.status_code == 400, url
        assert message in response.content.decode(), url
    scheme.refresh_from_db()
    assert (scheme.snapshot, _state(scheme)) == frozen


def test_weights_must_total_100_to_publish(admin_client, scheme):
    scheme.indicators.filter(name="使用率").delete()
    _post(
        admin_client,
        reverse("assessment:publish", kwargs={"pk": scheme.pk}),
        {},
        scheme,
        "应恰好为 100 分，请调整后再发布",
    )


def test_another_centers_unit_or_scheme_is_not_found(
    admin_client, client, world, scheme, city_scjg
):
    # a department of another center, and a county's department as a unit of the city
    for kind, pk in (
        ("department", city_scjg.pk),
        ("department", world.c.pk),
        ("center", world.city.pk),
        ("window", world.a.pk),
    ):
        assert admin_client.get(_unit_url(scheme, "unit", kind, pk)).status_code == 404
        assert (
            admin_client.post(_unit_url(scheme, "external", kind, pk), {"value": "1"}).status_code
            == 404
        )
    # the county's admin sees neither the city's scheme nor its units
    client.force_login(world.county_admin, backend="hall.org.backends.StaffBackend")
    assert client.get(reverse("assessment:results", kwargs={"pk": scheme.pk})).status_code == 404
    assert client.get(_unit_url(scheme, "unit", "center", world.county.pk)).status_code == 404
    before = _state(scheme)
    assert (
        client.post(
            _unit_url(scheme, "adjust", "center", world.county.pk),
            {"points": "5", "reason": "自己加分"},
        ).status_code
        == 404
    )
    assert _state(scheme) == before


def test_a_year_twice_or_out_of_range_is_refused(admin_client, scheme):
    for year, message in (
        (str(YEAR), "年度的考核方案已经存在"),
        ("1900", "考核年度应在"),
        ("abcd", "考核年度应为四位数的年份"),
    ):
        response = admin_client.post(reverse("assessment:create"), {"year": year})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Scheme.objects.filter(center=scheme.center).count() == 1


def test_the_external_figures_from_excel(admin_client, world, scheme):
    import io

    from openpyxl import Workbook

    def upload(rows):
        book = Workbook()
        sheet = book.active
        sheet.title = "其他考核得分"
        sheet.append(["考核对象", "其他考核得分"])
        for row in rows:
            sheet.append(row)
        data = io.BytesIO()
        book.save(data)
        data.seek(0)
        data.name = "得分.xlsx"
        return admin_client.post(
            reverse("assessment:external_import", kwargs={"pk": scheme.pk}), {"file": data}
        )

    before = _state(scheme)
    response = upload([["测试市甲局", 91], ["别处的局", 80]])
    assert response.status_code == 400 and "不是本次考核的部门" in response.content.decode()
    assert _state(scheme) == before
    response = upload([["测试市甲局", 91], ["测试县行政服务中心", 88.5]])
    assert response.status_code == 302
    assert sorted(ExternalScore.objects.filter(scheme=scheme).values_list("value", flat=True)) == [
        88.5,
        91,
    ]
