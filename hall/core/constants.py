from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Action codes of the audit log. Codes are stable; labels are for people."""

    LOGIN = "auth.login", _("登录")
    LOGOUT = "auth.logout", _("退出")
    LOGIN_FAILED = "auth.login_failed", _("登录失败")
    LOCKED_OUT = "auth.locked_out", _("账号锁定")
    ADMIN_ADD = "admin.add", _("后台新增")
    ADMIN_CHANGE = "admin.change", _("后台修改")
    ADMIN_DELETE = "admin.delete", _("后台删除")
    ROLE_GRANT = "org.role_grant", _("授予角色")


AUDIT_PAGE_SIZE = 50

# The default header and footer texts, marked so that they are translated.
HALL_DEFAULT_TEXTS = [
    _("衢州市行政服务中心网上办事大厅"),
    _("衢州市柯城区荷花中路 行政服务中心"),
    _("周一至周五 8:30—12:00，14:30—17:30（法定节假日除外）"),
]
