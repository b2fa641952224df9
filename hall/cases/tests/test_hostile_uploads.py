"""The hostile-upload set through the apply page: every file refused with its
Chinese reason, no case made and no byte stored; clean files still make a case."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hall.cases.models import Case, CaseFile
from hall.core.tests import hostile

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def post(client, item, name: str, data: bytes):
    material = item.materials.get(name="食品经营许可申请书")
    return client.post(
        reverse("cases:apply", args=[item.code]),
        {
            "submission_token": str(uuid.uuid4()),
            "applicant_kind": "person",
            "applicant_name": "张三",
            "id_number": "11010519491231002X",
            "phone": "13857012345",
            "address": "衢州市柯城区示范路 1 号",
            "f_shop_name": "张三小吃",
            "f_area": "35.5",
            "f_category": "餐饮服务",
            f"m_{material.pk}": [SimpleUploadedFile(name, data)],
        },
    )


@pytest.mark.parametrize("name", sorted(hostile.HOSTILE))
def test_every_hostile_file_is_refused_and_nothing_is_stored(client, online_item, media, name):
    build, message = hostile.HOSTILE[name]
    response = post(client, online_item, name, build())
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == 0 and CaseFile.objects.count() == 0
    assert stored(media) == []


@pytest.mark.parametrize("name", sorted(hostile.CLEAN))
def test_clean_files_still_make_a_case_with_the_file_stored(client, online_item, media, name):
    response = post(client, online_item, name, hostile.CLEAN[name]())
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Case.objects.count() == 1 and CaseFile.objects.count() == 1
    assert len(stored(media)) == 1
