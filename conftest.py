"""Shared fixtures: the demo organisation is loaded once into the test database."""

import pytest

from hall.cases.tests.factories import PDF_BYTES, PNG_BYTES  # noqa: F401  (tests import them from here)
from hall.org import demo as org_demo
from hall.org.models import Department, User


@pytest.fixture(scope="session", autouse=True)
def light_password_hasher():
    """argon2 at the smallest cost for the whole run (see hall/core/tests/hashers.py)."""
    from django.conf import settings
    from django.test import override_settings

    override = override_settings(
        PASSWORD_HASHERS=[
            "hall.core.tests.hashers.LightArgon2PasswordHasher",
            *settings.PASSWORD_HASHERS,
        ]
    )
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session")
def django_db_setup(light_password_hasher, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        org_demo.load()


@pytest.fixture
def demo_org(db):
    """The demo organisation (already loaded; re-loading is a no-op)."""
    return org_demo.load()


@pytest.fixture
def user_named(db):
    def get(username: str) -> User:
        return User.objects.select_related("staff").get(username=username)

    return get


@pytest.fixture
def login_as(client, user_named):
    def log_in(username: str):
        client.force_login(user_named(username), backend="hall.org.backends.StaffBackend")
        return client

    return log_in


@pytest.fixture
def city_scjg(db) -> Department:
    return Department.objects.get(center__region_code="330800", code="SCJG")


@pytest.fixture
def kc_scjg(db) -> Department:
    return Department.objects.get(center__region_code="330802", code="SCJG")


@pytest.fixture
def qj_scjg(db) -> Department:
    """A department of another county (衢江区), outside 柯城区's scope."""
    return Department.objects.get(center__region_code="330803", code="SCJG")


@pytest.fixture
def make_item(db):
    """Create a published item of a department with a few materials."""
    from hall.catalogue.models import Material, ServiceItem
    from hall.catalogue.services import item_next_code, item_refresh_search_text

    def make(department, name, *, aliases="", depth=3, promised=5, statutory=20, **extra):
        fields = {
            "conditions": "申请人具有完全民事行为能力\n材料齐全",
            "procedure": "申请\n受理\n审查\n决定",
            "result_name": "许可证",
            "place": "行政服务中心二楼",
            "hours": "周一至周五",
            "contact_phone": "0570-3058221",
            "complaint_phone": "0570-3058100",
            "legal_basis_text": "《中华人民共和国行政许可法》",
            "applicant_type": "company",
            **extra,
        }
        item_type = fields.pop("item_type", "xk")
        item = ServiceItem.objects.create(
            center=department.center,
            department=department,
            code=item_next_code(department=department, item_type=item_type),
            name=name,
            aliases=aliases,
            item_type=item_type,
            online_depth=depth,
            promised_days=promised,
            statutory_days=statutory,
            **fields,
        )
        Material.objects.create(item=item, name="申请书", submission="online", sort_order=0)
        Material.objects.create(
            item=item,
            name="营业场所证明",
            submission="onsite",
            original_or_copy="copy",
            sort_order=1,
        )
        item_refresh_search_text(item)
        return item

    return make


@pytest.fixture
def online_item(make_item, city_scjg):
    """A depth-4 item with two online materials (one optional), one on-site, and form fields."""
    from hall.catalogue.models import ApplicationField, Material

    item = make_item(city_scjg, "食品经营许可（网上）", depth=4)
    item.materials.all().delete()
    Material.objects.create(item=item, name="食品经营许可申请书", submission="online", sort_order=0)
    Material.objects.create(
        item=item, name="经营场所平面图", submission="online", required=False, sort_order=1
    )
    Material.objects.create(item=item, name="法定代表人身份证", submission="onsite", sort_order=2)
    ApplicationField.objects.create(
        item=item, key="shop_name", label="店铺名称", kind="text", max_length=50
    )
    ApplicationField.objects.create(
        item=item,
        key="area",
        label="经营面积（平方米）",
        kind="number",
        min_value=1,
        max_value=100000,
    )
    ApplicationField.objects.create(
        item=item, key="category", label="经营类别", kind="choice", choices="食品销售\n餐饮服务"
    )
    return item


@pytest.fixture
def make_case(online_item):
    """A case of the online item (or of `item`) in `status`, reached through the
    services by the factory trait of that status: submitted online, then each
    move made by the applicant or by the clerk of the item's department."""
    from hall.cases.tests.factories import ApplicantFactory, CaseFactory

    def make(status="submitted", phone="13857012345", item=None, **extra):
        return CaseFactory(
            item=item or online_item,
            applicant=ApplicantFactory(phone=phone),
            **{str(status): True},
            **extra,
        )

    return make
