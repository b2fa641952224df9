"""Every write to the policy documents. Each change is filed with the center
through the catalogue's filing (报中心备案), audited, and refreshes the column's
search index once committed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hall.catalogue.constants import FilingAction
from hall.catalogue.models import Filing
from hall.catalogue.services import _file, _jsonable
from hall.core.files import safe_display_name
from hall.core.services import log_action
from hall.org.models import User
from hall.org.selectors import departments_visible_to

from . import selectors
from .constants import ATTACHMENT_MAX
from .models import PolicyAttachment, PolicyDocument
from .search import INDEX

RIGHT_VIEW = "policies.view_policydocument"
RIGHT_ADD = "policies.add_policydocument"
RIGHT_CHANGE = "policies.change_policydocument"
RIGHT_DELETE = "policies.delete_policydocument"
RIGHT_PUBLISH = "policies.publish_policydocument"

# The fields a filing compares, in the order its diff lists them.
SNAPSHOT_FIELDS = [
    "title",
    "doc_number",
    "issuer",
    "kind",
    "issued_on",
    "effective_on",
    "status",
    "replaced_by",
    "explains",
    "department",
    "body",
    "is_published",
]
# A long body is filed by its beginning and its length: the diff stays readable.
BODY_SHOWN = 300


class PolicyForbidden(PermissionDenied):
    """The actor lacks the right, or the document lies outside their scope."""


def check_actor(actor: User, right: str, document: PolicyDocument | None = None, department=None):
    """Refuse unless `actor` is signed-in staff holding `right`, and the document
    (and the department it goes to) are theirs to manage."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PolicyForbidden(_("请先以工作人员身份登录。"))
    if not actor.has_perm(right):
        raise PolicyForbidden(_("您没有维护政策文件的权限。"))
    if (
        document is not None
        and document.pk
        and not selectors.policies_editable_by(actor).filter(pk=document.pk).exists()
    ):
        raise PolicyForbidden(_("该政策文件不在您的管理范围内。"))
    if (
        department is not None
        and not departments_visible_to(actor).filter(pk=department.pk).exists()
    ):
        raise PolicyForbidden(_("该部门不在您的管理范围内。"))


def _shown(value, name: str):
    if value is None:
        return None
    if name == "body":
        text = str(value)
        if len(text) > BODY_SHOWN:
            return _("%(start)s…（共 %(n)d 字）") % {"start": text[:BODY_SHOWN], "n": len(text)}
        return text
    if name == "is_published":
        return bool(value)
    if hasattr(value, "label"):
        return str(value.label)
    return _jsonable(value)


def snapshot(document: PolicyDocument) -> dict:
    """The document as plain, readable data: what a filing's diff compares."""
    fields = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(document, name)
        if name in ("kind", "status"):
            value = getattr(document, f"get_{name}_display")()
        elif name in ("replaced_by", "explains", "department"):
            value = str(value) if value is not None else None
        fields[name] = _shown(value, name)
    return {
        "fields": fields,
        "related_items": sorted(
            f"{code} {name}" for code, name in document.related_items.values_list("code", "name")
        ),
        "related_regulations": sorted(document.related_regulations.values_list("title", flat=True)),
        "attachments": list(document.attachments.values_list("name", flat=True)),
    }


_GROUPS = {
    "related_items": gettext_lazy("相关事项"),
    "related_regulations": gettext_lazy("相关法规"),
    "attachments": gettext_lazy("附件"),
}


def diff(before: dict | None, after: dict | None) -> list[dict]:
    """Rows {field, label, old, new} as the filing pages show them. Field keys
    are prefixed (`policy.`) so the catalogue's labels for its own fields never
    apply; the label is written in the editor's language."""
    empty = {"fields": {}, "related_items": [], "related_regulations": [], "attachments": []}
    before, after = before or empty, after or empty
    rows = []
    for name in SNAPSHOT_FIELDS:
        old, new = before["fields"].get(name), after["fields"].get(name)
        if old != new:
            label = str(PolicyDocument._meta.get_field(name).verbose_name)
            rows.append({"field": f"policy.{name}", "label": label, "old": old, "new": new})
    for key, label in _GROUPS.items():
        if before[key] != after[key]:
            rows.append(
                {
                    "field": f"policy.{key}",
                    "label": str(label),
                    "old": before[key],
                    "new": after[key],
                }
            )
    return rows


def _changed():
    INDEX.changed()
    transaction.on_commit(INDEX.changed)


def _record(*, actor, document, before, action: str) -> tuple[Filing | None, dict]:
    """File the change with the center; (filing, audit data), (None, {}) when
    nothing changed. The caller writes the audit entry with its own code."""
    after = snapshot(PolicyDocument.objects.get(pk=document.pk))
    rows = diff(before, after)
    if action == FilingAction.UPDATE and not rows:
        return None, {}
    filing = _file(actor=actor, obj=document, item=None, version=None, action=action, diff=rows)
    _changed()
    return filing, {
        "fields": [r["field"].removeprefix("policy.") for r in rows],
        "filing": filing.pk,
    }


def _validate(document: PolicyDocument) -> None:
    document.center_id = document.department.center_id
    document.full_clean(exclude=["related_items", "related_regulations"])


def _check_related(document: PolicyDocument, items, regulations) -> None:
    if items is not None and any(i.center_id != document.center_id for i in items):
        raise ValidationError({"related_items": _("相关事项须是本中心的事项。")})


