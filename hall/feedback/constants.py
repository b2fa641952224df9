from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    INVESTIGATING = "investigating", _("调查中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class Category(models.TextChoices):
    ATTITUDE = "attitude", _("服务态度")
    QUALITY = "quality", _("服务质量")
    EFFICIENCY = "efficiency", _("办事效率")
    INTEGRITY = "integrity", _("廉洁自律")
    OTHER = "other", _("其他")


class TargetKind(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    ITEM = "item", _("事项")
    WINDOW = "window", _("窗口")
    STAFF = "staff", _("工作人员")


class NotAcceptedReason(models.TextChoices):
    NOT_A_COMPLAINT = "not_complaint", _("不属于投诉")
    DUPLICATE = "duplicate", _("重复投诉")
    OTHER_CHANNEL = "other_channel", _("已通过信访、诉讼等其他途径处理")
    NO_FACTS = "no_facts", _("缺少基本事实，无法调查")


# The rights of the column (feedback.Complaint's Meta permissions and Django's view
# and change rights of the models).
RIGHT_VIEW = "feedback.view_complaint"
RIGHT_HANDLE = "feedback.handle_complaint"
RIGHT_PUBLISH = "feedback.publish_complaint"
RIGHT_VIEW_SHARED = "feedback.view_shared_complaint"
RIGHT_SETTINGS = "feedback.change_feedbacksettings"

# Working days a center gives itself to answer before 督办, until it sets its own.
DEFAULT_ANSWER_DAYS = 5
# The complainant may ask once, within this many working days of the answer, to reopen.
REOPEN_DAYS = 10
REOPEN_LIMIT = 1

DESCRIPTION_MAX = 2000
ANSWER_MAX = 4000
FINDINGS_MAX = 4000
REASON_MAX = 500
NAME_MAX = 30
TITLE_MAX = 60

FILES_MAX = 5
FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_KINDS = {"pdf", "jpeg", "png"}

PAGE_SIZE = 20
