"""The audit events of the policy documents (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

DOC = "policies.policydocument"
CHANGE = {"fields": "names of changed fields", "filing": "the filing's id"}

register("policies.policy_create", _("新增政策文件"), object_type=DOC, data=CHANGE)
register("policies.policy_update", _("修改政策文件"), object_type=DOC, data=CHANGE)
register("policies.policy_publish", _("发布政策文件"), object_type=DOC, data=CHANGE)
register("policies.policy_unpublish", _("撤回政策文件"), object_type=DOC, data=CHANGE)
register(
    "policies.policy_delete",
    _("删除政策文件"),
    object_type=DOC,
    data={"doc_number": "the document number", "filing": "the filing's id"},
)
FILE = {**CHANGE, "name": "the attachment's file name"}
register("policies.attachment_add", _("上传政策文件附件"), object_type=DOC, data=FILE)
register("policies.attachment_delete", _("删除政策文件附件"), object_type=DOC, data=FILE)
register(
    "policies.policy_load",
    _("载入演示政策文件"),
    object_type=DOC,
    data={"source": "the loader that wrote it"},
)
