from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交（待预审）")
    CORRECTION_REQUESTED = "correction_requested", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    SUSPENDED = "suspended", _("特别程序（暂停计时）")
    APPROVED = "approved", _("准予许可")
    COMPLETED = "completed", _("已办结")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    REJECTED = "rejected", _("不予许可")
    WITHDRAWN = "withdrawn", _("已撤回")


# Statuses in which the applicant may still change or withdraw the application.
PRE_DECISION = {CaseStatus.SUBMITTED, CaseStatus.CORRECTION_REQUESTED}
FINAL = {CaseStatus.COMPLETED, CaseStatus.NOT_ACCEPTED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN}


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申报")
    WALK_IN = "walk_in", _("窗口受理")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("个人")
    COMPANY = "company", _("企业或其他组织")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    USCC = "uscc", _("统一社会信用代码")


class MessageKind(models.TextChoices):
    REPLY = "reply", _("审批人员回复")
    CORRECTION = "correction", _("补正告知")


# What the applicant sees as the next step, per status.
NEXT_STEPS = {
    CaseStatus.SUBMITTED: _("申请已提交，窗口工作人员将在 1 个工作日内预审，请留意审批人员回复。"),
    CaseStatus.CORRECTION_REQUESTED: _("请按补正告知一次性补齐材料，写明申请备注后重新提交。"),
    CaseStatus.ACCEPTED: _("已受理，正在审批。请按承诺时限留意办理结果。"),
    CaseStatus.SUSPENDED: _("正在进行特别程序（如听证、检验），期间暂停计时。"),
    CaseStatus.APPROVED: _("已准予许可，请按通知领取办理结果。"),
    CaseStatus.COMPLETED: _("已办结。感谢您的耐心。"),
    CaseStatus.NOT_ACCEPTED: _("申请不予受理，理由见下方记录。如有疑问请拨打咨询电话。"),
    CaseStatus.REJECTED: _("申请不予许可，理由见下方记录。您可依法申请行政复议或提起行政诉讼。"),
    CaseStatus.WITHDRAWN: _("申请已撤回。如需办理，请重新申报。"),
}

# Upload limits of one application.
FILE_MAX_BYTES = 10 * 1024 * 1024
CASE_MAX_BYTES = 50 * 1024 * 1024
FILES_PER_MATERIAL = 10
FILES_PER_CASE = 40
# A request body over this is refused before it is read.
REQUEST_MAX_BYTES = CASE_MAX_BYTES + 1024 * 1024
UPLOAD_KINDS = {"pdf", "jpeg", "png", "docx", "xlsx"}

# Status lookups are limited per client address, and failed tries per client and
# per (client, number), shared by all server processes (settings.LOOKUP_*, read at
# each request as (count, seconds)). Failed tries on a number from everyone only
# guard it (the whole phone is needed), so strangers cannot lock an applicant out.


class SuspensionKind(models.TextChoices):
    """Special procedures (特别程序) that stop the clock."""

    HEARING = "hearing", _("听证")
    INSPECTION = "inspection", _("检验")
    TESTING = "testing", _("检测")
    QUARANTINE = "quarantine", _("检疫")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    SITE_SURVEY = "site_survey", _("现场勘验")
    SUPPLEMENT = "supplement", _("申请人补充材料")
    OTHER = "other", _("其他")


class Delivery(models.TextChoices):
    ON_SITE = "on_site", _("窗口领取")
    POST = "post", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子证照")


# 行政许可法 art. 42: the statutory limit may be extended once by ten working days.
EXTENSION_DAYS = 10
# Due soon: this many working days or fewer left on the promised deadline.
DUE_SOON_DAYS = 2


# Notes the hall writes into a case's history itself: stored as the Chinese
# source text and translated when shown, so an English page reads them in English.
RESUME_NOTE = gettext_noop("特别程序结束，恢复计时")
SYSTEM_NOTES = frozenset({RESUME_NOTE})
