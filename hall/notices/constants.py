"""中心布置工作 — the center's notices (通知) and tasks (工作任务) to its
departments, windows and (from the city) county centers: read receipts,
feedback by a due date in working days, reminders, the status table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NOTICE = "notice", _("通知")
    TASK = "task", _("工作任务")


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    WINDOW = "window", _("窗口")
    CENTER = "center", _("县（市、区）中心")


class ReceiptStatus(models.TextChoices):
    """A recipient unit's lifecycle (workflow.MOVES)."""

    UNREAD = "unread", _("未读")
    READ = "read", _("已读")
    FED_BACK = "fed_back", _("已反馈")


# The rows of the status table: every recipient is in exactly one.
class Standing(models.TextChoices):
    UNREAD = "unread", _("未读")
    READ = "read", _("已读未反馈")
    ON_TIME = "on_time", _("按时反馈")
    LATE_FEEDBACK = "late_feedback", _("逾期反馈")
    OVERDUE = "overdue", _("已逾期未反馈")


RIGHT_VIEW = "notices.view_notice"
RIGHT_SEND = "notices.send_notice"
RIGHT_STATUS = "notices.view_status"
RIGHT_FEEDBACK = "notices.feedback_task"

TITLE_MAX = 100
BODY_MAX = 5000
FEEDBACK_MAX = 2000
FILES_PER_POST = 5
FILE_MAX_BYTES = 10 * 1024 * 1024
FILE_KINDS = {"pdf", "png", "jpeg", "docx", "xlsx"}

# A task's feedback is due this many working days after sending, unless the sender says.
DEFAULT_DUE_DAYS = 5
MIN_DUE_DAYS, MAX_DUE_DAYS = 1, 60
# A task is due soon (reminded, on the landing page) this many working days before.
DUE_SOON_DAYS = 2
# A notice counts as read in time when read within this many working days.
READ_IN_TIME_DAYS = 2

PAGE_SIZE = 20
PANEL_LIMIT = 8
