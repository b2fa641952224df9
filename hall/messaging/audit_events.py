"""The audit events of the messages between windows (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

THREAD = "messaging.thread"

register(
    "messaging.start",
    _("发起信息互动会话"),
    object_type=THREAD,
    data={
        "parties": "participant keys (staff:id, window:id, department:id)",
        "message": "id of the first message",
        "files": "number of attachments",
    },
)
register(
    "messaging.reply",
    _("回复信息互动会话"),
    object_type=THREAD,
    data={"message": "id of the reply", "files": "number of attachments"},
)
register(
    "messaging.read",
    _("阅读信息互动会话"),
    object_type=THREAD,
    data={"upto": "id of the newest message read"},
)
