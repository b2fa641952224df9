from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class Status(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("发送失败")


class Event(models.TextChoices):
    """What a notification is about. The case events use the case status values
    (and "reply") that hall.cases.signals.case_event sends."""

    ACCEPTED = "accepted", _("受理")
    APPROVED = "approved", _("审批通过")
    CORRECTION_REQUESTED = "correction_requested", _("补正告知")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    REJECTED = "rejected", _("不予许可")
    COMPLETED = "completed", _("办结")
    REPLY = "reply", _("审批人员回复")
    DIGEST = "digest", _("每日临期超期提醒")
    ACCOUNT_LOCKED = "account_locked", _("账号暂时锁定")
    QUESTION_ANSWERED = "question_answered", _("网上答疑已答复")
    COMPLAINT_ACCEPTED = "complaint_accepted", _("投诉已受理")
    COMPLAINT_ANSWERED = "complaint_answered", _("投诉已答复")
    RATING_INVITE = "rating_invite", _("邀请评价")
    RATING_INVITE_ACCEPTANCE = "rating_invite_acceptance", _("邀请受理评价")
    RECTIFICATION_REPLY = "rectification_reply", _("差评整改答复")


# The events an applicant may get an SMS about; the digest goes to staff by e-mail.
CASE_EVENTS = [
    Event.ACCEPTED,
    Event.APPROVED,
    Event.CORRECTION_REQUESTED,
    Event.NOT_ACCEPTED,
    Event.REJECTED,
    Event.COMPLETED,
    Event.REPLY,
]

# The events a center sends by SMS until it configures otherwise. Acceptance and
# approval are what the seed requires; a correction notice or a refusal needs the
# applicant to act. Completion and replies are off: a center switches them on.
DEFAULT_SMS_ENABLED = {
    Event.ACCEPTED,
    Event.APPROVED,
    Event.CORRECTION_REQUESTED,
    Event.NOT_ACCEPTED,
    Event.REJECTED,
    Event.QUESTION_ANSWERED,
    Event.COMPLAINT_ACCEPTED,
    Event.COMPLAINT_ANSWERED,
    Event.RATING_INVITE,
    Event.RATING_INVITE_ACCEPTANCE,
    Event.RECTIFICATION_REPLY,
}

# The events whose SMS text a center may edit: the case events, the answer to a
# question of the Q&A column, the complaint steps and the rating messages.
TEMPLATE_EVENTS = [
    *CASE_EVENTS,
    Event.QUESTION_ANSWERED,
    Event.COMPLAINT_ACCEPTED,
    Event.COMPLAINT_ANSWERED,
    Event.RATING_INVITE,
    Event.RATING_INVITE_ACCEPTANCE,
    Event.RECTIFICATION_REPLY,
]

# The placeholders a template may use, with what each stands for.
PLACEHOLDERS = {
    "item": _("事项名称"),
    "number": _("查询号"),
    "name": _("申请人"),
    "deadline": _("承诺办结日期"),
    "phone": _("咨询电话"),
    "signature": _("短信签名，例如【衢州市行政服务中心】"),
    "link": _("评价链接（邀请评价、整改答复短信）"),
}

# Built-in texts, used until a center writes its own.
DEFAULT_TEMPLATES = {
    Event.ACCEPTED: _(
        "{signature}您申请的“{item}”已受理，查询号{number}，承诺于{deadline}前办结。咨询电话{phone}。"
    ),
    Event.APPROVED: _(
        "{signature}您申请的“{item}”（查询号{number}）已审批通过，请按通知领取办理结果。咨询电话{phone}。"
    ),
    Event.CORRECTION_REQUESTED: _(
        "{signature}您申请的“{item}”（查询号{number}）需要补正材料，请凭查询号登录网上办事大厅查看补正告知。"
    ),
    Event.NOT_ACCEPTED: _(
        "{signature}您申请的“{item}”（查询号{number}）不予受理，理由请凭查询号查看。咨询电话{phone}。"
    ),
    Event.REJECTED: _(
        "{signature}您申请的“{item}”（查询号{number}）不予许可，理由请凭查询号查看。咨询电话{phone}。"
    ),
    Event.COMPLETED: _(
        "{signature}您申请的“{item}”（查询号{number}）已办结。感谢您的耐心，欢迎评价。"
    ),
    Event.REPLY: _("{signature}审批人员已回复您申请的“{item}”（查询号{number}），请凭查询号查看。"),
    Event.QUESTION_ANSWERED: _(
        "{signature}您在网上答疑提出的问题（编号{number}）已答复，请凭编号和手机号在网上办事大厅查看。咨询电话{phone}。"
    ),
    Event.COMPLAINT_ACCEPTED: _(
        "{signature}您的投诉（编号{number}）已受理，将于{deadline}前答复，请凭编号和手机号查看进展。咨询电话{phone}。"
    ),
    Event.COMPLAINT_ANSWERED: _(
        "{signature}您的投诉（编号{number}）已答复，请凭编号和手机号在网上办事大厅查看。咨询电话{phone}。"
    ),
    Event.RATING_INVITE: _(
        "{signature}您申请的“{item}”（查询号{number}）已办理完毕，欢迎对本次服务进行评价：{link}"
    ),
    Event.RATING_INVITE_ACCEPTANCE: _(
        "{signature}您申请的“{item}”（查询号{number}）已受理，欢迎对受理服务进行评价：{link}"
    ),
    Event.RECTIFICATION_REPLY: _(
        "{signature}您对“{item}”（查询号{number}）的评价已整改并答复，查看答复并追评：{link}"
    ),
}

TEMPLATE_MAX_CHARS = 500
# One SMS holds 70 UCS-2 characters; a long one is split into parts of 67.
SMS_SEGMENT = 70
SMS_SEGMENT_SPLIT = 67

# A mainland mobile number: 11 digits starting 13–19, an optional +86 / 86 prefix.
MOBILE_RE = r"^(?:\+?86)?(1[3-9]\d{9})$"

LOG_PAGE_SIZE = 50
# Days shown in the per-day counts.
STATS_DAYS = 14
# Cases listed in one digest e-mail per kind (the counts are always complete).
DIGEST_LIST_LIMIT = 50
