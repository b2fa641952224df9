"""The audit events of the agency directory (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

AGENCY = "agencies.agency"
CHANGE = {"fields": "names of changed fields"}

register("agencies.agency_create", _("新增中介机构"), object_type=AGENCY, data=CHANGE)
register("agencies.agency_update", _("修改中介机构"), object_type=AGENCY, data=CHANGE)
register(
    "agencies.agency_delete",
    _("删除中介机构"),
    object_type=AGENCY,
    data={"name": "the agency's name", "uscc": "its credit code"},
)
register("agencies.agency_activate", _("启用中介机构"), object_type=AGENCY)
register("agencies.agency_deactivate", _("停用中介机构"), object_type=AGENCY)
register(
    "agencies.agency_import",
    _("导入中介机构"),
    data={"created": "agencies added", "updated": "agencies changed"},
)
register("agencies.agency_load", _("载入演示中介机构"), data={"agencies": "how many"})
