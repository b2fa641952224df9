"""What a clerk reads and may do on the case page (issue: newcomer fixes at the window)."""

from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from hall.cases.constants import CaseStatus
from hall.cases.models import Case, ReviewMessage, StatusChange
from hall.cases.tests.test_walk_in import walk_in_data

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.labels: dict[str, str] = {}
        self._label_for = None
        self.meta: list[str] = []
        self._in_timeline = 0
        self._in_meta = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "ol" and "timeline" in (attrs.get("class") or ""):
            self._in_timeline += 1
        if self._in_timeline and tag == "span" and attrs.get("class") == "meta":
            self._in_meta = True
            self.meta.append("")

    def handle_endtag(self, tag):
        if tag == "ol" and self._in_timeline:
            self._in_timeline -= 1
        if tag == "span":
            self._in_meta = False

    def handle_data(self, data):
        if self._in_meta:
            self.meta[-1] += data


def parse(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


def duplicates(html: str) -> list[str]:
    return [i for i, n in Counter(parse(html).ids).items() if n > 1]


# ---- 1. walk-in intake where a clerk looks first ------------------------------------


def test_walk_in_is_in_the_menu_on_the_landing_page_and_on_the_queue(login_as):
    clerk = login_as("scjg_clerk")
    url = reverse("cases:walk_in_start")
    landing = clerk.get(reverse("org:landing")).content.decode()
    assert landing.count(f'href="{url}"') >= 2  # the menu and the landing card
    assert "窗口收件" in landing
    queue = clerk.get(reverse("cases:queue")).content.decode()
    assert queue.count(f'href="{url}"') >= 2  # the menu and the queue's button


def test_walk_in_link_is_not_offered_without_the_right(login_as):
    supervisor = login_as("city_supervisor")
    landing = supervisor.get(reverse("org:landing")).content.decode()
    assert reverse("cases:walk_in_start") not in landing


# ---- 2. the application form and the window's checklist, readable ------------------


def test_walk_in_case_page_shows_labels_and_a_checklist_not_python_lists(login_as, online_item):
    clerk = login_as("scjg_clerk")
    optional = online_item.materials.get(name="经营场所平面图")
    data = walk_in_data(online_item, **{f"got_{optional.pk}": None})
    clerk.post(reverse("cases:walk_in", args=[online_item.code]), data)
    case = Case.objects.get()
    page = clerk.get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    assert "['" not in page and "received_materials" not in page
    assert "窗口收取的材料" in page
    checklist = page[page.index("窗口收取的材料") :]
    checklist = checklist[: checklist.index("</table>")]
    assert checklist.count("✓ 已收取") == 2  # two of the three materials were handed in
    assert "经营场所平面图" in checklist and "未收取" in checklist
    assert checklist.count("✓ 已核验") == len(case.form_data["originals_checked"])


def test_online_case_form_fields_carry_their_labels(login_as, make_case):
    case = make_case()
    case.form_data = {"shop_name": "衢州小吃店", "seats": 12, "old_key": ["甲", "乙"]}
    case.save(update_fields=["form_data"])
    page = login_as("scjg_clerk").get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    assert "<dt>店铺名称</dt><dd>衢州小吃店</dd>" in page
    assert "<dt>old_key</dt><dd>甲、乙</dd>" in page
    assert "['" not in page


# ---- 3. unique ids: the internal note's label leads to the internal note ---------------


@pytest.mark.parametrize("status", ["submitted", "correction_requested", "accepted", "approved"])
def test_case_page_has_no_duplicate_ids(login_as, make_case, status):
    case = make_case(status)
    page = login_as("scjg_clerk").get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    assert duplicates(page) == []
    assert 'for="note-text"' in page and 'id="note-text"' in page


# ---- 4. the correspondence in time order ------------------------------------------------


def test_correspondence_is_in_time_order_ties_by_sequence(login_as, make_case, user_named):
    case = make_case()
    clerk = user_named("scjg_clerk")
    start = case.submitted_at
    # A reply written before the acceptance and a message written in the same minute.
    ReviewMessage.objects.create(
        case=case,
        round_number=1,
        kind="reply",
        text="材料已收到，正在审核。",
        author=clerk,
        created_at=start + timedelta(minutes=8),
    )
    StatusChange.objects.create(
        case=case,
        from_status="submitted",
        to_status="accepted",
        actor=clerk,
        at=start + timedelta(minutes=9),
    )
    ReviewMessage.objects.create(
        case=case,
        round_number=1,
        kind="reply",
        text="已受理，请留意短信。",
        author=clerk,
        created_at=start + timedelta(minutes=9),
    )
    page = login_as("scjg_clerk").get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    stamps = [m.strip()[:16] for m in parse(page).meta]
    assert len(stamps) == 4
    assert stamps == sorted(stamps)
    assert page.index("材料已收到") < page.index("已受理（") < page.index("已受理，请留意短信")


# ---- 5. only the moves the lifecycle allows; decisions stated and confirmed ----------


def test_a_case_awaiting_correction_offers_no_acceptance(login_as, make_case):
    case = make_case("correction_requested")
    page = login_as("scjg_clerk").get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    assert reverse("cases:accept", args=[case.pk]) not in page
    assert reverse("cases:correction", args=[case.pk]) not in page
    assert reverse("cases:refuse", args=[case.pk]) in page  # still possible
    assert "补正前不能受理" in page


def test_a_submitted_case_offers_acceptance(login_as, make_case):
    case = make_case()
    page = login_as("scjg_clerk").get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    assert reverse("cases:accept", args=[case.pk]) in page
    assert reverse("cases:approve", args=[case.pk]) not in page


def test_approval_needs_an_opinion_and_a_confirmation(login_as, make_case):
    case = make_case("accepted")
    clerk = login_as("scjg_clerk")
    url = reverse("cases:approve", args=[case.pk])
    page = clerk.get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    assert 'name="opinion"' in page and 'name="confirm"' in page
    for data, message in [
        ({}, "请填写审批意见"),
        ({"opinion": "符合条件"}, "请勾选确认后再作出决定"),
        ({"confirm": "on"}, "请填写审批意见"),
        ({"opinion": "长" * 2001, "confirm": "on"}, "2000"),
    ]:
        response = clerk.post(url, data, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED
    clerk.post(url, {"opinion": "<script>alert(1)</script>符合法定条件", "confirm": "on"})
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    assert case.history.last().reason == "<script>alert(1)</script>符合法定条件"
    page = clerk.get(reverse("cases:staff_case", args=[case.pk])).content.decode()
    assert "<script>alert(1)" not in page
    assert url not in page  # approved: no second approval offered


def test_refusal_and_rejection_are_confirmed(login_as, make_case):
    clerk = login_as("scjg_clerk")
    case = make_case()
    response = clerk.post(
        reverse("cases:refuse", args=[case.pk]), {"reason": "不属于本部门职权"}, follow=True
    )
    assert "请勾选确认后再作出决定" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    accepted = make_case("accepted")
    response = clerk.post(
        reverse("cases:reject", args=[accepted.pk]), {"reject-reason": "不符合条件"}, follow=True
    )
    assert "请勾选确认后再作出决定" in response.content.decode()
    assert Case.objects.get(pk=accepted.pk).status == CaseStatus.ACCEPTED
    clerk.post(
        reverse("cases:reject", args=[accepted.pk]),
        {"reject-reason": "不符合条件", "reject-confirm": "on"},
    )
    assert Case.objects.get(pk=accepted.pk).status == CaseStatus.REJECTED
