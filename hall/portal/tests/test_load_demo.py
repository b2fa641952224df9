"""`load_demo` builds the demo organisation and is idempotent."""

import pytest
from django.core.management import call_command

from hall.core.models import AuditEntry
from hall.org.models import Center, Department, Role, Staff, User, Window

pytestmark = pytest.mark.django_db


def snapshot():
    return tuple(
        m.objects.count() for m in (Center, Department, Window, Role, Staff, User, AuditEntry)
    )


def test_demo_organisation_has_the_city_its_counties_and_27_departments():
    city = Center.objects.get(region_code="330800")
    assert city.name == "衢州市行政服务中心"
    counties = set(city.children.values_list("short_name", flat=True))
    assert counties == {"柯城区", "衢江区", "龙游县", "江山市", "常山县", "开化县"}
    assert city.departments.count() == 27
    assert Department.objects.get(center=city, code="SCJG").name == "衢州市市场监督管理局"
    for county in city.children.all():
        assert county.departments.count() >= 3
        assert county.subtree_ids() == {county.pk}
    assert {r.kind for r in Role.objects.all()} == {
        "center_admin",
        "department_admin",
        "clerk",
        "supervisor",
    }


def test_every_role_has_a_demo_account_in_the_city_and_in_a_county():
    for region in ("330800", "330802"):
        kinds = set(
            Staff.objects.filter(center__region_code=region, is_demo=True).values_list(
                "roles__kind", flat=True
            )
        )
        assert {"center_admin", "department_admin", "clerk", "supervisor"} <= kinds


def test_running_load_demo_again_changes_nothing():
    before = snapshot()
    call_command("load_demo")
    call_command("load_demo", "--if-empty")
    assert snapshot() == before
