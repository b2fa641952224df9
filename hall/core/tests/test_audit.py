"""The audit log: append-only, one entry per action, scoped, filterable."""

import ast
import importlib
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

import hall
from hall.cases.constants import CaseStatus
from hall.catalogue.constants import FilingAction
from hall.core import audit_events
from hall.core.audit_events import UnknownAuditEvent
from hall.core.constants import AuditAction
from hall.core.models import AuditEntry
from hall.core.services import log_action
from hall.feedback.constants import ComplaintStatus  # complaints hall
from hall.org.models import Center, Department, Window
from hall.qa.constants import QuestionStatus
from hall.rectification.constants import TaskStatus  # 差评整改

pytestmark = pytest.mark.django_db
AUDIT = reverse("core:audit_log")


def test_entries_cannot_be_changed_or_deleted(user_named, city_scjg):
    entry = log_action(user_named("city_admin"), "org.department_create", city_scjg, {"k": "v"})
    entry.action = "forged"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "org.department_create"


def test_entry_takes_the_center_of_its_object(user_named, kc_scjg):
    entry = log_action(user_named("city_admin"), "org.department_create", kc_scjg)
    assert entry.center_id == kc_scjg.center_id
    assert entry.object_repr == kc_scjg.name
    assert entry.content_type == ContentType.objects.get_for_model(Department)


