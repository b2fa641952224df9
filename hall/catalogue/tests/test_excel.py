"""Excel export and import of the catalogue: one format both ways, every row
checked, nothing saved unless the whole file is right and confirmed."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from hall.catalogue import excel, services
from hall.catalogue.constants import FilingAction, FilingStatus
from hall.catalogue.models import Filing, ItemVersion, Material, ServiceItem
from hall.core.models import AuditEntry
from hall.org.models import Department

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [c.header for c in excel.ITEM_COLUMNS]


def make_item(department, number=1, *, name="食品经营许可", item_type="xk", **fields):
    """An item of `department` with a few materials, coded like 330800-SCJG-XK-0001."""
    type_code = {"xk": "XK", "gg": "GG", "qr": "QR"}[item_type]
    values = {
        "aliases": "食品许可证、餐饮许可",
        "applicant_type": "company",
        "online_depth": 3,
        "statutory_days": 20,
        "promised_days": 5,
        "conditions": "具有与经营的食品品种相适应的经营场所；\n有食品安全管理人员。",
        "procedure": "申请\n受理\n审查\n决定",
        "result_name": "食品经营许可证",
        "onsite_visits": 0,
        "place": "市行政服务中心二楼",
        "hours": "工作日 9:00—17:00",
        "contact_phone": "0570-3058221",
        "complaint_phone": "0570-3058100",
        "legal_basis_text": "《中华人民共和国食品安全法》第三十五条",
        **fields,
    }
    item = ServiceItem.objects.create(
        center=department.center,
        department=department,
        code=f"{department.center.region_code}-{department.code}-{type_code}-{number:04d}",
        name=name,
        item_type=item_type,
        **values,
    )
    Material.objects.create(
        item=item, name="食品经营许可申请书", submission="online", sort_order=1, notes="签字盖章"
    )
    Material.objects.create(
        item=item,
        name="营业执照",
        submission="onsite",
        original_or_copy="copy",
        copies=2,
        source="申请人自备",
        sort_order=2,
        template="catalogue/material/kept-template.pdf",
        template_name="空白表格.pdf",
    )
    return item


@pytest.fixture
def city_zrzy(db) -> Department:
    return Department.objects.get(center__region_code="330800", code="ZRZY")


@pytest.fixture
def scjg_items(city_scjg):
    return [
        make_item(city_scjg, 1),
        make_item(
            city_scjg,
            1,
            name='=HYPERLINK("http://evil.example")',
            item_type="gg",
            is_free=False,
            fee_standard="每件 10 元",
            fee_basis="浙价费〔2020〕1号",
            conditions="很长的受理条件。" * 400,  # 3,200 characters, stored before the limit
        ),
    ]


def upload(client, data: bytes, name: str = "items.xlsx"):
    return client.post(
        reverse("catalogue:import"), {"file": SimpleUploadedFile(name, data, content_type=XLSX)}
    )


def as_file(data: bytes, name: str = "items.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def edit(data: bytes, change) -> bytes:
    """The workbook `data` after `change(item_sheet, material_sheet)`."""
    book = load_workbook(io.BytesIO(data))
    change(book[excel.ITEM_SHEET], book[excel.MATERIAL_SHEET])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def column(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def find_row(ws, code: str) -> int:
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 1).value == code:
            return row
    raise AssertionError(code)


def workbook(rows: list[list], headers: list[str] = HEADERS) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = excel.ITEM_SHEET
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def new_row(**overrides) -> list:
    values = {
        "事项编码": None,
        "事项名称": "新办事项",
        "别名": "",
        "办理部门代码": "SCJG",
        "事项类型": "行政许可",
        "服务对象": "企业",
        "网上办理深度": 2,
        "法定时限": 20,
        "承诺时限": 10,
        "是否收费": "否",
        "收费标准": "",
        "收费依据": "",
        "受理条件": "条件一",
        "办理程序": "申请\n受理",
        "办理结果": "批准文书",
        "到现场次数": 1,
        "办理地点": "二楼",
        "办理时间": "工作日",
        "咨询电话": "0570-3058221",
        "投诉电话": "",
        "设定依据": "",
        "是否发布": "是",
        **overrides,
    }
    return [values[h] for h in HEADERS]


def state():
    """What must not move when an import is refused."""
    return (
        ServiceItem.objects.count(),
        Filing.objects.count(),
        ItemVersion.objects.count(),
        Material.objects.count(),
        sorted(ServiceItem.objects.values_list("code", "promised_days", "name", "version")),
    )


def export(client) -> bytes:
    response = client.get(reverse("catalogue:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return response.content


# ---- the round trip ----------------------------------------------------------------


def test_export_then_reimport_unchanged_validates_and_changes_nothing(login_as, scjg_items):
    client = login_as("scjg_admin")
    data = export(client)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["事项", "申报材料"]
    assert [c.value for c in book["事项"][1]] == HEADERS
    assert book["事项"].max_row == 3 and book["申报材料"].max_row == 5
    # A name that looks like a formula is written as text, never as a formula.
    cell = book["事项"].cell(find_row(book["事项"], scjg_items[1].code), 2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")

    before = state()
    response = upload(client, data)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.errors == []
    assert [r["action"] for r in preview.rows] == ["unchanged", "unchanged"]
    assert (preview.created_count, preview.updated_count) == (0, 0)
    assert "表格内容与当前目录一致" in response.content.decode()
    assert excel.apply_import(preview, actor=response.wsgi_request.user) == (0, 0)
    assert state() == before


def test_city_admin_round_trip_across_centers(login_as, user_named, city_scjg, kc_scjg):
    make_item(city_scjg, 1)
    make_item(kc_scjg, 1)  # the same department code in 柯城区: told apart by the region
    client = login_as("city_admin")
    preview = excel.parse_import(as_file(export(client)), user=user_named("city_admin"))
    assert preview.errors == []
    assert {r["action"] for r in preview.rows} == {"unchanged"}
    assert {r["department_id"] for r in preview.rows} >= {city_scjg.pk, kc_scjg.pk}


def test_edit_promised_days_previews_an_update_and_confirm_files_it(login_as, scjg_items):
    client = login_as("scjg_admin")
    item = scjg_items[0]

    def change(ws, _materials):
        ws.cell(find_row(ws, item.code), column(ws, "承诺时限")).value = 3

    before = (ItemVersion.objects.count(), Filing.objects.count(), AuditEntry.objects.count())
    response = upload(client, edit(export(client), change))
    preview = response.context["preview"]
    assert preview.errors == []
    row = next(r for r in preview.rows if r["code"] == item.code)
    assert row["action"] == "update" and row["changed_columns"] == ["承诺时限"]
    assert preview.updated_count == 1 and preview.created_count == 0
    page = response.content.decode()
    assert "确认导入" in page and "更新（承诺时限）" in page
    item.refresh_from_db()
    assert item.promised_days == 5  # nothing saved before the confirmation

    response = client.post(
        reverse("catalogue:import"), {"token": preview.token, "confirm": "1"}, follow=True
    )
    assert "导入完成：新增 0 项，更新 1 项" in response.content.decode()
    item.refresh_from_db()
    assert item.promised_days == 3
    assert (ItemVersion.objects.count(), Filing.objects.count(), AuditEntry.objects.count()) == (
        before[0] + 1,
        before[1] + 1,
        before[2] + 1,
    )
    filing = Filing.objects.get(item=item)
    assert filing.action == FilingAction.UPDATE
    assert filing.status == FilingStatus.PENDING  # a department's change awaits the center
    assert filing.center == item.center
    assert [d["field"] for d in filing.diff] == ["promised_days"]
    assert AuditEntry.objects.filter(
        action="catalogue.item_update", object_id=str(item.pk)
    ).exists()
    # The token is spent: confirming twice does nothing more.
    again = client.post(reverse("catalogue:import"), {"token": preview.token, "confirm": "1"})
    assert again.status_code == 302
    assert Filing.objects.count() == before[1] + 1


def test_new_row_without_code_gets_a_generated_code(login_as, scjg_items, city_scjg, user_named):
    user = user_named("scjg_admin")
    expected = services.item_next_code(department=city_scjg, item_type="xk")
    preview = excel.parse_import(
        as_file(workbook([new_row(), new_row(事项名称="另一新事项")])), user=user
    )
    assert preview.errors == []
    assert [r["action"] for r in preview.rows] == ["create", "create"]
    assert excel.apply_import(preview, actor=user) == (2, 0)
    created = ServiceItem.objects.get(name="新办事项")
    assert created.code == expected
    assert created.center == city_scjg.center and created.department == city_scjg
    other = ServiceItem.objects.get(name="另一新事项")
    assert other.code == expected[:-4] + f"{int(expected[-4:]) + 1:04d}"
    filing = Filing.objects.get(item=created)
    assert filing.action == FilingAction.CREATE and filing.status == FilingStatus.PENDING
    assert created.versions.count() == 1
    assert created.search_text


def test_city_admin_creates_in_a_county_by_the_code_region(user_named, kc_scjg):
    user = user_named("city_admin")
    preview = excel.parse_import(
        as_file(workbook([new_row(事项编码="330802-SCJG-XK-0042")])), user=user
    )
    assert preview.errors == []
    assert preview.rows[0]["department_id"] == kc_scjg.pk
    excel.apply_import(preview, actor=user)
    item = ServiceItem.objects.get(code="330802-SCJG-XK-0042")
    assert item.center == kc_scjg.center
    # The center's own change is filed as already reviewed.
    assert Filing.objects.get(item=item).status == FilingStatus.REVIEWED


def test_materials_sheet_replaces_materials_and_keeps_their_files(login_as, scjg_items):
    client = login_as("scjg_admin")
    item = scjg_items[0]

    def change(_ws, materials):
        for row in range(2, materials.max_row + 1):
            if (
                materials.cell(row, 1).value == item.code
                and materials.cell(row, 2).value == "营业执照"
            ):
                materials.cell(row, column(materials, "份数")).value = 3
        materials.append([item.code, "法定代表人身份证", "现场提交", "是", "复印件", 1, "", ""])

    response = upload(client, edit(export(client), change))
    preview = response.context["preview"]
    assert preview.errors == []
    row = next(r for r in preview.rows if r["code"] == item.code)
    assert row["changed_columns"] == ["申报材料"]
    client.post(reverse("catalogue:import"), {"token": preview.token, "confirm": "1"})
    materials = list(item.materials.order_by("sort_order"))
    assert [m.name for m in materials] == ["食品经营许可申请书", "营业执照", "法定代表人身份证"]
    licence = materials[1]
    assert licence.copies == 3
    assert licence.template.name == "catalogue/material/kept-template.pdf"
    assert licence.template_name == "空白表格.pdf"
    assert materials[2].original_or_copy == "copy"
    # The other item's materials did not move.
    assert scjg_items[1].materials.count() == 2
    filing = Filing.objects.get(item=item)
    assert {d["field"] for d in filing.diff} == {"materials", "materials.copies"}
    assert item.versions.get().snapshot["materials"][2]["name"] == "法定代表人身份证"


def test_without_the_materials_sheet_materials_are_left_alone(login_as, scjg_items):
    client = login_as("scjg_admin")
    book = load_workbook(io.BytesIO(export(client)))
    del book[excel.MATERIAL_SHEET]
    out = io.BytesIO()
    book.save(out)
    preview = upload(client, out.getvalue()).context["preview"]
    assert preview.errors == [] and preview.materials is False
    assert {r["action"] for r in preview.rows} == {"unchanged"}
    assert all(r["materials"] is None for r in preview.rows)


def test_a_new_item_with_its_own_code_brings_its_materials(user_named, city_scjg):
    user = user_named("scjg_admin")
    book = load_workbook(io.BytesIO(workbook([new_row(事项编码="330800-SCJG-XK-0050")])))
    materials = book.create_sheet(excel.MATERIAL_SHEET)
    materials.append([c.header for c in excel.MATERIAL_COLUMNS])
    materials.append(["330800-SCJG-XK-0050", "申请书", "在线提交", "是", "原件", 1, "", ""])
    materials.append(["330800-SCJG-XK-0050", "身份证", "现场提交", "否", "原件和复印件", 2, "", ""])
    out = io.BytesIO()
    book.save(out)
    preview = excel.parse_import(as_file(out.getvalue()), user=user)
    assert preview.errors == []
    excel.apply_import(preview, actor=user)
    item = ServiceItem.objects.get(code="330800-SCJG-XK-0050")
    assert list(item.materials.values_list("name", "submission", "required", "copies")) == [
        ("申请书", "online", True, 1),
        ("身份证", "onsite", False, 2),
    ]


def test_the_file_format_does_not_follow_the_interface_language(login_as, scjg_items):
    client = login_as("scjg_admin")
    with translation.override("en"):
        data = export(client)
        preview = upload(client, data).context["preview"]
    book = load_workbook(io.BytesIO(data))
    ws = book[excel.ITEM_SHEET]
    row = find_row(ws, scjg_items[0].code)
    assert ws.cell(row, column(ws, "事项类型")).value == "行政许可"
    assert ws.cell(row, column(ws, "服务对象")).value == "企业"
    assert ws.cell(row, column(ws, "是否收费")).value == "否"
    assert preview.errors == [] and preview.updated_count == 0


# ---- refusals: a Chinese message, nothing saved --------------------------------------


def _drop_name_column(ws, _materials):
    ws.delete_cols(column(ws, "事项名称"))


def _duplicate_first_row(ws, _materials):
    ws.append([c.value for c in ws[2]])


def _bad_department(ws, _materials):
    ws.cell(2, column(ws, "办理部门代码")).value = "XXXX"
    ws.cell(2, column(ws, "承诺时限")).value = 1


def _long_cell(ws, _materials):
    # A 5-MB cell cannot be made: openpyxl cuts every cell at 32,767 characters
    # (Excel's own limit), so the longest cell a workbook can carry is tested.
    ws.cell(2, column(ws, "办理地点")).value = "长" * 32767


@pytest.mark.parametrize(
    ("change", "row", "header", "message"),
    [
        (_drop_name_column, 0, "事项名称", "缺少必需的列“事项名称”。"),
        (_duplicate_first_row, 4, "事项编码", "与第 2 行重复"),
        (_bad_department, 2, "办理部门代码", "部门代码“XXXX”不存在或不在您的管理范围内。"),
        (_long_cell, 2, "办理地点", "单元格内容过长（超过 2000 字）"),
    ],
    ids=["missing-column", "duplicate-code", "bad-department", "long-cell"],
)
def test_bad_files_are_refused_with_a_chinese_message(
    login_as, user_named, scjg_items, change, row, header, message
):
    client = login_as("scjg_admin")
    data = edit(export(client), change)
    before = state()
    response = upload(client, data)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert any(r == row and h == header and message in m for r, h, m in preview.errors), (
        preview.errors
    )
    page = response.content.decode()
    assert message.replace("“", "&ldquo;") in page or message in page
    assert "没有保存任何内容" in page
    assert 'name="confirm"' not in page
    assert excel.PENDING_KEY not in client.session
    assert state() == before
    with pytest.raises(ValueError):
        excel.apply_import(preview, actor=user_named("scjg_admin"))


def test_department_admin_cannot_update_another_departments_item(login_as, scjg_items, city_zrzy):
    other = make_item(city_zrzy, 1, name="建设用地规划许可")
    client = login_as("scjg_admin")
    row = new_row(事项编码=other.code, 事项名称="被改名", 办理部门代码="ZRZY")
    row2 = new_row(事项编码=other.code.replace("ZRZY", "SCJG"), 事项名称="冒用")
    before = state()
    response = upload(client, workbook([row, new_row(事项编码=other.code), row2]))
    errors = response.context["preview"].errors
    assert (
        2,
        "事项编码",
        f"事项编码“{other.code}”属于其他部门或中心的事项，您无权修改。",
    ) in errors
    assert (2, "办理部门代码", "部门代码“ZRZY”不存在或不在您的管理范围内。") in errors
    assert any(r == 3 and "无权修改" in m for r, _h, m in errors)
    assert state() == before
    other.refresh_from_db()
    assert other.name == "建设用地规划许可"


def test_every_row_is_checked_and_every_problem_listed(user_named, scjg_items):
    rows = [
        new_row(事项编码="330800-SCJG-0001"),  # 2: bad code format
        new_row(事项类型="行政审批"),  # 3: unknown type
        new_row(服务对象="外国人"),  # 4: unknown applicant type
        new_row(网上办理深度=5),  # 5: depth out of range
        new_row(法定时限="二十天"),  # 6: not an integer
        new_row(法定时限=5, 承诺时限=8),  # 7: promised over statutory
        new_row(是否收费="是"),  # 8: fee without standard and basis
        new_row(事项名称=""),  # 9: no name
        new_row(咨询电话="打电话"),  # 10: bad phone
        new_row(是否发布="可能"),  # 11: neither 是 nor 否
        new_row(),  # 12: fine on its own
    ]
    before = state()
    preview = excel.parse_import(as_file(workbook(rows)), user=user_named("scjg_admin"))
    by_row = {}
    for row, header, message in preview.errors:
        by_row.setdefault(row, []).append((header, message))
    assert "事项编码格式应为" in by_row[2][0][1]
    assert by_row[3] == [("事项类型", by_row[3][0][1])] and "不是有效的事项类型" in by_row[3][0][1]
    assert "不是有效的服务对象" in by_row[4][0][1]
    assert by_row[5] == [("网上办理深度", "“网上办理深度”应为 1—4 之间的整数。")]
    assert by_row[6] == [("法定时限", "“法定时限”应为整数。")]
    assert by_row[7] == [("承诺时限", "承诺时限不能超过法定时限。")]
    assert {h for h, _m in by_row[8]} == {"收费标准", "收费依据"}
    assert by_row[9] == [("事项名称", "请填写“事项名称”。")]
    assert by_row[10][0][0] == "咨询电话"
    assert by_row[11] == [("是否发布", "“是否发布”应填写“是”或“否”。")]
    assert 12 not in by_row
    assert preview.rows == []
    assert state() == before


def test_bad_material_rows_are_listed_with_their_sheet(login_as, scjg_items):
    client = login_as("scjg_admin")
    item = scjg_items[0]

    def change(_ws, materials):
        materials.cell(2, column(materials, "份数")).value = 0
        materials.append(["330800-SCJG-XK-0999", "不存在的事项的材料"])
        materials.append([item.code, "", "邮寄"])

    before = state()
    errors = upload(client, edit(export(client), change)).context["preview"].errors
    assert (2, "申报材料·份数", "“份数”应为 1—50 之间的整数。") in errors
    assert any(r == 6 and h == "申报材料·事项编码" and "不在“事项”表中" in m for r, h, m in errors)
    assert (7, "申报材料·材料名称", "请填写“材料名称”。") in errors
    assert any(
        r == 7 and h == "申报材料·提交方式" and "在线提交、现场提交" in m for r, h, m in errors
    )
    assert state() == before


def test_more_than_5000_rows_are_refused(user_named, scjg_items):
    rows = [new_row(事项名称=f"事项{i}") for i in range(excel.MAX_ROWS + 1)]
    before = state()
    preview = excel.parse_import(as_file(workbook(rows)), user=user_named("scjg_admin"))
    assert preview.errors == [(0, "", "工作表“事项”超过 5000 行数据，请分批导入。")]
    assert state() == before


def test_an_exe_named_xlsx_is_refused_by_the_form(login_as, scjg_items):
    client = login_as("scjg_admin")
    before = state()
    response = upload(client, b"MZ" + b"\x00" * 4096)
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert "内容不是允许的格式" in response.context["form"].errors["file"][0]
    assert state() == before


def test_a_broken_zip_is_refused_by_the_form(login_as, scjg_items):
    client = login_as("scjg_admin")
    response = upload(client, b"PK\x03\x04" + b"\x13" * 2000)
    assert "内容不是允许的格式" in response.context["form"].errors["file"][0]


def test_a_zip_openpyxl_cannot_read_gives_a_clear_message(login_as, scjg_items):
    """Looks like an .xlsx to the content check, but its parts are garbage."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml at all")
        archive.writestr("xl/workbook.xml", b"\x00\x01garbage")
    client = login_as("scjg_admin")
    before = state()
    response = upload(client, buffer.getvalue())
    assert response.status_code == 200
    errors = response.context["preview"].errors
    assert len(errors) == 1 and errors[0][0] == 0 and "无法读取该文件" in errors[0][2]
    assert state() == before


