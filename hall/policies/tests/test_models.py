"""The document's own rules: 文号 shape, dates, replacement and interpretation links."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hall.policies.models import PolicyDocument, normalise_doc_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("衢政办发〔2012〕15号", "衢政办发〔2012〕15号"),
        ("衢政办发[2012]15号", "衢政办发〔2012〕15号"),
        ("衢政办发【2012】15号", "衢政办发〔2012〕15号"),
        (" 衢政办发 〔2012〕 15号 ", "衢政办发〔2012〕15号"),
        ("", ""),
    ],
)
def test_document_numbers_are_normalised(raw, stored):
    assert normalise_doc_number(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        "15号",
        "衢政办发2012-15",
        "衢政办发〔12〕15号",
        "衢政办发〔2012〕15",
        "衢政办发〔2012〕0号",
        "<script>〔2012〕1号",
        "😀〔2012〕1号",
        "x" * 10_000,
    ],
)
def test_bad_document_numbers_are_refused_in_chinese(raw):
    with pytest.raises(ValidationError) as exc:
        normalise_doc_number(raw)
    assert "文号格式应为" in exc.value.messages[0]


def test_effective_date_not_before_issue(make_policy, city_scjg):
    with pytest.raises(ValidationError) as exc:
        make_policy(city_scjg, "日期倒置", issued_on="2024-05-01", effective_on="2024-04-01")
    assert exc.value.message_dict["effective_on"] == ["施行日期不能早于发文日期。"]
    # The database refuses it too, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyDocument.objects.create(
            center=city_scjg.center,
            department=city_scjg,
            title="绕过校验",
            issuer="x",
            kind="notice",
            issued_on=date(2024, 5, 1),
            effective_on=date(2024, 4, 1),
            body="x",
        )


def test_revised_and_repealed_need_a_replacement_of_the_same_center(
    make_policy, city_scjg, kc_scjg
):
    new = make_policy(city_scjg, "新办法")
    county = make_policy(kc_scjg, "县里的办法")
    for status in ("revised", "repealed"):
        with pytest.raises(ValidationError) as exc:
            make_policy(city_scjg, f"旧办法{status}", status=status)
        assert "须注明替代它的文件" in exc.value.message_dict["replaced_by"][0]
    with pytest.raises(ValidationError) as exc:
        make_policy(city_scjg, "跨中心", status="revised", replaced_by=county)
    assert exc.value.message_dict["replaced_by"] == ["替代文件须是本中心的文件。"]
    with pytest.raises(ValidationError) as exc:
        make_policy(city_scjg, "有效却有替代", replaced_by=new)
    assert "只有已修订或已废止" in exc.value.message_dict["replaced_by"][0]
    old = make_policy(city_scjg, "旧办法", status="revised", replaced_by=new)
    assert list(new.replaces.all()) == [old]
    old.replaced_by = old
    with pytest.raises(ValidationError):
        old.full_clean()


def test_interpretation_links_what_it_explains(make_policy, city_scjg):
    explained = make_policy(city_scjg, "被解读的办法")
    with pytest.raises(ValidationError) as exc:
        make_policy(city_scjg, "没有对象的解读", kind="interpretation")
    assert exc.value.message_dict["explains"] == ["政策解读须注明所解读的文件。"]
    with pytest.raises(ValidationError) as exc:
        make_policy(city_scjg, "通知也想解读", kind="notice", explains=explained)
    assert exc.value.message_dict["explains"] == ["只有政策解读才能注明所解读的文件。"]
    reading = make_policy(city_scjg, "办法解读", kind="interpretation", explains=explained)
    assert list(explained.interpretations.all()) == [reading]
    with pytest.raises(ValidationError):
        make_policy(city_scjg, "解读的解读", kind="interpretation", explains=reading)
