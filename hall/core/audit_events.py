"""The registry of audit events: every action code the hall writes, with the
label people read, the type of object the entry points at, and the keys of its
data.

Each app lists its own events in `<app>/audit_events.py`; core imports those
modules once the apps are loaded (as the admin discovers `admin.py`), so core
names no app to its right. `log_action` refuses a code that is not listed
here, and the audit page shows the label, never the code.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AuditEvent:
    code: str
    label: Promise | str
    # "app_label.model" of the entry's object, "" when the entry has none.
    object_type: str = ""
    # The keys of the entry's data and what each holds (for developers).
    data: Mapping[str, str] = field(default_factory=dict)


class UnknownAuditEvent(LookupError):
    """An action code nobody registered: a typo, or an event without its entry here."""


_EVENTS: dict[str, AuditEvent] = {}


def register(
    code: str, label, *, object_type: str = "", data: Mapping[str, str] | None = None
) -> AuditEvent:
    """List one event. A code is registered once: a second registration is a mistake."""
    code = str(code)
    if code in _EVENTS:
        raise ValueError(f"audit event {code!r} is registered twice")
    event = AuditEvent(code=code, label=label, object_type=object_type, data=dict(data or {}))
    _EVENTS[code] = event
    return event


def get(code: str) -> AuditEvent:
    try:
        return _EVENTS[str(code)]
    except KeyError:
        raise UnknownAuditEvent(
            f"audit event {code!r} is not registered; list it in its app's audit_events.py"
        ) from None


def is_registered(code: str) -> bool:
    return str(code) in _EVENTS


def events() -> list[AuditEvent]:
    return sorted(_EVENTS.values(), key=lambda e: e.code)


def label_of(code: str):
    """What people read for `code`. An entry written before its code was retired
    still gets words, not the code."""
    event = _EVENTS.get(str(code))
    return event.label if event is not None else _("其他操作")


def choices() -> list[tuple[str, str]]:
    """(code, label) of every event, for a filter; grouped by app, then by label."""
    return [(e.code, e.label) for e in events()]


# ---- core's own events ------------------------------------------------------------


def _register_core() -> None:
    from .constants import AuditAction as A

    user = "org.user"  # AUTH_USER_MODEL
    register(A.LOGIN, A.LOGIN.label, object_type=user)
    register(A.LOGOUT, A.LOGOUT.label, object_type=user)
    who = {"username": "the name typed at the login page"}
    register(A.LOGIN_FAILED, A.LOGIN_FAILED.label, object_type=user, data=who)
    register(
        A.LOCKED_OUT,
        A.LOCKED_OUT.label,
        object_type=user,
        data={**who, "ip_address": "the address that is locked out"},
    )
    # The back office writes these for any model its admins edit.
    message = {"message": "Django's change message (which fields, which inlines)"}
    register(A.ADMIN_ADD, A.ADMIN_ADD.label, object_type="*", data=message)
    register(A.ADMIN_CHANGE, A.ADMIN_CHANGE.label, object_type="*", data=message)
    register(A.ADMIN_DELETE, A.ADMIN_DELETE.label, object_type="*")


_register_core()