@transaction.atomic
def policy_create(
    *, actor: User, document: PolicyDocument, items=None, regulations=None
) -> PolicyDocument:
    """Add `document` (unsaved, its values from a form) with its related items
    and regulations; filed as a new document."""
    check_actor(actor, RIGHT_ADD, department=document.department)
    if document.is_published:
        check_actor(actor, RIGHT_PUBLISH)
        document.published_at = document.published_at or timezone.now()
    _validate(document)
    _check_related(document, items, regulations)
    document.save()
    if items is not None:
        document.related_items.set(items)
    if regulations is not None:
        document.related_regulations.set(regulations)
    _filing, data = _record(actor=actor, document=document, before=None, action=FilingAction.CREATE)
    log_action(actor, "policies.policy_create", document, data)
    return document


def _locked(actor, pk) -> PolicyDocument:
    stored = (
        selectors.policies_editable_by(actor).select_for_update(of=("self",)).filter(pk=pk).first()
    )
    if stored is None:
        raise PolicyForbidden(_("该政策文件不在您的管理范围内。"))
    return stored


@transaction.atomic
def policy_update(
    *, actor: User, document: PolicyDocument, items=None, regulations=None
) -> Filing | None:
    """Save the changed `document` (new values set, unsaved) and its links; the
    stored version is read under a row lock so two editors are filed in turn."""
    check_actor(actor, RIGHT_CHANGE, department=document.department)
    stored = _locked(actor, document.pk)
    if stored.is_published != document.is_published:
        check_actor(actor, RIGHT_PUBLISH)
    before = snapshot(stored)
    if document.is_published and not stored.published_at:
        document.published_at = timezone.now()
    _validate(document)
    _check_related(document, items, regulations)
    document.save()
    if items is not None:
        document.related_items.set(items)
    if regulations is not None:
        document.related_regulations.set(regulations)
    filing, data = _record(
        actor=actor, document=document, before=before, action=FilingAction.UPDATE
    )
    if filing is not None:
        log_action(actor, "policies.policy_update", document, data)
    return filing


@transaction.atomic
def policy_publish(*, actor: User, document: PolicyDocument, publish: bool = True):
    """发布 / 撤回: the public sees the document (and its attachments) only while published."""
    check_actor(actor, RIGHT_PUBLISH)
    stored = _locked(actor, document.pk)
    if stored.is_published == publish:
        return None
    before = snapshot(stored)
    stored.is_published = publish
    if publish and not stored.published_at:
        stored.published_at = timezone.now()
    stored.save(update_fields=["is_published", "published_at", "updated_at"])
    document.is_published, document.published_at = stored.is_published, stored.published_at
    filing, data = _record(actor=actor, document=stored, before=before, action=FilingAction.UPDATE)
    log_action(
        actor,
        "policies.policy_publish" if publish else "policies.policy_unpublish",
        stored,
        data,
    )
    return filing


@transaction.atomic
def policy_delete(*, actor: User, document: PolicyDocument) -> Filing:
    """Delete a document no other document points at (as replacement or as explained)."""
    check_actor(actor, RIGHT_DELETE)
    stored = _locked(actor, document.pk)
    if stored.replaces.exists() or stored.interpretations.exists():
        raise ValidationError(
            _("其他文件引用了该文件（作为替代文件或解读对象），请先修改那些文件。")
        )
    before = snapshot(stored)
    filing = _file(
        actor=actor,
        obj=stored,
        item=None,
        version=None,
        action=FilingAction.DELETE,
        diff=diff(before, None),
    )
    log_action(
        actor,
        "policies.policy_delete",
        stored,
        {"doc_number": stored.doc_number, "filing": filing.pk},
    )
    files = [a.file for a in stored.attachments.all()]
    stored.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])
    _changed()
    return filing


@transaction.atomic
def attachment_add(*, actor: User, document: PolicyDocument, upload) -> PolicyAttachment:
    """Attach a file already checked by content (forms.AttachmentForm, as item
    templates are checked); filed as a change of the document."""
    check_actor(actor, RIGHT_CHANGE)
    stored = _locked(actor, document.pk)
    if stored.attachments.count() >= ATTACHMENT_MAX:
        raise ValidationError(_("每份文件最多 %(n)d 个附件。") % {"n": ATTACHMENT_MAX})
    before = snapshot(stored)
    attachment = PolicyAttachment(
        document=stored,
        name=safe_display_name(getattr(upload, "display_name", upload.name)),
        kind=getattr(upload, "kind_code", ""),
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    _filing, data = _record(actor=actor, document=stored, before=before, action=FilingAction.UPDATE)
    log_action(actor, "policies.attachment_add", stored, {**data, "name": attachment.name})
    return attachment


@transaction.atomic
def attachment_delete(*, actor: User, attachment: PolicyAttachment) -> None:
    check_actor(actor, RIGHT_CHANGE)
    stored = _locked(actor, attachment.document_id)
    attachment = stored.attachments.get(pk=attachment.pk)
    before = snapshot(stored)
    stored_file = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored_file.delete(save=False))
    _filing, data = _record(actor=actor, document=stored, before=before, action=FilingAction.UPDATE)
    log_action(actor, "policies.attachment_delete", stored, {**data, "name": attachment.name})


def filings_of(document: PolicyDocument):
    """The filings of one document, newest first (the catalogue's Filing rows)."""
    return Filing.objects.filter(
        object_type=PolicyDocument._meta.model_name, object_id=document.pk
    ).select_related("changed_by")
