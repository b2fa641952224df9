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
register("org.otp_enrol", _("启用两步验证"), object_type="org.user")
register(
    "org.otp_remove",
    _("停用两步验证"),
    object_type="org.user",
    data={"proof": "what proved the owner: code or password"},
)
register(
    "org.otp_failed",
    _("两步验证码错误"),
    object_type="org.user",
    data={"throttled": "true when refused for too many failures"},
)
register(
    "org.session_end",
    _("结束其他登录会话"),
    object_type="org.staffsession",
    data={
        "all_others": "true when every other session was ended at once",
        "ip_address": "the address the ended session signed in from",
    },
)
