"""The audit events of the 中心公告 column (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

_FIELDS = {
    "fields": "the fields that changed",
    "title": "the first 100 characters of the title",
    "files_added": "how many attachments were added",
    "files_removed": "how many attachments were removed",
}
register(
    "announcements.create",
    _("发布中心公告"),
    object_type="announcements.announcement",
    data=_FIELDS,
)
register(
    "announcements.update",
    _("修改中心公告"),
    object_type="announcements.announcement",
    data=_FIELDS,
)
register(
    "announcements.delete",
    _("删除中心公告"),
    object_type="announcements.announcement",
    data={"title": "the first 100 characters of the title"},
)
register(
    "announcements.result_withdraw",
    _("撤回许可结果公示"),
    object_type="announcements.resultentry",
    data={"reason": "the reason the public page shows"},
)
register(
    "announcements.hold_set",
    _("设置结果公示等待时间"),
    object_type="announcements.resultsettings",
    data={"old": "working days before", "new": "working days now"},
)
