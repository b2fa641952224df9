from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import audit_events, practice, proxies
from .models import AuditEntry


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return proxies.client_ip(request)


def log_action(
    actor,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    *,
    request=None,
    center_id: int | None = None,
    actor_name: str = "",
) -> AuditEntry:
    """Append one audit entry. `action` must be a code of core.audit_events:
    an unknown one raises UnknownAuditEvent, before anything is written.

    The entry's center is, in order: the one given, the object's own center,
    the acting staff member's center. It decides who may read the entry.
    """
    action = audit_events.get(action).code
    if practice.is_active():
        # Done in practice mode: the log keeps it, figures built on the log skip it.
        data = {**(data or {}), "practice": True}
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if center_id is None and obj is not None:
        center_id = getattr(obj, "center_id", None)
        if center_id is None and obj.__class__.__name__ == "Center":
            center_id = obj.pk
    if center_id is None and actor is not None:
        staff = getattr(actor, "staff", None) if hasattr(actor, "staff") else None
        center_id = getattr(staff, "center_id", None)
    entry = AuditEntry(
        actor=actor,
        actor_name=(actor.get_username() if actor is not None else actor_name)[:150],
        action=action,
        center_id=center_id,
        ip_address=_client_ip(request),
        data=data or {},
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)[:64]
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry
