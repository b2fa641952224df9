import pytest

from hall.catalogue.models import Material
from hall.workdays.models import Holiday, PublishedYear

# 2026's 中秋 and 国庆 as the State Council published them: 9/25–27 and 10/1–7
# off, Sunday 9/20 and Saturday 10/10 worked.
NATIONAL_DAY_2026 = {
    **{f"2026-09-{d}": "holiday" for d in (25, 26, 27)},
    **{f"2026-10-0{d}": "holiday" for d in range(1, 8)},
    "2026-09-20": "workday",
    "2026-10-10": "workday",
}


@pytest.fixture
def calendar_2026(db):
    from datetime import date

    from hall.workdays.services import current_calendar

    PublishedYear.objects.update_or_create(year=2026, defaults={"published": True})
    for day, kind in NATIONAL_DAY_2026.items():
        Holiday.objects.update_or_create(
            date=date.fromisoformat(day), defaults={"kind": kind, "name": "国庆节"}
        )
    calendar = current_calendar()
    assert not calendar.is_workday(date(2026, 10, 1))
    assert calendar.is_workday(date(2026, 10, 10))
    return calendar


@pytest.fixture
def licence(make_item, city_scjg):
    """The city 市场监管局's item every drill can use: four online materials and
    an identity document whose original the window checks; 5 working days."""
    item = make_item(city_scjg, "食品经营许可（练习）", promised=5, statutory=20)
    item.materials.all().delete()
    for n, name in enumerate(
        ["食品经营许可申请书", "经营场所平面图", "食品安全管理制度", "设备布局图"]
    ):
        Material.objects.create(
            item=item, name=name, submission="online", original_or_copy="copy", sort_order=n
        )
    Material.objects.create(
        item=item,
        name="法定代表人身份证",
        submission="onsite",
        original_or_copy="both",
        sort_order=9,
    )
    return item


@pytest.fixture
def clerk(user_named):
    return user_named("scjg_clerk")


@pytest.fixture
def in_practice(login_as):
    """The clerk signed in with practice mode switched on through the page."""

    def sign_in(username="scjg_clerk"):
        from django.urls import reverse

        client = login_as(username)
        response = client.post(reverse("practice:switch"), {"on": "1"})
        assert response.status_code == 302
        return client

    return sign_in
