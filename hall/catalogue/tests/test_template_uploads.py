"""Templates, filled examples and result samples go through the same checks as
case files: a hostile file is refused in the back office and nothing is kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hall.catalogue.services import item_record_change
from hall.catalogue.tests.test_governance import admin_form
from hall.core.tests import hostile

pytestmark = pytest.mark.django_db

# One of each family; the unit tests of the checks walk the whole set.
SAMPLE = [
    "pdf-hex-escaped-javascript",
    "pdf-javascript-in-object-stream",
    "docx-vba-project",
    "docx-ratio-bomb",
    "xlsx-external-link",
    "docx-nested-zip",
]


@pytest.fixture
def item(make_item, city_scjg, user_named):
    item = make_item(city_scjg, "食品经营许可")
    item_record_change(actor=user_named("city_admin"), item=item, before=None, action="create")
    return item


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize("field", ["template", "example"])
@pytest.mark.parametrize("name", SAMPLE)
def test_hostile_template_is_refused_and_not_stored(login_as, item, media, name, field):
    build, message = hostile.HOSTILE[name]
    data = admin_form(item)
    data[f"materials-0-{field}"] = SimpleUploadedFile(name, build())
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = login_as("scjg_admin").post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not getattr(item.materials.get(name="申请书"), field)
    assert stored(media) == []


@pytest.mark.parametrize("name", ["pdf-demo-form", "docx-demo-form", "xlsx"])
def test_clean_template_is_stored(login_as, item, media, name):
    data = admin_form(item)
    data["materials-0-template"] = SimpleUploadedFile(name, hostile.CLEAN[name]())
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = login_as("scjg_admin").post(url, data)
    assert response.status_code == 302
    assert item.materials.get(name="申请书").template
    assert len(stored(media)) == 1


def test_hostile_result_sample_is_refused(login_as, item, media):
    build, message = hostile.HOSTILE["png-then-script"]
    data = admin_form(item, result_sample=SimpleUploadedFile("样本.png", build()))
    url = reverse("admin:catalogue_serviceitem_change", args=[item.pk])
    response = login_as("scjg_admin").post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    item.refresh_from_db()
    assert not item.result_sample
    assert stored(media) == []