def test_admin_add_change_delete_each_write_one_entry(login_as, kc_scjg):
    client = login_as("kc_admin")
    add_url = reverse("admin:org_window_add")
    before = AuditEntry.objects.count()
    response = client.post(
        add_url,
        {
            "department": kc_scjg.pk,
            "number": "901",
            "name": "测试窗口",
            "location": "",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    window = Window.objects.get(department=kc_scjg, number="901")
    assert AuditEntry.objects.count() == before + 1
    added = AuditEntry.objects.first()
    assert (added.action, added.actor_name, added.object_id) == (
        AuditAction.ADMIN_ADD,
        "kc_admin",
        str(window.pk),
    )
    assert added.center_id == kc_scjg.center_id

    change_url = reverse("admin:org_window_change", args=[window.pk])
    response = client.post(
        change_url,
        {
            "department": kc_scjg.pk,
            "number": "901",
            "name": "改名窗口",
            "location": "二楼",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before + 2
    assert AuditEntry.objects.first().action == AuditAction.ADMIN_CHANGE

    response = client.post(reverse("admin:org_window_delete", args=[window.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.count() == before + 3
    deleted = AuditEntry.objects.first()
    assert deleted.action == AuditAction.ADMIN_DELETE
    assert deleted.object_repr.startswith("901号窗口")


def test_audit_page_filters_and_paginates(login_as, user_named, city_scjg):
    admin = user_named("city_admin")
    window = city_scjg.windows.first()
    for i in range(60):
        log_action(admin, "org.department_create", city_scjg, {"i": i})
    for _ in range(3):
        log_action(admin, "org.window_create", window)
    client = login_as("city_admin")  # also writes one auth.login entry
    mine = AuditEntry.objects.filter(actor_name="city_admin")
    assert mine.count() == 64

    page1 = client.get(AUDIT, {"action": "", "actor": "city_admin"})
    assert page1.status_code == 200
    assert page1.context["page"].paginator.count == 64
    first = [e.pk for e in page1.context["page"].object_list]
    assert len(first) == 50
    page2 = client.get(AUDIT, {"actor": "city_admin", "page": 2})
    assert page2.context["page"].number == 2
    second = [e.pk for e in page2.context["page"].object_list]
    assert len(second) == 14 and not set(first) & set(second)
    assert set(first) | set(second) == set(mine.values_list("pk", flat=True))

    # Each filter keeps what it names and drops the rest.
    ct = ContentType.objects.get_for_model(Window)
    typed = client.get(AUDIT, {"content_type": ct.pk, "actor": "city_admin"})
    shown = list(typed.context["page"].object_list)
    assert len(shown) == 3 and {e.content_type_id for e in shown} == {ct.pk}
    acted = client.get(AUDIT, {"action": "org.window_create", "actor": "city_admin"})
    assert [e.pk for e in acted.context["page"].object_list] == [e.pk for e in shown]
    login = client.get(AUDIT, {"action": AuditAction.LOGIN, "actor": "city_admin"})
    logins = list(login.context["page"].object_list)
    assert len(logins) == 1 and logins[0].action == AuditAction.LOGIN
    nobody = client.get(AUDIT, {"actor": "no-such-account"})
    assert nobody.context["page"].paginator.count == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-13-45"}, "日期"),
        ({"date_from": "2026-11-20", "date_to": "2026-11-01"}, "起始日期不能晚于截止日期"),
        ({"action": "<script>alert(1)</script>"}, "选择一个有效的选项"),
        ({"content_type": "../../etc/passwd"}, "选择一个有效的选项"),
        ({"actor": "x" * 10_000}, "150"),
    ],
    ids=["bad-date", "reversed", "script", "traversal", "oversize"],
)
def test_audit_filters_reject_bad_input_in_chinese(login_as, params, message):
    response = login_as("city_admin").get(AUDIT, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "<script>alert(1)</script>" not in body
    assert response.context["page"].paginator.count == 0


def test_county_reader_sees_only_their_center(login_as, user_named, city_scjg, kc_scjg, qj_scjg):
    admin = user_named("city_admin")
    city = log_action(admin, "org.department_create", city_scjg)
    own = log_action(admin, "org.department_create", kc_scjg)
    other = log_action(admin, "org.department_create", qj_scjg)
    nowhere = log_action(None, "org.department_create", None, actor_name="unknown")
    written = [city.pk, own.pk, other.pk, nowhere.pk]
    seen = set(
        login_as("kc_supervisor")
        .get(AUDIT, {"actor": ""})
        .context["page"]
        .paginator.object_list.filter(pk__in=written)
        .values_list("pk", flat=True)
    )
    assert seen == {own.pk}
    city_seen = set(
        login_as("city_supervisor")
        .get(AUDIT)
        .context["page"]
        .paginator.object_list.filter(pk__in=written)
        .values_list("pk", flat=True)
    )
    assert city_seen == {city.pk, own.pk, other.pk, nowhere.pk}


def test_center_entries_carry_their_own_id(user_named):
    center = Center.objects.get(region_code="330802")
    assert log_action(user_named("kc_admin"), "org.center_create", center).center_id == center.pk


# ---- the registry of events ------------------------------------------------------


def test_an_unregistered_code_is_refused_and_nothing_is_written(user_named, city_scjg):
    before = AuditEntry.objects.count()
    with pytest.raises(UnknownAuditEvent):
        log_action(user_named("city_admin"), "org.departmnet_create", city_scjg)
    assert AuditEntry.objects.count() == before


def test_the_page_shows_the_label_never_the_code(login_as, user_named, make_case):
    from hall.cases.services import case_accept

    case_accept(case=make_case(), actor=user_named("scjg_clerk"))
    body = login_as("city_admin").get(AUDIT, {"action": "case.accepted"}).content.decode()
    row = body[body.index("<tbody>") : body.index("</tbody>")]
    assert row.count("<tr>") == 1 and "受理或恢复计时" in row
    assert "case.accepted" not in row and "case.submit" not in row
    # The filter offers the labels too (the codes are only the option values).
    select = body[
        body.index('name="action"') : body.index("</select>", body.index('name="action"'))
    ]
    assert ">受理或恢复计时</option>" in select and ">case.accepted<" not in select


def test_every_registered_object_type_names_a_model():
    from django.apps import apps

    for event in audit_events.events():
        if event.object_type not in ("", "*"):
            assert apps.get_model(event.object_type), event.code


# Call sites whose code is built from a value (as ast.unparse writes them): the
# codes each can produce.
DYNAMIC_CODES = {
    "f'case.{to}'": {f"case.{status}" for status in CaseStatus},
    "f'catalogue.item_{action}'": {
        "catalogue.item_create",
        "catalogue.item_update",
        "catalogue.item_restore",
    },
    "f'catalogue.regulation_{action}'": {
        f"catalogue.regulation_{action}"
        for action in (FilingAction.CREATE, FilingAction.UPDATE, FilingAction.DELETE)
    },
    "f'qa.{to}'": {f"qa.{status}" for status in QuestionStatus},
    # 差评整改: each step of a task, by the status it leads to
    "f'rectification.{to}'": {f"rectification.{status}" for status in TaskStatus},
    # complaints hall: every status a staff move reaches (none returns to 已提交)
    "f'feedback.{to}'": {
        f"feedback.{status}" for status in ComplaintStatus if status != ComplaintStatus.SUBMITTED
    },
}


def _log_action_codes():
    """(place, code expression, module) of every log_action call outside the tests."""
    root = Path(hall.__file__).parent
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "log_action"):
                continue
            code = node.args[1] if len(node.args) > 1 else None
            code = code or next((k.value for k in node.keywords if k.arg == "action"), None)
            module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
            yield f"{path.relative_to(root.parent)}:{node.lineno}", code, module


def _codes(node, place, namespace, dynamic):
    """The codes one code expression can be."""
    if isinstance(node, ast.IfExp):
        return _codes(node.body, place, namespace, dynamic) | _codes(
            node.orelse, place, namespace, dynamic
        )
    if isinstance(node, ast.JoinedStr):
        source = ast.unparse(node)
        assert source in DYNAMIC_CODES, f"{place}: list the codes {source} can make"
        dynamic.add(source)
        return DYNAMIC_CODES[source]
    # A literal or a module-level constant (AuditAction.LOGIN, AUDIT_SEED).
    try:
        return {eval(ast.unparse(node), namespace)}  # noqa: S307 (our own source)
    except NameError:
        pytest.fail(f"{place}: the code must be a literal or a module constant")


def test_every_code_written_anywhere_is_registered():
    places = list(_log_action_codes())
    assert len(places) > 25  # the walk finds the calls
    dynamic = set()
    for place, node, module in places:
        assert node is not None, f"{place}: log_action without a code"
        namespace = vars(importlib.import_module(module))
        for code in _codes(node, place, namespace, dynamic):
            assert audit_events.is_registered(code), f"{place}: {code} is not registered"
    assert dynamic == set(DYNAMIC_CODES)
