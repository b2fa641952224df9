"""A form that comes back with errors keeps the files already sent (under its
one-time token): the applicant does not choose them again."""

import hashlib
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import PDF_BYTES, PNG_BYTES
from hall.cases.models import Case, StagedUpload
from hall.cases.tests.test_apply import apply_url, form_data
from hall.core.tests import hostile

pytestmark = pytest.mark.django_db


def staged_paths() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "staged"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_files_sent_with_a_refused_form_are_kept_and_used(client, online_item):
    before = set(staged_paths())
    data = form_data(online_item, phone="1385701")  # a wrong phone: the form comes back
    token = data["submission_token"]
    response = client.post(apply_url(online_item), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert Case.objects.count() == 0
    assert StagedUpload.objects.filter(token=token).count() == 3
    assert "已上传，无需重新选择" in page
    for name in ("申请书.pdf", "平面图.png", "平面图2.png"):
        assert name in page
    assert f'value="{token}"' in page  # the same token goes back with the form
    # the corrected form without any file
    plan = online_item.materials.get(name="经营场所平面图")
    form = online_item.materials.get(name="食品经营许可申请书")
    again = form_data(
        online_item, submission_token=token, **{f"m_{form.pk}": None, f"m_{plan.pk}": None}
    )
    response = client.post(apply_url(online_item), again)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    digests = sorted(case.files.values_list("sha256", flat=True))
    expected = sorted(hashlib.sha256(b).hexdigest() for b in (PDF_BYTES, PNG_BYTES, PNG_BYTES))
    assert digests == expected
    assert StagedUpload.objects.count() == 0
    assert set(staged_paths()) == before  # the kept copies are gone


def test_a_file_chosen_again_replaces_the_kept_one(client, online_item):
    form = online_item.materials.get(name="食品经营许可申请书")
    data = form_data(online_item, phone="1")
    client.post(apply_url(online_item), data)
    newer = hostile.pdf_demo_form()
    again = form_data(
        online_item,
        submission_token=data["submission_token"],
        **{f"m_{form.pk}": [SimpleUploadedFile("申请书（新）.pdf", newer)]},
    )
    assert client.post(apply_url(online_item), again).status_code == 302
    case = Case.objects.get()
    names = set(case.files.values_list("original_name", flat=True))
    assert "申请书（新）.pdf" in names and "申请书.pdf" not in names


def test_a_disguised_file_is_not_kept(client, online_item):
    form = online_item.materials.get(name="食品经营许可申请书")
    plan = online_item.materials.get(name="经营场所平面图")
    data = form_data(
        online_item,
        phone="1",
        **{
            f"m_{form.pk}": [
                SimpleUploadedFile("申请书.pdf", hostile.pdf_hex_escaped_javascript())
            ],
            f"m_{plan.pk}": [SimpleUploadedFile("平面图.png", hostile.png_header_then_script())],
        },
    )
    response = client.post(apply_url(online_item), data)
    assert response.status_code == 200
    assert StagedUpload.objects.count() == 0
    assert "已上传，无需重新选择" not in response.content.decode()
    # the required material is still missing on the next try
    again = form_data(
        online_item,
        submission_token=data["submission_token"],
        **{f"m_{form.pk}": None, f"m_{plan.pk}": None},
    )
    response = client.post(apply_url(online_item), again)
    assert response.status_code == 200
    assert "请上传此项必要材料：食品经营许可申请书" in response.content.decode()
    assert Case.objects.count() == 0


def test_kept_files_belong_to_their_token_only(client, online_item):
    form = online_item.materials.get(name="食品经营许可申请书")
    plan = online_item.materials.get(name="经营场所平面图")
    client.post(apply_url(online_item), form_data(online_item, phone="1"))
    other = form_data(
        online_item,
        submission_token=str(uuid.uuid4()),
        **{f"m_{form.pk}": None, f"m_{plan.pk}": None},
    )
    response = client.post(apply_url(online_item), other)
    assert response.status_code == 200
    assert "请上传此项必要材料" in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    "token",
    ["", "not-a-uuid", "../../etc/passwd", "<script>", "'; DROP TABLE cases_case; --", "9" * 5000],
)
def test_a_malformed_token_keeps_nothing_and_answers_clearly(client, online_item, token):
    response = client.post(
        apply_url(online_item), form_data(online_item, submission_token=token, phone="1")
    )
    assert response.status_code == 200
    assert StagedUpload.objects.count() == 0
    assert Case.objects.count() == 0


def test_kept_files_older_than_a_day_are_purged(client, online_item):
    before = set(staged_paths())
    with time_machine.travel("2026-12-01 09:00 +0800"):
        client.post(apply_url(online_item), form_data(online_item, phone="1"))
    assert StagedUpload.objects.count() == 3
    old_files = set(staged_paths()) - before
    assert len(old_files) == 3
    with time_machine.travel("2026-12-02 10:00 +0800"):
        client.post(apply_url(online_item), form_data(online_item, phone="1"))
    assert StagedUpload.objects.count() == 3  # only the new form's
    assert not any(p.exists() for p in old_files)  # the day-old copies are deleted
