"""The rating channels: the status page (number + phone lookup), the signed
SMS link, the QR code of the printed notices, and the follow-up (追评). One
form for all; staff never rate; bad input gets a Chinese message or the
uniform 404, nothing saved, never a 500."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import PDF_BYTES
from hall.cases import services as case_services
from hall.notifications.constants import Event
from hall.notifications.models import Notification
from hall.ratings import stats, tokens
from hall.ratings.constants import Channel, Kind
from hall.ratings.models import Rating
from hall.ratings.services import rating_open_follow_up, rating_submit

pytestmark = pytest.mark.django_db


def look_up(client, case):
    found = client.post(reverse("cases:track"), {"number": case.query_number, "phone": case.phone})
    assert found.status_code == 302, found.content[:300]
    return client


def rate_url(case, kind=Kind.FINISHED):
    return reverse("ratings:rate", args=[case.query_number, kind])


def link_path(case, kind=Kind.FINISHED):
    return urlsplit(tokens.link(case.pk, kind)).path


def text(response) -> str:
    return response.content.decode()


# ---- channel 1: the status page -------------------------------------------------------


def test_a_finished_case_status_page_invites_and_then_shows_the_rating(client, make_case):
    case = make_case("completed")
    look_up(client, case)
    status = text(client.get(reverse("cases:status", args=[case.query_number])))
    assert f'href="{rate_url(case)}"' in status and "评价本次服务" in status
    form = client.get(rate_url(case))
    page = text(form)
    assert form.status_code == 200 and "提交评价" in page
    # five levels, none chosen: "not rated" is never a level
    assert len(re.findall(r'type="radio" name="level"', page)) == 5
    assert "checked" not in re.sub(r'type="checkbox"[^>]*', "", page)
    done = client.post(rate_url(case), {"level": "4", "tags": ["quick"], "comment": "很快"})
    assert done.status_code == 302 and done["Location"] == rate_url(case)
    thanks = text(client.get(rate_url(case)))
    assert "感谢您的评价" in thanks and "满意" in thanks and "办事快捷" in thanks
    (rating,) = Rating.objects.all()
    assert (rating.level, rating.tags, rating.channel) == (4, ["quick"], Channel.WEB)
    # thanked once; the page then shows what was recorded, never a second form
    again = text(client.get(rate_url(case)))
    assert "已评价" in again and "提交评价" not in again
    status = text(client.get(reverse("cases:status", args=[case.query_number])))
    assert "办事快捷" in status and "评价本次服务" not in status


def test_the_status_page_of_a_running_case_invites_nothing(client, make_case):
    case = make_case("accepted")
    look_up(client, case)
    status = text(client.get(reverse("cases:status", args=[case.query_number])))
    assert "/rate/" not in status and "服务评价" not in status
    page = client.get(rate_url(case))
    assert page.status_code == 200 and "尚未办结" in text(page) and "提交评价" not in text(page)
    refused = client.post(rate_url(case), {"level": "5"})
    assert refused.status_code == 400 and "尚未办结" in text(refused)
    assert not Rating.objects.exists()


def test_without_the_lookup_the_rating_page_is_the_uniform_404(client, make_case):
    case = make_case("completed")
    assert client.get(rate_url(case)).status_code == 404
    assert client.post(rate_url(case), {"level": "5"}).status_code == 404
    look_up(client, case)
    assert client.get(rate_url(case, "nonsense")).status_code == 404
    assert client.get(rate_url(case, Kind.ACCEPTANCE)).status_code == 404
    assert client.get(rate_url(case, Kind.FOLLOW_UP)).status_code == 404
    assert not Rating.objects.exists()


def test_an_item_rated_at_acceptance_invites_once_accepted(client, make_case, online_item):
    online_item.rating_at_acceptance = True
    online_item.save()
    case = make_case("accepted")
    look_up(client, case)
    status = text(client.get(reverse("cases:status", args=[case.query_number])))
    assert rate_url(case, Kind.ACCEPTANCE) in status and "评价受理服务" in status
    assert rate_url(case) not in status
    client.post(rate_url(case, Kind.ACCEPTANCE), {"level": "5"})
    assert Rating.objects.get().kind == Kind.ACCEPTANCE
    status = text(client.get(reverse("cases:status", args=[case.query_number])))
    assert "评价受理服务" not in status and "受理评价" in status


# ---- the form: bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({}, "level", "请选择评价等级"),
        ({"level": "0"}, "level", "请选择评价等级"),
        ({"level": "9"}, "level", "请选择评价等级"),
        ({"level": "5; DROP TABLE ratings_rating"}, "level", "请选择评价等级"),
        ({"level": "5", "tags": ["attitude"]}, "tags", "不属于该评价等级"),
        ({"level": "5", "tags": ["../../etc/passwd"]}, "tags", "不属于该评价等级"),
        ({"level": "2"}, "tags", "不满意的原因"),
        ({"level": "5", "comment": "长" * 10_000}, "comment", "不能超过"),
    ],
)
def test_bad_input_gets_the_message_next_to_the_field(client, make_case, data, field, message):
    case = make_case("completed")
    look_up(client, case)
    before = stats.stored()
    response = client.post(rate_url(case), data)
    page = text(response)
    assert response.status_code == 400
    assert re.search(rf'id="id_{field}_error">[^<]*{message}', page), page[:3000]
    assert not Rating.objects.exists() and stats.stored() == before
    if "comment" in data:  # what was typed is kept
        assert "长" * 10_000 in page
    if data.get("level") == "5":
        assert re.search(r'value="5"[^>]*checked', page)


def test_hostile_text_is_stored_as_text_and_shown_escaped(client, make_case):
    case = make_case("completed")
    look_up(client, case)
    client.post(rate_url(case), {"level": "1", "comment": "<script>alert(1)</script>\x00坏"})
    rating = Rating.objects.get()
    assert rating.comment == "<script>alert(1)</script>坏"
    page = text(client.get(rate_url(case)))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_non_utf8_body_is_refused_with_a_message(client, make_case):
    case = make_case("completed")
    look_up(client, case)
    body = b"level=\xff\xfe&comment=\xc3\x28"
    response = client.post(rate_url(case), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "请选择评价等级" in text(response)
    assert not Rating.objects.exists()


def test_tags_of_the_chosen_level_are_kept_and_the_others_not(client, make_case):
    case = make_case("completed")
    look_up(client, case)
    page = text(client.post(rate_url(case), {"level": "2", "tags": ["quick"]}))
    assert "不属于该评价等级" in page
    # unclear_materials is a tag of 基本满意 and of the bad levels: ticked in the
    # group of the chosen level only
    page = text(client.post(rate_url(case), {"level": "2", "tags": ["unclear_materials", "x"]}))
    assert re.search(r'id="id_tags_2-1_unclear_materials" checked', page)
    assert not re.search(r'id="id_tags_3_unclear_materials" checked', page)


# ---- staff never rate ---------------------------------------------------------------------


def test_no_staff_session_gets_a_form_or_saves_a_rating(login_as, make_case):
    case = make_case("completed")
    client = login_as("scjg_clerk")
    look_up(client, case)
    for url in (rate_url(case), link_path(case)):
        page = client.get(url)
        assert page.status_code == 403 and "工作人员不能代替申请人评价" in text(page)
        assert "提交评价" not in text(page)
        posted = client.post(url, {"level": "5"})
        assert posted.status_code == 403 and "工作人员不能代替申请人评价" in text(posted)
    status = text(client.get(reverse("cases:status", args=[case.query_number])))
    assert rate_url(case) not in status and "工作人员不能代替申请人评价" in status
    assert not Rating.objects.exists()


# ---- channel 2: the SMS link ---------------------------------------------------------------


@pytest.mark.parametrize("status", ["completed", "rejected", "not_accepted"])
def test_a_finishing_case_queues_one_invitation_sms_with_its_link(make_case, status):
    case = make_case(status)
    (sms,) = Notification.objects.filter(event=Event.RATING_INVITE)
    assert sms.idempotency_key == f"rating:{case.pk}:finished:invite"
    assert sms.recipient == case.phone and case.display_number in sms.text
    (link,) = re.findall(r"https?://\S+", sms.text)
    assert tokens.read(urlsplit(link).path.split("/")[2]) == (case.pk, Kind.FINISHED)


def test_an_item_rated_at_acceptance_queues_the_acceptance_invitation(make_case, online_item):
    online_item.rating_at_acceptance = True
    online_item.save()
    case = make_case("accepted")
    (sms,) = Notification.objects.filter(event=Event.RATING_INVITE_ACCEPTANCE)
    assert sms.idempotency_key == f"rating:{case.pk}:acceptance:invite"
    assert "受理" in sms.text and "/rate/" in sms.text
    assert not Notification.objects.filter(event=Event.RATING_INVITE).exists()


def test_no_invitation_without_sms_consent(online_item):
    from hall.cases.tests.factories import ApplicantFactory, CaseFactory

    CaseFactory(item=online_item, applicant=ApplicantFactory(sms_opt_in=False), completed=True)
    assert not Notification.objects.filter(event=Event.RATING_INVITE).exists()


def test_the_link_opens_the_form_without_a_lookup_and_is_used_once(client, make_case):
    case = make_case("completed")
    url = link_path(case)
    page = client.get(url)
    assert page.status_code == 200 and "提交评价" in text(page)
    assert case.phone not in text(page) and case.applicant_name not in text(page)
    done = client.post(url, {"level": "2", "tags": ["many_visits"]})
    assert done.status_code == 302
    assert "感谢您的评价" in text(client.get(url))
    rating = Rating.objects.get()
    assert (rating.level, rating.channel) == (2, Channel.SMS)
    # reused: another browser sees the recorded rating, never a second form
    other = text(type(client)().get(url))
    assert "已评价" in other and "多次跑动" in other and "提交评价" not in other
    again = type(client)().post(url, {"level": "5"})
    assert again.status_code == 409 and Rating.objects.get().level == 2


def test_forged_expired_and_inapplicable_links_are_the_uniform_404(client, make_case, time_machine):
    time_machine.move_to("2026-12-01 09:00 +0800", tick=False)
    case = make_case("completed")
    token = tokens.make(case.pk, Kind.FINISHED)
    forged = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    other_case = token.replace(f"{case.pk}.", f"{case.pk + 1000}.", 1)
    for bad in (forged, other_case, "x" * 30, tokens.make(case.pk + 1000, Kind.FINISHED)):
        assert client.get(reverse("ratings:link", args=[bad])).status_code == 404
        assert client.post(reverse("ratings:link", args=[bad]), {"level": "5"}).status_code == 404
    # a kind the case never takes
    for kind in (Kind.ACCEPTANCE, Kind.FOLLOW_UP):
        assert client.get(link_path(case, kind)).status_code == 404
    url = reverse("ratings:link", args=[token])
    assert client.get(url).status_code == 200
    time_machine.shift(61 * 86400)
    assert client.get(url).status_code == 404
    assert client.post(url, {"level": "5"}).status_code == 404
    assert not Rating.objects.exists()


# ---- channel 3: the QR code of the printed notices --------------------------------------


def walk_in(item, clerk, *, accept=True):
    material = item.materials.filter(submission="online").first()
    return case_services.case_walk_in(
        item=item,
        applicant=case_services.Applicant(
            kind="person",
            name="李四",
            id_type="resident_id",
            id_number="11010519491231002X",
            phone="13900001111",
        ),
        actor=clerk,
        received=list(item.materials.all()),
        originals=[],
        scans={material.pk: [SimpleUploadedFile("扫描.pdf", PDF_BYTES)]},
        accept=accept,
        reason="" if accept else "不属于本部门职权范围。",
    )


def test_walk_in_notices_carry_the_rating_qr_code(login_as, online_item, user_named, client):
    clerk = user_named("scjg_clerk")
    case = walk_in(online_item, clerk)
    staff = login_as("scjg_clerk")
    notice = text(staff.get(reverse("cases:notice", args=[case.pk])))
    assert 'aria-label="服务评价二维码"' in notice and 'aria-label="办件查询二维码"' in notice
    refused = walk_in(online_item, clerk, accept=False)
    notice = text(staff.get(reverse("cases:notice", args=[refused.pk])))
    assert 'aria-label="服务评价二维码"' in notice
    # the code's link is the signed link with ?via=qr: the rating counts as QR
    from hall.ratings.panels import notice_panel

    url = notice_panel(None, refused, "refusal")["rating_qr_url"]
    assert url.endswith("?via=qr")
    path = urlsplit(url).path + "?via=qr"
    staff.logout()
    assert client.post(path, {"level": "5", "tags": ["quick"]}).status_code == 302
    assert Rating.objects.get().channel == Channel.QR


def test_online_cases_notices_have_no_rating_qr_code(login_as, make_case):
    case = make_case("accepted")
    notice = text(login_as("scjg_clerk").get(reverse("cases:notice", args=[case.pk])))
    assert "服务评价二维码" not in notice and "办件查询二维码" in notice


# ---- follow-up (追评) ---------------------------------------------------------------------


def test_a_follow_up_is_offered_once_the_rectification_is_answered(client, make_case):
    case = make_case("completed")
    look_up(client, case)
    first = rating_submit(
        case=case, kind=Kind.FINISHED, level=1, tags=["attitude"], channel=Channel.WEB
    )
    status_url = reverse("cases:status", args=[case.query_number])
    assert rate_url(case, Kind.FOLLOW_UP) not in text(client.get(status_url))
    assert client.get(link_path(case, Kind.FOLLOW_UP)).status_code == 404
    rating_open_follow_up(rating=first, actor=None)
    status = text(client.get(status_url))
    assert rate_url(case, Kind.FOLLOW_UP) in status and "追评" in status
    link = link_path(case, Kind.FOLLOW_UP)
    assert "提交评价" in text(type(client)().get(link))
    assert type(client)().post(link, {"level": "4"}).status_code == 302
    follow_up = Rating.objects.get(kind=Kind.FOLLOW_UP)
    assert follow_up.follows == first and follow_up.channel == Channel.SMS
    assert client.post(rate_url(case, Kind.FOLLOW_UP), {"level": "5"}).status_code == 409
    status = text(client.get(status_url))
    assert rate_url(case, Kind.FOLLOW_UP) not in status
    assert Rating.objects.count() == 2


def test_the_invitation_with_a_real_link_fits_in_two_messages(settings):
    from hall.notifications import rendering
    from hall.notifications.constants import DEFAULT_TEMPLATES

    settings.NOTIFY_SITE_URL = "https://zwfw.quzhou.gov.cn"
    link = tokens.link(12_345_678, Kind.FOLLOW_UP)
    for event in (Event.RATING_INVITE, Event.RATING_INVITE_ACCEPTANCE, Event.RECTIFICATION_REPLY):
        text = rendering.render(
            str(DEFAULT_TEMPLATES[event]), rendering.sample_values() | {"link": link}
        )
        assert rendering.sms_length(text).segments <= 2, (event, text)


@pytest.mark.parametrize("via", ["<script>", "qr\x00", "'; --", "q" * 10_000])
def test_a_hostile_via_is_the_sms_channel(client, make_case, via):
    case = make_case("completed")
    url = link_path(case)
    assert client.get(url, {"via": via}).status_code == 200
    assert client.post(f"{url}?via=", {"level": "5"}).status_code == 302
    assert Rating.objects.get().channel == Channel.SMS


def test_no_staff_page_offers_a_rating_form(login_as, make_case):
    case = make_case("completed")
    staff = login_as("scjg_clerk")
    for url in (
        reverse("cases:staff_case", args=[case.pk]),
        reverse("cases:notice", args=[case.pk]),
    ):
        page = text(staff.get(url))
        assert 'name="level"' not in page and "提交评价" not in page
        assert not re.search(r'href="[^"]*/rate/', page)


def test_staff_read_the_invitation_without_its_secret_link(login_as, make_case):
    # A clerk who could copy the link from the outbox could rate as the applicant.
    case = make_case("completed")
    sms = Notification.objects.get(event=Event.RATING_INVITE)
    token = urlsplit(re.findall(r"https?://\S+", sms.text)[0]).path.split("/")[2]
    staff = login_as("scjg_admin")
    pages = [
        reverse("cases:staff_case", args=[case.pk]),
        reverse("notifications:log"),
        reverse("admin:notifications_notification_change", args=[sms.pk]),
    ]
    for url in pages:
        page = staff.get(url)
        assert page.status_code == 200, url
        assert "/rate/******/" in text(page), url
        assert token not in text(page) and token[:12] not in text(page), url


@pytest.mark.parametrize(
    "channel, at_acceptance, doc, kind",
    [
        ("walk_in", False, "acceptance", Kind.FINISHED),
        ("walk_in", True, "acceptance", Kind.ACCEPTANCE),
        ("walk_in", True, "decision", Kind.FINISHED),
        ("walk_in", False, "refusal", Kind.FINISHED),
        ("online", True, "acceptance", None),
    ],
)
def test_the_notice_qr_asks_for_the_rating_of_its_moment(channel, at_acceptance, doc, kind):
    from hall.cases.models import Case
    from hall.catalogue.models import ServiceItem
    from hall.ratings.panels import notice_kind

    case = Case(channel=channel, item=ServiceItem(rating_at_acceptance=at_acceptance))
    assert notice_kind(case, doc) == kind
