"""The permission matrix: every staff URL of the URLconf × every demo role ×
an object of their own and of another department or center → the expected status.

The staff URLs are read from the URLconf, not listed here: a new page or POST
action under /staff/ fails `test_every_staff_url_has_expectations` until it has
a row in RULES. Each row names the right the view declares (staff_required sets
`required_perm`, and that decorator is the check), what the URL points at and
what a permitted user gets for GET and POST. The rest follows from two rules
of the hall: without the right, or for an object outside the user's scope, the
page does not exist (404); anonymous visitors go to the staff login page.
"""

import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from conftest import PDF_BYTES
from hall.agencies.tests.factories import make_agency
from hall.cases.services import Applicant, case_accept, case_submit
from hall.catalogue.constants import FilingAction
from hall.catalogue.models import Material, ServiceItem
from hall.catalogue.services import item_next_code, item_record_change
from hall.core.tests.urlwalk import staff_urls
from hall.org.models import Center, Department, User, Window
from hall.org.services import staff_ensure
from hall.policies.models import PolicyAttachment, PolicyDocument
from hall.qa.services import question_ask

# ---- who holds which right --------------------------------------------------------

_CENTER_ADMIN = {
    "core.view_auditentry",
    "org.view_department",
    "catalogue.view_serviceitem",
    "catalogue.add_serviceitem",
    "catalogue.change_serviceitem",
    "catalogue.view_filing",
    "catalogue.review_filing",
    "cases.view_case",
    "cases.view_supervision",
    "notifications.view_notification",
    "notifications.resend_notification",
    "notifications.change_notificationtemplate",
    "policies.view_policydocument",
    "policies.add_policydocument",
    "policies.change_policydocument",
    "policies.delete_policydocument",
    "policies.publish_policydocument",
    "qa.view_question",
    "qa.dispatch_question",
    "qa.publish_question",
    "announcements.view_announcement",
    "announcements.add_announcement",
    "announcements.change_announcement",
    "announcements.delete_announcement",
    "announcements.view_resultentry",
    "announcements.withdraw_resultentry",
    "announcements.change_resultsettings",
    "agencies.view_agency",
    "agencies.add_agency",
    "agencies.change_agency",
    "agencies.delete_agency",
    # 差评整改
    "rectification.view_task",
    "rectification.decide_appeal",
    "rectification.change_rectificationsettings",
}
_SUPERVISOR = {
    "core.view_auditentry",
    "org.view_department",
    "catalogue.view_serviceitem",
    "catalogue.view_filing",
    "cases.view_case",
    "cases.view_supervision",
    "notifications.view_notification",
    "qa.view_question",
    # 差评整改
    "rectification.view_task",
    "rectification.decide_appeal",
}
_DEPARTMENT_ADMIN = {
    "org.view_department",
    "catalogue.view_serviceitem",
    "catalogue.add_serviceitem",
    "catalogue.change_serviceitem",
    "catalogue.view_filing",
    "cases.view_case",
    "cases.change_case",
    "cases.approve_extension",
    "notifications.view_notification",
    "notifications.resend_notification",
    "policies.view_policydocument",
    "policies.add_policydocument",
    "policies.change_policydocument",
    "policies.delete_policydocument",
    "policies.publish_policydocument",
    "qa.view_question",
    "qa.answer_question",
    # 差评整改
    "rectification.view_task",
    "rectification.handle_task",
}
_CLERK = {
    "org.view_department",
    "cases.view_case",
    "cases.change_case",
    "notifications.view_notification",
    "qa.view_question",
    "qa.answer_question",
    # 差评整改
    "rectification.view_task",
    "rectification.handle_task",
}
# complaints hall (投诉大厅): handled by the supervisors, published and set up by the
# center; a department reads only the findings shared with it
_CENTER_ADMIN |= {
    "feedback.view_complaint",
    "feedback.publish_complaint",
    "feedback.change_feedbacksettings",
}
_SUPERVISOR |= {
    "feedback.view_complaint",
    "feedback.handle_complaint",
    "feedback.publish_complaint",
}
_DEPARTMENT_ADMIN |= {"feedback.view_shared_complaint"}
_CLERK |= {"feedback.view_shared_complaint"}
# ratings figures: the 好差评 figures for the center, its supervisors and the
# department admins (ratings.view_rating)
_CENTER_ADMIN |= {"ratings.view_rating"}
_SUPERVISOR |= {"ratings.view_rating"}
_DEPARTMENT_ADMIN |= {"ratings.view_rating"}
# monthly work summaries: the units write and submit, the center reviews and sets up
_CENTER_ADMIN |= {
    "summaries.view_summary",
    "summaries.review_summary",
    "summaries.change_summarysettings",
}
_DEPARTMENT_ADMIN |= {"summaries.view_summary", "summaries.submit_summary"}
_CLERK |= {"summaries.view_summary", "summaries.submit_summary"}
# 中心布置工作: every role reads its unit's notices; the center sends and watches
# them; departments, windows and (for the city's tasks) county centers feed back
_CENTER_ADMIN |= {
    "notices.view_notice",
    "notices.send_notice",
    "notices.view_status",
    "notices.feedback_task",
}
_SUPERVISOR |= {"notices.view_notice", "notices.view_status"}
_DEPARTMENT_ADMIN |= {"notices.view_notice", "notices.feedback_task"}
_CLERK |= {"notices.view_notice", "notices.feedback_task"}
# practice mode (练习模式): the clerks and department admins drill in it
_DEPARTMENT_ADMIN |= {"practice.use_practice"}
_CLERK |= {"practice.use_practice"}
# annual assessment (年度考核): the center sets it up and publishes it, supervisors read it
_CENTER_ADMIN |= {
    "assessment.view_assessment",
    "assessment.run_assessment",
    "assessment.publish_assessment",
}
_SUPERVISOR |= {"assessment.view_assessment"}
# messages between windows (信息互动): every staff role
for _rights in (_CENTER_ADMIN, _SUPERVISOR, _DEPARTMENT_ADMIN, _CLERK):
    _rights |= {"messaging.use_messages"}
