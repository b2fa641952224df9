"""Every write to the catalogue: items and their guides, regulations, the
filing of each change with the center (报中心备案) and the version history."""

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hall.core.services import log_action
from hall.org.models import Department, User
from hall.org.selectors import departments_visible_to

from . import selectors
from .constants import GUIDE_FIELDS, ITEM_TYPE_CODES, FilingAction, FilingStatus
from .models import (
    ApplicationField,
    Filing,
    ItemBasis,
    ItemFAQ,
    ItemVersion,
    Material,
    Regulation,
    ServiceItem,
    SpecialProcedure,
    Theme,
)
from .search import build_search_text, catalogue_changed

# The guide's fields as a version stores them (foreign keys by id), in the
# order a diff lists them.
ITEM_FIELDS = [ServiceItem._meta.get_field(name).attname for name in GUIDE_FIELDS]
MATERIAL_FIELDS = [
    "name",
    "submission",
    "required",
    "original_or_copy",
    "copies",
    "source",
    "notes",
    "template",
    "template_name",
    "example",
    "example_name",
    "sort_order",
]


def _value(obj, name: str) -> Any:
    value = getattr(obj, name)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return value


def item_snapshot(item: ServiceItem) -> dict:
    """The whole guide as plain data: what a version stores and a diff compares."""
    return {
        "fields": {f: _value(item, f) for f in ITEM_FIELDS},
        "themes": sorted(item.themes.values_list("slug", flat=True)),
        "materials": [{f: _value(m, f) for f in MATERIAL_FIELDS} for m in item.materials.all()],
        "faqs": list(item.faqs.values("question", "answer", "sort_order")),
        "special": list(item.special_procedures.values("kind", "days", "counts_toward_limit")),
        "bases": sorted(item.bases.values_list("article_id", flat=True)),
        "form_fields": list(
            item.form_fields.values(
                "key",
                "label",
                "kind",
                "help_text",
                "required",
                "max_length",
                "choices",
                "sort_order",
            )
        ),
    }


def _field_label(name: str) -> str:
    field = ServiceItem._meta.get_field(name.removesuffix("_id"))
    return str(field.verbose_name)


_DIFF_GROUP_LABELS = {
    "themes": gettext_lazy("主题"),
    "materials": gettext_lazy("申报材料"),
    "faqs": gettext_lazy("常见问题"),
    "special": gettext_lazy("特别程序"),
    "bases": gettext_lazy("设定依据"),
}
_MATERIAL_IN_LABEL = re.compile(r"“(.*)”·")


def diff_row_label(row: dict) -> str:
    """The label of a stored diff row in the current language, from its field key.

    Rows keep the label as it was written (in the language of the editor), which
    is shown only when the key is unknown (rows of older versions)."""
    field, stored = row.get("field", ""), row.get("label", "")
    if field in _DIFF_GROUP_LABELS:
        return str(_DIFF_GROUP_LABELS[field])
    if field.startswith("materials."):
        name = row.get("material")
        if name is None:
            found = _MATERIAL_IN_LABEL.search(stored)
            name = found.group(1) if found else None
        try:
            label = Material._meta.get_field(field.removeprefix("materials.")).verbose_name
        except FieldDoesNotExist:
            return stored or field
        if name is None:
            return f"{_('申报材料')} · {label}"
        return _("申报材料“%(name)s”·%(field)s") % {"name": name, "field": label}
    if field:
        try:
            return _field_label(field)
        except FieldDoesNotExist:
            pass
    return stored or field


def snapshot_diff(before: dict | None, after: dict | None) -> list[dict]:
    """Field-by-field differences, as rows {field, label, old, new}; materials'
    rows name the material too. Pages show `diff_row_label(row)`."""
    before = before or {
        "fields": {},
        "themes": [],
        "materials": [],
        "faqs": [],
        "special": [],
        "bases": [],
    }
    after = after or {
        "fields": {},
        "themes": [],
        "materials": [],
        "faqs": [],
        "special": [],
        "bases": [],
    }
    rows = []
    for name in ITEM_FIELDS:
        old, new = before["fields"].get(name), after["fields"].get(name)
        if old != new:
            rows.append({"field": name, "label": _field_label(name), "old": old, "new": new})
    if before["themes"] != after["themes"]:
        rows.append(
            {"field": "themes", "label": _("主题"), "old": before["themes"], "new": after["themes"]}
        )
    old_m = {m["name"]: m for m in before["materials"]}
    new_m = {m["name"]: m for m in after["materials"]}
    for name in sorted(old_m.keys() | new_m.keys()):
        o, n = old_m.get(name), new_m.get(name)
        if o == n:
            continue
        if o is None or n is None:
            rows.append(
                {
                    "field": "materials",
                    "label": _("申报材料"),
                    "old": name if o else None,
                    "new": name if n else None,
                }
            )
            continue
        for f in MATERIAL_FIELDS:
            if o.get(f) != n.get(f):
                label = str(Material._meta.get_field(f).verbose_name)
                rows.append(
                    {
                        "field": f"materials.{f}",
                        "material": name,
                        "label": f"{_('申报材料')}“{name}”·{label}",
                        "old": o.get(f),
                        "new": n.get(f),
                    }
                )
    for key, label in (
        ("faqs", _("常见问题")),
        ("special", _("特别程序")),
        ("bases", _("设定依据")),
    ):
        if before[key] != after[key]:
            rows.append(
                {
                    "field": key,
                    "label": str(label),
                    "old": before.get(key, []),
                    "new": after.get(key, []),
                }
            )
    return rows


