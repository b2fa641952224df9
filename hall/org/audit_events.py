"""The audit events of the organisation (see core.audit_events)."""

from django.utils.translation import gettext_lazy as _

from hall.core.audit_events import register

register(
    "org.role_create",
    _("创建角色"),
    object_type="org.role",
    data={"permissions": "the rights it starts with (app_label.codename)"},
)
register("org.center_create", _("创建服务中心"), object_type="org.center")
register("org.department_create", _("创建部门"), object_type="org.department")
register("org.window_create", _("创建窗口"), object_type="org.window")
register(
    "org.staff_create",
    _("创建工作人员账号"),
    object_type="org.staff",
    data={"roles": "codes of the roles given"},
)
register(
    "org.account_lock",
    _("账号因多次密码错误暂时锁定"),
    object_type="org.user",
    data={
        "username": "the user name that was locked (also when no account has it)",
        "until": "when the cool-off ends (ISO 8601)",
        "failures": "failed passwords from all addresses that set the lock",
    },
)
