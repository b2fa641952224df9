"""`load_demo` builds the demo organisation and is idempotent."""

import pytest
from django.core.management import call_command
from django.db import transaction

from hall.core.models import AuditEntry
from hall.org.models import Center, Department, Role, Staff, User, Window

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo loaded once for the module (it takes most of a minute),
    rolled back after it; each test runs in its own savepoint inside."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo")
        yield
        transaction.set_rollback(True)


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


def test_running_load_demo_again_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo")
    call_command("load_demo", "--if-empty")
    assert snapshot() == before


def test_demo_catalogue_reaches_the_volumes_of_the_spec(demo):
    from hall.catalogue.models import Material, Regulation, RegulationArticle, ServiceItem
    from hall.catalogue.selectors import completeness

    city = Center.objects.get(region_code="330800")
    city_items = ServiceItem.objects.filter(center=city)
    assert city_items.count() == 269
    assert city_items.values("department").distinct().count() == 27
    assert ServiceItem.objects.exclude(center=city).count() > 0
    templated = Material.objects.exclude(template="").exclude(example="")
    assert templated.count() * 2 >= 300
    assert Regulation.objects.count() >= 200
    assert RegulationArticle.objects.count() >= 600
    # the files open as what they claim to be
    for material in templated[:20]:
        head = material.template.open("rb").read(5)
        material.template.close()
        assert head in (b"%PDF-", b"PK\x03\x04"[:5]) or head.startswith(b"PK")
    incomplete = [
        i for i in city_items.prefetch_related("materials", "bases") if completeness(i).score < 100
    ]
    assert 5 <= len(incomplete) < 60
    # a licensing item exists only by a legal basis (行政许可法 art. 14-15): none without one
    unfounded = ServiceItem.objects.filter(item_type="xk", bases__isnull=True)
    assert list(unfounded.values_list("name", flat=True)) == []
    # items people type for are there
    assert city_items.filter(name__contains="营业").exists()
    assert city_items.filter(name__contains="户").exists()


def test_demo_applications_cover_every_pre_review_state(demo):
    from hall.cases.models import Case, CaseFile

    statuses = set(Case.objects.values_list("status", flat=True))
    assert {
        "submitted",
        "correction_requested",
        "accepted",
        "not_accepted",
        "withdrawn",
    } <= statuses
    assert Case.objects.filter(round__gt=1, status="submitted").exists()
    assert CaseFile.objects.filter(replaced_in_round__isnull=False).exists()
    for f in CaseFile.objects.all()[:10]:
        with f.file.open("rb") as handle:
            assert handle.read(4) in (b"%PDF", b"\x89PNG")
