"""The Excel import and export of the directory, on the catalogue's machinery:
a preview first, every row's problems in Chinese, all or nothing, the file
checks of the catalogue's import, and an export that imports back unchanged."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from hall.agencies import excel
from hall.agencies.models import Agency, Certificate
from hall.catalogue.excel.reading import MAX_UNCOMPRESSED
from hall.core.models import AuditEntry
from hall.core.tests import hostile

from .factories import cert, make_agency, uscc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [c.header for c in excel.AGENCY_COLUMNS]
CERT_HEADERS = [c.header for c in excel.CERTIFICATE_COLUMNS]


def workbook(rows, certs=None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = excel.AGENCY_SHEET
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    if certs is not None:
        cs = book.create_sheet(excel.CERTIFICATE_SHEET)
        cs.append(CERT_HEADERS)
        for row in certs:
            cs.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(code, name="衢州市导入测绘有限公司", **over):
    values = {
        "统一社会信用代码": code,
        "机构名称": name,
        "所属中心区划代码": "",
        "服务类别": "测绘、建筑设计",
        "服务范围": "工程测量",
        "关联事项编码": "",
        "联系人": "王工",
        "联系电话": "0570-3000003",
        "地址": "衢州市柯城区",
        "收费依据": "市场调节价",
        "是否启用": "是",
    }
    values.update(over)
    return [values[h] for h in HEADERS]


def upload(client, data: bytes, name: str = "agencies.xlsx"):
    return client.post(
        reverse("agencies:import"), {"file": SimpleUploadedFile(name, data, content_type=XLSX)}
    )


def confirm(client, response):
    token = response.context["preview"].token
    return client.post(reverse("agencies:import"), {"confirm": "1", "token": token})


def test_preview_then_confirm_creates_the_agencies_with_certificates(
    login_as, make_item, city_scjg
):
    item = make_item(city_scjg, "导入关联事项")
    a, b = uscc(), uscc()
    data = workbook(
        [
            row(a, 关联事项编码=item.code),
            row(b.lower(), name="衢州市导入监理有限公司", 服务类别="工程监理"),
        ],
        certs=[
            [
                a,
                "测绘",
                "乙测资字1",
                "乙级",
                "浙江省自然资源厅",
                date(2024, 1, 1),
                date(2099, 1, 1),
            ],
            [a, "建筑设计", "A1", "甲级", "浙江省住建厅", "2024-01-01", "2099/12/31"],
            [b, "工程监理", "E1", "甲级", "浙江省住建厅", None, "2020年1月1日"],
        ],
    )
    client = login_as("city_admin")
    response = upload(client, data)
    preview = response.context["preview"]
    assert preview.errors == [] and preview.created_count == 2
    assert not Agency.objects.filter(uscc__in=[a, b]).exists()  # nothing saved before confirming
    response = confirm(client, response)
    assert response.status_code == 302
    first = Agency.objects.get(uscc=a)
    assert sorted(first.category_codes) == ["design", "survey"]
    assert list(first.items.all()) == [item]
    assert first.certificates.count() == 2
    second = Agency.objects.get(uscc=b)  # the lower-case code was normalised
    assert second.is_expired(date.today())
    assert AuditEntry.objects.filter(action="agencies.agency_import").exists()


def test_row_errors_are_listed_in_chinese_and_nothing_is_saved(login_as, make_item, kc_scjg):
    county_item = make_item(kc_scjg, "柯城区的事项")
    good = uscc()
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    data = workbook(
        [
            row(good),
            row(bad_check, name="衢州市校验码错误有限公司"),
            row(uscc(), name="", 服务类别="算命"),
            row(good, name="重复行"),
            row(uscc(), 所属中心区划代码="110000", 是否启用="也许"),
            row(uscc(), 关联事项编码=county_item.code),
            row(uscc(), 服务范围="长" * 3000),
        ],
        certs=[
            ["91330800MA2A000000", "测绘", "X", "", "", "", ""],
            [good, "测绘", "", "", "", "明天", ""],
        ],
    )
    before = Agency.objects.count()
    response = upload(login_as("city_admin"), data)
    errors = response.context["preview"].errors
    text = "\n".join(f"{r} {c} {m}" for r, c, m in errors)
    for expected in (
        "3 统一社会信用代码 请输入有效的 18 位统一社会信用代码。",
        "4 机构名称 请填写“机构名称”。",
        "“算命”不是有效的服务类别",
        "与第 2 行重复",
        "中心区划代码“110000”不存在或不在您的管理范围内",
        "“是否启用”应填写“是”或“否”",
        f"事项编码“{county_item.code}”不是所属中心的事项",
        "单元格内容过长",
        "资质证书·统一社会信用代码",
        "资质证书·证书编号 请填写“证书编号”。",
        "“有效期起”应为日期",
    ):
        assert expected in text, expected
    assert "没有保存任何内容" in response.content.decode()
    assert Agency.objects.count() == before


def test_one_bad_row_stops_the_whole_import_even_at_confirmation(login_as):
    """All or nothing: a row that turns bad between preview and confirmation
    (another clerk registered the code) stops every row."""
    a, b = uscc(), uscc()
    client = login_as("city_admin")
    response = upload(client, workbook([row(a), row(b, name="衢州市第二家有限公司")]))
    assert response.context["preview"].created_count == 2
    city = Agency.objects.model._meta.get_field("center").related_model.objects.get(
        region_code="330800"
    )
    agency = Agency.objects.create(center=city, name="抢先登记有限公司", uscc=b)
    response = confirm(client, response)
    assert response.status_code == 302
    assert not Agency.objects.filter(uscc=a).exists()
    assert Agency.objects.filter(uscc=b).get() == agency


def test_export_then_import_again_changes_nothing(login_as, make_item, city_scjg):
    item = make_item(city_scjg, "往返事项")
    make_agency(
        "衢州市往返测绘有限公司",
        categories=("survey", "design"),
        certificates=[cert("survey", days=100), cert("design", days=-3)],
        items=[item],
        scope="第一行\n第二行 <b>粗</b> 😀",
    )
    make_agency("柯城区往返监理有限公司", region="330802", categories=("supervision",))
    client = login_as("city_admin")
    data = client.get(reverse("agencies:export")).content
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [excel.AGENCY_SHEET, excel.CERTIFICATE_SHEET, excel.NOTES_SHEET]
    response = upload(client, data)
    preview = response.context["preview"]
    assert preview.errors == []
    assert preview.created_count == 0 and preview.updated_count == 0
    assert preview.unchanged_count == Agency.objects.count()


def test_an_edit_in_the_export_previews_an_update_and_replaces_certificates(login_as):
    agency = make_agency("衢州市改动测绘有限公司", certificates=[cert("survey", days=-1)])
    client = login_as("city_admin")
    book = load_workbook(io.BytesIO(client.get(reverse("agencies:export")).content))
    ws, cs = book[excel.AGENCY_SHEET], book[excel.CERTIFICATE_SHEET]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == agency.uscc:
            ws.cell(r, HEADERS.index("联系电话") + 1, "0570-1234567")
    for r in range(2, cs.max_row + 1):
        if cs.cell(r, 1).value == agency.uscc:
            cs.cell(r, CERT_HEADERS.index("有效期至") + 1, date(2099, 1, 1))
    out = io.BytesIO()
    book.save(out)
    response = upload(client, out.getvalue())
    preview = response.context["preview"]
    changed = [r for r in preview.rows if r["action"] == "update"]
    assert [r["code"] for r in changed] == [agency.uscc]
    assert set(changed[0]["changed_columns"]) == {"联系电话", "资质证书"}
    confirm(client, response)
    agency.refresh_from_db()
    assert agency.phone == "0570-1234567" and not agency.is_expired(date.today())
    assert Certificate.objects.filter(agency=agency).count() == 1


def test_the_template_downloads_and_its_example_validates(login_as):
    client = login_as("city_admin")
    response = client.get(reverse("agencies:template"))
    assert response["Content-Type"] == XLSX
    preview = upload(client, response.content).context["preview"]
    assert preview.errors == [] and preview.created_count == 1


# ---- hostile files: the catalogue import's checks -------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ" + b"\x00" * 4096, "agencies.xlsx"),  # an executable named .xlsx
        (b"PK\x03\x04" + b"\x13" * 2000, "agencies.xlsx"),  # zip's first bytes, no zip
        (b"<script>alert(1)</script>", "agencies.xlsx"),
        (hostile.docx(), "agencies.xlsx"),  # a Word file renamed
        (b"\xff\xfe\x00bad", "../../etc/passwd.xlsx"),
    ],
)
def test_files_that_are_no_workbook_are_refused_by_the_form(login_as, data, name):
    before = Agency.objects.count()
    response = upload(login_as("city_admin"), data, name)
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert response.context["form"].errors["file"]
    assert Agency.objects.count() == before


def test_a_zip_bomb_is_refused_before_it_is_opened(user_named):
    bomb = hostile._raw_zip(
        [
            ("[Content_Types].xml", hostile._deflate(b"<Types/>"), 0, 8),
            ("xl/sharedStrings.xml", *hostile._zeros_deflated(MAX_UNCOMPRESSED // (1 << 20) + 1)),
        ]
    )
    preview = excel.parse_import(
        SimpleUploadedFile("a.xlsx", bomb, content_type=XLSX), user=user_named("city_admin")
    )
    assert len(preview.errors) == 1 and "解压后过大" in preview.errors[0][2]


def test_a_zip_openpyxl_cannot_read_gives_a_clear_message(login_as):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml at all")
        archive.writestr("xl/workbook.xml", b"\x00\x01garbage")
    response = upload(login_as("city_admin"), buffer.getvalue())
    errors = response.context["preview"].errors
    assert len(errors) == 1 and "无法读取该文件" in errors[0][2]


def test_too_many_rows_are_refused(user_named):
    rows = [row(uscc(), name=f"机构{n}") for n in range(excel.MAX_AGENCY_ROWS + 1)]
    preview = excel.parse_import(
        SimpleUploadedFile("a.xlsx", workbook(rows), content_type=XLSX),
        user=user_named("city_admin"),
    )
    assert "超过 3000 行数据" in preview.errors[0][2]


def test_a_county_admin_imports_only_into_their_center(login_as):
    response = upload(
        login_as("kc_admin"), workbook([row(uscc("330800"), 所属中心区划代码="330800")])
    )
    assert "不在您的管理范围内" in response.content.decode()


def test_confirm_with_a_bogus_token_says_the_preview_expired(login_as):
    client = login_as("city_admin")
    response = client.post(reverse("agencies:import"), {"confirm": "1", "token": "x"}, follow=True)
    assert "导入预览已过期" in response.content.decode()
