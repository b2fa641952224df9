"""Applying a confirmed import: in one transaction, all of it or nothing, each
item written through the catalogue's services like any other change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hall.org.models import Department, User

from .. import services
from ..models import Material, ServiceItem
from .columns import MATERIAL_VALUE_FIELDS, VALUE_FIELDS, material_pool
from .preview import ImportPreview


def _stale(name: str) -> ValidationError:
    return ValidationError(
        _("事项“%(name)s”在预览之后已被修改或删除，请重新上传文件。") % {"name": name}
    )


def _replace_materials(item: ServiceItem, materials: list[dict]) -> None:
    """Make the item's materials these, in this order; a material kept by name
    keeps its blank form and example files."""
    pool = material_pool(item)
    for position, values in enumerate(materials, start=1):
        queue = pool.get(values["name"])
        material = queue.popleft() if queue else Material(item=item)
        for name in MATERIAL_VALUE_FIELDS:
            setattr(material, name, values[name])
        material.sort_order = position
        material.full_clean(exclude=["item", "template", "example"])
        material.save()
    for queue in pool.values():
        for material in queue:
            material.delete()


@transaction.atomic
def apply_import(preview: ImportPreview, *, actor: User) -> tuple[int, int]:
    """Create and update the previewed items, each filed with its center. All or nothing.

    Each item is written by `item_create` or `item_update`, which check the
    actor's right and scope again (a preview kept in the session is not trusted)
    and record its version, filing and audit entry.
    """
    if preview.errors:
        raise ValueError("a preview with errors cannot be imported")
    rows = [r for r in preview.rows if r["action"] != "unchanged"]
    departments = Department.objects.select_related("center").in_bulk(
        {r["department_id"] for r in rows}
    )
    created = updated = 0
    # Updates first, then new items with their own code, then generated codes:
    # a generated code is the highest in use plus one, so it never takes a code
    # another row of the file asked for.
    rows.sort(key=lambda r: (r["action"] != "update", not r["code"], r["row"]))
    for row in rows:
        department = departments.get(row["department_id"])
        if department is None:
            raise _stale(row["name"])
        if row["action"] == "update":
            item = (
                ServiceItem.objects.select_for_update(of=("self",))
                .filter(pk=row["item_id"], code=row["code"])
                .first()
            )
            if item is None or item.version != row["version"]:
                raise _stale(row["name"])
        else:
            if not department.is_active:
                raise PermissionDenied
            if row["code"] and ServiceItem.objects.filter(code=row["code"]).exists():
                raise _stale(row["name"])
            item = ServiceItem()
        for name, value in row["values"].items():
            if name in VALUE_FIELDS:
                setattr(item, name, value)
        item.department = department
        item.center = department.center
        if row["action"] != "update":
            item.code = row["code"] or services.item_next_code(
                department=department, item_type=item.item_type
            )
        # The preview checked the values; check them again as saved (the code was
        # checked above, the department is checked by the service).
        item.full_clean(
            exclude=["window", "result_sample", "department", "center"], validate_unique=False
        )
        materials = row.get("materials")
        write_related = (
            (lambda item, materials=materials: _replace_materials(item, materials))
            if materials is not None
            else None
        )
        if row["action"] == "update":
            services.item_update(actor=actor, item=item, write_related=write_related)
            updated += 1
        else:
            services.item_create(actor=actor, item=item, write_related=write_related)
            created += 1
    return created, updated
