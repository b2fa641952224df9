"""The audit events of notifications (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

register(
    "notifications.template_save",
    _("保存通知模板"),
    object_type="notifications.notificationtemplate",
    data={
        "event": "the case event it is sent on",
        "channel": "sms or email",
        "enabled": "whether it is sent",
        "text": "the new text",
        "old": "{text, enabled} before, or null when new",
    },
)
register(
    "notifications.resend",
    _("重新发送通知"),
    object_type="notifications.notification",
    data={"key": "the idempotency key", "error": "the last error before the resend"},
)