# usage sheets: every role reads them (a clerk their own window's); the center,
# its supervisors and the department admins compare windows
_CENTER_ADMIN |= {"usage.view_usage", "usage.compare_usage"}
_SUPERVISOR |= {"usage.view_usage", "usage.compare_usage"}
_DEPARTMENT_ADMIN |= {"usage.view_usage", "usage.compare_usage"}
_CLERK |= {"usage.view_usage"}
ALL = object()  # the superuser
# The holiday calendar is the whole city's: of the center admins, only the top
# (city) center's use the workdays rights (workdays.admin.manages_calendar).
_CITY_CENTER_ADMIN = _CENTER_ADMIN | {"workdays.change_holiday"}

RIGHTS = {
    "city_admin": _CITY_CENTER_ADMIN,
    "city_supervisor": _SUPERVISOR,
    "scjg_admin": _DEPARTMENT_ADMIN,
    "scjg_clerk": _CLERK,
    "zrzy_clerk": _CLERK,
    "kc_admin": _CENTER_ADMIN,
    "kc_supervisor": _SUPERVISOR,
    "kc_scjg_admin": _DEPARTMENT_ADMIN,
    "kc_scjg_clerk": _CLERK,
    "sysadmin": ALL,
}
ROLES = ["anonymous", *RIGHTS]

# ---- who sees what ----------------------------------------------------------------

# The objects of each URL live in three places: the city's 市场监管局, 柯城区's and
# 衢江区's. The city center sees its counties; a county center only itself; a
# department only itself (zrzy_clerk, of another city department, sees none).
SCOPES = {
    "city": ("330800", {"city_admin", "city_supervisor", "scjg_admin", "scjg_clerk", "sysadmin"}),
    "kc": (
        "330802",
        {
            "city_admin",
            "city_supervisor",
            "kc_admin",
            "kc_supervisor",
            "kc_scjg_admin",
            "kc_scjg_clerk",
            "sysadmin",
        },
    ),
    "qj": ("330803", {"city_admin", "city_supervisor", "sysadmin"}),
}
# What a center publishes (announcements, approval results) is its own: the city
# does not manage a county's, and a county not another's.
OWN_CENTER = {
    "city": {"city_admin", "city_supervisor", "scjg_admin", "scjg_clerk", "zrzy_clerk", "sysadmin"},
    "kc": {"kc_admin", "kc_supervisor", "kc_scjg_admin", "kc_scjg_clerk", "sysadmin"},
    "qj": {"sysadmin"},
}

# Staff who work for a center, not in a department: a task's feedback is not theirs
# to give for a department (the superuser may act for any unit).
CENTER_LEVEL = {"city_admin", "city_supervisor", "kc_admin", "kc_supervisor"}

# ---- the table --------------------------------------------------------------------

PUBLIC = "public"  # no staff_required: anyone may ask
STAFF = None  # staff_required(): any staff member, no particular right

_HANDLE = "cases.change_case"
_EXTEND = "cases.approve_extension"


@dataclass(frozen=True)
class Rule:
    """`perm`: the right the view declares. `get`/`post`: what a user holding it
    gets (405: the method is refused before any object is looked up; None: the
    method is not tried; a dict: per "anonymous"/"signed_in", for public pages).
    `kwargs(o)`: the URL's arguments for the objects `o` of one scope; without
    it the URL points at nothing in particular."""

    perm: str | None
    get: int | dict | None = 200
    post: int | dict | None = None
    kwargs: object = None
    data: dict = field(default_factory=dict)
    own_center: bool = False  # scoped by OWN_CENTER, not SCOPES
    # Done as the addressed unit (a task's feedback): center-level staff are not it.
    unit_only: bool = False


def _case(o):
    return {"pk": o.case.pk}


def _policy(o):
    return {"pk": o.policy.pk}


def _policy_file(o):
    return {"pk": o.policy.pk, "attachment_id": o.policy_file.pk}


_QA_VIEW = "qa.view_question"
_QA_ANSWER = "qa.answer_question"
_QA_DISPATCH = "qa.dispatch_question"
_QA_PUBLISH = "qa.publish_question"


def _question(o):
    return {"pk": o.question.pk}


# 差评整改
_RECT_VIEW = "rectification.view_task"
_RECT_HANDLE = "rectification.handle_task"
_RECT_DECIDE = "rectification.decide_appeal"
_RECT_SETTINGS = "rectification.change_rectificationsettings"


def _task(o):
    return {"pk": o.task.pk}


# complaints hall
_FB_VIEW = "feedback.view_complaint"
_FB_HANDLE = "feedback.handle_complaint"


def _complaint(o):
    return {"pk": o.complaint.pk}


# monthly work summaries
_SUM_VIEW = "summaries.view_summary"
_SUM_SUBMIT = "summaries.submit_summary"
_SUM_REVIEW = "summaries.review_summary"


def _summary(o):
    return {"pk": o.summary.pk}


def _notice(o):
    return {"pk": o.notice.pk}


# practice mode
_PRACTICE = "practice.use_practice"
# annual assessment: each place's center has a draft scheme for 2024 (one
# indicator of weight 100), its SCJG department a unit of it. Viewing follows
# the center's scope; setting up, adjusting and publishing only its own center.
_AS_VIEW = "assessment.view_assessment"
_AS_RUN = "assessment.run_assessment"


def _scheme(o):
    return {"pk": o.assessment.pk}


def _as_unit(o):
    return {"pk": o.assessment.pk, "kind": "department", "unit": o.department.pk}


def _as_indicator(o):
    return {"pk": o.assessment.pk, "indicator": o.assessment.indicators.get().pk}


