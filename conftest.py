"""Shared fixtures: the demo organisation is loaded once into the test database."""

import pytest

from hall.org import demo as org_demo
from hall.org.models import Department, User


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
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
