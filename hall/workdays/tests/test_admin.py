"""The holiday calendar in the back office: kept by the city center only."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hall.core.constants import AuditAction
from hall.core.models import AuditEntry
from hall.workdays.constants import HolidayKind
from hall.workdays.models import Holiday, PublishedYear

pytestmark = pytest.mark.django_db


def holiday_form(**changes):
    return {"date": "2024-10-12", "kind": "holiday", "name": "国庆节", **changes}


@pytest.fixture
def make_up_saturday():
    return Holiday.objects.create(date=date(2024, 10, 12), kind=HolidayKind.WORKDAY, name="国庆节")


def test_city_admin_adds_a_holiday_and_it_is_audited(login_as):
    client = login_as("city_admin")
    assert client.get(reverse("admin:workdays_holiday_changelist")).status_code == 200
    response = client.post(
        reverse("admin:workdays_holiday_add"), holiday_form(date="2031-10-01", name="国庆节")
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    holiday = Holiday.objects.get(date=date(2031, 10, 1))
    assert (holiday.kind, holiday.source) == ("holiday", "manual")
    assert AuditEntry.objects.filter(
        action=AuditAction.ADMIN_ADD, object_id=str(holiday.pk)
    ).exists()


def test_a_date_cannot_be_both_holiday_and_make_up_workday(login_as, make_up_saturday):
    response = login_as("city_admin").post(reverse("admin:workdays_holiday_add"), holiday_form())
    assert response.status_code == 200
    text = response.content.decode()
    assert "该日期已登记为调休上班日（国庆节），同一天不能既是节假日又是调休上班日。" in text
    assert "IntegrityError" not in text
    assert Holiday.objects.count() == 1
    assert Holiday.objects.get().kind == HolidayKind.WORKDAY


def test_a_same_kind_duplicate_points_to_the_existing_entry(login_as, make_up_saturday):
    response = login_as("city_admin").post(
        reverse("admin:workdays_holiday_add"), holiday_form(kind="workday")
    )
    assert response.status_code == 200
    assert "该日期已登记为调休上班日（国庆节），请修改原有记录。" in response.content.decode()
    assert Holiday.objects.count() == 1


def test_a_make_up_workday_must_be_a_weekend_day(login_as):
    response = login_as("city_admin").post(
        reverse("admin:workdays_holiday_add"), holiday_form(date="2024-10-09", kind="workday")
    )
    assert response.status_code == 200
    assert "调休上班日只能是星期六或星期日，2024-10-09 是星期三。" in response.content.decode()
    assert not Holiday.objects.exists()


def test_a_holiday_on_a_weekend_is_allowed():
    Holiday(date=date(2024, 10, 5), kind=HolidayKind.HOLIDAY, name="国庆节").full_clean()


def test_model_validation_gives_the_same_messages(make_up_saturday):
    with pytest.raises(ValidationError) as exc:
        Holiday(date=date(2024, 10, 12), kind=HolidayKind.HOLIDAY, name="国庆节").full_clean()
    assert exc.value.message_dict["date"] == [
        "该日期已登记为调休上班日（国庆节），同一天不能既是节假日又是调休上班日。"
    ]


def test_changing_an_entry_keeps_its_own_date(login_as, make_up_saturday):
    response = login_as("city_admin").post(
        reverse("admin:workdays_holiday_change", args=[make_up_saturday.pk]),
        holiday_form(kind="workday", name="国庆节调休"),
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    make_up_saturday.refresh_from_db()
    assert make_up_saturday.name == "国庆节调休"


def test_city_admin_publishes_a_year(login_as):
    client = login_as("city_admin")
    assert client.get(reverse("admin:workdays_publishedyear_changelist")).status_code == 200
    response = client.post(
        reverse("admin:workdays_publishedyear_add"),
        {"year": "2031", "published": "on", "note": "国办发明电〔2030〕1号"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert PublishedYear.objects.get(year=2031).published


@pytest.mark.parametrize("username", ["kc_admin", "scjg_clerk", "kc_scjg_clerk", "scjg_admin"])
def test_others_cannot_reach_the_calendar(login_as, username, make_up_saturday):
    client = login_as(username)
    urls = [
        reverse("admin:workdays_holiday_changelist"),
        reverse("admin:workdays_holiday_add"),
        reverse("admin:workdays_holiday_change", args=[make_up_saturday.pk]),
        reverse("admin:workdays_holiday_delete", args=[make_up_saturday.pk]),
        reverse("admin:workdays_publishedyear_changelist"),
        reverse("admin:workdays_publishedyear_add"),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("admin:workdays_holiday_add"), holiday_form(date="2031-10-01"))
    assert response.status_code == 404
    assert Holiday.objects.count() == 1


def test_the_county_admin_role_holds_the_rights_but_the_calendar_is_the_citys(user_named):
    # 柯城区's center admin has the same role as the city's: the rights are there,
    # the admin's rule that only the top center keeps the calendar is what stops them.
    assert user_named("kc_admin").has_perm("workdays.change_holiday")
    assert user_named("city_admin").has_perm("workdays.change_holiday")
    assert not user_named("scjg_clerk").has_perm("workdays.change_holiday")


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:workdays_holiday_changelist"))
    assert response.status_code == 302