# messages between windows: each place's thread has as parties the staff that
# SCOPES says see the place (a thread one takes no part in is 404)
_MSG = "messaging.use_messages"


def _thread(o):
    return {"pk": o.thread.pk}


def _thread_file(o):
    return {"pk": o.thread.pk, "file_id": o.thread_file.pk}


def _first_window(o):
    return {"pk": o.department.windows.order_by("number").first().pk}


def _action(perm=_HANDLE):
    return Rule(perm, get=405, post=302, kwargs=_case)


RULES = {
    # cases: the workbench
    "cases:queue": Rule("cases.view_case"),
    "cases:walk_in_start": Rule(_HANDLE),
    "cases:walk_in": Rule(_HANDLE, post=200, kwargs=lambda o: {"code": o.item.code}),
    "cases:staff_case": Rule("cases.view_case", kwargs=_case),
    "cases:notice": Rule("cases.view_case", kwargs=_case),
    "cases:staff_file": Rule(
        "cases.view_case", kwargs=lambda o: {"pk": o.case.pk, "file_id": o.file.pk}
    ),
    "cases:reply": _action(),
    "cases:correction": _action(),
    "cases:accept": _action(),
    "cases:refuse": _action(),
    "cases:suspend": _action(),
    "cases:resume": _action(),
    "cases:approve": _action(),
    "cases:reject": _action(),
    "cases:complete": _action(),
    "cases:note": _action(),
    "cases:extend": _action(_EXTEND),
    # catalogue
    "catalogue:filings": Rule("catalogue.view_filing"),
    "catalogue:filing": Rule("catalogue.view_filing", kwargs=lambda o: {"pk": o.filing.pk}),
    "catalogue:filing_review": Rule(
        "catalogue.review_filing",
        get=405,
        post=302,
        kwargs=lambda o: {"pk": o.filing.pk},
        data={"decision": "return", "comment": "请核对名称"},
    ),
    "catalogue:versions": Rule(
        "catalogue.change_serviceitem", kwargs=lambda o: {"code": o.item.code}
    ),
    "catalogue:version": Rule(
        "catalogue.change_serviceitem",
        post=302,
        kwargs=lambda o: {"code": o.item.code, "number": o.version},
    ),
    "catalogue:completeness": Rule("catalogue.view_serviceitem"),
    "catalogue:export": Rule("catalogue.view_serviceitem"),
    "catalogue:import": Rule("catalogue.add_serviceitem", post=200),
    # agencies: the center's directory
    "agencies:staff_list": Rule("agencies.view_agency"),
    "agencies:staff_new": Rule("agencies.add_agency", post=200),
    "agencies:staff_edit": Rule(
        "agencies.change_agency", post=200, kwargs=lambda o: {"pk": o.agency.pk}
    ),
    "agencies:staff_active": Rule(
        "agencies.change_agency",
        get=405,
        post=302,
        kwargs=lambda o: {"pk": o.agency.pk},
        data={"active": "0"},
    ),
    "agencies:staff_delete": Rule(
        "agencies.delete_agency", get=405, post=302, kwargs=lambda o: {"pk": o.agency.pk}
    ),
    "agencies:export": Rule("agencies.view_agency"),
    "agencies:template": Rule("agencies.view_agency"),
    "agencies:import": Rule("agencies.add_agency", post=200),
    # notifications
    "notifications:log": Rule("notifications.view_notification"),
    "notifications:stats": Rule("notifications.view_notification"),
    "notifications:resend": Rule(
        "notifications.resend_notification",
        get=405,
        post=302,
        kwargs=lambda o: {"pk": o.notification.pk},
    ),
    "notifications:templates": Rule("notifications.change_notificationtemplate"),
    "notifications:template_edit": Rule(
        "notifications.change_notificationtemplate",
        post=200,
        kwargs=lambda o: {"center_id": o.center.pk, "event": "accepted"},
    ),
    # 网上答疑: a question routed to the place's department. The forms sent
    # empty (route, refer) or a move the question's status refuses (publish,
    # private, promote) answer 400: the request reached the service.
    "qa:queue": Rule(_QA_VIEW),
    "qa:staff_detail": Rule(_QA_VIEW, kwargs=_question),
    "qa:route": Rule(_QA_DISPATCH, get=405, post=400, kwargs=_question),
    "qa:refer": Rule(_QA_DISPATCH, get=405, post=400, kwargs=_question),
    "qa:answer": Rule(_QA_ANSWER, get=405, post=302, kwargs=_question, data={"answer": "矩阵答复"}),
    "qa:send_back": Rule(
        _QA_ANSWER, get=405, post=302, kwargs=_question, data={"reason": "不属于本部门"}
    ),
    "qa:publish": Rule(
        _QA_PUBLISH,
        get=405,
        post=400,
        kwargs=_question,
        data={"published_subject": "主题", "published_question": "问题"},
    ),
    "qa:keep_private": Rule(
        _QA_PUBLISH, get=405, post=400, kwargs=_question, data={"reason": "涉及个人信息"}
    ),
    "qa:promote": Rule(_QA_PUBLISH, get=405, post=400, kwargs=_question, data={"item": "X"}),
    # 差评整改: a task waiting for its call-back in the place's department. The
    # steps it is not ready for, or sent empty, answer 400: they reached the service.
    "rectification:list": Rule(_RECT_VIEW),
    "rectification:appeals": Rule(_RECT_DECIDE),
    "rectification:settings": Rule(_RECT_SETTINGS, post=200),
    "rectification:detail": Rule(_RECT_VIEW, kwargs=_task),
    "rectification:callback": Rule(
        _RECT_HANDLE, get=405, post=302, kwargs=_task, data={"reached": "yes", "note": "矩阵回访"}
    ),
    "rectification:verify": Rule(
        _RECT_HANDLE, get=405, post=400, kwargs=_task, data={"note": "属实"}
    ),
    "rectification:appeal": Rule(_RECT_HANDLE, get=405, post=400, kwargs=_task),
    "rectification:decide": Rule(_RECT_DECIDE, get=405, post=400, kwargs=_task),
    "rectification:rectify": Rule(_RECT_HANDLE, get=405, post=400, kwargs=_task),
    "rectification:reply": Rule(_RECT_HANDLE, get=405, post=400, kwargs=_task),
    "rectification:evidence": Rule(
        _RECT_VIEW, kwargs=lambda o: {"pk": o.task.pk, "evidence_id": o.task_evidence.pk}
    ),
    # complaints hall (投诉大厅): a complaint about the place's department, still
    # submitted (accept succeeds; the other moves, or empty forms, answer 400),
    # and one answered and shared with the department (its shared findings page)
    "feedback:staff_list": Rule(_FB_VIEW),
    "feedback:export": Rule(_FB_VIEW),
    "feedback:settings": Rule("feedback.change_feedbacksettings", post=400),
    "feedback:shared_list": Rule("feedback.view_shared_complaint"),
    "feedback:shared_detail": Rule(
        "feedback.view_shared_complaint", kwargs=lambda o: {"pk": o.shared_complaint.pk}
    ),
    "feedback:staff_detail": Rule(_FB_VIEW, kwargs=_complaint),
    "feedback:staff_file": Rule(
        _FB_VIEW, kwargs=lambda o: {"pk": o.complaint.pk, "file_id": o.complaint_file.pk}
    ),
    "feedback:accept": Rule(_FB_HANDLE, get=405, post=302, kwargs=_complaint),
    "feedback:not_accept": Rule(_FB_HANDLE, get=405, post=400, kwargs=_complaint),
    "feedback:investigate": Rule(_FB_HANDLE, get=405, post=400, kwargs=_complaint),
    "feedback:answer": Rule(_FB_HANDLE, get=405, post=400, kwargs=_complaint),
    "feedback:close": Rule(_FB_HANDLE, get=405, post=400, kwargs=_complaint),
    "feedback:share": Rule(_FB_HANDLE, get=405, post=400, kwargs=_complaint),
    "feedback:publish": Rule("feedback.publish_complaint", get=405, post=400, kwargs=_complaint),
    # 中心布置工作: a task from the place's center to its 市场监管局, with a file;
    # an empty form to send answers 400 (it reached the checks)
    "notices:inbox": Rule("notices.view_notice"),
    "notices:sent": Rule("notices.view_status"),
    "notices:new": Rule("notices.send_notice", post=400),
    "notices:detail": Rule("notices.view_notice", kwargs=_notice),
    "notices:status": Rule("notices.view_status", kwargs=_notice),
    "notices:feedback": Rule(
        "notices.feedback_task",
        get=405,
        post=302,
        kwargs=_notice,
        data={"text": "矩阵反馈"},
        unit_only=True,
    ),
    "notices:file": Rule(
        "notices.view_notice", kwargs=lambda o: {"pk": o.notice.pk, "file_id": o.notice_file.pk}
    ),
    # supervision
    "supervision:dashboard": Rule("cases.view_supervision"),
    "supervision:export": Rule("cases.view_supervision", kwargs=lambda o: {"table": "overdue"}),
    # policies: a department's documents
    "policies:staff_list": Rule("policies.view_policydocument"),
    "policies:staff_create": Rule("policies.add_policydocument", post=200),
    "policies:staff_detail": Rule("policies.view_policydocument", kwargs=_policy),
    "policies:staff_edit": Rule("policies.change_policydocument", post=200, kwargs=_policy),
    "policies:staff_publish": Rule(
        "policies.publish_policydocument", get=405, post=302, kwargs=_policy
    ),
    "policies:staff_delete": Rule(
        "policies.delete_policydocument", get=405, post=302, kwargs=_policy
    ),
    "policies:staff_attachment_add": Rule(
        "policies.change_policydocument", get=405, post=302, kwargs=_policy
    ),
    "policies:staff_attachment": Rule("policies.view_policydocument", kwargs=_policy_file),
    "policies:staff_attachment_delete": Rule(
        "policies.change_policydocument", get=405, post=302, kwargs=_policy_file
    ),
    # announcements (中心公告): each center's own
    "announcements:staff_list": Rule("announcements.view_announcement"),
    "announcements:staff_new": Rule("announcements.add_announcement", post=200),
    "announcements:staff_edit": Rule(
        "announcements.change_announcement",
        post=200,
        kwargs=lambda o: {"pk": o.announcement.pk},
        own_center=True,
    ),
    "announcements:staff_delete": Rule(
        "announcements.delete_announcement",
        get=405,
        post=302,
        kwargs=lambda o: {"pk": o.announcement.pk},
        own_center=True,
    ),
    "announcements:staff_results": Rule("announcements.view_resultentry"),
    "announcements:staff_withdraw": Rule(
        "announcements.withdraw_resultentry",
        post=200,
        kwargs=lambda o: {"pk": o.result.pk},
        own_center=True,
    ),
    "announcements:staff_settings": Rule("announcements.change_resultsettings", post=200),
    # core and org
    "core:audit_log": Rule("core.view_auditentry"),
    "workdays:schedule": Rule("workdays.change_holiday", post=200),
    "org:landing": Rule(STAFF),
    "org:departments": Rule("org.view_department"),
    "org:department_detail": Rule("org.view_department", kwargs=lambda o: {"pk": o.department.pk}),
    "org:login": Rule(
        PUBLIC,
        get={"anonymous": 200, "signed_in": 302},
        post={"anonymous": 200, "signed_in": 302},
    ),
    "org:logout": Rule(PUBLIC, get=405, post=302),
    # the second login step: nothing to ask without a password first, or without a device
    "org:login_code": Rule(
        PUBLIC,
        get={"anonymous": 302, "signed_in": 302},
        post={"anonymous": 302, "signed_in": 302},
    ),
    # the account's own security: every staff member, on their own account only
    "org:account": Rule(STAFF),
    "org:otp_enrol": Rule(STAFF, post=200),
    "org:otp_remove": Rule(STAFF, get=405, post=302),
    "org:sessions": Rule(STAFF),
    "org:session_end": Rule(STAFF, get=405, post=302, data={"session": "all"}),
    # ratings figures: the staff figures and their Excel export (the drill-down
    # is in the query; its scope 404s are in hall/ratings/tests/test_figures_pages.py)
    "ratings:figures": Rule("ratings.view_rating"),
    "ratings:figures_export": Rule("ratings.view_rating"),
    # 操作手册: every staff member reads every help page, of screens they cannot open too
    "manual:index": Rule(STAFF),
    "manual:handbook": Rule(STAFF),
    "manual:page": Rule(STAFF, kwargs=lambda o: {"namespace": "core", "name": "audit_log"}),
    # monthly work summaries: a unit's own (a window's clerk: their window only);
    # the center reviews its own units
    "summaries:mine": Rule(_SUM_SUBMIT),
    "summaries:start": Rule(_SUM_SUBMIT, get=405, post=400),
    "summaries:edit": Rule(_SUM_SUBMIT, get=302, post=400, kwargs=_summary),
    "summaries:detail": Rule(_SUM_VIEW, kwargs=_summary),
    "summaries:unit": Rule(
        _SUM_VIEW, kwargs=lambda o: {"kind": "window", "pk": o.summary.window_id}
    ),
    "summaries:center": Rule(_SUM_REVIEW),
    "summaries:export": Rule(_SUM_REVIEW),
    "summaries:settings": Rule("summaries.change_summarysettings", post=400),
    "summaries:accept": Rule(_SUM_REVIEW, get=405, post=302, kwargs=_summary, own_center=True),
    "summaries:return": Rule(_SUM_REVIEW, get=405, post=400, kwargs=_summary, own_center=True),
    # practice mode: the clerk's own practice only; a drill URL naming a real
    # case's id is no drill of anyone's (404)
    "practice:home": Rule(_PRACTICE),
    "practice:switch": Rule(_PRACTICE, get=405, post=302, data={"on": "0"}),
    "practice:reset": Rule(_PRACTICE, get=405, post=302),
    "practice:drill_start": Rule(_PRACTICE, get=405, post=302, data={"scenario": "nonsense"}),
    "practice:drill": Rule(_PRACTICE, get=404, kwargs=_case),
    "practice:drill_check": Rule(_PRACTICE, get=405, post=404, kwargs=_case),
    # annual assessment (年度考核); the forms sent empty answer 400: they reached the service
    "assessment:list": Rule(_AS_VIEW),
    "assessment:create": Rule(_AS_RUN, get=405, post=400),
    "assessment:scheme": Rule(_AS_VIEW, kwargs=_scheme),
    "assessment:indicator_add": Rule(_AS_RUN, get=405, post=400, kwargs=_scheme, own_center=True),
    "assessment:indicator_edit": Rule(_AS_RUN, post=400, kwargs=_as_indicator, own_center=True),
    "assessment:indicator_delete": Rule(
        _AS_RUN, get=405, post=302, kwargs=_as_indicator, own_center=True
    ),
    "assessment:results": Rule(_AS_VIEW, kwargs=_scheme),
    "assessment:report": Rule(_AS_VIEW, kwargs=_scheme),
    "assessment:export": Rule(_AS_VIEW, kwargs=_scheme),
    "assessment:publish": Rule(
        "assessment.publish_assessment", get=405, post=302, kwargs=_scheme, own_center=True
    ),
    "assessment:external_import": Rule(_AS_RUN, get=405, post=400, kwargs=_scheme, own_center=True),
    "assessment:unit": Rule(_AS_VIEW, kwargs=_as_unit),
    "assessment:external": Rule(_AS_RUN, get=405, post=400, kwargs=_as_unit, own_center=True),
    "assessment:adjust": Rule(_AS_RUN, get=405, post=400, kwargs=_as_unit, own_center=True),
    "assessment:behind": Rule(
        _AS_VIEW,
        kwargs=lambda o: {**_as_unit(o), "indicator": o.assessment.indicators.get().pk},
    ),
    # messages between windows
    "messaging:list": Rule(_MSG),
    "messaging:new": Rule(_MSG, post=400),
    "messaging:detail": Rule(_MSG, kwargs=_thread),
    "messaging:reply": Rule(_MSG, get=405, post=400, kwargs=_thread),
    "messaging:file": Rule(_MSG, kwargs=_thread_file),
    # usage sheets: the place's department's first window, the one its clerk
    # sits at (a clerk reads only their own window's sheet)
    "usage:index": Rule("usage.view_usage"),
    "usage:index_export": Rule("usage.view_usage"),
    "usage:department": Rule("usage.compare_usage", kwargs=lambda o: {"pk": o.department.pk}),
    "usage:department_export": Rule(
        "usage.compare_usage", kwargs=lambda o: {"pk": o.department.pk}
    ),
    "usage:window": Rule("usage.view_usage", kwargs=_first_window),
    "usage:window_export": Rule("usage.view_usage", kwargs=_first_window),
}
# supervision:export names a table, not an object: it is asked once.
UNSCOPED_ARGS = {"supervision:export"}
UNSCOPED_ARGS |= {"manual:page"}  # names a help page, not an object


