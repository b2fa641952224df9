"""The directory: credit codes, qualification, the guide panel, the center's
pages and their rights, the public column and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hall.agencies import services
from hall.agencies.forms import AgencyForm
from hall.agencies.models import Agency, Certificate
from hall.agencies.search import INDEX
from hall.core.audit_events import is_registered
from hall.core.models import AuditEntry
from hall.core.validators import normalise_id, uscc_check, validate_uscc
from hall.org.models import Center

from .factories import cert, make_agency, uscc

VALID = "91330800MA2A00001" + uscc_check("91330800MA2A00001")


# ---- credit codes ----------------------------------------------------------------------


def test_a_valid_credit_code_passes_and_a_wrong_check_character_does_not():
    validate_uscc(VALID)
    wrong = VALID[:17] + ("0" if VALID[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_uscc(wrong)
    assert "统一社会信用代码" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        validate_uscc(VALID[:17])  # too short
    with pytest.raises(ValidationError):
        validate_uscc(VALID[:16] + "I" + VALID[17])  # I is not in the alphabet


def test_lower_case_and_full_width_codes_are_read_as_the_stored_code():
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in VALID)
    assert normalise_id(VALID.lower()) == VALID
    assert normalise_id(full_width) == VALID
    assert normalise_id(" 9133 0800-" + VALID[8:]) == VALID
    validate_uscc(full_width)
    with pytest.raises(ValidationError):
        validate_uscc("٩" + VALID[1:])  # an Arabic-Indic digit


def _form_data(**overrides):
    data = {
        "center": Center.objects.get(region_code="330800").pk,
        "name": "衢州市正衡测绘有限公司",
        "uscc": uscc(),
        "categories": ["survey"],
        "scope": "工程测量",
        "contact_person": "王工",
        "phone": "0570-3000002",
        "address": "衢州市",
        "fee_basis": "市场调节价",
        "is_active": "on",
        "cert-TOTAL_FORMS": "1",
        "cert-INITIAL_FORMS": "0",
        "cert-MIN_NUM_FORMS": "0",
        "cert-MAX_NUM_FORMS": "50",
        "cert-0-category": "survey",
        "cert-0-number": "乙测资字3350001",
        "cert-0-level": "乙级",
        "cert-0-issuer": "浙江省自然资源厅",
        "cert-0-valid_from": "2024-01-01",
        "cert-0-valid_until": "2099-12-31",
    }
    data.update(overrides)
    return data


def test_the_form_stores_a_lower_case_full_width_code_normalised(login_as):
    client = login_as("city_admin")
    code = uscc()
    typed = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    response = client.post(reverse("agencies:staff_new"), _form_data(uscc=typed))
    assert response.status_code == 302
    agency = Agency.objects.get(name="衢州市正衡测绘有限公司")
    assert agency.uscc == code
    assert agency.certificates.get().number == "乙测资字3350001"
    assert AuditEntry.objects.filter(
        action="agencies.agency_create", object_id=str(agency.pk)
    ).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("uscc", VALID[:17] + "0" if VALID[17] != "0" else VALID[:17] + "1", "统一社会信用代码"),
        ("name", "   ", "这个字段是必填项"),
        ("name", "甲" * 10000, "不超过 100"),
        ("name", "<script>alert(1)</script>\x07", "控制字符"),
        ("name", "衢州\x00测绘", "空字符"),
        ("scope", "服务" * 5000, "不超过 2000"),
        ("categories", [], "至少选择一个服务类别"),
        ("categories", ["nonsense"], "有效"),
        ("cert-0-valid_until", "2020-01-01", "不能早于"),
        ("cert-0-valid_from", "10000-01-01", "有效的日期"),
    ],
)
def test_bad_input_on_the_form_is_refused_in_chinese_and_saves_nothing(
    login_as, field, value, message
):
    client = login_as("city_admin")
    before = Agency.objects.count()
    response = client.post(reverse("agencies:staff_new"), _form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Agency.objects.count() == before


def test_script_tags_and_emoji_are_kept_as_text_and_escaped(login_as, client):
    client = login_as("city_admin")
    name = "<script>alert(1)</script>衢州😀测绘"
    response = client.post(reverse("agencies:staff_new"), _form_data(name=name))
    assert response.status_code == 302
    agency = Agency.objects.get(name=name)
    INDEX.changed()
    page = client.get(reverse("agencies:detail", args=[agency.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "😀" in page


def test_non_utf8_bytes_in_a_post_do_not_break_the_form(login_as):
    client = login_as("city_admin")
    body = "&".join(f"{k}={v}" for k, v in _form_data().items() if k != "name").encode()
    body += b"&name=%FF%FE%FA"
    response = client.post(
        reverse("agencies:staff_new"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 302, 400)


def test_one_credit_code_once_per_center(login_as):
    agency = make_agency("衢州市已登记测绘有限公司")
    response = login_as("city_admin").post(
        reverse("agencies:staff_new"), _form_data(uscc=agency.uscc)
    )
    assert "本中心已登记统一社会信用代码相同的中介机构" in response.content.decode()
    # another center may list the same company
    assert Agency.objects.filter(uscc=agency.uscc).count() == 1
    make_agency("柯城分公司", region="330802")  # no clash across centers


# ---- qualification --------------------------------------------------------------------


def test_an_agency_whose_certificates_of_one_category_all_expired_is_flagged(db):
    fine = make_agency("衢州市有效测绘有限公司", certificates=[cert("survey", days=30)])
    lapsed = make_agency(
        "衢州市过期测绘有限公司",
        categories=("survey", "design"),
        certificates=[cert("survey", days=-1), cert("survey", days=-100), cert("design", days=300)],
    )
    renewed = make_agency(
        "衢州市换证测绘有限公司",
        certificates=[cert("survey", days=-10), cert("survey", days=400)],
    )
    endless = make_agency("衢州市长期测绘有限公司", certificates=[])
    from hall.agencies.selectors import today

    offered = set(Agency.objects.offered(today()).values_list("name", flat=True))
    assert fine.name in offered and renewed.name in offered and endless.name in offered
    assert lapsed.name not in offered
    assert lapsed.is_expired(today()) and not fine.is_expired(today())


def test_expired_agencies_are_left_out_of_the_default_public_list(client, db):
    make_agency("衢州市甲过期测绘有限公司", certificates=[cert("survey", days=-1)])
    make_agency("衢州市乙有效测绘有限公司")
    page = client.get(reverse("agencies:list"), {"q": "测绘有限公司"}).content.decode()
    assert "乙有效" in page and "甲过期" not in page
    page = client.get(reverse("agencies:list"), {"q": "测绘有限公司", "expired": "on"})
    assert "甲过期" in page.content.decode() and "资质过期" in page.content.decode()


def test_the_guide_lists_only_qualified_active_agencies_of_the_item(client, make_item, db):
    from hall.org.models import Department

    dept = Department.objects.get(center__region_code="330800", code="SCJG")
    item = make_item(dept, "建设项目环境影响报告书审批（测试）")
    other = make_item(dept, "另一个事项")
    make_agency("衢州市合格环境科技有限公司", categories=("eia",), items=[item])
    make_agency(
        "衢州市过期环境科技有限公司",
        categories=("eia",),
        certificates=[cert("eia", days=-5)],
        items=[item],
    )
    make_agency("衢州市停用环境科技有限公司", categories=("eia",), items=[item], active=False)
    make_agency("衢州市别家环境科技有限公司", categories=("eia",), items=[other])
    # an agency of another center cannot be linked to the city's item
    county = make_agency(
        "柯城区环境科技有限公司", region="330802", categories=("eia",), items=[item]
    )
    assert county.items.count() == 0
    page = client.get(reverse("catalogue:item", args=[item.code])).content.decode()
    assert "可选中介服务机构" in page
    assert "合格环境科技" in page
    for absent in ("过期环境科技", "停用环境科技", "别家环境科技", "柯城区环境科技"):
        assert absent not in page
    plain = client.get(reverse("catalogue:item", args=[other.code])).content.decode()
    assert "合格环境科技" not in plain


# ---- the center's pages and their rights ------------------------------------------------


def test_another_centers_agency_is_not_there_for_a_county_admin(login_as):
    city = make_agency("衢州市市本级测绘有限公司")
    own = make_agency("柯城区本级测绘有限公司", region="330802")
    client = login_as("kc_admin")
    assert client.get(reverse("agencies:staff_edit", args=[own.pk])).status_code == 200
    for name in ("staff_edit", "staff_active", "staff_delete"):
        url = reverse(f"agencies:{name}", args=[city.pk])
        response = client.get(url) if name == "staff_edit" else client.post(url, {"active": "0"})
        assert response.status_code == 404, name
    city.refresh_from_db()
    assert city.is_active
    listing = client.get(reverse("agencies:staff_list")).content.decode()
    assert "柯城区本级" in listing and "市本级测绘" not in listing
    # the city keeps its counties' agencies
    assert (
        login_as("city_admin").get(reverse("agencies:staff_edit", args=[own.pk])).status_code == 200
    )


def test_without_the_right_the_pages_do_not_exist_and_the_services_refuse(login_as, user_named):
    agency = make_agency("衢州市无权测绘有限公司")
    client = login_as("scjg_admin")
    assert client.get(reverse("agencies:staff_list")).status_code == 404
    assert client.post(reverse("agencies:staff_delete", args=[agency.pk])).status_code == 404
    with pytest.raises(services.AgencyForbidden):
        services.agency_set_active(actor=user_named("scjg_admin"), agency=agency, active=False)
    with pytest.raises(services.AgencyForbidden):
        services.agency_delete(actor=user_named("kc_admin"), agency=agency)
    assert Agency.objects.filter(pk=agency.pk, is_active=True).exists()


def test_deactivate_and_delete_are_audited_and_leave_the_public_list(login_as, client):
    agency = make_agency("衢州市停用删除测绘有限公司")
    staff = login_as("city_admin")
    staff.post(reverse("agencies:staff_active", args=[agency.pk]), {"active": "0"})
    assert AuditEntry.objects.filter(action="agencies.agency_deactivate").exists()
    INDEX.changed()
    assert client.get(reverse("agencies:detail", args=[agency.pk])).status_code == 404
    staff.post(reverse("agencies:staff_delete", args=[agency.pk]))
    assert not Agency.objects.filter(pk=agency.pk).exists()
    assert not Certificate.objects.filter(agency_id=agency.pk).exists()
    assert AuditEntry.objects.filter(action="agencies.agency_delete").exists()
    assert all(
        is_registered(code)
        for code in ("agencies.agency_create", "agencies.agency_update", "agencies.agency_import")
    )


def test_the_staff_list_filters(login_as):
    make_agency("衢州市筛选甲测绘有限公司", certificates=[cert("survey", days=-3)])
    make_agency("衢州市筛选乙监理有限公司", categories=("supervision",))
    client = login_as("city_admin")
    page = client.get(reverse("agencies:staff_list"), {"status": "expired", "q": "筛选"})
    assert "筛选甲" in page.content.decode() and "筛选乙" not in page.content.decode()
    page = client.get(reverse("agencies:staff_list"), {"category": "supervision", "q": "筛选"})
    assert "筛选乙" in page.content.decode() and "筛选甲" not in page.content.decode()
    bad = client.get(reverse("agencies:staff_list"), {"center": "9" * 30, "category": "<x>"})
    assert bad.status_code == 200 and "筛选条件无效" in bad.content.decode()


def test_the_form_offers_only_items_of_the_agencys_center(login_as, make_item, kc_scjg):
    item = make_item(kc_scjg, "柯城区测绘事项")
    form = AgencyForm(
        data=_form_data(items=[item.pk]),
        centers=Center.objects.filter(region_code="330800"),
    )
    assert not form.is_valid()
    assert "items" in form.errors


# ---- the public column ------------------------------------------------------------------


@pytest.fixture
def public_agencies(db):
    return [
        make_agency("衢州市信安测绘有限公司", scope="不动产测绘、地形图测绘"),
        make_agency("衢州市华衢环境科技有限公司", categories=("eia",), scope="环境影响报告书编制"),
        make_agency("龙游县鼎诚工程监理有限公司", region="330825", categories=("supervision",)),
    ]


@pytest.mark.parametrize(
    ("q", "found", "absent"),
    [
        ("测", "信安测绘", "鼎诚工程监理"),  # one character
        ("监理", "鼎诚工程监理", "信安测绘"),  # two characters
        ("xinan", "信安测绘", "华衢环境"),  # pinyin
        ("hqhj", "华衢环境", "信安测绘"),  # initials
        ("环境影响评价", "华衢环境", "信安测绘"),  # a category
        ("地形图", "信安测绘", "华衢环境"),  # the service scope
    ],
)
def test_public_search(client, public_agencies, q, found, absent):
    page = client.get(reverse("agencies:list"), {"q": q}).content.decode()
    assert found in page and absent not in page


def test_public_filters_by_category_and_by_item(client, public_agencies, make_item, city_scjg):
    item = make_item(city_scjg, "测绘成果事项")
    linked = make_agency("衢州市关联测绘有限公司", items=[item])
    page = client.get(reverse("agencies:list"), {"category": "eia"}).content.decode()
    assert "华衢环境" in page and "信安测绘" not in page
    page = client.get(reverse("agencies:list"), {"item": item.pk}).content.decode()
    assert linked.name in page and "信安测绘" not in page and item.name in page


@pytest.mark.parametrize(
    "params",
    [
        {"q": "<script>alert(1)</script>"},
        {"q": "测" * 10000},
        {"q": "😀"},
        {"q": "   "},
        {"q": "'; DROP TABLE agencies_agency; --"},
        {"item": "9" * 30},
        {"item": "-1"},
        {"category": "../../etc/passwd"},
        {"page": "99999"},
    ],
)
def test_public_list_takes_bad_input_without_an_error(client, public_agencies, params):
    response = client.get(reverse("agencies:list"), params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_detail_shows_validity_and_marks_expired_certificates(client, db):
    agency = make_agency(
        "衢州市证书测绘有限公司",
        certificates=[
            cert("survey", days=200, number="N-OK"),
            cert("survey", days=-9, number="N-OLD"),
        ],
    )
    page = client.get(reverse("agencies:detail", args=[agency.pk])).content.decode()
    assert "N-OK" in page and "N-OLD" in page and "已过期" in page and "有效期" in page
    assert client.get("/agencies/999999999/").status_code == 404


def test_the_home_page_lists_categories_with_counts(client, public_agencies):
    page = client.get(reverse("portal:home")).content.decode()
    assert "中介服务" in page and "?category=eia" in page
    assert client.get("/columns/agencies/")["Location"] == reverse("agencies:list")


# ---- the API ------------------------------------------------------------------------------


def test_api_list_search_filters_and_paging(client, public_agencies):
    body = client.get("/api/v1/agencies", {"q": "cehui"}).json()
    assert body["count"] >= 1 and all("results" in body for _ in [0])
    assert any(r["name"] == "衢州市信安测绘有限公司" for r in body["results"])
    body = client.get("/api/v1/agencies", {"category": "supervision", "q": "鼎诚"}).json()
    assert [r["name"] for r in body["results"]] == ["龙游县鼎诚工程监理有限公司"]
    page = client.get("/api/v1/agencies", {"limit": 1, "offset": 1, "q": "有限公司"}).json()
    assert len(page["results"]) == 1 and page["count"] >= 3


def test_api_detail_and_chinese_errors(client, public_agencies):
    agency = public_agencies[0]
    body = client.get(f"/api/v1/agencies/{agency.pk}").json()
    assert body["uscc"] == agency.uscc and body["certificates"][0]["expired"] is False
    for url, params in [
        ("/api/v1/agencies/abc", {}),
        ("/api/v1/agencies/" + "9" * 30, {}),
        ("/api/v1/agencies", {"category": "<script>"}),
        ("/api/v1/agencies", {"item": "x"}),
        ("/api/v1/agencies", {"limit": "many"}),
    ]:
        response = client.get(url, params)
        assert response.status_code in (404, 422), url
        assert response["Content-Type"].startswith("application/json")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"]), url
    for q in ("\x00", "😀" * 5000, "   "):
        assert client.get("/api/v1/agencies", {"q": q}).status_code == 200