def item_refresh_search_text(item: ServiceItem) -> None:
    text = build_search_text(
        name=item.name, aliases=item.alias_list, department=item.department.name
    )
    ServiceItem.objects.filter(pk=item.pk).update(search_text=text)
    item.search_text = text
    # Now for this process and the database cache, and again after commit for
    # caches outside the transaction (Redis), which other processes may have
    # read in between.
    catalogue_changed()
    transaction.on_commit(catalogue_changed)


def item_next_code(*, department, item_type: str) -> str:
    prefix = f"{department.center.region_code}-{department.code}-{ITEM_TYPE_CODES[item_type]}-"
    last = (
        ServiceItem.objects.filter(code__startswith=prefix)
        .order_by("-code")
        .values_list("code", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _actor_is_center(actor) -> bool:
    if actor is None or actor.is_superuser:
        return True
    staff = getattr(actor, "staff", None)
    return staff is not None and staff.department_id is None


@transaction.atomic
def item_record_change(
    *, actor, item: ServiceItem, before: dict | None, action: str, note: str = ""
) -> Filing | None:
    """After an item (and its materials…) was saved: refresh its search text,
    keep a version, file the change with the center and write the audit entry.

    The recording step of `item_create`, `item_update` and `item_restore_version`,
    which check the actor's right first; it checks none itself. Changes made by
    the center itself are filed as already reviewed.
    """
    item_refresh_search_text(item)
    # Read back from the database: the caller's instance may hold its related
    # rows prefetched from before the change (the back office prefetches them).
    after = item_snapshot(ServiceItem.objects.get(pk=item.pk))
    diff = snapshot_diff(before, after)
    if action == FilingAction.UPDATE and not diff:
        return None
    ServiceItem.objects.filter(pk=item.pk).update(version=F("version") + 1)
    item.refresh_from_db(fields=["version"])
    version = ItemVersion.objects.create(
        item=item, number=item.version, snapshot=after, created_by=actor, note=note
    )
    filing = _file(actor=actor, obj=item, item=item, version=version, action=action, diff=diff)
    log_action(
        actor,
        f"catalogue.item_{action}",
        item,
        {"version": item.version, "fields": [row["field"] for row in diff]},
    )
    return filing


class CatalogueForbidden(PermissionDenied):
    """The actor lacks the right for this change, or the item lies outside their scope."""


def _check_item_right(actor: User, right: str, *departments: Department) -> None:
    """Refuse unless `actor` holds `right` and each department is theirs to manage."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise CatalogueForbidden(_("请先登录后再修改办事指南。"))
    if not actor.has_perm(right):
        raise CatalogueForbidden(_("您没有修改办事指南的权限。"))
    ids = {d.pk for d in departments}
    if len(ids) != departments_visible_to(actor).filter(pk__in=ids).count():
        raise CatalogueForbidden(_("该部门不在您的管理范围内。"))


WriteRelated = Callable[[ServiceItem], None]


@transaction.atomic
def item_create(
    *, actor: User, item: ServiceItem, write_related: WriteRelated | None = None, note: str = ""
) -> Filing | None:
    """Add `item` (unsaved, its values checked by a form or the import), then
    `write_related(item)` for what hangs on it (materials, bases, FAQs…), and
    record the first version, the filing and the audit entry, once."""
    _check_item_right(actor, "catalogue.add_serviceitem", item.department)
    item.center_id = item.department.center_id
    if not item.code:
        item.code = item_next_code(department=item.department, item_type=item.item_type)
    item.save()
    if write_related is not None:
        write_related(item)
    return item_record_change(
        actor=actor, item=item, before=None, action=FilingAction.CREATE, note=note
    )


@transaction.atomic
def item_update(
    *,
    actor: User,
    item: ServiceItem,
    write_related: WriteRelated | None = None,
    action: str = FilingAction.UPDATE,
    note: str = "",
) -> Filing | None:
    """Save the changed `item` (its new values set, not yet saved), then
    `write_related(item)`, and record the version, the filing and the audit entry
    of the final state, once; nothing when nothing changed.

    The guide as it was is read from the database, under a row lock, so two
    editors of one item are filed one after the other, each with their own diff.
    """
    stored = (
        selectors.items_editable_by(actor)
        .select_for_update(of=("self",))
        .filter(pk=item.pk)
        .first()
        if actor is not None and getattr(actor, "is_authenticated", False)
        else None
    )
    if stored is None:
        raise CatalogueForbidden(_("该事项不在您的管理范围内。"))
    _check_item_right(actor, "catalogue.change_serviceitem", stored.department, item.department)
    before = item_snapshot(stored)
    item.center_id = item.department.center_id
    item.save()
    if write_related is not None:
        write_related(item)
    return item_record_change(actor=actor, item=item, before=before, action=action, note=note)


def _file(*, actor, obj, item, version, action, diff) -> Filing:
    center_made = _actor_is_center(actor)
    return Filing.objects.create(
        center=obj.center if hasattr(obj, "center") else obj.department.center,
        department=obj.department,
        action=action,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        item=item,
        version=version,
        diff=_jsonable(diff),
        changed_by=actor,
        status=FilingStatus.REVIEWED if center_made else FilingStatus.PENDING,
        reviewed_by=actor if center_made else None,
        reviewed_at=timezone.now() if center_made else None,
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@transaction.atomic
def item_delete(*, actor: User, item: ServiceItem) -> Filing:
    _check_item_right(actor, "catalogue.delete_serviceitem", item.department)
    before = item_snapshot(item)
    filing = _file(
        actor=actor,
        obj=item,
        item=None,
        version=None,
        action=FilingAction.DELETE,
        diff=snapshot_diff(before, None),
    )
    log_action(actor, "catalogue.item_delete", item, {"code": item.code})
    item.delete()
    catalogue_changed()
    transaction.on_commit(catalogue_changed)
    return filing


@transaction.atomic
def item_restore_version(*, actor: User, item: ServiceItem, version: ItemVersion) -> Filing | None:
    """Make the item's guide what it was in `version` (as a new version)."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    snap = version.snapshot
    for name, value in snap["fields"].items():
        if name == "department_id" and value != item.department_id:
            continue  # a restore never moves an item out of its department
        setattr(item, name, value)
    item.full_clean(exclude=["code"])

    def write_related(item: ServiceItem) -> None:
        item.themes.set(Theme.objects.filter(slug__in=snap["themes"]))
        item.materials.all().delete()
        Material.objects.bulk_create(Material(item=item, **m) for m in snap["materials"])
        item.faqs.all().delete()
        ItemFAQ.objects.bulk_create(ItemFAQ(item=item, **f) for f in snap["faqs"])
        item.special_procedures.all().delete()
        SpecialProcedure.objects.bulk_create(
            SpecialProcedure(item=item, **s) for s in snap["special"]
        )
        item.bases.all().delete()
        ItemBasis.objects.bulk_create(ItemBasis(item=item, article_id=a) for a in snap["bases"])
        item.form_fields.all().delete()
        ApplicationField.objects.bulk_create(
            ApplicationField(item=item, **f) for f in snap.get("form_fields", [])
        )

    return item_update(
        actor=actor,
        item=item,
        write_related=write_related,
        action=FilingAction.RESTORE,
        note=_("恢复到第 %(n)d 版") % {"n": version.number},
    )


def regulation_snapshot(regulation: Regulation) -> dict:
    fields = [
        "title",
        "issuer",
        "level",
        "doc_number",
        "promulgated_on",
        "effective_on",
        "in_force",
    ]
    return {
        "fields": {f: _jsonable(getattr(regulation, f)) for f in fields},
        "articles": list(regulation.articles.values_list("number", "text")),
    }


@transaction.atomic
def regulation_record_change(*, actor, regulation: Regulation, before: dict | None, action: str):
    after = regulation_snapshot(regulation) if action != FilingAction.DELETE else None
    diff = []
    b = before or {"fields": {}, "articles": []}
    a = after or {"fields": {}, "articles": []}
    for name in sorted(b["fields"].keys() | a["fields"].keys()):
        if b["fields"].get(name) != a["fields"].get(name):
            label = str(Regulation._meta.get_field(name).verbose_name)
            diff.append(
                {
                    "field": name,
                    "label": label,
                    "old": b["fields"].get(name),
                    "new": a["fields"].get(name),
                }
            )
    if [list(x) for x in b["articles"]] != [list(x) for x in a["articles"]]:
        diff.append(
            {"field": "articles", "label": _("条款"), "old": b["articles"], "new": a["articles"]}
        )
    if action == FilingAction.UPDATE and not diff:
        return None
    log_action(
        actor, f"catalogue.regulation_{action}", regulation, {"fields": [d["field"] for d in diff]}
    )
    if regulation.department_id is None:
        return None  # center-wide documents are the center's own: nothing to file
    return _file(actor=actor, obj=regulation, item=None, version=None, action=action, diff=diff)


@transaction.atomic
def filing_review(*, actor, filing: Filing, accept: bool, comment: str = "") -> Filing:
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    if filing.status != FilingStatus.PENDING:
        raise ValueError(_("该备案已处理，不能重复审阅。"))
    filing.status = FilingStatus.REVIEWED if accept else FilingStatus.RETURNED
    filing.reviewed_by = actor
    filing.reviewed_at = timezone.now()
    filing.review_comment = comment
    filing.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    log_action(
        actor,
        "catalogue.filing_review" if accept else "catalogue.filing_return",
        filing,
        {"comment": comment},
        center_id=filing.center_id,
    )
    return filing


def item_count_view(item: ServiceItem) -> None:
    ServiceItem.objects.filter(pk=item.pk).update(view_count=F("view_count") + 1)