def _gap(*key):
    """Rows where the code may disagree with the table: none. Kept as the one place
    to mark a known gap (a strict xfail) while it is being fixed."""
    return []


# ---- the URLconf ------------------------------------------------------------------


STAFF_URLS = staff_urls()  # read from the URLconf (hall/core/tests/urlwalk.py)


def test_every_staff_url_has_expectations():
    missing = sorted(set(STAFF_URLS) - set(RULES))
    assert not missing, f"staff URLs without a row in RULES: {missing}"
    stale = sorted(set(RULES) - set(STAFF_URLS))
    assert not stale, f"rows in RULES for URLs the URLconf no longer has: {stale}"


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=_gap(n, "declared")) for n in sorted(STAFF_URLS)]
)
def test_each_view_declares_the_right_of_the_table(name):
    rule = RULES.get(name)
    assert rule is not None, f"{name} has no row in RULES"
    view = STAFF_URLS[name][1]
    if rule.perm == PUBLIC:
        assert not hasattr(view, "required_perm"), f"{name} is public in the table"
    else:
        assert hasattr(view, "required_perm"), f"{name} is not behind staff_required"
        assert view.required_perm == rule.perm


# ---- the objects, made once for the module ------------------------------------------


@dataclass
class Place:
    """One department's objects, reached through the services."""

    center: Center
    department: Department
    item: ServiceItem
    version: int
    filing: object
    case: object
    file: object
    notification: object
    policy: object
    policy_file: object
    question: object
    announcement: object
    result: object
    agency: object
    # complaints hall
    complaint: object = None
    complaint_file: object = None
    shared_complaint: object = None
    # monthly work summaries: window 1's summary of last month, submitted
    summary: object = None
    # 中心布置工作
    notice: object = None
    notice_file: object = None
    # annual assessment
    assessment: object = None
    # messages between windows
    thread: object = None
    thread_file: object = None


