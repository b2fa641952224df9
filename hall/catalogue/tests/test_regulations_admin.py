"""Departments maintain their own regulations and application forms in the back office."""

import pytest
from django.urls import reverse

from hall.catalogue.models import ApplicationField, Filing, Regulation
from hall.org.models import Department

pytestmark = pytest.mark.django_db


def regulation_form(**changes):
    data = {
        "title": "衢州市食品小作坊登记管理办法",
        "issuer": "衢州市市场监督管理局",
        "level": "normative",
        "doc_number": "衢市监〔2026〕1号",
        "promulgated_on": "2026-01-05",
        "effective_on": "2026-02-01",
        "in_force": "on",
        "summary": "",
        "articles-TOTAL_FORMS": 1,
        "articles-INITIAL_FORMS": 0,
        "articles-MIN_NUM_FORMS": 0,
        "articles-MAX_NUM_FORMS": 1000,
        "articles-0-number": "第一条",
        "articles-0-text": "为规范食品小作坊登记，制定本办法。",
        "articles-0-sort_order": 0,
    }
    data.update(changes)
    return data


def test_department_publishes_a_regulation_and_it_is_filed(login_as, city_scjg):
    response = login_as("scjg_admin").post(
        reverse("admin:catalogue_regulation_add"), regulation_form()
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    regulation = Regulation.objects.get(title="衢州市食品小作坊登记管理办法")
    assert regulation.department == city_scjg and regulation.center == city_scjg.center
    filing = Filing.objects.get(object_type="regulation", object_id=regulation.pk)
    assert filing.status == "pending" and filing.action == "create"
    assert regulation.articles.get().text == "为规范食品小作坊登记，制定本办法。"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "这个字段是必填项"),
        ({"level": "<script>"}, "选择一个有效的选项"),
        ({"promulgated_on": "2026-02-30"}, "日期"),
        ({"articles-0-number": ""}, "这个字段是必填项"),
    ],
)
def test_bad_regulation_input_saves_nothing(login_as, changes, message):
    before = (Regulation.objects.count(), Filing.objects.count())
    response = login_as("scjg_admin").post(
        reverse("admin:catalogue_regulation_add"), regulation_form(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Regulation.objects.count(), Filing.objects.count()) == before


def test_another_departments_regulation_is_404(login_as, city_scjg):
    zrzy = Department.objects.get(center=city_scjg.center, code="ZRZY")
    other = Regulation.objects.create(
        center=zrzy.center,
        department=zrzy,
        title="土地规章",
        issuer="衢州市自然资源和规划局",
        level="normative",
    )
    client = login_as("scjg_admin")
    url = reverse("admin:catalogue_regulation_change", args=[other.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, regulation_form(title="被改了")).status_code == 404
    other.refresh_from_db()
    assert other.title == "土地规章"


def test_application_field_rules(online_item):
    from django.core.exceptions import ValidationError

    field = ApplicationField(item=online_item, key="kind", label="类别", kind="choice", choices="")
    with pytest.raises(ValidationError) as exc:
        field.full_clean()
    assert "至少需要一个选项" in str(exc.value)
    field = ApplicationField(
        item=online_item, key="n", label="数量", kind="number", min_value=10, max_value=1
    )
    with pytest.raises(ValidationError) as exc:
        field.full_clean()
    assert "最小值不能大于最大值" in str(exc.value)
    field = ApplicationField(item=online_item, key="Bad Key!", label="x", kind="text")
    with pytest.raises(ValidationError):
        field.full_clean()
