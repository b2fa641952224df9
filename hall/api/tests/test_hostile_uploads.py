"""The API takes files through the same checks as the apply page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hall.cases.models import Case, CaseFile
from hall.core.tests import hostile

pytestmark = pytest.mark.django_db
URL = "/api/v1/applications"


@pytest.mark.parametrize(
    "name",
    ["pdf-hex-escaped-launch", "jpeg-then-executable", "docx-gibibyte-bomb", "docx-vba-project"],
)
def test_hostile_file_is_refused_with_its_reason_and_nothing_stored(
    client, online_item, settings, tmp_path, name
):
    settings.MEDIA_ROOT = tmp_path / "media"
    build, message = hostile.HOSTILE[name]
    material = online_item.materials.get(name="食品经营许可申请书")
    response = client.post(
        URL,
        {
            "item_code": online_item.code,
            "applicant_kind": "company",
            "applicant_name": "衢州市示范科技有限公司",
            "id_number": "91350100M000100Y43",
            "phone": "13857012345",
            "f_shop_name": "示范便利店",
            "f_area": "20",
            "f_category": "食品销售",
            f"m_{material.pk}": SimpleUploadedFile(name, build()),
        },
    )
    assert response.status_code == 422
    assert message in response.json()["errors"][0]["message"]
    assert Case.objects.count() == 0 and CaseFile.objects.count() == 0
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))