def _rectification_task(place: Place, sysadmin):
    """A completed case of the place's item rated 不满意: its task (差评整改)."""
    from hall.cases.services import case_approve, case_complete
    from hall.ratings.services import rating_submit
    from hall.rectification.models import Evidence

    case, _ = case_submit(
        item=place.item,
        applicant=Applicant(
            kind="person",
            name="李四",
            id_type="resident_id",
            id_number="11010519491231002X",
            phone="13857012345",
        ),
        form_data={},
        files={place.item.materials.get().pk: [SimpleUploadedFile("申请书.pdf", PDF_BYTES)]},
        submission_token=uuid.uuid4(),
    )
    case_accept(case=case, actor=sysadmin)
    case_approve(case=case, actor=sysadmin, opinion="准予许可")
    case_complete(case=case, actor=sysadmin, certificate_number="矩阵001", delivery="on_site")
    rating = rating_submit(case=case, kind="finished", level=2, comment="矩阵差评", channel="web")
    evidence = Evidence(task=rating.rectification, original_name="证明.pdf", kind="pdf", size=10)
    evidence.file.save("e.pdf", ContentFile(PDF_BYTES), save=False)
    evidence.save()
    return rating.rectification, evidence


def _summary_of(department, sysadmin):
    from django.utils import timezone

    from hall.summaries import due
    from hall.summaries.services import summary_start, summary_submit

    window = Window.objects.filter(department=department).order_by("number").first()
    month = due.add_months(due.month_start(timezone.localdate()), -1)
    summary = summary_start(actor=sysadmin, kind="window", unit_pk=window.pk, month=month)
    summary_submit(
        actor=sysadmin, summary=summary, texts={"s1": "矩阵", "s2": "矩阵", "s3": "矩阵"}
    )
    return summary


