"""Identity and query numbers are read as the applicant meant them, the same way on
every path (online form, an item's own ID field, the window, the API, the track
page): NFKC first (full-width digits and letters become ASCII), separators out,
lower-case x as X; then length, ASCII digits only, the province code and the
check digit are judged."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hall.api.tests.test_applications import payload as api_payload
from hall.cases import querynumbers
from hall.cases.models import Case
from hall.cases.tests.test_apply import apply_url, form_data
from hall.cases.tests.test_walk_in import walk_in_data
from hall.cases.validators import (
    PROVINCE_CODES,
    is_resident_id,
    normalise_id,
    resident_id_check,
    validate_resident_id,
)
from hall.catalogue.models import ApplicationField

pytestmark = pytest.mark.django_db

STORED = "11010519491231002X"
# Each is the same number as a person may type it.
TYPED = [
    "11010519491231002x",  # lower-case check letter
    "110105 19491231 002X",  # grouped as printed on the card (20 characters)
    "110105-19491231-002x",  # hyphens between the groups
    "110105\u201419491231\u2013002X",  # an em dash and an en dash from an input method
    "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and letter
    "１１０１０５\u3000１９４９１２３１\u3000００２ｘ",  # full-width with ideographic spaces
]
ARABIC_INDIC = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"  # NFKC keeps these digits: they must be refused
EXTENDED_ARABIC_INDIC = "۱۱۰۱۰۵۱۹۴۹۱۲۳۱۰۰۲X"
# A real province and one foreign digit in the sequence number: only the digit is wrong.
ONE_FOREIGN_DIGIT = "1101051949123100" + "\u0662" + resident_id_check("11010519491231002")
NON_ASCII_MESSAGE = "只能使用 0—9 的数字"


def with_region(prefix: str) -> str:
    first17 = prefix + "0105" + "19491231" + "002"
    return first17 + resident_id_check(first17)


NO_SUCH_PROVINCE = [with_region(p) for p in ("00", "10", "16", "24", "47", "66", "72", "99")]
REGION_MESSAGE = "省级行政区划代码"


# --- the one normalising function ----------------------------------------------


@pytest.mark.parametrize("typed", TYPED)
def test_every_typed_form_normalises_to_the_stored_number(typed):
    assert normalise_id(typed) == STORED
    validate_resident_id(typed)


@pytest.mark.parametrize("typed", [ARABIC_INDIC, EXTENDED_ARABIC_INDIC, ONE_FOREIGN_DIGIT])
def test_digits_that_are_not_ascii_after_nfkc_are_refused_with_their_own_message(typed):
    assert not is_resident_id(normalise_id(typed))
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(typed)
    assert NON_ASCII_MESSAGE in exc.value.messages[0]


@pytest.mark.parametrize("number", NO_SUCH_PROVINCE)
def test_a_number_of_no_province_is_refused_though_its_check_digit_agrees(number):
    assert not is_resident_id(number)
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(number)
    assert REGION_MESSAGE in exc.value.messages[0]


def test_every_province_of_gb_t_2260_and_the_residence_permits_are_accepted():
    mainland = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43}
    mainland |= {44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65}
    assert {int(p) for p in PROVINCE_CODES} == mainland | {71, 81, 82, 83}
    for prefix in PROVINCE_CODES:
        assert is_resident_id(with_region(prefix)), prefix


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("７Ｋ３Ｍ－Ｑ９ＴＸ－２ＨＢＤ－Ｆ８", "7K3MQ9TX2HBDF8"),
        ("７ｋ３ｍ\u2014ｑ９ｔｘ\u2014２ｈｂｄ\u2014ｆ８", "7K3MQ9TX2HBDF8"),
        ("7k3m\u2013q9tx\u2013 2hbd\u2013f8", "7K3MQ9TX2HBDF8"),
        ("7K3M\u3000Q9TX\u2212２ＨＢＤ\u2010F8", "7K3MQ9TX2HBDF8"),
        ("ＯＩＬ", "011"),
    ],
)
def test_query_numbers_typed_full_width_or_with_dashes_are_normalised(typed, expected):
    assert querynumbers.normalise(typed) == expected


def test_query_numbers_with_arabic_indic_digits_stay_invalid():
    number = querynumbers.generate()
    indic = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    if indic != number:
        assert not querynumbers.is_valid(querynumbers.normalise(indic))


# --- the online application form ---------------------------------------------------


@pytest.mark.parametrize("typed", TYPED)
def test_online_form_stores_the_normalised_number(client, online_item, typed):
    response = client.post(apply_url(online_item), form_data(online_item, id_number=typed))
    assert response.status_code == 302, response.content.decode()
    assert Case.objects.get().id_number == STORED


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (ARABIC_INDIC, NON_ASCII_MESSAGE),
        (ONE_FOREIGN_DIGIT, NON_ASCII_MESSAGE),
        (NO_SUCH_PROVINCE[-1], REGION_MESSAGE),
        ("110105 19491231 0021", "有效的 18 位居民身份证号码"),
    ],
)
def test_online_form_refuses_in_chinese_and_saves_nothing(client, online_item, typed, message):
    response = client.post(apply_url(online_item), form_data(online_item, id_number=typed))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == 0


def test_online_form_lets_the_grouped_number_be_typed_in_full(client, online_item):
    page = client.get(apply_url(online_item)).content.decode()
    field = page[page.index('name="id_number"') :]
    field = field[: field.index(">")]
    assert 'maxlength="18"' not in field


# --- an item's own configured ID field -------------------------------------------


@pytest.fixture
def item_with_id_field(online_item):
    ApplicationField.objects.create(
        item=online_item, key="legal_id", label="法定代表人身份证号码", kind="id_number"
    )
    return online_item


@pytest.mark.parametrize("typed", TYPED)
def test_item_id_field_stores_the_normalised_number(client, item_with_id_field, typed):
    data = form_data(item_with_id_field, f_legal_id=typed)
    response = client.post(apply_url(item_with_id_field), data)
    assert response.status_code == 302, response.content.decode()
    assert Case.objects.get().form_data["legal_id"] == STORED


@pytest.mark.parametrize(
    ("typed", "message"),
    [(EXTENDED_ARABIC_INDIC, NON_ASCII_MESSAGE), (NO_SUCH_PROVINCE[0], REGION_MESSAGE)],
)
def test_item_id_field_refuses_in_chinese(client, item_with_id_field, typed, message):
    data = form_data(item_with_id_field, f_legal_id=typed)
    response = client.post(apply_url(item_with_id_field), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == 0


# --- a case entered at the window ---------------------------------------------------


@pytest.mark.parametrize("typed", TYPED)
def test_walk_in_stores_the_normalised_number(login_as, online_item, typed):
    clerk = login_as("scjg_clerk")
    url = reverse("cases:walk_in", args=[online_item.code])
    response = clerk.post(url, walk_in_data(online_item, id_number=typed))
    assert response.status_code == 302, response.content.decode()
    assert Case.objects.get().id_number == STORED


@pytest.mark.parametrize(
    ("typed", "message"), [(ARABIC_INDIC, NON_ASCII_MESSAGE), (NO_SUCH_PROVINCE[3], REGION_MESSAGE)]
)
def test_walk_in_refuses_in_chinese(login_as, online_item, typed, message):
    clerk = login_as("scjg_clerk")
    url = reverse("cases:walk_in", args=[online_item.code])
    response = clerk.post(url, walk_in_data(online_item, id_number=typed))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.count() == 0


# --- the API ------------------------------------------------------------------------


def person_payload(item, **changes):
    person = {"applicant_kind": "person", "applicant_name": "张三", "id_number": STORED}
    return api_payload(item, **{**person, **changes})


@pytest.mark.parametrize("typed", TYPED)
def test_api_stores_the_normalised_number(client, item_with_id_field, typed):
    data = person_payload(item_with_id_field, id_number=typed, f_legal_id=typed)
    response = client.post("/api/v1/applications", data)
    assert response.status_code == 201, response.content.decode()
    case = Case.objects.get()
    assert (case.id_number, case.form_data["legal_id"]) == (STORED, STORED)


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("id_number", ARABIC_INDIC, NON_ASCII_MESSAGE),
        ("id_number", NO_SUCH_PROVINCE[1], REGION_MESSAGE),
        ("f_legal_id", EXTENDED_ARABIC_INDIC, NON_ASCII_MESSAGE),
    ],
)
def test_api_refuses_with_the_field_and_a_chinese_message(
    client, item_with_id_field, field, typed, message
):
    data = person_payload(item_with_id_field, **{field: typed})
    response = client.post("/api/v1/applications", data)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors
    assert Case.objects.count() == 0


# --- looking a case up by its query number -----------------------------------------


def full_width(number: str) -> str:
    shown = querynumbers.display(number).lower().replace("-", "－")
    return shown.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


def test_track_page_finds_a_number_typed_full_width(client, make_case):
    case = make_case()
    typed = full_width(case.query_number)
    response = client.post(reverse("cases:track"), {"number": typed, "phone": "2345"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:status", args=[case.query_number])


def test_track_page_finds_a_number_typed_with_em_dashes(client, make_case):
    case = make_case()
    typed = querynumbers.display(case.query_number).replace("-", "\u2014")
    response = client.post(reverse("cases:track"), {"number": typed, "phone": "2345"})
    assert response.status_code == 302


def test_api_lookup_finds_a_number_typed_full_width(client, make_case):
    case = make_case()
    response = client.get(
        f"/api/v1/applications/{full_width(case.query_number)}", {"phone": "2345"}
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["query_number"] == case.display_number


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1" * 10_000, "证件号码过长"),
        ("110105 " * 6, "证件号码过长"),
        ("11010519491231002X\x00", "空字符"),
        ("1101051949123100211", "有效的 18 位居民身份证号码"),
        ("١" * 41, "证件号码过长"),
    ],
)
def test_hostile_identity_numbers_get_a_chinese_message(typed, message):
    from hall.cases.forms import ApplicantForm

    form = ApplicantForm(
        data={
            "applicant_kind": "person",
            "applicant_name": "张三",
            "id_number": typed,
            "phone": "13857012345",
        }
    )
    assert not form.is_valid()
    assert any(message in m for m in form.errors["id_number"]), form.errors