def test_a_zip_bomb_is_refused_before_it_is_opened(user_named):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b"a" * (excel.MAX_UNCOMPRESSED + 1))
    preview = excel.parse_import(as_file(buffer.getvalue()), user=user_named("scjg_admin"))
    assert len(preview.errors) == 1 and "解压后过大" in preview.errors[0][2]


# ---- confirmation --------------------------------------------------------------------


def test_confirm_with_a_bogus_token_says_the_preview_expired(login_as, scjg_items):
    client = login_as("scjg_admin")
    before = state()
    response = client.post(reverse("catalogue:import"), {"token": "bogus", "confirm": "1"})
    assert response.status_code == 302 and response.url == reverse("catalogue:import")
    page = client.get(response.url).content.decode()
    assert "导入预览已过期" in page
    assert state() == before


def test_a_preview_belongs_to_its_session(client, login_as, scjg_items):
    owner = login_as("scjg_admin")
    data = edit(
        export(owner), lambda ws, _m: setattr(ws.cell(2, column(ws, "承诺时限")), "value", 1)
    )
    token = upload(owner, data).context["preview"].token
    assert token
    client.logout()
    other = login_as("city_admin")  # a new session: the token means nothing there
    before = state()
    response = other.post(reverse("catalogue:import"), {"token": token, "confirm": "1"})
    assert response.status_code == 302
    assert state() == before