def _notice_task(place: Place, sysadmin):
    from hall.notices.services import notice_send

    notice = notice_send(
        actor=sysadmin,
        center=place.center,
        kind="task",
        title="矩阵测试任务",
        body="正文",
        departments=[place.department],
        due_days=3,
        files=[SimpleUploadedFile("任务.pdf", PDF_BYTES)],
    )
    return notice, notice.files.get()


def _place(region: str, actor, sysadmin) -> Place:
    department = Department.objects.get(center__region_code=region, code="SCJG")
    item = ServiceItem.objects.create(
        center=department.center,
        department=department,
        code=item_next_code(department=department, item_type="xk"),
        name="矩阵测试事项",
        item_type="xk",
        online_depth=4,
        promised_days=5,
        statutory_days=20,
        conditions="材料齐全",
        procedure="申请\n受理\n决定",
        result_name="许可证",
        applicant_type="company",
    )
    material = Material.objects.create(item=item, name="申请书", submission="online", sort_order=0)
    filing = item_record_change(actor=actor, item=item, before=None, action=FilingAction.CREATE)
    case, _ = case_submit(
        item=item,
        applicant=Applicant(
            kind="person",
            name="张三",
            id_type="resident_id",
            id_number="11010519491231002X",
            phone="13857012345",
        ),
        form_data={},
        files={material.pk: [SimpleUploadedFile("申请书.pdf", PDF_BYTES)]},
        submission_token=uuid.uuid4(),
    )
    case_accept(case=case, actor=sysadmin)  # queues the acceptance SMS
    policy = PolicyDocument.objects.create(
        center=department.center,
        department=department,
        title="矩阵测试文件",
        issuer=department.name,
        is_published=True,
        kind="notice",
        issued_on="2024-01-01",
        effective_on="2024-01-01",
        body="正文",
    )
    policy_file = PolicyAttachment(document=policy, name="附件.pdf", kind="pdf")
    policy_file.file.save("a.pdf", ContentFile(PDF_BYTES), save=False)
    policy_file.save()
    from django.utils import timezone

    from hall.announcements.services import announcement_save
    from hall.cases.services import case_approve

    announcement = announcement_save(
        actor=sysadmin,
        announcement=None,
        data={
            "center_id": department.center_id,
            "category": "notice",
            "title": "矩阵测试公告",
            "body": "正文",
            "pinned": False,
            "publish_at": timezone.now(),
            "expires_at": None,
        },
    )
    ServiceItem.objects.filter(pk=item.pk).update(
        publish_decisions=True, result_fields=["applicant", "decision_date"]
    )
    item.refresh_from_db()
    decided, _ = case_submit(
        item=item,
        applicant=Applicant(
            kind="company",
            name="矩阵测试有限公司",
            id_type="uscc",
            id_number="91330800MA2D00000X",
            phone="13857012345",
        ),
        form_data={},
        files={material.pk: [SimpleUploadedFile("申请书.pdf", PDF_BYTES)]},
        submission_token=uuid.uuid4(),
    )
    case_accept(case=decided, actor=sysadmin)
    case_approve(case=decided, actor=sysadmin, opinion="准予许可")
    # complaints hall: one complaint waiting, one answered and shared
    from hall.feedback.services import (
        complaint_accept,
        complaint_answer,
        complaint_file,
        complaint_investigate,
        complaint_share,
    )

    complaint = complaint_file(
        kind="department",
        department=department,
        category="quality",
        description=f"矩阵测试投诉 {region}",
        anonymous=False,
        phone="13857012345",
        uploads=[SimpleUploadedFile("现场.pdf", PDF_BYTES)],
    )
    shared = complaint_file(
        kind="department",
        department=department,
        category="attitude",
        description=f"矩阵测试已答复投诉 {region}",
        anonymous=True,
    )
    complaint_accept(complaint=shared, actor=sysadmin)
    complaint_investigate(complaint=shared, actor=sysadmin)
    complaint_answer(complaint=shared, actor=sysadmin, answer="已整改", findings="属实")
    complaint_share(complaint=shared, actor=sysadmin)
    place = Place(
        complaint=complaint,
        complaint_file=complaint.files.get(),
        shared_complaint=shared,
        center=department.center,
        department=department,
        item=item,
        version=item.versions.get().number,
        filing=filing,
        case=case,
        file=case.files.get(),
        notification=case.notifications.get(),
        policy=policy,
        policy_file=policy_file,
        question=question_ask(
            center=department.center,
            department=department,
            subject=f"矩阵测试问题 {region}",
            question="矩阵测试",
            name="",
            phone="13857012345",
            may_publish=True,
        ),
        announcement=announcement,
        result=decided.result_entry,
        agency=make_agency("矩阵测试测绘有限公司", region=region),
    )
    # 差评整改: the place's task, and a file of evidence on it
    place.task, place.task_evidence = _rectification_task(place, sysadmin)
    # monthly work summaries: the first window's summary of last month, submitted
    place.summary = _summary_of(department, sysadmin)
    # 中心布置工作: the place's center's task to the department, with a file
    place.notice, place.notice_file = _notice_task(place, sysadmin)
    # annual assessment: the place's center's draft scheme
    from hall.assessment.services import indicator_add, scheme_create

    place.assessment = scheme_create(actor=sysadmin, center=department.center, year=2024)
    indicator_add(
        actor=sysadmin,
        scheme=place.assessment,
        name="按时办结率",
        formula="on_time_rate",
        weight="100",
        target="98",
    )
    place.thread, place.thread_file = _thread_of(place, sysadmin)
    return place


