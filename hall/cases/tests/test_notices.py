"""The printable documents of a case, as a government office prints them."""

import pytest
from django.urls import reverse

from hall.cases.tests import factories

pytestmark = pytest.mark.django_db


def notice(client, case, doc=None) -> str:
    url = reverse("cases:notice", args=[case.pk])
    response = client.get(url, {"doc": doc} if doc is not None else {})
    assert response.status_code == 200
    return response.content.decode()


def test_acceptance_notice_names_center_department_clerk_date_seal_and_phone(
    login_as, make_case, city_scjg
):
    case = make_case("accepted")
    clerk = factories.clerk_of(city_scjg)
    page = notice(login_as("scjg_clerk"), case)
    assert "受理通知书" in page
    assert case.center.name in page and city_scjg.name in page
    assert f"<dd>{clerk.full_name}</dd>" in page
    assert city_scjg.phone and city_scjg.phone in page
    assert "（盖章）" in page and 'class="seal"' in page
    assert f"{case.accepted_at.year}年" in page
    assert "data-print" in page and "/static/hall/print." in page
    assert "<svg" in page  # the QR code to the status page


def test_the_case_page_offers_each_document_to_reprint(login_as, make_case):
    clerk = login_as("scjg_clerk")
    submitted = make_case()
    page = clerk.get(reverse("cases:staff_case", args=[submitted.pk])).content.decode()
    assert reverse("cases:notice", args=[submitted.pk]) not in page  # nothing to print yet
    done = make_case("completed")
    page = clerk.get(reverse("cases:staff_case", args=[done.pk])).content.decode()
    url = reverse("cases:notice", args=[done.pk])
    assert f"{url}?doc=acceptance" in page and "打印受理通知书" in page
    assert f"{url}?doc=decision" in page and "打印准予行政许可决定书" in page


def test_approval_decision_carries_the_opinion_and_the_licence(login_as, make_case):
    case = make_case("completed")
    page = notice(login_as("scjg_clerk"), case, "decision")
    assert "准予行政许可决定书" in page and "第三十八条第一款" in page
    assert "符合法定条件，准予许可。" in page  # the approver's opinion
    assert case.certificate_number in page


def test_rejection_and_refusal_state_the_reason_and_the_remedies(login_as, make_case):
    clerk = login_as("scjg_clerk")
    rejected = make_case("rejected")
    page = notice(clerk, rejected, "decision")
    assert "不予行政许可决定书" in page and "经审查，申请不符合法定条件。" in page
    assert "行政复议" in page and "行政诉讼" in page
    refused = make_case("not_accepted")
    page = notice(clerk, refused)
    assert "不予受理决定书" in page and "申请事项不属于本部门职权范围。" in page
    assert "行政复议" in page


@pytest.mark.parametrize(
    "doc", ["", "decision", "../../etc/passwd", "<script>", "9" * 5000, "\x00"]
)
def test_an_unknown_document_falls_back_to_the_first(login_as, make_case, doc):
    case = make_case("accepted")  # no decision yet
    page = notice(login_as("scjg_clerk"), case, doc)
    assert "受理通知书" in page and "准予行政许可决定书" not in page
    assert "<script>" not in page.split("</head>", 1)[1].replace('<script src="', "")


def test_another_departments_notice_is_404(login_as, make_case):
    case = make_case("accepted")
    response = login_as("zrzy_clerk").get(reverse("cases:notice", args=[case.pk]))
    assert response.status_code == 404