def test_a_change_after_the_preview_stops_the_whole_import(login_as, scjg_items):
    client = login_as("scjg_admin")
    first, second = scjg_items

    def change(ws, _materials):
        ws.cell(find_row(ws, first.code), column(ws, "承诺时限")).value = 2
        ws.cell(find_row(ws, second.code), column(ws, "承诺时限")).value = 2
        ws.append(new_row())

    preview = upload(client, edit(export(client), change)).context["preview"]
    assert (preview.created_count, preview.updated_count) == (1, 2)
    # Someone edits the second item meanwhile: its version moves on.
    ServiceItem.objects.filter(pk=second.pk).update(version=second.version + 1)
    before = state()
    response = client.post(
        reverse("catalogue:import"), {"token": preview.token, "confirm": "1"}, follow=True
    )
    assert "在预览之后已被修改或删除" in response.content.decode()
    assert state() == before  # the first item's update was rolled back too


def test_apply_rechecks_the_scope(user_named, scjg_items, city_zrzy):
    from django.core.exceptions import PermissionDenied

    preview = excel.parse_import(as_file(workbook([new_row()])), user=user_named("scjg_admin"))
    preview.rows[0]["department_id"] = city_zrzy.pk  # a forged preview
    before = state()
    with pytest.raises(PermissionDenied):
        excel.apply_import(preview, actor=user_named("scjg_admin"))
    assert state() == before


