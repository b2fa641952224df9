from django.db import models
from django.utils.translation import gettext_lazy as _


class CenterLevel(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县（市、区）级")


class RoleKind(models.TextChoices):
    """What a role is for: decides the landing page and which scope it needs.

    The rights a role grants are data (Role.permissions), never this code.
    """

    CENTER_ADMIN = "center_admin", _("中心管理员")
    DEPARTMENT_ADMIN = "department_admin", _("部门管理员")
    CLERK = "clerk", _("窗口工作人员")
    SUPERVISOR = "supervisor", _("监察/督查人员")


# Roles that work inside one department: the staff member must have one.
DEPARTMENT_ROLE_KINDS = {RoleKind.DEPARTMENT_ADMIN, RoleKind.CLERK}


_CRUD = ("view", "add", "change", "delete")


def _content_rights(*models: str, actions=_CRUD) -> list[str]:
    return [f"catalogue.{a}_{m}" for m in models for a in actions]


# A department's published content: items with their guides, and regulations.
_CONTENT = _content_rights(
    "serviceitem",
    "material",
    "itembasis",
    "itemfaq",
    "specialprocedure",
    "regulation",
    "regulationarticle",
    "applicationfield",
)

# A department's policy documents (the 政策法规 column).
_POLICIES = [
    *[f"policies.{a}_policydocument" for a in _CRUD],
    "policies.publish_policydocument",
]

# The rights each default role starts with; the center edits them in the back office.
DEFAULT_ROLE_PERMISSIONS: dict[str, list[str]] = {
    RoleKind.CENTER_ADMIN: [
        "core.access_backoffice",
        "core.view_auditentry",
        "org.view_center",
        "org.change_center",
        "org.view_department",
        "org.add_department",
        "org.change_department",
        "org.delete_department",
        "org.view_window",
        "org.add_window",
        "org.change_window",
        "org.delete_window",
        "org.view_user",
        "org.add_user",
        "org.change_user",
        "org.view_staff",
        "org.add_staff",
        "org.change_staff",
        "org.delete_staff",
        "org.view_role",
        "org.grant_center_roles",
        *_CONTENT,
        "catalogue.view_theme",
        "catalogue.add_theme",
        "catalogue.change_theme",
        "catalogue.view_filing",
        "catalogue.review_filing",
        *_POLICIES,
        # The intermediary-agency directory is the center's to keep.
        *[f"agencies.{a}_agency" for a in _CRUD],
        "cases.view_case",
        "cases.view_supervision",
        # The center's own announcements and approval results (中心公告).
        *[f"announcements.{a}_announcement" for a in _CRUD],
        "announcements.view_resultentry",
        "announcements.withdraw_resultentry",
        "announcements.view_resultsettings",
        "announcements.change_resultsettings",
        "notifications.view_notification",
        "notifications.resend_notification",
        "notifications.view_notificationtemplate",
        "notifications.add_notificationtemplate",
        "notifications.change_notificationtemplate",
        "qa.view_question",
        "qa.dispatch_question",
        "qa.publish_question",
        # 差评整改: the center decides appeals and sets the days
        "rectification.view_task",
        "rectification.decide_appeal",
        "rectification.view_rectificationsettings",
        "rectification.change_rectificationsettings",
        # complaints hall (投诉大厅): the center publishes and sets the answer time
        "feedback.view_complaint",
        "feedback.publish_complaint",
        "feedback.change_feedbacksettings",
        # The holiday calendar; the admin lets only the top (city) center use them.
        *[f"workdays.{a}_{m}" for m in ("holiday", "publishedyear") for a in _CRUD],
    ],
    RoleKind.DEPARTMENT_ADMIN: [
        "core.access_backoffice",
        "org.view_department",
        "org.view_window",
        "org.add_window",
        "org.change_window",
        "org.delete_window",
        "org.view_user",
        "org.add_user",
        "org.change_user",
        "org.view_staff",
        "org.add_staff",
        "org.change_staff",
        "org.view_role",
        *_CONTENT,
        "catalogue.view_filing",
        *_POLICIES,
        "cases.view_case",
        "cases.change_case",
        "cases.approve_extension",
        "notifications.view_notification",
        "notifications.resend_notification",
        "qa.view_question",
        "qa.answer_question",
        # 差评整改: the department handles its tasks
        "rectification.view_task",
        "rectification.handle_task",
        # complaints hall: the findings the center shares with the department
        "feedback.view_shared_complaint",
    ],
    RoleKind.CLERK: [
        "org.view_department",
        "cases.view_case",
        "cases.change_case",
        "notifications.view_notification",
        "qa.view_question",
        "qa.answer_question",
        # 差评整改: the department handles its tasks
        "rectification.view_task",
        "rectification.handle_task",
        # complaints hall: the findings the center shares with the department
        "feedback.view_shared_complaint",
    ],
    RoleKind.SUPERVISOR: [
        "core.view_auditentry",
        "org.view_department",
        "catalogue.view_serviceitem",
        "catalogue.view_filing",
        "cases.view_case",
        "cases.view_supervision",
        "notifications.view_notification",
        "qa.view_question",
        # 差评整改: supervision watches the tasks and decides appeals
        "rectification.view_task",
        "rectification.decide_appeal",
        # complaints hall: the center's supervisors handle complaints
        "feedback.view_complaint",
        "feedback.handle_complaint",
        "feedback.publish_complaint",
    ],
}

DEFAULT_ROLE_NAMES = {
    RoleKind.CENTER_ADMIN: _("中心管理员"),
    RoleKind.DEPARTMENT_ADMIN: _("部门管理员"),
    RoleKind.CLERK: _("窗口工作人员"),
    RoleKind.SUPERVISOR: _("监察/督查人员"),
}

# Region codes (行政区划代码) of the city and its counties.
CITY_REGION_CODE = "330800"

# ---- ratings figures: the 好差评 figures (ratings.view_rating) for the center,
# its supervisors and the department admins; granted to existing halls by
# ratings' migration 0002_grant_view_rating.
for _kind in (RoleKind.CENTER_ADMIN, RoleKind.SUPERVISOR, RoleKind.DEPARTMENT_ADMIN):
    if "ratings.view_rating" not in DEFAULT_ROLE_PERMISSIONS[_kind]:
        DEFAULT_ROLE_PERMISSIONS[_kind].append("ratings.view_rating")
del _kind
# ---- end of the ratings figures' part ----

# ---- monthly work summaries (月度工作总结): the units write and submit, the
# center reviews and sets them up; granted to existing halls by summaries'
# migration 0002_grant_summary_rights.
for _kind, _codes in {
    RoleKind.CENTER_ADMIN: [
        "summaries.view_summary",
        "summaries.review_summary",
        "summaries.change_summarysettings",
    ],
    RoleKind.DEPARTMENT_ADMIN: ["summaries.view_summary", "summaries.submit_summary"],
    RoleKind.CLERK: ["summaries.view_summary", "summaries.submit_summary"],
}.items():
    DEFAULT_ROLE_PERMISSIONS[_kind].extend(
        c for c in _codes if c not in DEFAULT_ROLE_PERMISSIONS[_kind]
    )
del _kind, _codes
# ---- end of the monthly work summaries' part ----
# ---- 中心布置工作 (notices and tasks): the center sends and watches them, every
# staff role reads its unit's, departments and windows feed back; granted to
# existing halls by notices' migration 0002_grant_rights.
_NOTICE_RIGHTS = {
    # a county center's admins feed back the city's tasks to their center
    RoleKind.CENTER_ADMIN: [
        "notices.view_notice",
        "notices.send_notice",
        "notices.view_status",
        "notices.feedback_task",
    ],
    RoleKind.SUPERVISOR: ["notices.view_notice", "notices.view_status"],
    RoleKind.DEPARTMENT_ADMIN: ["notices.view_notice", "notices.feedback_task"],
    RoleKind.CLERK: ["notices.view_notice", "notices.feedback_task"],
}
for _kind, _codes in _NOTICE_RIGHTS.items():
    DEFAULT_ROLE_PERMISSIONS[_kind].extend(
        c for c in _codes if c not in DEFAULT_ROLE_PERMISSIONS[_kind]
    )
del _kind, _codes
# ---- end of the notices' part ----
# ---- practice mode (练习模式): clerks and department admins drill on practice
# cases of their department; granted to existing halls by practice's migration
# 0002_grant_default_roles.
for _kind in (RoleKind.CLERK, RoleKind.DEPARTMENT_ADMIN):
    if "practice.use_practice" not in DEFAULT_ROLE_PERMISSIONS[_kind]:
        DEFAULT_ROLE_PERMISSIONS[_kind].append("practice.use_practice")
del _kind
# ---- end of practice mode's part ----
# ---- annual assessment (年度考核): the center admins set up, run and publish
# it, the supervisors read it; granted to existing halls by assessment's
# migration 0002_grant_default_rights.
for _kind, _rights in (
    (
        RoleKind.CENTER_ADMIN,
        [
            "assessment.view_assessment",
            "assessment.run_assessment",
            "assessment.publish_assessment",
        ],
    ),
    (RoleKind.SUPERVISOR, ["assessment.view_assessment"]),
):
    DEFAULT_ROLE_PERMISSIONS[_kind].extend(
        r for r in _rights if r not in DEFAULT_ROLE_PERMISSIONS[_kind]
    )
del _kind, _rights
# ---- end of the annual assessment's part ----
# ---- messages between windows (信息互动): every staff role writes and reads its
# threads (messaging.use_messages); granted to existing halls by messaging's
# migration 0002_grant_use_messages.
for _kind in RoleKind:
    if "messaging.use_messages" not in DEFAULT_ROLE_PERMISSIONS[_kind]:
        DEFAULT_ROLE_PERMISSIONS[_kind].append("messaging.use_messages")
del _kind
# ---- end of the messages' part ----
# ---- usage sheets: every role reads usage sheets (a clerk their own window's);
# the center, its supervisors and the department admins compare windows.
# Granted to existing halls by usage's migration 0002_grant_usage_rights.
for _kind in RoleKind:
    if "usage.view_usage" not in DEFAULT_ROLE_PERMISSIONS[_kind]:
        DEFAULT_ROLE_PERMISSIONS[_kind].append("usage.view_usage")
for _kind in (RoleKind.CENTER_ADMIN, RoleKind.SUPERVISOR, RoleKind.DEPARTMENT_ADMIN):
    if "usage.compare_usage" not in DEFAULT_ROLE_PERMISSIONS[_kind]:
        DEFAULT_ROLE_PERMISSIONS[_kind].append("usage.compare_usage")
del _kind
# ---- end of the usage sheets' part ----