def _thread_of(place: Place, sysadmin):
    """A thread of the place's department with the center staff who see the place
    (the city's for every place, the county's for its own), and its attachment."""
    from hall.messaging.services import thread_start
    from hall.org.models import Staff

    names = ["city_admin", "city_supervisor"]
    if place.center.region_code == "330802":
        names += ["kc_admin", "kc_supervisor"]
    thread = thread_start(
        actor=sysadmin,
        subject=f"矩阵测试会话 {place.center.region_code}",
        body="矩阵测试",
        departments=[place.department],
        staff_members=list(Staff.objects.filter(user__username__in=names)),
        uploads=[SimpleUploadedFile("名单.pdf", PDF_BYTES)],
    )
    return thread, thread.messages.get().files.get()


@pytest.fixture(scope="module")
def places(django_db_setup, django_db_blocker):
    """The objects of the three places, in a transaction rolled back after the
    module; each test runs in a savepoint inside it, each request in another."""
    with django_db_blocker.unblock(), transaction.atomic():
        qj = Department.objects.get(center__region_code="330803", code="SCJG")
        qj_admin = staff_ensure(
            username="qj_scjg_admin",
            full_name="衢江部门管理员",
            password=uuid.uuid4().hex,
            center=qj.center,
            department=qj,
            role_codes=["department_admin"],
        ).user
        sysadmin = User.objects.get(username="sysadmin")
        actors = {
            "city": User.objects.get(username="scjg_admin"),
            "kc": User.objects.get(username="kc_scjg_admin"),
            "qj": qj_admin,
        }
        made = {
            scope: _place(region, actors[scope], sysadmin)
            for scope, (region, _sees) in SCOPES.items()
        }
        yield made
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def sessions(places, django_db_blocker):
    """A signed-in session per role, inside the module's transaction."""
    found = {}
    with django_db_blocker.unblock():
        for role in RIGHTS:
            signed_in = Client()
            signed_in.force_login(
                User.objects.get(username=role), backend="hall.org.backends.StaffBackend"
            )
            found[role] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    return found


@pytest.fixture(scope="module")
def module_client():
    """One test client for the module: a client loads the middleware (and the
    static files' index) when it first answers, which would dominate the matrix."""
    return Client()


@pytest.fixture
def as_role(db, module_client, places, sessions):
    """The module's client signed in as `role`, and the objects of the three places."""

    def sign_in(role):
        module_client.cookies = SimpleCookie()
        if role != "anonymous":
            module_client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]
        return module_client, places

    return sign_in


# ---- the matrix -----------------------------------------------------------------