def test_a_code_taken_after_the_preview_is_not_overwritten(user_named, city_scjg):
    user = user_named("scjg_admin")
    preview = excel.parse_import(
        as_file(workbook([new_row(事项编码="330800-SCJG-XK-0077")])), user=user
    )
    make_item(city_scjg, 77)
    with pytest.raises(ValidationError):
        excel.apply_import(preview, actor=user)


# ---- who may ----------------------------------------------------------------------


@pytest.mark.parametrize("username", ["scjg_clerk", "city_supervisor", "kc_supervisor"])
def test_clerks_and_supervisors_cannot_reach_the_import(login_as, scjg_items, username):
    client = login_as(username)
    url = reverse("catalogue:import")
    assert client.get(url).status_code == 404
    before = state()
    assert upload(client, workbook([new_row()])).status_code == 404
    assert state() == before


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(reverse("catalogue:import"))
    assert response.status_code == 302
    assert client.get(reverse("catalogue:export")).status_code == 302


def test_export_holds_only_the_users_items(login_as, scjg_items, city_zrzy):
    make_item(city_zrzy, 1, name="建设用地规划许可")
    book = load_workbook(io.BytesIO(export(login_as("scjg_admin"))), read_only=True)
    codes = [row[0] for row in book["事项"].iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(i.code for i in scjg_items)


def test_import_page_renders_accessibly(login_as):
    page = login_as("scjg_admin").get(reverse("catalogue:import")).content.decode()
    assert "<h1>批量导入事项</h1>" in page
    assert reverse("catalogue:export") in page
    assert 'enctype="multipart/form-data"' in page
    assert '<label for="id_file">' in page
