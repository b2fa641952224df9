"""What the applicant reads after looking a case up: the promised date, the result
and how to get it, and the current step first."""

import pytest
from django.test import Client
from django.urls import reverse

from hall.cases.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roomy_limits(settings):
    settings.LOOKUP_LIMIT_PER_CLIENT = (50, 86400)
    settings.LOOKUP_LIMIT_PER_NUMBER = (50, 86400)


def status_page(case) -> str:
    client = Client()
    response = client.post(
        reverse("cases:track"), {"number": case.query_number, "phone": case.phone}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response["Location"]).content.decode()


def test_accepted_case_shows_its_promised_date(make_case):
    case = make_case("accepted")
    page = status_page(case)
    assert "承诺办结日期" in page
    assert f"{case.promised_due.year}年{case.promised_due.month}月{case.promised_due.day}日" in page


def test_provisional_promised_date_says_so(make_case):
    case = make_case("accepted")
    type(case).objects.filter(pk=case.pk).update(deadline_provisional=True)
    assert "暂定：该年度节假日安排尚未公布" in status_page(case)


def test_submitted_case_has_no_promised_date_yet(make_case):
    assert "承诺办结日期" not in status_page(make_case())


def test_completed_case_shows_the_result_and_how_to_collect_it(make_case):
    case = make_case("completed")
    case.item.place = "衢州市行政服务中心二楼 市场监管窗口"
    case.item.result_name = "食品经营许可证"
    case.item.save(update_fields=["place", "result_name"])
    page = status_page(case)
    assert case.certificate_number and case.certificate_number in page
    assert "食品经营许可证" in page
    assert "窗口领取" in page
    assert "到 衢州市行政服务中心二楼 市场监管窗口 领取办理结果" in page


def test_posted_result_names_the_address(make_case):
    case = make_case("completed")
    type(case).objects.filter(pk=case.pk).update(
        delivery="post", address="衢州市柯城区荷花中路 1 号"
    )
    assert "办理结果将邮寄至：衢州市柯城区荷花中路 1 号" in status_page(case)


def test_a_settled_correction_notice_no_longer_stands_on_top(make_case, city_scjg):
    case = make_case("correction_requested")
    clerk = factories.clerk_of(city_scjg)
    page = status_page(case)
    head = page[: page.index("已提交的材料")]
    assert "缺少申请人签字" in head  # the open notice is on top while it is open
    factories.resubmit(case, clerk)
    case.refresh_from_db()
    factories.accept(case, clerk)
    case.refresh_from_db()
    page = status_page(case)
    top = page[page.index("下一步") : page.index("已提交的材料")]
    assert "缺少申请人签字" not in top
    settled = page[page.index('<details class="settled">') :]
    assert "缺少申请人签字" in settled[: settled.index("</details>")]
    assert "已补正" in settled
    assert page.index("当前状态") < page.index("下一步") < page.index("<details")


def test_the_apply_form_starts_with_the_applicant_type_the_item_is_for(client, online_item):
    from hall.catalogue.models import ServiceItem

    url = reverse("cases:apply", args=[online_item.code])
    assert online_item.applicant_type == "company"
    page = client.get(url).content.decode()
    assert '<option value="company" selected>' in page
    ServiceItem.objects.filter(pk=online_item.pk).update(applicant_type="both")
    page = client.get(url).content.decode()
    assert '<option value="person" selected>' in page