def _expected(rule: Rule, role: str, method: str, scope: str | None) -> int:
    success = rule.get if method == "GET" else rule.post
    if rule.perm == PUBLIC:
        if isinstance(success, dict):
            return success["anonymous" if role == "anonymous" else "signed_in"]
        return success
    if role == "anonymous":
        return 302
    rights = RIGHTS[role]
    if rule.perm is not None and rights is not ALL and rule.perm not in rights:
        return 404
    if success == 405:
        return 405
    sees = OWN_CENTER[scope] if rule.own_center and scope else SCOPES.get(scope, (0, ()))[1]
    if scope is not None and role not in sees:
        return 404
    if rule.unit_only and role in CENTER_LEVEL:
        return 404
    return success


def _matrix():
    for name in sorted(STAFF_URLS):
        rule = RULES.get(name, Rule(STAFF))
        for role in ROLES:
            for method, status in (("GET", rule.get), ("POST", rule.post)):
                if status is not None:
                    yield pytest.param(
                        name,
                        role,
                        method,
                        id=f"{name}-{role}-{method}",
                        marks=_gap(name, role, method),
                    )


@pytest.mark.parametrize(("name", "role", "method"), list(_matrix()))
def test_permission_matrix(as_role, name, role, method):
    rule = RULES.get(name)
    assert rule is not None, f"{name} has no row in RULES"
    client, places = as_role(role)
    success = rule.get if method == "GET" else rule.post
    # A refused method is refused before any lookup: one object says it.
    scoped = rule.kwargs is not None and name not in UNSCOPED_ARGS and success != 405
    wrong = []
    for scope in SCOPES if scoped else [None]:
        kwargs = rule.kwargs(places[scope or "city"]) if rule.kwargs else {}
        url = reverse(name, kwargs=kwargs)
        expected = _expected(rule, role, method, scope)
        # Every request in its own savepoint: an action that succeeds is undone.
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, rule.data)
            transaction.set_rollback(True)
        where = f"{method} {url} as {role}" + (f" ({scope} object)" if scope else "")
        if response.status_code != expected:
            wrong.append(f"{where}: {response.status_code}, expected {expected}")
        elif expected == 302 and rule.perm != PUBLIC:
            to_login = response["Location"].startswith(reverse("org:login") + "?next=")
            if to_login != (role == "anonymous"):
                wrong.append(f"{where}: redirected to {response['Location']}")
    assert not wrong, "\n".join(wrong)


# ---- the back office ---------------------------------------------------------------

# /admin/ is Django's admin with its own checks (scoped ModelAdmins); its pages
# are listed here. Expected status per page; roles not listed get the default.
# 302 = to the login page; 404 = outside the role or the scope.


def _dept(region, code="SCJG"):
    return Department.objects.get(center__region_code=region, code=code)


_BACK_OFFICE_USERS = {"city_admin", "scjg_admin", "kc_admin", "kc_scjg_admin", "sysadmin"}


def _window(p):
    return Window.objects.filter(department=p["city"].department).first().pk


def _user(name):
    return User.objects.get(username=name).pk


# page → (its URL for the objects `p`, who gets 200)
BACK_OFFICE = {
    "index": (lambda p: reverse("admin:index"), _BACK_OFFICE_USERS),
    "departments": (lambda p: reverse("admin:org_department_changelist"), _BACK_OFFICE_USERS),
    "department_city_scjg": (
        lambda p: reverse("admin:org_department_change", args=[p["city"].department.pk]),
        {"city_admin", "scjg_admin", "sysadmin"},
    ),
    "department_kc_scjg": (
        lambda p: reverse("admin:org_department_change", args=[p["kc"].department.pk]),
        {"city_admin", "kc_admin", "kc_scjg_admin", "sysadmin"},
    ),
    "department_qj_scjg": (
        lambda p: reverse("admin:org_department_change", args=[p["qj"].department.pk]),
        {"city_admin", "sysadmin"},
    ),
    "center_city": (
        lambda p: reverse("admin:org_center_change", args=[p["city"].center.pk]),
        {"city_admin", "sysadmin"},
    ),
    "window_city_scjg": (
        lambda p: reverse("admin:org_window_change", args=[_window(p)]),
        {"city_admin", "scjg_admin", "sysadmin"},
    ),
    "user_city_clerk": (
        lambda p: reverse("admin:org_user_change", args=[_user("scjg_clerk")]),
        {"city_admin", "scjg_admin", "sysadmin"},
    ),
    "user_kc_clerk": (
        lambda p: reverse("admin:org_user_change", args=[_user("kc_scjg_clerk")]),
        {"city_admin", "kc_admin", "kc_scjg_admin", "sysadmin"},
    ),
    "item_city": (
        lambda p: reverse("admin:catalogue_serviceitem_change", args=[p["city"].item.pk]),
        {"city_admin", "scjg_admin", "sysadmin"},
    ),
    "item_kc": (
        lambda p: reverse("admin:catalogue_serviceitem_change", args=[p["kc"].item.pk]),
        {"city_admin", "kc_admin", "kc_scjg_admin", "sysadmin"},
    ),
    "items": (lambda p: reverse("admin:catalogue_serviceitem_changelist"), _BACK_OFFICE_USERS),
}


@pytest.mark.parametrize("role", ROLES)
def test_back_office_matrix(as_role, role):
    client, places = as_role(role)
    wrong = []
    for page, (url, allowed) in BACK_OFFICE.items():
        expected = 302 if role == "anonymous" else 200 if role in allowed else 404
        response = client.get(url(places))
        if response.status_code != expected:
            wrong.append(f"{page} as {role}: {response.status_code}, expected {expected}")
        elif expected == 302:
            # Anonymous visitors end on the one staff login page (the back office hops once).
            final = client.get(response["Location"], follow=True)
            if final.request["PATH_INFO"] != reverse("org:login"):
                wrong.append(f"{page}: ends on {final.request['PATH_INFO']}")
    assert not wrong, "\n".join(wrong)
