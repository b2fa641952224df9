"""Every write to an item goes through item_create / item_update: the back office,
the version restore and the Excel import each record one audit entry, one
version and one filing per change, of the item as it ends up (inlines included),
and the service refuses an actor without the right or outside the scope."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from hall.catalogue import excel, services
from hall.catalogue.models import Filing, ItemVersion, Material, ServiceItem
from hall.catalogue.tests.test_excel import as_file, new_row, workbook
from hall.catalogue.tests.test_governance import admin_form
from hall.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def entries(item):
    return AuditEntry.objects.filter(
        object_id=str(item.pk), content_type=ContentType.objects.get_for_model(ServiceItem)
    )


def records(item) -> tuple[int, int, int]:
    """Audit entries, versions and filings of one item."""
    return (
        entries(item).count(),
        ItemVersion.objects.filter(item=item).count(),
        Filing.objects.filter(item=item).count(),
    )


@pytest.fixture
def item(make_item, city_scjg):
    return make_item(city_scjg, "食品经营许可")


def test_one_admin_edit_is_one_audit_entry_one_version_one_filing(login_as, item):
    data = admin_form(item, promised_days=3)
    data["materials-0-copies"] = 4  # an inline row, saved by Django after the item
    before = records(item)
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = login_as("scjg_admin").post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert records(item) == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert entries(item).order_by("-id").first().action == "catalogue.item_update"
    # The version and the filing hold the final state: the material's new copies too.
    version = ItemVersion.objects.filter(item=item).order_by("-number").first()
    kept = next(m for m in version.snapshot["materials"] if m["name"] == data["materials-0-name"])
    assert kept["copies"] == 4 and version.snapshot["fields"]["promised_days"] == 3
    filing = Filing.objects.get(item=item)
    assert {d["field"] for d in filing.diff} == {"promised_days", "materials.copies"}


def test_one_admin_add_is_one_audit_entry_one_version_one_filing(login_as, city_scjg):
    data = {
        "department": city_scjg.pk,
        "code": "",
        "name": "新设事项",
        "aliases": "",
        "item_type": "xk",
        "applicant_type": "company",
        "online_depth": 2,
        "statutory_days": 20,
        "promised_days": 10,
        "is_free": "on",
        "onsite_visits": 1,
        "is_published": "on",
        "materials-TOTAL_FORMS": 1,
        "materials-INITIAL_FORMS": 0,
        "materials-MIN_NUM_FORMS": 0,
        "materials-MAX_NUM_FORMS": 1000,
        "materials-0-name": "申请书",
        "materials-0-submission": "online",
        "materials-0-required": "on",
        "materials-0-original_or_copy": "original",
        "materials-0-copies": 1,
        "materials-0-sort_order": 0,
    }
    for prefix in ("form_fields", "bases", "special_procedures", "faqs"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = login_as("scjg_admin").post(reverse("admin:catalogue_serviceitem_add"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    item = ServiceItem.objects.get(name="新设事项")
    assert records(item) == (1, 1, 1)
    assert entries(item).get().action == "catalogue.item_create"
    version = ItemVersion.objects.get(item=item)
    assert [m["name"] for m in version.snapshot["materials"]] == ["申请书"]


def test_the_import_records_each_item_once(user_named, make_item, city_scjg):
    user = user_named("scjg_admin")
    existing = make_item(city_scjg, "食品经营许可")
    update = new_row(事项编码=existing.code, 事项名称=existing.name, 承诺时限=3)
    rows = [new_row(), new_row(事项名称="另一新事项"), update]
    preview = excel.parse_import(as_file(workbook(rows)), user=user)
    assert preview.errors == []
    before = records(existing)
    assert excel.apply_import(preview, actor=user) == (2, 1)
    assert records(existing) == (before[0] + 1, before[1] + 1, before[2] + 1)
    for name in ("新办事项", "另一新事项"):
        assert records(ServiceItem.objects.get(name=name)) == (1, 1, 1)


def test_item_update_checks_the_actors_right_and_scope(user_named, item):
    before = (records(item), ServiceItem.objects.get(pk=item.pk).promised_days)
    for username in ("scjg_clerk", "zrzy_clerk", "kc_scjg_admin", "kc_admin"):
        item.promised_days = 1
        with pytest.raises(services.CatalogueForbidden):
            services.item_update(actor=user_named(username), item=item)
    assert (records(item), ServiceItem.objects.get(pk=item.pk).promised_days) == before
    # Nor may an item be moved into a department outside the actor's scope.
    from hall.org.models import Department

    item.department = Department.objects.get(center__region_code="330802", code="SCJG")
    with pytest.raises(services.CatalogueForbidden):
        services.item_update(actor=user_named("scjg_admin"), item=item)
    assert ServiceItem.objects.get(pk=item.pk).department_id != item.department_id


def test_item_create_checks_the_actors_right_and_scope(user_named, city_scjg):
    count = ServiceItem.objects.count()
    for username in ("scjg_clerk", "zrzy_clerk", "kc_admin"):
        new = ServiceItem(department=city_scjg, name="越权新增", item_type="xk")
        with pytest.raises(services.CatalogueForbidden):
            services.item_create(actor=user_named(username), item=new)
    assert ServiceItem.objects.count() == count
    assert not Material.objects.filter(item__name="越权新增").exists()
