"""The audit events of the catalogue (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

from .constants import FilingAction

ITEM, REGULATION = "catalogue.serviceitem", "catalogue.regulation"
CHANGE = {"version": "the item's version after the change", "fields": "names of changed fields"}

# item_record_change writes "catalogue.item_<FilingAction>"; a deletion has its own data.
register("catalogue.item_create", _("新增事项"), object_type=ITEM, data=CHANGE)
register("catalogue.item_update", _("修改事项"), object_type=ITEM, data=CHANGE)
register("catalogue.item_restore", _("恢复事项历史版本"), object_type=ITEM, data=CHANGE)
register("catalogue.item_delete", _("删除事项"), object_type=ITEM, data={"code": "the item code"})
register(
    "catalogue.item_load",
    _("载入演示事项"),
    object_type=ITEM,
    data={"source": "the loader that wrote it"},
)

# regulation_record_change writes "catalogue.regulation_<FilingAction>".
REGULATION_LABELS = {
    FilingAction.CREATE: _("新增法律法规"),
    FilingAction.UPDATE: _("修改法律法规"),
    FilingAction.DELETE: _("删除法律法规"),
}
for action, label in REGULATION_LABELS.items():
    register(
        f"catalogue.regulation_{action}",
        label,
        object_type=REGULATION,
        data={"fields": "names of changed fields"},
    )

review = {"comment": "the reviewer's comment"}
register("catalogue.filing_review", _("审阅备案"), object_type="catalogue.filing", data=review)
register("catalogue.filing_return", _("退回备案"), object_type="catalogue.filing", data=review)
